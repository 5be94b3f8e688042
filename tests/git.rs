//! git integration: revision history following renames, shallow clones, provenance on cards.
//! Repositories are built with git2 in temporary folders (and cloned shallow with the git
//! command line, as CI systems do).

use git2::Repository;
mod common;

use common::pdf;
use common::{commit, copy_dir, root, text_of};
use std::process::{Command, Output};

fn yuan(args: &[&str]) -> Output {
    common::run(args, &[])
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

/// A `--depth 1` clone of `repo` made with the git command line, as CI systems make them.
fn shallow_clone(repo: &std::path::Path) -> (tempfile::TempDir, std::path::PathBuf) {
    let clone = tempfile::tempdir().expect("tempdir");
    let status = Command::new("git")
        .args(["clone", "-q", "--depth", "1"])
        .arg(format!("file://{}", repo.display()))
        .arg(clone.path().join("c"))
        .status()
        .expect("git clone");
    assert!(status.success());
    let c = clone.path().join("c");
    (clone, c)
}

#[test]
fn a_shallow_clone_says_its_history_is_truncated() {
    let dir = repo_with_history();
    let (_clone, c) = shallow_clone(dir.path());
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
        pdf::text(&out.path().join("hd-card-reactor-operator.pdf"))
    };
    let clean = run();
    assert!(clean.contains(&format!("来源 {short}")), "{clean}");
    assert!(!clean.contains("+dirty"));
    // the commit time dates the PDF when SOURCE_DATE_EPOCH is not set: 2026-04-01 08:00 +08:00
    // (00:00 UTC)
    let info = pdf::open(&out.path().join("hd-card-reactor-operator.pdf")).info;
    let created = info.get("CreationDate").expect("CreationDate");
    assert!(created.starts_with("D:20260401"), "{created}");
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
    assert!(script.contains("check '.' --staged"), "{script}");
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

/// The good fixture in a repository where yz-flood was aligned with its parent yz-overall, and
/// yz-overall was revised afterwards (one section reworded, one added). Returns the folder and
/// yz-flood's bytes right after `yuan align`.
fn repo_with_revised_parent() -> (tempfile::TempDir, Vec<u8>) {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/good"), dir.path());
    let repo = Repository::init(dir.path()).expect("init");
    commit(&repo, "初版预案", "王芳", 0);
    let d = dir.path().to_str().expect("utf-8");
    let lower = dir.path().join("city/yz-flood.md");
    let before = std::fs::read(&lower).expect("read");
    let o = yuan(&[
        "align",
        "yz-flood",
        d,
        "--with",
        "yz-overall",
        "--today",
        "2026-02-01",
    ]);
    assert!(o.status.success(), "{}", text_of(&o));
    let after = std::fs::read(&lower).expect("read");
    commit(&repo, "衔接复核", "李强", 31);
    let upper = dir.path().join("city/yz-overall.md");
    let text = std::fs::read_to_string(&upper).expect("read");
    let text = text
        .replace(
            "统一领导全市应对工作。",
            "统一领导、协调全市应对工作，下设办公室。",
        )
        .replace(
            "## 5 保障措施",
            "## 5 恢复与重建\n\n善后处置和恢复重建。\n\n## 6 保障措施",
        )
        .replace("## 6 预案管理", "## 7 预案管理")
        .replace("version: \"2026.1\"", "version: \"2026.2\"");
    std::fs::write(&upper, text).expect("write");
    commit(&repo, "修订总体预案", "赵敏", 60);
    // only the `aligned:` field was added: every other byte of the lower plan is as it was
    let added = after.len() - before.len();
    let at = before
        .iter()
        .zip(&after)
        .position(|(a, b)| a != b)
        .expect("the file changed");
    assert_eq!(&after[..at], &before[..at]);
    assert_eq!(&after[at + added..], &before[at..]);
    let field = String::from_utf8_lossy(&after[at..at + added]).into_owned();
    assert!(
        field.starts_with("aligned:\n  - with: yz-overall\n    version: \"2026.1\"\n"),
        "{field}"
    );
    assert!(
        field.contains("    commit: \"") && field.ends_with("    date: 2026-02-01\n"),
        "{field}"
    );
    (dir, after)
}

/// `yuan align yz-flood DIR`, which must succeed; its output and notes.
fn align_yz_flood(dir: &str) -> String {
    let o = yuan(&[
        "align",
        "yz-flood",
        dir,
        "--today",
        "2026-02-01",
        "--lang",
        "en",
    ]);
    assert!(o.status.success(), "{}", text_of(&o));
    text_of(&o)
}

/// `yuan check DIR --format json --lang en`.
fn check_json_en(dir: &str) -> Output {
    yuan(&["check", dir, "--format", "json", "--lang", "en"])
}

fn a304_messages(o: &Output) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    v["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["code"] == "A304")
        .map(|d| d["message"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn revised_parent_is_named_by_section_until_the_plan_is_aligned_again() {
    let (dir, _) = repo_with_revised_parent();
    let d = dir.path().to_str().expect("utf-8");
    let o = check_json_en(d);
    let msgs = a304_messages(&o);
    assert_eq!(msgs.len(), 1, "{}", text_of(&o));
    assert_eq!(
        msgs[0],
        "upstream document `yz-overall` (云州市突发事件总体应急预案) has changed since this document was last aligned with it (version 2026.1, 2026-02-01): version 2026.1 → 2026.2; changes: “2 应急指挥体系” (changed), “5 恢复与重建” (added)"
    );
    let human = text_of(&yuan(&["check", d, "--lang", "en"]));
    assert!(human.contains("run `yuan align yz-flood`"), "{human}");

    // a dry run shows the change and writes nothing
    let lower = dir.path().join("city/yz-flood.md");
    let kept = std::fs::read(&lower).expect("read");
    let o = yuan(&["align", "yz-flood", d, "--dry-run", "--today", "2026-03-01"]);
    assert!(o.status.success(), "{}", text_of(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("-    version: \"2026.1\"") && out.contains("+    version: \"2026.2\""),
        "{out}"
    );
    assert_eq!(std::fs::read(&lower).expect("read"), kept);

    let o = yuan(&[
        "align",
        "yz-flood",
        d,
        "--today",
        "2026-03-01",
        "--lang",
        "en",
    ]);
    assert!(o.status.success(), "{}", text_of(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("aligned with yz-overall (version 2026.2"));
    let o = yuan(&["check", d, "--format", "json"]);
    assert_eq!(a304_messages(&o), Vec::<String>::new(), "{}", text_of(&o));
    assert!(o.status.success());
}

#[test]
fn without_the_recorded_commit_the_warning_says_why_sections_are_not_named() {
    let (dir, _) = repo_with_revised_parent();
    // a shallow clone lacks the commit the alignment recorded
    let (_clone, c) = shallow_clone(dir.path());
    let o = check_json_en(c.to_str().expect("utf-8"));
    let msgs = a304_messages(&o);
    assert_eq!(msgs.len(), 1, "{}", text_of(&o));
    assert!(msgs[0].contains("version 2026.1 → 2026.2; the changed sections cannot be named: shallow clone: history is truncated"), "{}", msgs[0]);

    // a record without a digest whose commit is missing: not verifiable, said as a note
    let lower = c.join("city/yz-flood.md");
    let text = std::fs::read_to_string(&lower).expect("read");
    let start = text.find("    version: \"2026.1\"").expect("version line");
    let end = text[start..].find("    commit:").expect("commit line") + start;
    let text = format!(
        "{}    version: \"2026.2\"\n{}",
        &text[..start],
        &text[end..]
    );
    std::fs::write(&lower, text).expect("write");
    let o = check_json_en(c.to_str().expect("utf-8"));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "A304", "{v}");
    assert_eq!(d["severity"], "info", "{v}");
    assert!(
        d["message"]
            .as_str()
            .unwrap_or("")
            .contains("the record has no digest, and shallow clone"),
        "{v}"
    );

    // outside git: the version and digest still tell, and history is said to be off
    let plain = tempfile::tempdir().expect("tempdir");
    copy_dir(dir.path(), plain.path());
    std::fs::remove_dir_all(plain.path().join(".git")).expect("rm .git");
    let o = check_json_en(plain.path().to_str().expect("utf-8"));
    let msgs = a304_messages(&o);
    assert_eq!(msgs.len(), 1, "{}", text_of(&o));
    assert!(
        msgs[0].contains("not a git repository, so history-based features are off"),
        "{}",
        msgs[0]
    );
    let out = align_yz_flood(plain.path().to_str().expect("utf-8"));
    assert!(out.contains("note: not a git repository"), "{out}");
    let o = yuan(&[
        "check",
        plain.path().to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    assert_eq!(a304_messages(&o), Vec::<String>::new());
}

#[test]
fn detached_head_and_a_commit_only_record_work() {
    let (dir, _) = repo_with_revised_parent();
    let repo = Repository::open(dir.path()).expect("open");
    let head = repo.head().and_then(|h| h.peel_to_commit()).expect("head");
    repo.set_head_detached(head.id()).expect("detach");
    // a hand-written record with only a commit: compared through git
    let lower = dir.path().join("city/yz-flood.md");
    let text = std::fs::read_to_string(&lower).expect("read");
    let start = text.find("aligned:").expect("field");
    let end = text[start..].find("---").expect("end") + start;
    let first = head
        .parent(0)
        .expect("parent")
        .parent(0)
        .expect("first commit")
        .id();
    let text = format!(
        "{}aligned:\n  - with: yz-overall\n    commit: \"{}\"\n{}",
        &text[..start],
        &first.to_string()[..10],
        &text[end..]
    );
    std::fs::write(&lower, text).expect("write");
    let d = dir.path().to_str().expect("utf-8");
    let o = check_json_en(d);
    let msgs = a304_messages(&o);
    assert_eq!(msgs.len(), 1, "{}", text_of(&o));
    assert!(
        msgs[0].contains("(no version recorded): changes: “2 应急指挥体系” (changed)"),
        "{}",
        msgs[0]
    );
}

#[test]
fn align_refuses_unknown_ids_and_upstreams() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/good"), dir.path());
    let d = dir.path().to_str().expect("utf-8");
    let o = yuan(&["align", "yz-flod", d, "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text_of(&o).contains("no document has the id yz-flod"),
        "{}",
        text_of(&o)
    );
    let o = yuan(&["align", "yz-flood", d, "--with", "nobody", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text_of(&o).contains("cannot find the upstream `nobody`"),
        "{}",
        text_of(&o)
    );
    let o = yuan(&["align", "xj-overall", d, "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2), "the top plan has no upstream");
}

#[test]
fn a_card_and_a_registry_entry_are_aligned_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/good"), dir.path());
    let repo = Repository::init(dir.path()).expect("init");
    commit(&repo, "初版预案", "王芳", 0);
    let d = dir.path().to_str().expect("utf-8");
    let o = yuan(&[
        "align",
        "hd-card-reactor-operator",
        d,
        "--today",
        "2026-02-01",
    ]);
    assert!(o.status.success(), "{}", text_of(&o));
    let o = yuan(&[
        "align",
        "hd-card-reactor-operator",
        d,
        "--with",
        "contact:hd-duty",
        "--today",
        "2026-02-01",
    ]);
    assert!(o.status.success(), "{}", text_of(&o));
    commit(&repo, "处置卡衔接复核", "李强", 31);
    let o = yuan(&["check", d, "--format", "json"]);
    assert_eq!(a304_messages(&o), Vec::<String>::new(), "{}", text_of(&o));

    // re-verifying a contact is not a change; a new phone number is
    let reg = dir.path().join("registry/hd-chem.yaml");
    let text = std::fs::read_to_string(&reg).expect("read");
    std::fs::write(
        &reg,
        text.replace("verified: 2026-10-12", "verified: 2026-11-20"),
    )
    .expect("write");
    let o = yuan(&["check", d, "--format", "json"]);
    assert_eq!(a304_messages(&o), Vec::<String>::new(), "{}", text_of(&o));
    std::fs::write(&reg, text.replace("0745-6628119", "0745-6628120")).expect("write");
    let o = check_json_en(d);
    assert_eq!(
        a304_messages(&o),
        ["registry entry `contact:hd-duty` (恒达化工应急值班室) has changed since this document was last aligned with it (2026-02-01): changes: `phones` (changed)"],
        "{}",
        text_of(&o)
    );
    // both records are kept; the help names the one to renew
    let human = text_of(&yuan(&["check", d, "--lang", "en"]));
    assert!(
        human.contains("run `yuan align hd-card-reactor-operator --with contact:hd-duty`"),
        "{human}"
    );
}

#[test]
fn an_unborn_branch_aligns_without_a_commit_and_checks_clean() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/good"), dir.path());
    Repository::init(dir.path()).expect("init");
    let d = dir.path().to_str().expect("utf-8");
    let out = align_yz_flood(d);
    assert!(out.contains("(or no commit yet)"), "{out}");
    let text = std::fs::read_to_string(dir.path().join("city/yz-flood.md")).expect("read");
    assert!(
        text.contains("digest: \"") && !text.contains("commit: "),
        "{text}"
    );
    let o = yuan(&["check", d, "--format", "json"]);
    assert_eq!(a304_messages(&o), Vec::<String>::new(), "{}", text_of(&o));
}
