//! `agb factory validate`: check module references in .tf files against the factory. The command
//! an agent's skill runs before it hands generated Terraform to a person: every reference to a
//! module or version that does not exist is a diagnostic at its place, with the closest real one.

use std::path::{Path, PathBuf};

use serde_json::json;

use crate::cli::factory::{print_warnings, FactoryArgs};
use crate::cli::output::{errln, outln, print_json};
use crate::cli::Global;
use crate::error::Exit;
use crate::factory::validate::{self, FactoryIdentity, MissingReference};

/// Check module references in .tf files against the catalog (exit 5 when some do not exist).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// .tf files or directories (searched recursively, .terraform/ and hidden directories skipped).
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub factory: FactoryArgs,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let paths: Vec<PathBuf> = args.paths.iter().map(|p| global.cwd.join(p)).collect();
    let files = validate::collect_tf_files(&paths)?;
    let mut f = args.factory.open(global)?;
    let config = f.config();
    let identity = FactoryIdentity::new(
        config.url.as_git_url(),
        config.repository.as_deref(),
        &config.modules_path,
        &config.patterns_path,
    );
    let scanned = validate::scan_paths(&files, &identity, |p| display_path(&global.cwd, p))?;
    let (refs, texts, unattributed) = (scanned.refs, scanned.texts, scanned.unattributed);
    warn_unattributed(&unattributed, f.config().url.as_git_url(), &f.config().modules_path, global);
    let index = f.module_index()?;
    print_warnings(&mut f, global);
    let modules = index.modules.iter().map(|(m, v)| (m.as_str().to_string(), v.clone())).collect();
    let patterns = f.patterns()?;
    let checked = validate::check(refs, &modules, &patterns);
    let missing = checked.iter().filter(|c| !c.exists).count();

    if args.factory.json {
        let references: Vec<serde_json::Value> = checked
            .iter()
            .map(|c| {
                let r = &c.reference;
                json!({
                    "file": r.file,
                    "line": r.line,
                    "column": r.column,
                    "module": r.module,
                    "version": r.version,
                    "exists": c.exists,
                    "suggestion": c.suggestion,
                    "source": r.source,
                })
            })
            .collect();
        let unattributed: Vec<serde_json::Value> = unattributed
            .iter()
            .map(|u| json!({ "file": u.file, "line": u.line, "source": u.source }))
            .collect();
        print_json(&json!({ "schema": 1, "references": references, "unattributed": unattributed }));
    } else {
        for c in checked.iter().filter(|c| !c.exists) {
            let text = texts.get(&c.reference.file).map(String::as_str).unwrap_or_default();
            if !global.quiet {
                errln(format_args!("{:?}", miette::Report::new(MissingReference::new(c, text))));
            }
        }
        for c in &checked {
            let r = &c.reference;
            let what = match (r.kind, &r.version) {
                // not a module: the path inside the factory says where it points
                (validate::RefKind::Elsewhere, _) => format!("//{} (not a module folder)", r.module),
                (_, Some(v)) => format!("{}@{v}", r.module),
                (_, None) => format!("{} (no version pinned)", r.module),
            };
            let mark = if c.exists { "ok     " } else { "MISSING" };
            let hint = c.suggestion.as_deref().map(|s| format!("  (did you mean {s}?)")).unwrap_or_default();
            outln(format_args!("{mark} {}:{}  {what}{hint}", r.file, r.line));
        }
        let n = checked.len();
        let refs_word = if n == 1 { "reference" } else { "references" };
        let files_word = if files.len() == 1 { "file" } else { "files" };
        if n == 0 {
            outln(format_args!("no factory module references in {} .tf {files_word}", files.len()));
        } else if missing == 0 {
            outln(format_args!("{n} factory {refs_word} in {} .tf {files_word}: all exist", files.len()));
        } else {
            outln(format_args!(
                "{n} factory {refs_word} in {} .tf {files_word}: {missing} do not exist",
                files.len()
            ));
        }
    }
    Ok(if missing > 0 { Exit::NotFound } else { Exit::Ok })
}

/// Say that references into another repository's `modules/` were not checked: with no
/// `repository:` configured agb cannot tell whether that repository is the factory, and passing
/// them silently would read as "all exist".
fn warn_unattributed(
    unattributed: &[validate::Unattributed],
    url: &str,
    modules_path: &str,
    global: &Global,
) {
    if unattributed.is_empty() {
        return;
    }
    let n = unattributed.len();
    let (refs_word, them) =
        if n == 1 { ("module source points", "it") } else { ("module sources point", "them") };
    let mut msg = format!(
        "{n} {refs_word} into `{modules_path}/` of a repository other than the factory's URL ({url}); \
         agb checked nothing for {them}. If that repository is the factory, set \
         `repository: owner/name` under `factory:` in agb.yaml"
    );
    for u in unattributed {
        msg.push_str(&format!("\n  {}:{}  {}", u.file, u.line, u.source));
    }
    global.warn(msg);
}

/// A path as the user would write it: relative to the working directory when it is inside.
fn display_path(cwd: &Path, path: &Path) -> String {
    crate::fsutil::rel_slash(cwd, path)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| path.display().to_string())
}
