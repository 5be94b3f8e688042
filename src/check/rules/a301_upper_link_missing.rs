use crate::check::broken::skipped;
use crate::check::util::at_doc;
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::model::hierarchy;
use crate::model::meta::{Kind, Level};
use crate::text;

declare_rule! {
    /// 缺少上下衔接 · Missing vertical link (上下衔接)
    ///
    /// ## What it checks · 检查内容
    /// A government special plan below the top jurisdiction names in `links.upper` a plan of a
    /// jurisdiction above it (normally one level up; higher when that level has none) that
    /// shares at least one of its hazards. An enterprise comprehensive plan names in
    /// `links.upper` the government plan it dovetails with.
    /// 下级专项预案须在 `links.upper` 中指向上级同灾种预案；企业综合预案须指向所衔接的政府预案。
    ///
    /// ## Why it matters · 为什么重要
    /// 2024 办法 (domain.md §2.2, Art. 18 in the mirror): response grading and measures must stay
    /// consistent with the higher-level plan (上位预案). 《生产安全事故应急预案管理办法》 Art. 18
    /// and GB/T 29639-2020 §9.3: enterprise plans dovetail with the plans of the local government.
    /// Without the link, a change upstream never reaches the plans below.
    ///
    /// ## Example · 示例
    /// ```yaml
    /// id: qx-flood
    /// links: { upper: [] }      # should name yz-flood
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Add the upper plan's id to `links.upper`.
    pub(crate) struct UpperLinkMissing {
        code: "A301",
        name: "upper-link-missing",
        severity: Error,
        stage: Corpus,
        summary: ("缺少与上级同灾种预案的衔接", "no link to the upper plan for the same hazard"),
    }
}

impl Rule for UpperLinkMissing {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for d in cx.docs() {
            let Some(p) = d.plan() else { continue };
            // A dangling id in `links.upper` is R401's to report.
            if p.links.upper.iter().any(|u| cx.corpus.doc(u).is_none()) {
                continue;
            }
            // An upper plan that failed its schema (F003): what it covers is unknown.
            if let Some((k, b)) = p
                .links
                .upper
                .iter()
                .enumerate()
                .find_map(|(k, u)| cx.corpus.doc(u).filter(|x| x.is_broken()).map(|x| (k, x)))
            {
                out.push(skipped(
                    &Self::INFO,
                    d,
                    &format!("/links/upper/{k}"),
                    b,
                    ("对上下衔接的检查", "the check of the vertical link was"),
                ));
                continue;
            }
            match (p.kind, p.enterprise.is_some()) {
                (Kind::Special, false) => {
                    let top = hierarchy::level_of(cx.corpus, p) == Some(Level::Province)
                        || (cx.corpus.registry.jurisdiction(&p.jurisdiction).is_some()
                            && hierarchy::parent_jurisdiction(cx.corpus, &p.jurisdiction)
                                .is_none());
                    if top {
                        continue;
                    }
                    let ok = p
                        .links
                        .upper
                        .iter()
                        .filter_map(|u| cx.corpus.plan(u))
                        .any(|u| {
                            u.enterprise.is_none()
                                && (hierarchy::is_ancestor(
                                    cx.corpus,
                                    &u.jurisdiction,
                                    &p.jurisdiction,
                                ) || (cx
                                    .corpus
                                    .registry
                                    .jurisdiction(&p.jurisdiction)
                                    .is_none()
                                    && u.level.zip(p.level).is_some_and(|(a, b)| a < b)))
                                && u.hazards.iter().any(|h| p.hazards.contains(h))
                        });
                    if !ok {
                        let (hz, he) =
                            crate::check::util::paren(&p.hazards.join(", "), &p.hazards.join(", "));
                        let msg = if p.links.upper.is_empty() {
                            text!("下级专项预案没有 `links.upper`（上下衔接）", "lower-level special plan has no `links.upper` (vertical alignment)")
                        } else {
                            text!("`links.upper` 中没有上级行政区覆盖相同灾种{hz}的预案", "`links.upper` names no plan of a jurisdiction above covering the same hazards{he}")
                        };
                        out.push(at_doc(&Self::INFO, d, if p.links.upper.is_empty() { "/hazards" } else { "/links/upper" }, msg)
                            .help(text!("在 `links.upper` 中写上一级同灾种专项预案的 id", "add the id of the special plan one level up for the same hazard to `links.upper`")));
                    }
                }
                (Kind::Comprehensive, true) => {
                    let ok = p
                        .links
                        .upper
                        .iter()
                        .filter_map(|u| cx.corpus.plan(u))
                        .any(|u| u.enterprise.is_none());
                    if !ok {
                        out.push(at_doc(&Self::INFO, d, "/links", text!("企业综合应急预案没有衔接的政府预案（`links.upper`）", "enterprise comprehensive plan names no government plan in `links.upper`"))
                            .help(text!("在 `links.upper` 中写所在地政府或园区的相关预案 id", "add the id of the local government plan it dovetails with to `links.upper`")));
                    }
                }
                _ => {}
            }
        }
    }
}
