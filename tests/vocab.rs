//! Issue 14 §5–§6, the vocabulary and noise part: built-in accident types that a repository's
//! own hazards add to. Each test shows both sides: the false alarm
//! gone, and the real omission still caught.

use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use yuan::Check;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).expect("a date")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Every file under `dir`, by its `/`-separated path relative to `dir`.
fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .expect("ls")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).expect("under the root");
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push((rel.join("/"), std::fs::read(&path).expect("read")));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}

/// The good fixture with `edit` applied to the file `rel` (which must change).
fn edited(
    mut files: Vec<(String, Vec<u8>)>,
    rel: &str,
    edit: impl Fn(&str) -> String,
) -> Vec<(String, Vec<u8>)> {
    let f = files
        .iter_mut()
        .find(|(p, _)| p == rel)
        .unwrap_or_else(|| panic!("{rel} in the fixture"));
    let before = String::from_utf8(f.1.clone()).expect("utf-8");
    let after = edit(&before);
    assert_ne!(before, after, "the edit of {rel} changed nothing");
    f.1 = after.into_bytes();
    files
}

/// `(code, severity, path, line, English message)` of every finding.
fn findings(
    files: Vec<(String, Vec<u8>)>,
    date: NaiveDate,
) -> Vec<(String, String, String, usize, String)> {
    let report = Check::in_memory(files, date).run().expect("check");
    report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code.to_string(),
                format!("{:?}", d.severity).to_lowercase(),
                d.path.clone(),
                d.span.as_ref().map_or(0, |s| s.line as usize),
                d.message.en.clone(),
            )
        })
        .collect()
}

fn good() -> Vec<(String, Vec<u8>)> {
    files_of(&fixture("good"))
}

// ---- 1. Accident types: the built-ins stay when a repository defines its own hazards ----

#[test]
fn the_good_fixture_defines_hazards_and_still_uses_built_in_accident_types() {
    // common.yaml defines `flood` and `fire`; 触电 (`electric-shock`) is GB 6441's, built in.
    let files = edited(good(), "enterprise/hd-comprehensive.md", |t| {
        t.replace(
            "hazards: [fire]",
            "hazards: [fire, electric-shock, poisoning]",
        )
    });
    let f = findings(files, today());
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn builtin_false_keeps_only_the_repository_hazards_and_an_unknown_id_is_still_caught() {
    let files = edited(good(), "enterprise/hd-comprehensive.md", |t| {
        t.replace("hazards: [fire]", "hazards: [fire, electric-shock]")
    });
    let files = edited(files, "yuan.toml", |t| {
        format!("{t}\n[hazards]\nbuiltin = false\n")
    });
    let f = findings(files, today());
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].0, "R401");
    assert_eq!(f[0].2, "enterprise/hd-comprehensive.md");
    assert!(f[0].4.contains("electric-shock"), "{f:#?}");
}

#[test]
fn a_misspelt_hazard_is_still_caught_with_the_built_ins_on() {
    let files = edited(good(), "enterprise/hd-comprehensive.md", |t| {
        t.replace("hazards: [fire]", "hazards: [fire, electric-shok]")
    });
    let f = findings(files, today());
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].0, "R401");
}

#[test]
fn a_repository_entry_with_a_built_in_id_replaces_it_without_a_duplicate() {
    // `fire` is built in and defined by common.yaml: no I101.
    let f = findings(good(), today());
    assert!(f.is_empty(), "{f:#?}");
    // defined twice by the repository itself: still I101
    let files = edited(good(), "registry/common.yaml", |t| {
        t.replace(
            "  - { id: fire, name: 火灾事故, category: accident }",
            "  - { id: fire, name: 火灾事故, category: accident }\n  - { id: fire, name: 火灾, category: accident }",
        )
    });
    let f = findings(files, today());
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].0, "I101");
}
