//! Exercise packs (演练资料包, `yuan drills pack`): what a drill coordinator hands out the night
//! before, compiled from one drill record and the plans it exercises.
//!
//! A pack holds the work plan (演练工作方案: objectives, scope, scenario, time and place,
//! organisation, safety measures), the script (演练脚本, the inject timeline), evaluation forms
//! (评估表: every objective, inject, cited clause and its steps, every response level's
//! actions per role, the plan's role duties, and the evaluation dimensions of domain.md §4.3 and
//! §4.6), a sign-in sheet (签到表) and the support and safety checklist; domain.md §4.1–4.2 name
//! these documents and groups.
//!
//! Two copies ([`PackCopy`]): the controllers' copy (导调/评估版) holds everything; the
//! participants' copy never holds the evaluation forms (the evaluators' tool, like HSEEP's EEGs,
//! domain.md §6), holds the script only for a drill that is not blind, leaves out the scenario
//! of a single-blind drill, and for a double-blind drill (双盲: no time, place or content
//! announced, domain.md §4.5) also the title, date, place, objectives, scope and resources: it
//! keeps the organisation, the safety measures, the sign-in sheet and the generic checklist.
//!
//! Stages: [`view`] resolves the records into a [`PackView`] of generic [`Part`]s; the HTML
//! template (`templates/drills/pack.html.tera`) and [`blocks`] (for the shared paginating
//! layout of [`crate::render::flow`]) both print those parts, so the two formats agree.

use crate::handbook::content::{fmt_qty, numeral};
use crate::handbook::pdf::chinese_number;
use crate::model::drill::{BlindLevel, DrillForm, DrillMeta, DrillPurpose, DrillStatus};
use crate::model::meta::PlanMeta;
use crate::model::{Corpus, Document};
use crate::render::flow::{self, Block, Cover, ListKind, Run};
use serde::Serialize;

/// Which copy of the pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PackCopy {
    /// 导调/评估版: work plan, script, evaluation forms, sign-in sheet, checklist.
    Controllers,
    /// 参演人员版: what the players may know before the drill.
    Participants,
}

impl PackCopy {
    /// File-name suffix.
    pub fn slug(self) -> &'static str {
        match self {
            PackCopy::Controllers => "controllers",
            PackCopy::Participants => "participants",
        }
    }
}

/// One printable piece of a pack, shared by the HTML template and the PDF blocks.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum Part {
    /// Levels 1–3; level 1 starts a new page in the PDF.
    Heading {
        level: u8,
        text: String,
    },
    Para {
        text: String,
    },
    Note {
        text: String,
    },
    /// `kind`: bullet, numbered or check.
    List {
        kind: &'static str,
        items: Vec<String>,
    },
    /// `widths`: percentages of the line; `form`: a form to fill in (taller rows on screen).
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
        widths: Vec<f64>,
        form: bool,
    },
}

/// A pack, resolved to words.
#[derive(Debug, Clone, Serialize)]
pub struct PackView {
    /// Output file stem (`<drill id>-<copy>`).
    pub file: String,
    pub copy: PackCopy,
    /// 导调/评估版 or 参演人员版.
    pub copy_label: String,
    pub kicker: String,
    pub title: String,
    /// Label–value lines of the cover.
    pub cover: Vec<(String, String)>,
    /// Provenance: short commit id, `+dirty`, or `uncommitted`.
    pub source: String,
    pub parts: Vec<Part>,
}

/// The rating scale ticked on the forms (the three grades of 2009-era practice, domain.md §4.3).
const RATING: &str = "□好 □一般 □差";
/// A time stamp to fill in.
const STAMP: &str = "\u{3000}\u{3000}:\u{3000}\u{3000}";
/// Two blank lines for notes.
const NOTES: &str = "\n\n";
/// Blank rows at the end of the sign-in sheet.
const BLANK_SIGN_IN_ROWS: usize = 10;

fn form_label(f: DrillForm) -> &'static str {
    match f {
        DrillForm::Tabletop => "桌面演练",
        DrillForm::Live => "实战演练",
    }
}

fn content_label(d: &DrillMeta) -> &'static str {
    match d.content {
        crate::model::drill::DrillContent::Single => "单项演练",
        crate::model::drill::DrillContent::Comprehensive => "综合演练",
    }
}

fn purpose_label(p: Option<DrillPurpose>) -> &'static str {
    match p {
        Some(DrillPurpose::Validation) | None => "检验性",
        Some(DrillPurpose::Demonstration) => "示范性",
        Some(DrillPurpose::Research) => "研究性",
    }
}

fn blind_label(b: BlindLevel) -> &'static str {
    match b {
        BlindLevel::None => "不盲（时间、地点和内容事先告知）",
        BlindLevel::Single => "单盲（情景和脚本不事先告知参演人员）",
        BlindLevel::Double => "双盲（时间、地点和内容均不事先告知参演人员）",
    }
}

fn status_label(s: DrillStatus) -> &'static str {
    match s {
        DrillStatus::Planned => "计划中",
        DrillStatus::Done => "已实施",
        DrillStatus::Cancelled => "已取消",
    }
}

/// `T+n` as `T+mm` or `T+h:mm`.
pub fn offset_label(minutes: u32) -> String {
    if minutes < 60 {
        format!("T+{minutes}")
    } else {
        format!("T+{}:{:02}", minutes / 60, minutes % 60)
    }
}

/// A plan the drill exercises, resolved.
struct Exercised<'a> {
    doc: &'a Document,
    plan: &'a PlanMeta,
    /// Clause headings to evaluate: the record's, then those the injects cite, in order.
    clauses: Vec<String>,
}

/// The plans of `drill` that the corpus holds, and the ids it lacks.
pub fn exercised_plans<'a>(
    corpus: &'a Corpus,
    drill: &DrillMeta,
) -> (Vec<&'a Document>, Vec<String>) {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for p in &drill.plans {
        match corpus.doc(&p.plan).filter(|d| d.plan().is_some()) {
            Some(d) => {
                if !found.iter().any(|x: &&Document| x.path == d.path) {
                    found.push(d);
                }
            }
            None => missing.push(p.plan.clone()),
        }
    }
    (found, missing)
}

fn resolve<'a>(corpus: &'a Corpus, drill: &DrillMeta) -> Vec<Exercised<'a>> {
    let (docs, _) = exercised_plans(corpus, drill);
    let mut out: Vec<Exercised> = docs
        .into_iter()
        .filter_map(|doc| {
            let plan = doc.plan()?;
            let mut clauses: Vec<String> = drill
                .plans
                .iter()
                .filter(|p| p.plan == plan.id)
                .flat_map(|p| p.clauses.iter().cloned())
                .collect();
            dedup_keep_order(&mut clauses);
            Some(Exercised { doc, plan, clauses })
        })
        .collect();
    // an inject's clause belongs to the first exercised plan that has such a heading
    for i in &drill.injects {
        let Some(c) = &i.clause else { continue };
        if let Some(e) = out.iter_mut().find(|e| e.doc.find_heading(c).is_some()) {
            if !e.clauses.contains(c) {
                e.clauses.push(c.clone());
            }
        }
    }
    out
}

fn dedup_keep_order(v: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    v.retain(|x| seen.insert(x.clone()));
}

/// At most this many headings of one cited clause (itself and its sub-sections) become groups
/// of steps in a pack: a real clause has a handful, a hostile one a million.
const MAX_CLAUSE_PARTS: usize = 200;
/// At most this many steps per group.
const MAX_CLAUSE_STEPS: usize = 500;

/// The steps of a plan section, grouped by heading (the section's own, then each
/// sub-section's): the list items under the heading, else its paragraphs cut into sentences.
/// A section without any gives its title with no steps; `None` when there is no such heading.
fn clause_steps(
    corpus: &Corpus,
    doc: &Document,
    clause: &str,
) -> Option<Vec<(String, Vec<String>)>> {
    let h = doc.find_heading(clause)?;
    let at = doc.headings.iter().position(|x| std::ptr::eq(x, h))?;
    let text = corpus.read_text(&doc.path)?;
    let inside = doc.headings_within(at).len();
    let mut groups = Vec::new();
    // a section of a million sub-headings must not become a million groups of a form: the
    // first MAX_CLAUSE_PARTS are used, and the last step says how many more there were
    let over = inside.saturating_sub(MAX_CLAUSE_PARTS - 1);
    let inside = inside - over;
    for (k, x) in doc.headings[at..=at + inside].iter().enumerate() {
        // the heading's own text: up to the next heading of any level
        let start = x.span.end as usize;
        let end = doc
            .headings
            .get(at + k + 1)
            .map_or(text.len(), |n| n.span.start as usize);
        let own = text.get(start..end.max(start)).unwrap_or("");
        let blocks = crate::render::markdown::to_blocks(own, 0, &|_| None);
        let mut steps: Vec<String> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::List { items, .. } => Some(items.iter().map(|i| flow::runs_text(i))),
                _ => None,
            })
            .flatten()
            .collect();
        if steps.is_empty() {
            steps = blocks
                .iter()
                .filter_map(|b| match b {
                    Block::Para(runs) => Some(sentences(&flow::runs_text(runs))),
                    _ => None,
                })
                .flatten()
                .collect();
        }
        steps.retain(|s| !s.trim().is_empty());
        if steps.len() > MAX_CLAUSE_STEPS {
            let more = steps.len() - MAX_CLAUSE_STEPS;
            steps.truncate(MAX_CLAUSE_STEPS);
            steps.push(format!(
                "（其余 {more} 步超出每节 {MAX_CLAUSE_STEPS} 步的上限，未列出 · {more} more steps over the cap of {MAX_CLAUSE_STEPS} per section are not listed）"
            ));
        }
        if !steps.is_empty() {
            groups.push((x.title.clone(), steps));
        }
    }
    if over > 0 {
        groups.push((
            format!("（其余 {over} 个小节超出上限 {MAX_CLAUSE_PARTS}，未列出）"),
            vec![format!(
                "{over} more sub-sections over the cap of {MAX_CLAUSE_PARTS} per clause are not listed; see the plan"
            )],
        ));
    }
    if groups.is_empty() {
        groups.push((h.title.clone(), Vec::new()));
    }
    Some(groups)
}

/// A paragraph cut after each full stop (。！？), so every sentence is one item to observe.
fn sentences(t: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in t.chars() {
        cur.push(c);
        if matches!(c, '。' | '！' | '？') {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out.into_iter().map(|s| s.trim().to_string()).collect()
}

/// Numbered headings: 一、 at level 1, （一） at level 2.
struct Numbers {
    top: usize,
    sub: usize,
}

impl Numbers {
    fn top(&mut self, out: &mut Vec<Part>, title: &str) {
        self.top += 1;
        self.sub = 0;
        out.push(Part::Heading {
            level: 1,
            text: format!("{}、{title}", chinese_number(self.top)),
        });
    }
    fn sub(&mut self, out: &mut Vec<Part>, title: &str) {
        self.sub += 1;
        out.push(Part::Heading {
            level: 2,
            text: format!("（{}）{title}", chinese_number(self.sub)),
        });
    }
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}
fn para(t: impl Into<String>) -> Part {
    Part::Para { text: t.into() }
}
fn note(t: impl Into<String>) -> Part {
    Part::Note { text: t.into() }
}
fn list(kind: &'static str, items: Vec<String>) -> Part {
    Part::List { kind, items }
}

/// An evaluation form: one row per item to observe, with rating, time stamp and notes.
fn eval_table(first: &str, rows: Vec<(String, String)>) -> Part {
    Part::Table {
        header: vec![
            "序号".into(),
            first.into(),
            "观察要点".into(),
            "评定".into(),
            "时间".into(),
            "记录".into(),
        ],
        rows: rows
            .into_iter()
            .enumerate()
            .map(|(i, (who, what))| {
                vec![
                    (i + 1).to_string(),
                    who,
                    what,
                    RATING.into(),
                    STAMP.into(),
                    NOTES.into(),
                ]
            })
            .collect(),
        widths: vec![0.8, 2.0, 4.2, 1.9, 1.0, 2.3],
        form: true,
    }
}

/// What the participants' copy may show.
struct Disclosure {
    /// Title, date, place, objectives, scope, resources.
    basics: bool,
    scenario: bool,
    script: bool,
    forms: bool,
}

fn disclosure(copy: PackCopy, blind: BlindLevel) -> Disclosure {
    match (copy, blind) {
        (PackCopy::Controllers, _) => Disclosure {
            basics: true,
            scenario: true,
            script: true,
            forms: true,
        },
        (PackCopy::Participants, BlindLevel::None) => Disclosure {
            basics: true,
            scenario: true,
            script: true,
            forms: false,
        },
        (PackCopy::Participants, BlindLevel::Single) => Disclosure {
            basics: true,
            scenario: false,
            script: false,
            forms: false,
        },
        (PackCopy::Participants, BlindLevel::Double) => Disclosure {
            basics: false,
            scenario: false,
            script: false,
            forms: false,
        },
    }
}

/// Builds the view of one copy of the pack of `drill` (its plans must be in `corpus`).
pub fn view(corpus: &Corpus, drill: &DrillMeta, copy: PackCopy, source: &str) -> PackView {
    let reg = &corpus.registry;
    let show = disclosure(copy, drill.blind);
    let plans = resolve(corpus, drill);
    let organizer = reg
        .organization(&drill.organizer)
        .map_or_else(|| drill.organizer.clone(), |o| o.name.clone());
    let role_name = |id: &str| {
        reg.role(id)
            .map_or_else(|| id.to_string(), |r| r.name.clone())
    };
    let copy_label = match copy {
        PackCopy::Controllers if drill.blind != BlindLevel::None => {
            "导调/评估版（内部资料，不得向参演人员分发）".to_string()
        }
        PackCopy::Controllers => "导调/评估版".to_string(),
        PackCopy::Participants => "参演人员版".to_string(),
    };
    let title = if show.basics {
        drill.title.clone()
    } else {
        format!("{organizer}应急演练（双盲）")
    };
    let hidden = "由导调组临机通知".to_string();
    let roles = drill.roles.clone().unwrap_or_default();

    let mut cover = vec![("组织单位".to_string(), organizer.clone())];
    if show.basics {
        cover.push((
            "演练类型".into(),
            format!(
                "{} · {} · {}",
                form_label(drill.form),
                content_label(drill),
                purpose_label(drill.purpose)
            ),
        ));
        cover.push(("演练日期".into(), drill.date.to_string()));
        cover.push((
            "演练地点".into(),
            drill.place.clone().unwrap_or_else(|| "另行通知".into()),
        ));
        let names: Vec<String> = plans
            .iter()
            .map(|e| format!("《{}》", e.plan.title))
            .collect();
        cover.push(("检验预案".into(), names.join("、")));
    } else {
        cover.push(("演练时间地点".into(), hidden.clone()));
    }
    cover.push(("盲演".into(), blind_label(drill.blind).into()));
    if copy == PackCopy::Controllers {
        cover.push((
            "演练记录".into(),
            format!("{}（{}）", drill.id, status_label(drill.status)),
        ));
    }
    cover.push(("来源提交".into(), source.to_string()));

    let mut out = Vec::new();
    let mut n = Numbers { top: 0, sub: 0 };

    // 一、演练工作方案
    n.top(&mut out, "演练工作方案");
    n.sub(&mut out, "演练目的与目标");
    if show.basics {
        out.push(para(format!(
            "本次演练为{}（{}、{}），按照“检验预案、完善准备、锻炼队伍、磨合机制、科普宣教”的目的组织实施。",
            form_label(drill.form),
            content_label(drill),
            purpose_label(drill.purpose)
        )));
        if drill.objectives.is_empty() {
            out.push(note("演练记录未列出演练目标（objectives）。"));
        } else {
            out.push(list("numbered", drill.objectives.clone()));
        }
    } else {
        out.push(para(
            "双盲演练：演练科目、时间和地点事先不通知参演单位；接到导调组指令后，按本单位应急预案和岗位职责立即处置。",
        ));
    }
    n.sub(&mut out, "演练范围");
    if show.basics {
        out.push(Part::Table {
            header: strs(&["预案", "编号与版本", "检验内容（条款）"]),
            rows: plans
                .iter()
                .map(|e| {
                    vec![
                        format!("{}（{}）", e.plan.title, e.plan.id),
                        format!(
                            "{}{}",
                            e.plan
                                .plan_no
                                .as_deref()
                                .map(|x| format!("{x} · "))
                                .unwrap_or_default(),
                            e.plan.version
                        ),
                        // the clauses tested hint at the scenario a blind drill withholds
                        if !show.scenario {
                            "由导调组在演练中发布".into()
                        } else if e.clauses.is_empty() {
                            "全部响应程序".into()
                        } else {
                            e.clauses.join("；")
                        },
                    ]
                })
                .collect(),
            widths: vec![4.0, 2.4, 4.0],
            form: false,
        });
        let players = if roles.players.is_empty() {
            "见签到表".to_string()
        } else {
            roles.players.join("、")
        };
        out.push(para(format!("参演单位：{players}。")));
    } else {
        out.push(para("演练范围由导调组掌握，不事先通知参演单位。"));
    }
    n.sub(&mut out, "演练情景");
    match (&drill.scenario, show.scenario) {
        (Some(s), true) => out.push(para(s.clone())),
        (None, true) => out.push(note(
            "演练记录未写情景（scenario）；以演练脚本中的情景消息为准。",
        )),
        (_, false) => out.push(para(
            "情景不事先告知参演人员，由导调组在演练中以情景消息（任务卡、电话、对讲）发布。",
        )),
    }
    n.sub(&mut out, "时间与地点");
    if show.basics {
        out.push(Part::Table {
            header: strs(&["项目", "安排"]),
            rows: vec![
                vec!["日期".into(), drill.date.to_string()],
                vec![
                    "地点".into(),
                    drill.place.clone().unwrap_or_else(|| "另行通知".into()),
                ],
                strs(&[
                    "开始",
                    "T+0 为总指挥下达演练开始指令的时刻；脚本中的时间均为开始后的分钟数。",
                ]),
                strs(&["集合与签到", "开始前 30 分钟，按签到表签到。"]),
            ],
            widths: vec![1.6, 8.4],
            form: false,
        });
    } else {
        out.push(para(format!(
            "演练时间和地点{hidden}；接到通知即按实战要求响应。"
        )));
    }
    n.sub(&mut out, "组织机构与职责");
    let group = |v: &[String]| {
        if v.is_empty() {
            "（待定）".to_string()
        } else {
            v.join("、")
        }
    };
    let mut org_rows = vec![
        vec![
            "演练领导小组".into(),
            group(&roles.leadership),
            "审定演练工作方案，决定演练的启动、中止和终止".into(),
        ],
        vec![
            "总指挥".into(),
            roles.director.clone().unwrap_or_else(|| "（待定）".into()),
            "下达演练开始、中止和结束指令，出现真实险情时立即终止演练".into(),
        ],
        vec![
            "策划与导调组".into(),
            group(&roles.control),
            "编写演练脚本，按脚本发布情景消息，掌握演练进程".into(),
        ],
        vec![
            "评估组".into(),
            group(&roles.evaluators),
            "按评估表观察记录，组织现场点评，编写评估报告".into(),
        ],
        vec![
            "保障组".into(),
            group(&roles.support),
            "场地、物资、通信、安全警戒、医疗和后勤保障".into(),
        ],
        vec![
            "参演单位和人员".into(),
            group(&roles.players),
            "按预案和岗位职责实施处置".into(),
        ],
    ];
    if !roles.observers.is_empty() {
        org_rows.push(vec![
            "观摩人员".into(),
            group(&roles.observers),
            "在指定区域观摩，不干扰演练".into(),
        ]);
    }
    out.push(Part::Table {
        header: strs(&["机构", "组成", "职责"]),
        rows: org_rows,
        widths: vec![2.2, 4.0, 4.6],
        form: false,
    });
    n.sub(&mut out, "实施程序");
    out.push(list(
        "numbered",
        strs(&[
            "各组就位，参演人员签到，保障组完成安全检查并向总指挥报告。",
            "总指挥下达演练开始指令（T+0）。",
            "导调组按脚本发布情景消息；参演人员按预案处置；评估组观察记录（文字、照片、视频）。",
            "出现真实险情或安全隐患时，总指挥中止或终止演练。",
            "全部科目完成后，总指挥宣布演练结束；评估组现场点评，参演人员自评。",
            "恢复现场，清点人员和物资；评估表、签到表和影像资料交导调组归档。",
        ]),
    ));
    n.sub(&mut out, "安全措施");
    let mut safety = strs(&[
        "演练前由保障组完成安全检查（见保障与安全检查表），总指挥确认后方可开始。",
        "所有演练信息、电话和对讲通话均冠以“演练”二字，防止误解为真实事件。",
        "演练中发生真实突发事件或出现安全隐患，立即中止演练，转入实际处置。",
    ]);
    if drill.form == DrillForm::Live {
        safety.extend(strs(&[
            "实战演练区域设置警戒，无关人员不得进入；参演人员按规定佩戴个体防护装备。",
            "医疗救护和消防力量全程在位；模拟险情不得使用真实危险物质或明火（经批准的除外）。",
            "演练不得影响正常生产、运行和公共秩序；涉及道路、水域时提前协调管控。",
        ]));
    }
    if drill.blind != BlindLevel::None && copy == PackCopy::Controllers {
        safety.push(
            "盲演事先向上级和属地有关部门报备，防止引发误报或社会恐慌；导调组保持与各参演单位的联络。"
                .into(),
        );
    }
    out.push(list("bullet", safety));

    // 二、演练脚本
    if show.script {
        n.top(&mut out, "演练脚本");
        out.push(note(
            "时间为总指挥下达开始指令后的分钟数（T+分钟）。导调组按序发布；“实际”栏记录实际发布时间。",
        ));
        let mut header = strs(&["时间", "情景/消息", "发出", "接收", "预期行动", "检验条款"]);
        let controllers = copy == PackCopy::Controllers;
        if controllers {
            header.push("实际".into());
        }
        let mut injects: Vec<&crate::model::drill::Inject> = drill.injects.iter().collect();
        injects.sort_by_key(|i| i.offset_minutes);
        let rows = injects
            .iter()
            .map(|i| {
                let mut r = vec![
                    offset_label(i.offset_minutes),
                    i.inject.clone(),
                    i.from.clone().unwrap_or_default(),
                    i.to.clone().unwrap_or_default(),
                    i.expected_action.clone().unwrap_or_default(),
                    i.clause.clone().unwrap_or_default(),
                ];
                if controllers {
                    r.push(STAMP.into());
                }
                r
            })
            .collect::<Vec<_>>();
        if rows.is_empty() {
            out.push(note("演练记录没有脚本（injects）。"));
        } else {
            let mut widths = vec![1.0, 3.0, 1.4, 1.6, 3.0, 1.8];
            if controllers {
                widths.push(1.0);
            }
            out.push(Part::Table {
                header,
                rows,
                widths,
                form: false,
            });
        }
    }

    // 三、评估表
    if show.forms {
        n.top(&mut out, "评估表");
        out.push(note(format!(
            "评定：好 = 按预案和脚本完成；一般 = 完成但有偏差或延误；差 = 未完成或有重大偏差。每项勾选评定（{RATING}），记录观察到的时间（时:分）和事实（AQ/T 9009-2015：现场观察、查阅资料、询问）。"
        )));
        out.push(Part::Table {
            header: strs(&["评估人", "评估位置/对象", "日期", "开始", "结束"]),
            rows: vec![vec![
                String::new(),
                String::new(),
                drill.date.to_string(),
                STAMP.into(),
                STAMP.into(),
            ]],
            widths: vec![2.5, 3.5, 2.0, 1.2, 1.2],
            form: true,
        });
        n.sub(&mut out, "演练目标");
        if drill.objectives.is_empty() {
            out.push(note("演练记录未列出演练目标。"));
        } else {
            out.push(eval_table(
                "目标",
                drill
                    .objectives
                    .iter()
                    .enumerate()
                    .map(|(i, o)| (format!("目标{}", i + 1), format!("{o}：是否达成")))
                    .collect(),
            ));
        }
        if !drill.injects.is_empty() {
            n.sub(&mut out, "脚本科目");
            let mut injects: Vec<&crate::model::drill::Inject> = drill.injects.iter().collect();
            injects.sort_by_key(|i| i.offset_minutes);
            out.push(eval_table(
                "时间/接收",
                injects
                    .iter()
                    .map(|i| {
                        let who = match &i.to {
                            Some(t) => format!("{} {t}", offset_label(i.offset_minutes)),
                            None => offset_label(i.offset_minutes),
                        };
                        let mut what = format!("情景：{}", i.inject);
                        if let Some(a) = &i.expected_action {
                            what.push_str(&format!("\n预期：{a}"));
                        }
                        if let Some(c) = &i.clause {
                            what.push_str(&format!("（{c}）"));
                        }
                        (who, what)
                    })
                    .collect::<Vec<_>>(),
            ));
        }
        for e in &plans {
            let short = format!("《{}》", e.plan.title);
            // the clauses and their steps
            let mut clauses = e.clauses.clone();
            if clauses.is_empty() {
                if let Some(i) = e.doc.response_heading() {
                    clauses.push(e.doc.headings[i].title.clone());
                }
            }
            let resolved: Vec<(String, Vec<String>)> = clauses
                .iter()
                .filter_map(|c| clause_steps(corpus, e.doc, c))
                .flatten()
                .collect();
            if !resolved.is_empty() {
                n.sub(&mut out, &format!("{short}检验条款"));
                let mut rows = Vec::new();
                for (title, steps) in resolved {
                    if steps.is_empty() {
                        rows.push((title.clone(), "按本条款规定处置".to_string()));
                    }
                    let many = steps.len() > 1;
                    for (i, s) in steps.into_iter().enumerate() {
                        let who = if many {
                            format!("{title}\n步骤{}", i + 1)
                        } else {
                            title.clone()
                        };
                        rows.push((who, s));
                    }
                }
                out.push(eval_table("条款/步骤", rows));
            }
            if !e.plan.response_levels.is_empty() {
                n.sub(&mut out, &format!("{short}响应级别与岗位行动"));
                out.push(note(
                    "演练中实际启动的响应级别逐项评估；未启动的级别在“记录”栏注明“未启动”。",
                ));
                let mut levels: Vec<_> = e.plan.response_levels.iter().collect();
                levels.sort_by_key(|l| std::cmp::Reverse(l.level));
                let mut rows = Vec::new();
                for l in levels {
                    let at = |who: &str| format!("{}\n{who}", numeral(l.level));
                    let lead = role_name(&l.lead);
                    let decider = l
                        .decided_by
                        .as_deref()
                        .map_or_else(|| lead.clone(), role_name);
                    rows.push((
                        at(&decider),
                        format!("按启动条件及时判定并启动{}：{}", l.name, l.trigger),
                    ));
                    rows.extend(l.actions.iter().map(|a| (at(&lead), a.clone())));
                    for t in &l.tasks {
                        let who = at(&role_name(&t.role));
                        rows.extend(t.actions.iter().map(|a| (who.clone(), a.clone())));
                    }
                }
                out.push(eval_table("级别/岗位", rows));
            }
            if !e.plan.reporting.is_empty() {
                n.sub(&mut out, &format!("{short}信息报告"));
                out.push(eval_table(
                    "报告",
                    e.plan
                        .reporting
                        .iter()
                        .map(|r| {
                            let within = r
                                .within_minutes
                                .map(|m| format!("，{m} 分钟内"))
                                .unwrap_or_default();
                            let content = r
                                .content
                                .as_deref()
                                .map(|c| format!("：{c}"))
                                .unwrap_or_default();
                            (
                                format!("{} → {}", role_name(&r.from), role_name(&r.to)),
                                format!("报告时限与内容{within}{content}"),
                            )
                        })
                        .collect(),
                ));
            }
            // the plan's roles: the front matter's organisation, else the duties section of
            // the text (on-site plans list them under 应急工作职责, GB/T 29639 §8)
            let mut duties: Vec<(String, String)> = e
                .plan
                .organization
                .iter()
                .flat_map(|o| o.roles.iter())
                .map(|r| (role_name(&r.role), r.duties.clone()))
                .collect();
            if duties.is_empty() {
                let section = e
                    .doc
                    .headings
                    .iter()
                    .find(|h| h.norm.contains("职责"))
                    .and_then(|h| clause_steps(corpus, e.doc, &h.title));
                if let Some(groups) = section {
                    duties = groups
                        .into_iter()
                        .flat_map(|(_, items)| items)
                        .map(|i| match i.split_once('：') {
                            Some((who, what)) if who.chars().count() <= 20 => {
                                (who.to_string(), what.to_string())
                            }
                            _ => ("—".to_string(), i),
                        })
                        .collect();
                }
            }
            if !duties.is_empty() {
                n.sub(&mut out, &format!("{short}岗位职责履行"));
                out.push(eval_table("岗位", duties));
            }
        }
        n.sub(&mut out, "综合评估");
        out.push(note(
            "评估内容依《突发事件应急预案管理办法》（2013）第二十三条和 AQ/T 9009-2015。",
        ));
        out.push(eval_table(
            "评估内容",
            [
                ("演练的执行情况", "各科目是否按方案和脚本完成，进程是否受控"),
                (
                    "预案的合理性与可操作性",
                    "启动条件、职责分工、处置程序是否清楚可行，有无缺漏或矛盾",
                ),
                (
                    "指挥协调和应急联动情况",
                    "指挥部启动、会商、信息传递和部门联动是否顺畅",
                ),
                (
                    "应急人员的处置情况",
                    "参演人员是否熟悉职责和程序，动作是否规范、及时",
                ),
                (
                    "演练所用设备装备的适用性",
                    "通信、防护、救援和监测装备是否到位、好用",
                ),
                (
                    "意见和建议",
                    "对完善预案、应急准备、应急机制和应急措施的意见和建议",
                ),
            ]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
        ));
        n.sub(&mut out, "发现的问题与整改建议");
        out.push(Part::Table {
            header: strs(&[
                "序号",
                "问题描述",
                "严重程度",
                "涉及预案条款",
                "整改建议与责任单位",
            ]),
            rows: (1..=5)
                .map(|i| {
                    vec![
                        i.to_string(),
                        NOTES.into(),
                        "□重大 □一般".into(),
                        String::new(),
                        String::new(),
                    ]
                })
                .collect(),
            widths: vec![0.7, 4.0, 1.5, 2.2, 3.0],
            form: true,
        });
        out.push(para("评估结论：□ 达到演练目标　□ 基本达到　□ 未达到"));
        out.push(para("评估人（签字）：____________　　日期：____________"));
    }

    // 四、签到表
    n.top(&mut out, "签到表");
    out.push(para(format!(
        "演练：{title}　日期：{}　地点：{}",
        if show.basics {
            drill.date.to_string()
        } else {
            "________".into()
        },
        if show.basics {
            drill.place.clone().unwrap_or_else(|| "________".into())
        } else {
            "________".into()
        }
    )));
    let mut sign: Vec<(String, &str)> = Vec::new();
    sign.extend(roles.leadership.iter().map(|x| (x.clone(), "领导小组")));
    sign.extend(roles.director.iter().map(|x| (x.clone(), "总指挥")));
    sign.extend(roles.control.iter().map(|x| (x.clone(), "导调组")));
    sign.extend(roles.evaluators.iter().map(|x| (x.clone(), "评估组")));
    sign.extend(roles.support.iter().map(|x| (x.clone(), "保障组")));
    sign.extend(roles.players.iter().map(|x| (x.clone(), "参演")));
    sign.extend(roles.observers.iter().map(|x| (x.clone(), "观摩")));
    let filled = sign.len();
    let rows: Vec<Vec<String>> = sign
        .into_iter()
        .map(|(u, r)| (u, r.to_string()))
        .chain((0..BLANK_SIGN_IN_ROWS).map(|_| (String::new(), String::new())))
        .enumerate()
        .map(|(i, (unit, role))| {
            vec![
                (i + 1).to_string(),
                unit,
                role,
                String::new(),
                String::new(),
                String::new(),
                STAMP.into(),
                // two lines: room for a signature
                "\n".into(),
            ]
        })
        .collect();
    out.push(Part::Table {
        header: strs(&[
            "序号",
            "单位/组别",
            "演练角色",
            "姓名",
            "职务",
            "联系电话",
            "签到时间",
            "签名",
        ]),
        rows,
        widths: vec![0.7, 3.2, 1.4, 1.4, 1.3, 1.9, 1.2, 1.5],
        form: true,
    });
    out.push(note(format!(
        "前 {filled} 行为演练记录列出的单位和组别；每人一行，空行供增补。"
    )));

    // 五、保障与安全检查表
    n.top(&mut out, "保障与安全检查表");
    out.push(note("逐项检查，完成一项勾一项；检查人签字后交总指挥。"));
    n.sub(&mut out, "演练前");
    let mut before = strs(&[
        "参演人员已签到，明确岗位和任务",
        "通信联络已测试（电话、对讲机频道），演练信息均冠以“演练”二字",
        "评估人员已就位，评估表已分发",
    ]);
    match drill.form {
        DrillForm::Live => before.extend(strs(&[
            "演练场地、警戒区域、疏散通道和集合点已确认",
            "个体防护装备已检查完好，参演人员按规定佩戴",
            "医疗救护、消防力量已在位",
            "模拟险情设施已设置，不使用真实危险物质或明火（经批准的除外）",
        ])),
        DrillForm::Tabletop => before.extend(strs(&[
            "会场、投影、视频会商系统、地图或沙盘已就绪",
            "参演单位已带齐本单位预案和通讯录",
        ])),
    }
    if copy == PackCopy::Controllers {
        before.push("导调组已备齐演练脚本和情景消息卡（任务卡），按时间顺序编号".into());
    }
    if drill.blind != BlindLevel::None && copy == PackCopy::Controllers {
        before.push("已向上级和属地有关部门报备盲演，并约定真实事件时的中止口令".into());
    }
    before.push("安全检查结果已报总指挥，总指挥同意开始".into());
    out.push(list("check", before));
    if show.basics {
        let mut resources = Vec::new();
        for e in &plans {
            for id in &e.plan.resources {
                let Some(r) = reg.index.resources.get(id).map(|&i| &reg.resources[i].item) else {
                    continue;
                };
                let mut line = format!("核查到位：{}", r.name);
                if let Some(l) = &r.location {
                    line.push_str(&format!("（{l}）"));
                }
                let items: Vec<String> = r
                    .items
                    .iter()
                    .map(|i| format!("{} {}{}", i.name, fmt_qty(i.quantity), i.unit))
                    .collect();
                if !items.is_empty() {
                    line.push_str(&format!("：{}", items.join("、")));
                }

                if !resources.contains(&line) {
                    resources.push(line);
                }
            }
        }
        if !resources.is_empty() {
            n.sub(&mut out, "应急队伍与物资（预案所列）");
            out.push(list("check", resources));
        }
    }
    n.sub(&mut out, "演练中");
    out.push(list(
        "check",
        strs(&[
            "安全员全程监护，发现隐患立即报告总指挥",
            "发生真实突发事件时立即中止演练，转入实际处置",
            "评估组按评估表记录时间和事实，保留照片、视频",
        ]),
    ));
    n.sub(&mut out, "演练后");
    let mut after = strs(&[
        "清点参演人员，确认无人员受伤或滞留",
        "恢复现场和设备（拆除模拟装置，阀门、系统恢复原状），归还物资",
        "总指挥宣布演练结束，评估组现场点评，参演人员自评",
        "评估表、签到表、影像资料交导调组，归档备查",
    ]);
    if copy == PackCopy::Controllers {
        after.push("编写评估报告和总结报告，发现的问题列入整改措施并跟踪落实".into());
    }
    out.push(list("check", after));
    out.push(para("检查人（签字）：____________　　时间：____________"));

    // column widths as percentages (one decimal) for the HTML; the PDF reads them as relative
    for p in &mut out {
        if let Part::Table { widths, .. } = p {
            let total: f64 = widths.iter().sum::<f64>().max(0.001);
            for w in widths.iter_mut() {
                *w = (*w / total * 1000.0).round() / 10.0;
            }
        }
    }
    PackView {
        file: format!("{}-{}", drill.id, copy.slug()),
        copy,
        copy_label,
        kicker: organizer,
        title,
        cover,
        source: source.to_string(),
        parts: out,
    }
}

/// The pack as flow blocks: every level-1 section starts a new page.
pub fn blocks(view: &PackView) -> Vec<Block> {
    let mut out = Vec::new();
    for p in &view.parts {
        match p {
            Part::Heading { level, text } => {
                if *level == 1 && !out.is_empty() {
                    out.push(Block::PageBreak);
                }
                out.push(Block::Heading {
                    level: *level,
                    text: text.clone(),
                });
            }
            Part::Para { text } => out.push(Block::Para(vec![Run::plain(text.clone())])),
            Part::Note { text } => out.push(Block::Note(text.clone())),
            Part::List { kind, items } => out.push(Block::List {
                kind: match *kind {
                    "numbered" => ListKind::Numbered,
                    "check" => ListKind::Check,
                    _ => ListKind::Bullet,
                },
                items: items.iter().map(|i| vec![Run::plain(i.clone())]).collect(),
            }),
            Part::Table {
                header,
                rows,
                widths,
                ..
            } => out.push(Block::Table {
                header: header.clone(),
                rows: rows.clone(),
                widths: widths.iter().map(|&w| w as f32).collect(),
                marks: Vec::new(),
            }),
        }
    }
    out
}

/// The pack as one self-contained HTML page (`templates/drills/pack.html.tera`, overridable from
/// the plan repository; Tera escapes every value).
pub fn html(root: &std::path::Path, view: &PackView) -> anyhow::Result<String> {
    let mut ctx = tera::Context::new();
    ctx.insert("pack", view);
    crate::render::templates::render_html(root, "drills/pack.html.tera", &ctx)
}

/// The cover of the PDF.
pub fn cover(view: &PackView) -> Cover {
    Cover {
        kicker: format!("{}\n演练资料包 · {}", view.kicker, view.copy_label),
        title: view.title.clone(),
        lines: view.cover.clone(),
        footer: format!(
            "由 yuan 根据预案库 {} 自动生成；以正式印发的演练方案为准。Generated by yuan from the plan repository at {}.",
            view.source, view.source
        ),
    }
}

/// The running header of the PDF pages: title, copy and provenance.
pub fn running_header(view: &PackView) -> String {
    format!("{} · {} · {}", view.title, view.copy_label, view.source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_into_sentences() {
        assert_eq!(
            sentences("先切断。后堵漏！还有"),
            ["先切断。", "后堵漏！", "还有"]
        );
    }

    #[test]
    fn offsets_read_as_minutes_then_hours() {
        assert_eq!(offset_label(0), "T+0");
        assert_eq!(offset_label(45), "T+45");
        assert_eq!(offset_label(90), "T+1:30");
    }

    #[test]
    fn what_each_copy_discloses() {
        let c = disclosure(PackCopy::Controllers, BlindLevel::Double);
        assert!(c.basics && c.scenario && c.script && c.forms);
        let p = disclosure(PackCopy::Participants, BlindLevel::None);
        assert!(p.basics && p.scenario && p.script && !p.forms);
        let p = disclosure(PackCopy::Participants, BlindLevel::Single);
        assert!(p.basics && !p.scenario && !p.script);
        let p = disclosure(PackCopy::Participants, BlindLevel::Double);
        assert!(!p.basics && !p.scenario && !p.script && !p.forms);
    }

    #[test]
    fn a_level_one_heading_starts_a_page_except_the_first() {
        let v = PackView {
            file: "x".into(),
            copy: PackCopy::Controllers,
            copy_label: String::new(),
            kicker: String::new(),
            title: String::new(),
            cover: Vec::new(),
            source: String::new(),
            parts: vec![
                Part::Heading {
                    level: 1,
                    text: "一".into(),
                },
                para("p"),
                Part::Heading {
                    level: 1,
                    text: "二".into(),
                },
            ],
        };
        let b = blocks(&v);
        assert_eq!(b.len(), 4);
        assert!(matches!(b[2], Block::PageBreak));
    }
}
