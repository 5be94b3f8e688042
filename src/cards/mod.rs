//! On-site disposal cards (应急处置卡) as print-ready PDF and as one offline HTML page.
//!
//! A card is generated from its front matter and the registries on every run, so a printed
//! card is never older than its plan (domain.md §1.7: 生产安全事故应急预案管理办法 Art. 19;
//! GB/T 29639-2020 §8 and Appendix). Stages: [`content`] resolves ids to words,
//! [`layout`] fits them on the card (the numbers on the front, type never below 9 pt),
//! [`impose`] puts cards on A4 sheets, [`html`] renders the phone page; the PDF is drawn by
//! [`crate::render::pdf`]. A card is printed only when its own files and the registry entries
//! it prints numbers from have no error (the driver's sources, see [`printed_entries`]).

pub mod content;
pub(crate) mod html;
pub mod impose;
pub mod layout;

use crate::config::Config;
use crate::diag::terminal::escape;
use crate::diag::{Diagnostic, Lang, Span, Text};
use crate::model::meta::CardMeta;
use crate::model::{Corpus, Document};
use crate::render::driver::{Book, Generator, Input, Printed, Tally};
use crate::render::font::Fonts;
use crate::render::pdf::{self, PdfMeta};
use crate::text;
use content::CardView;
use layout::{Laid, Options};
use rayon::prelude::*;

pub use crate::config::CardSize;

/// Which cards to generate; empty lists mean all.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub(crate) plans: Vec<String>,
    pub(crate) cards: Vec<String>,
    pub(crate) enterprises: Vec<String>,
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

/// What in a selection that matches no card names nothing the repository has: each `--plan`
/// that is no card's parent, `--card` that is no card, `--enterprise` that has no card, with
/// the closest ids (did you mean).
fn unmatched(corpus: &Corpus, sel: &Selection) -> (String, String) {
    let cards: Vec<&crate::model::meta::CardMeta> =
        corpus.docs.iter().filter_map(|d| d.card()).collect();
    let mut zh = String::new();
    let mut en = String::new();
    let mut say = |flag: &str, (is_zh, is_en): (&str, &str), asked: &[String], known: Vec<&str>| {
        for a in asked.iter().filter(|a| !known.contains(&a.as_str())) {
            let (mz, me) = crate::diag::suggest::did_you_mean(&crate::diag::suggest::suggest(
                a,
                known.iter().copied(),
            ));
            zh.push_str(&format!("；{flag} `{a}` {is_zh}{mz}"));
            en.push_str(&format!("; {flag} `{a}` {is_en}{me}"));
        }
    };
    let no_cards = ("没有处置卡", "has no cards");
    say(
        "--plan",
        no_cards,
        &sel.plans,
        cards.iter().map(|c| c.parent.as_str()).collect(),
    );
    let no_card = ("不是处置卡的 id", "is not the id of a card");
    say(
        "--card",
        no_card,
        &sel.cards,
        cards.iter().map(|c| c.id.as_str()).collect(),
    );
    let enterprises = cards.iter().map(|c| c.enterprise.as_str()).collect();
    say("--enterprise", no_cards, &sel.enterprises, enterprises);
    (zh, en)
}

/// The progress bar's message (Chinese, English).
const PROGRESS: (&str, &str) = ("排版并生成处置卡", "laying out and drawing cards");

/// A card laid out, or why it cannot be printed.
type Prepared = Result<(CardView, Laid), Vec<Diagnostic>>;

/// A card laid out and drawn.
pub struct Built {
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
pub(crate) struct Ready {
    pub(crate) cards: Vec<(CardView, Laid)>,
    pub(crate) fonts: Fonts,
}

/// The progress bar of a run over `n` cards (hidden unless wanted): laying out counts the
/// first half, drawing the second.
pub(crate) fn progress_bar(job: &Job, n: usize) -> indicatif::ProgressBar {
    // the library's own run (benchmarks) has no language: the default, Chinese
    crate::render::driver::progress_bar(Some(PROGRESS.0), job.progress, n)
}

/// Resolves, checks glyphs and lays out every selected card (in parallel; order kept), then
/// subsets the fonts once to every character drawn. Cards that cannot be printed are reported
/// (G901 missing glyph, G902 overflow) and left out.
pub(crate) fn prepare(
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
pub(crate) fn draw(
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
        .map(|((_, laid), pdf)| Built { laid, pdf })
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

/// G902: the card does not fit at the minimum sizes on both sides.
fn overflow(doc: &Document, over: &layout::Overflow) -> Diagnostic {
    crate::check::rules::g902_card_overflow::at(
        doc,
        over.pages,
        over.over_mm,
        over.longest,
        over.first_out,
    )
}

/// `yuan cards`: a PDF per card, the print file `cards.pdf` (imposed `nup` to an A4 sheet when
/// asked) and the phone page `cards.html`, through the generator driver.
pub(crate) struct Cards {
    pub(crate) selection: Selection,
    /// `--size`; else `[cards] size`, else A6.
    pub(crate) size: Option<CardSize>,
    pub(crate) nup: Option<u16>,
    pub(crate) duplex: bool,
    /// Write `cards.html`.
    pub(crate) html: bool,
    /// Set when every card of the repository failed its schema: the run fails (exit 1) on the
    /// findings, not as "nothing to do" (exit 2).
    pub(crate) only_broken: std::sync::atomic::AtomicBool,
    /// The registry entries the selected cards print from (`registry/x.yaml#/contacts/3`),
    /// named among their sources: kept here for the run, so the units can borrow them.
    pub(crate) entries: std::sync::OnceLock<std::collections::BTreeSet<String>>,
    /// Cards left out for an error in a registry entry they print (card id, registry file):
    /// the finding points at the registry, so the summary names the cards.
    pub(crate) left_for_registry: std::sync::Mutex<Vec<(String, String)>>,
}

impl Cards {
    fn size(&self, config: &Config) -> CardSize {
        match (self.size, &config.cards.size) {
            (Some(s), _) => s,
            (None, Some(s)) => *s,
            (None, None) => CardSize::A6,
        }
    }

    /// The combined print file: the cards in order, imposed `nup` to an A4 sheet when asked.
    fn print_file(
        &self,
        cx: &Input,
        made: &[(&CardView, &Book)],
        fonts: &Fonts,
    ) -> anyhow::Result<Vec<u8>> {
        let per_card: Vec<Vec<_>> = made.iter().map(|(_, b)| b.pages.clone()).collect();
        let size = self.size(cx.config);
        let sheets = match self.nup {
            Some(n) if n > 1 => match impose::impose(&per_card, usize::from(n)) {
                Some(s) => s,
                None => {
                    return Err(crate::env_error!(
                        "{n} 张 {size:?} 卡片放不下一张 A4 纸，请减小 --nup",
                        "{n} {size:?} cards do not fit on an A4 sheet; use a smaller --nup"
                    ))
                }
            },
            _ => per_card.into_iter().flatten().collect(),
        };
        let meta = PdfMeta {
            title: text!("应急处置卡合订本", "Disposal cards")
                .get(cx.lang)
                .to_string(),
            subject: cx.source.clone(),
            epoch: cx.epoch,
            bookmarks: Vec::new(),
        };
        pdf::write(&sheets, fonts, &meta)
    }
}

impl Generator for Cards {
    /// The card, and the registry entries it prints from (see [`printed_entries`]).
    type Unit<'c> = (&'c Document, &'c CardMeta, Vec<&'c str>);
    type View = CardView;
    const NAME: &'static str = "cards";
    const COMMAND: &'static str = "yuan cards";
    const DEFAULT_OUT: &'static str = "out/cards";
    const RUN_WIDE_SUBSET: bool = true;
    const PROGRESS: Option<(&'static str, &'static str)> = Some(PROGRESS);
    const COUNTS_UNITS: bool = true;

    fn html_wanted(&self) -> bool {
        false
    }
    fn pdf_wanted(&self) -> bool {
        true
    }
    fn writes_when_empty(&self) -> bool {
        false
    }

    fn failed(&self) -> bool {
        self.only_broken.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn units<'c>(&'c self, cx: &Input<'c>) -> anyhow::Result<Vec<Self::Unit<'c>>> {
        let cards: Vec<_> = select(cx.corpus, &self.selection)
            .into_iter()
            .filter_map(|d| d.card().map(|c| (d, c)))
            .collect();
        let keys: Vec<Vec<String>> = (cards.iter())
            .map(|(_, c)| printed_entries(cx.corpus, c))
            .collect();
        let all = self
            .entries
            .get_or_init(|| keys.iter().flatten().cloned().collect());
        let units: Vec<_> = cards
            .into_iter()
            .zip(keys)
            .map(|((d, c), keys)| {
                let entries = (keys.iter())
                    .filter_map(|k| all.get(k).map(String::as_str))
                    .collect();
                (d, c, entries)
            })
            .collect();
        if units.is_empty() {
            // Cards there are, but none typed (F003): a repository problem, reported with its
            // findings, not "no card matches".
            let sel = &self.selection;
            let everything =
                sel.plans.is_empty() && sel.cards.is_empty() && sel.enterprises.is_empty();
            let broken = (cx.corpus.docs.iter())
                .any(|d| d.kind == Some(crate::model::meta::Kind::Card) && d.is_broken());
            if everything && broken {
                (self.only_broken).store(true, std::sync::atomic::Ordering::Relaxed);
                return Ok(Vec::new());
            }
            let (zh, en) = unmatched(cx.corpus, &self.selection);
            return Err(crate::env_error!(
                "没有符合条件的处置卡（kind: card）{zh}",
                "no disposal card (kind: card) matches{en}"
            ));
        }
        Ok(units)
    }

    /// Left out when the card's own files have errors, or a registry entry it prints numbers
    /// from (the latter recorded for the summary).
    fn keep<'c>(
        &self,
        unit: Self::Unit<'c>,
        broken: &std::collections::HashSet<&str>,
    ) -> crate::render::driver::Keep<Self::Unit<'c>> {
        use crate::render::driver::Keep;
        if unit.0.sources().any(|p| broken.contains(p)) {
            return Keep::Dropped;
        }
        match unit.2.iter().find(|k| broken.contains(*k)) {
            Some(key) => {
                let file = key.rsplit_once('#').map_or(*key, |(f, _)| f);
                if let Ok(mut left) = self.left_for_registry.lock() {
                    left.push((unit.1.id.clone(), file.to_string()));
                }
                Keep::Dropped
            }
            None => Keep::Kept(unit, 0),
        }
    }

    fn sources<'c>(&self, unit: &Self::Unit<'c>) -> Vec<&'c str> {
        // the card's own files, and the registry entries whose numbers it prints: a contact
        // whose number fails C601 keeps the card out of print, as an error in the card would
        unit.0.sources().chain(unit.2.iter().copied()).collect()
    }

    fn provenance_note(&self, note: &str, lang: Lang) -> Option<String> {
        Some(
            text!(
                "提示：{note}，历史相关功能关闭；卡片来源标为 uncommitted",
                "note: {note}; history-based features are off and cards say 'uncommitted'"
            )
            .get(lang)
            .to_string(),
        )
    }

    fn view<'c>(&self, cx: &Input<'c>, unit: &Self::Unit<'c>) -> anyhow::Result<CardView> {
        Ok(content::build(
            cx.corpus, cx.config, unit.0, unit.1, &cx.source,
        ))
    }

    fn file(&self, view: &CardView) -> String {
        view.id.clone()
    }

    fn html(&self, _cx: &Input, _view: &CardView) -> anyhow::Result<String> {
        Ok(String::new())
    }

    fn book<'c>(
        &self,
        cx: &Input<'c>,
        unit: &Self::Unit<'c>,
        view: &CardView,
        fonts: &Fonts,
    ) -> anyhow::Result<Result<Book, Vec<Diagnostic>>> {
        let opts = Options {
            size: self.size(cx.config),
            duplex: self.duplex,
        };
        Ok(match layout::layout(fonts, view, opts)? {
            Ok(laid) => Ok(Book {
                note: fitting_note(view, &laid),
                meta: pdf_meta(view, cx.epoch),
                pages: laid.pages,
            }),
            Err(over) => Err(vec![overflow(unit.0, &over)]),
        })
    }

    fn printed<'c>(&self, _cx: &Input<'c>, _unit: &Self::Unit<'c>, view: &CardView) -> Printed {
        Printed::Fields(view.fields())
    }

    fn locate_field<'c>(&self, unit: &Self::Unit<'c>, key: &str) -> (String, Option<Span>) {
        let (path, span, _) = unit.0.place_of(key);
        (path.to_string(), span)
    }

    fn unprintable(&self) -> (Text, Option<Text>) {
        (content::unprintable(), None)
    }

    fn run_files(&self, _cx: &Input, any: bool) -> Vec<(String, &'static str)> {
        let mut files = Vec::new();
        if any {
            files.push(("cards".to_string(), "pdf"));
            if self.html {
                files.push(("cards".to_string(), "html"));
            }
        }
        files
    }

    fn run_file(
        &self,
        cx: &Input,
        name: &(String, &'static str),
        made: &[(&CardView, &Book)],
        fonts: Option<&Fonts>,
    ) -> anyhow::Result<Vec<u8>> {
        match (name.1, fonts) {
            ("pdf", Some(fonts)) => self.print_file(cx, made, fonts),
            _ => {
                let views: Vec<_> = made.iter().map(|(v, _)| *v).collect();
                let html = html::render(cx.dir, "应急处置卡", &views, self.size(cx.config))?;
                Ok(html.into_bytes())
            }
        }
    }

    fn summary(&self, cx: &Input, t: &Tally) -> String {
        let (made, written, out) = (t.made, t.written, t.out.display());
        let skipped = t.selected - t.made;
        let tail = if skipped > 0 {
            text!(
                "；{skipped} 张因错误未生成",
                "; {skipped} not generated because of errors"
            )
        } else {
            Text::new("", "")
        };
        let tail = tail.get(cx.lang);
        let mut summary = text!(
            "已生成 {made} 张处置卡（{written} 个文件）→ {out}{tail}\n",
            "{made} cards generated ({written} files) in {out}{tail}\n"
        )
        .get(cx.lang)
        .to_string();
        if let Ok(left) = self.left_for_registry.lock() {
            for (id, file) in left.iter() {
                let (id, file) = (escape(id), escape(file));
                let line = text!(
                    "  {id}：未生成，卡上所印联系人的电话在 {file} 中有错误（见上）\n",
                    "  {id}: not generated, a contact it prints has an error in {file} (above)\n"
                );
                summary.push_str(line.get(cx.lang));
            }
        }
        summary
    }
}

/// The registry entries whose words a card prints as numbers to call: the contacts it reports
/// to and the contacts that label its emergency numbers, as [`crate::model::Registry::entry_key`]
/// names them.
fn printed_entries(corpus: &Corpus, card: &CardMeta) -> Vec<String> {
    let reg = &corpus.registry;
    let mut keys = Vec::new();
    for id in &card.report_to {
        if let Some(e) = reg
            .index
            .contacts
            .get(id)
            .and_then(|&i| reg.contacts.get(i))
        {
            keys.extend(reg.entry_key(&e.origin));
        }
    }
    for n in &card.emergency_numbers {
        // the contact whose number labels it (content::build takes the first), unless it is a
        // national number with a label of its own
        if content::short_number_label(n).is_some() {
            continue;
        }
        if let Some(e) =
            (reg.contacts.iter()).find(|e| e.item.phones.iter().any(|p| &p.number == n))
        {
            keys.extend(reg.entry_key(&e.origin));
        }
    }
    // the enterprise's emergency line, printed on every card of the enterprise
    if let Some(e) = (reg.organization(&card.enterprise))
        .and_then(|o| o.duty_contact.as_deref())
        .and_then(|id| reg.index.contacts.get(id))
        .and_then(|&i| reg.contacts.get(i))
    {
        keys.extend(reg.entry_key(&e.origin));
    }
    keys.sort();
    keys.dedup();
    keys
}

/// The note of a card whose type was shrunk or that continues on the back.
fn fitting_note(view: &CardView, laid: &Laid) -> Option<Text> {
    let id = crate::diag::terminal::escape(&view.id);
    let (zh, en) = fitting_words(laid.scale, laid.pages.len())?;
    Some(text!("  {id}：{zh}", "  {id}: {en}"))
}

/// What a card's note says: the type shrunk, continued on the back, or both (no dangling
/// comma when only one holds); `None` for a card that fits as it is.
fn fitting_words(scale: f32, pages: usize) -> Option<(String, String)> {
    let pct = (scale * 100.0).round();
    let shrunk =
        (scale < 1.0).then(|| (format!("字号缩至 {pct}%"), format!("type shrunk to {pct}%")));
    let back = (pages > 1).then(|| {
        (
            "内容续印在背面".to_string(),
            "continued on the back".to_string(),
        )
    });
    match (shrunk, back) {
        (None, None) => None,
        (Some(s), None) => Some(s),
        (None, Some(b)) => Some(b),
        (Some((sz, se)), Some((bz, be))) => Some((format!("{sz}，{bz}"), format!("{se}, {be}"))),
    }
}

#[cfg(test)]
mod fitting_tests {
    use super::fitting_words;

    #[test]
    fn a_note_says_shrunk_continued_or_both_without_a_dangling_comma() {
        let w = |z: &str, e: &str| Some((z.to_string(), e.to_string()));
        assert_eq!(fitting_words(1.0, 1), None);
        assert_eq!(
            fitting_words(1.0, 2),
            w("内容续印在背面", "continued on the back")
        );
        assert_eq!(
            fitting_words(0.75, 1),
            w("字号缩至 75%", "type shrunk to 75%")
        );
        assert_eq!(
            fitting_words(0.8, 2),
            w(
                "字号缩至 80%，内容续印在背面",
                "type shrunk to 80%, continued on the back"
            )
        );
    }
}
