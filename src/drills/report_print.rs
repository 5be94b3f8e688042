//! `yuan drills report`: the evaluation and summary report of one drill, or the annual report
//! of a year (and an organisation), as a generator (see [`crate::render::driver`]): one unit,
//! written as PDF, HTML and CSV (UTF-8 with a byte-order mark, as `drills.csv`), from
//! [`super::report`]'s view.
//!
//! A report states what the records say, including what the checks find wrong with them (an
//! overdue corrective action, E004, is an error of its drill record and a line of its report):
//! so a report is printed whenever its drill record is typed, with the check's findings shown
//! (exit 0 once written, as for packs). A drill record that fails its schema (F003) stops the
//! run (exit 1).

use super::report::{self, ReportView};
use crate::diag::terminal::escape;
use crate::diag::{Diagnostic, Lang, Text};
use crate::model::drill::DrillMeta;
use crate::model::Document;
use crate::render::driver::{Book, Generator, Input, Keep, Printed, Tally};
use crate::render::flow::{self, Style};
use crate::render::font::Fonts;
use crate::{env_error, text};
use chrono::NaiveDate;
use std::collections::HashSet;

/// What to report on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Scope {
    /// One drill record, by id.
    Drill(String),
    /// A year, of one organisation (its id) or of all.
    Year { year: i32, org: Option<String> },
}

/// The report of `scope`, judged on `today` (else `[check] today`, else `clock`).
pub(crate) struct Reports {
    pub(crate) scope: Scope,
    pub(crate) today: Option<NaiveDate>,
    pub(crate) clock: NaiveDate,
    pub(crate) html: bool,
    pub(crate) pdf: bool,
    pub(crate) csv: bool,
}

/// The one unit of a report run.
pub(crate) struct Unit<'c> {
    /// The drill record (one drill), or none (a year).
    doc: Option<&'c Document>,
    drill: Option<&'c DrillMeta>,
    /// The plans of the drill record, or the year's drill records: the files printed from.
    sources: Vec<&'c Document>,
}

impl Reports {
    fn today(&self, cx: &Input) -> NaiveDate {
        self.today.or(cx.config.check.today).unwrap_or(self.clock)
    }

    fn view_of(&self, cx: &Input, unit: &Unit) -> anyhow::Result<ReportView> {
        let today = self.today(cx);
        Ok(match (&self.scope, unit.doc, unit.drill) {
            (Scope::Drill(_), Some(doc), Some(drill)) => {
                report::drill_report(cx.corpus, doc, drill, today, &cx.source)
            }
            (Scope::Drill(id), ..) => {
                return Err(env_error!(
                    "{id} 不是演练记录",
                    "{id} is not a drill record"
                ))
            }
            (Scope::Year { year, org }, ..) => report::annual_report(
                cx.corpus,
                &cx.config.drills,
                *year,
                org.as_deref(),
                today,
                &cx.source,
            ),
        })
    }

    /// The stem of the run's files, known before the units are drawn.
    fn stem(&self) -> String {
        match &self.scope {
            Scope::Drill(id) => format!("{id}-report"),
            Scope::Year { year, org: Some(o) } => format!("annual-{year}-{o}"),
            Scope::Year { year, org: None } => format!("annual-{year}"),
        }
    }
}

impl Generator for Reports {
    type Unit<'c> = Unit<'c>;
    type View = ReportView;
    const NAME: &'static str = "report";
    const COMMAND: &'static str = "yuan drills report";
    const DEFAULT_OUT: &'static str = "out/drills/reports";

    fn html_wanted(&self) -> bool {
        self.html
    }
    fn pdf_wanted(&self) -> bool {
        self.pdf
    }

    fn units<'c>(&'c self, cx: &Input<'c>) -> anyhow::Result<Vec<Self::Unit<'c>>> {
        Ok(vec![match &self.scope {
            Scope::Drill(id) => {
                let doc = super::pack_print::find_drill(cx.corpus, id, "yuan drills report")?;
                let drill = doc.drill();
                let sources =
                    drill.map_or_else(Vec::new, |d| super::pack::exercised_plans(cx.corpus, d).0);
                Unit {
                    doc: Some(doc),
                    drill,
                    sources,
                }
            }
            Scope::Year { year, org } => {
                if let Some(o) = org {
                    known_org(cx, o)?;
                }
                let sources = cx
                    .corpus
                    .docs
                    .iter()
                    .filter(|d| {
                        d.drill().is_some_and(|dr| {
                            chrono::Datelike::year(&dr.date) == *year
                                && org.as_deref().is_none_or(|o| dr.organizer == o)
                        })
                    })
                    .collect();
                Unit {
                    doc: None,
                    drill: None,
                    sources,
                }
            }
        }])
    }

    fn sources<'c>(&self, unit: &Self::Unit<'c>) -> Vec<&'c str> {
        unit.doc
            .iter()
            .chain(unit.sources.iter())
            .flat_map(|d| d.sources())
            .collect()
    }

    /// Printed whenever the drill record is typed: the report says what the records say,
    /// findings included (see the module's documentation).
    fn keep<'c>(&self, unit: Self::Unit<'c>, _broken: &HashSet<&str>) -> Keep<Self::Unit<'c>> {
        match (&self.scope, unit.doc) {
            (Scope::Drill(id), Some(doc)) if unit.drill.is_none() => {
                let (id, path) = (escape(id), escape(&doc.path));
                Keep::Stop(text!(
                    "演练记录 {id}（{path}）不符合格式，未生成报告；改正后重新运行",
                    "the drill record {id} ({path}) does not pass its schema; no report was printed: fix it and run again"
                ))
            }
            _ => Keep::Kept(unit, 0),
        }
    }

    fn provenance_note(&self, note: &str, lang: Lang) -> Option<String> {
        Some(
            text!(
                "提示：{note}；来源标为 uncommitted",
                "note: {note}; the source reads 'uncommitted'"
            )
            .get(lang)
            .to_string(),
        )
    }

    fn view<'c>(&self, cx: &Input<'c>, unit: &Self::Unit<'c>) -> anyhow::Result<ReportView> {
        self.view_of(cx, unit)
    }

    fn file(&self, view: &ReportView) -> String {
        view.file.clone()
    }

    fn html(&self, cx: &Input, view: &ReportView) -> anyhow::Result<String> {
        report::html(cx.dir, view)
    }

    fn book<'c>(
        &self,
        cx: &Input<'c>,
        _unit: &Self::Unit<'c>,
        view: &ReportView,
        fonts: &Fonts,
    ) -> anyhow::Result<Result<Book, Vec<Diagnostic>>> {
        let blocks = report::blocks(view);
        let header = report::running_header(view);
        let laid = flow::book(fonts, &Style::a4(), &report::cover(view), &header, &blocks);
        let title = format!("{} · {}", view.title, view.label);
        Ok(Ok(Book::of_flow(
            laid,
            title,
            view.source.clone(),
            cx.epoch,
        )))
    }

    /// Characters are looked up in the drill records and plans, then the registries.
    fn printed<'c>(&self, cx: &Input<'c>, unit: &Self::Unit<'c>, _view: &ReportView) -> Printed {
        let mut files: Vec<String> = self.sources(unit).into_iter().map(String::from).collect();
        files.extend(cx.corpus.registry.files.iter().map(|f| f.path.clone()));
        let fallback = files.first().cloned().unwrap_or_default();
        Printed::Files {
            fallback,
            files,
            whose: Vec::new(),
        }
    }

    fn unprintable(&self) -> (Text, Option<Text>) {
        (
            text!("无法生成报告 PDF", "the report PDF cannot be printed"),
            Some(text!(
                "HTML 和 CSV 不受影响",
                "the HTML and CSV are not affected"
            )),
        )
    }

    fn run_files(&self, _cx: &Input, _any: bool) -> Vec<(String, &'static str)> {
        if self.csv {
            vec![(self.stem(), "csv")]
        } else {
            Vec::new()
        }
    }

    fn run_file(
        &self,
        cx: &Input,
        _name: &(String, &'static str),
        _made: &[(&ReportView, &Book)],
        _fonts: Option<&Fonts>,
    ) -> anyhow::Result<Vec<u8>> {
        // the view again: the driver hands over only the views it drew a PDF of
        let units = self.units(cx)?;
        let unit = units
            .first()
            .ok_or_else(|| env_error!("没有可报告的内容", "nothing to report"))?;
        report::csv(&self.view_of(cx, unit)?)
    }

    fn summary(&self, cx: &Input, t: &Tally) -> String {
        let what = match &self.scope {
            Scope::Drill(id) => escape(id).into_owned(),
            Scope::Year { year, org: Some(o) } => format!("{year} {}", escape(o)),
            Scope::Year { year, org: None } => year.to_string(),
        };
        let (written, shown) = (t.written, t.out.display());
        let tail = t.failed_pdfs().map(|t| t.get(cx.lang).to_string());
        let tail = tail.unwrap_or_default();
        text!(
            "已生成 {what} 的演练报告（{written} 个文件）→ {shown}{tail}\n",
            "drill report of {what}: {written} file(s) in {shown}{tail}\n"
        )
        .get(cx.lang)
        .to_string()
    }
}

/// `--org`: an organisation the registry or a drill record names, else an error with
/// did-you-mean.
fn known_org(cx: &Input, org: &str) -> anyhow::Result<()> {
    let corpus = cx.corpus;
    let known: std::collections::BTreeSet<&str> = corpus
        .registry
        .organizations
        .iter()
        .map(|o| o.item.id.as_str())
        .chain(
            corpus
                .docs
                .iter()
                .filter_map(|d| d.drill())
                .map(|dr| dr.organizer.as_str()),
        )
        .collect();
    if known.contains(org) {
        return Ok(());
    }
    let (zh, en) = crate::diag::suggest::did_you_mean(&crate::diag::suggest::suggest(org, known));
    Err(env_error!(
        "--org `{org}`：预案库中没有这个单位{zh}（单位 id 见 registry/*.yaml 的 organizations）",
        "--org `{org}`: no such organisation in the repository{en} (ids: organizations in registry/*.yaml)"
    ))
}
