//! How `agb factory …` reads `factory:` from agb.yaml (QA findings): a byte-order mark, a
//! misspelt `factory:` and unknown keys under it, while an unrelated error elsewhere in agb.yaml
//! still does not stop factory commands.

mod support;

use support::factory::{demo_factory, TestEnv};

/// Run `agb factory check aws/networking/vpc` with `agb.yaml` = `yaml` (`{url}` replaced by the
/// demo factory's path); returns (exit code, stdout, stderr).
fn check_with(yaml: &str) -> (i32, String, String) {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    env.write_agb_yaml(&yaml.replace("{url}", &bare.display().to_string()));
    let out = env.agb().args(["factory", "check", "aws/networking/vpc"]).output().expect("agb runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_byte_order_mark_is_not_a_second_document() {
    let (code, out, err) = check_with("\u{feff}source: ~/src\nfactory:\n  url: {url}\n");
    assert_eq!(code, 0, "stdout:\n{out}\nstderr:\n{err}");
    assert!(out.contains("aws/networking/vpc"), "{out}");
}

#[test]
fn an_unrelated_error_elsewhere_does_not_stop_factory_commands() {
    let (code, out, err) =
        check_with("source: ~/src\ntarget: claude-code\nresources:\n  commands: [not a resource]\nfactory:\n  url: {url}\n");
    assert_eq!(code, 0, "stdout:\n{out}\nstderr:\n{err}");
}

#[test]
fn a_misspelt_factory_key_is_reported_not_ignored() {
    let (code, _, err) = check_with("source: ~/src\nfactroy:\n  url: {url}\n");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("agb.yaml:2: unknown key `factroy`"), "{err}");
    assert!(err.contains("did you mean `factory`"), "{err}");
    assert!(!err.contains("no factory configured"), "{err}");
}

#[test]
fn unknown_keys_under_factory_have_a_line_and_a_suggestion() {
    let (code, _, err) = check_with("# project\nfactory:\n  url: {url}\n  cache_tll: 5\n");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("agb.yaml:4: unknown key `cache_tll`"), "{err}");
    assert!(err.contains("did you mean `cache_ttl`"), "{err}");
    // the span points at the key in the file
    assert!(err.contains("cache_tll: 5"), "{err}");
}

#[test]
fn unknown_keys_in_a_flow_mapping_point_at_factory() {
    let (code, _, err) = check_with("source: ~/src\nfactory: {url: \"{url}\", brnch: main}\n");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("agb.yaml:2: unknown key `brnch`"), "{err}");
    assert!(err.contains("did you mean `branch`"), "{err}");
}
