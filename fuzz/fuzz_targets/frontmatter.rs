//! The frontmatter splitter and parser never panic, and a split puts the file back together.
#![no_main]

use agb_fuzz::source::frontmatter::split;
use agb_fuzz::sync::patch::parse_mapping;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(parts) = split(text) else {
        assert!(text.starts_with("---"));
        return;
    };
    assert!(text.ends_with(parts.body));
    if let Some(yaml) = parts.yaml {
        let start = yaml.as_ptr() as usize - text.as_ptr() as usize;
        assert!(text[..start] == *"---\n" || text[..start] == *"---\r\n");
        let close = &text[start + yaml.len()..text.len() - parts.body.len()];
        assert!(matches!(close, "---" | "---\n" | "---\r\n"), "{close:?}");
        let _ = parse_mapping(yaml, parts.yaml_first_line);
    } else {
        assert_eq!(parts.body, text);
    }
});
