use super::r401_dangling_reference::missing;
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::model::links::{classify, LinkTarget};
use std::ops::Range;

declare_rule! {
    /// 正文引用不存在 · Dangling typed reference in the body
    ///
    /// ## What it checks · 检查内容
    /// Typed links in the Markdown body resolve: `[总指挥](role:ID)`, `[预案](plan:ID)`,
    /// `contact:`, `resource:`, `org:`, `hazard:`, `jurisdiction:`. (Heading anchors after `#` are
    /// R404.)
    ///
    /// 正文中的类型化链接（`role:`、`plan:`、`contact:` 等）必须指向存在的 id。
    ///
    /// ## Why it matters · 为什么重要
    /// Plans name people, teams and other plans in their text; handbooks turn these links into
    /// the contacts and resources of the response (《突发事件应急预案管理办法》（2024）on the 应急工作手册; article
    /// number unconfirmed). A
    /// dangling link is a name nobody can reach.
    ///
    /// 预案正文中点名人员、队伍和其他预案；工作手册把这些链接变成应急时的联系人和资源（《突发事件应急预案管理办法》
    /// （2024）关于应急工作手册的规定，条款号未经核实）。悬空的链接是一个找不到的人。
    ///
    /// ## Example · 示例
    /// ```markdown
    /// 由[县防指总指挥](role:qx-fzb-comander)决定启动一级响应。
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Correct the id after the colon, or define the entry in `registry/`.
    ///
    /// 改正冒号后的 id，或在 `registry/` 中定义该条目。
    pub(crate) struct DanglingBodyReference {
        code: "R402",
        name: "dangling-body-reference",
        severity: Error,
        stage: Corpus,
        summary: ("正文中的类型化链接指向不存在的 id", "typed link in the body points at a missing id"),
    }
}

impl Rule for DanglingBodyReference {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check_docs(&self, cx: &Context, docs: Range<usize>, out: &mut Vec<Diagnostic>) {
        let mut near = crate::check::util::Suggester::for_tile(cx, &docs);
        for d in cx.docs_in(docs) {
            let mut budget = cx.budget(&Self::INFO, &d.path);
            for l in &d.links {
                if let LinkTarget::Typed { target, id, .. } = classify(&l.dest) {
                    if !target.exists(cx.corpus, &id) && budget.admit() {
                        let (msg, help) = missing(cx.corpus, target, &id, &mut near);
                        out.push(Self::INFO.at(&d.path, Some(l.span), msg).help(help));
                    }
                }
            }
        }
    }
}
