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
/// (their content is what gets copied); symlinked directories are not followed.
pub fn list_extras(
    id: &ResourceId,
    skill_dir: &Path,
    ctx: &LoadContext<'_>,
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
        // `rel` is lossy for a name that is not UTF-8: good enough to match the exclude globs
        // (an excluded file must not stop the build), not to be copied under.
        let rel = crate::fsutil::rel_slash_lossy(skill_dir, path)
            .ok_or_else(|| SourceError::NotUtf8Path { path: path.to_path_buf() })?;
        if matches!(rel.as_str(), "SKILL.md" | "SKILL.yaml" | "SKILL.yml") {
            continue;
        }
        let canonical = crate::exclude::skill_extra_path(id, &rel);
        if ctx.excludes.is_excluded(&canonical) {
            continue;
        }
        if path.to_str().is_none() {
            return Err(SourceError::NotUtf8Path { path: path.to_path_buf() });
        }
        extras.push(Extra {
            rel,
            path: path.to_path_buf(),
            size: meta.len(),
            modified: meta.modified().ok(),
        });
    }
    extras.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(extras)
}
