//! The suggested semver bump between two versions of a Terraform module (SPEC §2.4).
//!
//! Both sides are parsed as HCL (`hcl-edit`) into a [`ModuleModel`]: per module directory (the
//! root and every submodule), its variables, outputs, resources, module calls, `moved` blocks,
//! `required_version` and provider constraints. [`suggest`] compares two models and returns the
//! bump with one reason per finding. Pure: callers read the files (from disk or from git blobs)
//! and pass their text in.
//!
//! Not here: which files differ (that is `compare`), reading git, printing.
//!
//! Directories named `examples`, `example`, `test`, `tests` (at any depth) and hidden
//! directories are not part of a module's interface: they are configurations *calling* the module,
//! so a change there is at most a patch.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};
use hcl_edit::Span as _;
use miette::{NamedSource, SourceSpan};

/// A semver bump, ordered from none to major.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }

    /// The version after this bump (pre-release and build metadata dropped). A major bump of a
    /// 0.x version is still a major bump: agb does not apply the 0.x convention, the factory's
    /// consumers pin versions explicitly.
    pub fn apply(self, v: &semver::Version) -> semver::Version {
        match self {
            Bump::None => v.clone(),
            Bump::Patch if !v.pre.is_empty() => semver::Version::new(v.major, v.minor, v.patch),
            Bump::Patch => semver::Version::new(v.major, v.minor, v.patch + 1),
            Bump::Minor => semver::Version::new(v.major, v.minor + 1, 0),
            Bump::Major => semver::Version::new(v.major + 1, 0, 0),
        }
    }
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding, with the bump it calls for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub bump: Bump,
    pub text: String,
}

/// The bump and why: reasons sorted from the strongest to the weakest, each finding once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub bump: Bump,
    pub reasons: Vec<Reason>,
}

/// Errors of the bump analysis: a `.tf` file that is not HCL, or not text.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum BumpError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    InvalidHcl(Box<InvalidHcl>),
    #[error("{file} is not UTF-8 text")]
    #[diagnostic(
        code(agb::factory::bump::not_utf8),
        help("Terraform files must be UTF-8; re-save the file as UTF-8")
    )]
    NotUtf8 { file: String },
}

/// A `.tf` file that does not parse, with the place (boxed in [`BumpError`]: it carries the text).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{file}:{line}:{column}: not valid HCL: {message}")]
#[diagnostic(
    code(agb::factory::bump::invalid_hcl),
    help("fix the syntax at that place (`terraform validate` reports it too); agb does not guess a bump from a file it cannot parse")
)]
pub struct InvalidHcl {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("here")]
    pub span: SourceSpan,
}

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

// ---------------------------------------------------------------------------------------------
// Version constraints

/// One end of a version range.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Bound {
    version: semver::Version,
    inclusive: bool,
}

/// A Terraform version constraint reduced to what decides strictness: the lowest and highest
/// allowed versions and the excluded ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Constraint {
    lower: Option<Bound>,
    upper: Option<Bound>,
    excluded: BTreeSet<semver::Version>,
}

/// How a constraint changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConstraintChange {
    Same,
    /// Fewer versions accepted somewhere (a minimum in a higher major line, a lower maximum, a
    /// new exclusion).
    Tightened,
    /// Only the minimum rose, and it stays in the same major line (`>= 6.37` → `>= 6.39`; for
    /// 0.x versions the line is `0.minor`).
    RaisedMinimumSameMajor,
    /// Only more versions accepted.
    Widened,
}

impl Constraint {
    /// Parse `>= 1.3`, `~> 5.0`, `>= 4.0, < 6.0`, `= 1.2.3`, `1.2.3`, `!= 1.5.0`. None when a part
    /// is not a constraint agb understands.
    pub fn parse(text: &str) -> Option<Constraint> {
        let mut c = Constraint::default();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (op, ver) = ["~>", ">=", "<=", "!=", ">", "<", "="]
                .iter()
                .find_map(|op| part.strip_prefix(op).map(|rest| (*op, rest.trim())))
                .unwrap_or(("=", part));
            let (version, given) = parse_partial_version(ver)?;
            match op {
                ">=" => c.raise_lower(Bound { version, inclusive: true }),
                ">" => c.raise_lower(Bound { version, inclusive: false }),
                "<=" => c.lower_upper(Bound { version, inclusive: true }),
                "<" => c.lower_upper(Bound { version, inclusive: false }),
                "!=" => {
                    c.excluded.insert(version);
                }
                "~>" => {
                    // The rightmost given component may grow: `~> 5.0` < 6.0.0, `~> 5.0.1` < 5.1.0,
                    // `~> 5` < 6.0.0 (as Terraform treats it).
                    let upper = match given {
                        1 | 2 => semver::Version::new(version.major + 1, 0, 0),
                        _ => semver::Version::new(version.major, version.minor + 1, 0),
                    };
                    c.raise_lower(Bound { version, inclusive: true });
                    c.lower_upper(Bound { version: upper, inclusive: false });
                }
                _ => {
                    c.raise_lower(Bound { version: version.clone(), inclusive: true });
                    c.lower_upper(Bound { version, inclusive: true });
                }
            }
        }
        c.normalize();
        Some(c)
    }

    /// One form per set of accepted releases (Terraform matches pre-releases only exactly): lower
    /// bounds inclusive, upper bounds exclusive, exclusions at an edge moved into the bound,
    /// exclusions outside the range dropped, `>= 0` no bound at all. So `> 1.2.3` and
    /// `>= 1.2.4` compare as the same constraint.
    fn normalize(&mut self) {
        let next = |v: &semver::Version| semver::Version::new(v.major, v.minor, v.patch + 1);
        if let Some(b) = self.lower.as_mut().filter(|b| !b.inclusive && b.version.pre.is_empty()) {
            *b = Bound { version: next(&b.version), inclusive: true };
        }
        if let Some(b) = self.upper.as_mut().filter(|b| b.inclusive && b.version.pre.is_empty()) {
            *b = Bound { version: next(&b.version), inclusive: false };
        }
        loop {
            let zero = semver::Version::new(0, 0, 0);
            let at = self.lower.as_ref().map_or(zero, |b| b.version.clone());
            if !self.lower.as_ref().is_none_or(|b| b.inclusive) || !self.excluded.remove(&at) {
                break;
            }
            self.lower = Some(Bound { version: next(&at), inclusive: true });
        }
        while let Some(b) = self.upper.as_ref().filter(|b| !b.inclusive && b.version.patch > 0) {
            let below = semver::Version::new(b.version.major, b.version.minor, b.version.patch - 1);
            if !self.excluded.remove(&below) {
                break;
            }
            self.upper = Some(Bound { version: below, inclusive: false });
        }
        if self.lower.as_ref().is_some_and(|b| b.inclusive && b.version == semver::Version::new(0, 0, 0)) {
            self.lower = None;
        }
        let (lower, upper) = (self.lower.clone(), self.upper.clone());
        self.excluded.retain(|v| {
            let probe = Constraint { lower: lower.clone(), upper: upper.clone(), excluded: BTreeSet::new() };
            probe.allows(v)
        });
    }

    /// Whether `v` satisfies the constraint.
    pub fn allows(&self, v: &semver::Version) -> bool {
        let above =
            self.lower.as_ref().is_none_or(|b| if b.inclusive { *v >= b.version } else { *v > b.version });
        let below =
            self.upper.as_ref().is_none_or(|b| if b.inclusive { *v <= b.version } else { *v < b.version });
        above && below && !self.excluded.contains(v)
    }

    fn raise_lower(&mut self, b: Bound) {
        if self.lower.as_ref().is_none_or(|cur| lower_cmp(&b, cur).is_gt()) {
            self.lower = Some(b);
        }
    }

    fn lower_upper(&mut self, b: Bound) {
        if self.upper.as_ref().is_none_or(|cur| upper_cmp(&b, cur).is_lt()) {
            self.upper = Some(b);
        }
    }

    /// How `new` differs from `self` (the old constraint).
    pub fn change_to(&self, new: &Constraint) -> ConstraintChange {
        let lower = match (&self.lower, &new.lower) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(_), None) => std::cmp::Ordering::Less,
            (Some(o), Some(n)) => lower_cmp(n, o),
        };
        // For the upper end, "less" means stricter.
        let upper = match (&self.upper, &new.upper) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, Some(_)) => std::cmp::Ordering::Less,
            (Some(_), None) => std::cmp::Ordering::Greater,
            (Some(o), Some(n)) => upper_cmp(n, o),
        };
        // An exclusion only matters for a version the other side's range would accept.
        let new_exclusions = new.excluded.difference(&self.excluded).any(|v| self.allows(v));
        let dropped_exclusions = self.excluded.difference(&new.excluded).any(|v| new.allows(v));
        let same_line = match (&self.lower, &new.lower) {
            (Some(o), Some(n)) => major_line(&o.version) == major_line(&n.version),
            _ => false,
        };
        if upper.is_lt() || new_exclusions || (lower.is_gt() && !same_line) {
            ConstraintChange::Tightened
        } else if lower.is_gt() {
            ConstraintChange::RaisedMinimumSameMajor
        } else if lower.is_lt() || upper.is_gt() || dropped_exclusions {
            ConstraintChange::Widened
        } else {
            ConstraintChange::Same
        }
    }
}

/// The compatibility line of a version: its major, or `0.minor` before 1.0.
fn major_line(v: &semver::Version) -> (u64, u64) {
    if v.major == 0 {
        (0, v.minor)
    } else {
        (v.major, 0)
    }
}

/// Order of two lower bounds: Greater = `a` is the stricter (higher) minimum.
fn lower_cmp(a: &Bound, b: &Bound) -> std::cmp::Ordering {
    a.version.cmp(&b.version).then(match (a.inclusive, b.inclusive) {
        (true, false) => std::cmp::Ordering::Less,
        (false, true) => std::cmp::Ordering::Greater,
        _ => std::cmp::Ordering::Equal,
    })
}

/// Order of two upper bounds: Less = `a` is the stricter (lower) maximum.
fn upper_cmp(a: &Bound, b: &Bound) -> std::cmp::Ordering {
    a.version.cmp(&b.version).then(match (a.inclusive, b.inclusive) {
        (true, false) => std::cmp::Ordering::Greater,
        (false, true) => std::cmp::Ordering::Less,
        _ => std::cmp::Ordering::Equal,
    })
}

/// `1`, `1.3`, `1.3.0`, `1.3.0-beta1` → the version padded with zeros and how many numeric
/// components were given.
fn parse_partial_version(s: &str) -> Option<(semver::Version, usize)> {
    let s = s.trim().trim_start_matches('v');
    let (nums, pre) = match s.split_once('-') {
        Some((n, p)) => (n, Some(p)),
        None => (s, None),
    };
    let parts: Vec<&str> = nums.split('.').collect();
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let mut n = [0u64; 3];
    for (i, p) in parts.iter().enumerate() {
        n[i] = p.parse().ok()?;
    }
    let mut v = semver::Version::new(n[0], n[1], n[2]);
    if let Some(pre) = pre {
        v.pre = semver::Prerelease::new(pre).ok()?;
    }
    Some((v, parts.len()))
}

// ---------------------------------------------------------------------------------------------
// The rules

struct Findings {
    reasons: Vec<Reason>,
}

impl Findings {
    fn add(&mut self, bump: Bump, text: String) {
        self.reasons.push(Reason { bump, text });
    }
}

/// The bump from `old` to `new`. `changed_files` are the module's files that differ (any kind);
/// when nothing in the interface changed but some file did, the bump is a patch that names them.
pub fn suggest(old: &ModuleModel, new: &ModuleModel, changed_files: &[String]) -> Suggestion {
    let mut f = Findings { reasons: Vec::new() };
    for (dir, old_dir) in &old.dirs {
        match new.dirs.get(dir) {
            Some(new_dir) => compare_dir(dir, old_dir, new_dir, &mut f),
            None if dir.is_empty() => {
                f.add(Bump::Major, "the root module has no .tf files any more".to_string())
            }
            None => f.add(Bump::Major, format!("submodule `{dir}` removed")),
        }
    }
    for dir in new.dirs.keys().filter(|d| !old.dirs.contains_key(*d)) {
        if dir.is_empty() {
            f.add(Bump::Minor, "root module .tf files added".to_string());
        } else {
            f.add(Bump::Minor, format!("submodule `{dir}` added"));
        }
    }
    let strongest = f.reasons.iter().map(|r| r.bump).max().unwrap_or(Bump::None);
    if strongest == Bump::None && !changed_files.is_empty() {
        let shown: Vec<&str> = changed_files.iter().take(5).map(String::as_str).collect();
        let more = changed_files.len().saturating_sub(shown.len());
        let tail = if more > 0 { format!(" and {more} more") } else { String::new() };
        f.add(Bump::Patch, format!("no interface change; files changed: {}{tail}", shown.join(", ")));
    }
    let mut reasons = f.reasons;
    // Strongest first; within a level, the order the rules found them (stable sort).
    reasons.sort_by_key(|r| std::cmp::Reverse(r.bump));
    let bump = reasons.first().map(|r| r.bump).unwrap_or(Bump::None);
    let bump = if bump == Bump::None && !changed_files.is_empty() { Bump::Patch } else { bump };
    Suggestion { bump, reasons }
}

fn compare_dir(dir: &str, old: &DirModel, new: &DirModel, f: &mut Findings) {
    let at = if dir.is_empty() { String::new() } else { format!(" in `{dir}`") };
    compare_variables(&at, old, new, f);

    for name in old.outputs.keys().filter(|n| !new.outputs.contains_key(*n)) {
        f.add(Bump::Major, format!("output `{name}` removed{at}"));
    }
    for name in new.outputs.keys().filter(|n| !old.outputs.contains_key(*n)) {
        f.add(Bump::Minor, format!("output `{name}` added{at}"));
    }
    for (name, text) in &new.outputs {
        if old.outputs.get(name).is_some_and(|o| o != text) {
            f.add(Bump::Patch, format!("output `{name}` changed{at}"));
        }
    }

    compare_addresses("resource", &at, &old.resources, &new.resources, new, f);
    compare_addresses("module call", &at, &old.module_calls, &new.module_calls, new, f);

    compare_constraint(
        "required_version",
        &at,
        old.required_version.as_deref(),
        new.required_version.as_deref(),
        false,
        f,
    );
    for (name, old_c) in &old.providers {
        match new.providers.get(name) {
            Some(new_c) => compare_constraint(
                &format!("provider `{name}` constraint"),
                &at,
                old_c.as_deref(),
                new_c.as_deref(),
                true,
                f,
            ),
            None => f.add(Bump::Minor, format!("provider `{name}` no longer required{at}")),
        }
    }
    for (name, c) in new.providers.iter().filter(|(n, _)| !old.providers.contains_key(*n)) {
        let with = c.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
        f.add(Bump::Minor, format!("provider `{name}` added{with}{at}"));
    }
}

fn compare_variables(at: &str, old: &DirModel, new: &DirModel, f: &mut Findings) {
    let mut removed: Vec<&String> =
        old.variables.keys().filter(|n| !new.variables.contains_key(*n)).collect();
    let mut added: Vec<&String> = new.variables.keys().filter(|n| !old.variables.contains_key(*n)).collect();

    // One variable gone and one with the same type and default appeared: call it a rename, which
    // is what the user did and what the reason should say.
    if let ([gone], [came]) = (removed.as_slice(), added.as_slice()) {
        let (o, n) = (&old.variables[*gone], &new.variables[*came]);
        if o.type_expr == n.type_expr && o.default == n.default {
            f.add(Bump::Major, format!("variable `{gone}` renamed to `{came}`{at}"));
            removed.clear();
            added.clear();
        }
    }
    for name in removed {
        f.add(Bump::Major, format!("variable `{name}` removed{at}"));
    }
    for name in added {
        if new.variables[name].default.is_some() {
            f.add(Bump::Minor, format!("variable `{name}` added (optional){at}"));
        } else {
            f.add(
                Bump::Major,
                format!("variable `{name}` added without a default (callers must set it){at}"),
            );
        }
    }
    for (name, n) in &new.variables {
        let Some(o) = old.variables.get(name) else { continue };
        let mut flagged = false;
        let widened = match (&o.type_raw, &n.type_raw) {
            (Some(a), Some(b)) if o.type_expr != n.type_expr => optional_attributes_added(a, b),
            _ => None,
        };
        if let Some(added) = widened {
            let list = added.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ");
            f.add(Bump::Minor, format!("variable `{name}` type gained optional attribute(s) {list}{at}"));
            flagged = true;
        } else if o.type_expr != n.type_expr {
            let show = |t: &Option<String>| t.clone().unwrap_or_else(|| "any (none given)".to_string());
            f.add(
                Bump::Major,
                format!(
                    "variable `{name}` type changed from `{}` to `{}`{at}",
                    show(&o.type_expr),
                    show(&n.type_expr)
                ),
            );
            flagged = true;
        }
        match (&o.default, &n.default) {
            (Some(_), None) => {
                f.add(Bump::Major, format!("variable `{name}` default removed (callers must set it){at}"));
                flagged = true;
            }
            (None, Some(_)) => {
                f.add(Bump::Minor, format!("variable `{name}` got a default (now optional){at}"));
                flagged = true;
            }
            (Some(a), Some(b)) if a != b => {
                // Long defaults (maps of rules…) would drown the report: name the change only.
                if a.chars().count() <= 40 && b.chars().count() <= 40 {
                    f.add(Bump::Patch, format!("variable `{name}` default changed from `{a}` to `{b}`{at}"));
                } else {
                    f.add(Bump::Patch, format!("variable `{name}` default changed{at}"));
                }
                flagged = true;
            }
            _ => {}
        }
        if !flagged && o.block != n.block {
            f.add(Bump::Patch, format!("variable `{name}` changed (description, validation or flags){at}"));
        }
    }
}

/// When `new` only adds `optional(...)` attributes to object types inside `old` (at any depth,
/// through `list`, `set`, `map`, `optional`), the names added; None for any other change. Callers'
/// values stay valid then, so this is not the breaking "type changed".
fn optional_attributes_added(old: &str, new: &str) -> Option<Vec<String>> {
    let old = hcl_edit::parser::parse_expr(old).ok()?;
    let new = hcl_edit::parser::parse_expr(new).ok()?;
    let mut added = Vec::new();
    types_compatible(&old, &new, "", &mut added).then_some(added).filter(|a| !a.is_empty())
}

fn types_compatible(old: &Expression, new: &Expression, path: &str, added: &mut Vec<String>) -> bool {
    let same =
        |a: &Expression, b: &Expression| normalize_hcl(&a.to_string()) == normalize_hcl(&b.to_string());
    if same(old, new) {
        return true;
    }
    let (Some(o), Some(n)) = (old.as_func_call(), new.as_func_call()) else { return false };
    let name = o.name.name.as_str();
    if name != n.name.name.as_str() || !o.name.namespace.is_empty() || !n.name.namespace.is_empty() {
        return false;
    }
    let (oargs, nargs): (Vec<&Expression>, Vec<&Expression>) =
        (o.args.iter().collect(), n.args.iter().collect());
    match (name, oargs.as_slice(), nargs.as_slice()) {
        ("list" | "set" | "map", [oa], [na]) | ("optional", [oa], [na]) => {
            types_compatible(oa, na, path, added)
        }
        // optional(type, default): the default must not change.
        ("optional", [oa, od], [na, nd]) => same(od, nd) && types_compatible(oa, na, path, added),
        ("object", [oa], [na]) => {
            let (Some(oo), Some(no)) = (oa.as_object(), na.as_object()) else { return false };
            let key = |k: &hcl_edit::expr::ObjectKey| match k.as_ident() {
                Some(i) => i.as_str().to_string(),
                None => k.as_expr().and_then(|e| e.as_str()).unwrap_or_default().to_string(),
            };
            let new_attrs: BTreeMap<String, &Expression> =
                no.iter().map(|(k, v)| (key(k), v.expr())).collect();
            let old_attrs: BTreeMap<String, &Expression> =
                oo.iter().map(|(k, v)| (key(k), v.expr())).collect();
            for (k, ot) in &old_attrs {
                let Some(nt) = new_attrs.get(k) else { return false };
                if !types_compatible(ot, nt, &format!("{path}{k}."), added) {
                    return false;
                }
            }
            for (k, nt) in new_attrs.iter().filter(|(k, _)| !old_attrs.contains_key(*k)) {
                let is_optional = nt.as_func_call().is_some_and(|c| c.name.name.as_str() == "optional");
                if !is_optional {
                    return false;
                }
                added.push(format!("{path}{k}"));
            }
            true
        }
        _ => false,
    }
}

/// Resources or module calls: removed without a `moved` block is major, moved is a patch, new is
/// minor (a `moved` target that replaces an old address is not new).
fn compare_addresses(
    what: &str,
    at: &str,
    old: &BTreeSet<String>,
    new: &BTreeSet<String>,
    new_dir: &DirModel,
    f: &mut Findings,
) {
    let moved_from =
        |addr: &str| new_dir.moved.iter().find(|(from, _)| from == addr).map(|(_, to)| to.as_str());
    for addr in old.difference(new) {
        match moved_from(addr) {
            Some(to) => f.add(Bump::Patch, format!("{what} `{addr}` moved to `{to}`{at}")),
            None => f.add(Bump::Major, format!("{what} `{addr}` removed without a `moved` block{at}")),
        }
    }
    for addr in new.difference(old) {
        let replaces_old = new_dir.moved.iter().any(|(from, to)| to == addr && old.contains(from));
        if !replaces_old {
            f.add(Bump::Minor, format!("{what} `{addr}` added{at}"));
        }
    }
}

/// `same_major_is_minor`: for providers, a minimum raised inside the same major line is what
/// module authors ship in minor releases (a feature needing a newer provider release) and callers
/// get it with `terraform init -upgrade`. For `required_version` any tightening is major: callers
/// must change the Terraform binary their CI runs.
fn compare_constraint(
    what: &str,
    at: &str,
    old: Option<&str>,
    new: Option<&str>,
    same_major_is_minor: bool,
    f: &mut Findings,
) {
    if old == new {
        return;
    }
    let show = |c: Option<&str>| c.map(str::to_string).unwrap_or_else(|| "none".to_string());
    let (o, n) = (show(old), show(new));
    let parse = |c: Option<&str>| match c {
        None => Some(Constraint::default()),
        Some(c) => Constraint::parse(c),
    };
    match (parse(old), parse(new)) {
        (Some(oc), Some(nc)) => match oc.change_to(&nc) {
            ConstraintChange::Tightened => {
                f.add(Bump::Major, format!("{what} tightened from {o} to {n}{at}"))
            }
            ConstraintChange::Widened => f.add(Bump::Minor, format!("{what} widened from {o} to {n}{at}")),
            ConstraintChange::RaisedMinimumSameMajor if same_major_is_minor => {
                f.add(Bump::Minor, format!("{what} minimum raised within the same major from {o} to {n}{at}"))
            }
            ConstraintChange::RaisedMinimumSameMajor => {
                f.add(Bump::Major, format!("{what} tightened from {o} to {n}{at}"))
            }
            ConstraintChange::Same => {
                f.add(Bump::Patch, format!("{what} rewritten from {o} to {n} (same range){at}"))
            }
        },
        // A constraint agb cannot read is not guessed to be harmless.
        _ => f.add(
            Bump::Major,
            format!("{what} changed from {o} to {n} (not comparable, assumed stricter){at}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(files: &[(&str, &str)]) -> ModuleModel {
        parse_module(files.iter().map(|(p, t)| (*p, t.as_bytes()))).expect("fixture parses")
    }

    fn bump_of(old: &[(&str, &str)], new: &[(&str, &str)]) -> Suggestion {
        suggest(&model(old), &model(new), &["x.tf".to_string()])
    }

    fn texts(s: &Suggestion) -> Vec<&str> {
        s.reasons.iter().map(|r| r.text.as_str()).collect()
    }

    #[test]
    fn normalize_ignores_layout_and_comments() {
        assert_eq!(normalize_hcl("list( string )"), "list(string)");
        assert_eq!(
            normalize_hcl("object({\n  a = string # the a\n  b = number\n})"),
            "object({a=string b=number})"
        );
        assert_eq!(normalize_hcl("\"a  b\" /* c */"), "\"a  b\"");
    }

    #[test]
    fn constraint_parsing_and_strictness() {
        let c = |s| Constraint::parse(s).unwrap();
        use ConstraintChange::*;
        assert_eq!(c(">= 1.3").change_to(&c(">= 2.0")), Tightened);
        assert_eq!(c(">= 1.3").change_to(&c(">= 1.5")), RaisedMinimumSameMajor);
        assert_eq!(c(">= 0.12").change_to(&c(">= 0.13")), Tightened, "0.x: the minor is the major line");
        assert_eq!(c(">= 0.12.6").change_to(&c(">= 0.12.31")), RaisedMinimumSameMajor);
        assert_eq!(c(">= 1.3").change_to(&c(">= 1.5, < 2.0")), Tightened, "a new maximum is stricter");
        assert_eq!(c(">= 1.5").change_to(&c(">= 1.3")), Widened);
        assert_eq!(c(">= 1.3").change_to(&c(">=1.3.0")), Same);
        assert_eq!(c("~> 5.0").change_to(&c(">= 5.0, < 6.0")), Same);
        assert_eq!(
            c("~> 4.0").change_to(&c("~> 5.0")),
            Tightened,
            "higher minimum wins over a higher maximum"
        );
        assert_eq!(c(">= 4.0, < 6.0").change_to(&c(">= 4.0")), Widened);
        assert_eq!(c(">= 4.0").change_to(&c(">= 4.0, < 6.0")), Tightened);
        assert_eq!(c("~> 5.0.1").change_to(&c(">= 5.0.1, < 5.1.0")), Same);
        assert_eq!(c(">= 1.0").change_to(&c(">= 1.0, != 1.2.0")), Tightened);
        assert_eq!(c("1.2.3").change_to(&c("= 1.2.3")), Same);
        assert_eq!(c(">= 1.0").change_to(&c("> 1.0")), RaisedMinimumSameMajor);
        assert!(Constraint::parse(">= banana").is_none());
        let v = |s: &str| semver::Version::parse(s).unwrap();
        assert!(c("~> 1.2").allows(&v("1.9.0")) && !c("~> 1.2").allows(&v("2.0.0")));
        assert!(c(">= 1.0, != 1.1.0").allows(&v("1.2.0")) && !c(">= 1.0, != 1.1.0").allows(&v("1.1.0")));
        assert!(!c("> 1.0").allows(&v("1.0.0")) && c("<= 1.0").allows(&v("1.0.0")));
    }

    fn arb_constraint() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let part = (
            prop::sample::select(vec![">=", ">", "<=", "<", "=", "!=", "~>", ""]),
            0u64..4,
            0u64..4,
            0u64..4,
            1usize..=3,
        )
            .prop_map(|(op, a, b, c, n)| {
                let v = [a.to_string(), b.to_string(), c.to_string()][..n].join(".");
                format!("{op} {v}")
            });
        prop::collection::vec(part, 1..=3).prop_map(|parts| parts.join(", "))
    }

    proptest::proptest! {
        /// The strictness verdict agrees with the versions each side accepts: widened accepts a
        /// superset, same accepts the same set, tightened rejects something the old one accepted.
        #[test]
        fn constraint_change_agrees_with_the_versions_accepted(a in arb_constraint(), b in arb_constraint()) {
            let (ca, cb) = (Constraint::parse(&a).unwrap(), Constraint::parse(&b).unwrap());
            let grid: Vec<semver::Version> = (0..6)
                .flat_map(|x| (0..6).flat_map(move |y| (0..6).map(move |z| semver::Version::new(x, y, z))))
                .collect();
            let accepts = |c: &Constraint| grid.iter().filter(|v| c.allows(v)).cloned().collect::<BTreeSet<_>>();
            let (sa, sb) = (accepts(&ca), accepts(&cb));
            match ca.change_to(&cb) {
                ConstraintChange::Same => proptest::prop_assert_eq!(&sa, &sb, "{} -> {}", a, b),
                ConstraintChange::Widened => proptest::prop_assert!(sa.is_subset(&sb), "{} -> {}", a, b),
                ConstraintChange::Tightened | ConstraintChange::RaisedMinimumSameMajor => {
                    if !sa.is_empty() {
                        proptest::prop_assert!(!sa.is_subset(&sb), "{} -> {} rejects nothing new", a, b);
                    }
                }
            }
        }
    }

    #[test]
    fn identical_is_none_and_file_only_change_is_patch() {
        let files = [("main.tf", "resource \"a\" \"b\" {}\n")];
        assert_eq!(suggest(&model(&files), &model(&files), &[]).bump, Bump::None);
        let s = suggest(&model(&files), &model(&files), &["README.md".to_string()]);
        assert_eq!(s.bump, Bump::Patch);
        assert_eq!(texts(&s), ["no interface change; files changed: README.md"]);
    }

    #[test]
    fn formatting_only_change_is_patch_without_interface_reasons() {
        let a = [("variables.tf", "variable \"x\" {\n  type = list(string)\n}\n")];
        let b = [("variables.tf", "variable \"x\" {\n  type    =    list( string ) # tidy\n}\n")];
        let s = bump_of(&a, &b);
        assert_eq!(s.bump, Bump::Patch);
        assert!(texts(&s)[0].starts_with("no interface change"), "{s:?}");
    }

    #[test]
    fn variable_rules() {
        let base = [("variables.tf", "variable \"x\" {\n  type = string\n  default = \"a\"\n}\n")];
        let removed = [("variables.tf", "")];
        assert_eq!(texts(&bump_of(&base, &removed)), ["variable `x` removed"]);
        assert_eq!(bump_of(&base, &removed).bump, Bump::Major);

        let renamed = [("variables.tf", "variable \"y\" {\n  type = string\n  default = \"a\"\n}\n")];
        assert_eq!(texts(&bump_of(&base, &renamed)), ["variable `x` renamed to `y`"]);

        let required_added =
            [("variables.tf", "variable \"x\" {\n type = string\n default = \"a\"\n}\nvariable \"z\" {}\n")];
        let s = bump_of(&base, &required_added);
        assert_eq!(
            (s.bump, texts(&s)),
            (Bump::Major, vec!["variable `z` added without a default (callers must set it)"])
        );

        let optional_added = [(
            "variables.tf",
            "variable \"x\" {\n type = string\n default = \"a\"\n}\nvariable \"z\" { default = null }\n",
        )];
        let s = bump_of(&base, &optional_added);
        assert_eq!((s.bump, texts(&s)), (Bump::Minor, vec!["variable `z` added (optional)"]));

        let retyped = [("variables.tf", "variable \"x\" {\n  type = list(string)\n  default = \"a\"\n}\n")];
        let s = bump_of(&base, &retyped);
        assert_eq!(
            (s.bump, texts(&s)),
            (Bump::Major, vec!["variable `x` type changed from `string` to `list(string)`"])
        );

        let no_default = [("variables.tf", "variable \"x\" {\n  type = string\n}\n")];
        let s = bump_of(&base, &no_default);
        assert_eq!(
            (s.bump, texts(&s)),
            (Bump::Major, vec!["variable `x` default removed (callers must set it)"])
        );
        let s = bump_of(&no_default, &base);
        assert_eq!((s.bump, texts(&s)), (Bump::Minor, vec!["variable `x` got a default (now optional)"]));

        let new_default = [("variables.tf", "variable \"x\" {\n  type = string\n  default = \"b\"\n}\n")];
        let s = bump_of(&base, &new_default);
        assert_eq!(
            (s.bump, texts(&s)),
            (Bump::Patch, vec!["variable `x` default changed from `\"a\"` to `\"b\"`"])
        );

        let described = [(
            "variables.tf",
            "variable \"x\" {\n  description = \"X\"\n  type = string\n  default = \"a\"\n}\n",
        )];
        assert_eq!(bump_of(&base, &described).bump, Bump::Patch);
    }

    #[test]
    fn optional_object_attributes_are_a_minor_change() {
        let ty =
            |t: &str| [("variables.tf", format!("variable \"x\" {{\n  type = {t}\n  default = null\n}}\n"))];
        let run = |a: &str, b: &str| {
            let (a, b) = (ty(a), ty(b));
            let (a, b) =
                (a.each_ref().map(|(p, t)| (*p, t.as_str())), b.each_ref().map(|(p, t)| (*p, t.as_str())));
            bump_of(&a, &b)
        };
        let s = run(
            "object({\n    name = string\n  })",
            "object({\n    name = string\n    tags = optional(map(string), {})\n  })",
        );
        assert_eq!(
            (s.bump, texts(&s)),
            (Bump::Minor, vec!["variable `x` type gained optional attribute(s) `tags`"])
        );
        let s = run(
            "list(object({ name = string, rule = object({ port = number }) }))",
            "list(object({ name = string, rule = object({ port = number, cidr = optional(string) }) }))",
        );
        assert_eq!(
            (s.bump, texts(&s)),
            (Bump::Minor, vec!["variable `x` type gained optional attribute(s) `rule.cidr`"])
        );
        // A required attribute, a removed one, or a changed optional default stays major.
        assert_eq!(run("object({ a = string })", "object({ a = string, b = string })").bump, Bump::Major);
        assert_eq!(
            run("object({ a = string, b = optional(string) })", "object({ a = string })").bump,
            Bump::Major
        );
        assert_eq!(
            run("object({ a = optional(string, \"x\") })", "object({ a = optional(string, \"y\") })").bump,
            Bump::Major
        );
    }

    #[test]
    fn output_rules() {
        let base = [("outputs.tf", "output \"id\" { value = aws_s3_bucket.this.id }\n")];
        let removed = [("outputs.tf", "")];
        let s = bump_of(&base, &removed);
        assert_eq!((s.bump, texts(&s)), (Bump::Major, vec!["output `id` removed"]));
        let added = [(
            "outputs.tf",
            "output \"id\" { value = aws_s3_bucket.this.id }\noutput \"arn\" { value = 1 }\n",
        )];
        let s = bump_of(&base, &added);
        assert_eq!((s.bump, texts(&s)), (Bump::Minor, vec!["output `arn` added"]));
        let changed = [("outputs.tf", "output \"id\" { value = aws_s3_bucket.this.bucket }\n")];
        assert_eq!(bump_of(&base, &changed).bump, Bump::Patch);
    }

    #[test]
    fn resource_and_module_call_rules() {
        let base =
            [("main.tf", "resource \"aws_s3_bucket\" \"this\" {}\nmodule \"m\" { source = \"./m\" }\n")];
        let gone = [("main.tf", "module \"m\" { source = \"./m\" }\n")];
        let s = bump_of(&base, &gone);
        assert_eq!(
            (s.bump, texts(&s)),
            (Bump::Major, vec!["resource `aws_s3_bucket.this` removed without a `moved` block"])
        );

        let moved = [(
            "main.tf",
            "resource \"aws_s3_bucket\" \"main\" {}\nmodule \"m\" { source = \"./m\" }\nmoved {\n  from = aws_s3_bucket.this[0]\n  to = aws_s3_bucket.main\n}\n",
        )];
        let s = bump_of(&base, &moved);
        assert_eq!(
            (s.bump, texts(&s)),
            (Bump::Patch, vec!["resource `aws_s3_bucket.this` moved to `aws_s3_bucket.main`"])
        );

        let call_gone = [("main.tf", "resource \"aws_s3_bucket\" \"this\" {}\n")];
        let s = bump_of(&base, &call_gone);
        assert_eq!(
            (s.bump, texts(&s)),
            (Bump::Major, vec!["module call `module.m` removed without a `moved` block"])
        );

        let more = [(
            "main.tf",
            "resource \"aws_s3_bucket\" \"this\" {}\nresource \"aws_s3_bucket_policy\" \"p\" {}\nmodule \"m\" { source = \"./m\" }\nmodule \"n\" { source = \"./n\" }\n",
        )];
        let s = bump_of(&base, &more);
        assert_eq!(
            (s.bump, texts(&s)),
            (Bump::Minor, vec!["resource `aws_s3_bucket_policy.p` added", "module call `module.n` added"])
        );
    }

    #[test]
    fn version_constraint_rules() {
        let v = |rv: &str, aws: &str| {
            format!(
                "terraform {{\n  required_version = \"{rv}\"\n  required_providers {{\n    aws = {{\n      source = \"hashicorp/aws\"\n      version = \"{aws}\"\n    }}\n  }}\n}}\n"
            )
        };
        let base = v(">= 1.3", ">= 4.0");
        let s = bump_of(&[("versions.tf", &base)], &[("versions.tf", &v(">= 1.5", ">= 4.0"))]);
        assert_eq!(
            (s.bump, texts(&s)),
            (Bump::Major, vec!["required_version tightened from >= 1.3 to >= 1.5"])
        );
        let s = bump_of(&[("versions.tf", &base)], &[("versions.tf", &v(">= 1.3", ">= 4.2"))]);
        assert_eq!(
            (s.bump, texts(&s)),
            (
                Bump::Minor,
                vec!["provider `aws` constraint minimum raised within the same major from >= 4.0 to >= 4.2"]
            )
        );
        let s = bump_of(&[("versions.tf", &base)], &[("versions.tf", &v(">= 1.3", ">= 4.0, < 5.0"))]);
        assert_eq!(
            (s.bump, texts(&s)),
            (Bump::Major, vec!["provider `aws` constraint tightened from >= 4.0 to >= 4.0, < 5.0"])
        );
        let s = bump_of(&[("versions.tf", &base)], &[("versions.tf", &v(">= 1.3", ">= 5.0"))]);
        assert_eq!(
            (s.bump, texts(&s)),
            (Bump::Major, vec!["provider `aws` constraint tightened from >= 4.0 to >= 5.0"])
        );
        let s = bump_of(&[("versions.tf", &base)], &[("versions.tf", &v(">= 1.3", ">= 3.0"))]);
        assert_eq!(
            (s.bump, texts(&s)),
            (Bump::Minor, vec!["provider `aws` constraint widened from >= 4.0 to >= 3.0"])
        );
        let s = bump_of(&[("versions.tf", &base)], &[("versions.tf", &v(">= 1.3.0", ">= 4.0"))]);
        assert_eq!(s.bump, Bump::Patch);
        // The 0.12 shorthand form is read too.
        let short = "terraform {\n  required_providers {\n    aws = \">= 2.0\"\n  }\n}\n";
        let short2 = "terraform {\n  required_providers {\n    aws = \">= 3.0\"\n  }\n}\n";
        assert_eq!(bump_of(&[("versions.tf", short)], &[("versions.tf", short2)]).bump, Bump::Major);
    }

    #[test]
    fn submodules_are_compared_by_directory() {
        let base =
            [("main.tf", "variable \"a\" {}\n"), ("modules/sub/main.tf", "output \"o\" { value = 1 }\n")];
        let sub_gone = [("main.tf", "variable \"a\" {}\n")];
        let s = bump_of(&base, &sub_gone);
        assert_eq!((s.bump, texts(&s)), (Bump::Major, vec!["submodule `modules/sub` removed"]));
        let s = bump_of(&sub_gone, &base);
        assert_eq!((s.bump, texts(&s)), (Bump::Minor, vec!["submodule `modules/sub` added"]));
        let sub_changed = [("main.tf", "variable \"a\" {}\n"), ("modules/sub/main.tf", "")];
        let s = bump_of(&base, &sub_changed);
        assert_eq!(texts(&s), ["output `o` removed in `modules/sub`"]);
    }

    #[test]
    fn examples_are_not_interface() {
        let base = [
            ("main.tf", "variable \"a\" {}\n"),
            ("examples/basic/main.tf", "module \"x\" { source = \"../..\" }\n"),
        ];
        let gone = [("main.tf", "variable \"a\" {}\n")];
        assert_eq!(bump_of(&base, &gone).bump, Bump::Patch);
    }

    #[test]
    fn reasons_are_sorted_strongest_first() {
        let a = [("main.tf", "variable \"a\" { default = 1 }\noutput \"o\" { value = 1 }\n")];
        let b = [(
            "main.tf",
            "variable \"a\" { default = 2 }\noutput \"p\" { value = 1 }\noutput \"o2\" { value = 1 }\n",
        )];
        let s = bump_of(&a, &b);
        let bumps: Vec<Bump> = s.reasons.iter().map(|r| r.bump).collect();
        assert_eq!(bumps, [Bump::Major, Bump::Minor, Bump::Minor, Bump::Patch]);
    }

    #[test]
    fn invalid_hcl_names_file_and_line() {
        let err =
            parse_module([("main.tf", "variable \"a\" {\n  type = \n}\nresource {".as_bytes())]).unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("main.tf:"), "{msg}");
        match err {
            BumpError::InvalidHcl(e) => assert!(e.line >= 2, "line {}", e.line),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn crlf_files_parse_like_lf() {
        let lf = "variable \"x\" {\n  type = string\n  default = \"a\"\n}\n";
        let crlf = lf.replace('\n', "\r\n");
        assert_eq!(model(&[("v.tf", lf)]), model(&[("v.tf", &crlf)]));
    }

    #[test]
    fn apply_bumps_versions() {
        let v = semver::Version::parse("1.2.3").unwrap();
        assert_eq!(Bump::Major.apply(&v).to_string(), "2.0.0");
        assert_eq!(Bump::Minor.apply(&v).to_string(), "1.3.0");
        assert_eq!(Bump::Patch.apply(&v).to_string(), "1.2.4");
        assert_eq!(Bump::None.apply(&v).to_string(), "1.2.3");
    }
}
