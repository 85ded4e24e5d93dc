//! Black-box tests of factory lookups as people type them: `@latest`, a bare module name, a
//! catalog pattern that matches nothing, and `validate` on references it cannot attribute.

mod support;

use predicates::prelude::*;
use support::factory::{demo_factory, TestEnv};
use support::json_stdout;

#[test]
fn at_latest_means_the_latest_version_for_check_show_and_import() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    let v = json_stdout(
        env.agb().args(["factory", "check", "aws/networking/vpc@latest", "--json", "--factory"]).arg(&bare),
        0,
    );
    assert_eq!(v["exists"], true);
    assert_eq!(v["version"], "1.2.0");
    env.agb()
        .args(["factory", "show", "aws/networking/vpc@latest", "--factory"])
        .arg(&bare)
        .assert()
        .success()
        .stdout(predicate::str::contains("# aws/networking/vpc@1.2.0"));
    let dest = env.work().join("vpc");
    env.agb()
        .args(["factory", "import", "aws/networking/vpc@latest"])
        .arg(&dest)
        .arg("--factory")
        .arg(&bare)
        .assert()
        .success()
        .stdout(predicate::str::contains("imported aws/networking/vpc@1.2.0"));
}

#[test]
fn a_bare_name_is_answered_with_the_module_it_may_mean_never_resolved() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    for cmd in ["check", "show"] {
        env.agb()
            .args(["factory", cmd, "ec2-instance", "--factory"])
            .arg(&bare)
            .assert()
            .code(5)
            .stdout(predicate::str::contains("did you mean: aws/compute/ec2-instance\n"))
            .stdout(predicate::str::contains("MODULE_METADATA").not());
    }
    let dest = env.work().join("ec2");
    env.agb()
        .args(["factory", "import", "ec2-instance@1.0.0"])
        .arg(&dest)
        .arg("--factory")
        .arg(&bare)
        .assert()
        .code(5)
        .stdout(predicate::str::contains("did you mean: aws/compute/ec2-instance@1.0.0"));
    assert!(!dest.exists(), "nothing is imported for a bare name");
}

#[test]
fn a_bare_name_of_several_modules_lists_them_all() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    env.agb()
        .args(["factory", "show", "vpc", "--factory"])
        .arg(&bare)
        .assert()
        .code(5)
        .stdout(predicate::str::contains("did you mean: aws/networking/vpc, gcp/networking/vpc"));
    let v = json_stdout(
        env.agb().args(["factory", "check", "networking/vpc", "--json", "--factory"]).arg(&bare),
        5,
    );
    assert_eq!(v["schema"], 1);
    assert_eq!(v["exists"], false);
    assert_eq!(v["suggestions"], serde_json::json!(["aws/networking/vpc", "gcp/networking/vpc"]));
}

#[test]
fn compare_answers_a_bare_name_like_show_and_check_do() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    let local = env.work().join("vpc");
    std::fs::create_dir_all(&local).unwrap();
    std::fs::write(local.join("main.tf"), "variable \"cidr\" {}\n").unwrap();
    env.agb()
        .args(["factory", "compare"])
        .arg(&local)
        .args(["vpc", "--factory"])
        .arg(&bare)
        .assert()
        .code(5)
        .stdout(predicate::str::contains("did you mean: aws/networking/vpc, gcp/networking/vpc"))
        .stdout(predicate::str::contains("suggested bump").not());
    let mut cmd = env.agb();
    cmd.args(["factory", "compare"])
        .arg(&local)
        .args(["ec2-instance@1.0.0", "--json", "--factory"])
        .arg(&bare);
    let v = json_stdout(&mut cmd, 5);
    assert_eq!(v["exists"], false);
    assert_eq!(v["suggestions"], serde_json::json!(["aws/compute/ec2-instance@1.0.0"]));
}

#[test]
fn a_catalog_pattern_that_matches_nothing_suggests_and_exits_5() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    env.agb()
        .args(["factory", "catalog", "vcp", "--factory"])
        .arg(&bare)
        .assert()
        .code(5)
        .stdout(predicate::str::contains("did you mean: aws/networking/vpc, gcp/networking/vpc"));
    let v = json_stdout(env.agb().args(["factory", "catalog", "vcp", "--json", "--factory"]).arg(&bare), 5);
    assert_eq!(v["schema"], 1);
    assert_eq!(v["modules"], serde_json::json!({}));
    assert_eq!(v["suggestions"], serde_json::json!(["aws/networking/vpc", "gcp/networking/vpc"]));
    // a pattern that matches still exits 0, with no suggestions
    let v = json_stdout(env.agb().args(["factory", "catalog", "vpc", "--json", "--factory"]).arg(&bare), 0);
    assert_eq!(v["suggestions"], serde_json::json!([]));
}

#[test]
fn validate_warns_that_it_checked_nothing_for_references_it_cannot_attribute() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    let stack = env.work().join("stack");
    std::fs::create_dir_all(&stack).unwrap();
    // The factory is configured by its local path (no `repository:`); the Terraform uses the
    // published GitHub URL, with a module that does not even exist.
    std::fs::write(
        stack.join("main.tf"),
        "module \"net\" {\n  source = \"git::https://github.com/acme/factory.git//modules/aws/networking/vpcs?ref=v1.2.0\"\n}\n\
         module \"other\" {\n  source = \"git::https://github.com/acme/tools.git//scripts/x\"\n}\n",
    )
    .unwrap();
    let mut cmd = env.agb();
    cmd.current_dir(env.work()).args(["factory", "validate", "stack", "--factory"]).arg(&bare);
    cmd.assert()
        .success()
        .stderr(predicate::str::contains("agb checked nothing for it"))
        .stderr(predicate::str::contains("set `repository: owner/name`"))
        .stderr(predicate::str::contains("stack/main.tf:2"))
        .stderr(predicate::str::contains("acme/tools").not());
    let mut cmd = env.agb();
    cmd.current_dir(env.work()).args(["factory", "validate", "stack", "--json", "--factory"]).arg(&bare);
    let v = json_stdout(&mut cmd, 0);
    assert_eq!(v["references"], serde_json::json!([]));
    let unattributed = v["unattributed"].as_array().unwrap();
    assert_eq!(unattributed.len(), 1, "{unattributed:?}");
    assert_eq!(unattributed[0]["line"], 2);
    // With `repository:` set, the same reference is the factory's and is checked (exit 5).
    env.write_agb_yaml(&format!("factory:\n  url: {}\n  repository: acme/factory\n", bare.display()));
    let mut cmd = env.agb();
    cmd.current_dir(env.work()).args(["factory", "validate", "stack"]);
    cmd.assert().code(5).stderr(predicate::str::contains("checked nothing").not());
}
