//! The whole of `agb publish` as one library call: fetch the cache, plan, check the remote
//! (re-planning when the factory branch moved), write the commit, push, mark the cache stale,
//! build the link. The CLI only prints the [`Outcome`]; warnings and notes reach it through a
//! callback as they happen.
//!
//! Not here: printing, argument parsing.

use gix::ObjectId;

use super::bump_check::{self, BumpCheck};
use super::tree::Person;
use super::{forge, naming, push, update, Layout, Mode, Plan, PublishError, Request};
use crate::factory::compare;
use crate::factory::{CacheOptions, Factory, FactoryConfig, FetchMode, ModuleSpec};

/// How often publish fetches again when the factory branch moves between the fetch and the push.
const MAX_ATTEMPTS: usize = 3;

/// Options of a publish that are not the request itself.
#[derive(Debug, Clone)]
pub struct Options {
    pub mode: Mode,
    /// `--offline`: only with `DryRun`/`NoPush`; the cache is used as it is.
    pub offline: bool,
    /// `--author "Name <email>"`.
    pub author: Option<String>,
    /// Spinner while fetching (stderr on a terminal).
    pub progress: bool,
    /// Whether git may prompt (agb runs on a terminal).
    pub interactive: bool,
    /// Open the pull request (`gh`, GitLab push options) after the push; false: `--no-pr`, the
    /// link only.
    pub pr: bool,
    /// `--update`: an existing publish branch of agb's for this version gets one more commit.
    pub update: bool,
    /// Test-only: see [`push::TEST_TOKEN_HOST_ENV`]; `None` outside the loopback tests. The token
    /// itself is the cache's (`CacheOptions::github_token`), read once with the cache options.
    #[doc(hidden)]
    pub test_token_host: Option<String>,
}

/// Something the user should see now, on stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Warn(String),
    Note(String),
}

/// `pushed`, `committed` (`--no-push`) or `dry-run`, as in the JSON schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pushed,
    /// `--update`: a commit added to the existing branch and pushed.
    Updated,
    Committed,
    DryRun,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pushed => "pushed",
            Status::Updated => "updated",
            Status::Committed => "committed",
            Status::DryRun => "dry-run",
        }
    }
}

/// What a publish did.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub plan: Plan,
    pub commit: ObjectId,
    pub status: Status,
    /// The first line of the commit message (the PR title).
    pub title: String,
    /// The pull request: opened by `gh`, asked of GitLab, or only a link (`url` None when the
    /// host has none).
    pub pr: forge::PullRequest,
    /// What the remote said on the push (`remote:` lines, redacted).
    pub remote_messages: Vec<String>,
    /// The remote, without credentials, for messages.
    pub remote: String,
    /// For `--no-push`: the command that pushes the branch.
    pub push_command: Option<String>,
}

/// Publish `req` to the factory of `config`.
pub fn publish(
    config: &FactoryConfig,
    cache: &CacheOptions,
    req: &Request,
    opts: &Options,
    notify: &mut dyn FnMut(Notice),
) -> miette::Result<Outcome> {
    let mode = opts.mode;
    if opts.offline && mode == Mode::Push {
        return Err(PublishError::Offline.into());
    }
    if !req.local_dir.is_dir() {
        return Err(PublishError::NoLocalDir { path: req.local_dir.clone() }.into());
    }

    // fetch now, whatever the TTL: publishing needs the current branch
    let fetch_mode = if opts.offline { FetchMode::Offline } else { FetchMode::Refresh };
    let cache = CacheOptions { mode: fetch_mode, progress: opts.progress, ..cache.clone() };
    let mut factory = open(config, &cache, notify)?;
    let (author, committer) = super::identity(factory.repo(), opts.author.as_deref())?;

    let git = git_for(&factory, &cache, opts);
    let layout = Layout {
        branch: config.branch.clone(),
        catalog_path: config.catalog_path.clone(),
        modules_path: config.modules_path.clone(),
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    let target = Target { config, cache: &cache, layout: &layout, req, opts };
    let (plan, update_tip) = target.plan_on_remote_tip(&mut factory, &git, now, notify)?;
    for w in &plan.warnings {
        notify(Notice::Warn(w.to_string()));
    }
    let bump_section = warn_about_bump(&factory, &plan, &layout.modules_path, notify);

    // commit (in memory for --dry-run), push
    let time = gix::date::Time::now_local_or_utc();
    let repo = if mode == Mode::DryRun {
        factory.repo().clone().with_object_memory()
    } else {
        factory.repo().clone()
    };
    let title = plan.message.lines().next().unwrap_or_default().to_string();
    let host = naming::host_of(factory.remote_url(), config.repository.as_deref());
    let forge_plan = forge::plan(config.forge, &host, factory.remote_url(), opts.pr);
    let writer = Writer { repo: &repo, author: &author, committer: &committer, time, mode };
    let (commit, lease) = match update_tip {
        None => (super::write(&repo, &plan, &author, &committer, time, mode)?, push::Lease::MustNotExist),
        Some(tip) => (writer.update(&git, &plan, tip, &layout, notify)?, push::Lease::Is(tip.to_string())),
    };
    let (status, remote_messages) = match mode {
        Mode::Push => {
            let options = match forge_plan {
                forge::Plan::GitLab => forge::gitlab_push_options(&layout.branch, &title),
                _ => Vec::new(),
            };
            let report = match git.push_branch(&plan.branch, &lease, &options) {
                Err(moved @ PublishError::BranchMoved { .. }) => {
                    return Err(explain_moved(&git, &repo, &plan, &layout.branch, moved).into())
                }
                other => other?,
            };
            let status = if update_tip.is_some() { Status::Updated } else { Status::Pushed };
            (status, report.remote_messages)
        }
        Mode::NoPush => (Status::Committed, Vec::new()),
        Mode::DryRun => (Status::DryRun, Vec::new()),
    };
    // the next read fetches again (SPEC §2.3)
    if mode != Mode::DryRun {
        if let Err(e) = factory.mark_stale() {
            notify(Notice::Warn(format!("cannot mark the factory cache stale: {e}")));
        }
    }

    let body =
        naming::pr_body(&plan.module, &plan.version, plan.description.as_deref(), bump_section.as_deref());
    let link = naming::pr_url(&host, &layout.branch, &plan.branch, &title, &body);
    let pr = if mode == Mode::Push {
        let ask = PrAsk {
            plan: &forge_plan,
            base: &layout.branch,
            branch: &plan.branch,
            title: &title,
            body: &body,
        };
        pull_request(&ask, link, &remote_messages, &git.credentials, notify)
    } else {
        forge::PullRequest { number: None, url: link, via: forge::Via::Link, existing: false }
    };
    let push_command = (mode == Mode::NoPush).then(|| git.push_command_for_user(&plan.branch));
    Ok(Outcome {
        remote: push::redact_url(factory.remote_url()),
        plan,
        commit,
        status,
        title,
        pr,
        remote_messages,
        push_command,
    })
}

/// How the commit is written: in which repository (the cache, or in memory for `--dry-run`),
/// by whom, when.
struct Writer<'a> {
    repo: &'a gix::Repository,
    author: &'a Person,
    committer: &'a Person,
    time: gix::date::Time,
    mode: Mode,
}

impl Writer<'_> {
    /// `--update`: fetch the branch, check it is agb's, write one commit on its tip (or none when
    /// the files are the same), point the cache's branch at it.
    fn update(
        &self,
        git: &push::Git,
        plan: &Plan,
        tip: ObjectId,
        layout: &Layout,
        notify: &mut dyn FnMut(Notice),
    ) -> miette::Result<ObjectId> {
        git.fetch_branch(&plan.branch)?;
        let update = update::UpdateCommit {
            plan,
            tip,
            version_dir: format!("{}/{}/v{}", layout.modules_path, plan.module, plan.version),
            catalog_path: &layout.catalog_path,
        };
        let commit = match update::write(self.repo, &update, self.author, self.committer, self.time)? {
            Some(c) => c,
            None => {
                notify(Notice::Note(format!("{} already holds these files; nothing to add", plan.branch)));
                tip
            }
        };
        if self.mode != Mode::DryRun {
            super::tree::set_branch(self.repo, &plan.branch, commit)?;
        }
        Ok(commit)
    }
}

/// The lease refused `--update`'s push: someone pushed to the branch between agb's check and
/// its push. Fetch what they pushed and name it (commit, author, subject) like the check before
/// the commit does; when that cannot be read, the push's own refusal stands.
fn explain_moved(
    git: &push::Git,
    repo: &gix::Repository,
    plan: &Plan,
    base: &str,
    moved: PublishError,
) -> PublishError {
    let foreign = (|| -> Option<update::BranchCommit> {
        let tip = git.remote_state(base, &plan.branch).ok()?.branch_tip?;
        git.fetch_branch(&plan.branch).ok()?;
        let tip = ObjectId::from_hex(tip.as_bytes()).ok()?;
        update::branch_commits(repo, tip, plan.base, 1).ok()?.into_iter().next()
    })();
    match foreign {
        Some(c) => PublishError::PushedSince {
            branch: plan.branch.clone(),
            commit: c.id.chars().take(12).collect(),
            author: c.author,
            subject: c.message.lines().next().unwrap_or_default().to_string(),
        },
        None => moved,
    }
}

/// What the pull request is about, once pushed.
struct PrAsk<'a> {
    plan: &'a forge::Plan,
    base: &'a str,
    branch: &'a str,
    title: &'a str,
    body: &'a str,
}

/// Open the pull request after the push as the forge plan says; when `gh` cannot, say why and
/// fall back to the link.
fn pull_request(
    ask: &PrAsk<'_>,
    link: Option<String>,
    remote_messages: &[String],
    credentials: &push::Credentials,
    notify: &mut dyn FnMut(Notice),
) -> forge::PullRequest {
    let link_only = |url| forge::PullRequest { number: None, url, via: forge::Via::Link, existing: false };
    match ask.plan {
        forge::Plan::Link => link_only(link),
        forge::Plan::GitLab => {
            // GitLab answers on the push's `remote:` lines with the merge request's URL
            let found = forge::find_pr_url(&remote_messages.join("\n"));
            forge::PullRequest {
                number: found.as_ref().map(|f| f.1),
                url: found.map(|f| f.0).or(link),
                via: forge::Via::GitLab,
                existing: false,
            }
        }
        forge::Plan::Gh { hostname, repo } => {
            let req = forge::GhRequest {
                hostname,
                repo,
                base: ask.base,
                branch: ask.branch,
                title: ask.title,
                body: ask.body,
            };
            match forge::open_with_gh(&req) {
                Ok(pr) => pr,
                Err(forge::GhSkipped::NotInstalled) => link_only(link),
                Err(forge::GhSkipped::NotAuthenticated { hostname }) => {
                    notify(Notice::Note(format!(
                        "gh is not logged in to {hostname} (`gh auth login`); open the pull request with the link"
                    )));
                    link_only(link)
                }
                Err(forge::GhSkipped::Failed(why)) => {
                    let why = push::redact_token(&why, credentials.github_token.as_deref());
                    notify(Notice::Warn(format!("gh pr create failed: {why}")));
                    link_only(link)
                }
            }
        }
    }
}

/// What one publish works on, for the steps that may fetch again.
struct Target<'a> {
    config: &'a FactoryConfig,
    cache: &'a CacheOptions,
    layout: &'a Layout,
    req: &'a Request,
    opts: &'a Options,
}

impl Target<'_> {
    /// Plan on the tip, checked against the remote before any object is written; when the
    /// factory branch moved since the fetch, fetch again and plan again on the new tip.
    fn plan_on_remote_tip(
        &self,
        factory: &mut Factory,
        git: &push::Git,
        now: i64,
        notify: &mut dyn FnMut(Notice),
    ) -> miette::Result<(Plan, Option<ObjectId>)> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let req = self.resolved_request(factory, notify)?;
            let plan = super::plan(factory.repo(), factory.commit(), self.layout, &req, now)?;
            if self.opts.offline {
                notify(Notice::Warn(
                    "offline: the commit is based on the cache as it is, which may be behind the remote"
                        .into(),
                ));
                return Ok((plan, None));
            }
            let state = match git.remote_state(&self.layout.branch, &plan.branch) {
                Ok(s) => s,
                Err(e @ (PublishError::Network { .. } | PublishError::Auth { .. }))
                    if self.opts.mode == Mode::DryRun =>
                {
                    notify(Notice::Warn(format!(
                        "cannot check the remote ({e}); the dry run goes on from the cache"
                    )));
                    return Ok((plan, None));
                }
                Err(e) => return Err(e.into()),
            };
            let branch_tip =
                match (&state.branch_tip, self.opts.update) {
                    (Some(tip), true) => Some(ObjectId::from_hex(tip.as_bytes()).map_err(|e| {
                        PublishError::Git { what: "reading ls-remote", message: e.to_string() }
                    })?),
                    _ => None,
                };
            if state.branch_tip.is_some() && branch_tip.is_none() {
                return Err(PublishError::BranchExists {
                    branch: plan.branch.clone(),
                    remote: push::redact_url(factory.remote_url()),
                }
                .into());
            }
            match state.base_tip {
                None => return Err(PublishError::NoBase { base: self.layout.branch.clone() }.into()),
                Some(tip) if tip == factory.commit() => return Ok((plan, branch_tip)),
                Some(_) if attempt < MAX_ATTEMPTS => {
                    notify(Notice::Note(format!(
                        "{} moved on the remote while publishing; fetching again",
                        self.layout.branch
                    )));
                    *factory = open(
                        self.config,
                        &CacheOptions { mode: FetchMode::Refresh, ..self.cache.clone() },
                        notify,
                    )?;
                }
                Some(_) => return Err(PublishError::RemoteMoved { base: self.layout.branch.clone() }.into()),
            }
        }
    }
}

impl Target<'_> {
    /// The request with `--version auto` replaced by compare's suggested version on the
    /// fetched tip (and a note saying so); the request as it is otherwise.
    fn resolved_request(&self, factory: &Factory, notify: &mut dyn FnMut(Notice)) -> miette::Result<Request> {
        let mut req = self.req.clone();
        if !req.auto_version {
            return Ok(req);
        }
        let spec = ModuleSpec { module: req.module.clone(), version: None };
        let label = req.local_dir.display().to_string();
        let report = compare::compare_with_factory(factory, &req.local_dir, &label, Some(&spec), false)?;
        let latest = report.latest.as_ref().map(|l| format!("v{l}"));
        let Some(version) = report.suggested_version else {
            return Err(PublishError::NothingToPublish {
                module: req.module.to_string(),
                latest: latest.unwrap_or_default(),
            }
            .into());
        };
        let why = match &latest {
            Some(l) => format!("a {} bump over {l}", report.comparison.suggestion.bump),
            None => "a new module".to_string(),
        };
        notify(Notice::Note(format!("--version auto: v{version}, compare's suggested version ({why})")));
        req.version = version;
        req.auto_version = false;
        Ok(req)
    }
}

/// How git is run for this factory: `GITHUB_TOKEN` (the one the cache options read) is handed
/// to git only where [`push::token_applies`].
fn git_for(factory: &Factory, cache: &CacheOptions, opts: &Options) -> push::Git {
    let credentials = push::Credentials {
        github_token: cache.github_token.clone().filter(|t| !t.is_empty()),
        test_token_host: opts.test_token_host.clone().filter(|h| !h.is_empty()),
    };
    let use_token = push::token_applies(
        factory.remote_url(),
        credentials.github_token.is_some(),
        credentials.test_token_host.as_deref(),
    );
    push::Git {
        git_dir: factory.git_dir().to_path_buf(),
        url: factory.remote_url().to_string(),
        credentials,
        use_token,
        interactive: opts.interactive,
        ssh_command: factory.batch_ssh_command(cache),
    }
}

/// The "lower than the suggested bump" warning, or why there is no suggestion; the suggestion's
/// section of the pull request body when the rules ran.
fn warn_about_bump(
    factory: &Factory,
    plan: &Plan,
    modules_path: &str,
    notify: &mut dyn FnMut(Notice),
) -> Option<String> {
    match bump_check::check(factory, plan, modules_path) {
        BumpCheck::TooLow(s) => {
            notify(Notice::Warn(format!(
                "v{} is lower than the suggested {} bump (v{}) over v{}: {}{}",
                plan.version,
                s.bump,
                s.suggested,
                s.over,
                s.reasons.iter().map(|r| r.text.as_str()).collect::<Vec<_>>().join("; "),
                s.decided_by.as_ref().map(|d| format!(" (policy entry {d})")).unwrap_or_default()
            )));
            Some(s.pr_section())
        }
        BumpCheck::Enough(s) => s.map(|s| s.pr_section()),
        BumpCheck::Unknown(why) => {
            notify(Notice::Note(format!("no bump suggestion: {why}")));
            None
        }
        BumpCheck::NotApplicable => None,
    }
}

fn open(
    config: &FactoryConfig,
    cache: &CacheOptions,
    notify: &mut dyn FnMut(Notice),
) -> miette::Result<Factory> {
    let mut factory = Factory::open(config, cache)?;
    for w in factory.take_warnings() {
        notify(Notice::Warn(w.to_string()));
    }
    Ok(factory)
}
