//! What several commands share: the `--dry-run/--diff/--check` and `--json` flags, the `mode` of
//! their JSON reports, the progress bar of long writes, and the sync part of the reports of
//! `agb sync` and `agb status`.
//!
//! Not here: writing to stdout/stderr (`cli::output`), anything one command alone uses.

use serde::Serialize;

use crate::cli::output::errln;
use crate::cli::Global;
use crate::fsutil;
use crate::ops::{Mode, Progress};
use crate::sync::{Action, ChangeKind, SyncError, SyncPlan, SyncState};

/// `--dry-run`, `--diff`, `--check`, for a command whose [`PlanHelp`] says what `--dry-run` and
/// `--check` mean for it.
#[derive(Debug, clap::Args)]
pub struct PlanFlags<H: PlanHelp> {
    #[arg(long, help = H::DRY_RUN)]
    pub dry_run: bool,
    /// With --dry-run: print unified diffs.
    #[arg(long, requires = "dry_run")]
    pub diff: bool,
    #[arg(long, conflicts_with = "dry_run", help = H::CHECK)]
    pub check: bool,
    #[arg(skip)]
    help: std::marker::PhantomData<H>,
}

/// The help of `--dry-run` and `--check` of one command (what it would write differs).
pub trait PlanHelp: std::fmt::Debug + Clone + Send + Sync + 'static {
    const DRY_RUN: &'static str;
    const CHECK: &'static str;
}

impl<H: PlanHelp> PlanFlags<H> {
    pub fn mode(&self) -> Mode {
        if self.check {
            Mode::Check
        } else if self.dry_run {
            Mode::DryRun
        } else {
            Mode::Apply
        }
    }
}

/// `--json`.
#[derive(Debug, clap::Args)]
pub struct JsonFlag {
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// The `mode` of a JSON report: the command's own name when it wrote, else how it ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ModeJson {
    Build,
    Sync,
    DryRun,
    Check,
}

impl ModeJson {
    /// `applied` is the command's name ([`ModeJson::Build`] or [`ModeJson::Sync`]).
    pub fn of(mode: Mode, applied: ModeJson) -> ModeJson {
        match mode {
            Mode::Apply => applied,
            Mode::DryRun => ModeJson::DryRun,
            Mode::Check => ModeJson::Check,
        }
    }
}

/// A progress bar on stderr for applies that write many files; hidden when stderr is not a
/// terminal, with --quiet or --json, and for small applies (where it would only flicker).
pub struct ProgressBar {
    /// What the bar says after `{pos}/{len}`.
    what: &'static str,
    silent: bool,
    /// Print how long each step took on stderr (`-vv`).
    timings: bool,
    bar: std::sync::OnceLock<indicatif::ProgressBar>,
}

impl ProgressBar {
    /// A bar that reads `{pos}/{len} <what> ({eta} left)`.
    pub fn new(what: &'static str, silent: bool) -> ProgressBar {
        ProgressBar { what, silent, timings: false, bar: std::sync::OnceLock::new() }
    }

    /// The same bar, that also prints each step's time when `global` is `-vv` (not `-q`).
    pub fn with_timings(self, global: &Global) -> ProgressBar {
        ProgressBar { timings: global.verbose >= 2 && !global.quiet, ..self }
    }
}

impl Progress for ProgressBar {
    fn start(&self, total: usize) {
        const SHOW_FROM: usize = 500;
        let bar = if self.silent || total < SHOW_FROM || !std::io::IsTerminal::is_terminal(&std::io::stderr())
        {
            indicatif::ProgressBar::hidden()
        } else {
            let bar = indicatif::ProgressBar::new(total as u64);
            let template = format!("{{bar:40}} {{pos}}/{{len}} {} ({{eta}} left)", self.what);
            let style =
                indicatif::ProgressStyle::with_template(&template).expect("the progress template is valid");
            bar.set_style(style);
            bar
        };
        let _ = self.bar.set(bar);
    }

    fn tick(&self) {
        if let Some(bar) = self.bar.get() {
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }

    fn phase(&self, name: &'static str, took: std::time::Duration) {
        if self.timings {
            errln(format_args!("agb: {name} took {took:.1?}"));
        }
    }
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

/// The resources of a sync plan that are not in sync (or hold edits sync ignores).
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

/// Render sync problems as miette diagnostics on stderr (even with --quiet: they are errors).
pub(crate) fn print_problems(problems: Vec<SyncError>) {
    for p in problems {
        errln(format_args!("{:?}", miette::Report::new(p)));
    }
}

/// Render sync warnings (files sync leaves alone by design) unless --quiet.
pub(crate) fn print_warnings(warnings: Vec<SyncError>, global: &Global) {
    if global.quiet {
        return;
    }
    for w in warnings {
        errln(format_args!("{:?}", miette::Report::new(w).wrap_err("warning")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mode_json_keeps_the_report_words() {
        let json = |mode, applied| serde_json::to_string(&ModeJson::of(mode, applied)).unwrap();
        assert_eq!(json(Mode::Apply, ModeJson::Build), "\"build\"");
        assert_eq!(json(Mode::Apply, ModeJson::Sync), "\"sync\"");
        assert_eq!(json(Mode::DryRun, ModeJson::Build), "\"dry_run\"");
        assert_eq!(json(Mode::Check, ModeJson::Sync), "\"check\"");
    }
}
