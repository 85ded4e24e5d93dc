//! Finding the resources of a source repository without reading their content.
//!
//! `scan` only lists directories: `SOURCE/plugins/<plugin>/{commands,agents,skills}`. Parsing
//! happens later and only for what is selected, so a broken file elsewhere never stops a build.
//! Names that break the §1.2 pattern and skill directories without `SKILL.md` are recorded as
//! [`ScanProblem`]s (shown by `agb list --all`), not errors.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use crate::names::{Name, ResourceId, ResourceKind};
use crate::suggest::closest;

use super::SourceError;

/// What the scan found: every resource of every plugin, by id.
#[derive(Debug, Clone)]
pub struct SourceIndex {
    /// The source repository (absolute).
    pub root: PathBuf,
    /// `root/plugins`.
    pub plugins_dir: PathBuf,
    entries: BTreeMap<ResourceId, IndexEntry>,
    /// Files and directories that look like resources but cannot be (bad names…).
    pub problems: Vec<ScanProblem>,
}

/// Where one resource's files are; nothing is read yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    pub id: ResourceId,
    /// `<name>.md` or `skills/<name>/SKILL.md`.
    pub main_file: PathBuf,
    /// `<name>.yaml`, else `<name>.yml` (`SKILL.yaml`/`SKILL.yml` for skills).
    pub sidecar: Option<PathBuf>,
    /// The `.yml` sidecar when a `.yaml` one exists too: an error when the resource is loaded.
    pub second_sidecar: Option<PathBuf>,
    /// The skill directory (skills only).
    pub skill_dir: Option<PathBuf>,
}

/// Something in a plugin that looks like a resource but is not usable.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ScanProblem {
    pub path: PathBuf,
    pub message: String,
}

/// The hidden files and directories agb ignores everywhere (`.git`, `.DS_Store`, `.agb-tmp*`).
pub fn is_hidden(name: &str) -> bool {
    name.starts_with('.')
}

/// List the plugins and resources under `source_root/plugins/`.
///
/// The source root must be a readable directory; a missing `plugins/` directory is an empty
/// source (the "not found" errors of a selection then say so).
pub fn scan(source_root: &Path) -> Result<SourceIndex, SourceError> {
    match fs::metadata(source_root) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(SourceError::NotADirectory { path: source_root.to_path_buf() }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(SourceError::Missing { path: source_root.to_path_buf() });
        }
        Err(source) => return Err(SourceError::Unreadable { path: source_root.to_path_buf(), source }),
    }
    // reading the root proves it is readable (a directory without `x` permission is not)
    fs::read_dir(source_root)
        .map_err(|source| SourceError::Unreadable { path: source_root.to_path_buf(), source })?;
    let plugins_dir = source_root.join("plugins");
    let mut index = SourceIndex {
        root: source_root.to_path_buf(),
        plugins_dir: plugins_dir.clone(),
        entries: BTreeMap::new(),
        problems: Vec::new(),
    };
    let plugins = match sorted_dir(&plugins_dir) {
        Ok(p) => p,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(index),
        Err(source) => return Err(SourceError::Unreadable { path: plugins_dir, source }),
    };
    for DirItem { name, path, is_dir, .. } in plugins {
        if is_hidden(&name) || !is_dir {
            continue;
        }
        let plugin = match Name::new(&name) {
            Ok(p) => p,
            Err(_) => {
                index.problem(&path, format!("invalid plugin name {name:?}: {}", NAME_RULE));
                continue;
            }
        };
        for kind in ResourceKind::ALL {
            index.scan_kind(&plugin, kind, &path.join(kind.dir()));
        }
    }
    Ok(index)
}

const NAME_RULE: &str =
    "names start with a letter or digit and contain only letters, digits, `.`, `_` and `-`";

/// One directory entry: its name, path, and whether it is a file or a directory (symlinks
/// followed). The type comes from the directory listing itself, so no `stat` per entry is needed
/// on file systems that report it.
struct DirItem {
    name: String,
    path: PathBuf,
    is_file: bool,
    is_dir: bool,
}

/// The entries of a directory, sorted by name; names that are not UTF-8 are kept lossily (they
/// fail the name check and become problems).
fn sorted_dir(dir: &Path) -> std::io::Result<Vec<DirItem>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let ft = entry.file_type()?;
        let (is_file, is_dir) = if ft.is_symlink() {
            fs::metadata(&path).map(|m| (m.is_file(), m.is_dir())).unwrap_or((false, false))
        } else {
            (ft.is_file(), ft.is_dir())
        };
        out.push(DirItem { name: entry.file_name().to_string_lossy().into_owned(), path, is_file, is_dir });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

impl SourceIndex {
    fn problem(&mut self, path: &Path, message: String) {
        self.problems.push(ScanProblem { path: path.to_path_buf(), message });
    }

    fn scan_kind(&mut self, plugin: &Name, kind: ResourceKind, dir: &Path) {
        let listing = match sorted_dir(dir) {
            Ok(l) => l,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
            Err(e) => {
                self.problem(dir, format!("cannot read: {e}"));
                return;
            }
        };
        match kind {
            ResourceKind::Command | ResourceKind::Agent => {
                let files: HashSet<&str> =
                    listing.iter().filter(|i| i.is_file).map(|i| i.name.as_str()).collect();
                for DirItem { name: file, path, is_file, .. } in &listing {
                    if let Some(stem) = file.strip_suffix(".yaml").or_else(|| file.strip_suffix(".yml")) {
                        if *is_file && !is_hidden(file) && !files.contains(format!("{stem}.md").as_str()) {
                            self.problem(
                                path,
                                format!("sidecar without {stem}.md (renamed or deleted resource?)"),
                            );
                        }
                        continue;
                    }
                    let Some(stem) = file.strip_suffix(".md") else { continue };
                    if is_hidden(file) || !is_file {
                        continue;
                    }
                    let Ok(name) = Name::new(stem) else {
                        self.problem(path, format!("invalid {kind} name {stem:?}: {NAME_RULE}"));
                        continue;
                    };
                    let (sidecar, second_sidecar) = sidecars(dir, stem, |f| files.contains(f));
                    let id = ResourceId { kind, plugin: plugin.clone(), name };
                    self.entries.insert(
                        id.clone(),
                        IndexEntry { id, main_file: path.clone(), sidecar, second_sidecar, skill_dir: None },
                    );
                }
            }
            ResourceKind::Skill => {
                for DirItem { name: dir_name, path, is_dir, .. } in &listing {
                    if is_hidden(dir_name) || !is_dir {
                        continue;
                    }
                    let Ok(name) = Name::new(dir_name) else {
                        self.problem(path, format!("invalid skill name {dir_name:?}: {NAME_RULE}"));
                        continue;
                    };
                    let main_file = path.join("SKILL.md");
                    if !main_file.is_file() {
                        self.problem(path, "skill directory without SKILL.md".to_string());
                        continue;
                    }
                    let (sidecar, second_sidecar) = sidecars(path, "SKILL", |f| path.join(f).is_file());
                    let id = ResourceId { kind, plugin: plugin.clone(), name };
                    self.entries.insert(
                        id.clone(),
                        IndexEntry { id, main_file, sidecar, second_sidecar, skill_dir: Some(path.clone()) },
                    );
                }
            }
        }
    }

    /// The resource with this id, if the source has it.
    pub fn get(&self, id: &ResourceId) -> Option<&IndexEntry> {
        self.entries.get(id)
    }

    /// Every resource, sorted by kind (commands, agents, skills), plugin, name.
    pub fn entries(&self) -> impl Iterator<Item = &IndexEntry> {
        self.entries.values()
    }

    /// Every resource id, in the order of [`SourceIndex::entries`].
    pub fn ids(&self) -> impl Iterator<Item = &ResourceId> {
        self.entries.keys()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether `SOURCE/plugins/` exists.
    pub fn has_plugins_dir(&self) -> bool {
        self.plugins_dir.is_dir()
    }

    /// "Did you mean" for an id the source lacks: the closest `plugin:name` of the same kind.
    pub fn suggest(&self, id: &ResourceId) -> Vec<String> {
        let same_kind: Vec<String> =
            self.entries.keys().filter(|k| k.kind == id.kind).map(|k| k.qualified()).collect();
        let mut out: Vec<String> = closest(&id.qualified(), same_kind.iter().map(String::as_str))
            .into_iter()
            .map(str::to_string)
            .collect();
        if out.is_empty() {
            // a right name in the wrong plugin (`p1:lint` when it lives in `p2`)
            let names: Vec<(&str, String)> = self
                .entries
                .keys()
                .filter(|k| k.kind == id.kind)
                .map(|k| (k.name.as_str(), k.qualified()))
                .collect();
            let best = closest(id.name.as_str(), names.iter().map(|(n, _)| *n));
            out = names.iter().filter(|(n, _)| best.contains(n)).map(|(_, q)| q.clone()).take(3).collect();
        }
        out
    }

    /// The kinds (other than `id.kind`) under which the source has exactly this `plugin:name`.
    pub fn other_kinds_of(&self, id: &ResourceId) -> Vec<ResourceKind> {
        ResourceKind::ALL
            .into_iter()
            .filter(|k| *k != id.kind)
            .filter(|k| self.entries.contains_key(&ResourceId { kind: *k, ..id.clone() }))
            .collect()
    }
}

/// The sidecar of `<stem>.md` in `dir`: `.yaml` first, then `.yml`; both existing is reported.
fn sidecars(dir: &Path, stem: &str, exists: impl Fn(&str) -> bool) -> (Option<PathBuf>, Option<PathBuf>) {
    let yaml = format!("{stem}.yaml");
    let yml = format!("{stem}.yml");
    match (exists(&yaml), exists(&yml)) {
        (true, true) => (Some(dir.join(yaml)), Some(dir.join(yml))),
        (true, false) => (Some(dir.join(yaml)), None),
        (false, true) => (Some(dir.join(yml)), None),
        (false, false) => (None, None),
    }
}
