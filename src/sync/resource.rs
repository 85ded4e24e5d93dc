//! Planning one resource: its main file, then (for a skill) its extras, then where it stands.
//! [`Ctx`] holds what planning every resource shares: the inputs, and observations made once.
//!
//! Not here: the main file's and the extras' planning (`main_file`, `extras`, which extend
//! [`Ctx`]), the decisions (`decide_main`, `decide`).

use std::collections::HashMap;

use super::error::SyncError;
use super::observe::{ProjectFiles, SharedStats};
use super::plan::{Refresh, ResourceSync, SyncState};
use crate::manifest::{Manifest, OutputEntry};
use crate::names::ResourceKind;
use crate::outputs::Layout;
use crate::source::{Resource, Selection};
use crate::targets;

/// What planning every resource shares.
pub(super) struct Ctx<'a> {
    pub(super) layout: &'a Layout,
    pub(super) selection: &'a Selection,
    pub(super) manifest: Option<&'a Manifest>,
    /// The manifest's outputs by resource, once (not one scan of every entry per resource).
    /// Keyed by the manifest's text of the id ([`crate::names::ResourceId::key`]).
    pub(super) by_resource: HashMap<&'a crate::names::ResourceId, Vec<(&'a str, &'a OutputEntry)>>,
    pub(super) shared_stats: SharedStats,
    /// Stats of outputs (regular files, by absolute path) taken by the change check.
    pub(super) known_outputs: std::collections::HashMap<std::path::PathBuf, crate::manifest::FileStat>,
    pub(super) project_files: ProjectFiles<'a>,
    pub(super) codex_config: Option<&'a str>,
    pub(super) force: bool,
}

impl Ctx<'_> {
    /// The plan of one resource (`None` when its output does not exist in the project) and the
    /// problems found (a problem that stops the resource leaves it [`SyncState::Skipped`]).
    pub(super) fn plan_resource(&self, r: &Resource) -> (Option<ResourceSync>, Vec<SyncError>) {
        let mut problems = Vec::new();
        let skipped = |e: SyncError, mut problems: Vec<SyncError>| {
            problems.push(e);
            (Some(ResourceSync::skipped(r.id.clone())), problems)
        };
        let main_rel = targets::main_output_rel(self.layout.target, r.id.kind, r.id.name.as_str());
        let main = match self.project_files.resolve(&r.id, &main_rel) {
            Ok(Some(p)) => p,
            Ok(None) => return (None, problems),
            Err(e) => return skipped(e, problems),
        };
        let main = match self.plan_main(r, &main_rel, &main) {
            Ok(m) => m,
            Err(e) => return skipped(e, problems),
        };
        let decision = main.decision;
        let mut rs = ResourceSync {
            id: r.id.clone(),
            state: SyncState::InSync,
            actions: main.actions,
            conflicts: decision.conflicts,
            source_edits: decision.source_edit.into_iter().map(str::to_string).collect(),
            ignored_edits: if decision.ignored { vec![main_rel.clone()] } else { Vec::new() },
            refresh_outputs: Vec::new(),
            drop_outputs: Vec::new(),
        };
        if decision.refresh {
            rs.refresh_outputs.push(Refresh { rel: main_rel, extra_source: None, sha256: None });
        }
        if r.id.kind == ResourceKind::Skill {
            if let Err(e) = self.plan_extras(r, &mut rs, &mut problems) {
                return skipped(e, problems);
            }
        }
        if !rs.conflicts.is_empty() && !self.force {
            rs.state = SyncState::Conflict;
            rs.actions.clear();
            rs.refresh_outputs.clear();
            rs.drop_outputs.clear();
            problems.push(SyncError::Conflict { resource: r.id.clone(), what: rs.conflicts.clone() });
        } else if !rs.actions.is_empty() {
            rs.state = SyncState::EditedInProject;
        } else if !rs.source_edits.is_empty() {
            rs.state = SyncState::EditedInSource;
        }
        (Some(rs), problems)
    }
}
