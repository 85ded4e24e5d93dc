//! `agb factory check`: does a module (and version) exist?

use crate::cli::factory::FactoryArgs;
use crate::cli::Global;
use crate::error::Exit;

/// Does a module (and version) exist?
#[derive(Debug, clap::Args)]
pub struct Args {
    /// <provider>/<category>/<name>[@<version>]
    #[arg(value_name = "MODULE[@VERSION]")]
    pub module: String,
    #[command(flatten)]
    pub factory: FactoryArgs,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let _ = (args, global);
    Err(miette::miette!("not implemented yet"))
}
