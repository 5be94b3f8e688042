//! Issue 14 §5–§6, the vocabulary and noise part: built-in accident types that a repository's
//! own hazards add to, `organizations[].high_risk` driving the drill cadence, and knock-on
//! findings of a document that failed its schema. Each test shows both sides: the false alarm
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

// ---- 2. organizations[].high_risk drives the drill cadence ----

/// 2027-01-20: the comprehensive plan took effect on 2026-07-10 and was never drilled.
fn half_a_year_later() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 20).expect("a date")
}

/// The good fixture without its fixed `[check] today`, so the date of the check applies.
fn good_undated() -> Vec<(String, Vec<u8>)> {
    edited(good(), "yuan.toml", |t| {
        t.replace("today = \"2026-11-28\"", "")
    })
}

fn e005(
    f: &[(String, String, String, usize, String)],
) -> Vec<&(String, String, String, usize, String)> {
    f.iter().filter(|x| x.0 == "E005").collect()
}

#[test]
fn a_high_risk_unit_drills_every_half_year() {
    let f = findings(good_undated(), half_a_year_later());
    let e = e005(&f);
    assert_eq!(e.len(), 1, "{f:#?}");
    assert_eq!(e[0].1, "error");
    assert_eq!(e[0].2, "enterprise/hd-comprehensive.md");
    assert_eq!(e[0].3, 14, "never drilled: points at `dates.effective`");
    assert!(e[0].4.contains("high-risk unit"), "{e:#?}");
    assert!(e[0].4.contains("every 6 months"), "{e:#?}");
}

#[test]
fn without_high_risk_the_yearly_cadence_applies() {
    let files = edited(good_undated(), "registry/hd-chem.yaml", |t| {
        t.replace(", high_risk: true }", " }")
    });
    let f = findings(files, half_a_year_later());
    assert!(e005(&f).is_empty(), "{f:#?}");
}

#[test]
fn a_done_drill_in_the_half_year_keeps_the_high_risk_unit_in_time() {
    // hd-chem's comprehensive plan is drilled through a done drill in the half-year
    let files = edited(good_undated(), "drills/dr-2026-hd-reactor.md", |t| {
        t.replace(
            "  - plan: hd-onsite-reactor",
            "  - plan: hd-onsite-reactor\n  - plan: hd-comprehensive",
        )
    });
    let f = findings(files, half_a_year_later());
    assert!(e005(&f).is_empty(), "{f:#?}");
}

#[test]
fn after_a_drill_the_finding_points_at_the_high_risk_unit() {
    let files = edited(good_undated(), "drills/dr-2026-hd-reactor.md", |t| {
        t.replace(
            "  - plan: hd-onsite-reactor",
            "  - plan: hd-onsite-reactor\n  - plan: hd-comprehensive",
        )
    });
    // drilled 2026-09-10: due 2027-03-10 at the high-risk cadence, overdue ten days later
    let f = findings(files, NaiveDate::from_ymd_opt(2027, 3, 20).expect("a date"));
    let e: Vec<_> = e005(&f)
        .into_iter()
        .filter(|x| x.2 == "enterprise/hd-comprehensive.md")
        .collect();
    assert_eq!(e.len(), 1, "{f:#?}");
    assert_eq!(e[0].3, 8, "points at `enterprise: hd-chem`");
    assert!(e[0].4.contains("overdue by 10 days"), "{e:#?}");
}
