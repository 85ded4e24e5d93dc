//! Observing the project and the source for a sync plan: `lstat`s first, and a file is read
//! (hashed) only when its stat differs from the build manifest's record. Every read and stat of
//! planning lives here; what the observations mean is decided elsewhere.
//!
//! Not here: the decisions (`decide`, `decide_main`), the texts sync writes (`main_file`),
//! writing anything (`apply`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use super::error::SyncError;
use crate::fsutil::{self, FsError};
use crate::manifest::{FileStat, OutputEntry};
use crate::names::{ResourceId, Target};
use crate::outputs::io::resolve_output;
use crate::outputs::Layout;
use crate::source::{Resource, Selection};

/// A file's stat with its hash computed at most once, on demand.
#[derive(Debug)]
pub(super) struct Observed {
    pub(super) path: PathBuf,
    stat: FileStat,
    sha: OnceLock<Result<String, String>>,
}

impl Observed {
    pub(super) fn new(path: PathBuf, stat: FileStat) -> Observed {
        Observed { path, stat, sha: OnceLock::new() }
    }

    fn sha(&self) -> Result<&str, FsError> {
        self.sha
            .get_or_init(|| {
                fsutil::sha256_file(&self.path).map_err(|e| match std::error::Error::source(&e) {
                    Some(cause) => cause.to_string(),
                    None => e.to_string(),
                })
            })
            .as_deref()
            .map_err(|message| FsError::Read {
                path: self.path.clone(),
                source: std::io::Error::other(message.clone()),
            })
    }

    /// Whether the content differs from a recorded (sha, stat): equal stat → same without
    /// reading; different size → different without reading.
    pub(super) fn differs_from(&self, sha: &str, stat: &FileStat) -> Result<bool, FsError> {
        if self.stat.matches(stat) {
            return Ok(false);
        }
        if self.stat.size != stat.size {
            return Ok(true);
        }
        Ok(self.sha()? != sha)
    }

    /// The hash, if it was computed already.
    pub(super) fn known_sha(&self) -> Option<String> {
        self.sha.get().and_then(|r| r.as_ref().ok()).cloned()
    }

    pub(super) fn same_content(&self, other: &Observed) -> Result<bool, FsError> {
        if self.stat.size != other.stat.size {
            return Ok(false);
        }
        Ok(self.sha()? == other.sha()?)
    }
}

/// A SOURCE file's stat, through a symlink (as build records it); `Ok(None)` when missing (or
/// not a regular file).
pub(super) fn stat_file(path: &Path) -> Result<Option<FileStat>, FsError> {
    FileStat::of_source(path).map_err(|source| FsError::Read { path: path.to_path_buf(), source })
}

/// A text file, which must be UTF-8.
pub(super) fn read_utf8(path: &Path) -> Result<String, FsError> {
    let bytes = std::fs::read(path).map_err(|source| FsError::Read { path: path.to_path_buf(), source })?;
    String::from_utf8(bytes).map_err(|_| FsError::Read {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8 text"),
    })
}

/// A source file sync is about to patch.
pub(super) fn read_source(path: &Path) -> Result<String, FsError> {
    std::fs::read_to_string(path).map_err(|source| FsError::Read { path: path.to_path_buf(), source })
}

/// Codex's `config.toml` in the project (it holds agent descriptions), `None` for other
/// targets or when it does not exist.
pub(super) fn read_codex_config(layout: &Layout) -> Result<Option<String>, FsError> {
    if layout.target != Target::Codex {
        return Ok(None);
    }
    let path = layout.output_root.join(crate::outputs::CODEX_CONFIG_REL);
    fsutil::ensure_no_symlink_escape(&layout.output_root, &path)?;
    match std::fs::read_to_string(&path) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(FsError::Read { path, source }),
    }
}

/// The project's output files, reached without following links. Each directory is checked for
/// links once for all the outputs it holds (thousands share one); resources are planned in
/// parallel, hence the lock.
pub(super) struct ProjectFiles<'a> {
    output_root: &'a Path,
    /// Output directories already checked for symlinks (true: no link on the way).
    dirs_ok: Mutex<HashMap<PathBuf, bool>>,
}

impl<'a> ProjectFiles<'a> {
    pub(super) fn new(output_root: &'a Path) -> Self {
        ProjectFiles { output_root, dirs_ok: Mutex::new(HashMap::new()) }
    }

    /// The project file at output `rel`, if it exists as a regular file reached without links.
    pub(super) fn resolve(&self, id: &ResourceId, rel: &str) -> Result<Option<Observed>, SyncError> {
        let resolved = resolve_output(self.output_root, rel)?;
        let link = || SyncError::Symlink { resource: id.clone(), path: rel.to_string() };
        let dir = resolved.path.parent().unwrap_or(&resolved.root);
        if !self.dir_ok(&resolved.root, dir) {
            // A link somewhere on the way: report only when it leads to something.
            return if std::fs::metadata(&resolved.path).is_ok() { Err(link()) } else { Ok(None) };
        }
        match std::fs::symlink_metadata(&resolved.path) {
            Ok(meta) if meta.file_type().is_symlink() => Err(link()),
            Ok(meta) if meta.is_file() => {
                Ok(Some(Observed::new(resolved.path, FileStat::from_metadata(&meta))))
            }
            Ok(meta) if !meta.is_dir() => {
                Err(SyncError::NotRegular { resource: id.clone(), path: rel.to_string() })
            }
            Ok(_) => Ok(None),
            Err(e)
                if matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory) =>
            {
                Ok(None)
            }
            Err(source) => Err(FsError::Read { path: resolved.path, source }.into()),
        }
    }

    fn dir_ok(&self, root: &Path, dir: &Path) -> bool {
        let cached = self.dirs_ok.lock().expect("no panic while holding the lock").get(dir).copied();
        match cached {
            Some(ok) => ok,
            None => {
                let ok = fsutil::ensure_no_symlink_escape(root, dir).is_ok();
                self.dirs_ok.lock().expect("no panic while holding the lock").insert(dir.to_path_buf(), ok);
                ok
            }
        }
    }
}

/// Stats of the source files many resources share (`overrides.yaml`), taken once.
pub(super) struct SharedStats(HashMap<PathBuf, Option<FileStat>>);

impl SharedStats {
    /// `known`: source files stat-ed a moment ago (by the stat-only change check), by path;
    /// they are not stat-ed again.
    pub(super) fn of(
        selection: &Selection,
        known: HashMap<PathBuf, Option<FileStat>>,
    ) -> Result<SharedStats, FsError> {
        let mut stats = known;
        if let Some(o) = &selection.overrides_file {
            if !stats.contains_key(o) {
                stats.insert(o.clone(), stat_file(o)?);
            }
        }
        Ok(SharedStats(stats))
    }

    /// Whether any source file the main output was rendered from changed since the build.
    pub(super) fn sources_changed(
        &self,
        selection: &Selection,
        r: &Resource,
        base: &OutputEntry,
    ) -> Result<bool, FsError> {
        let now = selection.source_files(r);
        if now.len() != base.sources.len() {
            return Ok(true);
        }
        for path in now {
            // a name that is not UTF-8 is in no manifest: it counts as a change
            let Some(rel) = fsutil::rel_slash(&selection.source_root, &path) else { return Ok(true) };
            let Some(recorded) = base.sources.iter().find(|s| s.path == rel) else { return Ok(true) };
            let stat = match self.0.get(&path) {
                Some(known) => *known,
                None => stat_file(&path)?,
            };
            let Some(stat) = stat else { return Ok(true) };
            if Observed::new(path, stat).differs_from(&recorded.sha256, &recorded.stat)? {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// A skill directory in the project, as sync sees it.
pub(super) struct SkillDirFiles {
    /// Its regular files by path relative to the directory (no links followed, hidden files
    /// ignored like in the source), minus the ones `skip` named.
    pub(super) files: BTreeMap<String, Observed>,
    /// Links (to files or directories) sync does not follow: nothing under them is known.
    pub(super) unknown: BTreeSet<String>,
}

impl SkillDirFiles {
    /// Whether `rel` is a link or lies under one: its source counterpart is never touched.
    pub(super) fn is_unknown(&self, rel: &str) -> bool {
        self.unknown.iter().any(|u| rel == u || rel.starts_with(&format!("{u}/")))
    }
}

/// Walk the project's skill directory `dir` (output-relative `dir_rel`), skipping the files
/// agb generates there (`skip`). Links and names that are not UTF-8 are reported in `problems`.
/// A file in `known` (stat-ed a moment ago, not through links) is not stat-ed again.
pub(super) fn skill_dir_files(
    id: &ResourceId,
    dir: &Path,
    dir_rel: &str,
    skip: &dyn Fn(&str) -> bool,
    known: &HashMap<PathBuf, FileStat>,
    problems: &mut Vec<SyncError>,
) -> Result<SkillDirFiles, SyncError> {
    let mut out = SkillDirFiles { files: BTreeMap::new(), unknown: BTreeSet::new() };
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| !crate::source::is_hidden(&e.file_name().to_string_lossy()))
    {
        let entry = entry.map_err(|e| FsError::Read {
            path: e.path().map(Path::to_path_buf).unwrap_or_else(|| dir.to_path_buf()),
            source: e.into(),
        })?;
        let Some(rel) = fsutil::rel_slash(dir, entry.path()) else {
            // not silently: the user added a file that will not reach the source
            if entry.file_type().is_file() {
                problems.push(SyncError::NotUtf8Name {
                    resource: id.clone(),
                    path: entry.path().display().to_string(),
                });
            }
            continue;
        };
        let ft = entry.file_type();
        if ft.is_symlink() {
            problems.push(SyncError::Symlink { resource: id.clone(), path: format!("{dir_rel}/{rel}") });
            out.unknown.insert(rel);
            continue;
        }
        if !ft.is_file() && !ft.is_dir() {
            // A FIFO where an extra was: unknown, not gone (a deletion would delete the source).
            problems.push(SyncError::NotRegular { resource: id.clone(), path: format!("{dir_rel}/{rel}") });
            out.unknown.insert(rel);
            continue;
        }
        if !ft.is_file() || skip(&rel) {
            continue;
        }
        let stat = match known.get(entry.path()) {
            Some(stat) => *stat,
            None => FileStat::from_metadata(
                &entry
                    .metadata()
                    .map_err(|e| FsError::Read { path: entry.path().to_path_buf(), source: e.into() })?,
            ),
        };
        out.files.insert(rel, Observed::new(entry.path().to_path_buf(), stat));
    }
    Ok(out)
}

/// The skill's extras in the source, by path relative to the skill directory.
pub(super) fn source_extras(r: &Resource) -> Result<BTreeMap<String, Observed>, FsError> {
    let mut source = BTreeMap::new();
    for extra in &r.extras {
        // The loader already stat-ed every extra it listed (through links, as here): reuse
        // that instead of a second stat per file.
        let stat = match extra.modified {
            Some(_) => Some(FileStat::from_parts(extra.size, extra.modified)),
            None => stat_file(&extra.path)?,
        };
        if let Some(stat) = stat {
            source.insert(extra.rel.clone(), Observed::new(extra.path.clone(), stat));
        }
    }
    Ok(source)
}
