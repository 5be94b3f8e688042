//! `yuan drills pack`: the exercise pack of one drill record as a generator (see
//! [`crate::render::driver`]): one unit per copy (controllers', participants'), each an HTML
//! file and a PDF laid out from [`super::pack`]'s view. A drill record with errors, or one
//! that cites plans the repository lacks, stops the run: no pack is printed.

use super::pack::{self, PackCopy, PackView};
use crate::diag::terminal::escape;
use crate::diag::{Diagnostic, Lang, Text};
use crate::model::drill::DrillMeta;
use crate::model::meta::Kind;
use crate::model::{Corpus, Document};
use crate::render::driver::{Book, Generator, Input, Keep, Printed, Tally};
use crate::render::flow::{self, Style};
use crate::render::font::Fonts;
use crate::{env_error, text};
use std::collections::HashSet;

/// The pack of the drill record `drill`, in `copies`.
pub(crate) struct Packs {
    pub(crate) drill: String,
    pub(crate) copies: Vec<PackCopy>,
    pub(crate) html: bool,
    pub(crate) pdf: bool,
}

/// One copy of the pack.
pub(crate) struct Copy<'c> {
    copy: PackCopy,
    doc: &'c Document,
    drill: Option<&'c DrillMeta>,
    plans: Vec<&'c Document>,
    /// Plans the record cites that the repository lacks.
    missing: Vec<String>,
}

impl Generator for Packs {
    type Unit<'c> = Copy<'c>;
    type View = PackView;
    const NAME: &'static str = "pack";
    const COMMAND: &'static str = "yuan drills pack";
    const DEFAULT_OUT: &'static str = "out/drills/packs";

    fn html_wanted(&self) -> bool {
        self.html
    }
    fn pdf_wanted(&self) -> bool {
        self.pdf
    }

    fn units<'c>(&'c self, cx: &Input<'c>) -> anyhow::Result<Vec<Self::Unit<'c>>> {
        let doc = find_drill(cx.corpus, &self.drill, Self::COMMAND)?;
        let drill = doc.drill();
        let (plans, missing) = match drill {
            Some(d) => pack::exercised_plans(cx.corpus, d),
            None => (Vec::new(), Vec::new()),
        };
        Ok(self
            .copies
            .iter()
            .map(|&copy| Copy {
                copy,
                doc,
                drill,
                plans: plans.clone(),
                missing: missing.clone(),
            })
            .collect())
    }

    fn sources<'c>(&self, unit: &Self::Unit<'c>) -> Vec<&'c str> {
        (unit.doc.sources())
            .chain(unit.plans.iter().flat_map(|d| d.sources()))
            .collect()
    }

    /// The record's own errors, or plans it cites and the repository lacks, stop the pack.
    fn keep<'c>(&self, unit: Self::Unit<'c>, broken: &HashSet<&str>) -> Keep<Self::Unit<'c>> {
        let blocked = unit.doc.sources().any(|p| broken.contains(p));
        if unit.drill.is_some() && !blocked && unit.missing.is_empty() {
            return Keep::Kept(unit, 0);
        }
        let path = escape(&unit.doc.path);
        let id = escape(&self.drill);
        let (why_zh, why_en) = if unit.missing.is_empty() {
            (String::new(), String::new())
        } else {
            (
                format!(
                    "（引用的预案 {} 不在预案库中）",
                    escape(&unit.missing.join("、"))
                ),
                format!(
                    " (it cites plans the repository lacks: {})",
                    escape(&unit.missing.join(", "))
                ),
            )
        };
        Keep::Stop(text!(
            "演练记录 {id}（{path}）有错误{why_zh}，未生成演练资料包；改正后重新运行",
            "the drill record {id} ({path}) has errors{why_en}; no pack was printed: fix them and run again"
        ))
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

    fn view<'c>(&self, cx: &Input<'c>, unit: &Self::Unit<'c>) -> anyhow::Result<PackView> {
        let drill = unit.drill.ok_or_else(|| {
            let id = &self.drill;
            env_error!("{id} 不是演练记录", "{id} is not a drill record")
        })?;
        Ok(pack::view(cx.corpus, drill, unit.copy, &cx.source))
    }

    fn file(&self, view: &PackView) -> String {
        view.file.clone()
    }

    fn html(&self, cx: &Input, view: &PackView) -> anyhow::Result<String> {
        pack::html(cx.dir, view)
    }

    fn book<'c>(
        &self,
        cx: &Input<'c>,
        _unit: &Self::Unit<'c>,
        view: &PackView,
        fonts: &Fonts,
    ) -> anyhow::Result<Result<Book, Vec<Diagnostic>>> {
        let blocks = pack::blocks(view);
        let header = pack::running_header(view);
        let laid = flow::book(fonts, &Style::a4(), &pack::cover(view), &header, &blocks);
        let title = format!("{} · {}", view.title, view.copy_label);
        let subject = format!("{} {}", view.copy.slug(), view.source);
        Ok(Ok(Book::of_flow(laid, title, subject, cx.epoch)))
    }

    /// Characters are looked up in the drill record, its plans, then the registries.
    fn printed<'c>(&self, cx: &Input<'c>, unit: &Self::Unit<'c>, _view: &PackView) -> Printed {
        let mut files: Vec<String> = self.sources(unit).into_iter().map(String::from).collect();
        files.extend(cx.corpus.registry.files.iter().map(|f| f.path.clone()));
        Printed::Files {
            fallback: unit.doc.path.clone(),
            files,
            whose: Vec::new(),
        }
    }

    fn unprintable(&self) -> (Text, Option<Text>) {
        (
            text!(
                "无法生成演练资料包 PDF",
                "the exercise pack PDF cannot be printed"
            ),
            Some(text!(
                "HTML 资料包不受影响",
                "the HTML pack is not affected"
            )),
        )
    }

    fn summary(&self, cx: &Input, t: &Tally) -> String {
        let id = escape(&self.drill);
        let (written, shown) = (t.written, t.out.display());
        let tail = t.failed_pdfs().map(|t| t.get(cx.lang).to_string());
        let tail = tail.unwrap_or_default();
        text!(
            "已生成演练 {id} 的演练资料包（{written} 个文件）→ {shown}{tail}\n",
            "exercise pack of {id}: {written} file(s) in {shown}{tail}\n"
        )
        .get(cx.lang)
        .to_string()
    }
}

/// The drill record `id`, or an error that says what `id` is instead (with suggestions);
/// `command` is the command that needs it.
pub(crate) fn find_drill<'a>(
    corpus: &'a Corpus,
    id: &str,
    command: &str,
) -> anyhow::Result<&'a Document> {
    if let Some(d) = corpus
        .docs
        .iter()
        .find(|d| d.id.as_deref() == Some(id) && d.kind == Some(Kind::Drill))
    {
        return Ok(d);
    }
    if let Some(d) = corpus.doc(id) {
        let path = &d.path;
        return Err(env_error!(
            "{id}（{path}）不是演练记录（kind: drill）；`{command}` 需要演练记录的 id",
            "{id} ({path}) is not a drill record (kind: drill); `{command}` takes the id of a drill record"
        ));
    }
    let ids: Vec<&str> = corpus
        .docs
        .iter()
        .filter(|d| d.kind == Some(Kind::Drill))
        .filter_map(|d| d.id.as_deref())
        .collect();
    let near = crate::check::util::suggest(id, ids.iter().copied());
    let hint = if !near.is_empty() {
        let (zh, en) = crate::check::util::did_you_mean(&near);
        Text::new(zh, en)
    } else if ids.is_empty() {
        text!(
            "；预案库中没有演练记录（yuan drills new 可生成草稿）",
            "; the repository has no drill records (`yuan drills new` scaffolds one)"
        )
    } else {
        let (zh, en) = (ids.join("、"), ids.join(", "));
        text!("；演练记录有：{zh}", "; the drill records are: {en}")
    };
    let (hint_zh, hint_en) = (&hint.zh, &hint.en);
    Err(env_error!(
        "没有 id 为 {id} 的演练记录{hint_zh}",
        "no drill record has the id {id}{hint_en}"
    ))
}
