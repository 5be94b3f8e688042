//! Plans outside the repository (stage 4, model): what a plan id names when it is not a
//! document here.
//!
//! Takes the corpus (its documents and the registry's `external_plans`) and gives one view of
//! "a plan", [`PlanRef`], over a document of the repository or an external entry, so the
//! hierarchy and alignment rules (H201, H202, H204, A301, A302) reason about both alike and say
//! what they cannot know of an external plan (it has no body and no response levels here).
//!
//! Why: every enterprise plan dovetails with a local government's plan and every provincial plan
//! sits under a national one; those plans are kept by other organisations. Naming them in the
//! registry lets a correct plan be checked as correct instead of failing for a plan yuan cannot
//! see (issue 14 §2).

use super::meta::{Kind, Level, PlanMeta};
use super::registry::ExternalPlan;
use super::{Corpus, Document};

/// Where an external plan's facts come from.
///
/// Today only the registry entry itself. Reserved extension: an entry with a `repository:` key
/// (`{ url, rev, id }`: another yuan repository pinned at a git revision) will be read through a
/// third `source::Reader` backend, and its document will answer for it; the key is not accepted
/// yet (F004), so no repository can come to depend on a half-built form.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Source<'a> {
    /// The facts written in the registry entry.
    Registry(&'a ExternalPlan),
}

impl<'a> Source<'a> {
    pub(crate) fn entry(self) -> &'a ExternalPlan {
        match self {
            Source::Registry(e) => e,
        }
    }
}

/// A plan named by id: a plan document of this repository, or an external plan.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PlanRef<'a> {
    Document(&'a Document, &'a PlanMeta),
    External(Source<'a>),
}

impl<'a> PlanRef<'a> {
    /// What `id` names: a plan document here first (ids are unique across both, I101), then an
    /// external plan. `None` for a missing id, and for a document that is no plan (a card, a
    /// drill record) or whose front matter did not type (its own error is reported once).
    pub(crate) fn find(corpus: &'a Corpus, id: &str) -> Option<PlanRef<'a>> {
        match corpus.doc(id) {
            Some(d) => d.plan().map(|p| PlanRef::Document(d, p)),
            None => corpus
                .registry
                .external_plan(id)
                .map(|e| PlanRef::External(Source::Registry(e))),
        }
    }
    pub(crate) fn is_external(self) -> bool {
        matches!(self, PlanRef::External(_))
    }
    pub(crate) fn title(self) -> &'a str {
        match self {
            PlanRef::Document(_, p) => &p.title,
            PlanRef::External(s) => &s.entry().title,
        }
    }
    pub(crate) fn kind(self) -> Kind {
        match self {
            PlanRef::Document(_, p) => p.kind,
            PlanRef::External(s) => s.entry().kind,
        }
    }
    /// Its jurisdiction (an external plan may have none the registry holds: the nation's).
    pub(crate) fn jurisdiction(self) -> Option<&'a str> {
        match self {
            PlanRef::Document(_, p) => Some(&p.jurisdiction),
            PlanRef::External(s) => s.entry().jurisdiction.as_deref(),
        }
    }
    /// The plan's own `level` (an external entry's, or a document's); the registry's level of
    /// its jurisdiction is [`crate::model::hierarchy`]'s business.
    pub(crate) fn level(self) -> Option<Level> {
        match self {
            PlanRef::Document(_, p) => p.level,
            PlanRef::External(s) => s.entry().level,
        }
    }
    pub(crate) fn hazards(self) -> &'a [String] {
        match self {
            PlanRef::Document(_, p) => &p.hazards,
            PlanRef::External(s) => &s.entry().hazards,
        }
    }
    /// An enterprise plan (a document naming its enterprise; an external comprehensive or
    /// on-site plan).
    pub(crate) fn is_enterprise(self) -> bool {
        match self {
            PlanRef::Document(d, _) => d.is_enterprise(),
            PlanRef::External(s) => s.entry().is_enterprise(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus() -> Corpus {
        let files = [
            (
                "registry/r.yaml",
                "jurisdictions:\n  - { id: qx, name: 青溪县, level: county }\nexternal_plans:\n  - id: qx-overall\n    title: 青溪县突发事件总体应急预案\n    issuers: [青溪县人民政府]\n    jurisdiction: qx\n    kind: overall\n    date: \"2024-06\"\n",
            ),
            (
                "a.md",
                "---\nid: a\nkind: overall\ntitle: 甲\nversion: \"1\"\nissuer: x\njurisdiction: qx\nlevel: county\ndates: { issued: 2024-01-01, effective: 2024-01-01 }\n---\n\n# 甲\n",
            ),
        ];
        let reader = crate::source::Reader::in_memory(
            files.map(|(p, t)| (p.to_string(), t.as_bytes().to_vec())),
        );
        crate::load::load_from(reader, crate::load::LoadOptions::default()).corpus
    }

    #[test]
    fn an_id_names_a_document_first_then_an_external_plan() {
        let corpus = corpus();
        let c = &corpus;
        let a = PlanRef::find(c, "a").expect("document");
        assert!(!a.is_external());
        assert_eq!(a.title(), "甲");
        let e = PlanRef::find(c, "qx-overall").expect("external");
        assert!(e.is_external());
        assert_eq!(
            (e.kind(), e.jurisdiction(), e.is_enterprise()),
            (Kind::Overall, Some("qx"), false)
        );
        assert!(PlanRef::find(c, "nowhere").is_none());
    }
}
