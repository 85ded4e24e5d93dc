use proptest::prelude::*;

use super::*;

fn patch(text: &str, new: &str) -> String {
    patch_frontmatter_description(text, Some(new), InsertAt::End).unwrap()
}

fn desc_of(text: &str) -> Option<String> {
    let parts = split(text).unwrap();
    let map = parse_mapping(parts.yaml.unwrap_or(""), 2).unwrap();
    map.get("description").map(|v| v.as_str().expect("string description").to_string())
}

#[test]
fn plain_value_replaced_everything_else_kept() {
    let text = "---\n# leading comment\nname: x   # keep\n\ndescription: old words # why\n'quoted': \"v\"\n---\nbody\n";
    let out = patch(text, "new words");
    assert_eq!(
        out,
        "---\n# leading comment\nname: x   # keep\n\ndescription: new words # why\n'quoted': \"v\"\n---\nbody\n"
    );
}

#[test]
fn quoting_styles_are_kept_when_they_fit() {
    assert_eq!(patch("---\ndescription: 'a'\n---\n", "b c"), "---\ndescription: 'b c'\n---\n");
    assert_eq!(patch("---\ndescription: \"a\"\n---\n", "it's"), "---\ndescription: \"it's\"\n---\n");
    assert_eq!(patch("---\ndescription: 'a'\n---\n", "it's"), "---\ndescription: 'it''s'\n---\n");
}

#[test]
fn values_that_need_quoting_are_quoted() {
    for v in [
        "a: b",
        "a #b",
        "*star",
        "&amp",
        "!tag",
        "|pipe",
        ">gt",
        "'q",
        "\"dq",
        "%pct",
        "@at",
        "`tick",
        "- dash",
        "? q",
        "[x",
        "{y",
        " lead",
        "trail ",
        "yes",
        "No",
        "null",
        "~",
        "1.0",
        "0x1F",
        "1_000",
        "12:30",
        "true",
        "2001-12-14",
        ".inf",
        "",
        "a:",
        "#x",
        "-",
        "on",
    ] {
        let out = patch("---\ndescription: old\nname: n\n---\nB", v);
        assert_eq!(desc_of(&out).as_deref(), Some(v), "{v:?} -> {out}");
        assert!(out.ends_with("name: n\n---\nB"), "{out}");
    }
}

#[test]
fn block_scalars_replaced_whole() {
    let text = "---\ndescription: |-\n  line one\n  # not a comment\n\n  line three\nname: x\n---\nB";
    let out = patch(text, "short");
    assert_eq!(out, "---\ndescription: short\nname: x\n---\nB");
    let text = "---\ndescription: >+2 # c\n    folded\n   text\n\n\nname: x\n---\nB";
    let out = patch(text, "short");
    assert_eq!(out, "---\ndescription: short # c\n\n\nname: x\n---\nB");
}

#[test]
fn multi_line_quoted_and_plain_existing_values() {
    let text = "---\ndescription: \"one\n  two \\\" still\"\nname: x\n---\n";
    assert_eq!(patch(text, "n"), "---\ndescription: \"n\"\nname: x\n---\n");
    let text = "---\ndescription: 'one\n  two'' three'  # c\nname: x\n---\n";
    assert_eq!(patch(text, "n"), "---\ndescription: 'n'  # c\nname: x\n---\n".replace("'n'  #", "'n' #"));
    let text = "---\ndescription: one\n  two\n  three\nname: x\n---\n";
    assert_eq!(patch(text, "new"), "---\ndescription: new\nname: x\n---\n");
    // `n` is a YAML 1.1 boolean: quoted.
    assert_eq!(patch(text, "n"), "---\ndescription: 'n'\nname: x\n---\n");
}

#[test]
fn multi_line_new_values_use_literal_blocks_with_chomping() {
    assert_eq!(patch("---\ndescription: a\n---\n", "x\ny"), "---\ndescription: |-\n  x\n  y\n---\n");
    assert_eq!(patch("---\ndescription: a\n---\n", "x\ny\n"), "---\ndescription: |\n  x\n  y\n---\n");
    assert_eq!(
        patch("---\ndescription: a\n---\n", "x\n\ny\n\n"),
        "---\ndescription: |+\n  x\n\n  y\n\n---\n"
    );
    assert_eq!(patch("---\ndescription: a\n---\n", "  x\ny"), "---\ndescription: |2-\n    x\n  y\n---\n");
    // `|+` before a blank line would swallow it: written double-quoted instead.
    let out = patch("---\ndescription: a\n\nname: n\n---\n", "x\n\n");
    assert_eq!(out, "---\ndescription: \"x\\n\\n\"\n\nname: n\n---\n");
}

#[test]
fn missing_description_is_inserted_and_missing_frontmatter_created() {
    let text = "---\nname: n\n# trailing comment\n---\nB";
    assert_eq!(patch(text, "d"), "---\nname: n\ndescription: d\n# trailing comment\n---\nB");
    let out = patch_frontmatter_description(text, Some("d"), InsertAt::Start).unwrap();
    assert_eq!(out, "---\ndescription: d\nname: n\n# trailing comment\n---\nB");
    let out =
        patch_frontmatter_description("---\na: 1\nb: 2\n---\n", Some("d"), InsertAt::After("a")).unwrap();
    assert_eq!(out, "---\na: 1\ndescription: d\nb: 2\n---\n");
    assert_eq!(patch("just body\n", "d"), "---\ndescription: d\n---\njust body\n");
    assert_eq!(patch("", "d"), "---\ndescription: d\n---\n");
    assert_eq!(patch("---\n---\nB", "d"), "---\ndescription: d\n---\nB");
}

#[test]
fn removal_and_no_op() {
    let text = "---\nname: n\ndescription: |\n  a\n# c\n---\nB";
    let out = patch_frontmatter_description(text, None, InsertAt::End).unwrap();
    assert_eq!(out, "---\nname: n\n# c\n---\nB");
    assert_eq!(patch_frontmatter_description("body", None, InsertAt::End).unwrap(), "body");
    // Same value in another style: untouched.
    let text = "---\ndescription: >-\n  same\n---\n";
    assert_eq!(patch(text, "same"), text);
}

#[test]
fn crlf_files_keep_crlf() {
    let text = "---\r\nname: n\r\ndescription: old\r\n---\r\nbody\r\n";
    assert_eq!(patch(text, "new"), "---\r\nname: n\r\ndescription: new\r\n---\r\nbody\r\n");
    assert_eq!(patch(text, "a\nb"), "---\r\nname: n\r\ndescription: |-\r\n  a\r\n  b\r\n---\r\nbody\r\n");
    assert_eq!(patch("line\r\n", "d"), "---\r\ndescription: d\r\n---\r\nline\r\n");
}

#[test]
fn values_no_block_can_hold_are_double_quoted() {
    for v in
        ["a\r\nb", "tab\there", "nel\u{85}x", "ls\u{2028}", "bom\u{feff}", "bell\u{7}", "\n", "\n\n", " \n "]
    {
        let out = patch("---\ndescription: a\n---\n", v);
        assert_eq!(desc_of(&out).as_deref(), Some(v), "{v:?} -> {out}");
    }
}

#[test]
fn unsupported_layouts_are_errors_not_guesses() {
    assert!(matches!(
        patch_frontmatter_description("---\n{description: a}\n---\n", Some("b"), InsertAt::End),
        Err(PatchError::Unsupported { .. })
    ));
    assert!(matches!(
        patch_frontmatter_description("---\n? description\n: a\n---\n", Some("b"), InsertAt::End),
        Err(PatchError::Unsupported { .. })
    ));
    assert_eq!(
        patch_frontmatter_description("---\na: 1\n", Some("b"), InsertAt::End),
        Err(PatchError::Unclosed)
    );
    assert!(matches!(
        patch_frontmatter_description("---\na: [1\n---\n", Some("b"), InsertAt::End),
        Err(PatchError::InvalidYaml { .. })
    ));
    // An anchor used elsewhere: replacing it would change another key.
    assert!(matches!(
        patch_frontmatter_description("---\ndescription: &d x\nother: *d\n---\n", Some("b"), InsertAt::End),
        Err(PatchError::Verify { .. })
    ));
}

#[test]
fn sequences_at_the_same_indent_belong_to_their_key() {
    let text = "---\ntools:\n- a\n- b\ndescription: old\n---\n";
    assert_eq!(patch(text, "new"), "---\ntools:\n- a\n- b\ndescription: new\n---\n");
}

#[test]
fn sidecar_sections() {
    let yaml = "# sidecar\ngemini-cli:\n  model: x # m\n  description: old\ncodex:\n  model: y\n";
    let out = patch_sidecar_description(yaml, "gemini-cli", Some("new: v"), InsertAt::End).unwrap();
    assert_eq!(out, "# sidecar\ngemini-cli:\n  model: x # m\n  description: 'new: v'\ncodex:\n  model: y\n");
    let out = patch_sidecar_description(yaml, "codex", Some("d"), InsertAt::End).unwrap();
    assert_eq!(
        out,
        "# sidecar\ngemini-cli:\n  model: x # m\n  description: old\ncodex:\n  model: y\n  description: d\n"
    );
    let out = patch_sidecar_description(yaml, "opencode", Some("d"), InsertAt::End).unwrap();
    assert_eq!(out, format!("{yaml}opencode:\n  description: d\n"));
    let out = patch_sidecar_description("codex:\n    a: 1", "codex", Some("x\ny"), InsertAt::End).unwrap();
    assert_eq!(out, "codex:\n    a: 1\n    description: |-\n      x\n      y\n");
    let out = patch_sidecar_description("", "codex", Some("d"), InsertAt::End).unwrap();
    assert_eq!(out, "codex:\n  description: d\n");
    assert!(patch_sidecar_description("codex: {a: 1}\n", "codex", Some("d"), InsertAt::End).is_err());
}

// ---------------------------------------------------------------------------------------------
// Property tests: random frontmatters (comments, quoted keys, every value style) and random
// descriptions. The patch must succeed, read back exactly, keep the body and every other key,
// and keep every line that is not the description's.

fn scalar_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z ]{0,12}[a-z]",
        Just("yes".to_string()),
        Just("1.5".to_string()),
        Just("null".to_string()),
        "[a-zA-Z0-9 :#'\"-]{0,10}".prop_map(|s| format!("'{}'", s.replace('\'', "''"))),
        "[a-zA-Z0-9 :#'-]{0,10}".prop_map(|s| format!("\"{s}\"")),
    ]
}

#[derive(Debug, Clone)]
enum Piece {
    Comment(String),
    Blank,
    Entry(String),
}

fn other_entry(key: String) -> impl Strategy<Value = String> {
    let k2 = key.clone();
    let k3 = key.clone();
    let k4 = key.clone();
    prop_oneof![
        scalar_text().prop_map(move |v| format!("{key}: {v}\n")),
        (scalar_text(), "[a-z ]{0,8}").prop_map(move |(v, c)| format!("{k2}: {v} #{c}\n")),
        prop::collection::vec("[a-z]{1,5}", 0..3).prop_map(move |items| {
            let mut s = format!("{k3}:\n");
            for i in items {
                s.push_str(&format!("- {i}\n"));
            }
            s
        }),
        ("[a-z#: ]{0,10}", "[a-z ]{0,10}").prop_map(move |(a, b)| format!("{k4}: |\n  {a}\n\n  # {b}\n")),
    ]
}

fn description_entry() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z ]{0,10}[a-z]".prop_map(|v| format!("description: {v}\n")),
        "[a-z :#]{0,10}".prop_map(|v| format!("description: '{v}' # c\n")),
        "[a-z :#']{0,10}".prop_map(|v| format!("\"description\": \"{v}\"\n")),
        "[a-z][a-z #]{0,10}".prop_map(|v| format!("description: >-\n  {v}\n  # x\n\n  more\n")),
        "[a-z]{1,10}".prop_map(|v| format!("description:\n  {v}\n  continued\n")),
        "[a-z]{1,10}".prop_map(|v| format!("description: \"{v}\n  next\"\n")),
    ]
}

fn frontmatter() -> impl Strategy<Value = (Vec<Piece>, Option<usize>)> {
    let keys =
        prop::sample::subsequence(vec!["name", "model", "tools", "'quoted key'", "x-y", "\"dq\""], 0..5);
    (keys, prop::option::of(description_entry()), any::<prop::sample::Index>()).prop_flat_map(
        |(keys, desc, at)| {
            let entries: Vec<_> = keys.into_iter().map(|k| other_entry(k.to_string()).boxed()).collect();
            let fillers = prop::collection::vec(
                prop_oneof![
                    "[a-z ]{0,10}".prop_map(|c| Some(Piece::Comment(format!("# {c}\n")))),
                    Just(Some(Piece::Blank)),
                    Just(None),
                ],
                entries.len() + 2,
            );
            (entries, fillers).prop_map(move |(entries, fillers)| {
                let mut pieces: Vec<Piece> = entries.into_iter().map(Piece::Entry).collect();
                let mut desc_idx = None;
                if let Some(d) = &desc {
                    let i = at.index(pieces.len() + 1);
                    pieces.insert(i, Piece::Entry(d.clone()));
                    desc_idx = Some(i);
                }
                let mut out = Vec::new();
                let mut di = None;
                for (i, p) in pieces.into_iter().enumerate() {
                    if let Some(Some(f)) = fillers.get(i) {
                        out.push(f.clone());
                    }
                    if desc_idx == Some(i) {
                        di = Some(out.len());
                    }
                    out.push(p);
                }
                if let Some(Some(f)) = fillers.last() {
                    out.push(f.clone());
                }
                (out, di)
            })
        },
    )
}

fn new_description() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        "[a-zA-Z]{1,6}",
        Just(" ".to_string()),
        Just(": ".to_string()),
        Just(" #".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\t".to_string()),
        Just("'".to_string()),
        Just("\"".to_string()),
        Just("\\".to_string()),
        Just("yes".to_string()),
        Just("null".to_string()),
        Just("1.0".to_string()),
        Just("- ".to_string()),
        Just("? ".to_string()),
        Just("---".to_string()),
        Just("|".to_string()),
        Just(">".to_string()),
        Just("[".to_string()),
        Just("{".to_string()),
        Just("*&!%@`".to_string()),
        Just("é✓".to_string()),
        Just("\u{85}\u{2028}".to_string()),
        Just("\u{1}".to_string()),
    ];
    prop_oneof![prop::collection::vec(token, 0..8).prop_map(|v| v.concat()), any::<String>(),]
}

fn render(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Comment(c) => c.as_str(),
            Piece::Blank => "\n",
            Piece::Entry(e) => e.as_str(),
        })
        .collect()
}

/// Whether every line of `a` appears in `b`, in order.
fn is_line_subsequence(a: &str, b: &str) -> bool {
    let mut bl = b.split_inclusive('\n');
    a.split_inclusive('\n').all(|l| bl.any(|m| m == l))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn patch_changes_only_the_description(
        (pieces, di) in frontmatter(),
        new in new_description(),
        body in "(.|\n){0,20}",
        crlf in any::<bool>(),
    ) {
        let yaml = render(&pieces);
        let mut text = format!("---\n{yaml}---\n{body}");
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        let out = patch_frontmatter_description(&text, Some(&new), InsertAt::End);
        let out = match out {
            Ok(o) => o,
            Err(e) => return Err(TestCaseError::fail(format!("{e}\n{text:?}"))),
        };
        let old_parts = split(&text).unwrap();
        let new_parts = split(&out).unwrap();
        prop_assert_eq!(old_parts.body, new_parts.body);
        let old_map = parse_mapping(old_parts.yaml.unwrap(), 2).unwrap();
        let new_map = parse_mapping(new_parts.yaml.unwrap(), 2).unwrap();
        prop_assert_eq!(new_map.get("description").and_then(|v| v.as_str()), Some(new.as_str()));
        // In order: Mapping's own equality ignores key order.
        let strip = |m: &Mapping| -> Vec<(Value, Value)> {
            m.iter().filter(|(k, _)| k.as_str() != Some("description")).map(|(k, v)| (k.clone(), v.clone())).collect()
        };
        prop_assert_eq!(strip(&old_map), strip(&new_map));
        // Every line outside the description entry survives, in order.
        let others: Vec<Piece> = pieces.iter().enumerate().filter(|(i, _)| Some(*i) != di).map(|(_, p)| p.clone()).collect();
        let mut others_text = render(&others);
        if crlf {
            others_text = others_text.replace('\n', "\r\n");
        }
        prop_assert!(is_line_subsequence(&others_text, &out), "{:?}\n{:?}", text, out);
        if crlf {
            prop_assert!(!out.replace("\r\n", "").contains('\n') || new.contains('\n'), "{:?}", out);
        }
        // A second patch with the same value is a no-op (sync never rewrites an unchanged file).
        let again = patch_frontmatter_description(&out, Some(&new), InsertAt::End).unwrap();
        prop_assert_eq!(again, out);
    }

    #[test]
    fn sidecar_patch_changes_only_the_description(
        (pieces, _di) in frontmatter(),
        new in new_description(),
        target in prop::sample::select(vec!["gemini-cli", "codex"]),
    ) {
        let inner = render(&pieces);
        let indented: String = inner.split_inclusive('\n').map(|l| if l == "\n" { l.to_string() } else { format!("  {l}") }).collect();
        let yaml = format!("# top\ngemini-cli:\n{indented}claude-code:\n  model: m\n");
        let out = match patch_sidecar_description(&yaml, target, Some(&new), InsertAt::End) {
            Ok(o) => o,
            Err(e) => return Err(TestCaseError::fail(format!("{e}\n{yaml:?}"))),
        };
        let map = parse_mapping(&out, 1).unwrap();
        let section = map.get(target).and_then(|s| s.as_mapping()).cloned().unwrap_or_default();
        prop_assert_eq!(section.get("description").and_then(|v| v.as_str()), Some(new.as_str()));
        let old = parse_mapping(&yaml, 1).unwrap();
        prop_assert_eq!(map.get("claude-code"), old.get("claude-code"));
    }
}

#[test]
fn fuzz_regression_lone_carriage_returns() {
    let text = "---\ndescription: |-\n\r\r\r\r\r\r\r\r  d: x\n---\n>x\n\n";
    // YAML reads lone CRs as line breaks, the line patcher does not: refused, never wrong.
    assert!(patch_frontmatter_description(text, Some(""), InsertAt::Start).is_err());
}
