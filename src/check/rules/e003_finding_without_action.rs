use crate::check::util::at_doc;
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::text;

declare_rule! {
    /// 演练发现的问题没有整改措施 · Finding without a corrective action
    ///
    /// ## What it checks · 检查内容
    /// Every entry of a drill record's `findings` is answered by at least one entry of
    /// `corrective_actions` that lists its `id` under `findings`.
    ///
    /// 演练记录中的每个问题（`findings`）都要有对应的整改措施（`corrective_actions[].findings`）。
    ///
    /// ## Why it matters · 为什么重要
    /// What a drill finds must be fixed (整改) and fed back into the plans: 《突发事件应急演练指南》
    /// （应急办函〔2009〕62号）成果运用, 《生产安全事故应急预案管理办法》第三十四条 and 第三十六条
    /// 第（五）项. A finding
    /// with no owner and no deadline is usually still open at the next drill.
    ///
    /// 演练发现的问题要整改并反馈到预案：《突发事件应急演练指南》成果运用，《生产安全事故应急预案管理办法》
    /// 第三十四条和第三十六条第（五）项。没有责任人和期限的问题，到下次演练时通常仍未解决。
    ///
    /// ## Example · 示例
    /// ```yaml
    /// findings:
    ///   - { id: F1, description: 应急广播覆盖不到罐区东侧 }
    /// corrective_actions: []
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Add a corrective action with `findings: [F1]`, an owner, a due date and a status.
    ///
    /// 添加整改措施，写明 `findings: [F1]`、责任人、期限和状态。
    pub(crate) struct FindingWithoutAction {
        code: "E003",
        name: "finding-without-action",
        severity: Warning,
        stage: Corpus,
        summary: ("演练发现的问题没有整改措施", "drill finding without a corrective action"),
    }
}

impl Rule for FindingWithoutAction {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        for d in &cx.corpus.docs {
            let Some(dr) = d.drill() else { continue };
            for (i, f) in dr.findings.iter().enumerate() {
                let answered = dr
                    .corrective_actions
                    .iter()
                    .any(|a| a.findings.iter().any(|x| x == &f.id));
                if answered {
                    continue;
                }
                let id = &f.id;
                out.push(
                    at_doc(
                        &Self::INFO,
                        d,
                        &format!("/findings/{i}/id"),
                        text!(
                            "问题 `{id}` 没有整改措施",
                            "finding `{id}` has no corrective action"
                        ),
                    )
                    .help(text!(
                        "在 `corrective_actions` 中添加一项，写明 `findings: [{id}]`、责任单位、完成时限和状态",
                        "add a corrective action with `findings: [{id}]`, an owner, a due date and a status"
                    )),
                );
            }
        }
    }
}
