//! Black-box tests of `agb factory …` against real bare repositories built from
//! `fixtures/factory/`, read through a plain path and a `file://` URL.

mod support;

use predicates::prelude::*;
use serde_json::Value;
use support::factory::{demo_factory, TestEnv};
use support::json_stdout;

#[test]
fn check_finds_latest_through_a_plain_path() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    let v = json_stdout(
        env.agb().args(["factory", "check", "aws/networking/vpc", "--json", "--factory"]).arg(&bare),
        0,
    );
    assert_eq!(v["schema"], 1);
    assert_eq!(v["module"], "aws/networking/vpc");
    assert_eq!(v["exists"], true);
    assert_eq!(v["version"], "1.2.0");
    assert_eq!(v["latest"], "1.2.0");
    assert_eq!(v["versions"], serde_json::json!(["1.0.0", "1.1.0", "1.2.0"]));
    assert_eq!(v["metadata_path"], "modules/aws/networking/vpc/v1.2.0/MODULE_METADATA.yaml");
    let head = support::factory::git(&bare, &["rev-parse", "main"]);
    assert_eq!(v["commit"], head.trim());
    assert_eq!(v["suggestions"], serde_json::json!([]));
    assert!(v.get("url").is_some(), "url is always present (null for a local factory)");
    // the cache is where §2.3 says, and is bare
    let repos = env.cache_repos();
    assert_eq!(repos.len(), 1, "{repos:?}");
    assert!(repos[0].starts_with(env.cache_dir().join("agb/factory/local")));
    assert!(repos[0].join("HEAD").is_file() && !repos[0].join(".git").exists());
}

#[test]
fn check_through_file_url_and_env_var_and_agb_yaml() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    let url = format!("file://{}", bare.display());
    env.agb()
        .args(["factory", "check", "aws/storage/s3-bucket@0.2.0", "--factory", &url])
        .assert()
        .success()
        .stdout(predicate::str::contains("aws/storage/s3-bucket@0.2.0 exists (latest is 1.0.0)"));
    env.agb()
        .env("AGB_FACTORY", &url)
        .args(["factory", "check", "aws/compute/ec2-instance@v1.0.0"])
        .assert()
        .success();
    env.write_agb_yaml(&format!(
        "factory:\n  url: {url}\n  repository: org/cloud_iac_factory\n  branch: main\n  cache_ttl: 300\n"
    ));
    let v = json_stdout(env.agb().args(["factory", "check", "gcp/networking/vpc", "--json"]), 0);
    assert_eq!(
        v["url"],
        "https://github.com/org/cloud_iac_factory/tree/main/modules/gcp/networking/vpc/v1.0.0"
    );
}

#[test]
fn missing_module_names_the_closest_and_exits_5() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    let v = json_stdout(
        env.agb().args(["factory", "check", "aws/networking/vcp", "--json", "--factory"]).arg(&bare),
        5,
    );
    assert_eq!(v["exists"], false);
    assert_eq!(v["suggestions"][0], "aws/networking/vpc");
    env.agb()
        .args(["factory", "check", "aws/storage/s3"])
        .arg("--factory")
        .arg(&bare)
        .assert()
        .code(5)
        .stdout(predicate::str::contains("did you mean: aws/storage/s3-bucket"));
}

#[test]
fn missing_version_names_existing_versions_and_exits_5() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    let v = json_stdout(
        env.agb().args(["factory", "check", "aws/networking/vpc@1.1.5", "--json", "--factory"]).arg(&bare),
        5,
    );
    assert_eq!(v["exists"], false);
    assert_eq!(v["version"], "1.1.5");
    assert_eq!(v["latest"], "1.2.0");
    assert_eq!(v["suggestions"], serde_json::json!(["aws/networking/vpc@1.1.0", "aws/networking/vpc@1.2.0"]));
}

#[test]
fn bad_module_path_is_a_usage_error() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    env.agb()
        .args(["factory", "check", "AWS/vpc"])
        .arg("--factory")
        .arg(&bare)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("<provider>/<category>/<name>"));
}

#[test]
fn no_factory_configured_is_a_clear_error() {
    let env = TestEnv::new();
    env.agb()
        .args(["factory", "check", "aws/networking/vpc"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no factory configured"));
}

#[test]
fn catalog_lists_the_tree_with_descriptions() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    let v = json_stdout(
        env.agb().args(["factory", "catalog", "--json", "--patterns", "--factory"]).arg(&bare),
        0,
    );
    assert_eq!(v["schema"], 1);
    assert_eq!(v["version"], "1.0.0");
    assert_eq!(v["last_updated"], "2025-01-28T10:00:00Z");
    let modules = v["modules"].as_object().unwrap();
    assert_eq!(modules.len(), 4);
    assert_eq!(modules["aws/storage/s3-bucket"]["latest"], "1.0.0");
    assert_eq!(modules["aws/storage/s3-bucket"]["versions"], serde_json::json!(["0.1.0", "0.2.0", "1.0.0"]));
    assert!(modules["aws/networking/vpc"]["description"]
        .as_str()
        .unwrap()
        .starts_with("VPC production-ready"));
    assert_eq!(v["patterns"], serde_json::json!(["three-tier-web"]));

    let out =
        env.agb().args(["factory", "catalog", "aws/*", "--json", "--factory"]).arg(&bare).output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).expect("stdout is one JSON document");
    let keys: Vec<&String> = v["modules"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["aws/compute/ec2-instance", "aws/networking/vpc", "aws/storage/s3-bucket"]);

    env.agb()
        .args(["factory", "catalog", "networking"])
        .arg("--factory")
        .arg(&bare)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("gcp/networking/vpc").and(predicate::str::contains("s3-bucket").not()),
        );
}

#[test]
fn show_prints_metadata_and_sorted_files() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    let v = json_stdout(
        env.agb()
            .args(["factory", "show", "aws/compute/ec2-instance@1.0.0", "--json", "--factory"])
            .arg(&bare),
        0,
    );
    assert_eq!(v["version"], "1.0.0");
    assert_eq!(v["metadata"]["schema_version"], "2.0");
    assert_eq!(v["metadata"]["module"]["name"], "ec2-instance");
    assert_eq!(v["metadata"]["inputs"][0]["name"], "name");
    assert_eq!(
        v["files"],
        serde_json::json!([
            "CHANGELOG.md",
            "MODULE_METADATA.yaml",
            "README.md",
            "main.tf",
            "outputs.tf",
            "scripts/user_data.sh",
            "variables.tf",
            "versions.tf"
        ])
    );
    env.agb()
        .args(["factory", "show", "aws/compute/ec2-instance@9.0.0"])
        .arg("--factory")
        .arg(&bare)
        .assert()
        .code(5)
        .stdout(predicate::str::contains("aws/compute/ec2-instance@2.0.0"));
}

#[test]
fn json_mode_keeps_stdout_pure_json() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    for args in [
        vec!["factory", "fetch", "--json"],
        vec!["factory", "catalog", "--json"],
        vec!["factory", "check", "aws/networking/vpc", "--json"],
        vec!["factory", "check", "nope/nope/nope", "--json"],
        vec!["factory", "show", "aws/networking/vpc", "--json"],
    ] {
        let out = env.agb().args(&args).arg("--factory").arg(&bare).output().unwrap();
        let _: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"));
    }
}

#[test]
fn user_config_and_dash_c_are_honoured() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    // the user config (<XDG_CONFIG_HOME>/agb/config.yaml) is the last fallback
    let user_dir = env.path().join("config/agb");
    std::fs::create_dir_all(&user_dir).unwrap();
    std::fs::write(user_dir.join("config.yaml"), format!("factory: {}\n", bare.display())).unwrap();
    env.agb().args(["factory", "check", "aws/networking/vpc"]).assert().success();
    // a project's agb.yaml (found through -C) wins over it
    let project = env.path().join("project");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(project.join("agb.yaml"), "factory:\n  url: ../nowhere.git\n").unwrap();
    env.agb()
        .arg("-C")
        .arg(&project)
        .args(["factory", "check", "aws/networking/vpc"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nowhere.git"));
}

#[test]
fn secrets_in_the_url_are_refused() {
    let env = TestEnv::new();
    env.agb()
        .args([
            "factory",
            "check",
            "aws/networking/vpc",
            "--factory",
            "https://bob:ghp_abc@github.com/o/r.git",
        ])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("carries a password").and(predicate::str::contains("ghp_abc").not()),
        );
}

/// `catalog` and `check` keep what they derive from catalog.json and modules/ beside the cache;
/// a new catalog.json is read at once after a fetch, and a damaged derived file is ignored.
#[test]
fn the_derived_index_follows_the_factory_and_survives_damage() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    let catalog = |refresh: bool| {
        let mut cmd = env.agb();
        cmd.args(["factory", "catalog", "--json", "--factory"]).arg(&bare);
        if refresh {
            cmd.arg("--refresh");
        }
        json_stdout(&mut cmd, 0)
    };
    let check = || {
        let out = env
            .agb()
            .args(["factory", "check", "aws/networking/vpc", "--factory"])
            .arg(&bare)
            .assert()
            .success();
        String::from_utf8_lossy(&out.get_output().stderr).into_owned()
    };
    let first = catalog(false);
    assert_eq!(catalog(false), first, "read back from the index");
    assert!(check().is_empty(), "vpc agrees with catalog.json");
    let index_dir = env.cache_repos()[0].join("agb-index");
    let files: Vec<_> = std::fs::read_dir(&index_dir).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(files.len(), 2, "one listing, one catalog index: {files:?}");
    for f in &files {
        std::fs::write(f, "garbage\n\t\"x\n").unwrap();
    }
    assert_eq!(catalog(false), first, "a damaged index is rebuilt");
    assert!(check().is_empty());

    // a new description and a wrong latest for vpc land on main
    support::factory::push_change(&bare, "catalog edit", |w| {
        let p = w.join("catalog.json");
        let mut c: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        c["modules"]["aws/networking/vpc"]["description"] = "edited".into();
        c["modules"]["aws/networking/vpc"]["latest"] = "1.1.0".into();
        std::fs::write(&p, serde_json::to_string_pretty(&c).unwrap()).unwrap();
    });
    let after = catalog(true);
    assert_eq!(after["modules"]["aws/networking/vpc"]["description"], "edited");
    assert!(check().contains("latest 1.1.0"), "check sees the new catalog.json");
    let files = std::fs::read_dir(&index_dir).unwrap().count();
    assert_eq!(files, 2, "the old files are replaced, not kept");
}

/// `factory fetch` builds the derived files of the commit it brings (named after catalog.json's
/// and modules/'s ids), so the first `catalog` or `check` after it reads them instead of
/// parsing the whole factory; a later fetch of a new commit replaces them.
#[test]
fn fetch_builds_the_derived_index_of_the_new_commit() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    let expected = || {
        let id = |rev: &str| support::factory::git(&bare, &["rev-parse", rev]).trim().to_string();
        let catalog = id("main:catalog.json");
        let mut names =
            vec![format!("catalog-{catalog}"), format!("listing-{catalog}-{}", id("main:modules"))];
        names.sort();
        names
    };
    let fetch = || {
        env.agb().args(["factory", "fetch", "--factory"]).arg(&bare).assert().success();
        let dir = env.cache_repos()[0].join("agb-index");
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into())
            .collect();
        names.sort();
        names
    };
    assert_eq!(fetch(), expected(), "the clone");
    support::factory::push_new_version(&bare, "aws/networking/vpc", "1.2.0", "1.3.0");
    assert_eq!(fetch(), expected(), "the fetch of a new commit");
}
