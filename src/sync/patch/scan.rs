//! Cutting YAML text into lines and finding the entries of a block mapping by indentation,
//! without parsing it: the patcher edits the lines of one entry and leaves every other byte.
//!
//! Not here: changing anything (`edit`), or judging the result (`verify`).

use super::PatchError;

#[derive(Debug, Clone, Copy)]
pub(super) struct Line<'a> {
    pub(super) text: &'a str,
    pub(super) eol: &'a str,
}

pub(super) fn split_lines(s: &str) -> Vec<Line<'_>> {
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

pub(super) fn detect_eol(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Byte offset of `inner` (a sub-slice) in `outer`.
pub(super) fn offset_in(outer: &str, inner: &str) -> usize {
    inner.as_ptr() as usize - outer.as_ptr() as usize
}

pub(super) fn indent_of(text: &str) -> usize {
    text.len() - text.trim_start_matches(' ').len()
}

pub(super) fn is_blank(text: &str) -> bool {
    text.trim_matches([' ', '\t']).is_empty()
}

pub(super) fn is_comment(text: &str) -> bool {
    text.trim_start_matches([' ', '\t']).starts_with('#')
}

/// How an existing value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
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
pub(super) struct Entry {
    pub(super) key: String,
    /// Index of the key line.
    pub(super) line: usize,
    /// One past the last line of the value (trailing blank and comment lines excluded).
    pub(super) end: usize,
    /// The key line up to and including the `:` (indentation and the key's own quoting kept).
    pub(super) prefix: String,
    pub(super) style: Style,
    /// The comment at the end of the value (`# ...`), kept when the value is replaced.
    pub(super) comment: Option<String>,
}

/// The entries of the block mapping at indent `n` in `lines[lo..hi]`.
// Long on purpose: a single-pass scanner over YAML lines (a small state machine); its states
// are easier to check together than spread over helpers.
pub(super) fn scan_entries(
    lines: &[Line<'_>],
    lo: usize,
    hi: usize,
    n: usize,
) -> Result<Vec<Entry>, PatchError> {
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
    extend_nested_ends(lines, &mut entries, raw_ends, n);
    Ok(entries)
}

/// A nested mapping ends where its own last entry ends (which may be a block scalar whose last
/// lines look like comments): extend each entry whose value is such a mapping to there.
/// `raw_ends[i]` is one past the last line more indented than entry `i`'s key.
fn extend_nested_ends(lines: &[Line<'_>], entries: &mut [Entry], raw_ends: Vec<usize>, n: usize) {
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
