//! Black-box tests of `agb list`, `agb init` and agb.yaml errors, on real files in temp dirs.

mod support;

use predicates::prelude::*;
use support::Sandbox;

/// miette wraps long lines (marking continuations with `|`), and temp paths are long: match
/// stderr text without its layout.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && *c != '|').collect()
}

fn has(needle: impl AsRef<str>) -> impl predicates::Predicate<[u8]> {
    let needle = squash(needle.as_ref());
    predicate::function(move |out: &[u8]| squash(&String::from_utf8_lossy(out)).contains(&needle))
}

fn stdout_json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn list_shows_the_selection_with_target_descriptions() {
    let sb = Sandbox::new();
    let demo = sb.demo();
    sb.agb()
        .arg("-C")
        .arg(demo.join("project/.gemini"))
        .arg("list")
        .assert()
        .success()
        .stdout(predicate::str::contains("* command  research:web_search"))
        .stdout(predicate::str::contains("Search the web (Google Search grounding)"))
        .stdout(predicate::str::contains("* skill    documentation:documentation-guidelines"));
}

#[test]
fn list_patterns_keep_matching_resources_and_exit_5_when_none_match() {
    let sb = Sandbox::new();
    let demo = sb.demo();
    let list = |args: &[&str]| {
        let out =
            sb.agb().arg("-C").arg(demo.join("project/.gemini")).arg("list").args(args).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stdout, _) = list(&["research:*"]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("research:web_search"), "{stdout}");
    assert!(!stdout.contains("documentation:"), "{stdout}");
    // A bare name needs no plugin.
    let (code, stdout, _) = list(&["web_search"]);
    assert_eq!((code, stdout.lines().count()), (Some(0), 1), "{stdout}");
    let (code, stdout, stderr) = list(&["nothing-like-this*"]);
    assert_eq!(code, Some(5), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("no resource matches nothing-like-this*"), "{stderr}");
    let (code, _, stderr) = list(&["web["]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("agb::usage::list_pattern"), "{stderr}");
}

#[test]
fn list_all_json_reports_unselected_and_broken_without_failing() {
    let sb = Sandbox::new();
    let demo = sb.demo();
    sb.write("demo/source/plugins/research/commands/broken.md", "---\ndescription: a: b\n---\nbody\n");
    sb.write("demo/source/plugins/bad plugin/commands/x.md", "x\n");
    let out = sb
        .agb()
        .arg("-C")
        .arg(demo.join("project/.claude"))
        .args(["list", "--all", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let json = stdout_json(&out);
    assert_eq!(json["schema"], 1);
    assert_eq!(json["target"], "claude-code");
    let rows = json["resources"].as_array().unwrap();
    let broken = rows.iter().find(|r| r["id"] == "research:broken").expect("broken row");
    assert_eq!(broken["selected"], false);
    assert!(broken["error"].as_str().unwrap().contains("broken.md:2"), "{broken}");
    let web = rows.iter().find(|r| r["id"] == "research:web_search").unwrap();
    assert_eq!(web["selected"], true);
    assert_eq!(web["type"], "command");
    assert_eq!(web["description_origin"], "frontmatter");
    assert!(json["problems"][0]["message"].as_str().unwrap().contains("bad plugin"));
}

#[test]
fn list_fails_when_a_selected_resource_is_broken() {
    let sb = Sandbox::new();
    let demo = sb.demo();
    sb.write("demo/source/plugins/research/commands/summarize.md", "---\n- not a mapping\n---\n");
    sb.agb()
        .arg("-C")
        .arg(demo.join("project/.opencode"))
        .arg("list")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("research:summarize"))
        .stdout(predicate::str::contains("not a mapping"));
}

#[test]
fn config_errors_name_the_file_and_line() {
    let sb = Sandbox::new();
    let cfg =
        sb.write("p/.claude/agb.yaml", "source: ../../src\ntarget: claude-code\nresorces:\n  commands: []\n");
    sb.agb()
        .args(["-C", "p/.claude", "list"])
        .assert()
        .code(1)
        .stderr(has(format!("{}:3: unknown key `resorces`", cfg.display())))
        .stderr(has("did you mean `resources`"));
    sb.write("p/.claude/agb.yaml", "source: ../../src\ntarget: claude\n");
    sb.agb()
        .args(["-C", "p/.claude", "list"])
        .assert()
        .code(1)
        .stderr(has("agb.yaml:2: unknown target `claude`"))
        .stderr(has("claude-code"));
}

#[test]
fn missing_config_says_where_agb_looked() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.path().join("empty")).unwrap();
    sb.agb()
        .args(["-C", "empty", "list"])
        .assert()
        .code(1)
        .stderr(has(sb.path().join("empty/agb.yaml").display().to_string()))
        .stderr(has("agb init"));
}

#[test]
fn misspelt_resource_suggests_and_points_into_agb_yaml() {
    let sb = Sandbox::new();
    let demo = sb.demo();
    let cfg = demo.join("project/.codex/agb.yaml");
    let text = std::fs::read_to_string(&cfg).unwrap().replace("research:summarize", "research:sumarize");
    std::fs::write(&cfg, text).unwrap();
    sb.agb()
        .arg("--config")
        .arg(&cfg)
        .arg("list")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("did you mean `research:summarize`"));
}

#[test]
fn unreadable_source_is_a_clear_error() {
    let sb = Sandbox::new();
    sb.write("p/agb.yaml", "source: ./nowhere\ntarget: codex\n");
    sb.agb()
        .args(["-C", "p", "list"])
        .assert()
        .code(1)
        .stderr(has("nowhere does not exist"))
        .stderr(has("source:"));
}

#[test]
fn init_writes_a_loadable_starter_and_refuses_to_overwrite() {
    let sb = Sandbox::new();
    let demo = sb.demo();
    let dir = sb.path().join("proj/.opencode");
    std::fs::create_dir_all(&dir).unwrap();
    sb.agb()
        .arg("-C")
        .arg(&dir)
        .arg("init")
        .arg("--source")
        .arg(demo.join("source"))
        .assert()
        .success()
        .stdout(predicate::str::contains("wrote"));
    let text = std::fs::read_to_string(dir.join("agb.yaml")).unwrap();
    assert!(text.contains("target: opencode"), "{text}");
    assert!(text.contains("# - research:web_search"), "{text}");
    // the starter loads: nothing selected yet, and --all sees the source
    sb.agb().arg("-C").arg(&dir).arg("list").assert().success();
    sb.agb()
        .arg("-C")
        .arg(&dir)
        .args(["list", "--all"])
        .assert()
        .success()
        .stdout(predicate::str::contains("  agent    research:researcher"));

    sb.agb()
        .arg("-C")
        .arg(&dir)
        .arg("init")
        .assert()
        .code(1)
        .stderr(has("already exists"))
        .stderr(has("--force"));
    assert_eq!(std::fs::read_to_string(dir.join("agb.yaml")).unwrap(), text, "untouched without --force");
    sb.agb().arg("-C").arg(&dir).args(["init", "--force", "--target", "codex"]).assert().success();
    assert!(std::fs::read_to_string(dir.join("agb.yaml")).unwrap().contains("target: codex"));
}

#[test]
fn init_needs_a_target_for_a_config_outside_agent_directories() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.path().join("plain")).unwrap();
    sb.agb().args(["-C", "plain", "--config", "x/agb.yaml", "init"]).assert().code(2).stderr(has("--target"));
    assert!(!sb.path().join("plain/x/agb.yaml").exists());
}

#[test]
fn init_relative_source_resolves_from_the_directory_of_agb_yaml() {
    let sb = Sandbox::new();
    sb.demo();
    let dir = sb.path().join("demo/project/.claude");
    std::fs::remove_file(dir.join("agb.yaml")).unwrap();
    // -C makes relative arguments relative to DIR, like git -C
    sb.agb().args(["-C", "demo/project/.claude", "init", "--source", "../../source"]).assert().success();
    let text = std::fs::read_to_string(dir.join("agb.yaml")).unwrap();
    assert!(text.contains("source: ../../source\n"), "{text}");
    assert!(text.contains("target: claude-code\n"), "{text}");
    // --config elsewhere: the relative source is written absolute, so it still points right
    let other = sb.path().join("elsewhere/agb.yaml");
    sb.agb()
        .args(["-C", "demo/project/.claude", "--config"])
        .arg(&other)
        .args(["init", "--target", "codex", "--source", "../../source"])
        .assert()
        .success();
    sb.agb()
        .arg("--config")
        .arg(&other)
        .args(["list", "--all"])
        .assert()
        .success()
        .stdout(predicate::str::contains("  skill    research:web-research"));
}

#[test]
fn list_all_marks_selected_and_shows_target_specific_descriptions() {
    let sb = Sandbox::new();
    let demo = sb.demo();
    let cfg = demo.join("project/.codex/agb.yaml");
    std::fs::write(&cfg, "source: ../../source\ntarget: codex\nresources:\n  agents: [research:researcher]\n  skills: [research:web-research]\n").unwrap();
    let out = sb.agb().arg("--config").arg(&cfg).args(["list", "--all"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let line = |id: &str| {
        text.lines().find(|l| l.contains(id)).unwrap_or_else(|| panic!("{id} in {text}")).to_string()
    };
    assert!(line("research:researcher").starts_with("* agent"), "{text}");
    assert!(line("documentation:doc-writer").starts_with("  agent"), "{text}");
    // codex has no sidecar description for the skill, gemini-cli has one
    assert!(
        line("research:web-research").ends_with("Techniques and scripts for reliable web research"),
        "{text}"
    );
    // `list` alone shows the selection in agb.yaml order
    let out = sb.agb().arg("--config").arg(&cfg).arg("list").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let ids: Vec<&str> = text.lines().map(|l| l.split_whitespace().nth(2).unwrap()).collect();
    assert_eq!(ids, vec!["research:researcher", "research:web-research"]);
}

#[test]
fn list_json_stdout_is_only_json_even_with_problems() {
    let sb = Sandbox::new();
    let demo = sb.demo();
    sb.write("demo/source/plugins/research/skills/empty/notes.md", "no SKILL.md\n");
    let out = sb
        .agb()
        .arg("-C")
        .arg(demo.join("project/.gemini"))
        .args(["list", "--all", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let json = stdout_json(&out);
    assert!(json["problems"][0]["message"].as_str().unwrap().contains("without SKILL.md"));
}

#[test]
fn every_selection_problem_is_reported_at_once_and_nothing_is_written() {
    let sb = Sandbox::new();
    let demo = sb.demo();
    let root = demo.join("project/.claude");
    std::fs::write(
        root.join("agb.yaml"),
        "source: ../../source\ntarget: claude-code\nresources:\n  commands: [research:web_serch, documentation:doc_review, research:summarize]\n  agents: [research:researcher, documentation:doc-writer]\n  skills: [research:web-research]\n",
    )
    .unwrap();
    sb.write(
        "demo/source/plugins/documentation/commands/doc_review.md",
        "---\ndescription: x: y\n---\nbody\n",
    );
    sb.write("demo/source/plugins/research/commands/summarize.yaml", "description: top-level\n");
    sb.write("demo/source/plugins/research/commands/web_search.md", "---\n- broken but not selected\n---\n");
    let before: Vec<_> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().file_name()).collect();
    let out = sb.agb().arg("-C").arg(&root).arg("build").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = squash(&String::from_utf8_lossy(&out.stderr));
    for needle in [
        "4 problems with the selected resources",
        "no command `research:web_serch`",
        "did you mean `research:web_search`",
        "doc_review.md:2: invalid frontmatter YAML",
        "summarize.yaml:1: `description` is not allowed at the top level of a sidecar",
        "agent documentation:doc-writer needs skill documentation:documentation-guidelines (not selected",
    ] {
        assert!(
            err.contains(&squash(needle)),
            "missing {needle:?} in:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let after: Vec<_> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(before, after, "the output root is unchanged");
}

/// `agb build 2>&1 | head -1`: stderr is a pipe whose reader has gone. agb must still exit with
/// its own code (1 here, for the missing agb.yaml), not panic in `eprintln!` (exit 101).
#[test]
fn an_error_written_to_a_closed_stderr_pipe_is_no_panic() {
    let sb = Sandbox::new();
    for args in [&["list"][..], &["list", "--all"][..]] {
        let mut child = sb
            .agb_std()
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // close the read end before agb gets to write its diagnostic
        drop(child.stderr.take());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(1), "{args:?}");
    }
}
