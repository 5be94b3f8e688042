use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::model::sections::Src;
use crate::model::LineForm;
use crate::text;
use std::ops::Range;

declare_rule! {
    /// 必备章节不是标题 · Mandatory section written as plain text
    ///
    /// ## What it checks · 检查内容
    /// A required section (S501) was found not as a Markdown heading but as what a Word export
    /// makes of one: a short line of its own (`现场应急处置程序`), a bold line (`**1　总则**`) or
    /// a label at the start of a paragraph (`事故应急处置程序：立即……`). It counts as the
    /// section for S501, S502 and S503; this note offers the heading line to write, at the level
    /// its numbering and the headings around it give (docs/sections.md says how lines are
    /// read). Only lines that name a missing section are taken: ordinary short paragraphs never.
    ///
    /// 必备章节以普通段落、加粗段落或段首标签形式出现：已计为该章节，建议改为标题。
    ///
    /// ## Why it matters · 为什么重要
    /// GB/T 29639-2020 §6–§8 ask for the content, not for a typeface, so the plan is complete;
    /// but only a heading is a section to every other reader: handbooks and their tables of
    /// contents, `plan:ID#章节` references and cards citing clauses (R404, R405), drills choosing
    /// the response section. An information note, not a warning: nothing is wrong with the plan.
    ///
    /// 依据 GB/T 29639-2020 第 6—8 章要求的是内容而不是字体，因此预案是完整的；
    /// 但只有标题才是其他读者眼中的章节：工作手册及其目录、`plan:ID#章节` 引用、
    /// 引用条款的处置卡（R404、R405）、演练选择响应章节。这是提示而不是警告：
    /// 预案本身没有问题。
    ///
    /// ## Example · 示例
    /// ```markdown
    /// ## 2 应急工作职责
    /// 厨师长为现场负责人……
    ///
    /// 现场应急处置程序
    ///
    /// 发现油锅起火，立即关闭燃气总阀……
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Write the line the note offers (e.g. `## 3 现场应急处置程序`) in place of the plain line,
    /// or put the label on a heading line of its own above its paragraph.
    ///
    /// 用提示给出的标题行（如 `## 3 现场应急处置程序`）替换该普通行，或把标签单独写成段落上方的标题行。
    pub(crate) struct SectionNotHeading {
        code: "S504",
        name: "section-not-heading",
        severity: Info,
        stage: Corpus,
        summary: ("必备章节未写成标题", "mandatory section written as plain text"),
    }
}

impl Rule for SectionNotHeading {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check_docs(&self, cx: &Context, docs: Range<usize>, out: &mut Vec<Diagnostic>) {
        for (di, d) in cx.indexed_docs_in(docs) {
            let (specs, a) = cx.sections_of(di);
            // One note per line, though a line may stand for a section and its first part.
            let mut seen = Vec::new();
            for (c, f) in specs.iter().zip(&a.found) {
                let Some(f) = f else { continue };
                let Src::Line(j) = f.src else { continue };
                if seen.contains(&j) {
                    continue;
                }
                seen.push(j);
                let Some(line) = d.lines.get(j) else { continue };
                let title = line.title.trim_matches('*').trim();
                let wanted = &c.spec.title;
                let suggestion = format!("{} {title}", "#".repeat(usize::from(f.level.max(1))));
                let (fz, fe) = match line.form {
                    LineForm::Plain => ("普通段落", "a plain line"),
                    LineForm::Bold => ("加粗段落", "a bold line"),
                    LineForm::Label => ("段首标签", "a label at the start of a paragraph"),
                };
                out.push(
                    Self::INFO
                        .at(
                            &d.path,
                            Some(line.span),
                            text!(
                                "“{title}”是{fz}，不是标题；已计为必备章节“{wanted}”",
                                "\"{title}\" is {fe}, not a heading; it counts as the mandatory section \"{wanted}\""
                            ),
                        )
                        .help(text!(
                            "改写为标题行：{suggestion}",
                            "write it as a heading line: {suggestion}"
                        )),
                );
            }
        }
    }
}
