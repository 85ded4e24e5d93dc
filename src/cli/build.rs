//! `agb build`: render the selected resources into the output root.

use serde::Serialize;

use crate::cli::common::{JsonFlag, ModeJson, PlanFlags, PlanHelp, ProgressBar};
use crate::cli::output::{out_diff, outln, print_json};
use crate::cli::Global;
use crate::config::{Config, Project, ProjectOptions};
use crate::error::Exit;
use crate::ops::build::{build_project, BuildOptions, BuildReport};
use crate::ops::Mode;
use crate::outputs::{self, BuildPlan, Conflict, Layout, Outcome, OutputWarning, WriteKind};

/// Render the resources selected in agb.yaml into the output root.
///
/// Only files whose bytes change are written; outputs of resources no longer selected are
/// removed; files agb did not write are never touched; outputs edited in the project since the
/// last build are not overwritten (run `agb sync`, or pass --force).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub plan: PlanFlags<Help>,
    /// Remove every file the previous build wrote before writing.
    #[arg(long)]
    pub clean: bool,
    /// Overwrite outputs that were edited in the project (their edits are lost).
    #[arg(long)]
    pub force: bool,
    /// Treat the target's schema warnings (a metadata key dropped, translated or renamed for
    /// the agent) as errors: exit 1 and write nothing.
    #[arg(long)]
    pub strict: bool,
    /// List, per output, what the target's schema dropped, translated or renamed (why an agent
    /// does not see a key of the source), instead of one warning line each.
    #[arg(long)]
    pub explain: bool,
    #[command(flatten)]
    pub targets: TargetFlags,
    #[command(flatten)]
    pub output: JsonFlag,
    /// Keep running: rebuild whenever the source or agb.yaml changes (Ctrl-C to stop).
    #[arg(long, conflicts_with_all = ["dry_run", "check", "json"])]
    pub watch: bool,
}

/// `--target` and `--user`, shared by `build`, `sync`, `status` and `list`.
#[derive(Debug, Clone, clap::Args)]
pub struct TargetFlags {
    /// Act only on this target of agb.yaml (without it, on every target it names).
    #[arg(long, value_name = "TARGET", value_parser = ["gemini-cli", "claude-code", "opencode", "codex", "copilot"])]
    pub target: Option<String>,
    /// Use each agent's user directory as the output root (~/.claude, ~/.gemini,
    /// ~/.config/opencode, ~/.codex, or where CLAUDE_CONFIG_DIR, GEMINI_CLI_HOME,
    /// OPENCODE_CONFIG_DIR, CODEX_HOME point), as `scope: user` in agb.yaml does.
    #[arg(long)]
    pub user: bool,
}

impl TargetFlags {
    /// The configurations to act on: `--config`, else agb.yaml found from the working
    /// directory upward (see `config::discover`), narrowed to `--target`.
    pub fn load(&self, global: &Global) -> miette::Result<Project> {
        let target = self.target.as_deref().and_then(crate::names::Target::from_name);
        Ok(Project::load(ProjectOptions {
            config: global.config.as_deref(),
            cwd: &global.cwd,
            target,
            user: self.user,
        })?)
    }
}

/// Print `docs` as the one `--json` document: a single target's document as it always was,
/// several wrapped as `{"targets": [...]}` (each element a single-target document).
pub fn print_json_documents(docs: Vec<serde_json::Value>) {
    match <[serde_json::Value; 1]>::try_from(docs) {
        Ok([one]) => print_json(&one),
        Err(docs) => print_json(&serde_json::json!({ "targets": docs })),
    }
}

/// With several targets, a line naming the target before its output (stdout, like the lines
/// it introduces).
pub fn print_target_header(project: &Project, config: &Config, json: bool) {
    if project.is_multi() && !json {
        outln(format_args!("{} ({})", config.target, shown_path(&config.output_root)));
    }
}

/// How one target ended: its exit code, and an error to report only once every target has
/// been shown (a dry run shows each target's plan before saying the build would stop).
pub struct TargetDone {
    pub exit: Exit,
    pub deferred: Option<miette::Report>,
}

impl From<Exit> for TargetDone {
    fn from(exit: Exit) -> TargetDone {
        TargetDone { exit, deferred: None }
    }
}

/// Run `one` for every target of the project `flags` load, each after its header, then print
/// the `--json` documents it collected. The exit code is the most serious of the targets'
/// (an error, else pending, else success); the first deferred error, if any, is returned
/// after everything was printed.
pub fn for_each_target<R: Into<TargetDone>>(
    flags: &TargetFlags,
    json: bool,
    global: &Global,
    mut one: impl FnMut(&Config, &mut Vec<serde_json::Value>) -> miette::Result<R>,
) -> miette::Result<Exit> {
    let project = flags.load(global)?;
    let mut docs = Vec::new();
    let mut exit = Exit::Ok;
    let mut deferred = None;
    for config in &project.configs {
        print_target_header(&project, config, json || global.quiet);
        let this: TargetDone = one(config, &mut docs)?.into();
        if this.exit == Exit::Error || exit == Exit::Ok {
            exit = this.exit;
        }
        deferred = deferred.or(this.deferred);
    }
    if json {
        print_json_documents(docs);
    }
    match deferred {
        Some(e) => Err(e),
        None => Ok(exit),
    }
}

/// The JSON value of a document (agb's documents are plain data).
fn to_json<T: Serialize>(doc: &T) -> serde_json::Value {
    serde_json::to_value(doc).unwrap_or(serde_json::Value::Null)
}

/// `--dry-run` and `--check` of `agb build`.
#[derive(Debug, Clone)]
pub struct Help;

impl PlanHelp for Help {
    const DRY_RUN: &'static str = "Print what would be created, updated or removed; write nothing";
    const CHECK: &'static str =
        "Write nothing; exit 3 when the outputs are not up to date (for CI and pre-commit)";
}

#[derive(Serialize)]
struct Report<'a> {
    target: &'a str,
    output_root: String,
    mode: ModeJson,
    up_to_date: bool,
    created: Vec<String>,
    updated: Vec<String>,
    removed: Vec<String>,
    unchanged: usize,
    /// Outputs edited in the project: kept (and the build refused), or overwritten with --force.
    edited: &'a [Conflict],
    codex_config_updated: bool,
    /// What the target's schema changed in the outputs, then the skills Copilot CLI would drop
    /// (neither known when `up_to_date` came from the no-change shortcut).
    warnings: Vec<WarningJson>,
}

#[derive(Serialize)]
struct WarningJson {
    /// The resource's main output, relative to the output root.
    output: String,
    resource: String,
    key: String,
    /// `dropped`, `translated`, `renamed`, `added` or `kept untranslated`; `duplicate` for a
    /// skill Copilot CLI sees twice.
    action: String,
    detail: String,
    /// The diagnostic code of a warning that has one (the duplicate skill's).
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<String>,
}

fn warnings_json(warnings: &[OutputWarning], shadowed: &[outputs::ShadowedSkill]) -> Vec<WarningJson> {
    let schema = warnings.iter().map(|w| WarningJson {
        output: w.output.clone(),
        resource: w.warning.resource.clone(),
        key: w.warning.key.clone(),
        action: w.warning.action.to_string(),
        detail: w.warning.detail.clone(),
        code: None,
    });
    // the colliding value is the skill's name
    let skills = shadowed.iter().map(|s| WarningJson {
        output: s.output.clone(),
        resource: s.resource.clone(),
        key: "name".to_string(),
        action: "duplicate".to_string(),
        detail: s.to_string(),
        code: miette::Diagnostic::code(s).map(|c| c.to_string()),
    });
    schema.chain(skills).collect()
}

/// The schema warnings: one `warning:` line each on stderr, or with `--explain` a list per
/// output on stdout. Nothing in `--json` mode (the report holds them).
fn print_warnings(warnings: &[OutputWarning], args: &Args, global: &Global) {
    if args.output.json {
        return;
    }
    if !args.explain {
        for w in warnings {
            global.warn(&w.warning);
        }
        return;
    }
    if warnings.is_empty() {
        global.note("explain: every key of every selected resource is written as it is");
        return;
    }
    let mut last: Option<&str> = None;
    for w in warnings {
        if last != Some(w.output.as_str()) {
            outln(format_args!("{}  ({}, {})", w.output, w.warning.resource, w.warning.target));
            last = Some(w.output.as_str());
        }
        outln(format_args!("  `{}` {}: {}", w.warning.key, w.warning.action, w.warning.detail));
    }
}

/// `-v`: every output the build leaves alone, and why, on stderr (the files written are the
/// data, on stdout).
fn print_skipped(skipped: &[outputs::plan::Skipped], global: &Global) {
    if global.verbose == 0 {
        return;
    }
    for s in skipped {
        global.note(format_args!("skipped  {}: {}", s.rel, s.why));
    }
}

/// Skills Copilot CLI would drop: one warning diagnostic each on stderr (with its code and
/// advice), unless `--quiet` or `--json` (the report holds them). The build goes on.
fn print_shadowed(skills: &[outputs::ShadowedSkill], args: &Args, global: &Global) {
    if global.quiet || args.output.json {
        return;
    }
    for s in skills {
        crate::cli::output::errln(format_args!("{:?}", miette::Report::new(s.clone())));
    }
}

impl<'a> Report<'a> {
    /// The report of a build that changed nothing: `files` outputs are as they should be.
    fn up_to_date(layout: &'a Layout, mode: Mode, files: usize) -> Report<'a> {
        Report {
            target: layout.target.as_str(),
            output_root: layout.output_root.display().to_string(),
            mode: ModeJson::of(mode, ModeJson::Build),
            up_to_date: true,
            created: Vec::new(),
            updated: Vec::new(),
            removed: Vec::new(),
            unchanged: files,
            edited: &[],
            codex_config_updated: false,
            warnings: Vec::new(),
        }
    }
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    if args.watch {
        return crate::cli::watch::run(global, &|| run_once(&args, global));
    }
    run_once(&args, global)
}

fn run_once(args: &Args, global: &Global) -> miette::Result<Exit> {
    for_each_target(&args.targets, args.output.json, global, |config, docs| {
        build_one(config, args, global, docs)
    })
}

/// Build one target; its `--json` document goes to `docs`. Returns the exit code and, in a dry
/// run, the error a build would stop with (reported after every target's plan is shown).
fn build_one(
    config: &Config,
    args: &Args,
    global: &Global,
    docs: &mut Vec<serde_json::Value>,
) -> miette::Result<TargetDone> {
    let mode = args.plan.mode();
    let options = BuildOptions {
        mode,
        clean: args.clean,
        force: args.force,
        strict: args.strict,
        want_warnings: args.explain,
    };
    let bar = ProgressBar::new("files written", args.output.json || global.quiet).with_timings(global);
    let report = build_project(config, options, &bar)?;
    match &report {
        BuildReport::UpToDate { layout, files } => {
            if global.verbose > 0 {
                global.note(format_args!(
                    "no source file, agb.yaml or output changed since the last build (by their stats): \
                     the source was not read, {files} outputs unchanged"
                ));
            }
            print_up_to_date(layout, *files, args, global, docs)
        }
        BuildReport::Planned(bp) => {
            print_skipped(&bp.plan.skipped(), global);
            print_warnings(&bp.warnings, args, global);
            print_shadowed(&bp.shadowed_skills, args, global);
            print_plan(bp, args, global, docs)?
        }
        BuildReport::Built { layout, outcome, warnings } => {
            print_skipped(&outcome.skipped, global);
            print_warnings(warnings, args, global);
            print_shadowed(&outcome.shadowed_skills, args, global);
            print_outcome(layout, outcome, warnings, args, global, docs)
        }
    }
    let deferred = if mode == Mode::DryRun { report.edited_outputs_error().map(Into::into) } else { None };
    let exit = if mode == Mode::Check && report.is_pending() { Exit::Pending } else { Exit::Ok };
    Ok(TargetDone { exit, deferred })
}

fn print_plan(
    bp: &BuildPlan,
    args: &Args,
    global: &Global,
    docs: &mut Vec<serde_json::Value>,
) -> miette::Result<()> {
    let plan = &bp.plan;
    if args.output.json {
        docs.push(to_json(&Report {
            mode: ModeJson::of(args.plan.mode(), ModeJson::Build),
            up_to_date: !bp.is_stale(),
            created: plan.rels(WriteKind::Create),
            updated: plan.rels(WriteKind::Update),
            removed: plan.removals.clone(),
            unchanged: plan.kept.len(),
            edited: &plan.conflicts,
            codex_config_updated: bp.codex_config.is_some(),
            warnings: warnings_json(&bp.warnings, &bp.shadowed_skills),
            ..Report::up_to_date(&bp.layout, Mode::Apply, 0)
        }));
        return Ok(());
    }
    if global.quiet && args.plan.check {
        return Ok(());
    }
    print_planned_changes(bp, args.plan.diff, global.color)?;
    let summary = format!(
        "{} to create, {} to update, {} to remove, {} unchanged",
        plan.count(WriteKind::Create),
        plan.count(WriteKind::Update),
        plan.removals.len(),
        plan.kept.len()
    );
    if args.plan.check {
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

/// `would create  …` lines (with their diffs when `diff`, coloured when `color`), then the
/// edited outputs.
fn print_planned_changes(bp: &BuildPlan, diff: bool, color: bool) -> miette::Result<()> {
    let plan = &bp.plan;
    let root = &bp.layout.output_root;
    for w in &plan.writes {
        let verb = if w.kind == WriteKind::Create { "create" } else { "update" };
        outln(format_args!("would {verb}  {}", w.output.rel));
        if diff {
            out_diff(color, &outputs::diff_for(root, &w.output.rel, Some(&w.output.content))?);
        }
    }
    for rel in &plan.removals {
        outln(format_args!("would remove  {rel}"));
        if diff {
            out_diff(color, &outputs::diff_for(root, rel, None)?);
        }
    }
    if let Some(change) = &bp.codex_config {
        let verb = if change.after.is_some() { "update" } else { "remove" };
        outln(format_args!("would {verb}  {} (agents)", change.rel));
        if diff {
            let after = change.after.as_deref().unwrap_or("");
            let new = if change.after.is_some() { format!("b/{}", change.rel) } else { "/dev/null".into() };
            out_diff(
                color,
                &outputs::unified_diff(&change.before, after, &format!("a/{}", change.rel), &new),
            );
        }
    }
    for c in &plan.conflicts {
        let what = if plan.force { "would overwrite edited" } else { "edited (kept)" };
        outln(format_args!("{what}  {}", c.rel));
    }
    Ok(())
}

fn print_outcome(
    layout: &Layout,
    outcome: &Outcome,
    warnings: &[OutputWarning],
    args: &Args,
    global: &Global,
    docs: &mut Vec<serde_json::Value>,
) {
    if args.output.json {
        docs.push(to_json(&Report {
            created: outcome.created.clone(),
            updated: outcome.updated.clone(),
            removed: outcome.removed.clone(),
            unchanged: outcome.unchanged,
            edited: &outcome.discarded_edits,
            codex_config_updated: outcome.codex_config_updated,
            warnings: warnings_json(warnings, &outcome.shadowed_skills),
            // "up to date" means nothing had to change, never "it was changed".
            up_to_date: outcome.created.is_empty()
                && outcome.updated.is_empty()
                && outcome.removed.is_empty()
                && !outcome.codex_config_updated,
            ..Report::up_to_date(layout, Mode::Apply, 0)
        }));
        return;
    }
    for c in &outcome.discarded_edits {
        global.warn(format_args!("discarded the edits in {} (--force)", c.rel));
    }
    if global.quiet {
        return;
    }
    // A first build of thousands of files is a summary; -v lists every file.
    let listed = outcome.created.len() + outcome.updated.len() + outcome.removed.len();
    if listed <= LIST_AT_MOST || global.verbose > 0 {
        for (label, rels) in
            [("created", &outcome.created), ("updated", &outcome.updated), ("removed", &outcome.removed)]
        {
            for rel in rels {
                crate::cli::output::out_labelled(global.color, label, 8, rel);
            }
        }
    } else {
        global.note(format_args!("({listed} files written; -v lists them)"));
    }
    if outcome.codex_config_updated {
        let verb = if outcome.codex_config_removed { "removed" } else { "updated" };
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

/// Above this many written files, `agb build` prints the summary only (the list with `-v`).
const LIST_AT_MOST: usize = 50;

/// The report of a build that found nothing to do on the fast path (same words as the full
/// path's no-op).
fn print_up_to_date(
    layout: &Layout,
    files: usize,
    args: &Args,
    global: &Global,
    docs: &mut Vec<serde_json::Value>,
) {
    let mode = args.plan.mode();
    if args.output.json {
        docs.push(to_json(&Report::up_to_date(layout, mode, files)));
        return;
    }
    match mode {
        Mode::Check => global.note("outputs are up to date"),
        Mode::DryRun => global.note(format_args!(
            "dry run: 0 to create, 0 to update, 0 to remove, {files} unchanged; nothing was written"
        )),
        Mode::Apply if !global.quiet => outln(format_args!(
            "{} outputs in {} are up to date ({files} files)",
            layout.target,
            shown_path(&layout.output_root)
        )),
        Mode::Apply => {}
    }
}

/// A path as the user would type it: relative to the current directory when it is below it.
pub fn shown_path(path: &std::path::Path) -> String {
    let here = std::env::current_dir().ok();
    match here.as_deref().and_then(|h| path.strip_prefix(h).ok()) {
        Some(rel) if !rel.as_os_str().is_empty() => rel.display().to_string(),
        _ => path.display().to_string(),
    }
}
