//! The XML reading shared by the import's parts: quick-xml events until the end or the first
//! error (kept, so that a broken part can be told), attributes by local name (the `w:` prefix
//! is whatever the writer chose), and text with its entity references resolved.

use quick_xml::events::{BytesRef, BytesStart, Event};

/// Events of one XML part.
pub(crate) struct Events<'a> {
    reader: quick_xml::Reader<&'a [u8]>,
    /// The first error, if the part is broken (events stop there).
    pub(crate) error: Option<String>,
}

impl<'a> Events<'a> {
    pub(crate) fn new(xml: &'a str) -> Events<'a> {
        Events {
            reader: quick_xml::Reader::from_str(xml),
            error: None,
        }
    }

    /// The next event; `None` at the end or at the first error.
    #[allow(clippy::should_implement_trait)]
    pub(crate) fn next(&mut self) -> Option<Event<'a>> {
        if self.error.is_some() {
            return None;
        }
        match self.reader.read_event() {
            Ok(Event::Eof) => None,
            Ok(e) => Some(e),
            Err(e) => {
                self.error = Some(format!(
                    "XML error at byte {}: {e}",
                    self.reader.error_position()
                ));
                None
            }
        }
    }
}

/// The value of the attribute whose local name is `name` (`w:val`, `val`).
pub(crate) fn attr(s: &BytesStart, name: &[u8]) -> Option<String> {
    s.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// The text of an entity reference: `&amp;` and the other four, `&#x4E00;`; others are dropped.
pub(crate) fn reference(r: &BytesRef) -> Option<char> {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return Some(c);
    }
    match r.decode().ok()?.as_ref() {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}
