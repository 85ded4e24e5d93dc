//! The suggested semver bump between two versions of a Terraform module (SPEC §2.4).
//!
//! Both sides are parsed as HCL (`hcl-edit`) into a [`ModuleModel`]: per module directory (the
//! root and every submodule), its variables, outputs, resources, module calls, `moved` blocks,
//! `required_version` and provider constraints. [`suggest`] compares two models and returns the
//! bump with one reason per finding. Pure: callers read the files (from disk or from git blobs)
//! and pass their text in.
//!
//! Not here: which files differ (that is `compare`), reading git, printing.
//!
//! Directories named `examples`, `example`, `test`, `tests`, `codelabs`, `samples` (at any depth) and hidden
//! directories are not part of a module's interface: they are configurations *calling* the module,
//! so a change there is at most a patch.
//!
//! The parts: [`hcl`] reads `.tf` text into a [`ModuleModel`]; [`interface`] finds the keys a
//! directory reads from its `any` variables (the implicit interface); [`constraints`] orders
//! version constraints by strictness; [`rules`] compares two models finding by finding, with
//! [`addresses`] for instance keys and child module dependencies; [`policy`] gives each class of
//! finding its level (the defaults, or the factory's `.agb/bump-policy.yaml`).

use std::fmt;

use miette::{NamedSource, SourceSpan};

pub mod addresses;
pub mod constraints;
pub mod hcl;
pub mod interface;
pub mod policy;
pub mod rules;

pub use constraints::{Constraint, ConstraintChange};
pub use hcl::{
    is_outside_interface, normalize_hcl, parse_hcl, parse_module, DirModel, Loc, ModuleModel, Variable,
};
pub use policy::{Decision, Policy, PolicyError, POLICY_FILE};
pub use rules::{suggest, suggest_with};

/// A semver bump, ordered from none to major.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }

    /// The version after this bump (pre-release and build metadata dropped). A major bump of a
    /// 0.x version is still a major bump: agb does not apply the 0.x convention, the factory's
    /// consumers pin versions explicitly.
    pub fn apply(self, v: &semver::Version) -> semver::Version {
        match self {
            Bump::None => v.clone(),
            Bump::Patch if !v.pre.is_empty() => semver::Version::new(v.major, v.minor, v.patch),
            Bump::Patch => semver::Version::new(v.major, v.minor, v.patch + 1),
            Bump::Minor => semver::Version::new(v.major, v.minor + 1, 0),
            Bump::Major => semver::Version::new(v.major + 1, 0, 0),
        }
    }
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding, with the bump it calls for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub bump: Bump,
    pub text: String,
    /// The policy class (`policy::CLASSES`) that gave the level.
    pub rule: &'static str,
    /// Where in the `.tf` files, when known.
    pub loc: Option<Loc>,
    /// `loc` is in the old (published) version: the thing is gone from the new one.
    pub in_old: bool,
}

impl Reason {
    /// A finding without a place.
    pub fn new(bump: Bump, rule: &'static str, text: String) -> Reason {
        Reason { bump, text, rule, loc: None, in_old: false }
    }
}

/// The bump and why: reasons sorted from the strongest to the weakest, each finding once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub bump: Bump,
    pub reasons: Vec<Reason>,
    /// The policy entry that gave the bump (the strongest reason's class).
    pub decided_by: Option<Decision>,
    /// The text of the files the reasons point at: (in the old version, path, text).
    pub sources: Vec<(bool, String, std::sync::Arc<str>)>,
}

/// Errors of the bump analysis: a `.tf` file that is not HCL, or not text.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum BumpError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    InvalidHcl(Box<InvalidHcl>),
    #[error("{file} is not UTF-8 text")]
    #[diagnostic(
        code(agb::factory::bump::not_utf8),
        help("Terraform files must be UTF-8; re-save the file as UTF-8")
    )]
    NotUtf8 { file: String },
}

/// A `.tf` file that does not parse, with the place (boxed in [`BumpError`]: it carries the text).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{file}:{line}:{column}: not valid HCL: {message}")]
#[diagnostic(
    code(agb::factory::bump::invalid_hcl),
    help("fix the syntax at that place (`terraform validate` reports it too): agb cannot read the module's interface from a file it cannot parse")
)]
pub struct InvalidHcl {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("here")]
    pub span: SourceSpan,
}

#[cfg(test)]
mod tests;
