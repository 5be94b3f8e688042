//! A repository in memory is loaded and checked through the same stages as a folder on disk
//! (issue 18: "tests can give it an in-memory repository"): the same files give the same
//! findings, a broken file its diagnostic, and a path that climbs out is refused.

mod common;

use chrono::NaiveDate;
use common::files_of;
use std::path::Path;
use yuan::Check;

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 6).expect("a date")
}

/// What a finding says, and where.
type Finding = (String, String, String, String);

fn findings(report: &yuan::Report) -> Vec<Finding> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code.to_string(),
                d.path.clone(),
                format!("{:?}", d.span),
                format!("{:?}", d.message),
            )
        })
        .collect()
}

fn same_on_disk_and_in_memory(dir: &Path) -> usize {
    let disk = Check::new(dir, date()).run().expect("disk check");
    let memory = Check::in_memory(files_of(dir), date())
        .run()
        .expect("memory check");
    assert_eq!(findings(&memory), findings(&disk), "{}", dir.display());
    assert_eq!(
        memory.loaded.corpus.docs.len(),
        disk.loaded.corpus.docs.len(),
        "{}",
        dir.display()
    );
    disk.diagnostics.len()
}

#[test]
fn the_good_fixtures_and_the_plans_check_the_same_in_memory() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["tests/fixtures/good", "plans"] {
        same_on_disk_and_in_memory(&root.join(dir));
    }
}

/// Every bad fixture too: each has findings (with spans found again from the files' bytes),
/// and memory gives exactly what the disk gives.
#[test]
fn every_bad_fixture_checks_the_same_in_memory() {
    let bad = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad");
    let mut dirs: Vec<_> = std::fs::read_dir(bad)
        .expect("ls")
        .map(|e| e.expect("entry").path())
        // a fixture of a rule that reads git history (`.history/`, see tests/fixtures.rs) has
        // no finding without it, and a repository in memory has no history
        .filter(|p| p.is_dir() && !p.join(".history").exists())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty());
    for dir in dirs {
        assert!(same_on_disk_and_in_memory(&dir) > 0, "{}", dir.display());
    }
}

#[test]
fn a_broken_file_in_memory_gives_its_diagnostic() {
    let files = [
        ("a.md".to_string(), b"# no front matter\n".to_vec()),
        // GBK bytes: not UTF-8
        (
            "b.md".to_string(),
            b"---\nid: b\ntitle: \xd3\xa6\xbc\xb1\n---\n".to_vec(),
        ),
    ];
    let report = Check::in_memory(files, date()).run().expect("check");
    let found: Vec<(&str, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.code, d.path.as_str()))
        .collect();
    assert!(found.contains(&("F001", "a.md")), "{found:?}");
    assert!(found.contains(&("F005", "b.md")), "{found:?}");
    let f005 = report
        .diagnostics
        .iter()
        .find(|d| d.code == "F005")
        .expect("F005");
    assert_eq!(f005.span.map(|s| s.line), Some(3));
}

/// The walk in memory skips what the walk on disk skips: hidden names, generated folders and
/// `[files] exclude`; YAML outside the registry folder is not a registry.
#[test]
fn the_walk_in_memory_skips_and_classifies_as_on_disk() {
    let doc = |id: &str| format!("---\nid: {id}\n---\n").into_bytes();
    let files = [
        (
            "yuan.toml".to_string(),
            b"[files]\nexclude = [\"drafts/**\"]\n".to_vec(),
        ),
        ("a.md".to_string(), doc("a")),
        ("README.md".to_string(), b"# readme\n".to_vec()),
        (".hidden/b.md".to_string(), doc("b")),
        ("out/c.md".to_string(), doc("c")),
        ("target/d.md".to_string(), doc("d")),
        ("drafts/e.md".to_string(), doc("e")),
        ("notes.yaml".to_string(), b"not: a registry\n".to_vec()),
    ];
    let memory = Check::in_memory(files.clone(), date())
        .run()
        .expect("memory check");
    let dir = tempfile::tempdir().expect("tempdir");
    for (rel, bytes) in &files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    }
    let disk = Check::new(dir.path(), date()).run().expect("disk check");
    let ids = |r: &yuan::Report| -> Vec<String> {
        r.loaded
            .corpus
            .docs
            .iter()
            .filter_map(|d| d.id.clone())
            .collect()
    };
    assert_eq!(ids(&memory), ["a"]);
    assert_eq!(ids(&memory), ids(&disk));
    assert_eq!(findings(&memory), findings(&disk));
}

#[test]
fn a_path_that_climbs_out_is_refused() {
    let files = [(
        "plan/a.md".to_string(),
        b"---\nid: a\ntitle: A\n---\n\n[map](../../secret.pdf)\n".to_vec(),
    )];
    let report = Check::in_memory(files, date()).run().expect("check");
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.code == "R403" && d.path == "plan/a.md"),
        "{:?}",
        findings(&report)
    );
    // a file held at an absolute path is outside the repository: reported, never read
    let files = [("/etc/plan.md".to_string(), b"---\nid: p\n---\n".to_vec())];
    let report = Check::in_memory(files, date()).run().expect("check");
    let f005 = report
        .diagnostics
        .iter()
        .find(|d| d.code == "F005")
        .expect("F005");
    assert_eq!(f005.path, "/etc/plan.md");
    assert!(
        f005.message.en.contains("leaves the repository"),
        "{f005:?}"
    );
    assert!(report.loaded.corpus.docs.is_empty());
    // and --changed-since has no git to ask
    let err = Check::in_memory([], date())
        .changed_since(Some("HEAD"))
        .run()
        .err()
        .expect("refused");
    assert!(err.to_string().contains("git"), "{err}");
}

/// F003 says how to write the value: the type wanted with an example of the field written that
/// way, the closest allowed value, the values allowed (issue 16). Each case is one field of the
/// F003 fixture's plan written wrong.
#[test]
fn schema_errors_say_how_to_write_the_value() {
    let dir = common::root().join("tests/fixtures/bad/F003_version_not_quoted");
    let plan = "province/xj-overall.md";
    let cases = [
        (
            "level: province",
            "level: provence",
            "did you mean `province`?",
        ),
        (
            "level: province",
            "level: [province]",
            "it is a list now; write text, e.g. `level: \"…\"`",
        ),
        (
            "title: 湘江省突发事件总体应急预案",
            "title: [湘江省, 总体应急预案]",
            "write text, e.g. `title:",
        ),
        (
            "level: province",
            "level: province\nhazards: flood",
            "write a list, e.g. `hazards: [a, b]`",
        ),
    ];
    for (was, now, says) in cases {
        let files = files_of(&dir).into_iter().map(|(p, b)| {
            if p == plan {
                let text = String::from_utf8(b).expect("utf-8");
                assert!(text.contains(was), "{was}");
                let text = text.replace("version: 2026.1", "version: \"2026.1\"");
                (p, text.replacen(was, now, 1).into_bytes())
            } else {
                (p, b)
            }
        });
        let report = Check::in_memory(files, date()).run().expect("checks");
        let f003: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.code == "F003")
            .collect();
        assert_eq!(f003.len(), 1, "{now}: {f003:#?}");
        let help = f003[0]
            .help
            .as_ref()
            .map(|h| h.en.clone())
            .unwrap_or_default();
        assert!(help.contains(says), "{now}: {help}");
        let zh = serde_json::to_value(&f003[0].help).expect("json")["zh"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(!zh.is_empty() && !zh.contains("write"), "{now}: {zh}");
    }
}
