//! Splitting a whole enterprise plan (import stage, `--split auto`): the recovered body -> one
//! part per plan it holds (综合应急预案, each 专项应急预案, each 现场处置方案), the 附件 joined to the
//! comprehensive plan they belong to.
//!
//! A heading names a plan when its title ends in 预案 or 方案 (`第一部分 综合应急预案`,
//! `一、火灾爆炸事故专项应急预案`). A plan heading with plan headings below it is a group
//! (`第二部分 专项应急预案`): the plans are its children. Each part loses its own title heading
//! (it becomes the document's title) and its headings move up so the first level is 1. Text
//! before the first part (the approval page, the order of issue) goes with the comprehensive
//! plan, as do sections that belong to no part (附件).

use super::front::names_plan;
use super::structure::Item;
use crate::model::heading::normalize;

/// One plan of a whole document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Part {
    /// The plan's heading, numbering removed (`综合应急预案`).
    pub(crate) title: String,
    /// The source paragraph of that heading.
    pub(crate) para: usize,
    pub(crate) items: Vec<Item>,
}

/// Result of a split.
#[derive(Debug, Default)]
pub(crate) struct Split {
    pub(crate) parts: Vec<Part>,
    /// Group headings left out (`第二部分 专项应急预案`): (paragraph, text).
    pub(crate) groups: Vec<(usize, String)>,
}

fn heading(item: &Item) -> Option<(u8, &str, usize)> {
    match item {
        Item::Heading {
            level, text, para, ..
        } => Some((*level, text.as_str(), *para)),
        _ => None,
    }
}

/// Splits `items` into parts; fewer than two plans found gives no parts (one document).
pub(crate) fn split(items: &[Item]) -> Split {
    let plan_at: Vec<bool> = items
        .iter()
        .map(|i| heading(i).is_some_and(|(_, t, _)| names_plan(&normalize(t))))
        .collect();
    // a section's end: the next heading at its level or above
    let end_of = |i: usize, level: u8| {
        (i + 1..items.len())
            .find(|&j| heading(&items[j]).is_some_and(|(l, _, _)| l <= level))
            .unwrap_or(items.len())
    };
    let mut starts: Vec<(usize, usize)> = Vec::new();
    let mut groups = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some((level, text, para)) = heading(item) else {
            continue;
        };
        if !plan_at[i] {
            continue;
        }
        let end = end_of(i, level);
        if (i + 1..end).any(|j| plan_at[j]) {
            groups.push((para, text.to_string()));
        } else {
            starts.push((i, end));
        }
    }
    if starts.len() < 2 {
        return Split::default();
    }
    let mut owner: Vec<Option<usize>> = vec![None; items.len()];
    for (n, (s, e)) in starts.iter().enumerate() {
        for o in owner.iter_mut().take(*e).skip(*s) {
            *o = Some(n);
        }
    }
    let lead = starts
        .iter()
        .position(|(s, _)| {
            heading(&items[*s]).is_some_and(|(_, t, _)| t.contains("综合") || t.contains("总体"))
        })
        .unwrap_or(0);
    let mut parts: Vec<Part> = starts
        .iter()
        .map(|(s, _)| {
            let (_, text, para) = heading(&items[*s]).unwrap_or((1, "", 0));
            Part {
                title: normalize(text),
                para,
                items: Vec::new(),
            }
        })
        .collect();
    let mut before: Vec<Item> = Vec::new();
    let mut after: Vec<Item> = Vec::new();
    let first = starts.first().map_or(0, |s| s.0);
    for (i, item) in items.iter().enumerate() {
        if starts.iter().any(|(s, _)| *s == i) {
            continue;
        }
        if groups
            .iter()
            .any(|(p, _)| heading(item).is_some_and(|h| h.2 == *p))
        {
            continue;
        }
        match owner[i] {
            Some(n) => parts[n].items.push(item.clone()),
            None if i < first => before.push(item.clone()),
            None => after.push(item.clone()),
        }
    }
    for part in &mut parts {
        relevel(&mut part.items);
    }
    relevel(&mut after);
    let lead_items = std::mem::take(&mut parts[lead].items);
    parts[lead].items = before.into_iter().chain(lead_items).chain(after).collect();
    // footnotes stay with the part that cites them
    let notes: Vec<Item> = parts
        .iter_mut()
        .flat_map(|p| {
            let (n, rest): (Vec<Item>, Vec<Item>) = std::mem::take(&mut p.items)
                .into_iter()
                .partition(|i| matches!(i, Item::Note(..)));
            p.items = rest;
            n
        })
        .collect();
    for note in notes {
        let Item::Note(id, _) = &note else { continue };
        let marker = format!("〔注{id}〕");
        let at = parts
            .iter()
            .position(|p| {
                p.items.iter().any(|i| match i {
                    Item::Text { text, .. } | Item::Heading { text, .. } => text.contains(&marker),
                    _ => false,
                })
            })
            .unwrap_or(lead);
        parts[at].items.push(note);
    }
    Split { parts, groups }
}

/// Moves headings up so the highest is level 1.
fn relevel(items: &mut [Item]) {
    let top = items
        .iter()
        .filter_map(|i| heading(i).map(|h| h.0))
        .min()
        .unwrap_or(1);
    for i in items {
        if let Item::Heading { level, .. } = i {
            *level = (*level + 1).saturating_sub(top).max(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::structure::Evidence;

    fn h(level: u8, text: &str, para: usize) -> Item {
        Item::Heading {
            level,
            text: text.into(),
            para,
            evidence: Evidence::Markdown,
        }
    }
    fn t(text: &str, para: usize) -> Item {
        Item::Text {
            text: text.into(),
            para,
        }
    }

    #[test]
    fn a_whole_plan_splits_into_its_plans() {
        let items = vec![
            t("发布令", 1),
            h(1, "第一部分 综合应急预案", 2),
            h(2, "1 总则", 3),
            t("本预案……", 4),
            h(1, "第二部分 专项应急预案", 5),
            h(2, "一、火灾事故专项应急预案", 6),
            h(3, "1 适用范围", 7),
            h(2, "二、中毒窒息事故专项应急预案", 8),
            h(3, "1 适用范围", 9),
            h(1, "第三部分 现场处置方案", 10),
            h(2, "一、反应釜区火灾现场处置方案", 11),
            h(3, "1 事故风险描述", 12),
            h(1, "附件", 13),
            h(2, "附件1 应急通讯录", 14),
        ];
        let s = split(&items);
        let titles: Vec<&str> = s.parts.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(
            titles,
            vec![
                "综合应急预案",
                "火灾事故专项应急预案",
                "中毒窒息事故专项应急预案",
                "反应釜区火灾现场处置方案"
            ]
        );
        assert_eq!(s.groups.len(), 2);
        assert_eq!(s.parts[0].items[0], t("发布令", 1));
        assert_eq!(s.parts[0].items[1], h(1, "1 总则", 3));
        assert_eq!(s.parts[0].items.last(), Some(&h(2, "附件1 应急通讯录", 14)));
        assert_eq!(s.parts[1].items, vec![h(1, "1 适用范围", 7)]);
    }

    #[test]
    fn one_plan_is_not_split() {
        let items = vec![h(1, "第一章 总则", 1), h(1, "第二章 应急响应", 2)];
        assert!(split(&items).parts.is_empty());
    }
}
