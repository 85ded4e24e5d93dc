//! `requirements.yaml` of a plugin (which resources need which) and the check that every
//! dependency of a selected resource is selected too (SPEC §1.4).
//!
//! Not here: loading the resources themselves (`load`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_yaml::Value;

use crate::config::Config;
use crate::names::{Name, ResourceId, ResourceKind};
use crate::text::{line_of_offset, locate_key, yaml_scalar, Located};

use super::frontmatter::parse_yaml_mapping;
use super::load::read_text;
use super::scan::SourceIndex;
use super::SourceError;

/// One plugin's `requirements.yaml`: resource → the resources it needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Requirements {
    /// For each resource of the plugin, its dependencies with the line they are declared on.
    pub needs: BTreeMap<ResourceId, Vec<(ResourceId, usize)>>,
}

/// How requirements.yaml is written, for every error about it.
const SHAPE_ADVICE: &str = "requirements.yaml maps kind → resource → kind → [plugin:name], e.g.\n  agents:\n    skill-writer:\n      skills: [documentation:documentation-guidelines]";

impl Requirements {
    /// Parse `requirements.yaml` of `plugin`:
    /// `<kind>: { <name>: { <kind>: [plugin:name, …] } }`. A dependency written as a bare
    /// `name` means a resource of the same plugin.
    pub fn parse(path: &Path, plugin: &Name, text: &str) -> Result<Requirements, SourceError> {
        let file = RequirementsFile { path, plugin, text };
        let top = parse_yaml_mapping(text)
            .map_err(|e| file.error(e.index, format!("invalid YAML: {}", e.message)))?;
        let mut needs: BTreeMap<ResourceId, Vec<(ResourceId, usize)>> = BTreeMap::new();
        for (kind_key, resources) in &top {
            let kind_name = kind_key.as_str().unwrap_or_default();
            let kind_at = locate_key(text, 0, text.len(), kind_name, Some(0)).map(|(o, _)| o).unwrap_or(0);
            let Some(kind) = ResourceKind::from_dir(kind_name) else {
                return Err(file.error(
                    kind_at,
                    format!("unknown kind `{kind_name}` (expected commands, agents or skills)"),
                ));
            };
            let resources = match resources {
                Value::Null => continue,
                Value::Mapping(m) => m,
                _ => {
                    return Err(
                        file.error(kind_at, format!("`{kind_name}` must map resource names to their needs"))
                    )
                }
            };
            for (name_key, deps) in resources {
                let name_text = yaml_scalar::value_text(name_key).unwrap_or_default();
                let name_at = locate_key(text, kind_at, text.len(), &name_text, None)
                    .map(|(o, _)| o)
                    .unwrap_or(kind_at);
                let name = Name::new(&name_text)
                    .map_err(|_| file.error(name_at, format!("invalid resource name {name_text:?}")))?;
                let owner = ResourceId { kind, plugin: plugin.clone(), name };
                let deps = match deps {
                    Value::Null => continue,
                    Value::Mapping(m) => m,
                    _ => {
                        return Err(file
                            .error(name_at, format!("`{name_text}` must map kinds to lists of plugin:name")))
                    }
                };
                let found = file.dependencies(deps, name_at)?;
                if !found.is_empty() {
                    needs.entry(owner).or_default().extend(found);
                }
            }
        }
        Ok(Requirements { needs })
    }
}

/// A `requirements.yaml` being parsed: what its errors and bare names need.
struct RequirementsFile<'a> {
    path: &'a Path,
    plugin: &'a Name,
    text: &'a str,
}

impl RequirementsFile<'_> {
    fn error(&self, offset: usize, message: String) -> SourceError {
        let at = Located::at(self.path.display().to_string(), self.text, offset);
        SourceError::Requirements {
            path: self.path.to_path_buf(),
            line: at.line,
            message,
            src: at.src,
            span: at.span,
            advice: SHAPE_ADVICE.to_string(),
        }
    }

    /// The `<kind>: [plugin:name, …]` entries of one resource (declared at `name_at`), each with
    /// the line it is written on.
    fn dependencies(
        &self,
        deps: &serde_yaml::Mapping,
        name_at: usize,
    ) -> Result<Vec<(ResourceId, usize)>, SourceError> {
        let text = self.text;
        let mut found = Vec::new();
        let mut from = name_at;
        for (dep_kind_key, list) in deps {
            let dep_kind_name = dep_kind_key.as_str().unwrap_or_default();
            let dep_kind_at =
                locate_key(text, from, text.len(), dep_kind_name, None).map(|(o, _)| o).unwrap_or(from);
            let Some(dep_kind) = ResourceKind::from_dir(dep_kind_name) else {
                return Err(self.error(
                    dep_kind_at,
                    format!("unknown kind `{dep_kind_name}` (expected commands, agents or skills)"),
                ));
            };
            let items: Vec<&Value> = match list {
                Value::Null => Vec::new(),
                Value::Sequence(s) => s.iter().collect(),
                single @ Value::String(_) => vec![single],
                _ => {
                    return Err(
                        self.error(dep_kind_at, format!("`{dep_kind_name}` must be a list of plugin:name"))
                    )
                }
            };
            from = dep_kind_at;
            for item in items {
                let Some(s) = item.as_str() else {
                    return Err(self.error(dep_kind_at, "dependencies are plugin:name strings".to_string()));
                };
                let at = text.get(from..).and_then(|r| r.find(s)).map(|i| from + i).unwrap_or(dep_kind_at);
                from = at;
                let (p, n) = s.split_once(':').unwrap_or((self.plugin.as_str(), s));
                let (Ok(p), Ok(n)) = (Name::new(p), Name::new(n)) else {
                    return Err(self.error(at, format!("invalid dependency {s:?} (expected plugin:name)")));
                };
                found.push((ResourceId { kind: dep_kind, plugin: p, name: n }, line_of_offset(text, at)));
            }
        }
        Ok(found)
    }
}

/// Every declared dependency of a selected resource must be selected; all missing ones are
/// reported in one error. Only plugins with a selected resource have their file read.
pub(super) fn check_dependencies(config: &Config, index: &SourceIndex) -> Result<(), SourceError> {
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
