//! `agb factory compare`: compare a local module with a published version and suggest a semver
//! bump — what to publish next, and why.

use serde_json::json;

use crate::cli::factory::{
    parse_asked, partial_suggestions, print_partial, print_warnings, Asked, FactoryArgs,
};
use crate::cli::output::{outln, print_json};
use crate::cli::Global;
use crate::error::Exit;
use crate::factory::compare;

/// Compare a local module with a published version and suggest a semver bump.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The local module directory.
    #[arg(value_name = "LOCAL_DIR")]
    pub local_dir: std::path::PathBuf,
    /// The published module (default: from the local MODULE_METADATA.yaml; version: latest);
    /// a bare name (`vpc`) exits 5 with the modules it may mean.
    #[arg(value_name = "MODULE[@VERSION]", add = crate::cli::completions::module_completer())]
    pub module: Option<String>,
    /// Print unified diffs (factory → local) of the files that differ.
    #[arg(long)]
    pub diff: bool,
    /// Show every rule that fired at its place in the .tf files, and its policy entry.
    #[arg(long)]
    pub explain: bool,
    /// Compare with another local directory (e.g. a checkout of the last release) instead of
    /// the factory; no factory is read.
    #[arg(long, value_name = "BASE_DIR", conflicts_with = "module")]
    pub against: Option<std::path::PathBuf>,
    /// The bump policy to apply with --against (a .agb/bump-policy.yaml; default: the built-in levels).
    #[arg(long, value_name = "FILE", requires = "against")]
    pub policy: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub factory: FactoryArgs,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let dir = global.cwd.join(&args.local_dir);
    let asked = args.module.as_deref().map(parse_asked).transpose()?;
    // Before touching the network: a wrong directory is the user's to fix first.
    if !dir.is_dir() {
        return Err(compare::CompareError::NotADirectory { path: dir }.into());
    }
    if let Some(base) = &args.against {
        return run_against(&args, base, &dir, global);
    }
    let mut f = args.factory.open(global)?;
    let spec = match asked {
        None => None,
        Some(Asked::Spec(spec)) => Some(spec),
        // As `show` and `check` do: a bare name is answered with the modules it may mean,
        // never resolved (a name alone may mean another provider's module tomorrow).
        Some(Asked::Partial { module, version }) => {
            let suggestions = partial_suggestions(&f, &module, version.as_deref())?;
            print_warnings(&mut f, global);
            let typed = args.module.as_deref().unwrap_or_default();
            return Ok(print_partial(typed, &module, &suggestions, args.factory.json));
        }
    };
    let report = compare::compare_with_factory(
        &f,
        &dir,
        &args.local_dir.display().to_string(),
        spec.as_ref(),
        args.diff,
    )?;
    print_warnings(&mut f, global);
    show(&report, &args, global);
    Ok(Exit::Ok)
}

/// `--against BASE_DIR`: two local directories, under `--policy FILE` or the default levels.
fn run_against(
    args: &Args,
    base: &std::path::Path,
    dir: &std::path::Path,
    global: &Global,
) -> miette::Result<Exit> {
    let base_dir = global.cwd.join(base);
    if !base_dir.is_dir() {
        return Err(compare::CompareError::NotADirectory { path: base_dir }.into());
    }
    let policy = match &args.policy {
        None => crate::factory::bump::Policy::default(),
        Some(p) => {
            let text = crate::factory::local_module::read_text(&global.cwd.join(p))?;
            crate::factory::bump::Policy::parse(&text, &p.display().to_string())
                .map_err(compare::CompareError::Policy)?
        }
    };
    let report = compare::compare_dirs(
        dir,
        &args.local_dir.display().to_string(),
        &base_dir,
        &base.display().to_string(),
        &policy,
        args.diff,
    )?;
    show(&report, args, global);
    Ok(Exit::Ok)
}

/// The report as `--json`, or for a person (with `--explain`).
fn show(report: &compare::Report, args: &Args, global: &Global) {
    if args.factory.json {
        print_json(&json!({ "schema": 1, "comparison": comparison_json(report) }));
    } else {
        print_report(report, args.diff, global);
        if args.explain {
            explain(&report.comparison.suggestion);
        }
    }
}

/// The `comparison` object of the `--json` document (schema 1, SPEC §2.4).
fn comparison_json(report: &compare::Report) -> serde_json::Value {
    let comparison = &report.comparison;
    let reasons: Vec<&str> = comparison.suggestion.reasons.iter().map(|r| r.text.as_str()).collect();
    let findings: Vec<serde_json::Value> = comparison
        .suggestion
        .reasons
        .iter()
        .map(|r| {
            json!({
                "rule": r.rule,
                "level": r.bump.as_str(),
                "file": r.loc.as_ref().map(|l| l.file.as_str()),
                "line": r.loc.as_ref().map(|l| l.line),
                "message": r.text,
            })
        })
        .collect();
    let differences: Vec<serde_json::Value> = comparison
        .differences
        .iter()
        .map(|d| {
            let mut v = json!({
                "file": d.file,
                "type": d.kind.as_str(),
                "additions": d.additions,
                "deletions": d.deletions,
            });
            if d.binary {
                v["binary"] = json!(true);
            }
            if let Some(exec) = d.exec_changed {
                v["executable"] = json!(exec);
            }
            if let Some(diff) = &d.diff {
                v["diff"] = json!(diff);
            }
            v
        })
        .collect();
    let mut comparison_json = json!({
        "module": report.module,
        "status": comparison.status.as_str(),
        "local_version": report.local_version,
        "factory_version": report.factory_version.as_ref().map(ToString::to_string),
        "latest_version": report.latest.as_ref().map(ToString::to_string),
        "suggested_bump": comparison.suggestion.bump.as_str(),
        "suggested_version": report.suggested_version.as_ref().map(ToString::to_string),
        "reasons": reasons,
        "findings": findings,
        "decided_by": comparison.suggestion.decided_by.as_ref().map(|d| json!({
            "rule": d.class, "level": d.bump.as_str(), "source": d.source,
        })),
        "differences": differences,
    });
    if !report.closest_modules.is_empty() {
        comparison_json["suggestions"] = json!(report.closest_modules);
    }
    comparison_json
}

/// The comparison, for a person (and the diffs with `--diff`).
fn print_report(report: &compare::Report, diff: bool, global: &Global) {
    let compare::Report {
        module,
        local_version,
        factory_version,
        latest,
        comparison,
        suggested_version,
        closest_modules,
        policy_origin: _,
        against,
    } = report;
    let bump = comparison.suggestion.bump;
    let reasons: Vec<&str> = comparison.suggestion.reasons.iter().map(|r| r.text.as_str()).collect();
    let local_v = local_version.as_deref().unwrap_or("no version");
    match (&factory_version, &latest) {
        _ if against.is_some() => {
            let base = against.as_deref().unwrap_or_default();
            let base_v = factory_version.as_ref().map_or("no version".to_string(), ToString::to_string);
            outln(format_args!("{module}: local {local_v} vs {base} {base_v}"));
        }
        (Some(fv), Some(l)) => {
            let latest_note = if fv == l { " (latest)".to_string() } else { format!(" (latest is {l})") };
            outln(format_args!("{module}: local {local_v} vs factory {fv}{latest_note}"));
        }
        _ => {
            outln(format_args!("{module}: local {local_v}; not in the factory yet"));
            if let Some(best) = closest_modules.first() {
                global.warn(format_args!("{module} is not in the factory: did you mean {best}?"));
            }
        }
    }
    outln(format_args!("status: {}", comparison.status.as_str()));
    let width = comparison.differences.iter().map(|d| d.file.chars().count()).max().unwrap_or(0);
    for d in &comparison.differences {
        let mark = match d.kind {
            compare::ChangeKind::Added => "A",
            compare::ChangeKind::Modified => "M",
            compare::ChangeKind::Deleted => "D",
        };
        let mut counts =
            if d.binary { "binary".to_string() } else { format!("+{} -{}", d.additions, d.deletions) };
        match d.exec_changed {
            Some(true) => counts.push_str("  mode 100644 → 100755"),
            Some(false) => counts.push_str("  mode 100755 → 100644"),
            None => {}
        }
        outln(format_args!("  {mark} {:<width$}  {counts}", d.file));
    }
    match &suggested_version {
        Some(v) => outln(format_args!("suggested bump: {bump} -> {v}")),
        None => outln(format_args!("suggested bump: {bump}")),
    }
    for r in &reasons {
        outln(format_args!("  - {r}"));
    }
    if let Some(d) = &comparison.suggestion.decided_by {
        outln(format_args!("decided by policy entry {d}"));
    }
    if diff {
        for d in comparison.differences.iter().filter_map(|d| d.diff.as_ref()) {
            outln(d.trim_end_matches('\n'));
        }
    }
}

/// One finding shown at its place (miette renders the `.tf` source around the span).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{level} ({rule}): {message}")]
struct Explained {
    level: &'static str,
    rule: &'static str,
    message: String,
    #[source_code]
    src: miette::NamedSource<String>,
    #[label("{side}")]
    span: miette::SourceSpan,
    side: &'static str,
}

/// `--explain`: every rule that fired, with `file:line` and the source around it. Plain
/// rendering (no colour): the text is meant to be read and pasted into a review.
fn explain(s: &crate::factory::bump::Suggestion) {
    let handler = miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
    outln("");
    outln(format_args!("rules that fired ({}):", s.reasons.len()));
    for r in &s.reasons {
        let text = r.loc.as_ref().and_then(|l| {
            s.sources.iter().find(|(old, f, _)| *old == r.in_old && *f == l.file).map(|(_, _, t)| (l, t))
        });
        let Some((loc, text)) = text else {
            outln(format_args!("{} ({}): {}", r.bump, r.rule, r.text));
            continue;
        };
        let diag = Explained {
            level: r.bump.as_str(),
            rule: r.rule,
            message: r.text.clone(),
            src: miette::NamedSource::new(&loc.file, text.to_string()),
            span: (loc.offset, loc.len.min(text.len().saturating_sub(loc.offset))).into(),
            side: if r.in_old { "was here (published version)" } else { "here (local)" },
        };
        let mut out = String::new();
        if handler.render_report(&mut out, &diag).is_err() {
            out = format!("{}:{}: {} ({}): {}", loc.file, loc.line, r.bump, r.rule, r.text);
        }
        outln(out.trim_end());
    }
}
