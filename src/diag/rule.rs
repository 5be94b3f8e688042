//! What a rule is: its code, default severity, stage, summary and documentation
//! ([`RuleInfo`]), and [`declare_rule!`](crate::declare_rule) that declares one.
//!
//! Beside the diagnostics, below every stage: the loading stages (`source`, `parse`) report
//! rules of their own (F001–F005, I102, T801, T802) and must not reach up into `check` for
//! them. Every rule, wherever it is raised, is listed in `check::registry::RULES`.

use super::{Diagnostic, Severity, Span, Text};

/// When a rule reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// While reading a file (syntax, encoding, schema, placeholders).
    Load,
    /// Over the whole loaded repository (references, hierarchy, sections, dates).
    Corpus,
    /// By a generator while it prints (fonts, layout): `yuan check` never reports these.
    Print,
}

/// What `yuan explain` knows about a rule.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub(crate) stage: Stage,
    /// One-line summary (zh, en).
    pub(crate) summary: (&'static str, &'static str),
    /// The rule's doc comment.
    pub(crate) doc: &'static str,
}

impl RuleInfo {
    /// A diagnostic of this rule with its default severity.
    pub(crate) fn at(&'static self, path: &str, span: Option<Span>, message: Text) -> Diagnostic {
        Diagnostic::new(self.code, self.severity, path, message).span(span)
    }
    /// The documentation in one language, for `yuan explain`: the title's half in `lang`
    /// (`缺少必备章节 · Mandatory section missing`), each section heading's half
    /// (`## What it checks · 检查内容`), and of each section's paragraphs those in `lang`. A
    /// paragraph (lines between blank lines) is Chinese when it starts with a Chinese character
    /// or `《` and has more Chinese characters than Latin letters; English paragraphs quote
    /// Chinese terms, and a Chinese one may quote code. A section with no Chinese paragraph
    /// (most *Example* and *How to fix* sections are written once, in English) gives its English
    /// ones in both languages. The whole bilingual text is [`RuleInfo::doc_text`]
    /// (docs/rules.md).
    pub(crate) fn doc_in(&self, lang: super::Lang) -> String {
        let text = self.doc_text();
        let half = |line: &str| -> String {
            // `中文 · English` (title) or `English · 中文` (headings): the half with more
            // Chinese characters is the Chinese one
            let han = |s: &str| s.chars().filter(|c| is_han(*c)).count();
            match line.split_once(" · ") {
                Some((a, b)) => {
                    let (zh, en) = if han(a) > han(b) { (a, b) } else { (b, a) };
                    match lang {
                        super::Lang::Zh => zh.to_string(),
                        super::Lang::En => en.to_string(),
                    }
                }
                None => line.to_string(),
            }
        };
        let mut out: Vec<String> = Vec::new();
        let mut lines = text.lines();
        if let Some(title) = lines.next() {
            out.push(half(title));
        }
        // sections: heading and paragraphs
        let mut sections: Vec<(Option<String>, Vec<String>)> = vec![(None, Vec::new())];
        let mut para = String::new();
        let flush = |para: &mut String, sections: &mut Vec<(Option<String>, Vec<String>)>| {
            if !para.is_empty() {
                if let Some(last) = sections.last_mut() {
                    last.1.push(std::mem::take(para));
                }
            }
        };
        let mut fenced = false;
        for line in lines {
            if line.trim_start().starts_with("```") {
                // a code block is one paragraph, blank lines and `## ` lines included
                if !fenced {
                    flush(&mut para, &mut sections);
                }
                if !para.is_empty() {
                    para.push('\n');
                }
                para.push_str(line);
                if fenced {
                    flush(&mut para, &mut sections);
                }
                fenced = !fenced;
            } else if fenced {
                para.push('\n');
                para.push_str(line);
            } else if let Some(h) = line.strip_prefix("## ") {
                flush(&mut para, &mut sections);
                sections.push((Some(format!("## {}", half(h))), Vec::new()));
            } else if line.trim().is_empty() {
                flush(&mut para, &mut sections);
            } else {
                if !para.is_empty() {
                    para.push('\n');
                }
                para.push_str(line);
            }
        }
        flush(&mut para, &mut sections);
        for (heading, paras) in sections {
            // code blocks say the same in both languages
            let code = |p: &String| p.trim_start().starts_with("```");
            let en: Vec<&String> = paras.iter().filter(|p| !chinese_paragraph(p)).collect();
            let chosen = match lang {
                super::Lang::Zh if paras.iter().any(|p| chinese_paragraph(p)) => paras
                    .iter()
                    .filter(|p| chinese_paragraph(p) || code(p))
                    .collect(),
                _ => en,
            };
            if heading.is_none() && chosen.is_empty() {
                continue;
            }
            out.push(String::new());
            if let Some(h) = heading {
                out.push(h);
            }
            let body: Vec<String> = chosen.into_iter().cloned().collect();
            out.push(body.join("\n\n"));
        }
        out.join("\n").trim().to_string()
    }

    /// The doc comment without rustdoc's leading space.
    pub fn doc_text(&self) -> String {
        self.doc
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string()
    }
}

/// Whether `s` is mostly Chinese: more Chinese characters than half its Latin letters outside
/// code spans (a Chinese sentence may quote `corrective_actions[].findings`, or ids; a Chinese
/// character says about what an English word of five letters says).
fn is_chinese(s: &str) -> bool {
    let (mut han, mut latin) = (0, 0);
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 1 {
            continue;
        }
        han += part.chars().filter(|c| is_han(*c)).count();
        latin += part.chars().filter(|c| c.is_ascii_alphabetic()).count();
    }
    han * 2 > latin
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

/// A paragraph of a rule's documentation written in Chinese (see [`RuleInfo::doc_in`]); a
/// code block is in neither language.
pub(crate) fn chinese_paragraph(p: &str) -> bool {
    if p.trim_start().starts_with("```") {
        return false;
    }
    // the first character outside code spans (`kind` 必须是……)
    let first = p
        .split('`')
        .step_by(2)
        .flat_map(str::chars)
        .find(|c| !c.is_whitespace());
    first.is_some_and(|c| is_han(c) || c == '《') && is_chinese(p)
}

/// Declares a rule: a unit struct whose doc comment is its documentation.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $name:ident {
            code: $code:literal,
            name: $rname:literal,
            severity: $sev:ident,
            stage: $stage:ident,
            summary: ($zh:literal, $en:literal) $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, Default)]
        $vis struct $name;
        impl $name {
            pub(crate) const INFO: $crate::diag::rule::RuleInfo = $crate::diag::rule::RuleInfo {
                code: $code,
                name: $rname,
                severity: $crate::diag::Severity::$sev,
                stage: $crate::diag::rule::Stage::$stage,
                summary: ($zh, $en),
                doc: concat!($($doc, "\n"),*),
            };
        }
    };
}
