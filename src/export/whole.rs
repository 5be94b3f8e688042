//! An enterprise's whole plan as one Word document (stage 8, `yuan export --whole`): the
//! order of GB/T 29639-2020 (综合应急预案 §6, 专项应急预案 §7, 现场处置方案 §8, 附件 §9) behind
//! the front matter a filing office expects.
//!
//! 1. Cover: the enterprise, the plan's title, 预案编号, 版本号, the issuer and the date.
//! 2. 批准页: who approves it (`signed_by`), how it was reviewed (`review`), when it takes effect.
//! 3. 目录: a Word `TOC` field (Word fills in the page numbers when the document opens).
//! 4. The comprehensive plan, then the special plans, then the on-site plans (each part's title
//!    a `Heading 1` on a new page, its own levels from `Heading 2`).
//! 5. 附件: the contacts and the resources the parts name (from the registries), and with
//!    `--cards` the enterprise's disposal cards.
//!
//! The parts are the enterprise's (`enterprise:`) special and on-site plans that are not
//! superseded ([`super::members`]); a part with errors is left out by the driver and counted.

use super::docx::{Block, Run};
use super::{Doc, Unit};
use crate::model::meta::{PlanMeta, ReviewMode};
use crate::model::Document;

/// The title of the whole plan: the comprehensive plan's without 综合 (`…生产安全事故综合应急
/// 预案` → `…生产安全事故应急预案`).
pub(crate) fn title(main: &PlanMeta) -> String {
    match main.title.strip_suffix("综合应急预案") {
        Some(head) => format!("{head}应急预案"),
        None => main.title.clone(),
    }
}

/// Fills `doc` with the whole plan of `u`.
pub(crate) fn compose(doc: &mut Doc, u: &Unit, main: &PlanMeta) {
    let whole = title(main);
    cover(doc, main, &whole);
    approval(doc, main, &whole);
    let toc_at = doc.package.blocks.len();
    doc.push(Block::FrontEnd);
    part(doc, u.main, main, main);
    for d in &u.parts {
        if let Some(p) = d.plan() {
            part(doc, d, p, main);
        }
    }
    annexes(doc, u);
    // the contents' entries: the parts and their first two levels
    let entries: Vec<(u8, String)> = doc.package.blocks[toc_at..]
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, text } if *level <= 3 => Some((*level, text.clone())),
            _ => None,
        })
        .collect();
    doc.package.blocks.insert(toc_at, Block::Toc(entries));
}

fn cover(doc: &mut Doc, main: &PlanMeta, whole: &str) {
    let ent = main.enterprise.as_deref().map(|e| doc.org(e));
    for _ in 0..3 {
        doc.push(Block::Para(Vec::new()));
    }
    if let Some(ent) = ent.filter(|e| !whole.starts_with(e.as_str())) {
        doc.push(Block::Centred(ent));
    }
    doc.push(Block::Title(whole.to_string()));
    for _ in 0..4 {
        doc.push(Block::Para(Vec::new()));
    }
    if let Some(no) = &main.plan_no {
        doc.push(Block::Centred(format!("预案编号：{no}")));
    }
    doc.push(Block::Centred(format!("版本号：{}", main.version)));
    for _ in 0..4 {
        doc.push(Block::Para(Vec::new()));
    }
    let issuer = doc.issuer(main);
    doc.push(Block::Centred(issuer));
    doc.push(Block::Centred(main.dates.issued.zh()));
    doc.push(Block::PageBreak);
}

/// 批准页: the approval, in the words of the front matter only (nothing it does not say).
fn approval(doc: &mut Doc, main: &PlanMeta, whole: &str) {
    doc.push(Block::Title("批准页".into()));
    let reviewed = match main.review.as_ref().map(|r| (r.mode, r.date)) {
        Some((ReviewMode::ExpertReview, Some(d))) => format!("经{}专家评审，", d.zh()),
        Some((ReviewMode::ExpertReview, None)) => "经专家评审，".into(),
        Some((ReviewMode::Justification, Some(d))) => format!("经{}论证，", d.zh()),
        Some((ReviewMode::Justification, None)) => "经论证，".into(),
        None => String::new(),
    };
    let effective = main.dates.effective.zh();
    doc.push(Block::Para(vec![Run::plain(format!(
        "《{whole}》{reviewed}现予批准发布，自{effective}起施行。"
    ))]));
    doc.push(Block::Para(Vec::new()));
    let signer = main.signed_by.clone().unwrap_or_default();
    doc.push(Block::Flush(vec![Run::plain(format!("批准人：{signer}"))]));
    doc.push(Block::Flush(vec![Run::plain(format!(
        "批准日期：{}",
        main.dates.issued.zh()
    ))]));
    if let Some(f) = &main.filing {
        let mut line = format!("备案：{}，{}", f.authority, f.filed_on.zh());
        if let Some(no) = &f.receipt_no {
            line.push_str(&format!("，备案编号 {no}"));
        }
        doc.push(Block::Flush(vec![Run::plain(line)]));
    }
    doc.push(Block::PageBreak);
}

/// One part: its title (a `Heading 1` on a new page), its issuing line when it differs from
/// the whole plan's, and its body from `Heading 2`.
fn part(doc: &mut Doc, d: &Document, p: &PlanMeta, main: &PlanMeta) {
    doc.push(Block::Heading {
        level: 1,
        text: p.title.clone(),
    });
    let line = super::issuing_line(p);
    if line != super::issuing_line(main) {
        doc.push(Block::Centred(line));
    }
    doc.body(d, p, 2);
}

/// 附件: contacts and resources the parts name, and the cards.
fn annexes(doc: &mut Doc, u: &Unit) {
    let reg = &doc.corpus.registry;
    let plans: Vec<&PlanMeta> = std::iter::once(u.main)
        .chain(u.parts.iter().copied())
        .filter_map(Document::plan)
        .collect();
    let mut contacts: Vec<&str> = Vec::new();
    let mut resources: Vec<&str> = Vec::new();
    for p in &plans {
        for c in &p.contacts {
            if !contacts.contains(&c.as_str()) {
                contacts.push(c);
            }
        }
        for r in &p.resources {
            if !resources.contains(&r.as_str()) {
                resources.push(r);
            }
        }
    }
    for c in u.cards.iter().filter_map(|d| d.card()) {
        for id in &c.report_to {
            if !contacts.contains(&id.as_str()) {
                contacts.push(id);
            }
        }
    }
    let contact_rows: Vec<Vec<Vec<Run>>> = contacts
        .iter()
        .filter_map(|id| reg.index.contacts.get(*id).map(|&i| &reg.contacts[i].item))
        .map(|c| {
            let org = c.org.as_deref().map(|o| doc.org(o));
            let post = [org, c.title.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            let phones = c
                .phones
                .iter()
                .map(|p| p.number.as_str())
                .collect::<Vec<_>>()
                // one number a line: a number is never broken across lines
                .join("\n");
            vec![
                vec![Run::plain(c.name.clone())],
                vec![Run::plain(post)],
                vec![Run::plain(phones)],
            ]
        })
        .collect();
    let resource_rows: Vec<Vec<Vec<Run>>> = resources
        .iter()
        .filter_map(|id| {
            reg.index
                .resources
                .get(*id)
                .map(|&i| &reg.resources[i].item)
        })
        .map(|r| {
            let items = r
                .items
                .iter()
                .map(|i| format!("{} {}{}", i.name, i.quantity, i.unit))
                .collect::<Vec<_>>()
                .join("；");
            let held = [r.capacity.clone(), (!items.is_empty()).then_some(items)]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("；");
            vec![
                vec![Run::plain(r.name.clone())],
                vec![Run::plain(r.location.clone().unwrap_or_default())],
                vec![Run::plain(held)],
            ]
        })
        .collect();
    let mut annexes: Vec<(String, Vec<Block>)> = Vec::new();
    if !contact_rows.is_empty() {
        annexes.push((
            "应急联系方式".into(),
            vec![table(&["姓名", "单位及职务", "电话"], contact_rows)],
        ));
    }
    if !resource_rows.is_empty() {
        annexes.push((
            "应急物资装备".into(),
            vec![table(&["名称", "存放地点", "数量或能力"], resource_rows)],
        ));
    }
    if !u.cards.is_empty() {
        let cards = u.cards.iter().flat_map(|d| card(doc, d)).collect();
        annexes.push(("应急处置卡".into(), cards));
    }
    if annexes.is_empty() {
        return;
    }
    doc.push(Block::Heading {
        level: 1,
        text: "附件".into(),
    });
    for (i, (name, blocks)) in annexes.into_iter().enumerate() {
        doc.push(Block::Heading {
            level: 2,
            text: format!("附件{}　{name}", i + 1),
        });
        doc.package.blocks.extend(blocks);
    }
}

fn table(header: &[&str], rows: Vec<Vec<Vec<Run>>>) -> Block {
    Block::Table {
        header: header.iter().map(|h| vec![Run::plain(*h)]).collect(),
        rows,
    }
}

/// A disposal card: its title, post and risk, its steps as a numbered list, cautions, whom to
/// report to and the emergency numbers.
fn card(doc: &mut Doc, d: &Document) -> Vec<Block> {
    let Some(c) = d.card() else {
        return Vec::new();
    };
    let reg = &doc.corpus.registry;
    let role = |id: &str| {
        reg.role(id)
            .map_or_else(|| id.to_string(), |r| r.name.clone())
    };
    let mut out = vec![
        Block::Heading {
            level: 3,
            text: c.title.clone(),
        },
        Block::Flush(vec![Run::plain(format!("岗位：{}", c.post))]),
        Block::Flush(vec![Run::plain(format!("风险提示：{}", c.risk))]),
    ];
    let list = doc.package.lists.len();
    doc.package.lists.push(super::docx::List {
        ordered: true,
        start: 1,
        depth: 0,
    });
    for s in c.steps.iter() {
        let mut t = s.action.clone();
        if let Some(w) = &s.who {
            t.push_str(&format!("（{}）", role(w)));
        }
        if !s.values.is_empty() {
            t.push_str(&format!("［{}］", s.values.join("，")));
        }
        out.push(Block::Item {
            list: Some(list),
            depth: 0,
            runs: vec![Run::plain(t)],
        });
    }
    if !c.cautions.is_empty() {
        out.push(Block::Flush(vec![Run::plain(format!(
            "注意事项：{}",
            c.cautions.join("；")
        ))]));
    }
    let reports: Vec<String> = c
        .report_to
        .iter()
        .filter_map(|id| reg.index.contacts.get(id).map(|&i| &reg.contacts[i].item))
        .map(|x| {
            let phone = x.phones.first().map_or("", |p| p.number.as_str());
            format!("{} {phone}", x.name)
        })
        .collect();
    if !reports.is_empty() {
        out.push(Block::Flush(vec![Run::plain(format!(
            "报告：{}",
            reports.join("；")
        ))]));
    }
    if !c.emergency_numbers.is_empty() {
        out.push(Block::Flush(vec![Run::plain(format!(
            "应急电话：{}",
            c.emergency_numbers.join("，")
        ))]));
    }
    out
}
