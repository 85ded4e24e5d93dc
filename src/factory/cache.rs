//! The factory cache (SPEC §2.3): one bare gix clone per factory URL under
//! `<cache>/agb/factory/<host>/<owner>/<repo>.git`, with the tracking refspec
//! `+refs/heads/*:refs/remotes/origin/*`, read at `refs/remotes/origin/<branch>`, never through a
//! work tree; and [`Factory`], the opened cache with every read the commands need.
//!
//! Freshness: agb's own stamp file (`agb-last-fetch` in the git dir; gix writes no FETCH_HEAD)
//! holds the time of the last successful clone/fetch. A read fetches when it is older than
//! `cache_ttl`, at most once per [`Factory`] (one per process). Clone and fetch run under an
//! exclusive file lock (`<repo>.git.lock` beside the git dir); a clone goes to a temp dir that is
//! renamed into place, so a reader never sees half a cache. A cache that does not open or whose
//! tip cannot be read is re-cloned.
//!
//! Not here: parsing catalog.json or module names (`catalog.rs`, `module.rs`), printing.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, SystemTime};

use gix::remote::Direction;
use gix::ObjectId;
use semver::Version;

use super::catalog::{Catalog, CatalogError, Mismatch, ModuleIndex};
use super::config::FactoryConfig;
use super::module::{version_from_dir_name, ModulePath, ModuleSpec};
use super::suggest;
use super::tree_path;

/// The fetch refspec of every cache: branches land under `refs/remotes/origin/`, so branches
/// created locally (publish's `refs/heads/feat/…`) never collide with fetched ones.
pub const TRACKING_REFSPEC: &str = "+refs/heads/*:refs/remotes/origin/*";
/// The stamp file inside the git dir: modified time = last successful clone/fetch.
pub const STAMP_FILE: &str = "agb-last-fetch";

/// Errors of this module.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum CacheError {
    #[error("cannot reach the factory at {url}")]
    #[diagnostic(
        code(agb::factory::network::unreachable),
        help("check the network and the URL; with a cache, `--offline` answers from it ({detail})")
    )]
    Network { url: String, detail: String },
    #[error("the factory at {url} refused the credentials (or none were available)")]
    #[diagnostic(
        code(agb::factory::auth::rejected),
        help("configure a git credential helper or SSH key for this host (`git ls-remote {url}` must work without a prompt), or set GITHUB_TOKEN for https://github.com ({detail})")
    )]
    Auth { url: String, detail: String },
    #[error("no cache of the factory {url} yet, and --offline/AGB_OFFLINE forbids the network")]
    #[diagnostic(code(agb::factory::cache::offline_no_cache), help("run `agb factory fetch` while online"))]
    OfflineNoCache { url: String },
    #[error("--offline/AGB_OFFLINE forbids fetching {url}, and this needs the current state of the factory")]
    #[diagnostic(
        code(agb::factory::cache::offline),
        help("run it again without --offline (and with AGB_OFFLINE unset)")
    )]
    OfflineRefused { url: String },
    #[error("the factory cache {path} is damaged ({detail}), and --offline/AGB_OFFLINE forbids re-cloning")]
    #[diagnostic(
        code(agb::factory::cache::offline_corrupt),
        help("run `agb factory fetch` while online; agb re-clones a damaged cache")
    )]
    OfflineCorrupt { path: PathBuf, detail: String },
    #[error("the factory {url} has no branch {branch:?}")]
    #[diagnostic(
        code(agb::factory::cache::no_branch),
        help("set `branch:` under `factory:` in agb.yaml to the factory's default branch")
    )]
    NoBranch { url: String, branch: String },
    #[error("cannot use the cache directory {path}")]
    #[diagnostic(
        code(agb::factory::cache::io),
        help("check permissions and free space there, or point AGB_CACHE_DIR somewhere writable")
    )]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("no cache directory: neither AGB_CACHE_DIR nor a user cache directory is available")]
    #[diagnostic(code(agb::factory::cache::no_dir), help("set AGB_CACHE_DIR to a writable directory"))]
    NoCacheDir,
    #[error("cannot read the factory cache {path}: {detail}")]
    #[diagnostic(
        code(agb::factory::cache::git),
        help("run `agb factory fetch --refresh`; if it persists, delete {} and fetch again", path.display())
    )]
    Git { path: PathBuf, detail: String },
    #[error("the factory has no {path} on branch {branch:?}")]
    #[diagnostic(
        code(agb::factory::catalog::missing),
        help("check `catalog_path:` under `factory:` in agb.yaml, or add catalog.json to the factory")
    )]
    NoCatalog { path: String, branch: String },
    #[error("the factory's {module} v{version} holds {entry:?}: {reason}")]
    #[diagnostic(
        code(agb::factory::tree::unsafe_path),
        help("git itself refuses to check out such a path, and writing it could run commands (a `.git/config` with `core.fsmonitor`); agb reads nothing of this version. Ask the factory's maintainers to remove the entry")
    )]
    UnsafeEntry { module: String, version: String, entry: String, reason: &'static str },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Catalog(#[from] CatalogError),
}

/// How a read treats the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FetchMode {
    /// Fetch when the cache is older than `cache_ttl` (clone when there is none).
    #[default]
    Auto,
    /// Fetch now (`--refresh`/`--no-cache`, `agb factory fetch`).
    Refresh,
    /// Never touch the network (`--offline`, `AGB_OFFLINE=1`).
    Offline,
}

/// Options of [`Factory::open`] that do not come from the factory config.
#[derive(Debug, Clone)]
pub struct CacheOptions {
    /// `<cache>/agb/factory`.
    pub root: PathBuf,
    pub mode: FetchMode,
    /// Show a spinner on stderr while cloning/fetching (only when stderr is a terminal).
    pub progress: bool,
    /// `GITHUB_TOKEN`, offered only to https://github.com through a credential callback.
    pub github_token: Option<String>,
}

impl CacheOptions {
    /// The cache root from `AGB_CACHE_DIR` (else the user cache dir) and the token from
    /// `GITHUB_TOKEN`.
    pub fn from_env(mode: FetchMode, progress: bool) -> Result<Self, CacheError> {
        let base = match std::env::var_os("AGB_CACHE_DIR").filter(|v| !v.is_empty()) {
            Some(dir) => PathBuf::from(dir),
            None => directories::BaseDirs::new().ok_or(CacheError::NoCacheDir)?.cache_dir().to_path_buf(),
        };
        Ok(CacheOptions {
            root: base.join("agb").join("factory"),
            mode,
            progress,
            github_token: std::env::var("GITHUB_TOKEN").ok().filter(|t| !t.is_empty()),
        })
    }
}

/// What happened to the cache while opening it (for `agb factory fetch` and `-v`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheEvent {
    /// Used as it was (fresh enough, offline, or another process just updated it).
    Used,
    Cloned,
    /// A damaged cache was replaced by a fresh clone.
    Recloned,
    /// Fetched; `changed` when the remote had something new.
    Fetched {
        changed: bool,
    },
    /// The fetch failed for network reasons; the (stale) cache is used.
    Stale,
}

/// One file of a module version, as stored in the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// Path relative to the version folder, `/`-separated.
    pub path: String,
    pub oid: ObjectId,
    pub executable: bool,
    /// A symlink: `read_blob` gives its target, `import` refuses to write it.
    pub symlink: bool,
}

/// The answer to "does `MODULE[@VERSION]` exist?", the tree being the truth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    Found {
        module: ModulePath,
        version: Version,
        latest: Version,
        /// All versions, ascending.
        versions: Vec<Version>,
    },
    /// The module has version folders, but not the one asked for.
    NoSuchVersion {
        module: ModulePath,
        wanted: Version,
        versions: Vec<Version>,
        /// The nearest existing versions (`module@version` form is up to the caller).
        closest: Vec<Version>,
    },
    /// No such module; the closest existing module paths, best first.
    NoSuchModule { module: ModulePath, closest: Vec<String> },
}

/// An opened, fresh-enough factory cache.
pub struct Factory {
    config: FactoryConfig,
    opts: CacheOptions,
    git_dir: PathBuf,
    repo: gix::Repository,
    tip: ObjectId,
    tree: ObjectId,
    event: CacheEvent,
    fetched: bool,
    warnings: Vec<String>,
}

impl std::fmt::Debug for Factory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Factory").field("git_dir", &self.git_dir).field("tip", &self.tip).finish()
    }
}

/// Why an existing cache could not be used as it is.
enum Unusable {
    Missing,
    NoBranch,
    Corrupt(String),
}

impl Factory {
    /// Open the cache of `config`, cloning or fetching first as `opts.mode` and the TTL say.
    pub fn open(config: &FactoryConfig, opts: &CacheOptions) -> Result<Self, CacheError> {
        let git_dir = opts.root.join(config.url.cache_rel_dir());
        let url = config.url.to_string();
        let started = SystemTime::now();
        let mut warnings = Vec::new();
        let existing = open_valid(&git_dir, &config.branch);
        if opts.mode == FetchMode::Offline {
            return match existing {
                Ok((repo, tip, tree)) => Ok(Self::assemble(
                    config,
                    opts,
                    git_dir,
                    repo,
                    tip,
                    tree,
                    CacheEvent::Used,
                    false,
                    warnings,
                )),
                Err(Unusable::Missing) => Err(CacheError::OfflineNoCache { url }),
                Err(Unusable::NoBranch) => Err(CacheError::NoBranch { url, branch: config.branch.clone() }),
                Err(Unusable::Corrupt(detail)) => Err(CacheError::OfflineCorrupt { path: git_dir, detail }),
            };
        }
        // Fast path: fresh enough, no lock, no network.
        if let Ok((repo, tip, tree)) = &existing {
            if opts.mode == FetchMode::Auto && !is_stale(&git_dir, config.cache_ttl) {
                return Ok(Self::assemble(
                    config,
                    opts,
                    git_dir.clone(),
                    repo.clone(),
                    *tip,
                    *tree,
                    CacheEvent::Used,
                    false,
                    warnings,
                ));
            }
        }
        drop(existing);

        let _lock = lock_cache(&git_dir)?;
        // Another process may have cloned or fetched while we waited for the lock.
        let existing = open_valid(&git_dir, &config.branch);
        let updated_meanwhile = stamp_time(&git_dir).is_some_and(|t| t >= started);
        let (repo, event) = match existing {
            Ok((repo, _, _)) if updated_meanwhile => (repo, CacheEvent::Used),
            Ok(_) | Err(Unusable::NoBranch) => match fetch(&git_dir, config, opts) {
                Ok(changed) => {
                    write_stamp(&git_dir)?;
                    (gix::open(&git_dir).map_err(|e| git_err(&git_dir, e))?, CacheEvent::Fetched { changed })
                }
                Err(CacheError::Network { detail, .. }) => {
                    let age = stamp_time(&git_dir)
                        .and_then(|t| SystemTime::now().duration_since(t).ok())
                        .map(human_age)
                        .unwrap_or_else(|| "at an unknown time".to_string());
                    warnings.push(format!(
                        "cannot reach the factory at {url} ({detail}); answering from the cache, last updated {age}"
                    ));
                    (gix::open(&git_dir).map_err(|e| git_err(&git_dir, e))?, CacheEvent::Stale)
                }
                Err(e) => return Err(e),
            },
            Err(Unusable::Missing) => (clone_into_place(&git_dir, config, opts)?, CacheEvent::Cloned),
            Err(Unusable::Corrupt(detail)) => {
                warnings.push(format!(
                    "the factory cache {} was damaged ({detail}); cloning it again",
                    git_dir.display()
                ));
                (clone_into_place(&git_dir, config, opts)?, CacheEvent::Recloned)
            }
        };
        let (tip, tree) = match read_tip(&repo, &config.branch) {
            Ok(Some(t)) => t,
            Ok(None) => return Err(CacheError::NoBranch { url, branch: config.branch.clone() }),
            Err(detail) => return Err(CacheError::Git { path: git_dir, detail }),
        };
        let fetched = !matches!(event, CacheEvent::Used);
        Ok(Self::assemble(config, opts, git_dir, repo, tip, tree, event, fetched, warnings))
    }

    #[allow(clippy::too_many_arguments)]
    fn assemble(
        config: &FactoryConfig,
        opts: &CacheOptions,
        git_dir: PathBuf,
        repo: gix::Repository,
        tip: ObjectId,
        tree: ObjectId,
        event: CacheEvent,
        fetched: bool,
        warnings: Vec<String>,
    ) -> Self {
        Factory {
            config: config.clone(),
            opts: opts.clone(),
            git_dir,
            repo,
            tip,
            tree,
            event,
            fetched,
            warnings,
        }
    }

    /// Fetch now unless this `Factory` already fetched or cloned (at most one fetch per process),
    /// then re-read the tip. Publish calls this before building its commit. Returns whether
    /// the tip changed.
    pub fn ensure_fetched(&mut self) -> Result<bool, CacheError> {
        if self.fetched {
            return Ok(false);
        }
        if self.opts.mode == FetchMode::Offline {
            return Err(CacheError::OfflineRefused { url: self.config.url.to_string() });
        }
        let opts = CacheOptions { mode: FetchMode::Refresh, ..self.opts.clone() };
        let fresh = Factory::open(&self.config, &opts)?;
        let changed = fresh.tip != self.tip;
        let mut warnings = std::mem::take(&mut self.warnings);
        warnings.extend(fresh.warnings.iter().cloned());
        *self = Factory { warnings, fetched: true, ..fresh };
        Ok(changed)
    }

    pub fn config(&self) -> &FactoryConfig {
        &self.config
    }

    /// The gix repository of the cache (bare).
    pub fn repo(&self) -> &gix::Repository {
        &self.repo
    }

    /// The cache's git dir (`…/<repo>.git`); `git --git-dir <this>` works on it.
    pub fn git_dir(&self) -> &Path {
        &self.git_dir
    }

    /// The remote URL (what the cache's `origin` points at).
    pub fn remote_url(&self) -> &str {
        self.config.url.as_git_url()
    }

    /// The tracking ref that is read: `refs/remotes/origin/<branch>`.
    pub fn tracking_ref(&self) -> String {
        format!("refs/remotes/origin/{}", self.config.branch)
    }

    /// The commit at the tip of the configured branch.
    pub fn commit(&self) -> ObjectId {
        self.tip
    }

    /// The tree of that commit.
    pub fn tree_id(&self) -> ObjectId {
        self.tree
    }

    /// What happened while opening (used, cloned, fetched, stale).
    pub fn event(&self) -> CacheEvent {
        self.event
    }

    /// Warnings for stderr (stale cache, re-clone, catalog/tree disagreement seen by a read).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// Make the next read fetch regardless of the TTL (publish calls this after pushing).
    pub fn mark_stale(&self) -> Result<(), CacheError> {
        mark_stale(&self.git_dir)
    }

    /// A browsable link to a repository path (None for local factories without `repository:`).
    pub fn browse_url(&self, path: &str) -> Option<String> {
        self.config.browse_url(path)
    }

    /// The age of the cache (time since the last successful clone/fetch).
    pub fn age(&self) -> Option<Duration> {
        stamp_time(&self.git_dir).and_then(|t| SystemTime::now().duration_since(t).ok())
    }

    fn root_tree(&self) -> Result<gix::Tree<'_>, CacheError> {
        self.repo.find_tree(self.tree).map_err(|e| git_err(&self.git_dir, e))
    }

    fn entry(&self, path: &str) -> Result<Option<gix::object::tree::Entry<'_>>, CacheError> {
        self.root_tree()?.lookup_entry_by_path(path).map_err(|e| git_err(&self.git_dir, e))
    }

    fn subtree(&self, path: &str) -> Result<Option<gix::Tree<'_>>, CacheError> {
        match self.entry(path)? {
            Some(e) if e.mode().is_tree() => {
                Ok(Some(self.repo.find_tree(e.object_id()).map_err(|e| git_err(&self.git_dir, e))?))
            }
            _ => Ok(None),
        }
    }

    /// The content of a file of the repository at the tip (None: no such file).
    pub fn read_path(&self, path: &str) -> Result<Option<Vec<u8>>, CacheError> {
        match self.entry(path)? {
            Some(e) if e.mode().is_blob() || e.mode().is_link() => Ok(Some(self.read_blob(e.object_id())?)),
            _ => Ok(None),
        }
    }

    /// A blob's bytes.
    pub fn read_blob(&self, oid: ObjectId) -> Result<Vec<u8>, CacheError> {
        let mut blob = self.repo.find_blob(oid).map_err(|e| git_err(&self.git_dir, e))?;
        Ok(blob.take_data())
    }

    /// catalog.json at the tip.
    pub fn catalog(&self) -> Result<Catalog, CacheError> {
        let path = &self.config.catalog_path;
        let bytes = self.read_path(path)?.ok_or_else(|| CacheError::NoCatalog {
            path: path.clone(),
            branch: self.config.branch.clone(),
        })?;
        Ok(Catalog::parse(&bytes, path)?)
    }

    /// The names of the entries of a tree, with whether each is a tree.
    fn list_dir(&self, tree: &gix::Tree<'_>) -> Result<Vec<(String, bool, ObjectId)>, CacheError> {
        let decoded = tree.decode().map_err(|e| git_err(&self.git_dir, e))?;
        Ok(decoded
            .entries
            .iter()
            .map(|e| (e.filename.to_string(), e.mode.is_tree(), e.oid.to_owned()))
            .collect())
    }

    /// The versions (ascending) of one module in the tree; None when it has no folder.
    pub fn module_versions(&self, module: &ModulePath) -> Result<Option<Vec<Version>>, CacheError> {
        let Some(tree) = self.subtree(&module.dir_in(&self.config.modules_path))? else {
            return Ok(None);
        };
        let mut versions: Vec<Version> = self
            .list_dir(&tree)?
            .into_iter()
            .filter(|(_, is_tree, _)| *is_tree)
            .filter_map(|(name, _, _)| version_from_dir_name(&name))
            .collect();
        versions.sort();
        Ok(Some(versions))
    }

    /// Every module and version in the tree (`modules/<p>/<c>/<n>/v<semver>`).
    pub fn module_index(&self) -> Result<ModuleIndex, CacheError> {
        let mut index = ModuleIndex::default();
        let root = &self.config.modules_path;
        let Some(modules) = self.subtree(root)? else { return Ok(index) };
        let find = |oid: ObjectId| self.repo.find_tree(oid).map_err(|e| git_err(&self.git_dir, e));
        for (provider, is_tree, p_oid) in self.list_dir(&modules)? {
            if !is_tree {
                index.stray.push(format!("{root}/{provider}"));
                continue;
            }
            for (category, is_tree, c_oid) in self.list_dir(&find(p_oid)?)? {
                if !is_tree {
                    index.stray.push(format!("{root}/{provider}/{category}"));
                    continue;
                }
                for (name, is_tree, n_oid) in self.list_dir(&find(c_oid)?)? {
                    let rel = format!("{provider}/{category}/{name}");
                    let module = match ModulePath::new(&rel) {
                        Ok(m) if is_tree => m,
                        _ => {
                            index.stray.push(format!("{root}/{rel}"));
                            continue;
                        }
                    };
                    let mut versions = Vec::new();
                    for (vdir, is_tree, _) in self.list_dir(&find(n_oid)?)? {
                        match version_from_dir_name(&vdir) {
                            Some(v) if is_tree => versions.push(v),
                            _ => index.stray.push(format!("{root}/{rel}/{vdir}")),
                        }
                    }
                    versions.sort();
                    index.modules.insert(module, versions);
                }
            }
        }
        Ok(index)
    }

    /// The files of a module version, sorted by path, with their blob ids; None when the version
    /// folder does not exist.
    pub fn version_files(
        &self,
        module: &ModulePath,
        version: &Version,
    ) -> Result<Option<Vec<FileEntry>>, CacheError> {
        let Some(tree) = self.subtree(&module.version_dir_in(&self.config.modules_path, version))? else {
            return Ok(None);
        };
        let mut rec = gix::traverse::tree::Recorder::default();
        tree.traverse().breadthfirst(&mut rec).map_err(|e| git_err(&self.git_dir, e))?;
        let mut files: Vec<FileEntry> = rec
            .records
            .into_iter()
            .filter(|r| !r.mode.is_tree() && !r.mode.is_commit())
            .map(|r| FileEntry {
                path: r.filepath.to_string(),
                oid: r.oid,
                executable: r.mode.is_executable(),
                symlink: r.mode.is_link(),
            })
            .collect();
        // The factory's content is not trusted: refuse the whole version when one path is one
        // git would refuse, so import, show, compare and publish's bump check never see it.
        if let Some((entry, reason)) = files.iter().find_map(|f| tree_path::refused_path(&f.path)) {
            return Err(CacheError::UnsafeEntry {
                module: module.to_string(),
                version: version.to_string(),
                entry: entry.to_string(),
                reason,
            });
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(Some(files))
    }

    /// The repository path of a version's MODULE_METADATA.yaml.
    pub fn metadata_path(&self, module: &ModulePath, version: &Version) -> String {
        format!("{}/MODULE_METADATA.yaml", module.version_dir_in(&self.config.modules_path, version))
    }

    /// A version's MODULE_METADATA.yaml as raw bytes (None: the file does not exist).
    pub fn metadata_bytes(
        &self,
        module: &ModulePath,
        version: &Version,
    ) -> Result<Option<Vec<u8>>, CacheError> {
        self.read_path(&self.metadata_path(module, version))
    }

    /// The names under `patterns_path` (folders and files), sorted.
    pub fn patterns(&self) -> Result<Vec<String>, CacheError> {
        let Some(tree) = self.subtree(&self.config.patterns_path)? else { return Ok(Vec::new()) };
        let mut names: Vec<String> = self.list_dir(&tree)?.into_iter().map(|(n, _, _)| n).collect();
        names.sort();
        Ok(names)
    }

    /// Resolve `MODULE[@VERSION]` against the tree (latest when no version). When the module is
    /// missing, the closest module paths come from the tree and the catalog together.
    pub fn resolve(&self, spec: &ModuleSpec) -> Result<Resolution, CacheError> {
        let module = spec.module.clone();
        match self.module_versions(&module)? {
            Some(versions) if !versions.is_empty() => {
                let latest = versions.last().expect("checked non-empty").clone();
                match &spec.version {
                    None => Ok(Resolution::Found { module, version: latest.clone(), latest, versions }),
                    Some(v) if versions.contains(v) => {
                        Ok(Resolution::Found { module, version: v.clone(), latest, versions })
                    }
                    Some(v) => {
                        let closest = suggest::closest_versions(v, &versions);
                        Ok(Resolution::NoSuchVersion { module, wanted: v.clone(), versions, closest })
                    }
                }
            }
            _ => {
                let index = self.module_index()?;
                let mut names: Vec<String> = index.modules.keys().map(|m| m.to_string()).collect();
                if let Ok(catalog) = self.catalog() {
                    names.extend(catalog.modules.keys().cloned());
                }
                names.sort();
                names.dedup();
                // A module listed only in catalog.json does not exist; never suggest it to itself.
                names.retain(|n| n != module.as_str());
                let closest = suggest::closest_paths(module.as_str(), names.iter().map(String::as_str), 5);
                Ok(Resolution::NoSuchModule { module, closest })
            }
        }
    }

    /// catalog.json vs the tree for one module; the disagreements are also added to
    /// [`Factory::warnings`] (readers warn, the tree wins).
    pub fn check_catalog_for(&mut self, module: &ModulePath) -> Vec<Mismatch> {
        let path = &self.config.catalog_path;
        let Ok(Some(bytes)) = self.read_path(path) else { return Vec::new() };
        let Ok(entry) = Catalog::entry_from_slice(&bytes, path, module.as_str()) else { return Vec::new() };
        let Ok(tree) = self.module_versions(module) else { return Vec::new() };
        let found = super::catalog::compare_module(
            module.as_str(),
            entry.as_ref(),
            tree.as_deref().filter(|v| !v.is_empty()),
        );
        for m in &found {
            self.warnings.push(format!("catalog.json disagrees with the tree (the tree wins): {m}"));
        }
        found
    }
}

fn git_err(path: &Path, e: impl std::fmt::Display) -> CacheError {
    CacheError::Git { path: path.to_path_buf(), detail: format!("{e:#}") }
}

/// Open the cache and read the branch tip, classifying why it cannot be used.
fn open_valid(git_dir: &Path, branch: &str) -> Result<(gix::Repository, ObjectId, ObjectId), Unusable> {
    if !git_dir.exists() {
        return Err(Unusable::Missing);
    }
    let repo = gix::open(git_dir).map_err(|e| Unusable::Corrupt(format!("{e:#}")))?;
    match read_tip(&repo, branch) {
        Ok(Some((tip, tree))) => Ok((repo, tip, tree)),
        Ok(None) => Err(Unusable::NoBranch),
        Err(detail) => Err(Unusable::Corrupt(detail)),
    }
}

/// The tip commit and its tree; None when the tracking ref does not exist.
fn read_tip(repo: &gix::Repository, branch: &str) -> Result<Option<(ObjectId, ObjectId)>, String> {
    let name = format!("refs/remotes/origin/{branch}");
    let mut reference = match repo.try_find_reference(name.as_str()) {
        Ok(Some(r)) => r,
        Ok(None) => return Ok(None),
        Err(e) => return Err(format!("{e:#}")),
    };
    let commit = reference.peel_to_commit().map_err(|e| format!("{e:#}"))?;
    let tree = commit.tree_id().map_err(|e| format!("{e:#}"))?.detach();
    // Reading the root tree proves the pack holds more than the commit.
    repo.find_tree(tree).map_err(|e| format!("{e:#}"))?;
    Ok(Some((commit.id, tree)))
}

fn stamp_time(git_dir: &Path) -> Option<SystemTime> {
    fs::metadata(git_dir.join(STAMP_FILE)).and_then(|m| m.modified()).ok()
}

fn is_stale(git_dir: &Path, ttl: Duration) -> bool {
    match stamp_time(git_dir) {
        // A stamp from the future (clock change) counts as stale too.
        Some(t) => SystemTime::now().duration_since(t).map_or(true, |age| age >= ttl),
        None => true,
    }
}

fn write_stamp(git_dir: &Path) -> Result<(), CacheError> {
    let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let path = git_dir.join(STAMP_FILE);
    crate::fsutil::write_atomic(&path, format!("{now}\n").as_bytes())
        .map_err(|e| CacheError::Io { path, source: std::io::Error::other(e.to_string()) })
}

/// Make the next read of the cache at `git_dir` fetch, whatever the TTL.
pub fn mark_stale(git_dir: &Path) -> Result<(), CacheError> {
    match fs::remove_file(git_dir.join(STAMP_FILE)) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(CacheError::Io { path: git_dir.join(STAMP_FILE), source }),
    }
}

/// The exclusive lock that serialises clone/fetch of one cache between processes.
/// It is released when the returned file is dropped (or the process dies).
fn lock_cache(git_dir: &Path) -> Result<fs::File, CacheError> {
    let parent = git_dir.parent().expect("a cache dir always has a parent (the cache root)");
    fs::create_dir_all(parent).map_err(|source| CacheError::Io { path: parent.to_path_buf(), source })?;
    let mut name = git_dir.file_name().expect("a cache dir has a name").to_os_string();
    name.push(".lock");
    let path = parent.join(name);
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| CacheError::Io { path: path.clone(), source })?;
    file.lock().map_err(|source| CacheError::Io { path, source })?;
    Ok(file)
}

/// The credential callback: GITHUB_TOKEN for https://github.com when set; otherwise the user's
/// git credential helpers and askpass, but never a terminal prompt (an agent would hang on it).
fn authenticate(
    repo: &gix::Repository,
    config: &FactoryConfig,
    token: Option<String>,
) -> Option<gix::remote::AuthenticateFn<'static>> {
    if let (true, Some(token)) = (config.url.is_github_https(), token) {
        return Some(token_callback(token));
    }
    if config.url.scheme() == super::url::Scheme::Local {
        return None;
    }
    let url = gix::Url::try_from(config.url.as_git_url()).ok()?;
    let (mut cascade, _, mut prompt) = repo.config_snapshot().credential_helpers(url).ok()?;
    prompt.mode = gix::prompt::Mode::Disable;
    Some(Box::new(move |action| cascade.invoke(action, prompt.clone())))
}

/// Answers a `get` with `GITHUB_TOKEN` only when the request itself is for https://github.com:
/// the configured URL was checked already, but the transport asks about the URL it is talking
/// to, and a token must never reach any other host whatever the remote makes of it.
fn token_callback(token: String) -> gix::remote::AuthenticateFn<'static> {
    use gix::credentials::helper::Action;
    Box::new(move |action| match action {
        Action::Get(mut ctx) => {
            let github = ctx.destructure_url_in_place(false).is_ok()
                && ctx.protocol.as_deref().is_some_and(|p| p.eq_ignore_ascii_case("https"))
                && ctx.host.as_deref().is_some_and(|h| {
                    h.eq_ignore_ascii_case("github.com") || h.eq_ignore_ascii_case("github.com:443")
                });
            if !github {
                return Ok(None);
            }
            Ok(Some(gix::credentials::protocol::Outcome {
                identity: gix::sec::identity::Account {
                    username: "x-access-token".into(),
                    password: token.clone(),
                    oauth_refresh_token: None,
                },
                next: ctx.into(),
            }))
        }
        _ => Ok(None),
    })
}

/// Turn a gix clone/fetch failure into an auth or network error.
fn classify(e: &gix::Error, url: &str) -> CacheError {
    use gix::error::Class;
    let detail = format!("{e:#}");
    let text = detail.to_ascii_lowercase();
    let auth_words = [
        "could not obtain identity",
        "authentication failed",
        "credentials provided",
        "not accepted",
        "permission denied (publickey",
        "terminal prompts disabled",
    ];
    // No bare status numbers here: a port such as :40133 in the URL would match "401".
    // HTTP 401/403 come through as the Unauthenticated/PermissionDenied classes.
    let is_auth = matches!(e.dominant_class(), Some(Class::Unauthenticated) | Some(Class::PermissionDenied))
        || auth_words.iter().any(|w| text.contains(w));
    let detail = one_line(&detail);
    if is_auth {
        CacheError::Auth { url: url.to_string(), detail }
    } else {
        CacheError::Network { url: url.to_string(), detail }
    }
}

fn one_line(s: &str) -> String {
    let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() > 300 {
        format!("{}…", joined.chars().take(300).collect::<String>())
    } else {
        joined
    }
}

/// Fetch into an existing cache. Returns whether anything changed.
fn fetch(git_dir: &Path, config: &FactoryConfig, opts: &CacheOptions) -> Result<bool, CacheError> {
    use gix::remote::fetch::refs::update::Mode;
    use gix::remote::fetch::Status;
    let url = config.url.to_string();
    let repo = gix::open(git_dir).map_err(|e| git_err(git_dir, e))?;
    // An anonymous remote at the configured URL (not the cache's `origin`): when the user
    // switches e.g. http:// to https:// for the same repository, the same cache follows.
    let remote = repo
        .remote_at(config.url.as_git_url())
        .and_then(|r| r.with_refspecs(Some(TRACKING_REFSPEC), Direction::Fetch))
        .map_err(|e| git_err(git_dir, e))?;
    let progress = super::progress::Reporter::start(format!("fetching {url}"), opts.progress);
    let interrupt = AtomicBool::new(false);
    let result = (|| -> gix::Result<bool> {
        let mut conn = remote.connect(Direction::Fetch)?;
        if let Some(auth) = authenticate(&repo, config, opts.github_token.clone()) {
            conn.set_credentials(auth);
        }
        let out =
            conn.prepare_fetch(progress.gix(), Default::default())?.receive(progress.gix(), &interrupt)?;
        let (no_pack, updates) = match &out.status {
            Status::NoPackReceived { update_refs, .. } => (true, update_refs),
            Status::Change { update_refs, .. } => (false, update_refs),
        };
        Ok(!(no_pack && updates.updates.iter().all(|u| matches!(u.mode, Mode::NoChangeNeeded))))
    })();
    progress.finish();
    result.map_err(|e| classify(&e, &url))
}

/// Clone into a temp dir beside `git_dir` and rename it into place (replacing a damaged cache).
/// Must be called with the cache lock held.
fn clone_into_place(
    git_dir: &Path,
    config: &FactoryConfig,
    opts: &CacheOptions,
) -> Result<gix::Repository, CacheError> {
    let parent = git_dir.parent().expect("a cache dir always has a parent (the cache root)");
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| CacheError::Io { path, source }
    };
    fs::create_dir_all(parent).map_err(io(parent))?;
    let tmp = tempfile::Builder::new().prefix(".agb-clone-").tempdir_in(parent).map_err(io(parent))?;
    let url = config.url.to_string();
    let progress = super::progress::Reporter::start(format!("cloning {url}"), opts.progress);
    let interrupt = AtomicBool::new(false);
    let token = opts.github_token.clone();
    let auth_config = config.clone();
    let result = (|| -> gix::Result<()> {
        let (_repo, _outcome) = gix::prepare_clone_bare(config.url.as_git_url(), tmp.path())?
            .configure_remote(|r| r.with_refspecs(Some(TRACKING_REFSPEC), Direction::Fetch))
            .configure_connection(move |conn| {
                let repo = conn.remote().repo().clone();
                if let Some(auth) = authenticate(&repo, &auth_config, token.clone()) {
                    conn.set_credentials(auth);
                }
                Ok(())
            })
            .fetch_only(progress.gix(), &interrupt)?;
        Ok(())
    })();
    progress.finish();
    result.map_err(|e| classify(&e, &url))?;
    write_stamp(tmp.path())?;
    let tmp_path = tmp.keep();
    if git_dir.exists() {
        let trash = parent.join(format!(
            ".agb-trash-{}-{}",
            std::process::id(),
            SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
        ));
        fs::rename(git_dir, &trash).map_err(io(git_dir))?;
        let _ = fs::remove_dir_all(&trash);
    }
    if let Err(source) = fs::rename(&tmp_path, git_dir) {
        let _ = fs::remove_dir_all(&tmp_path);
        return Err(CacheError::Io { path: git_dir.to_path_buf(), source });
    }
    gix::open(git_dir).map_err(|e| git_err(git_dir, e))
}

/// "3 minutes ago" style age for the stale-cache warning.
pub fn human_age(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..=59 => format!("{s} seconds ago"),
        60..=3599 => format!("{} minutes ago", s / 60),
        3600..=86_399 => format!("{} hours ago", s / 3600),
        _ => format!("{} days ago", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_callback_answers_only_github_https() {
        use gix::credentials::helper::Action;
        let mut cb = token_callback("ghp_secret_value".into());
        let ok = cb(Action::get_for_url("https://github.com/org/f.git")).unwrap();
        assert_eq!(ok.map(|o| o.identity.password), Some("ghp_secret_value".to_string()));
        for url in [
            "https://evil.example/org/f.git",
            "https://github.com.evil.example/org/f.git",
            "http://github.com/org/f.git",
            "https://github.com:8443/org/f.git",
        ] {
            assert!(cb(Action::get_for_url(url)).unwrap().is_none(), "{url}");
        }
    }

    fn git(cwd: &Path, args: &[&str]) {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(cwd)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// A bare upstream with one module, and a work tree to push more from.
    fn upstream(dir: &Path) -> (PathBuf, PathBuf) {
        let bare = dir.join("up.git");
        let work = dir.join("work");
        git(dir, &["init", "-q", "--bare", "-b", "main", "up.git"]);
        git(dir, &["init", "-q", "-b", "main", "work"]);
        let v = work.join("modules/aws/net/vpc/v1.0.0");
        fs::create_dir_all(&v).unwrap();
        fs::write(v.join("main.tf"), "# vpc\n").unwrap();
        fs::write(
            work.join("catalog.json"),
            r#"{"modules":{"aws/net/vpc":{"latest":"1.0.0","versions":["1.0.0"]}}}"#,
        )
        .unwrap();
        git(&work, &["add", "-A"]);
        git(&work, &["commit", "-q", "-m", "one"]);
        git(&work, &["push", "-q", bare.to_str().unwrap(), "main"]);
        (bare, work)
    }

    fn config_for(bare: &Path) -> FactoryConfig {
        let url = super::super::url::FactoryUrl::parse(bare.to_str().unwrap(), Path::new("/")).unwrap();
        FactoryConfig {
            url,
            repository: None,
            branch: "main".into(),
            catalog_path: "catalog.json".into(),
            modules_path: "modules".into(),
            patterns_path: "patterns".into(),
            cache_ttl: Duration::from_secs(300),
            origin: super::super::config::Origin::Flag,
        }
    }

    #[test]
    fn ensure_fetched_fetches_once_and_mark_stale_forces_the_next_read_to_fetch() {
        let dir = tempfile::tempdir().unwrap();
        let (bare, work) = upstream(dir.path());
        let config = config_for(&bare);
        let opts = CacheOptions {
            root: dir.path().join("cache"),
            mode: FetchMode::Auto,
            progress: false,
            github_token: None,
        };
        let mut f = Factory::open(&config, &opts).unwrap();
        assert_eq!(f.event(), CacheEvent::Cloned);
        assert!(!f.ensure_fetched().unwrap(), "a clone counts as this process's fetch");
        let first = f.commit();

        // a fresh cache within the TTL: no fetch on open, one on ensure_fetched
        fs::write(work.join("README.md"), "new\n").unwrap();
        git(&work, &["add", "-A"]);
        git(&work, &["commit", "-q", "-m", "two"]);
        git(&work, &["push", "-q", bare.to_str().unwrap(), "main"]);
        let mut f = Factory::open(&config, &opts).unwrap();
        assert_eq!((f.event(), f.commit()), (CacheEvent::Used, first));
        assert!(f.ensure_fetched().unwrap(), "the tip moved");
        let second = f.commit();
        assert_ne!(second, first);
        assert!(!f.ensure_fetched().unwrap(), "at most one fetch per Factory");
        assert_eq!(f.read_path("README.md").unwrap().as_deref(), Some(&b"new\n"[..]));

        // mark_stale: the next read fetches regardless of the TTL
        f.mark_stale().unwrap();
        let f = Factory::open(&config, &opts).unwrap();
        assert_eq!(f.event(), CacheEvent::Fetched { changed: false });
        assert_eq!(f.commit(), second);
        assert_eq!(f.tracking_ref(), "refs/remotes/origin/main");
        let files = f
            .version_files(&ModulePath::new("aws/net/vpc").unwrap(), &Version::new(1, 0, 0))
            .unwrap()
            .unwrap();
        assert_eq!(files.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(), ["main.tf"]);
    }

    #[test]
    fn ages_read_naturally() {
        assert_eq!(human_age(Duration::from_secs(5)), "5 seconds ago");
        assert_eq!(human_age(Duration::from_secs(600)), "10 minutes ago");
        assert_eq!(human_age(Duration::from_secs(7200)), "2 hours ago");
        assert_eq!(human_age(Duration::from_secs(200_000)), "2 days ago");
    }

    #[test]
    fn stamp_drives_staleness() {
        let dir = tempfile::tempdir().unwrap();
        assert!(is_stale(dir.path(), Duration::from_secs(300)));
        write_stamp(dir.path()).unwrap();
        assert!(!is_stale(dir.path(), Duration::from_secs(300)));
        assert!(is_stale(dir.path(), Duration::ZERO));
        mark_stale(dir.path()).unwrap();
        assert!(is_stale(dir.path(), Duration::from_secs(300)));
        mark_stale(dir.path()).unwrap();
    }
}
