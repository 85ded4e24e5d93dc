//! The "lower than the suggested bump" warning of `agb publish` (SPEC §2.5 step 1): the planned
//! files are compared with the latest published version by `factory::compare`, whose bump rules
//! (`factory::bump`) say which bump the change calls for.
//!
//! A warning, never an error: the rules read HCL and cannot know every intent. When they cannot
//! run (a `.tf` file that does not parse, the latest version only in the catalog), the caller
//! gets the reason to show as a note instead.
//!
//! Not here: the version rules that are errors (exists, not newer), see `plan`.

use crate::factory::bump::Bump;
use crate::factory::compare::{self, LocalFile, PublishedFile};
use crate::factory::Factory;

use super::files::FileKind;
use super::tree::Content;
use super::Plan;

/// What the bump rules say about a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BumpCheck {
    /// Nothing to compare with (a new module, or a fix on an older line with --allow-older).
    NotApplicable,
    /// The version is at least the suggested one.
    Enough,
    /// The version is lower than the suggested one.
    TooLow { bump: Bump, suggested: semver::Version, reasons: Vec<String> },
    /// The rules could not run; the reason.
    Unknown(String),
}

/// Compare the plan's version folder with the latest published version.
pub fn check(factory: &Factory, plan: &Plan, modules_path: &str) -> BumpCheck {
    let Some(latest) = &plan.previous_latest else { return BumpCheck::NotApplicable };
    if plan.version < *latest {
        return BumpCheck::NotApplicable;
    }
    let published = match factory.version_files(&plan.module, latest) {
        Ok(Some(files)) => files,
        Ok(None) => {
            return BumpCheck::Unknown(format!("v{latest} is listed in the catalog but has no folder"))
        }
        Err(e) => return BumpCheck::Unknown(e.to_string()),
    };
    let published: Vec<PublishedFile> = published
        .into_iter()
        .map(|f| PublishedFile { path: f.path, oid: f.oid, symlink: f.symlink })
        .collect();
    let prefix = format!("{modules_path}/{}/v{}/", plan.module, plan.version);
    let mut local = Vec::new();
    for e in &plan.entries {
        let Some(rel) = e.path.strip_prefix(&prefix) else { continue };
        let bytes = match &e.content {
            Content::Bytes(b) => b.clone(),
            Content::File(p) if e.kind == FileKind::Link => match super::files::link_target(p) {
                Ok(t) => t,
                Err(err) => return BumpCheck::Unknown(err.to_string()),
            },
            Content::File(p) => match std::fs::read(p) {
                Ok(b) => b,
                Err(err) => return BumpCheck::Unknown(format!("{}: {err}", p.display())),
            },
        };
        local.push(LocalFile { path: rel.to_string(), bytes, symlink: e.kind == FileKind::Link });
    }
    let hash = factory.repo().object_hash();
    let comparison =
        match compare::compare(&local, Some(&published), hash, |oid| factory.read_blob(oid), false) {
            Ok(c) => c,
            Err(e) => return BumpCheck::Unknown(e.to_string()),
        };
    let bump = comparison.suggestion.bump;
    let suggested = bump.apply(latest);
    if bump != Bump::None && plan.version < suggested {
        BumpCheck::TooLow {
            bump,
            suggested,
            reasons: comparison
                .suggestion
                .reasons
                .iter()
                .filter(|r| r.bump == bump)
                .map(|r| r.text.clone())
                .collect(),
        }
    } else {
        BumpCheck::Enough
    }
}
