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
