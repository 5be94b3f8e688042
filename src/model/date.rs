//! Dates in the parse cache as day numbers. chrono writes a date as `YYYY-MM-DD` text, and
//! parsing 300,000 of them back was a tenth of decoding a warm cache of 100,000 documents.
//! Human-readable formats (YAML front matter, JSON output, templates) still see the text.
//!
//! Used as `#[serde(serialize_with = "date::ser", deserialize_with = "date::de")]` (and
//! `date::opt::…` for an optional date); the JSON Schemas are unchanged.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

fn from_days<E: serde::de::Error>(n: i32) -> Result<NaiveDate, E> {
    NaiveDate::from_num_days_from_ce_opt(n).ok_or_else(|| E::custom("date out of range"))
}

pub(crate) fn ser<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    if s.is_human_readable() {
        d.serialize(s)
    } else {
        s.serialize_i32(d.num_days_from_ce())
    }
}

pub(crate) fn de<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    if d.is_human_readable() {
        NaiveDate::deserialize(d)
    } else {
        from_days(i32::deserialize(d)?)
    }
}

/// The same for `Option<NaiveDate>`.
pub(crate) mod opt {
    use super::*;

    pub(crate) fn ser<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            d.serialize(s)
        } else {
            d.map(|d| d.num_days_from_ce()).serialize(s)
        }
    }

    pub(crate) fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        if d.is_human_readable() {
            Option::<NaiveDate>::deserialize(d)
        } else {
            Option::<i32>::deserialize(d)?
                .map(from_days::<D::Error>)
                .transpose()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Dated {
        #[serde(serialize_with = "ser", deserialize_with = "de")]
        on: NaiveDate,
        #[serde(default, serialize_with = "opt::ser", deserialize_with = "opt::de")]
        until: Option<NaiveDate>,
    }

    #[test]
    fn days_in_the_cache_text_elsewhere() {
        let v = Dated {
            on: NaiveDate::from_ymd_opt(2026, 11, 29).expect("date"),
            until: NaiveDate::from_ymd_opt(1, 1, 1),
        };
        let bytes = postcard::to_allocvec(&v).expect("encode");
        assert!(bytes.len() < 10, "{bytes:?}");
        assert_eq!(postcard::from_bytes::<Dated>(&bytes).expect("decode"), v);
        let none = Dated { until: None, ..v };
        let bytes = postcard::to_allocvec(&none).expect("encode");
        assert_eq!(postcard::from_bytes::<Dated>(&bytes).expect("decode"), none);
        let json = serde_json::to_value(&v).expect("json");
        assert_eq!(
            json,
            serde_json::json!({"on": "2026-11-29", "until": "0001-01-01"})
        );
        assert_eq!(serde_json::from_value::<Dated>(json).expect("back"), v);
        let json = serde_json::json!({"on": "2026-11-29"});
        assert_eq!(
            serde_json::from_value::<Dated>(json).expect("back").until,
            None
        );
    }
}
