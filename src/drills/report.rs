//! Drill reports (`yuan drills report`): what a drill leaves behind, compiled from the drill
//! records.
//!
//! - **The evaluation and summary report of one drill** (演练评估报告 / 演练总结报告): the drill
//!   at a glance, its objectives, what happened at each inject, the evaluation by the
//!   dimensions of 2013 办法 Art. 23 / AQ/T 9009-2015, the findings grouped by the plan clause
//!   they concern, the corrective actions with owners, due dates and their state, the
//!   conclusion. The 突发事件应急演练指南 (应急办函〔2009〕62号) lists what a 演练总结报告 holds
//!   (purpose, time and place, participants, the plan of the drill, problems and causes,
//!   lessons, suggestions; domain.md §4.1); AQ/T 9009-2015 what an evaluation report holds
//!   (基本情况, 评估过程, 情况分析, 改进意见, 评估结论; §4.3).
//! - **The annual report of an organisation** (年度应急演练工作报告), for its authority
//!   (条例 Art. 8 ¶2: high-risk units report their drills to the supervising department):
//!   drills held by form and content, the coverage of its plans and their cadences
//!   ([`crate::model::cadence`], as E005 and `yuan drills status` judge them), the findings and
//!   the state of the corrective actions (what E003 and E004 check).
//!
//! Stage: generator (8). Takes the loaded corpus, the configuration and the day to judge on;
//! gives a [`ReportView`] of the pack's generic [`Part`]s (so the PDF blocks and the HTML
//! template are the pack's), and the rows of its CSV. [`super::report_print`] is the
//! [`crate::render::driver::Generator`]. Reports are printed in Chinese, like the plans.

use super::pack::{self, clock, offset_label, Part, Parts};
use crate::model::drill::{
    ActionStatus, BlindLevel, DrillContent, DrillForm, DrillMeta, DrillStatus, FindingSeverity,
};
use crate::model::meta::Kind;
use crate::model::{Corpus, Document};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// A report, resolved to words.
#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    /// Output file stem.
    pub(crate) file: String,
    /// 演练评估与总结报告 / 年度应急演练工作报告.
    pub(crate) label: String,
    pub(crate) kicker: String,
    pub(crate) title: String,
    /// Label–value lines of the cover.
    pub(crate) cover: Vec<(String, String)>,
    /// Provenance: short commit id, `+dirty`, or `uncommitted`.
    pub(crate) source: String,
    pub(crate) parts: Vec<Part>,
    /// The CSV table, header first.
    pub(crate) csv: Vec<Vec<String>>,
}

/// The names a report prints: organisations by name, plans by title.
struct Names<'a> {
    corpus: &'a Corpus,
}

impl Names<'_> {
    fn org(&self, id: &str) -> String {
        self.corpus
            .registry
            .organization(id)
            .map_or_else(|| id.to_string(), |o| o.name.clone())
    }
    fn plan(&self, id: &str) -> String {
        match self.corpus.doc(id).and_then(Document::plan) {
            Some(p) => format!("《{}》", p.title),
            None => format!("{id}（预案库中没有）"),
        }
    }
}

fn form_zh(f: DrillForm) -> &'static str {
    match f {
        DrillForm::Tabletop => "桌面演练",
        DrillForm::Live => "实战演练",
    }
}

fn content_zh(c: DrillContent) -> &'static str {
    match c {
        DrillContent::Single => "单项演练",
        DrillContent::Comprehensive => "综合演练",
    }
}

fn severity_zh(s: FindingSeverity) -> &'static str {
    match s {
        FindingSeverity::Major => "重大",
        FindingSeverity::Minor => "一般",
    }
}

/// How a corrective action stands on `today`.
fn action_state(
    status: ActionStatus,
    due: NaiveDate,
    closed: Option<NaiveDate>,
    today: NaiveDate,
) -> String {
    match status {
        ActionStatus::Done => match closed {
            Some(c) => format!("已完成（{c}）"),
            None => "已完成".to_string(),
        },
        ActionStatus::Open if due < today => {
            format!("逾期 {} 天（截至 {today}）", (today - due).num_days())
        }
        ActionStatus::Open => "未完成（未到期）".to_string(),
    }
}

/// What a report says where the record is silent.
const NOT_RECORDED: &str = "（演练记录未填写）";

/// The basis of the reports, printed under their first heading.
const BASIS_DRILL: &str = "依据《生产安全事故应急演练评估规范》（AQ/T 9009-2015）和《突发事件应急演练指南》（应急办函〔2009〕62号）关于演练评估报告和总结报告的内容编制；评估维度为《突发事件应急预案管理办法》（国办发〔2013〕101号）第二十三条所列各项。";
const BASIS_ANNUAL: &str = "依据《生产安全事故应急条例》第八条（高危单位定期演练并向县级以上安全生产监督管理职责部门报告）、《生产安全事故应急预案管理办法》第三十三条（演练频次）和《生产安全事故应急演练评估规范》（AQ/T 9009-2015）编制，供定期报送。";

// ---------------------------------------------------------------------------------------------
// One drill: 演练评估与总结报告

/// The evaluation and summary report of the drill record `doc` (`drill` its front matter), on
/// `today` (for the state of its corrective actions).
pub(crate) fn drill_report(
    corpus: &Corpus,
    doc: &Document,
    drill: &DrillMeta,
    today: NaiveDate,
    source: &str,
) -> ReportView {
    let names = Names { corpus };
    let roles = drill.roles.clone().unwrap_or_default();
    let mut out = Parts::default();

    // 一、演练基本情况
    out.top("演练基本情况");
    out.note(BASIS_DRILL);
    if drill.status != DrillStatus::Done {
        out.note(match drill.status {
            DrillStatus::Cancelled => "演练记录标为已取消（status: cancelled）：本报告只列记录中的内容。",
            _ => "演练尚未实施（status: planned）：本报告只列计划内容；实施后填写 evaluation、findings、corrective_actions 和各科目的 observed。",
        });
    }
    let mut kind = vec![form_zh(drill.form), content_zh(drill.content)];
    if drill.blind != BlindLevel::None {
        kind.push(drill.blind.zh());
    }
    let time = match &drill.start {
        Some(s) => format!("{} {s}", drill.date),
        None => drill.date.to_string(),
    };
    let plans: Vec<String> = drill
        .plans
        .iter()
        .map(|p| {
            let mut s = names.plan(&p.plan);
            if let Some(v) = corpus.doc(&p.plan).and_then(Document::plan) {
                s.push_str(&format!("（{}）", v.version));
            }
            if !p.clauses.is_empty() {
                s.push_str(&format!("：{}", p.clauses.join("；")));
            }
            s
        })
        .collect();
    let (people, counted) = participants(&roles);
    let evaluation = drill.evaluation.clone().unwrap_or_default();
    let mut rows = vec![
        row("演练名称", &drill.title),
        row("组织单位", &names.org(&drill.organizer)),
        row("演练类型", &kind.join(" · ")),
        row("演练时间", &time),
        row("演练地点", drill.place.as_deref().unwrap_or(NOT_RECORDED)),
        row("检验预案及条款", &plans.join("\n")),
        row("总指挥", roles.director.as_deref().unwrap_or(NOT_RECORDED)),
        row("策划与导调", &join_or(&roles.control)),
        row("评估组", &join_or(&roles.evaluators)),
        row("参演单位和人员", &people),
    ];
    if !roles.simulated.is_empty() {
        let sim: Vec<String> = roles
            .simulated
            .iter()
            .map(|s| format!("{}（由{}扮演）", s.party, s.by))
            .collect();
        rows.push(row("模拟单位", &sim.join("、")));
    }
    rows.push(row(
        "评估人/单位",
        evaluation.evaluator.as_deref().unwrap_or(NOT_RECORDED),
    ));
    rows.push(row(
        "评估日期",
        &evaluation
            .date
            .map_or_else(|| NOT_RECORDED.to_string(), |d| d.to_string()),
    ));
    out.table(&["项目", "内容"], &[1.0, 4.0], rows);
    if counted > 0 {
        out.note(format!(
            "参演人数合计 {counted} 人（按 roles.headcount 和名称中写明的人数）。"
        ));
    }

    // 二、演练目标与情景
    out.top("演练目标与情景");
    out.sub("演练目标");
    if drill.objectives.is_empty() {
        out.note(NOT_RECORDED);
    } else {
        out.list("numbered", drill.objectives.clone());
    }
    out.sub("演练情景");
    out.para(
        drill
            .scenario
            .clone()
            .unwrap_or_else(|| NOT_RECORDED.into()),
    );

    // 三、演练实施过程
    out.top("演练实施过程");
    if drill.injects.is_empty() {
        out.note("演练记录没有脚本（injects）。");
    } else {
        let mut injects: Vec<_> = drill.injects.iter().collect();
        injects.sort_by_key(|i| i.offset_minutes);
        let start = drill.start_minutes();
        let mut unrecorded = 0;
        let rows = injects
            .iter()
            .enumerate()
            .map(|(n, i)| {
                let time = match start {
                    Some(s) => format!(
                        "{}\n{}",
                        clock(s + i.offset_minutes),
                        offset_label(i.offset_minutes)
                    ),
                    None => offset_label(i.offset_minutes),
                };
                let observed = i.observed.clone().unwrap_or_else(|| {
                    unrecorded += 1;
                    NOT_RECORDED.to_string()
                });
                vec![
                    (n + 1).to_string(),
                    time,
                    i.clause.clone().unwrap_or_default(),
                    i.inject.clone(),
                    i.expected_action.clone().unwrap_or_default(),
                    observed,
                ]
            })
            .collect();
        out.table(
            &["序号", "时间", "检验条款", "情景", "预期行动", "实际情况"],
            &[0.6, 1.1, 1.6, 2.6, 2.6, 2.8],
            rows,
        );
        if unrecorded > 0 {
            out.note(format!(
                "{unrecorded} 个科目未记录实际情况：在演练记录的 injects[].observed 写明实际发生的情况和用时。"
            ));
        }
    }

    // 四、评估情况
    out.top("评估情况");
    let dims: [(&str, &Option<String>); 5] = [
        ("演练的执行情况", &evaluation.execution),
        ("预案的合理性与可操作性", &evaluation.plan_soundness),
        ("指挥协调和应急联动情况", &evaluation.coordination),
        ("应急人员的处置情况", &evaluation.responders),
        ("演练所用设备装备的适用性", &evaluation.equipment),
    ];
    out.table(
        &["评估项目", "评估意见"],
        &[1.4, 4.0],
        dims.iter()
            .map(|(k, v)| row(k, v.as_deref().unwrap_or(NOT_RECORDED)))
            .collect(),
    );

    // 五、发现的问题（按预案条款）
    out.top("发现的问题（按预案条款）");
    let only = (drill.plans.len() == 1).then(|| drill.plans[0].plan.as_str());
    let mut by_clause: BTreeMap<(String, String), Vec<Vec<String>>> = BTreeMap::new();
    let mut order: Vec<(String, String)> = Vec::new();
    for f in &drill.findings {
        let answering: Vec<_> = drill
            .corrective_actions
            .iter()
            .enumerate()
            .filter(|(_, a)| a.findings.contains(&f.id))
            .collect();
        let from_action = answering.iter().find(|(_, a)| a.clause.is_some());
        let plan = f
            .plan
            .clone()
            .or_else(|| from_action.and_then(|(_, a)| a.plan.clone()))
            .or_else(|| only.map(String::from))
            .unwrap_or_default();
        let clause = f
            .clause
            .clone()
            .or_else(|| from_action.and_then(|(_, a)| a.clause.clone()))
            .unwrap_or_default();
        let key = (plan, clause);
        if !order.contains(&key) {
            order.push(key.clone());
        }
        let actions: Vec<String> = answering
            .iter()
            .map(|(k, a)| format!("{}. {}", k + 1, a.description))
            .collect();
        by_clause.entry(key).or_default().push(vec![
            f.id.clone(),
            f.description.clone(),
            severity_zh(f.severity).to_string(),
            if actions.is_empty() {
                "（无整改措施）".to_string()
            } else {
                actions.join("\n")
            },
        ]);
    }
    if drill.findings.is_empty() {
        out.note("演练记录未列发现的问题（findings）。");
    }
    for key in &order {
        let (plan, clause) = key;
        let plan_name = if plan.is_empty() {
            "（未指明预案）".to_string()
        } else {
            names.plan(plan)
        };
        let clause = if clause.is_empty() {
            "（未指明条款）".to_string()
        } else {
            format!("“{clause}”")
        };
        out.sub(&format!("{plan_name}{clause}"));
        out.table(
            &["编号", "问题", "程度", "整改措施"],
            &[0.7, 3.4, 0.7, 3.4],
            by_clause.remove(key).unwrap_or_default(),
        );
    }

    // 六、整改措施及落实情况
    out.top("整改措施及落实情况");
    if drill.corrective_actions.is_empty() {
        out.note("演练记录未列整改措施（corrective_actions）。");
    } else {
        let rows = drill
            .corrective_actions
            .iter()
            .enumerate()
            .map(|(k, a)| {
                let plan = a
                    .plan
                    .as_deref()
                    .or(only)
                    .map(|p| names.plan(p))
                    .unwrap_or_default();
                let at = match &a.clause {
                    Some(c) => format!("{plan}“{c}”"),
                    None => plan,
                };
                vec![
                    (k + 1).to_string(),
                    a.findings.join("、"),
                    a.description.clone(),
                    at,
                    names.org(&a.owner),
                    a.due.to_string(),
                    action_state(a.status, a.due, a.closed, today),
                ]
            })
            .collect();
        out.table(
            &[
                "序号",
                "问题",
                "整改措施",
                "预案条款",
                "责任单位/人",
                "完成时限",
                "落实情况",
            ],
            &[0.6, 0.7, 2.8, 2.0, 1.6, 1.2, 1.6],
            rows,
        );
    }

    // 七、评估结论与改进建议
    out.top("评估结论与改进建议");
    out.sub("评估结论");
    out.para(
        evaluation
            .conclusion
            .clone()
            .unwrap_or_else(|| NOT_RECORDED.into()),
    );
    out.sub("改进意见和建议");
    out.para(
        evaluation
            .suggestions
            .clone()
            .unwrap_or_else(|| NOT_RECORDED.into()),
    );
    if let Some(r) = &evaluation.report {
        out.note(format!("正式评估报告：{r}"));
    }
    out.para("评估组（签字）：________________　　日期：____年__月__日");

    ReportView {
        file: format!("{}-report", drill.id),
        label: "演练评估与总结报告".into(),
        kicker: names.org(&drill.organizer),
        title: drill.title.clone(),
        cover: vec![
            ("组织单位".into(), names.org(&drill.organizer)),
            ("演练日期".into(), time),
            ("演练类型".into(), kind.join(" · ")),
            ("演练记录".into(), format!("{}（{}）", drill.id, doc.path)),
            ("来源提交".into(), source.to_string()),
        ],
        source: source.to_string(),
        parts: out.parts,
        csv: drill_csv(drill, &names, only, today),
    }
}

fn row(k: &str, v: &str) -> Vec<String> {
    vec![k.to_string(), v.to_string()]
}

fn join_or(v: &[String]) -> String {
    if v.is_empty() {
        NOT_RECORDED.to_string()
    } else {
        v.join("、")
    }
}

/// The participating units with their head-counts, and the people counted.
fn participants(roles: &crate::model::drill::DrillRoles) -> (String, usize) {
    if roles.players.is_empty() {
        return (NOT_RECORDED.to_string(), 0);
    }
    let mut total = 0;
    let units: Vec<String> = roles
        .players
        .iter()
        .map(|p| match pack::headcount(roles, p) {
            Some(n) if roles.headcount.contains_key(p) => {
                total += n;
                format!("{p}（{n}人）")
            }
            Some(n) => {
                total += n;
                p.clone()
            }
            None => p.clone(),
        })
        .collect();
    (units.join("、"), total)
}

/// One row per finding and action it has (a finding without one, an action without a finding:
/// one row with the other half empty).
fn drill_csv(
    drill: &DrillMeta,
    names: &Names,
    only: Option<&str>,
    today: NaiveDate,
) -> Vec<Vec<String>> {
    let mut rows = vec![[
        "演练 drill",
        "问题编号 finding",
        "问题 description",
        "程度 severity",
        "预案 plan",
        "条款 clause",
        "整改措施 action",
        "责任单位 owner",
        "完成时限 due",
        "落实情况 state",
    ]
    .map(String::from)
    .to_vec()];
    let action_cells = |a: &crate::model::drill::CorrectiveAction| {
        [
            a.description.clone(),
            names.org(&a.owner),
            a.due.to_string(),
            action_state(a.status, a.due, a.closed, today),
        ]
    };
    for f in &drill.findings {
        let mut any = false;
        for a in drill
            .corrective_actions
            .iter()
            .filter(|a| a.findings.contains(&f.id))
        {
            any = true;
            let plan = f
                .plan
                .as_deref()
                .or(a.plan.as_deref())
                .or(only)
                .unwrap_or_default();
            let clause = f
                .clause
                .as_deref()
                .or(a.clause.as_deref())
                .unwrap_or_default();
            let mut r = vec![
                drill.id.clone(),
                f.id.clone(),
                f.description.clone(),
                severity_zh(f.severity).into(),
                plan.to_string(),
                clause.to_string(),
            ];
            r.extend(action_cells(a));
            rows.push(r);
        }
        if !any {
            rows.push(vec![
                drill.id.clone(),
                f.id.clone(),
                f.description.clone(),
                severity_zh(f.severity).into(),
                f.plan.as_deref().or(only).unwrap_or_default().to_string(),
                f.clause.clone().unwrap_or_default(),
                "（无整改措施）".into(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
    }
    for a in drill
        .corrective_actions
        .iter()
        .filter(|a| a.findings.is_empty())
    {
        let mut r = vec![
            drill.id.clone(),
            String::new(),
            String::new(),
            String::new(),
            a.plan.as_deref().or(only).unwrap_or_default().to_string(),
            a.clause.clone().unwrap_or_default(),
        ];
        r.extend(action_cells(a));
        rows.push(r);
    }
    rows
}

// ---------------------------------------------------------------------------------------------
// A year: 年度应急演练工作报告

/// The annual report of `year`, of the organisation `org` (its id) or of every organisation;
/// judged on `today`, or on the last day of the year when that comes first.
pub(crate) fn annual_report(
    corpus: &Corpus,
    config: &crate::config::DrillsConfig,
    year: i32,
    org: Option<&str>,
    today: NaiveDate,
    source: &str,
) -> ReportView {
    let names = Names { corpus };
    let year_end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today);
    let as_of = today.min(year_end);
    let who = org.map_or_else(|| "本预案库各单位".to_string(), |o| names.org(o));
    // the year's drill records of the organisation, by date then id
    let mut drills: Vec<(&Document, &DrillMeta)> = corpus
        .docs
        .iter()
        .filter_map(|d| Some((d, d.drill()?)))
        .filter(|(_, dr)| dr.date.year() == year)
        .filter(|(_, dr)| org.is_none_or(|o| dr.organizer == o))
        .collect();
    drills.sort_by(|a, b| (a.1.date, &a.1.id).cmp(&(b.1.date, &b.1.id)));
    // a double-blind drill still to come is counted, never listed: its date and title are the
    // secret (the report may be read beyond the control cell)
    let secret = |d: &DrillMeta| {
        d.blind == BlindLevel::Double && d.status == DrillStatus::Planned && d.date > as_of
    };
    let held: Vec<&DrillMeta> = drills
        .iter()
        .map(|(_, d)| *d)
        .filter(|d| d.status == DrillStatus::Done && d.date <= as_of)
        .collect();
    let not_held = drills
        .iter()
        .filter(|(_, d)| d.status == DrillStatus::Planned && d.date <= as_of)
        .count();
    let ahead = drills
        .iter()
        .filter(|(_, d)| d.status == DrillStatus::Planned && d.date > as_of)
        .count();
    let cancelled = drills
        .iter()
        .filter(|(_, d)| d.status == DrillStatus::Cancelled)
        .count();
    let count = |f: &dyn Fn(&DrillMeta) -> bool| held.iter().filter(|d| f(d)).count();
    let live = count(&|d| d.form == DrillForm::Live);
    let tabletop = count(&|d| d.form == DrillForm::Tabletop);
    let comprehensive = count(&|d| d.content == DrillContent::Comprehensive);
    let single = count(&|d| d.content == DrillContent::Single);
    let double_blind = count(&|d| d.blind == BlindLevel::Double);
    let people: usize = held
        .iter()
        .filter_map(|d| d.roles.as_ref())
        .map(|r| participants(r).1)
        .sum();

    let mut out = Parts::default();
    // 一、总体情况
    out.top("总体情况");
    out.note(BASIS_ANNUAL);
    let mut summary = format!(
        "{year}年（截至 {as_of}），{who}共实施应急演练 {} 次：实战演练 {live} 次、桌面演练 {tabletop} 次；综合演练 {comprehensive} 次、单项演练 {single} 次",
        held.len()
    );
    if double_blind > 0 {
        summary.push_str(&format!("；其中双盲演练 {double_blind} 次"));
    }
    summary.push('。');
    if people > 0 {
        summary.push_str(&format!("记录参演人数 {people} 人次。"));
    }
    if not_held > 0 {
        summary.push_str(&format!("计划日期已过而未记为实施的演练 {not_held} 次。"));
    }
    if ahead > 0 {
        summary.push_str(&format!("年内尚有计划演练 {ahead} 次。"));
    }
    if cancelled > 0 {
        summary.push_str(&format!("取消 {cancelled} 次。"));
    }
    out.para(summary);

    // 二、演练开展情况（按形式和内容）
    out.top("演练开展情况");
    out.sub("按演练形式和内容");
    let cell =
        |f: DrillForm, c: DrillContent| count(&|d| d.form == f && d.content == c).to_string();
    out.table(
        &["演练内容", "实战演练", "桌面演练", "合计"],
        &[1.5, 1.0, 1.0, 1.0],
        vec![
            vec![
                "综合演练".into(),
                cell(DrillForm::Live, DrillContent::Comprehensive),
                cell(DrillForm::Tabletop, DrillContent::Comprehensive),
                comprehensive.to_string(),
            ],
            vec![
                "单项演练".into(),
                cell(DrillForm::Live, DrillContent::Single),
                cell(DrillForm::Tabletop, DrillContent::Single),
                single.to_string(),
            ],
            vec![
                "合计".into(),
                live.to_string(),
                tabletop.to_string(),
                held.len().to_string(),
            ],
        ],
    );
    out.sub("按所检验预案的类别");
    let mut by_kind: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
    for d in &held {
        let mut kinds: Vec<Kind> = d
            .plans
            .iter()
            .filter_map(|p| corpus.doc(&p.plan).and_then(Document::plan))
            .map(|p| p.kind)
            .collect();
        kinds.dedup();
        for k in kinds {
            let e = by_kind.entry(k.zh()).or_default();
            e.0 += 1;
            if d.blind == BlindLevel::Double {
                e.1 += 1;
            }
        }
    }
    if by_kind.is_empty() {
        out.note("本年度没有已实施的演练。");
    } else {
        out.table(
            &["预案类别", "演练次数", "其中双盲"],
            &[2.0, 1.0, 1.0],
            by_kind
                .iter()
                .map(|(k, (n, b))| vec![k.to_string(), n.to_string(), b.to_string()])
                .collect(),
        );
    }
    out.sub("演练明细");
    let hidden = drills.iter().filter(|(_, d)| secret(d)).count();
    drills.retain(|(_, d)| !secret(d));
    if hidden > 0 {
        out.note(format!(
            "另有 {hidden} 次双盲演练尚未实施，只计入次数，不列明细。"
        ));
    }
    if drills.is_empty() {
        out.note("本年度没有演练记录。");
    } else {
        let rows = drills
            .iter()
            .enumerate()
            .map(|(n, (_, d))| {
                let plans: Vec<String> = d.plans.iter().map(|p| names.plan(&p.plan)).collect();
                let state = match d.status {
                    DrillStatus::Done if d.date <= as_of => {
                        if d.evaluation.as_ref().is_some_and(|e| e.is_written()) {
                            "已实施，已评估".to_string()
                        } else {
                            "已实施，未评估".to_string()
                        }
                    }
                    DrillStatus::Cancelled => "已取消".to_string(),
                    _ if d.date <= as_of => "未记为实施".to_string(),
                    _ => "计划中".to_string(),
                };
                let mut kind = format!("{} · {}", form_zh(d.form), content_zh(d.content));
                if d.blind != BlindLevel::None {
                    kind.push_str(&format!(" · {}", d.blind.zh()));
                }
                vec![
                    (n + 1).to_string(),
                    d.date.to_string(),
                    names.org(&d.organizer),
                    d.title.clone(),
                    kind,
                    plans.join("\n"),
                    state,
                    format!("{} / {}", d.findings.len(), d.corrective_actions.len()),
                ]
            })
            .collect();
        out.table(
            &[
                "序号",
                "日期",
                "组织单位",
                "演练名称",
                "形式·内容",
                "检验预案",
                "状态",
                "问题/整改",
            ],
            &[0.6, 1.7, 1.6, 2.5, 1.4, 2.5, 1.3, 0.9],
            rows,
        );
    }

    // 三、预案演练覆盖情况
    out.top("预案演练覆盖情况");
    let mut status = super::status(corpus, config, as_of);
    if let Some(o) = org {
        status.plans.retain(|p| p.org == o);
    }
    let by_plan = crate::model::cadence::drills_by_plan(corpus);
    let in_year = |plan: &str| {
        by_plan.get(plan).map_or(0, |v| {
            v.iter()
                .filter(|r| {
                    r.status == DrillStatus::Done && r.date.year() == year && r.date <= as_of
                })
                .count()
        })
    };
    let mut status_plans = status.plans.clone();
    status_plans.sort_by(|a, b| a.plan.cmp(&b.plan));
    let drilled = status_plans.iter().filter(|p| in_year(&p.plan) > 0).count();
    let overdue = status_plans
        .iter()
        .filter(|p| p.state == crate::model::cadence::State::Overdue)
        .count();
    out.para(format!(
        "需定期演练的预案 {} 个，本年度已演练 {drilled} 个，截至 {as_of} 逾期未演练 {overdue} 个。演练周期按预案类别、预案自身设置和高危单位要求中最严者计（yuan drills status 同此）。",
        status_plans.len()
    ));
    if !status_plans.is_empty() {
        let rows = status_plans
            .iter()
            .map(|p| {
                let state = match p.state {
                    crate::model::cadence::State::Overdue => {
                        format!("逾期 {} 天", -p.days_left)
                    }
                    crate::model::cadence::State::DueSoon => format!("{} 天内到期", p.days_left),
                    crate::model::cadence::State::Ok => "符合".to_string(),
                };
                vec![
                    names.plan(&p.plan),
                    p.kind.zh().to_string(),
                    format!("每 {} 个月", p.interval_months),
                    in_year(&p.plan).to_string(),
                    p.last_date
                        .map_or_else(|| "无".to_string(), |d| d.to_string()),
                    p.next_due.to_string(),
                    state,
                ]
            })
            .collect();
        out.table(
            &[
                "预案",
                "类别",
                "演练周期",
                "本年演练",
                "最近一次",
                "下次应演练",
                "状态",
            ],
            &[3.0, 1.5, 1.1, 0.9, 1.2, 1.2, 1.2],
            rows,
        );
    }

    // 四、发现的问题和整改情况
    out.top("发现的问题和整改情况");
    let findings: usize = held.iter().map(|d| d.findings.len()).sum();
    let major: usize = held
        .iter()
        .flat_map(|d| &d.findings)
        .filter(|f| f.severity == FindingSeverity::Major)
        .count();
    let unanswered: usize = held
        .iter()
        .map(|d| {
            d.findings
                .iter()
                .filter(|f| {
                    !d.corrective_actions
                        .iter()
                        .any(|a| a.findings.contains(&f.id))
                })
                .count()
        })
        .sum();
    let actions: Vec<(&DrillMeta, &crate::model::drill::CorrectiveAction)> = held
        .iter()
        .flat_map(|d| d.corrective_actions.iter().map(move |a| (*d, a)))
        .collect();
    let done = actions
        .iter()
        .filter(|(_, a)| a.status == ActionStatus::Done)
        .count();
    let late = actions
        .iter()
        .filter(|(_, a)| a.status == ActionStatus::Open && a.due < as_of)
        .count();
    let open = actions.len() - done - late;
    out.para(format!(
        "本年度演练发现问题 {findings} 项（其中重大问题 {major} 项），{unanswered} 项尚无整改措施；制定整改措施 {} 项，已完成 {done} 项，未到期 {open} 项，逾期未完成 {late} 项。",
        actions.len()
    ));
    let pending: Vec<Vec<String>> = actions
        .iter()
        .filter(|(_, a)| a.status == ActionStatus::Open)
        .map(|(d, a)| {
            vec![
                d.title.clone(),
                a.description.clone(),
                names.org(&a.owner),
                a.due.to_string(),
                action_state(a.status, a.due, a.closed, as_of),
            ]
        })
        .collect();
    if !pending.is_empty() {
        out.sub("未完成的整改措施");
        out.table(
            &["演练", "整改措施", "责任单位/人", "完成时限", "落实情况"],
            &[2.4, 3.0, 1.6, 1.1, 1.6],
            pending,
        );
    }

    // 五、下一步工作
    out.top("下一步工作");
    let mut next: Vec<String> = status_plans
        .iter()
        .filter(|p| p.state != crate::model::cadence::State::Ok)
        .map(|p| format!("{}应于 {} 前组织演练。", names.plan(&p.plan), p.next_due))
        .collect();
    next.extend(
        actions
            .iter()
            .filter(|(_, a)| a.status == ActionStatus::Open && a.due < as_of)
            .map(|(_, a)| {
                format!(
                    "督促{}完成“{}”（原定 {}）。",
                    names.org(&a.owner),
                    a.description,
                    a.due
                )
            }),
    );
    if unanswered > 0 {
        next.push(format!(
            "为尚无整改措施的 {unanswered} 项问题制定整改措施、明确责任单位和时限。"
        ));
    }
    if next.is_empty() {
        out.para("各预案均在演练周期内，整改措施均已落实或未到期。");
    } else {
        out.list("numbered", next);
    }
    out.para("填报单位（盖章）：________________　　负责人：________　　填报日期：____年__月__日");

    let stem = match org {
        Some(o) => format!("annual-{year}-{o}"),
        None => format!("annual-{year}"),
    };
    ReportView {
        file: stem,
        label: "年度应急演练工作报告".into(),
        kicker: who.clone(),
        title: format!("{who}{year}年度应急演练工作报告"),
        cover: vec![
            ("报告单位".into(), who),
            ("报告年度".into(), format!("{year}年")),
            ("统计截至".into(), as_of.to_string()),
            ("来源提交".into(), source.to_string()),
        ],
        source: source.to_string(),
        parts: out.parts,
        csv: annual_csv(&drills, &names, as_of),
    }
}

/// One row per drill record of the year.
fn annual_csv(
    drills: &[(&Document, &DrillMeta)],
    names: &Names,
    as_of: NaiveDate,
) -> Vec<Vec<String>> {
    let mut rows = vec![[
        "日期 date",
        "演练 drill",
        "名称 title",
        "组织单位 organiser",
        "形式 form",
        "内容 content",
        "盲演 blind",
        "状态 status",
        "检验预案 plans",
        "评估 evaluated",
        "问题 findings",
        "整改措施 actions",
        "已完成 done",
        "逾期 overdue",
    ]
    .map(String::from)
    .to_vec()];
    for (_, d) in drills {
        let status = match d.status {
            DrillStatus::Done => "已实施 done",
            DrillStatus::Planned => "计划中 planned",
            DrillStatus::Cancelled => "已取消 cancelled",
        };
        let done = d
            .corrective_actions
            .iter()
            .filter(|a| a.status == ActionStatus::Done)
            .count();
        let late = d
            .corrective_actions
            .iter()
            .filter(|a| a.status == ActionStatus::Open && a.due < as_of)
            .count();
        rows.push(vec![
            d.date.to_string(),
            d.id.clone(),
            d.title.clone(),
            names.org(&d.organizer),
            d.form.zh().to_string(),
            d.content.zh().to_string(),
            d.blind.zh().to_string(),
            status.to_string(),
            d.plans
                .iter()
                .map(|p| p.plan.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            if d.evaluation.as_ref().is_some_and(|e| e.is_written()) {
                "是 yes"
            } else {
                "否 no"
            }
            .to_string(),
            d.findings.len().to_string(),
            d.corrective_actions.len().to_string(),
            done.to_string(),
            late.to_string(),
        ]);
    }
    rows
}

/// The CSV bytes of a report: UTF-8 with a byte-order mark (Excel and WPS), every cell through
/// [`super::export::csv_cell`].
pub(crate) fn csv(view: &ReportView) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    for r in &view.csv {
        w.write_record(r.iter().cloned().map(super::export::csv_cell))?;
    }
    w.into_inner()
        .map_err(|e| crate::env_error!("无法生成 CSV 文件：{e}", "cannot write the CSV: {e}"))
}

/// The report as flow blocks (every level-1 section after the first starts a new page only
/// when long: a report reads on, unlike a pack's parts).
pub(crate) fn blocks(view: &ReportView) -> Vec<crate::render::flow::Block> {
    pack::part_blocks(&view.parts, false)
}

/// The report as one self-contained HTML page (`templates/drills/report.html.tera`,
/// overridable from the plan repository; Tera escapes every value).
pub(crate) fn html(root: &std::path::Path, view: &ReportView) -> anyhow::Result<String> {
    let mut ctx = tera::Context::new();
    ctx.insert("report", view);
    crate::render::templates::render_html(root, "drills/report.html.tera", &ctx)
}

/// The cover of the PDF.
pub(crate) fn cover(view: &ReportView) -> crate::render::flow::Cover {
    crate::render::flow::Cover {
        kicker: format!("{}\n{}", view.kicker, view.label),
        title: view.title.clone(),
        lines: view.cover.clone(),
        footer: format!(
            "由 yuan 根据预案库 {} 中的演练记录自动生成；以签发的正式报告为准。Generated by yuan from the drill records of the plan repository at {}.",
            view.source, view.source
        ),
    }
}

/// The running header of the PDF pages.
pub(crate) fn running_header(view: &ReportView) -> String {
    format!("{} · {} · {}", view.title, view.label, view.source)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn an_action_is_done_open_or_overdue_on_the_day() {
        let today = d("2027-03-01");
        assert_eq!(
            action_state(
                ActionStatus::Done,
                d("2027-01-31"),
                Some(d("2027-01-20")),
                today
            ),
            "已完成（2027-01-20）"
        );
        assert_eq!(
            action_state(ActionStatus::Open, d("2027-03-31"), None, today),
            "未完成（未到期）"
        );
        assert_eq!(
            action_state(ActionStatus::Open, d("2027-02-27"), None, today),
            "逾期 2 天（截至 2027-03-01）"
        );
    }
}
