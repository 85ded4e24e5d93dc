//! The bump rules: two [`ModuleModel`]s compared directory by directory, one [`Reason`] per
//! finding (variables, outputs, resources and module calls, `moved` blocks, constraints).
//!
//! Not here: parsing HCL (see `hcl`), reading files.

use std::collections::{BTreeMap, BTreeSet};

use hcl_edit::expr::Expression;

use super::constraints::{Constraint, ConstraintChange};
use super::hcl::{normalize_hcl, DirModel, ModuleModel};
use super::{Bump, Reason, Suggestion};

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
