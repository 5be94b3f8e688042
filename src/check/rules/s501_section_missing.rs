use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::{Diagnostic, Severity};
use crate::model::sections::{self, SectionSeverity};
use crate::text;

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
    /// ## Example · 示例
    /// An on-site plan with 事故风险描述, 应急工作职责 and 应急处置 but no 注意事项; or one whose
    /// only `应急处置措施` is a sub-section of `应急工作职责`.
    ///
    /// ## How to fix · 如何修改
    /// Add the section with real content (`yuan new KIND` prints every required heading), or
    /// rename an existing heading to the required title or a synonym, or move a section found
    /// inside another one out to its own level.
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
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for (di, d) in cx.indexed_docs() {
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
                    None => Self::INFO
                        .at(
                            &d.path,
                            Some(at),
                            text!(
                                "缺少必备章节“{title}”{wz}{sz}",
                                "mandatory section \"{title}\"{we} is missing{se}"
                            ),
                        )
                        .help(text!(
                            "添加该章节并写明内容；可接受的标题：{accepted}",
                            "add the section with its content; accepted headings: {accepted}"
                        )),
                };
                if s.severity == SectionSeverity::Warning {
                    diag.severity = Severity::Warning;
                }
                out.push(diag);
            }
        }
    }
}
