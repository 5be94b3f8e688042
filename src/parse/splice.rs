//! Field splices: the one way yuan edits YAML it did not write.
//!
//! Parse stage, used by commands that change a plan (`yuan align`). A YAML library would
//! re-emit the whole front matter and lose the author's comments, key order and quoting, so a
//! top-level field is edited as text instead: its lines are found from the key's position that
//! [`yaml::parse`] records, and replaced by new lines (or added at the end of the front matter).
//! Every other byte of the file stays as it was, line endings included. The new lines come from
//! the small emitter here ([`scalar`], [`quoted`], [`block_sequence`]), which writes only what
//! reads back as written; callers re-parse the result ([`front_matter_without`]) and compare.

use super::{front_matter, lines::char_to_byte, yaml};
use serde_json::Value;
use std::ops::Range;

/// A YAML scalar for `s`: plain when that reads back as the same string, else double-quoted.
pub(crate) fn scalar(s: &str) -> String {
    let plain = s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:/".contains(c))
        && !s.ends_with(':')
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain {
        s.to_string()
    } else {
        quoted(s)
    }
}

/// A double-quoted YAML scalar for `s`: `"` and `\` escaped, and every character YAML does not
/// take as it is (controls, DEL, the line separators, a byte-order mark) as `\uXXXX`.
pub(crate) fn quoted(s: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c < ' '
                || ('\u{7f}'..='\u{9f}').contains(&c)
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                ) =>
            {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One mapping of a block sequence: keys with their values already written as YAML scalars.
pub(crate) type Fields<'a> = Vec<(&'a str, String)>;

/// The field `key` as a block sequence of mappings, one line per key, without line endings.
pub(crate) fn block_sequence(key: &str, entries: &[Fields]) -> Vec<String> {
    let mut out = vec![format!("{key}:")];
    for entry in entries {
        for (i, (k, v)) in entry.iter().enumerate() {
            let lead = if i == 0 { "  - " } else { "    " };
            out.push(format!("{lead}{k}: {v}"));
        }
    }
    out
}

/// The result of a splice: the new text, and the byte ranges of the old field (in the old
/// text) and of the new one (in the new text).
#[derive(Debug)]
pub(crate) struct Splice {
    pub(crate) text: String,
    pub(crate) old: Range<usize>,
    pub(crate) new: Range<usize>,
}

/// The file text with its front matter's top-level field `key` replaced by `block` (or, when
/// there is none, `block` added at the end of the front matter). Nothing else changes; the
/// file's line endings are kept, and `block` is indented to the old field's column.
pub(crate) fn splice(text: &str, key: &str, block: &[String]) -> anyhow::Result<Splice> {
    let split = front_matter::split(text)
        .map_err(|_| crate::env_error!("文件没有头信息", "the file has no front matter"))?;
    let fm = &text[split.yaml.clone()];
    let (_, spans) = yaml::parse(fm, true, yaml::Limits::default()).map_err(|_| {
        crate::env_error!(
            "头信息不是有效的 YAML（运行 yuan check）",
            "the front matter is not valid YAML (run yuan check)"
        )
    })?;
    let eol = if fm.contains("\r\n") { "\r\n" } else { "\n" };
    let base = split.yaml.start;
    let (range, col) = match spans
        .get(&format!("/{key}"))
        .and_then(|n| n.key.map(|k| (k, n.value)))
    {
        Some(((key_at, _), (_, value_end))) => {
            let key_at = char_to_byte(fm, key_at.index);
            let value_end = char_to_byte(fm, value_end.index);
            let (lines, col) = field_lines(fm, key_at, value_end).ok_or_else(|| {
                crate::env_error!(
                    "找不到 `{key}` 字段在哪里结束，请手工编辑",
                    "cannot find where the `{key}` field ends; edit it by hand"
                )
            })?;
            (base + lines.start..base + lines.end, col)
        }
        None => (split.yaml.end..split.yaml.end, 0),
    };
    let pad = " ".repeat(col);
    let mut new_field = String::new();
    for l in block {
        new_field.push_str(&pad);
        new_field.push_str(l);
        new_field.push_str(eol);
    }
    let mut out = String::with_capacity(text.len() + new_field.len());
    out.push_str(&text[..range.start]);
    if range.is_empty() && range.start > 0 && !text[..range.start].ends_with('\n') {
        out.push_str(eol);
    }
    let new_start = out.len();
    out.push_str(&new_field);
    let new_end = out.len();
    out.push_str(&text[range.end..]);
    Ok(Splice {
        text: out,
        old: range,
        new: new_start..new_end,
    })
}

/// The whole lines of the front matter `fm` that hold the field whose key starts at byte
/// `key_at` and whose value ends at `value_end`, and the key's column; `None` when what follows
/// the field's lines is more than blank and comment lines before its value ends.
fn field_lines(fm: &str, key_at: usize, value_end: usize) -> Option<(Range<usize>, usize)> {
    let start = fm[..key_at].rfind('\n').map_or(0, |i| i + 1);
    let col = fm[start..key_at].chars().count();
    // the field runs on while lines are blank, indented deeper, or `- ` items at its column
    let mut end = fm[key_at..].find('\n').map_or(fm.len(), |i| key_at + i + 1);
    let mut kept = end;
    while end < fm.len() {
        let next = fm[end..].find('\n').map_or(fm.len(), |i| end + i + 1);
        let line = fm[end..next].trim_end_matches(['\n', '\r']);
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        if rest.is_empty() {
            end = next;
            continue;
        }
        if indent > col || (indent == col && (rest == "-" || rest.starts_with("- "))) {
            end = next;
            kept = next;
        } else {
            break;
        }
    }
    // a block collection ends at the next token: only blank and comment lines between
    let gap = fm.get(kept..value_end.max(kept)).unwrap_or("");
    gap.lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        .then_some((start..kept, col))
}

/// The front matter of `text` as a JSON value without its top-level field `key`, and that
/// field's value; `None` when there is no readable front matter.
pub(crate) fn front_matter_without(text: &str, key: &str) -> Option<(Value, Option<Value>)> {
    let split = front_matter::split(text).ok()?;
    let (mut v, _) = yaml::parse(&text[split.yaml], false, yaml::Limits::default()).ok()?;
    let field = v.as_object_mut()?.remove(key);
    Some((v, field))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block() -> Vec<String> {
        block_sequence(
            "aligned",
            &[vec![
                ("with", scalar("p")),
                ("version", quoted("2025.1")),
                ("date", "2026-01-02".into()),
            ]],
        )
    }

    #[test]
    fn adds_the_field_at_the_end_of_the_front_matter() {
        let text = "---\n# 注释\nid: a   # trailing\nparent: p\n---\n\n# 1 总则\n";
        let s = splice(text, "aligned", &block()).expect("splice");
        assert!(s.old.is_empty());
        assert_eq!(&s.text[..s.old.start], &text[..s.old.start]);
        assert_eq!(&s.text[s.new.end..], &text[s.old.end..]);
        assert_eq!(
            &s.text[s.new],
            "aligned:\n  - with: p\n    version: \"2025.1\"\n    date: 2026-01-02\n"
        );
    }

    #[test]
    fn replaces_only_the_field_and_keeps_crlf_comments_and_order() {
        let text = "---\r\nid: a\r\naligned:\r\n- with: p   # old\r\n  version: '1'\r\n\r\n# about hazards\r\nhazards: [flood]\r\n---\r\nbody\r\n";
        let s = splice(text, "aligned", &block()).expect("splice");
        assert_eq!(
            &text[s.old.clone()],
            "aligned:\r\n- with: p   # old\r\n  version: '1'\r\n"
        );
        assert_eq!(&s.text[..s.old.start], &text[..s.old.start]);
        assert_eq!(&s.text[s.new.end..], &text[s.old.end..]);
        assert!(s.text[s.new].ends_with("date: 2026-01-02\r\n"));
        let (v, a) = front_matter_without(&s.text, "aligned").expect("yaml");
        assert_eq!(v["hazards"][0], "flood");
        assert_eq!(a.expect("aligned")[0]["version"], "2025.1");
    }

    #[test]
    fn flow_style_field_is_replaced() {
        let text = "---\nid: a\naligned: [{with: p}]\ntitle: t\n---\n";
        let s = splice(text, "aligned", &block()).expect("splice");
        assert!(
            s.text.starts_with("---\nid: a\naligned:\n  - with: p\n"),
            "{}",
            s.text
        );
        assert!(
            s.text.ends_with("date: 2026-01-02\ntitle: t\n---\n"),
            "{}",
            s.text
        );
    }

    #[test]
    fn a_file_without_front_matter_or_with_broken_yaml_is_refused() {
        assert!(splice("# title\n", "aligned", &block()).is_err());
        assert!(splice("---\nid: [a\n---\n", "aligned", &block()).is_err());
    }

    #[test]
    fn odd_scalars_are_quoted() {
        assert_eq!(scalar("xj-flood"), "xj-flood");
        assert_eq!(scalar("contact:zs"), "contact:zs");
        assert_eq!(scalar("2024"), "\"2024\"");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(quoted("a\"b\nc"), "\"a\\\"b\\nc\"");
        assert_eq!(quoted("\u{7f}\u{1}é"), "\"\\u007f\\u0001é\"");
    }
}
