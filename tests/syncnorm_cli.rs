//! `agb sync` of a project edit written in other formatting than agb renders (issue 3): after
//! the sync, `agb build --check` and `agb status` are clean, the source holds exactly the edit,
//! and the project file says the same thing in agb's formatting.

mod support;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::SystemTime;

use support::sync::{agent_out, command_out, snapshot, World, TARGETS};

/// The command's description and body, and the agent's description and body, edited in each
/// target's format but not in agb's style (double quotes, extra spaces, basic TOML strings).
fn edit_with_other_formatting(w: &World, target: &str) {
    let c = command_out(target);
    let text = w.read_out(c);
    let text = if target == "gemini-cli" {
        let desc = text.lines().find(|l| l.starts_with("description = ")).unwrap().to_string();
        let start = text.find("prompt = ").unwrap();
        format!(
            "{}prompt = \"\"\"\nDo {{{{args}}}} later.\n\"\"\"\n",
            &text[..start].replace(&desc, "description   =   \"Search everything\"")
        )
    } else {
        let desc = text.lines().find(|l| l.starts_with("description:")).unwrap().to_string();
        text.replace(&desc, "description:    \"Search everything\"")
            .replace("Do $ARGUMENTS now.", "Do $ARGUMENTS later.")
    };
    w.write_out(c, &text);

    let a = agent_out(target);
    if target == "codex" {
        // The standalone role file holds the description too (issue 10): edited there, in
        // basic-string style.
        let text = w.read_out(a);
        let desc = text.lines().find(|l| l.starts_with("description = ")).unwrap().to_string();
        let start = text.find("developer_instructions = ").unwrap();
        w.write_out(
            a,
            &format!(
                "{}developer_instructions = \"You are a better agent.\\n\"\n",
                &text[..start].replace(&desc, "description   =   \"A careful agent\"")
            ),
        );
    } else {
        let text = w.read_out(a);
        let desc = text.lines().find(|l| l.starts_with("description:")).unwrap().to_string();
        w.write_out(
            a,
            &text
                .replace(&desc, "description:   'A careful agent'")
                .replace("You are an agent.", "You are a better agent."),
        );
    }
}

/// Every file of the source and the project (bytes and mtime), but the build manifest (and its
/// stat index).
fn files(w: &World) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut all = w.snapshot_source();
    all.extend(snapshot(&w.dir.path().join("proj")));
    all.retain(|p, _| !p.ends_with(".agb/manifest.json") && !p.ends_with(".agb/stat-index"));
    all
}

#[test]
fn a_differently_formatted_edit_leaves_build_and_status_clean_for_every_target() {
    for target in TARGETS {
        let w = World::new(target);
        w.build();
        edit_with_other_formatting(&w, target);
        w.ok(&["sync"], 0);
        assert_eq!(
            w.read_source("plugins/p/commands/c.md"),
            "---\n# keep me\ndescription: Search everything # why\nmodel: sonnet\n---\nDo $ARGUMENTS later.\n",
            "{target}"
        );
        assert_eq!(
            w.read_source("plugins/p/agents/a.md"),
            "---\nname: a\ndescription: \"A careful agent\"\n---\nYou are a better agent.\n",
            "{target}"
        );
        let check = w.ok(&["build", "--check"], 0);
        assert!(!check.contains("would update"), "{target}: {check}");
        w.ok(&["status"], 0);
        // The project file is now exactly what a build renders, and says the same thing.
        let project = w.read_out(command_out(target));
        assert!(project.contains("Search everything"), "{target}: {project}");
        assert!(!project.contains("\"Search everything\""), "{target}: still the user's quoting: {project}");
        // A build and a sync after it change nothing (the build may record its inputs in
        // the manifest, which is not an output).
        let before = files(&w);
        w.ok(&["build"], 0);
        w.ok(&["sync"], 0);
        assert!(
            files(&w) == before,
            "{target}: a build or sync after the normalising sync changed something"
        );
    }
}

#[test]
fn dry_run_check_and_status_write_nothing() {
    for target in TARGETS {
        let w = World::new(target);
        w.build();
        edit_with_other_formatting(&w, target);
        let before = files(&w);
        let dry = w.ok(&["sync", "--dry-run"], 0);
        assert!(dry.contains("agb's formatting"), "{target}: the dry run does not mention it: {dry}");
        w.ok(&["sync", "--check"], 3);
        w.ok(&["status"], 3);
        assert!(files(&w) == before, "{target}: something was written");
    }
}

#[test]
fn an_edit_sync_cannot_carry_keeps_the_project_file_and_warns() {
    let w = World::new("gemini-cli");
    w.build();
    let c = command_out("gemini-cli");
    let text = w.read_out(c);
    let desc = text.lines().find(|l| l.starts_with("description = ")).unwrap().to_string();
    let edited = text
        .replace(&desc, "description = \"Search everything\"")
        .replace("model = 'sonnet'", "model = 'opus'");
    assert_ne!(edited, text.replace(&desc, "description = \"Search everything\""), "the model line is there");
    w.write_out(c, &edited);
    let out = w.ok(&["sync"], 0);
    assert!(out.contains("commands/c.toml: edited outside its description and body"), "{out}");
    assert_eq!(w.read_out(c), edited, "the project file was rewritten");
    assert_eq!(
        w.read_source("plugins/p/commands/c.md"),
        "---\n# keep me\ndescription: Search everything # why\nmodel: sonnet\n---\nDo $ARGUMENTS now.\n"
    );
}

#[test]
fn a_resource_changed_only_in_the_source_is_left_to_build() {
    let w = World::new("claude-code");
    w.build();
    let a = agent_out("claude-code");
    let agent_before = w.read_out(a);
    w.write_source("plugins/p/agents/a.md", "---\nname: a\ndescription: \"An agent\"\n---\nNew body.\n");
    let c = command_out("claude-code");
    let text = w.read_out(c);
    w.write_out(c, &text.replace("description: Search the web", "description: \"Search everything\""));
    w.ok(&["sync"], 0);
    assert_eq!(w.read_out(a), agent_before, "sync rendered a source-only change into the project");
    assert!(w.read_out(c).contains("description: Search everything\n"), "{}", w.read_out(c));
    let check = w.ok(&["build", "--check"], 3);
    assert!(check.contains("agents/a.md") && !check.contains("commands/c.md"), "{check}");
}
