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
//! agb-stat-index 2
//! agb_version 0.1.0
//! target claude-code
//! source_root /abs/source
//! config_sha256 <hex of agb.yaml>
//! manifest <size> <mtime_ns>
//! O <output dir rel>                      outputs (not through links) in this directory follow
//! S <source dir rel>                      source files (through links, each once) follow
//! F <source dir rel>                      files read but not rendered (requirements.yaml) follow
//! <size> <mtime_ns> <name>                a file of the directory of the last O, S or F line
//! D <mtime_ns> <source rel>               source directories whose listing matters
//! K <mtime_ns> <kind> <plugin:name> <sub> project skill directories (sync only)
//! U <kind> <plugin:name>                  a skill whose project directory sync must read
//! end <number of entry lines>
//! ```
//!
//! Files come a directory at a time (`""` is the root itself), as the check stats them: each
//! directory opened once, each file by its name. An index of another version is ignored (and
//! rewritten by the next command that writes the manifest).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io::Write;

use rayon::prelude::*;

use super::{fast, io, Layout};
use crate::fsutil;
use crate::manifest::{FileStat, Manifest};
use crate::names::ResourceId;

/// Where the index lives, relative to the output root (beside the manifest).
pub const STAT_INDEX_REL: &str = ".agb/stat-index";

const FIRST_LINE: &str = "agb-stat-index 2";

/// What the check is for: a sync also needs every project skill directory unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum For {
    Build,
    Sync,
}

/// Write the index of `manifest`, which was just saved in the output root with its record of
/// inputs sealed (a build that just computed its digest) or checked (the no-change check that
/// just compared it). Best effort: when it cannot be written (or the manifest is not fit for
/// the fast path), any older index is removed — though a stale one would only be ignored.
pub fn write(layout: &Layout, manifest: &Manifest) {
    let path = layout.output_root.join(STAT_INDEX_REL);
    if fsutil::ensure_no_symlink_escape(&layout.output_root, &path).is_err() {
        return;
    }
    // A run killed while writing the index (its manifest already saved) leaves the index's temp
    // file and no pending write, so the next run takes a no-change path that sweeps nothing else:
    // this `readdir` of `.agb/` is what removes it.
    if let Some(dir) = path.parent() {
        fsutil::remove_stale_temp_files(dir);
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
    let mut rest = text.as_str();
    let mut field = |name: &str| {
        let (line, after) = rest.split_once('\n')?;
        rest = after;
        line.strip_suffix('\r').unwrap_or(line).strip_prefix(name)?.strip_prefix(' ')
    };
    let manifest_now = FileStat::of(&Manifest::path(&layout.output_root)).ok()??;
    let header_holds = field("agb-stat-index") == FIRST_LINE.strip_prefix("agb-stat-index ")
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
    // An index cut short is not believed: the last line counts the entries.
    let rest = rest.strip_suffix('\n').unwrap_or(rest);
    let (body, last) = rest.rsplit_once('\n').unwrap_or(("", rest));
    let counted = last.strip_suffix('\r').unwrap_or(last).strip_prefix("end ")?.parse::<usize>().ok()?;
    // Read in pieces on every core: first the lines that are not files (the `D` lines must all
    // be known before the first group is checked, see `dir_of`), then the files.
    let pieces = line_pieces(body);
    let others: Vec<Others> =
        pieces.par_iter().map(|piece| Others::parse(piece, purpose)).collect::<Option<_>>()?;
    if others.iter().map(|o| o.lines).sum::<usize>() != counted {
        return None;
    }
    let others_outputs = others.iter().map(|o| o.outputs).sum::<usize>();
    let mut dirs: HashMap<&str, i64> = HashMap::new();
    for (rel, mtime) in others.iter().flat_map(|o| &o.dirs) {
        // Two lines of one directory that disagree cannot both hold.
        if *dirs.entry(rel).or_insert(*mtime) != *mtime {
            return None;
        }
    }
    // A `D` line of a directory a group opens anyway is checked on that group's descriptor.
    let dir_of = |group: &[FileLine], how: How| {
        (how == How::InDir && !group[0].output && !group[0].parent.is_empty())
            .then(|| dirs.get(group[0].parent).copied())
            .flatten()
    };
    let roots = Roots::open(layout);
    // Files first: an edit, the usual reason for "changed", shows there soonest. Each group
    // answers with the directory whose `D` line it checked, if any.
    let folded: Vec<Vec<&str>> = pieces
        .par_iter()
        .map(|piece| {
            files_hold_in(piece, |group| {
                let how = how(group);
                let dir_mtime = dir_of(group, how);
                roots.files_hold(layout, group, how, dir_mtime).then(|| dir_mtime.map(|_| group[0].parent))
            })
        })
        .collect::<Option<_>>()?;
    let folded: HashSet<&str> = folded.into_iter().flatten().collect();
    let dirs_hold = dirs
        .par_iter()
        .filter(|(rel, _)| !folded.contains(*rel))
        .all(|(rel, mtime)| roots.dir_holds(layout, rel, *mtime));
    let others: Vec<&str> = others.iter().flat_map(|o| o.others.iter().copied()).collect();
    let unrecorded: Vec<&str> = others.iter().filter_map(|l| l.strip_prefix("U ")).collect();
    let output_set = output_rels_below(body, &skill_dirs_of(layout, &unrecorded));
    let other_holds = |line: &&str| match line.strip_prefix("U ") {
        Some(key) => only_outputs_in_skill_dir(layout, key, &output_set),
        None => k_line_holds(layout, &roots, line),
    };
    let holds = dirs_hold && others.par_iter().all(other_holds);
    holds.then_some(others_outputs)
}

/// `text` cut into pieces of about the same size, enough to keep every core busy, each starting
/// with a line that is not a file's (a file line needs the directory line above it).
fn line_pieces(text: &str) -> Vec<&str> {
    let count = 16 * rayon::current_num_threads();
    let mut pieces = Vec::with_capacity(count);
    let mut rest = text;
    for i in (1..=count).rev() {
        let bytes = rest.as_bytes();
        let starts_piece = |at: usize| at > 0 && bytes[at - 1] == b'\n' && !bytes[at].is_ascii_digit();
        let mut end = rest.len() / i;
        while end < bytes.len() && !starts_piece(end) {
            end += 1;
        }
        let (piece, after) = rest.split_at(end);
        if !piece.is_empty() {
            pieces.push(piece);
        }
        rest = after;
    }
    pieces
}

/// The file lines of `piece`, parsed and checked a group (one kind, one directory) at a time
/// with `group_holds`: the directories whose `D` lines the groups checked, or `None` when a
/// line is not one agb writes or a group does not hold.
fn files_hold_in<'a>(
    piece: &'a str,
    group_holds: impl Fn(&[FileLine<'a>]) -> Option<Option<&'a str>>,
) -> Option<Vec<&'a str>> {
    let mut folded = Vec::new();
    let mut group: Vec<FileLine> = Vec::new();
    let mut flush = |group: &mut Vec<FileLine<'a>>| {
        let dir = if group.is_empty() { None } else { group_holds(group)? };
        folded.extend(dir);
        group.clear();
        Some(())
    };
    // Whether the files that follow are outputs, and their directory.
    let mut dir: Option<(bool, &str)> = None;
    for line in piece.lines() {
        if is_file_line(line) {
            let (output, parent) = dir?;
            let (stat, name) = parse_stat(line)?;
            group.push(FileLine { output, stat, parent, name });
            continue;
        }
        flush(&mut group)?;
        dir = dir_line(line);
    }
    flush(&mut group)?;
    Some(folded)
}

fn is_file_line(line: &str) -> bool {
    line.as_bytes().first().is_some_and(u8::is_ascii_digit)
}

/// An `O`, `S` or `F` line: whether the files that follow are outputs, and their directory.
fn dir_line(line: &str) -> Option<(bool, &str)> {
    match line.split_once(' ') {
        Some((tag @ ("O" | "S" | "F"), dir)) => Some((tag == "O", dir)),
        _ => None,
    }
}

/// The project directories (relative to the output root) of the skills `keys` name.
fn skill_dirs_of(layout: &Layout, keys: &[&str]) -> HashSet<String> {
    let name = |key: &&str| ResourceId::from_key(key).map(|id| id.name);
    keys.iter().filter_map(name).map(|n| crate::targets::skill_dir_rel(layout.target, n.as_str())).collect()
}

/// The outputs `body` lists in `dirs` or below, as (directory, name) relative to the output
/// root, borrowed from the index: a sync that must look into a few skill directories does not
/// build a set of every output first.
fn output_rels_below<'a>(body: &'a str, dirs: &HashSet<String>) -> HashSet<(&'a str, &'a str)> {
    let mut rels = HashSet::new();
    if dirs.is_empty() {
        return rels;
    }
    let wanted = |dir: &str| {
        let mut at = Some(dir);
        while let Some(d) = at {
            if dirs.contains(d) {
                return true;
            }
            at = d.rsplit_once('/').map(|(parent, _)| parent);
        }
        false
    };
    let mut dir = None;
    for line in body.lines() {
        if !is_file_line(line) {
            dir = dir_line(line).filter(|(output, d)| *output && wanted(d));
        } else if let (Some((_, parent)), Some((_, name))) = (dir, parse_stat(line)) {
            rels.insert((parent, name));
        }
    }
    rels
}

/// What a piece of an index's entry lines holds besides its files: its number of lines and
/// of outputs, its `D` lines, and the lines only a sync checks (`K`, `U`).
struct Others<'a> {
    lines: usize,
    outputs: usize,
    dirs: Vec<(&'a str, i64)>,
    others: Vec<&'a str>,
}

impl<'a> Others<'a> {
    /// `None` for a line agb does not write (file lines are parsed when checked).
    fn parse(text: &'a str, purpose: For) -> Option<Others<'a>> {
        let mut o = Others { lines: 0, outputs: 0, dirs: Vec::new(), others: Vec::new() };
        let mut in_outputs = false;
        for line in text.lines() {
            o.lines += 1;
            if is_file_line(line) {
                o.outputs += usize::from(in_outputs);
                continue;
            }
            let (tag, rest) = line.split_once(' ')?;
            in_outputs = tag == "O";
            match tag {
                "O" | "S" | "F" => {}
                "D" => o.dirs.push(parse_mtime(rest).map(|(mtime, rel)| (rel, mtime))?),
                // What a project skill directory holds only matters to a sync.
                "K" | "U" if purpose == For::Build => {}
                "K" | "U" => o.others.push(line),
                _ => return None,
            }
        }
        Some(o)
    }
}

/// A file line: a file's recorded stat, its directory (relative to the output root for an
/// output, to the source root otherwise) and its name.
struct FileLine<'a> {
    output: bool,
    stat: FileStat,
    parent: &'a str,
    name: &'a str,
}

/// The path of `name` in `dir` (`""` is the root).
fn rel_of<'a>(dir: &str, name: &'a str) -> Cow<'a, str> {
    if dir.is_empty() {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(format!("{dir}/{name}"))
    }
}

impl<'a> FileLine<'a> {
    fn rel(&self) -> Cow<'a, str> {
        rel_of(self.parent, self.name)
    }

    /// Its stat holds, taken by the whole path: outputs never through a link, sources through
    /// links (a linked source changes when its target does).
    fn holds(&self, layout: &Layout) -> bool {
        let now = if self.output {
            match io::resolve_output(&layout.output_root, &self.rel()) {
                Ok(r) => FileStat::of(&r.path),
                Err(_) => return false,
            }
        } else {
            FileStat::of_source(&fast::joined(&layout.source_root, &self.rel()))
        };
        now.ok().flatten() == Some(self.stat)
    }
}

/// How the files of a group (one kind, one directory) are stat-ed.
#[derive(Clone, Copy, PartialEq)]
enum How {
    /// Each by its whole path, as [`FileLine::holds`] does: outputs that leave the root
    /// (`../AGENTS.md`, Codex's `../.agents/skills/`), and any group with a name that is not a
    /// plain last component.
    OneByOne,
    /// Each relative to its root: for a lone file, opening its directory costs more than it saves.
    FromRoot,
    /// Relative to its directory, opened once: the kernel then looks up one name per file
    /// instead of walking its whole path again, which was most of a no-change check's time.
    InDir,
}

fn how(group: &[FileLine]) -> How {
    let first = &group[0];
    if fast::stat_one_by_one(first.output, first.parent, group.iter().map(|f| f.name)) {
        How::OneByOne
    } else if group.len() == 1 {
        How::FromRoot
    } else {
        How::InDir
    }
}

/// The output and the source root, each opened once (Linux): a group's directory is then
/// opened relative to its root, walking only the components below it.
#[cfg(target_os = "linux")]
struct Roots {
    output: Option<std::os::fd::OwnedFd>,
    source: Option<std::os::fd::OwnedFd>,
    /// The path `output` was opened at.
    output_root: std::path::PathBuf,
}

#[cfg(target_os = "linux")]
impl Roots {
    fn open(layout: &Layout) -> Roots {
        let open = |dir: &std::path::Path| rustix::fs::open(dir, dir_flags(), rustix::fs::Mode::empty()).ok();
        Roots {
            output: open(&layout.output_root),
            source: open(&layout.source_root),
            output_root: layout.output_root.clone(),
        }
    }

    /// Every file of `group` (one kind, one directory) has its recorded stat, and so does the
    /// directory when `dir_mtime` names its `D` line. Outputs are not followed through a final
    /// link, sources are; in both the directories above are, as a path given whole would be.
    fn files_hold(&self, layout: &Layout, group: &[FileLine], how: How, dir_mtime: Option<i64>) -> bool {
        use rustix::fs::{openat, AtFlags, Mode, OFlags};
        use std::os::fd::AsFd;
        let first = &group[0];
        if how == How::OneByOne {
            return group.iter().all(|f| f.holds(layout));
        }
        if first.output && io::resolve_output(&layout.output_root, &first.rel()).is_err() {
            return false;
        }
        let Some(root) = (if first.output { &self.output } else { &self.source }) else { return false };
        if how == How::FromRoot {
            return group.iter().all(|f| file_holds(root.as_fd(), &f.rel(), f));
        }
        if first.parent.is_empty() {
            return group.iter().all(|f| file_holds(root.as_fd(), f.name, f));
        }
        // A directory's `D` line is not followed through a final link: the directory is then
        // opened without following one (a link there fails the line, as its path would), and
        // its mtime read on the descriptor.
        let flags = if dir_mtime.is_some() { dir_flags() | OFlags::NOFOLLOW } else { dir_flags() };
        openat(root, first.parent, flags, Mode::empty()).is_ok_and(|dir| {
            dir_mtime.is_none_or(|mtime| {
                rustix::fs::statx(&dir, "", AtFlags::EMPTY_PATH, STATX_DIR)
                    .is_ok_and(|st| is_dir_with(&st, mtime))
            }) && group.iter().all(|f| file_holds(dir.as_fd(), f.name, f))
        })
    }

    /// The project directory at `path` has `mtime`, not through a final link: stat-ed relative
    /// to the output root when it is below it (a skill of Codex's `../.agents/skills/` is not),
    /// walking only the components below the root, as for the files.
    fn project_dir_holds(&self, path: &std::path::Path, mtime: i64) -> bool {
        let below_root = path.strip_prefix(&self.output_root).ok().and_then(std::path::Path::to_str);
        match (below_root, &self.output) {
            (Some(rel), Some(root)) if !rel.is_empty() => {
                rustix::fs::statx(root, rel, rustix::fs::AtFlags::SYMLINK_NOFOLLOW, STATX_DIR)
                    .is_ok_and(|st| is_dir_with(&st, mtime))
            }
            _ => fast::dir_mtime(path) == Some(mtime),
        }
    }

    /// The source directory `rel` has `mtime`, not through a final link.
    fn dir_holds(&self, layout: &Layout, rel: &str, mtime: i64) -> bool {
        // The root itself by its path: its descriptor went through any link.
        if rel.is_empty() {
            return fast::dir_mtime(&layout.source_root) == Some(mtime);
        }
        self.source.as_ref().is_some_and(|root| {
            rustix::fs::statx(root, rel, rustix::fs::AtFlags::SYMLINK_NOFOLLOW, STATX_DIR)
                .is_ok_and(|st| is_dir_with(&st, mtime))
        })
    }
}

#[cfg(target_os = "linux")]
const STATX_DIR: rustix::fs::StatxFlags = rustix::fs::StatxFlags::TYPE.union(rustix::fs::StatxFlags::MTIME);

#[cfg(target_os = "linux")]
fn dir_flags() -> rustix::fs::OFlags {
    use rustix::fs::OFlags;
    OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC
}

/// `st` is a directory's, with `mtime`.
#[cfg(target_os = "linux")]
fn is_dir_with(st: &rustix::fs::Statx, mtime: i64) -> bool {
    rustix::fs::FileType::from_raw_mode(u32::from(st.stx_mode)) == rustix::fs::FileType::Directory
        && fast::statx_mtime_ns(st) == Some(mtime)
}

/// `path` (relative to `dir`) names a regular file with `f`'s stat, not through a final link
/// for an output.
#[cfg(target_os = "linux")]
fn file_holds(dir: std::os::fd::BorrowedFd, path: &str, f: &FileLine) -> bool {
    fast::statx_file(dir, path, !f.output) == Some(f.stat)
}

/// Elsewhere every path is stat-ed whole.
#[cfg(not(target_os = "linux"))]
struct Roots;

#[cfg(not(target_os = "linux"))]
impl Roots {
    fn open(_layout: &Layout) -> Roots {
        Roots
    }

    fn files_hold(&self, layout: &Layout, group: &[FileLine], _how: How, dir_mtime: Option<i64>) -> bool {
        dir_mtime.is_none_or(|mtime| self.dir_holds(layout, group[0].parent, mtime))
            && group.iter().all(|f| f.holds(layout))
    }

    fn dir_holds(&self, layout: &Layout, rel: &str, mtime: i64) -> bool {
        fast::dir_mtime(&fast::joined(&layout.source_root, rel)) == Some(mtime)
    }

    fn project_dir_holds(&self, path: &std::path::Path, mtime: i64) -> bool {
        fast::dir_mtime(path) == Some(mtime)
    }
}

/// The project directory of the skill `key` (one the build could not record) holds nothing but
/// `outputs`: what sync would otherwise read it for.
fn only_outputs_in_skill_dir(layout: &Layout, key: &str, outputs: &HashSet<(&str, &str)>) -> bool {
    let Some(id) = ResourceId::from_key(key) else { return false };
    let Some(dir) = fast::project_skill_dir(layout, &id) else { return false };
    let listed = |rel: &str| outputs.contains(&rel.rsplit_once('/').unwrap_or(("", rel)));
    fast::read_skill_dir(layout, &listed, &id, &dir).0
}

/// A `K` line (a project skill directory's mtime) still holds.
fn k_line_holds(layout: &Layout, roots: &Roots, line: &str) -> bool {
    let Some(rest) = line.strip_prefix("K ") else { return false };
    parse_mtime(rest).is_some_and(|(mtime, rest)| {
        let mut parts = rest.splitn(3, ' ');
        let (Some(kind), Some(id), Some(sub)) = (parts.next(), parts.next(), parts.next()) else {
            return false;
        };
        let Some(dir) =
            ResourceId::from_key(&format!("{kind} {id}")).and_then(|id| fast::project_skill_dir(layout, &id))
        else {
            return false;
        };
        roots.project_dir_holds(&fast::joined(&dir, sub), mtime)
    })
}

/// `<size> <mtime_ns> <rest>`.
fn parse_stat(s: &str) -> Option<(FileStat, &str)> {
    let (size, s) = parse_digits(s)?;
    let (mtime_ns, rest) = parse_mtime(s)?;
    Some((FileStat { size, mtime_ns }, rest))
}

/// `<mtime_ns> <rest>` (`rest` may be empty: the source root's own directory).
fn parse_mtime(s: &str) -> Option<(i64, &str)> {
    match s.strip_prefix('-') {
        Some(digits) => {
            parse_digits(digits).and_then(|(n, rest)| Some((0i64.checked_sub_unsigned(n)?, rest)))
        }
        None => parse_digits(s).and_then(|(n, rest)| Some((i64::try_from(n).ok()?, rest))),
    }
}

/// `<decimal digits>[ <rest>]`, read in one pass: tens of thousands of lines are read per
/// check.
fn parse_digits(s: &str) -> Option<(u64, &str)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let rest = match s.as_bytes().get(digits) {
        None => "",
        Some(b' ') => &s[digits + 1..],
        Some(_) => return None,
    };
    if digits == 0 {
        return None;
    }
    let n = s.as_bytes()[..digits]
        .iter()
        .try_fold(0u64, |n, d| n.checked_mul(10)?.checked_add(u64::from(d - b'0')))?;
    Some((n, rest))
}

/// Write the index of `manifest` (already saved: its stat is part of the index) into `out`; an
/// error when it is not fit for the fast path, or a path cannot be written on one line (the
/// caller then writes no index). The last line counts the entry lines, so that an index cut
/// short (a crash before its data reached the disk) is never believed.
fn render(layout: &Layout, manifest: &Manifest, out: &mut dyn Write) -> std::io::Result<()> {
    let unfit = || std::io::Error::other("no stat index for this manifest");
    // Sealed or checked by the caller (see `write`): hashing every entry again would be a
    // second pass over tens of thousands of them on the build's serial path.
    if !fast::fit_once_sealed(layout, manifest) {
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
    let outputs = manifest.files.iter().map(|(rel, e)| (rel.as_str(), e.stat));
    write_files(out, "O", outputs, &mut entries)?;
    let mut sources: Vec<_> = manifest.files.values().flat_map(|e| e.sources.iter()).collect();
    sources.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    sources.dedup_by(|a, b| a.path == b.path);
    write_files(out, "S", sources.iter().map(|s| (s.path.as_str(), s.stat)), &mut entries)?;
    write_files(out, "F", inputs.files.iter().map(|(rel, s)| (rel.as_str(), *s)), &mut entries)?;
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

/// `files` (path, stat) as file lines, under a `tag` line each time their directory changes.
fn write_files<'a>(
    out: &mut dyn Write,
    tag: &str,
    files: impl Iterator<Item = (&'a str, FileStat)>,
    entries: &mut usize,
) -> std::io::Result<()> {
    let mut dir_now = None;
    for (rel, stat) in files {
        let rel = one_line(rel).ok_or_else(|| std::io::Error::other("a path on two lines"))?;
        let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        if dir_now != Some(dir) {
            writeln!(out, "{tag} {dir}")?;
            dir_now = Some(dir);
            *entries += 1;
        }
        writeln!(out, "{} {} {name}", stat.size, stat.mtime_ns)?;
        *entries += 1;
    }
    Ok(())
}

/// `s`, when it can be written on one line (`lines()` also ends a line at a CR).
fn one_line(s: &str) -> Option<&str> {
    (!s.contains(['\n', '\r'])).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_cover_the_text_and_start_at_a_directory_or_other_line() {
        let text =
            "O \n1 2 CLAUDE.md\nO agents\n1 2 a.md\n3 4 b.md\nS plugins/p\n5 6 x y.md\nD 7 plugins/p\nK 8 x";
        let pieces = line_pieces(text);
        assert_eq!(pieces.concat(), text);
        assert!(pieces.len() > 1, "{pieces:?}");
        assert!(pieces.iter().all(|p| !is_file_line(p)), "{pieces:?}");
        assert!(line_pieces("").is_empty());
    }

    #[test]
    fn stat_fields_parse_with_paths_that_hold_spaces() {
        let (stat, rel) = parse_stat("12 -3 skills/a b/c d.txt").unwrap();
        assert_eq!((stat, rel), (FileStat { size: 12, mtime_ns: -3 }, "skills/a b/c d.txt"));
        assert_eq!(parse_mtime("5 "), Some((5, "")));
        assert_eq!(parse_mtime("5"), Some((5, "")));
        assert_eq!(parse_stat("x 1 a"), None);
        assert_eq!(parse_stat("1"), None);
        assert_eq!(parse_stat("1 2"), Some((FileStat { size: 1, mtime_ns: 2 }, "")));
        assert_eq!(parse_mtime("-9223372036854775808 a"), Some((i64::MIN, "a")));
        assert_eq!(parse_mtime("9223372036854775808 a"), None);
        assert_eq!(parse_stat("18446744073709551616 1 a"), None);
        assert_eq!(parse_stat("1x 1 a"), None);
        assert_eq!(parse_stat("1 -  a"), None);
    }
}
