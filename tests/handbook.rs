//! `yuan handbook` from the outside: the HTML of a sample handbook (snapshot), the PDF's text
//! (level matrix, role checklists, contacts), a hazard's vertical chain, escaping of a hostile
//! plan, missing glyphs, the official style and byte-identical reruns.
//!
//! PDFs are read with `common::pdf` (lopdf; no external tool); tests/external.rs cross-checks
//! with poppler-utils.

mod common;

use common::pdf::{self, pages};
use common::{copy_dir, flat, root, text_of};
use std::path::Path;
use std::process::Output;

fn yuan(args: &[&str]) -> Output {
    common::run(args, &[("SOURCE_DATE_EPOCH", "1764547200")])
}

/// A copy of the sample plans outside any git repository (so the source reads `uncommitted`).
fn plans_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("plans"), dir.path());
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn handbook(repo: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["handbook", s(repo), "--out", s(out)];
    args.extend_from_slice(extra);
    yuan(&args)
}

/// The HTML handbook of xj-flood in `repo` (the run must succeed).
fn xj_flood_html(repo: &Path) -> String {
    let out = tempfile::tempdir().expect("tempdir");
    let o = handbook(
        repo,
        out.path(),
        &["--plan", "xj-flood", "--format", "html"],
    );
    assert!(o.status.success(), "{}", text_of(&o));
    assert!(!out.path().join("xj-flood.pdf").exists());
    std::fs::read_to_string(out.path().join("xj-flood.html")).expect("html")
}

fn edit(path: &Path, f: impl Fn(String) -> String) {
    let text = std::fs::read_to_string(path).expect("read");
    std::fs::write(path, f(text)).expect("write");
}

#[test]
fn sample_handbook_html_snapshot() {
    let repo = plans_copy();
    let html = xj_flood_html(repo.path());
    // self-contained: no scripts, no external style sheets or images
    assert!(!html.contains("<script") && !html.contains("<link") && !html.contains("<img"));
    assert!(html.contains("@media print"));
    // the snapshot starts after the style sheet
    let body = html.split("</style>").nth(1).expect("style");
    insta::assert_snapshot!("xj_flood_html", body);
}

#[test]
fn pdf_text_has_the_matrix_role_checklists_and_contacts() {
    let repo = plans_copy();
    let out = tempfile::tempdir().expect("tempdir");
    let o = handbook(repo.path(), out.path(), &["--plan", "xj-flood"]);
    assert!(o.status.success(), "{}", text_of(&o));
    let pdf = out.path().join("xj-flood.pdf");
    let text = pdf::text(&pdf);
    let f = flat(&text);
    for want in [
        // cover
        "湘江省防汛抗旱应急响应工作手册",
        "XJ-YA-2025-02",
        "uncommitted",
        // contents and matrix
        "目录",
        "响应级别一览",
        "启动条件",
        "Ⅱ级",
        "二级应急响应",
        // per-role checklists of level II
        "各级响应岗位行动清单",
        "省防指常务副总指挥（省应急管理厅厅长）（牵头）",
        "实行领导带班、24小时加强值班",
        "加密水文测报至每2小时一次",
        // reporting flow, warnings
        "信息报告流程",
        "30分钟内",
        "红色预警",
        // contacts: duty phone first
        "通讯录",
        "湘江省人民政府总值班室",
        "值班0731-82218000",
        // resources, linked plans, history, plan text
        "湘江省防汛抢险机动支队",
        "相关预案",
        "修订记录",
        "GFZB-BA-2025-043",
        "预案正文",
        "防汛抗旱工作坚持人民至上",
    ] {
        assert!(f.contains(want), "missing {want} in:\n{text}");
    }
    // level matrix and checklists come before the plan text
    let pos = |t: &str| f.find(t).expect(t);
    assert!(pos("响应级别一览") < pos("通讯录"));
    assert!(pos("实行领导带班") < pos("防汛抗旱工作坚持人民至上"));
    assert!(pages(&pdf) >= 8);
    // running header and page numbers
    assert!(flat(&text).contains("—3—"), "{text}");
}

#[test]
fn same_input_gives_the_same_bytes() {
    let repo = plans_copy();
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    for out in [&a, &b] {
        let o = handbook(repo.path(), out.path(), &["--hazard", "flood"]);
        assert!(o.status.success(), "{}", text_of(&o));
    }
    for f in ["hazard-flood.pdf", "hazard-flood.html"] {
        let x = std::fs::read(a.path().join(f)).expect("a");
        let y = std::fs::read(b.path().join(f)).expect("b");
        assert!(x == y, "{f} differs between runs");
    }
}

#[test]
fn hazard_chain_runs_province_city_county_then_enterprises() {
    let repo = plans_copy();
    let out = tempfile::tempdir().expect("tempdir");
    let o = handbook(repo.path(), out.path(), &["--hazard", "hazchem"]);
    assert!(o.status.success(), "{}", text_of(&o));
    let html = std::fs::read_to_string(out.path().join("hazard-hazchem.html")).expect("html");
    let order = [
        "id=\"plan-xj-hazchem\"",
        "id=\"plan-qx-hazchem\"",
        "id=\"plan-hd-comprehensive\"",
        "id=\"plan-hd-special-leak\"",
        "id=\"plan-hd-onsite-loading\"",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|a| html.find(a).unwrap_or_else(|| panic!("{a} missing")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    // fire plans of the enterprise are not part of the hazchem chain
    assert!(!html.contains("id=\"plan-hd-special-fire\""));
    // the county plan links up to the province plan inside the book
    assert!(html.contains("href=\"#plan-xj-hazchem\""));
    let f = flat(&pdf::text(&out.path().join("hazard-hazchem.pdf")));
    assert!(f.contains("第一部分湘江省危险化学品事故应急预案"), "{f}");
    assert!(f.contains("上下衔接合订本"));

    let o = handbook(repo.path(), out.path(), &["--hazard", "no-such-hazard"]);
    assert_eq!(o.status.code(), Some(2), "{}", text_of(&o));
    assert!(text_of(&o).contains("no-such-hazard"));
}

#[test]
fn a_hostile_plan_is_escaped() {
    let repo = plans_copy();
    edit(&repo.path().join("province/xj-flood.md"), |t| {
        t.replacen(
            "title: 湘江省防汛抗旱应急预案",
            "title: \"湘江省防汛抗旱应急预案<script>alert('t')</script>\"",
            1,
        )
        .replacen(
            "## 1 总则\n",
            "## 1 总则 <b onmouseover=alert(1)>x</b>\n\n<script>alert('body')</script>\n\n<img src=x onerror=alert(2)> [点我](javascript:alert(3)) [上级](plan:xj-overall)\n",
            1,
        )
    });
    let html = xj_flood_html(repo.path());
    assert!(!html.contains("<script"), "script passed through");
    assert!(!html.contains("<img"), "img passed through");
    assert!(!html.contains("<b onmouseover"), "markup passed through");
    assert!(!html.contains("javascript:"), "javascript link kept");
    assert!(html.contains("&lt;script&gt;alert("));
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
    // a reference to a plan outside the book is printed as text
    assert!(!html.contains("href=\"#plan-xj-overall\""));
}

#[test]
fn a_character_the_font_lacks_stops_the_pdf_not_the_html() {
    let repo = plans_copy();
    // U+2F81F: a CJK compatibility ideograph outside GB2312 (the shipped subset)
    edit(&repo.path().join("province/xj-flood.md"), |t| {
        t.replacen(
            "防汛抗旱工作坚持人民至上",
            "防汛抗旱工作\u{2F81F}坚持人民至上",
            1,
        )
    });
    let out = tempfile::tempdir().expect("tempdir");
    let o = handbook(repo.path(), out.path(), &["--plan", "xj-flood"]);
    let t = text_of(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("error[G901]"), "{t}");
    assert!(t.contains("province/xj-flood.md"), "{t}");
    assert!(out.path().join("xj-flood.html").exists());
    assert!(!out.path().join("xj-flood.pdf").exists());
}

#[test]
fn plans_with_errors_are_left_out() {
    let repo = plans_copy();
    edit(&repo.path().join("county/qx-flood.md"), |t| {
        t.replacen("parent: qx-overall", "parent: qx-nowhere", 1)
    });
    let out = tempfile::tempdir().expect("tempdir");
    let o = handbook(repo.path(), out.path(), &["--hazard", "flood"]);
    let t = text_of(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("qx-nowhere"), "{t}");
    let html = std::fs::read_to_string(out.path().join("hazard-flood.html")).expect("html");
    assert!(html.contains("id=\"plan-yz-flood\""));
    assert!(!html.contains("id=\"plan-qx-flood\""));
}

#[test]
fn a_plan_overdue_for_a_drill_is_still_printed_and_the_finding_shown() {
    // E005 is about upkeep, not content: in an emergency the plan in force must be in the book
    let repo = tempfile::tempdir().expect("tempdir");
    copy_dir(
        &root().join("tests/fixtures/bad/E005_onsite_plan_not_drilled"),
        repo.path(),
    );
    let out = tempfile::tempdir().expect("tempdir");
    let o = handbook(
        repo.path(),
        out.path(),
        &["--plan", "hd-onsite-reactor", "--format", "html"],
    );
    let t = text_of(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(t.contains("error[E005]"), "{t}");
    let html = std::fs::read_to_string(out.path().join("hd-onsite-reactor.html")).expect("html");
    assert!(html.contains("id=\"plan-hd-onsite-reactor\""), "{html}");
}

#[test]
fn official_style_uses_gbt_9704_page_numbers_and_says_what_fonts_it_needs() {
    let repo = plans_copy();
    let out = tempfile::tempdir().expect("tempdir");
    let o = handbook(
        repo.path(),
        out.path(),
        &[
            "--plan", "xj-flood", "--style", "official", "--format", "pdf",
        ],
    );
    let t = text_of(&o);
    assert!(o.status.success(), "{t}");
    assert!(t.contains("--font"), "{t}");
    let pdf = out.path().join("xj-flood.pdf");
    let text = pdf::text(&pdf);
    assert!(flat(&text).contains("—2—"), "{text}");
    assert!(flat(&text).contains("实行领导带班、24小时加强值班"));
}

#[test]
fn a_repository_template_overrides_the_built_in_one_and_is_escaped() {
    let repo = plans_copy();
    std::fs::create_dir_all(repo.path().join("templates/handbook")).expect("mkdir");
    std::fs::write(
        repo.path().join("templates/handbook/handbook.html.tera"),
        "<h1>省应急厅 {{ book.title }}</h1>{% for p in book.parts %}{% for l in p.levels %}<p>{{ l.name }}</p>{% endfor %}{% endfor %}",
    )
    .expect("write");
    let html = xj_flood_html(repo.path());
    assert!(
        html.starts_with("<h1>省应急厅 湘江省防汛抗旱应急响应工作手册</h1><p>一级应急响应</p>"),
        "{html}"
    );
}

/// One text run of a PDF: its 1-based page, font (`/BaseFont`) and colour, the page its
/// link goes to (if any), and its text.
#[derive(Debug)]
struct PdfText {
    page: usize,
    family: String,
    color: String,
    link: Option<usize>,
    text: String,
}

/// Every text run of `pdf` with its font, colour and link (`common::pdf`; tests/external.rs
/// checks that poppler's `pdftohtml -xml` reads the same).
fn pdf_texts(pdf: &Path) -> Vec<PdfText> {
    pdf::open(pdf)
        .runs()
        .filter(|(_, r)| !r.text.is_empty())
        .map(|(page, r)| PdfText {
            page,
            family: r.base_font.clone(),
            color: r.color.clone(),
            link: r.link_page(),
            text: r.text.clone(),
        })
        .collect()
}

#[test]
fn pdf_plan_text_has_bold_runs_and_links_to_the_right_pages() {
    let repo = plans_copy();
    let out = tempfile::tempdir().expect("tempdir");
    let o = handbook(repo.path(), out.path(), &["--hazard", "flood"]);
    assert!(o.status.success(), "{}", text_of(&o));
    let texts = pdf_texts(&out.path().join("hazard-flood.pdf"));
    let find = |t: &str| {
        texts
            .iter()
            .find(|x| x.text == t)
            .unwrap_or_else(|| panic!("{t} not drawn alone"))
    };
    // **堤防险情**：… in the city plan's text: the lead-in in the bold face (yuan's font
    // resource YUANBD: NotoSansCJKsc-Bold), the rest regular
    let bold = find("堤防险情");
    assert!(bold.family.starts_with("YUANBD+"), "{bold:?}");
    let rest = texts
        .iter()
        .find(|x| x.page == bold.page && x.text.starts_with("：属地防指组织抢护"))
        .expect("the rest of the item");
    assert!(rest.family.starts_with("YUANRG+"), "{rest:?}");

    // the first page (1-based) on or after `from` that draws `t`
    let page_of = |t: &str, from: usize| {
        texts
            .iter()
            .find(|x| x.page >= from && x.text.contains(t))
            .unwrap_or_else(|| panic!("{t} not drawn"))
            .page
    };
    // [水利工程抢险专业队](resource:yz-water-works-team): blue, to the city plan's resource row
    let res = find("水利工程抢险专业队");
    assert_eq!(res.color, "#0055a0", "{res:?}");
    let city = page_of("第二部分", 3);
    assert_eq!(
        res.link,
        Some(page_of("云州市水利工程抢险专业队", city)),
        "{res:?}"
    );
    // the blue texts after the city part starts, consecutive pieces of one link joined (a link
    // may run over a line break)
    let mut links: Vec<(String, Option<usize>)> = Vec::new();
    let mut last_blue = false;
    for x in texts.iter().filter(|x| x.page > city) {
        let blue = x.color == "#0055a0";
        match links.last_mut() {
            Some((t, l)) if blue && last_blue && *l == x.link => t.push_str(&x.text),
            _ if blue => links.push((x.text.clone(), x.link)),
            _ => {}
        }
        last_blue = blue;
    }
    // [湘江省防汛抗旱应急预案](plan:xj-flood#应急响应): to the province part of this book
    let up = links
        .iter()
        .find(|(t, _)| t == "湘江省防汛抗旱应急预案")
        .expect("a link up to the province plan");
    // (on the page of the heading `## 4 应急响应` in the province plan's text)
    let province = page_of("第一部分", 3);
    let text = page_of("预案正文", province);
    assert_eq!(up.1, Some(page_of("4 应急响应", text)), "{up:?}");
    assert!(up.1 > Some(province), "{up:?}");
    // and in the HTML, to the heading's id
    let html = std::fs::read_to_string(out.path().join("hazard-flood.html")).expect("html");
    assert!(html.contains("href=\"#plan-xj-flood-text-应急响应\""));
    assert_eq!(
        html.matches("id=\"plan-xj-flood-text-应急响应\"").count(),
        1
    );
    // [云州市突发事件总体应急预案](plan:yz-overall) is not in this book: plain text
    assert!(
        texts
            .iter()
            .any(|x| x.text.contains("云州市突发事件总体应急预案") && x.color == "#000000"),
        "the reference to the city overall plan is missing"
    );
    assert!(!links
        .iter()
        .any(|(t, _)| t.contains("云州市突发事件总体应急预案")));
    // every link of the plan texts lands on a page of the book
    let last = texts.last().expect("text").page;
    assert!(
        links
            .iter()
            .all(|(_, l)| l.is_some_and(|p| p >= 1 && p <= last)),
        "{links:?}"
    );
}
