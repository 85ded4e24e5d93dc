//! Writing a string as a YAML scalar, in each of the styles agb writes. Every function returns
//! text that serde_yaml (YAML 1.1) and the agents' YAML 1.2 readers read back as exactly the
//! string given; they differ in how much they quote and how they escape:
//!
//! - [`double_quoted`]: a double-quoted scalar, every unusual character as `\uXXXX` (the form
//!   every reader, YAML 1.1 or 1.2, reads alike). For rendered outputs (`targets::markdown`).
//! - [`double_quoted_short_escapes`]: the same characters escaped, but with YAML's short forms
//!   (`\N`, `\L`, `\P`, `\xXX`, `\uXXXX`, `\UXXXXXXXX`). For patched source files (`sync::patch`),
//!   whose exact bytes users read in diffs.
//! - [`single_quoted`] (when [`single_quotable`]), [`plain_or_double_quoted`] and the test
//!   [`needs_quotes`]: the pieces of the patcher's "least surprising style" choice.
//! - [`serde_scalar`]: whatever serde_yaml's emitter writes (plain when it can). For generated
//!   files a user reads first (`agb init`'s agb.yaml).
//!
//! Only std and serde_yaml: the fuzz crate can compile this file by path (with `sync::patch`).
//!
//! Not here: whole mappings or flow-style values (`targets::markdown` writes those), block
//! scalars (`sync::patch`), TOML strings (`targets::toml_text`).

use std::fmt::Write as _;

use serde_yaml::Value;

/// A YAML double-quoted scalar that reads back as exactly `s`; `"`, `\`, `\n`, `\r`, `\t` as
/// their short escapes, every other character that is not [`is_block_printable`] as `\uXXXX`.
pub fn double_quoted(s: &str) -> String {
    write_double_quoted(s, |out, c| {
        let _ = write!(out, "\\u{:04X}", c as u32);
    })
}

/// A YAML double-quoted scalar that reads back as exactly `s`, escaping the same characters as
/// [`double_quoted`] but in YAML's shortest forms: NEL, LS and PS as `\N`, `\L`, `\P`, other
/// characters up to U+00FF as `\xXX`, the rest as `\uXXXX` / `\UXXXXXXXX`.
pub fn double_quoted_short_escapes(s: &str) -> String {
    write_double_quoted(s, |out, c| match c {
        '\u{85}' => out.push_str("\\N"),
        '\u{2028}' => out.push_str("\\L"),
        '\u{2029}' => out.push_str("\\P"),
        c if (c as u32) <= 0xFF => {
            let _ = write!(out, "\\x{:02X}", c as u32);
        }
        c if (c as u32) <= 0xFFFF => {
            let _ = write!(out, "\\u{:04X}", c as u32);
        }
        c => {
            let _ = write!(out, "\\U{:08X}", c as u32);
        }
    })
}

/// The quoting both double-quoted styles share; `escape` writes a character that is neither
/// one of the five short-escaped ones nor [`is_block_printable`].
fn write_double_quoted(s: &str, escape: impl Fn(&mut String, char)) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_block_printable(c) => out.push(c),
            c => escape(&mut out, c),
        }
    }
    out.push('"');
    out
}

/// Characters a YAML stream may hold unescaped, minus the ones libyaml reads as line breaks or
/// byte-order marks (NEL, LS, PS, BOM): written raw, YAML 1.1 and 1.2 readers would read
/// different strings.
pub fn is_block_printable(c: char) -> bool {
    matches!(c, '\t' | ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

/// Whether a single-quoted scalar can hold `v` on one line (no tab, nothing to escape).
pub fn single_quotable(v: &str) -> bool {
    v.chars().all(|c| c != '\t' && is_block_printable(c))
}

/// `v` single-quoted (`'` doubled). Only for a [`single_quotable`] `v`.
pub fn single_quoted(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

/// `v` plain when YAML reads it back as that string, else [`double_quoted_short_escapes`]
/// (the patcher writes keys so).
pub fn plain_or_double_quoted(v: &str) -> String {
    if needs_quotes(v) {
        double_quoted_short_escapes(v)
    } else {
        v.to_string()
    }
}

/// Whether `v` must be quoted to be read back as exactly this string (conservative: quoting a
/// value that did not need it is harmless, the reverse is not).
pub fn needs_quotes(v: &str) -> bool {
    let Some(first) = v.chars().next() else { return true };
    if v.starts_with([' ', '\t']) || v.ends_with([' ', '\t']) {
        return true;
    }
    if !single_quotable(v) {
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

/// `s` as serde_yaml's emitter writes a string scalar: plain when it reads back as `s`, quoted
/// otherwise (the emitter's choice of quotes), without the trailing newline.
pub fn serde_scalar(s: &str) -> String {
    serde_yaml::to_string(&Value::String(s.to_string()))
        .map(|t| t.trim_end().to_string())
        .unwrap_or_else(|_| format!("{s:?}"))
}

/// A scalar (typically a mapping key) as text for a message: a string as is, anything else as
/// serde_yaml writes it; `None` when it cannot be written.
pub fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        other => serde_yaml::to_string(other).map(|s| s.trim_end().to_string()).ok(),
    }
}

#[cfg(test)]
mod tests;
