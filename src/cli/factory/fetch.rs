//! `agb factory fetch`: clone or update the factory cache now.

use serde_json::json;

use crate::cli::factory::FactoryArgs;
use crate::cli::output::{outln, print_json};
use crate::cli::Global;
use crate::error::Exit;
use crate::factory::{CacheError, CacheEvent, FetchMode};

/// Clone or update the factory cache now (exit 4 when the remote cannot be reached).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub factory: FactoryArgs,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let mode = if args.factory.offline { FetchMode::Offline } else { FetchMode::Refresh };
    let config = args.factory.resolve_config(global)?;
    let opts = crate::factory::CacheOptions::from_env(mode, !global.quiet && !args.factory.json)?;
    let mut f = crate::factory::Factory::open(&config, &opts)?;
    if f.event() == CacheEvent::Stale {
        // `fetch` exists to update the cache: answering from a stale one would hide the failure.
        let detail = f.take_warnings().iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
        return Err(CacheError::network(f.remote_url().to_string(), detail).into());
    }
    crate::cli::factory::print_warnings(&mut f, global);
    let (event, what) = match f.event() {
        CacheEvent::Cloned => ("cloned", "cloned"),
        CacheEvent::Recloned => ("recloned", "re-cloned (the cache was damaged)"),
        CacheEvent::Fetched { changed: true } => ("updated", "updated"),
        CacheEvent::Fetched { changed: false } => ("up-to-date", "already up to date"),
        CacheEvent::Used | CacheEvent::Stale => ("cached", "used from the cache"),
    };
    if args.factory.json {
        print_json(&json!({
            "schema": 1,
            "url": f.remote_url(),
            "branch": f.config().branch,
            "commit": f.commit().to_string(),
            "cache": f.git_dir().display().to_string(),
            "event": event,
        }));
    } else {
        outln(format_args!(
            "{} {what}: {} at {}\ncache: {}",
            f.remote_url(),
            f.config().branch,
            f.commit().to_hex_with_len(12),
            f.git_dir().display()
        ));
    }
    Ok(Exit::Ok)
}
