//! Structure as real plans write it (issue 14 §1): S501–S504 over two small repositories in the
//! style of Word-exported enterprise plans (`tests/fixtures/structure/`).
//!
//! `accepted/` holds a hotel's plans written the ways published plans are: a comprehensive plan
//! whose headings are plain lines (`第一章　总则`, `1.1 适用范围`), a kitchen-fire on-site plan with
//! a plain line and leading labels, a laundry plan of bold lines with full-width spaces, a boiler
//! plan mixing `# 一、` headings with a plain `三、应急处置` and `（一）…：` labels, and a pool plan
//! titling its clause `## 3 现场应急处置程序`, and a gas-leak plan with the titles of the
//! AQ/T 9002-2006 template on plain numbered lines (`1 事故特征`, `3.3 报警电话及上级管理部门、
//! 相关应急救援单位联络方式`). Each form must count: no S501–S503, and exactly
//! the S504 notes listed. `omissions/` is a copy with one omission seeded per document: each must
//! still be caught.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/structure")
        .join(name)
}

/// One diagnostic: (file, line, code, severity, English message).
type Finding = (String, u64, String, String, String);

fn check(dir: &Path) -> (i32, Vec<Finding>) {
    let out = Command::new(env!("CARGO_BIN_EXE_yuan"))
        .env_remove("YUAN_LANG")
        .env("NO_COLOR", "1")
        .args(["check", "--format", "json", "--lang", "en"])
        .arg(dir)
        .output()
        .expect("yuan runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let s = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    let found = json["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| {
                    (
                        s(&d["path"]),
                        d["line"].as_u64().unwrap_or(0),
                        s(&d["code"]),
                        s(&d["severity"]),
                        s(&d["message"]),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    (out.status.code().unwrap_or(-1), found)
}

/// The S504 notes expected in `accepted/`: (file, line, title written, section counted).
const NOTES: &[(&str, u64, &str, &str)] = &[
    // plain-line comprehensive plan, 第X章 and 1.1 numbering
    ("yzh-comprehensive.md", 17, "第一章　总则", "总则"),
    ("yzh-comprehensive.md", 19, "1.1 适用范围", "适用范围"),
    ("yzh-comprehensive.md", 23, "1.2 响应分级", "响应分级"),
    (
        "yzh-comprehensive.md",
        27,
        "第二章　应急组织机构及职责",
        "应急组织机构及职责",
    ),
    ("yzh-comprehensive.md", 31, "第三章　应急响应", "应急响应"),
    ("yzh-comprehensive.md", 33, "3.1 信息报告", "信息报告"),
    ("yzh-comprehensive.md", 37, "3.2 预警", "预警"),
    ("yzh-comprehensive.md", 41, "3.3 响应启动", "响应启动"),
    ("yzh-comprehensive.md", 45, "3.4 应急处置", "应急处置"),
    ("yzh-comprehensive.md", 49, "3.5 应急支援", "应急支援"),
    ("yzh-comprehensive.md", 53, "3.6 响应终止", "响应终止"),
    ("yzh-comprehensive.md", 57, "第四章　后期处置", "后期处置"),
    ("yzh-comprehensive.md", 61, "第五章　应急保障", "应急保障"),
    // kitchen fire: a plain line for the clause (a variant), labels for its parts
    (
        "yzh-onsite-kitchen-fire.md",
        23,
        "现场应急处置程序",
        "应急处置",
    ),
    (
        "yzh-onsite-kitchen-fire.md",
        25,
        "事故应急处置程序",
        "应急处置程序",
    ),
    (
        "yzh-onsite-kitchen-fire.md",
        27,
        "现场应急处置措施",
        "现场应急处置措施",
    ),
    (
        "yzh-onsite-kitchen-fire.md",
        29,
        "报警负责人及报警电话",
        "报警负责人及报警电话",
    ),
    // bold lines with full-width spaces under a title heading
    (
        "yzh-onsite-laundry.md",
        17,
        "1　事故风险描述",
        "事故风险描述",
    ),
    (
        "yzh-onsite-laundry.md",
        21,
        "2　应急工作职责",
        "应急工作职责",
    ),
    ("yzh-onsite-laundry.md", 25, "3　应急处置", "应急处置"),
    (
        "yzh-onsite-laundry.md",
        27,
        "（1）应急处置程序",
        "应急处置程序",
    ),
    (
        "yzh-onsite-laundry.md",
        31,
        "（2）现场应急处置措施",
        "现场应急处置措施",
    ),
    (
        "yzh-onsite-laundry.md",
        35,
        "（3）报警负责人及报警电话",
        "报警负责人及报警电话",
    ),
    ("yzh-onsite-laundry.md", 39, "4　注意事项", "注意事项"),
    // mixed: real `# 一、` headings, a plain `三、` line, `（一）` labels
    ("yzh-onsite-boiler.md", 23, "三、应急处置", "应急处置"),
    (
        "yzh-onsite-boiler.md",
        25,
        "（一）应急处置程序",
        "应急处置程序",
    ),
    (
        "yzh-onsite-boiler.md",
        27,
        "（二）现场应急处置措施",
        "现场应急处置措施",
    ),
    (
        "yzh-onsite-boiler.md",
        29,
        "（三）报警负责人及报警电话",
        "报警负责人及报警电话",
    ),
    // the AQ/T 9002-2006 template's titles on plain numbered lines
    ("yzh-onsite-gas.md", 17, "1 事故特征", "事故风险描述"),
    ("yzh-onsite-gas.md", 27, "2 应急组织与职责", "应急工作职责"),
    ("yzh-onsite-gas.md", 31, "3 应急处置", "应急处置"),
    (
        "yzh-onsite-gas.md",
        33,
        "3.1 事故应急处置程序",
        "应急处置程序",
    ),
    (
        "yzh-onsite-gas.md",
        37,
        "3.2 现场应急处置措施",
        "现场应急处置措施",
    ),
    (
        "yzh-onsite-gas.md",
        41,
        "3.3 报警电话及上级管理部门、相关应急救援单位联络方式",
        "报警负责人及报警电话",
    ),
    ("yzh-onsite-gas.md", 45, "4 注意事项", "注意事项"),
];

#[test]
fn plans_as_written_pass_with_notes_only() {
    let (code, found) = check(&repo("accepted"));
    let other: Vec<&Finding> = found.iter().filter(|f| f.2 != "S504").collect();
    assert!(other.is_empty(), "false alarms: {other:#?}");
    assert_eq!(code, 0, "notes do not fail the run");
    let got: BTreeSet<(String, u64)> = found
        .iter()
        .map(|f| (f.0.trim_start_matches("enterprise/").to_string(), f.1))
        .collect();
    let want: BTreeSet<(String, u64)> = NOTES.iter().map(|n| (n.0.to_string(), n.1)).collect();
    assert_eq!(got, want, "{found:#?}");
    for (file, line, written, section) in NOTES {
        let f = found
            .iter()
            .find(|f| f.0.ends_with(file) && f.1 == *line)
            .expect("listed above");
        assert_eq!(f.3, "info");
        assert!(
            f.4.contains(&format!("\"{written}\"")) && f.4.contains(&format!("\"{section}\"")),
            "{file}:{line}: {}",
            f.4
        );
    }
    // The pool plan's real heading `## 3 现场应急处置程序` is the clause: no note, no finding.
    assert!(!found.iter().any(|f| f.0.ends_with("yzh-onsite-pool.md")));
}

#[test]
fn notes_offer_the_heading_line_at_its_level() {
    let out = Command::new(env!("CARGO_BIN_EXE_yuan"))
        .env("NO_COLOR", "1")
        .args(["check", "--format", "json", "--lang", "en"])
        .arg(repo("accepted"))
        .output()
        .expect("yuan runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let help = |file: &str, line: u64| {
        json["diagnostics"]
            .as_array()
            .and_then(|a| {
                a.iter()
                    .find(|d| {
                        d["path"].as_str().unwrap_or("").ends_with(file)
                            && d["line"].as_u64() == Some(line)
                    })
                    .and_then(|d| d["help"].as_str())
            })
            .unwrap_or("")
            .to_string()
    };
    // 第X章 with no headings at all: level 1; 1.1 below it: level 2.
    assert!(help("yzh-comprehensive.md", 17).ends_with(": # 第一章　总则"));
    assert!(help("yzh-comprehensive.md", 19).ends_with(": ## 1.1 适用范围"));
    // Under the document's title heading `#`: chapters at 2, parts at 3.
    assert!(help("yzh-onsite-laundry.md", 25).ends_with(": ## 3　应急处置"));
    assert!(help("yzh-onsite-laundry.md", 27).ends_with(": ### （1）应急处置程序"));
    // Same style as the real `# 一、` headings: level 1; its labels one below.
    assert!(help("yzh-onsite-boiler.md", 23).ends_with(": # 三、应急处置"));
    assert!(help("yzh-onsite-boiler.md", 25).ends_with(": ## （一）应急处置程序"));
    // A plain line beside `## 1` headings: level 2.
    assert!(help("yzh-onsite-kitchen-fire.md", 23).ends_with(": ## 现场应急处置程序"));
}

/// The omissions seeded into `omissions/` (a copy of `accepted/`): (file, line, code, severity,
/// what the message must say). A missing section (S501) is found at the line where it belongs:
/// the heading that follows the section before it. Each must be caught, and nothing else may be reported but S504.
const SEEDED: &[(&str, u64, &str, &str, &str)] = &[
    // the chapter 第四章 后期处置 deleted from the plain-line comprehensive plan
    (
        "yzh-comprehensive.md",
        57,
        "S501",
        "error",
        "\"后期处置\" is missing",
    ),
    // no disposal at all: running text and a short unpunctuated line merely mention 应急处置
    (
        "yzh-onsite-kitchen-fire.md",
        27,
        "S501",
        "error",
        "\"应急处置\" is missing",
    ),
    // 应急处置措施 only nested under 应急工作职责
    (
        "yzh-onsite-laundry.md",
        23,
        "S501",
        "error",
        "found \"应急处置措施\" inside the section \"应急工作职责\"",
    ),
    // a label that only mentions disposal (`本岗位人员负责现场应急处置：…`) inside the duties
    (
        "yzh-onsite-boiler.md",
        25,
        "S501",
        "error",
        "\"应急处置\" is missing",
    ),
    // 注意事项 written as a label with nothing after it
    (
        "yzh-onsite-pool.md",
        35,
        "S503",
        "error",
        "\"注意事项\" has no content",
    ),
    // 注意事项 as a label before the disposal clause: order counts labels too
    (
        "yzh-onsite-lift.md",
        23,
        "S502",
        "warning",
        "\"注意事项\" should come after \"应急处置\"",
    ),
    // the lift plan's disposal clause has no procedure or measures of its own (warnings)
    (
        "yzh-onsite-lift.md",
        25,
        "S501",
        "warning",
        "\"应急处置程序\"",
    ),
    (
        "yzh-onsite-lift.md",
        25,
        "S501",
        "warning",
        "\"现场应急处置措施\"",
    ),
    // the AQ/T 9002-2006 plan with its 3.3 报警电话… line renamed away
    (
        "yzh-onsite-gas.md",
        31,
        "S501",
        "warning",
        "\"报警负责人及报警电话\" (inside \"应急处置\") is missing",
    ),
];

#[test]
fn seeded_omissions_are_still_caught() {
    let (code, found) = check(&repo("omissions"));
    assert_eq!(code, 1, "real omissions fail the run");
    for (file, line, rule, severity, says) in SEEDED {
        assert!(
            found.iter().any(|f| f.0.ends_with(file)
                && f.1 == *line
                && f.2 == *rule
                && f.3 == *severity
                && f.4.contains(says)),
            "not caught: {file}:{line} {rule} {says}\n{found:#?}"
        );
    }
    let unexpected: Vec<&Finding> = found
        .iter()
        .filter(|f| f.2 != "S504")
        .filter(|f| {
            !SEEDED
                .iter()
                .any(|s| f.0.ends_with(s.0) && f.1 == s.1 && f.2 == s.2 && f.4.contains(s.4))
        })
        .collect();
    assert!(unexpected.is_empty(), "unexpected: {unexpected:#?}");
}

#[test]
fn a_depth_finding_says_where_in_chinese_too() {
    let out = Command::new(env!("CARGO_BIN_EXE_yuan"))
        .env("NO_COLOR", "1")
        .args(["check", "--format", "json", "--lang", "zh"])
        .arg(repo("omissions"))
        .output()
        .expect("yuan runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("在“应急工作职责”章节内找到“应急处置措施”，应为独立章节"),
        "{text}"
    );
}
