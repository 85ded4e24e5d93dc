//! The I/O half of `agb build`: resolve output paths safely, hash what must be hashed, observe
//! the output root, and apply a [`Plan`].
//!
//! Everything that can be decided from size + mtime is: a no-change build only stats. Work over
//! many files runs in parallel (rayon): hashing, stat-ing, copying.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

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

/// The directories some outputs go into, each once with the root it must stay inside, parents
/// first (sorted by bytes: a directory is a byte prefix of everything below it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutputDirs(Vec<(PathBuf, PathBuf)>);

impl OutputDirs {
    /// The directories, parents first.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.0.iter().map(|(_, dir)| dir.as_path())
    }

    /// Check that no component between each directory's root and the directory is a symlink.
    /// Each directory is checked from its nearest already-checked ancestor, so a tree of N
    /// directories costs about N `lstat`s. Fails on the first escape.
    pub fn check<'a>(&'a self) -> Result<(), FsError> {
        let mut checked: HashSet<(&'a OsStr, &'a OsStr)> = HashSet::new();
        for (root, dir) in &self.0 {
            let (root, dir) = (root.as_path(), dir.as_path());
            let key = |p: &'a Path| (root.as_os_str(), p.as_os_str());
            let mut ancestor = dir;
            while ancestor != root && !checked.contains(&key(ancestor)) {
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
                checked.insert(key(d));
                match d.parent() {
                    Some(p) => d = p,
                    None => break,
                }
            }
        }
        Ok(())
    }
}

/// The distinct directories of some resolved output paths, checked as [`OutputDirs::check`]
/// does (the final component of each path is checked by [`observe`], which treats a link as
/// [`OnDisk::NotAFile`]). Fails on the first escape, or the first path that did not resolve.
/// Only the directories are held, not every path: a plan keeps them for apply to create.
pub fn check_directories(
    resolved: impl Iterator<Item = Result<Resolved, FsError>>,
) -> Result<OutputDirs, FsError> {
    let mut dirs: Vec<(PathBuf, PathBuf)> = Vec::new();
    for r in resolved {
        let Resolved { root, path, .. } = r?;
        let parent = path.parent().unwrap_or(&root);
        // Outputs come grouped by directory: most repeats are the previous one.
        let repeat = dirs
            .last()
            .is_some_and(|(r, d)| d.as_os_str() == parent.as_os_str() && r.as_os_str() == root.as_os_str());
        if !repeat {
            dirs.push((root.clone(), parent.to_path_buf()));
        }
    }
    // Byte order (not `Path`'s component-wise order, much slower over many paths) still puts a
    // directory before everything below it.
    dirs.sort_unstable_by(|a, b| (a.0.as_os_str(), a.1.as_os_str()).cmp(&(b.0.as_os_str(), b.1.as_os_str())));
    dirs.dedup_by(|a, b| a.0.as_os_str() == b.0.as_os_str() && a.1.as_os_str() == b.1.as_os_str());
    let dirs = OutputDirs(dirs);
    dirs.check()?;
    Ok(dirs)
}

/// Stat and hash the source files of every desired output (each file once, in parallel) and
/// return the prepared outputs. A source whose size and mtime equal the previous manifest's
/// record is not read. A copied source whose output does not exist yet is not read either: it
/// is hashed after the copy ([`apply_files`]), so hashing overlaps copying instead of preceding it.
///
/// Memory: the source paths are borrowed from `desired`, not copied, and each source's entry is
/// moved into the one output that uses it (cloned only for a file several outputs share, such as
/// `overrides.yaml`); `desired` is consumed as the prepared outputs are made.
pub fn prepare(
    desired: Vec<Desired>,
    source_root: &Path,
    previous: Option<&Manifest>,
    disk: &HashMap<String, OnDisk>,
) -> Result<Vec<Prepared>, BuildError> {
    let recorded = previous.map(Manifest::source_index).unwrap_or_default();
    // Every source once, with whether some output needs its hash now (a copy whose output does
    // not exist yet does not: it is hashed after copying) and the stat the loader took of it.
    // Sorted by bytes, not by `Path`'s component-wise order, which is much slower over tens of
    // thousands of paths.
    let mut wanted: Vec<(&Path, bool, Option<FileStat>)> = desired
        .iter()
        .flat_map(|d| {
            let deferrable = matches!(d.content, OutputContent::Copy { .. })
                && matches!(disk.get(&d.rel), None | Some(OnDisk::Missing));
            d.source_paths().map(move |p| (p, !deferrable, d.source_stat))
        })
        .collect();
    wanted.sort_unstable_by(|a, b| a.0.as_os_str().cmp(b.0.as_os_str()));
    wanted.dedup_by(|later, earlier| {
        let same = later.0.as_os_str() == earlier.0.as_os_str();
        if same {
            earlier.1 |= later.1;
            earlier.2 = earlier.2.or(later.2);
        }
        same
    });
    let mut entries: Vec<Option<SourceEntry>> = wanted
        .par_iter()
        .map(|&(path, needed_now, known_stat)| {
            let rel = source_rel(source_root, path);
            let stat = match known_stat {
                Some(stat) => stat,
                None => source_stat(path)?,
            };
            let sha256 = match recorded.get(rel.as_str()) {
                Some(r) if r.stat.matches(&stat) => r.sha256.clone(),
                _ if !needed_now => String::new(),
                _ => fsutil::sha256_file(path)?,
            };
            Ok(Some(SourceEntry { path: rel, sha256, stat }))
        })
        .collect::<Result<_, BuildError>>()?;
    drop(recorded);
    // Which entry each output's sources are (in output order), and how many outputs use each.
    let index_of = |p: &Path| {
        let i = wanted.binary_search_by(|w| w.0.as_os_str().cmp(p.as_os_str()));
        i.expect("every source of a desired output was stat-ed above")
    };
    let source_index: Vec<usize> = desired.iter().flat_map(|d| d.source_paths().map(index_of)).collect();
    drop(wanted);
    let mut uses = vec![0u32; entries.len()];
    for &i in &source_index {
        uses[i] += 1;
    }

    // One map over the consumed list: a prepared output is no larger than a desired one, so
    // the list is converted in place (std's in-place `collect`) instead of being held twice.
    let mut source_index = source_index.into_iter();
    let prepared = desired
        .into_iter()
        .map(|d| {
            let count = d.source_paths().count();
            let sources: Vec<SourceEntry> = source_index
                .by_ref()
                .take(count)
                .map(|i| {
                    uses[i] -= 1;
                    let entry = if uses[i] == 0 { entries[i].take() } else { entries[i].clone() };
                    entry.expect("an entry is taken by its last user only")
                })
                .collect();
            let sha256 = match &d.content {
                OutputContent::Text(text) => Some(fsutil::sha256_hex(text.as_bytes())),
                // A copy's first source is what it copies (`Desired::source_paths`).
                OutputContent::Copy { from, .. } => {
                    let e = sources.first().ok_or_else(|| BuildError::CopyWithoutSource {
                        rel: d.rel.clone(),
                        from: from.clone(),
                    })?;
                    Some(e.sha256.clone()).filter(|s| !s.is_empty())
                }
            };
            Ok(Prepared { rel: d.rel, content: d.content, resource: d.resource, sha256, sources })
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
    let mut unlisted_dirs: Vec<PathBuf> = Vec::new();
    for rel in rels {
        let resolved = resolve(rel)?;
        if previous.is_none_or(|m| !m.files.contains_key(*rel)) {
            let Some(dir) = resolved.path.parent() else { continue };
            // Paths come sorted: most repeats are the previous one.
            if unlisted_dirs.last().is_none_or(|last| last.as_os_str() != dir.as_os_str()) {
                unlisted_dirs.push(dir.to_path_buf());
            }
        }
    }
    // By bytes: `Path`'s component-wise order and hashing are much slower over many paths.
    unlisted_dirs.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    unlisted_dirs.dedup_by(|a, b| a.as_os_str() == b.as_os_str());
    let missing_dirs: Vec<PathBuf> = unlisted_dirs
        .into_par_iter()
        .filter(|d| {
            std::fs::symlink_metadata(d).is_err_and(|e| {
                matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory)
            })
        })
        .collect();
    let is_missing = |d: &Path| missing_dirs.binary_search_by(|m| m.as_os_str().cmp(d.as_os_str())).is_ok();
    rels.par_iter()
        .map(|rel| -> Result<_, BuildError> {
            let resolved = resolve(rel)?;
            if resolved.path.parent().is_some_and(is_missing) {
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
    /// What each of the plan's writes wrote, in the plan's order (`None`: not written).
    pub written: Vec<Option<WrittenFile>>,
    pub removed: BTreeSet<String>,
}

/// Apply the plan's writes and removals. Stops at the first error but returns what was done
/// with it, so the caller can still record it in the manifest. `dirs` are the directories of
/// the plan's writes ([`check_directories`] at plan time): checked again, then created.
/// `progress` is called once per file written or removed (for a progress bar).
pub fn apply_files(
    plan: &Plan,
    dirs: &OutputDirs,
    output_root: &Path,
    progress: &Progress<'_>,
) -> (Applied, Option<FsError>) {
    let mut applied = Applied::default();
    // No symlink on the way to any output (checked before any write), and every output
    // directory created once, before the parallel writes (not a `stat` per file).
    if let Err(e) = dirs.check().and_then(|()| fsutil::create_dirs(dirs.paths())) {
        return (applied, Some(e));
    }
    // Paths are resolved again where they are written rather than held all at once. Errors
    // are set aside (the first in plan order is returned), so that the list of what was
    // written is made once, not converted from a list of results.
    let errors: Mutex<Vec<(usize, FsError)>> = Mutex::default();
    applied.written = plan
        .writes
        .par_iter()
        .enumerate()
        .map(|(i, w)| match write_output(&w.output, output_root) {
            Ok(done) => {
                progress();
                Some(done)
            }
            Err(e) => {
                errors.lock().unwrap_or_else(PoisonError::into_inner).push((i, e));
                None
            }
        })
        .collect();
    let errors = errors.into_inner().unwrap_or_else(PoisonError::into_inner);
    let first_error = errors.into_iter().min_by_key(|(i, _)| *i).map(|(_, e)| e);
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
    let mut emptied: Vec<_> = dirs_to_prune.into_iter().collect();
    emptied.sort_by_key(|(d, _)| std::cmp::Reverse(d.components().count()));
    for (dir, stop) in emptied {
        prune_empty_dirs(&dir, &stop);
    }
    (applied, None)
}

/// Write one output (atomically) and return its stat and hash.
fn write_output(output: &Prepared, output_root: &Path) -> Result<WrittenFile, FsError> {
    let r = resolve_output(output_root, &output.rel)?;
    let (stat, sha256) = match (&output.content, &output.sha256) {
        (OutputContent::Text(text), sha) => {
            let meta = fsutil::write_atomic_into_existing_dir(&r.path, text.as_bytes())?;
            let sha = sha.clone().unwrap_or_else(|| fsutil::sha256_hex(text.as_bytes()));
            (FileStat::from_metadata(&meta), sha)
        }
        (OutputContent::Copy { from, .. }, Some(sha)) => {
            fsutil::copy_atomic(from, &r.path)?;
            let stat = FileStat::of(&r.path)
                .map_err(|source| FsError::Read { path: r.path.clone(), source })?
                .ok_or_else(|| FsError::Read {
                    path: r.path.clone(),
                    source: std::io::Error::from(std::io::ErrorKind::NotFound),
                })?;
            (stat, sha.clone())
        }
        // Not hashed yet: hashed while copying, in one read of the source.
        (OutputContent::Copy { from, .. }, None) => {
            let (sha, meta) = fsutil::copy_hashed_into_existing_dir(from, &r.path)?;
            (FileStat::from_metadata(&meta), sha)
        }
    };
    Ok(WrittenFile { stat, sha256 })
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
            dirs.paths().collect::<Vec<_>>(),
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
    fn preparing_converts_the_list_of_outputs_in_place() {
        // std's in-place `collect` needs the prepared output to be no larger than the desired one.
        assert!(std::mem::size_of::<Prepared>() <= std::mem::size_of::<Desired>());
        assert_eq!(std::mem::align_of::<Prepared>(), std::mem::align_of::<Desired>());
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
