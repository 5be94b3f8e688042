use crate::check::broken::skipped;
use crate::check::util::at_doc;
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::model::hierarchy::{self, allowed_parents};
use crate::model::meta::Kind;
use crate::text;
use std::ops::Range;

declare_rule! {
    /// 上级预案类别不合法 · Parent of an illegal kind
    ///
    /// ## What it checks · 检查内容
    /// The parent must be of a kind allowed by the hierarchy (docs/format.md §1): a government
    /// special plan under an overall plan of the **same** jurisdiction; an overall plan under the
    /// overall plan of the jurisdiction **one level up**; an enterprise special plan under the
    /// comprehensive plan of the **same enterprise**; an on-site plan under that enterprise's
    /// comprehensive or special plan; a card under an on-site plan of the same enterprise.
    /// Government and enterprise plans never hang under each other: enterprises link to
    /// government plans through `links.upper` (衔接). An external plan of the registry
    /// (`external_plans`) is judged by its `kind` and `jurisdiction` like a document.
    ///
    /// 上级预案的类别、行政区或所属企业须符合“1+N+X”和 GB/T 29639 的体系。
    ///
    /// ## Why it matters · 为什么重要
    /// 《突发事件应急预案管理办法》（2013）第七条、第八条: special and departmental plans implement the overall
    /// plan of their own government; GB/T 29639-2020 Ch. 5: the enterprise plan system is
    /// comprehensive → special → on-site. A special plan filed under a departmental plan, or an
    /// enterprise on-site plan under a government overall plan, breaks filing (备案) and
    /// alignment duties.
    ///
    /// 《突发事件应急预案管理办法》（2013）第七条、第八条：专项和部门预案落实本级政府的总体预案；
    /// 依据 GB/T 29639-2020 第 5 章：企业预案体系为综合—专项—现场处置方案。
    /// 专项预案挂在部门预案下，或企业现场处置方案挂在政府总体预案下，都会打乱备案和衔接责任。
    ///
    /// ## Example · 示例
    /// ```yaml
    /// id: hd-onsite-reactor
    /// kind: onsite
    /// parent: qx-overall     # a government overall plan
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Point `parent` at the right plan; use `links.upper` for the government plan an enterprise
    /// plan dovetails with.
    ///
    /// 把 `parent` 指向正确的预案；企业预案与政府预案的衔接写在 `links.upper` 中。
    pub(crate) struct IllegalParent {
        code: "H202",
        name: "illegal-parent",
        severity: Error,
        stage: Corpus,
        summary: ("上级预案的类别、行政区或企业不合法", "parent of an illegal kind, jurisdiction or enterprise"),
    }
}

impl Rule for IllegalParent {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check_docs(&self, cx: &Context, docs: Range<usize>, out: &mut Vec<Diagnostic>) {
        for d in cx.docs_in(docs) {
            let (Some(kind), Some(pid)) = (d.kind, d.parent()) else {
                continue;
            };
            // a document here, or an external plan of the registry
            let (pkind, parent_enterprise, external) = match cx.corpus.doc(pid) {
                Some(parent) => match parent.kind {
                    // a parent whose front matter failed its schema (F003): its kind is known,
                    // whether it is an enterprise's only from its untyped front matter
                    Some(k) => {
                        let enterprise = match cx.corpus.by_id.get(pid) {
                            Some(&i) if parent.is_broken() => cx
                                .broken()
                                .is_enterprise(i)
                                .unwrap_or_else(|| parent.is_enterprise()),
                            _ => parent.is_enterprise(),
                        };
                        (k, enterprise, None)
                    }
                    None => continue,
                },
                None => match cx.corpus.registry.external_plan(pid) {
                    Some(e) => (e.kind, e.is_enterprise(), Some(e)),
                    None => continue,
                },
            };
            let enterprise = d.is_enterprise();
            let allowed = allowed_parents(kind, enterprise);
            let wrong_kind = !allowed.contains(&pkind) || parent_enterprise != enterprise;
            if wrong_kind {
                let list = allowed
                    .iter()
                    .map(|k| format!("{}（{}）", k.zh(), k.as_str()))
                    .collect::<Vec<_>>()
                    .join("、");
                let list_en = allowed
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                let (pz, pe) = (pkind.zh(), pkind.as_str());
                let side = |e: bool| {
                    if e {
                        ("企业", "enterprise")
                    } else {
                        ("政府", "government")
                    }
                };
                let ((sz, se), (ppz, ppe)) = (side(enterprise), side(parent_enterprise));
                let (kz, ke) = (kind.zh(), kind.as_str());
                let mut diag = at_doc(&Self::INFO, d, "/parent", text!(
                    "上级预案 `{pid}` 是{ppz}{pz}，{sz}{kz}只能挂在 {list} 之下",
                    "parent `{pid}` is a {ppe} {pe} plan; a {se} {ke} plan may only hang under {list_en}",
                ));
                diag = if enterprise && !parent_enterprise {
                    diag.help(text!(
                        "企业预案与政府预案的衔接请写在 `links.upper` 中",
                        "link an enterprise plan to the government plan with `links.upper`"
                    ))
                } else {
                    diag.help(text!("把 `parent` 改为 {list} 的 id（docs/format.md §1 列出各类别的上级）", "point `parent` at a {list_en} plan (docs/format.md §1 lists the parents of each kind)"))
                };
                out.push(diag);
                continue;
            }
            if let Some(parent) = cx.corpus.doc(pid).filter(|p| p.is_broken()) {
                out.push(skipped(
                    &Self::INFO,
                    d,
                    "/parent",
                    parent,
                    (
                        "对上级预案的单位和行政区的检查",
                        "the check of the parent's enterprise and jurisdiction was",
                    ),
                ));
                continue;
            }
            // Same enterprise.
            let ent = |doc: &crate::model::Document| -> Option<String> {
                doc.plan()
                    .and_then(|p| p.enterprise.clone())
                    .or(doc.card().map(|c| c.enterprise.clone()))
            };
            if enterprise {
                // an external plan names no enterprise: nothing to compare
                let Some(parent) = cx.corpus.doc(pid) else {
                    continue;
                };
                if let (Some(a), Some(b)) = (ent(d), ent(parent)) {
                    if a != b {
                        out.push(at_doc(
                            &Self::INFO,
                            d,
                            "/parent",
                            text!(
                            "上级预案 `{pid}` 属于企业 `{b}`，本文档属于 `{a}`",
                            "parent `{pid}` belongs to enterprise `{b}`, this document to `{a}`"
                        ),
                        ));
                    }
                }
                continue;
            }
            // Government: jurisdiction relations.
            let Some(p) = d.plan() else { continue };
            let pj = match (external, cx.corpus.plan(pid)) {
                (Some(e), _) => match &e.jurisdiction {
                    Some(j) => j,
                    None => continue, // a jurisdiction the registry does not hold
                },
                (None, Some(pp)) => &pp.jurisdiction,
                (None, None) => continue,
            };
            let j = &p.jurisdiction;
            match kind {
                Kind::Overall => {
                    let expected = hierarchy::parent_jurisdiction(cx.corpus, j);
                    if expected.is_some_and(|e| e != pj) {
                        let e = expected.unwrap_or_default();
                        out.push(at_doc(&Self::INFO, d, "/parent", text!(
                            "总体预案的上级应为上一级行政区 `{e}` 的总体预案，而 `{pid}` 属于 `{pj}`",
                            "an overall plan's parent must be the overall plan of `{e}`, the jurisdiction one level up; `{pid}` belongs to `{pj}`"
                        )));
                    }
                }
                Kind::Special | Kind::Department if j != pj => {
                    out.push(at_doc(&Self::INFO, d, "/parent", text!(
                        "上级预案 `{pid}` 属于 `{pj}`，应为本级 `{j}` 的预案",
                        "parent `{pid}` belongs to `{pj}`; it must be a plan of the same jurisdiction `{j}`"
                    )).help(text!("跨层级的衔接请写在 `links.upper` 中", "link to plans of the level above with `links.upper`")));
                }
                Kind::Grassroots if j != pj && !hierarchy::is_ancestor(cx.corpus, pj, j) => {
                    out.push(at_doc(&Self::INFO, d, "/parent", text!(
                        "上级预案 `{pid}` 属于 `{pj}`，不是 `{j}` 或其上级行政区",
                        "parent `{pid}` belongs to `{pj}`, neither `{j}` nor a jurisdiction above it"
                    )));
                }
                _ => {}
            }
        }
    }
}
