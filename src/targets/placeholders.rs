//! Body placeholders of commands across agents (issue 10): Claude Code / OpenCode write
//! `$ARGUMENTS`, `` !`cmd` `` and `@path`; Gemini CLI writes `{{args}}`, `!{cmd}` and `@{path}`.
//! Positional `$1`… exist in Claude Code and OpenCode only; Codex skills have none.
//!
//! The Gemini translation must stay reversible (sync reads a prompt back into the body): only
//! unambiguous forms are translated, and [`to_gemini`] returns `None` — write the body
//! verbatim — whenever [`from_gemini`] would not give the body back exactly. The law
//! `from_gemini(to_gemini(b)?) == b` therefore holds by construction, and a translated prompt
//! never contains `$ARGUMENTS` (the reader's other sign of a verbatim prompt).
//!
//! Unambiguous forms: `` !`cmd` `` with a non-empty `cmd` holding no backtick, brace or line
//! break; `@path` at the start or after whitespace, `path` made of `A-Za-z0-9._/~-` and not
//! ending in `.` (so `see @README.md.` keeps its full stop outside).
//!
//! Not here: the TOML around the prompt (`gemini.rs`).

use crate::names::Target;

const PATH_CHARS: &str = "._/~-";

fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || PATH_CHARS.contains(c)
}

/// Length of the `@path` path starting at `rest` (after the `@`), 0 when there is none.
fn path_len(rest: &str) -> usize {
    let run = rest.find(|c: char| !is_path_char(c)).unwrap_or(rest.len());
    rest[..run].trim_end_matches('.').len()
}

/// Whether the text before a `@` ends at a word boundary (start or whitespace).
fn after_space(before: &str) -> bool {
    before.chars().next_back().is_none_or(char::is_whitespace)
}

/// Length of a `cmd` that may sit between `!`` ` and `` ` `` / `!{` and `}`, ending at `end`.
fn command_len(rest: &str, end: char) -> Option<usize> {
    let len = rest.find(end)?;
    let cmd = &rest[..len];
    (!cmd.is_empty() && !cmd.contains(['`', '{', '}', '\n', '\r'])).then_some(len)
}

/// The body with Claude Code's placeholders written as Gemini CLI's, or `None` when the
/// translation could not be read back exactly (the body is then written verbatim).
pub fn to_gemini(body: &str) -> Option<String> {
    let mut out = String::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let rest = &body[i..];
        if let Some(after) = rest.strip_prefix("$ARGUMENTS") {
            out.push_str("{{args}}");
            i = body.len() - after.len();
        } else if let Some(len) = rest.strip_prefix("!`").and_then(|r| command_len(r, '`')) {
            out.push_str(&format!("!{{{}}}", &rest[2..2 + len]));
            i += 2 + len + 1;
        } else if rest.starts_with('@') && after_space(&body[..i]) && path_len(&rest[1..]) > 0 {
            let len = path_len(&rest[1..]);
            out.push_str(&format!("@{{{}}}", &rest[1..1 + len]));
            i += 1 + len;
        } else {
            let c = rest.chars().next().expect("i < len");
            out.push(c);
            i += c.len_utf8();
        }
    }
    (!out.contains("$ARGUMENTS") && from_gemini(&out) == body).then_some(out)
}

/// A translated prompt back into the body (the inverse of [`to_gemini`]).
pub fn from_gemini(prompt: &str) -> String {
    let mut out = String::with_capacity(prompt.len());
    let mut i = 0;
    while i < prompt.len() {
        let rest = &prompt[i..];
        if let Some(after) = rest.strip_prefix("{{args}}") {
            out.push_str("$ARGUMENTS");
            i = prompt.len() - after.len();
        } else if let Some(len) = rest.strip_prefix("!{").and_then(|r| command_len(r, '}')) {
            out.push_str(&format!("!`{}`", &rest[2..2 + len]));
            i += 2 + len + 1;
        } else if let Some(len) = rest
            .strip_prefix("@{")
            .filter(|_| after_space(&prompt[..i]))
            .map(path_len)
            .filter(|len| *len > 0 && rest[2 + len..].starts_with('}'))
        {
            out.push('@');
            out.push_str(&rest[2..2 + len]);
            i += 2 + len + 1;
        } else {
            let c = rest.chars().next().expect("i < len");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// Placeholders in `body` that `target` does not understand (kept as written), each once, in
/// order of first appearance. Gemini CLI: those left after translation (or all, verbatim).
pub fn untranslated(target: Target, body: &str, translated: bool) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut add = |p: String| {
        if !found.contains(&p) {
            found.push(p);
        }
    };
    let dollar_n = |s: &str| {
        s.match_indices('$')
            .filter_map(|(i, _)| {
                let digits: String = s[i + 1..].chars().take_while(char::is_ascii_digit).collect();
                (!digits.is_empty()).then(|| format!("${digits}"))
            })
            .collect::<Vec<_>>()
    };
    match target {
        Target::ClaudeCode | Target::Opencode => {}
        Target::GeminiCli => {
            dollar_n(body).into_iter().for_each(&mut add);
            if !translated {
                for p in ["$ARGUMENTS", "!`", "@"] {
                    if body.contains(p) && (p != "@" || to_gemini_would_touch_at(body)) {
                        add(p.to_string());
                    }
                }
            }
        }
        Target::Codex | Target::Copilot => {
            if body.contains("$ARGUMENTS") {
                add("$ARGUMENTS".into());
            }
            dollar_n(body).into_iter().for_each(&mut add);
            if body.contains("!`") {
                add("!`cmd`".into());
            }
        }
    }
    found
}

/// Whether `body` has an `@path` a translation would have turned into `@{path}`.
fn to_gemini_would_touch_at(body: &str) -> bool {
    body.match_indices('@').any(|(i, _)| after_space(&body[..i]) && path_len(&body[i + 1..]) > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unambiguous_forms_are_translated_both_ways() {
        let body = "Review $1.\nAll: $ARGUMENTS\n!`git status --short`\nSee @README.md. and @src/a.rs";
        let prompt = to_gemini(body).unwrap();
        assert_eq!(
            prompt,
            "Review $1.\nAll: {{args}}\n!{git status --short}\nSee @{README.md}. and @{src/a.rs}"
        );
        assert_eq!(from_gemini(&prompt), body);
    }

    #[test]
    fn ambiguous_forms_are_left_alone_or_refused() {
        // Not after whitespace: an e-mail address stays.
        assert_eq!(to_gemini("mail me@example.com").unwrap(), "mail me@example.com");
        // A body that already holds Gemini's syntax cannot be translated back exactly.
        for body in ["use {{args}}", "!{x}", "see @{a}", "!`a{b}`x !{a}"] {
            assert_eq!(to_gemini(body), None, "{body}");
        }
        assert_eq!(to_gemini("!`a\nb`").unwrap(), "!`a\nb`");
    }

    #[test]
    fn untranslated_placeholders_are_listed() {
        assert_eq!(untranslated(Target::GeminiCli, "x $1 $2 $1", true), ["$1", "$2"]);
        assert_eq!(untranslated(Target::GeminiCli, "@a !`b` $ARGUMENTS", false), ["$ARGUMENTS", "!`", "@"]);
        assert_eq!(untranslated(Target::Codex, "$ARGUMENTS $1", true), ["$ARGUMENTS", "$1"]);
        assert!(untranslated(Target::Opencode, "$ARGUMENTS $1 !`x`", true).is_empty());
    }
}
