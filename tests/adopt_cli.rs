//! Black-box tests of `agb adopt` (issue 11 point 4): files a user wrote in each agent's own
//! format become a plugin's resources in the source, agb.yaml selects them, and the next
//! `agb build` owns them (no "edited" refusal) and rewrites them identically, or only in agb's
//! documented formatting (docs/adopt.md).

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use predicates::prelude::*;
use support::files::{files, snapshot};
use support::{json_stdout, read, write, Sandbox};

/// A source with one plugin, and a project whose agb.yaml (in `.<agent>/`) selects one of its
/// commands in block style.
struct Project {
    dir: Sandbox,
}

impl Project {
    fn new(target: &str) -> Project {
        let p = Project { dir: Sandbox::new() };
        write(&p.source().join("plugins/base/commands/known.md"), "---\ndescription: Known\n---\nKnown.\n");
        let config =
            format!("source: ../../source\ntarget: {target}\nresources:\n  commands:\n    - base:known\n");
        write(&p.root(target).join("agb.yaml"), &config);
        p
    }

    fn source(&self) -> PathBuf {
        self.dir.path().join("source")
    }

    fn project(&self) -> PathBuf {
        self.dir.path().join("project")
    }

    /// The output root of `target` (where agb.yaml is).
    fn root(&self, target: &str) -> PathBuf {
        let d = match target {
            "gemini-cli" => ".gemini",
            "claude-code" => ".claude",
            "opencode" => ".opencode",
            "codex" => ".codex",
            other => panic!("unknown target {other}"),
        };
        self.project().join(d)
    }

    /// `agb <args>` run in the output root of `target`.
    fn agb(&self, target: &str, args: &[&str]) -> assert_cmd::Command {
        let mut cmd = self.dir.agb_in(self.root(target));
        cmd.args(args);
        cmd
    }

    fn put(&self, target: &str, rel: &str, text: &str) -> PathBuf {
        let path = self.root(target).join(rel);
        write(&path, text);
        path
    }
}

/// Adopt `paths` into plugin `mine`, build, and check that the build owned every adopted file
/// and left it byte-identical.
fn adopt_then_build_keeps(p: &Project, target: &str, paths: &[&str], unchanged: &[&str]) {
    let mut args = vec!["adopt", "--plugin", "mine"];
    args.extend(paths);
    p.agb(target, &args).assert().success();
    let before: Vec<String> = unchanged.iter().map(|rel| read(&p.root(target).join(rel))).collect();
    p.agb(target, &["build"])
        .assert()
        .success()
        .stdout(predicate::str::contains("edited").not())
        .stderr(predicate::str::contains("edited").not());
    for (rel, text) in unchanged.iter().zip(before) {
        assert_eq!(read(&p.root(target).join(rel)), text, "{target} {rel} changed by the build");
    }
    // And the project is clean in both directions.
    p.agb(target, &["status"]).assert().code(0);
}

#[test]
fn claude_code_command_agent_and_skill_round_trip_byte_for_byte() {
    let p = Project::new("claude-code");
    p.put(
        "claude-code",
        "commands/hi.md",
        "---\ndescription: Greet\nargument-hint: <who>\n---\nHi $ARGUMENTS.\n",
    );
    p.put(
        "claude-code",
        "agents/rev.md",
        "---\nname: rev\ndescription: Reviews\ntools: Read, Grep\nmodel: sonnet\npermissionMode: plan\n---\nReview.\n",
    );
    p.put("claude-code", "skills/sk/SKILL.md", "---\ndescription: A skill\n---\nUse it.\n");
    p.put("claude-code", "skills/sk/ref/a.txt", "extra\n");
    p.put("claude-code", "skills/sk/.DS_Store", "junk");
    adopt_then_build_keeps(
        &p,
        "claude-code",
        &["commands/hi.md", "agents/rev.md", "skills/sk"],
        &["commands/hi.md", "agents/rev.md", "skills/sk/SKILL.md", "skills/sk/ref/a.txt"],
    );
    let s = p.source().join("plugins/mine");
    // `permissionMode` only means something to Claude Code: sidecar. `argument-hint` is also a
    // key of Copilot's skills (a Copilot command is a skill), so it stays in the frontmatter.
    assert_eq!(
        read(&s.join("commands/hi.md")),
        "---\ndescription: Greet\nargument-hint: <who>\n---\nHi $ARGUMENTS.\n"
    );
    assert!(!s.join("commands/hi.yaml").exists(), "no Claude-only key in the command");
    assert_eq!(
        read(&s.join("agents/rev.md")),
        "---\nname: rev\ndescription: Reviews\ntools: Read, Grep\nmodel: sonnet\n---\nReview.\n"
    );
    assert_eq!(read(&s.join("agents/rev.yaml")), "claude-code:\n  permissionMode: plan\n");
    assert_eq!(files(&s.join("skills/sk")), ["SKILL.md", "ref/a.txt"], "hidden files stay in the project");
    let config = read(&p.root("claude-code").join("agb.yaml"));
    assert!(config.contains("  commands:\n    - base:known\n    - mine:hi\n"), "{config}");
    assert!(
        config.contains("  agents:\n    - mine:rev\n") && config.contains("  skills:\n    - mine:sk\n"),
        "{config}"
    );
}

#[test]
fn gemini_toml_command_becomes_markdown_and_builds_back_the_same_toml() {
    let p = Project::new("gemini-cli");
    let toml = "description = \"Greet\"\nprompt = \"\"\"\nSay hi to {{args}}\n\"\"\"\n";
    p.put("gemini-cli", "commands/greet.toml", toml);
    p.put(
        "gemini-cli",
        "agents/helper.md",
        "---\nname: helper\ndescription: Helps\ntools:\n- read_file\ntimeout_mins: 5\n---\nHelp.\n",
    );
    adopt_then_build_keeps(
        &p,
        "gemini-cli",
        &["commands/greet.toml", "agents/helper.md"],
        &["agents/helper.md"],
    );
    let s = p.source().join("plugins/mine");
    assert_eq!(read(&s.join("commands/greet.md")), "---\ndescription: Greet\n---\nSay hi to $ARGUMENTS\n");
    assert_eq!(read(&s.join("agents/helper.yaml")), "gemini-cli:\n  timeout_mins: 5\n");
    // agb writes the prompt as its own multi-line string: the same TOML values.
    let rebuilt: toml::Table =
        toml::from_str(&read(&p.root("gemini-cli").join("commands/greet.toml"))).unwrap();
    assert_eq!(rebuilt, toml::from_str::<toml::Table>(toml).unwrap());
}

#[test]
fn opencode_command_and_agent_round_trip_and_the_singular_agent_dir_is_refused() {
    let p = Project::new("opencode");
    p.put(
        "opencode",
        "commands/t.md",
        "---\ndescription: Test\nagent: build\nsubtask: true\n---\nRun tests.\n",
    );
    p.put("opencode", "agents/plan.md", "---\ndescription: Plans\nmode: subagent\n---\nPlan.\n");
    p.put("opencode", "agent/old.md", "---\ndescription: Old\n---\nOld.\n");
    p.agb("opencode", &["adopt", "--plugin", "mine", "agent/old.md"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("agb::adopt::unsupported"))
        .stderr(predicate::str::contains("agents/<name>.md"));
    adopt_then_build_keeps(
        &p,
        "opencode",
        &["commands/t.md", "agents/plan.md"],
        &["commands/t.md", "agents/plan.md"],
    );
    assert_eq!(
        read(&p.source().join("plugins/mine/commands/t.yaml")),
        "opencode:\n  agent: build\n  subtask: true\n"
    );
}

#[test]
fn codex_role_and_skill_beside_the_root_round_trip() {
    let p = Project::new("codex");
    let role = "name = \"rev\"\ndescription = \"Reviews\"\nmodel = \"gpt-5\"\ndeveloper_instructions = \"\"\"\nReview.\n\"\"\"\n";
    p.put("codex", "agents/rev.toml", role);
    write(&p.project().join(".agents/skills/sk/SKILL.md"), "---\nname: sk\ndescription: Skill\n---\nDo.\n");
    write(&p.project().join(".agents/skills/sk/scripts/run.sh"), "echo\n");
    adopt_then_build_keeps(
        &p,
        "codex",
        &["agents/rev.toml", "../.agents/skills/sk"],
        &["../.agents/skills/sk/SKILL.md", "../.agents/skills/sk/scripts/run.sh"],
    );
    let s = p.source().join("plugins/mine");
    assert!(read(&s.join("agents/rev.md")).ends_with("---\nReview.\n"));
    let rebuilt: toml::Table = toml::from_str(&read(&p.root("codex").join("agents/rev.toml"))).unwrap();
    assert_eq!(rebuilt, toml::from_str::<toml::Table>(role).unwrap());
    assert_eq!(read(&s.join("skills/sk/scripts/run.sh")), "echo\n");
}

#[test]
fn formatting_differences_are_agbs_documented_ones() {
    // A flow list becomes a block list, and a key only Claude Code knows comes after the
    // portable ones (the sidecar is merged last): the same metadata, agb's layout.
    let p = Project::new("claude-code");
    p.put(
        "claude-code",
        "agents/a.md",
        "---\nname: a\npermissionMode: plan\ndescription: 'Quoted'\ntools: [Read, Grep]\n---\nBody.\n",
    );
    p.agb("claude-code", &["adopt", "--plugin", "mine", "agents/a.md"]).assert().success();
    p.agb("claude-code", &["build"])
        .assert()
        .success()
        .stdout(predicate::str::contains("updated  agents/a.md"));
    assert_eq!(
        read(&p.root("claude-code").join("agents/a.md")),
        "---\nname: a\ndescription: Quoted\ntools:\n- Read\n- Grep\npermissionMode: plan\n---\nBody.\n"
    );
}

#[test]
fn an_existing_source_resource_is_refused_and_nothing_is_written() {
    let p = Project::new("claude-code");
    p.put("claude-code", "commands/new.md", "---\ndescription: New\n---\nNew.\n");
    p.put("claude-code", "commands/known.md", "---\ndescription: Mine\n---\nMine.\n");
    let source = snapshot(&p.source());
    let project = snapshot(&p.project());
    p.agb("claude-code", &["adopt", "--plugin", "base", "commands/new.md", "commands/known.md"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("command base:known already exists in the source"))
        .stderr(predicate::str::contains("plugins/base/commands/known.md"));
    assert_eq!(snapshot(&p.source()), source, "the source is untouched");
    assert_eq!(snapshot(&p.project()), project, "agb.yaml and the project are untouched");
}

#[test]
fn dry_run_shows_what_it_would_write_and_writes_nothing() {
    let p = Project::new("claude-code");
    p.put("claude-code", "agents/x.md", "---\nname: x\ndescription: X\npermissionMode: plan\n---\nX.\n");
    let source = snapshot(&p.source());
    let project = snapshot(&p.project());
    p.agb("claude-code", &["adopt", "--plugin", "mine", "--dry-run", "agents/x.md"])
        .assert()
        .success()
        .stdout(predicate::str::contains("would write  plugins/mine/agents/x.md"))
        .stdout(predicate::str::contains("would write  plugins/mine/agents/x.yaml"))
        .stdout(predicate::str::contains("would add to agb.yaml  resources: agents mine:x"))
        .stderr(predicate::str::contains("nothing was written"));
    assert_eq!(snapshot(&p.source()), source);
    assert_eq!(snapshot(&p.project()), project);
    let json = json_stdout(
        &mut p.agb("claude-code", &["adopt", "--plugin", "mine", "--dry-run", "--json", "agents/x.md"]),
        0,
    );
    assert_eq!(json["mode"], "dry_run");
    assert_eq!(json["resources"][0]["id"], "mine:x");
    assert_eq!(json["resources"][0]["sidecar_keys"][0], "permissionMode");
    assert_eq!(json["selection_added"][0], "agents mine:x");
}

#[test]
fn unsupported_foreign_outside_and_already_built_paths_are_clear_errors() {
    let p = Project::new("claude-code");
    p.put("claude-code", "notes.md", "notes\n");
    write(&p.project().join(".gemini/agents/g.md"), "---\ndescription: G\n---\nG.\n");
    write(&p.project().join("elsewhere/commands/x.md"), "x\n");
    let cases: [(&str, &str); 4] = [
        ("notes.md", "agb::adopt::unsupported"),
        ("../.gemini/agents/g.md", "agb::adopt::wrong_target"),
        ("../elsewhere/commands/x.md", "agb::adopt::outside_root"),
        ("commands/missing.md", "agb::adopt::not_found"),
    ];
    for (path, message) in cases {
        p.agb("claude-code", &["adopt", "--plugin", "mine", path])
            .assert()
            .failure()
            .stderr(predicate::str::contains(message));
    }
    p.agb("claude-code", &["build"]).assert().success();
    p.agb("claude-code", &["adopt", "--plugin", "mine", "commands/known.md"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("agb::adopt::already_built"))
        .stderr(predicate::str::contains("command base:known"));
    assert!(!p.source().join("plugins/mine").exists());
}

#[test]
fn without_adopt_the_build_refuses_the_hand_written_file() {
    // What adopt is for: the same file, not adopted, stops the build (it is not agb's).
    let p = Project::new("claude-code");
    write(&p.source().join("plugins/mine/agents/x.md"), "---\ndescription: Other\n---\nOther.\n");
    let config = p.root("claude-code").join("agb.yaml");
    fs::write(&config, read(&config) + "  agents:\n    - mine:x\n").unwrap();
    p.put("claude-code", "agents/x.md", "---\nname: x\ndescription: X\n---\nX.\n");
    p.agb("claude-code", &["build"]).assert().code(1);
    assert!(Path::new(&p.root("claude-code").join("agents/x.md")).exists());
}

#[test]
fn a_config_agb_cannot_edit_safely_is_refused_before_anything_is_written() {
    let p = Project::new("claude-code");
    let config = p.root("claude-code").join("agb.yaml");
    fs::write(&config, "source: ../../source\ntarget: claude-code\nresources: {commands: [base:known]}\n")
        .unwrap();
    p.put("claude-code", "commands/new.md", "---\ndescription: New\n---\nNew.\n");
    let project = snapshot(&p.project());
    p.agb("claude-code", &["adopt", "--plugin", "mine", "commands/new.md"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("agb::adopt::config_not_editable"));
    assert_eq!(snapshot(&p.project()), project);
    assert!(!p.source().join("plugins/mine").exists());
}

#[test]
fn a_skill_file_that_is_a_link_is_not_followed() {
    let p = Project::new("claude-code");
    write(&p.dir.path().join("secret.md"), "---\ndescription: S\n---\nSecret.\n");
    fs::create_dir_all(p.root("claude-code").join("skills/sk")).unwrap();
    std::os::unix::fs::symlink(
        p.dir.path().join("secret.md"),
        p.root("claude-code").join("skills/sk/SKILL.md"),
    )
    .unwrap();
    p.agb("claude-code", &["adopt", "--plugin", "mine", "skills/sk"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("agb::adopt::no_skill_file"));
    assert!(!p.source().join("plugins/mine").exists());
}
