//! `yuan diff`: change review over real repositories built with git2 in temporary folders
//! (branches, a rename, an added and a removed plan, a major change to response grading, a minor
//! wording change, a card under a changed on-site plan, an uncommitted registry change), plus
//! the awkward states: unborn branch, no main branch, detached HEAD, shallow clone.

use git2::{IndexAddOption, Repository, RepositoryInitOptions, Signature, Time};
mod common;

use common::{copy_dir, root, text_of};
use std::path::Path;
use std::process::{Command, Output};

fn yuan(args: &[&str]) -> Output {
    common::run(args, &[])
}

/// Stages everything (deletions too) and commits on HEAD at `day` days after 2026-01-01.
fn commit(repo: &Repository, msg: &str, day: i64) -> git2::Oid {
    let mut index = repo.index().expect("index");
    index
        .add_all(["*"].iter(), IndexAddOption::DEFAULT, None)
        .expect("add");
    index.update_all(["*"].iter(), None).expect("deletions");
    index.write().expect("write index");
    let tree = repo
        .find_tree(index.write_tree().expect("tree"))
        .expect("find tree");
    let sig = Signature::new(
        "审核人",
        "r@example.org",
        &Time::new(1_767_225_600 + day * 86_400, 480),
    )
    .expect("signature");
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, msg, &tree, &parents)
        .expect("commit")
}

fn edit(dir: &Path, rel: &str, from: &str, to: &str) {
    let p = dir.join(rel);
    let text = std::fs::read_to_string(&p).expect("read");
    assert!(text.contains(from), "{rel} lacks {from}");
    std::fs::write(&p, text.replacen(from, to, 1)).expect("write");
}

fn init(dir: &Path, branch: &str) -> Repository {
    let mut opts = RepositoryInitOptions::new();
    opts.initial_head(branch);
    Repository::init_opts(dir, &opts).expect("init")
}

/// The good fixture on `main`, then a branch `revise` with the changes under review.
fn reviewed_repo() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    copy_dir(&root().join("tests/fixtures/good"), d);
    let repo = init(d, "main");
    let base = commit(&repo, "初版预案库", 0);
    let head = repo.find_commit(base).expect("base");
    repo.branch("revise", &head, false).expect("branch");
    repo.set_head("refs/heads/revise").expect("checkout");
    // a major change: response grading of the comprehensive plan, re-issued with a new version
    edit(
        d,
        "enterprise/hd-comprehensive.md",
        "公司应急响应分为一级、二级、三级。",
        "公司应急响应分为一级、二级、三级、四级。",
    );
    edit(
        d,
        "enterprise/hd-comprehensive.md",
        "version: \"2026.1\"",
        "version: \"2026.2\"",
    );
    edit(
        d,
        "enterprise/hd-comprehensive.md",
        "  issued: 2026-07-06",
        "  issued: 2026-09-01",
    );
    // a minor wording change of the provincial overall plan
    edit(
        d,
        "province/xj-overall.md",
        "本预案每三年评估一次",
        "本预案原则上每三年评估一次",
    );
    commit(&repo, "修订响应分级；预案管理措辞", 30);
    // a rename with a small change, and the main measures of the on-site plan
    std::fs::create_dir_all(d.join("province/special")).expect("mkdir");
    std::fs::rename(
        d.join("province/xj-flood.md"),
        d.join("province/special/xj-flood.md"),
    )
    .expect("mv");
    edit(
        d,
        "province/special/xj-flood.md",
        "灾后及时开展",
        "灾后立即开展",
    );
    edit(
        d,
        "enterprise/hd-onsite-reactor.md",
        "用推车式干粉灭火器",
        "用推车式干粉灭火器或消防水炮",
    );
    commit(&repo, "防汛预案移入 special/；处置措施", 40);
    // an added and a removed plan
    let new_plan = std::fs::read_to_string(d.join("enterprise/hd-onsite-reactor.md"))
        .expect("read")
        .replace("hd-onsite-reactor", "hd-onsite-tank")
        .replace("反应釜区火灾", "储罐区泄漏");
    std::fs::write(d.join("enterprise/hd-onsite-tank.md"), new_plan).expect("write");
    std::fs::remove_file(d.join("city/yz-overall.md")).expect("rm");
    commit(&repo, "新增储罐区方案；撤销市总体预案", 50);
    // not committed: a registry entry
    edit(d, "registry/hd-chem.yaml", "0745-6628119", "0745-6628120");
    let short = base.to_string()[..7].to_string();
    (dir, short)
}

/// `yuan diff -C DIR --lang en`, which must succeed: its standard output.
fn diff_en(dir: &str) -> String {
    let o = yuan(&["diff", "-C", dir, "--lang", "en"]);
    assert!(o.status.success(), "{}", text_of(&o));
    stdout(&o)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn default_range_human_and_markdown() {
    let (dir, base) = reviewed_repo();
    let d = dir.path().to_str().expect("utf-8");
    let o = yuan(&["diff", "-C", d, "--lang", "en"]);
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    let human = stdout(&o).replace(&base, "<base>");
    insta::assert_snapshot!("diff_human_en", human);
    let o = yuan(&["diff", "-C", d, "--format", "markdown"]);
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
    insta::assert_snapshot!("diff_markdown_zh", stdout(&o).replace(&base, "<base>"));
    // --fail-on-major turns a major change into exit 1
    let o = yuan(&["diff", "-C", d, "--fail-on-major"]);
    assert_eq!(o.status.code(), Some(1), "{}", text_of(&o));
}

#[test]
fn json_contract() {
    let (dir, _) = reviewed_repo();
    let d = dir.path().to_str().expect("utf-8");
    let o = yuan(&["diff", "-C", d, "--format", "json", "--lang", "en"]);
    assert!(o.status.success(), "{}", text_of(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["version"], 1);
    assert_eq!(v["to"]["worktree"], true);
    assert_eq!(v["from"]["commit"].as_str().map(str::len), Some(40));
    let doc = |id: &str| {
        v["documents"]
            .as_array()
            .and_then(|a| a.iter().find(|d| d["id"] == id))
            .unwrap_or_else(|| panic!("{id} in {v:#}"))
            .clone()
    };
    let comp = doc("hd-comprehensive");
    assert_eq!(comp["status"], "changed");
    assert_eq!(comp["major"], serde_json::json!(["grading"]));
    assert_eq!(
        comp["sections"][0]["path"],
        serde_json::json!(["1 总则", "1.2 响应分级"])
    );
    assert_eq!(comp["refiling"]["version_bumped"], true);
    assert_eq!(comp["refiling"]["reissued"], "2026-09-01");
    assert_eq!(comp["refiling"]["file_by"], "2026-09-29");
    assert_eq!(comp["version"]["old"], "2026.1");
    let fields: Vec<&str> = comp["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect();
    assert_eq!(fields, ["dates", "version"]);

    let overall = doc("xj-overall");
    assert_eq!(overall["status"], "changed");
    assert_eq!(overall["major"], serde_json::json!([]));
    assert!(overall.get("refiling").is_none());

    let flood = doc("xj-flood");
    assert_eq!(flood["status"], "renamed");
    assert_eq!(flood["old_path"], "province/xj-flood.md");
    assert_eq!(flood["path"], "province/special/xj-flood.md");
    assert_eq!(flood["sections"].as_array().map(Vec::len), Some(1));

    let onsite = doc("hd-onsite-reactor");
    assert_eq!(onsite["major"], serde_json::json!(["measures"]));
    assert_eq!(onsite["refiling"]["version_bumped"], false);
    assert_eq!(doc("hd-onsite-tank")["status"], "added");
    assert_eq!(doc("yz-overall")["status"], "removed");

    let review: Vec<(&str, Vec<&str>)> = v["needs_review"]
        .as_array()
        .expect("needs_review")
        .iter()
        .map(|n| {
            (
                n["id"].as_str().unwrap_or(""),
                n["because"]
                    .as_array()
                    .map(|b| b.iter().filter_map(|x| x["id"].as_str()).collect())
                    .unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        review,
        [
            ("yz-flood", vec!["yz-overall", "xj-flood"]),
            (
                "hd-card-reactor-operator",
                vec!["hd-onsite-reactor", "contacts/hd-duty"]
            ),
        ]
    );
    let card = &v["needs_review"][1]["because"][0];
    assert_eq!(card["relation"], "parent");
    assert_eq!(card["major"], true);
    assert_eq!(card["cites"], serde_json::json!(["3.2 现场应急处置措施"]));
    assert_eq!(v["registry"][0]["id"], "hd-duty");
    assert_eq!(v["registry"][0]["list"], "contacts");
    assert_eq!(v["summary"]["added"], 1);
    assert_eq!(v["summary"]["removed"], 1);
    assert_eq!(v["summary"]["changed"], 4);
    assert_eq!(v["summary"]["major"], 2);
}

#[test]
fn explicit_ranges() {
    let (dir, _) = reviewed_repo();
    let d = dir.path().to_str().expect("utf-8");
    let json = |range: &str| -> serde_json::Value {
        let o = yuan(&["diff", range, "-C", d, "--format", "json"]);
        assert!(o.status.success(), "{range}: {}", text_of(&o));
        serde_json::from_slice(&o.stdout).expect("json")
    };
    // committed changes only: no registry entry
    let v = json("main..HEAD");
    assert_eq!(v["to"]["worktree"], false);
    assert_eq!(v["summary"]["registry"], 0);
    assert_eq!(v["summary"]["changed"], 4);
    // the last commit only: one added, one removed
    let v = json("HEAD~1..HEAD");
    assert_eq!(v["summary"]["added"], 1);
    assert_eq!(v["summary"]["removed"], 1);
    assert_eq!(v["summary"]["changed"], 0);
    // REV.. and REV: up to the working tree
    let v = json("HEAD..");
    assert_eq!(v["summary"]["registry"], 1);
    // the changed duty phone: every document that names the contact
    let ids: Vec<&str> = v["needs_review"]
        .as_array()
        .expect("needs_review")
        .iter()
        .filter_map(|n| n["id"].as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "hd-card-reactor-operator",
            "hd-comprehensive",
            "hd-onsite-reactor",
            "hd-onsite-tank"
        ]
    );
    assert_eq!(v["needs_review"][0]["because"][0]["relation"], "uses");
    assert_eq!(v["needs_review"][0]["because"][0]["id"], "contacts/hd-duty");
    assert_eq!(json("HEAD")["summary"]["registry"], 1);
    assert_eq!(json("HEAD")["summary"]["changed"], 0);
    // three dots: from the merge-base
    assert_eq!(json("main...revise")["summary"]["changed"], 4);
    // a revision that does not exist
    let o = yuan(&["diff", "nope..HEAD", "-C", d, "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text_of(&o).contains("cannot find revision `nope`"),
        "{}",
        text_of(&o)
    );
}

#[test]
fn plans_in_a_subfolder_of_the_repository() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(
        &root().join("tests/fixtures/good"),
        &dir.path().join("plans"),
    );
    std::fs::write(dir.path().join("notes.md"), "not a plan\n").expect("write");
    let repo = init(dir.path(), "main");
    commit(&repo, "init", 0);
    edit(
        &dir.path().join("plans"),
        "province/xj-overall.md",
        "本预案每三年",
        "本预案每两年",
    );
    std::fs::write(dir.path().join("notes.md"), "still not a plan\n").expect("write");
    let plans = dir.path().join("plans");
    let o = yuan(&[
        "diff",
        "-C",
        plans.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", text_of(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["documents"].as_array().map(Vec::len), Some(1), "{v:#}");
    assert_eq!(v["documents"][0]["path"], "province/xj-overall.md");
    assert_eq!(
        v["documents"][0]["sections"][0]["path"],
        serde_json::json!(["第六章 预案管理"])
    );
}

#[test]
fn unborn_branch_lists_everything_as_added() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/good"), dir.path());
    init(dir.path(), "main");
    let out = diff_en(dir.path().to_str().expect("utf-8"));
    assert!(
        out.contains("note: the repository has no commit yet"),
        "{out}"
    );
    assert!(
        out.contains("9 added, 0 removed, 0 changed documents"),
        "{out}"
    );
}

#[test]
fn no_main_branch_and_detached_head() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/good"), dir.path());
    let repo = init(dir.path(), "trunk");
    let first = commit(&repo, "init", 0);
    edit(
        dir.path(),
        "province/xj-overall.md",
        "本预案每三年",
        "本预案每两年",
    );
    let d = dir.path().to_str().expect("utf-8");
    let out = diff_en(d);
    assert!(out.contains("note: no main branch found"), "{out}");
    assert!(out.contains("xj-overall"), "{out}");
    // detached HEAD at the first commit
    repo.set_head_detached(first).expect("detach");
    let o = yuan(&["diff", "-C", d, "--format", "json"]);
    assert!(o.status.success(), "{}", text_of(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["summary"]["changed"], 1);
}

#[test]
fn shallow_clone_falls_back_to_head_and_says_so() {
    let (dir, _) = reviewed_repo();
    let clone = tempfile::tempdir().expect("tempdir");
    let c = clone.path().join("c");
    let status = Command::new("git")
        .args([
            "clone",
            "-q",
            "--depth",
            "1",
            "--no-single-branch",
            "-b",
            "revise",
        ])
        .arg(format!("file://{}", dir.path().display()))
        .arg(&c)
        .status()
        .expect("git clone");
    assert!(status.success());
    let out = diff_en(c.to_str().expect("utf-8"));
    assert!(out.contains("note: shallow clone"), "{out}");
    assert!(out.contains("no plan changes"), "{out}");
}

#[test]
fn outside_git_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/good"), dir.path());
    let d = dir.path().to_str().expect("utf-8");
    let o = yuan(&["diff", "-C", d, "--lang", "en"]);
    // the temporary folder may lie inside a repository on a developer machine
    if Repository::discover(dir.path()).is_err() {
        assert_eq!(o.status.code(), Some(2));
        assert!(
            text_of(&o).contains("needs a git repository"),
            "{}",
            text_of(&o)
        );
    }
}

#[test]
fn line_endings_and_renumbering_are_not_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/good"), dir.path());
    let repo = init(dir.path(), "main");
    commit(&repo, "init", 0);
    let p = dir.path().join("province/xj-overall.md");
    let text = std::fs::read_to_string(&p).expect("read");
    let crlf = text
        .replace('\n', "\r\n")
        .replace("# 第一章 总则", "# 1 总则");
    std::fs::write(&p, crlf).expect("write");
    let out = diff_en(dir.path().to_str().expect("utf-8"));
    assert!(out.contains("no plan changes"), "{out}");
}

/// A plan of another organisation revised (an `external_plans` entry) and the shared front
/// matter of an enterprise plan changed (`_defaults.yaml`): both are listed, and the documents
/// that rely on them need review, though their own files did not change.
#[test]
fn external_plans_and_shared_front_matter() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    copy_dir(&root().join("tests/realistic"), d);
    let _ = std::fs::remove_dir_all(d.join(".yuan-cache"));
    let repo = init(d, "main");
    commit(&repo, "init", 0);
    // the national flood plan re-issued; the enterprise plan's version raised once for all parts
    edit(
        d,
        "registry/external.yaml",
        "date: 2022-05",
        "date: 2026-03",
    );
    edit(
        d,
        "enterprise/jinwan/_defaults.yaml",
        "version: \"2024版\"",
        "version: \"2026版\"",
    );
    let o = yuan(&[
        "diff",
        "-C",
        d.to_str().expect("utf-8"),
        "--format",
        "json",
        "--lang",
        "en",
    ]);
    assert!(o.status.success(), "{}", text_of(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let registry = v["registry"].as_array().expect("registry");
    assert_eq!(registry.len(), 1, "{registry:?}");
    assert_eq!(registry[0]["list"], "external_plans");
    assert_eq!(registry[0]["id"], "cn-flood");
    assert_eq!(registry[0]["status"], "changed");
    let review = v["needs_review"].as_array().expect("needs_review");
    let because = |path: &str| -> Vec<(String, String)> {
        review
            .iter()
            .find(|r| r["path"] == path)
            .map(|r| {
                r["because"]
                    .as_array()
                    .expect("because")
                    .iter()
                    .map(|b| {
                        (
                            b["relation"].as_str().unwrap_or("").to_string(),
                            b["id"].as_str().unwrap_or("").to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    // the provincial flood plan names the national one in links.upper
    assert_eq!(
        because("province/jc-flood.md"),
        [("upper".to_string(), "external_plans/cn-flood".to_string())]
    );
    // every part of the enterprise plan inherits the new version; nothing outside its folder
    let shared = (
        "defaults".to_string(),
        "enterprise/jinwan/_defaults.yaml".to_string(),
    );
    for part in [
        "enterprise/jinwan/jw-comprehensive.md",
        "enterprise/jinwan/onsite/jw-onsite-gas.md",
        "enterprise/jinwan/cards/jw-card-gas-lead.md",
    ] {
        assert!(because(part).contains(&shared), "{part}: {review:?}");
    }
    assert!(review.iter().all(|r| {
        let p = r["path"].as_str().unwrap_or("");
        p.starts_with("enterprise/jinwan/") || p == "province/jc-flood.md"
    }));
    assert!(because("province/jc-overall.md").is_empty());
    // and in words
    let out = diff_en(d.to_str().expect("utf-8"));
    assert!(
        out.contains("inherits from enterprise/jinwan/_defaults.yaml"),
        "{out}"
    );
    assert!(out.contains("external_plans/cn-flood"), "{out}");
}
