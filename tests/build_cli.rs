//! Black-box tests of `agb build` (SPEC §1.6, §1.8): the real binary on temp copies of a small
//! source, for every target.

mod support;

use std::fs;

use predicates::prelude::*;
use support::build::{files, read, snapshot, wait_for_newer_mtimes, write, World};
use support::files::backdate_files;

const MD_TREE: [&str; 11] = [
    "agents/critic.md",
    "agents/helper.md",
    "commands/bye.EXT",
    "commands/hello.EXT",
    "commands/review.EXT",
    "skills/tester/SKILL.md",
    "skills/tester/data.json",
    "skills/writer/SKILL.md",
    "skills/writer/ref/deep/notes.txt",
    "skills/writer/ref/style.md",
    "skills/writer/scripts/run.sh",
];

fn expected_tree(global: Option<&str>, command_ext: &str) -> Vec<String> {
    let mut v: Vec<String> = MD_TREE.iter().map(|p| p.replace("EXT", command_ext)).collect();
    v.extend([".agb/manifest.json".to_string(), "agb.yaml".to_string()]);
    v.extend(global.map(str::to_string));
    v.sort();
    v
}

#[test]
fn gemini_claude_opencode_produce_the_expected_tree() {
    // The global file goes where the agent reads it (issue 10): Claude Code's in its root,
    // Gemini CLI's and OpenCode's in the project root (the output root's parent).
    for (target, global, ext) in [
        ("gemini-cli", "../GEMINI.md", "toml"),
        ("claude-code", "CLAUDE.md", "md"),
        ("opencode", "../AGENTS.md", "md"),
    ] {
        let w = World::new();
        w.config_all(target);
        w.agb(target, &["build"])
            .assert()
            .success()
            .stdout(predicate::str::contains(format!("created  {global}")));
        let in_root = (!global.starts_with("../")).then_some(global);
        assert_eq!(files(&w.out(target)), expected_tree(in_root, ext), "{target}");
        let out = w.out(target);
        assert_eq!(read(&out.join(global)), "# Global\n\nBe kind.\n", "global instructions copied as is");
        assert_eq!(read(&out.join("skills/writer/ref/deep/notes.txt")), "notes\n");
        assert!(read(&out.join(format!("commands/hello.{ext}"))).contains("Say hello"));
        assert!(!w.root().join("project/.agents").exists(), "{target} writes nothing outside its root");
    }
}

#[test]
fn codex_writes_skills_beside_the_root_and_agents_as_standalone_files() {
    let w = World::new();
    w.config_all("codex");
    w.agb("codex", &["build"]).assert().success();
    let mut expected = vec![".agb/manifest.json", "agb.yaml", "agents/critic.toml", "agents/helper.toml"];
    expected.sort();
    assert_eq!(files(&w.out("codex")), expected, "no config.toml: Codex agents need no entry there");
    assert_eq!(read(&w.root().join("project/AGENTS.md")), "# Global\n\nBe kind.\n", "in the project root");
    let skills = w.root().join("project/.agents/skills");
    assert_eq!(
        files(&skills),
        vec![
            "bye/SKILL.md",
            "hello/SKILL.md",
            "review/SKILL.md",
            "tester/SKILL.md",
            "tester/data.json",
            "writer/SKILL.md",
            "writer/ref/deep/notes.txt",
            "writer/ref/style.md",
            "writer/scripts/run.sh",
        ]
    );
    let helper = read(&w.out("codex").join("agents/helper.toml"));
    assert!(helper.starts_with("name = 'helper'\ndescription = 'A helper'\n"), "{helper}");
    assert!(helper.contains("developer_instructions = "), "{helper}");
}

#[test]
fn codex_never_touches_the_users_config_toml() {
    let w = World::new();
    let user = "# my settings\nmodel = \"o3\"  # keep this comment\n\n[agents.mine]\ndescription = \"my own agent\"\n";
    write(&w.out("codex").join("config.toml"), user);
    w.config("codex", &[], &["alpha:helper", "beta:critic"], &["beta:tester"]);
    w.agb("codex", &["build"]).assert().success();
    assert_eq!(read(&w.out("codex").join("config.toml")), user, "byte for byte");
    assert!(w.out("codex").join("agents/helper.toml").exists());

    w.config("codex", &[], &[], &[]);
    w.agb("codex", &["build"]).assert().success();
    assert_eq!(read(&w.out("codex").join("config.toml")), user, "byte for byte");
    assert!(!w.out("codex").join("agents/helper.toml").exists());
    assert!(!w.root().join("project/.agents/skills/tester").exists());
}

/// Make the codex build of `w` look like one of an agb before issue 10: its manifest owns
/// `[agents.<name>]` tables for `names` (each `description = "A helper"`), written into
/// config.toml after `user`.
fn make_old_codex_build(w: &World, user: &str, names: &[&str]) -> String {
    let manifest_path = w.out("codex").join(".agb/manifest.json");
    let mut manifest: serde_json::Value = serde_json::from_str(&read(&manifest_path)).unwrap();
    let m = manifest.as_object_mut().unwrap();
    m.insert("codex_agents".into(), serde_json::json!(names));
    let hash = sha256_hex("A helper");
    let descriptions: serde_json::Map<String, serde_json::Value> =
        names.iter().map(|n| (n.to_string(), serde_json::json!(hash))).collect();
    m.insert("codex_descriptions".into(), descriptions.into());
    fs::write(&manifest_path, serde_json::to_string(&manifest).unwrap()).unwrap();
    let tables: String = names
        .iter()
        .map(|n| format!("\n[agents.{n}]\ndescription = \"A helper\"\nconfig_file = \"agents/{n}.toml\"\n"))
        .collect();
    let config = format!("{user}{tables}");
    write(&w.out("codex").join("config.toml"), &config);
    config
}

fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    format!("{:x}", sha2::Sha256::digest(text.as_bytes()))
}

/// Issue 10: an output root built when Codex agents were `[agents.<name>]` tables is migrated
/// by the next build (even one the no-change shortcut would skip): agb removes exactly its own
/// tables, the user's bytes (and a user's own agent table) stay as they were.
#[test]
fn codex_migration_removes_only_agbs_own_tables() {
    let w = World::new();
    w.config("codex", &[], &["alpha:helper"], &[]);
    w.agb("codex", &["build"]).assert().success();
    let user = "# my settings\nmodel = \"o3\"  # keep this comment\n\n[agents.mine]\ndescription = \"my own agent\"\nconfig_file = \"mine.toml\"\n";
    let old = make_old_codex_build(&w, user, &["helper"]);
    assert!(old.contains("[agents.helper]"));
    w.agb("codex", &["status"]).assert().code(3).stdout(predicate::str::contains("config.toml"));
    w.agb("codex", &["build", "--dry-run"])
        .assert()
        .success()
        .stdout(predicate::str::contains("would update  config.toml (agents)"));
    assert_eq!(read(&w.out("codex").join("config.toml")), old, "a dry run writes nothing");
    w.agb("codex", &["build"]).assert().success().stdout(predicate::str::contains("updated  config.toml"));
    assert_eq!(read(&w.out("codex").join("config.toml")), user, "only agb's table is gone");
    let manifest = read(&w.out("codex").join(".agb/manifest.json"));
    assert!(!manifest.contains("codex_agents"), "agb owns no table any more: {manifest}");
    w.agb("codex", &["build"]).assert().success().stdout(predicate::str::contains("up to date"));
    assert_eq!(read(&w.out("codex").join("config.toml")), user);
}

/// A config.toml holding nothing but agb's old tables was agb's: the migration removes it.
#[test]
fn codex_migration_removes_a_config_toml_that_only_agb_wrote() {
    let w = World::new();
    w.config("codex", &[], &["alpha:helper"], &[]);
    w.agb("codex", &["build"]).assert().success();
    make_old_codex_build(&w, "", &["helper", "gone"]);
    w.agb("codex", &["build"]).assert().success().stdout(predicate::str::contains("removed  config.toml"));
    assert!(!w.out("codex").join("config.toml").exists());
    assert!(w.out("codex").join("agents/helper.toml").exists());
}

#[test]
fn rebuild_with_nothing_changed_rewrites_nothing() {
    let w = World::new();
    w.config_all("claude-code");
    w.agb("claude-code", &["build"]).assert().success();
    let before = snapshot(&w.out("claude-code"));
    wait_for_newer_mtimes(&before, w.root());
    w.agb("claude-code", &["build"]).assert().success().stdout(predicate::str::contains("up to date"));
    assert_eq!(snapshot(&w.out("claude-code")), before, "same bytes and same mtimes, manifest included");
}

#[test]
fn changed_source_updates_only_its_output() {
    let w = World::new();
    w.config_all("claude-code");
    w.agb("claude-code", &["build"]).assert().success();
    let before = snapshot(&w.out("claude-code"));
    write(&w.source().join("plugins/alpha/commands/bye.md"), "---\ndescription: Say bye\n---\nGoodbye.\n");
    write(&w.source().join("plugins/alpha/skills/writer/ref/style.md"), "New style\n");
    w.agb("claude-code", &["build"])
        .assert()
        .success()
        .stdout(predicate::str::contains("updated  commands/bye.md"))
        .stdout(predicate::str::contains("updated  skills/writer/ref/style.md"));
    let after = snapshot(&w.out("claude-code"));
    let changed: Vec<&String> = after.keys().filter(|k| after.get(*k) != before.get(*k)).collect();
    assert_eq!(changed, vec![".agb/manifest.json", "commands/bye.md", "skills/writer/ref/style.md"]);
}

#[test]
fn deselected_resources_are_removed_with_their_empty_dirs() {
    let w = World::new();
    w.config_all("gemini-cli");
    w.agb("gemini-cli", &["build"]).assert().success();
    w.config("gemini-cli", &["alpha:hello"], &["alpha:helper"], &[]);
    w.agb("gemini-cli", &["build"])
        .assert()
        .success()
        .stdout(predicate::str::contains("removed  skills/writer/ref/deep/notes.txt"));
    let out = w.out("gemini-cli");
    assert_eq!(
        files(&out),
        vec![".agb/manifest.json", "agb.yaml", "agents/helper.md", "commands/hello.toml"]
    );
    assert!(w.root().join("project/GEMINI.md").exists(), "the global file stays selected");
    assert!(!out.join("skills").exists(), "directories left empty are removed");
}

#[test]
fn removed_extra_is_removed_from_the_output() {
    let w = World::new();
    w.config_all("claude-code");
    w.agb("claude-code", &["build"]).assert().success();
    fs::remove_file(w.source().join("plugins/alpha/skills/writer/ref/deep/notes.txt")).unwrap();
    w.agb("claude-code", &["build"]).assert().success();
    let out = w.out("claude-code");
    assert!(!out.join("skills/writer/ref/deep").exists());
    assert!(out.join("skills/writer/ref/style.md").exists());
}

#[test]
fn files_agb_did_not_write_are_never_touched() {
    let w = World::new();
    fs::remove_file(w.source().join("AGENTS.md")).unwrap();
    let out = w.out("claude-code");
    write(&out.join("CLAUDE.md"), "my own instructions\n");
    write(&out.join("skills/mine/SKILL.md"), "my skill\n");
    write(&out.join("skills/writer-notes.txt"), "mine\n");
    write(&out.join("commands/my-own.md"), "my command\n");
    w.config_all("claude-code");
    w.agb("claude-code", &["build"]).assert().success();
    w.config("claude-code", &[], &[], &[]);
    w.agb("claude-code", &["build"]).assert().success();
    assert_eq!(read(&out.join("CLAUDE.md")), "my own instructions\n");
    assert_eq!(read(&out.join("skills/mine/SKILL.md")), "my skill\n");
    assert_eq!(read(&out.join("skills/writer-notes.txt")), "mine\n");
    assert_eq!(read(&out.join("commands/my-own.md")), "my command\n");
    assert!(!out.join("commands/hello.md").exists());
}

#[test]
fn edited_output_is_protected_until_forced() {
    let w = World::new();
    w.config_all("claude-code");
    w.agb("claude-code", &["build"]).assert().success();
    let out = w.out("claude-code");
    let edited = read(&out.join("commands/bye.md")).replace("Bye.", "Bye, edited in the project.");
    write(&out.join("commands/bye.md"), &edited);
    write(
        &w.source().join("plugins/alpha/commands/bye.md"),
        "---\ndescription: Say bye\n---\nChanged in source.\n",
    );
    write(
        &w.source().join("plugins/beta/commands/review.md"),
        "---\ndescription: Review code\n---\nReview more.\n",
    );
    let before = snapshot(&w.root().join("project"));
    w.agb("claude-code", &["build"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("commands/bye.md"))
        .stderr(predicate::str::contains("agb sync"))
        .stderr(predicate::str::contains("--force"));
    assert_eq!(snapshot(&w.root().join("project")), before, "nothing written, not even the other update");

    w.agb("claude-code", &["build", "--force"]).assert().success();
    assert!(read(&out.join("commands/bye.md")).contains("Changed in source."));
    assert!(read(&out.join("commands/review.md")).contains("Review more."));
}

#[test]
fn edited_output_of_a_deselected_resource_is_not_deleted() {
    let w = World::new();
    w.config_all("claude-code");
    w.agb("claude-code", &["build"]).assert().success();
    let out = w.out("claude-code");
    write(&out.join("agents/critic.md"), "my edits\n");
    w.config("claude-code", &[], &["alpha:helper"], &[]);
    w.agb("claude-code", &["build"]).assert().code(1).stderr(predicate::str::contains("agents/critic.md"));
    assert_eq!(read(&out.join("agents/critic.md")), "my edits\n");
    w.agb("claude-code", &["build", "--force"]).assert().success();
    assert!(!out.join("agents/critic.md").exists());
}

#[test]
fn existing_file_agb_never_wrote_is_protected_until_forced() {
    let w = World::new();
    w.config_all("opencode");
    let out = w.out("opencode");
    write(&out.join("commands/hello.md"), "a hand-written command\n");
    w.agb("opencode", &["build"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("commands/hello.md"))
        .stderr(predicate::str::contains("did not write"));
    assert_eq!(files(&out), vec!["agb.yaml", "commands/hello.md"], "nothing else was written");
    w.agb("opencode", &["build", "--force"]).assert().success();
    assert!(read(&out.join("commands/hello.md")).contains("Say hello"));
}

#[test]
fn check_exits_3_when_stale_and_0_when_up_to_date() {
    let w = World::new();
    w.config_all("gemini-cli");
    w.agb("gemini-cli", &["build", "--check"]).assert().code(3);
    assert_eq!(files(&w.out("gemini-cli")), vec!["agb.yaml"], "--check writes nothing");
    w.agb("gemini-cli", &["build"]).assert().success();
    w.agb("gemini-cli", &["build", "--check"]).assert().code(0);
    write(&w.source().join("plugins/beta/skills/tester/data.json"), "{\"x\": 1}\n");
    let before = snapshot(&w.out("gemini-cli"));
    w.agb("gemini-cli", &["build", "--check"]).assert().code(3);
    assert_eq!(snapshot(&w.out("gemini-cli")), before);
}

#[test]
fn dry_run_writes_nothing_and_shows_diffs() {
    let w = World::new();
    w.config_all("claude-code");
    let before = snapshot(&w.root().join("project"));
    w.agb("claude-code", &["build", "--dry-run"])
        .assert()
        .success()
        .stdout(predicate::str::contains("would create  commands/hello.md"));
    assert_eq!(snapshot(&w.root().join("project")), before);

    w.agb("claude-code", &["build"]).assert().success();
    write(&w.source().join("plugins/alpha/commands/bye.md"), "---\ndescription: Say bye\n---\nGoodbye.\n");
    w.config("claude-code", &["alpha:bye"], &[], &[]);
    let before = snapshot(&w.root().join("project"));
    w.agb("claude-code", &["build", "--dry-run", "--diff"])
        .assert()
        .success()
        .stdout(predicate::str::contains("would update  commands/bye.md"))
        .stdout(predicate::str::contains("--- a/commands/bye.md"))
        .stdout(predicate::str::contains("-Bye.\n+Goodbye."))
        .stdout(predicate::str::contains("would remove  agents/helper.md"));
    assert_eq!(snapshot(&w.root().join("project")), before);
}

#[test]
fn json_reports_what_was_done() {
    let w = World::new();
    w.config("claude-code", &["alpha:hello"], &[], &[]);
    let out = w.agb("claude-code", &["build", "--json"]).assert().success().get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["created"], serde_json::json!(["CLAUDE.md", "commands/hello.md"]));
    assert_eq!(v["target"], "claude-code");
    let out =
        w.agb("claude-code", &["build", "--check", "--json"]).assert().code(0).get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["up_to_date"], true);
    assert_eq!(v["unchanged"], 2);
}

#[test]
fn clean_rewrites_every_output() {
    let w = World::new();
    w.config_all("claude-code");
    w.agb("claude-code", &["build"]).assert().success();
    // Outputs dated long ago: the rewrite --clean must do shows as a new mtime.
    backdate_files(&w.out("claude-code"));
    let before = snapshot(&w.out("claude-code"));
    w.agb("claude-code", &["build", "--clean"]).assert().success();
    let after = snapshot(&w.out("claude-code"));
    assert_eq!(after.keys().collect::<Vec<_>>(), before.keys().collect::<Vec<_>>());
    let rel = "commands/hello.md";
    let (b, a) = (before[rel].as_ref().unwrap(), after[rel].as_ref().unwrap());
    assert_eq!(a.0, b.0);
    assert_ne!(a.1, b.1, "--clean wrote the file again");
}

#[test]
fn a_broken_unselected_resource_does_not_stop_the_build() {
    let w = World::new();
    write(&w.source().join("plugins/beta/commands/broken.md"), "---\ndescription: [unclosed\n---\nBody\n");
    write(&w.source().join("plugins/beta/agents/nofront.md"), "---\nnever closed\n");
    w.config_all("claude-code");
    w.agb("claude-code", &["build"]).assert().success();
    assert!(w.out("claude-code").join("commands/hello.md").exists());
}

/// Every class of error stops the build before anything is written: the output root (after a
/// first good build) is byte- and mtime-identical afterwards, and the exit code is 1.
#[test]
fn every_error_leaves_the_output_root_unchanged() {
    type Breaker = fn(&World);
    let cases: [(&str, Breaker); 8] = [
        ("unknown config key", |w| {
            let p = w.out("claude-code").join("agb.yaml");
            let text = read(&p) + "sorce: typo\n";
            write(&p, &text);
        }),
        ("missing resource", |w| w.config("claude-code", &["alpha:helo"], &[], &[])),
        ("invalid frontmatter", |w| {
            write(&w.source().join("plugins/alpha/commands/hello.md"), "---\ndescription: [x\n---\nHi\n")
        }),
        ("missing dependency", |w| w.config("claude-code", &[], &["beta:critic"], &[])),
        ("forbidden sidecar key", |w| {
            write(&w.source().join("plugins/alpha/commands/hello.yaml"), "description: nope\n")
        }),
        ("invalid resource name", |w| w.config("claude-code", &["alpha:bad name!"], &[], &[])),
        ("unreadable source", |w| {
            let p = w.out("claude-code").join("agb.yaml");
            let text = read(&p).replace("source: ../../source", "source: ../../no-such-source");
            write(&p, &text);
        }),
        ("name conflict", |w| {
            write(&w.source().join("plugins/beta/commands/hello.md"), "---\ndescription: Other\n---\nX\n");
            w.config("claude-code", &["alpha:hello", "beta:hello"], &[], &[]);
        }),
    ];
    for (name, breaker) in cases {
        let w = World::new();
        w.config_all("claude-code");
        w.agb("claude-code", &["build"]).assert().success();
        // A source change that would be written if the build went ahead.
        write(
            &w.source().join("plugins/alpha/commands/bye.md"),
            "---\ndescription: Say bye\n---\nChanged.\n",
        );
        breaker(&w);
        let before = snapshot(&w.root().join("project"));
        w.agb("claude-code", &["build"]).assert().code(1);
        assert_eq!(snapshot(&w.root().join("project")), before, "{name}");
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_in_the_output_root_pointing_outside_is_refused() {
    let w = World::new();
    w.config_all("claude-code");
    let outside = w.root().join("outside");
    fs::create_dir_all(&outside).unwrap();
    std::os::unix::fs::symlink(&outside, w.out("claude-code").join("skills")).unwrap();
    let before = snapshot(&w.out("claude-code"));
    w.agb("claude-code", &["build"]).assert().code(1).stderr(predicate::str::contains("skills"));
    assert!(fs::read_dir(&outside).unwrap().next().is_none(), "nothing written through the link");
    assert_eq!(snapshot(&w.out("claude-code")), before);
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_file_is_not_written_through() {
    let w = World::new();
    w.config_all("claude-code");
    w.agb("claude-code", &["build"]).assert().success();
    let target = w.root().join("victim.txt");
    fs::write(&target, "precious\n").unwrap();
    let link = w.out("claude-code").join("commands/bye.md");
    fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink(&target, &link).unwrap();
    write(&w.source().join("plugins/alpha/commands/bye.md"), "---\ndescription: Say bye\n---\nChanged.\n");
    w.agb("claude-code", &["build", "--force"]).assert().code(1);
    assert_eq!(read(&target), "precious\n");
}

#[test]
fn config_flag_and_missing_config() {
    let w = World::new();
    w.config_all("claude-code");
    let cfg = w.out("claude-code").join("agb.yaml");
    w.dir.agb().arg("--config").arg(&cfg).arg("build").assert().success();
    assert!(w.out("claude-code").join("commands/hello.md").exists());
    w.dir.agb().arg("build").assert().code(1).stderr(predicate::str::contains("agb.yaml"));
}

/// A re-build decides "nothing changed" from stats alone; every kind of change must still be
/// seen: a new extra, a new sidecar, a new global file, agb.yaml, a deleted output, codex's
/// config.toml edited by the user.
#[test]
fn the_no_change_shortcut_still_sees_every_change() {
    let w = World::new();
    fs::remove_file(w.source().join("AGENTS.md")).unwrap();
    w.config_all("gemini-cli");
    let out = w.out("gemini-cli");
    let build = |expect: &str| {
        w.agb("gemini-cli", &["build"])
            .assert()
            .success()
            .stdout(predicate::str::contains(expect.to_string()));
    };
    build("created");
    build("up to date");
    write(&w.source().join("plugins/alpha/skills/writer/ref/deep/new.txt"), "new\n");
    build("created  skills/writer/ref/deep/new.txt");
    write(&w.source().join("plugins/alpha/commands/hello.yaml"), "gemini-cli:\n  description: Hi there\n");
    build("updated  commands/hello.toml");
    assert!(read(&out.join("commands/hello.toml")).contains("Hi there"));
    write(&w.source().join("AGENTS.md"), "# Global\n");
    build("created  ../GEMINI.md");
    fs::remove_file(out.join("agents/helper.md")).unwrap();
    build("created  agents/helper.md");
    w.config("gemini-cli", &["alpha:hello"], &[], &[]);
    build("removed  agents/helper.md");
    build("up to date");
}

/// The no-change shortcut does not watch config.toml any more (agb owns nothing in it): an
/// edit there is the user's business and a build leaves it alone.
#[test]
fn the_no_change_shortcut_ignores_codex_config_edits() {
    let w = World::new();
    w.config("codex", &[], &["alpha:helper"], &[]);
    w.agb("codex", &["build"]).assert().success();
    write(&w.out("codex").join("config.toml"), "model = \"o3\"\n");
    w.agb("codex", &["build"]).assert().success().stdout(predicate::str::contains("up to date"));
    assert_eq!(read(&w.out("codex").join("config.toml")), "model = \"o3\"\n");
}
