//! The metadata merge of SPEC §1.3, and parsing of the two files it reads besides the
//! frontmatter: `overrides.yaml` and a resource's sidecar. Pure functions over text and values.
//!
//! Order (later wins, shallow): frontmatter → `overrides.yaml` value mapping → the sidecar's
//! section for the target. Then every target-section key (`gemini-cli`, …) is removed. Key order
//! is the frontmatter's, then new keys in the order they appear.

use std::path::Path;

use serde_yaml::Value;

use crate::names::Target;
use crate::suggest::closest;
use crate::text::{locate_key, Located};

use super::frontmatter::parse_yaml_mapping;
use super::{DescriptionOrigin, Metadata, SourceError};

/// `overrides.yaml`: `field: { original_value: { target: replacement } }`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    fields: Metadata,
}

impl Overrides {
    /// No overrides (the source has no `overrides.yaml`).
    pub fn none() -> Self {
        Overrides::default()
    }

    /// Parse and validate the text of `overrides.yaml` (read from `path`).
    pub fn parse(path: &Path, text: &str) -> Result<Overrides, SourceError> {
        let err = |offset: usize, message: String, advice: String| {
            let at = Located::at(path.display().to_string(), text, offset);
            SourceError::Overrides {
                path: path.to_path_buf(),
                line: at.line,
                message,
                src: at.src,
                span: at.span,
                advice,
            }
        };
        let shape = "overrides.yaml maps field → original value → target → replacement, e.g. `model: {sonnet: {gemini-cli: gemini-2.5-pro}}`";
        let fields = parse_yaml_mapping(text).map_err(|e| err(e.index, e.message, shape.to_string()))?;
        for (field, originals) in &fields {
            let field_name = field.as_str().map(str::to_string).unwrap_or_else(|| format!("{field:?}"));
            let at = locate_key(text, 0, text.len(), &field_name, Some(0)).map(|(o, _)| o).unwrap_or(0);
            let Value::Mapping(originals) = originals else {
                return Err(err(
                    at,
                    format!("`{field_name}` must map original values to targets"),
                    shape.into(),
                ));
            };
            for (_, per_target) in originals {
                let Value::Mapping(per_target) = per_target else {
                    return Err(err(
                        at,
                        format!("under `{field_name}`, each original value must map targets to replacements"),
                        shape.into(),
                    ));
                };
                for (t, _) in per_target {
                    let name = t.as_str().unwrap_or_default();
                    if Target::from_name(name).is_none() {
                        let at = locate_key(text, at, text.len(), name, None).map(|(o, _)| o).unwrap_or(at);
                        let names = Target::ALL.map(|t| t.as_str());
                        let mut advice = format!("targets are {}", names.join(", "));
                        if let Some(best) = closest(name, names).first() {
                            advice = format!("did you mean `{best}`? {advice}");
                        }
                        return Err(err(at, format!("unknown target `{name}` under `{field_name}`"), advice));
                    }
                }
            }
        }
        Ok(Overrides { fields })
    }

    /// The replacement of `value` for `field` and `target`, if overrides.yaml has one.
    pub fn replacement(&self, field: &Value, value: &Value, target: Target) -> Option<&Value> {
        self.fields.get(field)?.as_mapping()?.get(value)?.as_mapping()?.get(target.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

/// The sections of a sidecar `<name>.yaml`: only target names are allowed at the top level.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sidecar {
    sections: Metadata,
}

impl Sidecar {
    /// Parse and validate a sidecar's text (read from `path`).
    pub fn parse(path: &Path, text: &str) -> Result<Sidecar, SourceError> {
        let err = |(offset, len): (usize, usize), message: String, advice: String| {
            let at = Located::range(path.display().to_string(), text, offset, len);
            SourceError::Sidecar {
                path: path.to_path_buf(),
                line: at.line,
                message,
                src: at.src,
                span: at.span,
                advice,
            }
        };
        let targets = Target::ALL.map(|t| t.as_str()).join(", ");
        let sections = parse_yaml_mapping(text).map_err(|e| {
            err(
                (e.index, 0),
                format!("invalid sidecar YAML: {}", e.message),
                format!("a sidecar holds one mapping per target: {targets}"),
            )
        })?;
        for (key, section) in &sections {
            let name = key.as_str().map(str::to_string).unwrap_or_else(|| format!("{key:?}"));
            let at = locate_key(text, 0, text.len(), &name, Some(0)).unwrap_or((0, 0));
            if Target::from_name(&name).is_none() {
                let mut advice = format!("a sidecar may only contain target sections ({targets}); move `{name}` into the frontmatter of the .md file or under a target section");
                if let Some(best) = closest(&name, Target::ALL.map(|t| t.as_str())).first() {
                    advice = format!("did you mean `{best}`? {advice}");
                }
                return Err(err(
                    at,
                    format!("`{name}` is not allowed at the top level of a sidecar"),
                    advice,
                ));
            }
            if !matches!(section, Value::Mapping(_) | Value::Null) {
                return Err(err(
                    at,
                    format!("the `{name}` section must be a mapping of metadata keys"),
                    format!("write e.g. `{name}:` followed by indented `key: value` lines"),
                ));
            }
        }
        Ok(Sidecar { sections })
    }

    /// The section for `target`, if present and not empty.
    pub fn section(&self, target: Target) -> Option<&Metadata> {
        self.sections.get(target.as_str()).and_then(Value::as_mapping)
    }
}

/// Merge the metadata of one resource for `target` (SPEC §1.3) and say where `description`
/// came from.
pub fn merge_metadata(
    frontmatter: &Metadata,
    overrides: &Overrides,
    sidecar_section: Option<&Metadata>,
    target: Target,
) -> (Metadata, DescriptionOrigin) {
    let description_key = Value::from("description");
    let mut origin = if frontmatter.contains_key(&description_key) {
        DescriptionOrigin::Frontmatter
    } else {
        DescriptionOrigin::None
    };
    let mut merged = Metadata::new();
    for (key, value) in frontmatter {
        let value = match overrides.replacement(key, value, target) {
            Some(replacement) => {
                if *key == description_key {
                    origin = DescriptionOrigin::Overrides;
                }
                replacement.clone()
            }
            None => value.clone(),
        };
        merged.insert(key.clone(), value);
    }
    if let Some(section) = sidecar_section {
        for (key, value) in section {
            if *key == description_key {
                origin = DescriptionOrigin::Sidecar;
            }
            // IndexMap-backed: replacing a value keeps the key's position
            merged.insert(key.clone(), value.clone());
        }
    }
    for t in Target::ALL {
        merged.shift_remove(t.as_str());
    }
    if !merged.contains_key(&description_key) {
        origin = DescriptionOrigin::None;
    }
    (merged, origin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn map(yaml: &str) -> Metadata {
        serde_yaml::from_str(yaml).unwrap()
    }

    fn keys(m: &Metadata) -> Vec<String> {
        m.keys().map(|k| k.as_str().unwrap().to_string()).collect()
    }

    #[test]
    fn order_frontmatter_then_overrides_then_sidecar() {
        let fm = map("description: d\nmodel: sonnet\ntools: [a]\n");
        let ov = Overrides::parse(Path::new("o.yaml"), "model:\n  sonnet:\n    gemini-cli: gemini-2.5-pro\n")
            .unwrap();
        let (m, o) = merge_metadata(&fm, &ov, None, Target::GeminiCli);
        assert_eq!(m.get("model").unwrap().as_str(), Some("gemini-2.5-pro"));
        assert_eq!(o, DescriptionOrigin::Frontmatter);
        // another target keeps the original
        let (m, _) = merge_metadata(&fm, &ov, None, Target::ClaudeCode);
        assert_eq!(m.get("model").unwrap().as_str(), Some("sonnet"));
        // the sidecar wins over the override, and new keys come last in their order
        let section = map("model: flash\nextra: 1\ndescription: from sidecar\n");
        let (m, o) = merge_metadata(&fm, &ov, Some(&section), Target::GeminiCli);
        assert_eq!(m.get("model").unwrap().as_str(), Some("flash"));
        assert_eq!(keys(&m), vec!["description", "model", "tools", "extra"]);
        assert_eq!(o, DescriptionOrigin::Sidecar);
    }

    #[test]
    fn description_origin_overrides_and_none() {
        let fm = map("description: old\n");
        let ov = Overrides::parse(Path::new("o.yaml"), "description:\n  old:\n    codex: new\n").unwrap();
        let (m, o) = merge_metadata(&fm, &ov, None, Target::Codex);
        assert_eq!(m.get("description").unwrap().as_str(), Some("new"));
        assert_eq!(o, DescriptionOrigin::Overrides);
        let (_, o) = merge_metadata(&map("a: 1\n"), &Overrides::none(), None, Target::Codex);
        assert_eq!(o, DescriptionOrigin::None);
    }

    #[test]
    fn target_section_keys_are_removed() {
        let fm = map("description: d\ngemini-cli: {x: 1}\nclaude-code: 2\nkeep: 3\n");
        let (m, _) = merge_metadata(&fm, &Overrides::none(), None, Target::GeminiCli);
        assert_eq!(keys(&m), vec!["description", "keep"]);
    }

    #[test]
    fn overrides_match_non_string_values() {
        let fm = map("temperature: 1\nflag: true\n");
        let ov = Overrides::parse(
            Path::new("o.yaml"),
            "temperature:\n  1:\n    opencode: 0.5\nflag:\n  true:\n    opencode: false\n",
        )
        .unwrap();
        let (m, _) = merge_metadata(&fm, &ov, None, Target::Opencode);
        assert_eq!(m.get("temperature"), Some(&Value::from(0.5)));
        assert_eq!(m.get("flag"), Some(&Value::from(false)));
    }

    #[test]
    fn sidecar_forbidden_keys_and_bad_sections() {
        let e = Sidecar::parse(Path::new("a.yaml"), "gemini-cli:\n  x: 1\ndescription: nope\n").unwrap_err();
        match &e {
            SourceError::Sidecar { line, message, advice, .. } => {
                assert_eq!(*line, 3);
                assert!(message.contains("description"));
                assert!(advice.contains("gemini-cli, claude-code, opencode, codex"));
            }
            other => panic!("{other:?}"),
        }
        let e = Sidecar::parse(Path::new("a.yaml"), "claude:\n  x: 1\n").unwrap_err();
        assert!(miette::Diagnostic::help(&e).unwrap().to_string().contains("did you mean `claude-code`"));
        let e = Sidecar::parse(Path::new("a.yaml"), "codex: [1]\n").unwrap_err();
        assert!(e.to_string().contains("must be a mapping"));
        let e = Sidecar::parse(Path::new("a.yaml"), "codex:\n  a: [\n").unwrap_err();
        assert!(e.to_string().contains("invalid sidecar YAML"));
        let ok = Sidecar::parse(Path::new("a.yaml"), "# nothing\ncodex:\nopencode:\n  m: 1\n").unwrap();
        assert!(ok.section(Target::Codex).is_none());
        assert_eq!(ok.section(Target::Opencode).unwrap().len(), 1);
    }

    #[test]
    fn overrides_validation() {
        let e = Overrides::parse(Path::new("o.yaml"), "model:\n  sonnet:\n    gemini: x\n").unwrap_err();
        assert!(e.to_string().contains("unknown target `gemini`"));
        assert_eq!(
            match e {
                SourceError::Overrides { line, .. } => line,
                _ => 0,
            },
            3
        );
        assert!(Overrides::parse(Path::new("o.yaml"), "model: sonnet\n").is_err());
        assert!(Overrides::parse(Path::new("o.yaml"), "model:\n  sonnet: x\n").is_err());
        assert!(Overrides::parse(Path::new("o.yaml"), "").unwrap().is_empty());
    }

    fn key_strategy() -> impl Strategy<Value = String> {
        prop::sample::select(vec!["description", "model", "tools", "a", "b", "c", "gemini-cli", "codex"])
            .prop_map(str::to_string)
    }

    fn meta_strategy() -> impl Strategy<Value = Vec<(String, i64)>> {
        prop::collection::vec((key_strategy(), 0i64..3), 0..6)
    }

    fn to_map(pairs: &[(String, i64)]) -> Metadata {
        let mut m = Metadata::new();
        for (k, v) in pairs {
            m.insert(Value::from(k.as_str()), Value::from(*v));
        }
        m
    }

    proptest! {
        /// Later layers win, key order is first appearance across layers, target keys never
        /// survive, and the origin names the last layer that set `description`.
        #[test]
        fn merge_is_a_shallow_ordered_override(fm in meta_strategy(), sc in meta_strategy(), replace in any::<bool>()) {
            let fm = to_map(&fm);
            let sc = to_map(&sc);
            let ov_text = if replace { "description:\n  1:\n    codex: 99\nmodel:\n  2:\n    codex: 98\n" } else { "" };
            let ov = Overrides::parse(Path::new("o.yaml"), ov_text).unwrap();
            let (m, origin) = merge_metadata(&fm, &ov, Some(&sc), Target::Codex);

            let mut expected_order: Vec<String> = Vec::new();
            for k in fm.keys().chain(sc.keys()) {
                let k = k.as_str().unwrap().to_string();
                if !expected_order.contains(&k) && Target::from_name(&k).is_none() {
                    expected_order.push(k);
                }
            }
            prop_assert_eq!(keys(&m), expected_order);
            for (k, v) in &m {
                let expected = if let Some(s) = sc.get(k) {
                    s.clone()
                } else {
                    let f = fm.get(k).unwrap();
                    ov.replacement(k, f, Target::Codex).cloned().unwrap_or_else(|| f.clone())
                };
                prop_assert_eq!(v, &expected);
            }
            let expected_origin = if sc.contains_key("description") {
                DescriptionOrigin::Sidecar
            } else if let Some(v) = fm.get("description") {
                if ov.replacement(&Value::from("description"), v, Target::Codex).is_some() {
                    DescriptionOrigin::Overrides
                } else {
                    DescriptionOrigin::Frontmatter
                }
            } else {
                DescriptionOrigin::None
            };
            prop_assert_eq!(origin, expected_origin);
        }
    }
}
