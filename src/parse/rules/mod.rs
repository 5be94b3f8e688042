//! The rules the parse stage reports while it reads a file: front matter (F001–F004), unknown
//! kind (I102), placeholders and merge-conflict markers (T801, T802). One rule per file, as in
//! `check::rules`, where they are listed too; they live here because the parse stage raises
//! them and a lower stage never reaches up into `check`.

pub mod f001_front_matter_missing;
pub mod f002_yaml_invalid;
pub mod f003_schema_violation;
pub mod f004_unknown_key;
pub mod i102_unknown_kind;
pub mod t801_placeholder_text;
pub mod t802_merge_conflict;

use crate::diag::rule::RuleInfo;

/// Every rule whose findings a parse result can hold (F005 of the source stage included): the
/// codes a cached parse result is read back with, without the registry of `check`. A test in
/// `check::registry` keeps it equal to the registry's loading-stage rules (but F006, the
/// configuration's).
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
