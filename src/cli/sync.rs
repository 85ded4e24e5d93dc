//! `agb sync`: carry edits made in the project back into the source repository.

use serde::Serialize;

use crate::cli::build::{print_json_documents, print_target_header, TargetFlags};
use crate::cli::common::{
    print_problems, print_warnings, problems_json, resources_json, JsonFlag, ModeJson, PlanFlags, PlanHelp,
    ProblemJson, ProgressBar, ResourceJson,
};
use crate::cli::output::{out_diff, outln};
use crate::cli::Global;
use crate::config::Config;
use crate::error::Exit;
use crate::fsutil;
use crate::ops::build::{build_project, BuildOptions, BuildReport};
use crate::ops::sync::{sync_project, sync_targets, SyncOptions, SyncReport};
use crate::ops::{Mode, NoProgress};
use crate::outputs;
use crate::sync::{Action, ChangeKind, ResourceSync, SyncOutcome, SyncPlan, SyncState};

/// Carry edits made in the project's outputs back into the source repository.
///
/// Three-way, with the last build's manifest as the base: a change made only in the project is
/// applied to the source; a change made only in the source is left for `agb build`; a change on
/// both sides is a conflict (nothing is written for that resource, exit 1) unless --force.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub plan: PlanFlags<Help>,
    /// The project side wins conflicts.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub targets: TargetFlags,
    #[command(flatten)]
    pub output: JsonFlag,
}

/// `--dry-run` and `--check` of `agb sync`.
#[derive(Debug, Clone)]
pub struct Help;

impl PlanHelp for Help {
    const DRY_RUN: &'static str = "Print the plan; write nothing";
    const CHECK: &'static str = "Write nothing; exit 3 when something is pending";
}

#[derive(Serialize)]
struct Report {
    target: String,
    output_root: String,
    source_root: String,
    mode: ModeJson,
    /// No build manifest: the project side won every difference.
    two_way: bool,
    pending: bool,
    resources: Vec<ResourceJson>,
    problems: Vec<ProblemJson>,
    manifest_updated: bool,
    /// Nothing changed since the last build, decided from stats alone (the source was not read).
    up_to_date: bool,
    /// Project files rewritten in agb's formatting after their edit was synced.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    normalized: Vec<String>,
    /// Synced project files left as they are because they also hold an edit sync does not
    /// carry (`agb build` overwrites it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    kept_with_other_edits: Vec<String>,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let project = args.targets.load(global)?;
    let options = SyncOptions { mode: args.plan.mode(), force: args.force };
    let bar = ProgressBar::new("source files synced", args.output.json || global.quiet).with_timings(global);
    // Every target is planned before anything is written (two targets carrying different edits
    // into one source file stop the sync with nothing written).
    let reports = sync_targets(&project.configs, options, &bar)?;
    let mut docs = Vec::new();
    let mut exit = Exit::Ok;
    for (config, report) in project.configs.iter().zip(reports) {
        print_target_header(&project, config, args.output.json || global.quiet);
        let this = show_report(report, config, &args, global, &mut docs)?;
        if this == Exit::Error || exit == Exit::Ok {
            exit = this;
        }
    }
    if args.output.json {
        print_json_documents(docs);
    }
    Ok(exit)
}

/// Print one target's sync (or add its `--json` document to `docs`); its exit code.
fn show_report(
    report: SyncReport,
    config: &Config,
    args: &Args,
    global: &Global,
    docs: &mut Vec<serde_json::Value>,
) -> miette::Result<Exit> {
    if report.is_two_way() && !report.plan.resources.is_empty() {
        global.warn(format_args!(
            "no build manifest in {}: two-way sync, the project side wins every difference (run `agb build` once to get three-way sync)",
            report.plan.layout.output_root.display()
        ));
    }
    let exit = if report.failed() {
        Exit::Error
    } else if report.mode == Mode::Check && report.is_pending() {
        Exit::Pending
    } else {
        Exit::Ok
    };
    if args.output.json {
        docs.push(serde_json::to_value(self::report(&report)).unwrap_or(serde_json::Value::Null));
        return Ok(exit);
    }
    let SyncReport { mut plan, outcome, up_to_date, .. } = report;
    let no_problems = !plan.has_errors();
    print_problems(std::mem::take(&mut plan.problems));
    print_warnings(std::mem::take(&mut plan.warnings), global);
    print_states(&plan, up_to_date, global);
    match outcome {
        None => print_plan(&plan, config, args, global)?,
        Some(outcome) => print_outcome(&plan, outcome, no_problems, global),
    }
    // The plan holds the manifest and every planned resource (tens of thousands of entries);
    // the process ends right after printing, so freeing them entry by entry is wasted time.
    std::mem::forget(plan);
    Ok(exit)
}

/// What an applied sync did (the plan's problems and warnings are printed already).
/// `no_problems`: the plan had none.
fn print_outcome(plan: &SyncPlan, outcome: SyncOutcome, no_problems: bool, global: &Global) {
    // A write that failed is a problem too: never follow it with "nothing to sync".
    let no_problems = no_problems && outcome.errors.is_empty();
    print_problems(outcome.errors);
    print_notes(plan, global);
    for f in &outcome.not_normalized {
        global.warn(format_args!(
            "{f}: edited outside its description and body; sync carries back only those, `agb build` will overwrite the rest"
        ));
    }
    if global.quiet {
        return;
    }
    for (_, kind, file) in &outcome.changed {
        outln(format_args!("{}  {file}", verb(*kind, false)));
    }
    for rel in &outcome.normalized {
        outln(format_args!("reformatted  {rel}  (in agb's formatting; same description and body)"));
    }
    let n = outcome.changed.len();
    if n == 0 && no_problems {
        outln("nothing to sync: the source already holds every project edit");
    } else if n > 0 {
        outln(format_args!("synced {n} source file(s) from {}", plan.layout.output_root.display()));
    }
}

fn verb(kind: ChangeKind, would: bool) -> &'static str {
    match (kind, would) {
        (ChangeKind::Create, false) => "created",
        (ChangeKind::Update, false) => "updated",
        (ChangeKind::Delete, false) => "deleted",
        (ChangeKind::Create, true) => "would create",
        (ChangeKind::Update, true) => "would update",
        (ChangeKind::Delete, true) => "would delete",
    }
}

fn print_notes(plan: &SyncPlan, global: &Global) {
    for r in &plan.resources {
        if !r.source_edits.is_empty() {
            global.note(format_args!(
                "{}: changed in the source since the last build ({}); `agb build` brings it",
                r.id,
                r.source_edits.join(", ")
            ));
        }
        for f in &r.ignored_edits {
            global.warn(format_args!(
                "{f}: edited outside its description and body; sync carries back only those, `agb build` will overwrite the rest"
            ));
        }
    }
}

/// `-v`: where every resource stands and so why sync does or does not write it, on stderr.
fn print_states(plan: &SyncPlan, up_to_date: bool, global: &Global) {
    if global.verbose == 0 {
        return;
    }
    if up_to_date {
        global.note(
            "no output, source file or agb.yaml changed since the last build or sync (by their stats): the source was not read, nothing to sync",
        );
    }
    for r in &plan.resources {
        let why = match r.state {
            SyncState::InSync => "in sync: the project files hold no edit the source lacks",
            SyncState::EditedInProject => "edited in the project: synced into the source",
            SyncState::EditedInSource => "changed in the source only: left for `agb build`",
            SyncState::Conflict if plan.force => "changed on both sides: the project side wins (--force)",
            SyncState::Conflict => "changed on both sides: not written (--dry-run --diff shows both)",
            SyncState::Skipped => "skipped: its project file could not be read or patched (see the error)",
        };
        global.note(format_args!("{}: {why}", r.id));
    }
    // A sync after a few edits loads only the changed resources; every other resource the
    // manifest records had the stats the last build left on both sides.
    if up_to_date || !plan.partial {
        return;
    }
    let Some(manifest) = &plan.manifest else { return };
    let loaded: std::collections::BTreeSet<&crate::names::ResourceId> =
        plan.resources.iter().map(|r| &r.id).collect();
    let unread: std::collections::BTreeSet<&crate::names::ResourceId> = manifest
        .files
        .values()
        .filter_map(|e| e.resource.resource())
        .filter(|id| !loaded.contains(id))
        .collect();
    for id in unread {
        global
            .note(format_args!("{id}: in sync: its files' stats are as the last build left them (not read)"));
    }
}

fn print_plan(plan: &SyncPlan, config: &Config, args: &Args, global: &Global) -> miette::Result<()> {
    print_notes(plan, global);
    if global.quiet && args.plan.check {
        return Ok(());
    }
    let root = &plan.layout.source_root;
    for (_, action) in plan.actions() {
        let file =
            fsutil::rel_slash(root, action.path()).unwrap_or_else(|| action.path().display().to_string());
        let what = match action {
            Action::WriteText { what, .. } if !what.is_empty() => format!(" ({})", what.join(", ")),
            _ => String::new(),
        };
        outln(format_args!("{}  {file}{what}", verb(action.kind(), true)));
        if args.plan.diff {
            out_diff(global.color, &action_diff(&file, action));
        }
    }
    let conflicts: Vec<&ResourceSync> =
        plan.resources.iter().filter(|r| r.state == SyncState::Conflict).collect();
    let sides =
        if args.plan.diff && !conflicts.is_empty() { Some(ConflictSides::plan(config)?) } else { None };
    for r in conflicts {
        outln(format_args!("conflict  {} ({})", r.id, crate::sync::Conflict::list(&r.conflicts)));
        if let Some(sides) = &sides {
            sides.print(r, global)?;
        }
    }
    let n = plan.actions().count();
    if args.plan.check {
        if plan.is_pending() {
            global.note(format_args!("{n} source file(s) to sync; run `agb sync`"));
        } else {
            global.note("nothing to sync");
        }
    } else {
        if !plan.normalize.is_empty() {
            global.note(format_args!(
                "after syncing, the project files of {} would be rewritten in agb's formatting where only the formatting differs",
                plan.normalize.keys().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
        global.note(format_args!("dry run: {n} source file(s) would change; nothing was written"));
    }
    Ok(())
}

/// Both sides of the conflicts of a target, for `--dry-run --diff`: what the project's edit
/// would make of the source files (the sync `--force` would do) and what the source would make
/// of the project files (the build `--force` would do). Planned only, nothing is written.
struct ConflictSides {
    sync: SyncPlan,
    build: Option<Box<outputs::BuildPlan>>,
}

impl ConflictSides {
    fn plan(config: &Config) -> miette::Result<ConflictSides> {
        let sync = sync_project(config, SyncOptions { mode: Mode::DryRun, force: true }, &NoProgress)?.plan;
        let options = BuildOptions { mode: Mode::DryRun, force: true, ..BuildOptions::default() };
        let build = match build_project(config, options, &NoProgress)? {
            BuildReport::Planned(bp) => Some(bp),
            _ => None,
        };
        Ok(ConflictSides { sync, build })
    }

    fn print(&self, r: &ResourceSync, global: &Global) -> miette::Result<()> {
        let root = &self.sync.layout.source_root;
        let forced = self.sync.resources.iter().filter(|f| f.id == r.id).flat_map(|f| &f.actions);
        outln("project side: the source file with the project's edit (`agb sync --force` writes this):");
        for action in forced {
            let file =
                fsutil::rel_slash(root, action.path()).unwrap_or_else(|| action.path().display().to_string());
            out_diff(global.color, &action_diff(&file, action));
        }
        outln("source side: the project file built from the source (`agb build --force` writes this):");
        let Some(bp) = &self.build else { return Ok(()) };
        let ours = bp.plan.writes.iter().filter(|w| w.output.resource.resource() == Some(&r.id));
        for w in ours {
            out_diff(
                global.color,
                &outputs::diff_for(&bp.layout.output_root, &w.output.rel, Some(&w.output.content))?,
            );
        }
        Ok(())
    }
}

/// A unified diff of one planned change; binary or large files are summarized.
fn action_diff(file: &str, action: &Action) -> String {
    const LIMIT: u64 = 1024 * 1024;
    let text_of = |p: &std::path::Path| -> Option<String> {
        let meta = std::fs::metadata(p).ok()?;
        if meta.len() > LIMIT {
            return None;
        }
        String::from_utf8(std::fs::read(p).ok()?).ok()
    };
    let (old_name, new_name) = (format!("a/{file}"), format!("b/{file}"));
    match action {
        Action::WriteText { before, after, .. } => {
            let old = if before.is_some() { old_name } else { "/dev/null".into() };
            outputs::unified_diff(before.as_deref().unwrap_or(""), after, &old, &new_name)
        }
        Action::CopyExtra { from, to, kind, .. } => {
            let before = if *kind == ChangeKind::Create { Some(String::new()) } else { text_of(to) };
            match (before, text_of(from)) {
                (Some(b), Some(a)) => {
                    let old = if *kind == ChangeKind::Create { "/dev/null".into() } else { old_name };
                    outputs::unified_diff(&b, &a, &old, &new_name)
                }
                _ => format!("Binary or large file {file} differs\n"),
            }
        }
        Action::DeleteExtra { path, .. } => match text_of(path) {
            Some(b) => outputs::unified_diff(&b, "", &old_name, "/dev/null"),
            None => format!("Binary or large file {file} deleted\n"),
        },
    }
}

/// The `--json` document of a sync: the plan, and what was written when it was applied.
fn report(report: &SyncReport) -> Report {
    let plan = &report.plan;
    let errors = report.outcome.as_ref().map_or(&[][..], |o| &o.errors);
    let mut problems = problems_json(&plan.problems);
    problems.extend(problems_json(errors));
    problems.extend(problems_json(&plan.warnings));
    Report {
        target: plan.layout.target.as_str().to_string(),
        output_root: plan.layout.output_root.display().to_string(),
        source_root: plan.layout.source_root.display().to_string(),
        mode: ModeJson::of(report.mode, ModeJson::Sync),
        two_way: report.is_two_way(),
        pending: report.is_pending(),
        resources: resources_json(plan),
        problems,
        manifest_updated: report.outcome.as_ref().is_some_and(|o| o.manifest_written),
        up_to_date: report.up_to_date,
        normalized: report.outcome.as_ref().map(|o| o.normalized.clone()).unwrap_or_default(),
        kept_with_other_edits: report.outcome.as_ref().map(|o| o.not_normalized.clone()).unwrap_or_default(),
    }
}
