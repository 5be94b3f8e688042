//! Unit tests of the tests' PDF reader (`tests/common/pdf.rs`): PDFs drawn by yuan's own
//! writer from a hand-made layout, whose every position, face, colour and link is known, and a
//! hand-built PDF that uses the operators and CMap forms printpdf does not write.

mod common;

use common::pdf::{self, parse_to_unicode, Pdf, Target};
use yuan::render::font::{Face, Fonts, PT_TO_MM};
use yuan::render::layout::{Color, Item, LinkTarget, Page};
use yuan::render::pdf::{write, PdfMeta};

fn text(x: f32, y: f32, size: f32, face: Face, color: Color, t: &str) -> Item {
    Item::Text {
        x,
        y,
        size,
        face,
        color,
        text: t.into(),
    }
}

/// Two A6 pages: runs drawn out of reading order, a gap and an abutting run on one line, bold,
/// colours, a link to page 2 and a black square.
fn sample(fonts: &Fonts) -> Vec<Page> {
    let size = 12.0;
    let w = |t: &str, face| fonts.width_mm(t, size, face);
    let mut p1 = Page::new(105.0, 148.0);
    p1.items = vec![
        // the second line first
        text(
            10.0,
            40.0,
            size,
            Face::Regular,
            Color::BLACK,
            "第二行：值班0745-6628119",
        ),
        text(10.0, 20.0, size, Face::Bold, Color::RED, "应急处置卡"),
        // abutting the bold run, on its baseline
        text(
            10.0 + w("应急处置卡", Face::Bold),
            20.0,
            size,
            Face::Regular,
            Color::BLACK,
            "（火灾）",
        ),
        // far to the right on the same line
        text(80.0, 20.0, size, Face::Regular, Color::BLUE, "见第2页"),
        Item::Link {
            x: 80.0,
            y: 20.0 - 4.0,
            w: w("见第2页", Face::Regular),
            h: 5.0,
            target: LinkTarget::Page(1),
        },
        Item::Rect {
            x: 20.0,
            y: 60.0,
            w: 10.0,
            h: 5.0,
            fill: Some(Color::BLACK),
            stroke: None,
        },
    ];
    let mut p2 = Page::new(105.0, 148.0);
    p2.items = vec![text(
        10.0,
        20.0,
        9.0,
        Face::Regular,
        Color::BLACK,
        "A-1 ≥95℃ 是→第5步",
    )];
    vec![p1, p2]
}

fn read_sample() -> Pdf {
    let fonts = Fonts::builtin().expect("font");
    let meta = PdfMeta {
        title: "测试".into(),
        epoch: 1_764_547_200,
        ..PdfMeta::default()
    };
    let bytes = write(&sample(&fonts), &fonts, &meta).expect("pdf");
    Pdf::parse(&bytes).expect("parse")
}

#[test]
fn pages_and_media_boxes() {
    let pdf = read_sample();
    assert_eq!(pdf.pages.len(), 2);
    for p in &pdf.pages {
        assert!((p.width - 105.0 / PT_TO_MM).abs() < 0.01, "{}", p.width);
        assert!((p.height - 148.0 / PT_TO_MM).abs() < 0.01, "{}", p.height);
    }
    let created = pdf.info.get("CreationDate").expect("date");
    assert!(created.starts_with("D:20251201000000"), "{created}");
    assert_eq!(pdf.info.get("Title").map(String::as_str), Some("测试"));
}

#[test]
fn lines_in_reading_order_with_chinese_text() {
    let pdf = read_sample();
    assert_eq!(
        pdf.pages[0].lines(),
        ["应急处置卡（火灾） 见第2页", "第二行：值班0745-6628119"]
    );
    assert_eq!(pdf.pages[1].lines(), ["A-1 ≥95℃ 是→第5步"]);
    assert_eq!(
        pdf.text(),
        "应急处置卡（火灾） 见第2页\n第二行：值班0745-6628119\n\u{c}A-1 ≥95℃ 是→第5步\n\u{c}"
    );
    // drawing order: the second line first
    assert_eq!(
        pdf.pages[0].raw_text(),
        "第二行：值班0745-6628119\n应急处置卡（火灾） 见第2页\n"
    );
}

#[test]
fn runs_have_positions_sizes_faces_colours_and_links() {
    let fonts = Fonts::builtin().expect("font");
    let pdf = read_sample();
    let runs = &pdf.pages[0].runs;
    assert_eq!(runs.len(), 4);
    let title = &runs[1];
    assert_eq!(title.text, "应急处置卡");
    assert!((title.x - 10.0 / PT_TO_MM).abs() < 0.01, "{}", title.x);
    assert!(
        (title.y - (148.0 - 20.0) / PT_TO_MM).abs() < 0.01,
        "{}",
        title.y
    );
    assert!((title.size - 12.0).abs() < 1e-3);
    let want_w = fonts.width_mm("应急处置卡", 12.0, Face::Bold) / PT_TO_MM;
    assert!(
        (title.width - want_w).abs() < 0.05,
        "{} vs {want_w}",
        title.width
    );
    assert!(
        title.base_font.starts_with("YUANBD+"),
        "{}",
        title.base_font
    );
    assert_eq!(title.font, "YUANBD");
    assert_eq!(title.color, "#c8102e");
    assert_eq!(title.link, None);
    assert!(runs[2].base_font.starts_with("YUANRG+"));
    let link = &runs[3];
    assert_eq!(link.color, "#0055a0");
    assert_eq!(link.link, Some(Target::Page(2)));
    assert_eq!(link.link_page(), Some(2));
    assert_eq!(pdf.pages[0].links.len(), 1);
    // the black rectangle, in points from the bottom left
    let black: Vec<_> = pdf.pages[0]
        .rects
        .iter()
        .filter(|r| r.color == "#000000")
        .collect();
    assert_eq!(black.len(), 1);
    let r = black[0];
    assert!((r.x - 20.0 / PT_TO_MM).abs() < 0.01);
    assert!((r.y - (148.0 - 65.0) / PT_TO_MM).abs() < 0.01);
    assert!((r.w - 10.0 / PT_TO_MM).abs() < 0.01 && (r.h - 5.0 / PT_TO_MM).abs() < 0.01);
    // both faces embedded, subset, with a ToUnicode map
    assert_eq!(pdf.fonts.len(), 2, "{:?}", pdf.fonts);
    assert!(pdf
        .fonts
        .iter()
        .all(|f| f.embedded && f.subset && f.to_unicode && f.subtype == "Type0"));
}

#[test]
fn helpers_read_files() {
    let fonts = Fonts::builtin().expect("font");
    let bytes = write(&sample(&fonts), &fonts, &PdfMeta::default()).expect("pdf");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("a.pdf");
    std::fs::write(&path, bytes).expect("write");
    assert_eq!(pdf::pages(&path), 2);
    assert!(common::flat(&pdf::text(&path)).contains("值班0745-6628119"));
    assert!(common::flat(&pdf::raw_text(&path)).starts_with("第二行"));
    assert!(Pdf::parse(b"not a pdf").is_err());
}

#[test]
fn to_unicode_bfchar_and_bfrange() {
    let cmap = "/CIDInit /ProcSet findresource begin\n\
        % a comment <0001> <FFFF>\n\
        1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
        2 beginbfchar\n<0003> <5E94>\n<0004> <D83DDE92>\nendbfchar\n\
        2 beginbfrange\n<0010> <0012> <0041>\n<0020> <0021> [<6025> <0066006C>]\nendbfrange\n\
        endcmap";
    let m = parse_to_unicode(cmap);
    assert_eq!(m.get(&3).map(String::as_str), Some("应"));
    assert_eq!(m.get(&4).map(String::as_str), Some("🚒"));
    assert_eq!(m.get(&0x10).map(String::as_str), Some("A"));
    assert_eq!(m.get(&0x12).map(String::as_str), Some("C"));
    assert_eq!(m.get(&0x20).map(String::as_str), Some("急"));
    assert_eq!(m.get(&0x21).map(String::as_str), Some("fl"));
    assert_eq!(m.len(), 7);
}

/// A page whose text is placed with `cm`, `Tm`, `TJ` kerning, `T*` and `'`, in a Type0 font
/// with a `bfrange` ToUnicode map and `/W` widths in both forms.
#[test]
fn matrices_kerning_and_line_operators() {
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let cmap = "1 beginbfrange\n<0001> <0003> <5E94>\nendbfrange\n";
    let to_unicode = doc.add_object(Stream::new(dictionary! {}, cmap.as_bytes().to_vec()));
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => "ABCDEF+Test",
        "Encoding" => "Identity-H",
        "ToUnicode" => to_unicode,
        "DescendantFonts" => vec![Object::Dictionary(dictionary! {
            "Type" => "Font",
            "Subtype" => "CIDFontType2",
            "BaseFont" => "ABCDEF+Test",
            "DW" => 1000,
            "W" => vec![
                Object::Integer(1),
                Object::Array(vec![Object::Integer(500)]),
                Object::Integer(2),
                Object::Integer(3),
                Object::Integer(250),
            ],
        })],
    });
    let content = b"q 2 0 0 2 10 10 cm BT /F1 10 Tf 1 0 0 1 5 5 Tm [<0001> -1000 <0002>] TJ \
        12 TL T* <0003> Tj <0001> ' ET Q 0 0 1 rg 1 1 2 2 re f"
        .to_vec();
    let content_id = doc.add_object(Stream::new(dictionary! {}, content));
    let page = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![Object::Reference(page)],
            "Count" => 1,
            "MediaBox" => vec![
                Object::Integer(0),
                Object::Integer(0),
                Object::Integer(200),
                Object::Integer(100),
            ],
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("save");

    let pdf = Pdf::parse(&bytes).expect("parse");
    let p = &pdf.pages[0];
    // MediaBox inherited from the page tree
    assert_eq!((p.width, p.height), (200.0, 100.0));
    assert_eq!(p.runs.len(), 3);
    let r = &p.runs[0];
    // the range maps 1, 2, 3 to U+5E94, U+5E95, U+5E96
    assert_eq!(r.text, "\u{5e94}\u{5e95}");
    assert_eq!((r.x, r.y, r.size), (20.0, 20.0, 20.0));
    // 500 + 1000 (kern) + 250 thousandths of 10 pt, scaled by 2
    assert!((r.width - 35.0).abs() < 1e-3, "{}", r.width);
    // T*: down one leading (12, scaled by 2) from the line start, not from the pen
    let r = &p.runs[1];
    assert_eq!(r.text, "\u{5e96}");
    assert_eq!((r.x, r.y), (20.0, -4.0));
    assert!((r.width - 5.0).abs() < 1e-3, "{}", r.width);
    // ': the next line, then show
    assert_eq!((p.runs[2].x, p.runs[2].y), (20.0, -28.0));
    assert_eq!(p.runs[2].text, "应");
    assert_eq!(r.base_font, "ABCDEF+Test");
    assert_eq!(p.lines(), ["\u{5e94}\u{5e95}", "\u{5e96}", "应"]);
    // the rectangle after Q: outside the scaled space, in blue
    assert_eq!(p.rects.len(), 1);
    assert_eq!(
        (
            p.rects[0].x,
            p.rects[0].y,
            p.rects[0].w,
            p.rects[0].color.as_str()
        ),
        (1.0, 1.0, 2.0, "#0000ff")
    );
    assert!(pdf.fonts[0].subset && pdf.fonts[0].to_unicode && !pdf.fonts[0].embedded);
}
