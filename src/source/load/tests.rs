use super::*;
use crate::source::DescriptionOrigin;

/// A temp project: `src/` (the source) and `proj/agb.yaml`.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Self {
        Fixture { dir: tempfile::tempdir().unwrap() }
    }

    fn file(&self, rel: &str, text: &str) -> &Self {
        let p = self.dir.path().join("src").join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
        self
    }

    fn config(&self, target: &str, resources: &str) -> Config {
        let p = self.dir.path().join("proj/agb.yaml");
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(
            &p,
            format!("source: ../src\ntarget: {target}\nexclude: [\"*.tmp\"]\nresources:\n{resources}"),
        )
        .unwrap();
        Config::load(&p).unwrap()
    }

    fn load(&self, target: &str, resources: &str) -> Result<Selection, SourceError> {
        load_selection(&self.config(target, resources))
    }
}

fn demo() -> Fixture {
    let f = Fixture::new();
    f.file("AGENTS.md", "global\n")
        .file("overrides.yaml", "model:\n  sonnet:\n    gemini-cli: gemini-2.5-pro\n")
        .file("plugins/p/commands/web.md", "---\ndescription: Search\nmodel: sonnet\n---\nRun $ARGUMENTS\n")
        .file("plugins/p/commands/web.yaml", "codex:\n  description: Codex search\n")
        .file("plugins/p/agents/res.md", "no frontmatter\n")
        .file("plugins/p/skills/sk/SKILL.md", "---\ndescription: Skill\n---\nbody")
        .file("plugins/p/skills/sk/SKILL.yaml", "opencode:\n  x: 1\n")
        .file("plugins/p/skills/sk/ref/b.md", "b")
        .file("plugins/p/skills/sk/a.txt", "a")
        .file("plugins/p/skills/sk/drop.tmp", "t")
        .file("plugins/p/skills/sk/.hidden", "h")
        .file("plugins/p/README.md", "not a resource")
        .file("plugins/q/commands/broken.md", "---\n: : [\n---\n")
        .file("plugins/q/commands/lint.md", "lint");
    f
}

const ALL: &str = "  commands: [p:web]\n  agents: [p:res]\n  skills: [p:sk]\n";

#[test]
fn loads_merges_and_lists_extras() {
    let f = demo();
    let s = f.load("gemini-cli", ALL).unwrap();
    assert_eq!(s.resources.len(), 3);
    let web = &s.resources[0];
    assert_eq!(web.metadata.get("model").unwrap().as_str(), Some("gemini-2.5-pro"));
    assert_eq!(web.description(), Some("Search"));
    assert_eq!(web.description_origin, DescriptionOrigin::Frontmatter);
    assert_eq!(web.body, "Run $ARGUMENTS\n");
    assert!(web.sidecar.is_some());
    let res = &s.resources[1];
    assert_eq!(res.body, "no frontmatter\n");
    assert_eq!(res.description_origin, DescriptionOrigin::None);
    let sk = &s.resources[2];
    let rels: Vec<&str> = sk.extras.iter().map(|e| e.rel.as_str()).collect();
    assert_eq!(rels, vec!["a.txt", "ref/b.md"], "sorted, excludes and hidden files dropped");
    assert_eq!(sk.extras[0].size, 1);
    assert!(s.global_instructions.unwrap().ends_with("AGENTS.md"));
    assert!(s.overrides_file.is_some());

    let codex = f.load("codex", ALL).unwrap();
    assert_eq!(codex.resources[0].description(), Some("Codex search"));
    assert_eq!(codex.resources[0].description_origin, DescriptionOrigin::Sidecar);
    assert_eq!(codex.resources[0].metadata.get("model").unwrap().as_str(), Some("sonnet"));
}

#[test]
fn a_broken_unselected_resource_does_not_matter() {
    let f = demo();
    assert!(f.load("claude-code", "  commands: [q:lint]\n").is_ok());
    let e = f.load("claude-code", "  commands: [q:broken]\n").unwrap_err();
    assert_eq!(miette::Diagnostic::code(&e).unwrap().to_string(), "agb::source::frontmatter::invalid");
}

#[test]
fn misspelt_resource_suggests_the_closest() {
    let f = demo();
    let e = f.load("claude-code", "  commands:\n    - p:webb\n").unwrap_err();
    match &e {
        SourceError::UnknownResource { id, line, advice, .. } => {
            assert_eq!(id, "p:webb");
            assert_eq!(*line, 6);
            assert!(advice.contains("did you mean `p:web`"), "{advice}");
        }
        other => panic!("{other:?}"),
    }
    let e = f.load("claude-code", "  agents: [p:web]\n").unwrap_err();
    assert!(miette::Diagnostic::help(&e).unwrap().to_string().contains("list it under `commands:`"));
    f.file("plugins/p/skills/half/notes.md", "no SKILL.md here");
    let e = f.load("claude-code", "  skills: [p:half]\n").unwrap_err();
    assert!(miette::Diagnostic::help(&e).unwrap().to_string().contains("without SKILL.md"));
    let e = f.load("claude-code", "  commands: [x:lint]\n").unwrap_err();
    assert!(miette::Diagnostic::help(&e).unwrap().to_string().contains("q:lint"));
}

#[test]
fn a_resource_in_an_unreadable_directory_says_so() {
    let f = demo();
    let config = f.config("claude-code", "  commands: [p:web]\n  agents: [p:res]\n");
    fs::remove_dir_all(f.dir.path().join("src/plugins/p/commands")).unwrap();
    let mut index = scan(&config.source).unwrap();
    // what scan records for `commands/` without read permission (tests may run as root, for
    // whom chmod changes nothing)
    let commands = index.plugins_dir.join("p/commands");
    index.problems.push(crate::source::ScanProblem {
        path: commands.clone(),
        message: "cannot read: Permission denied (os error 13)".into(),
    });
    let e = load_selection_from(&config, &index).unwrap_err();
    let help = miette::Diagnostic::help(&e).unwrap().to_string();
    assert!(help.contains("Permission denied") && help.contains(&commands.display().to_string()), "{help}");
}

#[test]
fn several_problems_are_reported_together() {
    let f = demo();
    let e = f.load("claude-code", "  commands: [p:nope, q:broken]\n").unwrap_err();
    match e {
        SourceError::Many { count, .. } => assert_eq!(count, 2),
        other => panic!("{other:?}"),
    }
}

#[test]
fn same_name_from_two_plugins_is_a_conflict_naming_both() {
    let f = demo();
    f.file("plugins/q/commands/web.md", "other web");
    let e = f.load("claude-code", "  commands: [p:web, q:web]\n").unwrap_err();
    let msg = e.to_string();
    assert!(msg.starts_with("two selected commands are named `web`"), "{msg}");
    assert!(msg.contains("p/commands/web.md and ") && msg.contains("q/commands/web.md"), "{msg}");
    f.file("plugins/r/commands/web.md", "third web");
    let e = f.load("claude-code", "  commands: [p:web, q:web, r:web]\n").unwrap_err();
    assert!(e.to_string().starts_with("three selected commands are named `web`"), "{e}");
    // different kinds may share a name
    f.file("plugins/q/agents/web.md", "agent web");
    assert!(f.load("claude-code", "  commands: [p:web]\n  agents: [q:web]\n").is_ok());
}

#[test]
fn thousands_of_problems_are_counted_but_not_all_shown() {
    let f = demo();
    let many: Vec<String> = (0..120).map(|i| format!("p:nope{i}")).collect();
    let e = f.load("claude-code", &format!("  commands: [{}]\n", many.join(", "))).unwrap_err();
    match &e {
        SourceError::Many { count, errors } => {
            assert_eq!(*count, 120);
            assert_eq!(errors.len(), SourceError::MAX_SHOWN);
            assert!(e.to_string().contains("120 problems") && e.to_string().contains("first 50"), "{e}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn missing_dependencies_are_all_listed() {
    let f = demo();
    f.file(
        "plugins/p/requirements.yaml",
        "agents:\n  res:\n    skills: [p:sk, q:gone]\n    commands: [lint2]\ncommands:\n  other:\n    skills: [p:sk]\n",
    );
    let e = f.load("claude-code", "  agents: [p:res]\n").unwrap_err();
    match &e {
        SourceError::MissingDependencies { count, list } => {
            assert_eq!(*count, 3);
            assert!(list.contains("needs skill p:sk (not selected"), "{list}");
            assert!(list.contains("needs skill q:gone (not in the source"), "{list}");
            assert!(list.contains("needs command p:lint2"), "{list}");
            assert!(list.contains("requirements.yaml:3"), "{list}");
        }
        other => panic!("{other:?}"),
    }
    // satisfied (and the unselected `other` needs nothing from us)
    f.file("plugins/p/requirements.yaml", "agents:\n  res:\n    skills: [p:sk]\n");
    assert!(f.load("claude-code", "  agents: [p:res]\n  skills: [p:sk]\n").is_ok());
}

#[test]
fn problems_from_sub_checks_are_one_flat_list() {
    let f = demo();
    f.file("plugins/p/requirements.yaml", "agents: [x]\n").file("plugins/q/requirements.yaml", "skills: 1\n");
    let e = f.load("claude-code", "  commands: [p:nope, q:lint]\n  agents: [p:res]\n").unwrap_err();
    match &e {
        SourceError::Many { count, errors } => {
            assert_eq!(*count, 3);
            assert!(errors.iter().all(|e| !matches!(e, SourceError::Many { .. })));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn bad_requirements_yaml_points_at_the_line() {
    let f = demo();
    f.file("plugins/p/requirements.yaml", "agents:\n  res:\n    skillz: [p:sk]\n");
    let e = f.load("claude-code", "  agents: [p:res]\n").unwrap_err();
    match &e {
        SourceError::Requirements { line, message, .. } => {
            assert_eq!(*line, 3);
            assert!(message.contains("skillz"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn sidecar_with_forbidden_key_fails_only_when_selected() {
    let f = demo();
    f.file("plugins/q/commands/lint.yaml", "description: x\n");
    assert!(f.load("codex", "  commands: [p:web]\n").is_ok());
    let e = f.load("codex", "  commands: [q:lint]\n").unwrap_err();
    assert_eq!(miette::Diagnostic::code(&e).unwrap().to_string(), "agb::source::sidecar::invalid");
}

#[test]
fn unclosed_non_mapping_and_non_utf8() {
    let f = demo();
    f.file("plugins/q/commands/open.md", "---\ndescription: x\nbody\n");
    f.file("plugins/q/commands/list.md", "---\n- a\n---\nbody\n");
    let e = f.load("codex", "  commands: [q:open]\n").unwrap_err();
    assert_eq!(miette::Diagnostic::code(&e).unwrap().to_string(), "agb::source::frontmatter::unclosed");
    let e = f.load("codex", "  commands: [q:list]\n").unwrap_err();
    assert_eq!(miette::Diagnostic::code(&e).unwrap().to_string(), "agb::source::frontmatter::not_mapping");
    let p = f.dir.path().join("src/plugins/q/commands/bin.md");
    fs::write(&p, b"ok\n\xff\xfe").unwrap();
    let e = f.load("codex", "  commands: [q:bin]\n").unwrap_err();
    match e {
        SourceError::NotUtf8 { line, .. } => assert_eq!(line, 2),
        other => panic!("{other:?}"),
    }
}

#[cfg(target_os = "linux")]
#[test]
fn an_extra_whose_name_is_not_utf8_fails_the_skill_unless_excluded() {
    use std::os::unix::ffi::OsStrExt;
    let f = demo();
    let dir = f.dir.path().join("src/plugins/p/skills/sk");
    fs::write(dir.join(std::ffi::OsStr::from_bytes(b"draft\xff.tmp")), "x").unwrap();
    // excluded by `*.tmp`: it is not an extra, so its name does not matter
    // hidden: ignored like every hidden file
    fs::write(dir.join(std::ffi::OsStr::from_bytes(b".cache\xff")), "x").unwrap();
    let s = f.load("claude-code", "  skills: [p:sk]\n").unwrap();
    assert_eq!(s.resources[0].extras.len(), 2);
    fs::write(dir.join(std::ffi::OsStr::from_bytes(b"notes\xff.md")), "x").unwrap();
    let e = f.load("claude-code", "  skills: [p:sk]\n").unwrap_err();
    assert!(matches!(e, SourceError::NotUtf8Path { .. }), "{e:?}");
}

#[test]
fn both_sidecars_is_an_error() {
    let f = demo();
    f.file("plugins/q/commands/lint.yml", "codex: {}\n").file("plugins/q/commands/lint.yaml", "codex: {}\n");
    let e = f.load("codex", "  commands: [q:lint]\n").unwrap_err();
    assert!(matches!(e, SourceError::AmbiguousSidecar { .. }));
}

#[test]
fn missing_source_is_a_clear_error() {
    let f = Fixture::new();
    let e = f.load("codex", "  commands: [q:lint]\n").unwrap_err();
    assert!(matches!(e, SourceError::Missing { .. }), "{e:?}");
}

#[test]
fn scan_records_bad_names_and_ignores_hidden_and_non_resources() {
    let f = demo();
    f.file("plugins/bad name/commands/x.md", "x")
        .file("plugins/p/commands/bad name.md", "x")
        .file("plugins/p/skills/nomd/notes.txt", "x")
        .file("plugins/.git/commands/x.md", "x")
        .file("plugins/p/.claude-plugin/plugin.json", "{}")
        .file("plugins/p/commands/notes.txt", "x")
        .file("plugins/p/agents/gone.yml", "codex: {}\n");
    let idx = scan(&f.dir.path().join("src")).unwrap();
    let ids: Vec<String> = idx.ids().map(|i| i.to_string()).collect();
    assert_eq!(ids, vec!["command p:web", "command q:broken", "command q:lint", "agent p:res", "skill p:sk"]);
    let problems: Vec<String> = idx.problems.iter().map(|p| p.message.clone()).collect();
    assert_eq!(problems.len(), 4, "{problems:?}");
    assert!(problems.iter().any(|m| m.contains("sidecar without gone.md")));
    assert!(problems.iter().any(|m| m.contains("invalid plugin name \"bad name\"")));
    assert!(problems.iter().any(|m| m.contains("invalid command name \"bad name\"")));
    assert!(problems.iter().any(|m| m.contains("without SKILL.md")));
}
