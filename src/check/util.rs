//! Small helpers shared by rules: "did you mean", id lists, working days.

use crate::check::RuleInfo;
use crate::diag::{Diagnostic, Text};
use crate::model::{Document, Origin, Registry};
use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::HashSet;

/// The closest candidates to `word` (Jaro-Winkler ≥ 0.8), best first, at most three.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(s, _)| *s >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// "（是否想写 `a`？）" / " (did you mean `a`?)" or nothing.
pub fn did_you_mean(s: &[&str]) -> (String, String) {
    if s.is_empty() {
        return (String::new(), String::new());
    }
    let list = s.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>();
    (
        format!("（是否想写 {}？）", list.join("、")),
        format!(" (did you mean {}?)", list.join(", ")),
    )
}

/// Working-day arithmetic with configured holidays and make-up working days.
pub struct WorkCalendar {
    holidays: HashSet<NaiveDate>,
    workdays: HashSet<NaiveDate>,
}

impl WorkCalendar {
    pub fn new(holidays: &[NaiveDate], workdays: &[NaiveDate]) -> Self {
        WorkCalendar {
            holidays: holidays.iter().copied().collect(),
            workdays: workdays.iter().copied().collect(),
        }
    }
    pub fn is_working(&self, d: NaiveDate) -> bool {
        if self.workdays.contains(&d) {
            return true;
        }
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains(&d)
    }
    /// The day that is `n` working days after `from` (from itself not counted).
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut d = from;
        let mut left = n;
        while left > 0 {
            d = d.succ_opt().unwrap_or(d);
            if self.is_working(d) {
                left -= 1;
            }
        }
        d
    }
}

/// A diagnostic at the front-matter value `pointer` of `doc`.
pub fn at_doc(info: &'static RuleInfo, doc: &Document, pointer: &str, message: Text) -> Diagnostic {
    info.at(&doc.path, Some(doc.span_of(pointer)), message)
}

/// A diagnostic at the field `suffix` (e.g. `/verified`) of a registry entry.
pub fn at_entry(
    info: &'static RuleInfo,
    reg: &Registry,
    origin: &Origin,
    suffix: &str,
    message: Text,
) -> Diagnostic {
    let (path, span) = reg.locate(origin, suffix);
    info.at(&path, span, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(
            suggest("hazard", ["hazards", "title", "level"]),
            ["hazards"]
        );
        assert!(suggest("zzz", ["hazards"]).is_empty());
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        // Friday 2026-09-25 + 20 working days, with 10-01..10-07 off and 09-27 (Sunday) worked.
        let hol: Vec<_> = (1..=7).map(|i| d(&format!("2026-10-0{i}"))).collect();
        let cal = WorkCalendar::new(&hol, &[d("2026-09-27")]);
        assert_eq!(cal.add_working_days(d("2026-09-25"), 1), d("2026-09-27"));
        let plain = WorkCalendar::new(&[], &[]);
        assert_eq!(plain.add_working_days(d("2026-09-25"), 20), d("2026-10-23"));
        assert!(cal.add_working_days(d("2026-09-25"), 20) > d("2026-10-23"));
    }
}
