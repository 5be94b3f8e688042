use crate::check::util::{at_doc, at_entry, Suggester};
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::{Diagnostic, Text};
use crate::model::refs::{card_refs, plan_refs, Ptr, Target};
use crate::model::Corpus;
use crate::text;
use std::ops::Range;

declare_rule! {
    /// 引用不存在 · Dangling reference
    ///
    /// ## What it checks · 检查内容
    /// Every id in front matter and registries resolves: `issuer`, `lead_department`,
    /// `enterprise` (organisations), `jurisdiction`, `links.upper`/`links.related` (documents),
    /// `hazards`/`hazard`, roles in `organization`, `tasks`, `warning_levels`, `reporting` and
    /// card steps, `contacts`/`report_to`, `resources`; in registries, every `parent`, `org`,
    /// `jurisdiction`, `contact`, `custodian` and `hazards` (external plans' too). A plan id may
    /// name a document or an external plan of the registry (`external_plans`). (`parent` is
    /// H201; response-level leads are A303.)
    ///
    /// 头信息和登记册中引用的每个 id 都必须存在。
    ///
    /// ## Why it matters · 为什么重要
    /// Annex information (contacts, teams, stockpiles) must be current and complete
    /// (管理办法 Art. 16, GB/T 29639-2020 §9.4–9.5). A handbook or card built from a dangling
    /// reference prints an empty contact or a team that no longer exists, exactly when it is needed.
    ///
    /// 附件信息（联系方式、队伍、物资）必须及时、完整（《生产安全事故应急预案管理办法》
    /// 第十六条，GB/T 29639-2020 第 9.4—9.5 条）。由悬空引用生成的工作手册或处置卡，
    /// 会在最需要的时候印出空白的联系人或已不存在的队伍。
    ///
    /// ## Example · 示例
    /// ```yaml
    /// contacts: [qx-yjj-duty, qx-slj-dutty]
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Correct the id (see the suggestion), or define the entry in `registry/`.
    ///
    /// 按提示改正 id，或在 `registry/` 中定义该条目。
    pub(crate) struct DanglingReference {
        code: "R401",
        name: "dangling-reference",
        severity: Error,
        stage: Corpus,
        summary: ("引用的 id 不存在", "referenced id does not exist"),
    }
}

/// The message for an id that does not resolve.
pub(crate) fn missing(c: &Corpus, target: Target, id: &str, near: &mut Suggester) -> (Text, Text) {
    let (zh, en) = target.names();
    let (sz, se) = near.did_you_mean(target.names().1, id, || target.candidates(c));
    let reg = if target == Target::Document {
        (
            "`yuan list` 可列出全部文档；库外的预案请登记在 registry/ 的 `external_plans` 中",
            "`yuan list` shows every document; declare a plan kept elsewhere in `external_plans` of registry/",
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

impl Rule for DanglingReference {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check_docs(&self, cx: &Context, docs: Range<usize>, out: &mut Vec<Diagnostic>) {
        let c = cx.corpus;
        let mut near = Suggester::for_tile(cx, &docs);
        for d in cx.docs_in(docs) {
            // ids recur within a plan (one role leads every response level and acts in its
            // tasks): each one found is looked up once per document
            let mut found: Vec<(Target, &str)> = Vec::new();
            let mut report = |ptr: Ptr, t: Target, id| {
                if found.iter().any(|&(ft, fid)| ft == t && fid == id) {
                    return;
                }
                if t.exists(c, id) {
                    found.push((t, id));
                    return;
                }
                // a placeholder in the document (`issuer: 待定`) is T801's finding; a registry
                // file is not scanned for placeholders, so its references are still followed
                if !cx.is_placeholder(id) {
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
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        if !cx.reports_on_registry() {
            return;
        }
        let c = cx.corpus;
        let mut near = Suggester::default();
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
            check(
                &e.origin,
                "/duty_contact",
                Target::Contact,
                e.item.duty_contact.as_ref(),
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
        for e in &reg.external_plans {
            check(
                &e.origin,
                "/jurisdiction",
                Target::Jurisdiction,
                e.item.jurisdiction.as_ref(),
            );
            for (i, h) in e.item.hazards.iter().enumerate() {
                check(&e.origin, &format!("/hazards/{i}"), Target::Hazard, Some(h));
            }
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
