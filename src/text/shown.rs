//! Paths and names as agb prints them: control characters escaped.
//!
//! A file name is data from a source or a project agb does not fully trust; printed raw, an ESC
//! or OSC sequence in it (`a\x1b]0;title\x07b.txt`) reaches the terminal and can retitle it,
//! hide text or worse, whatever `--color` says. Every path agb prints goes through [`shown`]
//! or [`ShownPath`], which write control characters the way Rust's `escape_debug` does
//! (`\u{1b}`), and leave everything else, non-ASCII included, as it is.
//!
//! Not here: making paths relative or choosing which path to print (the CLI does that).

use std::borrow::Cow;
use std::fmt;
use std::path::Path;

/// `s` with every control character (C0, DEL, C1) written as `\u{..}`; borrowed when clean.
pub fn shown(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` safe to write to a terminal: line feeds, tabs and CRLF kept, colour sequences
/// (`ESC [ digits;… m`, which miette's own rendering uses) kept, every other control character
/// escaped like [`shown`]. The last line of defence: every line agb prints goes through it, so a
/// name that reached a message unescaped still cannot move the cursor or retitle the terminal.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    // the usual case, checked byte by byte (fast on a large JSON document): printable ASCII,
    // line feeds and tabs only
    if bytes.iter().all(|&b| matches!(b, b' '..=b'~' | b'\n' | b'\t')) {
        return Cow::Borrowed(text);
    }
    let sgr_len = |i: usize| -> Option<usize> {
        // ESC [ then digits and `;`, then `m`
        if bytes.get(i + 1) != Some(&b'[') {
            return None;
        }
        let mut j = i + 2;
        while j < bytes.len() && (bytes[j].is_ascii_digit() || bytes[j] == b';') {
            j += 1;
        }
        (bytes.get(j) == Some(&b'm')).then_some(j + 1 - i)
    };
    let safe_at = |i: usize, c: char| match c {
        '\n' | '\t' => Some(1),
        '\r' if bytes.get(i + 1) == Some(&b'\n') => Some(1),
        '\u{1b}' => sgr_len(i),
        c if c.is_control() => None,
        c => Some(c.len_utf8()),
    };
    if text.char_indices().all(|(i, c)| safe_at(i, c).is_some()) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut skip_to = 0;
    for (i, c) in text.char_indices() {
        if i < skip_to {
            continue;
        }
        match safe_at(i, c) {
            Some(n) => {
                out.push_str(&text[i..i + n]);
                skip_to = i + n;
            }
            None => out.extend(c.escape_debug()),
        }
    }
    Cow::Owned(out)
}

/// A serialized JSON document made terminal-safe *and still JSON*: serde_json leaves DEL and the
/// C1 controls (U+0080–U+009F, e.g. U+009B, a one-character CSI) raw inside strings, and
/// [`terminal_safe`] would escape them Rust's way (`\u{9b}`), which no JSON parser reads. Here
/// they become JSON's own `\u009b`. Outside strings a serialized document holds no control
/// character but the line feeds of pretty printing, which stay.
pub fn json_terminal_safe(json: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n';
    // DEL is 0x7f and every C1 control is 0xc2 0x80..=0x9f in UTF-8: a byte scan settles the
    // usual document (a 10,000-module catalog) without decoding it.
    if !json.bytes().any(|b| b == 0x7f || b == 0xc2) || !json.chars().any(unsafe_char) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A path that displays with control characters escaped (and, like `Path::display`, invalid
/// UTF-8 replaced).
#[derive(Debug, Clone, Copy)]
pub struct ShownPath<'a>(pub &'a Path);

impl fmt::Display for ShownPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&shown(&self.0.to_string_lossy()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_stays_json_when_made_terminal_safe() {
        let doc = serde_json::json!({"description": "csi \u{9b}31m del \u{7f} esc \u{1b}[2J tab \t é"});
        let text = serde_json::to_string_pretty(&doc).unwrap();
        let safe = json_terminal_safe(&text);
        assert!(!safe.chars().any(|c| c.is_control() && c != '\n'), "{safe}");
        assert_eq!(terminal_safe(&safe), safe, "nothing left for the last line of defence");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, doc);
        assert!(matches!(json_terminal_safe("{\n  \"a\": 1\n}"), Cow::Borrowed(_)));
    }

    #[test]
    fn control_characters_are_escaped_and_nothing_else() {
        assert_eq!(shown("a\u{1b}]0;PWNED\u{7}b.txt"), "a\\u{1b}]0;PWNED\\u{7}b.txt");
        assert_eq!(shown("tab\there\nnl"), "tab\\there\\nnl");
        assert_eq!(shown("c1\u{9b}31m"), "c1\\u{9b}31m");
        assert!(matches!(shown("plain/über-名前.md"), Cow::Borrowed(_)));
        assert_eq!(ShownPath(Path::new("x/\u{1b}[2J")).to_string(), "x/\\u{1b}[2J");
    }

    #[test]
    fn terminal_safe_keeps_layout_and_colours_and_escapes_the_rest() {
        let coloured = "\u{1b}[31mx\u{1b}[0m error\n\tat line 2\r\n";
        assert!(matches!(terminal_safe(coloured), Cow::Borrowed(_)));
        assert_eq!(terminal_safe("a\u{1b}]0;PWNED\u{7}b"), "a\\u{1b}]0;PWNED\\u{7}b");
        assert_eq!(terminal_safe("x\u{1b}[2Jy"), "x\\u{1b}[2Jy", "only colour sequences pass");
        assert_eq!(terminal_safe("over\rwrite"), "over\\rwrite");
        assert_eq!(terminal_safe("ünï\u{9b}"), "ünï\\u{9b}");
    }
}
