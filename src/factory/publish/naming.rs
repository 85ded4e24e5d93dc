//! Pure text of a publish: the version argument, the branch name, the commit
//! message, a generated CHANGELOG.md, timestamps, and the pull-request link for the remote's host.
//!
//! Not here: anything that reads or writes a repository.

use super::PublishError;
use crate::factory::ModulePath;

/// Parse the `--version` argument; a leading `v` is accepted (`v1.2.0`) because the folder
/// names carry one and users type it.
pub fn parse_version(s: &str) -> Result<semver::Version, PublishError> {
    let trimmed = s.strip_prefix('v').unwrap_or(s);
    semver::Version::parse(trimmed)
        .map_err(|e| PublishError::InvalidVersion { version: s.to_string(), reason: e.to_string() })
}

/// `feat/module-<module with / as ->-v<version>` (SPEC §2.5).
pub fn branch_name(module: &ModulePath, version: &semver::Version) -> String {
    format!("feat/module-{}-v{version}", module.as_str().replace('/', "-"))
}

/// `feat(module): Add <module> v<version>`, the description as the commit body, and the
/// [`AGB_TRAILER`] that lets `--update` recognise the branch as agb's for this version.
pub fn commit_message(module: &ModulePath, version: &semver::Version, description: Option<&str>) -> String {
    message("Add", module, version, description)
}

/// The message of an `--update` commit: `feat(module): Update <module> v<version>`.
pub fn update_message(module: &ModulePath, version: &semver::Version, description: Option<&str>) -> String {
    message("Update", module, version, description)
}

fn message(verb: &str, module: &ModulePath, version: &semver::Version, description: Option<&str>) -> String {
    let mut msg = format!("feat(module): {verb} {module} v{version}\n");
    if let Some(d) = description.map(str::trim).filter(|d| !d.is_empty()) {
        msg.push('\n');
        msg.push_str(d);
        msg.push('\n');
    }
    msg.push_str(&format!("\n{AGB_TRAILER}: {}\n", trailer_value(module, version)));
    msg
}

/// The git trailer agb writes in every publish commit (`Agb-Module: <module>@<version>`).
pub const AGB_TRAILER: &str = "Agb-Module";

/// `<module>@<version>`, the value of [`AGB_TRAILER`].
pub fn trailer_value(module: &ModulePath, version: &semver::Version) -> String {
    format!("{module}@{version}")
}

/// The CHANGELOG.md written when the module ships none (Keep a Changelog layout).
pub fn generated_changelog(
    module: &ModulePath,
    version: &semver::Version,
    description: Option<&str>,
    unix_seconds: i64,
) -> String {
    let date = &rfc3339_utc(unix_seconds)[..10];
    let entry =
        description.map(str::trim).filter(|d| !d.is_empty()).unwrap_or("Initial release of this version.");
    format!(
        "# Changelog\n\nAll notable changes to `{module}` are documented in this file.\n\n## [{version}] - {date}\n\n- {entry}\n"
    )
}

/// `YYYY-MM-DDTHH:MM:SSZ` for a Unix time (the format of catalog.json's `last_updated`).
pub fn rfc3339_utc(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
}

/// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Where the remote is hosted, as far as links are concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    /// `https://github.com/<owner>/<repo>`.
    GitHub { owner: String, repo: String },
    /// A GitLab instance: `https://<host>/<project path>`.
    GitLab { host: String, project: String },
    /// Anything else: no link, only the branch and the remote.
    Other,
}

/// Recognise the host of a remote URL (https, ssh, scp-like `git@host:path`).
/// `repository` (`owner/name` from the factory config) wins for GitHub, because a mirror or
/// local path may front a GitHub repository.
pub fn host_of(url: &str, repository: Option<&str>) -> Host {
    if let Some((owner, repo)) = repository.and_then(|r| r.split_once('/')) {
        if !owner.is_empty() && !repo.is_empty() && !repo.contains('/') {
            return Host::GitHub {
                owner: owner.to_string(),
                repo: repo.trim_end_matches(".git").to_string(),
            };
        }
    }
    let Some((host, path)) = split_host_path(url) else { return Host::Other };
    let path = path.trim_matches('/').trim_end_matches(".git").to_string();
    if host.eq_ignore_ascii_case("github.com") {
        if let Some((owner, repo)) = path.split_once('/') {
            if !repo.contains('/') && !owner.is_empty() && !repo.is_empty() {
                return Host::GitHub { owner: owner.to_string(), repo: repo.to_string() };
            }
        }
        Host::Other
    } else if host.to_ascii_lowercase().contains("gitlab") && path.contains('/') {
        Host::GitLab { host, project: path }
    } else {
        Host::Other
    }
}

/// `(host, path)` of `https://[user@]host[:port]/path`, `ssh://[user@]host[:port]/path` or
/// `[user@]host:path`; `None` for local paths and file:// URLs.
pub(super) fn split_host_path(url: &str) -> Option<(String, String)> {
    if let Some((scheme, rest)) = url.split_once("://") {
        if !matches!(scheme, "https" | "http" | "ssh" | "git" | "git+ssh" | "ssh+git") {
            return None;
        }
        let (authority, path) = rest.split_once('/')?;
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = host_port.split(':').next().unwrap_or(host_port);
        return Some((host.to_string(), path.to_string()));
    }
    // scp-like: no slash before the colon, and not a Windows drive letter
    let (left, path) = url.split_once(':')?;
    if left.contains('/') || left.len() <= 1 {
        return None;
    }
    let host = left.rsplit_once('@').map_or(left, |(_, h)| h);
    Some((host.to_string(), path.to_string()))
}

/// The pull-request body: the description and a reviewer checklist.
/// `bump_section` is the suggested bump and its reasons (see `bump_check::Suggested`), when the
/// rules ran.
pub fn pr_body(
    module: &ModulePath,
    version: &semver::Version,
    description: Option<&str>,
    bump_section: Option<&str>,
) -> String {
    let mut body = String::new();
    if let Some(d) = description.map(str::trim).filter(|d| !d.is_empty()) {
        body.push_str(d);
        body.push_str("\n\n");
    }
    body.push_str(&format!(
        "Module: `{module}`\nVersion: `{version}`\n\n\
         ## Checklist\n\
         - [ ] `terraform fmt` and `terraform validate` pass\n\
         - [ ] MODULE_METADATA.yaml is complete (description, inputs, outputs)\n\
         - [ ] CHANGELOG.md describes this version\n\
         - [ ] README.md documents usage\n\
         - [ ] The version bump matches the change (breaking change = major)\n"
    ));
    if let Some(section) = bump_section {
        body.push('\n');
        body.push_str(section);
    }
    body
}

/// The link that opens a pull (merge) request for `branch` against `base`, when the host has one.
pub fn pr_url(host: &Host, base: &str, branch: &str, title: &str, body: &str) -> Option<String> {
    match host {
        Host::GitHub { owner, repo } => Some(format!(
            "https://github.com/{owner}/{repo}/compare/{}...{}?quick_pull=1&title={}&body={}",
            encode_path(base),
            encode_path(branch),
            encode_component(title),
            encode_component(body)
        )),
        Host::GitLab { host, project } => Some(format!(
            "https://{host}/{project}/-/merge_requests/new?{}={}&{}={}&{}={}&{}={}",
            encode_component("merge_request[source_branch]"),
            encode_component(branch),
            encode_component("merge_request[target_branch]"),
            encode_component(base),
            encode_component("merge_request[title]"),
            encode_component(title),
            encode_component("merge_request[description]"),
            encode_component(body),
        )),
        Host::Other => None,
    }
}

/// Percent-encode everything but RFC 3986 unreserved characters.
pub fn encode_component(s: &str) -> String {
    encode(s, |b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// Like [`encode_component`] but keeps `/`, for branch names inside a URL path.
fn encode_path(s: &str) -> String {
    encode(s, |b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/'))
}

fn encode(s: &str, keep: impl Fn(u8) -> bool) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if keep(b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> semver::Version {
        semver::Version::parse(s).unwrap()
    }

    #[test]
    fn versions_accept_a_leading_v() {
        assert_eq!(parse_version("v1.2.3").unwrap(), v("1.2.3"));
        assert_eq!(parse_version("1.0.0-rc.1").unwrap(), v("1.0.0-rc.1"));
        assert!(parse_version("1.0").is_err());
        assert!(parse_version("latest").is_err());
    }

    #[test]
    fn branch_and_message_follow_the_spec() {
        let m = ModulePath::new("aws/networking/my-vpc").unwrap();
        assert_eq!(branch_name(&m, &v("1.0.0")), "feat/module-aws-networking-my-vpc-v1.0.0");
        assert_eq!(
            commit_message(&m, &v("1.0.0"), None),
            "feat(module): Add aws/networking/my-vpc v1.0.0\n\nAgb-Module: aws/networking/my-vpc@1.0.0\n"
        );
        assert_eq!(
            commit_message(&m, &v("1.0.0"), Some("New VPC")),
            "feat(module): Add aws/networking/my-vpc v1.0.0\n\nNew VPC\n\nAgb-Module: aws/networking/my-vpc@1.0.0\n"
        );
    }

    #[test]
    fn timestamps_are_utc_rfc3339() {
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_utc(1_738_058_400), "2025-01-28T10:00:00Z");
        assert_eq!(rfc3339_utc(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn changelog_names_version_date_and_description() {
        let m = ModulePath::new("aws/networking/my-vpc").unwrap();
        let c = generated_changelog(&m, &v("1.0.0"), Some("First cut"), 1_738_058_400);
        assert!(c.starts_with("# Changelog\n"));
        assert!(c.contains("## [1.0.0] - 2025-01-28\n\n- First cut\n"), "{c}");
    }

    #[test]
    fn hosts_are_recognised() {
        let gh = Host::GitHub { owner: "org".into(), repo: "cloud_iac_factory".into() };
        assert_eq!(host_of("https://github.com/org/cloud_iac_factory.git", None), gh);
        assert_eq!(host_of("git@github.com:org/cloud_iac_factory.git", None), gh);
        assert_eq!(host_of("ssh://git@github.com/org/cloud_iac_factory", None), gh);
        assert_eq!(host_of("/srv/git/factory.git", Some("org/cloud_iac_factory")), gh);
        assert_eq!(
            host_of("https://gitlab.example.com/infra/team/factory.git", None),
            Host::GitLab { host: "gitlab.example.com".into(), project: "infra/team/factory".into() }
        );
        assert_eq!(host_of("file:///srv/factory.git", None), Host::Other);
        assert_eq!(host_of("/srv/factory.git", None), Host::Other);
        assert_eq!(host_of("http://127.0.0.1:8080/factory.git", None), Host::Other);
        assert_eq!(host_of("C:/repos/factory", None), Host::Other);
    }

    #[test]
    fn github_link_is_a_compare_url_with_encoded_title_and_body() {
        let host = Host::GitHub { owner: "org".into(), repo: "f".into() };
        let url = pr_url(
            &host,
            "main",
            "feat/module-a-b-c-v1.0.0+b1",
            "feat(module): Add a/b/c v1.0.0",
            "x & y\n- [ ] z",
        )
        .unwrap();
        assert_eq!(
            url,
            "https://github.com/org/f/compare/main...feat/module-a-b-c-v1.0.0%2Bb1?quick_pull=1\
             &title=feat%28module%29%3A%20Add%20a%2Fb%2Fc%20v1.0.0&body=x%20%26%20y%0A-%20%5B%20%5D%20z"
        );
    }

    #[test]
    fn gitlab_link_is_a_new_merge_request() {
        let host = Host::GitLab { host: "gitlab.com".into(), project: "g/f".into() };
        let url = pr_url(&host, "main", "feat/x", "t", "b").unwrap();
        assert!(url.starts_with("https://gitlab.com/g/f/-/merge_requests/new?"), "{url}");
        assert!(url.contains("merge_request%5Bsource_branch%5D=feat%2Fx"), "{url}");
        assert!(url.contains("merge_request%5Btarget_branch%5D=main"), "{url}");
        assert_eq!(pr_url(&Host::Other, "main", "b", "t", "b"), None);
    }

    #[test]
    fn body_holds_description_and_checklist() {
        let m = ModulePath::new("a/b/c").unwrap();
        let body = pr_body(&m, &v("2.0.0"), Some("Adds NAT"), None);
        assert!(body.starts_with("Adds NAT\n\n"));
        assert!(body.contains("- [ ] "));
        assert!(body.contains("`a/b/c`"));
    }
}
