use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::{Diagnostic, Severity};
use crate::model::sections::{self, SectionSeverity};
use crate::text;
use std::ops::Range;

declare_rule! {
    /// 必备章节为空 · Mandatory section is empty
    ///
    /// ## What it checks · 检查内容
    /// A required section has text: a paragraph, list, table or figure in the section itself or
    /// in one of its sub-sections. A heading followed directly by the next heading is empty. A
    /// section written as a leading label (`应急处置：立即……`, S504) holds the rest of its
    /// paragraph and what follows up to the next heading or label.
    ///
    /// 必备章节（含其下级章节）须有实际内容。
    ///
    /// ## Why it matters · 为什么重要
    /// A heading without content satisfies a checklist but not the regulation: GB/T 29639-2020
    /// §6–§8 require the content itself, and plans must be operable (《突发事件应急预案管理办法》: 针对性、实用性、可操作性).
    ///
    /// 只有标题没有内容，满足了清单却不满足法规：GB/T 29639-2020 第 6—8 章要求的是内容本身，
    /// 预案还要具有针对性、实用性和可操作性（《突发事件应急预案管理办法》）。
    ///
    /// ## Example · 示例
    /// ```markdown
    /// ## 注意事项
    /// ## 附件
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Write the section's content.
    ///
    /// 写出该章节的内容。
    pub(crate) struct SectionEmpty {
        code: "S503",
        name: "section-empty",
        severity: Error,
        stage: Corpus,
        summary: ("必备章节没有内容", "mandatory section has no content"),
    }
}

impl Rule for SectionEmpty {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check_docs(&self, cx: &Context, docs: Range<usize>, out: &mut Vec<Diagnostic>) {
        for (di, d) in cx.indexed_docs_in(docs) {
            let (specs, a) = cx.sections_of(di);
            for (i, c) in specs.iter().enumerate() {
                let s = &c.spec;
                let Some(f) = a.found.get(i).copied().flatten() else {
                    continue;
                };
                // A sub-section found at its parent's line is reported with the parent.
                let again = a.found[..i]
                    .iter()
                    .any(|g| g.is_some_and(|g| g.src == f.src));
                if f.has_text || again {
                    continue;
                }
                let title = sections::title(d, f.src);
                let mut diag = Self::INFO
                    .at(
                        &d.path,
                        Some(sections::span(d, f.src)),
                        text!(
                            "必备章节“{title}”没有内容",
                            "mandatory section \"{title}\" has no content"
                        ),
                    )
                    .help(text!("填写该章节的实际内容", "write the section's content"));
                if s.severity == SectionSeverity::Warning {
                    diag.severity = Severity::Warning;
                }
                out.push(diag);
            }
        }
    }
}
