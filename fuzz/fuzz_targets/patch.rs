//! The description patcher: on any input it either refuses, or returns a file whose body is
//! unchanged, whose description reads back as the new value and whose other keys are unchanged.
//! Input: `<selector byte><file text>\0<new description>`.
#![no_main]

use agb_fuzz::source::frontmatter::split;
use agb_fuzz::sync::patch::{parse_mapping, patch_frontmatter_description, InsertAt};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let Ok(rest) = std::str::from_utf8(rest) else { return };
    let (text, new) = rest.split_once('\0').unwrap_or((rest, ""));
    let new = if selector & 1 == 1 { None } else { Some(new) };
    let at = match (selector >> 1) % 3 {
        0 => InsertAt::End,
        1 => InsertAt::Start,
        _ => InsertAt::After("name"),
    };
    let Ok(out) = patch_frontmatter_description(text, new, at) else { return };
    let old = split(text).expect("a patch succeeds only on a splittable file");
    let patched = split(&out).expect("a patched file must split");
    assert_eq!(old.body, patched.body, "the body changed");
    let mut old_map = parse_mapping(old.yaml.unwrap_or(""), 2).expect("the source parsed");
    let mut new_map = parse_mapping(patched.yaml.unwrap_or(""), 2).expect("the patch must parse");
    let desc = new_map.shift_remove("description");
    assert_eq!(desc.as_ref().map(|d| d.as_str().expect("a string description")), new);
    old_map.shift_remove("description");
    assert_eq!(
        serde_yaml::to_string(&old_map).ok(),
        serde_yaml::to_string(&new_map).ok(),
        "another key changed"
    );
    // Patching again with the same value writes nothing new.
    assert_eq!(patch_frontmatter_description(&out, new, at).as_deref(), Ok(out.as_str()));
});
