//! What may reach a terminal: text from a plan repository (titles, ids, paths, file lines) is
//! shown with control characters and invisible reordering characters escaped, so a hostile
//! file cannot move the cursor, clear the screen or reverse what a reader sees (SECURITY.md).
//!
//! Beside [`Diagnostic`](super::Diagnostic) at the bottom of the stages: every stage that
//! prints a name from a plan (rules' messages, `yuan diff`, the generators' summaries) uses it.

use std::borrow::Cow;

/// Characters that change how text around them is shown without being seen: bidirectional
/// overrides and isolates, line and paragraph separators, zero-width marks.
pub(crate) fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// Whether `c` must not reach a terminal raw: C0 and C1 control characters, DEL, and the
/// invisible characters that reorder or break lines (bidirectional overrides, U+2028).
pub(crate) fn is_unsafe(c: char) -> bool {
    c.is_control() || is_invisible_format(c)
}

pub(crate) fn push_escaped(out: &mut String, c: char) {
    use std::fmt::Write as _;
    let _ = write!(out, "\\u{{{:x}}}", c as u32);
}

/// `s` with every control character (ESC, CR, LF, tab, DEL, C1) and invisible reordering
/// character written as `\u{1b}`, so text from a repository cannot move the cursor, recolour
/// or rewrite the terminal, or start a line that looks like yuan's own. CJK text and ordinary
/// punctuation are untouched (and not copied).
pub(crate) fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A whole rendered text (several lines) for the terminal: as [`escape`], but line ends and
/// tabs stay and, when `sgr` (yuan coloured it), so do colour sequences `ESC [ digits ; … m`,
/// which only change colours. For outputs built in one piece, such as `yuan diff`.
pub(crate) fn escape_rendered(s: &str, sgr: bool) -> Cow<'_, str> {
    let mut out = String::with_capacity(s.len());
    let mut changed = false;
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        let n = c.len_utf8();
        if c == '\u{1b}' && sgr {
            let tail = &rest[1..];
            if let Some(body) = tail.strip_prefix('[') {
                let len = body
                    .bytes()
                    .take_while(|b| b.is_ascii_digit() || *b == b';')
                    .count();
                if body.as_bytes().get(len) == Some(&b'm') {
                    out.push_str(&rest[..len + 3]);
                    rest = &rest[len + 3..];
                    continue;
                }
            }
        }
        if is_unsafe(c) && c != '\n' && c != '\t' {
            push_escaped(&mut out, c);
            changed = true;
        } else {
            out.push(c);
        }
        rest = &rest[n..];
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_escaped_and_cjk_kept() {
        assert_eq!(escape("青溪县，防汛（一）"), "青溪县，防汛（一）");
        assert!(matches!(escape("qx-flood"), Cow::Borrowed(_)));
        assert_eq!(
            escape("a\u{1b}[2Jb\nc\r\t\u{7f}"),
            "a\\u{1b}[2Jb\\u{a}c\\u{d}\\u{9}\\u{7f}"
        );
        assert_eq!(escape("x\u{202e}y\u{9b}"), "x\\u{202e}y\\u{9b}");
    }

    #[test]
    fn rendered_text_keeps_lines_and_its_own_colours_only() {
        let s = "\u{1b}[1;31mqx\u{1b}[0m  标题\u{1b}]0;x\u{7}\r\n\tok\n";
        assert_eq!(
            escape_rendered(s, true),
            "\u{1b}[1;31mqx\u{1b}[0m  标题\\u{1b}]0;x\\u{7}\\u{d}\n\tok\n"
        );
        assert_eq!(
            escape_rendered("\u{1b}[31mx", false),
            "\\u{1b}[31mx",
            "without colour no sequence passes"
        );
        assert!(matches!(escape_rendered("a\nb", true), Cow::Borrowed(_)));
    }
}
