use crate::check::util::at_doc;
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::model::drill::{ActionStatus, DrillStatus};
use crate::text;

declare_rule! {
    /// 整改措施逾期未完成 · Corrective action past due
    ///
    /// ## What it checks · 检查内容
    /// A corrective action of a drill record with `status: open` whose `due` date lies before
    /// today (`--today`, `[check] today` or the system date). Cancelled drills are not checked.
    ///
    /// 整改措施状态为未完成（`open`）且已超过完成时限。
    ///
    /// ## Why it matters · 为什么重要
    /// Problems found in drills must be fixed and the plans revised (《生产安全事故应急预案管理办法》
    /// 第三十六条第（五）项; 《生产安全事故应急条例》第八条第三款: authorities spot-check drills and
    /// order corrections). An
    /// open action past its deadline is a known weakness nobody is fixing.
    ///
    /// 演练发现的问题要整改并修订预案（《生产安全事故应急预案管理办法》第三十六条第（五）
    /// 项；《生产安全事故应急条例》第八条第三款：主管部门抽查演练并责令整改）。过期未完成的整改是已知而无人处理的薄弱环节。
    ///
    /// ## Example · 示例
    /// ```yaml
    /// corrective_actions:
    ///   - { findings: [F1], description: 增设罐区东侧广播, owner: hd-safety, due: 2026-06-30, status: open }
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Finish the action and set `status: done` (with `closed:`), or agree a new due date.
    ///
    /// 完成整改并设 `status: done`（填写 `closed:`），或商定新的期限。
    pub(crate) struct CorrectiveActionOverdue {
        code: "E004",
        name: "corrective-action-overdue",
        severity: Error,
        stage: Corpus,
        summary: ("整改措施逾期未完成", "corrective action past due"),
    }
}

impl Rule for CorrectiveActionOverdue {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for d in &cx.corpus.docs {
            let Some(dr) = d.drill() else { continue };
            if dr.status == DrillStatus::Cancelled {
                continue;
            }
            for (i, a) in dr.corrective_actions.iter().enumerate() {
                if a.status != ActionStatus::Open || a.due >= cx.today {
                    continue;
                }
                let (due, owner) = (a.due, &a.owner);
                let late = (cx.today - due).num_days();
                out.push(
                    at_doc(
                        &Self::INFO,
                        d,
                        &format!("/corrective_actions/{i}/due"),
                        text!(
                            "整改措施已逾期 {late} 天（应于 {due} 前完成，责任单位 {owner}）",
                            "corrective action overdue by {late} days (due {due}, owner {owner})"
                        ),
                    )
                    .help(text!(
                        "完成后改为 `status: done` 并填写 `closed:`，或重新商定完成时限",
                        "when finished set `status: done` with `closed:`, or agree a new due date"
                    )),
                );
            }
        }
    }
}
