//! One agb.yaml for several targets, selection by plugin and glob, config discovery and the user
//! scope (issues 11 and 16), end to end: the real binary on a copy of the demo source.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains as has;
use support::{json_stdout, read, write, Sandbox};

/// The demo source in `<sandbox>/demo/source` and a project `<sandbox>/proj` (a git work tree:
/// discovery stops at it) whose agb.yaml is `config`.
fn project(config: &str) -> (Sandbox, PathBuf) {
    let sb = Sandbox::new();
    sb.demo();
    let proj = sb.path().join("proj");
    fs::create_dir_all(proj.join(".git")).unwrap();
    write(&proj.join("agb.yaml"), config);
    (sb, proj)
}

const TWO: &str = "source: ../demo/source
targets: [claude-code, gemini-cli]
resources:
  commands: [research:web_search, research:summarize]
";

fn source_file(sb: &Sandbox, rel: &str) -> PathBuf {
    sb.path().join("demo/source/plugins").join(rel)
}

#[test]
fn build_status_and_check_act_on_every_target() {
    let (sb, proj) = project(TWO);
    sb.agb_in(&proj)
        .arg("build")
        .assert()
        .success()
        .stdout(has("built claude-code into .claude"))
        .stdout(has("built gemini-cli into .gemini"));
    assert!(proj.join(".claude/commands/web_search.md").is_file());
    assert!(proj.join(".gemini/commands/web_search.toml").is_file());
    assert!(proj.join(".claude/.agb/manifest.json").is_file());
    assert!(proj.join(".gemini/.agb/manifest.json").is_file());
    sb.agb_in(&proj).arg("status").assert().code(0);
    sb.agb_in(&proj).args(["build", "--check"]).assert().code(0);

    // A source edit makes both targets stale: --check exits 3, status lists both.
    let cmd = source_file(&sb, "research/commands/web_search.md");
    fs::write(&cmd, read(&cmd).replace("Search the web", "Search the wide web")).unwrap();
    sb.agb_in(&proj).args(["build", "--check"]).assert().code(3);
    sb.agb_in(&proj)
        .arg("status")
        .assert()
        .code(3)
        .stdout(has("claude-code (.claude)"))
        .stdout(has("updated            commands/web_search.toml"));

    // --json: several targets are one document with a `targets` array of the usual documents.
    let doc = json_stdout(sb.agb_in(&proj).args(["status", "--json"]), 3);
    let targets = doc["targets"].as_array().expect("a targets array");
    let names: Vec<&str> = targets.iter().map(|t| t["target"].as_str().unwrap()).collect();
    assert_eq!(names, ["claude-code", "gemini-cli"]);
    assert_eq!(targets[1]["build"]["updated"][0], "commands/web_search.toml");
    // --target narrows to one: the single-target document, unchanged in shape.
    let one = json_stdout(sb.agb_in(&proj).args(["build", "--check", "--json", "--target", "gemini-cli"]), 3);
    assert_eq!(one["target"], "gemini-cli");
    assert!(one.get("targets").is_none());
}

#[test]
fn target_flag_builds_only_that_target() {
    let (sb, proj) = project(TWO);
    sb.agb_in(&proj).args(["build", "--target", "gemini-cli"]).assert().success();
    assert!(proj.join(".gemini/commands/web_search.toml").is_file());
    assert!(!proj.join(".claude").exists());
    sb.agb_in(&proj)
        .args(["build", "--target", "codex"])
        .assert()
        .code(1)
        .stderr(has("no target codex in this agb.yaml"))
        .stderr(has("claude-code, gemini-cli"));
}

#[test]
fn per_target_sections_add_to_the_selection() {
    let (sb, proj) =
        project(&format!("{TWO}claude-code:\n  resources:\n    skills: [research:web-research]\n"));
    sb.agb_in(&proj).arg("build").assert().success();
    assert!(proj.join(".claude/skills/web-research/SKILL.md").is_file());
    assert!(!proj.join(".gemini/skills").exists());
}

/// `agb <command>` in `dir` exits 1 with every one of `messages` on stderr.
fn fails_with(sb: &Sandbox, dir: &Path, command: &str, messages: &[&str]) {
    let mut assert = sb.agb_in(dir).arg(command).assert().code(1);
    for m in messages {
        assert = assert.stderr(has(*m));
    }
}

#[test]
fn unknown_target_and_duplicate_root_name_their_line() {
    let (sb, proj) = project("source: ../demo/source\ntargets:\n  - claude-code\n  - gemni-cli\n");
    fails_with(
        &sb,
        &proj,
        "build",
        &["agb.yaml:4: unknown target `gemni-cli`", "did you mean `gemini-cli`?"],
    );

    write(
        &proj.join("agb.yaml"),
        "source: ../demo/source\ntargets: [claude-code, gemini-cli]\ngemini-cli:\n  output: .claude\n",
    );
    fails_with(&sb, &proj, "build", &["agb.yaml:4: targets claude-code and gemini-cli have"]);
    write(&proj.join("agb.yaml"), "source: ../demo/source\ntargets: [codex, claude-code,\n  codex]\n");
    sb.agb_in(&proj).arg("status").assert().code(1).stderr(has("agb.yaml:3: targets codex and codex have"));
    assert!(!proj.join(".claude").exists() && !proj.join(".codex").exists());
}

/// Edit the description of the built web_search command in both targets' files.
fn edit_both(proj: &Path, claude_to: &str, gemini_to: &str) {
    let c = proj.join(".claude/commands/web_search.md");
    let g = proj.join(".gemini/commands/web_search.toml");
    let (ct, gt) = (read(&c), read(&g));
    assert!(ct.contains("Search the web") && gt.contains("Search the web"));
    fs::write(&c, ct.replace("Search the web", claude_to)).unwrap();
    fs::write(&g, gt.replace("Search the web", gemini_to)).unwrap();
}

#[test]
fn sync_carries_edits_back_when_the_targets_agree() {
    let (sb, proj) = project(TWO);
    sb.agb_in(&proj).arg("build").assert().success();
    edit_both(&proj, "Search the wide web", "Search the wide web");
    sb.agb_in(&proj).arg("sync").assert().code(0);
    let src = read(&source_file(&sb, "research/commands/web_search.md"));
    assert!(src.contains("Search the wide web"), "{src}");
    // Both manifests learned the synced files: nothing left to build or sync.
    sb.agb_in(&proj).arg("status").assert().code(0);
}

#[test]
fn sync_conflict_between_targets_names_both_files_and_writes_nothing() {
    let (sb, proj) = project(TWO);
    sb.agb_in(&proj).arg("build").assert().success();
    edit_both(&proj, "Search the wide web", "Search the deep web");
    let src_path = source_file(&sb, "research/commands/web_search.md");
    let before = fs::read(&src_path).unwrap();
    let manifests = [".claude/.agb/manifest.json", ".gemini/.agb/manifest.json"].map(|m| read(&proj.join(m)));
    sb.agb_in(&proj)
        .arg("sync")
        .assert()
        .code(1)
        .stderr(has("two targets carry different edits into"))
        .stderr(has("web_search.md"))
        .stderr(has("web_search.toml"))
        .stderr(has("nothing was written"));
    assert_eq!(fs::read(&src_path).unwrap(), before);
    let after = [".claude/.agb/manifest.json", ".gemini/.agb/manifest.json"].map(|m| read(&proj.join(m)));
    assert_eq!(after, manifests);
    // One target at a time is the way out.
    sb.agb_in(&proj).args(["sync", "--target", "claude-code"]).assert().code(0);
    assert!(read(&src_path).contains("Search the wide web"));
}

#[test]
fn plugins_and_globs_select_and_list_shows_the_resolution() {
    let (sb, proj) = project(
        "source: ../demo/source\ntargets: [claude-code]\nplugins: [research]\nresources:\n  commands: [\"*:doc_*\"]\n",
    );
    let out = sb.agb_in(&proj).arg("list").assert().success().get_output().stdout.clone();
    let out = String::from_utf8(out).unwrap();
    for id in [
        "research:web_search",
        "research:summarize",
        "research:researcher",
        "research:web-research",
        "documentation:doc_review",
    ] {
        assert!(out.contains(id), "{id} not listed:\n{out}");
    }
    assert!(!out.contains("documentation:doc-writer"), "{out}");
    sb.agb_in(&proj).arg("build").assert().success();
    assert!(proj.join(".claude/commands/doc_review.md").is_file());
    assert!(proj.join(".claude/agents/researcher.md").is_file());
}

#[test]
fn a_pattern_matching_nothing_names_its_line_and_the_closest_names() {
    // A single-target config in .claude/, found from the project root.
    let (sb, proj) = project("");
    fs::remove_file(proj.join("agb.yaml")).unwrap();
    let config =
        "source: ../../demo/source\ntarget: claude-code\nresources:\n  commands:\n    - \"reserch:*\"\n";
    write(&proj.join(".claude/agb.yaml"), config);
    fails_with(
        &sb,
        &proj,
        "build",
        &["agb.yaml:5: `reserch:*` matches no command", "did you mean `research:*`?"],
    );
    write(
        &proj.join(".claude/agb.yaml"),
        "source: ../../demo/source\ntarget: claude-code\nplugins: [documentaton]\n",
    );
    fails_with(
        &sb,
        &proj,
        "list",
        &["agb.yaml:3: `documentaton` matches no plugin", "did you mean `documentation`?"],
    );
    assert!(!proj.join(".claude/commands").exists());
}

#[test]
fn a_resource_added_to_a_selected_plugin_would_be_created() {
    let (sb, proj) = project("source: ../demo/source\ntargets: [claude-code]\nplugins: [research]\n");
    sb.agb_in(&proj).arg("build").assert().success();
    sb.agb_in(&proj).arg("status").assert().code(0);
    write(&source_file(&sb, "research/commands/fresh.md"), "---\ndescription: A new command\n---\nDo it.\n");
    sb.agb_in(&proj)
        .arg("status")
        .assert()
        .code(3)
        .stdout(has("created            commands/fresh.md  (agb build)"));
    // The no-change shortcut of build sees it too.
    sb.agb_in(&proj).arg("build").assert().success().stdout(has("created  commands/fresh.md"));
    let manifest = read(&proj.join(".claude/.agb/manifest.json"));
    assert!(manifest.contains("command:research:fresh") || manifest.contains("research:fresh"), "{manifest}");
}

#[test]
fn discovery_from_a_subdirectory_and_from_the_project_root() {
    let (sb, proj) = project(TWO);
    // From deep below the root config: found upward.
    fs::create_dir_all(proj.join("src/deep")).unwrap();
    sb.agb_in(proj.join("src/deep")).arg("build").assert().success();
    sb.agb_in(proj.join(".claude/commands")).arg("status").assert().code(0).stdout(has("gemini-cli ("));

    // A project root with single-target configs below it: every one of them.
    fs::remove_file(proj.join("agb.yaml")).unwrap();
    for (dir, target) in [(".claude", "claude-code"), (".gemini", "gemini-cli")] {
        let text = format!(
            "source: ../../demo/source\ntarget: {target}\nresources:\n  commands: [research:summarize]\n"
        );
        write(&proj.join(dir).join("agb.yaml"), &text);
    }
    sb.agb_in(&proj)
        .arg("build")
        .assert()
        .success()
        .stdout(has("gemini-cli (.gemini)"))
        .stdout(has("claude-code (.claude)"));
    assert!(proj.join(".claude/commands/summarize.md").is_file());
    assert!(proj.join(".gemini/commands/summarize.toml").is_file());
    // Inside an output root only its own config counts.
    sb.agb_in(proj.join(".gemini/commands"))
        .args(["status", "--json"])
        .assert()
        .code(0)
        .stdout(has("\"target\": \"gemini-cli\""))
        .stdout(has("claude-code").not());

    // The walk stops at the repository root: a config above it is not used.
    sb.write("agb.yaml", "source: demo/source\ntarget: codex\n");
    let other = sb.path().join("other");
    fs::create_dir_all(other.join(".git")).unwrap();
    sb.agb_in(&other).arg("status").assert().code(1).stderr(has("no agb.yaml at"));
}

#[test]
fn user_scope_writes_where_each_agent_reads_honouring_overrides() {
    let (sb, proj) = project(&format!("{TWO}scope: user\n"));
    write(&sb.path().join("demo/source/AGENTS.md"), "Be kind.\n");
    let home = sb.path().join("home");
    let claude_dir = sb.path().join("claude-config");
    // The user's own file in their Gemini directory is never touched.
    let own = home.join(".gemini/commands/mine.toml");
    write(&own, "description = \"mine\"\nprompt = \"x\"\n");
    sb.agb_in(&proj).env("CLAUDE_CONFIG_DIR", &claude_dir).arg("build").assert().success();
    assert!(claude_dir.join("commands/web_search.md").is_file());
    assert!(claude_dir.join("CLAUDE.md").is_file(), "global file in the user directory");
    assert!(claude_dir.join(".agb/manifest.json").is_file());
    assert!(!home.join(".claude").exists(), "CLAUDE_CONFIG_DIR wins over ~/.claude");
    assert!(home.join(".gemini/commands/web_search.toml").is_file());
    assert!(home.join(".gemini/GEMINI.md").is_file(), "Gemini's user file is ~/.gemini/GEMINI.md");
    assert!(!home.join("GEMINI.md").exists());
    assert!(!proj.join(".claude").exists() && !proj.join(".gemini").exists());
    assert_eq!(read(&own), "description = \"mine\"\nprompt = \"x\"\n");

    // GEMINI_CLI_HOME replaces the home directory for Gemini CLI; --user on a project config.
    let (sb2, proj2) = project(TWO);
    let ghome = sb2.path().join("gemini-home");
    sb2.agb_in(&proj2)
        .env("GEMINI_CLI_HOME", &ghome)
        .args(["build", "--user", "--target", "gemini-cli"])
        .assert()
        .success();
    assert!(ghome.join(".gemini/commands/web_search.toml").is_file());
    sb2.agb_in(&proj2)
        .env("GEMINI_CLI_HOME", &ghome)
        .args(["status", "--user", "--target", "gemini-cli"])
        .assert()
        .code(0);
    // Deselecting removes agb's outputs there and nothing else.
    write(&ghome.join(".gemini/commands/own.toml"), "prompt = \"own\"\n");
    write(&proj2.join("agb.yaml"), "source: ../demo/source\ntargets: [gemini-cli]\n");
    sb2.agb_in(&proj2).env("GEMINI_CLI_HOME", &ghome).args(["build", "--user"]).assert().success();
    assert!(!ghome.join(".gemini/commands/web_search.toml").exists());
    assert!(ghome.join(".gemini/commands/own.toml").is_file());
}

#[test]
fn the_readme_example_builds_for_all_four_agents() {
    let sb = Sandbox::new();
    sb.demo();
    let proj = sb.path().join("demo-project");
    support::copy_tree(&support::fixture("demo-project"), &proj);
    let doc = json_stdout(sb.agb_in(&proj).args(["build", "--json"]), 0);
    let targets: Vec<&str> =
        doc["targets"].as_array().unwrap().iter().map(|t| t["target"].as_str().unwrap()).collect();
    assert_eq!(targets, ["claude-code", "gemini-cli", "opencode", "codex"]);
    assert!(proj.join(".claude/skills/generate-infra/SKILL.md").is_file(), "claude-code's own section");
    assert!(!proj.join(".gemini/skills/generate-infra").exists());
    assert!(proj.join(".opencode/agents/researcher.md").is_file(), "plugins: [research]");
    sb.agb_in(&proj).args(["status"]).assert().code(0);
}
