use crate::check::util::at_doc;
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::model::skim;
use crate::text;
use std::ops::Range;

declare_rule! {
    /// 响应分级与上级不一致 · Response levels inconsistent with the upper plan
    ///
    /// ## What it checks · 检查内容
    /// For a government plan and each government plan in its `links.upper`: every response level
    /// the lower plan defines also exists in the upper plan, under the same name (一级/Ⅰ级/1级 are
    /// treated alike). A lower plan may define fewer levels. An external plan of the registry
    /// (`external_plans`) states no response levels, so nothing is compared with it.
    ///
    /// 下级政府预案的响应级别及名称须与上级预案一致（可以少设级别）。
    ///
    /// ## Why it matters · 为什么重要
    /// 《突发事件应急预案管理办法》（2024）第十八条 (article number from a mirror of the text): each unit sets its own response grading,
    /// which must stay consistent with the higher-level plan. When the province starts 二级响应,
    /// every county must know which of its levels that is.
    ///
    /// 《突发事件应急预案管理办法》（2024）第十八条（条款号见于转载文本）：各单位自行确定响应分级，
    /// 但须与上位预案一致。省里启动二级响应时，每个县都要知道对应本级的哪一级。
    ///
    /// ## Example · 示例
    /// The province calls level 2 `二级应急响应`, the county calls it `较大级响应`.
    ///
    /// ## How to fix · 如何修改
    /// Use the upper plan's level names, or drop a level the upper plan does not have.
    ///
    /// 使用上级预案的级别名称，或删除上级预案没有的级别。
    pub(crate) struct ResponseLevelsInconsistent {
        code: "A302",
        name: "response-levels-inconsistent",
        severity: Error,
        stage: Corpus,
        summary: ("响应级别或名称与上级预案不一致", "response levels differ from the upper plan's"),
    }
}

/// Name with the level numeral unified: Ⅰ级/I级/1级/一级 -> 一级.
pub(crate) fn canonical_name(name: &str) -> String {
    let s: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    let pairs = [
        ("Ⅳ", "四"),
        ("Ⅲ", "三"),
        ("Ⅱ", "二"),
        ("Ⅰ", "一"),
        ("IV", "四"),
        ("III", "三"),
        ("II", "二"),
        ("I", "一"),
        ("4", "四"),
        ("3", "三"),
        ("2", "二"),
        ("1", "一"),
    ];
    for (a, b) in pairs {
        if let Some(rest) = s.strip_prefix(a) {
            return format!("{b}{rest}");
        }
    }
    s
}

impl Rule for ResponseLevelsInconsistent {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check_docs(&self, cx: &Context, docs: Range<usize>, out: &mut Vec<Diagnostic>) {
        // levels are read in place (`skim`): a warm check decodes no response level
        for d in cx.docs_in(docs) {
            let Some(p) = d.plan() else { continue };
            if p.enterprise.is_some() || p.links.upper.is_empty() {
                continue;
            }
            let levels: Vec<_> = skim::levels(p).collect();
            if levels.is_empty() {
                continue;
            }
            for uid in &p.links.upper {
                let Some(u) = cx.corpus.plan(uid) else {
                    continue;
                };
                if u.enterprise.is_some() {
                    continue;
                }
                let upper: Vec<_> = skim::levels(u).collect();
                if upper.is_empty() {
                    continue;
                }
                for (i, l) in levels.iter().enumerate() {
                    let n = l.level;
                    match upper.iter().find(|x| x.level == n) {
                        None => out.push(at_doc(
                            &Self::INFO,
                            d,
                            &format!("/response_levels/{i}/level"),
                            text!(
                                "上级预案 `{uid}` 没有第 {n} 级响应",
                                "the upper plan `{uid}` has no response level {n}"
                            ),
                        )),
                        Some(ul) if canonical_name(ul.name) != canonical_name(l.name) => {
                            let (a, b) = (l.name, ul.name);
                            out.push(at_doc(&Self::INFO, d, &format!("/response_levels/{i}/name"), text!(
                                "第 {n} 级响应名为“{a}”，上级预案 `{uid}` 称“{b}”",
                                "response level {n} is named \"{a}\" here but \"{b}\" in the upper plan `{uid}`"
                            )).help(text!("与上级预案使用相同的级别名称", "use the upper plan's level name")));
                        }
                        Some(_) => {}
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn numerals_are_unified() {
        use super::canonical_name as c;
        assert_eq!(c("Ⅰ级应急响应"), c("一级应急响应"));
        assert_eq!(c("I级应急响应"), c("1级应急响应"));
        assert_ne!(c("二级应急响应"), c("一级应急响应"));
    }
}
