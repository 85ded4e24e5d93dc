//! The one exclude function of SPEC §1.1, shared by build and sync.
//!
//! A file is excluded when any `exclude:` glob of agb.yaml matches its **canonical path** — the
//! path relative to `SOURCE/plugins/`, `/`-separated (e.g. `p1/skills/sk/ref/notes.txt`) — or its
//! file name alone. Globs follow globset with `*` also matching `/`.
//!
//! Build asks it for every skill extra; sync asks it for project-side files, using the source path
//! the file *would* have, so a file excluded at build is never deleted or added by sync.
//!
//! A resource's main file (`<name>.md`, `SKILL.md`) and its sidecar (`<name>.yaml|.yml`,
//! `SKILL.yaml|.yml`) are never excluded: callers must not ask about them (this function does not
//! know which files those are and would answer by the patterns alone).

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// A bad pattern in `exclude:`.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("invalid exclude pattern {pattern:?}: {message}")]
#[diagnostic(
    code(agb::exclude::invalid_glob),
    help("exclude patterns are globs such as \"*.tmp\" or \"**/drafts/**\"; quote them in YAML")
)]
pub struct ExcludeError {
    pub pattern: String,
    pub message: String,
}

/// The compiled `exclude:` patterns of a config.
#[derive(Debug, Clone)]
pub struct Excludes {
    patterns: Vec<String>,
    set: GlobSet,
}

impl Default for Excludes {
    fn default() -> Self {
        Excludes::none()
    }
}

impl Excludes {
    /// Compile the patterns; the first invalid one is an error.
    pub fn new<I, S>(patterns: I) -> Result<Self, ExcludeError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut builder = GlobSetBuilder::new();
        let mut kept = Vec::new();
        for p in patterns {
            let p = p.as_ref();
            let glob = GlobBuilder::new(p)
                .literal_separator(false)
                .backslash_escape(true)
                .build()
                .map_err(|e| ExcludeError { pattern: p.to_string(), message: e.kind().to_string() })?;
            builder.add(glob);
            kept.push(p.to_string());
        }
        let set =
            builder.build().map_err(|e| ExcludeError { pattern: kept.join(", "), message: e.to_string() })?;
        Ok(Excludes { patterns: kept, set })
    }

    /// No patterns: nothing is excluded.
    pub fn none() -> Self {
        Excludes { patterns: Vec::new(), set: GlobSet::empty() }
    }

    /// The patterns as written in agb.yaml.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// Whether the file at `plugins_rel_path` (relative to `SOURCE/plugins/`, `/`-separated) is
    /// excluded: a pattern matches the whole path or the file name alone.
    pub fn is_excluded(&self, plugins_rel_path: &str) -> bool {
        if self.patterns.is_empty() {
            return false;
        }
        let file_name = plugins_rel_path.rsplit('/').next().unwrap_or(plugins_rel_path);
        self.set.is_match(plugins_rel_path) || self.set.is_match(file_name)
    }
}

/// The canonical path of a skill's extra: `<plugin>/skills/<skill>/<rel>` (relative to
/// `SOURCE/plugins/`). Build and sync both ask [`Excludes::is_excluded`] with this path, so a file
/// excluded at build is never added or deleted by sync.
pub fn skill_extra_path(skill: &crate::names::ResourceId, rel: &str) -> String {
    format!("{}/skills/{}/{rel}", skill.plugin, skill.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(p: &[&str]) -> Excludes {
        Excludes::new(p.iter().copied()).unwrap()
    }

    #[test]
    fn matches_file_name_alone() {
        let e = ex(&["*.tmp"]);
        assert!(e.is_excluded("p1/skills/sk/ref/notes.tmp"));
        assert!(e.is_excluded("p1/skills/sk/x.tmp"));
        assert!(!e.is_excluded("p1/skills/sk/x.tmp.md"));
    }

    #[test]
    fn star_crosses_slashes_on_the_canonical_path() {
        let e = ex(&["p1/*/notes.txt"]);
        assert!(e.is_excluded("p1/skills/sk/ref/notes.txt"));
        assert!(!e.is_excluded("p2/skills/sk/ref/notes.txt"));
    }

    #[test]
    fn double_star_patterns() {
        let e = ex(&["**/*.ko.md", "**/drafts/**"]);
        assert!(e.is_excluded("p/skills/s/docs/a.ko.md"));
        assert!(e.is_excluded("p/skills/s/drafts/x/y.md"));
        assert!(!e.is_excluded("p/skills/s/docs/a.md"));
    }

    #[test]
    fn whole_path_is_anchored() {
        // `ref/notes.txt` is neither the whole canonical path nor a file name
        let e = ex(&["ref/notes.txt"]);
        assert!(!e.is_excluded("p1/skills/sk/ref/notes.txt"));
        let e = ex(&["*/ref/notes.txt"]);
        assert!(e.is_excluded("p1/skills/sk/ref/notes.txt"));
    }

    #[test]
    fn none_excludes_nothing_and_bad_glob_is_error() {
        assert!(!Excludes::none().is_excluded("a/b"));
        let err = Excludes::new(["ok", "a[b"]).unwrap_err();
        assert_eq!(err.pattern, "a[b");
    }
}
