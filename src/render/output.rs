//! Writing generated files (render stage, last step): every generator hands its finished bytes
//! to an [`OutDir`], which is the only way a generated file reaches the disk.
//!
//! It takes an output folder and file names; it gives files written atomically under that
//! folder, and a manifest of the run. Why: ids and titles come from a repository that someone
//! else wrote, so
//! - a file name is one plain name (checked by the same test as rule I103), never a path, and
//!   two outputs of one run that would get the same name are refused instead of overwriting
//!   each other;
//! - the default folder inside the repository is not followed through a symlink;
//! - writes go through a temporary file `.yuan-<pid>-<random>.tmp` and a rename, so a killed run
//!   leaves earlier outputs intact and no partial file under a final name; the next run removes
//!   the temporary files of processes that no longer run;
//! - the manifest `yuan-manifest.json`, written last, lists this run's files with their sizes
//!   and SHA-256 and the source commit, so a reader (and the next run) can tell a complete set
//!   from one mixed by an interrupted or concurrent run. It holds no time: same input, same bytes.

use crate::check::rules::i103_naming_convention::file_name_problem;
use crate::diag::error::{said_in, Context as _};
use crate::diag::terminal::escape;
use crate::diag::{Lang, Text};
use crate::{env_error, text};
use serde::{Deserialize, Serialize};
use sha2::Digest as _;
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

/// The manifest's file name in every output folder.
pub(crate) const MANIFEST: &str = "yuan-manifest.json";

/// A temporary file of a process that is still running is left alone unless it is older than
/// this (a write takes seconds; a file this old was left by a run that was killed, on a machine
/// whose processes we cannot see).
const TEMP_MAX_AGE: Duration = Duration::from_secs(60 * 60);

/// One output folder of one run.
pub(crate) struct OutDir {
    dir: PathBuf,
    /// The language of the run: notes are told in it, and so are errors (the CLI's printer
    /// cannot see `[check] lang`).
    lang: Lang,
    /// Lower-cased name -> (name, written yet), of every file of this run (case-insensitive
    /// file systems would merge `A.pdf` and `a.pdf`).
    names: BTreeMap<String, (String, bool)>,
    /// Name -> (size, SHA-256 in hex) of every file written.
    written: BTreeMap<String, (u64, String)>,
    notes: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Manifest {
    /// The command that wrote the set, e.g. `yuan cards`.
    generator: String,
    /// The source commit (provenance label: short id, `+dirty`, or `uncommitted`).
    source: String,
    files: Vec<ManifestFile>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct ManifestFile {
    name: String,
    bytes: u64,
    sha256: String,
}

impl OutDir {
    /// Opens (creates) `dir` for `generator`'s outputs. `repo` is the plan repository when
    /// `dir` is the default folder inside it: no part of the way from `repo` to `dir` may then
    /// be a symlink (a committed `out -> ~` would write into the user's home). Removes the
    /// temporary files that killed runs left, and checks the set the last run left (notes).
    /// Its notes and errors are told in `lang`.
    pub(crate) fn open(dir: &Path, repo: Option<&Path>, lang: Lang) -> anyhow::Result<OutDir> {
        let shown = dir.display();
        let opened = || -> anyhow::Result<()> {
            if let Some(repo) = repo {
                refuse_links_between(repo, dir)?;
            }
            std::fs::create_dir_all(dir)
                .context_text(|| text!("无法创建 {shown}", "cannot create {shown}"))?;
            let meta = std::fs::symlink_metadata(dir)
                .context_text(|| text!("无法读取 {shown}", "cannot read {shown}"))?;
            if repo.is_some() && !meta.is_dir() {
                return Err(env_error!("{shown} 不是文件夹", "{shown} is not a folder"));
            }
            Ok(())
        };
        opened().map_err(|e| said_in(e, lang))?;
        if let Some(repo) = repo {
            ignore_default_out(repo, dir);
        }
        let mut out = OutDir {
            dir: dir.to_path_buf(),
            lang,
            names: BTreeMap::new(),
            written: BTreeMap::new(),
            notes: Vec::new(),
        };
        out.names
            .insert(MANIFEST.to_lowercase(), (MANIFEST.to_string(), true));
        out.remove_stale_temporaries();
        out.check_previous_set();
        Ok(out)
    }

    /// Notes for the user: what the previous set looked like, files left over.
    pub(crate) fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }

    /// Reserves `stem.ext` for this run: refused when `stem` is not a plain file name or when
    /// another output of this run already has that name. Generators reserve every name before
    /// they write the first file, so a clash stops the run with nothing overwritten.
    pub(crate) fn reserve(&mut self, stem: &str, ext: &str) -> anyhow::Result<String> {
        self.claim(stem, ext, false)
            .map_err(|e| said_in(e, self.lang))
    }

    /// `stem.ext` checked, and recorded; `writing` accepts a name reserved and not yet written.
    fn claim(&mut self, stem: &str, ext: &str, writing: bool) -> anyhow::Result<String> {
        if let Some(why) = file_name_problem(stem) {
            let shown = escape(stem);
            let Text { zh, en } = why;
            return Err(env_error!(
                "不写入 `{shown}.{ext}`：{zh}（I103）",
                "not writing `{shown}.{ext}`: {en} (I103)"
            ));
        }
        let name = format!("{stem}.{ext}");
        let key = name.to_lowercase();
        match self.names.get(&key) {
            Some((same, false)) if writing && *same == name => {
                self.names.insert(key, (name.clone(), true));
                return Ok(name);
            }
            None => {
                self.names.insert(key, (name.clone(), writing));
                return Ok(name);
            }
            Some(_) => {}
        }
        let first = self
            .names
            .get(&key)
            .map(|(n, _)| escape(n).into_owned())
            .unwrap_or_default();
        let shown = escape(&name);
        let dir = self.dir.display();
        Err(env_error!(
            "两个输出都要写入 {dir}/{shown}（另一个为 {first}）：不覆盖；请修改其中一个 id",
            "two outputs would both be written to {dir}/{shown} (the other is {first}): not overwriting; change one of the ids"
        ))
    }

    /// Writes the file `stem.ext` of this run (see [`OutDir::reserve`]).
    pub(crate) fn write(&mut self, stem: &str, ext: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let lang = self.lang;
        let name = self.claim(stem, ext, true).map_err(|e| said_in(e, lang))?;
        let path = self.path_of(&name).map_err(|e| said_in(e, lang))?;
        write_atomic(&path, bytes).map_err(|e| said_in(e, lang))?;
        let hash = hex(&sha2::Sha256::digest(bytes));
        self.written.insert(name, (bytes.len() as u64, hash));
        Ok(())
    }

    /// How many files this run wrote.
    pub(crate) fn count(&self) -> usize {
        self.written.len()
    }

    /// Writes the manifest of this run (last), and notes the files of the folder that are not
    /// part of it. `generator` names the command, `source` the provenance label.
    pub(crate) fn finish(mut self, generator: &str, source: &str) -> anyhow::Result<Vec<String>> {
        let manifest = Manifest {
            generator: generator.to_string(),
            source: source.to_string(),
            files: self
                .written
                .iter()
                .map(|(name, (bytes, sha256))| ManifestFile {
                    name: name.clone(),
                    bytes: *bytes,
                    sha256: sha256.clone(),
                })
                .collect(),
        };
        let mut json = serde_json::to_string_pretty(&manifest)?;
        json.push('\n');
        write_atomic(&self.dir.join(MANIFEST), json.as_bytes())
            .map_err(|e| said_in(e, self.lang))?;
        let extra: Vec<String> = self
            .present_files()
            .into_iter()
            .filter(|n| !self.written.contains_key(n))
            .collect();
        if !extra.is_empty() {
            let list = name_list(&extra);
            let (dir, n) = (self.dir.display(), extra.len());
            let note = text!(
                "提示：{dir} 中有 {n} 个文件不属于本次生成（{MANIFEST} 未列出）：{list}；它们可能已过时，可删除",
                "note: {n} file(s) in {dir} are not part of this run ({MANIFEST} does not list them): {list}; they may be stale and can be deleted"
            );
            self.notes.push(note.get(self.lang).to_string());
        }
        Ok(self.notes)
    }

    /// `dir/name`, checked to be a direct child of the output folder.
    fn path_of(&self, name: &str) -> anyhow::Result<PathBuf> {
        let mut parts = Path::new(name).components();
        match (parts.next(), parts.next()) {
            (Some(Component::Normal(n)), None) if n == name => Ok(self.dir.join(name)),
            _ => {
                let shown = escape(name);
                Err(env_error!(
                    "`{shown}` 不是单纯的文件名",
                    "`{shown}` is not a plain file name"
                ))
            }
        }
    }

    /// The names of the regular, not hidden files of the folder, sorted (the manifest left out).
    fn present_files(&self) -> Vec<String> {
        let Ok(rd) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut names: Vec<String> = rd
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| !n.starts_with('.') && n != MANIFEST)
            .collect();
        names.sort();
        names
    }

    /// Removes the `.yuan-<pid>-<random>.tmp` regular files that a killed run left in the
    /// folder: those whose process no longer runs (Linux: no `/proc/<pid>`), and any such file
    /// older than an hour (a process on another machine, or one whose pid was reused). Nothing
    /// else is touched: not a link, not a folder, not another name.
    fn remove_stale_temporaries(&mut self) {
        let Ok(rd) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let mut removed = 0;
        for e in rd.flatten() {
            let Some(name) = e.file_name().to_str().map(str::to_string) else {
                continue;
            };
            let Some(pid) = temp_file_pid(&name) else {
                continue;
            };
            let Ok(meta) = std::fs::symlink_metadata(e.path()) else {
                continue;
            };
            if !meta.is_file() {
                continue;
            }
            let old = meta
                .modified()
                .ok()
                .and_then(|m| m.elapsed().ok())
                .is_some_and(|age| age > TEMP_MAX_AGE);
            let gone = pid.is_some_and(|p| p != std::process::id() && !process_runs(p));
            if (old || gone) && std::fs::remove_file(e.path()).is_ok() {
                removed += 1;
            }
        }
        if removed > 0 {
            let dir = self.dir.display();
            let note = text!(
                "提示：已删除 {dir} 中中断运行遗留的 {removed} 个临时文件（.yuan-*.tmp）",
                "note: removed {removed} temporary file(s) (.yuan-*.tmp) that an interrupted run left in {dir}"
            );
            self.notes.push(note.get(self.lang).to_string());
        }
    }

    /// Compares the folder with the manifest the last run wrote, and notes a set that an
    /// interrupted or concurrent run left mixed: no manifest beside generated files, files that
    /// differ from it, or files it does not list.
    fn check_previous_set(&mut self) {
        let present = self.present_files();
        let dir = self.dir.display().to_string();
        let text = match std::fs::symlink_metadata(self.dir.join(MANIFEST)) {
            Ok(m) if m.is_file() && m.len() <= 16 << 20 => {
                std::fs::read_to_string(self.dir.join(MANIFEST)).ok()
            }
            _ => None,
        };
        let manifest = text.and_then(|t| serde_json::from_str::<Manifest>(&t).ok());
        let Some(manifest) = manifest else {
            if !present.is_empty() {
                let list = name_list(&present);
                let note = text!(
                    "提示：{dir} 中已有文件但没有 {MANIFEST}（旧版 yuan 或中断的运行留下）：{list}；本次生成后以新清单为准",
                    "note: {dir} has files but no {MANIFEST} (left by an older yuan or an interrupted run): {list}; the manifest this run writes lists the current set"
                );
                self.notes.push(note.get(self.lang).to_string());
            }
            return;
        };
        let listed: BTreeMap<&str, &ManifestFile> = manifest
            .files
            .iter()
            .map(|f| (f.name.as_str(), f))
            .collect();
        let mut changed = Vec::new();
        for f in &manifest.files {
            let p = self.dir.join(&f.name);
            let same = match std::fs::symlink_metadata(&p) {
                Ok(m) if m.is_file() && m.len() == f.bytes => {
                    std::fs::read(&p).is_ok_and(|b| hex(&sha2::Sha256::digest(&b)) == f.sha256)
                }
                _ => false,
            };
            if !same {
                changed.push(escape(&f.name).into_owned());
            }
        }
        let unlisted: Vec<String> = present
            .into_iter()
            .filter(|n| !listed.contains_key(n.as_str()))
            .collect();
        if changed.is_empty() && unlisted.is_empty() {
            return;
        }
        let mut what = Vec::new();
        if !changed.is_empty() {
            let (list, n) = (name_list(&changed), changed.len());
            what.push(text!(
                "{n} 个文件已缺失或与清单不符：{list}",
                "{n} file(s) missing or differing from it: {list}"
            ));
        }
        if !unlisted.is_empty() {
            let (list, n) = (name_list(&unlisted), unlisted.len());
            what.push(text!(
                "{n} 个文件未列入清单：{list}",
                "{n} file(s) it does not list: {list}"
            ));
        }
        let source = escape(&manifest.source);
        let zh = what
            .iter()
            .map(|t| t.zh.as_str())
            .collect::<Vec<_>>()
            .join("；");
        let en = what
            .iter()
            .map(|t| t.en.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        let note = text!(
            "提示：{dir} 中上次生成的文件不成套（中断或并发运行？），{MANIFEST} 记录的来源为 {source}：{zh}",
            "note: the set in {dir} was not one run's output (an interrupted or concurrent run?); against {MANIFEST} (source {source}): {en}"
        );
        self.notes.push(note.get(self.lang).to_string());
    }
}

/// Up to five names, escaped, and how many more.
fn name_list(names: &[String]) -> String {
    let mut s: Vec<String> = names
        .iter()
        .take(5)
        .map(|n| escape(n).into_owned())
        .collect();
    if names.len() > 5 {
        s.push(format!("… (+{})", names.len() - 5));
    }
    s.join(", ")
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// `Some(Some(pid))` for `.yuan-<pid>-<random>.tmp`, `Some(None)` for the older
/// `.yuan-<random>.tmp`, `None` for any other name.
fn temp_file_pid(name: &str) -> Option<Option<u32>> {
    let mid = name.strip_prefix(".yuan-")?.strip_suffix(".tmp")?;
    if mid.is_empty() || !mid.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return None;
    }
    Some(
        mid.split_once('-')
            .and_then(|(pid, _)| pid.parse::<u32>().ok()),
    )
}

/// Whether process `pid` runs on this machine. Where that cannot be seen (not Linux), it is
/// taken as running, and only the age of its files counts.
fn process_runs(pid: u32) -> bool {
    if cfg!(target_os = "linux") && Path::new("/proc/self").exists() {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// Refuses an output folder reached from `repo` through a symlink (only the parts under
/// `repo` are looked at; a `dir` outside `repo` was chosen by the user).
fn refuse_links_between(repo: &Path, dir: &Path) -> anyhow::Result<()> {
    let Ok(rest) = dir.strip_prefix(repo) else {
        return Ok(());
    };
    let mut at = repo.to_path_buf();
    for c in rest.components() {
        let Component::Normal(part) = c else {
            let (dir, repo) = (dir.display(), repo.display());
            return Err(env_error!(
                "{dir} 不是 {repo} 中的普通文件夹",
                "{dir} is not a plain folder inside {repo}"
            ));
        };
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&at).unwrap_or_default();
                let target = escape(&target.to_string_lossy()).into_owned();
                let at = at.display();
                return Err(env_error!(
                    "{at} 是符号链接（指向 {target}）：不经链接写入输出；请删除它或用 --out 指定输出目录",
                    "{at} is a symlink (to {target}): outputs are not written through links; remove it or choose a folder with --out"
                ));
            }
            Ok(_) => {}
            Err(_) => break, // does not exist yet: created as a plain folder
        }
    }
    Ok(())
}

/// The text of the `.gitignore` yuan leaves in the default output folder of a repository.
pub(crate) const OUT_GITIGNORE: &str =
    "# yuan: generated output (cards, handbooks, drills), not part of the plans\n*\n";

/// A default output folder inside the repository (`DIR/out/cards`) is ignored by git from the
/// first run, as `.yuan-cache/` is: yuan writes `out/.gitignore` (`*`) unless that name already
/// exists (a file the repository keeps, or anything else: never followed or replaced). Best
/// effort: output is still written when it cannot be.
fn ignore_default_out(repo: &Path, dir: &Path) {
    let Ok(rel) = dir.strip_prefix(repo) else {
        return;
    };
    let Some(top) = rel.components().next() else {
        return;
    };
    let file = repo.join(top).join(".gitignore");
    if std::fs::symlink_metadata(&file).is_err() {
        let _ = create_new(&file, OUT_GITIGNORE.as_bytes());
    }
}

/// Writes `bytes` to `path` through a temporary file `.yuan-<pid>-<random>.tmp` in the same
/// folder and a rename, so `path` holds either the old or the new bytes, never a part. The
/// folder is created if needed. An unchanged regular file is not rewritten (its time stays); a
/// link at `path` is replaced, never written through.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    write_atomic_mode(path, bytes, None)
}

/// [`write_atomic`] with the permission bits `mode` (a git hook is `0o755`); `None` keeps those
/// of the file replaced, or `0o644` for a new one.
pub(crate) fn write_atomic_mode(
    path: &Path,
    bytes: &[u8],
    mode: Option<u32>,
) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let folder = dir.display();
    std::fs::create_dir_all(dir)
        .context_text(|| text!("无法创建 {folder}", "cannot create {folder}"))?;
    let old = std::fs::symlink_metadata(path).ok().filter(|m| m.is_file());
    #[cfg(unix)]
    let same_mode = {
        use std::os::unix::fs::PermissionsExt as _;
        let now = old.as_ref().map(|m| m.permissions().mode() & 0o777);
        mode.is_none() || now == mode
    };
    #[cfg(not(unix))]
    let same_mode = true;
    if same_mode
        && old.as_ref().is_some_and(|m| m.len() == bytes.len() as u64)
        && std::fs::read(path).is_ok_and(|old| old == bytes)
    {
        return Ok(());
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".yuan-{}-", std::process::id()))
        .suffix(".tmp")
        .tempfile_in(dir)
        .context_text(|| text!("无法在 {folder} 中写入", "cannot write in {folder}"))?;
    // tempfile creates 0600 files; generated output is as readable as any other file
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = mode.unwrap_or_else(|| {
            old.as_ref()
                .map(|m| m.permissions().mode() & 0o777)
                .unwrap_or(0o644)
        });
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode));
    }
    let file = path.display();
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .context_text(|| text!("无法写入 {file}", "cannot write {file}"))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .context_text(|| text!("无法替换 {file}", "cannot replace {file}"))?;
    Ok(())
}

/// Writes `bytes` to `path`, a file that must not exist yet (`yuan new --output`): nothing is
/// ever overwritten, and a link at `path` is not written through.
pub(crate) fn create_new(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .context_text(|| {
            let file = path.display();
            text!(
                "无法创建 {file}（它可能已经存在）",
                "cannot create {file} (it may already exist)"
            )
        })?;
    f.write_all(bytes).context_text(|| {
        let file = path.display();
        text!("无法写入 {file}", "cannot write {file}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces_without_leftovers() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("sub/a.pdf");
        write_atomic(&p, b"one").expect("write");
        write_atomic(&p, b"two").expect("write");
        assert_eq!(std::fs::read(&p).expect("read"), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path().join("sub"))
            .expect("ls")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn names_are_plain_and_never_shared() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut out = OutDir::open(&dir.path().join("out"), None, Lang::En).expect("open");
        for bad in ["../x", "/etc/x", "a/b", "..", ".x", "-x", "a\nb", ""] {
            assert!(out.write(bad, "pdf", b"x").is_err(), "{bad:?} written");
        }
        out.write("a", "pdf", b"1").expect("write");
        let e = out.write("A", "pdf", b"2").expect_err("collision");
        assert!(e.to_string().contains("not overwriting"), "{e}");
        assert!(out.reserve("a", "pdf").is_err());
        assert_eq!(
            std::fs::read(dir.path().join("out/a.pdf")).expect("a"),
            b"1"
        );
        let notes = out.finish("yuan test", "abc1234").expect("finish");
        assert!(notes.is_empty(), "{notes:?}");
        let m = std::fs::read_to_string(dir.path().join("out").join(MANIFEST)).expect("manifest");
        assert!(m.contains("\"a.pdf\"") && m.contains("abc1234"), "{m}");
        let all: Vec<_> = std::fs::read_dir(dir.path())
            .expect("ls")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(all, ["out"], "nothing beside the output folder");
    }

    #[test]
    fn temporary_names_are_recognised_exactly() {
        assert_eq!(temp_file_pid(".yuan-123-AbC9x.tmp"), Some(Some(123)));
        assert_eq!(temp_file_pid(".yuan-AbC9x.tmp"), Some(None));
        for other in [
            ".yuan-cache",
            ".yuan-1-a.tmp.pdf",
            "yuan-1-a.tmp",
            ".yuan-.tmp",
            ".yuan-1/a.tmp",
            ".yuan-1 a.tmp",
        ] {
            assert_eq!(temp_file_pid(other), None, "{other}");
        }
    }

    #[test]
    fn a_mixed_set_is_noticed_and_a_complete_one_is_not() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path().join("out");
        let mut out = OutDir::open(&d, None, Lang::En).expect("open");
        out.write("a", "pdf", b"1").expect("a");
        out.write("cards", "pdf", b"print").expect("print");
        assert!(out.finish("yuan cards", "c1").expect("finish").is_empty());
        let mut again = OutDir::open(&d, None, Lang::En).expect("open");
        assert!(again.take_notes().is_empty(), "a complete set is quiet");
        // a later, interrupted run replaced a.pdf and added b.pdf, but wrote no manifest
        std::fs::write(d.join("a.pdf"), b"new").expect("a");
        std::fs::write(d.join("b.pdf"), b"new").expect("b");
        let mut next = OutDir::open(&d, None, Lang::En).expect("open");
        let notes = next.take_notes().join("\n");
        assert!(
            notes.contains("a.pdf") && notes.contains("b.pdf") && notes.contains("c1"),
            "{notes}"
        );
        // no manifest at all beside generated files
        std::fs::remove_file(d.join(MANIFEST)).expect("rm");
        let mut bare = OutDir::open(&d, None, Lang::En).expect("open");
        assert!(bare
            .take_notes()
            .join("\n")
            .contains("no yuan-manifest.json"));
    }
}
