//! Resolving the patterns of a selection against the source (issue 11): `plugins:` entries
//! select every command, agent and skill of the plugins they name (or match, as globs), and a
//! glob entry of `resources:` (`python-development:*`, `*:code-review*`) every resource of its
//! kind whose `plugin:name` it matches. The result is the selection as exact entries, each
//! pointing at the line of the pattern that selected it; a pattern that matches nothing is an
//! error with the closest names.
//!
//! Resolution happens every time the selection is loaded (build, sync, status, list), so a
//! resource added to a selected plugin is selected from then on: `agb status` lists its outputs
//! as to be created, and the manifest of the next build records them.
//!
//! Not here: checking the syntax of the patterns (`config`), loading what they select (`load`).

use std::borrow::Cow;
use std::collections::BTreeSet;

use crate::config::{Config, Pattern, ResourceRef};
use crate::suggest::closest;

use super::scan::SourceIndex;
use super::SourceError;

/// `config` with its patterns resolved into exact entries (unchanged, borrowed, without
/// patterns). Exact entries come first, in file order; what patterns add follows, in the
/// order of the patterns, each pattern's matches sorted by name.
pub fn resolve_selection<'c>(
    config: &'c Config,
    index: &SourceIndex,
) -> Result<Cow<'c, Config>, SourceError> {
    if !config.has_patterns() {
        return Ok(Cow::Borrowed(config));
    }
    let mut resolved = config.clone();
    resolved.patterns.clear();
    let mut errors = Vec::new();
    for pattern in &config.patterns {
        let Ok(glob) = globset::Glob::new(&pattern.text) else { continue };
        let matcher = glob.compile_matcher();
        let mut matched = false;
        for entry in index.entries() {
            let id = &entry.id;
            let hit = match pattern.kind {
                None => matcher.is_match(id.plugin.as_str()),
                Some(kind) => kind == id.kind && matcher.is_match(id.qualified()),
            };
            if !hit {
                continue;
            }
            matched = true;
            if !resolved.resources.contains(id) {
                resolved.resources.add(ResourceRef {
                    id: id.clone(),
                    line: pattern.line,
                    span: pattern.span,
                });
            }
        }
        if !matched {
            errors.push(unmatched(config, index, pattern));
        }
    }
    if !errors.is_empty() {
        return Err(SourceError::combine(errors));
    }
    Ok(Cow::Owned(resolved))
}

fn unmatched(config: &Config, index: &SourceIndex, pattern: &Pattern) -> SourceError {
    let (what, candidates): (String, BTreeSet<String>) = match pattern.kind {
        None => ("plugin".into(), index.ids().map(|id| id.plugin.to_string()).collect()),
        Some(kind) => {
            (kind.to_string(), index.ids().filter(|id| id.kind == kind).map(|id| id.qualified()).collect())
        }
    };
    // Compare the pattern without its wildcards: `pyton-development:*` is close to
    // `python-development:lint` through its literal part.
    let literal: String = pattern.text.chars().filter(|c| !"*?[]{}".contains(*c)).collect();
    let literal = literal.trim_end_matches(':');
    let mut best: Vec<String> =
        closest(literal, candidates.iter().map(String::as_str)).into_iter().map(str::to_string).collect();
    if best.is_empty() {
        if let Some((plugin, _)) = literal.split_once(':') {
            let plugins: BTreeSet<String> = index.ids().map(|id| id.plugin.to_string()).collect();
            best = closest(plugin, plugins.iter().map(String::as_str))
                .into_iter()
                .map(|p| format!("{p}:*"))
                .collect();
        }
    }
    let advice = match best.split_first() {
        Some((first, [])) => format!("did you mean `{first}`?"),
        Some((first, rest)) => format!(
            "did you mean `{first}`? (or {})",
            rest.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
        ),
        None => "run `agb list --all` to see the plugins and resources of the source".into(),
    };
    SourceError::UnmatchedPattern {
        config: config.path.clone(),
        pattern: pattern.text.clone(),
        what,
        line: pattern.line,
        src: config.named_source(),
        span: pattern.span,
        source_dir: index.plugins_dir.display().to_string(),
        advice,
    }
}
