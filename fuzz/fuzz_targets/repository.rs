//! A whole check of a small repository: the good fixture with one plan replaced by the input.
//! Checked without and with the parse cache (cold, then warm): never a panic, and the same
//! findings each time (SECURITY.md; issue 15, class 11).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};

fn copy_dir(from: &Path, to: &Path) {
    let _ = std::fs::create_dir_all(to);
    for e in std::fs::read_dir(from).into_iter().flatten().flatten() {
        let (p, t) = (e.path(), to.join(e.file_name()));
        if e.file_name() == ".yuan-cache" {
            continue;
        }
        if p.is_dir() {
            copy_dir(&p, &t);
        } else {
            let _ = std::fs::copy(&p, &t);
        }
    }
}

fn findings(dir: &Path, cache: bool) -> Vec<String> {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).expect("a date");
    match yuan::Check::new(dir, today).cache(cache).run() {
        Ok(r) => r
            .diagnostics
            .iter()
            .map(|d| format!("{} {} {:?} {}", d.code, d.path, d.span, d.message.en))
            .collect(),
        Err(e) => vec![format!("error: {e}")],
    }
}

fuzz_target!(|data: &[u8]| {
    let good = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/good");
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    copy_dir(&good, dir.path());
    let _ = std::fs::write(dir.path().join("city/yz-flood.md"), data);
    let plain = findings(dir.path(), false);
    assert_eq!(plain, findings(dir.path(), true), "cold run with the cache");
    assert_eq!(plain, findings(dir.path(), true), "warm run");
});
