//! Copilot CLI's duplicate skills: it reads a project's skills from `.github/skills/`,
//! `.agents/skills/` and `.claude/skills/` (in that order; for the user `~/.copilot/skills/`,
//! then `~/.agents/skills/`) and drops a second skill of the same name without a word. When two
//! output roots of one project write skills of the same name from *different* resources, the
//! one Copilot loses is a skill the user expects to have: the build warns.
//!
//! The same resource built for Copilot and for Claude Code or Codex is not warned about:
//! Copilot loads the copy rendered for it, the other is meant for the other agent.
//!
//! The other roots are the project's sibling directories with a manifest (what their last build
//! wrote), as for the shared global file (`global.rs`); a multi-target build sees the roots it
//! built before this one.

use std::collections::BTreeMap;
use std::path::Path;

use super::plan::Plan;
use super::Layout;
use crate::manifest::{Manifest, OutputOrigin};
use crate::names::Target;

/// A skill Copilot CLI will not load because another of the same name comes first.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[error(
    "skill `{name}`: Copilot CLI reads both {loaded} ({loaded_from}) and {dropped} ({dropped_from}), loads the first and silently drops the second"
)]
#[diagnostic(
    code(agb::outputs::copilot_duplicate_skill),
    severity(Warning),
    help("rename one of the two resources, or deselect one of them for the target that should not have it; the build went on")
)]
pub struct ShadowedSkill {
    pub name: String,
    /// This build's copy of the skill (its `SKILL.md`), relative to the output root, and the
    /// resource it is rendered from: what `build --json` names, as for the schema warnings.
    pub output: String,
    pub resource: String,
    /// The skill directory Copilot loads, relative to the project (`.github/skills/<name>`).
    pub loaded: String,
    pub loaded_from: String,
    /// The one it drops (`.agents/skills/<name>` or `.claude/skills/<name>`).
    pub dropped: String,
    pub dropped_from: String,
}

/// A skill directory written by one root: its place relative to the project, its `SKILL.md`
/// relative to the root, and what it is rendered from (source root and resource, so two
/// sources' `p:x` are told apart).
struct SkillDir {
    dir: String,
    rel: String,
    origin: (std::path::PathBuf, String),
}

/// The duplicate skills between this build's plan and the project's other output roots. Reads
/// nothing unless the target is one Copilot shares skills with and the plan has skills.
pub fn shadowed_skills(layout: &Layout, plan: &Plan) -> Vec<ShadowedSkill> {
    if !matches!(layout.target, Target::Copilot | Target::ClaudeCode | Target::Codex) {
        return Vec::new();
    }
    let (Some(project), Some(own_name)) = (layout.output_root.parent(), layout.output_root.file_name())
    else {
        return Vec::new();
    };
    let own_name = own_name.to_string_lossy();
    let written = plan.writes.iter().map(|w| (&w.output.rel, &w.output.resource));
    let kept = plan.kept.iter().map(|k| (&k.rel, &k.entry.resource));
    let own = skill_dirs(&own_name, &layout.source_root, written.chain(kept));
    if own.is_empty() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (root_name, manifest) in sibling_manifests(project, &own_name) {
        let entries = manifest.files.iter().map(|(rel, e)| (rel, &e.resource));
        let theirs = skill_dirs(&root_name, &manifest.source_root, entries);
        let dups = match (layout.target, manifest.target) {
            (Target::Copilot, Target::ClaudeCode | Target::Codex) => {
                duplicates(&own, &theirs, &own_name, true)
            }
            (Target::ClaudeCode | Target::Codex, Target::Copilot) => {
                duplicates(&theirs, &own, &root_name, false)
            }
            _ => continue,
        };
        found.extend(dups);
    }
    found.sort_by(|a, b| (&a.name, &a.dropped).cmp(&(&b.name, &b.dropped)));
    found.dedup();
    found
}

/// Pairs of same-named skills of different origin that Copilot (its root named `copilot_root`)
/// sees both of: `.agents/skills/` always, `.claude/skills/` in a project (`.github`) only.
/// `copilot_is_own`: the Copilot side is this build's (else the other side is).
fn duplicates(
    copilot: &BTreeMap<String, SkillDir>,
    other: &BTreeMap<String, SkillDir>,
    copilot_root: &str,
    copilot_is_own: bool,
) -> Vec<ShadowedSkill> {
    let reads = |dir: &str| {
        dir.starts_with(".agents/skills/")
            || (copilot_root == ".github" && dir.starts_with(".claude/skills/"))
    };
    copilot
        .iter()
        .filter_map(|(name, loaded)| {
            let dropped = other.get(name).filter(|o| reads(&o.dir) && o.origin != loaded.origin)?;
            let own = if copilot_is_own { loaded } else { dropped };
            Some(ShadowedSkill {
                name: name.clone(),
                output: own.rel.clone(),
                resource: own.origin.1.clone(),
                loaded: loaded.dir.clone(),
                loaded_from: loaded.origin.1.clone(),
                dropped: dropped.dir.clone(),
                dropped_from: dropped.origin.1.clone(),
            })
        })
        .collect()
}

/// The skill directories among `entries` (paths relative to the root `root_name`): every
/// `…/skills/<name>/SKILL.md`, keyed by name, placed relative to the project.
fn skill_dirs<'a>(
    root_name: &str,
    source_root: &Path,
    entries: impl Iterator<Item = (&'a String, &'a OutputOrigin)>,
) -> BTreeMap<String, SkillDir> {
    entries
        .filter_map(|(rel, origin)| {
            let dir = rel.strip_suffix("/SKILL.md")?;
            let in_project = match dir.strip_prefix("../") {
                Some(up) => up.to_string(),
                None => format!("{root_name}/{dir}"),
            };
            let (parent, name) = in_project.rsplit_once('/')?;
            (parent == "skills" || parent.ends_with("/skills")).then(|| {
                let origin = (source_root.to_path_buf(), origin.key());
                (name.to_string(), SkillDir { dir: in_project.clone(), rel: rel.clone(), origin })
            })
        })
        .collect()
}

/// The manifests of the other output roots of the project: its subdirectories holding one.
fn sibling_manifests(project: &Path, own_name: &str) -> Vec<(String, Manifest)> {
    let Ok(entries) = std::fs::read_dir(project) else { return Vec::new() };
    let mut out: Vec<(String, Manifest)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy() != own_name && e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| Manifest::path(&e.path()).is_file())
        .filter_map(|e| {
            Some((e.file_name().to_string_lossy().into_owned(), Manifest::load(&e.path()).ok()??))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}
