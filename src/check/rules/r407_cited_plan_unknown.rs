use crate::check::util::Suggester;
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::model::cited::normalize;
use crate::model::{Corpus, FastSet};
use crate::text;
use std::hash::BuildHasher;

declare_rule! {
    /// 正文引用的预案不存在 · Plan cited in the text is unknown
    ///
    /// ## What it checks · 检查内容
    /// A title in 《》 in a body that names a plan (it ends in 预案 or 处置方案: 应急预案,
    /// 专项应急预案, 现场处置方案 …) is the title of a document of the repository or of an
    /// external plan of the registry (`external_plans`). Titles are compared without spaces
    /// (full-width ones too), with （）and () alike and without a trailing note such as
    /// （2024年修订） or （试行）; a notice that issues a plan (《XX人民政府办公室关于印发XX应急预案的
    /// 通知》) cites that plan; a shortened title that ends a known one (《县突发事件总体应急预案》
    /// for 青溪县突发事件总体应急预案) matches it. Laws, regulations, rules, standards and other
    /// notices (《中华人民共和国突发事件应对法》, 《生产安全事故应急预案管理办法》,
    /// 《生产经营单位生产安全事故应急预案编制导则》) are not plans and are never reported, nor is a
    /// kind of plan on its own (《现场处置方案》). Nor is a plan cited in the clause that repeals
    /// it (`《XX应急预案》（X政办发〔2016〕12号）同时废止`, 予以废止, 停止执行, 不再执行), as the
    /// 附则 of a revised plan does: that plan is expected to be gone.
    ///
    /// 正文中以《》引用的预案标题，须是库中文档或登记册 `external_plans` 中外部预案的标题。
    /// 在废止条款中引用的预案（附则中的“《XX应急预案》（……号）同时废止”）不检查：它本就不应再存在。
    ///
    /// ## Why it matters · 为什么重要
    /// Plans dovetail by naming each other (《生产安全事故应急预案管理办法》 Art. 18, GB/T
    /// 29639-2020 §9.3 预案体系与衔接; 2024 办法 on consistency with the higher-level plan). A
    /// cited plan that does not exist (renamed, repealed, misspelt) sends the reader in an
    /// emergency to a text nobody has; published plans do this often.
    ///
    /// 预案通过互相点名来衔接（《生产安全事故应急预案管理办法》第十八条，GB/T 29639-2020 第 9.3 条；
    /// 2024 年办法关于与上位预案一致的要求）。引用了不存在的预案（改名、废止、
    /// 写错），应急时读者会去找一份谁也没有的文本；已发布的预案中这种情况很常见。
    ///
    /// ## Example · 示例
    /// ```markdown
    /// 本预案与《青溪县防汛应急预案》相衔接。   <!-- the county's plan is 青溪县防汛抗旱应急预案 -->
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Correct the title (see the suggestion); if the plan is kept elsewhere (a government's, the
    /// national one), declare it in the registry's `external_plans` with its exact title.
    ///
    /// 按提示改正标题；预案由他处保管的（政府的、国家的），在登记册的 `external_plans` 中按准确标题登记。
    pub(crate) struct CitedPlanUnknown {
        code: "R407",
        name: "cited-plan-unknown",
        severity: Warning,
        stage: Corpus,
        summary: ("正文以《》引用的预案在库中和外部预案登记中都不存在", "plan cited by title in the text is neither a document nor an external plan"),
    }
}

/// Shortest shortened title matched against the end of a known one (in characters): 《县突发事件
/// 总体应急预案》 matches, 《应急预案》 alone is a kind, not a title.
const MIN_SUFFIX_CHARS: usize = 6;

/// The known titles of a run, in normal form (built once per run).
struct Titles<'c> {
    exact: FastSet<String>,
    /// Hashes of every title's endings of at least [`MIN_SUFFIX_CHARS`] characters (8 bytes
    /// each, not a copy of each ending), built on the first citation that matches no title
    /// exactly.
    endings: Option<FastSet<u64>>,
    hasher: foldhash::fast::RandomState,
    all: Vec<&'c str>,
}

impl<'c> Titles<'c> {
    fn new(corpus: &'c Corpus, broken: &'c crate::check::broken::Broken) -> Self {
        // a document that failed its schema (F003) still names itself when its title reads
        let docs = (corpus.docs.iter().map(|d| d.title())).chain(broken.titles());
        let external = (corpus.registry.external_plans.iter()).map(|e| e.item.title.as_str());
        let all: Vec<&str> = docs.chain(external).filter(|t| !t.is_empty()).collect();
        let mut exact: FastSet<String> = all.iter().map(|t| normalize(t)).collect();
        // an enterprise's whole plan (GB/T 29639-2020 ch. 5, 应急预案体系: the comprehensive plan with its
        // special and on-site plans) is cited by the comprehensive plan's title without 综合:
        // 《恒达化工有限公司生产安全事故应急预案》 on its approval page
        for d in &corpus.docs {
            if let Some(p) = d
                .plan()
                .filter(|p| p.kind == crate::model::meta::Kind::Comprehensive)
            {
                if p.title.contains("综合应急预案") {
                    exact.insert(normalize(&p.title.replacen("综合应急预案", "应急预案", 1)));
                }
            }
        }
        Titles {
            exact,
            endings: None,
            hasher: Default::default(),
            all,
        }
    }

    fn knows(&mut self, norm: &str) -> bool {
        if self.exact.contains(norm) {
            return true;
        }
        if norm.chars().count() < MIN_SUFFIX_CHARS {
            return false;
        }
        let (exact, hasher) = (&self.exact, &self.hasher);
        let endings = self.endings.get_or_insert_with(|| {
            let mut set = FastSet::default();
            for t in exact {
                let n = t.chars().count();
                for (k, (i, _)) in t.char_indices().enumerate() {
                    if n - k < MIN_SUFFIX_CHARS {
                        break;
                    }
                    if i > 0 {
                        set.insert(hasher.hash_one(&t[i..]));
                    }
                }
            }
            set
        });
        // 本县, 我市, 本公司: the writer's own jurisdiction or unit
        let own = ["本", "我"]
            .iter()
            .find_map(|p| norm.strip_prefix(p))
            .unwrap_or(norm);
        endings.contains(&hasher.hash_one(norm)) || endings.contains(&hasher.hash_one(own))
    }
}

impl Rule for CitedPlanUnknown {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        if !cx.docs().any(|d| !d.cited.is_empty()) {
            return;
        }
        let mut titles = Titles::new(cx.corpus, cx.broken());
        // a document whose title cannot be read (F003) may be any cited plan
        let untitled = cx.broken().untitled(cx.corpus);
        let mut near = Suggester::default();
        for d in cx.docs() {
            let mut budget = cx.budget(&Self::INFO, &d.path);
            for c in &d.cited {
                // the plan this one repeals (`《…》同时废止`) is expected to be gone
                if c.repealed || titles.knows(&c.norm) || !budget.admit() {
                    continue;
                }
                if let Some(b) = untitled {
                    let id = b.id.as_deref().unwrap_or("?");
                    let path = &b.path;
                    let t = &c.title;
                    let mut note = Self::INFO
                        .at(&d.path, Some(c.span), text!(
                            "`{id}` 有格式错误（F003，{path}），其标题无法读取，已跳过对所引《{t}》的检查",
                            "`{id}` has a schema error (F003, {path}) and its title cannot be read: the check of the cited 《{t}》 was skipped"
                        ))
                        .help(text!(
                            "先修正 {path} 的格式错误（F003）；修正后本项检查会照常进行",
                            "fix the schema error (F003) of {path} first; this check then runs as usual"
                        ));
                    note.severity = crate::diag::Severity::Info;
                    out.push(note);
                    continue;
                }
                let all = &titles.all;
                let (sz, se) = near.did_you_mean("title", &c.norm, || all.iter().copied());
                let title = &c.title;
                out.push(
                    Self::INFO
                        .at(&d.path, Some(c.span), text!(
                            "引用的《{title}》不是库中的预案，也不在外部预案登记（`external_plans`）中{sz}",
                            "the cited plan 《{title}》 is neither a document here nor an external plan (`external_plans`){se}"
                        ))
                        .help(text!(
                            "改正标题；若该预案由他处保管，请在 registry/ 的 `external_plans` 中登记（id、title、issuers、jurisdiction、kind）",
                            "correct the title; if the plan is kept elsewhere, declare it in `external_plans` of registry/ (id, title, issuers, jurisdiction, kind)"
                        )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(known: &[&str]) -> Titles<'static> {
        let all: Vec<&'static str> = known
            .iter()
            .map(|t| &*Box::leak(t.to_string().into_boxed_str()))
            .collect();
        Titles {
            exact: all.iter().map(|t| normalize(t)).collect(),
            endings: None,
            hasher: Default::default(),
            all,
        }
    }

    #[test]
    fn titles_match_exactly_or_by_their_ending() {
        let mut t = titles(&[
            "青溪县突发事件总体应急预案",
            "金桂大酒店火灾事故专项应急预案",
        ]);
        assert!(t.knows("青溪县突发事件总体应急预案"));
        assert!(t.knows("县突发事件总体应急预案"));
        assert!(t.knows("本县突发事件总体应急预案"));
        assert!(t.knows("火灾事故专项应急预案"));
        assert!(!t.knows("云州市突发事件总体应急预案"));
        assert!(!t.knows("青溪县防汛应急预案"));
        assert!(!t.knows("预案"));
    }
}
