//! The pure half of `agb build`: given the outputs the selection renders to (with their hashes),
//! the previous manifest and what is on disk now, decide what to create, update, remove and keep,
//! and which outputs are protected because they were edited in the project.
//!
//! No I/O here: [`super::io`] observes the disk and applies the plan.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::manifest::{FileStat, Manifest, OutputEntry, SourceEntry};
use crate::targets::OutputContent;

/// A rendered output with its content hash known: what the build wants on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// Path relative to the output root (`../.agents/skills/…` for codex skills).
    pub rel: String,
    pub content: OutputContent,
    /// What it is rendered from.
    pub resource: crate::manifest::OutputOrigin,
    /// `None`: not hashed yet — a copy whose output does not exist (so nothing needs comparing);
    /// it is hashed after copying, in parallel with the other copies. Its source entry then
    /// has an empty `sha256` until the copy's hash fills it.
    pub sha256: Option<String>,
    pub sources: Vec<SourceEntry>,
}

/// What is at an output path now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OnDisk {
    Missing,
    /// Same size and mtime as the manifest records: the content is the manifest's (not read).
    AsBuilt,
    /// A regular file whose stat differs from the manifest (or that the manifest does not list).
    File {
        sha256: String,
        stat: FileStat,
    },
    /// A directory, symlink or other non-regular file: agb never writes or deletes through it.
    NotAFile,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// Rewrite every output (and remove every stale one) even when its bytes did not change.
    pub clean: bool,
    /// Overwrite or remove outputs edited in the project.
    pub force: bool,
}

/// Created or updated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WriteKind {
    Create,
    Update,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteAction {
    pub kind: WriteKind,
    pub output: Prepared,
}

/// Why an output is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictReason {
    /// Its content differs from what the last build wrote.
    Edited,
    /// agb never wrote it (not in the manifest) and it differs from what the build would write.
    NotWrittenByAgb,
    /// The last build wrote it, the selection no longer has it, and it was edited since.
    EditedAndDeselected,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Conflict {
    pub rel: String,
    pub reason: ConflictReason,
}

/// An output kept as it is, with the manifest entry it keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub rel: String,
    pub entry: OutputEntry,
}

/// An output a build leaves alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub rel: String,
    pub why: SkipReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// On disk with the bytes the build would write.
    Unchanged,
    /// Edited in the project (or never agb's): kept, the build refuses until sync or --force.
    Protected(ConflictReason),
    /// The last build wrote it, the selection no longer has it, and it is gone already (or is
    /// no longer a file): only forgotten.
    Gone,
    /// A source file agb.yaml's `exclude:` leaves out (its `rel` is the source path).
    Excluded,
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SkipReason::Unchanged => "unchanged: the file already has the bytes the build writes",
            SkipReason::Protected(ConflictReason::Edited) => {
                "edited in the project since the last build: kept (`agb sync` carries the edit back, --force discards it)"
            }
            SkipReason::Protected(ConflictReason::NotWrittenByAgb) => {
                "a file agb did not write is in the way: kept (--force replaces it)"
            }
            SkipReason::Protected(ConflictReason::EditedAndDeselected) => {
                "no longer selected but edited in the project: kept (--force removes it)"
            }
            SkipReason::Gone => "no longer selected and already gone from the project: forgotten",
            SkipReason::Excluded => "excluded by agb.yaml's `exclude:`: not copied",
        })
    }
}

/// The decisions of one build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub writes: Vec<WriteAction>,
    /// Outputs of the previous build to delete (deselected resources, removed extras).
    pub removals: Vec<String>,
    pub kept: Vec<Kept>,
    /// Outputs edited in the project. Without `force` they are left alone and the build refuses;
    /// with `force` they are also in `writes`/`removals` and listed here so the user is told.
    pub conflicts: Vec<Conflict>,
    /// Output paths that are a directory or a symlink where a file must go: always an error.
    pub blocked: Vec<String>,
    /// Previous-manifest entries of files that are gone from disk and not wanted any more.
    pub forgotten: Vec<String>,
    /// Source files of the selection that agb.yaml's `exclude:` left out, by canonical path
    /// (`p/skills/sk/notes.tmp`): never outputs, listed by `-v`.
    pub excluded: Vec<String>,
    pub force: bool,
}

impl Plan {
    /// True when applying would change nothing on disk.
    pub fn is_noop(&self) -> bool {
        self.writes.is_empty() && self.removals.is_empty()
    }

    /// Conflicts that stop the build (none with `--force`).
    pub fn blocking_conflicts(&self) -> &[Conflict] {
        if self.force {
            &[]
        } else {
            &self.conflicts
        }
    }

    pub fn count(&self, kind: WriteKind) -> usize {
        self.writes.iter().filter(|w| w.kind == kind).count()
    }

    /// The outputs this plan leaves as they are, and why (what `-v` lists), sorted by path:
    /// unchanged ones, edited ones it protects, and records of files already gone.
    pub fn skipped(&self) -> Vec<Skipped> {
        let unchanged = self.kept.iter().map(|k| Skipped { rel: k.rel.clone(), why: SkipReason::Unchanged });
        let protected = self
            .blocking_conflicts()
            .iter()
            .map(|c| Skipped { rel: c.rel.clone(), why: SkipReason::Protected(c.reason) });
        let gone = self.forgotten.iter().map(|rel| Skipped { rel: rel.clone(), why: SkipReason::Gone });
        let excluded = self
            .excluded
            .iter()
            .map(|c| Skipped { rel: format!("SOURCE/plugins/{c}"), why: SkipReason::Excluded });
        let mut out: Vec<Skipped> = unchanged.chain(protected).chain(gone).chain(excluded).collect();
        out.sort_by(|a, b| a.rel.cmp(&b.rel));
        out
    }

    /// The paths written with `kind`, in plan order.
    pub fn rels(&self, kind: WriteKind) -> Vec<String> {
        self.writes.iter().filter(|w| w.kind == kind).map(|w| w.output.rel.clone()).collect()
    }
}

/// Decide what to do with every output. `disk` holds an entry for every path of `outputs` and of
/// the previous manifest (a missing entry counts as [`OnDisk::Missing`]).
// Long on purpose: the decision table of build (SPEC §1.6) reads top to bottom as one match per
// output; the cases are documented inline.
pub fn plan_outputs(
    outputs: Vec<Prepared>,
    previous: Option<&Manifest>,
    disk: &HashMap<String, OnDisk>,
    options: PlanOptions,
) -> Plan {
    let mut plan = Plan { force: options.force, ..Plan::default() };
    let empty = BTreeMap::new();
    let previous_files = previous.map(|m| &m.files).unwrap_or(&empty);
    // Only a previous build has outputs that may no longer be wanted.
    let wanted: HashSet<&str> = match previous_files.is_empty() {
        true => HashSet::new(),
        false => outputs.iter().map(|o| o.rel.as_str()).collect(),
    };
    let on_disk = |rel: &str| disk.get(rel).unwrap_or(&OnDisk::Missing);

    for (rel, entry) in previous_files {
        if wanted.contains(rel.as_str()) {
            continue;
        }
        let edited = match on_disk(rel) {
            OnDisk::Missing => {
                plan.forgotten.push(rel.clone());
                continue;
            }
            // Replaced by a directory or link since: no longer ours, leave it alone.
            OnDisk::NotAFile => {
                plan.forgotten.push(rel.clone());
                continue;
            }
            OnDisk::AsBuilt => false,
            OnDisk::File { sha256, .. } => *sha256 != entry.sha256,
        };
        if edited {
            plan.conflicts.push(Conflict { rel: rel.clone(), reason: ConflictReason::EditedAndDeselected });
            if !options.force {
                continue;
            }
        }
        plan.removals.push(rel.clone());
    }

    // Decided first, then moved: the lists are allocated at their final size (grown by
    // doubling, the list of a fresh build's writes would be copied and held twice).
    let decisions: Vec<Decision> =
        outputs.iter().map(|o| decide(o, previous_files.get(&o.rel), on_disk(&o.rel), options)).collect();
    plan.writes.reserve_exact(decisions.iter().filter(|d| matches!(d, Decision::Write(..))).count());
    plan.kept.reserve_exact(decisions.iter().filter(|d| matches!(d, Decision::Keep { .. })).count());
    // Taken from the end, the list shrinking as the plan's lists fill: not held twice.
    let (mut outputs, mut decisions) = (outputs, decisions);
    while let (Some(output), Some(decision)) = (outputs.pop(), decisions.pop()) {
        if outputs.len() < outputs.capacity() / 2 {
            outputs.shrink_to_fit();
        }
        match decision {
            Decision::Blocked => plan.blocked.push(output.rel),
            Decision::Write(kind, conflict) => {
                if let Some(reason) = conflict {
                    plan.conflicts.push(Conflict { rel: output.rel.clone(), reason });
                }
                plan.writes.push(WriteAction { kind, output });
            }
            Decision::Keep { sha256, stat } => {
                let entry = OutputEntry { sha256, stat, resource: output.resource, sources: output.sources };
                plan.kept.push(Kept { rel: output.rel, entry });
            }
            Decision::Protected(reason) => plan.conflicts.push(Conflict { rel: output.rel, reason }),
        }
    }
    plan.blocked.reverse();
    plan.conflicts.sort_by(|a, b| a.rel.cmp(&b.rel));
    // Paths are unique: an unstable sort gives the same order without a merge buffer.
    plan.writes.sort_unstable_by(|a, b| a.output.rel.cmp(&b.output.rel));
    plan.kept.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
    plan
}

/// What the plan does with one wanted output.
enum Decision {
    /// A directory, link or other non-file is in the way.
    Blocked,
    /// Written; with the conflict `--force` overrides, if any.
    Write(WriteKind, Option<ConflictReason>),
    /// Already on disk as wanted: kept, with its current hash and stat.
    Keep { sha256: String, stat: FileStat },
    /// Edited in the project: left alone (without `--force`).
    Protected(ConflictReason),
}

/// The decision table of build (SPEC §1.6) for one wanted output.
fn decide(
    output: &Prepared,
    recorded: Option<&OutputEntry>,
    on_disk: &OnDisk,
    options: PlanOptions,
) -> Decision {
    let current = match (on_disk, recorded) {
        (OnDisk::NotAFile, _) => return Decision::Blocked,
        (OnDisk::Missing, _) => None,
        (OnDisk::AsBuilt, Some(entry)) => Some((&entry.sha256, entry.stat)),
        // AsBuilt without a manifest entry cannot happen; treat as missing information.
        (OnDisk::AsBuilt, None) => None,
        (OnDisk::File { sha256, stat }, _) => Some((sha256, *stat)),
    };
    let Some((current_sha, current_stat)) = current else {
        return Decision::Write(WriteKind::Create, None);
    };
    let same_as_wanted = output.sha256.as_deref() == Some(current_sha.as_str());
    let conflict = match recorded {
        Some(entry) if *current_sha != entry.sha256 && !same_as_wanted => Some(ConflictReason::Edited),
        None if !same_as_wanted => Some(ConflictReason::NotWrittenByAgb),
        _ => None,
    };
    match conflict {
        Some(reason) if !options.force => Decision::Protected(reason),
        _ if same_as_wanted && !options.clean => {
            Decision::Keep { sha256: current_sha.clone(), stat: current_stat }
        }
        _ => Decision::Write(WriteKind::Update, conflict),
    }
}

/// An output as written: its stat and content hash right after the write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenFile {
    pub stat: FileStat,
    pub sha256: String,
}

/// The manifest after applying `plan`: kept entries, `written` (what each of the plan's writes
/// wrote, in the plan's order; `None` or missing: not written), and
/// the previous entries of everything that was not done: protected edits (so the edit stays
/// detectable and sync keeps its base), and writes or removals an interrupted apply did not reach
/// (`removed` holds the removals that happened).
pub fn next_manifest(
    mut base: Manifest,
    plan: Plan,
    previous: Option<&Manifest>,
    written: Vec<Option<WrittenFile>>,
    removed: &BTreeSet<String>,
) -> Manifest {
    base.files.clear();
    let old = |rel: &str| previous.and_then(|m| m.files.get(rel));
    let not_done = plan.removals.iter().filter(|rel| !removed.contains(*rel));
    let protected = plan.blocking_conflicts().iter().map(|c| &c.rel);
    for rel in not_done.chain(protected) {
        if let Some(old) = old(rel) {
            base.files.insert(rel.clone(), old.clone());
        }
    }
    for kept in plan.kept {
        base.files.insert(kept.rel, kept.entry);
    }
    // Taken from the end, the plan's list shrinking as the manifest grows: a large build's
    // writes are not held twice, once in the plan and once in the manifest.
    let (mut writes, mut written) = (plan.writes, written);
    written.resize_with(writes.len(), || None);
    while let Some(write) = writes.pop() {
        if writes.len() < writes.capacity() / 2 {
            writes.shrink_to_fit();
            written.shrink_to_fit();
        }
        let o = write.output;
        if let Some(done) = written.pop().flatten() {
            let mut sources = o.sources;
            if let OutputContent::Copy { .. } = o.content {
                // A deferred copy: the source is what was copied, byte for byte.
                for s in sources.iter_mut().filter(|s| s.sha256.is_empty()) {
                    s.sha256 = done.sha256.clone();
                }
            }
            let entry = OutputEntry { sha256: done.sha256, stat: done.stat, resource: o.resource, sources };
            base.files.insert(o.rel, entry);
        } else if let Some(old) = old(&o.rel) {
            base.files.insert(o.rel, old.clone());
        }
    }
    base
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::Target;
    use std::path::PathBuf;

    fn out(rel: &str, text: &str) -> Prepared {
        Prepared {
            rel: rel.into(),
            content: OutputContent::Text(text.into()),
            resource: crate::manifest::OutputOrigin::Resource(
                crate::names::ResourceId::from_key("command p:c").unwrap(),
            ),
            sha256: Some(crate::fsutil::sha256_hex(text.as_bytes())),
            sources: vec![],
        }
    }

    fn manifest_with(files: &[(&str, &str)]) -> Manifest {
        let mut m = Manifest::new(Target::ClaudeCode, PathBuf::from("/src"));
        for (rel, text) in files {
            m.files.insert(
                rel.to_string(),
                OutputEntry {
                    sha256: crate::fsutil::sha256_hex(text.as_bytes()),
                    stat: FileStat { size: text.len() as u64, mtime_ns: 1 },
                    resource: crate::manifest::OutputOrigin::Resource(
                        crate::names::ResourceId::from_key("command p:c").unwrap(),
                    ),
                    sources: vec![],
                },
            );
        }
        m
    }

    fn file(text: &str) -> OnDisk {
        OnDisk::File {
            sha256: crate::fsutil::sha256_hex(text.as_bytes()),
            stat: FileStat { size: text.len() as u64, mtime_ns: 2 },
        }
    }

    fn rels(plan: &Plan) -> (Vec<(&str, WriteKind)>, Vec<&str>, Vec<&str>) {
        (
            plan.writes.iter().map(|w| (w.output.rel.as_str(), w.kind)).collect(),
            plan.removals.iter().map(String::as_str).collect(),
            plan.kept.iter().map(|k| k.rel.as_str()).collect(),
        )
    }

    #[test]
    fn first_build_creates_everything() {
        let plan = plan_outputs(
            vec![out("a.md", "A"), out("b.md", "B")],
            None,
            &HashMap::new(),
            PlanOptions::default(),
        );
        assert_eq!(rels(&plan).0, vec![("a.md", WriteKind::Create), ("b.md", WriteKind::Create)]);
        assert!(plan.conflicts.is_empty());
    }

    #[test]
    fn unchanged_outputs_are_kept_changed_updated_deselected_removed() {
        let m = manifest_with(&[("a.md", "A"), ("b.md", "B"), ("old.md", "O")]);
        let disk: HashMap<String, OnDisk> =
            [("a.md", OnDisk::AsBuilt), ("b.md", OnDisk::AsBuilt), ("old.md", OnDisk::AsBuilt)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
        let plan =
            plan_outputs(vec![out("a.md", "A"), out("b.md", "B2")], Some(&m), &disk, PlanOptions::default());
        let (writes, removals, kept) = rels(&plan);
        assert_eq!(writes, vec![("b.md", WriteKind::Update)]);
        assert_eq!(removals, vec!["old.md"]);
        assert_eq!(kept, vec!["a.md"]);
        assert_eq!(plan.kept[0].entry.stat, m.files["a.md"].stat, "a kept output keeps its recorded stat");
    }

    #[test]
    fn touched_but_identical_output_is_kept_with_its_new_stat() {
        let m = manifest_with(&[("a.md", "A")]);
        let disk = HashMap::from([("a.md".to_string(), file("A"))]);
        let plan = plan_outputs(vec![out("a.md", "A")], Some(&m), &disk, PlanOptions::default());
        assert_eq!(plan.kept.len(), 1);
        assert_eq!(plan.kept[0].entry.stat.mtime_ns, 2);
        assert!(plan.is_noop());
    }

    #[test]
    fn edited_output_is_protected_unless_forced() {
        let m = manifest_with(&[("a.md", "A")]);
        let disk = HashMap::from([("a.md".to_string(), file("hand edit"))]);
        let plan = plan_outputs(vec![out("a.md", "A2")], Some(&m), &disk, PlanOptions::default());
        assert_eq!(
            plan.blocking_conflicts(),
            &[Conflict { rel: "a.md".into(), reason: ConflictReason::Edited }]
        );
        assert!(plan.writes.is_empty());
        let forced = plan_outputs(
            vec![out("a.md", "A2")],
            Some(&m),
            &disk,
            PlanOptions { force: true, ..Default::default() },
        );
        assert!(forced.blocking_conflicts().is_empty());
        assert_eq!(rels(&forced).0, vec![("a.md", WriteKind::Update)]);
    }

    #[test]
    fn edit_that_equals_the_new_output_is_no_conflict() {
        let m = manifest_with(&[("a.md", "A")]);
        let disk = HashMap::from([("a.md".to_string(), file("A2"))]);
        let plan = plan_outputs(vec![out("a.md", "A2")], Some(&m), &disk, PlanOptions::default());
        assert!(plan.conflicts.is_empty());
        assert_eq!(plan.kept.len(), 1);
    }

    #[test]
    fn file_agb_never_wrote_is_protected_unless_identical() {
        let disk = HashMap::from([("a.md".to_string(), file("mine")), ("b.md".to_string(), file("B"))]);
        let plan =
            plan_outputs(vec![out("a.md", "A"), out("b.md", "B")], None, &disk, PlanOptions::default());
        assert_eq!(
            plan.conflicts,
            vec![Conflict { rel: "a.md".into(), reason: ConflictReason::NotWrittenByAgb }]
        );
        assert_eq!(rels(&plan).2, vec!["b.md"], "an identical file is adopted, not rewritten");
    }

    #[test]
    fn edited_output_of_deselected_resource_is_not_removed() {
        let m = manifest_with(&[("old.md", "O")]);
        let disk = HashMap::from([("old.md".to_string(), file("edited"))]);
        let plan = plan_outputs(vec![], Some(&m), &disk, PlanOptions::default());
        assert!(plan.removals.is_empty());
        assert_eq!(plan.conflicts[0].reason, ConflictReason::EditedAndDeselected);
        let forced = plan_outputs(vec![], Some(&m), &disk, PlanOptions { force: true, clean: false });
        assert_eq!(forced.removals, vec!["old.md".to_string()]);
    }

    #[test]
    fn missing_outputs_are_recreated_or_forgotten() {
        let m = manifest_with(&[("a.md", "A"), ("gone.md", "G")]);
        let plan = plan_outputs(vec![out("a.md", "A")], Some(&m), &HashMap::new(), PlanOptions::default());
        assert_eq!(rels(&plan).0, vec![("a.md", WriteKind::Create)]);
        assert_eq!(plan.forgotten, vec!["gone.md".to_string()]);
        assert!(plan.removals.is_empty());
    }

    #[test]
    fn clean_rewrites_unchanged_outputs() {
        let m = manifest_with(&[("a.md", "A")]);
        let disk = HashMap::from([("a.md".to_string(), OnDisk::AsBuilt)]);
        let plan =
            plan_outputs(vec![out("a.md", "A")], Some(&m), &disk, PlanOptions { clean: true, force: false });
        assert_eq!(rels(&plan).0, vec![("a.md", WriteKind::Update)]);
    }

    #[test]
    fn directory_or_link_in_the_way_is_blocked() {
        let disk = HashMap::from([("a.md".to_string(), OnDisk::NotAFile)]);
        let plan =
            plan_outputs(vec![out("a.md", "A")], None, &disk, PlanOptions { force: true, clean: false });
        assert_eq!(plan.blocked, vec!["a.md".to_string()]);
        assert!(plan.writes.is_empty());
    }

    #[test]
    fn next_manifest_records_written_and_kept_and_protected() {
        let m = manifest_with(&[("a.md", "A"), ("b.md", "B"), ("e.md", "E")]);
        let disk = HashMap::from([
            ("a.md".to_string(), OnDisk::AsBuilt),
            ("b.md".to_string(), OnDisk::AsBuilt),
            ("e.md".to_string(), file("edited")),
        ]);
        let plan = plan_outputs(
            vec![out("a.md", "A"), out("b.md", "B2"), out("e.md", "E2"), out("n.md", "N")],
            Some(&m),
            &disk,
            PlanOptions::default(),
        );
        let done = |text: &str| WrittenFile {
            stat: FileStat { size: text.len() as u64, mtime_ns: 9 },
            sha256: crate::fsutil::sha256_hex(text.as_bytes()),
        };
        assert_eq!(rels(&plan).0, vec![("b.md", WriteKind::Update), ("n.md", WriteKind::Create)]);
        let written = vec![Some(done("B2")), Some(done("N"))];
        let next = next_manifest(
            Manifest::new(Target::ClaudeCode, "/src".into()),
            plan,
            Some(&m),
            written,
            &BTreeSet::new(),
        );
        assert_eq!(next.files.keys().collect::<Vec<_>>(), vec!["a.md", "b.md", "e.md", "n.md"]);
        assert_eq!(next.files["b.md"].sha256, crate::fsutil::sha256_hex(b"B2"));
        assert_eq!(next.files["e.md"], m.files["e.md"], "a protected edit keeps its old base");
    }
}
