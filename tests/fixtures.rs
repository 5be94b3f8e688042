//! CLI tests over fixture repositories: `fixtures/good` must be clean, and every rule has a bad
//! repository `fixtures/bad/<CODE>_<slug>/` that triggers that rule and nothing else. The full
//! English human output of each bad repository is snapshotted (insta), so any change to a
//! message, a caret or a help line shows up in review.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

fn yuan() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_yuan"));
    c.env_remove("YUAN_LANG").env("NO_COLOR", "1");
    c
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

struct Run {
    code: i32,
    json: serde_json::Value,
}

fn check_json(dir: &Path) -> Run {
    let out = yuan()
        .args(["check", "--format", "json", "--lang", "en"])
        .arg(dir)
        .output()
        .expect("yuan runs");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: not JSON ({e}): {}{}",
            dir.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    Run {
        code: out.status.code().unwrap_or(-1),
        json,
    }
}

fn human(dir: &Path, lang: &str) -> String {
    let out = yuan()
        .args(["check", "--lang", lang])
        .arg(dir)
        .output()
        .expect("yuan runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn codes(run: &Run) -> Vec<String> {
    run.json["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| d["code"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn good_fixture_is_clean() {
    let dir = fixtures().join("good");
    let run = check_json(&dir);
    assert_eq!(codes(&run), Vec::<String>::new(), "{}", human(&dir, "en"));
    assert_eq!(run.code, 0);
}

#[test]
fn sample_plans_are_clean() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("plans");
    let run = check_json(&dir);
    assert_eq!(codes(&run), Vec::<String>::new(), "{}", human(&dir, "en"));
    assert_eq!(run.code, 0);
    assert!(run.json["summary"]["documents"].as_u64().unwrap_or(0) >= 20);
}

fn bad_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures().join("bad"))
        .expect("tests/fixtures/bad")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn every_rule_has_a_bad_fixture() {
    let names: Vec<String> = bad_dirs()
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    for r in yuan::check::registry::RULES {
        let code = r.info().code;
        assert!(
            names.iter().any(|n| n.starts_with(&format!("{code}_"))),
            "rule {code} has no fixture tests/fixtures/bad/{code}_<slug>/"
        );
    }
}

/// A rule that reads git history (C603: numbers the registry had once) needs a repository with
/// history: its fixture keeps the earlier versions of its files in `.history/` (a hidden folder,
/// which yuan does not read). This commits a copy of the fixture with those files first, then as
/// it is now, on fixed dates, and returns the copy; `None` for a fixture without `.history/`.
fn with_history(dir: &Path) -> Option<tempfile::TempDir> {
    let earlier = dir.join(".history");
    if !earlier.is_dir() {
        return None;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = git2::Repository::init(tmp.path()).expect("git init");
    let now = |to: &Path| {
        common::copy_dir(dir, to);
        std::fs::remove_dir_all(to.join(".history")).expect("rm .history");
    };
    now(tmp.path());
    common::copy_dir(&earlier, tmp.path());
    common::commit(&repo, "登记册：旧号码", "王芳", 300);
    now(tmp.path());
    common::commit(&repo, "登记册：更换号码", "王芳", 310);
    Some(tmp)
}

#[test]
fn bad_fixtures_trigger_their_rule_only() {
    for dir in bad_dirs() {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let history = with_history(&dir);
        let dir = history
            .as_ref()
            .map_or(dir.clone(), |t| t.path().to_path_buf());
        let code = name.split('_').next().unwrap_or_default().to_string();
        let run = check_json(&dir);
        let found = codes(&run);
        assert!(
            found.contains(&code),
            "{name}: expected {code}, got {found:?}\n{}",
            human(&dir, "en")
        );
        assert!(
            found.iter().all(|c| c == &code),
            "{name}: only {code} expected, got {found:?}\n{}",
            human(&dir, "en")
        );
        let errors = run.json["summary"]["errors"].as_u64().unwrap_or(0);
        assert_eq!(run.code, i32::from(errors > 0), "{name}: exit code");
        insta::assert_snapshot!(format!("bad_{name}"), human(&dir, "en"));
    }
}

#[test]
fn chinese_is_the_default_language() {
    let dir = bad_dirs().into_iter().next().expect("a bad fixture");
    let out = human(&dir, "zh");
    assert!(out.contains("检查了"), "{out}");
    let out = String::from_utf8_lossy(
        &yuan()
            .args(["check"])
            .arg(&dir)
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .output()
            .expect("runs")
            .stdout,
    )
    .into_owned();
    assert!(out.contains("个错误"), "{out}");
}
