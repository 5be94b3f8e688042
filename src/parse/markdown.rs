//! Reads the Markdown body: headings (with whether their section has text), links, and nothing
//! else. Positions are byte offsets into the whole file, turned into lines by the caller.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// A heading of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawHeading {
    pub(crate) level: u8,
    pub(crate) title: String,
    pub(crate) range: std::ops::Range<usize>,
    /// Whether any text (paragraph, list, table, code) follows it before the next heading.
    pub(crate) has_content: bool,
}

/// A link of the body, e.g. `[总指挥](role:commander)` or `[预案](../x.md#总则)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawLink {
    pub(crate) dest: String,
    pub(crate) range: std::ops::Range<usize>,
}

/// What the body holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RawBody {
    pub(crate) headings: Vec<RawHeading>,
    pub(crate) links: Vec<RawLink>,
    /// Whether text appears before the first heading.
    pub(crate) preamble: bool,
}

/// HTML comments (`<!-- … -->`) are the writer's notes, not text of the plan: Word exports and
/// editors leave them, and a section that holds only a comment is empty (S503), a heading's
/// title leaves them out, and generators do not print them. A comment may run over several
/// events of an HTML block, so the stripper keeps whether one is open. Only HTML events go
/// through it: `<!--` in text or a code span is what it says.
#[derive(Debug, Default)]
pub(crate) struct Comments {
    open: bool,
}

impl Comments {
    /// `t` (an HTML event) without the comments in it.
    pub(crate) fn strip<'a>(&mut self, t: &'a str) -> std::borrow::Cow<'a, str> {
        if !self.open && !t.contains("<!--") {
            return std::borrow::Cow::Borrowed(t);
        }
        let mut out = String::new();
        let mut rest = t;
        loop {
            if self.open {
                match rest.find("-->") {
                    Some(i) => {
                        rest = &rest[i + 3..];
                        self.open = false;
                    }
                    None => return std::borrow::Cow::Owned(out),
                }
            } else {
                match rest.find("<!--") {
                    Some(i) => {
                        out.push_str(&rest[..i]);
                        rest = &rest[i + 4..];
                        self.open = true;
                    }
                    None => {
                        out.push_str(rest);
                        return std::borrow::Cow::Owned(out);
                    }
                }
            }
        }
    }

    /// An HTML block ended: whatever it left open ends with it.
    pub(crate) fn close(&mut self) {
        self.open = false;
    }
}

/// Scans `body`, which starts at byte `base` of the file.
pub(crate) fn scan(body: &str, base: usize) -> RawBody {
    let mut out = RawBody::default();
    let mut in_heading: Option<(u8, usize, String)> = None;
    let mut comments = Comments::default();
    // No extensions: tables, task lists and strikethrough read as plain text, which is all the
    // checks need (headings, links, "has text"), and the plain parser is faster.
    for (ev, range) in Parser::new_ext(body, Options::empty()).into_offset_iter() {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                in_heading = Some((level as u8, range.start, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, start, title)) = in_heading.take() {
                    // The range ends after the line break: keep the caret on the heading line.
                    let end = start + body[start..range.end].trim_end().len();
                    out.headings.push(RawHeading {
                        level,
                        title: title.trim().to_string(),
                        range: base + start..base + end,
                        has_content: false,
                    });
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => out.links.push(RawLink {
                dest: dest_url.into_string(),
                range: base + range.start..base + range.end,
            }),
            Event::InlineHtml(t) | Event::Html(t) => {
                let t = comments.strip(&t);
                if let Some((_, _, title)) = in_heading.as_mut() {
                    title.push_str(&t);
                } else if !t.trim().is_empty() {
                    mark_content(&mut out);
                }
            }
            Event::End(TagEnd::HtmlBlock) => comments.close(),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, title)) = in_heading.as_mut() {
                    title.push_str(&t);
                } else if !t.trim().is_empty() {
                    mark_content(&mut out);
                }
            }
            Event::Rule | Event::TaskListMarker(_) | Event::Start(Tag::Image { .. })
                if in_heading.is_none() =>
            {
                mark_content(&mut out)
            }
            _ => {}
        }
    }
    out
}

fn mark_content(out: &mut RawBody) {
    match out.headings.last_mut() {
        Some(h) => h.has_content = true,
        None => out.preamble = true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The writer's notes are not text: a section holding only a comment is empty, a title
    /// leaves its comment out, and `<!--` in a code span is text.
    #[test]
    fn html_comments_are_not_text() {
        let body = "# 1 总则 <!-- 旧稿标题 -->\n\n<!-- 待补充：\n编制依据 -->\n\n# 2 组织\n\n文字<!-- 注 -->\n\n# 3 附则\n\n`<!-- 示例 -->`\n";
        let b = scan(body, 0);
        let got: Vec<(&str, bool)> = b
            .headings
            .iter()
            .map(|h| (h.title.as_str(), h.has_content))
            .collect();
        assert_eq!(got, [("1 总则", false), ("2 组织", true), ("3 附则", true)]);
        let mut c = Comments::default();
        assert_eq!(c.strip("甲<!-- 乙 -->丙<!-- 丁"), "甲丙");
        assert_eq!(c.strip("仍在注释中"), "");
        assert_eq!(c.strip("结束 --> 戊"), " 戊");
    }

    #[test]
    fn headings_links_and_content() {
        let b = "# 1 **总则**\n\n## 1.1 适用范围\n\n本预案适用于[总指挥](role:c)。\n\n## 1.2 响应分级\n\n# 2 组织\n";
        let r = scan(b, 10);
        let titles: Vec<_> = r.headings.iter().map(|h| h.title.as_str()).collect();
        assert_eq!(titles, ["1 总则", "1.1 适用范围", "1.2 响应分级", "2 组织"]);
        assert_eq!(
            r.headings.iter().map(|h| h.has_content).collect::<Vec<_>>(),
            [false, true, false, false]
        );
        assert_eq!(r.links[0].dest, "role:c");
        assert_eq!(
            &b[r.links[0].range.start - 10..r.links[0].range.end - 10],
            "[总指挥](role:c)"
        );
    }
}
