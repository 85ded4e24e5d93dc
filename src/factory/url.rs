//! Where a factory lives: parsing the user's `--factory`/config value (https, http, ssh, scp-like
//! `git@host:owner/repo.git`, `file://` or a plain path) into a [`FactoryUrl`], the cache directory
//! name it maps to (SPEC §2.3), and browsable web links for module paths. A URL with credentials
//! in its user part is refused here (over http(s) any user part counts), and [`redact`] is how
//! every message shows a URL.
//!
//! Not here: talking to the remote (that is `cache.rs`).

use std::fmt;
use std::path::{Path, PathBuf};

/// Errors of this module.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum UrlError {
    #[error("the factory URL {url:?} carries a password or token")]
    #[diagnostic(
        code(agb::factory::url::secret),
        help("never put credentials in the URL; configure a git credential helper (or set GITHUB_TOKEN for github.com) and use the plain URL")
    )]
    Secret { url: String },
    /// Any user part of an http(s) URL: a token pasted as the user name (`https://ghp_…@host`,
    /// or percent-encoded `user%3Atoken@`) authenticates just as well as a password, and would
    /// end up in messages and in the cache's `config`; `url` is already [`redact`]ed.
    #[error("the factory URL {url:?} carries credentials in its user part")]
    #[diagnostic(
        code(agb::factory::url::userinfo),
        help("use a credential helper or GITHUB_TOKEN (offered to https://github.com only) with the plain URL, without `user@`; agb treats any user part of an http(s) URL as a secret")
    )]
    UserInfo { url: String },
    #[error("cannot understand the factory location {url:?}")]
    #[diagnostic(
        code(agb::factory::url::invalid),
        help("give an https:// or ssh:// URL, git@host:owner/repo.git, a file:// URL or a path to a git repository")
    )]
    Invalid { url: String },
    #[error("the factory path {path} does not exist")]
    #[diagnostic(
        code(agb::factory::url::missing_path),
        help("check the path given with --factory, AGB_FACTORY or `factory:` in the config")
    )]
    MissingPath { path: PathBuf },
}

/// The transport a factory location uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Https,
    Http,
    Ssh,
    /// A local repository, given as a path or a `file://` URL.
    Local,
}

/// A parsed factory location. The `Display` form is what is handed to git/gix (for a local
/// repository: its canonical path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactoryUrl {
    scheme: Scheme,
    /// The string handed to gix: the URL as given, or the canonical local path.
    target: String,
    /// Lowercase host (with `_<port>` when a non-default port is given); `None` for local paths.
    host: Option<String>,
    /// The repository path on the host without leading `/` and trailing `.git`, e.g. `org/factory`.
    repo_path: String,
}

impl FactoryUrl {
    /// Parse `raw`; relative local paths are resolved against `base`.
    pub fn parse(raw: &str, base: &Path) -> Result<Self, UrlError> {
        let raw = raw.trim();
        // Even a URL that makes no sense may carry a token: the message shows it redacted.
        let invalid = || UrlError::Invalid { url: redact(raw) };
        if raw.is_empty() {
            return Err(invalid());
        }
        if let Some(rest) = raw.strip_prefix("file://") {
            // file:///abs/path or file://localhost/abs/path
            let path = rest.strip_prefix("localhost").unwrap_or(rest);
            if !path.starts_with('/') {
                return Err(invalid());
            }
            return Self::local(Path::new(path));
        }
        for (prefix, scheme) in
            [("https://", Scheme::Https), ("http://", Scheme::Http), ("ssh://", Scheme::Ssh)]
        {
            if let Some(rest) = raw.strip_prefix(prefix) {
                let (authority, path) = rest.split_once('/').ok_or_else(invalid)?;
                let host_port = match authority.rsplit_once('@') {
                    Some((userinfo, host)) => {
                        if userinfo.contains(':') {
                            return Err(UrlError::Secret { url: redact(raw) });
                        }
                        // An ssh user (`ssh://git@host/…`) is a login name; over http(s) the
                        // user part is how tokens are passed.
                        if scheme != Scheme::Ssh {
                            return Err(UrlError::UserInfo { url: redact(raw) });
                        }
                        host
                    }
                    None => authority,
                };
                if host_port.is_empty() || path.trim_matches('/').is_empty() {
                    return Err(invalid());
                }
                return Ok(FactoryUrl {
                    scheme,
                    target: raw.to_string(),
                    host: Some(host_port.to_ascii_lowercase().replace(':', "_")),
                    repo_path: trim_repo_path(path),
                });
            }
        }
        if raw.contains("://") {
            return Err(invalid());
        }
        // scp-like `[user@]host:path`: a colon before any slash, and more than a drive letter.
        if let Some((before, path)) = raw.split_once(':') {
            if !before.contains('/') && before.len() > 1 {
                let host = before.rsplit_once('@').map_or(before, |(_, h)| h);
                if host.is_empty() || path.trim_matches('/').is_empty() {
                    return Err(invalid());
                }
                return Ok(FactoryUrl {
                    scheme: Scheme::Ssh,
                    target: raw.to_string(),
                    host: Some(host.to_ascii_lowercase()),
                    repo_path: trim_repo_path(path),
                });
            }
        }
        let path = Path::new(raw);
        let path = if path.is_absolute() { path.to_path_buf() } else { base.join(path) };
        Self::local(&path)
    }

    /// The default URL for `repository: owner/name` (GitHub over https).
    pub fn github(repository: &str) -> Result<Self, UrlError> {
        let repo = repository.trim().trim_matches('/');
        let valid = repo.split('/').count() == 2
            && repo.split('/').all(|s| !s.is_empty() && s != ".." && s != ".")
            && !repo.contains(char::is_whitespace);
        if !valid {
            return Err(UrlError::Invalid { url: repository.to_string() });
        }
        Self::parse(&format!("https://github.com/{}.git", repo.trim_end_matches(".git")), Path::new("/"))
    }

    fn local(path: &Path) -> Result<Self, UrlError> {
        let canonical =
            std::fs::canonicalize(path).map_err(|_| UrlError::MissingPath { path: path.to_path_buf() })?;
        let target = canonical.to_string_lossy().into_owned();
        let name = canonical.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Ok(FactoryUrl { scheme: Scheme::Local, repo_path: trim_repo_path(&name), target, host: None })
    }

    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// What gix/git is given to clone: the URL, or the canonical local path.
    pub fn as_git_url(&self) -> &str {
        &self.target
    }

    /// The host, lowercase (`None` for local repositories).
    pub fn host(&self) -> Option<&str> {
        self.host.as_deref()
    }

    /// `owner/repo` (whatever path the host uses, without `.git`).
    pub fn repo_path(&self) -> &str {
        &self.repo_path
    }

    /// True for https://github.com/… — the only place `GITHUB_TOKEN` may be offered.
    pub fn is_github_https(&self) -> bool {
        self.scheme == Scheme::Https && self.host.as_deref() == Some("github.com")
    }

    /// The cache directory of this factory relative to `<cache>/agb/factory/`:
    /// `<host>/<owner>/<repo>.git`, or `local/<name>-<hash>.git` for a local repository (the hash
    /// of its canonical path keeps two repositories with the same name apart).
    pub fn cache_rel_dir(&self) -> PathBuf {
        match &self.host {
            Some(host) => {
                let mut p = PathBuf::from(sanitize_segment(host));
                let segments: Vec<&str> = self.repo_path.split('/').filter(|s| !s.is_empty()).collect();
                for (i, seg) in segments.iter().enumerate() {
                    let seg = sanitize_segment(seg);
                    if i + 1 == segments.len() {
                        p.push(format!("{seg}.git"));
                    } else {
                        p.push(seg);
                    }
                }
                p
            }
            None => {
                let hash = crate::fsutil::sha256_hex(self.target.as_bytes());
                let name = sanitize_segment(&self.repo_path);
                PathBuf::from("local").join(format!("{name}-{}.git", &hash[..16]))
            }
        }
    }

    /// The repository's web home (`https://<host>/<owner>/<repo>`), for https and ssh remotes.
    pub fn web_base(&self) -> Option<String> {
        let host = self.host.as_deref()?;
        if self.scheme == Scheme::Local {
            return None;
        }
        // A port belongs to the git transport (ssh), not to the web UI, except for http(s).
        let host = match self.scheme {
            Scheme::Ssh => host.split('_').next().unwrap_or(host),
            _ => host,
        };
        let host = host.replace('_', ":");
        let scheme = if self.scheme == Scheme::Http { "http" } else { "https" };
        Some(format!("{scheme}://{host}/{}", self.repo_path))
    }

    /// A browsable link to `path` (a file or folder of the repository) on `branch`.
    /// GitLab hosts get their `/-/tree/` form; everything else the GitHub form.
    pub fn browse_url(&self, branch: &str, path: &str) -> Option<String> {
        let base = self.web_base()?;
        let sep =
            if self.host.as_deref().is_some_and(|h| h.contains("gitlab")) { "/-/tree/" } else { "/tree/" };
        Some(format!("{base}{sep}{branch}/{}", path.trim_start_matches('/')))
    }
}

impl fmt::Display for FactoryUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.target)
    }
}

fn trim_repo_path(path: &str) -> String {
    let p = path.trim_matches('/');
    p.strip_suffix(".git").unwrap_or(p).trim_end_matches('/').to_string()
}

/// A path segment safe as a directory name: `[A-Za-z0-9._-]`, anything else `_`, and never `.`/`..`.
fn sanitize_segment(seg: &str) -> String {
    let s: String = seg
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' })
        .collect();
    if s.is_empty() || s.chars().all(|c| c == '.') {
        "_".to_string()
    } else {
        s
    }
}

/// The URL with its user part (`user`, `user:password`, a token) replaced by `***`, for every
/// message that shows a URL (`https://***@host/o/r.git`); anything without `scheme://…@` is
/// returned as it is (`git@host:o/r.git`, a local path). The one redaction of URLs in agb:
/// publish's messages use it too.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let (authority, path) = match rest.split_once('/') {
        Some((authority, path)) => (authority, Some(path)),
        None => (rest, None),
    };
    match (authority.rsplit_once('@'), path) {
        (Some((_, host)), Some(path)) => format!("{scheme}://***@{host}/{path}"),
        (Some((_, host)), None) => format!("{scheme}://***@{host}"),
        (None, _) => url.to_string(),
    }
}

/// `text` (a config file, a parser's message) with the user part of every http(s) URL in it
/// masked by as many `*` as it has bytes: byte offsets stay valid, so a diagnostic can still
/// point into the masked text, and it never shows a token.
pub fn mask_userinfo_in_text(text: &str) -> String {
    let mut out = text.as_bytes().to_vec();
    let lower = text.to_ascii_lowercase();
    for scheme in ["http://", "https://"] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(scheme) {
            let start = from + i + scheme.len();
            let end = text[start..]
                .find(|c: char| c == '/' || c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>'))
                .map_or(text.len(), |j| start + j);
            if let Some(at) = text[start..end].rfind('@') {
                out[start..start + at].fill(b'*');
            }
            from = end;
        }
    }
    String::from_utf8(out).expect("only whole characters (between `://` and `@`) were replaced, by ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> FactoryUrl {
        FactoryUrl::parse(s, Path::new("/")).unwrap()
    }

    #[test]
    fn https_maps_to_host_owner_repo() {
        let u = parse("https://github.com/Org/cloud_iac_factory.git");
        assert_eq!(u.scheme(), Scheme::Https);
        assert_eq!(u.cache_rel_dir(), PathBuf::from("github.com/Org/cloud_iac_factory.git"));
        assert!(u.is_github_https());
        assert_eq!(
            u.browse_url("main", "modules/aws/x").as_deref(),
            Some("https://github.com/Org/cloud_iac_factory/tree/main/modules/aws/x")
        );
    }

    #[test]
    fn ssh_forms() {
        let scp = parse("git@github.com:org/factory.git");
        assert_eq!(scp.scheme(), Scheme::Ssh);
        assert_eq!(scp.cache_rel_dir(), PathBuf::from("github.com/org/factory.git"));
        assert!(!scp.is_github_https());
        assert_eq!(scp.web_base().as_deref(), Some("https://github.com/org/factory"));
        let ssh = parse("ssh://git@gitlab.example.com:2222/team/infra/factory.git");
        assert_eq!(ssh.cache_rel_dir(), PathBuf::from("gitlab.example.com_2222/team/infra/factory.git"));
        assert_eq!(
            ssh.browse_url("main", "modules").as_deref(),
            Some("https://gitlab.example.com/team/infra/factory/-/tree/main/modules")
        );
    }

    #[test]
    fn secrets_in_urls_are_refused_and_redacted() {
        let e = FactoryUrl::parse("https://x:ghp_secret@github.com/o/r.git", Path::new("/")).unwrap_err();
        assert!(!e.to_string().contains("ghp_secret"));
        assert!(matches!(e, UrlError::Secret { .. }));
        // over http(s), a user part alone is a secret too (issue 17, M1)
        for url in
            ["https://alice@host/o/r.git", "http://ghp_tok@host/o/r.git", "http://u%3Aghp_tok@host/o/r"]
        {
            let e = FactoryUrl::parse(url, Path::new("/")).unwrap_err();
            assert!(matches!(e, UrlError::UserInfo { .. }), "{url}");
            assert!(!e.to_string().contains("alice") && !e.to_string().contains("ghp_tok"), "{e}");
        }
        // ssh users are login names
        assert!(FactoryUrl::parse("ssh://git@host/o/r.git", Path::new("/")).is_ok());
        assert!(FactoryUrl::parse("git@host:o/r.git", Path::new("/")).is_ok());
        // an invalid URL is shown redacted
        let e = FactoryUrl::parse("http://ghp_tok@host", Path::new("/")).unwrap_err();
        assert!(matches!(e, UrlError::Invalid { .. }) && !e.to_string().contains("ghp_tok"), "{e}");
    }

    #[test]
    fn redact_replaces_the_user_part_only() {
        assert_eq!(redact("https://alice:s3cret@example.com/o/r.git"), "https://***@example.com/o/r.git");
        assert_eq!(redact("https://tok@example.com"), "https://***@example.com");
        assert_eq!(redact("https://example.com/o/r.git"), "https://example.com/o/r.git");
        assert_eq!(redact("git@github.com:o/r.git"), "git@github.com:o/r.git");
        assert_eq!(redact("/srv/f.git"), "/srv/f.git");
    }

    #[test]
    fn masking_keeps_offsets_and_hides_tokens() {
        let text = "factory:\n  url: HTTP://ghp_x@h/o/r.git\n  brnch: \"https://a:b@h\" git@h:o/r\n";
        let masked = mask_userinfo_in_text(text);
        assert_eq!(masked.len(), text.len());
        assert!(!masked.contains("ghp_x") && !masked.contains("a:b"), "{masked}");
        assert!(masked.contains("HTTP://*****@h/o/r.git") && masked.contains("git@h:o/r"), "{masked}");
    }

    #[test]
    fn local_paths_get_a_hashed_stable_dir() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("my repo.git");
        std::fs::create_dir(&repo).unwrap();
        let a = FactoryUrl::parse(repo.to_str().unwrap(), Path::new("/")).unwrap();
        let b = FactoryUrl::parse(&format!("file://{}", repo.display()), Path::new("/")).unwrap();
        let c = FactoryUrl::parse("my repo.git", dir.path()).unwrap();
        assert_eq!(a.scheme(), Scheme::Local);
        assert_eq!(a.cache_rel_dir(), b.cache_rel_dir());
        assert_eq!(a.cache_rel_dir(), c.cache_rel_dir());
        let rel = a.cache_rel_dir();
        let name = rel.file_name().unwrap().to_str().unwrap();
        assert!(rel.starts_with("local"));
        assert!(name.starts_with("my_repo-") && name.ends_with(".git"), "{name}");
        assert_eq!(a.browse_url("main", "x"), None);
    }

    #[test]
    fn missing_local_path_and_garbage_are_errors() {
        assert!(matches!(
            FactoryUrl::parse("/definitely/not/here", Path::new("/")),
            Err(UrlError::MissingPath { .. })
        ));
        assert!(FactoryUrl::parse("", Path::new("/")).is_err());
        assert!(FactoryUrl::parse("ftp://x/y", Path::new("/")).is_err());
        assert!(FactoryUrl::parse("https://host", Path::new("/")).is_err());
    }

    #[test]
    fn cache_dir_never_escapes() {
        let u = parse("https://host/../../etc/passwd");
        for c in u.cache_rel_dir().components() {
            assert!(matches!(c, std::path::Component::Normal(_)), "{u:?}");
        }
    }

    #[test]
    fn github_repository_shorthand() {
        let u = FactoryUrl::github("org/cloud_iac_factory").unwrap();
        assert_eq!(u.as_git_url(), "https://github.com/org/cloud_iac_factory.git");
        assert!(FactoryUrl::github("just-a-name").is_err());
    }
}
