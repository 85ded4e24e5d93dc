//! The cache's fetch over https with a private CA and through a CONNECT proxy, all on
//! 127.0.0.1: a TLS front (certificate signed by a CA the test makes with openssl) relaying to
//! the smart-HTTP test server, and a proxy that logs each tunnel it carries. git's own settings
//! (`http.sslCAInfo`, `http.proxy`) must reach gix's reqwest transport.

mod support;

use support::factory::{demo_factory, git, test_ca, GitHttpServer, Relay, TestEnv};

#[test]
fn https_with_a_private_ca_and_a_proxy_from_git_config() {
    let env = TestEnv::new();
    let remote = demo_factory(&env.path().join("remotes"));
    let certs = env.path().join("certs");
    std::fs::create_dir_all(&certs).unwrap();
    let (ca, cert, key) = test_ca(&certs);
    let server = GitHttpServer::start(remote.parent().unwrap(), None);
    let port = server.port.to_string();
    let tls = Relay::start(&[
        "tls",
        "--cert",
        cert.to_str().unwrap(),
        "--key",
        key.to_str().unwrap(),
        "--to",
        &port,
    ]);
    let url = format!("https://127.0.0.1:{}/factory.git", tls.port);
    let fetch = || {
        let mut cmd = env.agb();
        cmd.args(["factory", "fetch", "--refresh", "--factory", &url]);
        cmd
    };
    // the CA is unknown: refused
    fetch().assert().failure();
    // http.sslCAInfo in git's config: trusted
    let gitconfig = env.gitconfig().display().to_string();
    git(env.path(), &["config", "--file", &gitconfig, "http.sslCAInfo", ca.to_str().unwrap()]);
    fetch().assert().success();
    // http.proxy: the fetch goes through the proxy's tunnel
    let log = env.path().join("proxy.log");
    let proxy = Relay::start(&["proxy", "--log", log.to_str().unwrap()]);
    let proxy_url = format!("http://127.0.0.1:{}", proxy.port);
    git(env.path(), &["config", "--file", &gitconfig, "http.proxy", &proxy_url]);
    fetch().assert().success();
    let tunnels = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(tunnels.lines().count() >= 1, "no tunnel through the proxy: {tunnels:?}");
    assert!(tunnels.contains(&format!("CONNECT 127.0.0.1:{}", tls.port)), "{tunnels}");
}
