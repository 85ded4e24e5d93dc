//! `agb sync`: carry edits made in the project back into the source repository (SPEC §1.7).
//!
//! 1. [`plan_sync`] observes every selected resource whose output exists: one `lstat` per
//!    output and per source file; a file is read (hashed, parsed) only when its size or mtime
//!    differs from the build manifest's record. It decides, three-way with the manifest as the
//!    base ([`decide`], pure), what to do, and computes every new source text up front (the
//!    description patcher in [`patch`] runs here), so `--dry-run`, `--check` and `agb status`
//!    show exactly what a sync would write.
//! 2. [`apply::apply_sync`] writes the planned texts and copies/deletes extras atomically, one
//!    resource at a time (an error in one does not stop the others), then updates the manifest
//!    so the next `agb build` sees the project as built.
//!
//! Not here: reading the source (`source`), the target formats (`target`), printing (`cli`).

// Diagnostics carry the text of the file at fault for their spans (see `source`).
#![allow(clippy::result_large_err)]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;

use crate::exclude::skill_extra_path;
use crate::fsutil::{self, FsError};
use crate::manifest::{FileStat, Manifest, ManifestError, OutputEntry};
use crate::names::{ResourceKind, Target};
use crate::outputs::io::resolve_output;
use crate::outputs::Layout;
use crate::source::{DescriptionOrigin, Resource, Selection};
use crate::targets::{self, OutputContent, TargetError};

pub mod apply;
pub mod decide;
pub mod normalize;
pub mod patch;

pub use apply::{apply_sync, SyncOutcome};
pub use decide::{decide_extra, ExtraDecision, ExtraFacts};

/// Errors and problems of sync. Problems tied to one resource are collected in the plan (that
/// resource is skipped, the others go on); the others stop the sync before anything is written.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum SyncError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Unparsable(TargetError),
    #[error("{resource}: its description for {target} comes from overrides.yaml, which sync cannot rewrite")]
    #[diagnostic(
        code(agb::sync::overrides_origin),
        help("nothing was written for this resource. Put the new description in {overrides} by hand, or in the `{target}:` section of the resource's sidecar ({sidecar}), then run `agb build`; the project's text is: {wanted:?}")
    )]
    OverridesOrigin {
        resource: String,
        target: Target,
        overrides: String,
        sidecar: String,
        wanted: Option<String>,
    },
    #[error("{resource}: cannot patch the description in {file}")]
    #[diagnostic(
        code(agb::sync::patch_failed),
        help("nothing was written for this resource; edit the description in the source by hand")
    )]
    Patch {
        resource: String,
        file: String,
        #[source]
        #[diagnostic_source]
        source: patch::PatchError,
    },
    #[error("{resource}: {path} is a symbolic link (or lies under one); sync does not follow it")]
    #[diagnostic(
        code(agb::sync::symlink),
        help("agb never reads or writes through a link that may lead outside the project or the source; replace the link with a regular file to sync it")
    )]
    Symlink { resource: String, path: String },
    #[error("{resource}: the project adds {rel}, but agb.yaml's `exclude` matches it")]
    #[diagnostic(
        code(agb::sync::excluded_extra),
        help("sync never copies an excluded file into the source; remove the pattern from `exclude` to sync it, or delete the file from the project")
    )]
    ExcludedExtra { resource: String, rel: String },
    #[error("{resource}: the project has {path}, whose name is not valid UTF-8; sync leaves it alone")]
    #[diagnostic(
        code(agb::sync::not_utf8_name),
        help("agb keeps paths as UTF-8 (the source refuses such names too); rename the file to sync it")
    )]
    NotUtf8Name { resource: String, path: String },
    #[error("{resource}: conflict, changed in the project and in the source since the last build: {}", what.join(", "))]
    #[diagnostic(
        code(agb::sync::conflict),
        help("nothing was written for this resource. Compare the project file with the source, then run `agb sync --force` (the project wins) or `agb build --force` (the source wins)")
    )]
    Conflict { resource: String, what: Vec<String> },
    #[error(
        "{resource}: synced, but its project file could not be rewritten in agb's formatting: {message}"
    )]
    #[diagnostic(
        code(agb::sync::normalize),
        help("the source holds the project's edit; run `agb build` to rewrite the project file from it")
    )]
    Normalize { resource: String, message: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Manifest(#[from] ManifestError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Fs(#[from] FsError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Target(#[from] TargetError),
}

/// Where a resource stands between the project and the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    InSync,
    /// Edited in the project only: sync applies it.
    EditedInProject,
    /// Edited in the source only since the build: `agb build` brings it.
    EditedInSource,
    /// Both sides changed differently (nothing written without `--force`).
    Conflict,
    /// The project file could not be read or patched (reported in `problems`).
    Skipped,
}

/// What a change does to a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Create,
    Update,
    Delete,
}

/// One planned write into the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Replace a text file (main `.md` or sidecar) with `after`.
    WriteText { path: PathBuf, before: Option<String>, after: String, what: Vec<&'static str> },
    /// Copy a project file over (or as) a source extra.
    CopyExtra { from: PathBuf, to: PathBuf, rel: String, kind: ChangeKind },
    /// Delete a source extra the project deleted.
    DeleteExtra { path: PathBuf, rel: String },
}

impl Action {
    /// The source file this action touches.
    pub fn path(&self) -> &Path {
        match self {
            Action::WriteText { path, .. } | Action::DeleteExtra { path, .. } => path,
            Action::CopyExtra { to, .. } => to,
        }
    }

    pub fn kind(&self) -> ChangeKind {
        match self {
            Action::WriteText { before: None, .. } => ChangeKind::Create,
            Action::WriteText { .. } => ChangeKind::Update,
            Action::CopyExtra { kind, .. } => *kind,
            Action::DeleteExtra { .. } => ChangeKind::Delete,
        }
    }
}

/// The plan for one resource.
#[derive(Debug, Clone)]
pub struct ResourceSync {
    /// [`crate::names::ResourceId::key`].
    pub key: String,
    pub state: SyncState,
    /// Writes into the source (empty unless the project side is applied).
    pub actions: Vec<Action>,
    /// What changed on both sides (conflicts), by name ("description", "body", "extra ref/x").
    pub conflicts: Vec<String>,
    /// What changed only in the source since the build.
    pub source_edits: Vec<String>,
    /// Project edits sync does not carry back (other metadata keys): `agb build` overwrites them.
    pub ignored_edits: Vec<String>,
    /// Output files whose manifest entry is refreshed after applying (the project file is then
    /// what a build of the new source writes), and outputs whose entry is dropped.
    pub refresh_outputs: Vec<Refresh>,
    pub drop_outputs: Vec<String>,
}

/// An output whose manifest entry sync refreshes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refresh {
    /// Path relative to the output root.
    pub rel: String,
    /// For a skill extra, the source file it is a copy of; `None` for the main file (its sources
    /// are the resource's source files).
    pub extra_source: Option<PathBuf>,
    /// The project file's SHA-256 when planning already computed it (then an extra's source,
    /// a byte copy of it, has the same hash: nothing is hashed twice).
    pub sha256: Option<String>,
}

/// A whole sync plan.
#[derive(Debug)]
pub struct SyncPlan {
    pub layout: Layout,
    pub manifest: Option<Manifest>,
    /// Resources in selection order (only those whose output exists).
    pub resources: Vec<ResourceSync>,
    /// Problems that skip one resource (reported, exit 1 at the end).
    pub problems: Vec<SyncError>,
    /// Files sync leaves alone by design (excluded project files, symlinks): reported only.
    pub warnings: Vec<SyncError>,
    /// The selection the plan was made from (apply re-hashes its source files).
    pub source_files: BTreeMap<String, Vec<PathBuf>>,
    pub plugins_dir: PathBuf,
    pub force: bool,
    /// The resources whose main output is rewritten in agb's formatting once synced
    /// ([`normalize::eligible`]), by key, as loaded before the sync.
    pub normalize: BTreeMap<String, Resource>,
}

impl SyncPlan {
    /// Whether there is anything to sync (what `--check` reports).
    pub fn is_pending(&self) -> bool {
        self.resources.iter().any(|r| !r.actions.is_empty() || r.state == SyncState::Conflict)
    }

    /// Whether the sync ends with exit 1 (conflicts not forced, unreadable files…).
    pub fn has_errors(&self) -> bool {
        !self.problems.is_empty()
    }

    pub fn actions(&self) -> impl Iterator<Item = (&ResourceSync, &Action)> {
        self.resources.iter().flat_map(|r| r.actions.iter().map(move |a| (r, a)))
    }
}

/// A file's stat with its hash computed at most once, on demand.
#[derive(Debug)]
struct Observed {
    path: PathBuf,
    stat: FileStat,
    sha: OnceLock<Result<String, String>>,
}

impl Observed {
    fn new(path: PathBuf, stat: FileStat) -> Observed {
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
    fn differs_from(&self, sha: &str, stat: &FileStat) -> Result<bool, FsError> {
        if self.stat.matches(stat) {
            return Ok(false);
        }
        if self.stat.size != stat.size {
            return Ok(true);
        }
        Ok(self.sha()? != sha)
    }

    /// The hash, if it was computed already.
    fn known_sha(&self) -> Option<String> {
        self.sha.get().and_then(|r| r.as_ref().ok()).cloned()
    }

    fn same_content(&self, other: &Observed) -> Result<bool, FsError> {
        if self.stat.size != other.stat.size {
            return Ok(false);
        }
        Ok(self.sha()? == other.sha()?)
    }
}

/// A SOURCE file's stat, through a symlink (as build records it); `Ok(None)` when missing (or
/// not a regular file).
fn stat_file(path: &Path) -> Result<Option<FileStat>, FsError> {
    FileStat::of_source(path).map_err(|source| FsError::Read { path: path.to_path_buf(), source })
}

/// Observe the project and the source, and plan the sync. Reads, never writes.
pub fn plan_sync(layout: &Layout, selection: &Selection, force: bool) -> Result<SyncPlan, SyncError> {
    let manifest = Manifest::load(&layout.output_root)?;
    let codex_config = if layout.target == Target::Codex {
        let path = layout.output_root.join(crate::outputs::CODEX_CONFIG_REL);
        fsutil::ensure_no_symlink_escape(&layout.output_root, &path)?;
        match std::fs::read_to_string(&path) {
            Ok(t) => Some(t),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => return Err(FsError::Read { path, source }.into()),
        }
    } else {
        None
    };
    let mut shared_stats = HashMap::new();
    if let Some(o) = &selection.overrides_file {
        shared_stats.insert(o.clone(), stat_file(o)?);
    }
    // The manifest's outputs by resource, once (not one scan of every entry per resource).
    let mut by_resource: HashMap<&str, Vec<(&str, &OutputEntry)>> = HashMap::new();
    for (rel, e) in manifest.iter().flat_map(|m| m.files.iter()) {
        by_resource.entry(e.resource.as_str()).or_default().push((rel.as_str(), e));
    }
    let ctx = Ctx {
        layout,
        selection,
        manifest: manifest.as_ref(),
        by_resource: &by_resource,
        shared_stats,
        dirs_ok: std::sync::Mutex::new(HashMap::new()),
        codex_config: codex_config.as_deref(),
        force,
    };
    let results: Vec<(Option<ResourceSync>, Vec<SyncError>)> =
        selection.resources.par_iter().map(|r| ctx.plan_resource(r)).collect();
    let mut resources = Vec::new();
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    for (r, p) in results {
        resources.extend(r);
        for e in p {
            if matches!(
                e,
                SyncError::ExcludedExtra { .. } | SyncError::Symlink { .. } | SyncError::NotUtf8Name { .. }
            ) {
                warnings.push(e);
            } else {
                problems.push(e);
            }
        }
    }
    let source_files = selection.resources.iter().map(|r| (r.id.key(), selection.source_files(r))).collect();
    let eligible: BTreeSet<&str> =
        resources.iter().filter(|r| normalize::eligible(r)).map(|r| r.key.as_str()).collect();
    let normalize = selection
        .resources
        .iter()
        .filter(|r| eligible.contains(r.id.key().as_str()))
        .map(|r| (r.id.key(), r.clone()))
        .collect();
    Ok(SyncPlan {
        layout: layout.clone(),
        manifest,
        resources,
        problems,
        warnings,
        source_files,
        plugins_dir: selection.plugins_dir.clone(),
        force,
        normalize,
    })
}

struct Ctx<'a> {
    layout: &'a Layout,
    selection: &'a Selection,
    manifest: Option<&'a Manifest>,
    by_resource: &'a HashMap<&'a str, Vec<(&'a str, &'a OutputEntry)>>,
    /// Stats of source files many resources share (`overrides.yaml`), taken once.
    shared_stats: HashMap<PathBuf, Option<FileStat>>,
    /// Output directories already checked for symlinks (true: no link on the way).
    dirs_ok: std::sync::Mutex<HashMap<PathBuf, bool>>,
    codex_config: Option<&'a str>,
    force: bool,
}

/// What the main file comparison found.
struct MainOutcome {
    actions: Vec<Action>,
    conflicts: Vec<String>,
    source_edits: Vec<String>,
    ignored: Vec<String>,
    /// The project file differs from the manifest (its entry must be refreshed when applied).
    project_changed: bool,
}

impl Ctx<'_> {
    fn plan_resource(&self, r: &Resource) -> (Option<ResourceSync>, Vec<SyncError>) {
        let key = r.id.key();
        let mut problems = Vec::new();
        let main_rel = targets::main_output_rel(self.layout.target, r.id.kind, r.id.name.as_str());
        let main = match self.resolve_project_file(&key, &main_rel) {
            Ok(Some(p)) => p,
            Ok(None) => return (None, problems),
            Err(e) => {
                problems.push(e);
                return (Some(skipped(key)), problems);
            }
        };
        let main_outcome = match self.plan_main(r, &main_rel, &main) {
            Ok(m) => m,
            Err(e) => {
                problems.push(e);
                return (Some(skipped(key)), problems);
            }
        };
        let mut rs = ResourceSync {
            key: key.clone(),
            state: SyncState::InSync,
            actions: main_outcome.actions,
            conflicts: main_outcome.conflicts,
            source_edits: main_outcome.source_edits,
            ignored_edits: main_outcome.ignored,
            refresh_outputs: Vec::new(),
            drop_outputs: Vec::new(),
        };
        if main_outcome.project_changed {
            rs.refresh_outputs.push(Refresh { rel: main_rel.clone(), extra_source: None, sha256: None });
        }
        if r.id.kind == ResourceKind::Skill {
            match self.plan_extras(r, &mut rs, &mut problems) {
                Ok(()) => {}
                Err(e) => {
                    problems.push(e);
                    return (Some(skipped(key)), problems);
                }
            }
        }
        if !rs.conflicts.is_empty() && !self.force {
            rs.state = SyncState::Conflict;
            rs.actions.clear();
            rs.refresh_outputs.clear();
            rs.drop_outputs.clear();
            problems.push(SyncError::Conflict { resource: r.id.to_string(), what: rs.conflicts.clone() });
        } else if !rs.actions.is_empty() {
            rs.state = SyncState::EditedInProject;
        } else if !rs.source_edits.is_empty() {
            rs.state = SyncState::EditedInSource;
        }
        (Some(rs), problems)
    }

    /// The project file at output `rel`, if it exists as a regular file reached without links.
    fn resolve_project_file(&self, key: &str, rel: &str) -> Result<Option<Observed>, SyncError> {
        let resolved = resolve_output(&self.layout.output_root, rel)?;
        let link = || SyncError::Symlink { resource: key.to_string(), path: rel.to_string() };
        // The directory is checked once for all the outputs it holds (thousands share one).
        let dir = resolved.path.parent().unwrap_or(&resolved.root);
        let dir_ok = {
            let cached = self.dirs_ok.lock().expect("no panic while holding the lock").get(dir).copied();
            match cached {
                Some(ok) => ok,
                None => {
                    let ok = fsutil::ensure_no_symlink_escape(&resolved.root, dir).is_ok();
                    self.dirs_ok
                        .lock()
                        .expect("no panic while holding the lock")
                        .insert(dir.to_path_buf(), ok);
                    ok
                }
            }
        };
        if !dir_ok {
            // A link somewhere on the way: report only when it leads to something.
            return if std::fs::metadata(&resolved.path).is_ok() { Err(link()) } else { Ok(None) };
        }
        match std::fs::symlink_metadata(&resolved.path) {
            Ok(meta) if meta.file_type().is_symlink() => Err(link()),
            Ok(meta) if meta.is_file() => {
                Ok(Some(Observed::new(resolved.path, FileStat::from_metadata(&meta))))
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

    fn plan_main(&self, r: &Resource, main_rel: &str, main: &Observed) -> Result<MainOutcome, SyncError> {
        let base = self.manifest.and_then(|m| m.file(main_rel));
        let mut out = MainOutcome {
            actions: Vec::new(),
            conflicts: Vec::new(),
            source_edits: Vec::new(),
            ignored: Vec::new(),
            project_changed: false,
        };
        let project_changed = match base {
            Some(b) => main.differs_from(&b.sha256, &b.stat)?,
            None => true,
        };
        let source_changed = match base {
            Some(b) => self.sources_changed(r, b)?,
            // A manifest that does not list this output: agb did not write the file, so there
            // is no base to tell which side changed; a difference is a conflict. Without any
            // manifest the sync is two-way and the project wins.
            None => self.manifest.is_some(),
        };
        let is_codex_agent = self.layout.target == Target::Codex && r.id.kind == ResourceKind::Agent;
        if !project_changed && !is_codex_agent {
            if source_changed {
                out.source_edits.push("description or body".into());
            }
            return Ok(out);
        }
        // Read and parse the project side.
        let text =
            std::fs::read(&main.path).map_err(|source| FsError::Read { path: main.path.clone(), source })?;
        let text = String::from_utf8(text).map_err(|_| FsError::Read {
            path: main.path.clone(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8 text"),
        })?;
        let parsed =
            targets::parse(self.layout.target, r.id.kind, r.id.name.as_str(), &text, self.codex_config)
                .map_err(SyncError::Unparsable)?;
        let desc_differs = parsed.description.as_deref() != r.description();
        let body_differs = parsed.body != r.body;
        if !desc_differs && !body_differs {
            if project_changed && base.is_some() {
                // Edited, but not in anything sync carries back (or edited to what the source
                // now says): the manifest learns the file so build does not call it an edit.
                if !source_changed {
                    out.ignored.push(main_rel.to_string());
                }
                out.project_changed = true;
            }
            if source_changed && base.is_some() {
                out.source_edits.push("description or body".into());
            }
            return Ok(out);
        }
        if !project_changed {
            // Only a Codex agent gets here: its description lives in config.toml, which the
            // manifest does not hash. A source change explains the difference (build brings it).
            if source_changed {
                out.source_edits.push("description".into());
                return Ok(out);
            }
        } else if source_changed {
            if desc_differs {
                out.conflicts.push("description".into());
            }
            if body_differs {
                out.conflicts.push("body".into());
            }
            if !self.force {
                return Ok(out);
            }
        }
        out.project_changed = project_changed;
        let hint = insert_hint(self.layout.target, r.id.kind, &text);
        out.actions = self.main_actions(
            r,
            desc_differs.then_some(parsed.description.as_deref()),
            body_differs.then_some(&parsed.body),
            hint.as_deref(),
        )?;
        Ok(out)
    }

    /// Whether any source file the main output was rendered from changed since the build.
    fn sources_changed(&self, r: &Resource, base: &OutputEntry) -> Result<bool, SyncError> {
        let now = self.selection.source_files(r);
        if now.len() != base.sources.len() {
            return Ok(true);
        }
        for path in now {
            // a name that is not UTF-8 is in no manifest: it counts as a change
            let Some(rel) = fsutil::rel_slash(&self.selection.source_root, &path) else { return Ok(true) };
            let Some(recorded) = base.sources.iter().find(|s| s.path == rel) else { return Ok(true) };
            let stat = match self.shared_stats.get(&path) {
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

    /// The writes that carry a new description and/or body into the source.
    fn main_actions(
        &self,
        r: &Resource,
        new_desc: Option<Option<&str>>,
        new_body: Option<&str>,
        hint: Option<&str>,
    ) -> Result<Vec<Action>, SyncError> {
        let resource = r.id.to_string();
        let read = |p: &Path| -> Result<String, SyncError> {
            std::fs::read_to_string(p)
                .map_err(|source| FsError::Read { path: p.to_path_buf(), source }.into())
        };
        let at = match hint {
            Some(k) => patch::InsertAt::After(k),
            None => patch::InsertAt::Start,
        };
        let display = |p: &Path| {
            fsutil::rel_slash(&self.selection.source_root, p).unwrap_or_else(|| p.display().to_string())
        };
        let mut actions = Vec::new();
        let before = read(&r.main_file)?;
        let mut main_text = before.clone();
        let mut what = Vec::new();
        if let Some(desc) = new_desc {
            match r.description_origin {
                DescriptionOrigin::Overrides => {
                    return Err(SyncError::OverridesOrigin {
                        resource,
                        target: self.layout.target,
                        overrides: self
                            .selection
                            .overrides_file
                            .as_deref()
                            .map(display)
                            .unwrap_or_else(|| "overrides.yaml".into()),
                        sidecar: r
                            .sidecar
                            .as_deref()
                            .map(display)
                            .unwrap_or_else(|| format!("{}.yaml", r.main_file.with_extension("").display())),
                        wanted: desc.map(str::to_string),
                    })
                }
                DescriptionOrigin::Sidecar => {
                    let sidecar =
                        r.sidecar.as_ref().expect("a description from the sidecar means there is a sidecar");
                    let before = read(sidecar)?;
                    let after = patch::patch_sidecar_description(
                        &before,
                        self.layout.target.as_str(),
                        desc,
                        patch::InsertAt::End,
                    )
                    .map_err(|source| SyncError::Patch {
                        resource: resource.clone(),
                        file: display(sidecar),
                        source,
                    })?;
                    if after != before {
                        actions.push(Action::WriteText {
                            path: sidecar.clone(),
                            before: Some(before),
                            after,
                            what: vec!["description"],
                        });
                    }
                }
                DescriptionOrigin::Frontmatter | DescriptionOrigin::None => {
                    main_text =
                        patch::patch_frontmatter_description(&main_text, desc, at).map_err(|source| {
                            SyncError::Patch {
                                resource: resource.clone(),
                                file: display(&r.main_file),
                                source,
                            }
                        })?;
                    what.push("description");
                }
            }
        }
        if let Some(body) = new_body {
            let parts = crate::source::frontmatter::split(&main_text).map_err(|_| SyncError::Patch {
                resource: resource.clone(),
                file: display(&r.main_file),
                source: patch::PatchError::Unclosed,
            })?;
            let body_start = main_text.len() - parts.body.len();
            main_text = format!("{}{}", &main_text[..body_start], body);
            what.push("body");
        }
        if main_text != before {
            actions.insert(
                0,
                Action::WriteText { path: r.main_file.clone(), before: Some(before), after: main_text, what },
            );
        }
        Ok(actions)
    }

    fn plan_extras(
        &self,
        r: &Resource,
        rs: &mut ResourceSync,
        problems: &mut Vec<SyncError>,
    ) -> Result<(), SyncError> {
        let target = self.layout.target;
        let name = r.id.name.as_str();
        let dir_rel = targets::skill_dir_rel(target, name);
        let resolved = resolve_output(&self.layout.output_root, &format!("{dir_rel}/SKILL.md"))?;
        let project_dir = resolved.path.parent().expect("SKILL.md has a parent").to_path_buf();
        let resource = r.id.to_string();

        // Files agb generates in the skill dir (main file, codex agents/openai.yaml) are not extras.
        // Only codex adds files of its own (`agents/openai.yaml`); elsewhere it is SKILL.md alone.
        let dir_prefix = format!("{dir_rel}/");
        let generated: BTreeSet<String> = if target == Target::Codex {
            targets::render(target, r)?
                .files
                .iter()
                .filter(|f| matches!(f.content, OutputContent::Text(_)))
                .filter_map(|f| f.rel.strip_prefix(&dir_prefix).map(str::to_string))
                .collect()
        } else {
            BTreeSet::new()
        };
        let skip_name =
            |rel: &str| generated.contains(rel) || matches!(rel, "SKILL.md" | "SKILL.yaml" | "SKILL.yml");

        // The project's files (no links followed, hidden files ignored like in the source).
        let mut project: BTreeMap<String, Observed> = BTreeMap::new();
        let mut unknown: BTreeSet<String> = BTreeSet::new();
        for entry in walkdir::WalkDir::new(&project_dir)
            .follow_links(false)
            .min_depth(1)
            .into_iter()
            .filter_entry(|e| !crate::source::is_hidden(&e.file_name().to_string_lossy()))
        {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    return Err(FsError::Read {
                        path: e.path().map(Path::to_path_buf).unwrap_or_else(|| project_dir.clone()),
                        source: e.into(),
                    }
                    .into())
                }
            };
            let Some(rel) = fsutil::rel_slash(&project_dir, entry.path()) else {
                // not silently: the user added a file that will not reach the source
                if entry.file_type().is_file() {
                    problems.push(SyncError::NotUtf8Name {
                        resource: resource.clone(),
                        path: entry.path().display().to_string(),
                    });
                }
                continue;
            };
            let ft = entry.file_type();
            if ft.is_symlink() {
                problems.push(SyncError::Symlink {
                    resource: resource.clone(),
                    path: format!("{dir_rel}/{rel}"),
                });
                unknown.insert(rel);
                continue;
            }
            if !ft.is_file() || skip_name(&rel) {
                continue;
            }
            let meta = entry
                .metadata()
                .map_err(|e| FsError::Read { path: entry.path().to_path_buf(), source: e.into() })?;
            project.insert(rel, Observed::new(entry.path().to_path_buf(), FileStat::from_metadata(&meta)));
        }
        // A file under a linked directory is unknown too: never delete its source counterpart.
        let under_unknown = |rel: &str| unknown.iter().any(|u| rel == u || rel.starts_with(&format!("{u}/")));

        let mut source: BTreeMap<String, Observed> = BTreeMap::new();
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
        let key = r.id.key();
        let base: BTreeMap<String, &OutputEntry> = match self.by_resource.get(key.as_str()) {
            Some(files) => files
                .iter()
                .filter_map(|(rel, e)| rel.strip_prefix(&dir_prefix).map(|x| (x.to_string(), *e)))
                .filter(|(rel, _)| !skip_name(rel))
                .collect(),
            None => BTreeMap::new(),
        };
        let two_way = self.manifest.is_none();
        let rels: BTreeSet<&String> = project.keys().chain(source.keys()).chain(base.keys()).collect();
        let skill_src_dir = r.main_file.parent().expect("SKILL.md has a parent").to_path_buf();

        let decisions: Vec<(String, Result<ExtraDecision, SyncError>)> = rels
            .into_par_iter()
            .filter(|rel| !under_unknown(rel))
            .map(|rel| {
                let facts = (|| -> Result<ExtraFacts, SyncError> {
                    let p = project.get(rel);
                    let s = source.get(rel);
                    let b = base.get(rel).copied();
                    let b_src = b.and_then(|b| b.sources.first());
                    let project_changed = match (p, b) {
                        (Some(p), Some(b)) => Some(p.differs_from(&b.sha256, &b.stat)?),
                        _ => None,
                    };
                    let source_changed = match (s, b_src) {
                        (Some(s), Some(bs)) => Some(s.differs_from(&bs.sha256, &bs.stat)?),
                        _ => None,
                    };
                    let need_eq = p.is_some()
                        && s.is_some()
                        && (b.is_none() || (project_changed == Some(true) && source_changed != Some(false)));
                    let same = if need_eq {
                        Some(p.expect("checked").same_content(s.expect("checked"))?)
                    } else {
                        None
                    };
                    Ok(ExtraFacts {
                        in_project: p.is_some(),
                        in_source: s.is_some(),
                        in_base: b.is_some(),
                        project_changed,
                        source_changed,
                        same,
                        excluded: self.selection.excludes.is_excluded(&skill_extra_path(&r.id, rel)),
                        two_way,
                    })
                })();
                (rel.clone(), facts.map(|f| decide_extra(&f)))
            })
            .collect();

        for (rel, decision) in decisions {
            let output_rel = format!("{dir_rel}/{rel}");
            match decision? {
                ExtraDecision::Nothing => {}
                ExtraDecision::Forget => rs.drop_outputs.push(output_rel),
                ExtraDecision::Copy { create } => {
                    let to = fsutil::join_inside(&skill_src_dir, &rel)?;
                    rs.actions.push(Action::CopyExtra {
                        from: project[&rel].path.clone(),
                        to: to.clone(),
                        rel: rel.clone(),
                        kind: if create { ChangeKind::Create } else { ChangeKind::Update },
                    });
                    let sha256 = project[&rel].known_sha();
                    rs.refresh_outputs.push(Refresh { rel: output_rel, extra_source: Some(to), sha256 });
                }
                ExtraDecision::Delete => {
                    rs.actions
                        .push(Action::DeleteExtra { path: source[&rel].path.clone(), rel: rel.clone() });
                    rs.drop_outputs.push(output_rel);
                }
                ExtraDecision::SourceEdited => rs.source_edits.push(format!("extra {rel}")),
                ExtraDecision::Conflict => {
                    rs.conflicts.push(format!("extra {rel}"));
                    if self.force {
                        match (project.get(&rel), source.get(&rel)) {
                            (Some(p), s) => {
                                let to = fsutil::join_inside(&skill_src_dir, &rel)?;
                                rs.actions.push(Action::CopyExtra {
                                    from: p.path.clone(),
                                    to: to.clone(),
                                    rel: rel.clone(),
                                    kind: if s.is_some() { ChangeKind::Update } else { ChangeKind::Create },
                                });
                                let sha256 = p.known_sha();
                                rs.refresh_outputs.push(Refresh {
                                    rel: output_rel,
                                    extra_source: Some(to),
                                    sha256,
                                });
                            }
                            (None, Some(s)) => {
                                rs.actions
                                    .push(Action::DeleteExtra { path: s.path.clone(), rel: rel.clone() });
                                rs.drop_outputs.push(output_rel);
                            }
                            (None, None) => {}
                        }
                    }
                }
                ExtraDecision::Excluded => {
                    problems.push(SyncError::ExcludedExtra { resource: resource.clone(), rel: rel.clone() })
                }
                ExtraDecision::ProjectEditedSame => {
                    // The source file keeps its own stat: refreshed from disk, not from the copy.
                    let to = fsutil::join_inside(&skill_src_dir, &rel)?;
                    rs.refresh_outputs.push(Refresh {
                        rel: output_rel,
                        extra_source: Some(to),
                        sha256: None,
                    });
                }
            }
        }
        Ok(())
    }
}

fn skipped(key: String) -> ResourceSync {
    ResourceSync {
        key,
        state: SyncState::Skipped,
        actions: Vec::new(),
        conflicts: Vec::new(),
        source_edits: Vec::new(),
        ignored_edits: Vec::new(),
        refresh_outputs: Vec::new(),
        drop_outputs: Vec::new(),
    }
}

/// Where a description the source lacks goes: after the key that precedes it in the project's
/// Markdown frontmatter (so the rebuilt output keeps the project's key order), else first.
fn insert_hint(target: Target, kind: ResourceKind, output_text: &str) -> Option<String> {
    let markdown = !matches!(
        (target, kind),
        (Target::GeminiCli, ResourceKind::Command) | (Target::Codex, ResourceKind::Agent)
    );
    if !markdown {
        return None;
    }
    let (meta, _) = targets::markdown::parse_document("", output_text).ok()?;
    let mut prev = None;
    for (k, _) in &meta {
        let k = k.as_str()?;
        if k == "description" {
            return prev;
        }
        prev = Some(k.to_string());
    }
    None
}
