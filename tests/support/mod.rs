//! The one harness every integration test uses: a [`Sandbox`] (a temp dir that is the whole
//! world of a test's commands: HOME, XDG dirs, agb's cache, an empty global git config, a git
//! identity, and nothing of the developer's environment), file helpers, and per-area helpers.
//!
//! Include with `mod support;` and use `support::<area>::…`. Every test binary compiles all of
//! it and uses a part, hence the `allow`.
//!
//! Not here: assertions about agb's behaviour (they stay in the test files).
#![allow(dead_code, unused_imports)]

pub mod build;
pub mod compare;
pub mod factory;
pub mod files;
pub mod publish;
mod sandbox;
pub mod strategies;
pub mod sync;

pub use files::{copy_tree, read, write};
pub use sandbox::{fixture, isolate_tool, Sandbox, GIT_IDENTITY};

/// Run `cmd`, assert its exit code, and return its stdout as JSON (it must be one document).
pub fn json_stdout(cmd: &mut assert_cmd::Command, code: i32) -> serde_json::Value {
    let out = cmd.assert().code(code).get_output().stdout.clone();
    serde_json::from_slice(&out).unwrap_or_else(|e| {
        panic!("stdout is not one JSON document ({e}): {}", String::from_utf8_lossy(&out))
    })
}
