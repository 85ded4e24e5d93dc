//! `agb init`: write a starter agb.yaml.

use std::path::PathBuf;

use crate::cli::Global;
use crate::error::Exit;
use crate::names::Target;

/// Write a starter agb.yaml in the current directory (or -C DIR).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The source repository of resources.
    #[arg(long, value_name = "DIR")]
    pub source: Option<PathBuf>,
    /// The agent to build for.
    #[arg(long, value_enum)]
    pub target: Option<Target>,
    /// Overwrite an existing agb.yaml.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let _ = (args, global);
    Err(miette::miette!("not implemented yet"))
}
