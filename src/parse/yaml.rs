//! Every YAML call of yuan lives here, but one: plans and cards are typed straight from the
//! events by [`super::yaml_direct`], which shares this file's scalar rule and wanted pointers.
//!
//! yuan reads YAML with `saphyr-parser` (maintained, pure Rust, positions on every event) instead
//! of the archived `serde_yaml` (see ARCHITECTURE.md). We build a `serde_json::Value` directly from
//! the event stream, because the JSON Schema validator and serde both consume that type, and we
//! record the position of every key and value under its JSON pointer, so a schema error at
//! `/response_levels/0/lead` points at the exact line and column.
//!
//! Hostile input is bounded: nesting depth and the number of nodes (counting alias expansions, so
//! an "alias bomb" stops early) are capped, and callers cap the input size before parsing.
//! Scalars follow the YAML 1.2 core schema; timestamps stay strings and are typed by serde later.

use crate::diag::Span;
use crate::parse::lines::CharCursor;
use saphyr_parser::{Event, Parser, ScalarStyle, Span as YSpan};
use serde_json::{Map, Number, Value};
use std::borrow::Cow;
use std::collections::HashMap;

/// A position inside the parsed text: character index, 1-based line, 0-based column in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Pos {
    pub(crate) index: usize,
    pub(crate) line: usize,
    pub(crate) col: usize,
}

/// Where a node is: its key (for mapping entries) and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeSpan {
    pub(crate) key: Option<(Pos, Pos)>,
    pub(crate) value: (Pos, Pos),
}

/// JSON pointer -> position of that node. Only built when asked for (diagnostics are rare).
pub(crate) type SpanMap = HashMap<String, NodeSpan>;

/// Where a YAML text lies in its file: the byte offset of its first byte and the 1-based line
/// it starts on. Turns positions inside the YAML text into spans of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Placement {
    pub(crate) offset: usize,
    pub(crate) line: usize,
}

impl Placement {
    /// The file span from `a` to `b` (`text` is the YAML text).
    pub(crate) fn span(self, text: &str, a: Pos, b: Pos) -> Span {
        self.span_by(&mut CharCursor::new(text), a, b)
    }

    /// [`Placement::span`] through a cursor over the YAML text: many positions of one text,
    /// visited in order, cost one pass over it.
    pub(crate) fn span_by(self, chars: &mut CharCursor, a: Pos, b: Pos) -> Span {
        let start = self.offset + chars.byte_of(a.index);
        let end = self.offset + chars.byte_of(b.index);
        Span {
            start: start as u32,
            end: end.max(start) as u32,
            line: (self.line + a.line - 1) as u32,
            col: (a.col + 1) as u32,
        }
    }

    /// The file span of the character at `p` (`text` is the YAML text).
    pub(crate) fn span_at(self, text: &str, p: Pos) -> Span {
        let mut s = self.span(text, p, p);
        let next = text[(s.start as usize - self.offset).min(text.len())..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        s.end = s.start + next as u32;
        s
    }
}

/// Why YAML could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub(crate) kind: YamlErrorKind,
    pub(crate) pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum YamlErrorKind {
    /// The parser's own message.
    Syntax(String),
    TooDeep(usize),
    TooManyNodes(usize),
    /// The YAML text is longer than the front matter may be (bytes): checked before parsing.
    TooLarge {
        size: usize,
        limit: usize,
    },
    /// An unresolved git merge conflict: a `<<<<<<<`, `=======` or `>>>>>>>` line.
    MergeConflict,
    DuplicateKey(String),
    UnknownAlias,
    MultipleDocuments,
}

/// Limits on one YAML text.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub(crate) max_depth: usize,
    pub(crate) max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 64,
            max_nodes: 200_000,
        }
    }
}

fn pos(m: &saphyr_parser::Marker) -> Pos {
    Pos {
        index: m.index(),
        line: m.line(),
        col: m.col(),
    }
}

enum Frame {
    Seq {
        items: Vec<Value>,
        anchor: usize,
        start: Pos,
        pointer: String,
        mark: Option<Mark>,
    },
    Map {
        map: Map<String, Value>,
        key: Option<(String, Pos, Pos)>,
        anchor: usize,
        start: Pos,
        pointer: String,
        mark: Option<Mark>,
    },
}

/// Where a node stands on the way to the wanted pointers of [`parse_marked`]: the root, or the
/// end of one of the steps of [`Wanted`]. Nodes off every way have none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mark {
    Root,
    Step(usize),
}

/// One segment on the way to a wanted pointer: the node it starts from, the segment
/// (unescaped), and the index in `want` of the pointer it completes, if it does.
struct Step<'w> {
    from: Mark,
    seg: Cow<'w, str>,
    wanted: Option<usize>,
}

/// The pointers whose positions are kept ([`parse_marked`], and the front matter typed straight
/// from the events, `parse::yaml_direct`), as a tree of steps, each from a node to a child:
/// whether a key leads on is one comparison of an index and of a short string, with no pointer
/// built (this test runs for every key of every front matter).
pub(crate) struct Wanted<'w> {
    want: &'w [&'w str],
    steps: Vec<Step<'w>>,
}

impl<'w> Wanted<'w> {
    pub(crate) fn new(want: &'w [&'w str]) -> Self {
        let mut steps: Vec<Step> = Vec::new();
        for (wi, w) in want.iter().enumerate() {
            // "/a/b" -> (root, "a"), (step of "a", "b")
            let mut from = Mark::Root;
            let mut at = 0;
            while at < w.len() {
                let end = w[at + 1..].find('/').map_or(w.len(), |i| at + 1 + i);
                // built for every document: no allocation unless the segment is escaped
                let raw = &w[at + 1..end];
                let seg = if raw.contains('~') {
                    Cow::Owned(raw.replace("~1", "/").replace("~0", "~"))
                } else {
                    Cow::Borrowed(raw)
                };
                let i = match steps.iter().position(|s| s.from == from && s.seg == seg) {
                    Some(i) => i,
                    None => {
                        steps.push(Step {
                            from,
                            seg,
                            wanted: None,
                        });
                        steps.len() - 1
                    }
                };
                if end == w.len() && steps[i].wanted.is_none() {
                    steps[i].wanted = Some(wi);
                }
                from = Mark::Step(i);
                at = end;
            }
        }
        Wanted { want, steps }
    }

    /// Where the root stands (`None`: nothing is wanted).
    pub(crate) fn root(&self) -> Option<Mark> {
        (!self.want.is_empty()).then_some(Mark::Root)
    }

    /// Where the child at `key` of the mapping at `from` stands.
    pub(crate) fn of_key(&self, from: Option<Mark>, key: &str) -> Option<Mark> {
        let from = from?;
        self.steps
            .iter()
            .position(|s| s.from == from && s.seg == key)
            .map(Mark::Step)
    }

    /// Where the item `index` of the sequence at `from` stands.
    pub(crate) fn of_item(&self, from: Option<Mark>, index: usize) -> Option<Mark> {
        let from = from?;
        // an index is written out only under a node a wanted pointer goes through
        if !self.steps.iter().any(|s| s.from == from) {
            return None;
        }
        self.of_key(Some(from), &index.to_string())
    }

    /// The index in `want` of the pointer a node at `mark` completes.
    pub(crate) fn wanted(&self, mark: Option<Mark>) -> Option<usize> {
        match mark {
            Some(Mark::Step(i)) => self.steps[i].wanted,
            // the empty pointer wants the root
            Some(Mark::Root) => self.want.iter().position(|w| w.is_empty()),
            None => None,
        }
    }
}

struct Builder<'w> {
    record: bool,
    /// Pointers whose positions to keep even without `record` ([`parse_marked`]).
    wanted: Wanted<'w>,
    /// Index in `want` and position of each wanted node found.
    marks: Vec<(usize, NodeSpan)>,
    limits: Limits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Value, usize)>,
    nodes: usize,
    spans: SpanMap,
    root: Option<Value>,
    documents: usize,
}

/// Escapes one JSON-pointer segment (RFC 6901).
pub(crate) fn escape_segment(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

fn count_nodes(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(count_nodes).sum::<usize>(),
        Value::Object(o) => 1 + o.values().map(count_nodes).sum::<usize>(),
        _ => 1,
    }
}

/// What a plain scalar is by the YAML 1.2 core schema.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Plain {
    Null,
    Bool(bool),
    Int(i64),
    /// Finite (a float JSON cannot hold stays text).
    Float(f64),
    Str,
}

/// Resolves a plain scalar by the YAML 1.2 core schema. Strings are copied to an exact-size
/// allocation on purpose: the parser's buffers carry spare capacity, and the model keeps these
/// strings for the whole run (moving them cost 50% more memory on 100,000 documents).
fn resolve_plain(s: &str) -> Value {
    match classify_plain(s) {
        Plain::Null => Value::Null,
        Plain::Bool(b) => Value::Bool(b),
        Plain::Int(i) => Value::Number(i.into()),
        Plain::Float(f) => {
            Number::from_f64(f).map_or_else(|| Value::String(s.to_string()), Value::Number)
        }
        Plain::Str => Value::String(s.to_string()),
    }
}

/// Classifies a plain scalar by the YAML 1.2 core schema (the one rule [`resolve_plain`] and
/// the direct typing of `parse::yaml_direct` share).
pub(crate) fn classify_plain(s: &str) -> Plain {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Plain::Null,
        "true" | "True" | "TRUE" => return Plain::Bool(true),
        "false" | "False" | "FALSE" => return Plain::Bool(false),
        _ => {}
    }
    let b = s.as_bytes();
    let digits = |t: &[u8]| !t.is_empty() && t.iter().all(u8::is_ascii_digit);
    let (sign, rest) = match b.first() {
        Some(b'-') | Some(b'+') => (true, &b[1..]),
        _ => (false, b),
    };
    if digits(rest) {
        if let Ok(i) = s.parse::<i64>() {
            return Plain::Int(i);
        }
    }
    if !sign {
        if let Some(h) = s.strip_prefix("0x") {
            if let Ok(i) = i64::from_str_radix(h, 16) {
                return Plain::Int(i);
            }
        }
        if let Some(o) = s.strip_prefix("0o") {
            if let Ok(i) = i64::from_str_radix(o, 8) {
                return Plain::Int(i);
            }
        }
    }
    // Only digits, signs and dots can start a number: most scalars are text.
    if !s.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+' || c == '.') {
        return Plain::Str;
    }
    // floats: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
    let looks_float = {
        let mut it = rest.split(|c| *c == b'e' || *c == b'E');
        let mant = it.next().unwrap_or(&[]);
        let exp = it.next();
        let extra = it.next().is_some();
        let mant_ok = match mant.iter().position(|c| *c == b'.') {
            Some(p) => {
                let (a, f) = (&mant[..p], &mant[p + 1..]);
                (a.is_empty() || digits(a))
                    && f.iter().all(u8::is_ascii_digit)
                    && !(a.is_empty() && f.is_empty())
            }
            None => digits(mant),
        };
        let exp_ok = match exp {
            None => true,
            Some(e) => {
                let e = match e.first() {
                    Some(b'-') | Some(b'+') => &e[1..],
                    _ => e,
                };
                digits(e)
            }
        };
        mant_ok && exp_ok && !extra
    };
    if looks_float {
        if let Some(f) = s.parse::<f64>().ok().filter(|f| f.is_finite()) {
            return Plain::Float(f);
        }
    }
    Plain::Str
}

impl Builder<'_> {
    /// Where the next node stands on the way to a wanted pointer (a frame keeps it as its
    /// `mark`); `None` off every way.
    fn child_mark(&self) -> Option<Mark> {
        match self.stack.last() {
            None => self.wanted.root(),
            Some(Frame::Seq { items, mark, .. }) => self.wanted.of_item(*mark, items.len()),
            Some(Frame::Map { key, mark, .. }) => self.wanted.of_key(*mark, &key.as_ref()?.0),
        }
    }

    /// Keeps the position of a wanted node.
    fn mark(&mut self, mark: Option<Mark>, span: NodeSpan) {
        if let Some(i) = self.wanted.wanted(mark) {
            self.marks.push((i, span));
        }
    }

    fn child_pointer(&self) -> String {
        if !self.record {
            return String::new();
        }
        match self.stack.last() {
            None => String::new(),
            Some(Frame::Seq { items, pointer, .. }) => format!("{pointer}/{}", items.len()),
            Some(Frame::Map { key, pointer, .. }) => match key {
                Some((k, _, _)) => format!("{pointer}/{}", escape_segment(k)),
                None => pointer.clone(),
            },
        }
    }

    fn bump(&mut self, n: usize, at: Pos) -> Result<(), YamlError> {
        self.nodes += n;
        if self.nodes > self.limits.max_nodes {
            return Err(YamlError {
                kind: YamlErrorKind::TooManyNodes(self.limits.max_nodes),
                pos: at,
            });
        }
        Ok(())
    }

    /// Places a finished node into its parent (or as the root).
    fn place(
        &mut self,
        value: Value,
        start: Pos,
        end: Pos,
        (pointer, mark): (String, Option<Mark>),
    ) -> Result<(), YamlError> {
        if mark.is_some() {
            let key = match self.stack.last() {
                Some(Frame::Map {
                    key: Some((_, ks, ke)),
                    ..
                }) => Some((*ks, *ke)),
                _ => None,
            };
            self.mark(
                mark,
                NodeSpan {
                    key,
                    value: (start, end),
                },
            );
        }
        match self.stack.last_mut() {
            None => {
                if self.record {
                    self.spans.insert(
                        pointer,
                        NodeSpan {
                            key: None,
                            value: (start, end),
                        },
                    );
                }
                self.root = Some(value);
            }
            Some(Frame::Seq { items, .. }) => {
                if self.record {
                    self.spans.insert(
                        pointer,
                        NodeSpan {
                            key: None,
                            value: (start, end),
                        },
                    );
                }
                items.push(value);
            }
            Some(Frame::Map { map, key, .. }) => match key.take() {
                None => {
                    // This node is a key.
                    // Duplicates are caught when the value is inserted: one map search per key.
                    let k = match value {
                        Value::String(s) => s,
                        Value::Null => String::new(),
                        other => other.to_string(),
                    };
                    *key = Some((k, start, end));
                }
                Some((k, ks, ke)) => {
                    if self.record {
                        self.spans.insert(
                            pointer,
                            NodeSpan {
                                key: Some((ks, ke)),
                                value: (start, end),
                            },
                        );
                    }
                    match map.entry(k) {
                        serde_json::map::Entry::Vacant(v) => {
                            v.insert(value);
                        }
                        serde_json::map::Entry::Occupied(o) => {
                            return Err(YamlError {
                                kind: YamlErrorKind::DuplicateKey(o.key().clone()),
                                pos: ks,
                            });
                        }
                    }
                }
            },
        }
        Ok(())
    }

    fn on_event(&mut self, ev: Event<'_>, span: YSpan) -> Result<(), YamlError> {
        let start = pos(&span.start);
        let end = pos(&span.end);
        match ev {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(YamlError {
                        kind: YamlErrorKind::MultipleDocuments,
                        pos: start,
                    });
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                self.bump(1, start)?;
                let is_str_tag = tag.as_ref().is_some_and(|t| t.suffix == "str");
                let value = if style == ScalarStyle::Plain && !is_str_tag {
                    resolve_plain(&text)
                } else {
                    Value::String(String::from(text.as_ref()))
                };
                if anchor > 0 {
                    self.anchors.insert(anchor, (value.clone(), 1));
                }
                let p = (self.child_pointer(), self.child_mark());
                self.place(value, start, end, p)?;
            }
            Event::Alias(id) => {
                let Some((value, n)) = self.anchors.get(&id).cloned() else {
                    return Err(YamlError {
                        kind: YamlErrorKind::UnknownAlias,
                        pos: start,
                    });
                };
                self.bump(n, start)?;
                let p = (self.child_pointer(), self.child_mark());
                self.place(value, start, end, p)?;
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                self.bump(1, start)?;
                if self.stack.len() >= self.limits.max_depth {
                    return Err(YamlError {
                        kind: YamlErrorKind::TooDeep(self.limits.max_depth),
                        pos: start,
                    });
                }
                let pointer = self.child_pointer();
                let mark = self.child_mark();
                let frame = if matches!(ev, Event::SequenceStart(..)) {
                    Frame::Seq {
                        items: Vec::new(),
                        anchor,
                        start,
                        pointer,
                        mark,
                    }
                } else {
                    Frame::Map {
                        map: Map::new(),
                        key: None,
                        anchor,
                        start,
                        pointer,
                        mark,
                    }
                };
                self.stack.push(frame);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Ok(());
                };
                let (value, anchor, fstart, pointer) = match frame {
                    Frame::Seq {
                        items,
                        anchor,
                        start,
                        pointer,
                        mark,
                    } => (Value::Array(items), anchor, start, (pointer, mark)),
                    Frame::Map {
                        map,
                        anchor,
                        start,
                        pointer,
                        mark,
                        ..
                    } => (Value::Object(map), anchor, start, (pointer, mark)),
                };
                if anchor > 0 {
                    let n = count_nodes(&value);
                    self.anchors.insert(anchor, (value.clone(), n));
                }
                self.place(value, fstart, end, pointer)?;
            }
            _ => {}
        }
        Ok(())
    }
}

/// Parses one YAML document into a JSON value. With `record`, also returns where every node is.
/// An empty text gives `Value::Null`.
pub fn parse(text: &str, record: bool, limits: Limits) -> Result<(Value, SpanMap), YamlError> {
    build(text, record, limits, &[]).map(|b| (b.root.unwrap_or(Value::Null), b.spans))
}

/// Parses one YAML document into a JSON value and keeps the positions of the nodes at the
/// pointers of `want` only (each with its index in `want`): the few places findings about a
/// whole corpus point at, known without reading the file again.
pub(crate) fn parse_marked(
    text: &str,
    limits: Limits,
    want: &[&str],
) -> Result<(Value, Vec<(usize, NodeSpan)>), YamlError> {
    build(text, false, limits, want).map(|b| (b.root.unwrap_or(Value::Null), b.marks))
}

fn build<'w>(
    text: &str,
    record: bool,
    limits: Limits,
    want: &'w [&'w str],
) -> Result<Builder<'w>, YamlError> {
    let mut b = Builder {
        record,
        wanted: Wanted::new(want),
        marks: Vec::new(),
        limits,
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        spans: SpanMap::new(),
        root: None,
        documents: 0,
    };
    for item in Parser::new_from_str(text) {
        match item {
            Ok((ev, span)) => b.on_event(ev, span)?,
            Err(e) => {
                return Err(YamlError {
                    kind: YamlErrorKind::Syntax(e.info().to_string()),
                    pos: pos(e.marker()),
                })
            }
        }
    }
    Ok(b)
}

/// Where the node at `pointer` is, read from the events only up to that node: a diagnostic
/// about one field need not build the whole tree and the position of every node (one overdue
/// drill per plan of a 100,000-document repository made that the largest cost of a warm
/// check). `None` when no node has exactly that pointer (or the text does not parse): then
/// [`parse`] with `record` finds the nearest ancestor.
pub(crate) fn locate(text: &str, pointer: &str, limits: Limits) -> Option<NodeSpan> {
    enum Open {
        Seq {
            next: usize,
            pointer: String,
        },
        Map {
            key: Option<(String, Pos, Pos)>,
            pointer: String,
        },
    }
    /// The pointer and key span of the next value node under `top` (a key gives `None`).
    fn peek(top: Option<&Open>) -> Option<(String, Option<(Pos, Pos)>)> {
        match top {
            None => Some((String::new(), None)),
            Some(Open::Seq { next, pointer }) => Some((format!("{pointer}/{next}"), None)),
            Some(Open::Map { key: None, .. }) => None,
            Some(Open::Map {
                key: Some((k, a, b)),
                pointer,
            }) => Some((format!("{pointer}/{}", escape_segment(k)), Some((*a, *b)))),
        }
    }
    /// A finished node takes its place under `top`: the map's key or value, the next item.
    fn place(top: Option<&mut Open>, key_text: impl FnOnce() -> String, at: (Pos, Pos)) {
        match top {
            Some(Open::Seq { next, .. }) => *next += 1,
            Some(Open::Map { key, .. }) => {
                *key = match key.take() {
                    None => Some((key_text(), at.0, at.1)),
                    Some(_) => None,
                }
            }
            None => {}
        }
    }
    // a key that is not a plain string (a mapping, an alias) never matches a pointer
    const OPAQUE: &str = "\u{0}";
    let mut stack: Vec<Open> = Vec::new();
    // the container being searched for: its depth and span (its end comes with its last event)
    let mut found: Option<(usize, NodeSpan)> = None;
    for item in Parser::new_from_str(text) {
        let (ev, span) = item.ok()?;
        let (start, end) = (pos(&span.start), pos(&span.end));
        match ev {
            Event::Scalar(t, style, _, tag) => {
                if let Some((p, key)) = peek(stack.last()) {
                    if p == pointer {
                        return Some(NodeSpan {
                            key,
                            value: (start, end),
                        });
                    }
                }
                let plain = style == ScalarStyle::Plain && tag.is_none_or(|t| t.suffix != "str");
                place(
                    stack.last_mut(),
                    || match if plain {
                        resolve_plain(&t)
                    } else {
                        Value::String(t.to_string())
                    } {
                        Value::String(s) => s,
                        Value::Null => String::new(),
                        other => other.to_string(),
                    },
                    (start, end),
                );
            }
            Event::Alias(_) => {
                if let Some((p, key)) = peek(stack.last()) {
                    if p == pointer {
                        return Some(NodeSpan {
                            key,
                            value: (start, end),
                        });
                    }
                }
                place(stack.last_mut(), || OPAQUE.to_string(), (start, end));
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= limits.max_depth {
                    return None;
                }
                let (p, key) = peek(stack.last()).unwrap_or_else(|| (OPAQUE.to_string(), None));
                if found.is_none() && p == pointer {
                    found = Some((
                        stack.len() + 1,
                        NodeSpan {
                            key,
                            value: (start, start),
                        },
                    ));
                }
                stack.push(if matches!(ev, Event::SequenceStart(..)) {
                    Open::Seq {
                        next: 0,
                        pointer: p,
                    }
                } else {
                    Open::Map {
                        key: None,
                        pointer: p,
                    }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((depth, mut node)) = found {
                    if depth == stack.len() {
                        node.value.1 = end;
                        return Some(node);
                    }
                }
                stack.pop();
                place(stack.last_mut(), || OPAQUE.to_string(), (start, end));
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Value {
        parse(s, false, Limits::default()).expect("parses").0
    }

    #[test]
    fn core_schema_scalars() {
        let v = p(
            "a: 1\nb: 2025.1\nc: \"2025.1\"\nd: 2025-03-10\ne: ~\nf: true\ng: 0x1F\nh: 反应釜\n",
        );
        assert_eq!(v["a"], Value::from(1));
        assert!(v["b"].is_f64());
        assert_eq!(v["c"], Value::from("2025.1"));
        assert_eq!(v["d"], Value::from("2025-03-10"));
        assert!(v["e"].is_null());
        assert_eq!(v["f"], Value::from(true));
        assert_eq!(v["g"], Value::from(31));
        assert_eq!(v["h"], Value::from("反应釜"));
    }

    #[test]
    fn records_positions_by_pointer() {
        let (_, spans) = parse(
            "id: x\nlist:\n  - a: 1\n    b: 反应\n",
            true,
            Limits::default(),
        )
        .expect("parses");
        let b = spans.get("/list/0/b").expect("span");
        assert_eq!(b.value.0.line, 4);
        assert_eq!(b.value.0.col, 7);
        assert_eq!(b.key.expect("key").0.col, 4);
    }

    #[test]
    fn locate_finds_what_the_full_map_records() {
        let text = "id: x\nkind: plan\ndates: { issued: 2025-03-10, effective: 2025-04-01 }\n\
            list:\n  - a: 1\n    b: 反应\n  - [p, q]\n  - ~\n\"a/b~c\": 2\n7: seven\n\
            anchor: &x {k: 1}\nalias: *x\nlast: |\n  text\n";
        let (_, spans) = parse(text, true, Limits::default()).expect("parses");
        assert!(spans.len() > 15, "{}", spans.len());
        for (p, want) in &spans {
            assert_eq!(locate(text, p, Limits::default()), Some(*want), "{p}");
        }
        assert_eq!(locate(text, "/dates/missing", Limits::default()), None);
        assert_eq!(
            locate("a: [1, 2\n", "/a/0", Limits::default()),
            Some(NodeSpan {
                key: None,
                value: spans_of("a: [1, 2]\n", "/a/0"),
            })
        );
    }

    fn spans_of(text: &str, p: &str) -> (Pos, Pos) {
        parse(text, true, Limits::default()).expect("parses").1[p].value
    }

    #[test]
    fn alias_bomb_is_stopped() {
        let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            s.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let e = parse(&s, false, Limits::default()).expect_err("bomb");
        assert!(matches!(e.kind, YamlErrorKind::TooManyNodes(_)));
    }

    #[test]
    fn deep_nesting_is_stopped() {
        let s = "[".repeat(100) + &"]".repeat(100);
        let e = parse(&s, false, Limits::default()).expect_err("deep");
        assert!(matches!(e.kind, YamlErrorKind::TooDeep(64)), "{e:?}");
        // Deeper still, the parser's own recursion limit answers first: bounded either way.
        let s = "[".repeat(100_000) + &"]".repeat(100_000);
        assert!(parse(&s, false, Limits::default()).is_err());
    }

    #[test]
    fn duplicate_keys_and_syntax_errors_have_positions() {
        let e = parse("a: 1\na: 2\n", false, Limits::default()).expect_err("dup");
        assert_eq!(e.kind, YamlErrorKind::DuplicateKey("a".into()));
        assert_eq!(e.pos.line, 2);
        let e = parse("a: [1, 2\nb: 3\n", false, Limits::default()).expect_err("syntax");
        assert!(matches!(e.kind, YamlErrorKind::Syntax(_)));
    }

    #[test]
    fn marked_pointers_are_where_the_full_map_puts_them() {
        let text = "id: x\nkind: overall\ndates:\n  issued: 2024-06\n  effective: 2024-07-01\n\
                    a/b:\n  c: 1\nlist:\n  - x: 1\n  - x: 2\nid2: {dates: {issued: 1}}\n";
        let want = [
            "/dates/issued",
            "/id",
            "/a~1b/c",
            "/list/1/x",
            "/list/1",
            "/missing/x",
            "/dates/issued",
            "",
        ];
        let (value, marks) = parse_marked(text, Limits::default(), &want).expect("parses");
        let (full, spans) = parse(text, true, Limits::default()).expect("parses");
        assert_eq!(value, full);
        let found: Vec<usize> = marks.iter().map(|(i, _)| *i).collect();
        // each present pointer once, by its first index in `want`
        let mut sorted = found.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, [0, 1, 2, 3, 4, 7], "{found:?}");
        for (i, span) in &marks {
            assert_eq!(Some(span), spans.get(want[*i]), "{}", want[*i]);
        }
        // a key of the same name elsewhere is not on the way
        let nested = spans.get("/id2/dates/issued").expect("recorded");
        assert!(!marks.iter().any(|(_, s)| s == nested));
    }
}
