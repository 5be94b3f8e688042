//! Finding the plan repository (issue 14 §6): a command run from the git checkout above
//! `plans/`, or from a subfolder of a repository, works on the repository, as cargo finds
//! `Cargo.toml`, and says which root it used; where that is not clear, nothing moves.

mod common;

use common::{copy_dir, root, run};
use std::path::Path;

/// A checkout: a README and notes that are not plans, and the good fixture under `plans/`.
fn checkout() -> tempfile::TempDir {
    let t = tempfile::tempdir().expect("tmp");
    std::fs::write(t.path().join("README.md"), "# 应急预案仓库\n\n说明文字。\n").expect("readme");
    std::fs::create_dir_all(t.path().join("docs")).expect("docs");
    std::fs::write(t.path().join("docs/notes.md"), "会议记录，没有头信息。\n").expect("notes");
    copy_dir(&root().join("tests/fixtures/good"), &t.path().join("plans"));
    t
}

fn text(o: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn from_the_checkout_above_the_repository_below_is_checked_and_named() {
    let t = checkout();
    let dir = t.path().to_string_lossy().into_owned();
    let o = run(&["check", &dir, "--lang", "en"], &[]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(out.contains("0 errors, 0 warnings"), "{out}");
    assert!(
        !out.contains("README.md") && !out.contains("notes.md"),
        "{out}"
    );
    assert!(
        err.contains("has no yuan.toml; using the plan repository below it")
            && err.contains(&Path::new(&dir).join("plans").display().to_string()),
        "{err}"
    );
    // in Chinese by default
    let (_, err) = text(&run(&["check", &dir], &[]));
    assert!(err.contains("中没有 yuan.toml，使用其下的预案库"), "{err}");
}

#[test]
fn from_inside_the_repository_its_root_is_checked() {
    let t = checkout();
    let inside = t.path().join("plans/enterprise");
    let o = run(&["check", &inside.to_string_lossy(), "--lang", "en"], &[]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(out.contains("0 errors, 0 warnings"), "{out}");
    assert!(err.contains("using the folder above"), "{err}");
    // the drills commands find it too
    let o = run(
        &[
            "drills",
            "status",
            &inside.to_string_lossy(),
            "--lang",
            "en",
        ],
        &[],
    );
    assert!(
        text(&o).1.contains("using the folder above"),
        "{:?}",
        text(&o)
    );
}

#[test]
fn a_repository_root_or_two_repositories_below_stay_as_given() {
    let t = checkout();
    let plans = t.path().join("plans");
    let (_, err) = text(&run(
        &["check", &plans.to_string_lossy(), "--lang", "en"],
        &[],
    ));
    assert!(!err.contains("yuan.toml"), "{err}");
    copy_dir(&root().join("tests/fixtures/good"), &t.path().join("other"));
    let (_, err) = text(&run(
        &["check", &t.path().to_string_lossy(), "--lang", "en"],
        &[],
    ));
    assert!(!err.contains("has no yuan.toml"), "{err}");
}
