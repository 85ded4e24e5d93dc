//! `agb list`: the resources of the source repository, marking the selected ones (SPEC §1.9).
//!
//! Without `--all`, the selection of agb.yaml (in its order); with `--all`, every resource of the
//! source. A resource that cannot be loaded is listed with its error instead of stopping the
//! listing; the exit code is 1 when a *selected* resource is broken or missing (a build would
//! fail), 0 otherwise.

use rayon::prelude::*;
use serde::Serialize;

use crate::cli::output::{outln, print_json};
use crate::cli::Global;
use crate::config::Config;
use crate::error::Exit;
use crate::names::ResourceId;
use crate::source::{self, DescriptionOrigin, IndexEntry, LoadContext, SourceIndex};

/// List the selected resources (plugin:name, type, description); with --all, every resource of
/// the source, the selected ones marked with `*`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Also list resources that are not selected in agb.yaml.
    #[arg(long)]
    pub all: bool,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// The `--json` document (`"schema": 1`; fields may be added, never changed).
#[derive(Debug, Serialize)]
pub struct ListJson {
    pub schema: u32,
    pub config: String,
    pub source: String,
    pub target: String,
    pub resources: Vec<ListEntry>,
    /// Files that look like resources but cannot be (bad names, a skill without SKILL.md);
    /// only with `--all`.
    pub problems: Vec<source::ScanProblem>,
}

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

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let config = Config::load(&global.config_path())?;
    let index = source::scan(&config.source)?;
    let overrides = source::load_overrides(&index.root)?;
    let excludes = config.excludes();
    let ctx = LoadContext {
        target: config.target,
        overrides: &overrides,
        excludes: &excludes,
        plugins_dir: &index.plugins_dir,
    };

    let rows: Vec<(ResourceId, Option<&IndexEntry>)> = if args.all {
        index.entries().map(|e| (e.id.clone(), Some(e))).collect()
    } else {
        config.resources.iter().map(|r| (r.id.clone(), index.get(&r.id))).collect()
    };
    let selected = config.resources.id_set();
    let entries: Vec<ListEntry> = rows
        .par_iter()
        .map(|(id, entry)| list_entry(selected.contains(id), &index, &ctx, id, *entry))
        .collect();
    let broken_selected = entries.iter().any(|e| e.selected && e.error.is_some());
    let problems = if args.all { index.problems.clone() } else { Vec::new() };

    if args.json {
        print_json(&ListJson {
            schema: 1,
            config: config.path.display().to_string(),
            source: config.source.display().to_string(),
            target: config.target.to_string(),
            resources: entries,
            problems,
        });
    } else {
        print_table(&entries);
        for p in &problems {
            global.warn(format_args!("{}: {}", p.path.display(), p.message));
        }
        if entries.is_empty() {
            if args.all {
                global.note(format_args!("no resources in {}", index.plugins_dir.display()));
            } else {
                global.note("nothing is selected in agb.yaml; `agb list --all` shows what the source holds");
            }
        }
    }
    Ok(if broken_selected { Exit::Error } else { Exit::Ok })
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

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `* command  research:web_search   Search the web…` — `*` marks the selected resources.
fn print_table(entries: &[ListEntry]) {
    let id_width = entries.iter().map(|e| e.id.chars().count()).max().unwrap_or(0);
    for e in entries {
        let mark = if e.selected { '*' } else { ' ' };
        let text = match (&e.error, &e.description) {
            (Some(err), _) => format!("error: {err}"),
            (None, Some(d)) => one_line(d),
            (None, None) => String::new(),
        };
        let line = format!("{mark} {:<7}  {:<id_width$}  {text}", e.kind, e.id);
        outln(line.trim_end());
    }
}
