//! Issue 14 §3, from the outside: month-only dates, the national level and joint issuers as
//! real plans write them. `tests/fixtures/dates/clean` (a national plan issued by 中共中央、国务院
//! in `2025-02` and a national flood plan, which name no upper plan and are filed with nobody;
//! a provincial plan and flood plan under them; a hotel's comprehensive plan whose approval page
//! says only 二〇二四年六月) must check clean; each case of [`SEEDED`] edits a copy of it and
//! must be caught (or, for a tolerance, must stay quiet) with the message a user needs.
//! Handbooks print a month as 2024年6月 and every joint issuer; JSON outputs keep `2025-03`.

mod common;

use common::{copy_dir, root, run, text_of};
use serde_json::Value;
use std::path::Path;

fn clean() -> std::path::PathBuf {
    root().join("tests/fixtures/dates/clean")
}

/// `yuan check --format json --lang LANG` of `dir`: (exit code, the diagnostics).
fn check(dir: &Path, lang: &str) -> (i32, Vec<Value>) {
    let o = run(
        &[
            "check",
            &dir.to_string_lossy(),
            "--format",
            "json",
            "--lang",
            lang,
        ],
        &[],
    );
    let json: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", text_of(&o)));
    let diags = json["diagnostics"].as_array().cloned().unwrap_or_default();
    (o.status.code().unwrap_or(-1), diags)
}

fn summary(diags: &[Value]) -> String {
    diags
        .iter()
        .map(|d| {
            format!(
                "{} {}:{} {} | {}",
                d["code"].as_str().unwrap_or(""),
                d["file"].as_str().or(d["path"].as_str()).unwrap_or(""),
                d["line"],
                d["message"].as_str().unwrap_or(""),
                d["help"].as_str().unwrap_or("")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn real_dates_levels_and_joint_issuers_check_clean() {
    let (code, diags) = check(&clean(), "en");
    assert!(diags.is_empty(), "{}", summary(&diags));
    assert_eq!(code, 0);
}

/// One seeded case: edit `file` of a copy of the clean repository (`from` → `to`, each exactly
/// once), then `code` must be reported (`fires`) with every fragment of `says` in its English
/// or Chinese message or help, or must not be reported (`!fires`).
struct Seed {
    what: &'static str,
    file: &'static str,
    from: &'static str,
    to: &'static str,
    code: &'static str,
    fires: bool,
    says: &'static [&'static str],
}

const ENT: &str = "enterprise/jinjiang-comprehensive.md";
const XJ: &str = "province/xj-overall.md";
const CN: &str = "national/cn-overall.md";
const TOML: &str = "yuan.toml";
const REG: &str = "registry/registry.yaml";

/// The omissions and tolerances of §3, each against the clean repository.
const SEEDED: &[Seed] = &[
    Seed {
        what: "filed in the month after a month-only issue: late counted from 2024-06-01",
        file: ENT,
        from: "filed_on: 2024-06-25",
        to: "filed_on: 2024-07",
        code: "D703",
        fires: true,
        says: &[
            "filed on 2024-07 (taken as its earliest day, 2024-07-01)",
            "after the deadline 2024-06-28",
            "issue on 2024-06)",
            "counted from the earliest day the value allows, 2024-06-01",
        ],
    },
    Seed {
        what: "the same in Chinese",
        file: ENT,
        from: "filed_on: 2024-06-25",
        to: "filed_on: 2024-07",
        code: "D703",
        fires: true,
        says: &["按该月最早的一天（2024-06-01）计算"],
    },
    Seed {
        what: "a provincial plan issued in a month and never filed: the deadline has passed",
        file: XJ,
        from: "dates: { issued: 2025-03-28, effective: 2025-03-28 }\nfiling: { authority: 国务院办公厅, filed_on: 2025-04-15 }\n",
        to: "dates: { issued: 2025-03, effective: 2025-03 }\n",
        code: "D703",
        fires: true,
        says: &[
            "issued on 2025-03; the filing deadline 2025-03-28 has passed but no `filing` is recorded",
            "counted from the earliest day the value allows, 2025-03-01",
        ],
    },
    Seed {
        what: "a national plan with no filing is not reported: filed with nobody",
        file: CN,
        from: "level: national",
        to: "level: national",
        code: "D703",
        fires: false,
        says: &[],
    },
    Seed {
        what: "effective a month before a month-only issue: wrong in every reading",
        file: ENT,
        from: "effective: 2024-06 }",
        to: "effective: 2024-05 }",
        code: "D701",
        fires: true,
        says: &["effective date 2024-05 is before the issue date 2024-06 (whichever days the values stand for: the latest, 2024-05-31, is still before the earliest, 2024-06-01)"],
    },
    Seed {
        what: "effective on a day of the month of a month-only issue: right in some reading",
        file: ENT,
        from: "effective: 2024-06 }",
        to: "effective: 2024-06-10 }",
        code: "D701",
        fires: false,
        says: &[],
    },
    Seed {
        what: "a month-only effective date in the month of a dated issue: right in some reading",
        file: XJ,
        from: "effective: 2025-03-28 }",
        to: "effective: 2025-03 }",
        code: "D701",
        fires: false,
        says: &[],
    },
    Seed {
        what: "a dated effective date before a dated issue is still wrong",
        file: XJ,
        from: "effective: 2025-03-28 }",
        to: "effective: 2025-03-27 }",
        code: "D701",
        fires: true,
        says: &["effective date 2025-03-27 is before the issue date 2025-03-28"],
    },
    Seed {
        what: "a month-only assessment clock runs from the first of the month",
        file: TOML,
        from: "today = \"2025-04-20\"",
        to: "today = \"2027-06-02\"",
        code: "D702",
        fires: true,
        says: &[
            "assessment overdue by 1 days (never assessed; issued 2024-06; due 2027-06-01)",
            "counted from the earliest day the value allows, 2024-06-01",
        ],
    },
    Seed {
        what: "a month-only effective date: the drill falls due from the first of the month",
        file: TOML,
        from: "today = \"2025-04-20\"",
        to: "today = \"2025-06-03\"",
        code: "E005",
        fires: true,
        says: &[
            "never drilled since it took effect on 2024-06 (counted from the earliest day the value allows, 2024-06-01)",
            "due 2025-06-01",
        ],
    },
    Seed {
        what: "a contact verified in a month goes stale counted from its first day",
        file: TOML,
        from: "today = \"2025-04-20\"",
        to: "today = \"2026-03-10\"",
        code: "C602",
        fires: true,
        says: &[
            "not verified for 374 days (last 2025-03; limit 365 days)",
            "counted from the earliest day the value allows, 2025-03-01",
        ],
    },
    Seed {
        what: "a contact verified in the current month is not in the future",
        file: REG,
        from: "verified: 2025-03",
        to: "verified: 2025-04",
        code: "C602",
        fires: false,
        says: &[],
    },
    Seed {
        what: "a contact verified in a month still to come is",
        file: REG,
        from: "verified: 2025-03",
        to: "verified: 2025-05",
        code: "C602",
        fires: true,
        says: &["verified on 2025-05, after today (2025-04-20)"],
    },
    Seed {
        what: "a province under a national jurisdiction is not the top: its overall plan needs a parent",
        file: XJ,
        from: "parent: cn-overall\n",
        to: "",
        code: "H201",
        fires: true,
        says: &[],
    },
    Seed {
        what: "a provincial special plan under a national jurisdiction needs its national plan in `links.upper`",
        file: "province/xj-flood.md",
        from: "links: { upper: [cn-flood] }\n",
        to: "",
        code: "A301",
        fires: true,
        says: &["no `links.upper`"],
    },
    Seed {
        what: "a national plan marked as a province",
        file: CN,
        from: "level: national",
        to: "level: province",
        code: "H207",
        fires: true,
        says: &["`national`"],
    },
    Seed {
        what: "a joint issuer misspelt is found at its place in the list",
        file: CN,
        from: "issuer: [zhonggong-zhongyang, guowuyuan]",
        to: "issuer: [zhonggong-zhongyang, guowuyan]",
        code: "R401",
        fires: true,
        says: &["guowuyan", "guowuyuan"],
    },
    Seed {
        what: "an empty list of issuers",
        file: CN,
        from: "issuer: [zhonggong-zhongyang, guowuyuan]",
        to: "issuer: []",
        code: "F003",
        fires: true,
        says: &["issuer"],
    },
    Seed {
        what: "a Chinese date names the form to write",
        file: ENT,
        from: "issued: 2024-06,",
        to: "issued: 二〇二四年六月,",
        code: "F003",
        fires: true,
        says: &["`dates.issued` is not a valid date", "write 2024-06:"],
    },
    Seed {
        what: "a year alone asks for the month",
        file: ENT,
        from: "issued: 2024-06,",
        to: "issued: 2024,",
        code: "F003",
        fires: true,
        says: &["a year alone is not a date", "2024-06 (YYYY-MM)"],
    },
    Seed {
        what: "a month that does not exist",
        file: ENT,
        from: "issued: 2024-06,",
        to: "issued: 2024-13,",
        code: "F003",
        fires: true,
        says: &["`dates.issued` is not a valid date", "YYYY-MM when only the month is known"],
    },
];

#[test]
fn seeded_omissions_are_caught_and_tolerances_stay_quiet() {
    let mut failures = Vec::new();
    for s in SEEDED {
        let t = tempfile::tempdir().expect("tmp");
        copy_dir(&clean(), t.path());
        let path = t.path().join(s.file);
        let text = std::fs::read_to_string(&path).expect("fixture file");
        assert_eq!(
            text.matches(s.from).count(),
            1,
            "{}: `{}` once",
            s.what,
            s.from
        );
        std::fs::write(&path, text.replacen(s.from, s.to, 1)).expect("write");
        let lang = if s.says.iter().any(|w| !w.is_ascii()) {
            "zh"
        } else {
            "en"
        };
        let (_, diags) = check(t.path(), lang);
        let hits: Vec<&Value> = diags.iter().filter(|d| d["code"] == s.code).collect();
        let ok = if s.fires {
            hits.iter().any(|d| {
                let all = format!("{} {}", d["message"], d["help"]);
                s.says.iter().all(|w| all.contains(w))
            })
        } else {
            hits.is_empty()
        };
        if !ok {
            failures.push(format!(
                "{} ({} {}):\n{}",
                s.what,
                s.code,
                if s.fires { "expected" } else { "not expected" },
                summary(&diags)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn handbooks_print_months_in_chinese_and_every_joint_issuer() {
    let out = tempfile::tempdir().expect("tmp");
    let o = run(
        &[
            "handbook",
            &clean().to_string_lossy(),
            "--out",
            &out.path().to_string_lossy(),
            "--all",
            "--format",
            "html",
        ],
        &[("SOURCE_DATE_EPOCH", "1745107200")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    let read = |id: &str| {
        std::fs::read_to_string(out.path().join(format!("{id}.html")))
            .unwrap_or_else(|e| panic!("{id}.html: {e}"))
    };
    let national = read("cn-overall");
    assert!(national.contains("中共中央、国务院"), "joint issuers");
    assert!(national.contains("2025年2月"), "month-only issue date");
    assert!(!national.contains("2025-02-01"), "no day is made up");
    let hotel = read("jinjiang-comprehensive");
    assert!(hotel.contains("2024年6月"), "approval-page month");
    assert!(hotel.contains("2025年3月"), "contact verified in a month");
    assert!(hotel.contains("2024-06-25"), "a full date stays as written");
    let province = read("xj-overall");
    assert!(
        province.contains("中共湘江省委、湘江省人民政府"),
        "joint issuers"
    );
    assert!(province.contains("2025-03-28"));
}

#[test]
fn json_outputs_keep_the_month_as_written() {
    use git2::{IndexAddOption, Repository, RepositoryInitOptions, Signature, Time};
    let t = tempfile::tempdir().expect("tmp");
    let d = t.path();
    copy_dir(&clean(), d);
    let mut opts = RepositoryInitOptions::new();
    opts.initial_head("main");
    let repo = Repository::init_opts(d, &opts).expect("init");
    let mut index = repo.index().expect("index");
    index
        .add_all(["*"].iter(), IndexAddOption::DEFAULT, None)
        .expect("add");
    index.write().expect("write index");
    let tree = repo
        .find_tree(index.write_tree().expect("tree"))
        .expect("find tree");
    let sig = Signature::new("审核人", "r@example.org", &Time::new(1_735_689_600, 480))
        .expect("signature");
    let base = repo
        .commit(Some("HEAD"), &sig, &sig, "初版", &tree, &[])
        .expect("commit");
    let head = repo.find_commit(base).expect("base");
    repo.branch("revise", &head, false).expect("branch");
    repo.set_head("refs/heads/revise").expect("checkout");
    // a major change (the command structure), re-issued in a month without a day
    let path = d.join(ENT);
    let text = std::fs::read_to_string(&path).expect("plan");
    let text = text
        .replacen(
            "dates: { issued: 2024-06, effective: 2024-06 }",
            "dates: { issued: 2025-03, effective: 2025-03 }\norganization: { command_body: 酒店应急领导小组 }",
            1,
        )
        .replacen("version: \"2024.1\"", "version: \"2025.1\"", 1);
    std::fs::write(&path, text).expect("write");
    let o = run(
        &[
            "diff",
            "-C",
            &d.to_string_lossy(),
            "--format",
            "json",
            "--lang",
            "en",
        ],
        &[],
    );
    assert!(o.status.success(), "{}", text_of(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    let doc = v["documents"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["id"] == "jinjiang-comprehensive"))
        .unwrap_or_else(|| panic!("the plan in {v:#}"))
        .clone();
    assert_eq!(doc["refiling"]["reissued"], "2025-03", "{doc:#}");
    // 20 working days counted from 2025-03-01, the earliest day the month allows
    assert_eq!(doc["refiling"]["file_by"], "2025-03-28", "{doc:#}");
}
