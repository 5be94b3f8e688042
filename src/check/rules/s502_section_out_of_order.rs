use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::model::sections::{self, SectionSpec};
use crate::text;
use std::ops::Range;

declare_rule! {
    /// 章节顺序错误 · Sections out of order
    ///
    /// ## What it checks · 检查内容
    /// Required sections appear in the order of their profile (among siblings: top-level
    /// sections among themselves, sub-sections within their parent). Sections written as short
    /// lines or leading labels (S504) take their place like headings. Two sections that
    /// published plans write either way round may come in either order (`either_order` in the
    /// profile: 应急保障 before or after 后期处置 in a government special plan).
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
    fn check_docs(&self, cx: &Context, docs: Range<usize>, out: &mut Vec<Diagnostic>) {
        for (di, d) in cx.indexed_docs_in(docs) {
            let (specs, a) = cx.sections_of(di);
            // The sections placed so far (heading index, spec index), per `within` group.
            let mut placed: Vec<(Option<&str>, usize, usize)> = Vec::new();
            for (i, c) in specs.iter().enumerate() {
                let s = &c.spec;
                let Some(f) = a.found.get(i).copied().flatten() else {
                    continue;
                };
                let h = f.pos;
                let group = s.within.as_deref();
                // the latest of the sections it must follow: its group's, of a lower rank
                let before = placed
                    .iter()
                    .filter(|&&(g, _, pi)| g == group && specs[pi].rank < c.rank)
                    .max_by_key(|&&(_, ph, _)| ph);
                if let Some(&(_, ph, pi)) = before {
                    if h < ph {
                        let (this, prev) = (&s.title, &specs[pi].spec.title);
                        let order = order_line(specs.iter().map(|c| &c.spec), group);
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
                placed.push((group, h, i));
            }
        }
    }
}

/// The order of a group's sections for the help line: `A → B → C / D` (C and D either way).
fn order_line<'a>(specs: impl Iterator<Item = &'a SectionSpec>, group: Option<&str>) -> String {
    let mut s = String::new();
    for (n, x) in specs.filter(|x| x.within.as_deref() == group).enumerate() {
        if n > 0 {
            s.push_str(if x.either_order { " / " } else { " → " });
        }
        s.push_str(&x.title);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(key: &str, within: Option<&str>, either_order: bool) -> SectionSpec {
        SectionSpec {
            key: key.into(),
            title: key.into(),
            synonyms: Vec::new(),
            within: within.map(str::to_string),
            severity: Default::default(),
            source: None,
            either_order,
        }
    }

    #[test]
    fn sections_either_way_round_share_a_rank() {
        let specs = [
            spec("general", None, false),
            spec("scope", Some("general"), false),
            spec("response", None, false),
            spec("recovery", None, false),
            spec("support", None, true),
            spec("rules", None, false),
        ];
        assert_eq!(sections::ranks(specs.iter()), [0, 0, 1, 2, 2, 3]);
        assert_eq!(
            order_line(specs.iter(), None),
            "general → response → recovery / support → rules"
        );
    }
}
