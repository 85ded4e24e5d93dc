//! The operations behind the commands: one file per operation, each a function that takes a
//! loaded [`Config`](crate::config::Config) (or, for `init`, where to write one) and options,
//! and returns a report — the plan or the outcome — for the caller to show.
//!
//! This is the layer a Rust user of the crate calls: [`build::build_project`],
//! [`sync::sync_project`] (several targets: [`sync::sync_targets`]), [`status::status`], [`list::list_resources`], [`init::init_project`],
//! [`adopt::adopt_files`].
//! It sequences the engine (`source` → `outputs` / `sync`) the same way for the CLI and for
//! any other caller.
//!
//! Not here: argument parsing, printing, `--json` documents and exit codes (`cli`); rendering
//! and planning themselves (`outputs`, `sync`, `targets`); the module factory (`factory`).

// Diagnostics carry the text of the file at fault for their spans (see `source`), and
// [`OpsError`] holds them by value.
#![allow(clippy::result_large_err)]

use crate::fsutil::FsError;
use crate::manifest::ManifestError;
use crate::outputs::BuildError;
use crate::source::SourceError;
use crate::sync::SyncError;

pub mod adopt;
mod agree;
pub mod build;
pub mod init;
pub mod list;
pub mod new;
pub mod scaffold;
pub mod status;
pub mod sync;

pub use build::{build_project, BuildOptions, BuildReport};
pub use init::{init_project, InitError, InitOptions, InitReport, TargetChoice};
pub use list::{list_resources, ListEntry, Listing};
pub use new::{new_resource, NewError, NewReport};
pub use status::{status, Status};
pub use sync::{sync_project, sync_targets, SyncOptions, SyncReport};

/// How a command that writes runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// Write (`agb build`, `agb sync`).
    #[default]
    Apply,
    /// Show the plan, write nothing (`--dry-run`).
    DryRun,
    /// Write nothing; only say whether anything is pending (`--check`).
    Check,
}

/// Told how an operation's apply step advances (the CLI draws a progress bar). Called from
/// any thread while files are written.
pub trait Progress: Sync {
    /// The apply step begins: `total` files will be written.
    fn start(&self, total: usize);
    /// One more file was written.
    fn tick(&self);
    /// The apply step is over (also after an error).
    fn finish(&self);
    /// A step of the operation (`load`, `plan`, `write`, `manifest`) took `took` (for `-vv`).
    fn phase(&self, _name: &'static str, _took: std::time::Duration) {}
}

/// A [`Progress`] that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _total: usize) {}
    fn tick(&self) {}
    fn finish(&self) {}
}

/// The errors of an operation: those of the layers it drives, unchanged (their codes decide
/// the exit code), and `init`'s own.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum OpsError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Build(#[from] BuildError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Sync(#[from] SyncError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Manifest(#[from] ManifestError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Init(#[from] InitError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Adopt(#[from] crate::adopt::AdoptError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    New(#[from] new::NewError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Fs(#[from] FsError),
    #[error("`{pattern}` is not a valid resource pattern: {message}")]
    #[diagnostic(
        code(agb::usage::list_pattern),
        help("write `plugin:name`, a bare `name`, or a glob with `*`, `?` and `[...]` closed (`research:*`, `web*`)")
    )]
    BadPattern { pattern: String, message: String },
    #[error("two targets carry different edits into {source_file}: {first} and {second}")]
    #[diagnostic(
        code(agb::sync::targets_disagree),
        help("nothing was written. Make the two project files say the same, or sync one target with `agb sync --target T` and then `agb build` to bring its edit to the other")
    )]
    TargetsDisagree { source_file: String, first: String, second: String },
    #[error("the output root {output_root} is inside the source {source_root}")]
    #[diagnostic(
        code(agb::config::root_in_source),
        help("every build would copy its own output back into the source (a skill would nest without end, a plugin's files be overwritten): put agb.yaml in the project, outside the source repository")
    )]
    RootInSource { output_root: String, source_root: String },
    #[error("the source {source_root} is inside the output root {output_root}")]
    #[diagnostic(
        code(agb::config::source_in_root),
        help("agb owns the output root and removes what it no longer writes there: keep the source repository outside it, and point `source:` there")
    )]
    SourceInRoot { output_root: String, source_root: String },
}

/// Refuse an output root inside the source, or a source inside the output root, before anything
/// is read or written: either way a build writes into what it reads. Both paths are compared
/// after resolving links, so `..` and symlinks cannot hide the overlap.
pub fn check_roots(layout: &crate::outputs::Layout) -> Result<(), OpsError> {
    // The output root may not exist yet (a first build creates it): compare its nearest
    // existing ancestor, completed with the rest.
    let resolve = |p: &std::path::Path| -> std::path::PathBuf {
        let mut existing = p.to_path_buf();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_os_string());
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut out = existing.canonicalize().unwrap_or(existing);
        out.extend(rest.iter().rev());
        out
    };
    let root = resolve(&layout.output_root);
    let source = resolve(&layout.source_root);
    let shown = |p: &std::path::Path| crate::text::shown::ShownPath(p).to_string();
    if root.starts_with(&source) {
        return Err(OpsError::RootInSource { output_root: shown(&root), source_root: shown(&source) });
    }
    if source.starts_with(&root) {
        return Err(OpsError::SourceInRoot { output_root: shown(&root), source_root: shown(&source) });
    }
    Ok(())
}
