//! Gemini CLI (SPEC §1.5): commands as `commands/<name>.toml`, agents and skills as Markdown
//! (agents get `tools: ["*"]` when they name no tools, skills a `name` when they have none).
//!
//! Command TOML: `description` first (only when it is a string: Gemini CLI rejects the command
//! for any other type), then every other metadata key TOML 0.5 can hold (see
//! [`super::toml_text`]) in metadata order, then `prompt` = the body with `$ARGUMENTS` written
//! as `{{args}}`.
//!
//! The `$ARGUMENTS` ↔ `{{args}}` mapping, and why it round-trips for every body:
//! - A body without `{{args}}` is translated (`$ARGUMENTS` → `{{args}}`). The prompt then
//!   contains no `$ARGUMENTS` (the replacement cannot create one), and every `{{args}}` in it is
//!   one that was written for a `$ARGUMENTS` (neither pattern can overlap itself), so replacing
//!   `{{args}}` back gives the body.
//! - A body that already contains `{{args}}` is written verbatim. Such a prompt can look exactly
//!   like a translated one (`use {{args}}` from `use $ARGUMENTS`), so the choice is recorded as a
//!   comment line before the first key ([`VERBATIM_MARKER`]).
//! - Reading back: the prompt is taken verbatim when that comment is there or when it contains
//!   `$ARGUMENTS` (which a translated prompt never does); otherwise `{{args}}` → `$ARGUMENTS`.

use serde_yaml::Value;

use super::schema::{self, warning, Action, Warning};
use super::{
    located, placeholders, render_markdown_resource, toml_text, MainFile, OutputContent, OutputFile, Parsed,
    Rendered, TargetError, TargetPaths,
};
use crate::names::{ResourceKind, Target};
use crate::source::{Metadata, Resource};

/// The comment that marks a prompt written verbatim (its `{{args}}` are Gemini's, not agb's).
pub const VERBATIM_MARKER: &str = "agb: verbatim prompt";
const VERBATIM_COMMENT: &str =
    "# agb: verbatim prompt ({{args}} and $ARGUMENTS are kept as written, not translated)\n";

/// Gemini CLI's places (SPEC §1.5): commands are TOML.
pub(super) const PATHS: TargetPaths = TargetPaths {
    command: MainFile::File { dir: "commands", ext: "toml" },
    agent: MainFile::File { dir: "agents", ext: "md" },
    skills_dir: "skills",
    global_file: "GEMINI.md",
    skills_leave_root: false,
};

pub fn render(resource: &Resource) -> Result<Rendered, TargetError> {
    let (mut metadata, mut warnings) = schema::apply(Target::GeminiCli, resource);
    match resource.id.kind {
        ResourceKind::Command => {
            let text = render_command(resource, &metadata, &mut warnings)?;
            let rel =
                super::main_output_rel(Target::GeminiCli, ResourceKind::Command, resource.id.name.as_str());
            Ok(Rendered { files: vec![OutputFile { rel, content: OutputContent::Text(text) }], warnings })
        }
        ResourceKind::Agent => {
            // SPEC §1.5: an agent that names no tools gets all of them, spelled out (`["*"]`).
            // `tools: null` counts as none; any other value (even an empty list) is kept.
            match metadata.get_mut("tools") {
                Some(v @ Value::Null) => *v = all_tools(),
                Some(_) => {}
                None => {
                    metadata.insert("tools".into(), all_tools());
                }
            }
            let rendered = render_markdown_resource(Target::GeminiCli, resource, &metadata)?;
            Ok(Rendered { warnings, ..rendered })
        }
        ResourceKind::Skill => {
            let rendered = render_markdown_resource(Target::GeminiCli, resource, &metadata)?;
            Ok(Rendered { warnings, ..rendered })
        }
    }
}

fn all_tools() -> Value {
    Value::Sequence(vec![Value::String("*".into())])
}

/// The TOML text of a command, from the metadata the schema kept.
fn render_command(
    resource: &Resource,
    metadata: &Metadata,
    warnings: &mut Vec<Warning>,
) -> Result<String, TargetError> {
    let body = &resource.body;
    // Claude Code's placeholders as Gemini's, unless that could not be read back exactly.
    let translated = placeholders::to_gemini(body);
    for p in placeholders::untranslated(Target::GeminiCli, body, translated.is_some()) {
        let detail = "no Gemini CLI equivalent here (or the body also uses Gemini's own syntax)".to_string();
        warnings.push(warning(resource, Target::GeminiCli, &p, Action::Untranslated, detail));
    }
    let mut out = String::new();
    if translated.is_none() {
        out.push_str(VERBATIM_COMMENT);
    }
    // Gemini CLI rejects the whole command when `description` is not a string, so only a
    // string is written (the schema left out any other).
    if let Some(Value::String(description)) = metadata.get("description") {
        out.push_str(&format!("description = {}\n", toml_text::string(description)));
    }
    for (k, v) in metadata {
        let Some(k) = k.as_str() else { continue };
        if k == "description" {
            continue;
        }
        if k == "prompt" {
            if v.is_null() {
                continue;
            }
            return Err(TargetError::ReservedKey {
                resource: resource.id.to_string(),
                key: "prompt",
                target: Target::GeminiCli,
            });
        }
        if let Some(v) = toml_text::top_value(v, toml_text::Dialect::Toml05) {
            out.push_str(&format!("{} = {v}\n", toml_text::key(k)));
        }
    }
    let prompt = translated.unwrap_or_else(|| body.clone());
    out.push_str(&format!("prompt = {}\n", toml_text::multiline(&prompt)));
    Ok(out)
}

/// Description and body back from a command's TOML.
pub fn parse_command(file: &str, text: &str) -> Result<Parsed, TargetError> {
    let doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        let offset = e.span().map_or(0, |s| s.start);
        let (src, span, line) = located(file, text, offset);
        TargetError::InvalidToml { file: file.to_string(), line, message: e.message().to_string(), src, span }
    })?;
    let prompt = doc
        .get("prompt")
        .and_then(|i| i.as_str())
        .ok_or_else(|| TargetError::MissingKey { file: file.to_string(), key: "prompt" })?;
    let description = doc.get("description").and_then(|i| i.as_str()).map(str::to_string);
    let marked = doc
        .as_table()
        .iter()
        .next()
        .and_then(|(first, _)| doc.as_table().key(first))
        .and_then(|k| k.leaf_decor().prefix())
        .and_then(|p| p.as_str())
        .is_some_and(|p| p.contains(VERBATIM_MARKER));
    let body = if marked || prompt.contains("$ARGUMENTS") {
        prompt.to_string()
    } else {
        placeholders::from_gemini(prompt)
    };
    Ok(Parsed { description, body })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::targets::test_support::resource;
    use crate::targets::{parse, render as render_any};

    fn command_text(frontmatter: &str, body: &str) -> String {
        let r = resource(ResourceKind::Command, "c", frontmatter, body);
        let (metadata, mut warnings) = schema::apply(Target::GeminiCli, &r);
        render_command(&r, &metadata, &mut warnings).unwrap()
    }

    fn round_trip(body: &str) -> String {
        let text = command_text("description: d", body);
        parse(Target::GeminiCli, ResourceKind::Command, "c", &text, None).unwrap().body
    }

    #[test]
    fn description_first_then_metadata_then_prompt() {
        let text =
            command_text("model: m\ndescription: Search\ntags: [a, b]\nnothing: ~\n", "Find $ARGUMENTS\n");
        assert_eq!(
            text,
            "description = 'Search'\nmodel = 'm'\ntags = ['a', 'b']\nprompt = '''\nFind {{args}}\n'''\n"
        );
    }

    #[test]
    fn arguments_mapping_round_trips_in_every_case() {
        for body in [
            "use $ARGUMENTS",
            "use {{args}}",
            "both $ARGUMENTS and {{args}}",
            "{{$ARGUMENTS}}",
            "$$ARGUMENTSARGUMENTS",
            "{{args}}{{args}}",
            "",
            "# agb: verbatim prompt\n",
        ] {
            assert_eq!(round_trip(body), body);
        }
    }

    #[test]
    fn a_body_with_gemini_placeholders_is_kept_verbatim_and_marked() {
        let text = command_text("", "use {{args}}");
        assert!(text.starts_with("# agb: verbatim prompt"), "{text}");
        assert!(text.ends_with("prompt = '''\nuse {{args}}'''\n"), "{text}");
    }

    #[test]
    fn only_a_string_description_is_written() {
        assert_eq!(command_text("description: 42", "b"), "prompt = '''\nb'''\n");
    }

    #[test]
    fn a_prompt_key_in_the_metadata_is_refused_unless_null() {
        let r = resource(ResourceKind::Command, "c", "prompt: x", "b");
        assert!(matches!(
            render_any(Target::GeminiCli, &r),
            Err(TargetError::ReservedKey { key: "prompt", .. })
        ));
        assert_eq!(command_text("prompt: ~", "b"), "prompt = '''\nb'''\n");
    }

    #[test]
    fn agents_get_all_tools_unless_they_name_some() {
        let r = resource(ResourceKind::Agent, "a", "description: d", "body");
        let out = render_any(Target::GeminiCli, &r).unwrap();
        assert_eq!(out.files[0].rel, "agents/a.md");
        assert_eq!(
            out.files[0].content,
            OutputContent::Text("---\nname: a\ndescription: d\ntools:\n- '*'\n---\nbody".into())
        );
        let r = resource(ResourceKind::Agent, "a", "tools: [read_file]", "body");
        let OutputContent::Text(t) = &render_any(Target::GeminiCli, &r).unwrap().files[0].content else {
            panic!()
        };
        assert_eq!(t, "---\nname: a\ntools:\n- read_file\n---\nbody");
    }

    #[test]
    fn invalid_toml_and_missing_prompt_are_errors_with_the_file() {
        match parse_command("commands/c.toml", "description = 'x'\nprompt = '''\nunclosed") {
            Err(TargetError::InvalidToml { file, line, .. }) => {
                assert_eq!(file, "commands/c.toml");
                assert!(line >= 2);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse_command("commands/c.toml", "description = 'x'\n"),
            Err(TargetError::MissingKey { key: "prompt", .. })
        ));
    }
}
