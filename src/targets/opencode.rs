//! OpenCode (SPEC §1.5): commands, agents and skills are all Markdown with frontmatter
//! (`commands/<name>.md`, `agents/<name>.md`, `skills/<name>/SKILL.md` + extras). The metadata
//! goes through OpenCode's schema ([`super::opencode_schema`]): a skill gets a `name` when it
//! has none (OpenCode requires it, equal to the directory name); an agent's `tools` list
//! becomes a map of booleans, its colour `#RRGGBB`, and keys OpenCode would refuse or send to
//! the provider are left out.

use super::{render_markdown_resource, schema, Rendered, TargetError};
use super::{MainFile, TargetPaths};
use crate::names::Target;
use crate::source::Resource;

/// OpenCode's places (SPEC §1.5).
pub(super) const PATHS: TargetPaths = TargetPaths {
    command: MainFile::File { dir: "commands", ext: "md" },
    agent: MainFile::File { dir: "agents", ext: "md" },
    skills_dir: "skills",
    global_file: "AGENTS.md",
    skills_leave_root: false,
};

pub fn render(resource: &Resource) -> Result<Rendered, TargetError> {
    let (metadata, warnings) = schema::apply(Target::Opencode, resource);
    let rendered = render_markdown_resource(Target::Opencode, resource, &metadata)?;
    Ok(Rendered { warnings, ..rendered })
}
