//! `agb factory compare`'s answer for a local directory: its files and metadata, the version
//! it is compared with (named, or the metadata's module at its latest version), the comparison
//! and the version to publish next.
//!
//! Not here: the file comparison itself (see `files`), printing.

use std::path::Path;

use semver::Version;

use super::{compare_with_policy, CompareError, Comparison, PublishedFile, Status};
use crate::factory::bump::{Bump, BumpError, Policy, POLICY_FILE};
use crate::factory::local_module::{self, FileContent, ModuleMetadata, METADATA_FILE};
use crate::factory::{Factory, ModulePath, ModuleSpec, Resolution};

/// Read the local module: exactly the files `agb publish` would publish (see
/// [`local_module::select`]), sorted by path, so "same" means "publishing this would change
/// nothing".
pub fn read_local_dir(dir: &Path) -> Result<Vec<FileContent>, CompareError> {
    if !dir.is_dir() {
        return Err(CompareError::NotADirectory { path: dir.to_path_buf() });
    }
    Ok(local_module::read(dir)?)
}

/// The module path and version a local MODULE_METADATA.yaml declares:
/// (`provider/category/name`, version text).
pub fn local_metadata(
    files: &[FileContent],
    dir: &Path,
) -> Result<Option<(String, Option<String>)>, CompareError> {
    let Some(meta) = files.iter().find(|f| f.path == METADATA_FILE) else { return Ok(None) };
    let err = |detail: String| CompareError::Metadata { path: dir.join(METADATA_FILE), detail };
    let meta = ModuleMetadata::parse(&meta.bytes).map_err(|e| err(e.to_string()))?;
    let module =
        meta.module_path().ok_or_else(|| err("`module:` lacks provider, category or name".to_string()))?;
    Ok(Some((module, meta.version)))
}
/// Everything `agb factory compare` reports about a local module directory.
#[derive(Debug, Clone)]
pub struct Report {
    /// `provider/category/name` compared with.
    pub module: String,
    /// `module.version` of the local MODULE_METADATA.yaml, as written.
    pub local_version: Option<String>,
    /// The published version compared with (None: the module is new).
    pub factory_version: Option<Version>,
    pub latest: Option<Version>,
    pub comparison: Comparison,
    /// What to publish next (None when nothing changed). For a new module: the local version, or
    /// 1.0.0.
    pub suggested_version: Option<Version>,
    /// For a new module: the closest existing module paths (a typo looks like a new module).
    pub closest_modules: Vec<String>,
    /// The policy file the bump levels came from (None: the defaults).
    pub policy_origin: Option<String>,
    /// Compared with another local directory (`--against`), as the user named it; then
    /// `factory_version` is that directory's MODULE_METADATA.yaml version.
    pub against: Option<String>,
}

/// The factory's bump policy: `.agb/bump-policy.yaml` at the tip, or the defaults without one.
pub fn factory_policy(factory: &Factory) -> Result<Policy, CompareError> {
    match factory.bump_policy_bytes()? {
        None => Ok(Policy::default()),
        Some(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            Policy::parse(&text, POLICY_FILE).map_err(CompareError::Policy)
        }
    }
}

/// Compare `dir` with a version in the factory: `spec` names it, else the local
/// MODULE_METADATA.yaml's module at the latest version. Also what `publish` can use to check a
/// chosen version against the suggested bump.
/// `local_label` is how the user named the directory (used to name a local `.tf` file in an error).
pub fn compare_with_factory(
    factory: &Factory,
    dir: &Path,
    local_label: &str,
    spec: Option<&ModuleSpec>,
    want_diff: bool,
) -> Result<Report, CompareError> {
    let local = read_local_dir(dir)?;
    let metadata = local_metadata(&local, dir)?;
    let local_version = metadata.as_ref().and_then(|(_, v)| v.clone());
    let spec = match spec {
        Some(s) => s.clone(),
        None => spec_from_metadata(metadata.as_ref().map(|(m, _)| m.as_str()), dir)?,
    };
    let Published { module, version: factory_version, latest, files: published, closest_modules } =
        resolve_published(factory, &spec)?;
    let hash_kind = factory.repo().object_hash();
    let published_label = match &factory_version {
        Some(v) => format!("{module}@{v}"),
        None => module.clone(),
    };
    let policy = factory_policy(factory)?;
    let comparison = compare_with_policy(
        &local,
        published.as_deref(),
        hash_kind,
        |oid| factory.read_blob(oid),
        want_diff,
        &policy,
    )
    .map_err(|e| name_hcl_error(e, &local, local_label, &format!("{published_label}:")))?;
    let suggested_version = match comparison.status {
        Status::New => Some(
            local_version
                .as_deref()
                .and_then(|v| Version::parse(v).ok())
                .unwrap_or_else(|| Version::new(1, 0, 0)),
        ),
        _ => suggested_version(comparison.suggestion.bump, factory_version.as_ref(), latest.as_ref()),
    };
    Ok(Report {
        module,
        local_version,
        factory_version,
        latest,
        comparison,
        suggested_version,
        closest_modules,
        policy_origin: policy.origin,
        against: None,
    })
}

/// Compare `dir` with another local directory `base` (an earlier copy of the module, a
/// checkout of its last release) under `policy`, without a factory: `base` plays the published
/// version. The module is named by either MODULE_METADATA.yaml, else by `dir`'s name; the
/// suggested version is the bump over `base`'s metadata version.
pub fn compare_dirs(
    dir: &Path,
    local_label: &str,
    base: &Path,
    base_label: &str,
    policy: &Policy,
    want_diff: bool,
) -> Result<Report, CompareError> {
    let local = read_local_dir(dir)?;
    let old = read_local_dir(base)?;
    let (meta, base_meta) = (local_metadata(&local, dir)?, local_metadata(&old, base)?);
    // Blob ids of the base side, as a tree would hold them (the hash kind does not matter
    // between two directories: both sides are hashed alike).
    let kind = gix::hash::Kind::Sha1;
    let mut blobs = std::collections::BTreeMap::new();
    let mut published = Vec::with_capacity(old.len());
    for f in &old {
        let oid = super::blob_id(kind, &f.path, &f.bytes)?;
        published.push(PublishedFile {
            path: f.path.clone(),
            oid,
            symlink: f.symlink,
            executable: f.executable,
        });
        blobs.insert(oid, f.bytes.clone());
    }
    let read = |oid| blobs.get(&oid).cloned().ok_or(MissingBlob);
    let comparison =
        compare_with_policy(&local, Some(&published), kind, read, want_diff, policy).map_err(|e| {
            name_hcl_error(e, &local, local_label, &format!("{}/", base_label.trim_end_matches('/')))
        })?;
    let base_version =
        base_meta.as_ref().and_then(|(_, v)| v.as_deref()).and_then(|v| Version::parse(v).ok());
    let local_version = meta.as_ref().and_then(|(_, v)| v.clone());
    let module = meta.or(base_meta).map(|(m, _)| m).unwrap_or_else(|| local_label.to_string());
    Ok(Report {
        module,
        local_version,
        suggested_version: suggested_version(comparison.suggestion.bump, base_version.as_ref(), None),
        factory_version: base_version,
        latest: None,
        comparison,
        closest_modules: Vec::new(),
        policy_origin: policy.origin.clone(),
        against: Some(base_label.to_string()),
    })
}

/// Never returned: every blob of the base directory is in memory.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("a blob of the base directory is missing (a bug in agb)")]
struct MissingBlob;

/// The module the local MODULE_METADATA.yaml names, at its latest version. Not
/// `ModuleSpec::parse`: the path comes from a file, so an `@` in it is no version, and a bad path
/// is the file's fault (exit 1, naming it), not a usage error.
fn spec_from_metadata(module: Option<&str>, dir: &Path) -> Result<ModuleSpec, CompareError> {
    let path = dir.join(METADATA_FILE);
    let Some(module) = module else {
        return Err(CompareError::Metadata { path, detail: "the file does not exist".to_string() });
    };
    let module = ModulePath::new(module)
        .map_err(|e| CompareError::Metadata { path, detail: format!("`module:` gives {module:?}: {e}") })?;
    Ok(ModuleSpec { module, version: None })
}

/// The published side of a comparison (`files` None: the module is new).
struct Published {
    module: String,
    version: Option<Version>,
    latest: Option<Version>,
    files: Option<Vec<PublishedFile>>,
    /// For a new module: the closest existing module paths.
    closest_modules: Vec<String>,
}

/// The version `spec` names in the factory; a module that does not exist is new, unless a
/// version of it was asked for.
fn resolve_published(factory: &Factory, spec: &ModuleSpec) -> Result<Published, CompareError> {
    match factory.resolve(spec)? {
        Resolution::Found { module, version, latest, .. } => {
            let files = factory.version_files(&module, &version)?.unwrap_or_default();
            let published: Vec<PublishedFile> = files
                .into_iter()
                .map(|e| PublishedFile {
                    path: e.path,
                    oid: e.oid,
                    symlink: e.symlink,
                    executable: e.executable,
                })
                .collect();
            Ok(Published {
                module: module.as_str().to_string(),
                version: Some(version),
                latest: Some(latest),
                files: Some(published),
                closest_modules: Vec::new(),
            })
        }
        Resolution::NoSuchVersion { module, wanted, closest, .. } => {
            let closest: Vec<String> = closest.iter().map(|v| format!("{module}@{v}")).collect();
            Err(CompareError::NoSuchVersion {
                module: module.as_str().to_string(),
                wanted: wanted.to_string(),
                closest: closest.join(", "),
            })
        }
        // A version asked of a module that does not exist is a miss, not a new module.
        Resolution::NoSuchModule { module, closest } if spec.version.is_some() => {
            let advice = match closest.first() {
                Some(best) => format!("did you mean `{best}`? (`agb factory catalog` lists the modules)"),
                None => {
                    "`agb factory catalog` lists the modules; drop the @VERSION to compare as a new module"
                        .to_string()
                }
            };
            Err(CompareError::NoSuchModule {
                module: module.as_str().to_string(),
                wanted: spec.version.as_ref().map(ToString::to_string).unwrap_or_default(),
                advice,
            })
        }
        Resolution::NoSuchModule { module, closest } => Ok(Published {
            module: module.as_str().to_string(),
            version: None,
            latest: None,
            files: None,
            closest_modules: closest,
        }),
    }
}

/// Name the file of an HCL error the way the user finds it: `<local dir>/main.tf` for a local
/// file, `<module>@<version>:main.tf` for a published one (`published_prefix` is what comes
/// before the file name).
fn name_hcl_error(
    e: CompareError,
    local: &[FileContent],
    local_label: &str,
    published_prefix: &str,
) -> CompareError {
    let CompareError::Bump(BumpError::InvalidHcl(mut err)) = e else { return e };
    let text = err.src.inner().clone();
    let is_local = local.iter().any(|f| f.path == err.file && f.bytes == text.as_bytes());
    let name = if is_local {
        format!("{}/{}", local_label.trim_end_matches('/'), err.file)
    } else {
        format!("{published_prefix}{}", err.file)
    };
    err.src = miette::NamedSource::new(&name, text);
    err.file = name;
    CompareError::Bump(BumpError::InvalidHcl(err))
}

/// The version to publish: the bump applied to the compared version, or to the latest when that
/// would not be above it (publish requires a version greater than the latest). None for no bump.
pub fn suggested_version(
    bump: Bump,
    compared: Option<&Version>,
    latest: Option<&Version>,
) -> Option<Version> {
    if bump == Bump::None {
        return None;
    }
    let base = compared.or(latest)?;
    let candidate = bump.apply(base);
    match latest {
        Some(l) if candidate <= *l => Some(bump.apply(l)),
        _ => Some(candidate),
    }
}
