//! Where each agent reads the global instructions file (issue 10, §3), so that the build can
//! place the source's `AGENTS.md` with one call ([`global_file`]).
//!
//! Facts (tests/agents/FINDINGS.md): in a project, Gemini CLI reads `GEMINI.md` from the working
//! directory up to the git root, OpenCode and Codex read `AGENTS.md` from the project root down
//! to the working directory; none reads `.gemini/GEMINI.md`, `.opencode/AGENTS.md` or
//! `.codex/AGENTS.md`. Claude Code reads `.claude/CLAUDE.md`. In the user scope (the output
//! root is `~/.gemini`, `~/.config/opencode`, `~/.codex`, `~/.claude`) the root is right.
//!
//! Not here: deciding the scope of an output root, sharing one `AGENTS.md` between two output
//! roots, edit protection (all in `outputs/`).

use crate::names::Target;

/// Whether an output root is a project's agent directory (`<project>/.gemini`…) or the
/// agent's user directory (`~/.gemini`…).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Project,
    User,
}

/// Where the global file goes, relative to the output root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlobalLocation {
    /// In the output root itself.
    OutputRoot,
    /// In the project root: the output root's parent.
    ProjectRoot,
}

/// The global instructions file of a target in a scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GlobalFile {
    pub name: &'static str,
    pub location: GlobalLocation,
}

impl GlobalFile {
    /// The path relative to the output root (`GEMINI.md` or `../GEMINI.md`).
    pub fn rel(self) -> String {
        match self.location {
            GlobalLocation::OutputRoot => self.name.to_string(),
            GlobalLocation::ProjectRoot => format!("../{}", self.name),
        }
    }
}

/// The file name and location rule of `target`'s global instructions file in `scope`.
pub fn global_file(target: Target, scope: Scope) -> GlobalFile {
    let name = match target {
        Target::GeminiCli => "GEMINI.md",
        Target::ClaudeCode => "CLAUDE.md",
        Target::Opencode | Target::Codex => "AGENTS.md",
        // Not `AGENTS.md` (the CLI reads it too): `.github/` is Copilot's own file's place.
        Target::Copilot => "copilot-instructions.md",
    };
    let location = match (target, scope) {
        (Target::ClaudeCode | Target::Copilot, _) | (_, Scope::User) => GlobalLocation::OutputRoot,
        (_, Scope::Project) => GlobalLocation::ProjectRoot,
    };
    GlobalFile { name, location }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_global_files_go_where_the_agents_read_them() {
        let rel = |t, s| global_file(t, s).rel();
        assert_eq!(rel(Target::GeminiCli, Scope::Project), "../GEMINI.md");
        assert_eq!(rel(Target::Opencode, Scope::Project), "../AGENTS.md");
        assert_eq!(rel(Target::Codex, Scope::Project), "../AGENTS.md");
        assert_eq!(rel(Target::ClaudeCode, Scope::Project), "CLAUDE.md");
        assert_eq!(rel(Target::Copilot, Scope::Project), "copilot-instructions.md");
        for t in Target::ALL {
            assert_eq!(global_file(t, Scope::User).location, GlobalLocation::OutputRoot);
            assert_eq!(global_file(t, Scope::User).name, super::super::global_file_name(t));
        }
    }
}
