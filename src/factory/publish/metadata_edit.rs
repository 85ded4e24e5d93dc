//! Setting `module.version` in a MODULE_METADATA.yaml as a line-level edit: comments, key order,
//! quoting and blank lines of the author's file stay as they are. After the edit the file is
//! parsed again; it must hold the new version and be otherwise unchanged, or the edit is refused.
//!
//! Also: the MODULE_METADATA.yaml written for a module that ships none.
//!
//! Not here: reading the file from disk.

use serde_yaml::Value;

/// Why the version could not be set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetadataEditError {
    /// Not YAML; `offset` is the byte offset of the problem when known.
    Invalid { message: String, offset: Option<usize> },
    /// YAML, but `module` is not a block mapping agb can edit line by line.
    NotBlockMapping,
    /// The edit would have changed more than the version (a bug guard).
    Unverified,
}

/// Return `text` with `module.version` set to `version` (the key is created when missing; a
/// `module:` mapping is appended when the file has none).
pub fn set_module_version(text: &str, version: &str) -> Result<String, MetadataEditError> {
    let before: Value = if text.trim().is_empty() {
        Value::Mapping(Default::default())
    } else {
        serde_yaml::from_str(text).map_err(|e| MetadataEditError::Invalid {
            message: e.to_string(),
            offset: e.location().map(|l| l.index()),
        })?
    };
    if !matches!(before, Value::Mapping(_) | Value::Null) {
        return Err(MetadataEditError::NotBlockMapping);
    }
    let out = edit_lines(text, version)?;
    verify(&before, &out, version)?;
    Ok(out)
}

fn edit_lines(text: &str, version: &str) -> Result<String, MetadataEditError> {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let Some(module_idx) = lines.iter().position(|l| is_key_line(l, "module")) else {
        // no `module:` at all: append one
        let mut out = text.to_string();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(newline);
        }
        out.push_str(&format!("module:{newline}  version: {}{newline}", render_plain(version)));
        return Ok(out);
    };
    let after_key = strip_comment(value_after_colon(lines[module_idx]).unwrap_or("")).trim();
    if !after_key.is_empty() {
        // `module: {…}` or an anchor/alias: not a block mapping we can edit line by line
        return Err(MetadataEditError::NotBlockMapping);
    }

    // the block: following lines that are indented, blank, or comments, up to the next key at
    // column 0 (trailing blank/comment lines belong to whatever follows)
    let mut end = module_idx + 1;
    let mut last_content = module_idx;
    while end < lines.len() {
        let l = lines[end];
        let t = l.trim_start();
        if t.trim().is_empty() || t.starts_with('#') {
            end += 1;
            continue;
        }
        if indent_of(l) == 0 {
            break;
        }
        last_content = end;
        end += 1;
    }
    let child_indent = lines[module_idx + 1..=last_content.max(module_idx)]
        .iter()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| indent_of(l));

    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    match child_indent {
        Some(ci) => {
            let block = module_idx + 1..=last_content;
            let version_line =
                block.clone().find(|&i| indent_of(lines[i]) == ci && is_key_line(&lines[i][ci..], "version"));
            match version_line {
                Some(i) => out[i] = replace_value(lines[i], ci, version)?,
                None => {
                    // after `name:` when there is one, else first
                    let after = block
                        .clone()
                        .find(|&i| indent_of(lines[i]) == ci && is_key_line(&lines[i][ci..], "name"))
                        .unwrap_or(module_idx);
                    let eol = line_ending(lines[after], newline);
                    if !out[after].ends_with('\n') {
                        out[after].push_str(newline);
                    }
                    let new_line =
                        format!("{}version: {}{eol}", &lines[*block.start()][..ci], render_plain(version));
                    out.insert(after + 1, new_line);
                }
            }
        }
        None => {
            // `module:` with nothing under it
            if !out[module_idx].ends_with('\n') {
                out[module_idx].push_str(newline);
            }
            out.insert(module_idx + 1, format!("  version: {}{newline}", render_plain(version)));
        }
    }
    Ok(out.concat())
}

/// The newline a line ends with, or the file's when it is the last line without one.
fn line_ending<'a>(line: &'a str, default: &'a str) -> &'a str {
    if line.ends_with("\r\n") {
        "\r\n"
    } else if line.ends_with('\n') {
        "\n"
    } else {
        default
    }
}

/// Replace the value of `version:` on `line` (indented by `indent`), keeping its quoting style
/// and a trailing comment.
fn replace_value(line: &str, indent: usize, version: &str) -> Result<String, MetadataEditError> {
    let body = line.trim_end_matches(['\n', '\r']);
    let eol = &line[body.len()..];
    let rest = &body[indent..];
    let colon = rest.find(':').expect("is_key_line found the colon");
    let (key_part, after) = rest.split_at(colon + 1);
    let value_start = after.len() - after.trim_start().len();
    let value_and_comment = &after[value_start..];
    let space = if value_start == 0 { " " } else { &after[..value_start] };
    let (quoted, comment) = match value_and_comment.chars().next() {
        Some('"') => {
            let close = find_closing_double(value_and_comment).ok_or(MetadataEditError::NotBlockMapping)?;
            (format!("\"{version}\""), &value_and_comment[close + 1..])
        }
        Some('\'') => {
            let close = value_and_comment[1..].find('\'').ok_or(MetadataEditError::NotBlockMapping)? + 1;
            (format!("'{version}'"), &value_and_comment[close + 1..])
        }
        Some('|' | '>' | '&' | '*' | '!' | '[' | '{') => return Err(MetadataEditError::NotBlockMapping),
        _ => {
            let value = strip_comment(value_and_comment);
            (render_plain(version), &value_and_comment[value.len()..])
        }
    };
    Ok(format!("{}{key_part}{space}{quoted}{comment}{eol}", &body[..indent]))
}

fn find_closing_double(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// A semver string as a YAML scalar: plain when YAML reads it back as that string.
fn render_plain(version: &str) -> String {
    match serde_yaml::from_str::<Value>(version) {
        Ok(Value::String(s)) if s == version => version.to_string(),
        _ => format!("\"{version}\""),
    }
}

/// `key:` at the start of `line` (already de-indented), followed by a space, a comment or the end.
fn is_key_line(line: &str, key: &str) -> bool {
    let candidates = [key.to_string(), format!("\"{key}\""), format!("'{key}'")];
    candidates.iter().any(|k| {
        line.strip_prefix(k.as_str())
            .and_then(|r| r.trim_start_matches([' ', '\t']).strip_prefix(':'))
            .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t', '\n', '\r']))
    })
}

fn value_after_colon(line: &str) -> Option<&str> {
    line.split_once(':').map(|(_, v)| v.trim_end_matches(['\n', '\r']))
}

/// The part of a plain value before a ` #` comment.
fn strip_comment(s: &str) -> &str {
    let bytes = s.as_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'#' && (i == 0 || matches!(bytes[i - 1], b' ' | b'\t')) {
            return s[..i].trim_end();
        }
    }
    s.trim_end()
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn verify(before: &Value, out: &str, version: &str) -> Result<(), MetadataEditError> {
    let after: Value = serde_yaml::from_str(out).map_err(|_| MetadataEditError::Unverified)?;
    let got = after.get("module").and_then(|m| m.get("version")).and_then(Value::as_str);
    if got != Some(version) {
        return Err(MetadataEditError::Unverified);
    }
    let without_version = |v: &Value| {
        let mut v = v.clone();
        if let Some(Value::Mapping(m)) = v.get_mut("module") {
            m.remove("version");
        }
        if let Value::Mapping(m) = &mut v {
            // a `module:` that was empty (null) or created by the edit is empty without the version
            if m.get("module")
                .is_some_and(|x| x.is_null() || matches!(x, Value::Mapping(mm) if mm.is_empty()))
            {
                m.remove("module");
            }
        }
        if v.is_null() {
            v = Value::Mapping(Default::default());
        }
        v
    };
    if without_version(before) != without_version(&after) {
        return Err(MetadataEditError::Unverified);
    }
    Ok(())
}

/// A MODULE_METADATA.yaml (schema 2.0) for a module that ships none.
pub fn generated_metadata(
    provider: &str,
    category: &str,
    name: &str,
    version: &str,
    description: Option<&str>,
) -> String {
    let q = |s: &str| serde_json::to_string(s).expect("a string always serializes");
    let mut out = format!(
        "schema_version: \"2.0\"\nmodule:\n  name: {}\n  version: {}\n  provider: {}\n  category: {}\n",
        q(name),
        render_plain(version),
        q(provider),
        q(category)
    );
    if let Some(d) = description {
        out.push_str(&format!("  description: {}\n", q(d)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str, v: &str) -> String {
        set_module_version(text, v).unwrap()
    }

    #[test]
    fn replaces_only_the_version_value() {
        let text = "# header comment\nschema_version: \"2.0\"\nmodule:\n  name: my-vpc   # the name\n  version: 0.9.0 # bumped by agb\n  provider: aws\n\ninputs:\n  - name: cidr\n    version: keep\n";
        let out = set(text, "1.0.0");
        assert_eq!(out, text.replace("version: 0.9.0 # bumped", "version: 1.0.0 # bumped"));
    }

    #[test]
    fn keeps_the_quoting_style() {
        assert_eq!(set("module:\n  version: \"0.1.0\"\n", "1.0.0"), "module:\n  version: \"1.0.0\"\n");
        assert_eq!(
            set("module:\n    version: '0.1.0'  # q\n", "1.0.0"),
            "module:\n    version: '1.0.0'  # q\n"
        );
        assert_eq!(
            set("module:\r\n  version: 0.1.0\r\n  name: x\r\n", "2.0.0"),
            "module:\r\n  version: 2.0.0\r\n  name: x\r\n"
        );
    }

    #[test]
    fn inserts_a_missing_key_after_name() {
        let text = "schema_version: \"2.0\"\nmodule:\n  name: vpc\n  provider: aws\n# trailing\nother: 1\n";
        assert_eq!(
            set(text, "1.2.3"),
            "schema_version: \"2.0\"\nmodule:\n  name: vpc\n  version: 1.2.3\n  provider: aws\n# trailing\nother: 1\n"
        );
        assert_eq!(
            set("module:\n    provider: aws", "1.0.0"),
            "module:\n    version: 1.0.0\n    provider: aws"
        );
        assert_eq!(set("module:\nother: 1\n", "1.0.0"), "module:\n  version: 1.0.0\nother: 1\n");
        assert_eq!(
            set("schema_version: \"2.0\"", "1.0.0"),
            "schema_version: \"2.0\"\nmodule:\n  version: 1.0.0\n"
        );
    }

    #[test]
    fn nested_version_keys_are_not_touched() {
        let text = "module:\n  name: x\n  deps:\n    version: 5.0.0\n  version: 1.0.0\n";
        assert_eq!(set(text, "1.1.0"), "module:\n  name: x\n  deps:\n    version: 5.0.0\n  version: 1.1.0\n");
    }

    #[test]
    fn prerelease_and_build_versions_stay_strings() {
        let out = set("module:\n  version: 1.0.0\n", "1.0.0-rc.1+build.5");
        let v: Value = serde_yaml::from_str(&out).unwrap();
        assert_eq!(v["module"]["version"], Value::String("1.0.0-rc.1+build.5".into()));
    }

    #[test]
    fn flow_and_broken_files_are_refused() {
        assert_eq!(
            set_module_version("module: {name: x, version: 1.0.0}\n", "2.0.0"),
            Err(MetadataEditError::NotBlockMapping)
        );
        assert!(matches!(
            set_module_version("module:\n  name: [\n", "2.0.0"),
            Err(MetadataEditError::Invalid { .. })
        ));
        assert_eq!(set_module_version("- a\n- b\n", "2.0.0"), Err(MetadataEditError::NotBlockMapping));
    }

    #[test]
    fn generated_metadata_parses() {
        let text = generated_metadata("aws", "networking", "my-vpc", "1.0.0", Some("A: \"VPC\""));
        let v: Value = serde_yaml::from_str(&text).unwrap();
        assert_eq!(v["schema_version"], Value::String("2.0".into()));
        assert_eq!(v["module"]["version"], Value::String("1.0.0".into()));
        assert_eq!(v["module"]["description"], Value::String("A: \"VPC\"".into()));
    }
}
