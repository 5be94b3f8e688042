//! Hostile repositories: see the module docs of `tests/hostile.rs`.
//!
//! Classes 3, 4, 5 and 10 of issue 15, and `yuan align` on symlinks: the repository boundary
//! (`source::Reader`). Each case builds a repository beside a "secret" outside it, runs yuan
//! in bounded time and memory, and asserts what was printed (the target of a link shown once,
//! the secret never) and what is on disk (nothing outside changed, links still links).

use super::support::{self, Node};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// What the secret file outside the repository holds; it must never be printed or written.
const SECRET: &str = "TOPSECRET-4b1d-never-print";

/// A temporary folder holding `repo/` (the clean fixture) and, beside it, `outside/` with a
/// plan, a registry and a template that carry [`SECRET`].
struct Setup {
    tmp: tempfile::TempDir,
}

impl Setup {
    fn new() -> Setup {
        let tmp = tempfile::tempdir().expect("tempdir");
        let good = support::good_repo();
        super::common::copy_dir(good.path(), &tmp.path().join("repo"));
        let out = tmp.path().join("outside");
        std::fs::create_dir_all(out.join("plans")).expect("mkdir");
        std::fs::write(
            out.join("secret.md"),
            format!("---\nid: leak\nkind: plan\ntitle: {SECRET}\n---\n\n# {SECRET}\n"),
        )
        .expect("write");
        std::fs::write(
            out.join("secret.yaml"),
            format!("contacts:\n  - id: {SECRET}\n    name: x\n"),
        )
        .expect("write");
        std::fs::write(
            out.join("plans/other.md"),
            format!("---\nid: {SECRET}\n---\n"),
        )
        .expect("write");
        std::fs::write(out.join("secret.tera"), format!("<p>{SECRET}</p>")).expect("write");
        Setup { tmp }
    }

    fn repo(&self) -> PathBuf {
        self.tmp.path().join("repo")
    }

    fn outside(&self) -> PathBuf {
        self.tmp.path().join("outside")
    }

    fn repo_str(&self) -> String {
        self.repo().to_str().expect("utf-8").to_string()
    }

    /// Links `rel` (inside the repository) to `target`.
    fn link(&self, rel: &str, target: &Path) {
        let at = self.repo().join(rel);
        std::fs::create_dir_all(at.parent().expect("parent")).expect("mkdir");
        std::os::unix::fs::symlink(target, at).expect("symlink");
    }

    /// Makes `rel` (inside the repository) a named pipe.
    fn fifo(&self, rel: &str) {
        let at = self.repo().join(rel);
        std::fs::create_dir_all(at.parent().expect("parent")).expect("mkdir");
        let c = std::ffi::CString::new(at.to_str().expect("utf-8")).expect("path");
        // SAFETY: a valid C string; mkfifo only creates the node.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
    }

    /// Everything on disk outside the repository.
    fn outside_tree(&self) -> std::collections::BTreeMap<String, Node> {
        support::tree(self.tmp.path(), &["repo"])
    }
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Every file's bytes under `dir` (no link followed), as one lossy string.
fn all_bytes(dir: &Path) -> String {
    support::tree(dir, &[])
        .values()
        .filter_map(|n| match n {
            Node::File(b) => Some(String::from_utf8_lossy(b).into_owned()),
            _ => None,
        })
        .collect()
}

/// `yuan check DIR --lang en` in human and in JSON form: both outputs, and the exit code.
fn check(s: &Setup) -> (String, String, Option<i32>) {
    let d = s.repo_str();
    let human = support::run(&["check", &d, "--lang", "en", "--no-cache"]);
    let json = support::run(&["check", &d, "--format", "json", "--no-cache"]);
    assert_eq!(human.status.code(), json.status.code());
    (
        text(&human),
        String::from_utf8_lossy(&json.stdout).into_owned(),
        human.status.code(),
    )
}

/// A run with extra environment variables, killed (and failed) after 60 s.
fn run_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_yuan"));
    c.args(args)
        .env_remove("YUAN_LANG")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    for (k, v) in env {
        c.env(k, v);
    }
    let out = tempfile::tempdir().expect("tempdir");
    let (o, e) = (out.path().join("o"), out.path().join("e"));
    c.stdout(std::fs::File::create(&o).expect("o"));
    c.stderr(std::fs::File::create(&e).expect("e"));
    let mut child = c.spawn().expect("yuan runs");
    let start = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().expect("wait") {
            break st;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("yuan {args:?} still ran after 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: std::fs::read(&o).expect("o"),
        stderr: std::fs::read(&e).expect("e"),
    }
}

#[test]
fn a_plan_linked_outside_is_reported_once_with_its_target_and_never_read() {
    let s = Setup::new();
    let target = s.outside().join("secret.md");
    s.link("city/leak.md", &target);
    let before = s.outside_tree();
    let (human, json, code) = check(&s);
    assert_eq!(code, Some(1), "{human}");
    assert!(
        !human.contains(SECRET) && !json.contains(SECRET),
        "{human}\n{json}"
    );
    assert_eq!(
        human.matches("leaves the repository").count(),
        1,
        "reported once: {human}"
    );
    assert!(human.contains("city/leak.md"), "{human}");
    assert!(human.contains(target.to_str().expect("utf-8")), "{human}");
    assert!(
        json.contains("\"F005\"") && json.contains("city/leak.md"),
        "{json}"
    );
    assert_eq!(s.outside_tree(), before);
    // still a link, untouched
    assert!(matches!(
        support::tree(&s.repo(), &[]).get("city/leak.md"),
        Some(Node::Link(t)) if *t == target
    ));
}

#[test]
fn a_registry_linked_outside_is_refused() {
    let s = Setup::new();
    let target = s.outside().join("secret.yaml");
    s.link("registry/leak.yaml", &target);
    let (human, json, code) = check(&s);
    assert_eq!(code, Some(1), "{human}");
    assert!(
        !human.contains(SECRET) && !json.contains(SECRET),
        "{human}\n{json}"
    );
    assert_eq!(human.matches("leaves the repository").count(), 1, "{human}");
    assert!(human.contains("registry/leak.yaml"), "{human}");
}

#[test]
fn a_folder_linked_outside_is_not_walked() {
    let s = Setup::new();
    s.link("ext", &s.outside().join("plans"));
    let (human, json, code) = check(&s);
    assert_eq!(code, Some(1), "{human}");
    assert!(
        !human.contains(SECRET) && !json.contains(SECRET),
        "{human}\n{json}"
    );
    assert_eq!(human.matches("leaves the repository").count(), 1, "{human}");
    // the folder is named, nothing under it
    assert!(!human.contains("ext/other.md"), "{human}");
    assert!(human.contains("ext"), "{human}");
}

#[test]
fn links_inside_the_repository_keep_working() {
    let s = Setup::new();
    let repo = s.repo();
    // a plan kept under another name and linked to, and a folder linked inside the repository
    // (the store is hidden, so that only the links are walked)
    std::fs::create_dir_all(repo.join(".store")).expect("mkdir");
    std::fs::rename(
        repo.join("city/yz-flood.md"),
        repo.join(".store/yz-flood.txt"),
    )
    .expect("mv");
    s.link("city/yz-flood.md", Path::new("../.store/yz-flood.txt"));
    std::fs::rename(repo.join("province"), repo.join(".store/province")).expect("mv");
    s.link("province", Path::new(".store/province"));
    let (human, _, code) = check(&s);
    assert_eq!(code, Some(0), "{human}");
    let o = support::run(&["list", &s.repo_str(), "--lang", "en"]);
    let listed = text(&o);
    for id in ["yz-flood", "xj-flood", "xj-overall"] {
        assert!(listed.contains(id), "{id}: {listed}");
    }
}

#[test]
fn a_fifo_as_yuan_toml_or_as_a_plan_is_reported_in_bounded_time() {
    let s = Setup::new();
    std::fs::remove_file(s.repo().join("yuan.toml")).expect("rm");
    s.fifo("yuan.toml");
    s.fifo("city/pipe.md");
    let start = Instant::now();
    let (human, _, code) = check(&s);
    assert!(start.elapsed() < Duration::from_secs(30));
    assert_eq!(code, Some(1), "{human}");
    assert!(
        human.contains("F006") && human.contains("named pipe"),
        "{human}"
    );
    assert!(human.contains("city/pipe.md"), "{human}");
    assert_eq!(human.matches("named pipe").count(), 2, "{human}");
}

#[test]
fn dev_zero_as_yuan_toml_is_f006_in_bounded_memory() {
    let s = Setup::new();
    std::fs::remove_file(s.repo().join("yuan.toml")).expect("rm");
    s.link("yuan.toml", Path::new("/dev/zero"));
    let d = s.repo_str();
    let o = support::run_bounded(
        &["check", &d, "--lang", "en", "--no-cache"],
        Duration::from_secs(60),
        1 << 30,
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("F006"), "{out}");
    assert!(out.contains("yuan.toml cannot be used"), "{out}");
}

#[test]
fn a_yuan_toml_that_is_not_utf8_is_f006_exit_1_with_the_defaults() {
    let s = Setup::new();
    // GBK for "[check]\ntoday = ..." with a Chinese comment
    let mut bytes = b"# \xd3\xa6\xbc\xb1\n[check]\n".to_vec();
    bytes.extend_from_slice(b"today = \"2026-11-28\"\n");
    std::fs::write(s.repo().join("yuan.toml"), bytes).expect("write");
    let (human, json, code) = check(&s);
    assert_eq!(code, Some(1), "{human}");
    assert!(human.contains("yuan.toml is not valid UTF-8"), "{human}");
    assert!(json.contains("\"F006\""), "{json}");
    assert!(!human.contains("could not run"), "{human}");
}

#[test]
fn paths_of_yuan_toml_that_leave_the_repository_are_refused() {
    let s = Setup::new();
    let toml = s.repo().join("yuan.toml");
    let mut text_ = std::fs::read_to_string(&toml).expect("read");
    text_.push_str("\n[render]\nfont = \"/etc/passwd\"\nfont_bold = \"../outside/secret.md\"\n");
    std::fs::write(&toml, text_).expect("write");
    let (human, _, code) = check(&s);
    assert_eq!(code, Some(1), "{human}");
    assert_eq!(
        human.matches("points outside the repository").count(),
        2,
        "{human}"
    );
    assert!(human.contains("[render] font = \"/etc/passwd\""), "{human}");
}

/// The repository's font and template, linked out of it, a FIFO or `/dev/zero`: refused with
/// a clear message, in bounded time and memory; nothing written outside `--out`.
#[test]
fn fonts_and_templates_follow_the_reader_rules() {
    type Case = (&'static str, Box<dyn Fn(&Setup)>, &'static str);
    let font = |setup: Box<dyn Fn(&Setup)>| -> Box<dyn Fn(&Setup)> {
        Box::new(move |s: &Setup| {
            let toml = s.repo().join("yuan.toml");
            let mut t = std::fs::read_to_string(&toml).expect("read");
            t.push_str("\n[render]\nfont = \"fonts/f.ttf\"\n");
            std::fs::write(&toml, t).expect("write");
            setup(s);
        })
    };
    let cases: Vec<Case> = vec![
        (
            "font linked outside",
            font(Box::new(|s: &Setup| {
                s.link("fonts/f.ttf", &s.outside().join("secret.md"))
            })),
            "leaves the repository",
        ),
        (
            "font a FIFO",
            font(Box::new(|s: &Setup| s.fifo("fonts/f.ttf"))),
            "named pipe",
        ),
        (
            "font /dev/zero",
            font(Box::new(|s: &Setup| {
                s.link("fonts/f.ttf", Path::new("/dev/zero"))
            })),
            "fonts/f.ttf",
        ),
        (
            "template linked outside",
            Box::new(|s: &Setup| {
                s.link(
                    "templates/cards/cards.html.tera",
                    &s.outside().join("secret.tera"),
                )
            }),
            "leaves the repository",
        ),
        (
            "template a FIFO",
            Box::new(|s: &Setup| s.fifo("templates/cards/cards.html.tera")),
            "named pipe",
        ),
    ];
    for (name, setup, expected) in cases {
        let s = Setup::new();
        setup(&s);
        let before = s.outside_tree();
        let out_dir = s.tmp.path().join("out");
        let o = support::run_bounded(
            &[
                "cards",
                &s.repo_str(),
                "--out",
                out_dir.to_str().expect("utf-8"),
                "--lang",
                "en",
            ],
            Duration::from_secs(60),
            2 << 30,
        );
        let t = text(&o);
        assert_eq!(o.status.code(), Some(2), "{name}: {t}");
        assert!(t.contains(expected), "{name}: {t}");
        assert!(!t.contains(SECRET), "{name}: {t}");
        assert!(!all_bytes(&out_dir).contains(SECRET), "{name}");
        let mut after = s.outside_tree();
        after.retain(|k, _| k != "out" && !k.starts_with("out/"));
        assert_eq!(after, before, "{name}");
    }
}

/// `--font` is the user's own choice: it may lie outside the repository, but it is still a
/// regular file read with a cap.
#[test]
fn a_font_on_the_command_line_is_trusted_but_must_be_a_regular_file() {
    let s = Setup::new();
    let out_dir = s.tmp.path().join("out");
    let o = support::run(&[
        "cards",
        &s.repo_str(),
        "--out",
        out_dir.to_str().expect("utf-8"),
        "--font",
        "/dev/zero",
        "--lang",
        "en",
    ]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(t.contains("not a regular file"), "{t}");
    let font = super::common::root().join("assets/fonts/NotoSansSC-Regular.ttf");
    let o = support::run(&[
        "cards",
        &s.repo_str(),
        "--out",
        out_dir.to_str().expect("utf-8"),
        "--font",
        font.to_str().expect("utf-8"),
        "--no-html",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(out_dir.join("hd-card-reactor-operator.pdf").is_file());
}

/// A template that calls `get_env()` with a secret in the environment of the run: the secret
/// never appears on the terminal or in any output file, and the message names the template
/// and the function.
#[test]
fn a_template_cannot_read_the_environment() {
    let s = Setup::new();
    let t = s.repo().join("templates/cards/cards.html.tera");
    std::fs::create_dir_all(t.parent().expect("parent")).expect("mkdir");
    std::fs::write(&t, "<p>{{ get_env(name=\"CI_SECRET\") }}</p>").expect("write");
    let out_dir = s.tmp.path().join("out");
    let o = run_env(
        &[
            "cards",
            &s.repo_str(),
            "--out",
            out_dir.to_str().expect("utf-8"),
            "--lang",
            "en",
        ],
        &[("CI_SECRET", SECRET)],
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(2), "{out}");
    assert!(!out.contains(SECRET), "{out}");
    assert!(!all_bytes(&out_dir).contains(SECRET));
    assert!(!out_dir.join("cards.html").exists());
    assert!(out.contains("`get_env()` is disabled"), "{out}");
    assert!(out.contains("cards.html.tera"), "{out}");
    // `yuan new` renders the repository's scaffold under the same rules
    let t = s.repo().join("templates/new/plan.md.tera");
    std::fs::create_dir_all(t.parent().expect("parent")).expect("mkdir");
    std::fs::write(&t, "{{ get_env(name=\"CI_SECRET\") }}").expect("write");
    let o = run_env(
        &[
            "new",
            "special",
            "--id",
            "x-test",
            "--dir",
            &s.repo_str(),
            "--lang",
            "en",
        ],
        &[("CI_SECRET", SECRET)],
    );
    let out = text(&o);
    assert!(!out.contains(SECRET), "{out}");
    assert!(out.contains("`get_env()` is disabled"), "{out}");
}

/// `yuan align` edits a plan that is a symlink where it really is: the link stays a link.
#[test]
fn align_writes_through_a_link_inside_and_keeps_it() {
    let s = Setup::new();
    let repo = s.repo();
    std::fs::create_dir_all(repo.join("store")).expect("mkdir");
    std::fs::rename(
        repo.join("city/yz-flood.md"),
        repo.join("store/yz-flood.txt"),
    )
    .expect("mv");
    s.link("city/yz-flood.md", Path::new("../store/yz-flood.txt"));
    let before = std::fs::read_to_string(repo.join("store/yz-flood.txt")).expect("read");
    assert!(!before.contains("aligned:"));
    let o = support::run(&[
        "align",
        "yz-flood",
        &s.repo_str(),
        "--today",
        "2026-03-01",
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let tree = support::tree(&repo, &[".yuan-cache"]);
    assert_eq!(
        tree.get("city/yz-flood.md"),
        Some(&Node::Link(PathBuf::from("../store/yz-flood.txt")))
    );
    let after = std::fs::read_to_string(repo.join("store/yz-flood.txt")).expect("read");
    assert!(after.contains("aligned:"), "{after}");
    assert!(after.contains("with: yz-overall"), "{after}");
}

/// A plan linked out of the repository is not a document of it: `yuan align` refuses it and
/// the file outside is not touched.
#[test]
fn align_never_writes_through_a_link_that_leaves_the_repository() {
    let s = Setup::new();
    let repo = s.repo();
    let target = s.outside().join("yz-flood.md");
    std::fs::rename(repo.join("city/yz-flood.md"), &target).expect("mv");
    s.link("city/yz-flood.md", &target);
    let before = s.outside_tree();
    let o = support::run(&[
        "align",
        "yz-flood",
        &s.repo_str(),
        "--today",
        "2026-03-01",
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("no document has the id yz-flood"),
        "{}",
        text(&o)
    );
    assert_eq!(s.outside_tree(), before);
    assert!(matches!(
        support::tree(&repo, &[]).get("city/yz-flood.md"),
        Some(Node::Link(t)) if *t == target
    ));
}

/// A `yuan.toml` over its cap (1 MiB) is F006 with the defaults, not read whole.
#[test]
fn a_huge_yuan_toml_is_f006() {
    let s = Setup::new();
    let mut t = String::from("[check]\ntoday = \"2026-11-28\"\n");
    while t.len() <= 2 << 20 {
        t.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    std::fs::write(s.repo().join("yuan.toml"), t).expect("write");
    let (human, json, code) = check(&s);
    assert_eq!(code, Some(1), "{human}");
    assert!(
        human.contains("yuan.toml cannot be used: file too large"),
        "{human}"
    );
    assert!(json.contains("\"F006\""), "{json}");
}

/// A relative link through a folder link that leaves the repository is broken (R403), whether
/// or not the file exists out there: a repository cannot probe the machine's paths.
#[test]
fn a_body_link_through_a_link_out_of_the_repository_is_broken() {
    let s = Setup::new();
    s.link("ext", &s.outside());
    let plan = s.repo().join("city/yz-flood.md");
    let text_before = std::fs::read_to_string(&plan).expect("read");
    for target in ["../ext/secret.md", "../ext/no-such-file.md"] {
        std::fs::write(&plan, format!("{text_before}\n[附件]({target})\n")).expect("write");
        let (human, _, _) = check(&s);
        assert!(
            human.contains("R403") && human.contains(target.trim_start_matches("../")),
            "{target}: {human}"
        );
        assert!(!human.contains(SECRET), "{human}");
    }
}
