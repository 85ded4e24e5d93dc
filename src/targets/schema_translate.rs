//! The value translations of the output schemas ([`super::schema::Translation`]): tool names
//! between Claude Code, Gemini CLI and OpenCode, model ids, colours.
//!
//! The tool-name maps are a judgement (the agents' tools differ in detail), written down in
//! `docs/targets.md`; the valid Gemini CLI names are its `ALL_BUILTIN_TOOL_NAMES` (0.61.0).
//!
//! Not here: which key gets which translation (the `*_schema.rs` tables).

use serde_yaml::{Mapping, Value};

use super::schema::{short, ModelRule, Translation};
use crate::names::Target;

/// Claude Code tool name → Gemini CLI built-in tool name.
const CLAUDE_TO_GEMINI: &[(&str, &str)] = &[
    ("Read", "read_file"),
    ("Write", "write_file"),
    ("Edit", "replace"),
    ("MultiEdit", "replace"),
    ("Bash", "run_shell_command"),
    ("Grep", "grep_search"),
    ("Glob", "glob"),
    ("LS", "list_directory"),
    ("WebSearch", "google_web_search"),
    ("WebFetch", "web_fetch"),
    ("TodoWrite", "write_todos"),
    ("Task", "invoke_agent"),
    ("Agent", "invoke_agent"),
    ("Skill", "activate_skill"),
];

/// Gemini CLI 0.61.0 `ALL_BUILTIN_TOOL_NAMES` (plus the legacy alias `search_file_content`).
const GEMINI_BUILTIN: &[&str] = &[
    "glob",
    "write_todos",
    "write_file",
    "google_web_search",
    "web_fetch",
    "replace",
    "run_shell_command",
    "grep_search",
    "search_file_content",
    "read_many_files",
    "read_file",
    "list_directory",
    "activate_skill",
    "ask_user",
    "tracker_create_task",
    "tracker_update_task",
    "tracker_get_task",
    "tracker_list_tasks",
    "tracker_add_dependency",
    "tracker_visualize",
    "get_internal_docs",
    "enter_plan_mode",
    "exit_plan_mode",
    "update_topic",
    "complete_task",
    "invoke_agent",
    "read_mcp_resource",
    "list_mcp_resources",
];

/// Claude Code tool name → OpenCode tool id (OpenCode 1.18.33 permission keys).
const CLAUDE_TO_OPENCODE: &[(&str, &str)] = &[
    ("Read", "read"),
    ("Write", "write"),
    ("Edit", "edit"),
    ("MultiEdit", "edit"),
    ("Bash", "bash"),
    ("Grep", "grep"),
    ("Glob", "glob"),
    ("LS", "list"),
    ("WebSearch", "websearch"),
    ("WebFetch", "webfetch"),
    ("TodoWrite", "todowrite"),
    ("Task", "task"),
    ("Agent", "task"),
    ("Skill", "skill"),
];

/// Claude Code's model aliases: no model id for any other agent.
const CLAUDE_MODEL_ALIASES: &[&str] = &["sonnet", "opus", "haiku", "opusplan", "sonnet[1m]", "default"];

/// OpenCode's named colours (`Agent.Color`, 1.18.33).
const OPENCODE_COLORS: &[&str] = &["primary", "secondary", "accent", "success", "warning", "error", "info"];

/// Claude Code's agent colours, as `#RRGGBB` for OpenCode (a choice: Tailwind's 500 shades).
const CLAUDE_COLORS_HEX: &[(&str, &str)] = &[
    ("red", "#ef4444"),
    ("orange", "#f97316"),
    ("yellow", "#eab308"),
    ("green", "#22c55e"),
    ("aqua", "#06b6d4"),
    ("cyan", "#06b6d4"),
    ("blue", "#3b82f6"),
    ("violet", "#8b5cf6"),
    ("purple", "#a855f7"),
    ("magenta", "#d946ef"),
    ("pink", "#ec4899"),
];

/// Translate `v`; `Ok((value, Some(note)))` when the value changed (one warning), `Err(why)`
/// when nothing of it can be written (the key is dropped with that warning).
pub fn translate(t: Translation, target: Target, v: &Value) -> Result<(Value, Option<String>), String> {
    match t {
        Translation::GeminiTools => gemini_tools(v),
        Translation::ClaudeTools => Ok(claude_tools(v)),
        Translation::OpencodeTools => opencode_tools(v),
        Translation::Model(rule) => model(rule, target, v).map(|v| (v, None)),
        Translation::OpencodeColor => opencode_color(v),
    }
}

/// A tool list as names: a YAML list of strings, or Claude Code's comma-separated string.
fn tool_names(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::String(s) => {
            Some(s.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect())
        }
        Value::Sequence(items) => items.iter().map(|i| i.as_str().map(str::to_string)).collect(),
        _ => None,
    }
}

/// `Bash(git status:*)` → `Bash` (the agents other than Claude Code have no such patterns).
fn base_name(tool: &str) -> &str {
    tool.split_once('(').map_or(tool, |(base, _)| base).trim()
}

fn is_gemini_tool(name: &str) -> bool {
    let mcp_part =
        |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "_.:-".contains(c));
    name == "*"
        || GEMINI_BUILTIN.contains(&name)
        || name.strip_prefix("mcp_").is_some_and(|rest| rest == "*" || mcp_part(rest.trim_end_matches('*')))
        || name.starts_with("discovered_tool_")
}

fn lookup<'a>(map: &'a [(&str, &'a str)], key: &str) -> Option<&'a str> {
    map.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// Summary of a list translation for the warning.
fn note(changed: &[String], dropped: &[String]) -> Option<String> {
    let mut parts = Vec::new();
    if !changed.is_empty() {
        parts.push(changed.join(", "));
    }
    if !dropped.is_empty() {
        parts.push(format!("no equivalent, left out: {}", dropped.join(", ")));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn gemini_tools(v: &Value) -> Result<(Value, Option<String>), String> {
    let names = tool_names(v).ok_or_else(|| format!("{} is not a list of tool names", short(v)))?;
    let (mut out, mut changed, mut dropped) = (Vec::<String>::new(), Vec::new(), Vec::new());
    for tool in &names {
        let base = base_name(tool);
        let mapped = if let Some(rest) = tool.strip_prefix("mcp__") {
            // Claude Code's `mcp__server__tool` is Gemini CLI's `mcp_server_tool`.
            Some(format!("mcp_{}", rest.replacen("__", "_", 1))).filter(|m| is_gemini_tool(m))
        } else if is_gemini_tool(tool) {
            Some(tool.clone())
        } else {
            lookup(CLAUDE_TO_GEMINI, base).map(str::to_string)
        };
        match mapped {
            Some(m) => {
                if m != *tool {
                    changed.push(format!("{tool} → {m}"));
                }
                if !out.contains(&m) {
                    out.push(m);
                }
            }
            None => dropped.push(tool.clone()),
        }
    }
    if out.is_empty() && !names.is_empty() {
        return Err(format!("no Gemini CLI tool matches {}", names.join(", ")));
    }
    let was_list_of_same = matches!(v, Value::Sequence(_)) && changed.is_empty() && dropped.is_empty();
    let note =
        if was_list_of_same { None } else { note(&changed, &dropped).or(Some("written as a list".into())) };
    Ok((Value::Sequence(out.into_iter().map(Value::String).collect()), note))
}

/// Gemini CLI names in a list become Claude Code's; everything else is Claude's own syntax.
fn claude_tools(v: &Value) -> (Value, Option<String>) {
    let Value::Sequence(items) = v else { return (v.clone(), None) };
    let mut changed = Vec::new();
    let out = items
        .iter()
        .map(|item| {
            let Some(s) = item.as_str() else { return item.clone() };
            match CLAUDE_TO_GEMINI.iter().find(|(_, g)| *g == s) {
                Some((claude, _)) => {
                    changed.push(format!("{s} → {claude}"));
                    Value::String((*claude).to_string())
                }
                None => item.clone(),
            }
        })
        .collect();
    (Value::Sequence(out), note(&changed, &[]))
}

fn opencode_tools(v: &Value) -> Result<(Value, Option<String>), String> {
    if let Value::Mapping(m) = v {
        if m.iter().all(|(k, v)| k.is_string() && v.is_bool()) {
            return Ok((v.clone(), None));
        }
        return Err("OpenCode's `tools` is a map of tool → true/false".into());
    }
    let names = tool_names(v).ok_or_else(|| format!("{} is not a list of tool names", short(v)))?;
    let (mut out, mut changed, mut dropped) = (Mapping::new(), Vec::new(), Vec::new());
    for tool in &names {
        let base = base_name(tool);
        let claude = CLAUDE_TO_GEMINI.iter().find(|(_, g)| *g == base).map_or(base, |(c, _)| *c);
        let opencode_own = CLAUDE_TO_OPENCODE.iter().any(|(_, o)| *o == base);
        match lookup(CLAUDE_TO_OPENCODE, claude).or(opencode_own.then_some(base)) {
            Some(id) => {
                changed.push(format!("{tool} → {id}: true"));
                out.insert(id.into(), Value::Bool(true));
            }
            None => dropped.push(tool.clone()),
        }
    }
    if out.is_empty() && !names.is_empty() {
        return Err(format!("no OpenCode tool matches {}", names.join(", ")));
    }
    let mut detail = note(&changed, &dropped).unwrap_or_default();
    detail.push_str(" (OpenCode enables the other tools too; use `permission` in the opencode sidecar section to deny them)");
    Ok((Value::Mapping(out), Some(detail)))
}

fn model(rule: ModelRule, target: Target, v: &Value) -> Result<Value, String> {
    let Some(id) = v.as_str() else { return Err(format!("{} is not a model id", short(v))) };
    let alias = CLAUDE_MODEL_ALIASES.contains(&id);
    let ok = match rule {
        ModelRule::NoAliasesButInherit => !alias,
        ModelRule::NoAliases => !alias && id != "inherit",
        ModelRule::ProviderSlashId => id.split_once('/').is_some_and(|(p, m)| !p.is_empty() && !m.is_empty()),
    };
    if ok {
        Ok(v.clone())
    } else {
        Err(format!(
            "{id:?} is not a model id for {target}{}; map it for {target} in overrides.yaml or the sidecar",
            if rule == ModelRule::ProviderSlashId { " (`provider/model-id`)" } else { "" }
        ))
    }
}

fn opencode_color(v: &Value) -> Result<(Value, Option<String>), String> {
    let Some(c) = v.as_str() else { return Err(format!("{} is not a colour", short(v))) };
    let hex = c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|ch| ch.is_ascii_hexdigit());
    if hex || OPENCODE_COLORS.contains(&c) {
        return Ok((v.clone(), None));
    }
    match lookup(CLAUDE_COLORS_HEX, c) {
        Some(hex) => Ok((Value::String(hex.into()), Some(format!("{c} → {hex}")))),
        None => Err(format!(
            "{c:?} is neither `#RRGGBB` nor one of {} (OpenCode refuses its whole configuration for it)",
            OPENCODE_COLORS.join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(items: &[&str]) -> Value {
        Value::Sequence(items.iter().map(|s| Value::String(s.to_string())).collect())
    }

    #[test]
    fn claude_tools_become_gemini_tools_and_unknown_ones_are_left_out() {
        let (v, note) = gemini_tools(&list(&["Read", "Grep", "Bash(git:*)", "Nope", "read_file"])).unwrap();
        assert_eq!(v, list(&["read_file", "grep_search", "run_shell_command"]));
        assert!(note.unwrap().contains("left out: Nope"));
        assert_eq!(
            gemini_tools(&list(&["glob", "mcp_docs_search"])).unwrap(),
            (list(&["glob", "mcp_docs_search"]), None)
        );
        assert_eq!(gemini_tools(&"Read, WebFetch".into()).unwrap().0, list(&["read_file", "web_fetch"]));
        assert_eq!(gemini_tools(&list(&["mcp__docs__search"])).unwrap().0, list(&["mcp_docs_search"]));
        assert!(gemini_tools(&list(&["Nope"])).is_err());
    }

    #[test]
    fn opencode_tools_are_a_map_of_booleans() {
        let (v, _) = opencode_tools(&list(&["Read", "web_fetch", "bash"])).unwrap();
        let expect: Value = serde_yaml::from_str("{read: true, webfetch: true, bash: true}").unwrap();
        assert_eq!(v, expect);
        let map: Value = serde_yaml::from_str("{write: false}").unwrap();
        assert_eq!(opencode_tools(&map).unwrap(), (map, None));
        assert!(opencode_tools(&serde_yaml::from_str("{write: 1}").unwrap()).is_err());
    }

    #[test]
    fn models_and_colours() {
        let m = |rule, s: &str| model(rule, Target::GeminiCli, &s.into()).is_ok();
        assert!(!m(ModelRule::NoAliasesButInherit, "sonnet"));
        assert!(m(ModelRule::NoAliasesButInherit, "inherit"));
        assert!(!m(ModelRule::NoAliases, "inherit"));
        assert!(m(ModelRule::NoAliases, "gpt-5-codex"));
        assert!(!m(ModelRule::ProviderSlashId, "claude-sonnet-4"));
        assert!(m(ModelRule::ProviderSlashId, "anthropic/claude-sonnet-4"));
        assert_eq!(opencode_color(&"blue".into()).unwrap().0, Value::from("#3b82f6"));
        assert_eq!(opencode_color(&"#00FF00".into()).unwrap(), ("#00FF00".into(), None));
        assert!(opencode_color(&"chartreuse".into()).is_err());
    }
}
