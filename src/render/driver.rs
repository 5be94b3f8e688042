//! The generator driver (render stage, the seam of every output; mdBook's `Renderer` is the
//! model): a [`Generator`] says what its units are (cards, books, a pack's copies, the
//! schedule's editions), how a unit becomes a view, HTML and laid-out pages, and what the run
//! prints; [`generate`] owns the steps every output shares, so that a new output is one module
//! and not a fifth copy of the pipeline.
//!
//! The steps, in order: check the repository (or only load it, for outputs that print no plan
//! text); choose the units, leaving out of print the files with errors (a wrong number on
//! paper is worse than none, [`print_findings`]); the provenance note; the fonts; views, HTML
//! and pages in parallel; characters the fonts cannot draw (G901, found in this one place:
//! [`missing_glyphs`]; each file read at most once to point at them); the PDFs drawn from
//! fonts reduced to the characters used; every file written through [`OutDir`] (all names
//! reserved first, then the files, the manifest last); the findings; the run's summary and
//! exit code.
//!
//! Why at the render level and not a new top-level stage: the driver owns no domain knowledge,
//! only the order of shared steps; the generators (`cards`, `handbook`, `drills`) sit above
//! render and implement [`Generator`] in their own modules.
//!
//! It sits above the other render modules and calls the pipeline's entry
//! ([`crate::check::pipeline::Check`]) and nothing of the command line: `cli/` parses arguments into a
//! generator and a [`Request`] and makes one call.

use crate::check::rules::g901_glyph_missing::{self as g901, Glyphs};
use crate::config::Config;
use crate::diag::error::said_in;
use crate::diag::{Diagnostic, Lang, Span, Text};
use crate::model::Corpus;
use crate::render::font::{Face, FontChoice, FontPath, Fonts};
use crate::render::layout::Page;
use crate::render::output::OutDir;
use crate::render::pdf::{self, PdfMeta};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// What the command line asks of a run, resolved once by the CLI.
pub(crate) struct Request<'a> {
    /// The plan repository.
    pub(crate) dir: &'a Path,
    /// The output folder; `None`: the generator's folder under `dir`.
    pub(crate) out: Option<&'a Path>,
    /// `--font` and `--font-bold` (before `[render]`).
    pub(crate) font: Option<&'a str>,
    pub(crate) font_bold: Option<&'a str>,
    /// A progress bar on standard error.
    pub(crate) progress: bool,
    /// Colour the findings.
    pub(crate) colour: bool,
    /// The language, given the repository's `[check] lang`.
    pub(crate) lang: &'a dyn Language,
    /// The date of the run (the command line read the clock): what the check judges on
    /// unless `[check] today` says otherwise.
    pub(crate) date: chrono::NaiveDate,
    /// `SOURCE_DATE_EPOCH`, which dates the outputs instead of the commit time.
    pub(crate) epoch: Option<i64>,
}

/// How the run's language is chosen once the repository's `[check] lang` is known (the
/// command line's run context).
pub(crate) trait Language {
    fn lang(&self, config: Option<&str>) -> Lang;
}

/// What a generator sees of the run: the checked repository and the facts every output shares.
pub(crate) struct Input<'c> {
    pub(crate) dir: &'c Path,
    pub(crate) corpus: &'c Corpus,
    pub(crate) config: &'c Config,
    pub(crate) lang: Lang,
    /// The faces the flags and `[render]` select.
    pub(crate) fonts: FontChoice,
    /// Provenance label (`1a2b3c4+dirty`, `uncommitted`) and the outputs' date (seconds).
    pub(crate) source: String,
    pub(crate) epoch: i64,
}

/// A unit after the files with errors are taken out.
pub(crate) enum Keep<U> {
    /// Printed, with this many of its files left out.
    Kept(U, usize),
    /// Nothing of it is printed.
    Dropped,
    /// The run stops after the findings, with this message (nothing is written).
    Stop(Text),
}

/// A unit laid out for print: its pages and the PDF's metadata, and a note for the user.
pub(crate) struct Book {
    pub(crate) pages: Vec<Page>,
    pub(crate) meta: PdfMeta,
    pub(crate) note: Option<Text>,
}

impl Book {
    /// A book laid out by [`crate::render::flow::book`], its outline the PDF's bookmarks.
    pub(crate) fn of_flow(
        laid: crate::render::flow::Book,
        title: String,
        subject: String,
        epoch: i64,
    ) -> Book {
        Book {
            meta: PdfMeta {
                title,
                subject,
                epoch,
                bookmarks: laid.outline,
            },
            pages: laid.pages,
            note: None,
        }
    }
}

impl Tally {
    /// The summary's words for PDFs not written because of missing glyphs, if any.
    pub(crate) fn failed_pdfs(&self) -> Option<Text> {
        let failed = self.failed;
        (failed > 0).then(|| {
            crate::text!(
                "；{failed} 个 PDF 因缺字未生成",
                "; {failed} PDF(s) not generated because of missing glyphs"
            )
        })
    }
}

/// Where the characters a unit prints come from, for G901.
pub(crate) enum Printed {
    /// Fields of the unit's own file, checked before layout: (key for
    /// [`Generator::locate_field`], text).
    Fields(Vec<(String, String)>),
    /// Searched in these files (repository paths, first match wins), checked on the characters
    /// drawn; `fallback` when none has the character; `whose`: (id, text) of the parts that
    /// print, named in the finding.
    Files {
        files: Vec<String>,
        fallback: String,
        whose: Vec<(String, String)>,
    },
}

/// The counts of a run, for its summary.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// Units selected, before files with errors were left out.
    pub(crate) selected: usize,
    /// Units kept (some of their files may be left out).
    pub(crate) kept: usize,
    /// Units whose files were all printed (no PDF failed).
    pub(crate) made: usize,
    /// Files left out of kept units.
    pub(crate) left_out: usize,
    /// Units left out because of errors.
    pub(crate) dropped: usize,
    /// PDFs not written (G901, G902).
    pub(crate) failed: usize,
    /// Notes about units (text cut at the caps, type shrunk).
    pub(crate) notes: usize,
    /// Files written (the manifest not counted).
    pub(crate) written: usize,
    pub(crate) out: PathBuf,
}

/// One output of yuan: cards, handbooks, exercise packs, the drill schedule.
pub(crate) trait Generator: Sync {
    /// What is printed as one: a card, a book, a copy of a pack, an edition of the schedule.
    type Unit<'c>: Send + Sync
    where
        Self: 'c;
    /// A unit resolved to words, ready to be laid out and rendered.
    type View: Send + Sync;

    /// Short name, in timings and progress: `handbook`.
    const NAME: &'static str;
    /// The command, in the manifest: `yuan drills pack`.
    const COMMAND: &'static str;
    /// The default output folder, relative to the repository.
    const DEFAULT_OUT: &'static str;
    /// One font subset for every PDF of the run (cards and their print file), instead of one
    /// per PDF.
    const RUN_WIDE_SUBSET: bool = false;
    /// The message of a progress bar (many units on a terminal), if the output wants one:
    /// (Chinese, English); the bar says the run's language.
    const PROGRESS: Option<(&'static str, &'static str)> = None;
    /// The findings' summary counts the units selected as the documents checked (cards),
    /// instead of every document of the repository.
    const COUNTS_UNITS: bool = false;

    /// Whether the run checks the repository and leaves files with errors out of print (`false`:
    /// it only loads; the schedule prints dates, not plan text).
    fn checks(&self) -> bool {
        true
    }
    /// HTML per unit, and PDF.
    fn html_wanted(&self) -> bool;
    fn pdf_wanted(&self) -> bool;
    /// Whether the output folder is opened (and a manifest written) when nothing is to print.
    fn writes_when_empty(&self) -> bool {
        true
    }

    /// The units the selection asks for; an error (in `cx.lang`) when none matches.
    fn units<'c>(&'c self, cx: &Input<'c>) -> anyhow::Result<Vec<Self::Unit<'c>>>;
    /// The repository files a unit prints from, and the registry entries whose words it
    /// prints, named `path#pointer` ([`crate::model::Registry::entry_key`]): an error in one of
    /// them keeps the unit out of print ([`print_findings`]).
    fn sources<'c>(&self, unit: &Self::Unit<'c>) -> Vec<&'c str>;
    /// The unit without the files that have errors (default: nothing of it when one has).
    fn keep<'c>(&self, unit: Self::Unit<'c>, broken: &HashSet<&str>) -> Keep<Self::Unit<'c>> {
        if self.sources(&unit).iter().any(|p| broken.contains(p)) {
            Keep::Dropped
        } else {
            Keep::Kept(unit, 0)
        }
    }

    /// The line shown when the repository has no commit (`note` says why), if any.
    fn provenance_note(&self, note: &str, lang: Lang) -> Option<String>;
    /// A note about the fonts chosen, if any.
    fn font_note(&self, _cx: &Input) -> Option<Text> {
        None
    }

    fn view<'c>(&self, cx: &Input<'c>, unit: &Self::Unit<'c>) -> anyhow::Result<Self::View>;
    /// The file stem of a unit's outputs.
    fn file(&self, view: &Self::View) -> String;
    fn html(&self, cx: &Input, view: &Self::View) -> anyhow::Result<String>;
    /// The unit laid out, or the findings that keep it from print (G902).
    fn book<'c>(
        &self,
        cx: &Input<'c>,
        unit: &Self::Unit<'c>,
        view: &Self::View,
        fonts: &Fonts,
    ) -> anyhow::Result<Result<Book, Vec<Diagnostic>>>;
    /// Where the characters of a unit come from (G901).
    fn printed<'c>(&self, cx: &Input<'c>, unit: &Self::Unit<'c>, view: &Self::View) -> Printed;
    /// Path and span of a field of [`Printed::Fields`].
    fn locate_field<'c>(&self, _unit: &Self::Unit<'c>, _key: &str) -> (String, Option<Span>) {
        (String::new(), None)
    }
    /// What G901 says cannot be printed, and what is printed all the same.
    fn unprintable(&self) -> (Text, Option<Text>);
    /// Notes about a unit's view (text cut at the caps).
    fn view_notes(&self, _view: &Self::View) -> Vec<Text> {
        Vec::new()
    }

    /// Files of the whole run besides the units' (a print file, a calendar): (stem, ext).
    fn run_files(&self, _cx: &Input, _any: bool) -> Vec<(String, &'static str)> {
        Vec::new()
    }
    /// The bytes of one of [`Generator::run_files`], from the units printed.
    fn run_file(
        &self,
        _cx: &Input,
        _name: &(String, &'static str),
        _made: &[(&Self::View, &Book)],
        _fonts: Option<&Fonts>,
    ) -> anyhow::Result<Vec<u8>> {
        Ok(Vec::new())
    }

    /// A unit's files in formats of the output's own (a Word document), made beside its HTML
    /// and PDF: (extension, bytes), written under [`Generator::file`] like them.
    fn files<'c>(
        &self,
        _cx: &Input<'c>,
        _unit: &Self::Unit<'c>,
        _view: &Self::View,
    ) -> anyhow::Result<Vec<(&'static str, Vec<u8>)>> {
        Ok(Vec::new())
    }

    /// The run's summary (standard output), in `cx.lang`.
    fn summary(&self, cx: &Input, tally: &Tally) -> String;
    /// A failure of the output itself (requirements the schedule could not place).
    fn failed(&self) -> bool {
        false
    }
}

/// One unit after rendering.
struct Made<V> {
    view: V,
    html: Option<String>,
    /// [`Generator::files`]: (extension, bytes).
    files: Vec<(&'static str, Vec<u8>)>,
    print: Printout,
}

/// What printing a unit gave.
#[derive(Default)]
struct Printout {
    /// The pages, kept until the run-wide subset draws them.
    book: Option<Book>,
    /// The PDF, drawn with its own subset.
    pdf: Option<Vec<u8>>,
    note: Option<Text>,
    /// Why there is no PDF (G901, G902).
    diags: Vec<Diagnostic>,
}

impl Printout {
    fn failed(diags: Vec<Diagnostic>) -> Printout {
        Printout {
            diags,
            ..Printout::default()
        }
    }
    fn has_pdf(&self) -> bool {
        self.book.is_some() || self.pdf.is_some()
    }
}

/// Runs `g` over the repository of `req`: returns the exit code (0 all printed, 1 something
/// left out or not printed).
pub(crate) fn generate<G: Generator>(g: &G, req: &Request) -> anyhow::Result<i32> {
    let report = read_repository(g, req)?;
    let corpus = &report.loaded.corpus;
    let config = &report.loaded.config;
    let provenance = crate::git::Provenance::detect(req.dir);
    let cx = Input {
        dir: req.dir,
        corpus,
        config,
        lang: req.lang.lang(config.check.lang.as_deref()),
        fonts: font_choice(req.font, req.font_bold, config),
        source: provenance.label(),
        epoch: provenance.source_epoch(req.epoch),
    };
    // the run's errors are told in its language, which the command line's printer cannot see
    // (`[check] lang`)
    generate_in(g, req, &cx, &report.diagnostics, provenance.note.as_ref())
        .map_err(|e| said_in(e, cx.lang))
}

/// The steps of [`generate`] after the repository is read, for the run `cx`.
fn generate_in<G: Generator>(
    g: &G,
    req: &Request,
    cx: &Input,
    findings: &[Diagnostic],
    provenance_note: Option<&Text>,
) -> anyhow::Result<i32> {
    let corpus = cx.corpus;
    let units = g.units(cx)?;
    let mut tally = Tally {
        selected: units.len(),
        out: req
            .out
            .map_or_else(|| req.dir.join(G::DEFAULT_OUT), Path::to_path_buf),
        ..Tally::default()
    };
    let mut wanted: HashSet<&str> = units.iter().flat_map(|u| g.sources(u)).collect();
    // nothing to print because of the repository's errors (every card failed its schema): the
    // run fails on them, so they are shown
    if units.is_empty() && g.failed() {
        wanted.extend(findings.iter().map(|d| d.path.as_str()));
    }
    let (mut diags, broken) = print_findings(findings, &wanted, corpus);
    let kept = match keep_printable(g, units, &broken, &mut tally) {
        Ok(kept) => kept,
        Err(why) => {
            let counted = counted::<G>(corpus, &tally);
            emit_findings(corpus, &mut diags, counted, cx.lang, req.colour)?;
            eprintln!("{}", why.get(cx.lang));
            return Ok(1);
        }
    };
    if let Some(note) = provenance_note.map(|t| t.get(cx.lang)) {
        if let Some(line) = g.provenance_note(note, cx.lang) {
            eprintln!("{line}");
        }
    }
    let fonts = load_fonts(g, cx)?;
    let said = G::PROGRESS.map(|(zh, en)| match cx.lang {
        Lang::Zh => zh,
        Lang::En => en,
    });
    let bar = progress_bar(said, req.progress, kept.len());
    let made = render_units(g, cx, &kept, fonts.as_ref(), &bar)?;
    let anything = made
        .iter()
        .any(|m| m.html.is_some() || !m.files.is_empty() || m.print.has_pdf());
    let notes = if anything || g.writes_when_empty() {
        write_outputs(g, cx, req, &made, fonts.as_ref(), &bar, &mut tally)?
    } else {
        Vec::new()
    };
    let mut unit_notes = Vec::new();
    for m in made {
        unit_notes.extend(g.view_notes(&m.view));
        unit_notes.extend(m.print.note);
        if m.print.diags.is_empty() {
            tally.made += 1;
        } else {
            tally.failed += 1;
        }
        diags.extend(m.print.diags);
    }
    tally.notes = unit_notes.len();
    let counted = counted::<G>(corpus, &tally);
    emit_findings(corpus, &mut diags, counted, cx.lang, req.colour)?;
    for n in notes {
        eprintln!("{n}");
    }
    for line in folded_notes(&unit_notes, cx.lang) {
        eprintln!("{line}");
    }
    if let Some(n) = corpus.changed_note() {
        // files changed on disk during the run
        eprintln!("{}", n.get(cx.lang));
    }
    print!("{}", g.summary(cx, &tally));
    let failed = tally.left_out + tally.dropped + tally.failed > 0 || g.failed();
    Ok(i32::from(failed))
}

/// The repository checked, or only loaded when the output prints no plan text.
fn read_repository<G: Generator>(
    g: &G,
    req: &Request,
) -> anyhow::Result<crate::check::pipeline::Report> {
    if g.checks() {
        return crate::check::pipeline::Check::new(req.dir, req.date)
            .progress(req.progress)
            .run();
    }
    Ok(crate::check::pipeline::Report {
        loaded: crate::load::load(req.dir)?,
        scope: None,
        diagnostics: Vec::new(),
        summary: Default::default(),
    })
}

/// The units without the files that have errors (counted in `tally`), or why the run stops.
fn keep_printable<'c, G: Generator>(
    g: &G,
    units: Vec<G::Unit<'c>>,
    broken: &HashSet<&str>,
    tally: &mut Tally,
) -> Result<Vec<G::Unit<'c>>, Text> {
    let mut kept = Vec::new();
    for unit in units {
        match g.keep(unit, broken) {
            Keep::Kept(u, left_out) => {
                tally.left_out += left_out;
                kept.push(u);
            }
            Keep::Dropped => tally.dropped += 1,
            Keep::Stop(why) => return Err(why),
        }
    }
    tally.kept = kept.len();
    Ok(kept)
}

/// The fonts, when the output prints PDFs (with the generator's note about them).
fn load_fonts<G: Generator>(g: &G, cx: &Input) -> anyhow::Result<Option<Fonts>> {
    if !g.pdf_wanted() {
        return Ok(None);
    }
    if let Some(note) = g.font_note(cx) {
        eprintln!("{}", note.get(cx.lang));
    }
    Fonts::load(&cx.fonts, cx.dir).map(Some)
}

/// Every file of the run through one [`OutDir`]: all names reserved first, then the files,
/// the manifest last. Returns the folder's notes for the user.
fn write_outputs<G: Generator>(
    g: &G,
    cx: &Input,
    req: &Request,
    made: &[Made<G::View>],
    fonts: Option<&Fonts>,
    bar: &indicatif::ProgressBar,
    tally: &mut Tally,
) -> anyhow::Result<Vec<String>> {
    let drawn: Vec<(&G::View, &Book)> = made
        .iter()
        .filter_map(|m| m.print.book.as_ref().map(|b| (&m.view, b)))
        .collect();
    let run_files = g.run_files(cx, !drawn.is_empty());
    let mut dir = OutDir::open(&tally.out, req.out.is_none().then_some(req.dir), cx.lang)?;
    let mut notes = dir.take_notes();
    // every name first: an output whose id would give the name of another stops the run with
    // nothing overwritten
    for (stem, ext) in &run_files {
        dir.reserve(stem, ext)?;
    }
    for m in made {
        let file = g.file(&m.view);
        if m.html.is_some() {
            dir.reserve(&file, "html")?;
        }
        if m.print.has_pdf() {
            dir.reserve(&file, "pdf")?;
        }
        for (ext, _) in &m.files {
            dir.reserve(&file, ext)?;
        }
    }
    // a run-wide subset draws the units' PDFs now, beside the run's own files
    let subset = match (fonts, G::RUN_WIDE_SUBSET) {
        (Some(f), true) => Some(reduced(f, drawn.iter().flat_map(|(_, b)| &b.pages))?),
        _ => None,
    };
    bar.set_position(made.len() as u64);
    let (pdfs, whole) = rayon::join(
        || draw_with_subset(made, subset.as_ref(), bar),
        || -> Vec<anyhow::Result<Vec<u8>>> {
            let fonts = subset.as_ref().or(fonts);
            run_files
                .par_iter()
                .map(|n| g.run_file(cx, n, &drawn, fonts))
                .collect()
        },
    );
    let unit_pdfs = pdfs?;
    for (name, bytes) in run_files.iter().zip(whole) {
        dir.write(&name.0, name.1, &bytes?)?;
    }
    for (i, m) in made.iter().enumerate() {
        let file = g.file(&m.view);
        if let Some(h) = &m.html {
            dir.write(&file, "html", h.as_bytes())?;
        }
        for (ext, bytes) in &m.files {
            dir.write(&file, ext, bytes)?;
        }
        let pdf = m.print.pdf.as_ref();
        if let Some(p) = pdf.or(unit_pdfs.get(i).and_then(Option::as_ref)) {
            dir.write(&file, "pdf", p)?;
        }
    }
    tally.written = dir.count();
    // the manifest last: a run killed before this line leaves the old manifest, which the next
    // run finds out of step with the folder
    notes.extend(dir.finish(G::COMMAND, &cx.source)?);
    Ok(notes)
}

/// The units' PDFs drawn with the run-wide `subset` (in parallel; order kept); none without.
fn draw_with_subset<V: Sync>(
    made: &[Made<V>],
    subset: Option<&Fonts>,
    bar: &indicatif::ProgressBar,
) -> anyhow::Result<Vec<Option<Vec<u8>>>> {
    let Some(fonts) = subset else {
        return Ok(Vec::new());
    };
    let pdfs = made
        .par_iter()
        .map(|m| {
            let pdf = match &m.print.book {
                Some(b) => Some(pdf::write(&b.pages, fonts, &b.meta)?),
                None => None,
            };
            bar.inc(1);
            Ok(pdf)
        })
        .collect();
    bar.finish_and_clear();
    pdfs
}

/// The documents the findings' summary says were checked.
fn counted<G: Generator>(corpus: &Corpus, tally: &Tally) -> usize {
    if G::COUNTS_UNITS {
        tally.selected
    } else {
        corpus.docs.len()
    }
}

/// Every unit's view, HTML and (per-file subset) PDF, in parallel; order kept.
fn render_units<'c, G: Generator>(
    g: &G,
    cx: &Input<'c>,
    units: &[G::Unit<'c>],
    fonts: Option<&Fonts>,
    bar: &indicatif::ProgressBar,
) -> anyhow::Result<Vec<Made<G::View>>> {
    let made: Vec<anyhow::Result<Made<G::View>>> = units
        .par_iter()
        .map(|unit| {
            let mut timer = crate::timing::Timer::new();
            let view = g.view(cx, unit)?;
            timer.lap(&format!("{}: content", G::NAME));
            // the HTML and the PDF of a unit are made side by side (one large book keeps both
            // cores busy)
            let ((html, files), pdf) = rayon::join(
                || {
                    let mut timer = crate::timing::Timer::new();
                    let html = g.html_wanted().then(|| g.html(cx, &view)).transpose();
                    timer.lap(&format!("{}: {}.html", G::NAME, g.file(&view)));
                    let files = g.files(cx, unit, &view);
                    timer.lap(&format!("{}: {} (own formats)", G::NAME, g.file(&view)));
                    (html, files)
                },
                || match fonts {
                    Some(fonts) => print_unit(g, cx, unit, &view, fonts),
                    None => Ok(Printout::default()),
                },
            );
            let print = pdf?;
            bar.inc(1);
            Ok(Made {
                html: html?,
                files: files?,
                view,
                print,
            })
        })
        .collect();
    made.into_iter().collect()
}

/// A unit laid out and checked for characters the fonts cannot draw; drawn too unless the run
/// shares one subset.
fn print_unit<'c, G: Generator>(
    g: &G,
    cx: &Input<'c>,
    unit: &G::Unit<'c>,
    view: &G::View,
    fonts: &Fonts,
) -> anyhow::Result<Printout> {
    let mut timer = crate::timing::Timer::new();
    let printed = g.printed(cx, unit, view);
    let (what, unaffected) = g.unprintable();
    if let Printed::Fields(fields) = &printed {
        let diags = glyphs_in_fields(fonts, fields, |key| g.locate_field(unit, key), &what);
        if !diags.is_empty() {
            return Ok(Printout::failed(diags));
        }
    }
    let mut book = match g.book(cx, unit, view, fonts)? {
        Ok(b) => b,
        Err(diags) => return Ok(Printout::failed(diags)),
    };
    timer.lap(&format!("{}: layout", G::NAME));
    // the characters drawn, once (a province-wide book draws millions): for the glyph check
    // and the PDF's own subset
    let files_checked = matches!(printed, Printed::Files { .. });
    let drawn = (files_checked || !G::RUN_WIDE_SUBSET).then(|| drawn_chars(&book.pages));
    if let (
        Printed::Files {
            files,
            fallback,
            whose,
        },
        Some(drawn),
    ) = (&printed, &drawn)
    {
        let missing = missing_glyphs(fonts, drawn.iter().copied());
        if !missing.is_empty() {
            let font = &fonts.regular.source;
            let diags = located(cx.corpus, files, fallback, whose, &missing, font)
                .into_iter()
                .map(|(path, span, glyphs)| {
                    g901::at(&path, span, &glyphs, &what, unaffected.as_ref())
                })
                .collect();
            return Ok(Printout::failed(diags));
        }
        timer.lap(&format!("{}: glyph check", G::NAME));
    }
    let note = book.note.take();
    if G::RUN_WIDE_SUBSET {
        return Ok(Printout {
            book: Some(book),
            note,
            ..Printout::default()
        });
    }
    // drawing from a subset of the characters used makes printpdf's per-glyph cmap lookups
    // cheap
    let subset = fonts.reduced_to(&drawn.unwrap_or_else(|| drawn_chars(&book.pages)))?;
    let bytes = pdf::write(&book.pages, &subset, &book.meta)?;
    timer.lap(&format!("{}: {}.pdf", G::NAME, g.file(view)));
    Ok(Printout {
        pdf: Some(bytes),
        note,
        ..Printout::default()
    })
}

/// G901 for each field (key, text) with characters the fonts cannot draw, at the place
/// `locate` gives for its key; `what` cannot be printed.
pub(crate) fn glyphs_in_fields(
    fonts: &Fonts,
    fields: &[(String, String)],
    locate: impl Fn(&str) -> (String, Option<Span>),
    what: &Text,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (key, text) in fields {
        let chars = missing_glyphs(fonts, text.chars());
        if !chars.is_empty() {
            let (path, span) = locate(key);
            let glyphs = Glyphs {
                font: fonts.regular.source.clone(),
                chars,
                whose: Vec::new(),
            };
            diags.push(g901::at(&path, span, &glyphs, what, None));
        }
    }
    diags
}

/// The characters drawn on `pages`.
fn drawn_chars(pages: &[Page]) -> BTreeSet<char> {
    pages.iter().flat_map(drawn_on).collect()
}

/// `fonts` reduced to the characters drawn on `pages`.
fn reduced<'p>(fonts: &Fonts, pages: impl IntoIterator<Item = &'p Page>) -> anyhow::Result<Fonts> {
    fonts.reduced_to(&pages.into_iter().flat_map(drawn_on).collect())
}

/// The characters drawn on one page.
fn drawn_on(page: &Page) -> impl Iterator<Item = char> + '_ {
    page.texts().into_iter().flat_map(str::chars)
}

/// The characters of `chars` that the regular or the bold face cannot draw, each once, sorted.
pub(crate) fn missing_glyphs(fonts: &Fonts, chars: impl Iterator<Item = char>) -> Vec<char> {
    let distinct: String = chars.collect::<BTreeSet<char>>().into_iter().collect();
    let mut missing: BTreeSet<char> = fonts
        .missing(&distinct, Face::Regular)
        .into_iter()
        .collect();
    missing.extend(fonts.missing(&distinct, Face::Bold));
    missing.into_iter().collect()
}

/// Each missing character at its first occurrence in `files` (each file read once, in order,
/// as loaded: through the corpus's reader, so a file changed since is not searched), else at
/// `fallback`, with the parts of `whose` that print it.
fn located(
    corpus: &Corpus,
    files: &[String],
    fallback: &str,
    whose: &[(String, String)],
    missing: &[char],
    font: &str,
) -> Vec<(String, Option<Span>, Glyphs)> {
    let mut found: Vec<Option<(String, Span)>> = vec![None; missing.len()];
    for f in files {
        if found.iter().all(Option::is_some) {
            break;
        }
        let Some(text) = corpus.read_text(f) else {
            continue;
        };
        for (i, c) in missing.iter().enumerate() {
            if found[i].is_none() {
                found[i] = span_of_char(&text, *c).map(|s| (f.clone(), s));
            }
        }
    }
    missing
        .iter()
        .zip(found)
        .map(|(&c, at)| {
            let (path, span) = at.map_or((fallback.to_string(), None), |(p, s)| (p, Some(s)));
            let whose = whose
                .iter()
                .filter(|(_, t)| t.contains(c))
                .map(|(id, _)| crate::diag::terminal::escape(id).into_owned())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let glyphs = Glyphs {
                font: font.to_string(),
                chars: vec![c],
                whose,
            };
            (path, span, glyphs)
        })
        .collect()
}

/// The span of the first `c` in `text`.
fn span_of_char(text: &str, c: char) -> Option<Span> {
    let at = text.find(c)?;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count() + 1;
    let col = text[line_start..at].chars().count() + 1;
    Some(Span {
        start: at as u32,
        end: (at + c.len_utf8()) as u32,
        line: line as u32,
        col: col as u32,
    })
}

/// The faces to draw with: flags first, then `[render]`, else the built-in font. Flag paths
/// are relative to the current directory and may lie anywhere (the user chose them); config
/// paths are relative to the repository and read only inside it.
pub(crate) fn font_choice(font: Option<&str>, bold: Option<&str>, config: &Config) -> FontChoice {
    let pick = |flag: Option<&str>, setting: &Option<String>| {
        flag.map(|f| FontPath::User(f.to_string()))
            .or_else(|| setting.clone().map(FontPath::Repository))
    };
    FontChoice {
        regular: pick(font, &config.render.font),
        bold: pick(bold, &config.render.font_bold),
    }
}

/// The progress bar of a run over `n` units (hidden unless wanted): laying out counts the
/// first half, drawing the second.
pub(crate) fn progress_bar(
    message: Option<&'static str>,
    progress: bool,
    n: usize,
) -> indicatif::ProgressBar {
    match message {
        Some(message) if progress && n >= PROGRESS_MIN_UNITS => {
            let style =
                indicatif::ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} {eta}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
            indicatif::ProgressBar::new(2 * n as u64)
                .with_style(style)
                .with_message(message)
        }
        _ => indicatif::ProgressBar::hidden(),
    }
}

/// The notes of the units (a card shrunk or continued on the back, ...), one line each when
/// they are few; from [`NOTES_LISTED`] on, one line that counts them and shows the first, so a
/// run over 900 cards does not print 900 lines (the run of one unit, `--card ID` or
/// `--plan ID`, lists its notes).
fn folded_notes(notes: &[Text], lang: Lang) -> Vec<String> {
    if notes.len() <= NOTES_LISTED {
        return notes.iter().map(|n| n.get(lang).to_string()).collect();
    }
    let n = notes.len();
    let first = notes[0].get(lang).trim().to_string();
    let line = crate::text!(
        "{n} 条提示未逐条列出，第一条：{first}（只生成其中一个即可看到它的提示）",
        "{n} notes not listed one by one; the first: {first} (generate one of them alone to see its notes)"
    );
    vec![line.get(lang).to_string()]
}

/// From this many notes on, the notes of a run are counted instead of listed.
pub(crate) const NOTES_LISTED: usize = 10;

/// A progress bar appears on a terminal from this many units on.
pub(crate) const PROGRESS_MIN_UNITS: usize = 50;

/// The findings a generator shows for the sources at `wanted`: their errors (upkeep ones
/// included), and the sources among them that stay out of print (see
/// `check::keeps_out_of_print`: a wrong number on paper is worse than none). A source is a
/// file, or one entry of a registry file named by [`crate::model::Registry::entry_key`]
/// (`registry/hd-chem.yaml#/contacts/0`): a finding inside that entry's lines counts for it,
/// so a card that prints a contact whose number fails C601 stays out, and the cards that
/// print other entries of the same file do not.
pub(crate) fn print_findings<'a>(
    all: &'a [Diagnostic],
    wanted: &HashSet<&'a str>,
    corpus: &Corpus,
) -> (Vec<Diagnostic>, HashSet<&'a str>) {
    let entries = entry_spans(all, wanted, corpus);
    let mut shown = Vec::new();
    let mut kept_out = HashSet::new();
    for d in all {
        let path = d.path.as_str();
        let entry = (entries.get(path))
            .and_then(|spans| spans.iter().find(|(s, _)| within(d.span.as_ref(), s)))
            .map(|(_, key)| *key);
        if !wanted.contains(path) && entry.is_none() {
            continue;
        }
        if d.severity == crate::diag::Severity::Error {
            shown.push(d.clone());
        }
        if crate::check::keeps_out_of_print(d) {
            kept_out.insert(path);
            kept_out.extend(entry);
        }
    }
    (shown, kept_out)
}

/// The spans of the registry entries named among `wanted`, by file, for the files that have
/// errors (found once per entry; none in a run without errors there).
fn entry_spans<'a>(
    all: &[Diagnostic],
    wanted: &HashSet<&'a str>,
    corpus: &Corpus,
) -> std::collections::HashMap<&'a str, Vec<(Span, &'a str)>> {
    let with_findings: HashSet<&str> = (all.iter())
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .map(|d| d.path.as_str())
        .collect();
    let mut out: std::collections::HashMap<&'a str, Vec<(Span, &'a str)>> = Default::default();
    for key in wanted {
        let Some((path, pointer)) = key.rsplit_once('#') else {
            continue;
        };
        if !with_findings.contains(path) {
            continue;
        }
        if let Some(span) = corpus.registry.entry_span(path, pointer) {
            out.entry(&key[..path.len()])
                .or_default()
                .push((span, *key));
        }
    }
    out
}

/// Whether the finding at `span` lies inside `entry` (a finding without a span is about the
/// whole file, not one entry).
fn within(span: Option<&Span>, entry: &Span) -> bool {
    span.is_some_and(|s| s.start >= entry.start && s.start < entry.end.max(entry.start + 1))
}

/// Prints the findings of a run (sorted, on standard error); nothing when there are none.
/// `counted` is the number of documents the summary line reports as checked. Source lines come
/// from the files as loaded (a file changed since shows no line, and the run's note names it).
pub(crate) fn emit_findings(
    corpus: &Corpus,
    diags: &mut Vec<Diagnostic>,
    counted: usize,
    lang: Lang,
    colour: bool,
) -> anyhow::Result<()> {
    if diags.is_empty() {
        return Ok(());
    }
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup();
    let summary = crate::diag::Summary::count(diags, counted, counted);
    let stderr = std::io::stderr();
    let files = |p: &str| corpus.read_text(p);
    crate::diag::human::emit_with(
        &mut stderr.lock(),
        Some(&files),
        diags,
        &summary,
        lang,
        colour,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_points_at_the_first_occurrence() {
        let s = span_of_char("ab\ncd𠀀e𠀀", '𠀀').expect("found");
        assert_eq!((s.line, s.col, s.start), (2, 3, 5));
        assert!(span_of_char("abc", '𠀀').is_none());
    }

    #[test]
    fn missing_glyphs_are_distinct_and_sorted() {
        let fonts = Fonts::builtin().expect("font");
        let m = missing_glyphs(&fonts, "𠀀a𠀀\u{2F81F}中".chars());
        assert_eq!(m, vec!['𠀀', '\u{2F81F}']);
    }
}
