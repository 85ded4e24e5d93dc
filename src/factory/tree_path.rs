//! Paths inside a factory tree that git itself would refuse to check out.
//!
//! A factory is content agb does not trust (docs/security.md): a version folder can carry a
//! `.git/config` whose `core.fsmonitor` runs a command at the next `git status` in the folder it
//! was imported into. git refuses such paths in `verify_path` (read-cache.c): empty, `.` and `..`
//! components, and `.git` in any case, including the spellings that NTFS and HFS+ treat as `.git`
//! (`.git.`, `.git `, `.git::$INDEX_ALLOCATION`, the 8.3 short name `git~1`, and `.git` with
//! Unicode code points HFS+ ignores). agb refuses the same, wherever it reads a factory tree or
//! a local module it is about to publish.
//!
//! Not here: reading trees (`cache.rs`), joining paths on disk (`fsutil::join_inside`).

/// Why a path component is refused, or `None` when it is an ordinary name.
pub fn refused_component(component: &str) -> Option<&'static str> {
    match component {
        "" => return Some("an empty path component"),
        "." | ".." => return Some("a `.` or `..` path component"),
        _ => {}
    }
    if component.contains('\\') {
        return Some("a backslash, which Windows reads as a directory separator");
    }
    if is_dotgit(component) {
        return Some("a `.git` component (git's own directory, in one of the spellings git refuses)");
    }
    None
}

/// The first refused component of a `/`-separated tree path, with the reason.
pub fn refused_path(path: &str) -> Option<(&str, &'static str)> {
    path.split('/').find_map(|c| refused_component(c).map(|why| (c, why)))
}

/// `.git` as git's `is_hfs_dotgit` and `is_ntfs_dotgit` see it, case-insensitively.
pub fn is_dotgit(component: &str) -> bool {
    // HFS+ ignores these code points when comparing names: `.g\u{200c}it` is `.git` there.
    let visible: String = component.chars().filter(|c| !is_hfs_ignorable(*c)).collect();
    let lower = visible.to_ascii_lowercase();
    // NTFS: an alternate data stream (`.git::$INDEX_ALLOCATION`) names the same entry.
    let name = lower.split(':').next().unwrap_or("");
    // NTFS drops trailing dots and spaces: `.git. ` is `.git`.
    let name = name.trim_end_matches(['.', ' ']);
    name == ".git" || name == "git~1"
}

fn is_hfs_ignorable(c: char) -> bool {
    matches!(c,
        '\u{200c}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{206a}'..='\u{206f}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_git_in_every_spelling_git_refuses() {
        for c in [
            ".git",
            ".GIT",
            ".Git",
            ".git.",
            ".git ",
            ".git. .",
            ".git::$INDEX_ALLOCATION",
            "git~1",
            "GIT~1",
            ".g\u{200c}it",
            "\u{feff}.git",
        ] {
            assert!(is_dotgit(c), "{c:?} must be refused");
            assert!(refused_component(c).is_some());
        }
    }

    #[test]
    fn keeps_ordinary_names_that_look_alike() {
        for c in [".github", ".gitignore", ".gitattributes", "git", "a.git", ".git-hooks", "git~2", "main.tf"]
        {
            assert!(refused_component(c).is_none(), "{c:?} is an ordinary name");
        }
    }

    #[test]
    fn finds_the_refused_component_of_a_path() {
        assert_eq!(refused_path("docs/.GIT/config").map(|(c, _)| c), Some(".GIT"));
        assert_eq!(refused_path("a/../b").map(|(c, _)| c), Some(".."));
        assert_eq!(refused_path("a\\b/c").map(|(c, _)| c), Some("a\\b"));
        assert!(refused_path(".github/workflows/ci.yml").is_none());
    }
}
