//! Whether the sync plans of several targets of one project agree (issue 11): two targets that
//! carry an edit into the same source file must carry the same bytes, else nothing is written
//! and the error names both project files.
//!
//! Not here: planning each target's sync (`sync::plan_sync`), applying (`ops::sync`).

use std::path::{Path, PathBuf};

use crate::sync::{Action, ResourceSync, SyncPlan};

use super::OpsError;

/// Check every pair of plans; the first disagreement is the error.
pub(super) fn check_agreement(plans: &[SyncPlan]) -> Result<(), OpsError> {
    for (j, later) in plans.iter().enumerate() {
        for (r2, a2) in later.actions() {
            for earlier in &plans[..j] {
                let Some((r1, a1)) = earlier.actions().find(|(_, a)| a.path() == a2.path()) else {
                    continue;
                };
                if !same_effect(a1, a2) {
                    return Err(OpsError::TargetsDisagree {
                        source_file: shown(a2.path()),
                        first: shown(&project_file(earlier, r1, a1)),
                        second: shown(&project_file(later, r2, a2)),
                    });
                }
            }
        }
    }
    Ok(())
}

/// Whether two writes into the same source file leave the same bytes there.
fn same_effect(a: &Action, b: &Action) -> bool {
    match (a, b) {
        (Action::WriteText { after: x, .. }, Action::WriteText { after: y, .. }) => x == y,
        (Action::CopyExtra { from: x, .. }, Action::CopyExtra { from: y, .. }) => {
            matches!((std::fs::read(x), std::fs::read(y)), (Ok(x), Ok(y)) if x == y)
        }
        (Action::DeleteExtra { .. }, Action::DeleteExtra { .. }) => true,
        _ => false,
    }
}

/// The project file an action carries back: the copied extra, else the resource's main output.
fn project_file(plan: &SyncPlan, r: &ResourceSync, action: &Action) -> PathBuf {
    if let Action::CopyExtra { from, .. } = action {
        return from.clone();
    }
    let root = &plan.layout.output_root;
    match r.refresh_outputs.iter().find(|o| o.extra_source.is_none()) {
        Some(main) => root.join(&main.rel),
        None => root.join(r.id.qualified()),
    }
}

fn shown(p: &Path) -> String {
    crate::text::shown::ShownPath(p).to_string()
}
