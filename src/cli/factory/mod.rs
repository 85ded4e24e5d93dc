//! `agb factory …`: read the team's Terraform module factory through a cached bare clone.

use serde_json::json;

use crate::cli::output::{outln, print_json};
use crate::cli::Global;
use crate::error::Exit;
use crate::factory::{self, CacheOptions, Factory, FactoryConfig, FetchMode, Resolution};

pub mod catalog;
pub mod check;
pub mod compare;
pub mod fetch;
pub mod import;
pub mod lint;
pub mod show;
pub mod validate;

/// Options shared by every command that reads the factory.
#[derive(Debug, Clone, clap::Args)]
pub struct FactoryArgs {
    /// The factory: an https or ssh URL, a file:// URL or a path
    /// (default: AGB_FACTORY, then `factory:` in agb.yaml, then the user config).
    #[arg(long, value_name = "URL|PATH", env = "AGB_FACTORY")]
    pub factory: Option<String>,
    /// Fetch now, whatever the cache's age.
    #[arg(long, alias = "no-cache")]
    pub refresh: bool,
    /// Never touch the network; answer from the cache.
    #[arg(long, env = "AGB_OFFLINE", value_parser = clap::builder::FalseyValueParser::new())]
    pub offline: bool,
    /// Print the result as JSON (schema 1).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Clone or update the cache now.
    Fetch(fetch::Args),
    /// List modules: path, latest version, number of versions, description.
    Catalog(catalog::Args),
    /// Does a module (and version) exist? Exit 5 with the closest matches when not.
    Check(check::Args),
    /// A module version's MODULE_METADATA.yaml and file list.
    Show(show::Args),
    /// Compare a local module with a published version and suggest a semver bump.
    Compare(compare::Args),
    /// Write a module version's files into DEST.
    Import(import::Args),
    /// Check module references in .tf files against the catalog (exit 5 when some do not exist).
    Validate(validate::Args),
    /// Check catalog.json against the tree, and the metadata schema.
    Lint(lint::Args),
}

pub fn run(command: Command, global: &Global) -> miette::Result<Exit> {
    match command {
        Command::Fetch(args) => fetch::run(args, global),
        Command::Catalog(args) => catalog::run(args, global),
        Command::Check(args) => check::run(args, global),
        Command::Show(args) => show::run(args, global),
        Command::Compare(args) => compare::run(args, global),
        Command::Import(args) => import::run(args, global),
        Command::Validate(args) => validate::run(args, global),
        Command::Lint(args) => lint::run(args, global),
    }
}

impl FactoryArgs {
    /// The network policy these flags ask for.
    pub fn fetch_mode(&self) -> FetchMode {
        if self.offline {
            FetchMode::Offline
        } else if self.refresh {
            FetchMode::Refresh
        } else {
            FetchMode::Auto
        }
    }

    /// Resolve which factory to read (flag/env > agb.yaml > user config).
    pub fn resolve_config(&self, global: &Global) -> miette::Result<FactoryConfig> {
        let project = global.config_path();
        let user = factory::config::user_config_path();
        Ok(factory::config::resolve(self.factory.as_deref(), &global.cwd, Some(&project), user.as_deref())?)
    }

    /// Resolve the config and open the cache (cloning/fetching as needed), printing the cache's
    /// warnings on stderr.
    pub fn open(&self, global: &Global) -> miette::Result<Factory> {
        self.open_with(global, self.fetch_mode())
    }

    pub fn open_with(&self, global: &Global, mode: FetchMode) -> miette::Result<Factory> {
        let config = self.resolve_config(global)?;
        let opts = CacheOptions::from_env(mode, !global.quiet && !self.json)?;
        let mut f = Factory::open(&config, &opts)?;
        print_warnings(&mut f, global);
        if global.verbose > 0 {
            let age = f.age().map(factory::cache::human_age).unwrap_or_else(|| "never".to_string());
            global.note(format_args!(
                "factory {} ({}) at {}: {}, cache {} updated {age}",
                f.remote_url(),
                f.config().branch,
                f.commit().to_hex_with_len(12),
                match f.event() {
                    factory::cache::CacheEvent::Used => "used from the cache",
                    factory::cache::CacheEvent::Cloned => "cloned",
                    factory::cache::CacheEvent::Recloned => "re-cloned (the cache was damaged)",
                    factory::cache::CacheEvent::Fetched { changed: true } => "updated",
                    factory::cache::CacheEvent::Fetched { changed: false } => "fetched, already up to date",
                    factory::cache::CacheEvent::Stale => "used from the cache (the fetch failed)",
                },
                f.git_dir().display()
            ));
        }
        Ok(f)
    }
}

/// Print (and clear) the warnings the factory collected.
pub fn print_warnings(f: &mut Factory, global: &Global) {
    for w in f.take_warnings() {
        global.warn(w);
    }
}

/// For `show` and `import`: say that `asked` (the command's MODULE[@VERSION]) does not exist,
/// with the closest matches, and answer exit 5. `check` prints more (the versions) on its own.
pub fn print_not_found(asked: &str, resolution: &Resolution, json: bool) -> Exit {
    let (message, suggestions) = match resolution {
        Resolution::Found { .. } => unreachable!("print_not_found is called for a missing module"),
        Resolution::NoSuchVersion { module, wanted, closest, .. } => (
            format!("{module}@{wanted} does not exist"),
            closest.iter().map(|v| format!("{module}@{v}")).collect::<Vec<_>>(),
        ),
        Resolution::NoSuchModule { module, closest } => {
            (format!("{module}: no such module in the factory"), closest.clone())
        }
    };
    if json {
        print_json(&json!({ "schema": 1, "module": asked, "exists": false, "suggestions": suggestions }));
    } else {
        outln(message);
        if !suggestions.is_empty() {
            outln(format_args!("did you mean: {}", suggestions.join(", ")));
        }
    }
    Exit::NotFound
}

/// Parse `MODULE[@VERSION]` from the command line (a usage error, exit 2, when invalid).
pub fn parse_spec(s: &str) -> miette::Result<factory::ModuleSpec> {
    Ok(factory::ModuleSpec::parse(s)?)
}

/// `MODULE[@VERSION]` as `check`, `show` and `import` take it: a full spec, or the end of a
/// module path (`vpc`, `networking/vpc`) that is answered with the modules it may mean.
pub enum Asked {
    Spec(factory::ModuleSpec),
    /// `module`: the partial path; `version`: `@…` as typed, carried into the suggestions.
    Partial {
        module: String,
        version: Option<String>,
    },
}

/// Parse what the user typed; anything neither a spec nor a partial path is a usage error.
pub fn parse_asked(s: &str) -> miette::Result<Asked> {
    match factory::ModuleSpec::parse(s) {
        Ok(spec) => Ok(Asked::Spec(spec)),
        Err(e) => {
            let (module, version) = match s.split_once('@') {
                Some((m, v)) => (m, Some(v.to_string())),
                None => (s, None),
            };
            let module = module.trim_matches('/');
            if factory::module::is_partial_path(module) {
                Ok(Asked::Partial { module: module.to_string(), version })
            } else {
                Err(e.into())
            }
        }
    }
}

/// The modules a partial path may mean, as `MODULE[@VERSION]` suggestions (never resolved to
/// one: a name alone may mean another provider's module tomorrow).
pub fn partial_suggestions(f: &Factory, module: &str, version: Option<&str>) -> miette::Result<Vec<String>> {
    let index = f.module_index()?;
    let found = factory::suggest::modules_ending_with(module, index.modules.keys().map(|m| m.as_str()));
    Ok(found.into_iter().map(|m| version.map_or_else(|| m.clone(), |v| format!("{m}@{v}"))).collect())
}

/// The text answer to a partial path (for every command; `--json` answers are per command).
pub fn print_partial_text(module: &str, suggestions: &[String]) {
    outln(format_args!("{module}: not a module path (<provider>/<category>/<name>)"));
    if suggestions.is_empty() {
        outln("no similar module; `agb factory catalog` lists them all");
    } else {
        outln(format_args!("did you mean: {}", suggestions.join(", ")));
    }
}

/// For `show` and `import`: answer a partial path with the modules it may mean, exit 5.
pub fn print_partial(asked: &str, module: &str, suggestions: &[String], json: bool) -> Exit {
    if json {
        print_json(&json!({ "schema": 1, "module": asked, "exists": false, "suggestions": suggestions }));
    } else {
        print_partial_text(module, suggestions);
    }
    Exit::NotFound
}
