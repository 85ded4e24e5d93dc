//! The build manifest `.agb/manifest.json` (SPEC §1.6 step 4): what the last `agb build` wrote
//! into an output root, so that the next build rewrites only what changed, removes the outputs of
//! deselected resources, protects hand edits, and so that `agb sync` has a three-way base.
//!
//! For every output file it records the path relative to the output root (codex skills start with
//! `../.agents/skills/`), its SHA-256, size and mtime (nanoseconds) as written, the resource it came
//! from ([`crate::names::ResourceId::key`], or [`GLOBAL_RESOURCE`] for the global instructions) and
//! the source files it was rendered from, each with its SHA-256, size and mtime. Size + mtime let a
//! no-change build (and sync) decide "unchanged" with one `stat`, without reading anything.
//!
//! Not here: deciding what to write (`build`), or what changed in the project (`sync`).
//!
//! The API for other commands is small: [`Manifest::load`], [`Manifest::save`],
//! [`Manifest::file`], [`Manifest::files_of`], [`FileStat::of`], [`FileStat::of_source`] and [`FileStat::matches`].

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::fsutil;
use crate::names::{ResourceId, Target};

/// Where the manifest lives, relative to the output root.
pub const MANIFEST_REL: &str = ".agb/manifest.json";

/// The `resource` of the global instructions file (`GEMINI.md`, `CLAUDE.md`, `AGENTS.md`).
pub const GLOBAL_RESOURCE: &str = "global";

/// The manifest format version; bumped when a field changes meaning.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ManifestError {
    #[error("the build manifest {path} is not valid: {message}")]
    #[diagnostic(
        code(agb::manifest::invalid),
        help("it is written by `agb build`; if it was edited or damaged, delete it and run `agb build --force` (outputs edited since the last build are then overwritten)")
    )]
    Invalid { path: PathBuf, message: String },
    #[error(
        "the build manifest {path} has format version {found}; this agb understands version {FORMAT_VERSION}"
    )]
    #[diagnostic(code(agb::manifest::version), help("use the agb version that wrote it, or a newer one"))]
    Version { path: PathBuf, found: u32 },
    #[error("the build manifest {path} is damaged: it lists {entry:?}, a path outside the output root")]
    #[diagnostic(
        code(agb::manifest::damaged),
        help("agb never writes there, so the manifest was edited or corrupted; nothing was written. Delete it and run `agb build` (add `--force` to overwrite outputs that differ from the source)")
    )]
    Damaged { path: PathBuf, entry: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Fs(#[from] fsutil::FsError),
}

/// The whole manifest of one output root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT_VERSION`].
    pub format: u32,
    /// The agb version that wrote it.
    pub agb_version: String,
    pub target: Target,
    /// The source repository's root, absolute.
    pub source_root: PathBuf,
    /// Every output file, by path relative to the output root (`/`-separated).
    pub files: BTreeMap<String, OutputEntry>,
    /// Codex only: the `[agents.<name>]` tables of `config.toml` that agb wrote (so it removes
    /// exactly those when their agents are deselected, and never touches the user's own).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codex_agents: Vec<String>,
    /// Codex only: for each of [`Manifest::codex_agents`], [`codex_description_hash`] of the
    /// description agb last wrote into its table, so that a description edited in `config.toml`
    /// is protected like an edited file. A manifest without it (older agb) protects nothing.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub codex_descriptions: BTreeMap<String, String>,
    /// What the build read besides the output sources, so that a re-build can tell "nothing
    /// changed" from stats alone, without loading the source. Optional: a manifest without it
    /// (or with a stale one) only means the next build takes the full path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inputs: Option<Inputs>,
}

/// The build's inputs other than the per-output source files (SPEC §1.6's "only stat" rebuild):
/// agb.yaml's hash, the mtime of every source directory whose listing matters (a file added,
/// removed or renamed there changes it), and the stat of files read but not rendered
/// (`requirements.yaml`) or owned partly by the user (codex `config.toml`, relative to the
/// output root).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inputs {
    pub config_sha256: String,
    /// Directory (relative to the source root, `""` for the root itself) → mtime in nanoseconds.
    pub dirs: BTreeMap<String, i64>,
    /// Other files read by the build, relative to the source root.
    pub files: BTreeMap<String, FileStat>,
    /// [`Manifest::files_digest`] as the build wrote it: another writer of the manifest (sync
    /// refreshing entries) invalidates the inputs without having to know about them.
    pub files_digest: String,
    /// Codex `config.toml` as this build left it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codex_config: Option<FileStat>,
    /// Project skill directories that held nothing but the outputs listed here when the build
    /// ended: skill ([`ResourceId::key`]) → each directory of its tree (relative to the skill
    /// directory, `""` for itself) with its mtime. While those mtimes hold, no file was added
    /// there, so `agb sync` need not read the directory to look for one.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub skill_dirs: BTreeMap<String, Vec<(String, i64)>>,
}

/// What an output file was rendered from: one resource, or the source's global instructions.
/// In the manifest it is one string, [`ResourceId::key`] or [`GLOBAL_RESOURCE`], as before the
/// type existed, so manifests read and write the same.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OutputOrigin {
    Resource(ResourceId),
    Global,
}

impl OutputOrigin {
    /// The manifest's string for it.
    pub fn key(&self) -> String {
        match self {
            OutputOrigin::Resource(id) => id.key(),
            OutputOrigin::Global => GLOBAL_RESOURCE.to_string(),
        }
    }

    /// The resource, unless this is the global instructions file.
    pub fn resource(&self) -> Option<&ResourceId> {
        match self {
            OutputOrigin::Resource(id) => Some(id),
            OutputOrigin::Global => None,
        }
    }
}

impl std::fmt::Display for OutputOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.key())
    }
}

impl Serialize for OutputOrigin {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.key())
    }
}

impl<'de> Deserialize<'de> for OutputOrigin {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let key = String::deserialize(deserializer)?;
        if key == GLOBAL_RESOURCE {
            return Ok(OutputOrigin::Global);
        }
        ResourceId::from_key(&key).map(OutputOrigin::Resource).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown resource {key:?} (expected `<kind> <plugin>:<name>` or `{GLOBAL_RESOURCE}`)"
            ))
        })
    }
}

/// One output file as the build left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "OutputEntryJson")]
pub struct OutputEntry {
    pub sha256: String,
    #[serde(flatten)]
    pub stat: FileStat,
    /// What it was rendered from (written as [`ResourceId::key`], or [`GLOBAL_RESOURCE`]).
    pub resource: OutputOrigin,
    /// The source files it was rendered from: main file, sidecar, `overrides.yaml` (for rendered
    /// text), or the extra it is a copy of.
    pub sources: Vec<SourceEntry>,
}

/// One source file an output was rendered from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "SourceEntryJson")]
pub struct SourceEntry {
    /// Path relative to the source root, `/`-separated (e.g. `plugins/p/commands/c.md`).
    pub path: String,
    pub sha256: String,
    #[serde(flatten)]
    pub stat: FileStat,
}

/// [`OutputEntry`] as the manifest's JSON spells it, read without `#[serde(flatten)]`: serde
/// reads a flattened struct by buffering every field of the entry into an intermediate map first,
/// which made reading a 20,000-output manifest most of a no-change build's time. The JSON is
/// the same; only how it is read differs.
#[derive(Deserialize)]
struct OutputEntryJson {
    sha256: String,
    size: u64,
    mtime_ns: i64,
    resource: OutputOrigin,
    sources: Vec<SourceEntry>,
}

impl From<OutputEntryJson> for OutputEntry {
    fn from(j: OutputEntryJson) -> OutputEntry {
        let stat = FileStat { size: j.size, mtime_ns: j.mtime_ns };
        OutputEntry { sha256: j.sha256, stat, resource: j.resource, sources: j.sources }
    }
}

/// [`SourceEntry`] as the JSON spells it (see [`OutputEntryJson`]).
#[derive(Deserialize)]
struct SourceEntryJson {
    path: String,
    sha256: String,
    size: u64,
    mtime_ns: i64,
}

impl From<SourceEntryJson> for SourceEntry {
    fn from(j: SourceEntryJson) -> SourceEntry {
        SourceEntry { path: j.path, sha256: j.sha256, stat: FileStat { size: j.size, mtime_ns: j.mtime_ns } }
    }
}

/// Size and modification time: equal to the recorded ones means "not modified since" without
/// reading the file (the same rule git's index uses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStat {
    pub size: u64,
    /// Nanoseconds since the Unix epoch (negative before 1970).
    pub mtime_ns: i64,
}

impl FileStat {
    /// The stat of `path` without following a final symlink; `None` when it does not exist or is
    /// not a regular file.
    pub fn of(path: &Path) -> io::Result<Option<FileStat>> {
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.is_file() => Ok(Some(FileStat::from_metadata(&meta))),
            Ok(_) => Ok(None),
            Err(e) if e.kind() == io::ErrorKind::NotFound || e.kind() == io::ErrorKind::NotADirectory => {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// The stat of a SOURCE file, following symlinks: the source repository is the user's, a
    /// linked file is built from the link's target, and a change of the target must show as a
    /// change. `None` when it does not exist (a dangling link included) or is not a regular file.
    /// Output files use [`FileStat::of`]: agb never follows a link in the output root.
    pub fn of_source(path: &Path) -> io::Result<Option<FileStat>> {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_file() => Ok(Some(FileStat::from_metadata(&meta))),
            Ok(_) => Ok(None),
            Err(e) if e.kind() == io::ErrorKind::NotFound || e.kind() == io::ErrorKind::NotADirectory => {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    pub fn from_metadata(meta: &std::fs::Metadata) -> FileStat {
        FileStat::from_parts(meta.len(), meta.modified().ok())
    }

    /// A stat from a size and a modification time taken elsewhere (the source loader's).
    pub fn from_parts(size: u64, modified: Option<std::time::SystemTime>) -> FileStat {
        let mtime_ns = match modified {
            Some(t) => match t.duration_since(UNIX_EPOCH) {
                Ok(d) => i64::try_from(d.as_nanos()).unwrap_or(i64::MAX),
                Err(e) => -i64::try_from(e.duration().as_nanos()).unwrap_or(i64::MAX),
            },
            None => 0,
        };
        FileStat { size, mtime_ns }
    }

    /// True when `self` (a file's stat now) equals `recorded`.
    pub fn matches(&self, recorded: &FileStat) -> bool {
        self == recorded
    }
}

/// What [`Manifest::codex_descriptions`] records of a Codex agent's description: its SHA-256,
/// or `none` when the table has no description.
pub fn codex_description_hash(description: Option<&str>) -> String {
    description.map_or_else(|| "none".to_string(), |d| fsutil::sha256_hex(d.as_bytes()))
}

impl Manifest {
    /// An empty manifest for a build of `target` from `source_root`.
    pub fn new(target: Target, source_root: PathBuf) -> Manifest {
        Manifest {
            format: FORMAT_VERSION,
            agb_version: env!("CARGO_PKG_VERSION").to_string(),
            target,
            source_root,
            files: BTreeMap::new(),
            codex_agents: Vec::new(),
            codex_descriptions: BTreeMap::new(),
            inputs: None,
        }
    }

    /// A SHA-256 over every output entry (path, hash, stat, sources), for [`Inputs::files_digest`].
    pub fn files_digest(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for (rel, e) in &self.files {
            h.update(rel.as_bytes());
            h.update([0]);
            h.update(e.sha256.as_bytes());
            h.update(e.stat.size.to_le_bytes());
            h.update(e.stat.mtime_ns.to_le_bytes());
            // The bytes of `e.resource.key()`, without building the string per entry.
            match &e.resource {
                OutputOrigin::Resource(id) => {
                    h.update(id.kind.as_str().as_bytes());
                    h.update(b" ");
                    h.update(id.plugin.as_str().as_bytes());
                    h.update(b":");
                    h.update(id.name.as_str().as_bytes());
                }
                OutputOrigin::Global => h.update(GLOBAL_RESOURCE.as_bytes()),
            }
            for s in &e.sources {
                h.update([1]);
                h.update(s.path.as_bytes());
                h.update([0]);
                h.update(s.sha256.as_bytes());
                h.update(s.stat.size.to_le_bytes());
                h.update(s.stat.mtime_ns.to_le_bytes());
            }
            h.update([2]);
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The manifest's path in `output_root`.
    pub fn path(output_root: &Path) -> PathBuf {
        output_root.join(MANIFEST_REL)
    }

    /// The directory holding the manifest (`<output root>/.agb`).
    pub fn dir(output_root: &Path) -> PathBuf {
        let path = Manifest::path(output_root);
        path.parent().map_or_else(|| output_root.to_path_buf(), Path::to_path_buf)
    }

    /// Read the manifest of `output_root`; `Ok(None)` when there is none (never built).
    pub fn load(output_root: &Path) -> Result<Option<Manifest>, ManifestError> {
        let path = Manifest::path(output_root);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(fsutil::FsError::Read { path, source }.into()),
        };
        Manifest::from_json(&bytes, &path).map(Some)
    }

    fn from_json(bytes: &[u8], path: &Path) -> Result<Manifest, ManifestError> {
        #[derive(Deserialize)]
        struct Header {
            format: u32,
        }
        let invalid = |e: serde_json::Error| ManifestError::Invalid {
            path: path.to_path_buf(),
            message: e.to_string(),
        };
        match serde_json::from_slice::<Manifest>(bytes) {
            Ok(m) if m.format == FORMAT_VERSION => {
                match m.files.keys().find(|rel| !is_output_rel(m.target, rel)) {
                    Some(entry) => {
                        Err(ManifestError::Damaged { path: path.to_path_buf(), entry: entry.clone() })
                    }
                    None => Ok(m),
                }
            }
            Ok(m) => Err(ManifestError::Version { path: path.to_path_buf(), found: m.format }),
            // A newer format may not parse as this one: say so rather than "invalid".
            Err(e) => match serde_json::from_slice::<Header>(bytes) {
                Ok(h) if h.format != FORMAT_VERSION => {
                    Err(ManifestError::Version { path: path.to_path_buf(), found: h.format })
                }
                _ => Err(invalid(e)),
            },
        }
    }

    /// Write the manifest into `output_root` atomically (temp file + rename, fsync'd).
    pub fn save(&self, output_root: &Path) -> Result<(), ManifestError> {
        let path = Manifest::path(output_root);
        fsutil::ensure_no_symlink_escape(output_root, &path)?;
        // Streamed: the JSON of tens of thousands of entries is never held in memory whole.
        fsutil::write_atomic_streamed(&path, |w| {
            serde_json::to_writer(&mut *w, self).map_err(std::io::Error::other)?;
            w.write_all(b"\n")
        })?;
        Ok(())
    }

    /// The JSON text: compact (one line), since a large build's manifest is read on every
    /// re-build and whitespace is a third of its size; `jq . .agb/manifest.json` shows it.
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec(self).expect("the manifest is plain data and always serializes");
        out.push(b'\n');
        out
    }

    /// The entry of one output file, by its path relative to the output root.
    pub fn file(&self, rel: &str) -> Option<&OutputEntry> {
        self.files.get(rel)
    }

    /// Every output file of one resource, in path order.
    pub fn files_of<'a>(
        &'a self,
        id: &'a ResourceId,
    ) -> impl Iterator<Item = (&'a str, &'a OutputEntry)> + 'a {
        self.files
            .iter()
            .filter(move |(_, e)| e.resource.resource() == Some(id))
            .map(|(rel, e)| (rel.as_str(), e))
    }

    /// The recorded SHA-256 of a source file (relative to the source root) whose size and mtime
    /// still equal `now`: the file is unchanged since the build and needs no hashing.
    pub fn source_sha_if_unchanged(&self, source_rel: &str, now: &FileStat) -> Option<&str> {
        let mut sources = self.files.values().flat_map(|e| e.sources.iter());
        sources.find(|s| s.path == source_rel).filter(|s| s.stat.matches(now)).map(|s| s.sha256.as_str())
    }

    /// Every recorded source file by path (a source such as `overrides.yaml` may appear under
    /// many outputs; they all hold the same values).
    pub fn source_index(&self) -> HashMap<&str, &SourceEntry> {
        self.files.values().flat_map(|e| e.sources.iter()).map(|s| (s.path.as_str(), s)).collect()
    }
}

/// Whether `rel` can be a path agb wrote: relative, `/`-separated, plain components, and outside
/// the output root only where the target writes there. The manifest lives in the project, which
/// agb does not trust (docs/security.md): a damaged entry is refused when the manifest is read,
/// before any command uses it.
fn is_output_rel(target: Target, rel: &str) -> bool {
    let plain = |p: &str| {
        !p.is_empty() && p.split('/').all(|c| !c.is_empty() && c != "." && c != ".." && !c.contains('\\'))
    };
    if Path::new(rel).is_absolute() {
        return false;
    }
    match rel.strip_prefix("../") {
        Some(rest) => plain(rest) && crate::targets::may_leave_output_root(target, rel),
        None => plain(rel),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_origin_is_the_same_string_in_the_manifest_as_before() {
        let id = ResourceId::from_key("skill p:web-research").unwrap();
        for (origin, text) in
            [(OutputOrigin::Resource(id), "\"skill p:web-research\""), (OutputOrigin::Global, "\"global\"")]
        {
            assert_eq!(serde_json::to_string(&origin).unwrap(), text);
            assert_eq!(serde_json::from_str::<OutputOrigin>(text).unwrap(), origin);
        }
        assert!(serde_json::from_str::<OutputOrigin>("\"not a resource\"").is_err());
    }
    use crate::names::{Name, ResourceKind};

    fn sample() -> Manifest {
        let mut m = Manifest::new(Target::ClaudeCode, PathBuf::from("/src"));
        m.files.insert(
            "commands/c.md".into(),
            OutputEntry {
                sha256: "aa".into(),
                stat: FileStat { size: 3, mtime_ns: 1_700_000_000_123_456_789 },
                resource: crate::manifest::OutputOrigin::Resource(
                    crate::names::ResourceId::from_key("command p:c").unwrap(),
                ),
                sources: vec![SourceEntry {
                    path: "plugins/p/commands/c.md".into(),
                    sha256: "bb".into(),
                    stat: FileStat { size: 5, mtime_ns: -12 },
                }],
            },
        );
        m
    }

    #[test]
    fn saves_and_loads_back_with_nanosecond_mtimes() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Manifest::load(dir.path()).unwrap(), None);
        let m = sample();
        m.save(dir.path()).unwrap();
        assert_eq!(Manifest::load(dir.path()).unwrap(), Some(m));
        let text = std::fs::read_to_string(dir.path().join(MANIFEST_REL)).unwrap();
        assert!(text.contains("\"mtime_ns\":1700000000123456789"), "{text}");
    }

    /// A manifest written by an earlier agb (the text below is one, byte for byte) reads as the
    /// same entries and is written back as the same text: changing how entries are read must
    /// not change the file format existing projects have.
    #[test]
    fn the_json_format_of_earlier_agb_reads_and_writes_unchanged() {
        let text = concat!(
            r#"{"format":1,"agb_version":"0.1.0","target":"claude-code","source_root":"/src","#,
            r#""files":{"commands/c.md":{"sha256":"aa","size":3,"mtime_ns":1700000000123456789,"#,
            r#""resource":"command p:c","sources":[{"path":"plugins/p/commands/c.md","sha256":"bb","#,
            r#""size":5,"mtime_ns":-12}]}}}"#,
            "\n"
        );
        let read = Manifest::from_json(text.as_bytes(), Path::new("m.json")).unwrap();
        let mut expected = sample();
        expected.agb_version = "0.1.0".into();
        assert_eq!(read, expected);
        assert_eq!(String::from_utf8(read.to_json()).unwrap(), text);
        // A field missing from an entry is an error naming it, not a silently zero stat.
        let no_mtime = text.replace(r#","mtime_ns":-12"#, "");
        let err = Manifest::from_json(no_mtime.as_bytes(), Path::new("m.json")).unwrap_err();
        assert!(err.to_string().contains("mtime_ns"), "{err}");
    }

    /// The digest hashes each entry's resource key as the manifest spells it, so manifests
    /// written by an earlier agb keep their stat-only fast path after an upgrade.
    #[test]
    fn files_digest_hashes_the_resource_key_as_written() {
        let mut m = sample();
        let global = OutputEntry {
            resource: OutputOrigin::Global,
            sources: vec![],
            ..m.files["commands/c.md"].clone()
        };
        m.files.insert("CLAUDE.md".into(), global);
        // What agb computed when it hashed `e.resource.key()` itself (checked against that code).
        let expected = "5efe610f9a1b272b164f84ac30ca10a3008ca9000e4b7d8193bb592c7a8807ff";
        assert_eq!(m.files_digest(), expected);
    }

    #[test]
    fn damaged_or_future_manifest_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".agb")).unwrap();
        std::fs::write(dir.path().join(MANIFEST_REL), "{not json").unwrap();
        assert!(matches!(Manifest::load(dir.path()), Err(ManifestError::Invalid { .. })));
        std::fs::write(dir.path().join(MANIFEST_REL), r#"{"format": 99}"#).unwrap();
        assert!(matches!(Manifest::load(dir.path()), Err(ManifestError::Version { found: 99, .. })));
    }

    #[test]
    fn files_of_and_source_lookup() {
        let m = sample();
        let id = ResourceId {
            kind: ResourceKind::Command,
            plugin: Name::new("p").unwrap(),
            name: Name::new("c").unwrap(),
        };
        assert_eq!(m.files_of(&id).map(|(rel, _)| rel).collect::<Vec<_>>(), vec!["commands/c.md"]);
        let now = FileStat { size: 5, mtime_ns: -12 };
        assert_eq!(m.source_sha_if_unchanged("plugins/p/commands/c.md", &now), Some("bb"));
        let touched = FileStat { size: 5, mtime_ns: 0 };
        assert_eq!(m.source_sha_if_unchanged("plugins/p/commands/c.md", &touched), None);
    }

    #[test]
    fn stat_of_missing_file_is_none() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(FileStat::of(&dir.path().join("nope")).unwrap(), None);
        std::fs::write(dir.path().join("f"), b"xyz").unwrap();
        assert_eq!(FileStat::of(&dir.path().join("f")).unwrap().unwrap().size, 3);
    }

    #[cfg(unix)]
    #[test]
    fn source_stat_follows_links_and_output_stat_does_not() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("target"), b"hello").unwrap();
        std::os::unix::fs::symlink(dir.path().join("target"), dir.path().join("link")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("gone"), dir.path().join("dangling")).unwrap();
        assert_eq!(FileStat::of_source(&dir.path().join("link")).unwrap().unwrap().size, 5);
        assert_eq!(FileStat::of(&dir.path().join("link")).unwrap(), None);
        assert_eq!(FileStat::of_source(&dir.path().join("dangling")).unwrap(), None);
    }
}
