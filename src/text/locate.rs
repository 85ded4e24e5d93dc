//! Where a key or a byte offset sits in a YAML text. serde_yaml does not report where a value
//! sits, so agb.yaml, sidecars, `overrides.yaml` and `requirements.yaml` find the line of a key
//! by a small line scan; when the scan cannot find it (flow-style mappings) callers fall back to
//! a coarser place rather than guess.
//!
//! Not here: parsing (serde_yaml) or building the diagnostic (`located`).

/// Find `key:` in `text[from..to]`, at column `indent` if given (any indentation otherwise),
/// plain or quoted. Returns the byte offset and length of the key as written.
pub fn locate_key(
    text: &str,
    from: usize,
    to: usize,
    key: &str,
    indent: Option<usize>,
) -> Option<(usize, usize)> {
    let mut pos = from;
    let region = text.get(from..to.min(text.len()))?;
    for line in region.split_inclusive('\n') {
        let trimmed = line.trim_start_matches([' ', '\t']);
        let col = line.len() - trimmed.len();
        if indent.is_none_or(|i| i == col) {
            for written in [key.to_string(), format!("\"{key}\""), format!("'{key}'")] {
                if let Some(after) = trimmed.strip_prefix(written.as_str()) {
                    if after.trim_start_matches([' ', '\t']).starts_with(':') {
                        return Some((pos + col, written.len()));
                    }
                }
            }
        }
        pos += line.len();
    }
    None
}

/// 1-based line of a byte offset (an offset past the end counts as the end).
pub fn line_of_offset(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|b| **b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_key_finds_plain_and_quoted_keys() {
        let text = "# source: no\n\"source\" : a\nnested:\n  target: b\n";
        assert_eq!(locate_key(text, 0, text.len(), "source", Some(0)), Some((13, 8)));
        assert_eq!(locate_key(text, 0, text.len(), "target", Some(0)), None);
        assert_eq!(
            locate_key(text, 0, text.len(), "target", None).map(|(o, _)| line_of_offset(text, o)),
            Some(4)
        );
    }

    #[test]
    fn locate_key_stays_in_its_region() {
        let text = "a: 1\nb: 2\n";
        assert_eq!(locate_key(text, 5, text.len(), "a", None), None);
        assert_eq!(locate_key(text, 0, 4, "b", None), None);
        assert_eq!(locate_key(text, 0, 99, "b", Some(0)), Some((5, 1)));
        assert_eq!(locate_key(text, 99, 100, "b", None), None);
    }

    #[test]
    fn line_of_offset_counts_newlines_before() {
        assert_eq!(line_of_offset("", 0), 1);
        assert_eq!(line_of_offset("a\nb\n", 2), 2);
        assert_eq!(line_of_offset("a\nb\n", 99), 3);
    }
}
