//! `agb factory import`: write a module version's files into a directory.

use crate::cli::factory::FactoryArgs;
use crate::cli::Global;
use crate::error::Exit;

/// Write a module version's files into a directory.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// <provider>/<category>/<name>[@<version>]
    #[arg(value_name = "MODULE[@VERSION]")]
    pub module: String,
    /// Where to write the files.
    #[arg(value_name = "DEST")]
    pub dest: std::path::PathBuf,
    /// Write into a non-empty DEST.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub factory: FactoryArgs,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let _ = (args, global);
    Err(miette::miette!("not implemented yet"))
}
