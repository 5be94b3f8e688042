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

/// Users do not have the developers' notes (domain.md): rule docs, docs/*.md and the messages
/// cite the regulation itself, and docs/regulations.md lists every regulation a rule doc cites.
#[test]
fn docs_cite_regulations_not_domain_md() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let mut docs: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("docs/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap_or_default(),
            )
        })
        .collect();
    docs.push(("README.md".into(), read("README.md")));
    for r in yuan::check::registry::RULES {
        docs.push((r.info().code.to_string(), r.info().doc_text()));
    }
    for (name, text) in &docs {
        assert!(
            !text.contains("domain.md"),
            "{name} cites domain.md, which users do not have"
        );
    }
    // every 《…》 a rule doc names is in docs/regulations.md
    let regulations = read("docs/regulations.md");
    for r in yuan::check::registry::RULES {
        let doc = r.info().doc_text();
        for cited in doc.split('《').skip(1).filter_map(|s| s.split_once('》')) {
            let title = cited.0;
            // plan titles quoted as examples in the text are not regulations
            let regulation = [
                "办法",
                "条例",
                "指南",
                "规定",
                "导则",
                "规范",
                "国家突发事件总体应急预案",
            ]
            .iter()
            .any(|w| title.ends_with(w));
            assert!(
                !regulation || regulations.contains(&format!("《{title}》")),
                "{}: 《{title}》 is not in docs/regulations.md",
                r.info().code
            );
        }
    }
}
