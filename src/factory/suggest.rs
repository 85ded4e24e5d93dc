//! "Did you mean": edit distance and ranking of the closest module paths or versions, so an agent
//! asking for a module that does not exist is pointed at ones that do instead of inventing one.
//!
//! Pure functions. The edit distance is the crate's shared one (`crate::suggest`); the ranking
//! here is path-aware (a module's last segment counts more than its provider/category). Versions
//! have two rankings, both here: the neighbours of a missing version ([`closest_versions`], for
//! `check`, `show`, `import`) and the single nearest one ([`nearest_version`], for `validate`).

use semver::Version;

pub use crate::suggest::edit_distance;

/// The candidates closest to `query`, best first, at most `max`. A candidate is close when its
/// full path is within a quarter of the length (at least 2 edits), when its last segment is
/// within a third of the query's last segment (at least 1 edit), or when one last segment
/// contains the other; when nothing is close, nothing is returned.
pub fn closest_paths<'a>(
    query: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    max: usize,
) -> Vec<String> {
    let q_last = query.rsplit('/').next().unwrap_or(query);
    let full_limit = (query.chars().count() / 4).max(2);
    let last_limit = (q_last.chars().count() / 3).max(1);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let c_last = c.rsplit('/').next().unwrap_or(c);
            let mut best: Option<usize> = None;
            let mut consider = |score: usize| best = Some(best.map_or(score, |b| b.min(score)));
            let full = edit_distance(query, c);
            if full <= full_limit {
                consider(full);
            }
            let last = edit_distance(q_last, c_last);
            if last <= last_limit {
                consider(last + 1);
            }
            if q_last.len() >= 2 && (c_last.contains(q_last) || q_last.contains(c_last)) {
                consider(1);
            }
            if swapped_neighbours(q_last, c_last) {
                consider(2);
            }
            best.map(|s| (s, c))
        })
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    scored.into_iter().take(max).map(|(_, c)| c.to_string()).collect()
}

/// `vcp` for `vpc`: one pair of neighbouring characters swapped, the commonest typo of a short
/// name, which is 2 Levenshtein edits and so past the last segment's limit of a third.
fn swapped_neighbours(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() != b.len() {
        return false;
    }
    let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    matches!(diff.as_slice(), [i, j] if *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i])
}

/// The modules a partial path (`vpc`, `networking/vpc`) may mean: those whose path ends with it
/// segment by segment, else the [`closest_paths`]; sorted, never resolved to one (the user picks).
pub fn modules_ending_with<'a>(partial: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let suffix = format!("/{partial}");
    let mut exact: Vec<String> =
        candidates.iter().filter(|c| c.ends_with(&suffix)).map(|c| (*c).to_string()).collect();
    if exact.is_empty() {
        exact = closest_paths(partial, candidates, 3);
    }
    exact.sort();
    exact
}

/// For a version that does not exist: the nearest lower and higher existing versions and the
/// latest, in ascending order, without duplicates (the list `check`, `show` and `import` print;
/// `validate` names one version, [`nearest_version`]).
pub fn closest_versions(wanted: &Version, existing: &[Version]) -> Vec<Version> {
    let mut out: Vec<Version> = Vec::new();
    if let Some(lower) = existing.iter().filter(|v| *v < wanted).max() {
        out.push(lower.clone());
    }
    if let Some(higher) = existing.iter().filter(|v| *v > wanted).min() {
        out.push(higher.clone());
    }
    if let Some(latest) = existing.iter().max() {
        out.push(latest.clone());
    }
    out.sort();
    out.dedup();
    out
}

/// The one existing version nearest to `wanted`, for `agb factory validate`'s single "did you
/// mean" (where [`closest_versions`] lists the neighbours for `check`/`show`/`import`; the two
/// differ on purpose, e.g. for 1.0.5 among 1.0.0, 1.1.0, 2.0.0 this gives 1.0.0, that all three):
/// same major and minor first, then same major, then
/// any; within a group the nearest by (major, minor, patch) distance, the higher one on a tie.
pub fn nearest_version(wanted: &Version, existing: &[Version]) -> Option<Version> {
    let dist = |v: &Version| {
        (
            v.major.abs_diff(wanted.major),
            if v.major == wanted.major { v.minor.abs_diff(wanted.minor) } else { 0 },
            if v.major == wanted.major && v.minor == wanted.minor {
                v.patch.abs_diff(wanted.patch)
            } else {
                0
            },
        )
    };
    existing.iter().min_by(|a, b| dist(a).cmp(&dist(b)).then_with(|| b.cmp(a))).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_and_wrong_category_are_suggested() {
        let mods = ["aws/networking/vpc", "aws/compute/ec2", "aws/storage/s3-bucket", "gcp/networking/vpc"];
        let s = closest_paths("aws/networking/vcp", mods, 3);
        assert_eq!(s.first().map(String::as_str), Some("aws/networking/vpc"));
        let s = closest_paths("aws/network/s3-bucket", mods, 3);
        assert_eq!(s.first().map(String::as_str), Some("aws/storage/s3-bucket"));
        let s = closest_paths("aws/storage/s3", mods, 3);
        assert!(s.contains(&"aws/storage/s3-bucket".to_string()), "{s:?}");
        assert!(closest_paths("azure/ml/workspace", mods, 3).is_empty());
        assert_eq!(closest_paths("vcp", mods, 3), vec!["aws/networking/vpc", "gcp/networking/vpc"]);
    }

    #[test]
    fn a_partial_path_lists_every_module_it_ends() {
        let mods = ["aws/networking/vpc", "aws/compute/ec2", "gcp/networking/vpc"];
        assert_eq!(modules_ending_with("vpc", mods), vec!["aws/networking/vpc", "gcp/networking/vpc"]);
        assert_eq!(modules_ending_with("compute/ec2", mods), vec!["aws/compute/ec2"]);
        assert_eq!(modules_ending_with("vcp", mods), vec!["aws/networking/vpc", "gcp/networking/vpc"]);
    }

    #[test]
    fn versions_around_the_wanted_one() {
        let v = |s: &str| Version::parse(s).unwrap();
        let existing = [v("1.0.0"), v("1.1.0"), v("2.0.0")];
        assert_eq!(closest_versions(&v("1.0.5"), &existing), vec![v("1.0.0"), v("1.1.0"), v("2.0.0")]);
        assert_eq!(closest_versions(&v("3.0.0"), &existing), vec![v("2.0.0")]);
        assert_eq!(closest_versions(&v("0.1.0"), &existing), vec![v("1.0.0"), v("2.0.0")]);
    }

    #[test]
    fn the_nearest_version_prefers_same_major_and_minor_then_the_higher() {
        let v = |s: &str| Version::parse(s).unwrap();
        let existing = [v("1.0.0"), v("1.0.4"), v("1.1.0"), v("2.0.0")];
        assert_eq!(nearest_version(&v("1.0.5"), &existing), Some(v("1.0.4")));
        assert_eq!(nearest_version(&v("1.0.2"), &existing), Some(v("1.0.4")), "a tie goes up");
        assert_eq!(nearest_version(&v("1.3.0"), &existing), Some(v("1.1.0")));
        assert_eq!(nearest_version(&v("3.0.0"), &existing), Some(v("2.0.0")));
        assert_eq!(nearest_version(&v("1.0.0"), &[]), None);
    }
}
