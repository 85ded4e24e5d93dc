//! Writing to stdout: broken pipes (`agb list | head`) exit quietly instead of panicking, and
//! `--json` output is one pretty-printed document. Writing to stderr never panics either
//! (`eprintln!` does when stderr is a closed pipe: `agb build 2>&1 | head -1`). Every line goes
//! through `text::shown::terminal_safe`: a file name with an escape sequence never reaches the
//! terminal raw, whatever `--color` says.

use std::io::{self, Write};

use crate::text::shown::{json_terminal_safe, terminal_safe};

/// Write `text` and a newline to stdout; on a broken pipe, exit 0 quietly.
pub fn outln(text: impl std::fmt::Display) {
    let mut out = io::stdout().lock();
    if let Err(e) = writeln!(out, "{}", terminal_safe(&text.to_string())) {
        handle_write_error(e);
    }
}

/// Write `label` padded to `width`, a space and `rest` on stdout (`created  commands/x.md`):
/// the label in colour when `color` (a status word agb chose, so its escape codes are safe),
/// `rest` through `terminal_safe` like every line.
pub fn out_labelled(color: bool, label: &str, width: usize, rest: impl std::fmt::Display) {
    let pad = " ".repeat(width.saturating_sub(label.chars().count()));
    let rest = terminal_safe(&rest.to_string()).into_owned();
    let line = match ansi_colour(label).filter(|_| color) {
        Some(code) => format!("\x1b[{code}m{label}\x1b[0m{pad} {rest}"),
        None => format!("{label}{pad} {rest}"),
    };
    let mut out = io::stdout().lock();
    if let Err(e) = writeln!(out, "{line}") {
        handle_write_error(e);
    }
}

/// Write a unified diff on stdout: with `color`, removed lines red, added lines green, hunk
/// headers cyan (each line made terminal-safe first, so the file's own bytes never colour).
pub fn out_diff(color: bool, diff: &str) {
    if !color {
        return outln(diff);
    }
    let coloured: Vec<String> = diff.split('\n').map(|line| colour_diff_line(&terminal_safe(line))).collect();
    let mut out = io::stdout().lock();
    if let Err(e) = writeln!(out, "{}", coloured.join("\n")) {
        handle_write_error(e);
    }
}

fn colour_diff_line(line: &str) -> String {
    let code = if line.starts_with("+++") || line.starts_with("---") {
        "1"
    } else if line.starts_with('+') {
        "32"
    } else if line.starts_with('-') {
        "31"
    } else if line.starts_with("@@") {
        "36"
    } else {
        return line.to_string();
    };
    format!("\x1b[{code}m{line}\x1b[0m")
}

/// The colour of a status word: green for what is new, yellow for what changes, red for what
/// goes away or conflicts, cyan for edits waiting to be synced.
fn ansi_colour(label: &str) -> Option<&'static str> {
    match label {
        "created" | "create" => Some("32"),
        "updated" | "update" | "synced" => Some("33"),
        "removed" | "remove" => Some("31"),
        "conflict" => Some("1;31"),
        l if l.starts_with("edited") => Some("36"),
        _ => None,
    }
}

/// Print a serializable value as pretty JSON on stdout (the only thing on stdout with `--json`).
/// Every document is an object that starts with `"schema": 1`: added here when the command's
/// report does not carry it, so no command can forget it.
pub fn print_json<T: serde::Serialize>(value: &T) {
    let value = serde_json::to_value(value).expect("agb's JSON values are plain data and always serialize");
    let text = serde_json::to_string_pretty(&with_schema(value))
        .expect("agb's JSON values are plain data and always serialize");
    outln(json_terminal_safe(&text));
}

/// Like [`print_json`] for a document that already starts with `"schema"`: serialized as it
/// is, without the intermediate `serde_json::Value` (which costs more than the rest of a large
/// listing).
pub fn print_json_text<T: serde::Serialize>(value: &T) {
    let text =
        serde_json::to_string_pretty(value).expect("agb's JSON values are plain data and always serialize");
    outln(json_terminal_safe(&text));
}

/// The version of agb's JSON documents (fields are only ever added).
pub const JSON_SCHEMA: u32 = 1;

/// `value` with `"schema"` as its first key when it is an object without one.
fn with_schema(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) if !map.contains_key("schema") => {
            let mut out = serde_json::Map::with_capacity(map.len() + 1);
            out.insert("schema".to_string(), JSON_SCHEMA.into());
            out.extend(map);
            serde_json::Value::Object(out)
        }
        other => other,
    }
}

/// The one JSON document of a command that failed with `--json`:
/// `{"schema": 1, "error": {"code", "message", "help"}}`.
pub fn print_json_error(report: &miette::Report) {
    let code = report.code().map(|c| c.to_string());
    let help = report.help().map(|h| crate::error::strip_os_error(&h.to_string()));
    print_json(&serde_json::json!({
        "schema": JSON_SCHEMA,
        "error": {
            "code": code,
            "message": crate::error::strip_os_error(&report.to_string()),
            "help": help,
        }
    }));
}

/// Write `text` and a newline to stderr. A failed write is ignored: there is nowhere left to
/// report it, and the exit code still says what happened.
pub fn errln(text: impl std::fmt::Display) {
    let _ = writeln!(io::stderr().lock(), "{}", terminal_safe(&text.to_string()));
}

fn handle_write_error(e: io::Error) {
    if e.kind() == io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    errln(format_args!("error: cannot write to stdout: {e}"));
    std::process::exit(1);
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_known_status_words_are_coloured() {
        assert_eq!(super::ansi_colour("created"), Some("32"));
        assert_eq!(super::ansi_colour("edited-in-project"), Some("36"));
        assert_eq!(super::ansi_colour("unchanged"), None);
    }

    #[test]
    fn diff_lines_are_coloured_by_their_first_character() {
        assert_eq!(super::colour_diff_line("+new"), "\x1b[32m+new\x1b[0m");
        assert_eq!(super::colour_diff_line("-old"), "\x1b[31m-old\x1b[0m");
        assert_eq!(super::colour_diff_line("--- a/x"), "\x1b[1m--- a/x\x1b[0m");
        assert_eq!(super::colour_diff_line(" same"), " same");
    }

    #[test]
    fn every_document_starts_with_the_schema() {
        let v = super::with_schema(serde_json::json!({"a": 1}));
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"schema":1,"a":1}"#);
        let kept = super::with_schema(serde_json::json!({"schema": 1, "b": 2}));
        assert_eq!(serde_json::to_string(&kept).unwrap(), r#"{"schema":1,"b":2}"#);
    }
}
