//! The local module directory, as both `agb factory compare` and `agb publish` see it: which
//! files are the module (the selection), their bytes as git stores them, and what its
//! MODULE_METADATA.yaml says ([`ModuleMetadata`]). One place, so that compare's "same" means
//! "publishing this would change nothing".
//!
//! The selection never takes `.git/`, `.terraform/`, Terraform state (`*.tfstate*`). By default
//! also not `*.tfvars` / `*.tfvars.json` (they hold environment values, often secrets) nor
//! anything the module's `.gitignore` files exclude (git's rules, through gix's ignore matcher);
//! `--include GLOB` selects such a file anyway. Symlinks are selected as git symlinks (their
//! target text, never the file they point to), executable files keep their bit.
//!
//! Not here: comparing with a published version (see `compare`), turning the files into git
//! objects or editing the metadata (see `publish`).

use std::path::{Path, PathBuf};

use gix::bstr::ByteSlice;

/// The metadata file at the root of a module (version).
pub const METADATA_FILE: &str = "MODULE_METADATA.yaml";

/// Errors of reading the local module. The codes are publish's (`agb::publish::…`): they were
/// its errors first, and scripts may match them; compare shows the same ones.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum LocalModuleError {
    #[error("invalid --include pattern {pattern:?}: {reason}")]
    #[diagnostic(
        code(agb::publish::usage::include),
        help("--include takes a glob such as '*.tfvars' or 'examples/*.tfvars'")
    )]
    BadInclude { pattern: String, reason: String },
    #[error("{}: the file name is not valid UTF-8", path.display())]
    #[diagnostic(
        code(agb::publish::file_name),
        help("rename the file: its name would reach the factory altered (git paths here are UTF-8)")
    )]
    NonUtf8Name { path: PathBuf },
    #[error("{path} would be published as {entry:?}, a name git refuses: {reason}")]
    #[diagnostic(
        code(agb::publish::unsafe_path),
        help("rename or remove it: git refuses to check out such a path, and in a factory it could run commands on the machines that import the module (`.git` is skipped, its other spellings are refused)")
    )]
    UnsafeName { path: PathBuf, entry: String, reason: &'static str },
    #[error("cannot read {path}")]
    #[diagnostic(code(agb::publish::read), help("check that the file exists and is readable"))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// How a file is stored in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Regular,
    Executable,
    /// A symlink; the content is the link target.
    Link,
}

/// One selected file: its path relative to the module directory (with `/`) and where to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectedFile {
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

/// The files of `dir` that publish publishes (and compare compares), sorted by path, and the ones skipped by a rule `--include`
/// could lift.
// Long on purpose: one directory walk applying the publish rules (never-dirs, .gitignore,
// *.tfvars, state files, unsafe names) in the order a reader checks them.
pub fn select(dir: &Path, include: &[String]) -> Result<(Vec<SelectedFile>, Vec<Skipped>), LocalModuleError> {
    let include = build_include(include)?;
    let mut ignore = gix::ignore::Search::default();
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let read_err =
        |path: &Path, e: std::io::Error| LocalModuleError::Read { path: path.to_path_buf(), source: e };

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
                return Err(LocalModuleError::UnsafeName {
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
            return Err(LocalModuleError::NonUtf8Name { path: entry.path().to_path_buf() });
        }
        files.push(SelectedFile { rel, path: entry.path().to_path_buf(), kind });
    }
    Ok((files, skipped))
}

/// What git stores for a symlink: the bytes of its target path, exactly. The one reading of a link
/// for the tree publish builds, for compare's "same" and for publish's bump check, so the three
/// never disagree about a link.
pub fn link_target(path: &Path) -> Result<Vec<u8>, LocalModuleError> {
    let target = std::fs::read_link(path)
        .map_err(|e| LocalModuleError::Read { path: path.to_path_buf(), source: e })?;
    gix::path::os_str_into_bstr(target.as_os_str()).map(|b| b.to_vec()).map_err(|_| LocalModuleError::Read {
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

fn build_include(patterns: &[String]) -> Result<globset::GlobSet, LocalModuleError> {
    let mut b = globset::GlobSetBuilder::new();
    for p in patterns {
        let glob = globset::GlobBuilder::new(p)
            .literal_separator(false)
            .build()
            .map_err(|e| LocalModuleError::BadInclude { pattern: p.clone(), reason: e.to_string() })?;
        b.add(glob);
        // a bare file name also matches in subdirectories
        if !p.contains('/') {
            if let Ok(g) = globset::Glob::new(&format!("**/{p}")) {
                b.add(g);
            }
        }
    }
    b.build().map_err(|e| LocalModuleError::BadInclude { pattern: patterns.join(" "), reason: e.to_string() })
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

/// A file of the local module with its content as git stores it: its path relative to the module
/// dir (with `/`) and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileContent {
    pub path: String,
    /// The content; for a symlink, its target path (what git stores).
    pub bytes: Vec<u8>,
    pub symlink: bool,
    /// Stored as executable (mode 100755): compare reports a changed bit.
    pub executable: bool,
}

/// The selected files of `dir` (no `--include`) with their content, sorted by path. Symlinks are
/// not followed: a link is its target path, as git stores it.
pub fn read(dir: &Path) -> Result<Vec<FileContent>, LocalModuleError> {
    let (selected, _skipped) = select(dir, &[])?;
    let mut out = Vec::with_capacity(selected.len());
    for f in selected {
        let bytes = read_content(&f.path, f.kind)?;
        out.push(FileContent {
            path: f.rel,
            bytes,
            symlink: f.kind == FileKind::Link,
            executable: f.kind == FileKind::Executable,
        });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// The bytes git stores for a file of `kind` at `path`: a link's target path (never read through
/// a link: it may lead outside the module), else the file's content.
pub fn read_content(path: &Path, kind: FileKind) -> Result<Vec<u8>, LocalModuleError> {
    if kind == FileKind::Link {
        return link_target(path);
    }
    std::fs::read(path).map_err(|source| LocalModuleError::Read { path: path.to_path_buf(), source })
}

/// A file of the module as text.
pub fn read_text(path: &Path) -> Result<String, LocalModuleError> {
    std::fs::read_to_string(path)
        .map_err(|source| LocalModuleError::Read { path: path.to_path_buf(), source })
}

/// What agb reads of a MODULE_METADATA.yaml: fields of its `module:` mapping. Scalars are kept
/// as written (`version: 1.2` is `"1.2"`); the description only when it is a string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModuleMetadata {
    pub provider: Option<String>,
    pub category: Option<String>,
    pub name: Option<String>,
    pub version: Option<String>,
    pub description: Option<String>,
}

/// Why a MODULE_METADATA.yaml could not be read (the caller's error names the file).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetadataReadError {
    /// Not YAML: the parser's message.
    #[error("{0}")]
    Yaml(String),
    #[error("no `module:` key")]
    NoModuleKey,
}

impl ModuleMetadata {
    pub fn parse(bytes: &[u8]) -> Result<ModuleMetadata, MetadataReadError> {
        let value: serde_yaml::Value =
            serde_yaml::from_slice(bytes).map_err(|e| MetadataReadError::Yaml(e.to_string()))?;
        let module = value.get("module").ok_or(MetadataReadError::NoModuleKey)?;
        let field = |k: &str| module.get(k).and_then(scalar_text);
        Ok(ModuleMetadata {
            provider: field("provider"),
            category: field("category"),
            name: field("name"),
            version: field("version"),
            description: module.get("description").and_then(|d| d.as_str()).map(str::to_string),
        })
    }

    /// `provider/category/name`, when all three are given.
    pub fn module_path(&self) -> Option<String> {
        match (&self.provider, &self.category, &self.name) {
            (Some(p), Some(c), Some(n)) => Some(format!("{p}/{c}/{n}")),
            _ => None,
        }
    }
}

fn scalar_text(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
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

    fn rels(files: &[SelectedFile]) -> Vec<&str> {
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
        match select(d.path(), &[]) {
            Err(LocalModuleError::NonUtf8Name { path }) => assert_eq!(path, bad),
            other => panic!("{other:?}"),
        }
        // skipped anyway (ignored): no reason to refuse
        fs::write(d.path().join(".gitignore"), "*.txt\n").unwrap();
        assert!(select(d.path(), &[]).is_ok());
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
        let (files, skipped) = select(r, &[]).unwrap();
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
        let (files, _) = select(r, &["*.tfvars".into(), "x.log".into(), "*.tfstate".into()]).unwrap();
        assert_eq!(rels(&files), [".gitignore", "example.tfvars", "main.tf", "x.log"]);
        assert!(select(r, &["a{".into()]).is_err());
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
        let (files, _) = select(r, &[]).unwrap();
        let kinds: Vec<(&str, FileKind)> = files.iter().map(|f| (f.rel.as_str(), f.kind)).collect();
        assert_eq!(kinds, [("run", FileKind::Link), ("scripts/run.sh", FileKind::Executable)]);
        // compare sees the bit too (a link is never executable: git stores no mode bits for it)
        let exec: Vec<(String, bool)> =
            read(r).unwrap().into_iter().map(|f| (f.path, f.executable)).collect();
        assert_eq!(exec, [("run".to_string(), false), ("scripts/run.sh".to_string(), true)]);
    }

    #[test]
    fn read_takes_exactly_the_selection() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for p in [".git/config", ".terraform/x/main.tf", "terraform.tfstate", "dev.tfvars", "build/out.zip"] {
            touch(d, p);
        }
        touch(d, "main.tf");
        touch(d, "modules/sub/main.tf");
        fs::write(d.join(".gitignore"), "build/\n").unwrap();
        let files: Vec<String> = read(d).unwrap().into_iter().map(|f| f.path).collect();
        assert_eq!(files, [".gitignore", "main.tf", "modules/sub/main.tf"]);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_their_target_path_like_in_git() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("link")).unwrap();
        let files = read(dir.path()).unwrap();
        assert_eq!(
            files,
            [FileContent {
                path: "link".into(),
                bytes: b"/etc/passwd".to_vec(),
                symlink: true,
                executable: false
            }]
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_link_target_is_compared_as_the_exact_bytes_publish_stores() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let target = std::ffi::OsStr::from_bytes(b"data/caf\xe9.txt");
        std::os::unix::fs::symlink(target, dir.path().join("link")).unwrap();
        let files = read(dir.path()).unwrap();
        assert_eq!(files[0].bytes, b"data/caf\xe9.txt", "not a lossy copy (that would never be `same`)");
        let stored = link_target(&dir.path().join("link")).unwrap();
        assert_eq!(files[0].bytes, stored);
    }

    #[test]
    fn metadata_fields_are_read_as_written() {
        let m = ModuleMetadata::parse(
            b"module:\n  provider: aws\n  category: net\n  name: vpc\n  version: 1.2\n  description: d\n",
        )
        .unwrap();
        assert_eq!(m.module_path().as_deref(), Some("aws/net/vpc"));
        assert_eq!((m.version.as_deref(), m.description.as_deref()), (Some("1.2"), Some("d")));
        assert_eq!(ModuleMetadata::parse(b"x: 1\n"), Err(MetadataReadError::NoModuleKey));
        assert_eq!(ModuleMetadata::parse(b"module: {name: vpc}\n").unwrap().module_path(), None);
    }
}
