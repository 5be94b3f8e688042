use crate::declare_rule;
use crate::diag::Diagnostic;
use crate::parse::lines::LineCursor;
use crate::text;
use regex::Regex;

declare_rule! {
    /// 残留占位文字 · Placeholder text left in a plan
    ///
    /// ## What it checks · 检查内容
    /// Text that marks an unfinished plan: by default `XXX`, `××`, `待定`, `TODO`, `TBD`, `某某`
    /// (configurable as `[check] placeholders`). Searched in the front matter and the body.
    /// Plans with `status: draft` get a warning instead of an error. A placeholder written as a
    /// reference (`parent: 待定`, `issuer: 待定`, a card's `post: 待定`) is reported here once:
    /// H201, R401 and H206 do not report it again as an id that does not exist.
    ///
    /// 预案中残留“XXX、××、待定、TODO”等占位文字。引用字段中的占位文字只在此报告一次。
    ///
    /// ## Why it matters · 为什么重要
    /// A duty officer cannot call "0745-XXXXXXX". Plans must be complete when issued; GB/T
    /// 29639-2020 §9.5 asks for the contact details themselves, and 2024 办法 requires plans to be
    /// practical and operable (针对性、实用性、可操作性: 《突发事件应急预案管理办法》（2013）
    /// 第二十四条 and its 2024 successor).
    ///
    /// 值班人员拨不了“0745-XXXXXXX”。预案印发时必须完整：GB/T 29639-2020 第 9.5 条要求写明联系方式本身，
    /// 预案还要具有针对性、实用性和可操作性（《突发事件应急预案管理办法》（2013）
    /// 第二十四条及其 2024 年对应条款）。
    ///
    /// ## Example · 示例
    /// ```markdown
    /// 现场指挥部设在XXX，由待定同志负责。
    /// ```
    ///
    /// ## How to fix · 如何修改
    /// Fill in the real value, or mark the plan `status: draft` until it is.
    ///
    /// 填写实际内容，或在定稿前把预案标为 `status: draft`。
    pub(crate) struct PlaceholderText {
        code: "T801",
        name: "placeholder-text",
        severity: Error,
        stage: Load,
        summary: ("预案中残留占位文字", "placeholder text left in a plan"),
    }
}

/// Compiles the configured placeholders into one pattern.
pub fn pattern(placeholders: &[String]) -> Option<Regex> {
    if placeholders.is_empty() {
        return None;
    }
    let alt = placeholders
        .iter()
        .map(|p| regex::escape(p))
        .collect::<Vec<_>>()
        .join("|");
    Regex::new(&alt).ok()
}

/// Reports every placeholder in `text` (at most 20 per file).
pub(crate) fn scan(path: &str, text: &str, re: &Regex, draft: bool) -> Vec<Diagnostic> {
    let mut lines = LineCursor::new(text);
    re.find_iter(text)
        .take(20)
        .map(|m| {
            let found = m.as_str();
            let mut d = PlaceholderText::INFO
                .at(
                    path,
                    Some(lines.span(m.start(), m.end())),
                    text!(
                        "残留占位文字“{found}”",
                        "placeholder text \"{found}\" left in the plan"
                    ),
                )
                .help(text!(
                    "填写实际内容；尚未定稿的预案请标注 `status: draft`",
                    "fill in the real value, or mark the plan `status: draft` until it is final"
                ));
            if draft {
                d.severity = crate::diag::Severity::Warning;
            }
            d
        })
        .collect()
}
