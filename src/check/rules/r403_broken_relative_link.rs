use crate::check::{Context, Rule, RuleInfo};
use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::model::links::{classify, is_file, resolve, LinkTarget};
use crate::text;
use std::ops::Range;

declare_rule! {
    /// 相对链接失效 · Broken relative link
    ///
    /// ## What it checks · 检查内容
    /// A relative link in the body (`[省预案](../province/xj-flood.md)`, `[图](maps/route.png)`)
    /// points at a file that exists inside the repository.
    ///
    /// 正文中的相对路径链接必须指向仓库内存在的文件。
    ///
    /// ## Why it matters · 为什么重要
    /// Evacuation maps, drawings and annexes are part of the plan (GB/T 29639-2020 §9.7: 关键的
    /// 路线、标识和图纸). A renamed file silently breaks every link to it; readers in an emergency
    /// find nothing.
    ///
    /// 疏散图、图纸和附件是预案的组成部分（GB/T 29639-2020 第 9.7 条：
    /// 关键的路线、标识和图纸）。文件改名会悄悄断开所有指向它的链接，应急时读者什么也找不到。
    ///
    /// ## Example · 示例
    /// ```markdown
    /// 疏散路线见[附图](maps/evacuation.png)。   <!-- file is maps/evacuation-2025.png -->
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Correct the path (relative to the document's folder), or restore the file.
    ///
    /// 改正路径（相对于文档所在目录），或恢复该文件。
    pub(crate) struct BrokenRelativeLink {
        code: "R403",
        name: "broken-relative-link",
        severity: Error,
        stage: Corpus,
        summary: ("相对链接指向不存在的文件", "relative link points at a missing file"),
    }
}

impl Rule for BrokenRelativeLink {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }
    fn check_docs(&self, cx: &Context, docs: Range<usize>, out: &mut Vec<Diagnostic>) {
        for d in cx.docs_in(docs) {
            let mut budget = cx.budget(&Self::INFO, &d.path);
            for l in d.links.iter().filter(|l| is_file(&l.dest)) {
                let LinkTarget::File { path, .. } = classify(&l.dest) else {
                    continue;
                };
                if path.is_empty() {
                    continue;
                }
                // inside the repository only: a link through a symlink that leaves it counts as
                // broken, so a repository cannot probe which paths exist outside it
                let ok = resolve(&d.path, &path)
                    .is_some_and(|p| cx.corpus.reader.resolve(std::path::Path::new(&p)).is_ok());
                if !ok && budget.admit() {
                    out.push(Self::INFO.at(&d.path, Some(l.span), text!(
                        "链接的文件 `{path}` 不存在",
                        "linked file `{path}` does not exist"
                    )).help(text!("路径相对于本文档所在目录；请改正路径或恢复文件", "paths are relative to this document's folder; fix the path or restore the file")));
                }
            }
        }
    }
}
