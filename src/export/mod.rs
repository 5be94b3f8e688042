//! `yuan export`: plans as Word documents in the style of Chinese official documents
//! (GB/T 9704-2012), for review meetings, expert review (评审) and filing (备案). Stage 8, a
//! [`Generator`] of the render driver like cards and handbooks: the driver checks the
//! repository, leaves plans with errors out, and writes every file through `OutDir`.
//!
//! It takes the checked corpus and gives one `.docx` per unit: a plan
//! ([`Unit::whole`] false: title, issuing information, body), or with `--whole` an
//! enterprise's whole plan ([`whole`]: cover, 批准页, 目录, the comprehensive plan, its special
//! and on-site plans, 附件). [`body`] reads a plan's Markdown into Word blocks with the structure
//! reading of `yuan check` ([`crate::model::heading_lines`]); [`docx`] writes the package.
//!
//! Why a generator and not a converter of the Markdown alone: the issuing information comes
//! from the typed front matter, a Word-style plan's plain-line headings from the section
//! analysis, and a plan with errors must not reach a review meeting, exactly as it must not
//! reach a printed card.

pub(crate) mod body;
pub(crate) mod docx;
pub(crate) mod whole;

use crate::check::broken::Broken;
use crate::diag::error::EnvError;
use crate::diag::{Diagnostic, Lang, Text};
use crate::model::meta::{Kind, PlanMeta, Status};
use crate::model::sections::Profiles;
use crate::model::{Corpus, Document};
use crate::render::driver::{Book, Generator, Input, Keep, Printed, Tally};
use crate::render::font::Fonts;
use crate::text;
use docx::{Block, Package, Properties, Run};
use std::collections::HashSet;
use std::sync::OnceLock;

/// Which plans to export.
#[derive(Debug, Clone)]
pub(crate) enum Selection {
    /// These plans, in this order.
    Ids(Vec<String>),
    /// Every plan.
    All,
}

/// `yuan export`.
pub(crate) struct Export {
    pub(crate) selection: Selection,
    /// A comprehensive plan's document is the enterprise's whole plan.
    pub(crate) whole: bool,
    /// The whole plan's 附件 include the disposal cards.
    pub(crate) cards: bool,
    /// The section profiles, compiled once per run.
    profiles: OnceLock<Profiles>,
}

impl Export {
    pub(crate) fn new(selection: Selection, whole: bool, cards: bool) -> Export {
        Export {
            selection,
            whole,
            cards,
            profiles: OnceLock::new(),
        }
    }
}

/// One document to write.
#[derive(Debug, Clone)]
pub(crate) struct Unit<'c> {
    /// The plan (with `whole`, the comprehensive plan).
    pub(crate) main: &'c Document,
    /// The enterprise's whole plan: its special and on-site plans, in order.
    pub(crate) parts: Vec<&'c Document>,
    /// The disposal cards printed in its 附件.
    pub(crate) cards: Vec<&'c Document>,
    pub(crate) whole: bool,
}

/// A unit resolved to a Word document.
pub(crate) struct View {
    pub(crate) file: String,
    pub(crate) package: Package,
    /// What the caps left out, per plan (path, words).
    pub(crate) refused: Vec<(String, Text)>,
}

/// The rank of a kind in a whole plan: special plans, then on-site plans.
fn rank(k: Kind) -> u8 {
    match k {
        Kind::Comprehensive => 0,
        Kind::Special => 1,
        Kind::Onsite => 2,
        _ => 3,
    }
}

/// A plan, or a document of a plan's kind that failed its schema.
fn exportable(d: &Document) -> bool {
    d.plan().is_some()
        || d.is_broken()
            && d.kind
                .is_some_and(|k| !matches!(k, Kind::Card | Kind::Drill))
}

fn superseded(p: &PlanMeta) -> bool {
    p.status == Some(Status::Superseded)
}

/// The parts and cards of the enterprise plan whose comprehensive plan is `main`: the special
/// and on-site plans of its enterprise that are not superseded (special plans first, each group
/// by id), and the enterprise's cards, by id. Those of them that failed their schema
/// (`broken`, read untyped) are among them, so that the driver leaves them out and says so,
/// instead of a whole plan that silently lacks a part.
pub(crate) fn members<'c>(
    corpus: &'c Corpus,
    broken: &Broken,
    main: &PlanMeta,
) -> (Vec<&'c Document>, Vec<&'c Document>) {
    let Some(ent) = main.enterprise.as_deref() else {
        return (Vec::new(), Vec::new());
    };
    let mut parts: Vec<&Document> = corpus
        .docs
        .iter()
        .filter(|d| {
            d.plan().is_some_and(|p| {
                p.enterprise.as_deref() == Some(ent)
                    && matches!(p.kind, Kind::Special | Kind::Onsite)
                    && !superseded(p)
            })
        })
        .collect();
    parts.extend(
        broken.all_that(corpus, &[Kind::Special, Kind::Onsite], |u| {
            u.is("enterprise", ent)
        }),
    );
    parts.sort_by_key(|d| (d.kind.map_or(9, rank), d.id.clone()));
    parts.dedup_by(|a, b| a.id == b.id);
    let mut cards: Vec<&Document> = corpus
        .docs
        .iter()
        .filter(|d| d.card().is_some_and(|c| c.enterprise == ent))
        .chain(broken.all_that(corpus, &[Kind::Card], |u| u.is("enterprise", ent)))
        .collect();
    cards.sort_by_key(|d| d.id.clone());
    cards.dedup_by(|a, b| a.id == b.id);
    (parts, cards)
}

impl Generator for Export {
    type Unit<'c> = Unit<'c>;
    type View = View;
    const NAME: &'static str = "export";
    const COMMAND: &'static str = "yuan export";
    const DEFAULT_OUT: &'static str = "out/export";
    const PROGRESS: Option<(&'static str, &'static str)> = Some(("导出 Word", "exporting Word"));

    fn html_wanted(&self) -> bool {
        false
    }
    fn pdf_wanted(&self) -> bool {
        false
    }

    fn units<'c>(&'c self, cx: &Input<'c>) -> anyhow::Result<Vec<Unit<'c>>> {
        let corpus = cx.corpus;
        // plans, and documents of a plan's kind that failed their schema: the driver leaves
        // them out and shows why
        let plans = || corpus.docs.iter().filter(|d| exportable(d));
        let mut docs: Vec<&Document> = match &self.selection {
            Selection::All => {
                let mut v: Vec<&Document> = plans().collect();
                v.sort_by(|a, b| a.id.cmp(&b.id));
                v.dedup_by(|a, b| a.id == b.id);
                if v.is_empty() {
                    let why = text!("预案库中没有预案", "the repository has no plans");
                    return Err(anyhow::Error::new(EnvError::new(why)));
                }
                v
            }
            Selection::Ids(ids) => {
                let mut v = Vec::new();
                for id in ids {
                    match corpus.doc(id).filter(|d| exportable(d)) {
                        Some(d) => v.push(d),
                        None => {
                            let known: Vec<&str> =
                                plans().filter_map(|d| d.id.as_deref()).collect();
                            let near = crate::diag::suggest::suggest(id, known);
                            let (zh, en) = crate::diag::suggest::did_you_mean(&near);
                            let id = crate::diag::terminal::escape(id);
                            return Err(anyhow::Error::new(EnvError::new(text!(
                                "没有 id 为 {id} 的预案{zh}（yuan list 列出全部文档）",
                                "no plan has the id {id}{en} (yuan list shows them all)"
                            ))));
                        }
                    }
                }
                v.dedup_by(|a, b| a.id == b.id);
                v
            }
        };
        if self.whole {
            if let Selection::Ids(_) = &self.selection {
                if let Some(d) = docs.iter().find(|d| d.kind != Some(Kind::Comprehensive)) {
                    let id = crate::diag::terminal::escape(d.id.as_deref().unwrap_or(""));
                    let kind = d.kind.map_or("", Kind::zh);
                    return Err(anyhow::Error::new(EnvError::new(text!(
                        "--whole 导出企业的整套预案，须给出综合应急预案的 id：{id} 是{kind}",
                        "--whole exports an enterprise's whole plan and takes the id of its comprehensive plan: {id} is a {kind}"
                    ))));
                }
            }
        }
        self.profiles
            .get_or_init(|| Profiles::new(&cx.config.sections));
        // the broken documents, read untyped once, when whole plans gather their parts
        let broken = if self.whole {
            Broken::gather(corpus)
        } else {
            Broken::default()
        };
        Ok(docs
            .drain(..)
            .map(|d| {
                let whole = self.whole && d.kind == Some(Kind::Comprehensive);
                let (parts, cards) = match d.plan() {
                    Some(p) if whole => members(corpus, &broken, p),
                    _ => (Vec::new(), Vec::new()),
                };
                Unit {
                    main: d,
                    parts,
                    cards: if self.cards { cards } else { Vec::new() },
                    whole,
                }
            })
            .collect())
    }

    fn sources<'c>(&self, u: &Self::Unit<'c>) -> Vec<&'c str> {
        std::iter::once(u.main)
            .chain(u.parts.iter().copied())
            .chain(u.cards.iter().copied())
            .flat_map(|d| d.sources())
            .collect()
    }

    /// A plan with errors is not exported; in a whole plan, a part or card with errors is left
    /// out (and counted), a comprehensive plan with errors leaves nothing.
    fn keep<'c>(&self, mut u: Self::Unit<'c>, broken: &HashSet<&str>) -> Keep<Self::Unit<'c>> {
        let bad = |d: &&Document| d.sources().any(|p| broken.contains(p));
        if bad(&u.main) {
            return Keep::Dropped;
        }
        let before = u.parts.len() + u.cards.len();
        u.parts.retain(|d| !bad(d));
        u.cards.retain(|d| !bad(d));
        let left = before - u.parts.len() - u.cards.len();
        Keep::Kept(u, left)
    }

    fn provenance_note(&self, note: &str, lang: Lang) -> Option<String> {
        Some(
            text!(
                "提示：{note}，Word 文档的日期取自 SOURCE_DATE_EPOCH（未设置时为 1970 年）",
                "note: {note}; the Word documents are dated from SOURCE_DATE_EPOCH (1970 when it is not set)"
            )
            .get(lang)
            .to_string(),
        )
    }

    fn view<'c>(&self, cx: &Input<'c>, u: &Unit<'c>) -> anyhow::Result<View> {
        let profiles = self
            .profiles
            .get_or_init(|| Profiles::new(&cx.config.sections));
        let id = u.main.id.clone().unwrap_or_default();
        let mut doc = Doc {
            corpus: cx.corpus,
            profiles,
            package: Package {
                epoch: cx.epoch,
                parts: u.whole,
                ..Package::default()
            },
            refused: Vec::new(),
        };
        let Some(plan) = u.main.plan() else {
            return Ok(View {
                file: id,
                package: doc.package,
                refused: Vec::new(),
            });
        };
        doc.package.properties = properties(cx, plan);
        if u.whole {
            whole::compose(&mut doc, u, plan);
        } else {
            single(&mut doc, u.main, plan);
        }
        Ok(View {
            file: id,
            package: doc.package,
            refused: doc.refused,
        })
    }

    fn file(&self, view: &View) -> String {
        view.file.clone()
    }

    fn html(&self, _cx: &Input, _view: &View) -> anyhow::Result<String> {
        Ok(String::new())
    }

    fn book<'c>(
        &self,
        _cx: &Input<'c>,
        _unit: &Unit<'c>,
        _view: &View,
        _fonts: &Fonts,
    ) -> anyhow::Result<Result<Book, Vec<Diagnostic>>> {
        Ok(Err(Vec::new()))
    }

    /// Word draws with the reader's fonts: nothing is checked against yuan's.
    fn printed<'c>(&self, _cx: &Input<'c>, u: &Unit<'c>, _view: &View) -> Printed {
        Printed::Fields(vec![(u.main.path.clone(), String::new())])
    }

    fn unprintable(&self) -> (Text, Option<Text>) {
        (
            text!("无法导出 Word 文档", "the Word document cannot be exported"),
            None,
        )
    }

    fn view_notes(&self, view: &View) -> Vec<Text> {
        let file = &view.file;
        view.refused
            .iter()
            .map(|(path, what)| {
                let path = crate::diag::terminal::escape(path);
                let (zh, en) = (&what.zh, &what.en);
                text!(
                    "提示：{path} 的正文超出上限，以下内容未导出到 {file}.docx：{zh}",
                    "note: {path}: the text is over the caps; left out of {file}.docx: {en}"
                )
            })
            .collect()
    }

    fn files<'c>(
        &self,
        _cx: &Input<'c>,
        _unit: &Unit<'c>,
        view: &View,
    ) -> anyhow::Result<Vec<(&'static str, Vec<u8>)>> {
        Ok(vec![("docx", docx::write(&view.package)?)])
    }

    fn summary(&self, cx: &Input, t: &Tally) -> String {
        let (n, written, out) = (t.kept, t.written, t.out.display());
        let (left_out, skipped, cut) = (t.left_out, t.dropped, t.notes);
        let mut tail = Vec::new();
        if left_out > 0 {
            tail.push(text!(
                "；{left_out} 个预案或处置卡因错误未编入整套预案",
                "; {left_out} plan(s) or card(s) left out of whole plans because of errors"
            ));
        }
        if skipped > 0 {
            tail.push(text!(
                "；{skipped} 个预案因错误未导出",
                "; {skipped} plan(s) not exported because of errors"
            ));
        }
        if cut > 0 {
            tail.push(text!(
                "；{cut} 个预案的正文超出上限，已截短",
                "; the text of {cut} plan(s) cut at the caps"
            ));
        }
        let tail: String = tail.iter().map(|t| t.get(cx.lang)).collect();
        text!(
            "已导出 {n} 个 Word 文档（{written} 个文件）→ {out}{tail}\n",
            "{n} Word document(s) exported ({written} files) in {out}{tail}\n"
        )
        .get(cx.lang)
        .to_string()
    }
}

/// A document being composed.
pub(crate) struct Doc<'c> {
    pub(crate) corpus: &'c Corpus,
    pub(crate) profiles: &'c Profiles,
    pub(crate) package: Package,
    pub(crate) refused: Vec<(String, Text)>,
}

impl Doc<'_> {
    /// The body of `d` (a plan) with its headings from level `top`, appended; also its
    /// headings, for a table of contents.
    pub(crate) fn body(&mut self, d: &Document, p: &PlanMeta, top: u8) {
        let Some(text) = self.corpus.read_text(&d.path) else {
            // changed since it was checked: nothing unchecked is printed (the run's note
            // names the file)
            return;
        };
        let base = crate::parse::front_matter::split(&text).map_or(text.len(), |s| s.body);
        let md = text.get(base..).unwrap_or("");
        let specs = d
            .kind
            .map_or(&[][..], |k| self.profiles.for_kind(k, d.is_enterprise()));
        let lines = crate::model::heading_lines::heading_lines(d, specs);
        let b = body::read(md, base, &lines, &p.title, self.package.lists.len(), top);
        if b.refused.any() {
            self.refused.push((d.path.clone(), b.refused.describe()));
        }
        self.package.lists.extend(b.lists);
        self.package.blocks.extend(b.blocks);
    }

    pub(crate) fn push(&mut self, b: Block) {
        self.package.blocks.push(b);
    }

    /// The name of an organisation (its id when the registry lacks it).
    pub(crate) fn org(&self, id: &str) -> String {
        self.corpus
            .registry
            .organization(id)
            .map_or_else(|| id.to_string(), |o| o.name.clone())
    }

    /// The issuing bodies' names (`中共中央、国务院`).
    pub(crate) fn issuer(&self, p: &PlanMeta) -> String {
        p.issuer.names(|id| self.org(id))
    }
}

/// What `docProps/core.xml` says: the title, the kind and number, the issuer, the hazards, and
/// the version and source commit.
fn properties(cx: &Input, p: &PlanMeta) -> Properties {
    let reg = &cx.corpus.registry;
    let org = |id: &str| {
        reg.organization(id)
            .map_or_else(|| id.to_string(), |o| o.name.clone())
    };
    let hazards: Vec<String> = p
        .hazards
        .iter()
        .map(|h| reg.hazard(h).map_or_else(|| h.clone(), |x| x.name.clone()))
        .collect();
    let subject = match &p.plan_no {
        Some(no) => format!("{}（{no}）", p.kind.zh()),
        None => p.kind.zh().to_string(),
    };
    Properties {
        title: p.title.clone(),
        subject,
        creator: p.issuer.names(org),
        keywords: hazards.join("；"),
        description: format!("版本 {}；yuan export，来源 {}", p.version, cx.source),
    }
}

/// The issuing line under a title: 预案编号, 版本号, 施行日期 (what the front matter has).
pub(crate) fn issuing_line(p: &PlanMeta) -> String {
    let mut parts = Vec::new();
    if let Some(no) = &p.plan_no {
        parts.push(format!("预案编号：{no}"));
    }
    parts.push(format!("版本号：{}", p.version));
    parts.push(format!("施行日期：{}", p.dates.effective.zh()));
    parts.join("　")
}

/// A plan alone: its title, the issuing line, the body, then the issuer and the date of issue
/// flush right (GB/T 9704-2012 §7.3.5), and its filing if recorded.
fn single(doc: &mut Doc, d: &Document, p: &PlanMeta) {
    doc.push(Block::Title(p.title.clone()));
    doc.push(Block::Centred(issuing_line(p)));
    doc.body(d, p, 1);
    doc.push(Block::Para(Vec::new()));
    let issuer = doc.issuer(p);
    doc.push(Block::Right(issuer));
    doc.push(Block::Right(p.dates.issued.zh()));
    if let Some(f) = &p.filing {
        let mut line = format!("备案：{}，{}", f.authority, f.filed_on.zh());
        if let Some(no) = &f.receipt_no {
            line.push_str(&format!("，备案编号 {no}"));
        }
        doc.push(Block::Flush(vec![Run::plain(line)]));
    }
}
