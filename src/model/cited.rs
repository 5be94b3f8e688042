//! Plan titles cited in a body (stage 4, model): `《…应急预案》` and `《…现场处置方案》`.
//!
//! Takes a document's text (the body after its front matter) and gives the titles in 《》 that
//! name a plan, normalised, with their positions ([`scan`]); and the normal form of a title
//! ([`normalize`]) under which R407 compares them with the titles of the repository's documents
//! and of the registry's `external_plans`.
//!
//! Why here: which 《…》 is a plan is domain knowledge. Published plans cite laws
//! (《中华人民共和国突发事件应对法》), regulations (《生产安全事故应急条例》), rules
//! (《突发事件应急预案管理办法》), standards (《生产经营单位生产安全事故应急预案编制导则》),
//! notices (《…关于印发…的通知》) and plans, in one list under 编制依据. Only a title that ends
//! in 预案 or 处置方案 names a plan; a notice that issues one (关于印发…的通知) cites the plan it
//! issues. A plan cited in the clause that repeals it (a revised plan's 附则:
//! `《…》（…号）同时废止`) is marked ([`repeals`]): it is expected to be gone. The scan runs
//! once per file at load (its result is cached with the document), so a check reads no body
//! again.

use crate::diag::Span;
use crate::parse::lines::LineCursor;
use serde::{Deserialize, Serialize};

/// A plan title cited in a body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Cited {
    /// The title as written between 《 and 》.
    pub(crate) title: String,
    /// Its normal form ([`normalize`] of the plan's title: the notice around it removed).
    pub(crate) norm: String,
    /// Where 《…》 is.
    pub(crate) span: Span,
    /// Cited in the clause that repeals it (`《…》（…〔2016〕12号）同时废止`): the plan this
    /// one replaces, expected to be gone ([`repeals`]).
    pub(crate) repealed: bool,
}

/// Titles that name a kind of plan, not one plan: 编制《现场处置方案》 says what to write.
const GENERIC: &[&str] = &[
    "预案",
    "应急预案",
    "专项预案",
    "专项应急预案",
    "综合预案",
    "综合应急预案",
    "总体预案",
    "总体应急预案",
    "部门预案",
    "部门应急预案",
    "处置方案",
    "现场处置方案",
    "应急处置方案",
];

/// Longest title looked at (a 《 with no 》 nearby is not a title).
const MAX_TITLE_CHARS: usize = 80;

/// The normal form of a plan title: no spaces (full-width, non-breaking, ASCII), half-width
/// brackets as full-width, no 《》〈〉 marks, and no trailing bracketed note such as
/// （2024年修订） or （试行）.
pub(crate) fn normalize(title: &str) -> String {
    let mut s: String = title
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '《' | '》' | '〈' | '〉' | '<' | '>'))
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            c => c,
        })
        .collect();
    // trailing notes, one after another: 《…预案（2024年修订）（试行）》
    while s.ends_with('）') {
        let Some(open) = s.rfind('（') else { break };
        if open == 0 {
            break;
        }
        s.truncate(open);
    }
    s
}

/// The plan a title in 《》 names, in normal form, or `None` when it names no plan (a law, a
/// regulation, a standard, a notice about something else, a kind of plan).
pub(crate) fn plan_title(raw: &str) -> Option<String> {
    let mut t = normalize(raw);
    // 《XX人民政府办公室关于印发XX应急预案的通知》: the plan is what the notice issues
    if let Some(i) = t.find("关于印发") {
        let inner = &t[i + "关于印发".len()..];
        let inner = inner.strip_suffix("的通知").unwrap_or(inner);
        // one notice issuing several plans cites none of them by its own title
        if inner.matches("预案").count() + inner.matches("处置方案").count() != 1 {
            return None;
        }
        t = normalize(inner);
    }
    let is_plan = t.ends_with("预案") || t.ends_with("处置方案");
    if !is_plan || GENERIC.contains(&t.as_str()) {
        return None;
    }
    // 本预案, 该预案, 上述预案: no title
    if ["本", "该", "上述", "各类", "相关", "有关"]
        .iter()
        .any(|p| {
            t.strip_prefix(p)
                .is_some_and(|rest| GENERIC.contains(&rest))
        })
    {
        return None;
    }
    Some(t)
}

/// Words that repeal a plan: a 附则 ends with `《XX应急预案》（…号）同时废止` (or 予以废止,
/// 停止执行, 不再执行).
const REPEAL: &[&str] = &["废止", "停止执行", "不再执行"];

/// Whether the clause around `body[start..end]` (a citation) repeals what it cites. A clause
/// runs between sentence marks (`。；！？`, a line break) or commas, a comma inside a bracketed
/// note (`（2016年印发，…号）`) not counting: `本预案自印发之日起施行，《A》同时废止。` repeals
/// A and not what an earlier clause cites.
pub(crate) fn repeals(body: &str, start: usize, end: usize) -> bool {
    let ends = |c: char| matches!(c, '。' | '；' | '！' | '？' | '\n');
    let mut depth = 0usize;
    let mut stop = body.len();
    for (i, c) in body[end..].char_indices() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth = depth.saturating_sub(1),
            '，' | ',' if depth == 0 => {
                stop = end + i;
                break;
            }
            c if ends(c) => {
                stop = end + i;
                break;
            }
            _ => {}
        }
    }
    let begin = body[..start]
        .char_indices()
        .rev()
        .find(|&(_, c)| ends(c) || c == '，' || c == ',')
        .map_or(0, |(i, c)| i + c.len_utf8());
    let clause = &body[begin..stop];
    REPEAL.iter().any(|w| clause.contains(w))
}

/// The plan titles cited in `text` from byte `from` on (the body), in order, outside HTML
/// comments.
pub(crate) fn scan(text: &str, from: usize) -> Vec<Cited> {
    let mut out = Vec::new();
    let Some(body) = text.get(from..) else {
        return out;
    };
    if !body.contains('《') {
        return out;
    }
    let mut lines = LineCursor::new(text);
    let mut at = 0;
    while let Some(i) = body[at..].find(['《', '<']) {
        let start = at + i;
        let rest = &body[start..];
        if rest.starts_with("<!--") {
            // the writer's note is not text
            at = match rest.find("-->") {
                Some(j) => start + j + 3,
                None => body.len(),
            };
            continue;
        }
        if rest.starts_with('<') {
            at = start + 1;
            continue;
        }
        let open = '《'.len_utf8();
        // the matching 》, allowing one level of 《》 inside (a notice's title)
        let mut depth = 0usize;
        let mut end = None;
        for (j, c) in rest[open..].char_indices().take(MAX_TITLE_CHARS) {
            match c {
                '《' => depth += 1,
                '》' if depth == 0 => {
                    end = Some(open + j);
                    break;
                }
                '》' => depth -= 1,
                '\n' => break,
                _ => {}
            }
        }
        let Some(close) = end else {
            at = start + open;
            continue;
        };
        let raw = &rest[open..close];
        if let Some(norm) = plan_title(raw) {
            let a = from + start;
            let b = a + close + '》'.len_utf8();
            out.push(Cited {
                title: raw.trim().to_string(),
                norm,
                span: lines.span(a, b),
                repealed: repeals(body, start, start + close + '》'.len_utf8()),
            });
        }
        at = start + close + '》'.len_utf8();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_are_cited_laws_standards_and_notices_are_not() {
        let yes = [
            ("青溪县突发事件总体应急预案", "青溪县突发事件总体应急预案"),
            ("国家突发事件总体应急预案", "国家突发事件总体应急预案"),
            ("客房火灾现场处置方案", "客房火灾现场处置方案"),
            (
                "湘江省防汛抗旱应急预案（2024年修订）",
                "湘江省防汛抗旱应急预案",
            ),
            ("湘江省防汛抗旱应急预案(试行)", "湘江省防汛抗旱应急预案"),
            ("青溪县 防汛抗旱　应急预案", "青溪县防汛抗旱应急预案"),
            (
                "恒口示范区（试验区）生产安全事故应急预案",
                "恒口示范区（试验区）生产安全事故应急预案",
            ),
            (
                "云州市人民政府办公室关于印发云州市防汛抗旱应急预案的通知",
                "云州市防汛抗旱应急预案",
            ),
            (
                "云州市人民政府办公室关于印发〈云州市防汛抗旱应急预案〉的通知",
                "云州市防汛抗旱应急预案",
            ),
        ];
        for (raw, want) in yes {
            assert_eq!(plan_title(raw).as_deref(), Some(want), "{raw}");
        }
        let no = [
            "中华人民共和国突发事件应对法",
            "生产安全事故应急条例",
            "突发事件应急预案管理办法",
            "生产安全事故应急预案管理办法",
            "生产经营单位生产安全事故应急预案编制导则",
            "云州市人民政府关于加强应急预案管理工作的通知",
            "云州市人民政府办公室关于印发防汛应急预案和地质灾害应急预案的通知",
            "云州市应急预案汇编",
            "现场处置方案",
            "本预案",
            "相关专项应急预案",
            "消防救援队伍行动方案",
            "安全生产月活动实施方案",
        ];
        for raw in no {
            assert_eq!(plan_title(raw), None, "{raw}");
        }
    }

    #[test]
    fn scan_finds_titles_with_their_lines_outside_comments() {
        let text = "---\nid: x\n---\n\n依据《中华人民共和国安全生产法》《青溪县突发事件总体应急预案》\n<!-- 《旧版防汛应急预案》 -->\n与《客房火灾现场处置方案》衔接。《未闭合\n";
        let found = scan(text, 12);
        let got: Vec<(&str, u32, u32)> = found
            .iter()
            .map(|c| (c.norm.as_str(), c.span.line, c.span.col))
            .collect();
        assert_eq!(
            got,
            [
                ("青溪县突发事件总体应急预案", 5, 17),
                ("客房火灾现场处置方案", 7, 2)
            ]
        );
        assert_eq!(
            &text[found[1].span.start as usize..found[1].span.end as usize],
            "《客房火灾现场处置方案》"
        );
        assert!(scan("---\n---\n没有书名号。\n", 8).is_empty());
    }

    #[test]
    fn a_plan_the_text_repeals_is_marked() {
        let repealed = |body: &str| -> Vec<(String, bool)> {
            scan(body, 0)
                .into_iter()
                .map(|c| (c.norm, c.repealed))
                .collect()
        };
        let r = |t: &str, y: bool| (t.to_string(), y);
        assert_eq!(
            repealed("本预案自印发之日起施行。《海西市处置森林火灾应急预案》（海政办〔2016〕12号）同时废止。"),
            [r("海西市处置森林火灾应急预案", true)]
        );
        // the clause, not the sentence: the plan followed is not repealed
        assert_eq!(
            repealed("依据《江川省森林火灾应急预案》制定，自印发之日起施行，《海西市森林防火预案》同时废止。"),
            [r("江川省森林火灾应急预案", false), r("海西市森林防火预案", true)]
        );
        // several, a comma inside the note, the verb first
        assert_eq!(
            repealed("《甲县防汛应急预案》（2016年印发，甲政办〔2016〕3号）、《甲县抗旱应急预案》予以废止。"),
            [r("甲县防汛应急预案", true), r("甲县抗旱应急预案", true)]
        );
        assert_eq!(
            repealed("本预案印发后，同时废止《乙县地震应急预案》和《乙县地质灾害应急预案》。"),
            [r("乙县地震应急预案", true), r("乙县地质灾害应急预案", true)]
        );
        assert_eq!(
            repealed("原《丙县突发事件总体应急预案》不再执行。\n本预案与《丁市突发事件总体应急预案》相衔接。"),
            [r("丙县突发事件总体应急预案", true), r("丁市突发事件总体应急预案", false)]
        );
    }
}
