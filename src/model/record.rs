//! The binary record of a model value (postcard), with every field written.
//!
//! Optional front-matter and registry fields are left out of JSON when absent
//! (`skip_serializing_if`: schemas, `yuan list --format json`, alignment digests). A
//! non-self-describing format like postcard cannot read back a record with a field left out,
//! so records are written through `Every`, a serializer that writes a skipped field as an
//! empty value instead: one zero byte, which postcard reads back as `None`, an empty list or
//! (in a [`super::lazy::Lazy`]) an empty record, which is the default value. The choice is made
//! by the serializer in hand, explicitly, not by a flag that changes how the types serialise.
//!
//! The parse cache stores documents with [`to_record`]; a [`super::lazy::Lazy`] field encodes
//! its value the same way.

use serde::ser::{self, Serialize, Serializer};

/// The record of `value`, with fields that JSON skips written as empty values.
pub(crate) fn to_record<T: Serialize + ?Sized>(value: &T) -> postcard::Result<Vec<u8>> {
    postcard::to_allocvec(&All(value))
}

/// A value serialised through [`Every`].
struct All<'a, T: ?Sized>(&'a T);

impl<T: Serialize + ?Sized> Serialize for All<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(Every(s))
    }
}

/// A serializer that passes everything to the one inside, except that a skipped struct field
/// is written as an empty value.
struct Every<S>(S);

/// What a skipped field is written as: one zero byte in postcard.
const EMPTY: Option<()> = None;

macro_rules! forward {
    ($($method:ident($t:ty)),* $(,)?) => {
        $(fn $method(self, v: $t) -> Result<S::Ok, S::Error> {
            self.0.$method(v)
        })*
    };
}

impl<S: Serializer> Serializer for Every<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Every<S::SerializeSeq>;
    type SerializeTuple = Every<S::SerializeTuple>;
    type SerializeTupleStruct = Every<S::SerializeTupleStruct>;
    type SerializeTupleVariant = Every<S::SerializeTupleVariant>;
    type SerializeMap = Every<S::SerializeMap>;
    type SerializeStruct = Every<S::SerializeStruct>;
    type SerializeStructVariant = Every<S::SerializeStructVariant>;

    forward!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_unit_struct(&'static str),
    );

    fn serialize_none(self) -> Result<S::Ok, S::Error> {
        self.0.serialize_none()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<S::Ok, S::Error> {
        self.0.serialize_some(&All(v))
    }
    fn serialize_unit(self) -> Result<S::Ok, S::Error> {
        self.0.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Result<S::Ok, S::Error> {
        self.0.serialize_unit_variant(name, index, variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<S::Ok, S::Error> {
        self.0.serialize_newtype_struct(name, &All(v))
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<S::Ok, S::Error> {
        self.0
            .serialize_newtype_variant(name, index, variant, &All(v))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        self.0.serialize_seq(len).map(Every)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, S::Error> {
        self.0.serialize_tuple(len).map(Every)
    }
    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        self.0.serialize_tuple_struct(name, len).map(Every)
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        self.0
            .serialize_tuple_variant(name, index, variant, len)
            .map(Every)
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        self.0.serialize_map(len).map(Every)
    }
    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        self.0.serialize_struct(name, len).map(Every)
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        self.0
            .serialize_struct_variant(name, index, variant, len)
            .map(Every)
    }
    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// The sequences and tuples: each element through [`All`].
macro_rules! elements {
    ($($trait:ident :: $method:ident),* $(,)?) => {
        $(impl<S: ser::$trait> ser::$trait for Every<S> {
            type Ok = S::Ok;
            type Error = S::Error;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), S::Error> {
                self.0.$method(&All(v))
            }
            fn end(self) -> Result<S::Ok, S::Error> {
                self.0.end()
            }
        })*
    };
}

elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field,
);

/// The structs: each field through [`All`], and a skipped field as [`EMPTY`].
macro_rules! fields {
    ($($trait:ident),*) => {
        $(impl<S: ser::$trait> ser::$trait for Every<S> {
            type Ok = S::Ok;
            type Error = S::Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                v: &T,
            ) -> Result<(), S::Error> {
                self.0.serialize_field(key, &All(v))
            }
            fn skip_field(&mut self, key: &'static str) -> Result<(), S::Error> {
                self.0.serialize_field(key, &EMPTY)
            }
            fn end(self) -> Result<S::Ok, S::Error> {
                self.0.end()
            }
        })*
    };
}

fields!(SerializeStruct, SerializeStructVariant);

impl<S: ser::SerializeMap> ser::SerializeMap for Every<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), S::Error> {
        self.0.serialize_key(&All(k))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), S::Error> {
        self.0.serialize_value(&All(v))
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::lazy::Lazy;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Inner {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    }

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Meta {
        id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        date: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        list: Vec<Inner>,
        #[serde(default, skip_serializing_if = "Lazy::is_absent")]
        lazy: Lazy<Option<Inner>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        nested: Option<Inner>,
        after: u8,
    }

    /// Every field JSON leaves out is in the record and reads back, at any depth (inside an
    /// option, a list, a lazy field); JSON still leaves them out.
    #[test]
    fn skipped_fields_are_written_into_records() {
        let empty = Meta {
            id: "a".into(),
            after: 7,
            ..Meta::default()
        };
        let full = Meta {
            date: Some("2026-01-01".into()),
            list: vec![
                Inner::default(),
                Inner {
                    note: Some("x".into()),
                },
            ],
            lazy: Some(Inner::default()).into(),
            nested: Some(Inner::default()),
            id: "a".into(),
            after: 7,
        };
        for m in [&empty, &full] {
            let bytes = to_record(m).expect("encode");
            let back: Meta = postcard::from_bytes(&bytes).expect("decode");
            assert_eq!(&back, m);
            assert_eq!(to_record(&back).expect("encode again"), bytes);
        }
        assert_eq!(
            serde_json::to_string(&empty).expect("json"),
            r#"{"id":"a","after":7}"#
        );
    }

    /// A skipped field is written as one zero byte, which reads back only as an empty value of
    /// these kinds: every field of the model that JSON skips is one of them.
    #[test]
    fn model_fields_skip_only_what_reads_back_from_one_zero_byte() {
        let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/model")];
        let allowed = ["Option::is_none", "Vec::is_empty", "Lazy::is_absent"];
        while let Some(dir) = dirs.pop() {
            for e in std::fs::read_dir(dir).expect("ls").flatten() {
                if e.path().is_dir() {
                    dirs.push(e.path()); // model/rules/ and any other folder of the model
                    continue;
                }
                let text = std::fs::read_to_string(e.path()).expect("read");
                for (n, line) in text.lines().enumerate() {
                    if let Some((_, f)) = line.split_once("skip_serializing_if = \"") {
                        assert!(
                            allowed.iter().any(|a| f.starts_with(&format!("{a}\""))),
                            "{}:{}: skip only with one of {allowed:?}",
                            e.path().display(),
                            n + 1
                        );
                    }
                }
            }
        }
    }
}
