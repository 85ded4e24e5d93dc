//! The writing half of `agb adopt`: the source files, agb.yaml, then the manifest entries.
//!
//! The order keeps every interruption safe: with only the source written, the next build sees
//! project files it did not write and refuses to replace them (nothing lost); with agb.yaml
//! written too, the same; only the manifest makes agb the owner, and it comes last.

use super::{inside, output_path, AdoptError, AdoptPlan, SourceContent};
use crate::fsutil::{self, FsError};
use crate::manifest::{FileStat, Manifest, OutputEntry, OutputOrigin, SourceEntry};

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdoptOutcome {
    /// Source files written, relative to the source root.
    pub written: Vec<String>,
    pub config_updated: bool,
    /// Project files now recorded as agb's outputs, relative to the output root.
    pub recorded: Vec<String>,
}

/// Write what `plan` says (see the module doc for the order).
pub fn apply_adopt(plan: &AdoptPlan, config_path: &std::path::Path) -> Result<AdoptOutcome, AdoptError> {
    let mut outcome = AdoptOutcome::default();
    for r in &plan.resources {
        for w in &r.writes {
            let to = inside(&plan.source_root, &w.rel)?;
            match &w.content {
                SourceContent::Text(text) => fsutil::write_atomic(&to, text.as_bytes())?,
                SourceContent::Copy(from) => fsutil::copy_atomic(from, &to)?,
            }
            outcome.written.push(w.rel.clone());
        }
    }
    if let Some(text) = &plan.config_text {
        fsutil::write_atomic(config_path, text.as_bytes())?;
        outcome.config_updated = true;
    }
    let mut manifest = Manifest::load(&plan.output_root)?
        .unwrap_or_else(|| Manifest::new(plan.target, plan.source_root.clone()));
    for r in &plan.resources {
        for (rel, sources) in &r.outputs {
            let path = output_path(&plan.output_root, rel);
            let entry = OutputEntry {
                sha256: fsutil::sha256_file(&path)?,
                stat: stat(&path, FileStat::of)?,
                resource: OutputOrigin::Resource(r.id.clone()),
                sources: sources.iter().map(|s| source_entry(plan, s)).collect::<Result<_, AdoptError>>()?,
            };
            manifest.files.insert(rel.clone(), entry);
            outcome.recorded.push(rel.clone());
        }
    }
    // The no-change shortcut's record no longer describes the outputs: the next build takes
    // the full path.
    manifest.inputs = None;
    manifest.save(&plan.output_root)?;
    Ok(outcome)
}

fn source_entry(plan: &AdoptPlan, rel: &str) -> Result<SourceEntry, AdoptError> {
    let path = inside(&plan.source_root, rel)?;
    Ok(SourceEntry {
        path: rel.to_string(),
        sha256: fsutil::sha256_file(&path)?,
        stat: stat(&path, FileStat::of_source)?,
    })
}

/// The stat of a file that must exist (it was just read or written).
fn stat(
    path: &std::path::Path,
    of: fn(&std::path::Path) -> std::io::Result<Option<FileStat>>,
) -> Result<FileStat, AdoptError> {
    let missing = || std::io::Error::new(std::io::ErrorKind::NotFound, "not a regular file");
    of(path)
        .and_then(|s| s.ok_or_else(missing))
        .map_err(|source| FsError::Read { path: path.to_path_buf(), source }.into())
}
