//! Black-box tests of `agb build` for bugs found by QA: symlinked source files, and Codex's
//! `[agents.<name>]` tables in `config.toml` that agb did not write or that the user edited.

mod support;

use std::fs;

use predicates::prelude::*;
use support::build::{read, write, World};
use support::files::{long_ago, set_mtime};

/// A source file that is a symlink (command main file, skill extra) is built from the link's
/// target, and a later change of the target is seen by the no-change shortcut.
#[cfg(unix)]
#[test]
fn symlinked_source_files_are_built_from_their_target() {
    let w = World::new();
    let elsewhere = w.root().join("elsewhere");
    write(&elsewhere.join("hello.md"), "---\ndescription: Linked hello\n---\nHi from the link.\n");
    write(&elsewhere.join("style.md"), "Linked style\n");
    let cmd = w.source().join("plugins/alpha/commands/hello.md");
    let extra = w.source().join("plugins/alpha/skills/writer/ref/style.md");
    fs::remove_file(&cmd).unwrap();
    fs::remove_file(&extra).unwrap();
    std::os::unix::fs::symlink(elsewhere.join("hello.md"), &cmd).unwrap();
    std::os::unix::fs::symlink(elsewhere.join("style.md"), &extra).unwrap();
    w.config_all("claude-code");
    let out = w.out("claude-code");
    w.agb("claude-code", &["build"]).assert().success().stdout(predicate::str::contains("created"));
    assert!(read(&out.join("commands/hello.md")).contains("Hi from the link."));
    assert_eq!(read(&out.join("skills/writer/ref/style.md")), "Linked style\n");
    assert!(!fs::symlink_metadata(out.join("skills/writer/ref/style.md")).unwrap().file_type().is_symlink());
    w.agb("claude-code", &["build"]).assert().success().stdout(predicate::str::contains("up to date"));

    // Changing the targets (not the links) must be seen: the edits get mtimes other than the
    // ones the manifest recorded, however coarse the file system's clock.
    write(&elsewhere.join("style.md"), "Linked style, edited\n");
    write(&elsewhere.join("hello.md"), "---\ndescription: Linked hello\n---\nHi again.\n");
    set_mtime(&elsewhere.join("style.md"), long_ago());
    set_mtime(&elsewhere.join("hello.md"), long_ago());
    w.agb("claude-code", &["build"])
        .assert()
        .success()
        .stdout(predicate::str::contains("updated  skills/writer/ref/style.md"))
        .stdout(predicate::str::contains("updated  commands/hello.md"));
    assert_eq!(read(&out.join("skills/writer/ref/style.md")), "Linked style, edited\n");
    assert!(read(&out.join("commands/hello.md")).contains("Hi again."));
    w.agb("claude-code", &["build"]).assert().success().stdout(predicate::str::contains("up to date"));
}

/// A dangling link as a selected resource's main file is an error (the source loader sees no
/// such resource), and nothing is written. (A dangling link among a skill's extras is not a file
/// of the skill: the source loader skips it. A link that dangles by the time build stats it is
/// `agb::outputs::dangling_source_link`, unit-tested in `build::io`.)
#[cfg(unix)]
#[test]
fn a_dangling_source_link_is_a_clear_error() {
    let w = World::new();
    let cmd = w.source().join("plugins/alpha/commands/hello.md");
    fs::remove_file(&cmd).unwrap();
    std::os::unix::fs::symlink(w.root().join("nowhere.md"), &cmd).unwrap();
    w.config_all("claude-code");
    w.agb("claude-code", &["build"]).assert().failure().stderr(predicate::str::contains("alpha:hello"));
    assert!(!w.out("claude-code").join(".agb/manifest.json").exists());
}

/// After a build from a symlinked source file, `agb status` reports nothing to do (sync stats the
/// source through the link, as build records it), and an edit in the project is reported as such.
#[cfg(unix)]
#[test]
fn status_after_building_a_symlinked_source_is_clean() {
    let w = World::new();
    let elsewhere = w.root().join("elsewhere/bye.md");
    write(&elsewhere, "---\ndescription: Linked bye\n---\nBye from the link.\n");
    let cmd = w.source().join("plugins/alpha/commands/bye.md");
    fs::remove_file(&cmd).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &cmd).unwrap();
    w.config_all("claude-code");
    w.agb("claude-code", &["build"]).assert().success();
    w.agb("claude-code", &["status"]).assert().code(0);
    let out = w.out("claude-code").join("commands/bye.md");
    fs::write(&out, read(&out).replace("Bye from the link.", "Bye, edited.")).unwrap();
    w.agb("claude-code", &["status"]).assert().code(3).stdout(predicate::str::contains("edited-in-project"));
}

fn codex_config(w: &World) -> String {
    read(&w.out("codex").join("config.toml"))
}

/// A hand-written `[agents.<name>]` table that differs from what agb would write is the user's:
/// the first build refuses (listing it, suggesting --force) and changes nothing; --force takes
/// it over.
#[test]
fn codex_users_own_agent_table_is_not_taken_over() {
    let w = World::new();
    let user = "[agents.helper]\ndescription = \"my own helper\"\nconfig_file = \"mine/helper.toml\"\n";
    write(&w.out("codex").join("config.toml"), user);
    w.config("codex", &[], &["alpha:helper"], &[]);
    w.agb("codex", &["build"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("config.toml [agents.helper]"))
        .stderr(predicate::str::contains("agb did not write it"))
        .stderr(predicate::str::contains("--force"));
    assert_eq!(codex_config(&w), user, "config.toml untouched");
    assert!(!w.out("codex").join("agents/helper.toml").exists(), "nothing written");
    w.agb("codex", &["build", "--dry-run"]).assert().failure();
    w.agb("codex", &["build", "--check"]).assert().code(3);
    assert_eq!(codex_config(&w), user);

    w.agb("codex", &["build", "--force"]).assert().success();
    let config = codex_config(&w);
    assert!(config.contains("A helper") && config.contains("agents/helper.toml"), "{config}");
    assert!(!config.contains("my own helper"), "{config}");
}

/// A hand-written table identical to what agb would write is adopted: the build succeeds, and it
/// is agb's from then on (removed when its agent is deselected).
#[test]
fn codex_identical_agent_table_is_adopted() {
    let w = World::new();
    w.config("codex", &[], &["alpha:helper"], &[]);
    w.agb("codex", &["build"]).assert().success();
    let written = codex_config(&w);
    // Start over without a manifest, with the same table written by hand.
    fs::remove_dir_all(w.out("codex").join(".agb")).unwrap();
    fs::remove_dir_all(w.out("codex").join("agents")).unwrap();
    w.agb("codex", &["build"]).assert().success();
    assert_eq!(codex_config(&w), written);
    w.config("codex", &[], &[], &[]);
    w.agb("codex", &["build"]).assert().success();
    assert!(!codex_config(&w).contains("[agents.helper]"), "{}", codex_config(&w));
}

/// A description of one of agb's own tables edited in config.toml is protected like an edited
/// file: the build refuses and suggests `agb sync`; after the sync the build goes through; and
/// --force discards an edit.
#[test]
fn codex_edited_agent_description_is_protected() {
    let w = World::new();
    w.config("codex", &[], &["alpha:helper"], &[]);
    w.agb("codex", &["build"]).assert().success();
    let edit = |from: &str, to: &str| {
        let config = codex_config(&w);
        assert!(config.contains(from), "{config}");
        write(&w.out("codex").join("config.toml"), &config.replace(from, to));
    };
    edit("A helper", "A better helper");
    w.agb("codex", &["build"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("config.toml [agents.helper]"))
        .stderr(predicate::str::contains("agb sync"));
    assert!(codex_config(&w).contains("A better helper"), "the edit is kept");

    w.agb("codex", &["sync"]).assert().success();
    assert!(read(&w.source().join("plugins/alpha/agents/helper.md")).contains("A better helper"));
    w.agb("codex", &["build"]).assert().success();
    assert!(codex_config(&w).contains("A better helper"));

    edit("A better helper", "Scratch that");
    w.agb("codex", &["build", "--force"]).assert().success();
    let config = codex_config(&w);
    assert!(config.contains("A better helper") && !config.contains("Scratch that"), "{config}");

    // Deselecting an agent whose description was edited keeps its table too.
    edit("A better helper", "Edited again");
    w.config("codex", &[], &[], &[]);
    w.agb("codex", &["build"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("config.toml [agents.helper]"));
    assert!(codex_config(&w).contains("Edited again"));
}

/// A manifest written before agb recorded the descriptions protects nothing (and still builds).
#[test]
fn codex_manifest_without_recorded_descriptions_still_builds() {
    let w = World::new();
    w.config("codex", &[], &["alpha:helper"], &[]);
    w.agb("codex", &["build"]).assert().success();
    let manifest_path = w.out("codex").join(".agb/manifest.json");
    let mut manifest: serde_json::Value = serde_json::from_str(&read(&manifest_path)).unwrap();
    let removed = manifest.as_object_mut().unwrap().remove("codex_descriptions");
    assert!(removed.is_some(), "this agb records the descriptions");
    fs::write(&manifest_path, serde_json::to_string(&manifest).unwrap()).unwrap();
    let config = codex_config(&w).replace("A helper", "Edited");
    write(&w.out("codex").join("config.toml"), &config);
    w.agb("codex", &["build"]).assert().success();
    assert!(codex_config(&w).contains("A helper"));
    w.agb("codex", &["status"]).assert().code(0);
}
