use crate::declare_rule;
use crate::diag::{Diagnostic, Span};
use crate::text;

declare_rule! {
    /// 共用头信息中不可共用的字段 · A key that documents cannot share
    ///
    /// ## What it checks · 检查内容
    /// A folder's `_defaults.yaml` gives front-matter values to every document in that folder
    /// and below (docs/format.md, "Shared front matter"). The keys that identify a document or
    /// place it cannot be shared: `id`, `kind`, `title`, `parent` and `aligned`. Such a key in
    /// `_defaults.yaml` is reported at its line and not applied.
    /// `_defaults.yaml` 中的 `id`、`kind`、`title`、`parent`、`aligned` 不能被继承，
    ///
    /// 在其所在行报告，且不生效。
    ///
    /// ## Why it matters · 为什么重要
    /// 《生产安全事故应急预案管理办法》 (2019) Art. 6 and GB/T 29639-2020 Ch. 5 (应急预案体系)
    /// make an enterprise's plan one system of parts (综合应急预案, 专项应急预案, 现场处置方案),
    /// each with its own title and place in it; App. C puts the plan number and version on the
    /// cover, which the parts share. A shared `id` or `title` would give every part the same
    /// identity (I101), a shared `parent` would make the comprehensive plan its own parent, and a
    /// shared `aligned` would claim a review that only one document had.
    ///
    /// 《生产安全事故应急预案管理办法》第六条和 GB/T 29639-2020 第 5 章把企业预案构成一个体系（综合应急预案、
    /// 专项应急预案、现场处置方案），各部分有自己的标题和位置。共用 `id` 或 `title` 会让各部分身份相同（I101），
    /// 共用 `parent` 会让综合预案成为自己的上级，共用 `aligned` 会声称只有一个文档做过的复核。
    ///
    /// ## Example · 示例
    /// ```yaml
    /// # 预案/_defaults.yaml
    /// plan_no: HT-YJ-2024-01
    /// title: 某酒店生产安全事故应急预案   # each part has its own title
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Move the key into the front matter of each document that needs it; keep in
    /// `_defaults.yaml` only what every document below really shares.
    ///
    /// 把该键移到需要它的每个文档的头信息中；`_defaults.yaml` 中只保留下面所有文档真正共用的内容。
    pub(crate) struct DefaultsKeyNotInherited {
        code: "F007",
        name: "defaults-key-not-inherited",
        severity: Error,
        stage: Load,
        summary: ("共用头信息（_defaults.yaml）中有不可共用的字段", "a key in shared front matter (_defaults.yaml) that documents cannot share"),
    }
}

/// `key` (one of `model::defaults::NOT_INHERITED`) in the defaults file `path`, at `span`.
pub(crate) fn not_inherited(path: &str, span: Option<Span>, key: &str) -> Diagnostic {
    DefaultsKeyNotInherited::INFO
        .at(
            path,
            span,
            text!(
                "`{key}` 不能写在共用头信息中：每个文档各有自己的 `{key}`，此值未被继承",
                "`{key}` cannot be shared: each document has its own `{key}`, so this value is not inherited"
            ),
        )
        .label(text!("不可共用的字段", "not shared"))
        .help(text!(
            "把 `{key}` 写进需要它的每个文档的头信息，并从 _defaults.yaml 中删除",
            "write `{key}` in the front matter of each document that needs it, and remove it from _defaults.yaml"
        ))
}
