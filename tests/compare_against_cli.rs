//! Black-box tests of `agb factory compare`'s executable-bit check and of `--against BASE_DIR`
//! (two local directories, no factory).

mod support;

use support::compare::{append, env_with_factory, json, local_copy, TestEnv};

#[cfg(unix)]
#[test]
fn a_file_made_executable_is_a_difference_and_a_patch_even_with_the_same_content() {
    use std::os::unix::fs::PermissionsExt;
    let (env, _bare) = env_with_factory();
    let dir = local_copy(&env, "aws/networking/vpc", "1.2.0", "vpc");
    std::fs::set_permissions(dir.join("README.md"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = env.agb().args(["factory", "compare", "vpc", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let c = &json(&out)["comparison"];
    assert_eq!(c["status"], "different", "publishing would change the tree entry's mode");
    assert_eq!(
        c["differences"],
        serde_json::json!([
            {"file": "README.md", "type": "modified", "additions": 0, "deletions": 0, "executable": true}
        ])
    );
    assert_eq!(c["suggested_bump"], "patch");
    let rules: Vec<&str> =
        c["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"file_mode_changed"), "{rules:?}");
    let out = env.agb().args(["factory", "compare", "vpc"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("mode 100644 → 100755"), "{text}");
    assert!(text.contains("file `README.md` made executable"), "{text}");
}

#[test]
fn against_compares_two_local_directories_under_a_policy_file_without_a_factory() {
    // No agb.yaml, no factory: --against needs neither.
    let env = TestEnv::new();
    local_copy(&env, "aws/networking/vpc", "1.2.0", "old");
    let new = local_copy(&env, "aws/networking/vpc", "1.2.0", "new");
    append(&new, "variables.tf", "\nvariable \"enable_dns\" {\n  type    = bool\n  default = true\n}\n");
    std::fs::write(env.work().join("policy.yaml"), "variable_optional_added: patch\n").unwrap();

    let out = env.agb().args(["factory", "compare", "new", "--against", "old", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let c = &json(&out)["comparison"];
    assert_eq!(c["module"], "aws/networking/vpc");
    assert_eq!(c["factory_version"], "1.2.0", "the base directory's metadata version");
    assert_eq!(c["suggested_bump"], "minor");
    assert_eq!(c["suggested_version"], "1.3.0");

    let out = env
        .agb()
        .args(["factory", "compare", "new", "--against", "old", "--policy", "policy.yaml", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let c = &json(&out)["comparison"];
    assert_eq!(c["suggested_bump"], "patch");
    assert_eq!(c["suggested_version"], "1.2.1");
    assert_eq!(c["decided_by"]["source"], "policy.yaml:1");

    let out = env.agb().args(["factory", "compare", "new", "--against", "old"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("aws/networking/vpc: local 1.2.0 vs old 1.2.0\n"), "{text}");
}

#[test]
fn policy_needs_against_and_a_bad_policy_is_a_diagnostic() {
    let env = TestEnv::new();
    local_copy(&env, "aws/networking/vpc", "1.2.0", "old");
    local_copy(&env, "aws/networking/vpc", "1.2.0", "new");
    let out = env.agb().args(["factory", "compare", "new", "--policy", "p.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "a usage error");
    std::fs::write(env.work().join("p.yaml"), "no_such_class: major\n").unwrap();
    let out = env
        .agb()
        .args(["factory", "compare", "new", "--against", "old", "--policy", "p.yaml"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("p.yaml") && err.contains("no_such_class"), "{err}");
}
