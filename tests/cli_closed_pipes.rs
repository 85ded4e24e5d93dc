//! The CLI keeps its exit codes when stderr is a closed pipe, and names files it cannot handle.

mod support;

use support::sync::{agent_out, command_out, World};

/// Run `agb <args>` with stderr connected to a pipe whose reading end is already closed
/// (`agb sync 2>&1 >/dev/null | head -c1`, after `head` exits) and return the exit code.
fn code_with_closed_stderr(w: &World, args: &[&str]) -> i32 {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    // std's Command, not assert_cmd's: only it lets stderr be an arbitrary pipe
    let status = w.agb_std().args(args).stdout(std::process::Stdio::null()).stderr(writer).status().unwrap();
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

/// A file the user adds to a skill in the project whose name is not UTF-8 cannot reach the
/// source (agb keeps paths as UTF-8): sync says so, naming it, instead of skipping it silently.
#[cfg(target_os = "linux")]
#[test]
fn sync_warns_about_a_project_file_whose_name_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let w = World::new("claude-code");
    w.build();
    let dir = w.out(support::sync::skill_dir("claude-code"));
    std::fs::write(dir.join(std::ffi::OsStr::from_bytes(b"bad\xffname.txt")), "x").unwrap();
    w.write_out(&format!("{}/good.txt", support::sync::skill_dir("claude-code")), "good\n");
    let out = w.ok(&["sync"], 0);
    assert!(out.contains("not valid UTF-8") && out.contains("name.txt"), "{out}");
    assert_eq!(w.read_source("plugins/p/skills/sk/good.txt"), "good\n");
    let names: Vec<_> = std::fs::read_dir(w.source.join("plugins/p/skills/sk"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(names.iter().all(|n| n.to_str().is_some()), "{names:?}");
}
