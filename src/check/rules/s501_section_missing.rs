use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::{Diagnostic, Severity};
use crate::model::sections::{self, SectionSeverity};
use crate::text;
use std::ops::Range;

declare_rule! {
    /// 缺少必备章节 · Mandatory section missing
    ///
    /// ## What it checks · 检查内容
    /// Each document kind has a section profile (built-in, or `[sections.<profile>]` in
    /// yuan.toml; `yuan explain` lists none of them, docs/sections.md does). Every required
    /// section must appear, sub-sections inside their parent section. Headings match
    /// tolerantly: numbering (`第一章`, `一、`, `（一）`, `1.1`, `1总则`), full-width spaces and bold
    /// are ignored, and synonyms and the variants of published plans count (docs/sections.md
    /// says how: exact, variant, prefix or suffix, containment). A heading a Word export
    /// flattened into a short line or a leading label (`应急处置：`) counts too (S504 says so).
    /// A top-level section found only *inside* another required section counts as missing, and
    /// the message says where it was found. Sections whose source is not confirmed are warnings.
    /// The finding points at the line where the section belongs: the heading that follows the
    /// section before it in the profile (or the end of the document), and says so in its help.
    ///
    /// 按文档类别检查必备章节是否齐全（编号、全角空格、加粗不影响匹配，接受常见同义标题和变体；
    /// 只出现在另一必备章节内的一级章节视为缺少）。
    ///
    /// ## Why it matters · 为什么重要
    /// GB/T 29639-2020 §6 (comprehensive: 总则, 应急组织机构及职责, 应急响应, 后期处置, 应急保障),
    /// §7 (special: 适用范围, 应急组织机构及职责, 响应启动, 处置措施) and §8 (on-site: 事故风险描述,
    /// 应急工作职责, 应急处置, 注意事项) fix the content of enterprise plans; expert review checks
    /// "基本要素的完整性" (管理办法 Art. 23). Government plans follow the typical structure of
    /// published national and provincial plans and of the 2025 《国家突发事件总体应急预案》
    /// (warnings: no national standard fixes their chapters).
    ///
    /// 依据 GB/T 29639-2020 第 6 章（综合预案：总则、应急组织机构及职责、
    /// 应急响应、后期处置、应急保障）、第 7 章（专项预案：适用范围、应急组织机构及职责、
    /// 响应启动、处置措施）和第 8 章（现场处置方案：事故风险描述、应急工作职责、
    /// 应急处置、注意事项）规定了企业预案的内容；评审要检查“基本要素的完整性”（《生产安全事故应急预案管理办法》
    /// 第二十三条）。政府预案采用已发布的国家、省级预案和 2025 年《国家突发事件总体应急预案》
    /// 的通行结构（警告：没有全国统一的章节标准）。
    ///
    /// ## Example · 示例
    /// An on-site plan with 事故风险描述, 应急工作职责 and 应急处置 but no 注意事项; or one whose
    /// only `应急处置措施` is a sub-section of `应急工作职责`.
    ///
    /// ## How to fix · 如何修改
    /// Add the section with real content (`yuan new KIND` prints every required heading), or
    /// rename an existing heading to the required title or a synonym, or move a section found
    /// inside another one out to its own level.
    ///
    /// 添加该章节并写明实际内容（`yuan new 类别` 输出全部必备标题），或把已有标题改为要求的标题或同义词，
    /// 或把在其他章节内找到的章节移出作为独立章节。
    pub(crate) struct SectionMissing {
        code: "S501",
        name: "section-missing",
        severity: Error,
        stage: Corpus,
        summary: ("缺少必备章节", "mandatory section missing"),
    }
}

impl Rule for SectionMissing {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check_docs(&self, cx: &Context, docs: Range<usize>, out: &mut Vec<Diagnostic>) {
        for (di, d) in cx.indexed_docs_in(docs) {
            let (specs, a) = cx.sections_of(di);
            let found = |i: usize| a.found.get(i).copied().flatten();
            for (i, c) in specs.iter().enumerate() {
                let s = &c.spec;
                if found(i).is_some() {
                    continue;
                }
                // A missing parent section is reported once, not once per sub-section.
                if let Some(w) = &s.within {
                    if specs
                        .iter()
                        .position(|p| &p.spec.key == w)
                        .is_some_and(|pi| found(pi).is_none())
                    {
                        continue;
                    }
                }
                let title = &s.title;
                let source = s.source.as_deref().unwrap_or("").trim();
                // a profile entry without a source names none (no empty brackets)
                let (sz, se) = if source.is_empty() {
                    (String::new(), String::new())
                } else {
                    (format!("，依据 {source}"), format!(" ({source})"))
                };
                let accepted = std::iter::once(title)
                    .chain(&s.synonyms)
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join("、");
                let place = match &s.within {
                    Some(w) => specs
                        .iter()
                        .find(|p| &p.spec.key == w)
                        .map(|p| p.spec.title.clone())
                        .unwrap_or_default(),
                    None => String::new(),
                };
                let (wz, we) = if place.is_empty() {
                    (String::new(), String::new())
                } else {
                    (
                        format!("（应位于“{place}”章节内）"),
                        format!(" (inside \"{place}\")"),
                    )
                };
                // Point at the section that should contain it, or at the front matter.
                let at = s
                    .within
                    .as_ref()
                    .and_then(|w| specs.iter().position(|p| &p.spec.key == w))
                    .and_then(found)
                    .map_or(d.head, |f| sections::span(d, f.src));
                let nested = a.nested.get(i).copied().flatten();
                let mut diag = match nested {
                    // Found only inside another required section: say where.
                    Some((src, owner)) => {
                        let here = sections::norm(d, src);
                        let inside = specs.get(owner).map_or("", |o| o.spec.title.as_str());
                        Self::INFO
                            .at(
                                &d.path,
                                Some(sections::span(d, src)),
                                text!(
                                    "在“{inside}”章节内找到“{here}”，应为独立章节；缺少必备章节“{title}”{sz}",
                                    "found \"{here}\" inside the section \"{inside}\"; it should be a section of its own: mandatory section \"{title}\" is missing{se}"
                                ),
                            )
                            .help(text!(
                                "把“{here}”移出“{inside}”，作为与之同级的章节",
                                "move \"{here}\" out of \"{inside}\" to a section at the same level"
                            ))
                    }
                    None => {
                        // a top-level section: where it belongs, after the section before it
                        let (at, hz, he) = match s.within {
                            Some(_) => (at, String::new(), String::new()),
                            None => belongs(cx, d, specs, &found, i),
                        };
                        Self::INFO
                            .at(
                                &d.path,
                                Some(at),
                                text!(
                                    "缺少必备章节“{title}”{wz}{sz}",
                                    "mandatory section \"{title}\"{we} is missing{se}"
                                ),
                            )
                            .help(text!(
                                "{hz}添加该章节并写明内容；可接受的标题：{accepted}",
                                "add the section with its content{he}; accepted headings: {accepted}"
                            ))
                    }
                };
                if s.severity == SectionSeverity::Warning {
                    diag.severity = Severity::Warning;
                }
                out.push(diag);
            }
        }
    }
}

/// Where the missing top-level section `i` of `specs` belongs in `d`, and the help's opening
/// words saying so: after the nearest earlier section of the profile that the document has
/// (pointing at the line that follows that section: the heading of the next one, where the
/// missing one is to be inserted); before the first later one when no earlier one is there;
/// the last line of the document when it has none of them (or its text cannot be read again).
fn belongs(
    cx: &Context,
    d: &crate::model::Document,
    specs: &[sections::Compiled],
    found: &dyn Fn(usize) -> Option<sections::Found>,
    i: usize,
) -> (crate::diag::Span, String, String) {
    let top = |j: &usize| specs.get(*j).is_some_and(|c| c.spec.within.is_none());
    let title = |j: usize| specs.get(j).map_or("", |c| c.spec.title.as_str());
    let before = (0..i)
        .rev()
        .filter(top)
        .find_map(|j| found(j).map(|f| (j, f)));
    if let Some((j, f)) = before {
        let prev = title(j);
        // the first piece of evidence after the earlier section: a heading at its level or
        // above, else the next section of the profile found after it
        let next = match f.src {
            sections::Src::Heading(h) => {
                let end = sections::section_end(&d.headings, h);
                d.headings.get(end).map(|x| x.span)
            }
            // a line's section runs to the next top-level section found (its own sub-sections
            // are inside it)
            sections::Src::Line(_) => (0..specs.len())
                .filter(top)
                .filter_map(found)
                .filter(|g| g.pos > f.pos)
                .min_by_key(|g| g.pos)
                .map(|g| sections::span(d, g.src)),
        };
        let at = next.or_else(|| last_line(cx, d));
        return match at {
            Some(at) if next.is_some() => (
                at,
                format!("在“{prev}”章节之后、本行之前"),
                format!(" after the section \"{prev}\", before this line"),
            ),
            Some(at) => (
                at,
                format!("在“{prev}”章节之后（文末）"),
                format!(" after the section \"{prev}\", at the end of the document"),
            ),
            None => (d.head, String::new(), String::new()),
        };
    }
    if let Some((j, f)) = (i + 1..specs.len())
        .filter(top)
        .find_map(|j| found(j).map(|f| (j, f)))
    {
        let next = title(j);
        return (
            sections::span(d, f.src),
            format!("在“{next}”章节之前"),
            format!(" before the section \"{next}\""),
        );
    }
    match last_line(cx, d) {
        Some(at) => (
            at,
            "在文末".to_string(),
            " at the end of the document".to_string(),
        ),
        None => (d.head, String::new(), String::new()),
    }
}

/// The last line with text of `d`'s file, read again (`None` when it cannot be, or has none).
fn last_line(cx: &Context, d: &crate::model::Document) -> Option<crate::diag::Span> {
    let text = cx.corpus.read_text(&d.path)?;
    let mut start = 0usize;
    let mut last = None;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let body = line.trim_end_matches(['\n', '\r']);
        if !body.trim().is_empty() {
            last = Some((n, start, start + body.len()));
        }
        start += line.len();
    }
    let (n, from, to) = last?;
    Some(crate::diag::Span {
        start: u32::try_from(from).ok()?,
        end: u32::try_from(to).ok()?,
        line: u32::try_from(n + 1).ok()?,
        col: 1,
    })
}
