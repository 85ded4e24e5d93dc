//! Helpers for the sync CLI tests: a source repository and a project in a [`Sandbox`], and
//! `agb` run in it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use assert_cmd::Command;

pub use super::Sandbox;

pub struct World {
    pub dir: Sandbox,
    pub source: PathBuf,
    /// The output root (the directory of agb.yaml).
    pub root: PathBuf,
}

pub const TARGETS: [&str; 5] = ["gemini-cli", "claude-code", "opencode", "codex", "copilot"];

impl World {
    /// A source with one command, one agent and one skill (with extras) in plugin `p`, and a
    /// project for `target` that selects them all. Codex's output root is `proj/.codex`,
    /// Copilot's `proj/.github`.
    pub fn new(target: &str) -> World {
        let dir = Sandbox::new();
        let source = dir.path().join("src");
        let root = match target {
            "codex" => dir.path().join("proj/.codex"),
            "copilot" => dir.path().join("proj/.github"),
            _ => dir.path().join("proj/out"),
        };
        let w = World { dir, source, root };
        w.write_source(
            "plugins/p/commands/c.md",
            "---\n# keep me\ndescription: Search the web   # why\nmodel: sonnet\n---\nDo $ARGUMENTS now.\n",
        );
        w.write_source(
            "plugins/p/agents/a.md",
            "---\nname: a\ndescription: \"An agent\"\n---\nYou are an agent.\n",
        );
        w.write_source(
            "plugins/p/skills/sk/SKILL.md",
            "---\nname: sk\ndescription: |\n  A skill\n---\nSkill body\n",
        );
        w.write_source("plugins/p/skills/sk/ref/notes.txt", "notes\n");
        w.write_source("plugins/p/skills/sk/keep.txt", "keep\n");
        w.write_source("plugins/p/skills/sk/scratch.tmp", "excluded\n");
        w.write_config(target, "[p:c]", "[p:a]", "[p:sk]");
        w
    }

    pub fn write_config(&self, target: &str, commands: &str, agents: &str, skills: &str) {
        fs::create_dir_all(&self.root).unwrap();
        let text = format!(
            "source: {}\ntarget: {target}\nexclude: [\"*.tmp\"]\nresources:\n  commands: {commands}\n  agents: {agents}\n  skills: {skills}\n",
            self.source.display()
        );
        fs::write(self.root.join("agb.yaml"), text).unwrap();
    }

    pub fn write_source(&self, rel: &str, text: &str) {
        let p = self.source.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    pub fn read_source(&self, rel: &str) -> String {
        fs::read_to_string(self.source.join(rel)).unwrap()
    }

    /// A path relative to the output root (`../.agents/...` allowed).
    pub fn out(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn read_out(&self, rel: &str) -> String {
        fs::read_to_string(self.out(rel)).unwrap()
    }

    pub fn write_out(&self, rel: &str, text: &str) {
        let p = self.out(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    /// `agb` in the output root, isolated (see [`Sandbox`]).
    pub fn agb(&self) -> Command {
        self.dir.agb_in(&self.root)
    }

    /// The same as a std `Command`, to spawn and kill or to wire stdio freely.
    pub fn agb_std(&self) -> std::process::Command {
        let mut cmd = self.dir.agb_std();
        cmd.current_dir(&self.root);
        cmd
    }

    /// Run `agb <args>` and return (exit code, stdout, stderr).
    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = self.agb().args(args).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Run and assert the exit code; returns stdout + stderr for messages.
    pub fn ok(&self, args: &[&str], code: i32) -> String {
        let (c, out, err) = self.run(args);
        assert_eq!(c, code, "agb {args:?}\nstdout:\n{out}\nstderr:\n{err}");
        format!("{out}{err}")
    }

    pub fn build(&self) {
        self.ok(&["build"], 0);
    }

    /// [`World::new`] built from old source files, so the build records its inputs (none is
    /// "racy") and the next build or sync can answer from stats alone.
    pub fn built(target: &str) -> World {
        let w = World::new(target);
        super::files::backdate_files(&w.source);
        w.build();
        w
    }

    /// [`World::built`], with the commands selected by the glob `p:*`: a command added to the
    /// source is selected without an edit of agb.yaml, so only the listing of
    /// `plugins/p/commands` can tell a build about it.
    pub fn built_with_command_glob(target: &str) -> World {
        let w = World::new(target);
        w.write_config(target, "[\"p:*\"]", "[p:a]", "[p:sk]");
        super::files::backdate_files(&w.source);
        w.build();
        w
    }

    /// Every file under the source with its bytes and mtime.
    pub fn snapshot_source(&self) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
        snapshot(&self.source)
    }
}

pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().unwrap();
            (e.path().to_path_buf(), (fs::read(e.path()).unwrap(), meta.modified().unwrap()))
        })
        .collect()
}

/// Where each resource's main output is, per target.
/// Where a command named `name` of plugin `p` is built for `target`.
pub fn command_out_named(target: &str, name: &str) -> String {
    command_out(target).replace("/c.", &format!("/{name}.")).replace("skills/c/", &format!("skills/{name}/"))
}

pub fn command_out(target: &str) -> &'static str {
    match target {
        "gemini-cli" => "commands/c.toml",
        "codex" => "../.agents/skills/c/SKILL.md",
        "copilot" => "skills/c/SKILL.md",
        _ => "commands/c.md",
    }
}

pub fn agent_out(target: &str) -> &'static str {
    match target {
        "codex" => "agents/a.toml",
        "copilot" => "agents/a.agent.md",
        _ => "agents/a.md",
    }
}

pub fn skill_dir(target: &str) -> &'static str {
    match target {
        "codex" => "../.agents/skills/sk",
        _ => "skills/sk",
    }
}
