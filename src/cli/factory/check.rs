//! `agb factory check`: does a module (and version) exist? The answer an agent relies on before
//! writing a `module` block, so a miss names the closest real modules or versions.

use serde_json::json;

use crate::cli::factory::{parse_spec, print_warnings, FactoryArgs};
use crate::cli::output::{outln, print_json};
use crate::cli::Global;
use crate::error::Exit;
use crate::factory::Resolution;

/// Does a module (and version) exist? Exit 5 with the closest matches when not.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The module as `provider/category/name`, optionally `@version` (default: the latest).
    #[arg(value_name = "MODULE[@VERSION]")]
    pub module: String,
    #[command(flatten)]
    pub factory: FactoryArgs,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let spec = parse_spec(&args.module)?;
    let mut f = args.factory.open(global)?;
    let resolution = f.resolve(&spec)?;
    if let Resolution::Found { module, .. } = &resolution {
        f.check_catalog_for(module);
    }
    print_warnings(&mut f, global);
    let commit = f.commit().to_string();
    match resolution {
        Resolution::Found { module, version, latest, versions } => {
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
                let latest_note = if version == latest {
                    " (latest)".to_string()
                } else {
                    format!(" (latest is {latest})")
                };
                outln(format_args!("{module}@{version} exists{latest_note}"));
                outln(format_args!("versions: {}", join(&versions)));
                outln(format_args!("commit:   {commit}"));
                outln(format_args!("metadata: {metadata_path}"));
                if let Some(url) = url {
                    outln(format_args!("url:      {url}"));
                }
            }
            Ok(Exit::Ok)
        }
        Resolution::NoSuchVersion { module, wanted, versions, closest } => {
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
                outln(format_args!(
                    "{module}@{wanted} does not exist; {module} has versions {}",
                    join(&versions)
                ));
                outln(format_args!("did you mean: {}", suggestions.join(", ")));
            }
            Ok(Exit::NotFound)
        }
        Resolution::NoSuchModule { module, closest } => {
            if args.factory.json {
                print_json(&json!({
                    "schema": 1,
                    "module": module.as_str(),
                    "exists": false,
                    "version": spec.version.as_ref().map(ToString::to_string),
                    "latest": null,
                    "versions": [],
                    "commit": commit,
                    "metadata_path": null,
                    "url": null,
                    "suggestions": closest,
                }));
            } else {
                outln(format_args!("{module}: no such module in the factory"));
                if closest.is_empty() {
                    outln("no similar module; `agb factory catalog` lists them all");
                } else {
                    outln(format_args!("did you mean: {}", closest.join(", ")));
                }
            }
            Ok(Exit::NotFound)
        }
    }
}

fn join(versions: &[semver::Version]) -> String {
    versions.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}
