//! One rule per file, named `<code>_<name>.rs`. The list of rules is `check::registry::RULES`.
//!
//! The rules the loading stages raise live in those stages (`source::rules`, `parse::rules`,
//! `model::rules`), so that no lower stage imports `check`; they are re-exported here, so every
//! rule is found under `check::rules`.

pub(crate) use crate::model::rules::{
    f003_schema_violation, f004_unknown_key, f007_defaults_key_not_inherited, i102_unknown_kind,
};
pub(crate) use crate::parse::rules::{
    f001_front_matter_missing, f002_yaml_invalid, t801_placeholder_text, t802_merge_conflict,
};
pub use crate::source::rules::{f005_unreadable_file, f006_config_invalid};

pub(crate) mod a301_upper_link_missing;
pub(crate) mod a302_response_levels_inconsistent;
pub(crate) mod a303_lead_role_invalid;
pub(crate) mod a304_upstream_changed;
pub(crate) mod c601_phone_malformed;
pub(crate) mod c602_contact_stale;
pub(crate) mod c603_retired_number;
pub(crate) mod d701_effective_before_issued;
pub(crate) mod d702_assessment_overdue;
pub(crate) mod d703_filing_late;
pub(crate) mod e001_drill_reference_unknown;
pub(crate) mod e002_drill_not_evaluated;
pub(crate) mod e003_finding_without_action;
pub(crate) mod e004_corrective_action_overdue;
pub(crate) mod e005_drill_overdue;
pub(crate) mod g901_glyph_missing;
pub(crate) mod g902_card_overflow;
pub(crate) mod g903_card_not_simple;
pub(crate) mod h201_missing_parent;
pub(crate) mod h202_illegal_parent;
pub(crate) mod h203_hierarchy_cycle;
pub(crate) mod h204_jurisdiction_without_overall;
pub(crate) mod h205_hazard_not_covered;
pub(crate) mod h206_key_post_without_card;
pub(crate) mod h207_level_mismatch;
pub(crate) mod h208_onsite_hazard_out_of_scope;
pub(crate) mod i101_duplicate_id;
pub(crate) mod i103_naming_convention;
pub(crate) mod r401_dangling_reference;
pub(crate) mod r402_dangling_body_reference;
pub(crate) mod r403_broken_relative_link;
pub(crate) mod r404_broken_anchor;
pub(crate) mod r405_card_clause_missing;
pub(crate) mod r406_card_decision_invalid;
pub(crate) mod r407_cited_plan_unknown;
pub(crate) mod s501_section_missing;
pub(crate) mod s502_section_out_of_order;
pub(crate) mod s503_section_empty;
pub(crate) mod s504_section_not_heading;
