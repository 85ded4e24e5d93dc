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
}
