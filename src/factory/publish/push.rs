//! Talking to the remote with the system `git`, run against the bare cache: the pre-flight
//! `ls-remote` (does the branch exist? did the factory branch move?) and the push itself.
//!
//! Why git and not gix: gix 0.90 has no push; and running the pre-flight check through the same
//! program means the user's credential helpers, SSH agent and `insteadOf` rules apply to both,
//! so an authentication problem shows up before any object is written.
//!
//! `GITHUB_TOKEN` reaches git only through an inline credential helper that reads the variable
//! from git's environment: the token is never on a command line, in a URL, in the cache's config,
//! nor in any message agb prints (git's output is redacted as a second line of defence).
//!
//! Not here: building the commit.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::PublishError;
use crate::factory::cache::ssh::shell_quote;

/// The helper git runs for `credential fill`: it answers only `get`, from the environment, and
/// only when git's request (on stdin) is for `https` + `github.com` (or the test-only
/// [`TEST_TOKEN_HOST_ENV`] over plain http). Checking the request, not just the
/// configured URL, matters because git asks again for whatever host a redirect leads to: a
/// github.com URL redirected elsewhere must not hand the token to that other host.
/// The first `-c credential.helper=` clears helpers from other config so they neither answer
/// first nor store the token.
const TOKEN_HELPER: &str = concat!(
    "credential.helper=!f() { test \"$1\" = get || exit 0; p=; h=; ",
    "while IFS= read -r l; do case \"$l\" in ",
    "protocol=*) p=\"${l#protocol=}\";; host=*) h=\"${l#host=}\";; '') break;; esac; done; ",
    "r=$(printf '%s://%s' \"$p\" \"$h\" | tr '[:upper:]' '[:lower:]'); ",
    "case \"$r\" in https://github.com|https://github.com:443) ;; ",
    "*) test -n \"$AGB_TEST_GITHUB_TOKEN_HOST\" && test \"$r\" = \"http://$AGB_TEST_GITHUB_TOKEN_HOST\" || exit 0;; esac; ",
    "echo username=x-access-token; echo \"password=$GITHUB_TOKEN\"; }; f"
);

/// Test-only: lets `GITHUB_TOKEN` be handed to git for this plain-http `host:port` too, so the
/// loopback tests can exercise the credential-helper path (docs/publish.md). Only the CLI reads
/// it (into [`Credentials::test_token_host`]); agb passes it on to git's environment for the
/// helper above. Never set it outside tests.
#[doc(hidden)]
pub const TEST_TOKEN_HOST_ENV: &str = "AGB_TEST_GITHUB_TOKEN_HOST";

/// What publish may hand to git, read once from the environment by the caller (the CLI).
#[derive(Clone, Default)]
pub struct Credentials {
    /// `GITHUB_TOKEN` (non-empty): offered only to https://github.com, through the helper.
    pub github_token: Option<String>,
    /// Test-only ([`TEST_TOKEN_HOST_ENV`]): a plain-http `host:port` the token is offered to too.
    #[doc(hidden)]
    pub test_token_host: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // never the token's value, even in a debug dump
        f.debug_struct("Credentials")
            .field("github_token", &self.github_token.as_ref().map(|_| "***"))
            .field("test_token_host", &self.test_token_host)
            .finish()
    }
}

/// How agb runs git against the cache.
#[derive(Debug, Clone)]
pub struct Git {
    /// The bare cache (`--git-dir`).
    pub git_dir: PathBuf,
    /// The remote's URL, for deciding about the token and for messages (never sent to git by
    /// agb: git reads `remote.origin.url` itself).
    pub url: String,
    /// The token and the test seam: for the helper's environment and for redacting git's output.
    pub credentials: Credentials,
    /// Whether to hand `GITHUB_TOKEN` to git through the helper (see [`token_applies`]).
    pub use_token: bool,
    /// Whether git may prompt on the terminal (only when agb runs interactively).
    pub interactive: bool,
    /// `GIT_SSH_COMMAND` for git: the user's ssh command with `-o BatchMode=yes` when there is
    /// no terminal (`Factory::batch_ssh_command`); `None` leaves ssh as the user set it up.
    pub ssh_command: Option<String>,
}

/// Whether `GITHUB_TOKEN` is handed to git for `url`: only for https://github.com (SPEC §2.1),
/// and only when the variable is set and not empty. `extra_host` is a test-only switch
/// (`AGB_TEST_GITHUB_TOKEN_HOST`, see docs) that lets the loopback tests exercise the mechanism.
pub fn token_applies(url: &str, token_set: bool, extra_host: Option<&str>) -> bool {
    if !token_set {
        return false;
    }
    let lower = url.to_ascii_lowercase();
    let host_of = |rest: &str| -> String {
        let authority = rest.split('/').next().unwrap_or("");
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        host_port.to_string()
    };
    if let Some(rest) = lower.strip_prefix("https://") {
        let host_port = host_of(rest);
        let host = host_port.split(':').next().unwrap_or("");
        return host == "github.com";
    }
    if let (Some(extra), Some(rest)) = (extra_host, lower.strip_prefix("http://")) {
        return host_of(rest) == extra.to_ascii_lowercase();
    }
    false
}

/// What `ls-remote` says about the two refs publish cares about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteState {
    /// The remote's tip of the factory branch (`None` when it has no such branch).
    pub base_tip: Option<String>,
    /// The publish branch's commit when it already exists there.
    pub branch_tip: Option<String>,
}

/// What the remote ref must be for a push to go through (`--force-with-lease`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lease {
    /// A new branch: the ref must not exist.
    MustNotExist,
    /// `--update`: the ref must still be at this commit (hex), so the push is a fast-forward
    /// from what agb checked, never over someone else's push.
    Is(String),
}

/// What a push did and what the remote said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushReport {
    pub pushed: Pushed,
    /// The `remote:` lines of git's stderr (a GitLab merge-request link, hook messages),
    /// without the prefix, redacted.
    pub remote_messages: Vec<String>,
}

/// Outcome of a push.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pushed {
    /// The branch was created.
    Created,
    /// The same commit was already there (an idempotent re-run).
    UpToDate,
}

impl Git {
    fn command(&self) -> Command {
        let mut cmd = Command::new("git");
        cmd.arg("--git-dir").arg(&self.git_dir);
        if self.use_token {
            cmd.args(["-c", "credential.helper=", "-c", TOKEN_HELPER]);
            // the helper reads both from git's environment: set from what the caller passed in,
            // so git sees exactly agb's configuration, never a value only the shell had
            if let Some(token) = &self.credentials.github_token {
                cmd.env("GITHUB_TOKEN", token);
            }
            match &self.credentials.test_token_host {
                Some(host) => cmd.env(TEST_TOKEN_HOST_ENV, host),
                None => cmd.env_remove(TEST_TOKEN_HOST_ENV),
            };
        }
        if let Some(ssh) = &self.ssh_command {
            cmd.env("GIT_SSH_COMMAND", ssh);
        }
        if !self.interactive {
            cmd.env("GIT_TERMINAL_PROMPT", "0");
            cmd.stdin(Stdio::null());
        }
        // git's messages are parsed: keep them in English
        cmd.env("LC_ALL", "C").env("LANG", "C");
        cmd
    }

    /// `git ls-remote origin refs/heads/<base> refs/heads/<branch>`.
    pub fn remote_state(&self, base: &str, branch: &str) -> Result<RemoteState, PublishError> {
        let base_ref = format!("refs/heads/{base}");
        let branch_ref = format!("refs/heads/{branch}");
        let out = self.run(self.command().args(["ls-remote", "origin", &base_ref, &branch_ref]))?;
        if !out.status_ok {
            return Err(self.classify(&out.stderr, "checking the remote"));
        }
        let mut state = RemoteState { base_tip: None, branch_tip: None };
        for line in out.stdout.lines() {
            let Some((oid, name)) = line.split_once('\t') else { continue };
            if name == base_ref {
                state.base_tip = Some(oid.to_string());
            } else if name == branch_ref {
                state.branch_tip = Some(oid.to_string());
            }
        }
        Ok(state)
    }

    /// Push `refs/heads/<branch>` from the cache with a lease (never `--force`): `lease` says
    /// what the remote ref must be for the push to go through, checked atomically by the remote.
    /// `options` are `git push -o` push options (GitLab's merge-request options).
    /// The outcome is read from `--porcelain`'s status line, not from git's English messages.
    pub fn push_branch(
        &self,
        branch: &str,
        lease: &Lease,
        options: &[String],
    ) -> Result<PushReport, PublishError> {
        let refname = format!("refs/heads/{branch}");
        let expect = match lease {
            Lease::MustNotExist => String::new(),
            Lease::Is(oid) => oid.clone(),
        };
        let mut cmd = self.command();
        cmd.args(["push", "--porcelain", &format!("--force-with-lease={refname}:{expect}")]);
        for o in options {
            cmd.arg("-o").arg(o);
        }
        cmd.args(["origin", &format!("{refname}:{refname}")]);
        let out = self.run(&mut cmd)?;
        let remote_messages = remote_lines(&self.redact(&out.stderr));
        let exists =
            || PublishError::BranchExists { branch: branch.to_string(), remote: redact_url(&self.url) };
        let pushed = match porcelain_status(&out.stdout, &refname) {
            Some(RefStatus::Created | RefStatus::FastForward) => Pushed::Created,
            Some(RefStatus::UpToDate) => Pushed::UpToDate,
            Some(RefStatus::Stale(_)) if *lease == Lease::MustNotExist => return Err(exists()),
            Some(RefStatus::Stale(reason)) => {
                return Err(PublishError::BranchMoved {
                    branch: branch.to_string(),
                    reason: self.redact(&reason),
                })
            }
            Some(RefStatus::RemoteRejected(reason) | RefStatus::Other(reason)) => {
                let mut reason = self.redact(&reason);
                if !remote_messages.is_empty() {
                    reason = format!("{reason}\n{}", remote_messages.join("\n"));
                }
                return Err(PublishError::PushRejected { branch: branch.to_string(), reason });
            }
            // no status line: git stopped before exchanging refs (connection, authentication)
            None if out.status_ok => Pushed::Created,
            None => return Err(self.classify(&out.stderr, "pushing")),
        };
        Ok(PushReport { pushed, remote_messages })
    }

    /// Fetch the objects of the remote's `refs/heads/<branch>` into the cache (no ref written:
    /// the caller knows the tip from `ls-remote`).
    pub fn fetch_branch(&self, branch: &str) -> Result<(), PublishError> {
        let refname = format!("refs/heads/{branch}");
        let out = self.run(self.command().args([
            "fetch",
            "--no-tags",
            "--no-write-fetch-head",
            "origin",
            &refname,
        ]))?;
        if out.status_ok {
            Ok(())
        } else {
            Err(self.classify(&out.stderr, "fetching the publish branch"))
        }
    }

    /// The command a user runs to push what `--no-push` committed.
    pub fn push_command_for_user(&self, branch: &str) -> String {
        let refname = format!("refs/heads/{branch}");
        format!(
            "git --git-dir {} push --force-with-lease={refname}: origin {refname}:{refname}",
            shell_quote(&self.git_dir.display().to_string())
        )
    }

    fn run(&self, cmd: &mut Command) -> Result<Output, PublishError> {
        let out = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| PublishError::GitSpawn { message: e.to_string() })?;
        Ok(Output {
            status_ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        })
    }

    /// Turn git's failure into an auth, network or plain git error.
    fn classify(&self, stderr: &str, what: &'static str) -> PublishError {
        let detail = self.redact(stderr.trim());
        let remote = redact_url(&self.url);
        let lower = stderr.to_ascii_lowercase();
        let auth = [
            "authentication failed",
            "could not read username",
            "could not read password",
            "terminal prompts disabled",
            "permission denied",
            "returned error: 401",
            "returned error: 403",
            "invalid username or password",
            "access denied",
        ];
        let network = [
            "could not resolve host",
            "failed to connect",
            "connection refused",
            "connection timed out",
            "operation timed out",
            "network is unreachable",
            "could not read from remote repository",
            "unable to access",
            "empty reply from server",
            "connection reset",
        ];
        if auth.iter().any(|s| lower.contains(s)) {
            PublishError::Auth { remote, detail }
        } else if network.iter().any(|s| lower.contains(s)) {
            PublishError::Network { remote, detail }
        } else {
            PublishError::Git { what, message: detail }
        }
    }

    /// Remove the token's value from text that came from git, in case a server echoed it.
    fn redact(&self, text: &str) -> String {
        redact_token(text, self.credentials.github_token.as_deref())
    }
}

/// What `git push --porcelain` reported for one ref: the flag column and the summary, decoded.
/// The porcelain format is git's stable machine interface (flags and bracketed summaries are
/// never translated), unlike its English messages on stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefStatus {
    /// `*`: the branch was created.
    Created,
    /// ` `: a fast-forward (`--update`).
    FastForward,
    /// `=`: the same commit was already there.
    UpToDate,
    /// `!` `[rejected] (stale info|already exists|fetch first|non-fast-forward)`: the client
    /// refused because the remote ref is not what the lease/fast-forward rule expects.
    Stale(String),
    /// `!` `[remote rejected] (reason)` or `[remote failure]`: the server (a hook, branch
    /// protection) refused.
    RemoteRejected(String),
    /// Any other flag (`+` forced, `-` deleted: agb asks for neither) or `!` summary.
    Other(String),
}

/// The status line of `refname` (`refs/heads/…`) in `git push --porcelain`'s stdout
/// (`<flag>\t<src>:<dst>\t<summary>`); `None` when git printed none for it (it failed before
/// talking refs with the remote: connection or authentication).
pub fn porcelain_status(stdout: &str, refname: &str) -> Option<RefStatus> {
    let suffix = format!(":{refname}");
    stdout.lines().find_map(|line| {
        let mut parts = line.splitn(3, '\t');
        let flag = parts.next()?;
        let refs = parts.next()?;
        if !refs.ends_with(&suffix) {
            return None;
        }
        let summary = parts.next().unwrap_or("").trim().to_string();
        // the reason git puts in parentheses after the bracketed word
        let reason = || {
            summary
                .split_once('(')
                .and_then(|(_, r)| r.rsplit_once(')'))
                .map_or(summary.clone(), |(r, _)| r.to_string())
        };
        Some(match flag {
            "*" => RefStatus::Created,
            " " => RefStatus::FastForward,
            "=" => RefStatus::UpToDate,
            "!" if summary.starts_with("[rejected]") => RefStatus::Stale(reason()),
            "!" if summary.starts_with("[remote rejected]") || summary.starts_with("[remote failure]") => {
                RefStatus::RemoteRejected(reason())
            }
            _ => RefStatus::Other(summary),
        })
    })
}

/// The text of the `remote: ` lines (what the server's hooks said), trimmed, blank ones dropped.
pub fn remote_lines(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix("remote:"))
        // git pads a remote line and, on a terminal, clears to the end of line with `ESC [K`
        .map(|l| l.trim_end_matches("\u{1b}[K").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

struct Output {
    status_ok: bool,
    stdout: String,
    stderr: String,
}

/// `text` with every occurrence of `token` replaced by `***` (tokens shorter than 4 bytes are
/// not secrets worth hiding and would mangle the text).
pub fn redact_token(text: &str, token: Option<&str>) -> String {
    match token {
        Some(t) if t.len() >= 4 => text.replace(t, "***"),
        _ => text.to_string(),
    }
}

/// A URL with its user part hidden, for messages: the one URL redaction of agb.
pub fn redact_url(url: &str) -> String {
    crate::factory::url::redact(url)
}

/// Whether `path` looks like a bare git directory (used to check the cache before running git).
pub fn is_git_dir(path: &Path) -> bool {
    path.join("HEAD").is_file() && path.join("objects").is_dir()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_only_for_https_github() {
        assert!(token_applies("https://github.com/org/f.git", true, None));
        assert!(token_applies("https://GitHub.com:443/org/f", true, None));
        assert!(!token_applies("https://github.com/org/f.git", false, None));
        assert!(!token_applies("http://github.com/org/f.git", true, None));
        assert!(!token_applies("https://github.com.evil.example/org/f.git", true, None));
        assert!(!token_applies("https://evil.example/github.com/f.git", true, None));
        assert!(!token_applies("git@github.com:org/f.git", true, None));
        assert!(!token_applies("https://gitlab.com/org/f.git", true, None));
        assert!(!token_applies("/srv/f.git", true, None));
        assert!(token_applies("http://127.0.0.1:8080/f.git", true, Some("127.0.0.1:8080")));
        assert!(!token_applies("http://127.0.0.1:9/f.git", true, Some("127.0.0.1:8080")));
    }

    #[test]
    fn helper_reads_the_variable_not_a_value() {
        assert!(TOKEN_HELPER.contains("password=$GITHUB_TOKEN"));
        let g = Git {
            git_dir: "/c".into(),
            url: "https://github.com/o/r".into(),
            credentials: Credentials::default(),
            use_token: true,
            interactive: false,
            ssh_command: None,
        };
        let cmd = g.command();
        let args: Vec<String> = cmd.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
        assert_eq!(args[..6], ["--git-dir", "/c", "-c", "credential.helper=", "-c", TOKEN_HELPER]);
    }

    /// What `git credential fill` (with only agb's helper) answers for `request`.
    fn fill(request: &str, test_host: Option<&str>) -> String {
        use std::io::Write;
        let home = tempfile::tempdir().expect("temp dir");
        let mut cmd = Command::new("git");
        cmd.args(["-c", "credential.helper=", "-c", TOKEN_HELPER, "credential", "fill"])
            .current_dir(home.path())
            .env("HOME", home.path())
            .env("GIT_CONFIG_GLOBAL", home.path().join("none"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GITHUB_TOKEN", "ghp_secret_value")
            .env_remove("GIT_ASKPASS")
            .env_remove("SSH_ASKPASS")
            .env_remove(TEST_TOKEN_HOST_ENV)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(h) = test_host {
            cmd.env(TEST_TOKEN_HOST_ENV, h);
        }
        let mut child = cmd.spawn().expect("git runs");
        child.stdin.take().expect("piped").write_all(request.as_bytes()).expect("write request");
        let out = child.wait_with_output().expect("git finishes");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    #[test]
    fn helper_answers_only_for_github_https() {
        let ok = fill("protocol=https\nhost=github.com\npath=o/r.git\n\n", None);
        assert!(ok.contains("password=ghp_secret_value"), "{ok}");
        assert!(ok.contains("username=x-access-token"), "{ok}");
        assert!(fill("protocol=https\nhost=GitHub.com\n\n", None).contains("password=ghp_secret_value"));
        // a redirect (or any request) for another host, or plain http, gets nothing
        for req in [
            "protocol=https\nhost=evil.example\n\n",
            "protocol=https\nhost=github.com.evil.example\n\n",
            "protocol=http\nhost=github.com\n\n",
            "protocol=https\nhost=127.0.0.1:8080\n\n",
            "protocol=http\nhost=127.0.0.1:9\n\n",
        ] {
            let out = fill(req, Some("127.0.0.1:8080"));
            assert!(!out.contains("ghp_secret_value"), "{req:?} got {out}");
        }
        // the test-only host, over http, is the one exception
        let test = fill("protocol=http\nhost=127.0.0.1:8080\n\n", Some("127.0.0.1:8080"));
        assert!(test.contains("password=ghp_secret_value"), "{test}");
        let unset = fill("protocol=http\nhost=\n\n", None);
        assert!(!unset.contains("ghp_secret_value"), "{unset}");
    }

    #[test]
    fn secrets_are_redacted() {
        assert_eq!(redact_token("fatal: x ghp_abcdef y", Some("ghp_abcdef")), "fatal: x *** y");
        assert_eq!(redact_token("abc", Some("")), "abc");
        assert_eq!(redact_url("https://alice:s3cret@example.com/o/r.git"), "https://***@example.com/o/r.git");
        assert_eq!(redact_url("https://example.com/o/r.git"), "https://example.com/o/r.git");
        assert_eq!(redact_url("git@github.com:o/r.git"), "git@github.com:o/r.git");
    }

    #[test]
    fn failures_are_classified() {
        let g = Git {
            git_dir: "/c".into(),
            url: "http://h/r".into(),
            credentials: Credentials::default(),
            use_token: false,
            interactive: false,
            ssh_command: None,
        };
        assert!(matches!(
            g.classify("fatal: could not read Username for 'http://h': terminal prompts disabled", "x"),
            PublishError::Auth { .. }
        ));
        assert!(matches!(
            g.classify("fatal: Authentication failed for 'http://h/r/'", "x"),
            PublishError::Auth { .. }
        ));
        assert!(matches!(
            g.classify("fatal: unable to access 'http://h/r/': Failed to connect to h port 80", "x"),
            PublishError::Network { .. }
        ));
        assert!(matches!(g.classify("fatal: something else", "x"), PublishError::Git { .. }));
    }

    #[test]
    fn porcelain_lines_decide_the_push_outcome() {
        let r = "refs/heads/feat/x";
        let out = |line: &str| format!("To http://h/r.git\n{line}\nDone\n");
        assert_eq!(
            porcelain_status(&out("*\trefs/heads/feat/x:refs/heads/feat/x\t[new branch]"), r),
            Some(RefStatus::Created)
        );
        assert_eq!(
            porcelain_status(&out(" \trefs/heads/feat/x:refs/heads/feat/x\tabc..def"), r),
            Some(RefStatus::FastForward)
        );
        assert_eq!(
            porcelain_status(&out("=\trefs/heads/feat/x:refs/heads/feat/x\t[up to date]"), r),
            Some(RefStatus::UpToDate)
        );
        assert_eq!(
            porcelain_status(&out("!\trefs/heads/feat/x:refs/heads/feat/x\t[rejected] (stale info)"), r),
            Some(RefStatus::Stale("stale info".into()))
        );
        assert_eq!(
            porcelain_status(
                &out("!\trefs/heads/feat/x:refs/heads/feat/x\t[remote rejected] (pre-receive hook declined)"),
                r
            ),
            Some(RefStatus::RemoteRejected("pre-receive hook declined".into()))
        );
        // another ref's line, or none at all (git stopped before talking refs)
        assert_eq!(porcelain_status(&out("*\trefs/heads/other:refs/heads/other\t[new branch]"), r), None);
        assert_eq!(porcelain_status("", r), None);
        assert_eq!(
            remote_lines("remote: \nremote: View merge request:        \nremote:   https://gl/-/merge_requests/3\u{1b}[K\nTo x\n"),
            ["View merge request:", "https://gl/-/merge_requests/3"]
        );
    }

    #[test]
    fn push_command_is_copy_pasteable() {
        let g = Git {
            git_dir: "/tmp/my cache/f.git".into(),
            url: String::new(),
            credentials: Credentials::default(),
            use_token: false,
            interactive: false,
            ssh_command: None,
        };
        assert_eq!(
            g.push_command_for_user("feat/module-a-b-c-v1.0.0"),
            "git --git-dir '/tmp/my cache/f.git' push --force-with-lease=refs/heads/feat/module-a-b-c-v1.0.0: origin refs/heads/feat/module-a-b-c-v1.0.0:refs/heads/feat/module-a-b-c-v1.0.0"
        );
    }
}
