//! Hostile repositories: see the module docs of `tests/hostile.rs`. Safe outputs (classes 2 and
//! 8 of issue 15, and interrupted generation): ids that would leave the output folder, output
//! injection (iCalendar, CSV, terminal, HTML), killed runs, stale temporary files, stale sets.

use super::support;
use std::path::{Path, PathBuf};
use std::process::Output;

const CARD: &str = "enterprise/hd-card-reactor-operator.md";
const CARD_ID: &str = "id: hd-card-reactor-operator";

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A clean repository at `base/repo` inside a fresh folder `base`, so that everything beside
/// the repository can be recorded with `support::tree`.
fn repo_in_base() -> (tempfile::TempDir, PathBuf) {
    let base = tempfile::tempdir().expect("tempdir");
    let good = support::good_repo();
    let repo = base.path().join("repo");
    super::common::copy_dir(good.path(), &repo);
    // messages in English, whatever the locale of the machine
    let toml = repo.join("yuan.toml");
    let t = std::fs::read_to_string(&toml).expect("yuan.toml");
    std::fs::write(
        &toml,
        t.replacen("[check]\n", "[check]\nlang = \"en\"\n", 1),
    )
    .expect("toml");
    (base, repo)
}

/// Adds a copy of the fixture's disposal card at `file` whose front matter line `id: …` reads
/// `id_line` and whose other lines go through `edit`.
fn add_card(repo: &Path, file: &str, id_line: &str, edit: impl Fn(String) -> String) {
    let t = std::fs::read_to_string(repo.join(CARD)).expect("card");
    assert!(t.contains(CARD_ID));
    let p = repo.join(file);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, edit(t.replacen(CARD_ID, id_line, 1))).expect("write card");
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn no_raw_control(o: &Output) {
    for (what, bytes) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
        let t = String::from_utf8_lossy(bytes);
        assert!(
            !t.chars()
                .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'),
            "a raw control character reached {what}: {t:?}"
        );
    }
}

#[test]
fn ids_that_are_not_file_names_are_i103_errors_and_nothing_is_written_outside() {
    let (base, repo) = repo_in_base();
    let abs = base.path().join("abs-pwned");
    add_card(&repo, "enterprise/evil-up.md", "id: ../../up-pwned", |t| t);
    add_card(
        &repo,
        "enterprise/evil-abs.md",
        &format!("id: {}", s(&abs)),
        |t| t,
    );
    add_card(
        &repo,
        "enterprise/evil-ctl.md",
        "id: \"ctl\\e[2J\\r\\nx\"",
        |t| t,
    );
    add_card(&repo, "enterprise/evil-dot.md", "id: .hidden", |t| t);
    // a drill record and a plan too: packs and handbooks are named after them
    let drill = std::fs::read_to_string(repo.join("drills/dr-2026-hd-reactor.md")).expect("drill");
    std::fs::write(
        repo.join("drills/evil-drill.md"),
        drill.replacen("id: dr-2026-hd-reactor", "id: ../../pack-pwned", 1),
    )
    .expect("write drill");
    let plan = std::fs::read_to_string(repo.join("province/xj-flood.md")).expect("plan");
    std::fs::write(
        repo.join("province/evil-plan.md"),
        plan.replacen("id: xj-flood", "id: ../../book-pwned", 1),
    )
    .expect("write plan");

    // check time: an error under I103 for each, with help, escaped
    let o = support::run(&["check", s(&repo), "--color", "never"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    for shown in [
        "id `../../up-pwned` cannot be a file name",
        "id `.hidden` cannot be a file name",
        "id `ctl\\u{1b}[2J\\u{d}\\u{a}x` cannot be a file name",
        "id `../../pack-pwned` cannot be a file name",
        "id `../../book-pwned` cannot be a file name",
        "cards, handbooks and exercise packs are named after the id",
    ] {
        assert!(t.contains(shown), "{shown} missing in {t}");
    }
    assert!(
        t.contains(&format!("id `{}` cannot be a file name", s(&abs))),
        "{t}"
    );
    assert!(t.contains("error[I103]"), "{t}");
    no_raw_control(&o);

    // the generators print none of them, and write nothing outside --out
    let out = base.path().join("out");
    let before = support::tree(base.path(), &["out", "repo/.yuan-cache"]);
    let o = support::run(&["cards", s(&repo), "--out", s(&out)]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("4 not generated because of errors"), "{t}");
    no_raw_control(&o);
    assert_eq!(
        names(&out),
        [
            "cards.html",
            "cards.pdf",
            "hd-card-reactor-operator.pdf",
            "yuan-manifest.json"
        ]
    );
    let o = support::run(&[
        "handbook",
        s(&repo),
        "--all",
        "--format",
        "html",
        "--out",
        s(&out.join("hb")),
    ]);
    assert!(!text(&o).contains("panicked"), "{}", text(&o));
    let books = names(&out.join("hb"));
    assert!(books.iter().any(|n| n == "xj-flood.html"), "{books:?}");
    assert!(!books.iter().any(|n| n.contains("pwned")), "{books:?}");
    let o = support::run(&[
        "drills",
        "pack",
        "../../pack-pwned",
        s(&repo),
        "--out",
        s(&out.join("pk")),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("no pack was printed"), "{}", text(&o));
    assert!(
        names(&out.join("pk")).is_empty(),
        "{:?}",
        names(&out.join("pk"))
    );
    assert_eq!(
        support::tree(base.path(), &["out", "repo/.yuan-cache"]),
        before
    );
    assert!(!abs.exists() && !base.path().join("up-pwned.pdf").exists());
}

#[test]
fn two_outputs_with_one_file_name_stop_the_run_before_anything_is_written() {
    let (base, repo) = repo_in_base();
    // a card called `cards` would be overwritten by the print file `cards.pdf`
    add_card(&repo, "enterprise/cards.md", "id: cards", |t| t);
    let out = base.path().join("out");
    let o = support::run(&["cards", s(&repo), "--out", s(&out)]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(
        t.contains("cards.pdf") && t.contains("not overwriting"),
        "{t}"
    );
    assert!(names(&out).is_empty(), "{:?}", names(&out));
}

#[test]
fn a_default_output_folder_that_is_a_symlink_is_not_written_through() {
    let (base, repo) = repo_in_base();
    let elsewhere = base.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).expect("mkdir");
    std::fs::write(elsewhere.join("keep.txt"), "mine").expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&elsewhere, repo.join("out")).expect("symlink");
    let before = support::tree(base.path(), &["repo/.yuan-cache"]);
    for args in [
        vec!["cards", s(&repo)],
        vec!["drills", "schedule", s(&repo), "--format", "ics,csv"],
        vec!["handbook", s(&repo), "--all", "--format", "html"],
    ] {
        let o = support::run(&args);
        let t = text(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {t}");
        assert!(t.contains("is a symlink") && t.contains("--out"), "{t}");
    }
    assert_eq!(support::tree(base.path(), &["repo/.yuan-cache"]), before);
}

/// The fixture with every `title:` of a plan replaced by `title` (YAML, double-quoted).
fn retitle(repo: &Path, title: &str) {
    for dir in ["province", "city", "enterprise"] {
        for e in std::fs::read_dir(repo.join(dir)).expect("ls").flatten() {
            let t = std::fs::read_to_string(e.path()).expect("read");
            let Some(line) = t.lines().find(|l| l.starts_with("title: ")) else {
                continue;
            };
            let t = t.replacen(line, &format!("title: \"{title}\""), 1);
            std::fs::write(e.path(), t).expect("write");
        }
    }
}

#[test]
fn schedule_exports_keep_titles_as_text() {
    use icalendar::{Calendar, Component};
    let (base, repo) = repo_in_base();
    retitle(
        &repo,
        "=HYPERLINK(\\\"http://evil.example\\\")\\r\\nATTACH:http://evil.example/x\\r\\nEND:VEVENT\\e[2J",
    );
    let out = base.path().join("out");
    let o = support::run(&[
        "drills",
        "schedule",
        s(&repo),
        "--from",
        "2027-01",
        "--months",
        "24",
        "--today",
        "2026-11-28",
        "--format",
        "ics,csv",
        "--out",
        s(&out),
    ]);
    let t = text(&o);
    assert!(o.status.code().is_some_and(|c| c < 2), "{t}");
    no_raw_control(&o);
    let ics = std::fs::read_to_string(out.join("drills-coordinators.ics")).expect("ics");
    assert!(
        ics.contains("HYPERLINK"),
        "the titles are in the calendar: {ics}"
    );
    for l in ics.split("\r\n") {
        assert!(l.len() <= 75, "{} octets: {l}", l.len());
        assert!(!l.starts_with("ATTACH") && !l.contains('\u{1b}'), "{l:?}");
    }
    // the title's `END:VEVENT` stays inside its SUMMARY: the events are those yuan wrote
    let lines: Vec<&str> = ics.split("\r\n").collect();
    let begins = lines.iter().filter(|l| **l == "BEGIN:VEVENT").count();
    assert_eq!(lines.iter().filter(|l| **l == "END:VEVENT").count(), begins);
    let unfolded = ics.replace("\r\n ", "");
    assert!(unfolded.contains("\\nEND:VEVENT\u{fffd}[2J"), "{unfolded}");
    let cal: Calendar = ics.parse().expect("icalendar parses the output");
    let events: Vec<_> = cal.components.iter().filter_map(|c| c.as_event()).collect();
    assert!(!events.is_empty());
    for e in &events {
        assert!(e.property_value("ATTACH").is_none());
    }
    assert!(events
        .iter()
        .any(|e| e.get_summary().is_some_and(|s| s.contains("ATTACH:http"))));
    let csv = std::fs::read_to_string(out.join("drills.csv")).expect("csv");
    let mut r = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("record")).collect();
    assert!(!rows.is_empty());
    let mut titled = 0;
    for row in &rows {
        for c in row {
            assert!(!c.starts_with(['=', '+', '-', '@', '\t', '\r']), "{c:?}");
        }
        if row.get(2).is_some_and(|c| c.starts_with("'=HYPERLINK")) {
            titled += 1;
        }
    }
    assert!(titled > 0, "{csv}");
}

#[test]
fn terminal_output_shows_control_characters_escaped() {
    let (_base, repo) = repo_in_base();
    retitle(
        &repo,
        "标题\\e]0;pwned\\a\\e[2J\\r\\nerror[F001]: fake\\u202e",
    );
    // a file name with an escape sequence, and an id whose file name differs (I103 warning)
    add_card(
        &repo,
        "enterprise/\u{1b}[31mred.md",
        "id: x-card-red",
        |t| t,
    );
    for args in [
        vec!["check", s(&repo), "--color", "never"],
        vec!["list", s(&repo)],
        vec!["drills", "status", s(&repo)],
        vec!["cards", s(&repo), "--out", s(&repo.join("o1"))],
        vec![
            "drills",
            "schedule",
            s(&repo),
            "--format",
            "ics",
            "--out",
            s(&repo.join("o2")),
        ],
    ] {
        let o = support::run(&args);
        assert!(
            o.status.code().is_some_and(|c| c < 2),
            "{args:?}: {}",
            text(&o)
        );
        no_raw_control(&o);
    }
    let o = support::run(&["list", s(&repo)]);
    let t = text(&o);
    assert!(
        t.contains("标题\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\u{d}\\u{a}error[F001]: fake\\u{202e}"),
        "{t}"
    );
    let o = support::run(&["check", s(&repo), "--color", "never"]);
    assert!(text(&o).contains("\\u{1b}[31mred"), "{}", text(&o));
}

#[test]
fn html_outputs_escape_a_script_in_a_title() {
    let (base, repo) = repo_in_base();
    retitle(&repo, "<script>alert(1)</script>标题");
    let out = base.path().join("out");
    support::run(&["cards", s(&repo), "--out", s(&out.join("c"))]);
    support::run(&[
        "handbook",
        s(&repo),
        "--all",
        "--format",
        "html",
        "--out",
        s(&out.join("h")),
    ]);
    let mut seen = 0;
    for sub in ["c", "h"] {
        for n in names(&out.join(sub))
            .iter()
            .filter(|n| n.ends_with(".html"))
        {
            let h = std::fs::read_to_string(out.join(sub).join(n)).expect("html");
            assert!(!h.contains("<script>alert"), "{n}");
            seen += usize::from(h.contains("&lt;script&gt;alert(1)&lt;"));
        }
    }
    assert!(seen >= 2, "the titles are shown, escaped ({seen})");
}

/// A repository with `n` more cards, so that a run takes long enough to be killed mid-way.
fn many_cards(n: usize, risk: &str) -> (tempfile::TempDir, PathBuf) {
    let (base, repo) = repo_in_base();
    for i in 0..n {
        add_card(
            &repo,
            &format!("enterprise/c-{i:02}.md"),
            &format!("id: c-{i:02}"),
            |t| t.replace("反应釜超温超压，可能引发火灾。", risk),
        );
    }
    (base, repo)
}

fn set_risk(repo: &Path, n: usize, risk: &str) {
    for i in 0..n {
        let p = repo.join(format!("enterprise/c-{i:02}.md"));
        let t = std::fs::read_to_string(&p).expect("card");
        let old = t
            .lines()
            .find(|l| l.starts_with("risk: "))
            .expect("risk")
            .to_string();
        std::fs::write(&p, t.replacen(&old, &format!("risk: {risk}"), 1)).expect("write");
    }
}

#[test]
fn a_killed_run_leaves_whole_files_and_the_next_run_cleans_up_and_notices() {
    use std::collections::BTreeMap;
    const N: usize = 24;
    let (base, repo) = many_cards(N, "旧的风险描述。");
    let out = base.path().join("out");
    let o = support::run(&["cards", s(&repo), "--out", s(&out), "--no-html"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let read_all = |d: &Path| -> BTreeMap<String, Vec<u8>> {
        names(d)
            .into_iter()
            .filter(|n| !n.starts_with('.'))
            .map(|n| (n.clone(), std::fs::read(d.join(&n)).expect("read")))
            .collect()
    };
    let old = read_all(&out);
    // the complete new set, made elsewhere
    set_risk(&repo, N, "新的风险描述，内容不同。");
    let fresh = base.path().join("fresh");
    let o = support::run(&["cards", s(&repo), "--out", s(&fresh), "--no-html"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let new = read_all(&fresh);
    assert_ne!(old.get("c-00.pdf"), new.get("c-00.pdf"));

    let mut killed = 0;
    for attempt in 0..6 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_yuan"))
            .args(["cards", s(&repo), "--out", s(&out), "--no-html"])
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        let start = std::time::Instant::now();
        // kill it while it writes (a temporary file exists), or after a delay that grows
        loop {
            let writing = names(&out).iter().any(|n| n.starts_with(".yuan-"));
            let waited = start.elapsed() > std::time::Duration::from_millis(150 * attempt);
            if writing || waited || child.try_wait().ok().flatten().is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_micros(200));
        }
        let _ = child.kill();
        let status = child.wait().expect("wait");
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt as _;
            killed += usize::from(status.signal().is_some());
        }
        // every file under a final name is whole: the old run's or the new run's bytes
        for (n, bytes) in read_all(&out) {
            let ok = old.get(&n) == Some(&bytes) || new.get(&n) == Some(&bytes);
            assert!(
                ok,
                "attempt {attempt}: {n} is neither the old nor the new file"
            );
        }
        // reset to the old set for the next attempt
        if attempt < 5 {
            for (n, bytes) in &old {
                std::fs::write(out.join(n), bytes).expect("restore");
            }
        }
    }
    assert!(killed > 0, "no run was killed mid-way");

    // leftovers as a killed run leaves them: a dead process's temporary file, next to a live
    // one's, a link with the same pattern, and an unrelated file
    let dead = std::process::Command::new("true")
        .spawn()
        .and_then(|mut c| c.wait().map(|_| c.id()))
        .expect("a finished process");
    let stale = format!(".yuan-{dead}-AbCdEf.tmp");
    let live = format!(".yuan-{}-LiVe01.tmp", std::process::id());
    std::fs::write(out.join(&stale), b"partial").expect("stale");
    std::fs::write(out.join(&live), b"being written").expect("live");
    let target = base.path().join("target.txt");
    std::fs::write(&target, b"keep").expect("target");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&target, out.join(format!(".yuan-{dead}-LiNk01.tmp"))).expect("ln");
    std::fs::write(out.join("notes.tmp"), b"mine").expect("notes");
    // and a set that no single run made: one card from elsewhere, one file no run listed
    std::fs::write(out.join("c-01.pdf"), b"%PDF-1.7 not this run").expect("mix");
    std::fs::write(out.join("zz-extra.pdf"), b"%PDF-1.7").expect("extra");

    let o = support::run(&["cards", s(&repo), "--out", s(&out), "--no-html"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(
        t.contains("temporary file(s) (.yuan-*.tmp) that an interrupted run left"),
        "{t}"
    );
    assert!(
        t.contains("was not one run's output") && t.contains("c-01.pdf"),
        "{t}"
    );
    assert!(
        t.contains("are not part of this run") && t.contains("zz-extra.pdf"),
        "{t}"
    );
    let left = names(&out);
    // the killed runs' temporary files and the dead process's are gone; a live run's file and
    // a link of the same pattern stay
    let temps: Vec<String> = left
        .iter()
        .filter(|n| n.starts_with(".yuan-"))
        .cloned()
        .collect();
    let mut expected = vec![format!(".yuan-{dead}-LiNk01.tmp"), live.clone()];
    expected.sort();
    assert_eq!(temps, expected, "{left:?}");
    assert!(!left.contains(&stale), "{left:?}");
    assert_eq!(std::fs::read(&target).expect("target"), b"keep");
    assert!(left.contains(&"notes.tmp".to_string()));
    // the folder now holds the new set, and the manifest lists it
    let now = read_all(&out);
    for (n, bytes) in &new {
        assert_eq!(now.get(n), Some(bytes), "{n}");
    }
    let manifest = std::fs::read_to_string(out.join("yuan-manifest.json")).expect("manifest");
    assert!(
        manifest.contains("\"c-00.pdf\"") && !manifest.contains("zz-extra"),
        "{manifest}"
    );
    assert_eq!(
        manifest,
        std::fs::read_to_string(fresh.join("yuan-manifest.json")).expect("fresh manifest"),
        "same input, same manifest"
    );
}

#[test]
fn diff_and_log_show_titles_and_commit_text_escaped() {
    let (_base, repo) = repo_in_base();
    let mut opts = git2::RepositoryInitOptions::new();
    opts.initial_head("main");
    let git = git2::Repository::init_opts(&repo, &opts).expect("init");
    super::common::commit(&git, "初版", "ok", 0);
    retitle(&repo, "新标题\\e[2J\\e]0;pwned\\a");
    super::common::commit(
        &git,
        "改\u{1b}[2J标题\u{1b}]0;pwned\u{7}",
        "evil\u{1b}[31m",
        1,
    );
    for args in [
        vec!["diff", "HEAD~1..HEAD", "-C", s(&repo), "--color", "never"],
        vec!["diff", "HEAD~1..HEAD", "-C", s(&repo), "--color", "always"],
        vec!["log", "xj-flood", s(&repo)],
    ] {
        let o = support::run(&args);
        assert!(
            o.status.code().is_some_and(|c| c < 2),
            "{args:?}: {}",
            text(&o)
        );
        let t = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(
            t.contains("\\u{1b}[2J"),
            "{args:?}: the text is shown, escaped: {t}"
        );
        let own_colours = args.contains(&"always");
        let raw: Vec<&str> = t.split('\u{1b}').skip(1).collect();
        for after in &raw {
            let sgr = after.starts_with('[')
                && after[1..]
                    .trim_start_matches(|c: char| c.is_ascii_digit() || c == ';')
                    .starts_with('m');
            assert!(own_colours && sgr, "{args:?}: raw ESC{after:?}");
        }
        assert!(!t.contains('\u{7}') && !t.contains('\r'), "{args:?}: {t:?}");
    }
}

/// A drill record whose title and finding are a script and a spreadsheet formula: the reports'
/// HTML shows them escaped, their CSV cells stay text (a leading `'`), in both reports.
#[test]
fn drill_reports_escape_a_hostile_title_and_finding() {
    let (base, repo) = repo_in_base();
    let path = repo.join("drills/dr-2026-hd-reactor.md");
    let t = std::fs::read_to_string(&path).expect("drill");
    let t = t
        .replacen(
            "title: 反应釜超温处置演练（2026年下半年）",
            "title: \"<script>alert(1)</script>演练\"",
            1,
        )
        .replacen(
            "description: 停车后未及时通知调度",
            "description: \"=HYPERLINK(\\\"http://evil.example\\\")\"",
            1,
        );
    std::fs::write(&path, t).expect("write");
    let out = base.path().join("out");
    for args in [
        vec!["dr-2026-hd-reactor"],
        vec!["--year", "2026", "--org", "hd-chem"],
    ] {
        let mut all = vec!["drills", "report"];
        all.extend(args);
        all.extend(["--format", "html,csv", s(&repo), "--out", s(&out)]);
        let o = support::run(&all);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        no_raw_control(&o);
    }
    let mut seen = 0;
    for n in names(&out) {
        let body = std::fs::read_to_string(out.join(&n)).expect("read");
        if n.ends_with(".html") {
            assert!(!body.contains("<script>alert"), "{n}");
            seen += usize::from(body.contains("&lt;script&gt;alert(1)&lt;"));
        }
        if n.ends_with(".csv") {
            let mut r = csv::Reader::from_reader(body.trim_start_matches('\u{feff}').as_bytes());
            for row in r.records() {
                for c in &row.expect("record") {
                    assert!(
                        !c.starts_with(['=', '+', '-', '@', '\t', '\r']),
                        "{n}: {c:?}"
                    );
                }
            }
        }
    }
    assert_eq!(seen, 2, "both reports show the title, escaped");
    let csv = std::fs::read_to_string(out.join("dr-2026-hd-reactor-report.csv")).expect("csv");
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
}
