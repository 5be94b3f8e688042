use crate::check::util::{at_doc, at_entry};
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::text;
use std::ops::Range;

declare_rule! {
    /// 预案层级与行政区不符 · Plan level differs from its jurisdiction
    ///
    /// ## What it checks · 检查内容
    /// A government plan's `level` equals the level of its `jurisdiction` in the registry: a
    /// plan of 青溪县 (a county) says `level: county`. The same holds for an external plan of
    /// the registry (`external_plans`) that states its `level`.
    ///
    /// 政府预案的 `level` 必须与登记册中所属行政区的层级一致。
    ///
    /// ## Why it matters · 为什么重要
    /// The level decides what a plan must contain and how often it is drilled (《突发事件应急预案管理办法》
    /// （2013）第八条 gives different emphases to provincial, city/county and township plans;
    /// 《生产安全事故应急条例》第八条第一款 sets the biennial drill duty for county level and above). A county
    /// plan marked `province` would be held to the wrong duties, and the hierarchy rules, which
    /// use the registry, would disagree with what the plan says about itself.
    ///
    /// 层级决定预案的内容和演练频次（《突发事件应急预案管理办法》（2013）第八条对省级、
    /// 市县级、乡镇预案的侧重点不同；《生产安全事故应急条例》第八条第一款规定县级以上每 2 年演练一次）。
    /// 标成 `province` 的县级预案会按错误的职责检查，依据登记册的层级规则也会与预案自述不一致。
    ///
    /// ## Example · 示例
    /// ```yaml
    /// jurisdiction: qx          # 青溪县, level: county in the registry
    /// level: city
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Correct `level`, or the `jurisdiction` if the plan belongs to another one.
    ///
    /// 改正 `level`，或在预案属于另一行政区时改正 `jurisdiction`。
    pub(crate) struct LevelMismatch {
        code: "H207",
        name: "level-mismatch",
        severity: Error,
        stage: Corpus,
        summary: ("预案层级与所属行政区层级不符", "plan level differs from its jurisdiction's"),
    }
}

impl Rule for LevelMismatch {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check_docs(&self, cx: &Context, docs: Range<usize>, out: &mut Vec<Diagnostic>) {
        for d in cx.docs_in(docs) {
            let Some(p) = d.plan() else { continue };
            let (Some(level), None) = (p.level, &p.enterprise) else {
                continue;
            };
            let Some(j) = cx.corpus.registry.jurisdiction(&p.jurisdiction) else {
                continue;
            };
            if j.level != level {
                let (name, want, got) = (&j.name, j.level.as_str(), level.as_str());
                out.push(
                    at_doc(
                        &Self::INFO,
                        d,
                        "/level",
                        text!(
                    "预案层级为 `{got}`，但所属行政区“{name}”在登记册中是 `{want}`",
                    "plan level is `{got}`, but its jurisdiction {name} is `{want}` in the registry"
                ),
                    )
                    .help(text!(
                        "将 `level` 改为 `{want}`，或改正 `jurisdiction`",
                        "set `level: {want}`, or correct `jurisdiction`"
                    )),
                );
            }
        }
        let reg = &cx.corpus.registry;
        for e in &reg.external_plans {
            let j = e
                .item
                .jurisdiction
                .as_deref()
                .and_then(|j| reg.jurisdiction(j));
            let (Some(level), Some(j)) = (e.item.level, j) else {
                continue;
            };
            if j.level != level {
                let (id, name, want, got) = (&e.item.id, &j.name, j.level.as_str(), level.as_str());
                out.push(
                    at_entry(&Self::INFO, reg, &e.origin, "/level", text!(
                        "外部预案 `{id}` 的层级为 `{got}`，但其行政区“{name}”在登记册中是 `{want}`",
                        "external plan `{id}` has level `{got}`, but its jurisdiction {name} is `{want}` in the registry"
                    ))
                    .help(text!(
                        "将 `level` 改为 `{want}`（或删去，层级取自行政区），或改正 `jurisdiction`",
                        "set `level: {want}` (or leave it out: the jurisdiction's level applies), or correct `jurisdiction`"
                    )),
                );
            }
        }
    }
}
