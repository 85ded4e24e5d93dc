//! `agb factory validate`: check module references in .tf files against the catalog.

use crate::cli::factory::FactoryArgs;
use crate::cli::Global;
use crate::error::Exit;

/// Check module references in .tf files against the catalog.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// .tf files or directories (searched recursively, .terraform/ skipped).
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<std::path::PathBuf>,
    #[command(flatten)]
    pub factory: FactoryArgs,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let _ = (args, global);
    Err(miette::miette!("not implemented yet"))
}
