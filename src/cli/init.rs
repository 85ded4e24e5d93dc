//! `agb init`: write a commented starter agb.yaml (SPEC §1.9).

use std::path::PathBuf;

use crate::cli::output::outln;
use crate::cli::Global;
use crate::error::Exit;
use crate::names::Target;
use crate::ops::init::{init_project, InitOptions};

/// Write a starter agb.yaml in the current directory (or -C DIR).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The source repository of resources (default: ~/agb-resources). A relative path is taken
    /// relative to the current directory (or -C DIR).
    #[arg(long, value_name = "DIR")]
    pub source: Option<PathBuf>,
    /// The agent to build for (default: guessed from the directory name: .gemini, .claude,
    /// .opencode, .codex, .github → copilot).
    #[arg(long, value_enum)]
    pub target: Option<Target>,
    /// Overwrite an existing agb.yaml.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let options = InitOptions {
        config_path: global.config_path(),
        cwd: global.cwd.clone(),
        source: args.source,
        target: args.target,
        force: args.force,
    };
    let report = init_project(&options)?;
    if !global.quiet {
        outln(format_args!("wrote {}", report.path.display()));
    }
    if !report.source_found {
        global.note(format_args!(
            "note: {} is not a source repository yet; edit `source:` in {} to point at one",
            report.source,
            report.path.display()
        ));
    }
    Ok(Exit::Ok)
}
