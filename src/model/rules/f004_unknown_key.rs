use crate::declare_rule;
use crate::diag::suggest::{did_you_mean, suggest};
use crate::diag::{Diagnostic, Span};
use crate::text;

declare_rule! {
    /// 未知字段 · Unknown key
    ///
    /// ## What it checks · 检查内容
    /// A key in front matter or a registry that the schema of that place does not define, with a
    /// "did you mean" suggestion when a known key is close.
    ///
    /// 头信息或登记册中出现模式未定义的字段，并给出相近字段名的建议。
    ///
    /// ## Why it matters · 为什么重要
    /// A misspelt key is silently ignored: `hazard:` instead of `hazards:` means the plan covers
    /// no hazard and coverage checks, drill schedules and handbooks all miss it.
    ///
    /// 拼错的键会被悄悄忽略：把 `hazards:` 写成 `hazard:`，预案就不覆盖任何灾种，
    /// 覆盖检查、演练计划和工作手册都会漏掉它。
    ///
    /// ## Example · 示例
    /// ```yaml
    /// hazard: [flood]      # should be `hazards`
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Rename the key as suggested, or remove it. Notes for people belong in the Markdown body.
    ///
    /// 按提示改正键名，或删除该键。给人看的说明写在 Markdown 正文中。
    pub(crate) struct UnknownKey {
        code: "F004",
        name: "unknown-key",
        severity: Warning,
        stage: Load,
        summary: ("头信息或登记册中有未知字段", "unknown key in front matter or a registry"),
    }
}

const INFO: &crate::diag::rule::RuleInfo = &UnknownKey::INFO;

pub(crate) fn unknown(path: &str, span: Option<Span>, key: &str, known: &[&str]) -> Diagnostic {
    let (zh, en) = did_you_mean(&suggest(key, known.iter().copied()));
    let list = known.join(", ");
    INFO.at(
        path,
        span,
        text!("未知字段 `{key}`{zh}", "unknown key `{key}`{en}"),
    )
    .label(text!("此处不认识该字段", "not a known key here"))
    .help(text!("可用字段：{list}", "known keys here: {list}"))
}
