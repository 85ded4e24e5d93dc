//! `agb factory catalog`: list the factory's modules (the tree is the truth; descriptions come
//! from catalog.json).

use serde_json::json;

use crate::cli::factory::{print_warnings, FactoryArgs};
use crate::cli::output::{outln, print_json};
use crate::cli::Global;
use crate::error::Exit;
use crate::factory::{CacheError, Catalog};

/// List the factory's modules.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A glob on the module path (e.g. `aws/*`, `*/networking/*`); without glob characters, a
    /// substring of the path. Matching nothing exits 5 with the closest module paths.
    pub pattern: Option<String>,
    /// Also list patterns/.
    #[arg(long)]
    pub patterns: bool,
    #[command(flatten)]
    pub factory: FactoryArgs,
}

/// Errors of this command.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("invalid pattern {pattern:?}: {message}")]
#[diagnostic(
    code(agb::factory::usage::pattern),
    help("PATTERN is a glob on the module path, e.g. `aws/*` or `*/networking/*`")
)]
pub struct PatternError {
    pattern: String,
    message: String,
}

fn matcher(pattern: Option<&str>) -> miette::Result<Option<globset::GlobMatcher>> {
    let Some(p) = pattern else { return Ok(None) };
    let glob = if p.contains(['*', '?', '[', '{']) { p.to_string() } else { format!("*{p}*") };
    let m = globset::GlobBuilder::new(&glob)
        .literal_separator(false)
        .build()
        .map_err(|e| PatternError { pattern: p.to_string(), message: e.to_string() })?
        .compile_matcher();
    Ok(Some(m))
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let matcher = matcher(args.pattern.as_deref())?;
    let mut f = args.factory.open(global)?;
    // The tree is the truth: without a readable catalog.json the list still comes from the
    // tree, only the descriptions are missing.
    let (catalog, readable) = match f.catalog() {
        Ok(c) => (c, true),
        Err(e @ (CacheError::NoCatalog { .. } | CacheError::Catalog(_))) => {
            global.warn(format_args!(
                "{e}; listing the tree without descriptions (`agb factory lint` explains)"
            ));
            (Catalog::default(), false)
        }
        Err(e) => return Err(e.into()),
    };
    let index = f.module_index()?;
    let mismatches = if readable { crate::factory::catalog::compare(&catalog, &index) } else { Vec::new() };
    print_warnings(&mut f, global);
    if !mismatches.is_empty() {
        global.warn(format_args!(
            "catalog.json disagrees with the tree in {} place(s) (listing the tree); run `agb factory lint`",
            mismatches.len()
        ));
    }
    let patterns = if args.patterns { Some(f.patterns()?) } else { None };
    let modules: Vec<_> = index
        .modules
        .iter()
        .filter(|(m, versions)| {
            !versions.is_empty() && matcher.as_ref().is_none_or(|g| g.is_match(m.as_str()))
        })
        .collect();
    // A pattern that matches nothing is a lookup that failed, as in `check`: the closest module
    // paths and exit 5 (a typo such as `vcp` must not read as "the factory has no such thing").
    let suggestions: Vec<String> = match &args.pattern {
        Some(p) if modules.is_empty() => {
            let bare = p.trim_matches(|c| matches!(c, '*' | '?' | '/'));
            crate::factory::suggest::closest_paths(bare, index.modules.keys().map(|m| m.as_str()), 3)
        }
        _ => Vec::new(),
    };
    let exit = if args.pattern.is_some() && modules.is_empty() { Exit::NotFound } else { Exit::Ok };
    if args.factory.json {
        let mut map = serde_json::Map::new();
        for (m, versions) in &modules {
            map.insert(
                m.to_string(),
                json!({
                    "latest": versions.last().map(ToString::to_string),
                    "versions": versions.iter().map(ToString::to_string).collect::<Vec<_>>(),
                    "description": catalog.description(m),
                }),
            );
        }
        let mut out = json!({
            "schema": 1,
            "version": catalog.version,
            "last_updated": catalog.last_updated,
            "modules": map,
            "suggestions": suggestions,
        });
        if let Some(p) = patterns {
            out["patterns"] = json!(p);
        }
        print_json(&out);
    } else {
        let width = modules.iter().map(|(m, _)| m.as_str().len()).max().unwrap_or(0);
        for (m, versions) in &modules {
            let latest = versions.last().map(ToString::to_string).unwrap_or_default();
            let desc = catalog.description(m).unwrap_or("");
            outln(format_args!(
                "{:<width$}  {:<8}  {:>2} version{}  {desc}",
                m.as_str(),
                latest,
                versions.len(),
                if versions.len() == 1 { " " } else { "s" }
            ));
        }
        if let Some(p) = patterns {
            outln("");
            outln("patterns:");
            for name in p {
                outln(format_args!("  {name}"));
            }
        }
        if modules.is_empty() {
            global.note("no module matches");
            if !suggestions.is_empty() {
                outln(format_args!("did you mean: {}", suggestions.join(", ")));
            }
        }
    }
    Ok(exit)
}
