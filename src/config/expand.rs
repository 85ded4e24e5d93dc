//! Resolving `source:` as written into a path: a leading `~`, `$VAR` and `${VAR}` expanded
//! (an unset variable is an error), `.`/`..` removed without touching the file system when the
//! path does not exist.
//!
//! Not here: joining with the output root or canonicalizing (`parse`).

use std::path::{Component, Path, PathBuf};

pub(super) fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf())
    }
}

/// The user's home directory: `$HOME`, else the platform's notion of it.
pub fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf()))
}

/// Expand a leading `~` (or `~/…`) and every `$VAR` / `${VAR}`. An unset variable is an error
/// (an empty expansion would silently point somewhere else); `$` not followed by a name stays.
/// Errors are `(reason, advice)`.
pub fn expand_path(
    raw: &str,
    env: &dyn Fn(&str) -> Option<String>,
    home: Option<&Path>,
) -> Result<PathBuf, (String, String)> {
    let mut out = String::new();
    let rest = if raw == "~" || raw.starts_with("~/") {
        let home = home.ok_or_else(|| {
            ("no home directory is known".to_string(), "set HOME or write an absolute path".to_string())
        })?;
        out.push_str(&home.to_string_lossy());
        &raw[1..]
    } else {
        raw
    };
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        let after = &rest[i + 1..];
        let (name, consumed) = if let Some(inner) = after.strip_prefix('{') {
            match inner.find('}') {
                Some(end) => (&inner[..end], end + 2),
                None => {
                    return Err((
                        "`${` without a closing `}`".to_string(),
                        "write ${NAME} or $NAME".to_string(),
                    ));
                }
            }
        } else {
            let len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
            (&after[..len], len)
        };
        let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        if !valid {
            if consumed > name.len() {
                return Err((
                    format!("`${{{name}}}` is not a variable name"),
                    "write ${NAME} or $NAME".into(),
                ));
            }
            out.push('$');
            continue;
        }
        let value = env(name).ok_or_else(|| {
            (
                format!("environment variable `{name}` is not set"),
                format!("set {name} in your environment or write the path without it"),
            )
        })?;
        out.push_str(&value);
        for _ in 0..consumed {
            chars.next();
        }
    }
    Ok(PathBuf::from(out))
}

/// Remove `.` and resolve `..` without touching the file system (for paths that do not exist).
pub(super) fn normalize_lexically(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}
