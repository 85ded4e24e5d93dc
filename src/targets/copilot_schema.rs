//! The Copilot CLI 1.0.102's output schema per kind (facts: `tests/agents/FINDINGS.md` §(c),
//! measured with the real CLI through its JSON-RPC server). An agent with one wrong-typed known
//! key is rejected ("custom agent markdown frontmatter is malformed: tools: Expected array"),
//! an unknown key only warns ("unknown field ignored"): unknown keys are kept. A skill with a
//! wrong-typed known key fails to load; unknown keys are ignored. Commands are skills.
//!
//! Not here: rendering (`copilot.rs`).

use super::schema::{KindSchema, ModelRule, NameRule, Rule, Translation, Ty, Unknown};
use crate::names::ResourceKind;

const SKILL: KindSchema = KindSchema {
    keys: &[
        ("description", Rule::Accept(Ty::Str)),
        ("allowed-tools", Rule::Accept(Ty::StrOrStrList)),
        ("argument-hint", Rule::Accept(Ty::Str)),
        ("user-invocable", Rule::Accept(Ty::Bool)),
        ("disable-model-invocation", Rule::Accept(Ty::Bool)),
    ],
    unknown: Unknown::Keep,
    // Not required by the CLI (it names a skill after its directory), but a `SKILL.md` without
    // a frontmatter is an error there; a `name` always gives it one.
    write_name: true,
    name_rule: NameRule::CopilotSkill,
    // Without one the CLI takes the body's start as the description: loaded.
    description_required: false,
    description_max: Some(1024),
};

const AGENT: KindSchema = KindSchema {
    keys: &[
        ("name", Rule::Accept(Ty::Str)),
        ("description", Rule::Accept(Ty::Str)),
        ("tools", Rule::Accept(Ty::StrOrStrList)),
        ("model", Rule::Translate(Translation::Model(ModelRule::NoAliases))),
        ("infer", Rule::Accept(Ty::Bool)),
        ("user-invocable", Rule::Accept(Ty::Bool)),
        ("disable-model-invocation", Rule::Accept(Ty::Bool)),
        ("mcp-servers", Rule::Accept(Ty::Map)),
        ("mcpServers", Rule::Rename("mcp-servers", Ty::Map)),
        ("mcp_servers", Rule::Rename("mcp-servers", Ty::Map)),
        ("github", Rule::Accept(Ty::Map)),
        ("skills", Rule::Accept(Ty::StrList)),
    ],
    unknown: Unknown::Keep,
    // The CLI names an agent after its file when `name` is missing.
    write_name: false,
    name_rule: NameRule::Any,
    // "description: Required": the agent is rejected.
    description_required: true,
    description_max: None,
};

pub fn schema(kind: ResourceKind) -> &'static KindSchema {
    match kind {
        ResourceKind::Command | ResourceKind::Skill => &SKILL,
        ResourceKind::Agent => &AGENT,
    }
}
