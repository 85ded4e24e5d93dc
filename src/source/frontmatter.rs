//! Splitting a Markdown resource into YAML frontmatter and body, and parsing the frontmatter
//! (SPEC §1.2, §1.5). Pure functions; used for source files and for Markdown outputs alike.
//!
//! The frontmatter is present when the first line is exactly `---` (a `\r\n` ending is
//! accepted); it ends at the next line that is exactly `---`. The body is every byte after the
//! closing delimiter line, kept exactly.

use std::path::{Path, PathBuf};

use miette::{NamedSource, SourceSpan};

use super::{Located, Metadata};

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

/// A frontmatter (or sidecar) YAML that is not a usable mapping. Positions are relative to the
/// YAML text given to [`parse_yaml_mapping`]; callers offset them into their file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    /// Byte offset in the YAML text.
    pub index: usize,
    /// 1-based line in the YAML text.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The YAML parsed, but is not a mapping (a list, a string…).
    pub not_mapping: bool,
}

/// Parse YAML text that must be a mapping (a frontmatter, a sidecar). Empty text, or only
/// comments, is an empty mapping. Duplicate keys are an error (serde_yaml's).
pub fn parse_yaml_mapping(yaml: &str) -> Result<Metadata, YamlError> {
    // serde_yaml takes quadratic time on deep nesting: refuse it first, in linear time.
    if let Err(refusal) = super::yaml_guard::check(yaml) {
        let index = refusal.offset();
        let line = yaml[..index].matches('\n').count() + 1;
        let column = index - yaml[..index].rfind('\n').map_or(0, |i| i + 1) + 1;
        return Err(YamlError { message: refusal.to_string(), index, line, column, not_mapping: false });
    }
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).map_err(|e| {
        let (index, line, column) =
            e.location().map(|l| (l.index(), l.line(), l.column())).unwrap_or((0, 1, 1));
        let full = e.to_string();
        let message = match full.find(" at line ") {
            Some(i) => full[..i].to_string(),
            None => full,
        };
        if index >= yaml.len() {
            // "unexpected end": point at the last line with content, not past the YAML (which
            // in a Markdown file would be the closing `---`)
            let start = last_content_line_start(yaml);
            let line = yaml[..start].matches('\n').count() + 1;
            return YamlError { message, index: start, line, column: 1, not_mapping: false };
        }
        YamlError { message, index, line, column, not_mapping: false }
    })?;
    match value {
        serde_yaml::Value::Mapping(m) => Ok(m),
        serde_yaml::Value::Null => Ok(Metadata::new()),
        other => {
            // point at the first line that holds content, not at a leading comment
            let index = first_content_offset(yaml);
            let line = yaml[..index].matches('\n').count() + 1;
            Err(YamlError {
                message: format!("expected a mapping of `key: value` lines, found {}", value_kind(&other)),
                index,
                line,
                column: 1,
                not_mapping: true,
            })
        }
    }
}

fn last_content_line_start(yaml: &str) -> usize {
    let mut pos = 0;
    let mut last = 0;
    for line in yaml.split_inclusive('\n') {
        if !line.trim().is_empty() {
            last = pos;
        }
        pos += line.len();
    }
    last
}

fn first_content_offset(yaml: &str) -> usize {
    let mut pos = 0;
    for line in yaml.split_inclusive('\n') {
        let t = line.trim();
        if !t.is_empty() && !t.starts_with('#') {
            return pos + (line.len() - line.trim_start().len());
        }
        pos += line.len();
    }
    0
}

fn value_kind(v: &serde_yaml::Value) -> &'static str {
    match v {
        serde_yaml::Value::Null => "nothing",
        serde_yaml::Value::Bool(_) => "a boolean",
        serde_yaml::Value::Number(_) => "a number",
        serde_yaml::Value::String(_) => "a string",
        serde_yaml::Value::Sequence(_) => "a list",
        serde_yaml::Value::Mapping(_) => "a mapping",
        serde_yaml::Value::Tagged(_) => "a tagged value",
    }
}

/// A Markdown resource whose frontmatter cannot be used, located in its file.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum FrontmatterError {
    #[error("{}:{line}: invalid frontmatter YAML: {message}", path.display())]
    #[diagnostic(
        code(agb::source::frontmatter::invalid),
        help("fix the YAML between the `---` lines (quote values that contain `: ` or start with a special character)")
    )]
    Invalid {
        path: PathBuf,
        line: usize,
        message: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        span: SourceSpan,
    },
    #[error("{}:{line}: the frontmatter is not a mapping: {message}", path.display())]
    #[diagnostic(
        code(agb::source::frontmatter::not_mapping),
        help("the frontmatter must be `key: value` lines, e.g. `description: Search the web`")
    )]
    NotMapping {
        path: PathBuf,
        line: usize,
        message: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("not a mapping")]
        span: SourceSpan,
    },
    #[error("{}:1: a byte-order mark precedes the frontmatter", path.display())]
    #[diagnostic(
        code(agb::source::frontmatter::bom),
        help("save the file as UTF-8 without BOM (the `---` line must be the very first bytes)")
    )]
    Bom {
        path: PathBuf,
        #[source_code]
        src: NamedSource<String>,
        #[label("byte-order mark")]
        span: SourceSpan,
    },
    #[error("{}:1: the frontmatter opened by `---` is never closed", path.display())]
    #[diagnostic(
        code(agb::source::frontmatter::unclosed),
        help("end the frontmatter with a line that is exactly `---`, or remove the first `---` line if the file has no frontmatter")
    )]
    Unclosed {
        path: PathBuf,
        #[source_code]
        src: NamedSource<String>,
        #[label("opened here")]
        span: SourceSpan,
    },
}

/// A parsed Markdown resource: frontmatter as metadata and the exact body.
#[derive(Debug, Clone, PartialEq)]
pub struct Document<'a> {
    pub metadata: Metadata,
    /// Whether the file had a frontmatter at all (`---` … `---`).
    pub has_frontmatter: bool,
    /// Byte range of the frontmatter YAML in the text (empty at 0 when there is none).
    pub yaml_range: std::ops::Range<usize>,
    pub body: &'a str,
}

/// Split and parse a Markdown resource; errors name `path` and point at the line in `text`.
pub fn parse_document<'a>(path: &Path, text: &'a str) -> Result<Document<'a>, FrontmatterError> {
    let name = || path.display().to_string();
    // An editor's BOM would hide the frontmatter and turn it into body; refuse rather than
    // guess (and sync, which splits the same text, never sees such a file).
    if text.starts_with("\u{feff}---") {
        let at = Located::range(name(), text, 0, 3);
        return Err(FrontmatterError::Bom { path: path.to_path_buf(), src: at.src, span: at.span });
    }
    let split = split(text).map_err(|SplitError::Unclosed| {
        let at = Located::range(name(), text, 0, 3);
        FrontmatterError::Unclosed { path: path.to_path_buf(), src: at.src, span: at.span }
    })?;
    let Some(yaml) = split.yaml else {
        return Ok(Document {
            metadata: Metadata::new(),
            has_frontmatter: false,
            yaml_range: 0..0,
            body: split.body,
        });
    };
    let start = yaml.as_ptr() as usize - text.as_ptr() as usize;
    let metadata = parse_yaml_mapping(yaml).map_err(|e| {
        // the parser's own line count (it knows line breaks this file may hold besides `\n`)
        let line = e.line + split.yaml_first_line - 1;
        let at = Located::known(name(), text, (start + e.index, 0).into(), line);
        let path = path.to_path_buf();
        if e.not_mapping {
            FrontmatterError::NotMapping { path, line, message: e.message, src: at.src, span: at.span }
        } else {
            FrontmatterError::Invalid { path, line, message: e.message, src: at.src, span: at.span }
        }
    })?;
    Ok(Document { metadata, has_frontmatter: true, yaml_range: start..start + yaml.len(), body: split.body })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_mapping_errors_have_lines() {
        assert_eq!(parse_yaml_mapping("").unwrap().len(), 0);
        assert_eq!(parse_yaml_mapping("# only a comment\n").unwrap().len(), 0);
        let e = parse_yaml_mapping("a: 1\nb: [\n").unwrap_err();
        assert!(!e.not_mapping);
        assert_eq!((e.line, e.index), (2, 5), "an unexpected end points at the last line");
        let e = parse_yaml_mapping("a: 1\nb: c: d\nx: 2\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse_yaml_mapping("# c\n- a\n- b\n").unwrap_err();
        assert!(e.not_mapping);
        assert_eq!(e.line, 2);
        let e = parse_yaml_mapping("a: 1\na: 2\n").unwrap_err();
        assert!(e.message.contains("duplicate"), "{}", e.message);
    }

    #[test]
    fn document_errors_are_offset_into_the_file() {
        let p = Path::new("x.md");
        let e = parse_document(p, "---\ndescription: ok\nbad: [\n---\nbody\n").unwrap_err();
        match e {
            FrontmatterError::Invalid { line, .. } => assert!(line >= 3, "line {line}"),
            other => panic!("{other:?}"),
        }
        let e = parse_document(p, "---\njust text\n---\nbody\n").unwrap_err();
        match e {
            FrontmatterError::NotMapping { line, span, .. } => {
                assert_eq!(line, 2);
                assert_eq!(span.offset(), 4);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(parse_document(p, "---\na: 1\n"), Err(FrontmatterError::Unclosed { .. })));
        let d = parse_document(p, "---\na: 1\nb: x\n---\nbody").unwrap();
        assert_eq!(d.body, "body");
        let keys: Vec<&str> = d.metadata.keys().filter_map(|k| k.as_str()).collect();
        assert_eq!(keys, vec!["a", "b"]);
        assert_eq!(&"---\na: 1\nb: x\n---\nbody"[d.yaml_range], "a: 1\nb: x\n");
        assert!(matches!(parse_document(p, "\u{feff}---\na: 1\n---\nx"), Err(FrontmatterError::Bom { .. })));
        assert_eq!(parse_document(p, "\u{feff}plain").unwrap().body, "\u{feff}plain");
        let d = parse_document(p, "plain").unwrap();
        assert!(!d.has_frontmatter);
        assert_eq!(d.body, "plain");
    }

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

    proptest::proptest! {
        /// Any text either parses into metadata and a body that is exactly a suffix of the
        /// text, or is an error; never a panic, and a body never swallows a frontmatter.
        #[test]
        fn parse_document_never_panics(text in "(---\r?\n)?([a-z:# \\[\\]{}\"'-]{0,12}\r?\n){0,5}(---\r?\n)?[\\PC\n]{0,20}") {
            if let Ok(d) = parse_document(Path::new("x.md"), &text) {
                proptest::prop_assert!(text.ends_with(d.body));
                if text.starts_with("---\n") || text.starts_with("---\r\n") {
                    proptest::prop_assert!(d.has_frontmatter);
                }
            }
        }
    }
}
