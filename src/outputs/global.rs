//! The project's global instructions file (`../AGENTS.md`, `../GEMINI.md`, issue 10): the one
//! output that lies in the project root, where the agents read it, and that two output roots of
//! one project may both write (OpenCode and Codex both read `AGENTS.md`).
//!
//! The rule, on top of the ordinary plan (SPEC §1.6):
//! - **Shared when equal.** A root finding the file with exactly the bytes it would write adopts
//!   it (as any identical output); both manifests then record it.
//! - **An error naming both when different.** When another output root of the project (a
//!   sibling directory with `.agb/manifest.json`) records the file, this build may not
//!   overwrite it with other bytes (nor take it over when edited): the build stops naming both
//!   roots. It never removes it either: deselecting the global file in one root only forgets it.
//! - **Never the user's.** A file no manifest records and that differs from what agb would
//!   write was written by hand: refused, even with `--force` (it is the project's own file).
//!
//! Not here: where the file goes (`targets::global_file`, `Layout::global_rel`), the ordinary
//! edit protection (`plan`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::plan::{ConflictReason, OnDisk, Plan};
use super::{BuildError, Layout};
use crate::manifest::Manifest;

/// Apply the rule above to `plan` for the layout's project global file (nothing to do when it
/// lives in the output root). Reads sibling manifests only when the plan touches the file.
pub(super) fn check_project_global(
    layout: &Layout,
    plan: &mut Plan,
    disk: &HashMap<String, OnDisk>,
    previous: Option<&Manifest>,
) -> Result<(), BuildError> {
    let rel = layout.global_rel();
    if !rel.starts_with("../") {
        return Ok(());
    }
    let conflict = plan.conflicts.iter().find(|c| c.rel == rel).map(|c| c.reason);
    let current_sha = match disk.get(&rel) {
        Some(OnDisk::File { sha256, .. }) => Some(sha256.clone()),
        Some(OnDisk::AsBuilt) => previous.and_then(|m| m.files.get(&rel)).map(|e| e.sha256.clone()),
        _ => None,
    };
    let changes_bytes = plan.writes.iter().any(|w| {
        w.output.rel == rel && current_sha.is_some() && w.output.sha256.as_deref() != current_sha.as_deref()
    });
    let removes = plan.removals.contains(&rel);
    if conflict.is_none() && !changes_bytes && !removes {
        return Ok(());
    }
    let project = layout.output_root.parent().unwrap_or(&layout.output_root);
    let path = project.join(rel.trim_start_matches("../"));
    let other = other_root_recording(&layout.output_root, &rel);
    match other {
        Some(_) if conflict == Some(ConflictReason::EditedAndDeselected) || removes => {
            // The other root still records it: forget it here, never remove it.
            plan.conflicts.retain(|c| c.rel != rel);
            plan.removals.retain(|r| *r != rel);
            plan.forgotten.push(rel);
            Ok(())
        }
        Some(other) => Err(BuildError::SharedGlobalDiffers {
            path: path.clone(),
            this: layout.output_root.clone(),
            other,
        }),
        None if conflict == Some(ConflictReason::NotWrittenByAgb) => {
            Err(BuildError::HandWrittenGlobal { path, source_root: layout.source_root.clone() })
        }
        None => Ok(()),
    }
}

/// Another output root of the project (a sibling of `output_root`) whose manifest records
/// `rel` (the same project file, seen from that root).
fn other_root_recording(output_root: &Path, rel: &str) -> Option<PathBuf> {
    let project = output_root.parent()?;
    let own = output_root.file_name();
    let mut roots: Vec<PathBuf> = std::fs::read_dir(project)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| Some(e.file_name().as_os_str()) != own)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    roots.sort();
    roots.into_iter().find(|root| matches!(Manifest::load(root), Ok(Some(m)) if m.files.contains_key(rel)))
}
