//! `yuan drills`: drill compliance (`status`), the schedule (calendars, CSV, HTML, PDF) and
//! drill scaffolds.

use super::{Color, Run};
use crate::diag::error::said_in;
use crate::diag::Lang;
use crate::drills::{self, print, StatusReport};
use crate::model::cadence::State;
use crate::render::driver;
use crate::text;
use chrono::{Datelike, NaiveDate};
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    pub(crate) command: Sub,
}

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Sub {
    /// Per plan: last drill, next due date, overdue drills, open corrective actions.
    #[command(
        after_help = "Examples:\n  yuan drills status plans\n  yuan drills status plans --today 2027-03-01\n  yuan drills status plans --format json > drills.json"
    )]
    Status(StatusArgs),
    /// Plan every required drill over a horizon: ICS, CSV, HTML calendar, PDF.
    #[command(
        after_help = "Examples:\n  yuan drills schedule plans --from 2027-01 --months 24\n  yuan drills schedule plans --from 2027-01 --out /tmp/drills\n  yuan drills schedule plans --format html,pdf\n  yuan drills schedule plans --org hd-chem --format ics\n\nDrill records with `status: planned` are fixed: kept on their date, counted, never duplicated; a constraint they break is a warning.\nOutputs (default DIR/out/drills/): drills.ics, drills.csv (UTF-8 with BOM for Excel/WPS), schedule.json, schedule.html and schedule.pdf are the public edition (no double-blind drills, nothing counted from their dates); the -coordinators variants of each have every drill (HTML/PDF: A4 landscape).\n--org ID: one organisation's drills, placed as in the whole schedule. [drills] slack_days (30): drills go that many days before they fall due where the constraints allow; the others are listed.\nSOURCE_DATE_EPOCH, else the commit time, dates the files: same input, same bytes."
    )]
    Schedule(ScheduleArgs),
    /// Scaffold a drill record from a plan (objectives, draft injects).
    #[command(
        after_help = "Examples:\n  yuan drills new plans --plan xj-flood\n  yuan drills new plans --plan hd-onsite-reactor --date 2027-03-10 -o plans/drills/dr-2027-hd-reactor.md"
    )]
    New(NewArgs),
    /// Print a drill's exercise pack: work plan, script, evaluation forms, sign-in sheet,
    /// checklist (PDF + HTML per copy).
    #[command(
        after_help = "Examples:\n  yuan drills pack dr-2026-xj-geo plans          both copies → plans/out/drills/packs/\n  yuan drills pack dr-2026-hd-tankfarm-h2 plans --copy participants\n  yuan drills pack dr-2026-qx-flood plans --format html --out /tmp/pack\n  yuan drills pack dr-2026-xj-geo plans --font /usr/share/fonts/truetype/wqy/wqy-microhei.ttc#0\n\nOutputs (default DIR/out/drills/packs/):\n  <DRILL_ID>-controllers.{pdf,html}   controllers' copy: work plan, script,\n                                      evaluation forms, sign-in sheet, support\n                                      and safety checklist\n  <DRILL_ID>-participants.{pdf,html}  participants' copy: no evaluation forms;\n                                      a blind drill without script or scenario,\n                                      a double-blind one also without title,\n                                      date, place, objectives\nTemplates: put templates/drills/pack.html.tera in the plan repository to brand the HTML.\nSOURCE_DATE_EPOCH, else the commit time, dates the PDFs: same input, same bytes."
    )]
    Pack(super::drills_pack::PackArgs),
    /// After the drill: the evaluation and summary report of one drill, or the annual report
    /// of a year (PDF, HTML, CSV).
    #[command(
        after_help = "Examples:\n  yuan drills report dr-2026-xj-geo plans                   evaluation and summary report → plans/out/drills/reports/\n  yuan drills report --year 2026 plans                      every organisation's annual drill report\n  yuan drills report --year 2026 --org hd-chem plans        one organisation's (sent to its authority)\n  yuan drills report dr-2026-hd-comprehensive plans --format csv --out /tmp/r\n\nOutputs (default DIR/out/drills/reports/):\n  <DRILL_ID>-report.{pdf,html,csv}       objectives, what happened per inject (injects[].observed),\n                                         evaluation (2013 measures Art. 23 / AQ/T 9009-2015), findings by\n                                         plan clause, corrective actions with owners, due dates, state\n  annual-<YEAR>[-<ORG>].{pdf,html,csv}   drills held by form and content, coverage of the plans and\n                                         their cadences, findings and corrective actions (regulation Art. 8)\nThe CSV is UTF-8 with a byte-order mark (Excel, WPS). The run shows the check's findings (an\noverdue corrective action, E004, is also a line of the report); the report is written all the same.\nSOURCE_DATE_EPOCH, else the commit time, dates the PDFs: same input, same bytes."
    )]
    Report(super::drills_report::ReportArgs),
}

#[derive(Debug, clap::Args)]
pub(crate) struct NewArgs {
    /// The plan repository (default: the current directory).
    #[arg(default_value_os_t = super::default_dir())]
    pub(crate) dir: PathBuf,
    /// The plan the drill exercises.
    #[arg(long)]
    pub(crate) plan: String,
    /// Drill id (default `dr-<year>-<plan>`; rustdoc reads the doc comment, clap the `help`).
    #[arg(long, help = "Drill id (default dr-<year>-<plan>)")]
    pub(crate) id: Option<String>,
    /// Planned date (YYYY-MM-DD); default `[check] today`, else the system date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub(crate) date: Option<NaiveDate>,
    /// Write to this file (never overwritten) instead of standard output.
    #[arg(long, short = 'o')]
    pub(crate) output: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ScheduleArgs {
    /// The plan repository (default: the current directory).
    #[arg(default_value_os_t = super::default_dir())]
    pub(crate) dir: PathBuf,
    /// First month of the horizon (YYYY-MM); default: the month after `today`.
    #[arg(long, value_name = "YYYY-MM")]
    pub(crate) from: Option<String>,
    /// Length of the horizon in months, 1 or more (the biennial schedule: 24).
    #[arg(long, default_value_t = 24)]
    pub(crate) months: u32,
    /// Only this organisation's drills (its id in registry/organizations.yaml); they are placed
    /// as in the whole schedule.
    #[arg(long, value_name = "ID")]
    pub(crate) org: Option<String>,
    /// Output folder (default DIR/out/drills).
    #[arg(long, short = 'o')]
    pub(crate) out: Option<PathBuf>,
    /// The day the last drills are counted up to (YYYY-MM-DD); default `[check] today`, else
    /// the system date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub(crate) today: Option<NaiveDate>,
    /// Which outputs to write (comma-separated); default all.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "ics,csv,json,html,pdf"
    )]
    pub(crate) format: Vec<ScheduleFormat>,
    #[command(flatten)]
    pub(crate) fonts: super::FontArgs,
}

/// Outputs of `yuan drills schedule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ScheduleFormat {
    /// drills.ics, drills-coordinators.ics
    Ics,
    /// drills.csv
    Csv,
    /// schedule.json
    Json,
    /// schedule.html, schedule-coordinators.html
    Html,
    /// schedule.pdf, schedule-coordinators.pdf
    Pdf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum StatusFormat {
    Table,
    Json,
}

#[derive(Debug, clap::Args)]
pub(crate) struct StatusArgs {
    /// The plan repository (default: the current directory).
    #[arg(default_value_os_t = super::default_dir())]
    pub(crate) dir: PathBuf,
    #[arg(long, value_enum, default_value_t = StatusFormat::Table)]
    pub(crate) format: StatusFormat,
    /// The day to judge on (YYYY-MM-DD); default `[check] today`, else the system date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub(crate) today: Option<NaiveDate>,
    /// Only the plans of this organisation (the enterprise, else the issuer; its id in
    /// registry/organizations.yaml) and their corrective actions.
    #[arg(long, value_name = "ID")]
    pub(crate) org: Option<String>,
}

pub(crate) fn run(args: &Args, run: &Run) -> anyhow::Result<i32> {
    match &args.command {
        Sub::Status(a) => status(a, run),
        Sub::Schedule(a) => schedule(a, run),
        Sub::New(a) => new(a, run),
        Sub::Pack(a) => super::drills_pack::run(a, run),
        Sub::Report(a) => super::drills_report::run(a, run),
    }
}

fn schedule(args: &ScheduleArgs, run: &Run) -> anyhow::Result<i32> {
    if args.months == 0 {
        let lang = run.lang(None);
        let e = crate::env_error!(
            "--months 0：演练计划至少要有 1 个月（两年一度的计划为 --months 24）",
            "--months 0: the schedule needs at least 1 month (the biennial schedule is --months 24)"
        );
        return Err(said_in(e, lang));
    }
    let want = |f: ScheduleFormat| args.format.contains(&f);
    let formats = print::Formats {
        ics: want(ScheduleFormat::Ics),
        csv: want(ScheduleFormat::Csv),
        json: want(ScheduleFormat::Json),
        html: want(ScheduleFormat::Html),
        pdf: want(ScheduleFormat::Pdf),
    };
    let schedules = print::Schedules::new(
        args.from.clone(),
        args.months,
        args.today,
        run.today(None, None),
        formats,
        args.org.clone(),
    );
    let request = run.request(&args.dir, args.out.as_deref(), &args.fonts, Color::Auto);
    driver::generate(&schedules, &request)
}

fn new(args: &NewArgs, run: &Run) -> anyhow::Result<i32> {
    let loaded = crate::load::load(&args.dir)?;
    let date = run.today(args.date, loaded.config.check.today);
    let id = args
        .id
        .clone()
        .unwrap_or_else(|| format!("dr-{}-{}", date.year(), args.plan));
    let lang = run.lang(loaded.config.check.lang.as_deref());
    let Some(text) = drills::scaffold(&loaded.corpus, &args.plan, &id, date) else {
        let (plan, dir) = (&args.plan, args.dir.display());
        let ids = loaded.corpus.docs.iter().filter(|d| d.plan().is_some());
        let (zh, en) = crate::diag::suggest::did_you_mean(&crate::diag::suggest::suggest(
            plan,
            ids.filter_map(|d| d.id.as_deref()),
        ));
        let e = crate::env_error!(
            "{dir} 中没有预案 `{plan}`{zh}（`yuan list` 列出所有 id）",
            "no plan `{plan}` in {dir}{en} (`yuan list` shows the ids)"
        );
        return Err(said_in(e, lang));
    };
    super::new::print_or_create(args.output.as_deref(), &text).map_err(|e| said_in(e, lang))?;
    Ok(0)
}

fn status(args: &StatusArgs, run: &Run) -> anyhow::Result<i32> {
    let loaded = crate::load::load(&args.dir)?;
    let today = run.today(args.today, loaded.config.check.today);
    let mut report = drills::status(&loaded.corpus, &loaded.config.drills, today);
    if let Some(org) = &args.org {
        let lang = run.lang(loaded.config.check.lang.as_deref());
        drills::only_org(&mut report, &loaded.corpus, org).map_err(|e| said_in(e, lang))?;
    }
    match args.format {
        StatusFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        StatusFormat::Table => {
            let lang = run.lang(loaded.config.check.lang.as_deref());
            print!("{}", table(&report, lang));
        }
    }
    Ok(0)
}

/// Display width of a cell (CJK characters take two columns).
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum()
}

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

/// The human table of `yuan drills status`.
pub(crate) fn table(r: &StatusReport, lang: Lang) -> String {
    let state = |s: State, days: i64| {
        let late = -days;
        match s {
            State::Overdue => text!("逾期 {late} 天", "overdue {late} d"),
            State::DueSoon => text!("{days} 天后到期", "due in {days} d"),
            State::Ok => text!("正常", "ok"),
        }
        .get(lang)
        .to_string()
    };
    let head = [
        text!("预案", "PLAN"),
        text!("周期", "EVERY"),
        text!("上次演练", "LAST DRILL"),
        text!("下次到期", "DUE"),
        text!("状态", "STATE"),
        text!("已计划", "PLANNED"),
        text!("整改", "ACTIONS"),
    ];
    let mut rows = vec![head.iter().map(|t| t.get(lang).to_string()).collect()];
    for p in &r.plans {
        let months = p.interval_months;
        let every = text!("{months} 个月", "{months} mo").get(lang).to_string();
        let last = match (&p.last_drill, p.last_date) {
            (Some(id), Some(d)) => format!("{d} {id}"),
            _ => text!("未演练", "never").get(lang).to_string(),
        };
        let planned = match (&p.next_planned, p.next_planned_date) {
            (Some(id), Some(d)) => format!("{d} {id}"),
            _ => "-".into(),
        };
        let actions = match (p.open_actions, p.overdue_actions) {
            (0, _) => "-".to_string(),
            (o, 0) => o.to_string(),
            (o, l) => text!("{o}（逾期 {l}）", "{o} ({l} overdue)")
                .get(lang)
                .to_string(),
        };
        rows.push(vec![
            p.plan.clone(),
            every,
            last,
            p.next_due.to_string(),
            state(p.state, p.days_left),
            planned,
            actions,
        ]);
    }
    // plan and drill ids come from the repository: no control character reaches the terminal
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| {
            r.into_iter()
                .map(|c| crate::diag::terminal::escape(&c).into_owned())
                .collect()
        })
        .collect();
    let cols = rows[0].len();
    let widths: Vec<usize> = (0..cols)
        .map(|i| rows.iter().map(|r| width(&r[i])).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &rows {
        let line: Vec<String> = row.iter().zip(&widths).map(|(c, w)| pad(c, *w)).collect();
        let _ = writeln!(out, "{}", line.join("  ").trim_end());
    }
    let overdue = r.plans.iter().filter(|p| p.state == State::Overdue).count();
    let soon = r.plans.iter().filter(|p| p.state == State::DueSoon).count();
    let (n, today) = (r.plans.len(), r.today);
    let line = text!(
        "{today}：{n} 个预案需定期演练，{overdue} 个逾期，{soon} 个临近到期",
        "{today}: {n} plans must be drilled, {overdue} overdue, {soon} due soon"
    );
    let _ = writeln!(out, "\n{}", line.get(lang));
    if !r.corrective_actions.is_empty() {
        let title = text!("未完成的整改措施：", "Open corrective actions:");
        let _ = writeln!(out, "\n{}", title.get(lang));
        let overdue = text!("【逾期】", "[OVERDUE] ");
        for a in &r.corrective_actions {
            let flag = if a.overdue { overdue.get(lang) } else { "" };
            let _ = writeln!(
                out,
                "  {} {flag}{} — {} ({}, {})",
                a.due,
                crate::diag::terminal::escape(&a.description),
                crate::diag::terminal::escape(&a.owner),
                crate::diag::terminal::escape(&a.drill),
                crate::diag::terminal::escape(a.plan.as_deref().unwrap_or("-"))
            );
        }
    }
    out
}
