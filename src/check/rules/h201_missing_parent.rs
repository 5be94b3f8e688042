use crate::check::util::{at_doc, Suggester};
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::model::hierarchy;
use crate::model::refs::Target;
use crate::text;
use std::ops::Range;

declare_rule! {
    /// 缺少上级预案 · Missing parent
    ///
    /// ## What it checks · 检查内容
    /// Every document that belongs under another names it in `parent`, and that document exists:
    /// special, departmental and grassroots plans under their overall plan; overall plans below
    /// the top (national; a province whose registry entry has no `parent`) under the overall plan
    /// of the level above; enterprise special and on-site
    /// plans under the enterprise's comprehensive plan; disposal cards under their on-site plan.
    /// The parent may be a plan kept outside the repository, declared in the registry's
    /// `external_plans` (a city overall plan under the province's, kept by the province).
    ///
    /// 专项、部门预案须挂在本级总体预案下；下级总体预案挂在上级总体预案下；处置卡挂在现场处置方案下。
    ///
    /// ## Why it matters · 为什么重要
    /// The "1+N+X" plan system is a tree under the overall plan, "the 总纲 of the plan system"
    /// (《突发事件应急预案管理办法》（2013）第七条); enterprise plans form the system of GB/T 29639-2020 Ch. 5.
    /// A plan outside the tree escapes alignment checks, and a card without its plan cannot be
    /// traced to the procedure it summarises (管理办法 Art. 19).
    ///
    /// 预案体系是以总体预案为“总纲”的树（《突发事件应急预案管理办法》（2013）
    /// 第七条）；企业预案构成 GB/T 29639-2020 第 5 章的体系。树外的预案逃过衔接检查，
    /// 没有所属方案的处置卡也无法追溯到它所概括的处置程序（《生产安全事故应急预案管理办法》
    /// 第十九条）。
    ///
    /// ## Example · 示例
    /// ```yaml
    /// kind: special
    /// parent: qx-overal      # no such document
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Set `parent` to the id of the plan above (`yuan list` shows the ids).
    ///
    /// 把 `parent` 设为上级预案的 id（`yuan list` 列出全部 id）。
    pub(crate) struct MissingParent {
        code: "H201",
        name: "missing-parent",
        severity: Error,
        stage: Corpus,
        summary: ("缺少上级预案或上级预案不存在", "parent missing or not found"),
    }
}

impl Rule for MissingParent {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check_docs(&self, cx: &Context, docs: Range<usize>, out: &mut Vec<Diagnostic>) {
        let mut near = Suggester::for_tile(cx, &docs);
        for d in cx.docs_in(docs) {
            let Some(kind) = d.kind else { continue };
            match d.parent() {
                None if hierarchy::parent_required(cx.corpus, d) => {
                    let kinds = hierarchy::allowed_parents(kind, d.is_enterprise())
                        .iter()
                        .map(|k| k.as_str())
                        .collect::<Vec<_>>()
                        .join(" / ");
                    let (kz, ke) = (kind.zh(), kind.as_str());
                    out.push(
                        at_doc(
                            &Self::INFO,
                            d,
                            "/kind",
                            text!("{kz}缺少上级预案 `parent`", "{ke} document has no `parent`"),
                        )
                        .help(text!(
                            "添加 `parent:`，指向上级 {kinds} 预案的 id",
                            "add `parent:` with the id of its {kinds} plan"
                        )),
                    );
                }
                // a placeholder (`parent: 待定`) is T801's finding, not a second one here
                Some(p) if cx.is_placeholder(p) => {}
                Some(p) if !Target::Document.exists(cx.corpus, p) => {
                    let (zh, en) =
                        near.did_you_mean("id", p, || Target::Document.candidates(cx.corpus));
                    out.push(
                        at_doc(
                            &Self::INFO,
                            d,
                            "/parent",
                            text!(
                                "上级预案 `{p}` 不存在{zh}",
                                "parent `{p}` does not exist{en}"
                            ),
                        )
                        .help(text!(
                            "`yuan list` 可列出全部文档 id；库外的上级预案请登记在 registry/ 的 `external_plans` 中",
                            "`yuan list` shows every document id; declare an upper plan kept elsewhere in `external_plans` of registry/"
                        )),
                    );
                }
                _ => {}
            }
        }
    }
}
