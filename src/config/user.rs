//! The agents' user directories (`agb build --user`, `scope: user`): where each agent reads the
//! user's own commands, agents, skills and global instructions, following the environment
//! overrides each agent documents (checked versions in docs/targets.md, "User scope"):
//!
//! - Claude Code: `$CLAUDE_CONFIG_DIR`, else `~/.claude`.
//! - Gemini CLI: `$GEMINI_CLI_HOME/.gemini` (the variable replaces the home directory), else
//!   `~/.gemini`.
//! - OpenCode: `$OPENCODE_CONFIG_DIR`, else `$XDG_CONFIG_HOME/opencode`, else
//!   `~/.config/opencode`.
//! - Codex: `$CODEX_HOME`, else `~/.codex`.
//! - Copilot CLI: `$COPILOT_HOME`, else `~/.copilot`.
//!
//! Not here: where each output goes below the directory (`targets`), which scope an output root
//! is in when built (`outputs::Layout::scope`, which asks [`user_dirs`]).

use std::path::{Path, PathBuf};

use crate::names::Target;

/// The user directory `target` reads, as `env` and `home` say; `None` when it depends on a home
/// directory that is unknown.
pub fn user_dir(
    target: Target,
    env: &dyn Fn(&str) -> Option<String>,
    home: Option<&Path>,
) -> Option<PathBuf> {
    let var = |name: &str| env(name).filter(|v| !v.trim().is_empty()).map(PathBuf::from);
    match target {
        Target::ClaudeCode => var("CLAUDE_CONFIG_DIR").or_else(|| home.map(|h| h.join(".claude"))),
        Target::GeminiCli => {
            var("GEMINI_CLI_HOME").or_else(|| home.map(Path::to_path_buf)).map(|h| h.join(".gemini"))
        }
        Target::Opencode => var("OPENCODE_CONFIG_DIR")
            .or_else(|| var("XDG_CONFIG_HOME").map(|x| x.join("opencode")))
            .or_else(|| home.map(|h| h.join(".config/opencode"))),
        Target::Codex => var("CODEX_HOME").or_else(|| home.map(|h| h.join(".codex"))),
        Target::Copilot => var("COPILOT_HOME").or_else(|| home.map(|h| h.join(".copilot"))),
    }
}

/// Every directory that is `target`'s user directory for this process: the one [`user_dir`]
/// gives and the default one under `$HOME` (an output root there is in the user scope even when
/// an override points elsewhere now).
pub fn user_dirs(target: Target) -> Vec<PathBuf> {
    let env = |name: &str| std::env::var(name).ok();
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
    let no_env = |_: &str| None;
    let mut dirs: Vec<PathBuf> = Vec::new();
    dirs.extend(user_dir(target, &env, home.as_deref()));
    dirs.extend(user_dir(target, &no_env, home.as_deref()));
    if target == Target::Opencode {
        // XDG_CONFIG_HOME's directory is OpenCode's own even when OPENCODE_CONFIG_DIR is set.
        let xdg = |name: &str| (name == "XDG_CONFIG_HOME").then(|| env(name)).flatten();
        dirs.extend(user_dir(target, &xdg, home.as_deref()));
    }
    dirs.dedup();
    dirs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_win_over_the_home_directory() {
        let home = Some(Path::new("/h"));
        let none = |_: &str| None;
        assert_eq!(user_dir(Target::ClaudeCode, &none, home), Some(PathBuf::from("/h/.claude")));
        assert_eq!(user_dir(Target::GeminiCli, &none, home), Some(PathBuf::from("/h/.gemini")));
        assert_eq!(user_dir(Target::Opencode, &none, home), Some(PathBuf::from("/h/.config/opencode")));
        assert_eq!(user_dir(Target::Codex, &none, home), Some(PathBuf::from("/h/.codex")));
        let env = |name: &str| {
            let dir = match name {
                "CLAUDE_CONFIG_DIR" => "/c",
                "GEMINI_CLI_HOME" => "/g",
                "OPENCODE_CONFIG_DIR" => "/o",
                "CODEX_HOME" => "/x",
                _ => return None,
            };
            Some(dir.to_string())
        };
        assert_eq!(user_dir(Target::ClaudeCode, &env, None), Some(PathBuf::from("/c")));
        assert_eq!(user_dir(Target::GeminiCli, &env, None), Some(PathBuf::from("/g/.gemini")));
        assert_eq!(user_dir(Target::Opencode, &env, None), Some(PathBuf::from("/o")));
        assert_eq!(user_dir(Target::Codex, &env, None), Some(PathBuf::from("/x")));
        assert_eq!(user_dir(Target::Codex, &none, None), None);
    }
}
