use crate::check::util::at_doc;
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::model::Meta;
use crate::text;
use std::ops::Range;

declare_rule! {
    /// 施行日期早于印发日期 · Effective before issued
    ///
    /// ## What it checks · 检查内容
    /// `dates.effective` is not before `dates.issued`, and `dates.published`, `dates.assessed`
    /// and `filing.filed_on` are not before `dates.issued` either.
    /// A month only (`2024-06`) spans its days: the rule fires only when every day the values
    /// allow is in the wrong order (`effective: 2024-05` before `issued: 2024-06`, not
    /// `effective: 2024-06` with `issued: 2024-06-15`).
    ///
    /// 施行、公布、评估、备案日期均不得早于印发日期；只写到月的日期按该月的每一天理解，只有每种读法都早于印发日期时才报告。
    ///
    /// ## Why it matters · 为什么重要
    /// A plan takes effect on or after issue (《突发事件应急预案管理办法》（2024）第二十六条 counts the
    /// filing deadline from 印发). Dates in the wrong order are usually a typo that also corrupts the filing deadline
    /// (D703) and the assessment cycle (D702).
    ///
    /// 预案在印发之日或之后生效（《突发事件应急预案管理办法》（2024）第二十六条从印发之日起计算备案期限）。
    /// 日期顺序错误通常是笔误，还会打乱备案期限（D703）和评估周期（D702）。
    ///
    /// ## Example · 示例
    /// ```yaml
    /// dates: { issued: 2025-03-10, effective: 2024-03-10 }
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Correct the date from the issuing document (印发通知).
    ///
    /// 按印发通知改正日期。
    pub(crate) struct EffectiveBeforeIssued {
        code: "D701",
        name: "effective-before-issued",
        severity: Error,
        stage: Corpus,
        summary: ("日期先后顺序错误（早于印发日期）", "date before the issue date"),
    }
}

impl Rule for EffectiveBeforeIssued {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check_docs(&self, cx: &Context, docs: Range<usize>, out: &mut Vec<Diagnostic>) {
        for d in cx.docs_in(docs) {
            let (dates, filing) = match &d.meta {
                Meta::Plan(p) => (&p.dates, p.filing.as_ref().map(|f| f.filed_on)),
                Meta::Card(c) => (&c.dates, None),
                Meta::Drill(_) | Meta::Invalid => continue,
            };
            let issued = dates.issued;
            let checks = [
                (
                    "/dates/effective",
                    Some(dates.effective),
                    ("施行日期", "effective date"),
                ),
                (
                    "/dates/published",
                    dates.published,
                    ("公布日期", "publication date"),
                ),
                (
                    "/dates/assessed",
                    dates.assessed,
                    ("评估日期", "assessment date"),
                ),
                ("/filing/filed_on", filing, ("备案日期", "filing date")),
            ];
            for (pointer, date, (zh, en)) in checks {
                // wrong only when every day the values allow is wrong: a month only spans its days
                if let Some(x) = date.filter(|x| x.last() < issued.first()) {
                    let (nz, ne) = if x.is_month() || issued.is_month() {
                        let (late, early) = (x.last(), issued.first());
                        (
                            format!("（无论指该月哪一天都更早：最晚的 {late} 仍早于最早的 {early}）"),
                            format!(
                                " (whichever days the values stand for: the latest, {late}, is still before the earliest, {early})"
                            ),
                        )
                    } else {
                        (String::new(), String::new())
                    };
                    out.push(
                        at_doc(
                            &Self::INFO,
                            d,
                            pointer,
                            text!(
                                "{zh} {x} 早于印发日期 {issued}{nz}",
                                "{en} {x} is before the issue date {issued}{ne}"
                            ),
                        )
                        .help(text!(
                            "按印发通知核对日期",
                            "check the dates against the issuing notice"
                        )),
                    );
                }
            }
        }
    }
}
