//! The `agb` binary: parse arguments, run the command, render errors, map them to exit codes.
//! Everything else lives in the library (`agb::`).

fn main() {
    let code = agb::cli::main_entry();
    std::process::exit(code);
}
