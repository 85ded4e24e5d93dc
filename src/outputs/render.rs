//! Rendering a [`Selection`] into the [`Desired`] outputs of a build: the glue between `source`
//! (what is selected), `target` (what each resource renders to) and the build plan. Also checks
//! that no two resources write the same output path.
//!
//! Not here: deciding what to write (`plan`), touching the disk beyond one `stat` of the global
//! instructions (`io`).

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use super::{BuildError, Desired, Layout, OutputWarning, RenderedSelection};
use crate::config::Config;
use crate::manifest::{FileStat, OutputOrigin};
use crate::names::{ResourceKind, Target};
use crate::source::{Resource, Selection};
use crate::targets::{self, OutputContent, Scope};

/// Render every selected resource for the layout's target, in parallel, and the global
/// instructions when the source has `AGENTS.md`.
pub fn desired_outputs(layout: &Layout, selection: &Selection) -> Result<RenderedSelection, BuildError> {
    check_selection(layout.target, selection)?;
    let rendered = selection
        .resources
        .par_iter()
        .map(|r| render_resource(layout, selection, r))
        .collect::<Result<_, BuildError>>()?;
    assemble(layout, selection, rendered, codex_descriptions(layout, &selection.resources))
}

/// [`desired_outputs`], consuming the selection: each resource's parsed text, metadata and list
/// of extras is freed as soon as it is rendered (by the worker that loaded it), not held next
/// to all the outputs until the end (for `agb build`, which needs nothing else from it).
pub fn into_desired_outputs(
    layout: &Layout,
    mut selection: Selection,
) -> Result<RenderedSelection, BuildError> {
    check_selection(layout.target, &selection)?;
    let codex_descriptions = codex_descriptions(layout, &selection.resources);
    let resources = std::mem::take(&mut selection.resources);
    let rendered = resources
        .into_par_iter()
        .map(|r| render_resource(layout, &selection, &r))
        .collect::<Result<_, BuildError>>()?;
    assemble(layout, &selection, rendered, codex_descriptions)
}

/// One resource's outputs, made on the worker that rendered it (no list of everything rendered
/// is held next to the outputs made from it), and its schema warnings.
fn render_resource(
    layout: &Layout,
    selection: &Selection,
    r: &Resource,
) -> Result<(Vec<Desired>, Vec<targets::Warning>), BuildError> {
    let rendered = targets::render(layout.target, r)?;
    Ok((resource_outputs(r, rendered.files, selection.source_files(r)), rendered.warnings))
}

/// Codex: each selected agent's description as the source says it now.
fn codex_descriptions(layout: &Layout, resources: &[Resource]) -> HashMap<String, Option<String>> {
    resources
        .iter()
        .filter(|r| layout.target == Target::Codex && r.id.kind == ResourceKind::Agent)
        .map(|r| (r.id.name.as_str().to_string(), r.description().map(str::to_string)))
        .collect()
}

/// The rendered resources' outputs in selection order, then the global instructions; refused
/// when two of them have the same path.
fn assemble(
    layout: &Layout,
    selection: &Selection,
    rendered: Vec<(Vec<Desired>, Vec<targets::Warning>)>,
    codex_descriptions: HashMap<String, Option<String>>,
) -> Result<RenderedSelection, BuildError> {
    let mut out = RenderedSelection { codex_descriptions, ..RenderedSelection::default() };
    // Sized once: grown by doubling, a large selection's list would hold up to twice its size.
    out.outputs.reserve_exact(rendered.iter().map(|(files, _)| files.len()).sum::<usize>() + 1);
    for (files, warnings) in rendered {
        if let Some(main) = files.first().map(|f| f.rel.clone()) {
            out.warnings
                .extend(warnings.into_iter().map(|warning| OutputWarning { output: main.clone(), warning }));
        }
        out.outputs.extend(files);
    }
    if let Some(global) = &selection.global_instructions {
        let size = std::fs::metadata(global).map(|m| m.len()).unwrap_or(0);
        out.outputs.push(Desired {
            rel: layout.global_rel(),
            content: OutputContent::Copy { from: global.clone(), size },
            resource: OutputOrigin::Global,
            sources: Vec::new(),
            source_stat: None,
        });
    }
    check_collisions(&out.outputs)?;
    Ok(out)
}

/// The outputs of one rendered resource. A copied extra carries the stat the loader took of it,
/// so preparing the build does not stat it again (extras are most of a large build's files).
fn resource_outputs(
    r: &Resource,
    files: Vec<targets::OutputFile>,
    text_sources: Vec<PathBuf>,
) -> Vec<Desired> {
    let mut extras = r.extras.iter().peekable();
    let mut outputs = Vec::with_capacity(files.len());
    for file in files {
        let (sources, source_stat) = match &file.content {
            OutputContent::Copy { from, .. } => {
                // The copies come in the extras' order: the next extra is almost always the one.
                let next = extras.next_if(|e| e.path.as_os_str() == from.as_os_str());
                let extra = next.or_else(|| r.extras.iter().find(|e| e.path.as_os_str() == from.as_os_str()));
                let stat =
                    extra.filter(|e| e.modified.is_some()).map(|e| FileStat::from_parts(e.size, e.modified));
                (Vec::new(), stat)
            }
            OutputContent::Text(_) => (text_sources.clone(), None),
        };
        outputs.push(Desired {
            rel: file.rel,
            content: file.content,
            resource: OutputOrigin::Resource(r.id.clone()),
            sources,
            source_stat,
        });
    }
    outputs
}

/// No two outputs may have the same path. Found by sorting positions, not with a map of every
/// path to its owner (a copy of every path, held while the outputs are built). The collision
/// reported is the one a walk in selection order meets first.
fn check_collisions(outputs: &[Desired]) -> Result<(), BuildError> {
    let mut order: Vec<u32> = (0..outputs.len() as u32).collect();
    // Stable: equal paths stay in selection order, the first owner first.
    order.sort_by(|&a, &b| outputs[a as usize].rel.cmp(&outputs[b as usize].rel));
    let mut found: Option<(usize, usize)> = None;
    let mut group_start = 0;
    for w in 1..order.len() {
        let (first, this) = (order[group_start] as usize, order[w] as usize);
        if outputs[first].rel != outputs[this].rel {
            group_start = w;
            continue;
        }
        if found.is_none_or(|(_, second)| this < second) {
            found = Some((first, this));
        }
    }
    match found {
        None => Ok(()),
        Some((first, second)) => Err(BuildError::OutputCollision {
            rel: outputs[second].rel.clone(),
            first: outputs[first].resource.key(),
            second: outputs[second].resource.key(),
        }),
    }
}

/// The plan-time check (issue 10, §2): every name the agent would reject and every description it
/// requires, for all resources at once, before anything is rendered or written. Each error names
/// the source file, with the line of the frontmatter key when there is one.
fn check_selection(target: Target, selection: &Selection) -> Result<(), BuildError> {
    let mut errors: Vec<targets::TargetError> = Vec::new();
    for r in &selection.resources {
        let mut found = targets::check(target, r);
        if found.is_empty() {
            continue;
        }
        let text = std::fs::read_to_string(&r.main_file).unwrap_or_default();
        for e in &mut found {
            add_line(e, &text);
        }
        errors.extend(found);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(BuildError::NotLoadable { target, errors })
    }
}

/// `file` → `file:line` of the frontmatter key the error is about (`name`, `description`).
fn add_line(e: &mut targets::TargetError, text: &str) {
    use targets::TargetError::*;
    let (file, key) = match e {
        InvalidName { file, .. } => (file, "name"),
        MissingDescription { file, .. } | DescriptionTooLong { file, .. } => (file, "description"),
        _ => return,
    };
    let Some(rest) = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n")) else { return };
    let end = rest.find("\n---").map_or(text.len(), |i| i + text.len() - rest.len());
    let at = crate::text::locate_key(text, 0, end, key, Some(0)).map(|(offset, _)| offset);
    let line = at.map_or(1, |offset| crate::text::line_of_offset(text, offset));
    if at.is_some() || key == "description" {
        *file = format!("{file}:{line}");
    }
}

impl Layout {
    /// Where the global instructions go, relative to the output root: where the agent reads
    /// them (issue 10): the project root (`../GEMINI.md`, `../AGENTS.md`) unless the output root
    /// is the agent's user directory; Claude Code's `CLAUDE.md` in the root.
    pub fn global_rel(&self) -> String {
        targets::global_file(self.target, self.scope()).rel()
    }

    /// [`Scope::User`] when the output root is the agent's user directory (`~/.gemini` or
    /// `$GEMINI_CLI_HOME/.gemini`, `~/.claude` or `$CLAUDE_CONFIG_DIR`, `~/.config/opencode`,
    /// `$XDG_CONFIG_HOME/opencode` or `$OPENCODE_CONFIG_DIR`, `~/.codex` or `$CODEX_HOME`),
    /// compared canonicalized; a project's directory otherwise.
    pub fn scope(&self) -> Scope {
        // The directories and overrides are the `--user` ones (`config::user_dirs`).
        let user_dirs = crate::config::user_dirs(self.target);
        let canonical = |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        let root = canonical(&self.output_root);
        if user_dirs.iter().any(|d| canonical(d) == root) {
            Scope::User
        } else {
            Scope::Project
        }
    }

    /// The layout of a loaded agb.yaml.
    pub fn of(config: &Config) -> Layout {
        Layout {
            output_root: config.output_root.clone(),
            source_root: config.source.clone(),
            target: config.target,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desired(rel: &str, resource: &str) -> Desired {
        Desired {
            rel: rel.into(),
            content: OutputContent::Text(String::new()),
            resource: OutputOrigin::Resource(crate::names::ResourceId::from_key(resource).unwrap()),
            sources: Vec::new(),
            source_stat: None,
        }
    }

    #[test]
    fn a_collision_names_the_first_owner_and_the_first_resource_to_repeat_a_path() {
        let outputs = [
            desired("skills/x/SKILL.md", "skill p:x"),
            desired("skills/y/SKILL.md", "skill p:y"),
            desired("skills/y/SKILL.md", "command p:y"),
            desired("skills/x/SKILL.md", "command p:x"),
        ];
        assert!(check_collisions(&outputs[..2]).is_ok());
        let err = check_collisions(&outputs).unwrap_err();
        assert!(
            matches!(&err, BuildError::OutputCollision { rel, first, second }
                if rel == "skills/y/SKILL.md" && first == "skill p:y" && second == "command p:y"),
            "{err:?}"
        );
        let mut global = desired("CLAUDE.md", "command p:c");
        let mut outputs = vec![desired("a.md", "command p:a"), global.clone()];
        global.resource = OutputOrigin::Global;
        outputs.push(global);
        let err = check_collisions(&outputs).unwrap_err();
        assert!(
            matches!(&err, BuildError::OutputCollision { first, second, .. }
                if first == "command p:c" && second == crate::manifest::GLOBAL_RESOURCE),
            "{err:?}"
        );
    }
}
