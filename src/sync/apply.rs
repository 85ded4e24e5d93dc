//! Applying a [`SyncPlan`]: write the planned source texts, copy and delete extras, then refresh
//! the build manifest for what was synced.
//!
//! Every write is atomic (temp file in the same directory + rename), so a sync killed at any
//! moment leaves each source file either old or new. Writes go only inside the source's
//! `plugins/` directory, never through a symlink. An error in one resource stops that
//! resource, not the others; its manifest entries are left as they were.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::error::SyncError;
use super::normalize::{normalize_resource, Normalized};
use super::plan::{Action, ChangeKind, ResourceSync, SyncPlan, SyncState};
use crate::fsutil::{self, FsError};
use crate::manifest::{FileStat, OutputEntry, SourceEntry};
use crate::names::ResourceId;
use crate::outputs::io::resolve_output;

/// Threads for applying writes (I/O-bound).
const IO_THREADS: usize = 16;

/// What a sync did.
#[derive(Debug, Default)]
pub struct SyncOutcome {
    /// Source files written or deleted, relative to the source root, per resource.
    pub changed: Vec<(ResourceId, ChangeKind, String)>,
    /// Resources whose writes failed (the others were synced).
    pub errors: Vec<SyncError>,
    pub manifest_written: bool,
    /// Project files rewritten in agb's formatting after their edit was synced (output-root
    /// relative): same description, body and metadata, only the formatting changed.
    pub normalized: Vec<String>,
    /// Synced project files left as they are because they also say something the source does
    /// not (another metadata key edited): `agb build` will overwrite it.
    pub not_normalized: Vec<String>,
    /// How long refreshing the manifest took (the rest of the apply wrote the source), for `-vv`.
    pub manifest_time: std::time::Duration,
}

/// Apply every resource's actions (resources in parallel: each write is fsync'd, and the
/// device overlaps them), then refresh the manifest.
///
/// `progress` is called once per source file written or deleted (from any thread).
pub fn apply_sync(plan: &mut SyncPlan, progress: &(dyn Fn() + Sync)) -> SyncOutcome {
    // Taken out while applying (nothing before the refresh reads it) so that it can be updated
    // in place, then put back for the report.
    let mut manifest = plan.manifest.take();
    let outcome = apply_with(plan, manifest.as_mut(), progress);
    plan.manifest = manifest;
    outcome
}

// Long on purpose: one resource at a time, each action applied and its error kept, then the
// manifest refresh; splitting would pass the same five accumulators around.
fn apply_with(
    plan: &SyncPlan,
    manifest: Option<&mut crate::manifest::Manifest>,
    progress: &(dyn Fn() + Sync),
) -> SyncOutcome {
    let mut outcome = SyncOutcome::default();
    let source_root = &plan.layout.source_root;
    let display = |p: &Path| fsutil::rel_slash(source_root, p).unwrap_or_else(|| p.display().to_string());
    // overrides.yaml as sync left it (sync never writes it), for re-rendering synced resources.
    let overrides = if plan.normalize.is_empty() {
        Ok(crate::source::Overrides::none())
    } else {
        crate::source::load_overrides(source_root)
    };
    struct Done {
        changed: Vec<(ResourceId, ChangeKind, String)>,
        written: Vec<PathBuf>,
        error: Option<SyncError>,
        normalized: Result<Normalized, SyncError>,
    }
    let apply_all = || -> Vec<(&ResourceSync, Done)> {
        plan.resources
            .par_iter()
            .filter(|r| {
                !(matches!(r.state, SyncState::Skipped) || (r.state == SyncState::Conflict && !plan.force))
            })
            .map(|r| {
                let mut done = Done {
                    changed: Vec::new(),
                    written: Vec::new(),
                    error: None,
                    normalized: Ok(Normalized::Nothing),
                };
                for action in &r.actions {
                    if let Err(e) = apply_action(&plan.plugins_dir, &r.id, action) {
                        done.error = Some(e);
                        return (r, done);
                    }
                    progress();
                    done.written.push(action.path().to_path_buf());
                    done.changed.push((r.id.clone(), action.kind(), display(action.path())));
                }
                // Before the manifest refresh below, which then records the rewritten file.
                if let Some(resource) = plan.normalize.get(&r.id.key()) {
                    done.normalized = match &overrides {
                        Ok(o) => normalize_resource(plan, resource, o),
                        Err(e) => {
                            Err(SyncError::Normalize { resource: r.id.clone(), message: e.to_string() })
                        }
                    };
                }
                (r, done)
            })
            .collect()
    };
    // Writes wait on the disk (each is fsync'd), not on the CPU: more threads than cores let
    // those waits overlap. Without a pool (cannot spawn threads) the global one does it.
    let writes = plan.resources.iter().map(|r| r.actions.len()).sum::<usize>();
    let pool =
        (writes > 1).then(|| rayon::ThreadPoolBuilder::new().num_threads(IO_THREADS).build().ok()).flatten();
    let results = match pool {
        Some(pool) => pool.install(apply_all),
        None => apply_all(),
    };
    let mut synced = Vec::new();
    let mut written_sources: BTreeSet<PathBuf> = BTreeSet::new();
    for (r, done) in results {
        outcome.changed.extend(done.changed);
        written_sources.extend(done.written);
        match done.normalized {
            Ok(Normalized::Nothing) => {}
            Ok(Normalized::Rewritten(rel)) => outcome.normalized.push(rel),
            Ok(Normalized::Differs(rel)) => outcome.not_normalized.push(rel),
            // The source holds the edit: the resource still counts as synced.
            Err(e) => outcome.errors.push(e),
        }
        match done.error {
            Some(e) => outcome.errors.push(e),
            None => synced.push(r),
        }
    }
    outcome.normalized.sort();
    outcome.not_normalized.sort();
    let clock = std::time::Instant::now();
    if let Some(manifest) = manifest {
        refresh_manifest(plan, manifest, &synced, &written_sources, &mut outcome);
    }
    outcome.manifest_time = clock.elapsed();
    outcome
}

/// Record in the manifest what the synced resources changed, and save it when it changed.
/// The manifest is updated in place: a copy of tens of thousands of entries, and comparing it
/// whole afterwards, cost more than the few entries a sync refreshes.
fn refresh_manifest(
    plan: &SyncPlan,
    manifest: &mut crate::manifest::Manifest,
    synced: &[&ResourceSync],
    written_sources: &BTreeSet<PathBuf>,
    outcome: &mut SyncOutcome,
) {
    // A partial plan comes from the stat-only change check, which found the record valid (its
    // digest matched) in this very manifest: no need to hash every entry again to know it.
    let inputs_were_valid =
        manifest.inputs.as_ref().is_some_and(|i| plan.partial || i.files_digest == manifest.files_digest());
    let mut keys_by_resource: HashMap<&ResourceId, Vec<&str>> = HashMap::new();
    for (rel, e) in &manifest.files {
        if let Some(id) = e.resource.resource() {
            keys_by_resource.entry(id).or_default().push(rel.as_str());
        }
    }
    let refreshed: Vec<Result<Refreshed, SyncError>> = synced
        .par_iter()
        .map(|r| refresh_resource(plan, manifest, r, written_sources, keys_by_resource.get(&r.id)))
        .collect();
    drop(keys_by_resource);
    let mut changed = false;
    for result in refreshed {
        match result {
            Ok(done) => {
                for rel in done.dropped {
                    changed |= manifest.files.remove(&rel).is_some();
                }
                for (rel, entry) in done.entries {
                    let same = manifest.files.get(&rel) == Some(&entry);
                    if !same {
                        manifest.files.insert(rel, entry);
                        changed = true;
                    }
                }
            }
            Err(e) => outcome.errors.push(e),
        }
    }
    if changed {
        if inputs_were_valid {
            keep_inputs_valid(manifest);
        }
        match manifest.save(&plan.layout.output_root) {
            // No stat index: the source directories sync just wrote into have mtimes too recent
            // to record, so it would be stale at once; the next no-change build or sync writes it.
            Ok(()) => outcome.manifest_written = true,
            Err(e) => outcome.errors.push(e.into()),
        }
    }
}

/// The build's record of its other inputs (agb.yaml, source directories, input files) stays
/// true across a sync: sync writes only files the manifest lists as sources or outputs, and
/// records their new stats in the entries it refreshes. So a record that was valid before is
/// carried over, sealed with the new entries' digest, and the next `build` or `sync` can still
/// answer "nothing changed" from stats alone instead of loading the whole source. (The source
/// directories sync wrote into now have new mtimes; the fast path reads those few directories
/// and finds the listing the manifest expects.) The caller keeps a record that was already
/// stale stale.
fn keep_inputs_valid(manifest: &mut crate::manifest::Manifest) {
    let digest = manifest.files_digest();
    if let Some(inputs) = manifest.inputs.as_mut() {
        inputs.files_digest = digest;
    }
}

/// Check that `path` is a plain path inside the source's `plugins/` directory with no symlink
/// on the way (SPEC §1.8).
fn check_inside(plugins_dir: &Path, path: &Path) -> Result<(), FsError> {
    let escapes = || FsError::Escapes { root: plugins_dir.to_path_buf(), path: path.display().to_string() };
    let rel = match fsutil::rel_slash(plugins_dir, path) {
        Some(rel) => rel,
        None if path.starts_with(plugins_dir) => {
            return Err(FsError::Write {
                path: path.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "the file name is not valid UTF-8",
                ),
            })
        }
        None => return Err(escapes()),
    };
    let joined = fsutil::join_inside(plugins_dir, &rel)?;
    fsutil::ensure_no_symlink_escape(plugins_dir, &joined)
}

fn apply_action(plugins_dir: &Path, id: &ResourceId, action: &Action) -> Result<(), SyncError> {
    check_inside(plugins_dir, action.path())?;
    match action {
        Action::WriteText { path, after, .. } => fsutil::write_atomic(path, after.as_bytes())?,
        Action::CopyExtra { from, to, .. } => {
            // The project file must still be a regular file, not a link put there since planning.
            let meta = std::fs::symlink_metadata(from)
                .map_err(|source| FsError::Read { path: from.clone(), source })?;
            if !meta.is_file() {
                return Err(SyncError::Symlink { resource: id.clone(), path: from.display().to_string() });
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
        FileStat::of_source(path).map_err(|source| FsError::Read { path: path.to_path_buf(), source })?
    else {
        return Ok(None);
    };
    let rel = fsutil::rel_slash(source_root, path).unwrap_or_else(|| path.display().to_string());
    Ok(Some(SourceEntry { path: rel, sha256: fsutil::sha256_file(path)?, stat }))
}

/// The new manifest entries of one resource.
struct Refreshed {
    entries: Vec<(String, OutputEntry)>,
    dropped: Vec<String>,
}

/// Refresh the manifest entries of one synced resource: outputs the project changed now record
/// the project file as built from the new source; outputs it deleted are dropped; every entry
/// whose source file sync rewrote records that file's new hash.
fn refresh_resource(
    plan: &SyncPlan,
    previous: &crate::manifest::Manifest,
    r: &ResourceSync,
    written: &BTreeSet<PathBuf>,
    own_keys: Option<&Vec<&str>>,
) -> Result<Refreshed, SyncError> {
    let source_root = &plan.layout.source_root;
    let mut fresh: BTreeMap<PathBuf, Option<SourceEntry>> = BTreeMap::new();
    let mut entry_of = |path: &Path, known_sha: Option<&str>| -> Result<Option<SourceEntry>, FsError> {
        if let Some(e) = fresh.get(path) {
            return Ok(e.clone());
        }
        let e = match known_sha {
            Some(sha) => FileStat::of_source(path)
                .map_err(|source| FsError::Read { path: path.to_path_buf(), source })?
                .map(|stat| SourceEntry {
                    path: fsutil::rel_slash(source_root, path).unwrap_or_else(|| path.display().to_string()),
                    sha256: sha.to_string(),
                    stat,
                }),
            None => source_entry(source_root, path)?,
        };
        fresh.insert(path.to_path_buf(), e.clone());
        Ok(e)
    };
    let mut out = Refreshed { entries: Vec::new(), dropped: r.drop_outputs.clone() };
    let main_sources: Vec<PathBuf> = plan.source_files.get(&r.id).cloned().unwrap_or_default();
    let mut done: BTreeSet<&str> = BTreeSet::new();
    for refresh in &r.refresh_outputs {
        let resolved = resolve_output(&plan.layout.output_root, &refresh.rel)?;
        let Some(stat) = FileStat::of(&resolved.path)
            .map_err(|source| FsError::Read { path: resolved.path.clone(), source })?
        else {
            continue;
        };
        let sha256 = match &refresh.sha256 {
            Some(s) => s.clone(),
            None => fsutil::sha256_file(&resolved.path)?,
        };
        let mut sources = Vec::new();
        match &refresh.extra_source {
            // The source extra was copied from this very file when the hash is known.
            Some(p) => sources.extend(entry_of(p, refresh.sha256.as_deref())?),
            None => {
                for p in &main_sources {
                    sources.extend(entry_of(p, None)?);
                }
            }
        }
        done.insert(&refresh.rel);
        out.entries.push((
            refresh.rel.clone(),
            OutputEntry {
                sha256,
                stat,
                resource: crate::manifest::OutputOrigin::Resource(r.id.clone()),
                sources,
            },
        ));
    }
    // Other outputs of the resource (codex agents/openai.yaml, the main file of a codex agent
    // whose description lives in config.toml) keep their content but were rendered from files
    // sync just rewrote.
    for k in own_keys.into_iter().flatten() {
        if done.contains(k) || r.drop_outputs.iter().any(|d| d == k) {
            continue;
        }
        let Some(entry) = previous.files.get(*k) else { continue };
        if !entry.sources.iter().any(|s| written.contains(&source_root.join(&s.path))) {
            continue;
        }
        let mut entry = entry.clone();
        for s in entry.sources.iter_mut() {
            let path = source_root.join(&s.path);
            if written.contains(&path) {
                if let Some(e) = entry_of(&path, None)? {
                    *s = e;
                }
            }
        }
        out.entries.push((k.to_string(), entry));
    }
    Ok(out)
}
