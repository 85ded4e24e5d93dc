//! `agb status`: what build and sync would do, in both directions.

use crate::cli::Global;
use crate::error::Exit;

/// Show what `build` and `sync` would do (exit 3 when anything is pending).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let _ = (args, global);
    Err(miette::miette!("not implemented yet"))
}
