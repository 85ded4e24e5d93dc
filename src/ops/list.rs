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
