//! `agb factory catalog`: list the factory's modules (the tree is the truth; descriptions come
//! from catalog.json).

use crate::cli::factory::{print_warnings, FactoryArgs};
use crate::cli::output::{outln, print_json_text};
use crate::cli::Global;
use crate::error::Exit;
use crate::factory::cache::index::{ListedModule, Listing};
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
    let listing = match f.listing() {
        Ok(listing) => listing,
        Err(e @ (CacheError::NoCatalog { .. } | CacheError::Catalog(_))) => {
            global.warn(format_args!(
                "{e}; listing the tree without descriptions (`agb factory lint` explains)"
            ));
            Listing::build(&Catalog::default(), &f.module_index()?, 0)
        }
        Err(e) => return Err(e.into()),
    };
    print_warnings(&mut f, global);
    if listing.mismatches > 0 {
        global.warn(format_args!(
            "catalog.json disagrees with the tree in {} place(s) (listing the tree); run `agb factory lint`",
            listing.mismatches
        ));
    }
    let patterns = if args.patterns { Some(f.patterns()?) } else { None };
    let modules: Vec<&ListedModule> = listing
        .modules
        .iter()
        .filter(|m| !m.versions.is_empty() && matcher.as_ref().is_none_or(|g| g.is_match(&m.path)))
        .collect();
    // A pattern that matches nothing is a lookup that failed, as in `check`: the closest module
    // paths and exit 5 (a typo such as `vcp` must not read as "the factory has no such thing").
    let suggestions: Vec<String> = match &args.pattern {
        Some(p) if modules.is_empty() => {
            let bare = p.trim_matches(|c| matches!(c, '*' | '?' | '/'));
            crate::factory::suggest::closest_paths(bare, listing.modules.iter().map(|m| m.path.as_str()), 3)
        }
        _ => Vec::new(),
    };
    let exit = if args.pattern.is_some() && modules.is_empty() { Exit::NotFound } else { Exit::Ok };
    if args.factory.json {
        let doc = CatalogJson {
            schema: crate::cli::output::JSON_SCHEMA,
            version: listing.version.as_deref(),
            last_updated: listing.last_updated.as_deref(),
            modules: ModulesJson(&modules),
            suggestions: &suggestions,
            patterns: patterns.as_deref(),
        };
        print_json_text(&doc);
    } else {
        // one write for the whole table, not one per module (stdout is line-buffered)
        let width = modules.iter().map(|m| m.path.len()).max().unwrap_or(0);
        let mut table = String::new();
        for m in &modules {
            let latest = m.versions.last().map(String::as_str).unwrap_or_default();
            let desc = m.description.as_deref().unwrap_or("");
            let plural = if m.versions.len() == 1 { " " } else { "s" };
            let line =
                format!("{:<width$}  {:<8}  {:>2} version{plural}  {desc}", m.path, latest, m.versions.len());
            table.push_str(&line);
            table.push('\n');
        }
        if let Some(rows) = table.strip_suffix('\n') {
            outln(rows);
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

/// `catalog --json`, serialized straight from the listing: building a `serde_json::Value` of
/// 10,000 modules first cost more than everything else the command does.
#[derive(serde::Serialize)]
struct CatalogJson<'a> {
    schema: u32,
    version: Option<&'a str>,
    last_updated: Option<&'a str>,
    modules: ModulesJson<'a>,
    suggestions: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    patterns: Option<&'a [String]>,
}

/// The modules as an object keyed by path, in the listing's order.
struct ModulesJson<'a>(&'a [&'a ListedModule]);

impl serde::Serialize for ModulesJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        struct Entry<'a> {
            latest: Option<&'a String>,
            versions: &'a [String],
            description: Option<&'a str>,
        }
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for m in self.0 {
            let entry = Entry {
                latest: m.versions.last(),
                versions: &m.versions,
                description: m.description.as_deref(),
            };
            map.serialize_entry(&m.path, &entry)?;
        }
        map.end()
    }
}
