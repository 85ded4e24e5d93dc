//! Splitting a Markdown resource into YAML frontmatter and body, and parsing the frontmatter
//! (SPEC §1.2, §1.5). Pure functions; used for source files and for Markdown outputs alike.
//!
//! The frontmatter is present when the first line is exactly `---` (a `\r\n` ending is
//! accepted); it ends at the next line that is exactly `---`. The body is every byte after the
//! closing delimiter line, kept exactly.

/// A Markdown file split at its frontmatter delimiters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the delimiters (without them), when there is a frontmatter.
    pub yaml: Option<&'a str>,
    /// 1-based line number of the first YAML line (2 when there is a frontmatter).
    pub yaml_first_line: usize,
    /// Every byte after the closing delimiter line (the whole text when there is none).
    pub body: &'a str,
}

/// Why a file has an opening `---` but no frontmatter we can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The first line is `---` but no closing `---` line follows.
    Unclosed,
}

/// Split `text` into frontmatter YAML and body.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let Some(after_open) = strip_delimiter_line(text) else {
        return Ok(Split { yaml: None, yaml_first_line: 1, body: text });
    };
    let yaml_start = text.len() - after_open.len();
    let mut pos = yaml_start;
    while pos <= text.len() {
        let rest = &text[pos..];
        if let Some(after_close) = strip_delimiter_line(rest) {
            let body_start = text.len() - after_close.len();
            return Ok(Split {
                yaml: Some(&text[yaml_start..pos]),
                yaml_first_line: 2,
                body: &text[body_start..],
            });
        }
        match rest.find('\n') {
            Some(nl) => pos += nl + 1,
            None => break,
        }
    }
    Err(SplitError::Unclosed)
}

/// If `s` starts with a line that is exactly `---` (ended by `\n`, `\r\n` or the end of the
/// text), return what follows that line.
fn strip_delimiter_line(s: &str) -> Option<&str> {
    let rest = s.strip_prefix("---")?;
    if rest.is_empty() {
        Some(rest)
    } else if let Some(r) = rest.strip_prefix('\n') {
        Some(r)
    } else {
        rest.strip_prefix("\r\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_frontmatter_is_all_body() {
        let s = split("hello\n---\n").unwrap();
        assert_eq!(s.yaml, None);
        assert_eq!(s.body, "hello\n---\n");
    }

    #[test]
    fn frontmatter_and_exact_body() {
        let s = split("---\ndescription: x\n---\n\nbody\n").unwrap();
        assert_eq!(s.yaml, Some("description: x\n"));
        assert_eq!(s.body, "\nbody\n");
    }

    #[test]
    fn crlf_delimiters_and_empty_frontmatter() {
        let s = split("---\r\na: 1\r\n---\r\nbody").unwrap();
        assert_eq!(s.yaml, Some("a: 1\r\n"));
        assert_eq!(s.body, "body");
        let s = split("---\n---\n").unwrap();
        assert_eq!(s.yaml, Some(""));
        assert_eq!(s.body, "");
    }

    #[test]
    fn closing_must_be_exactly_three_dashes() {
        assert_eq!(split("---\na: 1\n--- \nx"), Err(SplitError::Unclosed));
        let s = split("---\na: 1\n----\n---\nx").unwrap();
        assert_eq!(s.yaml, Some("a: 1\n----\n"));
    }
}
