//! Write a commented starter agb.yaml, and with `--new-source` a starter source for it.
//!
//! The file is written atomically and never over an existing one without `force`. When the
//! source can be scanned, its resources are listed as commented-out entries, so selecting one is
//! deleting a `#`.
//!
//! Outside an agent directory (a project root), a single-target agb.yaml goes into the agent
//! directory below (`.claude/agb.yaml`, …): the output root of a single-target agb.yaml is its
//! own directory. For several agents (`--target` repeated, or several agent directories found)
//! one agb.yaml with `targets:` goes into the project root, each agent built into its own
//! directory beside it.
//!
//! Not here: the starter texts (`scaffold`), printing (`cli::init`), reading agb.yaml (`config`).

use std::path::{Path, PathBuf};

use crate::names::{ResourceKind, Target};

use super::scaffold;
use super::OpsError;

/// The JSON Schema of agb.yaml (`schemas/agb.schema.json`), compiled in: `init` writes it next
/// to the agb.yaml it writes, at [`SCHEMA_REL`], so editors check the file without a network.
pub const SCHEMA_JSON: &str = include_str!("../../schemas/agb.schema.json");

/// Where `init` puts the schema, relative to agb.yaml's directory (in `.agb/`, which agb owns).
/// The file's `# yaml-language-server: $schema=` comment names this relative path: the YAML
/// language server resolves a relative `$schema` against the YAML file's own directory.
pub const SCHEMA_REL: &str = ".agb/agb.schema.json";

/// Rewrite the editor schema of the agb.yaml in `config_dir` (at [`SCHEMA_REL`]) when it exists
/// and is not the one compiled into this agb, so that after an upgrade the editor checks
/// agb.yaml against what this agb reads. A missing file stays missing (`init` offers it, the
/// user may have removed it), and anything but a regular file is the user's and left alone.
/// Returns whether it was rewritten.
pub fn refresh_schema(config_dir: &Path) -> Result<bool, crate::fsutil::FsError> {
    let path = config_dir.join(SCHEMA_REL);
    let is_file = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
    if !is_file || std::fs::read(&path).is_ok_and(|old| old == SCHEMA_JSON.as_bytes()) {
        return Ok(false);
    }
    crate::fsutil::write_atomic(&path, SCHEMA_JSON.as_bytes())?;
    Ok(true)
}

/// The agent directories `init` recognises, in the order it prefers them.
const AGENT_DIRS: [(&str, Target); 5] = [
    (".claude", Target::ClaudeCode),
    (".gemini", Target::GeminiCli),
    (".opencode", Target::Opencode),
    (".codex", Target::Codex),
    (".github", Target::Copilot),
];

/// Where and what `init_project` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitOptions {
    /// `--config`: the agb.yaml to write, or a directory to write it in. `None`: in `cwd` when it
    /// is an agent directory (`.claude`, …), else in the agent directory below `cwd`.
    pub config: Option<PathBuf>,
    /// The directory relative paths are relative to.
    pub cwd: PathBuf,
    /// The source repository (default: `~/agb-resources`).
    pub source: Option<PathBuf>,
    /// Create a starter source repository here and point `source:` at it.
    pub new_source: Option<PathBuf>,
    /// The agents to build for (default: guessed from the output root's name, or from the agent
    /// directories of a project root). Several: a project root's agb.yaml with `targets:`.
    pub targets: Vec<Target>,
    /// Overwrite an existing agb.yaml.
    pub force: bool,
}

/// How `init` chose the agent and the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetChoice {
    /// `--target`.
    Given,
    /// The name of the directory agb.yaml is written in (`.claude`, …).
    DirectoryName,
    /// An agent directory found below the current one; `others` are the further ones found.
    Found { others: Vec<PathBuf> },
    /// Several agent directories found below the project root: one agb.yaml builds them all.
    FoundSeveral,
    /// No agent directory anywhere: Claude Code's `.claude`, created.
    Default,
}

/// What `init_project` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitReport {
    pub path: PathBuf,
    /// One target (`target:`), or several (`targets:`, agb.yaml in a project root).
    pub targets: Vec<Target>,
    pub choice: TargetChoice,
    /// `source:` as written into the file.
    pub source: String,
    /// False when the source could not be scanned (it is not a source repository yet).
    pub source_found: bool,
    /// The starter source created by `new_source`, and its files.
    pub created_source: Option<(PathBuf, Vec<PathBuf>)>,
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum InitError {
    #[error("{} already exists", path.display())]
    #[diagnostic(
        code(agb::init::exists),
        help("edit it, or pass --force to replace it with a starter file")
    )]
    Exists { path: PathBuf },
    #[error("{} is a directory, not an agb.yaml", path.display())]
    #[diagnostic(code(agb::init::not_a_file), help("move it away, or pass --config with another file name"))]
    NotAFile { path: PathBuf },
    #[error("cannot tell the target agent from the directory name {dir:?}")]
    #[diagnostic(
        code(agb::usage::init_target),
        help("pass --target gemini-cli|claude-code|opencode|codex|copilot (or run agb init inside .gemini, .claude, .opencode, .codex or .github)")
    )]
    UnknownTarget { dir: String },
    #[error("{} exists and is not empty", path.display())]
    #[diagnostic(
        code(agb::init::source_exists),
        help("pass --new-source a new directory, or use this one as it is with --source")
    )]
    SourceExists { path: PathBuf },
    #[error("{} is an agent directory: it holds one agent's files, not several", dir.display())]
    #[diagnostic(
        code(agb::usage::init_targets),
        help("run agb init with several --target in the project root (agb -C .. init --target …) for one agb.yaml that builds them all, or pass one --target here")
    )]
    SeveralTargetsInAgentDir { dir: PathBuf },
}

/// Write a starter agb.yaml (and, with `new_source`, a starter source it selects from).
pub fn init_project(options: &InitOptions) -> Result<InitReport, OpsError> {
    let (path, targets, choice) = choose_location(options)?;
    if path.is_dir() {
        return Err(InitError::NotAFile { path }.into());
    }
    if path.exists() && !options.force {
        return Err(InitError::Exists { path }.into());
    }
    let output_root = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let created_source = match &options.new_source {
        Some(dir) => Some(create_starter_source(&absolute_clean(dir, &options.cwd))?),
        None => None,
    };
    let source_text = match (&options.new_source, &options.source) {
        (Some(s), _) if s.starts_with("~") => s.to_string_lossy().into_owned(),
        (Some(s), _) | (None, Some(s)) => source_as_written(s, &options.cwd, &output_root),
        (None, None) => "~/agb-resources".to_string(),
    };
    let available = available_resources(&path, &source_text, targets[0]);
    let selected = created_source.as_ref().map(|_| scaffold::starter_selection());
    let text = starter_yaml(&source_text, &targets, available.as_ref(), selected.as_deref());
    crate::fsutil::write_atomic(&path, text.as_bytes())?;
    // Rewritten by every init: a newer agb brings its own schema.
    crate::fsutil::write_atomic(&output_root.join(SCHEMA_REL), SCHEMA_JSON.as_bytes())?;
    Ok(InitReport {
        path,
        targets,
        choice,
        source: source_text,
        source_found: available.is_some(),
        created_source,
    })
}

/// The agb.yaml to write, its agents (never empty), and how they were chosen.
fn choose_location(options: &InitOptions) -> Result<(PathBuf, Vec<Target>, TargetChoice), InitError> {
    let unknown = |dir: &Path| InitError::UnknownTarget {
        dir: dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
    };
    let given = dedup(&options.targets);
    if let Some(config) = &options.config {
        // `--config .codex` names the directory to write agb.yaml in.
        let path = if config.is_dir() { config.join("agb.yaml") } else { config.clone() };
        let root = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        if !given.is_empty() {
            return Ok((path, given, TargetChoice::Given));
        }
        return match guess_target(&root) {
            Some(t) => Ok((path, vec![t], TargetChoice::DirectoryName)),
            None => Err(unknown(&root)),
        };
    }
    let cwd = &options.cwd;
    if let Some(guessed) = guess_target(cwd) {
        return match given.as_slice() {
            [] => Ok((cwd.join("agb.yaml"), vec![guessed], TargetChoice::DirectoryName)),
            [t] => Ok((cwd.join("agb.yaml"), vec![*t], TargetChoice::Given)),
            _ => Err(InitError::SeveralTargetsInAgentDir { dir: cwd.clone() }),
        };
    }
    // A project root: one agent's agb.yaml goes into its own directory, where its files are
    // read; several agents share one agb.yaml here, each built into its directory below.
    match given.as_slice() {
        [] => {}
        [t] => return Ok((cwd.join(agent_dir(*t)).join("agb.yaml"), given.clone(), TargetChoice::Given)),
        _ => return Ok((cwd.join("agb.yaml"), given, TargetChoice::Given)),
    }
    let found: Vec<(PathBuf, Target)> =
        // `.github/` is in most repositories for CI alone: it says nothing about Copilot.
        AGENT_DIRS
            .iter()
            .filter(|(_, t)| *t != Target::Copilot)
            .map(|(d, t)| (cwd.join(d), *t))
            .filter(|(d, _)| d.is_dir())
            .collect();
    match found.as_slice() {
        [] => Ok((cwd.join(".claude/agb.yaml"), vec![Target::ClaudeCode], TargetChoice::Default)),
        [(dir, t)] => Ok((dir.join("agb.yaml"), vec![*t], TargetChoice::Found { others: Vec::new() })),
        several if several.iter().all(|(d, _)| !d.join("agb.yaml").exists()) => {
            Ok((cwd.join("agb.yaml"), several.iter().map(|(_, t)| *t).collect(), TargetChoice::FoundSeveral))
        }
        // One of them has its own agb.yaml already: a root file would build that agent a
        // second time, so init writes a single-target file as for one directory.
        [(dir, t), rest @ ..] => {
            let others = rest.iter().map(|(d, _)| d.clone()).collect();
            Ok((dir.join("agb.yaml"), vec![*t], TargetChoice::Found { others }))
        }
    }
}

/// `targets` in the order given, each once.
fn dedup(targets: &[Target]) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    for t in targets {
        if !out.contains(t) {
            out.push(*t);
        }
    }
    out
}

/// The directory an agent reads in a project (`.claude` for Claude Code, …).
fn agent_dir(target: Target) -> String {
    AGENT_DIRS
        .iter()
        .find(|(_, t)| *t == target)
        .map(|(d, _)| d.to_string())
        .unwrap_or_else(|| format!(".{target}"))
}

/// A path argument (`--new-source DIR`) as a clean absolute path: `~/` is the home directory (also when the shell
/// left it alone, as in `--new-source=~/x`), a relative path is taken from `cwd`, and `..` is
/// resolved lexically so the paths agb prints read as the user typed them.
pub fn absolute_clean(dir: &Path, cwd: &Path) -> PathBuf {
    let home_rel = dir.strip_prefix("~").ok().zip(crate::config::home_dir());
    let joined = match home_rel {
        Some((rest, home)) => home.join(rest),
        None => cwd.join(dir),
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Write the starter source into `dir`, which must not exist or be empty.
fn create_starter_source(dir: &Path) -> Result<(PathBuf, Vec<PathBuf>), OpsError> {
    let non_empty = std::fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(dir.exists());
    if non_empty {
        return Err(InitError::SourceExists { path: dir.to_path_buf() }.into());
    }
    let mut written = Vec::new();
    for (rel, text) in scaffold::starter_source() {
        let path = crate::fsutil::join_inside(dir, &rel)?;
        crate::fsutil::write_atomic(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok((dir.to_path_buf(), written))
}

/// `.gemini` → gemini-cli, `.claude` → claude-code, `.opencode` → opencode, `.codex` → codex,
/// `.github` → copilot.
fn guess_target(output_root: &Path) -> Option<Target> {
    let name = output_root.file_name()?.to_str()?;
    AGENT_DIRS.iter().find(|(d, _)| *d == name).map(|(_, t)| *t)
}

/// How `--source` is written into agb.yaml: `~`/`$VAR` forms and absolute paths as given; a
/// relative path as given when agb.yaml sits in the directory it is relative to, prefixed with
/// `../` per level when agb.yaml sits below it (`.claude/agb.yaml` → `../src`), else made
/// absolute (agb.yaml resolves relative paths against its own directory).
fn source_as_written(source: &Path, cwd: &Path, output_root: &Path) -> String {
    let raw = source.to_string_lossy();
    if raw.starts_with('~') || raw.starts_with('$') || source.is_absolute() || cwd == output_root {
        return raw.into_owned();
    }
    match output_root.strip_prefix(cwd) {
        Ok(below) if below.components().all(|c| matches!(c, std::path::Component::Normal(_))) => {
            let up = "../".repeat(below.components().count());
            format!("{up}{raw}")
        }
        _ => cwd.join(source).to_string_lossy().into_owned(),
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
pub fn starter_yaml(
    source: &str,
    targets: &[Target],
    available: Option<&Vec<(ResourceKind, String)>>,
    selected: Option<&[(ResourceKind, String)]>,
) -> String {
    let mut out = String::new();
    out.push_str(&format!("# yaml-language-server: $schema={SCHEMA_REL}\n"));
    if let [_] = targets {
        out.push_str("# agb.yaml: what `agb build` renders into this directory (the output root).\n");
    } else {
        out.push_str("# agb.yaml: what `agb build` renders for each agent of `targets`, into the agent's\n");
        out.push_str("# directory beside this file (.claude/, .gemini/, .opencode/, .codex/, .github/).\n");
    }
    out.push_str("#\n");
    out.push_str("# source: the repository holding plugins/<plugin>/{commands,agents,skills}.\n");
    out.push_str("# ~, $VAR and ${VAR} are expanded; a relative path is relative to this file.\n");
    out.push_str(&format!("source: {}\n", yaml_scalar(source)));
    match targets {
        [target] => {
            out.push_str(
                "# target: the agent of this directory: gemini-cli | claude-code | opencode | codex | copilot\n",
            );
            out.push_str(&format!("target: {target}\n"));
        }
        _ => {
            out.push_str(
                "# targets: the agents to build for: gemini-cli | claude-code | opencode | codex | copilot\n",
            );
            let names: Vec<&str> = targets.iter().map(|t| t.as_str()).collect();
            out.push_str(&format!("targets: [{}]\n", names.join(", ")));
        }
    }
    out.push_str("# exclude: globs (`*` also matches `/`) matched against a file's path relative to\n");
    out.push_str("# SOURCE/plugins/ (e.g. p1/skills/sk/ref/notes.txt) and against its file name.\n");
    out.push_str("exclude:\n  - \"*.tmp\"\n");
    out.push_str(
        "# resources: what to build, as plugin:name (`agb list --all` shows what the source holds).\n",
    );
    out.push_str("resources:\n");
    for kind in ResourceKind::ALL {
        out.push_str(&format!("  {}:\n", kind.dir()));
        let is_selected = |id: &str| selected.is_some_and(|s| s.iter().any(|(k, i)| *k == kind && i == id));
        if let Some(list) = available {
            for (_, id) in list.iter().filter(|(k, _)| *k == kind) {
                let mark = if is_selected(id) { "" } else { "# " };
                out.push_str(&format!("    {mark}- {id}\n"));
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
        let text = starter_yaml("../src dir: x", &[Target::Codex], Some(&list), None);
        assert!(text.contains("    # - p:a\n"));
        let env = |_: &str| None;
        let c = crate::config::Config::parse(Path::new("/r/.codex/agb.yaml"), text, &env, None).unwrap();
        assert_eq!(c.target, Target::Codex);
        assert_eq!(c.source, Path::new("/r/src dir: x"));
        assert!(c.resources.is_empty());
    }

    #[test]
    fn the_schema_is_refreshed_only_where_it_is_and_differs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SCHEMA_REL);
        assert!(!refresh_schema(dir.path()).unwrap());
        assert!(!path.exists(), "never created");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "{\"title\": \"an older agb's\"}").unwrap();
        assert!(refresh_schema(dir.path()).unwrap());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), SCHEMA_JSON);
        assert!(!refresh_schema(dir.path()).unwrap(), "already current");
    }

    #[test]
    fn guesses_target_from_directory() {
        assert_eq!(guess_target(Path::new("/p/.claude")), Some(Target::ClaudeCode));
        assert_eq!(guess_target(Path::new("/p/x")), None);
    }

    #[test]
    fn shipped_schema_knows_every_key_the_starter_writes() {
        let schema: serde_json::Value = serde_json::from_str(SCHEMA_JSON).unwrap();
        let props = schema["properties"].as_object().unwrap();
        let text = starter_yaml("s", &[Target::Codex], None, None);
        let several = starter_yaml("s", &[Target::Codex, Target::GeminiCli], None, None);
        assert!(several.contains("\ntargets: [codex, gemini-cli]\n"), "{several}");
        let text = format!("{text}{several}");
        for line in text.lines().filter(|l| !l.starts_with([' ', '#'])) {
            let key = line.split(':').next().unwrap();
            assert!(props.contains_key(key), "{key}");
        }
        for t in Target::ALL {
            assert!(
                schema["$defs"]["target"]["enum"].as_array().unwrap().contains(&t.as_str().into()),
                "{t}"
            );
        }
    }
}
