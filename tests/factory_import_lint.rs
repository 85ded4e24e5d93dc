//! `agb factory import` and `agb factory lint`, a damaged cache being re-cloned, and readers
//! warning when catalog.json and the tree disagree — all on real bare repositories.

mod support;

use predicates::prelude::*;
use serde_json::Value;
use support::factory::{demo_factory, push_change, TestEnv};
use support::json_stdout;

#[test]
fn import_writes_the_version_keeping_exec_bits() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    let dest = env.path().join("out/ec2");
    env.agb()
        .args(["factory", "import", "aws/compute/ec2-instance@1.0.0"])
        .arg(&dest)
        .arg("--factory")
        .arg(&bare)
        .assert()
        .success()
        .stdout(predicate::str::contains("imported aws/compute/ec2-instance@1.0.0"));
    let fixture = support::factory::fixture_dir().join("modules/aws/compute/ec2-instance/v1.0.0");
    for rel in ["main.tf", "variables.tf", "MODULE_METADATA.yaml", "scripts/user_data.sh"] {
        assert_eq!(
            std::fs::read(dest.join(rel)).unwrap(),
            std::fs::read(fixture.join(rel)).unwrap(),
            "{rel}"
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &str| std::fs::metadata(dest.join(p)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode("scripts/user_data.sh"), 0o755);
        assert_eq!(mode("main.tf"), 0o644);
    }
    let leftovers: Vec<_> = std::fs::read_dir(dest.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".agb"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// An import killed while filling its hidden temp directory (Ctrl-C during a large module) leaves
/// it beside DEST; the next import there removes it. A look-alike directory of the user's stays.
#[test]
fn an_import_removes_what_a_killed_import_left_beside_dest() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    let out = env.path().join("out");
    // A pid above any pid_max: an agb that is gone.
    let killed = out.join(".agb-tmp-999999999-AbC123");
    std::fs::create_dir_all(killed.join("scripts")).unwrap();
    std::fs::write(killed.join("main.tf"), "half a module").unwrap();
    let users = out.join(".agb-tmp-notes");
    std::fs::create_dir_all(&users).unwrap();
    env.agb()
        .args(["factory", "import", "aws/networking/vpc"])
        .arg(out.join("vpc"))
        .arg("--factory")
        .arg(&bare)
        .assert()
        .success();
    assert!(!killed.exists(), "the killed import's temp directory is removed");
    assert!(users.is_dir(), "a directory that merely looks like one is the user's");
    assert!(out.join("vpc/main.tf").is_file());
}

#[test]
fn import_refuses_non_empty_dest_without_force() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    let dest = env.path().join("dest");
    std::fs::create_dir_all(&dest).unwrap();
    std::fs::write(dest.join("main.tf"), "# mine\n").unwrap();
    std::fs::write(dest.join("keep.txt"), "keep\n").unwrap();
    env.agb()
        .args(["factory", "import", "aws/networking/vpc"])
        .arg(&dest)
        .arg("--factory")
        .arg(&bare)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not empty").and(predicate::str::contains("--force")));
    assert_eq!(std::fs::read_to_string(dest.join("main.tf")).unwrap(), "# mine\n", "nothing written");
    let v = json_stdout(
        env.agb()
            .args(["factory", "import", "aws/networking/vpc", "--force", "--json"])
            .arg(&dest)
            .arg("--factory")
            .arg(&bare),
        0,
    );
    assert_eq!(v["version"], "1.2.0");
    assert!(std::fs::read_to_string(dest.join("main.tf")).unwrap().contains("aws_flow_log"));
    assert_eq!(std::fs::read_to_string(dest.join("keep.txt")).unwrap(), "keep\n", "other files stay");
}

#[test]
fn import_of_a_missing_version_exits_5_and_writes_nothing() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    let dest = env.path().join("nothing");
    env.agb()
        .args(["factory", "import", "aws/networking/vpc@3.0.0"])
        .arg(&dest)
        .arg("--factory")
        .arg(&bare)
        .assert()
        .code(5)
        .stdout(predicate::str::contains("aws/networking/vpc@1.2.0"));
    assert!(!dest.exists());
}

#[test]
fn lint_passes_on_the_demo_factory() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    env.agb()
        .args(["factory", "lint"])
        .arg("--factory")
        .arg(&bare)
        .assert()
        .success()
        .stdout(predicate::str::contains("consistent"));
}

#[test]
fn tree_wins_over_catalog_readers_warn_and_lint_exits_1() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    // a version folder the catalog lacks, a catalog version without folder, bad metadata
    push_change(&bare, "drift", |w| {
        support::factory::copy_tree(
            &w.join("modules/aws/networking/vpc/v1.2.0"),
            &w.join("modules/aws/networking/vpc/v1.3.0"),
        );
        std::fs::remove_dir_all(w.join("modules/aws/storage/s3-bucket/v0.1.0")).unwrap();
        let meta = w.join("modules/gcp/networking/vpc/v1.0.0/MODULE_METADATA.yaml");
        let text = std::fs::read_to_string(&meta).unwrap().replace("name: vpc", "name: network");
        std::fs::write(meta, text).unwrap();
    });
    // check sees the tree's 1.3.0 as latest and warns about the catalog
    let out = env
        .agb()
        .args(["factory", "check", "aws/networking/vpc", "--json"])
        .arg("--factory")
        .arg(&bare)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], "1.3.0");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("catalog.json disagrees with the tree"), "{stderr}");
    // the catalog lists s3-bucket 0.1.0 but the tree does not: it does not exist
    env.agb()
        .args(["factory", "check", "aws/storage/s3-bucket@0.1.0"])
        .arg("--factory")
        .arg(&bare)
        .assert()
        .code(5);
    // catalog shows the tree and warns
    env.agb()
        .args(["factory", "catalog", "--json"])
        .arg("--factory")
        .arg(&bare)
        .assert()
        .success()
        .stderr(predicate::str::contains("agb factory lint"));
    // lint names every problem and exits 1
    let out = env.agb().args(["factory", "lint", "--json"]).arg("--factory").arg(&bare).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ok"], false);
    let msgs: Vec<String> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["message"].as_str().unwrap().to_string())
        .collect();
    let all = msgs.join("\n");
    assert!(
        all.contains("aws/networking/vpc@1.3.0: folder exists but catalog.json does not list the version"),
        "{all}"
    );
    assert!(all.contains("aws/storage/s3-bucket@0.1.0: listed in catalog.json but has no folder"), "{all}");
    assert!(all.contains("says latest 1.2.0"), "{all}");
    assert!(all.contains("module.version is 1.2.0, but the folder is v1.3.0"), "{all}");
    assert!(all.contains("module.name is \"network\""), "{all}");
}

#[test]
fn damaged_cache_is_recloned() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    env.agb().args(["factory", "fetch"]).arg("--factory").arg(&bare).assert().success();
    let repo = env.cache_repos().remove(0);
    // lose every object: the ref is there, the commit is not
    for e in std::fs::read_dir(repo.join("objects/pack")).unwrap() {
        std::fs::remove_file(e.unwrap().path()).unwrap();
    }
    env.agb()
        .args(["factory", "check", "aws/networking/vpc"])
        .arg("--factory")
        .arg(&bare)
        .assert()
        .success()
        .stderr(predicate::str::contains("damaged"));
    // a config that is not git config at all
    std::fs::write(repo.join("config"), "[[[ not a config").unwrap();
    env.agb().args(["factory", "check", "aws/networking/vpc"]).arg("--factory").arg(&bare).assert().success();
    // offline, a damaged cache is an error that says what to do
    std::fs::write(repo.join("config"), "[[[ not a config").unwrap();
    env.agb()
        .args(["factory", "check", "aws/networking/vpc", "--offline"])
        .arg("--factory")
        .arg(&bare)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("agb factory fetch"));
}

#[test]
fn unknown_branch_is_a_clear_error() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    env.write_agb_yaml(&format!("factory:\n  url: {}\n  branch: develop\n", bare.display()));
    env.agb()
        .args(["factory", "check", "aws/networking/vpc"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no branch \"develop\""));
}

#[cfg(unix)]
#[test]
fn import_never_writes_through_a_symlink_in_dest() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    let dest = env.path().join("dest");
    let outside = env.path().join("outside");
    std::fs::create_dir_all(&dest).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::os::unix::fs::symlink(&outside, dest.join("scripts")).unwrap();
    env.agb()
        .args(["factory", "import", "aws/compute/ec2-instance", "--force"])
        .arg(&dest)
        .arg("--factory")
        .arg(&bare)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("refusing path"));
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0, "nothing written outside DEST");
    assert_eq!(std::fs::read_dir(&dest).unwrap().count(), 1, "refused before writing anything");
}

#[test]
fn catalog_without_catalog_json_lists_the_tree_and_lint_fails() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    push_change(&bare, "lose the catalog", |w| std::fs::remove_file(w.join("catalog.json")).unwrap());
    let out = env.agb().args(["factory", "catalog", "--json"]).arg("--factory").arg(&bare).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["modules"].as_object().unwrap().len(), 4);
    assert!(String::from_utf8_lossy(&out.stderr).contains("catalog.json"));
    env.agb().args(["factory", "check", "aws/networking/vpc"]).arg("--factory").arg(&bare).assert().success();
    env.agb()
        .args(["factory", "lint"])
        .arg("--factory")
        .arg(&bare)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("catalog.json is missing"));
}
