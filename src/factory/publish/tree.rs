//! Writing a publish as git objects without a work tree: blobs for the new files, the base
//! commit's tree edited with gix's tree editor (only the changed trees are written), one commit
//! whose parent is the base, and the branch ref in the cache (`MustNotExist`).
//!
//! Not here: deciding the content (see `plan`), pushing (see `push`).

use std::path::PathBuf;

use gix::object::tree::EntryKind;
use gix::ObjectId;

use super::PublishError;
use crate::factory::local_module::FileKind;

/// Where the bytes of a planned entry come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// A file of the local module, read when the blob is written.
    File(PathBuf),
    /// Generated or edited text (metadata, changelog, catalog).
    Bytes(Vec<u8>),
}

/// One path of the new tree that differs from the base tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeEntry {
    /// Path in the repository, with `/`.
    pub path: String,
    pub kind: FileKind,
    pub content: Content,
}

/// An author or committer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub email: String,
}

impl Person {
    /// Parse `Name <email>` (the `--author` syntax of git).
    pub fn parse(s: &str) -> Option<Person> {
        let (name, rest) = s.split_once('<')?;
        let email = rest.strip_suffix('>')?.trim();
        let name = name.trim();
        let bad = |t: &str| t.is_empty() || t.contains(['<', '>', '\n']);
        if bad(name) || bad(email) {
            return None;
        }
        Some(Person { name: name.to_string(), email: email.to_string() })
    }
}

impl std::fmt::Display for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} <{}>", self.name, self.email)
    }
}

/// Write the blobs and trees of `entries` on top of `base`'s tree and a commit with `message`.
/// Returns the commit id. No ref is moved.
pub fn write_commit(
    repo: &gix::Repository,
    base: ObjectId,
    entries: &[TreeEntry],
    message: &str,
    author: &Person,
    committer: &Person,
    time: gix::date::Time,
) -> Result<ObjectId, PublishError> {
    let spec = CommitSpec { parent: base, remove_dir: None, entries, message };
    write_commit_spec(repo, &spec, author, committer, time)
}

/// A commit to write: the parent's tree with `remove_dir` removed, then `entries` written.
pub struct CommitSpec<'a> {
    pub parent: ObjectId,
    /// A folder to clear first (`--update` replaces the version folder: files deleted locally
    /// since the last commit must go).
    pub remove_dir: Option<&'a str>,
    pub entries: &'a [TreeEntry],
    pub message: &'a str,
}

/// Write the blobs, trees and the commit of `spec`; returns the commit.
pub fn write_commit_spec(
    repo: &gix::Repository,
    spec: &CommitSpec<'_>,
    author: &Person,
    committer: &Person,
    time: gix::date::Time,
) -> Result<ObjectId, PublishError> {
    let git = |what: &'static str| move |e: gix::Error| PublishError::Git { what, message: format!("{e:#}") };
    let (base, message) = (spec.parent, spec.message);
    let base_commit = repo.find_commit(base).map_err(git("reading the base commit"))?;
    let base_tree = base_commit.tree_id().map_err(git("reading the base tree"))?;
    let mut editor = repo.edit_tree(base_tree).map_err(git("editing the tree"))?;
    if let Some(dir) = spec.remove_dir {
        editor.remove(dir).map_err(git("editing the tree"))?;
    }
    for entry in spec.entries {
        let bytes = match &entry.content {
            Content::Bytes(b) => b.clone(),
            Content::File(p) => crate::factory::local_module::read_content(p, entry.kind)?,
        };
        let blob = repo.write_blob(&bytes).map_err(git("writing a blob"))?;
        let kind = match entry.kind {
            FileKind::Regular => EntryKind::Blob,
            FileKind::Executable => EntryKind::BlobExecutable,
            FileKind::Link => EntryKind::Link,
        };
        editor.upsert(entry.path.as_str(), kind, blob).map_err(git("editing the tree"))?;
    }
    let tree = editor.write().map_err(git("writing the tree"))?;
    let mut author_buf = gix::date::parse::TimeBuf::default();
    let mut committer_buf = gix::date::parse::TimeBuf::default();
    let author = gix::actor::Signature {
        name: author.name.as_str().into(),
        email: author.email.as_str().into(),
        time,
    };
    let committer = gix::actor::Signature {
        name: committer.name.as_str().into(),
        email: committer.email.as_str().into(),
        time,
    };
    let commit = repo
        .new_commit_as(
            committer.to_ref(&mut committer_buf),
            author.to_ref(&mut author_buf),
            message,
            tree,
            [base],
        )
        .map_err(git("writing the commit"))?;
    Ok(commit.id)
}

/// Point `refs/heads/<branch>` of the cache at `commit`. The cache is agb's own: a branch left
/// there by an earlier `--no-push` or failed push of the same version is replaced (the remote,
/// which is what matters, is checked with a must-not-exist lease when pushing).
pub fn set_branch(repo: &gix::Repository, branch: &str, commit: ObjectId) -> Result<(), PublishError> {
    let name = format!("refs/heads/{branch}");
    repo.reference(name.as_str(), commit, gix::refs::transaction::PreviousValue::Any, "agb publish")
        .map_err(|e| PublishError::Git {
            what: "creating the branch in the cache",
            message: format!("{e:#}"),
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::factory::publish::tests::git;

    #[test]
    fn person_parses_git_author_syntax() {
        assert_eq!(
            Person::parse("Ada Lovelace <ada@example.com>"),
            Some(Person { name: "Ada Lovelace".into(), email: "ada@example.com".into() })
        );
        assert_eq!(Person::parse("Ada"), None);
        assert_eq!(Person::parse("<a@b>"), None);
        assert_eq!(Person::parse("A <>"), None);
    }

    /// A bare repository with one commit (catalog.json + an existing module), as a factory.
    fn bare_factory(dir: &std::path::Path) -> (PathBuf, ObjectId) {
        let work = dir.join("work");
        std::fs::create_dir_all(work.join("modules/aws/net/vpc/v1.0.0")).unwrap();
        std::fs::write(work.join("catalog.json"), "{\n  \"modules\": {}\n}\n").unwrap();
        std::fs::write(work.join("modules/aws/net/vpc/v1.0.0/main.tf"), "# vpc\n").unwrap();
        git(&work, &["init", "-q", "-b", "main"]);
        git(&work, &["add", "-A"]);
        git(&work, &["commit", "-qm", "init"]);
        let bare = dir.join("remote.git");
        git(dir, &["clone", "-q", "--bare", work.to_str().unwrap(), bare.to_str().unwrap()]);
        let head = git(&bare, &["rev-parse", "refs/heads/main"]);
        (bare, ObjectId::from_hex(head.trim().as_bytes()).unwrap())
    }

    #[test]
    fn commit_holds_new_files_and_keeps_the_rest() {
        let d = tempfile::tempdir().unwrap();
        let (bare, base) = bare_factory(d.path());
        let src = d.path().join("src");
        std::fs::create_dir_all(&src).unwrap();
        std::fs::write(src.join("main.tf"), "resource \"x\" \"y\" {}\n").unwrap();
        std::fs::write(src.join("run.sh"), "#!/bin/sh\n").unwrap();
        std::os::unix::fs::symlink("main.tf", src.join("link.tf")).unwrap();
        let entries = vec![
            TreeEntry {
                path: "modules/aws/net/nat/v1.0.0/main.tf".into(),
                kind: FileKind::Regular,
                content: Content::File(src.join("main.tf")),
            },
            TreeEntry {
                path: "modules/aws/net/nat/v1.0.0/run.sh".into(),
                kind: FileKind::Executable,
                content: Content::File(src.join("run.sh")),
            },
            TreeEntry {
                path: "modules/aws/net/nat/v1.0.0/link.tf".into(),
                kind: FileKind::Link,
                content: Content::File(src.join("link.tf")),
            },
            TreeEntry {
                path: "catalog.json".into(),
                kind: FileKind::Regular,
                content: Content::Bytes(b"{}\n".to_vec()),
            },
        ];
        let repo = gix::open(&bare).unwrap();
        let me = Person { name: "Ada".into(), email: "ada@example.com".into() };
        let time = gix::date::Time::new(1_738_058_400, 0);
        let id =
            write_commit(&repo, base, &entries, "feat(module): Add aws/net/nat v1.0.0\n", &me, &me, time)
                .unwrap();
        set_branch(&repo, "feat/module-aws-net-nat-v1.0.0", base).unwrap();
        set_branch(&repo, "feat/module-aws-net-nat-v1.0.0", id).unwrap(); // a leftover is replaced

        let b = "refs/heads/feat/module-aws-net-nat-v1.0.0";
        git(&bare, &["fsck", "--strict", "--no-dangling"]);
        assert_eq!(git(&bare, &["rev-parse", &format!("{b}^")]).trim(), base.to_string());
        let tree = git(&bare, &["ls-tree", "-r", b]);
        let mut lines: Vec<(&str, &str)> =
            tree.lines().map(|l| (l.split(' ').next().unwrap(), l.split('\t').nth(1).unwrap())).collect();
        lines.sort_by_key(|l| l.1);
        assert_eq!(
            lines,
            [
                ("100644", "catalog.json"),
                ("120000", "modules/aws/net/nat/v1.0.0/link.tf"),
                ("100644", "modules/aws/net/nat/v1.0.0/main.tf"),
                ("100755", "modules/aws/net/nat/v1.0.0/run.sh"),
                ("100644", "modules/aws/net/vpc/v1.0.0/main.tf"),
            ]
        );
        assert_eq!(git(&bare, &["show", &format!("{b}:modules/aws/net/nat/v1.0.0/link.tf")]), "main.tf");
        let log = git(&bare, &["log", "-1", "--format=%an <%ae>|%cn|%at|%s", b]);
        assert_eq!(log.trim(), "Ada <ada@example.com>|Ada|1738058400|feat(module): Add aws/net/nat v1.0.0");
    }
}
