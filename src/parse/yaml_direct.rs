//! Typing a front matter straight from the YAML events, with no value tree in between.
//!
//! The check of a large repository spent a sixth of its parse building a `serde_json` tree of
//! every front matter, only to move it into the typed model and drop it. A plan whose front
//! matter is plain YAML (no anchors, aliases or tags, no duplicate or non-text keys) is typed
//! here from the parser's events, as serde reads the tree: the same scalars (the one
//! [`classify_plain`] rule), the same numbers, the same strings. Anything this reader does not
//! take exactly as the tree would, or anything serde does not take, **gives up** (`None`), and
//! the caller reads the text again through the tree, its schema and its diagnostics
//! (`model::build`): the fast way only ever takes documents the tree would take the same way.
//!
//! It also gives up on a key the type does not know (serde would ignore it; the schema reports
//! it), keeps the positions of the wanted pointers exactly as [`super::yaml::parse_marked`]
//! does, and stops at the same limits.

use super::yaml::{classify_plain, Limits, Mark, NodeSpan, Plain, Pos, Wanted};
use saphyr_parser::{Event, Parser, ScalarStyle, Span as YSpan, StrInput};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use std::borrow::Cow;
use std::collections::VecDeque;

/// Why the direct reading gave up (never shown: the tree path reads the text again).
#[derive(Debug)]
pub(crate) struct GaveUp;

impl std::fmt::Display for GaveUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not read directly")
    }
}

impl std::error::Error for GaveUp {}

impl de::Error for GaveUp {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        GaveUp
    }
}

type Res<T> = Result<T, GaveUp>;

/// Types `text` (one YAML document, a mapping) as `T`, and keeps the positions of the nodes at
/// the pointers of `want` (each with its index in `want`), as [`super::yaml::parse_marked`]
/// would. `None` whenever the tree path could read it differently or report anything.
pub(crate) fn typed<T: de::DeserializeOwned>(
    text: &str,
    limits: Limits,
    want: &[&str],
) -> Option<(T, Vec<(usize, NodeSpan)>)> {
    let mut r = Reader {
        parser: Parser::new_from_str(text),
        ahead: VecDeque::new(),
        wanted: Wanted::new(want),
        marks: Vec::new(),
        stack: Vec::new(),
        keys: Vec::new(),
        limits,
        nodes: 0,
    };
    // the stream and the one document around the root mapping
    match r.next().ok()?.0 {
        Event::StreamStart => {}
        _ => return None,
    }
    match r.next().ok()?.0 {
        Event::DocumentStart(_) => {}
        _ => return None,
    }
    if !matches!(r.peek().ok()?.0, Event::MappingStart(..)) {
        return None;
    }
    let value = T::deserialize(&mut r).ok()?;
    if !matches!(r.next().ok()?.0, Event::DocumentEnd) {
        return None;
    }
    if !matches!(r.next().ok()?.0, Event::StreamEnd) {
        return None;
    }
    Some((value, r.marks))
}

fn pos(m: &saphyr_parser::Marker) -> Pos {
    Pos {
        index: m.index(),
        line: m.line(),
        col: m.col(),
    }
}

/// An open mapping or sequence: where its children stand on the way to the wanted pointers.
struct Open<'a> {
    mark: Option<Mark>,
    /// Sequence: items read so far. Mapping: unused.
    items: usize,
    /// Mapping: the key read, waiting for its value (text and span).
    key: Option<(Cow<'a, str>, Pos, Pos)>,
    /// Mapping: where its keys start in [`Reader::keys`].
    keys_from: usize,
    map: bool,
}

struct Reader<'a, 'w> {
    parser: Parser<'a, StrInput<'a>>,
    /// Events read ahead: the next one, or a whole sequence (see [`Reader::items_ahead`]).
    ahead: VecDeque<(Event<'a>, YSpan)>,
    wanted: Wanted<'w>,
    marks: Vec<(usize, NodeSpan)>,
    stack: Vec<Open<'a>>,
    /// The keys of the open mappings, outermost first, for duplicates (a front matter's
    /// mappings are small: one list for all, no allocation per mapping).
    keys: Vec<Cow<'a, str>>,
    limits: Limits,
    nodes: usize,
}

impl<'a> Reader<'a, '_> {
    fn read(&mut self) -> Res<(Event<'a>, YSpan)> {
        match self.parser.next() {
            Some(Ok(e)) => Ok(e),
            _ => Err(GaveUp),
        }
    }

    fn next(&mut self) -> Res<(Event<'a>, YSpan)> {
        match self.ahead.pop_front() {
            Some(e) => Ok(e),
            None => self.read(),
        }
    }

    fn peek(&mut self) -> Res<&(Event<'a>, YSpan)> {
        if self.ahead.is_empty() {
            let e = self.read()?;
            self.ahead.push_back(e);
        }
        self.ahead.front().ok_or(GaveUp)
    }

    /// The number of items of the sequence just opened, read ahead to its end: serde then
    /// makes each list at its final size, as it does from the tree (growing by doubling would
    /// leave spare room in every list the model keeps).
    fn items_ahead(&mut self) -> Res<usize> {
        let (mut depth, mut items, mut i) = (0usize, 0, 0);
        loop {
            if i == self.ahead.len() {
                let e = self.read()?;
                self.ahead.push_back(e);
            }
            match self.ahead[i].0 {
                Event::SequenceStart(..) | Event::MappingStart(..) => {
                    items += usize::from(depth == 0);
                    depth += 1;
                }
                Event::SequenceEnd | Event::MappingEnd => match depth.checked_sub(1) {
                    Some(d) => depth = d,
                    None => return Ok(items),
                },
                Event::Scalar(..) | Event::Alias(_) => items += usize::from(depth == 0),
                _ => return Err(GaveUp),
            }
            i += 1;
        }
    }

    /// One more node (the tree path's count and its limit).
    fn bump(&mut self) -> Res<()> {
        self.nodes += 1;
        if self.nodes > self.limits.max_nodes {
            return Err(GaveUp);
        }
        Ok(())
    }

    /// Where the next node stands (as `Builder::child_mark` of the tree path).
    fn child_mark(&self) -> Option<Mark> {
        match self.stack.last() {
            None => self.wanted.root(),
            Some(o) if o.map => self.wanted.of_key(o.mark, &o.key.as_ref()?.0),
            Some(o) => self.wanted.of_item(o.mark, o.items),
        }
    }

    /// A node is read: its position is kept when wanted, and its parent moves on.
    fn done(&mut self, mark: Option<Mark>, start: Pos, end: Pos) {
        let parent = self.stack.last_mut();
        let key = match parent {
            Some(o) if o.map => o.key.take().map(|(k, ks, ke)| {
                self.keys.push(k);
                (ks, ke)
            }),
            Some(o) => {
                o.items += 1;
                None
            }
            None => None,
        };
        if let Some(i) = self.wanted.wanted(mark) {
            self.marks.push((
                i,
                NodeSpan {
                    key,
                    value: (start, end),
                },
            ));
        }
    }

    /// Takes the next node's first event: a scalar, or the start of a collection (pushed as
    /// open). Anchors, aliases and tags give up: the tree path reads them.
    fn begin(&mut self) -> Res<(Event<'a>, Pos, Pos, Option<Mark>)> {
        let mark = self.child_mark();
        let (ev, span) = self.next()?;
        let (start, end) = (pos(&span.start), pos(&span.end));
        match &ev {
            Event::Scalar(_, _, 0, None) => self.bump()?,
            Event::SequenceStart(0, None) | Event::MappingStart(0, None) => {
                self.bump()?;
                if self.stack.len() >= self.limits.max_depth {
                    return Err(GaveUp);
                }
                self.stack.push(Open {
                    mark,
                    items: 0,
                    key: None,
                    keys_from: self.keys.len(),
                    map: matches!(ev, Event::MappingStart(..)),
                });
            }
            _ => return Err(GaveUp),
        }
        Ok((ev, start, end, mark))
    }

    /// Closes the collection opened by [`Reader::begin`] at `start` (its end event was read by
    /// its access, with the span `end`).
    fn close(&mut self, mark: Option<Mark>, start: Pos, end: Pos) {
        if let Some(o) = self.stack.pop() {
            self.keys.truncate(o.keys_from);
        }
        self.done(mark, start, end);
    }

    /// Whether the next node is a null scalar (an option's `None`).
    fn next_is_null(&mut self) -> Res<bool> {
        Ok(match &self.peek()?.0 {
            Event::Scalar(t, ScalarStyle::Plain, 0, None) => classify_plain(t) == Plain::Null,
            _ => false,
        })
    }
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de, '_> {
    type Error = GaveUp;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Res<V::Value> {
        let (ev, start, end, mark) = self.begin()?;
        match ev {
            Event::Scalar(t, style, ..) => {
                let out = if style == ScalarStyle::Plain {
                    match classify_plain(&t) {
                        Plain::Null => v.visit_unit(),
                        Plain::Bool(b) => v.visit_bool(b),
                        Plain::Int(i) => match u64::try_from(i) {
                            Ok(u) => v.visit_u64(u),
                            Err(_) => v.visit_i64(i),
                        },
                        Plain::Float(f) => v.visit_f64(f),
                        Plain::Str => v.visit_str(&t),
                    }
                } else {
                    v.visit_str(&t)
                }?;
                self.done(mark, start, end);
                Ok(out)
            }
            Event::SequenceStart(..) => {
                let len = self.items_ahead()?;
                let mut access = Items {
                    r: self,
                    end: None,
                    len,
                };
                let out = v.visit_seq(&mut access)?;
                let end = access.end.ok_or(GaveUp)?;
                self.close(mark, start, end);
                Ok(out)
            }
            Event::MappingStart(..) => {
                let mut access = Entries { r: self, end: None };
                let out = v.visit_map(&mut access)?;
                let end = access.end.ok_or(GaveUp)?;
                self.close(mark, start, end);
                Ok(out)
            }
            _ => Err(GaveUp),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Res<V::Value> {
        if self.next_is_null()? {
            let (_, start, end, mark) = self.begin()?;
            self.done(mark, start, end);
            v.visit_none()
        } else {
            v.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, v: V) -> Res<V::Value> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Res<V::Value> {
        // a unit variant written as text, as the tree's `Value::String` gives it
        let text = match &self.peek()?.0 {
            Event::Scalar(t, ScalarStyle::Plain, 0, None) => classify_plain(t) == Plain::Str,
            Event::Scalar(_, _, 0, None) => true,
            _ => false,
        };
        if !text {
            return Err(GaveUp);
        }
        let (ev, start, end, mark) = self.begin()?;
        let Event::Scalar(t, ..) = ev else {
            return Err(GaveUp);
        };
        let out = v.visit_enum(t.as_ref().into_deserializer())?;
        self.done(mark, start, end);
        Ok(out)
    }

    /// A struct or a map from a mapping only: serde would also make a struct of a sequence's
    /// items, which the schema (an object) refuses.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Res<V::Value> {
        self.deserialize_map(v)
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Res<V::Value> {
        if !matches!(self.peek()?.0, Event::MappingStart(..)) {
            return Err(GaveUp);
        }
        self.deserialize_any(v)
    }

    /// A key the type does not know: the schema reports it, so the tree path reads the text.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, _: V) -> Res<V::Value> {
        Err(GaveUp)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct identifier
    }
}

/// The items of a sequence.
struct Items<'r, 'a, 'w> {
    r: &'r mut Reader<'a, 'w>,
    end: Option<Pos>,
    /// Items not read yet.
    len: usize,
}

impl<'de> de::SeqAccess<'de> for &mut Items<'_, 'de, '_> {
    type Error = GaveUp;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Res<Option<T::Value>> {
        if self.end.is_some() {
            return Ok(None);
        }
        if matches!(self.r.peek()?.0, Event::SequenceEnd) {
            let (_, span) = self.r.next()?;
            self.end = Some(pos(&span.end));
            return Ok(None);
        }
        self.len = self.len.saturating_sub(1);
        seed.deserialize(&mut *self.r).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.len)
    }
}

/// The entries of a mapping.
struct Entries<'r, 'a, 'w> {
    r: &'r mut Reader<'a, 'w>,
    end: Option<Pos>,
}

impl<'de> de::MapAccess<'de> for &mut Entries<'_, 'de, '_> {
    type Error = GaveUp;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Res<Option<K::Value>> {
        if self.end.is_some() {
            return Ok(None);
        }
        let (ev, span) = self.r.next()?;
        let (text, style) = match ev {
            Event::MappingEnd => {
                self.end = Some(pos(&span.end));
                return Ok(None);
            }
            Event::Scalar(t, style, 0, None) => (t, style),
            _ => return Err(GaveUp),
        };
        self.r.bump()?;
        // only keys the tree keeps as the same text
        if style == ScalarStyle::Plain && classify_plain(&text) != Plain::Str {
            return Err(GaveUp);
        }
        let open = self.r.stack.last_mut().ok_or(GaveUp)?;
        if self.r.keys[open.keys_from..].contains(&text) {
            return Err(GaveUp);
        }
        let key = seed.deserialize(text.as_ref().into_deserializer())?;
        open.key = Some((text, pos(&span.start), pos(&span.end)));
        Ok(Some(key))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Res<V::Value> {
        seed.deserialize(&mut *self.r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    type Loose = BTreeMap<String, serde_json::Value>;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Doc {
        id: String,
        n: Option<u32>,
        list: Vec<String>,
        #[serde(default)]
        inner: Option<Inner>,
    }

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Inner {
        a: String,
    }

    #[test]
    fn plain_yaml_is_typed_as_through_the_tree() {
        let text = "id: x-1\nn: 3\nlist: [a, 'b', \"c\"]\ninner:\n  a: 2024-06\n";
        let want = ["/id", "/inner/a", "/list/1", "/missing"];
        let (doc, marks) = typed::<Doc>(text, Limits::default(), &want).expect("typed");
        let tree = super::super::yaml::parse(text, false, Limits::default()).expect("tree");
        let from_tree: Doc = serde_json::from_value(tree.0).expect("tree typed");
        assert_eq!(doc, from_tree);
        // lists at their final size, as the tree makes them
        assert_eq!(doc.list.capacity(), 3);
        let (_, tree_marks) =
            super::super::yaml::parse_marked(text, Limits::default(), &want).expect("marked");
        assert_eq!(marks, tree_marks);
        assert_eq!(marks.len(), 3);
    }

    #[test]
    fn anything_the_tree_reads_otherwise_is_left_to_it() {
        let cases = [
            "id: a\nid: b\nlist: []\n",                 // duplicate key
            "id: a\nlist: []\ninner: { a: x, a: y }\n", // duplicate key, nested
            "id: &i a\nlist: []\n",                     // anchor
            "id: a\nlist: [*i]\n",                      // alias
            "id: !!str a\nlist: []\n",                  // tag
            "id: a\nlist: []\n1: x\n",                  // a key that is not text
            "id: a\nlist: []\nextra: 1\n",              // a key the type does not know
            "id: a\nlist: x\n",                         // a type serde refuses
            "id: a\nlist: []\ninner: [x]\n",            // a struct of a sequence
            "- id: a\n",                                // not a mapping
            "id: a\nlist: []\n---\nid: b\nlist: []\n",  // two documents
            "",                                         // nothing
        ];
        for text in cases {
            assert!(
                typed::<Doc>(text, Limits::default(), &[]).is_none(),
                "{text:?}"
            );
        }
        // what a loose type takes, with scalars resolved by the core schema
        let (m, _) = typed::<Loose>(
            "a: ~\nb: yes\nc: 0x1F\nd: -2\ne: 1e3\nf: 'no'\n",
            Limits::default(),
            &[],
        )
        .expect("loose");
        let tree = super::super::yaml::parse(
            "a: ~\nb: yes\nc: 0x1F\nd: -2\ne: 1e3\nf: 'no'\n",
            false,
            Limits::default(),
        )
        .expect("tree")
        .0;
        assert_eq!(serde_json::to_value(&m).expect("json"), tree);
    }

    #[test]
    fn the_limits_are_the_trees() {
        let deep = format!(
            "id: a\nlist: []\ninner: {}{}\n",
            "[".repeat(80),
            "]".repeat(80)
        );
        assert!(typed::<Loose>(&deep, Limits::default(), &[]).is_none());
        let small = Limits {
            max_depth: 64,
            max_nodes: 4,
        };
        assert!(typed::<Doc>("id: a\nlist: [a, b, c]\n", small, &[]).is_none());
    }
}
