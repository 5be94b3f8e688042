//! The parse cache (`.yuan-cache/`): a second run reports exactly what the first did, from the
//! cache; edits (even of the same size, in the same second) are picked up; `--no-cache` and
//! `[check] cache = false` leave no cache; a damaged cache is rebuilt silently; the cache folder
//! is never read as plans.

use git2::Repository;
mod common;

use common::{commit, copy_dir, root};
use std::path::Path;
use std::process::Output;

fn check(dir: &Path, extra: &[&str]) -> Output {
    let d = dir.to_string_lossy();
    let mut args = vec!["check", &d, "--format", "json", "--lang", "en"];
    args.extend_from_slice(extra);
    common::run(&args, &[("YUAN_TIMINGS", "1")])
}

/// `(hits, files)` from the timing line `cache: H of N files hit`.
/// Files of the good fixture (every one is parsed and cached).
fn good_files() -> usize {
    fn count(d: &std::path::Path) -> usize {
        std::fs::read_dir(d)
            .map(|rd| {
                rd.flatten()
                    .map(|e| {
                        let p = e.path();
                        if p.is_dir() {
                            count(&p)
                        } else if p.extension().is_some_and(|x| x == "md" || x == "yaml") {
                            1
                        } else {
                            0
                        }
                    })
                    .sum()
            })
            .unwrap_or(0)
    }
    count(&root().join("tests/fixtures/good"))
}

fn hits(o: &Output) -> Option<(usize, usize)> {
    let err = String::from_utf8_lossy(&o.stderr);
    let line = err.lines().find(|l| l.contains("files hit"))?;
    let words: Vec<&str> = line.split_whitespace().collect();
    let i = words.iter().position(|w| *w == "of")?;
    Some((words[i - 1].parse().ok()?, words[i + 1].parse().ok()?))
}

/// The good fixture with findings of both kinds: parse-stage (F004 unknown key, T801
/// placeholder, kept in the cache) and corpus rules (H201 dangling parent, computed each run).
fn repo_with_findings(git: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/good"), dir.path());
    let plan = dir.path().join("city/yz-flood.md");
    let text = std::fs::read_to_string(&plan).expect("read");
    let text = text.replacen("---\n", "---\nsummery: 待定\n", 1).replacen(
        "parent: yz-overall",
        "parent: yz-overal",
        1,
    );
    std::fs::write(&plan, text).expect("write");
    if git {
        commit_all(dir.path());
    }
    dir
}

/// A git repository at `dir` with everything in it committed once.
fn commit_all(dir: &Path) {
    let repo = Repository::init(dir).expect("init");
    common::commit(&repo, "plans", "t", 0);
}

fn codes(o: &Output) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d["code"].as_str().unwrap_or(""),
                d["path"].as_str().unwrap_or("")
            )
        })
        .collect()
}

/// Asserts that the report has each of `wanted` ("CODE path").
fn has_codes(o: &Output, wanted: &[&str]) {
    let found = codes(o);
    for code in wanted {
        assert!(found.iter().any(|c| c == code), "{code} in {found:?}");
    }
}

#[test]
fn a_second_run_reads_the_cache_and_reports_the_same_bytes() {
    for git in [true, false] {
        let dir = repo_with_findings(git);
        let first = check(dir.path(), &[]);
        assert_eq!(hits(&first), Some((0, good_files())), "git {git}");
        has_codes(
            &first,
            &[
                "F004 city/yz-flood.md",
                "T801 city/yz-flood.md",
                "H201 city/yz-flood.md",
            ],
        );
        let second = check(dir.path(), &[]);
        assert_eq!(
            hits(&second),
            Some((good_files(), good_files())),
            "git {git}"
        );
        assert_eq!(first.stdout, second.stdout, "git {git}");
        assert_eq!(first.status.code(), second.status.code());
        // the human output, with source lines and carets, too
        let d = dir.path().to_string_lossy();
        let a = common::run(&["check", &d, "--no-cache"], &[]);
        let b = common::run(&["check", &d], &[]);
        assert_eq!(a.stdout, b.stdout);
        // the cache folder is not a plan folder, and git does not see it
        assert!(dir.path().join(".yuan-cache/.gitignore").exists());
        std::fs::write(dir.path().join(".yuan-cache/notes.md"), "not a plan").expect("write");
        let third = check(dir.path(), &[]);
        assert_eq!(first.stdout, third.stdout);
        if git {
            let repo = Repository::open(dir.path()).expect("open");
            let mut opts = git2::StatusOptions::new();
            opts.include_untracked(true).include_ignored(false);
            let statuses = repo.statuses(Some(&mut opts)).expect("status");
            let listed: Vec<String> = statuses
                .iter()
                .filter_map(|s| s.path().ok().map(str::to_string))
                .collect();
            assert!(listed.is_empty(), "git status is clean: {listed:?}");
        }
    }
}

#[test]
fn an_edit_of_the_same_size_in_the_same_second_is_picked_up() {
    for git in [true, false] {
        let dir = repo_with_findings(git);
        let first = check(dir.path(), &[]);
        assert!(codes(&first).contains(&"H201 city/yz-flood.md".to_string()));
        // right away (same second as the cache and the index), same length: `yz-overal` ->
        // `yz-overall` while the unknown key loses a letter
        let plan = dir.path().join("city/yz-flood.md");
        let text = std::fs::read_to_string(&plan).expect("read");
        let fixed = text
            .replacen("parent: yz-overal\n", "parent: yz-overall\n", 1)
            .replacen("summery:", "summer:", 1);
        assert_eq!(fixed.len(), text.len());
        std::fs::write(&plan, &fixed).expect("write");
        let second = check(dir.path(), &[]);
        let found = codes(&second);
        assert!(
            !found.contains(&"H201 city/yz-flood.md".to_string()),
            "{found:?}"
        );
        let out = String::from_utf8_lossy(&second.stdout);
        assert!(out.contains("summer") && !out.contains("summery"), "{out}");
        assert_eq!(
            hits(&second),
            Some((good_files() - 1, good_files())),
            "git {git}"
        );
        // and the result is what a run without cache says
        let fresh = check(dir.path(), &["--no-cache"]);
        assert_eq!(second.stdout, fresh.stdout);
    }
}

#[test]
fn no_cache_flag_and_setting_leave_no_cache() {
    let dir = repo_with_findings(true);
    let o = check(dir.path(), &["--no-cache"]);
    assert_eq!(hits(&o), None);
    assert!(!dir.path().join(".yuan-cache").exists());
    let toml = dir.path().join("yuan.toml");
    let text = std::fs::read_to_string(&toml).expect("read");
    std::fs::write(&toml, text.replace("[check]\n", "[check]\ncache = false\n")).expect("write");
    let o = check(dir.path(), &[]);
    assert_eq!(hits(&o), None);
    assert!(!dir.path().join(".yuan-cache").exists());
    assert!(
        !String::from_utf8_lossy(&o.stdout).contains("F006"),
        "cache is a known key"
    );
}

#[test]
fn a_damaged_or_deleted_cache_is_rebuilt_without_a_word() {
    let dir = repo_with_findings(true);
    let first = check(dir.path(), &[]);
    let cache = dir.path().join(".yuan-cache/parse");
    let mut shards = Vec::new();
    for k in std::fs::read_dir(&cache).expect("ls").flatten() {
        for s in std::fs::read_dir(k.path()).expect("ls").flatten() {
            shards.push(s.path());
        }
    }
    assert!(!shards.is_empty());
    for (i, s) in shards.iter().enumerate() {
        let bytes = std::fs::read(s).expect("read");
        let damaged = match i % 3 {
            0 => bytes[..bytes.len() / 2].to_vec(),
            1 => bytes.iter().map(|b| b ^ 0x5a).collect(),
            _ => Vec::new(),
        };
        std::fs::write(s, damaged).expect("write");
    }
    let second = check(dir.path(), &[]);
    assert_eq!(first.stdout, second.stdout);
    assert_eq!(hits(&second), Some((0, good_files())));
    let said = String::from_utf8_lossy(&second.stderr);
    assert!(said.lines().all(|l| l.starts_with("[timing]")), "{said}");
    let third = check(dir.path(), &[]);
    assert_eq!(hits(&third), Some((good_files(), good_files())), "rebuilt");
    std::fs::remove_dir_all(dir.path().join(".yuan-cache")).expect("rm");
    let fourth = check(dir.path(), &[]);
    assert_eq!(first.stdout, fourth.stdout);
}

#[test]
fn changed_since_runs_per_document_rules_only_where_it_reports_and_loses_nothing() {
    let dir = repo_with_findings(true);
    let plan = dir.path().join("city/yz-flood.md");
    let text = std::fs::read_to_string(&plan).expect("read");
    std::fs::write(&plan, format!("{text}\n补充说明。\n")).expect("write");
    let full = codes(&check(dir.path(), &[]));
    let scoped = codes(&check(dir.path(), &["--changed-since", "HEAD"]));
    let mine: Vec<&String> = full
        .iter()
        .filter(|c| c.ends_with(" city/yz-flood.md"))
        .collect();
    assert!(mine.len() >= 3, "{full:?}");
    for c in &mine {
        assert!(scoped.contains(c), "{c} missing from {scoped:?}");
    }
    for c in &scoped {
        assert!(full.contains(c), "{c} is not in the full report {full:?}");
    }
}

/// Findings at a registry file are reported by `--changed-since` when the file changed, and
/// not when only a document did (the registry rules then skip the registry's entries).
#[test]
fn changed_since_reports_registry_findings_only_when_the_registry_changed() {
    let dir = repo_with_findings(true);
    let reg = dir.path().join("registry/government.yaml");
    let text = std::fs::read_to_string(&reg).expect("read");
    let broken = text.replacen("{ number: 0745-2231100", "{ number: \"2231100\"", 1);
    assert_ne!(broken, text);
    std::fs::write(&reg, &broken).expect("write");
    let full = codes(&check(dir.path(), &[]));
    let scoped = codes(&check(dir.path(), &["--changed-since", "HEAD"]));
    let c601 = "C601 registry/government.yaml".to_string();
    assert!(full.contains(&c601), "{full:?}");
    assert!(scoped.contains(&c601), "{scoped:?}");
    // the registry as committed, a document changed: nothing of the registry
    std::fs::write(&reg, &text).expect("restore");
    let plan = dir.path().join("city/yz-flood.md");
    let p = std::fs::read_to_string(&plan).expect("read");
    std::fs::write(&plan, format!("{p}\n补充说明。\n")).expect("write");
    let scoped = codes(&check(dir.path(), &["--changed-since", "HEAD"]));
    assert!(
        scoped.iter().all(|c| !c.contains("registry/")),
        "{scoped:?}"
    );
    assert!(
        scoped.iter().any(|c| c.ends_with(" city/yz-flood.md")),
        "{scoped:?}"
    );
}

/// A parent chain that a change closes into a loop is reported by `--changed-since` as by the
/// full check, at the same document (H203 looks only along the chains of the documents in
/// scope).
#[test]
fn changed_since_reports_a_cycle_the_change_made() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/good"), dir.path());
    commit_all(dir.path());
    let overall = dir.path().join("city/yz-overall.md");
    let text = std::fs::read_to_string(&overall).expect("read");
    let looped = text.replacen("parent: xj-overall", "parent: yz-flood", 1);
    assert_ne!(looped, text);
    std::fs::write(&overall, looped).expect("write");
    let full = codes(&check(dir.path(), &[]));
    let scoped = codes(&check(dir.path(), &["--changed-since", "HEAD"]));
    let cycle = "H203 city/yz-flood.md".to_string();
    assert!(full.contains(&cycle), "{full:?}");
    assert!(scoped.contains(&cycle), "{scoped:?}");
}

/// The diagnostics of a JSON report, each as its JSON text.
fn diagnostics(o: &Output) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d.to_string())
        .collect()
}

#[test]
fn cold_warm_and_changed_since_report_the_same_for_the_same_scope() {
    let dir = repo_with_findings(true);
    // after the commit: an upstream plan loses the heading a lower plan links to (a finding
    // in the unchanged dependent, city/yz-flood.md) and gains an unknown key (in itself)
    let upstream = dir.path().join("province/xj-flood.md");
    let text = std::fs::read_to_string(&upstream).expect("read");
    let edited = text
        .replacen("## 六、应急保障", "## 六、保障措施", 1)
        .replacen("---\n", "---\nremark: 修订中\n", 1);
    std::fs::write(&upstream, edited).expect("write");
    let scope = ["--changed-since", "HEAD"];
    let cold = check(dir.path(), &["--no-cache"]);
    let scoped_cold = check(dir.path(), &["--no-cache", "--changed-since", "HEAD"]);
    assert!(!dir.path().join(".yuan-cache").exists());
    let first = check(dir.path(), &[]); // writes the cache
    let warm = check(dir.path(), &[]);
    let scoped_warm = check(dir.path(), &scope);
    assert_eq!(hits(&warm), Some((good_files(), good_files())));
    assert_eq!(hits(&scoped_warm), Some((good_files(), good_files())));
    assert_eq!(cold.stdout, first.stdout);
    assert_eq!(cold.stdout, warm.stdout);
    assert_eq!(scoped_cold.stdout, scoped_warm.stdout);
    assert_eq!(scoped_cold.status.code(), scoped_warm.status.code());
    // the scoped report is the full one narrowed to the changed file and its dependents
    let full = diagnostics(&cold);
    let scoped = diagnostics(&scoped_warm);
    let in_scope = |d: &String| {
        d.contains("\"path\":\"province/xj-flood.md\"")
            || d.contains("\"path\":\"city/yz-flood.md\"")
    };
    let expected: Vec<&String> = full.iter().filter(|d| in_scope(d)).collect();
    assert_eq!(scoped.iter().collect::<Vec<_>>(), expected);
    has_codes(
        &scoped_warm,
        &[
            "F004 province/xj-flood.md",
            "R404 city/yz-flood.md",
            "H201 city/yz-flood.md",
        ],
    );
    // the human output too
    let d = dir.path().to_string_lossy();
    let a = common::run(&["check", &d, "--no-cache", "--changed-since", "HEAD"], &[]);
    let b = common::run(&["check", &d, "--changed-since", "HEAD"], &[]);
    assert_eq!(common::text_of(&a), common::text_of(&b));
}

/// The files changed since a revision, as `yuan::Check` found them.
fn changed_files(dir: &Path, rev: &str, cache: bool) -> Vec<String> {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).expect("a date");
    let report = yuan::Check::new(dir, today)
        .cache(cache)
        .changed_since(Some(rev))
        .run()
        .expect("check");
    let (changed, _) = report.scope.expect("a scope");
    changed.into_iter().collect()
}

/// With the cache the changed files come from the blob ids the load learnt and the revision's
/// tree; without it from git's own walk of the working tree. Both find the same files: edited,
/// staged, committed since, deleted, renamed, untracked, `yuan.toml`; and neither counts files
/// yuan does not read (a README, an image, an excluded folder), here in a plan folder below the
/// top of the repository.
#[test]
fn changed_files_are_the_same_with_and_without_the_cache() {
    let top = tempfile::tempdir().expect("tempdir");
    let dir = top.path().join("plans");
    copy_dir(&root().join("tests/fixtures/good"), &dir);
    std::fs::write(top.path().join("README.md"), "# 预案\n").expect("write");
    std::fs::write(dir.join("logo.png"), [0u8, 1, 2]).expect("write");
    std::fs::create_dir_all(dir.join("archive")).expect("mkdir");
    std::fs::write(dir.join("archive/old.md"), "旧稿\n").expect("write");
    let config = std::fs::read_to_string(dir.join("yuan.toml")).expect("read");
    std::fs::write(
        dir.join("yuan.toml"),
        format!("{config}\n[files]\nexclude = [\"archive/\"]\n"),
    )
    .expect("write");
    let repo = Repository::init(top.path()).expect("init");
    commit(&repo, "plans", "t", 0);
    let edit = |rel: &str| {
        let p = dir.join(rel);
        let text = std::fs::read_to_string(&p).expect("read");
        std::fs::write(&p, format!("{text}\n修订。\n")).expect("write");
    };
    // committed after the revision compared with
    edit("province/xj-overall.md");
    commit(&repo, "revise", "t", 1);
    // staged
    edit("city/yz-overall.md");
    let mut index = repo.index().expect("index");
    index
        .add_path(Path::new("plans/city/yz-overall.md"))
        .expect("stage");
    index.write().expect("write index");
    // edited, deleted, renamed, untracked
    edit("city/yz-flood.md");
    std::fs::remove_file(dir.join("drills/dr-2027-hd-reactor.md")).expect("rm");
    std::fs::rename(
        dir.join("enterprise/hd-onsite-reactor.md"),
        dir.join("enterprise/hd-onsite-reactor-2.md"),
    )
    .expect("mv");
    std::fs::write(dir.join("province/draft.md"), "# 草稿\n").expect("write");
    // not read by yuan: no change to the plans
    std::fs::write(top.path().join("README.md"), "# 预案库\n").expect("write");
    std::fs::write(dir.join("logo.png"), [3u8]).expect("write");
    std::fs::write(dir.join("archive/old.md"), "旧稿二\n").expect("write");

    let expected = [
        "city/yz-flood.md",
        "city/yz-overall.md",
        "drills/dr-2027-hd-reactor.md",
        "enterprise/hd-onsite-reactor-2.md",
        "enterprise/hd-onsite-reactor.md",
        "province/draft.md",
        "province/xj-overall.md",
    ];
    // first without the cache, then with it: cold, then warm (ids from the git index)
    assert_eq!(changed_files(&dir, "HEAD~1", false), expected);
    assert_eq!(changed_files(&dir, "HEAD~1", true), expected);
    assert_eq!(changed_files(&dir, "HEAD~1", true), expected);
    // the files of the last commit are unchanged since it
    assert!(!changed_files(&dir, "HEAD", true).contains(&"province/xj-overall.md".to_string()));
    // the configuration
    std::fs::write(dir.join("yuan.toml"), format!("{config}\n")).expect("write");
    for cache in [false, true] {
        assert!(changed_files(&dir, "HEAD", cache).contains(&"yuan.toml".to_string()));
    }
}
