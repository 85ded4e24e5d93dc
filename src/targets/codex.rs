//! Codex CLI (SPEC §1.5, issue 10).
//!
//! - Commands and skills become skills in `../.agents/skills/<name>/` (Markdown `SKILL.md`,
//!   plus the skill's extras), with `name` added when the metadata has none (Codex requires
//!   it). `disable-model-invocation: true` (a boolean) adds `agents/openai.yaml` with
//!   `policy: {allow_implicit_invocation: false}`, unless the skill ships its own
//!   `agents/openai.yaml`. Body placeholders mean nothing to a Codex skill: warned about.
//! - Agents: a standalone role file `agents/<name>.toml` holding `name`, `description`, the
//!   other keys Codex accepts (see [`super::codex_schema`]; one unknown key drops the role),
//!   then `developer_instructions` = the body. No `[agents.<name>]` entry in the user's
//!   `config.toml` any more: [`remove_agb_codex_agents`] takes agb's old entries out of it.
//!
//! Not here: reading or writing `config.toml` on disk (build and sync pass its text).

use indexmap::IndexMap;
use serde_yaml::Value;
use toml_edit::{DocumentMut, Item};

use super::schema::{self, warning, Action};
use super::{
    located, markdown_with_extras, placeholders, skill_dir_rel, toml_text, MainFile, OutputContent,
    OutputFile, Parsed, Rendered, TargetError, TargetPaths,
};
use crate::names::{ResourceKind, Target};
use crate::source::{Metadata, Resource};

/// Codex's settings file, in the output root.
pub const CODEX_CONFIG_FILE: &str = "config.toml";

/// The skill-side file that turns implicit invocation off.
const OPENAI_YAML_REL: &str = "agents/openai.yaml";
const OPENAI_YAML_NO_IMPLICIT: &str = "policy:\n  allow_implicit_invocation: false\n";

/// Codex's places (SPEC §1.5): commands are skills, agents TOML, and skills go to the
/// project's (or the user's) `.agents/skills`, a sibling of `.codex/` outside the output root.
pub(super) const PATHS: TargetPaths = TargetPaths {
    command: MainFile::Skill,
    agent: MainFile::File { dir: "agents", ext: "toml" },
    skills_dir: "../.agents/skills",
    global_file: "AGENTS.md",
    skills_leave_root: true,
};

pub fn render(resource: &Resource) -> Result<Rendered, TargetError> {
    let name = resource.id.name.as_str();
    if resource.id.kind == ResourceKind::Agent {
        // Refused before the schema would leave it out: it would clash with the body.
        if resource.metadata.get("developer_instructions").is_some_and(|v| !v.is_null()) {
            return Err(TargetError::ReservedKey {
                resource: resource.id.to_string(),
                key: "developer_instructions",
                target: Target::Codex,
            });
        }
    }
    let (metadata, mut warnings) = schema::apply(Target::Codex, resource);
    match resource.id.kind {
        ResourceKind::Command | ResourceKind::Skill => {
            let dir = skill_dir_rel(Target::Codex, name);
            let mut files = markdown_with_extras(resource, &dir, &metadata)?;
            let user_only = resource.metadata.get("disable-model-invocation") == Some(&Value::Bool(true));
            let ships_own = resource.extras.iter().any(|e| e.rel == OPENAI_YAML_REL);
            if user_only && !ships_own {
                files.push(OutputFile {
                    rel: format!("{dir}/{OPENAI_YAML_REL}"),
                    content: OutputContent::Text(OPENAI_YAML_NO_IMPLICIT.to_string()),
                });
            }
            if resource.id.kind == ResourceKind::Command {
                for p in placeholders::untranslated(Target::Codex, &resource.body, false) {
                    let detail = "Codex skills have no placeholders; the text is kept as written".to_string();
                    warnings.push(warning(resource, Target::Codex, &p, Action::Untranslated, detail));
                }
            }
            Ok(Rendered { files, warnings })
        }
        ResourceKind::Agent => {
            let rel = super::main_output_rel(Target::Codex, ResourceKind::Agent, name);
            let text = render_agent_toml(&metadata, &resource.body);
            Ok(Rendered { files: vec![OutputFile { rel, content: OutputContent::Text(text) }], warnings })
        }
    }
}

/// `agents/<name>.toml`: the metadata the schema kept (`name` first, TOML-representable keys
/// in order), then `developer_instructions`.
fn render_agent_toml(metadata: &Metadata, body: &str) -> String {
    let mut out = String::new();
    for (k, v) in metadata {
        let Some(k) = k.as_str() else { continue };
        if let Some(v) = toml_text::top_value(v, toml_text::Dialect::Toml10) {
            out.push_str(&format!("{} = {v}\n", toml_text::key(k)));
        }
    }
    out.push_str(&format!("developer_instructions = {}\n", toml_text::multiline(body)));
    out
}

/// Body and description from `agents/<name>.toml`. An agent file of an agb before issue 10
/// has no `description`: it is then read from `config.toml`'s `[agents.<name>]`.
pub fn parse_agent(
    file: &str,
    name: &str,
    text: &str,
    config_toml: Option<&str>,
) -> Result<Parsed, TargetError> {
    let doc = parse_toml(file, text)?;
    let body = doc
        .get("developer_instructions")
        .and_then(|i| i.as_str())
        .ok_or_else(|| TargetError::MissingKey { file: file.to_string(), key: "developer_instructions" })?
        .to_string();
    let description = match (doc.get("description"), config_toml) {
        (Some(item), _) => item.as_str().map(str::to_string),
        (None, Some(config)) => codex_config_descriptions(config)?.shift_remove(name).flatten(),
        (None, None) => None,
    };
    Ok(Parsed { description, body })
}

fn parse_toml(file: &str, text: &str) -> Result<DocumentMut, TargetError> {
    text.parse().map_err(|e: toml_edit::TomlError| {
        let offset = e.span().map_or(0, |s| s.start);
        let (src, span, line) = located(file, text, offset);
        TargetError::InvalidToml { file: file.to_string(), line, message: e.message().to_string(), src, span }
    })
}

/// The user's `config.toml`, with errors that do not suggest `agb build --force` (it would not
/// rewrite this file).
fn parse_config(text: &str) -> Result<DocumentMut, TargetError> {
    text.parse().map_err(|e: toml_edit::TomlError| {
        let offset = e.span().map_or(0, |s| s.start);
        let (src, span, line) = located(CODEX_CONFIG_FILE, text, offset);
        TargetError::CodexConfigSyntax { line, message: e.message().to_string(), src, span }
    })
}

/// Every `[agents.<name>]` table of a Codex `config.toml` and its description (when it is a
/// string). Plain values under `[agents]` (Codex's own settings such as `max_threads`) are not
/// agents and are left out.
pub fn codex_config_descriptions(text: &str) -> Result<IndexMap<String, Option<String>>, TargetError> {
    let doc = parse_config(text)?;
    let mut out = IndexMap::new();
    if let Some(agents) = doc.get("agents").and_then(Item::as_table_like) {
        for (name, item) in agents.iter() {
            if let Some(entry) = item.as_table_like() {
                let description = entry.get("description").and_then(|i| i.as_str()).map(str::to_string);
                out.insert(name.to_string(), description);
            }
        }
    }
    Ok(out)
}

/// Codex `config.toml` without the `[agents.<name>]` tables agb wrote before issue 10 (`owned`,
/// from the manifest), every other byte kept (nothing owned, or nothing of it left, gives
/// `existing` back unchanged). Codex agents are standalone `agents/<name>.toml` files now and
/// need no entry there. Keys the user added to one of agb's tables go with it: the table was
/// agb's, and the build's edit protection (description edits) runs before this.
pub fn remove_agb_codex_agents(existing: &str, owned: &[String]) -> Result<String, TargetError> {
    let mut doc = parse_config(existing)?;
    let mut changed = false;
    if let Some(agents) = doc.get_mut("agents").and_then(Item::as_table_like_mut) {
        for name in owned {
            // Only an agent table is agb's: a plain value of the same name is a Codex setting.
            if agents.get(name).is_some_and(|i| i.as_table_like().is_some()) {
                agents.remove(name);
                changed = true;
            }
        }
    }
    if !changed {
        return Ok(existing.to_string());
    }
    // toml_edit drops a byte-order mark and writes `\n` line ends; give the user's file back
    // its own.
    let mut out = doc.to_string();
    let crlf = existing.contains("\r\n") && !existing.replace("\r\n", "").contains('\n');
    if crlf {
        out = out.replace("\r\n", "\n").replace('\n', "\r\n");
    }
    if existing.starts_with('\u{feff}') && !out.starts_with('\u{feff}') {
        out.insert(0, '\u{feff}');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::targets::test_support::{extra, resource};
    use crate::targets::{parse, render as render_any};

    #[test]
    fn agents_are_standalone_role_files() {
        let meta = "description: Reviews\nmodel: gpt-5\ncolor: blue\ntools: [Read]\n";
        let r = resource(ResourceKind::Agent, "rev", meta, "Be terse.\n");
        let out = render_any(Target::Codex, &r).unwrap();
        assert_eq!(out.files.len(), 1);
        assert_eq!(out.files[0].rel, "agents/rev.toml");
        let expect = "name = 'rev'\ndescription = 'Reviews'\nmodel = 'gpt-5'\ndeveloper_instructions = '''\nBe terse.\n'''\n";
        assert_eq!(out.files[0].content, OutputContent::Text(expect.into()));
        let keys: Vec<&str> = out.warnings.iter().map(|w| w.key.as_str()).collect();
        assert_eq!(keys, ["color", "tools"]);
        let parsed = parse(Target::Codex, ResourceKind::Agent, "rev", expect, None).unwrap();
        assert_eq!(parsed, Parsed { description: Some("Reviews".into()), body: "Be terse.\n".into() });
    }

    #[test]
    fn an_old_agent_file_reads_its_description_from_config_toml() {
        let config = "[agents.rev]\ndescription = 'Reviews'\nconfig_file = 'agents/rev.toml'\n";
        let old = "model = 'gpt-5'\ndeveloper_instructions = '''\nBe terse.\n'''\n";
        let parsed = parse(Target::Codex, ResourceKind::Agent, "rev", old, Some(config)).unwrap();
        assert_eq!(parsed.description.as_deref(), Some("Reviews"));
    }

    #[test]
    fn migration_removes_only_agbs_own_tables() {
        let owned = ["old".to_string(), "gone".to_string()];
        let updated = remove_agb_codex_agents(USER_CONFIG, &owned).unwrap();
        let old_table =
            "# reviewer, managed by agb\n[agents.old]\ndescription = \"Old\"\nconfig_file = \"agents/old.toml\"\n\n";
        assert_eq!(updated, USER_CONFIG.replace(old_table, ""));
        assert_eq!(remove_agb_codex_agents(USER_CONFIG, &[]).unwrap(), USER_CONFIG);
    }

    #[test]
    fn commands_become_skills_and_user_only_ones_get_openai_yaml() {
        let r = resource(ResourceKind::Command, "ship", "disable-model-invocation: true", "Ship it");
        let out = render_any(Target::Codex, &r).unwrap();
        let rels: Vec<&str> = out.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, ["../.agents/skills/ship/SKILL.md", "../.agents/skills/ship/agents/openai.yaml"]);
        assert_eq!(out.files[1].content, OutputContent::Text(OPENAI_YAML_NO_IMPLICIT.into()));
        // A string "true" is not the boolean.
        let r = resource(ResourceKind::Command, "ship", "disable-model-invocation: 'true'", "Ship it");
        assert_eq!(render_any(Target::Codex, &r).unwrap().files.len(), 1);
    }

    #[test]
    fn a_skill_shipping_its_own_openai_yaml_keeps_it() {
        let mut r = resource(ResourceKind::Skill, "sk", "disable-model-invocation: true", "x");
        r.extras = vec![extra("agents/openai.yaml", 10), extra("ref/a.txt", 3)];
        let out = render_any(Target::Codex, &r).unwrap();
        let rels: Vec<&str> = out.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(
            rels,
            [
                "../.agents/skills/sk/SKILL.md",
                "../.agents/skills/sk/agents/openai.yaml",
                "../.agents/skills/sk/ref/a.txt"
            ]
        );
        assert!(matches!(out.files[1].content, OutputContent::Copy { size: 10, .. }));
    }

    const USER_CONFIG: &str = "# my codex settings\nmodel = \"o3\"  # keep\n\n[agents]\nmax_threads = 4\n\n# reviewer, managed by agb\n[agents.old]\ndescription = \"Old\"\nconfig_file = \"agents/old.toml\"\n\n[agents.mine]\ndescription = 'hand written'\nnickname_candidates = [\"m\"]\n\n[profiles.fast]\nmodel = \"gpt-5-mini\"\n";

    #[test]
    fn a_codex_setting_named_like_an_agent_is_not_touched() {
        let text = "[agents]\nmax_threads = 4\n";
        assert_eq!(remove_agb_codex_agents(text, &["max_threads".to_string()]).unwrap(), text);
        assert_eq!(codex_config_descriptions(USER_CONFIG).unwrap().get("max_threads"), None);
    }

    #[test]
    fn removal_keeps_the_shape_the_user_gave_the_file() {
        let res = ["res".to_string()];
        let cases = [
            ("agents = { res = { description = \"x\" }, k = 1 }\n", "agents = { k = 1 }\n"),
            ("agents.res.description = \"x\"\nother = 1\n", "other = 1\n"),
            ("\u{feff}model = 'x'\n\n[agents.res]\ndescription = 'd'\n", "\u{feff}model = 'x'\n"),
            (
                "model = 'x'\r\ns = '''\r\na\r\nb'''\r\n[agents.res]\r\ndescription = 'old'\r\n",
                "model = 'x'\r\ns = '''\r\na\r\nb'''\r\n",
            ),
            ("[agents.\"my.agent\"]\ndescription = 'd'\n", "[agents.\"my.agent\"]\ndescription = 'd'\n"),
        ];
        for (before, after) in cases {
            let updated = remove_agb_codex_agents(before, &res).unwrap();
            assert_eq!(updated, after, "{before:?}");
            assert_eq!(remove_agb_codex_agents(&updated, &res).unwrap(), updated);
        }
        let dotted = "[agents.\"my.agent\"]\ndescription = 'd'\n";
        assert_eq!(remove_agb_codex_agents(dotted, &["my.agent".into()]).unwrap(), "");
        assert!(matches!(
            remove_agb_codex_agents("model = \n", &res),
            Err(TargetError::CodexConfigSyntax { line: 1, .. })
        ));
    }

    #[test]
    fn reserved_developer_instructions_key() {
        let r = resource(ResourceKind::Agent, "a", "developer_instructions: x", "b");
        assert!(matches!(render_any(Target::Codex, &r), Err(TargetError::ReservedKey { .. })));
    }
}
