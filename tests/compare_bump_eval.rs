//! Evaluation of the suggested bump on a real module's release history (not part of the normal
//! suite: it needs a clone of a public repository).
//!
//! ```text
//! AGB_BUMP_EVAL_REPO=/path/to/terraform-aws-s3-bucket \
//!   cargo test --test compare_bump_eval -- --ignored --nocapture
//! ```
//! `AGB_BUMP_EVAL_SINCE=1.0.0` skips older releases; `AGB_BUMP_EVAL_POLICY=file.yaml` applies a
//! bump policy (the publisher's, as `.agb/bump-policy.yaml` would state it). `benches/bump_eval.sh`
//! runs it over several repositories.
//! For every pair of consecutive release tags (`vX.Y.Z`, sorted as semver) it compares agb's
//! suggestion with the bump the maintainers made, prints one line per pair and a summary, and
//! fails when fewer than half of the pairs match (a sanity floor, not a target).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use agb::factory::bump::{parse_module, suggest_with, Bump, Policy};

fn git(repo: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::new("git").arg("--git-dir").arg(repo).args(args).output().expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// All files of a tag: path → (bytes, executable) (read with `git archive` so no work tree is
/// needed; tar keeps the tree's 100755 bits).
fn files_at(repo: &Path, tag: &str, scratch: &Path) -> BTreeMap<String, (Vec<u8>, bool)> {
    let dir = scratch.join(tag);
    std::fs::create_dir_all(&dir).unwrap();
    let tar = git(repo, &["archive", "--format=tar", tag]);
    let mut child = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(&dir)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("tar runs");
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), &tar).unwrap();
    assert!(child.wait().unwrap().success());
    let mut files = BTreeMap::new();
    for entry in
        walkdir::WalkDir::new(&dir).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file())
    {
        let rel = entry.path().strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/");
        let meta = entry.metadata().unwrap();
        files.insert(rel, (std::fs::read(entry.path()).unwrap(), is_executable(&meta)));
    }
    files
}

#[cfg(unix)]
fn is_executable(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_meta: &std::fs::Metadata) -> bool {
    false
}

fn maintainer_bump(a: &semver::Version, b: &semver::Version) -> Bump {
    if b.major != a.major {
        Bump::Major
    } else if b.minor != a.minor {
        Bump::Minor
    } else if b.patch != a.patch {
        Bump::Patch
    } else {
        Bump::None
    }
}

#[test]
#[ignore = "needs AGB_BUMP_EVAL_REPO pointing at a clone of a public module repository"]
fn bump_matches_release_history() {
    let Some(repo) = std::env::var_os("AGB_BUMP_EVAL_REPO") else {
        panic!("set AGB_BUMP_EVAL_REPO to a git directory with release tags");
    };
    let repo = Path::new(&repo);
    let since: Option<semver::Version> =
        std::env::var("AGB_BUMP_EVAL_SINCE").ok().and_then(|s| semver::Version::parse(&s).ok());
    // `v1.2.3` and `1.2.3` (some publishers tag without the `v`); a version tagged both ways once.
    let tags = String::from_utf8(git(repo, &["tag", "--list"])).unwrap();
    let mut versions: Vec<(semver::Version, String)> = tags
        .lines()
        .filter_map(|t| semver::Version::parse(t.trim_start_matches('v')).ok().map(|v| (v, t.to_string())))
        .filter(|(v, _)| v.pre.is_empty() && since.as_ref().is_none_or(|s| v >= s))
        .collect();
    versions.sort();
    versions.dedup_by(|a, b| a.0 == b.0);
    // The publisher's policy, as its factory would state it (`.agb/bump-policy.yaml`).
    let policy = match std::env::var_os("AGB_BUMP_EVAL_POLICY").filter(|p| !p.is_empty()) {
        Some(p) => {
            let text = std::fs::read_to_string(&p).expect("policy file readable");
            Policy::parse(&text, &Path::new(&p).display().to_string()).expect("valid policy")
        }
        None => Policy::default(),
    };
    let scratch = tempfile::tempdir().unwrap();
    let (mut matched, mut total, mut errors) = (0, 0, 0);
    let mut interface = (0, 0);
    let mut confusion: BTreeMap<(Bump, Bump), usize> = BTreeMap::new();
    let mut under: Vec<String> = Vec::new();
    for pair in versions.windows(2) {
        let ((va, ta), (vb, tb)) = (&pair[0], &pair[1]);
        let (fa, fb) = (files_at(repo, ta, scratch.path()), files_at(repo, tb, scratch.path()));
        let mut changed: Vec<String> =
            fb.iter().filter(|(p, b)| fa.get(*p) != Some(*b)).map(|(p, _)| p.clone()).collect();
        changed.extend(fa.keys().filter(|p| !fb.contains_key(*p)).cloned());
        let model = |files: &BTreeMap<String, (Vec<u8>, bool)>| {
            let mut m = parse_module(files.iter().map(|(p, (b, _))| (p.as_str(), b.as_slice())))?;
            m.executable = files.iter().map(|(p, (_, x))| (p.clone(), *x)).collect();
            Ok::<_, agb::factory::bump::BumpError>(m)
        };
        let parsed = model(&fa).and_then(|a| model(&fb).map(|b| (a, b)));
        let want = maintainer_bump(va, vb);
        match parsed {
            Ok((ma, mb)) => {
                let s = suggest_with(&ma, &mb, &changed, &policy);
                total += 1;
                *confusion.entry((want, s.bump)).or_default() += 1;
                let ok = s.bump == want;
                matched += usize::from(ok);
                // The tagged tree changes something agb models (not only "files changed").
                if s.reasons.iter().any(|r| !matches!(r.rule, "files_changed" | "file_mode_changed")) {
                    interface.0 += usize::from(ok);
                    interface.1 += 1;
                }
                let first = s.reasons.first().map(|r| r.text.as_str()).unwrap_or("");
                if want == Bump::Major && s.bump < want {
                    under.push(format!("{ta} -> {tb}: {} | {first}", s.bump));
                }
                println!(
                    "{ta} -> {tb}: maintainers {want}, agb {} {} | {first}",
                    s.bump,
                    if ok { "OK" } else { "MISS" }
                );
            }
            Err(e) => {
                errors += 1;
                println!("{ta} -> {tb}: parse error {e}");
            }
        }
    }
    println!("\nmatched {matched}/{total} ({errors} pairs not parsed)");
    println!("interface changed: matched {}/{}", interface.0, interface.1);
    println!("maintainers -> agb: count");
    for ((want, got), n) in &confusion {
        println!("  {want} -> {got}: {n}");
    }
    println!("majors called lower: {}", under.len());
    for u in &under {
        println!("  {u}");
    }
    assert!(total > 0 && matched * 2 >= total, "agb matched fewer than half of the releases");
}

/// A module of `n` `.tf` files (variables with `any` types read through try/lookup/for_each/
/// dynamic, resources, outputs); `edited` changes every tenth file (a new key read, a new default).
fn generated_module(n: usize, edited: bool) -> Vec<agb::factory::local_module::FileContent> {
    (0..n)
        .map(|i| {
            let extra = if edited && i % 10 == 0 { format!("\n    extra = try(each.value.extra{i}, null)") } else { String::new() };
            let default = if edited && i % 10 == 5 { "2" } else { "1" };
            let text = format!(
                "variable \"cfg{i}\" {{\n  type    = any\n  default = {{}}\n}}\n\nvariable \"n{i}\" {{\n  type    = number\n  default = {default}\n}}\n\n\
                 resource \"aws_thing\" \"t{i}\" {{\n  for_each = var.cfg{i}\n  name     = each.key\n  size     = lookup(each.value, \"size\", var.n{i})\n  tags     = try(each.value.tags, {{}}){extra}\n\n  \
                 dynamic \"rule\" {{\n    for_each = try(each.value.rules, [])\n    content {{\n      port = rule.value.port\n      cidr = try(rule.value.cidr, \"0.0.0.0/0\")\n    }}\n  }}\n}}\n\n\
                 output \"t{i}\" {{\n  value = {{ for k, v in aws_thing.t{i} : k => v.id }}\n}}\n"
            );
            agb::factory::local_module::FileContent {
                path: format!("f{i:03}.tf"),
                bytes: text.into_bytes(),
                symlink: false,
                executable: false,
            }
        })
        .collect()
}

/// Speed of `compare` on two versions of a 100-file module (benchmark, not a test; the
/// budget is 50 ms). `benches/compare_bench.sh` runs it in release mode.
#[test]
#[ignore = "benchmark: run with --ignored --nocapture (benches/compare_bench.sh)"]
fn compare_speed_on_a_100_file_module() {
    use agb::factory::compare::{blob_id, compare, PublishedFile};
    let kind = gix::hash::Kind::Sha1;
    let (old, new) = (generated_module(100, false), generated_module(100, true));
    let blobs: BTreeMap<gix::ObjectId, Vec<u8>> =
        old.iter().map(|f| (blob_id(kind, &f.path, &f.bytes).unwrap(), f.bytes.clone())).collect();
    let published: Vec<PublishedFile> = old
        .iter()
        .map(|f| PublishedFile {
            path: f.path.clone(),
            oid: blob_id(kind, &f.path, &f.bytes).unwrap(),
            symlink: false,
            executable: false,
        })
        .collect();
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..21 {
        let start = std::time::Instant::now();
        let c = compare(
            &new,
            Some(&published),
            kind,
            |oid| Ok::<_, agb::factory::compare::CompareError>(blobs[&oid].clone()),
            false,
        )
        .unwrap();
        times.push(start.elapsed());
        last = Some(c);
    }
    times.sort();
    let c = last.unwrap();
    println!(
        "compare, 100 .tf files ({} differ): median {:.2} ms, min {:.2} ms; bump {} ({} reasons)",
        c.differences.len(),
        times[times.len() / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        c.suggestion.bump,
        c.suggestion.reasons.len()
    );
    assert_eq!(c.suggestion.bump, Bump::Minor);
}
