//! `agb factory fetch`: clone or update the factory cache now.

use crate::cli::factory::FactoryArgs;
use crate::cli::Global;
use crate::error::Exit;

/// Clone or update the factory cache now.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub factory: FactoryArgs,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let _ = (args, global);
    Err(miette::miette!("not implemented yet"))
}
