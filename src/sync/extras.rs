//! Planning a skill's extras (the files beside `SKILL.md`): observe the project's skill
//! directory, the source's extras and the manifest's record of each, ask [`decide_extra`]
//! (pure) per path, and turn its answers into copies and deletions.
//!
//! Not here: the decision table (`decide`), the main file (`main_file`), copying anything
//! (`apply`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::decide::{decide_extra, ExtraDecision, ExtraFacts};
use super::error::{Conflict, SyncError};
use super::observe::{skill_dir_files, source_extras, Observed, SkillDirFiles};
use super::plan::{Action, ChangeKind, Refresh, ResourceSync};
use super::resource::Ctx;
use crate::exclude::skill_extra_path;
use crate::fsutil;
use crate::manifest::OutputEntry;
use crate::names::Target;
use crate::outputs::io::resolve_output;
use crate::source::Resource;
use crate::targets::{self, OutputContent};

/// One skill's extras on the three sides, by path relative to the skill directory.
struct Sides<'a> {
    project: SkillDirFiles,
    source: BTreeMap<String, Observed>,
    base: BTreeMap<String, &'a OutputEntry>,
}

impl Ctx<'_> {
    pub(super) fn plan_extras(
        &self,
        r: &Resource,
        rs: &mut ResourceSync,
        problems: &mut Vec<SyncError>,
    ) -> Result<(), SyncError> {
        let target = self.layout.target;
        let dir_rel = targets::skill_dir_rel(target, r.id.name.as_str());
        let resolved = resolve_output(&self.layout.output_root, &format!("{dir_rel}/SKILL.md"))?;
        let project_dir = resolved.path.parent().expect("SKILL.md has a parent").to_path_buf();

        // Files agb generates in the skill dir (main file, codex agents/openai.yaml) are not extras.
        // Only codex adds files of its own (`agents/openai.yaml`); elsewhere it is SKILL.md alone.
        let dir_prefix = format!("{dir_rel}/");
        let generated: BTreeSet<String> = if target == Target::Codex {
            targets::render(target, r)?
                .files
                .iter()
                .filter(|f| matches!(f.content, OutputContent::Text(_)))
                .filter_map(|f| f.rel.strip_prefix(&dir_prefix).map(str::to_string))
                .collect()
        } else {
            BTreeSet::new()
        };
        let skip_name =
            |rel: &str| generated.contains(rel) || matches!(rel, "SKILL.md" | "SKILL.yaml" | "SKILL.yml");

        let project =
            skill_dir_files(&r.id, &project_dir, &dir_rel, &skip_name, &self.known_outputs, problems)?;
        // The manifest is keyed by the text of the resource id.
        let base: BTreeMap<String, &OutputEntry> = match self.by_resource.get(&r.id) {
            Some(files) => files
                .iter()
                .filter_map(|(rel, e)| rel.strip_prefix(&dir_prefix).map(|x| (x.to_string(), *e)))
                .filter(|(rel, _)| !skip_name(rel))
                .collect(),
            None => BTreeMap::new(),
        };
        let sides = Sides { source: source_extras(r)?, project, base };
        let rels: BTreeSet<&String> =
            sides.project.files.keys().chain(sides.source.keys()).chain(sides.base.keys()).collect();
        let decisions: Vec<(String, Result<ExtraDecision, SyncError>)> = rels
            .into_par_iter()
            // A file under a linked directory is unknown too: never delete its source counterpart.
            .filter(|rel| !sides.project.is_unknown(rel))
            .map(|rel| (rel.clone(), self.extra_facts(r, &sides, rel).map(|f| decide_extra(&f))))
            .collect();

        let skill_src_dir = r.main_file.parent().expect("SKILL.md has a parent");
        for (rel, decision) in decisions {
            let decision = decision?;
            if decision == ExtraDecision::Excluded {
                problems.push(SyncError::ExcludedExtra { resource: r.id.clone(), rel });
                continue;
            }
            self.extra_actions(rs, &sides, skill_src_dir, &dir_rel, rel, decision)?;
        }
        Ok(())
    }

    /// What is known about the extra at `rel`: hashes are computed only where stats do not tell.
    fn extra_facts(&self, r: &Resource, sides: &Sides<'_>, rel: &str) -> Result<ExtraFacts, SyncError> {
        let p = sides.project.files.get(rel);
        let s = sides.source.get(rel);
        let b = sides.base.get(rel).copied();
        let b_src = b.and_then(|b| b.sources.first());
        let project_changed = match (p, b) {
            (Some(p), Some(b)) => Some(p.differs_from(&b.sha256, &b.stat)?),
            _ => None,
        };
        let source_changed = match (s, b_src) {
            (Some(s), Some(bs)) => Some(s.differs_from(&bs.sha256, &bs.stat)?),
            _ => None,
        };
        let need_eq = b.is_none() || (project_changed == Some(true) && source_changed != Some(false));
        let same = match (p, s) {
            (Some(p), Some(s)) if need_eq => Some(p.same_content(s)?),
            _ => None,
        };
        Ok(ExtraFacts {
            in_project: p.is_some(),
            in_source: s.is_some(),
            in_base: b.is_some(),
            project_changed,
            source_changed,
            same,
            excluded: self.selection.excludes.is_excluded(&skill_extra_path(&r.id, rel)),
            two_way: self.manifest.is_none(),
        })
    }

    /// Turn the decision for the extra at `rel` into the resource's actions and manifest
    /// changes.
    fn extra_actions(
        &self,
        rs: &mut ResourceSync,
        sides: &Sides<'_>,
        skill_src_dir: &Path,
        dir_rel: &str,
        rel: String,
        decision: ExtraDecision,
    ) -> Result<(), SyncError> {
        let output_rel = format!("{dir_rel}/{rel}");
        let copy = |rs: &mut ResourceSync, from: &Observed, create: bool| -> Result<(), SyncError> {
            let to: PathBuf = fsutil::join_inside(skill_src_dir, &rel)?;
            rs.actions.push(Action::CopyExtra {
                from: from.path.clone(),
                to: to.clone(),
                rel: rel.clone(),
                kind: if create { ChangeKind::Create } else { ChangeKind::Update },
            });
            let sha256 = from.known_sha();
            rs.refresh_outputs.push(Refresh { rel: output_rel.clone(), extra_source: Some(to), sha256 });
            Ok(())
        };
        let delete = |rs: &mut ResourceSync, s: &Observed| {
            rs.actions.push(Action::DeleteExtra { path: s.path.clone(), rel: rel.clone() });
            rs.drop_outputs.push(output_rel.clone());
        };
        match decision {
            ExtraDecision::Nothing | ExtraDecision::Excluded => {}
            ExtraDecision::Forget => rs.drop_outputs.push(output_rel.clone()),
            ExtraDecision::Copy { create } => copy(rs, &sides.project.files[&rel], create)?,
            ExtraDecision::Delete => delete(rs, &sides.source[&rel]),
            ExtraDecision::SourceEdited => rs.source_edits.push(format!("extra {rel}")),
            ExtraDecision::Conflict => {
                rs.conflicts.push(Conflict::Extra(rel.clone()));
                if self.force {
                    match (sides.project.files.get(&rel), sides.source.get(&rel)) {
                        (Some(p), s) => copy(rs, p, s.is_none())?,
                        (None, Some(s)) => delete(rs, s),
                        (None, None) => {}
                    }
                }
            }
            ExtraDecision::ProjectEditedSame => {
                // The source file keeps its own stat: refreshed from disk, not from the copy.
                let to = fsutil::join_inside(skill_src_dir, &rel)?;
                rs.refresh_outputs.push(Refresh {
                    rel: output_rel.clone(),
                    extra_source: Some(to),
                    sha256: None,
                });
            }
        }
        Ok(())
    }
}
