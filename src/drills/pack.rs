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
//! Stages: [`view`] resolves the records into a [`PackView`] of generic [`Part`]s, one function
//! per part of the pack, in the order printed; every fixed word of those parts (titles, notes,
//! columns, the organisation's duties, procedure, safety measures, checklists) is in
//! `wording.rs`, so this file holds only what goes where and for which copy. The HTML
//! template (`templates/drills/pack.html.tera`) and [`blocks`] (for the shared paginating
//! layout of [`crate::render::flow`]) both print those parts, so the two formats agree.

use crate::handbook::content::{fmt_qty, numeral};
use crate::handbook::pdf::chinese_number;
use crate::model::drill::{BlindLevel, DrillForm, DrillMeta, DrillRoles, Inject};
use crate::model::meta::PlanMeta;
use crate::model::{Corpus, Document};
use crate::render::flow::{self, Block, Cover, ListKind, Run};
use serde::Serialize;
use wording::{self as w, titles, Columns};

mod wording;

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
    pub(crate) fn slug(self) -> &'static str {
        match self {
            PackCopy::Controllers => "controllers",
            PackCopy::Participants => "participants",
        }
    }
}

/// One printable piece of a pack, shared by the HTML template and the PDF blocks.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub(crate) enum Part {
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
    pub(crate) file: String,
    pub(crate) copy: PackCopy,
    /// 导调/评估版 or 参演人员版.
    pub(crate) copy_label: String,
    pub(crate) kicker: String,
    pub(crate) title: String,
    /// Label–value lines of the cover.
    pub(crate) cover: Vec<(String, String)>,
    /// Provenance: short commit id, `+dirty`, or `uncommitted`.
    pub(crate) source: String,
    pub(crate) parts: Vec<Part>,
}

/// `T+n` as `T+mm` or `T+h:mm`.
pub(crate) fn offset_label(minutes: u32) -> String {
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
pub(crate) fn exercised_plans<'a>(
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

/// The parts of a pack as they are built, with the numbers of its headings: 一、 at level 1,
/// （一） at level 2.
#[derive(Default)]
struct Parts {
    parts: Vec<Part>,
    top: usize,
    sub: usize,
}

impl Parts {
    fn top(&mut self, title: &str) {
        self.top += 1;
        self.sub = 0;
        self.parts.push(Part::Heading {
            level: 1,
            text: format!("{}、{title}", chinese_number(self.top)),
        });
    }
    fn sub(&mut self, title: &str) {
        self.sub += 1;
        self.parts.push(Part::Heading {
            level: 2,
            text: format!("（{}）{title}", chinese_number(self.sub)),
        });
    }
    fn push(&mut self, part: Part) {
        self.parts.push(part);
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
/// A table of `columns`; `form`: a form to fill in.
fn table(columns: &Columns, rows: Vec<Vec<String>>, form: bool) -> Part {
    Part::Table {
        header: strs(columns.header),
        rows,
        widths: columns.widths.to_vec(),
        form,
    }
}

/// An evaluation form: one row per item to observe, with rating, time stamp and notes.
fn eval_table(first: &str, rows: Vec<(String, String)>) -> Part {
    let mut header = strs(w::EVALUATION_COLUMNS.header);
    header[1] = first.into();
    Part::Table {
        header,
        rows: rows
            .into_iter()
            .enumerate()
            .map(|(i, (who, what))| {
                vec![
                    (i + 1).to_string(),
                    who,
                    what,
                    w::RATING.into(),
                    w::STAMP.into(),
                    w::NOTES.into(),
                ]
            })
            .collect(),
        widths: w::EVALUATION_COLUMNS.widths.to_vec(),
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

/// A group of the drill organisation (domain.md §4.2), in the order of the organisation table
/// and the sign-in sheet; its wording is in [`wording::TEAMS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Team {
    Leadership,
    Director,
    Control,
    Evaluators,
    Support,
    Players,
    Observers,
}

impl Team {
    /// The units or people the drill record names for this group.
    fn members(self, roles: &DrillRoles) -> &[String] {
        match self {
            Team::Leadership => &roles.leadership,
            Team::Director => roles.director.as_slice(),
            Team::Control => &roles.control,
            Team::Evaluators => &roles.evaluators,
            Team::Support => &roles.support,
            Team::Players => &roles.players,
            Team::Observers => &roles.observers,
        }
    }
}

/// What one copy of a pack is made of: the drill, the plans it exercises, what the copy may
/// show, and the names the parts print.
struct Pack<'a> {
    corpus: &'a Corpus,
    drill: &'a DrillMeta,
    copy: PackCopy,
    show: Disclosure,
    plans: Vec<Exercised<'a>>,
    organizer: String,
    roles: DrillRoles,
}

impl<'a> Pack<'a> {
    fn new(corpus: &'a Corpus, drill: &'a DrillMeta, copy: PackCopy) -> Pack<'a> {
        Pack {
            corpus,
            drill,
            copy,
            show: disclosure(copy, drill.blind),
            plans: resolve(corpus, drill),
            organizer: corpus
                .registry
                .organization(&drill.organizer)
                .map_or_else(|| drill.organizer.clone(), |o| o.name.clone()),
            roles: drill.roles.clone().unwrap_or_default(),
        }
    }

    fn role_name(&self, id: &str) -> String {
        self.corpus
            .registry
            .role(id)
            .map_or_else(|| id.to_string(), |r| r.name.clone())
    }

    fn for_controllers(&self) -> bool {
        self.copy == PackCopy::Controllers
    }

    fn blind(&self) -> bool {
        self.drill.blind != BlindLevel::None
    }

    /// 实战演练 · 综合演练 · 检验性, as three labels.
    fn type_labels(&self) -> [&'static str; 3] {
        [
            w::form_label(self.drill.form),
            w::content_label(self.drill.content),
            w::purpose_label(self.drill.purpose),
        ]
    }

    /// The drill's title, or a title that does not give a double-blind drill away.
    fn title(&self) -> String {
        if self.show.basics {
            self.drill.title.clone()
        } else {
            w::double_blind_title(&self.organizer)
        }
    }

    fn place(&self) -> String {
        self.drill
            .place
            .clone()
            .unwrap_or_else(|| w::PLACE_TBA.into())
    }

    /// The injects by time.
    fn injects(&self) -> Vec<&'a Inject> {
        let mut injects: Vec<&Inject> = self.drill.injects.iter().collect();
        injects.sort_by_key(|i| i.offset_minutes);
        injects
    }
}

/// Builds the view of one copy of the pack of `drill` (its plans must be in `corpus`): the
/// work plan, the script, the evaluation forms, the sign-in sheet and the checklist, each as
/// far as the copy may show it.
pub fn view(corpus: &Corpus, drill: &DrillMeta, copy: PackCopy, source: &str) -> PackView {
    let pack = Pack::new(corpus, drill, copy);
    let mut out = Parts::default();
    work_plan(&pack, &mut out);
    if pack.show.script {
        script(&pack, &mut out);
    }
    if pack.show.forms {
        evaluation_forms(&pack, &mut out);
    }
    sign_in_sheet(&pack, &mut out);
    checklist(&pack, &mut out);
    let mut parts = out.parts;
    widths_as_percentages(&mut parts);
    PackView {
        file: format!("{}-{}", drill.id, copy.slug()),
        copy,
        copy_label: copy_label(copy, drill.blind).to_string(),
        title: pack.title(),
        cover: cover_lines(&pack, source),
        kicker: pack.organizer,
        source: source.to_string(),
        parts,
    }
}

fn copy_label(copy: PackCopy, blind: BlindLevel) -> &'static str {
    match copy {
        PackCopy::Controllers if blind != BlindLevel::None => w::CONTROLLERS_COPY_OF_BLIND,
        PackCopy::Controllers => w::CONTROLLERS_COPY,
        PackCopy::Participants => w::PARTICIPANTS_COPY,
    }
}

/// Label–value lines of the cover.
fn cover_lines(p: &Pack, source: &str) -> Vec<(String, String)> {
    let drill = p.drill;
    let mut cover = vec![(w::cover::ORGANIZER.to_string(), p.organizer.clone())];
    if p.show.basics {
        cover.push((w::cover::TYPE.into(), p.type_labels().join(" · ")));
        cover.push((w::cover::DATE.into(), drill.date.to_string()));
        cover.push((w::cover::PLACE.into(), p.place()));
        let names: Vec<String> = p
            .plans
            .iter()
            .map(|e| format!("《{}》", e.plan.title))
            .collect();
        cover.push((w::cover::PLANS.into(), names.join("、")));
    } else {
        cover.push((w::cover::TIME_AND_PLACE.into(), w::ANNOUNCED_LATER.into()));
    }
    cover.push((w::cover::BLIND.into(), w::blind_label(drill.blind).into()));
    if p.for_controllers() {
        cover.push((
            w::cover::RECORD.into(),
            format!("{}（{}）", drill.id, w::status_label(drill.status)),
        ));
    }
    cover.push((w::cover::SOURCE.into(), source.to_string()));
    cover
}

/// Column widths as percentages (one decimal) for the HTML; the PDF reads them as relative.
fn widths_as_percentages(parts: &mut [Part]) {
    for p in parts {
        if let Part::Table { widths, .. } = p {
            let total: f64 = widths.iter().sum::<f64>().max(0.001);
            for w in widths.iter_mut() {
                *w = (*w / total * 1000.0).round() / 10.0;
            }
        }
    }
}

// 一、演练工作方案

fn work_plan(p: &Pack, out: &mut Parts) {
    out.top(titles::WORK_PLAN);
    objectives(p, out);
    scope(p, out);
    scenario(p, out);
    time_and_place(p, out);
    organisation(p, out);
    out.sub(titles::PROCEDURE);
    out.push(list("numbered", strs(&w::PROCEDURE)));
    safety(p, out);
}

fn objectives(p: &Pack, out: &mut Parts) {
    out.sub(titles::OBJECTIVES);
    if !p.show.basics {
        out.push(para(w::DOUBLE_BLIND_OBJECTIVES));
        return;
    }
    let [form, content, purpose] = p.type_labels();
    out.push(para(w::purpose_para(form, content, purpose)));
    if p.drill.objectives.is_empty() {
        out.push(note(w::NO_OBJECTIVES));
    } else {
        out.push(list("numbered", p.drill.objectives.clone()));
    }
}

fn scope(p: &Pack, out: &mut Parts) {
    out.sub(titles::SCOPE);
    if !p.show.basics {
        out.push(para(w::SCOPE_WITHHELD));
        return;
    }
    let rows = p
        .plans
        .iter()
        .map(|e| {
            let number = e
                .plan
                .plan_no
                .as_deref()
                .map(|x| format!("{x} · "))
                .unwrap_or_default();
            vec![
                format!("{}（{}）", e.plan.title, e.plan.id),
                format!("{number}{}", e.plan.version),
                clauses_tested(p, e),
            ]
        })
        .collect();
    out.push(table(&w::SCOPE_COLUMNS, rows, false));
    let players = if p.roles.players.is_empty() {
        w::PLAYERS_ON_SIGN_IN.to_string()
    } else {
        p.roles.players.join("、")
    };
    out.push(para(w::players_para(&players)));
}

/// The clauses tested of a plan, as the scope lists them; they hint at the scenario a blind
/// drill withholds.
fn clauses_tested(p: &Pack, e: &Exercised) -> String {
    if !p.show.scenario {
        w::CLAUSES_WITHHELD.into()
    } else if e.clauses.is_empty() {
        w::ALL_CLAUSES.into()
    } else {
        e.clauses.join("；")
    }
}

fn scenario(p: &Pack, out: &mut Parts) {
    out.sub(titles::SCENARIO);
    out.push(match (&p.drill.scenario, p.show.scenario) {
        (Some(s), true) => para(s.clone()),
        (None, true) => note(w::NO_SCENARIO),
        (_, false) => para(w::SCENARIO_WITHHELD),
    });
}

fn time_and_place(p: &Pack, out: &mut Parts) {
    out.sub(titles::TIME_AND_PLACE);
    if !p.show.basics {
        out.push(para(w::time_and_place_withheld()));
        return;
    }
    let mut rows = vec![
        vec![w::DATE_ROW.into(), p.drill.date.to_string()],
        vec![w::PLACE_ROW.into(), p.place()],
    ];
    rows.extend(w::TIMING_ROWS.iter().map(|r| strs(r)));
    out.push(table(&w::TIME_AND_PLACE_COLUMNS, rows, false));
}

fn organisation(p: &Pack, out: &mut Parts) {
    out.sub(titles::ORGANISATION);
    let rows = w::TEAMS
        .iter()
        .filter_map(|t| {
            let members = t.team.members(&p.roles);
            if t.optional && members.is_empty() {
                return None;
            }
            let members = if members.is_empty() {
                w::TO_BE_NAMED.to_string()
            } else {
                members.join("、")
            };
            Some(vec![t.name.into(), members, t.duty.into()])
        })
        .collect();
    out.push(table(&w::ORGANISATION_COLUMNS, rows, false));
}

fn safety(p: &Pack, out: &mut Parts) {
    out.sub(titles::SAFETY);
    let mut safety = strs(&w::SAFETY);
    if p.drill.form == DrillForm::Live {
        safety.extend(strs(&w::SAFETY_LIVE));
    }
    if p.blind() && p.for_controllers() {
        safety.push(w::SAFETY_BLIND_CONTROLLERS.into());
    }
    out.push(list("bullet", safety));
}

// 二、演练脚本

fn script(p: &Pack, out: &mut Parts) {
    out.top(titles::SCRIPT);
    out.push(note(w::SCRIPT_NOTE));
    let controllers = p.for_controllers();
    let rows: Vec<Vec<String>> = p
        .injects()
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
                r.push(w::STAMP.into());
            }
            r
        })
        .collect();
    if rows.is_empty() {
        out.push(note(w::NO_SCRIPT));
        return;
    }
    let mut t = table(&w::SCRIPT_COLUMNS, rows, false);
    if controllers {
        if let Part::Table { header, widths, .. } = &mut t {
            header.push(w::SCRIPT_ACTUAL.0.into());
            widths.push(w::SCRIPT_ACTUAL.1);
        }
    }
    out.push(t);
}

// 三、评估表

fn evaluation_forms(p: &Pack, out: &mut Parts) {
    out.top(titles::FORMS);
    out.push(note(w::forms_note()));
    let evaluator = vec![
        String::new(),
        String::new(),
        p.drill.date.to_string(),
        w::STAMP.into(),
        w::STAMP.into(),
    ];
    out.push(table(&w::EVALUATOR_COLUMNS, vec![evaluator], true));
    objectives_form(p, out);
    injects_form(p, out);
    for e in &p.plans {
        let short = format!("《{}》", e.plan.title);
        clauses_form(p, e, &short, out);
        levels_form(p, e, &short, out);
        reporting_form(p, e, &short, out);
        duties_form(p, e, &short, out);
    }
    overall_form(out);
    findings_form(out);
}

fn objectives_form(p: &Pack, out: &mut Parts) {
    out.sub(titles::FORM_OBJECTIVES);
    if p.drill.objectives.is_empty() {
        out.push(note(w::NO_OBJECTIVES_TO_RATE));
        return;
    }
    let rows = p
        .drill
        .objectives
        .iter()
        .enumerate()
        .map(|(i, o)| w::objective_row(i + 1, o))
        .collect();
    out.push(eval_table(w::rows::OBJECTIVE, rows));
}

fn injects_form(p: &Pack, out: &mut Parts) {
    if p.drill.injects.is_empty() {
        return;
    }
    out.sub(titles::FORM_INJECTS);
    let rows = p
        .injects()
        .iter()
        .map(|i| {
            let who = match &i.to {
                Some(t) => format!("{} {t}", offset_label(i.offset_minutes)),
                None => offset_label(i.offset_minutes),
            };
            let what =
                w::inject_observed(&i.inject, i.expected_action.as_deref(), i.clause.as_deref());
            (who, what)
        })
        .collect();
    out.push(eval_table(w::rows::INJECT, rows));
}

/// The cited clauses of a plan (else its response section), one row per step.
fn clauses_form(p: &Pack, e: &Exercised, short: &str, out: &mut Parts) {
    let mut clauses = e.clauses.clone();
    if clauses.is_empty() {
        // the response section, evaluated when the drill cites no clause
        clauses.extend(
            e.doc
                .response_heading()
                .map(|i| e.doc.headings[i].title.clone()),
        );
    }
    let resolved: Vec<(String, Vec<String>)> = clauses
        .iter()
        .filter_map(|c| clause_steps(p.corpus, e.doc, c))
        .flatten()
        .collect();
    if resolved.is_empty() {
        return;
    }
    out.sub(&format!("{short}{}", titles::FORM_CLAUSES));
    let mut rows = Vec::new();
    for (title, steps) in resolved {
        if steps.is_empty() {
            rows.push((title.clone(), w::CLAUSE_AS_WRITTEN.to_string()));
        }
        let many = steps.len() > 1;
        for (i, s) in steps.into_iter().enumerate() {
            let who = if many {
                w::clause_step(&title, i + 1)
            } else {
                title.clone()
            };
            rows.push((who, s));
        }
    }
    out.push(eval_table(w::rows::CLAUSE, rows));
}

/// Every response level of a plan, highest first: its start, then each role's actions.
fn levels_form(p: &Pack, e: &Exercised, short: &str, out: &mut Parts) {
    if e.plan.response_levels.is_empty() {
        return;
    }
    out.sub(&format!("{short}{}", titles::FORM_LEVELS));
    out.push(note(w::LEVELS_NOTE));
    let mut levels: Vec<_> = e.plan.response_levels.iter().collect();
    levels.sort_by_key(|l| std::cmp::Reverse(l.level));
    let mut rows = Vec::new();
    for l in levels {
        let at = |who: &str| format!("{}\n{who}", numeral(l.level));
        let lead = p.role_name(&l.lead);
        let decider = l
            .decided_by
            .as_deref()
            .map_or_else(|| lead.clone(), |d| p.role_name(d));
        rows.push((at(&decider), w::level_started(&l.name, &l.trigger)));
        rows.extend(l.actions.iter().map(|a| (at(&lead), a.clone())));
        for t in &l.tasks {
            let who = at(&p.role_name(&t.role));
            rows.extend(t.actions.iter().map(|a| (who.clone(), a.clone())));
        }
    }
    out.push(eval_table(w::rows::LEVEL, rows));
}

fn reporting_form(p: &Pack, e: &Exercised, short: &str, out: &mut Parts) {
    if e.plan.reporting.is_empty() {
        return;
    }
    out.sub(&format!("{short}{}", titles::FORM_REPORTING));
    let rows = e
        .plan
        .reporting
        .iter()
        .map(|r| {
            (
                format!("{} → {}", p.role_name(&r.from), p.role_name(&r.to)),
                w::report_observed(r.within_minutes, r.content.as_deref()),
            )
        })
        .collect();
    out.push(eval_table(w::rows::REPORT, rows));
}

fn duties_form(p: &Pack, e: &Exercised, short: &str, out: &mut Parts) {
    let duties = plan_duties(p, e);
    if duties.is_empty() {
        return;
    }
    out.sub(&format!("{short}{}", titles::FORM_DUTIES));
    out.push(eval_table(w::rows::DUTY, duties));
}

/// The plan's roles and duties: the front matter's organisation, else the duties section of
/// the text (on-site plans list them under 应急工作职责, GB/T 29639 §8).
fn plan_duties(p: &Pack, e: &Exercised) -> Vec<(String, String)> {
    let duties: Vec<(String, String)> = e
        .plan
        .organization
        .iter()
        .flat_map(|o| o.roles.iter())
        .map(|r| (p.role_name(&r.role), r.duties.clone()))
        .collect();
    if !duties.is_empty() {
        return duties;
    }
    let section = e
        .doc
        .headings
        .iter()
        .find(|h| h.norm.contains("职责"))
        .and_then(|h| clause_steps(p.corpus, e.doc, &h.title));
    let Some(groups) = section else {
        return duties;
    };
    groups
        .into_iter()
        .flat_map(|(_, items)| items)
        .map(|i| match i.split_once('：') {
            Some((who, what)) if who.chars().count() <= 20 => (who.to_string(), what.to_string()),
            _ => (w::NO_ONE_NAMED.to_string(), i),
        })
        .collect()
}

/// The evaluation dimensions of 2013 办法 Art. 23.
fn overall_form(out: &mut Parts) {
    out.sub(titles::FORM_OVERALL);
    out.push(note(w::OVERALL_NOTE));
    let rows = w::DIMENSIONS
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    out.push(eval_table(w::rows::DIMENSION, rows));
}

fn findings_form(out: &mut Parts) {
    out.sub(titles::FORM_FINDINGS);
    let rows = (1..=w::FINDING_ROWS)
        .map(|i| {
            vec![
                i.to_string(),
                w::NOTES.into(),
                w::SEVERITY_TICK.into(),
                String::new(),
                String::new(),
            ]
        })
        .collect();
    out.push(table(&w::FINDINGS_COLUMNS, rows, true));
    out.push(para(w::CONCLUSION));
    out.push(para(w::EVALUATOR_SIGNS));
}

// 四、签到表

fn sign_in_sheet(p: &Pack, out: &mut Parts) {
    out.top(titles::SIGN_IN);
    let (date, place) = if p.show.basics {
        (
            p.drill.date.to_string(),
            p.drill.place.clone().unwrap_or_else(|| w::BLANK.into()),
        )
    } else {
        (w::BLANK.into(), w::BLANK.into())
    };
    out.push(para(w::sign_in_heading(&p.title(), &date, &place)));
    let named: Vec<(String, &str)> = w::TEAMS
        .iter()
        .flat_map(|t| {
            let members = t.team.members(&p.roles);
            members.iter().map(|m| (m.clone(), t.sign_in))
        })
        .collect();
    let filled = named.len();
    let rows = named
        .into_iter()
        .map(|(u, r)| (u, r.to_string()))
        .chain((0..w::BLANK_SIGN_IN_ROWS).map(|_| (String::new(), String::new())))
        .enumerate()
        .map(|(i, (unit, role))| {
            vec![
                (i + 1).to_string(),
                unit,
                role,
                String::new(),
                String::new(),
                String::new(),
                w::STAMP.into(),
                w::SIGNATURE.into(),
            ]
        })
        .collect();
    out.push(table(&w::SIGN_IN_COLUMNS, rows, true));
    out.push(note(w::sign_in_note(filled)));
}

// 五、保障与安全检查表

fn checklist(p: &Pack, out: &mut Parts) {
    out.top(titles::CHECKLIST);
    out.push(note(w::CHECKLIST_NOTE));
    out.sub(titles::BEFORE);
    out.push(list("check", checks_before(p)));
    if p.show.basics {
        resources_check(p, out);
    }
    out.sub(titles::DURING);
    out.push(list("check", strs(&w::DURING)));
    out.sub(titles::AFTER);
    let mut after = strs(&w::AFTER);
    if p.for_controllers() {
        after.push(w::AFTER_CONTROLLERS.into());
    }
    out.push(list("check", after));
    out.push(para(w::INSPECTOR_SIGNS));
}

fn checks_before(p: &Pack) -> Vec<String> {
    let mut before = strs(&w::BEFORE);
    before.extend(strs(match p.drill.form {
        DrillForm::Live => w::BEFORE_LIVE,
        DrillForm::Tabletop => w::BEFORE_TABLETOP,
    }));
    if p.for_controllers() {
        before.push(w::BEFORE_CONTROLLERS.into());
    }
    if p.blind() && p.for_controllers() {
        before.push(w::BEFORE_BLIND_CONTROLLERS.into());
    }
    before.push(w::BEFORE_GO.into());
    before
}

/// The teams, stocks and equipment the plans list, each to check once.
fn resources_check(p: &Pack, out: &mut Parts) {
    let reg = &p.corpus.registry;
    let mut resources: Vec<String> = Vec::new();
    for id in p.plans.iter().flat_map(|e| e.plan.resources.iter()) {
        let Some(r) = reg.index.resources.get(id).map(|&i| &reg.resources[i].item) else {
            continue;
        };
        let mut line = w::resource_check(&r.name);
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
    if !resources.is_empty() {
        out.sub(titles::RESOURCES);
        out.push(list("check", resources));
    }
}

/// The pack as flow blocks: every level-1 section starts a new page.
pub(crate) fn blocks(view: &PackView) -> Vec<Block> {
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
pub(crate) fn html(root: &std::path::Path, view: &PackView) -> anyhow::Result<String> {
    let mut ctx = tera::Context::new();
    ctx.insert("pack", view);
    crate::render::templates::render_html(root, "drills/pack.html.tera", &ctx)
}

/// The cover of the PDF.
pub(crate) fn cover(view: &PackView) -> Cover {
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
pub(crate) fn running_header(view: &PackView) -> String {
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

    /// The steps of a cited clause are cut from the plan's text at the heading offsets taken
    /// at load: a plan rewritten since (here, a paragraph added above, which moves every
    /// heading) gives no steps rather than steps cut mid-sentence.
    #[test]
    fn a_plan_changed_since_the_load_gives_no_steps() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("p.md");
        let head = "---\nid: p\ntitle: 预案\nkind: overall\n---\n";
        let body = "\n## 4 应急响应\n\n1. 先切断电源。\n2. 再堵漏。\n";
        std::fs::write(&file, format!("{head}{body}")).expect("write");
        let loaded = crate::load::load(dir.path()).expect("load");
        let corpus = &loaded.corpus;
        let doc = &corpus.docs[0];
        let steps = clause_steps(corpus, doc, "应急响应").expect("the clause");
        assert_eq!(steps[0].1, ["先切断电源。", "再堵漏。"]);
        std::fs::write(&file, format!("{head}\n前言多写了一段。\n{body}")).expect("write");
        assert_eq!(clause_steps(corpus, doc, "应急响应"), None);
        assert!(corpus.changed_note().is_some_and(|n| n.en.contains("p.md")));
    }
}
