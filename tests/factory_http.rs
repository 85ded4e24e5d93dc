//! The factory cache against a real smart-HTTP git server on 127.0.0.1 (`git http-backend`):
//! clone, fetch, TTL, a version pushed upstream, the server going down, Basic auth, and
//! concurrent processes sharing one clone.

mod support;

use predicates::prelude::*;
use serde_json::Value;
use support::factory::{demo_factory, push_new_version, GitHttpServer, TestEnv};

fn served_factory(env: &TestEnv) -> std::path::PathBuf {
    let root = env.path().join("srv");
    std::fs::create_dir_all(&root).unwrap();
    demo_factory(&root)
}

fn check_json(env: &TestEnv, url: &str, module: &str, extra: &[&str]) -> (i32, Value, String) {
    let out = env
        .agb()
        .args(["factory", "check", module, "--json", "--factory", url])
        .args(extra)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), v, String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn clone_then_answer_from_cache_within_ttl() {
    let env = TestEnv::new();
    let bare = served_factory(&env);
    let server = GitHttpServer::start(bare.parent().unwrap(), None);
    let url = server.url("factory.git");
    let (code, v, _) = check_json(&env, &url, "aws/networking/vpc", &[]);
    assert_eq!(code, 0);
    assert_eq!(v["version"], "1.2.0");
    assert_eq!(server.upload_pack_sessions(), 1, "{:?}", server.requests());
    // within the TTL (default 300 s) the second read does not touch the network
    let (code, _, _) = check_json(&env, &url, "aws/storage/s3-bucket", &[]);
    assert_eq!(code, 0);
    assert_eq!(server.upload_pack_sessions(), 1, "{:?}", server.requests());
    // the cache path follows §2.3: <cache>/agb/factory/<host>/<owner>/<repo>.git
    let repos = env.cache_repos();
    assert_eq!(repos.len(), 1);
    let expected = env.cache_dir().join(format!("agb/factory/127.0.0.1_{}/factory.git", server.port));
    assert_eq!(repos[0], expected);
    // --refresh fetches now
    let (code, _, _) = check_json(&env, &url, "aws/networking/vpc", &["--refresh"]);
    assert_eq!(code, 0);
    assert_eq!(server.upload_pack_sessions(), 2, "{:?}", server.requests());
}

#[test]
fn new_upstream_version_visible_after_ttl_or_refresh() {
    let env = TestEnv::new();
    let bare = served_factory(&env);
    let server = GitHttpServer::start(bare.parent().unwrap(), None);
    let url = server.url("factory.git");
    env.write_agb_yaml(&format!("factory:\n  url: {url}\n  cache_ttl: 300\n"));
    env.agb().args(["factory", "fetch"]).assert().success().stdout(predicate::str::contains("cloned"));
    push_new_version(&bare, "aws/networking/vpc", "1.2.0", "1.3.0");
    // still within the TTL: the cache answers, the new version is not seen yet
    let out = env.agb().args(["factory", "check", "aws/networking/vpc@1.3.0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(5));
    // --no-cache (alias of --refresh) fetches and sees it
    env.agb()
        .args(["factory", "check", "aws/networking/vpc@1.3.0", "--no-cache"])
        .assert()
        .success()
        .stdout(predicate::str::contains("aws/networking/vpc@1.3.0 exists (latest)"));
    // with a TTL of 0 every read fetches
    push_new_version(&bare, "aws/storage/s3-bucket", "1.0.0", "1.1.0");
    env.write_agb_yaml(&format!("factory:\n  url: {url}\n  cache_ttl: 0\n"));
    let before = server.upload_pack_sessions();
    env.agb().args(["factory", "check", "aws/storage/s3-bucket@1.1.0"]).assert().success();
    assert_eq!(server.upload_pack_sessions(), before + 1);
}

#[test]
fn server_down_answers_from_stale_cache_with_a_warning() {
    let env = TestEnv::new();
    let bare = served_factory(&env);
    let mut server = GitHttpServer::start(bare.parent().unwrap(), None);
    let url = server.url("factory.git");
    env.agb().args(["factory", "fetch", "--factory", &url]).assert().success();
    server.stop();
    let (code, v, stderr) = check_json(&env, &url, "aws/networking/vpc", &["--refresh"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(v["exists"], true);
    assert!(stderr.contains("warning: cannot reach the factory"), "{stderr}");
    assert!(stderr.contains("last updated") && stderr.contains("ago"), "{stderr}");
    // `fetch` itself reports the failure (exit 4)
    env.agb().args(["factory", "fetch", "--factory", &url]).assert().code(4);
    // --quiet hides the warning, the answer stays
    env.agb()
        .args(["-q", "factory", "check", "aws/networking/vpc", "--refresh", "--factory", &url])
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
}

#[test]
fn no_server_and_no_cache_is_a_network_error() {
    let env = TestEnv::new();
    let bare = served_factory(&env);
    let mut server = GitHttpServer::start(bare.parent().unwrap(), None);
    let url = server.url("factory.git");
    server.stop();
    env.agb()
        .args(["factory", "check", "aws/networking/vpc", "--factory", &url])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("cannot reach the factory").or(predicate::str::contains("refused")));
}

#[test]
fn offline_without_cache_says_to_fetch_and_offline_with_cache_works() {
    let env = TestEnv::new();
    let bare = served_factory(&env);
    let server = GitHttpServer::start(bare.parent().unwrap(), None);
    let url = server.url("factory.git");
    env.agb()
        .env("AGB_OFFLINE", "1")
        .args(["factory", "check", "aws/networking/vpc", "--factory", &url])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("run `agb factory fetch` while online"));
    assert_eq!(server.upload_pack_sessions(), 0);
    env.agb().args(["factory", "fetch", "--factory", &url]).assert().success();
    env.agb()
        .args(["factory", "check", "aws/networking/vpc", "--offline", "--refresh", "--factory", &url])
        .assert()
        .success();
    assert_eq!(server.upload_pack_sessions(), 1, "offline never touches the network");
}

#[test]
fn basic_auth_via_credential_helper_and_wrong_password_exits_4() {
    let env = TestEnv::new();
    let bare = served_factory(&env);
    let server = GitHttpServer::start(bare.parent().unwrap(), Some("alice:s3cret"));
    let url = server.url("factory.git");
    // no credentials at all: exit 4, no prompt, no hang
    env.agb()
        .args(["factory", "check", "aws/networking/vpc", "--factory", &url])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("refused the credentials"));
    // agb disables git's terminal prompt itself, even when the environment does not
    env.agb()
        .env_remove("GIT_TERMINAL_PROMPT")
        .args(["factory", "check", "aws/networking/vpc", "--factory", &url])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(4);
    // a wrong password from the user's credential helper: exit 4
    let helper = |pass: &str| {
        format!("[credential]\n\thelper = \"!f() {{ test \\\"$1\\\" = get || exit 0; echo username=alice; echo password={pass}; }}; f\"\n")
    };
    std::fs::write(env.gitconfig(), helper("wrong")).unwrap();
    let out = env.agb().args(["factory", "check", "aws/networking/vpc", "--factory", &url]).output().unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("wrong"), "the password is never printed");
    // the right password works
    std::fs::write(env.gitconfig(), helper("s3cret")).unwrap();
    env.agb().args(["factory", "check", "aws/networking/vpc", "--factory", &url]).assert().success();
    // and is not stored in the cache's config
    let repo = &env.cache_repos()[0];
    let config = std::fs::read_to_string(repo.join("config")).unwrap();
    assert!(!config.contains("s3cret"), "{config}");
}

#[test]
fn eight_concurrent_checks_on_a_cold_cache_clone_once() {
    let env = TestEnv::new();
    let bare = served_factory(&env);
    let server = GitHttpServer::start(bare.parent().unwrap(), None);
    let url = server.url("factory.git");
    let children: Vec<_> = (0..8)
        .map(|_| {
            env.agb_std()
                .args(["factory", "check", "aws/networking/vpc", "--json", "--factory", &url])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["exists"], true);
    }
    assert_eq!(server.upload_pack_sessions(), 1, "one clone, shared: {:?}", server.requests());
    assert_eq!(env.cache_repos().len(), 1);
    let leftovers: Vec<_> = std::fs::read_dir(env.cache_repos()[0].parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".agb-"))
        .collect();
    assert!(leftovers.is_empty(), "no temp clone left behind: {leftovers:?}");
}

#[test]
fn github_token_is_only_offered_to_github() {
    let env = TestEnv::new();
    let bare = served_factory(&env);
    let server = GitHttpServer::start(bare.parent().unwrap(), Some("x-access-token:tok3n"));
    let url = server.url("factory.git");
    // the server would accept the token, but it is not github.com: agb must not hand it out
    let out = env
        .agb()
        .env("GITHUB_TOKEN", "tok3n")
        .args(["factory", "check", "aws/networking/vpc", "--factory", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("tok3n"));
    assert!(
        server.requests().iter().all(|l| !l.ends_with(" 200")),
        "no request was authorised: {:?}",
        server.requests()
    );
}

#[test]
fn fetch_reports_cloned_up_to_date_and_updated() {
    let env = TestEnv::new();
    let bare = served_factory(&env);
    let server = GitHttpServer::start(bare.parent().unwrap(), None);
    let url = server.url("factory.git");
    let event = |env: &TestEnv| {
        let out = env.agb().args(["factory", "fetch", "--json", "--factory", &url]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        (v["event"].as_str().unwrap().to_string(), v["commit"].as_str().unwrap().to_string())
    };
    let (e1, c1) = event(&env);
    assert_eq!(e1, "cloned");
    let (e2, c2) = event(&env);
    assert_eq!((e2.as_str(), &c2), ("up-to-date", &c1));
    push_new_version(&bare, "gcp/networking/vpc", "1.0.0", "1.1.0");
    let (e3, c3) = event(&env);
    assert_eq!(e3, "updated");
    assert_eq!(c3, support::factory::git(&bare, &["rev-parse", "main"]).trim());
}

/// A stand-in `ssh` on PATH that fails the way OpenSSH does, so the ssh transport's error
/// classification is tested without an ssh server or any network.
#[cfg(unix)]
fn fake_ssh(env: &TestEnv, stderr_line: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let bin = env.path().join("fake-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let ssh = bin.join("ssh");
    std::fs::write(
        &ssh,
        format!(
            "#!/bin/sh\necho \"$@\" >> \"{}\"\necho '{stderr_line}' >&2\nexit 255\n",
            env.path().join("ssh-args").display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&ssh, std::fs::Permissions::from_mode(0o755)).unwrap();
    format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default())
}

#[cfg(unix)]
#[test]
fn ssh_failures_exit_4_through_the_users_ssh() {
    let env = TestEnv::new();
    let path = fake_ssh(&env, "git@example.com: Permission denied (publickey).");
    env.agb()
        .env("PATH", &path)
        .args(["factory", "check", "aws/networking/vpc", "--factory", "git@example.com:org/factory.git"])
        .assert()
        // gix reads ssh's stderr racily: the same failure is reported as an auth error or as an
        // unexpected EOF (network); both are exit 4, which is what callers rely on.
        .code(4);
    let args = std::fs::read_to_string(env.path().join("ssh-args")).unwrap();
    assert!(args.contains("git@example.com"), "agb went through the user's ssh: {args}");

    let env = TestEnv::new();
    let path = fake_ssh(&env, "ssh: Could not resolve hostname example.invalid: Name or service not known");
    env.agb()
        .env("PATH", &path)
        .args([
            "factory",
            "check",
            "aws/networking/vpc",
            "--factory",
            "ssh://git@example.invalid/org/factory.git",
        ])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("cannot reach the factory").or(predicate::str::contains("refused")));
}

/// A first clone killed midway (SIGKILL, or Ctrl-C: agb has no handler then) leaves a partial
/// clone beside the cache, as big as what was received. The next clone of that factory removes
/// it: after it, only the cache and its lock are left in the cache's directory.
#[test]
fn a_killed_clone_leaves_nothing_behind_once_the_next_clone_succeeds() {
    let env = TestEnv::new();
    let bare = served_factory(&env);
    // A server that never answers (connections wait in the backlog): the clone has set up its
    // scratch repository and waits for the ref advertisement when it is killed.
    let stalled = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = stalled.local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}/factory.git");
    let mut child = env
        .agb_std()
        .args(["factory", "check", "aws/networking/vpc", "--factory", &url])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let root = env.cache_dir().join("agb/factory");
    let started = std::time::Instant::now();
    let repo_begun =
        || walkdir::WalkDir::new(&root).into_iter().filter_map(Result::ok).any(|e| e.file_name() == "HEAD");
    while !repo_begun() {
        assert!(child.try_wait().unwrap().is_none(), "agb ended before it was killed");
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "the clone never began");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stalled);

    let _server = GitHttpServer::start_on(bare.parent().unwrap(), None, port);
    let (code, v, err) = check_json(&env, &url, "aws/networking/vpc", &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["version"], "1.2.0");
    let repos = env.cache_repos();
    assert_eq!(repos.len(), 1, "{repos:?}");
    let beside: std::collections::BTreeSet<String> = std::fs::read_dir(repos[0].parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside, ["factory.git", "factory.git.lock"].map(String::from).into(), "left beside the cache");
}
