//! Sync a project (SPEC §1.7): the no-change fast path, else load the selection (only the
//! resources whose files changed, when stats tell nothing else did), plan the three-way sync,
//! and — unless only showing the plan — apply it.
//!
//! Not here: how a sync is decided and written (`sync`), printing (`cli::sync`).

use rayon::prelude::*;

use crate::config::Config;
use crate::manifest::Manifest;
use crate::outputs::stat_index::{self, For};
use crate::outputs::{fast, Layout};
use crate::source;
use crate::sync::{self, SyncError, SyncOutcome, SyncPlan, SyncState};

use super::{Mode, OpsError, Progress};

/// What `sync_project` is asked to do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncOptions {
    pub mode: Mode,
    /// The project side wins conflicts.
    pub force: bool,
}

/// The plan of a sync and, when it was applied, what it did.
#[derive(Debug)]
pub struct SyncReport {
    pub mode: Mode,
    pub plan: SyncPlan,
    /// `Some` in [`Mode::Apply`].
    pub outcome: Option<SyncOutcome>,
    /// Nothing changed since the last build, decided from stats alone (the source was not
    /// loaded): the plan is empty.
    pub up_to_date: bool,
}

impl SyncReport {
    /// No build manifest: the sync is two-way and the project side wins every difference.
    pub fn is_two_way(&self) -> bool {
        self.plan.manifest.is_none()
    }

    /// Whether anything is (still) to sync: after applying, only conflicts that were not written.
    pub fn is_pending(&self) -> bool {
        match self.outcome {
            None => self.plan.is_pending(),
            Some(_) => self.plan.resources.iter().any(|r| r.state == SyncState::Conflict),
        }
    }

    /// Whether the sync ends in error: a problem in the plan, or a write that failed. A dry run
    /// or a check counts only problems other than conflicts (`--check` reports those as pending).
    pub fn failed(&self) -> bool {
        let not_conflict = |p: &SyncError| !matches!(p, SyncError::Conflict { .. });
        match (&self.outcome, self.mode) {
            (Some(outcome), _) => self.plan.has_errors() || !outcome.errors.is_empty(),
            (None, Mode::DryRun) => self.plan.has_errors(),
            (None, _) => self.plan.problems.iter().any(not_conflict),
        }
    }
}

/// Sync the project of `config` back into its source.
pub fn sync_project(
    config: &Config,
    options: SyncOptions,
    progress: &dyn Progress,
) -> Result<SyncReport, OpsError> {
    let plan = plan_target(config, options, progress)?;
    Ok(apply_target(plan, options, progress))
}

/// Sync several targets of one project (a multi-target agb.yaml, or the single-target ones of a
/// project root): every target is planned first; edits of several targets into one source file
/// are merged (`agree`: the same line changed differently is an error naming both project
/// files, and nothing is written). Merged text is written by each target's apply (the same
/// bytes, so each target's manifest is refreshed as after its own sync).
pub fn sync_targets(
    configs: &[Config],
    options: SyncOptions,
    progress: &dyn Progress,
) -> Result<Vec<SyncReport>, OpsError> {
    let planned = configs.iter().map(|c| plan_target(c, options, progress)).collect::<Result<Vec<_>, _>>()?;
    let (mut plans, up_to_date): (Vec<SyncPlan>, Vec<bool>) = planned.into_iter().unzip();
    super::agree::merge_plans(&mut plans)?;
    Ok(plans.into_iter().zip(up_to_date).map(|p| apply_target(p, options, progress)).collect())
}

/// The plan of one target, and whether it came from the no-change fast path (nothing changed
/// since the last build or sync, so the selection was not even loaded).
fn plan_target(
    config: &Config,
    options: SyncOptions,
    progress: &dyn Progress,
) -> Result<(SyncPlan, bool), OpsError> {
    let clock = std::time::Instant::now();
    let layout = Layout::of(config);
    super::check_roots(&layout)?;
    // Nothing changed, from the stat index alone (the manifest is not even parsed): the plan
    // needs of the manifest only that there is one, so an empty one stands in.
    if stat_index::unchanged(&layout, &config.text, For::Sync).is_some() {
        progress.phase("stat index", clock.elapsed());
        let stand_in = Manifest::new(layout.target, layout.source_root.clone());
        return Ok((SyncPlan::unchanged(&layout, stand_in), true));
    }
    let manifest = Manifest::load(&layout.output_root)?;
    progress.phase("manifest read", clock.elapsed());
    let clock = std::time::Instant::now();
    let changes =
        manifest.as_ref().map_or(fast::SyncChanges::All, |m| fast::sync_changes(&layout, &config.text, m));
    progress.phase("change check", clock.elapsed());
    let clock = std::time::Instant::now();
    let (changes, manifest) = match (changes, manifest) {
        (fast::SyncChanges::None, Some(m)) => {
            if options.mode == Mode::Apply {
                stat_index::write(&layout, &m);
            }
            progress.phase("load", clock.elapsed());
            return Ok((SyncPlan::unchanged(&layout, m), true));
        }
        other => other,
    };
    let partial = matches!(changes, fast::SyncChanges::Only { .. });
    let (selection, known) = match changes {
        // Every other resource is as the build left it on both sides: in sync, nothing to
        // read, parse or plan for it.
        fast::SyncChanges::Only { changed, known } => {
            (source::load_selection_parsing_only(config, &|id| changed.contains(id), &known.sources)?, known)
        }
        // `None` comes only with a manifest (answered above).
        fast::SyncChanges::None | fast::SyncChanges::All => {
            (source::load_selection(config)?, Default::default())
        }
    };
    progress.phase("load", clock.elapsed());
    let clock = std::time::Instant::now();
    let mut plan = sync::plan_sync_with(&layout, &selection, options.force, manifest, known)?;
    plan.partial = partial;
    progress.phase("plan", clock.elapsed());
    Ok((plan, false))
}

fn apply_target(
    (mut plan, up_to_date): (SyncPlan, bool),
    options: SyncOptions,
    progress: &dyn Progress,
) -> SyncReport {
    if up_to_date {
        let outcome = (options.mode == Mode::Apply).then(SyncOutcome::default);
        return SyncReport { mode: options.mode, plan, outcome, up_to_date };
    }
    if options.mode != Mode::Apply {
        return SyncReport { mode: options.mode, plan, outcome: None, up_to_date };
    }
    let layout = &plan.layout;
    // What a killed sync left: temp files beside the source files it was writing (one `readdir`
    // per directory a planned write goes to; a killed write is still planned on the next run).
    // (and the manifest's, which every applied sync rewrites).
    let manifest_dir = crate::manifest::Manifest::dir(&layout.output_root);
    let dirs: std::collections::BTreeSet<&std::path::Path> = plan
        .actions()
        .filter_map(|(_, a)| a.path().parent())
        .chain([manifest_dir.as_path(), layout.output_root.as_path()])
        .collect();
    // In parallel: one `readdir` per directory, hundreds of them after an edit of many skills.
    dirs.par_iter().for_each(|dir| crate::fsutil::remove_stale_temp_files(dir));
    progress.start(plan.actions().count());
    let clock = std::time::Instant::now();
    let outcome = sync::apply_sync(&mut plan, &|| progress.tick());
    progress.finish();
    progress.phase("write", clock.elapsed().saturating_sub(outcome.manifest_time));
    progress.phase("manifest", outcome.manifest_time);
    SyncReport { mode: options.mode, plan, outcome: Some(outcome), up_to_date }
}
