//! Reading a module version's `.tf` files (`hcl-edit`) into a [`ModuleModel`]: per directory, what
//! callers depend on, with expressions normalised so layout and comments never count as a change.
//!
//! Not here: comparing two models (see `rules`), version constraints (see `constraints`).

use std::collections::{BTreeMap, BTreeSet};

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};
use hcl_edit::Span as _;
use miette::{NamedSource, SourceSpan};

use super::{BumpError, InvalidHcl};

/// What a module exposes, per directory (`""` = the root module, `modules/x` = a submodule).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModuleModel {
    pub dirs: BTreeMap<String, DirModel>,
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
    /// Normalised text of the whole block (descriptions, validations…).
    pub block: String,
}

/// Whether a path (relative, `/`-separated) is in a directory that is not module interface.
pub fn is_outside_interface(rel_path: &str) -> bool {
    let mut parts: Vec<&str> = rel_path.split('/').collect();
    parts.pop(); // the file name
    parts.iter().any(|p| matches!(*p, "examples" | "example" | "test" | "tests") || p.starts_with('.'))
}

/// Parse the `.tf` files of one module version. `files` holds (relative path with `/`, bytes);
/// files not ending in `.tf` and files outside the interface are skipped.
pub fn parse_module<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Result<ModuleModel, BumpError> {
    let mut model = ModuleModel::default();
    for (path, bytes) in files {
        if !path.ends_with(".tf") || is_outside_interface(path) {
            continue;
        }
        let text = std::str::from_utf8(bytes).map_err(|_| BumpError::NotUtf8 { file: path.to_string() })?;
        let dir = path.rsplit_once('/').map(|(d, _)| d.to_string()).unwrap_or_default();
        let dir_model = model.dirs.entry(dir).or_default();
        parse_file_into(path, text, dir_model)?;
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

fn parse_file_into(path: &str, text: &str, out: &mut DirModel) -> Result<(), BumpError> {
    let body = parse_hcl(path, text)?;
    for block in body.blocks() {
        let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
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
                    block: block_text(text, block),
                };
                out.variables.insert((*name).to_string(), var);
            }
            ("output", [name]) => {
                out.outputs.insert((*name).to_string(), block_text(text, block));
            }
            ("resource", [kind, name]) => {
                out.resources.insert(format!("{kind}.{name}"));
            }
            ("module", [name]) => {
                out.module_calls.insert(format!("module.{name}"));
            }
            ("moved", []) => {
                if let (Some(from), Some(to)) =
                    (attr_text(text, &block.body, "from"), attr_text(text, &block.body, "to"))
                {
                    out.moved.push((strip_instance_keys(&from), strip_instance_keys(&to)));
                }
            }
            ("terraform", []) => parse_terraform_block(text, &block.body, out),
            _ => {}
        }
    }
    Ok(())
}

fn parse_terraform_block(text: &str, body: &Body, out: &mut DirModel) {
    if let Some(attr) = body.get_attribute("required_version") {
        out.required_version = Some(string_or_text(text, &attr.value));
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
