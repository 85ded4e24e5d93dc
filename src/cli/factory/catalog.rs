//! `agb factory catalog`: list the factory's modules.

use crate::cli::factory::FactoryArgs;
use crate::cli::Global;
use crate::error::Exit;

/// List the factory's modules.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A glob on the module path (e.g. `aws/*`).
    pub pattern: Option<String>,
    /// Also list patterns/.
    #[arg(long)]
    pub patterns: bool,
    #[command(flatten)]
    pub factory: FactoryArgs,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let _ = (args, global);
    Err(miette::miette!("not implemented yet"))
}
