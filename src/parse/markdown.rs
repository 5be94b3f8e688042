//! Reads the Markdown body: headings (with whether their section has text), links, the short
//! lines and leading labels that may be headings a Word export flattened ([`RawLine`]), and
//! nothing else. Positions are byte offsets into the whole file, turned into lines by the caller.
//! The scan only says what the text looks like; whether a line names a section is the model's
//! call (`model::sections`), which knows the profiles.

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

/// How a [`RawLine`] is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineForm {
    /// A short paragraph of one line: `现场应急处置程序`, `3 应急处置`.
    Plain,
    /// A short paragraph of one line, all of it bold: `**1　总则**`.
    Bold,
    /// A title and a colon at the start of a paragraph: `应急处置：立即……`.
    Label,
}

/// A top-level paragraph that may be a heading a Word export flattened: one line of at most
/// [`PLAIN_MAX`] characters not ending in sentence punctuation, or a label of at most
/// [`LABEL_MAX`] characters before a colon at the very start of a paragraph. Most are ordinary
/// text; the model keeps only those that name a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawLine {
    pub(crate) form: LineForm,
    /// The line (bold markers and surrounding space removed), or the label without its colon.
    pub(crate) title: String,
    /// The first line of the paragraph.
    pub(crate) range: std::ops::Range<usize>,
    /// A label with text after its colon in the same paragraph.
    pub(crate) rest: bool,
    /// Text between the previous heading or line and this one.
    pub(crate) content_before: bool,
    /// Text after this line, before the next heading or line.
    pub(crate) content_after: bool,
    /// How many headings come before it.
    pub(crate) headings_before: usize,
}

/// The longest plain line (characters, spaces not counted) that may be a heading. Titles in
/// GB/T 29639-2020 and published plans run to 13 characters (`适用范围及与综合预案的关系`),
/// numbering adds up to 5 (`第十二章`, `3.2.1`): 30 leaves room and keeps sentences out.
pub(crate) const PLAIN_MAX: usize = 30;
/// The longest label before a colon that may be a section title (`事故应急处置程序：`).
pub(crate) const LABEL_MAX: usize = 20;

/// What the body holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RawBody {
    pub(crate) headings: Vec<RawHeading>,
    pub(crate) links: Vec<RawLink>,
    /// Short lines and leading labels, in order (see [`RawLine`]).
    pub(crate) lines: Vec<RawLine>,
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
    let mut lines = Lines::default();
    // No extensions: tables, task lists and strikethrough read as plain text, which is all the
    // checks need (headings, links, "has text"), and the plain parser is faster.
    for (ev, range) in Parser::new_ext(body, Options::empty()).into_offset_iter() {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                lines.heading();
                in_heading = Some((level as u8, range.start, String::new()));
            }
            Event::Start(Tag::BlockQuote(_) | Tag::List(_)) => lines.nest += 1,
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_)) => {
                lines.nest = lines.nest.saturating_sub(1)
            }
            Event::Start(Tag::Paragraph) => lines.open(range.start),
            Event::End(TagEnd::Paragraph) => lines.close(body, base, range.end, out.headings.len()),
            Event::Start(Tag::Strong) => lines.strong += 1,
            Event::End(TagEnd::Strong) => lines.strong = lines.strong.saturating_sub(1),

            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, start, title)) = in_heading.take() {
                    // The range ends after the line break: keep the caret on the heading line.
                    let end = start + body[start..range.end].trim_end().len();
                    // most titles have no space around them: kept as they are, not copied
                    let title = match title.trim() {
                        t if t.len() == title.len() => title,
                        t => t.to_string(),
                    };
                    out.headings.push(RawHeading {
                        level,
                        title,
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
                    lines.text(&t);
                    mark_content(&mut out, &mut lines);
                }
            }
            Event::End(TagEnd::HtmlBlock) => comments.close(),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, title)) = in_heading.as_mut() {
                    title.push_str(&t);
                } else if !t.trim().is_empty() {
                    lines.text(&t);
                    mark_content(&mut out, &mut lines);
                }
            }
            Event::Rule | Event::TaskListMarker(_) | Event::Start(Tag::Image { .. })
                if in_heading.is_none() =>
            {
                lines.spoil();
                mark_content(&mut out, &mut lines)
            }
            _ => {}
        }
    }
    lines.heading();
    out.lines = lines.found;
    out
}

fn mark_content(out: &mut RawBody, lines: &mut Lines) {
    lines.pending = true;
    match out.headings.last_mut() {
        Some(h) => h.has_content = true,
        None => out.preamble = true,
    }
}

/// The open paragraph, while it may still be a [`RawLine`].
#[derive(Debug)]
struct Para {
    start: usize,
    /// Some text was outside bold.
    plain: bool,
    /// Text came before it (since the last heading or line).
    before: bool,
}

/// The lines found so far and the state that decides the next one. Nothing is copied while a
/// paragraph is read: only its source is looked at when it ends, so ordinary text costs a flag.
#[derive(Debug, Default)]
struct Lines {
    found: Vec<RawLine>,
    para: Option<Para>,
    /// Inside a list or block quote: not a heading however it looks.
    nest: u32,
    strong: u32,
    /// Text since the last heading or line.
    pending: bool,
    /// The last line found, while no heading came after it.
    current: Option<usize>,
}

impl Lines {
    fn open(&mut self, start: usize) {
        self.para = (self.nest == 0).then_some(Para {
            start,
            plain: false,
            before: self.pending,
        });
    }
    /// Text of the paragraph: whether any of it is outside bold.
    fn text(&mut self, t: &str) {
        if self.strong == 0 && !t.trim().is_empty() {
            if let Some(p) = self.para.as_mut() {
                p.plain = true;
            }
        }
    }
    /// Something that is not text (an image, a rule) makes the paragraph no line.
    fn spoil(&mut self) {
        self.para = None;
    }
    fn heading(&mut self) {
        if let Some(c) = self.current.take() {
            self.found[c].content_after = self.pending;
        }
        self.pending = false;
        self.para = None;
    }
    fn close(&mut self, body: &str, base: usize, end: usize, headings_before: usize) {
        let Some(p) = self.para.take() else { return };
        let Some(src) = body.get(p.start..end) else {
            return;
        };
        let Some((form, title, rest, len)) = classify(src.trim_end(), p.plain) else {
            return;
        };
        if let Some(c) = self.current {
            self.found[c].content_after = p.before;
        }
        self.current = Some(self.found.len());
        self.found.push(RawLine {
            form,
            title,
            range: base + p.start..base + p.start + len,
            rest,
            content_before: p.before,
            content_after: false,
            headings_before,
        });
        self.pending = false;
    }
}

/// Sentence punctuation: a line ending in one is a sentence, not a title.
const SENTENCE_END: &[char] = &['。', '；', ';', '！', '!', '？', '?', '，', ',', '、', '…'];

/// Whether a paragraph (its source, `plain`: some text outside bold) is a line: how, its
/// title, whether a label has text after it, and the length of the part to point at.
fn classify(src: &str, plain: bool) -> Option<(LineForm, String, bool, usize)> {
    let first_len = src.find('\n').unwrap_or(src.len());
    let first = src[..first_len].trim_end();
    // Most paragraphs are sentences: past PLAIN_MAX characters (not counting spaces and `*`)
    // with no colon yet, neither a label (at most LABEL_MAX before its colon) nor a plain line
    // (at most PLAIN_MAX) can come of them, so the rest of a long paragraph is not read.
    let mut counted = 0;
    for c in first.chars() {
        if c == '：' || c == ':' {
            break;
        }
        if !c.is_whitespace() && c != '*' {
            counted += 1;
            if counted > PLAIN_MAX.max(LABEL_MAX) {
                return None;
            }
        }
    }
    // Links, code, HTML and images are not in titles.
    if first.contains(['[', '`', '<', '!']) && !first.contains('：') {
        return None;
    }
    let bare = |t: &str| t.trim().trim_matches('*').trim().to_string();
    // A label: a short title and a colon at the very start of the paragraph.
    if let Some(i) = first.find(['：', ':']) {
        let label = bare(&first[..i]);
        let n = label.chars().filter(|c| !c.is_whitespace()).count();
        let url = first[i..].starts_with("://");
        if n > 0 && n <= LABEL_MAX && !url && !label.contains(SENTENCE_END) {
            let colon = first[i..].chars().next().map_or(1, char::len_utf8);
            let rest = !src[i + colon..].trim().trim_matches('*').trim().is_empty();
            return Some((LineForm::Label, label, rest, i + colon));
        }
        return None;
    }
    if first_len < src.len() {
        return None;
    }
    let title = bare(first);
    let n = title.chars().filter(|c| !c.is_whitespace()).count();
    if n == 0 || n > PLAIN_MAX || title.ends_with(SENTENCE_END) || title.contains("……") {
        return None;
    }
    // All bold when no text was outside bold (`**1　总则**`).
    let form = if plain {
        LineForm::Plain
    } else {
        LineForm::Bold
    };
    Some((form, title, false, first.len()))
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
    fn short_lines_bold_lines_and_labels_are_found() {
        let b = "# 标题\n\n现场应急处置程序\n\n**1　总则**\n\n应急处置：立即报警。\n\n注意事项：\n\n这是一个以句号结尾的短句。\n\n- 列表里的行\n\n> 引用里的行\n\n目录……12\n\n发生火灾时，应急处置：不是标签\n\n这一段很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长的文字没有标点\n\n第二行\n接着写\n";
        let r = scan(b, 0);
        let got: Vec<(LineForm, &str, bool)> = r
            .lines
            .iter()
            .map(|l| (l.form, l.title.as_str(), l.rest))
            .collect();
        assert_eq!(
            got,
            [
                (LineForm::Plain, "现场应急处置程序", false),
                (LineForm::Bold, "1　总则", false),
                (LineForm::Label, "应急处置", true),
                (LineForm::Label, "注意事项", false),
            ]
        );
        // a label's caret ends at its colon
        assert_eq!(&b[r.lines[2].range.clone()], "应急处置：");
        // text between lines is told apart
        assert!(!r.lines[0].content_before && !r.lines[0].content_after);
        assert!(!r.lines[2].content_after);
        assert!(r.lines[3].content_after, "the sentence after it");
        assert!(r.lines.iter().all(|l| l.headings_before == 1));
    }

    /// The early exit for long paragraphs gives what the full reading gives: lines just under
    /// and over each limit, with spaces, bold and colons where they change the count.
    #[test]
    fn long_paragraphs_end_early_with_the_same_answer() {
        let cases = [
            ("甲".repeat(PLAIN_MAX), true),
            ("甲".repeat(PLAIN_MAX + 1), false),
            (format!("**{}**", "甲".repeat(PLAIN_MAX)), true),
            (format!("{}　{}", "甲".repeat(15), "乙".repeat(15)), true),
            (
                format!("{}：{}", "甲".repeat(LABEL_MAX), "乙".repeat(80)),
                true,
            ),
            (
                format!("{}：{}", "甲".repeat(LABEL_MAX + 1), "乙".repeat(80)),
                false,
            ),
            (
                format!("{}:{}", "甲".repeat(LABEL_MAX + 15), "乙".repeat(80)),
                false,
            ),
            (format!("{}*{}", "甲".repeat(PLAIN_MAX - 1), "乙"), false),
        ];
        for (line, found) in cases {
            let r = scan(&format!("{line}\n"), 0);
            assert_eq!(r.lines.len(), usize::from(found), "{line}");
        }
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
