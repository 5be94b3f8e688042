//! The model's first step: a file's syntax (from `parse`) -> a typed [`Document`] or typed
//! registry entries, plus the findings about what the front matter means: its `kind` (I102),
//! its schema (F003) and keys the schema does not know (F004).
//!
//! A document below a folder's `_defaults.yaml` first receives the values it inherits
//! ([`super::defaults`]); the merged front matter is what is validated and typed, and a finding
//! about an inherited value points at the defaults file's line and names the document.
//!
//! The parse stage only says what the text is (a YAML mapping, headings, links); here the
//! mapping is validated against the JSON Schema of its kind and deserialized into the model's
//! types, and the body's headings get their normalized titles and line positions. The YAML
//! tree is moved into serde, never copied, and the whole step runs once per file in the
//! parallel loading loop (its result is what the parse cache stores).

use super::defaults::{self, Cascade, Inherited};
use super::drill::DrillMeta;
use super::meta::{CardMeta, Kind, PlanMeta};
use super::registry as reg;
use super::rules::{
    f003_schema_violation as f003, f004_unknown_key as f004, i102_unknown_kind as i102,
};
use super::{heading, Document, Heading, Link, Meta, TitleLine, YamlSource};
use crate::diag::{Diagnostic, Span};
use crate::parse::lines::LineCursor;
use crate::parse::markdown::LineForm;
use crate::parse::{yaml, ParsedDocument, ParsedRegistry};
use crate::source::reader::Memory;
use jsonschema::error::ValidationErrorKind;
use jsonschema::Validator;
use serde::Deserialize;
use serde_json::Value;
use std::path::Path;
use std::sync::Arc;

/// Gives a parsed document file its meaning: `parsed` is what [`crate::parse::parse_document`]
/// returned for `text`, the file `rel` (at `abs`). The findings come in the order the file
/// reads: the front matter's syntax, its meaning, then the body's.
pub fn document(
    rel: &str,
    abs: &Path,
    text: &str,
    parsed: (Option<ParsedDocument>, Vec<Diagnostic>),
) -> (Option<Document>, Vec<Diagnostic>) {
    document_in(None, rel, abs, text, parsed)
}

/// [`document`] of a file of the repository `memory` holds (`None`: a file on disk), which
/// its findings' positions are read again from.
pub(crate) fn document_in(
    memory: Option<&Arc<Memory>>,
    rel: &str,
    abs: &Path,
    text: &str,
    parsed: (Option<ParsedDocument>, Vec<Diagnostic>),
) -> (Option<Document>, Vec<Diagnostic>) {
    document_with(memory, rel, abs, text, parsed, None)
}

/// [`document_in`] of a document that inherits from the defaults `chain` of `cascade`
/// (nearest folder first; `None` or an empty chain: nothing to inherit).
pub(crate) fn document_with(
    memory: Option<&Arc<Memory>>,
    rel: &str,
    abs: &Path,
    text: &str,
    parsed: (Option<ParsedDocument>, Vec<Diagnostic>),
    defaults: Option<(&Cascade, &[usize])>,
) -> (Option<Document>, Vec<Diagnostic>) {
    let (parsed, mut out) = parsed;
    let Some(parsed) = parsed else {
        return (None, out);
    };
    let mut doc = Document {
        path: rel.to_string(),
        id: None,
        kind: None,
        meta: Meta::Invalid,
        yaml: YamlSource::new(abs.to_path_buf(), parsed.yaml.clone(), parsed.yaml_line)
            .in_memory(memory),
        head: parsed.head,
        headings: Default::default(),
        lines: Vec::new(),
        links: Vec::new(),
        cited: super::cited::scan(text, parsed.yaml.end),
        inherited: Vec::new(),
    };
    if let Some(mut front) = parsed.front_matter {
        doc.yaml.set_marks(&text[parsed.yaml], &front.marks);
        // typed straight from the events (`super::direct`): valid as its schema says
        if let Some((id, kind, meta)) = front.typed.take().and_then(super::direct::into_meta) {
            doc.id = Some(id);
            doc.kind = Some(kind);
            doc.meta = meta;
        } else {
            if let Some((cascade, chain)) = defaults.filter(|(_, c)| !c.is_empty()) {
                doc.inherited = cascade.merge(chain, &mut front.mapping);
            }
            let mut value = Value::Object(front.mapping);
            type_front_matter(rel, &mut value, &mut doc, &mut out);
        }
    }
    let mut lines = LineCursor::new(text);
    doc.headings = parsed
        .body
        .headings
        .into_iter()
        .map(|h| Heading {
            level: h.level,
            norm: heading::Norm::of(&h.title),
            title: h.title,
            span: lines.span(h.range.start, h.range.end),
            has_content: h.has_content,
        })
        .collect::<Vec<_>>()
        .into();
    let mut lines = LineCursor::new(text);
    doc.lines = parsed
        .body
        .lines
        .into_iter()
        .map(|l| TitleLine {
            form: match l.form {
                LineForm::Plain => super::LineForm::Plain,
                LineForm::Bold => super::LineForm::Bold,
                LineForm::Label => super::LineForm::Label,
            },
            norm: heading::Norm::of(&l.title),
            title: l.title,
            span: lines.span(l.range.start, l.range.end),
            rest: l.rest,
            content_before: l.content_before,
            content_after: l.content_after,
            headings_before: l.headings_before,
        })
        .collect();
    let mut lines = LineCursor::new(text);
    doc.links = parsed
        .body
        .links
        .into_iter()
        .map(|l| Link {
            span: lines.span(l.range.start, l.range.end),
            dest: l.dest,
        })
        .collect();
    out.extend(parsed.body_findings);
    (Some(doc), out)
}

/// Reads `id` and `kind`, validates against the kind's schema and types the front matter.
fn type_front_matter(rel: &str, value: &mut Value, doc: &mut Document, out: &mut Vec<Diagnostic>) {
    doc.id = value.get("id").and_then(Value::as_str).map(str::to_string);
    let kind_str = value
        .get("kind")
        .and_then(Value::as_str)
        .map(str::to_string);
    let kind = match kind_str.as_deref().map(|k| (k, Kind::parse(k))) {
        Some((_, Some(k))) => k,
        Some((k, None)) => {
            out.push(i102::unknown(rel, doc.yaml.span_of("/kind", false), k));
            return;
        }
        // `kind` of the wrong type (a list, a number): said, not dropped in silence
        None if value.get("kind").is_some_and(|k| !k.is_null()) => {
            out.push(f003::kind_not_text(rel, doc.yaml.span_of("/kind", false)));
            return;
        }
        None => {
            // Let the schema say what is missing: the overall plan schema requires `kind`.
            let (v, s) = crate::schema::for_kind(Kind::Overall);
            let mut all = Vec::new();
            validate(
                rel,
                value,
                v,
                s,
                (&doc.yaml, &doc.inherited),
                doc.head,
                &mut all,
            );
            out.extend(
                all.into_iter()
                    .filter(|d| d.message.en.contains("\"kind\"")),
            );
            return;
        }
    };
    doc.kind = Some(kind);
    let (validator, schema) = crate::schema::for_kind(kind);
    let before = out.len();
    let yaml = (&doc.yaml, doc.inherited.as_slice());
    if !validate(rel, value, validator, schema, yaml, doc.head, out) {
        return;
    }
    if out.len() > before {
        // Only unknown keys were reported: drop them so serde can type the rest.
        strip_unknown(value, validator);
    }
    // Deserialize from the owned value: strings move instead of being copied.
    let owned = std::mem::take(value);
    let typed = match kind {
        Kind::Card => CardMeta::deserialize(owned).map(|c| Meta::Card(Box::new(c))),
        Kind::Drill => DrillMeta::deserialize(owned).map(|d| Meta::Drill(Box::new(d))),
        _ => PlanMeta::deserialize(owned).map(|p| Meta::Plan(Box::new(p))),
    };
    match typed {
        Ok(m) => doc.meta = m,
        Err(e) => out.push(f003::untyped(rel, Some(doc.head), &e.to_string())),
    }
}

/// The valid entries of one registry file, each with its index in its list.
#[derive(Debug, Default, serde::Serialize, Deserialize)]
pub struct RegistryEntries {
    pub(crate) jurisdictions: Vec<(usize, reg::Jurisdiction)>,
    pub(crate) organizations: Vec<(usize, reg::Organization)>,
    pub(crate) roles: Vec<(usize, reg::Role)>,
    pub(crate) contacts: Vec<(usize, reg::Contact)>,
    pub(crate) resources: Vec<(usize, reg::Resource)>,
    pub(crate) hazards: Vec<(usize, reg::Hazard)>,
    pub(crate) external_plans: Vec<(usize, reg::ExternalPlan)>,
}

/// Gives a parsed registry file its meaning: typed content (if its YAML could be read), its
/// YAML source with positions, and the findings (syntax first, then schema). `parsed` is what
/// [`crate::parse::parse_registry`] returned for the file `rel` (at `abs`).
pub fn registry(
    rel: &str,
    abs: &Path,
    parsed: (ParsedRegistry, Vec<Diagnostic>),
) -> (Option<RegistryEntries>, YamlSource, Vec<Diagnostic>) {
    registry_in(None, rel, abs, parsed)
}

/// [`registry`] of a file of the repository `memory` holds (`None`: a file on disk).
pub(crate) fn registry_in(
    memory: Option<&Arc<Memory>>,
    rel: &str,
    abs: &Path,
    parsed: (ParsedRegistry, Vec<Diagnostic>),
) -> (Option<RegistryEntries>, YamlSource, Vec<Diagnostic>) {
    let (parsed, mut out) = parsed;
    let ysrc = YamlSource::new(abs.to_path_buf(), parsed.yaml, 1).in_memory(memory);
    let mut value = match parsed.value {
        None => return (None, ysrc, out),
        Some(Value::Null) => return (Some(RegistryEntries::default()), ysrc, out),
        Some(v) => v,
    };
    let (validator, schema) = crate::schema::for_registry();
    let before = out.len();
    let valid = validate(
        rel,
        &value,
        validator,
        schema,
        (&ysrc, &[]),
        Span::default(),
        &mut out,
    );
    // unknown keys are dropped so serde can type the rest (a valid file has none)
    if !valid || out.len() > before {
        strip_unknown(&mut value, validator);
    }
    (Some(lenient_registry(value)), ysrc, out)
}

/// Validates `value` and reports schema errors (unknown keys as F004), each at the line of its
/// value: in `yaml`, or in the defaults file the value was inherited from (`yaml.1`).
fn validate(
    path: &str,
    value: &Value,
    validator: &Validator,
    schema: &Value,
    (yaml, inherited): (&YamlSource, &[Inherited]),
    head: Span,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let mut out = Placed {
        out,
        inherited,
        doc: path,
    };
    let out = &mut out;
    if validator.is_valid(value) {
        return true;
    }
    let errors: Vec<_> = validator.iter_errors(value).collect();
    for e in &errors {
        let pointer = e.instance_path().as_str();
        match e.kind() {
            // the date's format check reports the same value, with a better help line
            ValidationErrorKind::Pattern { pattern } if pattern == crate::model::date::PATTERN => {}
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let known = known_keys(schema, e.schema_path().as_str());
                let known: Vec<&str> = known.iter().map(String::as_str).collect();
                for key in unexpected {
                    let at = format!("{pointer}/{}", yaml::escape_segment(key));
                    let span = yaml.span_of(&at, true);
                    out.push_at(f004::unknown(path, span, key, &known), &at, true);
                }
            }
            ValidationErrorKind::Required { .. } => {
                // Point at the key of the object that lacks the field, or at the opening `---`.
                let span = if pointer.is_empty() {
                    None
                } else {
                    yaml.span_of(pointer, true)
                };
                out.push_at(
                    f003::from_error(path, e, span.or(Some(head))),
                    pointer,
                    true,
                );
            }
            _ => out.push_at(
                f003::from_error(path, e, yaml.span_of(pointer, false)),
                pointer,
                false,
            ),
        }
    }
    // Unknown keys alone do not make the document unusable.
    errors
        .iter()
        .all(|e| matches!(e.kind(), ValidationErrorKind::AdditionalProperties { .. }))
}

/// Property names of the schema object that owns an `additionalProperties` keyword.
fn known_keys(schema: &Value, schema_path: &str) -> Vec<String> {
    let parent = schema_path
        .strip_suffix("/additionalProperties")
        .unwrap_or(schema_path);
    let mut keys: Vec<String> = schema
        .pointer(parent)
        .and_then(|o| o.get("properties"))
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    keys.sort();
    keys
}

/// Strips keys the schema does not know, so serde can type the rest.
fn strip_unknown(value: &mut Value, validator: &Validator) {
    let mut cuts: Vec<(String, String)> = Vec::new();
    for e in validator.iter_errors(value) {
        if let ValidationErrorKind::AdditionalProperties { unexpected } = e.kind() {
            for k in unexpected {
                cuts.push((e.instance_path().as_str().to_string(), k.clone()));
            }
        }
    }
    for (p, k) in cuts {
        if let Some(Value::Object(o)) = value.pointer_mut(&p) {
            o.remove(&k);
        }
    }
}

/// Types a registry entry by entry, keeping every entry that is valid on its own, so one bad
/// contact does not hide the other hundred (its error is already reported).
fn lenient_registry(mut value: Value) -> RegistryEntries {
    // from the owned tree: the entries' strings move instead of being copied
    let mut list = |key: &str| -> Vec<Value> {
        match value.get_mut(key).map(Value::take) {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        }
    };
    fn typed<T: for<'de> Deserialize<'de>>(items: Vec<Value>) -> Vec<(usize, T)> {
        items
            .into_iter()
            .enumerate()
            .filter_map(|(i, v)| T::deserialize(v).ok().map(|t| (i, t)))
            .collect()
    }
    RegistryEntries {
        jurisdictions: typed(list("jurisdictions")),
        organizations: typed(list("organizations")),
        roles: typed(list("roles")),
        contacts: typed(list("contacts")),
        resources: typed(list("resources")),
        hazards: typed(list("hazards")),
        external_plans: typed(list("external_plans")),
    }
}

/// Findings of one document's validation, each moved to the defaults file that wrote the value
/// it is about when that value was inherited.
struct Placed<'a> {
    out: &'a mut Vec<Diagnostic>,
    inherited: &'a [Inherited],
    doc: &'a str,
}

impl Placed<'_> {
    /// Adds `d`, a finding about the value (or key, with `key`) at `pointer`.
    fn push_at(&mut self, d: Diagnostic, pointer: &str, key: bool) {
        let d = if self.inherited.is_empty() {
            d
        } else {
            defaults::relocate(d, self.inherited, pointer, key, self.doc)
        };
        self.out.push(d);
    }
}
