//! Reading a module version's `.tf` files (`hcl-edit`) into a [`ModuleModel`]: per directory, what
//! callers depend on, with expressions normalised so layout and comments never count as a change.
//!
//! Not here: comparing two models (see `rules`), version constraints (see `constraints`).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};
use hcl_edit::Span as _;
use miette::{NamedSource, SourceSpan};

use super::{BumpError, InvalidHcl};

/// What a module exposes, per directory (`""` = the root module, `modules/x` = a submodule).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModuleModel {
    pub dirs: BTreeMap<String, DirModel>,
    /// Path → text of every parsed `.tf` file, so a finding can be shown at its place.
    pub sources: BTreeMap<String, Arc<str>>,
    /// Every file (not only `.tf`) → whether it is stored as executable (mode 100755). Set by
    /// the caller, from the file system or the git tree: a file's mode is not in its text.
    pub executable: BTreeMap<String, bool>,
}

/// Where a finding is in a `.tf` file: path, 1-based line and the byte span (for miette).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loc {
    pub file: String,
    pub line: usize,
    pub offset: usize,
    pub len: usize,
}

impl Loc {
    /// The place of byte range `range` in `text` (the file `file`).
    pub fn at(file: &str, text: &str, range: std::ops::Range<usize>) -> Loc {
        let offset = range.start.min(text.len());
        let line = text.as_bytes()[..offset].iter().filter(|b| **b == b'\n').count() + 1;
        // The first line only: a label over a whole resource block would print all of it.
        let end = range.end.min(text.len()).max(offset);
        let len = text[offset..end].find('\n').unwrap_or(end - offset);
        Loc { file: file.to_string(), line, offset, len }
    }
}

/// How a resource or module call is instanced: which addresses its instances have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Instancing {
    /// One instance, or `count` (Terraform moves `a.b` ↔ `a.b[0]` by itself).
    Single,
    Count,
    /// `for_each`; the key expression when it is a `{ for k, v in … : KEY => … }` (iterator names
    /// replaced by `$k`/`$v`), else None (keys of the collection).
    ForEach(Option<String>),
}

/// How a resource argument is written. For a nested block type in Terraform's "attributes as
/// blocks" mode both are allowed and they differ: `x = []` removes every existing entry, no
/// block leaves them unmanaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgumentForm {
    /// `x = value`.
    Argument,
    /// `x { … }` or `dynamic "x" { … }`.
    Blocks,
}

/// The arguments of a resource body, by path (`a`, `b.c` inside block `b`); a name written
/// both ways (not valid Terraform) keeps the first form seen.
fn argument_forms(body: &Body, prefix: &str, out: &mut BTreeMap<String, ArgumentForm>) {
    for s in body.iter() {
        match s {
            hcl_edit::structure::Structure::Attribute(a) => {
                let key = a.key.as_str();
                // An object literal is a map argument (`tags = { … }`, which Terraform 0.11
                // also took as `tags { … }`), never a block type's list of entries.
                let is_map = matches!(a.value, Expression::Object(_));
                if !is_map && !matches!(key, "count" | "for_each" | "provider" | "depends_on") {
                    out.entry(format!("{prefix}{key}")).or_insert(ArgumentForm::Argument);
                }
            }
            hcl_edit::structure::Structure::Block(b) => {
                let (name, inner) = match (b.ident.as_str(), b.labels.first()) {
                    ("dynamic", Some(label)) => {
                        let content = b.body.get_blocks("content").next().map(|c| &c.body);
                        (label.as_str(), content)
                    }
                    ("lifecycle" | "provisioner" | "connection", _) if prefix.is_empty() => continue,
                    (ident, _) => (ident, Some(&b.body)),
                };
                let path = format!("{prefix}{name}");
                out.entry(path.clone()).or_insert(ArgumentForm::Blocks);
                if let Some(inner) = inner {
                    argument_forms(inner, &format!("{path}."), out);
                }
            }
        }
    }
}

/// A child module call's dependency: `source` and `version` as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModuleSource {
    pub source: Option<String>,
    pub version: Option<String>,
}

/// The interface-relevant content of one module directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirModel {
    pub variables: BTreeMap<String, Variable>,
    /// Output name → its normalised block text (to notice a changed value or description).
    pub outputs: BTreeMap<String, String>,
    /// `type.name` of managed resources.
    pub resources: BTreeSet<String>,
    /// `module.name` of module calls.
    pub module_calls: BTreeSet<String>,
    /// `moved` blocks: (from, to), instance keys (`[0]`, `["a"]`) stripped.
    pub moved: Vec<(String, String)>,
    pub required_version: Option<String>,
    /// Provider local name → its version constraint (None: no `version`).
    pub providers: BTreeMap<String, Option<String>>,
    /// Address (`type.name`, `module.name`) → how it is instanced.
    pub instancing: BTreeMap<String, Instancing>,
    /// `module.name` → its source and version.
    pub module_sources: BTreeMap<String, ModuleSource>,
    /// Resource address → how each argument is written: `x` set as an argument (`x = …`) or
    /// as blocks (`x { … }`, `dynamic "x"`), at any depth (`website.index_document`).
    pub arguments: BTreeMap<String, BTreeMap<String, ArgumentForm>>,
    /// The implicit interface: keys read from variables (see `interface`).
    pub reads: super::interface::Reads,
    /// Where each item is: `variable.x`, `output.x`, a resource or module address,
    /// `required_version`, `provider.aws`.
    pub locs: BTreeMap<String, Loc>,
}

/// A variable: what callers depend on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Variable {
    /// Normalised `type` expression; None when absent (= `any`).
    pub type_expr: Option<String>,
    /// The `type` expression as written, for a structural comparison of object types.
    pub type_raw: Option<String>,
    /// Normalised `default` expression; None = required.
    pub default: Option<String>,
    /// The `default` expression as written, to compare the keys of a map default.
    pub default_raw: Option<String>,
    /// Normalised text of the whole block (descriptions, validations…).
    pub block: String,
}

/// Whether a path (relative, `/`-separated) is in a directory that is not module interface.
pub fn is_outside_interface(rel_path: &str) -> bool {
    let mut parts: Vec<&str> = rel_path.split('/').collect();
    parts.pop(); // the file name
    parts.iter().any(|p| {
        matches!(*p, "examples" | "example" | "test" | "tests" | "codelabs" | "samples") || p.starts_with('.')
    })
}

/// Parse the `.tf` files of one module version. `files` holds (relative path with `/`, bytes);
/// files not ending in `.tf` and files outside the interface are skipped.
pub fn parse_module<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Result<ModuleModel, BumpError> {
    let mut model = ModuleModel::default();
    let mut bodies: Vec<(String, &str, &str, Body)> = Vec::new();
    for (path, bytes) in files {
        if !path.ends_with(".tf") || is_outside_interface(path) {
            continue;
        }
        let text = std::str::from_utf8(bytes).map_err(|_| BumpError::NotUtf8 { file: path.to_string() })?;
        let dir = path.rsplit_once('/').map(|(d, _)| d.to_string()).unwrap_or_default();
        let dir_model = model.dirs.entry(dir.clone()).or_default();
        let body = parse_file_into(path, text, dir_model)?;
        bodies.push((dir, path, text, body));
        model.sources.insert(path.to_string(), Arc::from(text));
    }
    // Keys read from variables: after every file of a directory is parsed (locals and variables
    // may be declared in another file than where they are read).
    let mut by_dir: BTreeMap<&str, Vec<(&str, &str, &Body)>> = BTreeMap::new();
    for (dir, path, text, body) in &bodies {
        by_dir.entry(dir.as_str()).or_default().push((path, text, body));
    }
    for (dir, files) in by_dir {
        if let Some(d) = model.dirs.get_mut(dir) {
            d.reads = super::interface::collect(&files);
        }
    }
    Ok(model)
}

/// Parse a `.tf` file's text; an error names the file, line and column, with the span.
pub fn parse_hcl(path: &str, text: &str) -> Result<Body, BumpError> {
    hcl_edit::parser::parse_body(text).map_err(|e| {
        let loc = e.location();
        let offset = loc.offset().min(text.len());
        BumpError::InvalidHcl(Box::new(InvalidHcl {
            file: path.to_string(),
            line: loc.line(),
            column: loc.column(),
            message: e.message().to_string(),
            src: NamedSource::new(path, text.to_string()),
            span: SourceSpan::from((offset, usize::from(offset < text.len()))),
        }))
    })
}

fn parse_file_into(path: &str, text: &str, out: &mut DirModel) -> Result<Body, BumpError> {
    let body = parse_hcl(path, text)?;
    for block in body.blocks() {
        let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
        let loc = || Loc::at(path, text, block.span().unwrap_or(0..0));
        match (block.ident.as_str(), labels.as_slice()) {
            ("variable", [name]) => {
                let var = Variable {
                    type_expr: attr_text(text, &block.body, "type"),
                    type_raw: block
                        .body
                        .get_attribute("type")
                        .and_then(|a| a.value.span())
                        .and_then(|r| text.get(r))
                        .map(str::to_string),
                    default: attr_text(text, &block.body, "default"),
                    default_raw: block
                        .body
                        .get_attribute("default")
                        .and_then(|a| a.value.span())
                        .and_then(|r| text.get(r))
                        .map(str::to_string),
                    block: block_text(text, block),
                };
                out.variables.insert((*name).to_string(), var);
                out.locs.insert(format!("variable.{name}"), loc());
            }
            ("output", [name]) => {
                out.outputs.insert((*name).to_string(), block_text(text, block));
                out.locs.insert(format!("output.{name}"), loc());
            }
            ("resource", [kind, name]) => {
                let addr = format!("{kind}.{name}");
                out.instancing.insert(addr.clone(), instancing(text, &block.body));
                let mut forms = BTreeMap::new();
                argument_forms(&block.body, "", &mut forms);
                out.arguments.insert(addr.clone(), forms);
                out.locs.insert(addr.clone(), loc());
                out.resources.insert(addr);
            }
            ("module", [name]) => {
                let addr = format!("module.{name}");
                out.instancing.insert(addr.clone(), instancing(text, &block.body));
                let string = |k: &str| block.body.get_attribute(k).map(|a| string_or_text(text, &a.value));
                out.module_sources.insert(
                    addr.clone(),
                    ModuleSource { source: string("source"), version: string("version") },
                );
                out.locs.insert(addr.clone(), loc());
                out.module_calls.insert(addr);
            }
            ("moved", []) => {
                if let (Some(from), Some(to)) =
                    (attr_text(text, &block.body, "from"), attr_text(text, &block.body, "to"))
                {
                    out.moved.push((strip_instance_keys(&from), strip_instance_keys(&to)));
                }
            }
            ("terraform", []) => parse_terraform_block(path, text, &block.body, out),
            _ => {}
        }
    }
    Ok(body)
}

/// `count`, `for_each` (with its key expression when written as a `for`), or neither.
fn instancing(text: &str, body: &Body) -> Instancing {
    if body.get_attribute("count").is_some() {
        return Instancing::Count;
    }
    let Some(attr) = body.get_attribute("for_each") else { return Instancing::Single };
    let Expression::ForExpr(f) = &attr.value else { return Instancing::ForEach(None) };
    let Some(key) = &f.key_expr else { return Instancing::ForEach(None) };
    let mut key_text = expr_text(text, key);
    // `"${x}"` and `x` give the same keys (a string).
    if let Some(inner) = key_text.strip_prefix("\"${").and_then(|k| k.strip_suffix("}\"")) {
        if !inner.contains("${") && !inner.contains('}') {
            key_text = inner.to_string();
        }
    }
    let key_var = f.intro.key_var.as_ref().map(|k| k.as_str().to_string());
    // `{ for k, v in X : k => … }`: the keys are the collection's keys, whatever the names.
    if key_var.as_deref() == Some(key_text.as_str()) {
        return Instancing::ForEach(None);
    }
    for (name, placeholder) in [(key_var, "$k"), (Some(f.intro.value_var.as_str().to_string()), "$v")] {
        if let Some(name) = name {
            key_text = replace_ident(&key_text, &name, placeholder);
        }
    }
    Instancing::ForEach(Some(key_text))
}

/// `text` with the identifier `name` (whole word, not after a `.`) replaced.
fn replace_ident(text: &str, name: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(name) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + name.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-');
        out.push_str(&rest[..i]);
        if word(before) || before == Some('.') || word(after) {
            out.push_str(name);
        } else {
            out.push_str(with);
        }
        rest = &rest[i + name.len()..];
    }
    out.push_str(rest);
    out
}

fn parse_terraform_block(path: &str, text: &str, body: &Body, out: &mut DirModel) {
    if let Some(attr) = body.get_attribute("required_version") {
        out.required_version = Some(string_or_text(text, &attr.value));
        out.locs.insert("required_version".to_string(), Loc::at(path, text, attr.span().unwrap_or(0..0)));
    }
    for rp in body.get_blocks("required_providers") {
        for attr in rp.body.attributes() {
            let constraint = match &attr.value {
                // Terraform 0.12 shorthand: `aws = ">= 2.0"`.
                Expression::String(s) => Some(s.value().to_string()),
                Expression::Object(obj) => obj.iter().find_map(|(k, v)| {
                    let key = match k.as_ident() {
                        Some(ident) => ident.as_str().to_string(),
                        None => k.as_expr().and_then(|e| e.as_str()).unwrap_or_default().to_string(),
                    };
                    (key == "version").then(|| string_or_text(text, v.expr()))
                }),
                other => Some(expr_text(text, other)),
            };
            out.locs.insert(
                format!("provider.{}", attr.key.as_str()),
                Loc::at(path, text, attr.span().unwrap_or(0..0)),
            );
            out.providers.insert(attr.key.as_str().to_string(), constraint);
        }
    }
}

fn string_or_text(src: &str, expr: &Expression) -> String {
    match expr.as_str() {
        Some(s) => s.trim().to_string(),
        None => expr_text(src, expr),
    }
}

fn attr_text(src: &str, body: &Body, key: &str) -> Option<String> {
    body.get_attribute(key).map(|a| expr_text(src, &a.value))
}

fn expr_text(src: &str, expr: &Expression) -> String {
    match expr.span().and_then(|r| src.get(r)) {
        Some(raw) => normalize_hcl(raw),
        None => normalize_hcl(&expr.to_string()),
    }
}

fn block_text(src: &str, block: &Block) -> String {
    match block.span().and_then(|r| src.get(r)) {
        Some(raw) => normalize_hcl(raw),
        None => String::new(),
    }
}

/// `aws_instance.a[0]` → `aws_instance.a`; `module.m["k"].aws_x.y` → `module.m.aws_x.y`.
fn strip_instance_keys(addr: &str) -> String {
    let mut out = String::with_capacity(addr.len());
    let mut depth = 0usize;
    for c in addr.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// HCL text with comments removed and whitespace made canonical outside string literals: runs of
/// whitespace become one space, and none is kept next to punctuation. Two expressions that only
/// differ in layout or comments normalise to the same text, which is also fit for display.
pub fn normalize_hcl(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    let mut pending_space = false;
    let punct = |c: char| "()[]{},=:?<>!+-*/%&|.".contains(c);
    let push = |out: &mut String, c: char, pending: &mut bool| {
        if *pending && !out.is_empty() && !punct(c) && !out.ends_with(punct) {
            out.push(' ');
        }
        *pending = false;
        out.push(c);
    };
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                push(&mut out, c, &mut pending_space);
                let mut escaped = false;
                for s in chars.by_ref() {
                    out.push(s);
                    if escaped {
                        escaped = false;
                    } else if s == '\\' {
                        escaped = true;
                    } else if s == '"' {
                        break;
                    }
                }
            }
            '#' => {
                for s in chars.by_ref() {
                    if s == '\n' {
                        break;
                    }
                }
                pending_space = true;
            }
            '/' if chars.peek() == Some(&'/') => {
                for s in chars.by_ref() {
                    if s == '\n' {
                        break;
                    }
                }
                pending_space = true;
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for s in chars.by_ref() {
                    if prev == '*' && s == '/' {
                        break;
                    }
                    prev = s;
                }
                pending_space = true;
            }
            c if c.is_whitespace() => pending_space = true,
            c => push(&mut out, c, &mut pending_space),
        }
    }
    out
}
