//! A sync killed at any moment leaves every source file either old or new, never half-written
//! (SPEC §1.8): run a large sync, SIGKILL it at spread-out points of its progress (read from
//! the source tree, not guessed from a clock), and check every file.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use support::files::{backdate_files, long_ago};
use support::sync::World;

const COMMANDS: usize = 150;
const EXTRAS: usize = 60;

fn body(i: usize, tag: &str) -> String {
    format!("{tag} body {i}\n{}\n", "lorem ipsum dolor sit amet ".repeat(400))
}

/// Every regular, non-hidden file under `dir`, by path relative to it.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file() && !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), fs::read(e.path()).unwrap()))
        .collect()
}

/// How many files under `dir` a sync has replaced: every file starts [`long_ago`], and each
/// atomic write lands a file with a new mtime.
fn replaced(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| e.metadata().ok().and_then(|m| m.modified().ok()).is_some_and(|t| t != long_ago()))
        .count()
}

#[test]
fn a_killed_sync_leaves_every_source_file_old_or_new() {
    let w = World::new("claude-code");
    for i in 0..COMMANDS {
        w.write_source(
            &format!("plugins/p/commands/k{i}.md"),
            &format!("---\ndescription: d{i}\n---\n{}", body(i, "old")),
        );
    }
    for i in 0..EXTRAS {
        w.write_source(&format!("plugins/p/skills/sk/data/f{i}.bin"), &"o".repeat(64 * 1024));
    }
    let commands: Vec<String> = (0..COMMANDS).map(|i| format!("p:k{i}")).collect();
    w.write_config("claude-code", &format!("[{}]", commands.join(", ")), "[]", "[p:sk]");
    w.build();
    // Edit every output in the project.
    for i in 0..COMMANDS {
        let rel = format!("commands/k{i}.md");
        w.write_out(&rel, &w.read_out(&rel).replace(&body(i, "old"), &body(i, "new")));
    }
    for i in 0..EXTRAS {
        w.write_out(&format!("skills/sk/data/f{i}.bin"), &"n".repeat(64 * 1024));
    }

    // The old and the new state of the source, and the manifest to restore between runs.
    let pristine = w.dir.path().join("pristine");
    support::copy_tree(&w.source, &pristine);
    let manifest = fs::read(w.out(".agb/manifest.json")).unwrap();
    let old = files(&pristine);
    w.ok(&["sync"], 0);
    let new = files(&w.source);
    let changed = old.iter().filter(|(p, b)| new.get(*p) != Some(*b)).count();
    assert_eq!(changed, COMMANDS + EXTRAS, "the full sync changed every edited file");

    let mut interrupted = 0;
    let mut caught_midway = 0;
    for round in 0..12u32 {
        fs::remove_dir_all(&w.source).unwrap();
        support::copy_tree(&pristine, &w.source);
        backdate_files(&w.source);
        fs::write(w.out(".agb/manifest.json"), &manifest).unwrap();
        // Kill points spread over the whole run: after 0, 10 %, … 100 % of the files are
        // replaced, and beyond (the manifest write, or a run left to finish).
        let at = changed * round as usize / 10;
        let mut child = w
            .agb_std()
            .arg("sync")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        while replaced(&w.source) < at && child.try_wait().unwrap().is_none() {
            std::thread::yield_now();
        }
        let _ = child.kill(); // SIGKILL: no cleanup code runs
        let status = child.wait().unwrap();
        if !status.success() {
            interrupted += 1;
        }
        let now = files(&w.source);
        assert_eq!(
            now.keys().collect::<Vec<_>>(),
            old.keys().collect::<Vec<_>>(),
            "round {round}: files appeared or vanished"
        );
        for (path, bytes) in &now {
            assert!(
                Some(bytes) == old.get(path) || Some(bytes) == new.get(path),
                "round {round} (killed after {at} replaced files): {} is neither old nor new",
                path.display()
            );
        }
        let done = now.iter().filter(|(p, b)| new.get(*p) == Some(*b) && old.get(*p) != Some(*b)).count();
        if !status.success() && done > 0 && done < changed {
            caught_midway += 1;
        }
        // A sync after the interruption finishes the job.
        w.ok(&["sync"], 0);
        assert_eq!(files(&w.source), new, "round {round}: resuming the sync did not reach the new state");
    }
    assert!(interrupted > 0, "no run was interrupted: the workload is too small to test anything");
    assert!(caught_midway > 0, "no run was killed between its first and its last write");
}
