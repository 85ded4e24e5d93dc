//! What `build` and `sync` would do, in both directions, without writing anything.
//!
//! Not here: printing and the `--json` document (`cli::status`).

use crate::config::Config;
use crate::outputs::{self, BuildPlan, Layout, PlanOptions};
use crate::source;
use crate::sync::{self, SyncPlan, SyncState};

use super::OpsError;

/// The build plan (source → project) and the sync plan (project → source) of one project.
#[derive(Debug)]
pub struct Status {
    pub layout: Layout,
    pub build: BuildPlan,
    pub sync: SyncPlan,
}

impl Status {
    /// True when a build or a sync would change anything, or a resource is not in sync (edited
    /// in the source, in conflict, unreadable).
    pub fn is_pending(&self) -> bool {
        self.build.is_stale()
            || self.sync.is_pending()
            || self.sync.resources.iter().any(|r| r.state != SyncState::InSync)
    }
}

/// Plan a build and a sync of the project of `config`. Reads, never writes.
pub fn status(config: &Config) -> Result<Status, OpsError> {
    let layout = Layout::of(config);
    super::check_roots(&layout)?;
    let selection = source::load_selection(config)?;
    let rendered = outputs::desired_outputs(&layout, &selection)?;
    let build = outputs::plan_build(&layout, rendered, PlanOptions::default())?;
    let sync = sync::plan_sync(&layout, &selection, false)?;
    Ok(Status { layout, build, sync })
}
