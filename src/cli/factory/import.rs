//! `agb factory import`: write a module version's files into a directory.

use serde_json::json;

use crate::cli::factory::{
    parse_asked, partial_suggestions, print_not_found, print_partial, print_warnings, Asked, FactoryArgs,
};
use crate::cli::output::{outln, print_json};
use crate::cli::Global;
use crate::error::Exit;
use crate::factory::import::{apply_import, plan_import, ImportMode};
use crate::factory::Resolution;

/// Write a module version's files into a directory (refuses a non-empty DEST without --force).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The module as `provider/category/name`, optionally `@version` or `@latest` (the default);
    /// a bare name (`vpc`) exits 5 with the modules it may mean.
    #[arg(value_name = "MODULE[@VERSION]", add = crate::cli::completions::module_completer())]
    pub module: String,
    /// Where to write the files.
    #[arg(value_name = "DEST")]
    pub dest: std::path::PathBuf,
    /// Write into a non-empty DEST, replacing files with the same names.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub factory: FactoryArgs,
}

pub fn run(args: Args, global: &Global) -> miette::Result<Exit> {
    let asked = parse_asked(&args.module)?;
    let dest = if args.dest.is_absolute() { args.dest.clone() } else { global.cwd.join(&args.dest) };
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
    let plan = plan_import(&dest, files, args.force)?;
    apply_import(&f, &plan)?;
    if args.factory.json {
        print_json(&json!({
            "schema": 1,
            "module": module.as_str(),
            "version": version.to_string(),
            "commit": f.commit().to_string(),
            "dest": dest.display().to_string(),
            "files": plan.files.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(),
        }));
    } else {
        let how = if plan.mode == ImportMode::Overwrite { " (overwriting)" } else { "" };
        outln(format_args!(
            "imported {module}@{version} into {}{how}: {} files",
            dest.display(),
            plan.files.len()
        ));
        if global.verbose > 0 {
            for e in &plan.files {
                outln(format_args!("  {}", e.path));
            }
        }
    }
    Ok(Exit::Ok)
}
