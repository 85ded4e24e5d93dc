//! Issue 10, §3: the global instructions file goes where each agent reads it. In a project:
//! `GEMINI.md` (Gemini CLI) and `AGENTS.md` (OpenCode, Codex) in the project root, the output
//! root's parent; `.claude/CLAUDE.md` for Claude Code. In the user scope (the output root is the
//! agent's user directory): in the root. A hand-written file there is never overwritten; two
//! output roots writing the project's `AGENTS.md` share it when the bytes are the same and are
//! an error naming both otherwise.

mod support;

use std::fs;

use predicates::prelude::*;
use support::build::{read, write, World};

const GLOBAL: &str = "# Global\n\nBe kind.\n";

#[test]
fn user_scope_writes_the_global_file_in_the_root() {
    let w = World::new();
    let source = w.source();
    for (target, root, name) in [
        ("gemini-cli", "home/.gemini", "GEMINI.md"),
        ("claude-code", "home/.claude", "CLAUDE.md"),
        ("opencode", "config/opencode", "AGENTS.md"),
        ("codex", "home/.codex", "AGENTS.md"),
    ] {
        let root = w.root().join(root);
        let config = format!(
            "source: {}\ntarget: {target}\nresources:\n  commands: [alpha:hello]\n",
            source.display()
        );
        write(&root.join("agb.yaml"), &config);
        let mut cmd = w.dir.agb();
        cmd.arg("-C").arg(&root).arg("build");
        cmd.assert().success().stdout(predicate::str::contains(format!("created  {name}")));
        assert_eq!(read(&root.join(name)), GLOBAL, "{target}");
        assert!(!root.parent().unwrap().join(name).exists(), "{target}: nothing beside the user dir");
    }
}

#[test]
fn a_hand_written_project_agents_md_is_refused_and_never_overwritten() {
    let w = World::new();
    let mine = "# My project notes\n";
    write(&w.root().join("project/AGENTS.md"), mine);
    w.config("opencode", &["alpha:hello"], &[], &[]);
    for args in [&["build"][..], &["build", "--force"]] {
        w.agb("opencode", args)
            .assert()
            .failure()
            .stderr(predicate::str::contains("hand_written_global"))
            .stderr(predicate::str::contains("project/AGENTS.md exists"))
            .stderr(predicate::str::contains("source/AGENTS.md").and(predicate::str::contains("delete")));
        assert_eq!(read(&w.root().join("project/AGENTS.md")), mine, "{args:?}");
        assert!(!w.out("opencode").join("commands/hello.md").exists(), "nothing written");
    }
    // Once the text is where it belongs, the build writes it.
    fs::remove_file(w.root().join("project/AGENTS.md")).unwrap();
    w.agb("opencode", &["build"]).assert().success();
    assert_eq!(read(&w.root().join("project/AGENTS.md")), GLOBAL);
}

#[test]
fn opencode_and_codex_share_the_project_agents_md_when_it_is_the_same() {
    let w = World::new();
    w.config("opencode", &["alpha:hello"], &[], &[]);
    w.config("codex", &["alpha:hello"], &[], &[]);
    w.agb("opencode", &["build"]).assert().success();
    w.agb("codex", &["build"]).assert().success();
    assert_eq!(read(&w.root().join("project/AGENTS.md")), GLOBAL);
    for target in ["opencode", "codex"] {
        let manifest = read(&w.out(target).join(".agb/manifest.json"));
        assert!(manifest.contains("\"../AGENTS.md\""), "{target} records it: {manifest}");
        w.agb(target, &["status"]).assert().code(0);
    }
    // Deselecting it in one root leaves it to the other.
    w.config("codex", &["alpha:hello"], &[], &[]);
    fs::remove_file(w.source().join("AGENTS.md")).unwrap();
    w.agb("codex", &["build"]).assert().success();
    assert_eq!(read(&w.root().join("project/AGENTS.md")), GLOBAL, "still opencode's");
}

#[test]
fn opencode_and_codex_with_different_agents_md_are_an_error_naming_both() {
    let w = World::new();
    w.config("opencode", &["alpha:hello"], &[], &[]);
    w.agb("opencode", &["build"]).assert().success();
    // A second source with another AGENTS.md, for codex.
    let other = w.root().join("other");
    support::copy_tree(&w.source(), &other);
    write(&other.join("AGENTS.md"), "# Other\n");
    write(
        &w.out("codex").join("agb.yaml"),
        "source: ../../other\ntarget: codex\nresources:\n  commands: [alpha:hello]\n",
    );
    w.agb("codex", &["build"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(".opencode").and(predicate::str::contains(".codex")))
        .stderr(predicate::str::contains("same AGENTS.md"));
    assert_eq!(read(&w.root().join("project/AGENTS.md")), GLOBAL, "never overwritten");
    assert!(!w.root().join("project/.agents/skills/hello").exists(), "nothing written");
    w.agb("codex", &["build", "--force"]).assert().failure();
    assert_eq!(read(&w.root().join("project/AGENTS.md")), GLOBAL);
}

#[test]
fn a_global_file_an_older_build_wrote_inside_the_root_moves_to_the_project_root() {
    let w = World::new();
    w.config("gemini-cli", &["alpha:hello"], &[], &[]);
    w.agb("gemini-cli", &["build"]).assert().success();
    // Make it look like a build before issue 10: GEMINI.md inside .gemini, recorded there.
    let out = w.out("gemini-cli");
    fs::rename(w.root().join("project/GEMINI.md"), out.join("GEMINI.md")).unwrap();
    let manifest_path = out.join(".agb/manifest.json");
    // (A rename keeps the mtime: the manifest's stat still matches.)
    let manifest = read(&manifest_path).replace("\"../GEMINI.md\"", "\"GEMINI.md\"");
    fs::write(&manifest_path, &manifest).unwrap();
    w.agb("gemini-cli", &["build"])
        .assert()
        .success()
        .stdout(predicate::str::contains("created  ../GEMINI.md"))
        .stdout(predicate::str::contains("removed  GEMINI.md"));
    assert!(!out.join("GEMINI.md").exists());
    assert_eq!(read(&w.root().join("project/GEMINI.md")), GLOBAL);
}
