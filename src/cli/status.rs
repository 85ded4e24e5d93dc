//! `agb status`: what build and sync would do, in both directions.

use serde::Serialize;

use crate::cli::build::{for_each_target, TargetFlags};
use crate::cli::common::{
    print_problems, print_warnings, problems_json, resources_json, JsonFlag, ProblemJson, ResourceJson,
};
use crate::cli::output::outln;
use crate::cli::Global;
use crate::config::Config;
use crate::error::Exit;
use crate::ops::status::{status, Status};
use crate::outputs::{self, WriteKind};
use crate::sync::SyncState;

/// Show what `build` and `sync` would do (exit 3 when anything is pending).
///
/// Source → project (build): created / updated / removed outputs. Project → source (sync):
/// resources edited in the project, edited in the source, or in conflict.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub targets: TargetFlags,
    #[command(flatten)]
    pub output: JsonFlag,
}

#[derive(Serialize)]
struct BuildJson {
    created: Vec<String>,
    updated: Vec<String>,
    removed: Vec<String>,
    /// Outputs edited in the project (build keeps them; sync carries them back).
    edited: Vec<String>,
    codex_config_updated: bool,
}

#[derive(Serialize)]
struct Report {
    target: String,
    output_root: String,
    pending: bool,
    build: BuildJson,
    sync: Vec<ResourceJson>,
    problems: Vec<ProblemJson>,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    for_each_target(&args.targets, args.output.json, global, |config, docs| {
        status_one(config, &args, global, docs)
    })
}

/// One target's status (its `--json` document goes to `docs`).
fn status_one(
    config: &Config,
    args: &Args,
    global: &Global,
    docs: &mut Vec<serde_json::Value>,
) -> miette::Result<Exit> {
    let status = status(config)?;
    let pending = status.is_pending();
    let Status { layout, build: bp, sync: mut sp } = status;
    let b = BuildJson {
        created: bp.plan.rels(WriteKind::Create),
        updated: bp.plan.rels(WriteKind::Update),
        removed: bp.plan.removals.clone(),
        edited: bp.plan.conflicts.iter().map(|c| c.rel.clone()).collect(),
        codex_config_updated: bp.codex_config.is_some(),
    };
    let exit = if pending { Exit::Pending } else { Exit::Ok };
    if args.output.json {
        let doc = Report {
            target: layout.target.as_str().to_string(),
            output_root: layout.output_root.display().to_string(),
            pending,
            build: b,
            sync: resources_json(&sp),
            problems: problems_json(&sp.problems).into_iter().chain(problems_json(&sp.warnings)).collect(),
        };
        docs.push(serde_json::to_value(doc).unwrap_or(serde_json::Value::Null));
        return Ok(exit);
    }
    print_problems(std::mem::take(&mut sp.problems));
    print_warnings(std::mem::take(&mut sp.warnings), global);
    if sp.manifest.is_none() && !sp.resources.is_empty() {
        global.warn("no build manifest: sync would be two-way (the project wins)");
    }
    for rel in &b.created {
        outln(format_args!("created            {rel}  (agb build)"));
    }
    for rel in &b.updated {
        outln(format_args!("updated            {rel}  (agb build)"));
    }
    for rel in &b.removed {
        outln(format_args!("removed            {rel}  (agb build)"));
    }
    if b.codex_config_updated {
        outln(format_args!("updated            {}  (agb build)", outputs::CODEX_CONFIG_REL));
    }
    for r in &sp.resources {
        let (label, detail) = match r.state {
            SyncState::InSync => continue,
            SyncState::EditedInProject => ("edited-in-project", "agb sync".to_string()),
            SyncState::EditedInSource => {
                ("edited-in-source", format!("{}; agb build", r.source_edits.join(", ")))
            }
            SyncState::Conflict => ("conflict", crate::sync::Conflict::list(&r.conflicts)),
            SyncState::Skipped => ("unreadable", "see the error above".to_string()),
        };
        crate::cli::output::out_labelled(global.color, label, 18, format_args!("{}  ({detail})", r.id));
    }
    if !pending {
        global.note("up to date: nothing to build, nothing to sync");
    }
    Ok(exit)
}
