//! `yuan drills pack` from the outside, over a copy of the sample repository (plans/drills holds
//! 8 drill records): the PDF's text holds the evaluation items of the plan's steps, levels and
//! roles and the sign-in sheet; what each copy of a blind drill leaves out; the HTML (snapshot)
//! with hostile text escaped; byte-identical reruns; missing glyphs; bad drill ids.
//!
//! Text is read with `common::pdf` (lopdf; no external tool) in drawing order, which keeps each
//! table cell together; tests/external.rs cross-checks with poppler's `pdftotext -raw`.

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

fn pack(repo: &Path, out: &Path, drill: &str, extra: &[&str]) -> Output {
    let mut args = vec!["drills", "pack", drill, s(repo), "--out", s(out)];
    args.extend_from_slice(extra);
    yuan(&args)
}

/// Flattened PDF text of one copy (the run must succeed).
fn pdf_text(repo: &Path, drill: &str, copy: &str) -> String {
    let out = tempfile::tempdir().expect("tempdir");
    let o = pack(
        repo,
        out.path(),
        drill,
        &["--copy", copy, "--format", "pdf"],
    );
    assert!(o.status.success(), "{}", text_of(&o));
    let pdf = out.path().join(format!("{drill}-{copy}.pdf"));
    flat(&pdf::raw_text(&pdf))
}

fn edit(path: &Path, f: impl Fn(String) -> String) {
    let text = std::fs::read_to_string(path).expect("read");
    std::fs::write(path, f(text)).expect("write");
}

/// Each of `secrets` is in the controllers' copy `c` and not in the participants' copy `p`.
fn only_for_controllers(c: &str, p: &str, secrets: &[&str]) {
    for secret in secrets {
        let f = flat(secret);
        assert!(c.contains(&f), "controllers' copy lacks {secret}");
        assert!(!p.contains(&f), "participants' copy shows {secret}");
    }
}

fn missing(text: &str, wanted: &[&str]) -> Vec<String> {
    wanted
        .iter()
        .filter(|w| !text.contains(&flat(w)))
        .map(|w| w.to_string())
        .collect()
}

#[test]
fn controllers_pdf_holds_the_forms_of_the_plan_steps_and_the_sign_in_sheet() {
    let repo = plans_copy();
    let f = pdf_text(repo.path(), "dr-2026-xj-geo", "controllers");
    let wanted = [
        // cover and provenance
        "2026年湘江省地质灾害应急综合演练",
        "导调/评估版",
        "uncommitted",
        // work plan
        "演练工作方案",
        "检验汛前地质灾害隐患点预警叫应和人员转移流程",
        "龙潭乡某滑坡隐患点后缘出现拉张裂缝",
        "省自然资源厅分管副厅长",
        "安全措施",
        // script
        "演练脚本",
        "T+1:00",
        "坡体局部滑塌，1人失联",
        // evaluation forms: the cited clauses' steps (a paragraph cut into sentences)
        "评估表",
        "3.1预警发布",
        "预警信息通过“湘江应急”平台、短信和村组广播直达隐患点监测员和受威胁群众",
        // the response levels' actions per role, from the front matter
        "响应级别与岗位行动",
        "省自然资源厅跟踪灾情险情发展，视情派出专家组。",
        // reporting and role duties
        "信息报告",
        "岗位职责履行",
        // the evaluation dimensions of the 办法 Art. 23
        "预案的合理性与可操作性",
        "演练所用设备装备的适用性",
        "□好□一般□差",
        // sign-in sheet with the drill's units and the support checklist
        "签到表",
        "龙潭乡群测群防员",
        "签到时间",
        "保障与安全检查表",
        "核查到位：湘江省地质灾害应急技术支撑队",
    ];
    let lost = missing(&f, &wanted);
    assert!(lost.is_empty(), "missing {lost:?} in\n{f}");
}

#[test]
fn an_onsite_plan_gives_its_numbered_steps_and_the_duties_of_its_text() {
    let repo = plans_copy();
    let f = pdf_text(repo.path(), "dr-2026-hd-tankfarm-h2", "controllers");
    let lost = missing(
        &f,
        &[
            "3.1应急处置程序",
            "报警：发现泄漏或可燃气体报警，立即报告值班长",
            "交接：储运车间主任或副总指挥到场后，值班长汇报情况并移交指挥。",
            "3.2.1泄漏处置",
            "安全员",
            "检测浓度、设置警戒、监护处置人员。",
            // controllers' copy of a blind drill says it is internal
            "不得向参演人员分发",
        ],
    );
    assert!(lost.is_empty(), "missing {lost:?} in\n{f}");
}

#[test]
fn the_participants_copy_of_a_blind_drill_lacks_the_script() {
    let repo = plans_copy();
    // (drill, only in the controllers' copy, also in the participants' copy); the script's and
    // the forms' column heads (预期行动, 观察要点) mark those sections
    let cases: [(&str, &[&str], &[&str]); 2] = [
        // single-blind: the participants know time, place and objectives, not scenario or script
        (
            "dr-2026-xj-earthquake",
            &[
                "预期行动",
                "倒塌房屋压埋人员",
                "水库坝体裂缝",
                "5.8级地震",
                "观察要点",
            ],
            &[
                "2026-05-12",
                "湘江省应急指挥中心",
                "检验搜救力量调派和受灾群众安置",
                "签到表",
            ],
        ),
        // double-blind: not even the title, date, place or objectives
        (
            "dr-2026-hd-tankfarm-h2",
            &[
                "预期行动",
                "储罐区泄漏双盲演练",
                "2026-09-15",
                "检验现场处置方案的报警、处置和撤离程序",
                "甲醇/苯乙烯储罐区泄漏中毒现场处置方案",
                "险情扩大",
                "观察要点",
                // the start time (start: "14:00") and the script's clock times
                "14:00",
                "14:05",
                "主持人（解说）",
            ],
            &[
                "参演人员版",
                "双盲",
                "当班班组",
                "签到表",
                "保障与安全检查表",
            ],
        ),
    ];
    for (drill, secrets, known) in cases {
        let c = pdf_text(repo.path(), drill, "controllers");
        let p = pdf_text(repo.path(), drill, "participants");
        only_for_controllers(&c, &p, secrets);
        let lost = missing(&p, known);
        assert!(
            lost.is_empty(),
            "{drill}: participants' copy lacks {lost:?}"
        );
    }

    // not blind: the participants get the script, but never the evaluation forms
    let p = pdf_text(repo.path(), "dr-2026-xj-geo", "participants");
    assert!(p.contains("预期行动") && p.contains("群测群防员报告裂缝扩展"));
    assert!(!p.contains("观察要点") && !p.contains("综合评估"));
}

#[test]
fn html_snapshot_escapes_hostile_text() {
    let repo = plans_copy();
    let f = repo.path().join("drills/dr-2026-xj-geo.md");
    edit(&f, |t| {
        t.replace(
            "  - 检验省、市、县、乡四级信息报告时效",
            "  - \"检验 <script>alert('x')</script> & <b>报告</b>\"",
        )
        .replace(
            "inject: 县自然资源局核实险情",
            "inject: \"<img src=x onerror=alert(1)>\"",
        )
    });
    let out = tempfile::tempdir().expect("tempdir");
    let o = pack(
        repo.path(),
        out.path(),
        "dr-2026-xj-geo",
        &["--format", "html"],
    );
    assert!(o.status.success(), "{}", text_of(&o));
    assert!(!out.path().join("dr-2026-xj-geo-controllers.pdf").exists());
    let html =
        std::fs::read_to_string(out.path().join("dr-2026-xj-geo-controllers.html")).expect("html");
    assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("<b>"));
    assert!(html.contains("&lt;script&gt;") && html.contains("&amp;"));
    assert!(html.contains("@media print"));
    let participants =
        std::fs::read_to_string(out.path().join("dr-2026-xj-geo-participants.html")).expect("html");
    assert!(!participants.contains("观察要点"));
    let body = html.split("</style>").nth(1).expect("style");
    insta::assert_snapshot!("xj_geo_pack_html", body);
}

#[test]
fn rerun_gives_the_same_bytes() {
    let repo = plans_copy();
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    for out in [a.path(), b.path()] {
        let o = pack(repo.path(), out, "dr-2026-qx-flood", &[]);
        assert!(o.status.success(), "{}", text_of(&o));
    }
    assert_eq!(
        same_files(a.path(), b.path()),
        [
            "dr-2026-qx-flood-controllers.html",
            "dr-2026-qx-flood-controllers.pdf",
            "dr-2026-qx-flood-participants.html",
            "dr-2026-qx-flood-participants.pdf",
            "yuan-manifest.json"
        ]
    );
}

#[test]
fn default_output_folder_and_one_copy() {
    let repo = plans_copy();
    let o = yuan(&[
        "drills",
        "pack",
        "dr-2027-hd-tankfarm-h1",
        s(repo.path()),
        "--copy",
        "participants",
    ]);
    assert!(o.status.success(), "{}", text_of(&o));
    let dir = repo.path().join("out/drills/packs");
    assert!(dir
        .join("dr-2027-hd-tankfarm-h1-participants.pdf")
        .is_file());
    assert!(dir
        .join("dr-2027-hd-tankfarm-h1-participants.html")
        .is_file());
    assert!(!dir.join("dr-2027-hd-tankfarm-h1-controllers.pdf").exists());
}

#[test]
fn unknown_ids_and_plans_are_errors_with_help() {
    let repo = plans_copy();
    let out = tempfile::tempdir().expect("tempdir");
    let o = yuan(&[
        "--lang",
        "en",
        "drills",
        "pack",
        "dr-2026-xj-gio",
        s(repo.path()),
        "--out",
        s(out.path()),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text_of(&o));
    let t = text_of(&o);
    assert!(
        t.contains("no drill record has the id dr-2026-xj-gio"),
        "{t}"
    );
    assert!(t.contains("dr-2026-xj-geo"), "{t}");
    let o = yuan(&["drills", "pack", "xj-geo", s(repo.path())]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text_of(&o).contains("不是演练记录"), "{}", text_of(&o));

    // a drill citing a plan the repository lacks: E001, exit 1, nothing written
    edit(&repo.path().join("drills/dr-2026-xj-geo.md"), |t| {
        t.replace("  - plan: xj-geo\n", "  - plan: xj-gone\n")
    });
    let o = pack(repo.path(), out.path(), "dr-2026-xj-geo", &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text_of(&o));
    let t = text_of(&o);
    assert!(t.contains("E001") && t.contains("xj-gone"), "{t}");
    assert!(t.contains("未生成演练资料包"), "{t}");
    assert_eq!(std::fs::read_dir(out.path()).expect("ls").count(), 0);
    assert!(!t.contains("panicked"));

    // a front matter that fails its schema: the F003 finding, exit 1, nothing written
    edit(&repo.path().join("drills/dr-2026-qx-flood.md"), |t| {
        t.replace("form: live", "form: underwater")
    });
    let o = pack(repo.path(), out.path(), "dr-2026-qx-flood", &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text_of(&o));
    assert!(text_of(&o).contains("F003"), "{}", text_of(&o));
    assert_eq!(std::fs::read_dir(out.path()).expect("ls").count(), 0);
}

#[test]
fn a_character_the_font_lacks_is_g901_and_the_html_is_still_written() {
    let repo = plans_copy();
    let f = repo.path().join("drills/hd-chem/dr-2027-hd-tankfarm-h1.md");
    edit(&f, |t| {
        t.replace(
            "place: 青溪恒达化工有限公司",
            "place: 青溪恒达化工有限公司𠀀号罐区",
        )
    });
    let out = tempfile::tempdir().expect("tempdir");
    let o = pack(repo.path(), out.path(), "dr-2027-hd-tankfarm-h1", &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text_of(&o));
    let t = text_of(&o);
    assert!(t.contains("G901") && t.contains("U+20000"), "{t}");
    assert!(t.contains("dr-2027-hd-tankfarm-h1.md:"), "{t}");
    assert!(out
        .path()
        .join("dr-2027-hd-tankfarm-h1-controllers.html")
        .is_file());
    assert!(!out
        .path()
        .join("dr-2027-hd-tankfarm-h1-controllers.pdf")
        .exists());
}

#[test]
fn the_good_fixture_packs_the_steps_of_an_onsite_plan_without_cited_clauses() {
    let repo = tempfile::tempdir().expect("tempdir");
    common::copy_dir(&common::root().join("tests/fixtures/good"), repo.path());
    let wanted = [
        "3.1应急处置程序",
        "发现异常立即报告值班长，按下紧急停车按钮。",
        "反应釜操作工负责紧急停车和初期火灾扑救。",
    ];
    // dr-2026 cites 应急处置程序; dr-2027 names no clause, so the plan's 应急处置 chapter is
    // evaluated sub-section by sub-section
    for (drill, more) in [
        ("dr-2026-hd-reactor", None),
        ("dr-2027-hd-reactor", Some("3.2现场应急处置措施")),
    ] {
        let f = pdf_text(repo.path(), drill, "controllers");
        let lost = missing(&f, &wanted);
        assert!(lost.is_empty(), "{drill}: missing {lost:?} in\n{f}");
        assert_eq!(
            more.is_some_and(|m| f.contains(m)),
            more.is_some(),
            "{drill}"
        );
    }
}

/// A Word-style on-site plan: its sections are bold lines, not Markdown headings (as a .docx
/// export leaves them). The script still finds the steps of the clause an inject tests, gives
/// clock times from `start`, and the sign-in sheet a row per person of a team written
/// `聚合车间当班班组（6人）`; a draft inject left in a planned drill is a T801 warning, not an
/// error, and the rest of the repository stays clean.
#[test]
fn the_script_of_a_word_style_plan_has_its_steps_clock_times_and_people() {
    let repo = tempfile::tempdir().expect("tempdir");
    common::copy_dir(&common::root().join("tests/fixtures/good"), repo.path());
    let plan = repo.path().join("enterprise/hd-onsite-reactor.md");
    edit(&plan, |t| {
        let end = t[4..].find("---").map_or(0, |i| i + 8);
        format!(
            "{}\n**一、事故风险描述**\n\n反应釜冷却失效可导致超温超压，引发火灾。\n\n**二、应急工作职责**\n\n[反应釜操作工](role:hd-reactor-operator)负责紧急停车和初期火灾扑救。\n\n**三、应急处置**\n\n**（一）应急处置程序**\n\n1．发现釜温超限立即报告值班长。\n\n2．值班长下令紧急停车，通知调度。\n\n**（二）现场应急处置措施**\n\n用推车式干粉灭火器从上风向扑救初期火灾。\n\n**（三）报警负责人及报警电话**\n\n报警负责人为当班值班长，应急值班室 0745-6628119，火警 119。\n\n**四、注意事项**\n\n进入釜区必须穿戴防护用品，至少两人同行。\n",
            &t[..end]
        )
    });
    edit(
        &repo.path().join("enterprise/hd-card-reactor-operator.md"),
        |t| {
            t.replace(
                "(plan:hd-onsite-reactor#现场应急处置措施)",
                "(plan:hd-onsite-reactor)",
            )
        },
    );
    edit(&repo.path().join("drills/dr-2026-hd-reactor.md"), |t| {
        t.replace("date: 2026-09-10\n", "date: 2026-09-10\nstart: \"14:00\"\n")
            .replace("players: [聚合车间当班班组]", "players: [聚合车间当班班组（6人）]")
            .replace(
                "{ offset_minutes: 0, inject: DCS 显示釜温超限, from: 导调组, to: 反应釜操作工, expected_action: 报告班长并紧急停车, clause: 应急处置程序 }",
                "{ offset_minutes: 5, inject: DCS 显示釜温超限, from: 导调组, to: 反应釜操作工, clause: 应急处置程序 }",
            )
    });
    edit(&repo.path().join("drills/dr-2027-hd-reactor.md"), |t| {
        t.replace(
            "organizer: hd-chem\n",
            "organizer: hd-chem\ninjects:\n  - { offset_minutes: 0, inject: 导调组发出与“应急处置程序”相关的情景, clause: 应急处置程序 }\n",
        )
    });
    let o = yuan(&["check", s(repo.path()), "--format", "json", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let found: Vec<(String, String)> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] != "info" && d["severity"] != "note")
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (s("code"), s("path"))
        })
        .collect();
    assert_eq!(
        found,
        [(
            "T801".to_string(),
            "drills/dr-2027-hd-reactor.md".to_string()
        )],
        "only the draft inject is found"
    );

    let out = tempfile::tempdir().expect("tempdir");
    let o = pack(
        repo.path(),
        out.path(),
        "dr-2026-hd-reactor",
        &["--copy", "controllers", "--format", "html"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    let html = std::fs::read_to_string(out.path().join("dr-2026-hd-reactor-controllers.html"))
        .expect("html");
    for wanted in [
        "13:55",      // 演练准备, five minutes before the start
        "14:05\nT+5", // the inject's clock time
        "科目一：应急处置程序",
        "（按预案“应急处置程序”）", // expected actions from the plan's plain-line clause
        "发现釜温超限立即报告值班长。",
        "□ 1．发现釜温超限立即报告值班长。", // the evaluation points, from the same steps
        "聚合车间当班班组（6&#x2F;6）",      // Tera escapes the slash
    ] {
        assert!(html.contains(wanted), "the script lacks {wanted:?}");
    }
    assert!(!html.contains("聚合车间当班班组（7&#x2F;6）"));
}
