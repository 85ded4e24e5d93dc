//! The "lower than the suggested bump" warning of `agb publish` (SPEC §2.5 step 1): the planned
//! files are compared with the latest published version by `factory::compare`, whose bump rules
//! (`factory::bump`) say which bump the change calls for.
//!
//! A warning, never an error: the rules read HCL and cannot know every intent. When they cannot
//! run (a `.tf` file that does not parse, the latest version only in the catalog), the caller
//! gets the reason to show as a note instead.
//!
//! Not here: the version rules that are errors (exists, not newer), see `plan`.

use crate::factory::bump::{Bump, Decision, Reason};
use crate::factory::compare::{self, CompareError, PublishedFile};
use crate::factory::local_module::{FileContent, FileKind, LocalModuleError};
use crate::factory::{CacheError, Factory};

use super::tree::Content;
use super::Plan;

/// What the bump rules say about a plan.
#[derive(Debug)]
pub enum BumpCheck {
    /// Nothing to compare with (a new module, or a fix on an older line with --allow-older).
    NotApplicable,
    /// The version is at least the suggested one (None: the rules see no change that calls
    /// for a bump).
    Enough(Option<Suggested>),
    /// The version is lower than the suggested one.
    TooLow(Suggested),
    /// The rules could not run.
    Unknown(NoSuggestion),
}

/// The bump the rules suggest over the latest version, and their reasons for it.
#[derive(Debug, Clone)]
pub struct Suggested {
    pub bump: Bump,
    pub suggested: semver::Version,
    /// The latest version the bump applies to.
    pub over: semver::Version,
    /// The findings that call for this bump.
    pub reasons: Vec<Reason>,
    /// The entry of the factory's bump policy that set the level, when one did.
    pub decided_by: Option<Decision>,
}

impl Suggested {
    /// The pull request body's section about it.
    pub fn pr_section(&self) -> String {
        let policy = self.decided_by.as_ref().map(|d| format!(" (policy entry {d})")).unwrap_or_default();
        let mut s = format!(
            "## Suggested bump\n\n{} (v{}) over v{}{policy}:\n",
            self.bump, self.suggested, self.over
        );
        for r in &self.reasons {
            s.push_str(&format!("- {}\n", r.text));
        }
        s
    }
}

/// Why the bump rules could not run (shown as a note, never an error).
#[derive(Debug, thiserror::Error)]
pub enum NoSuggestion {
    #[error("v{latest} is listed in the catalog but has no folder")]
    NoFolder { latest: semver::Version },
    #[error(transparent)]
    Factory(Box<CacheError>),
    /// A planned symlink whose target cannot be read.
    #[error(transparent)]
    Link(LocalModuleError),
    #[error("{}: {source}", path.display())]
    Read { path: std::path::PathBuf, source: std::io::Error },
    #[error(transparent)]
    Compare(Box<CompareError>),
}

/// Compare the plan's version folder with the latest published version.
pub fn check(factory: &Factory, plan: &Plan, modules_path: &str) -> BumpCheck {
    match run_check(factory, plan, modules_path) {
        Ok(check) => check,
        Err(why) => BumpCheck::Unknown(why),
    }
}

fn run_check(factory: &Factory, plan: &Plan, modules_path: &str) -> Result<BumpCheck, NoSuggestion> {
    let Some(latest) = &plan.previous_latest else { return Ok(BumpCheck::NotApplicable) };
    if plan.version < *latest {
        return Ok(BumpCheck::NotApplicable);
    }
    let published = factory
        .version_files(&plan.module, latest)
        .map_err(|e| NoSuggestion::Factory(Box::new(e)))?
        .ok_or_else(|| NoSuggestion::NoFolder { latest: latest.clone() })?;
    let published: Vec<PublishedFile> = published
        .into_iter()
        .map(|f| PublishedFile { path: f.path, oid: f.oid, symlink: f.symlink, executable: f.executable })
        .collect();
    let local = planned_files(plan, modules_path)?;
    let hash = factory.repo().object_hash();
    let policy = compare::factory_policy(factory).map_err(|e| NoSuggestion::Compare(Box::new(e)))?;
    let comparison = compare::compare_with_policy(
        &local,
        Some(&published),
        hash,
        |oid| factory.read_blob(oid),
        false,
        &policy,
    )
    .map_err(|e| NoSuggestion::Compare(Box::new(e)))?;
    let bump = comparison.suggestion.bump;
    if bump == Bump::None {
        return Ok(BumpCheck::Enough(None));
    }
    let suggested = Suggested {
        bump,
        suggested: bump.apply(latest),
        over: latest.clone(),
        reasons: comparison.suggestion.reasons.into_iter().filter(|r| r.bump == bump).collect(),
        decided_by: comparison.suggestion.decided_by,
    };
    if plan.version < suggested.suggested {
        Ok(BumpCheck::TooLow(suggested))
    } else {
        Ok(BumpCheck::Enough(Some(suggested)))
    }
}

/// The files of the plan's version folder with their content, as git will store them.
fn planned_files(plan: &Plan, modules_path: &str) -> Result<Vec<FileContent>, NoSuggestion> {
    let prefix = format!("{modules_path}/{}/v{}/", plan.module, plan.version);
    let mut local = Vec::new();
    for e in &plan.entries {
        let Some(rel) = e.path.strip_prefix(&prefix) else { continue };
        let bytes = match &e.content {
            Content::Bytes(b) => b.clone(),
            Content::File(p) if e.kind == FileKind::Link => {
                crate::factory::local_module::link_target(p).map_err(NoSuggestion::Link)?
            }
            Content::File(p) => {
                std::fs::read(p).map_err(|source| NoSuggestion::Read { path: p.clone(), source })?
            }
        };
        local.push(FileContent {
            path: rel.to_string(),
            bytes,
            symlink: e.kind == FileKind::Link,
            executable: e.kind == FileKind::Executable,
        });
    }
    Ok(local)
}
