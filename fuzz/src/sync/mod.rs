//! Mirror of `agb::sync`, holding only the description patcher.

#[path = "../../../src/sync/patch.rs"]
pub mod patch;
