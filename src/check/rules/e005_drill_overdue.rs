use crate::check::broken::skipped;
use crate::check::util::at_doc;
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::{Diagnostic, Severity};
use crate::model::cadence::{
    high_risk_unit, high_risk_units, plan_cadences_of, Basis, PlanCadence, Standing,
};
use crate::model::meta::Kind;
use crate::model::FastSet;
use crate::text;

declare_rule! {
    /// 预案未按规定周期演练 · Plan not drilled within its required interval
    ///
    /// ## What it checks · 检查内容
    /// Every plan in force must be drilled at least every N months, counted from its last done
    /// drill (a drill record with `status: done` that lists the plan under `plans`), or from
    /// `dates.effective` if it was never drilled. N is the strictest of `[drills]
    /// interval_months.<profile>` (defaults: overall 24, special 36, department 36, grassroots
    /// 24, joint 36, comprehensive 12, onsite 6; enterprise special plans 0 = none of their
    /// own, their drills count for the enterprise's comprehensive plan), the plan's own
    /// `drills.interval_months`, and `[drills] high_risk_months` (6) when the plan sets
    /// `drills.high_risk: true` or belongs to a high-risk unit (its `enterprise`, else its
    /// `issuer`, is an organisation with `high_risk: true` in the registry; the unit's plans
    /// with an interval of their own: an enterprise special plan's drills still count for the
    /// comprehensive plan, which must then be drilled every half-year). Overdue is an error; due within `[drills] warn_days` (30) is a
    /// warning, unless a planned drill is on record before the due date. Drafts and superseded
    /// plans are not checked. A month-only `dates.effective` (`2024-06`) counts from its first
    /// day, and the message says so; a drill's `date` keeps its day (see docs/format.md).
    ///
    /// 现行预案须按规定周期演练（自上次演练或施行之日起算）；逾期为错误，临近到期为警告。只写到月的施行日期按该月第一天起算。
    ///
    /// ## Why it matters · 为什么重要
    /// 《生产安全事故应急条例》第八条第一款: governments at county level and above, their
    /// departments and townships drill at least every 2 years; 《突发事件应急预案管理办法》（2013）
    /// 第二十二条 (the 2024 text keeps it, by secondary sources): special and departmental plans at
    /// least every 3 years; 《生产安全事故应急预案管理办法》第三十三条: enterprises
    /// one comprehensive-or-special drill a year and every on-site plan each half-year; 条例
    /// Art. 8 ¶2: high-risk units and crowded places every half-year. Local rules may be
    /// stricter (set them in `[drills]`); the 2024 article numbers are unconfirmed, so the
    /// intervals are configuration.
    ///
    /// 《生产安全事故应急条例》第八条第一款：县级以上人民政府及其部门、乡镇和街道至少每 2 年演练一次；
    /// 《突发事件应急预案管理办法》（2013）第二十二条：专项和部门预案至少每 3 年演练一次；
    /// 《生产安全事故应急预案管理办法》第三十三条：企业每年至少一次综合或专项预案演练，
    /// 每个现场处置方案每半年至少一次；《生产安全事故应急条例》第八条第二款：高危单位和人员密集场所每半年一次。
    /// 地方规定可以更严（在 `[drills]` 中设置）。
    ///
    /// ## Example · 示例
    /// ```yaml
    /// kind: onsite
    /// dates: { issued: 2026-03-20, effective: 2026-04-01 }   # no drill record since
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Hold the drill and add its record under `drills/` (`kind: drill`, docs/format.md §10), or
    /// plan it (`status: planned`). `yuan drills status` lists every plan's next due date.
    ///
    /// 组织演练并在 `drills/` 下添加记录（`kind: drill`，见 docs/format.md §10），
    /// 或先列入计划（`status: planned`）。`yuan drills status` 列出每个预案的下次到期日。
    pub(crate) struct DrillOverdue {
        code: "E005",
        name: "drill-overdue",
        severity: Error,
        stage: Corpus,
        summary: ("预案未按规定周期演练", "plan not drilled within its required interval"),
    }
}

fn diagnostic(cx: &Context, c: &PlanCadence, units: &FastSet<&str>) -> Option<Diagnostic> {
    if matches!(c.standing, Standing::Ok { .. }) {
        return None;
    }
    // a drill record that failed its schema (F003) may be the drill that keeps it in time, or
    // (for a comprehensive plan) a special plan of its enterprise whose drills count for it
    let counted = &c.counted;
    let broken = cx.broken();
    let drill = broken.may_be(cx.corpus, &[Kind::Drill], |u| {
        counted.iter().any(|id| u.may_exercise(id))
    });
    let special = || {
        let e = c.plan.enterprise.as_deref()?;
        if c.plan.kind != Kind::Comprehensive {
            return None;
        }
        broken.may_be(cx.corpus, &[Kind::Special], |u| {
            u.may_equal("enterprise", e) && !u.lacks("enterprise")
        })
    };
    if let Some(b) = drill.or_else(special) {
        return Some(skipped(
            &DrillOverdue::INFO,
            c.doc,
            "/id",
            b,
            (
                "对本预案演练周期的检查",
                "the check of this plan's drill interval was",
            ),
        ));
    }
    let months = c.interval_months;
    let (bz, be) = match c.basis {
        Basis::Profile => ("按规定", "required"),
        Basis::Plan => (
            "按本预案 `drills.interval_months`",
            "per the plan's `drills.interval_months`",
        ),
        Basis::HighRisk => ("高危单位", "high-risk unit"),
        Basis::HighRiskUnit => (
            "高危单位（登记册 `high_risk: true`）",
            "high-risk unit (`high_risk: true` in the registry)",
        ),
    };
    let (since_zh, since_en, pointer) = match c.last {
        Some(l) => (
            format!("上次演练 {}（{}）", l.id, l.date),
            format!("last drill {} on {}", l.id, l.date),
            match c.basis {
                Basis::Profile => "/kind",
                Basis::Plan => "/drills/interval_months",
                Basis::HighRisk => "/drills/high_risk",
                Basis::HighRiskUnit => high_risk_unit(c.plan, units).map_or("/kind", |u| u.1),
            },
        ),
        None => {
            let effective = c.plan.dates.effective;
            let (nz, ne) = effective.counted_from();
            (
                format!("施行（{effective}）后未演练{nz}"),
                format!("never drilled since it took effect on {effective}{ne}"),
                "/dates/effective",
            )
        }
    };
    let planned = c.next_planned;
    let mut diag = match c.standing {
        Standing::Ok { .. } => return None,
        Standing::DueSoon { due, .. } if planned.is_some_and(|p| p.date <= due) => return None,
        Standing::DueSoon { due, left } => {
            let mut d = at_doc(
                &DrillOverdue::INFO,
                c.doc,
                pointer,
                text!(
                    "演练将于 {due} 到期（还有 {left} 天；{bz}每 {months} 个月至少一次，{since_zh}）",
                    "drill due on {due} ({left} days left; {be} every {months} months, {since_en})"
                ),
            );
            d.severity = Severity::Warning;
            d
        }
        Standing::Overdue { due, late } => at_doc(
            &DrillOverdue::INFO,
            c.doc,
            pointer,
            text!(
                "演练已逾期 {late} 天（{bz}每 {months} 个月至少一次，{since_zh}，应于 {due} 前演练）",
                "drill overdue by {late} days ({be} every {months} months, {since_en}; due {due})"
            ),
        ),
    };
    diag = match planned {
        Some(p) => {
            let (pid, pdate) = (p.id, p.date);
            diag.help(text!(
                "已计划演练 {pid}（{pdate}）；实施后将其 `status` 改为 `done`",
                "drill {pid} is planned for {pdate}; set its `status: done` once held"
            ))
        }
        None => diag.help(text!(
            "组织演练并在 drills/ 下记录（`kind: drill`）；`yuan drills status` 列出全部到期日",
            "hold a drill and record it under drills/ (`kind: drill`); `yuan drills status` lists every due date"
        )),
    };
    Some(diag)
}

impl Rule for DrillOverdue {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        use rayon::prelude::*;
        // The finding is about the plan: only the plans reported are looked at, and their
        // findings are made on all cores (one per overdue plan).
        let cadences =
            plan_cadences_of(cx.corpus, &cx.config.drills, cx.today, |d| cx.reports_on(d));
        let units = high_risk_units(cx.corpus);
        let found: Vec<Diagnostic> = cadences
            .par_iter()
            .filter_map(|c| diagnostic(cx, c, &units))
            .collect();
        out.extend(found);
    }
}
