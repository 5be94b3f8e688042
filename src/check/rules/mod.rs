//! One rule per file, named `<code>_<name>.rs`. The list of rules is `check::registry::RULES`.
//!
//! The rules the loading stages raise live in those stages (`source::rules`, `parse::rules`,
//! `model::rules`), so that no lower stage imports `check`; they are re-exported here, so every
//! rule is found under `check::rules`.

pub use crate::model::rules::{f003_schema_violation, f004_unknown_key, i102_unknown_kind};
pub use crate::parse::rules::{
    f001_front_matter_missing, f002_yaml_invalid, t801_placeholder_text, t802_merge_conflict,
};
pub use crate::source::rules::{f005_unreadable_file, f006_config_invalid};

pub mod a301_upper_link_missing;
pub mod a302_response_levels_inconsistent;
pub mod a303_lead_role_invalid;
pub mod a304_upstream_changed;
pub mod c601_phone_malformed;
pub mod c602_contact_stale;
pub mod d701_effective_before_issued;
pub mod d702_assessment_overdue;
pub mod d703_filing_late;
pub mod e001_drill_reference_unknown;
pub mod e002_drill_not_evaluated;
pub mod e003_finding_without_action;
pub mod e004_corrective_action_overdue;
pub mod e005_drill_overdue;
pub mod g901_glyph_missing;
pub mod g902_card_overflow;
pub mod h201_missing_parent;
pub mod h202_illegal_parent;
pub mod h203_hierarchy_cycle;
pub mod h204_jurisdiction_without_overall;
pub mod h205_hazard_not_covered;
pub mod h206_key_post_without_card;
pub mod h207_level_mismatch;
pub mod i101_duplicate_id;
pub mod i103_naming_convention;
pub mod r401_dangling_reference;
pub mod r402_dangling_body_reference;
pub mod r403_broken_relative_link;
pub mod r404_broken_anchor;
pub mod r405_card_clause_missing;
pub mod r406_card_decision_invalid;
pub mod s501_section_missing;
pub mod s502_section_out_of_order;
pub mod s503_section_empty;
