//! `agb sync`: carry edits made in the project back into the source repository.

use crate::cli::Global;
use crate::error::Exit;

/// Carry edits made in the project's outputs back into the source repository.
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

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let _ = (args, global);
    Err(miette::miette!("not implemented yet"))
}
