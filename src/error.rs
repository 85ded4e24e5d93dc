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

/// The process exit codes of SPEC §3.
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

#[cfg(test)]
mod tests {
    use super::*;

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
