//! The check stage: rules over a loaded [`Corpus`], each in its own file under `rules/`.
//!
//! A rule has a stable code, a default severity and documentation (its doc comment, printed by
//! `yuan explain CODE`). Rules that need the raw file (front matter syntax, placeholders) report
//! during loading; the others run here, in parallel, over the typed corpus. The repository's
//! `[rules]` table changes severities or turns rules off after everything has run.
//!
//! Findings are capped per rule per file ([`MAX_PER_RULE_PER_FILE`], as ruff and rustc do): a
//! file of a million broken links gives 50 findings and one note saying how many more there
//! were ([`cap`]), so no repository can make the output, or the memory holding it, grow without
//! end. Rules that report per link stop building findings at the cap and only count the rest
//! ([`Context::budget`]); the final list is capped again whoever produced it.

pub(crate) mod broken;
pub mod pipeline;
pub mod registry;
pub mod rules;
pub(crate) mod scope;
pub(crate) mod util;

/// The section profiles live in the model (domain knowledge that `yuan new`, drills and the
/// change review read too); the rules S501–S503 and the library's users find them here as well.
pub use crate::model::sections;

/// What a rule is (code, severity, documentation) lives beside the diagnostics, because the
/// loading stages report rules too; the rules' behaviour is here.
pub(crate) use crate::diag::rule::{RuleInfo, Stage};

use crate::config::{Config, Level};
use crate::diag::{Diagnostic, Severity};
use crate::model::{Corpus, Document};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::ops::Range;
use std::sync::PoisonError;

/// Rules about a plan's upkeep (assessment, filing, drills and their follow-up), not about what
/// it says. A plan they flag is still the plan in force, so the generators print it (and show the
/// finding) instead of leaving it out: a handbook missing the plan whose drill is overdue would
/// help nobody in an emergency. Every other error keeps a document out of print, because a wrong
/// number on paper is worse than none.
pub(crate) const UPKEEP_RULES: &[&str] = &["D702", "D703", "E002", "E003", "E004", "E005"];

/// Whether a finding keeps its document out of generated cards, handbooks and packs: errors do,
/// except those of [`UPKEEP_RULES`].
pub(crate) fn keeps_out_of_print(d: &Diagnostic) -> bool {
    d.severity == crate::diag::Severity::Error && !UPKEEP_RULES.contains(&d.code)
}

/// Everything a rule may look at.
pub struct Context<'a> {
    pub(crate) corpus: &'a Corpus,
    pub(crate) config: &'a Config,
    pub(crate) today: NaiveDate,
    /// Section profiles, compiled once.
    pub(crate) sections: sections::Profiles,
    /// Where each document's required sections are, tile by tile ([`tile_size`]): computed by
    /// the first section rule to ask in that tile, while its documents are in the processor's
    /// cache, and shared by S501–S504.
    found: Vec<std::sync::OnceLock<Vec<sections::Analysis>>>,
    /// The memos of section passes ([`sections::Memo`]), one per thread at a time.
    memos: std::sync::Mutex<Vec<sections::Memo>>,
    /// Upstreams of `aligned` records, now and at their recorded commits (read once, for A304).
    alignment: std::sync::OnceLock<crate::align::Facts>,
    /// Documents that failed their schema, untyped (read once, see [`broken`]).
    broken: std::sync::OnceLock<broken::Broken>,
    /// `[check] id_pattern`, compiled once (I103 runs once per tile of documents).
    id_pattern: std::sync::OnceLock<Option<regex::Regex>>,
    /// With `--changed-since`: the documents whose own findings are reported (see [`Self::docs`]).
    focus: Option<Vec<bool>>,
    /// Findings that rules counted but did not build, over the cap ([`Self::budget`]).
    left_out: std::sync::Mutex<Vec<LeftOut>>,
    /// The same, by path.
    focus_paths: Option<std::collections::BTreeSet<String>>,
}

impl<'a> Context<'a> {
    pub(crate) fn new(corpus: &'a Corpus, config: &'a Config, today: NaiveDate) -> Self {
        Context {
            corpus,
            config,
            today,
            sections: sections::Profiles::new(&config.sections),
            found: (0..corpus.docs.len().div_ceil(tile_size(corpus.docs.len())))
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            memos: std::sync::Mutex::new(Vec::new()),
            alignment: std::sync::OnceLock::new(),
            broken: std::sync::OnceLock::new(),
            id_pattern: std::sync::OnceLock::new(),
            focus: None,
            focus_paths: None,
            left_out: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Whether `value`, written in a document's front matter, holds a placeholder of
    /// `[check] placeholders` (`待定`, `XXX` …). T801 reports it where it is written; a rule that
    /// follows the value as a reference (a parent, a registry id, a card's post) leaves it to
    /// T801 instead of reporting a knock-on "does not exist" (issue 16).
    pub(crate) fn is_placeholder(&self, value: &str) -> bool {
        self.config
            .check
            .placeholders
            .iter()
            .any(|p| !p.is_empty() && value.contains(p.as_str()))
    }

    /// `[check] id_pattern` as a regular expression (`None` when it does not compile; the load
    /// has then reported it and put the default in its place).
    pub(crate) fn id_pattern(&self) -> Option<&regex::Regex> {
        self.id_pattern
            .get_or_init(|| regex::Regex::new(&self.config.check.id_pattern).ok())
            .as_ref()
    }

    /// A budget for `info`'s findings about the file `path`: a rule asks it before building
    /// each finding, so a file with millions of them costs a count, not a million findings.
    pub(crate) fn budget<'s>(&'s self, info: &'static RuleInfo, path: &'s str) -> Budget<'s> {
        Budget {
            sink: &self.left_out,
            info,
            path,
            kept: 0,
            dropped: 0,
        }
    }

    /// The findings rules counted but did not build (for [`cap`]).
    pub(crate) fn take_left_out(&self) -> Vec<LeftOut> {
        match self.left_out.lock() {
            Ok(mut v) => std::mem::take(&mut *v),
            Err(p) => std::mem::take(&mut *p.into_inner()),
        }
    }

    /// Restricts per-document rules to the documents at `paths` (`--changed-since`: only their
    /// findings are reported, so looking for the others' is wasted work).
    pub(crate) fn focus_on(&mut self, paths: &std::collections::BTreeSet<String>) {
        self.focus = Some(
            self.corpus
                .docs
                .iter()
                .map(|d| paths.contains(&d.path))
                .collect(),
        );
        self.focus_paths = Some(paths.clone());
    }

    fn in_focus(&self, i: usize) -> bool {
        self.focus.as_ref().is_none_or(|f| f[i])
    }

    /// Whether findings about `d` are reported (every document, or only those in focus): rules
    /// that go through the whole corpus skip the work of findings nobody will see.
    pub(crate) fn reports_on(&self, d: &Document) -> bool {
        self.focus_paths
            .as_ref()
            .is_none_or(|p| p.contains(d.path.as_str()))
    }

    /// Whether findings at registry files are reported: in every run but a `--changed-since`
    /// check whose changes reach no registry file (the rules that go through every registry
    /// entry then skip them).
    pub(crate) fn reports_on_registry(&self) -> bool {
        self.focus_paths.as_ref().is_none_or(|p| {
            self.corpus
                .registry
                .files
                .iter()
                .any(|f| p.contains(f.path.as_str()))
        })
    }

    /// The documents a per-document rule looks at: every document, or only those in focus.
    /// Only rules whose findings are about the document they look at may use this (H203 too:
    /// a cycle is reported at one of its documents, reached from it); rules over the whole
    /// corpus (duplicate ids, coverage) iterate `corpus.docs`.
    pub(crate) fn docs(&self) -> impl Iterator<Item = &'a Document> + Clone + '_ {
        self.indexed_docs().map(|(_, d)| d)
    }

    /// [`Self::docs`] with each document's index in `corpus.docs`.
    pub(crate) fn indexed_docs(&self) -> impl Iterator<Item = (usize, &'a Document)> + Clone + '_ {
        self.indexed_docs_in(0..self.corpus.docs.len())
    }

    /// [`Self::docs`] among the documents at `range` of `corpus.docs` (a tile of
    /// [`Rule::check_docs`]).
    pub(crate) fn docs_in(
        &self,
        range: Range<usize>,
    ) -> impl Iterator<Item = &'a Document> + Clone + '_ {
        self.indexed_docs_in(range).map(|(_, d)| d)
    }

    /// [`Self::indexed_docs`] among the documents at `range` of `corpus.docs`.
    pub(crate) fn indexed_docs_in(
        &self,
        range: Range<usize>,
    ) -> impl Iterator<Item = (usize, &'a Document)> + Clone + '_ {
        let docs: &'a [Document] = &self.corpus.docs;
        let range = range.start.min(docs.len())..range.end.min(docs.len());
        let start = range.start;
        docs[range]
            .iter()
            .enumerate()
            .map(move |(i, d)| (start + i, d))
            .filter(move |(i, _)| self.in_focus(*i))
    }

    /// The section analyses of the documents of tile `t` (computed on first use).
    fn sections_of_tile(&self, t: usize) -> &[sections::Analysis] {
        let Some(found) = self.found.get(t) else {
            return &[];
        };
        found.get_or_init(|| {
            let memos = || self.memos.lock().unwrap_or_else(PoisonError::into_inner);
            let mut memo = memos().pop().unwrap_or_default();
            let found = tiles(self.corpus.docs.len())
                .nth(t)
                .unwrap_or_default()
                .map(|i| match self.corpus.docs[i].kind {
                    Some(k) if self.in_focus(i) => {
                        let specs = self.sections.for_kind(k, self.is_enterprise(i));
                        sections::analyse_with(&self.corpus.docs[i], specs, &mut memo)
                    }
                    _ => sections::Analysis::default(),
                })
                .collect();
            memos().push(memo);
            found
        })
    }

    /// The documents that failed their schema (F003), untyped (gathered on first use).
    pub(crate) fn broken(&self) -> &broken::Broken {
        self.broken
            .get_or_init(|| broken::Broken::gather(self.corpus))
    }

    /// Whether document `i` is an enterprise document; for one that failed its schema, what its
    /// untyped front matter says (a special plan with `enterprise:` is an enterprise's, and must
    /// not be checked against the government special plan's sections).
    fn is_enterprise(&self, i: usize) -> bool {
        let d = &self.corpus.docs[i];
        if d.is_broken() {
            if let Some(e) = self.broken().is_enterprise(i) {
                return e;
            }
        }
        d.is_enterprise()
    }

    /// What the upstreams of `aligned` records look like now and when they were reviewed.
    pub(crate) fn alignment(&self) -> &crate::align::Facts {
        self.alignment
            .get_or_init(|| crate::align::Facts::gather(self.corpus, self.docs()))
    }

    /// The required sections of document `i` and where each was found.
    pub(crate) fn sections_of(&self, i: usize) -> (&[sections::Compiled], &sections::Analysis) {
        let d = &self.corpus.docs[i];
        let specs = match d.kind {
            Some(k) => self.sections.for_kind(k, self.is_enterprise(i)),
            None => &[],
        };
        let size = tile_size(self.corpus.docs.len());
        let empty = &EMPTY_ANALYSIS;
        let found = self.sections_of_tile(i / size).get(i % size);
        (specs, found.unwrap_or(empty))
    }
}

/// At most this many findings of one rule about one file are listed; the rest are counted and
/// named in one note. 50 is more than anyone reads of one kind in one file (ruff and rustc cap
/// lower), and small enough that the worst file costs kilobytes of output. A constant, not a
/// setting: the note says how many more there are, and fixing the first ones shows the next.
pub(crate) const MAX_PER_RULE_PER_FILE: usize = 50;

/// Findings of one rule about one file that were counted but not built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LeftOut {
    pub(crate) code: &'static str,
    pub(crate) path: String,
    pub(crate) severity: Severity,
    pub(crate) count: usize,
}

/// One rule's allowance of findings for one file (see [`Context::budget`]).
pub(crate) struct Budget<'s> {
    sink: &'s std::sync::Mutex<Vec<LeftOut>>,
    info: &'static RuleInfo,
    path: &'s str,
    kept: usize,
    dropped: usize,
}

impl Budget<'_> {
    /// Whether to build the next finding; past the cap, it is only counted.
    pub(crate) fn admit(&mut self) -> bool {
        if self.kept < MAX_PER_RULE_PER_FILE {
            self.kept += 1;
            true
        } else {
            self.dropped += 1;
            false
        }
    }
}

impl Drop for Budget<'_> {
    fn drop(&mut self) {
        if self.dropped == 0 {
            return;
        }
        let left = LeftOut {
            code: self.info.code,
            path: self.path.to_string(),
            severity: self.info.severity,
            count: self.dropped,
        };
        match self.sink.lock() {
            Ok(mut v) => v.push(left),
            Err(p) => p.into_inner().push(left),
        }
    }
}

/// How many findings [`cap`] left out of the list, by severity (error, warning, info), and how
/// many notes it added for them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Omitted {
    pub(crate) findings: [usize; 3],
    pub(crate) notes: [usize; 3],
}

fn severity_index(s: Severity) -> usize {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

impl Omitted {
    /// Counts the left-out findings in `summary` (which counted the listed ones, notes
    /// included): errors, warnings and notes then count every finding, and `omitted` says how
    /// many of them are not listed.
    pub(crate) fn account(&self, summary: &mut crate::diag::Summary) {
        let fix = |n: &mut usize, i: usize| {
            *n = (*n + self.findings[i]).saturating_sub(self.notes[i]);
        };
        fix(&mut summary.errors, 0);
        fix(&mut summary.warnings, 1);
        fix(&mut summary.infos, 2);
        summary.omitted = self.findings.iter().sum();
    }
}

/// How often [`cap`] gives back the memory of the findings it has moved.
const SHRINK_EVERY: usize = 1 << 16;

/// Caps a finished, sorted list at [`MAX_PER_RULE_PER_FILE`] findings per rule per file, adding
/// `left_out` (what rules counted without building; `[rules]` severities are applied to it here),
/// and puts one note per capped (rule, file) right after that group's last listed finding.
pub(crate) fn cap(
    diags: Vec<Diagnostic>,
    left_out: Vec<LeftOut>,
    config: &Config,
) -> (Vec<Diagnostic>, Omitted) {
    use std::collections::HashMap;
    type Key<'k> = (&'k str, &'static str);
    // per group: listed so far, left out (by severity), index of the last listed
    let mut groups: HashMap<Key, (usize, [usize; 3], usize)> = HashMap::new();
    let mut keep = vec![true; diags.len()];
    for (i, d) in diags.iter().enumerate() {
        let g = groups.entry((d.path.as_str(), d.code)).or_default();
        if g.0 < MAX_PER_RULE_PER_FILE {
            g.0 += 1;
            g.2 = i;
        } else {
            g.1[severity_index(d.severity)] += 1;
            keep[i] = false;
        }
    }
    for l in &left_out {
        let severity = match config.rules.get(l.code) {
            Some(Level::Off) => continue,
            Some(Level::Error) => Severity::Error,
            Some(Level::Warning) => Severity::Warning,
            Some(Level::Info) => Severity::Info,
            None => l.severity,
        };
        // a rule stops building at the cap, so its group is full; a missing group was filtered
        // out after the rules ran (`--changed-since`), and its left-out findings with it
        if let Some(g) = groups.get_mut(&(l.path.as_str(), l.code)) {
            g.1[severity_index(severity)] += l.count;
        }
    }
    let mut omitted = Omitted::default();
    // notes, by the index they follow
    let mut after: HashMap<usize, Diagnostic> = HashMap::new();
    for ((path, code), (_, dropped, last)) in &groups {
        let n: usize = dropped.iter().sum();
        if n == 0 {
            continue;
        }
        let severity = [Severity::Error, Severity::Warning, Severity::Info]
            .into_iter()
            .zip(dropped)
            .find(|(_, k)| **k > 0)
            .map_or(Severity::Error, |(s, _)| s);
        for (o, k) in omitted.findings.iter_mut().zip(dropped) {
            *o += k;
        }
        omitted.notes[severity_index(severity)] += 1;
        let max = MAX_PER_RULE_PER_FILE;
        let mut note = Diagnostic::new(
            code,
            severity,
            path,
            crate::text!(
                "本文件另有 {n} 条 {code} 问题未列出（每条规则每个文件最多列出 {max} 条）",
                "{n} more {code} findings in this file are not listed (at most {max} per rule per file)"
            ),
        );
        note = note.help(crate::text!(
            "先改正上面列出的问题，再次检查时会列出其余的",
            "fix the ones listed; the next check lists the rest"
        ));
        after.insert(*last, note);
    }
    // Built from the back while the input shrinks, so that a flood of findings (hundreds of
    // thousands) is never held in two full lists at once.
    let mut diags = diags;
    let mut out = Vec::new();
    while let Some(d) = diags.pop() {
        let i = diags.len();
        if let Some(note) = after.remove(&i) {
            out.push(note);
        }
        if keep[i] {
            out.push(d);
        }
        if i % SHRINK_EVERY == 0 {
            diags.shrink_to_fit();
        }
    }
    out.reverse();
    (out, omitted)
}

/// The analysis of a document outside every tile (none is: a fallback, never a panic).
static EMPTY_ANALYSIS: std::sync::LazyLock<sections::Analysis> =
    std::sync::LazyLock::new(sections::Analysis::default);

/// A rule over the corpus.
pub trait Rule: Sync {
    fn info(&self) -> &'static RuleInfo;
    /// Reports the findings about the documents at `docs` (indexes in `corpus.docs`, iterated
    /// with [`Context::docs_in`]) that each document's own front matter and body give, looked
    /// up in the corpus's indexes as needed. The run calls it once per tile of [`tile_size`]
    /// documents, every such rule on one tile before the next, so a document is read from
    /// memory once for all of them rather than once per rule.
    fn check_docs(&self, _cx: &Context, _docs: Range<usize>, _out: &mut Vec<Diagnostic>) {}
    /// Reports the findings over the whole corpus (and the registry). Load-stage rules report
    /// while loading and do nothing here.
    fn check(&self, _cx: &Context, _out: &mut Vec<Diagnostic>) {}
}

/// Documents per tile of [`Rule::check_docs`] (at least): a tile's documents (a few KB each,
/// with their typed front matter) stay in the processor's cache while every per-document rule
/// reads them. At 100,000 documents, 22 rules each going through every document in turn spent
/// about 0.9 s of processor time; in tiles, 0.5 s.
pub(crate) const TILE: usize = 256;

/// The tiles of a corpus of `n` documents, in order ([`tile_size`] documents each, the last
/// one shorter).
fn tiles(n: usize) -> impl Iterator<Item = Range<usize>> {
    let size = tile_size(n);
    (0..n).step_by(size).map(move |a| a..(a + size).min(n))
}

/// Documents per tile in a corpus of `n`: [`TILE`], or more in a corpus of over 51,200
/// documents, so that there are at most [`util::Suggester::BUDGET`] tiles (each has its share
/// of the did-you-mean budget).
pub(crate) fn tile_size(n: usize) -> usize {
    TILE.max(n.div_ceil(util::Suggester::BUDGET))
}

/// Runs every corpus rule (in parallel) and returns their diagnostics: the per-document part of
/// every rule, tile by tile, and each rule's part over the whole corpus, both on all threads.
pub(crate) fn run(cx: &Context) -> Vec<Diagnostic> {
    // Shared analyses first, on all threads, so no rule waits on another's lazy init (the
    // section analysis is made in each tile, by its first section rule).
    let t = std::time::Instant::now();
    let _ = cx.alignment();
    crate::timing::report("alignment facts (A304)", t.elapsed());
    let rules: Vec<&dyn Rule> = registry::RULES
        .iter()
        .copied()
        .filter(|r| r.info().stage == Stage::Corpus)
        .filter(|r| cx.config.rules.get(r.info().code) != Some(&Level::Off))
        .collect();
    let n = cx.corpus.docs.len();
    let tiles: Vec<Range<usize>> = tiles(n).collect();
    let timed = crate::timing::enabled();
    let spent: Vec<std::sync::atomic::AtomicU64> =
        rules.iter().map(|_| Default::default()).collect();
    // both parts at once: a thread done with the tiles takes whole-corpus rules (E005 alone is
    // 0.1 s at 100,000 documents), and no thread waits at a barrier between the two
    let (mut out, whole) = rayon::join(
        || {
            let t = std::time::Instant::now();
            let out: Vec<Diagnostic> = tiles
                .par_iter()
                .flat_map_iter(|tile| {
                    let mut out = Vec::new();
                    for (r, spent) in rules.iter().zip(&spent) {
                        let t = timed.then(std::time::Instant::now);
                        r.check_docs(cx, tile.clone(), &mut out);
                        if let Some(t) = t {
                            let ns = u64::try_from(t.elapsed().as_nanos()).unwrap_or(u64::MAX);
                            spent.fetch_add(ns, std::sync::atomic::Ordering::Relaxed);
                        }
                    }
                    out
                })
                .collect();
            crate::timing::report("per-document rules (tiles, parallel)", t.elapsed());
            out
        },
        || {
            rules
                .par_iter()
                .flat_map_iter(|r| {
                    let mut out = Vec::new();
                    let t = std::time::Instant::now();
                    r.check(cx, &mut out);
                    crate::timing::report(r.info().code, t.elapsed());
                    out
                })
                .collect::<Vec<_>>()
        },
    );
    if timed {
        for (r, spent) in rules.iter().zip(&spent) {
            let ns = spent.load(std::sync::atomic::Ordering::Relaxed);
            if ns > 0 {
                let code = r.info().code;
                let d = std::time::Duration::from_nanos(ns);
                crate::timing::report(&format!("{code} (per document)"), d);
            }
        }
    }
    out.extend(whole);
    out
}

/// Applies the repository's `[rules]` severities and sorts: the final list.
pub(crate) fn finish(mut diags: Vec<Diagnostic>, config: &Config) -> Vec<Diagnostic> {
    diags.retain_mut(|d| match config.rules.get(d.code) {
        Some(Level::Off) => false,
        Some(Level::Error) => {
            d.severity = Severity::Error;
            true
        }
        Some(Level::Warning) => {
            d.severity = Severity::Warning;
            true
        }
        Some(Level::Info) => {
            d.severity = Severity::Info;
            true
        }
        None => true,
    });
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup();
    diags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Span, Summary, Text};

    fn finding(code: &'static str, path: &str, line: u32, severity: Severity) -> Diagnostic {
        Diagnostic::new(
            code,
            severity,
            path,
            Text::new(format!("{line}"), format!("{line}")),
        )
        .span(Some(Span {
            start: 0,
            end: 1,
            line,
            col: 1,
        }))
    }

    #[test]
    fn cap_keeps_the_first_per_rule_per_file_and_notes_the_rest_after_them() {
        let max = MAX_PER_RULE_PER_FILE as u32;
        let mut diags: Vec<Diagnostic> = (1..=max + 5)
            .map(|l| finding("R404", "a.md", l, Severity::Error))
            .collect();
        diags.push(finding("R403", "a.md", 1, Severity::Error));
        diags.push(finding("R404", "b.md", 1, Severity::Error));
        let diags = finish(diags, &Config::default());
        // a rule that stopped at the cap left 1,000 more of a.md, and some of a file that was
        // filtered out (no group): those are not counted
        let left = vec![
            LeftOut {
                code: "R404",
                path: "a.md".into(),
                severity: Severity::Error,
                count: 1000,
            },
            LeftOut {
                code: "R402",
                path: "gone.md".into(),
                severity: Severity::Error,
                count: 7,
            },
        ];
        let (out, omitted) = cap(diags, left, &Config::default());
        let a404: Vec<&Diagnostic> = out
            .iter()
            .filter(|d| d.path == "a.md" && d.code == "R404")
            .collect();
        assert_eq!(a404.len(), MAX_PER_RULE_PER_FILE + 1);
        let note = a404[MAX_PER_RULE_PER_FILE];
        assert!(note.span.is_none());
        assert!(
            note.message.en.starts_with("1005 more R404 findings"),
            "{}",
            note.message.en
        );
        // the note follows the last one listed, before the next file
        let at = out.iter().position(|d| std::ptr::eq(d, note)).unwrap_or(0);
        assert_eq!(out[at - 1].message.en, format!("{max}"));
        assert_eq!(out[at + 1].path, "b.md");
        assert_eq!(omitted.findings, [1005, 0, 0]);
        assert_eq!(omitted.notes, [1, 0, 0]);
        let mut summary = Summary::count(&out, 2, 2);
        omitted.account(&mut summary);
        // every finding counted once: 55 + 1 + 1 + 1000, the note not at all
        assert_eq!((summary.errors, summary.omitted), (1057, 1005));
    }

    #[test]
    fn cap_follows_rules_severities_and_drops_rules_turned_off() {
        let mut config = Config::default();
        config.rules.insert("R404".into(), Level::Warning);
        config.rules.insert("R403".into(), Level::Off);
        let diags: Vec<Diagnostic> = (1..=60)
            .map(|l| finding("R404", "a.md", l, Severity::Error))
            .collect();
        let left = vec![LeftOut {
            code: "R403",
            path: "a.md".into(),
            severity: Severity::Error,
            count: 9,
        }];
        let (out, omitted) = cap(finish(diags, &config), left, &config);
        assert_eq!(out.len(), MAX_PER_RULE_PER_FILE + 1);
        assert!(out.iter().all(|d| d.severity == Severity::Warning));
        assert_eq!(omitted.findings, [0, 10, 0]);
        // a short list is left as it is
        let few = vec![finding("R404", "a.md", 1, Severity::Error)];
        let (same, none) = cap(few.clone(), Vec::new(), &Config::default());
        assert_eq!((same, none), (few, Omitted::default()));
    }

    /// The sample repository and `n` more plans, each with the same few mistakes (ids that
    /// do not exist, a typo, dates out of order, a file name that is not its id), in memory.
    fn sample_with_broken_plans(n: usize) -> crate::load::Loaded {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("plans");
        // the repository's files as yuan's own walk finds them (not `.yuan-cache/` or `out/`)
        let config = crate::load::read_config(&root).expect("config").0;
        let mut files: Vec<(String, Vec<u8>)> = crate::source::discover(&root, &config)
            .0
            .into_iter()
            .map(|f| {
                let bytes = std::fs::read(&f.abs).expect("read");
                (f.rel, bytes)
            })
            .collect();
        let toml = std::fs::read(root.join("yuan.toml")).expect("yuan.toml");
        files.push(("yuan.toml".into(), toml));
        for i in 0..n {
            let (id, file) = match i % 5 {
                0 => (format!("tile-{i}"), format!("tiles/tile-x{i}.md")),
                _ => (format!("tile-{i}"), format!("tiles/tile-{i}.md")),
            };
            let typo = ["yz-gvo", "yz-yjj", "yz-yjjj"][i % 3];
            let text = format!(
                "---\nid: {id}\nkind: department\ntitle: 云州市第{i}部门应急预案\nversion: \"2025.1\"\n\
                 issuer: {typo}\njurisdiction: yz\nlevel: city\nparent: yz-overal\n\
                 dates: {{ issued: 2025-03-10, effective: 2025-03-0{} }}\n---\n\n\
                 # 1. 总则\n\n见[上级预案](plan:tile-missing-{})和[值班室](contact:yz-duty)。\n",
                1 + i % 9,
                i % 7
            );
            files.push((file, text.into_bytes()));
        }
        let options = crate::load::LoadOptions {
            progress: false,
            cache: false,
        };
        crate::load::load_from(crate::source::Reader::in_memory(files), options)
    }

    #[test]
    fn per_document_rules_find_the_same_in_tiles_as_over_the_whole_corpus() {
        // three tiles and a part: findings in every tile, and on tile boundaries
        let loaded = sample_with_broken_plans(3 * TILE);
        let n = loaded.corpus.docs.len();
        assert!(n > 3 * TILE, "{n} documents");
        let today = NaiveDate::from_ymd_opt(2026, 12, 6).expect("date");
        let cx = Context::new(&loaded.corpus, &loaded.config, today);
        let tiled = finish(run(&cx), &loaded.config);
        // each rule on its own, over every document at once
        let cx = Context::new(&loaded.corpus, &loaded.config, today);
        let mut whole = Vec::new();
        for r in registry::RULES
            .iter()
            .filter(|r| r.info().stage == Stage::Corpus)
        {
            r.check_docs(&cx, 0..n, &mut whole);
            r.check(&cx, &mut whole);
        }
        let whole = finish(whole, &loaded.config);
        for code in ["R401", "R402", "H201", "D701", "I103"] {
            let paths: std::collections::BTreeSet<usize> = tiled
                .iter()
                .filter(|d| d.code == code && d.path.starts_with("tiles/"))
                .filter_map(|d| {
                    d.path
                        .trim_start_matches("tiles/tile-")
                        .split(['.', 'x'])
                        .find(|s| !s.is_empty())?
                        .parse()
                        .ok()
                })
                .map(|i: usize| i / TILE)
                .collect();
            assert!(paths.len() >= 3, "{code} in tiles {paths:?}");
        }
        // a typo gets its suggestion in every tile
        let suggested = tiled
            .iter()
            .filter(|d| d.code == "R401" && d.message.en.contains("yz-gvo"))
            .filter(|d| d.message.en.contains("yz-gov"))
            .count();
        assert_eq!(suggested, (0..3 * TILE).filter(|i| i % 3 == 0).count());
        assert_eq!(tiled.len(), whole.len());
        for (a, b) in tiled.iter().zip(&whole) {
            assert_eq!(a, b);
        }
    }

    #[test]
    fn tiles_are_at_most_the_did_you_mean_budget_in_number() {
        assert_eq!(tile_size(10), TILE);
        assert_eq!(tile_size(200 * TILE), TILE);
        for n in [1, 1000, 200 * TILE + 1, 100_000, 1_000_000] {
            let size = tile_size(n);
            assert!(n.div_ceil(size) <= util::Suggester::BUDGET, "{n}: {size}");
        }
    }
}
