//! `agb build` (SPEC §1.6): render the selected resources into the output root, plan then apply.
//!
//! 1. [`desired_outputs`] renders every selected resource (in parallel) into [`Desired`] outputs,
//!    each with the source files it came from;
//! 2. [`plan_build`] hashes what must be hashed (sources whose stat changed since the manifest,
//!    rendered text), observes the output root (one `lstat` per output; a file is read only when
//!    its stat differs from the manifest) and makes a [`Plan`] ([`plan::plan_outputs`], pure);
//! 3. [`apply_build`] writes (atomically, only what changes), removes stale outputs and prunes the
//!    directories they leave empty, updates Codex's `config.toml`, then writes the manifest last.
//!
//! Every error of steps 1–2 happens before anything is written. Edited outputs are protected:
//! the plan lists them and [`apply_build`] refuses unless forced.
//!
//! Not here: what a resource renders to (`target`), how the source is read (`source`), printing
//! (`cli::build`), sequencing load → render → plan → apply for a command (`ops::build`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::fsutil::{self, FsError};
use crate::manifest::{FileStat, Manifest, ManifestError};
use crate::names::Target;
use crate::targets::{OutputContent, TargetError};

pub mod fast;
mod global;
pub mod io;
pub mod plan;
pub mod render;
mod shadowed;
pub mod stat_index;

pub use render::{desired_outputs, into_desired_outputs};
pub use shadowed::ShadowedSkill;

pub use plan::{Conflict, ConflictReason, OnDisk, Plan, PlanOptions, Prepared, WriteKind};

/// Codex's settings file in the output root, of which agb owns only `[agents.<name>]` tables.
pub const CODEX_CONFIG_REL: &str = "config.toml";

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum BuildError {
    #[error("{} output file(s) were edited in the project since the last build:\n{}", conflicts.len(), list_conflicts(conflicts))]
    #[diagnostic(
        code(agb::outputs::edited_outputs),
        help(
            "run `agb sync` to carry the edits back into the source, or `agb build --force` to discard them"
        )
    )]
    EditedOutputs { conflicts: Vec<Conflict> },
    #[error("{} output path(s) are not a regular file (a directory, a symbolic link, a FIFO…), where agb must write a file:\n{}", paths.len(), paths.iter().map(|p| format!("  {}", crate::text::shown::shown(p))).collect::<Vec<_>>().join("\n"))]
    #[diagnostic(
        code(agb::outputs::blocked_output),
        help("move them out of the way; agb never writes through a symbolic link, into a FIFO or device, or replaces a directory")
    )]
    Blocked { paths: Vec<String> },
    #[error("two selected resources write the same output {rel} ({first} and {second})")]
    #[diagnostic(
        code(agb::outputs::output_collision),
        help("deselect one of them in agb.yaml, or rename one")
    )]
    OutputCollision { rel: String, first: String, second: String },
    #[error("source file {path} is a symbolic link to {target}, which does not exist")]
    #[diagnostic(
        code(agb::outputs::dangling_source_link),
        help("point the link at an existing file, or remove it from the source")
    )]
    DanglingSourceLink { path: PathBuf, target: PathBuf },
    #[error("internal: output {rel} copies {from}, which is not among its sources")]
    #[diagnostic(code(agb::outputs::internal), help("this is a bug in agb; please report it"))]
    CopyWithoutSource { rel: String, from: PathBuf },
    #[error("output {rel} would be written outside the output root")]
    #[diagnostic(
        code(agb::outputs::outside_root),
        help(
            "only Codex skills and the project's global file go outside the output root; this is a bug in the target's renderer"
        )
    )]
    OutsideRoot { rel: String },
    #[error("{} is written by two output roots of this project with different content: {} and {}", path.display(), this.display(), other.display())]
    #[diagnostic(
        code(agb::outputs::shared_global_differs),
        help("both agents read this one file: give both sources the same AGENTS.md (then they share it), or remove AGENTS.md from one source")
    )]
    SharedGlobalDiffers { path: PathBuf, this: PathBuf, other: PathBuf },
    #[error("{} exists and agb did not write it; agb never overwrites it", path.display())]
    #[diagnostic(
        code(agb::outputs::hand_written_global),
        help("move your text into {}/AGENTS.md (agb then writes it there for every target), or delete the file", source_root.display())
    )]
    HandWrittenGlobal { path: PathBuf, source_root: PathBuf },
    #[error("{} problem(s) would make {target} drop or reject resources; nothing was written", errors.len())]
    #[diagnostic(
        code(agb::outputs::not_loadable),
        help("each problem below says how to fix it (checked before writing anything)")
    )]
    NotLoadable {
        target: Target,
        #[related]
        errors: Vec<TargetError>,
    },
    #[error("{} warning(s) with --strict: the target's schema would change these resources; nothing was written:\n{}", warnings.len(), warnings.iter().map(|w| format!("  {}", w.warning)).collect::<Vec<_>>().join("\n"))]
    #[diagnostic(
        code(agb::outputs::strict_warnings),
        help("fix the metadata (or set the key per target in the resource's sidecar .yaml), or build without --strict")
    )]
    StrictWarnings { warnings: Vec<OutputWarning> },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Target(#[from] TargetError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Manifest(#[from] ManifestError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Fs(#[from] FsError),
}

fn list_conflicts(conflicts: &[Conflict]) -> String {
    conflicts
        .iter()
        .map(|c| {
            let why = match c.reason {
                ConflictReason::Edited => "edited since the last build",
                ConflictReason::NotWrittenByAgb => "exists, but agb did not write it",
                ConflictReason::EditedAndDeselected => "edited, and its resource is no longer selected",
            };
            format!("  {}  ({why})", c.rel)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One output the selection renders to, before anything is read from disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Desired {
    /// Path relative to the output root.
    pub rel: String,
    pub content: OutputContent,
    /// What it is rendered from.
    pub resource: crate::manifest::OutputOrigin,
    /// Absolute paths of the source files rendered text comes from (main file, sidecar,
    /// `overrides.yaml`). Empty for a copy: its one source is the `from` of its content, not
    /// held twice ([`Desired::source_paths`] lists both kinds).
    pub sources: Vec<PathBuf>,
    /// A copy's source stat as the source loader took it: [`io::prepare`] uses it instead of
    /// stat-ing the file again. `None`: not known, stat-ed when preparing.
    pub source_stat: Option<FileStat>,
}

impl Desired {
    /// The source files it is rendered or copied from.
    pub fn source_paths(&self) -> impl Iterator<Item = &Path> {
        let copied = match &self.content {
            OutputContent::Copy { from, .. } => Some(from.as_path()),
            OutputContent::Text(_) => None,
        };
        copied.into_iter().chain(self.sources.iter().map(PathBuf::as_path))
    }
}

/// What the build works on: where outputs go, what they come from, for which target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub output_root: PathBuf,
    pub source_root: PathBuf,
    pub target: Target,
}

/// A [`crate::targets::Warning`] with the output it concerns (the resource's main file, relative
/// to the output root), for `--explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputWarning {
    pub output: String,
    pub warning: crate::targets::Warning,
}

/// A change to Codex's `config.toml`: since issue 10 only the removal of the `[agents.<name>]`
/// tables an older agb wrote there (Codex agents are standalone `agents/<name>.toml` files now).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextChange {
    pub rel: String,
    /// The current text.
    pub before: String,
    /// The new text; `None` removes the file (nothing but agb's tables was in it).
    pub after: Option<String>,
}

/// Everything rendered from a selection: the outputs and what the targets' schemas changed.
#[derive(Debug, Clone, Default)]
pub struct RenderedSelection {
    pub outputs: Vec<Desired>,
    /// What the target's schema left out, translated or renamed, per resource (in selection
    /// order); the CLI prints them, `--strict` refuses the build.
    pub warnings: Vec<OutputWarning>,
    /// Codex: each selected agent's description as the source says it now, so that a description
    /// edited in an old `[agents.<name>]` table and synced back is not an edit any more.
    pub codex_descriptions: HashMap<String, Option<String>>,
}

/// A build's plan with everything needed to show it and apply it.
#[derive(Debug, Clone)]
pub struct BuildPlan {
    pub layout: Layout,
    pub previous: Option<Manifest>,
    pub plan: Plan,
    /// The directories of the plan's writes, checked for symlinks ([`io::check_directories`]).
    pub write_dirs: io::OutputDirs,
    pub codex_config: Option<TextChange>,
    /// What the target's schema changed in the outputs ([`RenderedSelection::warnings`]).
    pub warnings: Vec<OutputWarning>,
    /// Skills of this root that Copilot CLI would see twice, one of them dropped (`shadowed`).
    pub shadowed_skills: Vec<ShadowedSkill>,
    /// The build's other inputs ([`fast::collect_inputs`]), recorded in the manifest.
    pub inputs: Option<crate::manifest::Inputs>,
    /// When the build began reading, for the "racy" rule of [`fast::collect_inputs`].
    pub started_ns: i64,
}

impl BuildPlan {
    /// True when the outputs are not up to date (what `--check` reports).
    pub fn is_stale(&self) -> bool {
        !self.plan.is_noop() || self.codex_config.is_some() || !self.plan.conflicts.is_empty()
    }
}

/// Observe the output root and decide what to do. Reads, never writes.
pub fn plan_build(
    layout: &Layout,
    rendered: RenderedSelection,
    options: PlanOptions,
) -> Result<BuildPlan, BuildError> {
    let previous = Manifest::load(&layout.output_root)?;
    plan_build_with(layout, previous, rendered, options)
}

/// [`plan_build`] with the previous manifest already loaded.
pub fn plan_build_with(
    layout: &Layout,
    previous: Option<Manifest>,
    rendered: RenderedSelection,
    options: PlanOptions,
) -> Result<BuildPlan, BuildError> {
    // Every path the plan may touch: `..` and absolute paths are refused (by `observe`) before
    // anything else. Paths are resolved where they are used, never held resolved all at once:
    // three `PathBuf`s per output were the largest part of a big build's peak memory.
    let mut rels: Vec<&str> = rendered.outputs.iter().map(|d| d.rel.as_str()).collect();
    if let Some(m) = &previous {
        rels.extend(m.files.keys().map(String::as_str));
    }
    rels.sort_unstable();
    rels.dedup();
    // One lstat per path; a file is read (after checking its directories for symlinks) only
    // when its stat differs from the manifest.
    let disk = io::observe(&layout.output_root, &rels, previous.as_ref())?;
    drop(rels);
    let prepared = io::prepare(rendered.outputs, &layout.source_root, previous.as_ref(), &disk)?;
    let mut plan = plan::plan_outputs(prepared, previous.as_ref(), &disk, options);
    global::check_project_global(layout, &mut plan, &disk, previous.as_ref())?;
    drop(disk);
    // Everything the plan writes or deletes: no symlink on the way, checked before any write
    // (and again by apply). A no-change build writes nothing and so checks nothing. The
    // directories written into are kept for apply, which creates them.
    let resolve = |rel: &str| io::resolve_output(&layout.output_root, rel);
    let write_dirs = io::check_directories(plan.writes.iter().map(|w| resolve(&w.output.rel)))?;
    io::check_directories(plan.removals.iter().map(|rel| resolve(rel)))?;

    let owned = previous.as_ref().map(|m| m.codex_agents.as_slice()).unwrap_or_default();
    let codex = if layout.target == Target::Codex && !owned.is_empty() {
        plan_codex_migration(layout, owned, previous.as_ref(), &rendered.codex_descriptions)?
    } else {
        CodexPlan::default()
    };
    plan.conflicts.extend(codex.conflicts);
    // An output that is not a regular file (a directory, a link, a FIFO) stops every use of the
    // plan — build, dry run, check and status alike — so it is refused here, once.
    if !plan.blocked.is_empty() {
        return Err(BuildError::Blocked { paths: plan.blocked });
    }
    Ok(BuildPlan {
        shadowed_skills: shadowed::shadowed_skills(layout, &plan),
        layout: layout.clone(),
        previous,
        plan,
        write_dirs,
        codex_config: codex.change,
        warnings: rendered.warnings,
        inputs: None,
        started_ns: i64::MAX,
    })
}

/// What a build does to Codex's `config.toml`: takes out the tables an older agb wrote.
#[derive(Debug, Default)]
struct CodexPlan {
    change: Option<TextChange>,
    /// agb's tables whose description was edited since the last build (kept unless forced).
    conflicts: Vec<Conflict>,
}

/// The migration of an output root built before issue 10 (its manifest owns `[agents.<name>]`
/// tables): remove exactly those tables, every other byte of `config.toml` kept. A file left
/// with nothing but whitespace held only agb's tables and is removed (agb created it; an empty
/// settings file means nothing to Codex). A table whose description the user edited since the
/// last build is protected like an edited output: `agb sync` carries it back first (sync reads
/// an old agent's description from `config.toml`), `--force` discards it.
fn plan_codex_migration(
    layout: &Layout,
    owned: &[String],
    previous: Option<&Manifest>,
    source_descriptions: &HashMap<String, Option<String>>,
) -> Result<CodexPlan, BuildError> {
    let path = layout.output_root.join(CODEX_CONFIG_REL);
    fsutil::ensure_no_symlink_escape(&layout.output_root, &path)?;
    let before = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(CodexPlan::default()),
        Err(source) => return Err(FsError::Read { path, source }.into()),
    };
    // Validates the file first (a syntax error is reported with its line).
    let after = crate::targets::remove_agb_codex_agents(&before, owned)?;
    let conflicts = codex_conflicts(&before, owned, previous, source_descriptions);
    let change = (after != before).then(|| TextChange {
        rel: CODEX_CONFIG_REL.to_string(),
        after: (!after.trim_start_matches('\u{feff}').trim().is_empty()).then_some(after),
        before,
    });
    Ok(CodexPlan { change, conflicts })
}

/// The descriptions of the `[agents.<name>]` tables of a Codex `config.toml`. Plain values
/// under `[agents]` are Codex settings, not agents.
fn codex_agent_descriptions(text: &str) -> std::collections::HashMap<String, Option<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Ok(doc) = text.parse::<toml_edit::DocumentMut>() else { return Default::default() };
    let Some(agents) = doc.get("agents").and_then(toml_edit::Item::as_table_like) else {
        return Default::default();
    };
    agents
        .iter()
        .filter_map(|(name, item)| {
            let description = item.as_table_like()?.get("description").and_then(|i| i.as_str());
            Some((name.to_string(), description.map(str::to_string)))
        })
        .collect()
}

/// Edit protection for agb's old tables in `config.toml` (SPEC §1.6 step 5): a description
/// edited since the last build (and not to what the source now says, as after `agb sync`) is
/// not removed. Without a recorded description (a manifest of an older agb), agb's own tables
/// are not protected.
fn codex_conflicts(
    text: &str,
    owned: &[String],
    previous: Option<&Manifest>,
    source_descriptions: &HashMap<String, Option<String>>,
) -> Vec<Conflict> {
    use crate::manifest::codex_description_hash;
    let tables = codex_agent_descriptions(text);
    let recorded = |name: &str| previous.and_then(|m| m.codex_descriptions.get(name));
    owned
        .iter()
        .filter(|name| {
            tables.get(*name).is_some_and(|current| {
                let synced = source_descriptions.get(*name).is_some_and(|s| s == current);
                !synced && recorded(name).is_some_and(|r| *r != codex_description_hash(current.as_deref()))
            })
        })
        .map(|name| Conflict {
            rel: format!("{CODEX_CONFIG_REL} [agents.{name}]"),
            reason: ConflictReason::EditedAndDeselected,
        })
        .collect()
}

/// What a build did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub created: Vec<String>,
    pub updated: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
    /// Edited outputs overwritten or removed because of `--force`.
    pub discarded_edits: Vec<Conflict>,
    pub codex_config_updated: bool,
    /// `config.toml` held nothing but agb's old agent tables and was removed.
    pub codex_config_removed: bool,
    pub manifest_written: bool,
    /// Skills Copilot CLI sees twice ([`BuildPlan::shadowed_skills`]).
    pub shadowed_skills: Vec<ShadowedSkill>,
    /// The outputs the build left as they were, and why ([`Plan::skipped`]).
    pub skipped: Vec<plan::Skipped>,
    /// How long writing the files (and `config.toml`) took, then the manifest.
    pub write_time: std::time::Duration,
    pub manifest_time: std::time::Duration,
}

/// Apply a plan: refuse on protected edits, write, remove, update config.toml, write the
/// manifest last. On an I/O error mid-way the manifest still records what was written, so the
/// next build does not mistake agb's own writes for hand edits.
/// `progress` is called once per file written (from any thread).
pub fn apply_build(bp: BuildPlan, progress: &io::Progress<'_>) -> Result<Outcome, BuildError> {
    let plan = &bp.plan;
    if !plan.blocked.is_empty() {
        return Err(BuildError::Blocked { paths: plan.blocked.clone() });
    }
    if !plan.blocking_conflicts().is_empty() {
        return Err(BuildError::EditedOutputs { conflicts: plan.blocking_conflicts().to_vec() });
    }
    let root = &bp.layout.output_root;
    let clock = std::time::Instant::now();
    let (applied, error) = io::apply_files(plan, &bp.write_dirs, root, progress);
    let mut error: Option<BuildError> = error.map(Into::into);
    let mut codex_config_updated = false;
    if error.is_none() {
        if let Some(change) = &bp.codex_config {
            let path = root.join(&change.rel);
            let done = fsutil::ensure_no_symlink_escape(root, &path).and_then(|()| match &change.after {
                Some(after) => fsutil::write_atomic(&path, after.as_bytes()),
                None => std::fs::remove_file(&path)
                    .map_err(|source| FsError::Write { path: path.clone(), source }),
            });
            match done {
                Ok(()) => codex_config_updated = true,
                Err(e) => error = Some(e.into()),
            }
        }
    }
    let mut outcome = Outcome {
        created: plan.rels(WriteKind::Create),
        updated: plan.rels(WriteKind::Update),
        removed: plan.removals.clone(),
        unchanged: plan.kept.len(),
        discarded_edits: if plan.force { plan.conflicts.clone() } else { Vec::new() },
        codex_config_updated,
        codex_config_removed: codex_config_updated
            && bp.codex_config.as_ref().is_some_and(|c| c.after.is_none()),
        manifest_written: false,
        shadowed_skills: bp.shadowed_skills.clone(),
        skipped: plan.skipped(),
        write_time: clock.elapsed(),
        manifest_time: std::time::Duration::ZERO,
    };
    let clock = std::time::Instant::now();

    let BuildPlan { layout, previous, plan, inputs, started_ns, codex_config, .. } = bp;
    let mut base = Manifest::new(layout.target, layout.source_root.clone());
    base.inputs = inputs.filter(|_| error.is_none()).map(|mut i| {
        i.codex_config = fast::codex_config_stat(&layout);
        i
    });
    // agb owns no `[agents.<name>]` table once they are removed (or were already gone); until
    // then the manifest keeps them, so that the next build finishes the migration.
    let migrated = codex_config.is_none() || codex_config_updated;
    if let Some(m) = previous.as_ref().filter(|_| !migrated) {
        base.codex_agents = m.codex_agents.clone();
        base.codex_descriptions = m.codex_descriptions.clone();
    }
    let mut next = plan::next_manifest(base, plan, previous.as_ref(), applied.written, &applied.removed);
    let skill_dirs = next.inputs.is_some().then(|| fast::record_skill_dirs(&layout, &next));
    if let (Some(inputs), Some(skill_dirs)) = (next.inputs.as_mut(), skill_dirs) {
        inputs.skill_dirs = skill_dirs;
    }
    // A source modified while this build ran may not be what was rendered: no fast path next time.
    let racy = next.files.values().flat_map(|e| e.sources.iter()).any(|s| s.stat.mtime_ns >= started_ns);
    if racy {
        next.inputs = None;
    }
    if let Some(digest) = next.inputs.is_some().then(|| next.files_digest()) {
        next.inputs.as_mut().expect("checked just above").files_digest = digest;
    }
    outcome.manifest_written = previous.as_ref() != Some(&next);
    if outcome.manifest_written {
        let saved = next.save(&layout.output_root);
        if saved.is_ok() {
            stat_index::write(&layout, &next);
        }
        if let (None, Err(e)) = (&error, saved) {
            error = Some(e.into());
        }
    }
    outcome.manifest_time = clock.elapsed();
    // The manifests can hold tens of thousands of entries; the process ends right after a
    // build, so freeing them entry by entry is wasted time.
    std::mem::forget(next);
    std::mem::forget(previous);
    match error {
        Some(e) => Err(e),
        None => Ok(outcome),
    }
}

/// A unified diff of one planned change (`--dry-run --diff`). Files that are not UTF-8 text, or
/// larger than 1 MiB, are summarized instead of diffed.
pub fn diff_for(output_root: &Path, rel: &str, after: Option<&OutputContent>) -> Result<String, BuildError> {
    const LIMIT: u64 = 1024 * 1024;
    let resolved = io::resolve_output(output_root, rel)?;
    let read_text = |path: &Path| -> Result<Option<Option<String>>, FsError> {
        match std::fs::symlink_metadata(path) {
            Ok(m) if m.is_file() && m.len() <= LIMIT => {
                let bytes =
                    std::fs::read(path).map_err(|source| FsError::Read { path: path.into(), source })?;
                Ok(Some(String::from_utf8(bytes).ok()))
            }
            Ok(_) => Ok(Some(None)),
            Err(_) => Ok(None),
        }
    };
    let before = read_text(&resolved.path)?;
    let after = match after {
        None => None,
        Some(OutputContent::Text(t)) => Some(Some(t.clone())),
        Some(OutputContent::Copy { from, .. }) => read_text(from)?,
    };
    let (before_text, after_text) = match (&before, &after) {
        (Some(None), _) | (_, Some(None)) => return Ok(format!("Binary or large file {rel} differs\n")),
        (b, a) => (
            b.as_ref().and_then(|x| x.as_deref()).unwrap_or(""),
            a.as_ref().and_then(|x| x.as_deref()).unwrap_or(""),
        ),
    };
    let old_name = if before.is_some() { format!("a/{rel}") } else { "/dev/null".to_string() };
    let new_name = if after.is_some() { format!("b/{rel}") } else { "/dev/null".to_string() };
    Ok(unified_diff(before_text, after_text, &old_name, &new_name))
}

/// A unified diff between two texts (3 lines of context).
pub fn unified_diff(before: &str, after: &str, old_name: &str, new_name: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .missing_newline_hint(true)
        .to_string()
}
