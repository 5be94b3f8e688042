use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::model::links::{classify, resolve, LinkTarget};
use crate::model::Document;
use crate::text;
use std::ops::Range;

declare_rule! {
    /// 章节锚点不存在 · Broken heading anchor
    ///
    /// ## What it checks · 检查内容
    /// The heading after `#` in `plan:ID#标题`, `other.md#标题` or `#标题` exists in the target
    /// document. A heading matches by its title with numbering removed (`应急响应` matches
    /// `四、应急响应`) or by its GitHub-style slug (`4-应急响应`).
    ///
    /// 链接中 `#` 后的章节必须存在于目标文档（忽略编号）。
    ///
    /// ## Why it matters · 为什么重要
    /// Lower plans cite the exact clause of the plan above (上下衔接: 《突发事件应急预案管理办法》（2024）第十八条,
    /// 《生产安全事故应急预案管理办法》第十八条). When that
    /// clause is renamed or removed, the citation silently points nowhere and the alignment it
    /// documents is lost.
    ///
    /// 下级预案引用上级预案的具体条款（上下衔接：《突发事件应急预案管理办法》（2024）
    /// 第十八条，《生产安全事故应急预案管理办法》第十八条）。该条款改名或删除后，引用悄悄落空，
    /// 所记录的衔接关系也随之丢失。
    ///
    /// ## Example · 示例
    /// ```markdown
    /// 按[省预案应急响应](plan:xj-flood#应急处置)执行。   <!-- xj-flood has no such heading -->
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Use a heading that exists in the target, or fix the target. The message offers the
    /// closest headings (did you mean) and the help line lists the target's headings at every
    /// level.
    ///
    /// 使用目标中存在的标题，或修正目标。消息给出最接近的标题，提示行列出目标各级标题。
    pub(crate) struct BrokenAnchor {
        code: "R404",
        name: "broken-anchor",
        severity: Error,
        stage: Corpus,
        summary: ("链接的章节标题不存在", "linked heading does not exist"),
    }
}

/// At most this many headings are listed in the help line.
const HEADINGS_LISTED: usize = 30;

/// The headings of `doc` at every level, in order (a citation often names a 三级 clause such
/// as `（二）先期处置`), at most [`HEADINGS_LISTED`], with how many more there are.
fn headings_hint(doc: &Document) -> (String, String) {
    let all: Vec<&str> = doc
        .headings
        .iter()
        .map(|h| h.norm())
        .filter(|n| !n.is_empty())
        .collect();
    let shown = all[..all.len().min(HEADINGS_LISTED)].join("、");
    let more = all.len().saturating_sub(HEADINGS_LISTED);
    if more == 0 {
        (shown.clone(), shown)
    } else {
        (
            format!("{shown}……（另有 {more} 个）"),
            format!("{shown}, … ({more} more)"),
        )
    }
}

/// The headings of `doc` closest to `anchor`: by spelling (did-you-mean), and those whose
/// title holds the anchor or is held in it (`应急响应` for `四、应急响应措施`); at most three.
fn closest<'d>(doc: &'d Document, anchor: &str) -> Vec<&'d str> {
    let wanted = crate::model::heading::normalize(anchor);
    let norms = || {
        doc.headings
            .iter()
            .map(|h| h.norm())
            .filter(|n| !n.is_empty())
    };
    let mut out: Vec<&str> = Vec::new();
    if !wanted.is_empty() {
        for n in norms().filter(|n| n.contains(wanted.as_str()) || wanted.contains(n)) {
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    for n in crate::diag::suggest::suggest(&wanted, norms()) {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out.truncate(3);
    out
}

/// What [`Document::find_heading`] matches, as sets: normalised headings, titles and slugs.
struct AnchorIndex {
    norms: std::collections::HashSet<String>,
    titles: std::collections::HashSet<String>,
    slugs: std::collections::HashSet<String>,
}

impl AnchorIndex {
    /// Below this many headings, the plain search is cheaper than building sets.
    const MIN_HEADINGS: usize = 32;

    fn new(doc: &Document) -> Self {
        AnchorIndex {
            norms: doc.headings.iter().map(|h| h.norm().to_string()).collect(),
            titles: doc.headings.iter().map(|h| h.title.clone()).collect(),
            slugs: doc
                .headings
                .iter()
                .map(|h| crate::model::heading::slug(&h.title))
                .collect(),
        }
    }

    fn contains(&self, anchor: &str) -> bool {
        self.titles.contains(anchor)
            || self
                .norms
                .contains(&crate::model::heading::normalize(anchor))
            || self.slugs.contains(&crate::model::heading::slug(anchor))
    }
}

impl Rule for BrokenAnchor {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check_docs(&self, cx: &Context, docs: Range<usize>, out: &mut Vec<Diagnostic>) {
        // headings of the documents linked to, indexed on first use: a document with many
        // headings and many links to it would otherwise cost headings x links comparisons
        let mut indexes: crate::model::FastMap<&str, AnchorIndex> = Default::default();
        for d in cx.docs_in(docs) {
            let mut budget = cx.budget(&Self::INFO, &d.path);
            // every link this rule follows has an anchor
            for l in d.links.iter().filter(|l| l.dest.contains('#')) {
                let (target, anchor) = match classify(&l.dest) {
                    LinkTarget::SelfAnchor(a) => (Some(d), a),
                    LinkTarget::Typed {
                        target: crate::model::refs::Target::Document,
                        id,
                        anchor: Some(a),
                    } => (cx.corpus.doc(&id), a),
                    LinkTarget::File {
                        path,
                        anchor: Some(a),
                    } => {
                        let t = if path.is_empty() {
                            Some(d)
                        } else {
                            resolve(&d.path, &path).and_then(|p| cx.corpus.doc_at(&p))
                        };
                        (t, a)
                    }
                    _ => continue,
                };
                let Some(t) = target else { continue };
                if anchor.is_empty() {
                    continue;
                }
                let found = if t.headings.len() <= AnchorIndex::MIN_HEADINGS {
                    t.find_heading(&anchor).is_some()
                } else {
                    indexes
                        .entry(t.path.as_str())
                        .or_insert_with(|| AnchorIndex::new(t))
                        .contains(&anchor)
                };
                if found || !budget.admit() {
                    continue;
                }
                let tp = &t.path;
                let (hint_zh, hint_en) = headings_hint(t);
                let (mean_zh, mean_en) = crate::diag::suggest::did_you_mean(&closest(t, &anchor));
                let help = if hint_zh.is_empty() {
                    text!(
                        "`{tp}` 没有标题：链接到整个文档（去掉 `#` 及其后部分），或先在其中加上这一节",
                        "`{tp}` has no headings: link to the whole document (drop the `#` part), or add the section there first"
                    )
                } else {
                    text!(
                        "改成其中一个标题（不含编号也可），或先修改目标文档。各级标题：{hint_zh}",
                        "use one of its headings (numbering may be left out), or fix the target. Headings at every level: {hint_en}"
                    )
                };
                out.push(
                    Self::INFO
                        .at(
                            &d.path,
                            Some(l.span),
                            text!(
                                "`{tp}` 中没有标题“{anchor}”{mean_zh}",
                                "`{tp}` has no heading \"{anchor}\"{mean_en}"
                            ),
                        )
                        .help(help),
                );
            }
        }
    }
}
