//! Helpers for the core CLI tests: an `agb` command isolated from the user's environment, and
//! temp projects built from real files.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A temp directory that also serves as HOME / XDG config / cache for the command.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(dir.path().join("home")).unwrap();
        fs::write(dir.path().join("gitconfig"), "").unwrap();
        Sandbox { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `agb` with HOME, XDG_CONFIG_HOME, AGB_CACHE_DIR and git config pointed into the sandbox.
    pub fn agb(&self) -> Command {
        let mut cmd = Command::cargo_bin("agb").expect("agb binary");
        let home = self.path().join("home");
        cmd.env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("AGB_CACHE_DIR", self.path().join("cache"))
            .env("GIT_CONFIG_GLOBAL", self.path().join("gitconfig"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("NO_COLOR", "1")
            .env_remove("AGB_FACTORY")
            .current_dir(self.path());
        cmd
    }

    /// Write `text` at `rel` (parents created).
    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, text).unwrap();
        p
    }

    /// Copy the repository's `fixtures/demo` into `<sandbox>/demo` and return that path.
    pub fn demo(&self) -> PathBuf {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
        let to = self.path().join("demo");
        copy_tree(&from, &to);
        to
    }
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dst = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dst).unwrap();
        } else {
            fs::copy(entry.path(), &dst).unwrap();
        }
    }
}
