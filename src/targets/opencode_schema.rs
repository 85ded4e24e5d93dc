//! OpenCode 1.18.33's output schema per kind (facts: `tests/agents/FINDINGS.md` §(c), from its
//! binary and its built-in `customize-opencode` skill). OpenCode refuses its WHOLE
//! configuration for one invalid agent or command value, so every checked key is typed here;
//! an agent's unknown keys would be sent to the model provider as `options`, so they are left
//! out. Commands and skills ignore unknown keys: kept.
//!
//! Not here: rendering (`opencode.rs`).

use super::schema::{KindSchema, ModelRule, NameRule, Rule, Translation, Ty, Unknown};
use crate::names::ResourceKind;

const MODEL: Rule = Rule::Translate(Translation::Model(ModelRule::ProviderSlashId));

const COMMAND: KindSchema = KindSchema {
    keys: &[
        ("description", Rule::Accept(Ty::Str)),
        ("agent", Rule::Accept(Ty::Str)),
        ("model", MODEL),
        ("variant", Rule::Accept(Ty::Str)),
        ("subtask", Rule::Accept(Ty::Bool)),
        ("template", Rule::Drop("the body is the command's template")),
    ],
    unknown: Unknown::Keep,
    write_name: false,
    name_rule: NameRule::Any,
    description_required: false,
    description_max: None,
};

const AGENT: KindSchema = KindSchema {
    keys: &[
        ("name", Rule::Accept(Ty::Str)),
        ("description", Rule::Accept(Ty::Str)),
        ("model", MODEL),
        ("variant", Rule::Accept(Ty::Str)),
        ("mode", Rule::Accept(Ty::OneOf(&["primary", "subagent", "all"]))),
        ("hidden", Rule::Accept(Ty::Bool)),
        ("color", Rule::Translate(Translation::OpencodeColor)),
        ("steps", Rule::Accept(Ty::PosInt)),
        ("maxTurns", Rule::Rename("steps", Ty::PosInt)),
        ("options", Rule::Accept(Ty::Map)),
        ("permission", Rule::Accept(Ty::Map)),
        ("disable", Rule::Accept(Ty::Bool)),
        ("temperature", Rule::Accept(Ty::Num)),
        ("top_p", Rule::Accept(Ty::Num)),
        ("tools", Rule::Translate(Translation::OpencodeTools)),
    ],
    unknown: Unknown::Drop,
    write_name: false,
    name_rule: NameRule::Any,
    description_required: false,
    description_max: None,
};

const SKILL: KindSchema = KindSchema {
    keys: &[
        ("description", Rule::Accept(Ty::Str)),
        ("license", Rule::Accept(Ty::Str)),
        ("compatibility", Rule::Accept(Ty::Str)),
        ("metadata", Rule::Accept(Ty::StrMap)),
    ],
    unknown: Unknown::Keep,
    write_name: true,
    name_rule: NameRule::KebabMax64SameAsDir,
    // Skills without one are filtered out silently.
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
