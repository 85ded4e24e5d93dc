//! Helpers for the `agb build` black-box tests: a small source repository written from code, a
//! project per target, and `agb` run in a [`Sandbox`].

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub use super::files::{files, snapshot, wait_for_newer_mtimes, Tree};
pub use super::{read, write, Sandbox};

/// A temp dir holding `source/` and `project/`, plus isolated HOME/cache/git config.
pub struct World {
    pub dir: Sandbox,
}

impl World {
    /// A source with two plugins: commands, agents, a skill with nested extras, an
    /// `overrides.yaml`, a `requirements.yaml` and global instructions.
    pub fn new() -> World {
        let w = World { dir: Sandbox::new() };
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
            "copilot" => ".github",
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

    /// `agb -C <output root of target> <args>`, isolated (see [`Sandbox`]).
    pub fn agb(&self, target: &str, args: &[&str]) -> Command {
        let mut cmd = self.dir.agb();
        cmd.arg("-C").arg(self.out(target)).args(args);
        cmd
    }
}
