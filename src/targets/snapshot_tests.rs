//! Snapshot tests (insta) pinning each target's exact output for one representative resource
//! of each kind. Snapshots live in `src/targets/snapshots/`; `INSTA_UPDATE=no` must pass.

use super::test_support::{extra, resource};
use super::*;

const COMMAND_META: &str = "description: Search the web for a topic\nargument-hint: <query>\nmodel: sonnet\nallowed-tools: [WebSearch, WebFetch]\n";
const COMMAND_BODY: &str = "Search the web for: $ARGUMENTS\n\nSummarise the top three results, with links.\n";
const AGENT_META: &str = "description: 'Researches a topic in depth: sources, facts, open questions'\nmodel: sonnet\ntemperature: 0.2\n";
const AGENT_BODY: &str =
    "You are a careful researcher.\n\n- Cite every claim.\n- Say \"I don't know\" when unsure.\n";
const SKILL_META: &str = "description: Python style and tooling expert\ndisable-model-invocation: true\n";
const SKILL_BODY: &str = "# Python expert\n\nRun `scripts/lint.sh` before answering; see `ref/style.md`.\n";

/// Every file of a rendering as one text: paths, then contents (copies by source path).
fn listing(rendered: &Rendered) -> String {
    let mut out = String::new();
    for file in &rendered.files {
        out.push_str(&format!("=== {}\n", file.rel));
        match &file.content {
            OutputContent::Text(t) => out.push_str(t),
            OutputContent::Copy { from, size } => {
                out.push_str(&format!("(copy of {}, {size} bytes)\n", from.display()))
            }
        }
        if !out.ends_with('\n') {
            out.push_str("\n(no final newline)\n");
        }
    }
    if !rendered.warnings.is_empty() {
        out.push_str("=== warnings\n");
        for w in &rendered.warnings {
            out.push_str(&format!("{w}\n"));
        }
    }
    out
}

fn render_all(target: Target) -> [String; 3] {
    let command = resource(ResourceKind::Command, "web_search", COMMAND_META, COMMAND_BODY);
    let agent = resource(ResourceKind::Agent, "researcher", AGENT_META, AGENT_BODY);
    let mut skill = resource(ResourceKind::Skill, "python_expert", SKILL_META, SKILL_BODY);
    skill.extras = vec![extra("ref/style.md", 1200), extra("scripts/lint.sh", 87)];
    [command, agent, skill].map(|r| listing(&render(target, &r).expect("representative resources render")))
}

#[test]
fn gemini_cli_outputs() {
    let [command, agent, skill] = render_all(Target::GeminiCli);
    insta::assert_snapshot!("gemini_command", command);
    insta::assert_snapshot!("gemini_agent", agent);
    insta::assert_snapshot!("gemini_skill", skill);
}

#[test]
fn copilot_outputs() {
    let [command, agent, skill] = render_all(Target::Copilot);
    insta::assert_snapshot!("copilot_command", command);
    insta::assert_snapshot!("copilot_agent", agent);
    insta::assert_snapshot!("copilot_skill", skill);
}

#[test]
fn claude_code_outputs() {
    let [command, agent, skill] = render_all(Target::ClaudeCode);
    insta::assert_snapshot!("claude_command", command);
    insta::assert_snapshot!("claude_agent", agent);
    insta::assert_snapshot!("claude_skill", skill);
}

#[test]
fn opencode_outputs() {
    let [command, agent, skill] = render_all(Target::Opencode);
    insta::assert_snapshot!("opencode_command", command);
    insta::assert_snapshot!("opencode_agent", agent);
    insta::assert_snapshot!("opencode_skill", skill);
}

#[test]
fn codex_outputs() {
    let [command, agent, skill] = render_all(Target::Codex);
    insta::assert_snapshot!("codex_command", command);
    insta::assert_snapshot!("codex_agent", agent);
    insta::assert_snapshot!("codex_skill", skill);
}

#[test]
fn codex_config_toml_edit() {
    let user = "# Codex settings (hand-written)\nmodel = \"gpt-5\"\napproval_policy = \"on-request\"  # keep me\n\n[agents]\nmax_threads = 4\n\n[agents.old_helper]\ndescription = \"No longer selected\"\nconfig_file = \"agents/old_helper.toml\"\n\n[mcp_servers.docs]\ncommand = \"docs-server\"\nargs = [\"--port\", \"0\"]\n";
    // Issue 10: agents are standalone files; a build migrates agb's old tables out.
    let updated = remove_agb_codex_agents(user, &["old_helper".to_string()]).unwrap();
    insta::assert_snapshot!("codex_config_toml", updated);
}

#[test]
fn gemini_verbatim_command() {
    let r = resource(
        ResourceKind::Command,
        "raw",
        "description: Uses Gemini's own placeholder\n",
        "Explain {{args}}\n",
    );
    insta::assert_snapshot!("gemini_command_verbatim", listing(&render(Target::GeminiCli, &r).unwrap()));
}
