//! `agb factory compare`: compare a local module with a published version and suggest a semver bump.

use crate::cli::factory::FactoryArgs;
use crate::cli::Global;
use crate::error::Exit;

/// Compare a local module with a published version and suggest a semver bump.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The local module directory.
    #[arg(value_name = "LOCAL_DIR")]
    pub local_dir: std::path::PathBuf,
    /// The published module (default: from the local MODULE_METADATA.yaml; version: latest).
    #[arg(value_name = "MODULE[@VERSION]")]
    pub module: Option<String>,
    /// Print unified diffs.
    #[arg(long)]
    pub diff: bool,
    #[command(flatten)]
    pub factory: FactoryArgs,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let _ = (args, global);
    Err(miette::miette!("not implemented yet"))
}
