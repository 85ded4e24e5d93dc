//! Which factory, and how to read it: the location comes from `--factory` >
//! `AGB_FACTORY` > `factory:` in the project's agb.yaml > `factory:` in the user config
//! (`<config dir>/agb/config.yaml`); the settings (branch, paths, TTL) from the first of those
//! config files that has a `factory:` key.
//!
//! `factory:` is either a string (a URL or path) or a mapping with the keys below. Relative paths
//! in a config file are resolved against that file's directory.
//!
//! Not here: reading the rest of agb.yaml (that is `crate::config`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use miette::{NamedSource, SourceSpan};

use super::url::{mask_userinfo_in_text, FactoryUrl, UrlError};
use crate::config::{locate_key, VALID_KEYS};
use crate::suggest::closest;

/// Errors of this module.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ConfigError {
    #[error("no factory configured")]
    #[diagnostic(
        code(agb::factory::config::missing),
        help("pass --factory <URL|PATH>, set AGB_FACTORY, or add `factory:` to {looked}")
    )]
    Missing { looked: String },
    #[error("cannot read {path}")]
    #[diagnostic(code(agb::factory::config::read), help("check that the file exists and is readable"))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid `factory:` in {path}: {message}")]
    #[diagnostic(
        code(agb::factory::config::invalid),
        help("`factory:` is a URL/path string or a mapping with repository, url, branch, catalog_path, modules_path, patterns_path, cache_ttl, forge (github|gitlab|none), timeout (seconds)")
    )]
    Invalid { path: PathBuf, message: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    UnknownKey(Box<UnknownKey>),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Url(#[from] UrlError),
}

/// An unknown key in a config file's `factory:` (or a misspelt `factory:` itself), with its
/// place (boxed in [`ConfigError`]: it carries the file's text).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{}:{line}: unknown key `{key}`", path.display())]
#[diagnostic(code(agb::factory::config::unknown_key))]
pub struct UnknownKey {
    pub path: PathBuf,
    pub key: String,
    pub line: usize,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("{what}")]
    pub span: SourceSpan,
    pub what: &'static str,
    #[help]
    pub advice: String,
}

/// The keys of the `factory:` mapping.
pub const FACTORY_KEYS: [&str; 9] = [
    "repository",
    "url",
    "branch",
    "catalog_path",
    "modules_path",
    "patterns_path",
    "cache_ttl",
    "forge",
    "timeout",
];

/// `factory.forge`: how `agb publish` opens the pull request, when the remote's host does not
/// say it (a self-hosted GitLab, GitHub Enterprise) or to turn it off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Forge {
    /// `gh pr create`.
    #[serde(rename = "github")]
    GitHub,
    /// Merge-request push options.
    #[serde(rename = "gitlab")]
    GitLab,
    /// Only the link.
    None,
}

/// Where the factory location came from (shown by `fetch` and in errors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// `--factory` or `AGB_FACTORY` (clap merges them).
    Flag,
    /// `factory:` in this config file.
    File(PathBuf),
}

/// The resolved, validated factory configuration.
#[derive(Debug, Clone)]
pub struct FactoryConfig {
    pub url: FactoryUrl,
    /// `owner/name` on GitHub (used for links when set).
    pub repository: Option<String>,
    pub branch: String,
    pub catalog_path: String,
    pub modules_path: String,
    pub patterns_path: String,
    pub cache_ttl: Duration,
    /// `forge:` (None: decided from the remote's host).
    pub forge: Option<Forge>,
    /// `timeout:` seconds to connect over http(s) (None: git's `http.connectTimeout` as gix reads
    /// it, else reqwest's 20 s).
    pub timeout: Option<Duration>,
    pub origin: Origin,
}

/// The `factory:` mapping as written (every key optional).
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFactoryConfig {
    pub repository: Option<String>,
    pub url: Option<String>,
    pub branch: Option<String>,
    pub catalog_path: Option<String>,
    pub modules_path: Option<String>,
    pub patterns_path: Option<String>,
    pub cache_ttl: Option<u64>,
    pub forge: Option<Forge>,
    pub timeout: Option<u64>,
}

impl RawFactoryConfig {
    /// Read the value of a `factory:` key (a string or a mapping).
    pub fn from_value(value: &serde_yaml::Value, path: &Path) -> Result<Self, ConfigError> {
        // a parser's message may quote a value, and a value may be a URL with a token
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            message: mask_userinfo_in_text(&message),
        };
        match value {
            serde_yaml::Value::String(s) => {
                Ok(RawFactoryConfig { url: Some(s.clone()), ..Default::default() })
            }
            serde_yaml::Value::Mapping(_) => {
                serde_yaml::from_value(value.clone()).map_err(|e| invalid(e.to_string()))
            }
            serde_yaml::Value::Null => Ok(RawFactoryConfig::default()),
            _ => Err(invalid("expected a string or a mapping".to_string())),
        }
    }
}

/// The `factory:` key of a YAML config file, if the file exists and has one.
///
/// Only this key is read: an error elsewhere in agb.yaml (a bad `resources:` entry) must not
/// stop factory commands, which do not use the rest. What is checked is what would otherwise be
/// silently wrong for the factory: a misspelt `factory:` (which would read as "no factory
/// configured") and unknown keys inside it, each reported with its line.
pub fn read_factory_key(path: &Path) -> Result<Option<RawFactoryConfig>, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(ConfigError::Read { path: path.to_path_buf(), source }),
    };
    parse_factory_key(path, &text)
}

/// [`read_factory_key`] on text already read from `path`.
pub fn parse_factory_key(path: &Path, text: &str) -> Result<Option<RawFactoryConfig>, ConfigError> {
    // Editors on Windows save UTF-8 with a byte-order mark; serde_yaml takes it for the start of
    // a second document ("more than one document").
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| ConfigError::Invalid {
        path: path.to_path_buf(),
        message: mask_userinfo_in_text(&e.to_string()),
    })?;
    let serde_yaml::Value::Mapping(map) = &doc else { return Ok(None) };
    let unknown = |key: &str, span: SourceSpan, what: &'static str, advice: String| {
        let line = text[..span.offset().min(text.len())].matches('\n').count() + 1;
        ConfigError::UnknownKey(Box::new(UnknownKey {
            path: path.to_path_buf(),
            key: key.to_string(),
            line,
            // the snippet shown around the key may hold the `url:` line: never a token in it
            src: NamedSource::new(path.display().to_string(), mask_userinfo_in_text(text)),
            span,
            what,
            advice,
        }))
    };
    let Some(value) = map.get("factory") else {
        // a top-level key that is not agb.yaml's and looks like `factory` is a misspelling that
        // would otherwise read as "no factory configured"
        for key in map.keys().filter_map(serde_yaml::Value::as_str) {
            if !VALID_KEYS.contains(&key) && !closest(key, ["factory"]).is_empty() {
                let span = locate_key(text, 0, text.len(), key, Some(0)).unwrap_or((0, 0));
                return Err(unknown(
                    key,
                    span.into(),
                    "not a key of this file",
                    "did you mean `factory`?".to_string(),
                ));
            }
        }
        return Ok(None);
    };
    if let serde_yaml::Value::Mapping(inner) = value {
        for key in inner.keys() {
            let key = key.as_str().map_or_else(|| format!("{key:?}"), str::to_string);
            if FACTORY_KEYS.contains(&key.as_str()) {
                continue;
            }
            let span = factory_block(text)
                .and_then(|(from, to)| locate_key(text, from, to, &key, None))
                .or_else(|| locate_key(text, 0, text.len(), "factory", Some(0)))
                .unwrap_or((0, 0));
            let mut advice = format!("valid keys under `factory:`: {}", FACTORY_KEYS.join(", "));
            if let Some(best) = closest(&key, FACTORY_KEYS).first() {
                advice = format!("did you mean `{best}`? {advice}");
            }
            return Err(unknown(&key, span.into(), "not a key of `factory:`", advice));
        }
    }
    RawFactoryConfig::from_value(value, path).map(Some)
}

/// Byte range of the lines after the top-level `factory:` key up to the next top-level line.
fn factory_block(text: &str) -> Option<(usize, usize)> {
    let (key_at, _) = locate_key(text, 0, text.len(), "factory", Some(0))?;
    let from = text[key_at..].find('\n').map_or(text.len(), |i| key_at + i + 1);
    let mut pos = from;
    for line in text[from..].split_inclusive('\n') {
        let starts_top_level = line.chars().next().is_some_and(|c| !c.is_whitespace() && c != '#');
        if starts_top_level {
            break;
        }
        pos += line.len();
    }
    Some((from, pos))
}

/// The user config file: `<config dir>/agb/config.yaml` (XDG on Linux).
pub fn user_config_path() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|d| d.config_dir().join("agb").join("config.yaml"))
}

/// Resolve the factory configuration.
/// - `flag`: `--factory` (or `AGB_FACTORY`), resolved against `cwd` when a relative path;
/// - `project`: the project's agb.yaml path (may not exist);
/// - `user`: the user config path (may not exist).
pub fn resolve(
    flag: Option<&str>,
    cwd: &Path,
    project: Option<&Path>,
    user: Option<&Path>,
) -> Result<FactoryConfig, ConfigError> {
    let mut from_file: Option<(PathBuf, RawFactoryConfig)> = None;
    for path in [project, user].into_iter().flatten() {
        if let Some(raw) = read_factory_key(path)? {
            from_file = Some((path.to_path_buf(), raw));
            break;
        }
    }
    let raw = from_file.as_ref().map(|(_, r)| r.clone()).unwrap_or_default();
    let file = from_file.as_ref().map(|(p, _)| p.clone());
    let file_dir =
        file.as_ref().and_then(|p| p.parent()).map(Path::to_path_buf).unwrap_or_else(|| cwd.into());

    let (url, origin) = match flag.filter(|f| !f.trim().is_empty()) {
        Some(f) => (FactoryUrl::parse(f, cwd)?, Origin::Flag),
        None => {
            let origin = Origin::File(file.clone().unwrap_or_default());
            match (&raw.url, &raw.repository) {
                (Some(u), _) => (FactoryUrl::parse(u, &file_dir)?, origin),
                (None, Some(r)) => (FactoryUrl::github(r)?, origin),
                (None, None) => {
                    let looked: Vec<String> =
                        [project, user].into_iter().flatten().map(|p| p.display().to_string()).collect();
                    return Err(ConfigError::Missing { looked: looked.join(" or ") });
                }
            }
        }
    };
    let invalid = |message: String| ConfigError::Invalid { path: file.clone().unwrap_or_default(), message };
    let repo_rel = |key: &str, v: Option<&String>, default: &str| -> Result<String, ConfigError> {
        let v = v.map(String::as_str).unwrap_or(default).trim_matches('/').to_string();
        let ok = !v.is_empty() && v.split('/').all(|s| !s.is_empty() && s != "." && s != "..");
        if ok {
            Ok(v)
        } else {
            Err(invalid(format!("{key}: {v:?} is not a relative path inside the repository")))
        }
    };
    let branch = raw.branch.clone().unwrap_or_else(|| "main".to_string());
    if branch.is_empty()
        || branch.starts_with('-')
        || branch.contains("..")
        || branch.contains(char::is_whitespace)
    {
        return Err(invalid(format!("branch: {branch:?} is not a branch name")));
    }
    if let Some(r) = &raw.repository {
        if r.split('/').count() != 2 || r.split('/').any(str::is_empty) {
            return Err(invalid(format!("repository: {r:?} is not owner/name")));
        }
    }
    Ok(FactoryConfig {
        catalog_path: repo_rel("catalog_path", raw.catalog_path.as_ref(), "catalog.json")?,
        modules_path: repo_rel("modules_path", raw.modules_path.as_ref(), "modules")?,
        patterns_path: repo_rel("patterns_path", raw.patterns_path.as_ref(), "patterns")?,
        cache_ttl: Duration::from_secs(raw.cache_ttl.unwrap_or(300)),
        repository: raw.repository.clone(),
        forge: raw.forge,
        timeout: raw.timeout.filter(|t| *t > 0).map(Duration::from_secs),
        branch,
        url,
        origin,
    })
}

impl FactoryConfig {
    /// A browsable link to a repository path on the configured branch: from `repository:`
    /// (GitHub) when set, else from the URL's host; `None` for a local repository.
    pub fn browse_url(&self, path: &str) -> Option<String> {
        match &self.repository {
            Some(r) => {
                Some(format!("https://github.com/{r}/tree/{}/{}", self.branch, path.trim_start_matches('/')))
            }
            None => self.url.browse_url(&self.branch, path),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_flag_over_project_over_user() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("agb.yaml");
        let user = dir.path().join("user.yaml");
        std::fs::write(&user, "factory:\n  url: https://u.example/o/user.git\n  branch: dev\n").unwrap();
        let c = resolve(None, dir.path(), Some(&project), Some(&user)).unwrap();
        assert_eq!(c.url.as_git_url(), "https://u.example/o/user.git");
        assert_eq!(c.branch, "dev");
        std::fs::write(&project, "other: 1\nfactory: https://p.example/o/proj.git\n").unwrap();
        let c = resolve(None, dir.path(), Some(&project), Some(&user)).unwrap();
        assert_eq!(c.url.as_git_url(), "https://p.example/o/proj.git");
        assert_eq!(c.branch, "main");
        assert_eq!(c.cache_ttl, Duration::from_secs(300));
        let c = resolve(Some("git@h:o/flag.git"), dir.path(), Some(&project), Some(&user)).unwrap();
        assert_eq!(c.url.as_git_url(), "git@h:o/flag.git");
        assert_eq!(c.origin, Origin::Flag);
    }

    #[test]
    fn repository_gives_the_github_default() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("agb.yaml");
        std::fs::write(&project, "factory:\n  repository: org/cloud_iac_factory\n  cache_ttl: 0\n").unwrap();
        let c = resolve(None, dir.path(), Some(&project), None).unwrap();
        assert_eq!(c.url.as_git_url(), "https://github.com/org/cloud_iac_factory.git");
        assert_eq!(c.cache_ttl, Duration::ZERO);
        assert_eq!(
            c.browse_url("modules/a/b/c/v1.0.0").as_deref(),
            Some("https://github.com/org/cloud_iac_factory/tree/main/modules/a/b/c/v1.0.0")
        );
    }

    #[test]
    fn relative_paths_resolve_against_the_config_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("sub/f.git")).unwrap();
        let project = dir.path().join("sub/agb.yaml");
        std::fs::write(&project, "factory:\n  url: f.git\n").unwrap();
        let c = resolve(None, Path::new("/"), Some(&project), None).unwrap();
        assert!(c.url.as_git_url().ends_with("sub/f.git"));
    }

    #[test]
    fn missing_and_invalid_configs_are_clear_errors() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("agb.yaml");
        let e = resolve(None, dir.path(), Some(&project), None).unwrap_err();
        assert!(matches!(e, ConfigError::Missing { .. }));
        std::fs::write(&project, "factory:\n  url: https://h/o/r.git\n  brnch: x\n").unwrap();
        assert!(matches!(
            resolve(None, dir.path(), Some(&project), None),
            Err(ConfigError::UnknownKey(e)) if e.line == 3
        ));
        std::fs::write(&project, "factory:\n  url: https://h/o/r.git\n  modules_path: ../x\n").unwrap();
        assert!(matches!(resolve(None, dir.path(), Some(&project), None), Err(ConfigError::Invalid { .. })));
    }
}
