use crate::check::util::at_doc;
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::text;

declare_rule! {
    /// 已实施的演练没有评估 · Done drill without an evaluation
    ///
    /// ## What it checks · 检查内容
    /// A drill record with `status: done` has an `evaluation` in which at least one dimension
    /// (`execution`, `plan_soundness`, `coordination`, `responders`, `equipment`) or the
    /// `conclusion` is written.
    ///
    /// 状态为已实施（`done`）的演练记录必须填写评估（`evaluation`）。
    ///
    /// ## Why it matters · 为什么重要
    /// Drills are evaluated after they are held: 《突发事件应急预案管理办法》（2013）第二十三条 lists
    /// what the evaluation covers (execution, the plan's soundness and operability, command and
    /// coordination, responders, equipment, suggestions); 《生产安全事故应急预案管理办法》
    /// 第三十四条 asks enterprises for a 演练评估报告 (wording unconfirmed); AQ/T 9009-2015 sets out
    /// how. Without it the drill
    /// cannot show whether the plan works.
    ///
    /// 演练后要评估：《突发事件应急预案管理办法》（2013）第二十三条列出评估内容（演练执行情况、
    /// 预案的合理性与可操作性、指挥协调、应急人员处置、设备装备适用性、意见建议）；
    /// 《生产安全事故应急预案管理办法》第三十四条要求企业编写演练评估报告（措辞未经核实）；
    /// AQ/T 9009-2015 规定评估方法。没有评估，演练就无法说明预案是否可用。
    ///
    /// ## Example · 示例
    /// ```yaml
    /// status: done
    /// date: 2026-05-12
    /// # no evaluation
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Record the evaluation: at least the conclusion, ideally every dimension.
    ///
    /// 记录评估：至少写结论，最好逐项填写各评估维度。
    pub(crate) struct DrillNotEvaluated {
        code: "E002",
        name: "drill-not-evaluated",
        severity: Warning,
        stage: Corpus,
        summary: ("已实施的演练没有评估", "done drill without an evaluation"),
    }
}

impl Rule for DrillNotEvaluated {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for d in &cx.corpus.docs {
            let Some(dr) = d.drill() else { continue };
            if !dr.is_done() || dr.evaluation.as_ref().is_some_and(|e| e.is_written()) {
                continue;
            }
            let date = dr.date;
            let pointer = if dr.evaluation.is_some() {
                "/evaluation"
            } else {
                "/status"
            };
            out.push(
                at_doc(
                    &Self::INFO,
                    d,
                    pointer,
                    text!(
                        "演练已于 {date} 实施，但没有评估内容",
                        "the drill was held on {date} but has no evaluation"
                    ),
                )
                .help(text!(
                    "在 `evaluation` 中填写执行情况、预案合理性与可操作性、指挥协调、人员处置、装备适用性和评估结论",
                    "fill in `evaluation`: execution, plan_soundness, coordination, responders, equipment and conclusion"
                )),
            );
        }
    }
}
