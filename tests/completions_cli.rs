//! Black-box tests of dynamic completion (`source <(COMPLETE=bash agb)`): the shell calls
//! `COMPLETE=bash _CLAP_COMPLETE_INDEX=<word> agb -- <the command line>` and offers what agb
//! prints, one candidate a line. The data comes from local state only (the factory cache).

mod support;

use support::factory::{demo_factory, TestEnv};

/// The candidates agb offers for word `index` of `line` (`line[0]` is `agb`).
fn complete(env: &TestEnv, line: &[&str], index: usize, factory: Option<&std::path::Path>) -> Vec<String> {
    let mut cmd = env.agb();
    cmd.env("COMPLETE", "bash").env("_CLAP_COMPLETE_INDEX", index.to_string()).arg("--").args(line);
    match factory {
        Some(f) => cmd.env("AGB_FACTORY", f),
        None => cmd.env_remove("AGB_FACTORY"),
    };
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).expect("utf-8").lines().map(str::to_string).collect()
}

#[test]
fn module_paths_and_versions_come_from_the_cached_factory() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    env.agb().args(["factory", "fetch", "--factory"]).arg(&bare).assert().success();

    for sub in ["check", "show", "import"] {
        let got = complete(&env, &["agb", "factory", sub, "aws/"], 3, Some(&bare));
        assert_eq!(got, ["aws/compute/ec2-instance", "aws/networking/vpc", "aws/storage/s3-bucket"], "{sub}");
    }
    let got = complete(&env, &["agb", "factory", "show", "aws/networking/vpc@"], 3, Some(&bare));
    assert_eq!(
        got,
        [
            "aws/networking/vpc@latest",
            "aws/networking/vpc@1.2.0",
            "aws/networking/vpc@1.1.0",
            "aws/networking/vpc@1.0.0"
        ]
    );
    // `--factory` on the line being completed is honoured like the environment variable.
    let bare_flag = format!("--factory={}", bare.display());
    let got = complete(&env, &["agb", "factory", "check", &bare_flag, "gcp"], 4, None);
    assert_eq!(got, ["gcp/networking/vpc"]);
}

#[test]
fn without_a_cache_completion_offers_nothing_and_touches_no_network() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    // Never fetched: the cache is empty, so there is nothing to offer, silently.
    let got = complete(&env, &["agb", "factory", "show", "aws/"], 3, Some(&bare));
    assert!(got.is_empty(), "{got:?}");
    assert!(env.cache_repos().is_empty(), "completion cloned the factory");
}

#[test]
fn explain_completes_error_codes() {
    let env = TestEnv::new();
    let got = complete(&env, &["agb", "explain", "agb::outputs::"], 2, None);
    assert!(got.iter().any(|c| c == "agb::outputs::edited_outputs"), "{got:?}");
    assert!(got.iter().all(|c| c.starts_with("agb::outputs::")), "{got:?}");
    // The last part alone (what `explain` also accepts) completes without a `:` in the word.
    let got = complete(&env, &["agb", "explain", "edited_out"], 2, None);
    assert_eq!(got, ["edited_outputs"]);
}

#[test]
fn new_and_adopt_complete_the_plugins_of_the_projects_source() {
    let env = TestEnv::new();
    let demo = env.sandbox.demo();
    let project = demo.join("project");
    let run = |line: &[&str], index: usize| {
        let mut cmd = env.sandbox.agb_in(&project);
        cmd.env("COMPLETE", "bash").env("_CLAP_COMPLETE_INDEX", index.to_string()).arg("--").args(line);
        let out = cmd.assert().success().get_output().stdout.clone();
        String::from_utf8(out).expect("utf-8").lines().map(str::to_string).collect::<Vec<_>>()
    };
    // From the project root: the agb.yaml files of its agent directories, found as `build` finds them.
    assert_eq!(run(&["agb", "new", "command", "re"], 3), ["research:"]);
    let all: Vec<String> =
        run(&["agb", "new", "skill", ""], 3).into_iter().filter(|c| !c.starts_with('-')).collect();
    assert_eq!(all, ["documentation:", "iac-factory:", "research:"]);
    assert_eq!(run(&["agb", "-C", ".codex", "adopt", "x.md", "--plugin", "doc"], 6), ["documentation"]);
    // `list PATTERN`: resource ids, and bare names while the word has no `:`.
    assert_eq!(run(&["agb", "list", "research:w"], 2), ["research:web-research", "research:web_search"]);
    assert_eq!(run(&["agb", "-C", ".gemini", "list", "web_s"], 4), ["web_search"]);
}

#[test]
fn completions_help_says_how_to_install_both_ways() {
    let env = TestEnv::new();
    let out = env.agb().args(["completions", "--help"]).assert().success().get_output().stdout.clone();
    let help = String::from_utf8(out).expect("utf-8");
    assert!(help.contains("agb completions bash >"), "{help}");
    assert!(help.contains("source <(COMPLETE=bash agb)"), "{help}");
    assert!(help.contains("COMPLETE=fish agb | source"), "{help}");
}
