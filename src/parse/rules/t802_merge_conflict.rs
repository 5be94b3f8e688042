use crate::declare_rule;
use crate::diag::{Diagnostic, Span};
use crate::text;

declare_rule! {
    /// 未解决的合并冲突 · Unresolved merge conflict
    ///
    /// ## What it checks · 检查内容
    /// Git merge-conflict markers left in the body of a plan: a line `<<<<<<< …` opening a
    /// conflict, with its `=======` and `>>>>>>> …` lines. Each conflict is reported at its
    /// opening line (markers in the front matter are F002). A line of exactly seven `=` is a
    /// marker only when the file also has an opening or closing marker, so a Markdown heading
    /// underlined with `=======` is not one.
    ///
    /// 正文中残留 git 合并冲突标记（`<<<<<<<`、`=======`、`>>>>>>>`）。
    ///
    /// ## Why it matters · 为什么重要
    /// Both sides of the conflict are in the file: two versions of a duty roster or of a
    /// response procedure, and the markers themselves become headings or text in every card
    /// and handbook printed from it. The plan as reviewed and approved is neither side.
    ///
    /// 冲突的两边都在文件里：两个版本的值班表或处置程序，冲突标记本身也会成为由它印出的每张卡片和每本手册中的标题或正文。
    /// 经评审、批准的预案不是其中任何一边。
    ///
    /// ## Example · 示例
    /// ```markdown
    /// <<<<<<< HEAD
    /// 值班电话：0745-2222222
    /// =======
    /// 值班电话：0745-3333333
    /// >>>>>>> township-update
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Resolve the conflict: keep the right text, delete the three marker lines, and commit
    /// (`git mergetool`, or edit the file and `git add` it).
    ///
    /// 解决冲突：保留正确的文本，删除三行标记，然后提交（`git mergetool`，
    /// 或编辑文件后 `git add`）。
    pub(crate) struct MergeConflict {
        code: "T802",
        name: "merge-conflict",
        severity: Error,
        stage: Load,
        summary: ("正文中有未解决的合并冲突", "unresolved merge conflict in the text"),
    }
}

/// An unresolved conflict whose marker line is at `span`.
pub(crate) fn at(path: &str, span: Span) -> Diagnostic {
    MergeConflict::INFO
        .at(
            path,
            Some(span),
            text!(
                "未解决的合并冲突：git 冲突标记",
                "unresolved merge conflict: git conflict marker"
            ),
        )
        .label(text!("冲突标记", "conflict marker"))
        .help(text!(
            "解决冲突：保留正确的内容，删除 `<<<<<<<`、`=======`、`>>>>>>>` 标记行",
            "resolve the conflict: keep the right text and delete the `<<<<<<<`, `=======` and `>>>>>>>` lines"
        ))
}
