//! File helpers: write, read, copy a tree, snapshot a tree (bytes and mtimes), and make mtimes
//! say something without sleeping.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// Write `text` at `path`, creating its parents.
pub fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
    fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

pub fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Copy a directory tree: directories and regular files (with their permission bits).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let dest = to.join(entry.path().strip_prefix(from).expect("under root"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).expect("mkdir");
        } else if entry.file_type().is_file() {
            fs::copy(entry.path(), &dest).expect("copy (keeps permissions)");
        }
    }
}

/// Every regular file under `dir` (relative path → bytes and mtime), and every directory
/// (relative path → None), so a snapshot shows added, removed and rewritten entries.
pub type Tree = BTreeMap<String, Option<(Vec<u8>, SystemTime)>>;

/// `.agb/stat-index` is left out: it is agb's cache of the manifest's stats, written whenever a
/// command finds it missing or stale (as git refreshes its index), not an output or an edit.
pub fn snapshot(dir: &Path) -> Tree {
    let mut tree = Tree::new();
    if !dir.exists() {
        return tree;
    }
    for entry in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
        if rel == ".agb/stat-index" || rel.ends_with("/.agb/stat-index") {
            continue;
        }
        if entry.file_type().is_file() {
            let meta = entry.metadata().unwrap();
            tree.insert(rel, Some((fs::read(entry.path()).unwrap(), meta.modified().unwrap())));
        } else {
            tree.insert(rel, None);
        }
    }
    tree
}

/// The relative paths of the regular files under `dir`, sorted.
pub fn files(dir: &Path) -> Vec<String> {
    snapshot(dir).into_iter().filter(|(_, v)| v.is_some()).map(|(k, _)| k).collect()
}

/// A moment long past: files set to it get a new mtime from any later write, however coarse
/// the file system's clock.
pub fn long_ago() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000)
}

/// Set the mtime of `path` (a regular file; a symlink's target).
pub fn set_mtime(path: &Path, when: SystemTime) {
    fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(when))
        .unwrap_or_else(|e| panic!("set mtime of {}: {e}", path.display()));
}

/// Set every regular file under `dir` to [`long_ago`].
pub fn backdate_files(dir: &Path) {
    for entry in walkdir::WalkDir::new(dir).into_iter().map(|e| e.expect("walk")) {
        if entry.file_type().is_file() {
            set_mtime(entry.path(), long_ago());
        }
    }
}

/// Return once a file written now gets an mtime later than every mtime in `tree`: from then
/// on, a rewrite of any of its files shows as a changed mtime. (The file system's clock is
/// coarse; waiting on its state, not a fixed sleep, makes that hold on any machine.)
pub fn wait_for_newer_mtimes(tree: &Tree, scratch: &Path) {
    let newest = tree.values().flatten().map(|(_, mtime)| *mtime).max().unwrap_or(SystemTime::UNIX_EPOCH);
    let probe = scratch.join(".mtime-probe");
    loop {
        fs::write(&probe, "").expect("write probe");
        let now = fs::metadata(&probe).and_then(|m| m.modified()).expect("probe mtime");
        if now > newest {
            fs::remove_file(&probe).expect("remove probe");
            return;
        }
        std::thread::yield_now();
    }
}
