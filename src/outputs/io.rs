//! The I/O half of `agb build`: resolve output paths safely, hash what must be hashed, observe
//! the output root, and apply a [`Plan`].
//!
//! Everything that can be decided from size + mtime is: a no-change build only stats. Work over
//! many files runs in parallel (rayon): hashing, stat-ing, copying.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::plan::{OnDisk, Plan, Prepared, WrittenFile};
use super::{BuildError, Desired};
use crate::fsutil::{self, FsError};
use crate::manifest::{FileStat, Manifest, SourceEntry};
use crate::targets::OutputContent;

/// The one place outside the output root agb writes to (codex skills), relative to the root.
pub const CODEX_SKILLS_REL: &str = "../.agents/skills/";

/// Called once per file done, from any thread.
pub type Progress<'a> = dyn Fn() + Sync + 'a;

/// Where an output path lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The directory the path must stay inside (checked for `..` and symlinks from here).
    pub root: PathBuf,
    /// The directory empty parents are pruned up to (never removed itself).
    pub prune_stop: PathBuf,
    pub path: PathBuf,
}

/// Resolve an output path relative to `output_root`. Only `../.agents/skills/<name>/…` and the
/// project's global instructions file (`../AGENTS.md`, `../GEMINI.md`, issue 10) may leave the
/// root (SPEC §1.8); any other `..`, absolute path or empty component is refused.
pub fn resolve_output(output_root: &Path, rel: &str) -> Result<Resolved, FsError> {
    if let Some(inside) = rel.strip_prefix("../") {
        let escapes = || FsError::Escapes { root: output_root.to_path_buf(), path: rel.to_string() };
        if crate::targets::PROJECT_GLOBAL_FILES.contains(&inside) {
            let base = output_root.parent().ok_or_else(escapes)?;
            let path = base.join(inside);
            return Ok(Resolved { root: base.to_path_buf(), prune_stop: base.to_path_buf(), path });
        }
        let skill_part = inside.strip_prefix(&CODEX_SKILLS_REL[3..]).ok_or_else(escapes)?;
        if skill_part.split('/').count() < 2 {
            return Err(escapes());
        }
        let base = output_root.parent().ok_or_else(escapes)?;
        let path = fsutil::join_inside(base, inside)?;
        let prune_stop = base.join(&CODEX_SKILLS_REL[3..CODEX_SKILLS_REL.len() - 1]);
        return Ok(Resolved { root: base.to_path_buf(), prune_stop, path });
    }
    let path = fsutil::join_inside(output_root, rel)?;
    Ok(Resolved { root: output_root.to_path_buf(), prune_stop: output_root.to_path_buf(), path })
}

/// Check that no component between each path's root and its parent directory is a symlink
/// (the final component is checked by [`observe`], which treats a link as
/// [`OnDisk::NotAFile`]). Each directory is checked once: directories are visited parents
/// first, and each is checked from its nearest already-checked ancestor, so a tree of N
/// directories costs about N `lstat`s. Fails on the first escape (or the first path that did
/// not resolve). Only the distinct directories are held, not every path; they are returned
/// (parents first), for apply to create.
pub fn check_directories(
    resolved: impl Iterator<Item = Result<Resolved, FsError>>,
) -> Result<Vec<PathBuf>, FsError> {
    let mut dirs: BTreeSet<(PathBuf, PathBuf)> = BTreeSet::new();
    for r in resolved {
        let Resolved { root, path, .. } = r?;
        let parent = path.parent().map_or_else(|| root.clone(), Path::to_path_buf);
        dirs.insert((root, parent));
    }
    let mut checked: HashSet<(&Path, &Path)> = HashSet::new();
    // BTreeSet order puts a directory before everything below it.
    for (root, dir) in &dirs {
        let (root, dir) = (root.as_path(), dir.as_path());
        let mut ancestor = dir;
        while ancestor != root && !checked.contains(&(root, ancestor)) {
            match ancestor.parent() {
                Some(p) if p.starts_with(root) => ancestor = p,
                _ => {
                    ancestor = root;
                    break;
                }
            }
        }
        fsutil::ensure_no_symlink_escape(ancestor, dir)?;
        let mut d = dir;
        while d != ancestor {
            checked.insert((root, d));
            match d.parent() {
                Some(p) => d = p,
                None => break,
            }
        }
    }
    drop(checked);
    Ok(dirs.into_iter().map(|(_, dir)| dir).collect())
}

/// Stat and hash the source files of every desired output (each file once, in parallel) and
/// return the prepared outputs. A source whose size and mtime equal the previous manifest's
/// record is not read. A copied source whose output does not exist yet is not read either: it
/// is hashed after the copy ([`apply_files`]), so hashing overlaps copying instead of preceding it.
pub fn prepare(
    desired: Vec<Desired>,
    known_stats: &HashMap<PathBuf, FileStat>,
    source_root: &Path,
    previous: Option<&Manifest>,
    disk: &HashMap<String, OnDisk>,
) -> Result<Vec<Prepared>, BuildError> {
    let recorded = previous.map(Manifest::source_index).unwrap_or_default();
    // Every source once, with whether some output needs its hash now (a copy whose output does
    // not exist yet does not: it is hashed after copying). Sorted by bytes, not by
    // `Path`'s component-wise order, which is much slower over tens of thousands of paths.
    let mut wanted: Vec<(OsString, bool)> = desired
        .iter()
        .flat_map(|d| {
            let deferrable = matches!(d.content, OutputContent::Copy { .. })
                && matches!(disk.get(&d.rel), None | Some(OnDisk::Missing));
            d.sources.iter().map(move |p| (p.as_os_str().to_owned(), !deferrable))
        })
        .collect();
    wanted.sort_unstable();
    // After sorting, `true` (needed now) comes after `false` for the same path: keep the last.
    wanted.dedup_by(|later, earlier| {
        let same = later.0 == earlier.0;
        if same {
            earlier.1 |= later.1;
        }
        same
    });
    let entries: Vec<SourceEntry> = wanted
        .par_iter()
        .map(|(path, needed_now)| {
            let (path, needed_now) = (Path::new(path), *needed_now);
            let rel = source_rel(source_root, path);
            let stat = match known_stats.get(path) {
                Some(stat) => *stat,
                None => source_stat(path)?,
            };
            let sha256 = match recorded.get(rel.as_str()) {
                Some(r) if r.stat.matches(&stat) => r.sha256.clone(),
                _ if !needed_now => String::new(),
                _ => fsutil::sha256_file(path)?,
            };
            Ok(SourceEntry { path: rel, sha256, stat })
        })
        .collect::<Result<_, BuildError>>()?;
    let entry_of = |p: &Path| -> Option<&SourceEntry> {
        let i = wanted.binary_search_by(|(w, _)| w.as_os_str().cmp(p.as_os_str())).ok()?;
        entries.get(i)
    };

    let prepared = desired
        .into_par_iter()
        .map(|d| {
            let (sha256, size) = match &d.content {
                OutputContent::Text(text) => (Some(fsutil::sha256_hex(text.as_bytes())), text.len() as u64),
                OutputContent::Copy { from, .. } => {
                    let e = entry_of(from).ok_or_else(|| BuildError::CopyWithoutSource {
                        rel: d.rel.clone(),
                        from: from.clone(),
                    })?;
                    (Some(e.sha256.clone()).filter(|s| !s.is_empty()), e.stat.size)
                }
            };
            let sources = d
                .sources
                .iter()
                .map(|p| entry_of(p).expect("every source of a desired output was stat-ed above").clone())
                .collect();
            Ok(Prepared { rel: d.rel, content: d.content, resource: d.resource, sha256, size, sources })
        })
        .collect::<Result<Vec<_>, BuildError>>()?;
    Ok(prepared)
}

/// The stat of a source file, through a symlink (the source repository is the user's; a linked
/// source file is built from the link's target). A dangling link is named as such.
fn source_stat(path: &Path) -> Result<FileStat, BuildError> {
    let read_err = |source| FsError::Read { path: path.to_path_buf(), source };
    if let Some(stat) = FileStat::of_source(path).map_err(read_err)? {
        return Ok(stat);
    }
    if let Ok(link) = std::fs::read_link(path) {
        return Err(BuildError::DanglingSourceLink { path: path.to_path_buf(), target: link });
    }
    Err(read_err(std::io::Error::from(std::io::ErrorKind::NotFound)).into())
}

/// A source path relative to the source root, `/`-separated, as the manifest stores it. The
/// paths come from the source scan (already normalized), so a prefix strip is enough; this runs
/// for every file of a large source, where [`fsutil::rel_slash`]'s per-component rebuild shows.
fn source_rel(source_root: &Path, path: &Path) -> String {
    match path.strip_prefix(source_root) {
        Ok(rel) if std::path::MAIN_SEPARATOR == '/' => rel.to_string_lossy().into_owned(),
        Ok(_) => fsutil::rel_slash(source_root, path).unwrap_or_else(|| path.display().to_string()),
        Err(_) => path.display().to_string(),
    }
}

/// What is at each output path (`rels`, relative to `output_root`) now: one `lstat` each; a file
/// is hashed only when its size or mtime differs from the manifest's record (or the manifest
/// does not list it). A path the manifest does not list whose directory does not exist is
/// missing without a `lstat` of its own: a fresh build asks once per directory, not once per
/// file. Missing paths get no entry (the plan reads a missing entry as [`OnDisk::Missing`]), so
/// a fresh build holds nothing here. Every path is resolved first, in order: one that would
/// leave the output root is refused before any file is read.
pub fn observe(
    output_root: &Path,
    rels: &[&str],
    previous: Option<&Manifest>,
) -> Result<HashMap<String, OnDisk>, BuildError> {
    let resolve = |rel: &str| {
        resolve_output(output_root, rel).map_err(|e| match e {
            FsError::Escapes { .. } => BuildError::OutsideRoot { rel: rel.to_string() },
            other => other.into(),
        })
    };
    let mut unlisted_dirs: BTreeSet<PathBuf> = BTreeSet::new();
    for rel in rels {
        let resolved = resolve(rel)?;
        if previous.is_none_or(|m| !m.files.contains_key(*rel)) {
            unlisted_dirs.extend(resolved.path.parent().map(Path::to_path_buf));
        }
    }
    let missing_dirs: HashSet<PathBuf> = unlisted_dirs
        .into_par_iter()
        .filter(|d| {
            std::fs::symlink_metadata(d).is_err_and(|e| {
                matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory)
            })
        })
        .collect();
    rels.par_iter()
        .map(|rel| -> Result<_, BuildError> {
            let resolved = resolve(rel)?;
            if resolved.path.parent().is_some_and(|d| missing_dirs.contains(d)) {
                return Ok(None);
            }
            let read_err = |source| FsError::Read { path: resolved.path.clone(), source };
            let meta = match std::fs::symlink_metadata(&resolved.path) {
                Ok(m) => m,
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                    ) =>
                {
                    return Ok(None);
                }
                Err(e) => return Err(read_err(e).into()),
            };
            if !meta.is_file() {
                return Ok(Some((rel.to_string(), OnDisk::NotAFile)));
            }
            let stat = FileStat::from_metadata(&meta);
            let recorded = previous.and_then(|m| m.files.get(*rel));
            if recorded.is_some_and(|r| r.stat.matches(&stat)) {
                return Ok(Some((rel.to_string(), OnDisk::AsBuilt)));
            }
            // About to read it: never through a link leading out of the root.
            fsutil::ensure_no_symlink_escape(&resolved.root, &resolved.path)?;
            let sha256 = fsutil::sha256_file(&resolved.path)?;
            Ok(Some((rel.to_string(), OnDisk::File { sha256, stat })))
        })
        .filter_map(Result::transpose)
        .collect()
}

/// What applying did, for the report and the next manifest.
#[derive(Debug, Default)]
pub struct Applied {
    pub written: HashMap<String, WrittenFile>,
    pub removed: BTreeSet<String>,
}

/// Apply the plan's writes and removals. Stops at the first error but returns what was done
/// with it, so the caller can still record it in the manifest.
/// `progress` is called once per file written or removed (for a progress bar).
// Long on purpose: one parallel pass over the plan's writes with its error and progress
// handling in one place; split, the rayon closure's shared state would spread over several functions.
pub fn apply_files(plan: &Plan, output_root: &Path, progress: &Progress<'_>) -> (Applied, Option<FsError>) {
    let mut applied = Applied::default();
    // Every path resolves inside its root, with no symlink on the way (checked before any
    // write); paths are resolved again where they are written rather than held all at once.
    let writes = plan.writes.iter().map(|w| resolve_output(output_root, &w.output.rel));
    let dirs = match check_directories(writes) {
        Ok(dirs) => dirs,
        Err(e) => return (applied, Some(e)),
    };
    // Every output directory once, before the parallel writes (not a `stat` per file).
    if let Err(e) = fsutil::create_dirs(dirs.iter().map(PathBuf::as_path)) {
        return (applied, Some(e));
    }
    drop(dirs);
    let results: Vec<Result<(String, WrittenFile), FsError>> = plan
        .writes
        .par_iter()
        .map(|w| {
            let output = &w.output;
            let r = resolve_output(output_root, &output.rel)?;
            let stat_of = |path: &Path| {
                FileStat::of(path)
                    .map_err(|source| FsError::Read { path: path.to_path_buf(), source })?
                    .ok_or_else(|| FsError::Read {
                        path: path.to_path_buf(),
                        source: std::io::Error::from(std::io::ErrorKind::NotFound),
                    })
            };
            let (stat, sha256) = match (&output.content, &output.sha256) {
                (OutputContent::Text(text), sha) => {
                    let meta = fsutil::write_atomic_into_existing_dir(&r.path, text.as_bytes())?;
                    let sha = sha.clone().unwrap_or_else(|| fsutil::sha256_hex(text.as_bytes()));
                    (FileStat::from_metadata(&meta), sha)
                }
                (OutputContent::Copy { from, .. }, Some(sha)) => {
                    fsutil::copy_atomic(from, &r.path)?;
                    (stat_of(&r.path)?, sha.clone())
                }
                // Not hashed yet: hashed while copying, in one read of the source.
                (OutputContent::Copy { from, .. }, None) => {
                    let (sha, meta) = fsutil::copy_hashed_into_existing_dir(from, &r.path)?;
                    (FileStat::from_metadata(&meta), sha)
                }
            };
            progress();
            Ok((output.rel.clone(), WrittenFile { stat, sha256 }))
        })
        .collect();
    let mut first_error = None;
    for result in results {
        match result {
            Ok((rel, done)) => {
                applied.written.insert(rel, done);
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    if first_error.is_some() {
        return (applied, first_error);
    }

    let mut dirs_to_prune: BTreeSet<(PathBuf, PathBuf)> = BTreeSet::new();
    for rel in &plan.removals {
        let result = resolve_output(output_root, rel).and_then(|r| {
            fsutil::ensure_no_symlink_escape(&r.root, &r.path)?;
            match std::fs::remove_file(&r.path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(FsError::Write { path: r.path.clone(), source }),
            }
            if let Some(parent) = r.path.parent() {
                dirs_to_prune.insert((parent.to_path_buf(), r.prune_stop.clone()));
            }
            Ok(())
        });
        match result {
            Ok(()) => {
                applied.removed.insert(rel.clone());
            }
            Err(e) => return (applied, Some(e)),
        }
    }
    // Deepest first, so a directory emptied by pruning its child is pruned too.
    let mut dirs: Vec<_> = dirs_to_prune.into_iter().collect();
    dirs.sort_by_key(|(d, _)| std::cmp::Reverse(d.components().count()));
    for (dir, stop) in dirs {
        prune_empty_dirs(&dir, &stop);
    }
    (applied, None)
}

/// Remove `dir` and its parents while they are empty, stopping before `stop` (never removed).
/// Only directories the removed outputs lived in are candidates; a non-empty one stops it.
fn prune_empty_dirs(dir: &Path, stop: &Path) {
    let mut cur = dir;
    while cur != stop && cur.starts_with(stop) {
        if std::fs::remove_dir(cur).is_err() {
            return;
        }
        match cur.parent() {
            Some(p) => cur = p,
            None => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_codex_skills_may_leave_the_root() {
        let root = Path::new("/p/.codex");
        let r = resolve_output(root, "agents/a.toml").unwrap();
        assert_eq!(r.path, PathBuf::from("/p/.codex/agents/a.toml"));
        let r = resolve_output(root, "../.agents/skills/s/SKILL.md").unwrap();
        assert_eq!(r.path, PathBuf::from("/p/.agents/skills/s/SKILL.md"));
        assert_eq!(r.root, PathBuf::from("/p"));
        assert_eq!(r.prune_stop, PathBuf::from("/p/.agents/skills"));
        for bad in ["../x", "../.agents/skills/s", "../.agents/skills/../../x/y", "a/../../b", "/etc/x", ""] {
            assert!(resolve_output(root, bad).is_err(), "{bad}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn directory_check_finds_a_link_at_any_depth() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        std::fs::create_dir_all(root.join("a/b/c")).unwrap();
        std::fs::create_dir_all(dir.path().join("outside/d")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("outside"), root.join("a/b/link")).unwrap();
        let r = |rel: &str| resolve_output(&root, rel).unwrap();
        let ok = [r("a/x"), r("a/b/c/y"), r("a/b/z"), r("new/dir/w")];
        let dirs = check_directories(ok.into_iter().map(Ok)).unwrap();
        assert_eq!(
            dirs,
            ["a", "a/b", "a/b/c", "new/dir"].map(|d| root.join(d)),
            "each directory once, parents first"
        );
        let bad = [r("a/b/c/y"), r("a/b/link/d/file")];
        assert!(check_directories(bad.into_iter().map(Ok)).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn source_stat_follows_links_and_names_a_dangling_one() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("target.md"), b"text").unwrap();
        std::os::unix::fs::symlink(dir.path().join("target.md"), dir.path().join("link.md")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("gone.md"), dir.path().join("dangling.md")).unwrap();
        assert_eq!(source_stat(&dir.path().join("link.md")).unwrap().size, 4);
        let err = source_stat(&dir.path().join("dangling.md")).unwrap_err();
        assert!(matches!(&err, BuildError::DanglingSourceLink { path, .. } if path.ends_with("dangling.md")));
        assert!(matches!(source_stat(&dir.path().join("missing.md")), Err(BuildError::Fs(_))));
    }

    #[test]
    fn prune_stops_at_non_empty_and_at_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("skills/a/ref/deep")).unwrap();
        std::fs::create_dir_all(root.join("skills/b")).unwrap();
        prune_empty_dirs(&root.join("skills/a/ref/deep"), root);
        assert!(!root.join("skills/a").exists());
        assert!(root.join("skills/b").exists(), "a sibling keeps `skills` alive");
        std::fs::remove_dir(root.join("skills/b")).unwrap();
        prune_empty_dirs(&root.join("skills"), root);
        assert!(root.exists());
    }
}
