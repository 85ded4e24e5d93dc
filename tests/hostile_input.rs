//! Hostile sources, projects and manifests (issue 17, M2–M4 and L1–L7): each test reproduces one
//! attack the red team found against the real binary, on temp dirs, and asserts what must hold.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use assert_cmd::Command;
use predicates::prelude::*;
use support::Sandbox;

/// A source with one command and one skill (with an extra) in plugin `p`, and a Claude Code
/// project selecting both.
struct World {
    dir: Sandbox,
    source: PathBuf,
    root: PathBuf,
}

impl World {
    fn new() -> World {
        let dir = Sandbox::new();
        let source = dir.path().join("src");
        let root = dir.path().join("proj/.claude");
        let w = World { dir, source, root };
        w.write_source("plugins/p/commands/c.md", "---\ndescription: A command\n---\nDo $ARGUMENTS now.\n");
        w.write_source(
            "plugins/p/skills/sk/SKILL.md",
            "---\nname: sk\ndescription: A skill\n---\nSkill body\n",
        );
        w.write_source("plugins/p/skills/sk/ref/notes.txt", "notes\n");
        w.write_config(&w.root, "../../src");
        w
    }

    fn write_config(&self, root: &Path, source: &str) {
        fs::create_dir_all(root).unwrap();
        let text = format!(
            "source: {source}\ntarget: claude-code\nresources:\n  commands: [p:c]\n  skills: [p:sk]\n"
        );
        fs::write(root.join("agb.yaml"), text).unwrap();
    }

    fn write_source(&self, rel: &str, text: &str) {
        let p = self.source.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    fn agb_in(&self, root: &Path) -> Command {
        let mut cmd = self.dir.agb();
        cmd.arg("-C").arg(root);
        cmd
    }

    fn agb(&self) -> Command {
        self.agb_in(&self.root)
    }

    fn build(&self) {
        self.agb().arg("build").assert().success();
    }
}

fn mkfifo(path: &Path) {
    let _ = fs::remove_file(path);
    let status = StdCommand::new("mkfifo").arg(path).status().expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Every file under `dir`, by relative path (directories end with `/`).
fn tree(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            if e.file_type().is_dir() {
                rel + "/"
            } else {
                rel
            }
        })
        .collect();
    v.sort();
    v
}

// ---- M2: an output root inside the source, or the source inside the output root ----

#[test]
fn m2_output_root_inside_a_selected_skill_is_refused_before_anything_is_written() {
    let w = World::new();
    let root = w.source.join("plugins/p/skills/sk/out");
    w.write_config(&root, "../../../../..");
    let before = tree(&w.source);
    w.agb_in(&root)
        .arg("build")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("agb::config::root_in_source"));
    assert_eq!(tree(&w.source), before, "nothing written, no nesting");
}

#[test]
fn m2_output_root_that_is_a_plugin_directory_is_refused_even_with_force() {
    let w = World::new();
    let root = w.source.join("plugins/p");
    w.write_config(&root, "../..");
    let before = tree(&w.source);
    w.agb_in(&root)
        .args(["build", "--force"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("agb::config::root_in_source"));
    assert_eq!(tree(&w.source), before);
}

#[test]
fn m2_source_inside_the_output_root_is_refused() {
    let w = World::new();
    let root = w.dir.path().join("outer");
    fs::create_dir_all(&root).unwrap();
    let inner = root.join("resources");
    fs::rename(&w.source, &inner).unwrap();
    w.write_config(&root, "./resources");
    let before = tree(&root);
    w.agb_in(&root)
        .arg("build")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("agb::config::source_in_root"));
    assert_eq!(tree(&root), before);
}

// ---- M3 / L3: a tracked file that is no longer a regular file ----

#[test]
fn m3_a_fifo_in_place_of_a_skill_extra_is_not_a_deletion() {
    let w = World::new();
    w.build();
    mkfifo(&w.root.join("skills/sk/ref/notes.txt"));
    w.agb()
        .arg("sync")
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .stderr(predicate::str::contains("not a regular file"));
    assert_eq!(fs::read_to_string(w.source.join("plugins/p/skills/sk/ref/notes.txt")).unwrap(), "notes\n");
}

#[test]
fn l3_status_reports_a_main_output_replaced_by_a_fifo() {
    let w = World::new();
    w.build();
    mkfifo(&w.root.join("commands/c.md"));
    w.agb()
        .arg("status")
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .failure()
        .stdout(predicate::str::contains("up to date").not())
        .stderr(predicate::str::contains("commands/c.md"));
    w.agb()
        .arg("build")
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a regular file"));
}

// ---- M4: deeply nested flow YAML ----

#[test]
fn m4_deeply_nested_frontmatter_is_refused_with_a_short_message() {
    let w = World::new();
    let depth = 100_000;
    let deep = format!("---\ndescription: x\nx: {}{}\n---\nbody\n", "[".repeat(depth), "]".repeat(depth));
    w.write_source("plugins/p/commands/c.md", &deep);
    let out = w.agb().arg("build").timeout(std::time::Duration::from_secs(60)).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("nested"), "says why: {stderr}");
    assert!(stderr.contains("c.md"), "names the file: {stderr}");
    assert!(stderr.lines().all(|l| l.chars().count() < 400), "long lines are cut: {} bytes", stderr.len());
    assert!(!w.root.join("commands").exists(), "nothing written");
}

#[test]
fn m4_deeply_nested_agb_yaml_is_refused_with_a_short_message() {
    let w = World::new();
    let depth = 100_000;
    let text =
        format!("source: ../../src\ntarget: claude-code\nx: {}{}\n", "{a: ".repeat(depth), "}".repeat(depth));
    fs::write(w.root.join("agb.yaml"), text).unwrap();
    let out = w.agb().arg("build").timeout(std::time::Duration::from_secs(60)).output().unwrap();
    assert_ne!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("nested"), "says why: {stderr}");
    assert!(stderr.lines().all(|l| l.chars().count() < 400), "long lines are cut");
}

// ---- L1: temp files left by a killed run ----

#[test]
fn l1_temp_files_of_a_killed_run_are_removed_by_the_next_build_and_sync() {
    let w = World::new();
    w.build();
    // What `kill -9` between write and rename leaves behind: a temp file beside the file being
    // written (of a process that is gone, or of an agb from before temp names held the pid),
    // and that write still pending for the next run.
    let out_tmps =
        [w.root.join("skills/sk/ref/.agb-tmp-999999999-AbC123"), w.root.join("skills/sk/ref/.agb-tmpAbC123")];
    let src_tmp = w.source.join("plugins/p/skills/sk/ref/.agb-tmp-999999999-XyZ789");
    for t in out_tmps.iter().chain([&src_tmp]) {
        fs::write(t, "half").unwrap();
    }
    w.write_source("plugins/p/skills/sk/ref/notes.txt", "notes, edited in the source\n");
    w.agb().arg("build").assert().success();
    for t in &out_tmps {
        assert!(!t.exists(), "build removes its own temp files in the output root: {}", t.display());
    }
    fs::write(w.root.join("skills/sk/ref/notes.txt"), "notes, edited in the project\n").unwrap();
    w.agb().arg("sync").assert().success();
    assert!(!src_tmp.exists(), "sync removes its own temp files in the source skill");
    // A file that merely starts like one is the user's, not agb's.
    let users = w.root.join("skills/sk/ref/.agb-tmp-notes-of-mine.txt");
    fs::write(&users, "mine").unwrap();
    w.write_source("plugins/p/skills/sk/ref/notes.txt", "again\n");
    w.agb().arg("build").assert().success();
    assert!(users.exists());
}

// ---- L2: a failed sync never says "nothing to sync" ----

#[test]
fn l2_a_failed_sync_does_not_claim_there_was_nothing_to_sync() {
    let w = World::new();
    w.build();
    fs::write(w.root.join("skills/sk/ref/new.txt"), "new\n").unwrap();
    // The write into the source is refused: a directory stands where the new file must go.
    fs::create_dir_all(w.source.join("plugins/p/skills/sk/ref/new.txt/blocker")).unwrap();
    w.agb()
        .arg("sync")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("nothing to sync").not())
        .stderr(predicate::str::contains("new.txt"));
}

// ---- L4: control characters in printed paths ----

#[test]
fn l4_control_characters_in_file_names_never_reach_the_terminal() {
    let w = World::new();
    w.write_source("plugins/p/skills/sk/a\u{1b}]0;PWNED\u{7}b.txt", "x");
    let out = w.agb().args(["--color", "never", "build"]).output().unwrap();
    assert!(out.status.success());
    for stream in [&out.stdout, &out.stderr] {
        assert!(!stream.contains(&0x1b) && !stream.contains(&0x07), "raw control bytes printed");
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("a\\u{1b}]0;PWNED\\u{7}b.txt"), "shown escaped: {stdout}");
}

#[test]
fn l4_json_with_c1_and_del_characters_stays_json_and_terminal_safe() {
    let w = World::new();
    // U+009B is a one-character CSI on terminals that honour C1; serde_json leaves it raw.
    let name = "a\u{9b}2Jb\u{7f}c.txt";
    w.write_source(&format!("plugins/p/skills/sk/{name}"), "x");
    let out = w.agb().args(["build", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.chars().any(|c| c.is_control() && c != '\n'), "raw control characters: {stdout:?}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("--json output is JSON");
    assert!(
        doc.to_string().contains(&format!("skills/sk/{name}")),
        "the name survives a JSON round trip: {doc}"
    );
}

// ---- L5: a full disk is reported as the write that failed ----

#[test]
fn l5_a_full_disk_names_the_write_that_failed() {
    let w = World::new();
    let mnt = w.dir.path().join("small");
    fs::create_dir_all(&mnt).unwrap();
    let mounted = StdCommand::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&mnt)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !mounted {
        eprintln!("skipped: mounting a small tmpfs needs root (CI runs as root)");
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = StdCommand::new("umount").arg(self.0).status();
        }
    }
    let _guard = Unmount(&mnt);
    w.write_source("plugins/p/skills/sk/big.bin", &"x".repeat(256 * 1024));
    let root = mnt.join(".claude");
    w.write_config(&root, w.source.to_str().unwrap());
    let out = w.agb_in(&root).arg("build").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot write"), "says a write failed: {stderr}");
    assert!(!stderr.contains("cannot read"), "does not blame the source: {stderr}");
    assert!(!stderr.contains("check that the file exists"), "{stderr}");
}

// ---- L6: validate on a FIFO ----

#[test]
fn l6_validate_on_a_fifo_says_what_it_is() {
    let w = World::new();
    let fifo = w.dir.path().join("main.tf");
    mkfifo(&fifo);
    w.agb_in(w.dir.path())
        .args(["factory", "validate"])
        .arg(&fifo)
        .args(["--factory", "/nonexistent", "--offline"])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .failure()
        .stderr(predicate::str::contains("no such file or directory").not())
        .stderr(predicate::str::contains("not a regular file"));
}

// ---- L7: a damaged manifest ----

#[test]
fn l7_a_damaged_manifest_entry_is_blamed_on_the_manifest_with_a_way_out() {
    let w = World::new();
    w.build();
    let path = w.root.join(".agb/manifest.json");
    let mut m: serde_json::Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    let entry = m["files"]["commands/c.md"].clone();
    m["files"]["../../x"] = entry.clone();
    m["files"]["/etc/passwd"] = entry;
    fs::write(&path, serde_json::to_string(&m).unwrap()).unwrap();
    for cmd in ["build", "sync", "status"] {
        w.agb()
            .arg(cmd)
            .assert()
            .failure()
            .stderr(predicate::str::contains("manifest"))
            .stderr(predicate::str::contains("damaged"))
            .stderr(predicate::str::contains("renderer").not());
    }
    assert!(w.dir.path().join("x").symlink_metadata().is_err(), "nothing written outside");
}
