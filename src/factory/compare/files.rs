//! Comparing the local files with a published version's through git blob ids: only files whose
//! id differs are read, to count lines and to tell a line-ending-only difference from a real one;
//! then the bump rules on the `.tf` text of both sides.
//!
//! Not here: reading the local directory or the factory (see `report`).

use std::collections::BTreeMap;

use gix::ObjectId;

use super::{ChangeKind, CompareError, Comparison, FileDifference, PublishedFile, Status};
use crate::factory::bump::{self, Bump, Policy, Suggestion};
use crate::factory::local_module::FileContent;

/// Hash bytes as a git blob.
pub fn blob_id(kind: gix::hash::Kind, path: &str, bytes: &[u8]) -> Result<ObjectId, CompareError> {
    gix::objs::compute_hash(kind, gix::object::Kind::Blob, bytes)
        .map_err(|e| CompareError::Hash { path: path.to_string(), detail: e.to_string() })
}

/// `\r\n` → `\n`; borrowed when there is nothing to change.
fn lf(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if !bytes.windows(2).any(|w| w == b"\r\n") {
        return std::borrow::Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    std::borrow::Cow::Owned(out)
}

/// Compare the local files with a published version (`None`: the module is new). `read_blob`
/// is called only for files whose blob id differs, and for deleted `.tf` files. The bump
/// follows the default policy; see [`compare_with_policy`].
pub fn compare<E>(
    local: &[FileContent],
    published: Option<&[PublishedFile]>,
    hash_kind: gix::hash::Kind,
    read_blob: impl FnMut(ObjectId) -> Result<Vec<u8>, E>,
    want_diff: bool,
) -> Result<Comparison, CompareError>
where
    E: miette::Diagnostic + Send + Sync + 'static,
{
    compare_with_policy(local, published, hash_kind, read_blob, want_diff, &Policy::default())
}

/// [`compare`], with the bump levels of `policy` (the factory's `.agb/bump-policy.yaml`).
pub fn compare_with_policy<E>(
    local: &[FileContent],
    published: Option<&[PublishedFile]>,
    hash_kind: gix::hash::Kind,
    mut read_blob: impl FnMut(ObjectId) -> Result<Vec<u8>, E>,
    want_diff: bool,
    policy: &Policy,
) -> Result<Comparison, CompareError>
where
    E: miette::Diagnostic + Send + Sync + 'static,
{
    let mut blob = |oid| read_blob(oid).map_err(|e| CompareError::Blob(Box::new(e)));
    let Some(published) = published else { return Ok(new_module(local, want_diff)) };

    let published_by_path: BTreeMap<&str, &PublishedFile> =
        published.iter().map(|p| (p.path.as_str(), p)).collect();
    let local_by_path: BTreeMap<&str, &FileContent> = local.iter().map(|f| (f.path.as_str(), f)).collect();
    let mut differences = Vec::new();
    // The published side's .tf text, for the bump: unchanged files are the local bytes.
    let mut old_tf: BTreeMap<String, Vec<u8>> = BTreeMap::new();

    for file in local {
        let Some(&published_file) = published_by_path.get(file.path.as_str()) else {
            differences.push(added(file, want_diff));
            continue;
        };
        let modified = modified(file, published_file, hash_kind, &mut blob, &mut old_tf, want_diff)?;
        differences.extend(modified);
    }
    for p in published.iter().filter(|p| !local_by_path.contains_key(p.path.as_str())) {
        // Deleted: count its lines, and keep .tf text for the bump.
        let old = blob(p.oid)?;
        let (text, binary) = as_text(&lf(&old));
        if p.path.ends_with(".tf") && !p.symlink {
            old_tf.insert(p.path.clone(), old.clone());
        }
        differences.push(FileDifference {
            file: p.path.clone(),
            kind: ChangeKind::Deleted,
            additions: 0,
            deletions: if binary { 0 } else { text.lines().count() },
            binary,
            diff: (want_diff && !binary).then(|| unified(&text, "", &p.path)),
            exec_changed: None,
        });
    }
    differences.sort_by(|a, b| a.file.cmp(&b.file));

    // A symlinked .tf is not Terraform text here (its blob is a path); leave it to the diff.
    let mut new_model = bump::parse_module(
        local.iter().filter(|f| !f.symlink).map(|f| (f.path.as_str(), f.bytes.as_slice())),
    )?;
    let mut old_model = bump::parse_module(old_tf.iter().map(|(p, b)| (p.as_str(), b.as_slice())))?;
    new_model.executable = local.iter().map(|f| (f.path.clone(), f.executable)).collect();
    old_model.executable = published.iter().map(|p| (p.path.clone(), p.executable)).collect();
    let changed: Vec<String> = differences.iter().map(|d| d.file.clone()).collect();
    let suggestion = bump::suggest_with(&old_model, &new_model, &changed, policy);
    let status = if differences.is_empty() { Status::Same } else { Status::Different };
    Ok(Comparison { status, differences, suggestion })
}

/// A module not in the factory yet: every file is added, and that is a major change.
fn new_module(local: &[FileContent], want_diff: bool) -> Comparison {
    let differences = local.iter().map(|f| added(f, want_diff)).collect();
    let suggestion = Suggestion {
        bump: Bump::Major,
        reasons: vec![bump::Reason::new(
            Bump::Major,
            "new_module",
            "new module: not in the factory yet".to_string(),
        )],
        decided_by: None,
        sources: Vec::new(),
    };
    Comparison { status: Status::New, differences, suggestion }
}

fn added(file: &FileContent, want_diff: bool) -> FileDifference {
    let (text, binary) = as_text(&file.bytes);
    FileDifference {
        file: file.path.clone(),
        kind: ChangeKind::Added,
        additions: if binary { 0 } else { text.lines().count() },
        deletions: 0,
        binary,
        diff: (want_diff && !binary).then(|| unified("", &text, &file.path)),
        exec_changed: None,
    }
}

/// A file on both sides: None when it is the same (line endings aside). Records the published
/// `.tf` text in `old_tf` either way.
fn modified(
    file: &FileContent,
    published_file: &PublishedFile,
    hash_kind: gix::hash::Kind,
    blob: &mut dyn FnMut(ObjectId) -> Result<Vec<u8>, CompareError>,
    old_tf: &mut BTreeMap<String, Vec<u8>>,
    want_diff: bool,
) -> Result<Option<FileDifference>, CompareError> {
    let oid = published_file.oid;
    // Terraform text of the published side, for the bump (never a symlink's target path).
    let is_tf = file.path.ends_with(".tf") && !published_file.symlink;
    // Publishing would change the mode even when the content is the same: a difference.
    let exec_changed = (file.executable != published_file.executable).then_some(file.executable);
    let mode_only = || FileDifference {
        file: file.path.clone(),
        kind: ChangeKind::Modified,
        additions: 0,
        deletions: 0,
        binary: false,
        diff: None,
        exec_changed,
    };
    if blob_id(hash_kind, &file.path, &file.bytes)? == oid
        || (file.bytes.contains(&b'\r') && blob_id(hash_kind, &file.path, &lf(&file.bytes))? == oid)
    {
        if is_tf {
            old_tf.insert(file.path.clone(), file.bytes.clone());
        }
        return Ok(exec_changed.map(|_| mode_only()));
    }
    let old = blob(oid)?;
    if is_tf {
        old_tf.insert(file.path.clone(), old.clone());
    }
    let (old_lf, new_lf) = (lf(&old), lf(&file.bytes));
    if old_lf == new_lf {
        // the published blob has CRLF and the local file LF: not a change
        return Ok(exec_changed.map(|_| mode_only()));
    }
    let (old_text, old_bin) = as_text(&old_lf);
    let (new_text, new_bin) = as_text(&new_lf);
    let binary = old_bin || new_bin;
    let (additions, deletions) = if binary { (0, 0) } else { line_counts(&old_text, &new_text) };
    Ok(Some(FileDifference {
        file: file.path.clone(),
        kind: ChangeKind::Modified,
        additions,
        deletions,
        binary,
        diff: (want_diff && !binary).then(|| unified(&old_text, &new_text, &file.path)),
        exec_changed,
    }))
}

fn as_text(bytes: &[u8]) -> (String, bool) {
    match std::str::from_utf8(bytes) {
        Ok(s) if !s.contains('\0') => (s.to_string(), false),
        _ => (String::new(), true),
    }
}

fn line_counts(old: &str, new: &str) -> (usize, usize) {
    let diff = similar::TextDiff::from_lines(old, new);
    let (mut add, mut del) = (0, 0);
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Insert => add += 1,
            similar::ChangeTag::Delete => del += 1,
            similar::ChangeTag::Equal => {}
        }
    }
    (add, del)
}

fn unified(old: &str, new: &str, path: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}
