//! Opening the cache: use it when fresh enough, else take the lock and fetch (falling back to
//! the stale cache when the network fails), clone when there is none, re-clone when it is
//! damaged. A clone goes to a temp dir renamed into place, so no reader sees half a cache.
//!
//! Not here: the fetch itself (`fetch.rs`), reads (`read.rs`).

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::SystemTime;

use gix::remote::Direction;
use gix::ObjectId;

use super::fetch::{authenticate, batch_ssh, classify, fetch};
use super::stamp::{human_age, is_stale, stamp_time, write_stamp};
use super::{
    git_err, CacheError, CacheEvent, CacheOptions, CacheWarning, Factory, FetchMode, TRACKING_REFSPEC,
};
use crate::factory::config::FactoryConfig;

/// Why an existing cache could not be used as it is.
enum Unusable {
    Missing,
    NoBranch,
    Corrupt(String),
}

/// A readable cache: the repository and the tip of the tracking branch.
struct Opened {
    repo: gix::Repository,
    tip: ObjectId,
    tree: ObjectId,
}

/// Why the tip of the tracking ref cannot be read: the cache is damaged (the `Display` text is
/// the `detail` of the error or warning that says so).
#[derive(Debug, thiserror::Error)]
enum TipError {
    #[error("{0:#}")]
    FindRef(#[source] gix::Error),
    #[error("{0:#}")]
    PeelToCommit(#[source] gix::Error),
    #[error("{0:#}")]
    CommitTree(#[source] gix::Error),
    #[error("{0:#}")]
    MissingTree(#[source] gix::Error),
}

impl Factory {
    /// Open the cache of `config`, cloning or fetching first as `opts.mode` and the TTL say.
    pub fn open(config: &FactoryConfig, opts: &CacheOptions) -> Result<Self, CacheError> {
        let git_dir = opts.root.join(config.url.cache_rel_dir());
        let url = config.url.to_string();
        let started = SystemTime::now();
        match open_valid(&git_dir, &config.branch) {
            // Offline, or fresh enough: no lock, no network.
            Ok(opened)
                if opts.mode == FetchMode::Offline
                    || (opts.mode == FetchMode::Auto && !is_stale(&git_dir, config.cache_ttl)) =>
            {
                return Ok(Self::assemble(
                    config,
                    opts,
                    git_dir,
                    opened,
                    CacheEvent::Used,
                    false,
                    Vec::new(),
                ));
            }
            Err(why) if opts.mode == FetchMode::Offline => {
                return Err(match why {
                    Unusable::Missing => CacheError::OfflineNoCache { url },
                    Unusable::NoBranch => CacheError::NoBranch { url, branch: config.branch.clone() },
                    Unusable::Corrupt(detail) => CacheError::OfflineCorrupt { path: git_dir, detail },
                });
            }
            _ => {}
        }
        let mut warnings = Vec::new();
        let (repo, event) = update_locked(&git_dir, config, opts, started, &mut warnings)?;
        let (tip, tree) = match read_tip(&repo, &config.branch) {
            Ok(Some(t)) => t,
            Ok(None) => return Err(CacheError::NoBranch { url, branch: config.branch.clone() }),
            Err(e) => return Err(CacheError::Git { path: git_dir, detail: e.to_string() }),
        };
        let fetched = !matches!(event, CacheEvent::Used);
        let factory =
            Self::assemble(config, opts, git_dir, Opened { repo, tip, tree }, event, fetched, warnings);
        if matches!(event, CacheEvent::Cloned | CacheEvent::Recloned | CacheEvent::Fetched { .. }) {
            // the network was paid for already; the first read after it should be fast
            factory.build_index();
        }
        Ok(factory)
    }

    fn assemble(
        config: &FactoryConfig,
        opts: &CacheOptions,
        git_dir: PathBuf,
        Opened { repo, tip, tree }: Opened,
        event: CacheEvent,
        fetched: bool,
        warnings: Vec<CacheWarning>,
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
}

/// Under the cache lock: fetch (falling back to the stale cache when the network fails), clone
/// when there is no cache, re-clone a damaged one, or use what another process fetched since
/// `started`.
fn update_locked(
    git_dir: &Path,
    config: &FactoryConfig,
    opts: &CacheOptions,
    started: SystemTime,
    warnings: &mut Vec<CacheWarning>,
) -> Result<(gix::Repository, CacheEvent), CacheError> {
    let _lock = lock_cache(git_dir)?;
    // Another process may have cloned or fetched while we waited for the lock.
    let existing = open_valid(git_dir, &config.branch);
    let updated_meanwhile = stamp_time(git_dir).is_some_and(|t| t >= started);
    let reopen = || gix::open(git_dir).map_err(|e| git_err(git_dir, e));
    Ok(match existing {
        Ok(opened) if updated_meanwhile => (opened.repo, CacheEvent::Used),
        Ok(_) | Err(Unusable::NoBranch) => match fetch(git_dir, config, opts) {
            Ok(changed) => {
                write_stamp(git_dir)?;
                (reopen()?, CacheEvent::Fetched { changed })
            }
            Err(CacheError::Network { detail, .. }) => {
                let age = stamp_time(git_dir)
                    .and_then(|t| SystemTime::now().duration_since(t).ok())
                    .map(human_age)
                    .unwrap_or_else(|| "at an unknown time".to_string());
                warnings.push(CacheWarning::Stale { url: config.url.to_string(), detail, age });
                (reopen()?, CacheEvent::Stale)
            }
            Err(e) => return Err(e),
        },
        Err(Unusable::Missing) => (clone_into_place(git_dir, config, opts)?, CacheEvent::Cloned),
        Err(Unusable::Corrupt(detail)) => {
            warnings.push(CacheWarning::Recloned { path: git_dir.to_path_buf(), detail });
            (clone_into_place(git_dir, config, opts)?, CacheEvent::Recloned)
        }
    })
}

/// Open the cache and read the branch tip, classifying why it cannot be used.
fn open_valid(git_dir: &Path, branch: &str) -> Result<Opened, Unusable> {
    if !git_dir.exists() {
        return Err(Unusable::Missing);
    }
    let repo = gix::open(git_dir).map_err(|e| Unusable::Corrupt(format!("{e:#}")))?;
    match read_tip(&repo, branch) {
        Ok(Some((tip, tree))) => Ok(Opened { repo, tip, tree }),
        Ok(None) => Err(Unusable::NoBranch),
        Err(e) => Err(Unusable::Corrupt(e.to_string())),
    }
}

/// The tip commit and its tree; None when the tracking ref does not exist.
fn read_tip(repo: &gix::Repository, branch: &str) -> Result<Option<(ObjectId, ObjectId)>, TipError> {
    let name = format!("refs/remotes/origin/{branch}");
    let Some(mut reference) = repo.try_find_reference(name.as_str()).map_err(TipError::FindRef)? else {
        return Ok(None);
    };
    let commit = reference.peel_to_commit().map_err(TipError::PeelToCommit)?;
    let tree = commit.tree_id().map_err(TipError::CommitTree)?.detach();
    // Reading the root tree proves the pack holds more than the commit.
    repo.find_tree(tree).map_err(TipError::MissingTree)?;
    Ok(Some((commit.id, tree)))
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

/// Clone into a scratch directory beside `git_dir` and rename it into place (replacing a damaged
/// cache). Must be called with the cache lock held.
fn clone_into_place(
    git_dir: &Path,
    config: &FactoryConfig,
    opts: &CacheOptions,
) -> Result<gix::Repository, CacheError> {
    let scratch = scratch_dir(git_dir);
    // Whatever is here was left by an agb killed while cloning (or deleting a replaced cache):
    // the scratch directory is only used under the lock this process now holds.
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(&scratch).map_err(|source| CacheError::Io { path: scratch.clone(), source })?;
    let cloned = clone_in(&scratch, git_dir, config, opts);
    // Done or failed, nothing in it is needed any more (a replaced cache went there to be deleted).
    let _ = fs::remove_dir_all(&scratch);
    cloned
}

/// The directory where a clone of `git_dir` is assembled, and where a cache it replaces is
/// deleted: `<name>.scratch` beside `<name>.lock`. One per cache, so removing what a killed agb
/// left there never touches another cache's clone in progress.
fn scratch_dir(git_dir: &Path) -> PathBuf {
    let mut name = git_dir.file_name().expect("a cache dir has a name").to_os_string();
    name.push(".scratch");
    git_dir.with_file_name(name)
}

/// The clone itself, assembled in `scratch` then renamed to `git_dir`.
fn clone_in(
    scratch: &Path,
    git_dir: &Path,
    config: &FactoryConfig,
    opts: &CacheOptions,
) -> Result<gix::Repository, CacheError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| CacheError::Io { path, source }
    };
    let tmp = scratch.join("clone");
    let url = config.url.to_string();
    let progress = crate::factory::progress::Reporter::start(format!("cloning {url}"), opts.progress);
    let interrupt = AtomicBool::new(false);
    let token = opts.github_token.clone();
    let auth_config = config.clone();
    let (http_url, timeout) = (url.clone(), config.timeout);
    // no repository config yet: the user's global `core.sshCommand` is read from git's files
    let globals = gix::config::File::from_globals().ok();
    let configured = globals.as_ref().and_then(|g| g.string("core.sshCommand")).map(|c| c.to_string());
    let ssh = batch_ssh(config, opts, configured.as_deref(), scratch)?;
    let result = (|| -> gix::Result<()> {
        let mut prepare = gix::prepare_clone_bare(config.url.as_git_url(), &tmp)?;
        if let Some((ssh, _)) = &ssh {
            // in memory only: the cache's config file does not keep it
            prepare = prepare.with_in_memory_config_overrides([format!("core.sshCommand={ssh}")]);
        }
        let (_repo, _outcome) = prepare
            .configure_remote(|r| r.with_refspecs(Some(TRACKING_REFSPEC), Direction::Fetch))
            .configure_connection(move |conn| {
                let repo = conn.remote().repo().clone();
                if let Some(options) = super::http::transport_options(&repo, &http_url, timeout)? {
                    conn.set_transport_options(options);
                }
                if let Some(auth) = authenticate(&repo, &auth_config, token.clone()) {
                    conn.set_credentials(auth);
                }
                Ok(())
            })
            .fetch_only(progress.gix(), &interrupt)?;
        Ok(())
    })();
    progress.finish();
    let ssh_said = ssh.as_ref().map(|(_, log)| log.text());
    result.map_err(|e| classify(&e, &url, ssh_said.as_deref()).without_cache())?;
    write_stamp(&tmp)?;
    if git_dir.exists() {
        // Out of the way in one rename; deleted with the scratch directory.
        fs::rename(git_dir, scratch.join("replaced")).map_err(io(git_dir))?;
    }
    fs::rename(&tmp, git_dir).map_err(io(git_dir))?;
    gix::open(git_dir).map_err(|e| git_err(git_dir, e))
}
