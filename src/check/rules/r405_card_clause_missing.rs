use crate::check::util::at_doc;
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::text;
use std::ops::Range;

declare_rule! {
    /// 处置卡引用的条款不存在 · Card cites a clause its plan no longer has
    ///
    /// ## What it checks · 检查内容
    /// Each card step's `clause` names a heading of the card's parent on-site plan (numbering
    /// ignored), so every step stays traceable to the procedure it comes from.
    ///
    /// 处置卡步骤的 `clause` 必须是其现场处置方案中存在的章节标题。
    ///
    /// ## Why it matters · 为什么重要
    /// A disposal card summarises its plan's procedure for one post (《生产安全事故应急预案管理办法》
    /// 第十九条). When the plan's clause is renamed or removed, the card may be teaching a procedure
    /// the plan no longer contains: it must be reviewed before it is printed again.
    ///
    /// 处置卡为一个岗位概括所属方案的处置程序（《生产安全事故应急预案管理办法》第十九条）。
    /// 方案条款改名或删除后，卡片教的可能是方案已不再包含的程序，再次印刷前必须复核。
    ///
    /// ## Example · 示例
    /// ```yaml
    /// steps:
    ///   - { action: 关闭进料阀XV-1012, clause: 紧急停车 }   # the plan has no heading 紧急停车
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Review the step against the current plan; cite the heading that now holds it.
    ///
    /// 对照现行方案复核该步骤，引用现在包含它的标题。
    pub(crate) struct CardClauseMissing {
        code: "R405",
        name: "card-clause-missing",
        severity: Error,
        stage: Corpus,
        summary: ("处置卡步骤引用的方案条款不存在", "card step cites a missing clause of its plan"),
    }
}

impl Rule for CardClauseMissing {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check_docs(&self, cx: &Context, docs: Range<usize>, out: &mut Vec<Diagnostic>) {
        for d in cx.docs_in(docs) {
            let Some(card) = d.card() else { continue };
            let Some(plan) = cx.corpus.doc(&card.parent) else {
                continue;
            };
            for (i, s) in card.steps.iter().enumerate() {
                let Some(clause) = &s.clause else { continue };
                if !plan.has_clause(clause) {
                    let pid = &card.parent;
                    out.push(
                        at_doc(
                            &Self::INFO,
                            d,
                            &format!("/steps/{i}/clause"),
                            text!(
                                "现场处置方案 `{pid}` 中没有条款“{clause}”",
                                "the on-site plan `{pid}` has no clause \"{clause}\""
                            ),
                        )
                        .help(text!(
                            "对照现行方案复核此步骤，并引用现有章节标题",
                            "review the step against the current plan and cite an existing heading"
                        )),
                    );
                }
            }
        }
    }
}
