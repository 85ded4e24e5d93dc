//! The I/O half of `agb build`: resolve output paths safely, hash what must be hashed, observe
//! the output root, and apply a [`Plan`].
//!
//! Everything that can be decided from size + mtime is: a no-change build only stats. Work over
//! many files runs in parallel (rayon): hashing, stat-ing, copying.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::plan::{OnDisk, Plan, Prepared, WrittenFile};
use super::{BuildError, Desired};
use crate::fsutil::{self, FsError};
use crate::manifest::{FileStat, Manifest, SourceEntry};
use crate::target::OutputContent;

/// The one place outside the output root agb writes to (codex skills), relative to the root.
pub const CODEX_SKILLS_REL: &str = "../.agents/skills/";

/// Where an output path lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The directory the path must stay inside (checked for `..` and symlinks from here).
    pub root: PathBuf,
    /// The directory empty parents are pruned up to (never removed itself).
    pub prune_stop: PathBuf,
    pub path: PathBuf,
}

/// Resolve an output path relative to `output_root`. Only `../.agents/skills/<name>/…` may leave
/// the root (SPEC §1.8); any other `..`, absolute path or empty component is refused.
pub fn resolve_output(output_root: &Path, rel: &str) -> Result<Resolved, FsError> {
    if let Some(inside) = rel.strip_prefix("../") {
        let escapes = || FsError::Escapes { root: output_root.to_path_buf(), path: rel.to_string() };
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

/// Check, once per directory, that no component between its root and each path's parent is a
/// symlink (the final component is checked by [`observe`], which treats a link as
/// [`OnDisk::NotAFile`]). Fails on the first escape.
pub fn check_directories<'a>(resolved: impl Iterator<Item = &'a Resolved>) -> Result<(), FsError> {
    let mut seen: HashSet<(&Path, &Path)> = HashSet::new();
    let mut dirs = Vec::new();
    for r in resolved {
        let parent = r.path.parent().unwrap_or(&r.root);
        if seen.insert((r.root.as_path(), parent)) {
            dirs.push((r.root.as_path(), parent));
        }
    }
    dirs.par_iter().try_for_each(|(root, dir)| fsutil::ensure_no_symlink_escape(root, dir))
}

/// Stat and hash the source files of every desired output (each file once, in parallel) and
/// return the prepared outputs. A source whose size and mtime equal the previous manifest's
/// record is not read. A copied source whose output does not exist yet is not read either: it
/// is hashed after the copy ([`apply_files`]), so hashing overlaps copying instead of preceding it.
pub fn prepare(
    desired: Vec<Desired>,
    source_root: &Path,
    previous: Option<&Manifest>,
    disk: &HashMap<String, OnDisk>,
) -> Result<Vec<Prepared>, BuildError> {
    let recorded = previous.map(Manifest::source_index).unwrap_or_default();
    let unique: BTreeSet<PathBuf> = desired.iter().flat_map(|d| d.sources.iter().cloned()).collect();
    let deferrable: HashSet<&Path> = desired
        .iter()
        .filter(|d| matches!(disk.get(&d.rel), None | Some(OnDisk::Missing)))
        .filter_map(|d| match &d.content {
            OutputContent::Copy { from, .. } => Some(from.as_path()),
            OutputContent::Text(_) => None,
        })
        .collect();
    // A source used by a text output too (not the case today) must be hashed now.
    let needed_now: HashSet<&Path> = desired
        .iter()
        .filter(|d| {
            !matches!(disk.get(&d.rel), None | Some(OnDisk::Missing))
                || matches!(d.content, OutputContent::Text(_))
        })
        .flat_map(|d| d.sources.iter().map(PathBuf::as_path))
        .collect();
    let entries: HashMap<PathBuf, SourceEntry> = unique
        .into_par_iter()
        .map(|path| {
            let rel = fsutil::rel_slash(source_root, &path).unwrap_or_else(|| path.display().to_string());
            let read_err = |source| FsError::Read { path: path.clone(), source };
            let stat = FileStat::of(&path)
                .map_err(read_err)?
                .ok_or_else(|| read_err(std::io::Error::from(std::io::ErrorKind::NotFound)))?;
            let sha256 = match recorded.get(rel.as_str()) {
                Some(r) if r.stat.matches(&stat) => r.sha256.clone(),
                _ if deferrable.contains(path.as_path()) && !needed_now.contains(path.as_path()) => {
                    String::new()
                }
                _ => fsutil::sha256_file(&path)?,
            };
            Ok((path, SourceEntry { path: rel, sha256, stat }))
        })
        .collect::<Result<_, FsError>>()?;

    let prepared = desired
        .into_par_iter()
        .map(|d| {
            let (sha256, size) = match &d.content {
                OutputContent::Text(text) => (Some(fsutil::sha256_hex(text.as_bytes())), text.len() as u64),
                OutputContent::Copy { from, .. } => {
                    let e = entries.get(from.as_path()).ok_or_else(|| BuildError::CopyWithoutSource {
                        rel: d.rel.clone(),
                        from: from.clone(),
                    })?;
                    (Some(e.sha256.clone()).filter(|s| !s.is_empty()), e.stat.size)
                }
            };
            let sources = d
                .sources
                .iter()
                .map(|p| {
                    entries
                        .get(p.as_path())
                        .expect("every source of a desired output was stat-ed above")
                        .clone()
                })
                .collect();
            Ok(Prepared { rel: d.rel, content: d.content, resource: d.resource, sha256, size, sources })
        })
        .collect::<Result<Vec<_>, BuildError>>()?;
    Ok(prepared)
}

/// What is at each path now: one `lstat` each; a file is hashed only when its size or mtime
/// differs from the manifest's record (or the manifest does not list it).
pub fn observe(
    paths: &[(String, Resolved)],
    previous: Option<&Manifest>,
) -> Result<HashMap<String, OnDisk>, FsError> {
    paths
        .par_iter()
        .map(|(rel, resolved)| {
            let read_err = |source| FsError::Read { path: resolved.path.clone(), source };
            let meta = match std::fs::symlink_metadata(&resolved.path) {
                Ok(m) => m,
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                    ) =>
                {
                    return Ok((rel.clone(), OnDisk::Missing));
                }
                Err(e) => return Err(read_err(e)),
            };
            if !meta.is_file() {
                return Ok((rel.clone(), OnDisk::NotAFile));
            }
            let stat = FileStat::from_metadata(&meta);
            let recorded = previous.and_then(|m| m.files.get(rel));
            if recorded.is_some_and(|r| r.stat.matches(&stat)) {
                return Ok((rel.clone(), OnDisk::AsBuilt));
            }
            let sha256 = fsutil::sha256_file(&resolved.path)?;
            Ok((rel.clone(), OnDisk::File { sha256, stat }))
        })
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
pub fn apply_files(plan: &Plan, output_root: &Path) -> (Applied, Option<FsError>) {
    let mut applied = Applied::default();
    let resolved: Result<Vec<(&Prepared, Resolved)>, FsError> = plan
        .writes
        .iter()
        .map(|w| resolve_output(output_root, &w.output.rel).map(|r| (&w.output, r)))
        .collect();
    let resolved = match resolved {
        Ok(r) => r,
        Err(e) => return (applied, Some(e)),
    };
    if let Err(e) = check_directories(resolved.iter().map(|(_, r)| r)) {
        return (applied, Some(e));
    }
    let results: Vec<Result<(String, WrittenFile), FsError>> = resolved
        .par_iter()
        .map(|(output, r)| {
            match &output.content {
                OutputContent::Text(text) => fsutil::write_atomic_unsynced(&r.path, text.as_bytes())?,
                OutputContent::Copy { from, .. } => fsutil::copy_atomic(from, &r.path)?,
            }
            let stat = FileStat::of(&r.path)
                .map_err(|source| FsError::Read { path: r.path.clone(), source })?
                .ok_or_else(|| FsError::Read {
                    path: r.path.clone(),
                    source: std::io::Error::from(std::io::ErrorKind::NotFound),
                })?;
            let sha256 = match &output.sha256 {
                Some(sha) => sha.clone(),
                // Just copied: the bytes are in the page cache, and the other thread copies meanwhile.
                None => fsutil::sha256_file(&r.path)?,
            };
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
