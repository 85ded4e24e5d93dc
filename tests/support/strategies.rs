//! The proptest strategies the round-trip law tests and the cross-check with other parsers
//! share: text built from pieces that break formats, descriptions, metadata values, resources.
//!
//! Not here: the laws themselves (`tests/targets_*.rs`).

use std::path::PathBuf;

use agb::names::{Name, ResourceId, ResourceKind};
use agb::source::{DescriptionOrigin, Metadata, Resource};
use proptest::prelude::*;
use serde_yaml::Value;

/// Pieces that are hard for YAML, TOML, frontmatter splitting or the gemini placeholder
/// mapping; bodies and descriptions are built from these and from arbitrary text.
pub const TRICKY: &[&str] = &[
    "\"\"\"",
    "'''",
    "\"",
    "'",
    "\\",
    "\\\\",
    "\\n",
    "\r\n",
    "\n",
    "\r",
    "\t",
    " ",
    "  ",
    "---",
    "---\n",
    "\n---\n",
    "...",
    "\n...\n",
    "$ARGUMENTS",
    "{{args}}",
    "{{",
    "}}",
    "$",
    "{",
    "é",
    "日本語",
    "🦀",
    "\u{2028}",
    "\u{85}",
    "\u{feff}",
    "\u{feff}---\n",
    "\u{0}",
    "\u{1b}",
    "\u{7f}",
    "# agb: verbatim prompt",
    "#",
    ": ",
    " #",
    "- ",
    "? ",
    "|",
    ">",
    "*",
    "&",
    "!",
    "%",
    "@",
    "`",
    "[",
    "{",
    "~",
    "null",
    "true",
    "0x1f",
    "1.5",
    "yes",
    "a",
    "word",
    "Line of text.",
    "\n\n",
    "'''\"\"\"",
    "\\\"",
    "\"\\",
];

pub fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(TRICKY).prop_map(str::to_string),
        1 => "\\PC{0,6}",
        1 => any::<String>().prop_map(|s| s.chars().take(6).collect()),
    ]
}

pub fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..16).prop_map(|v| v.concat())
}

/// Descriptions: often starting with a YAML indicator, sometimes empty or multi-line.
pub fn description() -> impl Strategy<Value = Option<String>> {
    let lead = proptest::sample::select(
        &[
            "", ": ", " #", "*", "&", "!", "|", ">", "'", "\"", "%", "@", "`", "-", "? ", "[", "{", "~", "#",
            ",", "\n", " ",
        ][..],
    );
    prop_oneof![
        1 => Just(None),
        6 => (lead, text()).prop_map(|(l, t)| Some(format!("{l}{t}"))),
    ]
}

/// Other metadata values a frontmatter can carry.
pub fn yaml_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        text().prop_map(Value::String),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|i| Value::Number(i.into())),
        any::<f64>().prop_map(|f| Value::Number(f.into())),
        Just(Value::Null),
    ];
    leaf.prop_recursive(2, 8, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Sequence),
            prop::collection::vec(("[a-z_-]{1,8}", inner), 0..4).prop_map(|kv| {
                Value::Mapping(kv.into_iter().map(|(k, v)| (Value::String(k), v)).collect())
            }),
        ]
    })
}

/// Metadata: some other keys, with `description` (when there is one) at any position.
pub fn metadata() -> impl Strategy<Value = (Metadata, Option<String>)> {
    let other = prop::collection::vec(
        (
            proptest::sample::select(
                &["model", "tools", "allowed-tools", "argument-hint", "x y", "temperature"][..],
            ),
            yaml_value(),
        ),
        0..4,
    );
    (other, description(), any::<prop::sample::Index>()).prop_map(|(other, desc, at)| {
        let mut entries: Vec<(Value, Value)> =
            other.into_iter().map(|(k, v)| (Value::String(k.to_string()), v)).collect();
        if let Some(d) = &desc {
            let i = at.index(entries.len() + 1);
            entries.insert(i, (Value::String("description".into()), Value::String(d.clone())));
        }
        (entries.into_iter().collect(), desc)
    })
}

pub fn resource(kind: ResourceKind, metadata: Metadata, body: String) -> Resource {
    Resource {
        id: ResourceId { kind, plugin: Name::new("plug").unwrap(), name: Name::new("res").unwrap() },
        main_file: PathBuf::from("/nonexistent/res.md"),
        sidecar: None,
        metadata,
        description_origin: DescriptionOrigin::Frontmatter,
        body,
        extras: Vec::new(),
        excluded: Vec::new(),
    }
}

/// Scalars a YAML 1.1 reader (PyYAML) types where YAML 1.2 sees strings: octal, dates, times,
/// merge keys, values, `on`.
pub const YAML_1_1_TRICKY: &[&str] = &["0o17", "2001-12-14", "12:30:00", "<<", "=", "on"];

/// Text of up to `max` pieces from `pieces` or arbitrary printable text (3:1).
pub fn text_from(pieces: Vec<&'static str>, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![3 => proptest::sample::select(pieces).prop_map(str::to_string), 1 => "\\PC{0,6}"],
        0..max,
    )
    .prop_map(|v| v.concat())
}
