//! Diagnostics: what every stage reports about the plans.
//!
//! A [`Diagnostic`] carries a stable rule code, a severity, the file (relative to the repository
//! root), an optional [`Span`], and bilingual text ([`Text`]). Problems in the plans are
//! diagnostics; problems in the environment (an unwritable output, a missing directory) are
//! `anyhow` errors whose messages carry both languages ([`error::EnvError`]), told in the
//! user's language by the CLI. Emitters for humans, JSON and SARIF live in the submodules.

pub(crate) mod codes;
pub(crate) mod error;
pub(crate) mod human;
pub(crate) mod json;
pub(crate) mod rule;
pub(crate) mod sarif;
pub(crate) mod suggest;
pub(crate) mod terminal;

use serde::{Deserialize, Serialize};
use std::fmt;

/// How bad a diagnostic is. Ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
    pub(crate) fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Severity::Error, Lang::Zh) => "错误",
            (Severity::Warning, Lang::Zh) => "警告",
            (Severity::Info, Lang::Zh) => "提示",
            (s, Lang::En) => s.as_str(),
        }
    }
}

/// Output language of messages. Chinese is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Parses `zh`/`en` (and locale strings such as `en_US.UTF-8`).
    pub(crate) fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::Zh)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// A message in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub(crate) zh: String,
    pub en: String,
}

impl Text {
    pub(crate) fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }
    pub(crate) fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// Builds a [`Text`] from a Chinese and an English format string with the same arguments.
#[macro_export]
macro_rules! text {
    ($zh:expr, $en:expr $(,)?) => {
        $crate::diag::Text::new(format!($zh), format!($en))
    };
}

/// A location in a file: byte range plus the 1-based line and column (in characters) of its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Span {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub line: u32,
    pub(crate) col: u32,
}

/// A rule code. (A type alias, so serde's derive does not try to borrow it from the input.)
pub(crate) type Code = &'static str;

/// One finding about the plans. (Serialized only into the parse cache, see `crate::cache`.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    #[serde(with = "codes::serde_code")]
    pub code: Code,
    pub severity: Severity,
    /// Path relative to the repository root, with `/` separators.
    pub path: String,
    pub span: Option<Span>,
    pub message: Text,
    /// Short text printed under the caret.
    pub(crate) label: Option<Text>,
    /// How to fix it.
    pub help: Option<Text>,
}

impl Diagnostic {
    pub(crate) fn new(code: &'static str, severity: Severity, path: &str, message: Text) -> Self {
        Diagnostic {
            code,
            severity,
            path: path.to_string(),
            span: None,
            message,
            label: None,
            help: None,
        }
    }
    pub(crate) fn span(mut self, span: Option<Span>) -> Self {
        self.span = span;
        self
    }
    pub(crate) fn label(mut self, label: Text) -> Self {
        self.label = Some(label);
        self
    }
    pub(crate) fn help(mut self, help: Text) -> Self {
        self.help = Some(help);
        self
    }
    /// Sort key: path, position, code, message. Output order never depends on thread timing.
    pub(crate) fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        let (l, c) = self.span.map(|s| (s.line, s.col)).unwrap_or((0, 0));
        (&self.path, l, c, self.code, &self.message.en)
    }
}

/// Counts of a diagnostic list.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub(crate) infos: usize,
    pub documents: usize,
    pub files: usize,
    /// Findings counted above but not listed (over the cap per rule per file; each capped
    /// group has a note saying how many). Left out of the JSON when 0.
    #[serde(skip_serializing_if = "is_zero")]
    pub(crate) omitted: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Summary {
    pub(crate) fn count(diags: &[Diagnostic], documents: usize, files: usize) -> Summary {
        let mut s = Summary {
            documents,
            files,
            ..Summary::default()
        };
        for d in diags {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
