//! Which lines of a body the outputs print as headings (model stage; `yuan export` makes them
//! Word headings, `yuan handbook` puts them in its contents and bookmarks): the structure reading
//! of `yuan check` (`model::sections::analyse`: the short lines, bold lines and leading labels
//! that a Word-style plan writes instead of headings, taken when they name a section of the
//! plan's profile, each with its inferred level), and the lines numbered in the same style as
//! those (`1.2　响应分级` beside a taken `1　总则`), so that a Word-style plan's sub-sections
//! are headings in the navigation pane too.
//!
//! A line numbered in a style no heading or taken line uses stays a paragraph: `2024年6月`
//! starts with a number but is not `1　总则`'s kind of line, and a plan without any taken
//! line gets no heading from its text.

use super::heading::{self, Numbering};
use super::sections::{self, Compiled, Src};
use super::{Document, LineForm};
use std::collections::HashMap;

/// A line printed as a heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line {
    pub(crate) level: u8,
    /// A leading label (`应急处置：立即……`): only its title is the heading.
    pub(crate) label: bool,
}

/// The lines of `doc` printed as headings, by the byte offset in its file where their
/// paragraph starts; `specs` is the document's section profile.
pub(crate) fn heading_lines(doc: &Document, specs: &[Compiled]) -> HashMap<usize, Line> {
    let mut out = HashMap::new();
    if doc.lines.is_empty() {
        return out;
    }
    let analysis = sections::analyse(doc, specs);
    let mut style: HashMap<Numbering, u8> = HashMap::new();
    for h in doc.headings.iter() {
        if let Some(n) = heading::numbering(&h.title) {
            style.entry(n).or_insert(h.level);
        }
    }
    let mut taken = vec![false; doc.lines.len()];
    for f in analysis.found.iter().flatten() {
        if let Src::Line(j) = f.src {
            let Some(l) = doc.lines.get(j) else { continue };
            taken[j] = true;
            out.insert(
                l.span.start as usize,
                Line {
                    level: f.level,
                    label: l.form == LineForm::Label,
                },
            );
            if let Some(n) = heading::numbering(&l.title) {
                style.entry(n).or_insert(f.level);
            }
        }
    }
    if out.is_empty() {
        return out;
    }
    let arabic = style.iter().find_map(|(n, l)| match n {
        Numbering::Arabic(d) => Some((*d, *l)),
        _ => None,
    });
    for (j, l) in doc.lines.iter().enumerate() {
        if taken[j] || l.form == LineForm::Label || !numbered_title(&l.title) {
            continue;
        }
        let Some(n) = heading::numbering(&l.title) else {
            continue;
        };
        let level = style.get(&n).copied().or_else(|| match (n, arabic) {
            (Numbering::Arabic(d), Some((d0, l0))) => {
                Some((i16::from(l0) + i16::from(d) - i16::from(d0)).clamp(1, 9) as u8)
            }
            _ => None,
        });
        if let Some(level) = level {
            out.insert(
                l.span.start as usize,
                Line {
                    level,
                    label: false,
                },
            );
        }
    }
    out
}

/// Whether a line's number is followed by a title, as a heading's is (`1.2　响应分级`,
/// `（一）预警`, `一、总则`), and not by a unit, as a date's or a quantity's is (`2024年6月`,
/// `3人以上`).
fn numbered_title(title: &str) -> bool {
    let t = title.trim_start_matches(|c: char| c.is_whitespace() || c == '*');
    let digits = t
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || matches!(c, '.' | '．')))
        .map_or(t.len(), |(i, _)| i);
    if digits == 0 {
        // 一、 （一） 第一章 ①: the style itself says it is a number
        return true;
    }
    let rest = &t[digits..];
    match rest.chars().next() {
        None => false,
        Some(c) if c.is_whitespace() || matches!(c, '、' | '　') => true,
        Some(c) => {
            let number = &t[..digits];
            // `1.2适用范围`: a dotted number is a clause; `1适用范围` only when no unit follows
            number.contains(['.', '．']) && !number.ends_with(['.', '．'])
                || number.ends_with(['.', '．'])
                || !"年月日号时分秒个人名次万亿元吨米岁户家台辆条项起级%％".contains(c)
                    && !c.is_ascii_alphanumeric()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_follows_a_heading_number_and_a_unit_follows_a_quantity() {
        for t in [
            "1.2　响应分级",
            "1.2响应分级",
            "1 总则",
            "1、总则",
            "一、总则",
            "（一）预警",
            "3.应急处置",
            "1适用范围",
        ] {
            assert!(numbered_title(t), "{t}");
        }
        for t in ["2024年6月", "3人以上", "10分钟", "2024", "120"] {
            assert!(!numbered_title(t), "{t}");
        }
    }
}
