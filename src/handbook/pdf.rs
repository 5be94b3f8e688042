//! The handbook as flow blocks for the shared paginating layout ([`crate::render::flow`]).
//!
//! One function per section of a plan, named for the section and called in print order by
//! `part_into`; the columns of each table (header and relative width) are constants, so the
//! functions only say which facts of the view go in which rows.

use super::content::{BookView, PartView, RoleRef};
use crate::render::flow::{self, Anchor, Block, Cover, FlowStep, ListKind, Run, Style};
use crate::render::font::Fonts;
use crate::render::layout::Color;
use crate::render::markdown;
use crate::render::pdf::PdfMeta;

/// 一 … 二十 for section numbers.
pub(crate) fn chinese_number(n: usize) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0 => "〇".into(),
        1..=9 => D[n].into(),
        10 => "十".into(),
        11..=19 => format!("十{}", D[n - 10]),
        20..=99 => format!("{}十{}", D[n / 10], D[n % 10]),
        _ => n.to_string(),
    }
}

fn h(level: u8, text: impl Into<String>) -> Block {
    Block::Heading {
        level,
        text: text.into(),
    }
}

fn role_line(r: &RoleRef) -> String {
    r.label()
}

/// Numbered section titles: "一、" at the top level, "（一）" one level down.
struct Numbering {
    top: u8,
    n: usize,
}

impl Numbering {
    fn next(&mut self, title: &str) -> Block {
        self.n += 1;
        let t = if self.top == 1 {
            format!("{}、{title}", chinese_number(self.n))
        } else {
            format!("（{}）{title}", chinese_number(self.n))
        };
        h(self.top, t)
    }
    /// The heading level `by` levels below the sections (at most 4).
    fn below(&self, by: u8) -> u8 {
        (self.top + by).min(4)
    }
}

/// Blocks with the anchors that body links go to (the ids of the HTML's anchors).
#[derive(Debug, Default)]
pub struct Blocks {
    pub blocks: Vec<Block>,
    pub anchors: Vec<Anchor>,
}

impl Blocks {
    fn push(&mut self, b: Block) {
        self.blocks.push(b);
    }
    /// `id` goes to the next block pushed (to its `row` for a table).
    fn anchor(&mut self, id: &str, row: Option<usize>) {
        self.anchors.push(Anchor {
            id: id.to_string(),
            block: self.blocks.len(),
            row,
        });
    }
}

/// A table's columns: header and relative width.
type Columns = [(&'static str, f32)];

const MATRIX_COLUMNS: [(&str, f32); 5] = [
    ("级别", 1.2),
    ("启动条件", 3.2),
    ("决定启动", 1.5),
    ("牵头", 1.5),
    ("主要措施", 4.2),
];
const WARNING_COLUMNS: [(&str, f32); 4] = [
    ("预警", 2.2),
    ("发布条件", 3.9),
    ("发布", 1.8),
    ("预警措施", 3.4),
];
const ROLE_COLUMNS: [(&str, f32); 3] = [("岗位", 2.6), ("联系", 2.4), ("职责", 5.0)];
const CONTACT_COLUMNS: [(&str, f32); 3] = [("名称", 4.2), ("电话（值班在前）", 4.0), ("核实", 1.8)];
const RESOURCE_COLUMNS: [(&str, f32); 4] = [
    ("类别", 1.3),
    ("名称与位置", 3.6),
    ("负责人/保管人", 2.3),
    ("能力与物资", 3.8),
];
const LINKED_COLUMNS: [(&str, f32); 5] = [
    ("关系", 1.0),
    ("预案", 5.0),
    ("类别", 2.0),
    ("版本", 1.2),
    ("施行", 1.8),
];
const MILESTONE_COLUMNS: [(&str, f32); 3] = [("日期", 2.0), ("事项", 1.5), ("说明", 6.5)];
const COMMIT_COLUMNS: [(&str, f32); 4] =
    [("日期", 2.0), ("提交", 1.5), ("作者", 2.0), ("说明", 4.5)];

/// A table of `columns` without row marks.
fn table(columns: &Columns, rows: Vec<Vec<String>>) -> Block {
    Block::Table {
        header: columns.iter().map(|(h, _)| h.to_string()).collect(),
        rows,
        widths: columns.iter().map(|&(_, w)| w).collect(),
        marks: Vec::new(),
    }
}

/// The non-empty ones of `parts`, one a line (a table cell).
fn lines(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
}

/// The blocks of one part appended to `out`, with the part's anchors: its roles, contacts and
/// resources (table rows), response levels and sections. Each section is left out when the
/// plan has nothing for it, except the history.
fn part_into(out: &mut Blocks, p: &PartView, top: u8) {
    let mut num = Numbering { top, n: 0 };
    out.push(Block::Note(source_line(p)));
    if !p.levels.is_empty() {
        level_matrix(out, p, &mut num);
        level_checklists(out, p, &mut num);
    }
    reporting_flow(out, p, &mut num);
    warning_levels(out, p, &mut num);
    roles_and_duties(out, p, &mut num);
    contacts(out, p, &mut num);
    resources(out, p, &mut num);
    linked_plans(out, p, &mut num);
    history(out, p, &mut num);
    plan_text(out, p, &mut num);
}

/// The next numbered section of part `p`, with the anchor `<part>-<key>`.
fn section(out: &mut Blocks, p: &PartView, num: &mut Numbering, key: &str, title: &str) {
    out.anchor(&format!("{}-{key}", p.anchor), None);
    out.push(num.next(title));
}

/// Issuer, kind, version, number, date in force and the file, under the part's title.
fn source_line(p: &PartView) -> String {
    let number = if p.plan_no.is_empty() {
        String::new()
    } else {
        format!(" · 编号 {}", p.plan_no)
    };
    format!(
        "{} · {} · 版本 {}{number} · 施行 {} · 来源 {}",
        p.issuer, p.kind, p.version, p.effective, p.path
    )
}

/// The response levels side by side: trigger, who decides, who leads, main measures.
fn level_matrix(out: &mut Blocks, p: &PartView, num: &mut Numbering) {
    section(out, p, num, "matrix", "响应级别一览");
    let rows = p
        .levels
        .iter()
        .map(|l| {
            vec![
                format!("{}\n{}", l.numeral, l.name),
                l.trigger.clone(),
                l.decided_by
                    .as_ref()
                    .map(|r| r.name.clone())
                    .unwrap_or_default(),
                l.lead.name.clone(),
                l.actions
                    .iter()
                    .enumerate()
                    .map(|(i, a)| format!("{}. {a}", i + 1))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ]
        })
        .collect();
    out.push(table(&MATRIX_COLUMNS, rows));
}

/// One checklist per response level: the lead's measures, then each role's actions.
fn level_checklists(out: &mut Blocks, p: &PartView, num: &mut Numbering) {
    let (sub, subsub) = (num.below(1), num.below(2));
    section(out, p, num, "checklists", "各级响应岗位行动清单");
    out.push(Block::Note(
        "每级响应：先做牵头岗位的响应措施，再按岗位逐项落实；完成一项勾一项。".into(),
    ));
    for l in &p.levels {
        out.anchor(&l.anchor, None);
        out.push(h(sub, format!("{}（{}）", l.name, l.numeral)));
        let mut who = format!("牵头：{}", role_line(&l.lead));
        if let Some(d) = &l.decided_by {
            who.push_str(&format!("；决定启动：{}", d.name));
        }
        out.push(Block::Note(who));
        out.push(Block::Para(vec![Run::plain(format!(
            "启动条件：{}",
            l.trigger
        ))]));
        if !l.actions.is_empty() {
            out.push(h(subsub, format!("{}（牵头）", l.lead.name)));
            out.push(check_list(&l.actions));
        }
        for t in &l.tasks {
            out.push(h(subsub, t.role.name.clone()));
            if !t.role.phone.is_empty() {
                out.push(Block::Note(format!("联系电话 {}", t.role.phone)));
            }
            out.push(check_list(&t.actions));
        }
    }
}

/// Who reports to whom, within what time, as a flow chart.
fn reporting_flow(out: &mut Blocks, p: &PartView, num: &mut Numbering) {
    if p.reporting.is_empty() {
        return;
    }
    section(out, p, num, "reporting", "信息报告流程");
    let steps = p
        .reporting
        .iter()
        .map(|s| FlowStep {
            from: role_line(&s.from),
            to: role_line(&s.to),
            label: if s.within.is_empty() {
                "报告".into()
            } else {
                s.within.clone()
            },
            note: s.content.clone(),
        })
        .collect();
    out.push(Block::Flow(steps));
}

/// The warning levels, each row marked in its colour.
fn warning_levels(out: &mut Blocks, p: &PartView, num: &mut Numbering) {
    if p.warnings.is_empty() {
        return;
    }
    section(out, p, num, "warnings", "预警级别");
    let rows = p
        .warnings
        .iter()
        .map(|w| {
            vec![
                w.name.clone(),
                w.criteria.clone(),
                w.issued_by
                    .as_ref()
                    .map(|r| r.name.clone())
                    .unwrap_or_default(),
                w.measures
                    .iter()
                    .map(|m| format!("· {m}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ]
        })
        .collect();
    let mut t = table(&WARNING_COLUMNS, rows);
    if let Block::Table { marks, .. } = &mut t {
        *marks = p
            .warnings
            .iter()
            .map(|w| Some(warning_color(w.color)))
            .collect();
    }
    out.push(t);
}

/// The colour of a warning level's row (`WarningView::color`).
fn warning_color(css: &str) -> Color {
    match css {
        "red" => Color::RED,
        "orange" => Color(255, 128, 0),
        "yellow" => Color::YELLOW,
        _ => Color::BLUE,
    }
}

/// The command body and every role: holder, phone and duties.
fn roles_and_duties(out: &mut Blocks, p: &PartView, num: &mut Numbering) {
    if p.roles.is_empty() {
        return;
    }
    section(out, p, num, "roles", "组织指挥体系与岗位职责");
    if !p.command_body.is_empty() {
        out.push(Block::Para(vec![Run::plain(format!(
            "指挥机构：{}",
            p.command_body
        ))]));
    }
    for (i, r) in p.roles.iter().enumerate() {
        out.anchor(&r.role.anchor, Some(i));
    }
    let rows = p
        .roles
        .iter()
        .map(|r| {
            vec![
                r.role.name.clone(),
                lines(&[&r.holder, &r.role.phone]),
                r.duties.clone(),
            ]
        })
        .collect();
    out.push(table(&ROLE_COLUMNS, rows));
}

/// The directory, one table per organisation.
fn contacts(out: &mut Blocks, p: &PartView, num: &mut Numbering) {
    if p.contacts.is_empty() {
        return;
    }
    let sub = num.below(1);
    section(out, p, num, "contacts", "通讯录");
    out.push(Block::Note("按单位分组；每组值班电话在前。".into()));
    for g in &p.contacts {
        out.push(h(sub, g.org.clone()));
        for (i, c) in g.contacts.iter().enumerate() {
            out.anchor(&c.anchor, Some(i));
        }
        let rows = g
            .contacts
            .iter()
            .map(|c| {
                vec![
                    if c.title.is_empty() {
                        c.name.clone()
                    } else {
                        format!("{}（{}）", c.name, c.title)
                    },
                    c.phones
                        .iter()
                        .map(|ph| format!("{} {}", ph.kind, ph.number))
                        .collect::<Vec<_>>()
                        .join("\n"),
                    c.verified.clone(),
                ]
            })
            .collect();
        out.push(table(&CONTACT_COLUMNS, rows));
    }
}

/// Teams, stocks, equipment and shelters with their custodians.
fn resources(out: &mut Blocks, p: &PartView, num: &mut Numbering) {
    if p.resources.is_empty() {
        return;
    }
    section(out, p, num, "resources", "应急队伍、物资与避难场所");
    for (i, r) in p.resources.iter().enumerate() {
        out.anchor(&r.anchor, Some(i));
    }
    let rows = p
        .resources
        .iter()
        .map(|r| {
            vec![
                r.kind.to_string(),
                lines(&[&r.name, &r.org, &r.location]),
                lines(&[&r.custodian, &r.phone]),
                r.holds.clone(),
            ]
        })
        .collect();
    out.push(table(&RESOURCE_COLUMNS, rows));
}

/// The plans above, below and beside this one, with their versions.
fn linked_plans(out: &mut Blocks, p: &PartView, num: &mut Numbering) {
    if p.linked.is_empty() {
        return;
    }
    section(out, p, num, "linked", "相关预案");
    let rows = p
        .linked
        .iter()
        .map(|l| {
            vec![
                l.relation.to_string(),
                if l.title.is_empty() {
                    l.id.clone()
                } else {
                    format!("{}（{}）", l.title, l.id)
                },
                l.kind.to_string(),
                l.version.clone(),
                l.effective.clone(),
            ]
        })
        .collect();
    out.push(table(&LINKED_COLUMNS, rows));
}

/// The dates of the front matter, then the git history of the file (or why there is none).
fn history(out: &mut Blocks, p: &PartView, num: &mut Numbering) {
    section(out, p, num, "history", "修订记录");
    let rows = p
        .milestones
        .iter()
        .map(|m| vec![m.date.clone(), m.event.clone(), m.detail.clone()])
        .collect();
    out.push(table(&MILESTONE_COLUMNS, rows));
    if !p.commits.is_empty() {
        out.push(Block::Note("修改历史（git）：".into()));
        let rows = p
            .commits
            .iter()
            .map(|c| {
                vec![
                    c.date.clone(),
                    c.commit.clone(),
                    c.author.clone(),
                    c.summary.clone(),
                ]
            })
            .collect();
        out.push(table(&COMMIT_COLUMNS, rows));
    }
    if !p.history_note.is_empty() {
        out.push(Block::Note(p.history_note.clone()));
    }
}

/// The plan's own text, its headings anchored with the same ids as the HTML's headings, so
/// that `plan:ID#标题` links land on them.
fn plan_text(out: &mut Blocks, p: &PartView, num: &mut Numbering) {
    if p.body.is_empty() {
        return;
    }
    let key = format!("{}-text", p.anchor);
    section(out, p, num, "text", "预案正文");
    let mut ids = markdown::heading_ids(&p.body, &key).into_iter();
    for b in &p.body {
        if matches!(b, Block::Heading { .. }) {
            if let Some(id) = ids.next() {
                out.anchor(&id, None);
            }
        }
        out.push(b.clone());
    }
}

fn check_list(items: &[String]) -> Block {
    Block::List {
        kind: ListKind::Check,
        items: items.iter().map(|a| vec![Run::plain(a.clone())]).collect(),
    }
}

/// Every block of the book, in order, with the anchors of its parts.
pub fn blocks(book: &BookView) -> Blocks {
    let mut out = Blocks::default();
    if !book.multi {
        if let Some(p) = book.parts.first() {
            out.anchor(&p.anchor, None);
            part_into(&mut out, p, 1);
        }
        return out;
    }
    for (i, p) in book.parts.iter().enumerate() {
        if i > 0 {
            out.push(Block::PageBreak);
        }
        out.anchor(&p.anchor, None);
        out.push(h(1, format!("第{}部分 {}", chinese_number(i + 1), p.title)));
        part_into(&mut out, p, 2);
    }
    out
}

/// The cover of the book.
pub(crate) fn cover(book: &BookView) -> Cover {
    let mut lines = Vec::new();
    match (book.multi, book.parts.first()) {
        (false, Some(p)) => {
            lines.push(("预案".to_string(), p.title.clone()));
            lines.push(("制定单位".to_string(), p.issuer.clone()));
            lines.push(("版本".to_string(), p.version.clone()));
            if !p.plan_no.is_empty() {
                lines.push(("预案编号".to_string(), p.plan_no.clone()));
            }
            lines.push(("施行日期".to_string(), p.effective.clone()));
        }
        _ => {
            for p in &book.parts {
                lines.push((
                    p.short.clone(),
                    format!("{}（{}，施行 {}）", p.title, p.version, p.effective),
                ));
            }
        }
    }
    lines.push(("来源提交".to_string(), book.source.clone()));
    Cover {
        kicker: book.kicker.clone(),
        title: book.title.clone(),
        lines,
        footer: format!(
            "由 yuan 根据预案库 {} 自动生成；以正式印发文本为准。Generated by yuan from the plan repository at {}.",
            book.source, book.source
        ),
    }
}

/// Above this many plans in one book, the contents list the plans only.
const CONTENTS_PARTS_MAX: usize = 12;

/// Lays the book out: the pages (for tests and the PDF) and the PDF metadata.
pub(crate) fn layout(
    book: &BookView,
    blocks: &Blocks,
    fonts: &Fonts,
    style: &Style,
    epoch: i64,
) -> (flow::Book, PdfMeta) {
    let header = format!("{} · {}", book.title, book.source);
    // a book of many plans lists only the plans in its contents (the bookmarks keep sections)
    let mut style = style.clone();
    if book.parts.len() > CONTENTS_PARTS_MAX {
        style.toc_depth = 1;
    }
    let laid = flow::book_with_anchors(
        fonts,
        &style,
        &cover(book),
        &header,
        &blocks.blocks,
        &blocks.anchors,
    );
    let meta = PdfMeta {
        title: book.title.clone(),
        subject: format!("{} {}", book.file, book.source),
        epoch,
        bookmarks: laid.outline.clone(),
    };
    (laid, meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers() {
        assert_eq!(chinese_number(1), "一");
        assert_eq!(chinese_number(10), "十");
        assert_eq!(chinese_number(12), "十二");
        assert_eq!(chinese_number(21), "二十一");
    }
}
