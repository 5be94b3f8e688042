//! The outline of a document body: its sections and their one identity.
//!
//! A section is a heading and the text after it, up to the next heading of any level. It is
//! identified by the normalised titles of its heading and of every heading above it (numbering
//! stripped, see [`super::heading`]), so renumbering a chapter changes no identity, and by which
//! repeat of that path it is (a second `处置措施` under the same chapter is another section).
//! The change review (`yuan diff`), alignment (A304, `yuan align`) and the drills read sections
//! through this one definition, so they cannot come to disagree about what a section is.

use super::heading;
use crate::parse::markdown;
use std::collections::HashMap;
use std::ops::Range;

/// One section of a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Section {
    pub(crate) level: u8,
    /// Normalised titles from the top heading down to this one.
    pub(crate) path: Vec<String>,
    /// The titles as written, same length as `path`.
    pub(crate) titles: Vec<String>,
    /// 1 for the first section with this path, 2 for the next one, …
    pub(crate) occurrence: usize,
    /// Byte range of the section's own text in the body (after its heading, up to the next
    /// heading of any level).
    pub(crate) text: Range<usize>,
}

impl Section {
    /// The heading as written.
    pub(crate) fn title(&self) -> &str {
        self.titles.last().map_or("", String::as_str)
    }

    /// The identity as one string: the path joined by `separator`, then `{repeat}{n}` from the
    /// second occurrence on.
    pub(crate) fn key(&self, separator: &str, repeat: &str) -> String {
        let base = self.path.join(separator);
        if self.occurrence > 1 {
            format!("{base}{repeat}{}", self.occurrence)
        } else {
            base
        }
    }
}

/// A body cut into sections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Outline {
    /// Byte range of the text before the first heading (the whole body if it has none).
    pub(crate) preamble: Range<usize>,
    pub(crate) sections: Vec<Section>,
}

/// Builds section identities from headings in document order.
#[derive(Default)]
pub(crate) struct Paths {
    /// Ancestors of the next heading: (level, normalised title, title as written).
    stack: Vec<(u8, String, String)>,
    seen: HashMap<Vec<String>, usize>,
}

impl Paths {
    /// The path, titles and occurrence of the next heading.
    pub(crate) fn next(
        &mut self,
        level: u8,
        norm: String,
        title: String,
    ) -> (Vec<String>, Vec<String>, usize) {
        while self.stack.last().is_some_and(|(l, _, _)| *l >= level) {
            self.stack.pop();
        }
        self.stack.push((level, norm, title));
        let path: Vec<String> = self.stack.iter().map(|(_, n, _)| n.clone()).collect();
        let titles = self.stack.iter().map(|(_, _, t)| t.clone()).collect();
        let n = self.seen.entry(path.clone()).or_insert(0);
        *n += 1;
        (path, titles, *n)
    }
}

/// The outline of a Markdown body.
pub(crate) fn of_body(body: &str) -> Outline {
    let raw = markdown::scan(body, 0);
    let first = raw.headings.first().map_or(body.len(), |h| h.range.start);
    let mut paths = Paths::default();
    let sections = raw
        .headings
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let end = raw
                .headings
                .get(i + 1)
                .map_or(body.len(), |next| next.range.start);
            let (path, titles, occurrence) =
                paths.next(h.level, heading::normalize(&h.title), h.title.clone());
            Section {
                level: h.level,
                path,
                titles,
                occurrence,
                text: h.range.end.min(end)..end,
            }
        })
        .collect();
    Outline {
        preamble: 0..first,
        sections,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_identified_by_their_normalised_path_and_repeat() {
        let body = "前言\n\n# 第一章 总则\n\n目的。\n\n## 1.1 适用范围\n\n全县。\n\n# 二、应急响应\n\n## 处置\n\na\n\n## 处置\n\nb\n";
        let o = of_body(body);
        assert_eq!(body[o.preamble.clone()].trim(), "前言");
        let keys: Vec<String> = o.sections.iter().map(|s| s.key(" / ", " #")).collect();
        assert_eq!(
            keys,
            [
                "总则",
                "总则 / 适用范围",
                "应急响应",
                "应急响应 / 处置",
                "应急响应 / 处置 #2"
            ]
        );
        assert_eq!(o.sections[1].title(), "1.1 适用范围");
        assert_eq!(body[o.sections[1].text.clone()].trim(), "全县。");
        assert_eq!(body[o.sections[4].text.clone()].trim(), "b");
    }
}
