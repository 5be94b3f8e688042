//! The drill schedule: every drill the cadences require over a horizon, placed on working days
//! by a deterministic greedy search. Independent of the document model: it takes plain
//! [`Requirement`]s, the drills already on record as planned ([`Fixed`]) and [`Constraints`].
//!
//! Fixed drills go on the calendar first, on their own dates (a constraint they break becomes a
//! note, never a move). Each plan's drills are chained: the first is due `interval` months
//! after its anchor (last done drill, or the day it took effect), the next `interval` months
//! after the day the first was held or placed, and so on until the horizon ends; a fixed drill
//! of the plan up to one interval after a due date meets it (no proposal). Requirements are
//! placed earliest deadline first (the due date; for an overdue drill the end of the horizon's
//! first two months), ties by plan id. For one drill the candidate days run from half an
//! interval before its due date up to the due date (the first two months when it is already
//! overdue); a day is allowed when it is a weekday outside every blackout, its organisation has
//! no drill that day and fewer than the monthly cap that month, and, for a plan whose first
//! hazard has a seasonal window, inside that window. Among the allowed days the best score
//! wins: inside a campaign period, light organisation and overall load that month, late rather
//! than early (a drill held early shortens the plan's cycle). When no day is allowed the search
//! widens (a full interval back, then the season relaxed), and says so; an overdue drill that
//! still finds no day waits until the on-time drills are placed and takes the first free day;
//! when still nothing fits the drill is reported unmet, with the reason.
//!
//! Margin: a proposal looks first at the days up to `slack_days` before its due date and only
//! then at the rest of its window; one placed closer carries a note. Double-blind drills are
//! chosen while placing (the share so far; on-site plans first), on a day drawn from their
//! window, and the next drill of the plan is counted from the window's start, not from their
//! date; the day scores read loads without them. So no date of the public edition, which
//! leaves them out, is derived from a double-blind drill's date (docs/drills.md §4).

use crate::diag::Text;
use crate::model::drill::{BlindLevel, DrillContent, DrillForm};
use crate::text;
use chrono::{Datelike, Months, NaiveDate, Weekday};
use std::collections::HashMap;

/// Month-day ranges are a configuration type (`[drills]` seasons and periods).
pub(crate) use crate::config::MonthDays;

/// Where drills may and should go.
#[derive(Debug, Clone, Default)]
pub struct Constraints {
    /// Seasonal windows by hazard id, with the window's name.
    pub(crate) seasons: Vec<(String, Vec<String>, MonthDays)>,
    /// Preferred periods.
    pub(crate) campaigns: Vec<(String, MonthDays)>,
    pub(crate) yearly_blackouts: Vec<(String, MonthDays)>,
    pub(crate) blackouts: Vec<(String, NaiveDate, NaiveDate)>,
    pub max_per_org_month: u32,
    pub(crate) double_blind_share: f64,
    /// Days before its due date a proposal is placed when the constraints allow (`[drills]
    /// slack_days`); one that cannot get them carries a note.
    pub(crate) slack_days: u32,
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
    pub(crate) fn season_of(&self, hazard: &str) -> Option<(&str, MonthDays)> {
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
    /// Form and content proposed for the drills placed for it.
    pub form: DrillForm,
    pub content: DrillContent,
    /// Indexes into the `fixed` list of the drills on record as planned that count for this
    /// plan, by date.
    pub fixed: Vec<usize>,
}

/// A drill on record as `status: planned`: a fixed slot. It stays on its date, counts toward
/// the caps, the one-drill-a-day rule and the double-blind share, and satisfies the plans it
/// exercises; a constraint it breaks is a note on its slot, never a move.
#[derive(Debug, Clone)]
pub struct Fixed {
    /// The drill record's id.
    pub record: String,
    pub title: String,
    /// The plans it exercises (the first is the slot's `plan`).
    pub plans: Vec<String>,
    /// The organising unit.
    pub org: String,
    pub date: NaiveDate,
    pub form: DrillForm,
    pub content: DrillContent,
    pub blind: BlindLevel,
}

/// A drill on the calendar: proposed by the scheduler, or fixed (on record as planned).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Slot {
    /// Stable id: plan and due date (proposed), the drill record's id (fixed).
    pub(crate) uid: String,
    pub(crate) plan: String,
    /// Further plans a fixed drill exercises.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) also: Vec<String>,
    pub(crate) title: String,
    pub org: String,
    pub date: NaiveDate,
    /// The latest day the requirement it meets allowed (a fixed drill that meets none: its date).
    pub(crate) due: NaiveDate,
    /// The drill record it comes from (fixed slots); `None` for proposals.
    pub(crate) record: Option<String>,
    pub(crate) form: DrillForm,
    pub(crate) content: DrillContent,
    pub(crate) blind: BlindLevel,
    /// `blind == double` (kept for readers of schedule.json).
    pub double_blind: bool,
    /// Campaign period the date falls in.
    pub(crate) campaign: Option<String>,
    /// Why the placement is not the normal one (widened window, season relaxed, overdue); for
    /// fixed slots, the constraints they break. In both languages: the terminal says one,
    /// the printed schedule (a Chinese document) the Chinese.
    pub(crate) notes: Vec<Text>,
}

impl Slot {
    /// On record as planned (not proposed).
    pub fn is_fixed(&self) -> bool {
        self.record.is_some()
    }
    /// Every plan the drill exercises.
    pub(crate) fn plans(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.plan.as_str()).chain(self.also.iter().map(String::as_str))
    }
}

/// A drill that could not be placed, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unmet {
    pub plan: String,
    pub(crate) org: String,
    pub due: NaiveDate,
    /// In both languages, as the notes of a slot.
    pub reason: Text,
}

/// The result: slots sorted by date, organisation, plan.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Schedule {
    pub(crate) from: NaiveDate,
    pub(crate) until: NaiveDate,
    pub slots: Vec<Slot>,
    pub unmet: Vec<Unmet>,
}

/// Months since year 0 (January = 0), to index monthly counts.
fn month_ix(d: NaiveDate) -> i64 {
    i64::from(d.year()) * 12 + i64::from(d.month0())
}

impl Schedule {
    /// The highest number of drills any organisation has in one month.
    pub fn worst_monthly_load(&self) -> u32 {
        let mut m: HashMap<(&str, i64), u32> = HashMap::new();
        for s in &self.slots {
            *m.entry((s.org.as_str(), month_ix(s.date))).or_default() += 1;
        }
        m.values().copied().max().unwrap_or(0)
    }

    /// Fixed slots with notes: planned drills that break a constraint or come late.
    pub fn conflicts(&self) -> impl Iterator<Item = &Slot> {
        self.slots
            .iter()
            .filter(|s| s.is_fixed() && !s.notes.is_empty())
    }
}

/// Occupancy while placing: organisations are numbered once and months counted from the
/// horizon's first, so every lookup is an index (no hashing in the inner loop).
struct Load {
    first_month: i64,
    months: usize,
    /// Drill days of each organisation.
    org_days: Vec<Vec<NaiveDate>>,
    /// Drills per organisation and month: `org * months + month`.
    org_month: Vec<u32>,
    month: Vec<u32>,
    /// The same without double-blind drills: what the score of a day reads, so that where a
    /// public drill goes says nothing of a double-blind one (the caps count every drill).
    org_month_public: Vec<u32>,
}

impl Load {
    fn new(orgs: usize, from: NaiveDate, until: NaiveDate) -> Load {
        let first_month = month_ix(from);
        let months = (month_ix(until) - first_month + 1).max(1) as usize;
        Load {
            first_month,
            months,
            org_days: vec![Vec::new(); orgs],
            org_month: vec![0; orgs * months],
            month: vec![0; months],
            org_month_public: vec![0; orgs * months],
        }
    }
    fn month(&self, d: NaiveDate) -> Option<usize> {
        usize::try_from(month_ix(d) - self.first_month)
            .ok()
            .filter(|m| *m < self.months)
    }
    fn org_month(&self, org: u32, d: NaiveDate) -> u32 {
        self.month(d)
            .map_or(0, |m| self.org_month[org as usize * self.months + m])
    }
    fn org_month_at(&self, org: u32, m: usize) -> u32 {
        self.org_month
            .get(org as usize * self.months + m)
            .copied()
            .unwrap_or(0)
    }
    fn busy(&self, org: u32, d: NaiveDate) -> bool {
        self.org_days[org as usize].contains(&d)
    }
    fn add(&mut self, org: u32, d: NaiveDate, hidden: bool) {
        self.org_days[org as usize].push(d);
        if let Some(m) = self.month(d) {
            self.org_month[org as usize * self.months + m] += 1;
            if !hidden {
                self.org_month_public[org as usize * self.months + m] += 1;
                self.month[m] += 1;
            }
        }
    }
    fn org_month_public_at(&self, org: u32, m: usize) -> u32 {
        self.org_month_public
            .get(org as usize * self.months + m)
            .copied()
            .unwrap_or(0)
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

/// What never changes about a day: weekend or blackout, campaign, its month (an index of the
/// horizon's months) and month-day, so the search computes no calendar dates.
#[derive(Clone, Copy)]
struct Day {
    date: NaiveDate,
    fixed: Option<Refusal>,
    campaign: bool,
    month: usize,
    md: (u32, u32),
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
                date: d,
                fixed: if matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                    Some(Refusal::Weekend)
                } else if c.blackout(d).is_some() {
                    Some(Refusal::Blackout)
                } else {
                    None
                },
                campaign: c.campaign(d).is_some(),
                month: (month_ix(d) - month_ix(from)).max(0) as usize,
                md: (d.month(), d.day()),
            })
            .collect();
        Days { from, days }
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
    /// Why day `i` of the horizon is not allowed, if it is not.
    fn refuse(&self, day: &Day, season: bool) -> Option<Refusal> {
        if day.fixed.is_some() {
            return day.fixed;
        }
        if season && self.season.is_some_and(|s| !s.contains_md(day.md)) {
            return Some(Refusal::Season);
        }
        if self.load.busy(self.org, day.date) {
            return Some(Refusal::SameDay);
        }
        if self.load.org_month_at(self.org, day.month) >= self.c.max_per_org_month {
            return Some(Refusal::Cap);
        }
        None
    }

    /// The horizon's days from `lo` to `hi` (both included; clamped to the horizon).
    fn span(&self, lo: NaiveDate, hi: NaiveDate) -> &[Day] {
        let ix = |d: NaiveDate| (d - self.days.from).num_days();
        let n = self.days.days.len() as i64;
        let (a, b) = (ix(lo).clamp(0, n), (ix(hi) + 1).clamp(0, n));
        self.days
            .days
            .get(a as usize..b.max(a) as usize)
            .unwrap_or(&[])
    }

    /// The first allowed day after `after` up to `hi` (season relaxed), or the refusals met.
    fn earliest(&self, after: NaiveDate, hi: NaiveDate) -> Result<NaiveDate, Vec<Refusal>> {
        let mut refusals = Vec::new();
        for day in self.span(after, hi).iter().filter(|d| d.date > after) {
            match self.refuse(day, false) {
                None => return Ok(day.date),
                Some(r) if !refusals.contains(&r) => refusals.push(r),
                Some(_) => {}
            }
        }
        Err(refusals)
    }

    /// An allowed day of `lo..=hi` (season kept) drawn by `seed`, if any.
    fn draw(&self, lo: NaiveDate, hi: NaiveDate, seed: u64) -> Option<NaiveDate> {
        let days = self.span(lo, hi);
        let allowed = days
            .iter()
            .filter(|d| self.refuse(d, true).is_none())
            .count();
        let k = usize::try_from(seed % (allowed.max(1) as u64)).unwrap_or(0);
        days.iter()
            .filter(|d| self.refuse(d, true).is_none())
            .nth(k)
            .map(|d| d.date)
    }

    /// The best allowed day in `lo..=hi`, or the refusals met.
    fn best(&self, lo: NaiveDate, hi: NaiveDate, season: bool) -> Result<NaiveDate, Vec<Refusal>> {
        let mut best: Option<(i64, NaiveDate)> = None;
        let mut refusals = Vec::new();
        let days = self.span(lo, hi);
        let span = (days.len() as i64 - 1).max(1);
        for (i, day) in days.iter().enumerate() {
            match self.refuse(day, season) {
                Some(r) => {
                    if !refusals.contains(&r) {
                        refusals.push(r);
                    }
                }
                None => {
                    let org_load = i64::from(self.load.org_month_public_at(self.org, day.month));
                    let month_load =
                        i64::from(self.load.month.get(day.month).copied().unwrap_or(0));
                    let campaign = i64::from(day.campaign);
                    let lateness = i as i64 * 100 / span;
                    // Integer score: no float ties, fully deterministic.
                    let score = campaign * 400 - org_load * 1000 - month_load * 2 + lateness;
                    if best.is_none_or(|(s, _)| score > s) {
                        best = Some((score, day.date));
                    }
                }
            }
        }
        best.map(|(_, d)| d).ok_or(refusals)
    }
}

fn explain(refusals: &[Refusal], lo: NaiveDate, hi: NaiveDate, c: &Constraints) -> Text {
    let mut r = refusals.to_vec();
    r.sort();
    let words: Vec<Text> = r
        .iter()
        .filter(|x| **x != Refusal::Weekend)
        .map(|x| match x {
            Refusal::Weekend => text!("", ""),
            Refusal::Blackout => text!("禁排期", "blackout periods"),
            Refusal::SameDay => text!("同日已有演练", "another drill of the organisation that day"),
            Refusal::Cap => {
                let n = c.max_per_org_month;
                text!(
                    "该单位每月已有 {n} 次演练（已达上限）",
                    "the organisation already has {n} drills a month"
                )
            }
            Refusal::Season => text!("不在季节窗口内", "outside the seasonal window"),
        })
        .collect();
    let (why_zh, why_en) = if words.is_empty() {
        ("无工作日".to_string(), "no working day".to_string())
    } else {
        (
            words
                .iter()
                .map(|w| w.zh.as_str())
                .collect::<Vec<_>>()
                .join("；"),
            words
                .iter()
                .map(|w| w.en.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        )
    };
    text!(
        "{lo} 至 {hi} 之间没有可用日期：{why_zh}",
        "no day from {lo} to {hi} fits: {why_en}"
    )
}

/// Places the fixed drills inside the horizon first (never moved; the constraints they break
/// become notes) and returns their slots, indexed like `fixed` (`None` outside the horizon).
fn place_fixed(
    reqs: &[Requirement],
    fixed: &[Fixed],
    c: &Constraints,
    load: &mut Load,
    org_ids: &HashMap<&str, u32>,
    from: NaiveDate,
    until: NaiveDate,
) -> Vec<Option<Slot>> {
    let mut order: Vec<usize> = (0..fixed.len()).collect();
    order.sort_by(|&a, &b| {
        (fixed[a].date, &fixed[a].record).cmp(&(fixed[b].date, &fixed[b].record))
    });
    let mut out: Vec<Option<Slot>> = vec![None; fixed.len()];
    let mut by_fixed: Vec<Vec<usize>> = vec![Vec::new(); fixed.len()];
    for (k, r) in reqs.iter().enumerate() {
        for &i in &r.fixed {
            if let Some(v) = by_fixed.get_mut(i) {
                v.push(k);
            }
        }
    }
    for i in order {
        let f = &fixed[i];
        if f.date < from || f.date >= until {
            continue;
        }
        let org = org_ids.get(f.org.as_str()).copied().unwrap_or(0);
        let mut notes = Vec::new();
        if let Some(b) = c.blackout(f.date) {
            notes.push(text!("处于禁排期 {b}", "in the blackout period {b}"));
        }
        if load.busy(org, f.date) {
            let o = &f.org;
            notes.push(text!("{o} 同日已有演练", "{o} has another drill that day"));
        }
        if load.org_month(org, f.date) >= c.max_per_org_month {
            let (o, n) = (&f.org, c.max_per_org_month);
            notes.push(text!(
                "{o} 当月已有 {n} 次演练，超过每月上限",
                "{o} already has {n} drills that month"
            ));
        }
        for r in by_fixed[i].iter().map(|&k| &reqs[k]) {
            if let Some((name, season)) = r.hazard.as_deref().and_then(|h| c.season_of(h)) {
                if !season.contains(f.date) {
                    let p = &r.plan;
                    notes.push(text!(
                        "不在 {p} 的季节窗口（{name}）内",
                        "outside the seasonal window ({name}) of {p}"
                    ));
                }
            }
        }
        load.add(org, f.date, f.blind == BlindLevel::Double);
        out[i] = Some(Slot {
            uid: f.record.clone(),
            plan: f.plans.first().cloned().unwrap_or_default(),
            also: f.plans.iter().skip(1).cloned().collect(),
            title: f.title.clone(),
            org: f.org.clone(),
            date: f.date,
            // set by the requirement it meets; its own date when it meets none
            due: NaiveDate::MAX,
            record: Some(f.record.clone()),
            form: f.form,
            content: f.content,
            blind: f.blind,
            double_blind: f.blind == BlindLevel::Double,
            campaign: c.campaign(f.date).map(str::to_string),
            notes,
        });
    }
    out
}

/// Places every required drill due before `until` (exclusive), starting at `from`, around the
/// `fixed` drills (on record as planned).
pub fn schedule(
    reqs: &[Requirement],
    fixed: &[Fixed],
    c: &Constraints,
    from: NaiveDate,
    until: NaiveDate,
) -> Schedule {
    let days = Days::new(c, from, until);
    let mut org_ids: HashMap<&str, u32> = HashMap::new();
    for o in reqs
        .iter()
        .map(|r| &r.org)
        .chain(fixed.iter().map(|f| &f.org))
    {
        let n = org_ids.len() as u32;
        org_ids.entry(o.as_str()).or_insert(n);
    }
    let mut load = Load::new(org_ids.len(), from, until);
    let mut fixed_slots = place_fixed(reqs, fixed, c, &mut load, &org_ids, from, until);
    let mut out = Schedule {
        from,
        until,
        ..Schedule::default()
    };
    // Drills on the calendar and double-blind ones so far (fixed ones count from the start).
    let mut placed = fixed_slots.iter().flatten().count();
    let mut blind_count = fixed_slots
        .iter()
        .flatten()
        .filter(|s| s.double_blind)
        .count();
    let any_onsite = reqs.iter().any(|r| r.onsite && r.interval_months > 0);
    // Mixed into the draw of double-blind days: what the repository holds (anchors, drills
    // on record), not what the public edition shows.
    let salt = reqs
        .iter()
        .map(|r| fnv(&r.anchor.to_string()) ^ fnv(&r.plan))
        .chain(
            fixed
                .iter()
                .map(|f| fnv(&f.record) ^ fnv(&f.date.to_string())),
        )
        .fold(0u64, |a, h| a.rotate_left(7) ^ h);
    // Per plan: how many of its fixed drills the chain has passed.
    let mut passed = vec![0usize; reqs.len()];
    // Overdue drills that found no day in the first two months wait until the on-time drills
    // are placed (an on-time requirement can still be met; an overdue one is late already).
    let mut deferred = vec![false; reqs.len()];
    let last_day = until.pred_opt().unwrap_or(until);
    // Earliest deadline first: (last allowed day, plan rank, due); a placed drill queues the
    // next. Ties go by plan id: the index order of `by_plan`.
    let mut by_plan: Vec<usize> = (0..reqs.len()).collect();
    by_plan.sort_by(|&a, &b| reqs[a].plan.cmp(&reqs[b].plan));
    let mut rank = vec![0usize; reqs.len()];
    for (k, &i) in by_plan.iter().enumerate() {
        rank[i] = k;
    }
    // an overdue drill goes into the first two months of the horizon
    let overdue_hi = add_months(from, 2).min(until).pred_opt().unwrap_or(from);
    let deadline = |due: NaiveDate| if due < from { overdue_hi } else { due };
    type Entry = std::cmp::Reverse<(NaiveDate, usize, NaiveDate)>;
    let entry = |due: NaiveDate, k: usize| -> Entry { std::cmp::Reverse((deadline(due), k, due)) };
    let mut queue: std::collections::BinaryHeap<Entry> = reqs
        .iter()
        .enumerate()
        .filter(|(_, r)| r.interval_months > 0)
        .map(|(i, r)| entry(add_months(r.anchor, r.interval_months), rank[i]))
        .collect();
    while let Some(std::cmp::Reverse((hi, k, due))) = queue.pop() {
        if due >= until {
            continue;
        }
        let i = by_plan[k];
        let r = &reqs[i];
        let org = org_ids.get(r.org.as_str()).copied().unwrap_or(0);
        let season = r.hazard.as_deref().and_then(|h| c.season_of(h));
        let mut notes = Vec::new();
        let overdue = due < from;
        let lo = if overdue {
            from
        } else {
            sub_months(due, (r.interval_months / 2).max(1)).max(from)
        };
        // A fixed drill up to one interval after the latest proposal day meets this
        // requirement (late ones with a note): no duplicate is proposed.
        if let Some(&fi) = r.fixed.get(passed[i]) {
            let f = &fixed[fi];
            if f.date < add_months(hi, r.interval_months) {
                passed[i] += 1;
                if let Some(slot) = fixed_slots[fi].as_mut() {
                    slot.due = slot.due.min(due);
                    if overdue {
                        let p = &r.plan;
                        slot.notes
                            .push(text!("{p} 自 {due} 起已逾期", "{p} is overdue since {due}"));
                    } else if f.date > due {
                        let (days, p) = ((f.date - due).num_days(), &r.plan);
                        slot.notes.push(text!(
                            "晚于 {p} 的应演练日期（{due}）{days} 天",
                            "{days} days after {p} falls due ({due})"
                        ));
                    }
                }
                // A double-blind drill's successor runs from a day that does not depend on
                // its date: the first of the window start, the widened window start or the
                // horizon's start that is not after it (so the cadence still holds).
                let base = if f.blind == BlindLevel::Double {
                    let wide_lo = sub_months(due, r.interval_months).max(from);
                    [lo, wide_lo, from]
                        .into_iter()
                        .find(|b| *b <= f.date)
                        .unwrap_or(f.date)
                } else {
                    f.date
                };
                queue.push(entry(add_months(base, r.interval_months), k));
                continue;
            }
        }
        if overdue {
            notes.push(text!(
                "自 {due} 起已逾期，尽早安排",
                "overdue since {due}: placed as early as possible"
            ));
        }
        let search = Search {
            c,
            days: &days,
            load: &load,
            org,
            season: season.map(|(_, p)| p),
        };
        let wide_lo = sub_months(due, r.interval_months).max(from);
        let mut found;
        let mut blind = false;
        if deferred[i] {
            found = search
                .earliest(from.pred_opt().unwrap_or(from), last_day)
                .inspect(|_| {
                    notes.push(text!(
                        "前两个月无可用日期，顺延到第一个可用日期",
                        "no day in the first two months: placed at the first free day"
                    ))
                });
        } else {
            // the margin first: the window up to `slack_days` before the due date
            let margin_hi = due - chrono::Days::new(u64::from(c.slack_days));
            found = Err(Vec::new());
            // A double-blind drill, when the share so far asks for one: any allowed day of its
            // normal window up to the margin, drawn by a hash (not the latest, which a player
            // could guess from the public edition).
            let want = ((placed + 1) as f64 * c.double_blind_share.min(1.0)).ceil() as usize;
            if !overdue
                && c.double_blind_share > 0.0
                && (r.onsite || !any_onsite)
                && blind_count < want
                && margin_hi >= lo
            {
                let seed = fnv(&r.plan) ^ fnv(&due.to_string()) ^ salt;
                // The window's start can be worked out from the public edition (the plan's next
                // drill is counted from it), give or take the days month arithmetic rounds: keep
                // the hidden day a week clear of it where the window allows.
                let guard = lo + chrono::Days::new(BLIND_GUARD_DAYS);
                let drawn = if guard <= margin_hi {
                    search.draw(guard, margin_hi, seed)
                } else {
                    None
                };
                if let Some(d) = drawn.or_else(|| search.draw(lo, margin_hi, seed)) {
                    found = Ok(d);
                    blind = true;
                }
            }
            if found.is_err() && c.slack_days > 0 && margin_hi >= lo && !overdue {
                found = search.best(lo, margin_hi, true);
            }
            if found.is_err() {
                found = search.best(lo, hi, true);
            }
            if found.is_err() && wide_lo < lo {
                found = search.best(wide_lo, hi, true).inspect(|_| {
                    notes.push(text!(
                        "为满足其他约束提前安排",
                        "placed early to meet other constraints"
                    ))
                });
            }
            if let (Err(_), Some((name, _))) = (&found, season) {
                found = search.best(wide_lo.min(lo), hi, false).inspect(|_| {
                    notes.push(text!(
                        "不在季节窗口（{name}）内：窗口内在应演练日期前无可用日期",
                        "outside the seasonal window ({name}): no day in it before the due date"
                    ))
                });
            }
            if found.is_err() && overdue && hi < last_day {
                deferred[i] = true;
                queue.push(std::cmp::Reverse((last_day, k, due)));
                continue;
            }
        }
        // A proposal is double-blind when the share so far asks for one and it was placed in
        // its normal window (no note): its window start, not its date, then anchors the next
        // drill of the plan, so no later public drill gives its date away.
        let (window_lo, lo, hi) = (lo, wide_lo.min(lo), hi);
        match found {
            Ok(d) => {
                load.add(org, d, blind);
                placed += 1;
                blind_count += usize::from(blind);
                if !overdue && d + chrono::Days::new(u64::from(c.slack_days)) > due {
                    let (left, want) = ((due - d).num_days(), c.slack_days);
                    notes.push(text!(
                        "距最迟日期仅 {left} 天（不足 {want} 天）：受约束所限，没有更早的日期",
                        "only {left} days before it falls due, not {want}: the constraints left no earlier day"
                    ));
                }
                out.slots.push(Slot {
                    uid: format!("{}-{}", r.plan, due.format("%Y%m%d")),
                    plan: r.plan.clone(),
                    also: Vec::new(),
                    title: r.title.clone(),
                    org: r.org.clone(),
                    date: d,
                    due,
                    record: None,
                    form: r.form,
                    content: r.content,
                    blind: if blind {
                        BlindLevel::Double
                    } else {
                        BlindLevel::None
                    },
                    double_blind: blind,
                    campaign: c.campaign(d).map(str::to_string),
                    notes,
                });
                let base = if blind { window_lo } else { d };
                queue.push(entry(add_months(base, r.interval_months), k));
            }
            Err(refusals) => out.unmet.push(Unmet {
                plan: r.plan.clone(),
                org: r.org.clone(),
                due,
                reason: explain(&refusals, lo, hi, c),
            }),
        }
    }
    for mut s in fixed_slots.into_iter().flatten() {
        if s.due == NaiveDate::MAX {
            s.due = s.date;
        }
        out.slots.push(s);
    }
    mark_double_blind(&mut out.slots, reqs, c.double_blind_share);
    out.slots
        .sort_by(|a, b| (a.date, &a.org, &a.plan, &a.uid).cmp(&(b.date, &b.org, &b.plan, &b.uid)));
    out.unmet
        .sort_by(|a, b| (a.due, &a.plan).cmp(&(b.due, &b.plan)));
    out
}

/// Days after its window's start that a double-blind drill keeps clear of (see its placement).
const BLIND_GUARD_DAYS: u64 = 7;

/// FNV-1a: a stable hash (the same on every run and platform).
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Tops the double-blind drills up to at least `share` of the slots when the choice made while
/// placing fell short (too few on-site plans early on). Among the proposals not yet marked, the
/// last of each plan's chain first (no later drill of the plan runs from its date, so none can
/// give it away), on-site plans first, then spread by a stable hash of the uid (so the choice
/// does not follow the date). Fixed drills keep their level.
fn mark_double_blind(slots: &mut [Slot], reqs: &[Requirement], share: f64) {
    if slots.is_empty() || share <= 0.0 {
        return;
    }
    let want = ((slots.len() as f64) * share.min(1.0)).ceil() as usize;
    let have = slots.iter().filter(|s| s.double_blind).count();
    if have >= want {
        return;
    }
    let onsite: HashMap<&str, bool> = reqs.iter().map(|r| (r.plan.as_str(), r.onsite)).collect();
    // the latest date of each plan's drills
    let mut last: HashMap<&str, NaiveDate> = HashMap::new();
    for s in slots.iter() {
        for p in s.plans() {
            let e = last.entry(p).or_insert(s.date);
            *e = (*e).max(s.date);
        }
    }
    let mut order: Vec<usize> = (0..slots.len())
        .filter(|&i| !slots[i].is_fixed() && !slots[i].double_blind)
        .collect();
    order.sort_by_cached_key(|&i| {
        let s = &slots[i];
        (
            !s.notes.is_empty(),
            last.get(s.plan.as_str()).is_some_and(|d| *d > s.date),
            !onsite.get(s.plan.as_str()).copied().unwrap_or(false),
            fnv(&s.uid),
            s.uid.clone(),
        )
    });
    for &i in order.iter().take(want - have) {
        slots[i].double_blind = true;
        slots[i].blind = BlindLevel::Double;
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
            form: DrillForm::Tabletop,
            content: DrillContent::Comprehensive,
            fixed: Vec::new(),
        }
    }

    fn sched(reqs: &[Requirement], c: &Constraints, from: NaiveDate, until: NaiveDate) -> Schedule {
        schedule(reqs, &[], c, from, until)
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
            slack_days: 30,
        }
    }

    #[test]
    fn onsite_plan_gets_two_drills_a_year() {
        // without the margin and double-blind drills: exactly two a year
        let mut c = hunan();
        c.slack_days = 0;
        c.double_blind_share = 0.0;
        let s = sched(
            &[req("onsite", "ent", None, 6, "2026-12-10")],
            &c,
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
        // (a double-blind drill's day is drawn, not scored: none here)
        let mut c = hunan();
        c.double_blind_share = 0.0;
        let s = sched(
            &[req("flood", "gov", Some("flood"), 24, "2025-08-01")],
            &c,
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
        let s = sched(&reqs, &hunan(), d("2026-11-01"), d("2027-03-01"));
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
        let s = sched(&reqs, &hunan(), d("2027-03-01"), d("2027-04-01"));
        assert_eq!(s.slots.len(), 1);
        assert_eq!(s.unmet.len(), 1);
        let u = &s.unmet[0];
        assert_eq!(u.plan, "b");
        assert!(
            u.reason.en.contains("already has 1 drills a month"),
            "{u:?}"
        );
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
        let a = sched(&reqs, &hunan(), d("2027-01-01"), d("2029-01-01"));
        let b = sched(&reqs, &hunan(), d("2027-01-01"), d("2029-01-01"));
        assert_eq!(a.slots, b.slots);
        let blind = a.slots.iter().filter(|s| s.double_blind).count();
        assert!(blind * 4 >= a.slots.len(), "{blind} of {}", a.slots.len());
        assert!(a.worst_monthly_load() <= 1);
    }

    fn fixed(record: &str, plans: &[&str], org: &str, date: &str, blind: BlindLevel) -> Fixed {
        Fixed {
            record: record.into(),
            title: record.into(),
            plans: plans.iter().map(|p| p.to_string()).collect(),
            org: org.into(),
            date: d(date),
            form: DrillForm::Live,
            content: DrillContent::Single,
            blind,
        }
    }

    #[test]
    fn a_planned_drill_meets_the_requirement_and_stays_put() {
        let mut r = req("onsite", "ent", None, 6, "2026-12-10");
        r.fixed = vec![0];
        let f = [fixed(
            "dr-h1",
            &["onsite"],
            "ent",
            "2027-05-20",
            BlindLevel::None,
        )];
        let s = schedule(&[r], &f, &hunan(), d("2027-01-01"), d("2028-01-01"));
        let dates: Vec<(NaiveDate, bool)> =
            s.slots.iter().map(|x| (x.date, x.is_fixed())).collect();
        // No proposal before the planned drill; the chain runs on from its date.
        assert_eq!(dates[0], (d("2027-05-20"), true), "{s:#?}");
        assert_eq!(dates.len(), 2, "{s:#?}");
        assert!(!dates[1].1 && dates[1].0 <= d("2027-11-20"), "{s:#?}");
        let first = &s.slots[0];
        assert_eq!(first.uid, "dr-h1");
        assert_eq!(first.due, d("2027-06-10"));
        assert!(first.notes.is_empty(), "{first:?}");
        assert!(s.unmet.is_empty());
    }

    #[test]
    fn planned_drills_breaking_constraints_are_noted_not_moved() {
        let mut c = hunan();
        c.max_per_org_month = 1;
        let mut a = req("a", "org", None, 12, "2026-06-01");
        a.fixed = vec![0];
        let mut b = req("b", "org", None, 12, "2026-06-01");
        b.fixed = vec![1];
        // Spring Festival, and the same organisation again that day (and month, cap 1).
        let f = [
            fixed("dr-a", &["a"], "org", "2027-02-08", BlindLevel::None),
            fixed("dr-b", &["b"], "org", "2027-02-08", BlindLevel::None),
        ];
        // A third plan of the organisation, due in February too, must go elsewhere.
        let other = req("c", "org", None, 12, "2026-02-20");
        let s = schedule(&[a, b, other], &f, &c, d("2027-01-01"), d("2027-06-01"));
        let get = |uid: &str| s.slots.iter().find(|x| x.uid == uid).expect(uid);
        assert_eq!(get("dr-a").date, d("2027-02-08"));
        assert_eq!(get("dr-b").date, d("2027-02-08"));
        let na = get("dr-a")
            .notes
            .iter()
            .map(|n| n.en.as_str())
            .collect::<Vec<_>>()
            .join(" | ");
        assert!(na.contains("blackout"), "{na}");
        assert!(
            !na.contains("same day") && !na.contains("another drill"),
            "{na}"
        );
        let nb = get("dr-b")
            .notes
            .iter()
            .map(|n| n.en.as_str())
            .collect::<Vec<_>>()
            .join(" | ");
        assert!(nb.contains("another drill that day"), "{nb}");
        assert!(nb.contains("already has 1 drills that month"), "{nb}");
        assert_eq!(s.conflicts().count(), 2);
        // The proposal for c avoids February (full) and comes before its due date.
        let p = s.slots.iter().find(|x| x.plan == "c").expect("c placed");
        assert!(p.date.month() == 1, "{p:?}");
        assert_eq!(s.slots.len(), 3, "no duplicates for a and b: {s:#?}");
    }

    #[test]
    fn a_late_planned_drill_is_kept_with_a_note_and_fixed_blind_drills_count() {
        let mut a = req("a", "org", None, 6, "2026-12-01");
        a.fixed = vec![0];
        let f = [fixed(
            "dr-late",
            &["a", "b"],
            "org",
            "2027-07-15",
            BlindLevel::Double,
        )];
        let mut c = hunan();
        c.double_blind_share = 0.1;
        let s = schedule(&[a], &f, &c, d("2027-01-01"), d("2027-09-01"));
        assert_eq!(s.slots.len(), 1, "{s:#?}");
        let x = &s.slots[0];
        assert_eq!(x.also, vec!["b".to_string()]);
        assert!(
            x.notes[0]
                .en
                .contains("44 days after a falls due (2027-06-01)"),
            "{x:?}"
        );
        // one language at a time: the Chinese note says it all in Chinese
        assert_eq!(x.notes[0].zh, "晚于 a 的应演练日期（2027-06-01）44 天");
        // The fixed double-blind drill already meets the 10% share: no proposal is marked.
        assert!(x.double_blind);
        let reqs: Vec<_> = (0..9)
            .map(|i| req(&format!("p{i}"), &format!("o{i}"), None, 12, "2026-03-01"))
            .collect();
        let f = [fixed(
            "dr-x",
            &["zz"],
            "oz",
            "2027-03-03",
            BlindLevel::Double,
        )];
        let s = schedule(&reqs, &f, &c, d("2027-01-01"), d("2027-09-01"));
        assert_eq!(s.slots.len(), 10);
        assert_eq!(s.slots.iter().filter(|x| x.double_blind).count(), 1);
    }

    #[test]
    fn overdue_drills_wait_for_on_time_ones() {
        let mut c = hunan();
        c.max_per_org_month = 1;
        let mut reqs: Vec<_> = ["o1", "o2", "o3"]
            .iter()
            .map(|p| req(p, "org", None, 12, "2025-06-01"))
            .collect();
        reqs.push(req("m", "org", None, 12, "2026-03-10"));
        let s = sched(&reqs, &c, d("2027-01-01"), d("2027-12-01"));
        assert!(s.unmet.is_empty(), "{s:#?}");
        let m = s.slots.iter().find(|x| x.plan == "m").expect("m");
        assert!(m.date <= d("2027-03-10") && m.date.month() == 3, "{m:?}");
        let late = s.slots.iter().find(|x| x.plan == "o3").expect("o3");
        assert_eq!(late.date.month(), 4, "{late:?}");
        assert!(late.notes[1].en.contains("first free day"), "{late:?}");
    }

    /// Plans of many organisations, due all over the horizon.
    fn many() -> Vec<Requirement> {
        (0..60)
            .map(|i| {
                let anchor = d("2026-03-02") + chrono::Days::new(i * 11);
                let months = [6, 12, 24][i as usize % 3];
                req(
                    &format!("p{i:02}"),
                    &format!("o{}", i % 9),
                    None,
                    months,
                    &anchor.to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn the_margin_keeps_drills_off_their_due_date() {
        let mut c = hunan();
        c.max_per_org_month = 2;
        c.slack_days = 0;
        let on_due = |s: &Schedule| s.slots.iter().filter(|x| x.date == x.due).count();
        let tight = sched(&many(), &c, d("2027-01-01"), d("2029-01-01"));
        c.slack_days = 30;
        let slack = sched(&many(), &c, d("2027-01-01"), d("2029-01-01"));
        assert!(tight.unmet.is_empty() && slack.unmet.is_empty());
        let (a, b) = (on_due(&tight), on_due(&slack));
        assert!(
            a * 4 >= tight.slots.len(),
            "{a} of {} on their due date",
            tight.slots.len()
        );
        assert!(
            b * 20 <= slack.slots.len(),
            "{b} of {} on their due date",
            slack.slots.len()
        );
        // every drill that did not get the margin says so; the others are 30 days or more early
        for x in slack.slots.iter().filter(|x| x.due >= d("2027-01-01")) {
            let margin = (x.due - x.date).num_days();
            let noted = x.notes.iter().any(|n| n.en.contains("not 30"));
            assert_eq!(margin < 30, noted, "{x:?}");
        }
    }

    #[test]
    fn a_drill_that_cannot_get_the_margin_is_reported() {
        // Flood plan due 2027-03-18, season 03-01..05-31: the only days in the season before
        // the due date are 03-01..03-18, all within 30 days of it.
        let s = sched(
            &[req("flood", "gov", Some("flood"), 24, "2025-03-18")],
            &hunan(),
            d("2027-01-01"),
            d("2027-12-01"),
        );
        let x = &s.slots[0];
        assert!(
            x.date >= d("2027-03-01") && x.date <= d("2027-03-18"),
            "{x:?}"
        );
        assert!(
            x.notes
                .iter()
                .any(|n| n.en.contains("days before it falls due, not 30")
                    && n.zh.contains("距最迟日期仅")
                    && !n.en.contains("距最迟日期仅")),
            "{x:?}"
        );
        // the same plan due in June gets its margin inside the season, without a note
        let s = sched(
            &[req("flood", "gov", Some("flood"), 24, "2025-06-20")],
            &hunan(),
            d("2027-01-01"),
            d("2027-12-01"),
        );
        assert!(s.slots[0].notes.is_empty(), "{:?}", s.slots[0]);
        assert!(s.slots[0].date <= d("2027-05-21"), "{:?}", s.slots[0]);
    }

    #[test]
    fn no_date_is_counted_from_a_double_blind_drill() {
        // The drill after a double-blind one is due one interval after the first day the
        // double-blind one could take, whatever day it took: move the blind drill (a fixed one,
        // on two different days) and nothing else in the schedule changes.
        let run = |blind_day: &str| {
            let mut r = req("onsite", "ent", None, 6, "2026-12-10");
            r.fixed = vec![0];
            let f = [fixed(
                "dr-h",
                &["onsite"],
                "ent",
                blind_day,
                BlindLevel::Double,
            )];
            let mut c = hunan();
            c.double_blind_share = 0.0;
            schedule(&[r], &f, &c, d("2027-01-01"), d("2029-01-01"))
        };
        let (a, b) = (run("2027-04-14"), run("2027-05-26"));
        let public = |s: &Schedule| -> Vec<(NaiveDate, NaiveDate)> {
            s.slots
                .iter()
                .filter(|x| !x.double_blind)
                .map(|x| (x.date, x.due))
                .collect()
        };
        assert_eq!(public(&a), public(&b), "{a:#?}\n{b:#?}");
        // and the cadence holds from the blind drill's real date
        for s in [&a, &b] {
            for w in s.slots.windows(2) {
                assert!(w[1].date <= add_months(w[0].date, 6), "{s:#?}");
            }
        }
        // Proposals chosen double-blind while placing: their successors too.
        let s = sched(&many(), &hunan(), d("2027-01-01"), d("2029-01-01"));
        let blind: Vec<&Slot> = s.slots.iter().filter(|x| x.double_blind).collect();
        assert!(blind.len() * 4 >= s.slots.len(), "{} blind", blind.len());
        for h in blind {
            if let Some(next) = s.slots.iter().find(|x| x.plan == h.plan && x.date > h.date) {
                let interval = many()
                    .iter()
                    .find(|r| r.plan == h.plan)
                    .map_or(0, |r| r.interval_months);
                assert_ne!(next.due, add_months(h.date, interval), "{h:?} {next:?}");
                assert!(next.date <= add_months(h.date, interval), "{h:?} {next:?}");
            }
        }
    }

    #[test]
    fn wrapping_month_days() {
        let w = MonthDays::parse("10-01", "04-30").expect("md");
        assert!(w.contains(d("2027-01-15")));
        assert!(!w.contains(d("2027-06-15")));
        assert!(MonthDays::parse("13-01", "04-30").is_none());
    }
}
