//! `yuan cards` from the outside: PDFs whose text comes back, layout snapshots, fitting and
//! overflow, missing glyphs, escaping in the HTML page, imposition, byte-identical reruns.
//!
//! PDFs are read with `common::pdf` (lopdf; no external tool); the QR code is checked against
//! the layout model. tests/external.rs cross-checks with poppler-utils and zbar-tools.

mod common;

use common::pdf::{self, pages};
use common::{copy_dir, flat, root, text_of};
use std::path::Path;
use std::process::Output;

fn yuan(args: &[&str]) -> Output {
    common::run(args, &[("SOURCE_DATE_EPOCH", "1764547200")])
}

/// A copy of the good fixture outside any git repository.
fn good_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/good"), dir.path());
    dir
}

#[test]
fn sample_cards_come_back_as_text_with_steps_and_phone_numbers() {
    let out = tempfile::tempdir().expect("tempdir");
    let o = yuan(&[
        "cards",
        root().join("plans").to_str().expect("utf-8"),
        "--out",
        out.path().to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", text_of(&o));
    let pdf = out.path().join("hd-card-reactor-operator.pdf");
    let size = std::fs::metadata(&pdf).expect("card pdf").len();
    assert!(size < 150_000, "an A6 card is {size} bytes");
    let text = flat(&pdf::text(&pdf));
    for expected in [
        "反应釜操作工｜火灾事故",
        "按下该釜现场紧急停车按钮",
        "XV-101A",
        "TI-101≥95℃",
        "119",
        "0745-6628119",
        "0745-6628131",
        "东门应急集合点",
        "是→第5步",
        "卡号hd-card-reactor-operator",
        "预案hd-onsite-reactor",
    ] {
        assert!(text.contains(expected), "{expected} missing from\n{text}");
    }
    for f in ["cards.pdf", "cards.html"] {
        assert!(out.path().join(f).is_file(), "{f}");
    }
    let fonts = pdf::open(&pdf).fonts;
    assert!(!fonts.is_empty());
    assert!(
        fonts.iter().all(|f| f.embedded && f.subset && f.to_unicode),
        "fonts must be embedded, subset and have a ToUnicode map:\n{fonts:?}"
    );
}

#[test]
fn reruns_give_identical_bytes_and_leave_no_temporary_files() {
    let repo = good_copy();
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    for out in [&a, &b] {
        let o = yuan(&[
            "cards",
            repo.path().to_str().expect("utf-8"),
            "--out",
            out.path().to_str().expect("utf-8"),
            "--nup",
            "4",
        ]);
        assert!(o.status.success(), "{}", text_of(&o));
    }
    let mut names: Vec<_> = std::fs::read_dir(a.path())
        .expect("ls")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "cards.html",
            "cards.pdf",
            "hd-card-reactor-operator.pdf",
            "yuan-manifest.json"
        ]
    );
    for n in &names {
        let x = std::fs::read(a.path().join(n)).expect("read");
        let y = std::fs::read(b.path().join(n)).expect("read");
        assert!(x == y, "{n} differs between runs");
    }
    // the date comes from SOURCE_DATE_EPOCH (2025-12-01 00:00 UTC), not the clock
    let info = pdf::open(&a.path().join("cards.pdf")).info;
    let created = info.get("CreationDate").expect("CreationDate");
    assert!(created.starts_with("D:20251201"), "{created}");
    // not PDF/X (no output intent): the file must not claim it
    assert!(!info.contains_key("GTS_PDFXVersion"), "{info:?}");
}

/// `yuan cards plans --nup N --duplex` into a new folder: 6 two-sided cards, N to an A4 sheet
/// (595.276 x 841.89 pt), so 2 sheets, front and back, for N of 3 or 4.
fn n_up(n: &str) -> (tempfile::TempDir, Output) {
    let out = tempfile::tempdir().expect("tempdir");
    let o = yuan(&[
        "cards",
        root().join("plans").to_str().expect("utf-8"),
        "--out",
        out.path().to_str().expect("utf-8"),
        "--nup",
        n,
        "--duplex",
        "--no-html",
    ]);
    assert!(o.status.success(), "{}", text_of(&o));
    assert_eq!(pages(&out.path().join("cards.pdf")), 4);
    for p in &pdf::open(&out.path().join("cards.pdf")).pages {
        assert_size(p, (595.276, 841.89));
    }
    (out, o)
}

#[test]
fn four_up_puts_four_cards_on_a4_and_duplex_has_two_sides() {
    let (out, _) = n_up("4");
    let card = out.path().join("hd-card-tankfarm-operator.pdf");
    assert_eq!(pages(&card), 2);
    assert!(!out.path().join("cards.html").exists());
    // steps and the numbers on the front, cautions on the back
    let sides = pdf::open(&card).pages;
    let (front, back) = (flat(&sides[0].text()), flat(&sides[1].text()));
    assert!(front.contains("正面"), "{front}");
    assert!(
        front.contains("立即报告") && front.contains("119"),
        "{front}"
    );
    assert!(!back.contains("立即报告"), "{back}");
    assert!(back.contains("注意事项"), "{back}");
}

/// Three A6 cards fit on A4 (a 2 x 2 grid, one slot empty): `--nup 3` used to say they did not.
#[test]
fn three_up_leaves_a_slot_empty_instead_of_refusing() {
    let (_, o) = n_up("3");
    assert!(!text_of(&o).contains("放不下"), "{}", text_of(&o));
}

#[test]
fn a5_and_pocket_sizes() {
    let repo = good_copy();
    for (size, dims) in [("a5", (419.528, 595.276)), ("pocket", (255.118, 368.504))] {
        let out = tempfile::tempdir().expect("tempdir");
        let o = yuan(&[
            "cards",
            repo.path().to_str().expect("utf-8"),
            "--out",
            out.path().to_str().expect("utf-8"),
            "--size",
            size,
        ]);
        assert!(o.status.success(), "{}", text_of(&o));
        let card = pdf::open(&out.path().join("hd-card-reactor-operator.pdf"));
        for p in &card.pages {
            assert_size(p, dims);
        }
    }
}

/// The page is `want` points (width, height), to the 0.001 pt that `pdfinfo` prints.
fn assert_size(p: &pdf::PdfPage, want: (f32, f32)) {
    assert!(
        (p.width - want.0).abs() < 0.001 && (p.height - want.1).abs() < 0.001,
        "page is {} x {} pt, not {} x {}",
        p.width,
        p.height,
        want.0,
        want.1
    );
}

fn edit_card(repo: &Path, f: impl Fn(String) -> String) {
    let p = repo.join("enterprise/hd-card-reactor-operator.md");
    let text = std::fs::read_to_string(&p).expect("read");
    std::fs::write(&p, f(text)).expect("write");
}

#[test]
fn a_long_card_shrinks_then_continues_on_the_back() {
    let repo = good_copy();
    edit_card(repo.path(), |t| {
        t.replace(
            "从上风向用干粉灭火器扑救",
            &"从上风向用干粉灭火器扑救，流淌火用泡沫覆盖，不得使用直流水。".repeat(6),
        )
    });
    let out = tempfile::tempdir().expect("tempdir");
    let o = yuan(&[
        "cards",
        repo.path().to_str().expect("utf-8"),
        "--out",
        out.path().to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", text_of(&o));
    assert!(text_of(&o).contains("续印在背面"), "{}", text_of(&o));
    let pdf = out.path().join("hd-card-reactor-operator.pdf");
    assert_eq!(pages(&pdf), 2);
    // nothing cut: every repetition is there
    let text = flat(&pdf::text(&pdf));
    assert_eq!(text.matches("不得使用直流水").count(), 6, "{text}");
}

#[test]
fn a_card_that_cannot_fit_fails_with_how_much_is_over() {
    let repo = good_copy();
    edit_card(repo.path(), |t| {
        t.replace(
            "从上风向用干粉灭火器扑救",
            &"从上风向用干粉灭火器扑救，流淌火用泡沫覆盖，不得使用直流水。".repeat(60),
        )
    });
    let out = tempfile::tempdir().expect("tempdir");
    let o = yuan(&[
        "cards",
        repo.path().to_str().expect("utf-8"),
        "--out",
        out.path().to_str().expect("utf-8"),
        "--lang",
        "zh",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text_of(&o));
    let t = text_of(&o);
    assert!(t.contains("G902"), "{t}");
    assert!(t.contains("毫米"), "{t}");
    // it points at the longest step, the one to shorten (it used to point at `steps:`)
    assert!(t.contains("hd-card-reactor-operator.md:20"), "{t}");
    assert!(t.contains("最长的是第 3 步"), "{t}");
    assert!(!out.path().join("hd-card-reactor-operator.pdf").exists());
}

#[test]
fn a_character_the_font_lacks_is_named_with_its_line() {
    let repo = good_copy();
    // U+2F81F: a CJK compatibility ideograph the built-in GB2312 subset does not have
    edit_card(repo.path(), |t| t.replace("防火服", "防火服\u{2F81F}"));
    let out = tempfile::tempdir().expect("tempdir");
    let o = yuan(&[
        "cards",
        repo.path().to_str().expect("utf-8"),
        "--out",
        out.path().to_str().expect("utf-8"),
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let t = text_of(&o);
    assert!(t.contains("error[G901]"), "{t}");
    assert!(t.contains("U+2F81F"), "{t}");
    assert!(t.contains("hd-card-reactor-operator.md:26"), "{t}");
    assert!(t.contains("--font"), "{t}");
}

#[test]
fn a_card_with_check_errors_is_not_printed() {
    let repo = good_copy();
    edit_card(repo.path(), |t| {
        t.replace("report_to: [hd-duty]", "report_to: [hd-nobody]")
    });
    let out = tempfile::tempdir().expect("tempdir");
    let o = yuan(&[
        "cards",
        repo.path().to_str().expect("utf-8"),
        "--out",
        out.path().to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text_of(&o).contains("R401"), "{}", text_of(&o));
    assert!(!out.path().join("hd-card-reactor-operator.pdf").exists());
}

#[test]
fn html_escapes_plan_text_and_is_self_contained() {
    let repo = good_copy();
    edit_card(repo.path(), |t| {
        t.replace(
            "risk: 反应釜超温超压，可能引发火灾。",
            "risk: \"<script>alert('x')</script><img src=x onerror=alert(1)>超温\"",
        )
    });
    let out = tempfile::tempdir().expect("tempdir");
    let o = yuan(&[
        "cards",
        repo.path().to_str().expect("utf-8"),
        "--out",
        out.path().to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", text_of(&o));
    let html = std::fs::read_to_string(out.path().join("cards.html")).expect("html");
    assert!(!html.contains("<script"), "unescaped script");
    assert!(!html.contains("<img"), "unescaped markup");
    assert!(html.contains("&lt;script&gt;"));
    assert!(!html.contains("http://") || html.contains("http://www.w3.org/2000/svg"));
    assert!(html.contains("href=\"tel:0745-6628119\""));
    assert!(html.contains("<svg"), "QR code inline");
}

#[test]
fn unknown_selection_is_an_error_not_an_empty_run() {
    let o = yuan(&[
        "cards",
        root().join("plans").to_str().expect("utf-8"),
        "--card",
        "no-such-card",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text_of(&o).contains("kind: card"));
}

/// The layout model of the fixture card, before any PDF: boxes, lines, sizes, positions.
#[test]
fn layout_snapshot_of_the_fixture_card() {
    use yuan::cards::{self, layout, CardSize};
    use yuan::render::font::Fonts;
    let repo = good_copy();
    let loaded = yuan::load::load(repo.path()).expect("load");
    let doc = loaded
        .corpus
        .docs
        .iter()
        .find(|d| d.id.as_deref() == Some("hd-card-reactor-operator"))
        .expect("card");
    let card = doc.card().expect("card meta");
    let view = cards::content::build(&loaded.corpus, &loaded.config, doc, card, "test");
    let fonts = Fonts::builtin().expect("font");
    let laid = layout::layout(
        &fonts,
        &view,
        layout::Options {
            size: CardSize::A6,
            duplex: false,
        },
    )
    .expect("layout")
    .expect("fits");
    assert_eq!(
        laid.pages.len(),
        1,
        "the short fixture card fits on the front"
    );
    // QR modules (black squares) are summarised: the QR test is in render::qr
    let full: String = laid.pages.iter().map(|p| p.dump()).collect();
    let modules = full.lines().filter(|l| l.ends_with("fill #000000")).count();
    let mut dump: String = full
        .lines()
        .filter(|l| !l.ends_with("fill #000000"))
        .map(|l| format!("{l}\n"))
        .collect();
    dump.push_str(&format!("qr: {} runs of dark modules\n", modules));
    assert!(modules > 50);
    // office notes (grey: footer, clause) are 7 pt; what a worker reads at least 9 pt
    for p in &laid.pages {
        for i in &p.items {
            if let yuan::render::layout::Item::Text { size, color, .. } = i {
                let floor = if *color == yuan::render::layout::Color::GREY {
                    7.0
                } else {
                    9.0
                };
                assert!(*size >= floor, "{i:?}");
            }
        }
    }
    insta::assert_snapshot!("card_layout_a6", dump);
}

/// The dark modules of a page of the layout model (the QR code is the only black fill), as
/// (x, y, w, h) in mm from the top left.
fn dark_modules(page: &yuan::render::layout::Page) -> Vec<[f32; 4]> {
    use yuan::render::layout::{Color, Item};
    page.items
        .iter()
        .filter_map(|i| match i {
            Item::Rect {
                x,
                y,
                w,
                h,
                fill: Some(Color::BLACK),
                ..
            } => Some([*x, *y, *w, *h]),
            _ => None,
        })
        .collect()
}

/// The QR code's square (white, with the quiet zone, holding every module): (x, y, side).
fn qr_square(page: &yuan::render::layout::Page, modules: &[[f32; 4]]) -> (f32, f32, f32) {
    use yuan::render::layout::{Color, Item};
    page.items
        .iter()
        .find_map(|i| match i {
            Item::Rect {
                x,
                y,
                w,
                h,
                fill: Some(Color::WHITE),
                ..
            } if w == h
                && modules.iter().all(|m| {
                    m[0] >= *x
                        && m[1] >= *y
                        && m[0] + m[2] <= x + w + 0.02
                        && m[1] + m[3] <= y + h + 0.02
                }) =>
            {
                Some((*x, *y, *w))
            }
            _ => None,
        })
        .expect("the QR code's square")
}

fn same_rects(a: &[[f32; 4]], b: &[[f32; 4]], tolerance: f32) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(p, q)| p.iter().zip(q).all(|(u, v)| (u - v).abs() <= tolerance))
}

/// What the QR code of a card encodes, from the layout model: the card's QR text is the
/// configured address, the layout draws exactly the modules of that text encoded, and the
/// PDF fills exactly those modules (tests/external.rs decodes the rendered page with zbarimg).
#[test]
fn the_qr_code_encodes_the_configured_address() {
    use yuan::cards::{self, layout, CardSize};
    use yuan::render::font::{Fonts, PT_TO_MM};
    use yuan::render::qr;
    const WANT: &str =
        "https://yj.example.cn/plans/hd-onsite-reactor.html#hd-card-reactor-operator";
    let repo = good_copy();
    let cfg = repo.path().join("yuan.toml");
    let mut text = std::fs::read_to_string(&cfg).expect("config");
    text.push_str("\n[cards]\nurl = \"https://yj.example.cn/plans/{plan}.html#{card}\"\n");
    std::fs::write(&cfg, text).expect("write config");
    let out = tempfile::tempdir().expect("tempdir");
    let o = yuan(&[
        "cards",
        repo.path().to_str().expect("utf-8"),
        "--out",
        out.path().to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", text_of(&o));

    // the layout model of the card, as `yuan cards` builds it
    let loaded = yuan::load::load(repo.path()).expect("load");
    let doc = loaded
        .corpus
        .docs
        .iter()
        .find(|d| d.id.as_deref() == Some("hd-card-reactor-operator"))
        .expect("card");
    let card = doc.card().expect("card meta");
    let view = cards::content::build(&loaded.corpus, &loaded.config, doc, card, "uncommitted");
    assert_eq!(view.qr, WANT);
    let laid = layout::layout(
        &Fonts::builtin().expect("font"),
        &view,
        layout::Options {
            size: CardSize::A6,
            duplex: false,
        },
    )
    .expect("layout")
    .expect("fits");
    let page = &laid.pages[0];
    let modules = dark_modules(page);
    let square = qr_square(page, &modules);
    let code = qr::Matrix::encode(WANT).expect("encode");
    let drawn = |code: &qr::Matrix| {
        let mut p = yuan::render::layout::Page::new(page.width, page.height);
        p.items = qr::draw(code, square.0, square.1, square.2);
        dark_modules(&p)
    };
    assert!(
        same_rects(&modules, &drawn(&code), 1e-4),
        "the card does not draw the modules of {WANT}"
    );
    // (the comparison tells codes apart: another card's address gives other modules)
    let other =
        qr::Matrix::encode(&WANT.replace("reactor-operator", "tankfarm-operator")).expect("encode");
    assert!(!same_rects(&modules, &drawn(&other), 1e-4));

    // the PDF fills exactly those modules, in black (points from the bottom left -> mm)
    let pdf = pdf::open(&out.path().join("hd-card-reactor-operator.pdf"));
    let p = &pdf.pages[0];
    let filled: Vec<[f32; 4]> = p
        .rects
        .iter()
        .filter(|r| r.color == "#000000")
        .map(|r| {
            [
                r.x * PT_TO_MM,
                (p.height - r.y - r.h) * PT_TO_MM,
                r.w * PT_TO_MM,
                r.h * PT_TO_MM,
            ]
        })
        .collect();
    assert!(modules.len() > 50);
    assert!(
        same_rects(&filled, &modules, 0.01),
        "the PDF's black rectangles are not the layout's QR modules: {} vs {}",
        filled.len(),
        modules.len()
    );
}

#[test]
fn another_font_without_bold_draws_synthetic_bold() {
    let repo = good_copy();
    let font = root().join("assets/fonts/NotoSansSC-Regular.ttf");
    let out = tempfile::tempdir().expect("tempdir");
    let o = yuan(&[
        "cards",
        repo.path().to_str().expect("utf-8"),
        "--out",
        out.path().to_str().expect("utf-8"),
        "--font",
        font.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", text_of(&o));
    let pdf = out.path().join("hd-card-reactor-operator.pdf");
    let read = pdf::open(&pdf);
    assert_eq!(read.fonts.len(), 1, "one embedded face:\n{:?}", read.fonts);
    assert!(read.fonts[0].embedded, "{:?}", read.fonts);
    assert!(flat(&read.text()).contains("反应釜操作工｜火灾事故"));
    // a font file that is not there is a clear error, exit 2
    let o = yuan(&[
        "cards",
        repo.path().to_str().expect("utf-8"),
        "--out",
        out.path().to_str().expect("utf-8"),
        "--font",
        "/nonexistent/fz.ttf",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text_of(&o).contains("/nonexistent/fz.ttf"));
}

/// The default output folder is inside the plan repository (`DIR/out/cards`): git ignores it
/// from the first run (`out/.gitignore`), as it does `.yuan-cache/`, and a `.gitignore` the
/// repository already keeps there is left as it is.
#[test]
fn the_default_output_folder_is_ignored_by_git_from_the_first_run() {
    let repo = common::plans_copy();
    let git = git2::Repository::init(repo.path()).expect("git init");
    let o = yuan(&["cards", repo.path().to_str().expect("utf-8"), "--no-html"]);
    assert!(o.status.success(), "{}", text_of(&o));
    assert!(repo.path().join("out/cards/cards.pdf").exists());
    let ignore =
        std::fs::read_to_string(repo.path().join("out/.gitignore")).expect("out/.gitignore");
    assert!(ignore.lines().any(|l| l == "*"), "{ignore}");
    let mut opts = git2::StatusOptions::new();
    opts.include_untracked(true).recurse_untracked_dirs(true);
    let untracked: Vec<String> = git
        .statuses(Some(&mut opts))
        .expect("status")
        .iter()
        .filter_map(|e| e.path().ok().map(str::to_string))
        .filter(|p| p.starts_with("out/"))
        .collect();
    assert!(untracked.is_empty(), "{untracked:?}");
    // a repository's own out/.gitignore stays as it is
    std::fs::write(repo.path().join("out/.gitignore"), "cards/\n").expect("write");
    let o = yuan(&["cards", repo.path().to_str().expect("utf-8"), "--no-html"]);
    assert!(o.status.success(), "{}", text_of(&o));
    assert_eq!(
        std::fs::read_to_string(repo.path().join("out/.gitignore")).expect("read"),
        "cards/\n"
    );
    // an explicit --out elsewhere gets no .gitignore
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let out = elsewhere.path().join("print");
    let o = yuan(&[
        "cards",
        repo.path().to_str().expect("utf-8"),
        "--no-html",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", text_of(&o));
    assert!(!elsewhere.path().join(".gitignore").exists());
    assert!(!out.join(".gitignore").exists());
}

/// When every card fails its schema (F003), the run fails on that finding (exit 1), as a
/// repository problem; it used to say "no card matches" and exit 2, as if yuan could not run.
#[test]
fn cards_that_all_fail_their_schema_are_a_repository_problem() {
    let repo = good_copy();
    let card = repo.path().join("enterprise/hd-card-reactor-operator.md");
    let text = std::fs::read_to_string(&card).expect("card");
    let post = text
        .lines()
        .find(|l| l.starts_with("post:"))
        .expect("post line")
        .to_string();
    std::fs::write(&card, text.replacen(&post, "post: [反应釜操作工]", 1)).expect("write");
    let out = tempfile::tempdir().expect("tempdir");
    let o = yuan(&[
        "cards",
        repo.path().to_str().expect("utf-8"),
        "--out",
        out.path().to_str().expect("utf-8"),
        "--lang",
        "en",
    ]);
    let t = text_of(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("F003"), "{t}");
    assert!(!t.contains("no disposal card"), "{t}");
    assert!(!out.path().join("cards.pdf").exists(), "{t}");
}

/// Without `[cards] url`, the QR code dials the enterprise's own emergency line (`tel:`): a
/// phone that scans it opens the dialler. It used to carry `YUAN:plan=…;card=…`, an internal
/// token no phone can use. The layout draws exactly the modules of that payload.
#[test]
fn without_an_address_the_qr_code_dials_the_duty_number() {
    use yuan::cards::{self, layout, CardSize};
    use yuan::render::font::Fonts;
    use yuan::render::qr;
    let repo = good_copy();
    let loaded = yuan::load::load(repo.path()).expect("load");
    let doc = (loaded.corpus.docs.iter())
        .find(|d| d.id.as_deref() == Some("hd-card-reactor-operator"))
        .expect("card");
    let card = doc.card().expect("card meta");
    let view = cards::content::build(&loaded.corpus, &loaded.config, doc, card, "uncommitted");
    // emergency_numbers: ["119", "0745-6628119"]: the first that is not a national number
    assert_eq!(view.qr, "tel:0745-6628119");
    let opts = layout::Options {
        size: CardSize::A6,
        duplex: false,
    };
    let fonts = Fonts::builtin().expect("font");
    let laid = layout::layout(&fonts, &view, opts)
        .expect("layout")
        .expect("fits");
    let page = laid.pages.last().expect("a page");
    let modules = dark_modules(page);
    let (x, y, side) = qr_square(page, &modules);
    let drawn = |payload: &str| {
        let code = qr::Matrix::encode(payload).expect("encode");
        let mut p = yuan::render::layout::Page::new(page.width, page.height);
        p.items = qr::draw(&code, x, y, side);
        dark_modules(&p)
    };
    assert!(same_rects(&modules, &drawn("tel:0745-6628119"), 1e-3));
    assert!(!same_rects(&modules, &drawn("tel:0745-6628131"), 1e-3));
}
