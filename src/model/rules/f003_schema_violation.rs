use crate::declare_rule;
use crate::diag::{Diagnostic, Span};
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
                } else {
                    quote.then(|| {
                    let v = err.instance().to_string();
                    text!(
                        "给值加引号，写成 \"{v}\"：不加引号时它被当作数字（开头的 0 会丢失，2025.10 会变成 2025.1）",
                        "quote the value as \"{v}\": unquoted it is a number (a leading 0 is lost, 2025.10 becomes 2025.1)"
                    )
                })
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
            (
                format!("`{shown}` 的取值应为 {} 之一", opts.join("、")),
                None,
            )
        }
        ValidationErrorKind::Constant { expected_value } => {
            (format!("`{shown}` 应为 {expected_value}"), None)
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
        ValidationErrorKind::MinItems { limit } => (format!("`{shown}` 至少需要 {limit} 项"), None),
        ValidationErrorKind::MinLength { limit } => {
            (format!("`{shown}` 至少需要 {limit} 个字符"), None)
        }
        ValidationErrorKind::Minimum { limit } => (format!("`{shown}` 不能小于 {limit}"), None),
        ValidationErrorKind::Maximum { limit } => (format!("`{shown}` 不能大于 {limit}"), None),
        _ => (format!("`{shown}` 不符合模式：{err}"), None),
    };
    let mut d = INFO.at(path, span, crate::diag::Text::new(zh, en));
    if let Some(h) = help {
        d = d.help(h);
    }
    d
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
