//! Rules about what Terraform's state is keyed on and what a module depends on: a resource or
//! module call whose instance keys change (`count` ↔ `for_each`, a new `for_each` key
//! expression) without a `moved` block makes Terraform destroy and re-create it; a child module
//! call whose `source` or major version changes brings another interface.
//!
//! Not here: resources added, removed or renamed (see `rules`), parsing (see `hcl`).

use super::constraints::Constraint;
use super::hcl::{ArgumentForm, DirModel, Instancing};
use super::rules::Findings;

/// The instance address of `addr` under an instancing, as a reader sees it in a plan.
fn instance(addr: &str, i: &Instancing) -> String {
    match i {
        Instancing::Single => addr.to_string(),
        Instancing::Count => format!("{addr}[0]"),
        Instancing::ForEach(Some(key)) => format!("{addr}[{key}]"),
        Instancing::ForEach(None) => format!("{addr}[each.key]"),
    }
}

/// Whether two instancings give the same instance addresses. `count` and none are the same
/// (Terraform moves `a.b` ↔ `a.b[0]` by itself); a `for` keyed by its own value (`$v`) over a
/// set gives the set's values, like a `for_each` over the set itself.
fn same_keys(old: &Instancing, new: &Instancing) -> bool {
    use Instancing::*;
    match (old, new) {
        (Single | Count, Single | Count) => true,
        (ForEach(a), ForEach(b)) => {
            let norm = |k: &Option<String>| k.as_deref().filter(|k| *k != "$v").map(str::to_string);
            norm(a) == norm(b)
        }
        _ => false,
    }
}

/// Addresses on both sides whose instance keys changed: major without a `moved` block covering
/// them, patch with one.
pub(super) fn compare_instancing(at: &str, old: &DirModel, new: &DirModel, f: &mut Findings) {
    for (addr, n) in &new.instancing {
        let Some(o) = old.instancing.get(addr) else { continue };
        if same_keys(o, n) {
            continue;
        }
        let (from, to) = (instance(addr, o), instance(addr, n));
        let loc = new.locs.get(addr);
        // `moved` addresses are kept without instance keys: from = to = the address.
        if new.moved.iter().any(|(mf, mt)| mf == addr && mt == addr) {
            let text = format!("`{from}` moved to `{to}` with a `moved` block{at}");
            f.add("address_moved", text, loc, false);
        } else {
            let text = format!(
                "instance keys of `{addr}` changed without a `moved` block: `{from}` becomes `{to}` (Terraform destroys and re-creates it){at}"
            );
            f.add("instance_keys_changed", text, loc, false);
        }
    }
}

/// Resource arguments on both sides written the other way: `x = […]` became `dynamic "x"` (or
/// `x { … }` blocks), or back. For block types in Terraform's "attributes as blocks" mode
/// (security group rules, subnet secondary ranges, website settings) the same caller input then
/// means something else: `x = []` removes every existing entry, no block leaves them unmanaged.
/// Nothing in the variables shows it, so a class of its own.
pub(super) fn compare_argument_forms(at: &str, old: &DirModel, new: &DirModel, f: &mut Findings) {
    for (addr, new_forms) in &new.arguments {
        let Some(old_forms) = old.arguments.get(addr) else { continue };
        for (arg, n) in new_forms {
            let Some(o) = old_forms.get(arg).filter(|o| *o != n) else { continue };
            let show = |form: &ArgumentForm| match form {
                ArgumentForm::Argument => "an argument (`=`)",
                ArgumentForm::Blocks => "blocks",
            };
            let text = format!(
                "resource `{addr}`: `{arg}` changed from {} to {} (an empty value now {}){at}",
                show(o),
                show(n),
                match n {
                    ArgumentForm::Blocks => "leaves existing entries alone instead of removing them",
                    ArgumentForm::Argument => "removes existing entries instead of leaving them alone",
                }
            );
            f.add("argument_form_changed", text, new.locs.get(addr), false);
        }
    }
}

/// `git::https://host/x.git?ref=v1.2.0` → (`git::https://host/x.git`, Some(`v1.2.0`)).
fn split_ref(source: &str) -> (&str, Option<&str>) {
    match source.split_once('?') {
        Some((base, query)) => {
            let r = query.split('&').find_map(|kv| kv.strip_prefix("ref="));
            (base, r)
        }
        None => (source, None),
    }
}

/// A child module call's `source` (other than a local path: a local submodule is compared as a
/// directory) or version that changed.
pub(super) fn compare_module_sources(at: &str, old: &DirModel, new: &DirModel, f: &mut Findings) {
    for (addr, n) in &new.module_sources {
        let Some(o) = old.module_sources.get(addr) else { continue };
        let loc = new.locs.get(addr);
        let (os, ns) = (o.source.as_deref().unwrap_or(""), n.source.as_deref().unwrap_or(""));
        let local = |s: &str| s.starts_with("./") || s.starts_with("../");
        let ((ob, oref), (nb, nref)) = (split_ref(os), split_ref(ns));
        if os != ns && !(local(os) && local(ns)) && ob != nb {
            let text = format!("module call `{addr}` source changed from `{os}` to `{ns}`{at}");
            f.add("module_source_changed", text, loc, false);
            continue;
        }
        let (ov, nv) = match (oref, nref) {
            (Some(a), Some(b)) if a != b => (Some(a), Some(b)),
            _ => (o.version.as_deref(), n.version.as_deref()),
        };
        if ov == nv {
            continue;
        }
        let show = |v: Option<&str>| v.unwrap_or("none").to_string();
        let (os, ns) = (show(ov), show(nv));
        let line = |v: Option<&str>| v.and_then(|v| Constraint::parse(v.trim_start_matches('v')));
        match (line(ov), line(nv)) {
            (Some(a), Some(b)) if a.minimum_line() != b.minimum_line() => {
                let text = format!("module call `{addr}` version moved to another major: {os} → {ns}{at}");
                f.add("module_version_major", text, loc, false);
            }
            (Some(_), Some(_)) => {
                let text = format!("module call `{addr}` version changed within its major: {os} → {ns}{at}");
                f.add("module_version_changed", text, loc, false);
            }
            _ => {
                let text = format!(
                    "module call `{addr}` version changed from {os} to {ns} (not comparable, assumed stricter){at}"
                );
                f.add("constraint_not_comparable", text, loc, false);
            }
        }
    }
}
