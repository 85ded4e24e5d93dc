//! The place an error points at in a file the user wrote: the file's text as a miette source,
//! the span, and the 1-based line the message names. Every error enum that points into a file
//! (`config::ConfigError`, `source::SourceError`, `source::frontmatter::FrontmatterError`,
//! `targets::TargetError`) builds those fields from one [`Located`], so an offset becomes a
//! line and a span the same way everywhere.
//!
//! Only std and miette: the fuzz crate compiles this file by path (with `source::frontmatter`).
//!
//! Not here: the error enums (one per module, each with its own codes and help) or finding the
//! offset of a key (`text::locate`).

use miette::{NamedSource, SourceSpan};

/// A place in a named text, ready to be spread into an error variant's
/// `src` / `span` / `line` fields.
#[derive(Debug, Clone)]
pub struct Located {
    /// The whole text, named after its file (as the message names it).
    pub src: NamedSource<String>,
    pub span: SourceSpan,
    /// 1-based line of the span's start.
    pub line: usize,
}

impl Located {
    /// An empty span at byte `offset` of `text`, in the file called `name`.
    pub fn at(name: impl AsRef<str>, text: &str, offset: usize) -> Located {
        Located::range(name, text, offset, 0)
    }

    /// `len` bytes from byte `offset` of `text`. Parsers report byte offsets, but none is
    /// trusted to fall inside the text or on a character boundary: the start is moved back
    /// onto one (which never changes its line: no multi-byte character holds a `\n`).
    pub fn range(name: impl AsRef<str>, text: &str, offset: usize, len: usize) -> Located {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = text[..offset].matches('\n').count() + 1;
        let (shown, span) = clip_long_lines(text, offset, len);
        Located { src: NamedSource::new(name, shown), span, line }
    }

    /// `span` of `text` whose line the caller already knows (a parser's own line count, or a
    /// table of line starts built once for many errors).
    pub fn known(name: impl AsRef<str>, text: &str, span: SourceSpan, line: usize) -> Located {
        let (shown, span) = clip_long_lines(text, span.offset(), span.len());
        Located { src: NamedSource::new(name, shown), span, line }
    }
}

/// The longest line a diagnostic shows whole; longer ones are cut to this many characters
/// (around the span on its own line) and marked with `…`.
pub const MAX_SHOWN_LINE: usize = 160;

/// `text` with every line longer than [`MAX_SHOWN_LINE`] characters cut, and the span moved to
/// match, so a diagnostic never prints a 200 KB line (or a terminal's worth of one). The number
/// of lines is unchanged, so miette's line numbers stay right.
fn clip_long_lines(text: &str, offset: usize, len: usize) -> (String, SourceSpan) {
    let offset = offset.min(text.len());
    if text.split('\n').all(|l| l.len() <= MAX_SHOWN_LINE) {
        return (text.to_string(), SourceSpan::from((offset, len)));
    }
    let mut out = String::with_capacity(text.len().min(64 * 1024));
    let mut new_span = SourceSpan::from((0, 0));
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        let holds = (start..end).contains(&offset) || (offset == text.len() && end == text.len());
        let body = line.strip_suffix('\n').unwrap_or(line);
        let at = if holds { offset - start } else { 0 };
        if body.chars().count() <= MAX_SHOWN_LINE {
            if holds {
                new_span = SourceSpan::from((out.len() + at, len.min(body.len().saturating_sub(at))));
            }
            out.push_str(line);
        } else {
            // A window of MAX_SHOWN_LINE characters starting a little before the span.
            let mut from = at.min(body.len()).saturating_sub(MAX_SHOWN_LINE / 4);
            while !body.is_char_boundary(from) {
                from -= 1;
            }
            let window: String = body[from..].chars().take(MAX_SHOWN_LINE).collect();
            let prefix = if from > 0 { "…" } else { "" };
            if holds {
                let col = prefix.len() + (at - from).min(window.len());
                new_span =
                    SourceSpan::from((out.len() + col, len.min(window.len().saturating_sub(at - from))));
            }
            out.push_str(prefix);
            out.push_str(&window);
            if from + window.len() < body.len() {
                out.push('…');
            }
            if line.ends_with('\n') {
                out.push('\n');
            }
        }
        start = end;
    }
    (out, new_span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_locations_never_split_a_character() {
        let at = Located::at("f", "é\nü", 1);
        assert_eq!((at.span.offset(), at.line), (0, 1));
        let at = Located::at("f", "é\nü", 99);
        assert_eq!((at.span.offset(), at.line), (5, 2));
    }

    #[test]
    fn long_lines_are_cut_around_the_span_and_lines_keep_their_numbers() {
        let long = format!("x: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let text = format!("a: 1\n{long}b: 2\n");
        let at = Located::at("f", &text, 5 + 3 + 70);
        assert_eq!(at.line, 2);
        let shown = at.src.inner();
        assert!(shown.len() < 1000, "cut: {} bytes", shown.len());
        assert_eq!(shown.lines().count(), 3);
        assert!(shown.lines().all(|l| l.chars().count() <= MAX_SHOWN_LINE + 2));
        assert_eq!(&shown[at.span.offset()..at.span.offset() + 1], "[");
        // short texts are kept as they are
        assert_eq!(Located::at("f", "a: 1\n", 2).src.inner(), "a: 1\n");
    }

    #[test]
    fn a_range_keeps_its_length_and_names_its_file() {
        let at = Located::range("dir/f.yaml", "a: 1\nbad: 2\n", 5, 3);
        assert_eq!((at.span.offset(), at.span.len(), at.line), (5, 3, 2));
        assert_eq!(at.src.name(), "dir/f.yaml");
    }
}
