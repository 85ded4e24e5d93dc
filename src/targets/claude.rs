//! Claude Code (SPEC §1.5): commands, agents and skills are all Markdown with frontmatter
//! (`commands/<name>.md`, `agents/<name>.md`, `skills/<name>/SKILL.md` + extras). The metadata
//! is written as merged, nothing is added.

use super::{render_markdown_resource, Rendered, TargetError};
use crate::names::Target;
use crate::source::Resource;

pub fn render(resource: &Resource) -> Result<Rendered, TargetError> {
    render_markdown_resource(Target::ClaudeCode, resource, &resource.metadata)
}
