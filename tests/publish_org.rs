//! `agb publish` as a team uses it: flags defaulting from MODULE_METADATA.yaml and
//! `--version auto`, the pull request opened with `gh` (a fake one on PATH that records its
//! arguments) or GitLab push options (checked by a real receive-pack on loopback), `--update` of
//! an existing publish branch. Every remote is a `file://` bare repository or a smart-HTTP server
//! on 127.0.0.1.

mod support;

use std::path::{Path, PathBuf};

use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

use support::factory::{demo_factory, TestEnv};
use support::publish::*;

const MODULE: &str = "aws/networking/nat-gateway";
const BRANCH: &str = "feat/module-aws-networking-nat-gateway-v1.0.0";

struct Setup {
    env: TestEnv,
    remote: PathBuf,
    module: PathBuf,
}

fn setup() -> Setup {
    let env = TestEnv::new();
    let remote = demo_factory(&env.path().join("remotes"));
    let module = local_module(&env.path().join("src"), "nat-gateway");
    Setup { env, remote, module }
}

fn file_url(p: &Path) -> String {
    format!("file://{}", p.display())
}

/// Set `module.version` of the local module's MODULE_METADATA.yaml.
fn set_local_version(module: &Path, version: &str) {
    let p = module.join("MODULE_METADATA.yaml");
    let text = std::fs::read_to_string(&p).unwrap().replace("version: 0.0.0", &format!("version: {version}"));
    std::fs::write(p, text).unwrap();
}

#[test]
fn module_and_version_default_from_the_local_metadata() {
    let s = setup();
    set_local_version(&s.module, "1.0.0");
    s.env.agb().arg("publish").arg(&s.module).args(["--factory", &file_url(&s.remote)]).assert().success();
    assert!(refs(&s.remote).contains(&format!("refs/heads/{BRANCH}")), "{}", refs(&s.remote));
}

#[test]
fn without_module_or_version_anywhere_it_is_a_usage_error() {
    let s = setup();
    std::fs::remove_file(s.module.join("MODULE_METADATA.yaml")).unwrap();
    let before = refs(&s.remote);
    s.env
        .agb()
        .arg("publish")
        .arg(&s.module)
        .args(["--version", "1.0.0", "--factory", &file_url(&s.remote)])
        .assert()
        .code(2)
        .stderr(contains("no --module given"));
    assert_eq!(refs(&s.remote), before);
}

#[test]
fn version_auto_takes_the_suggested_version_and_says_so() {
    let s = setup();
    // the local module replaces vpc 1.2.0's variables and outputs: a major change
    s.env
        .agb()
        .arg("publish")
        .arg(&s.module)
        .args(["--module", "aws/networking/vpc", "--version", "auto", "--factory", &file_url(&s.remote)])
        .assert()
        .success()
        .stderr(contains("--version auto: v2.0.0, compare's suggested version (a major bump over v1.2.0)"));
    assert!(refs(&s.remote).contains("refs/heads/feat/module-aws-networking-vpc-v2.0.0"));
}

#[test]
fn a_metadata_version_not_above_the_latest_is_still_refused() {
    let s = setup();
    set_local_version(&s.module, "1.2.0");
    let before = refs(&s.remote);
    s.env
        .agb()
        .arg("publish")
        .arg(&s.module)
        .args(["--module", "aws/networking/vpc", "--factory", &file_url(&s.remote)])
        .assert()
        .code(1)
        .stderr(contains("already exists").or(contains("not greater")));
    assert_eq!(refs(&s.remote), before);
}
