//! `agb factory show`: a module version's MODULE_METADATA.yaml and file list.

use serde_json::json;

use crate::cli::factory::{
    parse_asked, partial_suggestions, print_not_found, print_partial, print_warnings, Asked, FactoryArgs,
};
use crate::cli::output::{outln, print_json};
use crate::cli::Global;
use crate::error::Exit;
use crate::factory::Resolution;

/// A module version's MODULE_METADATA.yaml and file list.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The module as `provider/category/name`, optionally `@version` or `@latest` (the default);
    /// a bare name (`vpc`) exits 5 with the modules it may mean.
    #[arg(value_name = "MODULE[@VERSION]", add = crate::cli::completions::module_completer())]
    pub module: String,
    #[command(flatten)]
    pub factory: FactoryArgs,
}

/// The metadata file exists but is not YAML.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{path} in the factory is not valid YAML: {message}")]
#[diagnostic(
    code(agb::factory::metadata::invalid),
    help("fix the file in the factory repository (`agb factory lint` checks every version)")
)]
pub struct MetadataError {
    pub path: String,
    pub message: String,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let asked = parse_asked(&args.module)?;
    let mut f = args.factory.open(global)?;
    let spec = match asked {
        Asked::Spec(spec) => spec,
        Asked::Partial { module, version } => {
            let suggestions = partial_suggestions(&f, &module, version.as_deref())?;
            print_warnings(&mut f, global);
            return Ok(print_partial(&args.module, &module, &suggestions, args.factory.json));
        }
    };
    let resolution = f.resolve(&spec)?;
    print_warnings(&mut f, global);
    let (module, version) = match resolution {
        Resolution::Found { module, version, .. } => (module, version),
        missing => return Ok(print_not_found(&args.module, &missing, args.factory.json)),
    };
    let files = f.version_files(&module, &version)?.unwrap_or_default();
    let path = f.metadata_path(&module, &version);
    let raw = f.metadata_bytes(&module, &version)?;
    let text = raw.as_deref().map(String::from_utf8_lossy).map(|t| t.into_owned());
    if args.factory.json {
        let metadata: serde_json::Value = match &text {
            Some(t) => {
                let y: serde_yaml::Value = serde_yaml::from_str(t)
                    .map_err(|e| MetadataError { path: path.clone(), message: e.to_string() })?;
                serde_json::to_value(y)
                    .map_err(|e| MetadataError { path: path.clone(), message: e.to_string() })?
            }
            None => serde_json::Value::Null,
        };
        print_json(&json!({
            "schema": 1,
            "module": module.as_str(),
            "version": version.to_string(),
            "commit": f.commit().to_string(),
            "metadata": metadata,
            "files": files.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(),
        }));
    } else {
        outln(format_args!("# {module}@{version} ({path} at {})", f.commit().to_hex_with_len(12)));
        match &text {
            Some(t) => outln(t.trim_end()),
            None => outln("(no MODULE_METADATA.yaml)"),
        }
        outln("");
        outln("files:");
        for e in &files {
            outln(format_args!("  {}{}", e.path, if e.executable { " (executable)" } else { "" }));
        }
    }
    Ok(Exit::Ok)
}
