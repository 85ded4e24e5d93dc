//! File-system helpers shared by build, sync and the factory: atomic writes, streaming
//! SHA-256, and joining untrusted relative paths under a root without ever escaping it.
//!
//! Not here: deciding *what* to write (that is the plan of each command).

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

/// Errors of this module; each names the path involved.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum FsError {
    #[error("cannot read {path}")]
    #[diagnostic(code(agb::fs::read), help("check that the file exists and is readable"))]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot write {path}")]
    #[diagnostic(code(agb::fs::write), help("check permissions and free space on that file system"))]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("refusing path {path:?}: it leaves {root}")]
    #[diagnostic(
        code(agb::fs::unsafe_path),
        help("agb only writes inside the output root, the source's plugin directories and its cache; remove `..`, absolute paths or symlinks that lead elsewhere")
    )]
    Escapes { root: PathBuf, path: String },
}

/// Lowercase hex SHA-256 of a byte slice.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lowercase hex SHA-256 of a file, streamed in 256 KiB blocks so memory does not grow with it.
pub fn sha256_file(path: &Path) -> Result<String, FsError> {
    let read_err = |source| FsError::Read { path: path.to_path_buf(), source };
    let mut file = File::open(path).map_err(read_err)?;
    sha256_reader(&mut file).map_err(read_err)
}

fn sha256_reader(reader: &mut impl Read) -> io::Result<String> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

/// `create_dir_all`, but a `stat` first: most writes go to a directory that exists, and a
/// failing `mkdir` (EEXIST) costs far more than a `stat` on large builds.
fn ensure_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    fs::create_dir_all(dir)
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Write `bytes` to `path` atomically: a temp file in the same directory, fsync'd, renamed over
/// the target. Parent directories are created. A reader sees the old file or the new one, never
/// half of either; a killed process leaves at most a stray `.agb-tmp*` file, never a torn target.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    write_atomic_impl(path, bytes, true)
}

/// [`write_atomic`] without the fsync: still temp file + rename (a reader or a killed agb never
/// sees half a file), but a power loss right after may leave the old content. For outputs that a
/// re-run regenerates (build outputs), where an fsync per file (milliseconds each) would dominate
/// the build; ext4 and XFS flush a file replaced by rename before the rename anyway.
pub fn write_atomic_unsynced(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    write_atomic_impl(path, bytes, false)
}

fn write_atomic_impl(path: &Path, bytes: &[u8], sync: bool) -> Result<(), FsError> {
    let write_err = |source| FsError::Write { path: path.to_path_buf(), source };
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    ensure_dir(dir).map_err(write_err)?;
    let mut tmp = temp_builder().tempfile_in(dir).map_err(write_err)?;
    tmp.write_all(bytes).map_err(write_err)?;
    if sync {
        tmp.as_file().sync_data().map_err(write_err)?;
    }
    keep_permissions(path, tmp.path());
    tmp.persist(path).map_err(|e| write_err(e.error))?;
    Ok(())
}

/// Copy `from` to `to` atomically (temp file + rename), with `from`'s permission bits. The bytes
/// go through `std::io::copy` between two files, which on Linux is `copy_file_range` (in-kernel
/// copy, reflinks where the file system has them): the content is never held in memory.
pub fn copy_atomic(from: &Path, to: &Path) -> Result<(), FsError> {
    let write_err = |source| FsError::Write { path: to.to_path_buf(), source };
    let read_err = |source| FsError::Read { path: from.to_path_buf(), source };
    let dir = to.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    ensure_dir(dir).map_err(write_err)?;
    let mut src = File::open(from).map_err(read_err)?;
    let permissions = src.metadata().map_err(read_err)?.permissions();
    let mut tmp = temp_builder().tempfile_in(dir).map_err(write_err)?;
    io::copy(&mut src, tmp.as_file_mut()).map_err(read_err)?;
    tmp.as_file().set_permissions(permissions).map_err(write_err)?;
    tmp.persist(to).map_err(|e| write_err(e.error))?;
    Ok(())
}

/// [`copy_atomic`] that also returns the SHA-256 of the copy and its metadata, both read
/// through the temp file's own handle before the rename (the bytes just copied are in the page
/// cache; no second open, no path lookup). Used by build to hash extras while copying them.
pub fn copy_atomic_hashed(from: &Path, to: &Path) -> Result<(String, fs::Metadata), FsError> {
    use std::io::Seek;
    let write_err = |source| FsError::Write { path: to.to_path_buf(), source };
    let read_err = |source| FsError::Read { path: from.to_path_buf(), source };
    let dir = to.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    ensure_dir(dir).map_err(write_err)?;
    let mut src = File::open(from).map_err(read_err)?;
    let permissions = src.metadata().map_err(read_err)?.permissions();
    let mut tmp = temp_builder().tempfile_in(dir).map_err(write_err)?;
    io::copy(&mut src, tmp.as_file_mut()).map_err(read_err)?;
    tmp.as_file().set_permissions(permissions).map_err(write_err)?;
    tmp.as_file_mut().rewind().map_err(write_err)?;
    let sha256 = sha256_reader(tmp.as_file_mut()).map_err(write_err)?;
    let meta = tmp.as_file().metadata().map_err(write_err)?;
    tmp.persist(to).map_err(|e| write_err(e.error))?;
    Ok((sha256, meta))
}

/// Temp files for atomic writes: hidden, and created with the permissions a new file gets
/// (0666 minus the umask) rather than tempfile's private 0600, since they become user files.
fn temp_builder() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".agb-tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    builder
}

/// A file that is replaced keeps its permission bits (an executable script stays executable).
fn keep_permissions(existing: &Path, tmp: &Path) {
    if let Ok(meta) = fs::metadata(existing) {
        let _ = fs::set_permissions(tmp, meta.permissions());
    }
}

/// Check that `rel` is a plain relative path (no root, no `..`, no prefix) and return it joined
/// under `root`. This is a lexical check; use [`ensure_no_symlink_escape`] before writing.
pub fn join_inside(root: &Path, rel: &str) -> Result<PathBuf, FsError> {
    let escapes = || FsError::Escapes { root: root.to_path_buf(), path: rel.to_string() };
    let rel_path = Path::new(rel);
    if rel.is_empty() {
        return Err(escapes());
    }
    for c in rel_path.components() {
        match c {
            Component::Normal(_) | Component::CurDir => {}
            _ => return Err(escapes()),
        }
    }
    Ok(root.join(rel_path))
}

/// Refuse `path` if any existing component between `root` and it is a symlink: agb never follows
/// a link to read or write outside the roots it owns. `path` must start with `root`.
pub fn ensure_no_symlink_escape(root: &Path, path: &Path) -> Result<(), FsError> {
    let escapes = || FsError::Escapes { root: root.to_path_buf(), path: path.display().to_string() };
    let rel = path.strip_prefix(root).map_err(|_| escapes())?;
    let mut cur = root.to_path_buf();
    for c in rel.components() {
        match c {
            Component::Normal(part) => cur.push(part),
            Component::CurDir => continue,
            _ => return Err(escapes()),
        }
        match fs::symlink_metadata(&cur) {
            Ok(meta) if meta.file_type().is_symlink() => return Err(escapes()),
            Ok(_) => {}
            Err(_) => break, // does not exist yet: nothing below it can be a link
        }
    }
    Ok(())
}

/// `path` relative to `base`, with `/` separators (the form stored in manifests and shown to users).
/// `None` when `path` is not under `base` or a component is not UTF-8: a lossy name would point
/// at another file (`a\xff` and `a\xfe` would both read `a\u{fffd}`), so callers must refuse or
/// skip such a file by name, not use a replacement.
pub fn rel_slash(base: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(base).ok()?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

/// [`rel_slash`] with non-UTF-8 bytes replaced by U+FFFD: only for matching against globs (an
/// excluded file with such a name must not stop a command) and for messages, never as a path to
/// read, write or record.
pub fn rel_slash_lossy(base: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(base).ok()?;
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn rel_slash_refuses_names_that_are_not_utf8() {
        use std::os::unix::ffi::OsStrExt;
        let base = Path::new("/r");
        assert_eq!(rel_slash(base, Path::new("/r/a/b.md")).as_deref(), Some("a/b.md"));
        assert_eq!(rel_slash(base, Path::new("/elsewhere/b.md")), None);
        let bad = base.join(std::ffi::OsStr::from_bytes(b"a\xff")).join("b.md");
        assert_eq!(rel_slash(base, &bad), None);
        assert_eq!(rel_slash_lossy(base, &bad).as_deref(), Some("a\u{fffd}/b.md"));
    }

    #[test]
    fn sha256_known_value() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn sha256_file_streams_same_as_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        let data: Vec<u8> = (0..600_000u32).map(|i| (i % 251) as u8).collect();
        fs::write(&p, &data).unwrap();
        assert_eq!(sha256_file(&p).unwrap(), sha256_hex(&data));
    }

    #[test]
    fn write_atomic_creates_parents_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a/b/c.txt");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        let leftovers: Vec<_> = fs::read_dir(p.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temp file left behind");
    }

    #[test]
    fn copy_atomic_copies() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        fs::write(&a, b"data").unwrap();
        let b = dir.path().join("x/y/b");
        copy_atomic(&a, &b).unwrap();
        assert_eq!(fs::read(&b).unwrap(), b"data");
    }

    #[test]
    fn copy_atomic_hashed_returns_the_hash_of_the_copy() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let data: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();
        fs::write(&a, &data).unwrap();
        let b = dir.path().join("x/b");
        let (sha, meta) = copy_atomic_hashed(&a, &b).unwrap();
        assert_eq!(sha, sha256_hex(&data));
        assert_eq!(fs::read(&b).unwrap(), data);
        assert_eq!(meta.modified().unwrap(), fs::metadata(&b).unwrap().modified().unwrap());
    }

    #[cfg(unix)]
    #[test]
    fn new_files_get_ordinary_permissions_and_copies_keep_the_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("new.txt");
        write_atomic_unsynced(&p, b"x").unwrap();
        let mode = fs::metadata(&p).unwrap().permissions().mode();
        assert_eq!(mode & 0o044, 0o044, "readable by group and others (umask permitting): {mode:o}");
        let script = dir.path().join("run.sh");
        fs::write(&script, b"#!/bin/sh\n").unwrap();
        fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
        copy_atomic(&script, &dir.path().join("out/run.sh")).unwrap();
        let mode = fs::metadata(dir.path().join("out/run.sh")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o755);
    }

    #[test]
    fn join_inside_refuses_escapes() {
        let root = Path::new("/r");
        assert!(join_inside(root, "a/b").is_ok());
        assert!(join_inside(root, "../x").is_err());
        assert!(join_inside(root, "a/../../x").is_err());
        assert!(join_inside(root, "/etc/passwd").is_err());
        assert!(join_inside(root, "").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn symlink_component_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        let outside = dir.path().join("outside");
        fs::create_dir_all(&root).unwrap();
        fs::create_dir_all(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("link")).unwrap();
        assert!(ensure_no_symlink_escape(&root, &root.join("link/file")).is_err());
        assert!(ensure_no_symlink_escape(&root, &root.join("real/file")).is_ok());
    }
}
