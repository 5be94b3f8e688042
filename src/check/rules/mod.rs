//! One rule per file, named `<code>_<name>.rs`. The list of rules is `check::registry::RULES`.

pub mod f001_front_matter_missing;
pub mod f002_yaml_invalid;
pub mod f003_schema_violation;
pub mod f004_unknown_key;
pub mod f005_unreadable_file;
pub mod f006_config_invalid;
pub mod i102_unknown_kind;
pub mod t801_placeholder_text;
