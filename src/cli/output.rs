//! Writing to stdout: broken pipes (`agb list | head`) exit quietly instead of panicking, and
//! `--json` output is one pretty-printed document. Writing to stderr never panics either
//! (`eprintln!` does when stderr is a closed pipe: `agb build 2>&1 | head -1`). Every line goes
//! through `text::shown::terminal_safe`: a file name with an escape sequence never reaches the
//! terminal raw, whatever `--color` says.

use std::io::{self, Write};

use crate::text::shown::terminal_safe;

/// Write `text` and a newline to stdout; on a broken pipe, exit 0 quietly.
pub fn outln(text: impl std::fmt::Display) {
    let mut out = io::stdout().lock();
    if let Err(e) = writeln!(out, "{}", terminal_safe(&text.to_string())) {
        handle_write_error(e);
    }
}

/// Print a serializable value as pretty JSON on stdout (the only thing on stdout with `--json`).
pub fn print_json<T: serde::Serialize>(value: &T) {
    let text =
        serde_json::to_string_pretty(value).expect("agb's JSON values are plain data and always serialize");
    outln(text);
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
