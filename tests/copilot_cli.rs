//! Issue 12: the `copilot` target end to end — the real binary building a `.github/` output root
//! the way the Copilot CLI 1.0.102 loads it (agents `agents/<name>.agent.md`, commands and
//! skills `skills/<name>/SKILL.md`, global `copilot-instructions.md`), and status, prune, edit
//! protection, `init` and the user scope on it. Sync's round trip for copilot is in
//! `tests/sync_cli.rs` (its `TARGETS`).

mod support;

use std::fs;

use predicates::prelude::*;
use support::build::{files, read, write, World};

const GLOBAL: &str = "# Global\n\nBe kind.\n";

#[test]
fn build_writes_the_github_layout_copilot_loads() {
    let w = World::new();
    w.config_all("copilot");
    w.agb("copilot", &["build"]).assert().success();
    let out = w.out("copilot");
    let mut got: Vec<String> = files(&out).into_iter().filter(|f| !f.starts_with(".agb/")).collect();
    got.sort();
    let want = [
        "agb.yaml",
        "agents/critic.agent.md",
        "agents/helper.agent.md",
        "copilot-instructions.md",
        "skills/bye/SKILL.md",
        "skills/hello/SKILL.md",
        "skills/review/SKILL.md",
        "skills/tester/SKILL.md",
        "skills/tester/data.json",
        "skills/writer/SKILL.md",
        "skills/writer/ref/deep/notes.txt",
        "skills/writer/ref/style.md",
        "skills/writer/scripts/run.sh",
    ];
    assert_eq!(got, want);
    assert_eq!(read(&out.join("copilot-instructions.md")), GLOBAL);
    // Copilot's own file, not the AGENTS.md of the OpenCode/Codex roots.
    assert!(!w.root().join("project/AGENTS.md").exists());
    // A command is a skill with a name; the agent keeps its description, not a Claude model alias.
    assert_eq!(
        read(&out.join("skills/hello/SKILL.md")),
        "---\nname: hello\ndescription: Say hello\nmodel: sonnet\n---\nHello $ARGUMENTS!\n"
    );
    assert_eq!(read(&out.join("agents/helper.agent.md")), "---\ndescription: A helper\n---\nYou help.\n");
    w.agb("copilot", &["status"]).assert().code(0);
    w.agb("copilot", &["build", "--check"]).assert().code(0);
}

#[test]
fn a_command_and_a_skill_of_one_name_are_refused_not_dropped_by_copilot() {
    let w = World::new();
    write(
        &w.source().join("plugins/beta/commands/tester.md"),
        "---\ndescription: Run tests\n---\nRun them.\n",
    );
    w.config("copilot", &["beta:tester"], &[], &["beta:tester"]);
    w.agb("copilot", &["build"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("skills/tester/SKILL.md"))
        .stderr(
            predicate::str::contains("command beta:tester")
                .and(predicate::str::contains("skill beta:tester")),
        );
    assert!(!w.out("copilot").join("skills").exists(), "nothing written");
}

#[test]
fn deselected_outputs_are_pruned_and_edits_are_protected() {
    let w = World::new();
    w.config_all("copilot");
    w.agb("copilot", &["build"]).assert().success();
    let out = w.out("copilot");
    // An edit in the project stops the build until sync or --force.
    let agent = out.join("agents/critic.agent.md");
    let edited = read(&agent).replace("Criticize.", "Criticize kindly.");
    fs::write(&agent, &edited).unwrap();
    w.agb("copilot", &["build"]).assert().failure();
    assert_eq!(read(&agent), edited, "the edit is kept");
    w.agb("copilot", &["build", "--force"]).assert().success();
    assert!(read(&agent).contains("Criticize.\n"));
    // Deselecting a command and a skill removes their directories' files.
    w.config("copilot", &["alpha:hello"], &["alpha:helper", "beta:critic"], &["beta:tester"]);
    w.agb("copilot", &["build"])
        .assert()
        .success()
        .stdout(predicate::str::contains("removed  skills/bye/SKILL.md"))
        .stdout(predicate::str::contains("removed  skills/writer/ref/style.md"));
    assert!(!out.join("skills/bye/SKILL.md").exists());
    assert!(!out.join("skills/writer/SKILL.md").exists());
    assert!(out.join("skills/hello/SKILL.md").exists());
}

#[test]
fn user_scope_and_init_know_copilot() {
    let w = World::new();
    // ~/.copilot is the user directory: the global file stays in it.
    let user = w.root().join("home/.copilot");
    let config =
        format!("source: {}\ntarget: copilot\nresources:\n  agents: [alpha:helper]\n", w.source().display());
    write(&user.join("agb.yaml"), &config);
    w.dir.agb().arg("-C").arg(&user).arg("build").assert().success();
    assert_eq!(read(&user.join("copilot-instructions.md")), GLOBAL);
    assert!(user.join("agents/helper.agent.md").exists());
    // `agb init` inside .github picks the copilot target.
    let github = w.root().join("other/.github");
    fs::create_dir_all(&github).unwrap();
    w.dir.agb().arg("-C").arg(&github).arg("init").assert().success();
    assert!(read(&github.join("agb.yaml")).contains("target: copilot"));
}

#[test]
fn the_copilot_sidecar_section_reaches_only_copilot() {
    let w = World::new();
    write(
        &w.source().join("plugins/alpha/agents/helper.yaml"),
        "copilot:\n  tools: [read, edit]\n  infer: false\n",
    );
    w.config("copilot", &[], &["alpha:helper"], &[]);
    w.config("claude-code", &[], &["alpha:helper"], &[]);
    w.agb("copilot", &["build"]).assert().success();
    w.agb("claude-code", &["build"]).assert().success();
    assert_eq!(
        read(&w.out("copilot").join("agents/helper.agent.md")),
        "---\ndescription: A helper\ntools:\n- read\n- edit\ninfer: false\n---\nYou help.\n"
    );
    assert!(!read(&w.out("claude-code").join("agents/helper.md")).contains("infer"));
}

#[test]
fn the_rest_of_github_is_the_projects_own() {
    let w = World::new();
    let out = w.out("copilot");
    let mine = [
        ("workflows/ci.yml", "on: push\n"),
        ("agents/mine.agent.md", "---\ndescription: mine\n---\nMine.\n"),
    ];
    for (rel, text) in mine {
        write(&out.join(rel), text);
    }
    // A hand-written file where agb would write is refused, never overwritten.
    write(&out.join("agents/helper.agent.md"), "---\ndescription: by hand\n---\nHand.\n");
    w.config_all("copilot");
    w.agb("copilot", &["build"]).assert().failure();
    assert_eq!(read(&out.join("agents/helper.agent.md")), "---\ndescription: by hand\n---\nHand.\n");
    fs::remove_file(out.join("agents/helper.agent.md")).unwrap();
    for args in [&["build"][..], &["build", "--clean"], &["sync"]] {
        w.agb("copilot", args).assert().success();
    }
    w.agb("copilot", &["status"]).assert().code(0);
    for (rel, text) in mine {
        assert_eq!(read(&out.join(rel)), text, "{rel}");
    }
}

#[test]
fn a_skill_name_copilot_would_see_twice_from_different_resources_is_warned_about() {
    let w = World::new();
    write(
        &w.source().join("plugins/gamma/skills/tester/SKILL.md"),
        "---\ndescription: Other tests\n---\nOther.\n",
    );
    // The same resources for Copilot and Codex: Copilot loads its own copies, no warning.
    w.config_all("codex");
    w.config_all("copilot");
    w.agb("codex", &["build"]).assert().success();
    w.agb("copilot", &["build"])
        .assert()
        .success()
        .stderr(predicate::str::contains("copilot_duplicate_skill").not());
    // Claude Code gets another plugin's `tester`: Copilot reads .claude/skills/ too and drops it.
    w.config("claude-code", &[], &[], &["gamma:tester"]);
    w.agb("claude-code", &["build"])
        .assert()
        .success()
        .stdout(predicate::str::contains("copilot_duplicate_skill").not())
        .stderr(predicate::str::contains("agb::outputs::copilot_duplicate_skill"))
        .stderr(predicate::str::contains(".github/skills/tester (skill beta:tester)"))
        .stderr(predicate::str::contains(".claude/skills/tester (skill gamma:tester)"))
        .stderr(predicate::str::contains("hello").not());
    // Seen from the Copilot root as well (the build goes on and writes).
    write(
        &w.source().join("plugins/beta/skills/tester/SKILL.md"),
        "---\nname: tester\ndescription: Tests\n---\nTest more.\n",
    );
    w.agb("copilot", &["build"])
        .assert()
        .success()
        .stderr(predicate::str::contains("skill `tester`"))
        .stderr(predicate::str::contains("silently drops the second"));
    assert!(read(&w.out("copilot").join("skills/tester/SKILL.md")).contains("Test more."));
    w.agb("copilot", &["build", "-q", "--force"]).assert().success().stderr("");
}

/// `build --json` carries the duplicate skill in its `warnings` (with the code, this root's
/// output and resource) instead of a diagnostic on stderr, from either side of the pair.
#[test]
fn the_duplicate_skill_warning_is_in_build_json() {
    let w = World::new();
    write(
        &w.source().join("plugins/gamma/skills/tester/SKILL.md"),
        "---\ndescription: Other tests\n---\nOther.\n",
    );
    w.config_all("copilot");
    w.agb("copilot", &["build"]).assert().success();
    w.config("claude-code", &[], &[], &["gamma:tester"]);
    let dup = |target: &str, output: &str, resource: &str| {
        let out = w.agb(target, &["build", "--json"]).assert().success().stderr("");
        let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        let warnings = v["warnings"].as_array().unwrap();
        let found: Vec<_> =
            warnings.iter().filter(|w| w["code"] == "agb::outputs::copilot_duplicate_skill").collect();
        assert_eq!(found.len(), 1, "{v}");
        assert_eq!(found[0]["output"], output);
        assert_eq!(found[0]["resource"], resource);
        assert_eq!(found[0]["key"], "name");
        assert_eq!(found[0]["action"], "duplicate");
        let detail = found[0]["detail"].as_str().unwrap();
        assert!(detail.contains(".claude/skills/tester (skill gamma:tester)"), "{detail}");
    };
    dup("claude-code", "skills/tester/SKILL.md", "skill gamma:tester");
    // a change in the source so the Copilot build is not the no-change shortcut
    write(
        &w.source().join("plugins/beta/skills/tester/SKILL.md"),
        "---\nname: tester\ndescription: Tests\n---\nTest more.\n",
    );
    dup("copilot", "skills/tester/SKILL.md", "skill beta:tester");
}
