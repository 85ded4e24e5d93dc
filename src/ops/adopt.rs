//! Adopt files a user wrote in an agent's own format into the source (issue 11): plan, then
//! — unless only showing the plan — apply.
//!
//! Not here: finding, converting and writing (`adopt`), printing (`cli::adopt`).

// Diagnostics carry the text of the file at fault for their spans (see `source`).
#![allow(clippy::result_large_err)]

use std::path::PathBuf;

use crate::adopt::{apply_adopt, plan_adopt, AdoptOptions, AdoptOutcome, AdoptPlan};
use crate::config::Config;

use super::{Mode, OpsError};

/// What an adoption planned, and (unless a dry run) wrote.
#[derive(Debug)]
pub struct AdoptReport {
    pub plan: AdoptPlan,
    /// `None` for [`Mode::DryRun`] / [`Mode::Check`].
    pub outcome: Option<AdoptOutcome>,
}

/// Adopt `paths` into `options.plugin` of `config`'s source. Every refusal happens before
/// anything is written.
pub fn adopt_files(
    config: &Config,
    paths: &[PathBuf],
    options: &AdoptOptions,
    mode: Mode,
) -> Result<AdoptReport, OpsError> {
    // An output root inside the source (or the reverse) would have adopt write into what it reads.
    super::check_roots(&crate::outputs::Layout::of(config))?;
    let plan = plan_adopt(config, paths, options)?;
    let outcome = match mode {
        Mode::Apply => Some(apply_adopt(&plan, &config.path)?),
        Mode::DryRun | Mode::Check => None,
    };
    Ok(AdoptReport { plan, outcome })
}
