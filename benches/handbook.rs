//! Handbook benchmark (issue: "Response handbooks"): the province-wide handbook of a generated
//! 10,000-document repository (the corpus of `benches/scale.rs`: province → cities → counties
//! → townships, with enterprises).
//!
//! Runs `yuan handbook DIR --hazard flood` (the province's flood plan with every city and
//! county flood plan under it: one book, HTML and PDF) as a child process, several rounds,
//! and reports the median time and the peak memory of the child. `YUAN_BENCH_HAZARD` picks
//! another hazard (`hazchem` adds the enterprise plans), `YUAN_BENCH_DOCS` another size.
//!
//! Run: `cargo bench --bench handbook`. Target on the 2-core machine: under 10 s.

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
    let hazard = std::env::var("YUAN_BENCH_HAZARD").unwrap_or_else(|_| "flood".into());
    let rounds: usize = std::env::var("YUAN_BENCH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-corpus")
        .join(n.to_string());
    let marker = root.join(".complete");
    if !marker.exists() {
        let t = Instant::now();
        let docs = scale::generate(&root, n);
        std::fs::write(&marker, docs.to_string()).expect("marker");
        println!(
            "generated {docs} documents in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    let out = tempfile::tempdir().expect("tempdir");
    let mut times = Vec::new();
    let mut last = String::new();
    for _ in 0..rounds {
        let t = Instant::now();
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_yuan"))
            .args(["handbook", root.to_str().expect("utf-8")])
            .args([
                "--hazard",
                &hazard,
                "--out",
                out.path().to_str().expect("utf-8"),
            ])
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
    let file = |ext: &str| {
        std::fs::metadata(out.path().join(format!("hazard-{hazard}.{ext}")))
            .map(|m| m.len() as f64 / 1e6)
            .unwrap_or(0.0)
    };
    let pdf = out.path().join(format!("hazard-{hazard}.pdf"));
    let pages = std::process::Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .find_map(|l| l.strip_prefix("Pages:").map(|p| p.trim().to_string()))
        })
        .unwrap_or_else(|| "?".into());
    println!("\n== yuan handbook --hazard {hazard}, {n}-document repository");
    println!("{last}");
    println!(
        "median of {rounds}: {:.2} s (min {:.2}, max {:.2}); peak memory {:.0} MB",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1],
        children_peak_mb()
    );
    println!(
        "PDF {:.1} MB, {pages} pages; HTML {:.1} MB",
        file("pdf"),
        file("html")
    );
}
