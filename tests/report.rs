//! `yuan drills report` from the outside, over a copy of the sample repository: the evaluation
//! and summary report of one drill and the annual report of a year (PDF, HTML, CSV with BOM),
//! their text (insta snapshots of the CSVs and of the drill report's HTML text), an overdue
//! corrective action that is both an E004 finding and a line of the report, byte-identical
//! reruns, and the errors of a wrong drill id, organisation or argument.

mod common;

use common::pdf;
use common::{flat, plans_copy, same_files, text_of};
use std::path::Path;
use std::process::Output;

fn yuan(args: &[&str]) -> Output {
    common::run(args, &[("SOURCE_DATE_EPOCH", "1764547200")])
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn report(repo: &Path, out: &Path, args: &[&str]) -> Output {
    let mut all = vec!["drills", "report"];
    all.extend_from_slice(args);
    all.extend_from_slice(&[s(repo), "--out", s(out)]);
    yuan(&all)
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The visible text of an HTML page, one line per block, without the styles.
fn html_text(html: &str) -> String {
    let body = html.split("<body>").nth(1).unwrap_or(html);
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    out.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_drill_report_has_injects_findings_by_clause_and_actions() {
    let repo = plans_copy();
    let out = tempfile::tempdir().expect("tempdir");
    let o = report(repo.path(), out.path(), &["dr-2026-xj-geo"]);
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    let dir = out.path();
    for ext in ["pdf", "html", "csv"] {
        assert!(
            dir.join(format!("dr-2026-xj-geo-report.{ext}")).is_file(),
            "{ext}"
        );
    }
    let csv = std::fs::read(dir.join("dr-2026-xj-geo-report.csv")).expect("csv");
    assert!(
        csv.starts_with("\u{feff}".as_bytes()),
        "the CSV starts with a BOM"
    );
    insta::assert_snapshot!("xj_geo_report_csv", String::from_utf8_lossy(&csv));
    let html = read(&dir.join("dr-2026-xj-geo-report.html"));
    insta::assert_snapshot!("xj_geo_report_html_text", html_text(&html));
    // the PDF says the same
    let text = flat(&pdf::raw_text(&dir.join("dr-2026-xj-geo-report.pdf")));
    for wanted in [
        "演练评估与总结报告",
        "演练实施过程",
        "09:15",
        "乡级信息报告时限与县级预案不一致",
        "“信息报告”",
        "已完成（2026-06-18）",
        "湘江省自然资源厅",
        "基本达到演练目标。",
    ] {
        assert!(text.contains(&flat(wanted)), "the PDF lacks {wanted}");
    }
}

#[test]
fn the_annual_report_counts_drills_coverage_and_actions() {
    let repo = plans_copy();
    let out = tempfile::tempdir().expect("tempdir");
    let o = report(
        repo.path(),
        out.path(),
        &["--year", "2026", "--org", "hd-chem"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    let dir = out.path();
    let csv = std::fs::read(dir.join("annual-2026-hd-chem.csv")).expect("csv");
    assert!(csv.starts_with("\u{feff}".as_bytes()));
    insta::assert_snapshot!("annual_2026_hd_chem_csv", String::from_utf8_lossy(&csv));
    let html = html_text(&read(&dir.join("annual-2026-hd-chem.html")));
    for wanted in [
        "青溪恒达化工有限公司2026年度应急演练工作报告",
        "演练开展情况",
        "预案演练覆盖情况",
        "《甲醇/苯乙烯储罐区泄漏中毒现场处置方案》",
        "每 6 个月",
        "发现的问题和整改情况",
        "生产安全事故应急条例",
    ] {
        assert!(
            html.contains(wanted),
            "the annual report lacks {wanted}:\n{html}"
        );
    }
    // only hd-chem's drills
    assert!(!html.contains("地质灾害"), "{html}");
    let text = flat(&pdf::raw_text(&dir.join("annual-2026-hd-chem.pdf")));
    assert!(text.contains(&flat("预案演练覆盖情况")));

    // every organisation, judged on the year's end: the sample's drills of 2026 all appear
    let all = tempfile::tempdir().expect("tempdir");
    let o = report(
        repo.path(),
        all.path(),
        &["--year", "2026", "--format", "csv"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    let csv = read(&all.path().join("annual-2026.csv"));
    for id in [
        "dr-2026-xj-geo",
        "dr-2026-qx-flood",
        "dr-2026-hd-comprehensive",
    ] {
        assert!(csv.contains(id), "{id}: {csv}");
    }
    assert!(
        !all.path().join("annual-2026.pdf").exists(),
        "--format csv only"
    );
}

/// An open corrective action past its due date is an E004 error of its drill record, and a
/// line of its report ("逾期 N 天"): the report is printed all the same, with the finding
/// shown (upkeep findings never keep an output from print, as for packs: exit 0).
#[test]
fn an_overdue_action_is_reported_and_found() {
    let repo = plans_copy();
    let path = repo.path().join("drills/dr-2026-xj-geo.md");
    let text = read(&path).replace(
        "owner: qx-longtan, due: 2026-09-30, status: done, closed: 2026-09-12",
        "owner: qx-longtan, due: 2026-09-30, status: open",
    );
    std::fs::write(&path, text).expect("write");
    let out = tempfile::tempdir().expect("tempdir");
    let o = report(
        repo.path(),
        out.path(),
        &["dr-2026-xj-geo", "--format", "csv"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    assert!(text_of(&o).contains("E004"), "{}", text_of(&o));
    let csv = read(&out.path().join("dr-2026-xj-geo-report.csv"));
    assert!(csv.contains("逾期 59 天（截至 2026-11-28）"), "{csv}");
    // the annual report counts it
    let o = report(
        repo.path(),
        out.path(),
        &["--year", "2026", "--format", "html"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    assert!(text_of(&o).contains("E004"), "{}", text_of(&o));
    let html = html_text(&read(&out.path().join("annual-2026.html")));
    assert!(html.contains("逾期未完成 1 项"), "{html}");
    assert!(html.contains("督促青溪县龙潭乡人民政府完成"), "{html}");
}

#[test]
fn reruns_give_the_same_bytes() {
    let repo = plans_copy();
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    for dir in [a.path(), b.path()] {
        let o = report(repo.path(), dir, &["dr-2026-hd-comprehensive"]);
        assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    }
    assert_eq!(
        same_files(a.path(), b.path()),
        [
            "dr-2026-hd-comprehensive-report.csv",
            "dr-2026-hd-comprehensive-report.html",
            "dr-2026-hd-comprehensive-report.pdf",
            "yuan-manifest.json"
        ]
    );
}

#[test]
fn wrong_ids_and_arguments_are_errors_with_help() {
    let repo = plans_copy();
    let out = tempfile::tempdir().expect("tempdir");
    let o = yuan(&[
        "--lang",
        "en",
        "drills",
        "report",
        "dr-2026-xj-gio",
        s(repo.path()),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text_of(&o));
    assert!(text_of(&o).contains("no drill record has the id dr-2026-xj-gio"));
    assert!(
        text_of(&o).contains("dr-2026-xj-geo"),
        "did you mean: {}",
        text_of(&o)
    );
    // and the pack offers the same
    let o = yuan(&[
        "--lang",
        "en",
        "drills",
        "pack",
        "dr-2026-hd-comprehensiv",
        s(repo.path()),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text_of(&o).contains("dr-2026-hd-comprehensive"),
        "{}",
        text_of(&o)
    );

    let o = report(
        repo.path(),
        out.path(),
        &["--year", "2026", "--org", "hd-chen"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text_of(&o));
    assert!(
        text_of(&o).contains("hd-chem"),
        "did you mean: {}",
        text_of(&o)
    );

    let o = yuan(&[
        "drills",
        "report",
        "--year",
        "2026",
        "dr-2026-xj-geo",
        s(repo.path()),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text_of(&o));
    let o = yuan(&["drills", "report"]);
    assert_eq!(o.status.code(), Some(2), "{}", text_of(&o));
    assert!(std::fs::read_dir(out.path()).expect("out").next().is_none());
}

/// The report groups findings by their plan clause, so a finding's clause must be one the plan
/// has (E001, as for corrective actions); a real clause, a plain line or a heading, passes.
#[test]
fn a_finding_clause_the_plan_lacks_is_e001() {
    let repo = plans_copy();
    let path = repo.path().join("drills/dr-2026-xj-geo.md");
    let text = read(&path).replace(
        "severity: minor, clause: 预警发布 }",
        "severity: minor, clause: 预警叫应 }",
    );
    std::fs::write(&path, text).expect("write");
    let o = yuan(&["check", s(repo.path()), "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1), "{}", text_of(&o));
    let t = text_of(&o);
    assert!(
        t.contains("error[E001]: no exercised plan (xj-geo) has a clause \"预警叫应\""),
        "{t}"
    );
    assert!(t.contains("1 error, 0 warnings"), "{t}");
}

/// A drill record that fails its schema (a start time written `9点半`) is F003 at its line, and
/// no report is printed from it (exit 1); the time written `9:30` passes.
#[test]
fn a_drill_record_that_fails_its_schema_prints_no_report() {
    let repo = plans_copy();
    let path = repo.path().join("drills/dr-2026-xj-geo.md");
    let good = read(&path);
    std::fs::write(&path, good.replace("start: \"09:00\"", "start: 9点半")).expect("write");
    let out = tempfile::tempdir().expect("tempdir");
    let o = report(repo.path(), out.path(), &["dr-2026-xj-geo"]);
    assert_eq!(o.status.code(), Some(1), "{}", text_of(&o));
    let t = text_of(&o);
    assert!(
        t.contains("F003") && t.contains("dr-2026-xj-geo.md:14"),
        "{t}"
    );
    assert!(!out.path().join("dr-2026-xj-geo-report.pdf").exists());
    std::fs::write(&path, good.replace("start: \"09:00\"", "start: 9:30")).expect("write");
    let o = report(
        repo.path(),
        out.path(),
        &["dr-2026-xj-geo", "--format", "html"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    let html = read(&out.path().join("dr-2026-xj-geo-report.html"));
    assert!(html.contains("09:45"), "9:30 + 15 minutes");
}
