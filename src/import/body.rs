//! The document body (import stage): `document.xml` (and `footnotes.xml`) -> paragraphs and
//! tables in reading order, each paragraph with the evidence a heading is recognised by: its
//! style, its automatic numbering, its outline level and its formatting (bold, East Asian font,
//! size, centring), and whether it belongs to a table of contents (a `TOC` field, a `toc N`
//! style, a content control of the contents gallery).
//!
//! What is read: the text of runs (`w:t`), tabs, line breaks, hyperlinks' text, inserted text
//! of tracked changes, footnote references (as `〔注N〕`, the note's text at the end). What is not: deleted text, field codes
//! (`w:instrText`; their shown result is read), page breaks, text boxes and drawings (counted,
//! reported as left out), the fallback copy of `mc:AlternateContent`. Headers and footers are
//! other parts and never read.

use super::styles::{on, Run};
use super::xml::{attr, reference, Events};
use quick_xml::events::Event;

/// One paragraph as Word holds it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Para {
    /// 1-based number of the paragraph in the document (tables' paragraphs not counted).
    pub(crate) index: usize,
    pub(crate) text: String,
    /// Paragraph style id (`w:pStyle`).
    pub(crate) style: Option<String>,
    /// Direct numbering: (numId, ilvl).
    pub(crate) num: Option<(String, u8)>,
    /// Direct outline level (0-based as Word writes it).
    pub(crate) outline: Option<u8>,
    /// Direct run formatting of the text: bold when every run with text is bold.
    pub(crate) run: Run,
    pub(crate) centered: bool,
    /// Inside a table-of-contents field or content control.
    pub(crate) toc: bool,
}

/// How a cell takes part in a vertical merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum VMerge {
    #[default]
    None,
    /// The first cell of a vertical merge (`w:vMerge w:val="restart"`).
    Start,
    /// A cell merged into the one above (`w:vMerge` without a value).
    Continue,
}

/// One table cell.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cell {
    pub(crate) text: String,
    /// Grid columns it spans (`w:gridSpan`).
    pub(crate) span: u32,
    pub(crate) vmerge: VMerge,
}

/// A paragraph or a table, in reading order.
#[derive(Debug, Clone)]
pub(crate) enum Block {
    Para(Para),
    Table(Vec<Vec<Cell>>),
}

/// The body of a document.
#[derive(Debug, Default)]
pub(crate) struct Body {
    pub(crate) blocks: Vec<Block>,
    /// Footnotes by id, in the order of their first reference.
    pub(crate) footnotes: Vec<(String, String)>,
    /// Text boxes and drawings left out.
    pub(crate) text_boxes: usize,
    /// A broken document.xml: where it broke (what came before is kept).
    pub(crate) error: Option<String>,
}

/// At most this many rows per table and cells per row (larger tables are cut, and said so).
pub(crate) const MAX_ROWS: usize = 5_000;
pub(crate) const MAX_CELLS: usize = 64;

#[derive(Default)]
struct Table {
    rows: Vec<Vec<Cell>>,
    row: Vec<Cell>,
    cell: Option<Cell>,
}

/// Reads `document.xml` and `footnotes.xml`.
pub(crate) fn parse(document: &str, footnotes: Option<&str>) -> Body {
    let mut body = Body::default();
    let mut ev = Events::new(document);
    let mut tables: Vec<Table> = Vec::new();
    let mut para: Option<Para> = None;
    let mut count = 0usize;
    // run state
    let mut run = Run::default();
    let mut in_rpr = false;
    let mut in_ppr = false;
    let mut in_num = false;
    let mut in_text = false;
    let mut skip = 0usize; // inside text boxes, fallbacks, deleted text, field codes
    let mut text_runs: Vec<Run> = Vec::new();
    let mut run_has_text = false;
    // fields: a stack of "is a TOC"; `instr` collects the instruction of the newest field
    let mut fields: Vec<bool> = Vec::new();
    let mut instr = String::new();
    let mut in_instr = false;
    let mut toc_sdt = 0usize;
    let mut sdt_depth = 0usize;
    let mut note_refs: Vec<String> = Vec::new();
    while let Some(e) = ev.next() {
        match e {
            Event::Start(s) => {
                let name = s.local_name();
                let name = name.as_ref();
                if skip > 0 {
                    if matches!(name, b"txbxContent" | b"Fallback" | b"del" | b"instrText") {
                        skip += 1;
                    }
                    continue;
                }
                match name {
                    b"txbxContent" => {
                        body.text_boxes += 1;
                        skip = 1;
                    }
                    b"Fallback" | b"del" => skip = 1,
                    b"instrText" => in_instr = true,
                    b"sdt" => sdt_depth += 1,
                    b"p" => {
                        para = Some(Para {
                            toc: !fields.is_empty() && fields.iter().any(|t| *t) || toc_sdt > 0,
                            ..Para::default()
                        });
                        text_runs.clear();
                    }
                    b"pPr" => in_ppr = true,
                    b"numPr" if in_ppr => in_num = true,
                    b"r" => {
                        run = Run::default();
                        run_has_text = false;
                    }
                    b"rPr" if !in_ppr => in_rpr = true,
                    b"t" => in_text = true,
                    b"tbl" => tables.push(Table::default()),
                    b"tr" => {
                        if let Some(t) = tables.last_mut() {
                            t.row.clear();
                        }
                    }
                    b"tc" => {
                        if let Some(t) = tables.last_mut() {
                            t.cell = Some(Cell {
                                span: 1,
                                ..Cell::default()
                            });
                        }
                    }
                    _ => {}
                }
            }
            Event::Empty(s) => {
                if skip > 0 {
                    continue;
                }
                let name = s.local_name();
                match name.as_ref() {
                    b"pStyle" if in_ppr => {
                        if let Some(p) = &mut para {
                            p.style = attr(&s, b"val");
                        }
                    }
                    b"numId" if in_num => {
                        if let Some(p) = &mut para {
                            let id = attr(&s, b"val").unwrap_or_default();
                            let l = p.num.as_ref().map_or(0, |n| n.1);
                            p.num = Some((id, l));
                        }
                    }
                    b"ilvl" if in_num => {
                        if let Some(p) = &mut para {
                            let l = attr(&s, b"val").and_then(|v| v.parse().ok()).unwrap_or(0);
                            let id = p.num.take().map(|n| n.0).unwrap_or_default();
                            p.num = Some((id, l));
                        }
                    }
                    b"outlineLvl" if in_ppr => {
                        if let Some(p) = &mut para {
                            p.outline = attr(&s, b"val").and_then(|v| v.parse().ok());
                        }
                    }
                    b"jc" if in_ppr => {
                        if let Some(p) = &mut para {
                            p.centered = attr(&s, b"val").is_some_and(|v| v == "center");
                        }
                    }
                    b"b" if in_rpr => run.bold = Some(on(&s)),
                    b"rFonts" if in_rpr => {
                        run.font = attr(&s, b"eastAsia").or_else(|| attr(&s, b"ascii"))
                    }
                    b"sz" if in_rpr => run.size = attr(&s, b"val").and_then(|v| v.parse().ok()),
                    b"tab" if !in_ppr => push(&mut para, "\t", &mut run_has_text),
                    b"br" | b"cr" if attr(&s, b"type").is_none_or(|t| t == "textWrapping") => {
                        push(&mut para, "\n", &mut run_has_text);
                    }
                    b"footnoteReference" => {
                        if let Some(id) = attr(&s, b"id") {
                            push(&mut para, &format!("〔注{id}〕"), &mut false);
                            if !note_refs.contains(&id) {
                                note_refs.push(id);
                            }
                        }
                    }
                    b"fldChar" => match attr(&s, b"fldCharType").as_deref() {
                        Some("begin") => {
                            fields.push(false);
                            instr.clear();
                        }
                        Some("separate") if instr.trim_start().starts_with("TOC") => {
                            if let Some(last) = fields.last_mut() {
                                *last = true;
                            }
                            if let Some(p) = &mut para {
                                p.toc = true;
                            }
                        }
                        Some("end") => {
                            fields.pop();
                        }
                        _ => {}
                    },
                    b"gridSpan" => {
                        if let Some(c) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                            c.span = attr(&s, b"val")
                                .and_then(|v| v.parse().ok())
                                .unwrap_or(1)
                                .clamp(1, MAX_CELLS as u32);
                        }
                    }
                    b"vMerge" => {
                        if let Some(c) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                            c.vmerge = if attr(&s, b"val").is_some_and(|v| v == "restart") {
                                VMerge::Start
                            } else {
                                VMerge::Continue
                            };
                        }
                    }
                    b"docPartGallery"
                        if sdt_depth > 0
                            && attr(&s, b"val")
                                .is_some_and(|v| v.contains("Table of Contents")) =>
                    {
                        toc_sdt = sdt_depth;
                    }
                    b"fldSimple" => {}
                    _ => {}
                }
            }
            Event::Text(t) => {
                if skip > 0 {
                    continue;
                }
                let s = t.decode().unwrap_or_default();
                if in_instr {
                    instr.push_str(&s);
                } else if in_text {
                    push(&mut para, &s, &mut run_has_text);
                }
            }
            Event::GeneralRef(r) => {
                if skip > 0 {
                    continue;
                }
                if let Some(c) = reference(&r) {
                    let mut b = [0u8; 4];
                    let s = c.encode_utf8(&mut b);
                    if in_instr {
                        instr.push_str(s);
                    } else if in_text {
                        push(&mut para, s, &mut run_has_text);
                    }
                }
            }
            Event::End(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if skip > 0 {
                    if matches!(name, b"txbxContent" | b"Fallback" | b"del" | b"instrText") {
                        skip -= 1;
                    }
                    continue;
                }
                match name {
                    b"instrText" => in_instr = false,
                    b"sdt" => {
                        if toc_sdt == sdt_depth {
                            toc_sdt = 0;
                        }
                        sdt_depth = sdt_depth.saturating_sub(1);
                    }
                    b"pPr" => in_ppr = false,
                    b"numPr" => in_num = false,
                    b"rPr" => in_rpr = false,
                    b"t" => in_text = false,
                    b"r" if run_has_text => {
                        text_runs.push(std::mem::take(&mut run));
                    }
                    b"p" => {
                        let Some(mut p) = para.take() else { continue };
                        p.run = aggregate(&text_runs);
                        if let Some(t) = tables.last_mut() {
                            if let Some(c) = &mut t.cell {
                                if !c.text.is_empty() && !p.text.trim().is_empty() {
                                    c.text.push(' ');
                                }
                                c.text.push_str(p.text.trim());
                            }
                        } else {
                            count += 1;
                            p.index = count;
                            body.blocks.push(Block::Para(p));
                        }
                    }
                    b"tc" => {
                        if let Some(t) = tables.last_mut() {
                            if let Some(c) = t.cell.take() {
                                if t.row.len() < MAX_CELLS {
                                    t.row.push(c);
                                }
                            }
                        }
                    }
                    b"tr" => {
                        if let Some(t) = tables.last_mut() {
                            let row = std::mem::take(&mut t.row);
                            if t.rows.len() < MAX_ROWS {
                                t.rows.push(row);
                            }
                        }
                    }
                    b"tbl" => {
                        if let Some(t) = tables.pop() {
                            match tables.last_mut().and_then(|o| o.cell.as_mut()) {
                                // a table in a cell: its text joins the cell's
                                Some(outer) => {
                                    for row in &t.rows {
                                        for c in row {
                                            if !c.text.is_empty() {
                                                if !outer.text.is_empty() {
                                                    outer.text.push(' ');
                                                }
                                                outer.text.push_str(&c.text);
                                            }
                                        }
                                    }
                                }
                                None => body.blocks.push(Block::Table(t.rows)),
                            }
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    body.error = ev.error.take();
    if let Some(xml) = footnotes {
        let notes = parse_footnotes(xml);
        body.footnotes = note_refs
            .iter()
            .filter_map(|id| notes.iter().find(|(n, _)| n == id).cloned())
            .collect();
    }
    body
}

/// Appends text to the open paragraph (in a table cell or not).
fn push(para: &mut Option<Para>, s: &str, has_text: &mut bool) {
    if let Some(p) = para {
        p.text.push_str(s);
        if !s.trim().is_empty() {
            *has_text = true;
        }
    }
}

/// The formatting of a paragraph's text from its runs: bold when every run is bold (`None`
/// when no run says), the first font and size given.
fn aggregate(runs: &[Run]) -> Run {
    let bold = if runs.is_empty() {
        None
    } else if runs.iter().all(|r| r.bold == Some(true)) {
        Some(true)
    } else if runs.iter().any(|r| r.bold == Some(false)) {
        Some(false)
    } else if runs.iter().any(|r| r.bold == Some(true)) {
        // some bold, some not saying: the heading is not bold as a whole
        Some(false)
    } else {
        None
    };
    Run {
        bold,
        font: runs.iter().find_map(|r| r.font.clone()),
        size: runs.iter().find_map(|r| r.size),
    }
}

/// The footnotes of `footnotes.xml` (separators left out): (id, text).
fn parse_footnotes(xml: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut ev = Events::new(xml);
    let mut current: Option<(String, String)> = None;
    let mut in_text = false;
    while let Some(e) = ev.next() {
        match e {
            Event::Start(s) => match s.local_name().as_ref() {
                b"footnote" => {
                    let separator = attr(&s, b"type").is_some_and(|t| t != "normal");
                    current =
                        (!separator).then(|| (attr(&s, b"id").unwrap_or_default(), String::new()));
                }
                b"t" => in_text = true,
                _ => {}
            },
            Event::Text(t) if in_text => {
                if let Some((_, text)) = &mut current {
                    text.push_str(&t.decode().unwrap_or_default());
                }
            }
            Event::GeneralRef(r) if in_text => {
                if let (Some((_, text)), Some(c)) = (&mut current, reference(&r)) {
                    text.push(c);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => {
                    if let Some((_, text)) = &mut current {
                        if !text.is_empty() && !text.ends_with(' ') {
                            text.push(' ');
                        }
                    }
                }
                b"footnote" => {
                    if let Some((id, text)) = current.take() {
                        out.push((id, text.trim().to_string()));
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_tables_and_what_is_left_out() {
        let xml = r#"<w:document xmlns:w="w"><w:body>
          <w:p><w:pPr><w:pStyle w:val="1"/><w:numPr><w:ilvl w:val="1"/><w:numId w:val="3"/></w:numPr><w:jc w:val="center"/></w:pPr>
            <w:r><w:rPr><w:b/><w:rFonts w:eastAsia="黑体"/><w:sz w:val="32"/></w:rPr><w:t>总则</w:t></w:r></w:p>
          <w:p><w:r><w:t xml:space="preserve">A &amp; B</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r>
            <w:del><w:r><w:delText>gone</w:delText></w:r></w:del>
            <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>
            <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>
            <w:r><w:drawing><w:txbxContent><w:p><w:r><w:t>box</w:t></w:r></w:p></w:txbxContent></w:drawing></w:r></w:p>
          <w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> TOC \o "1-3" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>第一章 总则</w:t></w:r></w:p>
          <w:p><w:r><w:t>第二章 组织机构</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
          <w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>应急指挥部</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>总指挥</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>张三</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>李四</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
          <w:p><w:r><w:t>后文</w:t></w:r></w:p>
        </w:body></w:document>"#;
        let notes = r#"<w:footnotes xmlns:w="w"><w:footnote w:type="separator" w:id="0"><w:p><w:r><w:t>--</w:t></w:r></w:p></w:footnote>
          <w:footnote w:id="2"><w:p><w:r><w:t>见附件1。</w:t></w:r></w:p></w:footnote></w:footnotes>"#;
        let body = parse(xml, Some(notes));
        let paras: Vec<&Para> = body
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Para(p) => Some(p),
                Block::Table(_) => None,
            })
            .collect();
        assert_eq!(paras[0].text, "总则");
        assert_eq!(paras[0].style.as_deref(), Some("1"));
        assert_eq!(paras[0].num, Some(("3".into(), 1)));
        assert!(paras[0].centered);
        assert_eq!(paras[0].run.bold, Some(true));
        assert_eq!(paras[0].run.font.as_deref(), Some("黑体"));
        assert_eq!(paras[0].run.size, Some(32));
        assert_eq!(paras[1].text, "A & B〔注2〕3");
        assert!(!paras[1].toc);
        assert!(paras[2].toc && paras[3].toc && !paras[4].toc);
        assert_eq!(body.text_boxes, 1);
        assert_eq!(
            body.footnotes,
            vec![("2".to_string(), "见附件1。".to_string())]
        );
        let Some(Block::Table(rows)) = body.blocks.get(4) else {
            panic!("{:?}", body.blocks)
        };
        assert_eq!(rows[0][0].span, 2);
        assert_eq!(rows[1][0].vmerge, VMerge::Start);
        assert_eq!(rows[2][0].vmerge, VMerge::Continue);
        assert_eq!(rows[2][1].text, "李四");
    }

    #[test]
    fn broken_xml_keeps_what_came_before() {
        let body = parse(
            "<w:body><w:p><w:r><w:t>一</w:t></w:r></w:p><w:p><w:r>",
            None,
        );
        assert_eq!(body.blocks.len(), 1);
        let body = parse("<w:body><w:p><w:r><w:t>一</w:t></w:r></w:p></w:x>", None);
        assert!(body.error.is_some());
    }
}
