//! The frontmatter splitter and parser never panic, a split puts the file back together, and
//! the full parser agrees with the splitter.
#![no_main]

use std::path::Path;

use agb_fuzz::source::frontmatter::{parse_document, parse_yaml_mapping, split};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let document = parse_document(Path::new("fuzz.md"), text);
    let Ok(parts) = split(text) else {
        assert!(text.starts_with("---"));
        assert!(document.is_err());
        return;
    };
    assert!(text.ends_with(parts.body));
    if let Some(yaml) = parts.yaml {
        let start = yaml.as_ptr() as usize - text.as_ptr() as usize;
        assert!(text[..start] == *"---\n" || text[..start] == *"---\r\n");
        let close = &text[start + yaml.len()..text.len() - parts.body.len()];
        assert!(matches!(close, "---" | "---\n" | "---\r\n"), "{close:?}");
        let mapping = parse_yaml_mapping(yaml);
        match (&document, mapping) {
            (Ok(d), Ok(m)) => {
                assert_eq!(d.body, parts.body);
                assert!(d.has_frontmatter);
                assert_eq!(d.metadata, m);
            }
            (Err(_), Err(e)) => assert!(e.index <= yaml.len()),
            _ => panic!("parse_document and parse_yaml_mapping disagree"),
        }
    } else {
        assert_eq!(parts.body, text);
        if text.starts_with("\u{feff}---") {
            // The loader refuses a byte-order mark (it would hide a frontmatter).
            assert!(document.is_err());
            return;
        }
        let d = document.expect("a file without frontmatter (and no BOM) always parses");
        assert_eq!(d.body, text);
        assert!(d.metadata.is_empty());
    }
});
