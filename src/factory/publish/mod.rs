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
pub mod files;
pub mod metadata_edit;
pub mod naming;
pub mod push;
pub mod run;
pub mod tree;

use crate::factory::ModulePath;
use files::{FileKind, Skipped};
use tree::{Content, TreeEntry};

/// Errors of `agb publish`.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum PublishError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Module(#[from] crate::factory::module::ModuleError),
    #[error("invalid version {version:?}: {reason}")]
    #[diagnostic(
        code(agb::publish::usage::version),
        help("versions are semver: MAJOR.MINOR.PATCH, e.g. 1.2.0")
    )]
    InvalidVersion { version: String, reason: String },
    #[error("invalid --author {value:?}")]
    #[diagnostic(
        code(agb::publish::usage::author),
        help("write it as git does: --author \"Name <email@example.com>\"")
    )]
    BadAuthor { value: String },
    #[error("invalid --include pattern {pattern:?}: {reason}")]
    #[diagnostic(
        code(agb::publish::usage::include),
        help("--include takes a glob such as '*.tfvars' or 'examples/*.tfvars'")
    )]
    BadInclude { pattern: String, reason: String },
    #[error("{path} is not a directory")]
    #[diagnostic(
        code(agb::publish::usage::local_dir),
        help("pass the directory that holds the module's .tf files")
    )]
    NoLocalDir { path: PathBuf },
    #[error("{path} holds no file to publish")]
    #[diagnostic(
        code(agb::publish::empty),
        help("every file was skipped (.git/, .terraform/, state, *.tfvars, .gitignore); check the directory or use --include")
    )]
    Empty { path: PathBuf },
    #[error("{}: the file name is not valid UTF-8", path.display())]
    #[diagnostic(
        code(agb::publish::file_name),
        help("rename the file: its name would reach the factory altered (git paths here are UTF-8)")
    )]
    NonUtf8Name { path: PathBuf },
    #[error("{path} would be published as {entry:?}, a name git refuses: {reason}")]
    #[diagnostic(
        code(agb::publish::unsafe_path),
        help("rename or remove it: git refuses to check out such a path, and in a factory it could run commands on the machines that import the module (`.git` is skipped, its other spellings are refused)")
    )]
    UnsafeName { path: PathBuf, entry: String, reason: &'static str },
    #[error("cannot read {path}")]
    #[diagnostic(code(agb::publish::read), help("check that the file exists and is readable"))]
    ReadLocal {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{module} v{version} already exists in the factory")]
    #[diagnostic(
        code(agb::publish::version_exists),
        help("bump the version: {next} is the next free patch version")
    )]
    VersionExists { module: String, version: String, next: String },
    #[error("{version} is not greater than the latest published version {latest} of {module}")]
    #[diagnostic(
        code(agb::publish::version_not_newer),
        help("use a version above {latest}, or pass --allow-older to publish a fix for an older line")
    )]
    NotNewer { module: String, version: String, latest: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Metadata(Box<MetadataError>),
    #[error("cannot add the version to {path} of the factory: {message}")]
    #[diagnostic(
        code(agb::publish::catalog),
        help("the factory's catalog must be a JSON object with a `modules` object (SPEC §2.2); fix it on the factory branch first (`agb factory lint`)")
    )]
    Catalog { path: String, message: String },
    #[error("no git identity to author the commit")]
    #[diagnostic(
        code(agb::publish::no_identity),
        help("set one with `git config --global user.name \"Your Name\"` and `git config --global user.email you@example.com`, or pass --author \"Name <email>\"")
    )]
    NoIdentity,
    #[error("branch {branch} already exists on {remote}")]
    #[diagnostic(
        code(agb::publish::branch_exists),
        help("increment the version or delete the branch (`git push <remote> --delete {branch}`), then publish again")
    )]
    BranchExists { branch: String, remote: String },
    #[error("the factory branch {base} kept moving on the remote while publishing")]
    #[diagnostic(
        code(agb::publish::remote_moved),
        help("someone is pushing to {base} right now; run the publish again in a moment")
    )]
    RemoteMoved { base: String },
    #[error("the factory has no branch {base}")]
    #[diagnostic(
        code(agb::publish::no_base),
        help("set `factory.branch` to the branch pull requests target")
    )]
    NoBase { base: String },
    #[error("the remote refused branch {branch}: {reason}")]
    #[diagnostic(
        code(agb::publish::push_rejected),
        help("check the remote's branch protection rules and your permissions")
    )]
    PushRejected { branch: String, reason: String },
    #[error("authentication to {remote} failed")]
    #[diagnostic(
        code(agb::publish::auth),
        help("git could not authenticate: configure a credential helper or SSH key for this remote (or set GITHUB_TOKEN for https://github.com)\n{detail}")
    )]
    Auth { remote: String, detail: String },
    #[error("cannot reach {remote}")]
    #[diagnostic(code(agb::publish::network), help("check the network and the factory URL\n{detail}"))]
    Network { remote: String, detail: String },
    #[error("publishing pushes a branch, and --offline forbids the network")]
    #[diagnostic(
        code(agb::publish::usage::offline),
        help("drop --offline, or use --dry-run / --no-push to work from the cache")
    )]
    Offline,
    #[error("cannot run git: {message}")]
    #[diagnostic(code(agb::publish::git_missing), help("agb publish needs the `git` program on PATH"))]
    GitSpawn { message: String },
    #[error("git failed while {what}: {message}")]
    #[diagnostic(
        code(agb::publish::git),
        help(
            "this is unexpected; run again with -v, or `agb factory fetch --refresh` if the cache is damaged"
        )
    )]
    Git { what: &'static str, message: String },
}

/// MODULE_METADATA.yaml of the local module cannot be edited (boxed: it carries the file).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot set module.version in {path}: {message}")]
#[diagnostic(
    code(agb::publish::metadata),
    help("MODULE_METADATA.yaml must be valid YAML with `module:` as a block mapping (`module:` on its own line, keys indented below)")
)]
pub struct MetadataError {
    pub path: PathBuf,
    pub message: String,
    #[source_code]
    pub src: Option<miette::NamedSource<String>>,
    #[label("here")]
    pub span: Option<miette::SourceSpan>,
}

/// What the user asked for, validated.
#[derive(Debug, Clone)]
pub struct Request {
    pub module: ModulePath,
    pub version: semver::Version,
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
    pub warnings: Vec<String>,
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
/// the local directory; writes nothing.
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

    // catalog.json of the factory
    let catalog_before =
        match tree.lookup_entry_by_path(&layout.catalog_path).map_err(git("reading the catalog"))? {
            Some(e) => {
                let blob = e.object().map_err(git("reading the catalog"))?;
                String::from_utf8(blob.data.clone()).map_err(|_| PublishError::Catalog {
                    path: layout.catalog_path.clone(),
                    message: "not UTF-8".into(),
                })?
            }
            None => "{\n  \"modules\": {}\n}\n".to_string(),
        };
    let catalog_value: Option<serde_json::Value> = serde_json::from_str(&catalog_before).ok();

    // 1. the version: new, and above the latest unless --allow-older
    let module_dir = format!("{}/{}", layout.modules_path, req.module);
    let existing = published_versions(repo, &tree, &module_dir, catalog_value.as_ref(), req.module.as_str())?;
    let version = &req.version;
    let previous_latest = existing.iter().next_back().cloned();
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
    if let Some(latest) = &previous_latest {
        if without_build(version) < without_build(latest) && !req.allow_older {
            return Err(PublishError::NotNewer {
                module: req.module.to_string(),
                version: version.to_string(),
                latest: latest.to_string(),
            });
        }
    }

    // 2. the files
    let (local, skipped) = files::collect(&req.local_dir, &req.include)?;
    if local.is_empty() {
        return Err(PublishError::Empty { path: req.local_dir.clone() });
    }
    let version_dir = format!("{module_dir}/v{version}");
    let mut entries = Vec::new();
    let mut changes = Vec::new();
    let mut warnings = Vec::new();
    let mut has_metadata = false;
    let mut has_changelog = false;
    let mut description = req.description.clone();
    for f in &local {
        let path = format!("{version_dir}/{}", f.rel);
        if f.rel == "MODULE_METADATA.yaml" && f.kind != FileKind::Link {
            has_metadata = true;
            let text = std::fs::read_to_string(&f.path)
                .map_err(|e| PublishError::ReadLocal { path: f.path.clone(), source: e })?;
            let edited = metadata_edit::set_module_version(&text, &version.to_string())
                .map_err(|e| metadata_error(&f.path, &text, e))?;
            check_metadata(&edited, &req.module, &mut warnings);
            if description.is_none() {
                description = metadata_description(&edited);
            }
            entries.push(TreeEntry {
                path: path.clone(),
                kind: f.kind,
                content: Content::Bytes(edited.into_bytes()),
            });
            changes.push(Change { path, status: 'A', origin: ChangeOrigin::Metadata });
            continue;
        }
        if f.rel == "CHANGELOG.md" {
            has_changelog = true;
            let text = std::fs::read_to_string(&f.path).unwrap_or_default();
            if !text.contains(&version.to_string()) {
                warnings.push(format!("CHANGELOG.md does not mention {version}"));
            }
        }
        entries.push(TreeEntry { path: path.clone(), kind: f.kind, content: Content::File(f.path.clone()) });
        changes.push(Change { path, status: 'A', origin: ChangeOrigin::Local });
    }
    if !has_metadata {
        let (provider, category, name) = (req.module.provider(), req.module.category(), req.module.name());
        let text = metadata_edit::generated_metadata(
            provider,
            category,
            name,
            &version.to_string(),
            description.as_deref(),
        );
        let path = format!("{version_dir}/MODULE_METADATA.yaml");
        warnings.push(format!(
            "{} has no MODULE_METADATA.yaml: a minimal one is generated",
            req.local_dir.display()
        ));
        entries.push(TreeEntry {
            path: path.clone(),
            kind: FileKind::Regular,
            content: Content::Bytes(text.into_bytes()),
        });
        changes.push(Change { path, status: 'A', origin: ChangeOrigin::Metadata });
    }
    if !has_changelog {
        let text = naming::generated_changelog(&req.module, version, description.as_deref(), unix_now);
        let path = format!("{version_dir}/CHANGELOG.md");
        entries.push(TreeEntry {
            path: path.clone(),
            kind: FileKind::Regular,
            content: Content::Bytes(text.into_bytes()),
        });
        changes.push(Change { path, status: 'A', origin: ChangeOrigin::Changelog });
    }

    // 3. the catalog
    let timestamp = naming::rfc3339_utc(unix_now);
    let catalog_after = catalog_edit::add_version(
        &catalog_before,
        &catalog_edit::NewVersion {
            module: req.module.as_str(),
            version,
            description: description.as_deref(),
            timestamp: &timestamp,
        },
    )
    .map_err(|e| PublishError::Catalog {
        path: layout.catalog_path.clone(),
        message: match e {
            catalog_edit::CatalogEditError::Invalid(m) => format!("not valid JSON ({m})"),
            catalog_edit::CatalogEditError::Shape(m) => m,
            catalog_edit::CatalogEditError::Unverified => {
                "agb could not add the entry without changing other parts of the file".into()
            }
        },
    })?;
    let catalog_existed = catalog_value.is_some();
    entries.push(TreeEntry {
        path: layout.catalog_path.clone(),
        kind: FileKind::Regular,
        content: Content::Bytes(catalog_after.clone().into_bytes()),
    });
    changes.push(Change {
        path: layout.catalog_path.clone(),
        status: if catalog_existed { 'M' } else { 'A' },
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
        previous_latest,
        description,
        warnings,
    })
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

/// Warn when the metadata names another module than `--module`.
fn check_metadata(text: &str, module: &ModulePath, warnings: &mut Vec<String>) {
    let Ok(v) = serde_yaml::from_str::<serde_yaml::Value>(text) else { return };
    let (provider, category, name) = (module.provider(), module.category(), module.name());
    for (key, want) in [("provider", provider), ("category", category), ("name", name)] {
        if let Some(got) = v.get("module").and_then(|m| m.get(key)).and_then(|x| x.as_str()) {
            if got != want {
                warnings
                    .push(format!("MODULE_METADATA.yaml says module.{key}: {got}, but --module says {want}"));
            }
        }
    }
}

fn metadata_description(text: &str) -> Option<String> {
    let v: serde_yaml::Value = serde_yaml::from_str(text).ok()?;
    v.get("module")?.get("description")?.as_str().map(str::to_string)
}

/// Validate the raw arguments into a [`Request`].
pub fn request(
    module: &str,
    version: &str,
    local_dir: PathBuf,
    description: Option<String>,
    allow_older: bool,
    include: Vec<String>,
) -> Result<Request, PublishError> {
    Ok(Request {
        module: ModulePath::new(module)?,
        version: naming::parse_version(version)?,
        local_dir,
        description: description.filter(|d| !d.trim().is_empty()),
        allow_older,
        include,
    })
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
mod tests {
    use super::*;
    use std::path::Path;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str]) -> String {
        let out = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "T")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "T")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    const CATALOG: &str = "{\n  \"version\": \"1.0.0\",\n  \"last_updated\": \"2025-01-28T10:00:00Z\",\n  \"modules\": {\n    \"aws/networking/vpc\": {\n      \"latest\": \"1.1.0\",\n      \"versions\": [\"1.0.0\", \"1.1.0\"],\n      \"description\": \"VPC\"\n    }\n  }\n}\n";

    /// A bare factory with vpc 1.0.0 and 1.1.0 (and 1.2.0 only as a folder: the tree is the truth).
    fn factory(dir: &Path) -> (gix::Repository, ObjectId) {
        let work = dir.join("work");
        for v in ["1.0.0", "1.1.0", "1.2.0"] {
            let d = work.join(format!("modules/aws/networking/vpc/v{v}"));
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join("main.tf"), format!("# {v}\n")).unwrap();
        }
        std::fs::write(work.join("catalog.json"), CATALOG).unwrap();
        git(&work, &["init", "-q", "-b", "main"]);
        git(&work, &["add", "-A"]);
        git(&work, &["commit", "-qm", "init"]);
        let bare = dir.join("f.git");
        git(dir, &["clone", "-q", "--bare", work.to_str().unwrap(), bare.to_str().unwrap()]);
        let head = git(&bare, &["rev-parse", "main"]);
        (gix::open(&bare).unwrap(), ObjectId::from_hex(head.trim().as_bytes()).unwrap())
    }

    fn layout() -> Layout {
        Layout { branch: "main".into(), catalog_path: "catalog.json".into(), modules_path: "modules".into() }
    }

    fn local_module(dir: &Path) -> PathBuf {
        let m = dir.join("my-vpc");
        std::fs::create_dir_all(m.join(".terraform")).unwrap();
        std::fs::write(m.join(".terraform/lock"), "x").unwrap();
        std::fs::write(m.join("main.tf"), "resource \"aws_vpc\" \"this\" {}\n").unwrap();
        std::fs::write(m.join("dev.tfvars"), "secret = 1\n").unwrap();
        std::fs::write(
            m.join("MODULE_METADATA.yaml"),
            "# keep me\nschema_version: \"2.0\"\nmodule:\n  name: nat\n  version: 0.0.1\n  provider: aws\n  category: networking\n  description: NAT gateway\n",
        )
        .unwrap();
        m
    }

    fn req(module: &str, version: &str, dir: PathBuf) -> Request {
        request(module, version, dir, Some("First NAT".into()), false, vec![]).unwrap()
    }

    #[test]
    fn version_rules_use_tree_and_catalog() {
        let d = tempfile::tempdir().unwrap();
        let (repo, base) = factory(d.path());
        let m = local_module(d.path());
        let e = plan(&repo, base, &layout(), &req("aws/networking/vpc", "1.2.0", m.clone()), 0).unwrap_err();
        assert!(matches!(&e, PublishError::VersionExists { next, .. } if next == "1.2.1"), "{e:?}");
        let e = plan(&repo, base, &layout(), &req("aws/networking/vpc", "1.2.0+build.7", m.clone()), 0)
            .unwrap_err();
        assert!(
            matches!(&e, PublishError::VersionExists { .. }),
            "build metadata does not make a new version"
        );
        let e = plan(&repo, base, &layout(), &req("aws/networking/vpc", "1.1.5", m.clone()), 0).unwrap_err();
        assert!(matches!(&e, PublishError::NotNewer { latest, .. } if latest == "1.2.0"), "{e:?}");
        let mut older = req("aws/networking/vpc", "1.1.5", m.clone());
        older.allow_older = true;
        let p = plan(&repo, base, &layout(), &older, 0).unwrap();
        assert_eq!(p.previous_latest, Some(semver::Version::new(1, 2, 0)));
        assert!(plan(&repo, base, &layout(), &req("aws/networking/vpc", "2.0.0", m), 0).is_ok());
    }

    #[test]
    fn plan_then_write_makes_the_expected_commit() {
        let d = tempfile::tempdir().unwrap();
        let (repo, base) = factory(d.path());
        let m = local_module(d.path());
        let p = plan(&repo, base, &layout(), &req("aws/networking/nat", "1.0.0", m), 1_800_000_000).unwrap();
        assert_eq!(p.branch, "feat/module-aws-networking-nat-v1.0.0");
        let changes: Vec<(char, &str)> = p.changes.iter().map(|c| (c.status, c.path.as_str())).collect();
        assert_eq!(
            changes,
            [
                ('M', "catalog.json"),
                ('A', "modules/aws/networking/nat/v1.0.0/CHANGELOG.md"),
                ('A', "modules/aws/networking/nat/v1.0.0/MODULE_METADATA.yaml"),
                ('A', "modules/aws/networking/nat/v1.0.0/main.tf"),
            ]
        );
        assert_eq!(p.skipped.iter().map(|s| s.rel.as_str()).collect::<Vec<_>>(), ["dev.tfvars"]);

        let me = tree::Person { name: "A".into(), email: "a@example.com".into() };
        let id = write(&repo, &p, &me, &me, gix::date::Time::new(1_738_058_400, 0), Mode::NoPush).unwrap();
        let bare = repo.git_dir();
        let b = "refs/heads/feat/module-aws-networking-nat-v1.0.0";
        assert_eq!(git(bare, &["rev-parse", b]).trim(), id.to_string());
        git(bare, &["fsck", "--strict"]);
        let meta =
            git(bare, &["show", &format!("{b}:modules/aws/networking/nat/v1.0.0/MODULE_METADATA.yaml")]);
        assert!(meta.starts_with("# keep me\n") && meta.contains("  version: 1.0.0\n"), "{meta}");
        let diff = git(bare, &["diff", "-U0", "main", b, "--", "catalog.json"]);
        let removed: Vec<&str> =
            diff.lines().filter(|l| l.starts_with('-') && !l.starts_with("---")).collect();
        assert_eq!(removed, ["-  \"last_updated\": \"2025-01-28T10:00:00Z\","]);
        let added: Vec<&str> = diff.lines().filter(|l| l.starts_with('+') && !l.starts_with("+++")).collect();
        assert!(added.contains(&"+    \"aws/networking/nat\": {"), "{diff}");
        assert!(added.contains(&"+      \"description\": \"First NAT\""), "{diff}");
    }

    #[test]
    fn dry_run_writes_no_object() {
        let d = tempfile::tempdir().unwrap();
        let (repo, base) = factory(d.path());
        let m = local_module(d.path());
        let p = plan(&repo, base, &layout(), &req("aws/networking/nat", "1.0.0", m), 0).unwrap();
        let count = |bare: &Path| git(bare, &["count-objects", "-v"]);
        let before = count(repo.git_dir());
        let mem = repo.clone().with_object_memory();
        let me = tree::Person { name: "A".into(), email: "a@example.com".into() };
        let id = write(&mem, &p, &me, &me, gix::date::Time::new(0, 0), Mode::DryRun).unwrap();
        assert!(!id.is_null());
        assert_eq!(count(repo.git_dir()), before);
        assert!(repo
            .try_find_reference("refs/heads/feat/module-aws-networking-nat-v1.0.0")
            .unwrap()
            .is_none());
    }

    #[test]
    fn identity_comes_from_flag_or_is_an_error() {
        let d = tempfile::tempdir().unwrap();
        let (repo, _) = factory(d.path());
        let (a, _) = identity(&repo, Some("Ada <ada@example.com>")).unwrap();
        assert_eq!(a.to_string(), "Ada <ada@example.com>");
        assert!(matches!(identity(&repo, Some("Ada")), Err(PublishError::BadAuthor { .. })));
    }
}
