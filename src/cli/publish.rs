//! `agb publish`: a new module version as a pushed branch and a pull-request link.

use std::path::PathBuf;

use crate::cli::factory::FactoryArgs;
use crate::cli::Global;
use crate::error::Exit;

/// Publish a module version: branch + commit built without a work tree, `git push`, PR link.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The local module directory.
    #[arg(value_name = "LOCAL_DIR")]
    pub local_dir: PathBuf,
    /// The module path in the factory: <provider>/<category>/<name>.
    #[arg(long, value_name = "MODULE")]
    pub module: String,
    /// The new version (semver).
    #[arg(long, value_name = "VERSION")]
    pub version: String,
    /// One line for the changelog and the pull request.
    #[arg(long)]
    pub description: Option<String>,
    /// Commit author as "Name <email>" (default: git config user.name / user.email).
    #[arg(long)]
    pub author: Option<String>,
    /// Allow a version lower than the latest published one.
    #[arg(long)]
    pub allow_older: bool,
    /// Also publish files skipped by default (*.tfvars).
    #[arg(long)]
    pub include: Vec<String>,
    /// Show the tree diff and the link; push nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Commit into the cache only and print the push command.
    #[arg(long, conflicts_with = "dry_run")]
    pub no_push: bool,
    #[command(flatten)]
    pub factory: FactoryArgs,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let _ = (args, global);
    Err(miette::miette!("not implemented yet"))
}
