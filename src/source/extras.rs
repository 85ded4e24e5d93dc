//! The extras of a skill: the files of its directory other than `SKILL.md` and its sidecar,
//! found with one walk and one `stat` each (kept in [`Extra`] so build and sync need no other).
//!
//! Not here: copying them (build) or deciding what is excluded (`exclude`).

use std::fs;
use std::path::Path;

use crate::names::ResourceId;

use super::load::LoadContext;
use super::scan::is_hidden;
use super::{Extra, SourceError};

/// The extras of a skill: every non-hidden file under its directory except `SKILL.md` and its
/// sidecar, sorted by relative path, with the exclude globs applied. Symlinks to files count
/// (their content is what gets copied); symlinked directories are not followed. The files the
/// globs left out go to `excluded`, by canonical path.
pub fn list_extras(
    id: &ResourceId,
    skill_dir: &Path,
    ctx: &LoadContext<'_>,
    excluded: &mut Vec<String>,
) -> Result<Vec<Extra>, SourceError> {
    let mut extras = Vec::new();
    let walker = walkdir::WalkDir::new(skill_dir)
        .min_depth(1)
        .follow_links(false)
        .into_iter()
        // lossy: a hidden name that is not UTF-8 (`.\xff`) is still hidden
        .filter_entry(|e| !is_hidden(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(skill_dir).to_path_buf();
            SourceError::Unreadable { path, source: e.into() }
        })?;
        let path = entry.path();
        // A regular file `agb sync` stat-ed a moment ago: that stat, not a second one.
        let known = ctx.known_stats.filter(|_| entry.file_type().is_file()).and_then(|k| k.get(path));
        let known = known.copied().flatten().and_then(|s| Some((s.size, u64::try_from(s.mtime_ns).ok()?)));
        if let Some((size, mtime_ns)) = known {
            let modified = std::time::UNIX_EPOCH + std::time::Duration::from_nanos(mtime_ns);
            if let Some(extra) = extra_of(id, skill_dir, path, ctx, size, Some(modified), excluded)? {
                extras.push(extra);
            }
            continue;
        }
        let meta = if entry.path_is_symlink() {
            match fs::metadata(path) {
                Ok(m) => m,
                Err(_) => continue, // a dangling link is not a file of the skill
            }
        } else {
            entry
                .metadata()
                .map_err(|e| SourceError::Unreadable { path: path.to_path_buf(), source: e.into() })?
        };
        if !meta.is_file() {
            continue;
        }
        if let Some(extra) = extra_of(id, skill_dir, path, ctx, meta.len(), meta.modified().ok(), excluded)? {
            extras.push(extra);
        }
    }
    extras.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(extras)
}

/// The extra at `path` (a regular file, or a link to one, of this size and mtime), `None` when
/// it is not one: the skill's own files, or excluded.
fn extra_of(
    id: &ResourceId,
    skill_dir: &Path,
    path: &Path,
    ctx: &LoadContext<'_>,
    size: u64,
    modified: Option<std::time::SystemTime>,
    excluded: &mut Vec<String>,
) -> Result<Option<Extra>, SourceError> {
    // `rel` is lossy for a name that is not UTF-8: good enough to match the exclude globs
    // (an excluded file must not stop the build), not to be copied under.
    let rel = crate::fsutil::rel_slash_lossy(skill_dir, path)
        .ok_or_else(|| SourceError::NotUtf8Path { path: path.to_path_buf() })?;
    if matches!(rel.as_str(), "SKILL.md" | "SKILL.yaml" | "SKILL.yml") {
        return Ok(None);
    }
    let canonical = crate::exclude::skill_extra_path(id, &rel);
    if ctx.excludes.is_excluded(&canonical) {
        excluded.push(canonical);
        return Ok(None);
    }
    if path.to_str().is_none() {
        return Err(SourceError::NotUtf8Path { path: path.to_path_buf() });
    }
    Ok(Some(Extra { rel, path: path.to_path_buf(), size, modified }))
}
