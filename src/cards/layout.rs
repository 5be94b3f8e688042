//! Lays a card out on its page(s) (generator stage, cards): takes a [`CardView`] and the
//! fonts, gives a plain [`Page`] list (tests snapshot it without a PDF): title band, risk
//! warning, the steps as a flowchart, assembly point, cautions, PPE and, at the foot of the
//! front of every card, the numbers to call (119/120/110, the enterprise's own lines and the
//! contacts to report to) in one block, then the footer with the QR code.
//!
//! The numbers are on the front whatever the size and however long the card: a worker who
//! turns the card over in the first minute has lost it. Steps continue on the back; numbers
//! never do.
//!
//! Fitting, in this order (issue 16: never silently cut, never too small to read):
//! 1. everything on the front, shrinking the type in 5% steps, but never below the floors:
//!    [`MIN_TEXT_PT`] for what a worker reads (steps, risk, cautions) and [`MIN_NUMBER_PT`]
//!    for phone numbers and critical values;
//! 2. otherwise continued on the back, again shrinking down to the floors;
//! 3. otherwise an error ([`Overflow`], G902) that names the longest step and where the card
//!    could be split.
//!
//! With `duplex`, the steps and the numbers go on the front and the cautions and PPE on the
//! back.

use super::content::{CardView, StepView};
use super::CardSize;
use crate::render::font::{Face, Fonts, PT_TO_MM};
use crate::render::layout::{translated, Color, Item, Page};
use crate::render::qr;
use crate::render::text::wrap;

/// The smallest type of what a worker reads and acts on: steps, risk, cautions, assembly
/// point, PPE, who does a step (about 9 pt on an A6 card, issue 16).
pub const MIN_TEXT_PT: f32 = 9.0;
/// The smallest type of phone numbers, their labels and critical values (valve tags,
/// thresholds, where a decision leads).
pub const MIN_NUMBER_PT: f32 = 10.0;
/// The type of office data that is read at a desk, not in the emergency: the footer (card id,
/// versions, source) and the plan clause a step comes from. Fixed, never shrunk.
pub const NOTE_PT: f32 = 7.0;
/// Shrink steps tried, from full size to the size at which body text reaches `MIN_PT`.
const SCALES: [f32; 7] = [1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7];

/// How a card is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub size: CardSize,
    /// Steps on the front, numbers and cautions on the back.
    pub duplex: bool,
}

/// A laid-out card.
#[derive(Debug, Clone)]
pub struct Laid {
    pub pages: Vec<Page>,
    /// 1.0 = full size; lower when the text was shrunk to fit.
    pub scale: f32,
}

/// The card cannot fit even at the smallest type on both sides.
#[derive(Debug, Clone, PartialEq)]
pub struct Overflow {
    /// Millimetres of content that do not fit.
    pub(crate) over_mm: f32,
    /// Pages tried (1 or 2).
    pub(crate) pages: usize,
    /// The first step (1-based) that did not fit: where the card could be split.
    pub(crate) first_out: Option<usize>,
    /// The longest step (1-based) and its length in characters: the one to shorten first.
    pub(crate) longest: Option<(usize, usize)>,
}

/// Type sizes and spacing at one scale (the card shrinks its type to fit).
struct Scale {
    k: f32,
    s: f32,
    cw: f32,
}

impl Scale {
    /// A type size of text a worker reads: `base` points scaled for the card size and the
    /// shrink, never below [`MIN_TEXT_PT`].
    fn pt(&self, base: f32) -> f32 {
        self.at_least(base, MIN_TEXT_PT)
    }
    /// A type size of numbers and critical values, never below [`MIN_NUMBER_PT`].
    fn num(&self, base: f32) -> f32 {
        self.at_least(base, MIN_NUMBER_PT)
    }
    /// `base` points scaled, never below `floor`.
    fn at_least(&self, base: f32, floor: f32) -> f32 {
        (base * self.k * self.s).max(floor)
    }
    /// A length that shrinks with the text.
    fn mm(&self, base: f32) -> f32 {
        base * self.k * self.s
    }
}

fn line_h(size: f32) -> f32 {
    size * 1.28 * PT_TO_MM
}

fn text(x: f32, y: f32, size: f32, face: Face, color: Color, t: &str) -> Item {
    Item::Text {
        x,
        y,
        size,
        face,
        color,
        text: t.to_string(),
    }
}

/// A vertical piece of content placed as a whole.
struct Piece {
    h: f32,
    items: Vec<Item>,
    /// A step that follows another step: an arrow leads into it (label for decisions).
    arrow: Option<String>,
    /// The step (1-based) this piece draws, if it is one.
    step: Option<usize>,
}

/// Wrapped lines of `t` drawn from (`x`, `y` top); returns items and the height used.
#[allow(clippy::too_many_arguments)] // position, width and pen are all needed at every call
fn paragraph(
    fonts: &Fonts,
    t: &str,
    x: f32,
    y: f32,
    width: f32,
    size: f32,
    face: Face,
    color: Color,
) -> (Vec<Item>, f32) {
    let lines = wrap(t, width, &|s| fonts.width_mm(s, size, face));
    let lh = line_h(size);
    let ascent = fonts.face(face).ascent * size * PT_TO_MM;
    let items = lines
        .iter()
        .enumerate()
        .map(|(i, l)| text(x, y + ascent + i as f32 * lh, size, face, color, l))
        .collect();
    (items, lines.len() as f32 * lh)
}

fn header(fonts: &Fonts, v: &CardView, st: &Scale, back: bool) -> Piece {
    let pad = if back { st.mm(1.4) } else { st.mm(2.0) };
    let small = st.pt(9.0);
    let mut items = Vec::new();
    let mut y = pad;
    // the back has one line: the post and hazard say which card it is
    if !back {
        let top = format!("{} · 应急处置卡", v.enterprise);
        let (t, h) = paragraph(
            fonts,
            &top,
            pad,
            y,
            st.cw - 2.0 * pad,
            small,
            Face::Regular,
            Color::WHITE,
        );
        items.extend(t);
        y += h + st.mm(0.6);
    }
    let title = if back {
        format!("{}｜{}（背面）", v.post, v.hazard)
    } else {
        format!("{}｜{}", v.post, v.hazard)
    };
    let size = st.at_least(
        if back { 10.0 } else { 15.0 },
        if back { 10.0 } else { 11.0 },
    );
    let (t, h) = paragraph(
        fonts,
        &title,
        pad,
        y,
        st.cw - 2.0 * pad,
        size,
        Face::Bold,
        Color::WHITE,
    );
    items.extend(t);
    y += h + pad;
    items.insert(
        0,
        Item::Rect {
            x: 0.0,
            y: 0.0,
            w: st.cw,
            h: y,
            fill: Some(Color::RED),
            stroke: None,
        },
    );
    Piece {
        h: y,
        items,
        arrow: None,
        step: None,
    }
}

fn risk(fonts: &Fonts, v: &CardView, st: &Scale) -> Piece {
    let pad = st.mm(1.5);
    let bar = st.mm(1.6);
    let size = st.pt(9.5);
    let label = "风险提示 ";
    let lw = fonts.width_mm(label, size, Face::Bold);
    let x = bar + pad;
    // the label leads the first line; the text wraps under it
    let body = format!("{label}{}", v.risk);
    // the label is bold: leave room for the difference (zero for CJK, whose glyphs are all 1 em)
    let extra = (lw - fonts.width_mm(label, size, Face::Regular)).max(0.0);
    let lines = wrap(&body, st.cw - x - pad - extra, &|s| {
        fonts.width_mm(s, size, Face::Regular)
    });
    let lh = line_h(size);
    let ascent = fonts.regular.ascent * size * PT_TO_MM;
    let mut items = vec![
        Item::Rect {
            x: 0.0,
            y: 0.0,
            w: st.cw,
            h: 0.0,
            fill: Some(Color::PALE_YELLOW),
            stroke: None,
        },
        Item::Rect {
            x: 0.0,
            y: 0.0,
            w: bar,
            h: 0.0,
            fill: Some(Color::YELLOW),
            stroke: None,
        },
    ];
    for (i, l) in lines.iter().enumerate() {
        let y = pad + ascent + i as f32 * lh;
        if i == 0 {
            if let Some(rest) = l.strip_prefix(label) {
                items.push(text(x, y, size, Face::Bold, Color::BLACK, label.trim_end()));
                items.push(text(x + lw, y, size, Face::Regular, Color::BLACK, rest));
                continue;
            }
        }
        items.push(text(x, y, size, Face::Regular, Color::BLACK, l));
    }
    let h = 2.0 * pad + lines.len() as f32 * lh;
    for it in items.iter_mut().take(2) {
        if let Item::Rect { h: rh, .. } = it {
            *rh = h;
        }
    }
    Piece {
        h,
        items,
        arrow: None,
        step: None,
    }
}

/// Where the parts of a step's box go: its padding, the number badge, the diamond's inset for
/// a decision, the role column on the right and the text between them.
struct StepBox {
    pad: f32,
    badge: f32,
    /// How far a decision's diamond points stick out on each side (0 for a plain step).
    inset: f32,
    /// Width of the role column (0 when the step names no one).
    role_w: f32,
    /// Left edge and width of the text.
    tx: f32,
    tw: f32,
}

impl StepBox {
    fn new(s: &StepView, st: &Scale) -> StepBox {
        let pad = st.mm(1.4);
        let badge = st.mm(5.6).max(4.8);
        let inset = if s.decision.is_some() {
            st.mm(2.2)
        } else {
            0.0
        };
        let role_w = if s.who.is_some() {
            st.mm(20.0).max(18.0)
        } else {
            0.0
        };
        let tx = inset + pad + badge + pad;
        let tw = st.cw - tx - pad - role_w - if role_w > 0.0 { pad } else { inset };
        StepBox {
            pad,
            badge,
            inset,
            role_w,
            tx,
            tw,
        }
    }

    /// Left edge of the role column.
    fn role_x(&self, st: &Scale) -> f32 {
        st.cw - self.role_w - self.inset
    }
}

/// Paragraphs stacked down one column, each `gap` below the previous one.
struct Stack<'a> {
    fonts: &'a Fonts,
    x: f32,
    width: f32,
    /// The bottom of the last paragraph.
    y: f32,
    items: Vec<Item>,
}

impl Stack<'_> {
    fn add(&mut self, t: &str, gap: f32, size: f32, face: Face, color: Color) {
        let (items, h) = paragraph(
            self.fonts,
            t,
            self.x,
            self.y + gap,
            self.width,
            size,
            face,
            color,
        );
        self.items.extend(items);
        self.y += h + gap;
    }

    /// A note in small type: right-aligned on the last line when it fits there beside the
    /// text, else on a line of its own.
    fn note(&mut self, t: &str, gap: f32, size: f32) {
        let w = self.fonts.width_mm(t, size, Face::Regular);
        let room = match self.items.last() {
            Some(Item::Text {
                x,
                y,
                size: s,
                face,
                text,
                ..
            }) => {
                let end = x + self.fonts.width_mm(text, *s, *face);
                (end + 2.0 + w <= self.x + self.width).then_some(*y)
            }
            _ => None,
        };
        match room {
            Some(baseline) => self.items.push(Item::Text {
                x: self.x + self.width - w,
                y: baseline,
                size,
                face: Face::Regular,
                color: Color::GREY,
                text: t.to_string(),
            }),
            None => self.add(t, gap, size, Face::Regular, Color::GREY),
        }
    }
}

/// One step of the flowchart: a box (a diamond for a decision) with its number, the action,
/// the values to read, the branches, the clause it follows and, on the right, who does it.
fn step(fonts: &Fonts, s: &StepView, prev: Option<&StepView>, st: &Scale) -> Piece {
    let b = StepBox::new(s, st);
    let text = step_text(fonts, s, &b, st);
    let (role, role_h) = match &s.who {
        Some(who) => step_role(fonts, who, &b, st),
        None => (Vec::new(), 0.0),
    };
    let h = (text.y.max(b.pad + role_h).max(b.pad + b.badge) + b.pad).max(b.badge + 2.0 * b.pad);
    let decision = s.decision.is_some();
    let mut items = vec![step_shape(decision, &b, st, h)];
    items.extend(step_badge(fonts, s.n, decision, &b, st));
    items.extend(text.items);
    items.extend(role);
    if s.who.is_some() {
        let rx = b.role_x(st);
        items.push(Item::Line {
            from: (rx, b.pad * 0.8),
            to: (rx, h - b.pad * 0.8),
            color: Color::LIGHT,
            width: 0.25,
        });
    }
    Piece {
        h,
        items,
        arrow: prev.map(|p| arrow_label(p, s.n)),
        step: Some(s.n),
    }
}

/// The text of a step, top down: the action (blue and bold for a decision), the values in
/// red, the branches of a decision, the clause in grey.
fn step_text<'a>(fonts: &'a Fonts, s: &StepView, b: &StepBox, st: &Scale) -> Stack<'a> {
    let mut text = Stack {
        fonts,
        x: b.tx,
        width: b.tw,
        y: b.pad,
        items: Vec::new(),
    };
    let (face, color) = if s.decision.is_some() {
        (Face::Bold, Color::BLUE)
    } else {
        (Face::Regular, Color::BLACK)
    };
    text.add(&s.action, 0.0, st.pt(10.5), face, color);
    if !s.values.is_empty() {
        // two spaces between values; a value itself never breaks (a tag like XV-101A)
        let values = s.values.join("  ");
        text.add(&values, st.mm(0.4), st.num(10.5), Face::Bold, Color::RED);
    }
    if let Some((yes, no)) = s.decision {
        let branches = format!("是 → 第{yes}步　否 → 第{no}步");
        text.add(&branches, st.mm(0.4), st.num(10.0), Face::Bold, Color::BLUE);
    }
    if let Some(c) = &s.clause {
        let clause = format!("依据：{c}");
        text.note(&clause, st.mm(0.3), NOTE_PT);
    }
    text
}

/// Who does the step, in the column on the right; returns the items and their height.
fn step_role(fonts: &Fonts, who: &str, b: &StepBox, st: &Scale) -> (Vec<Item>, f32) {
    paragraph(
        fonts,
        who,
        b.role_x(st) + st.mm(0.8),
        b.pad,
        b.role_w - st.mm(1.0),
        st.pt(9.0),
        Face::Regular,
        Color::GREY,
    )
}

/// The box behind the text: a white rectangle, or a pale blue hexagonal diamond for a decision.
fn step_shape(decision: bool, b: &StepBox, st: &Scale, h: f32) -> Item {
    if !decision {
        return Item::Rect {
            x: 0.0,
            y: 0.0,
            w: st.cw,
            h,
            fill: Some(Color::WHITE),
            stroke: Some((Color::GREY, 0.3)),
        };
    }
    let inset = b.inset;
    Item::Polygon {
        points: vec![
            (inset, 0.0),
            (st.cw - inset, 0.0),
            (st.cw, h / 2.0),
            (st.cw - inset, h),
            (inset, h),
            (0.0, h / 2.0),
        ],
        fill: Some(Color::PALE_BLUE),
        stroke: Some((Color::BLUE, 0.35)),
    }
}

/// The step's number in white on a square, red (blue for a decision).
fn step_badge(fonts: &Fonts, n: usize, decision: bool, b: &StepBox, st: &Scale) -> [Item; 2] {
    let (bx, by) = (b.inset + b.pad, b.pad);
    let ns = st.num(11.0);
    let label = n.to_string();
    let nw = fonts.width_mm(&label, ns, Face::Bold);
    let asc = fonts.bold_ascent() * ns * PT_TO_MM;
    [
        Item::Rect {
            x: bx,
            y: by,
            w: b.badge,
            h: b.badge,
            fill: Some(if decision { Color::BLUE } else { Color::RED }),
            stroke: None,
        },
        text(
            bx + (b.badge - nw) / 2.0,
            by + (b.badge + asc * 0.8) / 2.0,
            ns,
            Face::Bold,
            Color::WHITE,
            &label,
        ),
    ]
}

/// The label of the arrow from the step before into step `n`: 是 or 否 after a decision.
fn arrow_label(prev: &StepView, n: usize) -> String {
    match prev.decision {
        Some((yes, _)) if yes == n => "是".to_string(),
        Some((_, no)) if no == n => "否".to_string(),
        _ => String::new(),
    }
}

/// The numbers to call, as one block: the emergency numbers in boxes, large and red (three to
/// a row, fewer when a number would be smaller than [`MIN_NUMBER_PT`] in its box), then
/// "立即报告" with each contact and the number, every character at least [`MIN_NUMBER_PT`].
fn numbers(fonts: &Fonts, v: &CardView, st: &Scale) -> Option<Piece> {
    let boxes = emergency(fonts, v, st);
    let report = report(fonts, v, st);
    let gap = st.mm(1.5);
    let mut items = Vec::new();
    let mut h = 0.0;
    if let Some(b) = &boxes {
        items.extend(b.items.iter().cloned());
        h = b.h;
    }
    if let Some(r) = &report {
        let top = if boxes.is_some() { h + gap } else { 0.0 };
        items.extend(translated(&r.items, 0.0, top));
        h = top + r.h;
    }
    (boxes.is_some() || report.is_some()).then_some(Piece {
        h,
        items,
        arrow: None,
        step: None,
    })
}

/// How many emergency numbers go in a row of `cw` mm: three, fewer when the longest would
/// not fit its box at [`MIN_NUMBER_PT`].
fn boxes_per_row(fonts: &Fonts, v: &CardView, st: &Scale) -> usize {
    let gap = st.mm(1.5);
    let widest = v
        .emergency
        .iter()
        .map(|p| fonts.width_mm(&p.number, MIN_NUMBER_PT, Face::Bold))
        .fold(0.0_f32, f32::max);
    let mut per_row = v.emergency.len().clamp(1, 3);
    while per_row > 1 {
        let bw = (st.cw - gap * (per_row as f32 - 1.0)) / per_row as f32;
        if widest <= bw - st.mm(2.0) {
            break;
        }
        per_row -= 1;
    }
    per_row
}

fn emergency(fonts: &Fonts, v: &CardView, st: &Scale) -> Option<Piece> {
    if v.emergency.is_empty() {
        return None;
    }
    let per_row = boxes_per_row(fonts, v, st);
    let gap = st.mm(1.5);
    let bw = (st.cw - gap * (per_row as f32 - 1.0)) / per_row as f32;
    let mut items = Vec::new();
    let mut y = 0.0;
    for row in v.emergency.chunks(per_row) {
        let mut row_h: f32 = 0.0;
        let mut row_items = Vec::new();
        for (i, p) in row.iter().enumerate() {
            let x = i as f32 * (bw + gap);
            // the number as large as the box allows, at most 20 pt, never below the floor
            let mut ns = st.num(20.0);
            while ns > MIN_NUMBER_PT && fonts.width_mm(&p.number, ns, Face::Bold) > bw - st.mm(2.0)
            {
                ns = (ns - 0.5).max(MIN_NUMBER_PT);
            }
            let ls = st.num(10.0);
            let pad = st.mm(1.0);
            let nasc = fonts.bold_ascent() * ns * PT_TO_MM;
            let nw = fonts.width_mm(&p.number, ns, Face::Bold);
            row_items.push(text(
                x + ((bw - nw) / 2.0).max(pad),
                y + pad + nasc,
                ns,
                Face::Bold,
                Color::RED,
                &p.number,
            ));
            let (t, lh) = paragraph(
                fonts,
                &p.label,
                x + pad,
                y + pad + line_h(ns),
                bw - 2.0 * pad,
                ls,
                Face::Regular,
                Color::BLACK,
            );
            // centre one-line labels
            if t.len() == 1 {
                let lw = fonts.width_mm(&p.label, ls, Face::Regular);
                if let Some(Item::Text { y: ty, .. }) = t.first() {
                    row_items.push(text(
                        x + (bw - lw) / 2.0,
                        *ty,
                        ls,
                        Face::Regular,
                        Color::BLACK,
                        &p.label,
                    ));
                }
            } else {
                row_items.extend(t);
            }
            row_h = row_h.max(2.0 * pad + line_h(ns) + lh);
        }
        for i in 0..row.len() {
            items.push(Item::Rect {
                x: i as f32 * (bw + gap),
                y,
                w: bw,
                h: row_h,
                fill: None,
                stroke: Some((Color::RED, 0.5)),
            });
        }
        items.extend(row_items);
        y += row_h + gap;
    }
    Some(Piece {
        h: y - gap,
        items,
        arrow: None,
        step: None,
    })
}

/// The contacts to report to, in the card's order (a number that is also in a box stays in
/// the list: whom to report to is part of the procedure).
fn report_rows(v: &CardView) -> impl Iterator<Item = &crate::cards::content::Phone> {
    v.report_to.iter()
}

fn report(fonts: &Fonts, v: &CardView, st: &Scale) -> Option<Piece> {
    report_rows(v).next()?;
    let hs = st.num(10.0);
    let mut items = Vec::new();
    let (t, mut y) = paragraph(
        fonts,
        "立即报告",
        0.0,
        0.0,
        st.cw,
        hs,
        Face::Bold,
        Color::RED,
    );
    items.extend(t);
    y += st.mm(0.3);
    let ns = st.num(13.0);
    let ls = st.num(10.0);
    for p in report_rows(v) {
        let nw = fonts.width_mm(&p.number, ns, Face::Bold);
        let lw = (st.cw - nw - st.mm(2.0)).max(st.cw * 0.35);
        let (t, lh) = paragraph(
            fonts,
            &p.label,
            0.0,
            y + st.mm(0.4),
            lw,
            ls,
            Face::Regular,
            Color::BLACK,
        );
        items.extend(t);
        let asc = fonts.bold_ascent() * ns * PT_TO_MM;
        items.push(text(
            st.cw - nw,
            y + asc,
            ns,
            Face::Bold,
            Color::BLACK,
            &p.number,
        ));
        let row = lh.max(line_h(ns)) + st.mm(0.4);
        items.push(Item::Line {
            from: (0.0, y + row),
            to: (st.cw, y + row),
            color: Color::LIGHT,
            width: 0.25,
        });
        y += row + st.mm(0.3);
    }
    Some(Piece {
        h: y,
        items,
        arrow: None,
        step: None,
    })
}

fn labelled(fonts: &Fonts, label: &str, body: &str, color: Color, st: &Scale, size: f32) -> Piece {
    let size = st.pt(size);
    let lw = fonts.width_mm(label, size, Face::Bold);
    let mut items = vec![text(
        0.0,
        fonts.face(Face::Bold).ascent * size * PT_TO_MM,
        size,
        Face::Bold,
        color,
        label,
    )];
    let (t, h) = paragraph(
        fonts,
        body,
        lw,
        0.0,
        st.cw - lw,
        size,
        Face::Regular,
        Color::BLACK,
    );
    items.extend(t);
    Piece {
        h: h.max(line_h(size)),
        items,
        arrow: None,
        step: None,
    }
}

fn cautions(fonts: &Fonts, v: &CardView, st: &Scale) -> Option<Piece> {
    if v.cautions.is_empty() {
        return None;
    }
    let size = st.pt(9.0);
    let mut items = Vec::new();
    let (t, mut y) = paragraph(
        fonts,
        "注意事项",
        0.0,
        0.0,
        st.cw,
        st.num(9.0),
        Face::Bold,
        Color::RED,
    );
    items.extend(t);
    // a drawn square bullet: no glyph needed
    let dot = size * 0.3 * PT_TO_MM;
    let bw = dot + st.mm(1.6);
    for c in &v.cautions {
        let (t, h) = paragraph(
            fonts,
            c,
            bw,
            y,
            st.cw - bw,
            size,
            Face::Regular,
            Color::BLACK,
        );
        let mid = y + line_h(size) / 2.0;
        items.push(Item::Rect {
            x: st.mm(0.3),
            y: mid - dot / 2.0,
            w: dot,
            h: dot,
            fill: Some(Color::RED),
            stroke: None,
        });
        items.extend(t);
        y += h;
    }
    Some(Piece {
        h: y,
        items,
        arrow: None,
        step: None,
    })
}

/// The blocks of a card at one scale: those that flow from the top of the front (risk, steps
/// and, unless `duplex`, the rest), those that go on the back with `duplex` (assembly point,
/// cautions, PPE), and the numbers pinned to the foot of the front.
struct Blocks {
    flow: Vec<Piece>,
    back: Vec<Piece>,
    numbers: Option<Piece>,
}

fn blocks(fonts: &Fonts, v: &CardView, st: &Scale, duplex: bool) -> Blocks {
    let mut flow = vec![risk(fonts, v, st)];
    let mut prev = None;
    for s in &v.steps {
        flow.push(step(fonts, s, prev, st));
        prev = Some(s);
    }
    let mut rest = Vec::new();
    if let Some(a) = &v.assembly_point {
        rest.push(labelled(fonts, "集合点 ", a, Color::GREEN, st, 9.5));
    }
    rest.extend(cautions(fonts, v, st));
    if !v.ppe.is_empty() {
        rest.push(labelled(
            fonts,
            "防护装备 ",
            &v.ppe.join("、"),
            Color::BLACK,
            st,
            9.0,
        ));
    }
    let numbers = numbers(fonts, v, st);
    if duplex {
        Blocks {
            flow,
            back: rest,
            numbers,
        }
    } else {
        flow.extend(rest);
        Blocks {
            flow,
            back: Vec::new(),
            numbers,
        }
    }
}

/// Footer lines (always [`NOTE_PT`]: they are for the office, not the emergency).
fn footer_lines(v: &CardView) -> Vec<String> {
    let mut l = vec![
        format!("卡号 {}  版本 {}", v.id, v.version),
        format!("预案 {} 版本 {}", v.plan_id, v.plan_version),
        format!("施行 {}", v.effective),
    ];
    if let Some(d) = v.review_due {
        if let Some(last) = l.last_mut() {
            last.push_str(&format!("  复评 {d}"));
        }
    }
    l.push(format!("来源 {}", v.source));
    l
}

struct Geometry {
    w: f32,
    h: f32,
    m: f32,
    /// Side of the QR code and its modules drawn at the origin (encoded once per card; none
    /// when the card has nothing to encode).
    q: f32,
    qr: Vec<Item>,
}

/// Places blocks top to bottom in [top, bottom); returns how many were placed and by how much
/// the first one left out is over.
fn flow(
    blocks: &[&Piece],
    x0: f32,
    top: f32,
    bottom: f32,
    st: &Scale,
    page: &mut Page,
) -> (usize, f32) {
    let gap = st.mm(2.0);
    let arrow_gap = st.mm(4.0);
    let mut y = top;
    let mut first = true;
    for (i, b) in blocks.iter().enumerate() {
        let lead = if first {
            0.0
        } else if b.arrow.is_some() {
            arrow_gap
        } else {
            gap
        };
        if y + lead + b.h > bottom {
            let over = y + lead + b.h - bottom;
            return (i, over);
        }
        if !first {
            if let Some(label) = &b.arrow {
                let ax = x0 + st.mm(1.4) + st.mm(5.6).max(4.8) / 2.0;
                page.items.push(Item::Line {
                    from: (ax, y),
                    to: (ax, y + lead - st.mm(1.2)),
                    color: Color::GREY,
                    width: 0.45,
                });
                page.items.push(Item::Polygon {
                    points: vec![
                        (ax - st.mm(1.1), y + lead - st.mm(1.4)),
                        (ax + st.mm(1.1), y + lead - st.mm(1.4)),
                        (ax, y + lead - 0.05),
                    ],
                    fill: Some(Color::GREY),
                    stroke: None,
                });
                if !label.is_empty() {
                    page.items.push(text(
                        ax + st.mm(1.8),
                        y + lead - st.mm(0.9),
                        st.num(9.0),
                        Face::Bold,
                        Color::BLUE,
                        label,
                    ));
                }
            }
        }
        y += lead;
        page.items.extend(translated(&b.items, x0, y));
        y += b.h;
        first = false;
    }
    (blocks.len(), 0.0)
}

fn footer(
    fonts: &Fonts,
    v: &CardView,
    g: &Geometry,
    page: &mut Page,
    with_qr: bool,
    side: &str,
) -> f32 {
    let size = NOTE_PT;
    let lh = line_h(size);
    // the full provenance goes beside the QR code; other sides get one line
    let lines = if with_qr {
        let mut l = footer_lines(v);
        if !side.is_empty() {
            l.push(side.to_string());
        }
        l
    } else {
        vec![format!("卡号 {}  {side}", v.id)]
    };
    let q = if with_qr && !g.qr.is_empty() {
        g.q
    } else {
        0.0
    };
    let text_h = lines.len() as f32 * lh;
    let band = text_h.max(q) + 1.5;
    let top = g.h - g.m - band;
    page.items.push(Item::Line {
        from: (g.m, top + 0.5),
        to: (g.w - g.m, top + 0.5),
        color: Color::LIGHT,
        width: 0.3,
    });
    let ascent = fonts.regular.ascent * size * PT_TO_MM;
    let ty = g.h - g.m - text_h;
    for (i, l) in lines.iter().enumerate() {
        page.items.push(text(
            g.m,
            ty + ascent + i as f32 * lh,
            size,
            Face::Regular,
            Color::GREY,
            l,
        ));
    }
    if q > 0.0 {
        page.items
            .extend(translated(&g.qr, g.w - g.m - q, g.h - g.m - q));
    }
    band
}

/// Lays out `v` with `opts`.
pub fn layout(
    fonts: &Fonts,
    v: &CardView,
    opts: Options,
) -> anyhow::Result<Result<Laid, Overflow>> {
    let (w, h) = opts.size.mm();
    let q = 17.0_f32.min(w * 0.2);
    let g = Geometry {
        w,
        h,
        m: 5.0,
        q,
        qr: match (&v.qr_code, v.qr.is_empty()) {
            (_, true) => Vec::new(),
            (Some(code), false) => qr::draw(code, 0.0, 0.0, q),
            (None, false) => qr::Matrix::encode(&v.qr).map(|code| qr::draw(&code, 0.0, 0.0, q))?,
        },
    };
    let cw = w - 2.0 * g.m;
    let k = (cw / 95.0).clamp(0.9, 1.35);
    let longest = v
        .steps
        .iter()
        .map(|s| (s.n, s.action.chars().count()))
        .max_by_key(|&(n, len)| (len, std::cmp::Reverse(n)));
    let mut last_over = Overflow {
        over_mm: 0.0,
        pages: 1,
        first_out: None,
        longest,
    };
    let attempts: &[usize] = if opts.duplex { &[2] } else { &[1, 2] };
    let min_scale = SCALES[SCALES.len() - 1];
    for &pages_allowed in attempts {
        // if the smallest type does not fit, no larger one will: skip the search
        let st = Scale {
            k,
            s: min_scale,
            cw,
        };
        let smallest = match try_layout(fonts, v, &st, &g, pages_allowed, opts.duplex) {
            Ok(pages) => pages,
            Err((over, first_out)) => {
                last_over = Overflow {
                    over_mm: over,
                    pages: pages_allowed,
                    first_out,
                    longest,
                };
                continue;
            }
        };
        // the largest scale that fits, by bisection: a smaller type never needs more room
        let (mut lo, mut hi) = (0, SCALES.len() - 1); // hi fits; is there a larger one?
        let mut best = (SCALES[hi], smallest);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let st = Scale {
                k,
                s: SCALES[mid],
                cw,
            };
            match try_layout(fonts, v, &st, &g, pages_allowed, opts.duplex) {
                Ok(pages) => {
                    best = (SCALES[mid], pages);
                    hi = mid;
                }
                Err(_) => lo = mid + 1,
            }
        }
        return Ok(Ok(Laid {
            pages: best.1,
            scale: best.0,
        }));
    }
    Ok(Err(last_over))
}

/// What did not fit: millimetres over, and the first step left out (if a step).
type Over = (f32, Option<usize>);

/// Lays the blocks of `v` at one type size on at most `pages_allowed` pages (two with
/// `duplex`): the pages, or what is over.
fn try_layout(
    fonts: &Fonts,
    v: &CardView,
    st: &Scale,
    g: &Geometry,
    pages_allowed: usize,
    duplex: bool,
) -> Result<Vec<Page>, Over> {
    let blocks = blocks(fonts, v, st, duplex);
    let card = Card {
        fonts,
        v,
        st,
        g,
        numbers: blocks.numbers.as_ref(),
    };
    if duplex {
        duplex_layout(&card, &blocks.flow, &blocks.back)
    } else {
        continued_layout(&card, &blocks.flow, pages_allowed)
    }
}

/// What every page of one layout attempt is drawn with.
struct Card<'a> {
    fonts: &'a Fonts,
    v: &'a CardView,
    st: &'a Scale,
    g: &'a Geometry,
    /// The numbers, at the foot of the front.
    numbers: Option<&'a Piece>,
}

/// One side of a card: front or back, the footer with the QR code or one line, and the label
/// of the side in the footer.
struct Side<'a> {
    back: bool,
    with_qr: bool,
    label: &'a str,
}

impl Card<'_> {
    /// A page with the header and footer of `side` (and the numbers, on the front) and as many
    /// of `blocks` as fit between them; also how many it holds and what is over.
    fn page(&self, side: Side, blocks: &[&Piece]) -> Result<(Page, usize, f32), Over> {
        let (st, g) = (self.st, self.g);
        let gap = st.mm(2.0);
        let mut page = Page::new(g.w, g.h);
        let hb = header(self.fonts, self.v, st, side.back);
        page.items.extend(translated(&hb.items, g.m, g.m));
        let band = footer(self.fonts, self.v, g, &mut page, side.with_qr, side.label);
        let top = g.m + hb.h + gap;
        let mut bottom = g.h - g.m - band - gap;
        if let (false, Some(n)) = (side.back, self.numbers) {
            // the numbers sit just above the footer of the front, framed by a rule
            let y = bottom - n.h;
            if y < top {
                return Err((top - y, None));
            }
            page.items.push(Item::Line {
                from: (g.m, y - st.mm(1.0)),
                to: (g.w - g.m, y - st.mm(1.0)),
                color: Color::RED,
                width: 0.6,
            });
            page.items.extend(translated(&n.items, g.m, y));
            bottom = y - st.mm(1.0) - gap;
        }
        let (placed, over) = flow(blocks, g.m, top, bottom, st, &mut page);
        Ok((page, placed, over))
    }

    /// How far content is over when block `placed` of `blocks` is `over` and the blocks after
    /// it did not fit at all; and the first step left out.
    fn over(&self, over: f32, blocks: &[&Piece], placed: usize) -> Over {
        let gap = self.st.mm(2.0);
        let remaining: f32 = blocks[placed + 1..].iter().map(|b| b.h + gap).sum();
        (
            over + remaining,
            blocks[placed..].iter().find_map(|b| b.step),
        )
    }
}

/// Steps on the front above the numbers; steps that do not fit continue on the back, before
/// the assembly point, cautions and PPE.
fn duplex_layout(card: &Card, flow: &[Piece], back_blocks: &[Piece]) -> Result<Vec<Page>, Over> {
    let front_refs: Vec<&Piece> = flow.iter().collect();
    let front_side = Side {
        back: false,
        with_qr: false,
        label: "正面",
    };
    let (front, placed, over) = card.page(front_side, &front_refs)?;
    if placed == 0 && !flow.is_empty() {
        return Err(card.over(over, &front_refs, 0));
    }
    let mut back_list: Vec<&Piece> = flow[placed..].iter().collect();
    back_list.extend(back_blocks.iter());
    let back_side = Side {
        back: true,
        with_qr: true,
        label: "背面",
    };
    let (back, placed, over) = card.page(back_side, &back_list)?;
    if placed < back_list.len() {
        return Err(card.over(over, &back_list, placed));
    }
    Ok(vec![front, back])
}

/// Everything on the front, else continued on the back; the last page carries the QR code.
fn continued_layout(
    card: &Card,
    blocks: &[Piece],
    pages_allowed: usize,
) -> Result<Vec<Page>, Over> {
    let refs: Vec<&Piece> = blocks.iter().collect();
    let mut rest: &[&Piece] = &refs;
    let mut pages = Vec::new();
    for p in 0..pages_allowed {
        let last = p + 1 == pages_allowed;
        let label = match (pages_allowed, p) {
            (1, _) => "",
            (_, 0) => "正面，背面续",
            _ => "背面",
        };
        let side = Side {
            back: p > 0,
            with_qr: last,
            label,
        };
        let (page, placed, over) = card.page(side, rest)?;
        pages.push(page);
        if placed == rest.len() {
            if last {
                return Ok(pages);
            }
            // everything fitted above the smaller footer of a front page: the back carries
            // the QR code and the footer
            rest = &[];
            continue;
        }
        if last || placed == 0 {
            // out of pages, or a single block taller than a page
            return Err(card.over(over, rest, placed));
        }
        rest = &rest[placed..];
    }
    Err((0.0, None))
}
