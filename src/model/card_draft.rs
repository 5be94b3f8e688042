//! An on-site plan (现场处置方案) read for a first disposal card (model stage): the draft of
//! `yuan new card --from ONSITE_ID`.
//!
//! Takes the typed plan, its file text, its section profile (compiled) and the registry; gives
//! the card's risk line, its steps (from the 应急处置 section: 应急处置程序 and 现场应急处置措施,
//! each citing the sub-section it came from), its cautions (注意事项), the contacts its alarm
//! section (报警负责人及报警电话) names by number, and the numbers to print large. Real plans
//! are Word exports as often as Markdown: sections are found the way S501 finds them (headings,
//! then bold or plain lines and leading labels, `model::sections::analyse`), and a label with
//! text after its colon (`1.应急处置程序：发现火情后……`) gives that text.
//!
//! A draft, not a card: every item of the plan becomes a step, one per numbered item or per
//! sentence of a paragraph, for a person to shorten to the post's first minutes (G903 says how
//! far there is to go).

use super::phones;
use super::sections::{self, Compiled, Src};
use super::{Document, Registry};
use crate::parse::lines::LineIndex;
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// One drafted step.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct DraftStep {
    pub(crate) action: String,
    /// Equipment tags found in the text (`XV-101`, `ESD-101`).
    pub(crate) values: Vec<String>,
    /// The sub-section it came from, as written in the plan (for `clause`, R405).
    pub(crate) clause: Option<String>,
}

/// What a card can take from an on-site plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CardDraft {
    /// The first sentence of 事故风险描述.
    pub(crate) risk: Option<String>,
    pub(crate) steps: Vec<DraftStep>,
    pub(crate) cautions: Vec<String>,
    /// Registry contacts whose numbers the alarm section writes, in its order.
    pub(crate) report_to: Vec<String>,
    /// Short numbers (119, 120 …) and valid numbers of no registry contact, in the text's order.
    pub(crate) emergency_numbers: Vec<String>,
    /// Numbers in the alarm section that are neither (a hotline without its area code …).
    pub(crate) unlisted: Vec<String>,
}

/// Numbering at the start of an item: `1.`, `3.2 `, `（一）`, `(1)`, `一、`, a list marker.
static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:[-*+]\s+|\d+(?:\.\d+)+\s*|\d+[.、．)）]\s*|\d+\s+|[（(]\s*[一二三四五六七八九十0-9]+\s*[)）]\s*|[一二三四五六七八九十]+[、.．]\s*)",
    )
    .expect("regex")
});
/// An equipment tag: letters, a hyphen, digits (`XV-101A`, `P-302`, `ESD-101`).
static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[A-Z]{1,4}-[0-9]{1,4}[A-Z]?\b").expect("regex"));
/// A Markdown link: `[text](dest)`, printed as its text on a card.
static LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\]]*)\]\([^)]*\)").expect("regex"));
/// A run of digits as a phone number may be written (`0736-5218123`, `119`).
static DIGITS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[0-9]+(?:-[0-9]+)*").expect("regex"));

/// A boundary of the body: a heading or a line taken as one (by file line, 1-based).
struct Mark {
    line: usize,
    /// A label with text after its colon on the same line.
    rest: bool,
}

/// The draft of a card from the on-site plan `doc` (its file `text`), with its profile `specs`
/// (the `onsite` profile), the registry (contacts by number), the short numbers accepted and a
/// test of a number's form (C601's).
pub(crate) fn draft(
    doc: &Document,
    text: &str,
    specs: &[Compiled],
    registry: &Registry,
    short: &[String],
    valid: &dyn Fn(&str) -> bool,
) -> CardDraft {
    let analysis = sections::analyse(doc, specs);
    let index = LineIndex::new(text);
    let lines: Vec<&str> = text.split('\n').collect();
    let line_of = |src: Src| index.line_of(sections::span(doc, src).start as usize);
    let mut marks: Vec<Mark> = doc
        .headings
        .iter()
        .map(|h| Mark {
            line: index.line_of(h.span.start as usize),
            rest: false,
        })
        .chain(doc.lines.iter().map(|l| Mark {
            line: index.line_of(l.span.start as usize),
            rest: l.rest,
        }))
        .collect();
    marks.sort_by_key(|m| m.line);
    let body_end = lines.len() + 1;
    // where each section of the profile is: (key, first line, title as written, top-level)
    let found: Vec<(&str, usize, &str, bool)> = specs
        .iter()
        .zip(&analysis.found)
        .filter_map(|(c, f)| {
            let f = f.as_ref()?;
            Some((
                c.spec.key.as_str(),
                line_of(f.src),
                sections::title(doc, f.src),
                c.spec.within.is_none(),
            ))
        })
        .collect();
    let at = |key: &str| found.iter().find(|f| f.0 == key);
    // a section runs to the next top-level section found after it (or the end)
    let end_after = |line: usize| {
        found
            .iter()
            .filter(|f| f.3 && f.1 > line)
            .map(|f| f.1)
            .min()
            .unwrap_or(body_end)
    };
    // a sub-section runs to the next mark after it, a label with text is its own line
    let sub_end = |line: usize, limit: usize| {
        marks
            .iter()
            .find(|m| m.line > line)
            .map_or(limit, |m| m.line.min(limit))
    };
    let mut draft = CardDraft::default();
    if let Some(&(_, line, _, _)) = at("risk") {
        let items = items(&lines, &marks, line, end_after(line), &BTreeSet::new());
        draft.risk = items
            .first()
            .and_then(|(_, t)| sentences(t).into_iter().next());
    }
    // the 应急处置 section: from its heading, or from the first of its sub-sections found
    let starts: Vec<usize> = ["handling", "procedure", "measures"]
        .iter()
        .filter_map(|k| at(k).map(|f| f.1))
        .collect();
    if let Some(&start) = starts.iter().min() {
        let end = end_after(start);
        // the alarm sub-section gives numbers, not steps
        let mut skip = BTreeSet::new();
        let mut alarm_text = String::new();
        if let Some(&(_, line, _, _)) = at("alarm").filter(|f| f.1 >= start && f.1 < end) {
            let stop = if marks.iter().any(|m| m.line == line && m.rest) {
                next_paragraph(&lines, line, end)
            } else {
                sub_end(line, end)
            };
            for l in line..stop {
                skip.insert(l);
                alarm_text.push_str(lines.get(l - 1).copied().unwrap_or(""));
                alarm_text.push('\n');
            }
        }
        // the sub-section each line is under, for `clause`
        let clauses: Vec<(usize, &str)> = found
            .iter()
            .filter(|f| matches!(f.0, "handling" | "procedure" | "measures"))
            .map(|f| (f.1, f.2))
            .collect();
        let clause_at = |line: usize| {
            clauses
                .iter()
                .filter(|(l, _)| *l <= line)
                .max_by_key(|(l, _)| *l)
                .map(|(_, t)| clean_title(t))
        };
        for (line, item) in items(&lines, &marks, start, end, &skip) {
            for action in split_item(&item) {
                draft.steps.push(DraftStep {
                    values: TAG
                        .find_iter(&action)
                        .map(|m| m.as_str().to_string())
                        .collect::<BTreeSet<_>>()
                        .into_iter()
                        .collect(),
                    action,
                    clause: clause_at(line),
                });
            }
        }
        if alarm_text.is_empty() {
            // no alarm section: the numbers of the whole 应急处置 section
            for l in start..end {
                alarm_text.push_str(lines.get(l - 1).copied().unwrap_or(""));
                alarm_text.push('\n');
            }
        }
        numbers(&alarm_text, registry, short, valid, &mut draft);
    }
    if let Some(&(_, line, _, _)) = at("precautions") {
        for (_, item) in items(&lines, &marks, line, end_after(line), &BTreeSet::new()) {
            draft.cautions.extend(split_item(&item));
        }
    }
    draft
}

/// A section title as a clause: numbering and bold markers away, as R405 compares it anyway.
fn clean_title(t: &str) -> String {
    let t = t.replace("**", "");
    let t = t.trim().trim_end_matches(['：', ':']);
    MARKER.replace(t, "").trim().to_string()
}

/// The line after the paragraph that starts at `line` (a label with its text), before `end`.
fn next_paragraph(lines: &[&str], line: usize, end: usize) -> usize {
    (line + 1..end)
        .find(|&l| lines.get(l - 1).is_none_or(|s| s.trim().is_empty()))
        .unwrap_or(end)
}

/// The items of the lines after `start` up to `end` (1-based, exclusive), each with its first
/// line: paragraphs, a numbered line starting a new one; headings and title lines left out, a
/// label's text after its colon kept; lines in `skip` left out.
fn items(
    lines: &[&str],
    marks: &[Mark],
    start: usize,
    end: usize,
    skip: &BTreeSet<usize>,
) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut open = false;
    for l in start..end {
        let Some(raw) = lines.get(l - 1) else { break };
        let mark = marks.iter().find(|m| m.line == l);
        let mut s = raw.trim().to_string();
        if skip.contains(&l) || s.is_empty() {
            open = false;
            continue;
        }
        match mark {
            Some(m) if m.rest => {
                // `1.应急处置程序：发现火情后……`: the text after the colon
                let after = s
                    .char_indices()
                    .find(|(_, c)| *c == '：' || *c == ':')
                    .map(|(i, c)| s[i + c.len_utf8()..].trim().to_string())
                    .unwrap_or_default();
                s = after;
                open = false;
                if s.is_empty() {
                    continue;
                }
            }
            Some(_) => {
                open = false;
                continue;
            }
            None => {}
        }
        let starts_item = MARKER.is_match(&s);
        match out.last_mut() {
            Some((_, last)) if open && !starts_item => last.push_str(&s),
            _ => out.push((l, s)),
        }
        open = true;
    }
    out
}

/// An item as steps: its numbering and Markdown emphasis away, then one step per sentence when
/// it has several; no full stop at the end.
fn split_item(item: &str) -> Vec<String> {
    let t = item.replace("**", "");
    let t = LINK.replace_all(&t, "$1");
    let t = MARKER.replace(t.trim(), "");
    sentences(t.trim())
}

/// The sentences of `t` (at `。`, `；` and `！`), each without its stop, empty ones dropped.
fn sentences(t: &str) -> Vec<String> {
    t.split(['。', '；', '！'])
        .map(|s| {
            s.trim()
                .trim_end_matches(['，', '、', '：', ':'])
                .to_string()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// The numbers of `text`: registry contacts (by number) to report to, short and other valid
/// numbers to print large, and the rest to name for a person to check.
fn numbers(
    text: &str,
    registry: &Registry,
    short: &[String],
    valid: &dyn Fn(&str) -> bool,
    draft: &mut CardDraft,
) {
    let by_key: std::collections::HashMap<String, &str> = registry
        .contacts
        .iter()
        .flat_map(|e| {
            e.item
                .phones
                .iter()
                .filter_map(|p| phones::key(&p.number))
                .map(|k| (k, e.item.id.as_str()))
        })
        .collect();
    let push = |v: &mut Vec<String>, s: &str| {
        if !v.iter().any(|x| x == s) {
            v.push(s.to_string());
        }
    };
    for m in DIGITS.find_iter(text) {
        let n = m.as_str();
        if let Some(id) = phones::key(n).and_then(|k| by_key.get(&k)) {
            push(&mut draft.report_to, id);
        } else if short.iter().any(|s| s == n) || (n.len() >= 7 && valid(n)) {
            push(&mut draft.emergency_numbers, n);
        } else if n.len() >= 5 {
            push(&mut draft.unlisted, n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_lose_their_numbering_and_split_into_sentences() {
        assert_eq!(split_item("1.立即关闭阀门。"), ["立即关闭阀门"]);
        assert_eq!(
            split_item("（二）检查呼吸。必要时心肺复苏"),
            ["检查呼吸", "必要时心肺复苏"]
        );
        assert_eq!(split_item("3.2 立即通知维保单位"), ["立即通知维保单位"]);
        assert_eq!(
            split_item("**（1）** 油锅起火时盖锅盖"),
            ["油锅起火时盖锅盖"]
        );
        // a number that is part of the text stays
        assert_eq!(split_item("30分钟内到达"), ["30分钟内到达"]);
        assert_eq!(clean_title("（二）现场应急处置措施："), "现场应急处置措施");
        assert_eq!(
            split_item("报告[应急值班室](contact:hd-duty)"),
            ["报告应急值班室"]
        );
    }
}
