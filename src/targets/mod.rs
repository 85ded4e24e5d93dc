//! The five target agents' own formats (SPEC §1.5): where each resource goes, how it is
//! rendered, and how an output is parsed back into description + body for sync.
//!
//! Pure: no I/O here. One file per target; this module dispatches. Shared pieces:
//! [`markdown`] (Markdown with YAML frontmatter, used by every target) and [`toml_text`]
//! (TOML strings and values written so that any content survives).
//!
//! The round-trip law: for every target, `parse(render(r))` gives back exactly `r`'s body and
//! description (the string value of `description`, see [`Resource::description`]), byte for byte.
//!
//! Not here: reading sources, writing files, deciding what changed (build and sync do that).

use std::path::PathBuf;
use std::sync::Arc;

use miette::{NamedSource, SourceSpan};

use crate::names::{ResourceKind, Target};
use crate::source::{Metadata, Resource};

mod claude;
mod claude_schema;
pub mod codex;
mod codex_schema;
mod copilot;
mod copilot_schema;
mod gemini;
mod gemini_schema;
pub mod global;
pub mod markdown;
mod opencode;
mod opencode_schema;
pub mod placeholders;
pub mod schema;
mod schema_translate;
pub mod toml_text;

pub use codex::{codex_config_descriptions, remove_agb_codex_agents, CODEX_CONFIG_FILE};
pub use global::{global_file, GlobalFile, GlobalLocation, Scope};
pub use schema::{check, Action, Warning};

/// One file a resource renders to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output root, `/`-separated. Codex skills and commands live in
    /// `../.agents/skills/<name>/…` (the only outputs allowed outside the root).
    pub rel: String,
    pub content: OutputContent,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputContent {
    /// Rendered text.
    Text(String),
    /// A skill extra copied byte for byte from the source (streamed, never held in memory).
    Copy { from: PathBuf, size: u64 },
}

/// Everything one resource renders to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The main file first, then (skills) the extras in the source's order, then any file agb
    /// adds (codex `agents/openai.yaml`).
    pub files: Vec<OutputFile>,
    /// What the target's schema left out, translated, renamed or added, and the body
    /// placeholders it has no equivalent for. Not printed here: the CLI does.
    pub warnings: Vec<Warning>,
}

/// What sync needs from an output: the description and the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub description: Option<String>,
    pub body: String,
}

/// Errors of rendering and parsing target files. Parse errors name the output file (relative
/// to the output root) and point at the line when it is known; plan-time check errors
/// ([`check`]) name the source file.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum TargetError {
    #[error("{file}: the frontmatter is not valid YAML (line {line}): {message}")]
    #[diagnostic(
        code(agb::targets::invalid_frontmatter),
        help("fix the YAML between the `---` lines, or run `agb build --force` to discard the edits")
    )]
    InvalidFrontmatter {
        file: String,
        line: usize,
        message: String,
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("here")]
        span: SourceSpan,
    },
    #[error("{file}: the frontmatter is not a mapping (line {line})")]
    #[diagnostic(
        code(agb::targets::frontmatter_not_mapping),
        help("the frontmatter must be `key: value` lines between the `---` lines")
    )]
    FrontmatterNotMapping {
        file: String,
        line: usize,
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("expected a mapping")]
        span: SourceSpan,
    },
    #[error("{file}: the frontmatter opened on line 1 is never closed")]
    #[diagnostic(
        code(agb::targets::unclosed_frontmatter),
        help("add a line that is exactly `---` after the frontmatter")
    )]
    UnclosedFrontmatter {
        file: String,
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("opened here")]
        span: SourceSpan,
    },
    #[error("{file}: not valid TOML (line {line}): {message}")]
    #[diagnostic(
        code(agb::targets::invalid_toml),
        help("fix the TOML syntax at that line, or run `agb build --force` to discard the edits")
    )]
    InvalidToml {
        file: String,
        line: usize,
        message: String,
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("here")]
        span: SourceSpan,
    },
    #[error("{file}: `{key}` is missing or not a string")]
    #[diagnostic(
        code(agb::targets::missing_key),
        help("agb reads the body from `{key}`; restore it as a TOML string, or run `agb build --force`")
    )]
    MissingKey { file: String, key: &'static str },
    #[error("{resource}: the metadata key `{key}` is reserved for the body in {target}")]
    #[diagnostic(
        code(agb::targets::reserved_key),
        help("remove `{key}` from the frontmatter, or set `{key}: null` in the `{target}` section of the resource's sidecar .yaml")
    )]
    ReservedKey { resource: String, key: &'static str, target: Target },
    #[error("{resource}: extra file path {rel:?} is not a plain relative path")]
    #[diagnostic(
        code(agb::targets::unsafe_extra_path),
        help("rename the file so its path has no `..`, `.` or empty components")
    )]
    UnsafeExtraPath { resource: String, rel: String },
    #[error("{resource}: the metadata cannot be written as YAML that reads back the same")]
    #[diagnostic(
        code(agb::targets::unrepresentable_metadata),
        help("simplify the metadata values (plain strings, numbers, lists, mappings); please report this as a bug")
    )]
    UnrepresentableMetadata { resource: String },
    #[error("{file}: {resource}: the name {name:?} is not valid for {target}: {rule}")]
    #[diagnostic(
        code(agb::targets::invalid_name),
        help("rename the file, or set a valid `name` in the `{target}` section of the resource's sidecar .yaml")
    )]
    InvalidName { resource: String, file: String, name: String, target: Target, rule: &'static str },
    #[error("{file}: {resource} has no description, and {target} drops or rejects a {kind} without one")]
    #[diagnostic(
        code(agb::targets::missing_description),
        help("add `description:` to the frontmatter, or to the `{target}` section of the resource's sidecar .yaml")
    )]
    MissingDescription { resource: String, file: String, target: Target, kind: ResourceKind },
    #[error("{file}: {resource}: the description has {len} characters; {target} takes at most {max}")]
    #[diagnostic(
        code(agb::targets::description_too_long),
        help("shorten it, or set a shorter one in the `{target}` section of the resource's sidecar .yaml")
    )]
    DescriptionTooLong { resource: String, file: String, target: Target, len: usize, max: usize },
    #[error("config.toml: not valid TOML (line {line}): {message}")]
    #[diagnostic(
        code(agb::targets::codex_config_syntax),
        help("config.toml is your Codex settings file and agb only edits its `[agents.<name>]` tables; fix the TOML at that line")
    )]
    CodexConfigSyntax {
        line: usize,
        message: String,
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("here")]
        span: SourceSpan,
    },
    #[error("config.toml: {message}")]
    #[diagnostic(
        code(agb::targets::codex_config),
        help("agb edits only the `[agents.<name>]` tables of Codex's config.toml; fix the file so `agents` is a table")
    )]
    CodexConfigShape { message: String },
}

/// Every file `resource` renders to for `target` (paths per SPEC §1.5), with the warnings of
/// the target's schema. Never fails on a metadata key or a name: call [`check`] first (at plan
/// time) for the errors the agent would make of the resource.
pub fn render(target: Target, resource: &Resource) -> Result<Rendered, TargetError> {
    match target {
        Target::GeminiCli => gemini::render(resource),
        Target::ClaudeCode => claude::render(resource),
        Target::Opencode => opencode::render(resource),
        Target::Codex => codex::render(resource),
        Target::Copilot => copilot::render(resource),
    }
}

/// The description and body back from an output's main file (the file at
/// [`main_output_rel`]). A Codex agent's description is the file's own `description`; an
/// output of an older agb without one falls back to `config.toml`'s `[agents.<name>]`
/// (`codex_config_toml`).
pub fn parse(
    target: Target,
    kind: ResourceKind,
    name: &str,
    main_file_text: &str,
    codex_config_toml: Option<&str>,
) -> Result<Parsed, TargetError> {
    let file = main_output_rel(target, kind, name);
    match (target, kind) {
        (Target::GeminiCli, ResourceKind::Command) => gemini::parse_command(&file, main_file_text),
        (Target::Codex, ResourceKind::Agent) => {
            codex::parse_agent(&file, name, main_file_text, codex_config_toml)
        }
        _ => markdown::parse_output(&file, main_file_text),
    }
}

/// Where one target puts things, relative to the output root (SPEC §1.5 table). Each target's
/// file holds its own `PATHS`; the functions below read them.
#[derive(Debug)]
struct TargetPaths {
    /// Where a command's main file goes.
    command: MainFile,
    /// Where an agent's main file goes.
    agent: MainFile,
    /// The directory holding one directory per skill (`<skills_dir>/<name>/SKILL.md` + extras).
    skills_dir: &'static str,
    /// The file the source's `AGENTS.md` (global instructions) is written to.
    global_file: &'static str,
    /// Whether skills live outside the output root (`skills_dir` starts with `../`): then, and
    /// only under `skills_dir`, outputs may leave it.
    skills_leave_root: bool,
}

/// Where a command's or an agent's main file goes.
#[derive(Debug)]
enum MainFile {
    /// `<dir>/<name>.<ext>`
    File { dir: &'static str, ext: &'static str },
    /// The resource is written as a skill: `<skills_dir>/<name>/SKILL.md`.
    Skill,
}

fn paths(target: Target) -> &'static TargetPaths {
    match target {
        Target::GeminiCli => &gemini::PATHS,
        Target::ClaudeCode => &claude::PATHS,
        Target::Opencode => &opencode::PATHS,
        Target::Codex => &codex::PATHS,
        Target::Copilot => &copilot::PATHS,
    }
}

/// Where a resource's main file goes, relative to the output root (SPEC §1.5 table).
pub fn main_output_rel(target: Target, kind: ResourceKind, name: &str) -> String {
    let paths = paths(target);
    let main = match kind {
        ResourceKind::Command => &paths.command,
        ResourceKind::Agent => &paths.agent,
        ResourceKind::Skill => &MainFile::Skill,
    };
    match main {
        MainFile::File { dir, ext } => format!("{dir}/{name}.{ext}"),
        MainFile::Skill => format!("{}/SKILL.md", skill_dir_rel(target, name)),
    }
}

/// The reverse of [`main_output_rel`] and [`skill_dir_rel`], for `agb adopt`: which kind and
/// name a path relative to the output root is the output of. A command's or agent's main file
/// (`commands/x.md`), a skill's directory (`skills/x`) or any file in it (`skills/x/SKILL.md`)
/// match; anything else (a nested `commands/git/x.toml`, OpenCode's singular `agent/`) is
/// `None`. A Codex command is a skill on disk, so it comes back as [`ResourceKind::Skill`].
pub fn resource_of_output(target: Target, rel: &str) -> Option<(ResourceKind, &str)> {
    let paths = paths(target);
    if let Some(rest) = rel.strip_prefix(paths.skills_dir).and_then(|r| r.strip_prefix('/')) {
        let name = rest.split('/').next().filter(|n| is_plain_component(n))?;
        return Some((ResourceKind::Skill, name));
    }
    for (kind, main) in [(ResourceKind::Command, &paths.command), (ResourceKind::Agent, &paths.agent)] {
        let MainFile::File { dir, ext } = main else { continue };
        let name = rel
            .strip_prefix(dir)
            .and_then(|r| r.strip_prefix('/'))
            .and_then(|r| r.strip_suffix(ext))
            .and_then(|r| r.strip_suffix('.'))
            .filter(|n| is_plain_component(n) && !n.contains('/'));
        if let Some(name) = name {
            return Some((kind, name));
        }
    }
    None
}

/// The directory of a skill's output (its `SKILL.md` and extras), relative to the output root.
/// For Codex this is also where a command goes (a Codex command is a skill).
pub fn skill_dir_rel(target: Target, name: &str) -> String {
    format!("{}/{name}", paths(target).skills_dir)
}

/// The file the source's `AGENTS.md` (global instructions) is written to, in the output root.
pub fn global_file_name(target: Target) -> &'static str {
    paths(target).global_file
}

/// The names a global instructions file has in a project root ([`global_file`] in
/// [`Scope::Project`] with [`GlobalLocation::ProjectRoot`]).
pub const PROJECT_GLOBAL_FILES: [&str; 2] = ["AGENTS.md", "GEMINI.md"];

/// Whether an output path may lie outside the output root: the target's global file in the
/// project root (`../AGENTS.md`, `../GEMINI.md`), and a skill's files of a target whose skills
/// live outside it (Codex's `../.agents/skills/<name>/…`), then only with plain components after
/// that prefix. Every other output must be inside the root (build still joins with
/// `fsutil::join_inside`).
pub fn may_leave_output_root(target: Target, rel: &str) -> bool {
    if rel == global_file(target, Scope::Project).rel() && rel.starts_with("../") {
        return true;
    }
    let paths = paths(target);
    if !paths.skills_leave_root {
        return false;
    }
    let Some(rest) = rel.strip_prefix(paths.skills_dir).and_then(|r| r.strip_prefix('/')) else {
        return false;
    };
    // At least `<name>/<file>`, every component plain (no `..` back into the root or beyond).
    rest.split('/').count() >= 2
        && rest.split('/').all(|c| is_plain_component(c) && !c.contains('\\') && !c.contains(':'))
}

/// A path component that cannot move the path anywhere unexpected.
fn is_plain_component(c: &str) -> bool {
    !c.is_empty() && c != "." && c != ".."
}

/// Check a skill extra's relative path before it becomes an output path (the scanner gives
/// clean paths; this keeps `render` safe on its own).
fn check_extra_rel(resource: &Resource, rel: &str) -> Result<(), TargetError> {
    if rel.split('/').all(is_plain_component) {
        Ok(())
    } else {
        Err(TargetError::UnsafeExtraPath { resource: resource.id.to_string(), rel: rel.to_string() })
    }
}

/// The main file (Markdown) plus the extras of a skill (or a Codex command, which has none),
/// under `dir`.
fn markdown_with_extras(
    resource: &Resource,
    dir: &str,
    metadata: &Metadata,
) -> Result<Vec<OutputFile>, TargetError> {
    let text = markdown::render(metadata, &resource.body)
        .ok_or_else(|| TargetError::UnrepresentableMetadata { resource: resource.id.to_string() })?;
    let mut files = vec![OutputFile { rel: format!("{dir}/SKILL.md"), content: OutputContent::Text(text) }];
    for extra in &resource.extras {
        check_extra_rel(resource, &extra.rel)?;
        files.push(OutputFile {
            rel: format!("{dir}/{}", extra.rel),
            content: OutputContent::Copy { from: extra.path.clone(), size: extra.size },
        });
    }
    Ok(files)
}

/// Render a plain Markdown resource (`<dir>/<name>.md` or a skill) the way Claude Code and
/// OpenCode (and Gemini / Codex for some kinds) do: merged metadata as frontmatter, body exact.
fn render_markdown_resource(
    target: Target,
    resource: &Resource,
    metadata: &Metadata,
) -> Result<Rendered, TargetError> {
    let name = resource.id.name.as_str();
    let files = match resource.id.kind {
        ResourceKind::Skill => markdown_with_extras(resource, &skill_dir_rel(target, name), metadata)?,
        kind => {
            let text = markdown::render(metadata, &resource.body)
                .ok_or_else(|| TargetError::UnrepresentableMetadata { resource: resource.id.to_string() })?;
            vec![OutputFile { rel: main_output_rel(target, kind, name), content: OutputContent::Text(text) }]
        }
    };
    Ok(Rendered { files, ..Rendered::default() })
}

/// Miette source + span + line for an error at byte `offset` of `text` in output file `file`
/// (shared: [`TargetError`] stays small).
fn located(file: &str, text: &str, offset: usize) -> (Arc<NamedSource<String>>, SourceSpan, usize) {
    let at = crate::text::Located::at(file, text, offset);
    (Arc::new(at.src), at.span, at.line)
}

#[cfg(test)]
mod snapshot_tests;
#[cfg(test)]
pub(crate) mod test_support;

#[cfg(test)]
mod tests {
    use super::test_support::{extra, resource};
    use super::*;

    #[test]
    fn output_paths_follow_the_spec_table() {
        use ResourceKind::*;
        let expect = [
            (Target::GeminiCli, ["commands/n.toml", "agents/n.md", "skills/n/SKILL.md"], "GEMINI.md"),
            (Target::ClaudeCode, ["commands/n.md", "agents/n.md", "skills/n/SKILL.md"], "CLAUDE.md"),
            (Target::Opencode, ["commands/n.md", "agents/n.md", "skills/n/SKILL.md"], "AGENTS.md"),
            (
                Target::Codex,
                ["../.agents/skills/n/SKILL.md", "agents/n.toml", "../.agents/skills/n/SKILL.md"],
                "AGENTS.md",
            ),
            (
                Target::Copilot,
                ["skills/n/SKILL.md", "agents/n.agent.md", "skills/n/SKILL.md"],
                "copilot-instructions.md",
            ),
        ];
        for (target, mains, global) in expect {
            for (kind, main) in [Command, Agent, Skill].into_iter().zip(mains) {
                assert_eq!(main_output_rel(target, kind, "n"), main, "{target} {kind}");
                let r = resource(kind, "n", "description: d", "b");
                assert_eq!(render(target, &r).unwrap().files[0].rel, main, "{target} {kind}");
            }
            assert_eq!(global_file_name(target), global);
        }
    }

    #[test]
    fn outputs_map_back_to_their_kind_and_name() {
        use ResourceKind::*;
        for target in Target::ALL {
            for kind in [Command, Agent, Skill] {
                let main = main_output_rel(target, kind, "n");
                let commands_are_skills = matches!(target, Target::Codex | Target::Copilot);
                let back = if commands_are_skills && kind == Command { Skill } else { kind };
                assert_eq!(resource_of_output(target, &main), Some((back, "n")), "{target} {main}");
            }
            assert_eq!(resource_of_output(target, &skill_dir_rel(target, "s")), Some((Skill, "s")));
        }
        assert_eq!(resource_of_output(Target::GeminiCli, "commands/git/commit.toml"), None);
        assert_eq!(resource_of_output(Target::GeminiCli, "commands/x.md"), None);
        assert_eq!(resource_of_output(Target::Opencode, "agent/x.md"), None);
        assert_eq!(resource_of_output(Target::ClaudeCode, "skills/../x"), None);
        assert_eq!(resource_of_output(Target::ClaudeCode, "CLAUDE.md"), None);
    }

    #[test]
    fn only_codex_skills_and_project_global_files_may_leave_the_root() {
        assert!(may_leave_output_root(Target::Codex, "../.agents/skills/n/SKILL.md"));
        assert!(may_leave_output_root(Target::Codex, "../.agents/skills/n/ref/a.txt"));
        assert!(!may_leave_output_root(Target::Codex, "../.agents/skills/../../x/SKILL.md"));
        assert!(!may_leave_output_root(Target::Codex, "../.agents/skills/n"));
        assert!(!may_leave_output_root(Target::Codex, "../other/n/SKILL.md"));
        assert!(!may_leave_output_root(Target::ClaudeCode, "../.agents/skills/n/SKILL.md"));
        assert!(may_leave_output_root(Target::Codex, "../AGENTS.md"));
        assert!(may_leave_output_root(Target::Opencode, "../AGENTS.md"));
        assert!(may_leave_output_root(Target::GeminiCli, "../GEMINI.md"));
        assert!(!may_leave_output_root(Target::GeminiCli, "../AGENTS.md"));
        assert!(!may_leave_output_root(Target::ClaudeCode, "../CLAUDE.md"));
        assert!(!may_leave_output_root(Target::Codex, "../../AGENTS.md"));
    }

    #[test]
    fn skills_get_a_name_where_the_agent_requires_one() {
        let text = |target, kind, yaml| {
            let r = resource(kind, "sk", yaml, "b");
            match &render(target, &r).unwrap().files[0].content {
                OutputContent::Text(t) => t.clone(),
                other => panic!("{other:?}"),
            }
        };
        use ResourceKind::*;
        for (target, kind) in [
            (Target::Codex, Skill),
            (Target::Codex, Command),
            (Target::Copilot, Skill),
            (Target::Copilot, Command),
            (Target::Opencode, Skill),
            (Target::GeminiCli, Skill),
        ] {
            assert_eq!(
                text(target, kind, "description: d"),
                "---\nname: sk\ndescription: d\n---\nb",
                "{target} {kind}"
            );
            assert_eq!(
                text(target, kind, "description: d\nname: ~"),
                "---\nname: sk\ndescription: d\n---\nb"
            );
            assert_eq!(
                text(target, kind, "description: d\nname: Own"),
                "---\ndescription: d\nname: Own\n---\nb"
            );
        }
        assert_eq!(text(Target::ClaudeCode, Skill, "description: d"), "---\ndescription: d\n---\nb");
        assert_eq!(text(Target::Opencode, Command, "description: d"), "---\ndescription: d\n---\nb");
    }

    #[test]
    fn skills_carry_their_extras_as_copies() {
        let mut r = resource(ResourceKind::Skill, "sk", "", "body");
        r.extras = vec![extra("ref/notes.txt", 5)];
        let out = render(Target::ClaudeCode, &r).unwrap();
        assert_eq!(out.files[1].rel, "skills/sk/ref/notes.txt");
        assert_eq!(
            out.files[1].content,
            OutputContent::Copy { from: PathBuf::from("/src/extras/ref/notes.txt"), size: 5 }
        );
        r.extras = vec![extra("../escape", 1)];
        assert!(matches!(render(Target::ClaudeCode, &r), Err(TargetError::UnsafeExtraPath { .. })));
    }
}
