//! The realistic corpus (`tests/realistic/`): a small plan repository written in the style of
//! real published plans, not for yuan. Word-exported structure (plain lines and bold paragraphs
//! for headings, labels such as `现场应急处置措施：`, mixed numbering), month-only dates, a
//! national plan above a province, joint issuers, one enterprise plan in seven parts sharing
//! its front matter through `_defaults.yaml`, and upper plans kept by other authorities
//! (`registry/external.yaml`).
//!
//! Two promises are tested. The corpus checks with **no** warning and no error: each false
//! alarm found by trying published plans is a case here. And each omission of [`SEEDED`],
//! written into a copy, is caught by the rule named, at the file named: loosening must not let
//! real gaps through.

mod common;

use common::{copy_dir, root, run};
use serde_json::Value;
use std::path::Path;

fn corpus() -> std::path::PathBuf {
    root().join("tests/realistic")
}

/// Exit code and diagnostics of `yuan check --format json` on `dir`.
fn check(dir: &Path) -> (i32, Vec<Value>) {
    let dir = dir.to_str().expect("utf-8 path");
    let o = run(
        &[
            "check",
            "--format",
            "json",
            "--lang",
            "en",
            "--no-cache",
            dir,
        ],
        &[],
    );
    let json: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    let diags = json["diagnostics"].as_array().cloned().unwrap_or_default();
    (o.status.code().unwrap_or(-1), diags)
}

/// The findings, notes left out.
fn show(diags: &[Value]) -> String {
    diags
        .iter()
        .filter(|d| d["severity"] != "info")
        .map(|d| {
            format!(
                "{} {} {}:{} {}",
                d["severity"].as_str().unwrap_or(""),
                d["code"].as_str().unwrap_or(""),
                d["path"].as_str().unwrap_or(""),
                d["line"],
                d["message"].as_str().unwrap_or("")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_corpus_checks_without_a_false_alarm() {
    let (code, diags) = check(&corpus());
    let alarms: Vec<Value> = diags
        .iter()
        .filter(|d| d["severity"] != "info")
        .cloned()
        .collect();
    assert!(alarms.is_empty(), "false alarms:\n{}", show(&alarms));
    assert_eq!(code, 0, "{}", show(&diags));
}

/// One omission seeded into a copy of the corpus: in `file`, `from` becomes `to` (which must
/// occur once), and the check must report `code` at `at` (a path relative to the corpus).
struct Seeded {
    what: &'static str,
    file: &'static str,
    from: &'static str,
    to: &'static str,
    code: &'static str,
    at: &'static str,
    /// Nothing else is reported (notes aside): the omission, not knock-on findings.
    only: bool,
}

const SEEDED: &[Seeded] = &[
    // ------------------------------------------------- structure (GB/T 29639-2020 §8)
    Seeded {
        what: "an on-site plan without 注意事项 (§8.4)",
        file: "enterprise/jinwan/onsite/jw-onsite-kitchen-fire.md",
        from: "四、注意事项",
        to: "四、其他",
        code: "S501",
        at: "enterprise/jinwan/onsite/jw-onsite-kitchen-fire.md",
        only: true,
    },
    Seeded {
        what: "its disposal parts kept, the 应急处置 line itself gone (§8.3)",
        file: "enterprise/jinwan/onsite/jw-onsite-kitchen-fire.md",
        from: "三、应急处置\n",
        to: "三、其他\n",
        code: "S501",
        at: "enterprise/jinwan/onsite/jw-onsite-kitchen-fire.md",
        only: false,
    },
    Seeded {
        what: "the disposal chapter of a bold-line plan renamed away",
        file: "enterprise/jinwan/onsite/jw-onsite-electric.md",
        from: "**三、现场应急处置程序**",
        to: "**三、其他要求**",
        code: "S501",
        at: "enterprise/jinwan/onsite/jw-onsite-electric.md",
        only: false,
    },
    Seeded {
        what: "应急处置 only as a sub-section of 应急工作职责 (depth)",
        file: "enterprise/jinwan/onsite/jw-onsite-elevator.md",
        from: "\n# 3 应急处置\n",
        to: "\n## 3 应急处置\n",
        code: "S501",
        at: "enterprise/jinwan/onsite/jw-onsite-elevator.md",
        only: false,
    },
    Seeded {
        what: "a heading section emptied of its text",
        file: "enterprise/jinwan/onsite/jw-onsite-gas.md",
        from: "当班负责人负责报警。工程部值班室0736-5218123，燃气公司抢修电话0736-96777，火警119，急救120。",
        to: "",
        code: "S503",
        at: "enterprise/jinwan/onsite/jw-onsite-gas.md",
        only: false,
    },
    // ------------------------------------------------- plans outside the repository
    Seeded {
        what: "another city's bridge-and-tunnel plan as the hotel's upper plan",
        file: "enterprise/jinwan/jw-comprehensive.md",
        from: "upper: [ap-work-safety]",
        to: "upper: [hx-bridge]",
        code: "A301",
        at: "enterprise/jinwan/jw-comprehensive.md",
        only: true,
    },
    Seeded {
        what: "an upper plan that is neither here nor registered",
        file: "enterprise/jinwan/jw-comprehensive.md",
        from: "upper: [ap-work-safety]",
        to: "upper: [ap-work-safty]",
        code: "R401",
        at: "enterprise/jinwan/jw-comprehensive.md",
        only: false,
    },
    Seeded {
        what: "a provincial special plan with no national plan above it",
        file: "province/jc-flood.md",
        from: "upper: [cn-flood]",
        to: "upper: []",
        code: "A301",
        at: "province/jc-flood.md",
        only: true,
    },
    Seeded {
        what: "a provincial overall plan under a national jurisdiction without its parent",
        file: "province/jc-overall.md",
        from: "parent: cn-overall\n",
        to: "",
        code: "H201",
        at: "province/jc-overall.md",
        only: true,
    },
    Seeded {
        what: "a cited plan title that matches no plan (a misremembered title)",
        file: "enterprise/jinwan/jw-comprehensive.md",
        from: "《安平县生产安全事故应急预案》",
        to: "《安平县安全生产事故应急预案》",
        code: "R407",
        at: "enterprise/jinwan/jw-comprehensive.md",
        only: true,
    },
    // ------------------------------------------------- shared front matter and dates
    Seeded {
        what: "an effective date before the (month-only) issue date, written once for all parts",
        file: "enterprise/jinwan/_defaults.yaml",
        from: "effective: 2024-07-01",
        to: "effective: 2024-05-20",
        code: "D701",
        at: "enterprise/jinwan/_defaults.yaml",
        only: true,
    },
    Seeded {
        what: "filing months after a month-only issue date",
        file: "enterprise/jinwan/_defaults.yaml",
        from: "filed_on: 2024-06-25",
        to: "filed_on: 2024-09-30",
        code: "D703",
        at: "enterprise/jinwan/_defaults.yaml",
        only: true,
    },
    // ------------------------------------------------- vocabulary, drills, knock-on
    Seeded {
        what: "an on-site plan's hazard outside its comprehensive plan's scope",
        file: "enterprise/jinwan/onsite/jw-onsite-elevator.md",
        from: "hazards: [special-equipment]",
        to: "hazards: [special-equipment, drowning]",
        code: "H208",
        at: "enterprise/jinwan/onsite/jw-onsite-elevator.md",
        only: true,
    },
    Seeded {
        what: "an on-site plan of a crowded place left out of the half-year drill",
        file: "drills/dr-2026-jw-onsite-h2.md",
        from: "  - plan: jw-onsite-gas\n",
        to: "",
        code: "E005",
        at: "enterprise/jinwan/onsite/jw-onsite-gas.md",
        only: false,
    },
    // ------------------------------------------------- a special plan in the national plans' order
    Seeded {
        what: "a special plan without its 综合保障 chapter (办法 2013 Art. 8)",
        file: "province/jc-forest-fire.md",
        from: "**7　综合保障**",
        to: "**7　其他事项**",
        code: "S501",
        at: "province/jc-forest-fire.md",
        only: true,
    },
    Seeded {
        what: "its response before its warning: still out of order (only 保障 and 后期 swap)",
        file: "province/jc-forest-fire.md",
        from: "**4　处置力量**",
        to: "**4　应急响应**",
        code: "S502",
        at: "province/jc-forest-fire.md",
        only: false,
    },
    Seeded {
        what: "a plan the text still follows, not repealed: cited but unknown",
        file: "province/jc-forest-fire.md",
        from: "同时废止",
        to: "同时参照执行",
        code: "R407",
        at: "province/jc-forest-fire.md",
        only: true,
    },
    Seeded {
        what: "one field of the wrong type: the root cause once, no knock-on finding",
        file: "enterprise/jinwan/jw-special-food.md",
        from: "hazards: [poisoning]",
        to: "hazards: poisoning",
        code: "F003",
        at: "enterprise/jinwan/jw-special-food.md",
        only: true,
    },
];

#[test]
fn every_seeded_omission_is_caught() {
    let mut missed = Vec::new();
    for s in SEEDED {
        let tmp = tempfile::tempdir().expect("tempdir");
        copy_dir(&corpus(), tmp.path());
        let path = tmp.path().join(s.file);
        let text = std::fs::read_to_string(&path).expect("seeded file");
        assert_eq!(
            text.matches(s.from).count(),
            1,
            "{}: `{}` must occur once in {}",
            s.what,
            s.from,
            s.file
        );
        std::fs::write(&path, text.replacen(s.from, s.to, 1)).expect("write");
        let (code, diags) = check(tmp.path());
        let found = diags
            .iter()
            .find(|d| d["code"] == s.code && d["path"] == s.at);
        let caught = found.is_some();
        // an error fails the check (exit 1); a warning alone does not
        let want = if found.is_some_and(|d| d["severity"] == "error") {
            1
        } else {
            0
        };
        let others: Vec<Value> = diags
            .iter()
            .filter(|d| d["severity"] != "info" && d["code"] != s.code)
            .cloned()
            .collect();
        if !caught || (code != want && others.is_empty()) || (s.only && !others.is_empty()) {
            missed.push(format!(
                "{} ({} at {}, exit {code}):\n{}",
                s.what,
                s.code,
                s.at,
                show(&diags)
            ));
        }
    }
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n\n"));
}

/// A Word-style plan's sections are plain lines, bold lines and labels: the handbook prints the
/// ones `yuan check` takes for sections as headings, so they are in its contents and the PDF's
/// bookmarks as a Markdown heading would be, and the label's text stays in the book.
#[test]
fn the_handbook_of_a_word_style_plan_has_its_sections_as_headings() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().to_str().expect("utf-8");
    let dir = corpus();
    let o = run(
        &[
            "handbook",
            dir.to_str().expect("utf-8"),
            "--plan",
            "jw-onsite-electric",
            "--format",
            "html",
            "--out",
            out,
        ],
        &[],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(tmp.path().join("jw-onsite-electric.html")).expect("html");
    let heads: Vec<String> = regex::Regex::new(r"(?s)<h[2-4][^>]*>(.*?)</h[2-4]>")
        .expect("regex")
        .captures_iter(&html)
        .map(|c| {
            regex::Regex::new("<[^>]*>")
                .expect("re")
                .replace_all(&c[1], "")
                .trim()
                .to_string()
        })
        .collect();
    for want in [
        "一、事故风险描述",
        "二、应急工作职责",
        "现场应急处置措施",
        "四、注意事项",
    ] {
        assert!(
            heads.iter().any(|h| h == want),
            "{want} not a heading: {heads:#?}"
        );
    }
    // the label's own text is printed after its heading
    assert!(html.contains("立即拉下电源开关"), "label text lost");
}
