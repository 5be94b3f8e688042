//! Hostile and broken input: every file gets a clear diagnostic (or is skipped where that is the
//! convention), nothing panics, time and memory stay bounded, and the other files are still
//! checked. The repository is generated at test time (a 50 MB file does not belong in git).

use serde_json::Value;
use std::path::Path;
use std::process::Command;

const GOOD_PLAN: &str = "---\nid: ok-plan\nkind: joint\ntitle: 联合预案\nversion: \"1\"\nissuer: no-such-org\nlevel: township\njurisdiction: j\ndates: { issued: 2025-01-01, effective: 2025-01-01 }\nfiling: { authority: 县应急管理局, filed_on: 2025-01-10 }\n---\n";
const CONFIG: &[u8] = b"[sections]\njoint = []\n";

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, bytes).expect("write");
}

fn check(root: &Path) -> (i32, Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_yuan"))
        .args([
            "check",
            "--format",
            "json",
            "--lang",
            "en",
            "--today",
            "2026-01-01",
        ])
        .arg(root)
        .output()
        .expect("yuan runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let json = serde_json::from_slice(&out.stdout).expect("JSON output");
    (out.status.code().unwrap_or(-1), json, stderr)
}

fn codes_for(json: &Value, path: &str) -> Vec<String> {
    json["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .filter(|d| d["path"] == path)
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn hostile_repository() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "yuan.toml", CONFIG);
    write(
        root,
        "registry/r.yaml",
        b"jurisdictions:\n  - { id: j, name: J, level: township }\n",
    );
    write(root, "ok-plan.md", GOOD_PLAN.as_bytes());
    write(
        root,
        "broken-yaml.md",
        b"---\nid: a\n  kind: [overall\n---\n",
    );
    write(
        root,
        "unterminated.md",
        b"---\nid: b\nkind: overall\n# never closed\n",
    );
    write(root, "no-front-matter.md", "# 只有标题\n".as_bytes());
    write(root, "empty.md", b"");
    write(root, "empty-front-matter.md", b"---\n---\nbody\n");
    write(
        root,
        "gbk.md",
        &[0x2d, 0x2d, 0x2d, 0x0a, 0xd3, 0xa6, 0xbc, 0xb1, 0x0a],
    );
    write(root, "not-a-mapping.md", b"---\n- a\n- b\n---\n");
    let mut bomb = String::from("---\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    bomb.push_str("---\n");
    write(root, "alias-bomb.md", bomb.as_bytes());
    let deep = format!("---\nx: {}{}\n---\n", "[".repeat(200), "]".repeat(200));
    write(root, "deep.md", deep.as_bytes());
    // 50 MB: above the 8 MiB default limit, so it is reported without being read.
    write(root, "huge.md", &vec![b'a'; 50 * 1024 * 1024]);
    // BOM and CRLF are fine: no diagnostics beyond the plan's own.
    let crlf = GOOD_PLAN
        .replace("ok-plan", "crlf-plan")
        .replace('\n', "\r\n");
    write(root, "crlf-plan.md", format!("\u{feff}{crlf}").as_bytes());
    write(root, "notes.txt", b"\x00\x01 not a plan");
    write(root, "image.png", &[0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(root, root.join("loop")).expect("symlink");
    }

    let started = std::time::Instant::now();
    let (code, json, stderr) = check(root);
    assert!(started.elapsed().as_secs() < 30, "bounded time");
    assert_eq!(code, 1, "{stderr}");

    assert_eq!(codes_for(&json, "broken-yaml.md"), ["F002"]);
    assert_eq!(codes_for(&json, "unterminated.md"), ["F001"]);
    assert_eq!(codes_for(&json, "no-front-matter.md"), ["F001"]);
    assert_eq!(codes_for(&json, "empty.md"), ["F001"]);
    assert_eq!(codes_for(&json, "empty-front-matter.md"), ["F001"]);
    assert_eq!(codes_for(&json, "gbk.md"), ["F005"]);
    assert_eq!(codes_for(&json, "not-a-mapping.md"), ["F002"]);
    assert_eq!(codes_for(&json, "alias-bomb.md"), ["F002"]);
    assert_eq!(codes_for(&json, "deep.md"), ["F002"]);
    assert_eq!(codes_for(&json, "huge.md"), ["F005"]);
    assert!(
        codes_for(&json, "notes.txt").is_empty(),
        "non-Markdown files are skipped"
    );
    assert!(codes_for(&json, "image.png").is_empty());
    #[cfg(unix)]
    assert!(
        json["diagnostics"]
            .as_array()
            .expect("list")
            .iter()
            .any(|d| d["code"] == "F005" && d["path"].as_str().unwrap_or("").starts_with("loop")),
        "symlink loop reported: {json:#}"
    );
    // The other files are still checked, including the CRLF + BOM one.
    assert_eq!(codes_for(&json, "ok-plan.md"), ["R401"]);
    assert_eq!(codes_for(&json, "crlf-plan.md"), ["R401"]);
    let line = json["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .find(|d| d["path"] == "crlf-plan.md")
        .map(|d| d["line"].clone());
    assert_eq!(
        line,
        Some(Value::from(6)),
        "line numbers survive CRLF and BOM"
    );
}

#[test]
fn missing_directory_is_exit_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_yuan"))
        .args(["check", "/definitely/not/here", "--lang", "en"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a directory"));
}

#[test]
fn deny_warnings_turns_warnings_into_failure() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "yuan.toml", CONFIG);
    write(root, "registry/r.yaml", b"jurisdictions:\n  - { id: j, name: J, level: township }\norganizations:\n  - { id: o, name: O, type: government }\n");
    let plan = GOOD_PLAN
        .replace("no-such-org", "o")
        .replace("version: \"1\"", "version: \"1\"\nhazard: [x]");
    write(root, "ok-plan.md", plan.as_bytes());
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_yuan"))
            .args(["check", "--today", "2025-02-01"])
            .args(extra)
            .arg(root)
            .output()
            .expect("runs")
            .status
            .code()
    };
    assert_eq!(run(&[]), Some(0), "F004 unknown key is only a warning");
    assert_eq!(run(&["--deny", "warnings"]), Some(1));
}
