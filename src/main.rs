//! The `yuan` binary: parse the command line, run, map the outcome to an exit code
//! (0 clean, 1 problems found, 2 could not run).

fn main() {
    quiet_on_closed_pipe();
    std::process::exit(yuan::cli::main());
}

/// A reader that stops early (`yuan explain --all | head`, `yuan check | head`) ends yuan as
/// it ends `cat` or `grep`: Rust ignores SIGPIPE, so every write to the closed pipe would fail
/// and `println!` would panic; with the signal's default action the process ends at the first
/// such write, silently, and the shell sees 141 as for any Unix tool.
fn quiet_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in `main`, before any other thread exists; SIG_DFL is a
    // valid disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
