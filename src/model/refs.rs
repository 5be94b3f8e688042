//! References between documents and registry entries: what an id refers to ([`Target`]) and
//! where a document's front matter names one ([`plan_refs`], [`card_refs`]).
//!
//! A document id may name a document of the repository or an external plan of the registry
//! (`external_plans`, see [`super::external`]).
//!
//! Domain knowledge, not a rule: R401 reports the references that do not resolve, handbooks
//! follow them, alignment and `--changed-since` ask which documents a document depends on.

use super::meta::{CardMeta, PlanMeta};
use super::{skim, Corpus, IdMap};

/// What an id refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    Document,
    Organization,
    Jurisdiction,
    Role,
    Contact,
    Resource,
    Hazard,
}

impl Target {
    /// The targets defined in registry files, in the order of a registry file's lists.
    pub(crate) const REGISTERED: [Target; 6] = [
        Target::Jurisdiction,
        Target::Organization,
        Target::Role,
        Target::Contact,
        Target::Resource,
        Target::Hazard,
    ];
    pub(crate) fn names(self) -> (&'static str, &'static str) {
        match self {
            Target::Document => ("文档", "document"),
            Target::Organization => ("机构", "organization"),
            Target::Jurisdiction => ("行政区", "jurisdiction"),
            Target::Role => ("角色", "role"),
            Target::Contact => ("联系人", "contact"),
            Target::Resource => ("资源", "resource"),
            Target::Hazard => ("灾种", "hazard"),
        }
    }
    /// Parses the scheme of a typed body link (`role:`, `plan:` …).
    pub(crate) fn from_scheme(s: &str) -> Option<Target> {
        Some(match s {
            "plan" | "doc" | "card" => Target::Document,
            "org" => Target::Organization,
            "jurisdiction" => Target::Jurisdiction,
            "role" => Target::Role,
            "contact" => Target::Contact,
            "resource" => Target::Resource,
            "hazard" => Target::Hazard,
            _ => return None,
        })
    }
    /// The list of a registry file that defines this target's entries (`None` for documents).
    pub(crate) fn registry_list(self) -> Option<&'static str> {
        Some(match self {
            Target::Organization => "organizations",
            Target::Jurisdiction => "jurisdictions",
            Target::Role => "roles",
            Target::Contact => "contacts",
            Target::Resource => "resources",
            Target::Hazard => "hazards",
            Target::Document => return None,
        })
    }
    /// The id index this target resolves in.
    fn index(self, c: &Corpus) -> &IdMap {
        let i = &c.registry.index;
        match self {
            Target::Document => &c.by_id,
            Target::Organization => &i.organizations,
            Target::Jurisdiction => &i.jurisdictions,
            Target::Role => &i.roles,
            Target::Contact => &i.contacts,
            Target::Resource => &i.resources,
            Target::Hazard => &i.hazards,
        }
    }
    /// Whether `id` resolves. A document id may also name an external plan of the registry
    /// (`external_plans`): plans name those wherever they name a plan.
    pub(crate) fn exists(self, c: &Corpus, id: &str) -> bool {
        self.index(c).contains_key(id)
            || (self == Target::Document && c.registry.index.external_plans.contains_key(id))
    }
    /// The ids `id` could have meant (for did-you-mean).
    pub(crate) fn candidates(self, c: &Corpus) -> Vec<&str> {
        let external = (self == Target::Document).then_some(&c.registry.index.external_plans);
        (self
            .index(c)
            .keys()
            .chain(external.into_iter().flat_map(|m| m.keys())))
        .map(String::as_str)
        .collect()
    }
}

/// A JSON pointer into front matter, rendered only when a reference fails (most never do).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ptr {
    base: &'static str,
    i: Option<usize>,
    mid: &'static str,
    j: Option<usize>,
    tail: &'static str,
}

impl Ptr {
    const fn field(base: &'static str) -> Ptr {
        Ptr {
            base,
            i: None,
            mid: "",
            j: None,
            tail: "",
        }
    }
    const fn item(base: &'static str, i: usize, tail: &'static str) -> Ptr {
        Ptr {
            base,
            i: Some(i),
            mid: "",
            j: None,
            tail,
        }
    }
    pub(crate) fn render(&self) -> String {
        let mut s = self.base.to_string();
        for (sep, n) in [("", self.i), (self.mid, self.j)] {
            s.push_str(sep);
            if let Some(n) = n {
                s.push('/');
                s.push_str(&n.to_string());
            }
        }
        s.push_str(self.tail);
        s
    }
}

/// Calls `f` for every reference of a plan's front matter, except `parent` and response-level
/// leads (H201, A303).
pub(crate) fn plan_refs<'a>(p: &'a PlanMeta, f: &mut impl FnMut(Ptr, Target, &'a str)) {
    match p.issuer.ids() {
        [one] if !p.issuer.is_listed() => f(Ptr::field("/issuer"), Target::Organization, one),
        ids => {
            for (i, id) in ids.iter().enumerate() {
                f(Ptr::item("/issuer", i, ""), Target::Organization, id);
            }
        }
    }
    if let Some(x) = &p.lead_department {
        f(Ptr::field("/lead_department"), Target::Organization, x);
    }
    if let Some(x) = &p.enterprise {
        f(Ptr::field("/enterprise"), Target::Organization, x);
    }
    f(
        Ptr::field("/jurisdiction"),
        Target::Jurisdiction,
        &p.jurisdiction,
    );
    let lists: [(&'static str, Target, &'a [String]); 5] = [
        ("/links/upper", Target::Document, &p.links.upper),
        ("/links/related", Target::Document, &p.links.related),
        ("/hazards", Target::Hazard, &p.hazards),
        ("/contacts", Target::Contact, &p.contacts),
        ("/resources", Target::Resource, &p.resources),
    ];
    for (base, t, ids) in lists {
        for (i, id) in ids.iter().enumerate() {
            f(Ptr::item(base, i, ""), t, id);
        }
    }
    // the lazy parts are read in place (`super::skim`): a warm check decodes none of them
    for (i, role) in skim::organization_roles(p).enumerate() {
        f(
            Ptr::item("/organization/roles", i, "/role"),
            Target::Role,
            role,
        );
    }
    for (i, l) in skim::levels(p).enumerate() {
        for (j, role) in l.task_roles().enumerate() {
            let ptr = Ptr {
                base: "/response_levels",
                i: Some(i),
                mid: "/tasks",
                j: Some(j),
                tail: "/role",
            };
            f(ptr, Target::Role, role);
        }
    }
    for (i, x) in skim::warning_issuers(p).enumerate() {
        if let Some(x) = x {
            f(
                Ptr::item("/warning_levels", i, "/issued_by"),
                Target::Role,
                x,
            );
        }
    }
    for (i, (from, to)) in skim::reporting_roles(p).enumerate() {
        f(Ptr::item("/reporting", i, "/from"), Target::Role, from);
        f(Ptr::item("/reporting", i, "/to"), Target::Role, to);
    }
}

/// Calls `f` for every reference of a card's front matter, except `parent`.
pub(crate) fn card_refs<'a>(c: &'a CardMeta, f: &mut impl FnMut(Ptr, Target, &'a str)) {
    f(
        Ptr::field("/enterprise"),
        Target::Organization,
        &c.enterprise,
    );
    if let Some(x) = &c.jurisdiction {
        f(Ptr::field("/jurisdiction"), Target::Jurisdiction, x);
    }
    f(Ptr::field("/hazard"), Target::Hazard, &c.hazard);
    for (i, id) in c.report_to.iter().enumerate() {
        f(Ptr::item("/report_to", i, ""), Target::Contact, id);
    }
    for (i, s) in c.steps.iter().enumerate() {
        if let Some(x) = &s.who {
            f(Ptr::item("/steps", i, "/who"), Target::Role, x);
        }
    }
}
