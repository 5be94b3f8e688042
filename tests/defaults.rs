//! Shared front matter (`_defaults.yaml`, docs/format.md "Shared front matter"): one hotel plan
//! in many parts (tests/fixtures/defaults/hotel: a comprehensive plan, a special plan, two
//! on-site plans and their cards, one `_defaults.yaml` at the plan's folder and one in the
//! on-site folder overriding the version) checks clean, and every seeded fault is reported at
//! the exact file and line where the value is written: in `_defaults.yaml` for an inherited
//! value (naming the document that inherited it), in the document for its own value. A broken
//! defaults file is reported at its own line and the documents below are still checked; the
//! parse cache and `--changed-since` follow an edit of a defaults file.

mod common;

use common::{copy_dir, root};
use std::path::Path;
use std::process::Output;

fn hotel() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/defaults/hotel"), dir.path());
    dir
}

fn check(dir: &Path, extra: &[&str]) -> Output {
    let d = dir.to_string_lossy();
    let mut args = vec!["check", &d, "--format", "json", "--lang", "en"];
    args.extend_from_slice(extra);
    let timed = extra.contains(&"--no-cache") || extra.contains(&"--changed-since");
    common::run(&args, if timed { &[] } else { &[("YUAN_TIMINGS", "1")] })
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {}", common::text_of(o));
    })
}

/// Every finding as `CODE path:line`, in the report's order.
fn found(o: &Output) -> Vec<String> {
    json(o)["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            format!(
                "{} {}:{}",
                d["code"].as_str().unwrap_or(""),
                d["path"].as_str().unwrap_or(""),
                d["line"]
            )
        })
        .collect()
}

/// The messages of the findings.
fn messages(o: &Output) -> Vec<String> {
    json(o)["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["message"].as_str().unwrap_or("").to_string())
        .collect()
}

/// Replaces `from` by `to` in the file `rel` of `dir` (which must contain it).
fn edit(dir: &Path, rel: &str, from: &str, to: &str) {
    let p = dir.join(rel);
    let text = std::fs::read_to_string(&p).expect("read");
    assert!(text.contains(from), "{rel} lacks {from:?}");
    std::fs::write(&p, text.replacen(from, to, 1)).expect("write");
}

/// `yuan list --format json`: id -> the listed document.
fn listed(dir: &Path) -> serde_json::Map<String, serde_json::Value> {
    let d = dir.to_string_lossy();
    let o = common::run(&["list", &d, "--format", "json"], &[]);
    json(&o)
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| (d["id"].as_str().unwrap_or("").to_string(), d.clone()))
        .collect()
}

const TOP: &str = "hotel/_defaults.yaml";
const ONSITE: &str = "hotel/onsite/_defaults.yaml";

#[test]
fn a_hotel_plan_in_many_parts_shares_its_front_matter_and_is_clean() {
    let dir = root().join("tests/fixtures/defaults/hotel");
    let o = check(&dir, &["--no-cache"]);
    assert_eq!(found(&o), Vec::<String>::new(), "{}", common::text_of(&o));
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    // the defaults files are read, and are not documents
    assert_eq!(v["summary"]["documents"], 10);
    let list = listed(&dir);
    assert_eq!(list.len(), 10);
    // the merged front matter is what every output sees
    assert_eq!(list["lh-comprehensive"]["version"], "2026.1");
    assert_eq!(list["lh-special-fire"]["enterprise"], "lh-hotel");
    assert_eq!(list["lh-special-fire"]["profile"], "enterprise");
    // the on-site folder overrides one value, for its plans and the cards below them
    assert_eq!(list["lh-onsite-kitchen"]["version"], "2026.2");
    assert_eq!(list["lh-card-kitchen-chef"]["version"], "2026.2");
    assert_eq!(list["lh-card-kitchen-chef"]["jurisdiction"], "yz");
}

#[test]
fn an_inherited_date_is_reported_at_the_defaults_files_line_for_each_document() {
    let dir = hotel();
    // issued after the effective date, written once for the whole plan
    edit(dir.path(), TOP, "issued: 2026-06-28", "issued: 2026-07-10");
    let o = check(dir.path(), &["--no-cache"]);
    // D701 points at the effective date: in the defaults file for the five documents that
    // inherit it, in its own file for the guest-room plan, which writes its own (2026-07-05)
    let mut want = vec!["D701 hotel/_defaults.yaml:12"; 5];
    want.push("D701 hotel/onsite/lh-onsite-guestroom.md:8");
    assert_eq!(found(&o), want, "{}", common::text_of(&o));
    let msgs = messages(&o);
    for doc in [
        "hotel/lh-comprehensive.md",
        "hotel/special/lh-special-fire.md",
        "hotel/onsite/lh-onsite-kitchen.md",
        "hotel/onsite/cards/lh-card-kitchen-chef.md",
        "hotel/onsite/cards/lh-card-floor-attendant.md",
    ] {
        let said = format!("(value inherited by {doc})");
        assert!(
            msgs.iter().any(|m| m.ends_with(&said)),
            "{said} in {msgs:?}"
        );
    }
    assert!(!msgs[5].contains("inherited"), "{msgs:?}");
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn a_documents_own_value_is_reported_at_its_own_line() {
    let dir = hotel();
    // the guest-room plan names its own contacts instead of the shared list
    let plan = "hotel/onsite/lh-onsite-guestroom.md";
    edit(
        dir.path(),
        plan,
        "key_posts:",
        "contacts: [lh-dutty]\nkey_posts:",
    );
    let o = check(dir.path(), &["--no-cache"]);
    assert_eq!(
        found(&o),
        ["R401 hotel/onsite/lh-onsite-guestroom.md:6"],
        "{}",
        common::text_of(&o)
    );
    assert!(!messages(&o)[0].contains("inherited"), "{:?}", messages(&o));
}

#[test]
fn a_key_that_cannot_be_shared_is_reported_and_not_inherited() {
    let dir = hotel();
    edit(
        dir.path(),
        ONSITE,
        "version:",
        "parent: lh-special-fire\nid: lh-onsite\nversion:",
    );
    let o = check(dir.path(), &["--no-cache"]);
    assert_eq!(
        found(&o),
        [
            "F007 hotel/onsite/_defaults.yaml:2",
            "F007 hotel/onsite/_defaults.yaml:3"
        ],
        "{}",
        common::text_of(&o)
    );
    // the rest of the file still applies
    assert_eq!(listed(dir.path())["lh-onsite-kitchen"]["version"], "2026.2");
}

#[test]
fn an_inherited_value_of_the_wrong_type_or_an_unknown_id_points_at_the_defaults_file() {
    let dir = hotel();
    edit(dir.path(), TOP, "version: \"2026.1\"", "version: 2026.1");
    let o = check(dir.path(), &["--no-cache"]);
    // the on-site folder gives its own version: only the two plans above it inherit this one
    // (what other rules then say about two untyped plans is issue 14 §6, knock-on errors)
    let f003: Vec<String> = found(&o)
        .into_iter()
        .filter(|f| f.starts_with("F003"))
        .collect();
    assert_eq!(
        f003,
        ["F003 hotel/_defaults.yaml:3", "F003 hotel/_defaults.yaml:3"],
        "{}",
        common::text_of(&o)
    );
    let msgs = messages(&o);
    assert!(
        msgs.iter()
            .any(|m| m.ends_with("(value inherited by hotel/lh-comprehensive.md)")),
        "{msgs:?}"
    );

    let dir = hotel();
    edit(
        dir.path(),
        TOP,
        "contacts: [lh-duty]",
        "contacts: [lh-dutty]",
    );
    let o = check(dir.path(), &["--no-cache"]);
    // the comprehensive, special and both on-site plans name the contact (cards have none)
    assert_eq!(
        found(&o),
        vec!["R401 hotel/_defaults.yaml:9"; 4],
        "{}",
        common::text_of(&o)
    );
    assert!(
        messages(&o).iter().all(|m| m.contains("lh-dutty")),
        "{:?}",
        messages(&o)
    );
}

#[test]
fn a_broken_defaults_file_is_reported_at_its_line_and_the_documents_below_are_still_checked() {
    let dir = hotel();
    std::fs::write(
        dir.path().join(ONSITE),
        "# 修订\nversion: \"2026.2\"\n  dates: [\n",
    )
    .expect("write");
    let o = check(dir.path(), &["--no-cache"]);
    let f = found(&o);
    assert_eq!(f.len(), 1, "{}", common::text_of(&o));
    assert!(
        f[0].starts_with("F002 hotel/onsite/_defaults.yaml:"),
        "{f:?}"
    );
    // the on-site plans get what the folder above gives
    let list = listed(dir.path());
    assert_eq!(list["lh-onsite-kitchen"]["version"], "2026.1");
    assert_eq!(list["lh-onsite-kitchen"]["enterprise"], "lh-hotel");

    // a defaults file that is a link out of the repository is refused, not read
    #[cfg(unix)]
    {
        let dir = hotel();
        let outside = tempfile::tempdir().expect("tempdir");
        let secret = outside.path().join("secret.yaml");
        std::fs::write(&secret, "version: \"9.9\"\n").expect("write");
        std::fs::remove_file(dir.path().join(ONSITE)).expect("rm");
        std::os::unix::fs::symlink(&secret, dir.path().join(ONSITE)).expect("link");
        let o = check(dir.path(), &["--no-cache"]);
        let f = found(&o);
        assert_eq!(f.len(), 1, "{}", common::text_of(&o));
        assert!(
            f[0].starts_with("F005 hotel/onsite/_defaults.yaml"),
            "{f:?}"
        );
        assert_eq!(listed(dir.path())["lh-onsite-kitchen"]["version"], "2026.1");
    }
}

/// `(hits, files)` from the timing line `cache: H of N files hit`.
fn hits(o: &Output) -> (usize, usize) {
    let err = String::from_utf8_lossy(&o.stderr);
    let line = err
        .lines()
        .find(|l| l.contains("files hit"))
        .unwrap_or_else(|| panic!("no cache line in {err}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    let i = words.iter().position(|w| *w == "of").expect("of");
    (
        words[i - 1].parse().expect("hits"),
        words[i + 1].parse().expect("files"),
    )
}

#[test]
fn editing_a_defaults_file_changes_a_warm_check_for_exactly_the_documents_below_it() {
    let dir = hotel();
    let cold = check(dir.path(), &[]);
    assert_eq!(found(&cold), Vec::<String>::new());
    let warm = check(dir.path(), &[]);
    assert_eq!(hits(&warm), (13, 13), "{}", common::text_of(&warm));
    // the on-site folder's plans and cards: 4 documents
    edit(dir.path(), ONSITE, "version: \"2026.2\"", "version: 2026.2");
    let edited = check(dir.path(), &[]);
    assert_eq!(hits(&edited), (9, 13), "{}", common::text_of(&edited));
    let want = vec!["F003 hotel/onsite/_defaults.yaml:2"; 4];
    assert_eq!(found(&edited), want, "{}", common::text_of(&edited));
    // the same as a run without the cache, and as the next warm run
    assert_eq!(found(&check(dir.path(), &["--no-cache"])), want);
    let again = check(dir.path(), &[]);
    assert_eq!(hits(&again), (13, 13));
    assert_eq!(found(&again), want);
    // and back
    edit(dir.path(), ONSITE, "version: 2026.2", "version: \"2026.2\"");
    assert_eq!(found(&check(dir.path(), &[])), Vec::<String>::new());
}

#[test]
fn changed_since_reports_every_document_below_a_changed_defaults_file() {
    let dir = hotel();
    let repo = git2::Repository::init(dir.path()).expect("init");
    common::commit(&repo, "plans", "t", 1);
    for cache in [true, false] {
        let flags: &[&str] = if cache {
            &["--changed-since", "HEAD"]
        } else {
            &["--changed-since", "HEAD", "--no-cache"]
        };
        // nothing changed: nothing reported
        assert_eq!(found(&check(dir.path(), flags)), Vec::<String>::new());
    }
    // only the on-site folder's defaults change: an issue date after the effective date the
    // kitchen plan and the cards inherit from the folder above, and after the guest-room
    // plan's own
    edit(
        dir.path(),
        ONSITE,
        "version:",
        "dates:\n  issued: 2026-07-08\nversion:",
    );
    let mut want = vec!["D701 hotel/_defaults.yaml:12"; 3];
    want.push("D701 hotel/onsite/lh-onsite-guestroom.md:8");
    for flags in [
        &["--changed-since", "HEAD"][..],
        &["--changed-since", "HEAD", "--no-cache"][..],
        &[][..],
    ] {
        let o = check(dir.path(), flags);
        assert_eq!(found(&o), want, "{flags:?}: {}", common::text_of(&o));
    }

    // a document that changed reports the findings about what it inherits
    common::commit(&repo, "on-site dates", "t", 2);
    edit(
        dir.path(),
        "hotel/onsite/lh-onsite-guestroom.md",
        "dates:\n  effective: 2026-07-05\n",
        "",
    );
    let o = check(dir.path(), &["--changed-since", "HEAD"]);
    let f = found(&o);
    assert!(
        f.contains(&"D701 hotel/_defaults.yaml:12".to_string()),
        "{}",
        common::text_of(&o)
    );
    let said = "(value inherited by hotel/onsite/lh-onsite-guestroom.md)";
    assert!(
        messages(&o).iter().any(|m| m.ends_with(said)),
        "{:?}",
        messages(&o)
    );
}

/// Runs `yuan` with `args` (the repository and output folder included).
fn yuan(args: &[&str]) -> Output {
    common::run(args, &[])
}

#[test]
fn handbooks_and_cards_print_the_merged_front_matter_and_leave_out_what_inherits_an_error() {
    let dir = hotel();
    let d = dir.path().to_string_lossy().into_owned();
    let out = tempfile::tempdir().expect("tempdir");
    let o_dir = out.path().to_string_lossy().into_owned();
    let args = [
        "handbook",
        &d,
        "--out",
        &o_dir,
        "--plan",
        "lh-onsite-kitchen",
        "--format",
        "html",
    ];
    let o = yuan(&args);
    assert!(o.status.success(), "{}", common::text_of(&o));
    let html = std::fs::read_to_string(out.path().join("lh-onsite-kitchen.html")).expect("html");
    // the plan number and the issuing date come from hotel/_defaults.yaml, the version from
    // the on-site folder's
    for want in ["LHJD-YJYA-2026-01", "2026.2", "2026-06-28"] {
        assert!(html.contains(want), "{want} not in the handbook");
    }

    let cards = tempfile::tempdir().expect("tempdir");
    let c_dir = cards.path().to_string_lossy().into_owned();
    let o = yuan(&["cards", &d, "--out", &c_dir]);
    assert!(o.status.success(), "{}", common::text_of(&o));
    let printed = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("ls")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("lh-card"))
            .collect();
        names.sort();
        names
    };
    assert!(
        printed(cards.path())
            .iter()
            .any(|n| n.starts_with("lh-card-kitchen-chef")),
        "{:?}",
        printed(cards.path())
    );

    // an error at a defaults file keeps what inherits from it out of print: here the on-site
    // folder's issue date falls after the effective date the cards inherit from above (D701
    // at hotel/_defaults.yaml)
    edit(
        dir.path(),
        ONSITE,
        "version:",
        "dates:\n  issued: 2026-07-08\nversion:",
    );
    let cards = tempfile::tempdir().expect("tempdir");
    let c_dir = cards.path().to_string_lossy().into_owned();
    let o = yuan(&["cards", &d, "--out", &c_dir]);
    assert_eq!(o.status.code(), Some(1), "{}", common::text_of(&o));
    assert_eq!(printed(cards.path()), Vec::<String>::new());
}
