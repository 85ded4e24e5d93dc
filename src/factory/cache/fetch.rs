//! Talking to the remote with gix: fetching into an existing cache, the credential callback
//! (GITHUB_TOKEN for github.com only, else the user's helpers, never a prompt), and sorting a
//! failure into an auth or a network error.
//!
//! Not here: cloning and the lock (`open.rs`).

use std::path::Path;
use std::sync::atomic::AtomicBool;

use gix::remote::Direction;

use super::ssh::SshLog;
use super::{git_err, CacheError, CacheOptions, TRACKING_REFSPEC};
use crate::factory::config::FactoryConfig;
use crate::factory::url::Scheme;

/// The credential callback: GITHUB_TOKEN for https://github.com when set; otherwise the user's
/// git credential helpers and askpass, but never a terminal prompt (an agent would hang on it).
pub(super) fn authenticate(
    repo: &gix::Repository,
    config: &FactoryConfig,
    token: Option<String>,
) -> Option<gix::remote::AuthenticateFn<'static>> {
    if let (true, Some(token)) = (config.url.is_github_https(), token) {
        return Some(token_callback(token));
    }
    if config.url.scheme() == Scheme::Local {
        return None;
    }
    let url = gix::Url::try_from(config.url.as_git_url()).ok()?;
    let (mut cascade, _, mut prompt) = repo.config_snapshot().credential_helpers(url).ok()?;
    prompt.mode = gix::prompt::Mode::Disable;
    Some(Box::new(move |action| cascade.invoke(action, prompt.clone())))
}

/// Answers a `get` with `GITHUB_TOKEN` only when the request itself is for https://github.com:
/// the configured URL was checked already, but the transport asks about the URL it is talking
/// to, and a token must never reach any other host whatever the remote makes of it.
pub(super) fn token_callback(token: String) -> gix::remote::AuthenticateFn<'static> {
    use gix::credentials::helper::Action;
    Box::new(move |action| match action {
        Action::Get(mut ctx) => {
            let github = ctx.destructure_url_in_place(false).is_ok()
                && ctx.protocol.as_deref().is_some_and(|p| p.eq_ignore_ascii_case("https"))
                && ctx.host.as_deref().is_some_and(|h| {
                    h.eq_ignore_ascii_case("github.com") || h.eq_ignore_ascii_case("github.com:443")
                });
            if !github {
                return Ok(None);
            }
            Ok(Some(gix::credentials::protocol::Outcome {
                identity: gix::sec::identity::Account {
                    username: "x-access-token".into(),
                    password: token.clone(),
                    oauth_refresh_token: None,
                },
                next: ctx.into(),
            }))
        }
        _ => Ok(None),
    })
}

/// Turn a gix clone/fetch failure into an auth or network error. `ssh_said` is what ssh wrote
/// to its log (see `ssh::SshLog`), read after it exited: it decides for ssh remotes.
pub(super) fn classify(e: &gix::Error, url: &str, ssh_said: Option<&str>) -> CacheError {
    use gix::error::Class;
    if let Some(said) = ssh_said.filter(|s| !s.is_empty()) {
        let detail = one_line(&format!("{said} ({})", crate::error::plain_chain(e)));
        return if super::ssh::is_auth_failure(said) {
            CacheError::Auth { url: url.to_string(), detail }
        } else {
            CacheError::network(url.to_string(), detail)
        };
    }
    let detail = format!("{e:#}");
    let text = detail.to_ascii_lowercase();
    let detail = crate::error::plain_chain(e);
    let auth_words = [
        "could not obtain identity",
        "authentication failed",
        "credentials provided",
        "not accepted",
        "permission denied (publickey",
        "terminal prompts disabled",
    ];
    // No bare status numbers here: a port such as :40133 in the URL would match "401".
    // HTTP 401/403 come through as the Unauthenticated/PermissionDenied classes.
    let is_auth = matches!(e.dominant_class(), Some(Class::Unauthenticated) | Some(Class::PermissionDenied))
        || auth_words.iter().any(|w| text.contains(w));
    let detail = one_line(&detail);
    if is_auth {
        CacheError::Auth { url: url.to_string(), detail }
    } else {
        CacheError::network(url.to_string(), detail)
    }
}

fn one_line(s: &str) -> String {
    let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() > 300 {
        format!("{}…", joined.chars().take(300).collect::<String>())
    } else {
        joined
    }
}

/// The batch-mode ssh command for an ssh remote when there is no terminal (see `cache::ssh`).
/// `configured` is `core.sshCommand`.
pub(super) fn batch_command(
    config: &FactoryConfig,
    opts: &CacheOptions,
    configured: Option<&str>,
) -> Option<String> {
    if !opts.batch_ssh || config.url.scheme() != crate::factory::url::Scheme::Ssh {
        return None;
    }
    super::ssh::batch_command_from_env(configured)
}

/// [`batch_command`] for gix, with ssh's messages going to a log (created in `dir`) that
/// [`classify`] reads.
pub(super) fn batch_ssh(
    config: &FactoryConfig,
    opts: &CacheOptions,
    configured: Option<&str>,
    dir: &Path,
) -> Result<Option<(String, SshLog)>, CacheError> {
    let Some(command) = batch_command(config, opts, configured) else { return Ok(None) };
    let log = SshLog::new_in(dir).map_err(|source| CacheError::Io { path: dir.to_path_buf(), source })?;
    Ok(Some((log.attach(&command), log)))
}

/// Fetch into an existing cache. Returns whether anything changed.
pub(super) fn fetch(git_dir: &Path, config: &FactoryConfig, opts: &CacheOptions) -> Result<bool, CacheError> {
    use gix::remote::fetch::refs::update::Mode;
    use gix::remote::fetch::Status;
    let url = config.url.to_string();
    let mut repo = gix::open(git_dir).map_err(|e| git_err(git_dir, e))?;
    let configured = repo.config_snapshot().string("core.sshCommand").map(|c| c.to_string());
    let ssh = batch_ssh(config, opts, configured.as_deref(), git_dir)?;
    if let Some((ssh, _)) = &ssh {
        // in memory only: the cache's config file is not changed
        let mut snapshot = repo.config_snapshot_mut();
        snapshot
            .set_raw_value(gix::config::tree::Core::SSH_COMMAND, ssh.as_str())
            .map_err(|e| git_err(git_dir, e))?;
        snapshot.commit().map_err(|e| git_err(git_dir, e))?;
    }
    // An anonymous remote at the configured URL (not the cache's `origin`): when the user
    // switches e.g. http:// to https:// for the same repository, the same cache follows.
    let remote = repo
        .remote_at(config.url.as_git_url())
        .and_then(|r| r.with_refspecs(Some(TRACKING_REFSPEC), Direction::Fetch))
        .map_err(|e| git_err(git_dir, e))?;
    let progress = crate::factory::progress::Reporter::start(format!("fetching {url}"), opts.progress);
    let interrupt = AtomicBool::new(false);
    let result = (|| -> gix::Result<bool> {
        let mut conn = remote.connect(Direction::Fetch)?;
        if let Some(options) = super::http::transport_options(&repo, &url, config.timeout)? {
            conn.set_transport_options(options);
        }
        if let Some(auth) = authenticate(&repo, config, opts.github_token.clone()) {
            conn.set_credentials(auth);
        }
        let out =
            conn.prepare_fetch(progress.gix(), Default::default())?.receive(progress.gix(), &interrupt)?;
        let (no_pack, updates) = match &out.status {
            Status::NoPackReceived { update_refs, .. } => (true, update_refs),
            Status::Change { update_refs, .. } => (false, update_refs),
        };
        Ok(!(no_pack && updates.updates.iter().all(|u| matches!(u.mode, Mode::NoChangeNeeded))))
    })();
    progress.finish();
    // gix has waited for ssh by now (the connection is dropped), so its log is complete
    result.map_err(|e| classify(&e, &url, ssh.as_ref().map(|(_, log)| log.text()).as_deref()))
}
