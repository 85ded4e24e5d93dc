//! `agb publish --update`: a publish branch that already exists (its pull request is open) gets
//! one more commit with the module's files as they are now, pushed as a fast-forward only.
//!
//! Refused when the branch is not agb's for this module and version (no `Agb-Module:
//! <module>@<version>` trailer, nor agb's subject line, in its commits), or when its tip is not
//! agb's commit: someone else pushed since, and the error names that commit and its author. The
//! push's lease is the tip agb checked, so a push between the check and agb's own is refused by
//! the remote too.
//!
//! Not here: fetching the branch (see `push::Git::fetch_branch`), pushing (see `push`).

use gix::ObjectId;

use super::naming::{self, AGB_TRAILER};
use super::tree::{write_commit_spec, CommitSpec, Person, TreeEntry};
use super::{Plan, PublishError};
use crate::factory::ModulePath;

/// One commit of the publish branch, tip first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchCommit {
    pub id: String,
    /// `Name <email>`.
    pub author: String,
    pub message: String,
}

/// Whether `commit` is agb's publish commit for `module@version`: the trailer, or (branches made
/// before the trailer existed) agb's own subject line.
fn is_ours(commit: &BranchCommit, module: &ModulePath, version: &semver::Version) -> bool {
    let want = naming::trailer_value(module, version);
    let trailer = commit
        .message
        .lines()
        .filter_map(|l| l.strip_prefix(AGB_TRAILER).and_then(|r| r.strip_prefix(':')))
        .any(|v| v.trim() == want);
    let subject = commit.message.lines().next().unwrap_or_default();
    trailer
        || subject == format!("feat(module): Add {module} v{version}")
        || subject == format!("feat(module): Update {module} v{version}")
}

/// Check the branch's commits (tip first, down to the factory branch) before adding one.
pub fn check(
    branch: &str,
    commits: &[BranchCommit],
    module: &ModulePath,
    version: &semver::Version,
) -> Result<(), PublishError> {
    let Some(tip) = commits.first() else {
        return Err(PublishError::NotAgbBranch {
            branch: branch.to_string(),
            module: naming::trailer_value(module, version),
        });
    };
    if is_ours(tip, module, version) {
        return Ok(());
    }
    if commits.iter().skip(1).any(|c| is_ours(c, module, version)) {
        return Err(PublishError::PushedSince {
            branch: branch.to_string(),
            commit: tip.id.chars().take(12).collect(),
            author: tip.author.clone(),
            subject: tip.message.lines().next().unwrap_or_default().to_string(),
        });
    }
    Err(PublishError::NotAgbBranch {
        branch: branch.to_string(),
        module: naming::trailer_value(module, version),
    })
}

/// The first-parent commits from `tip` down to (not including) `base` or a commit reachable
/// from nowhere further, at most `limit` of them.
pub fn branch_commits(
    repo: &gix::Repository,
    tip: ObjectId,
    base: ObjectId,
    limit: usize,
) -> Result<Vec<BranchCommit>, PublishError> {
    let git = |what: &'static str| move |e: gix::Error| PublishError::Git { what, message: format!("{e:#}") };
    let mut out = Vec::new();
    let mut next = Some(tip);
    while let Some(id) = next.filter(|id| *id != base && out.len() < limit) {
        let commit = repo.find_commit(id).map_err(git("reading the publish branch"))?;
        let author = commit.author().map_err(git("reading the publish branch"))?;
        out.push(BranchCommit {
            id: id.to_string(),
            author: format!("{} <{}>", author.name, author.email),
            message: commit.message_raw_sloppy().to_string(),
        });
        next = commit.parent_ids().next().map(|p| p.detach());
    }
    Ok(out)
}

/// What an update commit is made of.
pub struct UpdateCommit<'a> {
    pub plan: &'a Plan,
    /// The remote's tip of the publish branch (checked with `ls-remote`).
    pub tip: ObjectId,
    /// `<modules_path>/<module>/v<version>`: the folder replaced.
    pub version_dir: String,
    pub catalog_path: &'a str,
}

/// Check the branch and write the update commit on its tip: the version folder replaced by the
/// plan's files (catalog.json stays as the branch has it: the version is already listed).
/// Returns `None` when the files are those of the tip already (nothing to add).
pub fn write(
    repo: &gix::Repository,
    update: &UpdateCommit<'_>,
    author: &Person,
    committer: &Person,
    time: gix::date::Time,
) -> Result<Option<ObjectId>, PublishError> {
    let plan = update.plan;
    let commits = branch_commits(repo, update.tip, plan.base, 50)?;
    check(&plan.branch, &commits, &plan.module, &plan.version)?;
    let entries: Vec<TreeEntry> =
        plan.entries.iter().filter(|e| e.path != update.catalog_path).cloned().collect();
    let message = naming::update_message(&plan.module, &plan.version, plan.description.as_deref());
    let spec = CommitSpec {
        parent: update.tip,
        remove_dir: Some(&update.version_dir),
        entries: &entries,
        message: &message,
    };
    let commit = write_commit_spec(repo, &spec, author, committer, time)?;
    let git = |what: &'static str| move |e: gix::Error| PublishError::Git { what, message: format!("{e:#}") };
    let tree_of = |id: ObjectId| -> Result<ObjectId, PublishError> {
        let c = repo.find_commit(id).map_err(git("reading a commit"))?;
        c.tree_id().map(|t| t.detach()).map_err(git("reading a tree"))
    };
    Ok((tree_of(commit)? != tree_of(update.tip)?).then_some(commit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(id: &str, author: &str, message: &str) -> BranchCommit {
        BranchCommit { id: id.into(), author: author.into(), message: message.into() }
    }

    #[test]
    fn only_agbs_own_tip_for_the_same_version_may_be_updated() {
        let m = ModulePath::new("aws/net/vpc").unwrap();
        let v = semver::Version::new(1, 1, 0);
        let ours =
            c("a1", "Ann <a@x>", "feat(module): Add aws/net/vpc v1.1.0\n\nAgb-Module: aws/net/vpc@1.1.0\n");
        let legacy = c("a0", "Ann <a@x>", "feat(module): Add aws/net/vpc v1.1.0\n");
        let theirs = c("b2b2b2b2b2b2b2", "Bob <b@x>", "fix typo\n");
        assert!(check("br", std::slice::from_ref(&ours), &m, &v).is_ok());
        assert!(check("br", &[legacy], &m, &v).is_ok());
        match check("br", &[theirs.clone(), ours.clone()], &m, &v) {
            Err(PublishError::PushedSince { author, commit, subject, .. }) => {
                assert_eq!(
                    (author.as_str(), commit.as_str(), subject.as_str()),
                    ("Bob <b@x>", "b2b2b2b2b2b2", "fix typo")
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(check("br", &[theirs], &m, &v), Err(PublishError::NotAgbBranch { .. })));
        let other_version = semver::Version::new(1, 2, 0);
        assert!(matches!(check("br", &[ours], &m, &other_version), Err(PublishError::NotAgbBranch { .. })));
        assert!(matches!(check("br", &[], &m, &v), Err(PublishError::NotAgbBranch { .. })));
    }
}
