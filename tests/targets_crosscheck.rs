//! The round-trip law checked with parsers agb does not use: Python's `tomllib` (an
//! independent TOML 1.0 reader) must read every Gemini command and Codex agent (and Codex's
//! `config.toml`) as agb meant it, and PyYAML (a YAML 1.1 reader) every Markdown frontmatter
//! too. Catches output that only agb's own parsers (toml_edit, serde_yaml) accept. Without
//! PyYAML the test fails and says so: it never skips the YAML half silently.

mod support;

use std::path::PathBuf;
use std::process::Command;

use agb::names::{Name, ResourceId, ResourceKind, Target};
use agb::source::{DescriptionOrigin, Metadata, Resource};
use agb::targets::{self, OutputContent};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_yaml::Value;
use support::strategies::{text_from, TRICKY, YAML_1_1_TRICKY};

/// The round-trip tests' tricky pieces and the scalars YAML 1.1 (PyYAML) types differently.
fn text() -> impl Strategy<Value = String> {
    text_from([TRICKY, YAML_1_1_TRICKY].concat(), 12)
}

const CHECK_PY: &str = r#"
import json, re, sys, tomllib
try:
    import yaml
except ImportError:
    sys.exit('PyYAML is missing: this test reads every frontmatter with it (pip install pyyaml)')
corpus = json.load(open(sys.argv[1], encoding='utf-8'))
bad = []
def same(a, b):
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
        if type(a) != type(b): return False
    if isinstance(a, list): return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict): return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b
def split(t):
    m = re.match(r'---(\r?\n|$)', t)
    if not m: return None, t
    pos = m.end(); start = pos
    while pos <= len(t):
        rest = t[pos:]
        c = re.match(r'---(\r?\n|$)', rest)
        if c: return t[start:pos], rest[c.end():]
        nl = rest.find('\n')
        if nl < 0: break
        pos += nl + 1
    raise ValueError('unclosed frontmatter')
for i, e in enumerate(corpus):
    try:
        if e['format'] == 'gemini-command':
            d = tomllib.loads(e['text'])
            if d['prompt'] != e['prompt'] or d.get('description') != e['description'] or d.get('tools') != e['tools']:
                bad.append((i, 'gemini command reads differently'))
        elif e['format'] == 'codex-agent':
            d = tomllib.loads(e['text'])
            if d['developer_instructions'] != e['body'] or d.get('description') != e['description'] or d.get('name') != 'res':
                bad.append((i, 'codex agent reads differently'))
        else:
            y, body = split(e['text'])
            if body != e['body']:
                bad.append((i, 'markdown body differs'))
            else:
                m = (yaml.safe_load(y) if y is not None else None) or {}
                if e['format'] == 'gemini-agent':
                    # Issue 10: the strict agent schema translates `tools` and leaves `extra` out.
                    if m.get('description') != e['description'] or m.get('name') != 'res':
                        bad.append((i, 'gemini agent frontmatter reads differently'))
                elif m.get('description') != e['description'] or m.get('tools') != e['tools'] or not same(m.get('extra'), e['extra']):
                    bad.append((i, 'frontmatter reads differently'))
    except Exception as ex:
        bad.append((i, repr(ex)))
print(json.dumps({'checked': len(corpus), 'yaml': True, 'bad': bad[:10]}))
"#;

#[test]
fn python_reads_the_outputs_as_agb_meant_them() {
    let mut runner = TestRunner::deterministic();
    // Finite floats only: JSON (how the corpus reaches Python) has no NaN or infinity.
    let leaf = prop_oneof![
        text().prop_map(Value::String),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|i| Value::Number(i.into())),
        (-1e300f64..1e300).prop_map(|f| Value::Number(f.into())),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| Value::Number(f.into())),
        Just(Value::Null),
    ];
    let nested = leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Sequence),
            prop::collection::vec(("[a-z_ .-]{1,6}", inner), 0..4)
                .prop_map(|kv| Value::Mapping(kv.into_iter().map(|(k, v)| (Value::String(k), v)).collect())),
        ]
    });
    let strategy = (text(), prop::option::of(text()), prop::collection::vec(text(), 0..3), nested);
    let mut corpus = Vec::new();
    for _ in 0..400 {
        let (body, description, tools, extra) = strategy.new_tree(&mut runner).unwrap().current();
        let mut metadata = Metadata::new();
        if let Some(d) = &description {
            metadata.insert("description".into(), Value::String(d.clone()));
        }
        let tools_value = Value::Sequence(tools.iter().cloned().map(Value::String).collect());
        metadata.insert("tools".into(), tools_value);
        metadata.insert("extra".into(), extra.clone());
        for target in [Target::GeminiCli, Target::Codex, Target::ClaudeCode, Target::Copilot] {
            for kind in [ResourceKind::Command, ResourceKind::Agent] {
                let r = Resource {
                    id: ResourceId { kind, plugin: Name::new("p").unwrap(), name: Name::new("res").unwrap() },
                    main_file: PathBuf::from("/nonexistent"),
                    sidecar: None,
                    metadata: metadata.clone(),
                    description_origin: DescriptionOrigin::Frontmatter,
                    body: body.clone(),
                    extras: Vec::new(),
                    excluded: Vec::new(),
                };
                let rendered = targets::render(target, &r).unwrap();
                let OutputContent::Text(text) = &rendered.files[0].content else {
                    panic!("main file is text")
                };
                let format = match (target, kind) {
                    (Target::GeminiCli, ResourceKind::Command) => "gemini-command",
                    (Target::Codex, ResourceKind::Agent) => "codex-agent",
                    (Target::GeminiCli, ResourceKind::Agent) => "gemini-agent",
                    _ => "markdown",
                };
                // Issue 10: Claude Code's placeholders become Gemini's when that reads back exactly.
                let prompt = targets::placeholders::to_gemini(&body).unwrap_or_else(|| body.clone());
                corpus.push(serde_json::json!({
                    "format": format,
                    "text": text,
                    "body": body,
                    "prompt": prompt,
                    "description": description,
                    "tools": tools,
                    "extra": extra,
                }));
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.json");
    std::fs::write(&path, serde_json::to_string(&corpus).unwrap()).unwrap();
    let out = support::isolate_tool(&mut Command::new("python3"))
        .arg("-c")
        .arg(CHECK_PY)
        .arg(&path)
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "python3 failed: {}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["checked"], corpus.len());
    assert_eq!(report["yaml"], true, "the frontmatters were read with PyYAML");
    assert_eq!(report["bad"], serde_json::json!([]), "outputs Python reads differently: {report}");
}
