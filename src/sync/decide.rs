//! The three-way decision for one skill extra (SPEC §1.7 step 3), pure: given what exists in the
//! project, in the source and in the build manifest (the base), and which sides changed since
//! the build, say what sync does with it.
//!
//! Not here: observing the files (that is [`super::plan_sync`]), or doing anything.

/// What is known about one extra path (relative to the skill directory).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExtraFacts {
    pub in_project: bool,
    pub in_source: bool,
    /// The manifest lists the output (it was built).
    pub in_base: bool,
    /// Project file vs the manifest's record (`None` when either is missing).
    pub project_changed: Option<bool>,
    /// Source file vs the manifest's record of the source it was copied from.
    pub source_changed: Option<bool>,
    /// Project file vs source file, when it had to be known.
    pub same: Option<bool>,
    /// agb.yaml's `exclude` matches the source path the file would have.
    pub excluded: bool,
    /// No manifest at all: two-way, the project wins.
    pub two_way: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtraDecision {
    Nothing,
    /// Copy the project file into the source (a new extra when `create`).
    Copy {
        create: bool,
    },
    /// Delete the source extra (the project deleted it).
    Delete,
    /// Changed only in the source since the build: `agb build` brings it.
    SourceEdited,
    /// Changed on both sides differently.
    Conflict,
    /// The project adds a file the exclude patterns match: never copied, reported.
    Excluded,
    /// Changed in the project to what the source already holds: only the manifest learns it.
    ProjectEditedSame,
    /// Gone on both sides: drop it from the manifest.
    Forget,
}

/// Decide what sync does with one extra.
pub fn decide_extra(f: &ExtraFacts) -> ExtraDecision {
    use ExtraDecision::*;
    let same = f.same.unwrap_or(false);
    if f.two_way {
        return match (f.in_project, f.in_source) {
            (true, true) if same => Nothing,
            (true, true) => Copy { create: false },
            (true, false) if f.excluded => Excluded,
            (true, false) => Copy { create: true },
            (false, true) => Delete,
            (false, false) => Nothing,
        };
    }
    // A missing comparison (no recorded source for a built file) counts as a change: the
    // conservative answer, which at worst asks the user.
    let pc = f.project_changed.unwrap_or(true);
    let sc = f.source_changed.unwrap_or(true);
    match (f.in_project, f.in_source, f.in_base) {
        (true, true, true) => match (pc, sc) {
            (false, false) => Nothing,
            (true, false) => Copy { create: false },
            (false, true) => SourceEdited,
            (true, true) if same => ProjectEditedSame,
            (true, true) => Conflict,
        },
        (true, true, false) if same => ProjectEditedSame,
        (true, true, false) => Conflict,
        (true, false, true) if pc => Conflict,
        (true, false, true) => SourceEdited,
        (true, false, false) if f.excluded => Excluded,
        (true, false, false) => Copy { create: true },
        (false, true, true) if sc => Conflict,
        (false, true, true) => Delete,
        (false, true, false) => SourceEdited,
        (false, false, true) => Forget,
        (false, false, false) => Nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ExtraDecision::*;

    fn facts(p: bool, s: bool, b: bool, pc: Option<bool>, sc: Option<bool>) -> ExtraFacts {
        ExtraFacts {
            in_project: p,
            in_source: s,
            in_base: b,
            project_changed: pc,
            source_changed: sc,
            ..Default::default()
        }
    }

    #[test]
    fn three_way_table() {
        assert_eq!(decide_extra(&facts(true, true, true, Some(false), Some(false))), Nothing);
        assert_eq!(decide_extra(&facts(true, true, true, Some(true), Some(false))), Copy { create: false });
        assert_eq!(decide_extra(&facts(true, true, true, Some(false), Some(true))), SourceEdited);
        assert_eq!(decide_extra(&facts(true, true, true, Some(true), Some(true))), Conflict);
        let same = ExtraFacts { same: Some(true), ..facts(true, true, true, Some(true), Some(true)) };
        assert_eq!(decide_extra(&same), ProjectEditedSame);
        // project added / excluded
        assert_eq!(decide_extra(&facts(true, false, false, None, None)), Copy { create: true });
        let excluded = ExtraFacts { excluded: true, ..facts(true, false, false, None, None) };
        assert_eq!(decide_extra(&excluded), Excluded);
        // project deleted: delete unless the source changed since
        assert_eq!(decide_extra(&facts(false, true, true, None, Some(false))), Delete);
        assert_eq!(decide_extra(&facts(false, true, true, None, Some(true))), Conflict);
        // source added or deleted since the build: never reverted
        assert_eq!(decide_extra(&facts(false, true, false, None, None)), SourceEdited);
        assert_eq!(decide_extra(&facts(true, false, true, Some(false), None)), SourceEdited);
        assert_eq!(decide_extra(&facts(true, false, true, Some(true), None)), Conflict);
        assert_eq!(decide_extra(&facts(false, false, true, None, None)), Forget);
    }

    #[test]
    fn two_way_project_wins() {
        let tw = |p, s, same| ExtraFacts {
            in_project: p,
            in_source: s,
            same: Some(same),
            two_way: true,
            ..Default::default()
        };
        assert_eq!(decide_extra(&tw(true, true, true)), Nothing);
        assert_eq!(decide_extra(&tw(true, true, false)), Copy { create: false });
        assert_eq!(decide_extra(&tw(true, false, false)), Copy { create: true });
        assert_eq!(decide_extra(&tw(false, true, false)), Delete);
    }
}
