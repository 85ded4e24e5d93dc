//! Build a project (SPEC §1.6): the no-change fast path, else load the selection, render, plan,
//! and — unless only showing the plan — apply it.
//!
//! Not here: how outputs are planned and written (`outputs`), printing (`cli::build`).

use rayon::prelude::*;

use crate::config::Config;
use crate::manifest::Manifest;
use crate::outputs::stat_index::{self, For};
use crate::outputs::{self, fast, BuildError, BuildPlan, Layout, Outcome, OutputWarning, PlanOptions};
use crate::source;

use super::{Mode, OpsError, Progress};

/// What `build_project` is asked to do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BuildOptions {
    pub mode: Mode,
    /// Rewrite every output, and remove every file the previous build wrote that is not wanted.
    pub clean: bool,
    /// Overwrite outputs that were edited in the project.
    pub force: bool,
    /// Refuse (write nothing) when the target's schema changes a resource (`--strict`).
    pub strict: bool,
    /// Skip the no-change shortcut so that the schema warnings are known (the shortcut does not
    /// render anything); implied by `strict`.
    pub want_warnings: bool,
}

/// What a build found or did.
#[derive(Debug)]
pub enum BuildReport {
    /// Nothing changed since the last build (decided from stats alone: the source was not read).
    UpToDate { layout: Layout, files: usize },
    /// [`Mode::DryRun`] or [`Mode::Check`]: what a build would do; nothing was written.
    Planned(Box<BuildPlan>),
    /// [`Mode::Apply`]: what the build wrote, and what the target's schema changed.
    Built { layout: Layout, outcome: Box<Outcome>, warnings: Vec<OutputWarning> },
}

impl BuildReport {
    /// True when the outputs are not up to date (what `--check` reports).
    pub fn is_pending(&self) -> bool {
        matches!(self, BuildReport::Planned(bp) if bp.is_stale())
    }

    /// The error a build would stop with because outputs were edited in the project (`--dry-run`
    /// shows the plan first, then reports it).
    pub fn edited_outputs_error(&self) -> Option<BuildError> {
        let BuildReport::Planned(bp) = self else { return None };
        let conflicts = bp.plan.blocking_conflicts();
        (!conflicts.is_empty()).then(|| BuildError::EditedOutputs { conflicts: conflicts.to_vec() })
    }
}

/// Build the project of `config`. Every error of reading and planning happens before anything
/// is written; outputs edited in the project stop the build unless `force`.
pub fn build_project(
    config: &Config,
    options: BuildOptions,
    progress: &dyn Progress,
) -> Result<BuildReport, OpsError> {
    let started_ns = fast::now_ns();
    let clock = std::time::Instant::now();
    let layout = Layout::of(config);
    super::check_roots(&layout)?;
    let shortcut = !options.clean && !options.strict && !options.want_warnings;
    // The stats alone, read from the stat index without parsing the manifest…
    if let Some(files) = shortcut.then(|| stat_index::unchanged(&layout, &config.text, For::Build)).flatten()
    {
        progress.phase("stat index", clock.elapsed());
        return Ok(BuildReport::UpToDate { files, layout });
    }
    // …or from the manifest, when the index is missing or stale (then it is written for next time).
    let previous = Manifest::load(&layout.output_root)?;
    if let Some(m) = previous.as_ref().filter(|m| shortcut && fast::is_up_to_date(&layout, &config.text, m)) {
        if options.mode == Mode::Apply {
            stat_index::write(&layout, m);
        }
        progress.phase("load", clock.elapsed());
        return Ok(BuildReport::UpToDate { files: m.files.len(), layout });
    }
    let selection = source::load_selection(config)?;
    progress.phase("load", clock.elapsed());
    let clock = std::time::Instant::now();
    let inputs = fast::collect_inputs(&layout, &selection, &config.text, started_ns)?;
    let excluded: Vec<String> = selection.resources.iter().flat_map(|r| r.excluded.iter().cloned()).collect();
    // Everything after rendering works from the rendered outputs: the parsed selection (a path
    // and metadata per resource and extra) is freed while rendering, not held to the end.
    let rendered = outputs::into_desired_outputs(&layout, selection)?;
    let plan_options = PlanOptions { clean: options.clean, force: options.force };
    let mut bp = outputs::plan_build_with(&layout, previous, rendered, plan_options)?;
    bp.plan.excluded = excluded;
    bp.inputs = inputs;
    if config.has_patterns() {
        bp.inputs = bp.inputs.take().and_then(|inputs| with_selection_dirs(&layout, inputs, started_ns));
    }
    bp.started_ns = started_ns;
    progress.phase("plan", clock.elapsed());

    if options.strict && !bp.warnings.is_empty() {
        return Err(BuildError::StrictWarnings { warnings: bp.warnings }.into());
    }
    if options.mode != Mode::Apply {
        return Ok(BuildReport::Planned(Box::new(bp)));
    }
    remove_stale_temp_files(&bp);
    progress.start(bp.plan.writes.len());
    let warnings = std::mem::take(&mut bp.warnings);
    let outcome = outputs::apply_build(bp, &|| progress.tick());
    progress.finish();
    let outcome = outcome?;
    progress.phase("write", outcome.write_time);
    progress.phase("manifest", outcome.manifest_time);
    // An upgraded agb brings its own schema for the editor. It is no output: failing to
    // rewrite it leaves the old one, which never makes the build wrong.
    if let Some(dir) = config.path.parent() {
        let _ = super::init::refresh_schema(dir);
    }
    Ok(BuildReport::Built { layout, outcome: Box::new(outcome), warnings })
}

/// `plugins:` and glob entries select by listing the source: a plugin or a resource added there
/// changes the selection. Record the mtimes of `plugins/`, of every plugin directory and of
/// every `commands`/`agents`/`skills` directory, so the no-change fast path sees such an
/// addition (`None`, no inputs, when one changed while the build read: the next build takes
/// the full path).
fn with_selection_dirs(
    layout: &Layout,
    mut inputs: crate::manifest::Inputs,
    started_ns: i64,
) -> Option<crate::manifest::Inputs> {
    let plugins = layout.source_root.join("plugins");
    let subdirs = |dir: &std::path::Path| -> Vec<std::path::PathBuf> {
        std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.path())
            .collect()
    };
    let mut dirs = vec![plugins.clone()];
    for plugin in subdirs(&plugins) {
        dirs.extend(subdirs(&plugin).into_iter().filter(|d| {
            d.file_name().and_then(|n| n.to_str()).and_then(crate::names::ResourceKind::from_dir).is_some()
        }));
        dirs.push(plugin);
    }
    for dir in dirs {
        let mtime = crate::manifest::FileStat::from_metadata(&std::fs::symlink_metadata(&dir).ok()?).mtime_ns;
        if mtime >= started_ns {
            return None;
        }
        let rel = crate::fsutil::rel_slash(&layout.source_root, &dir)?;
        inputs.dirs.insert(rel, mtime);
    }
    Some(inputs)
}

/// Remove what a killed agb left in the directories this build owns: one `readdir` per directory
/// holding an output, on the full path only (the no-change fast path reads no directory; a killed
/// build always leaves a pending write behind, so the next build takes the full path).
fn remove_stale_temp_files(bp: &BuildPlan) {
    let rels = bp
        .plan
        .writes
        .iter()
        .map(|w| w.output.rel.as_str())
        .chain(bp.plan.kept.iter().map(|k| k.rel.as_str()));
    let mut dirs: Vec<std::path::PathBuf> =
        vec![bp.layout.output_root.clone(), Manifest::dir(&bp.layout.output_root)];
    for rel in rels {
        let path = bp.layout.output_root.join(rel);
        let Some(dir) = path.parent() else { continue };
        // Outputs come sorted: most repeats are the previous one.
        if dirs.last().is_none_or(|last| last.as_os_str() != dir.as_os_str()) {
            dirs.push(dir.to_path_buf());
        }
    }
    // By bytes: `Path`'s component-wise order is much slower over many paths.
    dirs.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    dirs.dedup_by(|a, b| a.as_os_str() == b.as_os_str());
    // In parallel: thousands of `readdir`s, each waiting on the kernel (or the disk).
    dirs.par_iter().for_each(|dir| crate::fsutil::remove_stale_temp_files(dir));
}
