use super::*;

/// Strings that tripped one reader or another; every style must read back as each of them.
const TRICKY: &[&str] = &[
    // empty, blanks at the ends, YAML indicators at the start, `: ` and ` #` inside
    "",
    " ",
    " lead",
    "trail ",
    "\t",
    "a\tb",
    "plain words",
    "a: b",
    "x #y",
    " #x",
    "x:",
    ":",
    "?",
    "-",
    "- x",
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
    "[a]",
    "{a: b}",
    "\\",
    "it's",
    // document markers and line breaks, YAML 1.1 ones (NEL, LS, PS) included
    "---",
    "...",
    "a\n---\nb",
    "\n",
    "x\r\ny",
    "\u{85}x",
    "\u{2028}",
    "\u{2029}",
    // not printable, byte-order marks, non-characters; and printable non-ASCII
    "\u{0}\u{1f}\u{7f}\u{9f}",
    "\u{feff}",
    "\u{fffe}\u{ffff}",
    "\u{a0}é日本",
    "🦀",
    // what a YAML 1.1 or 1.2 reader takes for a boolean, null, number or date
    "yes",
    "Yes",
    "NO",
    "on",
    "~",
    "null",
    "2001-12-14",
    "12:30:00",
    "0o17",
    "0x1F",
    "1_000",
    "1e3",
    "+1",
    ".inf",
    "-.Inf",
    ".NaN",
    "<<",
    "=",
];

#[test]
fn double_quoted_escapes_as_unicode() {
    assert_eq!(double_quoted("a\"b\\c\n\u{85}"), "\"a\\\"b\\\\c\\n\\u0085\"");
    assert_eq!(
        double_quoted("\u{0}\u{7f}\u{2028}\u{feff}\u{ffff}🦀é"),
        "\"\\u0000\\u007F\\u2028\\uFEFF\\uFFFF🦀é\""
    );
    assert_eq!(double_quoted("\r\t"), "\"\\r\\t\"");
}

#[test]
fn double_quoted_short_escapes_uses_yaml_short_forms() {
    assert_eq!(double_quoted_short_escapes("a\"b\\c\n\u{85}"), "\"a\\\"b\\\\c\\n\\N\"");
    assert_eq!(
        double_quoted_short_escapes("\u{0}\u{7f}\u{9f}\u{2028}\u{2029}\u{feff}\u{ffff}🦀é"),
        "\"\\x00\\x7F\\x9F\\L\\P\\uFEFF\\uFFFF🦀é\""
    );
    assert_eq!(double_quoted_short_escapes("\r\t"), "\"\\r\\t\"");
}

#[test]
fn every_style_reads_back() {
    let read = |scalar: &str| -> Option<String> {
        let v: Value = serde_yaml::from_str(&format!("k: {scalar}\n")).ok()?;
        v.get("k")?.as_str().map(str::to_string)
    };
    for s in TRICKY {
        assert_eq!(read(&double_quoted(s)).as_deref(), Some(*s), "{s:?}");
        assert_eq!(read(&double_quoted_short_escapes(s)).as_deref(), Some(*s), "{s:?}");
        assert_eq!(read(&plain_or_double_quoted(s)).as_deref(), Some(*s), "{s:?}");
        if !s.contains(['\n', '\r']) {
            // (a multi-line string becomes a block scalar, which needs its own lines)
            assert_eq!(read(&serde_scalar(s)).as_deref(), Some(*s), "{s:?}");
        }
        if single_quotable(s) {
            assert_eq!(read(&single_quoted(s)).as_deref(), Some(*s), "{s:?}");
        }
    }
}

#[test]
fn needs_quotes_keeps_plain_only_what_reads_back_as_a_string() {
    for plain in ["plain words", "x", "a-b", "p:name", "é", "x#y"] {
        assert!(!needs_quotes(plain), "{plain:?}");
    }
    for quoted in [
        "", " x", "x ", "a: b", "x #y", "x:", "-x", "#", "yes", "No", "~", "1_000", "12:30", ".nan", "a\tb",
        "\u{85}",
    ] {
        assert!(needs_quotes(quoted), "{quoted:?}");
    }
    assert_eq!(plain_or_double_quoted("codex"), "codex");
    assert_eq!(plain_or_double_quoted("a: b"), "\"a: b\"");
}

#[test]
fn single_quoting_doubles_quotes_and_refuses_tabs() {
    assert_eq!(single_quoted("it's"), "'it''s'");
    assert!(single_quotable("it's: é"));
    assert!(!single_quotable("a\tb"));
    assert!(!single_quotable("a\nb"));
    assert!(!single_quotable("\u{2028}"));
}

#[test]
fn serde_scalar_is_plain_when_it_can_be() {
    assert_eq!(serde_scalar("../src"), "../src");
    assert_eq!(serde_scalar("~/agb-resources"), "~/agb-resources");
    assert_eq!(serde_scalar("../src dir: x"), "'../src dir: x'");
    // serde_yaml's emitter quotes by YAML 1.2 rules: `yes` is a string there
    assert_eq!(serde_scalar("yes"), "yes");
    assert_eq!(serde_scalar("true"), "'true'");
    assert_eq!(serde_scalar(""), "''");
}

#[test]
fn value_text_writes_non_strings_as_yaml() {
    assert_eq!(value_text(&Value::String("k".into())).as_deref(), Some("k"));
    assert_eq!(value_text(&Value::Bool(true)).as_deref(), Some("true"));
    assert_eq!(value_text(&serde_yaml::from_str::<Value>("12").unwrap()).as_deref(), Some("12"));
}
