//! `agb adopt`: bring commands, agents and skills written in an agent's own format into the
//! source, as resources of one plugin, and make agb their owner.

use std::path::PathBuf;

use serde::Serialize;

use crate::adopt::{AdoptOptions, AdoptPlan};
use crate::cli::common::JsonFlag;
use crate::cli::output::{outln, print_json};
use crate::cli::Global;
use crate::config::Config;
use crate::error::Exit;
use crate::names::{Name, Target};
use crate::ops::adopt::{adopt_files, AdoptReport};
use crate::ops::Mode;

/// Move commands, agents and skills written for an agent into the source as a plugin's
/// resources (a Gemini TOML command becomes Markdown with frontmatter), select them in
/// agb.yaml, and record the project files as agb's outputs so the next `agb build` owns them.
///
/// Never overwrites a resource of the source. See docs/adopt.md for what goes where.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or skill directories in the directory of agb.yaml (`agents/x.md`,
    /// `commands/x.toml`, `skills/x/`; for Codex also `../.agents/skills/x/`).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The plugin of the source they become resources of (created when missing).
    #[arg(long, value_name = "NAME", value_parser = parse_plugin, add = crate::cli::completions::plugin_completer(""))]
    pub plugin: Name,
    /// The agent format the files are in (default: the agent directory in their path, else the
    /// target of agb.yaml).
    #[arg(long, value_enum, value_name = "TARGET")]
    pub target: Option<Target>,
    /// Print what would be written; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub output: JsonFlag,
}

fn parse_plugin(s: &str) -> Result<Name, String> {
    Name::new(s).map_err(|e| e.to_string())
}

#[derive(Serialize)]
struct Report<'a> {
    schema: u32,
    /// `adopt` or `dry_run`.
    mode: &'static str,
    target: &'a str,
    plugin: &'a str,
    resources: Vec<ResourceJson>,
    /// `plugin:name` entries added to agb.yaml's `resources:` (by kind).
    selection_added: Vec<String>,
}

#[derive(Serialize)]
struct ResourceJson {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    from: String,
    /// Source files written, relative to the source root.
    source_files: Vec<String>,
    /// Metadata keys written to the sidecar's target section.
    sidecar_keys: Vec<String>,
    /// Project files recorded as this resource's outputs, relative to the output root.
    outputs: Vec<String>,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let config = Config::load(&global.config_path())?;
    let paths: Vec<PathBuf> = args.paths.iter().map(|p| global.cwd.join(p)).collect();
    let options = AdoptOptions { plugin: args.plugin.clone(), target: args.target };
    let mode = if args.dry_run { Mode::DryRun } else { Mode::Apply };
    let report = adopt_files(&config, &paths, &options, mode)?;
    if args.output.json {
        print_json(&json(&report, &args));
    } else if !global.quiet {
        print_text(&report, global);
    }
    Ok(Exit::Ok)
}

fn json<'a>(report: &'a AdoptReport, args: &'a Args) -> Report<'a> {
    let plan = &report.plan;
    Report {
        schema: 1,
        mode: if report.outcome.is_some() { "adopt" } else { "dry_run" },
        target: plan.target.as_str(),
        plugin: args.plugin.as_str(),
        resources: plan
            .resources
            .iter()
            .map(|r| ResourceJson {
                id: r.id.qualified(),
                kind: r.id.kind.to_string(),
                from: r.from.display().to_string(),
                source_files: r.writes.iter().map(|w| w.rel.clone()).collect(),
                sidecar_keys: r.sidecar_keys.clone(),
                outputs: r.outputs.iter().map(|(rel, _)| rel.clone()).collect(),
            })
            .collect(),
        selection_added: selection_lines(plan),
    }
}

fn selection_lines(plan: &AdoptPlan) -> Vec<String> {
    plan.selection_added.iter().map(|id| format!("{} {}", id.kind.dir(), id.qualified())).collect()
}

fn print_text(report: &AdoptReport, global: &Global) {
    let plan = &report.plan;
    let dry = report.outcome.is_none();
    let verb = if dry { "would write" } else { "wrote" };
    for r in &plan.resources {
        let main = r.outputs.first().map_or("", |(rel, _)| rel.as_str());
        outln(format_args!("{} {}  <-  {main}", r.id.kind, r.id.qualified()));
        for w in &r.writes {
            outln(format_args!("  {verb}  {}", w.rel));
        }
        if !r.sidecar_keys.is_empty() {
            outln(format_args!("  only for {}, in the sidecar: {}", plan.target, r.sidecar_keys.join(", ")));
        }
    }
    let config_verb = if dry { "would add to" } else { "added to" };
    for line in selection_lines(plan) {
        outln(format_args!("{config_verb} agb.yaml  resources: {line}"));
    }
    let n = plan.resources.len();
    let what = if n == 1 { "resource" } else { "resources" };
    if dry {
        global.note(format_args!("dry run: {n} {what} to adopt; nothing was written"));
    } else {
        global.note(format_args!(
            "adopted {n} {what}; the project files are now agb's outputs (run `agb build` to render them from the source)"
        ));
    }
}
