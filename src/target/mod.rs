//! The four target agents' own formats (SPEC §1.5): where each resource goes, how it is
//! rendered, and how an output is parsed back into description + body for sync.
//!
//! Pure: no I/O here. One file per target; this module dispatches.
//! The round-trip law: for every target, `parse(render(r))` gives back exactly `r`'s body and
//! description, byte for byte.

use std::path::PathBuf;

/// One file a resource renders to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output root, `/`-separated. Codex skills and commands live in
    /// `../.agents/skills/<name>/…` (the only outputs allowed outside the root).
    pub rel: String,
    pub content: OutputContent,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputContent {
    /// Rendered text.
    Text(String),
    /// A skill extra copied byte for byte from the source (streamed, never held in memory).
    Copy { from: PathBuf, size: u64 },
}

/// Everything one resource renders to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub files: Vec<OutputFile>,
    /// Codex agents: the `[agents.<name>]` entry of `config.toml` (description + config_file).
    pub codex_agent: Option<CodexAgentEntry>,
}

/// The part of a Codex agent that lives in the user's `config.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodexAgentEntry {
    pub name: String,
    pub description: Option<String>,
    /// `agents/<name>.toml`
    pub config_file: String,
}

/// What sync needs from an output: the description and the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub description: Option<String>,
    pub body: String,
}
