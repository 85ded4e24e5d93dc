//! `agb new`: add a command, an agent or a skill to the source repository, ready to build.

use std::path::PathBuf;

use crate::cli::output::outln;
use crate::cli::Global;
use crate::config::Config;
use crate::error::Exit;
use crate::names::ResourceKind;
use crate::ops::new::{new_resource, parse_id};

/// Write a new resource into the source repository (never over an existing one).
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  agb new command my-plugin:review-pr    plugins/my-plugin/commands/review-pr.md
  agb new agent my-plugin:reviewer       plugins/my-plugin/agents/reviewer.md
  agb new skill my-plugin:release-notes  plugins/my-plugin/skills/release-notes/SKILL.md
  agb new agent p:x --source ~/agb-resources")]
pub struct Args {
    /// What to create.
    #[arg(value_enum)]
    pub kind: NewKind,
    /// The plugin and the name, as agb.yaml lists them (a new plugin is created).
    #[arg(value_name = "PLUGIN:NAME", add = crate::cli::completions::plugin_completer(":"))]
    pub id: String,
    /// The source repository (default: `source:` of agb.yaml).
    #[arg(long, value_name = "DIR")]
    pub source: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NewKind {
    Command,
    Agent,
    Skill,
}

impl From<NewKind> for ResourceKind {
    fn from(k: NewKind) -> Self {
        match k {
            NewKind::Command => ResourceKind::Command,
            NewKind::Agent => ResourceKind::Agent,
            NewKind::Skill => ResourceKind::Skill,
        }
    }
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let kind = ResourceKind::from(args.kind);
    let (plugin, name) = parse_id(kind, &args.id)?;
    let (source_root, config) = match &args.source {
        Some(dir) => (crate::ops::init::absolute_clean(dir, &global.cwd), None),
        None => {
            let config = Config::load(&global.config_path())?;
            (config.source.clone(), Some(config.path))
        }
    };
    let report = new_resource(&source_root, kind, &plugin, &name)?;
    if !global.quiet {
        let shown = report.path.strip_prefix(&global.cwd).unwrap_or(&report.path);
        outln(format_args!("wrote {}", shown.display()));
    }
    if report.new_plugin {
        global.note(format_args!("created the plugin {plugin}"));
    }
    let where_ = config.map(|c| c.display().to_string()).unwrap_or_else(|| "agb.yaml".to_string());
    global.note(format_args!(
        "next: fill in the TODOs, list `{}` under `resources: {}:` in {where_}, then `agb build`",
        report.id,
        kind.dir()
    ));
    Ok(Exit::Ok)
}
