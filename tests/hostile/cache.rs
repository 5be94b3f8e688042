//! Class 1: the parse cache never follows a link, never writes through one and never deletes
//! what it did not make. A clone may hold a committed `.yuan-cache/` of someone else's making.

use super::common::text_of;
use super::support::{self, Node};
use std::os::unix::fs::symlink;
use std::path::Path;

/// A folder outside the repository that a hostile link points at: it must come out unchanged.
fn victim(dir: &Path) -> std::path::PathBuf {
    let v = dir.join("victim");
    std::fs::create_dir_all(v.join("keep/inner")).expect("mkdir");
    std::fs::write(v.join("keep/inner/data.txt"), "precious").expect("write");
    std::fs::write(v.join("notes.txt"), "precious").expect("write");
    // shaped like a key folder of another build, with a shard in it
    let key = v.join("0123456789abcdef0123456789abcdef");
    std::fs::create_dir_all(&key).expect("mkdir");
    std::fs::write(key.join("00.bin"), "precious").expect("write");
    std::fs::write(v.join(".gitignore"), "precious").expect("write");
    std::fs::write(v.join("CACHEDIR.TAG"), "precious").expect("write");
    v
}

fn check(repo: &Path) -> std::process::Output {
    support::run(&["check", &repo.to_string_lossy(), "--format", "json"])
}

fn findings(o: &std::process::Output) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
    v["diagnostics"].clone()
}

/// A repository inside `base/repo`, with the victim beside it at `base/victim`.
fn setup() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let base = tempfile::tempdir().expect("tempdir");
    let repo = base.path().join("repo");
    super::common::copy_dir(&super::common::root().join("tests/fixtures/good"), &repo);
    let v = victim(base.path());
    (base, repo, v)
}

/// The same findings as a run without any cache.
fn assert_same_as_no_cache(repo: &Path, o: &std::process::Output) {
    let plain = support::run(&[
        "check",
        &repo.to_string_lossy(),
        "--format",
        "json",
        "--no-cache",
    ]);
    assert_eq!(findings(o), findings(&plain), "{}", text_of(o));
    assert_eq!(o.status.code(), plain.status.code());
}

/// `.yuan-cache` itself a link to the repository's parent (which holds the repository, `.git`
/// and all): the data-loss bug. Nothing is deleted or written there; the run says why the cache
/// was off and reports what a run without cache reports.
#[test]
fn a_linked_cache_folder_deletes_nothing_and_turns_the_cache_off() {
    for target in ["..", "../victim"] {
        let (base, repo, _) = setup();
        std::fs::create_dir_all(repo.join(".git/objects")).expect("mkdir");
        std::fs::write(repo.join(".git/HEAD"), "ref: refs/heads/main\n").expect("write");
        symlink(target, repo.join(".yuan-cache")).expect("symlink");
        let before = support::tree(base.path(), &[]);
        for _ in 0..2 {
            let o = check(&repo);
            support::assert_same_tree(&before, &support::tree(base.path(), &[]), target);
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(
                err.contains(".yuan-cache") && err.contains("符号链接"),
                "the note says why the cache is off: {err}"
            );
            assert_same_as_no_cache(&repo, &o);
        }
    }
}

/// `parse/`, a key folder, `.gitignore` or `CACHEDIR.TAG` as links to the victim: nothing of
/// the victim is deleted or written, whichever part is the link.
#[test]
fn links_inside_the_cache_folder_are_never_followed() {
    for (link, target) in [
        ("parse", "../../victim"),
        ("parse/0123456789abcdef0123456789abcdef", "../../../victim"),
        (".gitignore", "../../victim/.gitignore"),
        ("CACHEDIR.TAG", "../../victim/CACHEDIR.TAG"),
    ] {
        let (_base, repo, v) = setup();
        let at = repo.join(".yuan-cache").join(link);
        std::fs::create_dir_all(at.parent().expect("parent")).expect("mkdir");
        symlink(target, &at).expect("symlink");
        let victim_before = support::tree(&v, &[]);
        for _ in 0..2 {
            let o = check(&repo);
            support::assert_same_tree(&victim_before, &support::tree(&v, &[]), link);
            assert!(
                std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()),
                "the link {link} itself is left in place"
            );
            assert_same_as_no_cache(&repo, &o);
        }
    }
}

/// The key folder the binary uses, after a first run made it.
fn key_folder(repo: &Path) -> std::path::PathBuf {
    let parse = repo.join(".yuan-cache/parse");
    let mut keys: Vec<_> = std::fs::read_dir(&parse)
        .expect("the first run made the cache")
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(keys.len(), 1, "{keys:?}");
    keys.pop().expect("one key folder")
}

/// Shards that are links (to a file outside, to `/dev/zero`) or FIFOs: read as empty in
/// bounded time and memory, replaced by real shards, the targets untouched.
#[test]
fn shards_that_are_links_or_fifos_are_neither_read_nor_written_through() {
    let (_base, repo, v) = setup();
    let first = check(&repo);
    let key = key_folder(&repo);
    let shards: Vec<_> = std::fs::read_dir(&key)
        .expect("ls")
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(shards.len() >= 3, "{shards:?}");
    std::fs::remove_file(&shards[0]).expect("rm");
    symlink(v.join("notes.txt"), &shards[0]).expect("symlink");
    std::fs::remove_file(&shards[1]).expect("rm");
    symlink("/dev/zero", &shards[1]).expect("symlink");
    std::fs::remove_file(&shards[2]).expect("rm");
    let fifo = std::ffi::CString::new(shards[2].to_string_lossy().as_bytes()).expect("path");
    // SAFETY: a plain libc call with a valid C string.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let victim_before = support::tree(&v, &[]);
    let o = support::run_bounded(
        &["check", &repo.to_string_lossy(), "--format", "json"],
        std::time::Duration::from_secs(30),
        1 << 30,
    );
    assert_eq!(findings(&o), findings(&first));
    support::assert_same_tree(&victim_before, &support::tree(&v, &[]), "the victim");
    // the shards were written again as real files (a rename replaces the link, not its target)
    for s in &shards[..3] {
        let m = std::fs::symlink_metadata(s).expect("shard");
        assert!(m.file_type().is_file(), "{} is a file again", s.display());
    }
}

/// Clean-up of other builds' caches removes only key folders of shards; a folder with anything
/// else in it (a note someone put there, a link) is left whole, and so is a foreign name.
#[test]
fn clean_up_removes_only_what_the_cache_made() {
    let (_base, repo, v) = setup();
    let parse = repo.join(".yuan-cache/parse");
    let old = parse.join("00000000000000000000000000000000");
    std::fs::create_dir_all(&old).expect("mkdir");
    std::fs::write(old.join("00.bin"), "old shard").expect("write");
    std::fs::write(old.join(".shard-1-0"), "old temp").expect("write");
    let mixed = parse.join("11111111111111111111111111111111");
    std::fs::create_dir_all(&mixed).expect("mkdir");
    std::fs::write(mixed.join("00.bin"), "old shard").expect("write");
    std::fs::write(mixed.join("README"), "someone's note").expect("write");
    symlink(v.join("notes.txt"), mixed.join("01.bin")).expect("symlink");
    let foreign = parse.join("not-a-key");
    std::fs::create_dir_all(&foreign).expect("mkdir");
    std::fs::write(foreign.join("00.bin"), "x").expect("write");
    let victim_before = support::tree(&v, &[]);
    check(&repo);
    assert!(!old.exists(), "an old build's cache is removed");
    let left = support::tree(&parse, &[]);
    assert!(
        matches!(
            left.get("11111111111111111111111111111111/README"),
            Some(Node::File(_))
        ),
        "{left:?}"
    );
    assert!(
        matches!(
            left.get("11111111111111111111111111111111/01.bin"),
            Some(Node::Link(_))
        ),
        "a link is not the cache's to delete: {left:?}"
    );
    assert!(left.contains_key("not-a-key/00.bin"), "{left:?}");
    support::assert_same_tree(&victim_before, &support::tree(&v, &[]), "the victim");
}

/// A file where the cache folder belongs: the cache is off, the file is left as it was.
#[test]
fn a_file_where_the_cache_folder_belongs_is_left_alone() {
    let (_base, repo, _) = setup();
    std::fs::write(repo.join(".yuan-cache"), "not a folder").expect("write");
    let o = check(&repo);
    assert_eq!(
        std::fs::read_to_string(repo.join(".yuan-cache")).expect("read"),
        "not a folder"
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains(".yuan-cache"));
    assert_same_as_no_cache(&repo, &o);
}
