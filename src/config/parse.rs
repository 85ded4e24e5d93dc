//! Validating the text of agb.yaml into a [`Config`]: each top-level key, the `resources:`
//! entries with their lines, the exclude globs, and the spans every error points at.
//!
//! Not here: reading the file ([`Config::load`]) or expanding `source:` (`expand`).

use std::path::{Path, PathBuf};

use miette::SourceSpan;
use serde_yaml::Value;

use super::expand::{expand_path, normalize_lexically};
use super::{Config, ConfigError, Pattern, ResourceRef, Resources, VALID_KEYS};
use crate::exclude::Excludes;
use crate::names::{Name, ResourceId, ResourceKind, Target};
use crate::suggest::closest;
use crate::text::{locate_key, yaml_scalar, Located};

impl Config {
    /// Validate agb.yaml's `text` (as if read from `path`) as a single-target file (`target:`).
    /// `env` looks up environment variables and `home` is the user's home directory, both only
    /// for expanding `source` (and, with `scope: user`, for the agent's user directory). A file
    /// naming several targets is loaded with [`Config::parse_all`].
    pub fn parse(
        path: &Path,
        text: String,
        env: &dyn Fn(&str) -> Option<String>,
        home: Option<&Path>,
    ) -> Result<Config, ConfigError> {
        let doc = Document::parse(path, text)?;
        if let Some((_, span)) = &doc.targets {
            let at = doc.parser().locate(*span);
            return Err(ConfigError::Conflicting {
                path: path.to_path_buf(),
                line: at.line,
                src: at.src,
                span: at.span,
                message: "this agb.yaml names several targets".into(),
                advice: "load it as a project (the agb commands do); `Config::parse` reads one target".into(),
            });
        }
        let mut all = doc.into_configs(env, home, false)?;
        Ok(all.remove(0))
    }

    /// Validate agb.yaml's `text` into one [`Config`] per target: one for a `target:` file,
    /// one per entry of `targets:` otherwise (in that order). `user` puts every output root in
    /// the agent's user directory, as `scope: user` does.
    pub fn parse_all(
        path: &Path,
        text: String,
        env: &dyn Fn(&str) -> Option<String>,
        home: Option<&Path>,
        user: bool,
    ) -> Result<Vec<Config>, ConfigError> {
        Document::parse(path, text)?.into_configs(env, home, user)
    }
}

/// The selection part of agb.yaml, at the top level or in a target's section.
#[derive(Debug, Default)]
pub(super) struct Selection {
    pub exclude: Vec<String>,
    pub resources: Resources,
    pub patterns: Vec<Pattern>,
}

/// A target's own section of a multi-target agb.yaml (`claude-code: {resources: …}`).
#[derive(Debug)]
pub(super) struct Section {
    pub target: Target,
    pub selection: Selection,
    /// `output:` as written, and its span.
    pub output: Option<(String, SourceSpan)>,
}

/// The top level of agb.yaml, validated, before it is split per target (`targets`).
pub(super) struct Document<'p> {
    pub path: &'p Path,
    pub text: String,
    line_starts: Vec<usize>,
    pub source: (String, SourceSpan),
    /// `target:` (a single-target file).
    pub target: Option<(Target, SourceSpan)>,
    /// `targets:` entries with their spans, and the span of the key.
    pub targets: Option<(Vec<(Target, SourceSpan)>, SourceSpan)>,
    pub selection: Selection,
    pub sections: Vec<Section>,
    /// The span of `scope: user` when written.
    pub scope_user: Option<SourceSpan>,
    pub factory: Option<Value>,
}

impl<'p> Document<'p> {
    fn parse(path: &'p Path, text: String) -> Result<Document<'p>, ConfigError> {
        // Editors on Windows save UTF-8 with a byte-order mark; serde_yaml takes it for the start
        // of a second document ("more than one document"), which helps nobody.
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        let line_starts =
            std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect::<Vec<_>>();
        let p = Parser { path, text: &text, line_starts: line_starts.clone() };
        if let Err(refusal) = crate::text::yaml_guard::check(&text) {
            return Err(p.guard_error(&refusal));
        }
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
        let mut targets = None;
        let mut selection = Selection::default();
        let mut sections = Vec::new();
        let mut scope_user = None;
        let mut factory = None;
        for (k, v) in &map {
            let Some(key) = k.as_str() else {
                return Err(p.unknown_key(&key_text(k)));
            };
            let key_span = p.key_span(key);
            match key {
                "source" => source = Some((p.string(key, v, key_span, "a path")?, key_span)),
                "target" => target = Some((p.target(v, key_span)?, key_span)),
                "targets" => targets = Some((p.targets(v, key_span)?, key_span)),
                "exclude" => selection.exclude = p.exclude(v, key_span)?,
                "resources" => {
                    let (resources, patterns) = p.resources(v, key_span)?;
                    selection.resources = resources;
                    selection.patterns.extend(patterns);
                }
                "plugins" => selection.patterns.extend(p.plugins(v, key_span)?),
                "scope" => scope_user = p.scope(v, key_span)?.then_some(key_span),
                "factory" => factory = Some(v.clone()).filter(|v| !v.is_null()),
                other => match Target::from_name(other) {
                    Some(t) => sections.push(p.section(t, v, key_span)?),
                    None => return Err(p.unknown_key(other)),
                },
            }
        }
        let Some(source) = source else {
            return Err(p.missing_key("source", "source: ~/agb-resources"));
        };
        check_target_keys(&p, target.as_ref(), targets.as_ref(), &sections)?;
        drop(p);
        Ok(Document {
            path,
            text,
            line_starts,
            source,
            target,
            targets,
            selection,
            sections,
            scope_user,
            factory,
        })
    }

    pub(super) fn parser(&self) -> Parser<'_> {
        Parser { path: self.path, text: &self.text, line_starts: self.line_starts.clone() }
    }

    /// `source:` resolved: expanded, joined with `base` when relative, canonicalized when it
    /// exists. Returns the path and `source:` as written.
    pub(super) fn source_path(
        &self,
        base: &Path,
        env: &dyn Fn(&str) -> Option<String>,
        home: Option<&Path>,
    ) -> Result<PathBuf, ConfigError> {
        let p = self.parser();
        let (source_raw, source_span) = &self.source;
        let expanded = expand_path(source_raw, env, home).map_err(|(reason, advice)| {
            let at = p.locate(p.value_span(*source_span, source_raw));
            ConfigError::Expand {
                path: self.path.to_path_buf(),
                value: source_raw.clone(),
                reason,
                line: at.line,
                src: at.src,
                span: at.span,
                advice,
            }
        })?;
        let joined = base.join(expanded);
        Ok(std::fs::canonicalize(&joined).unwrap_or_else(|_| normalize_lexically(&joined)))
    }
}

/// `target:` or `targets:`, never both; per-target sections only with `targets:`.
fn check_target_keys(
    p: &Parser<'_>,
    target: Option<&(Target, SourceSpan)>,
    targets: Option<&(Vec<(Target, SourceSpan)>, SourceSpan)>,
    sections: &[Section],
) -> Result<(), ConfigError> {
    match (target, targets) {
        (None, None) => return Err(p.missing_key("target", "target: gemini-cli")),
        (Some((_, span)), Some(_)) => {
            return Err(p.conflicting(
                *span,
                "both `target:` and `targets:`",
                "keep `targets: [...]` (one configuration for several agents) or `target:` (one agent)",
            ))
        }
        (Some(_), None) => {
            if let Some(s) = sections.first() {
                let span = p.key_span(s.target.as_str());
                return Err(p.conflicting(
                    span,
                    "a per-target section in a single-target agb.yaml",
                    "per-target sections belong to a file with `targets: [...]`; move its entries to the top level",
                ));
            }
        }
        (None, Some(_)) => {}
    }
    Ok(())
}

/// Helpers that know the file being parsed, to build spans and errors.
pub(super) struct Parser<'a> {
    pub(super) path: &'a Path,
    pub(super) text: &'a str,
    /// Byte offset of every line start, so a big selection does not rescan the text per entry.
    line_starts: Vec<usize>,
}

impl Parser<'_> {
    /// `span` in agb.yaml, for an error's `src`, `span` and `line`.
    pub(super) fn locate(&self, span: SourceSpan) -> Located {
        Located::known(self.path.display().to_string(), self.text, span, self.line_of(span))
    }

    pub(super) fn line_of(&self, span: SourceSpan) -> usize {
        // the number of line starts at or before the offset is the 1-based line
        self.line_starts.partition_point(|start| *start <= span.offset()).max(1)
    }

    fn yaml_error(&self, e: &serde_yaml::Error) -> ConfigError {
        let (offset, line) = match e.location() {
            Some(loc) => (loc.index().min(self.text.len()), loc.line()),
            None => (0, 1),
        };
        let at = Located::known(self.path.display().to_string(), self.text, (offset, 0).into(), line);
        ConfigError::Yaml {
            path: self.path.to_path_buf(),
            line: at.line,
            message: strip_location(&e.to_string()),
            src: at.src,
            span: at.span,
        }
    }

    /// YAML refused before parsing (too deep, too large), at the place the limit was crossed.
    fn guard_error(&self, refusal: &crate::text::yaml_guard::Refusal) -> ConfigError {
        let at = Located::at(self.path.display().to_string(), self.text, refusal.offset());
        ConfigError::Yaml {
            path: self.path.to_path_buf(),
            line: at.line,
            message: refusal.to_string(),
            src: at.src,
            span: at.span,
        }
    }

    /// The span of a top-level key, or the file start when it cannot be found.
    pub(super) fn key_span_of(&self, key: &str) -> SourceSpan {
        self.key_span(key)
    }

    fn key_span(&self, key: &str) -> SourceSpan {
        locate_key(self.text, 0, self.text.len(), key, Some(0))
            .map(|(o, l)| (o, l).into())
            .unwrap_or((0, 0).into())
    }

    /// The span of `value` written after the key at `key_span` (falls back to the key).
    pub(super) fn value_span(&self, key_span: SourceSpan, value: &str) -> SourceSpan {
        let start = key_span.offset() + key_span.len();
        match self.text.get(start..).and_then(|rest| rest.find(value)) {
            Some(i) if !value.is_empty() => (start + i, value.len()).into(),
            _ => key_span,
        }
    }

    pub(super) fn unknown_key(&self, key: &str) -> ConfigError {
        self.unknown_key_in(None, key, &VALID_KEYS, self.key_span(key))
    }

    /// `key` at `span` is not one of `valid` in the mapping `under` (`None`: the top level):
    /// the error, with the closest valid key and the list as advice. The one shape of every
    /// unknown-key error of agb.yaml.
    pub(super) fn unknown_key_in(
        &self,
        under: Option<&str>,
        key: &str,
        valid: &[&str],
        span: SourceSpan,
    ) -> ConfigError {
        let mut advice = match under {
            Some(parent) => format!("valid keys under `{parent}`: {}", valid.join(", ")),
            None => format!("valid keys: {}", valid.join(", ")),
        };
        if let Some(best) = closest(key, valid.iter().copied()).first() {
            advice = format!("did you mean `{best}`? {advice}");
        }
        let at = self.locate(span);
        ConfigError::UnknownKey {
            path: self.path.to_path_buf(),
            key: under.map_or_else(|| key.to_string(), |parent| format!("{parent}.{key}")),
            line: at.line,
            src: at.src,
            span: at.span,
            advice,
        }
    }

    fn missing_key(&self, key: &'static str, example: &str) -> ConfigError {
        ConfigError::MissingKey {
            path: self.path.to_path_buf(),
            key,
            src: self.locate((0, 0).into()).src,
            span: (0, 0).into(),
            advice: format!("add a line such as `{example}` (see `agb init` for a commented example)"),
        }
    }

    pub(super) fn bad_type(&self, key: &str, expected: &'static str, span: SourceSpan) -> ConfigError {
        let at = self.locate(span);
        ConfigError::BadType {
            path: self.path.to_path_buf(),
            key: key.to_string(),
            expected,
            line: at.line,
            src: at.src,
            span: at.span,
            advice: type_advice(key),
        }
    }

    pub(super) fn string(
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
        self.target_name(&s, self.value_span(key_span, &s))
    }

    /// A target's name as written at `span` (`target:` or an entry of `targets:`).
    pub(super) fn target_name(&self, s: &str, span: SourceSpan) -> Result<Target, ConfigError> {
        Target::from_name(s).ok_or_else(|| {
            let names: Vec<&str> = Target::ALL.iter().map(|t| t.as_str()).collect();
            let mut advice = format!("valid targets: {}", names.join(", "));
            if let Some(best) = closest(s, names.iter().copied()).first() {
                advice = format!("did you mean `{best}`? {advice}");
            }
            let at = self.locate(span);
            ConfigError::BadTarget {
                path: self.path.to_path_buf(),
                value: s.to_string(),
                line: at.line,
                src: at.src,
                span: at.span,
                advice,
            }
        })
    }

    pub(super) fn exclude(&self, v: &Value, key_span: SourceSpan) -> Result<Vec<String>, ConfigError> {
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
                let at = self.locate(span);
                return Err(ConfigError::BadExclude {
                    path: self.path.to_path_buf(),
                    pattern: pattern.clone(),
                    message: e.message,
                    line: at.line,
                    src: at.src,
                    span: at.span,
                });
            }
            out.push(pattern.clone());
        }
        Ok(out)
    }

    /// The exact entries of `resources:` and, apart, its glob entries.
    pub(super) fn resources(
        &self,
        v: &Value,
        key_span: SourceSpan,
    ) -> Result<(Resources, Vec<Pattern>), ConfigError> {
        let map = match v {
            Value::Null => return Ok(Default::default()),
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
        let mut patterns = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (k, list) in map {
            let key_text = key_text(k);
            let kind_span =
                locate_key(self.text, key_span.offset() + key_span.len(), section_end, &key_text, None)
                    .map(|(o, l)| SourceSpan::from((o, l)))
                    .unwrap_or(key_span);
            let Some(kind) = k.as_str().and_then(ResourceKind::from_dir) else {
                return Err(self.unknown_key_in(
                    Some("resources"),
                    &key_text,
                    &["commands", "agents", "skills"],
                    kind_span,
                ));
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
                if is_glob(entry) {
                    patterns.push(self.pattern(Some(kind), entry, span)?);
                    continue;
                }
                let id = self.resource_id(kind, entry, span)?;
                if seen.insert(id.clone()) {
                    out.of_mut(kind).push(ResourceRef { id, line: self.line_of(span), span });
                }
            }
        }
        Ok((out, patterns))
    }

    fn resource_id(
        &self,
        kind: ResourceKind,
        entry: &str,
        span: SourceSpan,
    ) -> Result<ResourceId, ConfigError> {
        let err = |reason: String, advice: &str| {
            let at = self.locate(span);
            ConfigError::BadResource {
                path: self.path.to_path_buf(),
                value: entry.to_string(),
                reason,
                line: at.line,
                src: at.src,
                span: at.span,
                advice: advice.to_string(),
            }
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
    pub(super) fn find_after(&self, from: usize, needle: &str) -> Option<SourceSpan> {
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
    pub(super) fn section_end(&self, key_span: SourceSpan) -> usize {
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

/// Whether a selection entry is a glob (`plugin:*`, `*:review*`, `p:{a,b}`) rather than a name.
pub(super) fn is_glob(entry: &str) -> bool {
    entry.contains(['*', '?', '[', '{'])
}

/// A scalar mapping key as text (for messages about non-string keys).
pub(super) fn key_text(v: &Value) -> String {
    yaml_scalar::value_text(v).unwrap_or_else(|| "?".into())
}

/// serde_yaml appends " at line L column C" to messages; the diagnostic shows that already.
fn strip_location(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}
