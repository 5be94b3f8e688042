//! Response handbooks (应急响应工作手册) as one offline HTML file and one PDF per handbook.
//!
//! A handbook is compiled from the plans and the registries on every run, so it never drifts
//! from them (domain.md §2.2: the 2024 办法 names its content: 应急响应措施、处置工作程序、
//! 应急救援队伍、物资装备、联络人员和电话). What an on-duty officer needs first comes first: the
//! response-level matrix and each role's checklist per level, then the reporting flow, warning
//! levels, contacts, resources, linked plans, revision history, and the plan text last.
//!
//! Stages: [`select`] picks the plans of each book, [`content`] resolves ids to words,
//! [`html`] fills the Tera template, [`pdf`] turns the view into [`crate::render::flow`]
//! blocks that the shared layout paginates.

pub mod content;
pub(crate) mod html;
pub mod pdf;

use crate::diag::error::EnvError;
use crate::diag::{Diagnostic, Lang, Text};
use crate::model::meta::{Kind, PlanMeta};
use crate::model::{Corpus, Document};
use crate::render::driver::{Book, Generator, Input, Keep, Printed, Tally};
use crate::render::flow::Style;
use crate::render::font::Fonts;
use crate::text;
use content::{BookView, PartView};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Which handbooks to build.
#[derive(Debug, Clone)]
pub enum Selection {
    /// One handbook of one plan.
    Plan(String),
    /// The vertical chain of a hazard: province → city → county special plans and the
    /// enterprise plans under them, in one book.
    Hazard(String),
    /// One handbook per plan.
    All,
}

/// Reverse links of the corpus and the section profiles, computed once per run.
#[derive(Debug, Default)]
pub struct Index {
    below: HashMap<String, Vec<String>>,
    related: HashMap<String, Vec<String>>,
    /// The section profiles (the built-in ones for [`Index::new`]), for the structure reading
    /// of Word-style plans: their plain-line sections are headings of the book.
    profiles: crate::model::sections::Profiles,
}

impl Index {
    /// The section profiles of the run.
    pub(crate) fn profiles(&self) -> &crate::model::sections::Profiles {
        &self.profiles
    }

    /// With the built-in section profiles.
    pub fn new(corpus: &Corpus) -> Index {
        Index::with_sections(corpus, &crate::model::sections::Overrides::new())
    }

    /// With the repository's section profiles (`[sections]` of yuan.toml).
    pub(crate) fn with_sections(
        corpus: &Corpus,
        sections: &crate::model::sections::Overrides,
    ) -> Index {
        let mut ix = Index {
            profiles: crate::model::sections::Profiles::new(sections),
            ..Index::default()
        };
        for d in &corpus.docs {
            let Some(id) = d.id.as_deref() else { continue };
            if let Some(p) = d.parent() {
                ix.below
                    .entry(p.to_string())
                    .or_default()
                    .push(id.to_string());
            }
            if let Some(p) = d.plan() {
                for u in &p.links.upper {
                    ix.below.entry(u.clone()).or_default().push(id.to_string());
                }
                for r in &p.links.related {
                    ix.related
                        .entry(r.clone())
                        .or_default()
                        .push(id.to_string());
                }
            }
        }
        for v in ix.below.values_mut().chain(ix.related.values_mut()) {
            v.sort();
            v.dedup();
        }
        ix
    }
    /// Documents that hang under `id` (parent) or dovetail with it (upper), sorted.
    pub(crate) fn below(&self, id: &str) -> &[String] {
        self.below.get(id).map_or(&[], Vec::as_slice)
    }
    /// Plans that name `id` as related.
    pub(crate) fn related_to(&self, id: &str) -> &[String] {
        self.related.get(id).map_or(&[], Vec::as_slice)
    }
}

/// One volume of handbooks to build (a plan's own, or a hazard's chain bound together): its
/// file stem, title and plans in order.
#[derive(Debug, Clone)]
pub struct Volume<'a> {
    pub(crate) file: String,
    pub(crate) title: String,
    pub(crate) kicker: String,
    pub(crate) docs: Vec<&'a Document>,
}

fn kind_rank(k: Kind) -> u8 {
    match k {
        Kind::Overall => 0,
        Kind::Comprehensive => 1,
        Kind::Special => 2,
        Kind::Joint => 3,
        Kind::Department => 4,
        Kind::Grassroots => 5,
        Kind::Onsite => 6,
        Kind::Card => 7,
        Kind::Drill => 8,
    }
}

fn is_superseded(p: &PlanMeta) -> bool {
    p.status == Some(crate::model::meta::Status::Superseded)
}

/// The books `sel` asks for (empty when nothing matches).
pub fn select<'a>(corpus: &'a Corpus, sel: &Selection) -> Vec<Volume<'a>> {
    let reg = &corpus.registry;
    let single = |d: &'a Document, p: &PlanMeta| Volume {
        file: p.id.clone(),
        title: format!("{}应急响应工作手册", p.title.trim_end_matches("应急预案")),
        kicker: p.issuer.names(|id| {
            reg.organization(id)
                .map_or_else(|| id.to_string(), |o| o.name.clone())
        }),
        docs: vec![d],
    };
    match sel {
        Selection::Plan(id) => corpus
            .doc(id)
            .and_then(|d| d.plan().map(|p| single(d, p)))
            .into_iter()
            .collect(),
        Selection::All => {
            let mut v: Vec<(&str, Volume)> = corpus
                .docs
                .iter()
                .filter_map(|d| d.plan().map(|p| (p.id.as_str(), single(d, p))))
                .collect();
            v.sort_by(|a, b| a.0.cmp(b.0));
            v.dedup_by(|a, b| a.0 == b.0);
            v.into_iter().map(|(_, p)| p).collect()
        }
        Selection::Hazard(h) => {
            let docs = hazard_chain(corpus, h);
            if docs.is_empty() {
                return Vec::new();
            }
            let name = reg.hazard(h).map(|x| x.name.clone()).unwrap_or(h.clone());
            let top = docs
                .first()
                .and_then(|d| d.plan())
                .and_then(|p| reg.jurisdiction(&p.jurisdiction))
                .map(|j| j.name.clone())
                .unwrap_or_default();
            vec![Volume {
                file: format!("hazard-{}", content::anchor_id(h)),
                title: format!("{name}应急响应工作手册"),
                kicker: format!("{top}（省、市、县与企业上下衔接合订本）"),
                docs,
            }]
        }
    }
}

/// Government special/department/joint plans for `hazard`, by level (province first), then
/// the enterprise plans that dovetail with them (`links.upper`) and the plans under those.
pub(crate) fn hazard_chain<'a>(corpus: &'a Corpus, hazard: &str) -> Vec<&'a Document> {
    let mut gov: Vec<(&Document, &PlanMeta)> = corpus
        .docs
        .iter()
        .filter_map(|d| d.plan().map(|p| (d, p)))
        .filter(|(_, p)| {
            p.enterprise.is_none()
                && !is_superseded(p)
                && matches!(p.kind, Kind::Special | Kind::Department | Kind::Joint)
                && p.hazards.iter().any(|h| h == hazard)
        })
        .collect();
    gov.sort_by(|a, b| {
        let key = |p: &PlanMeta| {
            (
                p.level.map_or(9, |l| l.depth()),
                p.jurisdiction.clone(),
                kind_rank(p.kind),
                p.id.clone(),
            )
        };
        key(a.1).cmp(&key(b.1))
    });
    gov.dedup_by(|a, b| a.1.id == b.1.id);
    let mut ids: HashSet<&str> = gov.iter().map(|(_, p)| p.id.as_str()).collect();
    let candidates: Vec<(&Document, &PlanMeta)> = corpus
        .docs
        .iter()
        .filter_map(|d| d.plan().map(|p| (d, p)))
        .filter(|(_, p)| {
            p.enterprise.is_some() && !is_superseded(p) && p.hazards.iter().any(|h| h == hazard)
        })
        .collect();
    let mut ent: Vec<(&Document, &PlanMeta)> = Vec::new();
    loop {
        let before = ent.len();
        for (d, p) in &candidates {
            if ids.contains(p.id.as_str()) {
                continue;
            }
            let linked = p.links.upper.iter().any(|u| ids.contains(u.as_str()))
                || p.parent.as_deref().is_some_and(|x| ids.contains(x));
            if linked {
                ids.insert(&p.id);
                ent.push((d, p));
            }
        }
        if ent.len() == before {
            break;
        }
    }
    ent.sort_by(|a, b| {
        let key = |p: &PlanMeta| (p.enterprise.clone(), kind_rank(p.kind), p.id.clone());
        key(a.1).cmp(&key(b.1))
    });
    gov.into_iter().chain(ent).map(|(d, _)| d).collect()
}

/// Builds the view of one book.
pub fn view(corpus: &Corpus, index: &Index, book: &Volume, source: &str) -> BookView {
    let multi = book.docs.len() > 1;
    let in_book: HashSet<String> = book.docs.iter().filter_map(|d| d.id.clone()).collect();
    let mut parts: Vec<PartView> = book
        .docs
        .iter()
        .filter_map(|d| {
            d.plan()
                .map(|p| content::part(corpus, index, d, p, &in_book, multi, &corpus.root))
        })
        .collect();
    for (i, p) in parts.iter_mut().enumerate() {
        p.ordinal = pdf::chinese_number(i + 1);
    }
    BookView {
        file: book.file.clone(),
        title: book.title.clone(),
        kicker: book.kicker.clone(),
        source: source.to_string(),
        parts,
        multi,
    }
}

/// `yuan handbook`: one offline HTML file and one PDF per book, through the generator driver.
pub(crate) struct Handbooks {
    pub(crate) selection: Selection,
    pub(crate) html: bool,
    pub(crate) pdf: bool,
    /// The PDF's page style.
    pub(crate) style: Style,
    /// `--style official`: GB/T 9704, which wants fonts yuan does not ship.
    pub(crate) official: bool,
    /// Reverse links of the corpus, made once per run (with the units).
    index: OnceLock<Index>,
}

impl Handbooks {
    pub(crate) fn new(selection: Selection, html: bool, pdf: bool, official: bool) -> Handbooks {
        Handbooks {
            selection,
            html,
            pdf,
            style: if official {
                Style::official()
            } else {
                Style::a4()
            },
            official,
            index: OnceLock::new(),
        }
    }
}

impl Generator for Handbooks {
    type Unit<'c> = Volume<'c>;
    type View = BookView;
    const NAME: &'static str = "handbook";
    const COMMAND: &'static str = "yuan handbook";
    const DEFAULT_OUT: &'static str = "out/handbook";

    fn html_wanted(&self) -> bool {
        self.html
    }
    fn pdf_wanted(&self) -> bool {
        self.pdf
    }

    fn units<'c>(&'c self, cx: &Input<'c>) -> anyhow::Result<Vec<Self::Unit<'c>>> {
        let books = select(cx.corpus, &self.selection);
        if books.is_empty() {
            let closest = |word: &str, known: Vec<&str>| {
                crate::diag::suggest::did_you_mean(&crate::diag::suggest::suggest(word, known))
            };
            let why = match &self.selection {
                Selection::Plan(id) => {
                    let ids = cx.corpus.docs.iter().filter(|d| d.plan().is_some());
                    let (zh, en) = closest(id, ids.filter_map(|d| d.id.as_deref()).collect());
                    text!("没有 id 为 {id} 的预案{zh}", "no plan has the id {id}{en}")
                }
                Selection::Hazard(h) => {
                    // the hazards plans list, and the registry's
                    let mut known: Vec<&str> = cx
                        .corpus
                        .docs
                        .iter()
                        .filter_map(|d| d.plan())
                        .flat_map(|p| p.hazards.iter().map(String::as_str))
                        .chain(
                            cx.corpus
                                .registry
                                .hazards
                                .iter()
                                .map(|e| e.item.id.as_str()),
                        )
                        .collect();
                    known.sort_unstable();
                    known.dedup();
                    let (zh, en) = closest(h, known);
                    text!(
                        "没有针对灾种 {h} 的专项、部门或联合预案（hazards 中列出该灾种）{zh}",
                        "no special, department or joint plan lists the hazard {h}{en}"
                    )
                }
                Selection::All => text!("预案库中没有预案", "the repository has no plans"),
            };
            return Err(anyhow::Error::new(EnvError::new(why)));
        }
        self.index
            .get_or_init(|| Index::with_sections(cx.corpus, &cx.config.sections));
        Ok(books)
    }

    fn sources<'c>(&self, book: &Self::Unit<'c>) -> Vec<&'c str> {
        book.docs.iter().flat_map(|d| d.sources()).collect()
    }

    /// Plans whose own file has errors are left out of their book; a book with none left is
    /// not made.
    fn keep<'c>(&self, mut book: Self::Unit<'c>, broken: &HashSet<&str>) -> Keep<Self::Unit<'c>> {
        let before = book.docs.len();
        book.docs
            .retain(|d| !d.sources().any(|p| broken.contains(p)));
        match book.docs.len() {
            0 => Keep::Dropped,
            n => Keep::Kept(book, before - n),
        }
    }

    fn provenance_note(&self, note: &str, lang: Lang) -> Option<String> {
        Some(text!(
            "提示：{note}，修订记录只列预案中的日期；来源标为 uncommitted",
            "note: {note}; the revision history lists front-matter dates only and the source reads 'uncommitted'"
        ).get(lang).to_string())
    }

    fn font_note(&self, cx: &Input) -> Option<Text> {
        (self.official && cx.fonts.regular.is_none()).then(|| text!(
            "提示：--style official 按 GB/T 9704 排版，但正文应为仿宋、一级标题为黑体：请用 --font 指定仿宋字体、--font-bold 指定黑体字体；现用内置无衬线字体",
            "note: --style official uses the GB/T 9704 measures, which call for FangSong body text and HeiTi headings: pass a FangSong font with --font and a HeiTi font with --font-bold; using the built-in sans face"
        ))
    }

    fn view<'c>(&self, cx: &Input<'c>, book: &Self::Unit<'c>) -> anyhow::Result<BookView> {
        let index = self
            .index
            .get_or_init(|| Index::with_sections(cx.corpus, &cx.config.sections));
        Ok(view(cx.corpus, index, book, &cx.source))
    }

    fn file(&self, view: &BookView) -> String {
        view.file.clone()
    }

    fn html(&self, cx: &Input, view: &BookView) -> anyhow::Result<String> {
        html::render(cx.dir, view)
    }

    fn book<'c>(
        &self,
        cx: &Input<'c>,
        _book: &Self::Unit<'c>,
        view: &BookView,
        fonts: &Fonts,
    ) -> anyhow::Result<Result<Book, Vec<Diagnostic>>> {
        let blocks = pdf::blocks(view);
        let (laid, meta) = pdf::layout(view, &blocks, fonts, &self.style, cx.epoch);
        Ok(Ok(Book {
            pages: laid.pages,
            meta,
            note: None,
        }))
    }

    /// Characters are looked up in the book's plans, then the registries.
    fn printed<'c>(&self, cx: &Input<'c>, book: &Self::Unit<'c>, _view: &BookView) -> Printed {
        let mut files: Vec<String> = book.docs.iter().map(|d| d.path.clone()).collect();
        files.extend(cx.corpus.registry.files.iter().map(|f| f.path.clone()));
        Printed::Files {
            fallback: files.first().cloned().unwrap_or_default(),
            files,
            whose: Vec::new(),
        }
    }

    fn unprintable(&self) -> (Text, Option<Text>) {
        (
            text!("无法生成手册 PDF", "the handbook PDF cannot be printed"),
            Some(text!(
                "HTML 手册不受影响",
                "the HTML handbook is not affected"
            )),
        )
    }

    fn view_notes(&self, view: &BookView) -> Vec<Text> {
        let file = &view.file;
        view.parts
            .iter()
            .filter_map(|p| {
                let what = p.refused.as_ref()?;
                let path = crate::diag::terminal::escape(&p.path);
                let (what_zh, what_en) = (&what.zh, &what.en);
                Some(text!(
                    "提示：{path} 的正文超出上限，以下内容未印入 {file}：{what_zh}",
                    "note: {path}: the text is over the caps; left out of {file}: {what_en}"
                ))
            })
            .collect()
    }

    fn summary(&self, cx: &Input, t: &Tally) -> String {
        let (n, written, out) = (t.kept, t.written, t.out.display());
        let (left_out, skipped, cut) = (t.left_out, t.dropped, t.notes);
        let mut tail = Vec::new();
        if left_out > 0 {
            tail.push(text!(
                "；{left_out} 个预案因错误未编入",
                "; {left_out} plan(s) left out because of errors"
            ));
        }
        if skipped > 0 {
            tail.push(text!(
                "；{skipped} 本手册未生成",
                "; {skipped} handbook(s) not generated"
            ));
        }
        if cut > 0 {
            tail.push(text!(
                "；{cut} 个预案的正文超出上限，已截短",
                "; the text of {cut} plan(s) cut at the caps"
            ));
        }
        tail.extend(t.failed_pdfs());
        let tail: String = tail.iter().map(|t| t.get(cx.lang)).collect();
        text!(
            "已生成 {n} 本应急响应工作手册（{written} 个文件）→ {out}{tail}\n",
            "{n} handbook(s) generated ({written} files) in {out}{tail}\n"
        )
        .get(cx.lang)
        .to_string()
    }
}
