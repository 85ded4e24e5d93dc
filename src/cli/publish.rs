//! `agb publish`: a new module version as a branch with one commit (made in the cache, no work
//! tree), pushed with `git push`, and the link that opens the pull request (SPEC §2.5).

use std::io::IsTerminal;
use std::path::PathBuf;

use serde_json::json;

use crate::cli::factory::FactoryArgs;
use crate::cli::output::{outln, print_json};
use crate::cli::Global;
use crate::error::Exit;
use crate::factory::publish::forge::Via;
use crate::factory::publish::run::{self, Notice, Options};
use crate::factory::publish::{self, push, Mode, PublishError};
use crate::factory::{CacheOptions, FetchMode};

/// Publish a module version: branch + commit built without a work tree, `git push`, PR link.
#[derive(Debug, clap::Args)]
// `--version` is the module version here, not agb's (`agb --version` still works)
#[command(disable_version_flag = true)]
pub struct Args {
    /// Print agb's version (`-V`; `--version` is the module's version here).
    #[arg(short = 'V', action = clap::ArgAction::Version)]
    pub agb_version: (),
    /// The local module directory.
    #[arg(value_name = "LOCAL_DIR")]
    pub local_dir: PathBuf,
    /// The module path in the factory: `provider/category/name` (default: MODULE_METADATA.yaml's
    /// provider/category/name).
    #[arg(long, value_name = "MODULE")]
    pub module: Option<String>,
    /// The new version (semver), or `auto` for `agb factory compare`'s suggested version
    /// (default: MODULE_METADATA.yaml's module.version).
    #[arg(long, value_name = "VERSION")]
    pub version: Option<String>,
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
    /// The publish branch exists (its pull request is open): add a commit with the module's
    /// files as they are now (fast-forward only; refused when the branch is not agb's for this
    /// module and version, or someone else pushed to it since).
    #[arg(long)]
    pub update: bool,
    /// Do not open the pull request (no `gh pr create`, no GitLab push options): print the link.
    #[arg(long)]
    pub no_pr: bool,
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
    // what needs no repository is validated first (usage errors, exit 2)
    let local_dir =
        if args.local_dir.is_absolute() { args.local_dir.clone() } else { global.cwd.join(&args.local_dir) };
    if !local_dir.is_dir() {
        return Err(PublishError::NoLocalDir { path: args.local_dir.clone() }.into());
    }
    let req = publish::request(publish::RequestArgs {
        module: args.module.as_deref(),
        version: args.version.as_deref(),
        local_dir,
        description: args.description.clone(),
        allow_older: args.allow_older,
        include: args.include.clone(),
    })?;
    let config = args.factory.resolve_config(global)?;
    let cache = CacheOptions::from_env(FetchMode::Refresh, false)?;
    let opts = Options {
        mode,
        offline: args.factory.offline,
        author: args.author.clone(),
        progress: !global.quiet && !args.factory.json,
        interactive: std::io::stdin().is_terminal() && std::io::stderr().is_terminal(),
        pr: !args.no_pr,
        update: args.update,
        // the loopback tests' seam (docs/publish.md), read here and nowhere else
        test_token_host: std::env::var(push::TEST_TOKEN_HOST_ENV).ok().filter(|h| !h.is_empty()),
    };
    let outcome = run::publish(&config, &cache, &req, &opts, &mut |notice| match notice {
        Notice::Warn(w) => global.warn(w),
        Notice::Note(n) => global.note(n),
    })?;
    print_skipped(&outcome.plan, mode, global);
    if args.factory.json {
        print_json(&outcome_json(&outcome));
    } else {
        print_outcome(&outcome, mode);
    }
    Ok(Exit::Ok)
}

/// What publish left out of the version (all of it with `-v` or `--dry-run`, else a summary).
fn print_skipped(plan: &publish::Plan, mode: Mode, global: &Global) {
    if global.verbose > 0 || mode == Mode::DryRun {
        for s in &plan.skipped {
            global.note(format!("skipped {} ({})", s.rel, s.reason));
        }
    } else if !plan.skipped.is_empty() {
        let names: Vec<&str> = plan.skipped.iter().take(3).map(|s| s.rel.as_str()).collect();
        let more = if plan.skipped.len() > 3 {
            format!(" and {} more", plan.skipped.len() - 3)
        } else {
            String::new()
        };
        global.note(format!(
            "not published: {}{more} (*.tfvars or .gitignore; -v lists why, --include GLOB publishes them)",
            names.join(", ")
        ));
    }
}

/// The `--json` document of a publish (schema 1, SPEC §2.4).
fn outcome_json(outcome: &run::Outcome) -> serde_json::Value {
    let plan = &outcome.plan;
    json!({
        "schema": 1,
        "pr": {
            "number": outcome.pr.number,
            "url": outcome.pr.url,
            "via": outcome.pr.via.as_str(),
            "existing": outcome.pr.existing,
            "branch": plan.branch,
            "commit": outcome.commit.to_string(),
            "status": outcome.status.as_str(),
            "base": plan.base_branch,
            "base_commit": plan.base.to_string(),
            "remote": outcome.remote,
        },
        "module": plan.module.as_str(),
        "version": plan.version.to_string(),
        "previous_latest": plan.previous_latest.as_ref().map(ToString::to_string),
        "changes": plan.changes.iter().map(|c| json!({"path": c.path, "status": c.status.to_string()})).collect::<Vec<_>>(),
        "push_command": outcome.push_command,
        "remote_messages": outcome.remote_messages,
    })
}

/// What a publish did, for a person.
fn print_outcome(outcome: &run::Outcome, mode: Mode) {
    let plan = &outcome.plan;
    let short = &outcome.commit.to_string()[..12];
    let title = &outcome.title;
    let remote = &outcome.remote;
    match mode {
        Mode::DryRun => {
            outln(format_args!(
                "Dry run: {} v{} would be committed on {} (nothing written, nothing pushed)",
                plan.module, plan.version, plan.branch
            ));
            outln(format_args!("  base:   {} {}", plan.base_branch, &plan.base.to_string()[..12]));
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
            outln(format_args!("  {}", outcome.push_command.as_deref().unwrap_or_default()));
        }
        Mode::Push => {
            let verb = if outcome.status == run::Status::Updated { "Updated" } else { "Pushed" };
            outln(format_args!("{verb} {} v{} to {remote}", plan.module, plan.version));
            outln(format_args!("  branch: {}", plan.branch));
            outln(format_args!("  commit: {short} {title}"));
        }
    }
    if !outcome.remote_messages.is_empty() {
        outln("The remote answered:");
        for line in &outcome.remote_messages {
            outln(format_args!("  {line}"));
        }
    }
    let pr = &outcome.pr;
    if let (Via::Gh | Via::GitLab, Some(n), Some(u)) = (pr.via, pr.number, &pr.url) {
        let what = if pr.via == Via::Gh { "Pull request" } else { "Merge request" };
        let state = if pr.existing { "already open" } else { "opened" };
        outln(format_args!("{what} #{n} {state}:\n  {u}"));
        return;
    }
    match &pr.url {
        Some(u) if mode == Mode::Push => outln(format_args!("Open the pull request:\n  {u}")),
        Some(u) => outln(format_args!("Pull request link (once pushed):\n  {u}")),
        None => outln(format_args!(
            "Open a pull request from {} into {} on {remote}",
            plan.branch, plan.base_branch
        )),
    }
}
