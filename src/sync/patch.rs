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

// ---------------------------------------------------------------------------------------------
// Lines and entries

#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    text: &'a str,
    eol: &'a str,
}

fn split_lines(s: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        match rest.find('\n') {
            Some(i) => {
                let (line, r) = rest.split_at(i + 1);
                let (text, eol) = match line.strip_suffix("\r\n") {
                    Some(t) => (t, "\r\n"),
                    None => (&line[..line.len() - 1], "\n"),
                };
                out.push(Line { text, eol });
                rest = r;
            }
            None => {
                out.push(Line { text: rest, eol: "" });
                rest = "";
            }
        }
    }
    out
}

fn detect_eol(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Byte offset of `inner` (a sub-slice) in `outer`.
fn offset_in(outer: &str, inner: &str) -> usize {
    inner.as_ptr() as usize - outer.as_ptr() as usize
}

fn indent_of(text: &str) -> usize {
    text.len() - text.trim_start_matches(' ').len()
}

fn is_blank(text: &str) -> bool {
    text.trim_matches([' ', '\t']).is_empty()
}

fn is_comment(text: &str) -> bool {
    text.trim_start_matches([' ', '\t']).starts_with('#')
}

/// How an existing value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Nothing after the colon (the value is on the following lines, or null).
    Empty,
    Plain,
    Single,
    Double,
    Block,
    /// Flow collections, anchors, tags, aliases.
    Other,
}

/// One `key: value` entry of a block mapping.
#[derive(Debug, Clone)]
struct Entry {
    key: String,
    /// Index of the key line.
    line: usize,
    /// One past the last line of the value (trailing blank and comment lines excluded).
    end: usize,
    /// The key line up to and including the `:` (indentation and the key's own quoting kept).
    prefix: String,
    style: Style,
    /// The comment at the end of the value (`# ...`), kept when the value is replaced.
    comment: Option<String>,
}

/// The entries of the block mapping at indent `n` in `lines[lo..hi]`.
fn scan_entries(lines: &[Line<'_>], lo: usize, hi: usize, n: usize) -> Result<Vec<Entry>, PatchError> {
    let unsupported =
        |i: usize, why: &str| PatchError::Unsupported { reason: format!("line {}: {why}", i + 1) };
    let mut entries: Vec<Entry> = Vec::new();
    // One past the last line more indented than the key, comment-like lines included: a nested
    // block scalar may end with a line that looks like a comment.
    let mut raw_ends: Vec<usize> = Vec::new();
    let mut i = lo;
    while i < hi {
        let t = lines[i].text;
        if is_blank(t) {
            i += 1;
            continue;
        }
        let ind = indent_of(t);
        if is_comment(t) {
            // Inside a block scalar a `#` line is content, not a comment.
            if let (Some(e), Some(raw)) = (entries.last_mut(), raw_ends.last_mut()) {
                if ind > n {
                    *raw = i + 1;
                    if e.style == Style::Block {
                        e.end = i + 1;
                    }
                }
            }
            i += 1;
            continue;
        }
        if ind < n {
            return Err(unsupported(i, "unexpected indentation"));
        }
        let rest = &t[ind..];
        if ind > n || rest == "-" || rest.starts_with("- ") || rest.starts_with("-\t") {
            match (entries.last_mut(), raw_ends.last_mut()) {
                (Some(e), Some(raw)) => {
                    e.end = i + 1;
                    *raw = i + 1;
                }
                _ => return Err(unsupported(i, "an indented line before the first key")),
            }
            i += 1;
            continue;
        }
        let Some((key, after_colon)) = parse_key(rest) else {
            return Err(unsupported(i, "not a `key: value` line"));
        };
        let prefix = t[..ind + after_colon].to_string();
        let value = rest[after_colon..].trim_start_matches([' ', '\t']);
        let value_col = t.len() - value.len();
        let mut entry = Entry { key, line: i, end: i + 1, prefix, style: Style::Plain, comment: None };
        match value.chars().next() {
            None => entry.style = Style::Empty,
            Some('#') => {
                entry.style = Style::Empty;
                entry.comment = Some(value.trim_end().to_string());
            }
            Some(q @ ('"' | '\'')) => {
                entry.style = if q == '"' { Style::Double } else { Style::Single };
                let Some((end_line, after)) = find_closing_quote(lines, i, value_col + 1, hi, q) else {
                    return Err(unsupported(i, "a quoted value without its closing quote"));
                };
                entry.end = end_line + 1;
                entry.comment = trailing_comment(&lines[end_line].text[after..]);
                i = end_line + 1;
                entries.push(entry);
                raw_ends.push(i);
                continue;
            }
            Some('|' | '>') => {
                entry.style = Style::Block;
                let header_rest =
                    value[1..].trim_start_matches(|c: char| c.is_ascii_digit() || c == '+' || c == '-');
                entry.comment = trailing_comment(header_rest);
            }
            Some('[' | '{' | '&' | '*' | '!') => entry.style = Style::Other,
            Some(_) => {
                entry.style = Style::Plain;
                entry.comment = plain_comment(value);
            }
        }
        entries.push(entry);
        raw_ends.push(i + 1);
        i += 1;
    }
    // A nested mapping ends where its own last entry ends (which may be a block scalar whose
    // last lines look like comments).
    for (e, raw) in entries.iter_mut().zip(raw_ends) {
        if e.style == Style::Empty && raw > e.line + 1 {
            let child = lines[e.line + 1..raw]
                .iter()
                .find(|l| !is_blank(l.text) && !is_comment(l.text))
                .map(|l| indent_of(l.text));
            if let Some(child) = child.filter(|&c| c > n) {
                if let Ok(nested) = scan_entries(lines, e.line + 1, raw, child) {
                    if let Some(last) = nested.last() {
                        e.end = e.end.max(last.end);
                    }
                }
            }
        }
    }
    Ok(entries)
}

/// Parse the key at the start of `rest` (the line after its indentation): a plain, single- or
/// double-quoted key followed by `:` and a space, a tab or the end of the line. Returns the key
/// and the byte index just after the colon. Complex keys (`? `) and flow mappings are `None`.
fn parse_key(rest: &str) -> Option<(String, usize)> {
    let bytes = rest.as_bytes();
    let (key, after_key) = match bytes.first()? {
        b'"' => {
            let close = rest[1..].find('"')? + 1;
            let inner = &rest[1..close];
            if inner.contains('\\') {
                return None;
            }
            (inner.to_string(), close + 1)
        }
        b'\'' => {
            let mut j = 1;
            let mut key = String::new();
            loop {
                let c = rest[j..].chars().next()?;
                if c == '\'' {
                    if rest[j + 1..].starts_with('\'') {
                        key.push('\'');
                        j += 2;
                        continue;
                    }
                    break;
                }
                key.push(c);
                j += c.len_utf8();
            }
            (key, j + 1)
        }
        b'?' | b'{' | b'[' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@' | b'`' | b'#' | b',' => {
            return None
        }
        _ => {
            let mut idx = None;
            for (k, c) in rest.char_indices() {
                if c == ':' {
                    let next = rest[k + 1..].chars().next();
                    if matches!(next, None | Some(' ') | Some('\t')) {
                        idx = Some(k);
                        break;
                    }
                }
            }
            let k = idx?;
            let key = rest[..k].trim_end_matches([' ', '\t']);
            if key.contains(" #") || key.contains("\t#") {
                return None;
            }
            return Some((key.to_string(), k + 1));
        }
    };
    let after = rest[after_key..].trim_start_matches([' ', '\t']);
    let colon = rest.len() - after.len();
    let tail = after.strip_prefix(':')?;
    if !(tail.is_empty() || tail.starts_with(' ') || tail.starts_with('\t')) {
        return None;
    }
    Some((key, colon + 1))
}

/// Find the quote closing a scalar opened on line `line` (content starts at byte `col`).
/// Returns the line of the closing quote and the byte index just after it.
fn find_closing_quote(
    lines: &[Line<'_>],
    line: usize,
    col: usize,
    hi: usize,
    q: char,
) -> Option<(usize, usize)> {
    let mut l = line;
    let mut c = col;
    while l < hi {
        let t = lines[l].text;
        let b = t.as_bytes();
        while c < b.len() {
            match (q, b[c]) {
                ('"', b'\\') => c += 2,
                ('"', b'"') => return Some((l, c + 1)),
                ('\'', b'\'') => {
                    if b.get(c + 1) == Some(&b'\'') {
                        c += 2;
                    } else {
                        return Some((l, c + 1));
                    }
                }
                _ => c += 1,
            }
        }
        l += 1;
        c = 0;
    }
    None
}

/// The `# comment` after a closed value (`rest` is what follows the value on its line).
fn trailing_comment(rest: &str) -> Option<String> {
    let r = rest.trim_matches([' ', '\t']);
    r.starts_with('#').then(|| r.to_string())
}

/// The comment of a plain scalar line: from the first ` #` (or tab `#`).
fn plain_comment(value: &str) -> Option<String> {
    let b = value.as_bytes();
    (1..b.len())
        .find(|&k| b[k] == b'#' && (b[k - 1] == b' ' || b[k - 1] == b'\t'))
        .map(|k| value[k..].trim_end().to_string())
}

/// Replace (or insert, or remove) the description in a YAML mapping text. With `section`, the
/// description lives in the nested mapping under that top-level key (sidecar target sections).
fn patch_mapping_text(
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
                // No section yet: append one after the last top-level key.
                let Some(new) = new else { return Ok(yaml.to_string()) };
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
                    next_is_blank(&lines, pos),
                ));
                return Ok(splice(&lines, pos, pos, &text, eol));
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

/// A key as YAML text (target names are plain-safe; quote anything else).
fn yaml_key(key: &str) -> String {
    if needs_quotes(key) {
        double_quoted(key)
    } else {
        key.to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// Rendering a value

/// The lines of `prefix value` (with `prefix` ending in `:`), each ended by `eol`.
#[allow(clippy::too_many_arguments)]
fn render_entry(
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

/// Characters a YAML stream may hold unescaped, minus the ones libyaml reads as line breaks or
/// byte-order marks (NEL, LS, PS, BOM).
fn block_printable(c: char) -> bool {
    matches!(c, '\t' | ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

fn single_quotable(v: &str) -> bool {
    v.chars().all(|c| c != '\t' && block_printable(c))
}

/// Whether `v` must be quoted to be read back as exactly this string (conservative: quoting a
/// value that did not need it is harmless, the reverse is not).
pub(crate) fn needs_quotes(v: &str) -> bool {
    let Some(first) = v.chars().next() else { return true };
    if v.starts_with([' ', '\t']) || v.ends_with([' ', '\t']) {
        return true;
    }
    if !v.chars().all(|c| c != '\t' && block_printable(c)) {
        return true;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return true;
    }
    if v.contains(": ") || v.contains(" #") || v.ends_with(':') {
        return true;
    }
    if looks_like_non_string(v) {
        return true;
    }
    // Last resort: ask the parser what a plain scalar would be.
    !matches!(serde_yaml::from_str::<Value>(&format!("k: {v}")), Ok(Value::Mapping(m)) if m.get("k").and_then(|x| x.as_str()) == Some(v))
}

/// YAML 1.1 and 1.2 booleans, nulls and numbers (a reader in another tool may use either).
fn looks_like_non_string(v: &str) -> bool {
    const WORDS: &[&str] = &["y", "n", "yes", "no", "true", "false", "on", "off", "null", "~", "<<", "="];
    let lower = v.to_ascii_lowercase();
    if WORDS.contains(&lower.as_str()) {
        return true;
    }
    if matches!(lower.as_str(), ".inf" | "-.inf" | "+.inf" | ".nan") {
        return true;
    }
    // Numbers in any base, sexagesimal, with `_`, and dates: only these characters and a digit.
    v.chars().any(|c| c.is_ascii_digit())
        && v.chars().all(|c| c.is_ascii_hexdigit() || "xXoO_.:+-Tt ".contains(c))
        && !v.contains("  ")
}

fn single_quoted(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

/// A double-quoted scalar that holds any string (everything unusual escaped).
fn double_quoted(v: &str) -> String {
    let mut s = String::with_capacity(v.len() + 2);
    s.push('"');
    for c in v.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            '"' => s.push_str("\\\""),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            '\u{85}' => s.push_str("\\N"),
            '\u{2028}' => s.push_str("\\L"),
            '\u{2029}' => s.push_str("\\P"),
            c if block_printable(c) => s.push(c),
            c if (c as u32) <= 0xFF => s.push_str(&format!("\\x{:02X}", c as u32)),
            c if (c as u32) <= 0xFFFF => s.push_str(&format!("\\u{:04X}", c as u32)),
            c => s.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    s.push('"');
    s
}

// ---------------------------------------------------------------------------------------------
// Verification

fn verify_frontmatter(
    old: &Mapping,
    old_body: &str,
    candidate: &str,
    new: Option<&str>,
) -> Result<(), PatchError> {
    let verify = |reason: String| PatchError::Verify { reason };
    let parts = split(candidate).map_err(|_| verify("the frontmatter is no longer closed".into()))?;
    if parts.body != old_body {
        return Err(verify("the body changed".into()));
    }
    let yaml = parts.yaml.unwrap_or("");
    let new_map = parse_mapping(yaml, parts.yaml_first_line).map_err(|e| verify(e.to_string()))?;
    same_except_description(old, &new_map, new).map_err(verify)
}

fn verify_sidecar(old: &Mapping, candidate: &str, target: &str, new: Option<&str>) -> Result<(), PatchError> {
    let verify = |reason: String| PatchError::Verify { reason };
    let new_map = parse_mapping(candidate, 1).map_err(|e| verify(e.to_string()))?;
    let key = Value::String(target.to_string());
    let others = |m: &Mapping| -> Vec<(Value, Value)> {
        m.iter().filter(|(k, _)| **k != key).map(|(k, v)| (k.clone(), v.clone())).collect()
    };
    let (a, b) = (others(old), others(&new_map));
    if a.len() != b.len() || a.iter().zip(&b).any(|(x, y)| x.0 != y.0 || !same_value(&x.1, &y.1)) {
        return Err(verify("another section changed".into()));
    }
    let section = |m: &Mapping| -> Result<Mapping, String> {
        match m.get(&key) {
            None | Some(Value::Null) => Ok(Mapping::new()),
            Some(Value::Mapping(s)) => Ok(s.clone()),
            Some(_) => Err(format!("the `{target}` section is not a mapping")),
        }
    };
    same_except_description(&section(old).map_err(verify)?, &section(&new_map).map_err(verify)?, new)
        .map_err(verify)
}

/// Every key but `description` is the same (same order, same value) and `description` is `new`.
fn same_except_description(old: &Mapping, new_map: &Mapping, new: Option<&str>) -> Result<(), String> {
    let desc = Value::String("description".into());
    let a: Vec<_> = old.iter().filter(|(k, _)| **k != desc).collect();
    let b: Vec<_> = new_map.iter().filter(|(k, _)| **k != desc).collect();
    if a.len() != b.len() {
        return Err("the set of keys changed".into());
    }
    for ((ka, va), (kb, vb)) in a.iter().zip(&b) {
        if ka != kb {
            return Err("the key order changed".into());
        }
        if !same_value(va, vb) {
            return Err(format!(
                "the value of {} changed",
                serde_yaml::to_string(ka).unwrap_or_default().trim()
            ));
        }
    }
    match (new_map.get(&desc), new) {
        (None, None) => Ok(()),
        (Some(Value::String(s)), Some(n)) if s == n => Ok(()),
        _ => Err("the description does not read back as the new value".into()),
    }
}

/// Equality that also holds for NaN floats (a `.nan` value must not make a patch fail).
fn same_value(a: &Value, b: &Value) -> bool {
    a == b || serde_yaml::to_string(a).ok() == serde_yaml::to_string(b).ok()
}

#[cfg(test)]
mod tests;
