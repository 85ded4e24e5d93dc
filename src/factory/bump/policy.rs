//! The factory's bump policy: which bump each class of change calls for. Every rule names its
//! class; the level comes from here, so a factory can state, in `.agb/bump-policy.yaml` at its
//! root, where it differs from the defaults (some publishers ship a raised provider minimum as a
//! minor release, others as a major one).
//!
//! ```yaml
//! # .agb/bump-policy.yaml: class: major | minor | patch
//! provider_minimum_raised_same_major: major
//! input_key_added: patch
//! ```
//!
//! The defaults are the safe ones: when a class can break a caller, it is major. [`CLASSES`] is
//! the documented list (docs/bump-evaluation.md shows it too).
//!
//! Not here: reading the file from the factory (the cache does, `Factory::bump_policy_bytes`),
//! the rules themselves (`rules`, `interface`, `addresses`).

use std::collections::BTreeMap;

use miette::{NamedSource, SourceSpan};

use super::Bump;

/// Where the policy file lives, relative to the factory root.
pub const POLICY_FILE: &str = ".agb/bump-policy.yaml";

/// One class of change: its name in the policy file, its default level, what it covers.
#[derive(Debug, Clone, Copy)]
pub struct Class {
    pub name: &'static str,
    pub default: Bump,
    pub what: &'static str,
}

const fn class(name: &'static str, default: Bump, what: &'static str) -> Class {
    Class { name, default, what }
}

/// Every class, with its default level.
pub const CLASSES: &[Class] = &[
    class("variable_removed", Bump::Major, "a variable removed or renamed"),
    class("variable_required_added", Bump::Major, "a variable added without a default"),
    class("variable_optional_added", Bump::Minor, "a variable added with a default"),
    class("variable_type_changed", Bump::Major, "a variable's type changed"),
    class("variable_type_widened", Bump::Minor, "a variable's object type gained optional attributes"),
    class("variable_default_removed", Bump::Major, "a variable lost its default"),
    class("variable_default_added", Bump::Minor, "a variable got a default"),
    class("variable_default_changed", Bump::Patch, "a variable's default changed"),
    class("variable_default_keys_added", Bump::Minor, "a map default gained entries (new named options)"),
    class("variable_default_keys_removed", Bump::Major, "a map default lost entries callers may name"),
    class("variable_changed", Bump::Patch, "a variable's description, validation or flags changed"),
    class(
        "input_key_removed",
        Bump::Major,
        "a key of an `any` variable, or a declared object attribute, no longer read",
    ),
    class(
        "input_key_added",
        Bump::Minor,
        "a key of an `any` variable, or a declared object attribute, read for the first time",
    ),
    class("input_key_made_optional", Bump::Minor, "a key of an `any` variable now read with a fallback"),
    class("input_key_default_changed", Bump::Patch, "the fallback of a key in try/lookup changed"),
    class("output_removed", Bump::Major, "an output removed"),
    class("output_added", Bump::Minor, "an output added"),
    class("output_changed", Bump::Patch, "an output's value or description changed"),
    class("address_removed", Bump::Major, "a resource or module call removed or renamed without `moved`"),
    class("address_moved", Bump::Patch, "a resource or module call moved with a `moved` block"),
    class("address_added", Bump::Minor, "a resource or module call added"),
    class("instance_keys_changed", Bump::Major, "count ↔ for_each, or a new for_each key, without `moved`"),
    class(
        "argument_form_changed",
        Bump::Major,
        "a resource argument changed between `x = …` and `x { … }`/`dynamic \"x\"` blocks",
    ),
    class("module_source_changed", Bump::Major, "a child module call's source changed"),
    class("module_version_major", Bump::Major, "a child module's version constraint moved to a new major"),
    class("module_version_changed", Bump::Patch, "a child module's version changed within its major"),
    class("required_version_tightened", Bump::Major, "required_version accepts fewer Terraform versions"),
    class("required_version_widened", Bump::Minor, "required_version accepts more Terraform versions"),
    class("provider_upper_bound_added", Bump::Major, "a provider constraint gained or lowered a maximum"),
    class("provider_minimum_raised_major", Bump::Major, "a provider minimum raised into a new major"),
    class(
        "provider_minimum_raised_same_major",
        Bump::Minor,
        "a provider minimum raised within its major (docs/bump-evaluation.md)",
    ),
    class("provider_tightened", Bump::Major, "a provider constraint excludes versions it accepted"),
    class("provider_widened", Bump::Minor, "a provider constraint accepts more versions"),
    class("provider_added", Bump::Minor, "a provider requirement added"),
    class("provider_removed", Bump::Minor, "a provider requirement dropped"),
    class("constraint_rewritten", Bump::Patch, "a constraint rewritten, same versions accepted"),
    class("constraint_not_comparable", Bump::Major, "a constraint agb cannot read changed"),
    class("submodule_removed", Bump::Major, "a submodule (or the root's .tf files) removed"),
    class("submodule_added", Bump::Minor, "a submodule added"),
    class("files_changed", Bump::Patch, "files changed with no interface change"),
    class("file_mode_changed", Bump::Patch, "a file's executable bit changed"),
];

/// The levels in force: the defaults, with the factory's entries over them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    /// Class → (level, line in the policy file).
    overrides: BTreeMap<&'static str, (Bump, usize)>,
    /// The policy file's name as shown (None: the defaults only).
    pub origin: Option<String>,
}

/// Which policy entry decided a level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub class: &'static str,
    pub bump: Bump,
    /// `default`, or `<file>:<line>`.
    pub source: String,
}

impl std::fmt::Display for Decision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}: {}` ({})", self.class, self.bump, self.source)
    }
}

impl Policy {
    /// The level of a class (an unknown class is a bug in a rule: major, the safe side).
    pub fn level(&self, class: &str) -> Bump {
        self.decision(class).bump
    }

    /// The level of a class and the entry that set it.
    pub fn decision(&self, class: &str) -> Decision {
        let known = CLASSES.iter().find(|c| c.name == class);
        let name = known.map_or("unknown", |c| c.name);
        match self.overrides.get(name) {
            Some((bump, line)) => Decision {
                class: name,
                bump: *bump,
                source: format!("{}:{line}", self.origin.as_deref().unwrap_or(POLICY_FILE)),
            },
            None => Decision {
                class: name,
                bump: known.map_or(Bump::Major, |c| c.default),
                source: "default".to_string(),
            },
        }
    }

    /// Parse a policy file (`name` is how it is shown in messages). The error is boxed: it
    /// carries the file's text for miette.
    pub fn parse(text: &str, name: &str) -> Result<Policy, Box<PolicyError>> {
        let err = |line: usize, message: String, help: String| {
            let offset = line_offset(text, line);
            let len = text[offset..].find('\n').unwrap_or(text.len() - offset);
            Box::new(PolicyError {
                file: name.to_string(),
                line,
                message,
                help,
                src: NamedSource::new(name, text.to_string()),
                span: SourceSpan::from((offset, len)),
            })
        };
        let map: Option<BTreeMap<String, serde_yaml::Value>> = serde_yaml::from_str(text).map_err(|e| {
            let line = e.location().map_or(1, |l| l.line());
            err(line, e.to_string(), "the file is a YAML map `class: major|minor|patch`".to_string())
        })?;
        let mut policy = Policy { overrides: BTreeMap::new(), origin: Some(name.to_string()) };
        for (key, value) in map.unwrap_or_default() {
            let line = key_line(text, &key);
            let Some(class) = CLASSES.iter().find(|c| c.name == key) else {
                let names: Vec<&str> = CLASSES.iter().map(|c| c.name).collect();
                return Err(err(
                    line,
                    format!("unknown change class `{key}`"),
                    format!("the classes are: {}", names.join(", ")),
                ));
            };
            let bump = match value.as_str() {
                Some("major") => Bump::Major,
                Some("minor") => Bump::Minor,
                Some("patch") => Bump::Patch,
                _ => {
                    return Err(err(
                        line,
                        format!("`{key}` must be major, minor or patch"),
                        "write one of: major, minor, patch".to_string(),
                    ))
                }
            };
            policy.overrides.insert(class.name, (bump, line));
        }
        Ok(policy)
    }
}

/// The 1-based line where `key:` is written (1 when not found: flow style).
fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            let l = l.trim_start().trim_start_matches(['"', '\'']);
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start_matches(['"', '\'']).trim_start().starts_with(':'))
        })
        .map_or(1, |i| i + 1)
}

fn line_offset(text: &str, line: usize) -> usize {
    text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum::<usize>().min(text.len())
}

/// A policy file agb cannot use.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{file}:{line}: {message}")]
#[diagnostic(code(agb::factory::bump::policy))]
pub struct PolicyError {
    pub file: String,
    pub line: usize,
    pub message: String,
    #[help]
    pub help: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("here")]
    pub span: SourceSpan,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides_say_who_decided() {
        let p = Policy::default();
        assert_eq!(p.level("provider_minimum_raised_same_major"), Bump::Minor);
        assert_eq!(p.decision("input_key_removed").source, "default");
        let p = Policy::parse(
            "# mine\ninput_key_added: patch\nprovider_minimum_raised_same_major: major\n",
            "p.yaml",
        )
        .unwrap();
        assert_eq!(p.level("input_key_added"), Bump::Patch);
        let d = p.decision("provider_minimum_raised_same_major");
        assert_eq!((d.bump, d.source.as_str()), (Bump::Major, "p.yaml:3"));
        assert_eq!(d.to_string(), "`provider_minimum_raised_same_major: major` (p.yaml:3)");
        assert_eq!(Policy::parse("", "p.yaml").unwrap().level("output_added"), Bump::Minor);
    }

    #[test]
    fn bad_policy_names_the_line() {
        let e = Policy::parse("output_added: minor\nouput_removed: patch\n", "p.yaml").unwrap_err();
        assert_eq!((e.line, e.message.as_str()), (2, "unknown change class `ouput_removed`"));
        let e = Policy::parse("output_added: minor\n\noutput_removed: sometimes\n", "p.yaml").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("major, minor or patch"), "{}", e.message);
        let e = Policy::parse("output_added: [\n", "p.yaml").unwrap_err();
        assert!(e.line >= 1, "{e}");
    }
}
