//! `agb factory import`: write one module version's files into a directory. Planned first
//! (which files, fresh directory or overwrite), then applied: into a fresh or empty DEST the
//! files are written to a temp directory beside it that is renamed into place (all or nothing);
//! with `--force` into a non-empty DEST each file is replaced atomically. Never outside DEST,
//! executable bits kept, symlinks in the factory refused.

use std::path::{Path, PathBuf};

use super::cache::{CacheError, Factory, FileEntry};
use crate::fsutil::{self, FsError};

/// Errors of this module.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ImportError {
    #[error("{dest} is not empty")]
    #[diagnostic(
        code(agb::factory::import::not_empty),
        help("choose an empty or new directory, or pass --force to overwrite files there")
    )]
    NotEmpty { dest: PathBuf },
    #[error("{dest} exists and is not a directory")]
    #[diagnostic(code(agb::factory::import::not_a_dir), help("give a directory path as DEST"))]
    NotADir { dest: PathBuf },
    #[error("the module version contains a symlink ({path}); agb does not import links")]
    #[diagnostic(
        code(agb::factory::import::symlink),
        help("replace the link in the factory with a regular file")
    )]
    Symlink { path: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Fs(#[from] FsError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Cache(#[from] CacheError),
}

/// How the files reach DEST.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    /// DEST does not exist or is empty: build beside it and rename into place.
    Fresh,
    /// DEST has files and `--force` was given: replace file by file, atomically each.
    Overwrite,
}

/// What an import will write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportPlan {
    pub dest: PathBuf,
    pub mode: ImportMode,
    pub files: Vec<FileEntry>,
}

/// Plan the import of `files` into `dest` (no side effects).
pub fn plan_import(dest: &Path, files: Vec<FileEntry>, force: bool) -> Result<ImportPlan, ImportError> {
    if let Some(link) = files.iter().find(|f| f.symlink) {
        return Err(ImportError::Symlink { path: link.path.clone() });
    }
    for f in &files {
        fsutil::join_inside(dest, &f.path)?;
    }
    let mode = match std::fs::symlink_metadata(dest) {
        Err(_) => ImportMode::Fresh,
        Ok(meta) if !meta.is_dir() => return Err(ImportError::NotADir { dest: dest.to_path_buf() }),
        Ok(_) => {
            let empty = std::fs::read_dir(dest)
                .map_err(|source| FsError::Read { path: dest.to_path_buf(), source })?
                .next()
                .is_none();
            match (empty, force) {
                (true, _) => ImportMode::Fresh,
                (false, true) => ImportMode::Overwrite,
                (false, false) => return Err(ImportError::NotEmpty { dest: dest.to_path_buf() }),
            }
        }
    };
    if mode == ImportMode::Overwrite {
        // Refuse before writing anything: a link inside DEST must not leave half an import.
        for f in &files {
            fsutil::ensure_no_symlink_escape(dest, &fsutil::join_inside(dest, &f.path)?)?;
        }
    }
    Ok(ImportPlan { dest: dest.to_path_buf(), mode, files })
}

/// Write the planned files, reading their blobs from the factory.
pub fn apply_import(f: &Factory, plan: &ImportPlan) -> Result<(), ImportError> {
    match plan.mode {
        ImportMode::Overwrite => {
            for file in &plan.files {
                let path = fsutil::join_inside(&plan.dest, &file.path)?;
                fsutil::ensure_no_symlink_escape(&plan.dest, &path)?;
                let bytes = f.read_blob(file.oid)?;
                fsutil::write_atomic(&path, &bytes)?;
                set_mode(&path, file.executable)?;
            }
            Ok(())
        }
        ImportMode::Fresh => {
            let parent = match plan.dest.parent().filter(|p| !p.as_os_str().is_empty()) {
                Some(p) => p.to_path_buf(),
                None => PathBuf::from("."),
            };
            let write_err = |path: &Path| {
                let path = path.to_path_buf();
                move |source| crate::fsutil::mkdir_error(path, source)
            };
            std::fs::create_dir_all(&parent).map_err(write_err(&parent))?;
            // What an import killed here left (a half-written module, hidden) goes first.
            fsutil::remove_stale_temp_dirs(&parent);
            let tmp = fsutil::temp_dir_in(&parent).map_err(write_err(&parent))?;
            for file in &plan.files {
                let path = fsutil::join_inside(tmp.path(), &file.path)?;
                let bytes = f.read_blob(file.oid)?;
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(write_err(dir))?;
                }
                std::fs::write(&path, &bytes).map_err(write_err(&path))?;
                set_mode(&path, file.executable)?;
            }
            set_dir_mode(tmp.path())?;
            if plan.dest.is_dir() {
                // Empty (checked by the plan): replace it by the finished directory.
                std::fs::remove_dir(&plan.dest).map_err(write_err(&plan.dest))?;
            }
            let tmp_path = tmp.keep();
            if let Err(source) = std::fs::rename(&tmp_path, &plan.dest) {
                let _ = std::fs::remove_dir_all(&tmp_path);
                return Err(FsError::Write { path: plan.dest.clone(), source }.into());
            }
            Ok(())
        }
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, executable: bool) -> Result<(), FsError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = if executable { 0o755 } else { 0o644 };
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|source| FsError::Write { path: path.to_path_buf(), source })
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _executable: bool) -> Result<(), FsError> {
    Ok(())
}

/// A temp dir is created 0700; the imported directory gets the usual 0755.
#[cfg(unix)]
fn set_dir_mode(path: &Path) -> Result<(), FsError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .map_err(|source| FsError::Write { path: path.to_path_buf(), source })
}

#[cfg(not(unix))]
fn set_dir_mode(_path: &Path) -> Result<(), FsError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str) -> FileEntry {
        FileEntry {
            path: path.to_string(),
            oid: gix::ObjectId::null(gix::hash::Kind::Sha1),
            executable: false,
            symlink: false,
        }
    }

    #[test]
    fn plan_refuses_non_empty_without_force() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x"), "").unwrap();
        assert!(matches!(
            plan_import(dir.path(), vec![entry("a")], false),
            Err(ImportError::NotEmpty { .. })
        ));
        assert_eq!(plan_import(dir.path(), vec![entry("a")], true).unwrap().mode, ImportMode::Overwrite);
        let new = dir.path().join("new");
        assert_eq!(plan_import(&new, vec![entry("a")], false).unwrap().mode, ImportMode::Fresh);
        assert!(matches!(
            plan_import(&dir.path().join("x"), vec![entry("a")], true),
            Err(ImportError::NotADir { .. })
        ));
    }

    #[test]
    fn plan_refuses_escapes_and_links() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("d");
        assert!(matches!(plan_import(&d, vec![entry("../evil")], false), Err(ImportError::Fs(_))));
        let mut link = entry("l");
        link.symlink = true;
        assert!(matches!(plan_import(&d, vec![link], false), Err(ImportError::Symlink { .. })));
    }
}
