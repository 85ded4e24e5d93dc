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
    let best = suggestions(&pattern.text, &candidates, index, pattern.kind);
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

/// The names closest to a pattern that matched nothing, compared without its wildcards: the
/// whole `plugin:name`, else its plugin part (as `plugin:*`), else its name part.
fn suggestions(
    text: &str,
    candidates: &BTreeSet<String>,
    index: &SourceIndex,
    kind: Option<crate::names::ResourceKind>,
) -> Vec<String> {
    let literal = |s: &str| -> String { s.chars().filter(|c| !"*?[]{},".contains(*c)).collect() };
    let close = |needle: &str, among: &BTreeSet<String>| -> Vec<String> {
        if needle.is_empty() {
            return Vec::new();
        }
        closest(needle, among.iter().map(String::as_str)).into_iter().map(str::to_string).collect()
    };
    let best = close(&literal(text), candidates);
    let Some((plugin, name)) = text.split_once(':').filter(|_| best.is_empty()) else { return best };
    let plugins: BTreeSet<String> = index.ids().map(|id| id.plugin.to_string()).collect();
    let by_plugin: Vec<String> =
        close(&literal(plugin), &plugins).into_iter().map(|p| format!("{p}:*")).collect();
    if !by_plugin.is_empty() {
        return by_plugin;
    }
    let names: BTreeSet<String> =
        index.ids().filter(|id| Some(id.kind) == kind).map(|id| id.name.to_string()).collect();
    let close_names = close(&literal(name), &names);
    candidates
        .iter()
        .filter(|q| q.split_once(':').is_some_and(|(_, n)| close_names.iter().any(|c| c == n)))
        .take(3)
        .cloned()
        .collect()
}
