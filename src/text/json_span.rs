//! Where the values of a JSON document sit, as byte spans: for edits that replace or insert only
//! the bytes they mean to, so a file's formatting (key order, indentation, array style) survives.
//! Meant for text that `serde_json` has already accepted: it checks balance, not every rule of
//! JSON (numbers and literals are taken as whatever runs up to the next delimiter).
//!
//! Not here: decoding values (use `serde_json` on a span), editing.

/// A JSON value and the byte range it spans (`start..end`, the value only, no surrounding
/// whitespace).
#[derive(Debug)]
pub struct Val {
    pub start: usize,
    pub end: usize,
    pub node: Node,
}

/// What a value is, with the spans of its parts.
#[derive(Debug)]
pub enum Node {
    Object(Vec<Member>),
    Array(Vec<Val>),
    Scalar,
}

/// An object member: its key (decoded), where the key's opening quote is, and its value.
#[derive(Debug)]
pub struct Member {
    pub key: String,
    pub key_start: usize,
    pub value: Val,
}

/// The spans of the JSON document `bytes` (one value, whitespace around it allowed); None when
/// it is not balanced or nests deeper than 128 levels.
pub fn parse(bytes: &[u8]) -> Option<Val> {
    let mut p = SpanParser { b: bytes, i: 0 };
    p.ws();
    let v = p.value(0)?;
    p.ws();
    (p.i == bytes.len()).then_some(v)
}

struct SpanParser<'a> {
    b: &'a [u8],
    i: usize,
}

impl SpanParser<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn value(&mut self, depth: usize) -> Option<Val> {
        if depth > 128 {
            return None;
        }
        let start = self.i;
        match self.peek()? {
            b'{' => {
                self.i += 1;
                let mut members = Vec::new();
                self.ws();
                if self.peek()? == b'}' {
                    self.i += 1;
                    return Some(Val { start, end: self.i, node: Node::Object(members) });
                }
                loop {
                    self.ws();
                    let key_start = self.i;
                    self.string()?;
                    let key: String = serde_json::from_slice(&self.b[key_start..self.i]).ok()?;
                    self.ws();
                    (self.peek()? == b':').then_some(())?;
                    self.i += 1;
                    self.ws();
                    let value = self.value(depth + 1)?;
                    members.push(Member { key, key_start, value });
                    self.ws();
                    match self.peek()? {
                        b',' => self.i += 1,
                        b'}' => {
                            self.i += 1;
                            return Some(Val { start, end: self.i, node: Node::Object(members) });
                        }
                        _ => return None,
                    }
                }
            }
            b'[' => {
                self.i += 1;
                let mut elems = Vec::new();
                self.ws();
                if self.peek()? == b']' {
                    self.i += 1;
                    return Some(Val { start, end: self.i, node: Node::Array(elems) });
                }
                loop {
                    self.ws();
                    elems.push(self.value(depth + 1)?);
                    self.ws();
                    match self.peek()? {
                        b',' => self.i += 1,
                        b']' => {
                            self.i += 1;
                            return Some(Val { start, end: self.i, node: Node::Array(elems) });
                        }
                        _ => return None,
                    }
                }
            }
            b'"' => {
                self.string()?;
                Some(Val { start, end: self.i, node: Node::Scalar })
            }
            _ => {
                while self.i < self.b.len()
                    && !matches!(self.b[self.i], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                {
                    self.i += 1;
                }
                (self.i > start).then_some(Val { start, end: self.i, node: Node::Scalar })
            }
        }
    }

    fn string(&mut self) -> Option<()> {
        (self.peek()? == b'"').then_some(())?;
        self.i += 1;
        loop {
            match self.peek()? {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    return Some(());
                }
                _ => self.i += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_the_values() {
        let text = r#"{ "a": [1, "x"], "b": {} }"#;
        let root = parse(text.as_bytes()).expect("balanced");
        let Node::Object(members) = &root.node else { panic!("{root:?}") };
        let keys: Vec<(&str, &str)> =
            members.iter().map(|m| (m.key.as_str(), &text[m.value.start..m.value.end])).collect();
        assert_eq!(keys, [("a", r#"[1, "x"]"#), ("b", "{}")]);
        assert_eq!(&text[members[1].key_start..members[1].key_start + 3], r#""b""#);
        assert!(parse(b"{\"a\": [1}").is_none());
    }
}
