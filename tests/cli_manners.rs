//! The manners of the command line, black-box: versions, help, `-q -v`, `agb explain`, and the
//! error cases a user meets, scanned for Rust internals.

mod support;

use predicates::prelude::*;
use predicates::str::contains as has;
use support::Sandbox;

#[test]
fn version_is_agbs_from_every_command_and_publish_takes_dash_v() {
    let sb = Sandbox::new();
    let version = format!("agb {}\n", env!("CARGO_PKG_VERSION"));
    for args in [&["--version"][..], &["build", "--version"], &["factory", "check", "-V"], &["publish", "-V"]]
    {
        sb.agb().args(args).assert().success().stdout(version.clone());
    }
}

#[test]
fn quiet_and_verbose_together_is_a_usage_error() {
    let sb = Sandbox::new();
    sb.agb().args(["-q", "-v", "list"]).assert().code(2).stderr(has("cannot be used with"));
    // -vv adds timings, on stderr (stdout keeps the result only)
    sb.agb()
        .args(["-vv", "explain", "edited_outputs"])
        .assert()
        .success()
        .stderr(has("finished in"))
        .stdout(has("finished in").not());
}

#[test]
fn help_has_global_options_examples_exit_codes_and_environment() {
    let sb = Sandbox::new();
    sb.agb()
        .arg("--help")
        .assert()
        .success()
        .stdout(has("Global options:"))
        .stdout(has("Exit status:"))
        .stdout(has("AGB_CACHE_DIR"))
        .stdout(has("NO_COLOR"));
    sb.agb()
        .args(["build", "--help"])
        .assert()
        .success()
        .stdout(has("Global options:"))
        .stdout(has("Examples:"));
    sb.agb().args(["completions", "--help"]).assert().success().stdout(has("Install"));
}

#[test]
fn man_pages_have_the_usual_sections_and_a_clean_name_line() {
    let sb = Sandbox::new();
    let out = sb.agb().arg("man").output().unwrap();
    let page = String::from_utf8(out.stdout).unwrap();
    for section in ["EXAMPLES", "EXIT STATUS", "ENVIRONMENT", "FILES"] {
        assert!(page.contains(&format!("\n.SH \"{section}\"\n")), "{section} in agb(1)");
    }
    assert!(!page.contains("agb \\- agb"), "NAME repeats the name");
    sb.agb().args(["man", "--out", "pages"]).assert().success();
    let explain = std::fs::read_to_string(sb.path().join("pages/agb-explain.1")).unwrap();
    assert!(explain.contains("ERROR CODES") && explain.contains("edited_outputs"));
}

#[test]
fn explain_prints_what_a_code_means_and_suggests_for_a_wrong_one() {
    let sb = Sandbox::new();
    sb.agb()
        .args(["explain", "agb::outputs::edited_outputs"])
        .assert()
        .success()
        .stdout(has("What to do:"))
        .stdout(has("agb sync"));
    // the name people remember (the module was `build` once) still finds it
    sb.agb()
        .args(["explain", "agb::build::edited_outputs"])
        .assert()
        .success()
        .stdout(has("agb::outputs::edited_outputs"));
    sb.agb().args(["explain", "agb::config::missin"]).assert().code(5).stderr(has("agb::config::missing"));
    sb.agb().arg("explain").assert().success().stdout(has("agb::config::unknown_key\n"));
}

/// Pieces of Rust that must never reach a user: OS error numbers, Debug-printed structs and
/// enums, crate paths of the libraries agb uses.
fn rust_internals(text: &str) -> Vec<String> {
    let mut found: Vec<String> =
        ["os error", "{ kind:", "Custom {", "Message {", "reqwest::", "hyper", "Some(", "Os {"]
            .iter()
            .filter(|needle| text.contains(*needle))
            .map(|needle| needle.to_string())
            .collect();
    // a CamelCase word followed by ` {` or `(`: a Debug-printed struct or enum
    for (i, _) in text.match_indices(['{', '(']) {
        let before = text[..i].trim_end();
        let word: String = before.chars().rev().take_while(|c| c.is_ascii_alphanumeric()).collect();
        let word: String = word.chars().rev().collect();
        if word.len() > 2
            && word.starts_with(|c: char| c.is_ascii_uppercase())
            && word.chars().skip(1).any(|c| c.is_ascii_lowercase())
        {
            found.push(text[before.len() - word.len()..(i + 1).min(text.len())].to_string());
        }
    }
    // an enum variant name where a sentence should be (`-v factory check` printed `Used`)
    for word in ["Used", "Fetched", "Cloned", "Recloned", "Stale"] {
        if text.contains(&format!(": {word},")) || text.contains(&format!(": {word}\n")) {
            found.push(word.to_string());
        }
    }
    found
}

#[test]
fn error_messages_carry_no_rust_internals_and_one_cause_gives_one_message() {
    let env = support::factory::TestEnv::new();
    let sb = &env.sandbox;
    let bare = support::factory::demo_factory(env.path());
    let project = sb.path().join("p/.claude");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::create_dir_all(sb.path().join("empty-source")).unwrap();
    std::fs::write(sb.path().join("blocker"), "a file").unwrap();
    let config = |text: &str| std::fs::write(project.join("agb.yaml"), text).unwrap();
    let selection = "resources:\n  commands: [a:b, a:c, d:e]\n  agents: [a:x, a:y]\n  skills: [a:s, d:t]\n";
    let mut cases: Vec<(&str, Vec<String>, Option<&str>)> = Vec::new();
    let mut run = |name: &'static str, setup: &dyn Fn(), args: Vec<String>, code: Option<&'static str>| {
        setup();
        let out = sb.agb_in(&project).args(&args).output().unwrap();
        assert!(!out.status.success(), "{name} succeeded");
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        let internals = rust_internals(&stderr);
        assert!(internals.is_empty(), "{name}: {internals:?} in\n{stderr}");
        if let Some(code) = code {
            assert!(stderr.contains(code), "{name}: no {code} in\n{stderr}");
            let headers =
                stderr.lines().filter(|l| l.trim_start_matches("Error: ").starts_with("agb::")).count();
            assert_eq!(headers, 1, "{name}: one cause, one message:\n{stderr}");
        }
        cases.push((name, args, code));
    };
    let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let bare_s = bare.display().to_string();
    run(
        "unknown key",
        &|| config("source: ../../empty-source\ntarget: claude-code\nsoruce: x\n"),
        args(&["build"]),
        Some("agb::config::unknown_key"),
    );
    run(
        "missing source",
        &|| config(&format!("source: ../../nope\ntarget: claude-code\n{selection}")),
        args(&["build"]),
        Some("agb::source::missing"),
    );
    run(
        "source without plugins",
        &|| config(&format!("source: ../../empty-source\ntarget: claude-code\n{selection}")),
        args(&["build"]),
        Some("agb::source::no_plugins"),
    );
    run(
        "no agb.yaml",
        &|| {
            let _ = std::fs::remove_file(project.join("agb.yaml"));
        },
        args(&["status"]),
        Some("agb::config::missing"),
    );
    let blocked = sb.path().join("blocker/x").display().to_string();
    run(
        "import below a file",
        &|| {},
        args(&["factory", "import", "aws/compute/ec2-instance@1.0.0", &blocked, "--factory", &bare_s]),
        Some("agb::fs::not_a_directory"),
    );
    run(
        "unreachable factory",
        &|| {},
        args(&["factory", "catalog", "--factory", "http://127.0.0.1:9/x.git"]),
        Some("agb::factory::network::unreachable"),
    );
    run("unknown code", &|| {}, args(&["explain", "agb::no::such"]), Some("agb::explain::not_found"));
    run(
        "bad new id",
        &|| {},
        args(&["new", "agent", "nocolon", "--source", "x"]),
        Some("agb::usage::new_id"),
    );
    assert_eq!(cases.len(), 8);

    // `-v` detail is words, not Debug names
    let out = sb
        .agb_in(&project)
        .args(["-v", "factory", "check", "aws/compute/ec2-instance", "--factory", &bare_s])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(rust_internals(&stderr).is_empty(), "{stderr}");
}

#[test]
fn every_json_document_has_the_schema_and_a_failure_prints_one_too() {
    let sb = Sandbox::new();
    sb.agb_in(sb.work()).args(["init", "--new-source", "../src"]).assert().success();
    let dir = sb.work().join(".claude");
    let build = support::json_stdout(sb.agb_in(&dir).args(["build", "--json"]), 0);
    assert_eq!(build["schema"], 1, "{build}");
    assert_eq!(build["up_to_date"], false, "a build that created files was not up to date: {build}");
    std::fs::write(dir.join("commands/hello.md"), "edited\n").unwrap();
    let status = support::json_stdout(sb.agb_in(&dir).args(["status", "--json"]), 3);
    assert_eq!(status["schema"], 1, "{status}");
    let sync = support::json_stdout(sb.agb_in(&dir).args(["sync", "--dry-run", "--json"]), 0);
    assert_eq!(sync["schema"], 1, "{sync}");
    // failures: a diagnostic on stderr, one JSON document on stdout
    let err =
        support::json_stdout(sb.agb_in(sb.work()).args(["--config", "none.yaml", "build", "--json"]), 1);
    assert_eq!(err["schema"], 1);
    assert_eq!(err["error"]["code"], "agb::config::missing", "{err}");
    assert!(err["error"]["help"].as_str().unwrap().contains("agb init"), "{err}");
    let usage = support::json_stdout(sb.agb().args(["build", "--json", "--no-such-flag"]), 2);
    assert_eq!(usage["error"]["code"], "agb::usage::arguments", "{usage}");
}

#[test]
fn a_large_first_build_prints_a_summary_and_the_list_with_verbose() {
    let sb = Sandbox::new();
    sb.agb_in(sb.work()).args(["init", "--new-source", "../src"]).assert().success();
    let skill = sb.path().join("src/plugins/starter/skills/release-notes/ref");
    for i in 0..80 {
        support::write(&skill.join(format!("n{i}.md")), "x\n");
    }
    let dir = sb.work().join(".claude");
    let out = sb.agb_in(&dir).arg("build").output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "a summary line only:\n{stdout}");
    assert!(stdout.contains("83 created"), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("-v lists them"));
    std::fs::remove_dir_all(dir.join("skills")).unwrap();
    std::fs::remove_file(dir.join(".agb/manifest.json")).unwrap();
    let out = sb.agb_in(&dir).args(["-v", "build", "--force"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.lines().filter(|l| l.starts_with("created  ")).count() >= 81, "{stdout}");
}

#[test]
fn verbose_says_what_the_build_skipped_and_why_and_vv_times_each_step_on_stderr() {
    let sb = Sandbox::new();
    sb.agb_in(sb.work()).args(["init", "--new-source", "../src"]).assert().success();
    let dir = sb.work().join(".claude");
    sb.agb_in(&dir).arg("build").assert().success();
    // Nothing changed: the no-change shortcut, said with -v.
    sb.agb_in(&dir)
        .args(["-v", "build"])
        .assert()
        .success()
        .stderr(has("the source was not read"))
        .stdout(has("the source was not read").not());
    // One source file changed, one output edited in the project: the others are skipped.
    let command = sb.path().join("src/plugins/starter/commands/hello.md");
    let text = std::fs::read_to_string(&command).unwrap();
    support::write(&command, &format!("{text}\nMore.\n"));
    let agent = dir.join("agents/reviewer.md");
    let text = std::fs::read_to_string(&agent).unwrap();
    support::write(&agent, &format!("{text}\nMine.\n"));
    let out = sb.agb_in(&dir).args(["-v", "build", "--dry-run"]).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(stderr.contains("skipped  skills/release-notes/SKILL.md: unchanged"), "{stderr}");
    assert!(
        stderr.contains("skipped  agents/reviewer.md: edited in the project since the last build"),
        "{stderr}"
    );
    assert!(!stderr.contains("skipped  commands/hello.md"), "{stderr}");
    assert!(!stdout.contains("skipped"), "{stdout}");
    assert!(stdout.contains("would update  commands/hello.md"), "{stdout}");
    // -vv: how long each step took, on stderr only.
    let out = sb.agb_in(&dir).args(["-vv", "build", "--force"]).output().unwrap();
    assert!(out.status.success());
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    for step in ["load", "plan", "write", "manifest"] {
        assert!(stderr.contains(&format!("agb: {step} took ")), "{step}: {stderr}");
    }
    assert!(!stdout.contains(" took "), "{stdout}");
    assert!(stderr.contains("skipped  skills/release-notes/SKILL.md: unchanged"), "{stderr}");
    // Without -v, none of it.
    support::write(&command, "---\ndescription: Hi\n---\nHi.\n");
    sb.agb_in(&dir).arg("build").assert().success().stderr(has("skipped").not().and(has(" took ").not()));
}

#[test]
fn verbose_names_the_source_files_exclude_left_out() {
    let sb = Sandbox::new();
    sb.agb_in(sb.work()).args(["init", "--new-source", "../src"]).assert().success();
    let dir = sb.work().join(".claude");
    // The agb.yaml `init` writes excludes `*.tmp`.
    assert!(std::fs::read_to_string(dir.join("agb.yaml")).unwrap().contains("- \"*.tmp\""));
    support::write(&sb.path().join("src/plugins/starter/skills/release-notes/draft.tmp"), "wip\n");
    let out = sb.agb_in(&dir).args(["-v", "build"]).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("skipped  SOURCE/plugins/starter/skills/release-notes/draft.tmp: excluded by agb.yaml's `exclude:`"),
        "{stderr}"
    );
    assert!(!stdout.contains("draft.tmp"), "{stdout}");
    assert!(!dir.join("skills/release-notes/draft.tmp").exists());
}

#[test]
fn a_dry_run_of_several_targets_shows_every_plan_before_the_edited_outputs_error() {
    let sb = Sandbox::new();
    sb.demo();
    let proj = sb.path().join("proj");
    std::fs::create_dir_all(proj.join(".git")).unwrap();
    support::write(
        &proj.join("agb.yaml"),
        "source: ../demo/source\ntargets: [claude-code, gemini-cli]\nresources:\n  commands: [research:web_search]\n",
    );
    sb.agb_in(&proj).arg("build").assert().success();
    // The first target's output is edited: its dry run fails, the second's plan is still shown.
    let edited = proj.join(".claude/commands/web_search.md");
    let text = std::fs::read_to_string(&edited).unwrap();
    support::write(&edited, &format!("{text}\nMine.\n"));
    sb.agb_in(&proj)
        .args(["build", "--dry-run"])
        .assert()
        .code(1)
        .stdout(has("claude-code (.claude)").and(has("edited (kept)  commands/web_search.md")))
        .stdout(has("gemini-cli (.gemini)"))
        .stderr(has("agb::outputs::edited_outputs"));
}

#[test]
fn long_paths_in_errors_are_never_broken() {
    let sb = Sandbox::new();
    let source =
        sb.path().join("a-rather-long-directory-name/with-more-levels-below-it/and-a-source-repository");
    let source_s = source.display().to_string();
    sb.agb().args(["new", "agent", "some-plugin:reviewer", "--source", &source_s]).assert().success();
    let out =
        sb.agb().args(["new", "agent", "some-plugin:reviewer", "--source", &source_s]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let path = source.join("plugins/some-plugin/agents/reviewer.md").display().to_string();
    assert!(stderr.contains(&path), "the path is whole on one line:\n{stderr}");
}

/// `--offline` answers from a cache; with no cache yet, offering it only sends the user round in
/// a circle. With a cache, the same failure of `agb factory fetch` does offer it.
#[test]
fn an_unreachable_factory_offers_offline_only_when_a_cache_exists() {
    let env = support::factory::TestEnv::new();
    let out =
        env.agb().args(["factory", "catalog", "--factory", "http://127.0.0.1:9/x.git"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("agb::factory::network::unreachable"), "{stderr}");
    assert!(!stderr.contains("--offline"), "no cache: --offline cannot help\n{stderr}");
    assert!(stderr.contains("no cache of this factory yet"), "{stderr}");

    // A cache made from a reachable server, which then goes away.
    let bare = support::factory::demo_factory(env.path());
    let server = support::factory::GitHttpServer::start(bare.parent().unwrap(), None);
    let url = server.url(bare.file_name().unwrap().to_str().unwrap());
    assert!(env.agb().args(["factory", "fetch", "--factory", &url]).output().unwrap().status.success());
    drop(server);
    let out = env.agb().args(["factory", "fetch", "--factory", &url]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("agb::factory::network::unreachable"), "{stderr}");
    assert!(stderr.contains("`--offline` answers from the cache"), "{stderr}");
}
