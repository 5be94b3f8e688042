//! The check stage: rules over a loaded [`Corpus`], each in its own file under `rules/`.
//!
//! A rule has a stable code, a default severity and documentation (its doc comment, printed by
//! `yuan explain CODE`). Rules that need the raw file (front matter syntax, placeholders) report
//! during loading; the others run here, in parallel, over the typed corpus. The repository's
//! `[rules]` table changes severities or turns rules off after everything has run.

pub mod links;
pub mod registry;
pub mod rules;
pub mod scope;
pub mod sections;
pub mod util;

use crate::config::{Config, Level};
use crate::diag::{Diagnostic, Severity, Span, Text};
use crate::model::{Corpus, Document};
use chrono::NaiveDate;
use rayon::prelude::*;

/// When a rule reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// While reading a file (syntax, encoding, schema, placeholders).
    Load,
    /// Over the whole loaded repository (references, hierarchy, sections, dates).
    Corpus,
}

/// What `yuan explain` knows about a rule.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub stage: Stage,
    /// One-line summary (zh, en).
    pub summary: (&'static str, &'static str),
    /// The rule's doc comment.
    pub doc: &'static str,
}

impl RuleInfo {
    /// A diagnostic of this rule with its default severity.
    pub fn at(&'static self, path: &str, span: Option<Span>, message: Text) -> Diagnostic {
        Diagnostic::new(self.code, self.severity, path, message).span(span)
    }
    /// The doc comment without rustdoc's leading space.
    pub fn doc_text(&self) -> String {
        self.doc
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string()
    }
}

/// Rules about a plan's upkeep (assessment, filing, drills and their follow-up), not about what
/// it says. A plan they flag is still the plan in force, so the generators print it (and show the
/// finding) instead of leaving it out: a handbook missing the plan whose drill is overdue would
/// help nobody in an emergency. Every other error keeps a document out of print, because a wrong
/// number on paper is worse than none.
pub const UPKEEP_RULES: &[&str] = &["D702", "D703", "E002", "E003", "E004", "E005"];

/// Whether a finding keeps its document out of generated cards, handbooks and packs: errors do,
/// except those of [`UPKEEP_RULES`].
pub fn keeps_out_of_print(d: &Diagnostic) -> bool {
    d.severity == crate::diag::Severity::Error && !UPKEEP_RULES.contains(&d.code)
}

/// Declares a rule: a unit struct whose doc comment is its documentation.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $name:ident {
            code: $code:literal,
            name: $rname:literal,
            severity: $sev:ident,
            stage: $stage:ident,
            summary: ($zh:literal, $en:literal) $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, Default)]
        $vis struct $name;
        impl $name {
            pub const INFO: $crate::check::RuleInfo = $crate::check::RuleInfo {
                code: $code,
                name: $rname,
                severity: $crate::diag::Severity::$sev,
                stage: $crate::check::Stage::$stage,
                summary: ($zh, $en),
                doc: concat!($($doc, "\n"),*),
            };
        }
    };
}

/// Everything a rule may look at.
pub struct Context<'a> {
    pub corpus: &'a Corpus,
    pub config: &'a Config,
    pub today: NaiveDate,
    /// Section profiles, compiled once.
    pub sections: sections::Profiles,
    /// Where each document's required sections are (computed once, shared by S501–S503).
    found: std::sync::OnceLock<Vec<Vec<Option<usize>>>>,
    /// Upstreams of `aligned` records, now and at their recorded commits (read once, for A304).
    alignment: std::sync::OnceLock<crate::align::Facts>,
    /// With `--changed-since`: the documents whose own findings are reported (see [`Self::docs`]).
    focus: Option<Vec<bool>>,
    /// The same, by path.
    focus_paths: Option<std::collections::BTreeSet<String>>,
}

impl<'a> Context<'a> {
    pub fn new(corpus: &'a Corpus, config: &'a Config, today: NaiveDate) -> Self {
        Context {
            corpus,
            config,
            today,
            sections: sections::Profiles::new(config),
            found: std::sync::OnceLock::new(),
            alignment: std::sync::OnceLock::new(),
            focus: None,
            focus_paths: None,
        }
    }

    /// Restricts per-document rules to the documents at `paths` (`--changed-since`: only their
    /// findings are reported, so looking for the others' is wasted work).
    pub fn focus_on(&mut self, paths: &std::collections::BTreeSet<String>) {
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
    pub fn reports_on(&self, d: &Document) -> bool {
        self.focus_paths
            .as_ref()
            .is_none_or(|p| p.contains(d.path.as_str()))
    }

    /// The documents a per-document rule looks at: every document, or only those in focus.
    /// Only rules whose findings are about the document they look at may use this; rules over
    /// the whole corpus (duplicate ids, cycles, coverage) iterate `corpus.docs`.
    pub fn docs(&self) -> impl Iterator<Item = &'a Document> + Clone + '_ {
        self.indexed_docs().map(|(_, d)| d)
    }

    /// [`Self::docs`] with each document's index in `corpus.docs`.
    pub fn indexed_docs(&self) -> impl Iterator<Item = (usize, &'a Document)> + Clone + '_ {
        let docs: &'a [Document] = &self.corpus.docs;
        docs.iter()
            .enumerate()
            .filter(move |(i, _)| self.in_focus(*i))
    }

    fn sections_of_all(&self) -> &Vec<Vec<Option<usize>>> {
        self.found.get_or_init(|| {
            self.corpus
                .docs
                .par_iter()
                .enumerate()
                .map(|(i, d)| match d.kind {
                    Some(k) if self.in_focus(i) => {
                        sections::analyse(d, self.sections.for_kind(k, d.is_enterprise())).found
                    }
                    _ => Vec::new(),
                })
                .collect()
        })
    }

    /// What the upstreams of `aligned` records look like now and when they were reviewed.
    pub fn alignment(&self) -> &crate::align::Facts {
        self.alignment
            .get_or_init(|| crate::align::Facts::gather(self.corpus, self.docs()))
    }

    /// The required sections of document `i` and the heading each was found at.
    pub fn sections_of(&self, i: usize) -> (&[sections::Compiled], &[Option<usize>]) {
        let d = &self.corpus.docs[i];
        let specs = match d.kind {
            Some(k) => self.sections.for_kind(k, d.is_enterprise()),
            None => &[],
        };
        (specs, &self.sections_of_all()[i])
    }
}

/// A rule over the corpus.
pub trait Rule: Sync {
    fn info(&self) -> &'static RuleInfo;
    /// Reports into `out`. Load-stage rules report while loading and do nothing here.
    fn check(&self, _cx: &Context, _out: &mut Vec<Diagnostic>) {}
}

/// Runs every corpus rule (in parallel) and returns their diagnostics.
pub fn run(cx: &Context) -> Vec<Diagnostic> {
    // Shared analyses first, on all threads, so no rule waits on another's lazy init.
    let _ = cx.sections_of_all();
    let t = std::time::Instant::now();
    let _ = cx.alignment();
    crate::timing::report("alignment facts (A304)", t.elapsed());
    registry::RULES
        .par_iter()
        .filter(|r| r.info().stage == Stage::Corpus)
        .filter(|r| cx.config.rules.get(r.info().code) != Some(&Level::Off))
        .flat_map_iter(|r| {
            let mut out = Vec::new();
            let t = std::time::Instant::now();
            r.check(cx, &mut out);
            crate::timing::report(r.info().code, t.elapsed());
            out
        })
        .collect()
}

/// Applies the repository's `[rules]` severities and sorts: the final list.
pub fn finish(mut diags: Vec<Diagnostic>, config: &Config) -> Vec<Diagnostic> {
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
