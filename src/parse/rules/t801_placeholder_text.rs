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
    /// In a drill record (`kind: drill`), an inject still reading as the draft that
    /// `yuan drills new` writes for a plan without response levels,
    /// `导调组发出与“…”相关的情景`, is a placeholder too: the control cell needs the situation
    /// itself (what is seen, where, how big). A planned drill gets a warning, a held one
    /// (`status: done`) an error; a cancelled one nothing.
    ///
    /// 演练记录中仍为草稿占位的脚本科目（“导调组发出与“…”相关的情景”）。
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
    /// Fill in the real value, or mark the plan `status: draft` until it is. For a drill
    /// inject, write the situation the control cell announces (AQ/T 9007-2019 演练脚本:
    /// 情景, time, place, scale), e.g. `inject: 3 号罐进料法兰泄漏，液池约 30 平方米`.
    ///
    /// 填写实际内容，或在定稿前把预案标为 `status: draft`。演练脚本科目写明导调组发布的情景本身
    /// （时间、地点、规模），如 `inject: 3 号罐进料法兰泄漏，液池约 30 平方米`。
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

/// The start of the inject `yuan drills new` drafts for a plan without response levels
/// (`导调组发出与“<clause>”相关的情景`, [`crate::drills`] scaffold).
const DRAFT_INJECT: &str = "导调组发出与";
const DRAFT_INJECT_END: &str = "相关的情景";

/// Reports every draft inject left in a drill record's text (at most 20): a warning while the
/// drill is planned, an error once it is done, nothing for a cancelled one.
pub(crate) fn scan_injects(path: &str, text: &str, status: &str) -> Vec<Diagnostic> {
    let severity = match status {
        "done" => crate::diag::Severity::Error,
        "cancelled" => return Vec::new(),
        _ => crate::diag::Severity::Warning,
    };
    let mut lines = LineCursor::new(text);
    let mut out = Vec::new();
    for (at, _) in text.match_indices(DRAFT_INJECT) {
        let line_end = text[at..].find('\n').map_or(text.len(), |n| at + n);
        let Some(end) = text[at..line_end].find(DRAFT_INJECT_END) else {
            continue;
        };
        let end = at + end + DRAFT_INJECT_END.len();
        let found = &text[at..end];
        let mut d = PlaceholderText::INFO
            .at(
                path,
                Some(lines.span(at, end)),
                text!(
                    "演练脚本科目仍是草稿“{found}”",
                    "the drill inject is still the draft \"{found}\""
                ),
            )
            .help(text!(
                "写明导调组发出的具体情景：看到了什么、在哪里、规模多大（如“3 号罐进料法兰泄漏，液池约 30 平方米”）",
                "write the situation the control cell announces: what is seen, where, how big (e.g. \"flange leak on tank 3's feed line, a pool of about 30 m²\")"
            ));
        d.severity = severity;
        out.push(d);
        if out.len() == 20 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECORD: &str = "---\nkind: drill\ninjects:\n  - { offset_minutes: 0, inject: 导调组发出与“应急处置程序”相关的情景 }\n  - { offset_minutes: 5, inject: \"导调组发出与\\\"泄漏处置\\\"相关的情景\" }\n  - { offset_minutes: 9, inject: 导调组发出险情信息，罐区相关的情景 }\n---\n";

    #[test]
    fn draft_injects_are_found_and_real_ones_are_not() {
        let found = scan_injects("d.md", RECORD, "planned");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].message.zh.contains("应急处置程序"));
        assert_eq!(found[0].severity, crate::diag::Severity::Warning);
        assert!(found[1].message.zh.contains("泄漏处置"));
        // a real inject on its own line that happens to end in 相关的情景 is not a draft
        assert_eq!(
            scan_injects("d.md", "导调组发出险情，相关的情景\n", "done").len(),
            0
        );
    }

    #[test]
    fn held_drills_are_errors_cancelled_ones_are_left_alone() {
        let done = scan_injects("d.md", RECORD, "done");
        assert!(done
            .iter()
            .all(|d| d.severity == crate::diag::Severity::Error));
        assert!(scan_injects("d.md", RECORD, "cancelled").is_empty());
    }
}
