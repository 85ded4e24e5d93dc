//! agb — Agents Builder.
//!
//! Two jobs in one engine, usable without the CLI:
//! - agent resources: [`source`] scans a source repository, [`targets`] renders and parses each
//!   agent's own formats, [`outputs`] writes a project's outputs, [`sync`] carries edits back;
//! - module factory: [`factory`] reads a team's Terraform module repository through a cached bare
//!   clone (gix) and publishes new versions as a pushed branch.
//!
//! The CLI ([`cli`]) is a thin layer: one file per command, printing and `--json` only there.
//! The layers and what each may import are in `docs/architecture.md`.
//!
//! # Supported API
//!
//! What a Rust user of the crate calls, and what stays stable across versions:
//! - [`config::Config::load`] reads an `agb.yaml`;
//! - [`ops`]: [`ops::build_project`] → [`ops::BuildReport`], [`ops::sync_project`] →
//!   [`ops::SyncReport`], [`ops::status()`] → [`ops::Status`], [`ops::list_resources`] →
//!   [`ops::Listing`], [`ops::init_project`] → [`ops::InitReport`], with their options,
//!   [`ops::Mode`], [`ops::Progress`] and [`ops::OpsError`];
//! - [`factory`] for the module factory (see its module docs for the entry points);
//! - [`error::Exit`] and [`error::exit_for_report`] to map an error to agb's exit codes.
//!
//! The other modules are `pub` so that the integration tests (`tests/`), the fuzz targets
//! (`fuzz/`) and the CLI can reach the engine's parts (the scanner, the target renderers and
//! parsers, the frontmatter patcher, the planners); their items may change in any release.

pub mod adopt;
pub mod cli;
pub mod config;
pub mod error;
pub mod exclude;
pub mod factory;
pub mod fsutil;
pub mod manifest;
pub mod names;
pub mod ops;
pub mod outputs;
pub mod source;
pub mod suggest;
pub mod sync;
pub mod targets;
pub mod text;
