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
    let Some(h) = doc.find_heading(clause) else {
        return line_steps(corpus, doc, clause);
    };
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
        let mut steps = steps_of(text.get(start..end.max(start)).unwrap_or(""));
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

/// The steps of a clause that is a plain line, a bold line or a label (as Word exports leave
/// headings, `Document.lines`): the text after it up to the next heading or such line, as list
/// items or sentences.
fn line_steps(corpus: &Corpus, doc: &Document, clause: &str) -> Option<Vec<(String, Vec<String>)>> {
    let norm = crate::model::heading::normalize(clause);
    let at = doc
        .lines
        .iter()
        .position(|l| l.norm() == norm || l.title == clause)?;
    let line = &doc.lines[at];
    let text = corpus.read_text(&doc.path)?;
    let start = line.span.end as usize;
    let next_line = doc.lines.get(at + 1).map(|l| l.span.start as usize);
    let next_heading = doc
        .headings
        .iter()
        .map(|h| h.span.start as usize)
        .find(|&s| s >= start);
    let end = [next_line, next_heading]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(text.len());
    let own = text.get(start..end.max(start)).unwrap_or("");
    let mut steps = steps_of(own.trim_start_matches(['：', ':', '*', ' ']));
    steps.truncate(MAX_CLAUSE_STEPS);
    Some(vec![(line.title.clone(), steps)])
}

/// The steps written in a section's own text: its list items, or else its sentences (blank
/// ones left out).
fn steps_of(own: &str) -> Vec<String> {
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
    steps
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
/// （一） at level 2. Packs and reports (`super::report`) build their parts this way.
#[derive(Default)]
pub(crate) struct Parts {
    pub(crate) parts: Vec<Part>,
    top: usize,
    sub: usize,
}

impl Parts {
    pub(crate) fn top(&mut self, title: &str) {
        self.top += 1;
        self.sub = 0;
        self.parts.push(Part::Heading {
            level: 1,
            text: format!("{}、{title}", chinese_number(self.top)),
        });
    }
    pub(crate) fn sub(&mut self, title: &str) {
        self.sub += 1;
        self.parts.push(Part::Heading {
            level: 2,
            text: format!("（{}）{title}", chinese_number(self.sub)),
        });
    }
    fn push(&mut self, part: Part) {
        self.parts.push(part);
    }
    pub(crate) fn para(&mut self, t: impl Into<String>) {
        self.parts.push(Part::Para { text: t.into() });
    }
    pub(crate) fn note(&mut self, t: impl Into<String>) {
        self.parts.push(Part::Note { text: t.into() });
    }
    pub(crate) fn list(&mut self, kind: &'static str, items: Vec<String>) {
        self.parts.push(Part::List { kind, items });
    }
    pub(crate) fn table(&mut self, header: &[&str], widths: &[f64], rows: Vec<Vec<String>>) {
        let total: f64 = widths.iter().sum::<f64>().max(0.001);
        self.parts.push(Part::Table {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows,
            widths: widths
                .iter()
                .map(|w| (w / total * 1000.0).round() / 10.0)
                .collect(),
            form: false,
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
    match p.drill.start_minutes() {
        Some(m) => {
            rows.push(w::start_row(&clock(m)).to_vec());
            rows.extend(w::TIMING_ROWS[1..].iter().map(|r| strs(r)));
        }
        None => rows.extend(w::TIMING_ROWS.iter().map(|r| strs(r))),
    }
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

/// `HH:MM` of `minutes` after midnight (past midnight wraps to the next day's clock).
pub(crate) fn clock(minutes: u32) -> String {
    let m = minutes % (24 * 60);
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// At most this many expected actions or evaluation points taken from a plan per inject.
const MAX_FROM_PLAN: usize = 6;

/// One row of the script, before the copy decides its columns.
struct ScriptRow {
    time: String,
    subject: String,
    host: String,
    control: String,
    action: String,
    points: String,
}

impl<'a> Pack<'a> {
    fn director(&self) -> String {
        self.roles
            .director
            .clone()
            .unwrap_or_else(|| w::CAST_DIRECTOR.to_string())
    }

    /// The clock time of `offset` minutes after the start, with the offset; the offset alone
    /// when the record has no start time.
    fn time_at(&self, offset: u32) -> String {
        match self.drill.start_minutes() {
            Some(s) => format!("{}\n{}", clock(s + offset), offset_label(offset)),
            None => offset_label(offset),
        }
    }

    /// `name`, marked as a simulated party when the record says who plays it.
    fn played(&self, name: &str) -> String {
        match self.roles.simulated.iter().find(|s| s.party == name) {
            Some(s) => w::simulated_by(&s.party, &s.by),
            None => name.to_string(),
        }
    }

    /// The response level an inject sets, by the name the exercised plans give it.
    fn level_name(&self, level: u8) -> String {
        self.plans
            .iter()
            .flat_map(|e| e.plan.response_levels.iter())
            .find(|l| l.level == level)
            .map_or_else(|| w::level_unknown(level), |l| w::level_line(&l.name))
    }

    /// The steps of the clause an inject tests, from the first exercised plan that has it
    /// (a heading, or a plain line as Word exports leave headings).
    fn steps_of(&self, clause: &str) -> Vec<String> {
        self.plans
            .iter()
            .filter(|e| e.doc.has_clause(clause))
            .find_map(|e| clause_steps(self.corpus, e.doc, clause))
            .map(|groups| groups.into_iter().flat_map(|(_, s)| s).collect())
            .unwrap_or_default()
    }

    /// The evaluation points of an inject: the record's, else the clause's steps, the
    /// reporting limits of a reporting clause and the actions of the level it sets.
    fn points_of(&self, i: &Inject, steps: &[String]) -> Vec<String> {
        if !i.points.is_empty() {
            return i.points.clone();
        }
        let mut points: Vec<String> = Vec::new();
        let reporting = i
            .clause
            .as_deref()
            .is_some_and(|c| c.contains("报告") || c.contains("报送"));
        if reporting {
            for e in &self.plans {
                points.extend(e.plan.reporting.iter().map(|r| {
                    w::report_point(
                        &self.role_name(&r.from),
                        &self.role_name(&r.to),
                        r.within_minutes,
                    )
                }));
            }
        }
        if let Some(level) = i.level {
            let actions = self
                .plans
                .iter()
                .flat_map(|e| e.plan.response_levels.iter())
                .filter(|l| l.level == level)
                .flat_map(|l| l.actions.iter().cloned());
            points.extend(actions);
        }
        points.extend(steps.iter().cloned());
        points.truncate(MAX_FROM_PLAN);
        if points.is_empty() {
            points.push(w::NO_POINTS.to_string());
        }
        points
    }

    /// The script: ready, the start order, one row per inject, the end.
    fn script_rows(&self) -> Vec<ScriptRow> {
        let director = self.director();
        let mut rows = Vec::new();
        if self.drill.start_minutes().is_some_and(|s| s >= 5) {
            let s = self.drill.start_minutes().unwrap_or(0);
            rows.push(ScriptRow {
                time: clock(s - 5),
                subject: w::SUBJECT_READY.into(),
                host: w::HOST_READY.into(),
                control: String::new(),
                action: w::ACTION_READY.into(),
                points: w::POINTS_READY.into(),
            });
        }
        rows.push(ScriptRow {
            time: self.time_at(0),
            subject: w::SUBJECT_START.into(),
            host: w::host_start(&self.drill.title, &director),
            control: director.clone(),
            action: w::ACTION_START.into(),
            points: w::POINTS_START.into(),
        });
        for (n, i) in self.injects().into_iter().enumerate() {
            let time = self.time_at(i.offset_minutes);
            let mut subject = vec![
                w::subject_of(n + 1, i.clause.as_deref()),
                w::scenario_line(&i.inject),
            ];
            if let Some(l) = i.level {
                subject.push(self.level_name(l));
            }
            let to = i.to.as_deref().map(|t| self.played(t));
            let clock_only = time.split('\n').next().unwrap_or_default().to_string();
            let host = i
                .host
                .clone()
                .unwrap_or_else(|| w::host_inject(&clock_only, &i.inject, to.as_deref()));
            let control = match (&i.from, &to) {
                (Some(f), Some(t)) => format!("{} → {t}", self.played(f)),
                (Some(f), None) => self.played(f),
                (None, Some(t)) => format!("→ {t}"),
                (None, None) => String::new(),
            };
            let steps = i
                .clause
                .as_deref()
                .map(|c| self.steps_of(c))
                .unwrap_or_default();
            let action = match (&i.expected_action, &i.clause) {
                (Some(a), _) => a.clone(),
                (None, Some(c)) if !steps.is_empty() => {
                    let mut lines = vec![w::from_plan(c)];
                    lines.extend(steps.iter().take(MAX_FROM_PLAN).map(|s| format!("· {s}")));
                    lines.join("\n")
                }
                _ => String::new(),
            };
            let points = self
                .points_of(i, &steps)
                .iter()
                .map(|p| format!("□ {p}"))
                .collect::<Vec<_>>()
                .join("\n");
            rows.push(ScriptRow {
                time,
                subject: subject.join("\n"),
                host,
                control,
                action,
                points,
            });
        }
        rows.push(ScriptRow {
            time: w::TIME_END.into(),
            subject: w::SUBJECT_END.into(),
            host: w::host_end(&director),
            control: director,
            action: w::ACTION_END.into(),
            points: w::POINTS_END.into(),
        });
        rows
    }
}

fn script(p: &Pack, out: &mut Parts) {
    out.top(titles::SCRIPT);
    if p.drill.injects.is_empty() {
        out.push(note(w::NO_SCRIPT));
        return;
    }
    out.push(note(w::SCRIPT_NOTE));
    if p.drill.start_minutes().is_none() {
        out.push(note(w::SCRIPT_NO_START));
    }
    out.sub(w::SCRIPT_CAST);
    let mut cast = vec![
        vec![
            w::CAST_HOST.to_string(),
            p.roles
                .host
                .clone()
                .unwrap_or_else(|| w::TO_BE_NAMED.into()),
            w::CAST_HOST_NOTE.into(),
        ],
        vec![
            w::CAST_DIRECTOR.to_string(),
            p.director(),
            w::CAST_DIRECTOR_NOTE.into(),
        ],
        vec![
            w::CAST_CONTROL.to_string(),
            if p.roles.control.is_empty() {
                w::TO_BE_NAMED.into()
            } else {
                p.roles.control.join("、")
            },
            w::CAST_CONTROL_NOTE.into(),
        ],
    ];
    cast.extend(p.roles.simulated.iter().map(|s| {
        vec![
            w::cast_simulated(&s.party),
            s.by.clone(),
            w::CAST_SIMULATED_NOTE.into(),
        ]
    }));
    out.push(table(&w::CAST_COLUMNS, cast, false));
    if p.roles.simulated.is_empty() {
        out.push(note(w::CAST_NO_SIMULATED));
    }
    out.sub(w::SCRIPT_TABLE);
    let controllers = p.for_controllers();
    let rows: Vec<Vec<String>> = p
        .script_rows()
        .into_iter()
        .map(|r| {
            let mut row = vec![r.time, r.subject, r.host, r.control, r.action];
            if controllers {
                row.push(r.points);
                row.push(w::STAMP.into());
            }
            row
        })
        .collect();
    let mut t = table(&w::SCRIPT_COLUMNS, rows, false);
    if controllers {
        if let Part::Table { header, widths, .. } = &mut t {
            for (h, wd) in [w::SCRIPT_POINTS, w::SCRIPT_ACTUAL] {
                header.push(h.into());
                widths.push(wd);
            }
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
        .find(|h| h.norm().contains("职责"))
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

/// At most this many rows of people on a sign-in sheet (a hostile head-count is not a
/// million pages).
const MAX_SIGN_IN_ROWS: usize = 2000;

/// How many people a unit named in the record sends: `roles.headcount`, else a count written
/// in the name (`当班班组（12人）`, `消防队 8 人`), else `None`.
pub(crate) fn headcount(roles: &DrillRoles, name: &str) -> Option<usize> {
    if let Some(&n) = roles.headcount.get(name) {
        return Some(n as usize);
    }
    let t = name.trim_end_matches(['）', ')']).trim_end();
    let t = t.strip_suffix('人')?.trim_end();
    let digits: String = t
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().ok().filter(|&n: &usize| n > 0)
}

/// A unit's name without the head-count written in it: `当班班组（12人）` → `当班班组`.
fn without_count(name: &str) -> &str {
    for open in ['（', '('] {
        if let Some((unit, count)) = name.rsplit_once(open) {
            let count = count.trim_end_matches(['）', ')']);
            let digits = count.strip_suffix('人').unwrap_or("");
            if !unit.trim().is_empty()
                && !digits.is_empty()
                && digits.trim().chars().all(|c| c.is_ascii_digit())
            {
                return unit.trim_end();
            }
        }
    }
    name
}

/// The rows of people of a sign-in sheet: (unit, role) per person, and the units without a
/// head-count (one row each).
pub(crate) fn sign_in_rows(roles: &DrillRoles) -> (Vec<(String, &'static str)>, Vec<String>) {
    let mut rows = Vec::new();
    let mut uncounted = Vec::new();
    let mut named: Vec<&str> = Vec::new();
    for t in &w::TEAMS {
        for m in t.team.members(roles) {
            named.push(m);
            match headcount(roles, m) {
                Some(n) if n > 1 => {
                    let left = MAX_SIGN_IN_ROWS.saturating_sub(rows.len());
                    rows.extend(
                        (1..=n.min(left))
                            .map(|i| (w::member_row(without_count(m), i, n), t.sign_in)),
                    );
                }
                Some(_) => rows.push((m.clone(), t.sign_in)),
                None => {
                    // a single person (总指挥) needs no count; a unit without one gets a row
                    if t.team != Team::Director {
                        uncounted.push(m.clone());
                    }
                    rows.push((m.clone(), t.sign_in));
                }
            }
        }
    }
    // a head-count for a name the roles do not list is a team of its own
    for (m, &n) in &roles.headcount {
        if !named.contains(&m.as_str()) {
            let left = MAX_SIGN_IN_ROWS.saturating_sub(rows.len());
            let n = n as usize;
            rows.extend((1..=n.min(left)).map(|i| (w::member_row(m, i, n), "参演")));
        }
    }
    rows.truncate(MAX_SIGN_IN_ROWS);
    (rows, uncounted)
}

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
    let (named, uncounted) = sign_in_rows(&p.roles);
    let people = named.len();
    let spare = w::BLANK_SIGN_IN_ROWS.max(people / 5);
    let rows = named
        .into_iter()
        .map(|(u, r)| (u, r.to_string()))
        .chain((0..spare).map(|_| (String::new(), String::new())))
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
    out.push(note(w::sign_in_note(people, &uncounted)));
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
    part_blocks(&view.parts, true)
}

/// Parts as flow blocks; `page_breaks`: every level-1 section after the first starts a page.
pub(crate) fn part_blocks(parts: &[Part], page_breaks: bool) -> Vec<Block> {
    let mut out = Vec::new();
    for p in parts {
        match p {
            Part::Heading { level, text } => {
                if page_breaks && *level == 1 && !out.is_empty() {
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
    fn clock_times_count_from_the_start() {
        assert_eq!(clock(9 * 60 + 30 + 45), "10:15");
        assert_eq!(clock(23 * 60 + 50 + 20), "00:10");
    }

    fn roles(players: &[&str], counts: &[(&str, u16)]) -> DrillRoles {
        DrillRoles {
            director: Some("总经理".into()),
            players: players.iter().map(|p| p.to_string()).collect(),
            headcount: counts.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            ..DrillRoles::default()
        }
    }

    #[test]
    fn headcounts_come_from_the_map_then_the_name() {
        let r = roles(
            &["当班班组（12人）", "专职消防队", "储运车间 8 人", "三班"],
            &[("专职消防队", 9)],
        );
        assert_eq!(headcount(&r, "当班班组（12人）"), Some(12));
        assert_eq!(headcount(&r, "专职消防队"), Some(9));
        assert_eq!(headcount(&r, "储运车间 8 人"), Some(8));
        assert_eq!(headcount(&r, "三班"), None);
        // a number that is not a head-count is not read as one
        assert_eq!(headcount(&r, "第3车间"), None);
        assert_eq!(headcount(&r, "（0人）"), None);
    }

    /// A whole shift of twelve gets twelve rows, not one; a team without a count gets one row
    /// and is named in the note, so the coordinator can add the count.
    #[test]
    fn the_sign_in_sheet_has_a_row_per_person() {
        let r = roles(
            &["当班班组（12人）", "专职消防队", "三班"],
            &[("专职消防队", 9)],
        );
        let (rows, uncounted) = sign_in_rows(&r);
        // 总指挥 1 + 12 + 9 + 1
        assert_eq!(rows.len(), 23, "{rows:?}");
        assert_eq!(rows[1].0, "当班班组（1/12）");
        assert_eq!(rows[12].0, "当班班组（12/12）");
        assert_eq!(rows[13].0, "专职消防队（1/9）");
        assert_eq!(without_count("储运车间（白班）"), "储运车间（白班）");
        assert_eq!(uncounted, ["三班"]);
        // a hostile head-count is capped
        let r = roles(&["全员"], &[("全员", u16::MAX)]);
        assert_eq!(sign_in_rows(&r).0.len(), MAX_SIGN_IN_ROWS);
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

    /// A Word-style plan leaves its clauses as plain lines (`3.1 应急处置程序`, `泄漏处置：`):
    /// their steps are the text after them, up to the next such line or heading.
    #[test]
    fn plain_line_clauses_give_their_steps() {
        let dir = tempfile::tempdir().expect("tempdir");
        let head = "---\nid: p\ntitle: 储罐区泄漏现场处置方案\nkind: onsite\n---\n";
        let body = "\n# 3 应急处置\n\n**3.1 应急处置程序**\n\n1. 发现泄漏立即报告值班长。\n2. 值班长启动本方案。\n\n**3.2 泄漏处置**\n\n关闭进料阀。设置警戒区。\n\n# 4 注意事项\n\n佩戴防护用品。\n";
        std::fs::write(dir.path().join("p.md"), format!("{head}{body}")).expect("write");
        let loaded = crate::load::load(dir.path()).expect("load");
        let corpus = &loaded.corpus;
        let doc = &corpus.docs[0];
        assert!(doc.find_heading("应急处置程序").is_none());
        let steps = clause_steps(corpus, doc, "应急处置程序").expect("the clause");
        assert_eq!(
            steps[0].1,
            ["发现泄漏立即报告值班长。", "值班长启动本方案。"]
        );
        let steps = clause_steps(corpus, doc, "泄漏处置").expect("the clause");
        assert_eq!(steps[0].1, ["关闭进料阀。", "设置警戒区。"]);
        assert_eq!(clause_steps(corpus, doc, "堵漏"), None);
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
