//! The other commands from the outside: `new`, `list`, `explain`, and the machine formats.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn yuan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yuan"))
        .args(args)
        .env_remove("YUAN_LANG")
        .env("NO_COLOR", "1")
        .output()
        .expect("yuan runs")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn new_scaffolds_every_mandatory_section() {
    let o = yuan(&[
        "new",
        "onsite",
        "--enterprise",
        "hd-chem",
        "--id",
        "hd-onsite-boiler",
        "--title",
        "锅炉房现场处置方案",
        "--date",
        "2026-11-28",
        // the sample: the checkout holds several plan repositories (tests/realistic too)
        "--dir",
        "plans",
    ]);
    assert!(o.status.success());
    let text = stdout(&o);
    for heading in [
        "事故风险描述",
        "应急工作职责",
        "应急处置",
        "应急处置程序",
        "现场应急处置措施",
        "报警负责人及报警电话",
        "注意事项",
    ] {
        assert!(text.contains(heading), "{heading} missing:\n{text}");
    }
    insta::assert_snapshot!("new_onsite", text);
}

#[test]
fn new_documents_are_readable_drafts() {
    // A scaffold passes the schema of its kind; what is left are the 待定 to fill in.
    for (kind, extra) in [
        ("overall", vec![]),
        ("special", vec![]),
        ("department", vec![]),
        ("grassroots", vec![]),
        ("joint", vec![]),
        ("comprehensive", vec!["--enterprise", "e"]),
        ("special", vec!["--enterprise", "e"]),
        ("onsite", vec!["--enterprise", "e"]),
        ("card", vec!["--enterprise", "e"]),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        // a plan repository is a folder with a yuan.toml (an empty one will do)
        std::fs::write(dir.path().join("yuan.toml"), "").expect("yuan.toml");
        let file = dir.path().join("new-doc.md");
        let mut args = vec!["new", kind, "--id", "new-doc", "--date", "2026-11-28", "-o"];
        let f = file.to_string_lossy().into_owned();
        args.push(&f);
        args.extend(extra.iter().copied());
        let o = yuan(&args);
        assert!(
            o.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let d = dir.path().to_string_lossy().into_owned();
        let check = yuan(&[
            "check",
            "--format",
            "json",
            "--lang",
            "en",
            "--today",
            "2026-11-28",
            &d,
        ]);
        let json: Value = serde_json::from_slice(&check.stdout).expect("json");
        let codes: Vec<&str> = json["diagnostics"]
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|d| d["code"].as_str())
            .collect();
        assert!(
            !codes.iter().any(|c| c.starts_with('F')),
            "{kind}: the scaffold must be readable: {codes:?}"
        );
        assert!(
            codes.contains(&"T801"),
            "{kind}: 待定 must be reported: {codes:?}"
        );
        // Refuses to overwrite.
        assert!(!yuan(&args).status.success());
    }
}

#[test]
fn new_rejects_enterprise_kinds_without_enterprise() {
    let o = yuan(&["new", "card"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--enterprise"));
}

#[test]
fn list_json_names_every_document() {
    let plans = root().join("plans");
    let o = yuan(&["list", &plans.to_string_lossy(), "--format", "json"]);
    assert!(o.status.success());
    let rows: Vec<Value> = serde_json::from_slice(&o.stdout).expect("json");
    assert!(rows.len() >= 20);
    for r in &rows {
        for k in ["id", "kind", "parent", "path", "title"] {
            assert!(r.get(k).is_some(), "{k} missing in {r}");
        }
    }
    let card = rows.iter().find(|r| r["kind"] == "card").expect("a card");
    assert_eq!(card["profile"], "enterprise");
    insta::assert_snapshot!(
        "list_plans_table",
        stdout(&yuan(&["list", &plans.to_string_lossy()]))
    );
}

#[test]
fn explain_prints_rule_docs() {
    let o = yuan(&["explain", "s501"]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(
        text.contains("S501 section-missing") && text.contains("GB/T 29639-2020"),
        "{text}"
    );
    assert_eq!(yuan(&["explain", "X999"]).status.code(), Some(2));
    assert!(stdout(&yuan(&["explain", "--all"])).lines().count() >= 30);
}

#[test]
fn explain_knows_the_rules_generators_report() {
    let o = yuan(&["explain", "G901"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = stdout(&o);
    assert!(
        text.contains("G901 glyph-missing") && text.contains("--font"),
        "{text}"
    );
    let o = yuan(&["explain", "g902"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("G902 card-overflow"));
    let all = stdout(&yuan(&["explain", "--all"]));
    assert!(all.contains("G901") && all.contains("G902"), "{all}");
}

fn bad(name: &str) -> String {
    root()
        .join("tests/fixtures/bad")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn sarif_output_is_sarif_2_1_0() {
    let o = yuan(&["check", "--format", "sarif", &bad("R401_contact_id_typo")]);
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "yuan");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "R401");
    let idx = result["ruleIndex"].as_u64().expect("index") as usize;
    assert_eq!(rules[idx]["id"], "R401");
    let loc = &result["locations"][0]["physicalLocation"];
    assert!(loc["artifactLocation"]["uri"]
        .as_str()
        .expect("uri")
        .ends_with(".md"));
    assert!(loc["region"]["startLine"].as_u64().expect("line") > 1);
}

#[test]
fn json_contract() {
    let o = yuan(&[
        "check",
        "--format",
        "json",
        "--lang",
        "en",
        &bad("R401_contact_id_typo"),
    ]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["version"], 1);
    let d = &v["diagnostics"][0];
    for k in ["code", "severity", "path", "line", "column", "message"] {
        assert!(d.get(k).is_some(), "{k} missing in {d}");
    }
    assert_eq!(d["severity"], "error");
    assert!(
        !d["path"].as_str().expect("path").starts_with('/'),
        "paths are relative"
    );
    for k in ["errors", "warnings", "infos", "documents", "files"] {
        assert!(v["summary"].get(k).is_some(), "summary.{k}");
    }
}

#[test]
fn chinese_human_output() {
    let o = yuan(&["check", "--lang", "zh", &bad("R401_contact_id_typo")]);
    insta::assert_snapshot!("human_zh_R401", stdout(&o));
}

#[test]
fn rule_severity_can_be_configured() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = Path::new(&bad("C602_contact_not_verified")).to_path_buf();
    for e in walk(&src) {
        let rel = e.strip_prefix(&src).expect("prefix");
        let to = dir.path().join(rel);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&e, &to).expect("copy");
    }
    let cfg = dir.path().join("yuan.toml");
    let mut text = std::fs::read_to_string(&cfg).unwrap_or_default();
    let d = dir.path().to_string_lossy().into_owned();
    assert_eq!(
        yuan(&["check", &d]).status.code(),
        Some(0),
        "C602 is a warning by default"
    );
    text.push_str("\n[rules]\nC602 = \"error\"\n");
    std::fs::write(&cfg, &text).expect("write");
    assert_eq!(
        yuan(&["check", &d]).status.code(),
        Some(1),
        "raised to an error"
    );
    std::fs::write(&cfg, text.replace("\"error\"", "\"off\"")).expect("write");
    let json: Value =
        serde_json::from_slice(&yuan(&["check", "--format", "json", &d]).stdout).expect("json");
    assert_eq!(
        json["diagnostics"].as_array().map(Vec::len),
        Some(0),
        "turned off"
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// README's first command: a repository named by a relative path (`yuan check plans` from the
/// checkout) reads every file, as an absolute path does.
#[test]
fn a_relative_repository_path_reads_every_file() {
    let run = |dir: &str| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_yuan"))
            .args(["check", dir, "--format", "json", "--no-cache"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("YUAN_LANG")
            .output()
            .expect("yuan runs");
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        v["summary"]["documents"].as_u64().expect("documents")
    };
    let relative = run("plans");
    assert!(relative > 30, "{relative} documents");
    assert_eq!(
        relative,
        run(&Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("plans")
            .to_string_lossy())
    );
    assert_eq!(relative, run("./plans/"));
}
