use crate::declare_rule;
use crate::diag::{Diagnostic, Span};
use crate::text;

declare_rule! {
    /// 缺少 YAML 头信息 · Front matter missing
    ///
    /// ## What it checks · 检查内容
    /// Every Markdown document in a plan repository starts with YAML front matter: a first line
    /// `---`, the YAML, and a closing line `---`. This rule reports a document without it, with an
    /// opening `---` that is never closed, or with an empty one.
    ///
    /// 预案库中的每个 Markdown 文档都必须以 `---` 包围的 YAML 头信息开头。
    ///
    /// ## Why it matters · 为什么重要
    /// The front matter carries what the regulations require a plan to state and what yuan needs
    /// to link plans (id, kind, parent, dates; docs/format.md). Without it the document is
    /// invisible to every other check, card and handbook.
    ///
    /// 头信息写明法规要求预案载明的内容，以及 yuan 关联预案所需的信息（id、
    /// kind、parent、日期，见 docs/format.md）。没有头信息，
    /// 其他检查、处置卡和工作手册都看不到这个文档。
    ///
    /// ## Example · 示例
    /// ```markdown
    /// # 青溪县防汛抗旱应急预案
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Add the front matter at the very top (`yuan new KIND` prints a complete skeleton), or move
    /// a file that is not a plan (notes, drafts) out of the repository or into `[files] exclude`.
    ///
    /// 在文件最上方加上头信息（`yuan new 类别` 输出完整的模板），或把不是预案的文件（笔记、
    /// 草稿）移出预案库或列入 `[files] exclude`。
    pub(crate) struct FrontMatterMissing {
        code: "F001",
        name: "front-matter-missing",
        severity: Error,
        stage: Load,
        summary: ("文档缺少 YAML 头信息", "document has no YAML front matter"),
    }
}

const INFO: &crate::diag::rule::RuleInfo = &FrontMatterMissing::INFO;

pub(crate) fn missing(path: &str, span: Span) -> Diagnostic {
    INFO.at(path, Some(span), text!("文档缺少 YAML 头信息", "document has no YAML front matter"))
        .label(text!("第一行应为 `---`", "the first line should be `---`"))
        .help(text!(
            "在文件开头加上以 `---` 开始和结束的头信息（运行 `yuan new KIND` 可生成模板）；非预案文件请移出或加入 [files] exclude",
            "start the file with front matter between `---` lines (`yuan new KIND` prints a template); move non-plan files out or list them in [files] exclude"
        ))
}

pub(crate) fn unterminated(path: &str, span: Span) -> Diagnostic {
    INFO.at(
        path,
        Some(span),
        text!(
            "YAML 头信息没有结束行 `---`",
            "front matter is not closed by a `---` line"
        ),
    )
    .label(text!("头信息从这里开始", "front matter opens here"))
    .help(text!(
        "在头信息最后一个字段之后加一行 `---`",
        "add a line `---` after the last front-matter field"
    ))
}

pub(crate) fn empty(path: &str, span: Span) -> Diagnostic {
    INFO.at(
        path,
        Some(span),
        text!("YAML 头信息为空", "front matter is empty"),
    )
    .help(text!(
        "至少填写 id、kind、title、version 等必填字段（见 docs/format.md）",
        "fill in at least id, kind, title, version (see docs/format.md)"
    ))
}
