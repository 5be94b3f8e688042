//! Word export benchmark (issue 17): `yuan export` of the 1,000 largest plans of the generated
//! 10,000-document repository (the corpus of `benches/scale.rs`), as child processes, several
//! rounds; reports the median time, the peak memory of the children and the size of what was
//! written. The run includes what every generator does first: the check of the whole
//! repository (a plan with errors is not exported).
//!
//! The corpus is dated before its first drills fall due, as for the handbook benchmark (it
//! shares that copy, `target/bench-corpus/<n>-handbook`): on the corpus' own date every
//! enterprise on-site plan is overdue for a drill (E005, an error) and would be left out.
//! `YUAN_BENCH_DOCS` picks another size, `YUAN_BENCH_PLANS` another number of plans,
//! `YUAN_BENCH_ROUNDS` the rounds.
//!
//! Run: `cargo bench --bench export`. Target on the 2-core machine: under 20 s.

#[allow(dead_code)] // only the corpus generator is used here
#[path = "scale.rs"]
mod scale;

use std::path::{Path, PathBuf};
use std::time::Instant;

/// Peak resident memory of the waited-for children so far, in MB.
fn children_peak_mb() -> f64 {
    // SAFETY: rusage is plain old data; getrusage fills it.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru) };
    ru.ru_maxrss as f64 / 1024.0
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let n = env("YUAN_BENCH_DOCS", 10_000);
    let plans = env("YUAN_BENCH_PLANS", 1_000);
    let rounds = env("YUAN_BENCH_ROUNDS", 3);
    let dated = scale::dated_corpus(n);
    let ids = largest_plans(&dated, plans);
    let out = tempfile::tempdir().expect("tempdir");
    let peak_before = children_peak_mb();
    let mut times = Vec::new();
    let mut last = String::new();
    for _ in 0..rounds {
        let t = Instant::now();
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_yuan"))
            .arg("export")
            .args(&ids)
            .args(["-C", dated.to_str().expect("utf-8")])
            .args(["--out", out.path().to_str().expect("utf-8")])
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
    let (files, bytes) = std::fs::read_dir(out.path())
        .expect("ls")
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "docx"))
        .fold((0, 0u64), |(n, b), e| {
            (n + 1, b + e.metadata().map_or(0, |m| m.len()))
        });
    let peak = children_peak_mb();
    println!(
        "\n== yuan export of the {} largest plans, {n}-document repository",
        ids.len()
    );
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
    println!("{files} .docx, {:.1} MB in all", bytes as f64 / 1e6);
}

/// The ids of the `k` largest plan files (not cards, not drill records), largest first.
fn largest_plans(root: &Path, k: usize) -> Vec<String> {
    let mut found: Vec<(u64, String)> = Vec::new();
    let mut stack: Vec<PathBuf> = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|x| x != "md") {
                continue;
            }
            let Ok(t) = std::fs::read_to_string(&p) else {
                continue;
            };
            let head = t.split("\n---").next().unwrap_or("");
            let field = |k: &str| {
                head.lines()
                    .find_map(|l| l.strip_prefix(k))
                    .map(|v| v.trim().to_string())
            };
            match (field("id: "), field("kind: ")) {
                (Some(id), Some(kind)) if kind != "card" && kind != "drill" => {
                    found.push((t.len() as u64, id));
                }
                _ => {}
            }
        }
    }
    found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    found.into_iter().take(k).map(|(_, id)| id).collect()
}
