//! Finding and loading a project's configuration: the agb.yaml files a command acts on, each
//! split into one [`Config`] per target, narrowed with `--target`.
//!
//! Discovery (without `--config`), like git, cargo and jj: from the working directory upward,
//! the first directory that holds `agb.yaml` wins; a directory without one but with
//! `.gemini/agb.yaml`, `.claude/agb.yaml`, `.opencode/agb.yaml` or `.codex/agb.yaml` (a project
//! root with single-target configs) yields all of those, and the command acts on every one of
//! them. The walk stops after the first directory holding `.git` (a repository's root: a
//! configuration above it belongs to something else) or at the file system root. The home
//! directory's own `.claude/` etc. are the agents' user directories, not a project: they are
//! not picked up by the walk (run agb in them, or pass `--config`).
//!
//! Not here: validating the text (`parse`, `targets`).

use std::path::{Path, PathBuf};

use super::expand::absolute;
use super::targets::project_dir;
use super::{home_dir, Config, ConfigError};
use crate::names::Target;

/// What a command was asked to load.
#[derive(Debug, Clone, Copy)]
pub struct ProjectOptions<'a> {
    /// `--config FILE` (absolute or relative to `cwd`); discovery when `None`.
    pub config: Option<&'a Path>,
    /// Where discovery starts (`-C DIR` or the current directory).
    pub cwd: &'a Path,
    /// `--target T`: only that target's configuration.
    pub target: Option<Target>,
    /// `--user`: every output root in the agent's user directory.
    pub user: bool,
}

/// The configurations a command acts on: one per target, in file order (the files in the
/// order [`discover`] found them).
#[derive(Debug, Clone)]
pub struct Project {
    pub configs: Vec<Config>,
}

impl Project {
    /// Find (or take) the agb.yaml files and load them.
    pub fn load(options: ProjectOptions<'_>) -> Result<Project, ConfigError> {
        let home = home_dir();
        let files = match options.config {
            Some(path) => vec![options.cwd.join(path)],
            None => discover(options.cwd, home.as_deref())?,
        };
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let mut configs = Vec::new();
        for file in &files {
            let path = absolute(file);
            let text = Config::read(&path)?;
            configs.extend(Config::parse_all(&path, text, &env, home.as_deref(), options.user)?);
        }
        if let Some(target) = options.target {
            let available: Vec<String> = configs.iter().map(|c| c.target.to_string()).collect();
            configs.retain(|c| c.target == target);
            if configs.is_empty() {
                return Err(ConfigError::TargetNotConfigured {
                    path: files.first().map(|f| absolute(f)).unwrap_or_default(),
                    target: target.to_string(),
                    available: available.join(", "),
                });
            }
        }
        Ok(Project { configs })
    }

    /// More than one target: the commands print a header per target, and `--json` documents
    /// are wrapped in `{"targets": [...]}`.
    pub fn is_multi(&self) -> bool {
        self.configs.len() > 1
    }
}

/// The agb.yaml files a command run in `cwd` acts on (see the module doc). `home` is the
/// user's home directory, whose agent directories the walk skips.
pub fn discover(cwd: &Path, home: Option<&Path>) -> Result<Vec<PathBuf>, ConfigError> {
    let start = absolute(cwd);
    let mut dir = start.as_path();
    loop {
        let here = dir.join("agb.yaml");
        if here.is_file() {
            return Ok(vec![here]);
        }
        if Some(dir) != home {
            let below: Vec<PathBuf> = Target::ALL
                .iter()
                .map(|t| dir.join(project_dir(*t)).join("agb.yaml"))
                .filter(|p| p.is_file())
                .collect();
            if !below.is_empty() {
                return Ok(below);
            }
        }
        let at_repository_root = dir.join(".git").exists();
        match dir.parent() {
            Some(parent) if !at_repository_root => dir = parent,
            _ => {
                return Err(ConfigError::NotDiscovered {
                    path: start.join("agb.yaml"),
                    stop: dir.to_path_buf(),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "").unwrap();
    }

    #[test]
    fn nearest_agb_yaml_upward_wins() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path();
        std::fs::create_dir(root.join(".git")).unwrap();
        touch(&root.join("agb.yaml"));
        touch(&root.join(".claude/agb.yaml"));
        std::fs::create_dir_all(root.join(".claude/commands/x")).unwrap();
        std::fs::create_dir_all(root.join("src/deep")).unwrap();
        assert_eq!(discover(&root.join("src/deep"), None).unwrap(), vec![root.join("agb.yaml")]);
        assert_eq!(
            discover(&root.join(".claude/commands/x"), None).unwrap(),
            vec![root.join(".claude/agb.yaml")]
        );
    }

    #[test]
    fn a_project_root_yields_its_output_roots_configs() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path();
        touch(&root.join(".claude/agb.yaml"));
        touch(&root.join(".gemini/agb.yaml"));
        std::fs::create_dir(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("docs")).unwrap();
        let want = vec![root.join(".gemini/agb.yaml"), root.join(".claude/agb.yaml")];
        assert_eq!(discover(root, None).unwrap(), want);
        assert_eq!(discover(&root.join("docs"), None).unwrap(), want);
        // the home directory's agent directories are user scope, not a project
        assert!(discover(root, Some(root)).is_err());
    }

    #[test]
    fn the_walk_stops_at_a_repository_root() {
        let t = tempfile::tempdir().unwrap();
        touch(&t.path().join("agb.yaml"));
        let repo = t.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        let err = discover(&repo, None).unwrap_err();
        assert!(matches!(err, ConfigError::NotDiscovered { stop, .. } if stop == repo));
    }
}
