use crate::declare_rule;
use crate::diag::{Diagnostic, Span, Text};
use crate::model::date;
use crate::text;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::ValidationError;

declare_rule! {
    /// 头信息不符合模式 · Front matter violates its schema
    ///
    /// ## What it checks · 检查内容
    /// Each document kind has a JSON Schema in `schemas/` (draft 2020-12); each registry file
    /// has `schemas/registry.schema.json`. This rule reports missing required fields, wrong types,
    /// values outside the allowed set (kind, level, colour…), invalid dates, and empty lists that
    /// must not be empty, with the exact field path and line.
    ///
    /// 按 `schemas/` 中的 JSON Schema 校验：必填字段、类型、取值范围、日期格式。
    ///
    /// ## Why it matters · 为什么重要
    /// 《生产安全事故应急预案管理办法》 and GB/T 29639-2020 App. C require a plan to state its
    /// number, version, issuing unit and dates; handbooks and cards are generated from these
    /// fields, so a missing `lead` or a malformed date would print a wrong handbook.
    ///
    /// 《生产安全事故应急预案管理办法》和 GB/T 29639-2020 附录 C 要求预案写明编号、
    /// 版本、发布单位和日期；工作手册和处置卡由这些字段生成，缺少 `lead` 或日期格式错误就会印出错误的手册。
    ///
    /// ## Example · 示例
    /// ```yaml
    /// version: 2025.1          # a number, not a string
    /// dates: { issued: 2025-13-01, effective: 2025-03-10 }
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Follow the help line; field meanings are in docs/format.md. Quote versions (`"2025.1"`),
    /// write dates as `YYYY-MM-DD`, or `YYYY-MM` where a month is accepted (a Chinese date such as
    /// `二〇二四年六月` is named in the form to write: `2024-06`). Editors can validate as you type with the schemas in `schemas/`.
    ///
    /// 按提示行修改，字段含义见 docs/format.md。版本号加引号（`"2025.1"`），
    /// 日期写成 `YYYY-MM-DD`，只知道月份时写 `YYYY-MM`（`二〇二四年六月` 写成 `2024-06`）。
    /// 编辑器可用 `schemas/` 中的 schema 边写边校验。
    pub(crate) struct SchemaViolation {
        code: "F003",
        name: "schema-violation",
        severity: Error,
        stage: Load,
        summary: ("头信息字段缺失、类型或取值错误", "front matter field missing, of the wrong type or out of range"),
    }
}

const INFO: &crate::diag::rule::RuleInfo = &SchemaViolation::INFO;

/// `/response_levels/0/lead` -> `response_levels[0].lead`.
pub(crate) fn field_path(pointer: &str) -> String {
    let mut out = String::new();
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        if seg.chars().all(|c| c.is_ascii_digit()) && !seg.is_empty() {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        }
    }
    out
}

fn type_zh(t: &str) -> &'static str {
    match t {
        "string" => "字符串",
        "array" => "列表",
        "object" => "映射",
        "integer" => "整数",
        "number" => "数字",
        "boolean" => "布尔值（true/false）",
        "null" => "空值",
        _ => "其他类型",
    }
}

/// A diagnostic for one schema error at `span` (the caller resolves the pointer's position).
pub(crate) fn from_error(path: &str, err: &ValidationError, span: Option<Span>) -> Diagnostic {
    // An optional field (`anyOf: [its schema, null]`) or a field of several forms: say what the
    // first form that is not `null` says (a wrong `level` is a value outside its list, not
    // "not valid under any of the schemas listed in the 'anyOf' keyword").
    if let ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } =
        err.kind()
    {
        let not_null = |e: &&ValidationError| !matches!(e.kind(), ValidationErrorKind::Type { kind: TypeKind::Single(t) } if t.to_string() == "null");
        // an enum whose values are documented one by one is a `oneOf` of constants
        let values = constants(err);
        if values.len() > 1 {
            let field = field_path(err.instance_path().as_str());
            return one_of(path, span, &field, &values, err.instance());
        }
        if let Some(branch) = context.iter().flatten().find(not_null) {
            return from_error(path, branch, span);
        }
    }
    let pointer = err.instance_path().as_str().to_string();
    let field = field_path(&pointer);
    let shown = if field.is_empty() {
        "（头信息）".to_string()
    } else {
        field.clone()
    };
    let shown_en = if field.is_empty() {
        "(front matter)".to_string()
    } else {
        field.clone()
    };
    let mut en = format!("`{shown_en}`: {err}");
    let (zh, help) = match err.kind() {
        ValidationErrorKind::Required { property } => {
            let p = property.as_str().unwrap_or_default();
            let full = if field.is_empty() {
                p.to_string()
            } else {
                format!("{field}.{p}")
            };
            (
                format!("缺少必填字段 `{full}`"),
                Some(text!(
                    "添加 `{p}:`，字段含义见 docs/format.md",
                    "add `{p}:`; docs/format.md explains the field"
                )),
            )
        }
        ValidationErrorKind::Type { kind } => {
            let want: Vec<String> = match kind {
                TypeKind::Single(t) => vec![t.to_string()],
                TypeKind::Multiple(ts) => ts.iter().map(|t| t.to_string()).collect(),
            };
            let want_zh = want
                .iter()
                .map(|t| type_zh(t))
                .collect::<Vec<_>>()
                .join("或");
            let quote = want.iter().any(|t| t == "string") && err.instance().is_number();
            let year = err
                .instance()
                .as_u64()
                .filter(|y| (1000..=9999).contains(y) && is_date_field(&pointer));
            (
                format!("`{shown}` 的类型应为{want_zh}"),
                if let Some(y) = year {
                    Some(text!(
                        "只写年份不能作为日期：至少写到月份，如 {y}-06（YYYY-MM），知道日期时写 YYYY-MM-DD",
                        "a year alone is not a date: give at least the month, e.g. {y}-06 (YYYY-MM), or the day as YYYY-MM-DD"
                    ))
                } else if quote {
                    let v = err.instance().to_string();
                    Some(text!(
                        "给值加引号，写成 \"{v}\"：不加引号时它被当作数字（开头的 0 会丢失，2025.10 会变成 2025.1）",
                        "quote the value as \"{v}\": unquoted it is a number (a leading 0 is lost, 2025.10 becomes 2025.1)"
                    ))
                } else {
                    Some(type_help(&pointer, &want, err.instance()))
                },
            )
        }
        ValidationErrorKind::Enum { options } => {
            let opts = options
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|v| v.to_string().trim_matches('"').to_string())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            return one_of(path, span, &field, &opts, err.instance());
        }
        ValidationErrorKind::Constant { expected_value } => {
            let key = last_key(&pointer);
            (
                format!("`{shown}` 应为 {expected_value}"),
                Some(text!(
                    "写成 `{key}: {expected_value}`",
                    "write `{key}: {expected_value}`"
                )),
            )
        }
        ValidationErrorKind::Format { format } if format == date::FORMAT => {
            let v = err.instance().as_str().unwrap_or_default();
            en = format!("`{shown_en}` is not a valid date");
            let help = match date::suggest(v) {
                Some(s) => text!(
                    "写成 {s}：日期格式为 YYYY-MM-DD，只知道月份时写 YYYY-MM",
                    "write {s}: dates are YYYY-MM-DD, or YYYY-MM when only the month is known"
                ),
                None => text!(
                    "日期格式为 YYYY-MM-DD（如 2025-03-10），只知道月份时写 YYYY-MM（如 2024-06）",
                    "write dates as YYYY-MM-DD (e.g. 2025-03-10), or YYYY-MM when only the month is known (e.g. 2024-06)"
                ),
            };
            (format!("`{shown}` 不是有效日期"), Some(help))
        }
        ValidationErrorKind::Format { format } if format == "date" => (
            format!("`{shown}` 不是有效日期"),
            Some(text!(
                "日期格式为 YYYY-MM-DD，如 2025-03-10",
                "write dates as YYYY-MM-DD, e.g. 2025-03-10"
            )),
        ),
        ValidationErrorKind::MinItems { limit } => {
            let key = last_key(&pointer);
            (
                format!("`{shown}` 至少需要 {limit} 项"),
                Some(text!(
                    "列出至少 {limit} 项，每项一行，以 `- ` 开头，例如：`{key}:` 下一行写 `  - …`",
                    "list at least {limit} item(s), one per line starting with `- `, under `{key}:`"
                )),
            )
        }
        ValidationErrorKind::MinLength { limit } => (
            format!("`{shown}` 至少需要 {limit} 个字符"),
            Some(text!(
                "填写实际内容（至少 {limit} 个字符），不要留空",
                "write the actual value (at least {limit} character(s)); do not leave it empty"
            )),
        ),
        ValidationErrorKind::Minimum { limit } => (
            format!("`{shown}` 不能小于 {limit}"),
            Some(text!(
                "写一个不小于 {limit} 的数",
                "write a number of at least {limit}"
            )),
        ),
        ValidationErrorKind::Maximum { limit } => (
            format!("`{shown}` 不能大于 {limit}"),
            Some(text!(
                "写一个不大于 {limit} 的数",
                "write a number of at most {limit}"
            )),
        ),
        // the English message is jsonschema's; the Chinese names the schema keyword only
        other => (
            format!("`{shown}` 的写法不符合要求（{}）", other.keyword()),
            Some(text!(
                "按 docs/format.md 中该字段的说明填写",
                "write it as docs/format.md describes the field"
            )),
        ),
    };
    let mut d = INFO.at(path, span, crate::diag::Text::new(zh, en));
    if let Some(h) = help {
        d = d.help(h);
    }
    d
}

/// The values of a field that takes one of a list: the constants of a `oneOf` (or `anyOf`) of
/// constants, through an optional field's `anyOf [.., null]`; empty for anything else.
fn constants(err: &ValidationError) -> Vec<String> {
    match err.kind() {
        ValidationErrorKind::Constant { expected_value } => {
            vec![expected_value.to_string().trim_matches('"').to_string()]
        }
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            let mut out = Vec::new();
            for e in context.iter().flatten() {
                match e.kind() {
                    ValidationErrorKind::Type {
                        kind: TypeKind::Single(t),
                    } if t.to_string() == "null" => {}
                    _ => {
                        let more = constants(e);
                        if more.is_empty() {
                            return Vec::new();
                        }
                        out.extend(more);
                    }
                }
            }
            out
        }
        _ => Vec::new(),
    }
}

/// A value outside the list a field takes: the list, and the closest value or an example.
fn one_of(
    path: &str,
    span: Option<Span>,
    field: &str,
    opts: &[String],
    got: &serde_json::Value,
) -> Diagnostic {
    let key = last_key(&format!("/{field}"));
    let shown = if field.is_empty() {
        "（头信息）"
    } else {
        field
    };
    let shown_en = if field.is_empty() {
        "(front matter)"
    } else {
        field
    };
    let first = opts.first().cloned().unwrap_or_default();
    let (all_zh, all) = (opts.join("、"), opts.join(", "));
    let written = match got {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let close = got.as_str().and_then(|v| {
        crate::diag::suggest::suggest(v, opts.iter().map(String::as_str))
            .first()
            .map(|c| c.to_string())
    });
    let help = match close {
        Some(c) => text!(
            "是不是 `{c}`？取值为以下之一：{all_zh}",
            "did you mean `{c}`? The values are: {all}"
        ),
        None => text!(
            "写成以下之一：{all_zh}，例如 `{key}: {first}`",
            "write one of: {all}, e.g. `{key}: {first}`"
        ),
    };
    INFO.at(
        path,
        span,
        text!(
            "`{shown}` 的取值应为 {all_zh} 之一，现在是 `{written}`",
            "`{shown_en}`: `{written}` is not one of {all}"
        ),
    )
    .help(help)
}

/// The last key of `pointer` (`/response_levels/0/lead` → `lead`; an item of a list → its
/// list's key).
fn last_key(pointer: &str) -> String {
    pointer
        .split('/')
        .rev()
        .find(|s| !s.is_empty() && !s.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or("字段")
        .replace("~1", "/")
        .replace("~0", "~")
}

/// The help of a value of the wrong type: what was expected, with an example of the field
/// written that way (a list as a list, a mapping as a mapping, text as text).
fn type_help(pointer: &str, want: &[String], got: &serde_json::Value) -> Text {
    let key = last_key(pointer);
    let got_zh = match got {
        serde_json::Value::Array(_) => "列表",
        serde_json::Value::Object(_) => "映射",
        serde_json::Value::String(_) => "字符串",
        serde_json::Value::Number(_) => "数字",
        serde_json::Value::Bool(_) => "布尔值",
        serde_json::Value::Null => "空值",
    };
    let got_en = match got {
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "a mapping",
        serde_json::Value::String(_) => "text",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::Bool(_) => "true/false",
        serde_json::Value::Null => "empty",
    };
    let first = want.first().map(String::as_str).unwrap_or_default();
    let (zh, en) = match first {
        "array" => (
            format!("写成列表，例如 `{key}: [甲, 乙]`，或每项一行以 `- ` 开头；只有一项时也写成列表"),
            format!("write a list, e.g. `{key}: [a, b]`, or one `- ` line per item; a single item is a list of one"),
        ),
        "object" => (
            format!("写成映射：`{key}:` 下一行缩进两格写 `键: 值`"),
            format!("write a mapping: under `{key}:`, indented two spaces, one `key: value` per line"),
        ),
        "string" => (
            format!("写成文本，例如 `{key}: \"…\"`；列表或映射要改成一段文本"),
            format!("write text, e.g. `{key}: \"…\"`; a list or a mapping has to become one text"),
        ),
        "integer" => (
            format!("写一个整数，例如 `{key}: 12`（不加引号）"),
            format!("write a whole number, e.g. `{key}: 12` (no quotes)"),
        ),
        "number" => (
            format!("写一个数，例如 `{key}: 1.5`（不加引号）"),
            format!("write a number, e.g. `{key}: 1.5` (no quotes)"),
        ),
        "boolean" => (
            format!("写 `{key}: true` 或 `{key}: false`（不加引号）"),
            format!("write `{key}: true` or `{key}: false` (no quotes)"),
        ),
        _ => (
            "按 docs/format.md 中该字段的说明填写".to_string(),
            "write it as docs/format.md describes the field".to_string(),
        ),
    };
    Text::new(
        format!("现在写的是{got_zh}；{zh}"),
        format!("it is {got_en} now; {en}"),
    )
}

/// Whether the field at `pointer` holds a date (`dates.issued`, `filing.filed_on`, `verified`…).
fn is_date_field(pointer: &str) -> bool {
    let last = pointer.rsplit('/').next().unwrap_or_default();
    matches!(
        last,
        "issued" | "effective" | "published" | "assessed" | "filed_on" | "date" | "verified"
    )
}

/// A front matter that passed its schema but still could not be typed (should not happen;
/// reported instead of dropped so nothing is lost silently).
pub(crate) fn untyped(path: &str, span: Option<Span>, message: &str) -> Diagnostic {
    INFO.at(
        path,
        span,
        text!(
            "头信息无法读取：{message}",
            "front matter cannot be read: {message}"
        ),
    )
}

/// `kind` is present but not text (a list, a number): the document's kind, and so its schema,
/// is unknown.
pub(crate) fn kind_not_text(path: &str, span: Option<Span>) -> Diagnostic {
    let kinds = crate::model::meta::Kind::ALL.map(|k| k.as_str()).join(", ");
    INFO.at(
        path,
        span,
        text!(
            "`kind` 应为文本，取以下之一：{kinds}",
            "`kind` must be text, one of: {kinds}"
        ),
    )
    .help(text!(
        "例如 `kind: special`；`yuan new --help` 列出各类别",
        "for example `kind: special`; `yuan new --help` lists the kinds"
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn field_paths() {
        assert_eq!(
            super::field_path("/response_levels/0/lead"),
            "response_levels[0].lead"
        );
        assert_eq!(super::field_path(""), "");
    }
}
