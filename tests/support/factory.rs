//! Test support for the factory (and publish) tests: an isolated environment that never touches
//! the user's cache or git config, real bare repositories built from `fixtures/factory/`, and a
//! loopback smart-HTTP git server (`git_http_server.py`: `git http-backend` per request).
//!
//! Used as `support::factory`; the isolation itself is [`Sandbox`]'s.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub use super::copy_tree;
use super::{isolate_tool, Sandbox};

/// The demo factory's plain files.
pub fn fixture_dir() -> PathBuf {
    super::sandbox::fixture("factory")
}

/// Run git, isolated (test identity, no global config); panic with its stderr on failure.
pub fn git(cwd: &Path, args: &[&str]) -> String {
    let out = isolate_tool(&mut Command::new("git")).args(args).current_dir(cwd).output().expect("git runs");
    assert!(out.status.success(), "git {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A bare repository at `<parent>/<name>` whose `main` holds `files` (a directory), committed
/// in one commit. Returns the bare repository's path.
pub fn bare_repo_from(files: &Path, parent: &Path, name: &str) -> PathBuf {
    let bare = parent.join(name);
    std::fs::create_dir_all(parent).expect("mkdir");
    git(parent, &["init", "-q", "--bare", "-b", "main", bare.to_str().expect("utf-8 path")]);
    let work = tempfile::tempdir().expect("tempdir");
    git(work.path(), &["init", "-q", "-b", "main"]);
    copy_tree(files, work.path());
    git(work.path(), &["add", "-A"]);
    git(work.path(), &["commit", "-q", "-m", "initial factory"]);
    git(work.path(), &["push", "-q", bare.to_str().expect("utf-8 path"), "main"]);
    bare
}

/// The demo factory as a bare repository `<parent>/factory.git`.
pub fn demo_factory(parent: &Path) -> PathBuf {
    bare_repo_from(&fixture_dir(), parent, "factory.git")
}

/// Clone `bare`, let `change` edit the work tree, commit everything and push to main.
pub fn push_change(bare: &Path, message: &str, change: impl FnOnce(&Path)) {
    let work = tempfile::tempdir().expect("tempdir");
    git(work.path(), &["clone", "-q", bare.to_str().expect("utf-8 path"), "w"]);
    let w = work.path().join("w");
    change(&w);
    git(&w, &["add", "-A"]);
    git(&w, &["commit", "-q", "-m", message]);
    git(&w, &["push", "-q", "origin", "HEAD:main"]);
}

/// Publish `module@version` upstream the way a merged PR would: copy the module's latest fixture
/// version to the new folder, set the metadata version, and add it to catalog.json.
pub fn push_new_version(bare: &Path, module: &str, from_version: &str, new_version: &str) {
    push_change(bare, &format!("feat(module): Add {module} v{new_version}"), |w| {
        let from = w.join(format!("modules/{module}/v{from_version}"));
        let to = w.join(format!("modules/{module}/v{new_version}"));
        copy_tree(&from, &to);
        let meta = to.join("MODULE_METADATA.yaml");
        let text = std::fs::read_to_string(&meta).expect("metadata");
        std::fs::write(
            &meta,
            text.replace(&format!("version: {from_version}"), &format!("version: {new_version}")),
        )
        .expect("write metadata");
        let cat_path = w.join("catalog.json");
        let mut cat: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&cat_path).expect("catalog")).expect("json");
        let entry = &mut cat["modules"][module];
        entry["versions"].as_array_mut().expect("versions").push(new_version.into());
        entry["latest"] = new_version.into();
        std::fs::write(&cat_path, serde_json::to_string_pretty(&cat).expect("json") + "\n").expect("write");
    });
}

/// A [`Sandbox`] whose commands run in its `work/` directory (where a test writes agb.yaml).
pub struct TestEnv {
    pub sandbox: Sandbox,
}

impl TestEnv {
    pub fn new() -> Self {
        TestEnv { sandbox: Sandbox::new() }
    }

    pub fn path(&self) -> &Path {
        self.sandbox.path()
    }

    /// `AGB_CACHE_DIR`.
    pub fn cache_dir(&self) -> PathBuf {
        self.sandbox.cache_dir()
    }

    /// The file `GIT_CONFIG_GLOBAL` points at (empty unless a test writes to it).
    pub fn gitconfig(&self) -> PathBuf {
        self.sandbox.gitconfig()
    }

    /// A directory to run agb in (no agb.yaml unless a test writes one).
    pub fn work(&self) -> PathBuf {
        self.sandbox.work()
    }

    /// The bare cache directories agb created (`…/agb/factory/**.git`).
    pub fn cache_repos(&self) -> Vec<PathBuf> {
        let base = self.cache_dir().join("agb/factory");
        walkdir::WalkDir::new(&base)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_dir() && e.file_name().to_string_lossy().ends_with(".git"))
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .map(|e| e.into_path())
            .collect()
    }

    /// Set the isolation environment on any command (agb or git), running in `work/`.
    pub fn apply(&self, cmd: &mut Command) {
        self.sandbox.isolate(cmd).current_dir(self.work());
    }

    /// The agb binary as a std `Command` (to spawn), isolated, running in `work/`.
    pub fn agb_std(&self) -> Command {
        let mut cmd = self.sandbox.agb_std();
        cmd.current_dir(self.work());
        cmd
    }

    /// The agb binary with the isolation environment, running in `work/`.
    pub fn agb(&self) -> assert_cmd::Command {
        self.sandbox.agb_in(self.work())
    }

    /// Write `<work>/agb.yaml`.
    pub fn write_agb_yaml(&self, text: &str) {
        std::fs::write(self.work().join("agb.yaml"), text).expect("write agb.yaml");
    }
}

impl Default for TestEnv {
    fn default() -> Self {
        Self::new()
    }
}

/// A smart-HTTP git server on 127.0.0.1 serving every repository under `root`; stopped on drop.
pub struct GitHttpServer {
    child: Child,
    pub port: u16,
    log: PathBuf,
    _log_dir: tempfile::TempDir,
}

impl GitHttpServer {
    /// Start serving `root`, optionally requiring Basic auth `user:password`.
    pub fn start(root: &Path, auth: Option<&str>) -> Self {
        Self::start_on(root, auth, 0)
    }

    /// [`start`](Self::start) on a given port (0: any free one): a test that needs the same URL
    /// before and after the server is up.
    pub fn start_on(root: &Path, auth: Option<&str>, port: u16) -> Self {
        let log_dir = tempfile::tempdir().expect("tempdir");
        let log = log_dir.path().join("requests.log");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/git_http_server.py");
        let mut cmd = Command::new("python3");
        cmd.arg(script).arg("--root").arg(root).arg("--port").arg(port.to_string()).arg("--log").arg(&log);
        if let Some(a) = auth {
            cmd.arg("--auth").arg(a);
        }
        let mut child = isolate_tool(&mut cmd)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 starts the test git server");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("server prints its port");
        let port = line.trim().strip_prefix("PORT ").and_then(|p| p.parse().ok());
        let Some(port) = port else {
            let _ = child.kill();
            panic!("test git server did not start: {line:?}");
        };
        GitHttpServer { child, port, log, _log_dir: log_dir }
    }

    /// `http://127.0.0.1:<port>/<rel>` (e.g. `factory.git`).
    pub fn url(&self, rel: &str) -> String {
        format!("http://127.0.0.1:{}/{rel}", self.port)
    }

    /// The request log: one `<METHOD> <path>?<query> <status>` line per request.
    pub fn requests(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log).unwrap_or_default().lines().map(str::to_string).collect()
    }

    /// How many upload-pack sessions (clone or fetch connections) the server saw.
    pub fn upload_pack_sessions(&self) -> usize {
        self.requests()
            .iter()
            .filter(|l| l.starts_with("GET ") && l.contains("service=git-upload-pack"))
            .count()
    }

    /// Stop the server now (the "server went down" case).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for GitHttpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A real OpenSSH server on 127.0.0.1 (a free high port), with its own host key and an
/// `authorized_keys` in a temp dir, accepting the current user with `client_key` only; stopped
/// on drop. `None` when `/usr/sbin/sshd` is not installed (the caller skips and says so).
pub struct SshServer {
    child: Child,
    pub port: u16,
    /// The private key the server accepts.
    pub client_key: PathBuf,
    dir: tempfile::TempDir,
}

impl SshServer {
    pub fn start() -> Option<Self> {
        let sshd = Path::new("/usr/sbin/sshd");
        if !sshd.is_file() {
            return None;
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        let host_key = d.join("host_key");
        let client_key = d.join("client_key");
        Self::keygen(&host_key, "");
        Self::keygen(&client_key, "");
        std::fs::copy(client_key.with_extension("pub"), d.join("authorized_keys")).expect("authorized_keys");
        // sshd refuses to start without its privilege separation directory
        let _ = std::fs::create_dir_all("/run/sshd");
        let port =
            std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
        let config = d.join("sshd_config");
        std::fs::write(
            &config,
            format!(
                "Port {port}\nListenAddress 127.0.0.1\nHostKey {hk}\nAuthorizedKeysFile {ak}\nPidFile {pid}\n\
                 StrictModes no\nUsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n\
                 PubkeyAuthentication yes\nPermitRootLogin prohibit-password\nAllowTcpForwarding no\n",
                hk = host_key.display(),
                ak = d.join("authorized_keys").display(),
                pid = d.join("sshd.pid").display(),
            ),
        )
        .expect("sshd_config");
        let child = Command::new(sshd)
            .arg("-D")
            .arg("-e")
            .arg("-f")
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sshd starts");
        // wait until it listens (not a timing assertion: a readiness poll)
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        Some(SshServer { child, port, client_key, dir })
    }

    /// A new key pair in the server's temp dir (`passphrase` may be empty).
    pub fn new_key(&self, name: &str, passphrase: &str) -> PathBuf {
        let key = self.dir.path().join(name);
        Self::keygen(&key, passphrase);
        key
    }

    fn keygen(path: &Path, passphrase: &str) {
        let ok = isolate_tool(&mut Command::new("ssh-keygen"))
            .args(["-q", "-t", "ed25519", "-N", passphrase, "-f"])
            .arg(path)
            .status()
            .expect("ssh-keygen runs")
            .success();
        assert!(ok, "ssh-keygen failed");
    }

    /// `ssh://<user>@127.0.0.1:<port><abs path>`.
    pub fn url(&self, repo: &Path) -> String {
        let user = std::env::var("USER").ok().filter(|u| !u.is_empty()).unwrap_or_else(|| "root".to_string());
        format!("ssh://{user}@127.0.0.1:{}{}", self.port, repo.display())
    }

    /// The `GIT_SSH_COMMAND` a user would have for this server with `key`: no known_hosts
    /// prompt, no other identity, no user ssh config.
    pub fn ssh_command(&self, key: &Path) -> String {
        format!(
            "ssh -F /dev/null -i {} -o IdentitiesOnly=yes -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -o LogLevel=ERROR",
            key.display()
        )
    }
}

impl Drop for SshServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback helper from `net_relays.py` (a TLS front or a CONNECT proxy); stopped on drop.
pub struct Relay {
    child: Child,
    pub port: u16,
}

impl Relay {
    /// Run `net_relays.py <args>` and wait for its port.
    pub fn start(args: &[&str]) -> Self {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/net_relays.py");
        let mut child = isolate_tool(Command::new("python3").arg(script).args(args))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 starts the relay");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped"))
            .read_line(&mut line)
            .expect("relay prints its port");
        let port = line.trim().strip_prefix("PORT ").and_then(|p| p.parse().ok());
        let Some(port) = port else {
            let _ = child.kill();
            panic!("relay did not start: {line:?}");
        };
        Relay { child, port }
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A CA and a certificate for 127.0.0.1 signed by it, made with the openssl CLI in `dir`:
/// returns (ca.pem, server.pem, server.key).
pub fn test_ca(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let run = |args: &[&str]| {
        let out =
            isolate_tool(Command::new("openssl").args(args)).current_dir(dir).output().expect("openssl runs");
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    std::fs::write(dir.join("san.cnf"), "subjectAltName=IP:127.0.0.1\n").expect("san.cnf");
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=agb test CA",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "san.cnf",
    ]);
    (dir.join("ca.pem"), dir.join("server.pem"), dir.join("server.key"))
}

/// A demo factory remote and the local nat-gateway module to publish, in one isolated
/// environment (the publish tests' starting point).
pub struct PublishSetup {
    pub env: TestEnv,
    pub remote: PathBuf,
    pub module: PathBuf,
}

impl PublishSetup {
    pub fn new() -> Self {
        let env = TestEnv::new();
        let remote = demo_factory(&env.path().join("remotes"));
        let module = super::publish::local_module(&env.path().join("src"), "nat-gateway");
        PublishSetup { env, remote, module }
    }
}

impl Default for PublishSetup {
    fn default() -> Self {
        Self::new()
    }
}
