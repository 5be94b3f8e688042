//! Card benchmark (issue: "On-site disposal cards as print-ready PDF").
//!
//! Builds a repository with 1,000 disposal cards: the sample `plans/` plus copies of its six
//! enterprise cards under new ids, each with its own risk text. Then measures, in this order:
//! - the card stage alone (`yuan::cards::build`: resolve, check glyphs, lay out, draw and
//!   subset every PDF on all cores), three times, reporting the median;
//! - the whole command (`yuan cards DIR --nup 4`: load, check, 1,000 PDFs, the imposed print
//!   file and the HTML page, all written atomically), once, as a child process with its peak
//!   memory.
//!
//! Run: `cargo bench --bench cards` (`YUAN_BENCH_CARDS=1000` by default). Targets on the
//! 2-core machine: 1,000 cards in under 5 s; one A6 card under 150 KB.

use std::path::{Path, PathBuf};
use std::time::Instant;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir").flatten() {
        let p = e.path();
        let name = e.file_name();
        if name == "out" {
            continue;
        }
        let t = to.join(&name);
        if p.is_dir() {
            copy_dir(&p, &t);
        } else {
            std::fs::copy(&p, &t).expect("copy");
        }
    }
}

fn generate(root: &Path, n: usize) {
    let _ = std::fs::remove_dir_all(root);
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&manifest.join("plans"), root);
    let cards_dir = root.join("enterprise/hd-chem/cards");
    let mut templates: Vec<(String, String)> = std::fs::read_dir(&cards_dir)
        .expect("cards")
        .flatten()
        .map(|e| {
            let id = e
                .path()
                .file_stem()
                .expect("stem")
                .to_string_lossy()
                .into_owned();
            (id, std::fs::read_to_string(e.path()).expect("read"))
        })
        .collect();
    templates.sort();
    let bench = root.join("enterprise/hd-chem/bench-cards");
    std::fs::create_dir_all(&bench).expect("mkdir");
    for i in 0..n.saturating_sub(templates.len()) {
        let (id, text) = &templates[i % templates.len()];
        let new_id = format!("{id}-b{i:05}");
        let text = text
            .replacen(&format!("id: {id}"), &format!("id: {new_id}"), 1)
            .replacen("risk: ", &format!("risk: 第{i}号岗位。"), 1);
        std::fs::write(bench.join(format!("{new_id}.md")), text).expect("write");
    }
}

fn main() {
    let n: usize = std::env::var("YUAN_BENCH_CARDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let root: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus/cards");
    generate(&root, n);
    println!("threads: {}", rayon::current_num_threads());

    let loaded = yuan::load::load(&root).expect("load");
    let docs = yuan::cards::select(&loaded.corpus, &yuan::cards::Selection::default());
    let fonts = yuan::render::font::Fonts::builtin().expect("font");
    let opts = yuan::cards::layout::Options {
        size: yuan::cards::CardSize::A6,
        duplex: false,
    };
    // where one card's time goes (one thread)
    {
        let sample: Vec<_> = docs.iter().take(50).collect();
        let views: Vec<_> = sample
            .iter()
            .map(|d| {
                yuan::cards::content::build(
                    &loaded.corpus,
                    &loaded.config,
                    d,
                    d.card().expect("card"),
                    "bench",
                )
            })
            .collect();
        let t = Instant::now();
        let laid: Vec<_> = views
            .iter()
            .map(|v| {
                yuan::cards::layout::layout(&fonts, v, opts)
                    .expect("layout")
                    .expect("fits")
            })
            .collect();
        let lay = t.elapsed().as_secs_f64() / views.len() as f64;
        let t = Instant::now();
        for (v, l) in views.iter().zip(&laid) {
            let _ = yuan::render::pdf::write(&l.pages, &fonts, &yuan::cards::pdf_meta(v, 0));
        }
        let draw = t.elapsed().as_secs_f64() / views.len() as f64;
        let mut chars = std::collections::BTreeSet::new();
        for l in &laid {
            for p in &l.pages {
                for t in p.texts() {
                    chars.extend(t.chars());
                }
            }
        }
        let t = Instant::now();
        let reduced = fonts.reduced_to(&chars).expect("subset");
        println!(
            "run-wide font subset ({} characters): {:.0} ms (once per run)",
            chars.len(),
            t.elapsed().as_secs_f64() * 1000.0
        );
        let rounds = if std::env::var_os("YUAN_BENCH_PDF_LOOP").is_some() {
            10
        } else {
            1
        };
        let t = Instant::now();
        for _ in 0..rounds {
            for (v, l) in views.iter().zip(&laid) {
                let _ = yuan::render::pdf::write(&l.pages, &reduced, &yuan::cards::pdf_meta(v, 0));
            }
        }
        println!(
            "per card, one thread, from the run-wide subset (what `yuan cards` does): PDF {:.1} ms",
            t.elapsed().as_secs_f64() * 1000.0 / (rounds * views.len()) as f64
        );
        if rounds > 1 {
            return;
        }
        let mut one_face = fonts.clone();
        one_face.bold = None;
        let t = Instant::now();
        for (v, l) in views.iter().zip(&laid) {
            let _ = yuan::render::pdf::write(&l.pages, &one_face, &yuan::cards::pdf_meta(v, 0));
        }
        println!(
            "per card, one thread, synthetic bold (one embedded face): PDF {:.1} ms",
            t.elapsed().as_secs_f64() * 1000.0 / views.len() as f64
        );
        println!(
            "per card, one thread: layout {:.1} ms, PDF drawing + font subsetting {:.1} ms",
            lay * 1000.0,
            draw * 1000.0
        );
    }
    let job = yuan::cards::Job {
        corpus: &loaded.corpus,
        config: &loaded.config,
        fonts: &fonts,
        opts,
        source: "bench",
        epoch: 0,
        progress: false,
    };
    let mut times = Vec::new();
    let mut built_n = 0;
    let mut sizes = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let (built, diags, _) = yuan::cards::build(&job, &docs).expect("build");
        times.push(t.elapsed().as_secs_f64());
        assert!(diags.is_empty(), "{} cards failed", diags.len());
        built_n = built.len();
        sizes = built.iter().map(|b| b.pdf.len()).collect();
    }
    times.sort_by(f64::total_cmp);
    let median = times[1];
    sizes.sort_unstable();
    println!(
        "card stage: {built_n} cards in {median:.2} s (median of 3: {:.2} / {:.2} / {:.2}) = {:.0} cards/s",
        times[0],
        times[1],
        times[2],
        built_n as f64 / median
    );
    println!(
        "card PDF size: min {} KB, median {} KB, max {} KB",
        sizes[0] / 1024,
        sizes[sizes.len() / 2] / 1024,
        sizes[sizes.len() - 1] / 1024
    );

    {
        let (built, _, _) = yuan::cards::build(&job, &docs).expect("build");
        let pages: Vec<Vec<_>> = built.iter().map(|b| b.laid.pages.clone()).collect();
        let t = Instant::now();
        let sheets = yuan::cards::impose::impose(&pages, 4).expect("impose");
        let meta = yuan::render::pdf::PdfMeta::default();
        let bytes = yuan::render::pdf::write(&sheets, &fonts, &meta).expect("pdf");
        println!(
            "4-up print file alone: {} sheets, {} KB in {:.2} s",
            sheets.len(),
            bytes.len() / 1024,
            t.elapsed().as_secs_f64()
        );
    }
    let out = root.join("out/cards");
    let _ = std::fs::remove_dir_all(&out);
    let t = Instant::now();
    let status = std::process::Command::new("/usr/bin/time")
        .args(["-f", "peak %M KB"])
        .arg(env!("CARGO_BIN_EXE_yuan"))
        .arg("cards")
        .arg(&root)
        .args(["--nup", "4"])
        .status();
    let whole = t.elapsed().as_secs_f64();
    match status {
        Ok(s) if s.success() => println!(
            "whole command (load + check + {built_n} PDFs + 4-up print file + HTML): {whole:.2} s"
        ),
        other => println!("whole command failed: {other:?}"),
    }
    let combined = std::fs::metadata(out.join("cards.pdf"))
        .map(|m| m.len())
        .unwrap_or(0);
    println!("print file cards.pdf: {} KB", combined / 1024);
}
