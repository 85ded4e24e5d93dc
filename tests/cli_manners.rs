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
    for args in [&["--version"][..], &["build", "--version"], &["factory", "check", "-V"], &["publish", "-V"]] {
        sb.agb().args(args).assert().success().stdout(version.clone());
    }
}

#[test]
fn quiet_and_verbose_together_is_a_usage_error() {
    let sb = Sandbox::new();
    sb.agb().args(["-q", "-v", "list"]).assert().code(2).stderr(has("cannot be used with"));
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
    sb.agb().args(["build", "--help"]).assert().success().stdout(has("Global options:")).stdout(has("Examples:"));
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
    sb.agb().args(["explain", "agb::build::edited_outputs"]).assert().success().stdout(has("agb::outputs::edited_outputs"));
    sb.agb().args(["explain", "agb::config::missin"]).assert().code(5).stderr(has("agb::config::missing"));
    sb.agb().arg("explain").assert().success().stdout(has("agb::config::unknown_key\n"));
}
