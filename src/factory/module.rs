//! Module names and specs: [`ModulePath`] (`<provider>/<category>/<name>`, validated once),
//! [`ModuleSpec`] (`MODULE[@VERSION]` as typed by a user) and the `v<version>` folder names of
//! the factory tree. Pure: no repository access (that is `cache.rs`/`catalog.rs`).

use std::fmt;
use std::str::FromStr;

use semver::Version;

/// Errors of this module.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ModuleError {
    #[error("invalid module path {path:?}")]
    #[diagnostic(
        code(agb::factory::usage::module_path),
        help("a module path is <provider>/<category>/<name>, each segment [a-z0-9][a-z0-9_-]* (e.g. aws/networking/vpc)")
    )]
    InvalidPath { path: String },
    #[error("invalid version {version:?}")]
    #[diagnostic(
        code(agb::factory::usage::version),
        help("versions are semver: MAJOR.MINOR.PATCH, e.g. 1.2.0 (a leading `v` is accepted)")
    )]
    InvalidVersion { version: String },
}

/// `<provider>/<category>/<name>`, each segment `[a-z0-9][a-z0-9_-]*` (SPEC §2.2).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct ModulePath(String);

fn valid_segment(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

impl ModulePath {
    pub fn new(s: &str) -> Result<Self, ModuleError> {
        let parts: Vec<&str> = s.split('/').collect();
        if parts.len() == 3 && parts.iter().all(|p| valid_segment(p)) {
            Ok(ModulePath(s.to_string()))
        } else {
            Err(ModuleError::InvalidPath { path: s.to_string() })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn part(&self, i: usize) -> &str {
        self.0.split('/').nth(i).expect("a ModulePath has exactly three segments")
    }

    pub fn provider(&self) -> &str {
        self.part(0)
    }

    pub fn category(&self) -> &str {
        self.part(1)
    }

    pub fn name(&self) -> &str {
        self.part(2)
    }

    /// The module's folder in the repository: `<modules_path>/<path>`.
    pub fn dir_in(&self, modules_path: &str) -> String {
        format!("{modules_path}/{}", self.0)
    }

    /// A version's folder: `<modules_path>/<path>/v<version>`.
    pub fn version_dir_in(&self, modules_path: &str, version: &Version) -> String {
        format!("{modules_path}/{}/{}", self.0, version_dir_name(version))
    }
}

impl fmt::Display for ModulePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for ModulePath {
    type Err = ModuleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ModulePath::new(s)
    }
}

/// `vpc` or `networking/vpc`: the end of a module path as people type it, which names no module
/// by itself (the lookup suggests the modules it may mean, never picks one).
pub fn is_partial_path(s: &str) -> bool {
    let parts: Vec<&str> = s.split('/').collect();
    (1..=2).contains(&parts.len()) && parts.iter().all(|p| valid_segment(p))
}

/// Parse a version as users and folders write it: `1.2.0` or `v1.2.0`.
pub fn parse_version(s: &str) -> Result<Version, ModuleError> {
    let t = s.trim();
    let t = t.strip_prefix('v').unwrap_or(t);
    Version::parse(t).map_err(|_| ModuleError::InvalidVersion { version: s.to_string() })
}

/// The folder name of a version: `v<version>`.
pub fn version_dir_name(v: &Version) -> String {
    format!("v{v}")
}

/// The version a folder name stands for (`v1.2.0` → 1.2.0); `None` for anything else.
pub fn version_from_dir_name(name: &str) -> Option<Version> {
    Version::parse(name.strip_prefix('v')?).ok()
}

/// `MODULE[@VERSION]` as given on the command line; `@latest` means what no version means (people
/// type it, as for npm and go).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleSpec {
    pub module: ModulePath,
    /// `None`: the latest version.
    pub version: Option<Version>,
}

impl ModuleSpec {
    pub fn parse(s: &str) -> Result<Self, ModuleError> {
        let (m, v) = match s.split_once('@') {
            Some((m, v)) => (m, Some(v)),
            None => (s, None),
        };
        Ok(ModuleSpec {
            module: ModulePath::new(m.trim_matches('/'))?,
            version: v.filter(|v| !v.trim().eq_ignore_ascii_case("latest")).map(parse_version).transpose()?,
        })
    }
}

impl FromStr for ModuleSpec {
    type Err = ModuleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ModuleSpec::parse(s)
    }
}

impl fmt::Display for ModuleSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.version {
            Some(v) => write!(f, "{}@{v}", self.module),
            None => write!(f, "{}", self.module),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths_follow_the_spec() {
        for ok in ["aws/networking/vpc", "gcp/data/big-query_1", "a/b/c", "0/1/2"] {
            assert!(ModulePath::new(ok).is_ok(), "{ok}");
        }
        for bad in ["aws/vpc", "a/b/c/d", "AWS/n/v", "a/b/-c", "a//c", "a/b/c/", "../b/c", "a/b/c d", ""] {
            assert!(ModulePath::new(bad).is_err(), "{bad}");
        }
        let m = ModulePath::new("aws/networking/vpc").unwrap();
        assert_eq!((m.provider(), m.category(), m.name()), ("aws", "networking", "vpc"));
        assert_eq!(m.version_dir_in("modules", &Version::new(1, 2, 0)), "modules/aws/networking/vpc/v1.2.0");
    }

    #[test]
    fn specs_parse_with_and_without_version() {
        let s = ModuleSpec::parse("aws/networking/vpc@v1.2.0").unwrap();
        assert_eq!(s.version, Some(Version::new(1, 2, 0)));
        assert_eq!(s.to_string(), "aws/networking/vpc@1.2.0");
        assert_eq!(ModuleSpec::parse("aws/networking/vpc").unwrap().version, None);
        assert_eq!(ModuleSpec::parse("aws/networking/vpc@latest").unwrap().version, None);
        assert!(ModuleSpec::parse("aws/networking/vpc@newest").is_err());
        assert!(ModuleSpec::parse("aws/networking@1.0.0").is_err());
    }

    #[test]
    fn partial_paths_are_one_or_two_segments() {
        assert!(is_partial_path("vpc") && is_partial_path("networking/vpc"));
        assert!(!is_partial_path("aws/networking/vpc") && !is_partial_path("") && !is_partial_path("VPC"));
    }

    #[test]
    fn version_dirs() {
        assert_eq!(version_from_dir_name("v1.10.0"), Some(Version::new(1, 10, 0)));
        assert_eq!(version_from_dir_name("1.0.0"), None);
        assert_eq!(version_from_dir_name("vnext"), None);
        // semver order, not string order
        assert!(version_from_dir_name("v1.10.0") > version_from_dir_name("v1.9.0"));
    }
}
