//! `agb adopt`: bring commands, agents and skills a user wrote in an agent's own format (in
//! the output root of the loaded agb.yaml) into the source as resources of one plugin, so that
//! the next `agb build` owns them.
//!
//! 1. [`plan_adopt`] finds which target, kind and name each path is (the path decides the
//!    target: `.claude/`, `.gemini/`, `.opencode/`, `.codex/`, `.agents/skills/`; `--target`
//!    overrides), reads it, converts it with the target's own parser ([`convert`]), refuses an
//!    existing source resource or an output agb already owns, and computes the agb.yaml edit
//!    that selects what is missing ([`selection`]). Nothing is written: `--dry-run` shows this.
//! 2. [`apply_adopt`] writes the source files (temp file + rename, inside the source root
//!    only), then agb.yaml, then records the adopted files in the output root's manifest as
//!    agb's outputs of those resources (the project files as they are now), so the next build
//!    rewrites them only where agb's rendering differs and never reports them as user edits.
//!
//! Not here: printing (`cli::adopt`), rendering (`targets`), the build (`outputs`).

// Diagnostics carry the text of the file at fault for their spans (see `source`).
#![allow(clippy::result_large_err)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::config::{Config, ConfigError};
use crate::fsutil::{self, FsError};
use crate::manifest::ManifestError;
use crate::names::{Name, ResourceId, ResourceKind, Target};
use crate::targets::{self, TargetError};
use crate::text::shown::ShownPath;

mod apply;
pub mod convert;
mod read;
pub mod selection;

pub use apply::{apply_adopt, AdoptOutcome};
pub use read::plan_adopt;

/// What `agb adopt` is asked to do.
#[derive(Debug, Clone)]
pub struct AdoptOptions {
    /// The plugin the resources go to.
    pub plugin: Name,
    /// The target the paths are in, instead of the one their path names.
    pub target: Option<Target>,
}

/// Everything `agb adopt` would write.
#[derive(Debug, Clone)]
pub struct AdoptPlan {
    pub target: Target,
    pub output_root: PathBuf,
    pub source_root: PathBuf,
    pub resources: Vec<Adopted>,
    /// agb.yaml's new text, when some adopted resource is not selected yet.
    pub config_text: Option<String>,
    /// The resources added to agb.yaml's `resources:`.
    pub selection_added: Vec<ResourceId>,
}

/// One resource to adopt.
#[derive(Debug, Clone)]
pub struct Adopted {
    pub id: ResourceId,
    /// The main file in the project (absolute).
    pub from: PathBuf,
    /// The source files to write, main file first.
    pub writes: Vec<SourceWrite>,
    /// Metadata keys that went to the sidecar's target section.
    pub sidecar_keys: Vec<String>,
    /// The project files that become this resource's outputs: the path relative to the output
    /// root, and the source files (relative to the source root) it is built from.
    pub outputs: Vec<(String, Vec<String>)>,
}

/// One file written into the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceWrite {
    /// Relative to the source root, `/`-separated (`plugins/p/commands/x.md`).
    pub rel: String,
    pub content: SourceContent,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceContent {
    Text(String),
    /// A skill extra, copied byte for byte from this project file.
    Copy(PathBuf),
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum AdoptError {
    #[error("{path}: no such file or directory")]
    #[diagnostic(
        code(agb::adopt::not_found),
        help("check the path; it is relative to the current directory (or -C DIR)")
    )]
    NotFound { path: String },
    #[error("{path} is outside the output root {root} of {config}")]
    #[diagnostic(
        code(agb::adopt::outside_root),
        help("adopt files of the agent directory agb.yaml builds into: run agb in that project, or pass --config with the agb.yaml of the directory the file is in")
    )]
    OutsideRoot { path: String, root: String, config: String },
    #[error("{path} is a {found} file, but {config} builds {configured}")]
    #[diagnostic(
        code(agb::adopt::wrong_target),
        help("pass --config with the agb.yaml that builds {found}, or --target {configured} if the file really is in {configured}'s format")
    )]
    WrongTarget { path: String, found: Target, configured: Target, config: String },
    #[error("{path}: not a command, agent or skill agb builds for {target}")]
    #[diagnostic(code(agb::adopt::unsupported), help("{expected}"))]
    Unsupported { path: String, target: Target, expected: String },
    #[error("{path}: {name:?} is not a valid resource name: {reason}")]
    #[diagnostic(code(agb::adopt::invalid_name), help("rename the file (or skill directory) first"))]
    InvalidName { path: String, name: String, reason: String },
    #[error("{path} is not UTF-8 text")]
    #[diagnostic(code(agb::adopt::not_utf8), help("save it as UTF-8, then adopt it again"))]
    NotUtf8 { path: String },
    #[error("{path}: a skill directory needs a SKILL.md")]
    #[diagnostic(
        code(agb::adopt::no_skill_file),
        help("add SKILL.md to the directory, or adopt another path")
    )]
    NoSkillFile { path: String },
    #[error("{file}: not valid TOML: {message}")]
    #[diagnostic(code(agb::adopt::toml), help("fix the TOML, then adopt it again"))]
    Toml { file: String, message: String },
    #[error("{file}: the metadata cannot be written as YAML that reads back the same")]
    #[diagnostic(
        code(agb::adopt::unrepresentable),
        help("simplify the metadata values; please report this as a bug")
    )]
    Unrepresentable { file: String },
    #[error("{resource} already exists in the source: {path}")]
    #[diagnostic(
        code(agb::adopt::exists),
        help("agb adopt never overwrites the source: pick another --plugin, or rename or remove the existing resource first (edits of a built file go back with `agb sync`)")
    )]
    SourceExists { resource: ResourceId, path: String },
    #[error("{path} is already an output of {resource}")]
    #[diagnostic(
        code(agb::adopt::already_built),
        help("agb builds this file already: edit the source, or run `agb sync` to carry edits back")
    )]
    AlreadyBuilt { path: String, resource: String },
    #[error("{resource} is named twice ({path})")]
    #[diagnostic(code(agb::adopt::duplicate), help("name each command, agent or skill once"))]
    Duplicate { resource: ResourceId, path: String },
    #[error("cannot add {entries} to the `resources:` of {config}: it is not in block style")]
    #[diagnostic(
        code(agb::adopt::config_not_editable),
        help("write the lists as `resources:` / `  <kind>:` / `    - plugin:name` lines (or add these entries yourself), then adopt again")
    )]
    ConfigNotEditable { entries: String, config: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Target(#[from] TargetError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Manifest(#[from] ManifestError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Fs(#[from] FsError),
}

/// The target a path's agent directory names: the innermost `.claude`, `.gemini`, `.opencode`,
/// `.codex` or `.agents` (Codex's skills), or `.github` (Copilot) component.
pub fn target_of_path(path: &Path) -> Option<Target> {
    path.components().rev().find_map(|c| match c.as_os_str().to_str()? {
        ".claude" => Some(Target::ClaudeCode),
        ".gemini" => Some(Target::GeminiCli),
        ".opencode" => Some(Target::Opencode),
        ".codex" | ".agents" => Some(Target::Codex),
        ".github" => Some(Target::Copilot),
        _ => None,
    })
}

/// What a target's adoptable paths look like, for [`AdoptError::Unsupported`].
fn expected_paths(target: Target) -> String {
    let [c, a, s] = ResourceKind::ALL.map(|k| targets::main_output_rel(target, k, "<name>"));
    format!(
        "agb adopts {c} (command), {a} (agent) and the directory of {s} (skill) of {target}, relative to the directory of agb.yaml; move the file there first (nested or other directories are not read by agb)"
    )
}

/// Where a resource lives in the source, relative to the source root: the main file and the
/// sidecar (`.yaml`, and the `.yml` spelling that also counts as one).
fn source_rels(id: &ResourceId) -> (String, [String; 2]) {
    let base = format!("plugins/{}/{}", id.plugin, id.kind.dir());
    match id.kind {
        ResourceKind::Skill => {
            let dir = format!("{base}/{}", id.name);
            (format!("{dir}/SKILL.md"), [format!("{dir}/SKILL.yaml"), format!("{dir}/SKILL.yml")])
        }
        _ => {
            let stem = format!("{base}/{}", id.name);
            (format!("{stem}.md"), [format!("{stem}.yaml"), format!("{stem}.yml")])
        }
    }
}

fn shown(path: &Path) -> String {
    ShownPath(path).to_string()
}

/// The resources whose ids appear twice.
fn first_duplicate<'a>(ids: impl Iterator<Item = &'a ResourceId>) -> Option<&'a ResourceId> {
    let mut seen = BTreeSet::new();
    ids.into_iter().find(|id| !seen.insert(*id))
}

/// agb.yaml with every resource of `ids` that it does not select added (`None`: nothing to add).
fn config_edit(
    config: &Config,
    ids: &[&ResourceId],
) -> Result<Option<(String, Vec<ResourceId>)>, AdoptError> {
    let missing: Vec<ResourceId> =
        ids.iter().filter(|id| !config.resources.contains(id)).map(|id| (*id).clone()).collect();
    if missing.is_empty() {
        return Ok(None);
    }
    let not_editable = || AdoptError::ConfigNotEditable {
        entries: missing
            .iter()
            .map(|id| format!("{} {}", id.kind.dir(), id.qualified()))
            .collect::<Vec<_>>()
            .join(", "),
        config: shown(&config.path),
    };
    let mut text = config.text.clone();
    for id in &missing {
        text = selection::add_entry(&text, id.kind, &id.qualified()).ok_or_else(not_editable)?;
    }
    // The edited file must read back as a config selecting them all (never write a broken one).
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let home = crate::config::home_dir();
    let reread = Config::parse(&config.path, text.clone(), &env, home.as_deref())?;
    if !missing.iter().all(|id| reread.resources.contains(id)) {
        return Err(not_editable());
    }
    Ok(Some((text, missing)))
}

/// The path of the project file `rel` (relative to the output root, maybe `../.agents/…`).
fn output_path(output_root: &Path, rel: &str) -> PathBuf {
    match rel.strip_prefix("../") {
        Some(rest) => output_root.parent().unwrap_or(output_root).join(rest),
        None => output_root.join(rel),
    }
}

/// Check a name the path gave.
fn valid_name(path: &Path, name: &str) -> Result<Name, AdoptError> {
    Name::new(name).map_err(|e| AdoptError::InvalidName {
        path: shown(path),
        name: name.to_string(),
        reason: e.to_string(),
    })
}

/// A file's text, or the error saying why not.
fn read_text(path: &Path) -> Result<String, AdoptError> {
    let bytes = std::fs::read(path).map_err(|source| FsError::Read { path: path.to_path_buf(), source })?;
    String::from_utf8(bytes).map_err(|_| AdoptError::NotUtf8 { path: shown(path) })
}

/// `rel` joined under `root`, refused when it leaves it (lexically or through a link).
fn inside(root: &Path, rel: &str) -> Result<PathBuf, AdoptError> {
    let path = fsutil::join_inside(root, rel)?;
    fsutil::ensure_no_symlink_escape(root, &path)?;
    Ok(path)
}
