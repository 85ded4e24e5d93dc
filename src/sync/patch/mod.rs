//! The line-level description patcher (SPEC §1.7 step 4).
//!
//! Given the full text of a source `.md` file (or of a sidecar `.yaml`) and a new description,
//! return the new text where only the `description` value changed: comments, key order, blank
//! lines, the quoting of every other key, the body and the line endings survive byte for byte.
//!
//! How: the YAML is cut into lines and the top-level mapping entries are found by indentation
//! (a key line at the mapping's indent, everything more indented — or a `- ` item at the same
//! indent — belongs to it). Only the lines of the `description` entry are replaced; a missing
//! one is inserted. The new value is written in the least surprising style that is valid YAML:
//! the existing quoting when it can hold the value, else plain, single-quoted or double-quoted;
//! a multi-line value becomes a `|` block with the chomping indicator (`|-`, `|`, `|+`) and, when
//! its first line starts with whitespace, an indentation indicator.
//!
//! Then the result is re-parsed and checked: it must parse, the description must equal the new
//! value, every other key (and the body) must be unchanged. If the preferred style fails that
//! check the value is retried as a double-quoted scalar (which can hold any string); if that also
//! fails the patch is an error and nothing is written.
//!
//! Not here: deciding whether a description must be patched (the sync plan) or writing files.

use serde_yaml::{Mapping, Value};

use crate::source::frontmatter::{parse_yaml_mapping, split, SplitError};

mod edit;
mod scan;
mod verify;

use edit::{patch_mapping_text, render_entry};
use scan::{detect_eol, offset_in, Style};
use verify::{verify_frontmatter, verify_sidecar};

/// Where a description that does not exist yet is inserted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InsertAt<'a> {
    /// Before the first key of the mapping (after leading comments).
    Start,
    /// Right after the entry of this key; at the end when the key is not there.
    After(&'a str),
    /// After the last key of the mapping.
    End,
}

/// Why a description could not be patched. Nothing is written when this happens.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum PatchError {
    #[error("the frontmatter starts with `---` but has no closing `---` line")]
    #[diagnostic(
        code(agb::sync::patch::unclosed),
        help("add a line that is exactly `---` after the frontmatter")
    )]
    Unclosed,
    #[error("the YAML is not valid (line {line}): {message}")]
    #[diagnostic(
        code(agb::sync::patch::invalid_yaml),
        help("fix the YAML in the source file, then sync again")
    )]
    InvalidYaml { line: usize, message: String },
    #[error("the YAML is not a mapping of keys to values")]
    #[diagnostic(
        code(agb::sync::patch::not_mapping),
        help("the frontmatter (or sidecar) must be `key: value` lines")
    )]
    NotMapping,
    #[error("cannot patch the description line by line: {reason}")]
    #[diagnostic(
        code(agb::sync::patch::unsupported),
        help("write the description as a plain `description: ...` line in the source file, then sync again")
    )]
    Unsupported { reason: String },
    #[error("the patched text would not keep the metadata intact ({reason}); nothing was written")]
    #[diagnostic(
        code(agb::sync::patch::verify),
        help(
            "edit the description in the source file by hand; agb refuses to write a change it cannot verify"
        )
    )]
    Verify { reason: String },
}

/// Patch the `description` of a Markdown resource file (frontmatter + body).
///
/// `new: None` removes the description. A file without frontmatter gets one (only when there is
/// a description to write). The body is never touched.
pub fn patch_frontmatter_description(
    text: &str,
    new: Option<&str>,
    at: InsertAt<'_>,
) -> Result<String, PatchError> {
    let eol = detect_eol(text);
    let parts = split(text).map_err(|SplitError::Unclosed| PatchError::Unclosed)?;
    let old_map = match parts.yaml {
        Some(yaml) => parse_mapping(yaml, parts.yaml_first_line)?,
        None => Mapping::new(),
    };
    if already(old_map.get("description"), new) {
        return Ok(text.to_string());
    }
    let mut last_err = None;
    for force_double in [false, true] {
        let candidate = match parts.yaml {
            None => {
                let Some(new) = new else { return Ok(text.to_string()) };
                let entry =
                    render_entry("description:", 0, new, Style::Empty, None, eol, force_double, false);
                format!("---{eol}{entry}---{eol}{text}")
            }
            Some(yaml) => {
                let start = offset_in(text, yaml);
                let patched = patch_mapping_text(yaml, None, new, at, eol, force_double)?;
                let mut out = String::with_capacity(text.len() + 64);
                out.push_str(&text[..start]);
                out.push_str(&patched);
                out.push_str(&text[start + yaml.len()..]);
                out
            }
        };
        match verify_frontmatter(&old_map, parts.body, &candidate, new) {
            Ok(()) => return Ok(candidate),
            Err(e) => last_err = Some(e),
        }
    }
    Err(last_err.expect("the loop ran at least once and only falls through after an error"))
}

/// Patch the `description` inside the `target:` section of a sidecar YAML file
/// (`<name>.yaml` / `SKILL.yaml`), creating the section or the key when missing.
pub fn patch_sidecar_description(
    yaml: &str,
    target: &str,
    new: Option<&str>,
    at: InsertAt<'_>,
) -> Result<String, PatchError> {
    let eol = detect_eol(yaml);
    let old = parse_mapping(yaml, 1)?;
    let current = match old.get(target) {
        Some(Value::Mapping(m)) => m.get("description"),
        _ => None,
    };
    if already(current, new) {
        return Ok(yaml.to_string());
    }
    let mut last_err = None;
    for force_double in [false, true] {
        let candidate = patch_mapping_text(yaml, Some(target), new, at, eol, force_double)?;
        match verify_sidecar(&old, &candidate, target, new) {
            Ok(()) => return Ok(candidate),
            Err(e) => last_err = Some(e),
        }
    }
    Err(last_err.expect("the loop ran at least once and only falls through after an error"))
}

/// Whether the current `description` value already is `new` (a no-op patch writes nothing).
fn already(current: Option<&Value>, new: Option<&str>) -> bool {
    match (current, new) {
        (None, None) => true,
        (Some(Value::String(s)), Some(n)) => s == n,
        _ => false,
    }
}

/// Parse YAML text that must be a mapping (empty or comment-only text is an empty mapping).
/// `first_line` is the 1-based line of the text in its file, for error messages.
pub fn parse_mapping(yaml: &str, first_line: usize) -> Result<Mapping, PatchError> {
    // The same parser that loads sources: what the verification accepts, a build accepts.
    parse_yaml_mapping(yaml).map_err(|e| {
        if e.not_mapping {
            PatchError::NotMapping
        } else {
            PatchError::InvalidYaml { line: e.line + first_line - 1, message: e.message }
        }
    })
}

#[cfg(test)]
mod tests;
