//! The implicit interface of a module directory: which keys it reads from its loosely typed
//! variables (`any`, or no type). Such a variable's declaration says nothing of the keys callers
//! may set, but the code does: `try(var.x.k, …)`, `lookup(var.x, "k", …)`, `var.x.k`,
//! `for_each = var.x` with `each.value.k`, `dynamic` blocks' iterators (`setting.value.k`), `for`
//! expressions, and `local`s that alias a variable.
//!
//! A read is a path: `var.x.k` for a key of the value, `var.x[*].k` for a key of its elements
//! (through `for_each`, a `dynamic` block or a `for`). A path read in value position (an
//! argument's whole value, an element of an object or list, through `merge`, `try`…) is *whole*:
//! every key under it reaches the resource, so it covers any deeper path.
//!
//! A typed variable's keys are declared by its type (a change there is a type change), but the
//! code can still stop reading a declared attribute: a caller's setting is then silently
//! ignored. So reads of declared object attributes (`var.x[*].name` of a
//! `list(object({name = string}))`, through `dynamic` blocks and `for_each` too) are compared
//! as well; map keys of a typed variable are the caller's data and are not.
//!
//! Not here: the declared interface (variables' types, see `hcl`), the bump a change calls for
//! (`compare` here only names the findings; `rules` and `policy` decide).

use std::collections::{BTreeMap, BTreeSet};

use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::{Body, Structure};
use hcl_edit::Span as _;

use super::hcl::{normalize_hcl, DirModel, Loc};

/// Every path read from a variable in one directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reads {
    pub paths: BTreeMap<String, Read>,
}

/// How one path is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    /// Passed on whole somewhere (so every key under it is used).
    pub whole: bool,
    /// The fallbacks given in `try(path, D)` / `lookup(…, "k", D)`, normalised.
    pub defaults: BTreeSet<String>,
    /// Read somewhere without a fallback (a caller who omits the key gets an error).
    pub strict: bool,
    /// The first place it is read.
    pub loc: Loc,
}

/// What a name in scope stands for.
#[derive(Clone)]
enum Bound {
    /// `name.value` is this path (`each`, a `dynamic` block's iterator).
    Iterator(String),
    /// `name` itself is this path (a `for` expression's value variable).
    Value(String),
}

struct Walker<'a> {
    file: &'a str,
    text: &'a str,
    locals: &'a BTreeMap<String, String>,
    scope: Vec<(String, Bound)>,
    out: &'a mut Reads,
}

/// The reads of one directory's files (path, text, parsed body).
pub fn collect(files: &[(&str, &str, &Body)]) -> Reads {
    // Locals that stand for a variable path (`local.s = var.settings`), resolved twice so that
    // a local defined through another local is found whatever the order.
    let mut locals = BTreeMap::new();
    let mut scratch = Reads::default();
    for _ in 0..2 {
        for (file, text, body) in files {
            for block in body.get_blocks("locals") {
                for attr in block.body.attributes() {
                    let w = Walker { file, text, locals: &locals, scope: Vec::new(), out: &mut scratch };
                    if let Some(p) = w.path_of(&attr.value) {
                        locals.insert(attr.key.as_str().to_string(), p);
                    }
                }
            }
        }
    }
    let mut reads = Reads::default();
    for (file, text, body) in files {
        let mut w = Walker { file, text, locals: &locals, scope: Vec::new(), out: &mut reads };
        for block in body.blocks() {
            // A variable's own validation reading its keys does not use them.
            if !matches!(block.ident.as_str(), "variable" | "terraform" | "moved") {
                w.walk_block_body(&block.body, true);
            }
        }
    }
    reads
}

impl Walker<'_> {
    /// The variable path an expression denotes, if it is one (`var.x.k`, `each.value["k"]`,
    /// `try(var.x.k, …)`, `lookup(var.x, "k", …)`, `local.alias.k`…).
    fn path_of(&self, expr: &Expression) -> Option<String> {
        match expr {
            Expression::Variable(v) => self.bound(v.as_str()).and_then(|b| match b {
                Bound::Value(p) => Some(p.clone()),
                Bound::Iterator(_) => None,
            }),
            Expression::Parenthesis(p) => self.path_of(p.inner()),
            Expression::FuncCall(call) if call.name.namespace.is_empty() => {
                let args: Vec<&Expression> = call.args.iter().collect();
                match (call.name.name.as_str(), args.as_slice()) {
                    ("toset" | "tomap" | "tolist", [first, ..]) => self.path_of(first),
                    // `try(jsondecode(var.x), var.x)`: the first argument that is a path.
                    ("try" | "coalesce", args) => args.iter().find_map(|a| self.path_of(a)),
                    ("lookup", [map, key, ..]) => Some(format!("{}.{}", self.path_of(map)?, key.as_str()?)),
                    _ => None,
                }
            }
            // `{ for k, v in X : k => v if … }` and `[for v in X : v]` keep X's elements.
            Expression::ForExpr(f) => {
                let v = f.intro.value_var.as_str();
                let identity = matches!(&f.value_expr, Expression::Variable(x) if x.as_str() == v);
                let key_ok = match (&f.key_expr, &f.intro.key_var) {
                    (None, _) => true,
                    (Some(Expression::Variable(k)), Some(kv)) => k.as_str() == kv.as_str(),
                    _ => false,
                };
                if identity && key_ok {
                    self.path_of(&f.intro.collection_expr)
                } else {
                    None
                }
            }
            Expression::Traversal(t) => {
                let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| &**o).collect();
                let attr = |i: usize| match ops.get(i) {
                    Some(TraversalOperator::GetAttr(a)) => Some(a.as_str()),
                    _ => None,
                };
                let (mut path, rest) = match &t.expr {
                    Expression::Variable(v) => match v.as_str() {
                        "var" => (format!("var.{}", attr(0)?), 1),
                        "local" => (self.locals.get(attr(0)?)?.clone(), 1),
                        name => match self.bound(name)? {
                            Bound::Iterator(p) if attr(0) == Some("value") => (p.clone(), 1),
                            Bound::Iterator(_) => return None,
                            Bound::Value(p) => (p.clone(), 0),
                        },
                    },
                    other => (self.path_of(other)?, 0),
                };
                for op in &ops[rest..] {
                    match op {
                        TraversalOperator::GetAttr(a) => {
                            path.push('.');
                            path.push_str(a.as_str());
                        }
                        TraversalOperator::Index(Expression::String(s)) => {
                            path.push('.');
                            path.push_str(s.as_str());
                        }
                        _ => path.push_str("[*]"),
                    }
                }
                Some(path)
            }
            _ => None,
        }
    }

    /// The path of one element of a collection expression: `X[*]` for a path X, X itself for
    /// `[X]`, either branch of `cond ? [] : [X]`.
    fn elements_of(&self, expr: &Expression) -> Option<String> {
        match expr {
            Expression::Conditional(c) => {
                self.elements_of(&c.true_expr).or_else(|| self.elements_of(&c.false_expr))
            }
            Expression::Parenthesis(p) => self.elements_of(p.inner()),
            Expression::Array(a) if a.len() == 1 => a.iter().next().and_then(|e| self.path_of(e)),
            // `{ for s in X : s.name => s }` re-keys X: its elements are still X's elements.
            Expression::ForExpr(f) if matches!(&f.value_expr, Expression::Variable(v) if v.as_str() == f.intro.value_var.as_str()) => {
                self.elements_of(&f.intro.collection_expr)
            }
            other => self.path_of(other).map(|p| format!("{p}[*]")),
        }
    }

    fn bound(&self, name: &str) -> Option<&Bound> {
        self.scope.iter().rev().find(|(n, _)| n == name).map(|(_, b)| b)
    }

    fn record(&mut self, path: String, whole: bool, default: Option<&Expression>, expr: &Expression) {
        if !path.starts_with("var.") {
            return;
        }
        let default = default.map(|d| self.norm(d));
        let loc = Loc::at(self.file, self.text, expr.span().unwrap_or(0..0));
        let read = self.out.paths.entry(path).or_insert(Read {
            whole: false,
            defaults: BTreeSet::new(),
            strict: false,
            loc,
        });
        read.whole |= whole;
        read.strict |= default.is_none();
        read.defaults.extend(default);
    }

    fn norm(&self, e: &Expression) -> String {
        match e.span().and_then(|r| self.text.get(r)) {
            Some(raw) => normalize_hcl(raw),
            None => normalize_hcl(&e.to_string()),
        }
    }

    fn walk_block_body(&mut self, body: &Body, top: bool) {
        let depth = self.scope.len();
        // `for_each` of a resource, data source or module call binds `each`.
        if let Some(fe) = body.get_attribute("for_each").filter(|_| top) {
            if let Some(p) = self.elements_of(&fe.value) {
                self.scope.push(("each".to_string(), Bound::Iterator(p)));
            }
        }
        for s in body.iter() {
            match s {
                Structure::Attribute(a) => {
                    let whole = !matches!(a.key.as_str(), "for_each" | "count");
                    self.walk(&a.value, whole);
                }
                Structure::Block(b) if b.ident.as_str() == "dynamic" => self.walk_dynamic(b),
                Structure::Block(b) => self.walk_block_body(&b.body, false),
            }
        }
        self.scope.truncate(depth);
    }

    /// `dynamic "name" { for_each = X, iterator = it, content { … } }`: `it.value` (default
    /// `name.value`) is an element of X inside `content`.
    fn walk_dynamic(&mut self, b: &hcl_edit::structure::Block) {
        let depth = self.scope.len();
        let iterator = match b.body.get_attribute("iterator").map(|a| &a.value) {
            Some(Expression::Variable(v)) => Some(v.as_str().to_string()),
            _ => b.labels.first().map(|l| l.as_str().to_string()),
        };
        if let (Some(name), Some(fe)) = (iterator, b.body.get_attribute("for_each")) {
            if let Some(p) = self.elements_of(&fe.value) {
                self.scope.push((name, Bound::Iterator(p)));
            }
        }
        self.walk_block_body(&b.body, false);
        self.scope.truncate(depth);
    }

    /// Record every path read in `expr`; `whole`: `expr` is in value position. Longer than
    /// most functions: one arm per expression kind, which reads best as one table.
    fn walk(&mut self, expr: &Expression, whole: bool) {
        if let Some(path) = self.path_of(expr) {
            let default = match expr {
                Expression::FuncCall(c) => match c.name.name.as_str() {
                    "try" => c.args.iter().nth(1),
                    "lookup" => c.args.iter().nth(2),
                    _ => None,
                },
                _ => None,
            };
            self.record(path, whole, default, expr);
            self.walk_inside_path(expr, whole);
            return;
        }
        match expr {
            Expression::FuncCall(c) => {
                let passes_on = matches!(
                    c.name.name.as_str(),
                    "merge"
                        | "coalesce"
                        | "concat"
                        | "flatten"
                        | "tomap"
                        | "tolist"
                        | "toset"
                        | "try"
                        | "jsonencode"
                        | "yamlencode"
                        | "values"
                        | "compact"
                        | "distinct"
                        | "lookup"
                );
                for a in c.args.iter() {
                    self.walk(a, whole && passes_on);
                }
            }
            Expression::Parenthesis(p) => self.walk(p.inner(), whole),
            Expression::Conditional(c) => {
                self.walk(&c.cond_expr, false);
                self.walk(&c.true_expr, whole);
                self.walk(&c.false_expr, whole);
            }
            Expression::Array(a) => a.iter().for_each(|e| self.walk(e, true)),
            Expression::Object(o) => {
                for (k, v) in o.iter() {
                    if let Some(k) = k.as_expr() {
                        self.walk(k, false);
                    }
                    self.walk(v.expr(), true);
                }
            }
            Expression::ForExpr(f) => {
                self.walk(&f.intro.collection_expr, false);
                let depth = self.scope.len();
                if let Some(p) = self.elements_of(&f.intro.collection_expr) {
                    let v = f.intro.value_var.as_str().to_string();
                    self.scope.push((v, Bound::Value(p)));
                }
                if let Some(k) = &f.key_expr {
                    self.walk(k, false);
                }
                self.walk(&f.value_expr, whole);
                if let Some(c) = &f.cond {
                    self.walk(&c.expr, false);
                }
                self.scope.truncate(depth);
            }
            Expression::Traversal(t) => {
                self.walk(&t.expr, false);
                self.walk_operators(&t.operators);
            }
            Expression::UnaryOp(u) => self.walk(&u.expr, false),
            Expression::BinaryOp(b) => {
                self.walk(&b.lhs_expr, false);
                self.walk(&b.rhs_expr, false);
            }
            Expression::StringTemplate(_) | Expression::HeredocTemplate(_) => {
                let mut v = TemplateExprs(Vec::new());
                hcl_edit::visit::Visit::visit_expr(&mut v, expr);
                for e in v.0 {
                    self.walk(&e, false);
                }
            }
            _ => {}
        }
    }

    /// The sub-expressions of a path expression that are not the path: index expressions, the
    /// fallbacks of `try`/`lookup`.
    fn walk_inside_path(&mut self, expr: &Expression, whole: bool) {
        match expr {
            Expression::FuncCall(c) => {
                for a in c.args.iter().skip(1) {
                    self.walk(a, whole);
                }
            }
            Expression::Traversal(t) => self.walk_operators(&t.operators),
            _ => {}
        }
    }

    fn walk_operators(&mut self, ops: &[hcl_edit::Decorated<TraversalOperator>]) {
        for op in ops {
            if let TraversalOperator::Index(i) = &**op {
                self.walk(i, false);
            }
        }
    }
}

/// The interpolated expressions of a template (their own paths are recorded by the caller).
struct TemplateExprs(Vec<Expression>);

impl hcl_edit::visit::Visit for TemplateExprs {
    fn visit_interpolation(&mut self, node: &hcl_edit::template::Interpolation) {
        self.0.push(node.expr.clone());
    }
}

/// One finding about the implicit interface, for `rules` to turn into a reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyChange {
    /// Keys newly read from variable `var`: a new optional input, or for a typed variable
    /// (`declared`) an attribute its type already had that now takes effect.
    Added { var: String, keys: Vec<String>, loc: Loc, declared: bool },
    /// Keys no longer read (a caller's setting would be ignored); `loc` is in the old version.
    Removed { var: String, keys: Vec<String>, loc: Loc },
    /// Keys read only with a fallback now, where one read had none (callers may omit them).
    MadeOptional { var: String, keys: Vec<String>, loc: Loc },
    /// The fallback of a key changed.
    DefaultChanged { var: String, key: String, from: String, to: String, loc: Loc },
}

/// Whether a variable's declaration leaves its keys open (`any` somewhere, or no type).
fn is_loose(dir: &DirModel, var: &str) -> bool {
    dir.variables.get(var).is_some_and(|v| v.type_expr.as_deref().is_none_or(|t| t.contains("any")))
}

/// Whether a key path (`k`, `rule.cidr`, `[*].name`) of a variable of type `ty` (as written)
/// ends on an attribute its object types declare. A map key (`var.tags.Name` of a
/// `map(string)`) is the caller's data, not an attribute: false.
fn is_declared_attribute(ty: &str, key: &str) -> bool {
    let Ok(mut ty) = hcl_edit::parser::parse_expr(ty) else { return false };
    let mut rest = key;
    let mut on_attribute = false;
    while !rest.is_empty() {
        // `optional(T, D)` is T for what it holds.
        while let Some(inner) = type_call(&ty, "optional").and_then(|args| args.into_iter().next()) {
            ty = inner;
        }
        let next = if let Some(r) = rest.strip_prefix("[*]") {
            rest = r;
            on_attribute = false;
            ["list", "set", "map"].iter().find_map(|f| type_call(&ty, f)).and_then(|a| a.into_iter().next())
        } else {
            let r = rest.strip_prefix('.').unwrap_or(rest);
            let end = r.find(['.', '[']).unwrap_or(r.len());
            let (name, r) = r.split_at(end);
            rest = r;
            on_attribute = true;
            type_call(&ty, "object").and_then(|a| a.into_iter().next()).and_then(|o| {
                let Expression::Object(o) = o else { return None };
                let found = o.iter().find_map(|(k, v)| {
                    let k = match k.as_ident() {
                        Some(i) => i.as_str().to_string(),
                        None => k.as_expr().and_then(|e| e.as_str()).unwrap_or_default().to_string(),
                    };
                    (k == name).then(|| v.expr().clone())
                });
                found
            })
        };
        let Some(next) = next else { return false };
        ty = next;
    }
    on_attribute
}

/// The arguments of type constructor `name(...)`, when `ty` is one.
fn type_call(ty: &Expression, name: &str) -> Option<Vec<Expression>> {
    let Expression::FuncCall(c) = ty else { return None };
    (c.name.namespace.is_empty() && c.name.name.as_str() == name).then(|| c.args.iter().cloned().collect())
}

/// Whether `key` of variable `var` is a declared object attribute on both sides (typed
/// variables: an attribute the type keeps but the code stops reading is a setting ignored).
fn is_typed_attribute(old: &DirModel, new: &DirModel, var: &str, key: &str) -> bool {
    let ty = |d: &DirModel| d.variables.get(var).and_then(|v| v.type_raw.clone());
    match (ty(old), ty(new)) {
        (Some(a), Some(b)) => is_declared_attribute(&a, key) && is_declared_attribute(&b, key),
        _ => false,
    }
}

/// Whether `path` is still read in `reads`: the same path, a deeper one, or a whole read above.
fn covered(path: &str, reads: &Reads) -> bool {
    let under = |a: &str, b: &str| {
        a.strip_prefix(b).is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
    };
    reads.paths.range(path.to_string()..).next().is_some_and(|(q, _)| q == path || under(q, path))
        || reads.paths.iter().any(|(q, r)| r.whole && under(path, q))
}

/// `var.x.k` → (`x`, `k`); `var.x[*].k` → (`x`, `[*].k`); None for `var.x` itself.
fn split(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix("var.")?;
    let end = rest.find(['.', '[']).unwrap_or(rest.len());
    let (var, key) = rest.split_at(end);
    let key = key.strip_prefix('.').unwrap_or(key);
    (!key.is_empty() && key != "[*]").then_some((var, key))
}

/// The keys read, no longer read, or read with another fallback, per loosely typed variable
/// present on both sides.
pub fn compare(old: &DirModel, new: &DirModel) -> Vec<KeyChange> {
    let mut out = Vec::new();
    let loose = |var: &str| is_loose(old, var) && is_loose(new, var);
    // Keys read or no longer read: of loose variables, and declared attributes of typed ones.
    let tracked = |var: &str, key: &str| loose(var) || is_typed_attribute(old, new, var, key);
    let group = |from: &Reads, to: &Reads, added: bool, out: &mut Vec<KeyChange>| {
        let mut by_var: BTreeMap<&str, (Vec<String>, Loc)> = BTreeMap::new();
        for (path, read) in &from.paths {
            let Some((var, key)) = split(path).filter(|(v, k)| tracked(v, k)) else { continue };
            if !covered(path, to) {
                by_var.entry(var).or_insert_with(|| (Vec::new(), read.loc.clone())).0.push(key.to_string());
            }
        }
        for (var, (keys, loc)) in by_var {
            let var = var.to_string();
            out.push(if added {
                let declared = !loose(&var);
                KeyChange::Added { var, keys, loc, declared }
            } else {
                KeyChange::Removed { var, keys, loc }
            });
        }
    };
    group(&old.reads, &new.reads, false, &mut out);
    group(&new.reads, &old.reads, true, &mut out);
    let mut optional: BTreeMap<&str, (Vec<String>, Loc)> = BTreeMap::new();
    for (path, n) in &new.reads.paths {
        let Some((var, key)) = split(path).filter(|(v, _)| loose(v)) else { continue };
        let Some(o) = old.reads.paths.get(path) else { continue };
        if o.strict && !n.strict {
            optional.entry(var).or_insert_with(|| (Vec::new(), n.loc.clone())).0.push(key.to_string());
        }
        if !o.defaults.is_empty() && !n.defaults.is_empty() && o.defaults != n.defaults {
            let show = |d: &BTreeSet<String>| d.iter().cloned().collect::<Vec<_>>().join(" | ");
            out.push(KeyChange::DefaultChanged {
                var: var.to_string(),
                key: key.to_string(),
                from: show(&o.defaults),
                to: show(&n.defaults),
                loc: n.loc.clone(),
            });
        }
    }
    for (var, (keys, loc)) in optional {
        out.push(KeyChange::MadeOptional { var: var.to_string(), keys, loc });
    }
    out
}
