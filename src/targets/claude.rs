//! Claude Code (SPEC §1.5): commands, agents and skills are all Markdown with frontmatter
//! (`commands/<name>.md`, `agents/<name>.md`, `skills/<name>/SKILL.md` + extras). The metadata
//! goes through Claude Code's schema ([`super::claude_schema`]): agents always get a `name`
//! (Claude Code skips one without it silently), Gemini CLI tool names become Claude's.

use super::{render_markdown_resource, schema, Rendered, TargetError};
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
    let (metadata, warnings) = schema::apply(Target::ClaudeCode, resource);
    let rendered = render_markdown_resource(Target::ClaudeCode, resource, &metadata)?;
    Ok(Rendered { warnings, ..rendered })
}
