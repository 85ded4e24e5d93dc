//! Black-box tests of `agb factory compare` against a real bare factory repository.

mod support;

use predicates::prelude::*;
use support::compare::{append, edit, env_with_factory, json, local_copy, to_crlf};

#[test]
fn an_untouched_copy_is_the_same_and_needs_no_bump() {
    let (env, _bare) = env_with_factory();
    local_copy(&env, "aws/networking/vpc", "1.2.0", "vpc");
    let out = env.agb().args(["factory", "compare", "vpc", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let c = &json(&out)["comparison"];
    assert_eq!(c["status"], "same");
    assert_eq!(c["local_version"], "1.2.0");
    assert_eq!(c["factory_version"], "1.2.0");
    assert_eq!(c["suggested_bump"], "none");
    assert_eq!(c["suggested_version"], serde_json::Value::Null);
    assert_eq!(c["differences"], serde_json::json!([]));
}

#[test]
fn crlf_line_endings_do_not_make_files_modified() {
    let (env, _bare) = env_with_factory();
    let dir = local_copy(&env, "aws/networking/vpc", "1.2.0", "vpc");
    to_crlf(&dir);
    let out = env.agb().args(["factory", "compare", "vpc", "--json"]).output().unwrap();
    assert_eq!(json(&out)["comparison"]["status"], "same");
}

#[test]
fn new_optional_variable_and_output_suggest_a_minor_bump_with_reasons_and_counts() {
    let (env, _bare) = env_with_factory();
    let dir = local_copy(&env, "aws/networking/vpc", "1.2.0", "vpc");
    append(
        &dir,
        "variables.tf",
        "\nvariable \"enable_dns\" {\n  description = \"DNS support\"\n  type        = bool\n  default     = true\n}\n",
    );
    append(&dir, "outputs.tf", "\noutput \"cidr\" {\n  value = aws_vpc.this.cidr_block\n}\n");
    std::fs::write(dir.join("examples.md"), "one\ntwo\n").unwrap();
    let out = env.agb().args(["factory", "compare", "vpc", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let c = &json(&out)["comparison"];
    assert_eq!(c["status"], "different");
    assert_eq!(c["suggested_bump"], "minor");
    assert_eq!(c["suggested_version"], "1.3.0");
    assert_eq!(
        c["reasons"],
        serde_json::json!(["variable `enable_dns` added (optional)", "output `cidr` added"])
    );
    assert_eq!(
        c["differences"],
        serde_json::json!([
            {"file": "examples.md", "type": "added", "additions": 2, "deletions": 0},
            {"file": "outputs.tf", "type": "modified", "additions": 4, "deletions": 0},
            {"file": "variables.tf", "type": "modified", "additions": 6, "deletions": 0},
        ])
    );
}

#[test]
fn a_removed_output_and_deleted_file_are_major() {
    let (env, _bare) = env_with_factory();
    let dir = local_copy(&env, "aws/networking/vpc", "1.2.0", "vpc");
    edit(
        &dir,
        "outputs.tf",
        "output \"nat_gateway_ids\" {\n  description = \"NAT gateway ids\"\n  value       = aws_nat_gateway.this[*].id\n}\n",
        "",
    );
    std::fs::remove_file(dir.join("CHANGELOG.md")).unwrap();
    let out = env.agb().args(["factory", "compare", "vpc", "--json"]).output().unwrap();
    let c = &json(&out)["comparison"];
    assert_eq!(c["suggested_bump"], "major");
    assert_eq!(c["suggested_version"], "2.0.0");
    assert_eq!(c["reasons"][0], "output `nat_gateway_ids` removed");
    let deleted: Vec<&str> = c["differences"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["type"] == "deleted")
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(deleted, ["CHANGELOG.md"]);
}

#[test]
fn comparing_with_an_older_version_suggests_a_version_above_the_latest() {
    let (env, _bare) = env_with_factory();
    local_copy(&env, "aws/networking/vpc", "1.2.0", "vpc");
    let out =
        env.agb().args(["factory", "compare", "vpc", "aws/networking/vpc@1.0.0", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let c = &json(&out)["comparison"];
    assert_eq!(c["status"], "different");
    assert_eq!(c["factory_version"], "1.0.0");
    assert_eq!(c["latest_version"], "1.2.0");
    let suggested = semver::Version::parse(c["suggested_version"].as_str().unwrap()).unwrap();
    assert!(suggested > semver::Version::new(1, 2, 0), "{suggested}");
}

#[test]
fn a_module_the_factory_lacks_is_new_with_every_file_added() {
    let (env, _bare) = env_with_factory();
    let dir = local_copy(&env, "aws/networking/vpc", "1.2.0", "dns");
    edit(&dir, "MODULE_METADATA.yaml", "name: vpc", "name: dns-zone");
    let out = env.agb().args(["factory", "compare", "dns", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let c = &json(&out)["comparison"];
    assert_eq!(c["status"], "new");
    assert_eq!(c["module"], "aws/networking/dns-zone");
    assert!(c["differences"].as_array().unwrap().iter().all(|d| d["type"] == "added"));
}

#[test]
fn human_output_lists_files_bump_and_unified_diffs() {
    let (env, _bare) = env_with_factory();
    let dir = local_copy(&env, "aws/networking/vpc", "1.2.0", "vpc");
    edit(&dir, "variables.tf", "default     = \"10.0.0.0/16\"", "default     = \"10.1.0.0/16\"");
    env.agb()
        .args(["factory", "compare", "vpc", "--diff"])
        .assert()
        .success()
        .stdout(predicate::str::contains("aws/networking/vpc: local 1.2.0 vs factory 1.2.0 (latest)"))
        .stdout(predicate::str::contains("M variables.tf  +1 -1"))
        .stdout(predicate::str::contains("suggested bump: patch -> 1.2.1"))
        .stdout(predicate::str::contains("--- a/variables.tf"))
        .stdout(predicate::str::contains("+  default     = \"10.1.0.0/16\""));
}

#[test]
fn a_version_that_does_not_exist_is_exit_5_with_the_closest() {
    let (env, _bare) = env_with_factory();
    local_copy(&env, "aws/networking/vpc", "1.2.0", "vpc");
    env.agb()
        .args(["factory", "compare", "vpc", "aws/networking/vpc@1.5.0"])
        .assert()
        .code(5)
        .stderr(predicate::str::contains("aws/networking/vpc@1.2.0"));
}

#[test]
fn invalid_hcl_is_an_error_naming_file_and_line() {
    let (env, _bare) = env_with_factory();
    let dir = local_copy(&env, "aws/networking/vpc", "1.2.0", "vpc");
    append(&dir, "main.tf", "\nresource \"aws_eip\" {\n  vpc = \n");
    env.agb()
        .args(["factory", "compare", "vpc"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("vpc/main.tf:"))
        .stderr(predicate::str::contains("not valid HCL"));
}

#[test]
fn without_metadata_the_module_must_be_named() {
    let (env, _bare) = env_with_factory();
    let dir = local_copy(&env, "aws/networking/vpc", "1.2.0", "vpc");
    std::fs::remove_file(dir.join("MODULE_METADATA.yaml")).unwrap();
    env.agb()
        .args(["factory", "compare", "vpc"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("MODULE_METADATA.yaml"));
    let out = env.agb().args(["factory", "compare", "vpc", "aws/networking/vpc", "--json"]).output().unwrap();
    let c = &json(&out)["comparison"];
    assert_eq!(c["status"], "different");
    assert_eq!(
        c["differences"],
        serde_json::json!([{"file": "MODULE_METADATA.yaml", "type": "deleted", "additions": 0, "deletions": 38}])
    );
}

#[test]
fn a_missing_local_directory_is_an_error_before_any_fetch() {
    let (env, _bare) = env_with_factory();
    env.agb()
        .args(["factory", "compare", "nowhere"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nowhere: not a directory"));
    assert!(env.cache_repos().is_empty(), "no clone for a command that cannot run");
}

#[test]
fn files_publish_would_leave_out_are_not_differences() {
    let (env, _bare) = env_with_factory();
    let dir = local_copy(&env, "aws/networking/vpc", "1.2.0", "vpc");
    std::fs::create_dir_all(dir.join(".terraform/providers")).unwrap();
    std::fs::write(dir.join(".terraform/providers/x"), "binary").unwrap();
    std::fs::write(dir.join("terraform.tfstate"), "{}").unwrap();
    std::fs::write(dir.join("prod.tfvars"), "name = \"prod\"\n").unwrap();
    std::fs::create_dir_all(dir.join("scratch")).unwrap();
    std::fs::write(dir.join("scratch/notes.md"), "todo\n").unwrap();
    std::fs::write(dir.join(".gitignore"), "scratch/\n").unwrap();
    let out = env.agb().args(["factory", "compare", "vpc", "--json"]).output().unwrap();
    let c = &json(&out)["comparison"];
    assert_eq!(
        c["differences"],
        serde_json::json!([{"file": ".gitignore", "type": "added", "additions": 1, "deletions": 0}])
    );
    assert_eq!(c["suggested_bump"], "patch");
}

#[test]
fn a_broken_module_metadata_says_what_is_wrong_with_it() {
    let (env, _bare) = env_with_factory();
    let dir = local_copy(&env, "aws/networking/vpc", "1.2.0", "vpc");
    std::fs::write(dir.join("MODULE_METADATA.yaml"), "module:\n  name: vpc\n").unwrap();
    env.agb()
        .args(["factory", "compare", "vpc"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("lacks provider, category or name"));
    // a module path from the file that is not valid is the file's fault (exit 1), not a usage error
    std::fs::write(
        dir.join("MODULE_METADATA.yaml"),
        "module:\n  provider: AWS\n  category: networking\n  name: vpc\n  version: 1.2.0\n",
    )
    .unwrap();
    env.agb()
        .args(["factory", "compare", "vpc"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("MODULE_METADATA.yaml"))
        .stderr(predicate::str::contains("AWS/networking/vpc"));
}

#[test]
fn a_misspelt_module_is_new_with_a_did_you_mean_and_with_a_version_it_is_not_found() {
    let (env, _bare) = env_with_factory();
    local_copy(&env, "aws/networking/vpc", "1.2.0", "vpc");
    let out =
        env.agb().args(["factory", "compare", "vpc", "aws/networking/vpcc", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let c = &json(&out)["comparison"];
    assert_eq!(c["status"], "new");
    assert_eq!(c["suggestions"][0], "aws/networking/vpc");
    env.agb()
        .args(["factory", "compare", "vpc", "aws/networking/vpcc"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("did you mean aws/networking/vpc?"));
    // a version of a module that does not exist is a miss, not a new module
    env.agb()
        .args(["factory", "compare", "vpc", "aws/networking/vpcc@1.2.0"])
        .assert()
        .code(5)
        .stderr(predicate::str::contains("did you mean `aws/networking/vpc`?"));
}

/// Issue 13: `--explain` shows each rule that fired at `file:line` in the `.tf` source, and
/// `--json` adds `findings` beside the unchanged `reasons`.
#[test]
fn explain_shows_each_rule_at_its_place_and_json_adds_findings() {
    let (env, _bare) = env_with_factory();
    let dir = local_copy(&env, "aws/networking/vpc", "1.2.0", "vpc");
    append(&dir, "variables.tf", "\nvariable \"settings\" {\n  type    = any\n  default = {}\n}\n");
    let out = env.agb().args(["factory", "compare", "vpc", "--explain"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("decided by policy entry `variable_optional_added: minor` (default)"),
        "{stdout}"
    );
    assert!(stdout.contains("rules that fired (1):"), "{stdout}");
    assert!(
        stdout.contains("minor (variable_optional_added): variable `settings` added (optional)"),
        "{stdout}"
    );
    let lines = std::fs::read_to_string(dir.join("variables.tf")).unwrap();
    let line = lines.lines().position(|l| l.starts_with("variable \"settings\"")).unwrap() + 1;
    assert!(stdout.contains(&format!("[variables.tf:{line}:1]")), "{stdout}");
    assert!(stdout.contains("here (local)"), "{stdout}");
    assert!(stdout.contains("variable \"settings\" {"), "the source is shown: {stdout}");

    let out = env.agb().args(["factory", "compare", "vpc", "--json"]).output().unwrap();
    let c = &json(&out)["comparison"];
    assert_eq!(c["reasons"], serde_json::json!(["variable `settings` added (optional)"]));
    assert_eq!(
        c["findings"],
        serde_json::json!([{
            "rule": "variable_optional_added", "level": "minor", "file": "variables.tf", "line": line,
            "message": "variable `settings` added (optional)",
        }])
    );
    assert_eq!(
        c["decided_by"],
        serde_json::json!({"rule": "variable_optional_added", "level": "minor", "source": "default"})
    );
}

/// Issue 13: the factory's `.agb/bump-policy.yaml` sets the level of a class, and the answer
/// names the entry that decided.
#[test]
fn the_factory_bump_policy_decides_and_is_named() {
    let (env, bare) = env_with_factory();
    support::factory::push_change(&bare, "bump policy", |w| {
        std::fs::create_dir_all(w.join(".agb")).unwrap();
        std::fs::write(w.join(".agb/bump-policy.yaml"), "# ours\nvariable_optional_added: major\n").unwrap();
    });
    let dir = local_copy(&env, "aws/networking/vpc", "1.2.0", "vpc");
    append(&dir, "variables.tf", "\nvariable \"extra\" {\n  default = 1\n}\n");
    let out = env.agb().args(["factory", "compare", "vpc", "--json", "--refresh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let c = &json(&out)["comparison"];
    assert_eq!(c["suggested_bump"], "major");
    assert_eq!(c["suggested_version"], "2.0.0");
    assert_eq!(c["decided_by"]["source"], ".agb/bump-policy.yaml:2");
    let out = env.agb().args(["factory", "compare", "vpc"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("decided by policy entry `variable_optional_added: major` (.agb/bump-policy.yaml:2)"),
        "{stdout}"
    );
}

#[test]
fn a_bad_bump_policy_is_an_error_at_its_line() {
    let (env, bare) = env_with_factory();
    support::factory::push_change(&bare, "bad policy", |w| {
        std::fs::create_dir_all(w.join(".agb")).unwrap();
        std::fs::write(w.join(".agb/bump-policy.yaml"), "output_added: minor\nouput_removed: patch\n")
            .unwrap();
    });
    local_copy(&env, "aws/networking/vpc", "1.2.0", "vpc");
    let out = env.agb().args(["factory", "compare", "vpc", "--refresh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(".agb/bump-policy.yaml:2: unknown change class `ouput_removed`"), "{stderr}");
    assert!(stderr.contains("the classes are:"), "{stderr}");
}
