use crate::declare_rule;
use crate::diag::{Diagnostic, Span};
use crate::text;

declare_rule! {
    /// yuan.toml 配置错误 · Invalid yuan.toml
    ///
    /// ## What it checks · 检查内容
    /// `yuan.toml` must be valid TOML with only the keys of `schemas/yuan-toml.schema.json`
    /// (docs/format.md §6), every number in its range (docs/format.md §6 gives each one,
    /// e.g. `filing_deadline_working_days` 0–250), and every value one that yuan accepts
    /// (`[cards] size` a6, a5 or pocket; `[drills]` seasons, campaigns and yearly blackouts
    /// month-day ranges). When it is not, yuan reports it at its line and checks with the
    /// defaults (for a number out of range or an unknown card size: that setting's default; for
    /// a period whose range cannot be read: the list without it). The same holds
    /// when it cannot be used at all: not UTF-8, not a regular file (a named pipe, a device),
    /// larger than 1 MiB, or a symbolic link that leaves the repository. A path in it that
    /// leaves the repository (`[render] font`, `font_bold`, `[files] registry` absolute or
    /// climbing out with `..`) is refused and its default used: only a path given on the
    /// command line (`--font`) may point outside.
    ///
    /// 配置文件语法或字段错误、不是 UTF-8、不是普通文件、超过 1 MiB 或链接到仓库之外时报告，并按
    /// 默认配置继续检查；数值超出允许范围或处置卡尺寸无效时报告该项并改用其默认值；演练时段的月-日
    /// 范围无法识别时报告该项并忽略该条目；指向仓库之外的路径设置被拒绝并使用
    /// 默认值（仓库外的字体请用 `--font`）。
    ///
    /// ## Why it matters · 为什么重要
    /// A misspelt setting (say `contact_max_age` instead of `contact_max_age_days`) would silently
    /// leave the default in force, and the repository would be checked by rules it did not choose.
    ///
    /// 拼错的设置（如把 `contact_max_age_days` 写成 `contact_max_age`）
    /// 会悄悄保留默认值，预案库就会按并非自己选择的规则检查。
    ///
    /// ## Example · 示例
    /// ```toml
    /// [chek]
    /// today = "2026-11-28"
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Correct the key or value at the position shown; docs/format.md §6 lists every setting.
    /// Save the file as UTF-8; keep fonts and registries inside the repository, or give a font
    /// of your own machine on the command line (`--font`).
    ///
    /// 在所示位置改正键或值，docs/format.md §6 列出全部设置。文件存为 UTF-8；
    /// 字体和登记册放在预案库内，或在命令行用 `--font` 指定本机字体。
    pub(crate) struct ConfigInvalid {
        code: "F006",
        name: "config-invalid",
        severity: Error,
        stage: Load,
        summary: ("yuan.toml 无法使用", "yuan.toml cannot be used"),
    }
}

pub(crate) fn from_error(message: &str, span: Option<Span>) -> Diagnostic {
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
pub(crate) fn unknown_setting(message: &str) -> Diagnostic {
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

/// `yuan.toml` could not be read (not a regular file, too large, a link out of the
/// repository, unreadable): the defaults are used.
pub(crate) fn refused(why: &crate::source::Refusal) -> Diagnostic {
    let m = why.message();
    let (zh, en) = (&m.zh, &m.en);
    ConfigInvalid::INFO
        .at(
            "yuan.toml",
            None,
            text!("yuan.toml 无法使用：{zh}", "yuan.toml cannot be used: {en}"),
        )
        .help(text!(
            "已按默认配置继续检查；yuan.toml 须是仓库内的普通文件（不超过 1 MiB）",
            "checked with the defaults instead; yuan.toml must be a regular file inside the repository (at most 1 MiB)"
        ))
}

/// `yuan.toml` is not UTF-8 (`span`: the first bad byte).
pub(crate) fn not_utf8(span: Option<Span>) -> Diagnostic {
    let line = span.map_or(1, |s| s.line);
    ConfigInvalid::INFO
        .at(
            "yuan.toml",
            span,
            text!(
                "yuan.toml 不是有效的 UTF-8 编码（第 {line} 行起）",
                "yuan.toml is not valid UTF-8 (from line {line})"
            ),
        )
        .help(text!(
            "已按默认配置继续检查；请以 UTF-8 重新保存，例如 `iconv -f GBK -t UTF-8`",
            "checked with the defaults instead; re-save it as UTF-8, e.g. `iconv -f GBK -t UTF-8`"
        ))
}

/// A path setting (`key = value`) that leaves the repository: its default is used.
pub(crate) fn path_outside(key: &str, value: &str) -> Diagnostic {
    ConfigInvalid::INFO
        .at(
            "yuan.toml",
            None,
            text!(
                "{key} = \"{value}\" 指向仓库之外，未使用（改用默认值）",
                "{key} = \"{value}\" points outside the repository; not used (the default applies)"
            ),
        )
        .help(text!(
            "仓库里的设置只能指向仓库内的文件；要用本机其他位置的字体，请在命令行给出 --font",
            "settings of a repository may only name files inside it; to use a font elsewhere on your machine, pass --font on the command line"
        ))
}

/// A number outside its allowed range: named, with the range, and the default used instead.
pub(crate) fn out_of_range(r: &crate::config::OutOfRange, span: Option<Span>) -> Diagnostic {
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

/// A setting that names none of the values it may take (`[cards] size`, a `[drills]` month-day
/// range): named, with what may be written, and what applies instead.
pub(crate) fn not_a_choice(r: &crate::config::NotAChoice, span: Option<Span>) -> Diagnostic {
    let (setting, value) = (&r.setting, &r.value);
    let (allowed_zh, allowed_en) = (&r.allowed.zh, &r.allowed.en);
    let (instead_zh, instead_en) = (&r.instead.zh, &r.instead.en);
    ConfigInvalid::INFO
        .at(
            "yuan.toml",
            span,
            text!(
                "yuan.toml 中 {setting} = {value} 无效：应为 {allowed_zh}",
                "yuan.toml: {setting} = {value} is not valid: use {allowed_en}"
            ),
        )
        .help(text!(
            "{instead_zh}；可用设置见 docs/format.md §6",
            "{instead_en}; docs/format.md §6 lists the settings"
        ))
}
