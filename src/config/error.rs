//! [`ConfigError`]: everything that can be wrong with agb.yaml, each variant with its code, its
//! help and (for problems in the text) a span into the file.
//!
//! Not here: finding the span (`parse`, with `text::Located`).

use std::path::PathBuf;

use miette::{NamedSource, SourceSpan};

/// Everything that can be wrong with agb.yaml.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ConfigError {
    #[error("no agb.yaml at {}", path.display())]
    #[diagnostic(
        code(agb::config::missing),
        help("run `agb init` to create one here, or point agb at a project with -C DIR or --config FILE")
    )]
    Missing { path: PathBuf },

    #[error("{} is a directory, not an agb.yaml file", path.display())]
    #[diagnostic(
        code(agb::config::is_directory),
        help(
            "--config takes the file (`--config DIR/agb.yaml`); to run in a project directory use `-C DIR`"
        )
    )]
    IsDirectory { path: PathBuf },

    #[error("cannot read {}", path.display())]
    #[diagnostic(code(agb::config::unreadable), help("check that the file is readable"))]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{}: not valid UTF-8", path.display())]
    #[diagnostic(code(agb::config::not_utf8), help("save agb.yaml as UTF-8"))]
    NotUtf8 { path: PathBuf },

    #[error("{}:{line}: invalid YAML: {message}", path.display())]
    #[diagnostic(code(agb::config::yaml), help("fix the YAML syntax at the marked place"))]
    Yaml {
        path: PathBuf,
        line: usize,
        message: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("{}:{line}: unknown key `{key}`", path.display())]
    #[diagnostic(code(agb::config::unknown_key))]
    UnknownKey {
        path: PathBuf,
        key: String,
        line: usize,
        #[source_code]
        src: NamedSource<String>,
        #[label("not a key of agb.yaml")]
        span: SourceSpan,
        #[help]
        advice: String,
    },

    #[error("{}: missing required key `{key}`", path.display())]
    #[diagnostic(code(agb::config::missing_key))]
    MissingKey {
        path: PathBuf,
        key: &'static str,
        #[source_code]
        src: NamedSource<String>,
        #[label("add `{key}:` to this file")]
        span: SourceSpan,
        #[help]
        advice: String,
    },

    #[error("{}:{line}: `{key}` must be {expected}", path.display())]
    #[diagnostic(code(agb::config::bad_type))]
    BadType {
        path: PathBuf,
        key: String,
        expected: &'static str,
        line: usize,
        #[source_code]
        src: NamedSource<String>,
        #[label("expected {expected}")]
        span: SourceSpan,
        #[help]
        advice: String,
    },

    #[error("{}:{line}: unknown target `{value}`", path.display())]
    #[diagnostic(code(agb::config::bad_target))]
    BadTarget {
        path: PathBuf,
        value: String,
        line: usize,
        #[source_code]
        src: NamedSource<String>,
        #[label("not a target")]
        span: SourceSpan,
        #[help]
        advice: String,
    },

    #[error("{}:{line}: invalid resource `{value}`: {reason}", path.display())]
    #[diagnostic(code(agb::config::bad_resource))]
    BadResource {
        path: PathBuf,
        value: String,
        reason: String,
        line: usize,
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        span: SourceSpan,
        #[help]
        advice: String,
    },

    #[error("{}:{line}: invalid exclude pattern {pattern:?}: {message}", path.display())]
    #[diagnostic(
        code(agb::config::bad_exclude),
        help("exclude patterns are globs such as \"*.tmp\" or \"**/drafts/**\"; quote them in YAML")
    )]
    BadExclude {
        path: PathBuf,
        pattern: String,
        message: String,
        line: usize,
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("{}:{line}: cannot expand `source: {value}`: {reason}", path.display())]
    #[diagnostic(code(agb::config::expand))]
    Expand {
        path: PathBuf,
        value: String,
        reason: String,
        line: usize,
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        span: SourceSpan,
        #[help]
        advice: String,
    },

    #[error("{}:{line}: {message}", path.display())]
    #[diagnostic(code(agb::config::conflicting))]
    Conflicting {
        path: PathBuf,
        line: usize,
        message: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        span: SourceSpan,
        #[help]
        advice: String,
    },

    #[error("{}:{line}: targets {first} and {second} have the same output root {}", path.display(), root.display())]
    #[diagnostic(
        code(agb::config::duplicate_root),
        help("each output root holds one target's outputs and manifest: name each target once, and give each its own `output:`")
    )]
    DuplicateRoot {
        path: PathBuf,
        line: usize,
        first: String,
        second: String,
        root: PathBuf,
        #[source_code]
        src: NamedSource<String>,
        #[label("second target writing there")]
        span: SourceSpan,
    },

    #[error("{}:{line}: no user directory for {target}: the home directory is unknown", path.display())]
    #[diagnostic(code(agb::config::no_home))]
    NoHome {
        path: PathBuf,
        line: usize,
        target: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("user scope asked for here")]
        span: SourceSpan,
        #[help]
        advice: String,
    },

    #[error("{}: no target {target} in this agb.yaml (it has {available})", path.display())]
    #[diagnostic(
        code(agb::config::target_not_configured),
        help("pass one of the targets the configuration names to --target, or add it to `targets:`")
    )]
    TargetNotConfigured { path: PathBuf, target: String, available: String },

    #[error("no agb.yaml at {}", path.display())]
    #[diagnostic(
        code(agb::config::missing),
        help("agb looks in the current directory and upward (here up to {}, stopping after a directory with .git), and at each level in .gemini/, .claude/, .opencode/ and .codex/; run `agb init` to create one, or point agb at it with -C DIR or --config FILE", stop.display())
    )]
    NotDiscovered {
        /// `agb.yaml` in the directory the search started from.
        path: PathBuf,
        /// The last directory looked at.
        stop: PathBuf,
    },
}
