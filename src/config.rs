//! `agb.yaml` → a typed, validated [`Config`] (SPEC §1.1).
//!
//! Everything a user can get wrong in agb.yaml is reported here, with a span pointing at the
//! offending line: unknown keys (with the valid ones), missing `source`/`target`, wrong types,
//! a bad `plugin:name`, an invalid exclude glob, an unset `$VAR` in `source`.
//!
//! Not here: whether the selected resources exist (that needs the source: `source::load_selection`)
//! and the meaning of `factory:` (kept raw for the factory module).
//!
//! serde_yaml does not report where a value sits, so the line of a key or an entry is found by a
//! small line scan of the text (see [`locate_key`]); when the scan cannot find it (flow-style
//! mappings), the span falls back to the start of the file rather than guess.

// Diagnostics carry the text of the file at fault for their spans; they are built only on the
// error path, so their size does not matter and boxing them would only obscure matching.
#![allow(clippy::result_large_err)]

use std::path::{Component, Path, PathBuf};

use miette::{NamedSource, SourceSpan};
use serde_yaml::Value;

use crate::exclude::Excludes;
use crate::names::{Name, ResourceId, ResourceKind, Target};
use crate::suggest::closest;

/// The top-level keys of agb.yaml, in the order the docs list them.
pub const VALID_KEYS: [&str; 5] = ["source", "target", "exclude", "resources", "factory"];

/// A loaded, validated agb.yaml.
#[derive(Debug, Clone)]
pub struct Config {
    /// The agb.yaml file (absolute).
    pub path: PathBuf,
    /// The directory holding agb.yaml: where outputs are written.
    pub output_root: PathBuf,
    /// The source repository, absolute: `~`/`$VAR`/`${VAR}` expanded, a relative path resolved
    /// against `output_root`, then canonicalized when it exists (so `..` means what the OS says).
    pub source: PathBuf,
    /// `source:` as written, for messages.
    pub source_raw: String,
    pub target: Target,
    /// The `exclude:` globs as written (already checked to compile).
    pub exclude: Vec<String>,
    /// The `resources:` selection, per kind, in file order.
    pub resources: Resources,
    /// `factory:` kept raw; the factory module parses it.
    pub factory: Option<Value>,
    /// The text of agb.yaml, so later diagnostics (a misspelt resource) can point into it.
    pub text: String,
}

/// The `resources:` section: `plugin:name` entries per kind, in file order (duplicates kept out).
#[derive(Debug, Clone, Default)]
pub struct Resources {
    pub commands: Vec<ResourceRef>,
    pub agents: Vec<ResourceRef>,
    pub skills: Vec<ResourceRef>,
}

impl Resources {
    pub fn of(&self, kind: ResourceKind) -> &[ResourceRef] {
        match kind {
            ResourceKind::Command => &self.commands,
            ResourceKind::Agent => &self.agents,
            ResourceKind::Skill => &self.skills,
        }
    }

    fn of_mut(&mut self, kind: ResourceKind) -> &mut Vec<ResourceRef> {
        match kind {
            ResourceKind::Command => &mut self.commands,
            ResourceKind::Agent => &mut self.agents,
            ResourceKind::Skill => &mut self.skills,
        }
    }

    /// Every entry: commands, then agents, then skills, each in file order.
    pub fn iter(&self) -> impl Iterator<Item = &ResourceRef> {
        self.commands.iter().chain(&self.agents).chain(&self.skills)
    }

    /// Whether `id` is selected (a linear scan: use [`Resources::id_set`] for many lookups).
    pub fn contains(&self, id: &ResourceId) -> bool {
        self.of(id.kind).iter().any(|r| r.id == *id)
    }

    /// Every selected id, for fast repeated lookups.
    pub fn id_set(&self) -> std::collections::HashSet<&ResourceId> {
        self.iter().map(|r| &r.id).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }
}

/// One `plugin:name` entry of `resources:` and where it is in agb.yaml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceRef {
    pub id: ResourceId,
    /// 1-based line in agb.yaml.
    pub line: usize,
    /// Byte span of the entry in agb.yaml.
    pub span: SourceSpan,
}

/// Everything that can be wrong with agb.yaml.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ConfigError {
    #[error("no agb.yaml at {}", path.display())]
    #[diagnostic(
        code(agb::config::missing),
        help("run `agb init` to create one here, or point agb at a project with -C DIR or --config FILE")
    )]
    Missing { path: PathBuf },

    #[error("{} is a directory, not an agb.yaml file", path.display())]
    #[diagnostic(
        code(agb::config::is_directory),
        help(
            "--config takes the file (`--config DIR/agb.yaml`); to run in a project directory use `-C DIR`"
        )
    )]
    IsDirectory { path: PathBuf },

    #[error("cannot read {}", path.display())]
    #[diagnostic(code(agb::config::unreadable), help("check that the file is readable"))]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{}: not valid UTF-8", path.display())]
    #[diagnostic(code(agb::config::not_utf8), help("save agb.yaml as UTF-8"))]
    NotUtf8 { path: PathBuf },

    #[error("{}:{line}: invalid YAML: {message}", path.display())]
    #[diagnostic(code(agb::config::yaml), help("fix the YAML syntax at the marked place"))]
    Yaml {
        path: PathBuf,
        line: usize,
        message: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("{}:{line}: unknown key `{key}`", path.display())]
    #[diagnostic(code(agb::config::unknown_key))]
    UnknownKey {
        path: PathBuf,
        key: String,
        line: usize,
        #[source_code]
        src: NamedSource<String>,
        #[label("not a key of agb.yaml")]
        span: SourceSpan,
        #[help]
        advice: String,
    },

    #[error("{}: missing required key `{key}`", path.display())]
    #[diagnostic(code(agb::config::missing_key))]
    MissingKey {
        path: PathBuf,
        key: &'static str,
        #[source_code]
        src: NamedSource<String>,
        #[label("add `{key}:` to this file")]
        span: SourceSpan,
        #[help]
        advice: String,
    },

    #[error("{}:{line}: `{key}` must be {expected}", path.display())]
    #[diagnostic(code(agb::config::bad_type))]
    BadType {
        path: PathBuf,
        key: String,
        expected: &'static str,
        line: usize,
        #[source_code]
        src: NamedSource<String>,
        #[label("expected {expected}")]
        span: SourceSpan,
        #[help]
        advice: String,
    },

    #[error("{}:{line}: unknown target `{value}`", path.display())]
    #[diagnostic(code(agb::config::bad_target))]
    BadTarget {
        path: PathBuf,
        value: String,
        line: usize,
        #[source_code]
        src: NamedSource<String>,
        #[label("not a target")]
        span: SourceSpan,
        #[help]
        advice: String,
    },

    #[error("{}:{line}: invalid resource `{value}`: {reason}", path.display())]
    #[diagnostic(code(agb::config::bad_resource))]
    BadResource {
        path: PathBuf,
        value: String,
        reason: String,
        line: usize,
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        span: SourceSpan,
        #[help]
        advice: String,
    },

    #[error("{}:{line}: invalid exclude pattern {pattern:?}: {message}", path.display())]
    #[diagnostic(
        code(agb::config::bad_exclude),
        help("exclude patterns are globs such as \"*.tmp\" or \"**/drafts/**\"; quote them in YAML")
    )]
    BadExclude {
        path: PathBuf,
        pattern: String,
        message: String,
        line: usize,
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("{}:{line}: cannot expand `source: {value}`: {reason}", path.display())]
    #[diagnostic(code(agb::config::expand))]
    Expand {
        path: PathBuf,
        value: String,
        reason: String,
        line: usize,
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        span: SourceSpan,
        #[help]
        advice: String,
    },
}

impl Config {
    /// Read and validate the agb.yaml at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let path = absolute(path);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ConfigError::Missing { path });
            }
            Err(_) if path.is_dir() => return Err(ConfigError::IsDirectory { path }),
            Err(source) => return Err(ConfigError::Unreadable { path, source }),
        };
        let text = String::from_utf8(bytes).map_err(|_| ConfigError::NotUtf8 { path: path.clone() })?;
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let home = home_dir();
        Config::parse(&path, text, &env, home.as_deref())
    }

    /// Validate agb.yaml's `text` (as if read from `path`). `env` looks up environment variables
    /// and `home` is the user's home directory, both only for expanding `source`.
    pub fn parse(
        path: &Path,
        text: String,
        env: &dyn Fn(&str) -> Option<String>,
        home: Option<&Path>,
    ) -> Result<Config, ConfigError> {
        // Editors on Windows save UTF-8 with a byte-order mark; serde_yaml takes it for the start
        // of a second document ("more than one document"), which helps nobody.
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        let line_starts =
            std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect::<Vec<_>>();
        let p = Parser { path, text: &text, line_starts };
        let root: Value = serde_yaml::from_str(&text).map_err(|e| p.yaml_error(&e))?;
        let map = match root {
            Value::Mapping(m) => m,
            Value::Null => serde_yaml::Mapping::new(),
            _ => {
                return Err(p.bad_type("agb.yaml", "a mapping of keys (source, target, …)", (0, 0).into()));
            }
        };

        let mut source = None;
        let mut target = None;
        let mut exclude = Vec::new();
        let mut resources = Resources::default();
        let mut factory = None;
        for (k, v) in &map {
            let Some(key) = k.as_str() else {
                return Err(p.unknown_key(&yaml_scalar_text(k)));
            };
            let key_span = p.key_span(key);
            match key {
                "source" => source = Some((p.string(key, v, key_span, "a path")?, key_span)),
                "target" => target = Some(p.target(v, key_span)?),
                "exclude" => exclude = p.exclude(v, key_span)?,
                "resources" => resources = p.resources(v, key_span)?,
                "factory" => factory = Some(v.clone()).filter(|v| !v.is_null()),
                other => return Err(p.unknown_key(other)),
            }
        }
        let Some((source_raw, source_span)) = source else {
            return Err(p.missing_key("source", "source: ~/agb-resources"));
        };
        let Some(target) = target else {
            return Err(p.missing_key("target", "target: gemini-cli"));
        };
        let output_root = path.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("/"));
        let expanded = expand_path(&source_raw, env, home).map_err(|(reason, advice)| {
            let span = p.value_span(source_span, &source_raw);
            ConfigError::Expand {
                path: path.to_path_buf(),
                value: source_raw.clone(),
                reason,
                line: p.line_of(span),
                src: p.named(),
                span,
                advice,
            }
        })?;
        let joined = output_root.join(expanded);
        let source = std::fs::canonicalize(&joined).unwrap_or_else(|_| normalize_lexically(&joined));
        Ok(Config {
            path: path.to_path_buf(),
            output_root,
            source,
            source_raw,
            target,
            exclude,
            resources,
            factory,
            text,
        })
    }

    /// agb.yaml as a miette source, for diagnostics that point into it.
    pub fn named_source(&self) -> NamedSource<String> {
        NamedSource::new(self.path.display().to_string(), self.text.clone())
    }

    /// The compiled exclude globs (they were checked at load, so this cannot fail then).
    pub fn excludes(&self) -> Excludes {
        Excludes::new(&self.exclude).expect("exclude patterns are validated by Config::parse")
    }
}

/// Helpers that know the file being parsed, to build spans and errors.
struct Parser<'a> {
    path: &'a Path,
    text: &'a str,
    /// Byte offset of every line start, so a big selection does not rescan the text per entry.
    line_starts: Vec<usize>,
}

impl Parser<'_> {
    fn named(&self) -> NamedSource<String> {
        NamedSource::new(self.path.display().to_string(), self.text.to_string())
    }

    fn line_of(&self, span: SourceSpan) -> usize {
        // the number of line starts at or before the offset is the 1-based line
        self.line_starts.partition_point(|start| *start <= span.offset()).max(1)
    }

    fn yaml_error(&self, e: &serde_yaml::Error) -> ConfigError {
        let (offset, line) = match e.location() {
            Some(loc) => (loc.index().min(self.text.len()), loc.line()),
            None => (0, 1),
        };
        ConfigError::Yaml {
            path: self.path.to_path_buf(),
            line,
            message: strip_location(&e.to_string()),
            src: self.named(),
            span: (offset, 0).into(),
        }
    }

    /// The span of a top-level key, or the file start when it cannot be found.
    fn key_span(&self, key: &str) -> SourceSpan {
        locate_key(self.text, 0, self.text.len(), key, Some(0))
            .map(|(o, l)| (o, l).into())
            .unwrap_or((0, 0).into())
    }

    /// The span of `value` written after the key at `key_span` (falls back to the key).
    fn value_span(&self, key_span: SourceSpan, value: &str) -> SourceSpan {
        let start = key_span.offset() + key_span.len();
        match self.text.get(start..).and_then(|rest| rest.find(value)) {
            Some(i) if !value.is_empty() => (start + i, value.len()).into(),
            _ => key_span,
        }
    }

    fn unknown_key(&self, key: &str) -> ConfigError {
        let span = self.key_span(key);
        let mut advice = format!("valid keys: {}", VALID_KEYS.join(", "));
        if let Some(best) = closest(key, VALID_KEYS).first() {
            advice = format!("did you mean `{best}`? {advice}");
        }
        ConfigError::UnknownKey {
            path: self.path.to_path_buf(),
            key: key.to_string(),
            line: self.line_of(span),
            src: self.named(),
            span,
            advice,
        }
    }

    fn missing_key(&self, key: &'static str, example: &str) -> ConfigError {
        ConfigError::MissingKey {
            path: self.path.to_path_buf(),
            key,
            src: self.named(),
            span: (0, 0).into(),
            advice: format!("add a line such as `{example}` (see `agb init` for a commented example)"),
        }
    }

    fn bad_type(&self, key: &str, expected: &'static str, span: SourceSpan) -> ConfigError {
        ConfigError::BadType {
            path: self.path.to_path_buf(),
            key: key.to_string(),
            expected,
            line: self.line_of(span),
            src: self.named(),
            span,
            advice: type_advice(key),
        }
    }

    fn string(
        &self,
        key: &str,
        v: &Value,
        span: SourceSpan,
        what: &'static str,
    ) -> Result<String, ConfigError> {
        match v {
            Value::String(s) if !s.trim().is_empty() => Ok(s.clone()),
            _ => Err(self.bad_type(key, what, span)),
        }
    }

    fn target(&self, v: &Value, key_span: SourceSpan) -> Result<Target, ConfigError> {
        let s = self.string("target", v, key_span, "one of gemini-cli, claude-code, opencode, codex")?;
        Target::from_name(&s).ok_or_else(|| {
            let names: Vec<&str> = Target::ALL.iter().map(|t| t.as_str()).collect();
            let mut advice = format!("valid targets: {}", names.join(", "));
            if let Some(best) = closest(&s, names.iter().copied()).first() {
                advice = format!("did you mean `{best}`? {advice}");
            }
            let span = self.value_span(key_span, &s);
            ConfigError::BadTarget {
                path: self.path.to_path_buf(),
                value: s.clone(),
                line: self.line_of(span),
                src: self.named(),
                span,
                advice,
            }
        })
    }

    fn exclude(&self, v: &Value, key_span: SourceSpan) -> Result<Vec<String>, ConfigError> {
        let items = match v {
            Value::Null => return Ok(Vec::new()),
            Value::Sequence(items) => items,
            _ => return Err(self.bad_type("exclude", "a list of glob patterns", key_span)),
        };
        let mut out = Vec::new();
        let mut from = key_span.offset();
        for item in items {
            let Value::String(pattern) = item else {
                return Err(self.bad_type("exclude", "a list of glob patterns (strings)", key_span));
            };
            let span = self.find_after(from, pattern).unwrap_or(key_span);
            from = span.offset() + span.len();
            if let Err(e) = Excludes::new([pattern]) {
                return Err(ConfigError::BadExclude {
                    path: self.path.to_path_buf(),
                    pattern: pattern.clone(),
                    message: e.message,
                    line: self.line_of(span),
                    src: self.named(),
                    span,
                });
            }
            out.push(pattern.clone());
        }
        Ok(out)
    }

    fn resources(&self, v: &Value, key_span: SourceSpan) -> Result<Resources, ConfigError> {
        let map = match v {
            Value::Null => return Ok(Resources::default()),
            Value::Mapping(m) => m,
            _ => {
                return Err(self.bad_type(
                    "resources",
                    "a mapping with commands, agents and skills",
                    key_span,
                ));
            }
        };
        let section_end = self.section_end(key_span);
        let mut out = Resources::default();
        let mut seen = std::collections::HashSet::new();
        for (k, list) in map {
            let key_text = yaml_scalar_text(k);
            let kind_span =
                locate_key(self.text, key_span.offset() + key_span.len(), section_end, &key_text, None)
                    .map(|(o, l)| SourceSpan::from((o, l)))
                    .unwrap_or(key_span);
            let Some(kind) = k.as_str().and_then(ResourceKind::from_dir) else {
                let mut advice = "valid keys under `resources`: commands, agents, skills".to_string();
                if let Some(best) = closest(&key_text, ["commands", "agents", "skills"]).first() {
                    advice = format!("did you mean `{best}`? {advice}");
                }
                return Err(ConfigError::UnknownKey {
                    path: self.path.to_path_buf(),
                    key: format!("resources.{key_text}"),
                    line: self.line_of(kind_span),
                    src: self.named(),
                    span: kind_span,
                    advice,
                });
            };
            let items = match list {
                Value::Null => continue,
                Value::Sequence(items) => items,
                _ => {
                    return Err(self.bad_type(
                        &format!("resources.{key_text}"),
                        "a list of plugin:name entries",
                        kind_span,
                    ));
                }
            };
            let mut from = kind_span.offset() + kind_span.len();
            for item in items {
                let Value::String(entry) = item else {
                    return Err(self.bad_type(
                        &format!("resources.{key_text}"),
                        "a list of plugin:name entries (strings)",
                        kind_span,
                    ));
                };
                let span = self.find_after(from, entry).unwrap_or(kind_span);
                from = span.offset() + span.len();
                let id = self.resource_id(kind, entry, span)?;
                if seen.insert(id.clone()) {
                    out.of_mut(kind).push(ResourceRef { id, line: self.line_of(span), span });
                }
            }
        }
        Ok(out)
    }

    fn resource_id(
        &self,
        kind: ResourceKind,
        entry: &str,
        span: SourceSpan,
    ) -> Result<ResourceId, ConfigError> {
        let err = |reason: String, advice: &str| ConfigError::BadResource {
            path: self.path.to_path_buf(),
            value: entry.to_string(),
            reason,
            line: self.line_of(span),
            src: self.named(),
            span,
            advice: advice.to_string(),
        };
        let Some((plugin, name)) = entry.split_once(':') else {
            return Err(err(
                "expected plugin:name".into(),
                "write each resource as <plugin>:<name>, e.g. `my_plugin:web_search` (see `agb list --all`)",
            ));
        };
        let name_help = "plugin and resource names start with a letter or digit and contain only letters, digits, `.`, `_` and `-`";
        let plugin =
            Name::new(plugin).map_err(|e| err(format!("invalid plugin name {:?}", e.name), name_help))?;
        let name =
            Name::new(name).map_err(|e| err(format!("invalid resource name {:?}", e.name), name_help))?;
        Ok(ResourceId { kind, plugin, name })
    }

    /// The next occurrence of `needle` at or after `from` that is a whole token (not part of a
    /// longer name) and not inside a comment (`agb init` writes commented entries).
    fn find_after(&self, from: usize, needle: &str) -> Option<SourceSpan> {
        if needle.is_empty() {
            return None;
        }
        let rest = self.text.get(from..)?;
        let is_name_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':');
        for (i, _) in rest.match_indices(needle) {
            let at = from + i;
            let before = self.text[..at].chars().next_back();
            let after = self.text[at + needle.len()..].chars().next();
            if before.is_some_and(is_name_char) || after.is_some_and(is_name_char) {
                continue;
            }
            let line_start = self.text[..at].rfind('\n').map_or(0, |n| n + 1);
            let prefix = &self.text[line_start..at];
            if prefix.trim_start().starts_with('#') || prefix.contains(" #") {
                continue;
            }
            return Some((at, needle.len()).into());
        }
        None
    }

    /// Where the top-level section starting at `key_span` ends: the next line that starts a
    /// top-level key (column 0, not a comment, not a sequence dash), or the end of the text.
    fn section_end(&self, key_span: SourceSpan) -> usize {
        let start = key_span.offset();
        let after = match self.text[start..].find('\n') {
            Some(nl) => start + nl + 1,
            None => return self.text.len(),
        };
        let mut pos = after;
        for line in self.text[after..].split_inclusive('\n') {
            let first = line.chars().next();
            if matches!(first, Some(c) if !c.is_whitespace() && c != '#' && c != '-') {
                return pos;
            }
            pos += line.len();
        }
        self.text.len()
    }
}

/// Find `key:` in `text[from..to]`, at column `indent` if given (any indentation otherwise),
/// plain or quoted. Returns the byte offset and length of the key as written.
pub fn locate_key(
    text: &str,
    from: usize,
    to: usize,
    key: &str,
    indent: Option<usize>,
) -> Option<(usize, usize)> {
    let mut pos = from;
    let region = text.get(from..to.min(text.len()))?;
    for line in region.split_inclusive('\n') {
        let trimmed = line.trim_start_matches([' ', '\t']);
        let col = line.len() - trimmed.len();
        if indent.is_none_or(|i| i == col) {
            for written in [key.to_string(), format!("\"{key}\""), format!("'{key}'")] {
                if let Some(after) = trimmed.strip_prefix(written.as_str()) {
                    if after.trim_start_matches([' ', '\t']).starts_with(':') {
                        return Some((pos + col, written.len()));
                    }
                }
            }
        }
        pos += line.len();
    }
    None
}

fn type_advice(key: &str) -> String {
    match key {
        "source" => {
            "set `source:` to the path of your resources repository, e.g. `source: ~/agb-resources`".into()
        }
        "target" => "set `target:` to one of gemini-cli, claude-code, opencode, codex".into(),
        "exclude" => "write `exclude:` as a list, e.g. `exclude: [\"*.tmp\"]`".into(),
        "agb.yaml" => "agb.yaml is a mapping: `source: …`, `target: …`, `resources: …`".into(),
        k if k.starts_with("resources") => {
            "write `resources:` as `commands: [plugin:name, …]`, `agents: […]`, `skills: […]`".into()
        }
        _ => "see `agb init` for a commented example of agb.yaml".into(),
    }
}

/// A scalar mapping key as text (for messages about non-string keys).
fn yaml_scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => {
            serde_yaml::to_string(other).map(|s| s.trim_end().to_string()).unwrap_or_else(|_| "?".into())
        }
    }
}

/// serde_yaml appends " at line L column C" to messages; the diagnostic shows that already.
fn strip_location(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// 1-based line of a byte offset.
pub fn line_of_offset(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|b| **b == b'\n').count() + 1
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf())
    }
}

/// The user's home directory: `$HOME`, else the platform's notion of it.
pub fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf()))
}

/// Expand a leading `~` (or `~/…`) and every `$VAR` / `${VAR}`. An unset variable is an error
/// (an empty expansion would silently point somewhere else); `$` not followed by a name stays.
/// Errors are `(reason, advice)`.
pub fn expand_path(
    raw: &str,
    env: &dyn Fn(&str) -> Option<String>,
    home: Option<&Path>,
) -> Result<PathBuf, (String, String)> {
    let mut out = String::new();
    let rest = if raw == "~" || raw.starts_with("~/") {
        let home = home.ok_or_else(|| {
            ("no home directory is known".to_string(), "set HOME or write an absolute path".to_string())
        })?;
        out.push_str(&home.to_string_lossy());
        &raw[1..]
    } else {
        raw
    };
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        let after = &rest[i + 1..];
        let (name, consumed) = if let Some(inner) = after.strip_prefix('{') {
            match inner.find('}') {
                Some(end) => (&inner[..end], end + 2),
                None => {
                    return Err((
                        "`${` without a closing `}`".to_string(),
                        "write ${NAME} or $NAME".to_string(),
                    ));
                }
            }
        } else {
            let len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
            (&after[..len], len)
        };
        let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        if !valid {
            if consumed > name.len() {
                return Err((
                    format!("`${{{name}}}` is not a variable name"),
                    "write ${NAME} or $NAME".into(),
                ));
            }
            out.push('$');
            continue;
        }
        let value = env(name).ok_or_else(|| {
            (
                format!("environment variable `{name}` is not set"),
                format!("set {name} in your environment or write the path without it"),
            )
        })?;
        out.push_str(&value);
        for _ in 0..consumed {
            chars.next();
        }
    }
    Ok(PathBuf::from(out))
}

/// Remove `.` and resolve `..` without touching the file system (for paths that do not exist).
fn normalize_lexically(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        let env = |n: &str| match n {
            "RES" => Some("/srv/res".to_string()),
            _ => None,
        };
        Config::parse(Path::new("/proj/.gemini/agb.yaml"), text.to_string(), &env, Some(Path::new("/home/u")))
    }

    fn line(e: &ConfigError) -> usize {
        match e {
            ConfigError::Yaml { line, .. }
            | ConfigError::UnknownKey { line, .. }
            | ConfigError::BadType { line, .. }
            | ConfigError::BadTarget { line, .. }
            | ConfigError::BadResource { line, .. }
            | ConfigError::BadExclude { line, .. }
            | ConfigError::Expand { line, .. } => *line,
            other => panic!("no line in {other:?}"),
        }
    }

    fn code(e: &ConfigError) -> String {
        miette::Diagnostic::code(e).map(|c| c.to_string()).unwrap_or_default()
    }

    fn help(e: &ConfigError) -> String {
        miette::Diagnostic::help(e).map(|c| c.to_string()).unwrap_or_default()
    }

    #[test]
    fn full_config_loads() {
        let c = parse(
            "source: ../src\ntarget: claude-code\nexclude:\n  - \"*.tmp\"\nresources:\n  commands: [p:a, p:b]\n  agents:\n    - q:r\n  skills: []\nfactory:\n  repository: org/f\n",
        )
        .unwrap();
        assert_eq!(c.output_root, Path::new("/proj/.gemini"));
        assert_eq!(c.source, Path::new("/proj/src"));
        assert_eq!(c.target, Target::ClaudeCode);
        assert_eq!(c.exclude, vec!["*.tmp"]);
        let cmds: Vec<String> = c.resources.commands.iter().map(|r| r.id.qualified()).collect();
        assert_eq!(cmds, vec!["p:a", "p:b"]);
        assert_eq!(c.resources.commands[1].line, 6);
        assert_eq!(c.resources.agents[0].line, 8);
        assert_eq!(&c.text[c.resources.agents[0].span.offset()..][..3], "q:r");
        assert!(c.factory.is_some());
    }

    #[test]
    fn unknown_key_names_line_and_valid_keys() {
        let e = parse("source: x\ntarget: codex\nresorces:\n  commands: []\n").unwrap_err();
        assert_eq!(code(&e), "agb::config::unknown_key");
        assert_eq!(line(&e), 3);
        assert!(help(&e).contains("did you mean `resources`"), "{}", help(&e));
        assert!(help(&e).contains("source, target, exclude, resources, factory"));
    }

    #[test]
    fn missing_source_and_target() {
        let e = parse("target: codex\n").unwrap_err();
        assert!(matches!(e, ConfigError::MissingKey { key: "source", .. }));
        let e = parse("source: x\n").unwrap_err();
        assert!(matches!(e, ConfigError::MissingKey { key: "target", .. }));
        let e = parse("").unwrap_err();
        assert!(matches!(e, ConfigError::MissingKey { key: "source", .. }));
    }

    #[test]
    fn bad_types_point_at_their_key() {
        let e = parse("source: x\ntarget: codex\nexclude: \"*.tmp\"\n").unwrap_err();
        assert_eq!(code(&e), "agb::config::bad_type");
        assert_eq!(line(&e), 3);
        let e = parse("source: [a]\ntarget: codex\n").unwrap_err();
        assert_eq!(line(&e), 1);
        let e = parse("source: x\ntarget: codex\nresources:\n  skills: p:s\n").unwrap_err();
        assert_eq!(line(&e), 4);
        let e = parse("source: x\ntarget: codex\nresources: [p:s]\n").unwrap_err();
        assert_eq!(line(&e), 3);
        let e = parse("- a\n- b\n").unwrap_err();
        assert_eq!(code(&e), "agb::config::bad_type");
    }

    #[test]
    fn bad_target_suggests() {
        let e = parse("source: x\ntarget: gemini\n").unwrap_err();
        assert_eq!(code(&e), "agb::config::bad_target");
        assert_eq!(line(&e), 2);
        assert!(help(&e).contains("gemini-cli"));
    }

    #[test]
    fn bad_resource_entries() {
        let e = parse("source: x\ntarget: codex\nresources:\n  commands:\n    - p:ok\n    - nocolon\n")
            .unwrap_err();
        assert_eq!(code(&e), "agb::config::bad_resource");
        assert_eq!(line(&e), 6);
        let e = parse("source: x\ntarget: codex\nresources:\n  agents: [\"p:bad name\"]\n").unwrap_err();
        assert_eq!(line(&e), 4);
        assert!(e.to_string().contains("invalid resource name"));
        let e = parse("source: x\ntarget: codex\nresources:\n  comands: []\n").unwrap_err();
        assert_eq!(code(&e), "agb::config::unknown_key");
        assert_eq!(line(&e), 4);
        assert!(help(&e).contains("did you mean `commands`"));
    }

    #[test]
    fn entry_lines_skip_comments_and_longer_names() {
        let c = parse(
            "source: x\ntarget: codex\nresources:\n  commands:\n    # - p:a\n    - p:ab # p:a\n    - p:a\n",
        )
        .unwrap();
        let lines: Vec<usize> = c.resources.commands.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![6, 7]);
    }

    #[test]
    fn duplicate_entries_are_kept_once() {
        let c = parse("source: x\ntarget: codex\nresources:\n  commands: [p:a, p:a]\n").unwrap();
        assert_eq!(c.resources.commands.len(), 1);
    }

    #[test]
    fn invalid_yaml_and_glob() {
        let e = parse("source: x\ntarget: codex\nexclude: [\n").unwrap_err();
        assert_eq!(code(&e), "agb::config::yaml");
        let e = parse("source: x\ntarget: codex\nexclude:\n  - ok\n  - \"a[b\"\n").unwrap_err();
        assert_eq!(code(&e), "agb::config::bad_exclude");
        assert_eq!(line(&e), 5);
    }

    #[test]
    fn source_expansion() {
        assert_eq!(parse("source: ~/res\ntarget: codex\n").unwrap().source, Path::new("/home/u/res"));
        assert_eq!(parse("source: $RES/x\ntarget: codex\n").unwrap().source, Path::new("/srv/res/x"));
        assert_eq!(parse("source: ${RES}x\ntarget: codex\n").unwrap().source, Path::new("/srv/resx"));
        assert_eq!(parse("source: /abs\ntarget: codex\n").unwrap().source, Path::new("/abs"));
        assert_eq!(parse("source: ../../s\ntarget: codex\n").unwrap().source, Path::new("/s"));
        let e = parse("target: codex\nsource: $NOPE/x\n").unwrap_err();
        assert_eq!(code(&e), "agb::config::expand");
        assert_eq!(line(&e), 2);
        assert!(e.to_string().contains("NOPE"));
    }

    #[test]
    fn expand_path_edge_cases() {
        let env = |n: &str| (n == "A").then(|| "v".to_string());
        let home = Some(Path::new("/h"));
        assert_eq!(expand_path("a$", &env, home).unwrap(), Path::new("a$"));
        assert_eq!(expand_path("$1x", &env, home).unwrap(), Path::new("$1x"));
        assert_eq!(expand_path("~user/x", &env, home).unwrap(), Path::new("~user/x"));
        assert_eq!(expand_path("~", &env, home).unwrap(), Path::new("/h"));
        assert!(expand_path("${A", &env, home).is_err());
        assert!(expand_path("~/x", &env, None).is_err());
        assert_eq!(expand_path("$A-$A", &env, home).unwrap(), Path::new("v-v"));
    }

    #[test]
    fn a_directory_given_as_the_config_says_how_to_point_at_a_project() {
        let dir = tempfile::tempdir().unwrap();
        let e = Config::load(dir.path()).unwrap_err();
        assert!(matches!(e, ConfigError::IsDirectory { .. }), "{e:?}");
        assert!(help(&e).contains("-C DIR"));
    }

    #[test]
    fn a_byte_order_mark_is_not_an_error() {
        let c = parse("\u{feff}source: s\ntarget: codex\nresources:\n  commands: [p:a]\n").unwrap();
        assert_eq!(c.target, Target::Codex);
        let r = &c.resources.commands[0];
        assert_eq!((r.line, &c.text[r.span.offset()..r.span.offset() + r.span.len()]), (4, "p:a"));
    }

    #[test]
    fn missing_file_says_where_it_looked() {
        let dir = tempfile::tempdir().unwrap();
        let e = Config::load(&dir.path().join("agb.yaml")).unwrap_err();
        assert!(e.to_string().contains(&dir.path().display().to_string()));
        assert!(help(&e).contains("agb init"));
    }

    #[test]
    fn locate_key_finds_plain_and_quoted_keys() {
        let text = "# source: no\n\"source\" : a\nnested:\n  target: b\n";
        assert_eq!(locate_key(text, 0, text.len(), "source", Some(0)), Some((13, 8)));
        assert_eq!(locate_key(text, 0, text.len(), "target", Some(0)), None);
        assert_eq!(
            locate_key(text, 0, text.len(), "target", None).map(|(o, _)| line_of_offset(text, o)),
            Some(4)
        );
    }

    proptest::proptest! {
        /// Whatever the text, loading is an error or a config, never a panic; and a config's
        /// resource spans point at the entries' text.
        #[test]
        fn parse_never_panics(lines in proptest::collection::vec(proptest::sample::select(vec![
            "resources:", "  commands:", "  agents: [p:a, q:b]", "  skills: [\"p:s\"]", "    - p:x",
            "    - 'p:y'", "    - bad", "exclude:", "  - \"*.tmp\"", "  - \"a[\"", "factory: {repository: o/r}",
            "# comment p:x", "  # - p:x", "sorce: x", "  commands: p:x", "  - p:q:r", "resources: {agents: [p:a]}",
        ]), 0..10)) {
            let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
            let text = format!("source: s\ntarget: codex\n{body}");
            if let Ok(c) = parse(&text) {
                for r in c.resources.iter() {
                    let at = &c.text[r.span.offset()..r.span.offset() + r.span.len()];
                    proptest::prop_assert_eq!(at, r.id.qualified());
                }
            }
        }
    }
}
