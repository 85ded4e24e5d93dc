//! The planning half of `agb adopt`: which resource each path is, its source text, and the
//! refusals, all before anything is written. Reads the project files and stats the source;
//! writes nothing.

use std::path::{Path, PathBuf};

use super::{
    config_edit, convert, expected_paths, first_duplicate, inside, output_path, read_text, shown,
    source_rels, target_of_path, valid_name, AdoptError, AdoptOptions, AdoptPlan, Adopted, SourceContent,
    SourceWrite,
};
use crate::config::Config;
use crate::fsutil;
use crate::manifest::Manifest;
use crate::names::{ResourceId, ResourceKind};
use crate::source::is_hidden;
use crate::targets;

/// Plan the adoption of `paths` (absolute, or relative to the current directory) into
/// `options.plugin` of `config`'s source. Every refusal happens here.
pub fn plan_adopt(
    config: &Config,
    paths: &[PathBuf],
    options: &AdoptOptions,
) -> Result<AdoptPlan, AdoptError> {
    let manifest = Manifest::load(&config.output_root)?;
    let root = config.output_root.canonicalize().unwrap_or_else(|_| config.output_root.clone());
    let mut resources = Vec::new();
    for path in paths {
        let adopted = plan_one(config, &root, path, options)?;
        if let Some(entry) = manifest.as_ref().and_then(|m| m.file(&adopted.outputs[0].0)) {
            return Err(AdoptError::AlreadyBuilt { path: shown(path), resource: entry.resource.to_string() });
        }
        resources.push(adopted);
    }
    if let Some(id) = first_duplicate(resources.iter().map(|r| &r.id)) {
        let path = resources.iter().rev().find(|r| &r.id == id).map_or_else(String::new, |r| shown(&r.from));
        return Err(AdoptError::Duplicate { resource: id.clone(), path });
    }
    let ids: Vec<&ResourceId> = resources.iter().map(|r| &r.id).collect();
    let (config_text, selection_added) = config_edit(config, &ids)?.unzip();
    Ok(AdoptPlan {
        target: config.target,
        output_root: config.output_root.clone(),
        source_root: config.source.clone(),
        resources,
        config_text,
        selection_added: selection_added.unwrap_or_default(),
    })
}

/// One path: its target, kind and name, its text converted, the source files it becomes.
fn plan_one(
    config: &Config,
    root: &Path,
    path: &Path,
    options: &AdoptOptions,
) -> Result<Adopted, AdoptError> {
    let not_found = || AdoptError::NotFound { path: shown(path) };
    std::fs::symlink_metadata(path).map_err(|_| not_found())?;
    let canon = path.canonicalize().map_err(|_| not_found())?;
    let target = options.target.or_else(|| target_of_path(path)).unwrap_or(config.target);
    if target != config.target {
        return Err(AdoptError::WrongTarget {
            path: shown(path),
            found: target,
            configured: config.target,
            config: shown(&config.path),
        });
    }
    let outside =
        || AdoptError::OutsideRoot { path: shown(path), root: shown(root), config: shown(&config.path) };
    let rel = match fsutil::rel_slash(root, &canon) {
        Some(rel) => rel,
        None => root
            .parent()
            .and_then(|parent| fsutil::rel_slash(parent, &canon))
            .map(|r| format!("../{r}"))
            .ok_or_else(outside)?,
    };
    let Some((kind, name)) = targets::resource_of_output(target, &rel) else {
        if rel.starts_with("../") {
            return Err(outside());
        }
        return Err(AdoptError::Unsupported { path: shown(path), target, expected: expected_paths(target) });
    };
    let id = ResourceId { kind, plugin: options.plugin.clone(), name: valid_name(path, name)? };
    let main_rel = targets::main_output_rel(target, kind, name);
    let main_path = output_path(root, &main_rel);
    // Not `is_file`: a `SKILL.md` that is a link is not followed out of the output root.
    let main_is_file = std::fs::symlink_metadata(&main_path).is_ok_and(|m| m.is_file());
    if kind == ResourceKind::Skill && !main_is_file {
        return Err(AdoptError::NoSkillFile {
            path: shown(&output_path(root, &targets::skill_dir_rel(target, name))),
        });
    }
    if kind != ResourceKind::Skill && !canon.is_file() {
        return Err(AdoptError::Unsupported { path: shown(path), target, expected: expected_paths(target) });
    }
    let text = read_text(&main_path)?;
    let converted = convert::to_source(target, kind, name, &main_rel, &text)?;
    let (main_src, sidecars) = source_rels(&id);
    refuse_existing(config, &id, &main_src, &sidecars)?;
    let mut writes =
        vec![SourceWrite { rel: main_src.clone(), content: SourceContent::Text(converted.main) }];
    let mut main_sources = vec![main_src.clone()];
    if let Some(sidecar) = converted.sidecar {
        writes.push(SourceWrite { rel: sidecars[0].clone(), content: SourceContent::Text(sidecar) });
        main_sources.push(sidecars[0].clone());
    }
    if config.source.join("overrides.yaml").is_file() {
        main_sources.push("overrides.yaml".to_string());
    }
    let mut outputs = vec![(main_rel, main_sources)];
    if kind == ResourceKind::Skill {
        let skill_rel = targets::skill_dir_rel(target, name);
        let dir = output_path(root, &skill_rel);
        let src_dir = main_src.trim_end_matches("/SKILL.md").to_string();
        for extra in skill_extras(config, &id, &dir)? {
            let src = format!("{src_dir}/{extra}");
            outputs.push((format!("{skill_rel}/{extra}"), vec![src.clone()]));
            writes.push(SourceWrite { rel: src, content: SourceContent::Copy(dir.join(&extra)) });
        }
    }
    Ok(Adopted { id, from: main_path, writes, sidecar_keys: converted.sidecar_keys, outputs })
}

/// Refuse when the source has this resource (or a file where one of its files would go).
fn refuse_existing(
    config: &Config,
    id: &ResourceId,
    main: &str,
    sidecars: &[String; 2],
) -> Result<(), AdoptError> {
    let mut taken: Vec<&str> = vec![main];
    taken.extend(sidecars.iter().map(String::as_str));
    if id.kind == ResourceKind::Skill {
        taken.push(main.trim_end_matches("/SKILL.md"));
    }
    for rel in taken {
        let path = inside(&config.source, rel)?;
        if std::fs::symlink_metadata(&path).is_ok() {
            return Err(AdoptError::SourceExists { resource: id.clone(), path: shown(&path) });
        }
    }
    Ok(())
}

/// The files of a skill directory other than `SKILL.md`, relative to it and sorted, as the
/// source scanner would take them: hidden files and directories, links, and what `exclude:`
/// matches are left in the project (a link is never followed out of the output root).
fn skill_extras(config: &Config, id: &ResourceId, dir: &Path) -> Result<Vec<String>, AdoptError> {
    let excludes = config.excludes();
    let mut extras = Vec::new();
    let walk = walkdir::WalkDir::new(dir).follow_links(false).sort_by_file_name().into_iter();
    for entry in walk.filter_entry(|e| e.depth() == 0 || !e.file_name().to_str().is_some_and(is_hidden)) {
        let entry = entry.map_err(|e| fsutil::FsError::Read {
            path: e.path().map_or_else(|| dir.to_path_buf(), Path::to_path_buf),
            source: e.into(),
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Some(rel) = fsutil::rel_slash(dir, entry.path()) else { continue };
        let plugins_rel = format!("{}/skills/{}/{rel}", id.plugin, id.name);
        if rel == "SKILL.md"
            || rel == "SKILL.yaml"
            || rel == "SKILL.yml"
            || excludes.is_excluded(&plugins_rel)
        {
            continue;
        }
        extras.push(rel);
    }
    Ok(extras)
}
