//! The publish request from the command line, with fewer flags: `--module` and `--version`
//! default to what the local MODULE_METADATA.yaml says, and `--version auto` asks for compare's
//! suggested version (resolved later, against the fetched factory, by `run::publish`).
//!
//! Not here: checking the version against the factory (see `plan`).

use std::path::PathBuf;

use super::{naming, PublishError, Request};
use crate::factory::local_module::{ModuleMetadata, METADATA_FILE};
use crate::factory::ModulePath;

/// What `--version` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionArg {
    Exact(semver::Version),
    /// `auto`: compare's suggested version.
    Auto,
}

impl VersionArg {
    pub fn parse(s: &str) -> Result<VersionArg, PublishError> {
        if s.trim().eq_ignore_ascii_case("auto") {
            Ok(VersionArg::Auto)
        } else {
            naming::parse_version(s.trim()).map(VersionArg::Exact)
        }
    }
}

/// The raw arguments of a publish.
#[derive(Debug, Clone)]
pub struct Args<'a> {
    /// `--module`; `None`: MODULE_METADATA.yaml's provider/category/name.
    pub module: Option<&'a str>,
    /// `--version`; `None`: MODULE_METADATA.yaml's `module.version`.
    pub version: Option<&'a str>,
    pub local_dir: PathBuf,
    pub description: Option<String>,
    pub allow_older: bool,
    pub include: Vec<String>,
}

/// Validate the raw arguments into a [`Request`], filling `--module`/`--version` from the local
/// MODULE_METADATA.yaml when they are not given.
pub fn request(args: Args<'_>) -> Result<Request, PublishError> {
    let metadata =
        if args.module.is_none() || args.version.is_none() { read_metadata(&args.local_dir)? } else { None };
    let missing = |what: &'static str| PublishError::NotGiven {
        what,
        path: args.local_dir.join(METADATA_FILE),
        detail: String::new(),
    };
    let module = match args.module {
        Some(m) => ModulePath::new(m)?,
        None => {
            let path =
                metadata.as_ref().and_then(ModuleMetadata::module_path).ok_or_else(|| missing("module"))?;
            ModulePath::new(&path)?
        }
    };
    let version = match args.version {
        Some(v) => VersionArg::parse(v)?,
        None => {
            let v = metadata.as_ref().and_then(|m| m.version.clone()).ok_or_else(|| missing("version"))?;
            VersionArg::Exact(naming::parse_version(&v)?)
        }
    };
    let (version, auto_version) = match version {
        VersionArg::Exact(v) => (v, false),
        VersionArg::Auto => (semver::Version::new(0, 0, 0), true),
    };
    Ok(Request {
        module,
        version,
        auto_version,
        local_dir: args.local_dir,
        description: args.description.filter(|d| !d.trim().is_empty()),
        allow_older: args.allow_older,
        include: args.include,
    })
}

/// The local MODULE_METADATA.yaml, when there is one; one that does not parse is an error
/// (it would be published as it is).
fn read_metadata(dir: &std::path::Path) -> Result<Option<ModuleMetadata>, PublishError> {
    let path = dir.join(METADATA_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => ModuleMetadata::parse(&bytes).map(Some).map_err(|e| PublishError::NotGiven {
            what: "module",
            path: path.clone(),
            detail: format!(" ({e})"),
        }),
        Err(_) => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir_with(meta: Option<&str>) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        if let Some(m) = meta {
            std::fs::write(d.path().join(METADATA_FILE), m).unwrap();
        }
        d
    }

    fn args(
        dir: &tempfile::TempDir,
        module: Option<&'static str>,
        version: Option<&'static str>,
    ) -> Args<'static> {
        Args {
            module,
            version,
            local_dir: dir.path().to_path_buf(),
            description: None,
            allow_older: false,
            include: vec![],
        }
    }

    #[test]
    fn module_and_version_default_from_metadata() {
        let d =
            dir_with(Some("module:\n  provider: aws\n  category: net\n  name: vpc\n  version: \"1.2.0\"\n"));
        let r = request(args(&d, None, None)).unwrap();
        assert_eq!(r.module.as_str(), "aws/net/vpc");
        assert_eq!(r.version, semver::Version::new(1, 2, 0));
        assert!(!r.auto_version);
        // flags win
        let r = request(args(&d, Some("gcp/a/b"), Some("v2.0.0"))).unwrap();
        assert_eq!((r.module.as_str(), r.version.to_string().as_str()), ("gcp/a/b", "2.0.0"));
        let r = request(args(&d, None, Some("auto"))).unwrap();
        assert!(r.auto_version);
    }

    #[test]
    fn missing_module_or_version_is_a_usage_error() {
        let none = dir_with(None);
        assert!(matches!(
            request(args(&none, None, Some("1.0.0"))),
            Err(PublishError::NotGiven { what: "module", .. })
        ));
        let no_version = dir_with(Some("module:\n  provider: aws\n  category: net\n  name: vpc\n"));
        assert!(matches!(
            request(args(&no_version, None, None)),
            Err(PublishError::NotGiven { what: "version", .. })
        ));
        assert!(matches!(
            request(args(&no_version, None, Some("1.x"))),
            Err(PublishError::InvalidVersion { .. })
        ));
    }
}
