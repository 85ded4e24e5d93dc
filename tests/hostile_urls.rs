//! Issue 17, M1: a token in the user part of an http(s) factory URL (`http://ghp_…@host/…`,
//! `http://user%3Aghp_…@host/…`) must be refused before anything touches the network, and never
//! printed (errors, warnings, `--json`, `-v` notes) nor stored (the cache's `config`, where the
//! bare clone keeps its remote URL). The URL comes from `--factory`, `AGB_FACTORY` or an
//! agb.yaml `factory: url:`; ssh users (`git@…`) are not secrets and keep working.

mod support;

use std::path::Path;

use support::factory::{demo_factory, GitHttpServer, TestEnv};

const TOKEN: &str = "ghp_M1leakedTOKEN0123456789";

/// A served demo factory: without the fix, a URL with a token in it clones fine (the server
/// asks for no credentials), so a leak into the cache would really happen.
fn served(env: &TestEnv) -> GitHttpServer {
    let root = env.path().join("srv");
    std::fs::create_dir_all(&root).unwrap();
    demo_factory(&root);
    GitHttpServer::start(&root, None)
}

/// The hostile forms of the served URL: the token as the user, and percent-encoded `user:token`.
fn hostile_urls(server: &GitHttpServer) -> Vec<String> {
    vec![
        format!("http://{TOKEN}@127.0.0.1:{}/factory.git", server.port),
        format!("http://user%3A{TOKEN}@127.0.0.1:{}/factory.git", server.port),
    ]
}

/// Every file under `dir` whose name or content holds the token.
fn files_with_token(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.path().to_string_lossy().contains(TOKEN)
                || (e.file_type().is_file()
                    && std::fs::read(e.path()).is_ok_and(|b| String::from_utf8_lossy(&b).contains(TOKEN)))
        })
        .map(|e| e.path().display().to_string())
        .collect()
}

/// Run, and check the refusal: exit 1, the explanation with the URL shown as `***@host`, the
/// token in no output, no cache created, the server never asked.
fn assert_refused(env: &TestEnv, server: &GitHttpServer, mut cmd: assert_cmd::Command) {
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stdout: {stdout}\nstderr: {stderr}");
    assert!(!stdout.contains(TOKEN) && !stderr.contains(TOKEN), "token printed:\n{stdout}\n{stderr}");
    assert!(stderr.contains("credentials in its user part"), "{stderr}");
    assert!(stderr.contains(&format!("***@127.0.0.1:{}/factory.git", server.port)), "{stderr}");
    assert!(stderr.contains("credential helper") && stderr.contains("GITHUB_TOKEN"), "{stderr}");
    for dir in [env.cache_dir(), env.path().join("cache"), env.path().join("home")] {
        assert_eq!(files_with_token(&dir), Vec::<String>::new(), "token stored under {}", dir.display());
    }
    assert!(env.cache_repos().is_empty(), "a cache was created: {:?}", env.cache_repos());
    assert_eq!(server.upload_pack_sessions(), 0, "the server was contacted");
}

#[test]
fn a_token_as_the_user_of_the_factory_flag_is_refused_and_never_printed() {
    let env = TestEnv::new();
    let server = served(&env);
    for url in hostile_urls(&server) {
        let mut cmd = env.agb();
        cmd.args(["-v", "factory", "fetch", "--factory", &url]);
        assert_refused(&env, &server, cmd);
        let mut cmd = env.agb();
        cmd.args(["factory", "check", "aws/networking/vpc", "--json", "--factory", &url]);
        assert_refused(&env, &server, cmd);
    }
}

#[test]
fn a_token_as_the_user_of_agb_factory_is_refused_and_never_printed() {
    let env = TestEnv::new();
    let server = served(&env);
    for url in hostile_urls(&server) {
        let mut cmd = env.agb();
        cmd.env("AGB_FACTORY", &url).args(["-v", "factory", "catalog"]);
        assert_refused(&env, &server, cmd);
        let mut cmd = env.agb();
        cmd.env("AGB_FACTORY", &url).args(["factory", "fetch", "--json"]);
        assert_refused(&env, &server, cmd);
    }
}

#[test]
fn a_token_as_the_user_of_the_agb_yaml_factory_url_is_refused_and_never_printed() {
    let env = TestEnv::new();
    let server = served(&env);
    for url in hostile_urls(&server) {
        env.write_agb_yaml(&format!("factory:\n  url: {url}\n  branch: main\n"));
        let mut cmd = env.agb();
        cmd.args(["-v", "factory", "show", "aws/networking/vpc"]);
        assert_refused(&env, &server, cmd);
        // the string form of `factory:` too
        env.write_agb_yaml(&format!("factory: {url}\n"));
        let mut cmd = env.agb();
        cmd.args(["factory", "fetch", "--json"]);
        assert_refused(&env, &server, cmd);
    }
}

#[test]
fn https_user_only_and_malformed_urls_with_a_token_never_print_it() {
    let env = TestEnv::new();
    for url in [
        format!("https://{TOKEN}@github.com/org/factory.git"),
        format!("https://x-access-token%3A{TOKEN}@github.com/org/factory.git"),
    ] {
        let out =
            env.agb().args(["factory", "check", "aws/networking/vpc", "--factory", &url]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(!stderr.contains(TOKEN), "{stderr}");
        assert!(stderr.contains("https://***@github.com/org/factory.git"), "{stderr}");
    }
    // not even a valid URL (no repository path, unknown scheme): still no token in the message
    for url in [format!("http://{TOKEN}@example.com"), format!("ftp://u:{TOKEN}@example.com/o/r.git")] {
        let out =
            env.agb().args(["factory", "check", "aws/networking/vpc", "--factory", &url]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_ne!(out.status.code(), Some(0), "{stderr}");
        assert!(!stderr.contains(TOKEN), "{stderr}");
    }
    assert!(env.cache_repos().is_empty());
}

/// An ssh user is a login name, not a secret: both ssh forms are still accepted (shown here by
/// getting as far as "no cache yet" under --offline, with the user in the message).
#[test]
fn ssh_users_are_not_secrets() {
    let env = TestEnv::new();
    for url in ["ssh://git@example.invalid/org/factory.git", "git@example.invalid:org/factory.git"] {
        let out = env
            .agb()
            .args(["factory", "check", "aws/networking/vpc", "--offline", "--factory", url])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("no cache of the factory"), "{url}: {stderr}");
        assert!(stderr.contains(url), "{url}: {stderr}");
        assert!(!stderr.contains("credentials"), "{url}: {stderr}");
    }
}
