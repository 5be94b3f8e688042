//! Environment errors in both languages.
//!
//! Problems in the plans are [`Diagnostic`](super::Diagnostic)s; problems in the environment (a
//! missing folder, a failed write, an unknown revision) stop the run as `anyhow` errors. Those
//! used to be English only, printed after the Chinese "yuan 无法运行". An [`EnvError`] carries its
//! message in both languages, so library code never needs to know the user's language: the CLI
//! picks one when it prints the error chain ([`describe`]). Causes that are not ours (an
//! `io::Error` of the operating system, a libgit2 message) are printed as they come.
//!
//! Write one with [`env_error!`](crate::env_error) (an `anyhow::Error`) or wrap a failure with
//! [`Context::context_text`], the bilingual counterpart of anyhow's `with_context`.

use super::{Lang, Text};
use std::fmt;

/// An environment error whose message is in both languages, with an optional cause.
#[derive(Debug)]
pub(crate) struct EnvError {
    pub(crate) text: Text,
    /// The language of the run, when the code that failed was told it (a command that read
    /// `[check] lang` from the repository's yuan.toml, which the CLI's printer cannot see).
    lang: Option<Lang>,
    cause: Option<anyhow::Error>,
}

impl EnvError {
    pub(crate) fn new(text: Text) -> Self {
        EnvError {
            text,
            lang: None,
            cause: None,
        }
    }
}

/// `error`, to be told in `lang` when it is one of ours (see [`EnvError`]); others as they are.
pub(crate) fn said_in(error: anyhow::Error, lang: Lang) -> anyhow::Error {
    match error.downcast::<EnvError>() {
        Ok(mut ours) => {
            ours.lang = Some(lang);
            anyhow::Error::new(ours)
        }
        Err(other) => other,
    }
}

/// The language `error` is to be told in, if the code that raised it knew ([`said_in`]).
pub(crate) fn language(error: &anyhow::Error) -> Option<Lang> {
    error.downcast_ref::<EnvError>().and_then(|e| e.lang)
}

/// Without a language to choose (logs, `{e}` in a test), the English text.
impl fmt::Display for EnvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text.en)
    }
}

impl std::error::Error for EnvError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause
            .as_ref()
            .map(|c| &**c as &(dyn std::error::Error + 'static))
    }
}

/// An `anyhow::Error` from a Chinese and an English format string with the same arguments.
#[macro_export]
macro_rules! env_error {
    ($zh:expr, $en:expr $(,)?) => {
        ::anyhow::Error::new($crate::diag::error::EnvError::new($crate::text!($zh, $en)))
    };
}

/// The bilingual `with_context`: the failure becomes the cause of a message in both languages.
pub(crate) trait Context<T> {
    fn context_text(self, text: impl FnOnce() -> Text) -> anyhow::Result<T>;
}

impl<T, E: Into<anyhow::Error>> Context<T> for Result<T, E> {
    fn context_text(self, text: impl FnOnce() -> Text) -> anyhow::Result<T> {
        self.map_err(|e| {
            anyhow::Error::new(EnvError {
                text: text(),
                lang: None,
                cause: Some(e.into()),
            })
        })
    }
}

/// The error chain as one line: each message, then its causes after `: ` (what anyhow's
/// `{:#}` prints, with our messages in the user's language): in the language the error was
/// raised in ([`said_in`]), else in `lang`.
pub(crate) fn describe(error: &anyhow::Error, lang: Lang) -> String {
    let lang = language(error).unwrap_or(lang);
    error
        .chain()
        .map(|e| match e.downcast_ref::<EnvError>() {
            Some(ours) => ours.text.get(lang).to_string(),
            None => e.to_string(),
        })
        .collect::<Vec<_>>()
        .join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn missing() -> anyhow::Result<()> {
        Err(std::io::Error::other("os says no"))
            .context_text(|| crate::text!("无法打开 a", "cannot open a"))
    }

    #[test]
    fn the_chain_is_told_in_the_chosen_language_with_foreign_causes_as_they_are() {
        let e = missing().expect_err("fails");
        assert_eq!(describe(&e, Lang::Zh), "无法打开 a: os says no");
        assert_eq!(describe(&e, Lang::En), "cannot open a: os says no");
        assert_eq!(format!("{e:#}"), "cannot open a: os says no");
    }

    #[test]
    fn anyhow_context_around_ours_keeps_ours_translatable() {
        let what = "x";
        let inner = env_error!("缺少 {what}", "{what} is missing");
        let e = Err::<(), _>(inner)
            .context_text(|| crate::text!("外层", "outer"))
            .expect_err("fails");
        assert_eq!(describe(&e, Lang::Zh), "外层: 缺少 x");
        let plain = anyhow::Context::context(Err::<(), _>(env_error!("缺少", "missing")), "plain")
            .expect_err("fails");
        assert_eq!(describe(&plain, Lang::Zh), "plain: 缺少");
    }

    #[test]
    fn an_error_raised_in_a_known_language_is_told_in_it() {
        let e = said_in(missing().expect_err("fails"), Lang::En);
        assert_eq!(language(&e), Some(Lang::En));
        assert_eq!(describe(&e, Lang::Zh), "cannot open a: os says no");
        let foreign = said_in(anyhow::anyhow!("as is"), Lang::En);
        assert_eq!(language(&foreign), None);
    }
}
