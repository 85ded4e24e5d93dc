//! Several targets in one agb.yaml (issue 11): the `targets:` list, `plugins:`, `scope:`, the
//! per-target sections (`claude-code: {resources: …, plugins: …, exclude: …, output: …}`), and
//! splitting the validated document into one [`Config`] per target, each with its own output
//! root (`.gemini/`, `.claude/`, `.opencode/`, `.codex/` beside agb.yaml, or the agent's user
//! directory in the user scope).
//!
//! Not here: the keys a single-target file shares with it (`parse`), finding agb.yaml
//! (`project`), the agents' user directories (`user`).

use std::path::{Path, PathBuf};

use miette::SourceSpan;
use serde_yaml::Value;

use super::expand::expand_path;
use super::parse::{is_glob, key_text, Document, Parser, Section, Selection};
use super::{Config, ConfigError, Pattern};
use crate::names::{Name, ResourceKind, Target};
use crate::text::locate_key;

/// The keys of a target's own section.
const SECTION_KEYS: [&str; 4] = ["plugins", "resources", "exclude", "output"];

/// A target's output directory in a project, relative to the project root (where a multi-target
/// agb.yaml lies): where the agent reads the project's resources.
pub fn project_dir(target: Target) -> &'static str {
    match target {
        Target::GeminiCli => ".gemini",
        Target::ClaudeCode => ".claude",
        Target::Opencode => ".opencode",
        Target::Codex => ".codex",
        Target::Copilot => ".github",
    }
}

impl Parser<'_> {
    /// `targets: [claude-code, gemini-cli]`: each entry a known target, with its span.
    pub(super) fn targets(
        &self,
        v: &Value,
        key_span: SourceSpan,
    ) -> Result<Vec<(Target, SourceSpan)>, ConfigError> {
        let expected = "a list of targets (gemini-cli, claude-code, opencode, codex, copilot)";
        let Value::Sequence(items) = v else {
            return Err(self.bad_type("targets", expected, key_span));
        };
        if items.is_empty() {
            return Err(self.bad_type("targets", expected, key_span));
        }
        let mut out = Vec::new();
        let mut from = key_span.offset() + key_span.len();
        for item in items {
            let Value::String(name) = item else {
                return Err(self.bad_type("targets", expected, key_span));
            };
            let span = self.find_after(from, name).unwrap_or(key_span);
            from = span.offset() + span.len();
            out.push((self.target_name(name, span)?, span));
        }
        Ok(out)
    }

    /// `plugins: [python-development, "web-*"]`: plugin names, or globs over plugin names.
    pub(super) fn plugins(&self, v: &Value, key_span: SourceSpan) -> Result<Vec<Pattern>, ConfigError> {
        let expected = "a list of plugin names";
        let items = match v {
            Value::Null => return Ok(Vec::new()),
            Value::Sequence(items) => items,
            _ => return Err(self.bad_type("plugins", expected, key_span)),
        };
        let mut out = Vec::new();
        let mut from = key_span.offset() + key_span.len();
        for item in items {
            let Value::String(entry) = item else {
                return Err(self.bad_type("plugins", expected, key_span));
            };
            let span = self.find_after(from, entry).unwrap_or(key_span);
            from = span.offset() + span.len();
            if !is_glob(entry) {
                Name::new(entry).map_err(|e| {
                    self.bad_resource(entry, span, format!("invalid plugin name {:?}", e.name))
                })?;
            }
            out.push(self.pattern(None, entry, span)?);
        }
        Ok(out)
    }

    /// A selection pattern, checked to compile (globset syntax).
    pub(super) fn pattern(
        &self,
        kind: Option<ResourceKind>,
        entry: &str,
        span: SourceSpan,
    ) -> Result<Pattern, ConfigError> {
        if kind.is_some() && !entry.contains(':') {
            return Err(self.bad_resource(
                entry,
                span,
                "expected plugin:name (a glob may stand for either)".into(),
            ));
        }
        if let Err(e) = globset::Glob::new(entry) {
            return Err(self.bad_resource(entry, span, format!("invalid glob: {}", e.kind())));
        }
        Ok(Pattern { kind, text: entry.to_string(), line: self.line_of(span), span })
    }

    fn bad_resource(&self, entry: &str, span: SourceSpan, reason: String) -> ConfigError {
        let at = self.locate(span);
        ConfigError::BadResource {
            path: self.path.to_path_buf(),
            value: entry.to_string(),
            reason,
            line: at.line,
            src: at.src,
            span: at.span,
            advice: "write `plugin:name`, or a glob over it such as `python-development:*` or `*:code-review*`; `plugins:` takes plugin names".into(),
        }
    }

    /// `scope: user` (true) or `scope: project` (false).
    pub(super) fn scope(&self, v: &Value, key_span: SourceSpan) -> Result<bool, ConfigError> {
        match v.as_str() {
            Some("user") => Ok(true),
            Some("project") => Ok(false),
            _ => Err(self.bad_type("scope", "`user` or `project`", key_span)),
        }
    }

    /// A target's section: `plugins`, `resources`, `exclude` added to the top level's, and
    /// `output:` (the output root, relative to agb.yaml's directory).
    pub(super) fn section(
        &self,
        target: Target,
        v: &Value,
        key_span: SourceSpan,
    ) -> Result<Section, ConfigError> {
        let key = target.as_str();
        let map = match v {
            Value::Null => return Ok(Section { target, selection: Selection::default(), output: None }),
            Value::Mapping(m) => m,
            _ => return Err(self.bad_type(key, "a mapping (plugins, resources, exclude, output)", key_span)),
        };
        let end = self.section_end(key_span);
        let mut selection = Selection::default();
        let mut output = None;
        for (k, v) in map {
            let name = key_text(k);
            let span = locate_key(self.text, key_span.offset() + key_span.len(), end, &name, None)
                .map(|(o, l)| SourceSpan::from((o, l)))
                .unwrap_or(key_span);
            match name.as_str() {
                "plugins" => selection.patterns.extend(self.plugins(v, span)?),
                "resources" => {
                    let (resources, patterns) = self.resources(v, span)?;
                    selection.resources = resources;
                    selection.patterns.extend(patterns);
                }
                "exclude" => selection.exclude = self.exclude(v, span)?,
                "output" => output = Some((self.string("output", v, span, "a directory")?, span)),
                other => {
                    return Err(self.unknown_key_in(Some(key), other, &SECTION_KEYS, span));
                }
            }
        }
        Ok(Section { target, selection, output })
    }

    pub(super) fn conflicting(&self, span: SourceSpan, message: &str, advice: &str) -> ConfigError {
        let at = self.locate(span);
        ConfigError::Conflicting {
            path: self.path.to_path_buf(),
            line: at.line,
            message: message.to_string(),
            src: at.src,
            span: at.span,
            advice: advice.to_string(),
        }
    }
}

impl Document<'_> {
    /// One [`Config`] per target, in the order of `targets:` (or the one of `target:`).
    pub(super) fn into_configs(
        self,
        env: &dyn Fn(&str) -> Option<String>,
        home: Option<&Path>,
        user: bool,
    ) -> Result<Vec<Config>, ConfigError> {
        let base = self.path.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("/"));
        let source = self.source_path(&base, env, home)?;
        let user_span = self.scope_user;
        let user = user || user_span.is_some();
        let p = self.parser();
        let wanted: Vec<(Target, SourceSpan)> = match (&self.target, &self.targets) {
            (Some(t), _) => vec![*t],
            (None, Some((list, _))) => list.clone(),
            (None, None) => Vec::new(),
        };
        for s in &self.sections {
            if !wanted.iter().any(|(t, _)| *t == s.target) {
                return Err(p.conflicting(
                    p.key_span_of(s.target.as_str()),
                    &format!("a section for {}, which `targets:` does not name", s.target),
                    "add the target to `targets:` or remove its section",
                ));
            }
        }
        let mut roots: Vec<(PathBuf, Target)> = Vec::new();
        let mut out = Vec::new();
        for (target, span) in wanted {
            let section = self.sections.iter().find(|s| s.target == target);
            let output_root = if user {
                let at = user_span.unwrap_or(span);
                super::user::user_dir(target, env, home).ok_or_else(|| {
                    let l = p.locate(at);
                    ConfigError::NoHome {
                        path: self.path.to_path_buf(),
                        line: l.line,
                        target: target.to_string(),
                        src: l.src,
                        span: l.span,
                        advice: "set HOME (or the agent's own variable: CLAUDE_CONFIG_DIR, GEMINI_CLI_HOME, OPENCODE_CONFIG_DIR, CODEX_HOME)".into(),
                    }
                })?
            } else if self.targets.is_none() {
                base.clone()
            } else if let Some((raw, at)) = section.and_then(|s| s.output.as_ref()) {
                let expanded = expand_path(raw, env, home).map_err(|(reason, _)| {
                    p.conflicting(
                        *at,
                        &format!("cannot expand `output: {raw}`: {reason}"),
                        "write a directory path",
                    )
                })?;
                super::expand::normalize_lexically(&base.join(expanded))
            } else {
                base.join(project_dir(target))
            };
            if let Some((_, first)) = roots.iter().find(|(r, _)| *r == output_root) {
                let l = p.locate(section.and_then(|s| s.output.as_ref()).map_or(span, |(_, at)| *at));
                return Err(ConfigError::DuplicateRoot {
                    path: self.path.to_path_buf(),
                    line: l.line,
                    first: first.to_string(),
                    second: target.to_string(),
                    root: output_root,
                    src: l.src,
                    span: l.span,
                });
            }
            roots.push((output_root.clone(), target));
            out.push(self.config_for(target, section, output_root, source.clone()));
        }
        Ok(out)
    }

    /// The top-level selection with the target's section added.
    fn config_for(
        &self,
        target: Target,
        section: Option<&Section>,
        output_root: PathBuf,
        source: PathBuf,
    ) -> Config {
        let mut exclude = self.selection.exclude.clone();
        let mut resources = self.selection.resources.clone();
        let mut patterns = self.selection.patterns.clone();
        if let Some(s) = section {
            exclude.extend(s.selection.exclude.iter().cloned());
            for r in s.selection.resources.iter() {
                if !resources.contains(&r.id) {
                    resources.push(r.clone());
                }
            }
            patterns.extend(s.selection.patterns.iter().cloned());
        }
        Config {
            path: self.path.to_path_buf(),
            output_root,
            source,
            source_raw: self.source.0.clone(),
            target,
            exclude,
            resources,
            patterns,
            factory: self.factory.clone(),
            text: self.text.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(text: &str, home: Option<&Path>) -> Result<Vec<Config>, ConfigError> {
        let env = |_: &str| None;
        Config::parse_all(Path::new("/proj/agb.yaml"), text.to_string(), &env, home, false)
    }

    #[test]
    fn one_config_per_target_with_its_section_added() {
        let text = "source: ../res\ntargets: [claude-code, gemini-cli]\nplugins: [web]\nexclude: [\"*.tmp\"]\nresources:\n  commands: [p:a, \"p:*\"]\ngemini-cli:\n  exclude: [\"*.bak\"]\n  resources:\n    agents: [q:b]\n  plugins: [\"doc-*\"]\n";
        let cs = parse_all(text, None).unwrap();
        assert_eq!(cs.len(), 2);
        assert_eq!(
            (cs[0].target, cs[0].output_root.as_path()),
            (Target::ClaudeCode, Path::new("/proj/.claude"))
        );
        assert_eq!(
            (cs[1].target, cs[1].output_root.as_path()),
            (Target::GeminiCli, Path::new("/proj/.gemini"))
        );
        assert_eq!(cs[0].source, Path::new("/res"));
        assert_eq!(cs[0].exclude, ["*.tmp"]);
        assert_eq!(cs[1].exclude, ["*.tmp", "*.bak"]);
        assert_eq!(cs[0].resources.iter().count(), 1);
        assert_eq!(cs[1].resources.iter().count(), 2);
        let texts = |c: &Config| c.patterns.iter().map(|p| (p.text.clone(), p.line)).collect::<Vec<_>>();
        assert_eq!(texts(&cs[0]), [("web".to_string(), 3), ("p:*".to_string(), 6)]);
        assert_eq!(texts(&cs[1]).last(), Some(&("doc-*".to_string(), 11)));
    }

    #[test]
    fn user_scope_needs_a_home_and_says_where_it_was_asked() {
        let text = "source: /res\ntargets: [codex]\nscope: user\n";
        let cs = parse_all(text, Some(Path::new("/h"))).unwrap();
        assert_eq!(cs[0].output_root, Path::new("/h/.codex"));
        let e = parse_all(text, None).unwrap_err();
        assert!(matches!(e, ConfigError::NoHome { line: 3, .. }), "{e:?}");
    }

    #[test]
    fn mistakes_are_located() {
        let line = |text: &str| match parse_all(text, None).unwrap_err() {
            ConfigError::Conflicting { line, .. }
            | ConfigError::BadTarget { line, .. }
            | ConfigError::BadResource { line, .. }
            | ConfigError::UnknownKey { line, .. }
            | ConfigError::DuplicateRoot { line, .. } => line,
            other => panic!("{other:?}"),
        };
        assert_eq!(line("source: /r\ntarget: codex\ntargets: [codex]\n"), 2);
        assert_eq!(line("source: /r\ntargets: [codex]\nclaude-code:\n  plugins: [x]\n"), 3);
        assert_eq!(line("source: /r\ntarget: codex\ncodex:\n  plugins: [x]\n"), 3);
        assert_eq!(line("source: /r\ntargets: [codex]\ncodex:\n  plugin: [x]\n"), 4);
        assert_eq!(line("source: /r\ntargets: [codex]\nplugins: [\"a b\"]\n"), 3);
        assert_eq!(line("source: /r\ntargets: [codex]\nresources:\n  commands: [\"p*\"]\n"), 4);
        assert_eq!(line("source: /r\ntargets: [codex, opencode]\nopencode:\n  output: ./.codex/\n"), 4);
    }
}
