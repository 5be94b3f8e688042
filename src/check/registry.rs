//! The plain lists of every rule, in code order: [`RULES`], which `yuan check` runs, and
//! [`PRINT_RULES`], which only a generator can find while it prints (a font, a layout), kept
//! apart so that `yuan check`, its SARIF rule metadata and `[rules]` stay about the rules it
//! runs. `yuan explain` and docs/rules.md cover both; a snapshot test guards the list of codes.

use super::rules::*;
use super::{Rule, RuleInfo};

macro_rules! reported_outside_check {
    ($($t:path),* $(,)?) => {$(
        impl Rule for $t {
            fn info(&self) -> &'static RuleInfo {
                &<$t>::INFO
            }
        }
    )*};
}

reported_outside_check!(
    f001_front_matter_missing::FrontMatterMissing,
    f002_yaml_invalid::YamlInvalid,
    f003_schema_violation::SchemaViolation,
    f004_unknown_key::UnknownKey,
    f005_unreadable_file::UnreadableFile,
    f006_config_invalid::ConfigInvalid,
    f007_defaults_key_not_inherited::DefaultsKeyNotInherited,
    i102_unknown_kind::UnknownKind,
    t801_placeholder_text::PlaceholderText,
    t802_merge_conflict::MergeConflict,
    g901_glyph_missing::GlyphMissing,
    g902_card_overflow::CardOverflow,
);

/// Every rule.
pub static RULES: &[&dyn Rule] = &[
    &a301_upper_link_missing::UpperLinkMissing,
    &a302_response_levels_inconsistent::ResponseLevelsInconsistent,
    &a303_lead_role_invalid::LeadRoleInvalid,
    &a304_upstream_changed::UpstreamChanged,
    &c601_phone_malformed::PhoneMalformed,
    &c602_contact_stale::ContactStale,
    &c603_retired_number::RetiredNumber,
    &d701_effective_before_issued::EffectiveBeforeIssued,
    &d702_assessment_overdue::AssessmentOverdue,
    &d703_filing_late::FilingLate,
    &e001_drill_reference_unknown::DrillReferenceUnknown,
    &e002_drill_not_evaluated::DrillNotEvaluated,
    &e003_finding_without_action::FindingWithoutAction,
    &e004_corrective_action_overdue::CorrectiveActionOverdue,
    &e005_drill_overdue::DrillOverdue,
    &f001_front_matter_missing::FrontMatterMissing,
    &f002_yaml_invalid::YamlInvalid,
    &f003_schema_violation::SchemaViolation,
    &f004_unknown_key::UnknownKey,
    &f005_unreadable_file::UnreadableFile,
    &f006_config_invalid::ConfigInvalid,
    &f007_defaults_key_not_inherited::DefaultsKeyNotInherited,
    &g903_card_not_simple::CardNotSimple,
    &h201_missing_parent::MissingParent,
    &h202_illegal_parent::IllegalParent,
    &h203_hierarchy_cycle::HierarchyCycle,
    &h204_jurisdiction_without_overall::JurisdictionWithoutOverall,
    &h205_hazard_not_covered::HazardNotCovered,
    &h206_key_post_without_card::KeyPostWithoutCard,
    &h207_level_mismatch::LevelMismatch,
    &h208_onsite_hazard_out_of_scope::OnsiteHazardOutOfScope,
    &i101_duplicate_id::DuplicateId,
    &i102_unknown_kind::UnknownKind,
    &i103_naming_convention::NamingConvention,
    &r401_dangling_reference::DanglingReference,
    &r402_dangling_body_reference::DanglingBodyReference,
    &r403_broken_relative_link::BrokenRelativeLink,
    &r404_broken_anchor::BrokenAnchor,
    &r405_card_clause_missing::CardClauseMissing,
    &r406_card_decision_invalid::CardDecisionInvalid,
    &r407_cited_plan_unknown::CitedPlanUnknown,
    &s501_section_missing::SectionMissing,
    &s502_section_out_of_order::SectionOutOfOrder,
    &s503_section_empty::SectionEmpty,
    &s504_section_not_heading::SectionNotHeading,
    &t801_placeholder_text::PlaceholderText,
    &t802_merge_conflict::MergeConflict,
];

/// The rules that generators report while they print (`render::driver`), in code order.
pub(crate) static PRINT_RULES: &[&dyn Rule] = &[
    &g901_glyph_missing::GlyphMissing,
    &g902_card_overflow::CardOverflow,
];

/// Every rule, checked and printed, in code order.
pub(crate) fn every_rule() -> impl Iterator<Item = &'static dyn Rule> {
    let mut all: Vec<&'static dyn Rule> = RULES.iter().chain(PRINT_RULES).copied().collect();
    all.sort_by_key(|r| r.info().code);
    all.into_iter()
}

/// The rule reference as Markdown: docs/rules.md is exactly this text (a test keeps it current).
pub fn reference_markdown() -> String {
    let mut s = String::from(
        "# 规则 · Rules\n\nGenerated from the rule registry by `yuan explain --all --markdown`; do not edit by hand.\n\nA document whose front matter failed its schema (F003) keeps only its id and kind. No rule takes it for absent or for another kind of document: where a finding would depend on what it says (A301, A304, E005, H202, H204, H205, H206, H208), the rule gives an `info` note at the line that refers to it, naming the F003 and saying that the check was skipped (文档有格式错误（F003），已跳过对它的检查), and checks everything else as usual; E001 still checks a drill's clauses against its headings. 头信息未通过校验（F003）的文档不会被当作不存在。\n\n| Code | Name | Default | Summary |\n|---|---|---|---|\n",
    );
    for r in every_rule() {
        let i = r.info();
        s.push_str(&format!(
            "| [{}](#{}) | `{}` | {} | {} · {} |\n",
            i.code,
            i.code.to_lowercase(),
            i.name,
            i.severity.as_str(),
            i.summary.0,
            i.summary.1
        ));
    }
    for r in every_rule() {
        let i = r.info();
        s.push_str(&format!(
            "\n## {}\n\n`{}` · default **{}**\n\n",
            i.code,
            i.name,
            i.severity.as_str()
        ));
        s.push_str(&i.doc_text().replace("\n## ", "\n### "));
        s.push('\n');
    }
    s
}

/// The rule with this code (case-insensitive), checked or printed: what `yuan explain` knows.
pub(crate) fn documented(code: &str) -> Option<&'static dyn Rule> {
    every_rule().find(|r| r.info().code.eq_ignore_ascii_case(code))
}

/// The rule `yuan check` runs with this code (case-insensitive).
pub(crate) fn find(code: &str) -> Option<&'static dyn Rule> {
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
            assert!(
                i.doc_text().contains("## How to fix"),
                "{} lacks docs",
                i.code
            );
        }
    }

    #[test]
    fn print_rules_are_documented_and_not_run_by_check() {
        let codes: Vec<_> = PRINT_RULES.iter().map(|r| r.info().code).collect();
        assert_eq!(codes, ["G901", "G902"]);
        for r in PRINT_RULES {
            let i = r.info();
            assert_eq!(i.stage, crate::check::Stage::Print, "{}", i.code);
            assert!(find(i.code).is_none(), "{} is in RULES too", i.code);
            assert!(documented(&i.code.to_lowercase()).is_some());
            for section in [
                "## What it checks",
                "## Why it matters",
                "## Example",
                "## How to fix",
            ] {
                assert!(i.doc_text().contains(section), "{}: {section}", i.code);
            }
        }
    }

    #[test]
    fn upkeep_rules_exist_and_only_they_let_an_error_print() {
        use crate::diag::{Diagnostic, Severity, Text};
        for c in crate::check::UPKEEP_RULES {
            assert!(find(c).is_some(), "{c} is not a rule");
        }
        let d = |code| Diagnostic::new(code, Severity::Error, "a.md", Text::new("x", "x"));
        assert!(!crate::check::keeps_out_of_print(&d("E005")));
        assert!(!crate::check::keeps_out_of_print(&d("D702")));
        assert!(crate::check::keeps_out_of_print(&d("C601")));
        let w = Diagnostic::new("C601", Severity::Warning, "a.md", Text::new("x", "x"));
        assert!(!crate::check::keeps_out_of_print(&w));
    }

    /// `diag::codes::ALL`, which a stage below the registry reads codes back with, is exactly
    /// the registry's codes.
    #[test]
    fn the_vocabulary_of_codes_is_the_registry() {
        let mut codes: Vec<&str> = every_rule().map(|r| r.info().code).collect();
        codes.sort_unstable();
        assert_eq!(codes, crate::diag::codes::ALL);
    }

    /// `yuan explain CODE` in one language: the English has no Chinese paragraph, heading or
    /// title half; the Chinese has the Chinese title, headings and *What it checks* paragraph.
    #[test]
    fn explain_says_each_rule_in_one_language() {
        use crate::diag::rule::chinese_paragraph;
        use crate::diag::Lang;
        for r in every_rule() {
            let i = r.info();
            let en = i.doc_in(Lang::En);
            // code blocks quote plan text, in Chinese
            let outside_code = en.split("```").step_by(2).collect::<Vec<_>>().join("");
            for p in outside_code.split("\n\n") {
                assert!(!chinese_paragraph(p), "{}: Chinese in English: {p}", i.code);
            }
            for h in outside_code.lines().filter(|l| l.starts_with("## ")) {
                assert!(!h.contains(" · ") && h.is_ascii(), "{}: {h}", i.code);
            }
            let zh = i.doc_in(Lang::Zh);
            let title = zh.lines().next().unwrap_or_default();
            assert!(
                title
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{}: title {title}",
                i.code
            );
            let what = zh
                .split("## 检查内容\n")
                .nth(1)
                .unwrap_or_else(|| panic!("{}: no 检查内容 in\n{zh}", i.code));
            let first = what.split("\n\n").next().unwrap_or_default();
            assert!(chinese_paragraph(first), "{}: {first}", i.code);
            for h in ["## 为什么重要", "## 示例", "## 如何修改"] {
                assert!(zh.contains(h), "{}: no {h}", i.code);
            }
            // why and how to fix are said in Chinese (the example may be code or English)
            for h in ["## 为什么重要\n", "## 如何修改\n"] {
                let first = zh
                    .split(h)
                    .nth(1)
                    .and_then(|s| s.split("\n\n").next())
                    .unwrap_or_default();
                assert!(chinese_paragraph(first), "{}: {h}{first}", i.code);
            }
        }
    }
}
