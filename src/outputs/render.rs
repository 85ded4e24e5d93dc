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
use crate::manifest::{FileStat, OutputOrigin, GLOBAL_RESOURCE};
use crate::names::{ResourceKind, Target};
use crate::source::Selection;
use crate::targets::{self, OutputContent, Scope};

/// Render every selected resource for the layout's target, in parallel, and the global
/// instructions when the source has `AGENTS.md`.
pub fn desired_outputs(layout: &Layout, selection: &Selection) -> Result<RenderedSelection, BuildError> {
    check_selection(layout.target, selection)?;
    let rendered: Vec<(crate::names::ResourceId, targets::Rendered, Vec<PathBuf>)> = selection
        .resources
        .par_iter()
        .map(|r| {
            let rendered = targets::render(layout.target, r)?;
            Ok((r.id.clone(), rendered, selection.source_files(r)))
        })
        .collect::<Result<_, BuildError>>()?;

    let known_source_stats = selection
        .resources
        .iter()
        .flat_map(|r| &r.extras)
        .filter(|e| e.modified.is_some())
        .map(|e| (e.path.clone(), FileStat::from_parts(e.size, e.modified)))
        .collect();
    let codex_descriptions = selection
        .resources
        .iter()
        .filter(|r| layout.target == Target::Codex && r.id.kind == ResourceKind::Agent)
        .map(|r| (r.id.name.as_str().to_string(), r.description().map(str::to_string)))
        .collect();
    let mut out =
        RenderedSelection { known_source_stats, codex_descriptions, ..RenderedSelection::default() };
    // Sized once: grown by doubling, a large selection's list would hold up to twice its size.
    out.outputs.reserve_exact(rendered.iter().map(|(_, r, _)| r.files.len()).sum::<usize>() + 1);
    let mut owner: HashMap<String, String> = HashMap::new();
    for (id, rendered, text_sources) in rendered {
        let key = id.key();
        if let Some(main) = rendered.files.first().map(|f| f.rel.clone()) {
            let warnings =
                rendered.warnings.into_iter().map(|warning| OutputWarning { output: main.clone(), warning });
            out.warnings.extend(warnings);
        }
        for file in rendered.files {
            if let Some(first) = owner.insert(file.rel.clone(), key.clone()) {
                return Err(BuildError::OutputCollision { rel: file.rel, first, second: key });
            }
            let sources = match &file.content {
                OutputContent::Copy { from, .. } => vec![from.clone()],
                OutputContent::Text(_) => text_sources.clone(),
            };
            out.outputs.push(Desired {
                rel: file.rel,
                content: file.content,
                resource: OutputOrigin::Resource(id.clone()),
                sources,
            });
        }
    }
    if let Some(global) = &selection.global_instructions {
        let rel = layout.global_rel();
        if let Some(first) = owner.get(&rel) {
            return Err(BuildError::OutputCollision {
                rel,
                first: first.clone(),
                second: GLOBAL_RESOURCE.into(),
            });
        }
        let size = std::fs::metadata(global).map(|m| m.len()).unwrap_or(0);
        out.outputs.push(Desired {
            rel,
            content: OutputContent::Copy { from: global.clone(), size },
            resource: OutputOrigin::Global,
            sources: vec![global.clone()],
        });
    }
    Ok(out)
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
