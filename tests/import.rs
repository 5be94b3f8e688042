//! `yuan import` from the outside: each .docx fixture of tests/fixtures/docx (made by its
//! make.py) imported into a fresh folder, what was written read back from disk (files, front
//! matter, headings and levels, tables with merged cells), then `yuan check` on the result:
//! it must report the plan's real gaps (missing sections, placeholders as T801, stale
//! contacts) and nothing the import itself caused. Bad inputs: exit 2, one line naming the
//! file, nothing written.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const TODAY: &str = "2026-12-06";

fn yuan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yuan"))
        .args(args)
        .env_remove("YUAN_LANG")
        .env("NO_COLOR", "1")
        .output()
        .expect("yuan runs")
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/docx")
        .join(name)
        .display()
        .to_string()
}

fn read(p: impl AsRef<Path>) -> String {
    std::fs::read_to_string(p.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", p.as_ref().display()))
}

/// Imports `name` into a new folder with `extra` arguments; the folder and the output.
fn import(name: &str, extra: &[&str]) -> (tempfile::TempDir, PathBuf, Output) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("repo");
    let src = fixture(name);
    let mut args = vec![
        "import",
        src.as_str(),
        "--out",
        out.to_str().expect("utf-8 path"),
        "--today",
        TODAY,
    ];
    args.extend_from_slice(extra);
    let o = yuan(&args);
    (tmp, out, o)
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut v = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("ls") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).expect("inside");
                v.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    v.sort();
    v
}

/// `yuan check` on an imported folder: (code, message) of every finding.
fn check(dir: &Path) -> Vec<(String, String)> {
    let o = yuan(&[
        "check",
        dir.to_str().expect("utf-8"),
        "--today",
        TODAY,
        "--format",
        "json",
        "--lang",
        "en",
    ]);
    let v: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default().to_string(),
                f["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn codes(findings: &[(String, String)]) -> BTreeSet<&str> {
    findings.iter().map(|(c, _)| c.as_str()).collect()
}

/// The headings of the body (after the front matter).
fn headings(md: &str) -> Vec<&str> {
    let body = md
        .strip_prefix("---\n")
        .and_then(|r| r.split_once("\n---\n"))
        .map_or(md, |(_, b)| b);
    body.lines().filter(|l| l.starts_with('#')).collect()
}

#[test]
fn heading_styles_and_check_reports_only_the_real_gaps() {
    let (_tmp, out, o) = import("heading-styles.docx", &["--lang", "en"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        files(&out),
        vec![
            "heading-styles.md",
            "registry/heading-styles.yaml",
            "yuan.toml"
        ]
    );
    let md = read(out.join("heading-styles.md"));
    // heading 1 (English name), 标题 2 (Chinese name), 预案一级标题 (based on heading 1)
    assert_eq!(
        headings(&md),
        vec![
            "# 1 总则",
            "## 1.1 编制目的",
            "## 1.2 编制依据",
            "## 1.3 适用范围",
            "# 2 组织指挥体系",
            "## 2.1 县防汛抗旱指挥部",
            "# 3 预警和应急响应",
            "## 3.1 预警",
            "## 3.2 应急响应",
            "# 4 后期处置",
            "# 5 附则",
        ]
    );
    // the month-only date in Chinese numerals; 自印发之日起施行; hazards from the title;
    // the parent and upper plans the text cites, registered as external plans
    for line in [
        "title: \"青溪县防汛抗旱应急预案\"",
        "kind: special",
        "level: county",
        "hazards: [flood, drought]",
        "parent: heading-styles-ext-1",
        "  upper: [heading-styles-ext-2]",
        "  issued: 2024-06",
        "  effective: 2024-06",
        "version: \"待定\"",
        "status: draft",
    ] {
        assert!(md.lines().any(|l| l == line), "{line} in\n{md}");
    }
    // the contents (a TOC field with dot leaders and page numbers) and the cover are left out;
    // the footnote and the bullet list are kept
    assert!(!md.contains("目  录") && !md.contains("\t") && !md.contains("二〇二四"));
    assert!(md.contains("制定本预案。〔注1〕"));
    assert!(md.contains("〔注1〕《云州市防汛抗旱应急预案》（云政办发〔2023〕12号）。"));
    assert!(md.contains("- 组织编制县防汛抗旱应急预案；\n- 发布汛情、旱情通报；\n"));
    let reg = read(out.join("registry/heading-styles.yaml"));
    assert!(
        reg.contains("name: \"青溪县人民政府\", type: government"),
        "{reg}"
    );
    assert!(
        reg.contains("title: \"青溪县突发事件总体应急预案\""),
        "{reg}"
    );
    assert_eq!(
        reg.matches("imported: heading-styles.docx").count(),
        4,
        "{reg}"
    );
    insta::assert_snapshot!("import_heading_styles_md", md);
    insta::assert_snapshot!(
        "import_heading_styles_report_en",
        String::from_utf8_lossy(&o.stdout)
    );
    // what yuan check says: the sections the plan really lacks, and the version it does not
    // give (a placeholder); no finding about the import itself
    let found = check(&out);
    assert_eq!(
        codes(&found),
        BTreeSet::from(["S501", "T801"]),
        "{found:#?}"
    );
    let missing: Vec<&str> = found
        .iter()
        .filter(|(c, _)| c == "S501")
        .map(|(_, m)| m.as_str())
        .collect();
    assert!(
        missing.iter().any(|m| m.contains("监测预警")),
        "{missing:?}"
    );
    assert!(
        missing.iter().any(|m| m.contains("应急保障")),
        "{missing:?}"
    );
    assert_eq!(found.iter().filter(|(c, _)| c == "T801").count(), 1);
}

#[test]
fn automatic_numbering_is_read_from_numbering_xml() {
    let (_tmp, out, o) = import("auto-numbering.docx", &[]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let md = read(out.join("auto-numbering.md"));
    let h = headings(&md);
    assert_eq!(h[0], "# 第一章 总则");
    assert_eq!(h[1], "## （一）编制目的");
    assert_eq!(h[3], "## （三）工作原则");
    assert_eq!(h[4], "# 第二章 组织体系");
    assert_eq!(h[5], "## （一）镇突发事件应急指挥部");
    assert_eq!(h.last(), Some(&"# 第五章 附则"));
    for line in [
        "kind: overall",
        "level: township",
        "  issued: 2024-06-20",
        "  effective: 2024-07-01",
    ] {
        assert!(md.lines().any(|l| l == line), "{line} in\n{md}");
    }
    let reg = read(out.join("registry/auto-numbering.yaml"));
    assert!(
        reg.contains("name: \"青溪县河口镇\", level: township"),
        "{reg}"
    );
    // the report names the numbering definition as the evidence
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(report.contains("自动编号“第%1章”"), "{report}");
    assert!(report.contains("自动编号“（%2）”"), "{report}");
    let found = check(&out);
    assert_eq!(
        codes(&found),
        BTreeSet::from(["S501", "T801"]),
        "{found:#?}"
    );
    assert!(found.iter().any(|(_, m)| m.contains("预案管理")));
}

#[test]
fn typed_numbering_with_direct_formatting_and_a_merged_contact_table() {
    let (_tmp, out, o) = import("typed-numbering.docx", &["--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let md = read(out.join("typed-numbering.md"));
    assert_eq!(
        headings(&md),
        vec![
            "# 一、总则",
            "## （一）编制目的",
            "## （二）适用范围",
            "# 二、组织机构及职责",
            "## 1. 应急调查组",
            "## 2. 综合协调组",
            "# 三、应急响应",
            "## （一）信息报告",
            "## （二）分级响应",
            "# 附件  应急通讯录",
        ]
    );
    // a numbered sentence in body text stays text: no heading formatting
    assert!(md.contains("\n1. 接到灾情报告后，值班人员应立即报告带班领导\n"));
    // the typed contents with dot leaders is left out
    assert!(!md.contains("………"));
    // front matter from the cover labels, full-width digits included
    for line in [
        "kind: department",
        "plan_no: QXZR-YA-2025-02",
        "version: \"2.0\"",
        "  issued: 2025-03-10",
        "  effective: 2025-03-10  # 待定：原文没有写明施行日期，暂同印发日期",
    ] {
        assert!(md.lines().any(|l| l == line), "{line} in\n{md}");
    }
    // merged cells: the title row is the caption, a vertical merge and a horizontal one
    // repeated in every cell they cover, and said so
    assert!(md.contains("**青溪县自然资源局地质灾害应急通讯录**"));
    assert!(md.contains("| 领导小组 | 副组长 | 李明 | 0745-6631203 | 13807452244 |"));
    assert!(md.contains("| 应急调查组 | 组员 | 赵红梅 |"));
    assert!(md.contains("| 值班室 | 值班室 | 值班室 | 0745-6631200 |"));
    assert!(md.contains("合并单元格（横向 2 格、纵向 2 格）"));
    let reg = read(out.join("registry/typed-numbering.yaml"));
    assert_eq!(reg.matches("    imported: typed-numbering.docx").count(), 5);
    assert!(
        reg.contains("{ number: \"13807452244\", type: mobile }"),
        "{reg}"
    );
    assert!(
        reg.contains("{ number: \"0745-6631200\", type: duty }"),
        "{reg}"
    );
    // the JSON report: headings with their evidence, fields with their paragraph
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    let doc = &v["sources"][0]["documents"][0];
    assert_eq!(doc["id"], "typed-numbering");
    assert_eq!(doc["headings"][0]["evidence"]["kind"], "typed");
    assert_eq!(doc["headings"][0]["evidence"]["number"], "一、");
    assert_eq!(doc["headings"][0]["level"], 1);
    let plan_no = doc["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .find(|f| f["field"] == "plan_no")
        .expect("plan_no");
    assert_eq!(plan_no["paragraph"], 2);
    assert_eq!(plan_no["placeholder"], false);
    assert!(v["sources"][0]["left_out"][0]
        .as_str()
        .is_some_and(|s| s.contains("目录")));
    // the real gaps: sections it lacks, contacts unverified for over a year, no parent plan
    // and no overall plan of the county in the repository, the effective date it does not
    // give
    let found = check(&out);
    assert_eq!(
        codes(&found),
        BTreeSet::from(["C602", "H201", "H204", "S501", "T801"]),
        "{found:#?}"
    );
}

#[test]
fn a_whole_enterprise_plan_splits_into_its_plans() {
    let (_tmp, out, o) = import(
        "enterprise-whole.docx",
        &["--split", "auto", "--id", "hd", "--format", "json"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        files(&out),
        vec![
            "hd/_defaults.yaml",
            "hd/hd-comprehensive.md",
            "hd/hd-onsite-1.md",
            "hd/hd-onsite-2.md",
            "hd/hd-special-1.md",
            "hd/hd-special-2.md",
            "registry/hd.yaml",
            "yuan.toml",
        ]
    );
    let defaults = read(out.join("hd/_defaults.yaml"));
    for line in [
        "plan_no: HD-YA-2026-01",
        "version: \"2026.1\"",
        "enterprise: hd-org",
        "  issued: 2026-03-20",
        "  effective: 2026-04-01",
    ] {
        assert!(defaults.lines().any(|l| l == line), "{line} in\n{defaults}");
    }
    let comp = read(out.join("hd/hd-comprehensive.md"));
    assert!(comp.contains("title: \"青溪恒达化工有限公司生产安全事故综合应急预案\""));
    assert!(comp.contains("  upper: [hd-ext-1]"));
    assert!(
        !comp.lines().any(|l| l.starts_with("status:")),
        "the text gave every value"
    );
    // the order of issue before the first part, and the 附件 after the last, belong to it
    assert!(comp.contains("发布令"));
    assert_eq!(headings(&comp)[0], "# 1 总则");
    assert!(comp.contains("# 附件\n") && comp.contains("## 附件1 应急通讯录"));
    assert!(!comp.contains("第二部分"));
    let special = read(out.join("hd/hd-special-1.md"));
    assert!(special.contains("parent: hd-comprehensive"));
    assert!(special.contains("hazards: [fire, explosion]"));
    assert_eq!(headings(&special)[0], "# 1 适用范围");
    let onsite = read(out.join("hd/hd-onsite-1.md"));
    assert!(onsite.contains("parent: hd-special-1"));
    assert!(onsite.contains("key_posts: [\"值班长\", \"反应釜操作工\"]"));
    let onsite2 = read(out.join("hd/hd-onsite-2.md"));
    assert!(onsite2.contains("hazards: [fire, explosion, poisoning]"));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(
        v["sources"][0]["documents"].as_array().map(Vec::len),
        Some(5)
    );
    // the real gaps of this plan: not filed, never drilled, sections it lacks, key posts
    // without cards; no placeholder, no schema or reference finding
    let found = check(&out);
    assert_eq!(
        codes(&found),
        BTreeSet::from(["D703", "E005", "H206", "S501"]),
        "{found:#?}"
    );
}

#[test]
fn bad_inputs_stop_with_one_line_and_write_nothing() {
    for (name, says) in [
        ("corrupt.docx", "not a valid .docx"),
        ("old-word.docx", "soffice --headless --convert-to docx"),
        ("encrypted.docx", "password-protected"),
        ("bomb.docx", "zip bomb"),
    ] {
        let (_tmp, out, o) = import(name, &["--lang", "en"]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{name}: {err}");
        assert!(err.contains(name) && err.contains(says), "{name}: {err}");
        assert!(!out.exists(), "{name}: something was written");
        assert!(o.stdout.is_empty());
    }
    // an id that is not one: refused before anything is read or written
    let (_tmp, out, o) = import("heading-styles.docx", &["--id", "../x", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--id ../x: an id is"));
    assert!(!out.exists());
    // a file that does not exist
    let (_tmp, out, o) = import("missing.docx", &["--lang", "en"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("missing.docx: no such file"));
    assert!(!out.exists());
}

#[test]
fn macros_and_external_relationships_are_ignored_and_said_so() {
    for (name, what) in [
        ("macros.docm.docx", "word/vbaProject.bin"),
        (
            "external-rels.docx",
            "http://templates.example.com/yuan/normal.dotm",
        ),
    ] {
        let (_tmp, out, o) = import(name, &["--lang", "en", "--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{name}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("note: ") && err.contains(what),
            "{name}: {err}"
        );
        let v: Value = serde_json::from_slice(&o.stdout).expect("json");
        let left: Vec<&str> = v["sources"][0]["left_out"]
            .as_array()
            .expect("left_out")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(left.iter().any(|l| l.contains(what)), "{left:?}");
        assert!(out.join("yuan.toml").exists());
    }
}

#[test]
fn nothing_is_overwritten_and_an_existing_repository_keeps_its_config() {
    let (_tmp, out, o) = import("auto-numbering.docx", &[]);
    assert_eq!(o.status.code(), Some(0));
    let before = read(out.join("auto-numbering.md"));
    std::fs::write(out.join("yuan.toml"), "[check]\nlang = \"en\"\n").expect("write");
    let src = fixture("auto-numbering.docx");
    let o = yuan(&["import", &src, "--out", out.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("already exists: not overwriting"), "{err}");
    assert_eq!(read(out.join("auto-numbering.md")), before);
    // into the existing repository under another id, with its jurisdiction: no second
    // yuan.toml, no jurisdiction entry
    let o = yuan(&[
        "import",
        &src,
        "--out",
        out.to_str().expect("utf-8"),
        "--id",
        "hekou-overall",
        "--jurisdiction",
        "auto-numbering-area",
        "--today",
        TODAY,
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(read(out.join("yuan.toml")), "[check]\nlang = \"en\"\n");
    // the issuer and the jurisdiction are the repository's now: nothing to register again
    assert!(!out.join("registry/hekou-overall.yaml").exists());
    let md = read(out.join("hekou-overall.md"));
    assert!(md.contains("jurisdiction: auto-numbering-area\n"), "{md}");
    assert!(md.contains("issuer: auto-numbering-org\n"), "{md}");
    // a new folder inside the repository belongs to it: documents there, the registry file in
    // the repository's registry folder, no yuan.toml of its own
    let sub = out.join("township/hekou");
    let o = yuan(&[
        "import",
        &src,
        "--out",
        sub.to_str().expect("utf-8"),
        "--id",
        "hekou-2",
        "--jurisdiction",
        "auto-numbering-area",
        "--today",
        TODAY,
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(sub.join("hekou-2.md").exists());
    assert!(!sub.join("yuan.toml").exists() && !sub.join("registry").exists());
}

#[test]
fn a_text_file_imports_by_its_typed_numbers() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let src = tmp.path().join("qx-geo.txt");
    std::fs::write(
        &src,
        "青溪县突发地质灾害应急预案\n\n目录\n一、总则……1\n\n一、总则\n（一）编制目的\n为做好地质灾害防治工作，制定本预案。\n二、组织指挥体系\n县人民政府设立县地质灾害应急指挥部。\n",
    )
    .expect("write");
    let out = tmp.path().join("repo");
    let o = yuan(&[
        "import",
        src.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
        "--today",
        TODAY,
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let md = read(out.join("qx-geo.md"));
    assert_eq!(
        headings(&md),
        vec!["# 一、总则", "## （一）编制目的", "# 二、组织指挥体系"]
    );
    assert!(md.contains("hazards: [geological]"));
    // no issuer, no dates in the text: placeholders, which check reports as T801
    let found = check(&out);
    assert!(found.iter().any(|(c, _)| c == "T801"));
    assert!(
        !codes(&found)
            .iter()
            .any(|c| c.starts_with('F') || c.starts_with('R')),
        "{found:#?}"
    );
}

#[test]
fn a_government_plan_behind_its_notice_of_issue() {
    // the notice that issues the plan, its office and date as signature, a typed contents,
    // a list of sources citing laws and plans, then the plan (plain text, as copied from a
    // government website)
    let (_tmp, out, o) = import("notice-style.txt", &["--id", "qx-food"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let md = read(out.join("qx-food.md"));
    for line in [
        "title: \"青溪县食品安全事故应急预案\"",
        "kind: special",
        "hazards: [qx-food-hazard]",
        "parent: qx-food-ext-2",
        "  issued: 2023-05-18",
        "  effective: 2023-05-18",
    ] {
        assert!(md.lines().any(|l| l == line), "{line} in\n{md}");
    }
    // the signature date and the cited sources are not headings; the title is not repeated
    let h = headings(&md);
    assert_eq!(h[0], "# 1 总则");
    assert_eq!(h.len(), 12, "{h:?}");
    assert!(md.contains("\n（3）《云州市食品安全事故应急预案》\n"));
    assert_eq!(md.matches("青溪县食品安全事故应急预案").count(), 3, "{md}");
    let reg = read(out.join("registry/qx-food.yaml"));
    assert!(reg.contains("{ id: qx-food-hazard, name: \"食品安全事故\", category: public_health, imported: notice-style.txt }"), "{reg}");
    assert!(
        reg.contains("name: \"青溪县人民政府\", type: government"),
        "{reg}"
    );
    let found = check(&out);
    assert!(
        codes(&found).is_subset(&BTreeSet::from(["S501", "T801"])),
        "{found:#?}"
    );
    assert_eq!(
        found.iter().filter(|(c, _)| c == "T801").count(),
        1,
        "{found:#?}"
    );
}

/// Copies the folder `from` to `to` (regular files and folders).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("ls") {
        let e = e.expect("entry");
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if src.is_dir() {
            copy_tree(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).expect("copy");
        }
    }
}

#[test]
fn into_an_existing_repository_it_names_what_is_there() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path().join("plans");
    copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("plans"), &repo);
    let out = repo.join("enterprise/hd-2026");
    let src = fixture("enterprise-whole.docx");
    let o = yuan(&[
        "import",
        &src,
        "--out",
        out.to_str().expect("utf-8"),
        "--split",
        "auto",
        "--id",
        "hd2",
        "--enterprise",
        "hd-chem",
        "--today",
        "2026-11-28",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // the enterprise's jurisdiction, and the county plan it cites, are the repository's own
    let defaults = read(out.join("hd2/_defaults.yaml"));
    assert!(defaults.contains("issuer: hd-chem\n") && defaults.contains("jurisdiction: qx\n"));
    assert!(read(out.join("hd2/hd2-comprehensive.md")).contains("  upper: [qx-hazchem]"));
    let reg = read(repo.join("registry/hd2.yaml"));
    for list in ["jurisdictions:", "organizations:", "external_plans:"] {
        assert!(!reg.contains(list), "{list} in {reg}");
    }
    // 刘志强 (0745-6628001) and the others of the table are the repository's contacts: named
    // in the plan, not added again; 应急值班室 (0745-6628119) is not one by that name
    let comp = read(out.join("hd2/hd2-comprehensive.md"));
    assert!(
        comp.contains("contacts: [hd-gm, hd-vgm, hd-safety-manager, hd2-contact-1"),
        "{comp}"
    );
    assert!(
        !reg.contains("刘志强") && reg.contains("应急值班室"),
        "{reg}"
    );
    assert!(reg.contains("org: hd-chem"));
    assert!(!out.join("yuan.toml").exists());
    let found = check(&repo);
    assert!(
        codes(&found).is_subset(&BTreeSet::from(["D703", "E005", "H206", "S501"])),
        "{found:#?}"
    );
}

/// Documents a real word processor wrote (LibreOffice, from `libreoffice/*.html`, see its
/// make.sh): a county plan with bold `1　总则` chapters and `1.1` sections in the body font, a
/// contact table with a note row merged across it; an enterprise plan with Heading styles in
/// three parts. The import finds every heading, and `yuan check` reports the plans' real gaps
/// only: no placeholder twice, no note taken for a contact, no citation of the whole plan
/// taken for an unknown plan.
#[test]
fn documents_libreoffice_wrote_import_with_their_structure() {
    let (_t, out, o) = import("libreoffice/county-flood.docx", &["--id", "qs-flood"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let md = read(out.join("qs-flood.md"));
    let hs = headings(&md);
    assert_eq!(hs.len(), 21, "{hs:#?}");
    assert!(hs.contains(&"# 1　总则"), "{hs:#?}");
    assert!(hs.contains(&"## 1.1　编制目的"), "{hs:#?}");
    assert!(hs.contains(&"## 4.2　Ⅳ级应急响应"), "{hs:#?}");
    // the contents with dot leaders is left out, the body is not
    assert!(!md.contains("……"), "{md}");
    assert!(md.contains("最大程度减少人员伤亡和财产损失"));
    let reg = read(out.join("registry/qs-flood.yaml"));
    assert!(reg.contains("县气象局"), "{reg}");
    assert!(
        !reg.contains("name: \"注："),
        "a note row became a contact:\n{reg}"
    );
    let found = check(&out);
    let c = codes(&found);
    assert!(c.iter().all(|c| ["C602", "T801"].contains(c)), "{found:#?}");
    assert_eq!(
        found.iter().filter(|(c, _)| c == "T801").count(),
        1,
        "{found:#?}"
    );

    let (_t, out, o) = import(
        "libreoffice/hotel-plan.docx",
        &["--id", "jc", "--split", "auto"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        files(&out.join("jc")),
        vec![
            "_defaults.yaml",
            "jc-comprehensive.md",
            "jc-onsite-1.md",
            "jc-special-1.md"
        ]
    );
    let found = check(&out);
    let c = codes(&found);
    // real gaps: no government plan named above it (A301), no drill yet (E005), contacts and
    // filing not kept up (C602, D703), an on-site plan without the GB/T 29639 §8.3 parts
    // (S501), the key post it does not name (T801, once)
    assert!(
        c.iter()
            .all(|c| ["A301", "C602", "D703", "E005", "S501", "T801"].contains(c)),
        "{found:#?}"
    );
    assert_eq!(
        found.iter().filter(|(c, _)| c == "T801").count(),
        1,
        "{found:#?}"
    );
}
