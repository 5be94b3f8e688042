use crate::declare_rule;
use crate::diag::suggest::{did_you_mean, suggest};
use crate::diag::{Diagnostic, Span};
use crate::model::meta::Kind;
use crate::text;

declare_rule! {
    /// 未知的文档类别 · Unknown document kind
    ///
    /// ## What it checks · 检查内容
    /// `kind` must be one of `overall`, `special`, `department`, `grassroots`, `joint`,
    /// `comprehensive`, `onsite`, `card` (docs/format.md §1 names them).
    ///
    /// `kind` 必须是上述类别之一。
    ///
    /// ## Why it matters · 为什么重要
    /// The kind decides the mandatory sections (GB/T 29639-2020 §6–§8), the legal parents in the
    /// "1+N+X" hierarchy and the drill cadence. A plan of unknown kind gets none of these checks.
    ///
    /// 类别决定必备章节（GB/T 29639-2020 第 6—8 章）、上下级关系中合法的上级和演练周期。
    /// 类别未知的预案得不到这些检查。
    ///
    /// ## Example · 示例
    /// ```yaml
    /// kind: specail
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Use one of the kinds above; an enterprise special plan is `kind: special` with an
    /// `enterprise:` field (docs/format.md §1).
    ///
    /// 使用上述类别之一；企业专项预案写成 `kind: special` 并带 `enterprise:` 字段（docs/format.md §1）。
    pub(crate) struct UnknownKind {
        code: "I102",
        name: "unknown-kind",
        severity: Error,
        stage: Load,
        summary: ("kind 不是已知的文档类别", "kind is not a known document kind"),
    }
}

pub(crate) fn unknown(path: &str, span: Option<Span>, kind: &str) -> Diagnostic {
    let all = Kind::ALL.map(Kind::as_str);
    let (zh, en) = did_you_mean(&suggest(kind, all));
    let list = all.join(", ");
    UnknownKind::INFO
        .at(
            path,
            span,
            text!(
                "未知的文档类别 `{kind}`{zh}",
                "unknown document kind `{kind}`{en}"
            ),
        )
        .help(text!("可用类别：{list}", "known kinds: {list}"))
}
