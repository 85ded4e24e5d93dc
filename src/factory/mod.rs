//! The module factory, read side (SPEC §2.1–2.4): a team's Terraform module repository read
//! through a cached bare gix clone, never a work tree or a REST API.
//!
//! # API overview (for compare, validate, publish)
//! ```text
//! let cfg  = config::resolve(flag, &cwd, Some(&agb_yaml), config::user_config_path().as_deref())?;
//! let opts = cache::CacheOptions::from_env(FetchMode::Auto, /*progress*/ true)?; // AGB_CACHE_DIR, GITHUB_TOKEN
//! let mut f = Factory::open(&cfg, &opts)?;        // clone/fetch per TTL, lock, stale fallback
//! for w in f.take_warnings() { global.warn(w) }   // stale cache, re-clone, catalog mismatch
//! let spec = ModuleSpec::parse("aws/networking/vpc@1.2.0")?;
//! match f.resolve(&spec)? { Resolution::Found { module, version, latest, versions } => …,
//!                           Resolution::NoSuchVersion { closest, .. } | NoSuchModule { closest, .. } => … }
//! f.version_files(&module, &version)?   // Option<Vec<FileEntry { path, oid, executable, symlink }>>, sorted
//! f.read_blob(oid)? / f.read_path("catalog.json")? / f.metadata_bytes(&m, &v)?
//! f.catalog()? (catalog::Catalog, keeps unknown keys) / f.module_index()? (tree truth) / f.module_versions(&m)?
//! f.commit() (tip ObjectId) / f.tree_id() / f.repo() (gix::Repository) / f.git_dir() / f.remote_url()
//! f.tracking_ref() ("refs/remotes/origin/<branch>") / f.config().branch
//! f.ensure_fetched()? (publish: at most one fetch per process) / f.mark_stale()? / f.browse_url(path)
//! ```
//! Errors are per module (`CacheError`, `ConfigError`, `ModuleError`, `CatalogError`) with codes
//! that map to exit codes (network/auth → 4, usage → 2).
//!
//! From the CLI, `cli::factory::FactoryArgs::open(&global)` does the config + open + warnings in
//! one call. Decisions where the spec is silent are in `docs/factory.md`.
//!
//! Modules: [`config`] (which factory), [`url`] (URL forms, cache dir, web links), [`cache`]
//! (clone/fetch/lock/TTL and reads), [`progress`] (clone/fetch spinner fed by gix),
//! [`catalog`] (catalog.json, tree index, consistency), [`module`] (validated names),
//! [`suggest`] ("did you mean"), [`lint`], [`import`], [`local_module`] (the directory compare and
//! publish read); [`compare`], [`bump`], [`validate`] and [`publish`] build on them.

pub mod bump;
pub mod cache;
pub mod catalog;
pub mod compare;
pub mod config;
pub mod import;
pub mod lint;
pub mod local_module;
pub mod module;
pub mod progress;
pub mod publish;
pub mod suggest;
pub mod tree_path;
pub mod url;
pub mod validate;

pub use cache::{
    CacheError, CacheEvent, CacheOptions, CacheWarning, Factory, FetchMode, FileEntry, Resolution,
};
pub use catalog::{Catalog, CatalogEntry, Mismatch, ModuleIndex};
pub use config::{FactoryConfig, Origin};
pub use module::{ModulePath, ModuleSpec};
pub use url::FactoryUrl;
