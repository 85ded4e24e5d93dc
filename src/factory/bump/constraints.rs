//! Terraform version constraints (`>= 1.3`, `~> 5.0`, `!= 1.5.0`…) reduced to what decides
//! strictness, and how one changed into another.
//!
//! Not here: which bump a change calls for (see `rules`).

use std::collections::BTreeSet;

/// One end of a version range.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Bound {
    version: semver::Version,
    inclusive: bool,
}

/// A Terraform version constraint reduced to what decides strictness: the lowest and highest
/// allowed versions and the excluded ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Constraint {
    lower: Option<Bound>,
    upper: Option<Bound>,
    excluded: BTreeSet<semver::Version>,
}

/// How a constraint changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConstraintChange {
    Same,
    /// Fewer versions accepted somewhere (a minimum in a higher major line, a lower maximum, a
    /// new exclusion).
    Tightened,
    /// Only the minimum rose, and it stays in the same major line (`>= 6.37` → `>= 6.39`; for
    /// 0.x versions the line is `0.minor`).
    RaisedMinimumSameMajor,
    /// Only more versions accepted.
    Widened,
}

impl Constraint {
    /// Parse `>= 1.3`, `~> 5.0`, `>= 4.0, < 6.0`, `= 1.2.3`, `1.2.3`, `!= 1.5.0`. None when a part
    /// is not a constraint agb understands.
    pub fn parse(text: &str) -> Option<Constraint> {
        let mut c = Constraint::default();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (op, ver) = ["~>", ">=", "<=", "!=", ">", "<", "="]
                .iter()
                .find_map(|op| part.strip_prefix(op).map(|rest| (*op, rest.trim())))
                .unwrap_or(("=", part));
            let (version, given) = parse_partial_version(ver)?;
            match op {
                ">=" => c.raise_lower(Bound { version, inclusive: true }),
                ">" => c.raise_lower(Bound { version, inclusive: false }),
                "<=" => c.lower_upper(Bound { version, inclusive: true }),
                "<" => c.lower_upper(Bound { version, inclusive: false }),
                "!=" => {
                    c.excluded.insert(version);
                }
                "~>" => {
                    // The rightmost given component may grow: `~> 5.0` < 6.0.0, `~> 5.0.1` < 5.1.0,
                    // `~> 5` < 6.0.0 (as Terraform treats it).
                    let upper = match given {
                        1 | 2 => semver::Version::new(version.major + 1, 0, 0),
                        _ => semver::Version::new(version.major, version.minor + 1, 0),
                    };
                    c.raise_lower(Bound { version, inclusive: true });
                    c.lower_upper(Bound { version: upper, inclusive: false });
                }
                _ => {
                    c.raise_lower(Bound { version: version.clone(), inclusive: true });
                    c.lower_upper(Bound { version, inclusive: true });
                }
            }
        }
        c.normalize();
        Some(c)
    }

    /// One form per set of accepted releases (Terraform matches pre-releases only exactly): lower
    /// bounds inclusive, upper bounds exclusive, exclusions at an edge moved into the bound,
    /// exclusions outside the range dropped, `>= 0` no bound at all. So `> 1.2.3` and
    /// `>= 1.2.4` compare as the same constraint.
    fn normalize(&mut self) {
        let next = |v: &semver::Version| semver::Version::new(v.major, v.minor, v.patch + 1);
        if let Some(b) = self.lower.as_mut().filter(|b| !b.inclusive && b.version.pre.is_empty()) {
            *b = Bound { version: next(&b.version), inclusive: true };
        }
        if let Some(b) = self.upper.as_mut().filter(|b| b.inclusive && b.version.pre.is_empty()) {
            *b = Bound { version: next(&b.version), inclusive: false };
        }
        loop {
            let zero = semver::Version::new(0, 0, 0);
            let at = self.lower.as_ref().map_or(zero, |b| b.version.clone());
            if !self.lower.as_ref().is_none_or(|b| b.inclusive) || !self.excluded.remove(&at) {
                break;
            }
            self.lower = Some(Bound { version: next(&at), inclusive: true });
        }
        while let Some(b) = self.upper.as_ref().filter(|b| !b.inclusive && b.version.patch > 0) {
            let below = semver::Version::new(b.version.major, b.version.minor, b.version.patch - 1);
            if !self.excluded.remove(&below) {
                break;
            }
            self.upper = Some(Bound { version: below, inclusive: false });
        }
        if self.lower.as_ref().is_some_and(|b| b.inclusive && b.version == semver::Version::new(0, 0, 0)) {
            self.lower = None;
        }
        let (lower, upper) = (self.lower.clone(), self.upper.clone());
        self.excluded.retain(|v| {
            let probe = Constraint { lower: lower.clone(), upper: upper.clone(), excluded: BTreeSet::new() };
            probe.allows(v)
        });
    }

    /// Whether `v` satisfies the constraint.
    pub fn allows(&self, v: &semver::Version) -> bool {
        let above =
            self.lower.as_ref().is_none_or(|b| if b.inclusive { *v >= b.version } else { *v > b.version });
        let below =
            self.upper.as_ref().is_none_or(|b| if b.inclusive { *v <= b.version } else { *v < b.version });
        above && below && !self.excluded.contains(v)
    }

    fn raise_lower(&mut self, b: Bound) {
        if self.lower.as_ref().is_none_or(|cur| lower_cmp(&b, cur).is_gt()) {
            self.lower = Some(b);
        }
    }

    fn lower_upper(&mut self, b: Bound) {
        if self.upper.as_ref().is_none_or(|cur| upper_cmp(&b, cur).is_lt()) {
            self.upper = Some(b);
        }
    }

    /// Whether `new` has a maximum where `self` had none, or a lower one.
    pub fn upper_tightened(&self, new: &Constraint) -> bool {
        match (&self.upper, &new.upper) {
            (None, Some(_)) => true,
            (Some(o), Some(n)) => upper_cmp(n, o).is_lt(),
            _ => false,
        }
    }

    /// Whether `new`'s minimum is higher than `self`'s.
    pub fn minimum_raised(&self, new: &Constraint) -> bool {
        match (&self.lower, &new.lower) {
            (None, Some(_)) => true,
            (Some(o), Some(n)) => lower_cmp(n, o).is_gt(),
            _ => false,
        }
    }

    /// The compatibility line of the minimum (`(major, 0)`, or `(0, minor)` before 1.0).
    pub fn minimum_line(&self) -> Option<(u64, u64)> {
        self.lower.as_ref().map(|b| major_line(&b.version))
    }

    /// How `new` differs from `self` (the old constraint).
    pub fn change_to(&self, new: &Constraint) -> ConstraintChange {
        let lower = match (&self.lower, &new.lower) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(_), None) => std::cmp::Ordering::Less,
            (Some(o), Some(n)) => lower_cmp(n, o),
        };
        // For the upper end, "less" means stricter.
        let upper = match (&self.upper, &new.upper) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, Some(_)) => std::cmp::Ordering::Less,
            (Some(_), None) => std::cmp::Ordering::Greater,
            (Some(o), Some(n)) => upper_cmp(n, o),
        };
        // An exclusion only matters for a version the other side's range would accept.
        let new_exclusions = new.excluded.difference(&self.excluded).any(|v| self.allows(v));
        let dropped_exclusions = self.excluded.difference(&new.excluded).any(|v| new.allows(v));
        let same_line = match (&self.lower, &new.lower) {
            (Some(o), Some(n)) => major_line(&o.version) == major_line(&n.version),
            _ => false,
        };
        if upper.is_lt() || new_exclusions || (lower.is_gt() && !same_line) {
            ConstraintChange::Tightened
        } else if lower.is_gt() {
            ConstraintChange::RaisedMinimumSameMajor
        } else if lower.is_lt() || upper.is_gt() || dropped_exclusions {
            ConstraintChange::Widened
        } else {
            ConstraintChange::Same
        }
    }
}

/// The compatibility line of a version: its major, or `0.minor` before 1.0.
fn major_line(v: &semver::Version) -> (u64, u64) {
    if v.major == 0 {
        (0, v.minor)
    } else {
        (v.major, 0)
    }
}

/// Order of two lower bounds: Greater = `a` is the stricter (higher) minimum.
fn lower_cmp(a: &Bound, b: &Bound) -> std::cmp::Ordering {
    a.version.cmp(&b.version).then(match (a.inclusive, b.inclusive) {
        (true, false) => std::cmp::Ordering::Less,
        (false, true) => std::cmp::Ordering::Greater,
        _ => std::cmp::Ordering::Equal,
    })
}

/// Order of two upper bounds: Less = `a` is the stricter (lower) maximum.
fn upper_cmp(a: &Bound, b: &Bound) -> std::cmp::Ordering {
    a.version.cmp(&b.version).then(match (a.inclusive, b.inclusive) {
        (true, false) => std::cmp::Ordering::Greater,
        (false, true) => std::cmp::Ordering::Less,
        _ => std::cmp::Ordering::Equal,
    })
}

/// `1`, `1.3`, `1.3.0`, `1.3.0-beta1` → the version padded with zeros and how many numeric
/// components were given.
fn parse_partial_version(s: &str) -> Option<(semver::Version, usize)> {
    let s = s.trim().trim_start_matches('v');
    let (nums, pre) = match s.split_once('-') {
        Some((n, p)) => (n, Some(p)),
        None => (s, None),
    };
    let parts: Vec<&str> = nums.split('.').collect();
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let mut n = [0u64; 3];
    for (i, p) in parts.iter().enumerate() {
        n[i] = p.parse().ok()?;
    }
    let mut v = semver::Version::new(n[0], n[1], n[2]);
    if let Some(pre) = pre {
        v.pre = semver::Prerelease::new(pre).ok()?;
    }
    Some((v, parts.len()))
}
