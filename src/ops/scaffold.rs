//! The starter texts agb writes into a source repository: a whole starter source (`agb init
//! --new-source`) and one new resource (`agb new`). Pure: each function returns the files as
//! (path relative to the source root, content); the callers write them.
//!
//! Every text here builds for every target without a warning: agents and skills carry the
//! `name` and `description` the strictest target schemas require, and names are lowercase
//! words joined by `-` (the rule all four agents accept).
//!
//! Not here: writing files and refusing to overwrite (`ops::init`, `ops::new`).

use crate::names::ResourceKind;

/// The plugin of a starter source.
pub const STARTER_PLUGIN: &str = "starter";

/// A file to write: path relative to the source root (with `/`), content.
pub type ScaffoldFile = (String, String);

/// The files of a starter source: one plugin with a command, an agent (with a sidecar) and a
/// skill, a `requirements.yaml`, an `overrides.yaml` and a README describing the layout.
pub fn starter_source() -> Vec<ScaffoldFile> {
    let p = STARTER_PLUGIN;
    let mut files = vec![
        ("README.md".to_string(), SOURCE_README.to_string()),
        ("overrides.yaml".to_string(), OVERRIDES.to_string()),
        (format!("plugins/{p}/requirements.yaml"), REQUIREMENTS.to_string()),
        (format!("plugins/{p}/agents/reviewer.yaml"), AGENT_SIDECAR.to_string()),
    ];
    for (kind, name, description, body) in STARTER_RESOURCES {
        let (path, mut text) = resource_file(p, kind, name, description, body);
        if kind == ResourceKind::Agent {
            // `model: sonnet` shows overrides.yaml at work: each target gets its own model.
            text = text.replacen("\n---\n", "\nmodel: sonnet\n---\n", 1);
        }
        files.push((path, text));
    }
    files
}

/// The resources of [`starter_source`], as `plugin:name` per kind (what `init` selects).
pub fn starter_selection() -> Vec<(ResourceKind, String)> {
    STARTER_RESOURCES.iter().map(|(kind, name, ..)| (*kind, format!("{STARTER_PLUGIN}:{name}"))).collect()
}

/// The main file of a new resource `plugin:name` of `kind`: path relative to the source root,
/// content. `name` must already be a valid name.
pub fn new_resource(kind: ResourceKind, plugin: &str, name: &str) -> ScaffoldFile {
    let (description, body) = match kind {
        ResourceKind::Command => (
            "TODO: one line saying what this command does",
            "TODO: the prompt the agent follows when the command is run.\n",
        ),
        ResourceKind::Agent => (
            "TODO: when to use this agent (the agent reads this to decide)",
            "You are TODO: the agent's role and how it works.\n",
        ),
        ResourceKind::Skill => (
            "TODO: what this skill is for and when to use it",
            "# TODO: title\n\nTODO: the instructions. Files beside SKILL.md are copied with it.\n",
        ),
    };
    resource_file(plugin, kind, name, description, body)
}

/// Path and text of a resource's main file.
fn resource_file(
    plugin: &str,
    kind: ResourceKind,
    name: &str,
    description: &str,
    body: &str,
) -> ScaffoldFile {
    use crate::text::yaml_scalar::serde_scalar as yaml;
    let dir = kind.dir();
    match kind {
        ResourceKind::Command => (
            format!("plugins/{plugin}/{dir}/{name}.md"),
            format!("---\ndescription: {}\n---\n{body}", yaml(description)),
        ),
        ResourceKind::Agent => (
            format!("plugins/{plugin}/{dir}/{name}.md"),
            format!("---\nname: {}\ndescription: {}\n---\n{body}", yaml(name), yaml(description)),
        ),
        ResourceKind::Skill => (
            format!("plugins/{plugin}/{dir}/{name}/SKILL.md"),
            format!("---\nname: {}\ndescription: {}\n---\n{body}", yaml(name), yaml(description)),
        ),
    }
}

/// (kind, name, description, body) of the starter plugin's resources.
const STARTER_RESOURCES: [(ResourceKind, &str, &str, &str); 3] = [
    (
        ResourceKind::Command,
        "hello",
        "Say hello and summarise this project in three bullet points",
        "Say hello, then summarise this project in three bullet points:\nwhat it is for, how it is built, and where to start reading.\n",
    ),
    (
        ResourceKind::Agent,
        "reviewer",
        "Reviews a change for correctness and clarity; use it before committing",
        "You are a careful code reviewer.\n\n- Read the diff and the code around it.\n- Report bugs first, then unclear names and missing tests.\n- Use the release-notes skill to summarise what changed.\n",
    ),
    (
        ResourceKind::Skill,
        "release-notes",
        "Writes release notes from the commits since the last tag",
        "# Release notes\n\n1. List the commits since the last tag (`git log $(git describe --tags --abbrev=0)..HEAD`).\n2. Group them: features, fixes, other.\n3. Write one line per change, in the user's words, not the commit's.\n",
    ),
];

const SOURCE_README: &str = "\
# Agent resources

This repository is an agb source: `agb build` renders it for Gemini CLI, Claude Code, OpenCode
and Codex; `agb sync` carries edits made in a project back here.

    plugins/<plugin>/commands/<name>.md        a command (frontmatter + prompt)
    plugins/<plugin>/commands/<name>.yaml      optional sidecar: per-target keys
    plugins/<plugin>/agents/<name>.md          an agent (needs name and description)
    plugins/<plugin>/skills/<name>/SKILL.md    a skill; files beside it are copied with it
    plugins/<plugin>/requirements.yaml         what a resource needs built with it
    overrides.yaml                             per-target replacements of metadata values
    AGENTS.md                                  optional global instructions

Add a resource with `agb new command|agent|skill <plugin>:<name>`, list it in agb.yaml under
`resources:`, and run `agb build`.
";

const OVERRIDES: &str = "\
# Per-target replacements of metadata values:
#   field: { original value: { target: replacement } }
model:
  sonnet:
    gemini-cli: gemini-2.5-pro
    opencode: anthropic/claude-sonnet-4
    codex: gpt-5-codex
";

const REQUIREMENTS: &str = "\
# What a resource needs built with it: selecting starter:reviewer without the skill is an error.
agents:
  reviewer:
    skills: [starter:release-notes]
";

const AGENT_SIDECAR: &str = "\
# Sidecar: one section per target; its keys win over the frontmatter for that target only.
claude-code:
  color: blue
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starter_names_are_valid_and_selection_matches_files() {
        let files = starter_source();
        for (kind, id) in starter_selection() {
            let name = id.split(':').nth(1).unwrap();
            assert!(name.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{name}");
            let (path, _) = new_resource(kind, STARTER_PLUGIN, name);
            assert!(files.iter().any(|(p, _)| *p == path), "{path}");
        }
    }

    #[test]
    fn new_agent_has_name_and_description() {
        let (path, text) = new_resource(ResourceKind::Agent, "p", "a-b");
        assert_eq!(path, "plugins/p/agents/a-b.md");
        assert!(text.starts_with("---\nname: a-b\ndescription: "), "{text}");
        let (path, _) = new_resource(ResourceKind::Skill, "p", "s");
        assert_eq!(path, "plugins/p/skills/s/SKILL.md");
    }
}
