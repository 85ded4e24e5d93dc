//! Helpers for the `agb build` black-box tests: a small source repository written from code, a
//! project per target, an isolated `agb` command, and snapshots of a directory tree.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use assert_cmd::Command;

/// A temp dir holding `source/` and `project/`, plus isolated HOME/cache/git config.
pub struct World {
    pub dir: tempfile::TempDir,
}

pub fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

impl World {
    /// A source with two plugins: commands, agents, a skill with nested extras, an
    /// `overrides.yaml`, a `requirements.yaml` and global instructions.
    pub fn new() -> World {
        let w = World { dir: tempfile::tempdir().unwrap() };
        let s = w.source();
        write(&s.join("AGENTS.md"), "# Global\n\nBe kind.\n");
        write(&s.join("overrides.yaml"), "model:\n  sonnet:\n    gemini-cli: gemini-2.5-pro\n");
        let p1 = s.join("plugins/alpha");
        write(
            &p1.join("commands/hello.md"),
            "---\ndescription: Say hello\nmodel: sonnet\n---\nHello $ARGUMENTS!\n",
        );
        write(&p1.join("commands/bye.md"), "---\ndescription: Say bye\n---\nBye.\n");
        write(&p1.join("agents/helper.md"), "---\ndescription: A helper\nmodel: sonnet\n---\nYou help.\n");
        let sk = p1.join("skills/writer");
        write(&sk.join("SKILL.md"), "---\nname: writer\ndescription: Writes well\n---\nWrite.\n");
        write(&sk.join("ref/style.md"), "Style guide\n");
        write(&sk.join("ref/deep/notes.txt"), "notes\n");
        write(&sk.join("scripts/run.sh"), "#!/bin/sh\necho run\n");
        let p2 = s.join("plugins/beta");
        write(&p2.join("commands/review.md"), "---\ndescription: Review code\n---\nReview it.\n");
        write(&p2.join("agents/critic.md"), "---\ndescription: A critic\n---\nCriticize.\n");
        write(&p2.join("skills/tester/SKILL.md"), "---\nname: tester\ndescription: Tests\n---\nTest.\n");
        write(&p2.join("skills/tester/data.json"), "{}\n");
        write(&p2.join("requirements.yaml"), "agents:\n  critic:\n    skills: [beta:tester]\n");
        w
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn source(&self) -> PathBuf {
        self.dir.path().join("source")
    }

    /// The output root for a target (`project/.claude` …).
    pub fn out(&self, target: &str) -> PathBuf {
        let d = match target {
            "gemini-cli" => ".gemini",
            "claude-code" => ".claude",
            "opencode" => ".opencode",
            "codex" => ".codex",
            other => panic!("unknown target {other}"),
        };
        self.dir.path().join("project").join(d)
    }

    /// Write agb.yaml for `target` selecting `resources` (`commands: [..]` lines etc.).
    pub fn config(&self, target: &str, commands: &[&str], agents: &[&str], skills: &[&str]) {
        let list = |v: &[&str]| format!("[{}]", v.join(", "));
        let text = format!(
            "source: ../../source\ntarget: {target}\nresources:\n  commands: {}\n  agents: {}\n  skills: {}\n",
            list(commands),
            list(agents),
            list(skills)
        );
        write(&self.out(target).join("agb.yaml"), &text);
    }

    /// Everything selected.
    pub fn config_all(&self, target: &str) {
        self.config(
            target,
            &["alpha:hello", "alpha:bye", "beta:review"],
            &["alpha:helper", "beta:critic"],
            &["alpha:writer", "beta:tester"],
        );
    }

    /// `agb -C <output root of target> <args>` with an isolated environment.
    pub fn agb(&self, target: &str, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("agb").unwrap();
        let home = self.dir.path().join("home");
        fs::create_dir_all(&home).unwrap();
        let gitconfig = home.join("gitconfig");
        if !gitconfig.exists() {
            fs::write(&gitconfig, "").unwrap();
        }
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("AGB_CACHE_DIR", home.join("cache"))
            .env("GIT_CONFIG_GLOBAL", &gitconfig)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("NO_COLOR", "1")
            .arg("-C")
            .arg(self.out(target))
            .args(args);
        cmd
    }
}

/// Every regular file under `dir` (relative path → bytes and mtime), and every directory
/// (relative path → None), so a snapshot shows added, removed and rewritten entries.
pub type Tree = BTreeMap<String, Option<(Vec<u8>, SystemTime)>>;

pub fn snapshot(dir: &Path) -> Tree {
    let mut tree = Tree::new();
    if !dir.exists() {
        return tree;
    }
    for entry in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
        if entry.file_type().is_file() {
            let meta = entry.metadata().unwrap();
            tree.insert(rel, Some((fs::read(entry.path()).unwrap(), meta.modified().unwrap())));
        } else {
            tree.insert(rel, None);
        }
    }
    tree
}

/// The relative paths of the regular files under `dir`, sorted.
pub fn files(dir: &Path) -> Vec<String> {
    snapshot(dir).into_iter().filter(|(_, v)| v.is_some()).map(|(k, _)| k).collect()
}

pub fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Copy a directory tree (regular files and directories only).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else if entry.file_type().is_file() {
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}
