//! How a string is written as a YAML scalar: whether a plain scalar reads back as the same
//! string, and the single- and double-quoted forms that hold it otherwise.
//!
//! Kept apart so that it can be shared with the Markdown target's frontmatter writer.
//!
//! Not here: block scalars and the choice of style for an entry (`edit`).

use serde_yaml::Value;

/// Characters a YAML stream may hold unescaped, minus the ones libyaml reads as line breaks or
/// byte-order marks (NEL, LS, PS, BOM).
pub(super) fn block_printable(c: char) -> bool {
    matches!(c, '\t' | ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

pub(super) fn single_quotable(v: &str) -> bool {
    v.chars().all(|c| c != '\t' && block_printable(c))
}

/// Whether `v` must be quoted to be read back as exactly this string (conservative: quoting a
/// value that did not need it is harmless, the reverse is not).
pub(super) fn needs_quotes(v: &str) -> bool {
    let Some(first) = v.chars().next() else { return true };
    if v.starts_with([' ', '\t']) || v.ends_with([' ', '\t']) {
        return true;
    }
    if !v.chars().all(|c| c != '\t' && block_printable(c)) {
        return true;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return true;
    }
    if v.contains(": ") || v.contains(" #") || v.ends_with(':') {
        return true;
    }
    if looks_like_non_string(v) {
        return true;
    }
    // Last resort: ask the parser what a plain scalar would be.
    !matches!(serde_yaml::from_str::<Value>(&format!("k: {v}")), Ok(Value::Mapping(m)) if m.get("k").and_then(|x| x.as_str()) == Some(v))
}

/// YAML 1.1 and 1.2 booleans, nulls and numbers (a reader in another tool may use either).
fn looks_like_non_string(v: &str) -> bool {
    const WORDS: &[&str] = &["y", "n", "yes", "no", "true", "false", "on", "off", "null", "~", "<<", "="];
    let lower = v.to_ascii_lowercase();
    if WORDS.contains(&lower.as_str()) {
        return true;
    }
    if matches!(lower.as_str(), ".inf" | "-.inf" | "+.inf" | ".nan") {
        return true;
    }
    // Numbers in any base, sexagesimal, with `_`, and dates: only these characters and a digit.
    v.chars().any(|c| c.is_ascii_digit())
        && v.chars().all(|c| c.is_ascii_hexdigit() || "xXoO_.:+-Tt ".contains(c))
        && !v.contains("  ")
}

pub(super) fn single_quoted(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

/// A double-quoted scalar that holds any string (everything unusual escaped).
pub(super) fn double_quoted(v: &str) -> String {
    let mut s = String::with_capacity(v.len() + 2);
    s.push('"');
    for c in v.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            '"' => s.push_str("\\\""),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            '\u{85}' => s.push_str("\\N"),
            '\u{2028}' => s.push_str("\\L"),
            '\u{2029}' => s.push_str("\\P"),
            c if block_printable(c) => s.push(c),
            c if (c as u32) <= 0xFF => s.push_str(&format!("\\x{:02X}", c as u32)),
            c if (c as u32) <= 0xFFFF => s.push_str(&format!("\\u{:04X}", c as u32)),
            c => s.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    s.push('"');
    s
}
