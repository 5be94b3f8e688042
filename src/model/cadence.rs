//! Drill cadences: the interval a plan must be drilled in (条例 Art. 8), when the next drill falls
//! due and how a plan stands on a given day, first as plain date arithmetic, then applied to a
//! loaded corpus (every plan in force with a required interval and its last done drill record).
//! Domain knowledge read by rule E005 and by `yuan drills`, so it lives in the model.

use crate::config::DrillsConfig;
use crate::model::drill::DrillStatus;
use crate::model::meta::{Kind, PlanMeta, Status};
use crate::model::sections::profile_name;
use crate::model::{Corpus, Document};
use chrono::{Months, NaiveDate};

/// Where a plan's required interval comes from (for explanations; `profile`, `plan`,
/// `high_risk` in JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Basis {
    /// `[drills] interval_months.<profile>` or its built-in default.
    Profile,
    /// The plan's own `drills.interval_months`.
    Plan,
    /// `drills.high_risk: true` (条例 Art. 8 ¶2) with `[drills] high_risk_months`.
    HighRisk,
    /// The plan's enterprise or issuer is an organisation with `high_risk: true` in the
    /// registry (条例 Art. 8 ¶2), with `[drills] high_risk_months`.
    HighRiskUnit,
}

/// The strictest (shortest, non-zero) of the candidate intervals; 0 means "no requirement".
/// Candidates are given in order of precedence, so on a tie the first one names the basis.
pub(crate) fn strictest(candidates: &[(u32, Basis)]) -> Option<(u32, Basis)> {
    candidates
        .iter()
        .copied()
        .filter(|(m, _)| *m > 0)
        .fold(None, |best, c| match best {
            Some((m, _)) if m <= c.0 => best,
            _ => Some(c),
        })
}

/// The day a drill falls due: `interval` months after `anchor` (the last done drill, or the day
/// the plan took effect). Month ends clamp (31 Aug + 6 months = 28/29 Feb).
pub(crate) fn due_date(anchor: NaiveDate, interval_months: u32) -> Option<NaiveDate> {
    anchor.checked_add_months(Months::new(interval_months))
}

/// A plan's standing without its dates: `ok`, `due_soon`, `overdue` in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum State {
    Ok,
    DueSoon,
    Overdue,
}

/// How a plan stands on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Standing {
    /// Due later than the warning lead time.
    Ok { due: NaiveDate },
    /// Due within the lead time (`left` days, 0 = today).
    DueSoon { due: NaiveDate, left: i64 },
    /// Past due by `late` days.
    Overdue { due: NaiveDate, late: i64 },
}

impl Standing {
    pub(crate) fn due(self) -> NaiveDate {
        match self {
            Standing::Ok { due }
            | Standing::DueSoon { due, .. }
            | Standing::Overdue { due, .. } => due,
        }
    }
    pub(crate) fn state(self) -> State {
        match self {
            Standing::Ok { .. } => State::Ok,
            Standing::DueSoon { .. } => State::DueSoon,
            Standing::Overdue { .. } => State::Overdue,
        }
    }
}

/// The standing of a plan whose next drill is due on `due`.
pub(crate) fn standing(due: NaiveDate, today: NaiveDate, warn_days: u32) -> Standing {
    let left = (due - today).num_days();
    if left < 0 {
        Standing::Overdue { due, late: -left }
    } else if left <= i64::from(warn_days) {
        Standing::DueSoon { due, left }
    } else {
        Standing::Ok { due }
    }
}

/// One drill record as the cadence sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DrillRef<'a> {
    pub(crate) id: &'a str,
    pub(crate) date: NaiveDate,
    pub(crate) status: DrillStatus,
}

/// Plan id -> the drill records that exercise it, sorted by date then id.
pub(crate) fn drills_by_plan(corpus: &Corpus) -> crate::model::FastMap<&str, Vec<DrillRef<'_>>> {
    let mut m: crate::model::FastMap<&str, Vec<DrillRef>> = Default::default();
    for d in &corpus.docs {
        let Some(dr) = d.drill() else { continue };
        for p in &dr.plans {
            let v = m.entry(p.plan.as_str()).or_default();
            // A drill naming one plan twice counts once.
            if !v.iter().any(|x| x.id == dr.id) {
                v.push(DrillRef {
                    id: &dr.id,
                    date: dr.date,
                    status: dr.status,
                });
            }
        }
    }
    for v in m.values_mut() {
        v.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(b.id)));
    }
    m
}

/// The drill requirement of one plan in force, and how it stands.
#[derive(Debug, Clone)]
pub(crate) struct PlanCadence<'a> {
    pub(crate) doc: &'a Document,
    pub(crate) plan: &'a PlanMeta,
    /// Section/cadence profile: overall, special, enterprise_special, onsite …
    pub(crate) profile: &'static str,
    pub(crate) interval_months: u32,
    pub(crate) basis: Basis,
    /// The last done drill on or before `today` that counts for this plan.
    pub(crate) last: Option<DrillRef<'a>>,
    /// The next planned drill after `today` (or on it), if one is on record.
    pub(crate) next_planned: Option<DrillRef<'a>>,
    /// Ids of the plans whose drills count (the plan itself, and for an enterprise's
    /// comprehensive plan its special plans).
    pub(crate) counted: Vec<&'a str>,
    pub(crate) standing: Standing,
}

impl PlanCadence<'_> {
    /// The day the clock runs from: the last drill, or the day the plan took effect.
    pub(crate) fn anchor(&self) -> NaiveDate {
        self.last
            .map_or(self.plan.dates.effective.first(), |l| l.date)
    }
}

/// The interval a plan must be drilled in: the profile's, the plan's own and the high-risk
/// interval; the strictest wins. `None` when nothing is required.
///
/// `high_risk_unit`: the plan belongs to a high-risk unit (see [`high_risk_unit`]). Art. 8 ¶2
/// asks the *unit* to drill every half-year, so it applies to the plans that carry the unit's
/// drill requirement: every profile with an interval of its own. An enterprise special plan
/// (`enterprise_special`, 0 by default) has none: its drills count for the comprehensive plan,
/// which then must be drilled (itself or through a special plan) every half-year.
pub(crate) fn required_interval(
    plan: &PlanMeta,
    profile: &str,
    config: &DrillsConfig,
    high_risk_unit: bool,
) -> Option<(u32, Basis)> {
    let policy = plan.drills.clone().unwrap_or_default();
    let high_risk = if policy.high_risk == Some(true) {
        config.high_risk_months
    } else {
        0
    };
    let by_profile = config.interval(profile);
    let unit = if high_risk_unit && by_profile > 0 {
        config.high_risk_months
    } else {
        0
    };
    strictest(&[
        (by_profile, Basis::Profile),
        (policy.interval_months.unwrap_or(0), Basis::Plan),
        (high_risk, Basis::HighRisk),
        (unit, Basis::HighRiskUnit),
    ])
}

/// The organisations marked `high_risk: true` in the registry (once per run).
pub(crate) fn high_risk_units(corpus: &Corpus) -> crate::model::FastSet<&str> {
    corpus
        .registry
        .organizations
        .iter()
        .filter(|o| o.item.high_risk == Some(true))
        .map(|o| o.item.id.as_str())
        .collect()
}

/// The high-risk unit a plan belongs to: its `enterprise`, else its `issuer`, when the registry
/// marks that organisation `high_risk: true`; with the front-matter field that names it.
pub(crate) fn high_risk_unit<'a>(
    plan: &'a PlanMeta,
    units: &crate::model::FastSet<&str>,
) -> Option<(&'a str, &'static str)> {
    if let Some(e) = plan.enterprise.as_deref() {
        if units.contains(e) {
            return Some((e, "/enterprise"));
        }
    }
    // a joint plan (联合印发) belongs to every issuer: the first high-risk one counts
    plan.issuer
        .ids()
        .iter()
        .find(|i| units.contains(i.as_str()))
        .map(|i| (i.as_str(), "/issuer"))
}

/// Every plan in force that must be drilled, in document order, with its standing on `today`.
/// Drafts and superseded plans are left out.
pub(crate) fn plan_cadences<'a>(
    corpus: &'a Corpus,
    config: &DrillsConfig,
    today: NaiveDate,
) -> Vec<PlanCadence<'a>> {
    plan_cadences_of(corpus, config, today, |_| true)
}

/// [`plan_cadences`] of the plans `wanted` picks only (E005 with `--changed-since` reports on
/// a few plans of 100,000); every drill record still counts.
pub(crate) fn plan_cadences_of<'a>(
    corpus: &'a Corpus,
    config: &DrillsConfig,
    today: NaiveDate,
    wanted: impl Fn(&Document) -> bool,
) -> Vec<PlanCadence<'a>> {
    let by_plan = drills_by_plan(corpus);
    let units = high_risk_units(corpus);
    // Enterprise special plans by enterprise: their drills count for the comprehensive plan.
    let mut specials: crate::model::FastMap<&str, Vec<&str>> = Default::default();
    for d in &corpus.docs {
        if let Some(p) = d.plan() {
            if let (Kind::Special, Some(e)) = (p.kind, &p.enterprise) {
                specials.entry(e.as_str()).or_default().push(p.id.as_str());
            }
        }
    }
    let mut out = Vec::new();
    for (i, d) in corpus.docs.iter().enumerate() {
        let Some(p) = d.plan() else { continue };
        if !wanted(d) || matches!(p.status, Some(Status::Draft | Status::Superseded)) {
            continue;
        }
        // A duplicate id is I101's business; only its first definition is scheduled.
        if corpus.by_id.get(&p.id) != Some(&i) {
            continue;
        }
        let Some(profile) = profile_name(p.kind, p.enterprise.is_some()) else {
            continue;
        };
        let unit = high_risk_unit(p, &units).is_some();
        let Some((interval, basis)) = required_interval(p, profile, config, unit) else {
            continue;
        };
        let mut counted = vec![p.id.as_str()];
        if p.kind == Kind::Comprehensive {
            if let Some(s) = p.enterprise.as_deref().and_then(|e| specials.get(e)) {
                counted.extend(s.iter().copied());
            }
        }
        let mut last: Option<DrillRef> = None;
        let mut next_planned: Option<DrillRef> = None;
        for id in &counted {
            for r in by_plan.get(id).map(Vec::as_slice).unwrap_or(&[]) {
                match r.status {
                    DrillStatus::Done
                        if r.date <= today
                            && last.is_none_or(|l| (r.date, r.id) > (l.date, l.id)) =>
                    {
                        last = Some(*r);
                    }
                    DrillStatus::Planned
                        if r.date >= today
                            && next_planned.is_none_or(|n| (r.date, r.id) < (n.date, n.id)) =>
                    {
                        next_planned = Some(*r);
                    }
                    _ => {}
                }
            }
        }
        let anchor = last.map_or(p.dates.effective.first(), |l| l.date);
        let Some(due) = due_date(anchor, interval) else {
            continue;
        };
        out.push(PlanCadence {
            doc: d,
            plan: p,
            profile,
            interval_months: interval,
            basis,
            last,
            next_planned,
            counted,
            standing: standing(due, today, config.warn_days),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    #[test]
    fn last_drilled_23_months_ago_is_due_next_month() {
        let today = d("2026-11-28");
        let last = d("2024-12-15"); // 23 months before today's month
        let due = due_date(last, 24).expect("due");
        assert_eq!(due, d("2026-12-15"));
        assert_eq!(
            standing(due, today, 30),
            Standing::DueSoon { due, left: 17 }
        );
        assert!(matches!(standing(due, today, 7), Standing::Ok { .. }));
    }

    #[test]
    fn onsite_plan_needs_two_drills_a_year() {
        // Drilled in January: due again in July, and once more in January of the next year.
        let first = due_date(d("2026-01-20"), 6).expect("due");
        assert_eq!(first, d("2026-07-20"));
        let second = due_date(first, 6).expect("due");
        assert_eq!(second, d("2027-01-20"));
        assert_eq!(
            standing(first, d("2026-08-01"), 30),
            Standing::Overdue {
                due: first,
                late: 12
            }
        );
    }

    #[test]
    fn month_ends_clamp() {
        assert_eq!(due_date(d("2026-08-31"), 6), Some(d("2027-02-28")));
    }

    #[test]
    fn stricter_interval_wins() {
        assert_eq!(
            strictest(&[
                (36, Basis::Profile),
                (24, Basis::Plan),
                (0, Basis::HighRisk)
            ]),
            Some((24, Basis::Plan))
        );
        assert_eq!(
            strictest(&[(6, Basis::Profile), (6, Basis::Plan), (6, Basis::HighRisk)]),
            Some((6, Basis::Profile))
        );
        assert_eq!(strictest(&[(0, Basis::Profile)]), None);
    }
}
