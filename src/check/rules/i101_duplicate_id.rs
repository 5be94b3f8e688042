use crate::check::util::{at_doc, at_entry};
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::model::Entry;
use crate::text;

declare_rule! {
    /// 重复的 id · Duplicate id
    ///
    /// ## What it checks · 检查内容
    /// Two documents with the same `id`, or two registry entries of the same list (contacts,
    /// roles, …) with the same `id`, or an external plan (`external_plans`) with the id of a
    /// document or of another external plan. Every definition is reported, each naming the others, since
    /// only a person can tell which copy is current.
    ///
    /// 两个文档或同一登记册中两个条目使用了相同的 id。
    ///
    /// ## Why it matters · 为什么重要
    /// Every reference resolves by id. With two plans called `qx-flood`, the county's disposal
    /// cards, handbooks and drill schedules may be built from the wrong one, and a phone number
    /// looked up by id may be the stale one. One source of truth per fact.
    ///
    /// 所有引用都按 id 解析。两个预案都叫 `qx-flood`，县里的处置卡、
    /// 工作手册和演练计划就可能按错误的那个生成，按 id 查到的电话也可能是过时的。
    ///
    /// ## Example · 示例
    /// `county/qx-flood.md` and `county/old/qx-flood.md` both say `id: qx-flood`.
    ///
    /// ## How to fix · 如何修改
    /// Give one of them a new id (and update references), or delete the obsolete copy: git keeps
    /// its history.
    ///
    /// 给其中一个换新 id（并更新引用），或删除过时的副本：git 会保留它的历史。
    pub(crate) struct DuplicateId {
        code: "I101",
        name: "duplicate-id",
        severity: Error,
        stage: Corpus,
        summary: ("id 重复", "id defined more than once"),
    }
}

fn registry_dups<T>(
    cx: &Context,
    list: &[Entry<T>],
    id: impl Fn(&T) -> &str,
    what: (&str, &str),
    out: &mut Vec<Diagnostic>,
) {
    let mut first: crate::model::FastMap<&str, usize> = Default::default();
    for (i, e) in list.iter().enumerate() {
        let key = id(&e.item);
        match first.get(key) {
            None => {
                first.insert(key, i);
            }
            Some(&f) => {
                let (path, _) = cx.corpus.registry.locate(&list[f].origin, "");
                let (zh, en) = what;
                out.push(at_entry(
                    &DuplicateId::INFO,
                    &cx.corpus.registry,
                    &e.origin,
                    "/id",
                    text!(
                        "{zh} id `{key}` 重复（首次定义于 {path}）",
                        "{en} id `{key}` is defined twice (first in {path})"
                    ),
                ));
            }
        }
    }
}

impl Rule for DuplicateId {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let with_id = cx.corpus.docs.iter().filter(|d| d.id.is_some()).count();
        let mut by_id: crate::model::FastMap<&str, Vec<&crate::model::Document>> =
            Default::default();
        // The index keeps one entry per id: as many entries as documents means no duplicates.
        let docs = if with_id == cx.corpus.by_id.len() {
            &[][..]
        } else {
            &cx.corpus.docs[..]
        };
        for d in docs {
            if let Some(id) = &d.id {
                by_id.entry(id.as_str()).or_default().push(d);
            }
        }
        for (id, docs) in by_id.into_iter().filter(|(_, v)| v.len() > 1) {
            for d in &docs {
                let others = docs
                    .iter()
                    .filter(|o| o.path != d.path)
                    .map(|o| o.path.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(
                    at_doc(&Self::INFO, d, "/id", text!("文档 id `{id}` 重复（另见 {others}）", "document id `{id}` is also defined in {others}"))
                        .help(text!("保留现行的一份，其余改用新 id 或删除（git 会保留历史）", "keep the current copy; give the others new ids or delete them (git keeps their history)")),
                );
            }
        }
        if !cx.reports_on_registry() {
            return;
        }
        let r = &cx.corpus.registry;
        registry_dups(
            cx,
            &r.jurisdictions,
            |x| &x.id,
            ("行政区", "jurisdiction"),
            out,
        );
        registry_dups(
            cx,
            &r.organizations,
            |x| &x.id,
            ("机构", "organization"),
            out,
        );
        registry_dups(cx, &r.roles, |x| &x.id, ("角色", "role"), out);
        registry_dups(cx, &r.contacts, |x| &x.id, ("联系人", "contact"), out);
        registry_dups(cx, &r.resources, |x| &x.id, ("资源", "resource"), out);
        if !r.builtin_hazards {
            registry_dups(cx, &r.hazards, |x| &x.id, ("灾种", "hazard"), out);
        }
        registry_dups(
            cx,
            &r.external_plans,
            |x| &x.id,
            ("外部预案", "external plan"),
            out,
        );
        // an external plan and a document share one namespace: plans name both by id
        for e in &r.external_plans {
            let id = e.item.id.as_str();
            if let Some(d) = cx.corpus.doc(id) {
                let path = &d.path;
                out.push(
                    at_entry(&Self::INFO, r, &e.origin, "/id", text!(
                        "外部预案 id `{id}` 与文档 {path} 的 id 相同",
                        "external plan id `{id}` is also the id of the document {path}"
                    ))
                    .help(text!(
                        "预案已在库中时删除这条 `external_plans`，否则给它另起 id",
                        "remove this `external_plans` entry if the plan is in the repository; otherwise give it another id"
                    )),
                );
            }
        }
    }
}
