use crate::check::util::at_entry;
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::text;

declare_rule! {
    /// 联系方式未及时核实 · Contact not verified recently
    ///
    /// ## What it checks · 检查内容
    /// Every contact's `verified` date lies within `[check] contact_max_age_days` (default 365)
    /// before today, and not in the future. A month only (`verified: 2025-06`) counts from its
    /// first day, and is in the future only when the whole month is.
    ///
    /// 通讯录每条记录的核实日期不得早于规定期限（默认 365 天），也不得晚于今天。
    ///
    /// ## Why it matters · 为什么重要
    /// Annex information, contacts first, must be updated as soon as it changes
    /// (《生产安全事故应急预案管理办法》第十六条, wording unconfirmed; GB/T 29639-2020 9). People
    /// change posts and duty phones change; a number nobody has dialled for a year is a number to
    /// check before the flood season, not during it.
    ///
    /// 附件信息，尤其是联系方式，发生变化时应及时更新（《生产安全事故应急预案管理办法》
    /// 第十六条，措辞未经核实）。人员会调岗，值班电话会变；一年没人拨过的号码，应在汛期前而不是汛期中核实。
    ///
    /// ## Example · 示例
    /// ```yaml
    /// verified: 2023-04-01
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Call the number, correct it if needed, and set `verified` to today's date.
    ///
    /// 拨打该号码核实，必要时改正，并把 `verified` 设为今天的日期。
    pub(crate) struct ContactStale {
        code: "C602",
        name: "contact-stale",
        severity: Warning,
        stage: Corpus,
        summary: ("联系方式超过期限未核实", "contact not verified within the allowed period"),
    }
}

impl Rule for ContactStale {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let max = i64::from(cx.config.check.contact_max_age_days);
        let reg = &cx.corpus.registry;
        for e in &reg.contacts {
            let (name, v) = (&e.item.name, e.item.verified);
            // a month counts as its first day: stale as early as the value allows, in the future
            // only when the whole month is
            let age = (cx.today - v.first()).num_days();
            if age > max {
                let (nz, ne) = v.counted_from();
                out.push(
                    at_entry(
                        &Self::INFO,
                        reg,
                        &e.origin,
                        "/verified",
                        text!(
                            "“{name}”的联系方式 {age} 天未核实（上次 {v}，期限 {max} 天）{nz}",
                            "\"{name}\" not verified for {age} days (last {v}; limit {max} days){ne}"
                        ),
                    )
                    .help(text!(
                        "拨打核实后将 `verified` 改为核实当天的日期",
                        "call to verify, then set `verified` to that day"
                    )),
                );
            } else if age < 0 {
                let today = cx.today;
                out.push(at_entry(
                    &Self::INFO,
                    reg,
                    &e.origin,
                    "/verified",
                    text!(
                        "“{name}”的核实日期 {v} 晚于今天（{today}）",
                        "\"{name}\" verified on {v}, after today ({today})"
                    ),
                ));
            }
        }
    }
}
