//! A reader of the PDFs yuan writes, for tests, on `lopdf` alone (no poppler): pages and their
//! sizes (MediaBox), the text runs of each page with position, size, font, fill colour and the
//! link over them, filled rectangles, link annotations, the fonts (embedded, subset, ToUnicode)
//! and the document information dictionary.
//!
//! Text is decoded the way a viewer does: the content stream's text operators (`Tf`, `Td`,
//! `TD`, `Tm`, `T*`, `Tj`, `TJ`, `'`, `"`) under the current transformation matrix (`cm`,
//! `q`/`Q`), each code through the font's `/ToUnicode` CMap (`bfchar` and `bfrange`; 2-byte
//! codes for Type0 fonts, as printpdf writes them with Identity-H) and advanced by the font's
//! widths (`/W` and `/DW`, or `/Widths`). [`PdfPage::lines`] groups the runs of a page into
//! lines by baseline, top to bottom, each sorted left to right, with a space where a gap
//! separates two runs: the order `pdftotext -layout` reads in. [`PdfPage::raw_text`] keeps
//! drawing order (`pdftotext -raw`).
//!
//! Coordinates are PDF points with the origin at the bottom left of the page.

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Where a link annotation goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A page of the same document, 1-based.
    Page(usize),
    Uri(String),
}

/// One text-showing operator: where it starts (baseline), how big and wide, in which font
/// and colour, the text it shows and the link over its middle.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    pub x: f32,
    pub y: f32,
    /// Font size in points, after the text and transformation matrices.
    pub size: f32,
    /// Advance width in points.
    pub width: f32,
    /// Resource name of the font (`YUANRG`).
    pub font: String,
    /// The font's `/BaseFont` (`YUANRG+NotoSansCJKsc-Regular`).
    pub base_font: String,
    /// Fill colour as `#rrggbb`.
    pub color: String,
    pub text: String,
    pub link: Option<Target>,
}

impl TextRun {
    /// The 1-based page the run's link goes to.
    pub fn link_page(&self) -> Option<usize> {
        match &self.link {
            Some(Target::Page(p)) => Some(*p),
            _ => None,
        }
    }
}

/// A filled rectangle (`re` … `f`).
#[derive(Debug, Clone, PartialEq)]
pub struct FilledRect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    /// `#rrggbb`.
    pub color: String,
}

/// A link annotation: its rectangle `[x0, y0, x1, y1]` and target.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub rect: [f32; 4],
    pub target: Option<Target>,
}

/// One page.
#[derive(Debug, Clone, Default)]
pub struct PdfPage {
    /// MediaBox width and height in points.
    pub width: f32,
    pub height: f32,
    /// Text runs in drawing order.
    pub runs: Vec<TextRun>,
    pub rects: Vec<FilledRect>,
    pub links: Vec<Link>,
}

/// One font of the document, as `pdffonts` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct FontInfo {
    pub base_font: String,
    /// `/Subtype` (`Type0`, `TrueType`, …).
    pub subtype: String,
    /// The font program is in the file (`/FontFile`, `/FontFile2` or `/FontFile3`).
    pub embedded: bool,
    /// The name carries a subset tag (six capital letters and `+`).
    pub subset: bool,
    /// The font has a `/ToUnicode` map.
    pub to_unicode: bool,
}

/// A whole document.
#[derive(Debug, Clone)]
pub struct Pdf {
    pub pages: Vec<PdfPage>,
    /// Fonts referenced by the pages' resources, each once, in page order.
    pub fonts: Vec<FontInfo>,
    /// The information dictionary's text entries (`CreationDate`, `Title`, …).
    pub info: BTreeMap<String, String>,
}

/// Reads `path` (the test fails if it is not a readable PDF).
pub fn open(path: &Path) -> Pdf {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Pdf::parse(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text of `path`, each page's lines top to bottom (like `pdftotext -layout`), each page
/// ended by a form feed.
pub fn text(path: &Path) -> String {
    open(path).text()
}

/// The text of `path` in drawing order (like `pdftotext -raw`).
pub fn raw_text(path: &Path) -> String {
    open(path).raw_text()
}

/// The page count of `path`.
pub fn pages(path: &Path) -> usize {
    open(path).pages.len()
}

impl Pdf {
    /// Parses PDF bytes.
    pub fn parse(bytes: &[u8]) -> Result<Pdf, String> {
        let doc = Document::load_mem(bytes).map_err(|e| format!("not a PDF: {e}"))?;
        let page_ids: BTreeMap<u32, ObjectId> = doc.get_pages();
        let number_of: HashMap<ObjectId, usize> =
            page_ids.iter().map(|(n, id)| (*id, *n as usize)).collect();
        let mut pages = Vec::new();
        let mut fonts = Vec::new();
        let mut seen_fonts = Vec::new();
        for id in page_ids.values() {
            let page = doc
                .get_dictionary(*id)
                .map_err(|e| format!("page {id:?}: {e}"))?;
            let media = inherited(&doc, page, b"MediaBox")
                .ok_or_else(|| format!("page {id:?} has no MediaBox"))?;
            let r = numbers(&doc, media);
            if r.len() != 4 {
                return Err(format!("page {id:?}: MediaBox {r:?}"));
            }
            let font_dict = page_fonts(&doc, page);
            let mut decoders = HashMap::new();
            for (name, obj) in &font_dict {
                let (fid, dict) = match doc.dereference(obj) {
                    Ok((fid, Object::Dictionary(d))) => (fid, d),
                    _ => continue,
                };
                decoders.insert(name.clone(), FontDecoder::new(&doc, dict));
                let key = fid.map_or_else(|| format!("inline {name}"), |i| format!("{i:?}"));
                if !seen_fonts.contains(&key) {
                    seen_fonts.push(key);
                    fonts.push(font_info(&doc, dict));
                }
            }
            let content = doc.get_page_content(*id);
            let ops = Content::decode(&content)
                .map_err(|e| format!("page {id:?}: content stream: {e}"))?
                .operations;
            let mut p = PdfPage {
                width: r[2] - r[0],
                height: r[3] - r[1],
                links: links(&doc, page, &number_of),
                ..PdfPage::default()
            };
            interpret(&ops, &decoders, &mut p);
            for run in &mut p.runs {
                let (mx, my) = (run.x + run.width / 2.0, run.y + run.size * 0.3);
                run.link = p
                    .links
                    .iter()
                    .find(|l| {
                        l.target.is_some()
                            && mx >= l.rect[0]
                            && mx <= l.rect[2]
                            && my >= l.rect[1]
                            && my <= l.rect[3]
                    })
                    .and_then(|l| l.target.clone());
            }
            pages.push(p);
        }
        let mut info = BTreeMap::new();
        if let Ok(obj) = doc.trailer.get(b"Info") {
            if let Ok((_, Object::Dictionary(d))) = doc.dereference(obj) {
                for (k, v) in d.iter() {
                    if let Ok(s) = lopdf::decode_text_string(v) {
                        info.insert(String::from_utf8_lossy(k).into_owned(), s);
                    }
                }
            }
        }
        Ok(Pdf { pages, fonts, info })
    }

    /// Every page's [`PdfPage::text`], each ended by a form feed (as `pdftotext` does).
    pub fn text(&self) -> String {
        self.pages.iter().map(|p| p.text() + "\u{c}").collect()
    }

    /// Every page's [`PdfPage::raw_text`], each ended by a form feed.
    pub fn raw_text(&self) -> String {
        self.pages.iter().map(|p| p.raw_text() + "\u{c}").collect()
    }

    /// Every text run with its 1-based page number, in page and drawing order.
    pub fn runs(&self) -> impl Iterator<Item = (usize, &TextRun)> {
        self.pages
            .iter()
            .enumerate()
            .flat_map(|(i, p)| p.runs.iter().map(move |r| (i + 1, r)))
    }
}

/// Two runs on one line closer than this (in ems of the smaller) touch; farther apart they
/// are separated by a space.
const GAP_EM: f32 = 0.2;

/// Baselines closer than this (in ems of the smaller size) are one line.
const SAME_LINE_EM: f32 = 0.4;

fn same_line(a: &TextRun, b: &TextRun) -> bool {
    (a.y - b.y).abs() <= SAME_LINE_EM * a.size.min(b.size)
}

/// `b` follows `a` on a line: nothing, or a space where a gap separates them.
fn joint(a: &TextRun, b: &TextRun) -> &'static str {
    if b.x - (a.x + a.width) > GAP_EM * a.size.min(b.size) {
        " "
    } else {
        ""
    }
}

impl PdfPage {
    /// The page's lines: runs grouped by baseline, top to bottom, each line left to right.
    pub fn lines(&self) -> Vec<String> {
        let mut runs: Vec<&TextRun> = self.runs.iter().filter(|r| !r.text.is_empty()).collect();
        runs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
        let mut lines: Vec<Vec<&TextRun>> = Vec::new();
        for r in runs {
            match lines.last_mut() {
                // single linkage to the nearest run so far: a step number a point below
                // its text and a label a point above it are on the text's line
                Some(line) if line.last().is_some_and(|l| same_line(l, r)) => line.push(r),
                _ => lines.push(vec![r]),
            }
        }
        lines
            .into_iter()
            .map(|mut line| {
                line.sort_by(|a, b| a.x.total_cmp(&b.x));
                let mut s = String::new();
                for (i, r) in line.iter().enumerate() {
                    if i > 0 {
                        s.push_str(joint(line[i - 1], r));
                    }
                    s.push_str(&r.text);
                }
                s
            })
            .collect()
    }

    /// The lines, each ended by a line break.
    pub fn text(&self) -> String {
        self.lines().iter().map(|l| format!("{l}\n")).collect()
    }

    /// The runs in drawing order: a line break where the baseline changes.
    pub fn raw_text(&self) -> String {
        let mut s = String::new();
        let mut last: Option<&TextRun> = None;
        for r in self.runs.iter().filter(|r| !r.text.is_empty()) {
            if let Some(l) = last {
                if same_line(l, r) && r.x >= l.x {
                    s.push_str(joint(l, r));
                } else {
                    s.push('\n');
                }
            }
            s.push_str(&r.text);
            last = Some(r);
        }
        if last.is_some() {
            s.push('\n');
        }
        s
    }
}

/// `key` of a page dictionary or of its ancestors (MediaBox and Resources are inheritable).
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..64 {
        if let Ok(v) = node.get(key) {
            return doc.dereference(v).ok().map(|(_, o)| o);
        }
        let parent = node.get(b"Parent").ok()?.as_reference().ok()?;
        node = doc.get_dictionary(parent).ok()?;
    }
    None
}

fn numbers(doc: &Document, obj: &Object) -> Vec<f32> {
    match doc.dereference(obj) {
        Ok((_, Object::Array(a))) => a
            .iter()
            .filter_map(|o| doc.dereference(o).ok()?.1.as_float().ok())
            .collect(),
        _ => Vec::new(),
    }
}

fn dict<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    match doc.dereference(d.get(key).ok()?).ok()? {
        (_, Object::Dictionary(d)) => Some(d),
        _ => None,
    }
}

fn name(doc: &Document, d: &Dictionary, key: &[u8]) -> String {
    d.get(key)
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_name().ok())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_default()
}

/// The `/Font` entries of a page's resources: resource name -> font object.
fn page_fonts<'a>(doc: &'a Document, page: &'a Dictionary) -> Vec<(String, &'a Object)> {
    let Some(Object::Dictionary(res)) = inherited(doc, page, b"Resources") else {
        return Vec::new();
    };
    let Some(fonts) = dict(doc, res, b"Font") else {
        return Vec::new();
    };
    fonts
        .iter()
        .map(|(k, v)| (String::from_utf8_lossy(k).into_owned(), v))
        .collect()
}

/// The font descriptor of a simple font or of a Type0 font's descendant.
fn descriptor<'a>(doc: &'a Document, font: &'a Dictionary) -> Option<&'a Dictionary> {
    if let Some(d) = dict(doc, font, b"FontDescriptor") {
        return Some(d);
    }
    let desc = descendant(doc, font)?;
    dict(doc, desc, b"FontDescriptor")
}

fn descendant<'a>(doc: &'a Document, font: &'a Dictionary) -> Option<&'a Dictionary> {
    let arr = doc.dereference(font.get(b"DescendantFonts").ok()?).ok()?.1;
    let first = arr.as_array().ok()?.first()?;
    match doc.dereference(first).ok()? {
        (_, Object::Dictionary(d)) => Some(d),
        _ => None,
    }
}

fn font_info(doc: &Document, font: &Dictionary) -> FontInfo {
    let base_font = name(doc, font, b"BaseFont");
    let embedded = descriptor(doc, font).is_some_and(|d| {
        [&b"FontFile"[..], b"FontFile2", b"FontFile3"]
            .iter()
            .any(|k| d.has(k))
    });
    let subset = base_font
        .split_once('+')
        .is_some_and(|(tag, _)| tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()));
    FontInfo {
        subtype: name(doc, font, b"Subtype"),
        embedded,
        subset,
        to_unicode: font.has(b"ToUnicode"),
        base_font,
    }
}

/// What decoding a font's codes needs.
#[derive(Debug, Default)]
struct FontDecoder {
    base_font: String,
    /// Type0 fonts: 2-byte codes (Identity-H); simple fonts: 1 byte.
    two_byte: bool,
    to_unicode: HashMap<u32, String>,
    /// Glyph widths in thousandths of an em.
    widths: HashMap<u32, f32>,
    default_width: f32,
}

impl FontDecoder {
    fn new(doc: &Document, font: &Dictionary) -> FontDecoder {
        let mut d = FontDecoder {
            base_font: name(doc, font, b"BaseFont"),
            two_byte: name(doc, font, b"Subtype") == "Type0",
            ..FontDecoder::default()
        };
        if let Ok((_, Object::Stream(s))) = font.get(b"ToUnicode").and_then(|o| doc.dereference(o))
        {
            let bytes = s
                .decompressed_content()
                .unwrap_or_else(|_| s.content.clone());
            d.to_unicode = parse_to_unicode(&String::from_utf8_lossy(&bytes));
        }
        if d.two_byte {
            d.default_width = 1000.0;
            if let Some(desc) = descendant(doc, font) {
                if let Ok(w) = desc.get(b"DW").and_then(Object::as_float) {
                    d.default_width = w;
                }
                if let Ok((_, Object::Array(w))) = desc.get(b"W").and_then(|o| doc.dereference(o)) {
                    d.widths = cid_widths(doc, w);
                }
            }
        } else {
            let first = font.get(b"FirstChar").and_then(Object::as_i64).unwrap_or(0);
            if let Ok(w) = font.get(b"Widths") {
                for (i, w) in numbers(doc, w).into_iter().enumerate() {
                    d.widths.insert((first + i as i64) as u32, w);
                }
            }
        }
        d
    }

    /// The codes of a string operand.
    fn codes(&self, bytes: &[u8]) -> Vec<u32> {
        if self.two_byte {
            bytes
                .chunks(2)
                .map(|c| c.iter().fold(0u32, |a, b| a << 8 | u32::from(*b)))
                .collect()
        } else {
            bytes.iter().map(|b| u32::from(*b)).collect()
        }
    }

    fn text(&self, code: u32) -> String {
        match self.to_unicode.get(&code) {
            Some(s) => s.clone(),
            None if !self.two_byte => char::from_u32(code).map(String::from).unwrap_or_default(),
            None => "\u{fffd}".into(),
        }
    }

    fn width(&self, code: u32) -> f32 {
        self.widths
            .get(&code)
            .copied()
            .unwrap_or(self.default_width)
    }
}

/// The `/W` array of a CID font: `c [w1 w2 …]` and `c_first c_last w` entries.
fn cid_widths(doc: &Document, w: &[Object]) -> HashMap<u32, f32> {
    let mut out = HashMap::new();
    let mut i = 0;
    let num = |o: &Object| doc.dereference(o).ok().and_then(|(_, o)| o.as_float().ok());
    while i < w.len() {
        let Some(first) = num(&w[i]) else { break };
        match w.get(i + 1).map(|o| doc.dereference(o).map(|(_, o)| o)) {
            Some(Ok(Object::Array(list))) => {
                for (k, v) in list.iter().enumerate() {
                    if let Some(v) = num(v) {
                        out.insert(first as u32 + k as u32, v);
                    }
                }
                i += 2;
            }
            Some(_) => {
                let (Some(last), Some(v)) =
                    (w.get(i + 1).and_then(num), w.get(i + 2).and_then(num))
                else {
                    break;
                };
                for c in first as u32..=last as u32 {
                    out.insert(c, v);
                }
                i += 3;
            }
            None => break,
        }
    }
    out
}

/// A token of a CMap.
#[derive(Debug, PartialEq)]
enum Tok {
    Hex(Vec<u8>),
    Word(String),
    Open,
    Close,
}

fn cmap_tokens(s: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '%' => {
                for c in chars.by_ref() {
                    if c == '\n' || c == '\r' {
                        break;
                    }
                }
            }
            '<' if chars.peek() == Some(&'<') => {
                chars.next();
                out.push(Tok::Word("<<".into()));
            }
            '<' => {
                let mut hex = String::new();
                for c in chars.by_ref() {
                    if c == '>' {
                        break;
                    }
                    if c.is_ascii_hexdigit() {
                        hex.push(c);
                    }
                }
                if hex.len() % 2 == 1 {
                    hex.push('0');
                }
                let bytes = (0..hex.len())
                    .step_by(2)
                    .filter_map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
                    .collect();
                out.push(Tok::Hex(bytes));
            }
            '[' => out.push(Tok::Open),
            ']' => out.push(Tok::Close),
            c if c.is_whitespace() => {}
            c => {
                let mut w = String::from(c);
                while let Some(&n) = chars.peek() {
                    if n.is_whitespace() || "<>[]%".contains(n) {
                        break;
                    }
                    w.push(n);
                    chars.next();
                }
                out.push(Tok::Word(w));
            }
        }
    }
    out
}

fn code_of(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0u32, |a, b| a << 8 | u32::from(*b))
}

/// UTF-16BE bytes as text.
fn utf16(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|c| c.iter().fold(0u16, |a, b| a << 8 | u16::from(*b)))
        .collect();
    String::from_utf16_lossy(&units)
}

/// UTF-16BE `bytes` with the last code unit raised by `k` (a `bfrange` destination).
fn utf16_plus(bytes: &[u8], k: u32) -> String {
    let mut b = bytes.to_vec();
    let n = b.len();
    if n >= 2 {
        let last = u32::from(u16::from_be_bytes([b[n - 2], b[n - 1]])) + k;
        b[n - 2..].copy_from_slice(&(last as u16).to_be_bytes());
    }
    utf16(&b)
}

/// Parses the `bfchar` and `bfrange` sections of a ToUnicode CMap: code -> text.
pub fn parse_to_unicode(cmap: &str) -> HashMap<u32, String> {
    let toks = cmap_tokens(cmap);
    let mut out = HashMap::new();
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            Tok::Word(w) if w == "beginbfchar" => {
                i += 1;
                while i + 1 < toks.len() {
                    match (&toks[i], &toks[i + 1]) {
                        (Tok::Hex(src), Tok::Hex(dst)) => {
                            out.insert(code_of(src), utf16(dst));
                            i += 2;
                        }
                        _ => break,
                    }
                }
            }
            Tok::Word(w) if w == "beginbfrange" => {
                i += 1;
                while i + 2 < toks.len() {
                    let (Tok::Hex(lo), Tok::Hex(hi)) = (&toks[i], &toks[i + 1]) else {
                        break;
                    };
                    let (lo, hi) = (code_of(lo), code_of(hi));
                    match &toks[i + 2] {
                        Tok::Hex(dst) => {
                            for c in lo..=hi.min(lo + 0xFFFF) {
                                out.insert(c, utf16_plus(dst, c - lo));
                            }
                            i += 3;
                        }
                        Tok::Open => {
                            let mut j = i + 3;
                            let mut c = lo;
                            while let Some(Tok::Hex(dst)) = toks.get(j) {
                                if c <= hi {
                                    out.insert(c, utf16(dst));
                                }
                                c += 1;
                                j += 1;
                            }
                            // past the closing bracket
                            i = j + usize::from(toks.get(j) == Some(&Tok::Close));
                        }
                        _ => break,
                    }
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// The link annotations of a page, their page targets numbered by `number_of`.
fn links(doc: &Document, page: &Dictionary, number_of: &HashMap<ObjectId, usize>) -> Vec<Link> {
    let Some(Object::Array(annots)) = page
        .get(b"Annots")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .map(|(_, o)| o)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for a in annots {
        let Ok((_, Object::Dictionary(a))) = doc.dereference(a) else {
            continue;
        };
        if name(doc, a, b"Subtype") != "Link" {
            continue;
        }
        let r = a.get(b"Rect").map(|o| numbers(doc, o)).unwrap_or_default();
        if r.len() != 4 {
            continue;
        }
        let dest_page = |d: &Object| -> Option<Target> {
            let (_, d) = doc.dereference(d).ok()?;
            let first = d.as_array().ok()?.first()?;
            let id = first.as_reference().ok()?;
            number_of.get(&id).map(|n| Target::Page(*n))
        };
        let mut target = a.get(b"Dest").ok().and_then(dest_page);
        if target.is_none() {
            if let Some(action) = dict(doc, a, b"A") {
                target = match name(doc, action, b"S").as_str() {
                    "GoTo" => action.get(b"D").ok().and_then(dest_page),
                    "URI" => action
                        .get(b"URI")
                        .ok()
                        .and_then(|o| o.as_str().ok())
                        .map(|u| Target::Uri(String::from_utf8_lossy(u).into_owned())),
                    _ => None,
                };
            }
        }
        out.push(Link {
            rect: [
                r[0].min(r[2]),
                r[1].min(r[3]),
                r[0].max(r[2]),
                r[1].max(r[3]),
            ],
            target,
        });
    }
    out
}

type Matrix = [f32; 6];

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a` then `b` (row vectors: p' = p × a × b).
fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn apply(m: &Matrix, x: f32, y: f32) -> (f32, f32) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

fn hex_color(c: [f32; 3]) -> String {
    let b = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    format!("#{:02x}{:02x}{:02x}", b(c[0]), b(c[1]), b(c[2]))
}

/// Graphics state saved by `q`.
#[derive(Clone)]
struct Gs {
    ctm: Matrix,
    fill: [f32; 3],
    // text state (part of the graphics state)
    font: Option<String>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    hscale: f32,
    leading: f32,
    rise: f32,
}

/// Runs the operators of a page's content stream, collecting text runs and filled rectangles.
fn interpret(
    ops: &[lopdf::content::Operation],
    fonts: &HashMap<String, FontDecoder>,
    page: &mut PdfPage,
) {
    let mut gs = Gs {
        ctm: IDENTITY,
        fill: [0.0; 3],
        font: None,
        size: 0.0,
        char_spacing: 0.0,
        word_spacing: 0.0,
        hscale: 1.0,
        leading: 0.0,
        rise: 0.0,
    };
    let mut stack: Vec<Gs> = Vec::new();
    let mut tm = IDENTITY;
    let mut tlm = IDENTITY;
    let mut path_rects: Vec<[f32; 4]> = Vec::new();
    let empty = FontDecoder::default();
    for op in ops {
        let f = |i: usize| -> f32 {
            op.operands
                .get(i)
                .and_then(|o| o.as_float().ok())
                .unwrap_or(0.0)
        };
        match op.operator.as_str() {
            "q" => stack.push(gs.clone()),
            "Q" => {
                if let Some(s) = stack.pop() {
                    gs = s;
                }
            }
            "cm" => gs.ctm = mul(&[f(0), f(1), f(2), f(3), f(4), f(5)], &gs.ctm),
            "rg" => gs.fill = [f(0), f(1), f(2)],
            "g" => gs.fill = [f(0); 3],
            "k" => {
                let k = f(3);
                gs.fill = [
                    (1.0 - f(0)) * (1.0 - k),
                    (1.0 - f(1)) * (1.0 - k),
                    (1.0 - f(2)) * (1.0 - k),
                ];
            }
            "BT" => {
                tm = IDENTITY;
                tlm = IDENTITY;
            }
            "Tf" => {
                gs.font = op
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .map(|n| String::from_utf8_lossy(n).into_owned());
                gs.size = f(1);
            }
            "Tc" => gs.char_spacing = f(0),
            "Tw" => gs.word_spacing = f(0),
            "Tz" => gs.hscale = f(0) / 100.0,
            "TL" => gs.leading = f(0),
            "Ts" => gs.rise = f(0),
            "Td" | "TD" => {
                if op.operator == "TD" {
                    gs.leading = -f(1);
                }
                tlm = mul(&[1.0, 0.0, 0.0, 1.0, f(0), f(1)], &tlm);
                tm = tlm;
            }
            "Tm" => {
                tlm = [f(0), f(1), f(2), f(3), f(4), f(5)];
                tm = tlm;
            }
            "T*" | "'" | "\"" | "Tj" | "TJ" => {
                if op.operator == "\"" {
                    gs.word_spacing = f(0);
                    gs.char_spacing = f(1);
                }
                if matches!(op.operator.as_str(), "T*" | "'" | "\"") {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                    tm = tlm;
                }
                let items: Vec<&Object> = match op.operator.as_str() {
                    "T*" => continue,
                    "TJ" => match op.operands.first() {
                        Some(Object::Array(a)) => a.iter().collect(),
                        _ => Vec::new(),
                    },
                    _ => op.operands.last().into_iter().collect(),
                };
                let font = gs
                    .font
                    .as_ref()
                    .and_then(|n| fonts.get(n))
                    .unwrap_or(&empty);
                let start = mul(&tm, &gs.ctm);
                let (x, y) = apply(&start, 0.0, gs.rise);
                let mut text = String::new();
                for item in items {
                    match item {
                        Object::String(bytes, _) => {
                            for code in font.codes(bytes) {
                                text.push_str(&font.text(code));
                                let spacing = if !font.two_byte && code == 32 {
                                    gs.word_spacing
                                } else {
                                    0.0
                                };
                                let tx = (font.width(code) / 1000.0 * gs.size
                                    + gs.char_spacing
                                    + spacing)
                                    * gs.hscale;
                                tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                            }
                        }
                        other => {
                            if let Ok(n) = other.as_float() {
                                let tx = -n / 1000.0 * gs.size * gs.hscale;
                                tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                            }
                        }
                    }
                }
                let end = apply(&mul(&tm, &gs.ctm), 0.0, gs.rise);
                let scale = (start[2] * start[2] + start[3] * start[3]).sqrt();
                page.runs.push(TextRun {
                    x,
                    y,
                    size: gs.size * scale,
                    width: ((end.0 - x).powi(2) + (end.1 - y).powi(2)).sqrt(),
                    font: gs.font.clone().unwrap_or_default(),
                    base_font: font.base_font.clone(),
                    color: hex_color(gs.fill),
                    text,
                    link: None,
                });
            }
            "re" => {
                let (x0, y0) = apply(&gs.ctm, f(0), f(1));
                let (x1, y1) = apply(&gs.ctm, f(0) + f(2), f(1) + f(3));
                path_rects.push([x0.min(x1), y0.min(y1), (x1 - x0).abs(), (y1 - y0).abs()]);
            }
            "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                for r in path_rects.drain(..) {
                    page.rects.push(FilledRect {
                        x: r[0],
                        y: r[1],
                        w: r[2],
                        h: r[3],
                        color: hex_color(gs.fill),
                    });
                }
            }
            "S" | "s" | "n" => path_rects.clear(),
            _ => {}
        }
    }
}
