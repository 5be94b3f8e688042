//! The JSON output contract (stable; documented in docs/cli.md):
//! `{ "version": 1, "diagnostics": [ {code, severity, path, line, column, message, help, rule} ],
//!   "summary": {errors, warnings, infos, documents, files} }`. Lines and columns are 1-based;
//! columns count characters. `help` may be null. `summary.omitted` (findings over the cap per
//! rule per file, counted but not listed) appears only when it is not 0.
//!
//! Streamed: the envelope is laid out once, then each diagnostic is serialised and written on
//! its own, so the output of a million findings never exists in memory as one value. The bytes
//! are those of `serde_json::to_string_pretty` of the whole (keys sorted, two-space indent).

use super::{Diagnostic, Lang, Summary};
use serde_json::{json, Value};
use std::io::Write;

/// One diagnostic as a JSON object.
fn item(d: &Diagnostic, lang: Lang) -> Value {
    let (line, column) = d.span.map_or((1, 1), |s| (s.line, s.col));
    json!({
        "code": d.code,
        "rule": crate::check::registry::find(d.code).map(|r| r.info().name),
        "severity": d.severity.as_str(),
        "path": d.path,
        "line": line,
        "column": column,
        "message": d.message.get(lang),
        "help": d.help.as_ref().map(|h| h.get(lang)),
    })
}

/// Writes `envelope` pretty-printed, with `items` streamed into the empty array at `key` (a key
/// of the outermost object, or of an object nested under `path` at `depth`): the bytes of
/// pretty-printing the envelope with the items in place.
pub(super) fn stream<I>(
    out: &mut dyn Write,
    envelope: &Value,
    key: &str,
    depth: usize,
    items: I,
) -> std::io::Result<()>
where
    I: Iterator<Item = Value>,
{
    let text = serde_json::to_string_pretty(envelope).map_err(std::io::Error::other)?;
    let indent = "  ".repeat(depth);
    // a JSON string never holds a raw line break, so this line is the key itself
    let marker = format!("\n{indent}\"{key}\": []");
    let Some(at) = text.find(&marker) else {
        return Err(std::io::Error::other(format!("no `{key}` in the envelope")));
    };
    let open = at + marker.len() - 1; // just before the `]`
    let mut items = items.peekable();
    if items.peek().is_none() {
        out.write_all(text.as_bytes())?;
        return writeln!(out);
    }
    out.write_all(&text.as_bytes()[..open])?;
    let inner = format!("{indent}  ");
    let mut first = true;
    for v in items {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        first = false;
        let one = serde_json::to_string_pretty(&v).map_err(std::io::Error::other)?;
        for (i, line) in one.split('\n').enumerate() {
            if i > 0 {
                out.write_all(b"\n")?;
            }
            out.write_all(inner.as_bytes())?;
            out.write_all(line.as_bytes())?;
        }
    }
    write!(out, "\n{indent}")?;
    out.write_all(&text.as_bytes()[open..])?;
    writeln!(out)
}

/// Writes the JSON output, one diagnostic at a time, and a final newline.
pub(crate) fn write(
    out: &mut dyn Write,
    diags: &[Diagnostic],
    summary: &Summary,
    lang: Lang,
) -> std::io::Result<()> {
    let envelope = json!({ "version": 1, "diagnostics": [], "summary": summary });
    stream(
        out,
        &envelope,
        "diagnostics",
        1,
        diags.iter().map(|d| item(d, lang)),
    )
}

/// The whole output as one value (the tests' reference; the CLI streams with [`write()`]).
#[cfg(test)]
fn to_value(diags: &[Diagnostic], summary: &Summary, lang: Lang) -> Value {
    let list: Vec<Value> = diags.iter().map(|d| item(d, lang)).collect();
    json!({ "version": 1, "diagnostics": list, "summary": summary })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::diag::{Severity, Span, Text};

    pub(crate) fn sample(n: usize) -> Vec<Diagnostic> {
        (0..n)
            .map(|i| {
                let mut d = Diagnostic::new(
                    ["R404", "F002", "X000"][i % 3],
                    [Severity::Error, Severity::Warning, Severity::Info][i % 3],
                    &format!("plans/计划-{i}.md"),
                    Text::new(
                        format!("第 {i} 个\t\"引号\"\n"),
                        format!("number {i} \\ {{}}"),
                    ),
                );
                if i % 2 == 0 {
                    d = d.span(Some(Span {
                        start: 1,
                        end: 2,
                        line: i as u32 + 1,
                        col: 3,
                    }));
                    d = d.help(Text::new("帮助", "help"));
                }
                d
            })
            .collect()
    }

    #[test]
    fn streamed_output_is_the_pretty_printed_value() {
        for n in [0, 1, 2, 7] {
            let diags = sample(n);
            let mut summary = Summary::count(&diags, 3, 4);
            for omitted in [0, 5] {
                summary.omitted = omitted;
                for lang in [Lang::Zh, Lang::En] {
                    let mut out = Vec::new();
                    write(&mut out, &diags, &summary, lang).expect("writes");
                    let want = serde_json::to_string_pretty(&to_value(&diags, &summary, lang))
                        .expect("json")
                        + "\n";
                    assert_eq!(
                        String::from_utf8(out).expect("utf-8"),
                        want,
                        "{n} {omitted}"
                    );
                }
            }
        }
    }
}
