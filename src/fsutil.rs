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
    #[error("cannot create the directory {path}: a file of that name is in the way")]
    #[diagnostic(
        code(agb::fs::not_a_directory),
        help("choose a path whose parent directories are directories, or move that file away")
    )]
    NotADirectory { path: PathBuf },
}

/// Lowercase hex SHA-256 of a byte slice.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lowercase hex SHA-256 of a file, streamed in 256 KiB blocks so memory does not grow with it.
pub fn sha256_file(path: &Path) -> Result<String, FsError> {
    let read_err = |source| FsError::Read { path: path.to_path_buf(), source };
    let mut file = File::open(path).map_err(read_err)?;
    // Through the thread's reused buffer: a fresh 256 KiB one per file was zeroed (and mapped
    // and unmapped) each time, a tenth of planning a build that hashes thousands of small files.
    let size = file.metadata().map_err(read_err)?.len();
    hash_blocks(&mut file, size, None).map_err(read_err)
}

/// `create_dir_all`, but a `stat` first: most writes go to a directory that exists, and a
/// failing `mkdir` (EEXIST) costs far more than a `stat` on large builds.
fn ensure_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    fs::create_dir_all(dir)
}

/// The error for a failed `create_dir_all(dir)`: a file standing where a directory must be is
/// named as such (the OS only says "File exists" or "Not a directory").
pub fn mkdir_error(dir: PathBuf, source: io::Error) -> FsError {
    match blocking_file(&dir) {
        Some(file) => FsError::NotADirectory { path: file },
        None => FsError::Write { path: dir, source },
    }
}

/// The nearest ancestor of `dir` (or `dir`) that exists and is not a directory: why
/// `create_dir_all` failed with "File exists" / "Not a directory".
fn blocking_file(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().find(|a| a.exists() && !a.is_dir()).map(Path::to_path_buf)
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

/// [`write_atomic`] of what `write` produces, streamed into the temp file through a buffer
/// instead of built in memory first (a large build's manifest is megabytes of JSON).
pub fn write_atomic_streamed(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), FsError> {
    write_atomic_streamed_impl(path, write, true)
}

/// [`write_atomic_streamed`] without the fsync, for a cache that is checked whole when read.
pub fn write_atomic_streamed_unsynced(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), FsError> {
    write_atomic_streamed_impl(path, write, false)
}

fn write_atomic_streamed_impl(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    sync: bool,
) -> Result<(), FsError> {
    let write_err = |source| FsError::Write { path: path.to_path_buf(), source };
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    ensure_dir(dir).map_err(write_err)?;
    let mut tmp = temp_builder().tempfile_in(dir).map_err(write_err)?;
    let mut out = io::BufWriter::with_capacity(256 * 1024, tmp.as_file_mut());
    write(&mut out).map_err(write_err)?;
    out.flush().map_err(write_err)?;
    drop(out);
    if sync {
        tmp.as_file().sync_data().map_err(write_err)?;
    }
    keep_permissions(path, tmp.path());
    tmp.persist(path).map_err(|e| write_err(e.error))?;
    Ok(())
}

fn write_atomic_impl(path: &Path, bytes: &[u8], sync: bool) -> Result<(), FsError> {
    let write_err = |source| FsError::Write { path: path.to_path_buf(), source };
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    ensure_dir(dir).map_err(|e| mkdir_error(dir.to_path_buf(), e))?;
    let mut tmp = temp_builder().tempfile_in(dir).map_err(write_err)?;
    tmp.write_all(bytes).map_err(write_err)?;
    if sync {
        tmp.as_file().sync_data().map_err(write_err)?;
    }
    keep_permissions(path, tmp.path());
    tmp.persist(path).map_err(|e| write_err(e.error))?;
    Ok(())
}

/// [`write_atomic_unsynced`] into a directory the caller has already created, returning the
/// written file's metadata (taken through its handle before the rename, which keeps it): a
/// build writes thousands of outputs into a few directories, created once beforehand.
pub fn write_atomic_into_existing_dir(path: &Path, bytes: &[u8]) -> Result<fs::Metadata, FsError> {
    let write_err = |source| FsError::Write { path: path.to_path_buf(), source };
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = temp_builder().tempfile_in(dir).map_err(write_err)?;
    tmp.write_all(bytes).map_err(write_err)?;
    keep_permissions(path, tmp.path());
    let meta = tmp.as_file().metadata().map_err(write_err)?;
    tmp.persist(path).map_err(|e| write_err(e.error))?;
    Ok(meta)
}

/// Create each of `dirs` (and its parents) unless it is a directory already: a build creates
/// its output directories once, before writing files into them in parallel.
pub fn create_dirs<'a>(dirs: impl IntoIterator<Item = &'a Path>) -> Result<(), FsError> {
    for dir in dirs {
        ensure_dir(dir).map_err(|source| FsError::Write { path: dir.to_path_buf(), source })?;
    }
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
    io::copy(&mut src, tmp.as_file_mut()).map_err(|e| copy_err(e, from, to))?;
    tmp.as_file().set_permissions(permissions).map_err(write_err)?;
    tmp.persist(to).map_err(|e| write_err(e.error))?;
    Ok(())
}

/// Copy `from` to `to` atomically (temp file + rename) and return the SHA-256 of the bytes
/// copied and the copy's metadata, reading `from` once. For a build's new and changed extras,
/// whose directory the caller has already created (no `stat` of it per file).
///
/// Where the file system shares extents (btrfs, XFS: `FICLONE`), the copy is a reflink and the
/// one read is the hashing; elsewhere (ext4, tmpfs) each block read is hashed and written from
/// the same buffer, which costs less than an in-kernel copy followed by reading the copy back
/// to hash it. The hash is of the bytes written, so a source changing meanwhile cannot make the
/// manifest lie about the copy.
pub fn copy_hashed_into_existing_dir(from: &Path, to: &Path) -> Result<(String, fs::Metadata), FsError> {
    let write_err = |source| FsError::Write { path: to.to_path_buf(), source };
    let read_err = |source| FsError::Read { path: from.to_path_buf(), source };
    let dir = to.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut src = File::open(from).map_err(read_err)?;
    let src_meta = src.metadata().map_err(read_err)?;
    let mut tmp = temp_builder().tempfile_in(dir).map_err(write_err)?;
    let sha256 = if reflink(&src, tmp.as_file()) {
        // Hash the clone, not the source: it is what the manifest describes.
        hash_blocks(tmp.as_file_mut(), src_meta.len(), None).map_err(write_err)?
    } else {
        hash_blocks(&mut src, src_meta.len(), Some(tmp.as_file_mut())).map_err(|e| copy_err(e, from, to))?
    };
    if !has_new_file_mode(&src_meta) {
        tmp.as_file().set_permissions(src_meta.permissions()).map_err(write_err)?;
    }
    let meta = tmp.as_file().metadata().map_err(write_err)?;
    tmp.persist(to).map_err(|e| write_err(e.error))?;
    Ok((sha256, meta))
}

/// Whether `meta`'s permission bits are those a temp file is created with (0666 minus the
/// umask), so that a copy needs no `fchmod` to get them: the usual case, one syscall per extra.
fn has_new_file_mode(meta: &fs::Metadata) -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::PermissionsExt;
        static UMASK: std::sync::OnceLock<Option<u32>> = std::sync::OnceLock::new();
        // Read, not set: `umask(2)` cannot be asked without changing it for every thread.
        let umask = UMASK.get_or_init(|| {
            let status = fs::read_to_string("/proc/self/status").ok()?;
            let line = status.lines().find_map(|l| l.strip_prefix("Umask:"))?;
            u32::from_str_radix(line.trim(), 8).ok()
        });
        umask.is_some_and(|u| meta.permissions().mode() & 0o7777 == 0o666 & !u)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = meta;
        false
    }
}

/// Whether this file system can share extents, asked once per process (the first copy) and
/// remembered: 0 = not asked yet, 1 = yes, 2 = no. A build's outputs all live on one file
/// system in practice; when a later clone fails anyway, that copy falls back to reading.
static REFLINK: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// Make `to` (empty) a reflink of `from`; false when the file system (or OS) cannot.
fn reflink(from: &File, to: &File) -> bool {
    use std::sync::atomic::Ordering;
    #[cfg(target_os = "linux")]
    {
        if REFLINK.load(Ordering::Relaxed) == 2 {
            return false;
        }
        let ok = rustix::fs::ioctl_ficlone(to, from).is_ok();
        if ok {
            REFLINK.store(1, Ordering::Relaxed);
        } else if REFLINK.load(Ordering::Relaxed) == 0 {
            REFLINK.store(2, Ordering::Relaxed);
        }
        ok
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (from, to);
        REFLINK.store(2, Ordering::Relaxed);
        false
    }
}

thread_local! {
    /// One copy/hash buffer per thread, reused for every file (a fresh 256 KiB buffer per file
    /// would be zeroed, and mapped and unmapped by the allocator, each time).
    static BUF: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0u8; 256 * 1024]);
}

/// Read `src` to its end, hashing each block and writing it to `dst` when there is one. `size`
/// is the size the source had when opened: a short read past it is taken as the end (a regular
/// file's read is short only there), which saves the final empty `read` per file.
fn hash_blocks(src: &mut File, size: u64, mut dst: Option<&mut File>) -> io::Result<String> {
    BUF.with_borrow_mut(|buf| {
        let mut hasher = Sha256::new();
        let mut total = 0u64;
        loop {
            let n = read_retrying(src, buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            if let Some(dst) = dst.as_deref_mut() {
                dst.write_all(&buf[..n])?;
            }
            total += n as u64;
            if n < buf.len() && total >= size {
                break;
            }
        }
        Ok(hex(&hasher.finalize()))
    })
}

fn read_retrying(src: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match src.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// An error of `io::copy` between two files, blamed on the side that failed. `copy_file_range`
/// reports both sides' errors alike; those only a write can cause (a full disk or quota, a file
/// too large, a read-only file system) name the destination, the rest the source.
fn copy_err(e: io::Error, from: &Path, to: &Path) -> FsError {
    const WRITE_SIDE: [i32; 4] =
        [28 /* ENOSPC */, 122 /* EDQUOT */, 27 /* EFBIG */, 30 /* EROFS */];
    let write_side = matches!(e.kind(), io::ErrorKind::StorageFull | io::ErrorKind::WriteZero)
        || e.raw_os_error().is_some_and(|c| cfg!(unix) && WRITE_SIDE.contains(&c));
    if write_side {
        FsError::Write { path: to.to_path_buf(), source: e }
    } else {
        FsError::Read { path: from.to_path_buf(), source: e }
    }
}

/// The prefix of every temp file agb writes: `.agb-tmp-<pid>-` then random characters. The pid
/// lets a later run tell a temp file of a killed agb (removed by [`remove_stale_temp_files`])
/// from one another agb is writing right now.
const TEMP_PREFIX: &str = ".agb-tmp-";

/// Temp files for atomic writes: hidden, and created with the permissions a new file gets
/// (0666 minus the umask) rather than tempfile's private 0600, since they become user files.
fn temp_builder() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(temp_prefix());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    builder
}

fn temp_prefix() -> &'static str {
    static PREFIX: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PREFIX.get_or_init(|| format!("{TEMP_PREFIX}{}-", std::process::id()))
}

/// Whether `name` is a temp file agb left behind and may remove: one of this format whose
/// process is gone, or one of the format before the pid was added (`.agb-tmp` + 6 characters).
fn is_stale_temp_name(name: &str, alive: impl Fn(u32) -> bool) -> bool {
    if let Some(rest) = name.strip_prefix(TEMP_PREFIX) {
        let Some((pid, random)) = rest.split_once('-') else { return false };
        let Ok(pid) = pid.parse::<u32>() else { return false };
        return !random.is_empty() && pid != std::process::id() && !alive(pid);
    }
    name.strip_prefix(".agb-tmp")
        .is_some_and(|r| r.len() == 6 && r.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn process_alive(pid: u32) -> bool {
    // Linux: /proc/<pid> exists while the process does. Elsewhere, assume alive: a stale temp
    // file is harmless, removing a live one breaks another agb's write.
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// Remove the temp files a killed agb left in `dir` (not below it). Best effort: a file that
/// cannot be removed stays; nothing else in `dir` is touched.
pub fn remove_stale_temp_files(dir: &Path) {
    remove_stale_temps(dir, false);
}

/// A temp directory in `dir` named like agb's temp files (`.agb-tmp-<pid>-…`), so that a later run
/// can tell one a killed agb left ([`remove_stale_temp_dirs`]) from one being filled right now.
pub fn temp_dir_in(dir: &Path) -> std::io::Result<tempfile::TempDir> {
    tempfile::Builder::new().prefix(temp_prefix()).tempdir_in(dir)
}

/// Remove the temp directories ([`temp_dir_in`]) a killed agb left in `dir`, with what they
/// hold. Best effort; links and files are never followed or removed here.
pub fn remove_stale_temp_dirs(dir: &Path) {
    remove_stale_temps(dir, true);
}

/// The temp files (or, with `dirs`, directories) of agb processes that are gone, in `dir`.
/// Directories only ever had the current name format, so one of the older format is the user's.
fn remove_stale_temps(dir: &Path, dirs: bool) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !is_stale_temp_name(name, process_alive) {
            continue;
        }
        match entry.file_type() {
            Ok(t) if !dirs && t.is_file() => {
                let _ = fs::remove_file(entry.path());
            }
            Ok(t) if dirs && t.is_dir() && name.starts_with(TEMP_PREFIX) => {
                let _ = fs::remove_dir_all(entry.path());
            }
            _ => {}
        }
    }
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
mod temp_name_tests {
    use super::*;

    #[test]
    fn only_agbs_own_dead_temp_files_are_stale() {
        let dead = |_| false;
        assert!(is_stale_temp_name(".agb-tmp-4242-AbC123", dead));
        assert!(is_stale_temp_name(".agb-tmpAbC123", dead), "the format before the pid");
        assert!(!is_stale_temp_name(".agb-tmp-4242-AbC123", |_| true), "a live process's");
        let own = format!(".agb-tmp-{}-AbC123", std::process::id());
        assert!(!is_stale_temp_name(&own, dead), "this process's own");
        for users in [".agb-tmp-notes-of-mine.txt", ".agb-tmpnotes.txt", "agb-tmp-1-x", ".agb-tmp-12-"] {
            assert!(!is_stale_temp_name(users, dead), "{users}");
        }
    }

    #[test]
    fn temp_files_carry_the_pid() {
        let dir = tempfile::tempdir().unwrap();
        let tmp = temp_builder().tempfile_in(dir.path()).unwrap();
        let name = tmp.path().file_name().unwrap().to_str().unwrap().to_string();
        assert!(name.starts_with(&format!(".agb-tmp-{}-", std::process::id())), "{name}");
    }
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
    fn write_atomic_streamed_writes_what_the_closure_writes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a/m.json");
        write_atomic_streamed(&p, |w: &mut dyn Write| w.write_all(b"{}\n")).unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"{}\n");
        let failed = write_atomic_streamed(&p, |_: &mut dyn Write| Err(io::Error::other("no")));
        assert!(failed.is_err());
        assert_eq!(fs::read(&p).unwrap(), b"{}\n", "a failed write leaves the old file");
        assert_eq!(fs::read_dir(p.parent().unwrap()).unwrap().count(), 1, "no temp file left");
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
    fn copy_hashed_returns_the_hash_of_the_copy_at_every_size() {
        let dir = tempfile::tempdir().unwrap();
        create_dirs([dir.path().join("x").as_path()]).unwrap();
        // Empty, one block, a block and a bit, exactly two blocks (the short-read end).
        for len in [0u32, 1000, 300_000, 512 * 1024] {
            let a = dir.path().join(format!("a{len}"));
            let data: Vec<u8> = (0..len).map(|i| (i % 253) as u8).collect();
            fs::write(&a, &data).unwrap();
            let b = dir.path().join(format!("x/b{len}"));
            let (sha, meta) = copy_hashed_into_existing_dir(&a, &b).unwrap();
            assert_eq!(sha, sha256_hex(&data), "{len}");
            assert_eq!(fs::read(&b).unwrap(), data, "{len}");
            assert_eq!(meta.modified().unwrap(), fs::metadata(&b).unwrap().modified().unwrap());
            assert_eq!(meta.len(), u64::from(len));
        }
    }

    #[test]
    fn write_into_existing_dir_returns_the_written_files_metadata() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.md");
        let meta = write_atomic_into_existing_dir(&p, b"hello").unwrap();
        assert_eq!(meta.len(), 5);
        assert_eq!(meta.modified().unwrap(), fs::metadata(&p).unwrap().modified().unwrap());
        assert_eq!(fs::read(&p).unwrap(), b"hello");
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
        for source_mode in [0o755, 0o600, 0o644] {
            fs::set_permissions(&script, fs::Permissions::from_mode(source_mode)).unwrap();
            let (_, meta) = copy_hashed_into_existing_dir(&script, &dir.path().join("out/run2.sh")).unwrap();
            assert_eq!(meta.permissions().mode() & 0o777, source_mode);
            let mode = fs::metadata(dir.path().join("out/run2.sh")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, source_mode, "{source_mode:o}");
        }
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
