//! Drill management (`yuan drills`, rules E001–E005): which plans must be drilled how often, when
//! each was last drilled and when it falls due.
//!
//! The cadence of every plan (its required interval, last drill and standing) is domain
//! knowledge that rule E005 also needs: it lives in [`crate::model::cadence`]; this module
//! builds the status report, the schedule's inputs and the outputs on it.

pub(crate) mod calendar;
pub(crate) mod draft;
pub(crate) mod export;
pub mod pack;
pub(crate) mod pack_print;
pub(crate) mod print;
pub(crate) mod report;
pub(crate) mod report_print;
pub mod schedule;

use crate::config::DrillsConfig;
use crate::model::cadence::{plan_cadences, Basis, State};
use crate::model::drill::{DrillContent, DrillForm, DrillStatus};
use crate::model::meta::Kind;
use crate::model::Corpus;
use chrono::NaiveDate;

/// An open corrective action of a drill record.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct OpenAction {
    pub(crate) drill: String,
    pub(crate) path: String,
    pub(crate) index: usize,
    pub(crate) description: String,
    pub(crate) owner: String,
    pub(crate) due: NaiveDate,
    pub(crate) overdue: bool,
    pub(crate) plan: Option<String>,
    pub(crate) clause: Option<String>,
}

/// The compliance of one plan, as `yuan drills status` prints it.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct PlanStatus {
    pub(crate) plan: String,
    pub(crate) path: String,
    pub(crate) title: String,
    pub(crate) kind: Kind,
    /// The organisation that holds its drills (the enterprise, else the issuer; the lead issuer of a joint plan).
    pub(crate) org: String,
    pub(crate) profile: &'static str,
    pub(crate) interval_months: u32,
    pub(crate) basis: Basis,
    pub(crate) last_drill: Option<String>,
    pub(crate) last_date: Option<NaiveDate>,
    pub(crate) next_due: NaiveDate,
    pub(crate) state: State,
    /// Days left (negative: days overdue).
    pub(crate) days_left: i64,
    pub(crate) next_planned: Option<String>,
    pub(crate) next_planned_date: Option<NaiveDate>,
    /// Open corrective actions of drills of this plan.
    pub(crate) open_actions: usize,
    pub(crate) overdue_actions: usize,
}

/// The whole status report.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct StatusReport {
    pub(crate) today: NaiveDate,
    pub(crate) plans: Vec<PlanStatus>,
    pub(crate) corrective_actions: Vec<OpenAction>,
}

/// Every open corrective action of drills that were not cancelled, by due date then drill.
pub(crate) fn open_actions(corpus: &Corpus, today: NaiveDate) -> Vec<OpenAction> {
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
pub(crate) fn status(corpus: &Corpus, config: &DrillsConfig, today: NaiveDate) -> StatusReport {
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
                kind: c.plan.kind,
                org: c
                    .plan
                    .enterprise
                    .clone()
                    .unwrap_or_else(|| c.plan.issuer.lead().to_string()),
                profile: c.profile,
                interval_months: c.interval_months,
                basis: c.basis,
                last_drill: c.last.map(|l| l.id.to_string()),
                last_date: c.last.map(|l| l.date),
                next_due: due,
                state: c.standing.state(),
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

/// Keeps only the plans of organisation `org` (`--org`) and the corrective actions of their
/// drills or of drills it organised. An id that no plan, drill or registry entry uses is an
/// error with the closest ids.
pub(crate) fn only_org(
    report: &mut StatusReport,
    corpus: &Corpus,
    org: &str,
) -> anyhow::Result<()> {
    let organizer = |drill: &str| {
        corpus
            .doc(drill)
            .and_then(|d| d.drill())
            .map(|dr| dr.organizer.as_str())
    };
    let known: std::collections::BTreeSet<&str> = corpus
        .registry
        .organizations
        .iter()
        .map(|o| o.item.id.as_str())
        .chain(report.plans.iter().map(|p| p.org.as_str()))
        .chain(
            corpus
                .docs
                .iter()
                .filter_map(|d| d.drill())
                .map(|dr| dr.organizer.as_str()),
        )
        .collect();
    if !known.contains(org) {
        let (zh, en) =
            crate::diag::suggest::did_you_mean(&crate::diag::suggest::suggest(org, known));
        return Err(crate::env_error!(
            "--org `{org}`：预案库中没有这个单位{zh}（单位 id 见 registry/*.yaml 的 organizations）",
            "--org `{org}`: no such organisation in the repository{en} (ids: organizations in registry/*.yaml)"
        ));
    }
    report.plans.retain(|p| p.org == org);
    let mine: std::collections::HashSet<String> =
        report.plans.iter().map(|p| p.plan.clone()).collect();
    report.corrective_actions.retain(|a| {
        a.plan.as_ref().is_some_and(|p| mine.contains(p)) || organizer(&a.drill) == Some(org)
    });
    Ok(())
}

/// The schedule's constraints from `[drills]`; a malformed `MM-DD` is an error naming the entry.
pub fn constraints(config: &DrillsConfig) -> anyhow::Result<schedule::Constraints> {
    use schedule::MonthDays;
    let md = |what: &str, name: &str, from: &str, to: &str| {
        MonthDays::parse(from, to).ok_or_else(|| {
            crate::env_error!(
                "[drills] {what} `{name}`：`{from}`..`{to}` 不是形如 03-01..05-31 的月-日范围",
                "[drills] {what} `{name}`: `{from}`..`{to}` is not a month-day range like 03-01..05-31"
            )
        })
    };
    let mut c = schedule::Constraints {
        max_per_org_month: config.max_per_org_month,
        double_blind_share: config.double_blind_share,
        slack_days: config.slack_days,
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
pub(crate) fn proposed_form(kind: Kind) -> (DrillForm, DrillContent) {
    if kind == Kind::Onsite {
        (DrillForm::Live, DrillContent::Single)
    } else {
        (DrillForm::Tabletop, DrillContent::Comprehensive)
    }
}

/// What the scheduler works from.
#[derive(Debug, Clone, Default)]
pub(crate) struct ScheduleInputs {
    pub(crate) requirements: Vec<schedule::Requirement>,
    /// Drill records with `status: planned` dated `today` or later, by date then id.
    pub(crate) fixed: Vec<schedule::Fixed>,
}

/// The schedule's inputs. Requirements: every plan with a cadence, anchored at its last done
/// drill on or before `today` (or the day it took effect); the organisation is the enterprise,
/// else the issuer; the season follows the plan's first hazard (overall plans cover every
/// hazard and follow none). Fixed drills: the planned records from `today` on; each counts for
/// the plans whose drills count (an enterprise's comprehensive plan counts its special plans').
pub(crate) fn schedule_inputs(
    corpus: &Corpus,
    config: &DrillsConfig,
    today: NaiveDate,
) -> ScheduleInputs {
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
                    .unwrap_or_else(|| c.plan.issuer.lead().to_string()),
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
/// Written by the template of [`draft`], which quotes every text as YAML.
pub(crate) fn scaffold(
    corpus: &Corpus,
    plan_id: &str,
    id: &str,
    date: NaiveDate,
) -> Option<String> {
    let doc = corpus.doc(plan_id)?;
    let p = doc.plan()?;
    let role = |r: &str| {
        corpus
            .registry
            .role(r)
            .map_or_else(|| r.to_string(), |x| x.name.clone())
    };
    // The response heading the injects test.
    let response_at = doc.response_heading();
    let response = response_at.map(|i| doc.headings[i].norm().to_string());
    let steps: Vec<&str> = response_at.map_or_else(Vec::new, |i| {
        doc.headings_within(i).iter().map(|h| h.norm()).collect()
    });
    let (form, content) = proposed_form(p.kind);
    let mut levels: Vec<_> = p.response_levels.iter().collect();
    levels.sort_by_key(|l| std::cmp::Reverse(l.level));
    let director = levels
        .last()
        .map(|l| role(&l.lead))
        .unwrap_or_else(|| "演练总指挥".into());
    let mut objectives: Vec<String> = levels
        .iter()
        .map(|l| format!("检验{}的启动条件和响应措施（{}）", l.name, l.trigger))
        .collect();
    if !p.reporting.is_empty() {
        objectives.push("检验信息报告的时限和内容".into());
    }
    if levels.is_empty() {
        objectives.extend(steps.iter().map(|s| format!("检验“{s}”的程序和措施")));
        if steps.is_empty() {
            objectives.push("检验预案的可操作性".into());
        }
    }
    let mut injects = Vec::new();
    for (i, l) in levels.iter().enumerate() {
        let to = l.decided_by.as_deref().map_or_else(|| role(&l.lead), role);
        let acts: Vec<&str> = l
            .actions
            .iter()
            .map(|a| a.trim_end_matches(['。', '；', ';']))
            .collect();
        let mut expected_action = format!("决定启动{}", l.name);
        if !acts.is_empty() {
            expected_action = format!("{expected_action}；{}", acts.join("；"));
        }
        injects.push(draft::Inject {
            offset_minutes: 30 * i as u32,
            inject: format!("情景发展：{}", l.trigger),
            from: "导调组".into(),
            to,
            expected_action,
            clause: response.clone(),
        });
    }
    if levels.is_empty() {
        for (i, s) in steps.iter().enumerate() {
            injects.push(draft::Inject {
                offset_minutes: 10 * i as u32,
                inject: format!("导调组发出与“{s}”相关的情景"),
                from: "导调组".into(),
                to: "参演人员".into(),
                expected_action: format!("按“{s}”处置"),
                clause: Some(s.to_string()),
            });
        }
    }
    let record = draft::Draft {
        id: id.to_string(),
        title: format!("{}演练", p.title),
        plan: p.id.clone(),
        clauses: steps.iter().map(|s| s.to_string()).collect(),
        form: form.as_str(),
        content: content.as_str(),
        date: date.to_string(),
        organizer: p
            .enterprise
            .clone()
            .unwrap_or_else(|| p.issuer.lead().to_string()),
        director,
        objectives,
        injects,
    };
    draft::render(&record).ok()
}
