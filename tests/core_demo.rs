//! The demo fixtures load cleanly for every target: the README's first command depends on it.

use std::path::Path;

use agb::config::Config;
use agb::names::{ResourceKind, Target};
use agb::source::{load_selection, DescriptionOrigin};

fn demo(dir: &str) -> agb::source::Selection {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo/project").join(dir).join("agb.yaml");
    let config = Config::load(&path).unwrap_or_else(|e| panic!("{dir}: {e:?}"));
    load_selection(&config).unwrap_or_else(|e| panic!("{dir}: {:?}", miette::Report::new(e)))
}

#[test]
fn every_demo_project_loads_every_kind() {
    for (dir, target) in [
        (".gemini", Target::GeminiCli),
        (".claude", Target::ClaudeCode),
        (".opencode", Target::Opencode),
        (".codex", Target::Codex),
    ] {
        let s = demo(dir);
        assert_eq!(s.target, target);
        for kind in ResourceKind::ALL {
            assert!(s.resources.iter().any(|r| r.id.kind == kind), "{dir} selects a {kind}");
        }
        assert!(s.global_instructions.is_some(), "{dir}: AGENTS.md");
    }
}

#[test]
fn demo_skill_has_nested_extras_and_excludes_drafts() {
    let s = demo(".claude");
    let skill = s.resources.iter().find(|r| r.id.qualified() == "research:web-research").unwrap();
    let rels: Vec<&str> = skill.extras.iter().map(|e| e.rel.as_str()).collect();
    assert_eq!(rels, vec!["references/deep/notes.md", "references/sources.md", "scripts/fetch.sh"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let script = skill.extras.iter().find(|e| e.rel == "scripts/fetch.sh").unwrap();
        let mode = std::fs::metadata(&script.path).unwrap().permissions().mode();
        assert!(mode & 0o111 != 0, "fetch.sh is executable");
    }
}

#[test]
fn demo_metadata_is_merged_per_target() {
    let model = |dir: &str, id: &str| {
        let s = demo(dir);
        let r = s.resources.iter().find(|r| r.id.qualified() == id).unwrap().clone();
        (r.metadata.get("model").and_then(|v| v.as_str()).map(str::to_string), r)
    };
    assert_eq!(model(".gemini", "research:researcher").0.as_deref(), Some("gemini-2.5-pro"));
    assert_eq!(model(".opencode", "research:researcher").0.as_deref(), Some("anthropic/claude-sonnet-4"));
    assert_eq!(model(".claude", "research:researcher").0.as_deref(), Some("sonnet"));
    let (_, web) = model(".gemini", "research:web_search");
    assert_eq!(web.description_origin, DescriptionOrigin::Sidecar);
    assert!(web.body.contains("$ARGUMENTS"));
    let (_, web) = model(".claude", "research:web_search");
    assert_eq!(web.description_origin, DescriptionOrigin::Frontmatter);
    assert_eq!(web.metadata.get("allowed-tools").and_then(|v| v.as_str()), Some("WebSearch, WebFetch"));
}
