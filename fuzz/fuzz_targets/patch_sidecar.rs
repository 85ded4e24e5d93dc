//! The sidecar patcher: refuses, or changes only `description` in the target's section.
//! Input: `<selector byte><yaml>\0<new description>`.
#![no_main]

use agb_fuzz::sync::patch::{parse_mapping, patch_sidecar_description, InsertAt};
use libfuzzer_sys::fuzz_target;
use serde_yaml::Value;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let Ok(rest) = std::str::from_utf8(rest) else { return };
    let (yaml, new) = rest.split_once('\0').unwrap_or((rest, ""));
    let new = if selector & 1 == 1 { None } else { Some(new) };
    let target = if selector & 2 == 2 { "codex" } else { "gemini-cli" };
    let Ok(out) = patch_sidecar_description(yaml, target, new, InsertAt::End) else { return };
    let mut old = parse_mapping(yaml, 1).expect("the source parsed");
    let mut patched = parse_mapping(&out, 1).expect("the patch must parse");
    let section = |m: &mut serde_yaml::Mapping| match m.shift_remove(target) {
        Some(Value::Mapping(s)) => s,
        _ => serde_yaml::Mapping::new(),
    };
    let (mut old_s, mut new_s) = (section(&mut old), section(&mut patched));
    assert_eq!(serde_yaml::to_string(&old).ok(), serde_yaml::to_string(&patched).ok(), "another section changed");
    let desc = new_s.shift_remove("description");
    assert_eq!(desc.as_ref().map(|d| d.as_str().expect("a string description")), new);
    old_s.shift_remove("description");
    assert_eq!(serde_yaml::to_string(&old_s).ok(), serde_yaml::to_string(&new_s).ok(), "another key changed");
});
