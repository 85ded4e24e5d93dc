//! The freshness stamp (`agb-last-fetch` in the git dir): its modified time is the last
//! successful clone/fetch, which the TTL is measured against.
//!
//! Not here: deciding to fetch (`open.rs`).

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use super::{CacheError, STAMP_FILE};

pub(super) fn stamp_time(git_dir: &Path) -> Option<SystemTime> {
    fs::metadata(git_dir.join(STAMP_FILE)).and_then(|m| m.modified()).ok()
}

pub(super) fn is_stale(git_dir: &Path, ttl: Duration) -> bool {
    match stamp_time(git_dir) {
        // A stamp from the future (clock change) counts as stale too.
        Some(t) => SystemTime::now().duration_since(t).map_or(true, |age| age >= ttl),
        None => true,
    }
}

pub(super) fn write_stamp(git_dir: &Path) -> Result<(), CacheError> {
    let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let path = git_dir.join(STAMP_FILE);
    crate::fsutil::write_atomic(&path, format!("{now}\n").as_bytes())
        .map_err(|e| CacheError::Io { path, source: std::io::Error::other(e.to_string()) })
}

/// Make the next read of the cache at `git_dir` fetch, whatever the TTL.
pub fn mark_stale(git_dir: &Path) -> Result<(), CacheError> {
    match fs::remove_file(git_dir.join(STAMP_FILE)) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(CacheError::Io { path: git_dir.join(STAMP_FILE), source }),
    }
}

/// "3 minutes ago" style age for the stale-cache warning.
pub fn human_age(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..=59 => format!("{s} seconds ago"),
        60..=3599 => format!("{} minutes ago", s / 60),
        3600..=86_399 => format!("{} hours ago", s / 3600),
        _ => format!("{} days ago", s / 86_400),
    }
}
