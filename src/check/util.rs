//! Small helpers shared by rules: "did you mean", id lists, working days.

use crate::check::RuleInfo;
use crate::diag::{Diagnostic, Text};
use crate::model::{Document, Origin, Registry};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::collections::HashSet;

pub(crate) use crate::diag::suggest::{did_you_mean, suggest};

/// Did-you-mean over a large set (every document id, every registry entry) within a budget.
///
/// One suggestion costs a comparison with every candidate, so a repository of 100,000
/// documents, each citing an id that does not exist, would cost 10^10 comparisons. A rule run
/// keeps one `Suggester`: answers are remembered per word (a typo repeated everywhere costs
/// once), and at most [`Suggester::BUDGET`] distinct words are looked up; later findings of
/// that rule say what is missing without a guess. A rule visits documents in a fixed order, so
/// which findings get a suggestion is the same in every run. A per-document rule runs in tiles
/// ([`crate::check::Rule::check_docs`]) on several threads: each tile keeps its own
/// `Suggester` with its share of the budget ([`Suggester::for_tile`]), so the findings with a
/// suggestion are still the same in every run, and the lookups of a rule stay under twice the
/// budget.
pub(crate) struct Suggester {
    left: usize,
    memo: std::collections::HashMap<String, Vec<String>>,
}

impl Default for Suggester {
    fn default() -> Self {
        Suggester {
            left: Self::BUDGET,
            memo: Default::default(),
        }
    }
}

impl Suggester {
    /// Distinct words looked up per rule run.
    pub(crate) const BUDGET: usize = 200;

    /// The `Suggester` of one tile of documents: the budget shared out among the tiles of
    /// the corpus (rounded up: at least one word per tile; there are at most [`Self::BUDGET`]
    /// tiles, see [`crate::check::tile_size`]).
    pub(crate) fn for_tile(cx: &crate::check::Context, docs: &std::ops::Range<usize>) -> Self {
        let n = cx.corpus.docs.len();
        let size = crate::check::tile_size(n).max(docs.len()).max(1);
        Suggester {
            left: Self::BUDGET.div_ceil(n.div_ceil(size).max(1)),
            memo: Default::default(),
        }
    }

    /// The suggestions for `word` among `candidates` (called only when the word is new and the
    /// budget allows), as [`did_you_mean`] text. `kind` keeps words of different sets apart.
    pub(crate) fn did_you_mean<'c, I: IntoIterator<Item = &'c str>>(
        &mut self,
        kind: &str,
        word: &str,
        candidates: impl FnOnce() -> I,
    ) -> (String, String) {
        let key = format!("{kind}\u{0}{word}");
        if let Some(found) = self.memo.get(&key) {
            let found: Vec<&str> = found.iter().map(String::as_str).collect();
            return did_you_mean(&found);
        }
        if self.left == 0 {
            return (String::new(), String::new());
        }
        self.left -= 1;
        let found: Vec<String> = suggest(word, candidates())
            .into_iter()
            .map(str::to_string)
            .collect();
        let text = did_you_mean(&found.iter().map(String::as_str).collect::<Vec<_>>());
        self.memo.insert(key, found);
        text
    }
}

/// `（text）` and ` (text)`, or nothing at all when `text` is empty: no message prints empty
/// brackets.
pub(crate) fn paren(zh: &str, en: &str) -> (String, String) {
    if zh.trim().is_empty() || en.trim().is_empty() {
        return (String::new(), String::new());
    }
    (format!("（{zh}）"), format!(" ({en})"))
}

/// Working-day arithmetic with configured holidays and make-up working days.
///
/// Computed in closed form (whole weeks plus the remainder, then the listed exceptions in
/// range), never day by day: the count comes from `yuan.toml`, and a repository must not be
/// able to make a check step through millions of days.
pub(crate) struct WorkCalendar {
    /// The days whose status differs from Monday-to-Friday, sorted: weekday holidays (not
    /// working) and weekend make-up days (working).
    exceptions: Vec<NaiveDate>,
}

/// Weekdays (Monday to Friday) from 0001-01-01 (a Monday) up to and including `d`; negative
/// before it.
fn weekdays_upto(d: NaiveDate) -> i64 {
    let t = i64::from(d.num_days_from_ce()) - 1;
    5 * t.div_euclid(7) + (t.rem_euclid(7) + 1).min(5)
}

/// Weekdays in `(from, to]` (0 when `to <= from`).
fn weekdays_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (weekdays_upto(to) - weekdays_upto(from)).max(0)
}

/// The day that is `n` weekdays (Monday to Friday) after `from`, if the calendar reaches it.
fn add_weekdays(from: NaiveDate, n: u64) -> Option<NaiveDate> {
    if n == 0 {
        return Some(from);
    }
    // a weekend day counts like the Friday before it: the next weekday is the same Monday
    let back = match from.weekday() {
        Weekday::Sat => 1,
        Weekday::Sun => 2,
        _ => 0,
    };
    let base = from.checked_sub_days(Days::new(back))?;
    let w = u64::from(base.weekday().num_days_from_monday());
    let (weeks, rem) = (n / 5, n % 5);
    let mut days = weeks.checked_mul(7)?.checked_add(rem)?;
    if w + rem > 4 {
        days += 2;
    }
    base.checked_add_days(Days::new(days))
}

impl WorkCalendar {
    pub(crate) fn new(holidays: &[NaiveDate], workdays: &[NaiveDate]) -> Self {
        let holidays: HashSet<NaiveDate> = holidays.iter().copied().collect();
        let workdays: HashSet<NaiveDate> = workdays.iter().copied().collect();
        let weekend = |d: &NaiveDate| matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        let mut exceptions: Vec<NaiveDate> = holidays
            .iter()
            .filter(|d| !weekend(d) && !workdays.contains(d))
            .chain(workdays.iter().filter(|d| weekend(d)))
            .copied()
            .collect();
        exceptions.sort_unstable();
        exceptions.dedup();
        WorkCalendar { exceptions }
    }
    /// Whether `d` is a working day, asked day by day (the tests' oracle for the closed form).
    #[cfg(test)]
    fn is_working(&self, d: NaiveDate) -> bool {
        let weekday = !matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        weekday != self.exceptions.binary_search(&d).is_ok()
    }
    /// The day that is `n` working days after `from` (from itself not counted), or
    /// [`NaiveDate::MAX`] when that is beyond the calendar.
    pub(crate) fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        self.checked_add_working_days(from, n)
            .unwrap_or(NaiveDate::MAX)
    }
    /// The day that is `n` working days after `from` (from itself not counted), if the
    /// calendar reaches it. Steps from exception to exception: at most one step per listed
    /// holiday or make-up day, whatever `n` is.
    pub(crate) fn checked_add_working_days(&self, from: NaiveDate, n: u32) -> Option<NaiveDate> {
        let mut d = from;
        let mut left = i64::from(n);
        let first = self.exceptions.partition_point(|e| *e <= from);
        let mut next = self.exceptions[first..].iter();
        let mut pending = next.next();
        loop {
            if left == 0 {
                return Some(d);
            }
            let plain = add_weekdays(d, left.unsigned_abs())?;
            let Some(&e) = pending.filter(|e| **e <= plain) else {
                return Some(plain);
            };
            pending = next.next();
            // plain weekdays strictly between d and e: fewer than `left`, since e <= plain
            left -= weekdays_between(d, e.pred_opt()?);
            d = e;
            if matches!(e.weekday(), Weekday::Sat | Weekday::Sun) {
                // a make-up working day
                left -= 1;
            }
        }
    }
}

/// A diagnostic at the front-matter value `pointer` of `doc`: in its own file, or, when the
/// value was inherited, at its line in the `_defaults.yaml` that wrote it, with the document
/// named in the message.
pub(crate) fn at_doc(
    info: &'static RuleInfo,
    doc: &Document,
    pointer: &str,
    message: Text,
) -> Diagnostic {
    match doc.place_of(pointer) {
        (path, span, false) => info.at(path, span, message),
        // an inherited value: at its line in `_defaults.yaml`, naming the document
        (from, span, true) => info.at(
            from,
            span,
            crate::model::defaults::inherited_note(message, &doc.path),
        ),
    }
}

/// A diagnostic at the field `suffix` (e.g. `/verified`) of a registry entry.
pub(crate) fn at_entry(
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

    /// A word is looked up once; after the budget, new words get no guess (and cost nothing).
    #[test]
    fn suggestions_are_remembered_and_budgeted() {
        let ids = ["xj-flood", "xj-fire", "qx-flood"];
        let mut near = Suggester::default();
        let mut looked = 0;
        let mut ask = |near: &mut Suggester, w: &str| {
            near.did_you_mean("id", w, || {
                looked += 1;
                ids.iter().copied()
            })
        };
        assert!(ask(&mut near, "xj-flod").1.contains("`xj-flood`"));
        assert!(ask(&mut near, "xj-flod").1.contains("`xj-flood`"));
        for i in 0..Suggester::BUDGET * 2 {
            ask(&mut near, &format!("nothing-{i}"));
        }
        assert_eq!(ask(&mut near, "xj-fir").1, "");
        assert_eq!(looked, Suggester::BUDGET);
    }

    #[test]
    fn no_empty_brackets() {
        assert_eq!(paren("", ""), (String::new(), String::new()));
        assert_eq!(paren(" ", "x"), (String::new(), String::new()));
        assert_eq!(paren("甲", "a"), ("（甲）".into(), " (a)".into()));
    }

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

    /// The definition, day by day: what the closed form must equal.
    fn stepping(cal: &WorkCalendar, from: NaiveDate, n: u32) -> NaiveDate {
        let mut d = from;
        let mut left = n;
        while left > 0 {
            d = d.succ_opt().expect("in range");
            if cal.is_working(d) {
                left -= 1;
            }
        }
        d
    }

    #[test]
    fn closed_form_equals_stepping_day_by_day() {
        // a fixed linear congruential generator: many calendars, reproducible
        let mut seed: u64 = 0x5eed;
        let mut next = |m: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        let base = NaiveDate::from_ymd_opt(2024, 1, 1).expect("date");
        let day = |k: u64| base + chrono::Duration::days(k as i64);
        for round in 0..400 {
            let hol: Vec<_> = (0..next(30)).map(|_| day(next(900))).collect();
            // some make-up days on weekends, some on weekdays, some also listed as holidays
            let mut work: Vec<_> = (0..next(12)).map(|_| day(next(900))).collect();
            if round % 3 == 0 {
                work.extend(hol.iter().take(2).copied());
            }
            let cal = WorkCalendar::new(&hol, &work);
            for _ in 0..20 {
                let from = day(next(800));
                let n = next(if round % 4 == 0 { 400 } else { 40 }) as u32;
                assert_eq!(
                    cal.add_working_days(from, n),
                    stepping(&cal, from, n),
                    "from {from} + {n}, holidays {hol:?}, workdays {work:?}"
                );
            }
        }
    }

    #[test]
    fn huge_counts_end_at_once() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 10).expect("date");
        let cal = WorkCalendar::new(&[d], &[]);
        assert_eq!(cal.checked_add_working_days(d, u32::MAX), None);
        assert_eq!(cal.add_working_days(d, u32::MAX), NaiveDate::MAX);
        // a weekend start counts from the Monday after
        let sat = NaiveDate::from_ymd_opt(2026, 3, 14).expect("date");
        assert_eq!(
            cal.add_working_days(sat, 1),
            NaiveDate::from_ymd_opt(2026, 3, 16).expect("date")
        );
        let cal = WorkCalendar::new(&[], &[]);
        assert_eq!(
            cal.add_working_days(NaiveDate::MAX.pred_opt().expect("day"), 5),
            NaiveDate::MAX
        );
    }
}
