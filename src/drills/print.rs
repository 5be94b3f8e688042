//! The printable schedule: the [`CalendarView`] as flow blocks for the shared paginating
//! layout ([`crate::render::flow`]) on A4 landscape: a legend, one table per month (the
//! header row repeats when a month runs over a page; a colour band marks the drill type),
//! then the unmet requirements and the planned drills that break a constraint.

use super::calendar::{CalendarView, DrillType, Entry};
use crate::render::flow::{self, Block, Cover, Style};
use crate::render::font::Fonts;
use crate::render::pdf::PdfMeta;

/// A4 landscape with the handbook's type sizes.
pub fn style() -> Style {
    let mut s = Style::a4();
    std::mem::swap(&mut s.page_w, &mut s.page_h);
    s.top = 18.0;
    s.bottom = 16.0;
    s.left = 16.0;
    s.right = 16.0;
    s.toc_depth = 1;
    s
}

fn h1(text: impl Into<String>) -> Block {
    Block::Heading {
        level: 1,
        text: text.into(),
    }
}

fn kind_color(e: &Entry) -> flow::RowMark {
    DrillType::ALL
        .iter()
        .find(|t| t.key() == e.kind)
        .map(|t| t.color())
}

fn plans(e: &Entry) -> String {
    std::iter::once(e.plan.as_str())
        .chain(e.also.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The content blocks (after the cover and contents).
pub fn blocks(v: &CalendarView) -> Vec<Block> {
    let mut out = vec![h1("图例与说明 Legend")];
    out.push(Block::Table {
        header: vec!["类型 Type".into(), "English".into(), "次数 Drills".into()],
        rows: v
            .legend
            .iter()
            .map(|l| vec![l.label.clone(), l.label_en.clone(), l.count.to_string()])
            .collect(),
        widths: vec![2.0, 3.0, 1.0],
        marks: DrillType::ALL.iter().map(|t| Some(t.color())).collect(),
    });
    out.push(Block::Note(
        "左侧色条表示演练类型。状态“已定”为已有演练记录（status: planned）的演练，日期不变；“建议”为 yuan 排定的日期，须经审定。The colour band is the drill type. Fixed: on record as planned, never moved; proposed: placed by yuan, to be approved."
            .into(),
    ));
    out.push(Block::Note(format!(
        "{}：演练 {} 次（已定 {}，建议 {}{}），未能安排 {} 项。",
        v.edition,
        v.drills,
        v.fixed,
        v.proposed,
        if v.coordinators {
            format!("，双盲 {}", v.double_blind)
        } else {
            String::new()
        },
        v.unmet.len()
    )));
    let header: Vec<String> = [
        "日期 Date",
        "单位 Organisation",
        "预案 Plan",
        "演练 Drill",
        "形式·内容",
        "盲演",
        "状态 Status",
        "说明 Notes",
    ]
    .map(String::from)
    .to_vec();
    for (m, entries) in &v.months {
        out.push(h1(m.label.clone()));
        if entries.is_empty() {
            out.push(Block::Note("本月无演练。No drills this month.".into()));
            continue;
        }
        out.push(Block::Table {
            header: header.clone(),
            rows: entries
                .iter()
                .map(|e| {
                    let mut notes = Vec::new();
                    if !e.campaign.is_empty() {
                        notes.push(e.campaign.clone());
                    }
                    notes.extend(e.notes.iter().map(|n| {
                        if e.fixed {
                            format!("▲ {n}")
                        } else {
                            n.clone()
                        }
                    }));
                    vec![
                        e.date.clone(),
                        format!("{}\n{}", e.org_name, e.org),
                        plans(e),
                        e.title.clone(),
                        e.kind_label.clone(),
                        e.blind.to_string(),
                        if e.fixed {
                            format!("已定\n{}", e.record)
                        } else {
                            format!("建议\n最迟 {}", e.due)
                        },
                        notes.join("\n"),
                    ]
                })
                .collect(),
            widths: vec![2.0, 3.4, 3.2, 5.2, 2.2, 1.0, 3.4, 4.4],
            marks: entries.iter().map(kind_color).collect(),
        });
    }
    out.push(h1(format!(
        "未能安排的演练 Requirements not met ({})",
        v.unmet.len()
    )));
    if v.unmet.is_empty() {
        out.push(Block::Note(
            "每项演练要求均已安排。Every requirement is met.".into(),
        ));
    } else {
        out.push(Block::Table {
            header: vec![
                "预案 Plan".into(),
                "单位 Organisation".into(),
                "最迟 Due".into(),
                "原因 Reason".into(),
            ],
            rows: v
                .unmet
                .iter()
                .map(|u| {
                    vec![
                        u.plan.clone(),
                        format!("{}\n{}", u.org_name, u.org),
                        u.due.clone(),
                        u.reason.clone(),
                    ]
                })
                .collect(),
            widths: vec![2.5, 3.0, 1.6, 8.0],
            marks: Vec::new(),
        });
    }
    if !v.conflicts.is_empty() {
        out.push(h1(format!(
            "与约束冲突的已定演练 Planned drills that break a constraint ({})",
            v.conflicts.len()
        )));
        out.push(Block::Note(
            "已定演练不会被移动；请核对后修改演练记录。Planned drills are never moved: check them and edit the record.".into(),
        ));
        out.push(Block::Table {
            header: vec![
                "日期 Date".into(),
                "演练记录 Record".into(),
                "单位 Organisation".into(),
                "说明 Notes".into(),
            ],
            rows: v
                .conflicts
                .iter()
                .map(|e| {
                    vec![
                        e.date.clone(),
                        format!("{}\n{}", e.record, e.title),
                        e.org_name.clone(),
                        e.notes.join("\n"),
                    ]
                })
                .collect(),
            widths: vec![1.6, 5.0, 3.0, 6.0],
            marks: Vec::new(),
        });
    }
    out
}

/// The cover.
pub fn cover(v: &CalendarView) -> Cover {
    Cover {
        kicker: "应急演练计划 Drill schedule".into(),
        title: format!("{} 至 {} 应急演练计划", v.from, v.last),
        lines: vec![
            ("期间".into(), format!("{} 至 {}", v.from, v.last)),
            (
                "演练".into(),
                format!(
                    "{} 次（已定 {}，建议 {}）",
                    v.drills, v.fixed, v.proposed
                ),
            ),
            ("未能安排".into(), format!("{} 项", v.unmet.len())),
            ("版本".into(), v.edition.clone()),
            ("来源提交".into(), v.source.clone()),
        ],
        footer: format!(
            "由 yuan 根据预案库 {} 的预案和演练记录自动生成；“建议”日期须经审定。Generated by yuan from the plans and drill records at {}.",
            v.source, v.source
        ),
    }
}

/// Every string the PDF prints (for the missing-glyph check).
pub fn printed(v: &CalendarView, blocks: &[Block]) -> String {
    let c = cover(v);
    let mut out = format!("{}{}{}", c.kicker, c.title, c.footer);
    for (a, b) in &c.lines {
        out.push_str(a);
        out.push_str(b);
    }
    for b in blocks {
        match b {
            Block::Heading { text, .. } | Block::Note(text) => out.push_str(text),
            Block::Table { header, rows, .. } => {
                out.extend(header.iter().map(String::as_str));
                for r in rows {
                    out.extend(r.iter().map(String::as_str));
                }
            }
            _ => {}
        }
    }
    out
}

/// Characters of the printed text that the fonts lack (each once, in order).
pub fn missing_glyphs(v: &CalendarView, blocks: &[Block], fonts: &Fonts) -> Vec<char> {
    use crate::render::font::Face;
    let text: String = printed(v, blocks)
        .chars()
        .collect::<std::collections::BTreeSet<char>>()
        .into_iter()
        .collect();
    let mut missing = fonts.missing(&text, Face::Regular);
    for c in fonts.missing(&text, Face::Bold) {
        if !missing.contains(&c) {
            missing.push(c);
        }
    }
    missing.sort_unstable();
    missing
}

/// The PDF bytes: laid out with [`flow::book`] (cover, contents, running header, page numbers)
/// and drawn from a subset of the characters used; dated `epoch`.
pub fn pdf(
    v: &CalendarView,
    blocks: &[Block],
    fonts: &Fonts,
    epoch: i64,
) -> anyhow::Result<Vec<u8>> {
    let header = format!("{} · {} · {}", v.title, v.edition, v.source);
    let laid = flow::book(fonts, &style(), &cover(v), &header, blocks);
    let meta = PdfMeta {
        title: v.title.clone(),
        subject: format!("{} {}", v.edition, v.source),
        epoch,
        bookmarks: laid.outline.clone(),
    };
    crate::render::pdf::write_subset(&laid.pages, fonts, &meta)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drills::export::Audience;
    use crate::drills::schedule::{Schedule, Slot};
    use crate::model::drill::{BlindLevel, DrillContent, DrillForm};
    use chrono::NaiveDate;

    #[test]
    fn every_month_gets_a_heading_and_drills_a_coloured_row() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        let slot = Slot {
            uid: "x".into(),
            plan: "qx-flood".into(),
            also: Vec::new(),
            title: "青溪县防汛演练".into(),
            org: "qx-gov".into(),
            date: d("2027-05-12"),
            due: d("2027-05-31"),
            record: None,
            form: DrillForm::Tabletop,
            content: DrillContent::Comprehensive,
            blind: BlindLevel::None,
            double_blind: false,
            campaign: Some("防灾减灾日 5.12".into()),
            notes: Vec::new(),
        };
        let s = Schedule {
            from: d("2027-04-01"),
            until: d("2027-07-01"),
            slots: vec![slot],
            unmet: Vec::new(),
        };
        let v = super::super::calendar::view(&s, Audience::Public, &|o| o.to_string(), "abc");
        let b = blocks(&v);
        let heads: Vec<&str> = b
            .iter()
            .filter_map(|x| match x {
                Block::Heading { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            heads,
            [
                "图例与说明 Legend",
                "2027年4月",
                "2027年5月",
                "2027年6月",
                "未能安排的演练 Requirements not met (0)"
            ]
        );
        let may = b
            .iter()
            .find_map(|x| match x {
                Block::Table { rows, marks, .. } if rows[0][0] == "2027-05-12" => {
                    Some((rows, marks))
                }
                _ => None,
            })
            .expect("May table");
        assert_eq!(may.1[0], Some(crate::render::layout::Color::GREEN));
        assert!(may.0[0][6].starts_with("建议"));
        let fonts = Fonts::builtin().expect("font");
        assert!(missing_glyphs(&v, &b, &fonts).is_empty());
        let a = pdf(&v, &b, &fonts, 1_795_000_000).expect("pdf");
        assert_eq!(a, pdf(&v, &b, &fonts, 1_795_000_000).expect("pdf"));
    }
}
