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
    // Files (outputs, sources, input files) are parsed once and checked a directory at a time;
    // the other lines one by one.
    let (files, others): (Vec<&str>, Vec<&str>) =
        entries.into_iter().partition(|l| matches!(l.as_bytes().first(), Some(b'O' | b'S' | b'F')));
    let files: Vec<FileLine> = files.into_iter().map(FileLine::parse).collect::<Option<_>>()?;
    let outputs = files.iter().filter(|f| f.output).count();
    let files_hold = || {
        files
            .par_chunk_by(|a, b| a.output == b.output && a.parent() == b.parent())
            .all(|group| files_hold(layout, group))
    };
    let walk_needed = purpose == For::Sync && others.iter().any(|l| l.starts_with("U "));
    let output_set: HashSet<&str> =
        if walk_needed { files.iter().filter(|f| f.output).map(|f| f.rel).collect() } else { HashSet::new() };
    let other_holds = |line: &&str| match line.strip_prefix("U ") {
        Some(key) => purpose == For::Build || only_outputs_in_skill_dir(layout, key, &output_set),
        None => holds(layout, line, purpose),
    };
    // Files first: an edit, the usual reason for "changed", shows there soonest.
    (files_hold() && others.par_iter().all(other_holds)).then_some(outputs)
}

/// An `O`, `S` or `F` line: a file's recorded stat and path (relative to the output root for an
/// output, to the source root otherwise).
struct FileLine<'a> {
    output: bool,
    stat: FileStat,
    rel: &'a str,
}

impl<'a> FileLine<'a> {
    fn parse(line: &'a str) -> Option<FileLine<'a>> {
        let (stat, rel) = parse_stat(line.get(2..)?)?;
        Some(FileLine { output: line.starts_with('O'), stat, rel })
    }

    fn parent(&self) -> &'a str {
        self.rel.rsplit_once('/').map_or("", |(dir, _)| dir)
    }

    fn name(&self) -> &'a str {
        self.rel.rsplit_once('/').map_or(self.rel, |(_, name)| name)
    }

    /// Its stat holds, taken by the whole path: outputs never through a link, sources through
    /// links (a linked source changes when its target does).
    fn holds(&self, layout: &Layout) -> bool {
        let now = if self.output {
            match io::resolve_output(&layout.output_root, self.rel) {
                Ok(r) => FileStat::of(&r.path),
                Err(_) => return false,
            }
        } else {
            FileStat::of_source(&fast::joined(&layout.source_root, self.rel))
        };
        now.ok().flatten() == Some(self.stat)
    }
}

/// Every file line of `group` (one kind, one directory) has its recorded stat. On Linux the
/// directory is opened once and each file stat-ed relative to it: the kernel then looks up one
/// name per file instead of walking its whole path again, which was most of a no-change
/// check's time.
fn files_hold(layout: &Layout, group: &[FileLine]) -> bool {
    let first = &group[0];
    // Outputs that leave the root (`../AGENTS.md`, Codex's `../.agents/skills/`) are resolved
    // one by one, as is any group without a plain last component.
    let plain = |name: &str| !name.is_empty() && name != "." && name != ".." && !name.contains('\\');
    let one_by_one = (first.output && first.rel.starts_with("../")) || !group.iter().all(|f| plain(f.name()));
    if one_by_one {
        return group.iter().all(|f| f.holds(layout));
    }
    let dir = if first.output {
        match io::resolve_output(&layout.output_root, first.rel) {
            Ok(r) => r.path.parent().map(Path::to_path_buf),
            Err(_) => return false,
        }
    } else {
        Some(fast::joined(&layout.source_root, first.parent()))
    };
    let Some(dir) = dir else { return false };
    stats_hold_in(&dir, group)
}

/// Each of `files` names a regular file in `dir` (by its last component) with its stat, not
/// through a final link for outputs.
#[cfg(target_os = "linux")]
fn stats_hold_in(dir: &Path, files: &[FileLine]) -> bool {
    use rustix::fs::{AtFlags, FileType, Mode, OFlags, StatxFlags};
    let Ok(fd) = rustix::fs::open(dir, OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())
    else {
        return false;
    };
    let flags = if files[0].output { AtFlags::SYMLINK_NOFOLLOW } else { AtFlags::empty() };
    let mask = StatxFlags::TYPE | StatxFlags::SIZE | StatxFlags::MTIME;
    files.iter().all(|f| {
        rustix::fs::statx(&fd, f.name(), flags, mask).is_ok_and(|st| {
            let mtime_ns =
                st.stx_mtime.tv_sec.checked_mul(1_000_000_000).map(|s| s + i64::from(st.stx_mtime.tv_nsec));
            FileType::from_raw_mode(u32::from(st.stx_mode)) == FileType::RegularFile
                && st.stx_size == f.stat.size
                && mtime_ns == Some(f.stat.mtime_ns)
        })
    })
}

#[cfg(not(target_os = "linux"))]
fn stats_hold_in(dir: &Path, files: &[FileLine]) -> bool {
    files.iter().all(|f| {
        let path = dir.join(f.name());
        let now = if f.output { FileStat::of(&path) } else { FileStat::of_source(&path) };
        now.ok().flatten() == Some(f.stat)
    })
}

/// The project directory of the skill `key` (one the build could not record) holds nothing but
/// `outputs`: what sync would otherwise read it for.
fn only_outputs_in_skill_dir(layout: &Layout, key: &str, outputs: &HashSet<&str>) -> bool {
    let Some(id) = ResourceId::from_key(key) else { return false };
    let Some(dir) = fast::project_skill_dir(layout, &id) else { return false };
    fast::read_skill_dir(layout, &|rel| outputs.contains(rel), &id, &dir).0
}

/// One `D` or `K` line of the index still holds (a `K` line only matters to a sync).
fn holds(layout: &Layout, line: &str, purpose: For) -> bool {
    let Some((tag, rest)) = line.split_once(' ') else { return false };
    match tag {
        "D" => parse_mtime(rest).is_some_and(|(mtime, rel)| {
            fast::dir_mtime(&fast::joined(&layout.source_root, rel)) == Some(mtime)
        }),
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
            fast::dir_mtime(&fast::joined(&dir, sub)) == Some(mtime)
        }),
        _ => false,
    }
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
