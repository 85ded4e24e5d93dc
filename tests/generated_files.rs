//! The shell completions in `completions/` and the man pages in `man/` are generated from the
//! same clap definition the parser uses and committed. This test fails when they are stale.
//! To refresh them: `UPDATE_GENERATED=1 cargo test --test generated_files`.

use std::path::{Path, PathBuf};

use agb::cli::completions::{completion_file_name, completion_script};
use agb::cli::man::man_pages;
use clap_complete::Shell;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn expected_files() -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell, Shell::Elvish] {
        files.push((
            repo().join("completions").join(completion_file_name(shell)),
            completion_script(shell).into_bytes(),
        ));
    }
    for (name, bytes) in man_pages() {
        files.push((repo().join("man").join(name), bytes));
    }
    files
}

fn listed(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn completions_and_man_pages_are_fresh() {
    let expected = expected_files();
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        for dir in ["completions", "man"] {
            for stale in listed(&repo().join(dir)) {
                std::fs::remove_file(stale).unwrap();
            }
        }
        for (path, bytes) in &expected {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        return;
    }
    let mut stale = Vec::new();
    for (path, bytes) in &expected {
        if std::fs::read(path).ok().as_deref() != Some(bytes.as_slice()) {
            stale.push(path.display().to_string());
        }
    }
    let mut wanted: Vec<PathBuf> = expected.iter().map(|(p, _)| p.clone()).collect();
    wanted.sort();
    for dir in ["completions", "man"] {
        for file in listed(&repo().join(dir)) {
            if !wanted.contains(&file) {
                stale.push(format!("{} (no longer generated)", file.display()));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "generated files are stale: {stale:#?}\nrefresh with: UPDATE_GENERATED=1 cargo test --test generated_files"
    );
}

#[test]
fn man_pages_cover_every_subcommand() {
    let names: Vec<String> = man_pages().into_iter().map(|(n, _)| n).collect();
    for expected in ["agb.1", "agb-build.1", "agb-sync.1", "agb-factory-check.1", "agb-publish.1"] {
        assert!(names.iter().any(|n| n == expected), "missing {expected} in {names:?}");
    }
}
