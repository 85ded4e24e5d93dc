//! The no-change fast path of `agb sync` (issue 14): with every output, source file and source
//! directory as the last build left them, and nothing added to a project skill directory, sync
//! stops after `stat`s (`"up_to_date": true` in `--json`) — and any change takes the full path,
//! which still carries the edit back.

mod support;

use support::sync::{agent_out, command_out, command_out_named, skill_dir, World, TARGETS};

/// `agb sync --json` (exit 0): whether the fast path answered, and the document.
fn sync_json(w: &World, extra: &[&str]) -> (bool, serde_json::Value) {
    let mut args = vec!["sync", "--json"];
    args.extend_from_slice(extra);
    let (code, out, err) = w.run(&args);
    assert_eq!(code, 0, "agb {args:?}\n{out}\n{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    (json["up_to_date"].as_bool().expect("up_to_date is a boolean"), json)
}

#[test]
fn nothing_changed_takes_the_fast_path_and_writes_nothing() {
    for target in TARGETS {
        let w = World::built(target);
        let before = w.snapshot_source();
        let (fast, json) = sync_json(&w, &[]);
        assert!(fast, "{target}: {json}");
        assert_eq!(json["pending"], false, "{target}");
        assert_eq!(json["manifest_updated"], false, "{target}");
        assert_eq!(json["resources"].as_array().map(Vec::len), Some(0), "{target}");
        for mode in ["--check", "--dry-run"] {
            assert!(sync_json(&w, &[mode]).0, "{target} {mode}");
        }
        let out = w.ok(&["sync"], 0);
        assert!(out.contains("nothing to sync"), "{target}: {out}");
        assert_eq!(w.snapshot_source(), before, "{target}: the source was touched");
    }
}

#[test]
fn an_edited_output_takes_the_full_path_and_is_carried_back() {
    for target in TARGETS {
        let w = World::built(target);
        let c = command_out(target);
        w.write_out(c, &w.read_out(c).replace("now.", "now, please."));
        let (fast, json) = sync_json(&w, &[]);
        assert!(!fast, "{target}: {json}");
        assert_eq!(json["resources"][0]["state"], "edited_in_project", "{target}: {json}");
        assert!(w.read_source("plugins/p/commands/c.md").contains("now, please."), "{target}");
    }
}

#[test]
fn an_edited_source_file_takes_the_full_path() {
    for target in TARGETS {
        let w = World::built(target);
        w.write_source("plugins/p/agents/a.md", "---\nname: a\ndescription: \"An agent\"\n---\nChanged.\n");
        let (fast, json) = sync_json(&w, &[]);
        assert!(!fast, "{target}: {json}");
        assert_eq!(json["resources"][0]["state"], "edited_in_source", "{target}: {json}");
    }
}

#[test]
fn a_file_added_to_a_project_skill_directory_takes_the_full_path_and_reaches_the_source() {
    for target in TARGETS {
        let w = World::built(target);
        let sk = skill_dir(target);
        w.write_out(&format!("{sk}/ref/added.txt"), "new file\n");
        let (fast, json) = sync_json(&w, &[]);
        assert!(!fast, "{target}: {json}");
        assert_eq!(w.read_source("plugins/p/skills/sk/ref/added.txt"), "new file\n", "{target}");
    }
}

#[cfg(unix)]
#[test]
fn a_link_in_a_project_skill_directory_takes_the_full_path_and_is_reported() {
    let w = World::built("claude-code");
    let sk = skill_dir("claude-code");
    std::os::unix::fs::symlink("/etc/hostname", w.out(&format!("{sk}/link.txt"))).unwrap();
    let (fast, json) = sync_json(&w, &[]);
    assert!(!fast, "{json}");
    assert!(json["problems"].to_string().contains("link.txt"), "{json}");
}

#[test]
fn after_a_sync_and_a_build_the_fast_path_is_back() {
    let w = World::built("claude-code");
    let c = command_out("claude-code");
    w.write_out(c, &w.read_out(c).replace("now.", "now, please."));
    assert!(!sync_json(&w, &[]).0);
    support::files::backdate_files(&w.source);
    w.build();
    assert!(sync_json(&w, &[]).0);
}

/// A built world with enough resources that one edited is a small part of them (with most of
/// them edited, sync loads everything).
fn built_with_more_commands(target: &str) -> World {
    let w = World::new(target);
    let more = ["c2", "c3", "c4", "c5", "c6"];
    for name in more {
        w.write_source(&format!("plugins/p/commands/{name}.md"), "---\ndescription: More\n---\nMore.\n");
    }
    let commands = format!("[p:c, {}]", more.map(|n| format!("p:{n}")).join(", "));
    w.write_config(target, &commands, "[p:a]", "[p:sk]");
    support::files::backdate_files(&w.source);
    w.build();
    w
}

/// A sync that loads only an edited skill (reusing the stats its change check took for the
/// skill's other files) carries the edited extra back, leaves the others alone, and records
/// the project as built: a build then has nothing to do.
#[test]
fn a_sync_of_one_edited_skill_extra_records_the_project_as_built() {
    for target in TARGETS {
        let w = built_with_more_commands(target);
        let sk = skill_dir(target);
        w.write_out(&format!("{sk}/ref/notes.txt"), "notes edited in the project\n");
        let (fast, json) = sync_json(&w, &[]);
        assert!(!fast, "{target}: {json}");
        assert_eq!(json["resources"].as_array().map(Vec::len), Some(1), "{target}: {json}");
        assert_eq!(w.read_source("plugins/p/skills/sk/ref/notes.txt"), "notes edited in the project\n");
        assert_eq!(w.read_source("plugins/p/skills/sk/keep.txt"), "keep\n", "{target}");
        let (code, out, err) = w.run(&["build", "--check"]);
        assert_eq!(code, 0, "{target}: the build sees a change after the sync\n{out}\n{err}");
    }
}

/// A sync after a few edits loads only the edited resources (the others are in sync on both
/// sides, from stats alone): it carries back exactly those, and the manifest still records
/// every other output, so an edit made afterwards elsewhere is still protected from a build.
#[test]
fn a_sync_of_one_edit_keeps_every_other_output_recorded_and_protected() {
    for target in TARGETS {
        let w = built_with_more_commands(target);
        let (c, a) = (command_out(target), agent_out(target));
        w.write_out(c, &w.read_out(c).replace("now.", "now, please."));
        let (fast, json) = sync_json(&w, &[]);
        assert!(!fast, "{target}: {json}");
        let resources = json["resources"].as_array().expect("a list of resources");
        assert_eq!(resources.len(), 1, "{target}: only the edited command: {json}");
        assert!(w.read_source("plugins/p/commands/c.md").contains("now, please."), "{target}");
        // `-v` still accounts for every resource: the unread ones are in sync by their stats.
        // (A build first: the sync changed the source, so only a build settles the stats.)
        assert_eq!(w.run(&["build"]).0, 0, "{target}");
        w.write_out(c, &w.read_out(c).replace("now, please.", "now, thanks."));
        let (code, _, err) = w.run(&["-v", "sync"]);
        assert_eq!(code, 0, "{target}: {err}");
        assert!(err.contains("command p:c: edited in the project"), "{target}: {err}");
        for unread in ["agent p:a", "skill p:sk", "command p:c6"] {
            assert!(
                err.contains(&format!("{unread}: in sync: its files' stats")),
                "{target}: {unread}: {err}"
            );
        }
        assert!(w.read_source("plugins/p/commands/c.md").contains("now, thanks."), "{target}");

        let agent_before = w.read_out(a);
        w.write_out(a, &format!("{agent_before}\nEdited after the sync.\n"));
        let (code, out, err) = w.run(&["build"]);
        assert_ne!(code, 0, "{target}: the edited agent output was overwritten\n{out}\n{err}");
        assert!(err.contains("edited"), "{target}: {err}");
        assert!(w.read_out(a).ends_with("Edited after the sync.\n"), "{target}");
    }
}

/// A sync keeps the build's record of its inputs valid: the next sync and the next build answer
/// "nothing changed" from stats alone, without a build in between (a sync used to leave the
/// record stale, so every later sync and the next build loaded the whole source).
#[test]
fn after_a_sync_the_next_sync_and_build_take_the_fast_path() {
    for target in TARGETS {
        let w = World::built(target);
        let c = command_out(target);
        let sk = skill_dir(target);
        w.write_out(c, &w.read_out(c).replace("now.", "now, please."));
        w.write_out(&format!("{sk}/ref/notes.txt"), "notes edited in the project\n");
        w.write_out(&format!("{sk}/ref/new.txt"), "a file new in the project\n");
        let (fast, json) = sync_json(&w, &[]);
        assert!(!fast, "{target}: {json}");
        assert_eq!(w.read_source("plugins/p/skills/sk/ref/new.txt"), "a file new in the project\n");
        let (fast, json) = sync_json(&w, &[]);
        assert!(fast, "{target}: the sync after a sync loaded the source: {json}");
        let (code, _, err) = w.run(&["-vv", "build"]);
        assert_eq!(code, 0, "{target}: {err}");
        assert!(!err.contains("plan took"), "{target}: the build after a sync planned: {err}");
    }
}

/// ...but a file added to a source directory the sync wrote into (whose mtime the sync moved)
/// is still seen: the directory is read, its listing differs from what the manifest knows, and
/// the build takes the full path and renders the new command (selected by a glob, so agb.yaml
/// does not change).
#[test]
fn a_source_file_added_after_a_sync_is_built() {
    for target in TARGETS {
        let w = World::built_with_command_glob(target);
        let c = command_out(target);
        w.write_out(c, &w.read_out(c).replace("now.", "now, please."));
        assert!(!sync_json(&w, &[]).0, "{target}");
        // Right after the sync's own write into plugins/p/commands: its mtime cannot tell.
        w.write_source("plugins/p/commands/added.md", "---\ndescription: Added\n---\nAdded.\n");
        w.ok(&["build"], 0);
        let added = command_out_named(target, "added");
        assert!(w.out(&added).exists(), "{target}: {added} was not built");
    }
}

/// A build records the mtimes of project skill directories that hold only its outputs, so a
/// no-change sync need not read them; a file added there afterwards, at any depth, still moves
/// a recorded mtime and reaches the source.
#[test]
fn recorded_project_skill_directories_still_show_an_added_file() {
    for target in TARGETS {
        let w = World::built(target);
        // A build more than the racy margin after the skill was written records its directories.
        std::thread::sleep(std::time::Duration::from_millis(300));
        w.write_source("plugins/p/commands/c.md", "---\ndescription: Changed\n---\nChanged.\n");
        support::files::backdate_files(&w.source);
        w.ok(&["build"], 0);
        let manifest: serde_json::Value = serde_json::from_str(&w.read_out(".agb/manifest.json")).unwrap();
        let dirs = &manifest["inputs"]["skill_dirs"]["skill p:sk"];
        assert!(dirs.as_array().is_some_and(|d| d.iter().any(|e| e[0] == "ref")), "{target}: {manifest}");
        assert!(sync_json(&w, &[]).0, "{target}");

        let sk = skill_dir(target);
        w.write_out(&format!("{sk}/ref/added.txt"), "added under ref/\n");
        let (fast, json) = sync_json(&w, &[]);
        assert!(!fast, "{target}: {json}");
        assert_eq!(w.read_source("plugins/p/skills/sk/ref/added.txt"), "added under ref/\n", "{target}");
    }
}

/// Without the stat index (deleted, or stale after a sync), the no-change check stats every
/// file from the manifest, a directory at a time: an output replaced by a link to an identical
/// file (same size and mtime) is still not taken for the output, and a source file that is a
/// link still shows an edit of its target.
#[cfg(unix)]
#[test]
fn without_the_index_links_are_judged_as_with_it() {
    use std::os::unix::fs::symlink;
    let no_index = |w: &World| std::fs::remove_file(w.out(".agb/stat-index")).unwrap();
    let (w, c) = (World::built("claude-code"), command_out("claude-code"));
    let (out, copy) = (w.out(c), w.dir.path().join("elsewhere.md"));
    std::fs::copy(&out, &copy).unwrap();
    support::files::set_mtime(&copy, std::fs::metadata(&out).unwrap().modified().unwrap());
    std::fs::remove_file(&out).unwrap();
    symlink(&copy, &out).unwrap();
    no_index(&w);
    let (code, stdout, err) = w.run(&["build"]);
    assert_ne!(code, 0, "a link where an output was is refused:\n{stdout}\n{err}");

    // The source agent is a link to a file outside the source: editing that file is a change.
    let w = World::built("claude-code");
    let target = w.dir.path().join("agent-elsewhere.md");
    std::fs::write(&target, "---\nname: a\ndescription: \"An agent\"\n---\nFirst.\n").unwrap();
    let linked = w.source.join("plugins/p/agents/a.md");
    std::fs::remove_file(&linked).unwrap();
    symlink(&target, &linked).unwrap();
    w.ok(&["build"], 0);
    assert!(w.read_out(agent_out("claude-code")).contains("First."));
    std::fs::write(&target, "---\nname: a\ndescription: \"An agent\"\n---\nSecond, longer.\n").unwrap();
    no_index(&w);
    let built = w.ok(&["build"], 0);
    assert!(w.read_out(agent_out("claude-code")).contains("Second, longer."), "{built}");
}
