//! What the hostile tests share: a record of a folder tree that never follows a link, and a run
//! of `yuan` with a time and memory limit.
#![allow(dead_code)] // each test file uses its own subset

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// One entry of a tree, as `lstat` sees it: a file with its bytes, a folder, or a link with
/// its target (never followed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    File(Vec<u8>),
    Dir,
    Link(std::path::PathBuf),
    Other,
}

/// Every entry under `dir` (relative paths), links not followed. `skip` names top-level entries
/// left out (e.g. the output folder or the cache, which a run may change).
pub fn tree(dir: &Path, skip: &[&str]) -> BTreeMap<String, Node> {
    fn walk(base: &Path, dir: &Path, skip: &[&str], out: &mut BTreeMap<String, Node>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            let rel = p
                .strip_prefix(base)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            if skip
                .iter()
                .any(|s| rel == *s || rel.starts_with(&format!("{s}/")))
            {
                continue;
            }
            let Ok(m) = std::fs::symlink_metadata(&p) else {
                continue;
            };
            let t = m.file_type();
            let node = if t.is_symlink() {
                Node::Link(std::fs::read_link(&p).unwrap_or_default())
            } else if t.is_dir() {
                walk(base, &p, skip, out);
                Node::Dir
            } else if t.is_file() {
                Node::File(std::fs::read(&p).unwrap_or_default())
            } else {
                Node::Other
            };
            out.insert(rel, node);
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, skip, &mut out);
    out
}

/// Runs `yuan` with `args`, killed after `limit`, with at most `memory` bytes of address space
/// (Linux). Panics if the limit was reached: a hostile repository must not hang yuan.
pub fn run_bounded(args: &[&str], limit: Duration, memory: u64) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_yuan"));
    c.args(args)
        .env_remove("YUAN_LANG")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt as _;
        // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
        unsafe {
            c.pre_exec(move || {
                let lim = libc::rlimit {
                    rlim_cur: memory as libc::rlim_t,
                    rlim_max: memory as libc::rlim_t,
                };
                if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = memory;
    let mut child = c.spawn().expect("yuan runs");
    // read both pipes on their own threads, so a full pipe never looks like a hang
    let drain = |r: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = drain(child.stdout.take().map(|s| Box::new(s) as _));
    let err = drain(child.stderr.take().map(|s| Box::new(s) as _));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("yuan {args:?} still ran after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}

/// A run bounded to 60 s and 2 GiB of address space.
pub fn run(args: &[&str]) -> Output {
    run_bounded(args, Duration::from_secs(60), 2 << 30)
}

/// A small clean repository: the good fixture, copied.
pub fn good_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    super::common::copy_dir(
        &super::common::root().join("tests/fixtures/good"),
        dir.path(),
    );
    dir
}

/// Asserts that two records of a tree are the same, naming only the entries that differ.
pub fn assert_same_tree(
    before: &BTreeMap<String, Node>,
    after: &BTreeMap<String, Node>,
    what: &str,
) {
    let mut diff = Vec::new();
    for (k, v) in before {
        match after.get(k) {
            None => diff.push(format!("removed: {k}")),
            Some(w) if w != v => diff.push(format!("changed: {k}")),
            _ => {}
        }
    }
    for k in after.keys().filter(|k| !before.contains_key(*k)) {
        diff.push(format!("added: {k}"));
    }
    assert!(diff.is_empty(), "{what}: {diff:#?}");
}
