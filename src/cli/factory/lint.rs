//! `agb factory lint`: check catalog.json against the tree, and the metadata schema.

use serde_json::json;

use crate::cli::factory::{print_warnings, FactoryArgs};
use crate::cli::output::{outln, print_json};
use crate::cli::Global;
use crate::error::Exit;

/// Check catalog.json against the tree, and every MODULE_METADATA.yaml (exit 1 on problems).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub factory: FactoryArgs,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let mut f = args.factory.open(global)?;
    print_warnings(&mut f, global);
    let problems = crate::factory::lint::lint_factory(&f)?;
    if args.factory.json {
        print_json(&json!({
            "schema": 1,
            "commit": f.commit().to_string(),
            "ok": problems.is_empty(),
            "problems": problems,
        }));
    } else if problems.is_empty() {
        outln(format_args!("factory at {} is consistent", f.commit().to_hex_with_len(12)));
    } else {
        for p in &problems {
            outln(format_args!("{}: {} ({})", p.path, p.message, p.kind));
        }
        outln(format_args!("{} problem(s)", problems.len()));
    }
    Ok(if problems.is_empty() { Exit::Ok } else { Exit::Error })
}
