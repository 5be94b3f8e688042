use crate::check::util::at_doc;
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::text;
use std::ops::Range;

declare_rule! {
    /// 处置卡判断步骤指向不存在的步骤 · Card decision points at a missing step
    ///
    /// ## What it checks · 检查内容
    /// A card step with `decision: { yes: N, no: M }` sends the reader to steps that exist
    /// (1 … number of steps) and not back to itself.
    ///
    /// 处置卡判断步骤的“是/否”去向必须是存在的步骤编号，且不能指向自身。
    ///
    /// ## Why it matters · 为什么重要
    /// The card is what a frightened operator follows in the first minutes
    /// (《生产安全事故应急预案管理办法》第十九条). "火势能否控制？否 → 第 9 步" on a card with 8 steps
    /// leaves them with no instruction exactly at the fork that matters.
    ///
    /// 处置卡是惊慌的操作人员在最初几分钟照着做的东西（《生产安全事故应急预案管理办法》
    /// 第十九条）。8 步的卡片上写“火势能否控制？否 → 第 9 步”，恰恰在最关键的分岔处没有了指令。
    ///
    /// ## Example · 示例
    /// ```yaml
    /// steps:
    ///   - { action: 火势能否控制？, decision: { yes: 2, no: 9 } }   # there is no step 9
    ///   - { action: 使用灭火器灭火 }
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Point `yes` and `no` at the steps to take, counting from 1; add the missing step.
    ///
    /// 把 `yes` 和 `no` 指向要执行的步骤（从 1 开始计数）；补上缺少的步骤。
    pub(crate) struct CardDecisionInvalid {
        code: "R406",
        name: "card-decision-invalid",
        severity: Error,
        stage: Corpus,
        summary: ("处置卡判断步骤指向不存在的步骤", "card decision points at a missing step"),
    }
}

impl Rule for CardDecisionInvalid {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check_docs(&self, cx: &Context, docs: Range<usize>, out: &mut Vec<Diagnostic>) {
        for d in cx.docs_in(docs) {
            let Some(card) = d.card() else { continue };
            let n = card.steps.len() as u32;
            for (i, s) in card.steps.iter().enumerate() {
                let Some(dec) = &s.decision else { continue };
                let this = i as u32 + 1;
                for (branch, target, (zh, en)) in [
                    ("yes", dec.yes, ("是", "yes")),
                    ("no", dec.no, ("否", "no")),
                ] {
                    if target == 0 || target > n || target == this {
                        out.push(at_doc(&Self::INFO, d, &format!("/steps/{i}/decision/{branch}"), text!(
                            "第 {this} 步判断为“{zh}”时转到第 {target} 步，但卡上只有第 1–{n} 步（且不能转回本步）",
                            "step {this}, answer {en}: goes to step {target}, but the card has steps 1–{n} (and cannot loop to itself)"
                        )).help(text!("`yes`/`no` 填写要转到的步骤序号（从 1 起）", "set `yes`/`no` to the step number to go to, counting from 1")));
                    }
                }
            }
        }
    }
}
