//! Heading titles the way real plans write them.
//!
//! Plans number headings in many styles (`第一章`, `一、`, `（一）`, `1`, `1.1`, `1.1.1`, `1.`,
//! `1总则`), use full-width spaces and bold. [`normalize`] strips all of that so `应急响应`
//! matches `第三章　应急响应`, `3 应急响应` and `**三、应急响应**` alike. Section profiles,
//! `plan:ID#heading` references and card clause citations all match through it.

use regex::Regex;
use std::sync::LazyLock;

static NUMBERING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:",
        r"第[一二三四五六七八九十百零〇两0-9]+[章节条部分篇]",
        r"|[一二三四五六七八九十百]+[、.．]",
        r"|[（(][一二三四五六七八九十百0-9]+[)）][、.．]?",
        r"|[0-9]+(?:[.．][0-9]+)*[.．、]?",
        r"|[①-⑳]",
        r"|附件[0-9一二三四五六七八九十]*[:：.．、]?",
        r")"
    ))
    .expect("static regex")
});

/// The title without numbering, whitespace (ASCII and full-width) or trailing colons.
pub(crate) fn normalize(title: &str) -> String {
    let skip = |c: char| c.is_whitespace() || c == '\u{3000}' || c == '*';
    // Most titles have nothing to remove: borrow them instead of copying.
    let compact: std::borrow::Cow<str> = if title.contains(skip) {
        std::borrow::Cow::Owned(title.chars().filter(|c| !skip(*c)).collect())
    } else {
        std::borrow::Cow::Borrowed(title)
    };
    // Most headings start with their title: skip the regex unless numbering can start here.
    let numbered = compact.starts_with(|c: char| {
        c.is_ascii_digit()
            || "第一二三四五六七八九十百（(附".contains(c)
            || ('①'..='⑳').contains(&c)
    });
    let stripped = if numbered {
        NUMBERING.replace(&compact, "")
    } else {
        std::borrow::Cow::Borrowed(&*compact)
    };
    stripped
        .trim_end_matches([':', '：'])
        .trim_start_matches(['、', '.', '．'])
        .to_string()
}

/// GitHub-style anchor slug: lower-case, punctuation dropped, spaces to hyphens.
pub(crate) fn slug(title: &str) -> String {
    let mut s = String::new();
    for c in title.trim().chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            s.extend(c.to_lowercase());
        } else if c == ' ' {
            s.push('-');
        }
    }
    s
}

/// Whether a heading (already normalized) satisfies a wanted title (already normalized): equal,
/// or the heading starts with it (`适用范围及与综合预案的关系` satisfies `适用范围`).
pub(crate) fn satisfies(heading: &str, wanted: &str) -> bool {
    heading == wanted || (wanted.chars().count() >= 2 && heading.starts_with(wanted))
}

/// Whether a normalised heading names the response (应急响应, 应急处置): the section a drill
/// exercises when its record cites no clause.
pub(crate) fn names_response(norm: &str) -> bool {
    norm.contains("应急响应") || norm.contains("应急处置")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_styles_are_stripped() {
        for t in [
            "第三章 应急响应",
            "第三章　应急响应",
            "三、应急响应",
            "（三）应急响应",
            "(3) 应急响应",
            "3 应急响应",
            "3应急响应",
            "3.1 应急响应",
            "3.1.2 应急响应",
            "3. 应急响应",
            "**三、应急响应**",
            "应急响应：",
            "应急响应",
        ] {
            assert_eq!(normalize(t), "应急响应", "{t}");
        }
    }

    #[test]
    fn slugs_and_prefix_matching() {
        assert_eq!(slug("4 应急响应"), "4-应急响应");
        assert_eq!(slug("1.1 Scope & Use"), "11-scope--use");
        assert!(satisfies("适用范围及与综合预案的关系", "适用范围"));
        assert!(!satisfies("预警", "预警与响应准备"));
    }
}
