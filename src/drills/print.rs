//! The printable schedule: the [`CalendarView`] as flow blocks for the shared paginating
//! layout ([`crate::render::flow`]) on A4 landscape: a legend, one table per month (the
//! header row repeats when a month runs over a page; a colour band marks the drill type),
//! then the unmet requirements and the planned drills that break a constraint.

use super::calendar::{CalendarItem, CalendarView, DrillType};
use super::export::{self, Audience};
use super::schedule::Schedule;
use crate::diag::{Diagnostic, Lang, Text};
use crate::render::driver::{Book, Generator, Input, Printed, Tally};
use crate::render::flow::{self, Block, Cover, Style};
use crate::render::font::Fonts;
use crate::text;
use std::sync::OnceLock;

/// A4 landscape with the handbook's type sizes.
pub(crate) fn style() -> Style {
    let mut s = Style::a4();
    std::mem::swap(&mut s.page_w, &mut s.page_h);
    s.top = 18.0;
    s.bottom = 16.0;
    s.left = 16.0;
    s.right = 16.0;
    s.toc_depth = 1;
    s
}

fn h1(text: impl Into<String>) -> Block {
    Block::Heading {
        level: 1,
        text: text.into(),
    }
}

fn kind_color(e: &CalendarItem) -> flow::RowMark {
    DrillType::ALL
        .iter()
        .find(|t| t.key() == e.kind)
        .map(|t| t.color())
}

fn plans(e: &CalendarItem) -> String {
    std::iter::once(e.plan.as_str())
        .chain(e.also.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The content blocks (after the cover and contents).
pub(crate) fn blocks(v: &CalendarView) -> Vec<Block> {
    let mut out = vec![h1("图例与说明 Legend")];
    out.push(Block::Table {
        header: vec!["类型 Type".into(), "English".into(), "次数 Drills".into()],
        rows: v
            .legend
            .iter()
            .map(|l| vec![l.label.clone(), l.label_en.clone(), l.count.to_string()])
            .collect(),
        widths: vec![2.0, 3.0, 1.0],
        marks: DrillType::ALL.iter().map(|t| Some(t.color())).collect(),
    });
    out.push(Block::Note(
        "左侧色条表示演练类型。状态“已定”为已有演练记录（status: planned）的演练，日期不变；“建议”为 yuan 排定的日期，须经审定。The colour band is the drill type. Fixed: on record as planned, never moved; proposed: placed by yuan, to be approved."
            .into(),
    ));
    out.push(Block::Note(format!(
        "{}：演练 {} 次（已定 {}，建议 {}{}），未能安排 {} 项。",
        v.edition,
        v.drills,
        v.fixed,
        v.proposed,
        if v.coordinators {
            format!("，双盲 {}", v.double_blind)
        } else {
            String::new()
        },
        v.unmet.len()
    )));
    let header: Vec<String> = [
        "日期 Date",
        "单位 Organisation",
        "预案 Plan",
        "演练 Drill",
        "形式·内容",
        "盲演",
        "状态 Status",
        "说明 Notes",
    ]
    .map(String::from)
    .to_vec();
    for (m, entries) in &v.months {
        out.push(h1(m.label.clone()));
        if entries.is_empty() {
            out.push(Block::Note("本月无演练。No drills this month.".into()));
            continue;
        }
        out.push(Block::Table {
            header: header.clone(),
            rows: entries
                .iter()
                .map(|e| {
                    let mut notes = Vec::new();
                    if !e.campaign.is_empty() {
                        notes.push(e.campaign.clone());
                    }
                    notes.extend(e.notes.iter().map(|n| {
                        if e.fixed {
                            format!("▲ {n}")
                        } else {
                            n.clone()
                        }
                    }));
                    vec![
                        e.date.clone(),
                        format!("{}\n{}", e.org_name, e.org),
                        plans(e),
                        e.title.clone(),
                        e.kind_label.clone(),
                        e.blind.to_string(),
                        if e.fixed {
                            format!("已定\n{}", e.record)
                        } else {
                            format!("建议\n最迟 {}", e.due)
                        },
                        notes.join("\n"),
                    ]
                })
                .collect(),
            widths: vec![2.0, 3.4, 3.2, 5.2, 2.2, 1.0, 3.4, 4.4],
            marks: entries.iter().map(kind_color).collect(),
        });
    }
    out.push(h1(format!(
        "未能安排的演练 Requirements not met ({})",
        v.unmet.len()
    )));
    if v.unmet.is_empty() {
        out.push(Block::Note(
            "每项演练要求均已安排。Every requirement is met.".into(),
        ));
    } else {
        out.push(Block::Table {
            header: vec![
                "预案 Plan".into(),
                "单位 Organisation".into(),
                "最迟 Due".into(),
                "原因 Reason".into(),
            ],
            rows: v
                .unmet
                .iter()
                .map(|u| {
                    vec![
                        u.plan.clone(),
                        format!("{}\n{}", u.org_name, u.org),
                        u.due.clone(),
                        u.reason.clone(),
                    ]
                })
                .collect(),
            widths: vec![2.5, 3.0, 1.6, 8.0],
            marks: Vec::new(),
        });
    }
    if !v.conflicts.is_empty() {
        out.push(h1(format!(
            "与约束冲突的已定演练 Planned drills that break a constraint ({})",
            v.conflicts.len()
        )));
        out.push(Block::Note(
            "已定演练不会被移动；请核对后修改演练记录。Planned drills are never moved: check them and edit the record.".into(),
        ));
        out.push(Block::Table {
            header: vec![
                "日期 Date".into(),
                "演练记录 Record".into(),
                "单位 Organisation".into(),
                "说明 Notes".into(),
            ],
            rows: v
                .conflicts
                .iter()
                .map(|e| {
                    vec![
                        e.date.clone(),
                        format!("{}\n{}", e.record, e.title),
                        e.org_name.clone(),
                        e.notes.join("\n"),
                    ]
                })
                .collect(),
            widths: vec![1.6, 5.0, 3.0, 6.0],
            marks: Vec::new(),
        });
    }
    out
}

/// The cover.
pub(crate) fn cover(v: &CalendarView) -> Cover {
    Cover {
        kicker: "应急演练计划 Drill schedule".into(),
        title: format!("{} 至 {} 应急演练计划", v.from, v.last),
        lines: vec![
            ("期间".into(), format!("{} 至 {}", v.from, v.last)),
            (
                "演练".into(),
                format!(
                    "{} 次（已定 {}，建议 {}）",
                    v.drills, v.fixed, v.proposed
                ),
            ),
            ("未能安排".into(), format!("{} 项", v.unmet.len())),
            ("版本".into(), v.edition.clone()),
            ("来源提交".into(), v.source.clone()),
        ],
        footer: format!(
            "由 yuan 根据预案库 {} 的预案和演练记录自动生成；“建议”日期须经审定。Generated by yuan from the plans and drill records at {}.",
            v.source, v.source
        ),
    }
}

/// The schedule laid out with [`flow::book`] (cover, contents, running header, page numbers),
/// dated `epoch`.
pub(crate) fn book(v: &CalendarView, fonts: &Fonts, epoch: i64) -> Book {
    let header = format!("{} · {} · {}", v.title, v.edition, v.source);
    let laid = flow::book(fonts, &style(), &cover(v), &header, &blocks(v));
    let subject = format!("{} {}", v.edition, v.source);
    Book::of_flow(laid, v.title.clone(), subject, epoch)
}

/// Which files `yuan drills schedule` writes.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Formats {
    pub(crate) ics: bool,
    pub(crate) csv: bool,
    pub(crate) json: bool,
    pub(crate) html: bool,
    pub(crate) pdf: bool,
}

/// `yuan drills schedule`: the drills of a horizon placed, as calendars (ICS), CSV, JSON and the
/// two editions (public, coordinators') of the HTML and PDF schedule, through the generator
/// driver. It loads the repository without checking it: it prints dates, not plan text.
pub(crate) struct Schedules {
    /// First month (`YYYY-MM`); default: the month after `today`.
    pub(crate) from: Option<String>,
    pub(crate) months: u32,
    /// The day the last drills are counted up to (resolved by the CLI's run context).
    pub(crate) today: Option<chrono::NaiveDate>,
    /// The system date, resolved once by the CLI (the fallback of `today`).
    pub(crate) clock: chrono::NaiveDate,
    pub(crate) formats: Formats,
    /// Only this organisation's drills (`--org`), placed as in the whole schedule.
    pub(crate) org: Option<String>,
    /// The schedule, made with the units.
    plan: OnceLock<Schedule>,
    /// Organisation names and drill places, looked up once.
    names: OnceLock<export::Names>,
}

/// One edition of the schedule.
pub(crate) type Edition = (Audience, &'static str);

impl Schedules {
    pub(crate) fn new(
        from: Option<String>,
        months: u32,
        today: Option<chrono::NaiveDate>,
        clock: chrono::NaiveDate,
        formats: Formats,
        org: Option<String>,
    ) -> Schedules {
        Schedules {
            from,
            months,
            today,
            clock,
            formats,
            org,
            plan: OnceLock::new(),
            names: OnceLock::new(),
        }
    }

    /// Organisation names (registry) and the places of the drill records.
    fn names(cx: &Input) -> export::Names {
        let orgs = cx
            .corpus
            .registry
            .organizations
            .iter()
            .map(|o| (o.item.id.clone(), o.item.name.clone()))
            .collect();
        let places = cx
            .corpus
            .docs
            .iter()
            .filter_map(|d| d.drill())
            .filter_map(|dr| Some((dr.id.clone(), dr.place.clone()?)))
            .collect();
        export::Names { orgs, places }
    }

    fn plan(&self) -> anyhow::Result<&Schedule> {
        self.plan.get().ok_or_else(|| {
            crate::env_error!(
                "内部错误：演练计划应在选取单位时生成",
                "the schedule is made with the units"
            )
        })
    }

    /// The drills placed over the horizon.
    fn make(&self, cx: &Input) -> anyhow::Result<Schedule> {
        use chrono::{Datelike, Months, NaiveDate};
        let today = self.today.or(cx.config.check.today).unwrap_or(self.clock);
        let from = match &self.from {
            Some(m) => NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").map_err(|_| {
                crate::env_error!(
                    "--from `{m}`：应为年月，如 2027-01",
                    "--from `{m}`: expected a month like 2027-01"
                )
            })?,
            None => today
                .with_day(1)
                .and_then(|d| d.checked_add_months(Months::new(1)))
                .ok_or_else(|| {
                    crate::env_error!("{today} 之后没有月份", "no month after {today}")
                })?,
        };
        let until = from
            .checked_add_months(Months::new(self.months))
            .ok_or_else(|| {
                let months = self.months;
                crate::env_error!("--months {months} 超出范围", "--months {months} is too far")
            })?;
        let cfg = &cx.config.drills;
        let constraints = super::constraints(cfg)?;
        let inputs = super::schedule_inputs(cx.corpus, cfg, today);
        let t = std::time::Instant::now();
        let plan = super::schedule::schedule(
            &inputs.requirements,
            &inputs.fixed,
            &constraints,
            from,
            until,
        );
        crate::timing::report("schedule", t.elapsed());
        let mut plan = plan;
        if let Some(org) = &self.org {
            let known: std::collections::BTreeSet<&str> = cx
                .corpus
                .registry
                .organizations
                .iter()
                .map(|o| o.item.id.as_str())
                .chain(inputs.requirements.iter().map(|r| r.org.as_str()))
                .chain(inputs.fixed.iter().map(|f| f.org.as_str()))
                .collect();
            if !known.contains(org.as_str()) {
                let (zh, en) =
                    crate::diag::suggest::did_you_mean(&crate::diag::suggest::suggest(org, known));
                return Err(crate::env_error!(
                    "--org `{org}`：预案库中没有这个单位{zh}（单位 id 见 registry/*.yaml 的 organizations）",
                    "--org `{org}`: no such organisation in the repository{en} (ids: organizations in registry/*.yaml)"
                ));
            }
            plan.slots.retain(|s| &s.org == org);
            plan.unmet.retain(|u| &u.org == org);
        }
        Ok(plan)
    }

    fn name(plan: &Schedule) -> String {
        let (from, last) = (plan.from, plan.until.pred_opt().unwrap_or(plan.until));
        format!("应急演练计划 Drill schedule {from} – {last}")
    }
}

impl Generator for Schedules {
    type Unit<'c> = Edition;
    type View = (&'static str, CalendarView);
    const NAME: &'static str = "schedule";
    const COMMAND: &'static str = "yuan drills schedule";
    const DEFAULT_OUT: &'static str = "out/drills";

    fn checks(&self) -> bool {
        false
    }
    fn html_wanted(&self) -> bool {
        self.formats.html
    }
    fn pdf_wanted(&self) -> bool {
        self.formats.pdf
    }

    fn units<'c>(&'c self, cx: &Input<'c>) -> anyhow::Result<Vec<Edition>> {
        let plan = self.make(cx)?;
        let _ = self.plan.set(plan);
        let _ = self.names.set(Self::names(cx));
        if !(self.formats.html || self.formats.pdf) {
            return Ok(Vec::new());
        }
        Ok(vec![
            (Audience::Public, "schedule"),
            (Audience::Coordinators, "schedule-coordinators"),
        ])
    }

    fn sources<'c>(&self, _edition: &Edition) -> Vec<&'c str> {
        Vec::new()
    }

    fn provenance_note(&self, _note: &str, _lang: Lang) -> Option<String> {
        None
    }

    fn view<'c>(&self, cx: &Input<'c>, edition: &Edition) -> anyhow::Result<Self::View> {
        let names = self.names.get_or_init(|| Self::names(cx));
        let org_name = |id: &str| names.org(id).to_string();
        let view = super::calendar::view(self.plan()?, edition.0, &org_name, &cx.source);
        Ok((edition.1, view))
    }

    fn file(&self, view: &Self::View) -> String {
        view.0.to_string()
    }

    fn html(&self, cx: &Input, view: &Self::View) -> anyhow::Result<String> {
        super::calendar::html(cx.dir, &view.1)
    }

    fn book<'c>(
        &self,
        cx: &Input<'c>,
        _edition: &Edition,
        view: &Self::View,
        fonts: &Fonts,
    ) -> anyhow::Result<Result<Book, Vec<Diagnostic>>> {
        Ok(Ok(book(&view.1, fonts, cx.epoch)))
    }

    /// Characters are looked up in the drill records and plans of the entries, then the
    /// registries; the finding names the entries that print them.
    fn printed<'c>(&self, cx: &Input<'c>, _edition: &Edition, view: &Self::View) -> Printed {
        let entries = view.1.months.iter().flat_map(|(_, e)| e);
        let mut files = Vec::new();
        let mut whose = Vec::new();
        for e in entries {
            let id = if e.fixed { &e.record } else { &e.plan };
            if let Some(d) = cx.corpus.doc(id) {
                files.push(d.path.clone());
            }
            whose.push((id.clone(), format!("{}{}", e.title, e.org_name)));
        }
        files.sort();
        files.dedup();
        files.extend(cx.corpus.registry.files.iter().map(|f| f.path.clone()));
        Printed::Files {
            fallback: files.first().cloned().unwrap_or_default(),
            files,
            whose,
        }
    }

    fn unprintable(&self) -> (Text, Option<Text>) {
        (
            text!("无法生成演练计划 PDF", "the schedule PDF cannot be printed"),
            Some(text!(
                "HTML 演练计划不受影响",
                "the HTML schedule is not affected"
            )),
        )
    }

    fn run_files(&self, _cx: &Input, _any: bool) -> Vec<(String, &'static str)> {
        let f = self.formats;
        let mut files = Vec::new();
        if f.ics {
            files.push(("drills".to_string(), "ics"));
            files.push(("drills-coordinators".to_string(), "ics"));
        }
        if f.csv {
            files.push(("drills".to_string(), "csv"));
            files.push(("drills-coordinators".to_string(), "csv"));
        }
        if f.json {
            files.push(("schedule".to_string(), "json"));
            files.push(("schedule-coordinators".to_string(), "json"));
        }
        files
    }

    fn run_file(
        &self,
        cx: &Input,
        name: &(String, &'static str),
        _made: &[(&Self::View, &Book)],
        _fonts: Option<&Fonts>,
    ) -> anyhow::Result<Vec<u8>> {
        let plan = self.plan()?;
        let stamp = chrono::DateTime::from_timestamp(cx.epoch, 0)
            .unwrap_or_default()
            .naive_utc();
        let title = Self::name(plan);
        let names = self.names.get_or_init(|| Self::names(cx));
        // the files without `-coordinators` are the public edition
        let audience = if name.0.ends_with("-coordinators") {
            Audience::Coordinators
        } else {
            Audience::Public
        };
        Ok(match name.1 {
            "ics" => {
                let title = match audience {
                    Audience::Public => title,
                    Audience::Coordinators => format!("{title}（导调 coordinators）"),
                };
                export::ics(plan, audience, &title, stamp, names).into_bytes()
            }
            "csv" => export::csv(plan, audience, names)?,
            _ => {
                let mut json = serde_json::to_string_pretty(&*export::edition(plan, audience))?;
                json.push('\n');
                json.into_bytes()
            }
        })
    }

    fn summary(&self, cx: &Input, _t: &Tally) -> String {
        use crate::diag::terminal::escape;
        use std::fmt::Write as _;
        let Ok(plan) = self.plan() else {
            return String::new();
        };
        let (from, last) = (plan.from, plan.until.pred_opt().unwrap_or(plan.until));
        let (n, u, blind, worst) = (
            plan.slots.len(),
            plan.unmet.len(),
            plan.slots.iter().filter(|s| s.double_blind).count(),
            plan.worst_monthly_load(),
        );
        let fixed = plan.slots.iter().filter(|s| s.is_fixed()).count();
        let shown = _t.out.display();
        let mut out = text!(
            "{from} 至 {last}：安排 {n} 次演练（已定 {fixed} 次，双盲 {blind} 次），{u} 项未能安排；单位月最高 {worst} 次 → {shown}/\n",
            "{from} to {last}: {n} drills placed ({fixed} fixed, {blind} double-blind), {u} unmet; worst organisation month {worst} → {shown}/\n"
        )
        .get(cx.lang)
        .to_string();
        // proposals (not overdue) that could not get the margin before their due date
        let slack = cx.config.drills.slack_days;
        let short: Vec<&super::schedule::Slot> = plan
            .slots
            .iter()
            .filter(|s| !s.is_fixed() && s.due >= plan.from)
            .filter(|s| (s.due - s.date).num_days() < i64::from(slack))
            .collect();
        if !short.is_empty() {
            let k = short.len();
            let line = text!(
                "  {k} 次演练距最迟日期不足 {slack} 天（[drills] slack_days）：约束所限，无更早的可用日期",
                "  {k} drill(s) less than {slack} days before they fall due ([drills] slack_days): the constraints left no earlier day"
            );
            let _ = writeln!(out, "{}", line.get(cx.lang));
            for s in &short {
                let (p, date, due) = (escape(&s.plan), s.date, s.due);
                let left = (due - date).num_days();
                let line = text!(
                    "警告：{p} 的演练安排在 {date}，距最迟日期仅 {left} 天（应留 {slack} 天）",
                    "warning: the drill of {p} on {date} is only {left} days before it falls due (margin {slack} days)"
                );
                eprintln!("{}", line.get(cx.lang));
            }
        }
        for s in plan.slots.iter().filter(|s| !s.notes.is_empty()) {
            let said: Vec<&str> = s.notes.iter().map(|n| n.get(cx.lang)).collect();
            let notes = escape(&said.join(match cx.lang {
                Lang::Zh => "；",
                Lang::En => "; ",
            }))
            .into_owned();
            let date = s.date;
            let line = match s.record.as_deref().map(escape) {
                Some(r) => text!(
                    "  警告：已定演练 {r}（{date}）{notes}",
                    "  warning: planned drill {r} ({date}): {notes}"
                )
                .get(cx.lang)
                .to_string(),
                None => format!("  {date} {}: {notes}", escape(&s.plan)),
            };
            let _ = writeln!(out, "{line}");
        }
        for x in &plan.unmet {
            let (p, due, why) = (escape(&x.plan), x.due, escape(x.reason.get(cx.lang)));
            let line = text!(
                "  未安排 {p}（应于 {due} 前）：{why}",
                "  unmet {p} (due {due}): {why}"
            );
            let _ = writeln!(out, "{}", line.get(cx.lang));
        }
        out
    }

    fn failed(&self) -> bool {
        self.plan().is_ok_and(|p| !p.unmet.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drills::export::Audience;
    use crate::drills::schedule::{Schedule, Slot};
    use crate::model::drill::{BlindLevel, DrillContent, DrillForm};
    use chrono::NaiveDate;

    #[test]
    fn every_month_gets_a_heading_and_drills_a_coloured_row() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        let slot = Slot {
            uid: "x".into(),
            plan: "qx-flood".into(),
            also: Vec::new(),
            title: "青溪县防汛演练".into(),
            org: "qx-gov".into(),
            date: d("2027-05-12"),
            due: d("2027-05-31"),
            record: None,
            form: DrillForm::Tabletop,
            content: DrillContent::Comprehensive,
            blind: BlindLevel::None,
            double_blind: false,
            campaign: Some("防灾减灾日 5.12".into()),
            notes: Vec::new(),
        };
        let s = Schedule {
            from: d("2027-04-01"),
            until: d("2027-07-01"),
            slots: vec![slot],
            unmet: Vec::new(),
        };
        let v = super::super::calendar::view(&s, Audience::Public, &|o| o.to_string(), "abc");
        let b = blocks(&v);
        let heads: Vec<&str> = b
            .iter()
            .filter_map(|x| match x {
                Block::Heading { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            heads,
            [
                "图例与说明 Legend",
                "2027年4月",
                "2027年5月",
                "2027年6月",
                "未能安排的演练 Requirements not met (0)"
            ]
        );
        let may = b
            .iter()
            .find_map(|x| match x {
                Block::Table { rows, marks, .. } if rows[0][0] == "2027-05-12" => {
                    Some((rows, marks))
                }
                _ => None,
            })
            .expect("May table");
        assert_eq!(may.1[0], Some(crate::render::layout::Color::GREEN));
        assert!(may.0[0][6].starts_with("建议"));
        let fonts = Fonts::builtin().expect("font");
        let laid = book(&v, &fonts, 1_795_000_000);
        let drawn = laid
            .pages
            .iter()
            .flat_map(|p| p.texts())
            .flat_map(str::chars);
        assert!(crate::render::driver::missing_glyphs(&fonts, drawn).is_empty());
        let draw = || crate::render::pdf::write_subset(&laid.pages, &fonts, &laid.meta);
        assert_eq!(draw().expect("pdf"), draw().expect("pdf"));
    }
}
