//! Applying a [`SyncPlan`]: write the planned source texts, copy and delete extras, then refresh
//! the build manifest for what was synced.
//!
//! Every write is atomic (temp file in the same directory + rename), so a sync killed at any
//! moment leaves each source file either old or new. Writes go only inside the source's
//! `plugins/` directory, never through a symlink. An error in one resource stops that
//! resource, not the others; its manifest entries are left as they were.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::{Action, ChangeKind, SyncError, SyncPlan, SyncState};
use crate::build::io::resolve_output;
use crate::fsutil::{self, FsError};
use crate::manifest::{FileStat, OutputEntry, SourceEntry};

/// What a sync did.
#[derive(Debug, Default)]
pub struct SyncOutcome {
    /// Source files written or deleted, relative to the source root, per resource key.
    pub changed: Vec<(String, ChangeKind, String)>,
    /// Resources whose writes failed (the others were synced).
    pub errors: Vec<SyncError>,
    pub manifest_written: bool,
}

/// Apply every resource's actions, then refresh the manifest.
pub fn apply_sync(plan: &SyncPlan) -> SyncOutcome {
    let mut outcome = SyncOutcome::default();
    let source_root = &plan.layout.source_root;
    let display = |p: &Path| fsutil::rel_slash(source_root, p).unwrap_or_else(|| p.display().to_string());
    let mut synced: BTreeSet<&str> = BTreeSet::new();
    let mut written_sources: BTreeSet<PathBuf> = BTreeSet::new();
    for r in &plan.resources {
        if matches!(r.state, SyncState::Skipped) || (r.state == SyncState::Conflict && !plan.force) {
            continue;
        }
        let mut ok = true;
        for action in &r.actions {
            match apply_action(&plan.plugins_dir, action) {
                Ok(()) => {
                    written_sources.insert(action.path().to_path_buf());
                    outcome.changed.push((r.key.clone(), action.kind(), display(action.path())));
                }
                Err(e) => {
                    outcome.errors.push(e);
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            synced.insert(&r.key);
        }
    }
    if let Some(previous) = &plan.manifest {
        let mut next = previous.clone();
        for r in plan.resources.iter().filter(|r| synced.contains(r.key.as_str())) {
            if let Err(e) = refresh_resource(plan, &mut next, r, &written_sources) {
                outcome.errors.push(e);
            }
        }
        if &next != previous {
            match next.save(&plan.layout.output_root) {
                Ok(()) => outcome.manifest_written = true,
                Err(e) => outcome.errors.push(e.into()),
            }
        }
    }
    outcome
}

/// Check that `path` is a plain path inside the source's `plugins/` directory with no symlink
/// on the way (SPEC §1.8).
fn check_inside(plugins_dir: &Path, path: &Path) -> Result<(), FsError> {
    let escapes = || FsError::Escapes { root: plugins_dir.to_path_buf(), path: path.display().to_string() };
    let rel = fsutil::rel_slash(plugins_dir, path).ok_or_else(escapes)?;
    let joined = fsutil::join_inside(plugins_dir, &rel)?;
    fsutil::ensure_no_symlink_escape(plugins_dir, &joined)
}

fn apply_action(plugins_dir: &Path, action: &Action) -> Result<(), SyncError> {
    check_inside(plugins_dir, action.path())?;
    match action {
        Action::WriteText { path, after, .. } => fsutil::write_atomic(path, after.as_bytes())?,
        Action::CopyExtra { from, to, .. } => {
            // The project file must still be a regular file, not a link put there since planning.
            let meta = std::fs::symlink_metadata(from)
                .map_err(|source| FsError::Read { path: from.clone(), source })?;
            if !meta.is_file() {
                return Err(SyncError::Symlink { resource: String::new(), path: from.display().to_string() });
            }
            fsutil::copy_atomic(from, to)?;
        }
        Action::DeleteExtra { path, .. } => {
            match std::fs::remove_file(path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(FsError::Write { path: path.clone(), source }.into()),
            }
            prune_empty_parents(path);
        }
    }
    Ok(())
}

/// Remove directories a deleted extra leaves empty, up to (not including) the skill directory.
fn prune_empty_parents(path: &Path) {
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d.join("SKILL.md").exists() || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

fn source_entry(source_root: &Path, path: &Path) -> Result<Option<SourceEntry>, FsError> {
    let Some(stat) =
        FileStat::of(path).map_err(|source| FsError::Read { path: path.to_path_buf(), source })?
    else {
        return Ok(None);
    };
    let rel = fsutil::rel_slash(source_root, path).unwrap_or_else(|| path.display().to_string());
    Ok(Some(SourceEntry { path: rel, sha256: fsutil::sha256_file(path)?, stat }))
}

/// Refresh the manifest entries of one synced resource: outputs the project changed now record
/// the project file as built from the new source; outputs it deleted are dropped; every entry
/// whose source file sync rewrote records that file's new hash.
fn refresh_resource(
    plan: &SyncPlan,
    next: &mut crate::manifest::Manifest,
    r: &super::ResourceSync,
    written: &BTreeSet<PathBuf>,
) -> Result<(), SyncError> {
    let source_root = &plan.layout.source_root;
    let mut fresh: BTreeMap<PathBuf, Option<SourceEntry>> = BTreeMap::new();
    let mut entry_of = |path: &Path| -> Result<Option<SourceEntry>, FsError> {
        if let Some(e) = fresh.get(path) {
            return Ok(e.clone());
        }
        let e = source_entry(source_root, path)?;
        fresh.insert(path.to_path_buf(), e.clone());
        Ok(e)
    };
    for rel in &r.drop_outputs {
        next.files.remove(rel);
    }
    let main_sources: Vec<PathBuf> = plan.source_files.get(&r.key).cloned().unwrap_or_default();
    for refresh in &r.refresh_outputs {
        let resolved = resolve_output(&plan.layout.output_root, &refresh.rel)?;
        let Some(stat) = FileStat::of(&resolved.path)
            .map_err(|source| FsError::Read { path: resolved.path.clone(), source })?
        else {
            continue;
        };
        let sha256 = fsutil::sha256_file(&resolved.path)?;
        let paths = match &refresh.extra_source {
            Some(p) => vec![p.clone()],
            None => main_sources.clone(),
        };
        let mut sources = Vec::new();
        for p in &paths {
            sources.extend(entry_of(p)?);
        }
        next.files
            .insert(refresh.rel.clone(), OutputEntry { sha256, stat, resource: r.key.clone(), sources });
    }
    // Other outputs of the resource (codex agents/openai.yaml, the main file of a codex agent
    // whose description lives in config.toml) keep their content but were rendered from files
    // sync just rewrote.
    let written_rel: BTreeSet<String> =
        written.iter().filter_map(|p| fsutil::rel_slash(source_root, p)).collect();
    let keys: Vec<String> =
        next.files.iter().filter(|(_, e)| e.resource == r.key).map(|(k, _)| k.clone()).collect();
    for k in keys {
        let entry = next.files.get_mut(&k).expect("key listed just above");
        for s in entry.sources.iter_mut() {
            if written_rel.contains(&s.path) {
                if let Some(e) = entry_of(&source_root.join(&s.path))? {
                    *s = e;
                }
            }
        }
    }
    Ok(())
}
