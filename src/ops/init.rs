//! Write a commented starter agb.yaml (SPEC §1.9).
//!
//! The file is written atomically and never over an existing one without `force`. When the
//! source can be scanned, its resources are listed as commented-out entries, so selecting one is
//! deleting a `#`.
//!
//! Not here: printing (`cli::init`), reading agb.yaml (`config`).

use std::path::{Path, PathBuf};

use crate::names::{ResourceKind, Target};

use super::OpsError;

/// Where and what `init_project` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitOptions {
    /// The agb.yaml to write; its directory is the output root.
    pub config_path: PathBuf,
    /// The directory a relative `source` is relative to.
    pub cwd: PathBuf,
    /// The source repository (default: `~/agb-resources`).
    pub source: Option<PathBuf>,
    /// The agent to build for (default: guessed from the output root's name).
    pub target: Option<Target>,
    /// Overwrite an existing agb.yaml.
    pub force: bool,
}

/// What `init_project` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitReport {
    pub path: PathBuf,
    /// `source:` as written into the file.
    pub source: String,
    /// False when the source could not be scanned (it is not a source repository yet).
    pub source_found: bool,
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum InitError {
    #[error("{} already exists", path.display())]
    #[diagnostic(
        code(agb::init::exists),
        help("edit it, or pass --force to replace it with a starter file")
    )]
    Exists { path: PathBuf },
    #[error("cannot tell the target agent from the directory name {dir:?}")]
    #[diagnostic(
        code(agb::usage::init_target),
        help("pass --target gemini-cli|claude-code|opencode|codex|copilot (or run agb init inside .gemini, .claude, .opencode, .codex or .github)")
    )]
    UnknownTarget { dir: String },
}

/// Write a starter agb.yaml at `options.config_path`.
pub fn init_project(options: &InitOptions) -> Result<InitReport, OpsError> {
    let path = &options.config_path;
    if path.exists() && !options.force {
        return Err(InitError::Exists { path: path.clone() }.into());
    }
    let output_root = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let target = match options.target {
        Some(t) => t,
        None => guess_target(&output_root).ok_or_else(|| InitError::UnknownTarget {
            dir: output_root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        })?,
    };
    let source_text = match &options.source {
        None => "~/agb-resources".to_string(),
        Some(s) => source_as_written(s, &options.cwd, &output_root),
    };
    let available = available_resources(path, &source_text, target);
    let text = starter_yaml(&source_text, target, available.as_ref());
    crate::fsutil::write_atomic(path, text.as_bytes())?;
    Ok(InitReport { path: path.clone(), source: source_text, source_found: available.is_some() })
}

/// `.gemini` → gemini-cli, `.claude` → claude-code, `.opencode` → opencode, `.codex` → codex,
/// `.github` → copilot.
fn guess_target(output_root: &Path) -> Option<Target> {
    match output_root.file_name()?.to_str()? {
        ".gemini" => Some(Target::GeminiCli),
        ".claude" => Some(Target::ClaudeCode),
        ".opencode" => Some(Target::Opencode),
        ".codex" => Some(Target::Codex),
        ".github" => Some(Target::Copilot),
        _ => None,
    }
}

/// How `--source` is written into agb.yaml: `~`/`$VAR` forms and absolute paths as given; a
/// relative path as given when agb.yaml sits in the directory it is relative to, else made
/// absolute (agb.yaml resolves relative paths against its own directory).
fn source_as_written(source: &Path, cwd: &Path, output_root: &Path) -> String {
    let raw = source.to_string_lossy();
    if raw.starts_with('~') || raw.starts_with('$') || source.is_absolute() || cwd == output_root {
        raw.into_owned()
    } else {
        cwd.join(source).to_string_lossy().into_owned()
    }
}

/// The resources of the source, per kind, when the source can be scanned.
fn available_resources(
    config_path: &Path,
    source_text: &str,
    target: Target,
) -> Option<Vec<(ResourceKind, String)>> {
    // Parse a minimal config to resolve `source` exactly as `Config::load` will.
    let probe = format!("source: {}\ntarget: {target}\n", yaml_scalar(source_text));
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let home = crate::config::home_dir();
    let config = crate::config::Config::parse(config_path, probe, &env, home.as_deref()).ok()?;
    let index = crate::source::scan(&config.source).ok()?;
    if !index.has_plugins_dir() {
        return None;
    }
    Some(index.ids().map(|id| (id.kind, id.qualified())).collect())
}

/// A string as a YAML scalar (quoted when YAML needs it).
use crate::text::yaml_scalar::serde_scalar as yaml_scalar;

/// The commented starter file.
pub fn starter_yaml(source: &str, target: Target, available: Option<&Vec<(ResourceKind, String)>>) -> String {
    let mut out = String::new();
    out.push_str("# agb.yaml: what `agb build` renders into this directory (the output root).\n");
    out.push_str("#\n");
    out.push_str("# source: the repository holding plugins/<plugin>/{commands,agents,skills}.\n");
    out.push_str("# ~, $VAR and ${VAR} are expanded; a relative path is relative to this file.\n");
    out.push_str(&format!("source: {}\n", yaml_scalar(source)));
    out.push_str("# target: the agent of this directory: gemini-cli | claude-code | opencode | codex\n");
    out.push_str(&format!("target: {target}\n"));
    out.push_str("# exclude: globs (`*` also matches `/`) matched against a file's path relative to\n");
    out.push_str("# SOURCE/plugins/ (e.g. p1/skills/sk/ref/notes.txt) and against its file name.\n");
    out.push_str("exclude:\n  - \"*.tmp\"\n");
    out.push_str(
        "# resources: what to build, as plugin:name (`agb list --all` shows what the source holds).\n",
    );
    out.push_str("resources:\n");
    for kind in ResourceKind::ALL {
        out.push_str(&format!("  {}:\n", kind.dir()));
        if let Some(list) = available {
            for (_, id) in list.iter().filter(|(k, _)| *k == kind) {
                out.push_str(&format!("    # - {id}\n"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starter_is_a_valid_config() {
        let list = vec![(ResourceKind::Command, "p:a".to_string()), (ResourceKind::Skill, "p:s".to_string())];
        let text = starter_yaml("../src dir: x", Target::Codex, Some(&list));
        assert!(text.contains("    # - p:a\n"));
        let env = |_: &str| None;
        let c = crate::config::Config::parse(Path::new("/r/.codex/agb.yaml"), text, &env, None).unwrap();
        assert_eq!(c.target, Target::Codex);
        assert_eq!(c.source, Path::new("/r/src dir: x"));
        assert!(c.resources.is_empty());
    }

    #[test]
    fn guesses_target_from_directory() {
        assert_eq!(guess_target(Path::new("/p/.claude")), Some(Target::ClaudeCode));
        assert_eq!(guess_target(Path::new("/p/x")), None);
    }
}
