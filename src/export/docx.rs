//! The Word package (stage 8, under `yuan export`): a document as plain blocks ([`Block`]) in,
//! the bytes of a `.docx` (Office Open XML, WordprocessingML) out. Written by hand with
//! quick-xml's escaping and the `zip` crate (ARCHITECTURE.md, "Word export"), because the
//! page of GB/T 9704-2012 needs parts that a builder crate does not let us fix: the document
//! grid of 22 lines × 28 characters (`w:docGrid`), page numbers "— 1 —" alternating right and
//! left (`w:evenAndOddHeaders`, a `PAGE` field), font names with their fallbacks
//! (`fontTable.xml`), and fixed dates and zip entries, so the same input gives the same bytes.
//!
//! What the plan says is only ever text: every string goes through [`text`] (XML escaped,
//! characters that XML 1.0 cannot carry dropped), no field code and no relationship is made
//! from it except an external hyperlink for an `http`, `https` or `mailto` address
//! ([`external`]).

use std::fmt::Write as _;
use std::io::Write as _;

/// A run of text: bold, or a link to an external address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Run {
    pub(crate) text: String,
    pub(crate) bold: bool,
    /// An external address (`http`, `https`, `mailto`) the run links to.
    pub(crate) link: Option<String>,
}

impl Run {
    pub(crate) fn plain(text: impl Into<String>) -> Run {
        Run {
            text: text.into(),
            bold: false,
            link: None,
        }
    }
}

/// One block of a Word document, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Block {
    /// The title (style `Title`: 方正小标宋简体 二号, centred).
    Title(String),
    /// A centred line in body type (a cover's issuer, 批准页's heading).
    Centred(String),
    /// A heading at this level (style `Heading<level>`, 1–9).
    Heading {
        level: u8,
        text: String,
    },
    /// A body paragraph (indented two characters).
    Para(Vec<Run>),
    /// A line set flush left, without the paragraph indent (cover details, 批准页 fields).
    Flush(Vec<Run>),
    /// A line set flush right (a date, a signature).
    Right(String),
    /// A list item: the list (an index into [`Package::lists`]) and the text; `None` for a
    /// further paragraph of the item before.
    Item {
        list: Option<usize>,
        depth: u8,
        runs: Vec<Run>,
    },
    /// A table with borders; the first row repeats on every page.
    Table {
        header: Vec<Vec<Run>>,
        rows: Vec<Vec<Vec<Run>>>,
    },
    /// A Word table of contents (`TOC \o "1-3" \h`), filled in by Word when the document
    /// opens; the entries are its text until then (titles, without page numbers).
    Toc(Vec<(u8, String)>),
    PageBreak,
    /// The end of the front matter (cover, 批准页, 目录): a new section, without page numbers;
    /// the body's section numbers its pages from 1.
    FrontEnd,
}

/// A list of the document: numbered from `start`, or bulleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct List {
    pub(crate) ordered: bool,
    pub(crate) start: u32,
    pub(crate) depth: u8,
}

/// What `docProps/core.xml` says of the document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Properties {
    pub(crate) title: String,
    pub(crate) subject: String,
    pub(crate) creator: String,
    pub(crate) keywords: String,
    pub(crate) description: String,
}

/// A document to write.
#[derive(Debug, Clone, Default)]
pub(crate) struct Package {
    pub(crate) blocks: Vec<Block>,
    pub(crate) lists: Vec<List>,
    pub(crate) properties: Properties,
    /// Several plans in one document: `Heading 1` is a plan's title (小标宋 二号, on a new
    /// page) and the plans' own levels start at `Heading 2` (黑体).
    pub(crate) parts: bool,
    /// The date of `docProps` and of the zip entries (seconds since 1970, UTC).
    pub(crate) epoch: i64,
}

/// GB/T 9704-2012 §5.1: A4, 210 mm × 297 mm, in twentieths of a point.
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
/// §5.2.1: 天头 37 mm, 订口 28 mm, type area 156 mm × 225 mm (so 35 mm below and 26 mm on
/// the right), in twentieths of a point.
const MARGIN_TOP: u32 = 2098;
const MARGIN_BOTTOM: u32 = 1984;
const MARGIN_LEFT: u32 = 1587;
const MARGIN_RIGHT: u32 = 1474;
/// The width of the type area (156 mm).
pub(crate) const TYPE_WIDTH: u32 = 8844;
/// §7.5: the page number 7 mm below the type area: its foot about 23 mm above the edge.
const FOOTER: u32 = 1304;
const HEADER: u32 = 851;
/// §5.2.3: 22 lines in the 225 mm type area: a line pitch of 28.95 pt.
pub(crate) const LINE_PITCH: u32 = 579;
/// 28 characters of 三号 (16 pt) in 156 mm: each 15.79 pt, 0.207 pt closer than the type
/// size, in 1/4096 pt.
pub(crate) const CHAR_SPACE: i32 = -849;

/// Fonts by the names Word and WPS know them, with the font a reader falls back to
/// (`w:altName`) when the named one is not installed.
pub(crate) const FANGSONG: (&str, &str) = ("仿宋_GB2312", "仿宋");
pub(crate) const HEITI: (&str, &str) = ("黑体", "SimHei");
pub(crate) const KAITI: (&str, &str) = ("楷体_GB2312", "楷体");
pub(crate) const XIAOBIAOSONG: (&str, &str) = ("方正小标宋简体", "宋体");
pub(crate) const SONGTI: (&str, &str) = ("宋体", "SimSun");

/// Type sizes in half points: 二号 22 pt, 三号 16 pt, 四号 14 pt.
const ERHAO: u32 = 44;
const SANHAO: u32 = 32;
const SIHAO: u32 = 28;

/// `s` as XML character data or attribute value: `&`, `<`, `>`, `'` and `"` escaped, and the
/// characters XML 1.0 does not allow (controls other than tab and line ends, U+FFFE, U+FFFF)
/// dropped.
pub(crate) fn text(s: &str) -> String {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
    };
    if s.chars().all(allowed) {
        quick_xml::escape::escape(s).into_owned()
    } else {
        let kept: String = s.chars().filter(|&c| allowed(c)).collect();
        quick_xml::escape::escape(kept.as_str()).into_owned()
    }
}

/// Whether a link's address may stay a hyperlink (external, `http`, `https` or `mailto`);
/// anything else (a file, a plan reference, `javascript:`) is printed as its text only.
pub(crate) fn external(dest: &str) -> bool {
    let lower = dest.trim().to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p) && lower.len() > p.len())
}

/// The parts of the package, in the order they are written.
const PARTS: &[&str] = &[
    "[Content_Types].xml",
    "_rels/.rels",
    "docProps/core.xml",
    "docProps/app.xml",
    "word/document.xml",
    "word/styles.xml",
    "word/settings.xml",
    "word/fontTable.xml",
    "word/numbering.xml",
    "word/footer1.xml",
    "word/footer2.xml",
    "word/_rels/document.xml.rels",
];

/// The `.docx` bytes of `p`: its parts in a fixed order, each dated from `p.epoch`.
pub(crate) fn write(p: &Package) -> anyhow::Result<Vec<u8>> {
    let mut links = Links::default();
    let document = document(p, &mut links);
    let time = zip_time(p.epoch);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(time)
        .unix_permissions(0o644);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for name in PARTS {
        let body = match *name {
            "[Content_Types].xml" => CONTENT_TYPES.to_string(),
            "_rels/.rels" => ROOT_RELS.to_string(),
            "docProps/core.xml" => core(&p.properties, p.epoch),
            "docProps/app.xml" => APP.to_string(),
            "word/document.xml" => document.clone(),
            "word/styles.xml" => styles(p.parts),
            "word/settings.xml" => settings(p.blocks.iter().any(|b| matches!(b, Block::Toc(_)))),
            "word/fontTable.xml" => font_table(),
            "word/numbering.xml" => numbering(&p.lists),
            "word/footer1.xml" => footer(true),
            "word/footer2.xml" => footer(false),
            _ => links.relationships(),
        };
        zip.start_file(*name, options)?;
        zip.write_all(body.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

/// The zip entries' time: the epoch's, or 1980-01-01 (the first a zip can say) before it.
fn zip_time(epoch: i64) -> zip::DateTime {
    use chrono::{Datelike, Timelike};
    chrono::DateTime::from_timestamp(epoch, 0)
        .and_then(|t| {
            zip::DateTime::from_date_and_time(
                u16::try_from(t.year()).ok()?,
                t.month() as u8,
                t.day() as u8,
                t.hour() as u8,
                t.minute() as u8,
                t.second() as u8,
            )
            .ok()
        })
        .unwrap_or(zip::DateTime::DEFAULT)
}

/// The hyperlinks of the document: one relationship per distinct address.
#[derive(Default)]
struct Links {
    targets: Vec<String>,
}

/// Relationships of `document.xml` before the hyperlinks'.
const FIXED_RELS: usize = 6;

impl Links {
    /// The relationship id of `url`.
    fn id(&mut self, url: &str) -> String {
        let i = match self.targets.iter().position(|t| t == url) {
            Some(i) => i,
            None => {
                self.targets.push(url.to_string());
                self.targets.len() - 1
            }
        };
        format!("rId{}", FIXED_RELS + 1 + i)
    }
    fn relationships(&self) -> String {
        let mut s = String::from(concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            "\n",
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
            r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
            r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>"#,
            r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>"#,
            r#"<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>"#,
            r#"<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>"#,
            r#"<Relationship Id="rId6" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/>"#,
        ));
        for (i, t) in self.targets.iter().enumerate() {
            let _ = write!(
                s,
                r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="{}" TargetMode="External"/>"#,
                FIXED_RELS + 1 + i,
                text(t)
            );
        }
        s.push_str("</Relationships>");
        s
    }
}

const CONTENT_TYPES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
    r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
    r#"<Default Extension="xml" ContentType="application/xml"/>"#,
    r#"<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>"#,
    r#"<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>"#,
    r#"<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>"#,
    r#"<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>"#,
    r#"<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>"#,
    r#"<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>"#,
    r#"<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>"#,
    r#"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#,
    r#"<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>"#,
    "</Types>"
);

const ROOT_RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>"#,
    r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#,
    r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>"#,
    "</Relationships>"
);

const APP: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">"#,
    "<Application>yuan</Application><DocSecurity>0</DocSecurity>",
    "</Properties>"
);

/// `docProps/core.xml`: created and modified at `epoch` (the provenance's date, never the
/// clock).
fn core(p: &Properties, epoch: i64) -> String {
    let when = chrono::DateTime::from_timestamp(epoch, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            "\n",
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            "<dc:title>{}</dc:title><dc:subject>{}</dc:subject><dc:creator>{}</dc:creator>",
            "<cp:keywords>{}</cp:keywords><dc:description>{}</dc:description>",
            "<cp:lastModifiedBy>yuan</cp:lastModifiedBy><cp:revision>1</cp:revision>",
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{}</dcterms:created>"#,
            r#"<dcterms:modified xsi:type="dcterms:W3CDTF">{}</dcterms:modified>"#,
            "</cp:coreProperties>"
        ),
        text(&p.title),
        text(&p.subject),
        text(&p.creator),
        text(&p.keywords),
        text(&p.description),
        when,
        when
    )
}

/// `w:rFonts` naming `font` for Chinese and Latin text alike.
fn fonts(font: (&str, &str)) -> String {
    let f = font.0;
    format!(r#"<w:rFonts w:ascii="{f}" w:eastAsia="{f}" w:hAnsi="{f}" w:cs="{f}"/>"#)
}

/// One paragraph style.
struct Style<'a> {
    id: &'a str,
    name: &'a str,
    /// The name Chinese Word shows (`w:aliases`).
    alias: Option<&'a str>,
    based_on: Option<&'a str>,
    ppr: String,
    rpr: String,
}

fn style_xml(s: &Style) -> String {
    // the default paragraph style: what a paragraph without a style of its own is
    let default = if s.id == "Normal" {
        r#" w:default="1""#
    } else {
        ""
    };
    let mut x = format!(
        r#"<w:style w:type="paragraph"{default} w:styleId="{}"><w:name w:val="{}"/>"#,
        s.id, s.name
    );
    if let Some(a) = s.alias {
        let _ = write!(x, r#"<w:aliases w:val="{a}"/>"#);
    }
    if let Some(b) = s.based_on {
        let _ = write!(x, r#"<w:basedOn w:val="{b}"/>"#);
    }
    let _ = write!(
        x,
        r#"<w:next w:val="Normal"/><w:qFormat/><w:pPr>{}</w:pPr><w:rPr>{}</w:rPr></w:style>"#,
        s.ppr, s.rpr
    );
    x
}

/// `word/styles.xml`: body 仿宋_GB2312 三号 on the 28.95 pt grid, title 方正小标宋简体 二号,
/// headings 黑体 then 楷体_GB2312 then 仿宋_GB2312 (GB/T 9704-2012 §7.3.1, §7.3.3); with
/// `parts`, `Heading 1` is a plan's title and the plans' levels start at `Heading 2`.
fn styles(parts: bool) -> String {
    let mut s = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        "\n",
        r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
    ));
    let _ = write!(
        s,
        concat!(
            "<w:docDefaults><w:rPrDefault><w:rPr>{}",
            r#"<w:kern w:val="2"/><w:sz w:val="{}"/><w:szCs w:val="{}"/>"#,
            r#"<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>"#,
            r#"<w:pPrDefault><w:pPr><w:widowControl/><w:spacing w:line="{}" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault>"#,
            "</w:docDefaults>"
        ),
        fonts(FANGSONG),
        SANHAO,
        SANHAO,
        LINE_PITCH
    );
    let indent = r#"<w:ind w:firstLineChars="200" w:firstLine="640"/>"#;
    let mut all = vec![
        Style {
            id: "Normal",
            name: "Normal",
            alias: Some("正文"),
            based_on: None,
            ppr: indent.to_string(),
            rpr: String::new(),
        },
        Style {
            id: "Title",
            name: "Title",
            alias: Some("标题"),
            based_on: Some("Normal"),
            ppr: r#"<w:keepNext/><w:spacing w:before="0" w:after="579" w:line="579" w:lineRule="atLeast"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/>"#.to_string(),
            rpr: format!(r#"{}<w:sz w:val="{ERHAO}"/><w:szCs w:val="{ERHAO}"/>"#, fonts(XIAOBIAOSONG)),
        },
        Style {
            id: "Flush",
            name: "yuan flush",
            alias: Some("顶格"),
            based_on: Some("Normal"),
            ppr: r#"<w:ind w:firstLineChars="0" w:firstLine="0"/>"#.to_string(),
            rpr: String::new(),
        },
        Style {
            id: "TableText",
            name: "yuan table text",
            alias: Some("表格文字"),
            based_on: Some("Normal"),
            // tables and the footer keep off the page's character grid: their text is set
            // close, as in the official templates
            ppr: r#"<w:snapToGrid w:val="0"/><w:spacing w:line="240" w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="left"/>"#.to_string(),
            rpr: format!(r#"<w:snapToGrid w:val="0"/><w:sz w:val="{SIHAO}"/><w:szCs w:val="{SIHAO}"/>"#),
        },
        Style {
            id: "Footer",
            name: "footer",
            alias: Some("页脚"),
            based_on: Some("Normal"),
            ppr: r#"<w:snapToGrid w:val="0"/><w:spacing w:line="240" w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/>"#.to_string(),
            rpr: format!(r#"{}<w:snapToGrid w:val="0"/><w:sz w:val="{SIHAO}"/><w:szCs w:val="{SIHAO}"/>"#, fonts(SONGTI)),
        },
        Style {
            id: "TOCHeading",
            name: "TOC Heading",
            alias: Some("目录标题"),
            based_on: Some("Normal"),
            ppr: r#"<w:keepNext/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/>"#.to_string(),
            rpr: format!(r#"{}<w:sz w:val="{ERHAO}"/><w:szCs w:val="{ERHAO}"/>"#, fonts(XIAOBIAOSONG)),
        },
    ];
    for i in 1..=3u32 {
        all.push(Style {
            id: ["TOC1", "TOC2", "TOC3"][i as usize - 1],
            name: ["toc 1", "toc 2", "toc 3"][i as usize - 1],
            alias: Some(["目录 1", "目录 2", "目录 3"][i as usize - 1]),
            based_on: Some("Normal"),
            ppr: format!(
                r#"<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TYPE_WIDTH}"/></w:tabs><w:ind w:left="{}" w:firstLineChars="0" w:firstLine="0"/>"#,
                (i - 1) * 640
            ),
            rpr: String::new(),
        });
    }
    // the heading levels' faces: a plan's level 1 in 黑体, level 2 in 楷体, then 仿宋
    let face = |plan_level: u32| match plan_level {
        1 => HEITI,
        2 => KAITI,
        _ => FANGSONG,
    };
    let ids = [
        "Heading1", "Heading2", "Heading3", "Heading4", "Heading5", "Heading6", "Heading7",
        "Heading8", "Heading9",
    ];
    let names = [
        "heading 1",
        "heading 2",
        "heading 3",
        "heading 4",
        "heading 5",
        "heading 6",
        "heading 7",
        "heading 8",
        "heading 9",
    ];
    let aliases = [
        "标题 1", "标题 2", "标题 3", "标题 4", "标题 5", "标题 6", "标题 7", "标题 8", "标题 9",
    ];
    for level in 1..=9u32 {
        let i = level as usize - 1;
        let outline = format!(r#"<w:outlineLvl w:val="{}"/>"#, level - 1);
        let (ppr, rpr) = if parts && level == 1 {
            (
                format!(
                    r#"<w:keepNext/><w:pageBreakBefore/><w:spacing w:before="0" w:after="579" w:line="579" w:lineRule="atLeast"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/>{outline}"#
                ),
                format!(
                    r#"{}<w:sz w:val="{ERHAO}"/><w:szCs w:val="{ERHAO}"/>"#,
                    fonts(XIAOBIAOSONG)
                ),
            )
        } else {
            let plan_level = if parts { level - 1 } else { level };
            (
                format!(r#"<w:keepNext/><w:keepLines/>{indent}{outline}"#),
                fonts(face(plan_level)),
            )
        };
        all.push(Style {
            id: ids[i],
            name: names[i],
            alias: Some(aliases[i]),
            based_on: Some("Normal"),
            ppr,
            rpr,
        });
    }
    for st in &all {
        s.push_str(&style_xml(st));
    }
    s.push_str(concat!(
        r#"<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>"#,
        r#"<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:aliases w:val="超链接"/><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>"#,
        r#"<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>"#,
        r#"<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:aliases w:val="网格型"/><w:basedOn w:val="TableNormal"/><w:tblPr>"#,
    ));
    s.push_str(&borders("tblBorders"));
    s.push_str("</w:tblPr></w:style>");
    s.push_str(concat!(
        r#"<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/></w:style>"#,
        "</w:styles>"
    ));
    s
}

/// Single 0.5 pt black lines on every edge of a table and between its cells.
fn borders(tag: &str) -> String {
    let mut s = format!("<w:{tag}>");
    for edge in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        let _ = write!(
            s,
            r#"<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#
        );
    }
    let _ = write!(s, "</w:{tag}>");
    s
}

/// `word/settings.xml`: odd and even footers; with a table of contents, `updateFields`, so
/// Word fills it in when the document opens.
fn settings(toc: bool) -> String {
    let mut s = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        "\n",
        r#"<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
    ));
    if toc {
        s.push_str(r#"<w:updateFields w:val="true"/>"#);
    }
    s.push_str(concat!(
        r#"<w:defaultTabStop w:val="420"/><w:evenAndOddHeaders/>"#,
        r#"<w:characterSpacingControl w:val="compressPunctuation"/>"#,
        r#"<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>"#,
        "</w:settings>"
    ));
    s
}

/// `word/fontTable.xml`: each font with the one a reader without it falls back to.
fn font_table() -> String {
    let mut s = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        "\n",
        r#"<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
    ));
    for (name, alt, family, pitch) in [
        (FANGSONG.0, FANGSONG.1, "modern", "fixed"),
        (HEITI.0, HEITI.1, "modern", "fixed"),
        (KAITI.0, KAITI.1, "modern", "fixed"),
        (XIAOBIAOSONG.0, XIAOBIAOSONG.1, "script", "variable"),
        (SONGTI.0, SONGTI.1, "auto", "variable"),
    ] {
        let _ = write!(
            s,
            r#"<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>"#
        );
    }
    s.push_str("</w:fonts>");
    s
}

/// `word/numbering.xml`: a bulleted and a numbered list definition, and one instance per list
/// of the document, so each numbered list starts again at its own first number.
fn numbering(lists: &[List]) -> String {
    let mut s = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        "\n",
        r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
    ));
    let bullets = ["●", "○", "■"];
    for (abs, ordered) in [(0, false), (1, true)] {
        let _ = write!(
            s,
            r#"<w:abstractNum w:abstractNumId="{abs}"><w:multiLevelType w:val="hybridMultilevel"/>"#
        );
        for lvl in 0..9u32 {
            let (fmt, lvl_text, suff) = if ordered {
                let t = match lvl % 3 {
                    0 => format!("%{}.", lvl + 1),
                    1 => format!("（%{}）", lvl + 1),
                    _ => format!("%{})", lvl + 1),
                };
                ("decimal", t, "nothing")
            } else {
                ("bullet", bullets[lvl as usize % 3].to_string(), "space")
            };
            let left = 640 * (lvl + 1);
            let _ = write!(
                s,
                r#"<w:lvl w:ilvl="{lvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:suff w:val="{suff}"/><w:lvlText w:val="{lvl_text}"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{}" w:firstLine="640"/></w:pPr></w:lvl>"#,
                left - 640
            );
        }
        s.push_str("</w:abstractNum>");
    }
    for (i, l) in lists.iter().enumerate() {
        let _ = write!(
            s,
            r#"<w:num w:numId="{}"><w:abstractNumId w:val="{}"/><w:lvlOverride w:ilvl="{}"><w:startOverride w:val="{}"/></w:lvlOverride></w:num>"#,
            i + 1,
            u8::from(l.ordered),
            l.depth.min(8),
            l.start
        );
    }
    s.push_str("</w:numbering>");
    s
}

/// A footer with the page number "— 1 —" in 宋体 四号 (GB/T 9704-2012 §7.5): odd pages on
/// the right, even pages on the left, one character in from the edge of the type area.
fn footer(odd: bool) -> String {
    let (jc, ind) = if odd {
        ("right", r#"<w:ind w:right="280" w:firstLine="0"/>"#)
    } else {
        ("left", r#"<w:ind w:left="280" w:firstLine="0"/>"#)
    };
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            "\n",
            r#"<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
            r#"<w:p><w:pPr><w:pStyle w:val="Footer"/>{}<w:jc w:val="{}"/></w:pPr>"#,
            r#"<w:r><w:t xml:space="preserve">— </w:t></w:r>"#,
            r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r>"#,
            r#"<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>"#,
            r#"<w:r><w:fldChar w:fldCharType="separate"/></w:r>"#,
            r#"<w:r><w:t>1</w:t></w:r>"#,
            r#"<w:r><w:fldChar w:fldCharType="end"/></w:r>"#,
            r#"<w:r><w:t xml:space="preserve"> —</w:t></w:r>"#,
            "</w:p></w:ftr>"
        ),
        ind, jc
    )
}

/// The section properties: A4, the margins and grid of GB/T 9704-2012; with `numbered`, the
/// footers and page numbers from `start` (1 after front matter).
fn sect_pr(numbered: bool, restart: bool) -> String {
    let mut s = String::from("<w:sectPr>");
    if numbered {
        s.push_str(r#"<w:footerReference w:type="default" r:id="rId5"/>"#);
        s.push_str(r#"<w:footerReference w:type="even" r:id="rId6"/>"#);
    }
    let _ = write!(
        s,
        concat!(
            r#"<w:pgSz w:w="{}" w:h="{}"/>"#,
            r#"<w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}" w:header="{}" w:footer="{}" w:gutter="0"/>"#,
        ),
        PAGE_W, PAGE_H, MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT, HEADER, FOOTER
    );
    if restart {
        s.push_str(r#"<w:pgNumType w:start="1"/>"#);
    }
    let _ = write!(
        s,
        r#"<w:cols w:space="425"/><w:docGrid w:type="linesAndChars" w:linePitch="{LINE_PITCH}" w:charSpace="{CHAR_SPACE}"/></w:sectPr>"#
    );
    s
}

/// `word/document.xml`.
fn document(p: &Package, links: &mut Links) -> String {
    let mut s = String::with_capacity(4096 + p.blocks.len() * 256);
    s.push_str(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        "\n",
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>"#,
    ));
    let front = p.blocks.iter().any(|b| matches!(b, Block::FrontEnd));
    for b in &p.blocks {
        match b {
            Block::Title(t) => para(&mut s, "Title", "", &[Run::plain(t.as_str())], links),
            Block::Centred(t) => para(
                &mut s,
                "Flush",
                r#"<w:jc w:val="center"/>"#,
                &[Run::plain(t.as_str())],
                links,
            ),
            Block::Heading { level, text: t } => {
                let level = (*level).clamp(1, 9);
                para(
                    &mut s,
                    &format!("Heading{level}"),
                    "",
                    &[Run::plain(t.as_str())],
                    links,
                );
            }
            Block::Para(runs) => para(&mut s, "Normal", "", runs, links),
            Block::Flush(runs) => para(&mut s, "Flush", "", runs, links),
            Block::Right(t) => para(
                &mut s,
                "Flush",
                r#"<w:ind w:right="1280"/><w:jc w:val="right"/>"#,
                &[Run::plain(t.as_str())],
                links,
            ),
            Block::Item { list, depth, runs } => {
                let ppr = match list {
                    Some(i) => format!(
                        r#"<w:numPr><w:ilvl w:val="{}"/><w:numId w:val="{}"/></w:numPr>"#,
                        depth.min(&8),
                        i + 1
                    ),
                    None => format!(r#"<w:ind w:left="{}"/>"#, 640 * u32::from(*depth)),
                };
                para(&mut s, "Normal", &ppr, runs, links);
            }
            Block::Table { header, rows } => table(&mut s, header, rows, links),
            Block::Toc(entries) => toc(&mut s, entries),
            Block::PageBreak => s.push_str(r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#),
            Block::FrontEnd => {
                let _ = write!(s, "<w:p><w:pPr>{}</w:pPr></w:p>", sect_pr(false, false));
            }
        }
    }
    s.push_str(&sect_pr(true, front));
    s.push_str("</w:body></w:document>");
    s
}

/// One paragraph of style `style` with extra paragraph properties `ppr` (in schema order
/// after the style: numbering, indentation, alignment).
fn para(s: &mut String, style: &str, ppr: &str, runs: &[Run], links: &mut Links) {
    let _ = write!(s, r#"<w:p><w:pPr><w:pStyle w:val="{style}"/>{ppr}</w:pPr>"#);
    for r in runs {
        match &r.link {
            Some(url) if external(url) => {
                let id = links.id(url.trim());
                let _ = write!(s, r#"<w:hyperlink r:id="{id}" w:history="1">"#);
                run(s, &r.text, r.bold, true);
                s.push_str("</w:hyperlink>");
            }
            _ => run(s, &r.text, r.bold, false),
        }
    }
    s.push_str("</w:p>");
}

/// A run of text: line breaks become `w:br`, tabs `w:tab`.
fn run(s: &mut String, t: &str, bold: bool, link: bool) {
    if t.is_empty() {
        return;
    }
    s.push_str("<w:r>");
    match (bold, link) {
        (false, false) => {}
        (true, false) => s.push_str("<w:rPr><w:b/><w:bCs/></w:rPr>"),
        (false, true) => s.push_str(r#"<w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr>"#),
        (true, true) => s.push_str(r#"<w:rPr><w:rStyle w:val="Hyperlink"/><w:b/><w:bCs/></w:rPr>"#),
    }
    for (i, line) in t.split('\n').enumerate() {
        if i > 0 {
            s.push_str("<w:br/>");
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                s.push_str("<w:tab/>");
            }
            let piece = piece.trim_end_matches('\r');
            if !piece.is_empty() {
                let _ = write!(s, r#"<w:t xml:space="preserve">{}</w:t>"#, text(piece));
            }
        }
    }
    s.push_str("</w:r>");
}

/// The display width of a cell's longest line (a CJK character counts two), for column widths.
fn width_of(runs: &[Run]) -> usize {
    let text: String = runs.iter().map(|r| r.text.as_str()).collect();
    text.split('\n')
        .map(|l| l.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum())
        .max()
        .unwrap_or(0)
}

/// The width of the longest run of half-width characters without a space (a phone number).
fn longest_word(runs: &[Run]) -> usize {
    let mut longest = 0;
    let mut now = 0;
    for c in runs.iter().flat_map(|r| r.text.chars()) {
        if c.is_ascii_graphic() {
            now += 1;
            longest = longest.max(now);
        } else {
            now = 0;
        }
    }
    longest
}

/// A table with borders, as wide as the type area; columns share it by the width of their
/// text (each at least a tenth of its fair share).
fn table(s: &mut String, header: &[Vec<Run>], rows: &[Vec<Vec<Run>>], links: &mut Links) {
    let n = header
        .len()
        .max(rows.iter().map(Vec::len).max().unwrap_or(0))
        .max(1);
    let mut want = vec![4usize; n];
    for row in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        for (i, cell) in row.iter().enumerate().take(n) {
            want[i] = want[i].max(width_of(cell).min(40) + 2);
        }
    }
    // a number or a Latin word is never broken: each column is at least as wide as its
    // longest (a half-width digit at 四号 is 7-8.5 pt wide, and the cell has margins)
    let mut least = vec![0u32; n];
    for row in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        for (i, cell) in row.iter().enumerate().take(n) {
            least[i] = least[i].max(longest_word(cell).min(30) as u32 * 170 + 300);
        }
    }
    let total: usize = want.iter().sum();
    let mut widths: Vec<u32> = want
        .iter()
        .map(|w| (TYPE_WIDTH as usize * w / total.max(1)) as u32)
        .collect();
    let short: u32 = widths
        .iter()
        .zip(&least)
        .map(|(w, l)| l.saturating_sub(*w))
        .sum();
    let spare: u32 = widths
        .iter()
        .zip(&least)
        .map(|(w, l)| w.saturating_sub(*l))
        .sum();
    if short > 0 && spare >= short {
        for (w, l) in widths.iter_mut().zip(&least) {
            if *w < *l {
                *w = *l;
            } else {
                let over = *w - *l;
                *w -= (u64::from(over) * u64::from(short) / u64::from(spare)) as u32;
            }
        }
    }
    let _ = write!(
        s,
        r#"<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{TYPE_WIDTH}" w:type="dxa"/><w:jc w:val="center"/>{}<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>"#,
        borders("tblBorders")
    );
    for w in &widths {
        let _ = write!(s, r#"<w:gridCol w:w="{w}"/>"#);
    }
    s.push_str("</w:tblGrid>");
    let empty: Vec<Run> = Vec::new();
    let mut row_xml = |s: &mut String, cells: &[Vec<Run>], head: bool| {
        s.push_str("<w:tr>");
        if head {
            s.push_str("<w:trPr><w:tblHeader/></w:trPr>");
        }
        for (i, w) in widths.iter().enumerate() {
            let cell = cells.get(i).unwrap_or(&empty);
            let _ = write!(
                s,
                r#"<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>"#
            );
            if head {
                let bold: Vec<Run> = cell
                    .iter()
                    .map(|r| Run {
                        bold: true,
                        ..r.clone()
                    })
                    .collect();
                para(s, "TableText", r#"<w:jc w:val="center"/>"#, &bold, links);
            } else {
                para(s, "TableText", "", cell, links);
            }
            s.push_str("</w:tc>");
        }
        s.push_str("</w:tr>");
    };
    if !header.is_empty() {
        row_xml(s, header, true);
    }
    for r in rows {
        row_xml(s, r, false);
    }
    s.push_str("</w:tbl>");
}

/// The table of contents: its heading, then a `TOC \o "1-3" \h` field whose result, until Word
/// updates it, is the entries' titles.
fn toc(s: &mut String, entries: &[(u8, String)]) {
    let _ = write!(
        s,
        r#"<w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr><w:r><w:t>{}</w:t></w:r></w:p>"#,
        text("目　录")
    );
    s.push_str(concat!(
        r#"<w:p><w:pPr><w:pStyle w:val="TOC1"/></w:pPr>"#,
        r#"<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>"#,
        r#"<w:r><w:instrText xml:space="preserve"> TOC \o "1-3" \h \z </w:instrText></w:r>"#,
        r#"<w:r><w:fldChar w:fldCharType="separate"/></w:r>"#,
    ));
    let mut first = true;
    for (level, title) in entries.iter().filter(|(l, _)| (1..=3).contains(l)) {
        if !first {
            let _ = write!(s, r#"<w:p><w:pPr><w:pStyle w:val="TOC{level}"/></w:pPr>"#);
        }
        let _ = write!(
            s,
            r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#,
            text(title)
        );
        s.push_str("</w:p>");
        first = false;
    }
    if first {
        s.push_str("</w:p>");
    }
    s.push_str(r#"<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(bytes: &[u8], name: &str) -> String {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
        let mut f = z.by_name(name).expect("part");
        let mut s = String::new();
        std::io::Read::read_to_string(&mut f, &mut s).expect("utf-8");
        s
    }

    #[test]
    fn text_is_escaped_and_characters_xml_cannot_carry_are_dropped() {
        assert_eq!(text("a<b & c>\"d'"), "a&lt;b &amp; c&gt;&quot;d&apos;");
        assert_eq!(text("]]>"), "]]&gt;");
        assert_eq!(
            text("甲\u{0}\u{1}\u{8}乙\u{b}\u{c}\u{1f}\u{FFFE}\u{FFFF}丙\t"),
            "甲乙丙\t"
        );
    }

    #[test]
    fn only_web_and_mail_addresses_stay_links() {
        assert!(external("https://www.mem.gov.cn/"));
        assert!(external("HTTP://x.org") && external("mailto:duty@x.org"));
        for d in [
            "file:///etc/passwd",
            "../x.md",
            "plan:xj-flood",
            "javascript:alert(1)",
            "tel:119",
            "http://",
            "\\\\srv\\share",
        ] {
            assert!(!external(d), "{d}");
        }
    }

    #[test]
    fn a_link_becomes_an_external_relationship_and_nothing_else_does() {
        let p = Package {
            blocks: vec![Block::Para(vec![
                Run {
                    text: "应急管理部".into(),
                    bold: false,
                    link: Some("https://www.mem.gov.cn/?a=1&b=2".into()),
                },
                Run {
                    text: "本地文件".into(),
                    bold: false,
                    link: Some("file:///etc/passwd".into()),
                },
            ])],
            ..Package::default()
        };
        let bytes = write(&p).expect("docx");
        let rels = part(&bytes, "word/_rels/document.xml.rels");
        assert!(
            rels.contains(r#"Target="https://www.mem.gov.cn/?a=1&amp;b=2" TargetMode="External""#),
            "{rels}"
        );
        assert!(!rels.contains("passwd"), "{rels}");
        let doc = part(&bytes, "word/document.xml");
        assert_eq!(doc.matches("<w:hyperlink").count(), 1, "{doc}");
        assert!(doc.contains("本地文件"));
    }

    #[test]
    fn a_phone_number_column_is_wide_enough_for_its_numbers() {
        let cell = |t: &str| vec![Run::plain(t)];
        let p = Package {
            blocks: vec![Block::Table {
                header: vec![cell("姓名"), cell("单位及职务"), cell("电话")],
                rows: vec![vec![
                    cell("刘志强"),
                    cell(&"青溪恒达化工有限公司总经理、应急总指挥".repeat(3)),
                    cell("13907452618\n0745-6628001"),
                ]],
            }],
            ..Package::default()
        };
        let doc = part(&write(&p).expect("docx"), "word/document.xml");
        let cols: Vec<u32> = doc
            .split(r#"<w:gridCol w:w=""#)
            .skip(1)
            .filter_map(|c| c.split('"').next()?.parse().ok())
            .collect();
        assert_eq!(cols.len(), 3, "{doc}");
        assert!(cols[2] >= 11 * 170 + 300, "{cols:?}");
        assert!(cols.iter().sum::<u32>() <= TYPE_WIDTH, "{cols:?}");
        assert!(
            doc.contains("13907452618</w:t></w:r>") || doc.contains("13907452618</w:t><w:br/>")
        );
    }

    #[test]
    fn zip_entries_are_dated_from_the_epoch_in_a_fixed_order() {
        let p = Package {
            blocks: vec![Block::Para(vec![Run::plain("正文")])],
            epoch: 1_718_841_600, // 2024-06-20
            ..Package::default()
        };
        let bytes = write(&p).expect("docx");
        assert_eq!(bytes, write(&p).expect("again"));
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes.as_slice())).expect("zip");
        let names: Vec<String> = (0..z.len())
            .map(|i| z.by_index(i).expect("entry").name().to_string())
            .collect();
        assert_eq!(names, PARTS);
        let t = z.by_index(0).expect("entry").last_modified().expect("time");
        assert_eq!((t.year(), t.month(), t.day()), (2024, 6, 20));
        assert!(part(&bytes, "docProps/core.xml").contains("2024-06-20T00:00:00Z"));
        assert_eq!(zip_time(-5), zip::DateTime::DEFAULT);
    }
}
