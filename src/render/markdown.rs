//! Markdown bodies as flow blocks ([`super::flow::Block`]) and those blocks as escaped HTML.
//!
//! pulldown-cmark reads the Markdown; raw HTML in a plan is kept as visible text (escaped on
//! output), never passed through. Link destinations go through a resolver supplied by the
//! generator (typed references such as `plan:ID` or `role:ID` become anchors of the book);
//! a link it does not resolve is printed as its text only.
//!
//! A body gives at most [`MAX_BLOCKS`] blocks, tables at most [`MAX_ROWS`] rows and lists at
//! most [`MAX_ITEMS`] items: a plan that checks clean can still hold a million empty headings,
//! and every block costs memory again in the layout and the PDF. What is left out is counted
//! ([`Refused`]) and said twice: a note in the text where the cut is, and a line of the
//! generator's run.

use super::flow::{Block, ListKind, Run};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The key of a heading in anchors: the slug of its title without numbering, so that
/// `plan:ID#应急响应` finds `## 4 应急响应` (the same matching as R404's).
pub(crate) fn heading_key(title: &str) -> String {
    let key = crate::model::heading::slug(&crate::model::heading::normalize(title));
    if key.is_empty() {
        "h".into()
    } else {
        key
    }
}

/// The anchor ids of the headings of `blocks`, in order: `{prefix}-{key}` ([`heading_key`]),
/// a repeated key suffixed `-2`, `-3` …, so the first heading of a title keeps the plain id.
pub(crate) fn heading_ids(blocks: &[Block], prefix: &str) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { text, .. } => {
                let key = heading_key(text);
                let n = seen.entry(key.clone()).or_insert(0);
                *n += 1;
                Some(if *n == 1 {
                    format!("{prefix}-{key}")
                } else {
                    format!("{prefix}-{key}-{n}")
                })
            }
            _ => None,
        })
        .collect()
}

/// At most this many blocks (headings, paragraphs, lists, tables) from one body. The longest
/// real plans (provincial overall plans, 150 pages) have about 2,000.
pub(crate) const MAX_BLOCKS: usize = 20_000;
/// At most this many rows in one table (a province's duty roster has a few hundred).
pub(crate) const MAX_ROWS: usize = 5_000;
/// At most this many items in one list.
pub(crate) const MAX_ITEMS: usize = 5_000;

/// What a body lost to the caps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Refused {
    pub(crate) blocks: usize,
    pub(crate) rows: usize,
    pub(crate) items: usize,
}

impl Refused {
    pub(crate) fn any(&self) -> bool {
        *self != Refused::default()
    }
    /// The cut, in words: "3 blocks over the cap of 20000 per document, …".
    pub(crate) fn describe(&self) -> crate::diag::Text {
        let mut zh = Vec::new();
        let mut en = Vec::new();
        let (b, r, i) = (self.blocks, self.rows, self.items);
        if b > 0 {
            zh.push(format!("{b} 个段落或标题（每篇上限 {MAX_BLOCKS} 个）"));
            en.push(format!("{b} blocks (the cap is {MAX_BLOCKS} per document)"));
        }
        if r > 0 {
            zh.push(format!("{r} 行表格（每表上限 {MAX_ROWS} 行）"));
            en.push(format!("{r} table rows (the cap is {MAX_ROWS} per table)"));
        }
        if i > 0 {
            zh.push(format!("{i} 个列表项（每个列表上限 {MAX_ITEMS} 项）"));
            en.push(format!("{i} list items (the cap is {MAX_ITEMS} per list)"));
        }
        crate::diag::Text::new(zh.join("、"), en.join(", "))
    }
}

/// Reads `md` into blocks; heading levels are shifted down by `shift` (at most 4). Over the
/// caps, the rest is left out and a [`Block::Note`] at the end says what.
pub(crate) fn to_blocks(
    md: &str,
    shift: u8,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> Vec<Block> {
    to_blocks_capped(md, shift, resolve).0
}

/// [`to_blocks`], also returning what was left out.
pub(crate) fn to_blocks_capped(
    md: &str,
    shift: u8,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> (Vec<Block>, Refused) {
    let mut refused = Refused::default();
    let mut out = Capped {
        blocks: Vec::new(),
        refused: 0,
    };
    let mut runs: Vec<Run> = Vec::new();
    let mut bold = 0usize;
    let mut href: Vec<Option<String>> = Vec::new();
    // open lists: (kind, items)
    let mut lists: Vec<(ListKind, Vec<Vec<Run>>)> = Vec::new();
    let mut heading: Option<u8> = None;
    let mut table: Option<(Vec<String>, Vec<Vec<String>>)> = None;
    let mut row: Vec<String> = Vec::new();
    let mut in_head = false;

    let flush_para =
        |runs: &mut Vec<Run>, lists: &mut Vec<(ListKind, Vec<Vec<Run>>)>, out: &mut Capped| {
            if runs.iter().all(|r| r.text.trim().is_empty()) {
                runs.clear();
                return;
            }
            let taken = std::mem::take(runs);
            match lists.last_mut() {
                Some((_, items)) => match items.last_mut() {
                    Some(item) => {
                        if !item.is_empty() {
                            item.push(Run::plain(" "));
                        }
                        item.extend(taken);
                    }
                    None => items.push(taken),
                },
                None => out.push(Block::Para(taken)),
            }
        };

    // the writer's notes (`<!-- … -->`) are not printed: crate::parse::markdown::Comments
    let mut comments = crate::parse::markdown::Comments::default();
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for ev in Parser::new_ext(md, opts) {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                flush_para(&mut runs, &mut lists, &mut out);
                heading = Some((level as u8).saturating_add(shift).clamp(1, 4));
            }
            Event::End(TagEnd::Heading(_)) => {
                if out.full() {
                    runs.clear();
                    heading = None;
                    out.refused += 1;
                    continue;
                }
                let text = runs.drain(..).map(|r| r.text).collect::<String>();
                out.push(Block::Heading {
                    level: heading.take().unwrap_or(4),
                    text: text.trim().to_string(),
                });
            }
            Event::Start(Tag::Paragraph) | Event::Start(Tag::BlockQuote(_)) => {}
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::BlockQuote(_))
                if table.is_none() =>
            {
                flush_para(&mut runs, &mut lists, &mut out);
            }
            Event::Start(Tag::CodeBlock(_)) => flush_para(&mut runs, &mut lists, &mut out),
            Event::End(TagEnd::CodeBlock) => flush_para(&mut runs, &mut lists, &mut out),
            Event::Start(Tag::List(first)) => {
                flush_para(&mut runs, &mut lists, &mut out);
                let kind = if first.is_some() {
                    ListKind::Numbered
                } else {
                    ListKind::Bullet
                };
                lists.push((kind, Vec::new()));
            }
            Event::End(TagEnd::List(_)) => {
                flush_para(&mut runs, &mut lists, &mut out);
                if let Some((kind, mut items)) = lists.pop() {
                    // items hold the text read (linear in the input); what multiplies in the
                    // layout is cut here
                    if items.len() > MAX_ITEMS {
                        refused.items += items.len() - MAX_ITEMS;
                        items.truncate(MAX_ITEMS);
                    }
                    match lists.last_mut().and_then(|(_, it)| it.last_mut()) {
                        // a nested list continues its parent item
                        Some(parent) => {
                            for i in items {
                                parent.push(Run::plain("；"));
                                parent.extend(i);
                            }
                        }
                        None => out.push(Block::List { kind, items }),
                    }
                }
            }
            Event::Start(Tag::Item) => {
                flush_para(&mut runs, &mut lists, &mut out);
                if let Some((_, items)) = lists.last_mut() {
                    items.push(Vec::new());
                }
            }
            Event::End(TagEnd::Item) => flush_para(&mut runs, &mut lists, &mut out),
            Event::TaskListMarker(_) => {}
            Event::Start(Tag::Table(_)) => {
                flush_para(&mut runs, &mut lists, &mut out);
                table = Some((Vec::new(), Vec::new()));
            }
            Event::End(TagEnd::Table) => {
                if let Some((header, rows)) = table.take() {
                    let n = header.len().max(1);
                    out.push(Block::Table {
                        header,
                        rows,
                        widths: vec![1.0; n],
                        marks: Vec::new(),
                    });
                }
            }
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => {
                in_head = false;
                if let Some((h, _)) = table.as_mut() {
                    *h = std::mem::take(&mut row);
                }
            }
            Event::Start(Tag::TableRow) => row.clear(),
            Event::End(TagEnd::TableRow) => {
                if let Some((_, rows)) = table.as_mut() {
                    if rows.len() >= MAX_ROWS {
                        refused.rows += 1;
                        row.clear();
                    } else {
                        rows.push(std::mem::take(&mut row));
                    }
                }
            }
            Event::Start(Tag::TableCell) => runs.clear(),
            Event::End(TagEnd::TableCell) => {
                let _ = in_head;
                row.push(runs.drain(..).map(|r| r.text).collect::<String>());
            }
            Event::Start(Tag::Strong) => bold += 1,
            Event::End(TagEnd::Strong) => bold = bold.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => href.push(resolve(&dest_url)),
            Event::End(TagEnd::Link) => {
                href.pop();
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                runs.push(Run::plain(format!("[图 {dest_url}] ")));
            }
            Event::Html(t) | Event::InlineHtml(t) => {
                let t = comments.strip(&t);
                if !t.is_empty() {
                    runs.push(Run {
                        text: t.into_owned(),
                        bold: bold > 0,
                        href: href.last().cloned().flatten(),
                    });
                }
            }
            Event::End(TagEnd::HtmlBlock) => comments.close(),
            Event::Text(t) | Event::Code(t) => {
                runs.push(Run {
                    text: t.to_string(),
                    bold: bold > 0,
                    href: href.last().cloned().flatten(),
                });
            }
            Event::SoftBreak => runs.push(Run::plain("")),
            Event::HardBreak => runs.push(Run::plain("\n")),
            Event::Rule => flush_para(&mut runs, &mut lists, &mut out),
            _ => {}
        }
    }
    flush_para(&mut runs, &mut lists, &mut out);
    refused.blocks = out.refused;
    let mut blocks = out.blocks;
    if refused.any() {
        let what = refused.describe();
        blocks.push(Block::Note(format!(
            "（以下内容超出上限，未印出：{}）",
            what.zh
        )));
    }
    (blocks, refused)
}

/// The blocks of a body so far, and how many more were refused over [`MAX_BLOCKS`].
struct Capped {
    blocks: Vec<Block>,
    refused: usize,
}

impl Capped {
    fn full(&self) -> bool {
        self.blocks.len() >= MAX_BLOCKS
    }
    fn push(&mut self, b: Block) {
        if self.full() {
            self.refused += 1;
        } else {
            self.blocks.push(b);
        }
    }
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Whether an external link may be kept in HTML (no `javascript:` or `data:`).
pub(crate) fn safe_external(dest: &str) -> bool {
    let lower = dest.trim().to_ascii_lowercase();
    ["http://", "https://", "mailto:", "tel:"]
        .iter()
        .any(|p| lower.starts_with(p))
}

fn runs_html(runs: &[Run]) -> String {
    let mut s = String::new();
    for r in runs {
        let mut t = escape(&r.text).replace('\n', "<br>");
        if r.bold {
            t = format!("<strong>{t}</strong>");
        }
        match &r.href {
            Some(h) => s.push_str(&format!("<a href=\"{}\">{t}</a>", escape(h))),
            None => s.push_str(&t),
        }
    }
    s
}

/// The blocks as HTML; headings get the ids of [`heading_ids`].
pub(crate) fn to_html(blocks: &[Block], prefix: &str) -> String {
    let mut s = String::new();
    let mut ids = heading_ids(blocks, prefix).into_iter();
    for b in blocks {
        match b {
            Block::Heading { level, text } => {
                let l = (level + 1).min(6);
                s.push_str(&format!(
                    "<h{l} id=\"{}\">{}</h{l}>\n",
                    escape(&ids.next().unwrap_or_default()),
                    escape(text)
                ));
            }
            Block::Para(runs) => s.push_str(&format!("<p>{}</p>\n", runs_html(runs))),
            Block::Note(t) => s.push_str(&format!("<p class=\"note\">{}</p>\n", escape(t))),
            Block::List { kind, items } => {
                let (open, close) = match kind {
                    ListKind::Numbered => ("<ol>", "</ol>"),
                    ListKind::Bullet => ("<ul>", "</ul>"),
                    ListKind::Check => ("<ul class=\"check\">", "</ul>"),
                };
                s.push_str(open);
                for i in items {
                    s.push_str(&format!("<li>{}</li>", runs_html(i)));
                }
                s.push_str(close);
                s.push('\n');
            }
            Block::Table { header, rows, .. } => {
                s.push_str("<table><thead><tr>");
                for h in header {
                    s.push_str(&format!("<th>{}</th>", escape(h)));
                }
                s.push_str("</tr></thead><tbody>");
                for r in rows {
                    s.push_str("<tr>");
                    for c in r {
                        s.push_str(&format!("<td>{}</td>", escape(c)));
                    }
                    s.push_str("</tr>");
                }
                s.push_str("</tbody></table>\n");
            }
            Block::Flow(_) | Block::PageBreak => {}
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Handbooks and packs do not print the writer's notes, inline or as blocks.
    #[test]
    fn html_comments_are_not_printed() {
        let md = "# 总则 <!-- 旧稿 -->\n\n正文<!-- 内部备注 -->继续。\n\n<!--\n多行\n备注\n-->\n\n下一段。\n";
        let blocks = to_blocks(md, 0, &|_| None);
        let html = to_html(&blocks, "x");
        assert!(
            !html.contains("备注") && !html.contains("旧稿") && !html.contains("&lt;!--"),
            "{html}"
        );
        assert!(
            html.contains("正文继续。") && html.contains("下一段。"),
            "{html}"
        );
        assert!(
            matches!(&blocks[0], Block::Heading { text, .. } if text == "总则"),
            "{blocks:?}"
        );
    }

    #[test]
    fn raw_html_is_text_and_links_resolve() {
        let md = "# 总则\n\n见<script>alert(1)</script>[上级预案](plan:xj-overall)和[外链](javascript:alert(1))。\n\n- 甲\n- **乙**\n\n| 级别 | 条件 |\n|---|---|\n| 一级 | 溃坝 |\n";
        let resolve = |d: &str| d.strip_prefix("plan:").map(|id| format!("#plan-{id}"));
        let blocks = to_blocks(md, 1, &resolve);
        assert!(matches!(&blocks[0], Block::Heading { level: 2, text } if text == "总则"));
        let html = to_html(&blocks, "x");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(!html.contains("<script"));
        assert!(html.contains("<a href=\"#plan-xj-overall\">上级预案</a>"));
        assert!(!html.contains("javascript"), "{html}");
        assert!(html.contains("<li><strong>乙</strong></li>"));
        assert!(html.contains("<td>溃坝</td>"));
        assert!(safe_external("https://x.org") && !safe_external("javascript:x"));
    }

    #[test]
    fn bodies_are_capped_and_say_so() {
        let md = "#\n".repeat(MAX_BLOCKS + 7);
        let (blocks, refused) = to_blocks_capped(&md, 0, &|_| None);
        assert_eq!(blocks.len(), MAX_BLOCKS + 1);
        assert_eq!(refused.blocks, 7);
        assert!(
            matches!(blocks.last(), Some(Block::Note(n)) if n.contains("7 个段落或标题")),
            "{:?}",
            blocks.last()
        );
        let mut table = String::from("| a |\n|---|\n");
        table.push_str(&"| x |\n".repeat(MAX_ROWS + 3));
        let list = "- i\n".repeat(MAX_ITEMS + 2);
        let (blocks, refused) = to_blocks_capped(&format!("{table}\n{list}"), 0, &|_| None);
        assert_eq!((refused.rows, refused.items, refused.blocks), (3, 2, 0));
        assert!(blocks
            .iter()
            .any(|b| matches!(b, Block::Table { rows, .. } if rows.len() == MAX_ROWS)));
        assert!(blocks
            .iter()
            .any(|b| matches!(b, Block::List { items, .. } if items.len() == MAX_ITEMS)));
        assert!(refused
            .describe()
            .en
            .contains("3 table rows (the cap is 5000 per table)"));
        let (_, none) = to_blocks_capped("# a\n\ntext\n", 0, &|_| None);
        assert!(!none.any());
    }

    #[test]
    fn heading_ids_drop_numbering_and_keep_repeated_titles_apart() {
        let md = "## 4 应急响应\n\n## 4.1 信息报告\n\n## 4.2 信息报告流程图\n\n## 5、信息报告\n\n## ！！\n";
        let blocks = to_blocks(md, 0, &|_| None);
        assert_eq!(
            heading_ids(&blocks, "p"),
            [
                "p-应急响应",
                "p-信息报告",
                "p-信息报告流程图",
                "p-信息报告-2",
                "p-h"
            ]
        );
        assert!(to_html(&blocks, "p").contains("<h3 id=\"p-信息报告-2\">5、信息报告</h3>"));
    }
}
