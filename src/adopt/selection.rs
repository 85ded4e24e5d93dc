//! Adding `plugin:name` entries to agb.yaml's `resources:` (pure text edit), so that the next
//! build selects what `agb adopt` put into the source. The file is edited as text, not
//! re-serialized: the user's comments, order and quoting stay. Only what a line edit can do
//! safely is edited: `resources:` at column 0 with `<kind>:` keys below it, each a block list
//! (`- entry` lines) or a one-line flow list (`[a, b]`); anything else (a flow mapping
//! `resources: {…}`, a list spread over lines in flow style) is refused (`None`).
//!
//! Not here: deciding which entries are missing, checking the result (the caller re-parses it
//! with `Config::parse`).

use crate::names::ResourceKind;

/// `text` with `entry` appended to the `<kind>:` list of `resources:` (both created when
/// missing), or `None` when the section is not in block style.
pub fn add_entry(text: &str, kind: ResourceKind, entry: &str) -> Option<String> {
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let kind_key = kind.dir();
    let Some(r) = lines.iter().position(|l| key_of(l) == Some((0, "resources"))) else {
        let mut out = text.to_string();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(nl);
        }
        out.push_str(&format!("resources:{nl}  {kind_key}:{nl}    - {entry}{nl}"));
        return Some(out);
    };
    let mut lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let value = value_after_colon(&lines[r])?;
    if !is_empty_value(value) {
        return None;
    }
    if !value.is_empty() && !value.starts_with('#') {
        lines[r] = format!("resources:{nl}");
    }
    // The block of `resources:`: up to the next line at column 0 that is not blank or a comment.
    let end = (r + 1..lines.len())
        .find(|&i| is_content(&lines[i]) && indent(&lines[i]) == 0)
        .unwrap_or(lines.len());
    let child_indent = (r + 1..end).find(|&i| is_content(&lines[i])).map_or(2, |i| indent(&lines[i]));
    let Some(k) = (r + 1..end).find(|&i| key_of(&lines[i]) == Some((child_indent, kind_key))) else {
        let pad = " ".repeat(child_indent);
        lines.insert(r + 1, format!("{pad}{kind_key}:{nl}{pad}  - {entry}{nl}"));
        return Some(lines.concat());
    };
    let value = value_after_colon(&lines[k])?;
    if let Some(line) = append_to_flow_list(&lines[k], entry) {
        lines[k] = line;
        return Some(lines.concat());
    }
    if !is_empty_value(value) {
        return None;
    }
    if !value.is_empty() && !value.starts_with('#') {
        lines[k] = format!("{}{kind_key}:{nl}", " ".repeat(child_indent));
    }
    // The list items: `- ` lines at the key's column or deeper, and their continuation lines.
    let mut last = k;
    let mut item_indent = None;
    for (i, line) in lines.iter().enumerate().take(end).skip(k + 1) {
        if !is_content(line) {
            continue;
        }
        let col = indent(line);
        let is_item = line.trim_start().starts_with("- ") || line.trim() == "-";
        if col > child_indent || (col == child_indent && is_item) {
            if is_item && item_indent.is_none() {
                item_indent = Some(col);
            }
            last = i;
        } else {
            break;
        }
    }
    let pad = " ".repeat(item_indent.unwrap_or(child_indent + 2));
    lines.insert(last + 1, format!("{pad}- {entry}{nl}"));
    if !lines[last].ends_with('\n') {
        lines[last].push_str(nl);
    }
    Some(lines.concat())
}

/// `key: [a, b]` (on one line, maybe with a comment after) with `entry` added to the list.
fn append_to_flow_list(line: &str, entry: &str) -> Option<String> {
    let (key, value) = line.split_once(':')?;
    let value = value.split(" #").next().unwrap_or(value).trim();
    let inner = value.strip_prefix('[')?.strip_suffix(']')?;
    if inner.contains(['[', ']', '{', '#']) {
        return None;
    }
    let close = key.len() + 1 + line[key.len() + 1..].find(']')?;
    let sep = if inner.trim().is_empty() { "" } else { ", " };
    Some(format!("{}{sep}{entry}{}", &line[..close], &line[close..]))
}

/// `(column, key)` when `line` is `key:` (plain key, followed by `:` and space or the end).
fn key_of(line: &str) -> Option<(usize, &str)> {
    let trimmed = line.trim_start_matches(' ');
    let (key, rest) = trimmed.split_once(':')?;
    let key = key.trim_end();
    let plain = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    (plain && (rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))).then_some((indent(line), key))
}

/// What follows `key:` on its line, trimmed.
fn value_after_colon(line: &str) -> Option<&str> {
    line.split_once(':').map(|(_, v)| v.trim())
}

/// A value that means "nothing here yet": empty, a comment, `[]`, `{}`, `~`, `null`.
fn is_empty_value(v: &str) -> bool {
    let v = v.split(" #").next().unwrap_or(v).trim();
    v.is_empty() || v.starts_with('#') || matches!(v, "[]" | "{}" | "~" | "null")
}

fn is_content(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ResourceKind::*;

    #[test]
    fn appends_to_an_existing_list_keeping_comments() {
        let text = "source: ../src # mine\ntarget: claude-code\nresources:\n  commands:\n    - p:a # first\n  agents:\n    - p:b\nexclude: []\n";
        assert_eq!(
            add_entry(text, Command, "q:c").unwrap(),
            "source: ../src # mine\ntarget: claude-code\nresources:\n  commands:\n    - p:a # first\n    - q:c\n  agents:\n    - p:b\nexclude: []\n"
        );
    }

    #[test]
    fn creates_the_kind_and_the_section_when_missing() {
        let text = "source: s\ntarget: codex\nresources:\n  agents:\n  - p:b\n";
        assert_eq!(
            add_entry(text, Agent, "q:c").unwrap(),
            "source: s\ntarget: codex\nresources:\n  agents:\n  - p:b\n  - q:c\n"
        );
        assert_eq!(
            add_entry(text, Skill, "q:s").unwrap(),
            "source: s\ntarget: codex\nresources:\n  skills:\n    - q:s\n  agents:\n  - p:b\n"
        );
        assert_eq!(
            add_entry("source: s\ntarget: codex", Skill, "q:s").unwrap(),
            "source: s\ntarget: codex\nresources:\n  skills:\n    - q:s\n"
        );
    }

    #[test]
    fn a_one_line_flow_list_gets_the_entry_appended() {
        assert_eq!(
            add_entry("resources:\n  commands: [p:a, p:b] # mine\n  agents: []\n", Command, "q:c").unwrap(),
            "resources:\n  commands: [p:a, p:b, q:c] # mine\n  agents: []\n"
        );
        assert_eq!(
            add_entry("resources:\n  commands: []\n  agents: []\n", Agent, "q:c").unwrap(),
            "resources:\n  commands: []\n  agents: [q:c]\n"
        );
    }

    #[test]
    fn flow_style_is_refused_not_rewritten() {
        assert_eq!(add_entry("resources: {commands: [p:a]}\n", Command, "q:c"), None);
        assert_eq!(add_entry("resources:\n  commands: [p:a, {x: y}]\n", Command, "q:c"), None);
    }
}
