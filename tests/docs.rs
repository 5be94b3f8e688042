//! Documentation generated from code stays current.

use std::path::Path;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap_or_default()
}

#[test]
fn rules_reference_is_current() {
    assert!(
        read("docs/rules.md") == yuan::check::registry::reference_markdown(),
        "docs/rules.md is stale: run `cargo run -q -- explain --all --markdown > docs/rules.md`"
    );
}

#[test]
fn rule_codes_are_stable() {
    let list: Vec<String> = yuan::check::registry::RULES
        .iter()
        .map(|r| format!("{} {} {}", r.info().code, r.info().name, r.info().severity))
        .collect();
    insta::assert_snapshot!(list.join("\n"));
}

#[test]
fn every_rule_is_documented_in_both_languages() {
    for r in yuan::check::registry::RULES {
        let doc = r.info().doc_text();
        for section in [
            "## What it checks · 检查内容",
            "## Why it matters · 为什么重要",
            "## Example · 示例",
            "## How to fix · 如何修改",
        ] {
            assert!(
                doc.contains(section),
                "{}: missing section {section}",
                r.info().code
            );
        }
    }
}

#[test]
fn format_doc_names_every_kind_and_rule_family() {
    let format = read("docs/format.md");
    for k in yuan::model::meta::Kind::ALL {
        assert!(
            format.contains(&format!("`{}`", k.as_str())),
            "docs/format.md lacks kind {}",
            k.as_str()
        );
    }
}

#[test]
fn sections_reference_is_current() {
    assert!(
        read("docs/sections.md") == yuan::check::sections::reference_markdown(),
        "docs/sections.md is stale: run `cargo run -q -- explain --sections > docs/sections.md`"
    );
}
