//! The drill schedule: every drill the cadences require over a horizon, placed on working days
//! by a deterministic greedy search. Independent of the document model: it takes plain
//! [`Requirement`]s and [`Constraints`].
//!
//! Each plan's drills are chained: the first is due `interval` months after its anchor (last
//! done drill, or the day it took effect), the next `interval` months after the day the first
//! was placed, and so on until the horizon ends. Requirements are placed earliest due first
//! (ties by plan id). For one drill the candidate days run from half an interval before its due
//! date up to the due date (from the horizon start when it is already overdue); a day is
//! allowed when it is a weekday outside every blackout, its organisation has no drill that day
//! and fewer than the monthly cap that month, and, for a plan whose first hazard has a seasonal
//! window, inside that window. Among the allowed days the best score wins: inside a campaign
//! period, light organisation and overall load that month, late rather than early (a drill
//! held early shortens the plan's cycle). When no day is allowed the search widens (a full
//! interval back, then the season relaxed), and says so; when still nothing fits the drill is
//! reported unmet, with the reason.

use chrono::{Datelike, Months, NaiveDate, Weekday};
use std::collections::HashMap;

/// A month-day range (`from` after `to` wraps the new year).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthDays {
    pub from: (u32, u32),
    pub to: (u32, u32),
}

impl MonthDays {
    /// Parses `MM-DD` .. `MM-DD`.
    pub fn parse(from: &str, to: &str) -> Option<MonthDays> {
        let md = |s: &str| -> Option<(u32, u32)> {
            let (m, d) = s.split_once('-')?;
            let (m, d) = (m.parse().ok()?, d.parse().ok()?);
            // Validate against a leap year so 02-29 is accepted.
            NaiveDate::from_ymd_opt(2028, m, d)?;
            Some((m, d))
        };
        Some(MonthDays {
            from: md(from)?,
            to: md(to)?,
        })
    }
    pub fn contains(&self, d: NaiveDate) -> bool {
        let x = (d.month(), d.day());
        if self.from <= self.to {
            self.from <= x && x <= self.to
        } else {
            x >= self.from || x <= self.to
        }
    }
}

/// Where drills may and should go.
#[derive(Debug, Clone, Default)]
pub struct Constraints {
    /// Seasonal windows by hazard id, with the window's name.
    pub seasons: Vec<(String, Vec<String>, MonthDays)>,
    /// Preferred periods.
    pub campaigns: Vec<(String, MonthDays)>,
    pub yearly_blackouts: Vec<(String, MonthDays)>,
    pub blackouts: Vec<(String, NaiveDate, NaiveDate)>,
    pub max_per_org_month: u32,
    pub double_blind_share: f64,
}

impl Constraints {
    fn blackout(&self, d: NaiveDate) -> Option<&str> {
        self.blackouts
            .iter()
            .find(|(_, a, b)| *a <= d && d <= *b)
            .map(|(n, _, _)| n.as_str())
            .or_else(|| {
                self.yearly_blackouts
                    .iter()
                    .find(|(_, p)| p.contains(d))
                    .map(|(n, _)| n.as_str())
            })
    }
    /// The seasonal window of a hazard.
    pub fn season_of(&self, hazard: &str) -> Option<(&str, MonthDays)> {
        self.seasons
            .iter()
            .find(|(_, hs, _)| hs.iter().any(|h| h == hazard))
            .map(|(n, _, p)| (n.as_str(), *p))
    }
    fn campaign(&self, d: NaiveDate) -> Option<&str> {
        self.campaigns
            .iter()
            .find(|(_, p)| p.contains(d))
            .map(|(n, _)| n.as_str())
    }
}

/// One plan's drill requirement.
#[derive(Debug, Clone)]
pub struct Requirement {
    pub plan: String,
    pub title: String,
    /// The organisation that holds the drill (the enterprise, else the issuer).
    pub org: String,
    /// The hazard whose season applies (the plan's first hazard), if any.
    pub hazard: Option<String>,
    pub interval_months: u32,
    /// Last done drill, or the day the plan took effect.
    pub anchor: NaiveDate,
    /// On-site plans are preferred for double-blind drills.
    pub onsite: bool,
}

/// A drill placed on the calendar.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Slot {
    /// Stable id: plan and due date.
    pub uid: String,
    pub plan: String,
    pub title: String,
    pub org: String,
    pub date: NaiveDate,
    pub due: NaiveDate,
    pub double_blind: bool,
    /// Campaign period the date falls in.
    pub campaign: Option<String>,
    /// Why the placement is not the normal one (widened window, season relaxed, overdue).
    pub notes: Vec<String>,
}

/// A drill that could not be placed, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unmet {
    pub plan: String,
    pub org: String,
    pub due: NaiveDate,
    pub reason: String,
}

/// The result: slots sorted by date, organisation, plan.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Schedule {
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub slots: Vec<Slot>,
    pub unmet: Vec<Unmet>,
}

impl Schedule {
    /// The highest number of drills any organisation has in one month.
    pub fn worst_monthly_load(&self) -> u32 {
        let mut m: HashMap<(&str, i32, u32), u32> = HashMap::new();
        for s in &self.slots {
            *m.entry((s.org.as_str(), s.date.year(), s.date.month()))
                .or_default() += 1;
        }
        m.values().copied().max().unwrap_or(0)
    }
}

/// Occupancy while placing.
#[derive(Default)]
struct Load {
    /// Organisations are numbered once, so lookups allocate nothing.
    org_day: std::collections::HashSet<(u32, NaiveDate)>,
    org_month: HashMap<(u32, i32, u32), u32>,
    month: HashMap<(i32, u32), u32>,
}

impl Load {
    fn org_month(&self, org: u32, d: NaiveDate) -> u32 {
        self.org_month
            .get(&(org, d.year(), d.month()))
            .copied()
            .unwrap_or(0)
    }
    fn add(&mut self, org: u32, d: NaiveDate) {
        self.org_day.insert((org, d));
        *self
            .org_month
            .entry((org, d.year(), d.month()))
            .or_default() += 1;
        *self.month.entry((d.year(), d.month())).or_default() += 1;
    }
}

/// Why a day is not allowed (the first reason found).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Refusal {
    Weekend,
    Blackout,
    SameDay,
    Cap,
    Season,
}

/// Months after `d`, clamped at month ends.
fn add_months(d: NaiveDate, m: u32) -> NaiveDate {
    d.checked_add_months(Months::new(m))
        .unwrap_or(NaiveDate::MAX)
}
fn sub_months(d: NaiveDate, m: u32) -> NaiveDate {
    d.checked_sub_months(Months::new(m))
        .unwrap_or(NaiveDate::MIN)
}

/// What never changes about a day: weekend or blackout, campaign.
#[derive(Clone, Copy)]
struct Day {
    fixed: Option<Refusal>,
    campaign: bool,
}

/// The fixed facts of every day of the horizon, computed once.
struct Days {
    from: NaiveDate,
    days: Vec<Day>,
}

impl Days {
    fn new(c: &Constraints, from: NaiveDate, until: NaiveDate) -> Days {
        let n = (until - from).num_days().max(0) as usize;
        let days = from
            .iter_days()
            .take(n)
            .map(|d| Day {
                fixed: if matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                    Some(Refusal::Weekend)
                } else if c.blackout(d).is_some() {
                    Some(Refusal::Blackout)
                } else {
                    None
                },
                campaign: c.campaign(d).is_some(),
            })
            .collect();
        Days { from, days }
    }
    fn get(&self, d: NaiveDate) -> Option<Day> {
        usize::try_from((d - self.from).num_days())
            .ok()
            .and_then(|i| self.days.get(i).copied())
    }
}

struct Search<'a> {
    c: &'a Constraints,
    days: &'a Days,
    load: &'a Load,
    org: u32,
    season: Option<MonthDays>,
}

impl Search<'_> {
    fn refuse(&self, d: NaiveDate, season: bool) -> Option<Refusal> {
        match self.days.get(d) {
            Some(day) => {
                if day.fixed.is_some() {
                    return day.fixed;
                }
            }
            None => {
                if matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                    return Some(Refusal::Weekend);
                }
                if self.c.blackout(d).is_some() {
                    return Some(Refusal::Blackout);
                }
            }
        }
        if season && self.season.is_some_and(|s| !s.contains(d)) {
            return Some(Refusal::Season);
        }
        if self.load.org_day.contains(&(self.org, d)) {
            return Some(Refusal::SameDay);
        }
        if self.load.org_month(self.org, d) >= self.c.max_per_org_month {
            return Some(Refusal::Cap);
        }
        None
    }

    /// The best allowed day in `lo..=hi`, or the refusals met.
    fn best(&self, lo: NaiveDate, hi: NaiveDate, season: bool) -> Result<NaiveDate, Vec<Refusal>> {
        let mut best: Option<(i64, NaiveDate)> = None;
        let mut refusals = Vec::new();
        let span = (hi - lo).num_days().max(1);
        let mut d = lo;
        while d <= hi {
            match self.refuse(d, season) {
                Some(r) => {
                    if !refusals.contains(&r) {
                        refusals.push(r);
                    }
                }
                None => {
                    let org_load = i64::from(self.load.org_month(self.org, d));
                    let month_load = i64::from(
                        self.load
                            .month
                            .get(&(d.year(), d.month()))
                            .copied()
                            .unwrap_or(0),
                    );
                    let campaign = i64::from(match self.days.get(d) {
                        Some(day) => day.campaign,
                        None => self.c.campaign(d).is_some(),
                    });
                    let lateness = (d - lo).num_days() * 100 / span;
                    // Integer score: no float ties, fully deterministic.
                    let score = campaign * 400 - org_load * 1000 - month_load * 2 + lateness;
                    if best.is_none_or(|(s, _)| score > s) {
                        best = Some((score, d));
                    }
                }
            }
            match d.succ_opt() {
                Some(n) => d = n,
                None => break,
            }
        }
        best.map(|(_, d)| d).ok_or(refusals)
    }
}

fn explain(refusals: &[Refusal], lo: NaiveDate, hi: NaiveDate, c: &Constraints) -> String {
    let mut r = refusals.to_vec();
    r.sort();
    let words: Vec<String> = r
        .iter()
        .filter(|x| **x != Refusal::Weekend)
        .map(|x| match x {
            Refusal::Weekend => String::new(),
            Refusal::Blackout => "blackout periods 禁排期".into(),
            Refusal::SameDay => "another drill of the organisation that day 同日已有演练".into(),
            Refusal::Cap => format!(
                "the organisation already has {} drills a month 已达每月上限",
                c.max_per_org_month
            ),
            Refusal::Season => "outside the seasonal window 不在季节窗口内".into(),
        })
        .collect();
    let why = if words.is_empty() {
        "no working day 无工作日".to_string()
    } else {
        words.join("; ")
    };
    format!("no day from {lo} to {hi} fits 无可用日期: {why}")
}

/// Places every required drill due before `until` (exclusive), starting at `from`.
pub fn schedule(
    reqs: &[Requirement],
    c: &Constraints,
    from: NaiveDate,
    until: NaiveDate,
) -> Schedule {
    let mut load = Load::default();
    let days = Days::new(c, from, until);
    let mut org_ids: HashMap<&str, u32> = HashMap::new();
    for r in reqs {
        let n = org_ids.len() as u32;
        org_ids.entry(r.org.as_str()).or_insert(n);
    }
    let mut out = Schedule {
        from,
        until,
        ..Schedule::default()
    };
    // (next due, plan index) processed earliest due first; a placed drill queues the next.
    let mut queue: std::collections::BTreeSet<(NaiveDate, String, usize)> = reqs
        .iter()
        .enumerate()
        .filter(|(_, r)| r.interval_months > 0)
        .map(|(i, r)| (add_months(r.anchor, r.interval_months), r.plan.clone(), i))
        .collect();
    while let Some((due, _, i)) = queue.pop_first() {
        if due >= until {
            continue;
        }
        let r = &reqs[i];
        let season = r.hazard.as_deref().and_then(|h| c.season_of(h));
        let search = Search {
            c,
            days: &days,
            load: &load,
            org: org_ids.get(r.org.as_str()).copied().unwrap_or(0),
            season: season.map(|(_, p)| p),
        };
        let mut notes = Vec::new();
        let (lo, hi) = if due < from {
            notes.push(format!(
                "overdue since {due}: placed as early as possible 已逾期，尽早安排"
            ));
            (
                from,
                add_months(from, 2).min(until).pred_opt().unwrap_or(from),
            )
        } else {
            (
                sub_months(due, (r.interval_months / 2).max(1)).max(from),
                due,
            )
        };
        let wide_lo = sub_months(due, r.interval_months).max(from);
        let mut found = search.best(lo, hi, true);
        if found.is_err() && wide_lo < lo {
            found = search.best(wide_lo, hi, true).inspect(|_| {
                notes.push("placed early to meet other constraints 为满足约束提前安排".into())
            });
        }
        let (lo, hi) = (wide_lo.min(lo), hi);
        if let (Err(_), Some((name, _))) = (&found, season) {
            found = search.best(lo, hi, false).inspect(|_| {
                notes.push(format!(
                    "outside the seasonal window ({name}): no day in it before the due date 季节窗口内无可用日期"
                ))
            });
        }
        match found {
            Ok(d) => {
                load.add(org_ids.get(r.org.as_str()).copied().unwrap_or(0), d);
                out.slots.push(Slot {
                    uid: format!("{}-{}", r.plan, due.format("%Y%m%d")),
                    plan: r.plan.clone(),
                    title: r.title.clone(),
                    org: r.org.clone(),
                    date: d,
                    due,
                    double_blind: false,
                    campaign: c.campaign(d).map(str::to_string),
                    notes,
                });
                queue.insert((add_months(d, r.interval_months), r.plan.clone(), i));
            }
            Err(refusals) => out.unmet.push(Unmet {
                plan: r.plan.clone(),
                org: r.org.clone(),
                due,
                reason: explain(&refusals, lo, hi, c),
            }),
        }
    }
    mark_double_blind(&mut out.slots, reqs, c.double_blind_share);
    out.slots
        .sort_by(|a, b| (a.date, &a.org, &a.plan).cmp(&(b.date, &b.org, &b.plan)));
    out.unmet
        .sort_by(|a, b| (a.due, &a.plan).cmp(&(b.due, &b.plan)));
    out
}

/// Marks at least `share` of the slots double-blind: on-site plans first, then the others,
/// spread over the list by a stable hash of the uid (so the choice does not follow the date).
fn mark_double_blind(slots: &mut [Slot], reqs: &[Requirement], share: f64) {
    if slots.is_empty() || share <= 0.0 {
        return;
    }
    let want = ((slots.len() as f64) * share.min(1.0)).ceil() as usize;
    let onsite: HashMap<&str, bool> = reqs.iter().map(|r| (r.plan.as_str(), r.onsite)).collect();
    let mut order: Vec<usize> = (0..slots.len()).collect();
    let fnv = |s: &str| {
        s.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    };
    order.sort_by_key(|&i| {
        let s = &slots[i];
        (
            !onsite.get(s.plan.as_str()).copied().unwrap_or(false),
            fnv(&s.uid),
            s.uid.clone(),
        )
    });
    for &i in order.iter().take(want) {
        slots[i].double_blind = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    fn req(plan: &str, org: &str, hazard: Option<&str>, months: u32, anchor: &str) -> Requirement {
        Requirement {
            plan: plan.into(),
            title: plan.into(),
            org: org.into(),
            hazard: hazard.map(String::from),
            interval_months: months,
            anchor: d(anchor),
            onsite: months <= 6,
        }
    }

    fn hunan() -> Constraints {
        Constraints {
            seasons: vec![(
                "flood".into(),
                vec!["flood".into()],
                MonthDays::parse("03-01", "05-31").expect("md"),
            )],
            campaigns: vec![(
                "5.12".into(),
                MonthDays::parse("05-06", "05-18").expect("md"),
            )],
            yearly_blackouts: vec![(
                "国庆".into(),
                MonthDays::parse("10-01", "10-07").expect("md"),
            )],
            blackouts: vec![("春节".into(), d("2027-02-05"), d("2027-02-12"))],
            max_per_org_month: 1,
            double_blind_share: 0.25,
        }
    }

    #[test]
    fn onsite_plan_gets_two_drills_a_year() {
        let s = schedule(
            &[req("onsite", "ent", None, 6, "2026-12-10")],
            &hunan(),
            d("2027-01-01"),
            d("2029-01-01"),
        );
        assert_eq!(s.slots.len(), 4, "{s:#?}");
        for w in s.slots.windows(2) {
            assert!(w[1].date <= add_months(w[0].date, 6));
        }
        // The first is due 2027-06-10 and lands in the window before it.
        assert!(s.slots[0].date <= d("2027-06-10") && s.slots[0].date >= d("2027-03-10"));
    }

    #[test]
    fn flood_drills_land_in_the_season_and_prefer_5_12() {
        let s = schedule(
            &[req("flood", "gov", Some("flood"), 24, "2025-08-01")],
            &hunan(),
            d("2027-01-01"),
            d("2029-01-01"),
        );
        let first = &s.slots[0];
        assert!(
            first.date >= d("2027-03-01") && first.date <= d("2027-05-31"),
            "{first:?}"
        );
        assert_eq!(first.campaign.as_deref(), Some("5.12"));
        assert!(first.notes.is_empty(), "{first:?}");
    }

    #[test]
    fn blackouts_and_cap_are_honoured() {
        // Three plans of one organisation, all due in February 2027, cap 1 a month.
        let reqs: Vec<_> = ["a", "b", "c"]
            .iter()
            .map(|p| req(p, "org", None, 12, "2026-02-10"))
            .collect();
        let s = schedule(&reqs, &hunan(), d("2026-11-01"), d("2027-03-01"));
        assert_eq!(s.slots.len(), 3, "{s:#?}");
        let mut months: Vec<_> = s
            .slots
            .iter()
            .map(|x| (x.date.year(), x.date.month()))
            .collect();
        months.dedup();
        assert_eq!(months.len(), 3, "one a month: {s:#?}");
        for x in &s.slots {
            assert!(!(d("2027-02-05") <= x.date && x.date <= d("2027-02-12")));
            assert!(!matches!(x.date.weekday(), Weekday::Sat | Weekday::Sun));
        }
    }

    #[test]
    fn infeasible_requirement_is_explained() {
        // Overdue at the start, horizon of one month, cap 1: the second plan cannot fit.
        let reqs = vec![
            req("a", "org", None, 12, "2025-06-01"),
            req("b", "org", None, 12, "2025-06-01"),
        ];
        let s = schedule(&reqs, &hunan(), d("2027-03-01"), d("2027-04-01"));
        assert_eq!(s.slots.len(), 1);
        assert_eq!(s.unmet.len(), 1);
        let u = &s.unmet[0];
        assert_eq!(u.plan, "b");
        assert!(u.reason.contains("already has 1 drills a month"), "{u:?}");
    }

    #[test]
    fn same_input_same_schedule_and_blind_share() {
        let reqs: Vec<_> = (0..40)
            .map(|i| {
                req(
                    &format!("p{i:02}"),
                    &format!("o{}", i % 7),
                    None,
                    6 + (i % 3) * 6,
                    "2026-09-15",
                )
            })
            .collect();
        let a = schedule(&reqs, &hunan(), d("2027-01-01"), d("2029-01-01"));
        let b = schedule(&reqs, &hunan(), d("2027-01-01"), d("2029-01-01"));
        assert_eq!(a.slots, b.slots);
        let blind = a.slots.iter().filter(|s| s.double_blind).count();
        assert!(blind * 4 >= a.slots.len(), "{blind} of {}", a.slots.len());
        assert!(a.worst_monthly_load() <= 1);
    }

    /// Not a timed test: `cargo test --release --lib schedule_10k -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn schedule_10k_plans() {
        let kinds = [
            (6, None),
            (12, None),
            (24, Some("flood")),
            (36, Some("forest-fire")),
            (36, None),
        ];
        let reqs: Vec<_> = (0..10_000)
            .map(|i| {
                let (m, h) = kinds[i % kinds.len()];
                let anchor = format!("2026-{:02}-{:02}", 1 + i % 12, 1 + i % 28);
                req(&format!("p{i:05}"), &format!("org{}", i / 8), h, m, &anchor)
            })
            .collect();
        let mut c = hunan();
        c.max_per_org_month = 2;
        let t = std::time::Instant::now();
        let s = schedule(&reqs, &c, d("2027-01-01"), d("2029-01-01"));
        let took = t.elapsed();
        println!(
            "10,000 plans, 24 months: {} drills, {} unmet, worst organisation month {}, {took:?}",
            s.slots.len(),
            s.unmet.len(),
            s.worst_monthly_load()
        );
        assert!(s.worst_monthly_load() <= 2);
    }

    #[test]
    fn wrapping_month_days() {
        let w = MonthDays::parse("10-01", "04-30").expect("md");
        assert!(w.contains(d("2027-01-15")));
        assert!(!w.contains(d("2027-06-15")));
        assert!(MonthDays::parse("13-01", "04-30").is_none());
    }
}
