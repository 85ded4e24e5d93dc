//! Test support for `agb factory compare` and `validate`: local copies of fixture module
//! versions to edit, and an agb.yaml naming the demo factory. Builds on the factory helper's
//! support (isolated environment, bare repositories from `fixtures/factory/`).

use std::path::{Path, PathBuf};

pub use super::factory::{self, TestEnv};

/// The GitHub `owner/name` the demo factory is configured as, so github.com source forms count.
pub const REPOSITORY: &str = "acme/cloud_iac_factory";

/// An isolated environment with the demo factory as a bare repository, and an agb.yaml in the
/// work directory naming it by URL and by `repository`.
pub fn env_with_factory() -> (TestEnv, PathBuf) {
    let env = TestEnv::new();
    let bare = factory::demo_factory(env.path());
    env.write_agb_yaml(&format!(
        "source: .\ntarget: claude-code\nfactory:\n  repository: {REPOSITORY}\n  url: {}\n",
        bare.display()
    ));
    (env, bare)
}

/// Copy fixture `modules/<module>/v<version>` to `<work>/<dest>` (what `import` would write).
pub fn local_copy(env: &TestEnv, module: &str, version: &str, dest: &str) -> PathBuf {
    let from = factory::fixture_dir().join(format!("modules/{module}/v{version}"));
    let to = env.work().join(dest);
    factory::copy_tree(&from, &to);
    to
}

/// Rewrite every file under `dir` with CRLF line endings (an editor on Windows).
pub fn to_crlf(dir: &Path) {
    for e in walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file())
    {
        let text = std::fs::read_to_string(e.path()).expect("text fixture");
        std::fs::write(e.path(), text.replace("\r\n", "\n").replace('\n', "\r\n")).expect("write");
    }
}

/// Append `text` to `dir/file`.
pub fn append(dir: &Path, file: &str, text: &str) {
    let p = dir.join(file);
    let mut s = std::fs::read_to_string(&p).unwrap_or_default();
    s.push_str(text);
    std::fs::write(p, s).expect("write");
}

/// Replace `from` by `to` in `dir/file` (the fixture must contain `from`).
pub fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let p = dir.join(file);
    let s = std::fs::read_to_string(&p).expect("read");
    assert!(s.contains(from), "{file} lacks {from:?}");
    std::fs::write(p, s.replace(from, to)).expect("write");
}

/// stdout of a finished command as JSON.
pub fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", String::from_utf8_lossy(&output.stdout)))
}
