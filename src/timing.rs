//! Opt-in phase timings for profiling: `YUAN_TIMINGS=1 yuan check …` prints how long each stage
//! and each rule took to standard error. Off by default; costs one environment lookup.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Whether timings are on (`YUAN_TIMINGS` is set).
pub(crate) fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("YUAN_TIMINGS").is_some())
}

/// Prints `what` and a duration when timings are on (with the process's resident memory
/// where the system tells it).
pub(crate) fn report(what: &str, d: Duration) {
    if enabled() {
        eprintln!(
            "[timing] {what:<24} {:>9.1} ms{}",
            d.as_secs_f64() * 1000.0,
            resident().map_or(String::new(), |kb| format!("  (rss {} MB)", kb / 1024))
        );
    }
}

/// Resident memory in KiB (Linux: `VmRSS` of `/proc/self/status`).
fn resident() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Prints a line of counts (cache hits …) when timings are on.
pub(crate) fn note(what: &str) {
    if enabled() {
        eprintln!("[timing] {what}");
    }
}

/// Laps between stages.
pub(crate) struct Timer(Instant);

impl Timer {
    pub(crate) fn new() -> Timer {
        Timer(Instant::now())
    }
    pub(crate) fn lap(&mut self, what: &str) {
        report(what, self.0.elapsed());
        self.0 = Instant::now();
    }
}

impl Default for Timer {
    fn default() -> Self {
        Timer::new()
    }
}
