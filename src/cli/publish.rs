//! `agb publish`: a new module version as a branch with one commit (made in the cache, no work
//! tree), pushed with `git push`, and the link that opens the pull request (SPEC §2.5).

use std::io::IsTerminal;
use std::path::PathBuf;

use serde_json::json;

use crate::cli::factory::{print_warnings, FactoryArgs};
use crate::cli::output::{outln, print_json};
use crate::cli::Global;
use crate::error::Exit;
use crate::factory::publish::{self, naming, push, Mode, PublishError};
use crate::factory::{CacheOptions, Factory, FetchMode};

/// How often publish re-fetches when the factory branch moves between the fetch and the push.
const MAX_ATTEMPTS: usize = 3;

/// Test-only: lets `GITHUB_TOKEN` be handed to git for this plain-http `host:port` too, so the
/// loopback tests can exercise the credential-helper path (see docs/publish.md). Never set it
/// outside tests.
const TEST_TOKEN_HOST_ENV: &str = "AGB_TEST_GITHUB_TOKEN_HOST";

/// Publish a module version: branch + commit built without a work tree, `git push`, PR link.
#[derive(Debug, clap::Args)]
// `--version` is the module version here, not agb's (`agb --version` still works)
#[command(disable_version_flag = true)]
pub struct Args {
    /// The local module directory.
    #[arg(value_name = "LOCAL_DIR")]
    pub local_dir: PathBuf,
    /// The module path in the factory: <provider>/<category>/<name>.
    #[arg(long, value_name = "MODULE")]
    pub module: String,
    /// The new version (semver).
    #[arg(long, value_name = "VERSION")]
    pub version: String,
    /// One line for the changelog and the pull request.
    #[arg(long)]
    pub description: Option<String>,
    /// Commit author as "Name <email>" (default: git config user.name / user.email).
    #[arg(long)]
    pub author: Option<String>,
    /// Allow a version lower than the latest published one.
    #[arg(long)]
    pub allow_older: bool,
    /// Also publish files skipped by default (*.tfvars, .gitignore'd files) matching this glob;
    /// repeatable. Never .git/, .terraform/ or Terraform state.
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Show the tree diff and the link; push nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Commit into the cache only and print the push command.
    #[arg(long, conflicts_with = "dry_run")]
    pub no_push: bool,
    #[command(flatten)]
    pub factory: FactoryArgs,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let mode = if args.dry_run {
        Mode::DryRun
    } else if args.no_push {
        Mode::NoPush
    } else {
        Mode::Push
    };
    let offline = args.factory.offline;
    if offline && mode == Mode::Push {
        return Err(PublishError::Offline.into());
    }
    // 1. validate what needs no repository
    let local_dir =
        if args.local_dir.is_absolute() { args.local_dir.clone() } else { global.cwd.join(&args.local_dir) };
    let req = publish::request(
        &args.module,
        &args.version,
        local_dir,
        args.description.clone(),
        args.allow_older,
        args.include.clone(),
    )?;
    if !req.local_dir.is_dir() {
        return Err(PublishError::NoLocalDir { path: args.local_dir.clone() }.into());
    }

    // 2. fetch the cache now (publishing needs the current branch)
    let config = args.factory.resolve_config(global)?;
    let fetch_mode = if offline { FetchMode::Offline } else { FetchMode::Refresh };
    let opts = CacheOptions::from_env(fetch_mode, !global.quiet && !args.factory.json)?;
    let mut factory = Factory::open(&config, &opts)?;
    print_warnings(&mut factory, global);
    let (author, committer) = publish::identity(factory.repo(), args.author.as_deref())?;

    let token_set = std::env::var("GITHUB_TOKEN").is_ok_and(|t| !t.is_empty());
    let test_host = std::env::var(TEST_TOKEN_HOST_ENV).ok().filter(|h| !h.is_empty());
    let git = push::Git {
        git_dir: factory.git_dir().to_path_buf(),
        url: factory.remote_url().to_string(),
        use_token: push::token_applies(factory.remote_url(), token_set, test_host.as_deref()),
        interactive: std::io::stdin().is_terminal() && std::io::stderr().is_terminal(),
    };
    let layout = publish::Layout {
        branch: config.branch.clone(),
        catalog_path: config.catalog_path.clone(),
        modules_path: config.modules_path.clone(),
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);

    // 3. plan on the tip, checked against the remote before any object is written; when the
    // factory branch moved since the fetch, fetch again and re-plan on the new tip
    let mut attempt = 0;
    let plan = loop {
        attempt += 1;
        let plan = publish::plan(factory.repo(), factory.commit(), &layout, &req, now)?;
        if offline {
            global.warn("offline: the commit is based on the cache as it is, which may be behind the remote");
            break plan;
        }
        let state = match git.remote_state(&layout.branch, &plan.branch) {
            Ok(s) => s,
            Err(e @ (PublishError::Network { .. } | PublishError::Auth { .. })) if mode == Mode::DryRun => {
                global.warn(format!("cannot check the remote ({e}); the dry run goes on from the cache"));
                break plan;
            }
            Err(e) => return Err(e.into()),
        };
        if state.branch_tip.is_some() {
            return Err(PublishError::BranchExists {
                branch: plan.branch.clone(),
                remote: push::redact_url(factory.remote_url()),
            }
            .into());
        }
        match state.base_tip {
            None => return Err(PublishError::NoBase { base: layout.branch.clone() }.into()),
            Some(tip) if tip == factory.commit() => break plan,
            Some(_) if attempt < MAX_ATTEMPTS => {
                global
                    .note(format!("{} moved on the remote while publishing; fetching again", layout.branch));
                let refresh = CacheOptions { mode: FetchMode::Refresh, ..opts.clone() };
                factory = Factory::open(&config, &refresh)?;
                print_warnings(&mut factory, global);
            }
            Some(_) => return Err(PublishError::RemoteMoved { base: layout.branch.clone() }.into()),
        }
    };
    for w in &plan.warnings {
        global.warn(w);
    }
    if global.verbose > 0 || mode == Mode::DryRun {
        for s in &plan.skipped {
            global.note(format!("skipped {} ({})", s.rel, s.reason));
        }
    }

    // 4. commit (in memory for --dry-run), 5. push
    let time = gix::date::Time::now_local_or_utc();
    let repo = if mode == Mode::DryRun {
        factory.repo().clone().with_object_memory()
    } else {
        factory.repo().clone()
    };
    let commit = publish::write(&repo, &plan, &author, &committer, time, mode)?;
    let status = match mode {
        Mode::Push => {
            git.push_new_branch(&plan.branch)?;
            "pushed"
        }
        Mode::NoPush => "committed",
        Mode::DryRun => "dry-run",
    };
    // 7. the next read fetches again
    if mode != Mode::DryRun {
        if let Err(e) = factory.mark_stale() {
            global.warn(format!("cannot mark the factory cache stale: {e}"));
        }
    }

    // 6. the link
    let title = plan.message.lines().next().unwrap_or_default().to_string();
    let body = naming::pr_body(&plan.module, &plan.version, req.description.as_deref());
    let host = naming::host_of(factory.remote_url(), config.repository.as_deref());
    let url = naming::pr_url(&host, &layout.branch, &plan.branch, &title, &body);
    let remote = push::redact_url(factory.remote_url());

    if args.factory.json {
        print_json(&json!({
            "schema": 1,
            "pr": {
                "url": url,
                "branch": plan.branch,
                "commit": commit.to_string(),
                "status": status,
                "base": layout.branch,
                "base_commit": plan.base.to_string(),
                "remote": remote,
            },
            "module": plan.module.as_str(),
            "version": plan.version.to_string(),
            "previous_latest": plan.previous_latest.as_ref().map(ToString::to_string),
            "changes": plan.changes.iter().map(|c| json!({"path": c.path, "status": c.status.to_string()})).collect::<Vec<_>>(),
            "push_command": (mode == Mode::NoPush).then(|| git.push_command_for_user(&plan.branch)),
        }));
        return Ok(Exit::Ok);
    }

    let short = &commit.to_string()[..12];
    match mode {
        Mode::DryRun => {
            outln(format_args!(
                "Dry run: {} v{} would be committed on {} (nothing written, nothing pushed)",
                plan.module, plan.version, plan.branch
            ));
            outln(format_args!("  base:   {} {}", layout.branch, &plan.base.to_string()[..12]));
            outln(format_args!("  commit: {short} (would be) {title}"));
            outln("");
            for c in &plan.changes {
                outln(format_args!("  {} {}", c.status, c.path));
            }
            outln("");
            let diff = similar::TextDiff::from_lines(&plan.catalog_before, &plan.catalog_after);
            outln(
                diff.unified_diff()
                    .context_radius(2)
                    .header(&format!("a/{}", plan.catalog_path), &format!("b/{}", plan.catalog_path))
                    .to_string()
                    .trim_end(),
            );
            outln("");
        }
        Mode::NoPush => {
            outln(format_args!(
                "Committed {} v{} on {} in the cache ({short}); nothing pushed.",
                plan.module, plan.version, plan.branch
            ));
            outln("Push it with:");
            outln(format_args!("  {}", git.push_command_for_user(&plan.branch)));
        }
        Mode::Push => {
            outln(format_args!("Pushed {} v{} to {remote}", plan.module, plan.version));
            outln(format_args!("  branch: {}", plan.branch));
            outln(format_args!("  commit: {short} {title}"));
        }
    }
    match url {
        Some(u) if mode == Mode::Push => outln(format_args!("Open the pull request:\n  {u}")),
        Some(u) => outln(format_args!("Pull request link (once pushed):\n  {u}")),
        None => {
            outln(format_args!("Open a pull request from {} into {} on {remote}", plan.branch, layout.branch))
        }
    }
    Ok(Exit::Ok)
}
