//! Drill management (`yuan drills`, rules E001–E005): which plans must be drilled how often, when
//! each was last drilled and when it falls due.
//!
//! [`cadence`] is plain date arithmetic; this module applies it to a loaded corpus: every plan
//! in force with a required interval, its last done drill (drill records, `kind: drill`) and
//! its standing on a given day.

pub mod cadence;
pub mod calendar;
pub mod export;
pub mod pack;
pub mod pack_print;
pub mod print;
pub mod schedule;

use crate::check::sections::profile_name;
use crate::config::DrillsConfig;
use crate::model::drill::{DrillContent, DrillForm, DrillStatus};
use crate::model::meta::{Kind, PlanMeta, Status};
use crate::model::{Corpus, Document};
use cadence::{Basis, Standing};
use chrono::NaiveDate;

/// One drill record as the cadence sees it.
#[derive(Debug, Clone, Copy)]
pub struct DrillRef<'a> {
    pub id: &'a str,
    pub date: NaiveDate,
    pub status: DrillStatus,
}

/// Plan id -> the drill records that exercise it, sorted by date then id.
pub fn drills_by_plan(corpus: &Corpus) -> crate::model::FastMap<&str, Vec<DrillRef<'_>>> {
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
pub struct PlanCadence<'a> {
    pub doc: &'a Document,
    pub plan: &'a PlanMeta,
    /// Section/cadence profile: overall, special, enterprise_special, onsite …
    pub profile: &'static str,
    pub interval_months: u32,
    pub basis: Basis,
    /// The last done drill on or before `today` that counts for this plan.
    pub last: Option<DrillRef<'a>>,
    /// The next planned drill after `today` (or on it), if one is on record.
    pub next_planned: Option<DrillRef<'a>>,
    /// Ids of the plans whose drills count (the plan itself, and for an enterprise's
    /// comprehensive plan its special plans).
    pub counted: Vec<&'a str>,
    pub standing: Standing,
}

impl PlanCadence<'_> {
    /// The day the clock runs from: the last drill, or the day the plan took effect.
    pub fn anchor(&self) -> NaiveDate {
        self.last.map_or(self.plan.dates.effective, |l| l.date)
    }
}

/// The interval a plan must be drilled in: the profile's, the plan's own and the high-risk
/// interval; the strictest wins. `None` when nothing is required.
pub fn required_interval(
    plan: &PlanMeta,
    profile: &str,
    config: &DrillsConfig,
) -> Option<(u32, Basis)> {
    let policy = plan.drills.clone().unwrap_or_default();
    let high_risk = if policy.high_risk == Some(true) {
        config.high_risk_months
    } else {
        0
    };
    cadence::strictest(&[
        (config.interval(profile), Basis::Profile),
        (policy.interval_months.unwrap_or(0), Basis::Plan),
        (high_risk, Basis::HighRisk),
    ])
}

/// Every plan in force that must be drilled, in document order, with its standing on `today`.
/// Drafts and superseded plans are left out.
pub fn plan_cadences<'a>(
    corpus: &'a Corpus,
    config: &DrillsConfig,
    today: NaiveDate,
) -> Vec<PlanCadence<'a>> {
    plan_cadences_of(corpus, config, today, |_| true)
}

/// [`plan_cadences`] of the plans `wanted` picks only (E005 with `--changed-since` reports on
/// a few plans of 100,000); every drill record still counts.
pub fn plan_cadences_of<'a>(
    corpus: &'a Corpus,
    config: &DrillsConfig,
    today: NaiveDate,
    wanted: impl Fn(&Document) -> bool,
) -> Vec<PlanCadence<'a>> {
    let by_plan = drills_by_plan(corpus);
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
        let Some((interval, basis)) = required_interval(p, profile, config) else {
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
        let anchor = last.map_or(p.dates.effective, |l| l.date);
        let Some(due) = cadence::due_date(anchor, interval) else {
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
            standing: cadence::standing(due, today, config.warn_days),
        });
    }
    out
}

/// An open corrective action of a drill record.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OpenAction {
    pub drill: String,
    pub path: String,
    pub index: usize,
    pub description: String,
    pub owner: String,
    pub due: NaiveDate,
    pub overdue: bool,
    pub plan: Option<String>,
    pub clause: Option<String>,
}

/// The compliance of one plan, as `yuan drills status` prints it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PlanStatus {
    pub plan: String,
    pub path: String,
    pub title: String,
    pub kind: &'static str,
    pub profile: &'static str,
    pub interval_months: u32,
    pub basis: &'static str,
    pub last_drill: Option<String>,
    pub last_date: Option<NaiveDate>,
    pub next_due: NaiveDate,
    /// ok | due_soon | overdue
    pub state: &'static str,
    /// Days left (negative: days overdue).
    pub days_left: i64,
    pub next_planned: Option<String>,
    pub next_planned_date: Option<NaiveDate>,
    /// Open corrective actions of drills of this plan.
    pub open_actions: usize,
    pub overdue_actions: usize,
}

/// The whole status report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StatusReport {
    pub today: NaiveDate,
    pub plans: Vec<PlanStatus>,
    pub corrective_actions: Vec<OpenAction>,
}

/// Every open corrective action of drills that were not cancelled, by due date then drill.
pub fn open_actions(corpus: &Corpus, today: NaiveDate) -> Vec<OpenAction> {
    let mut out = Vec::new();
    for d in &corpus.docs {
        let Some(dr) = d.drill() else { continue };
        if dr.status == DrillStatus::Cancelled {
            continue;
        }
        let only = (dr.plans.len() == 1).then(|| dr.plans[0].plan.clone());
        for (i, a) in dr.corrective_actions.iter().enumerate() {
            if a.status != crate::model::drill::ActionStatus::Open {
                continue;
            }
            out.push(OpenAction {
                drill: dr.id.clone(),
                path: d.path.clone(),
                index: i,
                description: a.description.clone(),
                owner: a.owner.clone(),
                due: a.due,
                overdue: a.due < today,
                plan: a.plan.clone().or_else(|| only.clone()),
                clause: a.clause.clone(),
            });
        }
    }
    out.sort_by(|a, b| (a.due, &a.drill, a.index).cmp(&(b.due, &b.drill, b.index)));
    out
}

/// Per plan: the last drill, the next due date, whether it is overdue, and the open and
/// overdue corrective actions of its drills; sorted by due date, then plan id.
pub fn status(corpus: &Corpus, config: &DrillsConfig, today: NaiveDate) -> StatusReport {
    let actions = open_actions(corpus, today);
    // Drill id -> the plans it exercises (to attribute actions without a `plan`).
    let mut exercised: crate::model::FastMap<&str, Vec<&str>> = Default::default();
    for d in &corpus.docs {
        if let Some(dr) = d.drill() {
            exercised.insert(&dr.id, dr.plans.iter().map(|p| p.plan.as_str()).collect());
        }
    }
    let mut plans: Vec<PlanStatus> = plan_cadences(corpus, config, today)
        .into_iter()
        .map(|c| {
            let id = c.plan.id.as_str();
            let mine = actions.iter().filter(|a| match &a.plan {
                Some(p) => p == id,
                None => exercised
                    .get(a.drill.as_str())
                    .is_some_and(|v| v.contains(&id)),
            });
            let (open, overdue) =
                mine.fold((0, 0), |(o, l), a| (o + 1, l + usize::from(a.overdue)));
            let due = c.standing.due();
            PlanStatus {
                plan: id.to_string(),
                path: c.doc.path.clone(),
                title: c.plan.title.clone(),
                kind: c.plan.kind.as_str(),
                profile: c.profile,
                interval_months: c.interval_months,
                basis: c.basis.as_str(),
                last_drill: c.last.map(|l| l.id.to_string()),
                last_date: c.last.map(|l| l.date),
                next_due: due,
                state: c.standing.as_str(),
                days_left: (due - today).num_days(),
                next_planned: c.next_planned.map(|n| n.id.to_string()),
                next_planned_date: c.next_planned.map(|n| n.date),
                open_actions: open,
                overdue_actions: overdue,
            }
        })
        .collect();
    plans.sort_by(|a, b| (a.next_due, &a.plan).cmp(&(b.next_due, &b.plan)));
    StatusReport {
        today,
        plans,
        corrective_actions: actions,
    }
}

/// The schedule's constraints from `[drills]`; a malformed `MM-DD` is an error naming the entry.
pub fn constraints(config: &DrillsConfig) -> anyhow::Result<schedule::Constraints> {
    use schedule::MonthDays;
    let md = |what: &str, name: &str, from: &str, to: &str| {
        MonthDays::parse(from, to).ok_or_else(|| {
            anyhow::anyhow!(
                "[drills] {what} `{name}`: `{from}`..`{to}` is not a month-day range like 03-01..05-31"
            )
        })
    };
    let mut c = schedule::Constraints {
        max_per_org_month: config.max_per_org_month,
        double_blind_share: config.double_blind_share,
        ..Default::default()
    };
    for s in &config.seasons {
        c.seasons.push((
            s.name.clone(),
            s.hazards.clone(),
            md("seasons", &s.name, &s.from, &s.to)?,
        ));
    }
    for p in &config.campaigns {
        c.campaigns
            .push((p.name.clone(), md("campaigns", &p.name, &p.from, &p.to)?));
    }
    for p in &config.yearly_blackouts {
        c.yearly_blackouts.push((
            p.name.clone(),
            md("yearly_blackouts", &p.name, &p.from, &p.to)?,
        ));
    }
    for b in &config.blackouts {
        c.blackouts.push((b.name.clone(), b.from, b.to));
    }
    Ok(c)
}

/// The form and content proposed for a plan's drills (and its scaffolds): on-site plans are
/// drilled live, one scenario at a time; the others as comprehensive tabletop exercises.
pub fn proposed_form(kind: Kind) -> (DrillForm, DrillContent) {
    if kind == Kind::Onsite {
        (DrillForm::Live, DrillContent::Single)
    } else {
        (DrillForm::Tabletop, DrillContent::Comprehensive)
    }
}

/// What the scheduler works from.
#[derive(Debug, Clone, Default)]
pub struct ScheduleInputs {
    pub requirements: Vec<schedule::Requirement>,
    /// Drill records with `status: planned` dated `today` or later, by date then id.
    pub fixed: Vec<schedule::Fixed>,
}

/// The schedule's inputs. Requirements: every plan with a cadence, anchored at its last done
/// drill on or before `today` (or the day it took effect); the organisation is the enterprise,
/// else the issuer; the season follows the plan's first hazard (overall plans cover every
/// hazard and follow none). Fixed drills: the planned records from `today` on; each counts for
/// the plans whose drills count (an enterprise's comprehensive plan counts its special plans').
pub fn schedule_inputs(corpus: &Corpus, config: &DrillsConfig, today: NaiveDate) -> ScheduleInputs {
    let mut fixed: Vec<schedule::Fixed> = corpus
        .docs
        .iter()
        .filter_map(|d| d.drill())
        .filter(|dr| dr.status == DrillStatus::Planned && dr.date >= today)
        .map(|dr| schedule::Fixed {
            record: dr.id.clone(),
            title: dr.title.clone(),
            plans: dr.plans.iter().map(|p| p.plan.clone()).collect(),
            org: dr.organizer.clone(),
            date: dr.date,
            form: dr.form,
            content: dr.content,
            blind: dr.blind,
        })
        .collect();
    fixed.sort_by(|a, b| (a.date, &a.record).cmp(&(b.date, &b.record)));
    // A duplicate drill id is I101's business: the first record stays.
    let mut seen = std::collections::HashSet::new();
    fixed.retain(|f| seen.insert(f.record.clone()));
    let mut by_plan: crate::model::FastMap<&str, Vec<usize>> = Default::default();
    for (i, f) in fixed.iter().enumerate() {
        for p in &f.plans {
            by_plan.entry(p.as_str()).or_default().push(i);
        }
    }
    let requirements = plan_cadences(corpus, config, today)
        .into_iter()
        .map(|c| {
            let mut mine: Vec<usize> = c
                .counted
                .iter()
                .flat_map(|p| by_plan.get(p).map(Vec::as_slice).unwrap_or(&[]))
                .copied()
                .collect();
            // indexes follow the date order of `fixed`
            mine.sort_unstable();
            mine.dedup();
            let (form, content) = proposed_form(c.plan.kind);
            schedule::Requirement {
                plan: c.plan.id.clone(),
                title: c.plan.title.clone(),
                org: c
                    .plan
                    .enterprise
                    .clone()
                    .unwrap_or_else(|| c.plan.issuer.clone()),
                hazard: (c.plan.kind != Kind::Overall)
                    .then(|| c.plan.hazards.first().cloned())
                    .flatten(),
                interval_months: c.interval_months,
                anchor: c.anchor(),
                onsite: c.plan.kind == Kind::Onsite,
                form,
                content,
                fixed: mine,
            }
        })
        .collect();
    ScheduleInputs {
        requirements,
        fixed,
    }
}

/// A drill record scaffolded from a plan (`yuan drills new`): objectives from its response
/// levels and reporting, a draft inject timeline escalating from the lowest level to the
/// highest (or, for plans without levels, one inject per response heading), `status: planned`.
/// Every text is a JSON string, which YAML reads as is.
pub fn scaffold(corpus: &Corpus, plan_id: &str, id: &str, date: NaiveDate) -> Option<String> {
    let doc = corpus.doc(plan_id)?;
    let p = doc.plan()?;
    let q = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    let role = |r: &str| {
        corpus
            .registry
            .role(r)
            .map_or_else(|| r.to_string(), |x| x.name.clone())
    };
    // The response heading the injects test: the first whose title names the response.
    let response = doc
        .headings
        .iter()
        .find(|h| h.norm.contains("应急响应") || h.norm.contains("应急处置"))
        .map(|h| h.norm.clone());
    let steps: Vec<&str> = match &response {
        Some(r) => {
            let start = doc.headings.iter().position(|h| &h.norm == r).unwrap_or(0);
            let level = doc.headings[start].level;
            doc.headings[start + 1..]
                .iter()
                .take_while(|h| h.level > level)
                .map(|h| h.norm.as_str())
                .collect()
        }
        None => Vec::new(),
    };
    let (form, content) = proposed_form(p.kind);
    let mut o = String::new();
    let mut push = |s: String| {
        o.push_str(&s);
        o.push('\n');
    };
    push("---".into());
    push(format!("id: {id}"));
    push("kind: drill".into());
    push(format!("title: {}", q(&format!("{}演练", p.title))));
    push("plans:".into());
    push(format!("  - plan: {}", p.id));
    if !steps.is_empty() {
        let list: Vec<String> = steps.iter().map(|s| q(s)).collect();
        push(format!("    clauses: [{}]", list.join(", ")));
    }
    push(format!("form: {}", form.as_str()));
    push(format!("content: {}", content.as_str()));
    push("purpose: validation".into());
    push("blind: none".into());
    push("status: planned".into());
    push(format!("date: {date}"));
    push(format!(
        "organizer: {}",
        p.enterprise.as_deref().unwrap_or(&p.issuer)
    ));
    let mut levels: Vec<_> = p.response_levels.iter().collect();
    levels.sort_by_key(|l| std::cmp::Reverse(l.level));
    let director = levels
        .last()
        .map(|l| role(&l.lead))
        .unwrap_or_else(|| "演练总指挥".into());
    push("roles:".into());
    push(format!("  director: {}", q(&director)));
    push(format!("  control: [{}]", q("策划与导调组")));
    push(format!("  evaluators: [{}]", q("评估组")));
    push("objectives:".into());
    for l in &levels {
        push(format!(
            "  - {}",
            q(&format!(
                "检验{}的启动条件和响应措施（{}）",
                l.name, l.trigger
            ))
        ));
    }
    if !p.reporting.is_empty() {
        push(format!("  - {}", q("检验信息报告的时限和内容")));
    }
    for s in &steps {
        if levels.is_empty() {
            push(format!("  - {}", q(&format!("检验“{s}”的程序和措施"))));
        }
    }
    if levels.is_empty() && steps.is_empty() {
        push(format!("  - {}", q("检验预案的可操作性")));
    }
    push("injects:".into());
    let clause = response.clone();
    let mut t = 0;
    for l in &levels {
        let to = l.decided_by.as_deref().map_or_else(|| role(&l.lead), role);
        let action = if l.actions.is_empty() {
            format!("决定启动{}", l.name)
        } else {
            let acts: Vec<&str> = l
                .actions
                .iter()
                .map(|a| a.trim_end_matches(['。', '；', ';']))
                .collect();
            format!("决定启动{}；{}", l.name, acts.join("；"))
        };
        let mut line = format!(
            "  - {{ offset_minutes: {t}, inject: {}, from: {}, to: {}, expected_action: {}",
            q(&format!("情景发展：{}", l.trigger)),
            q("导调组"),
            q(&to),
            q(&action)
        );
        if let Some(c) = &clause {
            line.push_str(&format!(", clause: {}", q(c)));
        }
        line.push_str(" }");
        push(line);
        t += 30;
    }
    if levels.is_empty() {
        for s in &steps {
            push(format!(
                "  - {{ offset_minutes: {t}, inject: {}, from: {}, to: {}, expected_action: {}, clause: {} }}",
                q(&format!("导调组发出与“{s}”相关的情景")),
                q("导调组"),
                q("参演人员"),
                q(&format!("按“{s}”处置")),
                q(s)
            ));
            t += 10;
        }
    }
    push("---".into());
    push(String::new());
    push(format!("# {}演练", p.title));
    push(String::new());
    push("## 演练工作方案".into());
    push(String::new());
    push("（目标、范围、情景、时间地点、组织分工、安全措施。）".into());
    push(String::new());
    push("## 评估与总结".into());
    push(String::new());
    push("（实施后填写 `evaluation`、`findings` 和 `corrective_actions`，并将 `status` 改为 `done`。）".into());
    Some(o)
}
