//! The command line: global options, the command tree, dispatch, and error rendering.
//!
//! One file per command (`cli/<command>.rs`, `cli/factory/<command>.rs`): an `Args` struct whose
//! doc comments are the help text, and a `run` function that makes one call into the library
//! (`ops`, or `factory`), prints the report and maps it to an exit code. What several commands
//! share (flags, the progress bar, report pieces) is in `common.rs`; writing to stdout/stderr in
//! `output.rs`. Printing and `--json` live in this module tree only.
//!
//! Not here: the steps of an operation (`ops`), anything a library user would also need.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::error::{exit_for_report, Exit};

pub mod adopt;
pub mod build;
pub mod common;
pub mod completions;
pub mod explain;
pub mod factory;
pub mod help;
pub mod init;
pub mod list;
pub mod man;
pub mod new;
pub mod output;
pub mod publish;
pub mod status;
pub mod sync;
pub mod watch;

/// Keep AI-agent resources once, build them for Gemini CLI, Claude Code, OpenCode, Codex and
/// Copilot, sync edits back; and read a Terraform module factory through git.
#[derive(Debug, Parser)]
#[command(
    name = "agb",
    version,
    propagate_version = true,
    max_term_width = 100,
    after_help = ROOT_AFTER_HELP
)]
pub struct Cli {
    /// Run as if agb was started in DIR (where agb.yaml is looked for).
    #[arg(short = 'C', global = true, value_name = "DIR", help_heading = GLOBAL)]
    pub dir: Option<PathBuf>,
    /// Use this agb.yaml instead of the one found from the current directory upward.
    #[arg(long, global = true, value_name = "FILE", help_heading = GLOBAL)]
    pub config: Option<PathBuf>,
    /// Print only results, errors and warnings (not with -v).
    #[arg(short, long, global = true, help_heading = GLOBAL, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more about what agb does: -v lists every file written and, on stderr, what was
    /// skipped and why; -vv adds how long each step took.
    #[arg(short, long, global = true, action = clap::ArgAction::Count, help_heading = GLOBAL)]
    pub verbose: u8,
    /// When to use colours (NO_COLOR is honoured by `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", help_heading = GLOBAL)]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

/// The heading of the options every command takes.
const GLOBAL: &str = "Global options";

/// What `agb --help` ends with: a first run, the exit codes, the environment.
const ROOT_AFTER_HELP: &str = "\
Examples:
  agb init --new-source ~/agb-resources   a starter source and the agb.yaml that builds it
  agb build                               render the selection into this directory
  agb status                              what build and sync would do
  agb explain agb::outputs::edited_outputs

Exit status:
  0 success, 1 error, 2 usage error, 3 pending (status, build --check),
  4 network or authentication error, 5 not found

Environment:
  AGB_FACTORY    the factory URL or path (like --factory)
  AGB_OFFLINE    answer factory reads from the cache only (like --offline)
  AGB_CACHE_DIR  where agb keeps factory clones (default: the user cache directory)
  GITHUB_TOKEN   offered to https://github.com when git has no credentials
  NO_COLOR       no colours (also when output is not a terminal)";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render the selected resources into the output root (the directory of agb.yaml).
    Build(build::Args),
    /// Carry edits made in the project back into the source repository.
    Sync(sync::Args),
    /// Show what `build` and `sync` would do, in both directions (exit 3 when anything is pending).
    Status(status::Args),
    /// List the selected resources; with --all, every resource of the source.
    List(list::Args),
    /// Write a starter agb.yaml (and with --new-source a starter source repository).
    Init(init::Args),
    /// Bring commands, agents and skills written in an agent's own format into the source.
    Adopt(adopt::Args),
    /// Add a command, an agent or a skill to the source repository.
    New(new::Args),
    /// Read the team's Terraform module factory through a cached git clone.
    #[command(subcommand)]
    Factory(factory::Command),
    /// Publish a module version: branch + commit made locally, `git push`, pull-request link.
    Publish(publish::Args),
    /// Explain an error code: what it means and what to do.
    Explain(explain::Args),
    /// Print a shell completion script.
    Completions(completions::Args),
    /// Write or print the man pages.
    Man(man::Args),
}

/// Options every command sees, resolved from the global flags.
#[derive(Debug, Clone)]
pub struct Global {
    /// `-C DIR`, or the current directory.
    pub cwd: PathBuf,
    /// `--config FILE`, resolved against `cwd`.
    pub config: Option<PathBuf>,
    pub quiet: bool,
    pub verbose: u8,
    /// Colour status words on stdout (`--color`, NO_COLOR, stdout a terminal).
    pub color: bool,
}

impl Global {
    /// Where agb.yaml is: `--config`, else `agb.yaml` in `-C DIR`/the current directory.
    pub fn config_path(&self) -> PathBuf {
        self.config.clone().unwrap_or_else(|| self.cwd.join("agb.yaml"))
    }

    /// Print a warning or note on stderr unless `--quiet`.
    pub fn warn(&self, msg: impl std::fmt::Display) {
        if !self.quiet {
            output::errln(format_args!("warning: {msg}"));
        }
    }

    pub fn note(&self, msg: impl std::fmt::Display) {
        if !self.quiet {
            output::errln(msg);
        }
    }
}

/// Parse, run, render the error, return the process exit code.
pub fn main_entry() -> i32 {
    let parsed =
        command().try_get_matches().and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayVersion => {
            // `agb build --version` prints agb's version, not "agb-build 0.1.0".
            output::outln(format_args!("agb {}", env!("CARGO_PKG_VERSION")));
            return Exit::Ok.code();
        }
        Err(e) => {
            let code = if e.use_stderr() { Exit::Usage.code() } else { Exit::Ok.code() };
            if e.use_stderr() && wants_json(std::env::args_os()) {
                let first_line = e.to_string().lines().next().unwrap_or_default().to_string();
                output::print_json(&serde_json::json!({"schema": 1, "error": {
                    "code": "agb::usage::arguments",
                    "message": first_line.trim_start_matches("error: "),
                    "help": "run the command with --help",
                }}));
            }
            let _ = e.print();
            return code;
        }
    };
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::IsTerminal::is_terminal(&std::io::stderr())
        }
    };
    let stderr_is_terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = miette::set_hook(Box::new(move |_| {
        // Lines break at spaces only, never inside a word: a path or a code stays whole (and
        // can be copied) however long it is; and only on a terminal: a log or a pipe gets
        // each message on one line, for grep.
        Box::new(
            miette::MietteHandlerOpts::new()
                .color(color)
                .unicode(color)
                .context_lines(2)
                .wrap_lines(stderr_is_terminal)
                .break_words(false)
                .word_separator(textwrap::WordSeparator::AsciiSpace)
                .word_splitter(textwrap::WordSplitter::NoHyphenation)
                .build(),
        )
    }));
    let json = wants_json(std::env::args_os());
    let global = match resolve_global(&cli) {
        Ok(g) => g,
        Err(report) => return report_error(report, json),
    };
    let started = std::time::Instant::now();
    let code = match run(cli.command, &global) {
        Ok(exit) => exit.code(),
        Err(report) => report_error(report, json),
    };
    if global.verbose >= 2 && !global.quiet {
        output::errln(format_args!("agb: finished in {:.0?} (exit {code})", started.elapsed()));
    }
    code
}

/// Whether `--json` is among the options (before a `--`): then a failure also prints its JSON
/// document, whichever command ran.
fn wants_json(args: impl Iterator<Item = std::ffi::OsString>) -> bool {
    args.skip(1).take_while(|a| a != "--").any(|a| a == "--json")
}

fn report_error(report: miette::Report, json: bool) -> i32 {
    if json {
        output::print_json_error(&report);
    }
    // The OS's "(os error 17)" means nothing to a user; the sentence before it says it all.
    output::errln(crate::error::strip_os_error(&format!("{report:?}")));
    exit_for_report(&report).code()
}

fn resolve_global(cli: &Cli) -> miette::Result<Global> {
    let here =
        std::env::current_dir().map_err(|e| miette::miette!("cannot read the current directory: {e}"))?;
    let cwd = match &cli.dir {
        Some(d) if d.is_absolute() => d.clone(),
        Some(d) => here.join(d),
        None => here,
    };
    if !cwd.is_dir() {
        return Err(miette::miette!(
            code = "agb::usage::no_dir",
            help = "pass an existing directory to -C",
            "-C {}: no such directory",
            cwd.display()
        ));
    }
    let config = cli.config.as_ref().map(|c| if c.is_absolute() { c.clone() } else { cwd.join(c) });
    // Colour on stdout only where a person reads it: never with NO_COLOR or into a pipe.
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::IsTerminal::is_terminal(&std::io::stdout())
        }
    };
    Ok(Global { cwd, config, quiet: cli.quiet, verbose: cli.verbose, color })
}

fn run(command: Command, global: &Global) -> miette::Result<Exit> {
    match command {
        Command::Build(args) => build::run(args, global),
        Command::Sync(args) => sync::run(args, global),
        Command::Status(args) => status::run(args, global),
        Command::List(args) => list::run(args, global),
        Command::Init(args) => init::run(args, global),
        Command::Adopt(args) => adopt::run(args, global),
        Command::New(args) => new::run(args, global),
        Command::Factory(cmd) => factory::run(cmd, global),
        Command::Publish(args) => publish::run(args, global),
        Command::Explain(args) => explain::run(args, global),
        Command::Completions(args) => completions::run(args, global),
        Command::Man(args) => man::run(args, global),
    }
}

/// The clap command the parser, the completions and the man pages use, with every command's
/// examples (`help.rs`).
pub fn command() -> clap::Command {
    help::with_examples(<Cli as clap::CommandFactory>::command())
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_is_seen_before_a_double_dash_only() {
        let args = |a: &[&str]| a.iter().map(std::ffi::OsString::from).collect::<Vec<_>>().into_iter();
        assert!(super::wants_json(args(&["agb", "build", "--json"])));
        assert!(!super::wants_json(args(&["agb", "build"])));
        assert!(!super::wants_json(args(&["agb", "x", "--", "--json"])));
    }

    #[test]
    fn cli_definition_is_consistent() {
        super::command().debug_assert();
    }
}
