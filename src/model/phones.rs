//! Phone numbers written literally in a text, found again after the registry changed (model
//! stage).
//!
//! Takes the numbers of registry contacts (as written in a registry file of any revision: its
//! YAML text) and a document's text; gives each number's digits as one key whatever its
//! punctuation (`0745-6628119`, `(0745)6628119` and `0745 6628119` are one number), and where a
//! text writes one of a set of numbers. Read by the rule that warns about a number that was a
//! contact's once and is no longer (C603) and by the change review (`yuan diff`), which lists
//! the documents still carrying such a number: both compare registries of different revisions
//! with documents of one.

use crate::git::PastFile;
use crate::parse::yaml;
use regex::Regex;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// A number shorter than this many digits (110, 119, 12350 …) is a short number: the same
/// everywhere and never retired, so never looked for.
const MIN_DIGITS: usize = 7;

/// The digits of a phone number as one key (`07456628119`), without a country code `+86`;
/// `None` for a short number or a text that is not a number (letters, placeholders).
pub(crate) fn key(number: &str) -> Option<String> {
    let n = number.trim();
    let n = n
        .strip_prefix("+86")
        .or_else(|| n.strip_prefix("0086"))
        .unwrap_or(n);
    let mut digits = String::new();
    for c in n.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '-' | ' ' | '(' | ')' | '（' | '）' | '\u{3000}' => {}
            // an extension is the same line: `0745-2231100转801` is 0745-2231100
            '转' | '#' | ',' | 'x' | 'X' => break,
            _ => return None,
        }
    }
    (digits.len() >= MIN_DIGITS).then_some(digits)
}

/// A contact's number as a registry file writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ContactNumber {
    pub(crate) contact: String,
    pub(crate) name: String,
    pub(crate) number: String,
}

/// The numbers of `contacts[].phones[].number` in a registry file's YAML `text` (a number
/// written unquoted is a YAML integer, and read back as its digits); nothing when the text
/// cannot be read as YAML.
pub(crate) fn in_registry_text(text: &str) -> Vec<ContactNumber> {
    let Ok((v, _)) = yaml::parse(text, false, yaml::Limits::default()) else {
        return Vec::new();
    };
    let scalar = |v: Option<&Value>| match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let mut out = Vec::new();
    for c in v
        .get("contacts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(contact) = scalar(c.get("id")) else {
            continue;
        };
        let name = scalar(c.get("name")).unwrap_or_default();
        for p in c
            .get("phones")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(number) = scalar(p.get("number")) {
                out.push(ContactNumber {
                    contact: contact.clone(),
                    name: name.clone(),
                    number,
                });
            }
        }
    }
    out
}

/// A number a contact had in an earlier version of the registry and nobody has now.
#[derive(Debug, Clone)]
pub(crate) struct Retired {
    pub(crate) was: ContactNumber,
    /// The newest commit of those read that still had it (full id), and its time.
    pub(crate) commit: String,
    pub(crate) time: i64,
}

impl Retired {
    /// `abc1234, 2026-10-12` for messages.
    pub(crate) fn when(&self) -> String {
        let day = chrono::DateTime::from_timestamp(self.time, 0)
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        let short: String = self.commit.chars().take(7).collect();
        format!("{short}, {day}")
    }
}

/// Runs of digits with the punctuation a phone number may have, on one line.
static NUMBER_LIKE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[0-9][0-9\-()（） ]*[0-9]").expect("regex"));

/// The keys of every number a registry text writes, read as text (so that a file that does not
/// parse hides nothing): each run of digits, whole and split at spaces.
pub(crate) fn keys_in_text(text: &str, into: &mut HashSet<String>) {
    for m in NUMBER_LIKE.find_iter(text) {
        into.extend(key(m.as_str()));
        for piece in m.as_str().split(' ') {
            into.extend(key(piece));
        }
    }
}

/// The numbers of registry contacts in `past` (newest version first) that are not among
/// `current`, each once, with the newest version that had it.
pub(crate) fn retired(past: &[PastFile], current: &HashSet<String>) -> Vec<Retired> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for f in past {
        // most versions hold only numbers of today's registry: read as YAML only the others
        let mut keys = HashSet::new();
        keys_in_text(&f.text, &mut keys);
        if keys.is_subset(current) {
            continue;
        }
        for was in in_registry_text(&f.text) {
            let Some(k) = key(&was.number) else {
                continue;
            };
            if current.contains(&k) || !seen.insert(k) {
                continue;
            }
            out.push(Retired {
                was,
                commit: f.commit.clone(),
                time: f.time,
            });
        }
    }
    out
}

/// Finds a set of numbers in texts, however each is punctuated there.
pub(crate) struct Finder {
    re: Option<Regex>,
    /// key -> index in the list the finder was built from.
    index: HashMap<String, usize>,
}

/// One number found in a text: its byte range and its index in the finder's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) range: std::ops::Range<usize>,
    pub(crate) which: usize,
}

impl Finder {
    /// A finder of `numbers` (their keys; numbers without one are never found).
    pub(crate) fn new<'a>(numbers: impl IntoIterator<Item = &'a str>) -> Finder {
        let mut index = HashMap::new();
        let mut alternatives = Vec::new();
        for (i, n) in numbers.into_iter().enumerate() {
            let Some(k) = key(n) else { continue };
            if index.contains_key(&k) {
                continue;
            }
            // the digits in order, with up to two separators between any two of them
            let digits: Vec<String> = k.chars().map(|c| c.to_string()).collect();
            alternatives.push(digits.join(r"[-\s()（）]{0,2}"));
            index.insert(k, i);
        }
        let re = (!alternatives.is_empty())
            .then(|| {
                regex::RegexBuilder::new(&format!("(?:{})", alternatives.join("|")))
                    .size_limit(64 << 20)
                    .build()
                    .ok()
            })
            .flatten();
        Finder { re, index }
    }

    /// Whether the finder has nothing to find.
    pub(crate) fn is_empty(&self) -> bool {
        self.re.is_none()
    }

    /// Where `text` writes one of the numbers, as a whole number: not inside a longer run of
    /// digits (`+86` before it is the same number).
    pub(crate) fn find(&self, text: &str) -> Vec<Found> {
        let Some(re) = &self.re else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for m in re.find_iter(text) {
            let before = &text[..m.start()];
            let digit_before = before.ends_with(|c: char| c.is_ascii_digit())
                && !before.ends_with("+86")
                && !before.ends_with("0086");
            let digit_after = text[m.end()..].starts_with(|c: char| c.is_ascii_digit());
            if digit_before || digit_after {
                continue;
            }
            let Some(k) = key(m.as_str()) else { continue };
            if let Some(&which) = self.index.get(&k) {
                out.push(Found {
                    range: m.range(),
                    which,
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_is_its_digits() {
        assert_eq!(key("0745-6628119").as_deref(), Some("07456628119"));
        assert_eq!(key("(0745) 6628119").as_deref(), Some("07456628119"));
        assert_eq!(key("+86 139 0745 2618").as_deref(), Some("13907452618"));
        assert_eq!(key("0745-2231100转801").as_deref(), Some("07452231100"));
        for none in ["119", "12350", "0745-XXXXXXX", "", "待定"] {
            assert_eq!(key(none), None, "{none}");
        }
    }

    #[test]
    fn registry_text_gives_its_contacts_numbers_quoted_or_not() {
        let text = "contacts:\n  - id: hd-duty\n    name: 值班室\n    phones:\n      - { number: 0745-6628119, type: duty }\n      - { number: 13907452618, type: mobile }\n    verified: 2026-01-01\nroles: []\n";
        let got = in_registry_text(text);
        let numbers: Vec<&str> = got.iter().map(|c| c.number.as_str()).collect();
        assert_eq!(numbers, ["0745-6628119", "13907452618"]);
        assert_eq!(got[0].contact, "hd-duty");
        assert_eq!(got[0].name, "值班室");
        assert!(in_registry_text("contacts: [unclosed").is_empty());
    }

    #[test]
    fn numbers_are_found_however_punctuated_and_only_whole() {
        let f = Finder::new(["0745-6628119", "13907452618", "119"]);
        let text = "值班室 0745 6628119，（0745）6628119、07456628119；总经理 139-0745-2618，+8613907452618";
        let found = f.find(text);
        let which: Vec<usize> = found.iter().map(|x| x.which).collect();
        assert_eq!(which, [0, 0, 0, 1, 1], "{found:?}");
        assert_eq!(&text[found[0].range.clone()], "0745 6628119");
        // inside a longer number, or another number with the same start: not found
        for other in ["0745-66281190", "90745-6628119", "0745-6628118", "火警 119"] {
            assert!(f.find(other).is_empty(), "{other}");
        }
        // an extension keeps the number
        assert_eq!(f.find("0745-6628119转801").len(), 1);
        assert!(Finder::new(["119"]).is_empty());
    }

    fn past(path: &str, commit: &str, text: &str) -> PastFile {
        PastFile {
            path: path.into(),
            commit: commit.into(),
            time: 1_790_000_000,
            text: text.into(),
        }
    }

    const OLD: &str = "contacts:\n  - id: hd-duty\n    name: 值班室\n    phones:\n      - { number: 0745-6628118, type: duty }\n      - { number: \"119\", type: emergency }\n    verified: 2026-01-01\n  - id: hd-gm\n    name: 刘志强\n    phones:\n      - { number: \"13907452618\", type: mobile }\n    verified: 2026-01-01\n";

    #[test]
    fn a_number_nobody_has_now_is_retired_and_one_moved_is_not() {
        // hd-duty's number changed; hd-gm's mobile moved to another contact
        let now = "contacts:\n  - id: hd-duty\n    phones:\n      - { number: 0745-6628119, type: duty }\n  - id: hd-vgm\n    phones:\n      - { number: 139 0745 2618, type: mobile }\n";
        let mut current = HashSet::new();
        keys_in_text(now, &mut current);
        let found = retired(
            &[
                past("registry/r.yaml", "bbbbbbbbbb", OLD),
                past("registry/r.yaml", "aaaaaaaaaa", OLD),
            ],
            &current,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].was.number, "0745-6628118");
        assert_eq!(
            found[0].commit, "bbbbbbbbbb",
            "the newest version that had it"
        );
        assert!(found[0].when().starts_with("bbbbbbb, 2026-"));
    }

    #[test]
    fn a_current_file_that_does_not_parse_still_holds_its_numbers() {
        let mut current = HashSet::new();
        keys_in_text(
            "contacts:\n  - id: hd-duty\n    phones: [{ number: 0745-6628118\n",
            &mut current,
        );
        assert!(current.contains("07456628118"));
        assert!(retired(&[past("registry/r.yaml", "b", OLD)], &current)
            .iter()
            .all(|r| r.was.number != "0745-6628118"));
    }
}
