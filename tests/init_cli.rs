//! A newcomer's path, black-box: `agb init --new-source` → `agb build` for every target,
//! `agb init` in a project root and with `--config DIR`, and `agb new` for each kind.

mod support;

use std::fs;

use predicates::prelude::*;
use predicates::str::contains as has;
use support::Sandbox;

const TARGETS: [(&str, &str); 4] =
    [("claude-code", ".claude"), ("gemini-cli", ".gemini"), ("opencode", ".opencode"), ("codex", ".codex")];

#[test]
fn new_source_builds_for_every_target_without_a_warning() {
    let sb = Sandbox::new();
    for (target, dir) in TARGETS {
        let project = sb.path().join(format!("proj-{target}"));
        fs::create_dir_all(&project).unwrap();
        let out = sb
            .agb_in(&project)
            .args(["init", "--target", target, "--new-source", "../src-x"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{target}: {stderr}");
        assert!(stderr.contains(&format!("next: agb -C {dir} build")), "{target}: {stderr}");
        let config = fs::read_to_string(project.join(dir).join("agb.yaml")).unwrap();
        assert!(config.starts_with("# yaml-language-server: $schema=.agb/agb.schema.json\n"), "{config}");
        assert!(config.contains("source: ../../src-x\n"), "{config}");
        assert!(config.contains("    - starter:reviewer\n"), "{config}");
        let out = sb.agb_in(&project).args(["-C", dir, "build"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{target}: {stderr}");
        assert!(!stderr.contains("warning"), "{target}: {stderr}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("3 created"), "{target}: {stdout}");
        fs::remove_dir_all(sb.path().join("src-x")).unwrap();
    }
}

#[test]
fn init_in_a_project_root_writes_into_the_agent_directory() {
    let sb = Sandbox::new();
    // nothing there: Claude Code's directory, and a way forward for the missing source
    sb.agb_in(sb.work())
        .arg("init")
        .assert()
        .success()
        .stderr(has("--new-source"))
        .stderr(has("pass --target for another agent"));
    assert!(sb.work().join(".claude/agb.yaml").is_file());
    // an existing agent directory is used
    let other = sb.path().join("other");
    fs::create_dir_all(other.join(".gemini")).unwrap();
    sb.agb_in(&other).arg("init").assert().success();
    let text = fs::read_to_string(other.join(".gemini/agb.yaml")).unwrap();
    assert!(text.contains("target: gemini-cli\n"), "{text}");
}

#[test]
fn init_config_directory_writes_agb_yaml_inside_and_force_replaces_it() {
    let sb = Sandbox::new();
    fs::create_dir_all(sb.work().join(".codex")).unwrap();
    sb.agb_in(sb.work()).args(["init", "--config", ".codex"]).assert().success();
    let path = sb.work().join(".codex/agb.yaml");
    assert!(fs::read_to_string(&path).unwrap().contains("target: codex\n"));
    sb.agb_in(sb.work()).args(["init", "--config", ".codex"]).assert().code(1).stderr(has("--force"));
    // the --force it suggests works
    sb.agb_in(sb.work()).args(["init", "--config", ".codex", "--force"]).assert().success();
}

#[test]
fn new_writes_resources_that_build_and_refuses_to_overwrite() {
    let sb = Sandbox::new();
    let project = sb.work();
    sb.agb_in(&project).args(["init", "--new-source", "../src"]).assert().success();
    for (kind, id) in [("command", "extra:do-it"), ("agent", "extra:helper"), ("skill", "extra:howto")] {
        sb.agb_in(&project)
            .args(["-C", ".claude", "new", kind, id])
            .assert()
            .success()
            .stdout(has("wrote"))
            .stderr(has(format!("list `{id}`")));
    }
    sb.agb_in(&project)
        .args(["-C", ".claude", "new", "agent", "extra:helper"])
        .assert()
        .code(1)
        .stderr(has("already exists"));
    sb.agb_in(&project).args(["new", "agent", "NoColon", "--source", "../src"]).assert().code(2);
    let config = project.join(".claude/agb.yaml");
    let text = fs::read_to_string(&config).unwrap();
    let text = text
        .replace("    - starter:hello\n", "    - starter:hello\n    - extra:do-it\n")
        .replace("    - starter:reviewer\n", "    - starter:reviewer\n    - extra:helper\n")
        .replace("    - starter:release-notes\n", "    - starter:release-notes\n    - extra:howto\n");
    fs::write(&config, text).unwrap();
    for (target, _) in TARGETS {
        let text = fs::read_to_string(&config).unwrap();
        let text = text.replace(
            &text.lines().find(|l| l.starts_with("target:")).unwrap().to_string(),
            &format!("target: {target}"),
        );
        fs::write(&config, text).unwrap();
        sb.agb_in(&project)
            .args(["-C", ".claude", "build", "--dry-run"])
            .assert()
            .success()
            .stderr(has("warning").not());
    }
}

#[test]
fn init_writes_the_schema_its_editor_comment_names() {
    let sb = Sandbox::new();
    let root = sb.work().join(".codex");
    fs::create_dir_all(&root).unwrap();
    sb.agb_in(&root).args(["init", "--new-source", "../../src-s"]).assert().success();
    let config = fs::read_to_string(root.join("agb.yaml")).unwrap();
    let modeline = config.lines().next().unwrap();
    let rel = modeline.strip_prefix("# yaml-language-server: $schema=").expect(modeline);
    // The language server resolves a relative $schema against the YAML file's directory.
    let written = fs::read_to_string(root.join(rel)).unwrap();
    let shipped = include_str!("../schemas/agb.schema.json");
    assert_eq!(written, shipped);
    let schema: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert_eq!(schema["title"], "agb.yaml");
    // The schema next to agb.yaml is no output: a build neither removes nor reports it.
    sb.agb_in(&root).args(["build", "--clean"]).assert().success();
    sb.agb_in(&root).arg("status").assert().success();
    assert!(root.join(rel).is_file());
}

#[test]
fn init_in_a_project_root_for_several_targets_writes_one_root_agb_yaml_that_builds_them_all() {
    let sb = Sandbox::new();
    let project = sb.work();
    fs::create_dir_all(project.join(".git")).unwrap();
    sb.agb_in(&project)
        .args(["init", "--target", "claude-code", "--target", "codex", "--new-source", "../src-m"])
        .assert()
        .success()
        .stdout(has("wrote agb.yaml"))
        .stderr(has("next: agb build"));
    let config = fs::read_to_string(project.join("agb.yaml")).unwrap();
    assert!(config.contains("\ntargets: [claude-code, codex]\n"), "{config}");
    assert!(!project.join(".claude/agb.yaml").exists());
    assert!(project.join(".agb/agb.schema.json").is_file());
    sb.agb_in(&project)
        .arg("build")
        .assert()
        .success()
        .stdout(has("built claude-code into .claude"))
        .stdout(has("built codex into .codex"));
    assert!(project.join(".claude/.agb/manifest.json").is_file());
    assert!(project.join(".codex/.agb/manifest.json").is_file());

    // Without --target, the agent directories present are the targets.
    let other = sb.path().join("other");
    fs::create_dir_all(other.join(".gemini")).unwrap();
    fs::create_dir_all(other.join(".opencode")).unwrap();
    sb.agb_in(&other)
        .arg("init")
        .assert()
        .success()
        .stderr(has("found agent directories for gemini-cli, opencode: one agb.yaml builds them all"));
    let text = fs::read_to_string(other.join("agb.yaml")).unwrap();
    assert!(text.contains("\ntargets: [gemini-cli, opencode]\n"), "{text}");

    // In an agent directory, several targets are a usage error that says where to run it.
    sb.agb_in(project.join(".codex"))
        .args(["init", "--target", "codex", "--target", "gemini-cli"])
        .assert()
        .code(2)
        .stderr(has("agb::usage::init_targets"))
        .stderr(has("project root"));
}

/// After an upgrade, `agb build` brings the editor schema `init` wrote up to this agb's (a
/// dry run writes nothing, and a schema the user removed is not brought back).
#[test]
fn build_refreshes_an_outdated_editor_schema() {
    let sb = Sandbox::new();
    let project = sb.work();
    fs::create_dir_all(project.join(".git")).unwrap();
    sb.agb_in(&project)
        .args(["init", "--target", "claude-code", "--target", "codex", "--new-source", "../src-u"])
        .assert()
        .success();
    let schema = project.join(".agb/agb.schema.json");
    let shipped = include_str!("../schemas/agb.schema.json");
    let older = "{\"title\": \"agb.yaml of an older agb\"}\n";
    fs::write(&schema, older).unwrap();
    sb.agb_in(&project).args(["build", "--dry-run"]).assert().success();
    assert_eq!(fs::read_to_string(&schema).unwrap(), older);
    sb.agb_in(&project).arg("build").assert().success();
    assert_eq!(fs::read_to_string(&schema).unwrap(), shipped);
    fs::remove_file(&schema).unwrap();
    sb.agb_in(&project).args(["build", "--clean"]).assert().success();
    assert!(!schema.exists());
}
