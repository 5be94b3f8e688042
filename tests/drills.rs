//! `yuan drills`: compliance status over the sample repository and constructed histories.

mod common;

use common::pdf;
use common::{copy_dir, flat, root, run, text_of};
use serde_json::Value;

fn status_json(dir: &std::path::Path, today: &str) -> Value {
    let o = run(
        &[
            "drills",
            "status",
            dir.to_str().expect("utf-8 path"),
            "--format",
            "json",
            "--today",
            today,
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    serde_json::from_slice(&o.stdout).expect("JSON")
}

fn plan<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["plans"]
        .as_array()
        .and_then(|a| a.iter().find(|p| p["plan"] == id))
        .unwrap_or_else(|| panic!("no plan {id} in {v:#}"))
}

#[test]
fn sample_status_on_its_today_is_compliant() {
    let v = status_json(&root().join("plans"), "2026-11-28");
    let plans = v["plans"].as_array().expect("plans");
    assert!(plans.len() >= 15);
    assert!(plans.iter().all(|p| p["state"] == "ok"), "{v:#}");
    // The enterprise's comprehensive plan counts its special plans' drills (88号令 Art. 33),
    // here the fire plan's tabletop of 2026-11-10; hd-chem is a high-risk unit
    // (`high_risk: true` in the registry, 条例 Art. 8 ¶2): every six months, not twelve.
    let comp = plan(&v, "hd-comprehensive");
    assert_eq!(comp["last_drill"], "dr-2026-hd-special-fire");
    assert_eq!(comp["interval_months"], 6);
    assert_eq!(comp["basis"], "high_risk_unit");
    assert_eq!(comp["next_due"], "2027-05-10");
    // An on-site plan of a high-risk unit: every six months.
    let tank = plan(&v, "hd-onsite-tankfarm");
    assert_eq!(tank["interval_months"], 6);
    assert_eq!(tank["next_due"], "2027-03-15");
    assert_eq!(tank["next_planned"], "dr-2027-hd-tankfarm-h1");
    // The sample's yuan.toml makes provincial special plans biennial (stricter than 36).
    assert_eq!(plan(&v, "xj-geo")["interval_months"], 24);
    assert_eq!(plan(&v, "xj-dept-health")["interval_months"], 36);
    let actions = v["corrective_actions"].as_array().expect("actions");
    assert_eq!(actions.len(), 2);
    assert!(actions.iter().all(|a| a["overdue"] == false));
    assert_eq!(plan(&v, "qx-flood")["open_actions"], 1);
}

#[test]
fn status_later_shows_overdue_drills_and_actions() {
    let v = status_json(&root().join("plans"), "2027-04-15");
    let reactor = plan(&v, "hd-onsite-reactor");
    assert_eq!(reactor["state"], "overdue");
    assert_eq!(reactor["days_left"], -54);
    assert_eq!(plan(&v, "qx-flood")["overdue_actions"], 1);
    let first = &v["plans"][0];
    assert_eq!(first["plan"], "hd-onsite-reactor", "sorted by due date");
}

#[test]
fn last_drilled_23_months_ago_is_due_next_month() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path();
    copy_dir(
        &root().join("tests/fixtures/bad/E005_onsite_plan_not_drilled"),
        repo,
    );
    // The overall plan (24 months) was drilled 23 months before 2026-11-28.
    std::fs::create_dir_all(repo.join("drills")).expect("mkdir");
    std::fs::write(
        repo.join("drills/dr-2024-xj-overall.md"),
        "---\nid: dr-2024-xj-overall\nkind: drill\ntitle: 2024年省级综合演练\nplans:\n  - plan: xj-overall\nform: tabletop\ncontent: comprehensive\nstatus: done\ndate: 2024-12-15\norganizer: xj-gov\nevaluation: { conclusion: 达到目标。 }\n---\n",
    )
    .expect("write drill");
    let v = status_json(repo, "2026-11-28");
    let p = plan(&v, "xj-overall");
    assert_eq!(p["last_date"], "2024-12-15");
    assert_eq!(p["next_due"], "2026-12-15");
    assert_eq!(p["state"], "due_soon");
    // The on-site plan, never drilled since April: two drills a year, so overdue.
    let o = plan(&v, "hd-onsite-reactor");
    assert_eq!(o["state"], "overdue");
    assert_eq!(o["next_due"], "2026-10-01");
    // And `yuan check` agrees: E005 warns about the one, errs about the other.
    let out = run(
        &[
            "check",
            repo.to_str().expect("utf-8"),
            "--lang",
            "en",
            "--today",
            "2026-11-28",
        ],
        &[],
    );
    let text = text_of(&out);
    assert!(
        text.contains("warning[E005]: drill due on 2026-12-15"),
        "{text}"
    );
    assert!(
        text.contains("error[E005]: drill overdue by 58 days"),
        "{text}"
    );
}

#[test]
fn status_table_is_bilingual() {
    let dir = root().join("plans");
    let dir = dir.to_str().expect("utf-8");
    let zh = text_of(&run(
        &["drills", "status", dir, "--today", "2027-03-01"],
        &[],
    ));
    insta::assert_snapshot!("drills_status_zh", zh);
    let en = text_of(&run(
        &[
            "drills",
            "status",
            dir,
            "--today",
            "2027-03-01",
            "--lang",
            "en",
        ],
        &[],
    ));
    assert!(en.contains("overdue 9 d"), "{en}");
    assert!(en.contains("Open corrective actions:"), "{en}");
}

#[test]
fn schedule_writes_stable_calendars_and_keeps_blind_drills_private() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("a");
    let out2 = tmp.path().join("b");
    let dir = root().join("plans");
    let args = |o: &std::path::Path| {
        run(
            &[
                "drills",
                "schedule",
                dir.to_str().expect("utf-8"),
                "--from",
                "2027-01",
                "--months",
                "24",
                "--out",
                o.to_str().expect("utf-8"),
                "--lang",
                "en",
            ],
            &[("SOURCE_DATE_EPOCH", "1795000000")],
        )
    };
    let o = args(&out);
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    assert!(text_of(&o).contains("0 unmet"), "{}", text_of(&o));
    let o2 = args(&out2);
    assert_eq!(o2.status.code(), Some(0));
    for f in [
        "drills.ics",
        "drills-coordinators.ics",
        "drills.csv",
        "drills-coordinators.csv",
        "schedule.json",
        "schedule-coordinators.json",
        "schedule.html",
        "schedule-coordinators.html",
        "schedule.pdf",
        "schedule-coordinators.pdf",
    ] {
        let a = std::fs::read(out.join(f)).expect("written");
        let b = std::fs::read(out2.join(f)).expect("written");
        assert_eq!(a, b, "{f} differs between runs");
    }
    let json: Value = serde_json::from_slice(
        &std::fs::read(out.join("schedule-coordinators.json")).expect("json"),
    )
    .expect("JSON");
    let slots = json["slots"].as_array().expect("slots");
    // On-site plans twice a year over two years.
    let tank = slots
        .iter()
        .filter(|s| s["plan"] == "hd-onsite-tankfarm")
        .count();
    assert!(tank >= 4, "{tank}");
    // Flood plans drill before the flood season; the forest-fire plan before October.
    for s in slots {
        let date = s["date"].as_str().expect("date");
        let month: u32 = date[5..7].parse().expect("month");
        if s["notes"].as_array().is_some_and(|n| !n.is_empty()) {
            continue;
        }
        match s["plan"].as_str().expect("plan") {
            "xj-flood" | "yz-flood" | "qx-flood" | "xj-geo" => {
                assert!((3..=5).contains(&month), "{s}")
            }
            "xj-forest-fire" => assert!((8..=9).contains(&month), "{s}"),
            _ => {}
        }
        assert!(!date.ends_with("-10-01"), "National Day");
    }
    let blind: Vec<&str> = slots
        .iter()
        .filter(|s| s["double_blind"] == true)
        .map(|s| s["uid"].as_str().expect("uid"))
        .collect();
    assert!(!blind.is_empty());
    let public = std::fs::read_to_string(out.join("drills.ics")).expect("ics");
    let coord = std::fs::read_to_string(out.join("drills-coordinators.ics")).expect("ics");
    for uid in &blind {
        assert!(!public.contains(uid), "{uid} in the public calendar");
        assert!(coord.contains(&format!("UID:{uid}@yuan-drills")), "{uid}");
    }
    assert!(public.contains("BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\n"));
    assert!(
        public.lines().all(|l| l.len() <= 76),
        "folded (75 octets + CR)"
    );
    let csv = std::fs::read(out.join("drills.csv")).expect("csv");
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM");
    // The HTML calendar and the PDF: the same split between public and coordinators.
    let html = std::fs::read_to_string(out.join("schedule.html")).expect("html");
    let coord_html = std::fs::read_to_string(out.join("schedule-coordinators.html")).expect("html");
    let pdf = flat(&pdf::text(&out.join("schedule.pdf")));
    let coord_pdf = flat(&pdf::text(&out.join("schedule-coordinators.pdf")));
    for uid in &blind {
        assert!(!html.contains(uid), "{uid} in the public HTML");
        assert!(coord_html.contains(&format!("id=\"{uid}\"")), "{uid}");
    }
    // the days of the public drills, and their due dates (another plan's due date may fall on
    // a hidden drill's day: counted from that plan's own drills, it gives nothing away)
    let public_dates: Vec<&str> = slots
        .iter()
        .filter(|s| s["double_blind"] == false)
        .flat_map(|s| [s["date"].as_str(), s["due"].as_str()])
        .map(|d| d.expect("date"))
        .collect();
    for s in slots {
        let (plan, date) = (
            s["plan"].as_str().expect("plan"),
            s["date"].as_str().expect("date"),
        );
        assert!(
            coord_pdf.contains(date),
            "{date} not in the coordinators' PDF"
        );
        assert!(
            coord_pdf.contains(plan),
            "{plan} not in the coordinators' PDF"
        );
        // a double-blind drill's day appears in the public PDF only for another drill
        if s["double_blind"] == true {
            assert!(
                !pdf.contains(date) || public_dates.contains(&date),
                "{date} {plan} in the public PDF"
            );
        } else {
            assert!(pdf.contains(date), "{date} {plan} not in the public PDF");
        }
    }
    assert!(coord_pdf.contains("2027年5月") && coord_pdf.contains("未能安排的演练"));
    assert!(
        coord_pdf.contains("dr-2027-hd-tankfarm-h1"),
        "the fixed drill"
    );
    assert!(pdf.contains("公开版") && coord_pdf.contains("导调版"));
}

/// A copy of the sample repository with extra drill records under drills/extra/.
fn sample_with(records: &[(&str, &str)]) -> tempfile::TempDir {
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
    tmp
}

fn schedule_run(
    repo: &std::path::Path,
    out: &std::path::Path,
    extra: &[&str],
) -> std::process::Output {
    let mut args = vec![
        "drills",
        "schedule",
        repo.to_str().expect("utf-8"),
        "--from",
        "2027-01",
        "--out",
        out.to_str().expect("utf-8"),
        "--lang",
        "en",
    ];
    args.extend_from_slice(extra);
    run(&args, &[("SOURCE_DATE_EPOCH", "1795000000")])
}

#[test]
fn planned_drills_are_fixed_slots() {
    let tmp = sample_with(&[
        // Meets qx-flood's requirement: no other qx-flood drill is proposed before 2029.
        (
            "dr-2027-qx-flood",
            "title: 青溪县防汛实战演练\nplans:\n  - plan: qx-flood\nform: live\ncontent: comprehensive\nstatus: planned\ndate: 2027-04-20\norganizer: qx-gov\n",
        ),
        // Spring Festival, and a second drill of hd-chem the same day: kept, with warnings.
        (
            "dr-2027-hd-reactor",
            "title: 反应釜演练\nplans:\n  - plan: hd-onsite-reactor\nform: live\ncontent: single\nblind: double\nstatus: planned\ndate: 2027-02-08\norganizer: hd-chem\n",
        ),
        (
            "dr-2027-hd-loading",
            "title: 装卸区演练\nplans:\n  - plan: hd-onsite-loading\nform: tabletop\ncontent: single\nstatus: planned\ndate: 2027-02-08\norganizer: hd-chem\n",
        ),
    ]);
    let out = tmp.path().join("out");
    let o = schedule_run(tmp.path(), &out, &["--format", "json,html,pdf"]);
    let text = text_of(&o);
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(text.contains("4 fixed"), "{text}");
    assert!(
        text.contains("warning: planned drill dr-2027-hd-loading (2027-02-08): in the blackout period 春节 Spring Festival 2027"),
        "{text}"
    );
    assert!(
        text.contains("hd-chem has another drill that day"),
        "{text}"
    );
    assert!(
        !out.join("drills.ics").exists(),
        "--format leaves the ICS out"
    );
    let json: Value = serde_json::from_slice(
        &std::fs::read(out.join("schedule-coordinators.json")).expect("json"),
    )
    .expect("JSON");
    let slots = json["slots"].as_array().expect("slots");
    let of = |plan: &str| -> Vec<&Value> { slots.iter().filter(|s| s["plan"] == plan).collect() };
    let flood = of("qx-flood");
    assert_eq!(flood[0]["record"], "dr-2027-qx-flood", "{flood:?}");
    assert_eq!(flood[0]["date"], "2027-04-20");
    assert_eq!(
        flood.len(),
        1,
        "no duplicate within the 24-month cycle: {flood:?}"
    );
    let reactor = of("hd-onsite-reactor");
    assert_eq!(reactor[0]["date"], "2027-02-08", "not moved: {reactor:?}");
    assert_eq!(reactor[0]["double_blind"], true);
    // The next reactor drill follows the fixed one within six months.
    assert!(
        reactor[1]["date"].as_str().expect("date") <= "2027-08-08",
        "{reactor:?}"
    );
    assert!(reactor[1]["record"].is_null());
    // hd-chem has no proposal in February: the month is taken by the two fixed drills (cap 2).
    assert!(!slots.iter().any(|s| s["org"] == "hd-chem"
        && s["record"].is_null()
        && s["date"].as_str().is_some_and(|d| d.starts_with("2027-02"))));
    // The fixed double-blind drill counts toward the share, and stays out of the public files.
    let html = std::fs::read_to_string(out.join("schedule.html")).expect("html");
    assert!(!html.contains("dr-2027-hd-reactor"));
    assert!(html.contains("dr-2027-hd-loading"), "conflicts are listed");
    let coord = flat(&pdf::text(&out.join("schedule-coordinators.pdf")));
    assert!(coord.contains("dr-2027-hd-reactor") && coord.contains("与约束冲突的已定演练"));
    assert!(!flat(&pdf::text(&out.join("schedule.pdf"))).contains("dr-2027-hd-reactor"));
}

#[test]
fn html_calendar_snapshot_and_hostile_text() {
    let tmp = sample_with(&[(
        "dr-2027-xss",
        "title: \"<script>alert('x')</script> & <b>演练</b>\"\nplans:\n  - plan: xj-geo\nform: tabletop\ncontent: comprehensive\nstatus: planned\ndate: 2027-03-17\norganizer: xj-gov\n",
    )]);
    let out = tmp.path().join("out");
    let o = schedule_run(tmp.path(), &out, &["--months", "6", "--format", "html"]);
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    let html = std::fs::read_to_string(out.join("schedule.html")).expect("html");
    assert!(
        !html.contains("<script>") && !html.contains("<b>演练"),
        "unescaped"
    );
    assert!(
        html.contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;&#x2F;script&gt; &amp; &lt;b&gt;演练")
    );
    insta::assert_snapshot!("drills_schedule_html", html);
}

#[test]
fn infeasible_schedule_is_explained() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path();
    copy_dir(
        &root().join("tests/fixtures/bad/E005_onsite_plan_not_drilled"),
        repo,
    );
    // Every day of the horizon is a blackout: the overdue on-site drill cannot be placed.
    let mut toml = std::fs::read_to_string(repo.join("yuan.toml")).expect("toml");
    toml.push_str(
        "\n[drills]\nblackouts = [{ name = \"停产检修\", from = 2027-01-01, to = 2027-12-31 }]\n",
    );
    std::fs::write(repo.join("yuan.toml"), toml).expect("write");
    let o = run(
        &[
            "drills",
            "schedule",
            repo.to_str().expect("utf-8"),
            "--from",
            "2027-01",
            "--months",
            "6",
            "--lang",
            "en",
        ],
        &[],
    );
    let text = text_of(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains("unmet hd-onsite-reactor (due 2026-10-01)"),
        "{text}"
    );
    assert!(text.contains("blackout"), "{text}");
}

#[test]
fn new_scaffolds_records_that_check_clean() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path();
    copy_dir(&root().join("plans"), repo);
    let r = repo.to_str().expect("utf-8");
    for (plan, id) in [
        ("xj-flood", "dr-2027-xj-flood"),
        ("hd-onsite-reactor", "dr-2027-hd-reactor"),
    ] {
        let out = repo.join(format!("drills/{id}.md"));
        let o = run(
            &[
                "drills",
                "new",
                r,
                "--plan",
                plan,
                "--id",
                id,
                "--date",
                "2027-03-10",
                "-o",
                out.to_str().expect("utf-8"),
            ],
            &[],
        );
        assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
        let text = std::fs::read_to_string(&out).expect("written");
        assert!(text.contains("status: planned"), "{text}");
        assert!(
            text.contains("injects:\n  - { offset_minutes: 0,"),
            "{text}"
        );
    }
    let flood = std::fs::read_to_string(repo.join("drills/dr-2027-xj-flood.md")).expect("read");
    assert!(
        flood.contains("检验一级应急响应的启动条件和响应措施"),
        "{flood}"
    );
    assert!(
        flood.contains("offset_minutes: 90"),
        "four levels, escalating: {flood}"
    );
    let reactor = std::fs::read_to_string(repo.join("drills/dr-2027-hd-reactor.md")).expect("read");
    assert!(reactor.contains("clause: \"超温超压处置\""), "{reactor}");
    // The reactor's on-site plan has no response levels: its injects are drafts to write
    // (`导调组发出与“…”相关的情景`), each a T801 warning while the drill is planned, so the
    // coordinator sees what to fill in; nothing else is found.
    let o = run(&["check", r, "--format", "json", "--lang", "en"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let found: Vec<(String, String, String)> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (s("code"), s("severity"), s("path"))
        })
        .collect();
    assert!(!found.is_empty());
    for (code, severity, path) in &found {
        assert_eq!(
            (code.as_str(), severity.as_str(), path.as_str()),
            ("T801", "warning", "drills/dr-2027-hd-reactor.md"),
            "{found:?}"
        );
    }
    // Never overwrites.
    let o = run(
        &[
            "drills",
            "new",
            r,
            "--plan",
            "xj-flood",
            "--id",
            "dr-2027-xj-flood",
            "-o",
            repo.join("drills/dr-2027-xj-flood.md")
                .to_str()
                .expect("utf-8"),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["drills", "new", r, "--plan", "xj-flod"], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text_of(&o));
}

#[test]
fn a_character_the_font_lacks_leaves_the_pdf_unwritten_and_named() {
    let tmp = sample_with(&[(
        "dr-2027-rare",
        "title: 𪚥字演练\nplans:\n  - plan: xj-geo\nform: tabletop\ncontent: comprehensive\nstatus: planned\ndate: 2027-03-17\norganizer: xj-gov\n",
    )]);
    let out = tmp.path().join("out");
    let o = schedule_run(tmp.path(), &out, &["--months", "6", "--format", "html,pdf"]);
    let text = text_of(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains("has no glyph for 「𪚥」 (dr-2027-rare)"),
        "{text}"
    );
    assert!(!out.join("schedule.pdf").exists());
    assert!(
        out.join("schedule.html").exists(),
        "the HTML is not affected"
    );
}
