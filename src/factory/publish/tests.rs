use super::*;
use std::path::Path;
use std::process::Command;

/// Run git in `dir` with a fixed identity and no user config (the tree tests use it too).
pub(super) fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "T")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "T")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

const CATALOG: &str = "{\n  \"version\": \"1.0.0\",\n  \"last_updated\": \"2025-01-28T10:00:00Z\",\n  \"modules\": {\n    \"aws/networking/vpc\": {\n      \"latest\": \"1.1.0\",\n      \"versions\": [\"1.0.0\", \"1.1.0\"],\n      \"description\": \"VPC\"\n    }\n  }\n}\n";

/// A bare factory with vpc 1.0.0 and 1.1.0 (and 1.2.0 only as a folder: the tree is the truth).
fn factory(dir: &Path) -> (gix::Repository, ObjectId) {
    let work = dir.join("work");
    for v in ["1.0.0", "1.1.0", "1.2.0"] {
        let d = work.join(format!("modules/aws/networking/vpc/v{v}"));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("main.tf"), format!("# {v}\n")).unwrap();
    }
    std::fs::write(work.join("catalog.json"), CATALOG).unwrap();
    git(&work, &["init", "-q", "-b", "main"]);
    git(&work, &["add", "-A"]);
    git(&work, &["commit", "-qm", "init"]);
    let bare = dir.join("f.git");
    git(dir, &["clone", "-q", "--bare", work.to_str().unwrap(), bare.to_str().unwrap()]);
    let head = git(&bare, &["rev-parse", "main"]);
    (gix::open(&bare).unwrap(), ObjectId::from_hex(head.trim().as_bytes()).unwrap())
}

fn layout() -> Layout {
    Layout { branch: "main".into(), catalog_path: "catalog.json".into(), modules_path: "modules".into() }
}

fn local_module(dir: &Path) -> PathBuf {
    let m = dir.join("my-vpc");
    std::fs::create_dir_all(m.join(".terraform")).unwrap();
    std::fs::write(m.join(".terraform/lock"), "x").unwrap();
    std::fs::write(m.join("main.tf"), "resource \"aws_vpc\" \"this\" {}\n").unwrap();
    std::fs::write(m.join("dev.tfvars"), "secret = 1\n").unwrap();
    std::fs::write(
        m.join("MODULE_METADATA.yaml"),
        "# keep me\nschema_version: \"2.0\"\nmodule:\n  name: nat\n  version: 0.0.1\n  provider: aws\n  category: networking\n  description: NAT gateway\n",
    )
    .unwrap();
    m
}

fn req(module: &str, version: &str, dir: PathBuf) -> Request {
    let args = RequestArgs {
        module: Some(module),
        version: Some(version),
        local_dir: dir,
        description: Some("First NAT".into()),
        allow_older: false,
        include: vec![],
    };
    request(args).unwrap()
}

#[test]
fn version_rules_use_tree_and_catalog() {
    let d = tempfile::tempdir().unwrap();
    let (repo, base) = factory(d.path());
    let m = local_module(d.path());
    let e = plan(&repo, base, &layout(), &req("aws/networking/vpc", "1.2.0", m.clone()), 0).unwrap_err();
    assert!(matches!(&e, PublishError::VersionExists { next, .. } if next == "1.2.1"), "{e:?}");
    let e =
        plan(&repo, base, &layout(), &req("aws/networking/vpc", "1.2.0+build.7", m.clone()), 0).unwrap_err();
    assert!(matches!(&e, PublishError::VersionExists { .. }), "build metadata does not make a new version");
    let e = plan(&repo, base, &layout(), &req("aws/networking/vpc", "1.1.5", m.clone()), 0).unwrap_err();
    assert!(matches!(&e, PublishError::NotNewer { latest, .. } if latest == "1.2.0"), "{e:?}");
    let mut older = req("aws/networking/vpc", "1.1.5", m.clone());
    older.allow_older = true;
    let p = plan(&repo, base, &layout(), &older, 0).unwrap();
    assert_eq!(p.previous_latest, Some(semver::Version::new(1, 2, 0)));
    assert!(plan(&repo, base, &layout(), &req("aws/networking/vpc", "2.0.0", m), 0).is_ok());
}

#[test]
fn plan_then_write_makes_the_expected_commit() {
    let d = tempfile::tempdir().unwrap();
    let (repo, base) = factory(d.path());
    let m = local_module(d.path());
    let p = plan(&repo, base, &layout(), &req("aws/networking/nat", "1.0.0", m), 1_800_000_000).unwrap();
    assert_eq!(p.branch, "feat/module-aws-networking-nat-v1.0.0");
    let changes: Vec<(char, &str)> = p.changes.iter().map(|c| (c.status, c.path.as_str())).collect();
    assert_eq!(
        changes,
        [
            ('M', "catalog.json"),
            ('A', "modules/aws/networking/nat/v1.0.0/CHANGELOG.md"),
            ('A', "modules/aws/networking/nat/v1.0.0/MODULE_METADATA.yaml"),
            ('A', "modules/aws/networking/nat/v1.0.0/main.tf"),
        ]
    );
    assert_eq!(p.skipped.iter().map(|s| s.rel.as_str()).collect::<Vec<_>>(), ["dev.tfvars"]);

    let me = tree::Person { name: "A".into(), email: "a@example.com".into() };
    let id = write(&repo, &p, &me, &me, gix::date::Time::new(1_738_058_400, 0), Mode::NoPush).unwrap();
    let bare = repo.git_dir();
    let b = "refs/heads/feat/module-aws-networking-nat-v1.0.0";
    assert_eq!(git(bare, &["rev-parse", b]).trim(), id.to_string());
    git(bare, &["fsck", "--strict"]);
    let meta = git(bare, &["show", &format!("{b}:modules/aws/networking/nat/v1.0.0/MODULE_METADATA.yaml")]);
    assert!(meta.starts_with("# keep me\n") && meta.contains("  version: 1.0.0\n"), "{meta}");
    let diff = git(bare, &["diff", "-U0", "main", b, "--", "catalog.json"]);
    let removed: Vec<&str> = diff.lines().filter(|l| l.starts_with('-') && !l.starts_with("---")).collect();
    assert_eq!(removed, ["-  \"last_updated\": \"2025-01-28T10:00:00Z\","]);
    let added: Vec<&str> = diff.lines().filter(|l| l.starts_with('+') && !l.starts_with("+++")).collect();
    assert!(added.contains(&"+    \"aws/networking/nat\": {"), "{diff}");
    assert!(added.contains(&"+      \"description\": \"First NAT\""), "{diff}");
}

#[test]
fn dry_run_writes_no_object() {
    let d = tempfile::tempdir().unwrap();
    let (repo, base) = factory(d.path());
    let m = local_module(d.path());
    let p = plan(&repo, base, &layout(), &req("aws/networking/nat", "1.0.0", m), 0).unwrap();
    let count = |bare: &Path| git(bare, &["count-objects", "-v"]);
    let before = count(repo.git_dir());
    let mem = repo.clone().with_object_memory();
    let me = tree::Person { name: "A".into(), email: "a@example.com".into() };
    let id = write(&mem, &p, &me, &me, gix::date::Time::new(0, 0), Mode::DryRun).unwrap();
    assert!(!id.is_null());
    assert_eq!(count(repo.git_dir()), before);
    assert!(repo.try_find_reference("refs/heads/feat/module-aws-networking-nat-v1.0.0").unwrap().is_none());
}

#[test]
fn identity_comes_from_flag_or_is_an_error() {
    let d = tempfile::tempdir().unwrap();
    let (repo, _) = factory(d.path());
    let (a, _) = identity(&repo, Some("Ada <ada@example.com>")).unwrap();
    assert_eq!(a.to_string(), "Ada <ada@example.com>");
    assert!(matches!(identity(&repo, Some("Ada")), Err(PublishError::BadAuthor { .. })));
}
