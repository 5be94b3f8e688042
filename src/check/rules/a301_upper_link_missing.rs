use crate::check::broken::skipped;
use crate::check::util::at_doc;
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::model::external::PlanRef;
use crate::model::hierarchy;
use crate::model::meta::{Kind, PlanMeta};
use crate::model::refs::Target;
use crate::model::Corpus;
use crate::text;
use std::ops::Range;

declare_rule! {
    /// 缺少上下衔接 · Missing vertical link (上下衔接)
    ///
    /// ## What it checks · 检查内容
    /// A government special plan below the top jurisdiction (national; else a province, or a
    /// jurisdiction with no parent in the registry) names in `links.upper` a plan of a
    /// jurisdiction above it (normally one level up; higher when that level has none) that
    /// shares at least one of its hazards. An enterprise comprehensive plan names in
    /// `links.upper` the government plan it dovetails with.
    ///
    /// Every government plan a document names in `links.upper` (a document here or an
    /// external plan of the registry, `external_plans`) must fit it: its jurisdiction contains
    /// the document's (the same one, or one above it through the registry's `parent` chain; for
    /// an enterprise plan, the jurisdiction of its enterprise), and when it is a special plan it
    /// shares at least one hazard with the document. The message says which condition failed.
    /// A link to another enterprise's plan (a park's, a group's) is not checked.
    ///
    /// 下级专项预案须在 `links.upper` 中指向上级同灾种预案；企业综合预案须指向所衔接的政府预案。
    /// `links.upper` 中的政府预案，其行政区须包含本预案的行政区（同级或上级）；若为专项预案，
    /// 还须与本预案至少有一个相同灾种。
    ///
    /// ## Why it matters · 为什么重要
    /// 《突发事件应急预案管理办法》（2024）第十八条 (article number from a mirror): response grading and measures must stay
    /// consistent with the higher-level plan (上位预案). 《生产安全事故应急预案管理办法》 Art. 18
    /// and GB/T 29639-2020 §9.3: enterprise plans dovetail with the plans of the local government.
    /// Without the link, a change upstream never reaches the plans below.
    ///
    /// 《突发事件应急预案管理办法》（2024）第十八条（条款号见于转载文本）要求响应分级和措施与上位预案保持一致；
    /// 《生产安全事故应急预案管理办法》第十八条和 GB/T 29639-2020 第 9.3 条要求企业预案与当地政府预案相衔接。
    /// 没有这一链接，上级的变化传不到下级预案。
    ///
    /// ## Example · 示例
    /// ```yaml
    /// id: qx-flood
    /// links: { upper: [] }      # should name yz-flood
    /// ```
    /// ```yaml
    /// id: hotel-comprehensive   # a hotel in 青溪县
    /// links: { upper: [bz-bridge-tunnel] }   # 北州市城市桥梁隧道突发事件应急预案: another
    ///                                        # city, and no hazard in common
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Add the upper plan's id to `links.upper`; replace a plan of another jurisdiction or of
    /// other hazards by the one that covers this plan (move a merely related plan to
    /// `links.related`). A plan kept outside the repository is declared in the registry's
    /// `external_plans` and named by its id.
    ///
    /// 在 `links.upper` 中写明上级预案的 id；把其他行政区或其他灾种的预案换成覆盖本预案的那一个（只是相关的预案移到 `links.related`）。
    /// 库外的预案在登记册的 `external_plans` 中登记后按 id 引用。
    pub(crate) struct UpperLinkMissing {
        code: "A301",
        name: "upper-link-missing",
        severity: Error,
        stage: Corpus,
        summary: ("缺少与上级同灾种预案的衔接", "no link to the upper plan for the same hazard"),
    }
}

/// A government upper plan that does not fit the plan `p`: which conditions failed, as
/// (zh, en), or `None` when it fits or cannot be judged (an id the registry lacks).
fn misfit(corpus: &Corpus, p: &PlanMeta, u: PlanRef) -> Option<(String, String)> {
    let home = hierarchy::home_jurisdiction(corpus, p);
    let mut zh = Vec::new();
    let mut en = Vec::new();
    if let Some(uj) = u
        .jurisdiction()
        .filter(|uj| hierarchy::contains(corpus, uj, home) == Some(false))
    {
        let name = |j: &str| {
            let n = (corpus.registry.jurisdiction(j)).map_or("", |x| x.name.as_str());
            (format!("{n}（`{j}`）"), format!("{n} (`{j}`)"))
        };
        let ((az, ae), (bz, be)) = (name(uj), name(home));
        zh.push(format!("它属于{az}，不包含本预案所在的{bz}"));
        en.push(format!(
            "its jurisdiction {ae} does not contain this plan's {be}"
        ));
    }
    let special = u.kind() == Kind::Special;
    if special
        && !u.hazards().is_empty()
        && !p.hazards.is_empty()
        && !u.hazards().iter().any(|h| p.hazards.contains(h))
    {
        let (uh, ph) = (u.hazards().join(", "), p.hazards.join(", "));
        zh.push(format!(
            "它是针对 {uh} 的专项预案，与本预案的灾种（{ph}）没有交集"
        ));
        en.push(format!(
            "it is a special plan for {uh} and shares no hazard with this plan ({ph})"
        ));
    }
    (!zh.is_empty()).then(|| (zh.join("；"), en.join("; ")))
}

/// Whether the government special plan `p` is at the top of the registry's jurisdictions (no
/// jurisdiction above it; for an unregistered one, a provincial plan).
impl Rule for UpperLinkMissing {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check_docs(&self, cx: &Context, docs: Range<usize>, out: &mut Vec<Diagnostic>) {
        let corpus = cx.corpus;
        for d in cx.docs_in(docs) {
            let Some(p) = d.plan() else { continue };
            // A dangling id in `links.upper` is R401's to report.
            if p.links
                .upper
                .iter()
                .any(|u| !Target::Document.exists(corpus, u))
            {
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
            // Every government plan named must fit.
            let mut misfits = false;
            for (i, uid) in p.links.upper.iter().enumerate() {
                let Some(u) = PlanRef::find(corpus, uid) else {
                    continue;
                };
                if u.is_enterprise() {
                    continue;
                }
                if let Some((wz, we)) = misfit(corpus, p, u) {
                    misfits = true;
                    let title = u.title();
                    let (oz, oe) = if u.is_external() {
                        ("外部预案", "external plan")
                    } else {
                        ("预案", "plan")
                    };
                    out.push(
                        at_doc(&Self::INFO, d, &format!("/links/upper/{i}"), text!(
                            "`links.upper` 中的{oz} `{uid}`《{title}》不是本预案的上级预案：{wz}",
                            "the {oe} `{uid}` ({title}) in `links.upper` is not an upper plan of this one: {we}"
                        ))
                        .help(text!(
                            "改为本行政区或上级行政区覆盖相同灾种的预案；只是相关的预案请移到 `links.related`",
                            "name the plan of this jurisdiction or one above it that covers the same hazards; move a merely related plan to `links.related`"
                        )),
                    );
                }
            }
            if misfits {
                continue;
            }
            let uppers = || {
                p.links
                    .upper
                    .iter()
                    .filter_map(|u| PlanRef::find(corpus, u))
            };
            match (p.kind, p.enterprise.is_some()) {
                (Kind::Special, false) => {
                    if hierarchy::is_top(corpus, p) {
                        continue;
                    }
                    let registered = corpus.registry.jurisdiction(&p.jurisdiction).is_some();
                    let ok = uppers().any(|u| {
                        let uj = u.jurisdiction().unwrap_or_default();
                        let level =
                            (corpus.registry.jurisdiction(uj).map(|j| j.level)).or(u.level());
                        !u.is_enterprise()
                            && (hierarchy::is_ancestor(corpus, uj, &p.jurisdiction)
                                || (!registered && level.zip(p.level).is_some_and(|(a, b)| a < b)))
                            && u.hazards().iter().any(|h| p.hazards.contains(h))
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
                            .help(text!("在 `links.upper` 中写上一级同灾种专项预案的 id（库外的预案先登记在 `external_plans` 中）", "add the id of the special plan one level up for the same hazard to `links.upper` (declare a plan kept elsewhere in the registry's `external_plans`)")));
                    }
                }
                (Kind::Comprehensive, true) if !uppers().any(|u| !u.is_enterprise()) => {
                    out.push(at_doc(&Self::INFO, d, "/links", text!("企业综合应急预案没有衔接的政府预案（`links.upper`）", "enterprise comprehensive plan names no government plan in `links.upper`"))
                            .help(text!("在 `links.upper` 中写所在地政府或园区的相关预案 id（库外的预案先登记在 `external_plans` 中）", "add the id of the local government plan it dovetails with to `links.upper` (declare a plan kept elsewhere in the registry's `external_plans`)")));
                }
                _ => {}
            }
        }
    }
}
