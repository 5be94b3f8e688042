//! git integration: revision history following renames, shallow clones, provenance on cards.
//! Repositories are built with git2 in temporary folders (and cloned shallow with the git
//! command line, as CI systems do).

use git2::{IndexAddOption, Repository, Signature, Time};
mod common;

use common::{copy_dir, root, text_of};
use std::process::{Command, Output};

fn yuan(args: &[&str]) -> Output {
    common::run(args, &[])
}

/// Stages everything (including deletions) and commits at `day` days after 2026-01-01.
fn commit(repo: &Repository, msg: &str, author: &str, day: i64) {
    let mut index = repo.index().expect("index");
    index
        .add_all(["*"].iter(), IndexAddOption::DEFAULT, None)
        .expect("add");
    index
        .update_all(["*"].iter(), None)
        .expect("update deletions");
    index.write().expect("write index");
    let tree = repo
        .find_tree(index.write_tree().expect("tree"))
        .expect("find tree");
    let sig = Signature::new(
        author,
        "a@example.org",
        &Time::new(1_767_225_600 + day * 86_400, 480),
    )
    .expect("signature");
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, msg, &tree, &parents)
        .expect("commit");
}

/// The good fixture in a repository: added, revised, renamed, then an unrelated change.
fn repo_with_history() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/good"), dir.path());
    let repo = Repository::init(dir.path()).expect("init");
    commit(&repo, "初版预案", "王芳", 0);
    let plan = dir.path().join("province/xj-flood.md");
    let text = std::fs::read_to_string(&plan).expect("read");
    std::fs::write(&plan, text.replace("防汛", "防汛抗旱")).expect("write");
    commit(&repo, "修订响应分级", "李强", 30);
    std::fs::create_dir_all(dir.path().join("province/special")).expect("mkdir");
    std::fs::rename(&plan, dir.path().join("province/special/xj-flood.md")).expect("mv");
    commit(&repo, "专项预案移入 special/", "王芳", 60);
    let other = dir.path().join("province/xj-overall.md");
    let text = std::fs::read_to_string(&other).expect("read");
    std::fs::write(&other, format!("{text}\n")).expect("write");
    commit(&repo, "总体预案格式调整", "赵敏", 90);
    dir
}

#[test]
fn log_follows_renames_and_skips_unrelated_commits() {
    let dir = repo_with_history();
    let d = dir.path().to_str().expect("utf-8");
    let o = yuan(&["log", "xj-flood", d, "--lang", "en"]);
    assert!(o.status.success(), "{}", text_of(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "xj-flood  province/special/xj-flood.md", "{out}");
    assert_eq!(lines.len(), 4, "three commits changed it:\n{out}");
    assert!(lines[1].starts_with("2026-03-02") && lines[1].contains("专项预案移入 special/"));
    assert!(lines[2].contains("李强") && lines[2].contains("(was province/xj-flood.md)"));
    assert!(lines[3].starts_with("2026-01-01") && lines[3].contains("初版预案"));
    assert!(!out.contains("总体预案格式调整"));

    let o = yuan(&["log", "xj-flood", d, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["truncated"], false);
    assert_eq!(v["revisions"].as_array().map(Vec::len), Some(3));
    assert_eq!(v["revisions"][2]["path"], "province/xj-flood.md");
}

#[test]
fn log_of_an_unknown_id_or_outside_git_is_a_clear_error() {
    let dir = repo_with_history();
    let o = yuan(&["log", "no-such-plan", dir.path().to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text_of(&o).contains("no-such-plan"));
    let plain = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/good"), plain.path());
    let o = yuan(&[
        "log",
        "xj-flood",
        plain.path().to_str().expect("utf-8"),
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text_of(&o).contains("not a git repository"),
        "{}",
        text_of(&o)
    );
}

#[test]
fn a_shallow_clone_says_its_history_is_truncated() {
    let dir = repo_with_history();
    let clone = tempfile::tempdir().expect("tempdir");
    let status = Command::new("git")
        .args(["clone", "-q", "--depth", "1"])
        .arg(format!("file://{}", dir.path().display()))
        .arg(clone.path().join("c"))
        .status()
        .expect("git clone");
    assert!(status.success());
    let c = clone.path().join("c");
    let o = yuan(&[
        "log",
        "xj-flood",
        c.to_str().expect("utf-8"),
        "--lang",
        "en",
    ]);
    assert!(o.status.success(), "{}", text_of(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("shallow clone, history truncated"), "{out}");
    let o = yuan(&[
        "log",
        "xj-flood",
        c.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["truncated"], true);
}

#[test]
fn cards_carry_the_commit_and_a_dirty_marker() {
    let dir = repo_with_history();
    let repo = Repository::open(dir.path()).expect("open");
    let head = repo
        .head()
        .and_then(|h| h.peel_to_commit())
        .expect("head")
        .id()
        .to_string();
    let short = &head[..7];
    let out = tempfile::tempdir().expect("tempdir");
    let run = || {
        let o = yuan(&[
            "cards",
            dir.path().to_str().expect("utf-8"),
            "--out",
            out.path().to_str().expect("utf-8"),
            "--no-html",
        ]);
        assert!(o.status.success(), "{}", text_of(&o));
        let t = Command::new("pdftotext")
            .arg(out.path().join("hd-card-reactor-operator.pdf"))
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils)");
        String::from_utf8_lossy(&t.stdout).into_owned()
    };
    let clean = run();
    assert!(clean.contains(&format!("来源 {short}")), "{clean}");
    assert!(!clean.contains("+dirty"));
    // the commit time dates the PDF when SOURCE_DATE_EPOCH is not set: 2026-04-01 08:00 +08:00
    let info = Command::new("pdfinfo")
        .arg(out.path().join("hd-card-reactor-operator.pdf"))
        .output()
        .expect("pdfinfo");
    assert!(String::from_utf8_lossy(&info.stdout).contains("2026"));
    let card = dir.path().join("enterprise/hd-card-reactor-operator.md");
    let text = std::fs::read_to_string(&card).expect("read");
    std::fs::write(&card, text.replace("防火服", "防火服、安全帽")).expect("write");
    let dirty = run();
    assert!(dirty.contains(&format!("来源 {short}+dirty")), "{dirty}");
}

fn codes_by_file(o: &Output) -> Vec<(String, String)> {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let mut out: Vec<(String, String)> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["path"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn changed_since_reports_changed_files_and_their_dependents_only() {
    let dir = repo_with_history();
    let repo = Repository::open(dir.path()).expect("open");
    // a problem committed earlier, in a document that does not depend on the flood plan
    let old = dir.path().join("enterprise/hd-comprehensive.md");
    let text = std::fs::read_to_string(&old).expect("read");
    std::fs::write(&old, format!("{text}\n联系人：待定\n")).expect("write");
    commit(&repo, "留一个占位", "赵敏", 100);
    // now, uncommitted: the province renames a section the city plan links to
    let plan = dir.path().join("province/special/xj-flood.md");
    let text = std::fs::read_to_string(&plan).expect("read");
    std::fs::write(&plan, text.replace("## 四、应急响应", "## 四、响应措施")).expect("write");
    let d = dir.path().to_str().expect("utf-8");

    let all = yuan(&["check", d, "--format", "json"]);
    let all = codes_by_file(&all);
    assert!(
        all.contains(&("T801".into(), "enterprise/hd-comprehensive.md".into())),
        "{all:?}"
    );
    assert!(
        all.contains(&("R403".into(), "city/yz-flood.md".into())),
        "{all:?}"
    );

    let o = yuan(&[
        "check",
        d,
        "--format",
        "json",
        "--changed-since",
        "HEAD",
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text_of(&o));
    let scoped = codes_by_file(&o);
    assert!(
        scoped.contains(&("R403".into(), "city/yz-flood.md".into())),
        "the unchanged city plan depends on the changed province plan: {scoped:?}"
    );
    assert!(
        !scoped
            .iter()
            .any(|(_, p)| p == "enterprise/hd-comprehensive.md"),
        "{scoped:?}"
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("1 files changed since HEAD"));

    // a registry change can affect anything: everything is reported
    let reg = std::fs::read_dir(dir.path().join("registry"))
        .expect("registry")
        .flatten()
        .next()
        .expect("a registry file")
        .path();
    let text = std::fs::read_to_string(&reg).expect("read");
    std::fs::write(&reg, format!("{text}\n")).expect("write");
    let o = yuan(&["check", d, "--format", "json", "--changed-since", "HEAD"]);
    assert_eq!(codes_by_file(&o), all);

    // an unknown revision is a clear error
    let o = yuan(&["check", d, "--changed-since", "no-such-rev", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text_of(&o).contains("no-such-rev"), "{}", text_of(&o));
}

#[test]
fn the_pre_commit_hook_stops_a_commit_that_breaks_a_plan() {
    let dir = repo_with_history();
    // the move into special/ broke the city plan's relative link: repair it first
    let city = dir.path().join("city/yz-flood.md");
    let text = std::fs::read_to_string(&city).expect("read");
    std::fs::write(
        &city,
        text.replace("../province/xj-flood.md", "../province/special/xj-flood.md"),
    )
    .expect("write");
    let repo = Repository::open(dir.path()).expect("open");
    commit(&repo, "修正链接", "王芳", 95);
    let d = dir.path().to_str().expect("utf-8");
    let o = yuan(&["hook", "install", d, "--lang", "en"]);
    assert!(o.status.success(), "{}", text_of(&o));
    let hook = dir.path().join(".git/hooks/pre-commit");
    let script = std::fs::read_to_string(&hook).expect("hook");
    assert!(
        script.contains("yuan check '.' --changed-since HEAD"),
        "{script}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&hook).expect("meta").permissions().mode();
        assert_eq!(mode & 0o111, 0o111, "executable");
    }
    // never overwritten silently
    let o = yuan(&["hook", "install", d, "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text_of(&o).contains("--force"));

    // the hook finds yuan on PATH, as after `cargo install`
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_yuan"))
        .parent()
        .expect("bin dir")
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let git_commit = |msg: &str| {
        let add = Command::new("git")
            .args(["add", "-A"])
            .current_dir(dir.path())
            .status()
            .expect("git add");
        assert!(add.success());
        Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@example.org",
                "commit",
                "-q",
                "-m",
                msg,
            ])
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .output()
            .expect("git commit")
    };
    let plan = dir.path().join("province/special/xj-flood.md");
    let good = std::fs::read_to_string(&plan).expect("read");
    std::fs::write(
        &plan,
        good.replace("parent: xj-overall", "parent: xj-nowhere"),
    )
    .expect("write");
    let o = git_commit("破坏上级预案引用");
    assert!(
        !o.status.success(),
        "the hook must stop the commit: {}",
        text_of(&o)
    );
    assert!(text_of(&o).contains("xj-nowhere"), "{}", text_of(&o));
    std::fs::write(&plan, good.replace("防汛抗旱", "防汛抗旱工作")).expect("write");
    let o = git_commit("修订文字");
    assert!(o.status.success(), "{}", text_of(&o));
}

#[test]
fn the_pre_commit_framework_entry_is_a_working_command_line() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).expect("hooks file");
    let entry = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("entry: "))
        .expect("an entry");
    let args: Vec<&str> = entry.split_whitespace().collect();
    assert_eq!(args[0], "yuan");
    let dir = repo_with_history();
    let out = Command::new(env!("CARGO_BIN_EXE_yuan"))
        .args(&args[1..])
        .current_dir(dir.path().join("province"))
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    // run from a subfolder it checks that folder; the point is that the flags parse and work
    assert_ne!(out.status.code(), Some(2), "{}", text_of(&out));
}
