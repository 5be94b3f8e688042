use crate::check::util::{at_doc, WorkCalendar};
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::{Diagnostic, Severity};
use crate::model::hierarchy;
use crate::model::meta::{Kind, Level, Status};
use crate::text;
use std::ops::Range;

declare_rule! {
    /// 备案逾期 · Filing late
    ///
    /// ## What it checks · 检查内容
    /// A plan is filed (备案) within `[check] filing_deadline_working_days` (default 20) working
    /// days after `dates.issued`: `filing.filed_on` later than that is an error. A plan that must be
    /// filed (overall, government special, departmental, grassroots, joint, enterprise
    /// comprehensive) with no `filing` after the deadline is a warning. Working days skip weekends
    /// and `[check] holidays`, and count `[check] workdays` (调休).
    /// A month only counts as its first day (`issued: 2024-06`: the deadline counts from
    /// 2024-06-01; `filed_on: 2024-07`: filed on 2024-07-01), and the message says so. A
    /// national plan (`level: national`, or a jurisdiction of level national) is filed with
    /// nobody: the rule does not apply to it.
    ///
    /// 预案须在印发后 20 个工作日内备案；逾期备案为错误，逾期未备案为警告。只写到月的日期按该月第一天计算。国家级预案不向任何机关备案，不适用本规则。
    ///
    /// ## Why it matters · 为什么重要
    /// 《突发事件应急预案管理办法》（2024）第二十六条: the approving unit files the plan within 20
    /// working days of issue; 《生产安全事故应急预案管理办法》第二十六条: enterprises within 20
    /// working days of publication.
    ///
    /// 《突发事件应急预案管理办法》（2024）第二十六条：审批单位在印发之日起 20 个工作日内备案；
    /// 《生产安全事故应急预案管理办法》第二十六条：企业在公布之日起 20 个工作日内备案。
    ///
    /// ## Example · 示例
    /// ```yaml
    /// dates: { issued: 2025-03-10, effective: 2025-03-10 }
    /// filing: { authority: 青溪县应急管理局, filed_on: 2025-05-20 }
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Record the real filing date; if the plan was filed late, file it now and note the reason
    /// in the plan's revision history. Public holidays belong in `[check] holidays`.
    ///
    /// 记录实际备案日期；逾期备案的，尽快补办并在修订记录中说明原因。法定节假日写在 `[check] holidays` 中。
    pub(crate) struct FilingLate {
        code: "D703",
        name: "filing-late",
        severity: Error,
        stage: Corpus,
        summary: ("未在印发后 20 个工作日内备案", "not filed within 20 working days of issue"),
    }
}

impl Rule for FilingLate {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check_docs(&self, cx: &Context, docs: Range<usize>, out: &mut Vec<Diagnostic>) {
        let cal = WorkCalendar::new(&cx.config.check.holidays, &cx.config.check.workdays);
        let days = cx.config.check.filing_deadline_working_days;
        for d in cx.docs_in(docs) {
            let Some(p) = d.plan() else { continue };
            if matches!(p.status, Some(Status::Draft)) {
                continue;
            }
            // the central authorities file their plans with nobody
            if hierarchy::level_of(cx.corpus, p) == Some(Level::National) {
                continue;
            }
            let issued = p.dates.issued;
            // a month only counts from its first day: the deadline comes as early as it can
            let (nz, ne) = issued.counted_from();
            // beyond the calendar (only a huge setting gets there): no deadline to miss
            let Some(deadline) = cal.checked_add_working_days(issued.first(), days) else {
                continue;
            };
            match &p.filing {
                Some(f) if f.filed_on.first() > deadline => {
                    let filed = f.filed_on;
                    let (fz, fe) = if filed.is_month() {
                        let first = filed.first();
                        (
                            format!("（按该月最早的一天 {first} 计）"),
                            format!(" (taken as its earliest day, {first})"),
                        )
                    } else {
                        (String::new(), String::new())
                    };
                    out.push(at_doc(&Self::INFO, d, "/filing/filed_on", text!(
                        "备案日期 {filed}{fz} 晚于期限 {deadline}（印发 {issued} 后 {days} 个工作日）{nz}",
                        "filed on {filed}{fe}, after the deadline {deadline} ({days} working days after issue on {issued}){ne}"
                    )).help(text!("核对备案回执日期；节假日请写入 [check] holidays", "check the date on the filing receipt; list public holidays in [check] holidays")));
                }
                None => {
                    let must_file = match p.kind {
                        Kind::Overall
                        | Kind::Department
                        | Kind::Grassroots
                        | Kind::Joint
                        | Kind::Comprehensive => true,
                        Kind::Special => p.enterprise.is_none(),
                        _ => false,
                    };
                    if must_file && cx.today > deadline {
                        let mut diag = at_doc(&Self::INFO, d, "/dates/issued", text!(
                            "预案印发于 {issued}，备案期限 {deadline} 已过，但没有备案记录（filing）{nz}",
                            "issued on {issued}; the filing deadline {deadline} has passed but no `filing` is recorded{ne}"
                        )).help(text!("备案后填写 `filing: {{ authority, filed_on, receipt_no }}`", "after filing, add `filing: {{ authority, filed_on, receipt_no }}`"));
                        diag.severity = Severity::Warning;
                        out.push(diag);
                    }
                }
                _ => {}
            }
        }
    }
}
