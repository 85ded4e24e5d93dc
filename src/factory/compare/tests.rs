use std::collections::BTreeMap;
use std::path::Path;

use semver::Version;

use super::*;
use crate::factory::bump::Bump;
use crate::factory::local_module::FileContent;

const SHA1: gix::hash::Kind = gix::hash::Kind::Sha1;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("blob {0} missing")]
struct Missing(ObjectId);

struct Store {
    blobs: BTreeMap<ObjectId, Vec<u8>>,
    reads: std::cell::RefCell<Vec<ObjectId>>,
}

impl Store {
    fn new(files: &[(&str, &str)]) -> (Self, Vec<PublishedFile>) {
        let mut blobs = BTreeMap::new();
        let mut published = Vec::new();
        for (p, t) in files {
            let oid = blob_id(SHA1, p, t.as_bytes()).unwrap();
            blobs.insert(oid, t.as_bytes().to_vec());
            published.push(PublishedFile { path: (*p).to_string(), oid, symlink: false, executable: false });
        }
        (Store { blobs, reads: Default::default() }, published)
    }
    fn read(&self, oid: ObjectId) -> Result<Vec<u8>, Missing> {
        self.reads.borrow_mut().push(oid);
        self.blobs.get(&oid).cloned().ok_or(Missing(oid))
    }
}

fn local(files: &[(&str, &str)]) -> Vec<FileContent> {
    files
        .iter()
        .map(|(p, t)| FileContent {
            path: (*p).to_string(),
            bytes: t.as_bytes().to_vec(),
            symlink: false,
            executable: false,
        })
        .collect()
}

#[test]
fn blob_id_matches_git() {
    // `printf 'hello\n' | git hash-object --stdin`
    assert_eq!(
        blob_id(SHA1, "x", b"hello\n").unwrap().to_string(),
        "ce013625030ba8dba906f756967f9e9ca394464a"
    );
}

#[test]
fn identical_files_are_same_and_never_read() {
    let files = [("main.tf", "resource \"a\" \"b\" {}\n"), ("README.md", "# x\n")];
    let (store, published) = Store::new(&files);
    let c = compare(&local(&files), Some(&published), SHA1, |o| store.read(o), false).unwrap();
    assert_eq!(c.status, Status::Same);
    assert_eq!(c.suggestion.bump, Bump::None);
    assert!(store.reads.borrow().is_empty(), "unchanged blobs must not be read");
}

#[test]
fn crlf_local_copy_of_lf_blob_is_unchanged_and_the_reverse_too() {
    let (store, published) = Store::new(&[("main.tf", "variable \"a\" {}\n")]);
    let c = compare(
        &local(&[("main.tf", "variable \"a\" {}\r\n")]),
        Some(&published),
        SHA1,
        |o| store.read(o),
        false,
    )
    .unwrap();
    assert_eq!(c.status, Status::Same);
    let (store, published) = Store::new(&[("main.tf", "variable \"a\" {}\r\n")]);
    let c = compare(
        &local(&[("main.tf", "variable \"a\" {}\n")]),
        Some(&published),
        SHA1,
        |o| store.read(o),
        false,
    )
    .unwrap();
    assert_eq!(c.status, Status::Same);
}

#[test]
fn added_modified_deleted_with_line_counts_and_bump() {
    let (store, published) = Store::new(&[
        ("main.tf", "resource \"a\" \"b\" {}\n"),
        ("outputs.tf", "output \"o\" {\n  value = 1\n}\n"),
        ("README.md", "one\ntwo\n"),
    ]);
    let mine = local(&[
        ("main.tf", "resource \"a\" \"b\" {}\n"),
        ("README.md", "one\nTWO\nthree\n"),
        ("variables.tf", "variable \"v\" {\n  default = 1\n}\n"),
    ]);
    let c = compare(&mine, Some(&published), SHA1, |o| store.read(o), true).unwrap();
    assert_eq!(c.status, Status::Different);
    let got: Vec<(&str, ChangeKind, usize, usize)> =
        c.differences.iter().map(|d| (d.file.as_str(), d.kind, d.additions, d.deletions)).collect();
    assert_eq!(
        got,
        [
            ("README.md", ChangeKind::Modified, 2, 1),
            ("outputs.tf", ChangeKind::Deleted, 0, 3),
            ("variables.tf", ChangeKind::Added, 3, 0),
        ]
    );
    assert_eq!(c.suggestion.bump, Bump::Major);
    let reasons: Vec<&str> = c.suggestion.reasons.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(reasons, ["output `o` removed", "variable `v` added (optional)"]);
    let diff = c.differences[0].diff.as_deref().unwrap();
    assert!(diff.contains("--- a/README.md") && diff.contains("-two") && diff.contains("+TWO"), "{diff}");
    assert_eq!(store.reads.borrow().len(), 2, "only the modified and the deleted blob are read");
}

#[test]
fn an_executable_bit_changed_is_a_difference_and_a_patch_with_the_file_named() {
    let files = [("main.tf", "variable \"a\" {}\n"), ("run.sh", "#!/bin/sh\n"), ("go.sh", "#!/bin/sh\n")];
    let (store, mut published) = Store::new(&files);
    published[2].executable = true; // go.sh was executable, run.sh was not
    let mut mine = local(&files);
    mine[1].executable = true;
    let c = compare(&mine, Some(&published), SHA1, |o| store.read(o), false).unwrap();
    assert_eq!(c.status, Status::Different, "publishing would change the modes");
    let got: Vec<(&str, Option<bool>, usize)> =
        c.differences.iter().map(|d| (d.file.as_str(), d.exec_changed, d.additions)).collect();
    assert_eq!(got, [("go.sh", Some(false), 0), ("run.sh", Some(true), 0)]);
    assert_eq!(c.suggestion.bump, Bump::Patch);
    let modes: Vec<(&str, &str)> = c
        .suggestion
        .reasons
        .iter()
        .filter(|r| r.rule == "file_mode_changed")
        .map(|r| (r.rule, r.text.as_str()))
        .collect();
    assert_eq!(
        modes,
        [
            ("file_mode_changed", "file `go.sh` no longer executable (mode 100755 → 100644)"),
            ("file_mode_changed", "file `run.sh` made executable (mode 100644 → 100755)"),
        ]
    );
    assert!(store.reads.borrow().is_empty(), "a mode change needs no blob read");
    // A policy can make it count for more (a script callers run).
    let policy = crate::factory::bump::Policy::parse("file_mode_changed: minor\n", "p.yaml").unwrap();
    let c = compare_with_policy(&mine, Some(&published), SHA1, |o| store.read(o), false, &policy).unwrap();
    assert_eq!(c.suggestion.bump, Bump::Minor);
}

#[test]
fn new_module_lists_every_file_as_added() {
    let c =
        compare(&local(&[("main.tf", "a = 1\n")]), None, SHA1, |_| Err(Missing(ObjectId::null(SHA1))), false)
            .unwrap();
    assert_eq!(c.status, Status::New);
    assert_eq!(c.differences[0].kind, ChangeKind::Added);
}

#[test]
fn suggested_version_is_above_latest() {
    let v = |s: &str| Version::parse(s).unwrap();
    assert_eq!(suggested_version(Bump::Minor, Some(&v("1.2.0")), Some(&v("1.2.0"))), Some(v("1.3.0")));
    assert_eq!(suggested_version(Bump::Patch, Some(&v("1.0.0")), Some(&v("1.2.0"))), Some(v("1.2.1")));
    assert_eq!(suggested_version(Bump::Major, Some(&v("1.0.0")), Some(&v("1.2.0"))), Some(v("2.0.0")));
    assert_eq!(suggested_version(Bump::None, Some(&v("1.0.0")), Some(&v("1.2.0"))), None);
}

#[test]
fn metadata_names_the_module() {
    let files = local(&[(
        "MODULE_METADATA.yaml",
        "schema_version: \"2.0\"\nmodule:\n  name: vpc\n  provider: aws\n  category: networking\n  version: 1.2.0\n",
    )]);
    let (m, v) = local_metadata(&files, Path::new(".")).unwrap().unwrap();
    assert_eq!((m.as_str(), v.as_deref()), ("aws/networking/vpc", Some("1.2.0")));
}
