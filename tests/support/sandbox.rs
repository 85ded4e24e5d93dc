//! Isolation: every command a test runs (agb, git, python) starts from a cleared environment,
//! so neither the developer's config, cache, `AGB_*` variables, `GITHUB_TOKEN` nor `GIT_*`
//! settings can change a result.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The identity every git commit in tests (by git or by agb) is made with: CI has none.
pub const GIT_IDENTITY: [(&str, &str); 4] = [
    ("GIT_AUTHOR_NAME", "agb test"),
    ("GIT_AUTHOR_EMAIL", "test@example.com"),
    ("GIT_COMMITTER_NAME", "agb test"),
    ("GIT_COMMITTER_EMAIL", "test@example.com"),
];

/// Variables kept from the test runner's environment: where programs are, where temp files
/// go, and where a coverage run wants its profiles. Nothing else gets through.
const PASS_THROUGH: [&str; 3] = ["PATH", "TMPDIR", "LLVM_PROFILE_FILE"];

/// Clear `cmd`'s environment down to [`PASS_THROUGH`], then set the git identity and turn off
/// every git config file but `global_config`, and git's prompts.
fn clear_env(cmd: &mut Command, global_config: &Path) {
    cmd.env_clear();
    for key in PASS_THROUGH {
        if let Some(value) = std::env::var_os(key) {
            cmd.env(key, value);
        }
    }
    cmd.envs(GIT_IDENTITY)
        .env("GIT_CONFIG_GLOBAL", global_config)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_TERMINAL_PROMPT", "0");
}

/// Isolate a helper tool (git, python, sh) that needs no home: cleared environment, the git
/// identity, no global or system git config.
pub fn isolate_tool(cmd: &mut Command) -> &mut Command {
    clear_env(cmd, Path::new("/dev/null"));
    cmd
}

/// A temp directory serving as HOME, XDG config/cache/data/state, `AGB_CACHE_DIR` and global
/// git config for every command run through it. Layout: `home/`, `config/`, `cache/`,
/// `agb-cache/`, `data/`, `state/`, `work/`, `gitconfig`; tests put their files beside these.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Sandbox {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        for d in ["home", "config", "cache", "agb-cache", "data", "state", "work"] {
            fs::create_dir_all(dir.path().join(d)).expect("mkdir");
        }
        fs::write(dir.path().join("gitconfig"), "").expect("gitconfig");
        Sandbox { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `AGB_CACHE_DIR`.
    pub fn cache_dir(&self) -> PathBuf {
        self.path().join("agb-cache")
    }

    /// `XDG_CONFIG_HOME` (agb's user config is `agb/config.yaml` in it).
    pub fn config_dir(&self) -> PathBuf {
        self.path().join("config")
    }

    /// The file `GIT_CONFIG_GLOBAL` points at (empty unless a test writes to it).
    pub fn gitconfig(&self) -> PathBuf {
        self.path().join("gitconfig")
    }

    /// An empty directory to run commands in.
    pub fn work(&self) -> PathBuf {
        self.path().join("work")
    }

    /// Give `cmd` this sandbox's environment (and nothing else), running in the sandbox root.
    pub fn isolate<'c>(&self, cmd: &'c mut Command) -> &'c mut Command {
        clear_env(cmd, &self.gitconfig());
        cmd.current_dir(self.path())
            .env("HOME", self.path().join("home"))
            .env("XDG_CONFIG_HOME", self.config_dir())
            .env("XDG_CACHE_HOME", self.path().join("cache"))
            .env("XDG_DATA_HOME", self.path().join("data"))
            .env("XDG_STATE_HOME", self.path().join("state"))
            .env("AGB_CACHE_DIR", self.cache_dir())
            .env("NO_COLOR", "1")
    }

    /// The agb binary as a std `Command` (to spawn, kill, or wire stdio freely), isolated.
    pub fn agb_std(&self) -> Command {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("agb"));
        self.isolate(&mut cmd);
        cmd
    }

    /// The agb binary, isolated, running in the sandbox root.
    pub fn agb(&self) -> assert_cmd::Command {
        assert_cmd::Command::from_std(self.agb_std())
    }

    /// `agb` running in `dir`.
    pub fn agb_in(&self, dir: impl AsRef<OsStr>) -> assert_cmd::Command {
        let mut cmd = self.agb_std();
        cmd.current_dir(Path::new(dir.as_ref()));
        assert_cmd::Command::from_std(cmd)
    }

    /// Write `text` at `rel` (parents created).
    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.path().join(rel);
        super::write(&p, text);
        p
    }

    /// Copy the repository's `fixtures/demo` into `<sandbox>/demo` and return that path.
    pub fn demo(&self) -> PathBuf {
        let to = self.path().join("demo");
        super::copy_tree(&fixture("demo"), &to);
        to
    }
}

/// `fixtures/<rel>` of this repository.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(rel)
}
