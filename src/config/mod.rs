//! `agb.yaml` → a typed, validated [`Config`] (SPEC §1.1).
//!
//! Everything a user can get wrong in agb.yaml is reported here, with a span pointing at the
//! offending line: unknown keys (with the valid ones), missing `source`/`target`, wrong types,
//! a bad `plugin:name`, an invalid exclude glob, an unset `$VAR` in `source`.
//!
//! The parts: this file holds the types and [`Config::load`] (the only I/O besides discovery);
//! `parse` validates the text, `targets` splits a multi-target file into one [`Config`] per
//! target, `user` knows the agents' user directories, `project` finds the agb.yaml files a
//! command acts on ([`Project::load`]), `error` is [`ConfigError`], `expand` resolves `source:`
//! (`~`, `$VAR`, `${VAR}`).
//!
//! Not here: whether the selected resources exist (that needs the source: `source::load_selection`)
//! and the meaning of `factory:` (kept raw for the factory module).
//!
//! serde_yaml does not report where a value sits, so the line of a key or an entry is found by a
//! small line scan of the text (see [`locate_key`]); when the scan cannot find it (flow-style
//! mappings), the span falls back to the start of the file rather than guess.

// Diagnostics carry the text of the file at fault for their spans; they are built only on the
// error path, so their size does not matter and boxing them would only obscure matching.
#![allow(clippy::result_large_err)]

use std::path::{Path, PathBuf};

use miette::{NamedSource, SourceSpan};
use serde_yaml::Value;

use crate::exclude::Excludes;
use crate::names::{ResourceId, ResourceKind, Target};

mod error;
mod expand;
mod parse;
mod project;
mod targets;
mod user;

/// Where they lived first; `crate::text` is their home.
pub use crate::text::{line_of_offset, locate_key};
pub use error::ConfigError;
pub use expand::{expand_path, home_dir};
pub use project::{discover, Project, ProjectOptions};
pub use targets::project_dir;
pub use user::{user_dir, user_dirs};

/// The top-level keys of agb.yaml: those of a single-target file first, as always listed, then
/// those of issue 11 (besides them, a multi-target file may hold one section per target, named
/// after it).
pub const VALID_KEYS: [&str; 8] =
    ["source", "target", "exclude", "resources", "factory", "targets", "plugins", "scope"];

#[derive(Debug, Clone)]
pub struct Config {
    /// The agb.yaml file (absolute).
    pub path: PathBuf,
    /// The directory holding agb.yaml: where outputs are written.
    pub output_root: PathBuf,
    /// The source repository, absolute: `~`/`$VAR`/`${VAR}` expanded, a relative path resolved
    /// against `output_root`, then canonicalized when it exists (so `..` means what the OS says).
    pub source: PathBuf,
    /// `source:` as written, for messages.
    pub source_raw: String,
    pub target: Target,
    /// The `exclude:` globs as written (already checked to compile).
    pub exclude: Vec<String>,
    /// The `resources:` selection, per kind, in file order (exact `plugin:name` entries).
    pub resources: Resources,
    /// Glob entries of `resources:` (`python-development:*`) and the `plugins:` entries: what
    /// they select is known only against the source (`source::resolve_selection`).
    pub patterns: Vec<Pattern>,
    /// `factory:` kept raw; the factory module parses it.
    pub factory: Option<Value>,
    /// The text of agb.yaml, so later diagnostics (a misspelt resource) can point into it.
    pub text: String,
}

/// The `resources:` section: `plugin:name` entries per kind, in file order (duplicates kept out).
#[derive(Debug, Clone, Default)]
pub struct Resources {
    pub commands: Vec<ResourceRef>,
    pub agents: Vec<ResourceRef>,
    pub skills: Vec<ResourceRef>,
}

impl Resources {
    pub fn of(&self, kind: ResourceKind) -> &[ResourceRef] {
        match kind {
            ResourceKind::Command => &self.commands,
            ResourceKind::Agent => &self.agents,
            ResourceKind::Skill => &self.skills,
        }
    }

    fn of_mut(&mut self, kind: ResourceKind) -> &mut Vec<ResourceRef> {
        match kind {
            ResourceKind::Command => &mut self.commands,
            ResourceKind::Agent => &mut self.agents,
            ResourceKind::Skill => &mut self.skills,
        }
    }

    /// Add an entry at the end of its kind's list (selection resolution adds what patterns
    /// match).
    pub fn add(&mut self, r: ResourceRef) {
        self.push(r);
    }

    fn push(&mut self, r: ResourceRef) {
        self.of_mut(r.id.kind).push(r);
    }

    /// Every entry: commands, then agents, then skills, each in file order.
    pub fn iter(&self) -> impl Iterator<Item = &ResourceRef> {
        self.commands.iter().chain(&self.agents).chain(&self.skills)
    }

    /// Whether `id` is selected (a linear scan: use [`Resources::id_set`] for many lookups).
    pub fn contains(&self, id: &ResourceId) -> bool {
        self.of(id.kind).iter().any(|r| r.id == *id)
    }

    /// Every selected id, for fast repeated lookups.
    pub fn id_set(&self) -> std::collections::HashSet<&ResourceId> {
        self.iter().map(|r| &r.id).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }
}

/// A selection by pattern and where it is in agb.yaml: a glob entry of `resources:` (matched
/// against `plugin:name` of resources of its kind) or a `plugins:` entry (a plugin name or a
/// glob over plugin names; every command, agent and skill of the plugins it matches).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// `None` for a `plugins:` entry.
    pub kind: Option<ResourceKind>,
    /// As written.
    pub text: String,
    /// 1-based line in agb.yaml.
    pub line: usize,
    /// Byte span of the entry in agb.yaml.
    pub span: SourceSpan,
}

/// One `plugin:name` entry of `resources:` and where it is in agb.yaml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceRef {
    pub id: ResourceId,
    /// 1-based line in agb.yaml.
    pub line: usize,
    /// Byte span of the entry in agb.yaml.
    pub span: SourceSpan,
}

impl Config {
    /// Read and validate the agb.yaml at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let path = expand::absolute(path);
        let text = Config::read(&path)?;
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let home = home_dir();
        Config::parse(&path, text, &env, home.as_deref())
    }

    /// The text of the agb.yaml at `path` (absolute).
    fn read(path: &Path) -> Result<String, ConfigError> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ConfigError::Missing { path: path.to_path_buf() });
            }
            Err(_) if path.is_dir() => return Err(ConfigError::IsDirectory { path: path.to_path_buf() }),
            Err(source) => return Err(ConfigError::Unreadable { path: path.to_path_buf(), source }),
        };
        String::from_utf8(bytes).map_err(|_| ConfigError::NotUtf8 { path: path.to_path_buf() })
    }

    /// Whether the selection holds anything that must be resolved against the source.
    pub fn has_patterns(&self) -> bool {
        !self.patterns.is_empty()
    }

    /// agb.yaml as a miette source, for diagnostics that point into it.
    pub fn named_source(&self) -> NamedSource<String> {
        NamedSource::new(self.path.display().to_string(), self.text.clone())
    }

    /// The compiled exclude globs (they were checked at load, so this cannot fail then).
    pub fn excludes(&self) -> Excludes {
        Excludes::new(&self.exclude).expect("exclude patterns are validated by Config::parse")
    }
}

#[cfg(test)]
mod tests;
