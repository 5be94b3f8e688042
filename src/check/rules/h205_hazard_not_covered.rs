use crate::check::broken::skipped;
use crate::check::util::at_doc;
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::model::meta::Kind;
use crate::text;

declare_rule! {
    /// 灾种未覆盖（横向到边）· Hazard without a special plan
    ///
    /// ## What it checks · 检查内容
    /// Every hazard an overall plan lists in `hazards` is covered by a special or departmental
    /// plan of the same jurisdiction that lists it too.
    ///
    /// 总体预案列出的每个灾种，本级都应有专项或部门预案覆盖（横向到边）。
    ///
    /// ## Why it matters · 为什么重要
    /// The overall plan assigns hazards to special plans, which carry the concrete procedures
    /// (《突发事件应急预案管理办法》（2013）第七条、第八条: "横向到边"). A hazard assigned but not covered means
    /// the government has promised a plan it does not have.
    ///
    /// 总体预案把灾种分派给专项预案，由专项预案写明具体处置程序（《突发事件应急预案管理办法》
    /// （2013）第七条、第八条：“横向到边”）。分派了却没有覆盖，等于政府承诺了一个并不存在的预案。
    ///
    /// ## Example · 示例
    /// `qx-overall` lists `hazards: [flood, geological]`; no county plan lists `geological`.
    ///
    /// ## How to fix · 如何修改
    /// Write the missing special plan (`yuan new special`), add the hazard to the plan that
    /// covers it, or remove it from the overall plan's list.
    ///
    /// 编写缺少的专项预案（`yuan new special`），把该灾种加到覆盖它的预案中，
    /// 或从总体预案的列表中删除。
    pub(crate) struct HazardNotCovered {
        code: "H205",
        name: "hazard-not-covered",
        severity: Error,
        stage: Corpus,
        summary: ("总体预案列出的灾种没有专项预案", "a hazard of the overall plan has no special plan"),
    }
}

impl Rule for HazardNotCovered {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let mut covered: crate::model::FastSet<(&str, &str)> = Default::default();
        for p in cx.corpus.docs.iter().filter_map(|d| d.plan()) {
            if p.enterprise.is_none() && matches!(p.kind, Kind::Special | Kind::Department) {
                for h in &p.hazards {
                    covered.insert((p.jurisdiction.as_str(), h.as_str()));
                }
            }
        }
        for d in &cx.corpus.docs {
            let Some(p) = d.plan() else { continue };
            if p.kind != Kind::Overall || p.enterprise.is_some() {
                continue;
            }
            for (i, h) in p.hazards.iter().enumerate() {
                if !covered.contains(&(p.jurisdiction.as_str(), h.as_str())) {
                    let name = cx
                        .corpus
                        .registry
                        .hazard(h)
                        .map_or(h.as_str(), |x| x.name.as_str());
                    let j = &p.jurisdiction;
                    // a special or departmental plan that failed its schema (F003) may cover it
                    if let Some(b) =
                        cx.broken()
                            .may_be(cx.corpus, &[Kind::Special, Kind::Department], |u| {
                                u.may_equal("jurisdiction", j)
                                    && u.may_contain("hazards", h)
                                    && u.lacks("enterprise")
                            })
                    {
                        out.push(skipped(
                            &Self::INFO,
                            d,
                            &format!("/hazards/{i}"),
                            b,
                            (
                                &format!("对灾种“{name}”（`{h}`）是否有专项或部门预案覆盖的检查"),
                                &format!("the check that hazard {name} (`{h}`) has a special or departmental plan was"),
                            ),
                        ));
                        continue;
                    }
                    out.push(at_doc(&Self::INFO, d, &format!("/hazards/{i}"), text!(
                        "灾种“{name}”（`{h}`）在 `{j}` 没有专项或部门预案覆盖",
                        "hazard {name} (`{h}`) has no special or departmental plan in `{j}`"
                    )).help(text!(
                        "编制对应专项预案，或在覆盖它的预案 `hazards` 中加上 `{h}`",
                        "write the special plan, or add `{h}` to the `hazards` of the plan that covers it"
                    )));
                }
            }
        }
    }
}
