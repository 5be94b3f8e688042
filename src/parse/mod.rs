//! The parse stage: the bytes of one file -> a [`Document`] (or registry entries) plus the
//! diagnostics found on the way. It never fails: every problem becomes a diagnostic, and as
//! much of the document as can be read is kept so that references to it still resolve.

pub mod front_matter;
pub mod lines;
pub mod markdown;
pub mod rules;
pub mod splice;
pub mod yaml;

use crate::diag::{Diagnostic, Span};
use crate::model::drill::DrillMeta;
use crate::model::meta::{CardMeta, Kind, PlanMeta};
use crate::model::registry as reg;
use crate::model::{heading, Document, Heading, Link, Meta, YamlSource};
use crate::source::rules::f005_unreadable_file as f005;
use jsonschema::error::ValidationErrorKind;
use jsonschema::Validator;
use lines::LineCursor;
use regex::Regex;
use rules::{
    f001_front_matter_missing as f001, f002_yaml_invalid as f002, f003_schema_violation as f003,
    f004_unknown_key as f004, i102_unknown_kind as i102, t801_placeholder_text as t801,
    t802_merge_conflict as t802,
};
use serde::Deserialize;
use serde_json::Value;

/// Front matter larger than this is not parsed (a plan header is a few KB).
pub const MAX_FRONT_MATTER: usize = 1024 * 1024;

/// What the parse stage needs from the configuration.
pub struct ParseOptions {
    pub max_file_bytes: u64,
    pub placeholders: Option<Regex>,
}

/// Reads a file's text through the repository `reader`, or reports why not.
pub fn read_text(
    reader: &crate::source::Reader,
    rel: &str,
    opts: &ParseOptions,
) -> Result<String, Box<Diagnostic>> {
    decode_text(read_bytes(reader, rel, opts)?, rel)
}

/// Reads a file's bytes (at most `max_file_bytes`) through the repository `reader` (a regular
/// file inside the repository), or reports why not (F005).
pub fn read_bytes(
    reader: &crate::source::Reader,
    rel: &str,
    opts: &ParseOptions,
) -> Result<Vec<u8>, Box<Diagnostic>> {
    // by the path relative to the root: the root itself may be a relative path
    reader
        .read(std::path::Path::new(rel), opts.max_file_bytes)
        .map_err(|why| Box::new(f005::refused(rel, &why)))
}

/// The bytes of a file as text, or F005 pointing at the first byte that is not UTF-8.
pub fn decode_text(bytes: Vec<u8>, rel: &str) -> Result<String, Box<Diagnostic>> {
    String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let prefix = String::from_utf8_lossy(&bytes[..good]);
        let line = prefix.matches('\n').count() as u32 + 1;
        Box::new(f005::invalid_utf8(
            rel,
            Span {
                start: good as u32,
                end: good as u32 + 1,
                line,
                col: prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1,
            },
        ))
    })
}

/// Validates `value` and reports schema errors (unknown keys as F004).
fn validate(
    path: &str,
    value: &Value,
    validator: &Validator,
    schema: &Value,
    yaml: &YamlSource,
    head: Span,
    out: &mut Vec<Diagnostic>,
) -> bool {
    if validator.is_valid(value) {
        return true;
    }
    let errors: Vec<_> = validator.iter_errors(value).collect();
    for e in &errors {
        let pointer = e.instance_path().as_str();
        match e.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let known = known_keys(schema, e.schema_path().as_str());
                let known: Vec<&str> = known.iter().map(String::as_str).collect();
                for key in unexpected {
                    let at = format!("{pointer}/{}", yaml::escape_segment(key));
                    let span = yaml.span_of(&at, true);
                    out.push(f004::unknown(path, span, key, &known));
                }
            }
            ValidationErrorKind::Required { .. } => {
                // Point at the key of the object that lacks the field, or at the opening `---`.
                let span = if pointer.is_empty() {
                    None
                } else {
                    yaml.span_of(pointer, true)
                };
                out.push(f003::from_error(path, e, span.or(Some(head))));
            }
            _ => out.push(f003::from_error(path, e, yaml.span_of(pointer, false))),
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

/// Parses one document file.
pub fn parse_document(
    rel: &str,
    abs: &std::path::Path,
    text: &str,
    opts: &ParseOptions,
) -> (Option<Document>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let first_line_end = text.find('\n').unwrap_or(text.len());
    let head = LineCursor::new(text).span(0, first_line_end);
    let conflicts = front_matter::conflict_markers(text);
    let conflict = |r: &std::ops::Range<usize>| {
        let kind = yaml::YamlErrorKind::MergeConflict;
        let e = yaml::YamlError {
            kind,
            pos: yaml::Pos::default(),
        };
        f002::from_error(rel, &e, LineCursor::new(text).span(r.start, r.end))
    };
    let split = match front_matter::split(text) {
        Ok(s) => s,
        // a conflict around the opening `---` is why there is none
        Err(_) if !conflicts.is_empty() => {
            out.push(conflict(&conflicts[0]));
            return (None, out);
        }
        Err(front_matter::SplitError::Missing) => {
            out.push(f001::missing(rel, head));
            return (None, out);
        }
        Err(front_matter::SplitError::Unterminated { .. }) => {
            out.push(f001::unterminated(rel, head));
            return (None, out);
        }
    };
    let yaml_text = &text[split.yaml.clone()];
    let ysrc = YamlSource::new(abs.to_path_buf(), split.yaml.clone(), split.yaml_line);
    let mut doc = Document {
        path: rel.to_string(),
        id: None,
        kind: None,
        meta: Meta::Invalid,
        yaml: ysrc,
        head,
        headings: Default::default(),
        links: Vec::new(),
    };
    let mut draft = false;
    if yaml_text.len() > MAX_FRONT_MATTER {
        out.push(f002::from_error(
            rel,
            &yaml::YamlError {
                kind: yaml::YamlErrorKind::TooLarge {
                    size: yaml_text.len(),
                    limit: MAX_FRONT_MATTER,
                },
                pos: yaml::Pos::default(),
            },
            head,
        ));
    } else if let Some(m) = conflicts.iter().find(|r| r.start < split.body) {
        out.push(conflict(m));
    } else {
        match yaml::parse_marked(yaml_text, yaml::Limits::default(), crate::model::MARKED) {
            Err(e) => {
                let at = doc.yaml.span_at(yaml_text, e.pos);
                out.push(f002::from_error(rel, &e, at));
            }
            Ok((Value::Null, _)) => out.push(f001::empty(rel, head)),
            Ok((Value::Object(map), marks)) => {
                doc.yaml.set_marks(yaml_text, &marks);
                let mut value = Value::Object(map);
                draft = value.get("status").and_then(Value::as_str) == Some("draft");
                type_front_matter(rel, &mut value, &mut doc, &mut out);
            }
            Ok(_) => out.push(f002::not_mapping(
                rel,
                doc.yaml.span_of("", false).unwrap_or(head),
            )),
        }
    }
    let body = markdown::scan(&text[split.body..], split.body);
    let mut lines = LineCursor::new(text);
    doc.headings = body
        .headings
        .into_iter()
        .map(|h| Heading {
            level: h.level,
            norm: heading::normalize(&h.title),
            title: h.title,
            span: lines.span(h.range.start, h.range.end),
            has_content: h.has_content,
        })
        .collect::<Vec<_>>()
        .into();
    let mut lines = LineCursor::new(text);
    doc.links = body
        .links
        .into_iter()
        .map(|l| Link {
            span: lines.span(l.range.start, l.range.end),
            dest: l.dest,
        })
        .collect();
    if let Some(re) = &opts.placeholders {
        out.extend(t801::scan(rel, text, re, draft));
    }
    // each conflict in the body, at its opening line (one opened in the front matter is F002)
    let mut lines = LineCursor::new(text);
    out.extend(
        conflicts
            .iter()
            .filter(|r| r.start >= split.body && text[(*r).clone()].starts_with("<<<<<<<"))
            .map(|r| t802::at(rel, lines.span(r.start, r.end))),
    );
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
        None => {
            // Let the schema say what is missing: the overall plan schema requires `kind`.
            let (v, s) = crate::schema::for_kind(Kind::Overall);
            let mut all = Vec::new();
            validate(rel, value, v, s, &doc.yaml, doc.head, &mut all);
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
    if !validate(rel, value, validator, schema, &doc.yaml, doc.head, out) {
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
    pub jurisdictions: Vec<(usize, reg::Jurisdiction)>,
    pub organizations: Vec<(usize, reg::Organization)>,
    pub roles: Vec<(usize, reg::Role)>,
    pub contacts: Vec<(usize, reg::Contact)>,
    pub resources: Vec<(usize, reg::Resource)>,
    pub hazards: Vec<(usize, reg::Hazard)>,
}

/// Parses one registry file: typed content (if valid), its YAML source with positions, and
/// diagnostics.
pub fn parse_registry(
    rel: &str,
    abs: &std::path::Path,
    text: &str,
) -> (Option<RegistryEntries>, YamlSource, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let offset = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let text = &text[offset..];
    let ysrc = YamlSource::new(abs.to_path_buf(), offset..offset + text.len(), 1);
    let mut value = match yaml::parse(text, false, yaml::Limits::default()) {
        Err(e) => {
            let at = ysrc.span_at(text, e.pos);
            out.push(f002::from_error(rel, &e, at));
            return (None, ysrc, out);
        }
        Ok((Value::Null, _)) => return (Some(RegistryEntries::default()), ysrc, out),
        Ok((v @ Value::Object(_), _)) => v,
        Ok(_) => {
            out.push(f002::not_mapping(
                rel,
                ysrc.span_of("", false).unwrap_or_default(),
            ));
            return (None, ysrc, out);
        }
    };
    let (validator, schema) = crate::schema::for_registry();
    validate(
        rel,
        &value,
        validator,
        schema,
        &ysrc,
        Span::default(),
        &mut out,
    );
    strip_unknown(&mut value, validator);
    (Some(lenient_registry(&value)), ysrc, out)
}

/// Types a registry entry by entry, keeping every entry that is valid on its own, so one bad
/// contact does not hide the other hundred (its error is already reported).
fn lenient_registry(value: &Value) -> RegistryEntries {
    fn list<T: for<'de> Deserialize<'de>>(value: &Value, key: &str) -> Vec<(usize, T)> {
        value
            .get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .enumerate()
                    .filter_map(|(i, v)| T::deserialize(v).ok().map(|t| (i, t)))
                    .collect()
            })
            .unwrap_or_default()
    }
    RegistryEntries {
        jurisdictions: list(value, "jurisdictions"),
        organizations: list(value, "organizations"),
        roles: list(value, "roles"),
        contacts: list(value, "contacts"),
        resources: list(value, "resources"),
        hazards: list(value, "hazards"),
    }
}
