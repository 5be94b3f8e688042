//! The commit gate and code review (issue 16): the pre-commit hook checks what is committed
//! (the git index, not the working files) and never passes silently without yuan; SARIF lands
//! on the right lines of a repository whose plans sit in `plans/`; the CLI survives a closed
//! pipe and prints no per-item lines when standard error is not a terminal; `yuan new` starts
//! clean.

mod common;

use common::{copy_dir, root, text_of};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn yuan(args: &[&str]) -> Output {
    common::run(args, &[])
}

/// `git` in `dir`, with an identity and the given PATH.
fn git(dir: &Path, args: &[&str], path: &str) -> Output {
    Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
        .args(args)
        .current_dir(dir)
        .env("PATH", path)
        .env("HOME", dir)
        .env("NO_COLOR", "1")
        .env_remove("YUAN_LANG")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs")
}

/// PATH with the folder of the yuan under test first, as after `cargo install`.
fn path_with_yuan() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_yuan"))
        .parent()
        .expect("bin dir")
        .to_path_buf();
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// A git repository with the good fixture in `plans/` (the documented layout), committed.
fn repo_with_plans_folder() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let plans = dir.path().join("plans");
    copy_dir(&root().join("tests/fixtures/good"), &plans);
    let path = path_with_yuan();
    assert!(git(dir.path(), &["init", "-q"], &path).status.success());
    assert!(git(dir.path(), &["add", "-A"], &path).status.success());
    let o = git(dir.path(), &["commit", "-q", "-m", "初版预案"], &path);
    assert!(o.status.success(), "{}", text_of(&o));
    (dir, plans)
}

#[test]
fn the_hook_checks_the_staged_content_not_the_working_file() {
    let (dir, plans) = repo_with_plans_folder();
    let top = dir.path();
    let path = path_with_yuan();
    let o = yuan(&["hook", "install", plans.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", text_of(&o));
    let plan = plans.join("province/xj-flood.md");
    let good = std::fs::read_to_string(&plan).expect("read");
    let bad = good.replace("parent: xj-overall", "parent: xj-nowhere");
    assert_ne!(good, bad);

    // a wrong parent staged, then fixed only in the working file: the commit is stopped
    std::fs::write(&plan, &bad).expect("write");
    assert!(git(top, &["add", "plans"], &path).status.success());
    std::fs::write(&plan, &good).expect("write");
    let o = git(top, &["commit", "-q", "-m", "坏的上级引用"], &path);
    assert!(
        !o.status.success(),
        "the staged parent is wrong: {}",
        text_of(&o)
    );
    assert!(text_of(&o).contains("xj-nowhere"), "{}", text_of(&o));
    // the finding is at the staged file's line
    let line = bad
        .lines()
        .position(|l| l.starts_with("parent:"))
        .expect("a parent line")
        + 1;
    // (named as git names it, from the top of the working tree, as SARIF does)
    let at = format!(" plans/province/xj-flood.md:{line}:");
    assert!(text_of(&o).contains(&at), "{at}: {}", text_of(&o));

    // a good revision staged, the working file broken afterwards: the commit goes through
    let revised = good.replace("防汛", "防汛抗旱");
    assert_ne!(revised, good);
    std::fs::write(&plan, &revised).expect("write");
    assert!(git(top, &["add", "plans"], &path).status.success());
    std::fs::write(&plan, &bad).expect("write");
    let o = git(top, &["commit", "-q", "-m", "修订"], &path);
    assert!(
        o.status.success(),
        "the staged text is good: {}",
        text_of(&o)
    );
    // and what was committed is the good text
    let o = git(top, &["show", "HEAD:plans/province/xj-flood.md"], &path);
    assert_eq!(String::from_utf8_lossy(&o.stdout), revised);

    // a plan file added to the working tree but not staged is not part of the commit: it
    // neither stops it nor is checked
    std::fs::write(&plan, &good).expect("write");
    std::fs::write(
        plans.join("province/draft.md"),
        "---\nid: xj-draft\nkind: special\n---\n",
    )
    .expect("write");
    std::fs::write(
        plans.join("province/xj-overall.md"),
        std::fs::read_to_string(plans.join("province/xj-overall.md")).expect("read") + "\n补充。\n",
    )
    .expect("write");
    assert!(git(top, &["add", "plans/province/xj-overall.md"], &path)
        .status
        .success());
    let o = git(top, &["commit", "-q", "-m", "补充"], &path);
    assert!(o.status.success(), "{}", text_of(&o));
}

/// The commit gate names a file as git does, from the top of the working tree, in every format:
/// the human output, the JSON and the SARIF of `yuan check plans --staged` give the same path.
#[test]
fn the_gate_names_a_file_the_same_in_every_format() {
    let (dir, plans) = repo_with_plans_folder();
    let top = dir.path();
    let path = path_with_yuan();
    let plan = plans.join("province/xj-flood.md");
    let good = std::fs::read_to_string(&plan).expect("read");
    std::fs::write(
        &plan,
        good.replace("parent: xj-overall", "parent: xj-nowhere"),
    )
    .expect("write");
    assert!(git(top, &["add", "plans"], &path).status.success());
    let run = |format: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_yuan"))
            .args([
                "check", "plans", "--staged", "--format", format, "--color", "never",
            ])
            .current_dir(top)
            .env("NO_COLOR", "1")
            .env_remove("YUAN_LANG")
            .output()
            .expect("yuan runs");
        assert_eq!(o.status.code(), Some(1), "{}", text_of(&o));
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    let want = "plans/province/xj-flood.md";
    let human = run("human");
    assert!(human.contains(&format!("┌─ {want}:")), "{human}");
    let json: Value = serde_json::from_str(&run("json")).expect("json");
    let paths: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["path"].as_str())
        .collect();
    assert!(
        !paths.is_empty() && paths.iter().all(|p| *p == want),
        "{paths:?}"
    );
    let sarif: Value = serde_json::from_str(&run("sarif")).expect("sarif");
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(
        !uris.is_empty() && uris.iter().all(|u| *u == want),
        "{uris:?}"
    );
    // outside the gate, paths stay relative to the plan root (as every other command prints)
    let o = yuan(&["check", plans.to_str().expect("utf-8"), "--format", "json"]);
    let json: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(json["diagnostics"][0]["path"], "province/xj-flood.md");
}

#[test]
fn a_staged_deletion_that_breaks_a_reference_stops_the_commit() {
    let (dir, plans) = repo_with_plans_folder();
    let d = plans.to_str().expect("utf-8");
    let path = path_with_yuan();
    // the overall plan staged for deletion, still on disk: its children lose their parent
    assert!(git(
        dir.path(),
        &["rm", "-q", "--cached", "plans/province/xj-overall.md"],
        &path
    )
    .status
    .success());
    let o = common::run(&["check", d, "--staged", "--format", "json"], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text_of(&o));
    let json: Value = serde_json::from_slice(&o.stdout).expect("json");
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(codes.contains(&"H201"), "{codes:?}");
    // the working files alone are clean
    let o = yuan(&["check", d]);
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o));
}

#[test]
fn the_hook_stops_the_commit_when_yuan_is_missing_and_says_how_to_go_on() {
    let (dir, plans) = repo_with_plans_folder();
    let o = yuan(&["hook", "install", plans.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", text_of(&o));
    let plan = plans.join("province/xj-flood.md");
    let text = std::fs::read_to_string(&plan).expect("read");
    std::fs::write(&plan, text.replace("防汛", "防汛抗旱")).expect("write");
    // a PATH with git and the shell, without yuan; HOME without ~/.cargo/bin/yuan
    let git_bin = Command::new("sh")
        .args(["-c", "command -v git"])
        .output()
        .expect("sh");
    let git_dir = Path::new(String::from_utf8_lossy(&git_bin.stdout).trim())
        .parent()
        .expect("git's folder")
        .to_path_buf();
    let bare_path = format!("{}:/usr/bin:/bin", git_dir.display());
    let found = Command::new("sh")
        .args(["-c", "command -v yuan"])
        .env("PATH", &bare_path)
        .output()
        .expect("sh");
    assert!(
        !found.status.success(),
        "this test needs a PATH without yuan"
    );
    assert!(git(dir.path(), &["add", "-A"], &bare_path).status.success());
    let o = git(dir.path(), &["commit", "-q", "-m", "修订"], &bare_path);
    assert!(
        !o.status.success(),
        "never passes silently: {}",
        text_of(&o)
    );
    let said = text_of(&o);
    for words in ["cargo install", "git commit --no-verify", "yuan 未安装"] {
        assert!(said.contains(words), "{words}: {said}");
    }
    // the way out it names works
    let o = git(
        dir.path(),
        &["commit", "-q", "--no-verify", "-m", "修订"],
        &bare_path,
    );
    assert!(o.status.success(), "{}", text_of(&o));
}

/// The SARIF log of `yuan check DIR --format sarif`.
fn sarif_of(dir: &str) -> Value {
    let o = yuan(&["check", dir, "--format", "sarif", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1), "{}", text_of(&o));
    serde_json::from_slice(&o.stdout).expect("SARIF is JSON")
}

#[test]
fn sarif_paths_start_at_the_top_of_the_git_repository_and_regions_have_ends() {
    let (dir, plans) = repo_with_plans_folder();
    let plan = plans.join("province/xj-flood.md");
    let text = std::fs::read_to_string(&plan).expect("read");
    std::fs::write(
        &plan,
        text.replace("parent: xj-overall", "parent: xj-nowhere"),
    )
    .expect("write");
    let log = sarif_of(plans.to_str().expect("utf-8"));
    let run = &log["runs"][0];
    let results = run["results"].as_array().expect("results");
    let p201 = results
        .iter()
        .find(|r| r["ruleId"] == "H201")
        .expect("an H201 result");
    let loc = &p201["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"], "plans/province/xj-flood.md",
        "{loc}"
    );
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    // the line of `parent:`, and the span of its value
    let line = text
        .lines()
        .position(|l| l.starts_with("parent:"))
        .expect("a parent line") as u64
        + 1;
    let region = &loc["region"];
    assert_eq!(region["startLine"], line, "{region}");
    assert_eq!(region["endLine"], line, "{region}");
    let (start, end) = (
        region["startColumn"].as_u64().expect("start"),
        region["endColumn"].as_u64().expect("end"),
    );
    assert_eq!(end - start, "xj-nowhere".len() as u64, "{region}");
    assert_eq!(start, "parent: ".len() as u64 + 1, "{region}");
    // the base is the absolute file: URI of the top of the working tree
    let top = dir.path().canonicalize().expect("canonical");
    let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .expect("a base uri");
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );
    assert!(
        base.trim_end_matches('/')
            .ends_with(top.file_name().and_then(|n| n.to_str()).expect("a name")),
        "{base}"
    );
    assert_eq!(run["columnKind"], "unicodeCodePoints");

    // the same repository, staged: the same places
    let path = path_with_yuan();
    assert!(git(dir.path(), &["add", "-A"], &path).status.success());
    let o = yuan(&[
        "check",
        plans.to_str().expect("utf-8"),
        "--staged",
        "--format",
        "sarif",
    ]);
    let staged: Value = serde_json::from_slice(&o.stdout).expect("SARIF");
    let uris: Vec<&str> = staged["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(uris.contains(&"plans/province/xj-flood.md"), "{uris:?}");
}

/// GitHub's rules for `artifactLocation.uri` (code scanning "SARIF support"): relative to the
/// repository root, forward slashes, no `..`, no scheme, a valid URI reference.
fn github_path_rules(uri: &str) -> Result<(), String> {
    if uri.starts_with('/') || uri.contains(':') {
        return Err(format!("not relative: {uri}"));
    }
    if uri.contains('\\') {
        return Err(format!("backslash: {uri}"));
    }
    if uri
        .split('/')
        .any(|p| p == ".." || p == "." || p.is_empty())
    {
        return Err(format!("dot or empty segment: {uri}"));
    }
    if !uri.is_ascii() || uri.contains(' ') {
        return Err(format!("not percent-encoded: {uri}"));
    }
    Ok(())
}

#[test]
fn sarif_of_every_bad_fixture_follows_the_schema_and_githubs_path_rules() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            root().join("tests/fixtures/sarif/sarif-2.1.0-subset.schema.json"),
        )
        .expect("schema"),
    )
    .expect("json");
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles");
    // the schema is not empty: a log without `runs`, or a region at line 0, fails it
    assert!(!validator.is_valid(&serde_json::json!({ "version": "2.1.0" })));
    assert!(!validator.is_valid(&serde_json::json!({
        "version": "2.1.0",
        "runs": [{ "tool": { "driver": { "name": "x" } },
                   "results": [{ "message": { "text": "m" },
                                 "locations": [{ "physicalLocation": {
                                     "artifactLocation": { "uri": "a.md" },
                                     "region": { "startLine": 0 } } }] }] }]
    })));
    let bad = root().join("tests/fixtures/bad");
    let mut seen = 0;
    let mut ends = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&bad)
        .expect("bad fixtures")
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let dir = e.path();
        if !dir.join("yuan.toml").exists() {
            continue;
        }
        let o = yuan(&["check", dir.to_str().expect("utf-8"), "--format", "sarif"]);
        let log: Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|_| panic!("{}: {}", dir.display(), text_of(&o)));
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", dir.display());
        for r in log["runs"][0]["results"].as_array().expect("results") {
            seen += 1;
            for l in r["locations"].as_array().into_iter().flatten() {
                let a = &l["physicalLocation"]["artifactLocation"];
                let uri = a["uri"].as_str().expect("uri");
                if let Err(why) = github_path_rules(uri) {
                    panic!("{}: {why}", dir.display());
                }
                assert_eq!(a["uriBaseId"], "%SRCROOT%");
                let region = &l["physicalLocation"]["region"];
                if let (Some(sl), Some(el)) =
                    (region["startLine"].as_u64(), region["endLine"].as_u64())
                {
                    ends += 1;
                    assert!(el >= sl, "{region}");
                    if el == sl {
                        assert!(
                            region["endColumn"].as_u64() > region["startColumn"].as_u64(),
                            "{region}"
                        );
                    }
                }
            }
        }
    }
    assert!(seen >= 40, "{seen} results");
    assert!(ends > seen / 2, "{ends} of {seen} results have an end");
}

/// Runs `yuan args` with standard output a pipe whose reader is already gone.
#[cfg(unix)]
fn with_closed_stdout(args: &[&str]) -> Output {
    use std::os::fd::{FromRawFd as _, OwnedFd};
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors pipe(2) writes.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0, "pipe");
    // SAFETY: pipe(2) just opened both descriptors, and each is owned once.
    let (reader, writer) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    drop(reader);
    Command::new(env!("CARGO_BIN_EXE_yuan"))
        .args(args)
        .env_remove("YUAN_LANG")
        .env("NO_COLOR", "1")
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .expect("yuan runs")
}

#[cfg(unix)]
#[test]
fn no_command_panics_on_a_closed_pipe() {
    use std::os::unix::process::ExitStatusExt as _;
    let bad = root().join("tests/fixtures/bad/H201_broken_parent");
    let bad = if bad.exists() {
        bad
    } else {
        root().join("tests/fixtures/bad/A301_upper_link_missing")
    };
    let bad = bad.to_str().expect("utf-8");
    let plans = root().join("plans");
    let plans = plans.to_str().expect("utf-8");
    for args in [
        vec!["explain", "--all"],
        vec!["explain", "S501"],
        vec!["check", bad],
        vec!["check", bad, "--format", "json"],
        vec!["check", bad, "--format", "sarif"],
        vec!["list", plans],
        vec!["list", plans, "--format", "json"],
        vec!["new", "special", "--dir", plans],
        vec!["drills", "status", plans],
        vec!["schemas"],
    ] {
        let o = with_closed_stdout(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_ne!(o.status.code(), Some(101), "{args:?}: {err}");
        // ended by SIGPIPE as `cat` would be, or done before it wrote
        assert!(
            o.status.signal() == Some(libc::SIGPIPE) || o.status.code() == Some(0),
            "{args:?}: {:?} {err}",
            o.status
        );
    }
    // a reader that stops after a few lines, as `| head` does
    let mut child = Command::new(env!("CARGO_BIN_EXE_yuan"))
        .args(["explain", "--all"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 64];
    std::io::Read::read_exact(&mut stdout, &mut first).expect("some output");
    drop(stdout);
    let o = child.wait_with_output().expect("wait");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{err}");
}

/// The sample repository with its cards `copies + 1` times over, under new ids; the new ids.
fn many_cards(copies: &[&str]) -> (tempfile::TempDir, Vec<String>) {
    let dir = common::plans_copy();
    let cards = dir.path().join("enterprise/hd-chem/cards");
    let originals: Vec<PathBuf> = std::fs::read_dir(&cards)
        .expect("cards")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    let mut ids = Vec::new();
    for copy in copies {
        for p in &originals {
            let text = std::fs::read_to_string(p).expect("read");
            let id = text
                .lines()
                .find_map(|l| l.strip_prefix("id: "))
                .expect("an id")
                .trim()
                .to_string();
            let new_id = format!("{id}-{copy}");
            let text = text.replacen(&format!("id: {id}"), &format!("id: {new_id}"), 1);
            std::fs::write(cards.join(format!("{new_id}.md")), text).expect("write");
            ids.push(new_id);
        }
    }
    (dir, ids)
}

#[test]
fn a_long_run_prints_no_line_per_card_when_not_on_a_terminal() {
    // the sample cards three times over, under new ids and posts: 18 cards
    let (dir, ids) = many_cards(&["b", "c"]);
    let d = dir.path().to_str().expect("utf-8");
    let out = dir.path().join("print");
    let o = yuan(&["cards", d, "-o", out.to_str().expect("utf-8")]);
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    let made = std::fs::read_dir(&out)
        .expect("out")
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .count();
    assert!(made > 12, "{made} PDFs: {}", text_of(&o));
    // no line per card on standard error (it is a pipe here, not a terminal): no progress
    // lines, and the notes of the cards counted in one line
    let per_card = err
        .lines()
        .filter(|l| ids.iter().any(|id| l.trim_start().starts_with(id.as_str())))
        .count();
    assert_eq!(per_card, 0, "{err}");
    assert!(err.lines().count() < 8, "{err}");
    assert!(!err.contains('\r'), "no progress bar: {err:?}");
    assert!(!err.contains("\x1b["), "no terminal control: {err:?}");
    // nor does a check, a handbook or an exercise pack draw one: not a byte of it
    let plans = root().join("plans");
    let p = plans.to_str().expect("utf-8");
    let o = yuan(&["check", p]);
    assert_eq!(o.stderr, b"", "{}", text_of(&o));
    let out = dir.path().join("more");
    let o_ = out.to_str().expect("utf-8");
    for args in [
        vec!["handbook", d, "--all", "--format", "html", "-o", o_],
        vec![
            "drills",
            "pack",
            "dr-2026-xj-geo",
            d,
            "--format",
            "html",
            "-o",
            o_,
        ],
    ] {
        let o = yuan(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            !err.contains('\r') && !err.contains("\x1b["),
            "{args:?}: {err:?}"
        );
    }
}

/// On a terminal a long run draws one progress bar, redrawn in place with carriage returns,
/// in the run's language; it never prints a line per card. The terminal is `script` (util-linux)
/// giving yuan a pseudo-terminal; without it the test says so and passes.
#[test]
fn a_long_run_draws_one_progress_bar_on_a_terminal() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: `script` (util-linux) is not installed, no pseudo-terminal to run in");
        return;
    }
    // 60 cards: above the 50 units from which a generator draws a bar
    let (dir, ids) = many_cards(&["b", "c", "d", "e", "f", "g", "h", "i", "j"]);
    let out = dir.path().join("print");
    let command = format!(
        "'{}' --lang en cards '{}' -o '{}'",
        env!("CARGO_BIN_EXE_yuan"),
        dir.path().display(),
        out.display()
    );
    let o = Command::new("script")
        .args(["-qfec", &command, "/dev/null"])
        .env("NO_COLOR", "1")
        .env_remove("YUAN_LANG")
        .output()
        .expect("script runs");
    assert!(o.status.success(), "{}", text_of(&o));
    // what the terminal received, standard output and standard error together
    let screen = String::from_utf8_lossy(&o.stdout).to_string();
    let message = "laying out and drawing cards";
    let redraws = screen.matches(&format!("\r\x1b[2K{message}")).count();
    assert!(redraws >= 2, "one bar redrawn in place: {screen:?}");
    // never a line of its own per state of the bar, nor a line per card
    let lines: Vec<&str> = screen.split('\n').collect();
    assert!(lines.len() < 8, "{} lines: {screen:?}", lines.len());
    let per_card = lines
        .iter()
        .filter(|l| ids.iter().any(|id| l.trim_start().starts_with(id.as_str())))
        .count();
    assert_eq!(per_card, 0, "{screen:?}");
    assert!(
        screen.contains("generated 60 cards") || screen.contains("60 cards"),
        "{screen:?}"
    );
    // one language: no Chinese in the bar or the lines of an English run
    assert!(
        !screen.contains("排版") && !screen.contains("处置卡 cards"),
        "{screen:?}"
    );
}

/// The findings of `yuan check DIR` (JSON) as (code, path) pairs.
fn findings(dir: &Path) -> Vec<(String, String)> {
    let o = yuan(&[
        "check",
        dir.to_str().expect("utf-8"),
        "--format",
        "json",
        "--today",
        "2026-12-06",
    ]);
    let json: Value = serde_json::from_slice(&o.stdout).expect("json");
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["path"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn yuan_new_starts_with_only_the_placeholders_the_writer_fills_in() {
    let dir = common::plans_copy();
    let d = dir.path().to_str().expect("utf-8");
    assert_eq!(findings(dir.path()), Vec::<(String, String)>::new());
    // (kind, file, flags as a writer gives them, findings allowed besides T801 in the file)
    let cases: &[(&str, &str, &[&str], &[&str])] = &[
        (
            "comprehensive",
            "enterprise/hd-chem/hd-comprehensive-2027.md",
            &["--enterprise", "hd-chem"],
            &[],
        ),
        (
            "special",
            "enterprise/hd-chem/hd-special-dust.md",
            &["--enterprise", "hd-chem", "--hazard", "fire"],
            &[],
        ),
        // a new on-site plan names a key post whose card is still to be written: H206 says so
        (
            "onsite",
            "enterprise/hd-chem/hd-onsite-boiler.md",
            &[
                "--enterprise",
                "hd-chem",
                "--hazard",
                "explosion",
                "--post",
                "锅炉工",
            ],
            &["H206"],
        ),
        (
            "card",
            "enterprise/hd-chem/cards/hd-card-reactor-2.md",
            &["--enterprise", "hd-chem", "--parent", "hd-onsite-reactor"],
            &[],
        ),
        (
            "special",
            "county/qx-geo.md",
            &["--jurisdiction", "qx", "--hazard", "flood"],
            &[],
        ),
        (
            "department",
            "county/qx-dept.md",
            &["--jurisdiction", "qx"],
            &[],
        ),
        (
            "grassroots",
            "county/qx-town.md",
            &["--jurisdiction", "qx"],
            &[],
        ),
        (
            "joint",
            "county/qx-joint.md",
            &["--jurisdiction", "qx"],
            &[],
        ),
    ];
    for (kind, file, flags, allowed) in cases {
        let id = Path::new(file)
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a stem");
        let path = dir.path().join(file);
        let mut args = vec!["new", kind, "--dir", d, "--id", id, "-o"];
        let out = path.to_str().expect("utf-8").to_string();
        args.push(&out);
        args.extend_from_slice(flags);
        let o = yuan(&args);
        assert!(o.status.success(), "{kind}: {}", text_of(&o));
        let text = std::fs::read_to_string(&path).expect("written");
        let found = findings(dir.path());
        let wrong: Vec<_> = found
            .iter()
            .filter(|(code, p)| p != file || (code != "T801" && !allowed.contains(&code.as_str())))
            .collect();
        assert!(wrong.is_empty(), "{kind} {flags:?}: {wrong:?}\n{text}");
        // the placeholders are there, and reported: the writer still has work to do
        assert!(
            found.iter().any(|(c, p)| c == "T801" && p == file),
            "{kind}: no placeholder left?\n{text}"
        );
        // what the repository knew is filled in
        if flags.contains(&"hd-chem") && *kind != "card" {
            assert!(text.contains("issuer: hd-chem"), "{text}");
            assert!(text.contains("jurisdiction: qx"), "{text}");
        }
        if flags.contains(&"qx") {
            assert!(text.contains("issuer: qx-gov"), "{text}");
            assert!(text.contains("level: county"), "{text}");
        }
        std::fs::remove_file(&path).expect("rm");
    }
    // the parent comes from the hierarchy: the enterprise's comprehensive plan, the
    // jurisdiction's overall plan
    let o = yuan(&[
        "new",
        "special",
        "--dir",
        d,
        "--enterprise",
        "hd-chem",
        "--hazard",
        "fire",
    ]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("parent: hd-comprehensive"));
    let o = yuan(&["new", "department", "--dir", d, "--jurisdiction", "qx"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("parent: qx-overall"));
    // 上下衔接: a county special plan names the city plan for the same hazard
    let o = yuan(&[
        "new",
        "special",
        "--dir",
        d,
        "--jurisdiction",
        "qx",
        "--hazard",
        "flood",
    ]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("upper: [yz-flood]"),
        "{}",
        text_of(&o)
    );

    // what it cannot tell, it says how to give
    let o = yuan(&[
        "new",
        "special",
        "--dir",
        d,
        "--enterprise",
        "hd-chem",
        "--lang",
        "en",
    ]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--hazard ID"), "{err}");
    // an id the repository does not have is named, with the closest ones (a note: the
    // organisation may not be registered yet)
    let o = yuan(&[
        "new",
        "special",
        "--dir",
        d,
        "--enterprise",
        "hd-chme",
        "--lang",
        "en",
    ]);
    assert!(o.status.success(), "{}", text_of(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--enterprise `hd-chme` is not in the repository (did you mean `hd-chem`"),
        "{err}"
    );
}

/// A YAML key `yes`, `no`, `on`, `off`, `y` or `n` written plainly: YAML 1.1 readers (PyYAML)
/// read it as a boolean.
fn plain_boolean_keys(text: &str) -> Vec<String> {
    let re = regex::Regex::new(r#"(?i)(^|[{,\s])(yes|no|on|off|y|n)\s*:(\s|$)"#).expect("regex");
    text.lines()
        .filter(|l| re.is_match(l))
        .map(str::to_string)
        .collect()
}

#[test]
fn decision_keys_are_quoted_where_yuan_writes_them() {
    let dir = common::plans_copy();
    let d = dir.path().to_str().expect("utf-8");
    let o = yuan(&[
        "new",
        "card",
        "--dir",
        d,
        "--enterprise",
        "hd-chem",
        "--parent",
        "hd-onsite-reactor",
    ]);
    let card = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(card.contains(r#""yes": 3"#), "{card}");
    assert_eq!(plain_boolean_keys(&card), Vec::<String>::new());
    let format = std::fs::read_to_string(root().join("docs/format.md")).expect("format.md");
    assert_eq!(plain_boolean_keys(&format), Vec::<String>::new());
    // the check itself catches a plain key (it is not a test that cannot fail)
    assert_eq!(
        plain_boolean_keys("    decision: { yes: 3, no: 4 }").len(),
        1
    );
    // and quoted keys are read as the same decision
    let cards = dir.path().join("enterprise/hd-chem/cards");
    let plain = regex::Regex::new(r"\{ yes: (\d+), no: (\d+) \}").expect("regex");
    let mut changed = 0;
    for e in std::fs::read_dir(&cards).expect("cards").flatten() {
        let text = std::fs::read_to_string(e.path()).expect("read");
        changed += plain.find_iter(&text).count();
        let quoted = plain
            .replace_all(&text, r#"{ "yes": $1, "no": $2 }"#)
            .to_string();
        std::fs::write(e.path(), quoted).expect("write");
    }
    assert!(changed > 3, "{changed} decisions quoted");
    assert_eq!(findings(dir.path()), Vec::<(String, String)>::new());
}

#[test]
fn unknown_ids_in_plan_hazard_and_card_flags_offer_the_closest() {
    let dir = common::plans_copy();
    let d = dir.path().to_str().expect("utf-8");
    let out = dir.path().join("print");
    let o = out.to_str().expect("utf-8");
    for (args, want) in [
        (
            vec!["handbook", d, "--plan", "xj-flod", "-o", o],
            "no plan has the id xj-flod (did you mean `xj-flood`",
        ),
        (
            vec!["handbook", d, "--hazard", "hazchm", "-o", o],
            "lists the hazard hazchm (did you mean `hazchem`?)",
        ),
        (
            vec!["cards", d, "--plan", "hd-onsite-reactr", "-o", o],
            "--plan `hd-onsite-reactr` has no cards (did you mean `hd-onsite-reactor`",
        ),
        (
            vec!["cards", d, "--card", "hd-card-reactor-oprator", "-o", o],
            "is not the id of a card (did you mean `hd-card-reactor-operator`",
        ),
        (
            vec!["drills", "new", d, "--plan", "xj-flod"],
            "no plan `xj-flod` in",
        ),
    ] {
        let mut args = args;
        args.extend(["--lang", "en"]);
        let o = yuan(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text_of(&o));
        assert!(text_of(&o).contains(want), "{args:?}: {}", text_of(&o));
        assert!(
            text_of(&o).contains("did you mean"),
            "{args:?}: {}",
            text_of(&o)
        );
    }
    // an id far from every other gets no guess
    let o = yuan(&["handbook", d, "--plan", "zzzz", "-o", o, "--lang", "en"]);
    assert!(!text_of(&o).contains("did you mean"), "{}", text_of(&o));
}
