//! Helpers shared by the CLI test files: run the binary, copy fixtures, read generated PDFs
//! ([`pdf`], on lopdf: no poppler needed).
#![allow(dead_code)] // each test file uses its own subset

pub mod pdf;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The checkout.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// Runs `yuan` with `args` and extra environment variables; no colour, no YUAN_LANG.
pub fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_yuan"));
    c.args(args).env_remove("YUAN_LANG").env("NO_COLOR", "1");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("yuan runs")
}

/// Standard output and standard error together.
pub fn text_of(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Copies a folder tree, without the parse cache that runs in place leave in it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir").flatten() {
        let p = e.path();
        if e.file_name() == ".yuan-cache" {
            continue;
        }
        let t = to.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &t);
        } else {
            std::fs::copy(&p, &t).expect("copy");
        }
    }
}

/// A copy of the sample plans (`plans/`) outside any git repository (the source of generated
/// files reads `uncommitted`).
pub fn plans_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("plans"), dir.path());
    dir
}

/// The sorted file names of folder `a`, after checking that `b` holds the same bytes under
/// each name (byte-identical reruns).
pub fn same_files(a: &Path, b: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(a)
        .expect("ls")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for n in &names {
        let x = std::fs::read(a.join(n)).expect("read");
        let y = std::fs::read(b.join(n)).expect("read");
        assert!(x == y, "{n} differs between runs");
    }
    names
}

/// PDF text keeps lines; remove the breaks and spaces that wrapping inserted.
pub fn flat(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Stages everything (including deletions) and commits at `day` days after 2026-01-01.
pub fn commit(repo: &git2::Repository, msg: &str, author: &str, day: i64) {
    let mut index = repo.index().expect("index");
    index
        .add_all(["*"].iter(), git2::IndexAddOption::DEFAULT, None)
        .expect("add");
    index
        .update_all(["*"].iter(), None)
        .expect("update deletions");
    index.write().expect("write index");
    let tree = repo
        .find_tree(index.write_tree().expect("tree"))
        .expect("find tree");
    let sig = git2::Signature::new(
        author,
        "a@example.org",
        &git2::Time::new(1_767_225_600 + day * 86_400, 480),
    )
    .expect("signature");
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, msg, &tree, &parents)
        .expect("commit");
}

/// Every file under `dir` (links followed), sorted, by its `/`-separated path relative to
/// `dir`: a repository to load in memory.
pub fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .expect("ls")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).expect("under the root");
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push((rel.join("/"), std::fs::read(&path).expect("read")));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}
