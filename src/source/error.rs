//! The errors of loading resources from a source repository.

use std::path::PathBuf;

use miette::{NamedSource, SourceSpan};

use super::frontmatter::FrontmatterError;

/// Everything that can stop loading the selected resources. Each names the file at fault.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum SourceError {
    #[error("the source repository {} does not exist", path.display())]
    #[diagnostic(
        code(agb::source::missing),
        help("check `source:` in agb.yaml (a relative path is relative to the directory of agb.yaml)")
    )]
    Missing { path: PathBuf },

    #[error("the source {} has no plugins/ directory, so none of the {count} selected resources can be in it", path.display())]
    #[diagnostic(
        code(agb::source::no_plugins),
        help("point `source:` in agb.yaml at a directory holding plugins/<plugin>/{{commands,agents,skills}}, or create a starter one with `agb init --new-source DIR`")
    )]
    NoPlugins { path: PathBuf, count: usize },

    #[error("{} is not a directory", path.display())]
    #[diagnostic(code(agb::source::not_a_directory), help("`source:` in agb.yaml must name a directory"))]
    NotADirectory { path: PathBuf },

    #[error("cannot read {}", path.display())]
    #[diagnostic(code(agb::source::unreadable), help("check that it exists and that you may read it"))]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{}:{line}: not valid UTF-8", path.display())]
    #[diagnostic(
        code(agb::source::not_utf8),
        help("resource files must be UTF-8 text; re-save the file as UTF-8")
    )]
    NotUtf8 { path: PathBuf, line: usize },

    #[error("{}: the file name is not valid UTF-8", path.display())]
    #[diagnostic(
        code(agb::source::not_utf8_path),
        help("rename the file; agb keeps paths as UTF-8 in its manifest")
    )]
    NotUtf8Path { path: PathBuf },

    #[error(transparent)]
    #[diagnostic(transparent)]
    Frontmatter(#[from] FrontmatterError),

    #[error("{}:{line}: no {kind} `{id}` in the source", config.display())]
    #[diagnostic(code(agb::source::unknown_resource))]
    UnknownResource {
        config: PathBuf,
        kind: crate::names::ResourceKind,
        id: String,
        line: usize,
        #[source_code]
        src: NamedSource<String>,
        #[label("not found in {source_dir}")]
        span: SourceSpan,
        source_dir: String,
        #[help]
        advice: String,
    },

    #[error("{}:{line}: `{pattern}` matches no {what} in the source", config.display())]
    #[diagnostic(code(agb::source::unmatched_pattern))]
    UnmatchedPattern {
        config: PathBuf,
        pattern: String,
        /// `plugin` or `command`/`agent`/`skill`.
        what: String,
        line: usize,
        #[source_code]
        src: NamedSource<String>,
        #[label("matches nothing in {source_dir}")]
        span: SourceSpan,
        source_dir: String,
        #[help]
        advice: String,
    },

    #[error("{} selected {kind}s are named `{name}`: {}", count_word(files.len()), list_paths(files))]
    #[diagnostic(
        code(agb::source::conflict),
        help(
            "a project can hold only one {kind} of each name; keep one of them in `resources:` in agb.yaml"
        )
    )]
    Conflict {
        kind: crate::names::ResourceKind,
        name: String,
        /// Every selected file with that name (at least two), in agb.yaml order.
        files: Vec<PathBuf>,
    },

    #[error("{} and {} both exist", first.display(), second.display())]
    #[diagnostic(
        code(agb::source::sidecar::ambiguous),
        help("keep one sidecar per resource: merge them into the `.yaml` file and delete the `.yml`")
    )]
    AmbiguousSidecar { first: PathBuf, second: PathBuf },

    #[error("{}:{line}: {message}", path.display())]
    #[diagnostic(code(agb::source::sidecar::invalid))]
    Sidecar {
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

    #[error("{}:{line}: {message}", path.display())]
    #[diagnostic(code(agb::source::overrides::invalid))]
    Overrides {
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

    #[error("{}:{line}: {message}", path.display())]
    #[diagnostic(code(agb::source::requirements::invalid))]
    Requirements {
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

    #[error("{count} missing {}:\n{list}", if *count == 1 { "dependency" } else { "dependencies" })]
    #[diagnostic(
        code(agb::source::missing_dependency),
        help(
            "add the missing resources to `resources:` in agb.yaml, or deselect the resources that need them"
        )
    )]
    MissingDependencies {
        count: usize,
        /// One line per missing dependency: `  agent p:a needs skill q:s (declared in …)`.
        list: String,
    },

    #[error("{count} problems with the selected resources{}", if errors.len() < *count { format!(" (the first {} are shown)", errors.len()) } else { String::new() })]
    #[diagnostic(code(agb::source::many), help("fix each problem listed below"))]
    Many {
        count: usize,
        /// The problems, at most [`SourceError::MAX_SHOWN`] of them (a wrong `source:` can make
        /// thousands; the first ones tell the story).
        #[related]
        errors: Vec<SourceError>,
    },
}

fn count_word(n: usize) -> String {
    match n {
        2 => "two".to_string(),
        3 => "three".to_string(),
        n => n.to_string(),
    }
}

fn list_paths(files: &[PathBuf]) -> String {
    let shown: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    match shown.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

impl SourceError {
    /// How many problems a [`SourceError::Many`] shows.
    pub const MAX_SHOWN: usize = 50;

    /// One error as is, several as [`SourceError::Many`]. `errors` must not be empty.
    pub(crate) fn combine(errors: Vec<SourceError>) -> SourceError {
        // nested lists (from a sub-check) are flattened: one level of problems reads best
        let mut errors: Vec<SourceError> = errors
            .into_iter()
            .flat_map(|e| match e {
                SourceError::Many { errors, .. } => errors,
                other => vec![other],
            })
            .collect();
        if errors.len() == 1 {
            return errors.pop().expect("one error");
        }
        let count = errors.len();
        errors.truncate(Self::MAX_SHOWN);
        SourceError::Many { count, errors }
    }
}
