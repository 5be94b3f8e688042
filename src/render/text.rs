//! Line breaking for Chinese and mixed text.
//!
//! Break opportunities come from UAX #14 (`unicode-linebreak`), which already keeps closing
//! punctuation (，。、；：）」) off the start of a line and opening brackets (（「) off its end,
//! and keeps Latin words and numbers such as `TI-101` or `0.35` together where it can. It
//! still breaks after a hyphen before a letter (`P-A1`, `XV-B`) and around `/`: an equipment
//! or valve tag (`XV-101A`, `P-302`, `HV-101C/D`) or a phone number (`0745-6628119`) split
//! across lines is misread in the field, so no break is taken inside one ([`tag_spans`]).
//! When a single unbreakable run is wider than the line, it is split by characters, still
//! obeying the Chinese punctuation rules (禁则) below. Widths come from the caller, so the same code breaks
//! lines for cards, handbooks and exercise packs.

use unicode_linebreak::linebreaks;

/// Characters that must not start a line (行首禁则).
const NO_LINE_START: &str = "，。、；：？！）」』】》〉〕］｝”’…—～·%‰℃,.;:?!)]}%'\"";
/// Characters that must not end a line (行尾禁则).
const NO_LINE_END: &str = "（「『【《〈〔［｛“‘([{";

/// Whether a line may start with `c`.
pub(crate) fn may_start_line(c: char) -> bool {
    !NO_LINE_START.contains(c)
}

/// Whether a line may end with `c`.
pub(crate) fn may_end_line(c: char) -> bool {
    !NO_LINE_END.contains(c)
}

/// Breaks `text` into lines no wider than `max_width` as measured by `width`.
/// Explicit newlines are kept. A line is never empty unless the text is; nothing is dropped:
/// the concatenation of the lines (plus the removed break spaces) is the text.
pub(crate) fn wrap(text: &str, max_width: f32, width: &dyn Fn(&str) -> f32) -> Vec<String> {
    wrap_ranges(text, max_width, &|a, b| width(&text[a..b]))
        .into_iter()
        .map(|(a, b)| text[a..b].to_string())
        .collect()
}

/// [`wrap`] as byte ranges of `text`, with `width(a, b)` measuring `text[a..b]`: for text
/// whose parts are measured differently (bold runs inside a paragraph), the same breaks.
pub(crate) fn wrap_ranges(
    text: &str,
    max_width: f32,
    width: &dyn Fn(usize, usize) -> f32,
) -> Vec<(usize, usize)> {
    let mut lines = Vec::new();
    let mut start = 0;
    for paragraph in text.split('\n') {
        let end = start + paragraph.trim_end_matches('\r').len();
        Breaker {
            text,
            max_width,
            width,
            out: &mut lines,
        }
        .paragraph(start, end);
        start += paragraph.len() + 1;
    }
    lines
}

/// Line breaking of one paragraph `text[start..end]` into `out`.
struct Breaker<'a> {
    text: &'a str,
    max_width: f32,
    width: &'a dyn Fn(usize, usize) -> f32,
    out: &'a mut Vec<(usize, usize)>,
}

impl Breaker<'_> {
    /// `a..b` without trailing whitespace.
    fn trim_end(&self, a: usize, b: usize) -> (usize, usize) {
        (a, a + self.text[a..b].trim_end().len())
    }

    fn push(&mut self, a: usize, b: usize) {
        let r = self.trim_end(a, b);
        self.out.push(r);
    }

    fn paragraph(&mut self, start: usize, end: usize) {
        if start == end {
            self.out.push((start, start));
            return;
        }
        // segments between break opportunities (contiguous: the last one ends the paragraph)
        let mut segments = Vec::new();
        let mut from = start;
        let tags = tag_spans(&self.text[start..end]);
        let mut tag = tags.iter().peekable();
        for (i, _) in linebreaks(&self.text[start..end]) {
            // no break inside a tag (the spans and the breaks both come in order)
            while tag.next_if(|(_, b)| *b <= i).is_some() {}
            if tag.peek().is_some_and(|(a, _)| *a < i) {
                continue;
            }
            let i = start + i;
            if i > from {
                segments.push((from, i));
            }
            from = i;
        }
        // widths are added up segment by segment: measuring each candidate line from its
        // start would be quadratic in the paragraph length
        let (mut ls, mut le) = (start, start);
        let mut line_w = 0.0;
        for (sa, sb) in segments {
            let seg_w = (self.width)(sa, sb);
            let (ta, tb) = self.trim_end(sa, sb);
            let seg_w_trim = if tb == sb {
                seg_w
            } else {
                (self.width)(ta, tb)
            };
            if ls == le || line_w + seg_w_trim <= self.max_width {
                if ls == le && seg_w_trim > self.max_width {
                    // one unbreakable run wider than the line: split it by characters
                    ls = self.split_long(sa, sb, sa);
                    le = sb;
                    line_w = (self.width)(ls, le);
                } else {
                    le = sb;
                    line_w += seg_w;
                }
            } else {
                self.push(ls, le);
                if seg_w_trim > self.max_width {
                    ls = self.split_long(sa, sb, sa);
                    le = sb;
                    line_w = (self.width)(ls, le);
                } else {
                    (ls, le) = (sa, sb);
                    line_w = seg_w;
                }
            }
        }
        self.push(ls, le);
    }

    /// Splits the segment `sa..sb`, wider than the line, by characters; the line so far
    /// starts at `ls` and ends at `sa`. Returns where the unfinished tail (ending at `sb`)
    /// starts.
    fn split_long(&mut self, sa: usize, sb: usize, mut ls: usize) -> usize {
        for (i, c) in self.text[sa..sb].char_indices() {
            let le = sa + i;
            let (ta, tb) = self.trim_end(ls, le + c.len_utf8());
            if ls < le && (self.width)(ta, tb) > self.max_width {
                // move characters so that neither punctuation rule is broken
                let mut cut = le;
                loop {
                    let next_start = self.text[cut..].chars().next().unwrap_or(c);
                    let last = self.text[ls..cut].chars().next_back();
                    let bad_start = !may_start_line(next_start);
                    let bad_end = last.is_some_and(|l| !may_end_line(l));
                    if (bad_start || bad_end) && self.text[ls..cut].chars().nth(1).is_some() {
                        cut -= last.map_or(0, char::len_utf8);
                    } else {
                        break;
                    }
                }
                self.push(ls, cut);
                ls = cut;
            }
        }
        ls
    }
}

/// The byte ranges of the tag-like tokens of `text`: ASCII letters and digits joined by `-`,
/// `_`, `/` or `.` with at least one joint (`XV-101A`, `P-302`, `HV-101C/D`, `0745-6628119`,
/// `0.35`), which a line must not split.
pub(crate) fn tag_spans(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let alnum = |i: usize| b.get(i).is_some_and(u8::is_ascii_alphanumeric);
    let joint = |i: usize| matches!(b.get(i), Some(b'-' | b'_' | b'/' | b'.'));
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !alnum(i) {
            i += 1;
            continue;
        }
        let start = i;
        let mut joints = 0;
        loop {
            while alnum(i) {
                i += 1;
            }
            if joint(i) && alnum(i + 1) {
                joints += 1;
                i += 1;
            } else {
                break;
            }
        }
        if joints > 0 {
            out.push((start, i));
        }
    }
    out
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

    /// UAX #14 alone breaks `P-A1` after the hyphen and `HV-101C/D` after the slash; a tag is
    /// kept whole wherever it would have been split, and the text around it still breaks.
    #[test]
    fn equipment_tags_and_phone_numbers_never_break() {
        for tag in [
            "P-302",
            "XV-101A",
            "P-A1",
            "HV-101C/D",
            "0745-6628119",
            "LT-201A/B",
        ] {
            let text = format!("关闭{tag}阀门后报告值班长");
            for width in tag.len()..tag.len() + 10 {
                let lines = wrap(&text, width as f32, &w);
                assert_eq!(lines.concat(), text);
                assert!(
                    lines.iter().any(|l| l.contains(tag)),
                    "{tag} split at width {width}: {lines:?}"
                );
            }
        }
        // the tags are found, and nothing else
        let t = "用 XV-101A、P-302 和 0.35 兆帕；A-B-C 与 a- b";
        let found: Vec<&str> = tag_spans(t).iter().map(|&(a, b)| &t[a..b]).collect();
        assert_eq!(found, ["XV-101A", "P-302", "0.35", "A-B-C"]);
        // the check that keeps them whole can fail: without it UAX #14 splits this one
        let raw: Vec<usize> = linebreaks("P-A1").map(|(i, _)| i).collect();
        assert!(raw.contains(&2), "{raw:?}");
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

    #[test]
    fn ranges_break_where_wrap_breaks_and_measure_parts_apart() {
        let t = "甲乙丙丁，戊己庚辛。\n壬癸";
        let r = wrap_ranges(t, 5.0, &|a, b| w(&t[a..b]));
        let lines: Vec<&str> = r.iter().map(|&(a, b)| &t[a..b]).collect();
        assert_eq!(lines, wrap(t, 5.0, &w));
        // the first two characters twice as wide (a bold run): the first line gets shorter
        let bold = "甲乙".len();
        let wide = |a: usize, b: usize| w(&t[a..b]) + w(&t[a.min(bold)..b.min(bold)]);
        let r = wrap_ranges(t, 5.0, &wide);
        assert_eq!(&t[r[0].0..r[0].1], "甲乙丙");
        assert!(r.iter().all(|&(a, b)| wide(a, b) <= 5.0), "{r:?}");
    }
}
