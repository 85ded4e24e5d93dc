//! Rewriting the lines of the `description` entry (replace, insert or remove) and rendering its
//! new value in the least surprising YAML style.
//!
//! Not here: finding the entries (`scan`), the scalar quoting rules (`quote`), checking the
//! result (`verify`).

use super::scan::{indent_of, is_blank, is_comment, scan_entries, split_lines, Entry, Line, Style};
use super::{InsertAt, PatchError};
use crate::text::yaml_scalar::{
    double_quoted_short_escapes as double_quoted, is_block_printable as block_printable, needs_quotes,
    plain_or_double_quoted as yaml_key, single_quotable, single_quoted,
};

/// Replace (or insert, or remove) the description in a YAML mapping text. With `section`, the
/// description lives in the nested mapping under that top-level key (sidecar target sections).
// Long on purpose: one walk over the frontmatter's lines that keeps every byte it does not
// change; the cases (plain, quoted, block, missing key) share the line cursor.
pub(super) fn patch_mapping_text(
    yaml: &str,
    section: Option<&str>,
    new: Option<&str>,
    at: InsertAt<'_>,
    eol: &str,
    force_double: bool,
) -> Result<String, PatchError> {
    if yaml.replace("\r\n", "").contains('\r') {
        // YAML reads a lone CR as a line break; the line patcher does not.
        return Err(PatchError::Unsupported { reason: "a carriage return without a line feed".into() });
    }
    let lines = split_lines(yaml);
    let top_indent =
        lines.iter().find(|l| !is_blank(l.text) && !is_comment(l.text)).map_or(0, |l| indent_of(l.text));
    let top = scan_entries(&lines, 0, lines.len(), top_indent)?;

    // The region (lines lo..hi at indent n) of the mapping that holds the description.
    let (lo, hi, n, region_entries): (usize, usize, usize, Vec<Entry>) = match section {
        None => (0, lines.len(), top_indent, top),
        Some(name) => match top.iter().find(|e| e.key == name) {
            Some(sec) => {
                if sec.style != Style::Empty {
                    return Err(PatchError::Unsupported {
                        reason: format!("the `{name}:` section is not written as an indented block"),
                    });
                }
                let lo = sec.line + 1;
                let hi = sec.end;
                let child = lines[lo..hi]
                    .iter()
                    .find(|l| !is_blank(l.text) && !is_comment(l.text))
                    .map_or(top_indent + 2, |l| indent_of(l.text));
                if child <= top_indent {
                    return Err(PatchError::Unsupported {
                        reason: format!("the `{name}:` section is not an indented mapping"),
                    });
                }
                (lo, hi, child, scan_entries(&lines, lo, hi, child)?)
            }
            None => {
                let Some(new) = new else { return Ok(yaml.to_string()) };
                return Ok(append_section(&lines, &top, top_indent, name, new, eol, force_double));
            }
        },
    };

    match region_entries.iter().find(|e| e.key == "description") {
        Some(e) => {
            let text = match new {
                None => String::new(),
                Some(v) => render_entry(
                    &e.prefix,
                    n,
                    v,
                    e.style,
                    e.comment.as_deref(),
                    eol,
                    force_double,
                    next_is_blank(&lines, e.end),
                ),
            };
            Ok(splice(&lines, e.line, e.end, &text, eol))
        }
        None => {
            let Some(v) = new else { return Ok(yaml.to_string()) };
            let end_pos = region_entries.last().map_or(hi.max(lo), |e| e.end);
            let pos = match at {
                InsertAt::Start => region_entries.first().map_or(end_pos, |e| e.line),
                InsertAt::After(k) => region_entries.iter().find(|e| e.key == k).map_or(end_pos, |e| e.end),
                InsertAt::End => end_pos,
            };
            let prefix = format!("{}description:", " ".repeat(n));
            let text = render_entry(
                &prefix,
                n,
                v,
                Style::Empty,
                None,
                eol,
                force_double,
                next_is_blank(&lines, pos),
            );
            Ok(splice(&lines, pos, pos, &text, eol))
        }
    }
}

/// Append a `name:` section holding only the description after the last top-level key.
fn append_section(
    lines: &[Line<'_>],
    top: &[Entry],
    top_indent: usize,
    name: &str,
    new: &str,
    eol: &str,
    force_double: bool,
) -> String {
    let pos = top.last().map_or(lines.len(), |e| e.end);
    let pad = " ".repeat(top_indent);
    let mut text = format!("{pad}{}:{eol}", yaml_key(name));
    let entry_prefix = format!("{pad}  description:");
    text.push_str(&render_entry(
        &entry_prefix,
        top_indent + 2,
        new,
        Style::Empty,
        None,
        eol,
        force_double,
        next_is_blank(lines, pos),
    ));
    splice(lines, pos, pos, &text, eol)
}

fn next_is_blank(lines: &[Line<'_>], pos: usize) -> bool {
    lines.get(pos).is_some_and(|l| is_blank(l.text))
}

/// `lines[..start]` + `text` + `lines[end..]`, making sure the line before `text` is ended.
fn splice(lines: &[Line<'_>], start: usize, end: usize, text: &str, eol: &str) -> String {
    let mut out = String::new();
    for (idx, l) in lines[..start].iter().enumerate() {
        out.push_str(l.text);
        if l.eol.is_empty() && idx + 1 == start && !text.is_empty() {
            out.push_str(eol);
        } else {
            out.push_str(l.eol);
        }
    }
    out.push_str(text);
    for l in &lines[end..] {
        out.push_str(l.text);
        out.push_str(l.eol);
    }
    out
}

/// The lines of `prefix value` (with `prefix` ending in `:`), each ended by `eol`.
#[allow(clippy::too_many_arguments)]
pub(super) fn render_entry(
    prefix: &str,
    n: usize,
    v: &str,
    previous: Style,
    comment: Option<&str>,
    eol: &str,
    force_double: bool,
    next_blank: bool,
) -> String {
    let comment = comment.map(|c| format!(" {c}")).unwrap_or_default();
    if force_double {
        return format!("{prefix} {}{comment}{eol}", double_quoted(v));
    }
    if v.contains('\n') {
        if let Some(block) = literal_block(prefix, n, v, &comment, eol, next_blank) {
            return block;
        }
        return format!("{prefix} {}{comment}{eol}", double_quoted(v));
    }
    let scalar = if previous == Style::Double {
        double_quoted(v)
    } else if previous == Style::Single && single_quotable(v) {
        single_quoted(v)
    } else if !needs_quotes(v) {
        v.to_string()
    } else if single_quotable(v) {
        single_quoted(v)
    } else {
        double_quoted(v)
    };
    format!("{prefix} {scalar}{comment}{eol}")
}

/// `v` as a literal block scalar, or `None` when a block cannot hold it exactly.
fn literal_block(
    prefix: &str,
    n: usize,
    v: &str,
    comment: &str,
    eol: &str,
    next_blank: bool,
) -> Option<String> {
    if !v.chars().all(|c| c == '\n' || (c != '\r' && block_printable(c))) {
        return None;
    }
    let content = v.trim_end_matches('\n');
    let trailing = v.len() - content.len();
    if content.trim_matches([' ', '\t', '\n']).is_empty() {
        return None;
    }
    let chomp = match trailing {
        0 => "-",
        1 => "",
        _ => {
            // `|+` keeps every following empty line, so a blank line after the entry would
            // become part of the value.
            if next_blank {
                return None;
            }
            "+"
        }
    };
    let first = content.split('\n').next().unwrap_or("");
    let indicator = if first.is_empty() || first.starts_with([' ', '\t']) { "2" } else { "" };
    let pad = " ".repeat(n + 2);
    let mut out = format!("{prefix} |{indicator}{chomp}{comment}{eol}");
    for line in content.split('\n') {
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
        out.push_str(eol);
    }
    for _ in 1..trailing.max(1) {
        out.push_str(eol);
    }
    Some(out)
}
