//! Test support for `agb publish`: a local module to publish, a `git` wrapper that logs every
//! argument list (to prove no secret reaches a command line) and can act once on a given git
//! subcommand (to simulate a colleague pushing mid-publish), and readers for the remote.
//!
//! Used next to `support::factory` (the isolated environment, bare repos, HTTP server).

use std::path::{Path, PathBuf};
use std::process::Command;

use super::isolate_tool;

/// The real git, found on PATH once, before any wrapper is put in front of it.
pub fn real_git() -> PathBuf {
    let out = isolate_tool(&mut Command::new("sh")).args(["-c", "command -v git"]).output().expect("sh runs");
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

/// Write a local module directory: Terraform files, an executable script, metadata, and
/// files that must never be published.
pub fn local_module(parent: &Path, name: &str) -> PathBuf {
    let m = parent.join(name);
    let files: &[(&str, &str)] = &[
        ("main.tf", "resource \"aws_nat_gateway\" \"this\" {\n  subnet_id = var.subnet_id\n}\n"),
        (
            "variables.tf",
            "variable \"subnet_id\" {\n  type = string\n}\n\nvariable \"tags\" {\n  type    = map(string)\n  default = {}\n}\n",
        ),
        ("outputs.tf", "output \"id\" {\n  value = aws_nat_gateway.this.id\n}\n"),
        ("versions.tf", "terraform {\n  required_version = \">= 1.5\"\n}\n"),
        ("README.md", "# NAT gateway\n"),
        ("scripts/check.sh", "#!/bin/sh\nterraform validate\n"),
        (
            "MODULE_METADATA.yaml",
            "# Owned by the network team\nschema_version: \"2.0\"\nmodule:\n  name: nat-gateway\n  version: 0.0.0 # set by agb publish\n  provider: aws\n  category: networking\n  description: NAT gateway per AZ\ntags: [network, nat]\n",
        ),
        (".gitignore", "*.zip\n"),
        ("lambda.zip", "binary"),
        (".terraform/providers/registry", "x"),
        (".terraform.lock.hcl", "# lock\n"),
        ("terraform.tfstate", "{\"secret\": 1}"),
        ("terraform.tfstate.backup", "{}"),
        ("prod.tfvars", "password = \"hunter2\"\n"),
        (".git/HEAD", "ref: refs/heads/main\n"),
    ];
    for (rel, text) in files {
        let p = m.join(rel);
        std::fs::create_dir_all(p.parent().expect("has parent")).expect("mkdir");
        std::fs::write(&p, text).expect("write");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(m.join("scripts/check.sh"), std::fs::Permissions::from_mode(0o755))
            .expect("chmod");
    }
    m
}

/// The files of the module above that must be in the published version folder.
pub const PUBLISHED: [&str; 10] = [
    ".gitignore",
    ".terraform.lock.hcl",
    "CHANGELOG.md",
    "MODULE_METADATA.yaml",
    "README.md",
    "main.tf",
    "outputs.tf",
    "scripts/check.sh",
    "variables.tf",
    "versions.tf",
];

/// A directory holding a `git` wrapper script: it appends its argument list (one line, words
/// separated by spaces) to `log`, runs `on_first` once before the first call whose arguments
/// contain `trigger`, then runs the real git. Put the directory first on PATH.
pub fn git_wrapper(dir: &Path, log: &Path, trigger: Option<(&str, &str)>) -> PathBuf {
    let bin = dir.join("wrapper-bin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    let real = real_git();
    let marker = dir.join("wrapper-fired");
    let hook = match trigger {
        Some((word, script)) => format!(
            "case \" $* \" in *\" {word} \"*) if [ ! -e '{marker}' ]; then : > '{marker}'; {script}; fi;; esac\n",
            marker = marker.display()
        ),
        None => String::new(),
    };
    let script = format!(
        "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{log}'\n{hook}exec '{real}' \"$@\"\n",
        log = log.display(),
        real = real.display()
    );
    let path = bin.join("git");
    std::fs::write(&path, script).expect("write wrapper");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    bin
}

/// PATH with `dir` first.
pub fn path_with(dir: &Path) -> String {
    format!("{}:{}", dir.display(), std::env::var("PATH").unwrap_or_default())
}

/// Run real git in `dir` (no identity needed for reads).
pub fn git_out(dir: &Path, args: &[&str]) -> (bool, String) {
    let out =
        isolate_tool(&mut Command::new(real_git())).args(args).current_dir(dir).output().expect("git runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

/// All refs of a bare repository (`<oid> <name>` lines), to show a failure left it untouched.
pub fn refs(bare: &Path) -> String {
    git_out(bare, &["for-each-ref", "--format=%(objectname) %(refname)"]).1
}

/// `(mode, path)` of every file under `prefix` on `rev`, relative to `prefix`, sorted.
pub fn files_at(bare: &Path, rev: &str, prefix: &str) -> Vec<(String, String)> {
    let (ok, out) = git_out(bare, &["ls-tree", "-r", rev, "--", prefix]);
    assert!(ok, "{out}");
    let mut v: Vec<(String, String)> = out
        .lines()
        .map(|l| {
            let (meta, path) = l.split_once('\t').expect("ls-tree line");
            let mode = meta.split(' ').next().expect("mode").to_string();
            (mode, path.strip_prefix(&format!("{prefix}/")).unwrap_or(path).to_string())
        })
        .collect();
    v.sort_by(|a, b| a.1.cmp(&b.1));
    v
}

/// Removed and added lines of `git diff base..rev -- path` (without the +++/--- headers).
pub fn diff_lines(bare: &Path, base: &str, rev: &str, path: &str) -> (Vec<String>, Vec<String>) {
    let (ok, out) = git_out(bare, &["diff", "-U0", base, rev, "--", path]);
    assert!(ok, "{out}");
    let removed =
        out.lines().filter(|l| l.starts_with('-') && !l.starts_with("---")).map(str::to_string).collect();
    let added =
        out.lines().filter(|l| l.starts_with('+') && !l.starts_with("+++")).map(str::to_string).collect();
    (removed, added)
}
