//! Loading the selected resources: resolve the `plugin:name` entries of agb.yaml against the
//! scanned index, parse only those, merge their metadata, list skill extras, and check name
//! conflicts and `requirements.yaml` dependencies. All problems of a selection are reported
//! together, before anything is written.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use miette::NamedSource;
use rayon::prelude::*;
use serde_yaml::Value;

use crate::config::{line_of_offset, locate_key, Config};
use crate::exclude::Excludes;
use crate::names::{Name, ResourceId, ResourceKind, Target};

use super::frontmatter::{parse_document, parse_yaml_mapping};
use super::merge::{merge_metadata, Overrides, Sidecar};
use super::scan::{is_hidden, scan, IndexEntry, SourceIndex};
use super::{Extra, Resource, SourceError};

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
}

/// Scan the source of `config` and load its selection (SPEC §1.1–1.4).
pub fn load_selection(config: &Config) -> Result<Selection, SourceError> {
    let index = scan(&config.source)?;
    load_selection_from(config, &index)
}

/// [`load_selection`] over an index that was already scanned (`agb list` scans once).
pub fn load_selection_from(config: &Config, index: &SourceIndex) -> Result<Selection, SourceError> {
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
    };
    let loaded: Vec<Result<Resource, SourceError>> =
        selected.par_iter().map(|e| load_resource(e, &ctx)).collect();
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
    let extras = match &entry.skill_dir {
        Some(dir) => list_extras(&entry.id, dir, ctx)?,
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
    })
}

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

/// One plugin's `requirements.yaml`: resource → the resources it needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Requirements {
    /// For each resource of the plugin, its dependencies with the line they are declared on.
    pub needs: BTreeMap<ResourceId, Vec<(ResourceId, usize)>>,
}

impl Requirements {
    /// Parse `requirements.yaml` of `plugin`:
    /// `<kind>: { <name>: { <kind>: [plugin:name, …] } }`. A dependency written as a bare
    /// `name` means a resource of the same plugin.
    pub fn parse(path: &Path, plugin: &Name, text: &str) -> Result<Requirements, SourceError> {
        let err = |offset: usize, message: String| {
            SourceError::Requirements {
            path: path.to_path_buf(),
            line: line_of_offset(text, offset),
            message,
            src: NamedSource::new(path.display().to_string(), text.to_string()),
            span: (offset, 0).into(),
            advice: "requirements.yaml maps kind → resource → kind → [plugin:name], e.g.\n  agents:\n    skill-writer:\n      skills: [documentation:documentation-guidelines]".to_string(),
        }
        };
        let top =
            parse_yaml_mapping(text).map_err(|e| err(e.index, format!("invalid YAML: {}", e.message)))?;
        let mut needs: BTreeMap<ResourceId, Vec<(ResourceId, usize)>> = BTreeMap::new();
        for (kind_key, resources) in &top {
            let kind_name = kind_key.as_str().unwrap_or_default();
            let kind_at = locate_key(text, 0, text.len(), kind_name, Some(0)).map(|(o, _)| o).unwrap_or(0);
            let Some(kind) = ResourceKind::from_dir(kind_name) else {
                return Err(err(
                    kind_at,
                    format!("unknown kind `{kind_name}` (expected commands, agents or skills)"),
                ));
            };
            let resources = match resources {
                Value::Null => continue,
                Value::Mapping(m) => m,
                _ => {
                    return Err(err(kind_at, format!("`{kind_name}` must map resource names to their needs")))
                }
            };
            for (name_key, deps) in resources {
                let name_text = yaml_key_text(name_key);
                let name_at = locate_key(text, kind_at, text.len(), &name_text, None)
                    .map(|(o, _)| o)
                    .unwrap_or(kind_at);
                let name = Name::new(&name_text)
                    .map_err(|_| err(name_at, format!("invalid resource name {name_text:?}")))?;
                let owner = ResourceId { kind, plugin: plugin.clone(), name };
                let deps = match deps {
                    Value::Null => continue,
                    Value::Mapping(m) => m,
                    _ => {
                        return Err(err(
                            name_at,
                            format!("`{name_text}` must map kinds to lists of plugin:name"),
                        ))
                    }
                };
                let mut from = name_at;
                for (dep_kind_key, list) in deps {
                    let dep_kind_name = dep_kind_key.as_str().unwrap_or_default();
                    let dep_kind_at = locate_key(text, from, text.len(), dep_kind_name, None)
                        .map(|(o, _)| o)
                        .unwrap_or(from);
                    let Some(dep_kind) = ResourceKind::from_dir(dep_kind_name) else {
                        return Err(err(
                            dep_kind_at,
                            format!("unknown kind `{dep_kind_name}` (expected commands, agents or skills)"),
                        ));
                    };
                    let items: Vec<&Value> = match list {
                        Value::Null => Vec::new(),
                        Value::Sequence(s) => s.iter().collect(),
                        single @ Value::String(_) => vec![single],
                        _ => {
                            return Err(err(
                                dep_kind_at,
                                format!("`{dep_kind_name}` must be a list of plugin:name"),
                            ))
                        }
                    };
                    from = dep_kind_at;
                    for item in items {
                        let Some(s) = item.as_str() else {
                            return Err(err(dep_kind_at, "dependencies are plugin:name strings".to_string()));
                        };
                        let at =
                            text.get(from..).and_then(|r| r.find(s)).map(|i| from + i).unwrap_or(dep_kind_at);
                        from = at;
                        let (p, n) = s.split_once(':').unwrap_or((plugin.as_str(), s));
                        let (Ok(p), Ok(n)) = (Name::new(p), Name::new(n)) else {
                            return Err(err(at, format!("invalid dependency {s:?} (expected plugin:name)")));
                        };
                        let dep = ResourceId { kind: dep_kind, plugin: p, name: n };
                        needs.entry(owner.clone()).or_default().push((dep, line_of_offset(text, at)));
                    }
                }
            }
        }
        Ok(Requirements { needs })
    }
}

fn yaml_key_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other).map(|s| s.trim_end().to_string()).unwrap_or_default(),
    }
}

/// Every declared dependency of a selected resource must be selected; all missing ones are
/// reported in one error. Only plugins with a selected resource have their file read.
fn check_dependencies(config: &Config, index: &SourceIndex) -> Result<(), SourceError> {
    let plugins: BTreeSet<&Name> = config.resources.iter().map(|r| &r.id.plugin).collect();
    let selected = config.resources.id_set();
    let mut errors = Vec::new();
    let mut missing = Vec::new();
    for plugin in plugins {
        let path = index.plugins_dir.join(plugin.as_str()).join("requirements.yaml");
        if !path.is_file() {
            continue;
        }
        let reqs = match read_text(&path).and_then(|t| Requirements::parse(&path, plugin, &t)) {
            Ok(r) => r,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        for (owner, deps) in &reqs.needs {
            if !selected.contains(owner) {
                continue;
            }
            for (dep, line) in deps {
                if !selected.contains(dep) {
                    let state = if index.get(dep).is_some() { "not selected" } else { "not in the source" };
                    missing.push(format!(
                        "  {owner} needs {dep} ({state}; declared in {}:{line})",
                        path.display()
                    ));
                }
            }
        }
    }
    if !missing.is_empty() {
        let count = missing.len();
        if count > SourceError::MAX_SHOWN {
            missing.truncate(SourceError::MAX_SHOWN);
            missing.push(format!("  … and {} more", count - SourceError::MAX_SHOWN));
        }
        errors.push(SourceError::MissingDependencies { count, list: missing.join("\n") });
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(SourceError::combine(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::DescriptionOrigin;

    /// A temp project: `src/` (the source) and `proj/agb.yaml`.
    struct Fixture {
        dir: tempfile::TempDir,
    }

    impl Fixture {
        fn new() -> Self {
            Fixture { dir: tempfile::tempdir().unwrap() }
        }

        fn file(&self, rel: &str, text: &str) -> &Self {
            let p = self.dir.path().join("src").join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
            self
        }

        fn config(&self, target: &str, resources: &str) -> Config {
            let p = self.dir.path().join("proj/agb.yaml");
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(
                &p,
                format!("source: ../src\ntarget: {target}\nexclude: [\"*.tmp\"]\nresources:\n{resources}"),
            )
            .unwrap();
            Config::load(&p).unwrap()
        }

        fn load(&self, target: &str, resources: &str) -> Result<Selection, SourceError> {
            load_selection(&self.config(target, resources))
        }
    }

    fn demo() -> Fixture {
        let f = Fixture::new();
        f.file("AGENTS.md", "global\n")
            .file("overrides.yaml", "model:\n  sonnet:\n    gemini-cli: gemini-2.5-pro\n")
            .file(
                "plugins/p/commands/web.md",
                "---\ndescription: Search\nmodel: sonnet\n---\nRun $ARGUMENTS\n",
            )
            .file("plugins/p/commands/web.yaml", "codex:\n  description: Codex search\n")
            .file("plugins/p/agents/res.md", "no frontmatter\n")
            .file("plugins/p/skills/sk/SKILL.md", "---\ndescription: Skill\n---\nbody")
            .file("plugins/p/skills/sk/SKILL.yaml", "opencode:\n  x: 1\n")
            .file("plugins/p/skills/sk/ref/b.md", "b")
            .file("plugins/p/skills/sk/a.txt", "a")
            .file("plugins/p/skills/sk/drop.tmp", "t")
            .file("plugins/p/skills/sk/.hidden", "h")
            .file("plugins/p/README.md", "not a resource")
            .file("plugins/q/commands/broken.md", "---\n: : [\n---\n")
            .file("plugins/q/commands/lint.md", "lint");
        f
    }

    const ALL: &str = "  commands: [p:web]\n  agents: [p:res]\n  skills: [p:sk]\n";

    #[test]
    fn loads_merges_and_lists_extras() {
        let f = demo();
        let s = f.load("gemini-cli", ALL).unwrap();
        assert_eq!(s.resources.len(), 3);
        let web = &s.resources[0];
        assert_eq!(web.metadata.get("model").unwrap().as_str(), Some("gemini-2.5-pro"));
        assert_eq!(web.description(), Some("Search"));
        assert_eq!(web.description_origin, DescriptionOrigin::Frontmatter);
        assert_eq!(web.body, "Run $ARGUMENTS\n");
        assert!(web.sidecar.is_some());
        let res = &s.resources[1];
        assert_eq!(res.body, "no frontmatter\n");
        assert_eq!(res.description_origin, DescriptionOrigin::None);
        let sk = &s.resources[2];
        let rels: Vec<&str> = sk.extras.iter().map(|e| e.rel.as_str()).collect();
        assert_eq!(rels, vec!["a.txt", "ref/b.md"], "sorted, excludes and hidden files dropped");
        assert_eq!(sk.extras[0].size, 1);
        assert!(s.global_instructions.unwrap().ends_with("AGENTS.md"));
        assert!(s.overrides_file.is_some());

        let codex = f.load("codex", ALL).unwrap();
        assert_eq!(codex.resources[0].description(), Some("Codex search"));
        assert_eq!(codex.resources[0].description_origin, DescriptionOrigin::Sidecar);
        assert_eq!(codex.resources[0].metadata.get("model").unwrap().as_str(), Some("sonnet"));
    }

    #[test]
    fn a_broken_unselected_resource_does_not_matter() {
        let f = demo();
        assert!(f.load("claude-code", "  commands: [q:lint]\n").is_ok());
        let e = f.load("claude-code", "  commands: [q:broken]\n").unwrap_err();
        assert_eq!(miette::Diagnostic::code(&e).unwrap().to_string(), "agb::source::frontmatter::invalid");
    }

    #[test]
    fn misspelt_resource_suggests_the_closest() {
        let f = demo();
        let e = f.load("claude-code", "  commands:\n    - p:webb\n").unwrap_err();
        match &e {
            SourceError::UnknownResource { id, line, advice, .. } => {
                assert_eq!(id, "p:webb");
                assert_eq!(*line, 6);
                assert!(advice.contains("did you mean `p:web`"), "{advice}");
            }
            other => panic!("{other:?}"),
        }
        let e = f.load("claude-code", "  agents: [p:web]\n").unwrap_err();
        assert!(miette::Diagnostic::help(&e).unwrap().to_string().contains("list it under `commands:`"));
        f.file("plugins/p/skills/half/notes.md", "no SKILL.md here");
        let e = f.load("claude-code", "  skills: [p:half]\n").unwrap_err();
        assert!(miette::Diagnostic::help(&e).unwrap().to_string().contains("without SKILL.md"));
        let e = f.load("claude-code", "  commands: [x:lint]\n").unwrap_err();
        assert!(miette::Diagnostic::help(&e).unwrap().to_string().contains("q:lint"));
    }

    #[test]
    fn a_resource_in_an_unreadable_directory_says_so() {
        let f = demo();
        let config = f.config("claude-code", "  commands: [p:web]\n  agents: [p:res]\n");
        fs::remove_dir_all(f.dir.path().join("src/plugins/p/commands")).unwrap();
        let mut index = scan(&config.source).unwrap();
        // what scan records for `commands/` without read permission (tests may run as root, for
        // whom chmod changes nothing)
        let commands = index.plugins_dir.join("p/commands");
        index.problems.push(crate::source::ScanProblem {
            path: commands.clone(),
            message: "cannot read: Permission denied (os error 13)".into(),
        });
        let e = load_selection_from(&config, &index).unwrap_err();
        let help = miette::Diagnostic::help(&e).unwrap().to_string();
        assert!(
            help.contains("Permission denied") && help.contains(&commands.display().to_string()),
            "{help}"
        );
    }

    #[test]
    fn several_problems_are_reported_together() {
        let f = demo();
        let e = f.load("claude-code", "  commands: [p:nope, q:broken]\n").unwrap_err();
        match e {
            SourceError::Many { count, .. } => assert_eq!(count, 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn same_name_from_two_plugins_is_a_conflict_naming_both() {
        let f = demo();
        f.file("plugins/q/commands/web.md", "other web");
        let e = f.load("claude-code", "  commands: [p:web, q:web]\n").unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("two selected commands are named `web`"), "{msg}");
        assert!(msg.contains("p/commands/web.md and ") && msg.contains("q/commands/web.md"), "{msg}");
        f.file("plugins/r/commands/web.md", "third web");
        let e = f.load("claude-code", "  commands: [p:web, q:web, r:web]\n").unwrap_err();
        assert!(e.to_string().starts_with("three selected commands are named `web`"), "{e}");
        // different kinds may share a name
        f.file("plugins/q/agents/web.md", "agent web");
        assert!(f.load("claude-code", "  commands: [p:web]\n  agents: [q:web]\n").is_ok());
    }

    #[test]
    fn thousands_of_problems_are_counted_but_not_all_shown() {
        let f = demo();
        let many: Vec<String> = (0..120).map(|i| format!("p:nope{i}")).collect();
        let e = f.load("claude-code", &format!("  commands: [{}]\n", many.join(", "))).unwrap_err();
        match &e {
            SourceError::Many { count, errors } => {
                assert_eq!(*count, 120);
                assert_eq!(errors.len(), SourceError::MAX_SHOWN);
                assert!(e.to_string().contains("120 problems") && e.to_string().contains("first 50"), "{e}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn missing_dependencies_are_all_listed() {
        let f = demo();
        f.file(
            "plugins/p/requirements.yaml",
            "agents:\n  res:\n    skills: [p:sk, q:gone]\n    commands: [lint2]\ncommands:\n  other:\n    skills: [p:sk]\n",
        );
        let e = f.load("claude-code", "  agents: [p:res]\n").unwrap_err();
        match &e {
            SourceError::MissingDependencies { count, list } => {
                assert_eq!(*count, 3);
                assert!(list.contains("needs skill p:sk (not selected"), "{list}");
                assert!(list.contains("needs skill q:gone (not in the source"), "{list}");
                assert!(list.contains("needs command p:lint2"), "{list}");
                assert!(list.contains("requirements.yaml:3"), "{list}");
            }
            other => panic!("{other:?}"),
        }
        // satisfied (and the unselected `other` needs nothing from us)
        f.file("plugins/p/requirements.yaml", "agents:\n  res:\n    skills: [p:sk]\n");
        assert!(f.load("claude-code", "  agents: [p:res]\n  skills: [p:sk]\n").is_ok());
    }

    #[test]
    fn problems_from_sub_checks_are_one_flat_list() {
        let f = demo();
        f.file("plugins/p/requirements.yaml", "agents: [x]\n")
            .file("plugins/q/requirements.yaml", "skills: 1\n");
        let e = f.load("claude-code", "  commands: [p:nope, q:lint]\n  agents: [p:res]\n").unwrap_err();
        match &e {
            SourceError::Many { count, errors } => {
                assert_eq!(*count, 3);
                assert!(errors.iter().all(|e| !matches!(e, SourceError::Many { .. })));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bad_requirements_yaml_points_at_the_line() {
        let f = demo();
        f.file("plugins/p/requirements.yaml", "agents:\n  res:\n    skillz: [p:sk]\n");
        let e = f.load("claude-code", "  agents: [p:res]\n").unwrap_err();
        match &e {
            SourceError::Requirements { line, message, .. } => {
                assert_eq!(*line, 3);
                assert!(message.contains("skillz"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn sidecar_with_forbidden_key_fails_only_when_selected() {
        let f = demo();
        f.file("plugins/q/commands/lint.yaml", "description: x\n");
        assert!(f.load("codex", "  commands: [p:web]\n").is_ok());
        let e = f.load("codex", "  commands: [q:lint]\n").unwrap_err();
        assert_eq!(miette::Diagnostic::code(&e).unwrap().to_string(), "agb::source::sidecar::invalid");
    }

    #[test]
    fn unclosed_non_mapping_and_non_utf8() {
        let f = demo();
        f.file("plugins/q/commands/open.md", "---\ndescription: x\nbody\n");
        f.file("plugins/q/commands/list.md", "---\n- a\n---\nbody\n");
        let e = f.load("codex", "  commands: [q:open]\n").unwrap_err();
        assert_eq!(miette::Diagnostic::code(&e).unwrap().to_string(), "agb::source::frontmatter::unclosed");
        let e = f.load("codex", "  commands: [q:list]\n").unwrap_err();
        assert_eq!(
            miette::Diagnostic::code(&e).unwrap().to_string(),
            "agb::source::frontmatter::not_mapping"
        );
        let p = f.dir.path().join("src/plugins/q/commands/bin.md");
        fs::write(&p, b"ok\n\xff\xfe").unwrap();
        let e = f.load("codex", "  commands: [q:bin]\n").unwrap_err();
        match e {
            SourceError::NotUtf8 { line, .. } => assert_eq!(line, 2),
            other => panic!("{other:?}"),
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn an_extra_whose_name_is_not_utf8_fails_the_skill_unless_excluded() {
        use std::os::unix::ffi::OsStrExt;
        let f = demo();
        let dir = f.dir.path().join("src/plugins/p/skills/sk");
        fs::write(dir.join(std::ffi::OsStr::from_bytes(b"draft\xff.tmp")), "x").unwrap();
        // excluded by `*.tmp`: it is not an extra, so its name does not matter
        // hidden: ignored like every hidden file
        fs::write(dir.join(std::ffi::OsStr::from_bytes(b".cache\xff")), "x").unwrap();
        let s = f.load("claude-code", "  skills: [p:sk]\n").unwrap();
        assert_eq!(s.resources[0].extras.len(), 2);
        fs::write(dir.join(std::ffi::OsStr::from_bytes(b"notes\xff.md")), "x").unwrap();
        let e = f.load("claude-code", "  skills: [p:sk]\n").unwrap_err();
        assert!(matches!(e, SourceError::NotUtf8Path { .. }), "{e:?}");
    }

    #[test]
    fn both_sidecars_is_an_error() {
        let f = demo();
        f.file("plugins/q/commands/lint.yml", "codex: {}\n")
            .file("plugins/q/commands/lint.yaml", "codex: {}\n");
        let e = f.load("codex", "  commands: [q:lint]\n").unwrap_err();
        assert!(matches!(e, SourceError::AmbiguousSidecar { .. }));
    }

    #[test]
    fn missing_source_is_a_clear_error() {
        let f = Fixture::new();
        let e = f.load("codex", "  commands: [q:lint]\n").unwrap_err();
        assert!(matches!(e, SourceError::Missing { .. }), "{e:?}");
    }

    #[test]
    fn scan_records_bad_names_and_ignores_hidden_and_non_resources() {
        let f = demo();
        f.file("plugins/bad name/commands/x.md", "x")
            .file("plugins/p/commands/bad name.md", "x")
            .file("plugins/p/skills/nomd/notes.txt", "x")
            .file("plugins/.git/commands/x.md", "x")
            .file("plugins/p/.claude-plugin/plugin.json", "{}")
            .file("plugins/p/commands/notes.txt", "x")
            .file("plugins/p/agents/gone.yml", "codex: {}\n");
        let idx = scan(&f.dir.path().join("src")).unwrap();
        let ids: Vec<String> = idx.ids().map(|i| i.to_string()).collect();
        assert_eq!(
            ids,
            vec!["command p:web", "command q:broken", "command q:lint", "agent p:res", "skill p:sk"]
        );
        let problems: Vec<String> = idx.problems.iter().map(|p| p.message.clone()).collect();
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems.iter().any(|m| m.contains("sidecar without gone.md")));
        assert!(problems.iter().any(|m| m.contains("invalid plugin name \"bad name\"")));
        assert!(problems.iter().any(|m| m.contains("invalid command name \"bad name\"")));
        assert!(problems.iter().any(|m| m.contains("without SKILL.md")));
    }
}
