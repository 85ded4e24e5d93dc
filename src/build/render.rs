//! Rendering a [`Selection`] into the [`Desired`] outputs of a build (glue between `source`,
//! `target` and the build plan).

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use super::{BuildError, Desired, Layout, RenderedSelection};
use crate::manifest::GLOBAL_RESOURCE;
use crate::names::Target;
use crate::source::Selection;
use crate::target::{self, OutputContent};

/// Render every selected resource for the layout's target, in parallel, and the global
/// instructions when the source has `AGENTS.md`.
pub fn desired_outputs(layout: &Layout, selection: &Selection) -> Result<RenderedSelection, BuildError> {
    let overrides = layout.source_root.join("overrides.yaml");
    let overrides = overrides.is_file().then_some(overrides);
    let rendered: Vec<(String, target::Rendered, Vec<PathBuf>)> = selection
        .resources
        .par_iter()
        .map(|r| {
            let rendered = target::render(layout.target, r)?;
            let mut text_sources = vec![r.main_file.clone()];
            text_sources.extend(r.sidecar.iter().cloned());
            text_sources.extend(overrides.iter().cloned());
            Ok((r.id.key(), rendered, text_sources))
        })
        .collect::<Result<_, BuildError>>()?;

    let mut out = RenderedSelection::default();
    let mut owner: HashMap<String, String> = HashMap::new();
    let mut codex_agents = Vec::new();
    for (key, rendered, text_sources) in rendered {
        for file in rendered.files {
            if let Some(first) = owner.insert(file.rel.clone(), key.clone()) {
                return Err(BuildError::OutputCollision { rel: file.rel, first, second: key });
            }
            let sources = match &file.content {
                OutputContent::Copy { from, .. } => vec![from.clone()],
                OutputContent::Text(_) => text_sources.clone(),
            };
            out.outputs.push(Desired { rel: file.rel, content: file.content, resource: key.clone(), sources });
        }
        codex_agents.extend(rendered.codex_agent);
    }
    if let Some(global) = &selection.global_instructions {
        let rel = target::global_file_name(layout.target).to_string();
        if let Some(first) = owner.get(&rel) {
            return Err(BuildError::OutputCollision { rel, first: first.clone(), second: GLOBAL_RESOURCE.into() });
        }
        let size = std::fs::metadata(global).map(|m| m.len()).unwrap_or(0);
        out.outputs.push(Desired {
            rel,
            content: OutputContent::Copy { from: global.clone(), size },
            resource: GLOBAL_RESOURCE.into(),
            sources: vec![global.clone()],
        });
    }
    if layout.target == Target::Codex {
        out.codex_agents = Some(codex_agents);
    }
    Ok(out)
}

