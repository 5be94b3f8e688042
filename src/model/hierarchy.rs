//! The "1+N+X" hierarchy as data: which kinds may hang under which (docs/format.md §1), and
//! which jurisdiction contains which (the registry's `parent` chain).

use super::meta::{Kind, Level, PlanMeta};
use super::{Corpus, Document};

/// Kinds a document of `kind` may name as `parent`.
pub(crate) fn allowed_parents(kind: Kind, enterprise: bool) -> &'static [Kind] {
    match (kind, enterprise) {
        (Kind::Overall, _) => &[Kind::Overall],
        (Kind::Special, false) => &[Kind::Overall],
        (Kind::Department, _) | (Kind::Grassroots, _) => &[Kind::Overall, Kind::Special],
        (Kind::Joint, _) => &[Kind::Overall],
        (Kind::Comprehensive, _) => &[],
        (Kind::Special, true) => &[Kind::Comprehensive],
        (Kind::Onsite, _) => &[Kind::Comprehensive, Kind::Special],
        (Kind::Card, _) => &[Kind::Onsite],
        (Kind::Drill, _) => &[],
    }
}

/// The jurisdiction one level up, from the registry.
pub(crate) fn parent_jurisdiction<'a>(corpus: &'a Corpus, id: &str) -> Option<&'a str> {
    corpus
        .registry
        .jurisdiction(id)
        .and_then(|j| j.parent.as_deref())
}

/// The level of a jurisdiction (registry), or of the plan if the registry does not know it.
pub(crate) fn level_of(corpus: &Corpus, plan: &PlanMeta) -> Option<Level> {
    corpus
        .registry
        .jurisdiction(&plan.jurisdiction)
        .map(|j| j.level)
        .or(plan.level)
}

/// Whether a government plan's jurisdiction is the top of the hierarchy: national; a province
/// with no jurisdiction above it in the registry (a repository without a national level); or
/// any jurisdiction the registry knows without a parent. A province under a national
/// jurisdiction (`parent: cn`) is not the top.
pub(crate) fn is_top(corpus: &Corpus, plan: &PlanMeta) -> bool {
    let above = parent_jurisdiction(corpus, &plan.jurisdiction).is_some();
    match level_of(corpus, plan) {
        Some(Level::National) => true,
        Some(Level::Province) => !above,
        _ => !above && corpus.registry.jurisdiction(&plan.jurisdiction).is_some(),
    }
}

/// Whether `ancestor` is a strict ancestor jurisdiction of `id`.
pub(crate) fn is_ancestor(corpus: &Corpus, ancestor: &str, id: &str) -> bool {
    let mut cur = parent_jurisdiction(corpus, id);
    let mut hops = 0;
    while let Some(j) = cur {
        if j == ancestor {
            return true;
        }
        hops += 1;
        if hops > 16 {
            return false;
        }
        cur = parent_jurisdiction(corpus, j);
    }
    false
}

/// Whether the jurisdiction `outer` contains `inner` (the same, or an ancestor through the
/// registry's `parent` chain). `None` when either is not in the registry (R401 reports that),
/// so no rule builds a second finding on an unknown id.
pub(crate) fn contains(corpus: &Corpus, outer: &str, inner: &str) -> Option<bool> {
    let reg = &corpus.registry;
    if reg.jurisdiction(outer).is_none() || reg.jurisdiction(inner).is_none() {
        return None;
    }
    Some(outer == inner || is_ancestor(corpus, outer, inner))
}

/// The jurisdiction a plan is of, for containment: an enterprise plan's is its enterprise
/// organisation's (when the registry gives one), every other plan's its `jurisdiction`.
pub(crate) fn home_jurisdiction<'a>(corpus: &'a Corpus, plan: &'a PlanMeta) -> &'a str {
    plan.enterprise
        .as_deref()
        .and_then(|e| corpus.registry.organization(e))
        .and_then(|o| o.jurisdiction.as_deref())
        .unwrap_or(&plan.jurisdiction)
}

/// Whether this document must name a parent.
pub(crate) fn parent_required(corpus: &Corpus, doc: &Document) -> bool {
    match &doc.meta {
        super::Meta::Card(_) => true,
        super::Meta::Plan(p) => match p.kind {
            Kind::Comprehensive | Kind::Joint => false,
            Kind::Overall => {
                let registry_parent = parent_jurisdiction(corpus, &p.jurisdiction).is_some();
                !is_top(corpus, p)
                    && (registry_parent || corpus.registry.jurisdiction(&p.jurisdiction).is_none())
            }
            _ => true,
        },
        super::Meta::Drill(_) | super::Meta::Invalid => false,
    }
}
