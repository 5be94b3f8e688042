//! A file changed on disk while yuan runs (an editor saving, a `git checkout`) is not read at
//! offsets taken from the bytes loaded: its snippet is left out rather than drawn from other
//! text, and the run ends with a note naming it and asking for another run.
//!
//! The change is made at a known moment of a real run: `yuan check` writes its findings to a
//! pipe this test does not drain, so the run is held at its first batch of snippets (a batch
//! is 256 files; the text of the first is far larger than the pipe) while the last file, in a
//! later batch, is rewritten; then the pipe is drained.

use std::io::Read as _;
use std::process::{Command, Stdio};

/// Files with findings: more than one batch of snippets.
const FILES: usize = 300;

/// A plan whose body line (about 3 KB of text, shown whole in its snippet) holds a placeholder
/// and the marker `标记NNN`.
fn plan(i: usize) -> String {
    format!(
        "---\nid: p{i:03}\ntitle: 计划 {i}\nkind: overall\n---\n\n## 1 总则\n\n{}待定，标记{i:03}。\n",
        "正文".repeat(500)
    )
}

#[test]
fn a_file_changed_during_the_run_shows_no_snippet_and_the_run_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    // a plan repository is a folder with a yuan.toml (an empty one will do)
    std::fs::write(dir.path().join("yuan.toml"), "").expect("yuan.toml");
    for i in 0..FILES {
        std::fs::write(dir.path().join(format!("p{i:03}.md")), plan(i)).expect("write");
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_yuan"))
        .args(["check", "--no-cache"])
        .arg(dir.path())
        .env_remove("YUAN_LANG")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("yuan runs");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).map(|_| text)
    });
    // the first bytes of findings: the load and the rules are done, the snippets have begun
    let mut first = vec![0u8; 4096];
    let n = stdout.read(&mut first).expect("read");
    assert!(n > 0, "no findings");
    first.truncate(n);
    let last = dir.path().join(format!("p{:03}.md", FILES - 1));
    std::fs::write(&last, "---\nid: changed\n---\n\n改过的内容\n").expect("rewrite");
    let mut rest = Vec::new();
    stdout.read_to_end(&mut rest).expect("read");
    let status = child.wait().expect("wait");
    first.extend(rest);
    let out = String::from_utf8(first).expect("utf-8");
    let errors = errors.join().expect("thread").expect("stderr");
    assert_eq!(status.code(), Some(1), "{errors}");
    // the premise: the first batch's text is far more than a pipe and a write buffer hold
    assert!(out.len() > 1 << 20, "{}", out.len());
    // the findings of the changed file are all there, without a line of it
    assert!(out.contains("p299.md:"), "{errors}");
    assert!(!out.contains("标记299") && !out.contains("改过") && !out.contains("changed"));
    // the unchanged files still show their lines
    assert!(out.contains("标记000") && out.contains("标记298"));
    // and the run names the file, once
    assert_eq!(errors.matches("p299.md").count(), 1, "{errors}");
    assert!(errors.contains("再运行一次"), "{errors}");
    assert!(!errors.contains("p298.md"), "{errors}");
}

/// Nothing changed: no note.
#[test]
fn an_unchanged_repository_gets_no_note() {
    let dir = tempfile::tempdir().expect("tempdir");
    // a plan repository is a folder with a yuan.toml (an empty one will do)
    std::fs::write(dir.path().join("yuan.toml"), "").expect("yuan.toml");
    std::fs::write(dir.path().join("p000.md"), plan(0)).expect("write");
    let o = Command::new(env!("CARGO_BIN_EXE_yuan"))
        .args(["check", "--no-cache"])
        .arg(dir.path())
        .env_remove("YUAN_LANG")
        .env("NO_COLOR", "1")
        .output()
        .expect("yuan runs");
    let out = String::from_utf8_lossy(&o.stdout);
    let errors = String::from_utf8_lossy(&o.stderr);
    assert!(out.contains("标记000"), "{out}");
    assert!(!errors.contains("再运行一次"), "{errors}");
}
