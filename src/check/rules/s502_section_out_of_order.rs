use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::model::sections;
use crate::text;

declare_rule! {
    /// 章节顺序错误 · Sections out of order
    ///
    /// ## What it checks · 检查内容
    /// Required sections appear in the order of their profile (among siblings: top-level
    /// sections among themselves, sub-sections within their parent). Sections written as short
    /// lines or leading labels (S504) take their place like headings.
    ///
    /// 必备章节须按规定顺序排列。
    ///
    /// ## Why it matters · 为什么重要
    /// GB/T 29639-2020 §6–§8 and App. C give the structure in order; reviewers (管理办法 Art. 23)
    /// and responders expect 应急响应 after 组织机构, and handbooks are compiled in that order.
    ///
    /// 依据 GB/T 29639-2020 第 6—8 章和附录 C 按顺序给出结构；评审人员（《生产安全事故应急预案管理办法》
    /// 第二十三条）和应急人员都期望应急响应在组织机构之后，工作手册也按此顺序编排。
    ///
    /// ## Example · 示例
    /// `应急保障` before `应急响应` in a comprehensive plan.
    ///
    /// ## How to fix · 如何修改
    /// Move the section to its place in the order the help line gives.
    ///
    /// 按提示行给出的顺序移动该章节。
    pub(crate) struct SectionOutOfOrder {
        code: "S502",
        name: "section-out-of-order",
        severity: Warning,
        stage: Corpus,
        summary: ("必备章节顺序错误", "mandatory sections out of order"),
    }
}

impl Rule for SectionOutOfOrder {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for (di, d) in cx.indexed_docs() {
            let (specs, a) = cx.sections_of(di);
            // Previous matched (heading index, spec index) per `within` group.
            let mut last: std::collections::HashMap<Option<&str>, (usize, usize)> =
                Default::default();
            for (i, c) in specs.iter().enumerate() {
                let s = &c.spec;
                let Some(f) = a.found.get(i).copied().flatten() else {
                    continue;
                };
                let h = f.pos;
                let group = s.within.as_deref();
                if let Some(&(ph, pi)) = last.get(&group) {
                    if h < ph {
                        let (this, prev) = (&s.title, &specs[pi].spec.title);
                        let order = specs
                            .iter()
                            .filter(|x| x.spec.within.as_deref() == group)
                            .map(|x| x.spec.title.as_str())
                            .collect::<Vec<_>>()
                            .join(" → ");
                        out.push(
                            Self::INFO
                                .at(
                                    &d.path,
                                    Some(sections::span(d, f.src)),
                                    text!(
                                        "章节“{this}”应在“{prev}”之后",
                                        "section \"{this}\" should come after \"{prev}\""
                                    ),
                                )
                                .help(text!("规定顺序：{order}", "required order: {order}")),
                        );
                        continue;
                    }
                }
                last.insert(group, (h, i));
            }
        }
    }
}
