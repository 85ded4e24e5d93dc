//! agb — Agents Builder.
//!
//! Two jobs in one engine, usable without the CLI:
//! - agent resources: [`source`] scans a source repository, [`targets`] renders and parses each
//!   agent's own formats, [`outputs`] writes a project's outputs, [`sync`] carries edits back;
//! - module factory: [`factory`] reads a team's Terraform module repository through a cached bare
//!   clone (gix) and publishes new versions as a pushed branch.
//!
//! The CLI ([`cli`]) is a thin layer: one file per command, printing and `--json` only there.

pub mod cli;
pub mod config;
pub mod error;
pub mod exclude;
pub mod factory;
pub mod fsutil;
pub mod manifest;
pub mod names;
pub mod outputs;
pub mod source;
pub mod suggest;
pub mod sync;
pub mod targets;
pub mod text;
