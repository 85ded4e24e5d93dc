//! One agent file → the text of a source resource (pure): the target's own parser reads it
//! (`targets::parse` for the body and description of a Gemini TOML command or a Codex TOML
//! agent, `markdown::parse_document` for the Markdown kinds), then the metadata is split
//! between the portable frontmatter and the adopting target's sidecar section.
//!
//! The split: a key stays in the frontmatter when it is `name` or `description`, or when some
//! *other* target's schema knows it for this kind (`tools`, `model`…: the build translates
//! them); a key only the adopting target knows (Claude Code's `permissionMode`, Gemini CLI's
//! `temperature`) or no schema knows goes to the sidecar's `<target>:` section, so the other
//! targets never see it. The frontmatter is written by the same writer the build uses
//! (`markdown::render`), so a rebuild for the same target gives the same YAML.
//!
//! Not here: finding or reading files, writing the source (see `super`).

use serde_yaml::{Mapping, Value};

use super::AdoptError;
use crate::names::{ResourceKind, Target};
use crate::targets::schema::{schema, Rule};
use crate::targets::{self, markdown};

/// What one adopted main file becomes in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceText {
    /// `<name>.md` / `SKILL.md`: the portable metadata as frontmatter, then the body.
    pub main: String,
    /// `<name>.yaml` / `SKILL.yaml` with one `<target>:` section, when any key is specific.
    pub sidecar: Option<String>,
    /// The keys that went to the sidecar, in file order (for the report).
    pub sidecar_keys: Vec<String>,
}

/// Convert the main file `text` of `kind` `name` in `target`'s format (`file`: its path
/// relative to the output root, for error messages).
pub fn to_source(
    target: Target,
    kind: ResourceKind,
    name: &str,
    file: &str,
    text: &str,
) -> Result<SourceText, AdoptError> {
    let (metadata, body) = read_agent_file(target, kind, name, file, text)?;
    let mut frontmatter = Mapping::new();
    let mut section = Mapping::new();
    let mut sidecar_keys = Vec::new();
    for (k, v) in metadata {
        match k.as_str() {
            Some(key) if is_target_specific(target, kind, key) => {
                sidecar_keys.push(key.to_string());
                section.insert(k, v);
            }
            _ => {
                frontmatter.insert(k, v);
            }
        }
    }
    let main = markdown::render(&frontmatter, &body)
        .ok_or_else(|| AdoptError::Unrepresentable { file: file.to_string() })?;
    let sidecar = if section.is_empty() {
        None
    } else {
        let mut doc = Mapping::new();
        doc.insert(target.as_str().into(), Value::Mapping(section));
        Some(
            serde_yaml::to_string(&doc)
                .map_err(|_| AdoptError::Unrepresentable { file: file.to_string() })?,
        )
    };
    Ok(SourceText { main, sidecar, sidecar_keys })
}

/// Metadata (in file order) and body of an agent file, read with the target's own parser.
fn read_agent_file(
    target: Target,
    kind: ResourceKind,
    name: &str,
    file: &str,
    text: &str,
) -> Result<(Mapping, String), AdoptError> {
    // The TOML kinds: the body (and the `{{args}}` translation) from the target's parser,
    // every other top-level key from the TOML itself.
    let toml_body_key = match (target, kind) {
        (Target::GeminiCli, ResourceKind::Command) => Some("prompt"),
        (Target::Codex, ResourceKind::Agent) => Some("developer_instructions"),
        _ => None,
    };
    let Some(body_key) = toml_body_key else {
        let (metadata, body) = markdown::parse_document(file, text)?;
        return Ok((metadata, body.to_string()));
    };
    let parsed = targets::parse(target, kind, name, text, None)?;
    let table: toml::Table = toml::from_str(text)
        .map_err(|e| AdoptError::Toml { file: file.to_string(), message: e.message().to_string() })?;
    // agb writes a Gemini command's `description` first, and a Codex role's `name` then
    // `description`: keep that order so a rebuild writes the same file.
    let mut metadata = Mapping::new();
    if let (Target::Codex, Some(n)) = (target, table.get("name")) {
        metadata.insert("name".into(), toml_to_yaml(n));
    }
    if let Some(d) = &parsed.description {
        metadata.insert("description".into(), d.as_str().into());
    }
    for (k, v) in &table {
        if k != body_key && k != "description" && !metadata.contains_key(k.as_str()) {
            metadata.insert(k.as_str().into(), toml_to_yaml(v));
        }
    }
    Ok((metadata, parsed.body))
}

/// A key that only `target` (or no target) knows for `kind`: it goes to the sidecar section.
fn is_target_specific(target: Target, kind: ResourceKind, key: &str) -> bool {
    if key == "name" || key == "description" {
        return false;
    }
    let known_elsewhere = Target::ALL
        .into_iter()
        .filter(|t| *t != target)
        .any(|t| schema(t, kind).keys.iter().any(|(k, rule)| *k == key && !matches!(rule, Rule::Drop(_))));
    !known_elsewhere
}

/// A TOML value as YAML (a date-time becomes its text: YAML has no such type agb keeps).
fn toml_to_yaml(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::Number((*i).into()),
        toml::Value::Float(f) => Value::Number((*f).into()),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Sequence(items.iter().map(toml_to_yaml).collect()),
        toml::Value::Table(t) => {
            Value::Mapping(t.iter().map(|(k, v)| (Value::String(k.clone()), toml_to_yaml(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ResourceKind::*;

    fn convert(target: Target, kind: ResourceKind, text: &str) -> SourceText {
        to_source(target, kind, "x", "f", text).unwrap()
    }

    #[test]
    fn a_gemini_command_becomes_markdown_with_its_placeholder_translated() {
        let s = convert(
            Target::GeminiCli,
            Command,
            "description = \"Greet\"\nprompt = \"\"\"\nSay hi to {{args}}\n\"\"\"\n",
        );
        assert_eq!(s.main, "---\ndescription: Greet\n---\nSay hi to $ARGUMENTS\n");
        assert_eq!(s.sidecar, None);
    }

    #[test]
    fn keys_only_the_adopting_target_knows_go_to_its_sidecar_section() {
        let s = convert(
            Target::ClaudeCode,
            Agent,
            "---\nname: x\ndescription: d\ntools: [Read]\npermissionMode: plan\n---\nBody\n",
        );
        assert_eq!(s.main, "---\nname: x\ndescription: d\ntools:\n- Read\n---\nBody\n");
        assert_eq!(s.sidecar.as_deref(), Some("claude-code:\n  permissionMode: plan\n"));
        assert_eq!(s.sidecar_keys, ["permissionMode"]);
    }

    #[test]
    fn a_codex_role_keeps_its_keys_and_its_instructions_become_the_body() {
        let s = convert(
            Target::Codex,
            Agent,
            "name = \"x\"\nmodel = \"gpt-5\"\ndescription = \"d\"\ndeveloper_instructions = \"\"\"\nDo it.\n\"\"\"\n",
        );
        assert!(s.main.starts_with("---\nname: x\ndescription: d\n"), "{}", s.main);
        assert!(s.main.ends_with("---\nDo it.\n"), "{}", s.main);
    }

    #[test]
    fn broken_files_are_errors_not_panics() {
        assert!(to_source(Target::GeminiCli, Command, "x", "f", "prompt = ").is_err());
        assert!(to_source(Target::GeminiCli, Command, "x", "f", "description = \"d\"\n").is_err());
        assert!(to_source(Target::ClaudeCode, Agent, "x", "f", "---\nname: [\n---\nb").is_err());
    }
}
