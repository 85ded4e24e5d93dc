//! `agb list`: the resources of the source repository, marking the selected ones (SPEC §1.9).
//!
//! Without `--all`, the selection of agb.yaml (in its order); with `--all`, every resource of the
//! source. A resource that cannot be loaded is listed with its error instead of stopping the
//! listing; the exit code is 1 when a *selected* resource is broken or missing (a build would
//! fail), 0 otherwise.

use serde::Serialize;

use crate::cli::build::{for_each_target, TargetFlags};
use crate::cli::common::JsonFlag;
use crate::cli::output::outln;
use crate::cli::Global;
use crate::config::Config;
use crate::error::Exit;
use crate::ops::list::{list_resources, one_line, ListEntry, ResourceFilter};
use crate::source;

/// List the selected resources (plugin:name, type, description); with --all, every resource of
/// the source, the selected ones marked with `*`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only these resources: `plugin:name`, a bare `name`, or a glob of either (`research:*`,
    /// `web*`). Exits 5 when nothing listed matches.
    #[arg(value_name = "PLUGIN:NAME|GLOB", add = crate::cli::completions::resource_completer())]
    pub patterns: Vec<String>,
    /// Also list resources that are not selected in agb.yaml.
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub targets: TargetFlags,
    #[command(flatten)]
    pub output: JsonFlag,
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

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    for_each_target(&args.targets, args.output.json, global, |config, docs| {
        list_one(config, &args, global, docs)
    })
}

/// One target's listing (its `--json` document goes to `docs`).
fn list_one(
    config: &Config,
    args: &Args,
    global: &Global,
    docs: &mut Vec<serde_json::Value>,
) -> miette::Result<Exit> {
    let mut listing = list_resources(config, args.all)?;
    let filter = ResourceFilter::new(&args.patterns)?;
    listing.entries.retain(|e| filter.matches(&e.plugin, &e.name));
    let exit = if listing.has_broken_selection() {
        Exit::Error
    } else if !args.patterns.is_empty() && listing.entries.is_empty() {
        Exit::NotFound
    } else {
        Exit::Ok
    };
    if args.output.json {
        let doc = ListJson {
            schema: 1,
            config: config.path.display().to_string(),
            source: config.source.display().to_string(),
            target: config.target.to_string(),
            resources: listing.entries,
            problems: listing.problems,
        };
        docs.push(serde_json::to_value(doc).unwrap_or(serde_json::Value::Null));
        return Ok(exit);
    }
    print_table(&listing.entries);
    for p in &listing.problems {
        global.warn(format_args!("{}: {}", p.path.display(), p.message));
    }
    if listing.entries.is_empty() {
        if !args.patterns.is_empty() {
            let all = if args.all { "" } else { " (`--all` also lists what is not selected)" };
            global.note(format_args!("no resource matches {}{all}", args.patterns.join(" ")));
        } else if args.all {
            global.note(format_args!("no resources in {}", listing.plugins_dir.display()));
        } else {
            global.note("nothing is selected in agb.yaml; `agb list --all` shows what the source holds");
        }
    }
    Ok(exit)
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
