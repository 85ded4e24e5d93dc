//! Validated names: plugin and resource names, resource kinds and ids, targets.
//! Validated once at the boundary so the rest of agb never re-checks strings.

use std::fmt;

/// A plugin or resource name: `[A-Za-z0-9][A-Za-z0-9._-]*` (SPEC §1.2).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Name(String);

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("invalid name {name:?}")]
#[diagnostic(
    code(agb::names::invalid),
    help("plugin and resource names start with a letter or digit and contain only letters, digits, `.`, `_` and `-`")
)]
pub struct InvalidName {
    pub name: String,
}

impl Name {
    pub fn new(s: &str) -> Result<Self, InvalidName> {
        let mut chars = s.chars();
        let ok = matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if ok {
            Ok(Name(s.to_string()))
        } else {
            Err(InvalidName { name: s.to_string() })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The three kinds of resources a plugin holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResourceKind {
    Command,
    Agent,
    Skill,
}

impl ResourceKind {
    pub const ALL: [ResourceKind; 3] = [ResourceKind::Command, ResourceKind::Agent, ResourceKind::Skill];

    /// The directory of a plugin that holds this kind (`commands`, `agents`, `skills`), which is
    /// also its key under `resources:` in agb.yaml and in requirements.yaml.
    pub fn dir(self) -> &'static str {
        match self {
            ResourceKind::Command => "commands",
            ResourceKind::Agent => "agents",
            ResourceKind::Skill => "skills",
        }
    }

    pub fn from_dir(dir: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.dir() == dir)
    }
}

impl ResourceKind {
    /// The singular name (`command`), as in a manifest's resource key.
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Command => "command",
            ResourceKind::Agent => "agent",
            ResourceKind::Skill => "skill",
        }
    }
}

impl fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `plugin:name` of a given kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResourceId {
    pub kind: ResourceKind,
    pub plugin: Name,
    pub name: Name,
}

impl ResourceId {
    /// `plugin:name`, the form used in agb.yaml.
    pub fn qualified(&self) -> String {
        format!("{}:{}", self.plugin, self.name)
    }

    /// `kind plugin:name`, unique across kinds; the key used in the manifest.
    pub fn key(&self) -> String {
        format!("{} {}:{}", self.kind, self.plugin, self.name)
    }

    /// Parse a manifest key written by [`ResourceId::key`].
    pub fn from_key(key: &str) -> Option<Self> {
        let (kind, rest) = key.split_once(' ')?;
        let kind = match kind {
            "command" => ResourceKind::Command,
            "agent" => ResourceKind::Agent,
            "skill" => ResourceKind::Skill,
            _ => return None,
        };
        let (plugin, name) = rest.split_once(':')?;
        Some(ResourceId { kind, plugin: Name::new(plugin).ok()?, name: Name::new(name).ok()? })
    }
}

impl fmt::Display for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}:{}", self.kind, self.plugin, self.name)
    }
}

/// The agent a project is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, clap::ValueEnum)]
pub enum Target {
    #[serde(rename = "gemini-cli")]
    #[value(name = "gemini-cli")]
    GeminiCli,
    #[serde(rename = "claude-code")]
    #[value(name = "claude-code")]
    ClaudeCode,
    #[serde(rename = "opencode")]
    #[value(name = "opencode")]
    Opencode,
    #[serde(rename = "codex")]
    #[value(name = "codex")]
    Codex,
    #[serde(rename = "copilot")]
    #[value(name = "copilot")]
    Copilot,
}

impl Target {
    pub const ALL: [Target; 5] =
        [Target::GeminiCli, Target::ClaudeCode, Target::Opencode, Target::Codex, Target::Copilot];

    /// The name used in agb.yaml, sidecar sections and overrides.yaml.
    pub fn as_str(self) -> &'static str {
        match self {
            Target::GeminiCli => "gemini-cli",
            Target::ClaudeCode => "claude-code",
            Target::Opencode => "opencode",
            Target::Codex => "codex",
            Target::Copilot => "copilot",
        }
    }

    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_spec_pattern() {
        for ok in ["a", "web_search", "A1.b-c", "9lives"] {
            assert!(Name::new(ok).is_ok(), "{ok}");
        }
        for bad in ["", "-a", ".hidden", "a b", "a/b", "..", "é"] {
            assert!(Name::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn resource_key_round_trips() {
        let id = ResourceId {
            kind: ResourceKind::Skill,
            plugin: Name::new("p").unwrap(),
            name: Name::new("s").unwrap(),
        };
        assert_eq!(ResourceId::from_key(&id.key()), Some(id));
    }
}
