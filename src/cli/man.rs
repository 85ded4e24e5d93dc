//! `agb man`: man pages generated from the clap definition, one per command.

use std::path::PathBuf;

use crate::cli::output::outln;
use crate::cli::Global;
use crate::error::Exit;

/// Write the man pages into DIR, or print agb(1) when no --out is given.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write agb.1 and one page per subcommand (agb-build.1 …) into DIR.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    match args.out {
        None => {
            let pages = man_pages();
            outln(String::from_utf8_lossy(&pages[0].1).trim_end());
        }
        Some(dir) => {
            let dir = if dir.is_absolute() { dir } else { global.cwd.join(dir) };
            for (name, bytes) in man_pages() {
                crate::fsutil::write_atomic(&dir.join(&name), &bytes)?;
            }
        }
    }
    Ok(Exit::Ok)
}

/// Every man page as (file name, roff bytes): agb.1 first, then `agb-<sub>.1` for each
/// subcommand, recursively (agb-factory-check.1 …).
pub fn man_pages() -> Vec<(String, Vec<u8>)> {
    let mut cmd = crate::cli::command();
    cmd.build();
    let mut pages = Vec::new();
    collect(&cmd, "agb", &mut pages);
    pages
}

fn collect(cmd: &clap::Command, name: &str, pages: &mut Vec<(String, Vec<u8>)>) {
    let mut buf = Vec::new();
    let page = cmd.clone().name(name.to_string());
    clap_mangen::Man::new(page).render(&mut buf).expect("rendering into a Vec cannot fail");
    pages.push((format!("{name}.1"), buf));
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        collect(sub, &format!("{name}-{}", sub.get_name()), pages);
    }
}
