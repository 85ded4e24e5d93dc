//! OpenCode (SPEC §1.5): commands, agents and skills are all Markdown with frontmatter
//! (`commands/<name>.md`, `agents/<name>.md`, `skills/<name>/SKILL.md` + extras). The metadata
//! is written as merged; a skill without `name` gets one (OpenCode requires it and wants it
//! equal to the directory name).

use super::{render_markdown_resource, with_skill_name, Rendered, TargetError};
use super::{MainFile, TargetPaths};
use crate::names::{ResourceKind, Target};
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
    match resource.id.kind {
        ResourceKind::Skill => {
            render_markdown_resource(Target::Opencode, resource, &with_skill_name(resource))
        }
        _ => render_markdown_resource(Target::Opencode, resource, &resource.metadata),
    }
}
