//! `agb build`: render the selected resources into the output root.

use crate::cli::Global;
use crate::error::Exit;

/// Render the resources selected in agb.yaml into the output root.
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

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let _ = (args, global);
    Err(miette::miette!("not implemented yet"))
}
