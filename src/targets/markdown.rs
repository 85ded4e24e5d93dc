//! Markdown with YAML frontmatter, the format every target uses for at least one kind
//! (SPEC §1.5): a `---` line, the merged metadata as YAML (key order kept), a `---` line, then
//! the body exactly.
//!
//! Beyond the spec, for the round-trip law and for the agents' own YAML readers:
//! - Empty metadata means no frontmatter, **unless the body itself starts with a `---` line**
//!   (possibly after a byte-order mark): then an empty frontmatter (`---\n---\n`) is written,
//!   so reading the file back does not mistake the start of the body for a frontmatter.
//! - Reading skips a byte-order mark an editor put before the opening `---`.
//! - The YAML is produced by serde_yaml and then read back; a key whose value does not read back
//!   identically (or that would put a `---` line inside the frontmatter, or a raw NEL/LS/PS that
//!   YAML 1.1 and 1.2 parsers read differently) is written instead in YAML flow style with
//!   double-quoted, fully escaped strings, which always reads back.
//!
//! Not here: splitting source files (`source::frontmatter`, shared) or patching them (sync).

use serde_yaml::{Mapping, Value};

use super::{located, Parsed, TargetError};
use crate::source::frontmatter::{split, SplitError};
use crate::text::yaml_scalar::double_quoted;

/// The Markdown text for `metadata` + `body`, or `None` when the metadata cannot be written as
/// YAML that reads back the same (not expected; every YAML value has a flow form).
pub fn render(metadata: &Mapping, body: &str) -> Option<String> {
    if metadata.is_empty() {
        let looks_like_frontmatter = opens_with_delimiter_line(body.strip_prefix('\u{feff}').unwrap_or(body));
        return Some(if looks_like_frontmatter { format!("---\n---\n{body}") } else { body.to_string() });
    }
    let yaml = frontmatter_yaml(metadata)?;
    Some(format!("---\n{yaml}---\n{body}"))
}

/// The description and body of a Markdown output.
pub fn parse_output(file: &str, text: &str) -> Result<Parsed, TargetError> {
    let (metadata, body) = parse_document(file, text)?;
    let description = metadata.get("description").and_then(Value::as_str).map(str::to_string);
    Ok(Parsed { description, body: body.to_string() })
}

/// Split a Markdown output into its metadata mapping and its body. No frontmatter (or an empty
/// one) gives an empty mapping; a frontmatter that is not YAML or not a mapping is an error at
/// its line.
pub fn parse_document<'a>(file: &str, text: &'a str) -> Result<(Mapping, &'a str), TargetError> {
    // An editor may have added a byte-order mark before the frontmatter; `render` never writes
    // one there (a body starting with BOM + `---` line gets an empty frontmatter first).
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) if opens_with_delimiter_line(rest) => rest,
        _ => text,
    };
    let parts = split(text).map_err(|SplitError::Unclosed| {
        let (src, span, _) = located(file, text, 0);
        TargetError::UnclosedFrontmatter { file: file.to_string(), src, span }
    })?;
    let Some(yaml) = parts.yaml else {
        return Ok((Mapping::new(), parts.body));
    };
    // `yaml` is a sub-slice of `text`: its offset places errors in the whole file.
    let yaml_offset = yaml.as_ptr() as usize - text.as_ptr() as usize;
    let value: Value = serde_yaml::from_str(yaml).map_err(|e| {
        let offset = yaml_offset + e.location().map_or(0, |l| l.index());
        let (src, span, line) = located(file, text, offset);
        // serde_yaml counts lines from the start of the YAML; the error names the file's line.
        let mut message = e.to_string();
        if let Some(l) = e.location() {
            message = message.replace(&format!(" at line {} column {}", l.line(), l.column()), "");
        }
        TargetError::InvalidFrontmatter { file: file.to_string(), line, message, src, span }
    })?;
    match value {
        Value::Mapping(m) => Ok((m, parts.body)),
        Value::Null => Ok((Mapping::new(), parts.body)),
        _ => {
            let (src, span, line) = located(file, text, yaml_offset);
            Err(TargetError::FrontmatterNotMapping { file: file.to_string(), line, src, span })
        }
    }
}

/// Whether `text` starts with a line that is exactly `---` (what `split` takes for an opening
/// frontmatter delimiter).
fn opens_with_delimiter_line(text: &str) -> bool {
    text == "---" || text.starts_with("---\n") || text.starts_with("---\r\n")
}

/// The YAML between the delimiters (ending with a newline), checked to read back as `metadata`.
fn frontmatter_yaml(metadata: &Mapping) -> Option<String> {
    let any_ambiguous = metadata.iter().any(|(k, v)| needs_flow_style(k) || needs_flow_style(v));
    if !any_ambiguous {
        if let Ok(yaml) = serde_yaml::to_string(metadata) {
            if reads_back(&yaml, metadata) {
                return Some(yaml);
            }
        }
    }
    // Some value defeats serde_yaml's emitter or could be read as another type: write key by
    // key, falling back to flow style for those.
    let mut yaml = String::new();
    for (key, value) in metadata {
        let mut one = Mapping::new();
        one.insert(key.clone(), value.clone());
        let plain = if needs_flow_style(key) || needs_flow_style(value) {
            None
        } else {
            serde_yaml::to_string(&one).ok().filter(|entry| reads_back(entry, &one))
        };
        match plain {
            Some(entry) => yaml.push_str(&entry),
            None => {
                yaml.push_str(&flow_key(key));
                yaml.push_str(": ");
                yaml.push_str(&flow(value));
                yaml.push('\n');
            }
        }
    }
    reads_back(&yaml, metadata).then_some(yaml)
}

/// Whether `v` holds a scalar that some YAML reader could take for another type as serde_yaml
/// writes it: a string left unquoted that looks like a YAML 1.1 boolean (`yes`, `on`, `y`…), a
/// null, a number in any base, a sexagesimal, a timestamp (js-yaml's default schema reads
/// `2001-12-14` as a date), `<<` or `=`; or a float with an exponent, which YAML 1.1 readers
/// only take for a number with a `.` and a signed exponent. Such values are written in flow
/// style ([`flow`]). Being too careful only changes the quoting.
fn needs_flow_style(v: &Value) -> bool {
    match v {
        Value::String(s) => is_ambiguous_scalar(s),
        Value::Number(n) => {
            n.as_f64().is_some_and(|f| f.is_finite()) && n.is_f64() && format!("{n}").contains(['e', 'E'])
        }
        Value::Sequence(items) => items.iter().any(needs_flow_style),
        Value::Mapping(m) => m.iter().any(|(k, v)| needs_flow_style(k) || needs_flow_style(v)),
        Value::Tagged(t) => needs_flow_style(&t.value),
        Value::Null | Value::Bool(_) => false,
    }
}

fn is_ambiguous_scalar(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true",
        "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "<<", "=",
    ];
    if WORDS.contains(&s) {
        return true;
    }
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && unsigned
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '+' | '-' | ' ' | '\t'))
}

/// Whether a document with this frontmatter YAML parses back to exactly `expected`, with the
/// frontmatter ending where it should.
fn reads_back(yaml: &str, expected: &Mapping) -> bool {
    const BODY_PROBE: &str = "probe";
    // NEL, LS and PS are line breaks to YAML 1.1 (libyaml, serde_yaml) but ordinary characters
    // to YAML 1.2 (the JavaScript parsers the agents use): written raw, the two read different
    // strings. Only the escaped form (`double_quoted`) means the same to both.
    if !yaml.ends_with('\n') || yaml.contains(['\u{85}', '\u{2028}', '\u{2029}']) {
        return false;
    }
    let doc = format!("---\n{yaml}---\n{BODY_PROBE}");
    match parse_document("", &doc) {
        Ok((metadata, body)) => body == BODY_PROBE && &metadata == expected,
        Err(_) => false,
    }
}

/// A mapping key in flow style: plain when it is a simple word YAML reads as that same string.
fn flow_key(key: &Value) -> String {
    if let Value::String(s) = key {
        let simple = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if simple && !is_ambiguous_scalar(s) && serde_yaml::from_str::<Value>(s).ok().as_ref() == Some(key) {
            return s.clone();
        }
    }
    match key {
        Value::Sequence(_) | Value::Mapping(_) | Value::Tagged(_) => format!("? {}", flow(key)),
        _ => flow(key),
    }
}

/// Any YAML value in flow style; strings double-quoted with every character that YAML could
/// fold, trim or reject escaped.
fn flow(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.is_finite() => float_for_any_yaml(f),
            _ => serde_yaml::to_string(&Value::Number(n.clone()))
                .map_or_else(|_| n.to_string(), |s| s.trim_end().to_string()),
        },
        Value::String(s) => double_quoted(s),
        Value::Sequence(items) => {
            let items: Vec<String> = items.iter().map(flow).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Mapping(m) => {
            let entries: Vec<String> =
                m.iter().map(|(k, v)| format!("{}: {}", flow_key(k), flow(v))).collect();
            format!("{{{}}}", entries.join(", "))
        }
        Value::Tagged(t) => format!("{} {}", t.tag, flow(&t.value)),
    }
}

/// A finite float as both YAML 1.1 and 1.2 read it: always a `.` in the mantissa, and a sign
/// on the exponent (`1.0e+300`, `1.5e-7`).
fn float_for_any_yaml(f: f64) -> String {
    // `{:?}` is the shortest text that reads back as the same f64.
    let text = format!("{f:?}");
    let (mantissa, exponent) = match text.split_once('e') {
        Some((m, e)) => (m.to_string(), Some(e.to_string())),
        None => (text.clone(), None),
    };
    let mantissa = if mantissa.contains('.') { mantissa } else { format!("{mantissa}.0") };
    match exponent {
        Some(e) if e.starts_with('-') => format!("{mantissa}e{e}"),
        Some(e) => format!("{mantissa}e+{e}"),
        None => mantissa,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(yaml: &str) -> Mapping {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn empty_metadata_writes_the_body_alone() {
        assert_eq!(render(&Mapping::new(), "hello\n").unwrap(), "hello\n");
    }

    #[test]
    fn body_starting_with_a_delimiter_gets_an_empty_frontmatter() {
        let text = render(&Mapping::new(), "---\nnot: yaml\n---\nx").unwrap();
        assert_eq!(text, "---\n---\n---\nnot: yaml\n---\nx");
        let parsed = parse_output("f.md", &text).unwrap();
        assert_eq!(parsed.body, "---\nnot: yaml\n---\nx");
        assert_eq!(parsed.description, None);
    }

    #[test]
    fn a_byte_order_mark_before_the_frontmatter_is_skipped() {
        let parsed = parse_output("f.md", "\u{feff}---\ndescription: d\n---\nbody").unwrap();
        assert_eq!((parsed.description.as_deref(), parsed.body.as_str()), (Some("d"), "body"));
        for body in ["\u{feff}---\nx", "\u{feff}text"] {
            let text = render(&Mapping::new(), body).unwrap();
            assert_eq!(parse_output("f.md", &text).unwrap().body, body);
        }
    }

    #[test]
    fn metadata_keeps_key_order_and_the_body_is_exact() {
        let text = render(&meta("model: x\ndescription: Hi\n"), "\n body\r\n").unwrap();
        assert_eq!(text, "---\nmodel: x\ndescription: Hi\n---\n\n body\r\n");
    }

    #[test]
    fn awkward_descriptions_read_back() {
        for d in [
            "a: b",
            " #x",
            "*x",
            "&x",
            "!x",
            "|",
            ">",
            "'",
            "\"",
            "%",
            "@",
            "`",
            "",
            "---",
            "a\n---\nb",
            "\u{2028}",
            "\u{85}x",
            " lead",
            "trail ",
            "\n",
            "x\r\ny",
            "\t",
        ] {
            let mut m = Mapping::new();
            m.insert("description".into(), d.into());
            let text = render(&m, "b").unwrap();
            let parsed = parse_output("f.md", &text).unwrap();
            assert_eq!(parsed.description.as_deref(), Some(d), "{text:?}");
            assert_eq!(parsed.body, "b");
        }
    }

    #[test]
    fn strings_other_readers_could_retype_are_quoted() {
        for d in ["2001-12-14", "yes", "on", "0o17", "1_000", "12:30:00", ".inf", "<<", "="] {
            let mut m = Mapping::new();
            m.insert("description".into(), d.into());
            assert_eq!(render(&m, "").unwrap(), format!("---\ndescription: \"{d}\"\n---\n"));
        }
        assert_eq!(
            render(&meta("description: plain words"), "").unwrap(),
            "---\ndescription: plain words\n---\n"
        );
    }

    #[test]
    fn yaml_1_1_line_breaks_are_escaped_for_yaml_1_2_readers() {
        // js-yaml reads a raw U+2028 as a character, libyaml as a line break: only escapes
        // (`\L`, `\N`, `\u2028`) mean the same to both.
        for d in ["a\u{2028}b\u{85}c", "---\n\u{2028}", "x\n\u{2029}\n"] {
            let mut m = Mapping::new();
            m.insert("description".into(), d.into());
            let text = render(&m, "").unwrap();
            assert!(!text.contains(['\u{85}', '\u{2028}', '\u{2029}']), "{text:?}");
            assert_eq!(parse_output("f.md", &text).unwrap().description.as_deref(), Some(d));
        }
    }

    #[test]
    fn floats_with_exponents_read_the_same_in_yaml_1_1() {
        assert_eq!(float_for_any_yaml(5.18e273), "5.18e+273");
        assert_eq!(float_for_any_yaml(1e-22), "1.0e-22");
        assert_eq!(float_for_any_yaml(0.5), "0.5");
        let m = meta("t: 1.0e300\nu: 0.25\n");
        assert_eq!(render(&m, "").unwrap(), "---\nt: 1.0e+300\nu: 0.25\n---\n");
    }

    #[test]
    fn invalid_yaml_is_an_error_at_its_line() {
        let err = parse_output("agents/a.md", "---\ndescription: ok\nbad: [\n---\nbody").unwrap_err();
        match err {
            TargetError::InvalidFrontmatter { line, file, message, .. } => {
                assert_eq!(file, "agents/a.md");
                assert!(line >= 3, "line {line}");
                assert!(!message.contains(" at line "), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn yaml_errors_name_the_line_of_the_file_even_after_non_ascii() {
        match parse_output("f.md", "---\nd: ééééé日本語\ne: 1\nx: @\n---\n") {
            Err(TargetError::InvalidFrontmatter { line: 4, span, .. }) => assert_eq!(span.offset(), 35), // the `@`
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn non_mapping_and_unclosed_frontmatter_are_errors() {
        assert!(matches!(
            parse_output("f.md", "---\n- a\n---\nbody"),
            Err(TargetError::FrontmatterNotMapping { line: 2, .. })
        ));
        assert!(matches!(parse_output("f.md", "---\na: 1\n"), Err(TargetError::UnclosedFrontmatter { .. })));
    }

    #[test]
    fn non_string_description_reads_as_none() {
        let parsed = parse_output("f.md", "---\ndescription: 42\n---\nx").unwrap();
        assert_eq!(parsed.description, None);
    }
}
