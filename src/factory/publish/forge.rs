//! The pull (merge) request after the push: opened with `gh` on GitHub when it is installed and
//! authenticated for the host, asked of GitLab with merge-request push options, otherwise the
//! link of `naming::pr_url`. No REST client and no token handling of agb's own: `gh` and git use
//! their own credentials.
//!
//! Which forge: `factory.forge` (`github`, `gitlab`, `none`) when set, else the remote's host
//! (`naming::host_of`: github.com or `repository:` → GitHub, a host containing `gitlab` → GitLab).
//!
//! Not here: the push itself (see `push`), the link text (see `naming`).

use std::process::{Command, Stdio};

use super::naming::Host;
use crate::factory::config::Forge;

/// How the pull request was (or can be) opened, as in the JSON's `pr.via`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// `gh pr create` opened it (or found it open).
    Gh,
    /// The push carried GitLab's `merge_request.create` options.
    GitLab,
    /// Only a link (or a sentence) for the user to open it.
    Link,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Gh => "gh",
            Via::GitLab => "gitlab-push-options",
            Via::Link => "link",
        }
    }
}

/// What agb will do about the pull request, decided before the push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Try `gh` for `repo` (`[HOST/]OWNER/REPO`) on `hostname`.
    Gh { hostname: String, repo: String },
    /// Push with merge-request options.
    GitLab,
    /// The link only.
    Link,
}

/// Decide from the configured forge and the host of the remote. `pr` false: `--no-pr`.
pub fn plan(forge: Option<Forge>, host: &Host, remote_url: &str, pr: bool) -> Plan {
    if !pr {
        return Plan::Link;
    }
    match (forge, host) {
        (Some(Forge::None), _) => Plan::Link,
        (Some(Forge::GitLab), _) | (None, Host::GitLab { .. }) => Plan::GitLab,
        (Some(Forge::GitHub) | None, Host::GitHub { owner, repo }) => {
            Plan::Gh { hostname: "github.com".to_string(), repo: format!("{owner}/{repo}") }
        }
        // GitHub Enterprise: the remote's own host and path
        (Some(Forge::GitHub), _) => match super::naming::split_host_path(remote_url) {
            Some((hostname, path)) => {
                let path = path.trim_matches('/').trim_end_matches(".git");
                Plan::Gh { repo: format!("{hostname}/{path}"), hostname }
            }
            None => Plan::Link,
        },
        (None, Host::Other) => Plan::Link,
    }
}

/// GitLab's merge-request push options (one `-o` each). A push option cannot hold a newline, so
/// the description stays in the commit message, which GitLab uses as the description.
pub fn gitlab_push_options(base: &str, title: &str) -> Vec<String> {
    let title = title.replace(['\n', '\r'], " ");
    vec![
        "merge_request.create".to_string(),
        format!("merge_request.target={base}"),
        format!("merge_request.title={title}"),
    ]
}

/// The pull request as agb knows it after the push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRequest {
    pub number: Option<u64>,
    pub url: Option<String>,
    pub via: Via,
    /// The request was already open (`gh` said so).
    pub existing: bool,
}

/// The first `https://…/pull/<n>` (GitHub) or `…/-/merge_requests/<n>` (GitLab) URL in `text`,
/// with its number.
pub fn find_pr_url(text: &str) -> Option<(String, u64)> {
    text.split_whitespace().find_map(|word| {
        let word = word.trim_matches(|c: char| matches!(c, '"' | '\'' | '<' | '>' | '(' | ')' | ',' | '.'));
        if !(word.starts_with("https://") || word.starts_with("http://")) {
            return None;
        }
        let (head, number) = word.rsplit_once('/')?;
        let number: u64 = number.parse().ok()?;
        (head.ends_with("/pull") || head.ends_with("/merge_requests")).then(|| (word.to_string(), number))
    })
}

/// Why `gh` did not open the pull request (shown as a warning; the link is printed instead).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GhSkipped {
    /// `gh` is not on PATH.
    NotInstalled,
    /// `gh auth status --hostname` failed.
    NotAuthenticated { hostname: String },
    /// `gh pr create` failed; its stderr.
    Failed(String),
}

/// What `gh pr create` needs.
pub struct GhRequest<'a> {
    pub hostname: &'a str,
    pub repo: &'a str,
    pub base: &'a str,
    pub branch: &'a str,
    pub title: &'a str,
    pub body: &'a str,
}

/// Open the pull request with `gh` (never prompting: stdin closed, `GH_PROMPT_DISABLED`).
pub fn open_with_gh(req: &GhRequest<'_>) -> Result<PullRequest, GhSkipped> {
    let gh = || {
        let mut cmd = Command::new("gh");
        cmd.env("GH_PROMPT_DISABLED", "1").env("NO_COLOR", "1").stdin(Stdio::null());
        cmd
    };
    let status = gh()
        .args(["auth", "status", "--hostname", req.hostname])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    match status {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(GhSkipped::NotInstalled),
        Err(e) => return Err(GhSkipped::Failed(e.to_string())),
        Ok(s) if !s.success() => {
            return Err(GhSkipped::NotAuthenticated { hostname: req.hostname.to_string() })
        }
        Ok(_) => {}
    }
    let out = gh()
        .args(["pr", "create", "--repo", req.repo, "--base", req.base, "--head", req.branch])
        .args(["--title", req.title, "--body", req.body])
        .output()
        .map_err(|e| GhSkipped::Failed(e.to_string()))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.success() {
        let found = find_pr_url(&stdout);
        return Ok(PullRequest {
            number: found.as_ref().map(|f| f.1),
            url: found.map(|f| f.0),
            via: Via::Gh,
            existing: false,
        });
    }
    // "a pull request for branch … already exists:\nhttps://github.com/o/r/pull/5"
    match find_pr_url(&stderr) {
        Some((url, number)) if stderr.contains("already exists") => {
            Ok(PullRequest { number: Some(number), url: Some(url), via: Via::Gh, existing: true })
        }
        _ => Err(GhSkipped::Failed(stderr.trim().to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forge_follows_config_then_host() {
        let gh = Host::GitHub { owner: "o".into(), repo: "r".into() };
        let gl = Host::GitLab { host: "gitlab.example".into(), project: "g/r".into() };
        let url = "https://git.corp.example/o/r.git";
        assert_eq!(
            plan(None, &gh, url, true),
            Plan::Gh { hostname: "github.com".into(), repo: "o/r".into() }
        );
        assert_eq!(plan(None, &gh, url, false), Plan::Link);
        assert_eq!(plan(None, &gl, url, true), Plan::GitLab);
        assert_eq!(plan(Some(Forge::GitLab), &Host::Other, url, true), Plan::GitLab);
        assert_eq!(plan(Some(Forge::None), &gh, url, true), Plan::Link);
        assert_eq!(plan(None, &Host::Other, url, true), Plan::Link);
        assert_eq!(
            plan(Some(Forge::GitHub), &Host::Other, url, true),
            Plan::Gh { hostname: "git.corp.example".into(), repo: "git.corp.example/o/r".into() }
        );
        assert_eq!(plan(Some(Forge::GitHub), &Host::Other, "/srv/f.git", true), Plan::Link);
    }

    #[test]
    fn pr_urls_are_found_in_tool_output() {
        assert_eq!(
            find_pr_url("https://github.com/o/r/pull/42\n"),
            Some(("https://github.com/o/r/pull/42".into(), 42))
        );
        assert_eq!(
            find_pr_url("a pull request for branch \"b\" into branch \"main\" already exists:\nhttps://github.com/o/r/pull/5"),
            Some(("https://github.com/o/r/pull/5".into(), 5))
        );
        assert_eq!(
            find_pr_url("View merge request for feat/x:\n  https://gitlab.example/g/r/-/merge_requests/7 "),
            Some(("https://gitlab.example/g/r/-/merge_requests/7".into(), 7))
        );
        assert_eq!(find_pr_url("https://github.com/o/r/compare/main...b"), None);
        assert_eq!(find_pr_url("nothing"), None);
    }

    #[test]
    fn gitlab_options_are_one_line_each() {
        assert_eq!(
            gitlab_push_options("main", "feat(module): Add a/b/c v1.0.0\nx"),
            [
                "merge_request.create",
                "merge_request.target=main",
                "merge_request.title=feat(module): Add a/b/c v1.0.0 x"
            ]
        );
    }
}
