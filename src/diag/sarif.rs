//! SARIF 2.1.0 output, for code-review annotations (GitHub code scanning, GitLab). Built with
//! serde_json: the subset used (tool, rules, results with one physical location) is a few
//! objects, not worth a dependency. Streamed like the JSON output (`json::stream`): the
//! results are written one by one into the laid-out envelope, never held as one value.

use super::{Diagnostic, Lang, Severity};
use crate::check::registry::RULES;
use serde_json::{json, Value};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// One diagnostic as a SARIF result.
fn result(d: &Diagnostic, lang: Lang) -> Value {
    let index = RULES.iter().position(|r| r.info().code == d.code);
    let mut text = d.message.get(lang).to_string();
    if let Some(h) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(h.get(lang));
    }
    let mut region = json!({});
    if let Some(s) = d.span {
        region = json!({ "startLine": s.line, "startColumn": s.col });
    }
    json!({
        "ruleId": d.code,
        "ruleIndex": index,
        "level": level(d.severity),
        "message": { "text": text },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": d.path, "uriBaseId": "%SRCROOT%" },
                "region": region,
            }
        }],
    })
}

/// Writes the SARIF log, one result at a time, and a final newline.
pub(crate) fn write(
    out: &mut dyn std::io::Write,
    diags: &[Diagnostic],
    lang: Lang,
) -> std::io::Result<()> {
    let envelope = envelope(Vec::new(), lang);
    // `results` is a key of the run object: the outer object, `runs`, the run (depth 3)
    super::json::stream(
        out,
        &envelope,
        "results",
        3,
        diags.iter().map(|d| result(d, lang)),
    )
}

/// The whole log as one value (the tests' reference; the CLI streams with [`write()`]).
#[cfg(test)]
fn to_value(diags: &[Diagnostic], lang: Lang) -> Value {
    envelope(diags.iter().map(|d| result(d, lang)).collect(), lang)
}

fn envelope(results: Vec<Value>, lang: Lang) -> Value {
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
            "originalUriBaseIds": { "%SRCROOT%": { "uri": "./" } },
            "results": results,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_log_is_the_pretty_printed_value() {
        for n in [0, 1, 5] {
            let diags = crate::diag::json::tests::sample(n);
            for lang in [Lang::Zh, Lang::En] {
                let mut out = Vec::new();
                write(&mut out, &diags, lang).expect("writes");
                let want =
                    serde_json::to_string_pretty(&to_value(&diags, lang)).expect("json") + "\n";
                assert_eq!(String::from_utf8(out).expect("utf-8"), want, "{n}");
            }
        }
    }
}
