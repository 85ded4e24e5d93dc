//! Adding a version to `catalog.json` as a textual edit, so the pull request's diff shows the new
//! entry and nothing else: the file's key order, indentation, array style (inline or one element
//! per line) and final newline are kept byte for byte.
//!
//! How: a small span parser finds where the values of interest sit; the edit inserts or replaces
//! only those byte ranges; the result is parsed again and must equal the original document with
//! exactly the intended changes applied, otherwise the edit is refused.
//!
//! Not here: deciding whether the version may be published (see the publish plan).

use serde_json::{Map, Value};

use crate::text::json_span::{self, Member, Node, Val};

/// What went wrong editing catalog.json. `agb publish` names the file and shows its own help
/// around the message; a library caller gets this help.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum CatalogEditError {
    /// The file is not JSON.
    #[error("not valid JSON ({0})")]
    #[diagnostic(
        code(agb::publish::catalog::invalid),
        help("fix the JSON syntax of the catalog on the factory branch (`agb factory lint` checks it)")
    )]
    Invalid(String),
    /// JSON, but not the shape of SPEC §2.2 (`{"modules": {<path>: {"versions": [...]}}}`).
    #[error("{0}")]
    #[diagnostic(
        code(agb::publish::catalog::shape),
        help("the catalog must be a JSON object with a `modules` object of module entries, each with a `versions` array")
    )]
    Shape(String),
    /// The edit would have changed more than the new entry (a bug guard).
    #[error("agb could not add the entry without changing other parts of the file")]
    #[diagnostic(
        code(agb::publish::catalog::unverified),
        help("this is a bug in agb; please report it with the catalog file, and add the version by hand meanwhile")
    )]
    Unverified,
}

/// The inputs of one catalog edit.
#[derive(Debug, Clone)]
pub struct NewVersion<'a> {
    pub module: &'a str,
    pub version: &'a semver::Version,
    /// Used only when the module is new to the catalog.
    pub description: Option<&'a str>,
    /// The new `last_updated` value.
    pub timestamp: &'a str,
}

/// Return `text` with `new.version` added to `new.module` (the module is created when absent),
/// `latest` recomputed by semver, and `last_updated` set.
pub fn add_version(text: &str, new: &NewVersion<'_>) -> Result<String, CatalogEditError> {
    let original: Value = serde_json::from_str(text).map_err(|e| CatalogEditError::Invalid(e.to_string()))?;
    let root = json_span::parse(text.as_bytes())
        .ok_or_else(|| CatalogEditError::Invalid("unbalanced JSON".into()))?;
    let style = Style::detect(text);
    let mut edits: Vec<(usize, usize, String)> = Vec::new();

    let Node::Object(root_members) = &root.node else {
        return Err(CatalogEditError::Shape("the top level is not an object".into()));
    };
    let version_str = new.version.to_string();

    // modules
    let last_updated_done = edit_modules(text, &root, root_members, new, &version_str, &style, &mut edits)?;

    // last_updated
    match root_members.iter().find(|m| m.key == "last_updated") {
        _ if last_updated_done => {}
        Some(m) => edits.push((m.value.start, m.value.end, json_string(new.timestamp))),
        None => {
            let member = format!("\"last_updated\"{}{}", style.colon, json_string(new.timestamp));
            // before `modules` when there is one, so the line is a pure addition
            let before = root_members.iter().position(|m| m.key == "modules");
            edits.push(insert_member_at(text, &root, root_members, before, &member, &style, 0));
        }
    }

    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (start, end, replacement) in edits {
        out.replace_range(start..end, &replacement);
    }

    let mut edited: Value = serde_json::from_str(&out).map_err(|_| CatalogEditError::Unverified)?;
    let mut wanted = expected(original, new)?;
    // the version's position in the array is the edit's choice; everything else must match
    for doc in [&mut edited, &mut wanted] {
        if let Some(Value::Array(vs)) = doc
            .pointer_mut(&format!("/modules/{}/versions", new.module.replace('~', "~0").replace('/', "~1")))
        {
            vs.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
        }
    }
    if edited != wanted {
        return Err(CatalogEditError::Unverified);
    }
    Ok(out)
}

/// Add the version under `modules` (creating the member, the module's entry, or both). True when
/// the root was `{}` and its `last_updated` member is written too.
fn edit_modules(
    text: &str,
    root: &Val,
    root_members: &[Member],
    new: &NewVersion<'_>,
    version_str: &str,
    style: &Style,
    edits: &mut Vec<(usize, usize, String)>,
) -> Result<bool, CatalogEditError> {
    let modules_member = root_members.iter().find(|m| m.key == "modules");
    // `{}` (a factory's first catalog) gets both members in one replacement: two insertions into
    // one empty object would each replace the whole `{}`.
    match modules_member {
        None if root_members.is_empty() => {
            let entry = render_module_entry(new, style, 2, None);
            let modules = wrap_object(&[(new.module, entry)], style, 1);
            let fields = [("last_updated", json_string(new.timestamp)), ("modules", modules)];
            edits.push((root.start, root.end, wrap_object(&fields, style, 0)));
            return Ok(true);
        }
        None => {
            let entry = render_module_entry(new, style, 2, None);
            let member =
                format!("\"modules\"{}{}", style.colon, wrap_object(&[(new.module, entry)], style, 1));
            edits.push(insert_member(text, root, root_members, "modules", &member, style, 0, false));
        }
        Some(modules) => {
            let Node::Object(mods) = &modules.value.node else {
                return Err(CatalogEditError::Shape("`modules` is not an object".into()));
            };
            match mods.iter().find(|m| m.key == new.module) {
                Some(existing) => edit_existing_module(text, existing, new, version_str, style, edits)?,
                None => {
                    let template = mods.iter().find_map(|m| match &m.value.node {
                        Node::Object(ms) => Some((ms, &m.value)),
                        _ => None,
                    });
                    let inline_arrays = template
                        .and_then(|(ms, _)| ms.iter().find(|m| m.key == "versions"))
                        .map(|m| !text[m.value.start..m.value.end].contains('\n'));
                    let key_order: Option<Vec<&str>> =
                        template.map(|(ms, _)| ms.iter().map(|m| m.key.as_str()).collect());
                    let entry =
                        render_module_entry(new, style, 2, Some((inline_arrays, key_order.as_deref())));
                    let member = format!("{}{}{entry}", json_string(new.module), style.colon);
                    let sorted = is_sorted(mods.iter().map(|m| m.key.as_str()));
                    edits.push(insert_member(
                        text,
                        &modules.value,
                        mods,
                        new.module,
                        &member,
                        style,
                        1,
                        sorted,
                    ));
                }
            }
        }
    }
    Ok(false)
}

/// The original document with the intended changes applied to the parsed value: the oracle the
/// textual edit is checked against.
fn expected(mut doc: Value, new: &NewVersion<'_>) -> Result<Value, CatalogEditError> {
    let shape = |m: &str| CatalogEditError::Shape(m.to_string());
    let root = doc.as_object_mut().ok_or_else(|| shape("the top level is not an object"))?;
    root.insert("last_updated".into(), Value::String(new.timestamp.into()));
    let modules = root.entry("modules").or_insert_with(|| Value::Object(Map::new()));
    let modules = modules.as_object_mut().ok_or_else(|| shape("`modules` is not an object"))?;
    let entry = modules.entry(new.module).or_insert_with(|| {
        let mut m = Map::new();
        m.insert("latest".into(), Value::String(String::new()));
        m.insert("versions".into(), Value::Array(vec![]));
        if let Some(d) = new.description {
            m.insert("description".into(), Value::String(d.into()));
        }
        Value::Object(m)
    });
    let entry = entry.as_object_mut().ok_or_else(|| shape("a module entry is not an object"))?;
    let versions = entry.entry("versions").or_insert_with(|| Value::Array(vec![]));
    let versions = versions.as_array_mut().ok_or_else(|| shape("`versions` is not an array"))?;
    versions.push(Value::String(new.version.to_string()));
    let latest = latest_of(versions.iter().filter_map(Value::as_str));
    entry.insert("latest".into(), Value::String(latest.unwrap_or_else(|| new.version.to_string())));
    Ok(doc)
}

/// The highest semver among `versions` (non-semver strings are ignored).
pub fn latest_of<'a>(versions: impl Iterator<Item = &'a str>) -> Option<String> {
    versions
        .filter_map(|v| semver::Version::parse(v.strip_prefix('v').unwrap_or(v)).ok().map(|p| (p, v)))
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, v)| v.to_string())
}

fn edit_existing_module(
    text: &str,
    existing: &Member,
    new: &NewVersion<'_>,
    version_str: &str,
    style: &Style,
    edits: &mut Vec<(usize, usize, String)>,
) -> Result<(), CatalogEditError> {
    let Node::Object(fields) = &existing.value.node else {
        return Err(CatalogEditError::Shape(format!("the entry of {} is not an object", new.module)));
    };
    let versions_member = fields.iter().find(|m| m.key == "versions");
    let mut all_versions: Vec<String> = vec![version_str.to_string()];
    match versions_member {
        Some(vm) => {
            let Node::Array(elems) = &vm.value.node else {
                return Err(CatalogEditError::Shape(format!("`versions` of {} is not an array", new.module)));
            };
            let values: Vec<String> = elems
                .iter()
                .map(|e| serde_json::from_str::<String>(&text[e.start..e.end]).unwrap_or_default())
                .collect();
            all_versions.extend(values.iter().cloned());
            edits.push(insert_array_element(text, &vm.value, elems, &values, new.version));
        }
        None => {
            let member = format!("\"versions\"{}[{}]", style.colon, json_string(version_str));
            edits.push(insert_member_at(text, &existing.value, fields, None, &member, style, 2));
        }
    }
    let latest =
        latest_of(all_versions.iter().map(String::as_str)).unwrap_or_else(|| version_str.to_string());
    match fields.iter().find(|m| m.key == "latest") {
        Some(lm) => {
            let current: Option<String> = serde_json::from_str(&text[lm.value.start..lm.value.end]).ok();
            if current.as_deref() != Some(latest.as_str()) {
                edits.push((lm.value.start, lm.value.end, json_string(&latest)));
            }
        }
        None => {
            let member = format!("\"latest\"{}{}", style.colon, json_string(&latest));
            let before = fields.iter().position(|m| m.key == "versions");
            edits.push(insert_member_at(text, &existing.value, fields, before, &member, style, 2));
        }
    }
    Ok(())
}

/// Insert `"v"` into a versions array: at its semver place when the array is sorted, else last.
fn insert_array_element(
    text: &str,
    array: &Val,
    elems: &[Val],
    values: &[String],
    version: &semver::Version,
) -> (usize, usize, String) {
    let item = json_string(&version.to_string());
    if elems.is_empty() {
        return (array.start, array.end, format!("[{item}]"));
    }
    let parsed: Vec<Option<semver::Version>> =
        values.iter().map(|v| semver::Version::parse(v).ok()).collect();
    let sorted = parsed.iter().all(Option::is_some)
        && parsed.windows(2).all(|w| w[0].as_ref().expect("checked") <= w[1].as_ref().expect("checked"));
    let before =
        if sorted { parsed.iter().position(|p| p.as_ref().is_some_and(|p| p > version)) } else { None };
    match before {
        Some(i) => {
            // `"new",` + the exact whitespace that preceded element i, so the line structure repeats
            let ws = &text[prev_non_ws(text, elems[i].start)..elems[i].start];
            let sep =
                if ws.is_empty() && i > 0 { between(text, &elems[i - 1], &elems[i]) } else { ws.to_string() };
            let sep = if sep.is_empty() { " ".to_string() } else { sep };
            (elems[i].start, elems[i].start, format!("{item},{sep}"))
        }
        None => {
            let last = &elems[elems.len() - 1];
            let sep = if elems.len() >= 2 {
                between(text, &elems[elems.len() - 2], last)
            } else {
                let ws = &text[prev_non_ws(text, last.start)..last.start];
                if ws.contains('\n') {
                    ws.to_string()
                } else {
                    " ".to_string()
                }
            };
            (last.end, last.end, format!(",{sep}{item}"))
        }
    }
}

/// The whitespace after the comma between two adjacent elements.
fn between(text: &str, a: &Val, b: &Val) -> String {
    let gap = &text[a.end..b.start];
    gap.split_once(',').map_or(String::new(), |(_, after)| after.to_string())
}

/// Index of the first whitespace byte of the run that ends at `pos`.
fn prev_non_ws(text: &str, pos: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = pos;
    while i > 0 && matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'\r') {
        i -= 1;
    }
    i
}

/// Insert a member into an object: before the first key that sorts after `key` when the keys
/// are sorted, else last.
#[allow(clippy::too_many_arguments)]
fn insert_member(
    text: &str,
    object: &Val,
    members: &[Member],
    key: &str,
    member: &str,
    style: &Style,
    depth: usize,
    sorted: bool,
) -> (usize, usize, String) {
    let before = if sorted { members.iter().position(|m| m.key.as_str() > key) } else { None };
    insert_member_at(text, object, members, before, member, style, depth)
}

/// Insert `member` (already rendered for the object's depth) before member `before`, or last.
/// `depth` is the nesting depth of the object itself (0 = the root).
fn insert_member_at(
    text: &str,
    object: &Val,
    members: &[Member],
    before: Option<usize>,
    member: &str,
    style: &Style,
    depth: usize,
) -> (usize, usize, String) {
    if members.is_empty() {
        // `{}` becomes a one-member object in the file's style
        let body = match &style.indent {
            Some(unit) => {
                format!(
                    "{{{nl}{}{member}{nl}{}}}",
                    unit.repeat(depth + 1),
                    unit.repeat(depth),
                    nl = style.newline
                )
            }
            None => format!("{{{member}}}"),
        };
        return (object.start, object.end, body);
    }
    match before {
        Some(i) => {
            let at = members[i].key_start;
            let ws = &text[prev_non_ws(text, at)..at];
            let sep = if ws.is_empty() { style.inline_sep() } else { ws.to_string() };
            (at, at, format!("{member},{sep}"))
        }
        None => {
            let last = &members[members.len() - 1];
            let ws = &text[prev_non_ws(text, last.key_start)..last.key_start];
            let sep = if ws.is_empty() { style.inline_sep() } else { ws.to_string() };
            (last.value.end, last.value.end, format!(",{sep}{member}"))
        }
    }
}

/// The text of a new module's value (`{ "latest": …, "versions": […], "description": … }`) for
/// an entry at `depth` (2 = a member of `modules`), copying the key order and array style of an
/// existing entry when there is one.
fn render_module_entry(
    new: &NewVersion<'_>,
    style: &Style,
    depth: usize,
    template: Option<(Option<bool>, Option<&[&str]>)>,
) -> String {
    let v = json_string(&new.version.to_string());
    let inline_arrays = template.and_then(|t| t.0).unwrap_or(style.indent.is_none());
    let versions = match (&style.indent, inline_arrays) {
        (Some(unit), false) => {
            format!("[{nl}{}{v}{nl}{}]", unit.repeat(depth + 2), unit.repeat(depth + 1), nl = style.newline)
        }
        _ => format!("[{v}]"),
    };
    let mut order: Vec<&str> = Vec::new();
    if let Some(keys) = template.and_then(|t| t.1) {
        order.extend(keys.iter().copied().filter(|k| matches!(*k, "latest" | "versions" | "description")));
    }
    for k in ["latest", "versions", "description"] {
        if !order.contains(&k) {
            order.push(k);
        }
    }
    let fields: Vec<(&str, String)> = order
        .into_iter()
        .filter_map(|k| match k {
            "latest" => Some((k, v.clone())),
            "versions" => Some((k, versions.clone())),
            "description" => new.description.map(|d| (k, json_string(d))),
            _ => None,
        })
        .collect();
    wrap_object(&fields, style, depth)
}

/// `{ "k": v, … }` in the file's style for an object at `depth`.
fn wrap_object(fields: &[(&str, String)], style: &Style, depth: usize) -> String {
    let colon = style.colon.as_str();
    match &style.indent {
        Some(unit) => {
            let inner = unit.repeat(depth + 1);
            let lines: Vec<String> =
                fields.iter().map(|(k, v)| format!("{inner}{}{colon}{v}", json_string(k))).collect();
            format!(
                "{{{nl}{}{nl}{}}}",
                lines.join(&format!(",{}", style.newline)),
                unit.repeat(depth),
                nl = style.newline
            )
        }
        None => {
            let parts: Vec<String> =
                fields.iter().map(|(k, v)| format!("{}{colon}{v}", json_string(k))).collect();
            format!("{{{}}}", parts.join(&format!(",{}", style.inline_sep())))
        }
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string always serializes")
}

fn is_sorted<'a>(mut keys: impl Iterator<Item = &'a str>) -> bool {
    let Some(mut prev) = keys.next() else { return true };
    for k in keys {
        if k < prev {
            return false;
        }
        prev = k;
    }
    true
}

/// The formatting conventions of a catalog file.
#[derive(Debug, Clone)]
struct Style {
    /// The indentation unit, or `None` for a one-line (minified) file.
    indent: Option<String>,
    newline: &'static str,
    /// `": "` or `":"`.
    colon: String,
    /// Whether one-line objects put a space after commas.
    comma_space: bool,
}

impl Style {
    fn detect(text: &str) -> Self {
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        // the first indented line that starts with a key gives the unit (the root's members sit
        // one unit deep)
        let indent = text.lines().skip(1).find_map(|line| {
            let trimmed = line.trim_start_matches([' ', '\t']);
            let ws = &line[..line.len() - trimmed.len()];
            (!ws.is_empty() && trimmed.starts_with('"')).then(|| ws.to_string())
        });
        let colon = if text.contains("\": ") || !text.contains("\":") { ": " } else { ":" }.to_string();
        let comma_space = text.contains(", ") || !text.contains(',');
        Style { indent, newline, colon, comma_space }
    }

    /// What follows a comma in a one-line object or array.
    fn inline_sep(&self) -> String {
        if self.comma_space { " " } else { "" }.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TS: &str = "2026-11-22T01:00:00Z";

    fn add(text: &str, module: &str, version: &str, description: Option<&str>) -> String {
        let version = semver::Version::parse(version).unwrap();
        add_version(text, &NewVersion { module, version: &version, description, timestamp: TS }).unwrap()
    }

    /// Lines removed and added by the edit (a multiset diff is enough for these small files).
    fn line_changes(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
        let diff = similar::TextDiff::from_lines(before, after);
        let mut removed = vec![];
        let mut added = vec![];
        for c in diff.iter_all_changes() {
            match c.tag() {
                similar::ChangeTag::Delete => removed.push(c.value().trim_end().to_string()),
                similar::ChangeTag::Insert => added.push(c.value().trim_end().to_string()),
                similar::ChangeTag::Equal => {}
            }
        }
        (removed, added)
    }

    const TWO_SPACE: &str = r#"{
  "version": "1.0.0",
  "last_updated": "2025-01-28T10:00:00Z",
  "modules": {
    "aws/compute/ec2": {
      "latest": "2.0.0",
      "versions": [
        "1.0.0",
        "2.0.0"
      ],
      "description": "EC2 instance"
    },
    "aws/networking/vpc": {
      "latest": "1.2.0",
      "versions": [
        "1.0.0",
        "1.1.0",
        "1.2.0"
      ],
      "description": "VPC production-ready"
    }
  }
}
"#;

    #[test]
    fn an_empty_catalog_object_gets_its_first_module() {
        // a new factory's catalog.json may be just `{}`; two insertions into it used to clash
        for text in ["{}", "{}\n", "{ }\n"] {
            let out = add(text, "aws/networking/vpc", "1.0.0", Some("VPC"));
            let doc: Value = serde_json::from_str(&out).unwrap();
            assert_eq!(doc["modules"]["aws/networking/vpc"]["latest"], "1.0.0", "{text:?} → {out}");
            assert_eq!(doc["modules"]["aws/networking/vpc"]["versions"], serde_json::json!(["1.0.0"]));
            assert_eq!(doc["last_updated"], TS);
            assert_eq!(out.ends_with('\n'), text.ends_with('\n'));
        }
    }

    #[test]
    fn new_module_in_sorted_position_is_a_pure_addition_plus_timestamp() {
        let out = add(TWO_SPACE, "aws/database/rds", "1.0.0", Some("RDS \"managed\""));
        let (removed, added) = line_changes(TWO_SPACE, &out);
        assert_eq!(removed, vec![r#"  "last_updated": "2025-01-28T10:00:00Z","#]);
        assert_eq!(
            added,
            vec![
                r#"  "last_updated": "2026-11-22T01:00:00Z","#,
                r#"    "aws/database/rds": {"#,
                r#"      "latest": "1.0.0","#,
                r#"      "versions": ["#,
                r#"        "1.0.0""#,
                r#"      ],"#,
                r#"      "description": "RDS \"managed\"""#,
                r#"    },"#,
            ]
        );
        assert!(out.ends_with("}\n"));
    }

    #[test]
    fn new_version_of_existing_module_adds_one_line_and_moves_latest() {
        let out = add(TWO_SPACE, "aws/networking/vpc", "1.3.0", None);
        let (removed, added) = line_changes(TWO_SPACE, &out);
        assert_eq!(
            removed,
            vec![
                r#"  "last_updated": "2025-01-28T10:00:00Z","#,
                r#"      "latest": "1.2.0","#,
                r#"        "1.2.0""#,
            ]
        );
        assert_eq!(
            added,
            vec![
                r#"  "last_updated": "2026-11-22T01:00:00Z","#,
                r#"      "latest": "1.3.0","#,
                r#"        "1.2.0","#,
                r#"        "1.3.0""#,
            ]
        );
    }

    #[test]
    fn older_version_goes_in_semver_order_and_latest_stays() {
        let out = add(TWO_SPACE, "aws/networking/vpc", "1.1.5", None);
        let (removed, added) = line_changes(TWO_SPACE, &out);
        assert_eq!(removed, vec![r#"  "last_updated": "2025-01-28T10:00:00Z","#]);
        assert_eq!(added, vec![r#"  "last_updated": "2026-11-22T01:00:00Z","#, r#"        "1.1.5","#]);
    }

    #[test]
    fn semver_not_string_order_decides_latest() {
        let text = "{\n  \"modules\": {\n    \"a/b/c\": {\"latest\": \"1.9.0\", \"versions\": [\"1.9.0\"]}\n  }\n}\n";
        let out = add(text, "a/b/c", "1.10.0", None);
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["modules"]["a/b/c"]["latest"], "1.10.0");
        assert_eq!(v["modules"]["a/b/c"]["versions"], serde_json::json!(["1.9.0", "1.10.0"]));
        assert_eq!(v["last_updated"], TS);
        // inline arrays stay inline, and the new key lands before `modules`
        assert!(out.contains("\"versions\": [\"1.9.0\", \"1.10.0\"]"), "{out}");
        assert!(out.starts_with("{\n  \"last_updated\": \"2026-11-22T01:00:00Z\",\n  \"modules\""), "{out}");
    }

    #[test]
    fn spec_style_inline_arrays_and_four_spaces_are_kept() {
        let text = "{\n    \"version\": \"1.0.0\",\n    \"last_updated\": \"x\",\n    \"modules\": {\n        \"b/b/b\": {\n            \"description\": \"B\",\n            \"versions\": [\"1.0.0\"],\n            \"latest\": \"1.0.0\"\n        }\n    }\n}";
        let out = add(text, "c/c/c", "0.1.0", Some("C"));
        // appended last (sorts after b/b/b): the previous entry's `}` gains a comma
        assert!(
            out.contains("        },\n        \"c/c/c\": {\n            \"description\": \"C\",\n            \"versions\": [\"0.1.0\"],\n            \"latest\": \"0.1.0\"\n        }\n    }\n}"),
            "{out}"
        );
        assert!(!out.ends_with('\n'), "no final newline added");
    }

    #[test]
    fn tabs_crlf_and_minified_files_keep_their_style() {
        let tabs = "{\r\n\t\"modules\": {\r\n\t\t\"a/a/a\": {\r\n\t\t\t\"latest\": \"1.0.0\",\r\n\t\t\t\"versions\": [\r\n\t\t\t\t\"1.0.0\"\r\n\t\t\t]\r\n\t\t}\r\n\t}\r\n}\r\n";
        let out = add(tabs, "a/a/a", "1.0.1", None);
        assert!(out.contains("\t\t\t\t\"1.0.0\",\r\n\t\t\t\t\"1.0.1\"\r\n"), "{out:?}");
        assert!(!out.replace("\r\n", "").contains('\n'));

        let min = r#"{"modules":{"a/a/a":{"latest":"1.0.0","versions":["1.0.0"]}},"last_updated":"x"}"#;
        let out = add(min, "a/a/b", "1.0.0", None);
        assert_eq!(
            out,
            r#"{"modules":{"a/a/a":{"latest":"1.0.0","versions":["1.0.0"]},"a/a/b":{"latest":"1.0.0","versions":["1.0.0"]}},"last_updated":"2026-11-22T01:00:00Z"}"#
        );
    }

    #[test]
    fn empty_and_missing_modules_objects_are_filled() {
        let out = add("{\n  \"version\": \"1.0.0\",\n  \"modules\": {}\n}\n", "a/b/c", "1.0.0", Some("d"));
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["modules"]["a/b/c"]["versions"], serde_json::json!(["1.0.0"]));
        assert!(out.contains("  \"modules\": {\n    \"a/b/c\": {\n      \"latest\""), "{out}");

        let out = add("{\n  \"version\": \"1.0.0\"\n}\n", "a/b/c", "1.0.0", None);
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["modules"]["a/b/c"]["latest"], "1.0.0");
    }

    #[test]
    fn unknown_keys_and_order_survive() {
        let text = "{\n  \"zeta\": [1, 2, {\"x\": null}],\n  \"modules\": {\n    \"a/a/a\": {\n      \"owner\": \"team\",\n      \"versions\": [\"1.0.0\"],\n      \"latest\": \"1.0.0\"\n    }\n  },\n  \"last_updated\": \"t\",\n  \"alpha\": true\n}\n";
        let out = add(text, "a/a/a", "2.0.0", None);
        let (removed, _) = line_changes(text, &out);
        assert_eq!(removed.len(), 3, "{removed:?}"); // versions line, latest, last_updated
        let keys: Vec<String> =
            serde_json::from_str::<Map<String, Value>>(&out).unwrap().keys().cloned().collect();
        assert_eq!(keys, ["zeta", "modules", "last_updated", "alpha"]);
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        let v = semver::Version::parse("1.0.0").unwrap();
        let nv = NewVersion { module: "a/b/c", version: &v, description: None, timestamp: TS };
        assert!(matches!(add_version("{", &nv), Err(CatalogEditError::Invalid(_))));
        assert!(matches!(add_version("[]", &nv), Err(CatalogEditError::Shape(_))));
        assert!(matches!(add_version("{\"modules\": []}", &nv), Err(CatalogEditError::Shape(_))));
        assert!(matches!(add_version("{\"modules\": {\"a/b/c\": 3}}", &nv), Err(CatalogEditError::Shape(_))));
    }

    #[test]
    fn latest_is_semver_max() {
        assert_eq!(latest_of(["1.2.0", "1.10.0", "1.9.9"].into_iter()).as_deref(), Some("1.10.0"));
        assert_eq!(latest_of(["1.0.0-rc.1", "1.0.0"].into_iter()).as_deref(), Some("1.0.0"));
        assert_eq!(latest_of(std::iter::empty()), None);
    }

    /// A catalog as serde_json's pretty printer writes it, with the given indent.
    fn pretty(doc: &Value, indent: &[u8]) -> String {
        use serde::Serialize;
        let mut out = Vec::new();
        let fmt = serde_json::ser::PrettyFormatter::with_indent(indent);
        let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
        doc.serialize(&mut ser).unwrap();
        String::from_utf8(out).unwrap() + "\n"
    }

    proptest::proptest! {
        /// Any catalog written by a JSON pretty printer (2 spaces, 4 spaces, tabs), any new
        /// module or version: the edit is accepted, and the only removed lines are the ones the
        /// change forces (`last_updated`, `latest`, a line that gains a comma).
        #[test]
        fn pretty_printed_catalogs_get_minimal_diffs(
            modules in proptest::collection::btree_map(
                "[a-c]/[a-c]/[a-c]",
                proptest::collection::btree_set((0u64..3, 0u64..3), 1..4),
                0..5,
            ),
            target in "[a-c]/[a-c]/[a-c]",
            new in (0u64..4, 0u64..4),
            indent in proptest::sample::select(vec!["  ", "    ", "\t"]),
        ) {
            let mut mods = Map::new();
            for (name, versions) in &modules {
                let vs: Vec<Value> = versions.iter().map(|(a, b)| Value::String(format!("{a}.{b}.0"))).collect();
                let latest = vs.last().cloned().unwrap();
                mods.insert(name.clone(), serde_json::json!({"latest": latest, "versions": vs, "description": name}));
            }
            let doc = serde_json::json!({"version": "1.0.0", "last_updated": "t", "modules": mods});
            let text = pretty(&doc, indent.as_bytes());
            let version = semver::Version::new(new.0, new.1, 0);
            let exists = modules.get(&target).is_some_and(|vs| vs.contains(&new));
            proptest::prop_assume!(!exists);
            let out = add_version(&text, &NewVersion { module: &target, version: &version, description: Some("d"), timestamp: TS });
            proptest::prop_assert!(out.is_ok(), "{:?}", out);
            let out = out.unwrap();
            let (removed, _) = line_changes(&text, &out);
            for r in &removed {
                let t = r.trim();
                let allowed = t.starts_with("\"last_updated\"")
                    || t.starts_with("\"latest\"")
                    || t == "}"
                    || t.ends_with("{}") // an empty `modules` gets its first entry
                    || (t.starts_with('"') && t.ends_with('"') && !t.contains(':'));
                proptest::prop_assert!(allowed, "removed {:?}\n{}\n---\n{}", r, text, out);
            }
            proptest::prop_assert!(removed.len() <= 3, "{:?}", removed);
        }
    }

    proptest::proptest! {
        /// Whatever the existing versions, the edit parses, adds exactly one version and keeps
        /// every other byte-range of the file.
        #[test]
        fn edit_is_verified_for_any_version_set(
            existing in proptest::collection::btree_set((0u64..4, 0u64..4, 0u64..4), 0..5),
            new in (0u64..5, 0u64..5, 0u64..5),
            inline in proptest::bool::ANY,
        ) {
            let new = semver::Version::new(new.0, new.1, new.2);
            let existing: Vec<semver::Version> =
                existing.into_iter().map(|(a, b, c)| semver::Version::new(a, b, c)).filter(|v| *v != new).collect();
            let list: Vec<String> = existing.iter().map(|v| format!("\"{v}\"")).collect();
            let arr = if inline { format!("[{}]", list.join(", ")) }
                else if list.is_empty() { "[]".to_string() }
                else { format!("[\n        {}\n      ]", list.join(",\n        ")) };
            let text = format!("{{\n  \"modules\": {{\n    \"m/m/m\": {{\n      \"versions\": {arr}\n    }}\n  }}\n}}\n");
            let out = add_version(&text, &NewVersion { module: "m/m/m", version: &new, description: None, timestamp: TS });
            proptest::prop_assert!(out.is_ok(), "{:?}\n{}", out, text);
        }
    }
}
