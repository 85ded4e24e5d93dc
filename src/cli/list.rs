//! `agb list`: the resources of the source repository.

use crate::cli::Global;
use crate::error::Exit;

/// List the source's resources (plugin:name, type, description), marking the selected ones.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Also list resources that are not selected in agb.yaml.
    #[arg(long)]
    pub all: bool,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let _ = (args, global);
    Err(miette::miette!("not implemented yet"))
}
