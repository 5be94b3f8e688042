//! Handbook benchmark (issue: "Response handbooks"): the province-wide handbook of a generated
//! 10,000-document repository (the corpus of `benches/scale.rs`: province → cities → counties
//! → townships, with enterprises).
//!
//! Runs, as child processes, `yuan handbook DIR --hazard flood` (the province's flood plan
//! with every city and county flood plan under it: one book, HTML and PDF), then the largest
//! book, `--hazard hazchem` (the same chain plus every enterprise plan under it: about 5,500
//! pages), then `--plan p-overall` (the province's overall plan alone), several rounds each,
//! and reports the median time and the peak memory of the children. `YUAN_BENCH_HAZARD`
//! runs only that hazard, `YUAN_BENCH_DOCS` picks another size.
//!
//! Run: `cargo bench --bench handbook`. Target on the 2-core machine: under 10 s each.

#[allow(dead_code)] // only the corpus generator is used here
#[path = "scale.rs"]
mod scale;

use std::path::Path;
use std::time::Instant;

/// Peak resident memory of the waited-for children so far, in MB.
fn children_peak_mb() -> f64 {
    // SAFETY: rusage is plain old data; getrusage fills it.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru) };
    ru.ru_maxrss as f64 / 1024.0
}

fn main() {
    let n: usize = std::env::var("YUAN_BENCH_DOCS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let rounds: usize = std::env::var("YUAN_BENCH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let root = scale::dated_corpus(n);
    let cases: Vec<(String, String)> = match std::env::var("YUAN_BENCH_HAZARD") {
        Ok(h) => vec![("--hazard".into(), h)],
        Err(_) => vec![
            ("--hazard".into(), "flood".into()),
            ("--hazard".into(), "hazchem".into()),
            ("--plan".into(), "p-overall".into()),
        ],
    };
    for (flag, value) in &cases {
        run_case(&root, n, flag, value, rounds);
    }
}

/// Times `yuan handbook ROOT FLAG VALUE` over `rounds` child processes.
fn run_case(root: &Path, n: usize, flag: &str, value: &str, rounds: usize) {
    let out = tempfile::tempdir().expect("tempdir");
    let mut times = Vec::new();
    let mut last = String::new();
    let peak_before = children_peak_mb();
    for _ in 0..rounds {
        let t = Instant::now();
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_yuan"))
            .args(["handbook", root.to_str().expect("utf-8")])
            .args([flag, value, "--out", out.path().to_str().expect("utf-8")])
            .env("SOURCE_DATE_EPOCH", "1764547200")
            .output()
            .expect("yuan runs");
        times.push(t.elapsed().as_secs_f64());
        last = String::from_utf8_lossy(&o.stdout).trim().to_string();
        assert!(
            o.status.code().is_some_and(|c| c <= 1),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    times.sort_by(f64::total_cmp);
    let stem = if flag == "--hazard" {
        format!("hazard-{value}")
    } else {
        value.to_string()
    };
    let file = |ext: &str| {
        std::fs::metadata(out.path().join(format!("{stem}.{ext}")))
            .map(|m| m.len() as f64 / 1e6)
            .unwrap_or(0.0)
    };
    let pdf = out.path().join(format!("{stem}.pdf"));
    let pages = lopdf::Document::load(&pdf)
        .map(|d| d.get_pages().len().to_string())
        .unwrap_or_else(|_| "?".into());
    // the peak is the largest child so far: only a case that raises it shows its own
    let peak = children_peak_mb();
    println!("\n== yuan handbook {flag} {value}, {n}-document repository");
    println!("{last}");
    println!(
        "median of {rounds}: {:.2} s (min {:.2}, max {:.2}); peak memory {}",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1],
        if peak > peak_before {
            format!("{peak:.0} MB")
        } else {
            format!("at most {peak:.0} MB")
        }
    );
    println!(
        "PDF {:.1} MB, {pages} pages; HTML {:.1} MB",
        file("pdf"),
        file("html")
    );
}
