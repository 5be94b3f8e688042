//! What git knows about the plan repository: the commit a generated artefact comes from.
//!
//! Every printed card, handbook or pack carries the short commit id of its source and a dirty
//! marker when plan files differ from that commit, so a sheet found on a wall can be traced to
//! the exact text it was printed from (domain.md §2.3). git is optional: outside a repository,
//! on an unborn branch or when libgit2 cannot open it, [`Provenance::detect`] returns a value
//! that says so and everything else works unchanged. Only local repositories are read.

use git2::{Repository, StatusOptions};
use std::path::Path;

/// Where the sources of a run come from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Provenance {
    /// Full commit id of HEAD, if the directory is in a git repository with a commit.
    pub(crate) commit: Option<String>,
    /// Commit time of HEAD (seconds since the epoch).
    pub(crate) commit_time: Option<i64>,
    /// Plan files differ from HEAD (modified, added, deleted or untracked).
    pub(crate) dirty: bool,
    /// The clone is shallow: history-based features see only part of the history.
    pub(crate) shallow: bool,
    /// Why there is no commit, for a one-line note (not a git repository, unborn branch …).
    pub(crate) note: Option<crate::diag::Text>,
}

/// File endings that make up a plan repository (documents, registries, config).
const SOURCE_ENDINGS: &[&str] = &[".md", ".yaml", ".yml", ".toml"];
/// Generated or tool folders whose changes do not make the sources dirty.
const GENERATED_DIRS: &[&str] = &["out/", "target/", "node_modules/", ".yuan-cache/"];

impl Provenance {
    /// Inspects the git repository containing `root`, if any.
    pub(crate) fn detect(root: &Path) -> Provenance {
        let repo = match Repository::discover(root) {
            Ok(r) => r,
            Err(_) => {
                return Provenance {
                    note: Some(crate::diag::Text::new(
                        "不是 git 仓库",
                        "not a git repository",
                    )),
                    ..Provenance::default()
                }
            }
        };
        let shallow = repo.is_shallow();
        let head = match repo.head().and_then(|h| h.peel_to_commit()) {
            Ok(c) => c,
            Err(_) => {
                return Provenance {
                    shallow,
                    dirty: true,
                    note: Some(crate::diag::Text::new(
                        "git 仓库还没有提交",
                        "the repository has no commit yet",
                    )),
                    ..Provenance::default()
                }
            }
        };
        let dirty = is_dirty(&repo, root).unwrap_or(true);
        Provenance {
            commit: Some(head.id().to_string()),
            commit_time: Some(head.time().seconds()),
            dirty,
            shallow,
            note: None,
        }
    }

    /// `1a2b3c4` or `1a2b3c4+dirty`; `uncommitted` outside git.
    pub(crate) fn label(&self) -> String {
        match &self.commit {
            Some(c) => {
                let short = c.get(..7).unwrap_or(c);
                if self.dirty {
                    format!("{short}+dirty")
                } else {
                    short.to_string()
                }
            }
            None => "uncommitted".into(),
        }
    }

    /// The timestamp generated files carry: `fixed` (`SOURCE_DATE_EPOCH`, which the command
    /// line reads) if given, else the commit time, else 0. Never the clock, so the same input
    /// gives the same bytes.
    pub(crate) fn source_epoch(&self, fixed: Option<i64>) -> i64 {
        fixed.or(self.commit_time).unwrap_or(0)
    }
}

/// Where `root` lies inside the working tree `workdir`, `/`-separated (`""` at the top).
pub(crate) fn root_prefix(workdir: &Path, root: &Path) -> String {
    let workdir = workdir
        .canonicalize()
        .unwrap_or_else(|_| workdir.to_path_buf());
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    root.strip_prefix(&workdir)
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
        .unwrap_or_default()
}

/// The top of the git working tree that holds `root`, and where `root` lies inside it
/// ([`root_prefix`]); `None` outside git or in a bare repository. (Reports that others read
/// against the repository, SARIF, give paths from the top.)
pub(crate) fn work_tree(root: &Path) -> Option<(std::path::PathBuf, String)> {
    let repo = Repository::discover(root).ok()?;
    let workdir = repo.workdir()?;
    let top = workdir
        .canonicalize()
        .unwrap_or_else(|_| workdir.to_path_buf());
    let prefix = root_prefix(workdir, root);
    Some((top, prefix))
}

/// `path` (relative to the work tree, `/`-separated) relative to the plan root given by its
/// [`root_prefix`]; `None` when it lies outside the root.
pub(crate) fn under_root<'a>(path: &'a str, prefix: &str) -> Option<&'a str> {
    if prefix.is_empty() {
        Some(path)
    } else {
        path.strip_prefix(prefix).and_then(|r| r.strip_prefix('/'))
    }
}

/// Whether any plan file under `root` differs from HEAD (index, working tree or untracked).
fn is_dirty(repo: &Repository, root: &Path) -> Result<bool, git2::Error> {
    let Some(workdir) = repo.workdir() else {
        return Ok(false); // a bare repository has no working tree to differ
    };
    let prefix = root_prefix(workdir, root);
    let mut opts = StatusOptions::new();
    opts.include_untracked(true)
        .recurse_untracked_dirs(true)
        .include_ignored(false)
        .exclude_submodules(true);
    if !prefix.is_empty() {
        opts.pathspec(&prefix);
    }
    let statuses = repo.statuses(Some(&mut opts))?;
    Ok(statuses.iter().any(|s| {
        let Ok(path) = s.path() else { return true };
        let Some(rel) = under_root(path, &prefix) else {
            return false;
        };
        SOURCE_ENDINGS.iter().any(|e| rel.ends_with(e))
            && !GENERATED_DIRS.iter().any(|d| rel.starts_with(d))
    }))
}

/// One commit that changed a document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Revision {
    pub(crate) commit: String,
    /// Seconds since the epoch and the author's UTC offset in minutes.
    pub(crate) time: i64,
    pub(crate) offset_minutes: i32,
    pub(crate) author: String,
    /// First line of the message.
    pub(crate) summary: String,
    /// The document's path in that commit, relative to the plan root (changes at renames).
    pub(crate) path: String,
}

impl Revision {
    /// The author date in the author's time zone, `YYYY-MM-DD`.
    pub(crate) fn date(&self) -> String {
        chrono::FixedOffset::east_opt(self.offset_minutes * 60)
            .and_then(|tz| {
                chrono::DateTime::from_timestamp(self.time, 0).map(|t| t.with_timezone(&tz))
            })
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    }
}

/// The commits that changed one file, newest first.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct History {
    pub(crate) revisions: Vec<Revision>,
    /// The clone is shallow and the walk reached its edge: older changes are not known.
    pub(crate) truncated: bool,
}

/// The history of `rel` (a path relative to `root`), following renames along the first-parent
/// line from HEAD. `Ok(None)` outside a repository or before the first commit.
pub(crate) fn history(root: &Path, rel: &str) -> anyhow::Result<Option<History>> {
    let Ok(repo) = Repository::discover(root) else {
        return Ok(None);
    };
    let Some(workdir) = repo.workdir() else {
        return Ok(None);
    };
    let Ok(head) = repo.head().and_then(|h| h.peel_to_commit()) else {
        return Ok(None);
    };
    let prefix = root_prefix(workdir, root);
    let join = |p: &str| {
        if prefix.is_empty() {
            p.to_string()
        } else {
            format!("{prefix}/{p}")
        }
    };
    let strip = |p: &str| -> String {
        if prefix.is_empty() {
            p.to_string()
        } else {
            p.strip_prefix(&format!("{prefix}/"))
                .unwrap_or(p)
                .to_string()
        }
    };
    let blob_at = |tree: &git2::Tree, path: &str| -> Option<git2::Oid> {
        tree.get_path(Path::new(path)).ok().map(|e| e.id())
    };
    let mut cur = join(rel);
    let mut out = Vec::new();
    let mut truncated = false;
    let mut commit = head;
    loop {
        let tree = commit.tree()?;
        let Some(here) = blob_at(&tree, &cur) else {
            break; // the file does not exist on this line of history (yet)
        };
        let parent = if commit.parent_count() == 0 {
            None
        } else {
            match commit.parent(0) {
                Ok(p) => Some(p),
                Err(_) => {
                    // a shallow clone ends here: the parent object is not in the repository
                    truncated = true;
                    None
                }
            }
        };
        let record = |c: &git2::Commit, path: &str| Revision {
            commit: c.id().to_string(),
            time: c.author().when().seconds(),
            offset_minutes: c.author().when().offset_minutes(),
            author: String::from_utf8_lossy(c.author().name_bytes()).into_owned(),
            summary: c
                .summary()
                .into_iter()
                .flatten()
                .next()
                .unwrap_or("")
                .to_string(),
            path: strip(path),
        };
        let Some(parent) = parent else {
            // the commit that added the file, or, in a shallow clone, the oldest one we have
            out.push(record(&commit, &cur));
            if repo.is_shallow() {
                truncated = true;
            }
            break;
        };
        let ptree = parent.tree()?;
        match blob_at(&ptree, &cur) {
            Some(before) if before == here => {}
            Some(_) => out.push(record(&commit, &cur)),
            None => {
                out.push(record(&commit, &cur));
                // added here, or renamed from another path?
                let mut diff = repo.diff_tree_to_tree(Some(&ptree), Some(&tree), None)?;
                let mut find = git2::DiffFindOptions::new();
                find.renames(true);
                diff.find_similar(Some(&mut find))?;
                let renamed_from = diff.deltas().find_map(|d| {
                    let new = d.new_file().path()?.to_str()?;
                    (d.status() == git2::Delta::Renamed && new == cur)
                        .then(|| d.old_file().path()?.to_str().map(str::to_string))
                        .flatten()
                });
                match renamed_from {
                    Some(old) => cur = old,
                    None => break,
                }
            }
        }
        commit = parent;
    }
    Ok(Some(History {
        revisions: out,
        truncated,
    }))
}

/// The repository around `root`, its work tree and the tree of `rev`, for `--changed-since`.
fn rev_tree<'r>(
    repo: &'r Repository,
    root: &Path,
    rev: &str,
) -> anyhow::Result<(git2::Tree<'r>, String)> {
    let workdir = repo.workdir().ok_or_else(|| {
        crate::env_error!(
            "--changed-since 需要工作区（此仓库是裸仓库）",
            "--changed-since needs a working tree (this repository is bare)"
        )
    })?;
    let shallow = if repo.is_shallow() {
        crate::text!(
            "（浅克隆：请取得更多历史，如 `git fetch --deepen=50` 或 `fetch-depth: 0`）",
            " (this is a shallow clone: fetch more history, e.g. `git fetch --deepen=50` or `fetch-depth: 0`)"
        )
    } else {
        crate::text!("", "")
    };
    let tree = repo
        .revparse_single(rev)
        .and_then(|o| o.peel_to_tree())
        .map_err(|e| {
            let (why, hz, he) = (e.message(), &shallow.zh, &shallow.en);
            crate::env_error!(
                "找不到版本 `{rev}`{hz}：{why}",
                "cannot find revision `{rev}`{he}: {why}"
            )
        })?;
    Ok((tree, root_prefix(workdir, root)))
}

fn discover_for_changes(root: &Path) -> anyhow::Result<Repository> {
    Repository::discover(root).map_err(|_| {
        let root = root.display();
        crate::env_error!(
            "--changed-since 需要 git 仓库；{root} 不在仓库中",
            "--changed-since needs a git repository; {root} is not in one"
        )
    })
}

/// Files under `root` that differ between `rev` and the working tree (committed since,
/// staged, modified, deleted or untracked), as paths relative to `root`. This walks the
/// working tree itself; [`tree_files`] + [`changes`] compare with blob ids a run already has.
pub(crate) fn changed_since(
    root: &Path,
    rev: &str,
) -> anyhow::Result<std::collections::BTreeSet<String>> {
    let repo = discover_for_changes(root)?;
    let (tree, prefix) = rev_tree(&repo, root, rev)?;
    let mut opts = git2::DiffOptions::new();
    opts.include_untracked(true)
        .recurse_untracked_dirs(true)
        .ignore_submodules(true);
    if !prefix.is_empty() {
        opts.pathspec(&prefix);
    }
    let diff = repo.diff_tree_to_workdir_with_index(Some(&tree), Some(&mut opts))?;
    let mut out = std::collections::BTreeSet::new();
    for d in diff.deltas() {
        for f in [d.old_file(), d.new_file()] {
            let Some(p) = f.path().and_then(|p| p.to_str()) else {
                continue;
            };
            if let Some(r) = under_root(p, &prefix) {
                out.insert(r.to_string());
            }
        }
    }
    Ok(out)
}

/// The files under `root` in the tree of `rev` that `keep` selects (by path relative to
/// `root`), with their blob ids. Reads only git objects, so it runs beside the load.
pub(crate) fn tree_files(
    root: &Path,
    rev: &str,
    keep: impl Fn(&str) -> bool,
) -> anyhow::Result<Vec<(String, crate::source::blob::BlobId)>> {
    let repo = discover_for_changes(root)?;
    let (tree, prefix) = rev_tree(&repo, root, rev)?;
    let sub;
    let tree = if prefix.is_empty() {
        &tree
    } else {
        match tree.get_path(Path::new(&prefix)) {
            Ok(e) => match e.to_object(&repo).and_then(|o| o.peel_to_tree()) {
                Ok(t) => {
                    sub = t;
                    &sub
                }
                Err(_) => return Ok(Default::default()),
            },
            // the plan folder did not exist at `rev`
            Err(_) => return Ok(Default::default()),
        }
    };
    let mut out = Vec::new();
    tree.walk(git2::TreeWalkMode::PreOrder, |dir, e| {
        // blobs only: subtrees are walked into, gitlinks (submodules) and symlinks skipped
        if e.kind() != Some(git2::ObjectType::Blob) || e.filemode() & 0o170000 != 0o100000 {
            return git2::TreeWalkResult::Ok;
        }
        let Ok(name) = e.name() else {
            return git2::TreeWalkResult::Ok;
        };
        let rel = format!("{dir}{name}");
        if keep(&rel) {
            if let Ok(id) = e.id().as_bytes().try_into() {
                out.push((rel, id));
            }
        }
        git2::TreeWalkResult::Ok
    })?;
    // git orders a tree's entries as if folder names ended in `/`: sorted plainly here
    out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// The files that changed since a revision whose files are `then` ([`tree_files`], sorted by
/// path): those of
/// `now` (every file a run read, with its blob id if known) whose blob id differs (or is
/// unknown) and those of `then` that are gone from `root`. A file of `then` that is still there
/// but was not read (excluded since) is not a change to the plans.
pub(crate) fn changes(
    root: &Path,
    then: &[(String, crate::source::blob::BlobId)],
    now: &[(String, Option<crate::source::blob::BlobId>)],
) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    let mut still_read = vec![false; then.len()];
    for (rel, id) in now {
        let before = match then.binary_search_by(|(p, _)| p.as_str().cmp(rel)) {
            Ok(i) => {
                still_read[i] = true;
                Some(then[i].1)
            }
            Err(_) => None,
        };
        if id.is_none() || before != *id {
            out.insert(rel.clone());
        }
    }
    for ((rel, _), read) in then.iter().zip(still_read) {
        if !read && !crate::source::is_present(root, rel) {
            out.insert(rel.clone());
        }
    }
    out
}

/// The files of [`changed_since`] that are changes to the plans, as [`changes`] counts them:
/// files yuan reads (`read`: every file of the run) or could read and that are gone, and
/// `yuan.toml`; not a README, an image or a file still there but excluded.
pub(crate) fn plan_changes(
    root: &Path,
    all: std::collections::BTreeSet<String>,
    read: &[(String, Option<crate::source::blob::BlobId>)],
) -> std::collections::BTreeSet<String> {
    let read: std::collections::HashSet<&str> = read.iter().map(|(p, _)| p.as_str()).collect();
    all.into_iter()
        .filter(|p| {
            crate::source::maybe_source(p)
                && (p == "yuan.toml" || read.contains(p.as_str()) || !root.join(p).exists())
        })
        .collect()
}

/// The plan repository as the next commit would record it: the files of the git index (the
/// staging area) under `root`, and which of them differ from HEAD.
#[derive(Debug, Default)]
pub(crate) struct Staged {
    /// Every regular file of the index under `root` (path relative to `root`, `/`-separated):
    /// the staged bytes of the files yuan reads ([`crate::source::maybe_source`]); other files
    /// (images, attachments that plans link to) are there so links to them resolve, without
    /// their bytes, which no check reads.
    pub(crate) files: Vec<(String, Vec<u8>)>,
    /// The paths (relative to `root`) that the commit adds, changes or deletes: index against
    /// HEAD (every staged file on an unborn branch).
    pub(crate) changed: std::collections::BTreeSet<String>,
}

/// The staged content of the plan repository at `root` ([`Staged`]), read from the index and
/// the object store as `git commit` will record it: what is fixed only in the working file,
/// or broken only there, does not count. Pre-commit hooks check this (as lint-staged and
/// pre-commit do by stashing the rest).
pub(crate) fn staged(root: &Path) -> anyhow::Result<Staged> {
    let repo = Repository::discover(root).map_err(|_| {
        let root = root.display();
        crate::env_error!(
            "--staged 需要 git 仓库；{root} 不在仓库中",
            "--staged needs a git repository; {root} is not in one"
        )
    })?;
    let Some(workdir) = repo.workdir() else {
        return Err(crate::env_error!(
            "裸仓库没有暂存区",
            "a bare repository has no staging area"
        ));
    };
    let prefix = root_prefix(workdir, root);
    let index = repo.index()?;
    let mut out = Staged::default();
    for e in index.iter() {
        // regular files at stage 0; a conflicted path (stages 1-3) cannot be committed anyway,
        // gitlinks (submodules) and symlinks are not plan files
        let stage = (e.flags >> 12) & 0x3;
        if stage != 0 || e.mode & 0o170000 != 0o100000 {
            continue;
        }
        let Ok(path) = std::str::from_utf8(&e.path) else {
            continue;
        };
        let Some(rel) = under_root(path, &prefix) else {
            continue;
        };
        let bytes = if crate::source::maybe_source(rel) {
            repo.find_blob(e.id)?.content().to_vec()
        } else {
            Vec::new()
        };
        out.files.push((rel.to_string(), bytes));
    }
    let head = repo.head().and_then(|h| h.peel_to_tree()).ok();
    let mut opts = git2::DiffOptions::new();
    opts.ignore_submodules(true);
    if !prefix.is_empty() {
        opts.pathspec(&prefix);
    }
    let diff = repo.diff_tree_to_index(head.as_ref(), Some(&index), Some(&mut opts))?;
    for d in diff.deltas() {
        for f in [d.old_file(), d.new_file()] {
            let Some(p) = f.path().and_then(|p| p.to_str()) else {
                continue;
            };
            if let Some(r) = under_root(p, &prefix) {
                out.changed.insert(r.to_string());
            }
        }
    }
    Ok(out)
}

/// One version of a file in recent history: its path relative to the plan root, the newest
/// commit of those walked that has it (full id and commit time), and its text.
#[derive(Debug, Clone)]
pub(crate) struct PastFile {
    pub(crate) path: String,
    pub(crate) commit: String,
    pub(crate) time: i64,
    pub(crate) text: String,
}

/// How far [`past_versions`] looks: the commits walked from HEAD, and the bytes of past file
/// versions read in all.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PastBounds {
    pub(crate) commits: usize,
    pub(crate) bytes: u64,
}

/// The distinct versions of the YAML files under `folder` (relative to `root`; `""`: all of
/// the root) in the last `bounds.commits` commits of the first-parent line from HEAD (a merged
/// branch counts as its merge), newest first; empty outside git,
/// before the first commit, or past a shallow clone's edge. Cheap on a long history: a commit
/// whose folder is the same tree as one already seen costs one lookup, and each file version
/// is read once, until `bounds.bytes` are read.
///
/// `current` gives the blob id of a file (by its path relative to `root`) as it is now, where
/// known: a version with that id is the file as it is, and is left out unread (a registry that
/// never changed costs no blob read).
pub(crate) fn past_versions(
    root: &Path,
    folder: &str,
    bounds: PastBounds,
    current: &dyn Fn(&str) -> Option<crate::source::blob::BlobId>,
) -> Vec<PastFile> {
    let Ok(repo) = Repository::discover(root) else {
        return Vec::new();
    };
    let Some(workdir) = repo.workdir() else {
        return Vec::new();
    };
    let prefix = root_prefix(workdir, root);
    let folder = folder.trim_matches('/');
    let top = [prefix.as_str(), folder]
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("/");
    let Ok(mut walk) = repo.revwalk() else {
        return Vec::new();
    };
    // the first-parent line from HEAD, child before parent: no sorting, so nothing is walked
    // before it is needed (a sorted walk reads the whole history first)
    if walk.push_head().is_err() || walk.simplify_first_parent().is_err() {
        return Vec::new();
    }
    let mut trees_seen = std::collections::HashSet::new();
    let mut blobs_seen = std::collections::HashSet::new();
    let mut budget = bounds.bytes;
    let mut out = Vec::new();
    // a shallow clone's missing parents end the walk with an error item: stop there
    for oid in walk.take(bounds.commits).map_while(Result::ok) {
        let Ok(commit) = repo.find_commit(oid) else {
            break;
        };
        let Ok(tree) = commit.tree() else { continue };
        let sub = if top.is_empty() {
            tree
        } else {
            match tree
                .get_path(Path::new(&top))
                .and_then(|e| e.to_object(&repo))
                .and_then(|o| o.peel_to_tree())
            {
                Ok(t) => t,
                Err(_) => continue,
            }
        };
        if !trees_seen.insert(sub.id()) {
            continue;
        }
        let mut found: Vec<(String, git2::Oid)> = Vec::new();
        let _ = sub.walk(git2::TreeWalkMode::PreOrder, |dir, e| {
            // a folder seen in an earlier commit holds nothing new (with `[files] registry =
            // ""` the walk is the whole repository: each version of a folder is walked once)
            if e.kind() == Some(git2::ObjectType::Tree) {
                return if trees_seen.insert(e.id()) {
                    git2::TreeWalkResult::Ok
                } else {
                    git2::TreeWalkResult::Skip
                };
            }
            let name = e.name().unwrap_or("");
            let yaml = name.ends_with(".yaml") || name.ends_with(".yml");
            if e.kind() == Some(git2::ObjectType::Blob) && e.filemode() != 0o120000 && yaml {
                found.push((format!("{dir}{name}"), e.id()));
            }
            git2::TreeWalkResult::Ok
        });
        for (path, id) in found {
            if !blobs_seen.insert(id) {
                continue;
            }
            let path = if folder.is_empty() {
                path
            } else {
                format!("{folder}/{path}")
            };
            if current(&path).is_some_and(|now| now == id.as_bytes()) {
                continue;
            }
            let Ok(blob) = repo.find_blob(id) else {
                continue;
            };
            let size = blob.size() as u64;
            if size > crate::source::reader::REREAD_CAP || size > budget {
                continue;
            }
            budget -= size;
            out.push(PastFile {
                path,
                commit: commit.id().to_string(),
                time: commit.time().seconds(),
                text: String::from_utf8_lossy(blob.content()).into_owned(),
            });
        }
    }
    out
}

/// Why the text of a file at a recorded commit cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unavailable {
    /// The repository is not in git (or has no commit): history-based features are off.
    NotGit,
    /// The commit is not in this shallow clone: history is truncated.
    Shallow,
    /// No such commit in the repository (a rebase or a typo).
    UnknownCommit,
    /// The commit exists but the file was not in it (at its path or an earlier name).
    NotInCommit,
}

impl Unavailable {
    /// Why, in both languages, for a diagnostic.
    pub(crate) fn text(self) -> crate::diag::Text {
        use crate::diag::Text;
        match self {
            Unavailable::NotGit => Text::new(
                "不是 git 仓库，基于历史的功能已关闭",
                "not a git repository, so history-based features are off",
            ),
            Unavailable::Shallow => Text::new(
                "浅克隆，历史不完整，不含所记录的提交（git fetch --unshallow 可取得完整历史）",
                "shallow clone: history is truncated and lacks the recorded commit (git fetch --unshallow gets the rest)",
            ),
            Unavailable::UnknownCommit => Text::new(
                "仓库中没有所记录的提交（可能被变基改写）",
                "the recorded commit is not in the repository (rewritten by a rebase?)",
            ),
            Unavailable::NotInCommit => Text::new(
                "所记录的提交中没有该文件",
                "the file is not in the recorded commit",
            ),
        }
    }
}

/// The text of `rel` (a path relative to `root`) at `commit` (full or abbreviated id). When
/// the file was renamed since, its earlier path (following renames from HEAD) is tried too.
pub(crate) fn text_at(root: &Path, rel: &str, commit: &str) -> Result<String, Unavailable> {
    let repo = Repository::discover(root).map_err(|_| Unavailable::NotGit)?;
    let workdir = repo.workdir().ok_or(Unavailable::NotGit)?;
    let prefix = root_prefix(workdir, root);
    let found = repo
        .revparse_single(commit)
        .and_then(|o| o.peel_to_commit())
        .and_then(|c| c.tree());
    let tree = match found {
        Ok(t) => t,
        Err(_) if repo.is_shallow() => return Err(Unavailable::Shallow),
        Err(_) => return Err(Unavailable::UnknownCommit),
    };
    let mut paths = vec![rel.to_string()];
    if let Ok(Some(h)) = history(root, rel) {
        for r in h.revisions {
            if !paths.contains(&r.path) {
                paths.push(r.path);
            }
        }
    }
    for p in paths {
        let full = if prefix.is_empty() {
            p
        } else {
            format!("{prefix}/{p}")
        };
        // a symlink blob is a link, not the file's text; a blob over the re-read cap is not
        // loaded (its size comes from the object header)
        let blob = tree
            .get_path(Path::new(&full))
            .ok()
            .filter(|e| e.filemode() != 0o120000)
            .filter(|e| {
                repo.odb()
                    .and_then(|db| db.read_header(e.id()))
                    .is_ok_and(|(size, _)| size as u64 <= crate::source::reader::REREAD_CAP)
            })
            .ok_or_else(|| git2::Error::from_str("not a regular blob"))
            .and_then(|e| e.to_object(&repo))
            .and_then(|o| o.peel_to_blob());
        if let Ok(b) = blob {
            return Ok(String::from_utf8_lossy(b.content()).into_owned());
        }
    }
    Err(Unavailable::NotInCommit)
}

/// The full id of the last commit that changed `rel` (following renames from HEAD): `Ok(None)`
/// when the file was never committed, `Err(NotGit)` outside git or before the first commit.
pub(crate) fn last_change(root: &Path, rel: &str) -> Result<Option<String>, Unavailable> {
    match history(root, rel) {
        Ok(Some(h)) => Ok(h.revisions.into_iter().next().map(|r| r.commit)),
        _ => Err(Unavailable::NotGit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit_all(repo: &Repository, msg: &str) {
        let mut index = repo.index().expect("index");
        index
            .add_all(["*"].iter(), git2::IndexAddOption::DEFAULT, None)
            .expect("add");
        index.write().expect("write index");
        let tree_id = index.write_tree().expect("tree");
        let tree = repo.find_tree(tree_id).expect("find tree");
        let sig = git2::Signature::new("t", "t@example.org", &git2::Time::new(1_700_000_000, 480))
            .expect("sig");
        let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        repo.commit(Some("HEAD"), &sig, &sig, msg, &tree, &parents)
            .expect("commit");
    }

    #[test]
    fn past_versions_of_a_folder_are_read_once_each_newest_first_and_bounded() {
        let dir = tempfile::tempdir().expect("tempdir");
        let plans = dir.path().join("plans");
        std::fs::create_dir_all(plans.join("registry/sub")).expect("mkdir");
        let reg = plans.join("registry/sub/r.yaml");
        let none = past_versions(
            &plans,
            "registry",
            PastBounds {
                commits: 10,
                bytes: 1 << 20,
            },
            &|_| None,
        );
        assert!(none.is_empty(), "outside git");
        let repo = Repository::init(dir.path()).expect("init");
        std::fs::write(&reg, "a: 1\n").expect("write");
        std::fs::write(plans.join("registry/notes.txt"), "x").expect("write");
        commit_all(&repo, "one");
        std::fs::write(&reg, "a: 2\n").expect("write");
        commit_all(&repo, "two");
        std::fs::write(plans.join("plan.md"), "x").expect("write");
        commit_all(&repo, "unrelated");
        let all = past_versions(
            &plans,
            "registry",
            PastBounds {
                commits: 10,
                bytes: 1 << 20,
            },
            &|_| None,
        );
        let texts: Vec<(&str, &str)> = all
            .iter()
            .map(|p| (p.path.as_str(), p.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            [
                ("registry/sub/r.yaml", "a: 2\n"),
                ("registry/sub/r.yaml", "a: 1\n")
            ]
        );
        let head = repo
            .head()
            .expect("head")
            .peel_to_commit()
            .expect("commit")
            .id();
        assert_eq!(
            all[0].commit,
            head.to_string(),
            "the newest commit that has it"
        );
        // the file as it is now (its blob id known) is not read again
        let now = git2::Oid::hash_object(git2::ObjectType::Blob, b"a: 2\n").expect("hash");
        let known = |p: &str| {
            (p == "registry/sub/r.yaml").then(|| {
                let mut id = [0u8; 20];
                id.copy_from_slice(now.as_bytes());
                id
            })
        };
        let older = past_versions(
            &plans,
            "registry",
            PastBounds {
                commits: 10,
                bytes: 1 << 20,
            },
            &known,
        );
        let texts: Vec<&str> = older.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["a: 1\n"]);
        let everywhere = past_versions(
            &plans,
            "",
            PastBounds {
                commits: 10,
                bytes: 1 << 20,
            },
            &|_| None,
        );
        assert_eq!(
            everywhere.len(),
            2,
            "the whole root: the same two versions, each once"
        );
        assert_eq!(everywhere[0].path, "registry/sub/r.yaml");
        let two = past_versions(
            &plans,
            "registry",
            PastBounds {
                commits: 2,
                bytes: 1 << 20,
            },
            &|_| None,
        );
        assert_eq!(two.len(), 1, "the last two commits have one version");
        let small = past_versions(
            &plans,
            "registry",
            PastBounds {
                commits: 10,
                bytes: 5,
            },
            &|_| None,
        );
        assert_eq!(small.len(), 1, "the byte budget stops reading");
    }

    #[test]
    fn outside_git_there_is_no_commit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = Provenance::detect(dir.path());
        // the temporary directory may sit inside some repository on a developer machine
        if p.commit.is_none() {
            assert_eq!(p.label(), "uncommitted");
            assert!(p.note.is_some());
        }
    }

    #[test]
    fn clean_then_dirty_then_generated_output_ignored() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = Repository::init(dir.path()).expect("init");
        std::fs::write(dir.path().join("a.md"), "---\nid: a\n---\n").expect("write");
        commit_all(&repo, "first");
        let p = Provenance::detect(dir.path());
        assert_eq!(p.commit_time, Some(1_700_000_000));
        assert!(!p.dirty, "{p:?}");
        assert_eq!(p.label().len(), 7);
        std::fs::create_dir_all(dir.path().join("out/cards")).expect("mkdir");
        std::fs::write(dir.path().join("out/cards/x.md"), "generated").expect("write");
        assert!(!Provenance::detect(dir.path()).dirty);
        std::fs::write(dir.path().join("a.md"), "---\nid: a\ntitle: b\n---\n").expect("write");
        let p = Provenance::detect(dir.path());
        assert!(p.dirty);
        assert!(p.label().ends_with("+dirty"));
    }

    #[test]
    fn unborn_branch_does_not_fail() {
        let dir = tempfile::tempdir().expect("tempdir");
        Repository::init(dir.path()).expect("init");
        let p = Provenance::detect(dir.path());
        assert!(p.commit.is_none());
        assert_eq!(p.label(), "uncommitted");
    }
}
