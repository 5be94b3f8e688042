//! Issue 14 §5–§6, the vocabulary and noise part: built-in accident types that a repository's
//! own hazards add to, `organizations[].high_risk` driving the drill cadence, and knock-on
//! findings of a document that failed its schema. Each test shows both sides: the false alarm
//! gone, and the real omission still caught.

mod common;

use chrono::NaiveDate;
use common::files_of;
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

// ---- 4. Knock-on findings of a document that failed its schema (F003) ----

fn sample() -> Vec<(String, Vec<u8>)> {
    files_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("plans"))
}

type Finding = (String, String, String, usize, String);

fn not_notes(f: &[Finding]) -> Vec<&Finding> {
    f.iter().filter(|x| x.1 != "info").collect()
}

#[test]
fn one_wrong_field_of_an_overall_plan_gives_its_f003_and_skip_notes_only() {
    // one field of the county's overall plan has the wrong type (a text, not a list)
    let files = edited(sample(), "county/qx-overall.md", |t| {
        t.replace("hazards: [flood, drought, hazchem]", "hazards: flood")
    });
    let f = findings(files, today());
    let errors = not_notes(&f);
    assert_eq!(errors.len(), 1, "{f:#?}");
    assert_eq!(errors[0].0, "F003");
    assert_eq!(errors[0].2, "county/qx-overall.md");
    assert_eq!(errors[0].3, 12, "at the `hazards` line");
    // No "qx has no overall plan" (H204), "not a plan" (E001), wrong parent (H202) or
    // "upstream changed" (A304): each rule that skipped a check says so, naming the F003.
    let mut notes: Vec<(&str, &str)> = f
        .iter()
        .filter(|x| x.1 == "info")
        .map(|x| (x.0.as_str(), x.2.as_str()))
        .collect();
    notes.sort_unstable();
    assert_eq!(
        notes,
        [
            ("A304", "county/qx-flood.md"),
            ("H202", "county/qx-flood.md"),
            ("H202", "county/qx-hazchem.md"),
            ("H204", "county/qx-flood.md"),
        ]
    );
    for n in f.iter().filter(|x| x.1 == "info") {
        assert!(
            n.4.starts_with("`qx-overall` has a schema error (F003, county/qx-overall.md):")
                && n.4.ends_with("skipped"),
            "{n:#?}"
        );
    }
}

#[test]
fn the_skip_note_is_said_in_chinese_too() {
    let files = edited(sample(), "county/qx-overall.md", |t| {
        t.replace("hazards: [flood, drought, hazchem]", "hazards: flood")
    });
    let report = Check::in_memory(files, today()).run().expect("check");
    let h204 = report
        .diagnostics
        .iter()
        .find(|d| d.code == "H204")
        .expect("H204 note");
    let zh = serde_json::to_value(&h204.message).expect("json");
    let zh = zh["zh"].as_str().expect("zh");
    assert!(
        zh.starts_with("`qx-overall` 有格式错误（F003，county/qx-overall.md），已跳过"),
        "{zh}"
    );
}

#[test]
fn a_real_omission_beside_a_broken_plan_is_still_caught() {
    // qx-overall broken, and the flood drill cites a clause that qx-flood does not have:
    // the E001 about qx-flood stands (only findings about the broken plan are skipped)
    let files = edited(sample(), "county/qx-overall.md", |t| {
        t.replace("hazards: [flood, drought, hazchem]", "hazards: flood")
    });
    let files = edited(files, "drills/dr-2026-qx-flood.md", |t| {
        t.replacen("clause: ", "clause: 不存在的条款", 1)
    });
    let f = findings(files, today());
    let mut codes: Vec<&str> = not_notes(&f).iter().map(|x| x.0.as_str()).collect();
    codes.sort_unstable();
    assert_eq!(codes, ["E001", "F003"], "{f:#?}");
    // and a jurisdiction whose only overall plan is gone is still H204, though another
    // jurisdiction's overall plan is broken
    let files = edited(sample(), "county/qx-overall.md", |t| {
        t.replace("hazards: [flood, drought, hazchem]", "hazards: flood")
    });
    let files: Vec<_> = files
        .into_iter()
        .filter(|(p, _)| p != "city/yz-overall.md")
        .collect();
    let f = findings(files, today());
    assert!(
        f.iter()
            .any(|x| x.0 == "H204" && x.1 == "error" && x.2.starts_with("city/")),
        "{f:#?}"
    );
}

#[test]
fn a_broken_clause_plan_still_has_its_clauses_checked() {
    // hd-comprehensive broken: the drill's clauses are its headings, still checked
    let files = edited(sample(), "enterprise/hd-chem/hd-comprehensive.md", |t| {
        t.replacen("version: \"2026.1\"", "version: [2026]", 1)
    });
    let f = findings(files.clone(), today());
    assert_eq!(not_notes(&f).len(), 1, "{f:#?}");
    let files = edited(files, "drills/hd-chem/dr-2026-hd-comprehensive.md", |t| {
        t.replace(
            "clauses: [信息报告, 响应启动, 应急支援]",
            "clauses: [信息报告, 响应启动, 应急增援]",
        )
    });
    let f = findings(files, today());
    let e: Vec<_> = not_notes(&f)
        .into_iter()
        .filter(|x| x.0 == "E001")
        .collect();
    assert_eq!(e.len(), 1, "{f:#?}");
    assert!(e[0].4.contains("has no clause \"应急增援\""), "{e:#?}");
}

#[test]
fn a_broken_drill_record_gives_a_note_not_an_overdue_drill() {
    let files = edited(sample(), "drills/hd-chem/dr-2026-hd-loading-h2.md", |t| {
        t.replace(
            "title: 装卸区泄漏桌面推演（2026年下半年）",
            "title: [装卸区泄漏桌面推演]",
        )
    });
    let f = findings(files, today());
    assert!(not_notes(&f).iter().all(|x| x.0 == "F003"), "{f:#?}");
    assert!(
        f.iter().any(|x| x.0 == "E005"
            && x.1 == "info"
            && x.2 == "enterprise/hd-chem/hd-onsite-loading.md"),
        "{f:#?}"
    );
}

#[test]
fn kind_of_the_wrong_type_is_f003_not_silence() {
    let files = edited(sample(), "province/xj-geo.md", |t| {
        t.replace("kind: special", "kind: [special]")
    });
    let f = findings(files, today());
    let errors = not_notes(&f);
    assert_eq!(errors.len(), 1, "{f:#?}");
    assert_eq!(errors[0].0, "F003");
    assert_eq!(errors[0].3, 3, "at `kind`");
    assert!(errors[0].4.contains("`kind` must be text"), "{f:#?}");
}

// ---- 5. No repository: one line, exit 2 ----

fn stderr_of(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn no_repository_is_one_line_and_exit_2_not_one_error_per_file() {
    let t = tempfile::tempdir().expect("tmp");
    // notes with and without front matter: each would be a finding in a "repository"
    std::fs::create_dir_all(t.path().join("notes/2026")).expect("mkdir");
    std::fs::write(t.path().join("README.md"), "说明\n").expect("write");
    std::fs::write(t.path().join("notes/a.md"), "---\nid: a\n---\n# 笔记\n").expect("write");
    std::fs::write(t.path().join("notes/2026/b.md"), "会议记录\n").expect("write");
    let dir = t.path().to_string_lossy().into_owned();
    let o = common::run(&["check", &dir, "--lang", "en"], &[]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    assert!(o.stdout.is_empty(), "{o:?}");
    let err = stderr_of(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("is not a plan repository: no yuan.toml in it, in a folder above it or up to two levels below")
            && err.contains("create yuan.toml"),
        "{err}"
    );
    // in Chinese by default; other commands the same
    let o = common::run(&["handbook", &dir, "--all"], &[]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    assert!(stderr_of(&o).contains("不是预案库"), "{}", stderr_of(&o));
    // `yuan new` works anywhere: it prints a template
    let o = common::run(&["new", "special", "--dir", &dir], &[]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    // an empty yuan.toml makes it a repository: now the files are findings (exit 1)
    std::fs::write(t.path().join("yuan.toml"), "").expect("write");
    let o = common::run(&["check", &dir, "--lang", "en"], &[]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
}

#[test]
fn several_repositories_below_is_one_line_naming_them() {
    let t = tempfile::tempdir().expect("tmp");
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good");
    for sub in ["a", "b"] {
        common::copy_dir(&good, &t.path().join(sub));
    }
    let dir = t.path().to_string_lossy().into_owned();
    let o = common::run(&["check", &dir, "--lang", "en"], &[]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    let err = stderr_of(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("holds several plan repositories"), "{err}");
    assert!(
        err.contains(&t.path().join("a").display().to_string())
            && err.contains(&t.path().join("b").display().to_string()),
        "{err}"
    );
    // naming one works
    let a = t.path().join("a").to_string_lossy().into_owned();
    let o = common::run(&["check", &a, "--lang", "en"], &[]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
}

// ---- 3. H208: an on-site plan's hazards within its comprehensive plan's scope ----

fn h208_fixture() -> Vec<(String, Vec<u8>)> {
    files_of(&fixture("bad/H208_onsite_hazard_not_in_scope"))
}

fn h208(f: &[Finding]) -> Vec<&Finding> {
    f.iter().filter(|x| x.0 == "H208").collect()
}

#[test]
fn an_onsite_hazard_the_comprehensive_plan_never_names_is_h208() {
    let f = findings(h208_fixture(), today());
    let h = h208(&f);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(h[0].1, "warning");
    assert_eq!(h[0].2, "enterprise/hd-onsite-reactor.md");
    assert_eq!(h[0].3, 10, "at the `hazards` line");
    assert!(h[0].4.contains("`electric-shock`") && h[0].4.contains("`hd-comprehensive`"));
}

#[test]
fn a_hazard_named_in_the_scope_text_as_plans_write_it_is_within_scope() {
    // Word-export style: a plain paragraph under 适用范围 listing accident types by their
    // usual names (触电 here; 火灾爆炸 and 中毒窒息 as compounds and short names)
    let files = edited(h208_fixture(), "enterprise/hd-comprehensive.md", |t| {
        t.replace(
            "火灾、爆炸等生产安全事故",
            "火灾爆炸、中毒窒息、触电、机械伤害等生产安全事故",
        )
    });
    let files = edited(files, "enterprise/hd-onsite-reactor.md", |t| {
        t.replace(
            "hazards: [fire, explosion, electric-shock]",
            "hazards: [fire, explosion, electric-shock, poisoning, machinery-injury]",
        )
    });
    let f = findings(files, today());
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn a_risk_description_section_counts_and_other_sections_do_not() {
    // 触电 named only in 应急保障: not a statement of scope, still H208
    let files = edited(h208_fixture(), "enterprise/hd-comprehensive.md", |t| {
        format!("{t}\n\n# 应急保障\n\n配备触电急救用品。\n")
    });
    assert_eq!(h208(&findings(files, today())).len(), 1);
    // named in a 事故风险描述 section (GB/T 29639-2013 style): within scope
    let files = edited(h208_fixture(), "enterprise/hd-comprehensive.md", |t| {
        format!("{t}\n\n## 事故风险描述\n\n变配电室检修作业存在触电风险。\n")
    });
    let f = findings(files, today());
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn the_comprehensive_plan_is_found_through_a_special_plan_or_the_enterprise() {
    // the sample: on-site plans under special plans, all within hd-comprehensive's hazards
    assert!(h208(&findings(sample(), today())).is_empty());
    // hd-onsite-loading (under hd-special-leak) names 触电: H208 names hd-comprehensive
    let files = edited(sample(), "enterprise/hd-chem/hd-onsite-loading.md", |t| {
        t.replace(
            "hazards: [hazchem, poisoning]",
            "hazards: [hazchem, poisoning, electric-shock]",
        )
    });
    let f = findings(files, today());
    let h = h208(&f);
    assert_eq!(h.len(), 1, "{f:#?}");
    assert!(h[0].4.contains("`hd-comprehensive`"), "{h:#?}");
    // a `parent` that leads to no comprehensive plan (H201's): through the enterprise
    let files = edited(h208_fixture(), "enterprise/hd-onsite-reactor.md", |t| {
        t.replace(
            "parent: hd-comprehensive\n",
            "parent: hd-comprehensive-2019\n",
        )
    });
    let f = findings(files, today());
    assert_eq!(h208(&f).len(), 1, "{f:#?}");
}

#[test]
fn a_broken_comprehensive_plan_gives_a_skip_note_not_h208() {
    let files = edited(h208_fixture(), "enterprise/hd-comprehensive.md", |t| {
        t.replace("version: \"2026.1\"", "version: [2026]")
    });
    let f = findings(files, today());
    assert!(h208(&f).iter().all(|x| x.1 == "info"), "{f:#?}");
    assert_eq!(h208(&f).len(), 1, "{f:#?}");
}

#[test]
fn a_scope_stated_in_general_terms_is_not_compared() {
    // "适用于公司发生的各类生产安全事故", no `hazards`: every accident is within it
    let files = edited(h208_fixture(), "enterprise/hd-comprehensive.md", |t| {
        t.replace("hazards: [fire]\n", "")
            .replace("火灾、爆炸等生产安全事故", "各类生产安全事故")
    });
    let f = findings(files, today());
    assert!(f.is_empty(), "{f:#?}");
}

/// A plan whose title cannot be read (F003) may be any plan cited in 《》: R407 says it skipped
/// the citation instead of calling it unknown.
#[test]
fn a_cited_title_is_not_unknown_while_a_plan_title_cannot_be_read() {
    let files = edited(sample(), "province/xj-geo.md", |t| {
        t.replace(
            "title: 湘江省地质灾害应急预案",
            "title: [湘江省地质灾害应急预案]",
        )
    });
    let f = findings(files, today());
    let errors = not_notes(&f);
    assert!(errors.iter().all(|x| x.0 == "F003"), "{f:#?}");
    assert!(
        f.iter().any(|x| x.0 == "R407"
            && x.1 == "info"
            && x.2 == "drills/dr-2026-xj-geo.md"
            && x.4.contains("skipped")),
        "{f:#?}"
    );
}
