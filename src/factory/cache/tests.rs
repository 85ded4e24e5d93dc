use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use semver::Version;

use super::fetch::token_callback;
use super::stamp::{human_age, is_stale, mark_stale, write_stamp};
use super::*;
use crate::factory::config::{FactoryConfig, Origin};
use crate::factory::module::ModulePath;
use crate::factory::url::FactoryUrl;

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
    let url = FactoryUrl::parse(bare.to_str().unwrap(), Path::new("/")).unwrap();
    FactoryConfig {
        url,
        repository: None,
        branch: "main".into(),
        catalog_path: "catalog.json".into(),
        modules_path: "modules".into(),
        patterns_path: "patterns".into(),
        cache_ttl: Duration::from_secs(300),
        forge: None,
        timeout: None,
        origin: Origin::Flag,
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
        batch_ssh: true,
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
    let files =
        f.version_files(&ModulePath::new("aws/net/vpc").unwrap(), &Version::new(1, 0, 0)).unwrap().unwrap();
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
