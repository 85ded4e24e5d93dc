//! Writing TOML by hand for the two TOML outputs (Gemini commands, Codex agents): strings that
//! survive any content, and YAML metadata values turned into TOML values.
//!
//! Why by hand: the output must be readable (a prompt as a multi-line string, not one escaped
//! line) and exact for every body — `"""`, `'''`, backslashes, CR, control characters, a
//! leading newline (TOML drops the newline right after an opening `'''`/`"""`) and trailing
//! quotes all have to come back unchanged. Reading back uses toml_edit.
//!
//! Which YAML values TOML can hold (decided here; see also docs/targets.md): strings, booleans, integers that fit in i64,
//! floats (also `inf`/`nan`), sequences of those and mappings with string keys. Nulls are
//! omitted (a null mapping entry is dropped; a null top-level value skips the key); a sequence
//! holding a null, a mapping with a non-string key, a tagged value or a too-large integer
//! cannot be written, and the key holding it is skipped.
//!
//! Arrays mixing element types (`[1, "a"]`, even `[1, 1.5]`) are valid TOML 1.0 but not TOML
//! 0.5, and Gemini CLI reads commands with a TOML 0.5 parser (`@iarna/toml`) that rejects the
//! whole file for one; [`Dialect::Toml05`] therefore skips such keys. Codex reads TOML 1.0.

use std::fmt::Write as _;

use serde_yaml::Value;

/// A top-level string value: a multi-line string when `s` has a line break, else one line.
pub fn string(s: &str) -> String {
    if s.contains('\n') {
        multiline(s)
    } else {
        single_line(s)
    }
}

/// `s` as a multi-line TOML string: literal `'''…'''` when nothing in `s` prevents it (no
/// `'''`, no trailing `'`, no CR, no control character but tab), else basic `"""…"""` with
/// escapes. A newline always follows the opening delimiter: TOML drops exactly that one, so a
/// leading newline of `s` survives.
pub fn multiline(s: &str) -> String {
    let literal_ok = !s.contains("'''")
        && !s.ends_with('\'')
        && s.chars().all(|c| c == '\n' || c == '\t' || !is_control(c));
    if literal_ok {
        return format!("'''\n{s}'''");
    }
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str("\"\"\"\n");
    // Quotes are escaped only where they would end the string: a third quote in a row, and any
    // quote in the run that reaches the closing delimiter.
    let trailing_quotes = s.len() - s.trim_end_matches('"').len();
    let trailing_start = s.len() - trailing_quotes;
    let mut quote_run = 0;
    for (i, c) in s.char_indices() {
        if c == '"' {
            if quote_run == 2 || i >= trailing_start {
                out.push_str("\\\"");
                quote_run = 0;
            } else {
                out.push('"');
                quote_run += 1;
            }
            continue;
        }
        quote_run = 0;
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' | '\t' => out.push(c),
            c => push_escaped_control(&mut out, c),
        }
    }
    out.push_str("\"\"\"");
    out
}

/// `s` on one line: literal `'…'` when possible, else basic `"…"` with escapes.
pub fn single_line(s: &str) -> String {
    if !s.contains('\'') && s.chars().all(|c| c == '\t' || !is_control(c)) {
        return format!("'{s}'");
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push(c),
            c => push_escaped_control(&mut out, c),
        }
    }
    out.push('"');
    out
}

/// Push `c`, escaped when TOML does not allow it raw in a basic string.
fn push_escaped_control(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        c if is_control(c) => {
            let _ = write!(out, "\\u{:04X}", c as u32);
        }
        c => out.push(c),
    }
}

/// Characters TOML forbids raw in strings (tab and newline are handled by the callers).
fn is_control(c: char) -> bool {
    (c as u32) < 0x20 || c == '\u{7f}'
}

/// A key: bare when it is made of `A-Za-z0-9_-`, else a quoted string.
pub fn key(k: &str) -> String {
    if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        k.to_string()
    } else {
        single_line(k)
    }
}

/// The TOML version the reading agent understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// TOML 0.5: every array holds one type of element (Gemini CLI's `@iarna/toml`).
    Toml05,
    /// TOML 1.0: arrays may mix types (Codex, the Rust `toml` crate).
    Toml10,
}

/// A YAML metadata value as a top-level TOML value, or `None` when TOML cannot hold it (see
/// the module doc). Top-level strings may be multi-line; nested ones stay on one line.
pub fn top_value(v: &Value, dialect: Dialect) -> Option<String> {
    match v {
        Value::String(s) => Some(string(s)),
        other => value(other, dialect),
    }
}

/// The TOML type of a value, for TOML 0.5's one-type-per-array rule.
fn toml_type(v: &Value) -> u8 {
    match v {
        Value::String(_) => 0,
        Value::Bool(_) => 1,
        Value::Number(n) if n.is_f64() => 2,
        Value::Number(_) => 3,
        Value::Sequence(_) => 4,
        Value::Mapping(_) => 5,
        Value::Null | Value::Tagged(_) => 6,
    }
}

/// A YAML value as an inline TOML value (see the module doc for what is representable).
pub fn value(v: &Value, dialect: Dialect) -> Option<String> {
    match v {
        Value::Null | Value::Tagged(_) => None,
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Some(i.to_string())
            } else if n.is_u64() {
                None // larger than TOML's i64
            } else {
                let f = n.as_f64()?;
                Some(if f.is_nan() {
                    "nan".to_string()
                } else if f.is_infinite() {
                    if f > 0.0 { "inf" } else { "-inf" }.to_string()
                } else {
                    // `{:?}` always has a `.` or an exponent, as TOML floats need.
                    format!("{f:?}")
                })
            }
        }
        Value::String(s) => Some(single_line(s)),
        Value::Sequence(items) => {
            if dialect == Dialect::Toml05 && items.windows(2).any(|w| toml_type(&w[0]) != toml_type(&w[1])) {
                return None;
            }
            let items: Option<Vec<String>> = items.iter().map(|i| value(i, dialect)).collect();
            Some(format!("[{}]", items?.join(", ")))
        }
        Value::Mapping(m) => {
            let mut entries = Vec::with_capacity(m.len());
            for (k, v) in m {
                let k = k.as_str()?;
                if v.is_null() {
                    continue;
                }
                entries.push(format!("{} = {}", key(k), value(v, dialect)?));
            }
            Some(if entries.is_empty() { "{}".to_string() } else { format!("{{ {} }}", entries.join(", ")) })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_back(encoded: &str) -> String {
        let doc: toml_edit::DocumentMut =
            format!("v = {encoded}\n").parse().unwrap_or_else(|e| panic!("{encoded}: {e}"));
        doc["v"].as_str().unwrap().to_string()
    }

    #[test]
    fn strings_survive_any_content() {
        for s in [
            "",
            "a",
            "\n",
            "\n\nx",
            "x\n",
            "'''",
            "\"\"\"",
            "a'",
            "a\"",
            "''",
            "\"\"",
            "\"",
            "'",
            "\\",
            "a\\\nb",
            "\r\n",
            "x\ry",
            "\u{1}\u{7f}",
            "\t",
            "é\u{2028}",
            "\"\"\"\"\"\"\n",
            "'''\n\"\"\"",
            "\\\"",
            "line\\",
            "\n'''",
        ] {
            assert_eq!(read_back(&string(s)), s, "{s:?} -> {}", string(s));
            assert_eq!(read_back(&multiline(s)), s, "{s:?} -> {}", multiline(s));
            assert_eq!(read_back(&single_line(s)), s, "{s:?} -> {}", single_line(s));
        }
    }

    #[test]
    fn literal_form_is_preferred_for_readability() {
        assert_eq!(multiline("Say \"hi\"\n"), "'''\nSay \"hi\"\n'''");
        assert_eq!(multiline("it's\r\n"), "\"\"\"\nit's\\r\n\"\"\"");
    }

    #[test]
    fn yaml_values_map_to_toml_or_are_skipped() {
        use Dialect::*;
        let v: Value = serde_yaml::from_str("[1, 'a', true, 1.5, {k: v, n: ~}]").unwrap();
        assert_eq!(value(&v, Toml10).unwrap(), "[1, 'a', true, 1.5, { k = 'v' }]");
        assert_eq!(value(&v, Toml05), None);
        let v: Value = serde_yaml::from_str("[[1, 2], ['a'], []]").unwrap();
        assert_eq!(value(&v, Toml05).unwrap(), "[[1, 2], ['a'], []]");
        let v: Value = serde_yaml::from_str("[1, ~]").unwrap();
        assert_eq!(value(&v, Toml10), None);
        let v: Value = serde_yaml::from_str("{1: a}").unwrap();
        assert_eq!(value(&v, Toml10), None);
        let v: Value = serde_yaml::from_str("18446744073709551615").unwrap();
        assert_eq!(value(&v, Toml10), None);
        let v: Value = serde_yaml::from_str(".inf").unwrap();
        assert_eq!(value(&v, Toml10).unwrap(), "inf");
        assert_eq!(key("a b"), "'a b'");
        assert_eq!(key("allowed-tools"), "allowed-tools");
    }
}

#[cfg(test)]
mod props {
    use proptest::prelude::*;
    use serde_yaml::Value;

    use super::*;

    fn yaml_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            "\\PC{0,8}".prop_map(Value::String),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|i| Value::Number(i.into())),
            any::<u64>().prop_map(|i| Value::Number(i.into())),
            any::<f64>().prop_map(|f| Value::Number(f.into())),
            Just(Value::Null),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Sequence),
                prop::collection::vec(("\\PC{0,4}", inner.clone()), 0..4).prop_map(|kv| {
                    Value::Mapping(kv.into_iter().map(|(k, v)| (Value::String(k), v)).collect())
                }),
                (any::<i64>(), inner).prop_map(|(k, v)| {
                    Value::Mapping([(Value::Number(k.into()), v)].into_iter().collect())
                }),
            ]
        })
    }

    /// Whether a TOML value read back means the YAML value (nulls in mappings dropped).
    fn same(toml: &toml_edit::Value, yaml: &Value) -> bool {
        match (toml, yaml) {
            (toml_edit::Value::String(s), Value::String(y)) => s.value() == y,
            (toml_edit::Value::Boolean(b), Value::Bool(y)) => b.value() == y,
            (toml_edit::Value::Integer(i), Value::Number(n)) => n.as_i64() == Some(*i.value()),
            (toml_edit::Value::Float(f), Value::Number(n)) => {
                let (a, b) = (*f.value(), n.as_f64().unwrap_or(f64::NAN));
                n.is_f64() && (a == b || (a.is_nan() && b.is_nan()))
            }
            (toml_edit::Value::Array(a), Value::Sequence(s)) => {
                a.len() == s.len() && a.iter().zip(s).all(|(t, y)| same(t, y))
            }
            (toml_edit::Value::InlineTable(t), Value::Mapping(m)) => {
                let kept: Vec<_> = m.iter().filter(|(_, v)| !v.is_null()).collect();
                t.len() == kept.len()
                    && kept
                        .iter()
                        .all(|(k, v)| k.as_str().and_then(|k| t.get(k)).is_some_and(|tv| same(tv, v)))
            }
            _ => false,
        }
    }

    fn homogeneous(v: &toml_edit::Value) -> bool {
        match v {
            toml_edit::Value::Array(a) => {
                a.iter().all(homogeneous)
                    && a.iter().collect::<Vec<_>>().windows(2).all(|w| w[0].type_name() == w[1].type_name())
            }
            toml_edit::Value::InlineTable(t) => t.iter().all(|(_, v)| homogeneous(v)),
            _ => true,
        }
    }

    proptest! {
        #[test]
        fn written_values_read_back_as_the_yaml_meant(v in yaml_value()) {
            for dialect in [Dialect::Toml05, Dialect::Toml10] {
                if let Some(text) = top_value(&v, dialect) {
                    let doc: toml_edit::DocumentMut = format!("k = {text}\n").parse()
                        .map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
                    let read = doc["k"].as_value().expect("a value");
                    prop_assert!(same(read, &v), "{:?} wrote {} read {:?}", v, text, read);
                    if dialect == Dialect::Toml05 {
                        prop_assert!(homogeneous(read), "mixed array in {}", text);
                    }
                }
            }
        }
    }
}
