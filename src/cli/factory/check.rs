//! `agb factory check`: does a module (and version) exist? The answer an agent relies on before
//! writing a `module` block, so a miss names the closest real modules or versions.

use serde_json::json;

use crate::cli::factory::{
    parse_asked, partial_suggestions, print_partial_text, print_warnings, Asked, FactoryArgs,
};
use crate::cli::output::{outln, print_json};
use crate::cli::Global;
use crate::error::Exit;
use semver::Version;

use crate::factory::{Factory, ModulePath, Resolution};

/// Does a module (and version) exist? Exit 5 with the closest matches when not.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The module as `provider/category/name`, optionally `@version` or `@latest` (the default);
    /// a bare name (`vpc`) exits 5 with the modules it may mean.
    #[arg(value_name = "MODULE[@VERSION]", add = crate::cli::completions::module_completer())]
    pub module: String,
    #[command(flatten)]
    pub factory: FactoryArgs,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let asked = parse_asked(&args.module)?;
    let mut f = args.factory.open(global)?;
    let spec = match asked {
        Asked::Spec(spec) => spec,
        Asked::Partial { module, version } => {
            let suggestions = partial_suggestions(&f, &module, version.as_deref())?;
            print_warnings(&mut f, global);
            let commit = f.commit().to_string();
            if args.factory.json {
                print_missing_json(&commit, &module, version.as_deref(), &suggestions);
            } else {
                print_partial_text(&module, &suggestions);
            }
            return Ok(Exit::NotFound);
        }
    };
    let resolution = f.resolve(&spec)?;
    if let Resolution::Found { module, .. } = &resolution {
        f.check_catalog_for(module);
    }
    print_warnings(&mut f, global);
    let commit = f.commit().to_string();
    match resolution {
        Resolution::Found { module, version, latest, versions } => {
            print_found(&f, &args, &commit, module, version, latest, versions);
            Ok(Exit::Ok)
        }
        Resolution::NoSuchVersion { module, wanted, versions, closest } => {
            print_no_such_version(&args, &commit, module, wanted, versions, closest);
            Ok(Exit::NotFound)
        }
        Resolution::NoSuchModule { module, closest } => {
            let version = spec.version.as_ref().map(ToString::to_string);
            print_no_such_module(&args, &commit, version.as_deref(), module, closest);
            Ok(Exit::NotFound)
        }
    }
}

fn print_found(
    f: &Factory,
    args: &Args,
    commit: &str,
    module: ModulePath,
    version: Version,
    latest: Version,
    versions: Vec<Version>,
) {
    let metadata_path = f.metadata_path(&module, &version);
    let url = f.browse_url(&module.version_dir_in(&f.config().modules_path, &version));
    if args.factory.json {
        print_json(&json!({
            "schema": 1,
            "module": module.as_str(),
            "exists": true,
            "version": version.to_string(),
            "latest": latest.to_string(),
            "versions": versions.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "commit": commit,
            "metadata_path": metadata_path,
            "url": url,
            "suggestions": [],
        }));
    } else {
        let latest_note =
            if version == latest { " (latest)".to_string() } else { format!(" (latest is {latest})") };
        outln(format_args!("{module}@{version} exists{latest_note}"));
        outln(format_args!("versions: {}", join(&versions)));
        outln(format_args!("commit:   {commit}"));
        outln(format_args!("metadata: {metadata_path}"));
        if let Some(url) = url {
            outln(format_args!("url:      {url}"));
        }
    }
}

fn print_no_such_version(
    args: &Args,
    commit: &str,
    module: ModulePath,
    wanted: Version,
    versions: Vec<Version>,
    closest: Vec<Version>,
) {
    let suggestions: Vec<String> = closest.iter().map(|v| format!("{module}@{v}")).collect();
    let latest = versions.last().map(ToString::to_string);
    if args.factory.json {
        print_json(&json!({
            "schema": 1,
            "module": module.as_str(),
            "exists": false,
            "version": wanted.to_string(),
            "latest": latest,
            "versions": versions.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "commit": commit,
            "metadata_path": null,
            "url": null,
            "suggestions": suggestions,
        }));
    } else {
        outln(format_args!("{module}@{wanted} does not exist; {module} has versions {}", join(&versions)));
        outln(format_args!("did you mean: {}", suggestions.join(", ")));
    }
}

/// The JSON answer for a module that does not exist (or a partial path that names none).
fn print_missing_json(commit: &str, module: &str, version: Option<&str>, suggestions: &[String]) {
    print_json(&json!({
        "schema": 1,
        "module": module,
        "exists": false,
        "version": version,
        "latest": null,
        "versions": [],
        "commit": commit,
        "metadata_path": null,
        "url": null,
        "suggestions": suggestions,
    }));
}

fn print_no_such_module(
    args: &Args,
    commit: &str,
    version: Option<&str>,
    module: ModulePath,
    closest: Vec<String>,
) {
    if args.factory.json {
        print_missing_json(commit, module.as_str(), version, &closest);
    } else {
        outln(format_args!("{module}: no such module in the factory"));
        if closest.is_empty() {
            outln("no similar module; `agb factory catalog` lists them all");
        } else {
            outln(format_args!("did you mean: {}", closest.join(", ")));
        }
    }
}

fn join(versions: &[Version]) -> String {
    versions.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}
