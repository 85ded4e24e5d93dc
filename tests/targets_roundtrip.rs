//! The round-trip law of SPEC §1.5, proven by property tests: for every target and every kind
//! it supports, parsing a rendered output gives back exactly the body and the description that
//! went in — for bodies and descriptions full of the characters that break formats.

mod support;

use agb::names::{ResourceKind, Target};
use agb::source::{Metadata, Resource};
use agb::targets::{self, markdown, OutputContent};
use proptest::prelude::*;
use serde_yaml::Value;
use support::strategies::{description, metadata, resource, text, yaml_value};

/// Render, then parse the main file back.
fn round_trip(target: Target, r: &Resource) -> Result<(Option<String>, String), TestCaseError> {
    let rendered = match targets::render(target, r) {
        Ok(rendered) => rendered,
        // Keys reserved for the body are refused, not mangled.
        Err(targets::TargetError::ReservedKey { .. }) => return Err(TestCaseError::reject("reserved key")),
        Err(e) => return Err(TestCaseError::fail(format!("render failed: {e:?}"))),
    };
    let main = &rendered.files[0];
    prop_assert_eq!(&main.rel, &targets::main_output_rel(target, r.id.kind, r.id.name.as_str()));
    let OutputContent::Text(text) = &main.content else {
        return Err(TestCaseError::fail("main file is not text"));
    };
    // Since issue 10 every output holds its own description (a Codex agent too): no config.toml.
    let config: Option<String> = None;
    let parsed = targets::parse(target, r.id.kind, r.id.name.as_str(), text, config.as_deref())
        .map_err(|e| TestCaseError::fail(format!("parse failed: {e:?}\n--- text ---\n{text}")))?;
    Ok((parsed.description, parsed.body))
}

fn check_all_kinds(
    metadata: Metadata,
    description: Option<String>,
    body: String,
) -> Result<(), TestCaseError> {
    for target in Target::ALL {
        for kind in ResourceKind::ALL {
            let r = resource(kind, metadata.clone(), body.clone());
            let (d, b) = round_trip(target, &r)?;
            prop_assert_eq!(&b, &body, "body of {} {}", target, kind);
            prop_assert_eq!(&d, &description, "description of {} {}", target, kind);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn every_target_gives_back_body_and_description(body in text(), (metadata, description) in metadata()) {
        check_all_kinds(metadata, description, body)?;
    }

    #[test]
    fn bodies_alone_round_trip(body in text(), description in description()) {
        let mut metadata = Metadata::new();
        if let Some(d) = &description {
            metadata.insert("description".into(), Value::String(d.clone()));
        }
        check_all_kinds(metadata, description, body)?;
    }

    #[test]
    fn markdown_reads_back_the_whole_metadata(body in text(), (metadata, _) in metadata()) {
        let text = markdown::render(&metadata, &body).expect("metadata is representable");
        let (back, back_body) = markdown::parse_document("f.md", &text)
            .map_err(|e| TestCaseError::fail(format!("{e:?}\n{text}")))?;
        prop_assert_eq!(back_body, body.as_str());
        prop_assert_eq!(back, metadata);
    }

    #[test]
    fn parsing_arbitrary_text_never_panics(text in text(), config in text()) {
        for t in Target::ALL {
            for kind in ResourceKind::ALL {
                let _ = targets::parse(t, kind, "res", &text, Some(&config));
            }
        }
        let _ = targets::codex_config_descriptions(&config);
        if let Ok(updated) = targets::remove_agb_codex_agents(&config, &["res".to_string()]) {
            let descriptions = targets::codex_config_descriptions(&updated)
                .map_err(|e| TestCaseError::fail(format!("updated config does not parse: {e:?}")))?;
            prop_assert!(!descriptions.contains_key("res"));
        }
    }
}

#[test]
fn fixed_hard_cases() {
    let bodies = [
        "",
        "\n",
        "no final newline",
        "\r\n\r\n",
        "\n\nlead",
        "trail\n\n\n",
        "'''",
        "\"\"\"",
        "a'",
        "a\"",
        "\\",
        "---",
        "---\n",
        "---\r\nx",
        "---\nfake: fm\n---\nbody",
        "\t\ttabs\t",
        "use $ARGUMENTS",
        "use {{args}}",
        "$ARGUMENTS and {{args}}",
        "{{$ARGUMENTS}}",
        "é日本🦀",
        "\u{0}\u{7f}",
    ];
    let descriptions = [
        None,
        Some(""),
        Some(": x"),
        Some(" #x"),
        Some("*x"),
        Some("&x"),
        Some("!x"),
        Some("|"),
        Some(">"),
        Some("'"),
        Some("\""),
        Some("%"),
        Some("@x"),
        Some("`x`"),
        Some("a\nb"),
        Some("\r\n"),
        Some("'''\"\"\""),
        Some("---"),
        Some("trailing "),
        Some("x\\"),
        Some("null"),
        Some("true"),
        Some("1.0"),
    ];
    for body in bodies {
        for d in descriptions {
            let mut metadata = Metadata::new();
            if let Some(d) = d {
                metadata.insert("description".into(), d.into());
            }
            check_all_kinds(metadata, d.map(str::to_string), body.to_string()).unwrap();
        }
    }
}

/// A user's Codex `config.toml`: top-level settings and comments, then some of the usual
/// tables in any order (each at most once), maybe an existing `[agents.res]` with a key of the
/// user's own; LF or CRLF line ends.
fn user_config() -> impl Strategy<Value = (String, Vec<String>)> {
    let top = proptest::sample::subsequence(
        vec!["# my settings", "model = \"o3\"  # keep this", "", "approval_policy = 'never'"],
        0..=4,
    );
    let sections: Vec<&'static [&'static str]> = vec![
        &["[profiles.fast]", "model = 'gpt-5-mini' # fast"],
        &["[agents]", "max_threads = 4", "# limits"],
        &["[agents.other]", "description = \"Someone else's\"", "config_file = 'agents/other.toml'"],
        &["# docs server", "[mcp_servers.docs]", "command = \"docs\"", "args = [\"-v\"]"],
        &["[agents.res]", "description = \"old\"", "nickname_candidates = [\"r\"]", "config_file = 'x.toml'"],
    ];
    (top, proptest::sample::subsequence(sections, 0..=5).prop_shuffle(), any::<bool>()).prop_map(
        |(top, sections, crlf)| {
            let mut lines: Vec<String> = top.iter().map(|s| s.to_string()).collect();
            for section in sections {
                lines.push(String::new());
                lines.extend(section.iter().map(|s| s.to_string()));
            }
            let eol = if crlf { "\r\n" } else { "\n" };
            let text = lines.iter().map(|l| format!("{l}{eol}")).collect::<String>();
            (text, lines)
        },
    )
}

proptest! {
    /// The migration of issue 10: removing agb's old `[agents.res]` table keeps every other line
    /// of the user's file, in order, with its line ends; it is idempotent; a table the
    /// manifest does not own (`[agents.other]`) stays.
    #[test]
    fn codex_migration_keeps_the_users_lines((config, lines) in user_config()) {
        let owned = ["res".to_string()];
        let updated = targets::remove_agb_codex_agents(&config, &owned)
            .map_err(|e| TestCaseError::fail(format!("{e:?}\n{config}")))?;
        prop_assert!(!targets::codex_config_descriptions(&updated).unwrap().contains_key("res"));
        prop_assert_eq!(&targets::remove_agb_codex_agents(&updated, &owned).unwrap(), &updated);
        let res_table = ["[agents.res]", "description = \"old\"", "nickname_candidates = [\"r\"]", "config_file = 'x.toml'"];
        // Comments directly above the removed header belong to it (toml_edit's decor; documented
        // in docs/targets.md), so they go with it.
        let header = lines.iter().position(|l| l == "[agents.res]");
        let above = |i: usize| {
            header.is_some_and(|h| i < h && lines[i..h].iter().all(|l| l.is_empty() || l.starts_with('#')))
        };
        let mut out_lines = updated.lines();
        let kept = lines.iter().enumerate().filter(|(i, l)| !res_table.contains(&l.as_str()) && !l.is_empty() && !above(*i));
        for (_, line) in kept {
            prop_assert!(out_lines.any(|o| o == line), "line {:?} lost or moved:\n{}", line, updated);
        }
        if config.contains("\r\n") {
            prop_assert!(!updated.replace("\r\n", "").contains('\n'), "line ends changed:\n{:?}", updated);
        }
        if !config.contains("[agents.res]") {
            prop_assert_eq!(&updated, &config, "nothing owned in the file: byte for byte");
        }
    }
}

// Issue 10: the placeholder translation of Gemini CLI commands and the per-target schemas.

/// Bodies full of Claude Code and Gemini CLI placeholders, and the characters around them.
fn placeholder_body() -> impl Strategy<Value = String> {
    let pieces = proptest::sample::select(
        &[
            "$ARGUMENTS",
            "$1",
            "{{args}}",
            "!`",
            "`",
            "!{",
            "@{",
            "@",
            "{",
            "}",
            "!",
            " ",
            "\n",
            "\r\n",
            "ls -l",
            "README.md",
            "src/a.rs",
            ".",
            "a@b",
            "~/x",
            "-",
            "é",
        ][..],
    );
    prop::collection::vec(pieces, 0..14).prop_map(|v| v.concat())
}

/// Metadata using the keys the schemas know, with plausible and implausible values.
fn schema_metadata() -> impl Strategy<Value = Metadata> {
    let key = proptest::sample::select(
        &[
            "name",
            "description",
            "model",
            "tools",
            "allowed-tools",
            "color",
            "mode",
            "temperature",
            "maxTurns",
            "mcpServers",
            "kind",
            "x y",
            "license",
            "metadata",
        ][..],
    );
    let value = prop_oneof![
        proptest::sample::select(
            &[
                "sonnet",
                "inherit",
                "anthropic/claude-sonnet-4",
                "blue",
                "#00ff00",
                "subagent",
                "Read, Grep",
                "res"
            ][..]
        )
        .prop_map(|s| Value::String(s.into())),
        prop::collection::vec(
            proptest::sample::select(
                &["Read", "read_file", "WebFetch", "Bash(git:*)", "Nope", "mcp__d__t"][..]
            ),
            0..4
        )
        .prop_map(|v| Value::Sequence(v.into_iter().map(|s| Value::String(s.into())).collect())),
        yaml_value(),
    ];
    prop::collection::vec((key, value), 0..6)
        .prop_map(|kv| kv.into_iter().map(|(k, v)| (Value::String(k.into()), v)).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn gemini_placeholders_translate_reversibly(body in placeholder_body(), description in description()) {
        if let Some(prompt) = targets::placeholders::to_gemini(&body) {
            prop_assert_eq!(targets::placeholders::from_gemini(&prompt), body.clone());
            prop_assert!(!prompt.contains("$ARGUMENTS"));
        }
        let mut metadata = Metadata::new();
        if let Some(d) = &description {
            metadata.insert("description".into(), Value::String(d.clone()));
        }
        check_all_kinds(metadata, description, body)?;
    }

    #[test]
    fn schemas_keep_the_round_trip_and_warn_once_per_key(metadata in schema_metadata(), body in text()) {
        for target in Target::ALL {
            for kind in ResourceKind::ALL {
                let r = resource(kind, metadata.clone(), body.clone());
                let _ = targets::check(target, &r);
                let Ok(rendered) = targets::render(target, &r) else { continue };
                let mut keys: Vec<&str> = rendered.warnings.iter().map(|w| w.key.as_str()).collect();
                let n = keys.len();
                keys.sort_unstable();
                keys.dedup();
                prop_assert_eq!(keys.len(), n, "one warning per key: {:?}", rendered.warnings);
                let (d, b) = round_trip(target, &r)?;
                prop_assert_eq!(&b, &body);
                prop_assert_eq!(d.as_deref(), r.description());
            }
        }
    }
}

#[test]
fn strict_agents_get_only_keys_their_agent_accepts() {
    let meta: Metadata = serde_yaml::from_str(
        "description: d\ntools: [Read, Nope]\nmodel: sonnet\ncolor: blue\ntemperature: 0.2\nmode: subagent\nx: 1\n",
    )
    .unwrap();
    let r = resource(ResourceKind::Agent, meta, "b".into());
    let gemini = targets::render(Target::GeminiCli, &r).unwrap();
    let OutputContent::Text(text) = &gemini.files[0].content else { panic!() };
    let (back, _) = markdown::parse_document("f", text).unwrap();
    let keys: Vec<&str> = back.keys().filter_map(Value::as_str).collect();
    assert_eq!(keys, ["name", "description", "tools", "temperature"]);
    assert_eq!(back["tools"], Value::Sequence(vec!["read_file".into()]));
    let codex = targets::render(Target::Codex, &r).unwrap();
    let OutputContent::Text(text) = &codex.files[0].content else { panic!() };
    let table: toml::Table = text.parse().unwrap();
    let keys: Vec<&str> = table.keys().map(String::as_str).collect();
    assert_eq!(keys, ["name", "description", "developer_instructions"]);
}
