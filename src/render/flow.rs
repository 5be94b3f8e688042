//! A small paginating flow layout for book-like documents (handbooks now, exercise packs next):
//! headings, paragraphs, lists (bulleted, numbered, checkboxes), tables that break across pages
//! with their header row repeated, a reporting-flow chart, a cover, a clickable contents, a
//! running header and page numbers.
//!
//! Text is measured with [`super::font`] and broken with [`super::text::wrap`] (the Chinese
//! punctuation rules of the cards); the result is the plain [`Page`] model that tests snapshot
//! and [`super::pdf`] draws, with bookmarks for every heading of level 1 and 2.

use super::font::{Face, Fonts, PT_TO_MM};
use super::layout::{Color, Item, LinkTarget, Page};
use super::text::{wrap, wrap_ranges};
use std::collections::{HashMap, HashSet};

/// A span of inline text. In a PDF, a bold run is drawn in the bold face (synthetic bold
/// without one) and a run with an `href` becomes a blue, underlined link when it goes
/// somewhere: `#id` to an [`Anchor`] of the same book, or an external `http(s)`, `mailto:` or
/// `tel:` address; any other `href` is drawn as plain text.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    pub href: Option<String>,
}

impl Run {
    pub(crate) fn plain(text: impl Into<String>) -> Run {
        Run {
            text: text.into(),
            bold: false,
            href: None,
        }
    }
}

/// Concatenated text of runs.
pub(crate) fn runs_text(runs: &[Run]) -> String {
    runs.iter().map(|r| r.text.as_str()).collect()
}

/// Cell padding of tables, mm.
const TABLE_PAD: f32 = 1.2;

/// A table's geometry and its wrapped header row (see `Flow::table_head`).
struct TableHead {
    cols: usize,
    col_w: Vec<f32>,
    size: f32,
    lh: f32,
    lines: Vec<Vec<String>>,
    height: f32,
}

/// One arrow of a flow chart: `from` reports to `to`, `label` on the arrow, `note` under it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FlowStep {
    pub from: String,
    pub to: String,
    pub label: String,
    pub note: String,
}

/// A cell colour band at the left of a table row (warning colours).
pub(crate) type RowMark = Option<Color>;

/// A block of content, laid out top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Levels 1–4; 1 and 2 appear in the contents and the bookmarks.
    Heading {
        level: u8,
        text: String,
    },
    Para(Vec<Run>),
    /// A small grey line (source notes, captions).
    Note(String),
    List {
        kind: ListKind,
        items: Vec<Vec<Run>>,
    },
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
        /// Relative column widths (any scale), one per column.
        widths: Vec<f32>,
        /// Optional colour mark per row (same length as `rows`, or empty).
        marks: Vec<RowMark>,
    },
    Flow(Vec<FlowStep>),
    PageBreak,
}

/// How list items are marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    Bullet,
    Numbered,
    /// An empty square to tick in the field.
    Check,
}

/// Page geometry and type sizes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Style {
    pub(crate) page_w: f32,
    pub(crate) page_h: f32,
    pub(crate) top: f32,
    pub(crate) bottom: f32,
    pub(crate) left: f32,
    pub(crate) right: f32,
    /// Body type size in points.
    pub(crate) body_pt: f32,
    /// Distance between body baselines in mm.
    pub(crate) pitch: f32,
    /// Sizes of heading levels 1–4 in points.
    pub(crate) heading_pt: [f32; 4],
    /// Heading levels drawn in bold (GB/T 9704: level 1 黑体; the others in the body face).
    pub(crate) heading_bold: [bool; 4],
    /// Running header at the top of every page but the cover.
    pub(crate) running_header: bool,
    /// GB/T 9704 page numbers: "— N —", outer side (right on odd, left on even pages).
    pub(crate) official_numbers: bool,
    /// Deepest heading level listed in the contents (bookmarks always go to level 2).
    pub(crate) toc_depth: u8,
}

impl Style {
    /// A4 with 20 mm margins, 10.5 pt body: a handbook to read and to carry.
    pub(crate) fn a4() -> Style {
        Style {
            page_w: 210.0,
            page_h: 297.0,
            top: 20.0,
            bottom: 18.0,
            left: 20.0,
            right: 18.0,
            body_pt: 10.5,
            pitch: 10.5 * 1.55 * PT_TO_MM,
            heading_pt: [17.0, 13.5, 11.5, 10.5],
            heading_bold: [true; 4],
            running_header: true,
            official_numbers: false,
            toc_depth: 2,
        }
    }

    /// GB/T 9704-2012 measures (domain.md §7): 天头 37 mm, 订口 28 mm, type area 156 × 225 mm
    /// (so 26 mm right, 35 mm bottom), 22 lines of 28 characters: 3号 (≈16 pt) body at a pitch
    /// of 225/22 mm. Headings in the body size; level 1 bold (黑体 when supplied).
    pub(crate) fn official() -> Style {
        Style {
            page_w: 210.0,
            page_h: 297.0,
            top: 37.0,
            bottom: 35.0,
            left: 28.0,
            right: 26.0,
            // 28 characters of one em fill exactly 156 mm
            body_pt: 156.0 / 28.0 / PT_TO_MM,
            pitch: 225.0 / 22.0,
            heading_pt: [156.0 / 28.0 / PT_TO_MM; 4],
            heading_bold: [true, false, false, false],
            running_header: false,
            official_numbers: true,
            toc_depth: 2,
        }
    }

    fn width(&self) -> f32 {
        self.page_w - self.left - self.right
    }
    fn body_bottom(&self) -> f32 {
        self.page_h - self.bottom
    }
    fn small_pt(&self) -> f32 {
        (self.body_pt * 0.85).max(8.0)
    }
}

/// The cover: a title, a subtitle and label–value lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Cover {
    pub(crate) kicker: String,
    pub(crate) title: String,
    pub(crate) lines: Vec<(String, String)>,
    /// Small print at the bottom (provenance).
    pub(crate) footer: String,
}

/// A laid-out book.
#[derive(Debug, Clone, Default)]
pub(crate) struct Book {
    pub(crate) pages: Vec<Page>,
    /// Bookmarks: (title, 0-based page), in order.
    pub(crate) outline: Vec<(String, usize)>,
}

/// At most this many blocks are laid out in one book, whatever made them (plan texts are
/// capped by `render::markdown` already; this also bounds lists built from registries and
/// books of many plans). A province-wide handbook of a hazard chain has about 20,000.
pub(crate) const MAX_BOOK_BLOCKS: usize = 200_000;

/// A place in the blocks that `#id` links of runs can go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// The id, without `#`.
    pub id: String,
    /// Index of the block in the blocks laid out.
    pub block: usize,
    /// For a table: the row (its first line's page is the target).
    pub row: Option<usize>,
}

/// A heading as placed: level, text, page.
struct Placed {
    level: u8,
    text: String,
    page: usize,
}

/// Lays out `cover`, a contents page and `blocks` into pages with running header
/// (`header` text) and page numbers.
pub(crate) fn book(
    fonts: &Fonts,
    style: &Style,
    cover: &Cover,
    header: &str,
    blocks: &[Block],
) -> Book {
    book_with_anchors(fonts, style, cover, header, blocks, &[])
}

/// [`book`], with `#id` links of runs going to the page of their [`Anchor`] (resolved after
/// pagination, so links may point forward). A link to an id that is not among `anchors` is
/// drawn as plain text, never as a broken link.
pub(crate) fn book_with_anchors(
    fonts: &Fonts,
    style: &Style,
    cover: &Cover,
    header: &str,
    blocks: &[Block],
    anchors: &[Anchor],
) -> Book {
    let refused = blocks.len().saturating_sub(MAX_BOOK_BLOCKS);
    let capped: Vec<Block>;
    let blocks = if refused > 0 {
        capped = blocks[..MAX_BOOK_BLOCKS]
            .iter()
            .cloned()
            .chain(std::iter::once(Block::Note(format!(
                "（以下 {refused} 个段落超出每册 {MAX_BOOK_BLOCKS} 个的上限，未印出 · {refused} more blocks over the cap of {MAX_BOOK_BLOCKS} per book are not printed）"
            ))))
            .collect();
        &capped[..]
    } else {
        blocks
    };
    let toc_entries = blocks
        .iter()
        .filter(|b| matches!(b, Block::Heading { level, .. } if *level <= style.toc_depth))
        .count();
    let toc_lh = style.pitch.max(style.body_pt * 1.6 * PT_TO_MM);
    let title_h = style.heading_pt[0] * PT_TO_MM * 2.2;
    let avail = style.body_bottom() - style.top;
    let first = ((avail - title_h) / toc_lh).floor().max(1.0) as usize;
    let rest = (avail / toc_lh).floor().max(1.0) as usize;
    let toc_pages = if toc_entries <= first {
        1
    } else {
        1 + (toc_entries - first).div_ceil(rest)
    };

    let mut flow = Flow::new(fonts, style, 1 + toc_pages);
    flow.anchors = anchors.iter().map(|a| a.id.as_str()).collect();
    flow.rows_wanted = anchors
        .iter()
        .filter_map(|a| a.row.map(|r| (a.block, r)))
        .collect();
    for (i, b) in blocks.iter().enumerate() {
        flow.current = i;
        let (page, items) = (flow.pages.len() - 1, flow.page().items.len());
        flow.block(b, blocks.get(i + 1));
        // the block starts where its first item went: here, or on the next page
        let moved = flow.pages[page].items.len() == items && page + 1 < flow.pages.len();
        flow.block_pages
            .push(flow.first + page + usize::from(moved));
    }
    flow.resolve_links(anchors);
    let Flow {
        pages: body,
        placed,
        ..
    } = flow;

    let mut pages = vec![cover_page(fonts, style, cover)];
    // contents
    let mut toc: Vec<Page> = (0..toc_pages)
        .map(|_| Page::new(style.page_w, style.page_h))
        .collect();
    let mut y = style.top;
    let mut pi = 0;
    push_text(
        &mut toc[0],
        style.left,
        y + fonts.face(Face::Bold).ascent * style.heading_pt[0] * PT_TO_MM,
        style.heading_pt[0],
        Face::Bold,
        Color::BLACK,
        "目  录",
    );
    y += title_h;
    for p in placed.iter().filter(|p| p.level <= style.toc_depth) {
        if y + toc_lh > style.body_bottom() && pi + 1 < toc.len() {
            pi += 1;
            y = style.top;
        }
        let size = style.body_pt;
        let face = if p.level == 1 {
            Face::Bold
        } else {
            Face::Regular
        };
        let indent = if p.level == 1 {
            0.0
        } else {
            size * PT_TO_MM * 2.0
        };
        let number = p.page.to_string();
        let nw = fonts.width_mm(&number, size, Face::Regular);
        let max = style.width() - indent - nw - 6.0;
        let text = fit_one_line(fonts, &p.text, max, size, face);
        let tw = fonts.width_mm(&text, size, face);
        let base = y + fonts.face(face).ascent * size * PT_TO_MM;
        let page = &mut toc[pi];
        push_text(
            page,
            style.left + indent,
            base,
            size,
            face,
            Color::BLACK,
            &text,
        );
        // dot leader
        let x0 = style.left + indent + tw + 2.0;
        let x1 = style.page_w - style.right - nw - 2.0;
        if x1 > x0 {
            page.items.push(Item::Line {
                from: (x0, base),
                to: (x1, base),
                color: Color::GREY,
                width: 0.15,
            });
        }
        push_text(
            page,
            style.page_w - style.right - nw,
            base,
            size,
            Face::Regular,
            Color::BLACK,
            &number,
        );
        page.items.push(Item::Link {
            x: style.left,
            y,
            w: style.width(),
            h: toc_lh,
            target: LinkTarget::Page(p.page),
        });
        y += toc_lh;
    }
    pages.extend(toc);
    pages.extend(body);

    let total = pages.len();
    for (i, page) in pages.iter_mut().enumerate().skip(1) {
        decorate(fonts, style, page, header, i, total);
    }
    let mut outline = vec![("目录".to_string(), 1)];
    outline.extend(
        placed
            .iter()
            .filter(|p| p.level <= 2)
            .map(|p| (p.text.clone(), p.page)),
    );
    Book { pages, outline }
}

/// `text` cut to one line of `max` mm, with an ellipsis when cut.
fn fit_one_line(fonts: &Fonts, text: &str, max: f32, size: f32, face: Face) -> String {
    if fonts.width_mm(text, size, face) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if fonts.width_mm(&out, size, face) + fonts.width_mm("…", size, face) > max {
            out.pop();
            break;
        }
    }
    out.push('…');
    out
}

fn push_text(page: &mut Page, x: f32, y: f32, size: f32, face: Face, color: Color, t: &str) {
    page.items.push(Item::Text {
        x,
        y,
        size,
        face,
        color,
        text: t.to_string(),
    });
}

/// Running header and page number (the printed number is the page index: the cover is 0).
fn decorate(fonts: &Fonts, style: &Style, page: &mut Page, header: &str, i: usize, _total: usize) {
    let small = style.small_pt().min(9.0);
    if style.running_header {
        let y = style.top - 6.0;
        let t = fit_one_line(fonts, header, style.width(), small, Face::Regular);
        push_text(page, style.left, y, small, Face::Regular, Color::GREY, &t);
        page.items.push(Item::Line {
            from: (style.left, y + 1.5),
            to: (style.page_w - style.right, y + 1.5),
            color: Color::GREY,
            width: 0.2,
        });
    }
    let n = i.to_string();
    if style.official_numbers {
        // 4号 (14 pt) numerals with a dash either side, one character in from the outer edge
        let size = 14.0;
        let t = format!("— {n} —");
        let w = fonts.width_mm(&t, size, Face::Regular);
        let em = size * PT_TO_MM;
        let x = if i % 2 == 1 {
            style.page_w - style.right - em - w
        } else {
            style.left + em
        };
        let y = style.page_h - style.bottom + 7.0 + em * 0.8;
        push_text(page, x, y, size, Face::Regular, Color::BLACK, &t);
    } else {
        let t = format!("— {n} —");
        let w = fonts.width_mm(&t, small, Face::Regular);
        let y = style.page_h - style.bottom + 9.0;
        push_text(
            page,
            (style.page_w - w) / 2.0,
            y,
            small,
            Face::Regular,
            Color::GREY,
            &t,
        );
    }
}

/// Lines of `t` centred on the page from baseline `y`; returns the baseline after them.
#[allow(clippy::too_many_arguments)] // position and pen are all needed
fn centered(
    fonts: &Fonts,
    page: &mut Page,
    style: &Style,
    mut y: f32,
    t: &str,
    size: f32,
    face: Face,
    color: Color,
) -> f32 {
    for l in wrap(t, style.width(), &|s| fonts.width_mm(s, size, face)) {
        let lw = fonts.width_mm(&l, size, face);
        push_text(page, (style.page_w - lw) / 2.0, y, size, face, color, &l);
        y += size * 1.5 * PT_TO_MM;
    }
    y
}

fn cover_page(fonts: &Fonts, style: &Style, cover: &Cover) -> Page {
    let mut page = Page::new(style.page_w, style.page_h);
    let w = style.width();
    let mut y = style.top + 30.0;
    if !cover.kicker.is_empty() {
        let size = style.body_pt * 1.3;
        y = centered(
            fonts,
            &mut page,
            style,
            y,
            &cover.kicker,
            size,
            Face::Regular,
            Color::RED,
        );
        y += 8.0;
    }
    let size = 26.0_f32.min(style.heading_pt[0] * 1.6);
    y = centered(
        fonts,
        &mut page,
        style,
        y + size * 0.6 * PT_TO_MM,
        &cover.title,
        size,
        Face::Bold,
        Color::BLACK,
    );
    y += 6.0;
    page.items.push(Item::Line {
        from: (style.left, y),
        to: (style.page_w - style.right, y),
        color: Color::RED,
        width: 0.8,
    });
    y += 22.0;
    let size = style.body_pt.clamp(11.0, 14.0);
    let label_w = cover
        .lines
        .iter()
        .map(|(l, _)| fonts.width_mm(l, size, Face::Bold))
        .fold(0.0, f32::max)
        + 4.0;
    let x0 = style.left + w * 0.12;
    for (label, value) in &cover.lines {
        push_text(&mut page, x0, y, size, Face::Bold, Color::BLACK, label);
        let lines = wrap(value, w * 0.76 - label_w, &|s| {
            fonts.width_mm(s, size, Face::Regular)
        });
        for l in lines {
            push_text(
                &mut page,
                x0 + label_w,
                y,
                size,
                Face::Regular,
                Color::BLACK,
                &l,
            );
            y += size * 1.6 * PT_TO_MM;
        }
        y += 2.0;
    }
    if !cover.footer.is_empty() {
        let size = 8.0;
        let mut fy = style.page_h - style.bottom - 4.0;
        let lines = wrap(&cover.footer, w, &|s| {
            fonts.width_mm(s, size, Face::Regular)
        });
        fy -= (lines.len() as f32 - 1.0) * size * 1.4 * PT_TO_MM;
        for l in lines {
            push_text(
                &mut page,
                style.left,
                fy,
                size,
                Face::Regular,
                Color::GREY,
                &l,
            );
            fy += size * 1.4 * PT_TO_MM;
        }
    }
    page
}

/// The flow state: the pages so far and the cursor.
struct Flow<'a> {
    fonts: &'a Fonts,
    style: &'a Style,
    pages: Vec<Page>,
    /// Page index of `pages[0]` in the whole book.
    first: usize,
    y: f32,
    placed: Vec<Placed>,
    /// Ids that `#id` links may go to.
    anchors: HashSet<&'a str>,
    /// Table rows (block, row) whose page is wanted, and where they went.
    rows_wanted: HashSet<(usize, usize)>,
    row_pages: HashMap<(usize, usize), usize>,
    /// The block being laid out, and the page where each block before it starts.
    current: usize,
    block_pages: Vec<usize>,
    /// Links drawn, to resolve once every page is known.
    links: Vec<PendingLink>,
}

/// A link area drawn on a body page, its target not yet resolved.
struct PendingLink {
    /// Page index in the whole book.
    page: usize,
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    href: String,
}

/// A part of one line of text runs: one face, one link state.
struct Piece {
    start: usize,
    end: usize,
    bold: bool,
    href: Option<usize>,
}

impl<'a> Flow<'a> {
    fn new(fonts: &'a Fonts, style: &'a Style, first: usize) -> Flow<'a> {
        Flow {
            fonts,
            style,
            pages: vec![Page::new(style.page_w, style.page_h)],
            first,
            y: style.top,
            placed: Vec::new(),
            anchors: HashSet::new(),
            rows_wanted: HashSet::new(),
            row_pages: HashMap::new(),
            current: 0,
            block_pages: Vec::new(),
            links: Vec::new(),
        }
    }

    /// Whether `href` of a run goes somewhere in or out of this book.
    fn live(&self, href: &str) -> bool {
        match href.strip_prefix('#') {
            Some(id) => self.anchors.contains(id),
            None => super::markdown::safe_external(href),
        }
    }

    /// Turns the links drawn into link areas on their pages.
    fn resolve_links(&mut self, anchors: &[Anchor]) {
        let mut at: HashMap<&str, usize> = HashMap::new();
        for a in anchors {
            let page = a
                .row
                .and_then(|r| self.row_pages.get(&(a.block, r)).copied())
                .or_else(|| self.block_pages.get(a.block).copied());
            if let Some(p) = page {
                at.entry(a.id.as_str()).or_insert(p);
            }
        }
        for l in std::mem::take(&mut self.links) {
            let target = match l.href.strip_prefix('#') {
                Some(id) => match at.get(id) {
                    Some(&p) => LinkTarget::Page(p),
                    None => continue,
                },
                None => LinkTarget::Uri(l.href.trim().to_string()),
            };
            if let Some(page) = self.pages.get_mut(l.page - self.first) {
                page.items.push(Item::Link {
                    x: l.x,
                    y: l.y,
                    w: l.w,
                    h: l.h,
                    target,
                });
            }
        }
    }

    fn page(&mut self) -> &mut Page {
        let n = self.pages.len() - 1;
        &mut self.pages[n]
    }

    fn index(&self) -> usize {
        self.first + self.pages.len() - 1
    }

    fn new_page(&mut self) {
        self.pages
            .push(Page::new(self.style.page_w, self.style.page_h));
        self.y = self.style.top;
    }

    fn at_top(&self) -> bool {
        (self.y - self.style.top).abs() < 0.01
    }

    /// Starts a new page unless `h` mm still fit.
    fn ensure(&mut self, h: f32) {
        if self.y + h > self.style.body_bottom() + 0.01 && !self.at_top() {
            self.new_page();
        }
    }

    fn line_h(&self, size: f32) -> f32 {
        if (size - self.style.body_pt).abs() < 0.01 {
            self.style.pitch
        } else {
            self.style.pitch * size / self.style.body_pt
        }
    }

    fn ascent(&self, face: Face, size: f32) -> f32 {
        self.fonts.face(face).ascent * size * PT_TO_MM
    }

    fn wrap(&self, t: &str, width: f32, size: f32, face: Face) -> Vec<String> {
        wrap(t, width, &|s| self.fonts.width_mm(s, size, face))
    }

    /// Draws `b`; `next` is the block after it (a heading is kept with its start).
    fn block(&mut self, b: &Block, next: Option<&Block>) {
        match b {
            Block::Heading { level, text } => {
                let keep = self.start_height(next);
                self.heading(*level, text, keep)
            }
            Block::Para(runs) => {
                let size = self.style.body_pt;
                let lh = self.line_h(size);
                let (text, lines) = self.rich_lines(runs, self.style.left, size);
                for line in &lines {
                    self.ensure(lh);
                    self.draw_rich(runs, &text, line, self.style.left, size);
                    self.y += lh;
                }
                self.y += self.style.pitch * 0.35;
            }
            Block::Note(t) => {
                let size = self.style.small_pt();
                self.lines(t, self.style.left, size, Face::Regular, Color::GREY);
                self.y += self.style.pitch * 0.3;
            }
            Block::List { kind, items } => self.list(*kind, items),
            Block::Table {
                header,
                rows,
                widths,
                marks,
            } => self.table(header, rows, widths, marks),
            Block::Flow(steps) => self.flow_chart(steps),
            Block::PageBreak => {
                if !self.at_top() {
                    self.new_page();
                }
            }
        }
    }

    /// The height a block needs at the bottom of a page before it starts there rather than on
    /// the next one: a table's header row and one line, else two lines.
    fn start_height(&self, b: Option<&Block>) -> f32 {
        match b {
            Some(Block::Table { header, widths, .. }) => {
                let head = self.table_head(header, widths);
                head.height + head.lh + 2.0 * TABLE_PAD
            }
            _ => self.style.pitch * 2.0,
        }
    }

    fn heading(&mut self, level: u8, text: &str, keep: f32) {
        let i = usize::from(level.clamp(1, 4)) - 1;
        let size = self.style.heading_pt[i];
        let face = if self.style.heading_bold[i] {
            Face::Bold
        } else {
            Face::Regular
        };
        let lines = self.wrap(text, self.style.width(), size, face);
        let lh = self.line_h(size).max(size * 1.3 * PT_TO_MM);
        let before = if self.at_top() {
            0.0
        } else {
            self.style.pitch * if level <= 2 { 0.8 } else { 0.4 }
        };
        // keep the heading with the start of what follows
        self.ensure(before + lh * lines.len() as f32 + keep);
        if !self.at_top() {
            self.y += before;
        }
        self.placed.push(Placed {
            level,
            text: text.to_string(),
            page: self.index(),
        });
        let color = if level == 1 { Color::RED } else { Color::BLACK };
        for l in lines {
            let base = self.y + self.ascent(face, size);
            let x = self.style.left;
            push_text(self.page(), x, base, size, face, color, &l);
            self.y += lh;
        }
        if level == 1 {
            let y = self.y - lh * 0.1;
            let (x0, x1) = (self.style.left, self.style.page_w - self.style.right);
            self.page().items.push(Item::Line {
                from: (x0, y),
                to: (x1, y),
                color: Color::RED,
                width: 0.4,
            });
            self.y += self.style.pitch * 0.3;
        }
    }

    /// Wrapped lines from `x` to the right margin, breaking pages between lines.
    fn lines(&mut self, t: &str, x: f32, size: f32, face: Face, color: Color) {
        let width = self.style.page_w - self.style.right - x;
        let lh = self.line_h(size);
        for l in self.wrap(t, width, size, face) {
            self.ensure(lh);
            let base = self.y + self.ascent(face, size);
            push_text(self.page(), x, base, size, face, color, &l);
            self.y += lh;
        }
    }

    /// The lines of `runs` from `x` to the right margin, each as pieces of one face and link
    /// state. The breaks are those of [`wrap`] over the whole text, each part measured in
    /// its own face, so a line may break inside a run or between two.
    fn rich_lines(&self, runs: &[Run], x: f32, size: f32) -> (String, Vec<Vec<Piece>>) {
        let width = self.style.page_w - self.style.right - x;
        let text = runs_text(runs);
        // (start, end) of each run in `text`, and its face and live link
        let mut spans = Vec::with_capacity(runs.len());
        let mut at = 0;
        for (i, r) in runs.iter().enumerate() {
            let href = r.href.as_deref().filter(|h| self.live(h)).map(|_| i);
            spans.push((at, at + r.text.len(), r.bold, href));
            at += r.text.len();
        }
        let face = |bold: bool| if bold { Face::Bold } else { Face::Regular };
        let pieces = |a: usize, b: usize| -> Vec<Piece> {
            let mut out: Vec<Piece> = Vec::new();
            for &(s, e, bold, href) in &spans {
                let (s, e) = (s.max(a), e.min(b));
                if s >= e {
                    continue;
                }
                match out.last_mut() {
                    Some(p) if p.bold == bold && p.href == href && p.end == s => p.end = e,
                    _ => out.push(Piece {
                        start: s,
                        end: e,
                        bold,
                        href,
                    }),
                }
            }
            out
        };
        let measure = |a: usize, b: usize| -> f32 {
            pieces(a, b)
                .iter()
                .map(|p| {
                    self.fonts
                        .width_mm(&text[p.start..p.end], size, face(p.bold))
                })
                .sum()
        };
        let single = spans
            .iter()
            .all(|s| s.3.is_none() && s.2 == spans.first().is_some_and(|f| f.2));
        let ranges = if single {
            let f = face(spans.first().is_some_and(|s| s.2));
            wrap_ranges(&text, width, &|a, b| {
                self.fonts.width_mm(&text[a..b], size, f)
            })
        } else {
            wrap_ranges(&text, width, &measure)
        };
        let lines = ranges.into_iter().map(|(a, b)| pieces(a, b)).collect();
        (text, lines)
    }

    /// Draws one line of [`Self::rich_lines`] at `x` on baseline `base`: bold pieces in the
    /// bold face, links blue and underlined, with a link area over them.
    fn draw_rich(&mut self, runs: &[Run], text: &str, line: &[Piece], x: f32, size: f32) {
        let base = self.y + self.ascent(Face::Regular, size);
        let mut x = x;
        let em = size * PT_TO_MM;
        let top = self.y;
        let lh = self.line_h(size);
        let page = self.index();
        for p in line {
            let t = &text[p.start..p.end];
            let face = if p.bold { Face::Bold } else { Face::Regular };
            let w = self.fonts.width_mm(t, size, face);
            let href = p
                .href
                .and_then(|i| runs.get(i))
                .and_then(|r| r.href.clone());
            let color = if href.is_some() {
                Color::BLUE
            } else {
                Color::BLACK
            };
            if !t.is_empty() {
                push_text(self.page(), x, base, size, face, color, t);
            }
            if let Some(href) = href {
                let trimmed = self.fonts.width_mm(t.trim_end(), size, face);
                self.page().items.push(Item::Line {
                    from: (x, base + em * 0.12),
                    to: (x + trimmed, base + em * 0.12),
                    color: Color::BLUE,
                    width: 0.15,
                });
                self.links.push(PendingLink {
                    page,
                    x,
                    y: top,
                    w: trimmed,
                    h: lh,
                    href,
                });
            }
            x += w;
        }
    }

    fn list(&mut self, kind: ListKind, items: &[Vec<Run>]) {
        let size = self.style.body_pt;
        let em = size * PT_TO_MM;
        let indent = em * 2.0;
        let x = self.style.left + indent;
        let lh = self.line_h(size);
        for (n, item) in items.iter().enumerate() {
            let (text, lines) = self.rich_lines(item, x, size);
            for (i, l) in lines.iter().enumerate() {
                self.ensure(lh);
                let base = self.y + self.ascent(Face::Regular, size);
                if i == 0 {
                    let mx = self.style.left + em * 0.4;
                    match kind {
                        ListKind::Bullet => {
                            let r = em * 0.14;
                            let cy = base - em * 0.33;
                            self.page().items.push(Item::Rect {
                                x: mx + em * 0.3,
                                y: cy - r,
                                w: 2.0 * r,
                                h: 2.0 * r,
                                fill: Some(Color::BLACK),
                                stroke: None,
                            });
                        }
                        ListKind::Numbered => {
                            let t = format!("{}.", n + 1);
                            push_text(self.page(), mx, base, size, Face::Regular, Color::BLACK, &t);
                        }
                        ListKind::Check => {
                            let s = em * 0.8;
                            self.page().items.push(Item::Rect {
                                x: mx,
                                y: base - s * 0.95,
                                w: s,
                                h: s,
                                fill: None,
                                stroke: Some((Color::BLACK, 0.3)),
                            });
                        }
                    }
                }
                self.draw_rich(item, &text, l, x, size);
                self.y += lh;
            }
        }
        self.y += self.style.pitch * 0.35;
    }

    /// Column widths, type size and the wrapped header row of a table.
    fn table_head(&self, header: &[String], widths: &[f32]) -> TableHead {
        let cols = header.len().max(1);
        let total: f32 = widths.iter().take(cols).sum::<f32>().max(0.001);
        let w = self.style.width();
        let col_w: Vec<f32> = (0..cols)
            .map(|i| widths.get(i).copied().unwrap_or(total / cols as f32) / total * w)
            .collect();
        let size = self.style.small_pt().min(self.style.body_pt);
        let lh = size * 1.45 * PT_TO_MM;
        let lines: Vec<Vec<String>> = header
            .iter()
            .zip(&col_w)
            .map(|(t, cw)| self.wrap(t, cw - 2.0 * TABLE_PAD, size, Face::Bold))
            .collect();
        let height = lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 2.0 * TABLE_PAD;
        TableHead {
            cols,
            col_w,
            size,
            lh,
            lines,
            height,
        }
    }

    fn table(
        &mut self,
        header: &[String],
        rows: &[Vec<String>],
        widths: &[f32],
        marks: &[RowMark],
    ) {
        let TableHead {
            cols,
            col_w,
            size,
            lh,
            lines: head_lines,
            height: head_h,
        } = self.table_head(header, widths);
        let w = self.style.width();
        let pad = TABLE_PAD;
        let draw_header = |flow: &mut Flow| {
            let y = flow.y;
            let mut x = flow.style.left;
            let page = flow.page();
            page.items.push(Item::Rect {
                x,
                y,
                w,
                h: head_h,
                fill: Some(Color::LIGHT),
                stroke: Some((Color::GREY, 0.2)),
            });
            for (lines, cw) in head_lines.iter().zip(&col_w) {
                for (i, l) in lines.iter().enumerate() {
                    let base = y + pad + i as f32 * lh + size * PT_TO_MM * 0.95;
                    push_text(page, x + pad, base, size, Face::Bold, Color::BLACK, l);
                }
                x += cw;
            }
            flow.y += head_h;
        };
        // at least the header and one line of the first row together
        self.ensure(head_h + lh + 2.0 * pad);
        draw_header(self);
        for (r, row) in rows.iter().enumerate() {
            let cells: Vec<Vec<String>> = (0..cols)
                .map(|i| {
                    let t = row.get(i).map(String::as_str).unwrap_or("");
                    self.wrap(t, col_w[i] - 2.0 * pad, size, Face::Regular)
                })
                .collect();
            let n = cells.iter().map(Vec::len).max().unwrap_or(1);
            let mut from = 0;
            while from < n {
                // lines of this row that fit on the page (a row taller than a page is split)
                let room = self.style.body_bottom() - self.y - 2.0 * pad;
                let mut take = ((room / lh).floor().max(0.0) as usize).min(n - from);
                let fresh = self.y <= self.style.top + head_h + 0.01;
                if fresh && take == 0 {
                    take = 1;
                }
                if take < n - from && take < 2 && !fresh {
                    take = 0;
                }
                if take == 0 {
                    self.new_page();
                    draw_header(self);
                    continue;
                }
                if from == 0 && self.rows_wanted.contains(&(self.current, r)) {
                    self.row_pages.insert((self.current, r), self.index());
                }
                let h = take as f32 * lh + 2.0 * pad;
                let y = self.y;
                let mut x = self.style.left;
                let mark = marks.get(r).copied().flatten();
                let page = self.page();
                page.items.push(Item::Rect {
                    x,
                    y,
                    w,
                    h,
                    fill: None,
                    stroke: Some((Color::GREY, 0.2)),
                });
                if let Some(c) = mark {
                    page.items.push(Item::Rect {
                        x,
                        y,
                        w: 1.6,
                        h,
                        fill: Some(c),
                        stroke: None,
                    });
                }
                for (ci, (lines, cw)) in cells.iter().zip(&col_w).enumerate() {
                    if ci > 0 {
                        page.items.push(Item::Line {
                            from: (x, y),
                            to: (x, y + h),
                            color: Color::GREY,
                            width: 0.2,
                        });
                    }
                    for (i, l) in lines.iter().skip(from).take(take).enumerate() {
                        let base = y + pad + i as f32 * lh + size * PT_TO_MM * 0.95;
                        let dx = if ci == 0 && mark.is_some() { 1.6 } else { 0.0 };
                        push_text(
                            page,
                            x + pad + dx,
                            base,
                            size,
                            Face::Regular,
                            Color::BLACK,
                            l,
                        );
                    }
                    x += cw;
                }
                self.y += h;
                from += take;
            }
        }
        self.y += self.style.pitch * 0.5;
    }

    /// Each step as a row: [from] ──label──▶ [to], with the note under it.
    fn flow_chart(&mut self, steps: &[FlowStep]) {
        let size = self.style.small_pt().min(self.style.body_pt);
        let lh = size * 1.4 * PT_TO_MM;
        let w = self.style.width();
        let box_w = w * 0.32;
        let gap = w - 2.0 * box_w;
        let pad = 1.5;
        for s in steps {
            let from = self.wrap(&s.from, box_w - 2.0 * pad, size, Face::Bold);
            let to = self.wrap(&s.to, box_w - 2.0 * pad, size, Face::Bold);
            let label = self.wrap(&s.label, gap - 4.0, size, Face::Bold);
            let note = self.wrap(&s.note, w - 6.0, size, Face::Regular);
            let box_h = from.len().max(to.len()).max(2) as f32 * lh + 2.0 * pad;
            let total = box_h + note.len() as f32 * lh + 5.0;
            self.ensure(total);
            let y = self.y;
            let x0 = self.style.left;
            let x1 = x0 + box_w + gap;
            let fonts = self.fonts;
            let page = self.page();
            for (x, lines, fill) in [(x0, &from, Color::PALE_BLUE), (x1, &to, Color::PALE_YELLOW)] {
                page.items.push(Item::Rect {
                    x,
                    y,
                    w: box_w,
                    h: box_h,
                    fill: Some(fill),
                    stroke: Some((Color::BLACK, 0.3)),
                });
                let top = y + (box_h - lines.len() as f32 * lh) / 2.0;
                for (i, l) in lines.iter().enumerate() {
                    let lw = fonts.width_mm(l, size, Face::Bold);
                    let base = top + i as f32 * lh + size * PT_TO_MM * 0.95;
                    push_text(
                        page,
                        x + (box_w - lw) / 2.0,
                        base,
                        size,
                        Face::Bold,
                        Color::BLACK,
                        l,
                    );
                }
            }
            // the arrow
            let ay = y + box_h / 2.0;
            let (ax0, ax1) = (x0 + box_w + 1.0, x1 - 1.0);
            page.items.push(Item::Line {
                from: (ax0, ay),
                to: (ax1 - 2.5, ay),
                color: Color::RED,
                width: 0.5,
            });
            page.items.push(Item::Polygon {
                points: vec![(ax1 - 3.0, ay - 1.4), (ax1, ay), (ax1 - 3.0, ay + 1.4)],
                fill: Some(Color::RED),
                stroke: None,
            });
            for (i, l) in label.iter().enumerate() {
                let lw = fonts.width_mm(l, size, Face::Bold);
                let base = ay - 1.2 - (label.len() - 1 - i) as f32 * lh;
                push_text(
                    page,
                    x0 + box_w + (gap - lw) / 2.0,
                    base,
                    size,
                    Face::Bold,
                    Color::RED,
                    l,
                );
            }
            let mut ny = y + box_h + 1.0;
            for l in &note {
                ny += lh;
                push_text(
                    page,
                    x0 + 3.0,
                    ny - lh * 0.25,
                    size,
                    Face::Regular,
                    Color::GREY,
                    l,
                );
            }
            self.y = ny + 4.0;
        }
        self.y += self.style.pitch * 0.3;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Fonts {
        Fonts::builtin().expect("font")
    }

    fn texts(p: &Page) -> String {
        p.texts().join("|")
    }

    #[test]
    fn a_heading_is_never_left_alone_above_a_table_on_the_next_page() {
        // a tall header row: the heading alone would fit, the table's start would not
        let header: Vec<String> = vec![
            "观察要点（逐条记录处置人员的实际动作与用时）".repeat(3),
            "评定".into(),
        ];
        let mut stranded = Vec::new();
        for filler in 30..70 {
            let mut blocks: Vec<Block> = (0..filler)
                .map(|i| Block::Para(vec![Run::plain(format!("第{i}段。"))]))
                .collect();
            blocks.push(Block::Heading {
                level: 3,
                text: "检验条款".into(),
            });
            blocks.push(Block::Table {
                header: header.clone(),
                rows: vec![vec!["报警".into(), "□好".into()]],
                widths: vec![4.0, 1.0],
                marks: Vec::new(),
            });
            let b = book(&fonts(), &Style::a4(), &Cover::default(), "手册", &blocks);
            let page_of = |needle: &str| b.pages.iter().position(|p| texts(p).contains(needle));
            if page_of("检验条款") != page_of("观察要点") {
                stranded.push(filler);
            }
        }
        assert!(
            stranded.is_empty(),
            "heading apart from its table with {stranded:?} paragraphs"
        );
    }

    #[test]
    fn a_long_table_repeats_its_header_on_the_next_page() {
        let rows: Vec<Vec<String>> = (0..120)
            .map(|i| {
                vec![
                    format!("第{i}行"),
                    "立即报告值班室，说明险情位置和已采取的措施。".repeat(1 + i % 3),
                ]
            })
            .collect();
        let blocks = vec![
            Block::Heading {
                level: 1,
                text: "通讯录".into(),
            },
            Block::Table {
                header: vec!["序号".into(), "内容".into()],
                rows,
                widths: vec![1.0, 4.0],
                marks: Vec::new(),
            },
        ];
        let b = book(&fonts(), &Style::a4(), &Cover::default(), "手册", &blocks);
        // cover, contents, then the table over several pages
        assert!(b.pages.len() >= 5, "{}", b.pages.len());
        for p in &b.pages[2..] {
            let t = texts(p);
            assert!(t.contains("序号|内容"), "header missing on a page: {t}");
            // nothing is drawn below the bottom margin
            for i in &p.items {
                if let Item::Text { y, text, .. } = i {
                    assert!(*y <= 297.0 - 18.0 + 10.0, "{text} at {y}");
                }
            }
        }
        let all: String = b.pages.iter().map(texts).collect();
        assert!(all.contains("第0行") && all.contains("第119行"));
    }

    #[test]
    fn contents_link_to_the_heading_pages_and_bookmarks_follow() {
        let mut blocks = Vec::new();
        for i in 0..3 {
            blocks.push(Block::Heading {
                level: 1,
                text: format!("第{i}章"),
            });
            blocks.push(Block::Para(vec![Run::plain("正文。".repeat(400))]));
        }
        let b = book(&fonts(), &Style::a4(), &Cover::default(), "手册", &blocks);
        assert_eq!(b.outline[0], ("目录".to_string(), 1));
        let pages: Vec<usize> = b.outline[1..].iter().map(|(_, p)| *p).collect();
        assert_eq!(pages.len(), 3);
        assert!(
            pages.windows(2).all(|w| w[0] <= w[1]) && pages[2] > pages[0],
            "{pages:?}"
        );
        let links: Vec<LinkTarget> = b.pages[1]
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Link { target, .. } => Some(target.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(
            links,
            pages
                .iter()
                .map(|p| LinkTarget::Page(*p))
                .collect::<Vec<_>>()
        );
        for (t, p) in &b.outline[1..] {
            assert!(texts(&b.pages[*p]).contains(t.as_str()));
        }
        // page numbers under the text
        assert!(texts(&b.pages[2]).contains("— 2 —"));
    }

    #[test]
    fn a_book_lays_out_at_most_the_cap_and_says_what_it_left_out() {
        let f = fonts();
        let blocks = vec![Block::PageBreak; MAX_BOOK_BLOCKS + 3];
        let b = book(&f, &Style::a4(), &Cover::default(), "", &blocks);
        let last = b.pages.last().map(texts).unwrap_or_default();
        assert!(last.contains("3 more blocks over the cap"), "{last}");
        let small = book(&f, &Style::a4(), &Cover::default(), "", &blocks[..2]);
        assert!(!small
            .pages
            .iter()
            .map(texts)
            .any(|t| t.contains("over the cap")));
    }

    #[test]
    fn official_style_fits_28_characters_and_22_lines() {
        let f = fonts();
        let st = Style::official();
        let line = "一".repeat(28);
        assert!(f.width_mm(&line, st.body_pt, Face::Regular) <= 156.0 + 0.01);
        let blocks = vec![Block::Para(vec![Run::plain("字".repeat(28 * 30))])];
        let b = book(&f, &st, &Cover::default(), "", &blocks);
        let body = &b.pages[2];
        let lines = body
            .texts()
            .into_iter()
            .filter(|t| t.starts_with('字'))
            .count();
        assert_eq!(lines, 22);
        assert!(body.texts().iter().all(|t| t.chars().count() <= 28));
    }

    #[test]
    fn check_lists_draw_a_box_per_item_and_keep_punctuation_rules() {
        let blocks = vec![Block::List {
            kind: ListKind::Check,
            items: vec![
                vec![Run::plain("实行领导带班、24小时加强值班")],
                vec![Run::plain("汇总上报险情灾情。".repeat(12))],
            ],
        }];
        let b = book(&fonts(), &Style::a4(), &Cover::default(), "", &blocks);
        let p = &b.pages[2];
        let boxes = p
            .items
            .iter()
            .filter(|i| {
                matches!(
                    i,
                    Item::Rect {
                        fill: None,
                        stroke: Some(_),
                        ..
                    }
                )
            })
            .count();
        assert_eq!(boxes, 2);
        for t in p.texts() {
            assert!(!t.starts_with('。') && !t.starts_with('，'), "{t}");
        }
    }
    fn link(text: &str, href: &str) -> Run {
        Run {
            text: text.into(),
            bold: false,
            href: Some(href.into()),
        }
    }

    fn links(p: &Page) -> Vec<(f32, LinkTarget)> {
        p.items
            .iter()
            .filter_map(|i| match i {
                Item::Link { y, target, .. } => Some((*y, target.clone())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn bold_runs_and_a_link_across_a_line_break() {
        let f = fonts();
        let st = Style::a4();
        // the link starts near the end of the first line and runs onto the second
        let lead = "汛期".repeat(20);
        let runs = vec![
            Run {
                text: "堤防险情：".into(),
                bold: true,
                href: None,
            },
            Run::plain(lead.clone()),
            link("水利工程抢险专业队前往现场", "#res-team"),
            Run::plain("实施封堵。"),
        ];
        let blocks = vec![
            Block::Para(runs.clone()),
            Block::Heading {
                level: 2,
                text: "队伍".into(),
            },
        ];
        let anchors = vec![Anchor {
            id: "res-team".into(),
            block: 1,
            row: None,
        }];
        let b = book_with_anchors(&f, &st, &Cover::default(), "", &blocks, &anchors);
        let p = &b.pages[2];
        let items: Vec<(&str, Face, Color, f32, f32)> = p
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text {
                    text,
                    face,
                    color,
                    x,
                    y,
                    ..
                } if *y > st.top && text != "队伍" && !text.starts_with('—') => {
                    Some((text.as_str(), *face, *color, *x, *y))
                }
                _ => None,
            })
            .collect();
        // the bold lead-in in the bold face, at the left margin; the rest regular
        assert_eq!(items[0].0, "堤防险情：");
        assert_eq!((items[0].1, items[0].3), (Face::Bold, st.left));
        assert!(items[1..].iter().all(|i| i.1 == Face::Regular));
        // the following text starts where the bold run ends (measured in bold)
        let bold_w = f.width_mm("堤防险情：", st.body_pt, Face::Bold);
        assert!((items[1].3 - st.left - bold_w).abs() < 0.01, "{items:?}");
        // the link is blue in two pieces on two lines, the first ending the first line
        let blue: Vec<_> = items.iter().filter(|i| i.2 == Color::BLUE).collect();
        assert_eq!(blue.len(), 2, "{items:?}");
        assert!(blue[1].4 > blue[0].4 && blue[1].3 == st.left);
        assert_eq!(
            format!("{}{}", blue[0].0, blue[1].0),
            "水利工程抢险专业队前往现场"
        );
        // nothing lost, no line starts with closing punctuation
        let all: String = items.iter().map(|i| i.0).collect();
        assert_eq!(all, runs_text(&runs));
        // one link area per line, both to the heading's page, at the lines' tops
        let l = links(p);
        assert_eq!(l.len(), 2, "{l:?}");
        assert!(l.iter().all(|(_, t)| *t == LinkTarget::Page(2)));
        assert!(l[1].0 > l[0].0);
        // an underline under each piece
        let underlines = p
            .items
            .iter()
            .filter(|i| matches!(i, Item::Line { color, .. } if *color == Color::BLUE))
            .count();
        assert_eq!(underlines, 2);
    }

    #[test]
    fn links_go_to_the_page_of_their_anchor_and_unknown_ones_stay_text() {
        let f = fonts();
        let rows: Vec<Vec<String>> = (0..200).map(|i| vec![format!("联系人{i}")]).collect();
        let blocks = vec![
            Block::Para(vec![
                link("第二章", "#ch2"),
                Run::plain("、"),
                link("联系人150", "#row150"),
                Run::plain("、"),
                link("不在本书", "#elsewhere"),
                Run::plain("、"),
                link("网站", "https://example.org/a"),
                Run::plain("、"),
                link("脚本", "javascript:alert(1)"),
            ]),
            Block::Para(vec![Run::plain("正文。".repeat(600))]),
            Block::Heading {
                level: 1,
                text: "第二章".into(),
            },
            Block::Table {
                header: vec!["名称".into()],
                rows,
                widths: vec![1.0],
                marks: Vec::new(),
            },
        ];
        let anchors = vec![
            Anchor {
                id: "ch2".into(),
                block: 2,
                row: None,
            },
            Anchor {
                id: "row150".into(),
                block: 3,
                row: Some(150),
            },
        ];
        let b = book_with_anchors(&f, &Style::a4(), &Cover::default(), "", &blocks, &anchors);
        let targets: Vec<LinkTarget> = links(&b.pages[2]).into_iter().map(|l| l.1).collect();
        let page_of = |t: &str| {
            // after the cover, the contents and the page of the links
            3 + b.pages[3..]
                .iter()
                .position(|p| p.texts().contains(&t))
                .expect("drawn")
        };
        let ch2 = page_of("第二章");
        let row = page_of("联系人150");
        assert!(ch2 > 2 && row > ch2, "{ch2} {row}");
        assert_eq!(
            targets,
            vec![
                LinkTarget::Page(ch2),
                LinkTarget::Page(row),
                LinkTarget::Uri("https://example.org/a".into()),
            ]
        );
        // the unresolved and the unsafe links are plain black text
        for p in &b.pages[2].items {
            if let Item::Text { text, color, .. } = p {
                if text.contains("不在本书") || text.contains("脚本") {
                    assert_eq!(*color, Color::BLACK, "{text}");
                }
            }
        }
        // without anchors only the external link remains
        let plain = book(&f, &Style::a4(), &Cover::default(), "", &blocks);
        let only: Vec<LinkTarget> = plain.pages[2..]
            .iter()
            .flat_map(links)
            .map(|l| l.1)
            .collect();
        assert_eq!(only, vec![LinkTarget::Uri("https://example.org/a".into())]);
    }
}
