//! Errors travel in one channel each: environment problems are errors told in the user's
//! language (the CLI picks the language, the library gives both), and problems of a
//! repository's `yuan.toml` are F006 diagnostics at their line, with the default applied,
//! found once when the file is read, never a fatal error later.

mod common;

use common::{copy_dir, root, text_of};
use std::path::Path;
use std::process::{Command, Output};

/// Runs `yuan` with no language from the environment: no YUAN_LANG, no locale.
fn yuan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yuan"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("YUAN_LANG")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .expect("yuan runs")
}

#[test]
fn a_missing_folder_is_told_in_english_with_lang_en() {
    let o = yuan(&["check", "/definitely/not/here", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        err.trim_end(),
        "yuan could not run: /definitely/not/here is not a directory"
    );
}

#[test]
fn a_missing_folder_is_told_in_chinese_by_default() {
    let o = yuan(&["check", "/definitely/not/here"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        err.trim_end(),
        "yuan 无法运行: /definitely/not/here 不是目录"
    );
}

/// `yuan ARGS` fails with exit 2 and this one line on standard error.
fn fails_with(args: &[&str], line: &str) {
    let o = yuan(args);
    assert_eq!(o.status.code(), Some(2), "{}", text_of(&o));
    assert_eq!(String::from_utf8_lossy(&o.stderr).trim_end(), line);
}

#[test]
fn an_unknown_rule_code_is_told_in_chinese_by_default_and_in_english_with_lang_en() {
    fails_with(
        &["explain", "X999"],
        "yuan 无法运行: 没有代码为 `X999` 的规则；`yuan explain --all` 列出全部规则",
    );
    fails_with(
        &["explain", "X999", "--lang", "en"],
        "yuan could not run: unknown rule code `X999`; `yuan explain --all` lists them",
    );
}

#[test]
fn an_unknown_kind_for_yuan_new_is_told_in_chinese_by_default_and_in_english_with_lang_en() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().to_str().expect("utf-8");
    fails_with(
        &["new", "nope", "--dir", d],
        "yuan 无法运行: 未知的文档类别 `nope`；可用：overall、special、department、grassroots、joint、comprehensive、onsite、card",
    );
    fails_with(
        &["new", "nope", "--dir", d, "--lang", "en"],
        "yuan could not run: unknown kind `nope`; use one of overall, special, department, grassroots, joint, comprehensive, onsite, card",
    );
}

#[test]
fn a_font_that_cannot_be_read_is_told_in_the_language_of_yuan_toml() {
    let (_dir, d) = good_with_config("lang = \"en\"\n");
    let out = format!("{d}/out");
    let o = yuan(&[
        "handbook",
        &d,
        "--all",
        "--font",
        "/nonexistent",
        "--out",
        &out,
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text_of(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("yuan could not run: cannot read font /nonexistent (--font): no such file"),
        "{err}"
    );
}

/// The good fixture in a temporary folder, with `extra` added to its `yuan.toml`.
fn good_with_config(extra: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/good"), dir.path());
    let toml = dir.path().join("yuan.toml");
    let mut text = std::fs::read_to_string(&toml).expect("read");
    text.push_str(extra);
    std::fs::write(&toml, text).expect("write");
    let d = dir.path().to_str().expect("utf-8").to_string();
    (dir, d)
}

#[test]
fn the_language_of_yuan_toml_tells_the_errors_of_a_command_that_read_it() {
    let (_dir, d) = good_with_config("lang = \"en\"\n");
    let o = yuan(&["align", "no-such-plan", &d]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("yuan could not run: no document has the id no-such-plan"),
        "{err}"
    );
}

/// The F006 findings of a check of `d`, as (line, message).
fn f006(d: &str) -> Vec<(u64, String)> {
    let o = yuan(&["check", d, "--format", "json", "--lang", "en"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let all = v["diagnostics"].as_array().cloned().unwrap_or_default();
    assert!(all.iter().all(|d| d["code"] == "F006"), "{v}");
    all.iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap_or(0),
                d["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn a_drill_season_that_does_not_read_is_one_f006_and_the_schedule_still_runs() {
    let (dir, d) = good_with_config(
        "\n[drills]\nseasons = [\n  { name = \"防火\", hazards = [\"forest-fire\"], from = \"08-01\", to = \"13-30\" },\n]\n",
    );
    let found = f006(&d);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, 7, "the line of the season: {found:?}");
    assert!(found[0].1.contains("[drills] seasons `防火`"), "{found:?}");
    let out = dir.path().join("schedule");
    let o = yuan(&[
        "drills",
        "schedule",
        &d,
        "--format",
        "csv",
        "--out",
        out.to_str().expect("utf-8"),
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    assert!(Path::new(&out).join("drills.csv").is_file());
}

#[test]
fn an_unknown_card_size_is_one_f006_at_its_line_and_cards_are_a6() {
    let (dir, d) = good_with_config("\n[cards]\nsize = \"a4\"\n");
    let found = f006(&d);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, 6, "the line of the size: {found:?}");
    assert!(
        found[0].1.contains("\"a6\", \"a5\", \"pocket\""),
        "the allowed values: {found:?}"
    );
    let out = dir.path().join("cards");
    let o = yuan(&[
        "cards",
        &d,
        "--no-html",
        "--out",
        out.to_str().expect("utf-8"),
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    // A6 is 105 x 148 mm: 297.6 x 419.5 pt
    let card = common::pdf::open(&out.join("hd-card-reactor-operator.pdf"));
    let p = &card.pages[0];
    let (w, h) = (p.width, p.height);
    assert!(
        (w - 297.6).abs() < 1.0 && (h - 419.5).abs() < 1.0,
        "{w} x {h}"
    );
}

/// Every command's help, in the order `yuan --help` lists them.
const COMMANDS: &[&[&str]] = &[
    &[],
    &["check"],
    &["list"],
    &["explain"],
    &["new"],
    &["cards"],
    &["handbook"],
    &["log"],
    &["align"],
    &["diff"],
    &["drills"],
    &["drills", "status"],
    &["drills", "schedule"],
    &["drills", "new"],
    &["drills", "pack"],
    &["hook"],
    &["schemas"],
];

fn has_cjk(s: &str) -> bool {
    s.chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3000}'..='\u{303f}').contains(&c))
}

fn with_args(cmd: &[&str], more: &[&str]) -> Vec<String> {
    cmd.iter().chain(more).map(|s| s.to_string()).collect()
}

#[test]
fn help_is_in_english_with_lang_en_and_has_no_chinese() {
    for cmd in COMMANDS {
        for flag in ["-h", "--help"] {
            let args = with_args(cmd, &["--lang", "en", flag]);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let o = yuan(&args);
            assert_eq!(o.status.code(), Some(0), "{args:?}");
            let out = String::from_utf8_lossy(&o.stdout);
            assert!(out.contains("Usage:") && out.contains("Options:"), "{out}");
            // a default value is data: `yuan new` writes the title 待定 in either language
            let said = |l: &str| match l.split_once("[default: ") {
                Some((before, _)) => before.to_string(),
                None => l.to_string(),
            };
            let bad: Vec<&str> = out.lines().filter(|l| has_cjk(&said(l))).collect();
            assert!(
                bad.is_empty(),
                "yuan {args:?}: Chinese in English help:\n{}",
                bad.join("\n")
            );
        }
    }
    // YUAN_LANG says it too
    let o = Command::new(env!("CARGO_BIN_EXE_yuan"))
        .args(["check", "--help"])
        .env("YUAN_LANG", "en")
        .output()
        .expect("yuan runs");
    assert!(!has_cjk(&String::from_utf8_lossy(&o.stdout)));
}

#[test]
fn help_is_in_chinese_by_default() {
    for cmd in COMMANDS {
        let args = with_args(cmd, &["--help"]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = yuan(&args);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.contains("用法：") && out.contains("选项："), "{out}");
        for english in [
            "Usage:",
            "Options:",
            "Examples",
            "Print help",
            "[default:",
            "Outputs",
        ] {
            assert!(
                !out.contains(english),
                "yuan {args:?}: `{english}` in:\n{out}"
            );
        }
        // every line that says something (not only an option's name, a value or an example
        // command) says it in Chinese
        for line in out.lines().filter(|l| !l.trim_start().starts_with("yuan ")) {
            let words = line
                .split_whitespace()
                .filter(|w| w.chars().all(|c| c.is_ascii_alphabetic()) && w.len() > 3)
                .count();
            assert!(
                has_cjk(line) || words < 4,
                "yuan {args:?}: English line in Chinese help: {line}"
            );
        }
    }
}

#[test]
fn argument_errors_are_told_in_one_language() {
    let o = yuan(&["check", "--format", "xml"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("错误：'--format <FORMAT>' 的值 'xml' 无效"),
        "{err}"
    );
    assert!(
        !err.contains("error:") && !err.contains("For more information"),
        "{err}"
    );
    let o = yuan(&["check", "--format", "xml", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.starts_with("error: invalid value 'xml'"), "{err}");
    assert!(!has_cjk(&err), "{err}");
    let o = yuan(&["chek"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.starts_with("错误：无法识别的子命令 'chek'"), "{err}");
    assert!(err.contains("提示：") && err.contains("'check'"), "{err}");
    let o = yuan(&["chek", "--lang=en"]);
    assert!(!has_cjk(&String::from_utf8_lossy(&o.stderr)));
}

#[test]
fn explain_says_a_rule_in_one_language() {
    let o = yuan(&["explain", "S501", "--lang", "en"]);
    let en = String::from_utf8_lossy(&o.stdout);
    assert!(
        en.contains("## What it checks") && en.contains("## How to fix"),
        "{en}"
    );
    assert!(
        !en.contains("检查内容") && !en.contains("如何修改") && !en.contains(" · "),
        "{en}"
    );
    assert!(
        en.starts_with("S501 section-missing (error)\n\nMandatory section missing"),
        "{en}"
    );
    let o = yuan(&["explain", "S501"]);
    let zh = String::from_utf8_lossy(&o.stdout);
    assert!(
        zh.starts_with("S501 section-missing (错误)\n\n缺少必备章节"),
        "{zh}"
    );
    assert!(zh.contains("## 检查内容\n按文档类别检查必备章节"), "{zh}");
    assert!(
        !zh.contains("What it checks") && !zh.contains("Each document kind"),
        "{zh}"
    );
}
