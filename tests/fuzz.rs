//! Fuzzing on stable Rust: a seeded mutation loop over the sample and fixture files.
//!
//! Two targets (see CONTRIBUTING.md, "Fuzzing"):
//! - **the front-matter parser**: `parse_document` and `parse_registry`, and the model's typing
//!   of what they give (`model::build`), on mutated files must never panic, and a document
//!   typed straight from its YAML events (`model::direct`) must come out exactly as through
//!   the value tree;
//! - **the loader and the cache**: a mutated repository checked cold (cache written), warm
//!   (cache read), after an edit in place (stat data trusted or not) and with no cache at all
//!   must give the same findings (issue 15, class 11) and never panic.
//!
//! `cargo test` runs a few hundred cases of each (seconds). The long runs are `#[ignore]`d:
//! `YUAN_FUZZ_SECS=60 YUAN_FUZZ_SEED=1 cargo test --test fuzz -- --ignored` (CI runs them for
//! a minute with a fixed seed). A failure writes its input under `target/fuzz-failures/` and
//! names the seed and case, so it can be replayed with `YUAN_FUZZ_SEED` and
//! `YUAN_FUZZ_CASE`.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use yuan::parse::{self, ParseOptions};

/// xorshift64*: small, seeded, the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Tokens that mean something to YAML, Markdown or yuan: more likely to reach deep code than
/// random bytes.
const TOKENS: &[&str] = &[
    "---\n",
    "\n",
    ": ",
    "- ",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!str ",
    "!!binary ",
    "? ",
    "|\n  ",
    ">-\n",
    "'",
    "\"",
    "[",
    "]",
    "{",
    "}",
    ",",
    "#",
    "\t",
    "  ",
    "\u{3000}",
    "\u{feff}",
    "%YAML 1.2\n",
    "~",
    "null",
    "true",
    "yes",
    "2024-06",
    "2024-13-45",
    "1e999",
    "-0",
    "0x1F",
    ".nan",
    "plan:",
    "card:",
    "doc:",
    "../",
    "%E5%BA%94",
    "](#",
    "[链接](",
    "# ",
    "## 应急处置\n",
    "| a | b |\n|---|---|\n",
    "<!-- ",
    " -->",
    "<<<<<<< HEAD\n",
    "=======\n",
    ">>>>>>> x\n",
    "parent: ",
    "id: ",
    "kind: ",
    "level: ",
    "hazards: [",
    "\u{0}",
    "\u{1b}[31m",
    "\r\n",
    "应急",
    "😀",
    "\u{202e}",
];

/// One random change to `bytes`.
fn mutate(bytes: &mut Vec<u8>, rng: &mut Rng) {
    let len = bytes.len();
    match rng.below(9) {
        0 if len > 0 => {
            let i = rng.below(len);
            bytes[i] ^= 1 << rng.below(8);
        }
        1 | 2 => {
            let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
            let i = rng.below(len + 1);
            bytes.splice(i..i, t.iter().copied());
        }
        3 if len > 0 => {
            let i = rng.below(len);
            let n = 1 + rng.below(32.min(len - i));
            bytes.drain(i..i + n);
        }
        4 => {
            // duplicate a line
            let lines: Vec<usize> = std::iter::once(0)
                .chain(
                    bytes
                        .iter()
                        .enumerate()
                        .filter(|(_, b)| **b == b'\n')
                        .map(|(i, _)| i + 1),
                )
                .collect();
            let a = lines[rng.below(lines.len())];
            let b = bytes[a..]
                .iter()
                .position(|b| *b == b'\n')
                .map_or(len, |p| a + p + 1);
            let line = bytes[a..b].to_vec();
            let at = lines[rng.below(lines.len())].min(bytes.len());
            bytes.splice(at..at, line);
        }
        5 if len > 0 => bytes.truncate(rng.below(len)),
        6 if len > 1 => {
            // copy a span elsewhere (keys, ids and anchors recombine)
            let i = rng.below(len);
            let n = 1 + rng.below(64.min(len - i));
            let span = bytes[i..i + n].to_vec();
            let at = rng.below(len + 1);
            bytes.splice(at..at, span);
        }
        7 if len > 0 => {
            // an indentation change at a line start
            let i = rng.below(len);
            if let Some(p) = bytes[..i].iter().rposition(|b| *b == b'\n') {
                if rng.below(2) == 0 {
                    bytes.insert(p + 1, b' ');
                } else if bytes.get(p + 1) == Some(&b' ') {
                    bytes.remove(p + 1);
                }
            }
        }
        _ => {
            let i = rng.below(len + 1);
            bytes.insert(i, rng.next() as u8);
        }
    }
}

fn root() -> PathBuf {
    common::root()
}

/// The seed corpus: every Markdown and YAML file of the sample and the fixtures.
fn corpus() -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if e.file_name() == ".yuan-cache" {
                continue;
            }
            if p.is_dir() {
                walk(&p, out);
            } else if p
                .extension()
                .is_some_and(|x| x == "md" || x == "yaml" || x == "yml")
            {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(&root().join("plans"), &mut files);
    walk(&root().join("tests/fixtures"), &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let rel = p.strip_prefix(root()).ok()?.to_string_lossy().into_owned();
            Some((rel, std::fs::read(&p).ok()?))
        })
        .collect()
}

fn seed() -> u64 {
    std::env::var("YUAN_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261206)
}

/// How long the ignored long runs last.
fn budget() -> Duration {
    Duration::from_secs(
        std::env::var("YUAN_FUZZ_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(60),
    )
}

/// Only this case, to replay a failure.
fn only_case() -> Option<u64> {
    std::env::var("YUAN_FUZZ_CASE")
        .ok()
        .and_then(|s| s.parse().ok())
}

fn failure_dir(target: &str, case: u64) -> PathBuf {
    root()
        .join("target/fuzz-failures")
        .join(format!("{target}-seed{}-case{case}", seed()))
}

/// The rng of case `case`: each case is replayable on its own.
fn case_rng(case: u64) -> Rng {
    Rng::new(seed() ^ case.wrapping_mul(0xA24B_AED4_963E_E407))
}

fn parse_opts() -> ParseOptions {
    parse_opts_with(Some(yuan::model::direct::direct))
}

fn parse_opts_with(direct: Option<parse::Direct>) -> ParseOptions {
    ParseOptions {
        max_file_bytes: 8 << 20,
        placeholders: yuan::parse::rules::t801_placeholder_text::pattern(&[
            "待定".to_string(),
            "XXX".to_string(),
        ]),
        marked: yuan::model::MARKED,
        direct,
    }
}

/// Parses one mutated file; a panic is written out and reported.
fn parse_case(corpus: &[(String, Vec<u8>)], case: u64) {
    let mut rng = case_rng(case);
    let (rel, seed_bytes) = &corpus[rng.below(corpus.len())];
    let mut bytes = seed_bytes.clone();
    for _ in 0..1 + rng.below(8) {
        mutate(&mut bytes, &mut rng);
    }
    let (opts, tree) = (parse_opts(), parse_opts_with(None));
    let input = bytes.clone();
    let outcome = std::panic::catch_unwind(|| {
        let Ok(text) = parse::decode_text(input, rel) else {
            return true;
        };
        let abs = Path::new("/fuzz").join(rel);
        if rel.ends_with(".md") {
            let parsed = parse::parse_document(rel, &text, &opts);
            let direct = yuan::model::build::document(rel, &abs, &text, parsed);
            let parsed = parse::parse_document(rel, &text, &tree);
            let tree = yuan::model::build::document(rel, &abs, &text, parsed);
            return format!("{direct:?}") == format!("{tree:?}");
        } else {
            let parsed = parse::parse_registry(rel, &text);
            let _ = yuan::model::build::registry(rel, &abs, parsed);
        }
        true
    });
    if !outcome.as_ref().is_ok_and(|same| *same) {
        let dir = failure_dir("parse", case);
        let _ = std::fs::create_dir_all(&dir);
        let name = rel.rsplit('/').next().unwrap_or("input");
        let _ = std::fs::write(dir.join(name), &bytes);
        panic!(
            "the parser {} on a mutation of {rel} (seed {}, case {case}); input: {}",
            match outcome {
                Ok(_) => "typed a document directly otherwise than through the value tree",
                Err(_) => "panicked",
            },
            seed(),
            dir.display()
        );
    }
}

fn run_parse(cases: Option<u64>, time: Option<Duration>) -> u64 {
    let corpus = corpus();
    assert!(corpus.len() > 50, "the seed corpus is there");
    if let Some(case) = only_case() {
        parse_case(&corpus, case);
        return 1;
    }
    let start = Instant::now();
    let mut case = 0;
    while cases.is_none_or(|n| case < n) && time.is_none_or(|t| start.elapsed() < t) {
        parse_case(&corpus, case);
        case += 1;
    }
    case
}

#[test]
fn the_parser_survives_mutated_files() {
    let n = run_parse(Some(2000), None);
    assert!(n >= 1);
}

#[test]
#[ignore = "long fuzzing run: YUAN_FUZZ_SECS=60 cargo test --test fuzz -- --ignored"]
fn fuzz_the_parser() {
    let n = run_parse(None, Some(budget()));
    eprintln!(
        "fuzz_the_parser: {n} cases in {:?}, seed {}",
        budget(),
        seed()
    );
}

/// The findings of a check, as comparable text.
fn findings(dir: &Path, cache: bool) -> Vec<String> {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).expect("a date");
    match yuan::Check::new(dir, today).cache(cache).run() {
        Ok(r) => r
            .diagnostics
            .iter()
            .map(|d| {
                format!(
                    "{} {} {:?} {:?} {} | {:?}",
                    d.code, d.path, d.severity, d.span, d.message.en, d.help
                )
            })
            .collect(),
        Err(e) => vec![format!("error: {e}")],
    }
}

/// The good fixture with a few of its files mutated; checked cold, warm, after an edit in
/// place and without the cache: the same findings each time.
fn cache_case(files: &[(String, Vec<u8>)], case: u64) {
    let mut rng = case_rng(case);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut written = files.to_vec();
    for _ in 0..1 + rng.below(3) {
        let i = rng.below(written.len());
        for _ in 0..1 + rng.below(4) {
            mutate(&mut written[i].1, &mut rng);
        }
    }
    // the repository's shape changes too: a file copied elsewhere (duplicate ids, other
    // folders), moved, or gone
    for _ in 0..rng.below(3) {
        let i = rng.below(written.len());
        let folders = ["", "city/", "registry/", "drills/", "enterprise/sub/"];
        let name = written[i]
            .0
            .rsplit('/')
            .next()
            .unwrap_or("x.md")
            .to_string();
        let to = format!(
            "{}{}{name}",
            folders[rng.below(folders.len())],
            rng.below(3)
        );
        match rng.below(3) {
            0 => {
                let copy = (to, written[i].1.clone());
                written.push(copy);
            }
            1 => written[i].0 = to,
            _ if written.len() > 2 => {
                written.remove(i);
            }
            _ => {}
        }
    }
    for (rel, bytes) in &written {
        let p = dir.path().join(rel);
        let _ = std::fs::create_dir_all(p.parent().expect("parent"));
        std::fs::write(&p, bytes).expect("write");
    }
    let report = |what: &str, a: &[String], b: &[String]| {
        let out = failure_dir("cache", case);
        let _ = std::fs::remove_dir_all(&out);
        common::copy_dir(dir.path(), &out);
        panic!(
            "{what} (seed {}, case {case}); the repository: {}\nwithout cache: {a:#?}\nwith: {b:#?}",
            seed(),
            out.display()
        );
    };
    let outcome = std::panic::catch_unwind(|| {
        let plain = findings(dir.path(), false);
        let cold = findings(dir.path(), true);
        let warm = findings(dir.path(), true);
        (plain, cold, warm)
    });
    let Ok((plain, cold, warm)) = outcome else {
        report("a check panicked", &[], &[]);
        return;
    };
    if cold != plain {
        report("a cold run with the cache differs", &plain, &cold);
    }
    if warm != plain {
        report("a warm run differs", &plain, &warm);
    }
    // an edit in place, of the same size where it can be: the cache must notice it
    let i = rng.below(written.len());
    let p = dir.path().join(&written[i].0);
    let mut bytes = written[i].1.clone();
    let n = bytes.len();
    if n > 0 {
        let at = rng.below(n);
        bytes[at] = if bytes[at] == b'a' { b'b' } else { b'a' };
    } else {
        bytes.push(b'a');
    }
    std::fs::write(&p, &bytes).expect("edit");
    let edited_plain = findings(dir.path(), false);
    let edited_warm = findings(dir.path(), true);
    if edited_warm != edited_plain {
        report(
            "a warm run after an edit differs",
            &edited_plain,
            &edited_warm,
        );
    }
}

/// The files of the good fixture.
fn good_files() -> Vec<(String, Vec<u8>)> {
    let base = root().join("tests/fixtures/good");
    corpus()
        .into_iter()
        .filter_map(|(rel, bytes)| {
            let rel = rel.strip_prefix("tests/fixtures/good/")?.to_string();
            Some((rel, bytes))
        })
        .chain(
            std::fs::read(base.join("yuan.toml"))
                .ok()
                .map(|b| ("yuan.toml".into(), b)),
        )
        .collect()
}

fn run_cache(cases: Option<u64>, time: Option<Duration>) -> u64 {
    let files = good_files();
    assert!(files.len() > 5, "the good fixture is there");
    if let Some(case) = only_case() {
        cache_case(&files, case);
        return 1;
    }
    let start = Instant::now();
    let mut case = 0;
    while cases.is_none_or(|n| case < n) && time.is_none_or(|t| start.elapsed() < t) {
        cache_case(&files, case);
        case += 1;
    }
    case
}

#[test]
fn cold_warm_and_uncached_checks_agree_on_mutated_repositories() {
    run_cache(Some(30), None);
}

#[test]
#[ignore = "long differential run: YUAN_FUZZ_SECS=60 cargo test --test fuzz -- --ignored"]
fn fuzz_the_cache() {
    let n = run_cache(None, Some(budget()));
    eprintln!(
        "fuzz_the_cache: {n} repositories in {:?}, seed {}",
        budget(),
        seed()
    );
}
