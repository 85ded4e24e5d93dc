//! The source repository: scanning `SOURCE/plugins/`, parsing the selected resources, merging
//! their metadata for a target, checking conflicts and dependencies (SPEC §1.2–1.4).
//!
//! Not here: rendering into a target's format (`target`) or writing anything (`build`).
//!
//! The entry points:
//! - [`scan`]: list what the source holds without reading any file content;
//! - [`load_selection`]: parse only what agb.yaml selects, merge, check, and return a
//!   [`Selection`] ready to render (all problems reported at once);
//! - [`load_resource`]: load one indexed resource (`agb list --all` reports broken ones with it);
//! - [`frontmatter::parse_yaml_mapping`] / [`frontmatter::parse_document`]: the frontmatter
//!   parser sync re-uses on patched text.

// Diagnostics carry the text of the file at fault for their spans; they are built only on the
// error path, so their size does not matter and boxing them would only obscure matching.
#![allow(clippy::result_large_err)]

use std::path::PathBuf;

use crate::names::ResourceId;
// for `frontmatter`, which names it through `super::` so the fuzz crate can compile it by path
use crate::text::{yaml_guard, Located};

mod error;
mod extras;
pub mod frontmatter;
mod load;
pub mod merge;
mod requirements;
mod scan;
mod select;

pub use error::SourceError;
pub use extras::list_extras;
pub use load::{
    load_overrides, load_resource, load_selection, load_selection_from, load_selection_parsing_only,
    read_text, LoadContext, ResourceLoader, Selection,
};
pub use merge::{merge_metadata, Overrides, Sidecar};
pub use requirements::Requirements;
pub use scan::{is_hidden, scan, IndexEntry, ScanProblem, SourceIndex};
pub use select::resolve_selection;

/// Merged metadata of a resource for one target: an ordered YAML mapping (key order kept).
pub type Metadata = serde_yaml::Mapping;

/// One selected resource, parsed and merged for the project's target; everything a target
/// needs to render it and everything sync needs to write back to it.
#[derive(Debug, Clone)]
pub struct Resource {
    pub id: ResourceId,
    /// Absolute path of `<name>.md` or `skills/<name>/SKILL.md`.
    pub main_file: PathBuf,
    /// Absolute path of the sibling `<name>.yaml|.yml` / `SKILL.yaml|.yml`, if any.
    pub sidecar: Option<PathBuf>,
    /// Metadata after the §1.3 merge for the target (target sections removed).
    pub metadata: Metadata,
    /// Where the merged `description` came from, so sync writes it back to its origin.
    pub description_origin: DescriptionOrigin,
    /// Every byte after the frontmatter's closing delimiter line, exactly.
    pub body: String,
    /// Skill extras (empty for commands and agents), sorted by `rel`, excludes applied.
    pub extras: Vec<Extra>,
    /// The skill's files the `exclude:` globs left out, by canonical path
    /// (`p/skills/sk/notes.tmp`): not copied, and what `build -v` says it skipped.
    pub excluded: Vec<String>,
}

impl Resource {
    /// The merged description, when it is a string.
    pub fn description(&self) -> Option<&str> {
        self.metadata.get("description").and_then(|v| v.as_str())
    }
}

/// Which layer of §1.3 gave the final `description`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DescriptionOrigin {
    /// No description at all.
    None,
    Frontmatter,
    /// `overrides.yaml` at the source root replaced it.
    Overrides,
    /// The target section of the sibling `.yaml` set it.
    Sidecar,
}

/// A file of a skill other than `SKILL.md` and its sidecar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extra {
    /// Path relative to the skill directory, `/`-separated (e.g. `ref/notes.txt`).
    pub rel: String,
    /// Absolute path in the source.
    pub path: PathBuf,
    pub size: u64,
    /// Modification time from the loader's `stat` (through a link), so the build records it in
    /// the manifest without stat-ing every extra a second time. `None` where the OS has none.
    pub modified: Option<std::time::SystemTime>,
}
