//! Cross-checks with independent external tools: poppler-utils (`pdftotext`, `pdfinfo`,
//! `pdffonts`, `pdftohtml`, `pdftoppm`) and zbar-tools (`zbarimg`) read the PDFs yuan writes
//! and must find what the other tests find with `common::pdf` (lopdf), the QR code on a
//! rendered card must decode to the configured address (or, without one, the duty number as
//! `tel:`), and Chromium printing the cards' HTML page must give each card its own A6 sheets.
//!
//! `cargo test` does not run these (it needs nothing but the Rust toolchain); `.ci/run` installs
//! the tools and runs them in its stage "cross-checks with external tools":
//!
//! ```sh
//! apt-get install poppler-utils zbar-tools chromium
//! cargo test --test external -- --ignored
//! ```

mod common;

use common::pdf::{self, Pdf};
use common::{copy_dir, flat, plans_copy, root, text_of};
use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output};

fn yuan(args: &[&str]) -> Output {
    common::run(args, &[("SOURCE_DATE_EPOCH", "1764547200")])
}

/// Runs `yuan CMD REPO --out <a new folder> EXTRA…`, which must succeed; the folder.
fn generate(cmd: &str, repo: &Path, extra: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("tempdir");
    let mut args = vec![cmd, s(repo), "--out", s(out.path())];
    args.extend_from_slice(extra);
    let o = yuan(&args);
    assert!(o.status.success(), "{}", text_of(&o));
    out
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Runs an external tool and returns its standard output (the tool must succeed).
fn tool<I, A>(cmd: &str, args: I) -> String
where
    I: IntoIterator<Item = A>,
    A: AsRef<OsStr>,
{
    let o = Command::new(cmd).args(args).output().unwrap_or_else(|e| {
        panic!("{cmd} must be installed (apt-get install poppler-utils zbar-tools): {e}")
    });
    assert!(
        o.status.success(),
        "{cmd} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `pdftotext <mode> pdf -`.
fn pdftotext(pdf: &Path, mode: &str) -> String {
    tool(
        "pdftotext",
        [OsStr::new(mode), pdf.as_os_str(), OsStr::new("-")],
    )
}

/// The page count and each page's size in points, as `pdfinfo` prints them.
fn pdfinfo_pages(pdf: &Path) -> (usize, Vec<String>) {
    let info = tool("pdfinfo", [pdf]);
    let n: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count");
    let per_page = tool(
        "pdfinfo",
        [
            OsStr::new("-f"),
            OsStr::new("1"),
            OsStr::new("-l"),
            OsStr::new(&n.to_string()),
            pdf.as_os_str(),
        ],
    );
    let sizes = per_page
        .lines()
        .filter(|l| l.starts_with("Page ") && l.contains(" size:"))
        .map(|l| {
            let v = l.split(" size:").nth(1).expect("size").trim();
            v.split(" pts").next().expect("pts").to_string()
        })
        .collect();
    (n, sizes)
}

/// The chars of `s` without white space, sorted: the same glyphs decoded to the same text,
/// whatever the order they were read in.
fn glyphs(s: &str) -> Vec<char> {
    let mut v: Vec<char> = flat(s).chars().collect();
    v.sort_unstable();
    v
}

/// Poppler and `common::pdf` read `path` alike: the same page count and page sizes, the same
/// text (every glyph decoded to the same character) and, in `mode`'s order, the same text
/// once white space is removed. Returns poppler's text.
fn agree(path: &Path, mode: &str) -> String {
    agree_in(path, mode, true)
}

/// [`agree`], without comparing the order when `in_order` is false: on an imposed sheet the
/// baselines of cards side by side differ by fractions of a point, and poppler and our reader
/// put such runs on one line or two differently.
fn agree_in(path: &Path, mode: &str, in_order: bool) -> String {
    let ours: Pdf = pdf::open(path);
    let (n, sizes) = pdfinfo_pages(path);
    assert_eq!(ours.pages.len(), n, "{}", path.display());
    assert_eq!(sizes.len(), n);
    for (p, theirs) in ours.pages.iter().zip(&sizes) {
        let want: Vec<f32> = theirs
            .split(" x ")
            .map(|v| v.trim().parse().expect("size"))
            .collect();
        assert!(
            (p.width - want[0]).abs() < 0.01 && (p.height - want[1]).abs() < 0.01,
            "{}: {} x {} vs pdfinfo {theirs}",
            path.display(),
            p.width,
            p.height
        );
    }
    let theirs = pdftotext(path, mode);
    let mine = if mode == "-raw" {
        ours.raw_text()
    } else {
        ours.text()
    };
    assert_eq!(
        glyphs(&mine),
        glyphs(&theirs),
        "{}: other glyphs than poppler's",
        path.display()
    );
    if !in_order {
        return theirs;
    }
    assert_eq!(
        flat(&mine),
        flat(&theirs),
        "{}: read in another order than pdftotext {mode}",
        path.display()
    );
    theirs
}

/// `pdffonts`: (name, embedded, subset, ToUnicode) of each font.
fn pdffonts(pdf: &Path) -> Vec<(String, bool, bool, bool)> {
    tool("pdffonts", [pdf])
        .lines()
        .skip(2)
        .map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            // name type… encoding emb sub uni object-id generation
            let n = cols.len();
            assert!(n >= 7, "{l}");
            let yes = |c: &str| c == "yes";
            (
                cols[0].to_string(),
                yes(cols[n - 5]),
                yes(cols[n - 4]),
                yes(cols[n - 3]),
            )
        })
        .collect()
}

fn good_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/good"), dir.path());
    dir
}

#[test]
#[ignore = "needs poppler-utils and zbar-tools"]
fn cards_read_by_poppler_as_by_our_reader() {
    let out = generate("cards", &root().join("plans"), &[]);
    let card = out.path().join("hd-card-reactor-operator.pdf");
    let text = flat(&agree(&card, "-layout"));
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
    let fonts = pdffonts(&card);
    assert!(
        !fonts.is_empty() && fonts.iter().all(|f| f.1 && f.2 && f.3),
        "fonts must be embedded, subset and have a ToUnicode map: {fonts:?}"
    );
    let ours = pdf::open(&card).fonts;
    let ours: Vec<(String, bool, bool, bool)> = ours
        .into_iter()
        .map(|f| (f.base_font, f.embedded, f.subset, f.to_unicode))
        .collect();
    let mut theirs = fonts;
    theirs.sort();
    let mut ours = ours;
    ours.sort();
    assert_eq!(ours, theirs);
    // the date comes from SOURCE_DATE_EPOCH
    assert!(tool("pdfinfo", [&card]).contains("2025"));

    // 4-up duplex print file and a two-sided card
    let out = generate(
        "cards",
        &root().join("plans"),
        &["--nup", "4", "--duplex", "--no-html"],
    );
    let sheets = out.path().join("cards.pdf");
    agree_in(&sheets, "-layout", false);
    let (n, sizes) = pdfinfo_pages(&sheets);
    assert_eq!(n, 4);
    assert!(sizes.iter().all(|s| s == "595.276 x 841.89"), "{sizes:?}");
    let card = out.path().join("hd-card-tankfarm-operator.pdf");
    agree(&card, "-layout");
    let front = flat(&tool(
        "pdftotext",
        [
            OsStr::new("-f"),
            OsStr::new("1"),
            OsStr::new("-l"),
            OsStr::new("1"),
            card.as_os_str(),
            OsStr::new("-"),
        ],
    ));
    assert!(front.contains("正面"));
    // the numbers are on the front of every card, duplex or not
    assert!(front.contains("立即报告"));
    // (pdftotext's default order, not -layout's: the same glyphs as our first page)
    assert_eq!(glyphs(&front), glyphs(&pdf::open(&card).pages[0].text()));

    // other sizes, and another font without a bold face
    let repo = good_copy();
    for (size, dims) in [("a5", "419.528 x 595.276"), ("pocket", "255.118 x 368.504")] {
        let out = generate("cards", repo.path(), &["--size", size]);
        let card = out.path().join("hd-card-reactor-operator.pdf");
        agree(&card, "-layout");
        assert!(tool("pdfinfo", [&card]).contains(dims), "{size}");
    }
    let font = root().join("assets/fonts/NotoSansSC-Regular.ttf");
    let out = generate("cards", repo.path(), &["--font", s(&font)]);
    let card = out.path().join("hd-card-reactor-operator.pdf");
    assert_eq!(pdffonts(&card).len(), 1, "one embedded face");
    assert_eq!(pdf::open(&card).fonts.len(), 1);
    assert!(flat(&agree(&card, "-layout")).contains("反应釜操作工｜火灾事故"));
}

#[test]
#[ignore = "needs poppler-utils and zbar-tools"]
fn the_qr_code_decodes_to_the_configured_address() {
    const WANT: &str =
        "https://yj.example.cn/plans/hd-onsite-reactor.html#hd-card-reactor-operator";
    let repo = good_copy();
    let cfg = repo.path().join("yuan.toml");
    let mut text = std::fs::read_to_string(&cfg).expect("config");
    text.push_str("\n[cards]\nurl = \"https://yj.example.cn/plans/{plan}.html#{card}\"\n");
    std::fs::write(&cfg, text).expect("write config");
    let out = generate("cards", repo.path(), &[]);
    let png = out.path().join("page");
    tool(
        "pdftoppm",
        [
            OsStr::new("-png"),
            OsStr::new("-r"),
            OsStr::new("200"),
            OsStr::new("-f"),
            OsStr::new("1"),
            OsStr::new("-l"),
            OsStr::new("1"),
            OsStr::new("-singlefile"),
            out.path().join("hd-card-reactor-operator.pdf").as_os_str(),
            png.as_os_str(),
        ],
    );
    let z = tool(
        "zbarimg",
        [
            OsStr::new("-q"),
            OsStr::new("--raw"),
            out.path().join("page.png").as_os_str(),
        ],
    );
    assert_eq!(z.trim(), WANT);
}

#[test]
#[ignore = "needs poppler-utils and zbar-tools"]
fn handbooks_read_by_poppler_as_by_our_reader() {
    let repo = plans_copy();
    let out = generate("handbook", repo.path(), &["--plan", "xj-flood"]);
    let f = flat(&agree(&out.path().join("xj-flood.pdf"), "-layout"));
    for want in [
        "湘江省防汛抗旱应急响应工作手册",
        "响应级别一览",
        "省防指常务副总指挥（省应急管理厅厅长）（牵头）",
        "值班0731-82218000",
        "防汛抗旱工作坚持人民至上",
        "—3—",
    ] {
        assert!(f.contains(want), "missing {want}");
    }
    let out = generate("handbook", repo.path(), &["--hazard", "hazchem"]);
    let f = flat(&agree(&out.path().join("hazard-hazchem.pdf"), "-layout"));
    assert!(f.contains("第一部分湘江省危险化学品事故应急预案"));
}

/// One text element of `pdftohtml -xml`: its 1-based page, font family and colour, the page
/// its link goes to (if any), and its text.
#[derive(Debug)]
struct PdfText {
    page: usize,
    family: String,
    color: String,
    link: Option<usize>,
    text: String,
}

/// The value of attribute `name` in the tag text `tag`.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[at..].split('"').next()
}

/// Every text element of `pdf` with its font, colour and link, as poppler reads them.
fn pdf_texts(pdf: &Path) -> Vec<PdfText> {
    let xml = tool(
        "pdftohtml",
        [
            OsStr::new("-xml"),
            OsStr::new("-i"),
            OsStr::new("-q"),
            OsStr::new("-stdout"),
            pdf.as_os_str(),
        ],
    );
    let mut fonts = std::collections::HashMap::new();
    let mut out = Vec::new();
    let mut page = 0;
    for line in xml.lines().map(str::trim) {
        if line.starts_with("<page ") {
            page = attr(line, "number")
                .and_then(|n| n.parse().ok())
                .expect("page");
        } else if line.starts_with("<fontspec ") {
            let id = attr(line, "id").expect("id").to_string();
            let family = attr(line, "family").expect("family").to_string();
            let color = attr(line, "color").expect("color").to_string();
            fonts.insert(id, (family, color));
        } else if line.starts_with("<text ") {
            let (family, color) = fonts[attr(line, "font").expect("font")].clone();
            let link = attr(line, "href")
                .and_then(|h| h.rsplit('#').next())
                .and_then(|n| n.parse().ok());
            let inner = &line[line.find('>').expect("tag") + 1..];
            let mut text = String::new();
            let mut in_tag = false;
            for c in inner.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            out.push(PdfText {
                page,
                family,
                color,
                link,
                text,
            });
        }
    }
    out
}

/// The blue texts of `texts` from page `after` + 1 on, consecutive pieces of one link joined.
fn blue_links(
    texts: impl Iterator<Item = (usize, String, String, Option<usize>)>,
    after: usize,
) -> Vec<(String, Option<usize>)> {
    let mut links: Vec<(String, Option<usize>)> = Vec::new();
    let mut last_blue = false;
    for (_, color, text, link) in texts.filter(|x| x.0 > after) {
        let blue = color == "#0055a0";
        match links.last_mut() {
            Some((t, l)) if blue && last_blue && *l == link => t.push_str(&text),
            _ if blue => links.push((text, link)),
            _ => {}
        }
        last_blue = blue;
    }
    links
}

/// tests/handbook.rs `pdf_plan_text_has_bold_runs_and_links_to_the_right_pages` as poppler's
/// `pdftohtml` reads the book, and the links it finds are the links `common::pdf` finds.
#[test]
#[ignore = "needs poppler-utils and zbar-tools"]
fn handbook_bold_runs_and_links_as_poppler_reads_them() {
    let repo = plans_copy();
    let out = generate("handbook", repo.path(), &["--hazard", "flood"]);
    let book = out.path().join("hazard-flood.pdf");
    agree(&book, "-layout");
    let texts = pdf_texts(&book);
    let find = |t: &str| {
        texts
            .iter()
            .find(|x| x.text == t)
            .unwrap_or_else(|| panic!("{t} not drawn alone"))
    };
    let bold = find("堤防险情");
    assert!(bold.family.starts_with("YUANBD+"), "{bold:?}");
    let rest = texts
        .iter()
        .find(|x| x.page == bold.page && x.text.starts_with("：属地防指组织抢护"))
        .expect("the rest of the item");
    assert!(rest.family.starts_with("YUANRG+"), "{rest:?}");
    let page_of = |t: &str, from: usize| {
        texts
            .iter()
            .find(|x| x.page >= from && x.text.contains(t))
            .unwrap_or_else(|| panic!("{t} not drawn"))
            .page
    };
    let res = find("水利工程抢险专业队");
    assert_eq!(res.color, "#0055a0", "{res:?}");
    let city = page_of("第二部分", 3);
    assert_eq!(
        res.link,
        Some(page_of("云州市水利工程抢险专业队", city)),
        "{res:?}"
    );
    let links = blue_links(
        texts
            .iter()
            .map(|x| (x.page, x.color.clone(), x.text.clone(), x.link)),
        city,
    );
    let up = links
        .iter()
        .find(|(t, _)| t == "湘江省防汛抗旱应急预案")
        .expect("a link up to the province plan");
    let province = page_of("第一部分", 3);
    let text = page_of("预案正文", province);
    assert_eq!(up.1, Some(page_of("4 应急响应", text)), "{up:?}");
    assert!(texts
        .iter()
        .any(|x| x.text.contains("云州市突发事件总体应急预案") && x.color == "#000000"));
    assert!(!links
        .iter()
        .any(|(t, _)| t.contains("云州市突发事件总体应急预案")));
    let last = texts.last().expect("text").page;
    assert!(links
        .iter()
        .all(|(_, l)| l.is_some_and(|p| p >= 1 && p <= last)));

    // our reader finds the same links (texts with white space removed, as pdftohtml splits
    // and joins elements differently) going to the same pages
    let ours = pdf::open(&book);
    let mine = blue_links(
        ours.runs()
            .filter(|(_, r)| !r.text.is_empty())
            .map(|(p, r)| (p, r.color.clone(), r.text.clone(), r.link_page())),
        city,
    );
    let norm = |v: &[(String, Option<usize>)]| -> Vec<(String, Option<usize>)> {
        v.iter().map(|(t, l)| (flat(t), *l)).collect()
    };
    assert_eq!(norm(&mine), norm(&links));
}

#[test]
#[ignore = "needs poppler-utils and zbar-tools"]
fn schedules_and_packs_read_by_poppler_as_by_our_reader() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let o = common::run(
        &[
            "drills",
            "schedule",
            s(&root().join("plans")),
            "--from",
            "2027-01",
            "--months",
            "24",
            "--out",
            s(tmp.path()),
        ],
        &[("SOURCE_DATE_EPOCH", "1795000000")],
    );
    assert!(o.status.success(), "{}", text_of(&o));
    for f in ["schedule.pdf", "schedule-coordinators.pdf"] {
        agree(&tmp.path().join(f), "-layout");
    }
    let repo = plans_copy();
    let out = tempfile::tempdir().expect("tempdir");
    let o = yuan(&[
        "drills",
        "pack",
        "dr-2026-xj-geo",
        s(repo.path()),
        "--out",
        s(out.path()),
        "--copy",
        "controllers",
        "--format",
        "pdf",
    ]);
    assert!(o.status.success(), "{}", text_of(&o));
    let f = flat(&agree(
        &out.path().join("dr-2026-xj-geo-controllers.pdf"),
        "-raw",
    ));
    assert!(f.contains("2026年湘江省地质灾害应急综合演练"));
    assert!(f.contains("演练脚本"));
}

/// Without `[cards] url`, the QR code of a card dials the enterprise's own emergency line: the
/// phone that scans it opens the dialler, not an internal token.
#[test]
#[ignore = "needs poppler-utils and zbar-tools"]
fn the_qr_code_without_an_address_dials_the_duty_number() {
    let out = generate("cards", good_copy().path(), &[]);
    let png = out.path().join("page");
    tool(
        "pdftoppm",
        [
            OsStr::new("-png"),
            OsStr::new("-r"),
            OsStr::new("200"),
            OsStr::new("-singlefile"),
            out.path().join("hd-card-reactor-operator.pdf").as_os_str(),
            png.as_os_str(),
        ],
    );
    let z = tool(
        "zbarimg",
        [
            OsStr::new("-q"),
            OsStr::new("--raw"),
            out.path().join("page.png").as_os_str(),
        ],
    );
    assert_eq!(z.trim(), "tel:0745-6628119");
}

/// Printing `cards.html` in Chromium gives each card its own sheets at the card's size: the
/// six sample cards, which continue on the back at 9 pt as their PDFs do, print as twelve A6
/// pages, each card starting on a new one (they printed as 26 pages, cards running into each
/// other).
#[test]
#[ignore = "needs chromium"]
fn printing_the_cards_page_gives_each_card_its_own_sheets() {
    let repo = plans_copy();
    let out = generate("cards", repo.path(), &[]);
    let print = out.path().join("print.pdf");
    let profile = out.path().join("chromium-profile");
    let page = format!("file://{}", s(&out.path().join("cards.html")));
    let printed = format!("--print-to-pdf={}", s(&print));
    let profile = format!("--user-data-dir={}", s(&profile));
    tool(
        "chromium",
        [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
            &profile,
            &printed,
            &page,
        ],
    );
    let read = pdf::open(&print);
    let cards = 6;
    assert!(read.pages.len() <= 2 * cards, "{} pages", read.pages.len());
    // A6 (105 x 148 mm) to Chromium's rounding
    for p in &read.pages {
        assert!((p.width - 297.6).abs() < 1.5 && (p.height - 419.5).abs() < 1.5);
    }
    let starts = (read.pages.iter())
        .filter(|p| flat(&p.text()).contains("应急处置卡"))
        .count();
    assert_eq!(starts, cards, "each card starts a page of its own");
}
