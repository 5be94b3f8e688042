//! Every rule code yuan can report, as plain vocabulary at the bottom of the stages.
//!
//! Rules live beside the stage that raises them (`source/rules`, `parse/rules`, `check/rules`,
//! the generators' G9xx) and `check::registry` lists them with their code. A diagnostic read
//! back from the parse cache needs its code as the rule's own `&'static str`, which a stage
//! below the registry cannot look up there: it looks it up here. A unit test of the registry
//! keeps this list equal to the registry's codes.

/// The codes, sorted.
pub(crate) const ALL: &[&str] = &[
    "A301", "A302", "A303", "A304", "C601", "C602", "C603", "D701", "D702", "D703", "E001", "E002",
    "E003", "E004", "E005", "F001", "F002", "F003", "F004", "F005", "F006", "F007", "G901", "G902",
    "G903", "H201", "H202", "H203", "H204", "H205", "H206", "H207", "H208", "I101", "I102", "I103",
    "R401", "R402", "R403", "R404", "R405", "R406", "R407", "S501", "S502", "S503", "S504", "T801",
    "T802",
];

/// `code` as the `&'static str` of the list, if it is a code yuan has.
pub(crate) fn known(code: &str) -> Option<&'static str> {
    ALL.binary_search(&code).ok().map(|i| ALL[i])
}

/// Serde for a diagnostic's code: written as text, read back as the code of [`ALL`] (a code
/// yuan no longer has makes the record unreadable, and a cached file is then parsed again).
pub(crate) mod serde_code {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(code: &&'static str, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(code)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
        let code = <&str>::deserialize(d)?;
        super::known(code).ok_or_else(|| D::Error::custom(format!("unknown rule code {code}")))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_list_is_sorted_and_looked_up() {
        assert!(super::ALL.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(super::known("F002"), Some("F002"));
        assert_eq!(super::known("Z999"), None);
    }
}
