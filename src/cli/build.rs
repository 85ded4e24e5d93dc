//! `agb build`: render the selected resources into the output root.

use serde::Serialize;

use crate::cli::output::{outln, print_json};
use crate::cli::Global;
use crate::config::Config;
use crate::error::Exit;
use crate::manifest::Manifest;
use crate::outputs::{self, BuildError, BuildPlan, Conflict, Layout, Outcome, PlanOptions, WriteKind};
use crate::source;

/// Render the resources selected in agb.yaml into the output root.
///
/// Only files whose bytes change are written; outputs of resources no longer selected are
/// removed; files agb did not write are never touched; outputs edited in the project since the
/// last build are not overwritten (run `agb sync`, or pass --force).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print what would be created, updated or removed; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// With --dry-run: print unified diffs.
    #[arg(long, requires = "dry_run")]
    pub diff: bool,
    /// Write nothing; exit 3 when the outputs are not up to date (for CI and pre-commit).
    #[arg(long, conflicts_with = "dry_run")]
    pub check: bool,
    /// Remove every file the previous build wrote before writing.
    #[arg(long)]
    pub clean: bool,
    /// Overwrite outputs that were edited in the project (their edits are lost).
    #[arg(long)]
    pub force: bool,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Report<'a> {
    target: &'a str,
    output_root: String,
    /// `build`, `dry_run` or `check`.
    mode: &'static str,
    up_to_date: bool,
    created: Vec<String>,
    updated: Vec<String>,
    removed: Vec<String>,
    unchanged: usize,
    /// Outputs edited in the project: kept (and the build refused), or overwritten with --force.
    edited: &'a [Conflict],
    codex_config_updated: bool,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let started_ns = now_ns();
    let config = Config::load(&global.config_path())?;
    let layout = Layout::of(&config);
    let previous = Manifest::load(&layout.output_root)?;
    if let Some(m) =
        previous.as_ref().filter(|m| !args.clean && outputs::fast::is_up_to_date(&layout, &config.text, m))
    {
        // Nothing changed since the last build (stats only): no need to read the source.
        return Ok(report_up_to_date(&layout, m.files.len(), &args, global));
    }
    let selection = source::load_selection(&config)?;
    let rendered = outputs::desired_outputs(&layout, &selection)?;
    let options = PlanOptions { clean: args.clean, force: args.force };
    let mut bp =
        outputs::plan_build_with(&layout, previous, rendered, options, &outputs::codex_config_updater)?;
    bp.inputs = outputs::fast::collect_inputs(&layout, &selection, &config.text, started_ns)?;
    bp.started_ns = started_ns;

    if !bp.plan.blocked.is_empty() {
        return Err(BuildError::Blocked { paths: bp.plan.blocked.clone() }.into());
    }
    if args.check || args.dry_run {
        let mode = if args.check { "check" } else { "dry_run" };
        print_plan(&bp, &args, global, mode)?;
        if args.dry_run && !bp.plan.blocking_conflicts().is_empty() {
            return Err(BuildError::EditedOutputs { conflicts: bp.plan.blocking_conflicts().to_vec() }.into());
        }
        return Ok(if args.check && bp.is_stale() { Exit::Pending } else { Exit::Ok });
    }

    let layout = bp.layout.clone();
    let bar = progress_bar(bp.plan.writes.len(), args.json || global.quiet);
    let outcome = outputs::apply_build(bp, &|| bar.inc(1));
    bar.finish_and_clear();
    let outcome = outcome?;
    print_outcome(&layout, &outcome, &args, global);
    // Large selections hold tens of thousands of paths; the process exits next.
    std::mem::forget(selection);
    Ok(Exit::Ok)
}

fn planned(bp: &BuildPlan, kind: WriteKind) -> Vec<String> {
    bp.plan.writes.iter().filter(|w| w.kind == kind).map(|w| w.output.rel.clone()).collect()
}

fn print_plan(bp: &BuildPlan, args: &Args, global: &Global, mode: &'static str) -> miette::Result<()> {
    let plan = &bp.plan;
    if args.json {
        print_json(&Report {
            target: bp.layout.target.as_str(),
            output_root: bp.layout.output_root.display().to_string(),
            mode,
            up_to_date: !bp.is_stale(),
            created: planned(bp, WriteKind::Create),
            updated: planned(bp, WriteKind::Update),
            removed: plan.removals.clone(),
            unchanged: plan.kept.len(),
            edited: &plan.conflicts,
            codex_config_updated: bp.codex_config.is_some(),
        });
        return Ok(());
    }
    if global.quiet && args.check {
        return Ok(());
    }
    let root = &bp.layout.output_root;
    for w in &plan.writes {
        let verb = if w.kind == WriteKind::Create { "create" } else { "update" };
        outln(format_args!("would {verb}  {}", w.output.rel));
        if args.diff {
            outln(outputs::diff_for(root, &w.output.rel, Some(&w.output.content))?);
        }
    }
    for rel in &plan.removals {
        outln(format_args!("would remove  {rel}"));
        if args.diff {
            outln(outputs::diff_for(root, rel, None)?);
        }
    }
    if let Some(change) = &bp.codex_config {
        let verb = if change.before.is_some() { "update" } else { "create" };
        outln(format_args!("would {verb}  {} (agents)", change.rel));
        if args.diff {
            let before = change.before.as_deref().unwrap_or("");
            let old = if change.before.is_some() { format!("a/{}", change.rel) } else { "/dev/null".into() };
            outln(outputs::unified_diff(before, &change.after, &old, &format!("b/{}", change.rel)));
        }
    }
    for c in &plan.conflicts {
        let what = if plan.force { "would overwrite edited" } else { "edited (kept)" };
        outln(format_args!("{what}  {}", c.rel));
    }
    let summary = format!(
        "{} to create, {} to update, {} to remove, {} unchanged",
        plan.count(WriteKind::Create),
        plan.count(WriteKind::Update),
        plan.removals.len(),
        plan.kept.len()
    );
    if args.check {
        if bp.is_stale() {
            global.note(format_args!("outputs are not up to date ({summary}); run `agb build`"));
        } else {
            global.note("outputs are up to date");
        }
    } else {
        global.note(format_args!("dry run: {summary}; nothing was written"));
    }
    Ok(())
}

fn print_outcome(layout: &Layout, outcome: &Outcome, args: &Args, global: &Global) {
    if args.json {
        print_json(&Report {
            target: layout.target.as_str(),
            output_root: layout.output_root.display().to_string(),
            mode: "build",
            up_to_date: true,
            created: outcome.created.clone(),
            updated: outcome.updated.clone(),
            removed: outcome.removed.clone(),
            unchanged: outcome.unchanged,
            edited: &outcome.discarded_edits,
            codex_config_updated: outcome.codex_config_updated,
        });
        return;
    }
    for c in &outcome.discarded_edits {
        global.warn(format_args!("discarded the edits in {} (--force)", c.rel));
    }
    if global.quiet {
        return;
    }
    for rel in &outcome.created {
        outln(format_args!("created  {rel}"));
    }
    for rel in &outcome.updated {
        outln(format_args!("updated  {rel}"));
    }
    for rel in &outcome.removed {
        outln(format_args!("removed  {rel}"));
    }
    if outcome.codex_config_updated {
        let verb = if outcome.codex_config_created { "created" } else { "updated" };
        outln(format_args!("{verb}  {} (agents)", outputs::CODEX_CONFIG_REL));
    }
    let changed = outcome.created.len() + outcome.updated.len() + outcome.removed.len();
    let root = shown_path(&layout.output_root);
    let target = layout.target;
    if changed == 0 && !outcome.codex_config_updated {
        outln(format_args!("{target} outputs in {root} are up to date ({} files)", outcome.unchanged));
    } else {
        outln(format_args!(
            "built {target} into {root}: {} created, {} updated, {} removed, {} unchanged",
            outcome.created.len(),
            outcome.updated.len(),
            outcome.removed.len(),
            outcome.unchanged
        ));
    }
}

/// A path as the user would type it: relative to the current directory when it is below it.
fn shown_path(path: &std::path::Path) -> String {
    let here = std::env::current_dir().ok();
    match here.as_deref().and_then(|h| path.strip_prefix(h).ok()) {
        Some(rel) if !rel.as_os_str().is_empty() => rel.display().to_string(),
        _ => path.display().to_string(),
    }
}

/// A progress bar on stderr for builds that write many files; hidden when stderr is not a
/// terminal, with --quiet or --json, and for small builds (where it would only flicker).
fn progress_bar(files: usize, silent: bool) -> indicatif::ProgressBar {
    const SHOW_FROM: usize = 500;
    if silent || files < SHOW_FROM || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(files as u64);
    let style = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files written ({eta} left)")
        .expect("the progress template is valid");
    bar.set_style(style);
    bar
}

fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// The report of a build that found nothing to do on the fast path (same words as the full
/// path's no-op).
fn report_up_to_date(layout: &Layout, files: usize, args: &Args, global: &Global) -> Exit {
    let mode = if args.check {
        "check"
    } else if args.dry_run {
        "dry_run"
    } else {
        "build"
    };
    if args.json {
        print_json(&Report {
            target: layout.target.as_str(),
            output_root: layout.output_root.display().to_string(),
            mode,
            up_to_date: true,
            created: Vec::new(),
            updated: Vec::new(),
            removed: Vec::new(),
            unchanged: files,
            edited: &[],
            codex_config_updated: false,
        });
    } else if args.check {
        global.note("outputs are up to date");
    } else if args.dry_run {
        global.note(format_args!(
            "dry run: 0 to create, 0 to update, 0 to remove, {files} unchanged; nothing was written"
        ));
    } else if !global.quiet {
        outln(format_args!(
            "{} outputs in {} are up to date ({files} files)",
            layout.target,
            shown_path(&layout.output_root)
        ));
    }
    Exit::Ok
}
