//! Dates of the front matter and registries (model stage): a day (`2024-06-15`) or a month
//! only (`2024-06`), as real plans give them (an approval page that says 二〇二四年六月, a
//! filing receipt with the day left blank). [`Date`] keeps the precision written, so a value
//! round-trips: `2024-06` stays `2024-06` in JSON outputs and prints `2024年6月` in handbooks.
//!
//! Rules compute with the earliest day a value allows ([`Date::first`]: `2024-06` counts as
//! 2024-06-01, so a deadline counted from it comes as early as it can), and say so in their
//! messages ([`Date::counted_from`]); D701 compares whole ranges ([`Date::last`]), so that it fires
//! only where every reading is wrong. A bare year (`2024`) is not a date: the approval pages of
//! published plans and the templates of GB/T 29639-2020 give at least the month.
//!
//! In the parse cache a date is one number, its day number times two plus one bit of
//! precision: chrono writes a date as `YYYY-MM-DD` text, and parsing 300,000 of them back was a
//! tenth of decoding a warm cache of 100,000 documents. Human-readable formats (YAML front
//! matter, JSON output, templates) see the text.
//!
//! Fields that keep day precision (a drill's date, a corrective action's due date: yuan's own
//! records, written by `yuan drills new`, placed on a calendar) stay `NaiveDate` and use
//! `#[serde(serialize_with = "date::ser", deserialize_with = "date::de")]` (and `date::opt::…`
//! for an optional date); their JSON Schemas are unchanged.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The JSON Schema format name of [`Date`] (checked by [`Date::parse`]; see `crate::schema`).
pub(crate) const FORMAT: &str = "date-or-month";

/// The pattern of [`Date`] in the JSON Schemas, for editors that do not know [`FORMAT`].
pub(crate) const PATTERN: &str = "^[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$";

/// How much of a date was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Precision {
    /// `YYYY-MM-DD`
    Day,
    /// `YYYY-MM`: the day was not given.
    Month,
}

/// A date as written in front matter or a registry: a day, or a month only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Date {
    /// The earliest day the value allows (the first of the month for a month).
    first: NaiveDate,
    precision: Precision,
}

impl From<NaiveDate> for Date {
    fn from(d: NaiveDate) -> Date {
        Date::day(d)
    }
}

impl Date {
    /// A date with the day given.
    pub(crate) fn day(d: NaiveDate) -> Date {
        Date {
            first: d,
            precision: Precision::Day,
        }
    }

    /// A month without a day (`None` for a month outside 1–12).
    pub(crate) fn month(year: i32, month: u32) -> Option<Date> {
        NaiveDate::from_ymd_opt(year, month, 1).map(|first| Date {
            first,
            precision: Precision::Month,
        })
    }

    /// Reads `YYYY-MM-DD` or `YYYY-MM` (four-digit year, two-digit month and day), nothing else.
    pub(crate) fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = b.get(r)?;
            if !part.iter().all(u8::is_ascii_digit) {
                return None;
            }
            Some(part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
        };
        if !(b.len() == 7 || b.len() == 10) || b[4] != b'-' {
            return None;
        }
        let year = i32::try_from(digits(0..4)?).ok()?;
        let month = digits(5..7)?;
        if b.len() == 7 {
            return Date::month(year, month);
        }
        if b[7] != b'-' {
            return None;
        }
        NaiveDate::from_ymd_opt(year, month, digits(8..10)?).map(Date::day)
    }

    /// The earliest day the value allows: the day itself, or the first of the month. Rules
    /// count deadlines from here (the strictest reading).
    pub(crate) fn first(self) -> NaiveDate {
        self.first
    }

    /// The latest day the value allows: the day itself, or the last of the month.
    pub(crate) fn last(self) -> NaiveDate {
        match self.precision {
            Precision::Day => self.first,
            Precision::Month => self
                .first
                .checked_add_months(chrono::Months::new(1))
                .and_then(|d| d.pred_opt())
                .unwrap_or(self.first),
        }
    }

    /// Whether only the month was given.
    pub(crate) fn is_month(self) -> bool {
        self.precision == Precision::Month
    }

    /// The date in Chinese, as a handbook prints it: `2024年6月` or `2024年6月15日`.
    pub(crate) fn zh(self) -> String {
        let d = self.first;
        match self.precision {
            Precision::Day => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
            Precision::Month => format!("{}年{}月", d.year(), d.month()),
        }
    }

    /// As a handbook prints it: a day as written (`2024-06-15`), a month in Chinese
    /// (`2024年6月`), since `2024-06` reads as a typo on paper.
    pub(crate) fn shown(self) -> String {
        match self.precision {
            Precision::Day => self.first.to_string(),
            Precision::Month => self.zh(),
        }
    }

    /// For a month only, the words a message adds when a rule counted from its first day:
    /// `（按该月最早的一天（2024-06-01）计算）` / ` (counted from the earliest day the value
    /// allows, 2024-06-01)`; empty words for a day.
    pub(crate) fn counted_from(self) -> (String, String) {
        if self.is_month() {
            (
                format!("（按该月最早的一天（{}）计算）", self.first),
                format!(
                    " (counted from the earliest day the value allows, {})",
                    self.first
                ),
            )
        } else {
            (String::new(), String::new())
        }
    }

    /// The number the parse cache stores: day number × 2, plus 1 for a month.
    fn packed(self) -> i32 {
        self.first.num_days_from_ce() * 2 + i32::from(self.is_month())
    }

    fn unpacked<E: serde::de::Error>(n: i32) -> Result<Date, E> {
        let first = from_days::<E>(n.div_euclid(2))?;
        Ok(Date {
            first,
            precision: if n.rem_euclid(2) == 1 {
                Precision::Month
            } else {
                Precision::Day
            },
        })
    }
}

impl fmt::Display for Date {
    /// As written: `2024-06-15` or `2024-06`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.precision {
            Precision::Day => write!(f, "{}", self.first),
            Precision::Month => write!(f, "{}", self.first.format("%Y-%m")),
        }
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(self)
        } else {
            s.serialize_i32(self.packed())
        }
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date as YYYY-MM-DD or YYYY-MM")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse(v).ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(v), &self))
            }
        }
        if d.is_human_readable() {
            d.deserialize_str(Text)
        } else {
            Date::unpacked(i32::deserialize(d)?)
        }
    }
}

impl schemars::JsonSchema for Date {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": FORMAT,
            "pattern": PATTERN,
        })
    }
}

/// The form to write for a date written another way (`二〇二四年六月` → `2024-06`, `2024年6月5日`
/// → `2024-06-05`, `2024.6` → `2024-06`, `2024/6/5` → `2024-06-05`), for F003's help line; `None`
/// when it does not read as a date at all.
pub(crate) fn suggest(s: &str) -> Option<String> {
    fn digit(c: char) -> Option<u32> {
        match c {
            '0'..='9' => c.to_digit(10),
            '〇' | '○' | 'О' | '零' => Some(0),
            '一' => Some(1),
            '二' => Some(2),
            '三' => Some(3),
            '四' => Some(4),
            '五' => Some(5),
            '六' => Some(6),
            '七' => Some(7),
            '八' => Some(8),
            '九' => Some(9),
            _ => None,
        }
    }
    /// `6`, `06`, `六`, `十`, `十二`, `二十`, `三十一`.
    fn number(part: &str) -> Option<u32> {
        if part.chars().all(|c| c.is_ascii_digit()) && !part.is_empty() && part.len() <= 2 {
            return part.parse().ok();
        }
        let cs: Vec<char> = part.chars().collect();
        match cs.as_slice() {
            ['十'] => Some(10),
            [d] => digit(*d).filter(|_| !d.is_ascii_digit()),
            ['十', d] => digit(*d).map(|d| 10 + d),
            [t, '十'] => digit(*t).map(|t| t * 10),
            [t, '十', d] => Some(digit(*t)? * 10 + digit(*d)?),
            _ => None,
        }
    }
    let parts: Vec<&str> = s
        .trim()
        .split(['-', '.', '/', '年', '月', '日', '号'])
        .filter(|p| !p.is_empty())
        .collect();
    let (year, rest) = parts.split_first()?;
    let year: Vec<u32> = year.chars().map(digit).collect::<Option<_>>()?;
    if year.len() != 4 {
        return None;
    }
    let year = year.iter().fold(0, |n, d| n * 10 + d);
    let text = match rest {
        [m] => format!("{year:04}-{:02}", number(m)?),
        [m, d] => format!("{year:04}-{:02}-{:02}", number(m)?, number(d)?),
        _ => return None,
    };
    Date::parse(&text).map(|_| text).filter(|t| t != s)
}

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

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Written {
        issued: Date,
        #[serde(default)]
        filed: Option<Date>,
    }

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap_or_else(|| panic!("{s} is a date"))
    }

    #[test]
    fn reads_a_day_or_a_month_and_nothing_else() {
        assert_eq!(
            d("2024-06-15").first(),
            NaiveDate::from_ymd_opt(2024, 6, 15).expect("day")
        );
        assert!(!d("2024-06-15").is_month());
        assert!(d("2024-06").is_month());
        assert_eq!(d("2024-06").first().to_string(), "2024-06-01");
        for bad in [
            "2024",
            "2024-6",
            "2024-13",
            "2024-00",
            "2024-06-31",
            "2023-02-29",
            "24-06-01",
            "2024-06-1",
            "2024/06/01",
            "2024-06-01T00:00",
            " 2024-06",
            "二〇二四年六月",
            "",
            "+024-06",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert!(Date::parse("2024-02-29").is_some(), "a leap day");
    }

    #[test]
    fn a_month_spans_its_days() {
        assert_eq!(d("2024-02").last().to_string(), "2024-02-29");
        assert_eq!(d("2023-02").last().to_string(), "2023-02-28");
        assert_eq!(d("2024-12").last().to_string(), "2024-12-31");
        assert_eq!(d("2024-06-15").last(), d("2024-06-15").first());
    }

    #[test]
    fn round_trips_as_written() {
        for s in [
            "2024-06",
            "2024-06-15",
            "0001-01",
            "9999-12-31",
            "0000-01-01",
        ] {
            let v = d(s);
            assert_eq!(v.to_string(), s);
            let json = serde_json::to_value(v).expect("json");
            assert_eq!(json, serde_json::json!(s));
            assert_eq!(serde_json::from_value::<Date>(json).expect("back"), v);
            let bytes = postcard::to_allocvec(&v).expect("encode");
            assert!(bytes.len() <= 5, "{s}: {bytes:?}");
            assert_eq!(
                postcard::from_bytes::<Date>(&bytes).expect("decode"),
                v,
                "{s}"
            );
        }
        let w = Written {
            issued: d("2024-06"),
            filed: Some(d("2024-07-02")),
        };
        let bytes = postcard::to_allocvec(&w).expect("encode");
        assert!(bytes.len() < 10, "{bytes:?}");
        assert_eq!(postcard::from_bytes::<Written>(&bytes).expect("decode"), w);
        let json: Written =
            serde_json::from_value(serde_json::json!({"issued": "2024-06"})).expect("json");
        assert_eq!(json.issued, d("2024-06"));
        assert!(serde_json::from_value::<Written>(serde_json::json!({"issued": "2024"})).is_err());
        assert!(serde_json::from_value::<Written>(serde_json::json!({"issued": 2024})).is_err());
    }

    #[test]
    fn prints_in_chinese_and_says_how_it_counted() {
        assert_eq!(d("2024-06").zh(), "2024年6月");
        assert_eq!(d("2024-06-05").zh(), "2024年6月5日");
        assert_eq!(d("2024-06").shown(), "2024年6月");
        assert_eq!(d("2024-06-05").shown(), "2024-06-05");
        let (zh, en) = d("2024-06").counted_from();
        assert!(zh.contains("按该月最早的一天（2024-06-01）计算"), "{zh}");
        assert!(
            en.contains("earliest day the value allows, 2024-06-01"),
            "{en}"
        );
        assert_eq!(
            d("2024-06-15").counted_from(),
            (String::new(), String::new())
        );
    }

    #[test]
    fn suggests_the_form_to_write() {
        for (written, want) in [
            ("二〇二四年六月", Some("2024-06")),
            ("二〇二四年六月十五日", Some("2024-06-15")),
            ("二〇二四年十二月三十一日", Some("2024-12-31")),
            ("2024年6月", Some("2024-06")),
            ("2024年6月5日", Some("2024-06-05")),
            ("2024.6", Some("2024-06")),
            ("2024/6/5", Some("2024-06-05")),
            ("2024-6", Some("2024-06")),
            ("2024-06", None),
            ("2024年13月", None),
            ("2024年6月31日", None),
            ("六月", None),
            ("待定", None),
            ("2024", None),
        ] {
            assert_eq!(suggest(written).as_deref(), want, "{written}");
        }
    }

    #[test]
    fn orders_by_the_earliest_day() {
        assert!(d("2024-05-31") < d("2024-06"));
        assert!(d("2024-06") < d("2024-06-02"));
        assert!(
            d("2024-06-01") < d("2024-06"),
            "a day before its month, for a stable order"
        );
    }
}
