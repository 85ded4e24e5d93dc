//! What a sync plan is: per resource, where it stands and the typed writes into the source
//! that carry the project's edits back; built by [`super::plan_sync`], read by `--dry-run`,
//! `--check`, `agb status` and [`super::apply_sync`].
//!
//! Not here: making the plan (`observe`, `decide`, `decide_main`, `main_file`, `extras`) or
//! carrying it out (`apply`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::error::{Conflict, SyncError};
use crate::manifest::Manifest;
use crate::names::ResourceId;
use crate::outputs::Layout;
use crate::source::Resource;

/// Where a resource stands between the project and the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    InSync,
    /// Edited in the project only: sync applies it.
    EditedInProject,
    /// Edited in the source only since the build: `agb build` brings it.
    EditedInSource,
    /// Both sides changed differently (nothing written without `--force`).
    Conflict,
    /// The project file could not be read or patched (reported in `problems`).
    Skipped,
}

/// What a change does to a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Create,
    Update,
    Delete,
}

/// One planned write into the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Replace a text file (main `.md` or sidecar) with `after`.
    WriteText { path: PathBuf, before: Option<String>, after: String, what: Vec<&'static str> },
    /// Copy a project file over (or as) a source extra.
    CopyExtra { from: PathBuf, to: PathBuf, rel: String, kind: ChangeKind },
    /// Delete a source extra the project deleted.
    DeleteExtra { path: PathBuf, rel: String },
}

impl Action {
    /// The source file this action touches.
    pub fn path(&self) -> &Path {
        match self {
            Action::WriteText { path, .. } | Action::DeleteExtra { path, .. } => path,
            Action::CopyExtra { to, .. } => to,
        }
    }

    pub fn kind(&self) -> ChangeKind {
        match self {
            Action::WriteText { before: None, .. } => ChangeKind::Create,
            Action::WriteText { .. } => ChangeKind::Update,
            Action::CopyExtra { kind, .. } => *kind,
            Action::DeleteExtra { .. } => ChangeKind::Delete,
        }
    }
}

/// The plan for one resource.
#[derive(Debug, Clone)]
pub struct ResourceSync {
    pub id: ResourceId,
    pub state: SyncState,
    /// Writes into the source (empty unless the project side is applied).
    pub actions: Vec<Action>,
    /// What changed on both sides (conflicts).
    pub conflicts: Vec<Conflict>,
    /// What changed only in the source since the build.
    pub source_edits: Vec<String>,
    /// Project edits sync does not carry back (other metadata keys): `agb build` overwrites them.
    pub ignored_edits: Vec<String>,
    /// Output files whose manifest entry is refreshed after applying (the project file is then
    /// what a build of the new source writes), and outputs whose entry is dropped.
    pub refresh_outputs: Vec<Refresh>,
    pub drop_outputs: Vec<String>,
}

/// An output whose manifest entry sync refreshes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refresh {
    /// Path relative to the output root.
    pub rel: String,
    /// For a skill extra, the source file it is a copy of; `None` for the main file (its sources
    /// are the resource's source files).
    pub extra_source: Option<PathBuf>,
    /// The project file's SHA-256 when planning already computed it (then an extra's source,
    /// a byte copy of it, has the same hash: nothing is hashed twice).
    pub sha256: Option<String>,
}

/// A whole sync plan.
#[derive(Debug)]
pub struct SyncPlan {
    pub layout: Layout,
    pub manifest: Option<Manifest>,
    /// Resources in selection order (only those whose output exists).
    pub resources: Vec<ResourceSync>,
    /// Problems that skip one resource (reported, exit 1 at the end).
    pub problems: Vec<SyncError>,
    /// Files sync leaves alone by design (excluded project files, symlinks): reported only.
    pub warnings: Vec<SyncError>,
    /// The selection the plan was made from (apply re-hashes its source files).
    pub source_files: BTreeMap<ResourceId, Vec<PathBuf>>,
    pub plugins_dir: PathBuf,
    pub force: bool,
    /// The resources whose main output is rewritten in agb's formatting once synced
    /// ([`super::normalize::eligible`]), as loaded before the sync. Keyed by
    /// [`ResourceId::key`]: the CLI lists them in the order of that text.
    pub normalize: BTreeMap<String, Resource>,
    /// Only the resources whose files' stats changed were loaded and planned; every other one
    /// the manifest records is in sync on both sides (what `sync -v` says of them). Such a plan
    /// was made by the stat-only change check, which also found the manifest's record of inputs
    /// valid.
    pub partial: bool,
}

impl ResourceSync {
    /// A resource that could not be planned (its problem is in [`SyncPlan::problems`]).
    pub(super) fn skipped(id: ResourceId) -> ResourceSync {
        ResourceSync {
            id,
            state: SyncState::Skipped,
            actions: Vec::new(),
            conflicts: Vec::new(),
            source_edits: Vec::new(),
            ignored_edits: Vec::new(),
            refresh_outputs: Vec::new(),
            drop_outputs: Vec::new(),
        }
    }
}

impl SyncPlan {
    /// The plan of a sync that the stat-only check found nothing to do for (every output and
    /// source file as the last build left them): no resource to show, nothing to write. The
    /// selection was not loaded, so there is nothing else to fill in.
    pub fn unchanged(layout: &Layout, manifest: Manifest) -> SyncPlan {
        SyncPlan {
            layout: layout.clone(),
            manifest: Some(manifest),
            resources: Vec::new(),
            problems: Vec::new(),
            warnings: Vec::new(),
            source_files: BTreeMap::new(),
            // Where the source scan looks (`source::scan`); only apply reads it, and there is
            // nothing to apply.
            plugins_dir: layout.source_root.join("plugins"),
            force: false,
            normalize: BTreeMap::new(),
            partial: false,
        }
    }

    /// Whether there is anything to sync (what `--check` reports).
    pub fn is_pending(&self) -> bool {
        self.resources.iter().any(|r| !r.actions.is_empty() || r.state == SyncState::Conflict)
    }

    /// Whether the sync ends with exit 1 (conflicts not forced, unreadable files…).
    pub fn has_errors(&self) -> bool {
        !self.problems.is_empty()
    }

    pub fn actions(&self) -> impl Iterator<Item = (&ResourceSync, &Action)> {
        self.resources.iter().flat_map(|r| r.actions.iter().map(move |a| (r, a)))
    }
}
