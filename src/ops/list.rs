//! The resources of the source repository, marking the selected ones (SPEC §1.9).
//!
//! Without `all`, the selection of agb.yaml (in its order); with `all`, every resource of the
//! source. A resource that cannot be loaded is listed with its error instead of stopping the
//! listing.
//!
//! Not here: the table and the `--json` document (`cli::list`).

use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::names::ResourceId;
use crate::source::{self, DescriptionOrigin, IndexEntry, LoadContext, ScanProblem, SourceIndex};

use super::OpsError;

/// One row of `agb list`.
#[derive(Debug, Serialize)]
pub struct ListEntry {
    /// `plugin:name`
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub plugin: String,
    pub name: String,
    pub selected: bool,
    /// The description merged for the project's target (null when none or broken).
    pub description: Option<String>,
    pub description_origin: Option<DescriptionOrigin>,
    /// The resource's main file (null when the selected resource is not in the source).
    pub path: Option<String>,
    /// Why the resource cannot be loaded, if it cannot.
    pub error: Option<String>,
}

/// The rows of a listing, and what else the scan found.
#[derive(Debug)]
pub struct Listing {
    pub entries: Vec<ListEntry>,
    /// Files that look like resources but cannot be (bad names, a skill without SKILL.md);
    /// only when listing all.
    pub problems: Vec<ScanProblem>,
    /// `SOURCE/plugins`.
    pub plugins_dir: PathBuf,
}

impl Listing {
    /// A selected resource is broken or missing: a build would fail.
    pub fn has_broken_selection(&self) -> bool {
        self.entries.iter().any(|e| e.selected && e.error.is_some())
    }
}

/// Which rows `agb list PATTERN...` keeps: a pattern with `:` is a glob over `plugin:name`, one
/// without is a glob over the name alone (so `web_search` and `web*` need no plugin). No patterns
/// keep every row.
#[derive(Debug)]
pub struct ResourceFilter {
    qualified: globset::GlobSet,
    bare: globset::GlobSet,
    empty: bool,
}

impl ResourceFilter {
    pub fn new(patterns: &[String]) -> Result<ResourceFilter, OpsError> {
        let mut qualified = globset::GlobSetBuilder::new();
        let mut bare = globset::GlobSetBuilder::new();
        for pattern in patterns {
            let glob = globset::GlobBuilder::new(pattern).literal_separator(true).build().map_err(|e| {
                OpsError::BadPattern { pattern: pattern.clone(), message: e.kind().to_string() }
            })?;
            if pattern.contains(':') {
                qualified.add(glob)
            } else {
                bare.add(glob)
            };
        }
        let build = |b: globset::GlobSetBuilder| b.build().unwrap_or_else(|_| globset::GlobSet::empty());
        Ok(ResourceFilter { qualified: build(qualified), bare: build(bare), empty: patterns.is_empty() })
    }

    pub fn matches(&self, plugin: &str, name: &str) -> bool {
        self.empty || self.bare.is_match(name) || self.qualified.is_match(format!("{plugin}:{name}"))
    }
}

/// List the selected resources of `config`, or with `all` every resource of its source.
pub fn list_resources(config: &Config, all: bool) -> Result<Listing, OpsError> {
    let index = source::scan(&config.source)?;
    // `plugins:` and glob entries as the resources they select now (the listing shows them).
    let resolved = source::resolve_selection(config, &index)?;
    let config = resolved.as_ref();
    // The same loading context a build uses (overrides, excludes, target), made in one place.
    let loader = source::ResourceLoader::new(config, &index)?;
    let ctx = loader.context();

    let rows: Vec<(ResourceId, Option<&IndexEntry>)> = if all {
        index.entries().map(|e| (e.id.clone(), Some(e))).collect()
    } else {
        config.resources.iter().map(|r| (r.id.clone(), index.get(&r.id))).collect()
    };
    let selected = config.resources.id_set();
    let entries: Vec<ListEntry> = rows
        .par_iter()
        .map(|(id, entry)| list_entry(selected.contains(id), &index, &ctx, id, *entry))
        .collect();
    let problems = if all { index.problems.clone() } else { Vec::new() };
    Ok(Listing { entries, problems, plugins_dir: index.plugins_dir.clone() })
}

fn list_entry(
    selected: bool,
    index: &SourceIndex,
    ctx: &LoadContext<'_>,
    id: &ResourceId,
    entry: Option<&IndexEntry>,
) -> ListEntry {
    let mut row = ListEntry {
        id: id.qualified(),
        kind: id.kind.to_string(),
        plugin: id.plugin.to_string(),
        name: id.name.to_string(),
        selected,
        description: None,
        description_origin: None,
        path: entry.map(|e| e.main_file.display().to_string()),
        error: None,
    };
    let Some(entry) = entry else {
        let mut msg = format!("no {} `{}` in the source", id.kind, id.qualified());
        if let Some(best) = index.suggest(id).first() {
            msg.push_str(&format!(" (did you mean `{best}`?)"));
        }
        row.error = Some(msg);
        return row;
    };
    match source::load_resource(entry, ctx) {
        Ok(r) => {
            row.description = r.metadata.get("description").and_then(description_text);
            row.description_origin = Some(r.description_origin);
        }
        Err(e) => row.error = Some(one_line(&e.to_string())),
    }
    row
}

/// A description as text: strings as they are, other scalars in their YAML form.
fn description_text(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::Null => None,
        serde_yaml::Value::String(s) => Some(s.clone()),
        other => serde_yaml::to_string(other).ok().map(|s| s.trim_end().to_string()),
    }
}

/// `s` with every run of whitespace (newlines included) made one space.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::ResourceFilter;

    fn filter(patterns: &[&str]) -> ResourceFilter {
        ResourceFilter::new(&patterns.iter().map(|p| p.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn patterns_match_qualified_ids_or_bare_names() {
        let f = filter(&["research:*", "summ*"]);
        assert!(f.matches("research", "web_search"));
        assert!(f.matches("docs", "summarize"));
        assert!(!f.matches("docs", "doc_review"));
        assert!(filter(&[]).matches("any", "thing"));
        assert!(filter(&["doc_review"]).matches("docs", "doc_review"));
        assert!(!filter(&["docs:web*"]).matches("research", "web_search"));
    }

    #[test]
    fn a_malformed_glob_is_an_error_naming_it() {
        let err = ResourceFilter::new(&["web[".to_string()]).unwrap_err();
        assert!(err.to_string().contains("web["), "{err}");
    }
}
