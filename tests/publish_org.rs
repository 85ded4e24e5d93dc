//! `agb publish` as a team uses it: flags defaulting from MODULE_METADATA.yaml and
//! `--version auto`, the pull request opened with `gh` (a fake one on PATH that records its
//! arguments) or GitLab push options (checked by a real receive-pack on loopback), `--update` of
//! an existing publish branch. Every remote is a `file://` bare repository or a smart-HTTP server
//! on 127.0.0.1.

mod support;

use std::path::{Path, PathBuf};

use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

use support::factory::{git, GitHttpServer, PublishSetup as Setup};
use support::publish::*;

const MODULE: &str = "aws/networking/nat-gateway";
const BRANCH: &str = "feat/module-aws-networking-nat-gateway-v1.0.0";

fn setup() -> Setup {
    Setup::new()
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

/// A fake `gh` in a new directory: it logs each invocation's arguments (`[arg]` per line, then
/// `--`), exits `auth_status` for `gh auth status`, and prints a pull request URL for
/// `gh pr create`. Returns the directory (to put first on PATH) and the log.
fn fake_gh(dir: &Path, auth_status: i32) -> (PathBuf, PathBuf) {
    let bin = dir.join("gh-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = dir.join("gh.log");
    let script = format!(
        "#!/bin/sh\nfor a in \"$@\"; do printf '[%s]\\n' \"$a\" >> '{log}'; done\necho -- >> '{log}'\n\
         case \"$1 $2\" in\n  'auth status') exit {auth_status};;\n  \
         'pr create') echo 'https://github.com/org/cloud_iac_factory/pull/42';;\nesac\n",
        log = log.display()
    );
    let gh = bin.join("gh");
    std::fs::write(&gh, script).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&gh, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    (bin, log)
}

fn github_yaml(s: &Setup) {
    s.env.write_agb_yaml(&format!(
        "factory:\n  repository: org/cloud_iac_factory\n  url: {}\n",
        file_url(&s.remote)
    ));
}

const MARKER_TOKEN: &str = "ghp_MARKER_TOKEN_must_never_show_123";

/// `agb publish <local module> ARGS` with the fake `gh` of `bin` first on PATH.
fn publish_with_gh(s: &Setup, bin: &Path, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = s.env.agb();
    cmd.arg("publish").arg(&s.module).args(args).env("PATH", path_with(bin));
    cmd
}

#[test]
fn gh_opens_the_pull_request_and_its_number_is_reported() {
    let s = setup();
    github_yaml(&s);
    let (bin, log) = fake_gh(s.env.path(), 0);
    let out = publish_with_gh(&s, &bin, &["--module", "aws/networking/vpc", "--version", "2.0.0", "--json"])
        .env("GITHUB_TOKEN", MARKER_TOKEN)
        .assert()
        .success();
    let out = out.get_output();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!stdout.contains(MARKER_TOKEN) && !stderr.contains(MARKER_TOKEN));
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["pr"]["number"], 42);
    assert_eq!(v["pr"]["url"], "https://github.com/org/cloud_iac_factory/pull/42");
    assert_eq!(v["pr"]["via"], "gh");
    assert_eq!(v["pr"]["status"], "pushed");
    assert_eq!(v["pr"]["branch"], "feat/module-aws-networking-vpc-v2.0.0");
    let calls = std::fs::read_to_string(&log).unwrap();
    assert!(
        calls.starts_with("[auth]\n[status]\n[--hostname]\n[github.com]\n--\n[pr]\n[create]\n"),
        "{calls}"
    );
    for arg in [
        "[--repo]\n[org/cloud_iac_factory]",
        "[--base]\n[main]",
        "[--head]\n[feat/module-aws-networking-vpc-v2.0.0]",
        "[--title]\n[feat(module): Add aws/networking/vpc v2.0.0]",
        "## Checklist",
        "## Suggested bump\n\nmajor (v2.0.0) over v1.2.0 (policy entry `variable_removed: major` (default)):\n- ",
    ] {
        assert!(calls.contains(arg), "{arg:?} not in {calls}");
    }
    assert!(!calls.contains(MARKER_TOKEN));
    // and for a person
    publish_with_gh(&s, &bin, &["--module", MODULE, "--version", "1.0.0"])
        .assert()
        .success()
        .stdout(contains("Pull request #42 opened:\n  https://github.com/org/cloud_iac_factory/pull/42"));
}

#[test]
fn without_gh_login_or_with_no_pr_the_link_is_printed() {
    let s = setup();
    github_yaml(&s);
    let (bin, log) = fake_gh(s.env.path(), 1);
    let out = publish_with_gh(&s, &bin, &["--module", MODULE, "--version", "1.0.0", "--json"])
        .assert()
        .success()
        .stderr(contains("gh is not logged in to github.com"));
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["pr"]["number"], serde_json::Value::Null);
    assert!(v["pr"]["url"]
        .as_str()
        .unwrap()
        .starts_with("https://github.com/org/cloud_iac_factory/compare/main..."));
    assert_eq!(v["pr"]["via"], "link");
    assert!(!std::fs::read_to_string(&log).unwrap().contains("[create]"));

    std::fs::remove_file(&log).unwrap();
    publish_with_gh(&s, &bin, &["--module", MODULE, "--version", "1.0.1", "--no-pr"])
        .assert()
        .success()
        .stdout(contains("Open the pull request:"));
    assert!(!log.exists(), "--no-pr never runs gh");
}

#[test]
fn gitlab_push_options_reach_the_server_and_its_answer_is_reported() {
    let s = setup();
    git(&s.remote, &["config", "http.receivepack", "true"]);
    git(&s.remote, &["config", "receive.advertisePushOptions", "true"]);
    let seen = s.env.path().join("push-options.txt");
    let hook = s.remote.join("hooks/pre-receive");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\ni=0\nwhile [ $i -lt \"${{GIT_PUSH_OPTION_COUNT:-0}}\" ]; do\n  \
             eval \"printf '%s\\n' \\\"\\$GIT_PUSH_OPTION_$i\\\"\" >> '{}'\n  i=$((i+1))\ndone\n\
             echo 'View merge request for {BRANCH}:' >&2\n\
             echo '  https://gitlab.example/infra/factory/-/merge_requests/7' >&2\n",
            seen.display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let server = GitHttpServer::start(s.remote.parent().unwrap(), None);
    s.env.write_agb_yaml(&format!("factory:\n  url: {}\n  forge: gitlab\n", server.url("factory.git")));
    let out = s
        .env
        .agb()
        .arg("publish")
        .arg(&s.module)
        .args(["--module", MODULE, "--version", "1.0.0", "--json"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(&seen).unwrap(),
        format!(
            "merge_request.create\nmerge_request.target=main\nmerge_request.title=feat(module): Add {MODULE} v1.0.0\n"
        )
    );
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["pr"]["via"], "gitlab-push-options");
    assert_eq!(v["pr"]["number"], 7);
    assert_eq!(v["pr"]["url"], "https://gitlab.example/infra/factory/-/merge_requests/7");
    assert_eq!(v["remote_messages"][0], format!("View merge request for {BRANCH}:"));
    assert!(refs(&s.remote).contains(&format!("refs/heads/{BRANCH}")));
}

fn publish_nat(s: &Setup, extra: &[&str]) -> assert_cmd::Command {
    let mut cmd = s.env.agb();
    cmd.arg("publish").arg(&s.module).args(["--module", MODULE, "--version", "1.0.0", "--factory"]);
    cmd.arg(file_url(&s.remote)).args(extra);
    cmd
}

fn tip(bare: &Path, rev: &str) -> String {
    let (ok, out) = git_out(bare, &["rev-parse", rev]);
    assert!(ok, "{out}");
    out.trim().to_string()
}

#[test]
fn update_adds_a_fast_forward_commit_with_the_new_files() {
    let s = setup();
    publish_nat(&s, &[]).assert().success();
    let b = format!("refs/heads/{BRANCH}");
    let first = tip(&s.remote, &b);
    let (_, msg) = git_out(&s.remote, &["log", "-1", "--format=%B", &b]);
    assert!(msg.contains(&format!("Agb-Module: {MODULE}@1.0.0")), "{msg}");
    // without --update the existing branch is refused, as before
    publish_nat(&s, &[]).assert().code(1).stderr(contains("already exists").and(contains("--update")));
    // the author edits the module: a new file, one removed
    std::fs::write(s.module.join("locals.tf"), "locals {\n  x = 1\n}\n").unwrap();
    std::fs::remove_file(s.module.join("README.md")).unwrap();
    let out = publish_nat(&s, &["--update", "--json"]).assert().success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["pr"]["status"], "updated");
    let second = tip(&s.remote, &b);
    assert_eq!(tip(&s.remote, &format!("{b}^")), first, "one commit on top, fast-forward");
    let vdir = "modules/aws/networking/nat-gateway/v1.0.0";
    let names: Vec<String> = files_at(&s.remote, &second, vdir).into_iter().map(|f| f.1).collect();
    assert!(names.contains(&"locals.tf".to_string()), "{names:?}");
    assert!(!names.contains(&"README.md".to_string()), "{names:?}");
    let (_, subject) = git_out(&s.remote, &["log", "-1", "--format=%s", &b]);
    assert_eq!(subject.trim(), format!("feat(module): Update {MODULE} v1.0.0"));
    let (ok, fsck) = git_out(&s.remote, &["fsck", "--strict", "--no-dangling"]);
    assert!(ok, "{fsck}");
}

#[test]
fn update_refuses_a_branch_someone_else_pushed_to_or_not_made_by_agb() {
    let s = setup();
    publish_nat(&s, &[]).assert().success();
    // a colleague adds a commit on the branch
    let work = s.env.path().join("colleague");
    git(s.env.path(), &["clone", "-q", "-b", BRANCH, s.remote.to_str().unwrap(), work.to_str().unwrap()]);
    std::fs::write(work.join("NOTE.md"), "x\n").unwrap();
    git(&work, &["add", "NOTE.md"]);
    git(&work, &["commit", "-q", "--author", "Bob <bob@example.com>", "-m", "docs: a note"]);
    git(&work, &["push", "-q", "origin", BRANCH]);
    let bob = tip(&s.remote, &format!("refs/heads/{BRANCH}"));
    std::fs::write(s.module.join("locals.tf"), "locals {}\n").unwrap();
    let before = refs(&s.remote);
    publish_nat(&s, &["--update"])
        .assert()
        .code(1)
        .stderr(contains("someone else pushed").and(contains("Bob")).and(contains(&bob[..12])));
    assert_eq!(refs(&s.remote), before);

    // a branch of that name that agb did not make
    let s = setup();
    let main = tip(&s.remote, "main");
    git(&s.remote, &["branch", BRANCH, &main]);
    let before = refs(&s.remote);
    publish_nat(&s, &["--update"]).assert().code(1).stderr(contains("agb::publish::update::not_agb"));
    assert_eq!(refs(&s.remote), before);
}

#[test]
fn update_refuses_when_someone_pushes_between_the_check_and_the_push_and_names_them() {
    let s = setup();
    publish_nat(&s, &[]).assert().success();
    let b = format!("refs/heads/{BRANCH}");
    let ours = tip(&s.remote, &b);
    // a colleague's commit, ready in their clone; they push it right before agb's push, after
    // agb read the branch and checked its tip was agb's (so only the push's lease can refuse)
    let work = s.env.path().join("colleague");
    git(s.env.path(), &["clone", "-q", "-b", BRANCH, s.remote.to_str().unwrap(), work.to_str().unwrap()]);
    std::fs::write(work.join("NOTE.md"), "x\n").unwrap();
    git(&work, &["add", "NOTE.md"]);
    git(&work, &["commit", "-q", "--author", "Carol <carol@example.com>", "-m", "docs: a late note"]);
    let log = s.env.path().join("git-args.log");
    let colleague_push =
        format!("'{}' -C '{}' push -q origin {BRANCH}", real_git().display(), work.display());
    let bin = git_wrapper(s.env.path(), &log, Some(("push", &colleague_push)));
    std::fs::write(s.module.join("locals.tf"), "locals {}\n").unwrap();
    let out = publish_nat(&s, &["--update"]).env("PATH", path_with(&bin)).assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    let carol = tip(&s.remote, &b);
    assert_ne!(carol, ours, "the colleague's push landed");
    assert_eq!(tip(&s.remote, &format!("{b}^")), ours, "and nothing went over it");
    for said in ["someone else pushed", &carol[..12], "Carol <carol@example.com>", "docs: a late note"] {
        assert!(stderr.contains(said), "{said:?} not in {stderr}");
    }
    let calls = std::fs::read_to_string(&log).unwrap();
    assert!(calls.contains(&format!("--force-with-lease={b}:{ours}")), "agb's push had a lease: {calls}");
}
