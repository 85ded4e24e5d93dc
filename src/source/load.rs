//! Loading the selected resources: resolve the `plugin:name` entries of agb.yaml against the
//! scanned index, parse only those, merge their metadata, list skill extras, and check name
//! conflicts and `requirements.yaml` dependencies. All problems of a selection are reported
//! together, before anything is written.
//!
//! Not here: walking a skill's extras (`extras`), reading `requirements.yaml` and checking
//! dependencies (`requirements`), parsing frontmatter and sidecars (`frontmatter`, `merge`).

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::exclude::Excludes;
use crate::manifest::FileStat;
use crate::names::{ResourceKind, Target};

use super::extras::list_extras;
use super::frontmatter::parse_document;
use super::merge::{merge_metadata, Overrides, Sidecar};
use super::requirements::check_dependencies;
use super::scan::{scan, IndexEntry, SourceIndex};
use super::{Resource, SourceError};

/// The selected resources of a project, loaded and merged for its target.
#[derive(Debug, Clone)]
pub struct Selection {
    /// In agb.yaml order: commands, then agents, then skills.
    pub resources: Vec<Resource>,
    /// `SOURCE/AGENTS.md`, when it exists.
    pub global_instructions: Option<PathBuf>,
    pub source_root: PathBuf,
    /// `SOURCE/plugins`.
    pub plugins_dir: PathBuf,
    /// `SOURCE/overrides.yaml`, when it exists (a description may come from it).
    pub overrides_file: Option<PathBuf>,
    pub excludes: Excludes,
    pub target: Target,
}

impl Selection {
    /// The source files a resource's outputs are rendered from (for the manifest's source
    /// hashes): the main file, its sidecar, and `overrides.yaml` when present.
    pub fn source_files(&self, resource: &Resource) -> Vec<PathBuf> {
        let mut files = vec![resource.main_file.clone()];
        files.extend(resource.sidecar.clone());
        files.extend(self.overrides_file.clone());
        files
    }
}

/// What loading one resource needs besides its files.
#[derive(Debug, Clone, Copy)]
pub struct LoadContext<'a> {
    pub target: Target,
    pub overrides: &'a Overrides,
    pub excludes: &'a Excludes,
    /// `SOURCE/plugins`, the base of the exclude function's canonical paths.
    pub plugins_dir: &'a Path,
    /// Stats of source files taken a moment ago (by `agb sync`'s change check), by path:
    /// the extras listed here are not stat-ed again.
    pub known_stats: Option<&'a HashMap<PathBuf, Option<FileStat>>>,
}

/// [`LoadContext`] with what it borrows, owned: for loading resources one at a time outside a
/// selection (`agb list` loads every resource of the index through one and shows the errors of
/// broken ones per row, instead of failing as [`load_selection`] does).
#[derive(Debug, Clone)]
pub struct ResourceLoader {
    pub target: Target,
    pub overrides: Overrides,
    pub excludes: Excludes,
    pub plugins_dir: PathBuf,
}

impl ResourceLoader {
    /// For `config`'s target and excludes over its scanned source `index`; an unusable
    /// `overrides.yaml` is the only error.
    pub fn new(config: &Config, index: &SourceIndex) -> Result<ResourceLoader, SourceError> {
        Ok(ResourceLoader {
            target: config.target,
            overrides: load_overrides(&index.root)?,
            excludes: config.excludes(),
            plugins_dir: index.plugins_dir.clone(),
        })
    }

    pub fn context(&self) -> LoadContext<'_> {
        LoadContext {
            target: self.target,
            overrides: &self.overrides,
            excludes: &self.excludes,
            plugins_dir: &self.plugins_dir,
            known_stats: None,
        }
    }

    /// [`load_resource`] with this loader's context.
    pub fn load(&self, entry: &IndexEntry) -> Result<Resource, SourceError> {
        load_resource(entry, &self.context())
    }
}

/// Scan the source of `config` and load its selection (SPEC §1.1–1.4).
pub fn load_selection(config: &Config) -> Result<Selection, SourceError> {
    let index = scan(&config.source)?;
    load_selection_from(config, &index)
}

/// [`load_selection`] over an index that was already scanned (`agb list` scans once).
pub fn load_selection_from(config: &Config, index: &SourceIndex) -> Result<Selection, SourceError> {
    load_selection_parsing(config, index, &|_| true, None)
}

/// [`load_selection`] that parses only the selected resources `parse` accepts; the others are
/// left out of [`Selection::resources`]. The selection is still resolved and checked whole
/// (unknown names, name conflicts, `overrides.yaml`, dependencies). For `agb sync` after a
/// few edits: the resources whose files did not change since the build need no parsing.
/// `known_stats`: source files stat-ed a moment ago, not stat-ed again.
pub fn load_selection_parsing_only(
    config: &Config,
    parse: &(dyn Fn(&crate::names::ResourceId) -> bool + Sync),
    known_stats: &HashMap<PathBuf, Option<FileStat>>,
) -> Result<Selection, SourceError> {
    let index = scan(&config.source)?;
    load_selection_parsing(config, &index, parse, Some(known_stats))
}

fn load_selection_parsing(
    config: &Config,
    index: &SourceIndex,
    parse: &(dyn Fn(&crate::names::ResourceId) -> bool + Sync),
    known_stats: Option<&HashMap<PathBuf, Option<FileStat>>>,
) -> Result<Selection, SourceError> {
    // One root cause, one message: not one "not found" per selected resource.
    let count = config.resources.iter().count();
    if count > 0 && !index.has_plugins_dir() {
        return Err(SourceError::NoPlugins { path: index.root.clone(), count });
    }
    let resolved = super::select::resolve_selection(config, index)?;
    let config = resolved.as_ref();
    let mut errors = Vec::new();

    // 1. every selected entry exists
    let mut selected: Vec<&IndexEntry> = Vec::new();
    for r in config.resources.iter() {
        match index.get(&r.id) {
            Some(entry) => selected.push(entry),
            None => errors.push(unknown_resource(config, index, r)),
        }
    }

    // 2. no two selected resources of one kind share a name
    let mut by_name: BTreeMap<(ResourceKind, &str), Vec<&IndexEntry>> = BTreeMap::new();
    for entry in &selected {
        by_name.entry((entry.id.kind, entry.id.name.as_str())).or_default().push(entry);
    }
    for ((kind, name), entries) in by_name {
        if entries.len() > 1 {
            let files = entries.iter().map(|e| e.main_file.clone()).collect();
            errors.push(SourceError::Conflict { kind, name: name.to_string(), files });
        }
    }

    // 3. overrides.yaml (only its own errors; it is read even when nothing is selected)
    let overrides_path = index.root.join("overrides.yaml");
    let overrides_file = overrides_path.is_file().then(|| overrides_path.clone());
    let overrides = match &overrides_file {
        Some(path) => match read_text(path).and_then(|text| Overrides::parse(path, &text)) {
            Ok(o) => o,
            Err(e) => {
                errors.push(e);
                Overrides::none()
            }
        },
        None => Overrides::none(),
    };

    // 4. parse the selected resources (in parallel: a big selection is thousands of files)
    let excludes = config.excludes();
    let ctx = LoadContext {
        target: config.target,
        overrides: &overrides,
        excludes: &excludes,
        plugins_dir: &index.plugins_dir,
        known_stats,
    };
    let loaded: Vec<Result<Resource, SourceError>> =
        selected.par_iter().filter(|e| parse(&e.id)).map(|e| load_resource(e, &ctx)).collect();
    let mut resources = Vec::with_capacity(loaded.len());
    for r in loaded {
        match r {
            Ok(r) => resources.push(r),
            Err(e) => errors.push(e),
        }
    }

    // 5. dependencies of the selected resources
    if let Err(e) = check_dependencies(config, index) {
        errors.push(e);
    }

    if !errors.is_empty() {
        return Err(SourceError::combine(errors));
    }
    let global = index.root.join("AGENTS.md");
    Ok(Selection {
        resources,
        global_instructions: global.is_file().then_some(global),
        source_root: index.root.clone(),
        plugins_dir: index.plugins_dir.clone(),
        overrides_file,
        excludes,
        target: config.target,
    })
}

/// Load `overrides.yaml` of a source root (none when absent).
pub fn load_overrides(source_root: &Path) -> Result<Overrides, SourceError> {
    let path = source_root.join("overrides.yaml");
    if !path.is_file() {
        return Ok(Overrides::none());
    }
    let text = read_text(&path)?;
    Overrides::parse(&path, &text)
}

fn unknown_resource(config: &Config, index: &SourceIndex, r: &crate::config::ResourceRef) -> SourceError {
    let kind = r.id.kind;
    let others = index.other_kinds_of(&r.id);
    let suggestions = index.suggest(&r.id);
    // a directory or file that is there but unusable explains the miss best
    let expected = index.plugins_dir.join(r.id.plugin.as_str()).join(kind.dir());
    // (or a `commands/`… directory that cannot be read: the resource may well be in it)
    let problem = index.problems.iter().find(|p| {
        p.path == expected.join(r.id.name.as_str())
            || p.path == expected.join(format!("{}.md", r.id.name))
            || p.path == expected
    });
    let advice = if let Some(p) = problem {
        format!("{}: {}", p.path.display(), p.message)
    } else if let Some(other) = others.first() {
        format!("`{}` is {} {other}: list it under `{}:`", r.id.qualified(), article(*other), other.dir())
    } else if let Some(best) = suggestions.first() {
        let rest: Vec<String> = suggestions[1..].iter().map(|s| format!("`{s}`")).collect();
        if rest.is_empty() {
            format!("did you mean `{best}`?")
        } else {
            format!("did you mean `{best}`? (or {})", rest.join(", "))
        }
    } else if !index.has_plugins_dir() {
        format!("{} has no plugins/ directory; check `source:` in agb.yaml", index.root.display())
    } else {
        "run `agb list --all` to see the resources of the source".to_string()
    };
    SourceError::UnknownResource {
        config: config.path.clone(),
        kind,
        id: r.id.qualified(),
        line: r.line,
        src: config.named_source(),
        span: r.span,
        source_dir: index.plugins_dir.display().to_string(),
        advice,
    }
}

fn article(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Agent => "an",
        _ => "a",
    }
}

/// Read a UTF-8 text file; a non-UTF-8 file names the line of the first bad byte.
pub fn read_text(path: &Path) -> Result<String, SourceError> {
    let bytes =
        fs::read(path).map_err(|source| SourceError::Unreadable { path: path.to_path_buf(), source })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..valid].iter().filter(|b| **b == b'\n').count() + 1;
        SourceError::NotUtf8 { path: path.to_path_buf(), line }
    })
}

/// Parse one resource and merge its metadata for `ctx.target`. `agb list --all` calls it for
/// every resource and shows the errors of broken ones without failing.
pub fn load_resource(entry: &IndexEntry, ctx: &LoadContext<'_>) -> Result<Resource, SourceError> {
    let text = read_text(&entry.main_file)?;
    let doc = parse_document(&entry.main_file, &text)?;
    if let (Some(first), Some(second)) = (&entry.sidecar, &entry.second_sidecar) {
        return Err(SourceError::AmbiguousSidecar { first: first.clone(), second: second.clone() });
    }
    let sidecar = match &entry.sidecar {
        Some(path) => Some(Sidecar::parse(path, &read_text(path)?)?),
        None => None,
    };
    let (metadata, description_origin) = merge_metadata(
        &doc.metadata,
        ctx.overrides,
        sidecar.as_ref().and_then(|s| s.section(ctx.target)),
        ctx.target,
    );
    let mut excluded = Vec::new();
    let extras = match &entry.skill_dir {
        Some(dir) => list_extras(&entry.id, dir, ctx, &mut excluded)?,
        None => Vec::new(),
    };
    Ok(Resource {
        id: entry.id.clone(),
        main_file: entry.main_file.clone(),
        sidecar: entry.sidecar.clone(),
        metadata,
        description_origin,
        body: doc.body.to_string(),
        extras,
        excluded,
    })
}

#[cfg(test)]
mod tests;
