//! Limits checked before any YAML reaches the parser.
//!
//! serde_yaml's scanner takes quadratic time in the nesting depth of flow collections: a 200 KB
//! frontmatter `x: [[[[…]]]]` 100,000 levels deep took 34 s before failing. No resource or config
//! a person writes nests more than a few levels or weighs megabytes, so agb refuses such input in
//! linear time, before parsing, with the line and column where the limit was crossed.
//!
//! The scan is deliberately approximate where being exact would need a YAML parser: it counts
//! `[`/`{` openers and block indentation steps outside quoted scalars and comments. It can only
//! over-count for text that is YAML-valid but absurd (thousands of brackets inside a plain
//! scalar), never let deep input through.
//!
//! Not here: reading the YAML (serde_yaml), locating keys (`locate`).

/// The deepest nesting agb accepts (flow brackets plus block indentation levels).
pub const MAX_DEPTH: usize = 64;
/// The largest YAML text agb parses (a frontmatter, a sidecar, agb.yaml).
pub const MAX_BYTES: usize = 4 * 1024 * 1024;

/// Why a YAML text is refused before parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// More than [`MAX_BYTES`].
    TooLarge { bytes: usize },
    /// Nesting deeper than [`MAX_DEPTH`], first crossed at this byte offset.
    TooDeep { offset: usize },
}

impl Refusal {
    /// The byte offset a diagnostic points at: where the nesting limit was crossed, or the start.
    pub fn offset(&self) -> usize {
        match self {
            Refusal::TooDeep { offset } => *offset,
            Refusal::TooLarge { .. } => 0,
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::TooLarge { bytes } => {
                write!(f, "the YAML is {bytes} bytes, more than agb reads ({MAX_BYTES} bytes)")
            }
            Refusal::TooDeep { .. } => {
                write!(f, "the YAML is nested more than {MAX_DEPTH} levels deep")
            }
        }
    }
}

/// Check `text` against [`MAX_BYTES`] and [`MAX_DEPTH`] in one linear pass.
pub fn check(text: &str) -> Result<(), Refusal> {
    if text.len() > MAX_BYTES {
        return Err(Refusal::TooLarge { bytes: text.len() });
    }
    let mut flow_depth = 0usize;
    let mut offset = 0usize;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        // Block nesting: each level indents at least one column more, so the indentation is an
        // upper bound of the block depth; it only matters when it is huge.
        if flow_depth == 0 && indent > MAX_DEPTH * 8 && !line.trim().is_empty() {
            return Err(Refusal::TooDeep { offset: offset + indent });
        }
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        for (i, c) in line.char_indices() {
            match quote {
                Some('"') if c == '\\' && prev != '\\' => {}
                Some(q) if c == q && !(q == '"' && prev == '\\') => quote = None,
                Some(_) => {}
                None => match c {
                    '#' if prev == ' ' || prev == '\t' || i == 0 => break,
                    '"' | '\'' if matches!(prev, ' ' | '\t' | '[' | '{' | ',' | ':') || i == 0 => {
                        quote = Some(c)
                    }
                    '[' | '{' => {
                        flow_depth += 1;
                        if flow_depth > MAX_DEPTH {
                            return Err(Refusal::TooDeep { offset: offset + i });
                        }
                    }
                    ']' | '}' => flow_depth = flow_depth.saturating_sub(1),
                    _ => {}
                },
            }
            // `\\"` ends a string: a backslash escaped by a backslash escapes nothing
            prev = if prev == '\\' && c == '\\' { ' ' } else { c };
        }
        offset += line.len();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_yaml_passes() {
        for text in [
            "description: A [bracketed] thing\ntools: [a, b, {c: [d]}]\n",
            "x: \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"\n",
            "x: '{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{'\n",
            "# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\nx: 1\n",
            "a:\n  b:\n    c:\n      d: [1, 2]\n",
            "x: \"a \\\" [ b\"\ny: [1]\n",
        ] {
            assert_eq!(check(text), Ok(()), "{text}");
        }
    }

    #[test]
    fn deep_flow_nesting_is_refused_where_it_crosses_the_limit() {
        let text = format!("description: x\nx: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(check(&text), Err(Refusal::TooDeep { offset: "description: x\nx: ".len() + MAX_DEPTH }));
        let mapping = format!("x: {}1{}\n", "{a: ".repeat(MAX_DEPTH + 1), "}".repeat(MAX_DEPTH + 1));
        assert!(matches!(check(&mapping), Err(Refusal::TooDeep { .. })));
        let at_limit = format!("x: {}{}\n", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(check(&at_limit), Ok(()));
    }

    #[test]
    fn deep_block_indentation_and_huge_input_are_refused() {
        let text = format!("a:\n{}b: 1\n", " ".repeat(MAX_DEPTH * 8 + 1));
        assert!(matches!(check(&text), Err(Refusal::TooDeep { .. })));
        let big = "x".repeat(MAX_BYTES + 1);
        assert_eq!(check(&big), Err(Refusal::TooLarge { bytes: MAX_BYTES + 1 }));
    }
}
