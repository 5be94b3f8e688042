//! The handbook as flow blocks for the shared paginating layout ([`crate::render::flow`]).

use super::content::{BookView, PartView, RoleRef};
use crate::render::flow::{self, Anchor, Block, Cover, FlowStep, ListKind, Run, Style};
use crate::render::font::Fonts;
use crate::render::layout::Color;
use crate::render::markdown;
use crate::render::pdf::PdfMeta;

/// 一 … 二十 for section numbers.
pub fn chinese_number(n: usize) -> String {
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

/// The blocks of one plan; `top` is the level of its section headings (1 alone, 2 in a chain).
pub fn part_blocks(p: &PartView, top: u8) -> Vec<Block> {
    let mut out = Blocks::default();
    part_into(&mut out, p, top);
    out.blocks
}

/// [`part_blocks`] appended to `out`, with the part's anchors: its roles, contacts and
/// resources (table rows), response levels and sections.
fn part_into(out: &mut Blocks, p: &PartView, top: u8) {
    let sub = (top + 1).min(4);
    let subsub = (top + 2).min(4);
    let a = p.anchor.as_str();
    let mut num = Numbering { top, n: 0 };
    let meta = format!(
        "{} · {} · 版本 {}{} · 施行 {} · 来源 {}",
        p.issuer,
        p.kind,
        p.version,
        if p.plan_no.is_empty() {
            String::new()
        } else {
            format!(" · 编号 {}", p.plan_no)
        },
        p.effective,
        p.path
    );
    out.push(Block::Note(meta));

    if !p.levels.is_empty() {
        out.anchor(&format!("{a}-matrix"), None);
        out.push(num.next("响应级别一览"));
        out.push(Block::Table {
            header: vec![
                "级别".into(),
                "启动条件".into(),
                "决定启动".into(),
                "牵头".into(),
                "主要措施".into(),
            ],
            rows: p
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
                .collect(),
            widths: vec![1.2, 3.2, 1.5, 1.5, 4.2],
            marks: Vec::new(),
        });

        out.anchor(&format!("{a}-checklists"), None);
        out.push(num.next("各级响应岗位行动清单"));
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

    if !p.reporting.is_empty() {
        out.anchor(&format!("{a}-reporting"), None);
        out.push(num.next("信息报告流程"));
        out.push(Block::Flow(
            p.reporting
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
                .collect(),
        ));
    }

    if !p.warnings.is_empty() {
        out.anchor(&format!("{a}-warnings"), None);
        out.push(num.next("预警级别"));
        out.push(Block::Table {
            header: vec![
                "预警".into(),
                "发布条件".into(),
                "发布".into(),
                "预警措施".into(),
            ],
            rows: p
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
                .collect(),
            widths: vec![2.2, 3.9, 1.8, 3.4],
            marks: p
                .warnings
                .iter()
                .map(|w| {
                    Some(match w.color {
                        "red" => Color::RED,
                        "orange" => Color(255, 128, 0),
                        "yellow" => Color::YELLOW,
                        _ => Color::BLUE,
                    })
                })
                .collect(),
        });
    }

    if !p.roles.is_empty() {
        out.anchor(&format!("{a}-roles"), None);
        out.push(num.next("组织指挥体系与岗位职责"));
        if !p.command_body.is_empty() {
            out.push(Block::Para(vec![Run::plain(format!(
                "指挥机构：{}",
                p.command_body
            ))]));
        }
        for (i, r) in p.roles.iter().enumerate() {
            out.anchor(&r.role.anchor, Some(i));
        }
        out.push(Block::Table {
            header: vec!["岗位".into(), "联系".into(), "职责".into()],
            rows: p
                .roles
                .iter()
                .map(|r| {
                    vec![
                        r.role.name.clone(),
                        [r.holder.as_str(), r.role.phone.as_str()]
                            .iter()
                            .filter(|s| !s.is_empty())
                            .copied()
                            .collect::<Vec<_>>()
                            .join("\n"),
                        r.duties.clone(),
                    ]
                })
                .collect(),
            widths: vec![2.6, 2.4, 5.0],
            marks: Vec::new(),
        });
    }

    if !p.contacts.is_empty() {
        out.anchor(&format!("{a}-contacts"), None);
        out.push(num.next("通讯录"));
        out.push(Block::Note("按单位分组；每组值班电话在前。".into()));
        for g in &p.contacts {
            out.push(h(sub, g.org.clone()));
            for (i, c) in g.contacts.iter().enumerate() {
                out.anchor(&c.anchor, Some(i));
            }
            out.push(Block::Table {
                header: vec!["名称".into(), "电话（值班在前）".into(), "核实".into()],
                rows: g
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
                    .collect(),
                widths: vec![4.2, 4.0, 1.8],
                marks: Vec::new(),
            });
        }
    }

    if !p.resources.is_empty() {
        out.anchor(&format!("{a}-resources"), None);
        out.push(num.next("应急队伍、物资与避难场所"));
        for (i, r) in p.resources.iter().enumerate() {
            out.anchor(&r.anchor, Some(i));
        }
        out.push(Block::Table {
            header: vec![
                "类别".into(),
                "名称与位置".into(),
                "负责人/保管人".into(),
                "能力与物资".into(),
            ],
            rows: p
                .resources
                .iter()
                .map(|r| {
                    vec![
                        r.kind.to_string(),
                        [r.name.as_str(), r.org.as_str(), r.location.as_str()]
                            .iter()
                            .filter(|s| !s.is_empty())
                            .copied()
                            .collect::<Vec<_>>()
                            .join("\n"),
                        [r.custodian.as_str(), r.phone.as_str()]
                            .iter()
                            .filter(|s| !s.is_empty())
                            .copied()
                            .collect::<Vec<_>>()
                            .join("\n"),
                        r.holds.clone(),
                    ]
                })
                .collect(),
            widths: vec![1.3, 3.6, 2.3, 3.8],
            marks: Vec::new(),
        });
    }

    if !p.linked.is_empty() {
        out.anchor(&format!("{a}-linked"), None);
        out.push(num.next("相关预案"));
        out.push(Block::Table {
            header: vec![
                "关系".into(),
                "预案".into(),
                "类别".into(),
                "版本".into(),
                "施行".into(),
            ],
            rows: p
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
                .collect(),
            widths: vec![1.0, 5.0, 2.0, 1.2, 1.8],
            marks: Vec::new(),
        });
    }

    out.anchor(&format!("{a}-history"), None);
    out.push(num.next("修订记录"));
    out.push(Block::Table {
        header: vec!["日期".into(), "事项".into(), "说明".into()],
        rows: p
            .milestones
            .iter()
            .map(|m| vec![m.date.clone(), m.event.clone(), m.detail.clone()])
            .collect(),
        widths: vec![2.0, 1.5, 6.5],
        marks: Vec::new(),
    });
    if !p.commits.is_empty() {
        out.push(Block::Note("修改历史（git）：".into()));
        out.push(Block::Table {
            header: vec!["日期".into(), "提交".into(), "作者".into(), "说明".into()],
            rows: p
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
                .collect(),
            widths: vec![2.0, 1.5, 2.0, 4.5],
            marks: Vec::new(),
        });
    }
    if !p.history_note.is_empty() {
        out.push(Block::Note(p.history_note.clone()));
    }

    if !p.body.is_empty() {
        out.anchor(&format!("{a}-text"), None);
        out.push(num.next("预案正文"));
        // the same ids as the HTML's headings: `plan:ID#标题` links land on the heading
        let mut ids = markdown::heading_ids(&p.body, &format!("{a}-text")).into_iter();
        for b in &p.body {
            if matches!(b, Block::Heading { .. }) {
                if let Some(id) = ids.next() {
                    out.anchor(&id, None);
                }
            }
            out.push(b.clone());
        }
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
pub fn cover(book: &BookView) -> Cover {
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

/// Every string the PDF prints (for the missing-glyph check).
pub fn printed(book: &BookView, blocks: &[Block]) -> Vec<String> {
    let cover = cover(book);
    let mut out = vec![cover.kicker, cover.title, cover.footer];
    for (a, b) in cover.lines {
        out.push(a);
        out.push(b);
    }
    for b in blocks {
        match b {
            Block::Heading { text, .. } | Block::Note(text) => out.push(text.clone()),
            Block::Para(runs) => out.push(flow::runs_text(runs)),
            Block::List { items, .. } => out.extend(items.iter().map(|i| flow::runs_text(i))),
            Block::Table { header, rows, .. } => {
                out.extend(header.iter().cloned());
                for r in rows {
                    out.extend(r.iter().cloned());
                }
            }
            Block::Flow(steps) => {
                for s in steps {
                    out.extend([
                        s.from.clone(),
                        s.to.clone(),
                        s.label.clone(),
                        s.note.clone(),
                    ]);
                }
            }
            Block::PageBreak => {}
        }
    }
    out
}

/// Above this many plans in one book, the contents list the plans only.
const CONTENTS_PARTS_MAX: usize = 12;

/// Lays the book out: the pages (for tests and the PDF) and the PDF metadata.
pub fn layout(
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
