//! rustc-style output: code, severity, message, `path:line:col`, the source line with a caret
//! under the exact value or heading, and a help line. Rendered by codespan-reporting, which
//! aligns carets under Chinese text. Source lines are re-read from disk here, only for files
//! that have diagnostics, so the check itself never keeps whole files in memory; they are read
//! through the repository boundary ([`crate::source::Reader`]), so a link out of the
//! repository never shows what it points at.

use super::{Diagnostic, Lang, Severity, Summary};
use codespan_reporting::diagnostic::{Diagnostic as CsDiag, Label, Severity as CsSev};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config};
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

/// Writes every diagnostic and a summary line. `color` adds terminal colours.
pub fn emit(
    out: &mut dyn Write,
    root: &Path,
    diags: &[Diagnostic],
    summary: &Summary,
    lang: Lang,
    color: bool,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    // Each run of diagnostics of one file is rendered on its own (its file read once), on all
    // cores, and written in order: tens of thousands of findings print in a fraction of the time.
    let runs: Vec<&[Diagnostic]> = diags.chunk_by(|a, b| a.path == b.path).collect();
    // snippets come through the repository boundary: a file that is not a regular file inside
    // the repository (a link to a secret outside) is never shown
    let reader = crate::source::Reader::new(root).ok();
    let rendered: Vec<std::io::Result<Vec<u8>>> = runs
        .par_iter()
        .map(|run| render(reader.as_ref(), run, lang, color))
        .collect();
    for r in rendered {
        out.write_all(&r?)?;
    }
    writeln!(out, "{}", summary_line(summary, lang))
}

/// The diagnostics of `diags`, rendered.
fn render(
    reader: Option<&crate::source::Reader>,
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
            reader?
                .read_text(Path::new(&d.path), crate::source::reader::REREAD_CAP)
                .ok()
                .map(|t| files.add(d.path.clone(), t))
        });
        let mut cs = CsDiag::new(sev(d.severity))
            .with_code(d.code)
            .with_message(d.message.get(lang));
        let mut located = false;
        if let (Some(f), Some(span)) = (file, d.span) {
            if let Ok(src) = files.get(f) {
                let text = src.source();
                let (s, e) = (
                    span.start as usize,
                    (span.end as usize).max(span.start as usize),
                );
                if e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e) {
                    let label = d
                        .label
                        .as_ref()
                        .map(|l| l.get(lang).to_string())
                        .unwrap_or_default();
                    cs = cs.with_labels(vec![Label::primary(f, s..e).with_message(label)]);
                    located = true;
                }
            }
        }
        let mut notes = Vec::new();
        if !located {
            let at = match d.span {
                Some(s) => format!("{}:{}:{}", d.path, s.line, s.col),
                None => d.path.clone(),
            };
            notes.push(match lang {
                Lang::Zh => format!("位置: {at}"),
                Lang::En => format!("at: {at}"),
            });
        }
        if let Some(h) = &d.help {
            notes.push(format!("help: {}", h.get(lang)));
        }
        cs = cs.with_notes(notes);
        term::emit_to_write_style(&mut buf, &config, &files, &cs)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
    }
    Ok(buf.into_inner())
}

/// "检查了 12 个文档（15 个文件）：0 个错误，1 个警告".
pub fn summary_line(s: &Summary, lang: Lang) -> String {
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
