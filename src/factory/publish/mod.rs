//! `agb publish` (SPEC §2.5): a new module version becomes a branch with one commit, built in the
//! bare cache without a work tree, pushed with the system `git`, and a pull-request link.
//!
//! The flow, plan then apply:
//! 1. [`plan`] (reads the base tree and the local directory, writes nothing): validates the
//!    version against the tree and the catalog, chooses the files, edits MODULE_METADATA.yaml and
//!    catalog.json as text, generates a CHANGELOG.md when the module has none;
//! 2. [`tree::write_commit`] writes blobs, trees and the commit (in memory for `--dry-run`);
//! 3. [`push::Git`] checks the remote (`ls-remote`) before anything is written and pushes with a
//!    must-not-exist lease.
//!
//! [`run::publish`] is the whole command as one call (fetch, plan, check, write, push, link); the
//! CLI only prints its outcome.
//!
//! Decisions where the spec is silent are in `docs/publish.md`.
//!
//! Not here: the cache (clone/fetch, see `factory::cache`), printing (see `cli::publish`).

use std::collections::BTreeSet;
use std::path::PathBuf;

use gix::ObjectId;

pub mod bump_check;
pub mod catalog_edit;
mod error;
pub mod forge;
pub mod metadata_edit;
pub mod naming;
pub mod push;
mod request;
pub mod run;
pub mod tree;
pub mod update;

use crate::factory::local_module::{self, FileKind, ModuleMetadata, SelectedFile, Skipped};
use crate::factory::ModulePath;
use tree::{Content, TreeEntry};

pub use error::{MetadataError, PublishError};
pub use request::{request, Args as RequestArgs, VersionArg};

/// What the user asked for, validated.
#[derive(Debug, Clone)]
pub struct Request {
    pub module: ModulePath,
    pub version: semver::Version,
    /// `--version auto`: [`run::publish`] replaces `version` with compare's suggested version
    /// before planning (until then it holds the metadata's version, or 0.0.0).
    pub auto_version: bool,
    pub local_dir: PathBuf,
    pub description: Option<String>,
    pub allow_older: bool,
    pub include: Vec<String>,
}

/// The repository layout of the factory (from its config).
#[derive(Debug, Clone)]
pub struct Layout {
    /// The branch pull requests target (`main`).
    pub branch: String,
    pub catalog_path: String,
    pub modules_path: String,
}

/// One changed path of the new tree, for `--dry-run` and the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub path: String,
    /// `A` added, `M` modified.
    pub status: char,
    pub origin: ChangeOrigin,
}

/// Why a path is in the commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeOrigin {
    /// Copied from the local directory.
    Local,
    /// The local MODULE_METADATA.yaml with `module.version` set, or a generated one.
    Metadata,
    /// Generated because the module has no CHANGELOG.md.
    Changelog,
    /// catalog.json with the new version.
    Catalog,
}

/// Everything a publish will write, computed without writing anything.
#[derive(Debug, Clone)]
pub struct Plan {
    pub module: ModulePath,
    pub version: semver::Version,
    /// The commit of the factory branch the new commit goes on.
    pub base: ObjectId,
    pub base_branch: String,
    pub branch: String,
    pub message: String,
    pub entries: Vec<TreeEntry>,
    pub changes: Vec<Change>,
    pub skipped: Vec<Skipped>,
    /// catalog.json before and after (for `--dry-run`'s diff).
    pub catalog_path: String,
    pub catalog_before: String,
    pub catalog_after: String,
    /// The latest published version before this one.
    pub previous_latest: Option<semver::Version>,
    /// `--description`, else the metadata's `module.description` (for the catalog and the PR).
    pub description: Option<String>,
    /// Warnings for the user (metadata that disagrees with --module, …).
    pub warnings: Vec<PublishWarning>,
}

/// Something a plan notices that the user should see but that does not stop the publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublishWarning {
    /// The local MODULE_METADATA.yaml names another module than `--module`.
    MetadataDisagrees { key: &'static str, got: String, want: String },
    /// The module's CHANGELOG.md has no line about the new version.
    ChangelogWithoutVersion { version: semver::Version },
    /// The local directory has no MODULE_METADATA.yaml: a minimal one is generated.
    MetadataGenerated { dir: PathBuf },
}

impl std::fmt::Display for PublishWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PublishWarning::MetadataDisagrees { key, got, want } => {
                write!(f, "MODULE_METADATA.yaml says module.{key}: {got}, but --module says {want}")
            }
            PublishWarning::ChangelogWithoutVersion { version } => {
                write!(f, "CHANGELOG.md does not mention {version}")
            }
            PublishWarning::MetadataGenerated { dir } => {
                write!(f, "{} has no MODULE_METADATA.yaml: a minimal one is generated", dir.display())
            }
        }
    }
}

/// Versions of `module` on the base commit: the `v*` folders of the tree (the truth) and the
/// catalog's list, together.
pub fn published_versions(
    repo: &gix::Repository,
    tree: &gix::Tree<'_>,
    module_dir: &str,
    catalog: Option<&serde_json::Value>,
    module: &str,
) -> Result<BTreeSet<semver::Version>, PublishError> {
    let git = |what: &'static str| move |e: gix::Error| PublishError::Git { what, message: format!("{e:#}") };
    let mut out = BTreeSet::new();
    if let Some(entry) = tree.lookup_entry_by_path(module_dir).map_err(git("reading the module folder"))? {
        if entry.mode().is_tree() {
            let sub = repo.find_tree(entry.object_id()).map_err(git("reading the module folder"))?;
            for e in sub.iter() {
                let e = e.map_err(|e| PublishError::Git {
                    what: "reading the module folder",
                    message: e.to_string(),
                })?;
                let name = e.filename().to_string();
                if let Some(v) = name.strip_prefix('v').and_then(|v| semver::Version::parse(v).ok()) {
                    out.insert(v);
                }
            }
        }
    }
    let listed = catalog
        .and_then(|c| c.get("modules"))
        .and_then(|m| m.get(module))
        .and_then(|m| m.get("versions"))
        .and_then(|v| v.as_array());
    for v in listed.into_iter().flatten().filter_map(|v| v.as_str()) {
        if let Ok(v) = semver::Version::parse(v.strip_prefix('v').unwrap_or(v)) {
            out.insert(v);
        }
    }
    Ok(out)
}

/// Compute the publish of `req` on top of `base` (a commit of the cache). Reads the tree and
/// the local directory; writes nothing. The steps: the version (new, and above the latest unless
/// --allow-older), the version folder's files, the catalog.
pub fn plan(
    repo: &gix::Repository,
    base: ObjectId,
    layout: &Layout,
    req: &Request,
    unix_now: i64,
) -> Result<Plan, PublishError> {
    let git = |what: &'static str| move |e: gix::Error| PublishError::Git { what, message: format!("{e:#}") };
    if !req.local_dir.is_dir() {
        return Err(PublishError::NoLocalDir { path: req.local_dir.clone() });
    }
    let commit = repo.find_commit(base).map_err(git("reading the base commit"))?;
    let tree = commit.tree().map_err(git("reading the base tree"))?;
    let catalog_before = read_catalog(&tree, &layout.catalog_path)?;
    let catalog_value: Option<serde_json::Value> = serde_json::from_str(&catalog_before).ok();

    let module_dir = format!("{}/{}", layout.modules_path, req.module);
    let existing = published_versions(repo, &tree, &module_dir, catalog_value.as_ref(), req.module.as_str())?;
    check_version(&existing, req)?;
    let version = &req.version;

    let folder = plan_version_folder(req, &format!("{module_dir}/v{version}"), unix_now)?;
    let VersionFolder { mut entries, mut changes, skipped, warnings, description } = folder;

    let catalog_after =
        edit_catalog(&catalog_before, &layout.catalog_path, req, description.as_deref(), unix_now)?;
    entries.push(TreeEntry {
        path: layout.catalog_path.clone(),
        kind: FileKind::Regular,
        content: Content::Bytes(catalog_after.clone().into_bytes()),
    });
    changes.push(Change {
        path: layout.catalog_path.clone(),
        status: if catalog_value.is_some() { 'M' } else { 'A' },
        origin: ChangeOrigin::Catalog,
    });
    changes.sort_by(|a, b| a.path.cmp(&b.path));

    Ok(Plan {
        module: req.module.clone(),
        version: version.clone(),
        base,
        base_branch: layout.branch.clone(),
        branch: naming::branch_name(&req.module, version),
        message: naming::commit_message(&req.module, version, req.description.as_deref()),
        entries,
        changes,
        skipped,
        catalog_path: layout.catalog_path.clone(),
        catalog_before,
        catalog_after,
        previous_latest: existing.iter().next_back().cloned(),
        description,
        warnings,
    })
}

/// The factory's catalog.json on the base tree (an empty catalog when it has none).
fn read_catalog(tree: &gix::Tree<'_>, catalog_path: &str) -> Result<String, PublishError> {
    let git = |e: gix::Error| PublishError::Git { what: "reading the catalog", message: format!("{e:#}") };
    let Some(entry) = tree.lookup_entry_by_path(catalog_path).map_err(git)? else {
        return Ok("{\n  \"modules\": {}\n}\n".to_string());
    };
    let blob = entry.object().map_err(git)?;
    String::from_utf8(blob.data.clone())
        .map_err(|_| PublishError::Catalog { path: catalog_path.to_string(), message: "not UTF-8".into() })
}

/// The version must be new, and above the latest unless --allow-older.
fn check_version(existing: &BTreeSet<semver::Version>, req: &Request) -> Result<(), PublishError> {
    let version = &req.version;
    // semver: build metadata does not count for precedence, so 1.0.0+b2 "exists" when 1.0.0 does
    let same = |a: &semver::Version, b: &semver::Version| without_build(a) == without_build(b);
    if existing.iter().any(|e| same(e, version)) {
        let mut next = version.clone();
        loop {
            next.patch += 1;
            next.pre = semver::Prerelease::EMPTY;
            if !existing.iter().any(|e| same(e, &next)) {
                break;
            }
        }
        return Err(PublishError::VersionExists {
            module: req.module.to_string(),
            version: version.to_string(),
            next: next.to_string(),
        });
    }
    match existing.iter().next_back() {
        Some(latest) if without_build(version) < without_build(latest) && !req.allow_older => {
            Err(PublishError::NotNewer {
                module: req.module.to_string(),
                version: version.to_string(),
                latest: latest.to_string(),
            })
        }
        _ => Ok(()),
    }
}

/// What goes into the new version folder, and what the plan learnt on the way.
struct VersionFolder {
    entries: Vec<TreeEntry>,
    changes: Vec<Change>,
    skipped: Vec<Skipped>,
    warnings: Vec<PublishWarning>,
    /// `--description`, else the metadata's.
    description: Option<String>,
}

impl VersionFolder {
    fn add(&mut self, path: String, kind: FileKind, content: Content, origin: ChangeOrigin) {
        self.entries.push(TreeEntry { path: path.clone(), kind, content });
        self.changes.push(Change { path, status: 'A', origin });
    }
}

/// The local files under `version_dir`, MODULE_METADATA.yaml with `module.version` set (or
/// generated), and a generated CHANGELOG.md when the module has none.
fn plan_version_folder(
    req: &Request,
    version_dir: &str,
    unix_now: i64,
) -> Result<VersionFolder, PublishError> {
    let (local, skipped) = local_module::select(&req.local_dir, &req.include)?;
    if local.is_empty() {
        return Err(PublishError::Empty { path: req.local_dir.clone() });
    }
    let version = &req.version;
    let mut out = VersionFolder {
        entries: Vec::new(),
        changes: Vec::new(),
        skipped,
        warnings: Vec::new(),
        description: req.description.clone(),
    };
    let (mut has_metadata, mut has_changelog) = (false, false);
    for f in &local {
        let path = format!("{version_dir}/{}", f.rel);
        if f.rel == local_module::METADATA_FILE && f.kind != FileKind::Link {
            has_metadata = true;
            let edited = edited_metadata(f, req, &mut out)?;
            out.add(path, f.kind, Content::Bytes(edited.into_bytes()), ChangeOrigin::Metadata);
            continue;
        }
        if f.rel == "CHANGELOG.md" {
            has_changelog = true;
            let text = std::fs::read_to_string(&f.path).unwrap_or_default();
            if !text.contains(&version.to_string()) {
                out.warnings.push(PublishWarning::ChangelogWithoutVersion { version: version.clone() });
            }
        }
        out.add(path, f.kind, Content::File(f.path.clone()), ChangeOrigin::Local);
    }
    if !has_metadata {
        let (provider, category, name) = (req.module.provider(), req.module.category(), req.module.name());
        let text = metadata_edit::generated_metadata(
            provider,
            category,
            name,
            &version.to_string(),
            out.description.as_deref(),
        );
        out.warnings.push(PublishWarning::MetadataGenerated { dir: req.local_dir.clone() });
        let path = format!("{version_dir}/{}", local_module::METADATA_FILE);
        out.add(path, FileKind::Regular, Content::Bytes(text.into_bytes()), ChangeOrigin::Metadata);
    }
    if !has_changelog {
        let text = naming::generated_changelog(&req.module, version, out.description.as_deref(), unix_now);
        let path = format!("{version_dir}/CHANGELOG.md");
        out.add(path, FileKind::Regular, Content::Bytes(text.into_bytes()), ChangeOrigin::Changelog);
    }
    Ok(out)
}

/// The local MODULE_METADATA.yaml with `module.version` set; warns when it names another module
/// and takes its description when `--description` gave none.
fn edited_metadata(f: &SelectedFile, req: &Request, out: &mut VersionFolder) -> Result<String, PublishError> {
    let text = local_module::read_text(&f.path)?;
    let edited = metadata_edit::set_module_version(&text, &req.version.to_string())
        .map_err(|e| metadata_error(&f.path, &text, e))?;
    if let Ok(meta) = ModuleMetadata::parse(edited.as_bytes()) {
        out.warnings.extend(metadata_disagreements(&meta, &req.module));
        if out.description.is_none() {
            out.description = meta.description;
        }
    }
    Ok(edited)
}

/// catalog.json with the new version added (SPEC §2.2).
fn edit_catalog(
    before: &str,
    catalog_path: &str,
    req: &Request,
    description: Option<&str>,
    unix_now: i64,
) -> Result<String, PublishError> {
    let timestamp = naming::rfc3339_utc(unix_now);
    let new = catalog_edit::NewVersion {
        module: req.module.as_str(),
        version: &req.version,
        description,
        timestamp: &timestamp,
    };
    catalog_edit::add_version(before, &new)
        .map_err(|e| PublishError::Catalog { path: catalog_path.to_string(), message: e.to_string() })
}

fn without_build(v: &semver::Version) -> semver::Version {
    semver::Version { build: semver::BuildMetadata::EMPTY, ..v.clone() }
}

fn metadata_error(path: &std::path::Path, text: &str, e: metadata_edit::MetadataEditError) -> PublishError {
    let (message, offset) = match e {
        metadata_edit::MetadataEditError::Invalid { message, offset } => (message, offset),
        metadata_edit::MetadataEditError::NotBlockMapping => {
            ("`module:` is not a block mapping".to_string(), None)
        }
        metadata_edit::MetadataEditError::Unverified => {
            ("agb could not set the version without changing other keys".to_string(), None)
        }
    };
    let (src, span) = match offset {
        Some(o) => (
            Some(miette::NamedSource::new(path.display().to_string(), text.to_string())),
            Some(miette::SourceSpan::from((o.min(text.len()), 0))),
        ),
        None => (None, None),
    };
    PublishError::Metadata(Box::new(MetadataError { path: path.to_path_buf(), message, src, span }))
}

/// Where the metadata names another module than `--module`.
fn metadata_disagreements(meta: &ModuleMetadata, module: &ModulePath) -> Vec<PublishWarning> {
    let fields = [
        ("provider", &meta.provider, module.provider()),
        ("category", &meta.category, module.category()),
        ("name", &meta.name, module.name()),
    ];
    fields
        .into_iter()
        .filter_map(|(key, got, want)| {
            let got = got.as_deref()?;
            (got != want).then(|| PublishWarning::MetadataDisagrees {
                key,
                got: got.to_string(),
                want: want.to_string(),
            })
        })
        .collect()
}

/// How far a publish goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Commit in the cache and push.
    Push,
    /// Commit in the cache only.
    NoPush,
    /// Compute everything, write nothing (objects stay in memory).
    DryRun,
}

/// The author (from `--author`, else git's identity) and the committer (git's identity, else
/// the author) of the commit.
pub fn identity(
    repo: &gix::Repository,
    author_flag: Option<&str>,
) -> Result<(tree::Person, tree::Person), PublishError> {
    let from_sig = |sig: gix::actor::SignatureRef<'_>| {
        let (name, email) = (sig.name.to_string(), sig.email.to_string());
        (!name.trim().is_empty() && !email.trim().is_empty()).then_some(tree::Person { name, email })
    };
    let configured_author = repo.author().and_then(Result::ok).and_then(from_sig);
    let configured_committer = repo.committer().and_then(Result::ok).and_then(from_sig);
    let author = match author_flag {
        Some(a) => tree::Person::parse(a).ok_or_else(|| PublishError::BadAuthor { value: a.to_string() })?,
        None => configured_author.ok_or(PublishError::NoIdentity)?,
    };
    let committer = configured_committer.unwrap_or_else(|| author.clone());
    Ok((author, committer))
}

/// Write the plan's objects and point the cache's branch at the commit (for `--dry-run`, pass
/// a repository opened `with_object_memory()` and the branch is not touched).
pub fn write(
    repo: &gix::Repository,
    plan: &Plan,
    author: &tree::Person,
    committer: &tree::Person,
    time: gix::date::Time,
    mode: Mode,
) -> Result<ObjectId, PublishError> {
    let commit = tree::write_commit(repo, plan.base, &plan.entries, &plan.message, author, committer, time)?;
    if mode != Mode::DryRun {
        tree::set_branch(repo, &plan.branch, commit)?;
    }
    Ok(commit)
}

#[cfg(test)]
mod tests;
