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
        Located { src: NamedSource::new(name, text.to_string()), span: SourceSpan::from((offset, len)), line }
    }

    /// `span` of `text` whose line the caller already knows (a parser's own line count, or a
    /// table of line starts built once for many errors).
    pub fn known(name: impl AsRef<str>, text: &str, span: SourceSpan, line: usize) -> Located {
        Located { src: NamedSource::new(name, text.to_string()), span, line }
    }
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
    fn a_range_keeps_its_length_and_names_its_file() {
        let at = Located::range("dir/f.yaml", "a: 1\nbad: 2\n", 5, 3);
        assert_eq!((at.span.offset(), at.span.len(), at.line), (5, 3, 2));
        assert_eq!(at.src.name(), "dir/f.yaml");
    }
}
