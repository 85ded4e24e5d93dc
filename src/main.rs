//! The `agb` binary: parse arguments, run the command, render errors, map them to exit codes.
//! Everything else lives in the library (`agb::`).

fn main() {
    // `COMPLETE=bash agb …` (dynamic completion, see `agb completions --help`): answer and
    // exit before anything else runs or prints.
    clap_complete::CompleteEnv::with_factory(agb::cli::command).complete();
    let code = agb::cli::main_entry();
    std::process::exit(code);
}
