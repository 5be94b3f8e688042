use crate::check::broken::skipped;
use crate::check::util::at_doc;
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::model::hierarchy::level_of;
use crate::model::meta::{Kind, Level};
use crate::text;
use std::collections::BTreeMap;

declare_rule! {
    /// 行政区缺少总体预案 · Jurisdiction without an overall plan
    ///
    /// ## What it checks · 检查内容
    /// Every jurisdiction at county level or above that has government plans in the repository
    /// also has its overall plan (`kind: overall`), and no jurisdiction has two (a revised overall
    /// plan replaces the old one; mark the old one `status: superseded`). Reported once per
    /// jurisdiction, at its first plan. An overall plan declared in the registry's
    /// `external_plans` (kept by that government, outside the repository) counts as present.
    ///
    /// 县级以上行政区有政府预案时，必须有本级总体应急预案。
    ///
    /// ## Why it matters · 为什么重要
    /// 《突发事件应急预案管理办法》（2013）第七条: people's governments at county level and above make an
    /// overall plan, the 总纲 under which the special and departmental plans (the "N" and "X")
    /// sit. Without it the special plans have no parent and no common command structure.
    ///
    /// 《突发事件应急预案管理办法》（2013）第七条：县级以上人民政府制定总体预案，
    /// 专项和部门预案都在其下。没有总体预案，专项预案就没有上级，也没有共同的指挥体系。
    ///
    /// ## Example · 示例
    /// `county/qx-flood.md` exists but no document has `kind: overall` and `jurisdiction: qx`.
    ///
    /// ## How to fix · 如何修改
    /// Add the overall plan (`yuan new overall --level county --id qx-overall`), declare it in
    /// `external_plans` when it is kept elsewhere, or correct the plans' `jurisdiction`.
    ///
    /// 添加总体预案（`yuan new overall --level county --id qx-overall`），
    /// 由他处保管的在 `external_plans` 中登记，或改正各预案的 `jurisdiction`。
    pub(crate) struct JurisdictionWithoutOverall {
        code: "H204",
        name: "jurisdiction-without-overall",
        severity: Error,
        stage: Corpus,
        summary: ("县级以上行政区缺少总体预案或有多个", "jurisdiction at county level or above has no (or several) overall plans"),
    }
}

impl Rule for JurisdictionWithoutOverall {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let mut with_overall = crate::model::FastSet::default();
        let mut overall_of: BTreeMap<&str, Vec<&crate::model::Document>> = BTreeMap::new();
        let mut first_plan = BTreeMap::new();
        // an overall plan kept outside the repository counts for its jurisdiction
        for e in &cx.corpus.registry.external_plans {
            if let (Kind::Overall, Some(j)) = (e.item.kind, &e.item.jurisdiction) {
                with_overall.insert(j.as_str());
            }
        }
        for d in &cx.corpus.docs {
            let Some(p) = d.plan() else { continue };
            if p.enterprise.is_some() {
                continue;
            }
            if p.kind == Kind::Overall {
                with_overall.insert(p.jurisdiction.as_str());
                if p.status != Some(crate::model::meta::Status::Superseded) {
                    overall_of
                        .entry(p.jurisdiction.as_str())
                        .or_default()
                        .push(d);
                }
            }
            let county_or_above = level_of(cx.corpus, p).is_some_and(|l| l <= Level::County);
            if county_or_above {
                first_plan.entry(p.jurisdiction.as_str()).or_insert(d);
            }
        }
        for (j, docs) in overall_of.into_iter().filter(|(_, v)| v.len() > 1) {
            let ids = docs
                .iter()
                .filter_map(|d| d.id.as_deref())
                .collect::<Vec<_>>()
                .join(", ");
            for d in docs.iter().skip(1) {
                out.push(at_doc(&Self::INFO, d, "/kind", text!("`{j}` 有多个现行总体应急预案：{ids}", "`{j}` has more than one overall plan in force: {ids}"))
                    .help(text!("旧版标注 `status: superseded`，或删除（git 会保留历史）", "mark the old one `status: superseded`, or delete it (git keeps its history)")));
            }
        }
        for (j, d) in first_plan {
            if !with_overall.contains(j) {
                let name = cx
                    .corpus
                    .registry
                    .jurisdiction(j)
                    .map_or(j, |x| x.name.as_str());
                // an overall plan that failed its schema (F003) may be this one
                if let Some(b) = cx.broken().may_be(cx.corpus, &[Kind::Overall], |u| {
                    u.may_equal("jurisdiction", j) && u.lacks("enterprise")
                }) {
                    out.push(skipped(
                        &Self::INFO,
                        d,
                        "/jurisdiction",
                        b,
                        (
                            &format!("对{name}（`{j}`）是否有总体应急预案的检查"),
                            &format!("the check that {name} (`{j}`) has an overall plan was"),
                        ),
                    ));
                    continue;
                }
                out.push(
                    at_doc(
                        &Self::INFO,
                        d,
                        "/jurisdiction",
                        text!(
                            "{name}（`{j}`）没有总体应急预案",
                            "{name} (`{j}`) has no overall plan"
                        ),
                    )
                    .help(text!(
                        "添加本级总体预案：`yuan new overall --id {j}-overall`；若由他处保管，请登记在 registry/ 的 `external_plans` 中",
                        "add its overall plan: `yuan new overall --id {j}-overall`; if it is kept elsewhere, declare it in `external_plans` of registry/"
                    )),
                );
            }
        }
    }
}
