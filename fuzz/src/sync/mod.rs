//! Mirror of `agb::sync`, holding only the description patcher.

#[path = "../../../src/sync/patch/mod.rs"]
pub mod patch;
