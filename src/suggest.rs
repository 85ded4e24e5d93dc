//! "Did you mean …": the closest names to a misspelt one, by edit distance.
//!
//! Shared by the resource loader (misspelt `plugin:name`), the config loader (misspelt keys) and
//! the factory (misspelt module paths and versions). Pure; no I/O.

/// Levenshtein distance between two strings, counted in `char`s.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let subst = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = subst.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidates close enough to `needle` to be worth suggesting, best first (at most 3).
///
/// "Close enough" is an edit distance of at most a third of the needle's length (at least 1,
/// at most 4), compared case-insensitively, or the needle being a case-insensitive substring of
/// the candidate (or the reverse, either at least 3 characters long), which catches `web` → `web_search`; substring matches are only
/// offered when no close spelling exists. Ties are broken by name
/// so the output is deterministic.
pub fn closest<'a>(needle: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let needle_lc = needle.to_lowercase();
    let max = (needle.chars().count() / 3).clamp(1, 4);
    let mut scored: Vec<(usize, &'a str)> = candidates
        .into_iter()
        .filter_map(|cand| {
            let cand_lc = cand.to_lowercase();
            let d = edit_distance(&needle_lc, &cand_lc);
            if d <= max {
                Some((d, cand))
            } else if (long_enough(&needle_lc) && cand_lc.contains(&needle_lc))
                || (long_enough(&cand_lc) && needle_lc.contains(&cand_lc))
            {
                // a substring match ranks after every close spelling
                Some((max + 1 + d, cand))
            } else {
                None
            }
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    // a close spelling makes substring matches noise
    if scored.first().is_some_and(|(d, _)| *d <= max) {
        scored.retain(|(d, _)| *d <= max);
    }
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// A substring of one or two characters is in nearly everything (`x` in `exclude`): no hint.
fn long_enough(s: &str) -> bool {
    s.chars().count() >= 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_basics() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("sorce", "source"), 1);
        assert_eq!(edit_distance("é", "e"), 1);
    }

    #[test]
    fn closest_finds_typos_best_first() {
        let cands = ["source", "target", "exclude", "resources", "factory"];
        assert_eq!(closest("sorce", cands), vec!["source"]);
        assert_eq!(closest("resource", cands)[0], "resources");
        assert_eq!(closest("zzzzzz", cands), Vec::<&str>::new());
    }

    #[test]
    fn closest_catches_prefixes_and_case() {
        let cands = ["demo:web_search", "demo:researcher", "other:lint"];
        assert_eq!(closest("demo:web_serch", cands), vec!["demo:web_search"]);
        assert_eq!(closest("DEMO:LINT", ["demo:lint"]), vec!["demo:lint"]);
        assert_eq!(closest("web_search", cands), vec!["demo:web_search"]);
        // one or two letters are in almost every name: no substring hint from them
        assert_eq!(closest("x", ["source", "exclude"]), Vec::<&str>::new());
        assert_eq!(closest("exc", ["source", "exclude"]), vec!["exclude"]);
        assert_eq!(closest("sources-extra", ["s", "sources"]), vec!["sources"]);
    }
}
