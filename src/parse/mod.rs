//! The parse stage: the bytes of one file -> its syntax: the front matter split from the body,
//! the YAML as values (with the positions asked for), the Markdown body's headings and links,
//! and the syntax problems found on the way (F001, F002, T801, T802; F005 when the bytes cannot
//! be read). It never fails: every problem becomes a diagnostic, and as much as can be read is
//! kept. What the values mean (kinds, schemas, typed documents and registries) is the model's
//! business (`model::build`), which takes these results as they are, moving rather than
//! copying the YAML tree.

pub mod front_matter;
pub(crate) mod lines;
pub(crate) mod markdown;
pub mod rules;
pub(crate) mod splice;
pub mod yaml;
pub(crate) mod yaml_direct;

use crate::diag::{Diagnostic, Span};
use crate::source::rules::f005_unreadable_file as f005;
use lines::LineCursor;
use regex::Regex;
use rules::{
    f001_front_matter_missing as f001, f002_yaml_invalid as f002, t801_placeholder_text as t801,
    t802_merge_conflict as t802,
};
use serde_json::{Map, Value};
use std::ops::Range;
use yaml::{NodeSpan, Placement};

/// Front matter larger than this is not parsed (a plan header is a few KB).
pub(crate) const MAX_FRONT_MATTER: usize = 1024 * 1024;

/// What the parse stage needs from the configuration and from the stages above.
pub struct ParseOptions {
    pub max_file_bytes: u64,
    pub placeholders: Option<Regex>,
    /// JSON pointers of the front-matter values whose positions are kept with the document
    /// (`model::MARKED`: the model decides which places its findings point at).
    pub marked: &'static [&'static str],
    /// Types a front matter straight from its YAML events, when the model can ([`Direct`]).
    pub direct: Option<Direct>,
}

/// The model's typing of a front matter straight from its YAML events ([`yaml_direct`]): the
/// typed front matter and the positions of the values at the pointers asked for, or `None`
/// when the text must go through the value tree (its schema and its findings).
pub type Direct = fn(&str, &[&str]) -> Option<DirectTyped>;

/// What [`Direct`] gives: the typed front matter and the positions of the values asked for.
pub type DirectTyped = (Box<dyn TypedFront>, Vec<(usize, NodeSpan)>);

/// A front matter typed by [`Direct`]: what the parse stage asks of it.
pub trait TypedFront: std::any::Any + Send + std::fmt::Debug {
    /// Whether it says `status: draft` (placeholders are then expected).
    fn is_draft(&self) -> bool;
    /// The typed value, for the model to take back.
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any + Send>;
}

/// A document file as syntax: where its front matter is, its YAML mapping (when it is one),
/// its body's structure, and the findings of the body.
#[derive(Debug)]
pub struct ParsedDocument {
    /// Span of the opening `---` line, for findings about the document as a whole.
    pub(crate) head: Span,
    /// Byte range of the YAML text in the file.
    pub(crate) yaml: Range<usize>,
    /// 1-based line of the first YAML line.
    pub(crate) yaml_line: usize,
    /// The front matter, when it was read as a YAML mapping.
    pub(crate) front_matter: Option<FrontMatter>,
    /// Headings and links of the body, at byte offsets of the file.
    pub(crate) body: markdown::RawBody,
    /// Findings in the body (placeholders, merge conflicts): reported after those of the
    /// front matter.
    pub(crate) body_findings: Vec<Diagnostic>,
}

/// A front matter read as a YAML mapping.
#[derive(Debug)]
pub(crate) struct FrontMatter {
    /// Empty when the front matter was typed directly (`typed`).
    pub(crate) mapping: Map<String, Value>,
    /// The front matter typed straight from its events ([`ParseOptions::direct`]).
    pub(crate) typed: Option<Box<dyn TypedFront>>,
    /// Positions of the values at the pointers of [`ParseOptions::marked`] present (index in
    /// that list, position in the YAML text).
    pub(crate) marks: Vec<(usize, NodeSpan)>,
}

/// A registry file as syntax: where its YAML is, and its value when it is a mapping (or
/// empty).
#[derive(Debug)]
pub struct ParsedRegistry {
    /// Byte range of the YAML text in the file (after a byte-order mark).
    pub(crate) yaml: Range<usize>,
    /// `None`: the YAML could not be read, or is not a mapping (reported). `Some(Null)`: the
    /// file is empty.
    pub(crate) value: Option<Value>,
}

/// Reads a file's bytes (at most `max_file_bytes`) through the repository `reader` (a regular
/// file inside the repository), with the stamp the load keeps of it, or reports why not (F005).
pub(crate) fn read_bytes(
    reader: &crate::source::Reader,
    rel: &str,
    opts: &ParseOptions,
) -> Result<(Vec<u8>, Option<crate::source::reader::Stamp>), Box<Diagnostic>> {
    // by the path relative to the root: the root itself may be a relative path
    reader
        .read_stamped(std::path::Path::new(rel), opts.max_file_bytes)
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

/// Parses one document file: its syntax, or `None` when it has no front matter (reported),
/// and the findings of its front matter's syntax.
pub fn parse_document(
    rel: &str,
    text: &str,
    opts: &ParseOptions,
) -> (Option<ParsedDocument>, Vec<Diagnostic>) {
    parse_document_in(rel, text, opts, true)
}

/// [`parse_document`], typing the front matter directly ([`ParseOptions::direct`]) only when
/// `direct` (not for a document that inherits values from a folder's defaults: those are
/// merged into the value tree).
pub fn parse_document_in(
    rel: &str,
    text: &str,
    opts: &ParseOptions,
    direct: bool,
) -> (Option<ParsedDocument>, Vec<Diagnostic>) {
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
    let place = Placement {
        offset: split.yaml.start,
        line: split.yaml_line,
    };
    let mut front = None;
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
    } else if let Some((typed, marks)) = opts
        .direct
        .filter(|_| direct)
        .and_then(|f| f(yaml_text, opts.marked))
    {
        front = Some(FrontMatter {
            mapping: Map::new(),
            typed: Some(typed),
            marks,
        });
    } else {
        match yaml::parse_marked(yaml_text, yaml::Limits::default(), opts.marked) {
            Err(e) => out.push(f002::from_error(rel, &e, place.span_at(yaml_text, e.pos))),
            Ok((Value::Null, _)) => out.push(f001::empty(rel, head)),
            Ok((Value::Object(mapping), marks)) => {
                front = Some(FrontMatter {
                    mapping,
                    typed: None,
                    marks,
                })
            }
            Ok(_) => out.push(f002::not_mapping(
                rel,
                root_span(yaml_text, place).unwrap_or(head),
            )),
        }
    }
    let mut body_findings = Vec::new();
    if let Some(re) = &opts.placeholders {
        body_findings.extend(t801::scan(rel, text, re, is_draft(front.as_ref())));
    }
    if let Some(status) = drill_status(front.as_ref()) {
        body_findings.extend(t801::scan_injects(rel, text, status));
    }
    // each conflict in the body, at its opening line (one opened in the front matter is F002)
    let mut lines = LineCursor::new(text);
    body_findings.extend(
        conflicts
            .iter()
            .filter(|r| r.start >= split.body && text[(*r).clone()].starts_with("<<<<<<<"))
            .map(|r| t802::at(rel, lines.span(r.start, r.end))),
    );
    let parsed = ParsedDocument {
        head,
        yaml: split.yaml,
        yaml_line: split.yaml_line,
        front_matter: front,
        body: markdown::scan(&text[split.body..], split.body),
        body_findings,
    };
    (Some(parsed), out)
}

/// The `status` of a drill record (`kind: drill`), whose script may hold the placeholder
/// injects `yuan drills new` drafts.
fn drill_status(front: Option<&FrontMatter>) -> Option<&str> {
    // a typed front matter is a plan's or a card's (see `model::direct`)
    let m = &front.filter(|f| f.typed.is_none())?.mapping;
    (m.get("kind").and_then(Value::as_str) == Some("drill"))
        .then(|| m.get("status").and_then(Value::as_str).unwrap_or(""))
}

/// Whether the front matter says `status: draft`: placeholders are then expected, and only
/// warned about.
fn is_draft(front: Option<&FrontMatter>) -> bool {
    if let Some(t) = front.and_then(|f| f.typed.as_ref()) {
        return t.is_draft();
    }
    front
        .and_then(|f| f.mapping.get("status"))
        .and_then(Value::as_str)
        == Some("draft")
}

/// The span of the whole YAML value of `text` (placed at `place`), for findings about a YAML
/// text that is not a mapping.
fn root_span(text: &str, place: Placement) -> Option<Span> {
    let limits = yaml::Limits::default();
    let ns = yaml::locate(text, "", limits)
        .or_else(|| yaml::parse(text, true, limits).ok()?.1.get("").copied())?;
    Some(place.span(text, ns.value.0, ns.value.1))
}

/// Parses one registry file: its YAML value (when it is a mapping or empty), and the findings
/// of its syntax.
pub fn parse_registry(rel: &str, text: &str) -> (ParsedRegistry, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let offset = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let text = &text[offset..];
    let place = Placement { offset, line: 1 };
    let value = match yaml::parse(text, false, yaml::Limits::default()) {
        Err(e) => {
            out.push(f002::from_error(rel, &e, place.span_at(text, e.pos)));
            None
        }
        Ok((v @ (Value::Null | Value::Object(_)), _)) => Some(v),
        Ok(_) => {
            out.push(f002::not_mapping(
                rel,
                root_span(text, place).unwrap_or_default(),
            ));
            None
        }
    };
    let parsed = ParsedRegistry {
        yaml: offset..offset + text.len(),
        value,
    };
    (parsed, out)
}
