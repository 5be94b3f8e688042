//! Documents that failed their schema (F003), as the check stage sees them (stage 6).
//!
//! Takes the corpus; gives, once per run, what each such document still says in its untyped
//! front matter, and the note a rule gives when it skips one. A document whose front matter
//! does not type keeps only its id and kind ([`crate::model::Meta::Invalid`]), so a rule that
//! looks for "the overall plan of `qx`" or "a card for this post" would not see it and would
//! report it missing; a rule that follows a reference to it would call it "not a plan". Those
//! are knock-on findings of the one root cause F003 already reports (issue 14 §6). Such rules
//! ask [`Broken::may_be`] whether a broken document could be the one they look for, and give
//! [`skipped`] (an `info` note, saying the check was skipped and why) instead of an error.

use crate::check::RuleInfo;
use crate::diag::{Diagnostic, Severity};
use crate::model::meta::Kind;
use crate::model::{Corpus, Document};
use crate::text;
use serde_json::Value;

/// The documents of a run that failed their schema, with their untyped front matter (read once,
/// and only for those: a repository without F003 pays one pass over its documents).
#[derive(Debug, Default)]
pub(crate) struct Broken {
    /// `(index in corpus.docs, untyped front matter)`; `Value::Null` when it cannot be read.
    docs: Vec<(usize, Value)>,
}

impl Broken {
    pub(crate) fn gather(corpus: &Corpus) -> Self {
        Broken {
            docs: corpus
                .docs
                .iter()
                .enumerate()
                .filter(|(_, d)| d.is_broken())
                .map(|(i, d)| (i, untyped(d)))
                .collect(),
        }
    }

    /// The first broken document of a kind in `kinds` (or of no known kind) whose untyped front
    /// matter `fits`: the one a rule may have failed to see.
    pub(crate) fn may_be<'c>(
        &self,
        corpus: &'c Corpus,
        kinds: &[Kind],
        fits: impl Fn(&Untyped) -> bool,
    ) -> Option<&'c Document> {
        self.docs.iter().find_map(|(i, v)| {
            let d = corpus.docs.get(*i)?;
            let kind_fits = d.kind.is_none_or(|k| kinds.contains(&k));
            (kind_fits && fits(&Untyped(v))).then_some(d)
        })
    }

    /// Every broken document of a kind in `kinds` whose untyped front matter `fits`, in corpus
    /// order (a generator that gathers the parts of a whole leaves them out, and says so).
    pub(crate) fn all_that<'c>(
        &self,
        corpus: &'c Corpus,
        kinds: &[Kind],
        fits: impl Fn(&Untyped) -> bool,
    ) -> Vec<&'c Document> {
        self.docs
            .iter()
            .filter_map(|(i, v)| {
                let d = corpus.docs.get(*i)?;
                let kind_fits = d.kind.is_some_and(|k| kinds.contains(&k));
                (kind_fits && fits(&Untyped(v))).then_some(d)
            })
            .collect()
    }

    /// The titles broken documents still give as text (a plan cited by its title is then known).
    pub(crate) fn titles(&self) -> impl Iterator<Item = &str> {
        self.docs
            .iter()
            .filter_map(|(_, v)| v.get("title").and_then(Value::as_str))
    }

    /// The first broken document whose title cannot be read: any cited title may be its own.
    pub(crate) fn untitled<'c>(&self, corpus: &'c Corpus) -> Option<&'c Document> {
        self.docs
            .iter()
            .find(|(_, v)| v.get("title").and_then(Value::as_str).is_none())
            .and_then(|(i, _)| corpus.docs.get(*i))
    }

    /// Whether the broken document `i` says it belongs to an enterprise (`enterprise:` present),
    /// for the section profile of a kind that both governments and enterprises write.
    pub(crate) fn is_enterprise(&self, i: usize) -> Option<bool> {
        self.docs
            .iter()
            .find(|(j, _)| *j == i)
            .map(|(_, v)| v.get("enterprise").is_some_and(|e| !e.is_null()))
    }
}

/// The untyped front matter of document `d` with what it inherits from `_defaults.yaml` files
/// (its own keys first): a part whose `enterprise` is written once for the whole plan is still
/// an enterprise's. A value whose defaults file is not at hand (a cached run) is `true`: there,
/// of unknown type.
fn untyped(d: &Document) -> Value {
    let mut v = d.yaml.untyped().unwrap_or(Value::Null);
    if let Value::Object(own) = &mut v {
        for inh in &d.inherited {
            let Some(key) = inh
                .pointer
                .strip_prefix('/')
                .and_then(|p| p.split('/').next())
            else {
                continue;
            };
            if own.contains_key(key) {
                continue;
            }
            let value = (inh.yaml.as_ref())
                .and_then(|y| y.untyped())
                .and_then(|src| src.get(key).cloned())
                .unwrap_or(Value::Bool(true));
            own.insert(key.to_string(), value);
        }
    }
    v
}

/// A broken document's untyped front matter. A field of the wrong type is *unknown*, so it
/// may be anything: the questions below answer "maybe" (true) for it.
pub(crate) struct Untyped<'a>(&'a Value);

impl Untyped<'_> {
    /// Field `key` is `want`, or not a readable string (absent or of the wrong type: unknown).
    pub(crate) fn may_equal(&self, key: &str, want: &str) -> bool {
        match self.0.get(key) {
            Some(Value::String(s)) => s == want,
            _ => true,
        }
    }
    /// Field `key` is a list holding `want`, or not a readable list of strings.
    pub(crate) fn may_contain(&self, key: &str, want: &str) -> bool {
        match self.0.get(key) {
            Some(Value::Array(a)) if a.iter().all(Value::is_string) => {
                a.iter().any(|x| x.as_str() == Some(want))
            }
            _ => true,
        }
    }
    /// A drill record's `plans` may list plan `id` (a list entry `{plan: id}`, or an entry or
    /// a list that cannot be read).
    pub(crate) fn may_exercise(&self, id: &str) -> bool {
        match self.0.get("plans") {
            Some(Value::Array(a)) => a.iter().any(|p| match p.get("plan") {
                Some(Value::String(s)) => s == id,
                _ => true,
            }),
            _ => true,
        }
    }
    /// Field `key` is the string `want` (not "maybe": a field that cannot be read is not).
    pub(crate) fn is(&self, key: &str, want: &str) -> bool {
        self.0.get(key).and_then(Value::as_str) == Some(want)
    }
    /// Field `key` is absent or null.
    pub(crate) fn lacks(&self, key: &str) -> bool {
        self.0.get(key).is_none_or(Value::is_null)
    }
}

/// The note a rule gives instead of a finding it could not make because `broken` failed its
/// schema: an `info` at `pointer` of `at`, naming the broken document and its F003, saying the
/// check was skipped; `context` says what was skipped.
pub(crate) fn skipped(
    info: &'static RuleInfo,
    at: &Document,
    pointer: &str,
    broken: &Document,
    context: (&str, &str),
) -> Diagnostic {
    let id = broken.id.as_deref().unwrap_or("?");
    let path = &broken.path;
    let (cz, ce) = context;
    let mut d = crate::check::util::at_doc(
        info,
        at,
        pointer,
        text!(
            "`{id}` 有格式错误（F003，{path}），已跳过{cz}",
            "`{id}` has a schema error (F003, {path}): {ce} skipped"
        ),
    )
    .help(text!(
        "先修正 {path} 的格式错误（F003）；修正后本项检查会照常进行",
        "fix the schema error (F003) of {path} first; this check then runs as usual"
    ));
    d.severity = Severity::Info;
    d
}
