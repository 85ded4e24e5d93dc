//! Black-box tests of `agb build` for bugs found by QA: symlinked source files, and Codex's
//! `[agents.<name>]` tables in `config.toml` that agb did not write or that the user edited.

#[path = "support/build.rs"]
mod support;

use std::fs;

use predicates::prelude::*;
use support::{read, write, World};

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

    // Changing the targets (not the links) must be seen.
    std::thread::sleep(std::time::Duration::from_millis(20));
    write(&elsewhere.join("style.md"), "Linked style, edited\n");
    write(&elsewhere.join("hello.md"), "---\ndescription: Linked hello\n---\nHi again.\n");
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
/// `agb::build::dangling_source_link`, unit-tested in `build::io`.)
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
