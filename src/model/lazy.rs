//! [`Lazy`]: a part of a document that a cached run decodes only when something reads it.
//!
//! A warm check of 100,000 documents spent most of its time turning cache records back into
//! strings: response levels, organisation, reporting flow, card steps and body headings are
//! three quarters of a plan's record, yet the rules that go through the whole repository
//! (hierarchy, coverage, key posts, drill cadences, the dependents of `--changed-since`) never
//! read them. In the cache such a field is written as its own length-prefixed postcard record;
//! reading a document keeps those bytes, and the field is decoded on first access, behind
//! [`Deref`], so code reads `plan.response_levels.iter()` as before. A one-file
//! `--changed-since` check decodes them only for the documents it reports on.
//!
//! Everything else sees the plain value: values parsed from YAML are set at once, and
//! human-readable formats (JSON output, the editor schemas, templates) read and write the value
//! itself, not bytes.

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::ops::Deref;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

/// A value kept as cache bytes until first read.
pub(crate) struct Lazy<T> {
    /// The postcard record of the value, while it is not decoded.
    raw: Option<Box<[u8]>>,
    value: OnceLock<T>,
    /// The record could not be decoded and the value is the default: counted by
    /// [`crate::model::Corpus::lazy_fields`] and told once by the run, never printed here.
    broken: AtomicBool,
}

impl<T> Lazy<T> {
    /// Whether the value is still only bytes.
    #[cfg(test)]
    fn is_pending(&self) -> bool {
        self.value.get().is_none()
    }

    pub(crate) fn new(value: T) -> Self {
        Lazy {
            raw: None,
            value: OnceLock::from(value),
            broken: AtomicBool::new(false),
        }
    }

    /// Whether the value was read from cache bytes (not set at once): what
    /// [`crate::model::Corpus::lazy_fields`] counts. Nothing is counted while decoding, so
    /// the rules that read these fields on all cores share no counter.
    pub(crate) fn was_decoded(&self) -> bool {
        self.raw.is_some() && self.value.get().is_some()
    }

    /// Whether its cache record could not be decoded (the value read is the default).
    pub(crate) fn was_broken(&self) -> bool {
        self.broken.load(Ordering::Relaxed)
    }

    /// The value if it is decoded (or was set at once), else the record's bytes, left
    /// undecoded: for a borrowed reading of the few parts a rule needs (see
    /// [`super::skim`]).
    pub(crate) fn peek(&self) -> Result<&T, &[u8]> {
        match (self.value.get(), &self.raw) {
            (Some(v), _) => Ok(v),
            (None, Some(raw)) => Err(raw),
            // unreachable: a `Lazy` holds a value or bytes; an empty record is the default
            (None, None) => Err(&[]),
        }
    }
}

impl<T> Lazy<Option<T>> {
    /// Whether the value is known to be absent, without decoding it: cache bytes still
    /// pending are never an absent value (that is one byte, decoded at once). The
    /// `skip_serializing_if` of optional lazy fields.
    pub(crate) fn is_absent(&self) -> bool {
        matches!(self.value.get(), Some(None))
    }
}

/// The value of a cache record; the default, marked broken, if it does not decode. The bytes
/// passed the shard's CRC and were written by this very executable (the cache key includes
/// it), so only a bug gets here: the run says so (see [`Lazy::was_broken`]) instead of hiding it.
fn decode<T: DeserializeOwned + Default>(raw: &[u8], broken: &AtomicBool) -> T {
    postcard::from_bytes(raw).unwrap_or_else(|_| {
        broken.store(true, Ordering::Relaxed);
        T::default()
    })
}

impl<T: DeserializeOwned + Default> Deref for Lazy<T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.value
            .get_or_init(|| decode(self.raw.as_deref().unwrap_or_default(), &self.broken))
    }
}

impl<T> From<T> for Lazy<T> {
    fn from(value: T) -> Self {
        Lazy::new(value)
    }
}

impl<T: Default> Default for Lazy<T> {
    fn default() -> Self {
        Lazy::new(T::default())
    }
}

impl<T: Clone> Clone for Lazy<T> {
    fn clone(&self) -> Self {
        Lazy {
            raw: self.raw.clone(),
            value: self.value.clone(),
            broken: AtomicBool::new(self.was_broken()),
        }
    }
}

impl<T: DeserializeOwned + Default + std::fmt::Debug> std::fmt::Debug for Lazy<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: DeserializeOwned + Default + PartialEq> PartialEq for Lazy<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: DeserializeOwned + Default + Eq> Eq for Lazy<T> {}

impl<T: Serialize + DeserializeOwned + Default> Serialize for Lazy<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            return (**self).serialize(s);
        }
        match (&self.raw, self.value.get()) {
            (Some(raw), None) => s.serialize_bytes(raw),
            _ => {
                let bytes = super::record::to_record(&**self).map_err(serde::ser::Error::custom)?;
                s.serialize_bytes(&bytes)
            }
        }
    }
}

impl<'de, T: DeserializeOwned + Default> Deserialize<'de> for Lazy<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            return T::deserialize(d).map(Lazy::new);
        }
        struct Bytes;
        impl serde::de::Visitor<'_> for Bytes {
            type Value = Box<[u8]>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
                Ok(v.into())
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Self::Value, E> {
                Ok(v.into_boxed_slice())
            }
        }
        let raw = d.deserialize_bytes(Bytes)?;
        // a field left out of JSON is written into records as an empty one (see
        // `super::record`): its default value
        if raw.is_empty() {
            return Ok(Lazy::new(T::default()));
        }
        // an empty list or an absent value is one byte: decoding it allocates nothing, and
        // keeping the byte would cost an allocation
        if raw.len() <= 1 {
            return postcard::from_bytes(&raw)
                .map(Lazy::new)
                .map_err(D::Error::custom);
        }
        Ok(Lazy {
            raw: Some(raw),
            value: OnceLock::new(),
            broken: AtomicBool::new(false),
        })
    }
}

#[allow(clippy::used_underscore_items)]
impl<T: schemars::JsonSchema> schemars::JsonSchema for Lazy<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
    fn _schemars_private_non_optional_json_schema(
        generator: &mut schemars::SchemaGenerator,
    ) -> schemars::Schema {
        T::_schemars_private_non_optional_json_schema(generator)
    }
    fn _schemars_private_is_option() -> bool {
        T::_schemars_private_is_option()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Doc {
        id: String,
        steps: Lazy<Vec<String>>,
        none: Lazy<Option<String>>,
    }

    fn doc() -> Doc {
        Doc {
            id: "a".into(),
            steps: vec!["关闭阀门".to_string(), "报告".to_string()].into(),
            none: None.into(),
        }
    }

    #[test]
    fn a_cache_record_keeps_the_bytes_until_read() {
        let bytes = postcard::to_allocvec(&doc()).expect("encode");
        let back: Doc = postcard::from_bytes(&bytes).expect("decode");
        assert!(back.steps.is_pending());
        // one byte (None) is decoded at once
        assert!(!back.none.is_pending());
        // written again untouched: the same bytes, without decoding
        assert_eq!(postcard::to_allocvec(&back).expect("encode"), bytes);
        assert!(back.steps.is_pending());
        assert_eq!(back.steps.len(), 2);
        assert!(!back.steps.is_pending());
        assert_eq!(back, doc());
    }

    #[test]
    fn json_sees_the_value_itself() {
        let json = serde_json::to_value(doc()).expect("json");
        assert_eq!(
            json,
            serde_json::json!({"id": "a", "steps": ["关闭阀门", "报告"], "none": null})
        );
        let back: Doc = serde_json::from_value(json).expect("from json");
        assert!(!back.steps.is_pending());
        assert_eq!(back, doc());
    }

    #[test]
    fn a_broken_record_gives_the_default_instead_of_a_panic() {
        let lazy: Lazy<Vec<String>> = Lazy {
            raw: Some(vec![5, 1, 2].into_boxed_slice()),
            value: OnceLock::new(),
            broken: AtomicBool::new(false),
        };
        assert!(!lazy.was_broken());
        assert!(lazy.is_empty());
        assert!(lazy.was_broken());
    }

    #[test]
    fn the_schema_is_the_value_schema() {
        let a = schemars::schema_for!(Lazy<Vec<String>>);
        let b = schemars::schema_for!(Vec<String>);
        assert_eq!(a, b);
    }
}
