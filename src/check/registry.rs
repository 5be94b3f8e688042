//! The plain list of every rule, in code order. `yuan explain`, docs/rules.md and SARIF rule
//! metadata are generated from it; a snapshot test guards the list of codes.

use super::rules::*;
use super::{Rule, RuleInfo};

macro_rules! load_stage {
    ($($t:path),* $(,)?) => {$(
        impl Rule for $t {
            fn info(&self) -> &'static RuleInfo {
                &<$t>::INFO
            }
        }
    )*};
}

load_stage!(
    f001_front_matter_missing::FrontMatterMissing,
    f002_yaml_invalid::YamlInvalid,
    f003_schema_violation::SchemaViolation,
    f004_unknown_key::UnknownKey,
    f005_unreadable_file::UnreadableFile,
    f006_config_invalid::ConfigInvalid,
    i102_unknown_kind::UnknownKind,
    t801_placeholder_text::PlaceholderText,
);

/// Every rule.
pub static RULES: &[&dyn Rule] = &[
    &f001_front_matter_missing::FrontMatterMissing,
    &f002_yaml_invalid::YamlInvalid,
    &f003_schema_violation::SchemaViolation,
    &f004_unknown_key::UnknownKey,
    &f005_unreadable_file::UnreadableFile,
    &f006_config_invalid::ConfigInvalid,
    &i102_unknown_kind::UnknownKind,
    &t801_placeholder_text::PlaceholderText,
];

/// The rule with this code (case-insensitive).
pub fn find(code: &str) -> Option<&'static dyn Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.info().code.eq_ignore_ascii_case(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_sorted_by_family() {
        let codes: Vec<_> = RULES.iter().map(|r| r.info().code).collect();
        let mut seen = std::collections::HashSet::new();
        for c in &codes {
            assert!(seen.insert(*c), "duplicate code {c}");
        }
        for r in RULES {
            let i = r.info();
            assert!(i.doc_text().contains("## How to fix"), "{} lacks docs", i.code);
        }
    }
}
