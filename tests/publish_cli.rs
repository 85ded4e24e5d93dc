//! `agb publish` end to end against real remotes: a `file://` bare repository and a smart-HTTP
//! server on 127.0.0.1. Every failure case checks that the remote is untouched.

mod support;

use std::path::{Path, PathBuf};

use predicates::prelude::PredicateBooleanExt;

use support::factory;
use support::factory::{demo_factory, git, push_change, GitHttpServer, TestEnv};
use support::publish::*;

const BRANCH: &str = "feat/module-aws-networking-nat-gateway-v1.0.0";
const MODULE: &str = "aws/networking/nat-gateway";
const VDIR: &str = "modules/aws/networking/nat-gateway/v1.0.0";

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

fn tip(bare: &Path, rev: &str) -> String {
    let (ok, out) = git_out(bare, &["rev-parse", rev]);
    assert!(ok, "{out}");
    out.trim().to_string()
}

fn publish(s: &Setup, url: &str, extra: &[&str]) -> assert_cmd::Command {
    let mut cmd = s.env.agb();
    cmd.arg("publish")
        .arg(&s.module)
        .args(["--module", MODULE, "--version", "1.0.0", "--description", "NAT gateway per AZ"])
        .args(["--factory", url])
        .args(extra);
    cmd
}

/// `agb publish <module> --module <module> --version <version> --factory file://<remote>`.
fn publish_as(s: &Setup, module: &str, version: &str) -> assert_cmd::Command {
    let mut cmd = s.env.agb();
    cmd.arg("publish").arg(&s.module).args(["--module", module, "--version", version, "--factory"]);
    cmd.arg(file_url(&s.remote));
    cmd
}

/// Run `cmd`: it must exit with `code`, say each of `messages` on stderr, and leave every ref
/// of the remote as it was.
fn assert_refused(s: &Setup, mut cmd: assert_cmd::Command, code: i32, messages: &[&str]) {
    let before = refs(&s.remote);
    let mut out = cmd.assert().code(code);
    for m in messages {
        out = out.stderr(predicates::str::contains(*m));
    }
    assert_eq!(refs(&s.remote), before);
}

/// What must hold for every successful publish: the branch is on the remote with one commit
/// whose parent is the remote's main, the tree holds exactly the module's files, git fsck is
/// clean, and the catalog diff is the new entry (plus `last_updated`).
fn assert_landed(remote: &Path, main_before: &str) {
    let b = format!("refs/heads/{BRANCH}");
    assert_eq!(tip(remote, &format!("{b}^")), main_before, "parent is the remote's main");
    let (ok, out) = git_out(remote, &["fsck", "--strict", "--no-dangling"]);
    assert!(ok, "fsck: {out}");
    // exactly the expected files, with modes
    let files = files_at(remote, &b, VDIR);
    let names: Vec<&str> = files.iter().map(|f| f.1.as_str()).collect();
    assert_eq!(names, PUBLISHED);
    let mode = |n: &str| files.iter().find(|f| f.1 == n).map(|f| f.0.clone()).unwrap();
    assert_eq!(mode("scripts/check.sh"), "100755");
    assert_eq!(mode("main.tf"), "100644");
    // only the version folder and catalog.json differ from main
    let (_, changed) = git_out(remote, &["diff", "--name-only", main_before, &b]);
    for path in changed.lines() {
        assert!(path == "catalog.json" || path.starts_with(&format!("{VDIR}/")), "unexpected change {path}");
    }
    // the metadata kept its comments and got the version
    let (_, meta) = git_out(remote, &["show", &format!("{b}:{VDIR}/MODULE_METADATA.yaml")]);
    assert!(meta.starts_with("# Owned by the network team\n"), "{meta}");
    assert!(meta.contains("  version: 1.0.0 # set by agb publish\n"), "{meta}");
    // the catalog diff: the new entry; removed lines only where JSON forces it
    let (removed, added) = diff_lines(remote, main_before, &b, "catalog.json");
    for r in &removed {
        assert!(
            r.starts_with("-  \"last_updated\": ") || r.trim() == "-    }",
            "unexpected removed line {r}"
        );
    }
    assert!(added.iter().any(|a| a == "+    \"aws/networking/nat-gateway\": {"), "{added:?}");
    assert!(added.iter().any(|a| a.contains("\"description\": \"NAT gateway per AZ\"")), "{added:?}");
    let (_, cat) = git_out(remote, &["show", &format!("{b}:catalog.json")]);
    let v: serde_json::Value = serde_json::from_str(&cat).unwrap();
    assert_eq!(v["modules"][MODULE]["latest"], "1.0.0");
    assert_eq!(v["modules"][MODULE]["versions"], serde_json::json!(["1.0.0"]));
    let (_, msg) = git_out(remote, &["log", "-1", "--format=%s|%an <%ae>", &b]);
    assert_eq!(msg.trim(), "feat(module): Add aws/networking/nat-gateway v1.0.0|agb test <test@example.com>");
}

#[test]
fn publish_over_file_url_lands_the_branch_and_prints_the_github_link() {
    let s = setup();
    s.env.write_agb_yaml(&format!(
        "factory:\n  repository: org/cloud_iac_factory\n  url: {}\n",
        file_url(&s.remote)
    ));
    let main_before = tip(&s.remote, "main");
    let out = s
        .env
        .agb()
        .arg("publish")
        .arg(&s.module)
        .args(["--module", MODULE, "--version", "1.0.0", "--description", "NAT gateway per AZ"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert_landed(&s.remote, &main_before);
    assert!(
        stdout.contains(&format!(
            "https://github.com/org/cloud_iac_factory/compare/main...{BRANCH}?quick_pull=1&title=feat%28module%29%3A%20Add%20aws%2Fnetworking%2Fnat-gateway%20v1.0.0&body=NAT%20gateway%20per%20AZ"
        )),
        "{stdout}"
    );
    // the skipped files never reached any object of the remote
    let (_, all) = git_out(&s.remote, &["ls-tree", "-r", "--name-only", &format!("refs/heads/{BRANCH}")]);
    for never in ["terraform.tfstate", "prod.tfvars", "lambda.zip", ".terraform/", ".git/"] {
        assert!(!all.contains(never), "{never} published");
    }
}

#[test]
fn publish_json_reports_pr_branch_commit_status() {
    let s = setup();
    let out = publish(&s, &file_url(&s.remote), &["--json"]).assert().success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("stdout is only JSON");
    assert_eq!(v["schema"], 1);
    assert_eq!(v["pr"]["branch"], BRANCH);
    assert_eq!(v["pr"]["status"], "pushed");
    assert_eq!(v["pr"]["commit"], tip(&s.remote, &format!("refs/heads/{BRANCH}")));
    assert!(v["pr"]["url"].is_null(), "a file:// remote has no PR page");
}

#[test]
fn publish_over_loopback_http_lands_the_branch() {
    let s = setup();
    git(&s.remote, &["config", "http.receivepack", "true"]);
    let server = GitHttpServer::start(s.remote.parent().unwrap(), None);
    let main_before = tip(&s.remote, "main");
    let out = publish(&s, &server.url("factory.git"), &[]).assert().success();
    assert_landed(&s.remote, &main_before);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stdout.contains(&format!("Open a pull request from {BRANCH} into main on http://127.0.0.1:")),
        "{stdout}"
    );
}

#[test]
fn existing_version_is_refused_before_anything_is_written() {
    let s = setup();
    let cmd = publish_as(&s, "aws/networking/vpc", "1.2.0");
    assert_refused(&s, cmd, 1, &["already exists", "bump the version: 1.2.1"]);
}

#[test]
fn older_version_needs_allow_older() {
    let s = setup();
    assert_refused(&s, publish_as(&s, "aws/networking/vpc", "1.1.1"), 1, &["--allow-older"]);
    publish_as(&s, "aws/networking/vpc", "1.1.1").arg("--allow-older").assert().success();
    assert!(refs(&s.remote).contains("refs/heads/feat/module-aws-networking-vpc-v1.1.1"));
}

#[test]
fn existing_branch_on_the_remote_is_an_error_and_stays_as_it_was() {
    let s = setup();
    // a colleague already pushed this branch (pointing at main)
    git(&s.remote, &["branch", BRANCH, "main"]);
    let cmd = publish(&s, &file_url(&s.remote), &[]);
    assert_refused(&s, cmd, 1, &["already exists", "increment the version or delete the branch"]);
}

#[test]
fn no_git_identity_is_a_clear_error() {
    let s = setup();
    let anonymous = |extra: &[&str]| {
        let mut cmd = publish(&s, &file_url(&s.remote), extra);
        for var in
            ["GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"]
        {
            cmd.env_remove(var);
        }
        cmd
    };
    assert_refused(&s, anonymous(&[]), 1, &["no git identity", "--author"]);
    // --author is enough
    anonymous(&["--author", "Ada Lovelace <ada@example.com>"]).assert().success();
    let (_, who) =
        git_out(&s.remote, &["log", "-1", "--format=%an <%ae>|%cn", &format!("refs/heads/{BRANCH}")]);
    assert_eq!(who.trim(), "Ada Lovelace <ada@example.com>|Ada Lovelace");
}

#[test]
fn identity_from_git_config() {
    let s = setup();
    std::fs::write(s.env.gitconfig(), "[user]\n\tname = Grace Hopper\n\temail = grace@example.com\n")
        .unwrap();
    publish(&s, &file_url(&s.remote), &[])
        .env_remove("GIT_AUTHOR_NAME")
        .env_remove("GIT_AUTHOR_EMAIL")
        .env_remove("GIT_COMMITTER_NAME")
        .env_remove("GIT_COMMITTER_EMAIL")
        .assert()
        .success();
    let (_, who) = git_out(&s.remote, &["log", "-1", "--format=%an <%ae>", &format!("refs/heads/{BRANCH}")]);
    assert_eq!(who.trim(), "Grace Hopper <grace@example.com>");
}

#[test]
fn dry_run_shows_the_diff_and_pushes_nothing() {
    let s = setup();
    let before = refs(&s.remote);
    let out = publish(&s, &file_url(&s.remote), &["--dry-run"]).assert().success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains(&format!("A {VDIR}/main.tf")), "{stdout}");
    assert!(stdout.contains(&format!("A {VDIR}/CHANGELOG.md")), "{stdout}");
    assert!(stdout.contains("M catalog.json"), "{stdout}");
    assert!(stdout.contains("+    \"aws/networking/nat-gateway\": {"), "{stdout}");
    assert!(!stdout.contains("prod.tfvars"), "skipped files are notes on stderr");
    assert_eq!(refs(&s.remote), before);
    // nothing in the cache either
    for cache in s.env.cache_repos() {
        assert!(!refs(&cache).contains("feat/module"), "dry run made a branch in the cache");
    }
    let json = publish(&s, &file_url(&s.remote), &["--dry-run", "--json"]).assert().success();
    let v: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    assert_eq!(v["pr"]["status"], "dry-run");
}

#[test]
fn no_push_commits_in_the_cache_and_prints_a_working_push_command() {
    let s = setup();
    let main_before = tip(&s.remote, "main");
    let before = refs(&s.remote);
    let out = publish(&s, &file_url(&s.remote), &["--no-push"]).assert().success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert_eq!(refs(&s.remote), before, "nothing pushed");
    let cmd_line =
        stdout.lines().find(|l| l.trim_start().starts_with("git --git-dir")).expect("push command").trim();
    let status =
        support::isolate_tool(&mut std::process::Command::new("sh")).args(["-c", cmd_line]).status().unwrap();
    assert!(status.success(), "{cmd_line}");
    assert_landed(&s.remote, &main_before);
}

#[test]
fn a_remote_that_moves_during_publish_is_fetched_again_and_the_commit_rebuilt() {
    let s = setup();
    // a colleague's commit, ready to land on main the moment agb first asks the remote
    let work = s.env.path().join("colleague");
    git(s.env.path(), &["clone", "-q", s.remote.to_str().unwrap(), work.to_str().unwrap()]);
    std::fs::write(work.join("README.md"), "moved\n").unwrap();
    git(&work, &["commit", "-qam", "colleague"]);
    let colleague_tip = tip(&work, "HEAD");
    let log = s.env.path().join("git-args.log");
    let bin = git_wrapper(
        s.env.path(),
        &log,
        Some((
            "ls-remote",
            &format!("'{}' -C '{}' push -q origin HEAD:main", real_git().display(), work.display()),
        )),
    );
    publish(&s, &file_url(&s.remote), &[]).env("PATH", path_with(&bin)).assert().success();
    assert_eq!(tip(&s.remote, "main"), colleague_tip);
    assert_landed(&s.remote, &colleague_tip);
}

#[test]
fn authentication_failure_exits_4_without_prompting() {
    let s = setup();
    let server = GitHttpServer::start(s.remote.parent().unwrap(), Some("alice:s3cret"));
    let mut cmd = publish(&s, &server.url("factory.git"), &[]);
    cmd.timeout(std::time::Duration::from_secs(60)).write_stdin("");
    assert_refused(&s, cmd, 4, &[]);
}

/// GITHUB_TOKEN reaches git through the credential helper only: the push succeeds with it, and
/// the token is in no argument list, no output and not in the cache's config. (gix's fetch gets
/// the credential from a `store` helper in the test's global config; git's own helpers are
/// cleared by agb, so only the token helper can make the push and ls-remote succeed.)
#[test]
fn github_token_reaches_git_only_through_the_credential_helper() {
    const TOKEN: &str = "ghp_TESTtoken0123456789";
    let s = setup();
    let server = GitHttpServer::start(s.remote.parent().unwrap(), Some(&format!("x-access-token:{TOKEN}")));
    let store = s.env.path().join("git-credentials");
    std::fs::write(&store, format!("http://x-access-token:{TOKEN}@127.0.0.1:{}\n", server.port)).unwrap();
    std::fs::write(s.env.gitconfig(), format!("[credential]\n\thelper = store --file {}\n", store.display()))
        .unwrap();
    let log = s.env.path().join("git-args.log");
    let bin = git_wrapper(s.env.path(), &log, None);
    let main_before = tip(&s.remote, "main");

    // a wrong token: git is asked with it (and nothing else) and fails: exit 4, no leak
    let wrong = "ghp_WRONGtoken987654321";
    let out = publish(&s, &server.url("factory.git"), &[])
        .env("PATH", path_with(&bin))
        .env("GITHUB_TOKEN", wrong)
        .env("AGB_TEST_GITHUB_TOKEN_HOST", format!("127.0.0.1:{}", server.port))
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(4);
    let o = out.get_output();
    let all = String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    assert!(!all.contains(wrong), "{all}");
    assert!(!refs(&s.remote).contains("feat/module"));

    let out = publish(&s, &server.url("factory.git"), &[])
        .env("PATH", path_with(&bin))
        .env("GITHUB_TOKEN", TOKEN)
        .env("AGB_TEST_GITHUB_TOKEN_HOST", format!("127.0.0.1:{}", server.port))
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .success();
    assert_landed(&s.remote, &main_before);
    let o = out.get_output();
    let all = String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    assert!(!all.contains(TOKEN), "token in output: {all}");
    let argv = std::fs::read_to_string(&log).unwrap();
    assert!(argv.contains("push --porcelain --force-with-lease=refs/heads/"), "{argv}");
    assert!(argv.contains("credential.helper="), "the helper was used: {argv}");
    assert!(!argv.contains(TOKEN) && !argv.contains(wrong), "token on a command line: {argv}");
    for cache in s.env.cache_repos() {
        let config = std::fs::read_to_string(cache.join("config")).unwrap();
        assert!(!config.contains(TOKEN), "token in the cache config: {config}");
    }
}

#[test]
fn usage_errors_exit_2_and_touch_nothing() {
    let s = setup();
    let before = refs(&s.remote);
    assert_refused(&s, publish_as(&s, "AWS/vpc", "1.0.0"), 2, &["invalid module path"]);
    assert_refused(&s, publish_as(&s, MODULE, "1.0"), 2, &["invalid version"]);
    let mut missing_dir = s.env.agb();
    missing_dir.arg("publish").arg(s.env.path().join("nope")).args([
        "--module",
        MODULE,
        "--version",
        "1.0.0",
        "--factory",
        &file_url(&s.remote),
    ]);
    assert_refused(&s, missing_dir, 2, &[]);
    assert_eq!(refs(&s.remote), before);
}

#[test]
fn a_new_version_of_an_existing_module_updates_latest_and_appends_the_version() {
    let s = setup();
    push_change(&s.remote, "unrelated", |w| std::fs::write(w.join("NOTES.md"), "x\n").unwrap());
    let main_before = tip(&s.remote, "main");
    publish_as(&s, "aws/networking/vpc", "2.0.0")
        .assert()
        .success()
        .stderr(predicates::str::contains("lower than").not());
    let b = "refs/heads/feat/module-aws-networking-vpc-v2.0.0";
    let (removed, added) = diff_lines(&s.remote, &main_before, b, "catalog.json");
    let removed: Vec<&str> = removed.iter().map(|l| l[1..].trim()).collect();
    let added: Vec<&str> = added.iter().map(|l| l[1..].trim()).collect();
    assert_eq!(removed.len(), 3, "{removed:?}");
    assert!(removed.contains(&"\"latest\": \"1.2.0\","), "{removed:?}");
    assert!(removed.contains(&"\"1.2.0\""), "{removed:?}");
    assert!(added.contains(&"\"latest\": \"2.0.0\","), "{added:?}");
    assert!(added.contains(&"\"1.2.0\","), "{added:?}");
    assert!(added.contains(&"\"2.0.0\""), "{added:?}");
    assert_eq!(tip(&s.remote, &format!("{b}^")), main_before);
}

#[test]
fn a_version_below_the_suggested_bump_is_published_with_a_warning() {
    let s = setup();
    // the local module drops vpc's variables and outputs: a major change
    publish_as(&s, "aws/networking/vpc", "1.2.1").assert().success().stderr(predicates::str::contains(
        "v1.2.1 is lower than the suggested major bump (v2.0.0) over v1.2.0",
    ));
    assert!(refs(&s.remote).contains("refs/heads/feat/module-aws-networking-vpc-v1.2.1"));
}

#[test]
fn a_branch_created_between_the_check_and_the_push_is_not_overwritten() {
    let s = setup();
    let log = s.env.path().join("git-args.log");
    // someone pushes the same branch right before agb's push
    let remote = s.remote.display().to_string();
    let bin = git_wrapper(
        s.env.path(),
        &log,
        Some(("push", &format!("'{}' -C '{remote}' branch {BRANCH} main", real_git().display()))),
    );
    let main = tip(&s.remote, "main");
    publish(&s, &file_url(&s.remote), &[])
        .env("PATH", path_with(&bin))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("increment the version or delete the branch"));
    assert_eq!(tip(&s.remote, &format!("refs/heads/{BRANCH}")), main, "the colleague's branch is untouched");
}

#[test]
fn a_remote_hook_refusing_the_push_is_reported_with_its_reason() {
    let s = setup();
    let hook = s.remote.join("hooks/pre-receive");
    std::fs::write(&hook, "#!/bin/sh\necho 'feat branches need a ticket' >&2\nexit 1\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let cmd = publish(&s, &file_url(&s.remote), &[]);
    assert_refused(&s, cmd, 1, &["the remote refused branch", "pre-receive hook declined"]);
}

#[test]
fn an_unreachable_remote_exits_4_and_pushes_nothing() {
    let s = setup();
    git(&s.remote, &["config", "http.receivepack", "true"]);
    let mut server = GitHttpServer::start(s.remote.parent().unwrap(), None);
    let url = server.url("factory.git");
    // a cache exists, then the server goes away
    s.env.agb().args(["factory", "fetch", "--factory", &url]).assert().success();
    server.stop();
    let mut cmd = publish(&s, &url, &[]);
    cmd.timeout(std::time::Duration::from_secs(60));
    assert_refused(&s, cmd, 4, &[]);
}

#[test]
fn include_publishes_tfvars() {
    let s = setup();
    publish(&s, &file_url(&s.remote), &["--include", "*.tfvars"]).assert().success();
    let names: Vec<String> =
        files_at(&s.remote, &format!("refs/heads/{BRANCH}"), VDIR).into_iter().map(|f| f.1).collect();
    assert!(names.contains(&"prod.tfvars".to_string()), "{names:?}");
    assert!(!names.contains(&"terraform.tfstate".to_string()));
}

#[test]
fn publishing_marks_the_cache_stale_so_the_next_read_fetches() {
    let s = setup();
    let url = file_url(&s.remote);
    publish(&s, &url, &[]).assert().success();
    // upstream merges a new vpc version; the default TTL (300 s) has not expired
    factory::push_new_version(&s.remote, "aws/networking/vpc", "1.2.0", "1.3.0");
    s.env.agb().args(["factory", "check", "aws/networking/vpc@1.3.0", "--factory", &url]).assert().success();
}
