use crate::check::util::{at_doc, did_you_mean, suggest, Suggester};
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::model::drill::DrillMeta;
use crate::model::meta::Kind;
use crate::model::Document;
use crate::text;

declare_rule! {
    /// 演练记录引用的预案、条款或单位不存在 · Drill cites an unknown plan, clause or unit
    ///
    /// ## What it checks · 检查内容
    /// A drill record (`kind: drill`) names the plans it exercises (`plans[].plan`), optionally
    /// their clauses (`plans[].clauses`), the clause each inject tests (`injects[].clause`), the
    /// plan and clause each finding concerns (`findings[].plan`, `findings[].clause`), the
    /// plan and clause each corrective action revises and the findings it answers, and its
    /// organising unit (`organizer`, an organisation of the registry). Every one must exist:
    /// plans are plan documents, clauses are headings of those plans (numbering ignored; a
    /// plain, bold or label line that stands for a heading in a Word export counts too),
    /// findings are ids of the record's own `findings`.
    ///
    /// 演练记录引用的预案、章节、问题编号和组织单位必须存在。
    ///
    /// ## Why it matters · 为什么重要
    /// A drill tests a plan (《突发事件应急演练指南》（应急办函〔2009〕62号）: units "simulate the response
    /// … according to the relevant plans"), and what it finds must flow back into that plan
    /// (《生产安全事故应急预案管理办法》第三十六条第（五）项). A record pointing at a renamed plan or a deleted
    /// clause breaks that loop, and the plan's drill cadence (E005) no longer sees the drill.
    ///
    /// 演练检验的是预案（《突发事件应急演练指南》：依据有关应急预案模拟应对突发事件），
    /// 演练发现的问题要反馈到预案（《生产安全事故应急预案管理办法》第三十六条第（五）
    /// 项）。演练记录指向已改名的预案或已删除的条款，这一闭环就断了，预案的演练周期（E005）
    /// 也看不到这次演练。
    ///
    /// ## Example · 示例
    /// ```yaml
    /// plans:
    ///   - plan: qx-flod          # the plan is qx-flood
    ///     clauses: [应急响应]
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Cite an existing plan id (`yuan list`) and a heading the plan has now.
    ///
    /// 引用存在的预案 id（`yuan list`）和预案现有的标题。
    pub(crate) struct DrillReferenceUnknown {
        code: "E001",
        name: "drill-reference-unknown",
        severity: Error,
        stage: Corpus,
        summary: ("演练记录引用的预案、条款或单位不存在", "drill cites an unknown plan, clause or unit"),
    }
}

/// The exercised plans of a drill that exist, with the documents.
fn exercised<'a>(cx: &'a Context, dr: &DrillMeta) -> Vec<(&'a str, &'a Document)> {
    dr.plans
        .iter()
        .filter_map(|p| {
            let doc = cx.corpus.doc(&p.plan)?;
            match doc.plan() {
                Some(m) => Some((m.id.as_str(), doc)),
                // its front matter failed its schema (F003), its body did not: its headings
                // are the clauses a drill cites, so they are still checked
                None if is_broken_plan(doc) => doc.id.as_deref().map(|id| (id, doc)),
                None => None,
            }
        })
        .collect()
}

/// A document whose front matter failed its schema (F003) and may be a plan: its kind is a
/// plan's, or unknown (the wrong type is in `kind` itself).
fn is_broken_plan(doc: &Document) -> bool {
    doc.is_broken()
        && doc
            .kind
            .is_none_or(|k| !matches!(k, Kind::Card | Kind::Drill))
}

fn clause_help() -> crate::diag::Text {
    text!(
        "引用预案现有的章节标题（编号可省略）",
        "cite a heading the plan has now (numbering may be left out)"
    )
}

impl Rule for DrillReferenceUnknown {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let mut near = Suggester::default();
        for d in &cx.corpus.docs {
            let Some(dr) = d.drill() else { continue };
            for (i, p) in dr.plans.iter().enumerate() {
                let pid = &p.plan;
                match cx.corpus.doc(pid) {
                    Some(doc) if doc.plan().is_some() || is_broken_plan(doc) => {
                        for (j, c) in p.clauses.iter().enumerate() {
                            if !doc.has_clause(c) {
                                out.push(
                                    at_doc(
                                        &Self::INFO,
                                        d,
                                        &format!("/plans/{i}/clauses/{j}"),
                                        text!(
                                            "预案 `{pid}` 中没有条款“{c}”",
                                            "plan `{pid}` has no clause \"{c}\""
                                        ),
                                    )
                                    .help(clause_help()),
                                );
                            }
                        }
                    }
                    Some(_) => out.push(
                        at_doc(
                            &Self::INFO,
                            d,
                            &format!("/plans/{i}/plan"),
                            text!("`{pid}` 不是预案", "`{pid}` is not a plan"),
                        )
                        .help(text!(
                            "演练针对预案（处置卡和演练记录不能作为演练对象）",
                            "a drill exercises plans (not cards or other drill records)"
                        )),
                    ),
                    None => {
                        let (zh, en) = near.did_you_mean("plan", pid, || {
                            cx.corpus
                                .docs
                                .iter()
                                .filter_map(|x| x.plan().map(|m| m.id.as_str()))
                        });
                        out.push(
                            at_doc(
                                &Self::INFO,
                                d,
                                &format!("/plans/{i}/plan"),
                                text!("预案 `{pid}` 不存在{zh}", "plan `{pid}` does not exist{en}"),
                            )
                            .help(text!(
                                "`yuan list` 可列出全部预案 id",
                                "`yuan list` shows every plan id"
                            )),
                        );
                    }
                }
            }
            let plans = exercised(cx, dr);
            let names = plans
                .iter()
                .map(|(id, _)| *id)
                .collect::<Vec<_>>()
                .join("、");
            let (nz, ne) = crate::check::util::paren(&names, &names.replace('、', ", "));
            for (k, inj) in dr.injects.iter().enumerate() {
                let Some(c) = &inj.clause else { continue };
                if !plans.is_empty() && plans.iter().all(|(_, doc)| !doc.has_clause(c)) {
                    out.push(
                        at_doc(
                            &Self::INFO,
                            d,
                            &format!("/injects/{k}/clause"),
                            text!(
                                "所演练的预案{nz}中没有条款“{c}”",
                                "no exercised plan{ne} has a clause \"{c}\""
                            ),
                        )
                        .help(clause_help()),
                    );
                }
            }
            for (k, f) in dr.findings.iter().enumerate() {
                let targets: Vec<_> = match &f.plan {
                    Some(pid) => {
                        let t: Vec<_> = plans.iter().filter(|(id, _)| id == pid).collect();
                        if t.is_empty() && !plans.is_empty() {
                            out.push(
                                at_doc(
                                    &Self::INFO,
                                    d,
                                    &format!("/findings/{k}/plan"),
                                    text!(
                                        "问题指向的预案 `{pid}` 不在本次演练的预案中{nz}",
                                        "finding names plan `{pid}`, which this drill does not exercise{ne}"
                                    ),
                                )
                                .help(text!(
                                    "写所演练的预案 id（见 `plans`）",
                                    "name an exercised plan (see `plans`)"
                                )),
                            );
                        }
                        t
                    }
                    None => plans.iter().collect(),
                };
                let Some(c) = &f.clause else { continue };
                if !targets.is_empty() && targets.iter().all(|(_, doc)| !doc.has_clause(c)) {
                    out.push(
                        at_doc(
                            &Self::INFO,
                            d,
                            &format!("/findings/{k}/clause"),
                            text!(
                                "所演练的预案{nz}中没有条款“{c}”",
                                "no exercised plan{ne} has a clause \"{c}\""
                            ),
                        )
                        .help(clause_help()),
                    );
                }
            }
            let finding_ids: Vec<&str> = dr.findings.iter().map(|f| f.id.as_str()).collect();
            for (k, a) in dr.corrective_actions.iter().enumerate() {
                for (j, f) in a.findings.iter().enumerate() {
                    if !finding_ids.contains(&f.as_str()) {
                        let (zh, en) = did_you_mean(&suggest(f, finding_ids.iter().copied()));
                        out.push(
                            at_doc(
                                &Self::INFO,
                                d,
                                &format!("/corrective_actions/{k}/findings/{j}"),
                                text!(
                                    "本记录没有编号为 `{f}` 的问题{zh}",
                                    "this record has no finding `{f}`{en}"
                                ),
                            )
                            .help(text!(
                                "引用 `findings` 中的 `id`",
                                "cite an `id` of `findings`"
                            )),
                        );
                    }
                }
                let target = match &a.plan {
                    Some(pid) => match plans.iter().find(|(id, _)| id == pid) {
                        Some(t) => Some(*t),
                        None => {
                            out.push(
                                at_doc(
                                    &Self::INFO,
                                    d,
                                    &format!("/corrective_actions/{k}/plan"),
                                    text!(
                                        "整改措施指向的预案 `{pid}` 不在本次演练的预案中{nz}",
                                        "corrective action names plan `{pid}`, which this drill does not exercise{ne}"
                                    ),
                                )
                                .help(text!(
                                    "在 `plans` 中列出该预案，或改为所演练的预案",
                                    "list the plan under `plans`, or name an exercised plan"
                                )),
                            );
                            None
                        }
                    },
                    None if plans.len() == 1 => plans.first().copied(),
                    None => None,
                };
                if let (Some(c), Some((pid, doc))) = (&a.clause, target) {
                    if !doc.has_clause(c) {
                        out.push(
                            at_doc(
                                &Self::INFO,
                                d,
                                &format!("/corrective_actions/{k}/clause"),
                                text!(
                                    "预案 `{pid}` 中没有条款“{c}”",
                                    "plan `{pid}` has no clause \"{c}\""
                                ),
                            )
                            .help(clause_help()),
                        );
                    }
                } else if a.clause.is_some() && a.plan.is_none() && plans.len() > 1 {
                    out.push(
                        at_doc(
                            &Self::INFO,
                            d,
                            &format!("/corrective_actions/{k}/clause"),
                            text!(
                                "演练涉及多个预案（{names}），整改条款需指明预案",
                                "the drill exercises several plans ({names}): say which one the clause belongs to"
                            ),
                        )
                        .help(text!(
                            "添加 `plan:`，写明要修订的预案 id",
                            "add `plan:` with the id of the plan to revise"
                        )),
                    );
                }
            }
            let org = &dr.organizer;
            if !cx.corpus.registry.organizations.is_empty()
                && cx.corpus.registry.organization(org).is_none()
            {
                let (zh, en) = near.did_you_mean("organization", org, || {
                    cx.corpus
                        .registry
                        .organizations
                        .iter()
                        .map(|e| e.item.id.as_str())
                });
                out.push(
                    at_doc(
                        &Self::INFO,
                        d,
                        "/organizer",
                        text!(
                            "组织单位 `{org}` 不在登记册中{zh}",
                            "organising unit `{org}` is not in the registry{en}"
                        ),
                    )
                    .help(text!(
                        "在 registry 的 `organizations` 中登记该单位，或改用已登记的 id",
                        "add the unit to `organizations` in the registry, or use a registered id"
                    )),
                );
            }
        }
    }
}
