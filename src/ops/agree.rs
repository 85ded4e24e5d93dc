//! Whether the sync plans of several targets of one project agree (issue 11), and their merge.
//!
//! Two targets that carry edits into the same source text file are merged line by line against
//! the file as it is now (a three-way merge, diffy): a description edited in one target and the
//! body in the other, or the same edit in both, make one new text that both plans then write.
//! The same line changed differently is a conflict: nothing is written and the error names both
//! project files. Copied extras must be byte-identical (or both deleted).
//!
//! A target whose own edit was merged with another's records the merged source in its
//! manifest; its next build takes the full path (sync changed the manifest) and brings it the
//! other target's part.
//!
//! Not here: planning each target's sync (`sync::plan_sync`), applying (`ops::sync`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::sync::{Action, SyncPlan};

use super::OpsError;

/// Where an action is: plan, resource, action.
type At = (usize, usize, usize);

/// Merge the writes of every target into the same source file; the first disagreement is
/// the error (nothing has been written yet).
pub(super) fn merge_plans(plans: &mut [SyncPlan]) -> Result<(), OpsError> {
    let mut by_path: BTreeMap<PathBuf, Vec<At>> = BTreeMap::new();
    for (p, plan) in plans.iter().enumerate() {
        for (r, res) in plan.resources.iter().enumerate() {
            for (a, action) in res.actions.iter().enumerate() {
                by_path.entry(action.path().to_path_buf()).or_default().push((p, r, a));
            }
        }
    }
    for (path, ats) in by_path.into_iter().filter(|(_, ats)| ats.len() > 1) {
        let action = |at: At| &plans[at.0].resources[at.1].actions[at.2];
        let mut merged: Option<String> = None;
        for pair in ats.windows(2) {
            let (x, y) = (action(pair[0]), action(pair[1]));
            let agreed = match (x, y) {
                (Action::WriteText { before, after: a, .. }, Action::WriteText { after: b, .. }) => {
                    let ours = merged.as_deref().unwrap_or(a);
                    diffy::merge(before.as_deref().unwrap_or(""), ours, b).ok().map(Some)
                }
                (Action::CopyExtra { from: a, .. }, Action::CopyExtra { from: b, .. }) => {
                    let same = matches!((std::fs::read(a), std::fs::read(b)), (Ok(a), Ok(b)) if a == b);
                    same.then_some(None)
                }
                (Action::DeleteExtra { .. }, Action::DeleteExtra { .. }) => Some(None),
                _ => None,
            };
            match agreed {
                Some(text) => merged = text.or(merged),
                None => {
                    return Err(OpsError::TargetsDisagree {
                        source_file: shown(&path),
                        first: shown(&project_file(plans, pair[0])),
                        second: shown(&project_file(plans, pair[1])),
                    })
                }
            }
        }
        if let Some(text) = merged {
            for (p, r, a) in ats {
                if let Action::WriteText { after, .. } = &mut plans[p].resources[r].actions[a] {
                    *after = text.clone();
                }
            }
        }
    }
    share_writes(plans);
    Ok(())
}

/// A resource synced from several targets gets every target's writes (merged above, so the
/// same bytes): each target's manifest then records all the source files of the resource as
/// sync left them (a sidecar written for one target is a source of the other's output too).
fn share_writes(plans: &mut [SyncPlan]) {
    let mut by_resource: BTreeMap<String, Vec<Action>> = BTreeMap::new();
    for plan in plans.iter() {
        for res in plan.resources.iter().filter(|r| !r.actions.is_empty()) {
            let all = by_resource.entry(res.id.key()).or_default();
            for a in &res.actions {
                if !all.iter().any(|b| b.path() == a.path()) {
                    all.push(a.clone());
                }
            }
        }
    }
    for plan in plans.iter_mut() {
        for res in plan.resources.iter_mut().filter(|r| !r.actions.is_empty()) {
            for a in by_resource.get(&res.id.key()).into_iter().flatten() {
                if !res.actions.iter().any(|b| b.path() == a.path()) {
                    res.actions.push(a.clone());
                }
            }
        }
    }
}

/// The project file an action carries back: the copied extra, else the resource's main output.
fn project_file(plans: &[SyncPlan], (p, r, a): At) -> PathBuf {
    let res = &plans[p].resources[r];
    if let Action::CopyExtra { from, .. } = &res.actions[a] {
        return from.clone();
    }
    let root = &plans[p].layout.output_root;
    match res.refresh_outputs.iter().find(|o| o.extra_source.is_none()) {
        Some(main) => root.join(&main.rel),
        None => root.join(res.id.qualified()),
    }
}

fn shown(p: &Path) -> String {
    crate::text::shown::ShownPath(p).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn edits_of_different_lines_merge_and_the_same_line_conflicts() {
        let base = "---\ndescription: a\n---\nbody\n";
        let desc = "---\ndescription: b\n---\nbody\n";
        let body = "---\ndescription: a\n---\nnew body\n";
        assert_eq!(diffy::merge(base, desc, body).unwrap(), "---\ndescription: b\n---\nnew body\n");
        assert_eq!(diffy::merge(base, desc, desc).unwrap(), desc);
        let other = "---\ndescription: c\n---\nbody\n";
        assert!(diffy::merge(base, desc, other).is_err());
    }
}
