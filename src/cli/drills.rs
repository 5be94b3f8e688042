//! `yuan drills`: drill compliance (`status`), the schedule (calendars, CSV, HTML, PDF) and
//! drill scaffolds.

use super::resolve_lang;
use crate::diag::Lang;
use crate::drills::{self, StatusReport};
use chrono::{Datelike, NaiveDate};
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Sub,
}

#[derive(Debug, clap::Subcommand)]
pub enum Sub {
    /// Per plan: last drill, next due date, overdue drills, open corrective actions. 演练合规情况。
    #[command(
        after_help = "Examples / 示例:\n  yuan drills status plans\n  yuan drills status plans --today 2027-03-01\n  yuan drills status plans --format json > drills.json"
    )]
    Status(StatusArgs),
    /// Plan every required drill over a horizon: ICS, CSV, HTML calendar, PDF. 编制演练计划（日历）。
    #[command(
        after_help = "Examples / 示例:\n  yuan drills schedule plans --from 2027-01 --months 24\n  yuan drills schedule plans --from 2027-01 --out /tmp/drills\n  yuan drills schedule plans --format html,pdf\n\nDrill records with `status: planned` are fixed: kept on their date, counted, never duplicated; a constraint they break is a warning. 已计划的演练记录保持原日期。\nOutputs / 输出 (default DIR/out/drills/): drills.ics (public: no double-blind drills), drills-coordinators.ics (all), drills.csv (UTF-8 with BOM for Excel/WPS), schedule.json, schedule.html and schedule.pdf (public: no double-blind drills), schedule-coordinators.html and schedule-coordinators.pdf (all; A4 landscape).\nSOURCE_DATE_EPOCH, else the commit time, dates the files: same input, same bytes."
    )]
    Schedule(ScheduleArgs),
    /// Scaffold a drill record from a plan (objectives, draft injects). 生成演练记录草稿。
    #[command(
        after_help = "Examples / 示例:\n  yuan drills new plans --plan xj-flood\n  yuan drills new plans --plan hd-onsite-reactor --date 2027-03-10 -o plans/drills/dr-2027-hd-reactor.md"
    )]
    New(NewArgs),
    /// Print a drill's exercise pack: work plan, script, evaluation forms, sign-in sheet,
    /// checklist (PDF + HTML per copy). 演练资料包。
    #[command(
        after_help = "Examples / 示例:\n  yuan drills pack dr-2026-xj-geo plans                    导调/评估版和参演人员版 → plans/out/drills/packs/\n  yuan drills pack dr-2026-hd-tankfarm-h2 plans --copy participants   双盲演练的参演人员版（无脚本、无情景）\n  yuan drills pack dr-2026-qx-flood plans --format html --out /tmp/pack\n  yuan drills pack dr-2026-xj-geo plans --font /usr/share/fonts/truetype/wqy/wqy-microhei.ttc#0\n\nOutputs / 输出 (default DIR/out/drills/packs/):\n  <DRILL_ID>-controllers.{pdf,html}   导调/评估版: work plan, script, evaluation forms,\n                                      sign-in sheet, support and safety checklist\n  <DRILL_ID>-participants.{pdf,html}  参演人员版: no evaluation forms; a blind drill\n                                      without script or scenario, a double-blind one\n                                      also without title, date, place, objectives\nTemplates: put templates/drills/pack.html.tera in the plan repository to brand the HTML.\nSOURCE_DATE_EPOCH, else the commit time, dates the PDFs: same input, same bytes."
    )]
    Pack(super::drills_pack::PackArgs),
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The plan repository (default: the current directory).
    #[arg(default_value_os_t = super::default_dir())]
    pub dir: PathBuf,
    /// The plan the drill exercises.
    #[arg(long)]
    pub plan: String,
    /// Drill id (default dr-<year>-<plan>).
    #[arg(long)]
    pub id: Option<String>,
    /// Planned date (YYYY-MM-DD); default `[check] today`, else the system date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<NaiveDate>,
    /// Write to this file (never overwritten) instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ScheduleArgs {
    /// The plan repository (default: the current directory).
    #[arg(default_value_os_t = super::default_dir())]
    pub dir: PathBuf,
    /// First month of the horizon (YYYY-MM); default: the month after `today`.
    #[arg(long, value_name = "YYYY-MM")]
    pub from: Option<String>,
    /// Length of the horizon in months (the biennial schedule: 24).
    #[arg(long, default_value_t = 24)]
    pub months: u32,
    /// Output folder (default DIR/out/drills).
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// The day the last drills are counted up to (YYYY-MM-DD); default `[check] today`, else
    /// the system date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<NaiveDate>,
    /// Which outputs to write (comma-separated); default all.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "ics,csv,json,html,pdf"
    )]
    pub format: Vec<ScheduleFormat>,
    #[command(flatten)]
    pub fonts: super::FontArgs,
}

/// Outputs of `yuan drills schedule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScheduleFormat {
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
pub enum StatusFormat {
    Table,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    /// The plan repository (default: the current directory).
    #[arg(default_value_os_t = super::default_dir())]
    pub dir: PathBuf,
    #[arg(long, value_enum, default_value_t = StatusFormat::Table)]
    pub format: StatusFormat,
    /// The day to judge on (YYYY-MM-DD); default `[check] today`, else the system date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<NaiveDate>,
}

pub fn run(args: &Args, lang: Option<&str>) -> anyhow::Result<i32> {
    match &args.command {
        Sub::Status(a) => status(a, lang),
        Sub::Schedule(a) => schedule(a, lang),
        Sub::New(a) => new(a),
        Sub::Pack(a) => super::drills_pack::run(a, lang),
    }
}

fn schedule(args: &ScheduleArgs, lang: Option<&str>) -> anyhow::Result<i32> {
    use crate::diag::terminal::escape;
    use crate::drills::export::{self, Audience};
    use crate::drills::{calendar, print};
    use crate::render::output::OutDir;
    use rayon::prelude::*;
    let loaded = crate::load::load(&args.dir)?;
    let zh = resolve_lang(lang, loaded.config.check.lang.as_deref()) == Lang::Zh;
    let today = args
        .today
        .or(loaded.config.check.today)
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let from = match &args.from {
        Some(m) => NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d")
            .map_err(|_| anyhow::anyhow!("--from `{m}`: expected a month like 2027-01"))?,
        None => today
            .with_day(1)
            .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
            .ok_or_else(|| anyhow::anyhow!("no month after {today}"))?,
    };
    let until = from
        .checked_add_months(chrono::Months::new(args.months))
        .ok_or_else(|| anyhow::anyhow!("--months {} is too far", args.months))?;
    let want = |f: ScheduleFormat| args.format.contains(&f);
    let cfg = &loaded.config.drills;
    let constraints = drills::constraints(cfg)?;
    // fonts first: a bad --font fails before anything is written
    let fonts = if want(ScheduleFormat::Pdf) {
        Some(args.fonts.load(&loaded.config, &args.dir)?)
    } else {
        None
    };
    let inputs = drills::schedule_inputs(&loaded.corpus, cfg, today);
    let t = std::time::Instant::now();
    let plan = drills::schedule::schedule(
        &inputs.requirements,
        &inputs.fixed,
        &constraints,
        from,
        until,
    );
    crate::timing::report("schedule", t.elapsed());
    let provenance = crate::git::Provenance::detect(&args.dir);
    let epoch = provenance.source_epoch();
    let stamp = chrono::DateTime::from_timestamp(epoch, 0)
        .unwrap_or_default()
        .naive_utc();
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| args.dir.join("out/drills"));
    let mut dir = OutDir::open(&out, args.out.is_none().then_some(&*args.dir), zh)?;
    let mut notes = dir.take_notes();
    let last = until.pred_opt().unwrap_or(until);
    let name = format!("应急演练计划 Drill schedule {from} – {last}");
    if want(ScheduleFormat::Ics) {
        dir.write(
            "drills",
            "ics",
            export::ics(&plan, Audience::Public, &name, stamp).as_bytes(),
        )?;
        dir.write(
            "drills-coordinators",
            "ics",
            export::ics(
                &plan,
                Audience::Coordinators,
                &format!("{name}（导调 coordinators）"),
                stamp,
            )
            .as_bytes(),
        )?;
    }
    if want(ScheduleFormat::Csv) {
        dir.write("drills", "csv", &export::csv(&plan)?)?;
    }
    if want(ScheduleFormat::Json) {
        let mut json = serde_json::to_string_pretty(&plan)?;
        json.push('\n');
        dir.write("schedule", "json", json.as_bytes())?;
    }
    let registry = &loaded.corpus.registry;
    let org_name = |id: &str| {
        registry
            .organization(id)
            .map_or_else(|| id.to_string(), |o| o.name.clone())
    };
    let source = provenance.label();
    // the two editions are built side by side (the PDF is most of the time)
    let editions = [
        (Audience::Public, "schedule"),
        (Audience::Coordinators, "schedule-coordinators"),
    ];
    let wanted = want(ScheduleFormat::Html) || want(ScheduleFormat::Pdf);
    let made: Vec<anyhow::Result<Edition>> = editions
        .par_iter()
        .filter(|_| wanted)
        .map(|&(audience, file)| {
            let t = std::time::Instant::now();
            let view = calendar::view(&plan, audience, &org_name, &source);
            let html = if want(ScheduleFormat::Html) {
                Some(calendar::html(&args.dir, &view)?)
            } else {
                None
            };
            crate::timing::report(&format!("schedule: {file}.html"), t.elapsed());
            let t = std::time::Instant::now();
            let mut pdf = None;
            let mut missing = String::new();
            if let Some(fonts) = &fonts {
                let blocks = print::blocks(&view);
                let chars = print::missing_glyphs(&view, &blocks, fonts);
                if chars.is_empty() {
                    pdf = Some(print::pdf(&view, &blocks, fonts, epoch)?);
                    crate::timing::report(&format!("schedule: {file}.pdf"), t.elapsed());
                } else {
                    missing = glyph_error(&view, &chars, &fonts.regular.source, zh);
                }
            }
            Ok(Edition {
                file,
                html,
                pdf,
                missing,
            })
        })
        .collect();
    let mut missing_glyphs = false;
    for m in made {
        let m = m?;
        if let Some(h) = &m.html {
            dir.write(m.file, "html", h.as_bytes())?;
        }
        if let Some(p) = &m.pdf {
            dir.write(m.file, "pdf", p)?;
        }
        if !m.missing.is_empty() && !missing_glyphs {
            missing_glyphs = true;
            eprintln!("{}", m.missing);
        }
    }
    notes.extend(dir.finish("yuan drills schedule", &source)?);
    for n in notes {
        eprintln!("{n}");
    }
    let (n, u, blind, worst) = (
        plan.slots.len(),
        plan.unmet.len(),
        plan.slots.iter().filter(|s| s.double_blind).count(),
        plan.worst_monthly_load(),
    );
    let fixed = plan.slots.iter().filter(|s| s.is_fixed()).count();
    let shown = out.display();
    if zh {
        println!("{from} 至 {last}：安排 {n} 次演练（已定 {fixed} 次，双盲 {blind} 次），{u} 项未能安排；单位月最高 {worst} 次 → {shown}/");
    } else {
        println!("{from} to {last}: {n} drills placed ({fixed} fixed, {blind} double-blind), {u} unmet; worst organisation month {worst} → {shown}/");
    }
    for s in plan.slots.iter().filter(|s| !s.notes.is_empty()) {
        let notes = escape(&s.notes.join("; ")).into_owned();
        let r = s.record.as_deref().map(escape);
        let plan_id = escape(&s.plan);
        match (r, zh) {
            (Some(r), true) => println!("  警告：已定演练 {r}（{}）{notes}", s.date),
            (Some(r), false) => println!("  warning: planned drill {r} ({}): {notes}", s.date),
            (None, _) => println!("  {} {plan_id}: {notes}", s.date),
        }
    }
    for x in &plan.unmet {
        let (p, due, why) = (escape(&x.plan), x.due, escape(&x.reason));
        if zh {
            println!("  未安排 {p}（应于 {due} 前）：{why}");
        } else {
            println!("  unmet {p} (due {due}): {why}");
        }
    }
    Ok(if plan.unmet.is_empty() && !missing_glyphs {
        0
    } else {
        1
    })
}

/// One edition of the calendar (public or coordinators'), ready to write.
struct Edition {
    file: &'static str,
    html: Option<String>,
    pdf: Option<Vec<u8>>,
    /// Why the PDF was not made: characters the font lacks.
    missing: String,
}

/// The error for characters the font lacks, naming the drills that print them.
fn glyph_error(
    view: &crate::drills::calendar::CalendarView,
    missing: &[char],
    font: &str,
    zh: bool,
) -> String {
    let chars: String = missing.iter().collect();
    let whose: Vec<String> = view
        .months
        .iter()
        .flat_map(|(_, e)| e)
        .filter(|e| {
            missing
                .iter()
                .any(|c| e.title.contains(*c) || e.org_name.contains(*c))
        })
        .map(|e| {
            if e.fixed {
                e.record.clone()
            } else {
                e.plan.clone()
            }
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let whose = crate::diag::terminal::escape(&whose.join(", ")).into_owned();
    let chars = crate::diag::terminal::escape(&chars).into_owned();
    if zh {
        format!("错误：字体 {font} 中没有字符「{chars}」（{whose}），未生成演练计划 PDF\n  = 帮助：改用常用字，或用 --font（或 yuan.toml 的 [render] font）选择包含该字的字体")
    } else {
        format!("error: the font {font} has no glyph for 「{chars}」 ({whose}); the schedule PDF was not written\n  = help: use a common character, or choose a font that has it with --font (or [render] font in yuan.toml)")
    }
}

fn new(args: &NewArgs) -> anyhow::Result<i32> {
    let loaded = crate::load::load(&args.dir)?;
    let date = args
        .date
        .or(loaded.config.check.today)
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let id = args
        .id
        .clone()
        .unwrap_or_else(|| format!("dr-{}-{}", date.year(), args.plan));
    let Some(text) = drills::scaffold(&loaded.corpus, &args.plan, &id, date) else {
        anyhow::bail!(
            "no plan `{}` in {} (`yuan list` shows the ids)",
            args.plan,
            args.dir.display()
        );
    };
    super::new::print_or_create(args.output.as_deref(), &text)?;
    Ok(0)
}

fn status(args: &StatusArgs, lang: Option<&str>) -> anyhow::Result<i32> {
    let loaded = crate::load::load(&args.dir)?;
    let today = args
        .today
        .or(loaded.config.check.today)
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let report = drills::status(&loaded.corpus, &loaded.config.drills, today);
    match args.format {
        StatusFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        StatusFormat::Table => {
            let lang = resolve_lang(lang, loaded.config.check.lang.as_deref());
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
pub fn table(r: &StatusReport, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let state = |s: &str, days: i64| match (s, zh) {
        ("overdue", true) => format!("逾期 {} 天", -days),
        ("overdue", false) => format!("overdue {} d", -days),
        ("due_soon", true) => format!("{days} 天后到期"),
        ("due_soon", false) => format!("due in {days} d"),
        (_, true) => "正常".into(),
        (_, false) => "ok".into(),
    };
    let head: Vec<String> = if zh {
        [
            "预案",
            "周期",
            "上次演练",
            "下次到期",
            "状态",
            "已计划",
            "整改",
        ]
    } else {
        [
            "PLAN",
            "EVERY",
            "LAST DRILL",
            "DUE",
            "STATE",
            "PLANNED",
            "ACTIONS",
        ]
    }
    .map(String::from)
    .to_vec();
    let mut rows = vec![head];
    for p in &r.plans {
        let every = if zh {
            format!("{} 个月", p.interval_months)
        } else {
            format!("{} mo", p.interval_months)
        };
        let last = match (&p.last_drill, p.last_date) {
            (Some(id), Some(d)) => format!("{d} {id}"),
            _ if zh => "未演练".into(),
            _ => "never".into(),
        };
        let planned = match (&p.next_planned, p.next_planned_date) {
            (Some(id), Some(d)) => format!("{d} {id}"),
            _ => "-".into(),
        };
        let actions = match (p.open_actions, p.overdue_actions) {
            (0, _) => "-".to_string(),
            (o, 0) => o.to_string(),
            (o, l) if zh => format!("{o}（逾期 {l}）"),
            (o, l) => format!("{o} ({l} overdue)"),
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
    let overdue = r.plans.iter().filter(|p| p.state == "overdue").count();
    let soon = r.plans.iter().filter(|p| p.state == "due_soon").count();
    let (n, today) = (r.plans.len(), r.today);
    let _ = writeln!(
        out,
        "\n{}",
        if zh {
            format!("{today}：{n} 个预案需定期演练，{overdue} 个逾期，{soon} 个临近到期")
        } else {
            format!("{today}: {n} plans must be drilled, {overdue} overdue, {soon} due soon")
        }
    );
    if !r.corrective_actions.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            if zh {
                "未完成的整改措施："
            } else {
                "Open corrective actions:"
            }
        );
        for a in &r.corrective_actions {
            let flag = match (a.overdue, zh) {
                (true, true) => "【逾期】",
                (true, false) => "[OVERDUE] ",
                _ => "",
            };
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
