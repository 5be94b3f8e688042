//! rustc-style output: code, severity, message, `path:line:col`, the source line with a caret
//! under the exact value or heading, and a help line. Rendered by codespan-reporting, which
//! aligns carets under Chinese text. Source lines are re-read from disk here, only for files
//! that have diagnostics, so the check itself never keeps whole files in memory; they are read
//! through the repository boundary ([`crate::source::Reader`]), so a link out of the
//! repository never shows what it points at. Read through a loaded corpus ([`Snippets`]), a
//! file changed since the load shows no source line rather than the wrong one: spans are
//! offsets into the bytes loaded.
//!
//! Everything shown comes from an untrusted repository (file names, ids, titles, the source
//! lines themselves), so control characters never reach the terminal raw: [`escape`] shows
//! them as `\u{1b}`, even without colours. Every human output of yuan uses it.

use super::terminal::{escape, is_unsafe, push_escaped};
use super::{Diagnostic, Lang, Severity, Summary};
use codespan_reporting::diagnostic::{Diagnostic as CsDiag, Label, Severity as CsSev};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

fn sev(s: Severity) -> CsSev {
    match s {
        Severity::Error => CsSev::Error,
        Severity::Warning => CsSev::Warning,
        Severity::Info => CsSev::Note,
    }
}

/// Files whose findings are rendered side by side before they are written.
const RUNS_PER_BATCH: usize = 256;

/// Where the source lines of snippets come from: the files as they are now (a
/// [`crate::source::Reader`]), or as they were loaded (a corpus: `None` for a file changed
/// since, so that no span lands in other text).
pub(crate) trait Snippets: Sync {
    /// The text of the file at `path` (relative to the root), if it can be shown.
    fn text(&self, path: &str) -> Option<String>;
}

/// A corpus's files as loaded: `|path| corpus.read_text(path)` (the corpus, in the model
/// stage, lies below the emitters and does not name them).
impl<F: Fn(&str) -> Option<String> + Sync> Snippets for F {
    fn text(&self, path: &str) -> Option<String> {
        self(path)
    }
}

impl Snippets for crate::source::Reader {
    fn text(&self, path: &str) -> Option<String> {
        self.read_text(Path::new(path), crate::source::reader::REREAD_CAP)
            .ok()
    }
}

/// Writes every diagnostic and a summary line, with source lines from `files` (none: no
/// snippets): the corpus's files as loaded, through the repository boundary, so a link to a
/// secret outside is never shown and a file changed since the load shows no line.
pub(crate) fn emit_with(
    out: &mut dyn Write,
    files: Option<&dyn Snippets>,
    diags: &[Diagnostic],
    summary: &Summary,
    lang: Lang,
    color: bool,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    // Each run of diagnostics of one file is rendered on its own (its file read once), on all
    // cores, and written in order: tens of thousands of findings print in a fraction of the time.
    let runs: Vec<&[Diagnostic]> = diags.chunk_by(|a, b| a.path == b.path).collect();
    // in batches, so that the text of a flood of findings is written as it is made, not held
    for batch in runs.chunks(RUNS_PER_BATCH) {
        let rendered: Vec<std::io::Result<Vec<u8>>> = batch
            .par_iter()
            .map(|run| render(files, run, lang, color))
            .collect();
        for r in rendered {
            out.write_all(&r?)?;
        }
    }
    writeln!(out, "{}", summary_line(summary, lang))
}

/// The diagnostics of `diags`, rendered.
fn render(
    snippets: Option<&dyn Snippets>,
    diags: &[Diagnostic],
    lang: Lang,
    color: bool,
) -> std::io::Result<Vec<u8>> {
    let mut files = SimpleFiles::new();
    let mut ids: HashMap<&str, Option<usize>> = HashMap::new();
    let config = Config::default();
    let mut buf = codespan_reporting::term::termcolor::Buffer::no_color();
    if color {
        buf = codespan_reporting::term::termcolor::Buffer::ansi();
    }
    for d in diags {
        let file = *ids.entry(d.path.as_str()).or_insert_with(|| {
            snippets?
                .text(&d.path)
                .map(|t| files.add(escape(&d.path).into_owned(), Source::new(t)))
        });
        let mut cs = CsDiag::new(sev(d.severity))
            .with_code(d.code)
            .with_message(escape(d.message.get(lang)));
        let mut located = false;
        if let (Some(f), Some(span)) = (file, d.span) {
            if let Ok(src) = files.get(f) {
                let text = &src.source().raw;
                let (s, e) = (
                    span.start as usize,
                    (span.end as usize).max(span.start as usize),
                );
                if e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e) {
                    let label = d
                        .label
                        .as_ref()
                        .map(|l| escape(l.get(lang)).into_owned())
                        .unwrap_or_default();
                    let (s, e) = (src.source().shown_offset(s), src.source().shown_offset(e));
                    cs = cs.with_labels(vec![Label::primary(f, s..e).with_message(label)]);
                    located = true;
                }
            }
        }
        let mut notes = Vec::new();
        if !located {
            let path = escape(&d.path);
            let at = match d.span {
                Some(s) => format!("{path}:{}:{}", s.line, s.col),
                None => path.into_owned(),
            };
            notes.push(match lang {
                Lang::Zh => format!("位置: {at}"),
                Lang::En => format!("at: {at}"),
            });
        }
        if let Some(h) = &d.help {
            notes.push(format!("help: {}", escape(h.get(lang))));
        }
        cs = cs.with_notes(notes);
        term::emit_to_write_style(&mut buf, &config, &files, &cs)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
    }
    Ok(buf.into_inner())
}

/// A file's text as read (`raw`, which spans point into) and as shown (`shown`: control
/// characters escaped, see [`escape_source`]), with the map between their byte offsets.
struct Source {
    raw: String,
    shown: String,
    /// (offset in `raw` just after an escaped character, bytes added up to there), ascending.
    shifts: Vec<(usize, usize)>,
}

impl Source {
    fn new(raw: String) -> Self {
        let (shown, shifts) = match escape_source(&raw) {
            (Cow::Borrowed(_), _) => (String::new(), Vec::new()),
            (Cow::Owned(s), shifts) => (s, shifts),
        };
        Source { raw, shown, shifts }
    }
    /// The offset in the shown text of the character at `raw` offset `at`.
    fn shown_offset(&self, at: usize) -> usize {
        let i = self.shifts.partition_point(|&(end, _)| end <= at);
        at + i.checked_sub(1).map_or(0, |i| self.shifts[i].1)
    }
}

impl AsRef<str> for Source {
    fn as_ref(&self) -> &str {
        if self.shifts.is_empty() {
            &self.raw
        } else {
            &self.shown
        }
    }
}

/// A source file's text for display: as [`escape`], but line ends (LF, CRLF) and tabs stay, so
/// lines and columns are those of the file. Also returns, for every escaped character, the
/// offset just after it and the bytes added so far, to move spans into the shown text.
fn escape_source(s: &str) -> (Cow<'_, str>, Vec<(usize, usize)>) {
    let keep = |i: usize, c: char| {
        c == '\n' || c == '\t' || (c == '\r' && s.as_bytes().get(i + 1) == Some(&b'\n'))
    };
    if !s.char_indices().any(|(i, c)| is_unsafe(c) && !keep(i, c)) {
        return (Cow::Borrowed(s), Vec::new());
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut shifts = Vec::new();
    for (i, c) in s.char_indices() {
        if is_unsafe(c) && !keep(i, c) {
            let before = out.len();
            push_escaped(&mut out, c);
            let added = (out.len() - before) - c.len_utf8();
            let total = shifts.last().map_or(0, |&(_, t)| t) + added;
            shifts.push((i + c.len_utf8(), total));
        } else {
            out.push(c);
        }
    }
    (Cow::Owned(out), shifts)
}

/// "检查了 12 个文档（15 个文件）：0 个错误，1 个警告".
pub(crate) fn summary_line(s: &Summary, lang: Lang) -> String {
    let line = summary_counts(s, lang);
    match (s.omitted, lang) {
        (0, _) => line,
        (n, Lang::Zh) => format!("{line}（其中 {n} 条超出每条规则每个文件的上限，未逐条列出）"),
        (n, Lang::En) => format!("{line} ({n} of them not listed: over the cap per rule per file)"),
    }
}

fn summary_counts(s: &Summary, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "检查了 {} 个文档（{} 个文件）：{} 个错误，{} 个警告，{} 个提示",
            s.documents, s.files, s.errors, s.warnings, s.infos
        ),
        Lang::En => format!(
            "checked {} ({}): {}, {}, {}",
            plural(s.documents, "document"),
            plural(s.files, "file"),
            plural(s.errors, "error"),
            plural(s.warnings, "warning"),
            plural(s.infos, "note")
        ),
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_lines_keep_line_ends_and_spans_move_with_escapes() {
        let raw = "id: a\u{1b}[31mb\r\ntitle: 标题\n";
        let src = Source::new(raw.to_string());
        assert_eq!(src.as_ref(), "id: a\\u{1b}[31mb\r\ntitle: 标题\n");
        // the span of `title` moves by the 6 bytes that `\u{1b}` added in place of ESC
        let at = raw.find("title").expect("title");
        assert_eq!(&src.as_ref()[src.shown_offset(at)..][..5], "title");
        assert_eq!(src.shown_offset(4), 4);
        assert_eq!(&src.as_ref()[src.shown_offset(5)..][..6], "\\u{1b}");
    }

    #[test]
    fn a_rendered_diagnostic_has_no_raw_escape_even_without_colour() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("a\u{1b}]0;x\u{7}.md"),
            "---\nid: \u{1b}[2J\n---\n",
        )
        .expect("write");
        let d = Diagnostic::new(
            "I103",
            Severity::Error,
            "a\u{1b}]0;x\u{7}.md",
            crate::text!("id `\u{1b}[2J` 错", "id `\u{1b}[2J` wrong"),
        )
        .span(Some(super::super::Span {
            start: 8,
            end: 12,
            line: 2,
            col: 5,
        }))
        .help(crate::text!("换行\n伪造", "new\nline"));
        let reader = crate::source::Reader::new(dir.path()).expect("reader");
        let out = render(Some(&reader), &[d], Lang::En, false).expect("render");
        let out = String::from_utf8(out).expect("utf-8");
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out}");
        assert!(out.contains("\\u{1b}[2J"), "{out}");
        assert!(out.contains("help: new\\u{a}line"), "{out}");
    }
}
