//! Drill schedule benchmark (issue 5: "schedule 10,000 plans over 24 months; report time and
//! the worst monthly load of any organisation. Target on the 2-core machine: under 1 s, with
//! every feasible requirement met").
//!
//! 1. **Scheduler**: a generated, deterministic input of 10,000 plans (`YUAN_BENCH_PLANS`) in
//!    1,250 organisations of eight plans each: on-site plans (6 months), enterprise plans (12),
//!    flood plans (24, flood season), forest-fire plans (36, fire season) and departmental plans
//!    (36), last drilled over 2024–2026 so that the first fall due from February 2027; every 25th plan has a drill on record as planned (a fixed
//!    slot). The constraints are the built-in `[drills]` defaults (seasons, campaigns, Spring
//!    Festival and National Day blackouts, at most 2 drills per organisation and month, 10%
//!    double-blind). `yuan::drills::schedule::schedule` runs `YUAN_BENCH_ROUNDS` (default 7)
//!    times in this process; the median is reported with the fastest and slowest.
//! 2. **Command**: `yuan drills schedule` (every output: ICS, CSV, JSON, HTML, PDF) as a child
//!    process on the generated 10,000-document repository of `benches/scale.rs`
//!    (`target/bench-corpus/10000`), 3 rounds, median. `YUAN_BENCH_COMMAND=0` skips it.
//!
//! Run: `cargo bench --bench drills`. The machine is shared and noisy: read medians.

#[allow(dead_code)] // only the corpus generator is used here
#[path = "scale.rs"]
mod scale;

use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::Instant;
use yuan::drills::schedule::{schedule, Fixed, Requirement, Schedule};
use yuan::model::drill::{BlindLevel, DrillContent, DrillForm};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// The generated input: requirements and fixed drills, the same on every run.
fn input(n: usize) -> (Vec<Requirement>, Vec<Fixed>) {
    // (interval, hazard, on-site)
    let kinds = [
        (6, None, true),
        (12, None, false),
        (24, Some("flood"), false),
        (36, Some("forest-fire"), false),
        (36, None, false),
        (6, None, true),
        (12, Some("hazchem"), false),
        (24, Some("geological"), false),
    ];
    let mut reqs = Vec::with_capacity(n);
    let mut fixed = Vec::new();
    for i in 0..n {
        let (months, hazard, onsite) = kinds[(i + i / 8) % kinds.len()];
        let org = format!("org{:04}", i / 8);
        let plan = format!("p{i:05}");
        // last drills spread over the interval before the horizon, so that the first drills
        // fall due from February 2027 on (none overdue: every requirement is feasible)
        let back = 1 + (i * 7919) % (months as usize - 1);
        let anchor = day(2027, 1, 1 + (i % 28) as u32)
            .checked_sub_months(chrono::Months::new(back as u32))
            .expect("date");
        let (form, content) = if onsite {
            (DrillForm::Live, DrillContent::Single)
        } else {
            (DrillForm::Tabletop, DrillContent::Comprehensive)
        };
        let mut r = Requirement {
            plan: plan.clone(),
            title: format!("示范单位{}应急预案{i}", i / 8),
            org: org.clone(),
            hazard: hazard.map(String::from),
            interval_months: months,
            anchor,
            onsite,
            form,
            content,
            fixed: Vec::new(),
        };
        // every 25th plan without a season has its next drill on record, two weeks before it
        // falls due, on a weekday outside the blackouts
        let due = anchor + chrono::Months::new(months);
        let mut date = due - chrono::Days::new(14);
        while matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
            || (date.month() == 2 && date.day() <= 12)
            || (date.month() == 1 && date.day() >= 25)
            || (date.month() == 10 && date.day() <= 7)
        {
            date = date.pred_opt().expect("date");
        }
        if i % 25 == 0 && hazard.is_none() && date >= day(2027, 1, 1) {
            r.fixed.push(fixed.len());
            fixed.push(Fixed {
                record: format!("dr-{plan}"),
                title: format!("{}演练", r.title),
                plans: vec![plan],
                org,
                date,
                form,
                content,
                blind: if i % 100 == 0 {
                    BlindLevel::Double
                } else {
                    BlindLevel::None
                },
            });
        }
        reqs.push(r);
    }
    (reqs, fixed)
}

/// Per organisation, its highest number of drills in one month.
fn worst_per_org(s: &Schedule) -> BTreeMap<u32, usize> {
    let mut m: HashMap<(&str, String), u32> = HashMap::new();
    for x in &s.slots {
        *m.entry((x.org.as_str(), x.date.format("%Y-%m").to_string()))
            .or_default() += 1;
    }
    let mut worst: HashMap<&str, u32> = HashMap::new();
    for ((org, _), n) in m {
        let w = worst.entry(org).or_default();
        *w = (*w).max(n);
    }
    let mut hist = BTreeMap::new();
    for w in worst.values() {
        *hist.entry(*w).or_default() += 1;
    }
    hist
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let n = env("YUAN_BENCH_PLANS", 10_000);
    let rounds = env("YUAN_BENCH_ROUNDS", 7).max(1);
    let (reqs, fixed) = input(n);
    let constraints =
        yuan::drills::constraints(&yuan::config::DrillsConfig::default()).expect("defaults");
    let (from, until) = (day(2027, 1, 1), day(2029, 1, 1));
    let mut times = Vec::new();
    let mut last = Schedule::default();
    for _ in 0..rounds {
        let t = Instant::now();
        last = schedule(&reqs, &fixed, &constraints, from, until);
        times.push(t.elapsed().as_secs_f64());
    }
    let (lo, hi) = (
        times.iter().copied().fold(f64::MAX, f64::min),
        times.iter().copied().fold(0.0, f64::max),
    );
    let med = median(&mut times);
    let fixed_n = last.slots.iter().filter(|s| s.is_fixed()).count();
    let blind = last.slots.iter().filter(|s| s.double_blind).count();
    let hist = worst_per_org(&last);
    println!(
        "scheduler: {n} plans, 24 months: median {:.0} ms of {rounds} runs (fastest {:.0}, slowest {:.0} ms; shared 2-core machine)",
        med * 1e3,
        lo * 1e3,
        hi * 1e3
    );
    println!(
        "  {} drills ({fixed_n} fixed, {blind} double-blind), {} unmet, {} fixed drills breaking a constraint",
        last.slots.len(),
        last.unmet.len(),
        last.conflicts().count()
    );
    println!(
        "  worst monthly load of any organisation: {} (cap {}); organisations by their worst month: {}",
        last.worst_monthly_load(),
        constraints.max_per_org_month,
        hist.iter()
            .map(|(w, k)| format!("{w} drill(s): {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for u in last.unmet.iter().take(5) {
        println!("  unmet {} (due {}): {}", u.plan, u.due, u.reason.en);
    }
    assert!(
        last.unmet.is_empty(),
        "every requirement of the generated input is feasible"
    );
    assert!(last.worst_monthly_load() <= constraints.max_per_org_month);

    if env("YUAN_BENCH_COMMAND", 1) == 0 {
        return;
    }
    let docs = 10_000;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-corpus")
        .join(docs.to_string());
    let marker = root.join(".complete");
    if !marker.exists() {
        let t = Instant::now();
        let made = scale::generate(&root, docs);
        std::fs::write(&marker, made.to_string()).expect("marker");
        println!(
            "generated {made} documents in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    let out = tempfile::tempdir().expect("tempdir");
    let mut times = Vec::new();
    let mut summary = String::new();
    let mut stages = String::new();
    for _ in 0..3 {
        let t = Instant::now();
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_yuan"))
            .args(["drills", "schedule", root.to_str().expect("utf-8")])
            .args(["--from", "2027-01", "--lang", "en", "--out"])
            .arg(out.path())
            .env("SOURCE_DATE_EPOCH", "1795000000")
            .env("YUAN_TIMINGS", "1")
            .output()
            .expect("yuan runs");
        times.push(t.elapsed().as_secs_f64());
        assert!(
            o.status.code().is_some_and(|c| c <= 1),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        summary = String::from_utf8_lossy(&o.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .to_string();
        stages = String::from_utf8_lossy(&o.stderr)
            .lines()
            .filter(|l| l.contains("schedule"))
            .collect::<Vec<_>>()
            .join("; ");
    }
    let size = |f: &str| {
        std::fs::metadata(out.path().join(f))
            .map(|m| m.len() as f64 / 1e6)
            .unwrap_or(0.0)
    };
    println!(
        "command: yuan drills schedule on {docs} documents (all outputs): median {:.2} s of 3 runs\n  {summary}\n  {stages}\n  schedule.html {:.1} MB, schedule-coordinators.pdf {:.1} MB",
        median(&mut times),
        size("schedule.html"),
        size("schedule-coordinators.pdf")
    );
}
