//! Checking a patched text before it is returned: it must parse, the description must read back
//! as the new value, and every other key (and the body) must be unchanged.
//!
//! Not here: producing the candidate text (`edit`).

use serde_yaml::{Mapping, Value};

use super::{parse_mapping, PatchError};
use crate::source::frontmatter::split;

pub(super) fn verify_frontmatter(
    old: &Mapping,
    old_body: &str,
    candidate: &str,
    new: Option<&str>,
) -> Result<(), PatchError> {
    let verify = |reason: String| PatchError::Verify { reason };
    let parts = split(candidate).map_err(|_| verify("the frontmatter is no longer closed".into()))?;
    if parts.body != old_body {
        return Err(verify("the body changed".into()));
    }
    let yaml = parts.yaml.unwrap_or("");
    let new_map = parse_mapping(yaml, parts.yaml_first_line).map_err(|e| verify(e.to_string()))?;
    same_except_description(old, &new_map, new).map_err(verify)
}

pub(super) fn verify_sidecar(
    old: &Mapping,
    candidate: &str,
    target: &str,
    new: Option<&str>,
) -> Result<(), PatchError> {
    let verify = |reason: String| PatchError::Verify { reason };
    let new_map = parse_mapping(candidate, 1).map_err(|e| verify(e.to_string()))?;
    let key = Value::String(target.to_string());
    let others = |m: &Mapping| -> Vec<(Value, Value)> {
        m.iter().filter(|(k, _)| **k != key).map(|(k, v)| (k.clone(), v.clone())).collect()
    };
    let (a, b) = (others(old), others(&new_map));
    if a.len() != b.len() || a.iter().zip(&b).any(|(x, y)| x.0 != y.0 || !same_value(&x.1, &y.1)) {
        return Err(verify("another section changed".into()));
    }
    let section = |m: &Mapping| -> Result<Mapping, String> {
        match m.get(&key) {
            None | Some(Value::Null) => Ok(Mapping::new()),
            Some(Value::Mapping(s)) => Ok(s.clone()),
            Some(_) => Err(format!("the `{target}` section is not a mapping")),
        }
    };
    same_except_description(&section(old).map_err(verify)?, &section(&new_map).map_err(verify)?, new)
        .map_err(verify)
}

/// Every key but `description` is the same (same order, same value) and `description` is `new`.
fn same_except_description(old: &Mapping, new_map: &Mapping, new: Option<&str>) -> Result<(), String> {
    let desc = Value::String("description".into());
    let a: Vec<_> = old.iter().filter(|(k, _)| **k != desc).collect();
    let b: Vec<_> = new_map.iter().filter(|(k, _)| **k != desc).collect();
    if a.len() != b.len() {
        return Err("the set of keys changed".into());
    }
    for ((ka, va), (kb, vb)) in a.iter().zip(&b) {
        if ka != kb {
            return Err("the key order changed".into());
        }
        if !same_value(va, vb) {
            return Err(format!(
                "the value of {} changed",
                serde_yaml::to_string(ka).unwrap_or_default().trim()
            ));
        }
    }
    match (new_map.get(&desc), new) {
        (None, None) => Ok(()),
        (Some(Value::String(s)), Some(n)) if s == n => Ok(()),
        _ => Err("the description does not read back as the new value".into()),
    }
}

/// Equality that also holds for NaN floats (a `.nan` value must not make a patch fail).
fn same_value(a: &Value, b: &Value) -> bool {
    a == b || serde_yaml::to_string(a).ok() == serde_yaml::to_string(b).ok()
}
