//! The bump rules: two [`ModuleModel`]s compared directory by directory, one [`Reason`] per
//! finding (variables, outputs, resources and module calls, `moved` blocks, constraints, keys
//! read from `any` variables). Each finding names its policy class; the level comes from the
//! [`Policy`].
//!
//! Not here: parsing HCL (see `hcl`), reading files.

use std::collections::{BTreeMap, BTreeSet};

use hcl_edit::expr::Expression;

use super::constraints::{Constraint, ConstraintChange};
use super::hcl::{normalize_hcl, DirModel, Loc, ModuleModel};
use super::interface::KeyChange;
use super::policy::Policy;
use super::{Bump, Reason, Suggestion};

pub(super) struct Findings<'a> {
    reasons: Vec<Reason>,
    policy: &'a Policy,
}

impl Findings<'_> {
    /// A finding of class `class` (its level comes from the policy) at `loc` (`in_old`: the
    /// place is in the old version, for something that is gone).
    pub(super) fn add(&mut self, class: &'static str, text: String, loc: Option<&Loc>, in_old: bool) {
        let bump = self.policy.level(class);
        self.reasons.push(Reason { bump, text, rule: class, loc: loc.cloned(), in_old });
    }
}

/// The bump from `old` to `new` under the default policy (see [`suggest_with`]).
pub fn suggest(old: &ModuleModel, new: &ModuleModel, changed_files: &[String]) -> Suggestion {
    suggest_with(old, new, changed_files, &Policy::default())
}

/// The bump from `old` to `new`. `changed_files` are the module's files that differ (any kind);
/// when nothing in the interface changed but some file did, the bump is a patch that names them.
/// Each finding's level comes from `policy`; the suggestion says which entry decided.
pub fn suggest_with(
    old: &ModuleModel,
    new: &ModuleModel,
    changed_files: &[String],
    policy: &Policy,
) -> Suggestion {
    let mut f = Findings { reasons: Vec::new(), policy };
    for (dir, old_dir) in &old.dirs {
        match new.dirs.get(dir) {
            Some(new_dir) => compare_dir(dir, old_dir, new_dir, &mut f),
            None if dir.is_empty() => f.add(
                "submodule_removed",
                "the root module has no .tf files any more".to_string(),
                None,
                true,
            ),
            None => f.add("submodule_removed", format!("submodule `{dir}` removed"), None, true),
        }
    }
    for dir in new.dirs.keys().filter(|d| !old.dirs.contains_key(*d)) {
        if dir.is_empty() {
            f.add("submodule_added", "root module .tf files added".to_string(), None, false);
        } else {
            f.add("submodule_added", format!("submodule `{dir}` added"), None, false);
        }
    }
    if f.reasons.is_empty() && !changed_files.is_empty() {
        let shown: Vec<&str> = changed_files.iter().take(5).map(String::as_str).collect();
        let more = changed_files.len().saturating_sub(shown.len());
        let tail = if more > 0 { format!(" and {more} more") } else { String::new() };
        let text = format!("no interface change; files changed: {}{tail}", shown.join(", "));
        f.add("files_changed", text, None, false);
    }
    compare_modes(old, new, &mut f);
    finish(f.reasons, changed_files, policy, old, new)
}

/// Executable bits that changed on files of both versions: a script callers (or the module's
/// `local-exec`) run may stop running, or a file may start to be run. Not an interface change by
/// itself, so a class of its own.
fn compare_modes(old: &ModuleModel, new: &ModuleModel, f: &mut Findings) {
    for (path, &exec) in &new.executable {
        if old.executable.get(path).is_some_and(|&was| was != exec) {
            let text = if exec {
                format!("file `{path}` made executable (mode 100644 → 100755)")
            } else {
                format!("file `{path}` no longer executable (mode 100755 → 100644)")
            };
            f.add("file_mode_changed", text, None, false);
        }
    }
}

/// Sort the reasons, pick the bump and the entry that decided it, keep the texts they point at.
fn finish(
    mut reasons: Vec<Reason>,
    changed_files: &[String],
    policy: &Policy,
    old: &ModuleModel,
    new: &ModuleModel,
) -> Suggestion {
    // Strongest first; within a level, the order the rules found them (stable sort).
    reasons.sort_by_key(|r| std::cmp::Reverse(r.bump));
    let bump = reasons.first().map(|r| r.bump).unwrap_or(Bump::None);
    let decided_by = reasons.first().filter(|r| r.bump != Bump::None).map(|r| policy.decision(r.rule));
    let bump = if bump == Bump::None && !changed_files.is_empty() { Bump::Patch } else { bump };
    let mut sources = Vec::new();
    for r in &reasons {
        let Some(loc) = &r.loc else { continue };
        let side = if r.in_old { old } else { new };
        if let Some(text) = side.sources.get(&loc.file) {
            if !sources.iter().any(|(o, f, _): &(bool, String, _)| *o == r.in_old && *f == loc.file) {
                sources.push((r.in_old, loc.file.clone(), text.clone()));
            }
        }
    }
    Suggestion { bump, reasons, decided_by, sources }
}

fn compare_dir(dir: &str, old: &DirModel, new: &DirModel, f: &mut Findings) {
    let at = if dir.is_empty() { String::new() } else { format!(" in `{dir}`") };
    compare_variables(&at, old, new, f);
    compare_key_reads(&at, old, new, f);

    for name in old.outputs.keys().filter(|n| !new.outputs.contains_key(*n)) {
        f.add(
            "output_removed",
            format!("output `{name}` removed{at}"),
            old.locs.get(&format!("output.{name}")),
            true,
        );
    }
    for name in new.outputs.keys().filter(|n| !old.outputs.contains_key(*n)) {
        f.add(
            "output_added",
            format!("output `{name}` added{at}"),
            new.locs.get(&format!("output.{name}")),
            false,
        );
    }
    for (name, text) in &new.outputs {
        if old.outputs.get(name).is_some_and(|o| o != text) {
            f.add(
                "output_changed",
                format!("output `{name}` changed{at}"),
                new.locs.get(&format!("output.{name}")),
                false,
            );
        }
    }

    compare_addresses("resource", &at, &old.resources, &new.resources, old, new, f);
    compare_addresses("module call", &at, &old.module_calls, &new.module_calls, old, new, f);
    super::addresses::compare_instancing(&at, old, new, f);
    super::addresses::compare_argument_forms(&at, old, new, f);
    super::addresses::compare_module_sources(&at, old, new, f);

    compare_constraint(
        "required_version",
        &at,
        old.required_version.as_deref(),
        new.required_version.as_deref(),
        false,
        new.locs.get("required_version"),
        f,
    );
    for (name, old_c) in &old.providers {
        let loc = format!("provider.{name}");
        match new.providers.get(name) {
            Some(new_c) => compare_constraint(
                &format!("provider `{name}` constraint"),
                &at,
                old_c.as_deref(),
                new_c.as_deref(),
                true,
                new.locs.get(&loc),
                f,
            ),
            None => f.add(
                "provider_removed",
                format!("provider `{name}` no longer required{at}"),
                old.locs.get(&loc),
                true,
            ),
        }
    }
    for (name, c) in new.providers.iter().filter(|(n, _)| !old.providers.contains_key(*n)) {
        let with = c.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
        f.add(
            "provider_added",
            format!("provider `{name}` added{with}{at}"),
            new.locs.get(&format!("provider.{name}")),
            false,
        );
    }
}

/// The implicit interface (keys read from `any` variables), see `interface`.
fn compare_key_reads(at: &str, old: &DirModel, new: &DirModel, f: &mut Findings) {
    let list = |keys: &[String]| keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    for change in super::interface::compare(old, new) {
        match change {
            KeyChange::Removed { var, keys, loc } => f.add(
                "input_key_removed",
                format!(
                    "variable `{var}`: {} no longer read (a caller's setting would be silently ignored){at}",
                    list(&keys)
                ),
                Some(&loc),
                true,
            ),
            KeyChange::Added { var, keys, loc, declared } => {
                let why = if declared {
                    "declared in its type, ignored before: a setting that now takes effect"
                } else {
                    "new optional input"
                };
                f.add(
                    "input_key_added",
                    format!("variable `{var}`: {} now read ({why}){at}", list(&keys)),
                    Some(&loc),
                    false,
                )
            }
            KeyChange::MadeOptional { var, keys, loc } => f.add(
                "input_key_made_optional",
                format!("variable `{var}`: {} now optional (read with a fallback){at}", list(&keys)),
                Some(&loc),
                false,
            ),
            KeyChange::DefaultChanged { var, key, from, to, loc } => {
                let change = if from.chars().count() <= 40 && to.chars().count() <= 40 {
                    format!(" from `{from}` to `{to}`")
                } else {
                    String::new()
                };
                f.add(
                    "input_key_default_changed",
                    format!("variable `{var}`: fallback of `{key}` changed{change}{at}"),
                    Some(&loc),
                    false,
                )
            }
        }
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
            let loc = new.locs.get(&format!("variable.{came}"));
            f.add("variable_removed", format!("variable `{gone}` renamed to `{came}`{at}"), loc, false);
            removed.clear();
            added.clear();
        }
    }
    for name in removed {
        f.add(
            "variable_removed",
            format!("variable `{name}` removed{at}"),
            old.locs.get(&format!("variable.{name}")),
            true,
        );
    }
    for name in added {
        let loc = new.locs.get(&format!("variable.{name}"));
        if new.variables[name].default.is_some() {
            f.add("variable_optional_added", format!("variable `{name}` added (optional){at}"), loc, false);
        } else {
            let text = format!("variable `{name}` added without a default (callers must set it){at}");
            f.add("variable_required_added", text, loc, false);
        }
    }
    for (name, n) in &new.variables {
        let Some(o) = old.variables.get(name) else { continue };
        let loc = new.locs.get(&format!("variable.{name}"));
        let mut flagged = false;
        let widened = match (&o.type_raw, &n.type_raw) {
            (Some(a), Some(b)) if o.type_expr != n.type_expr => type_widened(a, b),
            _ => None,
        };
        if let Some(w) = widened {
            let list = |l: &[String]| l.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ");
            let mut parts = Vec::new();
            if !w.added.is_empty() {
                parts.push(format!("gained optional attribute(s) {}", list(&w.added)));
            }
            if !w.made_optional.is_empty() {
                parts.push(format!("made attribute(s) {} optional", list(&w.made_optional)));
            }
            let text = format!("variable `{name}` type {}{at}", parts.join(" and "));
            f.add("variable_type_widened", text, loc, false);
            flagged = true;
        } else if o.type_expr != n.type_expr {
            let show = |t: &Option<String>| t.clone().unwrap_or_else(|| "any (none given)".to_string());
            let text = format!(
                "variable `{name}` type changed from `{}` to `{}`{at}",
                show(&o.type_expr),
                show(&n.type_expr)
            );
            f.add("variable_type_changed", text, loc, false);
            flagged = true;
        }
        match (&o.default, &n.default) {
            (Some(_), None) => {
                let text = format!("variable `{name}` default removed (callers must set it){at}");
                f.add("variable_default_removed", text, loc, false);
                flagged = true;
            }
            (None, Some(_)) => {
                f.add(
                    "variable_default_added",
                    format!("variable `{name}` got a default (now optional){at}"),
                    loc,
                    false,
                );
                flagged = true;
            }
            (Some(a), Some(b)) if a != b && default_keys(o, n).is_some() => {
                let (added, removed) = default_keys(o, n).unwrap_or_default();
                let list = |k: &[String]| k.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
                if !removed.is_empty() {
                    let text = format!("variable `{name}` default lost key(s) {}{at}", list(&removed));
                    f.add("variable_default_keys_removed", text, loc, false);
                }
                if !added.is_empty() {
                    let text = format!("variable `{name}` default gained key(s) {}{at}", list(&added));
                    f.add("variable_default_keys_added", text, loc, false);
                }
                if added.is_empty() && removed.is_empty() {
                    f.add(
                        "variable_default_changed",
                        format!("variable `{name}` default changed{at}"),
                        loc,
                        false,
                    );
                }
                flagged = true;
            }
            (Some(a), Some(b)) if a != b => {
                // Long defaults (maps of rules…) would drown the report: name the change only.
                if a.chars().count() <= 40 && b.chars().count() <= 40 {
                    let text = format!("variable `{name}` default changed from `{a}` to `{b}`{at}");
                    f.add("variable_default_changed", text, loc, false);
                } else {
                    f.add(
                        "variable_default_changed",
                        format!("variable `{name}` default changed{at}"),
                        loc,
                        false,
                    );
                }
                flagged = true;
            }
            _ => {}
        }
        if !flagged && o.block != n.block {
            let text = format!("variable `{name}` changed (description, validation or flags){at}");
            f.add("variable_changed", text, loc, false);
        }
    }
}

/// For two map/object defaults: the top-level keys added and removed (None when either default
/// is not an object literal). A map default that gains an entry (a new named rule, a new group)
/// offers callers something new; one that loses an entry breaks callers that name it.
fn default_keys(old: &super::Variable, new: &super::Variable) -> Option<(Vec<String>, Vec<String>)> {
    let keys = |raw: &Option<String>| -> Option<BTreeSet<String>> {
        let e = hcl_edit::parser::parse_expr(raw.as_deref()?).ok()?;
        let o = e.as_object()?;
        Some(
            o.iter()
                .map(|(k, _)| match k.as_ident() {
                    Some(i) => i.as_str().to_string(),
                    None => k.as_expr().and_then(|e| e.as_str()).unwrap_or_default().to_string(),
                })
                .collect(),
        )
    };
    let (o, n) = (keys(&old.default_raw)?, keys(&new.default_raw)?);
    if o.is_empty() && n.is_empty() {
        return None;
    }
    Some((n.difference(&o).cloned().collect(), o.difference(&n).cloned().collect()))
}

/// What a widened object type offers callers: attributes added as `optional(...)`, and
/// required attributes made `optional(...)` (dotted paths through nested objects).
#[derive(Debug, Default)]
struct Widening {
    added: Vec<String>,
    made_optional: Vec<String>,
}

/// When `new` only adds `optional(...)` attributes to object types inside `old`, or makes
/// required attributes optional (at any depth, through `list`, `set`, `map`, `optional`), what it
/// widened; None for any other change. Callers' values stay valid then, so this is not the
/// breaking "type changed".
fn type_widened(old: &str, new: &str) -> Option<Widening> {
    let old = hcl_edit::parser::parse_expr(old).ok()?;
    let new = hcl_edit::parser::parse_expr(new).ok()?;
    let mut w = Widening::default();
    let widened = types_compatible(&old, &new, "", &mut w);
    (widened && !(w.added.is_empty() && w.made_optional.is_empty())).then_some(w)
}

/// `optional(T)` / `optional(T, D)` → T.
fn optional_inner(e: &Expression) -> Option<&Expression> {
    let c = e.as_func_call().filter(|c| c.name.name.as_str() == "optional" && c.name.namespace.is_empty())?;
    c.args.iter().next()
}

fn types_compatible(old: &Expression, new: &Expression, path: &str, w: &mut Widening) -> bool {
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
        ("list" | "set" | "map", [oa], [na]) | ("optional", [oa], [na]) => types_compatible(oa, na, path, w),
        // optional(type, default): the default must not change.
        ("optional", [oa, od], [na, nd]) => same(od, nd) && types_compatible(oa, na, path, w),
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
                let attr_path = format!("{path}{k}.");
                // A required attribute made optional: every value callers pass stays valid.
                let made_optional = optional_inner(ot).is_none()
                    && optional_inner(nt).is_some_and(|inner| types_compatible(ot, inner, &attr_path, w));
                if made_optional {
                    w.made_optional.push(format!("{path}{k}"));
                } else if !types_compatible(ot, nt, &attr_path, w) {
                    return false;
                }
            }
            for (k, nt) in new_attrs.iter().filter(|(k, _)| !old_attrs.contains_key(*k)) {
                if optional_inner(nt).is_none() {
                    return false;
                }
                w.added.push(format!("{path}{k}"));
            }
            true
        }
        _ => false,
    }
}

/// Resources or module calls: removed without a `moved` block is major (with the likely new
/// name when exactly one address of the same type appeared: a rename), moved is a patch, new is
/// minor (a `moved` target that replaces an old address is not new).
fn compare_addresses(
    what: &str,
    at: &str,
    old: &BTreeSet<String>,
    new: &BTreeSet<String>,
    old_dir: &DirModel,
    new_dir: &DirModel,
    f: &mut Findings,
) {
    let moved_from =
        |addr: &str| new_dir.moved.iter().find(|(from, _)| from == addr).map(|(_, to)| to.as_str());
    let kind = |a: &str| a.rsplit_once('.').map_or(String::new(), |(k, _)| k.to_string());
    let unexplained_new: Vec<&String> = new
        .difference(old)
        .filter(|a| !new_dir.moved.iter().any(|(from, to)| to == *a && old.contains(from)))
        .collect();
    let mut renamed_to: Vec<&String> = Vec::new();
    for addr in old.difference(new) {
        match moved_from(addr) {
            Some(to) => f.add(
                "address_moved",
                format!("{what} `{addr}` moved to `{to}`{at}"),
                new_dir.locs.get(to),
                false,
            ),
            None => {
                let same_kind: Vec<&&String> =
                    unexplained_new.iter().filter(|n| kind(n) == kind(addr)).collect();
                let text = match same_kind.as_slice() {
                    [to] => {
                        renamed_to.push(to);
                        format!(
                        "{what} `{addr}` renamed to `{to}` without a `moved` block (Terraform destroys `{addr}` and creates `{to}`){at}"
                        )
                    }
                    _ => format!("{what} `{addr}` removed without a `moved` block{at}"),
                };
                f.add("address_removed", text, old_dir.locs.get(addr.as_str()), true);
            }
        }
    }
    for addr in unexplained_new.into_iter().filter(|a| !renamed_to.contains(a)) {
        f.add("address_added", format!("{what} `{addr}` added{at}"), new_dir.locs.get(addr.as_str()), false);
    }
}

/// `is_provider`: for providers, a minimum raised inside the same major line is what module
/// authors ship in minor releases (a feature needing a newer provider release) and callers get it
/// with `terraform init -upgrade` (class `provider_minimum_raised_same_major`). For
/// `required_version` any tightening is one class: callers must change the Terraform binary
/// their CI runs.
fn compare_constraint(
    what: &str,
    at: &str,
    old: Option<&str>,
    new: Option<&str>,
    is_provider: bool,
    loc: Option<&Loc>,
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
    let (Some(oc), Some(nc)) = (parse(old), parse(new)) else {
        // A constraint agb cannot read is not guessed to be harmless.
        let text = format!("{what} changed from {o} to {n} (not comparable, assumed stricter){at}");
        return f.add("constraint_not_comparable", text, loc, false);
    };
    let (class, text) = match (oc.change_to(&nc), is_provider) {
        (ConstraintChange::Same, _) => {
            ("constraint_rewritten", format!("{what} rewritten from {o} to {n} (same range){at}"))
        }
        (ConstraintChange::Widened, true) => {
            ("provider_widened", format!("{what} widened from {o} to {n}{at}"))
        }
        (ConstraintChange::Widened, false) => {
            ("required_version_widened", format!("{what} widened from {o} to {n}{at}"))
        }
        (_, false) => ("required_version_tightened", format!("{what} tightened from {o} to {n}{at}")),
        (ConstraintChange::RaisedMinimumSameMajor, true) => (
            "provider_minimum_raised_same_major",
            format!("{what} minimum raised within the same major from {o} to {n}{at}"),
        ),
        (ConstraintChange::Tightened, true) if oc.upper_tightened(&nc) => {
            ("provider_upper_bound_added", format!("{what} tightened from {o} to {n}{at}"))
        }
        (ConstraintChange::Tightened, true) if oc.minimum_raised(&nc) => {
            ("provider_minimum_raised_major", format!("{what} tightened from {o} to {n}{at}"))
        }
        (ConstraintChange::Tightened, true) => {
            ("provider_tightened", format!("{what} tightened from {o} to {n}{at}"))
        }
    };
    f.add(class, text, loc, false);
}
