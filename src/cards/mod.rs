//! On-site disposal cards (应急处置卡) as print-ready PDF and as one offline HTML page.
//!
//! A card is generated from its front matter and the registries on every run, so a printed
//! card is never older than its plan (domain.md §1.7: 生产安全事故应急预案管理办法 Art. 19;
//! GB/T 29639-2020 §8 and Appendix). Stages: [`content`] resolves ids to words,
//! [`layout`] fits them on the card, [`impose`] puts cards on A4 sheets, [`html`] renders the
//! phone page; the PDF is drawn by [`crate::render::pdf`].

pub mod content;
pub mod html;
pub mod impose;
pub mod layout;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::model::{Corpus, Document};
use crate::render::font::Fonts;
use crate::render::pdf::{self, PdfMeta};
use content::CardView;
use layout::{Laid, Options};
use rayon::prelude::*;

/// Card sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CardSize {
    /// A6 portrait, 105 x 148 mm (default).
    A6,
    /// A5 portrait, 148 x 210 mm.
    A5,
    /// Pocket card, 90 x 130 mm.
    Pocket,
}

impl CardSize {
    pub fn parse(s: &str) -> Option<CardSize> {
        match s.to_ascii_lowercase().as_str() {
            "a6" => Some(CardSize::A6),
            "a5" => Some(CardSize::A5),
            "pocket" => Some(CardSize::Pocket),
            _ => None,
        }
    }
    /// Width and height in mm.
    pub fn mm(self) -> (f32, f32) {
        match self {
            CardSize::A6 => (105.0, 148.0),
            CardSize::A5 => (148.0, 210.0),
            CardSize::Pocket => (90.0, 130.0),
        }
    }
}

/// Which cards to generate; empty lists mean all.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub plans: Vec<String>,
    pub cards: Vec<String>,
    pub enterprises: Vec<String>,
}

/// The card documents `sel` picks, ordered by enterprise, plan and id.
pub fn select<'a>(corpus: &'a Corpus, sel: &Selection) -> Vec<&'a Document> {
    let mut out: Vec<&Document> = corpus
        .docs
        .iter()
        .filter(|d| {
            let Some(c) = d.card() else { return false };
            (sel.cards.is_empty() || sel.cards.contains(&c.id))
                && (sel.plans.is_empty() || sel.plans.contains(&c.parent))
                && (sel.enterprises.is_empty() || sel.enterprises.contains(&c.enterprise))
        })
        .collect();
    out.sort_by(|a, b| {
        let (ca, cb) = (a.card(), b.card());
        let key = |c: Option<&crate::model::meta::CardMeta>| {
            c.map(|c| (c.enterprise.clone(), c.parent.clone(), c.id.clone()))
        };
        key(ca).cmp(&key(cb))
    });
    out
}

/// A progress bar appears on a terminal from this many cards on.
const PROGRESS_MIN_CARDS: usize = 50;

/// A card laid out, or why it cannot be printed.
type Prepared = Result<(CardView, Laid), Vec<Diagnostic>>;

/// A card laid out and drawn.
pub struct Built {
    pub view: CardView,
    pub laid: Laid,
    pub pdf: Vec<u8>,
}

/// What a card run needs besides the cards.
#[derive(Clone, Copy)]
pub struct Job<'a> {
    pub corpus: &'a Corpus,
    pub config: &'a Config,
    pub fonts: &'a Fonts,
    pub opts: Options,
    /// Provenance label printed in the footer (`1a2b3c4+dirty`).
    pub source: &'a str,
    /// PDF dates (seconds since the epoch).
    pub epoch: i64,
    /// Show a progress bar (a terminal and many cards).
    pub progress: bool,
}

/// Cards laid out and ready to draw, with the run-wide font subset they are drawn with.
pub struct Ready {
    pub cards: Vec<(CardView, Laid)>,
    pub fonts: Fonts,
}

/// The progress bar of a run over `n` cards (hidden unless wanted): laying out counts the
/// first half, drawing the second.
pub fn progress_bar(job: &Job, n: usize) -> indicatif::ProgressBar {
    if job.progress && n >= PROGRESS_MIN_CARDS {
        let style = indicatif::ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        indicatif::ProgressBar::new(2 * n as u64)
            .with_style(style)
            .with_message("排版并生成处置卡 cards")
    } else {
        indicatif::ProgressBar::hidden()
    }
}

/// Resolves, checks glyphs and lays out every selected card (in parallel; order kept), then
/// subsets the fonts once to every character drawn. Cards that cannot be printed are reported
/// (G901 missing glyph, G902 overflow) and left out.
pub fn prepare(
    job: &Job,
    docs: &[&Document],
    bar: &indicatif::ProgressBar,
) -> anyhow::Result<(Ready, Vec<Diagnostic>)> {
    use indicatif::ParallelProgressIterator;
    let Job {
        corpus,
        config,
        fonts,
        opts,
        source,
        ..
    } = *job;
    let laid: Vec<anyhow::Result<Prepared>> = docs
        .par_iter()
        .progress_with(bar.clone())
        .map(|doc| {
            let Some(card) = doc.card() else {
                return Ok(Err(Vec::new()));
            };
            let view = content::build(corpus, config, doc, card, source);
            let missing = content::missing_glyphs(&view, doc, fonts);
            if !missing.is_empty() {
                return Ok(Err(missing));
            }
            Ok(match layout::layout(fonts, &view, opts)? {
                Ok(laid) => Ok((view, laid)),
                Err(over) => Err(vec![overflow(doc, &over)]),
            })
        })
        .collect();
    let mut cards = Vec::new();
    let mut diags = Vec::new();
    for r in laid {
        match r? {
            Ok(x) => cards.push(x),
            Err(d) => diags.extend(d),
        }
    }
    // one run-wide font subset of every character drawn (same glyphs, same advances)
    let mut chars = std::collections::BTreeSet::new();
    for (_, l) in &cards {
        for p in &l.pages {
            for t in p.texts() {
                chars.extend(t.chars());
            }
        }
    }
    let fonts = fonts.reduced_to(&chars)?;
    bar.set_position(docs.len() as u64);
    Ok((Ready { cards, fonts }, diags))
}

/// Draws one PDF per card (in parallel; order kept).
pub fn draw(
    job: &Job,
    ready: &Ready,
    bar: &indicatif::ProgressBar,
) -> anyhow::Result<Vec<Vec<u8>>> {
    use indicatif::ParallelProgressIterator;
    let pdfs: Vec<anyhow::Result<Vec<u8>>> = ready
        .cards
        .par_iter()
        .progress_with(bar.clone())
        .map(|(view, laid)| pdf::write(&laid.pages, &ready.fonts, &pdf_meta(view, job.epoch)))
        .collect();
    bar.finish_and_clear();
    pdfs.into_iter().collect()
}

/// [`prepare`] and [`draw`] in one: every selected card laid out and drawn, the diagnostics
/// of those that cannot be printed, and the run-wide font subset (for a print file).
pub fn build(
    job: &Job,
    docs: &[&Document],
) -> anyhow::Result<(Vec<Built>, Vec<Diagnostic>, Fonts)> {
    let bar = progress_bar(job, docs.len());
    let (ready, diags) = prepare(job, docs, &bar)?;
    let pdfs = draw(job, &ready, &bar)?;
    let built = ready
        .cards
        .into_iter()
        .zip(pdfs)
        .map(|((view, laid), pdf)| Built { view, laid, pdf })
        .collect();
    Ok((built, diags, ready.fonts))
}

/// Title and dates of a card PDF.
pub fn pdf_meta(view: &CardView, epoch: i64) -> PdfMeta {
    PdfMeta {
        title: view.title.clone(),
        subject: format!("{} {} {}", view.id, view.plan_id, view.source),
        epoch,
        bookmarks: Vec::new(),
    }
}

/// G902: the card does not fit even at 7 pt on both sides.
fn overflow(doc: &Document, over: &layout::Overflow) -> Diagnostic {
    crate::check::rules::g902_card_overflow::at(doc, over.pages, over.over_mm)
}
