//! `agb factory compare`: what differs between a local module directory and a published version,
//! and which semver bump publishing it calls for (SPEC §2.4).
//!
//! Files are compared through git blob ids: every local file is hashed as a git blob and matched
//! against the tree entry's id, so unchanged files are never read from the cache. Only files whose
//! id differs are read, to count lines (crate `similar`) and to tell a line-ending-only difference
//! (CRLF vs LF, which is not a change) from a real one. The bump comes from [`crate::factory::bump`];
//! the `.tf` text of unchanged files is taken from the local copy, which is byte-identical.
//!
//! Not here: reaching the factory (the caller passes the version's file list and a blob reader),
//! printing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gix::ObjectId;
use semver::Version;

use crate::factory::bump::{self, Bump, BumpError, Suggestion};
use crate::factory::local_module::{self, FileContent, LocalModuleError, ModuleMetadata, METADATA_FILE};

/// Errors of compare.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum CompareError {
    #[error("{path}: not a directory")]
    #[diagnostic(
        code(agb::factory::compare::not_a_directory),
        help("pass the directory of the local module (the one holding its .tf files)")
    )]
    NotADirectory { path: PathBuf },
    #[error("{path}: cannot read the module's name and version: {detail}")]
    #[diagnostic(
        code(agb::factory::compare::metadata),
        help("MODULE_METADATA.yaml needs `module: {{provider, category, name, version}}`; or name the module on the command line: `agb factory compare DIR provider/category/name`")
    )]
    Metadata { path: PathBuf, detail: String },
    #[error("cannot hash {path} as a git blob: {detail}")]
    #[diagnostic(code(agb::factory::compare::hash), help("this is a bug in agb or gix; please report it"))]
    Hash { path: String, detail: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Bump(#[from] BumpError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Blob(Box<dyn miette::Diagnostic + Send + Sync>),
    /// Choosing and reading the local files (publish's selection: `.gitignore` parsing and walking).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Local(#[from] LocalModuleError),
    #[error("{module}@{wanted} is not in the factory")]
    #[diagnostic(
        code(agb::factory::compare::not_found),
        help("compare with an existing version: {closest}")
    )]
    NoSuchVersion { module: String, wanted: String, closest: String },
    #[error("{module}@{wanted} is not in the factory: there is no module {module}")]
    #[diagnostic(code(agb::factory::compare::not_found))]
    NoSuchModule {
        module: String,
        wanted: String,
        #[help]
        advice: String,
    },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Module(#[from] crate::factory::module::ModuleError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Cache(#[from] crate::factory::CacheError),
}

/// A file of the published version: its path relative to the version dir and blob id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedFile {
    pub path: String,
    pub oid: ObjectId,
    /// A symlink in the tree (its blob is the target path, not Terraform).
    pub symlink: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Every file is the same (line endings aside).
    Same,
    Different,
    /// The module is not in the factory yet.
    New,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Same => "same",
            Status::Different => "different",
            Status::New => "new",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Modified,
    Deleted,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Modified => "modified",
            ChangeKind::Deleted => "deleted",
        }
    }
}

/// One file that differs. Additions/deletions are lines (0 for binary files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDifference {
    pub file: String,
    pub kind: ChangeKind,
    pub additions: usize,
    pub deletions: usize,
    pub binary: bool,
    /// The unified diff (factory → local), when asked for.
    pub diff: Option<String>,
}

/// The whole answer of `compare`.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub status: Status,
    pub differences: Vec<FileDifference>,
    pub suggestion: Suggestion,
}

/// Read the local module: exactly the files `agb publish` would publish (see
/// [`local_module::select`]), sorted by path, so "same" means "publishing this would change
/// nothing".
pub fn read_local_dir(dir: &Path) -> Result<Vec<FileContent>, CompareError> {
    if !dir.is_dir() {
        return Err(CompareError::NotADirectory { path: dir.to_path_buf() });
    }
    Ok(local_module::read(dir)?)
}

/// The module path and version a local MODULE_METADATA.yaml declares:
/// (`provider/category/name`, version text).
pub fn local_metadata(
    files: &[FileContent],
    dir: &Path,
) -> Result<Option<(String, Option<String>)>, CompareError> {
    let Some(meta) = files.iter().find(|f| f.path == METADATA_FILE) else { return Ok(None) };
    let err = |detail: String| CompareError::Metadata { path: dir.join(METADATA_FILE), detail };
    let meta = ModuleMetadata::parse(&meta.bytes).map_err(|e| err(e.to_string()))?;
    let module =
        meta.module_path().ok_or_else(|| err("`module:` lacks provider, category or name".to_string()))?;
    Ok(Some((module, meta.version)))
}

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
/// is called only for files whose blob id differs, and for deleted `.tf` files.
pub fn compare<E>(
    local: &[FileContent],
    published: Option<&[PublishedFile]>,
    hash_kind: gix::hash::Kind,
    mut read_blob: impl FnMut(ObjectId) -> Result<Vec<u8>, E>,
    want_diff: bool,
) -> Result<Comparison, CompareError>
where
    E: miette::Diagnostic + Send + Sync + 'static,
{
    let mut blob = |oid| read_blob(oid).map_err(|e| CompareError::Blob(Box::new(e)));
    let Some(published) = published else {
        let differences = local
            .iter()
            .map(|f| {
                let (text, binary) = as_text(&f.bytes);
                let additions = if binary { 0 } else { text.lines().count() };
                let diff = (want_diff && !binary).then(|| unified("", &text, &f.path));
                FileDifference {
                    file: f.path.clone(),
                    kind: ChangeKind::Added,
                    additions,
                    deletions: 0,
                    binary,
                    diff,
                }
            })
            .collect();
        let suggestion = Suggestion {
            bump: Bump::Major,
            reasons: vec![bump::Reason {
                bump: Bump::Major,
                text: "new module: not in the factory yet".to_string(),
            }],
        };
        return Ok(Comparison { status: Status::New, differences, suggestion });
    };

    let published_by_path: BTreeMap<&str, &PublishedFile> =
        published.iter().map(|p| (p.path.as_str(), p)).collect();
    let local_by_path: BTreeMap<&str, &FileContent> = local.iter().map(|f| (f.path.as_str(), f)).collect();
    let mut differences = Vec::new();
    // The published side's .tf text, for the bump: unchanged files are the local bytes.
    let mut old_tf: BTreeMap<String, Vec<u8>> = BTreeMap::new();

    for file in local {
        let Some(&published_file) = published_by_path.get(file.path.as_str()) else {
            let (text, binary) = as_text(&file.bytes);
            differences.push(FileDifference {
                file: file.path.clone(),
                kind: ChangeKind::Added,
                additions: if binary { 0 } else { text.lines().count() },
                deletions: 0,
                binary,
                diff: (want_diff && !binary).then(|| unified("", &text, &file.path)),
            });
            continue;
        };
        let oid = published_file.oid;
        // Terraform text of the published side, for the bump (never a symlink's target path).
        let is_tf = |symlink: bool| file.path.ends_with(".tf") && !symlink;
        if blob_id(hash_kind, &file.path, &file.bytes)? == oid
            || (file.bytes.contains(&b'\r') && blob_id(hash_kind, &file.path, &lf(&file.bytes))? == oid)
        {
            if is_tf(published_file.symlink) {
                old_tf.insert(file.path.clone(), file.bytes.clone());
            }
            continue;
        }
        let old = blob(oid)?;
        if is_tf(published_file.symlink) {
            old_tf.insert(file.path.clone(), old.clone());
        }
        let (old_lf, new_lf) = (lf(&old), lf(&file.bytes));
        if old_lf == new_lf {
            continue; // the published blob has CRLF and the local file LF: not a change
        }
        let (old_text, old_bin) = as_text(&old_lf);
        let (new_text, new_bin) = as_text(&new_lf);
        let binary = old_bin || new_bin;
        let (additions, deletions) = if binary { (0, 0) } else { line_counts(&old_text, &new_text) };
        differences.push(FileDifference {
            file: file.path.clone(),
            kind: ChangeKind::Modified,
            additions,
            deletions,
            binary,
            diff: (want_diff && !binary).then(|| unified(&old_text, &new_text, &file.path)),
        });
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
        });
    }
    differences.sort_by(|a, b| a.file.cmp(&b.file));

    // A symlinked .tf is not Terraform text here (its blob is a path); leave it to the diff.
    let new_model = bump::parse_module(
        local.iter().filter(|f| !f.symlink).map(|f| (f.path.as_str(), f.bytes.as_slice())),
    )?;
    let old_model = bump::parse_module(old_tf.iter().map(|(p, b)| (p.as_str(), b.as_slice())))?;
    let changed: Vec<String> = differences.iter().map(|d| d.file.clone()).collect();
    let suggestion = bump::suggest(&old_model, &new_model, &changed);
    let status = if differences.is_empty() { Status::Same } else { Status::Different };
    Ok(Comparison { status, differences, suggestion })
}

/// Everything `agb factory compare` reports about a local module directory.
#[derive(Debug, Clone)]
pub struct Report {
    /// `provider/category/name` compared with.
    pub module: String,
    /// `module.version` of the local MODULE_METADATA.yaml, as written.
    pub local_version: Option<String>,
    /// The published version compared with (None: the module is new).
    pub factory_version: Option<Version>,
    pub latest: Option<Version>,
    pub comparison: Comparison,
    /// What to publish next (None when nothing changed). For a new module: the local version, or
    /// 1.0.0.
    pub suggested_version: Option<Version>,
    /// For a new module: the closest existing module paths (a typo looks like a new module).
    pub closest_modules: Vec<String>,
}

/// Compare `dir` with a version in the factory: `spec` names it, else the local
/// MODULE_METADATA.yaml's module at the latest version. Also what `publish` can use to check a
/// chosen version against the suggested bump.
/// `local_label` is how the user named the directory (used to name a local `.tf` file in an error).
pub fn compare_with_factory(
    factory: &crate::factory::Factory,
    dir: &Path,
    local_label: &str,
    spec: Option<&crate::factory::ModuleSpec>,
    want_diff: bool,
) -> Result<Report, CompareError> {
    use crate::factory::{ModuleSpec, Resolution};

    let local = read_local_dir(dir)?;
    let metadata = local_metadata(&local, dir)?;
    let local_version = metadata.as_ref().and_then(|(_, v)| v.clone());
    let spec = match (spec, &metadata) {
        (Some(s), _) => s.clone(),
        // Not `ModuleSpec::parse`: the path comes from a file, so an `@` in it is no version, and
        // a bad path is the file's fault (exit 1, naming it), not a usage error.
        (None, Some((module, _))) => ModuleSpec {
            module: crate::factory::ModulePath::new(module).map_err(|e| CompareError::Metadata {
                path: dir.join(METADATA_FILE),
                detail: format!("`module:` gives {module:?}: {e}"),
            })?,
            version: None,
        },
        (None, None) => {
            return Err(CompareError::Metadata {
                path: dir.join(METADATA_FILE),
                detail: "the file does not exist".to_string(),
            })
        }
    };
    let mut closest_modules = Vec::new();
    let (module, factory_version, latest, published) = match factory.resolve(&spec)? {
        Resolution::Found { module, version, latest, .. } => {
            let files = factory.version_files(&module, &version)?.unwrap_or_default();
            let published: Vec<PublishedFile> = files
                .into_iter()
                .map(|e| PublishedFile { path: e.path, oid: e.oid, symlink: e.symlink })
                .collect();
            (module.as_str().to_string(), Some(version), Some(latest), Some(published))
        }
        Resolution::NoSuchVersion { module, wanted, closest, .. } => {
            let closest: Vec<String> = closest.iter().map(|v| format!("{module}@{v}")).collect();
            return Err(CompareError::NoSuchVersion {
                module: module.as_str().to_string(),
                wanted: wanted.to_string(),
                closest: closest.join(", "),
            });
        }
        // A version asked of a module that does not exist is a miss, not a new module.
        Resolution::NoSuchModule { module, closest } if spec.version.is_some() => {
            let advice = match closest.first() {
                Some(best) => format!("did you mean `{best}`? (`agb factory catalog` lists the modules)"),
                None => {
                    "`agb factory catalog` lists the modules; drop the @VERSION to compare as a new module"
                        .to_string()
                }
            };
            return Err(CompareError::NoSuchModule {
                module: module.as_str().to_string(),
                wanted: spec.version.as_ref().map(ToString::to_string).unwrap_or_default(),
                advice,
            });
        }
        Resolution::NoSuchModule { module, closest } => {
            closest_modules = closest;
            (module.as_str().to_string(), None, None, None)
        }
    };
    let hash_kind = factory.repo().object_hash();
    let published_label = match &factory_version {
        Some(v) => format!("{module}@{v}"),
        None => module.clone(),
    };
    let comparison =
        compare(&local, published.as_deref(), hash_kind, |oid| factory.read_blob(oid), want_diff)
            .map_err(|e| name_hcl_error(e, &local, local_label, &published_label))?;
    let suggested_version = match comparison.status {
        Status::New => Some(
            local_version
                .as_deref()
                .and_then(|v| Version::parse(v).ok())
                .unwrap_or_else(|| Version::new(1, 0, 0)),
        ),
        _ => suggested_version(comparison.suggestion.bump, factory_version.as_ref(), latest.as_ref()),
    };
    Ok(Report {
        module,
        local_version,
        factory_version,
        latest,
        comparison,
        suggested_version,
        closest_modules,
    })
}

/// Name the file of an HCL error the way the user finds it: `<local dir>/main.tf` for a local
/// file, `<module>@<version>:main.tf` for a published one.
fn name_hcl_error(
    e: CompareError,
    local: &[FileContent],
    local_label: &str,
    published_label: &str,
) -> CompareError {
    let CompareError::Bump(BumpError::InvalidHcl(mut err)) = e else { return e };
    let text = err.src.inner().clone();
    let is_local = local.iter().any(|f| f.path == err.file && f.bytes == text.as_bytes());
    let name = if is_local {
        format!("{}/{}", local_label.trim_end_matches('/'), err.file)
    } else {
        format!("{published_label}:{}", err.file)
    };
    err.src = miette::NamedSource::new(&name, text);
    err.file = name;
    CompareError::Bump(BumpError::InvalidHcl(err))
}

/// The version to publish: the bump applied to the compared version, or to the latest when that
/// would not be above it (publish requires a version greater than the latest). None for no bump.
pub fn suggested_version(
    bump: Bump,
    compared: Option<&Version>,
    latest: Option<&Version>,
) -> Option<Version> {
    if bump == Bump::None {
        return None;
    }
    let base = compared.or(latest)?;
    let candidate = bump.apply(base);
    match latest {
        Some(l) if candidate <= *l => Some(bump.apply(l)),
        _ => Some(candidate),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
                published.push(PublishedFile { path: (*p).to_string(), oid, symlink: false });
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
    fn new_module_lists_every_file_as_added() {
        let c = compare(
            &local(&[("main.tf", "a = 1\n")]),
            None,
            SHA1,
            |_| Err(Missing(ObjectId::null(SHA1))),
            false,
        )
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
}
