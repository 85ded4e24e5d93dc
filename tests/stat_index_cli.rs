//! The stat index `.agb/stat-index` (issue 14): a no-change `build` or `sync` compares the stats
//! it lists without parsing the JSON manifest. It is only a cache: whatever it says, a change is
//! still seen, and an index that no longer describes the manifest is ignored.

mod support;

use std::time::Duration;

use support::sync::{command_out, command_out_named, skill_dir, World, TARGETS};

/// `agb -vv ARGS`: exit code and stderr (which names the phases, "stat index" among them).
fn vv(w: &World, args: &[&str]) -> (i32, String) {
    let mut all = vec!["-vv"];
    all.extend_from_slice(args);
    let (code, _, err) = w.run(&all);
    (code, err)
}

fn answered_by_index(err: &str) -> bool {
    err.contains("agb: stat index took")
}

/// `agb -vv ARGS` exits 0, and the stat index answered it (`from_index`) or did not.
fn succeeds(w: &World, args: &[&str], from_index: bool, context: &str) {
    let (code, err) = vv(w, args);
    assert_eq!(code, 0, "{context}: {err}");
    assert_eq!(answered_by_index(&err), from_index, "{context}: {err}");
}

#[test]
fn a_no_change_build_and_sync_answer_from_the_index() {
    for target in TARGETS {
        let w = World::built(target);
        assert!(w.out(".agb/stat-index").is_file(), "{target}: no index after a build");
        succeeds(&w, &["build"], true, target);
        succeeds(&w, &["build", "--check"], true, target);
        // Right after a build the skill directories were just written: sync reads them (racy
        // rule), finds only outputs there, and still answers from the index.
        succeeds(&w, &["sync"], true, target);
    }
}

#[test]
fn changes_on_either_side_are_seen_whatever_the_index_says() {
    for target in TARGETS {
        let w = World::built(target);
        let c = command_out(target);
        // An edited output: the build refuses to overwrite it, sync carries it back.
        w.write_out(c, &w.read_out(c).replace("now.", "now, please."));
        let (code, err) = vv(&w, &["build"]);
        assert_ne!(code, 0, "{target}: the edited output went unnoticed: {err}");
        assert!(!answered_by_index(&err), "{target}: {err}");
        w.ok(&["sync"], 0);
        assert!(w.read_source("plugins/p/commands/c.md").contains("now, please."), "{target}");
        // A file added to a project skill directory right after a build reaches the source.
        let sk = skill_dir(target);
        w.write_out(&format!("{sk}/ref/added.txt"), "added\n");
        succeeds(&w, &["sync"], false, target);
        assert_eq!(w.read_source("plugins/p/skills/sk/ref/added.txt"), "added\n", "{target}");
        // An edited source file is rendered.
        w.write_source("plugins/p/agents/a.md", "---\nname: a\ndescription: \"An agent\"\n---\nChanged.\n");
        succeeds(&w, &["build"], false, target);
    }
}

/// An index that no longer names the manifest's size and mtime (another agb, an editor, `adopt`
/// rewrote the manifest) is ignored, even when every stat it lists still holds.
#[test]
fn an_index_of_another_manifest_is_ignored() {
    let w = World::built("claude-code");
    let manifest = w.read_out(".agb/manifest.json");
    // Same entries, one byte longer: the manifest's stat moves, what it says does not.
    w.write_out(".agb/manifest.json", &format!("{manifest} "));
    succeeds(&w, &["build"], false, "");
    // That build found nothing to do from the manifest and wrote a fresh index.
    succeeds(&w, &["build"], true, "");
}

/// After a sync wrote into source directories (moving their mtimes), the next sync and build
/// read those directories, find what the manifest knows, and — once the mtimes are old enough
/// to show a later change — put them in a fresh index, so the no-change answer is stat-only again.
#[test]
fn after_a_sync_the_index_settles_and_answers_again() {
    for target in TARGETS {
        let w = World::built_with_command_glob(target);
        let c = command_out(target);
        w.write_out(c, &w.read_out(c).replace("now.", "now, please."));
        w.ok(&["sync"], 0);
        std::thread::sleep(Duration::from_millis(300));
        let (code, err) = vv(&w, &["build"]);
        assert_eq!(code, 0, "{target}: {err}");
        succeeds(&w, &["build"], true, target);
        // Still a cache: a command added to that directory now is built.
        w.write_source("plugins/p/commands/zz.md", "---\ndescription: Z\n---\nZ.\n");
        succeeds(&w, &["build"], false, target);
        let zz = command_out_named(target, "zz");
        assert!(w.out(&zz).exists(), "{target}: {zz} was not built");
    }
}

/// An output replaced by a link to a file with the very same size and mtime is not "unchanged":
/// outputs are stat-ed without following a final link, as everywhere else in agb.
#[cfg(unix)]
#[test]
fn an_output_replaced_by_a_link_is_not_taken_for_the_output() {
    let w = World::built("claude-code");
    let c = command_out("claude-code");
    let out = w.out(c);
    let copy = w.dir.path().join("elsewhere.md");
    std::fs::copy(&out, &copy).unwrap();
    let mtime = std::fs::metadata(&out).unwrap().modified().unwrap();
    support::files::set_mtime(&copy, mtime);
    std::fs::remove_file(&out).unwrap();
    std::os::unix::fs::symlink(&copy, &out).unwrap();
    let (code, err) = vv(&w, &["build"]);
    assert!(!answered_by_index(&err), "{err}");
    assert_ne!(code, 0, "a link where an output was is refused: {err}");
}

/// An index cut short (a crash before its data reached the disk) is not believed, even when its
/// header names the manifest as it is and every stat it still lists holds.
#[test]
fn an_index_cut_short_is_ignored() {
    let w = World::built("claude-code");
    let index = w.read_out(".agb/stat-index");
    let kept: Vec<&str> = index.lines().take(8).collect();
    w.write_out(".agb/stat-index", &format!("{}\n", kept.join("\n")));
    // A source edit the lost lines would have shown.
    w.write_source("plugins/p/agents/a.md", "---\nname: a\ndescription: \"An agent\"\n---\nChanged.\n");
    succeeds(&w, &["build"], false, "");
    assert!(w.read_out(support::sync::agent_out("claude-code")).contains("Changed."));
}

/// A file added to a source directory whose other files are all unchanged is still seen: the
/// directory's own mtime is part of the check, read on the directory opened for its files.
#[test]
fn a_file_added_beside_unchanged_source_files_is_built() {
    for target in TARGETS {
        let w = World::built(target);
        // `sk` holds SKILL.md and keep.txt, both unchanged.
        w.write_source("plugins/p/skills/sk/added.txt", "added\n");
        succeeds(&w, &["build"], false, target);
        let added = format!("{}/added.txt", skill_dir(target));
        assert_eq!(w.read_out(&added), "added\n", "{target}");
    }
}

/// A source directory replaced by a link to a copy with the very same stats (its files, its own
/// mtime, its parent's mtime) is not taken for the directory: a directory's mtime is read
/// without following a final link, as the full check reads it.
#[cfg(unix)]
#[test]
fn a_source_directory_replaced_by_a_link_is_not_taken_for_the_directory() {
    use std::fs;
    let set_dir_mtime =
        |dir: &std::path::Path, when| fs::File::open(dir).unwrap().set_modified(when).unwrap();
    let mtime = |p: &std::path::Path| fs::symlink_metadata(p).unwrap().modified().unwrap();
    let w = World::built("claude-code");
    succeeds(&w, &["build"], true, "");
    let sk = w.source.join("plugins/p/skills/sk");
    let skills_mtime = mtime(sk.parent().unwrap());
    let copy = w.dir.path().join("elsewhere/sk");
    for rel in ["SKILL.md", "keep.txt", "scratch.tmp", "ref/notes.txt"] {
        fs::create_dir_all(copy.join(rel).parent().unwrap()).unwrap();
        fs::copy(sk.join(rel), copy.join(rel)).unwrap();
        support::files::set_mtime(&copy.join(rel), mtime(&sk.join(rel)));
    }
    set_dir_mtime(&copy.join("ref"), mtime(&sk.join("ref")));
    set_dir_mtime(&copy, mtime(&sk));
    fs::remove_dir_all(&sk).unwrap();
    std::os::unix::fs::symlink(&copy, &sk).unwrap();
    set_dir_mtime(sk.parent().unwrap(), skills_mtime);
    let (_, err) = vv(&w, &["build"]);
    assert!(!answered_by_index(&err), "{err}");
}

/// An index of another version (an older agb wrote it) is ignored, and the build that did the
/// work writes one the next build answers from.
#[test]
fn an_index_of_another_version_is_ignored_and_rewritten() {
    let w = World::built("claude-code");
    let index = w.read_out(".agb/stat-index");
    let (first, rest) = index.split_once('\n').unwrap();
    assert!(first.starts_with("agb-stat-index "), "{first}");
    w.write_out(".agb/stat-index", &format!("agb-stat-index 1\n{rest}"));
    succeeds(&w, &["build"], false, "");
    assert!(w.read_out(".agb/stat-index").starts_with(&format!("{first}\n")));
    succeeds(&w, &["build"], true, "");
}

/// A run killed while writing the index (the manifest already saved) leaves the index's temp
/// file and no pending write: the next build or sync answers from the manifest, rewrites the
/// index, and removes that temp file too (CI found one left behind by `hostile_kill`).
#[test]
fn a_temp_file_of_an_index_write_killed_is_removed_by_the_next_run() {
    for command in ["build", "sync"] {
        let w = World::built("claude-code");
        std::fs::remove_file(w.out(".agb/stat-index")).unwrap();
        // A pid above any pid_max: a process that is gone.
        let temp = w.out(".agb/.agb-tmp-999999999-AbC123");
        w.write_out(".agb/.agb-tmp-999999999-AbC123", "half an index");
        succeeds(&w, &[command], false, command);
        assert!(!temp.exists(), "{command} leaves the killed index write's temp file");
        assert!(w.out(".agb/stat-index").is_file(), "{command} rewrites the index");
        succeeds(&w, &[command], true, command);
    }
}
