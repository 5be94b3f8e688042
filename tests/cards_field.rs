//! Cards a worker can use in the first minute (issue 16): the numbers to call on the front of
//! every card at every size, type never below 9 pt (10 pt for numbers and critical values), no
//! column that repeats the reader's own post, people shown with their title, a QR code that
//! dials the duty number, no card printed with a contact whose number is wrong, and an HTML page
//! that lists each post once, keeps tags whole and puts the numbers first.
//!
//! Layouts are read from the layout model (no PDF reader needed); the CLI tests read the PDFs
//! with `common::pdf`. tests/external.rs prints the HTML page with Chromium and decodes the QR
//! code with zbarimg.

mod common;

use common::pdf;
use common::{copy_dir, flat, plans_copy, root, text_of};
use std::path::Path;
use std::process::Output;
use yuan::cards::{self, layout, CardSize};
use yuan::render::font::Face;
use yuan::render::font::Fonts;
use yuan::render::layout::{Color, Item, Page};

fn yuan(args: &[&str]) -> Output {
    common::run(args, &[("SOURCE_DATE_EPOCH", "1764547200")])
}

/// Every card of the repository at `dir`, laid out at `size` (cards that do not fit: `Err`),
/// with the card's id.
fn laid_out(dir: &Path, size: CardSize) -> Vec<(String, Result<layout::Laid, String>)> {
    let loaded = yuan::load::load(dir).expect("load");
    let fonts = Fonts::builtin().expect("font");
    let opts = layout::Options {
        size,
        duplex: false,
    };
    let mut out = Vec::new();
    for doc in &loaded.corpus.docs {
        let Some(card) = doc.card() else { continue };
        let view = cards::content::build(&loaded.corpus, &loaded.config, doc, card, "test");
        let laid = layout::layout(&fonts, &view, opts).expect("layout");
        out.push((
            doc.id.clone().unwrap_or_default(),
            laid.map_err(|o| format!("{o:?}")),
        ));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The texts of a page, in drawing order.
fn texts(page: &Page) -> Vec<(&str, f32, Color, Face)> {
    page.items
        .iter()
        .filter_map(|i| match i {
            Item::Text {
                text,
                size,
                color,
                face,
                ..
            } => Some((text.as_str(), *size, *color, *face)),
            _ => None,
        })
        .collect()
}

/// Whether `t` is written like a phone number (digits and dashes, at least three digits).
fn is_number(t: &str) -> bool {
    t.chars().all(|c| c.is_ascii_digit() || c == '-')
        && t.chars().filter(char::is_ascii_digit).count() >= 3
}

/// The sample's six cards have their numbers (119, 120, the duty room, the three contacts to
/// report to) on the front at A6 and A5, where they used to be pushed to the back by the
/// steps; the back has steps, cautions and PPE, and never the numbers block.
#[test]
fn the_numbers_are_on_the_front_of_every_sample_card_at_a6_and_a5() {
    for size in [CardSize::A6, CardSize::A5] {
        let all = laid_out(&root().join("plans"), size);
        assert_eq!(all.len(), 6);
        for (id, laid) in &all {
            let laid = laid
                .as_ref()
                .unwrap_or_else(|e| panic!("{id} at {size:?}: {e}"));
            let front = texts(&laid.pages[0]);
            let has = |t: &str| front.iter().any(|(x, ..)| *x == t);
            for n in ["119", "120", "0745-6628119", "立即报告"] {
                assert!(has(n), "{id} at {size:?}: {n} not on the front");
            }
            // the numbers of the report rows, bold black, on the front
            let rows = (front.iter())
                .filter(|(t, _, c, f)| is_number(t) && *c == Color::BLACK && *f == Face::Bold)
                .count();
            assert_eq!(rows, 3, "{id} at {size:?}: {front:?}");
            for back in &laid.pages[1..] {
                let b = texts(back);
                assert!(!b.iter().any(|(t, ..)| *t == "立即报告"), "{id}: {b:?}");
                assert!(!b.iter().any(|(t, ..)| *t == "火警"), "{id}: {b:?}");
            }
            assert!(laid.pages.len() <= 2, "{id}");
        }
    }
}

/// Type floors: what a worker reads is at least 9 pt, phone numbers and critical values (red,
/// bold) at least 10 pt, whatever the shrinking; only office notes (grey: footer, clause) are
/// smaller. The floors are not met by accident: the sample cards shrink (scale below 1).
#[test]
fn no_text_a_worker_reads_is_below_9_pt_and_no_number_below_10_pt() {
    let mut shrunk = 0;
    for size in [CardSize::A6, CardSize::A5, CardSize::Pocket] {
        let mut dirs = vec![root().join("plans")];
        dirs.push(root().join("tests/fixtures/good"));
        for dir in dirs {
            for (id, laid) in laid_out(&dir, size) {
                let Ok(laid) = laid else { continue };
                shrunk += usize::from(laid.scale < 1.0);
                for p in &laid.pages {
                    for (t, pt, color, face) in texts(p) {
                        let floor = if color == Color::GREY {
                            7.0
                        } else if is_number(&t.replace(' ', ""))
                            || (color == Color::RED && face == Face::Bold)
                        {
                            10.0
                        } else {
                            9.0
                        };
                        assert!(pt >= floor - 0.01, "{id} at {size:?}: {t:?} at {pt} pt");
                    }
                }
            }
        }
    }
    assert!(
        shrunk > 0,
        "no card was shrunk: the floors were not exercised"
    );
}

/// A card too long for its size at the floors is not shrunk to 7 pt: it is G902, which names
/// the longest step (and points at it) and where the card could be split. The short fixture
/// card still fits a pocket card, numbers on the front.
#[test]
fn a_card_too_long_for_a_pocket_card_names_the_step_to_shorten() {
    let out = tempfile::tempdir().expect("tempdir");
    let o = yuan(&[
        "cards",
        root().join("plans").to_str().expect("utf-8"),
        "--card",
        "hd-card-tankfarm-operator",
        "--size",
        "pocket",
        "--out",
        out.path().to_str().expect("utf-8"),
        "--lang",
        "zh",
    ]);
    let t = text_of(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("G902"), "{t}");
    assert!(t.contains("最小字号"), "{t}");
    assert!(t.contains("最长的是第 5 步"), "{t}");
    assert!(t.contains("拆成"), "{t}");
    // at the longest step's line
    assert!(t.contains("hd-card-tankfarm-operator.md:28"), "{t}");
    assert!(!out.path().join("hd-card-tankfarm-operator.pdf").exists());

    let good = laid_out(&root().join("tests/fixtures/good"), CardSize::Pocket);
    let (_, laid) = &good[0];
    let laid = laid.as_ref().expect("the fixture card fits a pocket card");
    let front = texts(&laid.pages[0]);
    assert!(
        front.iter().any(|(t, ..)| *t == "0745-6628119"),
        "{front:?}"
    );
    assert!(front.iter().any(|(t, ..)| *t == "立即报告"), "{front:?}");
}

/// A copy of the good fixture, its card edited by `f`.
fn fixture_with(f: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/good"), dir.path());
    let p = dir.path().join("enterprise/hd-card-reactor-operator.md");
    let text = std::fs::read_to_string(&p).expect("read");
    std::fs::write(&p, f(text)).expect("write");
    dir
}

/// The "who" column is left out when the role is the card's own post (it took a quarter of
/// the width to say "反应釜操作工" on the 反应釜操作工's card), and kept for another role.
#[test]
fn the_who_column_appears_only_for_another_role() {
    let own = laid_out(&root().join("tests/fixtures/good"), CardSize::A6);
    let page = &own[0].1.as_ref().expect("fits").pages[0];
    let t = texts(page);
    // the post is in the title band only
    assert!(!t.iter().any(|(x, ..)| *x == "反应釜操作工"), "{t:?}");
    assert!(t.iter().any(|(x, ..)| *x == "反应釜操作工｜火灾事故"));

    let other = fixture_with(|t| {
        t.replacen(
            "    who: hd-reactor-operator\n    decision",
            "    who: hd-commander\n    decision",
            1,
        )
    });
    let laid = laid_out(other.path(), CardSize::A6);
    let t = texts(&laid[0].1.as_ref().expect("fits").pages[0]);
    assert!(
        t.iter().any(|(x, ..)| x.contains("应急总指挥")),
        "another role is shown: {t:?}"
    );
    assert!(!t.iter().any(|(x, ..)| *x == "反应釜操作工"), "{t:?}");
}

/// People to report to are shown with their title (储运车间主任 曾晓峰), desks by their name:
/// a bare name tells a new worker nothing.
#[test]
fn people_are_shown_with_their_title() {
    let all = laid_out(&root().join("plans"), CardSize::A6);
    let (_, laid) = (all.iter())
        .find(|(id, _)| id == "hd-card-tankfarm-operator")
        .expect("card");
    let t = texts(&laid.as_ref().expect("fits").pages[0]);
    let has = |s: &str| t.iter().any(|(x, ..)| *x == s);
    assert!(has("储运车间主任 曾晓峰"), "{t:?}");
    assert!(!has("曾晓峰"), "{t:?}");
    assert!(has("恒达化工中心控制室（DCS）"), "{t:?}");

    // without a title, the role the registry gives the person
    let repo = plans_copy();
    let reg = repo.path().join("registry/hd-chem.yaml");
    let text = std::fs::read_to_string(&reg).expect("registry");
    let titled = "    name: 曾晓峰\n    org: hd-chem-storage\n    title: 储运车间主任\n";
    assert!(text.contains(titled));
    let untitled = "    name: 曾晓峰\n    org: hd-chem-storage\n";
    std::fs::write(&reg, text.replace(titled, untitled)).expect("write");
    let all = laid_out(repo.path(), CardSize::A6);
    let (_, laid) = (all.iter())
        .find(|(id, _)| id == "hd-card-tankfarm-operator")
        .expect("card");
    let t = texts(&laid.as_ref().expect("fits").pages[0]);
    assert!(t.iter().any(|(x, ..)| *x == "储运车间主任 曾晓峰"), "{t:?}");
}

/// A card that prints a contact whose number fails C601 is left out of print, as a card with
/// an error of its own is (the driver's sources): the finding is shown, the run exits 1, and
/// the wrong number is on no page. Cards that print other contacts of the same registry file
/// are printed.
#[test]
fn a_card_with_a_wrong_registry_number_is_not_printed() {
    let repo = plans_copy();
    let reg = repo.path().join("registry/hd-chem.yaml");
    let text = std::fs::read_to_string(&reg).expect("registry");
    // one digit lost from 聚合车间主任 彭立新's mobile: the reactor cards report to him
    assert!(text.contains("\"13787452209\""));
    std::fs::write(&reg, text.replace("\"13787452209\"", "\"1378745220\"")).expect("write");
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
    assert!(t.contains("C601"), "{t}");
    assert!(t.contains("registry/hd-chem.yaml"), "{t}");
    assert!(t.contains("2 not generated"), "{t}");
    // the finding is at the registry: the summary names the cards it kept out
    for id in ["hd-card-reactor-operator", "hd-card-reactor-shift-leader"] {
        let line = format!(
            "{id}: not generated, a contact it prints has an error in registry/hd-chem.yaml"
        );
        assert!(t.contains(&line), "{t}");
    }
    for left_out in ["hd-card-reactor-operator", "hd-card-reactor-shift-leader"] {
        assert!(
            !out.path().join(format!("{left_out}.pdf")).exists(),
            "{left_out}"
        );
    }
    for printed in [
        "hd-card-loading-operator",
        "hd-card-loading-safety-officer",
        "hd-card-tankfarm-operator",
        "hd-card-tankfarm-shift-leader",
    ] {
        let pdf = out.path().join(format!("{printed}.pdf"));
        assert!(!flat(&pdf::text(&pdf)).contains("1378745220"), "{printed}");
    }
    let all = flat(&pdf::text(&out.path().join("cards.pdf")));
    assert!(!all.contains("1378745220"));
    let html = std::fs::read_to_string(out.path().join("cards.html")).expect("html");
    assert!(!html.contains("1378745220"));
    // the same edit in the office number of a contact no card prints stops no card
    let repo = plans_copy();
    let reg = repo.path().join("registry/hd-chem.yaml");
    let text = std::fs::read_to_string(&reg).expect("registry");
    std::fs::write(&reg, text.replace("0745-6628160", "0745-662816")).expect("write");
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
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(t.contains("6 cards generated"), "{t}");
}

/// The phone page: each post once in the list at the top (the 值班长 has two cards), the numbers
/// before the steps in every card (the first screen of a phone), tags kept on one line, and
/// print CSS that starts each card on a sheet of the card's size.
#[test]
fn the_html_page_lists_each_post_once_and_puts_the_numbers_first() {
    let out = tempfile::tempdir().expect("tempdir");
    let o = yuan(&[
        "cards",
        root().join("plans").to_str().expect("utf-8"),
        "--out",
        out.path().to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", text_of(&o));
    let html = std::fs::read_to_string(out.path().join("cards.html")).expect("html");
    let nav = &html[html.find("<nav>").expect("nav")..html.find("</nav>").expect("nav end")];
    assert_eq!(nav.matches("值班长").count(), 1, "{nav}");
    assert_eq!(nav.matches("class=\"post\"").count(), 5, "{nav}");
    assert_eq!(
        nav.matches("href=\"#").count(),
        6,
        "every card is reachable: {nav}"
    );
    let cards: Vec<&str> = html.split("<section class=\"card\"").skip(1).collect();
    assert_eq!(cards.len(), 6);
    for c in &cards {
        let call = c.find("class=\"call\"").expect("numbers");
        let steps = c.find("class=\"steps\"").expect("steps");
        assert!(call < steps, "the numbers come before the steps");
        assert!(c[call..steps].contains("href=\"tel:119\""));
    }
    assert!(html.contains("<span class=\"tag\">0.45</span>"), "{html}");
    assert!(html.contains(".tag, .values span, .numbers b, .report b { white-space:nowrap; }"));
    assert!(html.contains("@page { size: 105mm 148mm;"));
    assert!(html.contains("break-before:page"));
}

/// Valve and equipment tags in a step are kept on one line on the phone page (a span that does
/// not wrap), as in the PDF (render::text keeps them whole).
#[test]
fn tags_in_a_step_do_not_break_in_the_html() {
    let repo = fixture_with(|t| {
        t.replace(
            "立即按下紧急停车按钮，切断进料阀",
            "立即按下紧急停车按钮，关闭进料阀XV-101A，停进料泵P-302",
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
    assert!(
        html.contains("关闭进料阀<span class=\"tag\">XV-101A</span>，停进料泵<span class=\"tag\">P-302</span>"),
        "{html}"
    );
    let pdf = flat(&pdf::text(&out.path().join("hd-card-reactor-operator.pdf")));
    assert!(pdf.contains("XV-101A") && pdf.contains("P-302"), "{pdf}");
}

/// `--nup N` refuses only what truly does not fit: five A6 cards on an A4 sheet (four fit),
/// with a message that says so; three are placed (tests/cards.rs, a slot left empty).
#[test]
fn nup_refuses_only_more_cards_than_a4_holds() {
    let out = tempfile::tempdir().expect("tempdir");
    let o = yuan(&[
        "cards",
        root().join("plans").to_str().expect("utf-8"),
        "--out",
        out.path().to_str().expect("utf-8"),
        "--nup",
        "5",
        "--lang",
        "zh",
    ]);
    let t = text_of(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(t.contains("5 张 A6 卡片放不下一张 A4 纸"), "{t}");
}

/// The enterprise's 24-hour emergency line (`duty_contact` of its organisation) is in the
/// numbers block on the front of every card, also of a card that does not list it; without
/// `duty_contact` a card prints what it lists.
#[test]
fn the_enterprise_emergency_line_is_on_every_card() {
    let repo = plans_copy();
    let card = repo
        .path()
        .join("enterprise/hd-chem/cards/hd-card-tankfarm-operator.md");
    let text = std::fs::read_to_string(&card).expect("card");
    let listed = "emergency_numbers: [\"119\", \"120\", \"0745-6628119\"]";
    assert!(text.contains(listed), "{text}");
    let reports = "report_to: [hd-control-room, hd-duty, hd-storage-workshop]";
    assert!(text.contains(reports), "{text}");
    // a card that names neither the line nor the duty desk
    let text = text
        .replace(listed, "emergency_numbers: [\"119\", \"120\"]")
        .replace(reports, "report_to: [hd-control-room, hd-storage-workshop]");
    std::fs::write(&card, text).expect("write");
    let front = |dir: &Path| {
        let all = laid_out(dir, CardSize::A6);
        let (_, laid) = (all.iter())
            .find(|(id, _)| id == "hd-card-tankfarm-operator")
            .expect("card");
        texts(&laid.as_ref().expect("fits").pages[0])
            .iter()
            .map(|(t, ..)| t.to_string())
            .collect::<Vec<_>>()
    };
    let t = front(repo.path());
    assert!(t.iter().any(|x| x == "0745-6628119"), "{t:?}");

    let reg = repo.path().join("registry/hd-chem.yaml");
    let r = std::fs::read_to_string(&reg).expect("registry");
    assert!(r.contains(", duty_contact: hd-duty }"));
    std::fs::write(&reg, r.replace(", duty_contact: hd-duty }", " }")).expect("write");
    let t = front(repo.path());
    assert!(!t.iter().any(|x| x == "0745-6628119"), "{t:?}");
}
