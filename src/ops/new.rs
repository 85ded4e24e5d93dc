//! `agb new`: write one new resource (command, agent or skill) into the source repository,
//! from the starter text of `scaffold`, never over an existing one.
//!
//! Not here: the texts (`scaffold`), selecting the resource in agb.yaml (the user lists it),
//! printing (`cli::new`).

use std::path::{Path, PathBuf};

use crate::names::{Name, ResourceKind};

use super::scaffold;
use super::OpsError;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum NewError {
    #[error("{kind} {plugin}:{name} already exists: {}", path.display())]
    #[diagnostic(code(agb::new::exists), help("choose another name, or edit the existing file"))]
    Exists { kind: ResourceKind, plugin: String, name: String, path: PathBuf },
    #[error("{id:?} is not plugin:name")]
    #[diagnostic(
        code(agb::usage::new_id),
        help("write the plugin and the name with a colon, e.g. `agb new agent my-plugin:reviewer`")
    )]
    BadId { id: String },
    #[error("{name:?} is not a name every agent accepts")]
    #[diagnostic(
        code(agb::usage::new_name),
        help("use lowercase letters, digits and `-` (e.g. `code-review`): Claude Code, Gemini CLI and OpenCode refuse other agent and skill names")
    )]
    StrictName { name: String },
}

/// What `new_resource` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport {
    pub path: PathBuf,
    /// `plugin:name`, as agb.yaml lists it.
    pub id: String,
    /// The plugin directory did not exist before.
    pub new_plugin: bool,
}

/// Split and validate `plugin:name`. Agent and skill names must also pass the strictest target
/// rule (lowercase, digits, `-`), so the new resource builds for every agent.
pub fn parse_id(kind: ResourceKind, id: &str) -> Result<(Name, Name), NewError> {
    let bad = || NewError::BadId { id: id.to_string() };
    let (plugin, name) = id.split_once(':').ok_or_else(bad)?;
    let plugin = Name::new(plugin).map_err(|_| bad())?;
    let name = Name::new(name).map_err(|_| bad())?;
    let strict = name.as_str().chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && name.as_str().len() <= 64;
    if kind != ResourceKind::Command && !strict {
        return Err(NewError::StrictName { name: name.as_str().to_string() });
    }
    Ok((plugin, name))
}

/// Write the starter file of `kind` `plugin:name` under `source_root/plugins/`.
pub fn new_resource(
    source_root: &Path,
    kind: ResourceKind,
    plugin: &Name,
    name: &Name,
) -> Result<NewReport, OpsError> {
    let (rel, text) = scaffold::new_resource(kind, plugin.as_str(), name.as_str());
    let path = crate::fsutil::join_inside(source_root, &rel)?;
    crate::fsutil::ensure_no_symlink_escape(source_root, &path)?;
    let plugin_dir = source_root.join("plugins").join(plugin.as_str());
    // A skill is its directory; a command or agent also counts as existing with a `.yml`/`.yaml`
    // sidecar left behind, which would silently apply to the new file.
    let taken = match kind {
        ResourceKind::Skill => path.parent().map(Path::exists).unwrap_or(false),
        _ => ["md", "yaml", "yml"].iter().any(|ext| path.with_extension(ext).exists()),
    };
    if taken {
        let path =
            if kind == ResourceKind::Skill { path.parent().unwrap_or(&path).to_path_buf() } else { path };
        return Err(NewError::Exists {
            kind,
            plugin: plugin.as_str().to_string(),
            name: name.as_str().to_string(),
            path,
        }
        .into());
    }
    let new_plugin = !plugin_dir.exists();
    crate::fsutil::write_atomic(&path, text.as_bytes())?;
    Ok(NewReport { path, id: format!("{plugin}:{name}"), new_plugin })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked() {
        assert!(parse_id(ResourceKind::Agent, "p:rev-1").is_ok());
        assert!(matches!(parse_id(ResourceKind::Agent, "noname"), Err(NewError::BadId { .. })));
        assert!(matches!(parse_id(ResourceKind::Agent, "p:../x"), Err(NewError::BadId { .. })));
        assert!(matches!(parse_id(ResourceKind::Skill, "p:My_Skill"), Err(NewError::StrictName { .. })));
        assert!(parse_id(ResourceKind::Command, "p:web_search").is_ok());
    }

    #[test]
    fn refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let (p, n) = parse_id(ResourceKind::Skill, "p:s").unwrap();
        let report = new_resource(dir.path(), ResourceKind::Skill, &p, &n).unwrap();
        assert!(report.new_plugin);
        assert!(report.path.ends_with("plugins/p/skills/s/SKILL.md"));
        assert!(new_resource(dir.path(), ResourceKind::Skill, &p, &n).is_err());
        let (p, n) = parse_id(ResourceKind::Command, "p:c").unwrap();
        std::fs::create_dir_all(dir.path().join("plugins/p/commands")).unwrap();
        std::fs::write(dir.path().join("plugins/p/commands/c.yaml"), "").unwrap();
        assert!(new_resource(dir.path(), ResourceKind::Command, &p, &n).is_err());
    }
}
