//! `agb init`: write a commented starter agb.yaml, and with `--new-source` a starter source
//! repository that builds for every agent; then say what to run next.

use std::path::{Path, PathBuf};

use crate::cli::output::outln;
use crate::cli::Global;
use crate::error::Exit;
use crate::names::Target;
use crate::ops::init::{init_project, InitOptions, TargetChoice};

/// Write a starter agb.yaml: in the current directory (or -C DIR) when it is an agent directory
/// (.claude, .gemini, .opencode, .codex), else in the agent directory below it; for several
/// agents, one agb.yaml with `targets:` in the project root.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  agb init --new-source ~/agb-resources   start from nothing: a starter source and its agb.yaml
  agb init --source ~/agb-resources       use an existing source (its resources listed, commented)
  agb -C .gemini init                     the agb.yaml of another agent of the project
  agb init --target claude-code --target codex   one agb.yaml in the project root for both
  agb init --target codex --config x/agb.yaml")]
pub struct Args {
    /// The source repository of resources (default: ~/agb-resources). A relative path is taken
    /// relative to the current directory (or -C DIR).
    #[arg(long, value_name = "DIR", conflicts_with = "new_source")]
    pub source: Option<PathBuf>,
    /// Create a starter source repository in DIR (one plugin with a command, an agent and a
    /// skill) and select its resources.
    #[arg(long, value_name = "DIR")]
    pub new_source: Option<PathBuf>,
    /// The agent to build for (default: guessed from the directory name: .gemini, .claude,
    /// .opencode, .codex, .github → copilot; in a project root, the agent directories found
    /// there, else claude-code). Repeat it for several agents: in a project root, one agb.yaml
    /// with `targets:` builds each into its own directory.
    #[arg(long, value_enum, value_name = "TARGET")]
    pub target: Vec<Target>,
    /// Overwrite an existing agb.yaml.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let options = InitOptions {
        config: global.config.clone(),
        cwd: global.cwd.clone(),
        source: args.source,
        new_source: args.new_source,
        targets: args.target,
        force: args.force,
    };
    let report = init_project(&options)?;
    if let Some((dir, files)) = &report.created_source {
        if global.verbose > 0 && !global.quiet {
            for file in files {
                outln(format_args!("wrote {}", rel(&global.cwd, file)));
            }
        }
        global.note(format_args!(
            "created a starter source in {} ({} files; -v lists them)",
            rel(&global.cwd, dir),
            files.len()
        ));
    }
    if !global.quiet {
        outln(format_args!("wrote {}", rel(&global.cwd, &report.path)));
    }
    match &report.choice {
        TargetChoice::Default => global.note(format_args!(
            "no agent directory here: wrote agb.yaml for {} (pass --target for another agent)",
            report.targets[0]
        )),
        TargetChoice::FoundSeveral => {
            let names: Vec<&str> = report.targets.iter().map(|t| t.as_str()).collect();
            global.note(format_args!(
                "found agent directories for {}: one agb.yaml builds them all",
                names.join(", ")
            ))
        }
        TargetChoice::Found { others } if !others.is_empty() => {
            let names: Vec<String> =
                others.iter().map(|o| format!("`agb -C {} init`", rel(&global.cwd, o))).collect();
            global.note(format_args!("also found agent directories: run {} for them", names.join(", ")));
        }
        _ => {}
    }
    let root = report.path.parent().unwrap_or(Path::new("."));
    let dash_c = if root == global.cwd { String::new() } else { format!(" -C {}", rel(&global.cwd, root)) };
    if report.created_source.is_some() {
        global.note(format_args!("next: agb{dash_c} build"));
    } else if report.source_found {
        global.note(format_args!(
            "next: select resources in {} (delete the `#` of a line), then `agb{dash_c} build`",
            report.path.display()
        ));
    } else {
        global.note(format_args!(
            "note: {} is not a source repository yet.\nnext: create a starter one with `agb{dash_c} init --new-source {} --force`, or point `source:` in {} at yours",
            report.source,
            report.source,
            report.path.display()
        ));
    }
    Ok(Exit::Ok)
}

/// `path` relative to `base` when below it (as a user would type it), else in full.
fn rel(base: &Path, path: &Path) -> String {
    path.strip_prefix(base).map(|p| p.display().to_string()).unwrap_or_else(|_| path.display().to_string())
}
