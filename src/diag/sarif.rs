//! SARIF 2.1.0 output, for code-review annotations (GitHub code scanning, GitLab). Built with
//! serde_json: the subset used (tool, rules, results with one physical location) is a few
//! objects, not worth a dependency. Streamed like the JSON output (`json::stream`): the
//! results are written one by one into the laid-out envelope, never held as one value.
//!
//! Paths: code-review tools place a finding by its path from the top of the git repository,
//! not from the plan folder (`plans/county/qx-flood.md`, not `county/qx-flood.md`, in the
//! documented layout). Every `uri` is that path, relative, `/`-separated, percent-encoded
//! (Chinese file names), against the base `%SRCROOT%`, which `originalUriBaseIds` gives as the
//! absolute `file:` URI of the top of the working tree (SARIF 2.1.0 §3.14.14: a base without
//! a base of its own is absolute and ends in `/`). Regions carry the end of the span
//! (`endLine`, `endColumn`, exclusive) in characters (`columnKind: unicodeCodePoints`).

use super::human::Snippets;
use super::{Diagnostic, Lang, Severity, Span};
use crate::check::registry::RULES;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde_json::{json, Value};

/// Where the paths of a SARIF log start: the plan root inside the git working tree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Base {
    /// The plan root relative to the top of the working tree, `/`-separated (`""`: the top, or
    /// not in git).
    pub(crate) prefix: String,
    /// The absolute `file:` URI of the top of the working tree (or of the plan root outside
    /// git), ending in `/`; `None` when it cannot be told (the log then says no more than the
    /// relative paths).
    pub(crate) top: Option<String>,
}

/// What a path segment may not hold as it is in a URI (RFC 3986 `pchar`, `/` kept as the
/// separator); every byte outside ASCII is encoded too.
const URI_PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

impl Base {
    /// The base of the plan repository at `root`, from git when it is in a working tree.
    pub(crate) fn detect(root: &std::path::Path) -> Base {
        match crate::git::work_tree(root) {
            Some((top, prefix)) => Base {
                prefix,
                top: file_uri(&top),
            },
            None => Base {
                prefix: String::new(),
                top: root.canonicalize().ok().and_then(|p| file_uri(&p)),
            },
        }
    }

    /// The `uri` of `path` (relative to the plan root): relative to the top, `/`-separated,
    /// percent-encoded; `None` for a path that is absolute or climbs (`..`), which no
    /// code-review tool can place (GitHub refuses them).
    pub(crate) fn uri(&self, path: &str) -> Option<String> {
        let path = path.replace('\\', "/");
        let path = path.trim_start_matches("./");
        if path.is_empty()
            || path.starts_with('/')
            || path.split('/').any(|p| p == ".." || p.contains(':'))
        {
            return None;
        }
        let full = if self.prefix.is_empty() {
            path.to_string()
        } else {
            format!("{}/{path}", self.prefix)
        };
        Some(utf8_percent_encode(&full, URI_PATH).to_string())
    }
}

/// `file:` URI of an absolute folder, ending in `/`.
fn file_uri(dir: &std::path::Path) -> Option<String> {
    let text = dir.to_str()?.replace('\\', "/");
    let text = text.trim_end_matches('/');
    let encoded = utf8_percent_encode(text, URI_PATH).to_string();
    let sep = if encoded.starts_with('/') { "" } else { "/" };
    Some(format!("file://{sep}{encoded}/"))
}

/// The end of `span` in `text` as SARIF counts it: the line of its last character and the
/// column after it (exclusive), in characters; `None` for an empty span, one that does not fit
/// the text (a file changed since), or no text.
fn span_end(span: Span, text: Option<&str>) -> Option<(u32, u32)> {
    let text = text?;
    let (start, end) = (span.start as usize, span.end as usize);
    let covered = text.get(start..end)?;
    let covered = covered.trim_end_matches(['\n', '\r']);
    if covered.is_empty() {
        return None;
    }
    let newlines = covered.matches('\n').count() as u32;
    let column = match covered.rfind('\n') {
        None => span.col + covered.chars().count() as u32,
        Some(i) => covered[i + 1..].chars().count() as u32 + 1,
    };
    Some((span.line + newlines, column))
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// One diagnostic as a SARIF result; `text`: its file's text, for the end of its span.
fn result(d: &Diagnostic, lang: Lang, base: &Base, text: Option<&str>) -> Value {
    let index = RULES.iter().position(|r| r.info().code == d.code);
    let mut message = d.message.get(lang).to_string();
    if let Some(h) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(h.get(lang));
    }
    let mut value = json!({
        "ruleId": d.code,
        "ruleIndex": index,
        "level": level(d.severity),
        "message": { "text": message },
    });
    // a finding with no place a review tool can show (a path that climbs) stays a result of
    // the run without a location, as SARIF allows
    if let Some(uri) = base.uri(&d.path) {
        let mut location = json!({
            "physicalLocation": {
                "artifactLocation": { "uri": uri, "uriBaseId": "%SRCROOT%" },
            }
        });
        if let Some(s) = d.span {
            let mut region = json!({ "startLine": s.line.max(1), "startColumn": s.col.max(1) });
            if let Some((line, col)) = span_end(s, text) {
                region["endLine"] = json!(line);
                region["endColumn"] = json!(col);
            }
            location["physicalLocation"]["region"] = region;
        }
        value["locations"] = json!([location]);
    }
    value
}

/// Writes the SARIF log, one result at a time, and a final newline. `files` gives the text of
/// a file for the ends of spans (read once per file: the findings come sorted by path).
pub(crate) fn write(
    out: &mut dyn std::io::Write,
    files: Option<&dyn Snippets>,
    diags: &[Diagnostic],
    lang: Lang,
    base: &Base,
) -> std::io::Result<()> {
    let envelope = envelope(Vec::new(), lang, base);
    let mut last: Option<(&str, Option<String>)> = None;
    let results = diags.iter().map(move |d| {
        let fresh = last.as_ref().is_none_or(|(p, _)| *p != d.path);
        if fresh {
            let text = match (files, d.span) {
                (Some(f), Some(_)) => f.text(&d.path),
                _ => None,
            };
            last = Some((d.path.as_str(), text));
        } else if let (Some((p, None)), Some(f), Some(_)) = (&last, files, d.span) {
            // the first finding of the file had no span: read it now
            last = Some((*p, f.text(&d.path)));
        }
        let text = last.as_ref().and_then(|(_, t)| t.as_deref());
        result(d, lang, base, text)
    });
    // `results` is a key of the run object: the outer object, `runs`, the run (depth 3)
    super::json::stream(out, &envelope, "results", 3, results)
}

/// The whole log as one value (the tests' reference; the CLI streams with [`write()`]).
#[cfg(test)]
fn to_value(diags: &[Diagnostic], lang: Lang, base: &Base) -> Value {
    envelope(
        diags.iter().map(|d| result(d, lang, base, None)).collect(),
        lang,
        base,
    )
}

fn envelope(results: Vec<Value>, lang: Lang, base: &Base) -> Value {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            let i = r.info();
            let summary = match lang {
                Lang::Zh => i.summary.0,
                Lang::En => i.summary.1,
            };
            json!({
                "id": i.code,
                "name": i.name,
                "shortDescription": { "text": summary },
                "help": { "text": i.doc_text() },
                "defaultConfiguration": { "level": level(i.severity) },
            })
        })
        .collect();
    let root = match &base.top {
        Some(uri) => json!({
            "uri": uri,
            "description": { "text": "the top of the git working tree" },
        }),
        None => json!({ "description": { "text": "the top of the git working tree" } }),
    };
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "yuan",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://yuan.example/",
                "rules": rules,
            }},
            "originalUriBaseIds": { "%SRCROOT%": root },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_start_at_the_top_and_never_climb() {
        let base = Base {
            prefix: "plans".into(),
            top: None,
        };
        assert_eq!(
            base.uri("county/qx-flood.md").as_deref(),
            Some("plans/county/qx-flood.md")
        );
        // Chinese names and spaces percent-encoded, `/` kept
        assert_eq!(
            base.uri("县级/防汛 预案.md").as_deref(),
            Some("plans/%E5%8E%BF%E7%BA%A7/%E9%98%B2%E6%B1%9B%20%E9%A2%84%E6%A1%88.md")
        );
        assert_eq!(base.uri("./a.md").as_deref(), Some("plans/a.md"));
        assert_eq!(base.uri("a\\b.md").as_deref(), Some("plans/a/b.md"));
        for bad in ["../a.md", "/etc/passwd", "a/../../b.md", "C:/x.md", ""] {
            assert_eq!(base.uri(bad), None, "{bad}");
        }
        let top = Base::default();
        assert_eq!(top.uri("a.md").as_deref(), Some("a.md"));
        assert_eq!(
            file_uri(std::path::Path::new("/srv/预案 库")).as_deref(),
            Some("file:///srv/%E9%A2%84%E6%A1%88%20%E5%BA%93/")
        );
    }

    #[test]
    fn a_span_ends_after_its_last_character() {
        let text = "id: x\nparent: 青溪-overall\nbody\n";
        let start = text.find("青").expect("start") as u32;
        let end = start + "青溪-overall".len() as u32;
        let span = Span {
            start,
            end,
            line: 2,
            col: 9,
        };
        // 10 characters from column 9: the end column is 19, exclusive
        assert_eq!(span_end(span, Some(text)), Some((2, 19)));
        // over two lines: the line and column after the last character
        let span = Span {
            start: 0,
            end: text.find("body").expect("body") as u32 + 2,
            line: 1,
            col: 1,
        };
        assert_eq!(span_end(span, Some(text)), Some((3, 3)));
        // a span that does not fit the text (changed since), an empty one, or no text: no end
        let wide = Span {
            start: 0,
            end: 999,
            line: 1,
            col: 1,
        };
        assert_eq!(span_end(wide, Some(text)), None);
        let empty = Span {
            start: 3,
            end: 3,
            line: 1,
            col: 4,
        };
        assert_eq!(span_end(empty, Some(text)), None);
        assert_eq!(span_end(wide, None), None);
    }

    #[test]
    fn streamed_log_is_the_pretty_printed_value() {
        for n in [0, 1, 5] {
            let diags = crate::diag::json::tests::sample(n);
            for lang in [Lang::Zh, Lang::En] {
                let base = Base {
                    prefix: "plans".into(),
                    top: Some("file:///srv/repo/".into()),
                };
                let mut out = Vec::new();
                write(&mut out, None, &diags, lang, &base).expect("writes");
                let want = serde_json::to_string_pretty(&to_value(&diags, lang, &base))
                    .expect("json")
                    + "\n";
                assert_eq!(String::from_utf8(out).expect("utf-8"), want, "{n}");
            }
        }
    }
}
