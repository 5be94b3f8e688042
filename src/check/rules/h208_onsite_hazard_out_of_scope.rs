use crate::check::broken::skipped;
use crate::check::util::at_doc;
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::model::hazards::{names, states_scope};
use crate::model::meta::{Kind, PlanMeta, Status};
use crate::model::{sections, Corpus, Document, FastMap};
use crate::text;

declare_rule! {
    /// 现场处置方案的灾种超出综合预案所述风险范围 · On-site plan hazard outside the comprehensive plan's scope
    ///
    /// ## What it checks · 检查内容
    /// Every hazard in an on-site plan's `hazards` is within the scope its enterprise's
    /// comprehensive plan states: the comprehensive plan above it (through `parent`, directly
    /// or through a special plan), else the comprehensive plan of the same `enterprise`. A hazard
    /// is within that scope when the comprehensive plan lists it in `hazards`, or when its name
    /// or one of its usual names (触电 / 触电事故, 中毒和窒息 / 中毒窒息; docs/format.md §7) appears
    /// in the text of a section of the comprehensive plan that states its scope or risks (a
    /// heading with 适用范围, 风险, 危险性分析, 危险源 or 事故类型). A comprehensive plan that
    /// states its scope only in general terms (no `hazards`, and no hazard named in those
    /// sections: "本预案适用于公司发生的各类生产安全事故") is not compared, since every accident is
    /// within it; an unknown hazard id is R401's.
    ///
    /// 现场处置方案的灾种应在本企业综合应急预案所述的风险范围内（综合预案的 hazards，或其适用范围、
    /// 事故风险描述中写到该事故类型）。
    ///
    /// ## Why it matters · 为什么重要
    /// GB/T 29639-2020 §5 builds an enterprise's plans as one system: the comprehensive plan
    /// states the scope (§6, 总则 · 适用范围) from the risk assessment (§4, App. A), and on-site
    /// plans handle particular scenarios of those risks (§8.1 事故风险描述). An on-site plan for
    /// a risk the comprehensive plan never names means the risk assessment, the scope or the
    /// command structure above that on-site plan misses it.
    ///
    /// 依据 GB/T 29639-2020 第 5 章把企业预案构成一个体系：综合预案依据风险评估写明适用范围（第 6 章），
    /// 现场处置方案处置这些风险中的具体情景（第 8.1 条事故风险描述）。综合预案从未提到的风险却有现场处置方案，
    /// 说明风险评估、适用范围或其上的指挥体系漏掉了它。
    ///
    /// ## Example · 示例
    /// ```yaml
    /// # hd-comprehensive: hazards: [fire]; 适用范围 names 火灾、爆炸 only
    /// id: hd-onsite-substation
    /// kind: onsite
    /// parent: hd-comprehensive
    /// hazards: [electric-shock]      # 触电: not in the comprehensive plan's scope
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Add the hazard to the comprehensive plan's `hazards`, or name the accident type in its
    /// 适用范围 or 事故风险描述 (after updating the risk assessment); or correct the on-site
    /// plan's `hazards`.
    ///
    /// 把该灾种加入综合预案的 `hazards`，或在其适用范围或事故风险描述中写明该事故类型（先更新风险评估）；
    /// 或改正现场处置方案的 `hazards`。
    pub(crate) struct OnsiteHazardOutOfScope {
        code: "H208",
        name: "onsite-hazard-out-of-scope",
        severity: Warning,
        stage: Corpus,
        summary: ("现场处置方案的灾种超出综合预案所述的风险范围", "an on-site plan's hazard is outside the scope its comprehensive plan states"),
    }
}

/// What a comprehensive plan says it covers: its `hazards`, and the text of its sections that
/// state its scope or risks. The text is read from the file only when a hazard is not in
/// `hazards` (most plans list them): a repository of thousands of enterprises then reads none.
struct Scope<'c> {
    doc: &'c Document,
    hazards: &'c [String],
    text: std::cell::OnceCell<String>,
    /// See [`Scope::names_no_hazard`].
    general: bool,
}

impl<'c> Scope<'c> {
    fn of(corpus: &Corpus, doc: &'c Document, plan: &'c PlanMeta) -> Scope<'c> {
        let mut scope = Scope {
            doc,
            hazards: &plan.hazards,
            text: std::cell::OnceCell::new(),
            general: false,
        };
        scope.general = scope.names_no_hazard(corpus);
        scope
    }
    /// The titles and text of the sections that state the plan's scope or risks.
    fn text(&self, corpus: &Corpus) -> &str {
        self.text.get_or_init(|| {
            let headings = &self.doc.headings;
            let mut text = String::new();
            let body = headings
                .iter()
                .any(|h| states_scope(h.norm()))
                .then(|| corpus.read_text(&self.doc.path))
                .flatten();
            if let Some(body) = body {
                for (i, h) in headings.iter().enumerate() {
                    if !states_scope(h.norm()) {
                        continue;
                    }
                    let from = h.span.end as usize;
                    let to = headings
                        .get(sections::section_end(headings, i))
                        .map_or(body.len(), |n| n.span.start as usize);
                    text.push_str(&h.title);
                    if let Some(part) = body.get(from..to.max(from)) {
                        text.push_str(part);
                    }
                    text.push('\n');
                }
            }
            text
        })
    }
    /// No hazard named: neither `hazards` nor a known hazard's name in the scope text (a
    /// scope stated in general terms, or none).
    fn names_no_hazard(&self, corpus: &Corpus) -> bool {
        self.hazards.is_empty() && {
            let text = self.text(corpus);
            !corpus
                .registry
                .hazards
                .iter()
                .any(|e| names(&e.item).iter().any(|n| text.contains(n)))
        }
    }
}

/// The comprehensive plan above an on-site plan: through `parent` (itself, or a special plan's
/// parent), else the one of the same enterprise (`by_enterprise`).
fn comprehensive_of<'c>(
    corpus: &'c Corpus,
    plan: &PlanMeta,
    by_enterprise: &FastMap<&str, &'c Document>,
) -> Option<&'c Document> {
    let mut id = plan.parent.as_deref();
    for _ in 0..2 {
        let Some(doc) = id.and_then(|i| corpus.doc(i)) else {
            break;
        };
        match doc.kind {
            Some(Kind::Comprehensive) => return Some(doc),
            Some(Kind::Special) => id = doc.parent(),
            _ => break,
        }
    }
    by_enterprise.get(plan.enterprise.as_deref()?).copied()
}

impl Rule for OnsiteHazardOutOfScope {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let corpus = cx.corpus;
        // the comprehensive plan in force of each enterprise (the first; I101 and H204's
        // sibling rules speak of duplicates)
        let mut by_enterprise: FastMap<&str, &Document> = FastMap::default();
        for d in &corpus.docs {
            let Some(p) = d.plan() else { continue };
            if p.kind == Kind::Comprehensive && p.status != Some(Status::Superseded) {
                if let Some(e) = p.enterprise.as_deref() {
                    by_enterprise.entry(e).or_insert(d);
                }
            }
        }
        // each comprehensive plan's scope is read once, for the first on-site plan that asks
        let mut scopes: FastMap<&str, Scope> = FastMap::default();
        for d in cx.docs() {
            let Some(p) = d.plan() else { continue };
            if p.kind != Kind::Onsite || p.hazards.is_empty() {
                continue;
            }
            let Some(comp) = comprehensive_of(corpus, p, &by_enterprise) else {
                continue; // no comprehensive plan: H201 and S-rules speak of the structure
            };
            let Some(cid) = comp.id.as_deref() else {
                continue;
            };
            let Some(cplan) = comp.plan() else {
                if comp.is_broken() {
                    out.push(skipped(
                        &Self::INFO,
                        d,
                        "/hazards",
                        comp,
                        (
                            "对灾种是否在综合预案风险范围内的检查",
                            "the check that its hazards are within the comprehensive plan's scope was",
                        ),
                    ));
                }
                continue;
            };
            let scope = scopes
                .entry(cid)
                .or_insert_with(|| Scope::of(corpus, comp, cplan));
            if scope.general {
                continue;
            }
            for (i, h) in p.hazards.iter().enumerate() {
                if scope.hazards.contains(h) {
                    continue;
                }
                let Some(hazard) = corpus.registry.hazard(h) else {
                    continue; // an unknown id is R401's
                };
                if names(hazard).iter().any(|n| scope.text(corpus).contains(n)) {
                    continue;
                }
                let name = &hazard.name;
                out.push(
                    at_doc(
                        &Self::INFO,
                        d,
                        &format!("/hazards/{i}"),
                        text!(
                            "灾种“{name}”（`{h}`）不在综合应急预案 `{cid}` 所述的风险范围内：它的 `hazards`、适用范围和事故风险描述都没有写到",
                            "hazard {name} (`{h}`) is outside the scope the comprehensive plan `{cid}` states: neither its `hazards` nor its scope or risk description names it"
                        ),
                    )
                    .help(text!(
                        "在 `{cid}` 的 `hazards` 或适用范围、事故风险描述中写上“{name}”（GB/T 29639-2020 §6），或改正本方案的 `hazards`",
                        "add `{h}` to the `hazards` of `{cid}`, or name {name} in its scope or risk description (GB/T 29639-2020 §6); or correct this plan's `hazards`"
                    )),
                );
            }
        }
    }
}
