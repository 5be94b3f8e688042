//! Structure recovery (import stage): paragraphs and tables with their evidence -> a plan's
//! headings (with levels and the evidence used), paragraphs, lists, tables and footnotes, and
//! what was left out.
//!
//! A careful reader goes by what the document shows, strongest evidence first:
//! 1. **Word's structure:** a heading style (`heading 1`, `标题 1`, a style based on one) or an
//!    outline level gives the level.
//! 2. **Automatic numbering:** the number Word draws (`第一章`, `（一）`, from `numbering.xml`) is
//!    put back in front of the text; a short numbered paragraph is a heading.
//! 3. **Typed numbering and formatting:** a short paragraph that starts `一、`, `（一）`, `1.`,
//!    `1.1` (the patterns of [`crate::model::heading::numbering`]) in bold, 黑体/楷体 or a larger
//!    size than the body text; in a plain-text source, a short line without sentence punctuation.
//!
//! Numbered headings get their level from the order their numbering styles first appear (the
//! first style seen is the top, a new style goes one deeper, a style seen before returns to its
//! level), below the last styled heading. Tables of contents (fields, `toc N` styles, dot
//! leaders with page numbers) are left out, and so are page breaks, headers and footers.

#[cfg(test)]
use super::body::Para;
use super::body::{Block, Body, Cell, VMerge};
use super::numbering::{Counter, Numbering};
use super::styles::{Run, Styles};
use crate::model::heading::{self, Numbering as Style};
use crate::parse::markdown::PLAIN_MAX;
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

/// Why a paragraph was taken as a heading.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Evidence {
    /// A heading style of the document (`heading 1`, `标题 2`, `预案一级标题` based on one).
    Style { style: String },
    /// Automatic numbering: the level text of numbering.xml (`第%1章`).
    Numbering { definition: String },
    /// A number typed in the text, with the formatting that marks it as a heading.
    Typed { number: String, formatting: String },
    /// A Markdown heading of a Markdown source.
    Markdown,
    /// An attachment line (`附件1`, `附件2：应急通讯录`).
    Attachment,
}

impl Evidence {
    /// The evidence in words, for the human report.
    pub(crate) fn words(&self) -> (String, String) {
        match self {
            Evidence::Style { style } => (format!("样式“{style}”"), format!("style \"{style}\"")),
            Evidence::Numbering { definition } => (
                format!("自动编号“{definition}”"),
                format!("automatic numbering \"{definition}\""),
            ),
            Evidence::Typed { number, formatting } => (
                format!("手写编号“{number}”，{formatting}"),
                format!("typed number \"{number}\", {formatting}"),
            ),
            Evidence::Markdown => ("Markdown 标题".into(), "Markdown heading".into()),
            Evidence::Attachment => ("附件行".into(), "attachment line".into()),
        }
    }
}

/// One piece of the recovered body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    Heading {
        level: u8,
        text: String,
        /// The source paragraph (1-based).
        para: usize,
        evidence: Evidence,
    },
    /// A paragraph (a list item has its number or `- ` in front).
    Text { text: String, para: usize },
    /// A table as Markdown lines; `caption` is a merged title row taken out of it.
    Table {
        caption: Option<String>,
        lines: Vec<String>,
        /// Merged cells repeated: (horizontal, vertical).
        merged: (usize, usize),
    },
    /// A footnote: (id, text).
    Note(String, String),
}

/// What was left out, by kind, with a sample.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct LeftOut {
    /// Lines of a table of contents.
    pub(crate) contents: usize,
    /// Text boxes and drawings.
    pub(crate) text_boxes: usize,
    /// Table rows past the cap.
    pub(crate) rows_cut: usize,
}

/// The recovered body.
#[derive(Debug, Clone, Default)]
pub(crate) struct Recovered {
    pub(crate) items: Vec<Item>,
    pub(crate) left_out: LeftOut,
    /// Paragraphs in the title style (`Title`, `标题`): (paragraph, text).
    pub(crate) titled: Vec<(usize, String)>,
    /// Centred paragraphs before the first heading: cover lines.
    pub(crate) centred: Vec<usize>,
}

/// A line of a table of contents: a title, then dot leaders, then a page number.
static CONTENTS_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\S.{0,60}?(?:[.．·…‥]{3,}|…+)\s*[0-9IVXivx]{1,4}\s*$").expect("static regex")
});

/// An attachment heading: `附件1`, `附件 2：应急通讯录`, `附件：`.
/// A line of a contents without leaders: a title, a tab, a page number (only right after a
/// contents heading or line: a tab before a number is common in body text).
static CONTENTS_TAB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\S.{0,60}?\t+\s*[0-9IVXivx]{1,4}\s*$").expect("static regex"));

static ATTACHMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^附\s*件\s*[0-9一二三四五六七八九十]*\s*(?:[:：.．、\s　]\s*\S.{0,28})?$")
        .expect("static regex")
});

/// Sentence punctuation a heading does not end with.
fn ends_sentence(t: &str) -> bool {
    t.ends_with(['。', '；', ';', '，', ',', '！', '？', '!', '?', '：', ':'])
}

/// Whether a line cites a document (`1.《中华人民共和国安全生产法》`): an item of a list of
/// sources, not a heading.
fn cites(t: &str) -> bool {
    t.contains('《') || is_date_line(t)
}

/// Whether a line is a date (`2023年5月18日` under a signature): a number, not a heading.
fn is_date_line(t: &str) -> bool {
    let mut cs = t.trim_start().chars();
    (&mut cs)
        .take(4)
        .filter(|c| c.is_ascii_digit() || "〇○零一二三四五六七八九".contains(*c))
        .count()
        == 4
        && cs.next() == Some('年')
}

/// Fonts that mark a heading in Chinese official documents.
fn heading_font(font: &str) -> bool {
    ["黑体", "楷体", "小标宋", "Hei", "Kai", "SimHei", "KaiTi"]
        .iter()
        .any(|f| font.contains(f))
}

/// The formatting of the body text: the font, size and weight of most of the text (by
/// characters). A heading is set apart from it; a document that sets every paragraph in 三号
/// directly (no styles at all) has no heading by size alone.
fn body_run(body: &Body, styles: &Styles) -> Run {
    use std::collections::HashMap;
    let default = styles.get(None).map(|s| s.run.clone()).unwrap_or_default();
    let mut fonts: HashMap<Option<String>, usize> = HashMap::new();
    let mut sizes: HashMap<Option<u32>, usize> = HashMap::new();
    let mut bold: HashMap<Option<bool>, usize> = HashMap::new();
    for b in &body.blocks {
        let Block::Para(p) = b else { continue };
        let n = p.text.chars().count();
        if n == 0 {
            continue;
        }
        let style = styles
            .get(p.style.as_deref())
            .map(|s| s.run.clone())
            .unwrap_or_default();
        let run = p.run.or(&style).or(&default);
        *fonts.entry(run.font).or_default() += n;
        *sizes.entry(run.size).or_default() += n;
        *bold.entry(run.bold).or_default() += n;
    }
    fn most<K: Ord + Clone>(m: HashMap<Option<K>, usize>) -> Option<K> {
        // the most characters; ties to the smaller value, so the result does not depend on
        // the map's order
        m.into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .and_then(|(k, _)| k)
    }
    Run {
        font: most(fonts).or(default.font),
        size: most(sizes).or(default.size),
        bold: most(bold).or(default.bold),
    }
}

/// Recovers the structure of a Word body.
pub(crate) fn recover(body: &Body, styles: &Styles, numbering: &Numbering) -> Recovered {
    let mut out = Recovered {
        left_out: LeftOut {
            text_boxes: body.text_boxes,
            ..LeftOut::default()
        },
        ..Recovered::default()
    };
    let base_run = body_run(body, styles);
    let mut counter = Counter::default();
    let mut ranks = Ranks::default();
    let mut seen_heading = false;
    let mut in_contents = false;
    // the decimal numbers of the typed headings open now, outermost first (`1`, `1.2`)
    let mut decimal_open: Vec<String> = Vec::new();
    for block in &body.blocks {
        let p = match block {
            Block::Table(rows) => {
                in_contents = false;
                out.items.push(table(rows, &mut out.left_out));
                continue;
            }
            Block::Para(p) => p,
        };
        let style = styles.get(p.style.as_deref());
        let num = p
            .num
            .clone()
            .or_else(|| style.and_then(|s| s.num.clone()))
            .filter(|(id, _)| id != "0");
        let label = num.and_then(|(id, l)| counter.next(numbering, &id, l));
        let raw = p.text.replace('\t', " ");
        let text = raw.trim();
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        // the contents: its heading, then its lines
        let trimmed = p.text.trim();
        if p.toc
            || style.is_some_and(|s| s.toc)
            || CONTENTS_LINE.is_match(trimmed)
            || (in_contents && CONTENTS_TAB.is_match(trimmed))
        {
            if !text.is_empty() {
                out.left_out.contents += 1;
            }
            in_contents = true;
            continue;
        }
        if compact == "目录" || compact == "目次" {
            out.left_out.contents += 1;
            in_contents = true;
            continue;
        }
        if text.is_empty() {
            continue;
        }
        in_contents = false;
        if style.is_some_and(|s| s.title) {
            out.titled.push((p.index, text.to_string()));
        }
        if !seen_heading && p.centered {
            out.centred.push(p.index);
        }
        let shown = match &label {
            Some(l) if !l.bullet && !l.text.is_empty() => join_label(&l.text, text),
            _ => text.to_string(),
        };
        let run = p.run.or(&style.map(|s| s.run.clone()).unwrap_or_default());
        let short = shown.chars().filter(|c| !c.is_whitespace()).count() <= PLAIN_MAX + 6
            && !ends_sentence(&shown)
            && !shown.contains('\n')
            && !cites(&shown);
        // 1. Word's own structure
        let styled = style
            .and_then(|s| s.heading.clone())
            .or_else(|| {
                p.outline
                    .filter(|o| *o < 9)
                    .map(|o| (o + 1, format!("outline level {}", o + 1)))
            })
            .filter(|_| !style.is_some_and(|s| s.title));
        if let Some((level, name)) = styled {
            seen_heading = true;
            ranks.reset(level);
            decimal_open.clear();
            out.items.push(Item::Heading {
                level: level.min(6),
                text: shown,
                para: p.index,
                evidence: Evidence::Style { style: name },
            });
            continue;
        }
        if short && ATTACHMENT.is_match(&shown) {
            seen_heading = true;
            ranks.attachment();
            out.items.push(Item::Heading {
                level: 1,
                text: shown,
                para: p.index,
                evidence: Evidence::Attachment,
            });
            continue;
        }
        // 2. automatic numbering
        if let Some(l) = label.as_ref().filter(|l| !l.bullet && !l.text.is_empty()) {
            if let Some(kind) = heading::numbering(&l.text).filter(|_| short) {
                seen_heading = true;
                out.items.push(Item::Heading {
                    level: ranks.level(kind, &shown),
                    text: shown,
                    para: p.index,
                    evidence: Evidence::Numbering {
                        definition: l.pattern.clone(),
                    },
                });
                continue;
            }
        }
        // 3. typed numbering with the formatting of a heading, or a decimal number that
        // continues the number of the heading open above it (`1.1` under `1　总则`): Word
        // exports often set 1.1-level headings in the body font, and no sentence starts `1.1`
        if label.is_none() && short {
            if let Some(kind) = heading::numbering(&shown) {
                let number = number_of(&shown);
                let formatting = formatting(&run, &base_run, kind).or_else(|| {
                    continues_heading_number(&number, &decimal_open).then(|| {
                        "续接上级标题编号 / continues the number of the heading above".to_string()
                    })
                });
                if let Some(formatting) = formatting {
                    seen_heading = true;
                    note_decimal(&mut decimal_open, &number);
                    out.items.push(Item::Heading {
                        level: ranks.level(kind, &shown),
                        text: shown,
                        para: p.index,
                        evidence: Evidence::Typed { number, formatting },
                    });
                    continue;
                }
            }
        }
        let text = match &label {
            Some(l) if l.bullet => format!("- {text}"),
            _ => shown,
        };
        out.items.push(Item::Text {
            text,
            para: p.index,
        });
    }
    for (id, text) in &body.footnotes {
        out.items.push(Item::Note(id.clone(), text.clone()));
    }
    out
}

/// Recovers the structure of a plain-text source: lines are paragraphs; a short line that
/// starts with a typed number and does not end a sentence is a heading; a Markdown source's
/// `#` headings are headings.
pub(crate) fn recover_text(text: &str, markdown: bool) -> Recovered {
    let mut out = Recovered::default();
    let mut ranks = Ranks::default();
    for (i, line) in text.lines().enumerate() {
        let index = i + 1;
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if markdown {
            let hashes = t.chars().take_while(|c| *c == '#').count();
            if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') {
                out.items.push(Item::Heading {
                    level: hashes as u8,
                    text: t[hashes..].trim().to_string(),
                    para: index,
                    evidence: Evidence::Markdown,
                });
                continue;
            }
            out.items.push(Item::Text {
                text: line.trim_end().to_string(),
                para: index,
            });
            continue;
        }
        if CONTENTS_LINE.is_match(t) || t == "目录" {
            out.left_out.contents += 1;
            continue;
        }
        let short = t.chars().filter(|c| !c.is_whitespace()).count() <= PLAIN_MAX + 6
            && !ends_sentence(t)
            && !cites(t);
        if short && ATTACHMENT.is_match(t) {
            ranks.attachment();
            out.items.push(Item::Heading {
                level: 1,
                text: t.to_string(),
                para: index,
                evidence: Evidence::Attachment,
            });
            continue;
        }
        if let Some(kind) = heading::numbering(t).filter(|_| short) {
            out.items.push(Item::Heading {
                level: ranks.level(kind, t),
                text: t.to_string(),
                para: index,
                evidence: Evidence::Typed {
                    number: number_of(t),
                    formatting:
                        "单独成行，无句末标点 / a line of its own without sentence punctuation"
                            .into(),
                },
            });
            continue;
        }
        out.items.push(Item::Text {
            text: t.to_string(),
            para: index,
        });
    }
    out
}

/// The parts of a decimal heading number (`1.2` → `[1, 2]`; `1．2` too); `None` for others.
fn decimal_parts(number: &str) -> Option<Vec<&str>> {
    let parts: Vec<&str> = number
        .trim_end_matches(['.', '．', '、'])
        .split(['.', '．'])
        .collect();
    parts
        .iter()
        .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
        .then_some(parts)
}

/// Whether `number` (`1.2`) is one level below a decimal heading open now (`1`), so that it
/// continues that heading's numbering.
fn continues_heading_number(number: &str, open: &[String]) -> bool {
    let Some(parts) = decimal_parts(number) else {
        return false;
    };
    if parts.len() < 2 {
        return false;
    }
    let parent = parts[..parts.len() - 1].join(".");
    open.iter()
        .any(|o| decimal_parts(o).is_some_and(|op| op.join(".") == parent))
}

/// Keeps the decimal heading numbers open after a heading numbered `number`.
fn note_decimal(open: &mut Vec<String>, number: &str) {
    let Some(parts) = decimal_parts(number) else {
        return;
    };
    open.retain(|o| decimal_parts(o).is_some_and(|op| op.len() < parts.len()));
    open.push(parts.join("."));
}

/// The number a title starts with (`一、`, `（一）`, `1.1`, `第二章`).
fn number_of(t: &str) -> String {
    let norm = heading::normalize(t);
    let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    compact
        .strip_suffix(norm.as_str())
        .map(|n| n.trim_end_matches(['：', ':']).to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| compact.chars().take(4).collect())
}

/// The label and the text as a reader sees them: `第一章 总则`, `（一）组织机构`.
fn join_label(label: &str, text: &str) -> String {
    if label.ends_with(['、', '）', ')', '．', '。', ' ', '\u{3000}']) {
        format!("{label}{text}")
    } else {
        format!("{label} {text}")
    }
}

/// The formatting that makes a numbered paragraph a heading, in words; `None` for body text.
/// Chapters (`第一章`) are headings on their own: no sentence starts that way.
fn formatting(run: &Run, base: &Run, kind: Style) -> Option<String> {
    let mut marks = Vec::new();
    if run.bold == Some(true) && base.bold != Some(true) {
        marks.push("加粗 / bold".to_string());
    }
    if let Some(f) = run.font.as_deref().filter(|f| heading_font(f)) {
        if base.font.as_deref() != Some(f) {
            marks.push(f.to_string());
        }
    }
    if let (Some(s), b) = (run.size, base.size.unwrap_or(21)) {
        if s > b {
            marks.push(format!("{} pt", f64::from(s) / 2.0));
        }
    }
    if marks.is_empty() && matches!(kind, Style::Chapter | Style::Section) {
        marks.push("章节编号 / chapter number".into());
    }
    (!marks.is_empty()).then(|| marks.join("，"))
}

/// Levels of numbered headings from the order their styles first appear, below the last
/// styled heading.
#[derive(Default)]
struct Ranks {
    base: u8,
    /// Styles in order, `（一）` and `（1）` told apart (the bool: a digit in parentheses).
    stack: Vec<(Style, bool)>,
}

impl Ranks {
    fn level(&mut self, kind: Style, title: &str) -> u8 {
        let digit = kind == Style::Paren
            && title
                .trim_start_matches(['（', '(', '*', ' '])
                .starts_with(|c: char| c.is_ascii_digit());
        let kind = (kind, digit);
        let at = match self.stack.iter().position(|k| *k == kind) {
            Some(i) => {
                self.stack.truncate(i + 1);
                i
            }
            None => {
                // 1.2 goes below 1 even when 1 was not seen last
                let below = match kind.0 {
                    Style::Arabic(n) if n > 1 => {
                        self.stack.iter().position(|k| k.0 == Style::Arabic(n - 1))
                    }
                    _ => None,
                };
                if let Some(i) = below {
                    self.stack.truncate(i + 1);
                }
                self.stack.push(kind);
                self.stack.len() - 1
            }
        };
        (self.base + 1 + at as u8).min(6)
    }
    /// A styled heading at `level`: numbered headings below go under it.
    fn reset(&mut self, level: u8) {
        self.base = level;
        self.stack.clear();
    }
    /// An attachment starts again from the top.
    fn attachment(&mut self) {
        self.base = 1;
        self.stack.clear();
    }
}

/// A table as Markdown: the first row is the header; a first row that is one merged cell
/// across the table is its caption; horizontally merged cells repeat their text in each
/// column they cover, vertically merged ones repeat the text of the cell above.
fn table(rows: &[Vec<Cell>], left: &mut LeftOut) -> Item {
    let _ = left;
    let width = rows
        .iter()
        .map(|r| r.iter().map(|c| c.span.max(1) as usize).sum::<usize>())
        .max()
        .unwrap_or(0)
        .clamp(1, super::body::MAX_CELLS);
    let mut grid: Vec<Vec<String>> = Vec::new();
    let mut merged = (0usize, 0usize);
    let mut caption = None;
    for (r, row) in rows.iter().enumerate() {
        if r == 0 && rows.len() > 1 && width > 1 && row.len() == 1 && row[0].span as usize >= width
        {
            caption = Some(row[0].text.clone());
            continue;
        }
        let mut cells: Vec<String> = Vec::with_capacity(width);
        for c in row {
            let col = cells.len();
            let text = match c.vmerge {
                VMerge::Continue => {
                    merged.1 += 1;
                    grid.last()
                        .and_then(|above| above.get(col))
                        .cloned()
                        .unwrap_or_default()
                }
                _ => c.text.clone(),
            };
            for k in 0..c.span.max(1) {
                if cells.len() < width {
                    if k > 0 {
                        merged.0 += 1;
                    }
                    cells.push(text.clone());
                }
            }
        }
        cells.resize(width, String::new());
        grid.push(cells);
    }
    let cell = |s: &str| {
        let s = s.replace('|', "\\|").replace(['\n', '\r', '\t'], " ");
        if s.trim().is_empty() {
            " ".to_string()
        } else {
            s.trim().to_string()
        }
    };
    let mut lines = Vec::with_capacity(grid.len() + 1);
    for (i, row) in grid.iter().enumerate() {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        lines.push(format!("| {} |", cells.join(" | ")));
        if i == 0 {
            lines.push(format!("|{}", "---|".repeat(width)));
        }
    }
    Item::Table {
        caption,
        lines,
        merged,
    }
}

/// Paragraphs of a body without structure, for tests of the other parts.
#[cfg(test)]
pub(crate) fn para(index: usize, text: &str) -> Para {
    Para {
        index,
        text: text.into(),
        ..Para::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headings(r: &Recovered) -> Vec<(u8, String)> {
        r.items
            .iter()
            .filter_map(|i| match i {
                Item::Heading { level, text, .. } => Some((*level, text.clone())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn typed_numbering_needs_the_formatting_of_a_heading() {
        let bold = |i, t: &str| {
            let mut p = para(i, t);
            p.run.bold = Some(true);
            p
        };
        let hei = |i, t: &str| {
            let mut p = para(i, t);
            p.run.font = Some("黑体".into());
            p.run.size = Some(32);
            p
        };
        let body = Body {
            blocks: vec![
                Block::Para(hei(1, "一、总则")),
                Block::Para(bold(2, "（一）编制目的")),
                Block::Para(para(3, "为规范应急工作，制定本预案。")),
                Block::Para(para(4, "1. 立即报告值班长")),
                Block::Para(bold(5, "（二）适用范围")),
                Block::Para(hei(6, "二、组织机构及职责")),
                Block::Para(para(7, "目录")),
                Block::Para(para(8, "一、总则……………………1")),
                Block::Para(para(9, "附件1 应急通讯录")),
            ],
            ..Body::default()
        };
        let r = recover(&body, &Styles::default(), &Numbering::default());
        assert_eq!(
            headings(&r),
            vec![
                (1, "一、总则".into()),
                (2, "（一）编制目的".into()),
                (2, "（二）适用范围".into()),
                (1, "二、组织机构及职责".into()),
                (1, "附件1 应急通讯录".into()),
            ]
        );
        assert_eq!(r.left_out.contents, 2);
        assert!(r.items.contains(&Item::Text {
            text: "1. 立即报告值班长".into(),
            para: 4
        }));
    }

    /// LibreOffice and Word exports set `1.1` headings in the body font: the number that
    /// continues an open heading's number makes them headings; a `1.` step or a sentence does not.
    #[test]
    fn decimal_numbers_continue_the_heading_above() {
        let hei = |i, t: &str| {
            let mut p = para(i, t);
            p.run.bold = Some(true);
            p
        };
        let body = Body {
            blocks: vec![
                Block::Para(hei(1, "1　总则")),
                Block::Para(para(2, "1.1　编制目的")),
                Block::Para(para(3, "做好水旱灾害防范工作，制定本预案。")),
                Block::Para(para(4, "1.2　适用范围")),
                Block::Para(para(5, "2.1　不在任何标题下")),
                Block::Para(hei(6, "2　组织指挥体系")),
                Block::Para(para(7, "2.1　县防汛抗旱指挥部")),
                Block::Para(para(8, "2.1.1　指挥部组成")),
                Block::Para(para(9, "1. 立即报告值班长")),
                Block::Para(para(10, "2.2　本节按下列规定执行。")),
            ],
            ..Body::default()
        };
        let r = recover(&body, &Styles::default(), &Numbering::default());
        assert_eq!(
            headings(&r),
            vec![
                (1, "1　总则".into()),
                (2, "1.1　编制目的".into()),
                (2, "1.2　适用范围".into()),
                (1, "2　组织指挥体系".into()),
                (2, "2.1　县防汛抗旱指挥部".into()),
                (3, "2.1.1　指挥部组成".into()),
            ]
        );
    }

    #[test]
    fn merged_cells_are_repeated_and_a_title_row_becomes_the_caption() {
        let c = |t: &str, span, vmerge| Cell {
            text: t.into(),
            span,
            vmerge,
        };
        let rows = vec![
            vec![c("应急通讯录", 3, VMerge::None)],
            vec![
                c("职务", 1, VMerge::None),
                c("姓名", 1, VMerge::None),
                c("电话", 1, VMerge::None),
            ],
            vec![
                c("总指挥", 1, VMerge::Start),
                c("刘志强", 1, VMerge::None),
                c("13907452618", 1, VMerge::None),
            ],
            vec![
                c("", 1, VMerge::Continue),
                c("谭国平", 1, VMerge::None),
                c("13974538026", 1, VMerge::None),
            ],
            vec![c("值班电话 0745-6628119", 3, VMerge::None)],
        ];
        let Item::Table {
            caption,
            lines,
            merged,
        } = table(&rows, &mut LeftOut::default())
        else {
            panic!()
        };
        assert_eq!(caption.as_deref(), Some("应急通讯录"));
        assert_eq!(lines[3], "| 总指挥 | 谭国平 | 13974538026 |");
        assert_eq!(merged, (2, 1));
        assert_eq!(
            lines[4],
            "| 值班电话 0745-6628119 | 值班电话 0745-6628119 | 值班电话 0745-6628119 |"
        );
    }

    #[test]
    fn plain_text_lines() {
        let r = recover_text(
            "目录\n第一章 总则\n一、编制目的\n为规范应急工作，制定本预案。\n二、适用范围\n1.《中华人民共和国安全生产法》（主席令第13号）\n第二章 组织机构\n",
            false,
        );
        assert_eq!(
            headings(&r),
            vec![
                (1, "第一章 总则".into()),
                (2, "一、编制目的".into()),
                (2, "二、适用范围".into()),
                (1, "第二章 组织机构".into()),
            ]
        );
    }
}
