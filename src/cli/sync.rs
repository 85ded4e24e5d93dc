//! `agb sync`: carry edits made in the project back into the source repository.

use serde::Serialize;

use crate::cli::output::{errln, outln, print_json};
use crate::cli::Global;
use crate::config::Config;
use crate::error::Exit;
use crate::fsutil;
use crate::outputs::{self, Layout};
use crate::source;
use crate::sync::{self, Action, ChangeKind, SyncError, SyncPlan, SyncState};

/// Carry edits made in the project's outputs back into the source repository.
///
/// Three-way, with the last build's manifest as the base: a change made only in the project is
/// applied to the source; a change made only in the source is left for `agb build`; a change on
/// both sides is a conflict (nothing is written for that resource, exit 1) unless --force.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the plan; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// With --dry-run: print unified diffs.
    #[arg(long, requires = "dry_run")]
    pub diff: bool,
    /// Write nothing; exit 3 when something is pending.
    #[arg(long, conflicts_with = "dry_run")]
    pub check: bool,
    /// The project side wins conflicts.
    #[arg(long)]
    pub force: bool,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
pub(crate) struct ChangeJson {
    pub file: String,
    pub action: ChangeKind,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub what: Vec<&'static str>,
}

#[derive(Serialize)]
pub(crate) struct ResourceJson {
    pub resource: String,
    pub state: SyncState,
    pub changes: Vec<ChangeJson>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub edited_in_source: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignored_edits: Vec<String>,
}

#[derive(Serialize)]
pub(crate) struct ProblemJson {
    pub code: Option<String>,
    pub message: String,
}

#[derive(Serialize)]
struct Report {
    target: String,
    output_root: String,
    source_root: String,
    /// `sync`, `dry_run` or `check`.
    mode: &'static str,
    /// No build manifest: the project side won every difference.
    two_way: bool,
    pending: bool,
    resources: Vec<ResourceJson>,
    problems: Vec<ProblemJson>,
    manifest_updated: bool,
    /// Project files rewritten in agb's formatting after their edit was synced.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    normalized: Vec<String>,
    /// Synced project files left as they are because they also hold an edit sync does not
    /// carry (`agb build` overwrites it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    kept_with_other_edits: Vec<String>,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let config = Config::load(&global.config_path())?;
    let selection = source::load_selection(&config)?;
    let layout = Layout::of(&config);
    let mut plan = sync::plan_sync(&layout, &selection, args.force)?;
    if plan.manifest.is_none() && !plan.resources.is_empty() {
        global.warn(format_args!(
            "no build manifest in {}: two-way sync, the project side wins every difference (run `agb build` once to get three-way sync)",
            layout.output_root.display()
        ));
    }
    let mode = if args.check {
        "check"
    } else if args.dry_run {
        "dry_run"
    } else {
        "sync"
    };
    if args.check || args.dry_run {
        let hard_problem = plan.problems.iter().any(|p| !matches!(p, SyncError::Conflict { .. }));
        let has_errors = plan.has_errors();
        if args.json {
            print_json(&report(&plan, mode, &[], false));
        } else {
            print_problems(std::mem::take(&mut plan.problems));
            print_warnings(std::mem::take(&mut plan.warnings), global);
            print_plan(&plan, &args, global)?;
        }
        return Ok(if hard_problem || (args.dry_run && has_errors) {
            Exit::Error
        } else if args.check && plan.is_pending() {
            Exit::Pending
        } else {
            Exit::Ok
        });
    }

    let bar = progress_bar(plan.actions().count(), args.json || global.quiet);
    let outcome = sync::apply_sync(&plan, &|| bar.inc(1));
    bar.finish_and_clear();
    let failed = plan.has_errors() || !outcome.errors.is_empty();
    if args.json {
        let mut r = report(&plan, mode, &outcome.errors, outcome.manifest_written);
        r.normalized = outcome.normalized.clone();
        r.kept_with_other_edits = outcome.not_normalized.clone();
        // After applying, only what was not written (conflicts) is still pending.
        r.pending = plan.resources.iter().any(|x| x.state == SyncState::Conflict);
        print_json(&r);
    } else {
        let no_problems = plan.problems.is_empty();
        print_problems(std::mem::take(&mut plan.problems));
        print_warnings(std::mem::take(&mut plan.warnings), global);
        print_problems(outcome.errors);
        print_notes(&plan, global);
        for f in &outcome.not_normalized {
            global.warn(format_args!(
                "{f}: edited outside its description and body; sync carries back only those, `agb build` will overwrite the rest"
            ));
        }
        if !global.quiet {
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
                outln(format_args!("synced {n} source file(s) from {}", layout.output_root.display()));
            }
        }
    }
    Ok(if failed { Exit::Error } else { Exit::Ok })
}

/// A progress bar on stderr for syncs that write many files; hidden when stderr is not a
/// terminal, with --quiet or --json, and for small syncs (where it would only flicker).
fn progress_bar(files: usize, silent: bool) -> indicatif::ProgressBar {
    const SHOW_FROM: usize = 500;
    if silent || files < SHOW_FROM || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(files as u64);
    let style =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} source files synced ({eta} left)")
            .expect("the progress template is valid");
    bar.set_style(style);
    bar
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

/// Render problems as miette diagnostics on stderr (even with --quiet: they are errors).
pub(crate) fn print_problems(problems: Vec<SyncError>) {
    for p in problems {
        errln(format_args!("{:?}", miette::Report::new(p)));
    }
}

/// Render warnings (files sync leaves alone by design) unless --quiet.
pub(crate) fn print_warnings(warnings: Vec<SyncError>, global: &Global) {
    if global.quiet {
        return;
    }
    for w in warnings {
        errln(format_args!("{:?}", miette::Report::new(w).wrap_err("warning")));
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

fn print_plan(plan: &SyncPlan, args: &Args, global: &Global) -> miette::Result<()> {
    print_notes(plan, global);
    if global.quiet && args.check {
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
        if args.diff {
            outln(action_diff(&file, action));
        }
    }
    for r in plan.resources.iter().filter(|r| r.state == SyncState::Conflict) {
        outln(format_args!("conflict  {} ({})", r.id, sync::Conflict::list(&r.conflicts)));
    }
    let n = plan.actions().count();
    if args.check {
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

pub(crate) fn resources_json(plan: &SyncPlan) -> Vec<ResourceJson> {
    let root = &plan.layout.source_root;
    plan.resources
        .iter()
        .filter(|r| r.state != SyncState::InSync || !r.ignored_edits.is_empty())
        .map(|r| ResourceJson {
            resource: r.id.to_string(),
            state: r.state,
            changes: r
                .actions
                .iter()
                .map(|a| ChangeJson {
                    file: fsutil::rel_slash(root, a.path()).unwrap_or_else(|| a.path().display().to_string()),
                    action: a.kind(),
                    what: match a {
                        Action::WriteText { what, .. } => what.clone(),
                        _ => Vec::new(),
                    },
                })
                .collect(),
            conflicts: r.conflicts.iter().map(ToString::to_string).collect(),
            edited_in_source: r.source_edits.clone(),
            ignored_edits: r.ignored_edits.clone(),
        })
        .collect()
}

pub(crate) fn problems_json(problems: &[SyncError]) -> Vec<ProblemJson> {
    use miette::Diagnostic;
    problems
        .iter()
        .map(|p| {
            let mut message = p.to_string();
            if let Some(src) = std::error::Error::source(p) {
                message = format!("{message}: {src}");
            }
            ProblemJson { code: p.code().map(|c| c.to_string()), message }
        })
        .collect()
}

fn report(plan: &SyncPlan, mode: &'static str, errors: &[SyncError], manifest_updated: bool) -> Report {
    let mut problems = problems_json(&plan.problems);
    problems.extend(problems_json(errors));
    problems.extend(problems_json(&plan.warnings));
    Report {
        target: plan.layout.target.as_str().to_string(),
        output_root: plan.layout.output_root.display().to_string(),
        source_root: plan.layout.source_root.display().to_string(),
        mode,
        two_way: plan.manifest.is_none(),
        pending: plan.is_pending(),
        resources: resources_json(plan),
        problems,
        manifest_updated,
        normalized: Vec::new(),
        kept_with_other_edits: Vec::new(),
    }
}
