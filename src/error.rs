//! Exit codes and the convention that maps a diagnostic to one.
//!
//! Every error enum in agb derives `miette::Diagnostic` and gives each variant a `code(...)`.
//! The exit code is read from that code's path segments, so no module has to know about the
//! others:
//! - a segment `usage` → 2 (bad command line or config the user must fix before anything runs
//!   is still 1; `usage` is for argument errors only),
//! - a segment `network` or `auth` → 4,
//! - a segment `not_found` → 5,
//! - anything else → 1.
//!
//! Commands that succeed but must report "pending" (3) or "not found" (5) without an error
//! return an [`Exit`] value instead.

/// The process exit codes (listed in `agb --help` and the man pages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    Error = 1,
    Usage = 2,
    Pending = 3,
    Network = 4,
    NotFound = 5,
}

impl Exit {
    pub fn code(self) -> i32 {
        self as i32
    }
}

/// The exit code for a diagnostic code such as `agb::factory::network::unreachable`.
pub fn exit_for_diagnostic_code(code: Option<&str>) -> Exit {
    let Some(code) = code else { return Exit::Error };
    let segments: Vec<&str> = code.split("::").collect();
    if segments.contains(&"usage") {
        Exit::Usage
    } else if segments.contains(&"network") || segments.contains(&"auth") {
        Exit::Network
    } else if segments.contains(&"not_found") {
        Exit::NotFound
    } else {
        Exit::Error
    }
}

/// The exit code for any error that reaches `main`.
pub fn exit_for_report(report: &miette::Report) -> Exit {
    let code = report.code().map(|c| c.to_string());
    exit_for_diagnostic_code(code.as_deref())
}

/// An error and its causes as one line a user can read: the `Display` of each link of the
/// `source()` chain, repeats dropped, joined by `: `, without Rust's `(os error N)` suffixes and
/// without links that print a Rust structure (`Custom { kind: … }`) instead of a sentence.
/// For the `detail` of diagnostics that wrap a library's error (gix, reqwest, io).
pub fn plain_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(error);
    while let Some(e) = next {
        let text = strip_os_error(&e.to_string());
        let rusty = text.contains(" { ") || text.contains("Error(") || text.contains("::");
        if !text.is_empty() && !rusty && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = e.source();
    }
    let joined = parts.join(": ");
    let joined = joined.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() > 300 {
        format!("{}…", joined.chars().take(300).collect::<String>())
    } else {
        joined
    }
}

/// `Connection refused (os error 111)` → `Connection refused`.
pub fn strip_os_error(text: &str) -> String {
    let mut out = text.to_string();
    while let Some(start) = out.find(" (os error ") {
        let end = out[start..].find(')').map_or(out.len(), |i| start + i + 1);
        out.replace_range(start..end, "");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_chain_reads_like_a_sentence() {
        #[derive(Debug, thiserror::Error)]
        #[error("cannot fetch")]
        struct Outer(#[source] std::io::Error);
        let io = std::io::Error::from_raw_os_error(111);
        let text = plain_chain(&Outer(io));
        assert!(text.starts_with("cannot fetch: "), "{text}");
        assert!(!text.contains("os error"), "{text}");
        let custom = std::io::Error::other("handshake failed");
        assert_eq!(plain_chain(&Outer(custom)), "cannot fetch: handshake failed");
    }

    #[test]
    fn codes_map_by_segment() {
        assert_eq!(exit_for_diagnostic_code(None), Exit::Error);
        assert_eq!(exit_for_diagnostic_code(Some("agb::config::unknown_key")), Exit::Error);
        assert_eq!(exit_for_diagnostic_code(Some("agb::usage::bad_arg")), Exit::Usage);
        assert_eq!(exit_for_diagnostic_code(Some("agb::factory::network")), Exit::Network);
        assert_eq!(exit_for_diagnostic_code(Some("agb::factory::auth::rejected")), Exit::Network);
        assert_eq!(exit_for_diagnostic_code(Some("agb::factory::not_found")), Exit::NotFound);
        // a segment must match whole: "networking" is not "network"
        assert_eq!(exit_for_diagnostic_code(Some("agb::networking")), Exit::Error);
    }
}
