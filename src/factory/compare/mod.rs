//! `agb factory compare`: what differs between a local module directory and a published version,
//! and which semver bump publishing it calls for (SPEC §2.4).
//!
//! Files are compared through git blob ids: every local file is hashed as a git blob and matched
//! against the tree entry's id, so unchanged files are never read from the cache. Only files whose
//! id differs are read, to count lines (crate `similar`) and to tell a line-ending-only difference
//! (CRLF vs LF, which is not a change) from a real one. The bump comes from [`crate::factory::bump`];
//! the `.tf` text of unchanged files is taken from the local copy, which is byte-identical.
//!
//! Not here: reaching the factory (the caller passes the version's file list and a blob reader),
//! printing.
//!
//! The parts: [`files`] compares file lists through blob ids (pure: the caller passes a blob
//! reader); [`report`] reads the local directory, resolves the version in the factory and puts
//! the answer together.

use std::path::PathBuf;

use gix::ObjectId;

use crate::factory::bump::{BumpError, Suggestion};
use crate::factory::local_module::LocalModuleError;

pub mod files;
pub mod report;

pub use files::{blob_id, compare, compare_with_policy};
pub use report::{
    compare_dirs, compare_with_factory, factory_policy, local_metadata, read_local_dir, suggested_version,
    Report,
};

/// Errors of compare.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum CompareError {
    #[error("{path}: not a directory")]
    #[diagnostic(
        code(agb::factory::compare::not_a_directory),
        help("pass the directory of the local module (the one holding its .tf files)")
    )]
    NotADirectory { path: PathBuf },
    #[error("{path}: cannot read the module's name and version: {detail}")]
    #[diagnostic(
        code(agb::factory::compare::metadata),
        help("MODULE_METADATA.yaml needs `module: {{provider, category, name, version}}`; or name the module on the command line: `agb factory compare DIR provider/category/name`")
    )]
    Metadata { path: PathBuf, detail: String },
    #[error("cannot hash {path} as a git blob: {detail}")]
    #[diagnostic(code(agb::factory::compare::hash), help("this is a bug in agb or gix; please report it"))]
    Hash { path: String, detail: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Bump(#[from] BumpError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Blob(Box<dyn miette::Diagnostic + Send + Sync>),
    /// Choosing and reading the local files (publish's selection: `.gitignore` parsing and walking).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Local(#[from] LocalModuleError),
    #[error("{module}@{wanted} is not in the factory")]
    #[diagnostic(
        code(agb::factory::compare::not_found),
        help("compare with an existing version: {closest}")
    )]
    NoSuchVersion { module: String, wanted: String, closest: String },
    #[error("{module}@{wanted} is not in the factory: there is no module {module}")]
    #[diagnostic(code(agb::factory::compare::not_found))]
    NoSuchModule {
        module: String,
        wanted: String,
        #[help]
        advice: String,
    },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Module(#[from] crate::factory::module::ModuleError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Cache(#[from] crate::factory::CacheError),
    /// The factory's `.agb/bump-policy.yaml` is not a policy agb can use.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Policy(Box<crate::factory::bump::PolicyError>),
}

/// A file of the published version: its path relative to the version dir and blob id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedFile {
    pub path: String,
    pub oid: ObjectId,
    /// A symlink in the tree (its blob is the target path, not Terraform).
    pub symlink: bool,
    /// Mode 100755 in the tree.
    pub executable: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Every file is the same (line endings aside).
    Same,
    Different,
    /// The module is not in the factory yet.
    New,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Same => "same",
            Status::Different => "different",
            Status::New => "new",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Modified,
    Deleted,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Modified => "modified",
            ChangeKind::Deleted => "deleted",
        }
    }
}

/// One file that differs. Additions/deletions are lines (0 for binary files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDifference {
    pub file: String,
    pub kind: ChangeKind,
    pub additions: usize,
    pub deletions: usize,
    pub binary: bool,
    /// The unified diff (factory → local), when asked for.
    pub diff: Option<String>,
    /// The executable bit changed: `Some(true)` made executable, `Some(false)` no longer.
    pub exec_changed: Option<bool>,
}

/// The whole answer of `compare`.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub status: Status,
    pub differences: Vec<FileDifference>,
    pub suggestion: Suggestion,
}

#[cfg(test)]
mod tests;
