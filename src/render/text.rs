//! Line breaking for Chinese and mixed text.
//!
//! Break opportunities come from UAX #14 (`unicode-linebreak`), which already keeps closing
//! punctuation (，。、；：）」) off the start of a line and opening brackets (（「) off its end,
//! and keeps Latin words and numbers such as `TI-101` or `0.35` together where it can. When a
//! single unbreakable run is wider than the line, it is split by characters, still obeying the
//! Chinese punctuation rules (禁则) below. Widths come from the caller, so the same code breaks
//! lines for cards, handbooks and exercise packs.

use unicode_linebreak::linebreaks;

/// Characters that must not start a line (行首禁则).
const NO_LINE_START: &str = "，。、；：？！）」』】》〉〕］｝”’…—～·%‰℃,.;:?!)]}%'\"";
/// Characters that must not end a line (行尾禁则).
const NO_LINE_END: &str = "（「『【《〈〔［｛“‘([{";

/// Whether a line may start with `c`.
pub fn may_start_line(c: char) -> bool {
    !NO_LINE_START.contains(c)
}

/// Whether a line may end with `c`.
pub fn may_end_line(c: char) -> bool {
    !NO_LINE_END.contains(c)
}

/// Breaks `text` into lines no wider than `max_width` as measured by `width`.
/// Explicit newlines are kept. A line is never empty unless the text is; nothing is dropped:
/// the concatenation of the lines (plus the removed break spaces) is the text.
pub fn wrap(text: &str, max_width: f32, width: &dyn Fn(&str) -> f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        wrap_paragraph(
            paragraph.trim_end_matches('\r'),
            max_width,
            width,
            &mut lines,
        );
    }
    lines
}

fn wrap_paragraph(text: &str, max_width: f32, width: &dyn Fn(&str) -> f32, out: &mut Vec<String>) {
    if text.is_empty() {
        out.push(String::new());
        return;
    }
    // segments between break opportunities
    let mut segments = Vec::new();
    let mut start = 0;
    for (i, _) in linebreaks(text) {
        if i > start {
            segments.push(&text[start..i]);
        }
        start = i;
    }
    // widths are added up segment by segment: measuring each candidate line from its start
    // would be quadratic in the paragraph length
    let mut line = String::new();
    let mut line_w = 0.0;
    for seg in segments {
        let seg_w = width(seg);
        let seg_w_trim = width(seg.trim_end());
        if line.is_empty() || line_w + seg_w_trim <= max_width {
            if line.is_empty() && seg_w_trim > max_width {
                // one unbreakable run wider than the line: split it by characters
                split_long(seg, max_width, width, &mut line, out);
                line_w = width(&line);
            } else {
                line.push_str(seg);
                line_w += seg_w;
            }
        } else {
            out.push(line.trim_end().to_string());
            line.clear();
            if seg_w_trim > max_width {
                split_long(seg, max_width, width, &mut line, out);
                line_w = width(&line);
            } else {
                line.push_str(seg);
                line_w = seg_w;
            }
        }
    }
    out.push(line.trim_end().to_string());
}

/// Splits a run wider than the line by characters; the unfinished tail stays in `line`.
fn split_long(
    seg: &str,
    max_width: f32,
    width: &dyn Fn(&str) -> f32,
    line: &mut String,
    out: &mut Vec<String>,
) {
    for c in seg.chars() {
        let mut candidate = line.clone();
        candidate.push(c);
        if !line.is_empty() && width(candidate.trim_end()) > max_width {
            // move characters so that neither punctuation rule is broken
            let mut moved = String::new();
            let mut cur: Vec<char> = line.chars().collect();
            loop {
                let next_start = moved.chars().next().unwrap_or(c);
                let last = cur.last().copied();
                let bad_start = !may_start_line(next_start);
                let bad_end = last.is_some_and(|l| !may_end_line(l));
                if (bad_start || bad_end) && cur.len() > 1 {
                    if let Some(l) = cur.pop() {
                        moved.insert(0, l);
                    }
                } else {
                    break;
                }
            }
            out.push(cur.iter().collect::<String>().trim_end().to_string());
            *line = moved;
        }
        line.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character 1 unit wide: a line of width 5 holds 5 characters.
    fn w(s: &str) -> f32 {
        s.chars().count() as f32
    }

    #[test]
    fn chinese_breaks_anywhere_but_before_closing_punctuation() {
        let lines = wrap("立即报告值班长，说明釜号。", 7.0, &w);
        assert_eq!(lines, vec!["立即报告值班", "长，说明釜号。"]);
        for l in &lines {
            let first = l.chars().next().expect("non-empty");
            assert!(may_start_line(first), "{l}");
        }
    }

    #[test]
    fn no_line_ends_with_an_opening_bracket() {
        let lines = wrap("撤离到上风向（东门）集合点", 6.0, &w);
        for l in &lines {
            let last = l.chars().last().expect("non-empty");
            assert!(may_end_line(last), "{lines:?}");
        }
        assert_eq!(lines.concat(), "撤离到上风向（东门）集合点");
    }

    #[test]
    fn latin_tags_and_numbers_stay_together() {
        let lines = wrap("关闭阀门 XV-101A 后报告", 9.0, &w);
        assert!(lines.iter().any(|l| l.contains("XV-101A")), "{lines:?}");
    }

    #[test]
    fn an_overlong_run_is_split_without_losing_text() {
        let lines = wrap("ABCDEFGHIJKLMNOPQRSTUVWXYZ。", 10.0, &w);
        assert!(lines.iter().all(|l| w(l) <= 10.0), "{lines:?}");
        assert_eq!(lines.concat(), "ABCDEFGHIJKLMNOPQRSTUVWXYZ。");
        assert!(lines.iter().all(|l| !l.starts_with('。')));
    }

    #[test]
    fn newlines_are_kept_and_empty_text_gives_one_empty_line() {
        assert_eq!(wrap("甲\n乙", 10.0, &w), vec!["甲", "乙"]);
        assert_eq!(wrap("", 10.0, &w), vec![""]);
    }
}
