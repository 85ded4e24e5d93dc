//! Gemini CLI 0.61.0's output schema per kind (facts: `tests/agents/FINDINGS.md` §(c), from
//! the CLI's bundle). Agents are checked by a strict zod schema (`localAgentSchema.strict()`):
//! one unknown key rejects the file, so every key not listed is left out. Commands and skills
//! ignore unknown keys: they are kept.
//!
//! Not here: the TOML of commands (`gemini.rs`), body placeholders (`placeholders.rs`).

use super::schema::{KindSchema, ModelRule, NameRule, Rule, Translation, Ty, Unknown};
use crate::names::ResourceKind;

const COMMAND: KindSchema = KindSchema {
    // `prompt` is the body (refused in the metadata by the renderer unless null).
    keys: &[("description", Rule::Accept(Ty::Str))],
    unknown: Unknown::Keep,
    write_name: false,
    name_rule: NameRule::Any,
    description_required: false,
    description_max: None,
};

const AGENT: KindSchema = KindSchema {
    keys: &[
        ("kind", Rule::Accept(Ty::OneOf(&["local"]))),
        ("description", Rule::Accept(Ty::Str)),
        ("display_name", Rule::Accept(Ty::Str)),
        ("tools", Rule::Translate(Translation::GeminiTools)),
        ("mcp_servers", Rule::Accept(Ty::Map)),
        ("mcpServers", Rule::Rename("mcp_servers", Ty::Map)),
        ("model", Rule::Translate(Translation::Model(ModelRule::NoAliasesButInherit))),
        ("temperature", Rule::Accept(Ty::Num)),
        ("max_turns", Rule::Accept(Ty::PosInt)),
        ("maxTurns", Rule::Rename("max_turns", Ty::PosInt)),
        ("timeout_mins", Rule::Accept(Ty::PosInt)),
    ],
    unknown: Unknown::Drop,
    write_name: true,
    name_rule: NameRule::LowerDigitsUnderscoreHyphen,
    description_required: true,
    description_max: None,
};

const SKILL: KindSchema = KindSchema {
    keys: &[("description", Rule::Accept(Ty::Str))],
    unknown: Unknown::Keep,
    write_name: true,
    name_rule: NameRule::Any,
    // Without a string description the skill is skipped silently.
    description_required: true,
    description_max: None,
};

pub fn schema(kind: ResourceKind) -> &'static KindSchema {
    match kind {
        ResourceKind::Command => &COMMAND,
        ResourceKind::Agent => &AGENT,
        ResourceKind::Skill => &SKILL,
    }
}
