//! ssh without a terminal: `-o BatchMode=yes` appended to the user's ssh command, so that an
//! agent or CI job never hangs on a passphrase or host-key prompt and an authentication failure
//! is a plain failure (exit 4). Used by the cache's fetch (gix) and by publish's git.
//!
//! The user's command is kept: `GIT_SSH_COMMAND`, else `core.sshCommand`, else `ssh`. A legacy
//! `GIT_SSH` program (maybe plink, which takes no `-o`) is left alone.
//!
//! Not here: choosing when there is a terminal (the callers: stdin is not a terminal).

/// The ssh command to run in batch mode, or `None` to leave ssh as the user set it up.
pub fn batch_command(
    env_command: Option<&str>,
    config_command: Option<&str>,
    git_ssh_set: bool,
) -> Option<String> {
    let nonempty = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let base = match (nonempty(env_command), nonempty(config_command)) {
        (Some(c), _) | (None, Some(c)) => c,
        (None, None) if git_ssh_set => return None,
        (None, None) => "ssh".to_string(),
    };
    if base.contains("BatchMode") {
        return Some(base);
    }
    Some(format!("{base} -o BatchMode=yes"))
}

/// [`batch_command`] from the process environment and `config_command`.
pub fn batch_command_from_env(config_command: Option<&str>) -> Option<String> {
    let env = std::env::var("GIT_SSH_COMMAND").ok();
    let git_ssh = std::env::var_os("GIT_SSH").is_some_and(|v| !v.is_empty());
    batch_command(env.as_deref(), config_command, git_ssh)
}

/// A log file for ssh's own messages (`ssh -E <file>`), read after ssh has exited. gix reads
/// ssh's stderr on a thread and races it against the end of stdout, so "Permission denied"
/// sometimes arrived after gix had already reported a dropped connection; the file is complete
/// once the fetch returns (gix waits for ssh), so the classification does not depend on timing.
pub struct SshLog {
    file: tempfile::NamedTempFile,
}

impl SshLog {
    /// A new empty log in `dir` (the cache root, which agb owns); removed when dropped.
    pub fn new_in(dir: &std::path::Path) -> std::io::Result<Self> {
        Ok(SshLog { file: tempfile::Builder::new().prefix(".agb-ssh-").suffix(".log").tempfile_in(dir)? })
    }

    /// `command` with ssh's messages sent to this log.
    pub fn attach(&self, command: &str) -> String {
        format!("{command} -E {}", shell_quote(&self.file.path().to_string_lossy()))
    }

    /// What ssh said, on one line (empty when nothing).
    pub fn text(&self) -> String {
        let text = std::fs::read_to_string(self.file.path()).unwrap_or_default();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Whether ssh's messages say the server refused the credentials (OpenSSH: `Permission denied
/// (publickey…)`, or too many keys offered).
pub fn is_auth_failure(ssh_said: &str) -> bool {
    let text = ssh_said.to_ascii_lowercase();
    text.contains("permission denied") || text.contains("too many authentication failures")
}

/// `s` as one word for `sh` (single-quoted unless it is plainly safe).
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"/._-+".contains(&b)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_mode_is_appended_to_the_users_command() {
        assert_eq!(batch_command(None, None, false).as_deref(), Some("ssh -o BatchMode=yes"));
        assert_eq!(
            batch_command(Some("ssh -i ~/.ssh/k"), Some("other"), false).as_deref(),
            Some("ssh -i ~/.ssh/k -o BatchMode=yes")
        );
        assert_eq!(
            batch_command(None, Some("ssh -p 22"), true).as_deref(),
            Some("ssh -p 22 -o BatchMode=yes")
        );
        assert_eq!(batch_command(None, None, true), None);
        assert_eq!(
            batch_command(Some("ssh -o BatchMode=no"), None, false).as_deref(),
            Some("ssh -o BatchMode=no")
        );
    }

    #[test]
    fn the_log_is_attached_quoted_and_read_back_on_one_line() {
        let dir = tempfile::tempdir().unwrap();
        let spaced = dir.path().join("it's here");
        std::fs::create_dir(&spaced).unwrap();
        let log = SshLog::new_in(&spaced).unwrap();
        let cmd = log.attach("ssh -o BatchMode=yes");
        assert!(cmd.starts_with("ssh -o BatchMode=yes -E '"), "{cmd}");
        assert!(cmd.contains("it'\\''s here"), "{cmd}");
        std::fs::write(log.file.path(), "user@127.0.0.1: Permission denied (publickey).\r\n").unwrap();
        assert_eq!(log.text(), "user@127.0.0.1: Permission denied (publickey).");
        assert!(is_auth_failure(&log.text()));
        assert!(!is_auth_failure("ssh: connect to host 127.0.0.1 port 1: Connection refused"));
        assert_eq!(shell_quote("/a/b.log"), "/a/b.log");
    }
}
