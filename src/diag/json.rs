//! The JSON output contract (stable; documented in docs/cli.md):
//! `{ "version": 1, "diagnostics": [ {code, severity, path, line, column, message, help, rule} ],
//!   "summary": {errors, warnings, infos, documents, files} }`. Lines and columns are 1-based;
//! columns count characters. `help` may be null.

use super::{Diagnostic, Lang, Summary};
use serde_json::{json, Value};

pub fn to_value(diags: &[Diagnostic], summary: &Summary, lang: Lang) -> Value {
    let list: Vec<Value> = diags
        .iter()
        .map(|d| {
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
        })
        .collect();
    json!({ "version": 1, "diagnostics": list, "summary": summary })
}
