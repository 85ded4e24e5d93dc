//! `agb man`: man pages generated from the clap definition, one per command, each with the
//! command's examples (EXAMPLES), the exit codes (EXIT STATUS), the environment (ENVIRONMENT)
//! and the files agb reads and writes (FILES); agb-explain(1) also lists every error code.

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
    let examples = cmd.get_after_help().map(|h| h.to_string());
    // The examples get their own EXAMPLES section below instead of clap_mangen's "EXTRA".
    let page = cmd.clone().name(name.to_string()).after_help(None::<&'static str>);
    clap_mangen::Man::new(page).render(&mut buf).expect("rendering into a Vec cannot fail");
    if let Some(text) = examples {
        let text = text.strip_prefix("Examples:\n").unwrap_or(&text);
        // agb(1)'s help text also lists exit codes and variables: they have their sections.
        let text = text.split("\n\nExit status:").next().unwrap_or(text);
        buf.extend(section("EXAMPLES", text).into_bytes());
    }
    buf.extend(section("EXIT STATUS", EXIT_STATUS).into_bytes());
    buf.extend(section("ENVIRONMENT", ENVIRONMENT).into_bytes());
    buf.extend(section("FILES", FILES).into_bytes());
    if name == "agb-explain" {
        buf.extend(error_codes_section().into_bytes());
    }
    pages.push((format!("{name}.1"), buf));
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        collect(sub, &format!("{name}-{}", sub.get_name()), pages);
    }
}

const EXIT_STATUS: &str = "\
0  success
1  error (the message says what to do; `agb explain CODE` says more)
2  usage error: a bad option or argument
3  pending: `status`, `build --check` or `sync --check` found work to do
4  network or authentication error
5  not found (a module, a version)";

const ENVIRONMENT: &str = "\
AGB_FACTORY  the factory URL or path (like --factory)
AGB_OFFLINE  answer factory reads from the cache only (like --offline)
AGB_CACHE_DIR  where agb keeps its factory clones (default: the user cache directory)
GITHUB_TOKEN  offered to https://github.com when git has no credentials; never stored or printed
NO_COLOR  no colours, whatever the terminal
XDG_CONFIG_HOME  where the user config agb/config.yaml is read (default: ~/.config)";

const FILES: &str = "\
agb.yaml  the project's configuration, in the output root (.claude/, .gemini/, ...)
.agb/manifest.json  the record of the last build in the output root (the base of sync)
SOURCE/plugins/<plugin>/{commands,agents,skills}/  the resources of the source repository
~/.config/agb/config.yaml  the user config (the factory, when no agb.yaml names one)";

/// A roff section: each line of `text` a paragraph line, `-` and leading dots escaped.
fn section(title: &str, text: &str) -> String {
    let mut out = format!(".SH \"{title}\"\n");
    for line in text.lines() {
        let line = line.trim_start();
        if line.is_empty() {
            out.push_str(".PP\n");
            continue;
        }
        out.push_str(".br\n");
        out.push_str(&roff_escape(line));
        out.push('\n');
    }
    out
}

/// The ERROR CODES section of agb-explain(1): each code with its explanation.
fn error_codes_section() -> String {
    let mut out = String::from(".SH \"ERROR CODES\"\n");
    for (code, body) in crate::cli::explain::entries() {
        out.push_str(&format!(".TP\n\\fB{}\\fR\n", roff_escape(code)));
        out.push_str(&roff_escape(&body.replace("\n\n", " ")));
        out.push('\n');
    }
    out
}

fn roff_escape(line: &str) -> String {
    let escaped = line.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}
