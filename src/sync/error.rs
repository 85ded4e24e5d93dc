//! The errors and per-resource problems of sync, one enum for planning and applying, and
//! what a conflict is about.
//!
//! Not here: the errors of the description patcher (`patch::PatchError`, wrapped here).

use std::fmt;

use serde::Serialize;

use super::patch::PatchError;
use crate::fsutil::FsError;
use crate::manifest::ManifestError;
use crate::names::{ResourceId, Target};
use crate::targets::TargetError;

/// Errors and problems of sync. Problems tied to one resource are collected in the plan (that
/// resource is skipped, the others go on); the others stop the sync before anything is written.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum SyncError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Unparsable(TargetError),
    #[error("{resource}: its description for {target} comes from overrides.yaml, which sync cannot rewrite")]
    #[diagnostic(
        code(agb::sync::overrides_origin),
        help("nothing was written for this resource. Put the new description in {overrides} by hand, or in the `{target}:` section of the resource's sidecar ({sidecar}), then run `agb build`; the project's text is: {wanted:?}")
    )]
    OverridesOrigin {
        resource: ResourceId,
        target: Target,
        overrides: String,
        sidecar: String,
        wanted: Option<String>,
    },
    #[error("{resource}: cannot patch the description in {file}")]
    #[diagnostic(
        code(agb::sync::patch_failed),
        help("nothing was written for this resource; edit the description in the source by hand")
    )]
    Patch {
        resource: ResourceId,
        file: String,
        #[source]
        #[diagnostic_source]
        source: PatchError,
    },
    #[error("{resource}: {path} is a symbolic link (or lies under one); sync does not follow it")]
    #[diagnostic(
        code(agb::sync::symlink),
        help("agb never reads or writes through a link that may lead outside the project or the source; replace the link with a regular file to sync it")
    )]
    Symlink { resource: ResourceId, path: String },
    #[error("{resource}: {path} is not a regular file (a FIFO, socket or device); sync leaves the source as it is")]
    #[diagnostic(
        code(agb::sync::not_regular),
        help("agb never reads from such a file (a read could block or never end) and does not take it for a deletion; replace it with a regular file to sync it, or delete it to delete the source file")
    )]
    NotRegular { resource: ResourceId, path: String },
    #[error("{resource}: the project adds {rel}, but agb.yaml's `exclude` matches it")]
    #[diagnostic(
        code(agb::sync::excluded_extra),
        help("sync never copies an excluded file into the source; remove the pattern from `exclude` to sync it, or delete the file from the project")
    )]
    ExcludedExtra { resource: ResourceId, rel: String },
    #[error("{resource}: the project has {path}, whose name is not valid UTF-8; sync leaves it alone")]
    #[diagnostic(
        code(agb::sync::not_utf8_name),
        help("agb keeps paths as UTF-8 (the source refuses such names too); rename the file to sync it")
    )]
    NotUtf8Name { resource: ResourceId, path: String },
    #[error(
        "{resource}: conflict, changed in the project and in the source since the last build: {}",
        Conflict::list(what)
    )]
    #[diagnostic(
        code(agb::sync::conflict),
        help("nothing was written for this resource. Compare the project file with the source, then run `agb sync --force` (the project wins) or `agb build --force` (the source wins)")
    )]
    Conflict { resource: ResourceId, what: Vec<Conflict> },
    #[error(
        "{resource}: synced, but its project file could not be rewritten in agb's formatting: {message}"
    )]
    #[diagnostic(
        code(agb::sync::normalize),
        help("the source holds the project's edit; run `agb build` to rewrite the project file from it")
    )]
    Normalize { resource: ResourceId, message: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Manifest(#[from] ManifestError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Fs(#[from] FsError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Target(#[from] TargetError),
}

/// What changed on both sides of a conflicting resource. Displayed as the word the CLI and
/// `--json` print ("description", "body", "extra <rel>").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    Description,
    Body,
    /// A skill extra, by its path relative to the skill directory.
    Extra(String),
}

impl Conflict {
    /// The conflicts as one comma-separated line, as messages list them.
    pub fn list(conflicts: &[Conflict]) -> String {
        conflicts.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
    }
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Conflict::Description => f.write_str("description"),
            Conflict::Body => f.write_str("body"),
            Conflict::Extra(rel) => write!(f, "extra {rel}"),
        }
    }
}

impl Serialize for Conflict {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}
