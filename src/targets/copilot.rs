//! GitHub Copilot (the Copilot CLI; issue 12). The output root is the project's `.github/`
//! (or the user's `~/.copilot/`, `$COPILOT_HOME`).
//!
//! - Agents: `agents/<name>.agent.md`, Markdown with frontmatter (the CLI also loads a plain
//!   `<name>.md`; `.agent.md` is the documented name and what VS Code looks for).
//! - Skills: `skills/<name>/SKILL.md` plus the skill's extras, with `name` added when the
//!   metadata has none.
//! - Commands: the CLI loads no prompt files (`.github/prompts/*.prompt.md` is VS Code's); it
//!   offers every skill as `/name`, so a command is written as a skill, as for Codex. A command
//!   and a skill of the same name would be the same `skills/<name>/SKILL.md`: the build refuses
//!   that (`agb::outputs::output_collision`) rather than letting Copilot drop one silently.
//!   Body placeholders mean nothing to a skill: kept, warned about.
//! - Global instructions: `copilot-instructions.md` in the output root (`.github/` in a
//!   project, `~/.copilot/` for the user), never `AGENTS.md`, so no other target's file is
//!   shared (targets::global).
//!
//! The keys each kind takes are in [`super::copilot_schema`].
//!
//! Not here: the judge that asks the real CLI what it loaded (`tests/agents/probe_copilot.sh`).

use super::schema::{self, warning, Action};
use super::{placeholders, render_markdown_resource, MainFile, Rendered, TargetError, TargetPaths};
use crate::names::{ResourceKind, Target};
use crate::source::Resource;

/// Copilot's places: agents `agents/<name>.agent.md`, commands and skills
/// `skills/<name>/SKILL.md`, global `copilot-instructions.md`.
pub(super) const PATHS: TargetPaths = TargetPaths {
    command: MainFile::Skill,
    agent: MainFile::File { dir: "agents", ext: "agent.md" },
    skills_dir: "skills",
    global_file: "copilot-instructions.md",
    skills_leave_root: false,
};

pub fn render(resource: &Resource) -> Result<Rendered, TargetError> {
    let (metadata, mut warnings) = schema::apply(Target::Copilot, resource);
    let rendered = render_markdown_resource(Target::Copilot, resource, &metadata)?;
    if resource.id.kind == ResourceKind::Command {
        for p in placeholders::untranslated(Target::Copilot, &resource.body, false) {
            let detail = "Copilot skills have no placeholders; the text is kept as written".to_string();
            warnings.push(warning(resource, Target::Copilot, &p, Action::Untranslated, detail));
        }
    }
    Ok(Rendered { warnings, ..rendered })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::targets::test_support::{extra, resource};
    use crate::targets::{parse, render as render_any, OutputContent, Parsed};

    fn text(out: &Rendered) -> &str {
        match &out.files[0].content {
            OutputContent::Text(t) => t,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn agents_are_agent_md_files_and_keep_unknown_keys() {
        let meta = "description: Reviews\ntools: [read, edit]\ncolor: blue\nmcpServers: {a: {command: x}}\n";
        let r = resource(ResourceKind::Agent, "rev", meta, "Be terse.\n");
        let out = render_any(Target::Copilot, &r).unwrap();
        assert_eq!(out.files.len(), 1);
        assert_eq!(out.files[0].rel, "agents/rev.agent.md");
        assert_eq!(
            text(&out),
            "---\ndescription: Reviews\ntools:\n- read\n- edit\ncolor: blue\nmcp-servers:\n  a:\n    command: x\n---\nBe terse.\n"
        );
        let keys: Vec<&str> = out.warnings.iter().map(|w| w.key.as_str()).collect();
        assert_eq!(keys, ["mcpServers"]);
        let parsed = parse(Target::Copilot, ResourceKind::Agent, "rev", text(&out), None).unwrap();
        assert_eq!(parsed, Parsed { description: Some("Reviews".into()), body: "Be terse.\n".into() });
    }

    #[test]
    fn wrong_typed_known_keys_are_left_out() {
        // Each of these makes the CLI reject the whole agent.
        let meta = "description: d\ntools: 42\nmodel: 1\ninfer: 'yes'\nuser-invocable: 1\nskills: x\n";
        let r = resource(ResourceKind::Agent, "a", meta, "b");
        let out = render_any(Target::Copilot, &r).unwrap();
        assert_eq!(text(&out), "---\ndescription: d\n---\nb");
        assert_eq!(out.warnings.len(), 5);
        // A comma-separated `tools` string is what the CLI splits itself: kept.
        let r = resource(ResourceKind::Agent, "a", "description: d\ntools: read, edit", "b");
        assert_eq!(
            text(&render_any(Target::Copilot, &r).unwrap()),
            "---\ndescription: d\ntools: read, edit\n---\nb"
        );
    }

    #[test]
    fn commands_become_skills_with_a_name() {
        let r = resource(ResourceKind::Command, "ship", "description: Ship it", "Ship $ARGUMENTS");
        let out = render_any(Target::Copilot, &r).unwrap();
        assert_eq!(out.files.len(), 1);
        assert_eq!(out.files[0].rel, "skills/ship/SKILL.md");
        assert_eq!(text(&out), "---\nname: ship\ndescription: Ship it\n---\nShip $ARGUMENTS");
        let keys: Vec<&str> = out.warnings.iter().map(|w| w.key.as_str()).collect();
        assert_eq!(keys, ["$ARGUMENTS"]);
    }

    #[test]
    fn check_follows_the_cli_rules() {
        use crate::targets::check;
        let errors = |kind, meta: &str| -> Vec<String> {
            let r = resource(kind, "sk", meta, "b");
            check(Target::Copilot, &r).iter().map(|e| format!("{e:?}")).collect()
        };
        // Skills: a description is optional, but at most 1,024 characters when there is one.
        assert!(errors(ResourceKind::Skill, "").is_empty());
        assert!(errors(ResourceKind::Command, "name: 'a.b:c_d e'").is_empty());
        let long = format!("description: {}", "x".repeat(1025));
        assert!(errors(ResourceKind::Skill, &long)[0].starts_with("DescriptionTooLong"));
        assert!(errors(ResourceKind::Skill, &format!("description: {}", "x".repeat(1024))).is_empty());
        for bad in ["'bad name!'", "-lead", "'é'", &"n".repeat(65)] {
            let e = errors(ResourceKind::Skill, &format!("description: d\nname: {bad}"));
            assert!(e.len() == 1 && e[0].starts_with("InvalidName"), "{bad}: {e:?}");
        }
        // Agents: a description is required; any `name` is a display name.
        assert!(errors(ResourceKind::Agent, "name: Any Name")[0].starts_with("MissingDescription"));
        assert!(errors(ResourceKind::Agent, "description: d\nname: Any Name!").is_empty());
    }

    #[test]
    fn skills_carry_their_extras() {
        let mut r = resource(ResourceKind::Skill, "sk", "description: d", "x");
        r.extras = vec![extra("ref/a.txt", 3)];
        let out = render_any(Target::Copilot, &r).unwrap();
        let rels: Vec<&str> = out.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, ["skills/sk/SKILL.md", "skills/sk/ref/a.txt"]);
    }
}
