//! Claude Code 2.1.328's output schema per kind (facts: `tests/agents/FINDINGS.md` §(c), from
//! the strings of its binary). Claude Code ignores keys it does not know, so they are kept; it
//! skips an agent without a string `name` silently, so agents always get one.
//!
//! Not here: rendering (`claude.rs`).

use super::schema::{KindSchema, NameRule, Rule, Translation, Ty, Unknown};
use crate::names::ResourceKind;

/// Agent colours Claude Code knows (array `W` in the binary).
const COLORS: &[&str] = &["red", "orange", "green", "aqua", "blue", "violet", "magenta"];

const COMMAND: KindSchema = KindSchema {
    keys: &[
        ("description", Rule::Accept(Ty::Str)),
        ("allowed-tools", Rule::Translate(Translation::ClaudeTools)),
        ("model", Rule::Accept(Ty::Str)),
    ],
    unknown: Unknown::Keep,
    write_name: false,
    name_rule: NameRule::Any,
    description_required: false,
    description_max: None,
};

const AGENT: KindSchema = KindSchema {
    keys: &[
        ("description", Rule::Accept(Ty::Str)),
        ("tools", Rule::Translate(Translation::ClaudeTools)),
        ("disallowedTools", Rule::Translate(Translation::ClaudeTools)),
        ("model", Rule::Accept(Ty::Str)),
        ("color", Rule::Accept(Ty::OneOf(COLORS))),
        (
            "permissionMode",
            Rule::Accept(Ty::OneOf(&[
                "acceptEdits",
                "auto",
                "bypassPermissions",
                "default",
                "dontAsk",
                "plan",
            ])),
        ),
        ("background", Rule::Accept(Ty::Bool)),
        ("memory", Rule::Accept(Ty::OneOf(&["user", "project", "local"]))),
        ("isolation", Rule::Accept(Ty::OneOf(&["worktree", "remote"]))),
        ("maxTurns", Rule::Accept(Ty::PosInt)),
        ("max_turns", Rule::Rename("maxTurns", Ty::PosInt)),
        ("mcp_servers", Rule::Rename("mcpServers", Ty::Map)),
    ],
    unknown: Unknown::Keep,
    write_name: true,
    name_rule: NameRule::LowerDigitsHyphen,
    description_required: true,
    description_max: None,
};

const SKILL: KindSchema = KindSchema {
    keys: &[
        ("description", Rule::Accept(Ty::Str)),
        ("allowed-tools", Rule::Translate(Translation::ClaudeTools)),
        ("model", Rule::Accept(Ty::Str)),
    ],
    unknown: Unknown::Keep,
    // Claude Code names a skill after its directory.
    write_name: false,
    name_rule: NameRule::Any,
    description_required: false,
    description_max: None,
};

pub fn schema(kind: ResourceKind) -> &'static KindSchema {
    match kind {
        ResourceKind::Command => &COMMAND,
        ResourceKind::Agent => &AGENT,
        ResourceKind::Skill => &SKILL,
    }
}
