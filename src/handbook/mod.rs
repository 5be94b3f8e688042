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
pub mod html;
pub mod pdf;

use crate::diag::{Diagnostic, Severity, Span};
use crate::model::meta::{Kind, PlanMeta};
use crate::model::{Corpus, Document};
use crate::render::font::{Face, Fonts};
use crate::text;
use content::{BookView, PartView};
use std::collections::{HashMap, HashSet};
use std::path::Path;

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

/// Reverse links of the corpus, computed once per run.
#[derive(Debug, Default)]
pub struct Index {
    below: HashMap<String, Vec<String>>,
    related: HashMap<String, Vec<String>>,
}

impl Index {
    pub fn new(corpus: &Corpus) -> Index {
        let mut ix = Index::default();
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
    pub fn below(&self, id: &str) -> &[String] {
        self.below.get(id).map_or(&[], Vec::as_slice)
    }
    /// Plans that name `id` as related.
    pub fn related_to(&self, id: &str) -> &[String] {
        self.related.get(id).map_or(&[], Vec::as_slice)
    }
}

/// A book to build: its file stem, title and plans in order.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    pub file: String,
    pub title: String,
    pub kicker: String,
    pub docs: Vec<&'a Document>,
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
pub fn select<'a>(corpus: &'a Corpus, sel: &Selection) -> Vec<Plan<'a>> {
    let reg = &corpus.registry;
    let single = |d: &'a Document, p: &PlanMeta| Plan {
        file: p.id.clone(),
        title: format!("{}应急响应工作手册", p.title.trim_end_matches("应急预案")),
        kicker: reg
            .organization(&p.issuer)
            .map(|o| o.name.clone())
            .unwrap_or_else(|| p.issuer.clone()),
        docs: vec![d],
    };
    match sel {
        Selection::Plan(id) => corpus
            .doc(id)
            .and_then(|d| d.plan().map(|p| single(d, p)))
            .into_iter()
            .collect(),
        Selection::All => {
            let mut v: Vec<(&str, Plan)> = corpus
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
            vec![Plan {
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
pub fn hazard_chain<'a>(corpus: &'a Corpus, hazard: &str) -> Vec<&'a Document> {
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
pub fn view(corpus: &Corpus, index: &Index, book: &Plan, source: &str) -> BookView {
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

/// G901: characters of the book that the fonts cannot draw, located in the plan file or the
/// registry file they come from.
pub fn missing_glyphs(
    corpus: &Corpus,
    book: &Plan,
    texts: &[String],
    fonts: &Fonts,
) -> Vec<Diagnostic> {
    // each distinct character once (a province-wide book prints millions of characters)
    let mut distinct: Vec<char> = texts
        .iter()
        .flat_map(|t| t.chars())
        .collect::<std::collections::HashSet<char>>()
        .into_iter()
        .collect();
    distinct.sort_unstable();
    let all: String = distinct.into_iter().collect();
    let mut missing = fonts.missing(&all, Face::Regular);
    for c in fonts.missing(&all, Face::Bold) {
        if !missing.contains(&c) {
            missing.push(c);
        }
    }
    let mut files: Vec<String> = book.docs.iter().map(|d| d.path.clone()).collect();
    files.extend(corpus.registry.files.iter().map(|f| f.path.clone()));
    let font = fonts.regular.source.clone();
    let mut out = Vec::new();
    for c in missing {
        let (path, span) = locate(&corpus.root, &files, c).unwrap_or_else(|| {
            (
                book.docs
                    .first()
                    .map(|d| d.path.clone())
                    .unwrap_or_default(),
                None,
            )
        });
        let ch = format!("「{c}」U+{:04X}", c as u32);
        out.push(
            Diagnostic::new(
                "G901",
                Severity::Error,
                &path,
                text!(
                    "字体 {font} 中没有字符 {ch}，无法生成手册 PDF",
                    "the font {font} has no glyph for {ch}; the handbook PDF cannot be printed"
                ),
            )
            .span(span)
            .help(text!(
                "改用常用字，或用 --font（或 yuan.toml 的 [render] font）选择包含该字的字体；HTML 手册不受影响",
                "use a common character, or choose a font that has it with --font (or [render] font in yuan.toml); the HTML handbook is not affected"
            )),
        );
    }
    out
}

/// The first occurrence of `c` in `files` (relative to `root`): path and span.
pub fn locate(root: &Path, files: &[String], c: char) -> Option<(String, Option<Span>)> {
    let reader = crate::source::Reader::new(root).ok()?;
    for f in files {
        let Ok(text) = reader.read_text(Path::new(f), crate::source::reader::REREAD_CAP) else {
            continue;
        };
        if let Some(at) = text.find(c) {
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let line = text[..at].matches('\n').count() + 1;
            let col = text[line_start..at].chars().count() + 1;
            return Some((
                f.clone(),
                Some(Span {
                    start: at as u32,
                    end: (at + c.len_utf8()) as u32,
                    line: line as u32,
                    col: col as u32,
                }),
            ));
        }
    }
    None
}
