//! Each bump rule on a small before/after module pair (`fixtures/bump/<case>/{before,after}`),
//! with the expected bump and reasons in `expected.json`. Adding a case is adding a directory.

use std::path::Path;

use agb::factory::bump::{parse_module, suggest};
use agb::factory::compare::read_local_dir;

#[derive(serde::Deserialize)]
struct Expected {
    bump: String,
    reasons: Vec<String>,
}

#[test]
fn every_fixture_pair_gets_its_expected_bump_and_reasons() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/bump");
    let mut cases: Vec<_> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).collect();
    cases.sort();
    assert!(cases.len() >= 20, "the rule fixtures are missing");
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let expected: Expected =
            serde_json::from_slice(&std::fs::read(case.join("expected.json")).unwrap()).unwrap();
        let before = read_local_dir(&case.join("before")).unwrap();
        let after = read_local_dir(&case.join("after")).unwrap();
        let mut changed: Vec<String> = after
            .iter()
            .filter(|a| before.iter().find(|b| b.path == a.path).is_none_or(|b| b.bytes != a.bytes))
            .map(|a| a.path.clone())
            .collect();
        changed.extend(
            before.iter().filter(|b| !after.iter().any(|a| a.path == b.path)).map(|b| b.path.clone()),
        );
        let mut old = parse_module(before.iter().map(|f| (f.path.as_str(), f.bytes.as_slice()))).unwrap();
        let mut new = parse_module(after.iter().map(|f| (f.path.as_str(), f.bytes.as_slice()))).unwrap();
        old.executable = before.iter().map(|f| (f.path.clone(), f.executable)).collect();
        new.executable = after.iter().map(|f| (f.path.clone(), f.executable)).collect();
        let got = suggest(&old, &new, &changed);
        let reasons: Vec<String> = got.reasons.iter().map(|r| r.text.clone()).collect();
        if got.bump.as_str() != expected.bump || reasons != expected.reasons {
            failures.push(format!(
                "{name}: expected {} {:?}, got {} {:?}",
                expected.bump, expected.reasons, got.bump, reasons
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
