//! Word styles (import stage): `styles.xml` -> each paragraph style resolved through its
//! `basedOn` chain: the heading level it gives (by name, English or Chinese, or by outline
//! level), its automatic numbering, and the formatting a heading is recognised by (bold, the
//! East Asian font, the size).
//!
//! Word writes the built-in heading styles with English names (`heading 1`) whatever the
//! language of the user interface, WPS often with Chinese ones (`标题 1`), and plan offices
//! define their own (`一级标题`, `预案标题1`) based on them: the level comes from the nearest
//! style of the chain that says it.

use super::xml::{attr, Events};
use quick_xml::events::Event;
use std::collections::HashMap;

/// One paragraph style as written (before inheritance).
#[derive(Debug, Clone, Default)]
struct Raw {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    num: Option<(String, u8)>,
    run: Run,
}

/// Run formatting: what a heading written by hand is recognised by.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Run {
    pub(crate) bold: Option<bool>,
    /// East Asian font (`w:rFonts w:eastAsia`), else the ASCII one.
    pub(crate) font: Option<String>,
    /// Size in half-points (`w:sz`): 三号 is 32, 小三 30, 四号 28.
    pub(crate) size: Option<u32>,
}

impl Run {
    /// `self` with what it does not say taken from `base`.
    pub(crate) fn or(&self, base: &Run) -> Run {
        Run {
            bold: self.bold.or(base.bold),
            font: self.font.clone().or_else(|| base.font.clone()),
            size: self.size.or(base.size),
        }
    }
}

/// A paragraph style resolved through its chain.
#[derive(Debug, Clone, Default)]
pub(crate) struct Style {
    /// The style's own name (`heading 1`, `标题 1`, `一级标题`).
    pub(crate) name: String,
    /// The heading level, 1-based, and the name of the style of the chain that gave it.
    pub(crate) heading: Option<(u8, String)>,
    /// The document title style (`Title`, `标题`).
    pub(crate) title: bool,
    /// A table-of-contents style (`toc 1`, `目录 1`).
    pub(crate) toc: bool,
    /// Numbering attached to the style: (numId, level).
    pub(crate) num: Option<(String, u8)>,
    pub(crate) run: Run,
}

/// Every paragraph style by id, and the default run formatting.
#[derive(Debug, Default)]
pub(crate) struct Styles {
    by_id: HashMap<String, Style>,
    /// The default paragraph style's id (`w:default="1"`).
    default: Option<String>,
}

impl Styles {
    /// The style `id`, or the default paragraph style.
    pub(crate) fn get(&self, id: Option<&str>) -> Option<&Style> {
        id.and_then(|i| self.by_id.get(i))
            .or_else(|| self.default.as_ref().and_then(|d| self.by_id.get(d)))
    }
}

/// The heading level a style's name says: `heading 1`, `Heading1`, `标题 1`, `标题1` (1–9).
pub(crate) fn level_of_name(name: &str) -> Option<u8> {
    let n = name.trim().to_lowercase();
    let rest = n
        .strip_prefix("heading")
        .or_else(|| n.strip_prefix("标题"))?
        .trim();
    let level: u8 = rest.parse().ok()?;
    (1..=9).contains(&level).then_some(level)
}

fn is_title_name(name: &str) -> bool {
    let n = name.trim().to_lowercase();
    n == "title" || n == "标题"
}

fn is_toc_name(name: &str) -> bool {
    let n = name.trim().to_lowercase();
    let rest = n.strip_prefix("toc").or_else(|| n.strip_prefix("目录"));
    rest.is_some_and(|r| {
        let r = r.trim();
        r.is_empty() || r.parse::<u8>().is_ok() || r == "heading" || r == "标题"
    })
}

/// Reads `styles.xml`. Broken XML gives the styles read so far (the text still imports).
pub(crate) fn parse(xml: &str) -> Styles {
    let mut raw: HashMap<String, Raw> = HashMap::new();
    let mut default = None;
    let mut ev = Events::new(xml);
    let mut current: Option<(String, Raw)> = None;
    let mut in_ppr_num = false;
    let mut num_id: Option<String> = None;
    let mut ilvl: u8 = 0;
    while let Some(e) = ev.next() {
        match e {
            Event::Start(s) | Event::Empty(s) => match s.local_name().as_ref() {
                b"style" => {
                    let para = attr(&s, b"type").is_none_or(|t| t == "paragraph");
                    if para {
                        let id = attr(&s, b"styleId").unwrap_or_default();
                        if attr(&s, b"default").is_some_and(|d| d == "1" || d == "true") {
                            default = Some(id.clone());
                        }
                        current = Some((id, Raw::default()));
                    } else {
                        current = None;
                    }
                }
                b"name" => {
                    if let Some((_, r)) = &mut current {
                        r.name = attr(&s, b"val").unwrap_or_default();
                    }
                }
                b"basedOn" => {
                    if let Some((_, r)) = &mut current {
                        r.based_on = attr(&s, b"val");
                    }
                }
                b"outlineLvl" => {
                    if let Some((_, r)) = &mut current {
                        r.outline = attr(&s, b"val").and_then(|v| v.parse().ok());
                    }
                }
                b"numPr" => {
                    in_ppr_num = true;
                    num_id = None;
                    ilvl = 0;
                }
                b"numId" if in_ppr_num => num_id = attr(&s, b"val"),
                b"ilvl" if in_ppr_num => {
                    ilvl = attr(&s, b"val").and_then(|v| v.parse().ok()).unwrap_or(0)
                }
                b"b" => {
                    if let Some((_, r)) = &mut current {
                        r.run.bold = Some(on(&s));
                    }
                }
                b"rFonts" => {
                    if let Some((_, r)) = &mut current {
                        r.run.font = attr(&s, b"eastAsia").or_else(|| attr(&s, b"ascii"));
                    }
                }
                b"sz" => {
                    if let Some((_, r)) = &mut current {
                        r.run.size = attr(&s, b"val").and_then(|v| v.parse().ok());
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"numPr" => {
                    in_ppr_num = false;
                    if let (Some((_, r)), Some(id)) = (&mut current, num_id.take()) {
                        r.num = Some((id, ilvl));
                    }
                }
                b"style" => {
                    if let Some((id, r)) = current.take() {
                        raw.insert(id, r);
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    let by_id = raw
        .keys()
        .map(|id| (id.clone(), resolve(&raw, id)))
        .collect();
    Styles { by_id, default }
}

/// Whether a toggle property (`<w:b/>`, `<w:b w:val="0"/>`) is on.
pub(crate) fn on(s: &quick_xml::events::BytesStart) -> bool {
    attr(s, b"val").is_none_or(|v| !matches!(v.as_str(), "0" | "false" | "off"))
}

/// `id` resolved through its `basedOn` chain (at most 16 steps: a cycle ends there).
fn resolve(raw: &HashMap<String, Raw>, id: &str) -> Style {
    let mut style = Style::default();
    let mut run = Run::default();
    let mut outline = None;
    let mut at = Some(id.to_string());
    let mut first = true;
    for _ in 0..16 {
        let Some(r) = at.as_deref().and_then(|a| raw.get(a)) else {
            break;
        };
        if first {
            style.name = r.name.clone();
            first = false;
        }
        if style.heading.is_none() {
            if let Some(level) = level_of_name(&r.name) {
                style.heading = Some((level, r.name.clone()));
            }
        }
        style.title |= is_title_name(&r.name);
        style.toc |= is_toc_name(&r.name);
        outline = outline.or(r.outline);
        if style.num.is_none() {
            style.num = r.num.clone();
        }
        run = run.or(&r.run);
        at = r.based_on.clone();
    }
    if style.heading.is_none() && !style.title && !style.toc {
        // outline level 9 is body text
        if let Some(o) = outline.filter(|o| *o < 9) {
            style.heading = Some((o + 1, format!("{} (outline level {})", style.name, o + 1)));
        }
    }
    style.run = run;
    style
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = r#"<w:styles xmlns:w="w">
      <w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/>
        <w:rPr><w:rFonts w:eastAsia="仿宋_GB2312"/><w:sz w:val="32"/></w:rPr></w:style>
      <w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/>
        <w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style>
      <w:style w:type="paragraph" w:styleId="20"><w:name w:val="标题 2"/><w:basedOn w:val="a"/></w:style>
      <w:style w:type="paragraph" w:styleId="yj1"><w:name w:val="预案一级标题"/><w:basedOn w:val="1"/>
        <w:rPr><w:b/></w:rPr></w:style>
      <w:style w:type="paragraph" w:styleId="ol"><w:name w:val="要点"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
      <w:style w:type="paragraph" w:styleId="loop"><w:name w:val="环"/><w:basedOn w:val="loop"/></w:style>
      <w:style w:type="paragraph" w:styleId="t1"><w:name w:val="toc 1"/></w:style>
      <w:style w:type="character" w:styleId="c"><w:name w:val="heading 3"/></w:style>
    </w:styles>"#;

    #[test]
    fn heading_levels_come_through_names_chains_and_outline_levels() {
        let s = parse(XML);
        let level = |id: &str| s.get(Some(id)).and_then(|st| st.heading.clone());
        assert_eq!(level("1"), Some((1, "heading 1".into())));
        assert_eq!(level("20"), Some((2, "标题 2".into())));
        assert_eq!(level("yj1"), Some((1, "heading 1".into())));
        assert_eq!(level("ol").map(|l| l.0), Some(3));
        assert_eq!(level("loop"), None);
        assert_eq!(level("a"), None);
        let yj1 = s.get(Some("yj1")).expect("style");
        assert_eq!(yj1.run.bold, Some(true));
        assert_eq!(yj1.run.font.as_deref(), Some("黑体"));
        assert_eq!(yj1.run.size, Some(32));
        assert!(s.get(Some("t1")).expect("toc").toc);
        assert!(s.get(Some("c")).is_none_or(|st| st.name == "Normal"));
        assert_eq!(s.get(None).map(|st| st.name.as_str()), Some("Normal"));
    }

    #[test]
    fn style_names_in_both_languages() {
        for (n, l) in [
            ("heading 1", Some(1)),
            ("Heading 2", Some(2)),
            ("Heading3", Some(3)),
            ("标题 1", Some(1)),
            ("标题2", Some(2)),
            ("标题", None),
            ("heading 10", None),
            ("正文", None),
        ] {
            assert_eq!(level_of_name(n), l, "{n}");
        }
        assert!(is_toc_name("TOC 2") && is_toc_name("目录 1") && !is_toc_name("目录标题x"));
    }
}
