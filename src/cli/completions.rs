//! `agb completions <shell>`: print a completion script generated from the same clap
//! definition the parser uses.

use crate::cli::output::outln;
use crate::cli::Global;
use crate::error::Exit;

/// Print the completion script for SHELL on stdout.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to generate for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn run(args: Args, _global: &Global) -> miette::Result<Exit> {
    outln(completion_script(args.shell).trim_end());
    Ok(Exit::Ok)
}

/// The completion script for `shell`, as committed in `completions/`.
pub fn completion_script(shell: clap_complete::Shell) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut crate::cli::command(), "agb", &mut buf);
    String::from_utf8(buf).expect("clap_complete writes UTF-8")
}

/// The file name under `completions/` for each shell.
pub fn completion_file_name(shell: clap_complete::Shell) -> String {
    use clap_complete::Shell;
    match shell {
        Shell::Bash => "agb.bash".into(),
        Shell::Zsh => "_agb".into(),
        Shell::Fish => "agb.fish".into(),
        Shell::PowerShell => "_agb.ps1".into(),
        Shell::Elvish => "agb.elv".into(),
        _ => format!("agb.{shell}"),
    }
}

/// Dynamic completion (`source <(COMPLETE=bash agb)`): module paths for the factory commands'
/// `MODULE[@VERSION]`, from the factory's cached clone only. Completion runs on every Tab, so
/// it never fetches and never prints: no cache, no config or any error means no candidates.
pub fn module_completer() -> clap_complete::engine::ArgValueCompleter {
    clap_complete::engine::ArgValueCompleter::new(|current: &std::ffi::OsStr| {
        let current = current.to_string_lossy();
        let args: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
        cached_module_index(&args)
            .map(|index| module_candidates(&index, &current))
            .unwrap_or_default()
            .into_iter()
            .map(clap_complete::engine::CompletionCandidate::new)
            .collect()
    })
}

/// The module index of the factory the command line (`--factory`, `-C`), AGB_FACTORY, agb.yaml
/// or the user config names, read from the cache with the network off.
fn cached_module_index(args: &[String]) -> Option<crate::factory::ModuleIndex> {
    use crate::factory::{self, CacheOptions, Factory, FetchMode};
    let mut cwd = std::env::current_dir().ok()?;
    if let Some(dir) = option_value(args, "-C") {
        cwd = cwd.join(dir);
    }
    let config_file =
        option_value(args, "--config").map(|f| cwd.join(f)).unwrap_or_else(|| cwd.join("agb.yaml"));
    let flag = option_value(args, "--factory").or_else(|| std::env::var("AGB_FACTORY").ok());
    let user = factory::config::user_config_path();
    let config = factory::config::resolve(flag.as_deref(), &cwd, Some(&config_file), user.as_deref()).ok()?;
    let opts = CacheOptions::from_env(FetchMode::Offline, false).ok()?;
    Factory::open(&config, &opts).ok()?.module_index().ok()
}

/// The value of `name` on the command line being completed: `name VALUE`, `name=VALUE`, or
/// `name = VALUE` (bash splits words at `=`).
fn option_value(args: &[String], name: &str) -> Option<String> {
    let prefix = format!("{name}=");
    args.iter().enumerate().find_map(|(i, a)| {
        if a == name {
            match args.get(i + 1).map(String::as_str) {
                Some("=") => args.get(i + 2).cloned(),
                next => next.map(str::to_string),
            }
        } else {
            a.strip_prefix(&prefix).map(str::to_string)
        }
    })
}

/// Plugin names of the project's source (agb.yaml found as the commands find it, `-C` and
/// `--config` honoured): `plugin:` for `agb new PLUGIN:NAME`, `plugin` for `adopt --plugin`.
/// Nothing when there is no agb.yaml or source.
pub fn plugin_completer(suffix: &'static str) -> clap_complete::engine::ArgValueCompleter {
    clap_complete::engine::ArgValueCompleter::new(move |current: &std::ffi::OsStr| {
        let current = current.to_string_lossy();
        let args: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
        project_plugins(&args)
            .into_iter()
            .map(|p| format!("{p}{suffix}"))
            .filter(|c| c.starts_with(current.as_ref()))
            .map(clap_complete::engine::CompletionCandidate::new)
            .collect()
    })
}

/// Resource ids (`plugin:name`) of the project's source for `agb list PATTERN`, and bare names
/// while the word has no `:` (`list` takes both; bash splits words at `:`).
pub fn resource_completer() -> clap_complete::engine::ArgValueCompleter {
    clap_complete::engine::ArgValueCompleter::new(|current: &std::ffi::OsStr| {
        let current = current.to_string_lossy();
        let args: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
        resource_candidates(&project_resources(&args), &current)
            .into_iter()
            .map(clap_complete::engine::CompletionCandidate::new)
            .collect()
    })
}

/// `plugin:name` ids starting with `current`, and the names alone when `current` has no `:`.
fn resource_candidates(ids: &[(String, String)], current: &str) -> Vec<String> {
    let mut out = std::collections::BTreeSet::new();
    for (plugin, name) in ids {
        let id = format!("{plugin}:{name}");
        if id.starts_with(current) {
            out.insert(id);
        }
        if !current.contains(':') && name.starts_with(current) {
            out.insert(name.clone());
        }
    }
    out.into_iter().collect()
}

/// (plugin, name) of every resource in the sources of the project's configurations.
fn project_resources(args: &[String]) -> Vec<(String, String)> {
    let Some(project) = completion_project(args) else { return Vec::new() };
    let mut ids = Vec::new();
    for config in &project.configs {
        let Ok(index) = crate::source::scan(&config.source) else { continue };
        ids.extend(index.entries().map(|e| (e.id.plugin.to_string(), e.id.name.to_string())));
    }
    ids
}

/// The project a completion request is about (`-C` and `--config` on the line honoured).
fn completion_project(args: &[String]) -> Option<crate::config::Project> {
    let mut cwd = std::env::current_dir().ok()?;
    if let Some(dir) = option_value(args, "-C") {
        cwd = cwd.join(dir);
    }
    let config = option_value(args, "--config").map(std::path::PathBuf::from);
    let options =
        crate::config::ProjectOptions { config: config.as_deref(), cwd: &cwd, target: None, user: false };
    crate::config::Project::load(options).ok()
}

/// The plugin directories of the sources of the project's configurations, sorted, each once.
fn project_plugins(args: &[String]) -> Vec<String> {
    let Some(project) = completion_project(args) else { return Vec::new() };
    let mut plugins = std::collections::BTreeSet::new();
    for config in &project.configs {
        let Ok(dir) = std::fs::read_dir(config.source.join("plugins")) else { continue };
        for entry in dir.flatten().filter(|e| e.file_type().is_ok_and(|t| t.is_dir())) {
            if let Some(name) = entry.file_name().to_str().filter(|n| crate::names::Name::new(n).is_ok()) {
                plugins.insert(name.to_string());
            }
        }
    }
    plugins.into_iter().collect()
}

/// Error codes for `agb explain`: the full codes once the word has a `:` (or could be the
/// start of `agb::`), else the last parts `explain` accepts alone (`edited_outputs`) — bash
/// splits words at `:`, so a last part is what completes there without configuration.
pub fn code_completer() -> clap_complete::engine::ArgValueCompleter {
    clap_complete::engine::ArgValueCompleter::new(|current: &std::ffi::OsStr| {
        let codes: Vec<&str> = crate::cli::explain::entries().into_iter().map(|(c, _)| c).collect();
        code_candidates(&codes, &current.to_string_lossy())
            .into_iter()
            .map(clap_complete::engine::CompletionCandidate::new)
            .collect()
    })
}

fn code_candidates(codes: &[&str], current: &str) -> Vec<String> {
    let last = |c: &str| c.rsplit("::").next().unwrap_or(c).to_string();
    let mut out: Vec<String> = Vec::new();
    if current.contains(':') || (!current.is_empty() && "agb::".starts_with(current)) {
        out.extend(codes.iter().filter(|c| c.starts_with(current)).map(|c| c.to_string()));
    }
    if !current.contains(':') {
        let unique = |name: &String| codes.iter().filter(|c| last(c) == *name).count() == 1;
        out.extend(codes.iter().map(|c| last(c)).filter(|n| n.starts_with(current) && unique(n)));
    }
    out
}

/// What may complete `current`: module paths that start with it; after `MODULE@`, that module's
/// versions (newest first) and `latest`.
pub fn module_candidates(index: &crate::factory::ModuleIndex, current: &str) -> Vec<String> {
    match current.split_once('@') {
        Some((module, version)) => {
            let Some((_, versions)) = index.modules.iter().find(|(m, _)| m.to_string() == module) else {
                return Vec::new();
            };
            std::iter::once("latest".to_string())
                .chain(versions.iter().rev().map(|v| v.to_string()))
                .filter(|v| v.starts_with(version))
                .map(|v| format!("{module}@{v}"))
                .collect()
        }
        None => index.modules.keys().map(|m| m.to_string()).filter(|m| m.starts_with(current)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODES: [&str; 3] =
        ["agb::outputs::edited_outputs", "agb::config::missing", "agb::factory::missing"];

    #[test]
    fn codes_complete_by_last_part_unless_the_word_has_a_colon() {
        assert_eq!(code_candidates(&CODES, "edi"), ["edited_outputs"]);
        // An ambiguous last part is not offered: explain would not take it.
        assert!(code_candidates(&CODES, "mis").is_empty());
        assert_eq!(code_candidates(&CODES, "agb::c"), ["agb::config::missing"]);
        assert_eq!(code_candidates(&CODES, "ag").len(), 3);
    }

    #[test]
    fn resources_complete_as_ids_and_as_bare_names_until_a_colon() {
        let ids = vec![
            ("research".to_string(), "web_search".to_string()),
            ("docs".to_string(), "summarize".to_string()),
        ];
        assert_eq!(resource_candidates(&ids, "we"), vec!["web_search"]);
        assert_eq!(resource_candidates(&ids, "re"), vec!["research:web_search"]);
        assert_eq!(resource_candidates(&ids, "research:"), vec!["research:web_search"]);
        assert_eq!(resource_candidates(&ids, "docs:w"), Vec::<String>::new());
    }

    #[test]
    fn option_values_are_found_as_bash_splits_them() {
        let args = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        assert_eq!(option_value(&args("agb show --factory /f x"), "--factory").as_deref(), Some("/f"));
        assert_eq!(option_value(&args("agb show --factory=/f x"), "--factory").as_deref(), Some("/f"));
        assert_eq!(option_value(&args("agb show --factory = /f x"), "--factory").as_deref(), Some("/f"));
        assert_eq!(option_value(&args("agb show x"), "--factory"), None);
    }
}
