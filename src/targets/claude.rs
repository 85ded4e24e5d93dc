//! Claude Code (SPEC §1.5): commands, agents and skills are all Markdown with frontmatter
//! (`commands/<name>.md`, `agents/<name>.md`, `skills/<name>/SKILL.md` + extras). The metadata
//! is written as merged, nothing is added.

use super::{render_markdown_resource, Rendered, TargetError};
use super::{MainFile, TargetPaths};
use crate::names::Target;
use crate::source::Resource;

/// Claude Code's places (SPEC §1.5).
pub(super) const PATHS: TargetPaths = TargetPaths {
    command: MainFile::File { dir: "commands", ext: "md" },
    agent: MainFile::File { dir: "agents", ext: "md" },
    skills_dir: "skills",
    global_file: "CLAUDE.md",
    skills_leave_root: false,
};

pub fn render(resource: &Resource) -> Result<Rendered, TargetError> {
    render_markdown_resource(Target::ClaudeCode, resource, &resource.metadata)
}
