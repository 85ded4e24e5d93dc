//! Which files of the local module directory are published.
//!
//! Never: `.git/`, `.terraform/`, Terraform state (`*.tfstate*`). By default also not
//! `*.tfvars` / `*.tfvars.json` (they hold environment values, often secrets) nor anything the
//! module's `.gitignore` files exclude (git's rules, through gix's ignore matcher); `--include
//! GLOB` publishes such a file anyway. Symlinks are published as git symlinks (their target text,
//! never the file they point to), executable files keep their bit.
//!
//! Not here: turning the files into git objects (see `tree`).

use std::path::{Path, PathBuf};

use gix::bstr::ByteSlice;

use super::PublishError;

/// How a file is stored in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Regular,
    Executable,
    /// A symlink; the content is the link target.
    Link,
}

/// One file to publish: its path relative to the module directory (with `/`) and where to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalFile {
    pub rel: String,
    pub path: PathBuf,
    pub kind: FileKind,
}

/// A file left out, and why (shown with `--dry-run` and `-v`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub rel: String,
    pub reason: &'static str,
}

/// Directories never published, whatever `--include` says.
const NEVER_DIRS: [&str; 2] = [".git", ".terraform"];

/// The files of `dir` to publish, sorted by path, and the ones skipped by a rule `--include`
/// could lift.
pub fn collect(dir: &Path, include: &[String]) -> Result<(Vec<LocalFile>, Vec<Skipped>), PublishError> {
    let include = build_include(include)?;
    let mut ignore = gix::ignore::Search::default();
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let read_err =
        |path: &Path, e: std::io::Error| PublishError::ReadLocal { path: path.to_path_buf(), source: e };

    let root_gitignore = dir.join(".gitignore");
    if root_gitignore.is_file() {
        let bytes = std::fs::read(&root_gitignore).map_err(|e| read_err(&root_gitignore, e))?;
        ignore
            .add_patterns_buffer(&bytes, root_gitignore.clone(), Some(dir), Default::default())
            .map_err(|e| read_err(&root_gitignore, e))?;
    }

    let mut walker = walkdir::WalkDir::new(dir).follow_links(false).sort_by_file_name().into_iter();
    while let Some(entry) = walker.next() {
        let entry = entry.map_err(|e| {
            let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| dir.to_path_buf());
            read_err(&path, e.into())
        })?;
        if entry.depth() == 0 {
            continue;
        }
        // lossy on purpose, for the ignore rules: a non-UTF-8 name that is ignored anyway is no
        // reason to refuse; one that would be published is refused below
        let rel =
            crate::fsutil::rel_slash_lossy(dir, entry.path()).expect("walkdir yields paths under its root");
        let name = entry.file_name().to_string_lossy();
        let ft = entry.file_type();
        // `.git` itself is the local repository and skipped below; any other spelling that git
        // reads as `.git` (`.GIT`, `git~1`, `.git.`) would reach the factory as a file tree
        // that importers' git runs.
        if name != ".git" {
            if let Some(reason) = crate::factory::tree_path::refused_component(&name) {
                return Err(PublishError::UnsafeName {
                    path: entry.path().to_path_buf(),
                    entry: name.into_owned(),
                    reason,
                });
            }
        }
        if ft.is_dir() {
            if NEVER_DIRS.contains(&name.as_ref()) || is_state(&name) {
                walker.skip_current_dir();
                continue;
            }
            if is_ignored(&ignore, &rel, true) && !include.is_match(&rel) {
                skipped
                    .push(Skipped { rel: format!("{rel}/"), reason: ".gitignore; --include publishes it" });
                walker.skip_current_dir();
                continue;
            }
            // a directory's .gitignore applies below it: load it before its entries are visited
            let gi = entry.path().join(".gitignore");
            if gi.is_file() {
                let bytes = std::fs::read(&gi).map_err(|e| read_err(&gi, e))?;
                ignore
                    .add_patterns_buffer(&bytes, gi.clone(), Some(dir), Default::default())
                    .map_err(|e| read_err(&gi, e))?;
            }
            continue;
        }
        // `.git` can also be a file (a worktree or submodule pointer)
        if is_state(&name) || name == ".git" {
            continue;
        }
        if (name.ends_with(".tfvars") || name.ends_with(".tfvars.json")) && !include.is_match(&rel) {
            skipped.push(Skipped { rel, reason: "*.tfvars; --include publishes it" });
            continue;
        }
        if is_ignored(&ignore, &rel, false) && !include.is_match(&rel) {
            skipped.push(Skipped { rel, reason: ".gitignore; --include publishes it" });
            continue;
        }
        let kind = if ft.is_symlink() {
            FileKind::Link
        } else if is_executable(&entry) {
            FileKind::Executable
        } else {
            FileKind::Regular
        };
        // `rel` is lossy: a name that is not UTF-8 would be published under another name
        if entry.path().to_str().is_none() {
            return Err(PublishError::NonUtf8Name { path: entry.path().to_path_buf() });
        }
        files.push(LocalFile { rel, path: entry.path().to_path_buf(), kind });
    }
    Ok((files, skipped))
}

/// What git stores for a symlink: the bytes of its target path, exactly. The one reading of a link
/// for the tree publish builds, for compare's "same" and for publish's bump check, so the three
/// never disagree about a link.
pub fn link_target(path: &Path) -> Result<Vec<u8>, PublishError> {
    let target = std::fs::read_link(path)
        .map_err(|e| PublishError::ReadLocal { path: path.to_path_buf(), source: e })?;
    gix::path::os_str_into_bstr(target.as_os_str()).map(|b| b.to_vec()).map_err(|_| PublishError::ReadLocal {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, "link target is not UTF-8"),
    })
}

/// Git's rule: the last matching pattern decides, and a `!pattern` re-includes.
fn is_ignored(search: &gix::ignore::Search, rel: &str, is_dir: bool) -> bool {
    search
        .pattern_matching_relative_path(
            rel.as_bytes().as_bstr(),
            Some(is_dir),
            gix::glob::pattern::Case::Sensitive,
        )
        .is_some_and(|m| !m.pattern.is_negative())
}

fn is_state(name: &str) -> bool {
    name.contains(".tfstate")
}

fn build_include(patterns: &[String]) -> Result<globset::GlobSet, PublishError> {
    let mut b = globset::GlobSetBuilder::new();
    for p in patterns {
        let glob = globset::GlobBuilder::new(p)
            .literal_separator(false)
            .build()
            .map_err(|e| PublishError::BadInclude { pattern: p.clone(), reason: e.to_string() })?;
        b.add(glob);
        // a bare file name also matches in subdirectories
        if !p.contains('/') {
            if let Ok(g) = globset::Glob::new(&format!("**/{p}")) {
                b.add(g);
            }
        }
    }
    b.build().map_err(|e| PublishError::BadInclude { pattern: patterns.join(" "), reason: e.to_string() })
}

#[cfg(unix)]
fn is_executable(entry: &walkdir::DirEntry) -> bool {
    use std::os::unix::fs::PermissionsExt;
    entry.metadata().is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(_entry: &walkdir::DirEntry) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn touch(root: &Path, rel: &str) {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, rel).unwrap();
    }

    fn rels(files: &[LocalFile]) -> Vec<&str> {
        files.iter().map(|f| f.rel.as_str()).collect()
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_name_that_is_not_utf8_is_refused_not_renamed() {
        use std::os::unix::ffi::OsStrExt;
        let d = tempfile::tempdir().unwrap();
        touch(d.path(), "main.tf");
        let bad = d.path().join(std::ffi::OsStr::from_bytes(b"bad\xffname.txt"));
        fs::write(&bad, "x").unwrap();
        match collect(d.path(), &[]) {
            Err(PublishError::NonUtf8Name { path }) => assert_eq!(path, bad),
            other => panic!("{other:?}"),
        }
        // skipped anyway (ignored): no reason to refuse
        fs::write(d.path().join(".gitignore"), "*.txt\n").unwrap();
        assert!(collect(d.path(), &[]).is_ok());
    }

    #[test]
    fn default_rules_and_gitignore_are_applied() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        for f in [
            "main.tf",
            "variables.tf",
            ".git/config",
            ".terraform/providers/x",
            "terraform.tfstate",
            "terraform.tfstate.backup",
            "terraform.tfstate.d/dev/terraform.tfstate",
            "prod.tfvars",
            "examples/basic/main.tf",
            "examples/basic/dev.tfvars.json",
            "build/out.zip",
            "notes.log",
            "keep.log",
            "examples/basic/local.txt",
            "examples/basic/keep.txt",
        ] {
            touch(r, f);
        }
        fs::write(r.join(".gitignore"), "build/\n*.log\n!keep.log\n").unwrap();
        fs::write(r.join("examples/basic/.gitignore"), "*.txt\n!keep.txt\n").unwrap();
        let (files, skipped) = collect(r, &[]).unwrap();
        assert_eq!(
            rels(&files),
            [
                ".gitignore",
                "examples/basic/.gitignore",
                "examples/basic/keep.txt",
                "examples/basic/main.tf",
                "keep.log",
                "main.tf",
                "variables.tf"
            ]
        );
        let skipped: Vec<&str> = skipped.iter().map(|s| s.rel.as_str()).collect();
        assert_eq!(
            skipped,
            [
                "build/",
                "examples/basic/dev.tfvars.json",
                "examples/basic/local.txt",
                "notes.log",
                "prod.tfvars"
            ]
        );
    }

    #[test]
    fn include_lifts_tfvars_and_gitignore_but_never_state() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        for f in ["main.tf", "example.tfvars", "x.log", "terraform.tfstate"] {
            touch(r, f);
        }
        fs::write(r.join(".gitignore"), "*.log\n").unwrap();
        let (files, _) = collect(r, &["*.tfvars".into(), "x.log".into(), "*.tfstate".into()]).unwrap();
        assert_eq!(rels(&files), [".gitignore", "example.tfvars", "main.tf", "x.log"]);
        assert!(collect(r, &["a{".into()]).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn executables_and_symlinks_are_kinds() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        touch(r, "scripts/run.sh");
        fs::set_permissions(r.join("scripts/run.sh"), fs::Permissions::from_mode(0o755)).unwrap();
        std::os::unix::fs::symlink("scripts/run.sh", r.join("run")).unwrap();
        let (files, _) = collect(r, &[]).unwrap();
        let kinds: Vec<(&str, FileKind)> = files.iter().map(|f| (f.rel.as_str(), f.kind)).collect();
        assert_eq!(kinds, [("run", FileKind::Link), ("scripts/run.sh", FileKind::Executable)]);
    }
}
