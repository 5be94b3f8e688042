//! Heading titles the way real plans write them.
//!
//! Plans number headings in many styles (`第一章`, `一、`, `（一）`, `1`, `1.1`, `1.1.1`, `1.`,
//! `1总则`), use full-width spaces and bold. [`normalize`] strips all of that so `应急响应`
//! matches `第三章　应急响应`, `3 应急响应` and `**三、应急响应**` alike. Section profiles,
//! `plan:ID#heading` references and card clause citations all match through it.

use regex::Regex;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::sync::LazyLock;

static NUMBERING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:",
        r"第[一二三四五六七八九十百零〇两0-9]+(?:[章节条篇]|部分)",
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
    normalized(title).into_owned()
}

/// [`normalize`], borrowed from `title` when nothing but a head and a tail is cut away.
fn normalized(title: &str) -> Cow<'_, str> {
    let skip = |c: char| c.is_whitespace() || c == '\u{3000}' || c == '*';
    // Most titles have nothing to remove: borrow them instead of copying.
    let compact: Cow<str> = if title.contains(skip) {
        Cow::Owned(title.chars().filter(|c| !skip(*c)).collect())
    } else {
        Cow::Borrowed(title)
    };
    // Most headings start with their title: skip the regex unless numbering can start here.
    let numbered = compact.starts_with(|c: char| {
        c.is_ascii_digit()
            || "第一二三四五六七八九十百（(附".contains(c)
            || ('①'..='⑳').contains(&c)
    });
    let cut = |t: &str| -> (usize, usize) {
        let s = t.trim_end_matches([':', '：']);
        let r = s.trim_start_matches(['、', '.', '．']);
        (s.len() - r.len(), s.len())
    };
    let strip = match &compact {
        _ if !numbered => 0,
        c => match arabic_numbering(c) {
            Some(n) => n,
            None => NUMBERING.find(c).map_or(0, |m| m.end()),
        },
    };
    match compact {
        Cow::Borrowed(t) => {
            let (a, b) = cut(&t[strip..]);
            Cow::Borrowed(&t[strip + a..strip + b])
        }
        Cow::Owned(mut t) => {
            // cut in place: the compacted copy is already this title's own
            let (a, b) = cut(&t[strip..]);
            t.truncate(strip + b);
            t.drain(..strip + a);
            Cow::Owned(t)
        }
    }
}

/// A title's normal form ([`normalize`]) kept beside the title. Most are the title's tail
/// (`3.2　应急响应` → `应急响应`): kept as where that tail starts, with no text of their own,
/// since every heading of every document has one for the whole run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Norm {
    /// The title from this byte on.
    Tail(u32),
    /// A text of its own (spaces or bold markers inside the title were removed).
    Own(Box<str>),
}

impl Norm {
    /// The normal form of `title`.
    pub(crate) fn of(title: &str) -> Norm {
        let n = normalized(title);
        match title.strip_suffix(&*n) {
            Some(head) => Norm::Tail(head.len() as u32),
            None => Norm::Own(n.into_owned().into_boxed_str()),
        }
    }

    /// The normal form, given the `title` it was made of.
    pub(crate) fn get<'a>(&'a self, title: &'a str) -> &'a str {
        match self {
            Norm::Tail(at) => title.get(*at as usize..).unwrap_or_default(),
            Norm::Own(s) => s,
        }
    }
}

/// The length of the Arabic numbering a title starts with (`3`, `3.2.`, `3．2、`), as
/// [`NUMBERING`]'s Arabic branch, the only one that starts with a digit, matches it: most
/// headings are numbered so, and reading the digits costs less than the regex did (1.6% of a
/// check). `None` when the title does not start with a digit.
fn arabic_numbering(t: &str) -> Option<usize> {
    let b = t.as_bytes();
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut at = digits(0);
    if at == 0 {
        return None;
    }
    // `.` is one byte, `．` three; a dot counts only with digits after it
    let dot = |at: usize| {
        if b.get(at) == Some(&b'.') {
            Some(1)
        } else {
            t[at..].starts_with('．').then_some('．'.len_utf8())
        }
    };
    while let Some(d) = dot(at) {
        let n = digits(at + d);
        if n == 0 {
            break;
        }
        at += d + n;
    }
    if let Some(d) = dot(at) {
        at += d;
    } else if t[at..].starts_with('、') {
        at += '、'.len_utf8();
    }
    Some(at)
}

/// The numbering style of a title, which says its depth: `第一章`, `一、`, `（一）`, `①`, and
/// Arabic numbers with their number of parts (`1` is 1, `1.2` is 2, `1.2.3` is 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Numbering {
    /// 第一章, 第一部分, 第一篇
    Chapter,
    /// 第一节
    Section,
    /// 一、
    Chinese,
    /// （一）, (1)
    Paren,
    /// 1, 1.2, 1.2.3 (the number of parts)
    Arabic(u8),
    /// ①
    Circled,
}

static STYLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:第[一二三四五六七八九十百零〇两0-9]+(章|节|部分|篇)",
        r"|([一二三四五六七八九十百]+[、.．])",
        r"|([（(][一二三四五六七八九十百0-9]+[)）])",
        r"|([0-9]+(?:[.．][0-9]+)*)",
        r"|([①-⑳]))"
    ))
    .expect("static regex")
});

/// The numbering style a title starts with, if any (bold and spaces before it are skipped).
pub(crate) fn numbering(title: &str) -> Option<Numbering> {
    let t = title.trim_start_matches(|c: char| c.is_whitespace() || c == '*');
    let c = STYLE.captures(t)?;
    Some(if let Some(unit) = c.get(1) {
        if unit.as_str() == "节" {
            Numbering::Section
        } else {
            Numbering::Chapter
        }
    } else if c.get(2).is_some() {
        Numbering::Chinese
    } else if c.get(3).is_some() {
        Numbering::Paren
    } else if let Some(n) = c.get(4) {
        let parts = n.as_str().matches(['.', '．']).count() + 1;
        Numbering::Arabic(u8::try_from(parts).unwrap_or(u8::MAX))
    } else {
        Numbering::Circled
    })
}

impl Numbering {
    /// The depth the style usually has when nothing else tells: chapters, `一、` and `1` at 1,
    /// sections and `（一）` at 2, `1.2.3` at 3, `①` at 3.
    pub(crate) fn usual_depth(self) -> u8 {
        match self {
            Numbering::Chapter | Numbering::Chinese => 1,
            Numbering::Section | Numbering::Paren => 2,
            Numbering::Arabic(n) => n,
            Numbering::Circled => 3,
        }
    }
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
            "第三部分 应急响应",
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

    /// A kept normal form reads as [`normalize`] of its title, and costs no text of its own
    /// when it is the title's tail.
    #[test]
    fn kept_normal_forms_read_as_normalize() {
        for (t, tail) in [
            ("第三章　应急响应", true),
            ("3.1 应急响应", true),
            ("**三、应急响应**", false),
            ("应急 响应", false),
            ("应急响应：", false),
            ("1、总则", true),
            ("附件1：通讯录", true),
            ("", true),
            ("  ", true),
            ("３ 应急处置", false),
        ] {
            let n = Norm::of(t);
            assert_eq!(n.get(t), normalize(t), "{t}");
            assert_eq!(matches!(n, Norm::Tail(_)), tail, "{t}: {n:?}");
        }
    }

    /// The hand-read Arabic numbering strips exactly what the regex strips.
    #[test]
    fn arabic_numbering_agrees_with_the_regex() {
        let parts = [
            "1", "12", ".", "．", "、", "3", ".4", "．5", "..", "总则", "a", " ",
        ];
        let mut titles = vec![String::new()];
        for _ in 0..4 {
            titles = titles
                .iter()
                .flat_map(|t| parts.iter().map(move |p| format!("{t}{p}")))
                .collect();
            for t in &titles {
                let by_regex = NUMBERING
                    .find(t)
                    .filter(|_| t.starts_with(|c: char| c.is_ascii_digit()))
                    .map(|m| m.end());
                assert_eq!(arabic_numbering(t), by_regex, "{t:?}");
            }
        }
    }

    #[test]
    fn numbering_styles_are_told_apart() {
        use Numbering::*;
        for (t, n) in [
            ("第三章　应急响应", Some(Chapter)),
            ("第一部分 总则", Some(Chapter)),
            ("第二节 预警", Some(Section)),
            ("三、应急响应", Some(Chinese)),
            ("**三、应急响应**", Some(Chinese)),
            ("（三）应急处置", Some(Paren)),
            ("(3) 应急处置", Some(Paren)),
            ("3 应急处置", Some(Arabic(1))),
            ("3.2 应急处置", Some(Arabic(2))),
            ("3．2．1应急处置", Some(Arabic(3))),
            ("①报警", Some(Circled)),
            ("应急处置", None),
            ("第3条 应急处置", None),
        ] {
            assert_eq!(numbering(t), n, "{t}");
        }
        assert_eq!(Arabic(3).usual_depth(), 3);
        assert_eq!(Paren.usual_depth(), 2);
    }

    #[test]
    fn slugs_and_prefix_matching() {
        assert_eq!(slug("4 应急响应"), "4-应急响应");
        assert_eq!(slug("1.1 Scope & Use"), "11-scope--use");
        assert!(satisfies("适用范围及与综合预案的关系", "适用范围"));
        assert!(!satisfies("预警", "预警与响应准备"));
    }
}
