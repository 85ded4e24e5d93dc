//! Black-box tests of `agb build` for bugs found by QA: symlinked source files, and Codex's
//! `[agents.<name>]` tables in `config.toml` that agb did not write or that the user edited
//! (since issue 10 agb writes none, and removes the ones an older agb wrote).

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

fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    format!("{:x}", sha2::Sha256::digest(text.as_bytes()))
}

/// Turn the fresh codex build of `w` (agent `helper`) into one of an agb before issue 10: the
/// agent file without `name`/`description`, its description in an `[agents.helper]` table of
/// config.toml (after `user`), the manifest owning that table (and, with `record`, the hash of
/// the description it wrote).
fn make_old_codex_build(w: &World, user: &str, record: bool) {
    let agent = w.out("codex").join("agents/helper.toml");
    let text = read(&agent);
    let old = &text[text.find("developer_instructions").unwrap()..];
    fs::write(&agent, old).unwrap();
    let manifest_path = w.out("codex").join(".agb/manifest.json");
    let mut manifest: serde_json::Value = serde_json::from_str(&read(&manifest_path)).unwrap();
    let m = manifest.as_object_mut().unwrap();
    m["files"]["agents/helper.toml"]["sha256"] = sha256_hex(old).into();
    m.insert("codex_agents".into(), serde_json::json!(["helper"]));
    if record {
        m.insert("codex_descriptions".into(), serde_json::json!({ "helper": sha256_hex("A helper") }));
    }
    fs::write(&manifest_path, serde_json::to_string(&manifest).unwrap()).unwrap();
    let table = "[agents.helper]\ndescription = \"A helper\"\nconfig_file = \"agents/helper.toml\"\n";
    // Where an older agb put a new table: after the user's text and a blank line.
    let sep = if user.is_empty() { "" } else { "\n" };
    write(&w.out("codex").join("config.toml"), &format!("{user}{sep}{table}"));
}

/// A hand-written `[agents.<name>]` table is the user's, even when an agent of the selection
/// has that name: agb writes its standalone `agents/<name>.toml` and never touches the table
/// (with --force neither).
#[test]
fn codex_users_own_agent_table_is_never_touched() {
    let w = World::new();
    let user = "[agents.helper]\ndescription = \"my own helper\"\nconfig_file = \"mine/helper.toml\"\n";
    write(&w.out("codex").join("config.toml"), user);
    w.config("codex", &[], &["alpha:helper"], &[]);
    w.agb("codex", &["build"]).assert().success();
    assert_eq!(codex_config(&w), user, "config.toml untouched");
    assert!(read(&w.out("codex").join("agents/helper.toml")).contains("description = 'A helper'"));
    w.agb("codex", &["build", "--check"]).assert().code(0);
    w.agb("codex", &["build", "--force", "--clean"]).assert().success();
    assert_eq!(codex_config(&w), user);
}

/// The migration removes the tables the old manifest owns and no other: a user's table that
/// the manifest does not list stays, byte for byte.
#[test]
fn codex_migration_keeps_tables_agb_did_not_write() {
    let w = World::new();
    w.config("codex", &[], &["alpha:helper"], &[]);
    w.agb("codex", &["build"]).assert().success();
    let user = "model = 'o3'\n\n[agents.critic]  # mine\ndescription = \"my critic\"\nextra = [1, 2]\n";
    make_old_codex_build(&w, user, true);
    w.agb("codex", &["build"]).assert().success();
    assert_eq!(codex_config(&w), user);
    let agent = read(&w.out("codex").join("agents/helper.toml"));
    assert!(agent.starts_with("name = 'helper'\ndescription = 'A helper'\n"), "{agent}");
}

/// A description of one of agb's old tables edited in config.toml is protected like an edited
/// file: the migration refuses and suggests `agb sync`; sync carries it back (it reads an old
/// agent's description from config.toml); the migration then goes through. --force discards.
#[test]
fn codex_edited_agent_description_is_protected() {
    let w = World::new();
    w.config("codex", &[], &["alpha:helper"], &[]);
    w.agb("codex", &["build"]).assert().success();
    make_old_codex_build(&w, "", true);
    write(&w.out("codex").join("config.toml"), &codex_config(&w).replace("A helper", "A better helper"));
    w.agb("codex", &["build"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("config.toml [agents.helper]"))
        .stderr(predicate::str::contains("agb sync"));
    assert!(codex_config(&w).contains("A better helper"), "the edit is kept");

    w.agb("codex", &["sync"]).assert().success();
    assert!(read(&w.source().join("plugins/alpha/agents/helper.md")).contains("A better helper"));
    w.agb("codex", &["build"]).assert().success();
    assert!(!w.out("codex").join("config.toml").exists(), "it held only agb's table");
    let agent = read(&w.out("codex").join("agents/helper.toml"));
    assert!(agent.contains("description = 'A better helper'"), "{agent}");

    // Again, discarding the edit this time.
    make_old_codex_build(&w, "x = 1\n", true);
    let config = codex_config(&w).replace("A helper", "Scratch that");
    write(&w.out("codex").join("config.toml"), &config);
    w.agb("codex", &["build"]).assert().failure();
    w.agb("codex", &["build", "--force"]).assert().success();
    assert_eq!(codex_config(&w), "x = 1\n");
}

/// A manifest written before agb recorded the descriptions protects nothing (and still builds).
#[test]
fn codex_manifest_without_recorded_descriptions_still_builds() {
    let w = World::new();
    w.config("codex", &[], &["alpha:helper"], &[]);
    w.agb("codex", &["build"]).assert().success();
    make_old_codex_build(&w, "model = 'o3'\n", false);
    write(&w.out("codex").join("config.toml"), &codex_config(&w).replace("A helper", "Edited"));
    w.agb("codex", &["build"]).assert().success();
    assert_eq!(codex_config(&w), "model = 'o3'\n");
    w.agb("codex", &["status"]).assert().code(0);
}
