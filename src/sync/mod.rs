//! `agb sync`: carry edits made in the project back into the source repository (SPEC §1.7).
//!
//! 1. [`plan_sync`] observes every selected resource whose output exists (`observe`): one
//!    `lstat` per output and per source file; a file is read (hashed, parsed) only when its size
//!    or mtime differs from the build manifest's record. It decides, three-way with the manifest
//!    as the base, what to do (pure: [`decide_main`] for the main file, [`decide`] for a skill's
//!    extras), and computes every new source text up front (the description patcher in [`patch`]
//!    runs here), so `--dry-run`, `--check` and `agb status` show exactly what a sync would
//!    write: a [`SyncPlan`] ([`plan`]).
//! 2. [`apply::apply_sync`] writes the planned texts and copies/deletes extras atomically, one
//!    resource at a time (an error in one does not stop the others), then updates the manifest
//!    so the next `agb build` sees the project as built.
//!
//! Not here: reading the source (`source`), the target formats (`targets`), printing (`cli`).

// Diagnostics carry the text of the file at fault for their spans (see `source`).
#![allow(clippy::result_large_err)]

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;

use crate::manifest::{Manifest, OutputEntry};
use crate::outputs::fast::KnownStats;
use crate::outputs::Layout;
use crate::source::Selection;

pub mod apply;
pub mod decide;
pub mod decide_main;
mod error;
mod extras;
mod main_file;
pub mod normalize;
mod observe;
pub mod patch;
pub mod plan;
mod resource;

pub use apply::{apply_sync, SyncOutcome};
pub use decide::{decide_extra, ExtraDecision, ExtraFacts};
pub use decide_main::{decide_main, MainDecision, MainFacts};
pub use error::{Conflict, SyncError};
pub use plan::{Action, ChangeKind, Refresh, ResourceSync, SyncPlan, SyncState};

use observe::{ProjectFiles, SharedStats};
use resource::Ctx;

/// Observe the project and the source, and plan the sync. Reads, never writes.
pub fn plan_sync(layout: &Layout, selection: &Selection, force: bool) -> Result<SyncPlan, SyncError> {
    let manifest = Manifest::load(&layout.output_root)?;
    plan_sync_with(layout, selection, force, manifest, KnownStats::default())
}

/// [`plan_sync`] with the build manifest already loaded (`None`: never built, two-way sync),
/// and the stats the stat-only change check already took, which planning does not take again.
pub fn plan_sync_with(
    layout: &Layout,
    selection: &Selection,
    force: bool,
    manifest: Option<Manifest>,
    known: KnownStats,
) -> Result<SyncPlan, SyncError> {
    let codex_config = observe::read_codex_config(layout)?;
    let mut by_resource: HashMap<&crate::names::ResourceId, Vec<(&str, &OutputEntry)>> = HashMap::new();
    for (rel, e) in manifest.iter().flat_map(|m| m.files.iter()) {
        if let Some(id) = e.resource.resource() {
            by_resource.entry(id).or_default().push((rel.as_str(), e));
        }
    }
    let ctx = Ctx {
        layout,
        selection,
        manifest: manifest.as_ref(),
        by_resource,
        shared_stats: SharedStats::of(selection, known.sources)?,
        known_outputs: known.outputs,
        project_files: ProjectFiles::new(&layout.output_root),
        codex_config: codex_config.as_deref(),
        force,
    };
    let results: Vec<(Option<ResourceSync>, Vec<SyncError>)> =
        selection.resources.par_iter().map(|r| ctx.plan_resource(r)).collect();
    drop(ctx);
    let mut resources = Vec::new();
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    for (r, p) in results {
        resources.extend(r);
        for e in p {
            if matches!(
                e,
                SyncError::ExcludedExtra { .. }
                    | SyncError::Symlink { .. }
                    | SyncError::NotRegular { .. }
                    | SyncError::NotUtf8Name { .. }
            ) {
                warnings.push(e);
            } else {
                problems.push(e);
            }
        }
    }
    let source_files =
        selection.resources.iter().map(|r| (r.id.clone(), selection.source_files(r))).collect();
    let eligible: BTreeSet<_> = resources.iter().filter(|r| normalize::eligible(r)).map(|r| &r.id).collect();
    let normalize = selection
        .resources
        .iter()
        .filter(|r| eligible.contains(&r.id))
        .map(|r| (r.id.key(), r.clone()))
        .collect();
    Ok(SyncPlan {
        layout: layout.clone(),
        manifest,
        resources,
        problems,
        warnings,
        source_files,
        plugins_dir: selection.plugins_dir.clone(),
        force,
        normalize,
        partial: false,
    })
}
