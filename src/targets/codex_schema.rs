//! Codex 0.169.0's output schema per kind (facts: `tests/agents/FINDINGS.md` §(c), measured
//! with the real Codex). A role file (`agents/<name>.toml`) with one unknown key is dropped
//! ("malformed agent role"), and `tools` means something else there (Codex's tool
//! configuration), so roles keep only the keys listed. Commands and skills are both skills
//! (`SKILL.md`), which ignore unknown keys.
//!
//! Not here: rendering (`codex.rs`).

use super::schema::{KindSchema, ModelRule, NameRule, Rule, Translation, Ty, Unknown};
use crate::names::ResourceKind;

const SKILL: KindSchema = KindSchema {
    keys: &[("description", Rule::Accept(Ty::Str))],
    unknown: Unknown::Keep,
    write_name: true,
    name_rule: NameRule::Max64,
    // "missing field `description`": the skill is an error in Codex.
    description_required: true,
    description_max: Some(1024),
};

const AGENT: KindSchema = KindSchema {
    keys: &[
        ("description", Rule::Accept(Ty::Str)),
        ("model", Rule::Translate(Translation::Model(ModelRule::NoAliases))),
        (
            "model_reasoning_effort",
            Rule::Accept(Ty::OneOf(&["none", "minimal", "low", "medium", "high", "xhigh"])),
        ),
        ("sandbox_mode", Rule::Accept(Ty::OneOf(&["read-only", "workspace-write", "danger-full-access"]))),
        ("nickname_candidates", Rule::Accept(Ty::StrList)),
        ("tools", Rule::Drop("Codex roles have no per-agent tool list")),
    ],
    unknown: Unknown::Drop,
    write_name: true,
    name_rule: NameRule::Max64,
    description_required: true,
    description_max: None,
};

pub fn schema(kind: ResourceKind) -> &'static KindSchema {
    match kind {
        ResourceKind::Command | ResourceKind::Skill => &SKILL,
        ResourceKind::Agent => &AGENT,
    }
}
