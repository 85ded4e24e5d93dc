use super::*;

fn parse(text: &str) -> Result<Config, ConfigError> {
    let env = |n: &str| match n {
        "RES" => Some("/srv/res".to_string()),
        _ => None,
    };
    Config::parse(Path::new("/proj/.gemini/agb.yaml"), text.to_string(), &env, Some(Path::new("/home/u")))
}

fn line(e: &ConfigError) -> usize {
    match e {
        ConfigError::Yaml { line, .. }
        | ConfigError::UnknownKey { line, .. }
        | ConfigError::BadType { line, .. }
        | ConfigError::BadTarget { line, .. }
        | ConfigError::BadResource { line, .. }
        | ConfigError::BadExclude { line, .. }
        | ConfigError::Expand { line, .. } => *line,
        other => panic!("no line in {other:?}"),
    }
}

fn code(e: &ConfigError) -> String {
    miette::Diagnostic::code(e).map(|c| c.to_string()).unwrap_or_default()
}

fn help(e: &ConfigError) -> String {
    miette::Diagnostic::help(e).map(|c| c.to_string()).unwrap_or_default()
}

#[test]
fn full_config_loads() {
    let c = parse(
        "source: ../src\ntarget: claude-code\nexclude:\n  - \"*.tmp\"\nresources:\n  commands: [p:a, p:b]\n  agents:\n    - q:r\n  skills: []\nfactory:\n  repository: org/f\n",
    )
    .unwrap();
    assert_eq!(c.output_root, Path::new("/proj/.gemini"));
    assert_eq!(c.source, Path::new("/proj/src"));
    assert_eq!(c.target, Target::ClaudeCode);
    assert_eq!(c.exclude, vec!["*.tmp"]);
    let cmds: Vec<String> = c.resources.commands.iter().map(|r| r.id.qualified()).collect();
    assert_eq!(cmds, vec!["p:a", "p:b"]);
    assert_eq!(c.resources.commands[1].line, 6);
    assert_eq!(c.resources.agents[0].line, 8);
    assert_eq!(&c.text[c.resources.agents[0].span.offset()..][..3], "q:r");
    assert!(c.factory.is_some());
}

#[test]
fn unknown_key_names_line_and_valid_keys() {
    let e = parse("source: x\ntarget: codex\nresorces:\n  commands: []\n").unwrap_err();
    assert_eq!(code(&e), "agb::config::unknown_key");
    assert_eq!(line(&e), 3);
    assert!(help(&e).contains("did you mean `resources`"), "{}", help(&e));
    assert!(help(&e).contains("source, target, exclude, resources, factory"));
}

#[test]
fn missing_source_and_target() {
    let e = parse("target: codex\n").unwrap_err();
    assert!(matches!(e, ConfigError::MissingKey { key: "source", .. }));
    let e = parse("source: x\n").unwrap_err();
    assert!(matches!(e, ConfigError::MissingKey { key: "target", .. }));
    let e = parse("").unwrap_err();
    assert!(matches!(e, ConfigError::MissingKey { key: "source", .. }));
}

#[test]
fn bad_types_point_at_their_key() {
    let e = parse("source: x\ntarget: codex\nexclude: \"*.tmp\"\n").unwrap_err();
    assert_eq!(code(&e), "agb::config::bad_type");
    assert_eq!(line(&e), 3);
    let e = parse("source: [a]\ntarget: codex\n").unwrap_err();
    assert_eq!(line(&e), 1);
    let e = parse("source: x\ntarget: codex\nresources:\n  skills: p:s\n").unwrap_err();
    assert_eq!(line(&e), 4);
    let e = parse("source: x\ntarget: codex\nresources: [p:s]\n").unwrap_err();
    assert_eq!(line(&e), 3);
    let e = parse("- a\n- b\n").unwrap_err();
    assert_eq!(code(&e), "agb::config::bad_type");
}

#[test]
fn bad_target_suggests() {
    let e = parse("source: x\ntarget: gemini\n").unwrap_err();
    assert_eq!(code(&e), "agb::config::bad_target");
    assert_eq!(line(&e), 2);
    assert!(help(&e).contains("gemini-cli"));
}

#[test]
fn bad_resource_entries() {
    let e =
        parse("source: x\ntarget: codex\nresources:\n  commands:\n    - p:ok\n    - nocolon\n").unwrap_err();
    assert_eq!(code(&e), "agb::config::bad_resource");
    assert_eq!(line(&e), 6);
    let e = parse("source: x\ntarget: codex\nresources:\n  agents: [\"p:bad name\"]\n").unwrap_err();
    assert_eq!(line(&e), 4);
    assert!(e.to_string().contains("invalid resource name"));
    let e = parse("source: x\ntarget: codex\nresources:\n  comands: []\n").unwrap_err();
    assert_eq!(code(&e), "agb::config::unknown_key");
    assert_eq!(line(&e), 4);
    assert!(help(&e).contains("did you mean `commands`"));
}

#[test]
fn entry_lines_skip_comments_and_longer_names() {
    let c = parse(
        "source: x\ntarget: codex\nresources:\n  commands:\n    # - p:a\n    - p:ab # p:a\n    - p:a\n",
    )
    .unwrap();
    let lines: Vec<usize> = c.resources.commands.iter().map(|r| r.line).collect();
    assert_eq!(lines, vec![6, 7]);
}

#[test]
fn duplicate_entries_are_kept_once() {
    let c = parse("source: x\ntarget: codex\nresources:\n  commands: [p:a, p:a]\n").unwrap();
    assert_eq!(c.resources.commands.len(), 1);
}

#[test]
fn invalid_yaml_and_glob() {
    let e = parse("source: x\ntarget: codex\nexclude: [\n").unwrap_err();
    assert_eq!(code(&e), "agb::config::yaml");
    let e = parse("source: x\ntarget: codex\nexclude:\n  - ok\n  - \"a[b\"\n").unwrap_err();
    assert_eq!(code(&e), "agb::config::bad_exclude");
    assert_eq!(line(&e), 5);
}

#[test]
fn source_expansion() {
    assert_eq!(parse("source: ~/res\ntarget: codex\n").unwrap().source, Path::new("/home/u/res"));
    assert_eq!(parse("source: $RES/x\ntarget: codex\n").unwrap().source, Path::new("/srv/res/x"));
    assert_eq!(parse("source: ${RES}x\ntarget: codex\n").unwrap().source, Path::new("/srv/resx"));
    assert_eq!(parse("source: /abs\ntarget: codex\n").unwrap().source, Path::new("/abs"));
    assert_eq!(parse("source: ../../s\ntarget: codex\n").unwrap().source, Path::new("/s"));
    let e = parse("target: codex\nsource: $NOPE/x\n").unwrap_err();
    assert_eq!(code(&e), "agb::config::expand");
    assert_eq!(line(&e), 2);
    assert!(e.to_string().contains("NOPE"));
}

#[test]
fn expand_path_edge_cases() {
    let env = |n: &str| (n == "A").then(|| "v".to_string());
    let home = Some(Path::new("/h"));
    assert_eq!(expand_path("a$", &env, home).unwrap(), Path::new("a$"));
    assert_eq!(expand_path("$1x", &env, home).unwrap(), Path::new("$1x"));
    assert_eq!(expand_path("~user/x", &env, home).unwrap(), Path::new("~user/x"));
    assert_eq!(expand_path("~", &env, home).unwrap(), Path::new("/h"));
    assert!(expand_path("${A", &env, home).is_err());
    assert!(expand_path("~/x", &env, None).is_err());
    assert_eq!(expand_path("$A-$A", &env, home).unwrap(), Path::new("v-v"));
}

#[test]
fn a_directory_given_as_the_config_says_how_to_point_at_a_project() {
    let dir = tempfile::tempdir().unwrap();
    let e = Config::load(dir.path()).unwrap_err();
    assert!(matches!(e, ConfigError::IsDirectory { .. }), "{e:?}");
    assert!(help(&e).contains("-C DIR"));
}

#[test]
fn a_byte_order_mark_is_not_an_error() {
    let c = parse("\u{feff}source: s\ntarget: codex\nresources:\n  commands: [p:a]\n").unwrap();
    assert_eq!(c.target, Target::Codex);
    let r = &c.resources.commands[0];
    assert_eq!((r.line, &c.text[r.span.offset()..r.span.offset() + r.span.len()]), (4, "p:a"));
}

#[test]
fn missing_file_says_where_it_looked() {
    let dir = tempfile::tempdir().unwrap();
    let e = Config::load(&dir.path().join("agb.yaml")).unwrap_err();
    assert!(e.to_string().contains(&dir.path().display().to_string()));
    assert!(help(&e).contains("agb init"));
}

#[test]
fn locate_key_finds_plain_and_quoted_keys() {
    let text = "# source: no\n\"source\" : a\nnested:\n  target: b\n";
    assert_eq!(locate_key(text, 0, text.len(), "source", Some(0)), Some((13, 8)));
    assert_eq!(locate_key(text, 0, text.len(), "target", Some(0)), None);
    assert_eq!(
        locate_key(text, 0, text.len(), "target", None).map(|(o, _)| line_of_offset(text, o)),
        Some(4)
    );
}

proptest::proptest! {
    /// Whatever the text, loading is an error or a config, never a panic; and a config's
    /// resource spans point at the entries' text.
    #[test]
    fn parse_never_panics(lines in proptest::collection::vec(proptest::sample::select(vec![
        "resources:", "  commands:", "  agents: [p:a, q:b]", "  skills: [\"p:s\"]", "    - p:x",
        "    - 'p:y'", "    - bad", "exclude:", "  - \"*.tmp\"", "  - \"a[\"", "factory: {repository: o/r}",
        "# comment p:x", "  # - p:x", "sorce: x", "  commands: p:x", "  - p:q:r", "resources: {agents: [p:a]}",
    ]), 0..10)) {
        let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
        let text = format!("source: s\ntarget: codex\n{body}");
        if let Ok(c) = parse(&text) {
            for r in c.resources.iter() {
                let at = &c.text[r.span.offset()..r.span.offset() + r.span.len()];
                proptest::prop_assert_eq!(at, r.id.qualified());
            }
        }
    }
}
