//! `yuan drills schedule`, public edition against coordinators' edition (issue 16): every public
//! output (ICS, CSV, JSON, HTML, PDF) is read back and searched for each double-blind drill's
//! date (directly, from the latest dates and UIDs minus the cadence, from the gaps between the
//! listed drills of its plan); none is found, and the coordinators' edition still has them.
//! Then the margin before the due date (`[drills] slack_days`), organisation names and places
//! in the ICS and CSV, `--org` and `--months 0`.

mod common;

use chrono::{Months, NaiveDate};
use common::pdf;
use common::{copy_dir, flat, root, run, text_of};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|_| panic!("date {s}"))
}

/// A copy of the sample with extra drill records under drills/extra/ and extra `[drills]`
/// settings.
fn sample_with(records: &[(&str, &str)], toml: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("plans"), tmp.path());
    std::fs::create_dir_all(tmp.path().join("drills/extra")).expect("mkdir");
    for (id, body) in records {
        std::fs::write(
            tmp.path().join(format!("drills/extra/{id}.md")),
            format!("---\nid: {id}\nkind: drill\n{body}---\n"),
        )
        .expect("write drill");
    }
    if !toml.is_empty() {
        // settings of `[drills]`, which the sample's yuan.toml already opens
        let t = std::fs::read_to_string(tmp.path().join("yuan.toml")).expect("toml");
        assert!(t.contains("\n[drills]\n"));
        let t = t.replacen("\n[drills]\n", &format!("\n[drills]\n{toml}\n"), 1);
        std::fs::write(tmp.path().join("yuan.toml"), t).expect("write toml");
    }
    tmp
}

/// The sample with two double-blind drills on record (an on-site plan of the enterprise and a
/// county plan), written as a coordinator would, and a public drill whose place has a comma, a
/// semicolon and a line break.
fn blind_fixture() -> tempfile::TempDir {
    sample_with(
        &[
            (
                "dr-2027-hd-reactor-h1",
                "title: 聚合车间反应釜飞温双盲演练\nplans:\n  - plan: hd-onsite-reactor\nform: live\ncontent: single\nblind: double\nstatus: planned\ndate: 2027-01-20\nplace: 聚合车间2#反应釜区\norganizer: hd-chem\n",
            ),
            (
                "dr-2027-qx-flood-blind",
                "title: 青溪县防汛应急响应双盲拉动\nplans:\n  - plan: qx-flood\nform: live\ncontent: comprehensive\nblind: double\nstatus: planned\ndate: 2027-04-07\nplace: 青溪县防汛抗旱指挥部\norganizer: qx-gov\n",
            ),
            (
                "dr-2027-hd-loading-h1",
                "title: 槽车装卸泄漏处置演练\nplans:\n  - plan: hd-onsite-loading\nform: live\ncontent: single\nstatus: planned\ndate: 2027-03-24\nplace: \"储运车间装卸站台, 3号鹤位; 东门\\n集合点：消防泵房前\"\norganizer: hd-chem\n",
            ),
        ],
        "",
    )
}

fn schedule(repo: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "drills",
        "schedule",
        repo.to_str().expect("utf-8"),
        "--from",
        "2027-01",
        "--months",
        "24",
        "--out",
        out.to_str().expect("utf-8"),
        "--lang",
        "en",
    ];
    args.extend_from_slice(extra);
    run(&args, &[("SOURCE_DATE_EPOCH", "1795000000")])
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).expect("json")).expect("JSON")
}

fn read(path: &Path) -> String {
    String::from_utf8(std::fs::read(path).expect("read")).expect("utf-8")
}

/// Every date written `YYYY-MM-DD` or `YYYYMMDD` in a text.
fn dates_in(text: &str) -> BTreeSet<NaiveDate> {
    let b = text.as_bytes();
    let mut out = BTreeSet::new();
    let digits = |i: usize, n: usize| {
        b.get(i..i + n)
            .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
    };
    for i in 0..b.len() {
        if i > 0 && b[i - 1].is_ascii_digit() {
            continue;
        }
        let s = |a: usize, n: usize| std::str::from_utf8(&b[a..a + n]).unwrap_or("");
        if digits(i, 4)
            && b.get(i + 4) == Some(&b'-')
            && digits(i + 5, 2)
            && b.get(i + 7) == Some(&b'-')
            && digits(i + 8, 2)
        {
            if let Ok(x) = NaiveDate::parse_from_str(s(i, 10), "%Y-%m-%d") {
                out.insert(x);
            }
        } else if digits(i, 8) && !b.get(i + 8).is_some_and(u8::is_ascii_digit) {
            if let Ok(x) = NaiveDate::parse_from_str(s(i, 8), "%Y%m%d") {
                out.insert(x);
            }
        }
    }
    out
}

/// Unfolds RFC 5545 content lines (CRLF + one space or tab continues a line).
fn unfold(ics: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for l in ics.split("\r\n") {
        match l.strip_prefix([' ', '\t']) {
            Some(rest) if !lines.is_empty() => {
                if let Some(last) = lines.last_mut() {
                    last.push_str(rest);
                }
            }
            _ => lines.push(l.to_string()),
        }
    }
    lines
}

/// The events of an ICS text: property name (without parameters) -> value.
fn events(ics: &str) -> Vec<BTreeMap<String, String>> {
    let mut out = Vec::new();
    let mut cur: Option<BTreeMap<String, String>> = None;
    for l in unfold(ics) {
        if l == "BEGIN:VEVENT" {
            cur = Some(BTreeMap::new());
        } else if l == "END:VEVENT" {
            out.extend(cur.take());
        } else if let (Some(e), Some((k, v))) = (cur.as_mut(), l.split_once(':')) {
            let name = k.split(';').next().unwrap_or(k).to_string();
            e.insert(name, v.to_string());
        }
    }
    out
}

/// The rows of a CSV file as a spreadsheet reads them (BOM dropped), header first.
fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let text = read(path);
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    r.records()
        .map(|x| x.expect("record").iter().map(String::from).collect())
        .collect()
}

/// Required interval of every plan, from `yuan drills status`.
fn intervals(repo: &Path) -> BTreeMap<String, u32> {
    let o = run(
        &[
            "drills",
            "status",
            repo.to_str().expect("utf-8"),
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    v["plans"]
        .as_array()
        .expect("plans")
        .iter()
        .map(|p| {
            (
                p["plan"].as_str().expect("plan").to_string(),
                p["interval_months"].as_u64().expect("months") as u32,
            )
        })
        .collect()
}

#[derive(Debug, Clone)]
struct Drill {
    plan: String,
    date: NaiveDate,
    due: NaiveDate,
    uid: String,
}

fn drills(v: &Value) -> Vec<Drill> {
    v["slots"]
        .as_array()
        .expect("slots")
        .iter()
        .map(|s| Drill {
            plan: s["plan"].as_str().expect("plan").to_string(),
            date: d(s["date"].as_str().expect("date")),
            due: d(s["due"].as_str().expect("due")),
            uid: s["uid"].as_str().expect("uid").to_string(),
        })
        .collect()
}

fn plus(x: NaiveDate, m: u32) -> NaiveDate {
    x.checked_add_months(Months::new(m)).expect("date")
}
fn minus(x: NaiveDate, m: u32) -> NaiveDate {
    x.checked_sub_months(Months::new(m)).expect("date")
}

/// Every date an attacker would derive for plan `plan` from dates tied to it in a public output:
/// the date itself, one interval before or after, and the same with the 30-day margin.
fn guesses(tied: impl IntoIterator<Item = NaiveDate>, m: u32) -> BTreeSet<NaiveDate> {
    let slack = chrono::Days::new(30);
    tied.into_iter()
        .flat_map(|x| {
            [
                x,
                minus(x, m),
                plus(x, m),
                minus(x, m) + slack,
                plus(x, m) - slack,
            ]
        })
        .collect()
}

/// Runs the whole attack on one repository.
fn no_hidden_date_is_recoverable(repo: &Path) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let o = schedule(repo, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    let every = intervals(repo);
    let coord = drills(&json(&out.join("schedule-coordinators.json")));
    let public_json = json(&out.join("schedule.json"));
    let public = drills(&public_json);
    let hidden: Vec<&Drill> = coord
        .iter()
        .filter(|x| !public.iter().any(|p| p.uid == x.uid))
        .collect();
    let coord_json = json(&out.join("schedule-coordinators.json"));
    let blind_uids: BTreeSet<&str> = coord_json["slots"]
        .as_array()
        .expect("slots")
        .iter()
        .filter(|s| s["double_blind"] == true)
        .map(|s| s["uid"].as_str().expect("uid"))
        .collect();
    assert!(!hidden.is_empty(), "the schedule has double-blind drills");
    assert_eq!(
        hidden
            .iter()
            .map(|h| h.uid.as_str())
            .collect::<BTreeSet<_>>(),
        blind_uids,
        "the public JSON leaves out exactly the double-blind drills"
    );
    assert!(public_json["slots"]
        .as_array()
        .expect("slots")
        .iter()
        .all(|s| s["double_blind"] == false));
    let public_days: BTreeSet<NaiveDate> = public.iter().map(|p| p.date).collect();

    // The public files as text, and the dates tied to each plan in the structured ones.
    let ics = read(&out.join("drills.ics"));
    let csv = csv_rows(&out.join("drills.csv"));
    let files: Vec<(&str, String)> = vec![
        ("drills.ics", unfold(&ics).join("\n")),
        (
            "drills.csv",
            csv.iter()
                .map(|r| r.join(","))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        ("schedule.json", read(&out.join("schedule.json"))),
        ("schedule.html", read(&out.join("schedule.html"))),
        ("schedule.pdf", pdf::text(&out.join("schedule.pdf"))),
    ];
    let mut tied: BTreeMap<String, BTreeSet<NaiveDate>> = BTreeMap::new();
    for e in events(&ics) {
        let desc = e.get("DESCRIPTION").cloned().unwrap_or_default();
        let Some(plan) = desc
            .split("\\n")
            .find_map(|l| l.strip_prefix("预案 Plan: "))
            .map(|p| p.split("\\,").next().unwrap_or(p).trim().to_string())
        else {
            panic!("event without its plan: {e:?}")
        };
        let mine = tied.entry(plan).or_default();
        for v in e.values() {
            mine.extend(dates_in(v));
        }
    }
    for row in csv.iter().skip(1) {
        let mine = tied.entry(row[1].clone()).or_default();
        mine.extend(row.iter().flat_map(|c| dates_in(c)));
    }
    for p in &public {
        tied.entry(p.plan.clone())
            .or_default()
            .extend([p.date, p.due]);
    }

    for h in &hidden {
        let m = every.get(&h.plan).copied().unwrap_or(6);
        let ymd = h.date.format("%Y%m%d").to_string();
        for (name, text) in &files {
            assert!(
                !text.contains(&h.uid),
                "{name} names the hidden drill {h:?}"
            );
            // its day may appear only as the day of a public drill, or as a date of another
            // plan's drill (counted from that plan's own drills, it says nothing of this one)
            let others = tied
                .iter()
                .any(|(p, days)| *p != h.plan && days.contains(&h.date));
            if !public_days.contains(&h.date) && !others {
                assert!(
                    !dates_in(text).contains(&h.date) && !text.contains(&ymd),
                    "{name} shows the day of the hidden drill {h:?}"
                );
            }
        }
        // Latest dates and UIDs of the plan's listed drills, minus (or plus) the cadence.
        let mine = tied.get(&h.plan).cloned().unwrap_or_default();
        assert!(
            !guesses(mine.iter().copied(), m).contains(&h.date),
            "the dates tied to {} in the public files give away {h:?}: {mine:?}",
            h.plan
        );
        // Gaps: the listed drills of the plan before and after it.
        let mut listed: Vec<NaiveDate> = public
            .iter()
            .filter(|p| p.plan == h.plan)
            .map(|p| p.date)
            .collect();
        listed.sort();
        let before = listed.iter().rev().find(|x| **x < h.date).copied();
        let after = listed.iter().find(|x| **x > h.date).copied();
        if let (Some(a), Some(c)) = (before, after) {
            let mid = a + chrono::Days::new(((c - a).num_days() / 2) as u64);
            assert_ne!(mid, h.date, "midpoint of {a} and {c} gives away {h:?}");
        }
        assert!(
            !guesses(before.into_iter().chain(after), m).contains(&h.date),
            "the gap around {h:?} gives it away ({before:?}, {after:?})"
        );
    }

    // The coordinators' edition still has every one, in every output.
    let coord_ics = events(&read(&out.join("drills-coordinators.ics")));
    let coord_csv = csv_rows(&out.join("drills-coordinators.csv"));
    let coord_html = read(&out.join("schedule-coordinators.html"));
    let coord_pdf = flat(&pdf::text(&out.join("schedule-coordinators.pdf")));
    for h in &hidden {
        let uid = format!("{}@yuan-drills", h.uid);
        let e = coord_ics
            .iter()
            .find(|e| e.get("UID") == Some(&uid))
            .unwrap_or_else(|| panic!("{h:?} not in the coordinators' ICS"));
        assert_eq!(e.get("CLASS").map(String::as_str), Some("CONFIDENTIAL"));
        assert!(e
            .get("DTSTART")
            .is_some_and(|v| v.starts_with(&h.date.format("%Y%m%d").to_string())));
        assert!(
            coord_csv
                .iter()
                .any(|r| r[0] == h.date.to_string() && r[1] == h.plan && r[10] == "是 yes"),
            "{h:?} not in the coordinators' CSV"
        );
        assert!(coord_html.contains(&format!("id=\"{}\"", h.uid)), "{h:?}");
        assert!(coord_pdf.contains(&h.date.to_string()), "{h:?}");
    }
}

#[test]
fn the_sample_public_edition_hides_its_double_blind_drills() {
    no_hidden_date_is_recoverable(&root().join("plans"));
}

#[test]
fn double_blind_drills_on_record_leave_no_trace_in_the_public_edition() {
    let tmp = blind_fixture();
    no_hidden_date_is_recoverable(tmp.path());
    // Moving a double-blind drill on record changes nothing in the public edition.
    let moved = blind_fixture();
    let p = moved.path().join("drills/extra/dr-2027-hd-reactor-h1.md");
    let text = read(&p).replace("date: 2027-01-20", "date: 2027-02-17");
    std::fs::write(&p, text).expect("write");
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    for (repo, out) in [(tmp.path(), a.path()), (moved.path(), b.path())] {
        let o = schedule(repo, out, &["--format", "ics,csv,json,html"]);
        assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    }
    for f in ["drills.ics", "drills.csv", "schedule.json", "schedule.html"] {
        assert_eq!(
            read(&a.path().join(f)),
            read(&b.path().join(f)),
            "{f} changes when the double-blind drill moves"
        );
    }
    assert_ne!(
        read(&a.path().join("schedule-coordinators.json")),
        read(&b.path().join("schedule-coordinators.json"))
    );
}

#[test]
fn drills_are_placed_a_margin_before_they_fall_due() {
    let on_due = |repo: &Path, extra: &[&str]| -> (usize, usize, String) {
        let tmp = tempfile::tempdir().expect("tempdir");
        let o = schedule(repo, tmp.path(), &[&["--format", "json"], extra].concat());
        assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
        let all = json(&tmp.path().join("schedule-coordinators.json"));
        let slots = all["slots"].as_array().expect("slots");
        let n = slots
            .iter()
            .filter(|s| s["record"].is_null() && s["date"] == s["due"])
            .count();
        (n, slots.len(), text_of(&o))
    };
    // Without the margin (slack_days = 0) many proposals sit on their due date.
    let tight = sample_with(&[], "slack_days = 0");
    let (a, total_a, _) = on_due(tight.path(), &[]);
    assert!(
        a * 4 >= total_a,
        "{a} of {total_a} on their due date without a margin"
    );
    // With the default 30 days, only the one the constraints pin there: xj-flood, due
    // 2027-03-18, whose flood season opens on 03-01.
    let (b, total_b, text) = on_due(&root().join("plans"), &[]);
    assert!(b * 10 < total_b, "{b} of {total_b} on their due date");
    assert!(
        text.contains("1 drill(s) less than 30 days before they fall due"),
        "{text}"
    );
    assert!(
        text.contains(
            "warning: the drill of xj-flood on 2027-03-18 is only 0 days before it falls due"
        ),
        "{text}"
    );
    // Chinese too.
    let tmp = tempfile::tempdir().expect("tempdir");
    let o = run(
        &[
            "drills",
            "schedule",
            root().join("plans").to_str().expect("utf-8"),
            "--from",
            "2027-01",
            "--format",
            "json",
            "--out",
            tmp.path().to_str().expect("utf-8"),
            "--lang",
            "zh",
        ],
        &[],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("警告：xj-flood 的演练安排在 2027-03-18，距最迟日期仅 0 天"),
        "{err}"
    );
    // A value out of range is reported where it is written, and the default applies.
    let bad = sample_with(&[], "slack_days = 400");
    let o = run(
        &["check", bad.path().to_str().expect("utf-8"), "--lang", "en"],
        &[],
    );
    let t = text_of(&o);
    assert!(
        t.contains("[drills] slack_days") && t.contains("0–180"),
        "{t}"
    );
}

#[test]
fn calendars_and_tables_name_organisations_and_places() {
    let tmp = blind_fixture();
    let out = tempfile::tempdir().expect("tempdir");
    let o = schedule(tmp.path(), out.path(), &["--format", "ics,csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    let raw = read(&out.path().join("drills.ics"));
    // the calendar crate the unit tests use reads it, LOCATION included
    {
        use icalendar::{Calendar, EventLike};
        let cal: Calendar = raw.parse().expect("icalendar parses the public calendar");
        let evs: Vec<_> = cal.components.iter().filter_map(|c| c.as_event()).collect();
        assert!(!evs.is_empty());
        for e in &evs {
            assert!(e.get_location().is_some_and(|l| !l.is_empty()), "{e:?}");
        }
    }
    let evs = events(&raw);
    let loading = evs
        .iter()
        .find(|e| {
            e.get("UID")
                .is_some_and(|u| u.starts_with("dr-2027-hd-loading-h1"))
        })
        .expect("the planned loading drill");
    // RFC 5545 §3.3.11: comma, semicolon and line end escaped
    assert_eq!(
        loading.get("LOCATION").map(String::as_str),
        Some("储运车间装卸站台\\, 3号鹤位\\; 东门\\n集合点：消防泵房前")
    );
    assert!(
        raw.contains("LOCATION:储运车间装卸站台\\, 3号鹤位\\; 东门\\n"),
        "escaped on the wire"
    );
    // proposals are held at the organising unit, named
    let names: BTreeSet<&str> = [
        "青溪恒达化工有限公司",
        "云州市人民政府",
        "青溪县人民政府",
        "湘江省人民政府",
    ]
    .into_iter()
    .collect();
    for e in &evs {
        let desc = e.get("DESCRIPTION").expect("description");
        let org = desc
            .split("\\n")
            .find_map(|l| l.strip_prefix("组织单位 Organiser: "))
            .expect("organiser");
        assert!(!org.is_ascii(), "the organiser is a name, not an id: {org}");
        if e.get("UID").is_some_and(|u| !u.starts_with("dr-")) {
            assert_eq!(e.get("LOCATION"), Some(&org.to_string()), "{e:?}");
        }
    }
    // The CSV as a spreadsheet reads it: names in the organiser column, the place beside it.
    let rows = csv_rows(&out.path().join("drills.csv"));
    assert_eq!(rows[0][3], "组织单位 organiser");
    assert_eq!(rows[0][4], "地点 place");
    for r in rows.iter().skip(1) {
        assert!(
            !r[3].is_ascii() && !r[3].is_empty(),
            "organiser id in {r:?}"
        );
        assert!(!r[4].is_empty(), "{r:?}");
    }
    assert!(rows.iter().skip(1).any(|r| names.contains(r[3].as_str())));
    let row = rows
        .iter()
        .find(|r| r[9] == "dr-2027-hd-loading-h1")
        .expect("loading row");
    assert_eq!(row[3], "青溪恒达化工有限公司");
    assert_eq!(
        row[4],
        "储运车间装卸站台, 3号鹤位; 东门\n集合点：消防泵房前"
    );
}

#[test]
fn org_filters_the_schedule_and_the_status() {
    let repo = root().join("plans");
    let all = tempfile::tempdir().expect("tempdir");
    let one = tempfile::tempdir().expect("tempdir");
    let o = schedule(&repo, all.path(), &["--format", "json,csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    let o = schedule(
        &repo,
        one.path(),
        &["--format", "json,csv", "--org", "hd-chem"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    let full = json(&all.path().join("schedule-coordinators.json"));
    let mine = json(&one.path().join("schedule-coordinators.json"));
    let of_hd: Vec<&Value> = full["slots"]
        .as_array()
        .expect("slots")
        .iter()
        .filter(|s| s["org"] == "hd-chem")
        .collect();
    let slots: Vec<&Value> = mine["slots"].as_array().expect("slots").iter().collect();
    assert!(!slots.is_empty());
    assert_eq!(
        slots, of_hd,
        "the same drills, placed as in the whole schedule"
    );
    let rows = csv_rows(&one.path().join("drills-coordinators.csv"));
    assert!(
        rows.iter().skip(1).all(|r| r[3] == "青溪恒达化工有限公司"),
        "{rows:?}"
    );

    // status
    let o = run(
        &[
            "drills",
            "status",
            repo.to_str().expect("utf-8"),
            "--org",
            "qx-gov",
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let plans = v["plans"].as_array().expect("plans");
    assert!(!plans.is_empty());
    assert!(plans.iter().all(|p| p["org"] == "qx-gov"), "{v:#}");
    let o = run(
        &[
            "drills",
            "status",
            repo.to_str().expect("utf-8"),
            "--format",
            "json",
        ],
        &[],
    );
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert!(v["plans"].as_array().expect("plans").len() > plans.len());

    // an unknown id: exit 2 with the closest ids
    for cmd in [&["drills", "status"][..], &["drills", "schedule"][..]] {
        let mut args = cmd.to_vec();
        args.extend([
            repo.to_str().expect("utf-8"),
            "--org",
            "hd-chm",
            "--lang",
            "en",
        ]);
        let out = tempfile::tempdir().expect("tempdir");
        if cmd[1] == "schedule" {
            args.extend(["--out", out.path().to_str().expect("utf-8")]);
        }
        let o = run(&args, &[]);
        let t = text_of(&o);
        assert_eq!(o.status.code(), Some(2), "{t}");
        assert!(
            t.contains("--org `hd-chm`") && t.contains("did you mean `hd-chem`"),
            "{t}"
        );
    }
}

#[test]
fn months_zero_is_an_error() {
    let out = tempfile::tempdir().expect("tempdir");
    let o = run(
        &[
            "drills",
            "schedule",
            root().join("plans").to_str().expect("utf-8"),
            "--months",
            "0",
            "--out",
            out.path().to_str().expect("utf-8"),
            "--lang",
            "en",
        ],
        &[],
    );
    let t = text_of(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(
        t.contains("--months 0: the schedule needs at least 1 month"),
        "{t}"
    );
    assert!(
        std::fs::read_dir(out.path()).expect("ls").next().is_none(),
        "nothing written"
    );
}

#[test]
fn dates_are_found_in_both_spellings() {
    let s = dates_in("due 2027-03-18, UID x-20270318@y; 120270318 not; 2027-13-01 no");
    assert_eq!(s, [d("2027-03-18")].into_iter().collect());
}
