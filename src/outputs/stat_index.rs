//! `.agb/stat-index`: the stats the no-change check compares, in a small line-based file, so
//! that a no-change `build` or `sync` does not parse the JSON manifest (with its hashes, about
//! 440 bytes per output) just to compare sizes and mtimes.
//!
//! It is a cache of the manifest, never a second truth: it names the manifest's own size and
//! mtime, and is believed only while the manifest still has them (any writer of the manifest —
//! build, sync, adopt, an editor — moves them). It answers only "nothing changed"; every other
//! answer, a missing, damaged or stale index included, sends the caller to the manifest's own
//! fast path ([`super::fast`]), which decides as before. It makes agb only `stat` what it names:
//! a forged index can at worst make a command do nothing, as if it had not been run.
//!
//! ```text
//! agb-stat-index 1
//! agb_version 0.1.0
//! target claude-code
//! source_root /abs/source
//! config_sha256 <hex of agb.yaml>
//! manifest <size> <mtime_ns>
//! O <size> <mtime_ns> <output rel>        every output, not through links
//! S <size> <mtime_ns> <source rel>        every source file (through links), once
//! F <size> <mtime_ns> <source rel>        files read but not rendered (requirements.yaml)
//! D <mtime_ns> <source rel>               source directories whose listing matters
//! K <mtime_ns> <kind> <plugin:name> <sub> project skill directories (sync only)
//! U <kind> <plugin:name>                  a skill whose project directory sync must read
//! end <number of entry lines>
//! ```

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

use rayon::prelude::*;

use super::{fast, io, Layout};
use crate::fsutil;
use crate::manifest::{FileStat, Manifest};
use crate::names::ResourceId;

/// Where the index lives, relative to the output root (beside the manifest).
pub const STAT_INDEX_REL: &str = ".agb/stat-index";

const FIRST_LINE: &str = "agb-stat-index 1";

/// What the check is for: a sync also needs every project skill directory unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum For {
    Build,
    Sync,
}

/// Write the index of `manifest`, which was just saved in the output root. Best effort: when
/// it cannot be written (or the manifest is not fit for the fast path), any older index is
/// removed — though a stale one would only be ignored.
pub fn write(layout: &Layout, manifest: &Manifest) {
    let path = layout.output_root.join(STAT_INDEX_REL);
    if fsutil::ensure_no_symlink_escape(&layout.output_root, &path).is_err() {
        return;
    }
    // Streamed: at 20,000 outputs the text is megabytes, held at the build's memory peak.
    let written = fsutil::write_atomic_streamed_unsynced(&path, |out| render(layout, manifest, out)).is_ok();
    if !written {
        let _ = std::fs::remove_file(&path);
    }
}

/// Whether nothing changed since the index was written: `Some(number of outputs)` when every
/// stat it names still holds for a build (or a sync) with `config_text`; `None` otherwise, and
/// then the caller asks the manifest.
pub fn unchanged(layout: &Layout, config_text: &str, purpose: For) -> Option<usize> {
    let text = std::fs::read_to_string(layout.output_root.join(STAT_INDEX_REL)).ok()?;
    let mut lines = text.lines();
    let mut field = |name: &str| lines.next()?.strip_prefix(name)?.strip_prefix(' ');
    let manifest_now = FileStat::of(&Manifest::path(&layout.output_root)).ok()??;
    let header_holds = field("agb-stat-index") == Some("1")
        && field("agb_version") == Some(env!("CARGO_PKG_VERSION"))
        && field("target") == Some(layout.target.as_str())
        && field("source_root").is_some_and(|r| Some(r) == layout.source_root.to_str())
        && field("config_sha256") == Some(&fsutil::sha256_hex(config_text.as_bytes()))
        && field("manifest")
            .and_then(parse_stat)
            .is_some_and(|(stat, rest)| rest.is_empty() && stat == manifest_now);
    if !header_holds {
        return None;
    }
    let mut entries: Vec<&str> = lines.collect();
    // An index cut short is not believed: the last line counts the entries.
    let counted = entries.pop()?.strip_prefix("end ")?.parse::<usize>().ok()?;
    if counted != entries.len() {
        return None;
    }
    // Files (outputs, sources, input files) are checked a directory at a time; the rest alone.
    let (files, others): (Vec<&str>, Vec<&str>) =
        entries.into_iter().partition(|l| matches!(l.as_bytes().first(), Some(b'O' | b'S' | b'F')));
    let outputs = files.iter().filter(|l| l.starts_with('O')).count();
    let files_hold =
        || files.par_chunk_by(|a, b| same_directory(a, b)).all(|group| files_hold(layout, group));
    let walk_needed = purpose == For::Sync && others.iter().any(|l| l.starts_with("U "));
    let output_set: HashSet<&str> = if walk_needed {
        files.iter().filter_map(|l| l.strip_prefix("O ")?.splitn(3, ' ').nth(2)).collect()
    } else {
        HashSet::new()
    };
    let other_holds = |line: &&str| match line.strip_prefix("U ") {
        Some(key) => purpose == For::Build || only_outputs_in_skill_dir(layout, key, &output_set),
        None => holds(layout, line, purpose),
    };
    // Files first: an edit, the usual reason for "changed", shows there soonest.
    (files_hold() && others.par_iter().all(other_holds)).then_some(outputs)
}

/// Two file lines of the same kind whose paths have the same parent directory.
fn same_directory(a: &str, b: &str) -> bool {
    fn parent(line: &str) -> Option<&str> {
        parse_stat(line.get(2..)?).map(|(_, rel)| rel.rsplit_once('/').map_or("", |(d, _)| d))
    }
    a.as_bytes()[0] == b.as_bytes()[0] && parent(a).is_some() && parent(a) == parent(b)
}

/// Every file line of `group` (one kind, one directory) has its recorded stat. On Linux the
/// directory is opened once and each file stat-ed relative to it: the kernel then looks up one
/// name per file instead of walking its whole path again, which was most of a no-change
/// check's time.
fn files_hold(layout: &Layout, group: &[&str]) -> bool {
    let Some(parsed) = group.iter().map(|l| parse_stat(l.get(2..)?)).collect::<Option<Vec<_>>>() else {
        return false;
    };
    let output = group[0].starts_with('O');
    // Outputs that leave the root (`../AGENTS.md`, Codex's `../.agents/skills/`) are resolved
    // one by one, as is any group without a plain last component.
    let plain = |name: &str| !name.is_empty() && name != "." && name != ".." && !name.contains('\\');
    let (dir_rel, _) = parsed[0].1.rsplit_once('/').unwrap_or(("", parsed[0].1));
    let one_by_one = (output && parsed[0].1.starts_with("../"))
        || !parsed.iter().all(|(_, rel)| plain(rel.rsplit_once('/').map_or(*rel, |(_, n)| n)));
    if one_by_one {
        return group.iter().all(|line| holds(layout, line, For::Build));
    }
    let dir = if output {
        match io::resolve_output(&layout.output_root, parsed[0].1) {
            Ok(r) => r.path.parent().map(Path::to_path_buf),
            Err(_) => return false,
        }
    } else if dir_rel.is_empty() {
        Some(layout.source_root.clone())
    } else {
        Some(layout.source_root.join(dir_rel))
    };
    let Some(dir) = dir else { return false };
    stats_hold_in(&dir, &parsed, output)
}

/// Each `(stat, rel)` names a regular file in `dir` (by its last component) with that stat,
/// not through a final link when `output`.
#[cfg(target_os = "linux")]
fn stats_hold_in(dir: &Path, files: &[(FileStat, &str)], output: bool) -> bool {
    use rustix::fs::{AtFlags, FileType, Mode, OFlags, StatxFlags};
    let Ok(fd) = rustix::fs::open(dir, OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())
    else {
        return false;
    };
    let flags = if output { AtFlags::SYMLINK_NOFOLLOW } else { AtFlags::empty() };
    let mask = StatxFlags::TYPE | StatxFlags::SIZE | StatxFlags::MTIME;
    files.iter().all(|(recorded, rel)| {
        let name = rel.rsplit_once('/').map_or(*rel, |(_, n)| n);
        rustix::fs::statx(&fd, name, flags, mask).is_ok_and(|st| {
            let mtime_ns =
                st.stx_mtime.tv_sec.checked_mul(1_000_000_000).map(|s| s + i64::from(st.stx_mtime.tv_nsec));
            FileType::from_raw_mode(u32::from(st.stx_mode)) == FileType::RegularFile
                && st.stx_size == recorded.size
                && mtime_ns == Some(recorded.mtime_ns)
        })
    })
}

#[cfg(not(target_os = "linux"))]
fn stats_hold_in(dir: &Path, files: &[(FileStat, &str)], output: bool) -> bool {
    files.iter().all(|(recorded, rel)| {
        let path = dir.join(rel.rsplit_once('/').map_or(*rel, |(_, n)| n));
        let now = if output { FileStat::of(&path) } else { FileStat::of_source(&path) };
        now.ok().flatten() == Some(*recorded)
    })
}

/// The project directory of the skill `key` (one the build could not record) holds nothing but
/// `outputs`: what sync would otherwise read it for.
fn only_outputs_in_skill_dir(layout: &Layout, key: &str, outputs: &HashSet<&str>) -> bool {
    let Some(id) = ResourceId::from_key(key) else { return false };
    let Some(dir) = fast::project_skill_dir(layout, &id) else { return false };
    fast::read_skill_dir(layout, &|rel| outputs.contains(rel), &id, &dir).0
}

/// One entry line of the index still holds.
fn holds(layout: &Layout, line: &str, purpose: For) -> bool {
    let Some((tag, rest)) = line.split_once(' ') else { return false };
    let source =
        |rel: &str| if rel.is_empty() { layout.source_root.clone() } else { layout.source_root.join(rel) };
    match tag {
        "O" => parse_stat(rest).is_some_and(|(stat, rel)| {
            io::resolve_output(&layout.output_root, rel)
                .is_ok_and(|r| FileStat::of(&r.path).ok().flatten() == Some(stat))
        }),
        "S" | "F" => parse_stat(rest)
            .is_some_and(|(stat, rel)| FileStat::of_source(&source(rel)).ok().flatten() == Some(stat)),
        "D" => parse_mtime(rest).is_some_and(|(mtime, rel)| dir_mtime(&source(rel)) == Some(mtime)),
        "K" if purpose == For::Build => true,
        "K" => parse_mtime(rest).is_some_and(|(mtime, rest)| {
            let mut parts = rest.splitn(3, ' ');
            let (Some(kind), Some(id), Some(sub)) = (parts.next(), parts.next(), parts.next()) else {
                return false;
            };
            let Some(dir) = ResourceId::from_key(&format!("{kind} {id}"))
                .and_then(|id| fast::project_skill_dir(layout, &id))
            else {
                return false;
            };
            dir_mtime(&if sub.is_empty() { dir } else { dir.join(sub) }) == Some(mtime)
        }),
        _ => false,
    }
}

fn dir_mtime(path: &Path) -> Option<i64> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    meta.is_dir().then(|| FileStat::from_metadata(&meta).mtime_ns)
}

/// `<size> <mtime_ns> <rest>`.
fn parse_stat(s: &str) -> Option<(FileStat, &str)> {
    let (size, s) = s.split_once(' ').unwrap_or((s, ""));
    let (mtime, rest) = parse_mtime(s)?;
    Some((FileStat { size: size.parse().ok()?, mtime_ns: mtime }, rest))
}

/// `<mtime_ns> <rest>` (`rest` may be empty: the source root's own directory).
fn parse_mtime(s: &str) -> Option<(i64, &str)> {
    let (mtime, rest) = s.split_once(' ').unwrap_or((s, ""));
    Some((mtime.parse().ok()?, rest))
}

/// Write the index of `manifest` (already saved: its stat is part of the index) into `out`; an
/// error when it is not fit for the fast path, or a path cannot be written on one line (the
/// caller then writes no index). The last line counts the entry lines, so that an index cut
/// short (a crash before its data reached the disk) is never believed.
fn render(layout: &Layout, manifest: &Manifest, out: &mut dyn Write) -> std::io::Result<()> {
    let unfit = || std::io::Error::other("no stat index for this manifest");
    if !fast::fit_for_fast_path(layout, manifest) {
        return Err(unfit());
    }
    let inputs = manifest.inputs.as_ref().ok_or_else(unfit)?;
    let stat = FileStat::of(&Manifest::path(&layout.output_root)).ok().flatten().ok_or_else(unfit)?;
    let line = |s: &str| one_line(s).ok_or_else(unfit).map(str::to_string);
    writeln!(out, "{FIRST_LINE}")?;
    writeln!(out, "agb_version {}", manifest.agb_version)?;
    writeln!(out, "target {}", manifest.target.as_str())?;
    writeln!(out, "source_root {}", line(manifest.source_root.to_str().ok_or_else(unfit)?)?)?;
    writeln!(out, "config_sha256 {}", inputs.config_sha256)?;
    writeln!(out, "manifest {} {}", stat.size, stat.mtime_ns)?;
    let mut entries = 0usize;
    for (rel, e) in &manifest.files {
        writeln!(out, "O {} {} {}", e.stat.size, e.stat.mtime_ns, one_line(rel).ok_or_else(unfit)?)?;
        entries += 1;
    }
    let mut sources: Vec<_> = manifest.files.values().flat_map(|e| e.sources.iter()).collect();
    sources.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    sources.dedup_by(|a, b| a.path == b.path);
    for s in sources {
        writeln!(out, "S {} {} {}", s.stat.size, s.stat.mtime_ns, one_line(&s.path).ok_or_else(unfit)?)?;
        entries += 1;
    }
    for (rel, s) in &inputs.files {
        writeln!(out, "F {} {} {}", s.size, s.mtime_ns, one_line(rel).ok_or_else(unfit)?)?;
        entries += 1;
    }
    for (rel, mtime) in fast::settled_dir_mtimes(layout, manifest) {
        writeln!(out, "D {mtime} {}", one_line(rel).ok_or_else(unfit)?)?;
        entries += 1;
    }
    for id in fast::skill_ids(manifest).iter().filter(|id| !inputs.skill_dirs.contains_key(&id.key())) {
        writeln!(out, "U {}", id.key())?;
        entries += 1;
    }
    for (key, dirs) in &inputs.skill_dirs {
        for (sub, mtime) in dirs {
            writeln!(out, "K {mtime} {key} {}", one_line(sub).ok_or_else(unfit)?)?;
            entries += 1;
        }
    }
    writeln!(out, "end {entries}")
}

/// `s`, when it can be written on one line (`lines()` also ends a line at a CR).
fn one_line(s: &str) -> Option<&str> {
    (!s.contains(['\n', '\r'])).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_fields_parse_with_paths_that_hold_spaces() {
        let (stat, rel) = parse_stat("12 -3 skills/a b/c d.txt").unwrap();
        assert_eq!((stat, rel), (FileStat { size: 12, mtime_ns: -3 }, "skills/a b/c d.txt"));
        assert_eq!(parse_mtime("5 "), Some((5, "")));
        assert_eq!(parse_mtime("5"), Some((5, "")));
        assert_eq!(parse_stat("x 1 a"), None);
        assert_eq!(parse_stat("1"), None);
    }
}
