//! `agb publish` over ssh against a real OpenSSH server on 127.0.0.1 (started by the test with
//! its own host key and authorized_keys): the user's `GIT_SSH_COMMAND` is kept, agb adds
//! `-o BatchMode=yes` when there is no terminal, so a passphrase-protected key never prompts,
//! and an authentication failure exits 4.
//! Skipped (with a message) only when /usr/sbin/sshd is not installed (`.ci/run` installs it).

mod support;

use std::path::Path;

use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

use support::factory::{demo_factory, SshServer, TestEnv};
use support::publish::*;

const BRANCH: &str = "feat/module-aws-networking-nat-gateway-v1.0.0";

fn server() -> Option<SshServer> {
    let s = SshServer::start();
    if s.is_none() {
        eprintln!("SKIPPED: /usr/sbin/sshd is not installed (apt-get install openssh-server)");
    }
    s
}

fn publish(env: &TestEnv, module: &Path, url: &str, ssh_command: &str) -> assert_cmd::Command {
    let mut cmd = env.agb();
    cmd.arg("publish")
        .arg(module)
        .args(["--module", "aws/networking/nat-gateway", "--version", "1.0.0", "--factory", url])
        .env("GIT_SSH_COMMAND", ssh_command)
        .timeout(std::time::Duration::from_secs(120));
    cmd
}

#[test]
fn publish_over_ssh_lands_the_branch() {
    let Some(sshd) = server() else { return };
    let env = TestEnv::new();
    let remote = demo_factory(&env.path().join("remotes"));
    let module = local_module(&env.path().join("src"), "nat-gateway");
    let url = sshd.url(&remote);
    publish(&env, &module, &url, &sshd.ssh_command(&sshd.client_key)).assert().success();
    assert!(refs(&remote).contains(&format!("refs/heads/{BRANCH}")), "{}", refs(&remote));
}

#[test]
fn a_passphrase_key_never_prompts_and_an_unknown_key_exits_4() {
    let Some(sshd) = server() else { return };
    let env = TestEnv::new();
    let remote = demo_factory(&env.path().join("remotes"));
    let module = local_module(&env.path().join("src"), "nat-gateway");
    let url = sshd.url(&remote);
    // a key the server does not know: authentication fails
    let stranger = sshd.new_key("stranger", "");
    let before = refs(&remote);
    publish(&env, &module, &url, &sshd.ssh_command(&stranger)).assert().code(4).stderr(contains("auth"));
    assert_eq!(refs(&remote), before);

    // the right key, behind a passphrase: ssh would ask through SSH_ASKPASS; BatchMode forbids it
    let locked = sshd.new_key("locked", "correct horse");
    std::fs::copy(locked.with_extension("pub"), sshd_authorized(&sshd)).unwrap();
    let asked = env.path().join("askpass-was-run");
    let askpass = env.path().join("askpass.sh");
    std::fs::write(&askpass, format!("#!/bin/sh\ntouch '{}'\necho wrong\n", asked.display())).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&askpass, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    publish(&env, &module, &url, &sshd.ssh_command(&locked))
        .env("SSH_ASKPASS", &askpass)
        .env("SSH_ASKPASS_REQUIRE", "force")
        .env("DISPLAY", ":0")
        .assert()
        .code(4);
    assert!(!asked.exists(), "ssh prompted for the passphrase");
    assert_eq!(refs(&remote), before);
}

/// The server's authorized_keys (next to its client key).
fn sshd_authorized(sshd: &SshServer) -> std::path::PathBuf {
    sshd.client_key.parent().unwrap().join("authorized_keys")
}

/// The cache's fetch (gix) over ssh: an unknown key is an authentication failure every time
/// (ssh's own "Permission denied" is read from its log after it exited, not raced against the
/// end of the connection), and a closed port is a network failure; both exit 4.
#[test]
fn factory_fetch_over_ssh_classifies_auth_and_network_failures_every_time() {
    let Some(sshd) = server() else { return };
    let env = TestEnv::new();
    let remote = demo_factory(&env.path().join("remotes"));
    let url = sshd.url(&remote);
    let fetch = |url: &str, key: &Path, refresh: bool| {
        let mut cmd = env.agb();
        cmd.args(["factory", "fetch", "--factory", url]).env("GIT_SSH_COMMAND", sshd.ssh_command(key));
        if refresh {
            cmd.arg("--refresh");
        }
        cmd.timeout(std::time::Duration::from_secs(60));
        cmd
    };
    let stranger = sshd.new_key("stranger", "");
    // a first clone (no cache yet), many times: the race this replaces lost about one in ten
    for _ in 0..20 {
        fetch(&url, &stranger, false)
            .assert()
            .code(4)
            .stderr(contains("agb::factory::auth::rejected").and(contains("Permission denied")));
    }
    // a fetch into an existing cache
    fetch(&url, &sshd.client_key, false).assert().success();
    fetch(&url, &stranger, true).assert().code(4).stderr(contains("agb::factory::auth::rejected"));
    // nothing listens on the port: not an authentication problem
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let user = url.trim_start_matches("ssh://").split('@').next().unwrap().to_string();
    let nowhere = format!("ssh://{user}@127.0.0.1:{closed}{}", remote.display());
    fetch(&nowhere, &sshd.client_key, false)
        .assert()
        .code(4)
        .stderr(contains("agb::factory::network::unreachable").and(contains("Connection refused")));
    let leftovers: Vec<String> = walkdir::WalkDir::new(env.cache_dir())
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".agb-ssh-"))
        .collect();
    assert!(leftovers.is_empty(), "ssh logs are removed: {leftovers:?}");
}
