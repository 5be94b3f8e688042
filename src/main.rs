//! The `yuan` binary: parse the command line, run, map the outcome to an exit code
//! (0 clean, 1 problems found, 2 could not run).

fn main() {
    std::process::exit(yuan::cli::main());
}
