//! A plan's Markdown body as Word blocks (stage 8, under `yuan export`): pulldown-cmark's
//! events, read as `render::markdown` reads them (tables, lists, bold, links; raw HTML as
//! text; the writer's `<!-- … -->` notes left out), into [`Block`]s, one Word paragraph
//! per Markdown paragraph or list item.
//!
//! Headings are the structure reading's ([`crate::model::heading_lines::heading_lines`]): the Markdown headings,
//! and the short or bold lines and leading labels that a Word-style plan writes instead
//! (`**1　总则**`, `1.1　适用范围`), so the navigation pane and the table of contents show them
//! too. Levels start at 1 for the shallowest heading of the body; a first heading that repeats
//! the plan's title is left out (the title is printed from the front matter).
//!
//! The caps of `render::markdown` apply ([`MAX_BLOCKS`] blocks, [`MAX_ROWS`] rows,
//! [`MAX_ITEMS`] items): what is over them is left out and said, in the document and in the
//! run's notes.

use super::docx::{Block, List, Run};
use crate::model::heading_lines::Line;
use crate::render::markdown::{Refused, MAX_BLOCKS, MAX_ITEMS, MAX_ROWS};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::collections::HashMap;

/// A body read into blocks.
#[derive(Debug, Default)]
pub(crate) struct Body {
    pub(crate) blocks: Vec<Block>,
    /// The lists the blocks' items belong to (indices from `first_list`).
    pub(crate) lists: Vec<List>,
    pub(crate) refused: Refused,
}

/// Reads `md` (which starts at byte `base` of its file) into blocks. `lines` are the lines
/// the structure reading takes for headings, by their byte offset in the file; `title` is the
/// plan's title; `first_list` is the number of lists of the document before this body; heading
/// levels are shifted so that the body's shallowest is `top`.
pub(crate) fn read(
    md: &str,
    base: usize,
    lines: &HashMap<usize, Line>,
    title: &str,
    first_list: usize,
    top: u8,
) -> Body {
    let mut r = Reader {
        base,
        lines,
        first_list,
        out: Vec::new(),
        lists: Vec::new(),
        refused: Refused::default(),
        runs: Vec::new(),
        bold: 0,
        links: Vec::new(),
        open: Vec::new(),
        heading: None,
        line: None,
        table: None,
        row: Vec::new(),
        comments: Default::default(),
    };
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for (ev, range) in Parser::new_ext(md, opts).into_offset_iter() {
        r.event(ev, range.start);
    }
    r.flush();
    r.finish(title, top)
}

/// A table row: its cells' runs.
type Row = Vec<Vec<Run>>;

/// A heading before levels are shifted: (its level as written or inferred, its text).
#[derive(Debug)]
enum Raw {
    Heading(u8, String),
    Block(Block),
}

/// The state of the reading.
struct Reader<'a> {
    base: usize,
    lines: &'a HashMap<usize, Line>,
    first_list: usize,
    out: Vec<Raw>,
    lists: Vec<List>,
    refused: Refused,
    runs: Vec<Run>,
    bold: usize,
    /// The external addresses of the links open (`None`: a link printed as text).
    links: Vec<Option<String>>,
    /// The lists open: (index into `lists`, items so far, a paragraph of the current item
    /// was written).
    open: Vec<(usize, usize, bool)>,
    heading: Option<u8>,
    /// The paragraph open is a line the structure reading takes for a heading.
    line: Option<Line>,
    /// The table open: its header and rows.
    table: Option<(Row, Vec<Row>)>,
    row: Row,
    comments: crate::parse::markdown::Comments,
}

impl Reader<'_> {
    fn push(&mut self, b: Raw) {
        if self.out.len() >= MAX_BLOCKS {
            self.refused.blocks += 1;
        } else {
            self.out.push(b);
        }
    }

    /// The text read since the last block, as a paragraph or a list item.
    fn flush(&mut self) {
        if self.runs.iter().all(|r| r.text.trim().is_empty()) {
            self.runs.clear();
            return;
        }
        let runs = std::mem::take(&mut self.runs);
        if let Some(line) = self.line.take() {
            return self.heading_line(line, runs);
        }
        let block = match self.open.last_mut() {
            Some((list, items, written)) => {
                let depth = self.lists[*list].depth;
                let list = (!*written).then_some(self.first_list + *list);
                *written = true;
                if list.is_some() && *items > MAX_ITEMS {
                    self.refused.items += 1;
                    return;
                }
                Block::Item { list, depth, runs }
            }
            None => Block::Para(runs),
        };
        self.push(Raw::Block(block));
    }

    /// A line taken for a heading: the line, or a label's title with the text after its colon
    /// as the paragraph that follows.
    fn heading_line(&mut self, line: Line, runs: Vec<Run>) {
        let all: String = runs.iter().map(|r| r.text.as_str()).collect();
        if !line.label {
            let title = all.trim().trim_matches('*').trim().to_string();
            return self.push(Raw::Heading(line.level, title));
        }
        let Some((at, colon)) = all.char_indices().find(|(_, c)| matches!(c, '：' | ':')) else {
            return self.push(Raw::Heading(line.level, all.trim().to_string()));
        };
        let title = all[..at].trim().trim_matches('*').trim().to_string();
        self.push(Raw::Heading(line.level, title));
        let rest = cut_runs(runs, at + colon.len_utf8());
        if !rest.iter().all(|r| r.text.trim().is_empty()) {
            self.push(Raw::Block(Block::Para(rest)));
        }
    }

    fn text(&mut self, t: &str) {
        if self.heading.is_some() {
            self.runs.push(Run::plain(t));
            return;
        }
        self.runs.push(Run {
            text: t.to_string(),
            bold: self.bold > 0,
            link: self.links.last().cloned().flatten(),
        });
    }

    fn event(&mut self, ev: Event, start: usize) {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                self.flush();
                self.heading = Some(level as u8);
            }
            Event::End(TagEnd::Heading(_)) => {
                let text: String = self.runs.drain(..).map(|r| r.text).collect();
                let level = self.heading.take().unwrap_or(1);
                self.push(Raw::Heading(level, text.trim().to_string()));
            }
            Event::Start(Tag::Paragraph) => {
                self.flush();
                if self.open.is_empty() && self.table.is_none() {
                    self.line = self.lines.get(&(self.base + start)).copied();
                }
            }
            Event::End(TagEnd::Paragraph) if self.table.is_none() => self.flush(),
            Event::End(TagEnd::BlockQuote(_)) | Event::Start(Tag::CodeBlock(_)) => self.flush(),
            Event::End(TagEnd::CodeBlock) => self.flush(),
            Event::Start(Tag::List(first)) => {
                self.flush();
                let depth = self.open.len().min(8) as u8;
                self.lists.push(List {
                    ordered: first.is_some(),
                    start: first.map_or(1, |n| u32::try_from(n).unwrap_or(1)),
                    depth,
                });
                self.open.push((self.lists.len() - 1, 0, false));
            }
            Event::End(TagEnd::List(_)) => {
                self.flush();
                self.open.pop();
                // the text after a nested list continues the item it is in
                if let Some(parent) = self.open.last_mut() {
                    parent.2 = true;
                }
            }
            Event::Start(Tag::Item) => {
                self.flush();
                if let Some((_, items, written)) = self.open.last_mut() {
                    *items += 1;
                    *written = false;
                }
            }
            Event::End(TagEnd::Item) => self.flush(),
            Event::Start(Tag::Table(_)) => {
                self.flush();
                self.table = Some((Vec::new(), Vec::new()));
            }
            Event::End(TagEnd::Table) => {
                if let Some((header, rows)) = self.table.take() {
                    self.push(Raw::Block(Block::Table { header, rows }));
                }
            }
            Event::Start(Tag::TableHead) => self.row.clear(),
            Event::End(TagEnd::TableHead) => {
                if let Some((h, _)) = self.table.as_mut() {
                    *h = std::mem::take(&mut self.row);
                }
            }
            Event::Start(Tag::TableRow) => self.row.clear(),
            Event::End(TagEnd::TableRow) => {
                let row = std::mem::take(&mut self.row);
                if let Some((_, rows)) = self.table.as_mut() {
                    if rows.len() >= MAX_ROWS {
                        self.refused.rows += 1;
                    } else {
                        rows.push(row);
                    }
                }
            }
            Event::Start(Tag::TableCell) => self.runs.clear(),
            Event::End(TagEnd::TableCell) => {
                let cell = std::mem::take(&mut self.runs);
                self.row.push(cell);
            }
            Event::Start(Tag::Strong) => self.bold += 1,
            Event::End(TagEnd::Strong) => self.bold = self.bold.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => {
                let url = dest_url.trim();
                self.links
                    .push(super::docx::external(url).then(|| url.to_string()));
            }
            Event::End(TagEnd::Link) => {
                self.links.pop();
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                self.text(&format!("[图 {dest_url}] "));
            }
            Event::Html(t) | Event::InlineHtml(t) => {
                let t = self.comments.strip(&t).into_owned();
                if !t.is_empty() {
                    // a block of raw HTML is text of its own paragraph
                    self.text(t.trim_end_matches('\n'));
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                self.comments.close();
                self.flush();
            }
            Event::Text(t) | Event::Code(t) => self.text(&t),
            // a line break inside a paragraph: nothing between Chinese lines, a space after a
            // Latin word
            Event::SoftBreak => {
                let latin = self
                    .runs
                    .last()
                    .and_then(|r| r.text.chars().last())
                    .is_some_and(|c| {
                        c.is_ascii_alphanumeric() || matches!(c, ',' | '.' | ';' | ':')
                    });
                if latin {
                    self.text(" ");
                }
            }
            Event::HardBreak => self.text("\n"),
            Event::Rule => self.flush(),
            _ => {}
        }
    }

    /// The blocks with heading levels shifted so that the shallowest is `top`, without a first
    /// heading that repeats the title.
    fn finish(mut self, title: &str, top: u8) -> Body {
        if let Some(Raw::Heading(_, t)) = self.out.first() {
            let norm = crate::model::heading::normalize;
            if t == title || norm(t) == norm(title) {
                self.out.remove(0);
            }
        }
        let min = self
            .out
            .iter()
            .filter_map(|r| match r {
                Raw::Heading(l, _) => Some(*l),
                Raw::Block(_) => None,
            })
            .min()
            .unwrap_or(1);
        let mut blocks: Vec<Block> = self
            .out
            .into_iter()
            .map(|r| match r {
                Raw::Heading(level, text) => Block::Heading {
                    level: (i16::from(level) - i16::from(min) + i16::from(top)).clamp(1, 9) as u8,
                    text,
                },
                Raw::Block(b) => b,
            })
            .collect();
        if self.refused.any() {
            let what = self.refused.describe();
            blocks.push(Block::Para(vec![Run::plain(format!(
                "（以下内容超出上限，未导出：{}）",
                what.zh
            ))]));
        }
        Body {
            blocks,
            lists: self.lists,
            refused: self.refused,
        }
    }
}

/// The runs after byte `at` of their joined text.
fn cut_runs(runs: Vec<Run>, at: usize) -> Vec<Run> {
    let mut seen = 0;
    let mut out = Vec::new();
    for r in runs {
        let end = seen + r.text.len();
        if end <= at {
            seen = end;
            continue;
        }
        let from = at.saturating_sub(seen);
        seen = end;
        let text = r.text.get(from..).unwrap_or("").to_string();
        out.push(Run { text, ..r });
    }
    if let Some(first) = out.first_mut() {
        first.text = first.text.trim_start().to_string();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headings(b: &Body) -> Vec<(u8, &str)> {
        b.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { level, text } => Some((*level, text.as_str())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn headings_start_at_the_top_level_and_a_repeated_title_is_left_out() {
        let md = "# 某县防汛应急预案\n\n## 1 总则\n\n正文。\n\n### 1.1 目的\n\n## 2 组织\n";
        let b = read(md, 0, &HashMap::new(), "某县防汛应急预案", 0, 1);
        assert_eq!(
            headings(&b),
            [(1, "1 总则"), (2, "1.1 目的"), (1, "2 组织")]
        );
        let b = read(md, 0, &HashMap::new(), "另一个标题", 0, 2);
        assert_eq!(headings(&b)[0], (2, "某县防汛应急预案"));
        assert_eq!(headings(&b)[1], (3, "1 总则"));
    }

    #[test]
    fn lines_taken_for_headings_become_headings_and_a_label_keeps_its_text() {
        let md = "**1　总则**\n\n本预案适用于……\n\n应急处置：立即**切断**电源。\n\n普通段落。\n";
        let mut lines = HashMap::new();
        lines.insert(
            100,
            Line {
                level: 1,
                label: false,
            },
        );
        let at = md.find("应急处置").expect("label");
        lines.insert(
            100 + at,
            Line {
                level: 2,
                label: true,
            },
        );
        let b = read(md, 100, &lines, "", 0, 1);
        assert_eq!(headings(&b), [(1, "1　总则"), (2, "应急处置")]);
        let paras: Vec<String> = b
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Para(r) => Some(r.iter().map(|r| r.text.as_str()).collect()),
                _ => None,
            })
            .collect();
        assert_eq!(paras, ["本预案适用于……", "立即切断电源。", "普通段落。"]);
        assert!(b
            .blocks
            .iter()
            .any(|b| matches!(b, Block::Para(r) if r.iter().any(|r| r.bold && r.text == "切断"))));
    }

    #[test]
    fn lists_tables_links_and_notes() {
        let md = "1. 甲\n2. 乙\n   - 子项\n\n<!-- 备注 -->\n\n3) 丙\n\n| 级别 | 条件 |\n|---|---|\n| 一级 | 溃坝 |\n\n见[部网站](https://www.mem.gov.cn)和[文件](../a.md)。<b>粗</b>\n";
        let b = read(md, 0, &HashMap::new(), "", 2, 1);
        let items: Vec<(Option<usize>, u8)> = b
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Item { list, depth, .. } => Some((*list, *depth)),
                _ => None,
            })
            .collect();
        assert_eq!(
            items,
            [(Some(2), 0), (Some(2), 0), (Some(3), 1), (Some(4), 0)]
        );
        assert_eq!(b.lists.len(), 3);
        assert!(b.lists[0].ordered && !b.lists[1].ordered && b.lists[2].start == 3);
        assert!(b.blocks.iter().any(|b| matches!(b, Block::Table { header, rows } if header.len() == 2 && rows[0][1][0].text == "溃坝")));
        let last = b.blocks.last().expect("para");
        let Block::Para(runs) = last else {
            panic!("{last:?}")
        };
        let linked: Vec<_> = runs.iter().filter_map(|r| r.link.as_deref()).collect();
        assert_eq!(linked, ["https://www.mem.gov.cn"]);
        let text: String = runs.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(text, "见部网站和文件。<b>粗</b>");
        assert!(!format!("{:?}", b.blocks).contains("备注"));
    }

    #[test]
    fn lines_of_a_paragraph_join_as_the_script_wants() {
        let b = read(
            "第一行\n第二行 GB/T\n29639 标准\n",
            0,
            &HashMap::new(),
            "",
            0,
            1,
        );
        let Some(Block::Para(runs)) = b.blocks.first() else {
            panic!("{:?}", b.blocks)
        };
        let text: String = runs.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(text, "第一行第二行 GB/T 29639 标准");
    }

    #[test]
    fn bodies_are_capped_and_say_so() {
        let md = "段落\n\n".repeat(MAX_BLOCKS + 3);
        let b = read(&md, 0, &HashMap::new(), "", 0, 1);
        assert_eq!(b.refused.blocks, 3);
        assert_eq!(b.blocks.len(), MAX_BLOCKS + 1);
    }
}
