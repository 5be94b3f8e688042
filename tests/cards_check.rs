//! Disposal cards at check time (issue 16): cards that are not simple (G903), numbers the
//! registry no longer has but documents still write (C603, and `yuan diff`'s listing of them),
//! each shown both ways: what must be found is found, and what is fine stays quiet.

use git2::Repository;
use serde_json::Value;
use std::path::Path;

mod common;
use common::{commit, copy_dir, root, text_of};

fn yuan(args: &[&str]) -> std::process::Output {
    common::run(args, &[])
}

/// `yuan check DIR --format json`: (code, path, line) of every finding.
fn findings(dir: &Path) -> Vec<(String, String, u64)> {
    let o = yuan(&["check", dir.to_str().expect("utf-8"), "--format", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", text_of(&o)));
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["path"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn edit(dir: &Path, rel: &str, from: &str, to: &str) {
    let p = dir.join(rel);
    let text = std::fs::read_to_string(&p).expect("read");
    assert!(text.contains(from), "{rel} lacks {from}");
    std::fs::write(&p, text.replacen(from, to, 1)).expect("write");
}

fn good_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/good"), dir.path());
    dir
}

const CARD: &str = "enterprise/hd-card-reactor-operator.md";
const STEPS: &str = "  - action: 立即按下紧急停车按钮，切断进料阀\n    who: hd-reactor-operator\n    values: [ESD-101]\n    clause: 应急处置程序\n  - action: 火势能否用现场灭火器控制？\n    who: hd-reactor-operator\n    decision: { yes: 3, no: 4 }\n  - action: 从上风向用干粉灭火器扑救\n    who: hd-reactor-operator\n    clause: 3.2 现场应急处置措施\n  - action: 撤离至东门集合点并报告值班长\n    who: hd-reactor-operator\n";

fn with_steps(steps: &str) -> tempfile::TempDir {
    let dir = good_copy();
    edit(dir.path(), CARD, STEPS, steps);
    dir
}

fn g903(dir: &Path) -> Vec<u64> {
    let all = findings(dir);
    assert!(
        all.iter().all(|(c, _, _)| c == "G903"),
        "only G903 expected: {all:?}"
    );
    all.iter().map(|(_, _, l)| *l).collect()
}

#[test]
fn g903_counts_steps_and_characters_but_not_labels_and_spaces() {
    // 60 characters after a label, spaces not counted: simple enough
    let sixty = format!("切断：{}", "关".repeat(30) + " " + &"阀".repeat(30));
    let dir = with_steps(&format!(
        "  - action: {sixty}\n    who: hd-reactor-operator\n"
    ));
    assert_eq!(g903(dir.path()), Vec::<u64>::new());
    // one more character is one too many, on the step's line
    let long = format!(
        "  - action: {}关\n    who: hd-reactor-operator\n",
        "关闭进料阀".repeat(12)
    );
    let dir = with_steps(&long);
    assert_eq!(g903(dir.path()), [13]);
    let o = yuan(&["check", dir.path().to_str().expect("utf-8"), "--lang", "en"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("step 1 has 61 characters, more than 60"),
        "{out}"
    );
    assert!(
        out.contains("\"切断：…\""),
        "a label from the wording: {out}"
    );
    assert_eq!(o.status.code(), Some(0), "a warning");
    // nine short steps: too many, at `steps`; eight are fine
    let step = "  - action: 撤离：撤至东门集合点\n    who: hd-reactor-operator\n";
    assert_eq!(g903(with_steps(&step.repeat(9)).path()), [13]);
    assert_eq!(g903(with_steps(&step.repeat(8)).path()), Vec::<u64>::new());
    // the limits are the repository's to set
    let dir = with_steps(&(step.repeat(9) + &long));
    std::fs::write(
        dir.path().join("yuan.toml"),
        "[check]\ntoday = \"2026-11-28\"\n[cards]\nmax_steps = 10\nmax_step_chars = 80\n",
    )
    .expect("write");
    assert_eq!(g903(dir.path()), Vec::<u64>::new());
}

/// The good fixture committed, then hd-duty's number changed from 0745-6628119 to
/// 0745-6628129 and committed: the card (emergency_numbers) and the on-site plan's text still
/// write the old number.
fn changed_duty_phone() -> tempfile::TempDir {
    let dir = good_copy();
    let repo = Repository::init(dir.path()).expect("init");
    commit(&repo, "初版", "王芳", 0);
    edit(
        dir.path(),
        "registry/hd-chem.yaml",
        "0745-6628119",
        "0745-6628129",
    );
    commit(&repo, "值班电话更换", "王芳", 10);
    dir
}

#[test]
fn c603_finds_a_retired_number_in_cards_and_plans_and_nowhere_else() {
    let dir = changed_duty_phone();
    // a drill record keeps what happened: the number it called then is no finding
    let drill = dir.path().join("drills/dr-2026-hd-reactor.md");
    let text = std::fs::read_to_string(&drill).expect("read");
    std::fs::write(
        &drill,
        format!("{text}\n演练中拨打应急值班室 0745-6628119。\n"),
    )
    .expect("write");
    let found = findings(dir.path());
    assert_eq!(
        found,
        [
            ("C603".to_string(), CARD.to_string(), 28),
            (
                "C603".to_string(),
                "enterprise/hd-onsite-reactor.md".to_string(),
                38
            ),
        ]
    );
    let o = yuan(&["check", dir.path().to_str().expect("utf-8"), "--lang", "en"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("its numbers now: 0745-6628129") && out.contains("report_to: [hd-duty]"),
        "{out}"
    );
    assert_eq!(o.status.code(), Some(0), "warnings only");

    // written now: no finding
    edit(dir.path(), CARD, "\"0745-6628119\"", "\"0745-6628129\"");
    edit(
        dir.path(),
        "enterprise/hd-onsite-reactor.md",
        "0745-6628119",
        "0745 6628129",
    );
    assert_eq!(findings(dir.path()), Vec::new());
}

#[test]
fn c603_is_quiet_when_the_number_moved_or_there_is_no_history() {
    // the old number moved to another contact: still a registry number
    let dir = changed_duty_phone();
    let reg = dir.path().join("registry/hd-chem.yaml");
    let text = std::fs::read_to_string(&reg).expect("read");
    std::fs::write(
        &reg,
        format!("{text}  - id: hd-fax\n    name: 恒达化工传真\n    org: hd-chem\n    phones:\n      - {{ number: (0745) 6628119, type: fax }}\n    verified: 2026-10-12\n"),
    )
    .expect("write");
    assert_eq!(findings(dir.path()), Vec::new());

    // the same repository without its history: nothing to compare
    let plain = tempfile::tempdir().expect("tempdir");
    copy_dir(&changed_duty_phone().path().join("."), plain.path());
    std::fs::remove_dir_all(plain.path().join(".git")).expect("rm .git");
    assert_eq!(findings(plain.path()), Vec::new());

    // a number changed in the working tree, not yet committed, is found too
    let dir = good_copy();
    let repo = Repository::init(dir.path()).expect("init");
    commit(&repo, "初版", "王芳", 0);
    edit(
        dir.path(),
        "registry/hd-chem.yaml",
        "0745-6628119",
        "0745-6628129",
    );
    assert_eq!(findings(dir.path()).len(), 2);
}

#[test]
fn diff_lists_the_documents_that_still_carry_a_retired_number() {
    let dir = good_copy();
    let mut opts = git2::RepositoryInitOptions::new();
    opts.initial_head("main");
    let repo = Repository::init_opts(dir.path(), &opts).expect("init");
    commit(&repo, "初版", "王芳", 0);
    edit(
        dir.path(),
        "registry/hd-chem.yaml",
        "0745-6628119",
        "0745-6628129",
    );
    let d = dir.path().to_str().expect("utf-8");
    let o = yuan(&["diff", "HEAD", "-C", d, "--format", "json"]);
    assert!(o.status.success(), "{}", text_of(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    let retired = &v["retired_numbers"];
    assert_eq!(retired.as_array().map(Vec::len), Some(1), "{retired}");
    assert_eq!(retired[0]["number"], "0745-6628119");
    assert_eq!(retired[0]["contact"], "hd-duty");
    let carried: Vec<(&str, &str, u64)> = retired[0]["carried_by"]
        .as_array()
        .expect("carried_by")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap_or(""),
                c["kind"].as_str().unwrap_or(""),
                c["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        carried,
        [
            ("hd-card-reactor-operator", "card", 28),
            ("hd-onsite-reactor", "onsite", 38)
        ]
    );
    assert_eq!(v["summary"]["retired_numbers"], 1);

    // the card corrected: only the plan is left; a number change nobody copied lists nothing
    edit(dir.path(), CARD, "\"0745-6628119\"", "\"0745-6628129\"");
    let o = yuan(&["diff", "HEAD", "-C", d, "--lang", "en"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("0745-6628119  hd-duty 恒达化工应急值班室\n        hd-onsite-reactor  enterprise/hd-onsite-reactor.md:38\n\n"),
        "{out}"
    );
    edit(
        dir.path(),
        "enterprise/hd-onsite-reactor.md",
        "0745-6628119",
        "0745-6628129",
    );
    let o = yuan(&["diff", "HEAD", "-C", d, "--format", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["retired_numbers"], serde_json::json!([]));
}

/// `yuan new card --from ID [--post POST]` in a copy of `repo`, written into the copy as
/// `rel`: the draft's text, and the copy.
fn drafted(repo: &str, from: &str, post: Option<&str>, rel: &str) -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join(repo), dir.path());
    let d = dir.path().to_str().expect("utf-8");
    let out = dir.path().join(rel);
    let out_s = out.to_str().expect("utf-8");
    let mut args = vec![
        "new",
        "card",
        "--from",
        from,
        "--dir",
        d,
        "--date",
        "2026-11-20",
    ];
    if let Some(p) = post {
        args.extend(["--post", p]);
    }
    args.extend(["-o", out_s]);
    let o = yuan(&args);
    assert!(o.status.success(), "{}", text_of(&o));
    (std::fs::read_to_string(&out).expect("draft"), dir)
}

/// The codes `yuan check` finds, without the notes the repository already had.
fn codes_besides_notes(dir: &Path) -> Vec<String> {
    let o = yuan(&["check", dir.to_str().expect("utf-8"), "--format", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    let mut codes: Vec<String> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] != "info")
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

#[test]
fn a_card_drafted_from_a_word_style_onsite_plan_checks_but_for_what_a_person_decides() {
    let cards = "enterprise/jinwan/cards";
    // headings (## / ###), numbered paragraphs
    let (gas, dir) = drafted(
        "tests/realistic",
        "jw-onsite-gas",
        None,
        &format!("{cards}/jw-card-gas.md"),
    );
    for want in [
        "id: jw-card-gas\n",
        "title: 燃气泄漏事故应急处置卡（燃气区域当班负责人）\n",
        "parent: jw-onsite-gas ",
        "enterprise: jw-hotel\n",
        "hazard: fire ",
        "  - action: 切断：立即关闭泄漏点前端阀门和燃气总阀\n    clause: 现场应急处置措施\n",
        "    clause: 应急处置程序\n",
        "  - 燃气公司检测合格前，不得恢复用气\n",
        "report_to: [jw-engineering-duty]",
        "emergency_numbers: [\"119\", \"120\"]",
        "0736-96777",
        "assembly_point: 待定",
    ] {
        assert!(gas.contains(want), "{want}\n{gas}");
    }
    assert!(!gas.contains("action: 待定"), "{gas}");
    // the assembly point is a person's to say (T801); the procedure's one long sentence is a
    // step to shorten (G903)
    assert_eq!(codes_besides_notes(dir.path()), ["G903", "T801"], "{gas}");

    // plain lines, labels with their text after the colon, （1） items; the alarm line gives
    // contacts, not a step
    let (kitchen, dir) = drafted(
        "tests/realistic",
        "jw-onsite-kitchen-fire",
        Some("当班厨师"),
        &format!("{cards}/jw-card-kitchen-fire.md"),
    );
    assert!(
        kitchen.contains("  - action: 发现火情后，现场人员立即大声呼救并报告厨师长"),
        "{kitchen}"
    );
    assert!(kitchen.contains("  - action: 切断：关闭厨房燃气总阀，启动灶台自动灭火装置\n"));
    assert!(kitchen.contains("report_to: [jw-fire-control, jw-kitchen-office]"));
    assert!(!kitchen.contains("action: 消防控制室0736"), "{kitchen}");
    assert!(kitchen.contains("  - 扑救人员应站在上风方向，注意自身安全\n"));
    // its first step joins several actions: G903 says so, as it should
    assert_eq!(
        codes_besides_notes(dir.path()),
        ["G903", "T801"],
        "{kitchen}"
    );

    // bold lines, a label without text, （一） items
    let (electric, dir) = drafted(
        "tests/realistic",
        "jw-onsite-electric",
        None,
        &format!("{cards}/jw-card-electric.md"),
    );
    assert!(electric.contains("  - action: 切断：立即拉下电源开关或拔掉电源插头\n"));
    assert!(electric.contains("  - 救护人员不得直接用手接触触电者，防止发生二次触电\n"));
    assert_eq!(codes_besides_notes(dir.path()), ["T801"], "{electric}");
}

#[test]
fn a_card_drafted_from_the_sample_plan_keeps_its_labels_and_tags_and_drops_links() {
    let (card, dir) = drafted(
        "plans",
        "hd-onsite-loading",
        Some("装卸工"),
        "enterprise/hd-chem/cards/hd-card-loading-draft.md",
    );
    assert!(card.contains("id: hd-card-loading\n"), "{card}");
    assert!(
        card.contains("  - action: 报警：装卸工发现泄漏立即按下 HS-300，并用对讲机报告安全员和值班长\n    values: [HS-300]\n"),
        "{card}"
    );
    assert!(
        card.contains("报告应急值班室"),
        "a link prints as its text: {card}"
    );
    assert!(!card.contains("]("), "{card}");
    assert!(
        card.contains("report_to: [hd-control-room, hd-duty"),
        "{card}"
    );
    // the id is the writer's to choose (hd-card-loading would be a second card of the post)
    let text = card.replace("id: hd-card-loading\n", "id: hd-card-loading-draft\n");
    std::fs::write(
        dir.path()
            .join("enterprise/hd-chem/cards/hd-card-loading-draft.md"),
        text,
    )
    .expect("write");
    // thirteen steps, two of them long: a draft to shorten
    assert_eq!(codes_besides_notes(dir.path()), ["G903", "T801"]);
}

#[test]
fn new_card_from_names_what_it_cannot_find() {
    let d = root().join("tests/realistic");
    let d = d.to_str().expect("utf-8");
    let o = yuan(&[
        "new",
        "card",
        "--from",
        "jw-onsite-gsa",
        "--dir",
        d,
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text_of(&o).contains("`jw-onsite-gsa` is not an on-site plan of the repository (did you mean `jw-onsite-gas`"),
        "{}",
        text_of(&o)
    );
    let o = yuan(&[
        "new",
        "card",
        "--from",
        "jw-comprehensive",
        "--dir",
        d,
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text_of(&o).contains("on-site plans: jw-onsite-electric"),
        "{}",
        text_of(&o)
    );
    let o = yuan(&[
        "new",
        "special",
        "--from",
        "jw-onsite-gas",
        "--dir",
        d,
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = yuan(&[
        "new",
        "card",
        "--from",
        "jw-onsite-gas",
        "--post",
        "燃气当班负责人",
        "--dir",
        d,
        "--lang",
        "en",
    ]);
    assert!(o.status.success());
    assert!(
        text_of(&o).contains("did you mean `燃气区域当班负责人`"),
        "{}",
        text_of(&o)
    );
}
