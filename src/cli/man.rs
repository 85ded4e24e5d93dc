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
    let mut buf = with_synopsis(buf, &synopsis(cmd));
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

/// `page` with the line after `.SH SYNOPSIS` replaced by `line`.
fn with_synopsis(page: Vec<u8>, line: &str) -> Vec<u8> {
    let text = String::from_utf8(page).expect("clap_mangen writes UTF-8");
    let mut out = String::with_capacity(text.len());
    let mut replace_next = false;
    for l in text.split_inclusive('\n') {
        if replace_next {
            out.push_str(line);
            out.push('\n');
            replace_next = false;
            continue;
        }
        replace_next = l.trim_end() == ".SH SYNOPSIS";
        out.push_str(l);
    }
    out.into_bytes()
}

/// The SYNOPSIS line of `cmd`, as clap_mangen writes it but with each option's value name
/// (`-C <DIR>`, `--color <WHEN>`): clap_mangen prints bare option names, which hides which
/// options take a value.
fn synopsis(cmd: &clap::Command) -> String {
    let name = cmd.get_bin_name().unwrap_or_else(|| cmd.get_name());
    let mut line = format!("\\fB{}\\fR ", roff_escape(name));
    let mut opts: Vec<&clap::Arg> =
        cmd.get_arguments().filter(|a| !a.is_hide_set() && !a.is_positional()).collect();
    // clap_mangen's order: display order, then the short or long name.
    opts.sort_by_key(|a| {
        let key = match (a.get_short(), a.get_long()) {
            (Some(c), _) => format!("{}{}", c.to_ascii_lowercase(), u8::from(!c.is_ascii_lowercase())),
            (None, Some(long)) => long.to_string(),
            (None, None) => format!("{{{}", a.get_id()),
        };
        (a.get_display_order(), key)
    });
    for opt in opts {
        let names = match (opt.get_short(), opt.get_long()) {
            (Some(s), Some(l)) => format!("\\fB-{s}\\fR|\\fB--{l}\\fR"),
            (Some(s), None) => format!("\\fB-{s}\\fR"),
            (None, Some(l)) => format!("\\fB--{l}\\fR"),
            (None, None) => continue,
        };
        let value = if opt.get_action().takes_values() {
            format!(" \\fI<{}>\\fR", value_name(opt))
        } else {
            String::new()
        };
        let (open, close) = if opt.is_required_set() { ("<", ">") } else { ("[", "]") };
        let repeat = if matches!(opt.get_action(), clap::ArgAction::Count) { "..." } else { "" };
        line.push_str(&format!("{open}{}{value}{close}{repeat} ", names.replace('-', "\\-")));
    }
    for arg in cmd.get_positionals().filter(|a| !a.is_hide_set()) {
        let (open, close) = if arg.is_required_set() { ("<", ">") } else { ("[", "]") };
        line.push_str(&format!("{open}\\fI{}\\fR{close} ", roff_escape(&value_name(arg))));
    }
    if cmd.has_subcommands() {
        let (open, close) = if cmd.is_subcommand_required_set() { ("<", ">") } else { ("[", "]") };
        line.push_str(&format!("{open}\\fIcommand\\fR{close}"));
    }
    line.trim_end().to_string()
}

/// An argument's value name(s) as the help shows them: `DIR`, `MODULE[@VERSION]`.
fn value_name(arg: &clap::Arg) -> String {
    match arg.get_value_names() {
        Some(names) => names.iter().map(|n| n.as_str()).collect::<Vec<_>>().join(" "),
        None => arg.get_id().as_str().to_uppercase(),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn synopsis_of(page: &str) -> String {
        let (_, bytes) = man_pages().into_iter().find(|(n, _)| n == page).expect("page exists");
        let text = String::from_utf8(bytes).unwrap();
        let mut lines = text.lines().skip_while(|l| *l != ".SH SYNOPSIS");
        lines.nth(1).expect("a synopsis line").to_string()
    }

    #[test]
    fn synopsis_names_the_value_each_option_takes() {
        let line = synopsis_of("agb-build.1");
        assert!(line.starts_with("\\fBagb build\\fR "), "{line}");
        assert!(line.contains("[\\fB\\-C\\fR \\fI<DIR>\\fR]"), "{line}");
        assert!(line.contains("[\\fB\\-\\-target\\fR \\fI<TARGET>\\fR]"), "{line}");
        // Flags stay bare.
        assert!(line.contains("[\\fB\\-\\-dry\\-run\\fR]"), "{line}");
    }

    #[test]
    fn synopsis_keeps_positionals_and_subcommands() {
        assert!(synopsis_of("agb-factory-show.1").ends_with("<\\fIMODULE[@VERSION]\\fR>"));
        assert!(synopsis_of("agb.1").ends_with("<\\fIcommand\\fR>"));
    }
}
