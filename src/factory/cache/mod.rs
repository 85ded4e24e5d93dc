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
//! Files: this one holds the types and the cheap accessors; `open.rs` opening, cloning and the
//! lock; `fetch.rs` fetching and credentials; `stamp.rs` the freshness stamp; `read.rs` every read
//! of the tip's tree.
//!
//! Not here: parsing catalog.json or module names (`catalog.rs`, `module.rs`), printing.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use gix::ObjectId;
use semver::Version;

use super::catalog::{CatalogError, Mismatch};
use super::config::FactoryConfig;
use super::module::ModulePath;

mod fetch;
pub mod http;
pub mod index;
mod open;
mod read;
pub mod ssh;
mod stamp;
#[cfg(test)]
mod tests;

pub use stamp::{human_age, mark_stale};

/// The fetch refspec of every cache: branches land under `refs/remotes/origin/`, so branches
/// created locally (publish's `refs/heads/feat/…`) never collide with fetched ones.
pub const TRACKING_REFSPEC: &str = "+refs/heads/*:refs/remotes/origin/*";
/// The stamp file inside the git dir: modified time = last successful clone/fetch.
pub const STAMP_FILE: &str = "agb-last-fetch";

/// Errors of this module.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum CacheError {
    #[error("cannot reach the factory at {url}")]
    #[diagnostic(code(agb::factory::network::unreachable))]
    Network {
        url: String,
        detail: String,
        /// What to do: `--offline` is offered only where a cache exists to answer from.
        #[help]
        advice: String,
    },
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
    /// No terminal (stdin): ssh runs with `-o BatchMode=yes` (see [`ssh`]), never prompting.
    pub batch_ssh: bool,
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
            batch_ssh: !std::io::IsTerminal::is_terminal(&std::io::stdin()),
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

/// A warning for stderr collected while opening or reading the cache; the commands print it
/// (`Display` is the text), publish passes it on as a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheWarning {
    /// The fetch failed for network reasons; the (stale) cache answers. `age` is
    /// [`human_age`]'s form, or "at an unknown time".
    Stale { url: String, detail: String, age: String },
    /// The cache was damaged; it is being cloned again.
    Recloned { path: PathBuf, detail: String },
    /// catalog.json disagrees with the tree for a module that was read (the tree wins).
    CatalogMismatch(Mismatch),
}

impl std::fmt::Display for CacheWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CacheWarning::Stale { url, detail, age } => write!(
                f,
                "cannot reach the factory at {url} ({detail}); answering from the cache, last updated {age}"
            ),
            CacheWarning::Recloned { path, detail } => {
                write!(f, "the factory cache {} was damaged ({detail}); cloning it again", path.display())
            }
            CacheWarning::CatalogMismatch(m) => {
                write!(f, "catalog.json disagrees with the tree (the tree wins): {m}")
            }
        }
    }
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
    warnings: Vec<CacheWarning>,
}

impl std::fmt::Debug for Factory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Factory").field("git_dir", &self.git_dir).field("tip", &self.tip).finish()
    }
}

impl Factory {
    pub fn config(&self) -> &FactoryConfig {
        &self.config
    }

    /// The ssh command git must run for this factory so it never prompts (`-o BatchMode=yes`
    /// appended to the user's), when the remote is ssh and there is no terminal; see [`ssh`].
    pub fn batch_ssh_command(&self, opts: &CacheOptions) -> Option<String> {
        let configured = self.repo.config_snapshot().string("core.sshCommand").map(|c| c.to_string());
        fetch::batch_command(&self.config, opts, configured.as_deref())
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
    pub fn warnings(&self) -> &[CacheWarning] {
        &self.warnings
    }

    pub fn take_warnings(&mut self) -> Vec<CacheWarning> {
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
        stamp::stamp_time(&self.git_dir).and_then(|t| SystemTime::now().duration_since(t).ok())
    }
}

pub(super) fn git_err(path: &Path, e: impl std::fmt::Display) -> CacheError {
    CacheError::Git { path: path.to_path_buf(), detail: format!("{e:#}") }
}

impl CacheError {
    /// The factory could not be reached, and a cache exists that `--offline` answers from.
    pub fn network(url: String, detail: String) -> Self {
        let advice = format!("check the network and the URL; `--offline` answers from the cache ({detail})");
        CacheError::Network { url, detail, advice }
    }

    /// The same error when there is no cache yet: `--offline` cannot help, so it is not offered.
    pub fn without_cache(self) -> Self {
        match self {
            CacheError::Network { url, detail, .. } => {
                let advice = format!(
                    "check the network and the URL; there is no cache of this factory yet, so the first `agb factory fetch` needs the network ({detail})"
                );
                CacheError::Network { url, detail, advice }
            }
            other => other,
        }
    }
}
