//! Regression tests for QA findings in the CLI's output handling.

#[path = "support/sync.rs"]
mod support;

use support::{agent_out, command_out, World};

/// Run `agb <args>` with stderr connected to a pipe whose reading end is already closed
/// (`agb sync 2>&1 >/dev/null | head -c1`, after `head` exits) and return the exit code.
fn code_with_closed_stderr(w: &World, args: &[&str]) -> i32 {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let home = w.dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let gitconfig = w.dir.path().join("gitconfig");
    std::fs::write(&gitconfig, "").unwrap();
    // std's Command, not assert_cmd's: only it lets stderr be an arbitrary pipe
    let status = std::process::Command::new(assert_cmd::cargo::cargo_bin("agb"))
        .args(args)
        .current_dir(&w.root)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("AGB_CACHE_DIR", w.dir.path().join("cache"))
        .env("GIT_CONFIG_GLOBAL", gitconfig)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .env_remove("AGB_FACTORY")
        .stdout(std::process::Stdio::null())
        .stderr(writer)
        .status()
        .unwrap();
    status.code().unwrap_or(-1)
}

#[test]
fn sync_problems_on_a_closed_stderr_keep_the_exit_code() {
    let w = World::new("claude-code");
    w.build();
    // a change on both sides: sync reports a conflict on stderr and exits 1
    w.write_source(
        "plugins/p/commands/c.md",
        "---\n# keep me\ndescription: Search the web   # why\nmodel: sonnet\n---\nSource version.\n",
    );
    let c = command_out("claude-code");
    w.write_out(c, &w.read_out(c).replace("Do $ARGUMENTS now.", "Project version."));
    let a = agent_out("claude-code");
    w.write_out(a, &w.read_out(a).replace("You are an agent.", "You are a better agent."));
    assert_eq!(code_with_closed_stderr(&w, &["sync"]), 1, "a panic would exit 101");
    assert_eq!(code_with_closed_stderr(&w, &["status"]), 3);
}
