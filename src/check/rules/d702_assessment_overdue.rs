use crate::check::util::at_doc;
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::{Diagnostic, Severity};
use crate::model::meta::Status;
use crate::text;
use chrono::Months;
use std::ops::Range;

declare_rule! {
    /// 预案评估逾期 · Plan assessment overdue
    ///
    /// ## What it checks · 检查内容
    /// A plan in force is assessed at least every `[check] assessment_interval_months` (default
    /// 36) counted from `dates.assessed`, or from `dates.issued` if it was never assessed. Overdue
    /// is an error; due within `[check] assessment_warn_days` (default 90) is a warning. Drafts,
    /// superseded plans and cards (which follow their plan) are not checked. A month only
    /// (`issued: 2024-06`) counts from its first day, so the assessment falls due as early as the
    /// value allows, and the message says so.
    ///
    /// 预案至少每 3 年评估一次（自上次评估或印发起算）；逾期为错误，90 天内到期为警告。只写到月的日期按该月第一天起算。
    ///
    /// ## Why it matters · 为什么重要
    /// 《突发事件应急预案管理办法》（2024）: plans of governments at county level and above and of
    /// their departments are evaluated in principle every 3 years (the article number is
    /// unconfirmed; the period is reported by secondary sources); 《生产安全事故应急预案管理办法》
    /// 第三十五条: high-risk and medium-or-larger enterprises every 3 years. Assessment decides
    /// whether the plan must be revised.
    ///
    /// 《突发事件应急预案管理办法》（2024）：县级以上人民政府及其部门的应急预案原则上每 3 年评估一次（条款号未经核实）；
    /// 《生产安全事故应急预案管理办法》第三十五条：高危行业和中型以上企业每 3 年评估一次。
    /// 评估决定预案是否需要修订。
    ///
    /// ## Example · 示例
    /// ```yaml
    /// dates: { issued: 2021-05-01, effective: 2021-05-01 }   # no assessment since
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Assess the plan (评估), revise it if needed, and record the date in `dates.assessed`.
    ///
    /// 组织评估，需要时修订预案，并在 `dates.assessed` 中记录评估日期。
    pub(crate) struct AssessmentOverdue {
        code: "D702",
        name: "assessment-overdue",
        severity: Error,
        stage: Corpus,
        summary: ("预案超过 3 年未评估", "plan not assessed within 3 years"),
    }
}

impl Rule for AssessmentOverdue {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check_docs(&self, cx: &Context, docs: Range<usize>, out: &mut Vec<Diagnostic>) {
        let months = cx.config.check.assessment_interval_months;
        let warn = i64::from(cx.config.check.assessment_warn_days);
        for d in cx.docs_in(docs) {
            let Some(p) = d.plan() else { continue };
            if matches!(p.status, Some(Status::Draft | Status::Superseded)) {
                continue;
            }
            let (last, pointer, (fz, fe)) = match p.dates.assessed {
                Some(a) => (a, "/dates/assessed", ("上次评估", "last assessed")),
                None => (
                    p.dates.issued,
                    "/dates/issued",
                    ("印发后未评估，印发于", "never assessed; issued"),
                ),
            };
            // a month only counts from its first day: the assessment falls due as early as the
            // value allows
            let Some(due) = last.first().checked_add_months(Months::new(months)) else {
                continue;
            };
            let (nz, ne) = last.counted_from();
            let left = (due - cx.today).num_days();
            if left < 0 {
                let late = -left;
                out.push(
                    at_doc(
                        &Self::INFO,
                        d,
                        pointer,
                        text!(
                            "预案评估已逾期 {late} 天（{fz} {last}，应于 {due} 前评估）{nz}",
                            "assessment overdue by {late} days ({fe} {last}; due {due}){ne}"
                        ),
                    )
                    .help(text!(
                        "开展评估并在 `dates.assessed` 中记录日期",
                        "assess the plan and record the date in `dates.assessed`"
                    )),
                );
            } else if left <= warn {
                let mut diag = at_doc(
                    &Self::INFO,
                    d,
                    pointer,
                    text!(
                        "预案评估将于 {due} 到期（还有 {left} 天）{nz}",
                        "assessment due on {due} ({left} days left){ne}"
                    ),
                )
                .help(text!(
                    "安排评估并在 `dates.assessed` 中记录日期",
                    "plan the assessment and record it in `dates.assessed`"
                ));
                diag.severity = Severity::Warning;
                out.push(diag);
            }
        }
    }
}
