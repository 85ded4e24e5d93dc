//! After a sync: rewrite a synced resource's main output in the formatting agb renders, so the
//! next `agb build --check` and `agb status` are clean (issue 3).
//!
//! A project edit may use formatting agb does not produce (a double-quoted TOML string, a
//! quoted or spaced YAML value). Sync carries its description and body into the source; a build
//! of the new source then renders the same description and body in agb's formatting, so without
//! this step the output would be "stale" right after a successful sync.
//!
//! Only the main output of a resource whose project edit sync applied (no conflict, no edit it
//! cannot carry) is rewritten, and only when the rendered text says exactly what the project
//! file says: same description and body ([`crate::targets::parse`]) and same metadata, value for
//! value. Anything else is left alone and reported, never overwritten. Rendering is the build's
//! own ([`crate::outputs::desired_outputs`]) from the source as sync left it on disk.
//!
//! Not here: Codex `config.toml` (agb edits a description there only when its value changes, so
//! a description written with other quoting stays as the user wrote it, and build accepts it).

// Diagnostics carry the text of the file at fault for their spans (see `source`).
#![allow(clippy::result_large_err)]

use std::path::Path;

use super::error::SyncError;
use super::plan::{Action, ResourceSync, SyncPlan, SyncState};
use crate::fsutil::{self, FsError};
use crate::names::{ResourceKind, Target};
use crate::outputs::io::resolve_output;
use crate::outputs::Desired;
use crate::source::{IndexEntry, LoadContext, Overrides, Resource, Selection};
use crate::targets::{self, OutputContent};

/// What normalising one resource did.
#[derive(Debug, PartialEq, Eq)]
pub enum Normalized {
    /// The output already is what agb renders (or the resource is not eligible).
    Nothing,
    /// The output (relative to the output root) was rewritten in agb's formatting.
    Rewritten(String),
    /// The output says something the new source does not (another metadata key was edited):
    /// left alone; `agb build` will overwrite it.
    Differs(String),
}

/// Whether sync may normalise `r`'s main output once its actions are applied: its main file's
/// description or body was carried into the source, without conflict (forced or not), and
/// nothing was reported as an edit sync cannot carry.
pub fn eligible(r: &ResourceSync) -> bool {
    r.state == SyncState::EditedInProject
        && r.conflicts.is_empty()
        && r.ignored_edits.is_empty()
        && r.actions.iter().any(|a| matches!(a, Action::WriteText { .. }))
}

/// Reload `resource` from the source as sync left it, render it with the build's code, and
/// rewrite its main output when only the formatting differs. `overrides` is the source's
/// `overrides.yaml` (loaded once per sync).
pub fn normalize_resource(
    plan: &SyncPlan,
    resource: &Resource,
    overrides: &Overrides,
) -> Result<Normalized, SyncError> {
    let layout = &plan.layout;
    let id = &resource.id;
    // The main output does not depend on the skill's extras: they are not listed again.
    let entry = IndexEntry {
        id: id.clone(),
        main_file: resource.main_file.clone(),
        sidecar: resource.sidecar.clone(),
        second_sidecar: None,
        skill_dir: None,
    };
    let excludes = crate::exclude::Excludes::none();
    let ctx = LoadContext {
        target: layout.target,
        overrides,
        excludes: &excludes,
        plugins_dir: &plan.plugins_dir,
        known_stats: None,
    };
    let reloaded = crate::source::load_resource(&entry, &ctx)
        .map_err(|e| SyncError::Normalize { resource: id.clone(), message: e.to_string() })?;
    let one = Selection {
        resources: vec![reloaded],
        global_instructions: None,
        source_root: layout.source_root.clone(),
        plugins_dir: plan.plugins_dir.clone(),
        overrides_file: None,
        excludes,
        target: layout.target,
    };
    let rendered = crate::outputs::desired_outputs(layout, &one)
        .map_err(|e| SyncError::Normalize { resource: id.clone(), message: e.to_string() })?;
    let main_rel = targets::main_output_rel(layout.target, id.kind, id.name.as_str());
    let Some(Desired { content: OutputContent::Text(new), .. }) =
        rendered.outputs.into_iter().find(|d| d.rel == main_rel)
    else {
        return Ok(Normalized::Nothing);
    };

    // Same safety rules as build: inside the output root (or codex's ../.agents/skills), no
    // symlink on the way, a regular file.
    let resolved = resolve_output(&layout.output_root, &main_rel)?;
    fsutil::ensure_no_symlink_escape(&resolved.root, &resolved.path)?;
    match std::fs::symlink_metadata(&resolved.path) {
        Ok(m) if m.is_file() => {}
        _ => return Ok(Normalized::Nothing),
    }
    let old = std::fs::read(&resolved.path)
        .map_err(|source| FsError::Read { path: resolved.path.clone(), source })?;
    if old == new.as_bytes() {
        return Ok(Normalized::Nothing);
    }
    let Ok(old) = String::from_utf8(old) else { return Ok(Normalized::Differs(main_rel)) };
    if !same_meaning(layout.target, id.kind, id.name.as_str(), &old, &new) {
        return Ok(Normalized::Differs(main_rel));
    }
    write_output(&resolved.root, &resolved.path, &new)?;
    Ok(Normalized::Rewritten(main_rel))
}

fn write_output(root: &Path, path: &Path, text: &str) -> Result<(), FsError> {
    // Checked again right before writing: nothing may have put a link there since.
    fsutil::ensure_no_symlink_escape(root, path)?;
    fsutil::write_atomic(path, text.as_bytes())
}

/// Whether two texts of one output say the same thing: the description and body sync reads
/// back are equal (the invariant this module must never break), and so is every metadata value
/// (TOML: every key but the body's; Markdown: the frontmatter mapping, key order included).
pub fn same_meaning(target: Target, kind: ResourceKind, name: &str, old: &str, new: &str) -> bool {
    // A Codex agent's description is in config.toml, which is not rewritten: comparing the
    // bodies (description None on both sides) is what matters for its TOML file.
    let parsed = |t: &str| targets::parse(target, kind, name, t, None).ok();
    match (parsed(old), parsed(new)) {
        (Some(a), Some(b)) if a == b => {}
        _ => return false,
    }
    let toml_file = matches!(
        (target, kind),
        (Target::GeminiCli, ResourceKind::Command) | (Target::Codex, ResourceKind::Agent)
    );
    if toml_file {
        // The body key is compared through the parse above (gemini reads `$ARGUMENTS` and
        // `{{args}}` as the same body), every other key value for value.
        let table = |t: &str| {
            t.parse::<toml::Table>().ok().map(|mut table| {
                table.remove("prompt");
                table.remove("developer_instructions");
                table
            })
        };
        matches!((table(old), table(new)), (Some(a), Some(b)) if a == b)
    } else {
        let doc = |t: &str| {
            targets::markdown::parse_document("", t)
                .ok()
                .map(|(meta, body)| (meta.into_iter().collect::<Vec<_>>(), body.to_string()))
        };
        matches!((doc(old), doc(new)), (Some(a), Some(b)) if a == b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_quoting_is_formatting_but_another_value_is_not() {
        let agb = "description = 'Search'\nmodel = 'm'\nprompt = '''\nFind {{args}}\n'''\n";
        let quoted = "description = \"Search\"\nmodel = \"m\"\nprompt = \"\"\"\nFind {{args}}\n\"\"\"\n";
        assert!(same_meaning(Target::GeminiCli, ResourceKind::Command, "c", quoted, agb));
        let other_model = quoted.replace("\"m\"", "\"n\"");
        assert!(!same_meaning(Target::GeminiCli, ResourceKind::Command, "c", &other_model, agb));
        let args = quoted.replace("{{args}}", "$ARGUMENTS");
        assert!(same_meaning(Target::GeminiCli, ResourceKind::Command, "c", &args, agb));
        let other_desc = quoted.replace("Search", "Find");
        assert!(!same_meaning(Target::GeminiCli, ResourceKind::Command, "c", &other_desc, agb));
    }

    #[test]
    fn markdown_quoting_is_formatting_but_order_and_body_are_not() {
        let agb = "---\ndescription: Review docs\nmodel: m\n---\nBody\n";
        let quoted = "---\ndescription:   \"Review docs\"\nmodel: 'm'\n---\nBody\n";
        assert!(same_meaning(Target::ClaudeCode, ResourceKind::Command, "c", quoted, agb));
        let reordered = "---\nmodel: m\ndescription: Review docs\n---\nBody\n";
        assert!(!same_meaning(Target::ClaudeCode, ResourceKind::Command, "c", reordered, agb));
        let body = quoted.replace("Body", "Body!");
        assert!(!same_meaning(Target::ClaudeCode, ResourceKind::Command, "c", &body, agb));
    }

    #[test]
    fn unparsable_text_is_never_the_same() {
        assert!(!same_meaning(Target::GeminiCli, ResourceKind::Command, "c", "prompt = ", "prompt = ''"));
        assert!(!same_meaning(Target::Opencode, ResourceKind::Agent, "a", "---\n: [\n---\n", "---\n---\n"));
    }
}
