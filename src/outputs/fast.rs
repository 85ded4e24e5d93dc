//! The no-change fast path: decide from `stat`s alone that a build would change nothing, without
//! loading the source or rendering anything.
//!
//! A build's outputs depend on agb.yaml, the agb version, the source files each output was
//! rendered from (recorded per output in the manifest), and which files exist in the source
//! directories the selection reads (a new sidecar, a new skill extra, a new `AGENTS.md`). The
//! last is covered by directory mtimes: creating, removing or renaming a file changes its
//! directory's mtime. [`collect_inputs`] records all of it on the full path; [`is_up_to_date`]
//! compares it on the next build. Any difference, or any doubt, means "take the full path",
//! never "up to date". [`sync_changes`] is the same check for `agb sync`, per resource (it also
//! carries back files added to a project skill directory).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{io, BuildError, Layout, CODEX_CONFIG_REL};
use crate::fsutil;
use crate::manifest::{FileStat, Inputs, Manifest, OutputOrigin};
use crate::names::{ResourceId, ResourceKind, Target};
use crate::source::{is_hidden, Selection};

/// Record the inputs of a build of `selection` (directories the selection's files live in, and
/// files it reads without rendering them).
///
/// `started_ns` is when the build began reading (nanoseconds since the epoch): a directory or
/// file modified at or after it may have changed while the source was being read, so no inputs
/// are recorded at all (`None`) and the next build takes the full path — git's "racy" rule.
pub fn collect_inputs(
    layout: &Layout,
    selection: &Selection,
    config_text: &str,
    started_ns: i64,
) -> Result<Option<Inputs>, BuildError> {
    let root = &layout.source_root;
    let mut dirs: Vec<PathBuf> = vec![root.clone()];
    let mut files: Vec<PathBuf> = Vec::new();
    for r in &selection.resources {
        let Some(parent) = r.main_file.parent() else { continue };
        let (kind_dir, skill_dir) = match r.id.kind {
            ResourceKind::Skill => (parent.parent(), Some(parent)),
            _ => (Some(parent), None),
        };
        if let Some(kind_dir) = kind_dir {
            dirs.push(kind_dir.to_path_buf());
            if let Some(plugin_dir) = kind_dir.parent() {
                dirs.push(plugin_dir.to_path_buf());
                files.push(plugin_dir.join("requirements.yaml"));
            }
        }
        if let Some(skill_dir) = skill_dir {
            let walk = walkdir::WalkDir::new(skill_dir)
                .into_iter()
                .filter_entry(|e| e.depth() == 0 || !is_hidden(&e.file_name().to_string_lossy()));
            for entry in walk.flatten() {
                if entry.file_type().is_dir() {
                    dirs.push(entry.into_path());
                }
            }
        }
    }
    // By bytes: only duplicates need to meet, and `Path`'s component-wise order is slow over
    // thousands of paths.
    dirs.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    dirs.dedup();
    files.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    files.dedup();
    let rel = |p: &Path| fsutil::rel_slash(root, p).unwrap_or_else(|| p.display().to_string());
    let dirs: BTreeMap<String, i64> = dirs
        .par_iter()
        .filter_map(|d| {
            std::fs::symlink_metadata(d).ok().map(|m| (rel(d), FileStat::from_metadata(&m).mtime_ns))
        })
        .collect();
    let files: BTreeMap<String, FileStat> =
        files.par_iter().filter_map(|f| FileStat::of_source(f).ok().flatten().map(|s| (rel(f), s))).collect();
    let racy = dirs.values().any(|m| *m >= started_ns) || files.values().any(|s| s.mtime_ns >= started_ns);
    if racy {
        return Ok(None);
    }
    Ok(Some(Inputs {
        config_sha256: fsutil::sha256_hex(config_text.as_bytes()),
        dirs,
        files,
        files_digest: String::new(), // set from the final entries by apply_build
        codex_config: None,
        skill_dirs: BTreeMap::new(), // set after writing by apply_build
    }))
}

/// The stat of Codex's `config.toml` in the output root, when the target is codex.
pub fn codex_config_stat(layout: &Layout) -> Option<FileStat> {
    (layout.target == Target::Codex)
        .then(|| FileStat::of(&layout.output_root.join(CODEX_CONFIG_REL)).ok().flatten())
        .flatten()
}

/// True when a build with `config_text` would change nothing: the manifest was written by this
/// agb version for this target and source, agb.yaml is the same, and every recorded directory,
/// source file, input file and output has the recorded stat. Only `stat`s; reads nothing else.
pub fn is_up_to_date(layout: &Layout, config_text: &str, manifest: &Manifest) -> bool {
    // The source side first: what a build is usually run after.
    same_header(layout, config_text, manifest)
        && same_source_side(layout, manifest)
        && same_outputs(layout, manifest)
}

/// The manifest describes this build: agb version, target, source root, agb.yaml, entries.
fn same_header(layout: &Layout, config_text: &str, manifest: &Manifest) -> bool {
    manifest.inputs.as_ref().is_some_and(|i| i.config_sha256 == fsutil::sha256_hex(config_text.as_bytes()))
        && fit_for_fast_path(layout, manifest)
}

/// [`same_header`] but agb.yaml: this agb, target and source wrote the manifest, its record of
/// the inputs is sealed by its entries' digest, and it leaves no migration to finish.
pub(super) fn fit_for_fast_path(layout: &Layout, manifest: &Manifest) -> bool {
    manifest.inputs.as_ref().is_some_and(|inputs| inputs.files_digest == manifest.files_digest())
        && fit_once_sealed(layout, manifest)
}

/// [`fit_for_fast_path`] for a manifest whose record of inputs the caller has just sealed or
/// checked against its entries: everything but hashing every entry again for the digest.
pub(super) fn fit_once_sealed(layout: &Layout, manifest: &Manifest) -> bool {
    if manifest.inputs.is_none()
        || manifest.agb_version != env!("CARGO_PKG_VERSION")
        || manifest.target != layout.target
        || manifest.source_root != layout.source_root
    {
        return false;
    }
    // A manifest that still owns `[agents.<name>]` tables in config.toml (an agb before
    // issue 10, or a migration that did not finish) needs the full build that removes them.
    if !manifest.codex_agents.is_empty() {
        return false;
    }
    // The global file written where an agb before issue 10 put it (`.gemini/GEMINI.md`…) must
    // move to where the agent reads it.
    let global_rel = layout.global_rel();
    !manifest
        .files
        .iter()
        .any(|(rel, e)| e.resource == crate::manifest::OutputOrigin::Global && *rel != global_rel)
}

/// Every recorded source directory, input file and source file has its recorded stat.
fn same_source_side(layout: &Layout, manifest: &Manifest) -> bool {
    same_source_listing(layout, manifest) && changed_sources(layout, manifest).is_empty()
}

/// No file was added to, removed from or renamed in any recorded source directory, and every
/// input file has its recorded stat.
///
/// A directory whose mtime is the recorded one is unchanged without further ado. One whose
/// mtime moved (a sync wrote a file there through temp + rename, a `git checkout` touched it)
/// is read: it is unchanged when its entries, hidden names aside, are exactly the files and
/// directories the manifest knows there. Anything else — a new file, a missing one, a name the
/// manifest does not know — means "changed".
fn same_source_listing(layout: &Layout, manifest: &Manifest) -> bool {
    let Some(inputs) = &manifest.inputs else { return false };
    let root = &layout.source_root;
    let dirs = source_dir_mtimes(layout, inputs);
    let moved: Vec<&str> =
        dirs.iter().filter(|(_, recorded, now)| Some(*recorded) != *now).map(|(rel, ..)| *rel).collect();
    let files_same = || inputs.files.par_iter().all(|(rel, stat)| same_source(&root.join(rel), stat));
    if moved.is_empty() {
        return files_same();
    }
    let known = known_entries(manifest, &moved);
    moved.par_iter().all(|rel| listing_is(&joined(root, rel), known.get(rel).unwrap_or(&BTreeSet::new())))
        && files_same()
}

/// Each recorded source directory: its recorded mtime, and its mtime now (`None`: gone, or not
/// a directory).
fn source_dir_mtimes<'a>(layout: &Layout, inputs: &'a Inputs) -> Vec<(&'a str, i64, Option<i64>)> {
    inputs
        .dirs
        .par_iter()
        .map(|(rel, recorded)| (rel.as_str(), *recorded, dir_mtime(&joined(&layout.source_root, rel))))
        .collect()
}

/// The mtime the stat index should hold for each recorded source directory: the recorded one,
/// or — for a directory whose mtime moved (a sync wrote there) but whose listing is still
/// exactly what the manifest knows — its mtime now, unless that is too recent to show a later
/// change (see [`RACY_NS`]); then the recorded one, which sends the next check to the manifest.
pub(super) fn settled_dir_mtimes<'a>(layout: &Layout, manifest: &'a Manifest) -> Vec<(&'a str, i64)> {
    let Some(inputs) = &manifest.inputs else { return Vec::new() };
    let dirs = source_dir_mtimes(layout, inputs);
    let settled_before = now_ns().saturating_sub(RACY_NS);
    let settled_moved: Vec<&str> = dirs
        .iter()
        .filter(|(_, recorded, now)| now.is_some_and(|m| m != *recorded && m < settled_before))
        .map(|(rel, ..)| *rel)
        .collect();
    let known =
        if settled_moved.is_empty() { HashMap::new() } else { known_entries(manifest, &settled_moved) };
    dirs.into_par_iter()
        .map(|(rel, recorded, now)| match now {
            Some(m) if known.contains_key(rel) => {
                let same = listing_is(&joined(&layout.source_root, rel), &known[rel]);
                (rel, if same { m } else { recorded })
            }
            _ => (rel, recorded),
        })
        .collect()
}

/// Nanoseconds since the Unix epoch now; 0 when the clock is before it, which makes every
/// file time look recent ("racy"), the safe side.
pub fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// `base` joined with the `/`-separated `rel`; `base` itself for `""` (a `join("")` would add a
/// trailing `/`, which makes the kernel follow a final link).
pub(super) fn joined(base: &Path, rel: &str) -> PathBuf {
    if rel.is_empty() {
        base.to_path_buf()
    } else {
        base.join(rel)
    }
}

/// For each of `dirs` (relative to the source root), the names the manifest knows in it: the
/// source files of its outputs, the input files that exist, and the recorded subdirectories.
fn known_entries<'a>(manifest: &'a Manifest, dirs: &[&'a str]) -> HashMap<&'a str, BTreeSet<&'a str>> {
    let mut known: HashMap<&str, BTreeSet<&str>> = dirs.iter().map(|d| (*d, BTreeSet::new())).collect();
    let mut add = |rel: &'a str| {
        let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        if let Some(names) = known.get_mut(dir) {
            names.insert(name);
        }
    };
    for s in manifest.files.values().flat_map(|e| e.sources.iter()) {
        add(&s.path);
    }
    if let Some(inputs) = &manifest.inputs {
        // An input file that did not exist is recorded nowhere, so it is not expected either.
        inputs.files.keys().for_each(|f| add(f));
        inputs.dirs.keys().filter(|d| !d.is_empty()).for_each(|d| add(d));
    }
    known
}

/// Whether the directory at `path` holds exactly `names`, hidden names aside (the source scan
/// skips them too). Unreadable counts as different.
fn listing_is(path: &Path, names: &BTreeSet<&str>) -> bool {
    let Ok(entries) = std::fs::read_dir(path) else { return false };
    let mut seen = 0usize;
    for entry in entries {
        let Ok(entry) = entry else { return false };
        let name = entry.file_name();
        let Some(name) = name.to_str() else { return false };
        if is_hidden(name) {
            continue;
        }
        if !names.contains(name) {
            return false;
        }
        seen += 1;
    }
    seen == names.len()
}

/// Source files are stat-ed through links (a linked source changes when its target does);
/// outputs never are.
fn same_source(path: &Path, recorded: &FileStat) -> bool {
    FileStat::of_source(path).ok().flatten().as_ref() == Some(recorded)
}

/// The source files (relative to the source root) whose stat differs from the manifest's
/// record; each file is stat-ed once, however many outputs it is a source of.
fn changed_sources<'a>(layout: &Layout, manifest: &'a Manifest) -> Vec<&'a str> {
    source_stats(layout, manifest)
        .into_iter()
        .filter(|(_, changed, _)| *changed)
        .map(|(rel, ..)| rel)
        .collect()
}

/// Every source file of the manifest (relative to the source root, each once, however many
/// outputs it is a source of): whether its stat differs from the record, and the stat taken
/// (`None`: missing or not a regular file).
fn source_stats<'a>(layout: &Layout, manifest: &'a Manifest) -> Vec<(&'a str, bool, Option<FileStat>)> {
    let mut sources: Vec<_> = manifest.files.values().flat_map(|e| e.sources.iter()).collect();
    sources.par_sort_unstable_by(|a, b| a.path.cmp(&b.path));
    sources.dedup_by(|a, b| a.path == b.path);
    let rels: Vec<&str> = sources.iter().map(|s| s.path.as_str()).collect();
    let now = file_stats(layout, Side::Source, &rels);
    sources.iter().zip(now).map(|(s, now)| (s.path.as_str(), now.as_ref() != Some(&s.stat), now)).collect()
}

/// Which tree a file is in, and how it is stat-ed: an output (relative to the output root,
/// which `../` may leave for the few outputs allowed outside it) never through a final link; a
/// source file (relative to the source root) through links, since a linked source changes when
/// its target does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    Output,
    Source,
}

/// The stat of each of `rels` now (`None`: missing, not a regular file, or not stat-able), in
/// order. Consecutive files of one directory (sorted paths mostly are) are stat-ed relative to
/// that directory, opened once: the kernel then looks up one name per file instead of walking
/// its whole path again, which was most of the cost of stat-ing every file of a large build.
pub(super) fn file_stats(layout: &Layout, side: Side, rels: &[&str]) -> Vec<Option<FileStat>> {
    let groups: Vec<&[&str]> = rels.chunk_by(|a, b| parent_of(a) == parent_of(b)).collect();
    groups.par_iter().flat_map_iter(|group| stats_of_group(layout, side, group)).collect()
}

/// The directory part of a `/`-separated relative path (`""` for none).
fn parent_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The last component of a `/`-separated relative path.
fn name_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or(rel, |(_, name)| name)
}

/// Whether `name` can be looked up by itself in its directory: one plain component (not empty,
/// `.`, `..`, nor holding a backslash, which Windows takes for a separator).
fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains('\\')
}

/// Whether the files `names` of one directory `parent` (relative to its root) must be stat-ed one
/// by one, each by its whole path resolved and checked, instead of relative to the directory
/// opened once: outputs that leave the output root (`../`, allowed for a few targets), and names
/// that are not a plain last component. The manifest's check and the stat index decide alike.
pub(super) fn stat_one_by_one<'a>(
    output: bool,
    parent: &str,
    mut names: impl Iterator<Item = &'a str>,
) -> bool {
    (output && (parent == ".." || parent.starts_with("../"))) || !names.all(is_plain_name)
}

/// [`file_stats`] of files that share a directory.
fn stats_of_group(layout: &Layout, side: Side, group: &[&str]) -> Vec<Option<FileStat>> {
    let one_by_one = || -> Vec<Option<FileStat>> {
        group
            .iter()
            .map(|rel| match side {
                Side::Output => io::resolve_output(&layout.output_root, rel)
                    .ok()
                    .and_then(|r| FileStat::of(&r.path).ok().flatten()),
                Side::Source => FileStat::of_source(&joined(&layout.source_root, rel)).ok().flatten(),
            })
            .collect()
    };
    // Outputs that leave the root, and names that are not a plain last component, are resolved
    // (and checked) one by one.
    let parent = parent_of(group[0]);
    if stat_one_by_one(side == Side::Output, parent, group.iter().map(|rel| name_of(rel))) {
        return one_by_one();
    }
    let dir = match side {
        Side::Output => match io::resolve_output(&layout.output_root, group[0]) {
            Ok(r) => r.path.parent().map(Path::to_path_buf),
            Err(_) => None,
        },
        Side::Source => Some(joined(&layout.source_root, parent)),
    };
    match dir {
        Some(dir) => stats_in_dir(&dir, group.iter().map(|rel| name_of(rel)), side == Side::Source)
            .unwrap_or_else(one_by_one),
        None => vec![None; group.len()],
    }
}

/// The stat of each regular file `names` names in `dir`, through a final link when `follow`;
/// `None` when `dir` cannot be opened (the caller then stats the files by their whole path).
#[cfg(target_os = "linux")]
fn stats_in_dir<'a>(
    dir: &Path,
    names: impl Iterator<Item = &'a str>,
    follow: bool,
) -> Option<Vec<Option<FileStat>>> {
    use rustix::fs::{Mode, OFlags};
    use std::os::fd::AsFd;
    let fd = rustix::fs::open(dir, OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty()).ok()?;
    Some(names.map(|name| statx_file(fd.as_fd(), name, follow)).collect())
}

/// The stat of the regular file at `path` relative to the directory `dir` (through a final
/// link when `follow`); `None` when it is missing, not a regular file, or not stat-able.
#[cfg(target_os = "linux")]
pub(super) fn statx_file(dir: std::os::fd::BorrowedFd, path: &str, follow: bool) -> Option<FileStat> {
    use rustix::fs::{AtFlags, FileType, StatxFlags};
    let flags = if follow { AtFlags::empty() } else { AtFlags::SYMLINK_NOFOLLOW };
    let st =
        rustix::fs::statx(dir, path, flags, StatxFlags::TYPE | StatxFlags::SIZE | StatxFlags::MTIME).ok()?;
    (FileType::from_raw_mode(u32::from(st.stx_mode)) == FileType::RegularFile)
        .then_some(FileStat { size: st.stx_size, mtime_ns: statx_mtime_ns(&st)? })
}

/// A `statx` result's mtime in nanoseconds since the epoch, as [`FileStat`] records it (`None`
/// past the range of `i64`).
#[cfg(target_os = "linux")]
pub(super) fn statx_mtime_ns(st: &rustix::fs::Statx) -> Option<i64> {
    st.stx_mtime.tv_sec.checked_mul(1_000_000_000)?.checked_add(i64::from(st.stx_mtime.tv_nsec))
}

#[cfg(not(target_os = "linux"))]
fn stats_in_dir<'a>(
    _dir: &Path,
    _names: impl Iterator<Item = &'a str>,
    _follow: bool,
) -> Option<Vec<Option<FileStat>>> {
    None
}

/// Every output has its recorded stat (not followed through a link).
fn same_outputs(layout: &Layout, manifest: &Manifest) -> bool {
    let rels: Vec<&str> = manifest.files.keys().map(String::as_str).collect();
    let now = file_stats(layout, Side::Output, &rels);
    manifest.files.values().zip(now).all(|(entry, now)| now.as_ref() == Some(&entry.stat))
}

/// What `agb sync` has to look at, decided from stats alone (see [`sync_changes`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncChanges {
    /// Nothing to carry back and nothing to report: every output, source file and source
    /// directory is as the build left it, and every project skill directory holds nothing but
    /// outputs the manifest lists.
    None,
    /// Only these resources have an output, a project skill directory or a source file that
    /// changed since the build; nothing else did (agb.yaml, the source's listing, the input
    /// files). Every other resource is in sync without being read. `known` holds the stats
    /// [`sync_changes`] took, so that planning does not take them again.
    Only { changed: BTreeSet<ResourceId>, known: KnownStats },
    /// Something only a sync of the whole selection can judge: agb.yaml, a file added to or
    /// removed from the source, the global instructions file, a manifest of another agb…
    All,
}

/// Stats taken a moment ago by [`sync_changes`], by absolute path: every source file the
/// manifest records (through links; `None`: missing or not a regular file) and every output
/// that is a regular file (not through links). The sync planner uses them instead of stat-ing
/// the same files again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownStats {
    pub sources: HashMap<PathBuf, Option<FileStat>>,
    pub outputs: HashMap<PathBuf, FileStat>,
}

/// What changed since the last build (or sync) for `agb sync`: the checks of [`is_up_to_date`]
/// (every output, source file and source directory as the build left them) plus one `readdir`
/// per project skill directory (a file added there is an extra sync would copy into the source;
/// a link or a FIFO there is a warning sync reports) — but per resource, so that an edited sync
/// loads only the resources it has to carry back.
pub fn sync_changes(layout: &Layout, config_text: &str, manifest: &Manifest) -> SyncChanges {
    if !same_header(layout, config_text, manifest) || !same_source_listing(layout, manifest) {
        return SyncChanges::All;
    }
    // Each output: whether it changed, and its stat when it is a regular file.
    let rels: Vec<&str> = manifest.files.keys().map(String::as_str).collect();
    let outputs = file_stats(layout, Side::Output, &rels);
    let mut changed: BTreeSet<ResourceId> = BTreeSet::new();
    let changed_outputs =
        manifest.files.values().zip(&outputs).filter(|(e, now)| now.as_ref() != Some(&e.stat));
    for (entry, _) in changed_outputs {
        match entry.resource.resource() {
            Some(id) => changed.insert(id.clone()),
            None => return SyncChanges::All,
        };
    }
    match skills_with_unlisted_files(layout, manifest) {
        Some(skills) => changed.extend(skills),
        None => return SyncChanges::All,
    }
    let stats = source_stats(layout, manifest);
    let sources: BTreeSet<&str> =
        stats.iter().filter(|(_, changed, _)| *changed).map(|(rel, ..)| *rel).collect();
    if !sources.is_empty() {
        for entry in manifest.files.values() {
            if entry.sources.iter().any(|s| sources.contains(s.path.as_str())) {
                match entry.resource.resource() {
                    Some(id) => changed.insert(id.clone()),
                    None => return SyncChanges::All,
                };
            }
        }
    }
    if changed.is_empty() {
        SyncChanges::None
    } else {
        let known = known_stats(layout, manifest, &changed, &outputs, &stats);
        SyncChanges::Only { changed, known }
    }
}

/// The stats [`sync_changes`] took that planning the `changed` resources will ask for: their
/// outputs and their source files, by absolute path. Only theirs: the other resources are not
/// planned. `outputs` is in the order of `manifest.files`, `stats` sorted by path.
fn known_stats(
    layout: &Layout,
    manifest: &Manifest,
    changed: &BTreeSet<ResourceId>,
    outputs: &[Option<FileStat>],
    stats: &[(&str, bool, Option<FileStat>)],
) -> KnownStats {
    let of_changed = |origin: &OutputOrigin| origin.resource().is_some_and(|id| changed.contains(id));
    let entries: Vec<_> =
        manifest.files.iter().zip(outputs).filter(|((_, entry), _)| of_changed(&entry.resource)).collect();
    // The paths are joined on every core; only the inserts are serial.
    let sources: Vec<(PathBuf, Option<FileStat>)> = entries
        .par_iter()
        .flat_map_iter(|((_, entry), _)| entry.sources.iter())
        .filter_map(|source| {
            let i = stats.binary_search_by(|(rel, ..)| (*rel).cmp(source.path.as_str())).ok()?;
            Some((layout.source_root.join(&source.path), stats[i].2))
        })
        .collect();
    let outputs: Vec<(PathBuf, FileStat)> = entries
        .par_iter()
        .filter_map(|((rel, _), now)| {
            Some((io::resolve_output(&layout.output_root, rel).ok()?.path, (**now)?))
        })
        .collect();
    KnownStats { sources: sources.into_iter().collect(), outputs: outputs.into_iter().collect() }
}

/// The skills whose directory in the project holds something besides regular files the
/// manifest lists (hidden names aside: sync ignores them too): a new file, a link, a special
/// file. A skill whose directories all still have the mtimes the build recorded
/// ([`Inputs::skill_dirs`]) is not read. `None` when a directory cannot be checked (sync then
/// looks at everything).
fn skills_with_unlisted_files(layout: &Layout, manifest: &Manifest) -> Option<Vec<ResourceId>> {
    let recorded = manifest.inputs.as_ref().map(|i| &i.skill_dirs);
    let checked: Vec<Option<Option<ResourceId>>> = skill_ids(manifest)
        .par_iter()
        .map(|id| {
            let dir = project_skill_dir(layout, id)?;
            if let Some(dirs) = recorded.and_then(|r| r.get(&id.key())) {
                if dirs.iter().all(|(sub, mtime)| dir_mtime(&joined(&dir, sub)) == Some(*mtime)) {
                    return Some(None);
                }
            }
            let (only_outputs, _) = read_skill_dir(layout, &|rel| manifest.files.contains_key(rel), id, &dir);
            Some((!only_outputs).then(|| (*id).clone()))
        })
        .collect();
    checked.into_iter().collect::<Option<Vec<_>>>().map(|found| found.into_iter().flatten().collect())
}

/// For [`Inputs::skill_dirs`], after a build wrote its outputs: every project skill directory
/// that holds nothing but listed outputs, with the mtime of each directory of its tree. A
/// directory modified in the last [`RACY_NS`] is not recorded (its skill is then read by the
/// next sync): a file added within the same clock tick as agb's own last write there would not
/// move the mtime — git's "racy" rule, as for the source side.
pub fn record_skill_dirs(layout: &Layout, manifest: &Manifest) -> BTreeMap<String, Vec<(String, i64)>> {
    let now_ns = now_ns();
    skill_ids(manifest)
        .par_iter()
        .filter_map(|id| {
            let dir = project_skill_dir(layout, id)?;
            let (only_outputs, dirs) =
                read_skill_dir(layout, &|rel| manifest.files.contains_key(rel), id, &dir);
            let settled = dirs.iter().all(|(_, mtime)| *mtime < now_ns.saturating_sub(RACY_NS));
            (only_outputs && settled && !dirs.is_empty()).then(|| (id.key(), dirs))
        })
        .collect()
}

/// How recent a directory's mtime may be and still be trusted to show a later change: well
/// above the coarse clock tick file times are taken from (1–10 ms).
const RACY_NS: i64 = 100_000_000;

/// Every skill the manifest has outputs of, once each.
pub(super) fn skill_ids(manifest: &Manifest) -> Vec<&ResourceId> {
    let mut skills: Vec<&ResourceId> = manifest
        .files
        .values()
        .filter_map(|e| e.resource.resource())
        .filter(|id| id.kind == ResourceKind::Skill)
        .collect();
    skills.sort_unstable();
    skills.dedup();
    skills
}

/// The skill's directory in the project (`None`: its path does not resolve inside the root).
pub(super) fn project_skill_dir(layout: &Layout, id: &ResourceId) -> Option<PathBuf> {
    let dir_rel = crate::targets::skill_dir_rel(layout.target, id.name.as_str());
    let resolved = io::resolve_output(&layout.output_root, &format!("{dir_rel}/SKILL.md")).ok()?;
    resolved.path.parent().map(Path::to_path_buf)
}

/// The mtime of the directory at `path`, not through a final link (`None`: not a directory).
pub(super) fn dir_mtime(path: &Path) -> Option<i64> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    meta.is_dir().then(|| FileStat::from_metadata(&meta).mtime_ns)
}

/// Walk a project skill directory (hidden names skipped, links not followed): whether it holds
/// only regular files that are outputs (`is_output`, by path relative to the output root), and each directory met (relative to `dir`, `""` for
/// itself) with its mtime.
pub(super) fn read_skill_dir(
    layout: &Layout,
    is_output: &(dyn Fn(&str) -> bool + Sync),
    id: &ResourceId,
    dir: &Path,
) -> (bool, Vec<(String, i64)>) {
    let dir_rel = crate::targets::skill_dir_rel(layout.target, id.name.as_str());
    let mut dirs = Vec::new();
    let walk = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .follow_root_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(&e.file_name().to_string_lossy()));
    for entry in walk {
        let Ok(entry) = entry else { return (false, dirs) };
        let ft = entry.file_type();
        let Some(rel) = fsutil::rel_slash(dir, entry.path()) else { return (false, dirs) };
        if ft.is_dir() {
            let Some(mtime) = entry.metadata().ok().map(|m| FileStat::from_metadata(&m).mtime_ns) else {
                return (false, dirs);
            };
            dirs.push((rel, mtime));
            continue;
        }
        // A link (the root included) or a special file is something sync must report.
        if !ft.is_file() || !is_output(&format!("{dir_rel}/{rel}")) {
            return (false, dirs);
        }
    }
    (true, dirs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Stats come back in the order asked, whichever directory each file is in and however the
    /// files of one directory are split up; a missing file, a directory and a link in the output
    /// root are `None`; a link in the source is followed.
    #[test]
    fn file_stats_answer_each_path_in_order() {
        let tmp = tempfile::tempdir().unwrap();
        let layout = Layout {
            output_root: tmp.path().join("project/.claude"),
            source_root: tmp.path().join("source"),
            target: Target::ClaudeCode,
        };
        let out = |rel: &str| layout.output_root.join(rel);
        write(&out("a/one.md"), "1");
        write(&out("b/two.md"), "22");
        write(&out("a/three.md"), "333");
        write(&tmp.path().join("project/AGENTS.md"), "4444");
        std::fs::create_dir_all(out("a/dir.md")).unwrap();
        let expected = |path: &Path, size| {
            let stat = FileStat::of(path).unwrap().unwrap();
            assert_eq!(stat.size, size);
            Some(stat)
        };
        let rels =
            ["a/one.md", "b/two.md", "a/three.md", "a/missing.md", "a/dir.md", "../AGENTS.md", "b/two.md"];
        let got = file_stats(&layout, Side::Output, &rels);
        let two = expected(&out("b/two.md"), 2);
        let want = vec![
            expected(&out("a/one.md"), 1),
            two,
            expected(&out("a/three.md"), 3),
            None,
            None,
            expected(&tmp.path().join("project/AGENTS.md"), 4),
            two,
        ];
        assert_eq!(got, want);

        #[cfg(unix)]
        {
            let target = tmp.path().join("elsewhere.md");
            write(&target, "55555");
            std::os::unix::fs::symlink(&target, out("b/link.md")).unwrap();
            std::fs::create_dir_all(&layout.source_root).unwrap();
            std::os::unix::fs::symlink(&target, layout.source_root.join("linked.md")).unwrap();
            assert_eq!(file_stats(&layout, Side::Output, &["b/link.md", "b/two.md"]), vec![None, two]);
            let followed = file_stats(&layout, Side::Source, &["linked.md"]);
            assert_eq!(followed, vec![expected(&target, 5)]);
        }
    }
}
