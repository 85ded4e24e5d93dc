//! Issue 10, §1, §2, §7 on the command line: the target's schema warnings are printed (one
//! line each naming the resource and key, or per output with `--explain`, or in `--json`),
//! `--strict` turns them into errors with nothing written, and names or descriptions the agent
//! would reject stop the build before anything is written, naming the source file and line.

mod support;

use predicates::prelude::*;
use support::build::{files, write, World};

/// helper gets Claude-style tools, which Gemini CLI knows under other names.
fn world_with_tools() -> World {
    let w = World::new();
    write(
        &w.source().join("plugins/alpha/agents/helper.md"),
        "---\ndescription: A helper\ntools: [Read, WebFetch]\ntemperature: 0.2\n---\nYou help.\n",
    );
    w.config("codex", &[], &["alpha:helper"], &[]);
    w
}

#[test]
fn warnings_are_printed_naming_resource_and_key() {
    let w = world_with_tools();
    w.agb("codex", &["build"])
        .assert()
        .success()
        .stderr(predicate::str::contains("warning: agent alpha:helper (codex): `tools` dropped"))
        .stderr(predicate::str::contains("`temperature` dropped"));
    let json = support::json_stdout(w.agb("codex", &["build", "--dry-run", "--json"]).arg("--explain"), 0);
    let warnings = json["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 2, "{json}");
    assert_eq!(warnings[0]["output"], "agents/helper.toml");
    assert_eq!(warnings[0]["key"], "tools");
    assert_eq!(warnings[0]["action"], "dropped");
}

#[test]
fn explain_lists_what_each_output_lost() {
    let w = world_with_tools();
    w.agb("codex", &["build"]).assert().success();
    // Up to date, yet --explain still renders to know the warnings.
    w.agb("codex", &["build", "--check", "--explain"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("agents/helper.toml  (agent alpha:helper, codex)"))
        .stdout(predicate::str::contains("  `tools` dropped: "))
        .stderr(predicate::str::contains("warning:").not());
}

#[test]
fn strict_turns_warnings_into_errors_and_writes_nothing() {
    let w = world_with_tools();
    w.agb("codex", &["build", "--strict"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--strict"))
        .stderr(predicate::str::contains("`tools` dropped"));
    assert_eq!(files(&w.out("codex")), vec!["agb.yaml"], "nothing written");
    w.agb("codex", &["build"]).assert().success();
    // The no-change shortcut does not hide them from --strict.
    w.agb("codex", &["build", "--strict"]).assert().code(1);
    // Without warnings --strict builds.
    w.config("codex", &[], &["beta:critic"], &["beta:tester"]);
    w.agb("codex", &["build", "--strict"]).assert().success();
}

#[test]
fn a_name_or_description_the_agent_rejects_stops_the_build_before_writing() {
    let w = World::new();
    write(
        &w.source().join("plugins/alpha/agents/helper.md"),
        "---\ndescription: A helper\nname: Helper Bot\n---\nYou help.\n",
    );
    write(&w.source().join("plugins/beta/skills/tester/SKILL.md"), "---\nname: tester\n---\nTest.\n");
    w.config("gemini-cli", &["alpha:hello"], &["alpha:helper"], &["beta:tester"]);
    w.agb("gemini-cli", &["build"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not_loadable"))
        .stderr(predicate::str::contains("agents/helper.md:3"))
        .stderr(predicate::str::contains("\"Helper Bot\""))
        .stderr(predicate::str::contains("tester/SKILL.md"))
        .stderr(predicate::str::contains("no description"));
    assert_eq!(files(&w.out("gemini-cli")), vec!["agb.yaml"], "nothing written");
    assert!(!w.root().join("project/GEMINI.md").exists());
    w.agb("gemini-cli", &["status"]).assert().code(1).stderr(predicate::str::contains("Helper Bot"));
}
