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
    fn control_characters_are_escaped_and_nothing_else() {
        assert_eq!(shown("a\u{1b}]0;PWNED\u{7}b.txt"), "a\\u{1b}]0;PWNED\\u{7}b.txt");
        assert_eq!(shown("tab\there\nnl"), "tab\\there\\nnl");
        assert_eq!(shown("c1\u{9b}31m"), "c1\\u{9b}31m");
        assert!(matches!(shown("plain/über-名前.md"), Cow::Borrowed(_)));
        assert_eq!(ShownPath(Path::new("x/\u{1b}[2J")).to_string(), "x/\\u{1b}[2J");
    }
}
