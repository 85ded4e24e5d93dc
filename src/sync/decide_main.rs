//! The three-way decision for a resource's main file (SPEC §1.7 step 3), pure: given whether the
//! project file and the source changed since the build (the manifest is the base) and, when the
//! project file was read, whether its description and body differ from the source's, say what
//! sync does: carry the project's text back, report a conflict, or note a source edit.
//!
//! Not here: observing the files (`observe`, `main_file`), the extras' decision (`decide`),
//! patching the source (`patch`).

use super::error::Conflict;

/// What a source edit is reported as when the project file was not compared with the source.
pub const DESCRIPTION_OR_BODY: &str = "description or body";

/// What is known about a resource's main output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MainFacts {
    /// The manifest records the output (agb wrote it).
    pub in_base: bool,
    /// The project file differs from the manifest's record (true without a record).
    pub project_changed: bool,
    /// A source file the output was rendered from changed since the build. Without a record of
    /// the output: true when there is a manifest (agb did not write the file, so there is no
    /// base to tell which side changed: a difference is a conflict), false without any manifest
    /// (the sync is two-way and the project wins).
    pub source_changed: bool,
    /// What the project file says against the source; `None` when it was not read
    /// ([`must_read`] said no).
    pub differs: Option<Differs>,
    /// `--force`: the project wins conflicts.
    pub force: bool,
}

/// Which parts of the project file differ from the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Differs {
    pub description: bool,
    pub body: bool,
}

/// Whether the project file must be read and compared with the source: when it changed since
/// the build, or when part of what it says is kept elsewhere (a Codex agent's description lives
/// in config.toml, which the manifest does not hash).
pub fn must_read(project_changed: bool, described_elsewhere: bool) -> bool {
    project_changed || described_elsewhere
}

/// What sync does with the main file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MainDecision {
    /// Write the project's description / body into the source.
    pub carry: Differs,
    /// Changed on both sides differently (carried anyway under `--force`).
    pub conflicts: Vec<Conflict>,
    /// Changed only in the source since the build: `agb build` brings it.
    pub source_edit: Option<&'static str>,
    /// Edited in the project outside what sync carries back: `agb build` overwrites it.
    pub ignored: bool,
    /// Refresh the file's manifest entry once applied (the project file then is what a build
    /// of the new source writes).
    pub refresh: bool,
}

/// Decide what sync does with the main file.
pub fn decide_main(f: &MainFacts) -> MainDecision {
    let mut d = MainDecision::default();
    let Some(differs) = f.differs else {
        // Not read: the project file is as built.
        d.source_edit = f.source_changed.then_some(DESCRIPTION_OR_BODY);
        return d;
    };
    if !differs.description && !differs.body {
        if f.in_base {
            if f.project_changed {
                // Edited, but not in anything sync carries back (or edited to what the source
                // now says): the manifest learns the file so build does not call it an edit.
                d.ignored = !f.source_changed;
                d.refresh = true;
            }
            if f.source_changed {
                d.source_edit = Some(DESCRIPTION_OR_BODY);
            }
        }
        return d;
    }
    if !f.project_changed {
        // Read although unchanged (a Codex agent): a source change explains the difference
        // (build brings it).
        if f.source_changed {
            d.source_edit = Some("description");
            return d;
        }
    } else if f.source_changed {
        if differs.description {
            d.conflicts.push(Conflict::Description);
        }
        if differs.body {
            d.conflicts.push(Conflict::Body);
        }
        if !f.force {
            return d;
        }
    }
    d.refresh = f.project_changed;
    d.carry = differs;
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: Differs = Differs { description: false, body: false };
    const DESC: Differs = Differs { description: true, body: false };
    const BOTH: Differs = Differs { description: true, body: true };

    fn facts(project_changed: bool, source_changed: bool, differs: Option<Differs>) -> MainFacts {
        MainFacts { in_base: true, project_changed, source_changed, differs, force: false }
    }

    #[test]
    fn unread_file_reports_only_source_edits() {
        assert_eq!(decide_main(&facts(false, false, None)), MainDecision::default());
        let d = decide_main(&facts(false, true, None));
        assert_eq!(d, MainDecision { source_edit: Some(DESCRIPTION_OR_BODY), ..Default::default() });
        assert!(must_read(true, false) && must_read(false, true) && !must_read(false, false));
    }

    #[test]
    fn project_edit_is_carried_back() {
        let d = decide_main(&facts(true, false, Some(DESC)));
        assert_eq!(d, MainDecision { carry: DESC, refresh: true, ..Default::default() });
    }

    #[test]
    fn both_sides_changed_is_a_conflict_unless_forced() {
        let d = decide_main(&facts(true, true, Some(BOTH)));
        assert_eq!(d.conflicts, vec![Conflict::Description, Conflict::Body]);
        assert_eq!((d.carry, d.refresh), (NONE, false));
        let forced = decide_main(&MainFacts { force: true, ..facts(true, true, Some(DESC)) });
        assert_eq!(forced.conflicts, vec![Conflict::Description]);
        assert_eq!((forced.carry, forced.refresh), (DESC, true));
    }

    #[test]
    fn edit_outside_description_and_body_is_ignored_and_learned() {
        let d = decide_main(&facts(true, false, Some(NONE)));
        assert_eq!(d, MainDecision { ignored: true, refresh: true, ..Default::default() });
        // the source changed too: not ignored (build brings the source), still learned
        let d = decide_main(&facts(true, true, Some(NONE)));
        let want =
            MainDecision { refresh: true, source_edit: Some(DESCRIPTION_OR_BODY), ..Default::default() };
        assert_eq!(d, want);
        // without a record the file is not learned
        let d = decide_main(&MainFacts { in_base: false, ..facts(true, true, Some(NONE)) });
        assert_eq!(d, MainDecision::default());
    }

    #[test]
    fn codex_agent_read_although_unchanged() {
        let d = decide_main(&facts(false, true, Some(DESC)));
        assert_eq!(d, MainDecision { source_edit: Some("description"), ..Default::default() });
        // config.toml edited, the source not: carried back without refreshing the main file
        let d = decide_main(&facts(false, false, Some(DESC)));
        assert_eq!(d, MainDecision { carry: DESC, ..Default::default() });
    }

    #[test]
    fn no_record_in_a_manifest_conflicts_without_manifest_project_wins() {
        let unrecorded = MainFacts { in_base: false, ..facts(true, true, Some(BOTH)) };
        assert_eq!(decide_main(&unrecorded).conflicts, vec![Conflict::Description, Conflict::Body]);
        let two_way = MainFacts { in_base: false, ..facts(true, false, Some(BOTH)) };
        assert_eq!(decide_main(&two_way), MainDecision { carry: BOTH, refresh: true, ..Default::default() });
    }
}
