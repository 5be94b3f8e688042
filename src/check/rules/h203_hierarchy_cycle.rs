use crate::check::util::at_doc;
use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::text;

declare_rule! {
    /// 上下级关系成环 · Cycle in the hierarchy
    ///
    /// ## What it checks · 检查内容
    /// Following `parent` from any document must end at a top plan. A chain that comes back to
    /// where it started (A → B → A) is reported once, at the member with the smallest id.
    ///
    /// 沿 `parent` 向上追溯必须到达顶层预案，不能绕回自身。
    ///
    /// ## Why it matters · 为什么重要
    /// A plan system is a hierarchy (2013 办法 Art. 7: the overall plan is its 总纲). A cycle means
    /// no plan is on top: nobody owns the response, and every generator that walks up the chain
    /// (handbooks, the vertical 上下衔接 chain) would have no end.
    ///
    /// 预案体系是层级结构（《突发事件应急预案管理办法》（2013）第七条：总体预案是总纲）。
    /// 成环意味着没有最上层的预案：没有人负责应对，向上追溯的生成器（工作手册、上下衔接链）
    /// 也走不到头。
    ///
    /// ## Example · 示例
    /// `yz-flood` has `parent: qx-flood` and `qx-flood` has `parent: yz-flood`.
    ///
    /// ## How to fix · 如何修改
    /// Break the loop: the lower plan names the upper one, never the reverse (use `links.related`
    /// for plans of the same rank).
    ///
    /// 打断环：下级预案写上级，反过来不行（同级预案用 `links.related`）。
    pub(crate) struct HierarchyCycle {
        code: "H203",
        name: "hierarchy-cycle",
        severity: Error,
        stage: Corpus,
        summary: ("上下级关系成环", "parent chain loops back on itself"),
    }
}

impl Rule for HierarchyCycle {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let docs = &cx.corpus.docs;
        // 0 = unvisited, 1 = on the current path, 2 = done.
        let mut state = vec![0u8; docs.len()];
        // Every cycle is found from the documents reported on: the one it is reported at (the
        // least id on it) is one of them, or the finding would not be reported anyway.
        for (start, _) in cx.indexed_docs() {
            if state[start] != 0 {
                continue;
            }
            let mut path = Vec::new();
            let mut cur = Some(start);
            while let Some(i) = cur {
                match state[i] {
                    2 => break,
                    1 => {
                        let pos = path.iter().position(|&p| p == i).unwrap_or(0);
                        let cycle: Vec<usize> = path[pos..].to_vec();
                        if let Some(&first) = cycle
                            .iter()
                            .min_by_key(|&&c| docs[c].id.as_deref().unwrap_or(""))
                        {
                            let at = cycle.iter().position(|&c| c == first).unwrap_or(0);
                            let mut names: Vec<&str> = cycle[at..]
                                .iter()
                                .chain(&cycle[..at])
                                .map(|&c| docs[c].id.as_deref().unwrap_or("?"))
                                .collect();
                            names.push(names[0]);
                            let chain = names.join(" → ");
                            out.push(at_doc(&Self::INFO, &docs[first], "/parent", text!("上下级关系成环：{chain}", "the parent chain loops: {chain}"))
                                .help(text!("下级预案指向上级预案，不要反向指回；同级关联请用 `links.related`", "the lower plan names the upper one, not the reverse; use `links.related` between peers")));
                        }
                        break;
                    }
                    _ => {
                        state[i] = 1;
                        path.push(i);
                        cur = docs[i]
                            .parent()
                            .and_then(|p| cx.corpus.by_id.get(p).copied());
                    }
                }
            }
            for p in path {
                state[p] = 2;
            }
        }
    }
}
