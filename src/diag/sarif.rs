//! SARIF 2.1.0 output, for code-review annotations (GitHub code scanning, GitLab). Built with
//! serde_json: the subset used (tool, rules, results with one physical location) is a few
//! objects, not worth a dependency.

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

pub fn to_value(diags: &[Diagnostic], lang: Lang) -> Value {
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
    let results: Vec<Value> = diags
        .iter()
        .map(|d| {
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
