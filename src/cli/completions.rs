//! `agb completions <shell>`: print a completion script generated from the same clap
//! definition the parser uses.

use crate::cli::output::outln;
use crate::cli::Global;
use crate::error::Exit;

/// Print the completion script for SHELL on stdout.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to generate for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn run(args: Args, _global: &Global) -> miette::Result<Exit> {
    outln(completion_script(args.shell).trim_end());
    Ok(Exit::Ok)
}

/// The completion script for `shell`, as committed in `completions/`.
pub fn completion_script(shell: clap_complete::Shell) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut crate::cli::command(), "agb", &mut buf);
    String::from_utf8(buf).expect("clap_complete writes UTF-8")
}

/// The file name under `completions/` for each shell.
pub fn completion_file_name(shell: clap_complete::Shell) -> String {
    use clap_complete::Shell;
    match shell {
        Shell::Bash => "agb.bash".into(),
        Shell::Zsh => "_agb".into(),
        Shell::Fish => "agb.fish".into(),
        Shell::PowerShell => "_agb.ps1".into(),
        Shell::Elvish => "agb.elv".into(),
        _ => format!("agb.{shell}"),
    }
}
