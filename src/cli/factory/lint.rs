//! `agb factory lint`: check catalog.json against the tree, and the metadata schema.

use crate::cli::factory::FactoryArgs;
use crate::cli::Global;
use crate::error::Exit;

/// Check catalog.json against the tree, and the metadata schema.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub factory: FactoryArgs,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let _ = (args, global);
    Err(miette::miette!("not implemented yet"))
}
