//! Sync a project (SPEC §1.7): the no-change fast path, else load the selection, plan the
//! three-way sync, and — unless only showing the plan — apply it.
//!
//! Not here: how a sync is decided and written (`sync`), printing (`cli::sync`).

use crate::config::Config;
use crate::manifest::Manifest;
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
    let layout = Layout::of(config);
    super::check_roots(&layout)?;
    let manifest = match Manifest::load(&layout.output_root)? {
        Some(m) if fast::is_sync_up_to_date(&layout, &config.text, &m) => {
            let plan = SyncPlan::unchanged(&layout, m);
            let outcome = (options.mode == Mode::Apply).then(SyncOutcome::default);
            return Ok(SyncReport { mode: options.mode, plan, outcome, up_to_date: true });
        }
        other => other,
    };
    let selection = source::load_selection(config)?;
    let plan = sync::plan_sync_with(&layout, &selection, options.force, manifest)?;
    if options.mode != Mode::Apply {
        return Ok(SyncReport { mode: options.mode, plan, outcome: None, up_to_date: false });
    }
    // What a killed sync left: temp files beside the source files it was writing (one `readdir`
    // per directory a planned write goes to; a killed write is still planned on the next run).
    // (and the manifest's, which every applied sync rewrites).
    let manifest_dir = crate::manifest::Manifest::dir(&layout.output_root);
    let dirs: std::collections::BTreeSet<&std::path::Path> = plan
        .actions()
        .filter_map(|(_, a)| a.path().parent())
        .chain([manifest_dir.as_path(), layout.output_root.as_path()])
        .collect();
    for dir in dirs {
        crate::fsutil::remove_stale_temp_files(dir);
    }
    progress.start(plan.actions().count());
    let outcome = sync::apply_sync(&plan, &|| progress.tick());
    progress.finish();
    Ok(SyncReport { mode: options.mode, plan, outcome: Some(outcome), up_to_date: false })
}
