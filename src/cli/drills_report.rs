//! `yuan drills report DRILL_ID [DIR]` and `yuan drills report --year YEAR [--org ID] [DIR]`:
//! the evaluation and summary report of a drill, or the annual report of a year, as PDF, HTML
//! and CSV (see [`crate::drills::report`] and [`crate::drills::report_print::Reports`], through
//! the generator driver).

use super::{Color, Run};
use crate::diag::error::said_in;
use crate::drills::report_print::{Reports, Scope};
use crate::render::driver;
use chrono::NaiveDate;
use std::path::PathBuf;

/// Files of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ReportFormat {
    Pdf,
    Html,
    /// UTF-8 with a byte-order mark (Excel, WPS).
    Csv,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ReportArgs {
    /// Id of the drill record (`kind: drill`); with --year, the plan repository instead.
    #[arg(value_name = "DRILL_ID")]
    pub(crate) target: Option<String>,
    /// The plan repository (default: the current directory).
    #[arg(value_name = "DIR")]
    pub(crate) dir: Option<PathBuf>,
    /// The annual drill report of this year instead of one drill's.
    #[arg(long, value_name = "YEAR", value_parser = clap::value_parser!(i32).range(1949..=9999))]
    pub(crate) year: Option<i32>,
    /// With --year: only this organisation's drills and plans (its id in registry/*.yaml).
    #[arg(long, value_name = "ID", requires = "year")]
    pub(crate) org: Option<String>,
    /// The day to judge corrective actions and cadences on (YYYY-MM-DD); default
    /// `[check] today`, else the system date (an annual report stops at the year's end).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub(crate) today: Option<NaiveDate>,
    /// Output folder (default: DIR/out/drills/reports).
    #[arg(short, long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
    /// Which files to write (comma-separated); default all.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "pdf,html,csv"
    )]
    pub(crate) format: Vec<ReportFormat>,
    #[command(flatten)]
    pub(crate) fonts: super::FontArgs,
    /// Colour the diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub(crate) color: Color,
    /// The repository, once resolved from the positionals.
    #[arg(skip)]
    pub(crate) repo: Option<PathBuf>,
}

impl ReportArgs {
    /// The plan repository: DIR, or with --year the one positional given.
    pub(crate) fn dir_mut(&mut self) -> &mut PathBuf {
        let given = match (self.year, &self.target, &self.dir) {
            (_, _, Some(d)) => d.clone(),
            (Some(_), Some(t), None) => PathBuf::from(t),
            _ => super::default_dir(),
        };
        self.repo.get_or_insert(given)
    }
}

pub(crate) fn run(args: &ReportArgs, run: &Run) -> anyhow::Result<i32> {
    let lang = run.lang(None);
    let scope = match (args.year, &args.target, &args.dir) {
        (Some(year), Some(t), Some(_)) => {
            let e = crate::env_error!(
                "--year 与演练记录 id（{t}）不能同时给出：年度报告写 yuan drills report --year {year} 目录，单次演练报告写 yuan drills report 演练id 目录",
                "--year and a drill id ({t}) cannot go together: yuan drills report --year {year} DIR for the annual report, yuan drills report DRILL_ID DIR for one drill"
            );
            return Err(said_in(e, lang));
        }
        (Some(year), ..) => Scope::Year {
            year,
            org: args.org.clone(),
        },
        (None, Some(t), _) => Scope::Drill(t.clone()),
        (None, None, _) => {
            let e = crate::env_error!(
                "请给出演练记录 id（yuan drills report 演练id 目录）或年度（yuan drills report --year 2027 目录）",
                "give a drill id (yuan drills report DRILL_ID DIR) or a year (yuan drills report --year 2027 DIR)"
            );
            return Err(said_in(e, lang));
        }
    };
    let want = |f: ReportFormat| args.format.contains(&f);
    let reports = Reports {
        scope,
        today: args.today,
        clock: run.today(None, None),
        html: want(ReportFormat::Html),
        pdf: want(ReportFormat::Pdf),
        csv: want(ReportFormat::Csv),
    };
    let default = super::default_dir();
    let dir = args.repo.as_ref().unwrap_or(&default);
    let request = run.request(dir, args.out.as_deref(), &args.fonts, args.color);
    driver::generate(&reports, &request)
}
