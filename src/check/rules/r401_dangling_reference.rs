use crate::check::util::{at_doc, at_entry, Suggester};
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::{Diagnostic, Text};
use crate::model::meta::{CardMeta, PlanMeta};
use crate::model::Corpus;
use crate::text;

declare_rule! {
    /// 引用不存在 · Dangling reference
    ///
    /// ## What it checks · 检查内容
    /// Every id in front matter and registries resolves: `issuer`, `lead_department`,
    /// `enterprise` (organisations), `jurisdiction`, `links.upper`/`links.related` (documents),
    /// `hazards`/`hazard`, roles in `organization`, `tasks`, `warning_levels`, `reporting` and
    /// card steps, `contacts`/`report_to`, `resources`; in registries, every `parent`, `org`,
    /// `jurisdiction`, `contact`, `custodian` and `hazards`. (`parent` is H201; response-level
    /// leads are A303.)
    /// 头信息和登记册中引用的每个 id 都必须存在。
    ///
    /// ## Why it matters · 为什么重要
    /// Annex information (contacts, teams, stockpiles) must be current and complete
    /// (管理办法 Art. 16, GB/T 29639-2020 §9.4–9.5). A handbook or card built from a dangling
    /// reference prints an empty contact or a team that no longer exists, exactly when it is needed.
    ///
    /// ## Example · 示例
    /// ```yaml
    /// contacts: [qx-yjj-duty, qx-slj-dutty]
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Correct the id (see the suggestion), or define the entry in `registry/`.
    pub struct DanglingReference {
        code: "R401",
        name: "dangling-reference",
        severity: Error,
        stage: Corpus,
        summary: ("引用的 id 不存在", "referenced id does not exist"),
    }
}

/// What an id refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Document,
    Organization,
    Jurisdiction,
    Role,
    Contact,
    Resource,
    Hazard,
}

impl Target {
    pub fn names(self) -> (&'static str, &'static str) {
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
    pub fn from_scheme(s: &str) -> Option<Target> {
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
    /// The id index this target resolves in.
    fn index(self, c: &Corpus) -> &crate::model::IdMap {
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
    pub fn exists(self, c: &Corpus, id: &str) -> bool {
        self.index(c).contains_key(id)
    }
    pub fn candidates(self, c: &Corpus) -> Vec<&str> {
        self.index(c).keys().map(String::as_str).collect()
    }
}

/// The message for an id that does not resolve.
pub fn missing(c: &Corpus, target: Target, id: &str, near: &mut Suggester) -> (Text, Text) {
    let (zh, en) = target.names();
    let (sz, se) = near.did_you_mean(target.names().1, id, || target.candidates(c));
    let reg = if target == Target::Document {
        (
            "`yuan list` 可列出全部文档",
            "`yuan list` shows every document",
        )
    } else {
        (
            "请在 registry/ 中定义，或改正 id",
            "define it in registry/, or correct the id",
        )
    };
    (
        text!("{zh} `{id}` 不存在{sz}", "{en} `{id}` does not exist{se}"),
        Text::new(reg.0, reg.1),
    )
}

/// A JSON pointer into front matter, rendered only when a reference fails (most never do).
#[derive(Debug, Clone, Copy)]
pub struct Ptr {
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
    pub fn render(&self) -> String {
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
pub fn plan_refs<'a>(p: &'a PlanMeta, f: &mut impl FnMut(Ptr, Target, &'a str)) {
    f(Ptr::field("/issuer"), Target::Organization, &p.issuer);
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
    if let Some(o) = &*p.organization {
        for (i, rd) in o.roles.iter().enumerate() {
            f(
                Ptr::item("/organization/roles", i, "/role"),
                Target::Role,
                &rd.role,
            );
        }
    }
    for (i, l) in p.response_levels.iter().enumerate() {
        for (j, t) in l.tasks.iter().enumerate() {
            let ptr = Ptr {
                base: "/response_levels",
                i: Some(i),
                mid: "/tasks",
                j: Some(j),
                tail: "/role",
            };
            f(ptr, Target::Role, &t.role);
        }
    }
    for (i, w) in p.warning_levels.iter().enumerate() {
        if let Some(x) = &w.issued_by {
            f(
                Ptr::item("/warning_levels", i, "/issued_by"),
                Target::Role,
                x,
            );
        }
    }
    for (i, s) in p.reporting.iter().enumerate() {
        f(Ptr::item("/reporting", i, "/from"), Target::Role, &s.from);
        f(Ptr::item("/reporting", i, "/to"), Target::Role, &s.to);
    }
}

/// Calls `f` for every reference of a card's front matter, except `parent`.
pub fn card_refs<'a>(c: &'a CardMeta, f: &mut impl FnMut(Ptr, Target, &'a str)) {
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

impl Rule for DanglingReference {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let c = cx.corpus;
        let mut near = Suggester::default();
        for d in cx.docs() {
            let mut report = |ptr: Ptr, t: Target, id: &str| {
                if !t.exists(c, id) {
                    let (msg, help) = missing(c, t, id, &mut near);
                    out.push(at_doc(&Self::INFO, d, &ptr.render(), msg).help(help));
                }
            };
            match (d.plan(), d.card()) {
                (Some(p), _) => plan_refs(p, &mut report),
                (_, Some(card)) => card_refs(card, &mut report),
                _ => {}
            }
        }
        let reg = &c.registry;
        let mut check =
            |origin: &crate::model::Origin, suffix: &str, t: Target, id: Option<&String>| {
                if let Some(id) = id {
                    if !t.exists(c, id) {
                        let (msg, help) = missing(c, t, id, &mut near);
                        out.push(at_entry(&Self::INFO, reg, origin, suffix, msg).help(help));
                    }
                }
            };
        for e in &reg.jurisdictions {
            check(
                &e.origin,
                "/parent",
                Target::Jurisdiction,
                e.item.parent.as_ref(),
            );
        }
        for e in &reg.organizations {
            check(
                &e.origin,
                "/jurisdiction",
                Target::Jurisdiction,
                e.item.jurisdiction.as_ref(),
            );
            check(
                &e.origin,
                "/parent",
                Target::Organization,
                e.item.parent.as_ref(),
            );
        }
        for e in &reg.roles {
            check(&e.origin, "/org", Target::Organization, e.item.org.as_ref());
            check(
                &e.origin,
                "/contact",
                Target::Contact,
                e.item.contact.as_ref(),
            );
        }
        for e in &reg.contacts {
            check(&e.origin, "/org", Target::Organization, e.item.org.as_ref());
        }
        for e in &reg.resources {
            check(&e.origin, "/org", Target::Organization, e.item.org.as_ref());
            check(
                &e.origin,
                "/custodian",
                Target::Contact,
                e.item.custodian.as_ref(),
            );
            for (i, h) in e.item.hazards.iter().enumerate() {
                check(&e.origin, &format!("/hazards/{i}"), Target::Hazard, Some(h));
            }
        }
    }
}
