//! `agb sync` and `agb status` end to end: the real binary on a real source and project.

mod support;

use std::fs;

use support::sync::{agent_out, command_out, skill_dir, World, TARGETS};

/// Edit, in the project, the command's description and body, the agent's description and body,
/// and the skill's extras (update one, add one, delete one).
fn edit_project(w: &World, target: &str) {
    let c = command_out(target);
    let text =
        w.read_out(c).replace("Search the web", "Search the whole web").replace("now.", "now, please.");
    w.write_out(c, &text);
    let a = agent_out(target);
    w.write_out(a, &w.read_out(a).replace("You are an agent.", "You are a better agent."));
    // Every target's agent file holds its description (Codex's standalone `agents/<name>.toml`
    // too, since issue 10: agb writes nothing into config.toml).
    w.write_out(a, &w.read_out(a).replace("An agent", "A careful agent"));
    let sk = skill_dir(target);
    w.write_out(&format!("{sk}/ref/notes.txt"), "notes, edited\n");
    w.write_out(&format!("{sk}/added.txt"), "new file\n");
    fs::remove_file(w.out(&format!("{sk}/keep.txt"))).unwrap();
}

#[test]
fn no_op_sync_after_build_keeps_every_source_byte_and_mtime() {
    for target in TARGETS {
        let w = World::new(target);
        // Sources dated long ago: a rewrite by sync would show as a new mtime.
        support::files::backdate_files(&w.source);
        w.build();
        let before = w.snapshot_source();
        w.ok(&["sync"], 0);
        w.ok(&["sync", "--check"], 0);
        w.ok(&["status"], 0);
        assert_eq!(w.snapshot_source(), before, "{target}: the source was touched");
    }
}

#[test]
fn project_edits_reach_the_source_exactly_for_every_target() {
    for target in TARGETS {
        let w = World::new(target);
        w.build();
        edit_project(&w, target);
        w.ok(&["status"], 3);
        w.ok(&["sync", "--check"], 3);
        w.ok(&["sync"], 0);
        assert_eq!(
            w.read_source("plugins/p/commands/c.md"),
            "---\n# keep me\ndescription: Search the whole web # why\nmodel: sonnet\n---\nDo $ARGUMENTS now, please.\n",
            "{target}"
        );
        assert_eq!(
            w.read_source("plugins/p/agents/a.md"),
            "---\nname: a\ndescription: \"A careful agent\"\n---\nYou are a better agent.\n",
            "{target}"
        );
        assert_eq!(w.read_source("plugins/p/skills/sk/ref/notes.txt"), "notes, edited\n");
        assert_eq!(w.read_source("plugins/p/skills/sk/added.txt"), "new file\n");
        assert!(!w.source.join("plugins/p/skills/sk/keep.txt").exists(), "{target}: deleted extra stays");
        // never deleted: the main file and excluded files
        assert!(w.source.join("plugins/p/skills/sk/SKILL.md").exists());
        assert!(w.source.join("plugins/p/skills/sk/scratch.tmp").exists());
        // the manifest now knows the project as built: build has nothing to do, sync neither
        w.ok(&["build", "--check"], 0);
        let before = w.snapshot_source();
        w.ok(&["sync"], 0);
        w.ok(&["status"], 0);
        assert_eq!(w.snapshot_source(), before, "{target}: second sync rewrote something");
    }
}

#[test]
fn multi_line_and_quoted_descriptions_round_trip_through_the_patcher() {
    let w = World::new("claude-code");
    w.build();
    let c = command_out("claude-code");
    let text =
        w.read_out(c).replace("description: Search the web", "description: \"yes: it's #1\\nsecond line\"");
    w.write_out(c, &text);
    w.ok(&["sync"], 0);
    let src = w.read_source("plugins/p/commands/c.md");
    assert_eq!(
        src,
        "---\n# keep me\ndescription: |- # why\n  yes: it's #1\n  second line\nmodel: sonnet\n---\nDo $ARGUMENTS now.\n"
    );
    // The project wrote the value in another YAML style than agb renders: build re-renders it
    // (without calling it an edit), then everything is quiet.
    w.ok(&["build"], 0);
    w.ok(&["build", "--check"], 0);
    w.ok(&["sync", "--check"], 0);
}

#[test]
fn a_source_only_change_is_never_reverted() {
    let w = World::new("claude-code");
    w.build();
    let edited =
        "---\n# keep me\ndescription: Search the web   # why\nmodel: sonnet\n---\nDo $ARGUMENTS later.\n";
    w.write_source("plugins/p/commands/c.md", edited);
    w.write_source("plugins/p/skills/sk/ref/notes.txt", "source notes\n");
    let out = w.ok(&["sync"], 0);
    assert!(out.contains("agb build"), "{out}");
    assert_eq!(w.read_source("plugins/p/commands/c.md"), edited);
    assert_eq!(w.read_source("plugins/p/skills/sk/ref/notes.txt"), "source notes\n");
    let status = w.ok(&["status"], 3);
    assert!(status.contains("edited-in-source"), "{status}");
}

/// The command `p:c` edited on both sides since the last build (claude-code): the source's new
/// text (with comments, so a test can see the source's format kept) is returned.
fn make_command_conflict(w: &World) -> &'static str {
    let src_edit =
        "---\n# keep me\ndescription: Search the web   # why\nmodel: sonnet\n---\nSource version.\n";
    w.write_source("plugins/p/commands/c.md", src_edit);
    let c = command_out("claude-code");
    w.write_out(c, &w.read_out(c).replace("Do $ARGUMENTS now.", "Project version."));
    src_edit
}

#[test]
fn a_change_on_both_sides_is_a_conflict_that_writes_nothing_for_that_resource() {
    let w = World::new("claude-code");
    w.build();
    let src_edit = make_command_conflict(&w);
    // another resource edited only in the project still syncs
    let a = agent_out("claude-code");
    w.write_out(a, &w.read_out(a).replace("You are an agent.", "You are a better agent."));
    let out = w.ok(&["sync"], 1);
    assert!(out.contains("conflict") && out.contains("command p:c"), "{out}");
    assert_eq!(w.read_source("plugins/p/commands/c.md"), src_edit);
    assert!(w.read_source("plugins/p/agents/a.md").ends_with("You are a better agent.\n"));
    let status = w.ok(&["status"], 3);
    assert!(status.contains("conflict"), "{status}");
    // --force: the project wins
    w.ok(&["sync", "--force"], 0);
    assert!(w.read_source("plugins/p/commands/c.md").ends_with("---\nProject version.\n"));
    w.ok(&["build", "--check"], 0);
}

#[test]
fn dry_run_diff_shows_both_sides_of_a_conflict_and_verbose_says_where_each_resource_stands() {
    let w = World::new("claude-code");
    w.build();
    let src_edit = make_command_conflict(&w);
    let c = command_out("claude-code");
    let (code, out, err) = w.run(&["-v", "sync", "--dry-run", "--diff"]);
    assert_eq!(code, 1, "{out}{err}");
    // The project side in the source's format (its comments kept), then the source side.
    let project_side = out.find("project side").expect(&out);
    let source_side = out.find("source side").expect(&out);
    assert!(project_side < source_side, "{out}");
    let (first, second) = out.split_at(source_side);
    assert!(first.contains("+++ b/plugins/p/commands/c.md"), "{out}");
    assert!(first.contains(" description: Search the web   # why\n"), "{out}");
    assert!(first.contains("-Source version.\n+Project version.\n"), "{out}");
    assert!(second.contains(&format!("+++ b/{c}")), "{out}");
    assert!(second.contains("-Project version.\n+Source version.\n"), "{out}");
    assert!(!out.contains('\x1b'), "no colour into a pipe: {out:?}");
    // -v: each resource's state, on stderr.
    assert!(err.contains("command p:c: changed on both sides"), "{err}");
    assert!(err.contains("agent p:a: in sync"), "{err}");
    assert!(!out.contains("in sync"), "{out}");
    // Nothing was written on either side.
    assert_eq!(w.read_source("plugins/p/commands/c.md"), src_edit);
    assert!(w.read_out(c).contains("Project version."));
    // Colour when asked for, never with NO_COLOR on auto.
    let out = w.agb().args(["--color", "always", "sync", "--dry-run", "--diff"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\x1b[32m+Project version.\x1b[0m"));
    let out = w.agb().env("NO_COLOR", "1").args(["sync", "--dry-run", "--diff"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\x1b'));
    // -vv: how long each step took, on stderr only.
    let (code, out, err) = w.run(&["-vv", "sync"]);
    assert_eq!(code, 1, "{out}{err}");
    for step in ["load", "plan", "write", "manifest"] {
        assert!(err.contains(&format!("agb: {step} took ")), "{step}: {err}");
    }
    assert!(!out.contains(" took "), "{out}");
}

#[test]
fn extra_conflicts_and_deletions_respect_the_base() {
    let w = World::new("gemini-cli");
    w.build();
    w.write_source("plugins/p/skills/sk/ref/notes.txt", "source side\n");
    w.write_out("skills/sk/ref/notes.txt", "project side\n");
    let out = w.ok(&["sync"], 1);
    assert!(out.contains("extra ref/notes.txt"), "{out}");
    assert_eq!(w.read_source("plugins/p/skills/sk/ref/notes.txt"), "source side\n");
    // a file deleted in the project but changed in the source since the build is a conflict too
    let w = World::new("gemini-cli");
    w.build();
    w.write_source("plugins/p/skills/sk/keep.txt", "changed in source\n");
    fs::remove_file(w.out("skills/sk/keep.txt")).unwrap();
    w.ok(&["sync"], 1);
    assert_eq!(w.read_source("plugins/p/skills/sk/keep.txt"), "changed in source\n");
}

#[test]
fn excluded_project_files_are_reported_not_added() {
    let w = World::new("claude-code");
    w.build();
    w.write_out("skills/sk/local.tmp", "mine\n");
    let out = w.ok(&["sync"], 0);
    assert!(out.contains("local.tmp") && out.contains("exclude"), "{out}");
    assert!(!w.source.join("plugins/p/skills/sk/local.tmp").exists());
    assert!(w.source.join("plugins/p/skills/sk/scratch.tmp").exists());
}

#[test]
fn one_unparsable_file_is_reported_and_the_others_sync() {
    let w = World::new("claude-code");
    w.build();
    let c = command_out("claude-code");
    w.write_out(c, "---\ndescription: [unclosed\n---\nbody\n");
    let a = agent_out("claude-code");
    w.write_out(a, &w.read_out(a).replace("You are an agent.", "You are a better agent."));
    let out = w.ok(&["sync"], 1);
    assert!(out.contains("commands/c.md") && out.contains("line"), "{out}");
    assert!(w.read_source("plugins/p/agents/a.md").ends_with("You are a better agent.\n"));
    assert!(w.read_source("plugins/p/commands/c.md").ends_with("Do $ARGUMENTS now.\n"));
}

#[cfg(unix)]
#[test]
fn symlinks_in_the_project_are_not_followed() {
    let w = World::new("claude-code");
    w.build();
    let outside = w.dir.path().join("outside");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("secret.txt"), "secret\n").unwrap();
    // a linked directory where the skill's ref/ was, and a linked file
    fs::remove_dir_all(w.out("skills/sk/ref")).unwrap();
    std::os::unix::fs::symlink(&outside, w.out("skills/sk/ref")).unwrap();
    std::os::unix::fs::symlink(outside.join("secret.txt"), w.out("skills/sk/link.txt")).unwrap();
    let out = w.ok(&["sync"], 0);
    assert!(out.contains("symbolic link"), "{out}");
    assert!(!w.source.join("plugins/p/skills/sk/link.txt").exists());
    assert!(!w.source.join("plugins/p/skills/sk/ref/secret.txt").exists());
    // the source's ref/notes.txt is not deleted because the project's ref/ is a link
    assert_eq!(w.read_source("plugins/p/skills/sk/ref/notes.txt"), "notes\n");
}

#[test]
fn dry_run_check_and_json_write_nothing() {
    let w = World::new("opencode");
    w.build();
    edit_project(&w, "opencode");
    let before = w.snapshot_source();
    let (code, out, _) = w.run(&["sync", "--dry-run", "--diff"]);
    assert_eq!(code, 0);
    assert!(out.contains("would update  plugins/p/commands/c.md (description, body)"), "{out}");
    assert!(out.contains("+Do $ARGUMENTS now, please."), "{out}");
    assert!(out.contains("would delete  plugins/p/skills/sk/keep.txt"), "{out}");
    w.ok(&["sync", "--check"], 3);
    let (code, out, _) = w.run(&["sync", "--check", "--json"]);
    assert_eq!(code, 3);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["pending"], true);
    assert_eq!(json["resources"][0]["state"], "edited_in_project");
    let (code, out, _) = w.run(&["status", "--json"]);
    assert_eq!(code, 3);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(json["sync"].as_array().unwrap().len() == 3, "{json}");
    assert_eq!(w.snapshot_source(), before);
    let (code, out, _) = w.run(&["sync", "--json"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["manifest_updated"], true);
}

#[test]
fn a_description_from_the_sidecar_is_written_back_to_the_sidecar() {
    let w = World::new("claude-code");
    let sidecar =
        "# per-target values\nclaude-code:\n  description: Sidecar words   # c\ngemini-cli:\n  model: x\n";
    w.write_source("plugins/p/commands/c.yaml", sidecar);
    w.build();
    let c = command_out("claude-code");
    w.write_out(c, &w.read_out(c).replace("Sidecar words", "Better sidecar words"));
    let md_before = w.read_source("plugins/p/commands/c.md");
    w.ok(&["sync"], 0);
    assert_eq!(w.read_source("plugins/p/commands/c.md"), md_before);
    assert_eq!(
        w.read_source("plugins/p/commands/c.yaml"),
        sidecar.replace("Sidecar words   # c", "Better sidecar words # c")
    );
    w.ok(&["build", "--check"], 0);
}

#[test]
fn a_description_from_overrides_yaml_is_never_silently_lost() {
    let w = World::new("claude-code");
    w.write_source("overrides.yaml", "description:\n  An agent:\n    claude-code: Overridden agent\n");
    w.build();
    let a = agent_out("claude-code");
    w.write_out(
        a,
        &w.read_out(a)
            .replace("Overridden agent", "Hand edited")
            .replace("You are an agent.", "Edited body."),
    );
    let before = w.read_source("plugins/p/agents/a.md");
    let out = w.ok(&["sync"], 1);
    assert!(out.contains("overrides.yaml") && out.contains("Hand edited"), "{out}");
    assert_eq!(w.read_source("plugins/p/agents/a.md"), before, "nothing written for that resource");
    // and build still protects the edit
    w.ok(&["build"], 1);
}

#[test]
fn without_a_manifest_sync_is_two_way_and_warns() {
    let w = World::new("gemini-cli");
    w.build();
    fs::remove_file(w.out(".agb/manifest.json")).unwrap();
    let c = command_out("gemini-cli");
    w.write_out(c, &w.read_out(c).replace("now.", "now, please."));
    let out = w.ok(&["sync"], 0);
    assert!(out.contains("two-way"), "{out}");
    assert!(w.read_source("plugins/p/commands/c.md").ends_with("Do $ARGUMENTS now, please.\n"));
}

#[test]
fn crlf_sources_keep_crlf() {
    let w = World::new("claude-code");
    w.write_source("plugins/p/agents/a.md", "---\r\nname: a\r\ndescription: An agent\r\n---\r\nBody\r\n");
    w.build();
    let a = agent_out("claude-code");
    w.write_out(a, &w.read_out(a).replace("description: An agent", "description: \"Two\\nlines\""));
    w.ok(&["sync"], 0);
    assert_eq!(
        w.read_source("plugins/p/agents/a.md"),
        "---\r\nname: a\r\ndescription: |-\r\n  Two\r\n  lines\r\n---\r\nBody\r\n"
    );
}

#[test]
fn an_output_the_manifest_does_not_list_is_not_taken_blindly() {
    // The agent is selected after the build, and the project already has a different hand-written
    // file at its output path: no base says which side is newer, so it is a conflict.
    let w = World::new("claude-code");
    w.write_config("claude-code", "[p:c]", "[]", "[p:sk]");
    w.build();
    w.write_config("claude-code", "[p:c]", "[p:a]", "[p:sk]");
    w.write_out("agents/a.md", "---\ndescription: mine\n---\nHand written.\n");
    let before = w.read_source("plugins/p/agents/a.md");
    let out = w.ok(&["sync"], 1);
    assert!(out.contains("conflict"), "{out}");
    assert_eq!(w.read_source("plugins/p/agents/a.md"), before);
}

#[test]
fn status_shows_both_directions() {
    let w = World::new("claude-code");
    w.build();
    w.ok(&["status"], 0);
    // source → project: a deleted output is created again, a source edit updates its output
    fs::remove_file(w.out("skills/sk/keep.txt")).unwrap();
    w.write_source("plugins/p/commands/c.md", "---\ndescription: new words\n---\nNew body.\n");
    // project → source: an edited agent
    let a = agent_out("claude-code");
    w.write_out(a, &w.read_out(a).replace("You are an agent.", "Edited."));
    let out = w.ok(&["status"], 3);
    assert!(out.contains("updated            commands/c.md  (agb build)"), "{out}");
    assert!(out.contains("edited-in-source   command p:c"), "{out}");
    assert!(out.contains("edited-in-project  agent p:a"), "{out}");
    let (code, json, _) = w.run(&["status", "--json"]);
    assert_eq!(code, 3);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["build"]["updated"][0], "commands/c.md");
    assert_eq!(json["pending"], true);
}
