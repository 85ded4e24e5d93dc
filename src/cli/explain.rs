//! `agb explain CODE`: what an error code means and what to do, from the table of codes in
//! `docs/error-codes.md` (compiled in, so the binary and the page never differ). The man page
//! `agb-explain(1)` carries the same table.
//!
//! Not here: the diagnostics themselves (each module's error enum).

use crate::cli::output::outln;
use crate::cli::Global;
use crate::error::Exit;

/// The table of error codes: `## <code>` headings, each followed by its explanation.
pub const CODES_PAGE: &str = include_str!("../../docs/error-codes.md");

/// Print what an error code means and what to do about it.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  agb explain agb::outputs::edited_outputs
  agb explain edited_outputs              the last part is enough when it is unique
  agb explain                             list every code")]
pub struct Args {
    /// The code from the first line of an error, e.g. agb::outputs::edited_outputs.
    #[arg(value_name = "CODE", add = crate::cli::completions::code_completer())]
    pub code: Option<String>,
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("no error code {code:?}")]
#[diagnostic(code(agb::explain::not_found), help("{hint}"))]
pub struct UnknownCode {
    code: String,
    hint: String,
}

/// Every (code, explanation) of the table, in its order.
pub fn entries() -> Vec<(&'static str, &'static str)> {
    CODES_PAGE
        .split("\n## ")
        .skip(1)
        .filter_map(|section| {
            let (code, body) = section.split_once('\n')?;
            Some((code.trim(), body.trim()))
        })
        .collect()
}

/// The entry for `code`: the exact code, else the one code whose trailing segments are `code`
/// (`edited_outputs`, `outputs::edited_outputs`), else the one whose last segment matches
/// (`agb::build::edited_outputs` → `agb::outputs::edited_outputs`).
pub fn lookup(code: &str) -> Result<(&'static str, &'static str), UnknownCode> {
    let all = entries();
    let code = code.trim();
    if let Some(e) = all.iter().find(|(c, _)| *c == code) {
        return Ok(*e);
    }
    let unique = |matches: Vec<&(&'static str, &'static str)>| match matches.as_slice() {
        [one] => Some(**one),
        _ => None,
    };
    let suffix = format!("::{code}");
    if let Some(e) = unique(all.iter().filter(|(c, _)| c.ends_with(&suffix)).collect()) {
        return Ok(e);
    }
    let last = code.rsplit("::").next().unwrap_or(code);
    let same_last: Vec<_> = all.iter().filter(|(c, _)| c.rsplit("::").next() == Some(last)).collect();
    if let Some(e) = unique(same_last.clone()) {
        return Ok(e);
    }
    let mut candidates: Vec<&str> = same_last.iter().map(|(c, _)| *c).collect();
    if candidates.is_empty() {
        candidates = crate::suggest::closest(code, all.iter().map(|(c, _)| *c));
    }
    let hint = match candidates.as_slice() {
        [] => "copy the code from the first line of the error; `agb explain` lists every code".to_string(),
        some => format!("did you mean {}?", some.join(" or ")),
    };
    Err(UnknownCode { code: code.to_string(), hint })
}

pub fn run(args: Args, _global: &Global) -> miette::Result<Exit> {
    match args.code {
        None => {
            for (code, _) in entries() {
                outln(code);
            }
        }
        Some(code) => {
            let (code, body) = lookup(&code)?;
            outln(format_args!("{code}\n\n{body}"));
        }
    }
    Ok(Exit::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `code(agb::…)` and `code = "agb::…"` in src/ has an entry, and no entry is stale.
    #[test]
    fn every_diagnostic_code_in_the_crate_has_an_entry() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut found = std::collections::BTreeSet::new();
        for file in walkdir::WalkDir::new(&src).into_iter().filter_map(Result::ok) {
            if file.path().extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(file.path()).unwrap();
            for start in ["code(agb::", "code = \"agb::"] {
                for (i, _) in text.match_indices(start) {
                    let from = i + start.len() - "agb::".len();
                    let code: String = text[from..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                        .collect();
                    if code.len() > "agb::".len() {
                        found.insert(code);
                    }
                }
            }
        }
        assert!(found.len() > 100, "the scan found {} codes", found.len());
        let table: std::collections::BTreeSet<String> =
            entries().iter().map(|(c, _)| c.to_string()).collect();
        let missing: Vec<_> = found.difference(&table).collect();
        assert!(missing.is_empty(), "codes without an entry in docs/error-codes.md: {missing:?}");
        for (code, body) in entries() {
            assert!(body.contains("What to do: "), "{code}");
        }
    }

    #[test]
    fn lookup_accepts_what_people_paste() {
        assert_eq!(lookup("agb::outputs::edited_outputs").unwrap().0, "agb::outputs::edited_outputs");
        assert_eq!(lookup("edited_outputs").unwrap().0, "agb::outputs::edited_outputs");
        assert_eq!(lookup("agb::build::edited_outputs").unwrap().0, "agb::outputs::edited_outputs");
        let err = lookup("agb::nothing::here").unwrap_err();
        assert_eq!(err.code, "agb::nothing::here");
        // `read` is the last segment of several codes: they are offered, none is guessed
        assert!(lookup("agb::x::read").unwrap_err().hint.contains("agb::fs::read"));
    }
}
