//! The README's first command, on a temp copy of `fixtures/demo`: every demo project builds,
//! and building again changes nothing.

mod support;

use predicates::prelude::*;
use support::build::{files, snapshot};
use support::{copy_tree, Sandbox};

#[test]
fn every_demo_project_builds_and_rebuilds_as_a_no_op() {
    let tmp = Sandbox::new();
    let demo = support::fixture("demo");
    copy_tree(&demo.join("source"), &tmp.path().join("source"));
    // Only the committed agb.yaml files of the project: its outputs are git-ignored, and a
    // developer's earlier demo build must not leak in.
    for dir in [".gemini", ".claude", ".opencode", ".codex"] {
        let rel = format!("project/{dir}/agb.yaml");
        support::write(&tmp.path().join(&rel), &std::fs::read_to_string(demo.join(&rel)).unwrap());
    }
    // The global file goes where each agent reads it (issue 10): the project root for Gemini
    // CLI, OpenCode and Codex (the last two share one AGENTS.md: same source, same bytes),
    // `.claude/CLAUDE.md` for Claude Code.
    for (dir, global) in [
        (".gemini", "GEMINI.md"),
        (".claude", ".claude/CLAUDE.md"),
        (".opencode", "AGENTS.md"),
        (".codex", "AGENTS.md"),
    ] {
        let project = tmp.path().join("project").join(dir);
        // Only agb.yaml is there before the build (the outputs are git-ignored in the repo).
        let agb = || {
            let mut cmd = tmp.agb();
            cmd.arg("-C").arg(&project).arg("build");
            cmd
        };
        let out = agb().assert().success().stdout(predicate::str::contains("created"));
        if dir == ".gemini" {
            // The README shows this build's output: the same `created` lines.
            let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
            let readme =
                std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
                    .unwrap();
            let created = |t: &str| -> Vec<String> {
                t.lines().filter(|l| l.starts_with("created  ")).map(str::to_string).collect()
            };
            assert_eq!(created(&readme), created(&stdout), "README's demo block");
        }
        let built = files(&tmp.path().join("project"));
        assert!(built.contains(&global.to_string()), "{dir}: {built:?}");
        assert!(!built.contains(&format!("{dir}/{global}")), "{dir}: {built:?}");
        assert!(built.contains(&format!("{dir}/.agb/manifest.json")));
        let before = snapshot(&tmp.path().join("project"));
        agb().assert().success().stdout(predicate::str::contains("up to date"));
        assert_eq!(snapshot(&tmp.path().join("project")), before, "{dir}: a re-build changes nothing");
    }
    let codex_skills = files(&tmp.path().join("project/.agents/skills"));
    assert!(codex_skills.iter().any(|f| f.ends_with("/SKILL.md")), "{codex_skills:?}");
}
