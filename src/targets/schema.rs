//! Per-target output schemas (issue 10): which metadata keys each agent accepts for each kind,
//! with which value types, which keys are translated (and how), which are left out, the name
//! rule and the required keys. The tables live in `<target>_schema.rs`; this file holds the
//! shared types, the one function that applies a table to a resource's merged metadata
//! ([`apply`]) and the plan-time check of names and required keys ([`check`]).
//!
//! Why a table per target: the agents are strict in different ways (Gemini CLI and Codex reject
//! an agent for one unknown key, OpenCode refuses its whole configuration for one bad value,
//! Claude Code skips an agent without `name` silently). Copying the frontmatter as it is made
//! resources invisible; the facts each table follows are in `tests/agents/FINDINGS.md` and
//! `docs/targets.md`, with the agent versions checked against.
//!
//! Rendering never fails on a key: a key the agent does not accept is left out with one
//! [`Warning`]. Names and required keys are errors, but [`check`] reports them separately so
//! that `render` stays total (the round-trip law holds for any metadata).
//!
//! Not here: printing warnings or turning them into errors (`--strict`, the CLI does that),
//! reading the source file to find a line (the caller has the text).

use std::fmt;

use serde_yaml::Value;

use super::TargetError;
use crate::names::{ResourceKind, Target};
use crate::source::{Metadata, Resource};

/// The type a key's value must have for the agent to accept it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Str,
    Bool,
    /// A number (integer or float).
    Num,
    /// An integer above zero.
    PosInt,
    /// A list of strings.
    StrList,
    /// A string or a list of strings (Copilot splits a comma-separated string itself).
    StrOrStrList,
    /// A mapping with string keys and string values.
    StrMap,
    /// A mapping with string keys (any values).
    Map,
    /// One of these strings.
    OneOf(&'static [&'static str]),
}

/// What happens to a key in one target's output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Written as is when the value has the type; left out with a warning otherwise.
    Accept(Ty),
    /// Written under another key (the agent's own spelling of the same setting).
    Rename(&'static str, Ty),
    /// Written after a translation of the value (see [`Translation`]).
    Translate(Translation),
    /// Never written (why, for the warning).
    Drop(&'static str),
}

/// Value translations between the agents' vocabularies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Translation {
    /// Tool names → Gemini CLI built-in tool names (a list).
    GeminiTools,
    /// Gemini CLI tool names in a list → Claude Code's; any other value is kept.
    ClaudeTools,
    /// A tool list → OpenCode's `tools` map of booleans (a map of booleans is kept).
    OpencodeTools,
    /// A model id: Claude Code's aliases are no model id elsewhere.
    Model(ModelRule),
    /// A colour: `#RRGGBB` or OpenCode's named set; Claude Code's names become `#RRGGBB`.
    OpencodeColor,
}

/// What a target takes as `model`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelRule {
    /// Any string but Claude Code's aliases; `inherit` is kept (Gemini CLI's own default).
    NoAliasesButInherit,
    /// Any string but Claude Code's aliases and `inherit`.
    NoAliases,
    /// `provider/model-id` (OpenCode).
    ProviderSlashId,
}

/// What the agent does with a key its table does not list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unknown {
    /// The agent ignores it: written as is (sync then sees the same metadata).
    Keep,
    /// The agent rejects the file (or misuses the key): left out with a warning.
    Drop,
}

/// The name rule of a kind in a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRule {
    /// Anything agb's own names allow.
    Any,
    /// `^[a-z0-9_-]+$` (Gemini CLI agents).
    LowerDigitsUnderscoreHyphen,
    /// `^[a-z0-9-]+$` (Claude Code agents).
    LowerDigitsHyphen,
    /// Agent Skills: kebab-case, at most 64 characters, equal to the directory (OpenCode).
    KebabMax64SameAsDir,
    /// Non-empty, at most 64 characters (Codex skills; kebab-case is not enforced by 0.169.0).
    Max64,
    /// 1–64 characters, starting with an ASCII letter or digit, then ASCII letters, digits,
    /// `-`, `_`, `.`, `:` and spaces (Copilot CLI skills).
    CopilotSkill,
}

impl NameRule {
    fn allows(self, name: &str, dir: &str) -> bool {
        let lower = |extra: &[char]| {
            !name.is_empty()
                && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || extra.contains(&c))
        };
        match self {
            NameRule::Any => true,
            NameRule::LowerDigitsUnderscoreHyphen => lower(&['_', '-']),
            NameRule::LowerDigitsHyphen => lower(&['-']),
            NameRule::KebabMax64SameAsDir => {
                lower(&['-'])
                    && name.len() <= 64
                    && !name.starts_with('-')
                    && !name.ends_with('-')
                    && !name.contains("--")
                    && name == dir
            }
            NameRule::Max64 => !name.is_empty() && name.chars().count() <= 64,
            NameRule::CopilotSkill => {
                name.len() <= 64
                    && name.starts_with(|c: char| c.is_ascii_alphanumeric())
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | ' '))
            }
        }
    }

    fn describe(self) -> &'static str {
        match self {
            NameRule::Any => "any name",
            NameRule::LowerDigitsUnderscoreHyphen => "lowercase letters, digits, `_` and `-` only",
            NameRule::LowerDigitsHyphen => "lowercase letters, digits and `-` only",
            NameRule::KebabMax64SameAsDir => {
                "kebab-case (lowercase words joined by single `-`), at most 64 characters, equal to the skill's directory name"
            }
            NameRule::Max64 => "1 to 64 characters",
            NameRule::CopilotSkill => {
                "1 to 64 characters: an ASCII letter or digit, then ASCII letters, digits, `-`, `_`, `.`, `:` or spaces"
            }
        }
    }
}

/// One kind's output schema in one target.
#[derive(Debug, Clone, Copy)]
pub struct KindSchema {
    /// The keys the table knows, in no particular order (the output keeps the metadata's order).
    pub keys: &'static [(&'static str, Rule)],
    pub unknown: Unknown,
    /// Whether `name` is always written (the agent requires it): the frontmatter's string
    /// `name`, else the resource name, first.
    pub write_name: bool,
    pub name_rule: NameRule,
    /// Whether the agent drops or rejects the resource without a non-empty `description`.
    pub description_required: bool,
    /// The longest description the agent takes, in characters.
    pub description_max: Option<usize>,
}

/// What happened to a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Left out of this target's output.
    Dropped,
    /// Written with another value.
    Translated,
    /// Written under another key.
    Renamed,
    /// Written although the source does not have it (`name`).
    Added,
    /// Kept as is although it means nothing to this agent (a body placeholder).
    Untranslated,
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Action::Dropped => "dropped",
            Action::Translated => "translated",
            Action::Renamed => "renamed",
            Action::Added => "added",
            Action::Untranslated => "kept untranslated",
        })
    }
}

/// One thing rendering changed (or could not translate) in a resource's output for a target.
/// Rendering returns these; the CLI prints them, `--strict` makes them errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The resource, as `kind plugin:name`.
    pub resource: String,
    pub target: Target,
    /// The metadata key, or the body placeholder (`$1`, `` !`cmd` ``…).
    pub key: String,
    pub action: Action,
    /// What and why, in words.
    pub detail: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): `{}` {}: {}", self.resource, self.target, self.key, self.action, self.detail)
    }
}

pub(crate) fn warning(r: &Resource, target: Target, key: &str, action: Action, detail: String) -> Warning {
    Warning { resource: r.id.to_string(), target, key: key.to_string(), action, detail }
}

/// The schema of `kind` in `target` (the tables are in each target's `*_schema.rs`).
pub fn schema(target: Target, kind: ResourceKind) -> &'static KindSchema {
    match target {
        Target::GeminiCli => super::gemini_schema::schema(kind),
        Target::ClaudeCode => super::claude_schema::schema(kind),
        Target::Opencode => super::opencode_schema::schema(kind),
        Target::Codex => super::codex_schema::schema(kind),
        Target::Copilot => super::copilot_schema::schema(kind),
    }
}

/// The name the agent will know the resource by: the frontmatter's string `name`, else the
/// resource (file) name.
pub fn effective_name(r: &Resource) -> &str {
    match r.metadata.get("name") {
        Some(Value::String(s)) => s,
        _ => r.id.name.as_str(),
    }
}

/// The metadata to write for `r` in `target`: `name` added where required, every key checked
/// against the table, translated, renamed or left out, in the metadata's order. Each key left
/// out or changed gives one warning.
pub fn apply(target: Target, r: &Resource) -> (Metadata, Vec<Warning>) {
    let table = schema(target, r.id.kind);
    let mut out = Metadata::with_capacity(r.metadata.len() + 1);
    let mut warnings = Vec::new();
    if table.write_name {
        match r.metadata.get("name") {
            Some(Value::String(_)) => {}
            None | Some(Value::Null) => {
                out.insert("name".into(), r.id.name.as_str().into());
            }
            Some(_) => {
                out.insert("name".into(), r.id.name.as_str().into());
                let detail = format!("not a string; {target} requires one, the file name is written");
                warnings.push(warning(r, target, "name", Action::Translated, detail));
            }
        }
    }
    for (k, v) in &r.metadata {
        let Some(key) = k.as_str() else {
            warnings.push(warning(r, target, &format!("{k:?}"), Action::Dropped, "not a string key".into()));
            continue;
        };
        if key == "name" && table.write_name {
            if v.is_string() {
                out.insert(k.clone(), v.clone());
            }
            continue;
        }
        let rule = table.keys.iter().find(|(name, _)| *name == key).map(|(_, rule)| *rule);
        let rule = match (rule, table.unknown) {
            (Some(rule), _) => rule,
            (None, Unknown::Keep) => {
                out.insert(k.clone(), v.clone());
                continue;
            }
            (None, Unknown::Drop) => Rule::Drop("not a key this agent accepts"),
        };
        apply_rule(target, r, key, v, rule, &mut out, &mut warnings);
    }
    (out, warnings)
}

fn apply_rule(
    target: Target,
    r: &Resource,
    key: &str,
    v: &Value,
    rule: Rule,
    out: &mut Metadata,
    warnings: &mut Vec<Warning>,
) {
    // A null says "not set" (a sidecar can unset a key per target): nothing to write or warn.
    if v.is_null() {
        if !matches!(rule, Rule::Drop(_)) {
            out.insert(key.into(), Value::Null);
        }
        return;
    }
    match rule {
        Rule::Accept(ty) => {
            if has_type(v, ty) {
                out.insert(key.into(), v.clone());
            } else {
                let detail = format!("{} is not {}", short(v), describe(ty));
                warnings.push(warning(r, target, key, Action::Dropped, detail));
            }
        }
        Rule::Rename(to, ty) => {
            if !has_type(v, ty) {
                let detail = format!("{} is not {}", short(v), describe(ty));
                warnings.push(warning(r, target, key, Action::Dropped, detail));
            } else if r.metadata.contains_key(to) {
                let detail = format!("`{to}` is set too, and wins");
                warnings.push(warning(r, target, key, Action::Dropped, detail));
            } else {
                out.insert(to.into(), v.clone());
                warnings.push(warning(r, target, key, Action::Renamed, format!("written as `{to}`")));
            }
        }
        Rule::Translate(t) => match super::schema_translate::translate(t, target, v) {
            Ok((value, note)) => {
                if let Some(detail) = note {
                    warnings.push(warning(r, target, key, Action::Translated, detail));
                }
                out.insert(key.into(), value);
            }
            Err(detail) => warnings.push(warning(r, target, key, Action::Dropped, detail)),
        },
        Rule::Drop(why) => {
            warnings.push(warning(r, target, key, Action::Dropped, format!("{why} ({target})")));
        }
    }
}

pub(crate) fn has_type(v: &Value, ty: Ty) -> bool {
    let string_keys = |m: &serde_yaml::Mapping| m.keys().all(Value::is_string);
    match ty {
        Ty::Str => v.is_string(),
        Ty::Bool => v.is_bool(),
        Ty::Num => v.is_number(),
        Ty::PosInt => v.as_u64().is_some_and(|n| n > 0),
        Ty::StrList => v.as_sequence().is_some_and(|s| s.iter().all(Value::is_string)),
        Ty::StrOrStrList => v.is_string() || has_type(v, Ty::StrList),
        Ty::StrMap => v.as_mapping().is_some_and(|m| string_keys(m) && m.values().all(Value::is_string)),
        Ty::Map => v.as_mapping().is_some_and(string_keys),
        Ty::OneOf(allowed) => v.as_str().is_some_and(|s| allowed.contains(&s)),
    }
}

fn describe(ty: Ty) -> String {
    match ty {
        Ty::Str => "a string".into(),
        Ty::Bool => "a boolean".into(),
        Ty::Num => "a number".into(),
        Ty::PosInt => "a positive integer".into(),
        Ty::StrList => "a list of strings".into(),
        Ty::StrOrStrList => "a string or a list of strings".into(),
        Ty::StrMap => "a mapping of strings to strings".into(),
        Ty::Map => "a mapping with string keys".into(),
        Ty::OneOf(allowed) => format!("one of {}", allowed.join(", ")),
    }
}

/// A value, shortened for a warning.
pub(crate) fn short(v: &Value) -> String {
    let text = match v {
        Value::String(s) => format!("{s:?}"),
        other => serde_yaml::to_string(other).unwrap_or_default().trim_end().replace('\n', " "),
    };
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

/// The plan-time check of `r` for `target`: the name the agent will use follows its rule, and
/// a description the agent requires is there (a non-empty string) and not too long. Every
/// problem is reported, before anything is written.
pub fn check(target: Target, r: &Resource) -> Vec<TargetError> {
    let table = schema(target, r.id.kind);
    let mut errors = Vec::new();
    let file = r.main_file.display().to_string();
    let name = effective_name(r);
    if !table.name_rule.allows(name, r.id.name.as_str()) {
        errors.push(TargetError::InvalidName {
            resource: r.id.to_string(),
            file: file.clone(),
            name: name.to_string(),
            target,
            rule: table.name_rule.describe(),
        });
    }
    // A description over the limit fails the resource even where none is required (Copilot).
    let optional_ok = !table.description_required && r.description().is_none_or(|d| d.trim().is_empty());
    if !optional_ok {
        match r.description() {
            Some(d) if !d.trim().is_empty() => {
                let len = d.chars().count();
                if let Some(max) = table.description_max.filter(|max| len > *max) {
                    errors.push(TargetError::DescriptionTooLong {
                        resource: r.id.to_string(),
                        file,
                        target,
                        len,
                        max,
                    });
                }
            }
            _ => errors.push(TargetError::MissingDescription {
                resource: r.id.to_string(),
                file,
                target,
                kind: r.id.kind,
            }),
        }
    }
    errors
}
