//! The rules the model reports while it gives a file's syntax its meaning: front matter that
//! violates its schema (F003), unknown keys (F004), an unknown kind (I102). One rule per file,
//! as in `check::rules`, where they are listed too; they live here because `model::build`
//! raises them and a lower stage never reaches up into `check`.

pub mod f003_schema_violation;
pub mod f004_unknown_key;
pub mod i102_unknown_kind;

use crate::diag::rule::RuleInfo;
use crate::parse::rules::{
    f001_front_matter_missing, f002_yaml_invalid, t801_placeholder_text, t802_merge_conflict,
};

/// Every rule whose findings a loaded file can hold (those of the source and parse stages
/// included): the codes a cached parse result is read back with, without the registry of
/// `check`. A test in `check::registry` keeps it equal to the registry's loading-stage rules
/// (but F006, the configuration's).
pub const RAISED: &[&RuleInfo] = &[
    &f001_front_matter_missing::FrontMatterMissing::INFO,
    &f002_yaml_invalid::YamlInvalid::INFO,
    &f003_schema_violation::SchemaViolation::INFO,
    &f004_unknown_key::UnknownKey::INFO,
    &crate::source::rules::f005_unreadable_file::UnreadableFile::INFO,
    &i102_unknown_kind::UnknownKind::INFO,
    &t801_placeholder_text::PlaceholderText::INFO,
    &t802_merge_conflict::MergeConflict::INFO,
];
