use crate::declare_rule;
use crate::diag::{Diagnostic, Span};
use crate::text;

declare_rule! {
    /// yuan.toml 配置错误 · Invalid yuan.toml
    ///
    /// ## What it checks · 检查内容
    /// `yuan.toml` must be valid TOML with only the keys of `schemas/yuan-toml.schema.json`
    /// (docs/format.md §6), and every number in its range (docs/format.md §6 gives each one,
    /// e.g. `filing_deadline_working_days` 0–250). When it is not, yuan reports it and checks
    /// with the defaults (for a number out of range: that setting's default).
    /// 配置文件语法或字段错误时报告，并按默认配置继续检查；数值超出允许范围时报告该项，并改用其默认值。
    ///
    /// ## Why it matters · 为什么重要
    /// A misspelt setting (say `contact_max_age` instead of `contact_max_age_days`) would silently
    /// leave the default in force, and the repository would be checked by rules it did not choose.
    /// A number out of range (say `filing_deadline_working_days = 4294967295`) is a typo, or a
    /// repository making every check work for hours.
    ///
    /// ## Example · 示例
    /// ```toml
    /// [chek]
    /// today = "2026-11-28"
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Correct the key or value at the position shown; docs/format.md §6 lists every setting.
    pub struct ConfigInvalid {
        code: "F006",
        name: "config-invalid",
        severity: Error,
        stage: Load,
        summary: ("yuan.toml 无法使用", "yuan.toml cannot be used"),
    }
}

pub fn from_error(message: &str, span: Option<Span>) -> Diagnostic {
    ConfigInvalid::INFO
        .at(
            "yuan.toml",
            span,
            text!(
                "yuan.toml 配置错误：{message}",
                "invalid yuan.toml: {message}"
            ),
        )
        .help(text!(
            "已按默认配置继续检查；可用设置见 docs/format.md §6",
            "checked with the defaults instead; docs/format.md §6 lists the settings"
        ))
}

/// A setting that parses but names nothing yuan knows (a rule code, a profile, a language).
pub fn unknown_setting(message: &str) -> Diagnostic {
    ConfigInvalid::INFO
        .at(
            "yuan.toml",
            None,
            text!(
                "yuan.toml 中的设置无效：{message}",
                "yuan.toml setting has no effect: {message}"
            ),
        )
        .help(text!(
            "该设置被忽略，其余配置照常生效；可用设置见 docs/format.md §6",
            "this setting is ignored, the rest apply; docs/format.md §6 lists the settings"
        ))
}

/// A number outside its allowed range: named, with the range, and the default used instead.
pub fn out_of_range(r: &crate::config::OutOfRange, span: Option<Span>) -> Diagnostic {
    let (setting, value, range, default) = (&r.setting, &r.value, &r.range, &r.default);
    ConfigInvalid::INFO
        .at(
            "yuan.toml",
            span,
            text!(
                "yuan.toml 中 {setting} = {value} 超出允许范围 {range}",
                "yuan.toml: {setting} = {value} is outside the allowed range {range}"
            ),
        )
        .help(text!(
            "已改用默认值 {default}；请填写 {range} 之间的数值（见 docs/format.md §6）",
            "the default {default} is used instead; write a number in {range} (docs/format.md §6)"
        ))
}
