//! Hostile factory content (issue 17, H1): a module version whose tree carries `.git/` — made
//! with `git mktree`, as `git add` refuses it — must never reach the disk through `import`, nor
//! be shown or compared; a local module holding another spelling of `.git` is never published.
//! All on real bare repositories.

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use predicates::prelude::*;
use support::factory::{demo_factory, git, push_change, TestEnv};

/// `git` with `input` on stdin (mktree, hash-object --stdin), returning stdout trimmed.
fn git_in(cwd: &Path, args: &[&str], input: &str) -> String {
    let mut git = Command::new("git");
    support::isolate_tool(&mut git);
    let mut child = git
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("git runs");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
    let out = child.wait_with_output().expect("git ends");
    assert!(out.status.success(), "git {args:?} failed");
    String::from_utf8(out.stdout).expect("utf-8").trim().to_string()
}

/// Replace (or add) `name` in the tree `tree` by the entry `mode kind oid`; return the new tree.
fn with_entry(repo: &Path, tree: &str, name: &str, entry: &str) -> String {
    let listing = git(repo, &["ls-tree", tree]);
    let mut lines: Vec<String> =
        listing.lines().filter(|l| l.split('\t').nth(1) != Some(name)).map(str::to_string).collect();
    lines.push(format!("{entry}\t{name}"));
    git_in(repo, &["mktree"], &(lines.join("\n") + "\n"))
}

/// Push to `bare`'s main a version `aws/networking/evil` v1.0.0 (listed in catalog.json) whose
/// tree holds `<git_dir_name>/config` with an fsmonitor command next to an ordinary main.tf.
fn push_evil_module(bare: &Path, git_dir_name: &str) {
    let work = tempfile::tempdir().expect("tempdir");
    git(work.path(), &["clone", "-q", bare.to_str().expect("utf-8"), "w"]);
    let w = work.path().join("w");
    // catalog.json lists the module, the ordinary way
    let cat_path = w.join("catalog.json");
    let mut cat: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cat_path).expect("catalog")).expect("json");
    cat["modules"]["aws/networking/evil"] =
        serde_json::json!({"latest": "1.0.0", "versions": ["1.0.0"], "description": "looks harmless"});
    std::fs::write(&cat_path, serde_json::to_string_pretty(&cat).expect("json") + "\n").expect("write");
    git(&w, &["commit", "-q", "-am", "catalog: evil"]);

    let blob = |text: &str| git_in(&w, &["hash-object", "-w", "--stdin"], text);
    let config = blob("[core]\n\tfsmonitor = \"touch /tmp/agb-pwned\"\n");
    let dot_git = git_in(&w, &["mktree"], &format!("100644 blob {config}\tconfig\n"));
    let main_tf = blob("resource \"null_resource\" \"x\" {}\n");
    let meta = blob("schema_version: \"2.0\"\nmodule:\n  name: evil\n  version: 1.0.0\n  provider: aws\n  category: networking\n");
    let version = git_in(
        &w,
        &["mktree"],
        &format!(
            "040000 tree {dot_git}\t{git_dir_name}\n100644 blob {meta}\tMODULE_METADATA.yaml\n100644 blob {main_tf}\tmain.tf\n"
        ),
    );
    let module = git_in(&w, &["mktree"], &format!("040000 tree {version}\tv1.0.0\n"));
    let networking = with_entry(&w, "HEAD:modules/aws/networking", "evil", &format!("040000 tree {module}"));
    let aws = with_entry(&w, "HEAD:modules/aws", "networking", &format!("040000 tree {networking}"));
    let modules = with_entry(&w, "HEAD:modules", "aws", &format!("040000 tree {aws}"));
    let root = with_entry(&w, "HEAD^{tree}", "modules", &format!("040000 tree {modules}"));
    let commit =
        git(&w, &["commit-tree", &root, "-p", "HEAD", "-m", "feat(module): Add aws/networking/evil v1.0.0"]);
    git(&w, &["push", "-q", "origin", &format!("{}:refs/heads/main", commit.trim())]);
}

fn evil_factory(env: &TestEnv, git_dir_name: &str) -> std::path::PathBuf {
    let bare = demo_factory(env.path());
    push_evil_module(&bare, git_dir_name);
    bare
}

#[test]
fn import_refuses_a_version_carrying_dot_git_and_writes_nothing() {
    for name in [".git", ".GIT", "git~1", ".git."] {
        let env = TestEnv::new();
        let bare = evil_factory(&env, name);
        let dest = env.path().join("dest");
        env.agb()
            .args(["factory", "import", "aws/networking/evil@1.0.0"])
            .arg(&dest)
            .arg("--factory")
            .arg(&bare)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!("{name:?}")))
            .stderr(predicate::str::contains("git itself refuses"));
        assert!(!dest.exists(), "{name}: nothing may be written");
        let leftovers: Vec<_> = std::fs::read_dir(env.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with(".agb"))
            .collect();
        assert!(leftovers.is_empty(), "{name}: no temp dir left");
    }
}

#[test]
fn import_force_into_a_repository_never_touches_its_git_config() {
    let env = TestEnv::new();
    let bare = evil_factory(&env, ".git");
    let dest = env.path().join("repo");
    std::fs::create_dir_all(&dest).unwrap();
    git(&dest, &["init", "-q"]);
    let config_before = std::fs::read(dest.join(".git/config")).unwrap();
    env.agb()
        .args(["factory", "import", "aws/networking/evil@1.0.0"])
        .arg(&dest)
        .args(["--force", "--factory"])
        .arg(&bare)
        .assert()
        .code(1);
    assert_eq!(std::fs::read(dest.join(".git/config")).unwrap(), config_before);
    assert!(!dest.join("main.tf").exists(), "the refusal comes before any write");
}

#[test]
fn show_and_compare_refuse_the_version_too() {
    let env = TestEnv::new();
    let bare = evil_factory(&env, ".Git");
    env.agb()
        .args(["factory", "show", "aws/networking/evil@1.0.0", "--factory"])
        .arg(&bare)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("\".Git\""));
    let local = env.path().join("local");
    std::fs::create_dir_all(&local).unwrap();
    std::fs::write(local.join("main.tf"), "resource \"null_resource\" \"x\" {}\n").unwrap();
    env.agb()
        .args(["factory", "compare"])
        .arg(&local)
        .args(["aws/networking/evil@1.0.0", "--factory"])
        .arg(&bare)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("\".Git\""));
}

#[test]
fn an_ordinary_version_still_imports() {
    // The check is on path components, not on names that merely start with `.git`.
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    push_change(&bare, "add .github and .gitignore", |w| {
        let v = w.join("modules/aws/networking/vpc/v1.2.0");
        std::fs::create_dir_all(v.join(".github")).unwrap();
        std::fs::write(v.join(".github/CODEOWNERS"), "* @team\n").unwrap();
        std::fs::write(v.join(".gitignore"), ".terraform/\n").unwrap();
    });
    let dest = env.path().join("vpc");
    env.agb()
        .args(["factory", "import", "aws/networking/vpc@1.2.0"])
        .arg(&dest)
        .arg("--factory")
        .arg(&bare)
        .assert()
        .success();
    assert!(dest.join(".github/CODEOWNERS").is_file());
    assert!(dest.join(".gitignore").is_file());
}

#[test]
fn publish_refuses_a_local_module_holding_another_spelling_of_dot_git() {
    let env = TestEnv::new();
    let bare = demo_factory(env.path());
    let local = env.path().join("nat");
    support::copy_tree(&support::factory::fixture_dir().join("modules/aws/networking/vpc/v1.2.0"), &local);
    std::fs::create_dir_all(local.join(".GIT")).unwrap();
    std::fs::write(local.join(".GIT/config"), "[core]\n\tfsmonitor = \"touch /tmp/x\"\n").unwrap();
    env.agb()
        .arg("publish")
        .arg(&local)
        .args(["--module", "aws/networking/nat", "--version", "1.0.0", "--dry-run", "--factory"])
        .arg(&bare)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("\".GIT\""));
}
