//! Drill cadences as plain date arithmetic, independent of the document model: the interval a
//! plan must be drilled in, when the next drill falls due and how a plan stands on a given day.

use chrono::{Months, NaiveDate};

/// Where a plan's required interval comes from (for explanations).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// `[drills] interval_months.<profile>` or its built-in default.
    Profile,
    /// The plan's own `drills.interval_months`.
    Plan,
    /// `drills.high_risk: true` (条例 Art. 8 ¶2) with `[drills] high_risk_months`.
    HighRisk,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Profile => "profile",
            Basis::Plan => "plan",
            Basis::HighRisk => "high_risk",
        }
    }
}

/// The strictest (shortest, non-zero) of the candidate intervals; 0 means "no requirement".
/// Candidates are given in order of precedence, so on a tie the first one names the basis.
pub fn strictest(candidates: &[(u32, Basis)]) -> Option<(u32, Basis)> {
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
pub fn due_date(anchor: NaiveDate, interval_months: u32) -> Option<NaiveDate> {
    anchor.checked_add_months(Months::new(interval_months))
}

/// How a plan stands on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Due later than the warning lead time.
    Ok { due: NaiveDate },
    /// Due within the lead time (`left` days, 0 = today).
    DueSoon { due: NaiveDate, left: i64 },
    /// Past due by `late` days.
    Overdue { due: NaiveDate, late: i64 },
}

impl Standing {
    pub fn due(self) -> NaiveDate {
        match self {
            Standing::Ok { due }
            | Standing::DueSoon { due, .. }
            | Standing::Overdue { due, .. } => due,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Ok { .. } => "ok",
            Standing::DueSoon { .. } => "due_soon",
            Standing::Overdue { .. } => "overdue",
        }
    }
}

/// The standing of a plan whose next drill is due on `due`.
pub fn standing(due: NaiveDate, today: NaiveDate, warn_days: u32) -> Standing {
    let left = (due - today).num_days();
    if left < 0 {
        Standing::Overdue { due, late: -left }
    } else if left <= i64::from(warn_days) {
        Standing::DueSoon { due, left }
    } else {
        Standing::Ok { due }
    }
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
