//! The two sides of a review: which revisions, and the plan files of each.
//!
//! A side is a commit's tree (read with git2, blob by blob) or the working tree (read from disk
//! by the source walker, so `.gitignore`, `[files] exclude` and `out/` apply as in `yuan check`).
//! Files are listed with their git blob ids (working-tree files are hashed the way git hashes
//! them), so unchanged files are recognised without being parsed.

use crate::config::Config;
use crate::diag::error::Context as _;
use crate::diag::Text;
use crate::source::reader::REREAD_CAP;
use crate::source::{self, FileClass};
use crate::{env_error, text};
use git2::{ObjectType, Oid, Repository};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Branches tried, in order, for the default range.
pub(crate) const MAIN_BRANCHES: &[&str] = &[
    "main",
    "master",
    "origin/main",
    "origin/master",
    "origin/HEAD",
];

/// One side of the range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Side {
    /// The tree of a commit.
    Commit(Oid),
    /// Nothing (the old side of an unborn branch).
    Empty,
    /// Files on disk.
    WorkTree,
}

/// A side and how the user named it.
#[derive(Debug, Clone)]
pub(crate) struct End {
    pub(crate) side: Side,
    /// How the revision was named (`main`, `HEAD~2`, `merge-base of HEAD and main`, `working tree`).
    pub(crate) name: Text,
}

impl End {
    pub(crate) fn commit(&self) -> Option<String> {
        match self.side {
            Side::Commit(c) => Some(c.to_string()),
            _ => None,
        }
    }
}

/// The resolved range, with notes about fallbacks (no main branch, shallow clone, unborn branch).
pub(crate) struct Range {
    pub(crate) from: End,
    pub(crate) to: End,
    pub(crate) notes: Vec<Text>,
}

/// A plan file of one side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileInfo {
    pub(crate) class: FileClass,
    pub(crate) oid: Oid,
}

/// The repository containing the plan root, and where the root lies in it.
pub(crate) struct Repo {
    pub(crate) repo: Repository,
    /// The plan root on disk.
    pub(crate) root: PathBuf,
    /// The root's path inside the repository (`""` at the top, else `plans` …).
    pub(crate) prefix: String,
    pub(crate) shallow: bool,
    /// The repository boundary the working tree's files are read through.
    pub(crate) reader: crate::source::Reader,
}

fn short(oid: Oid) -> String {
    oid.to_string().chars().take(7).collect()
}

impl Repo {
    pub(crate) fn open(root: &Path) -> anyhow::Result<Repo> {
        let shown = root.display();
        let repo = Repository::discover(root).map_err(|_| {
            env_error!(
                "yuan diff 需要 git 仓库；{shown} 不在仓库中",
                "yuan diff needs a git repository; {shown} is not in one"
            )
        })?;
        let workdir = repo.workdir().ok_or_else(|| {
            env_error!(
                "yuan diff 需要工作区（此仓库是裸仓库）",
                "yuan diff needs a working tree (this repository is bare)"
            )
        })?;
        let prefix = crate::git::root_prefix(workdir, root);
        let shallow = repo.is_shallow();
        let reader = crate::source::Reader::new(root)
            .context_text(|| text!("无法打开 {shown}", "cannot open {shown}"))?;
        Ok(Repo {
            repo,
            root: root.to_path_buf(),
            prefix,
            shallow,
            reader,
        })
    }

    fn commit_of(&self, rev: &str) -> anyhow::Result<Oid> {
        let hint = if self.shallow {
            text!(
                "（浅克隆：请取得更多历史，如 git fetch --deepen=50 或 fetch-depth: 0）",
                " (shallow clone: fetch more history, e.g. `git fetch --deepen=50` or `fetch-depth: 0`)"
            )
        } else {
            text!("", "")
        };
        self.repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map(|c| c.id())
            .map_err(|e| {
                let (why, hz, he) = (e.message(), &hint.zh, &hint.en);
                env_error!(
                    "找不到版本 `{rev}`{hz}：{why}",
                    "cannot find revision `{rev}`{he}: {why}"
                )
            })
    }

    fn head(&self) -> Option<Oid> {
        self.repo
            .head()
            .and_then(|h| h.peel_to_commit())
            .map(|c| c.id())
            .ok()
    }

    /// Resolves `REV1..REV2`, `REV1..`, `REV1...REV2`, `REV` (= `REV..`), or, without a range,
    /// the merge-base of HEAD and the main branch .. the working tree.
    pub(crate) fn range(&self, spec: Option<&str>) -> anyhow::Result<Range> {
        let work = End {
            side: Side::WorkTree,
            name: Text::new("工作区", "working tree"),
        };
        let named = |rev: &str| -> anyhow::Result<End> {
            Ok(End {
                side: Side::Commit(self.commit_of(rev)?),
                name: Text::new(rev, rev),
            })
        };
        let or_head = |s: &str| {
            if s.is_empty() {
                "HEAD".to_string()
            } else {
                s.to_string()
            }
        };
        let Some(spec) = spec.map(str::trim).filter(|s| !s.is_empty()) else {
            return self.default_range(work);
        };
        if let Some((a, b)) = spec.split_once("...") {
            let (a, b) = (or_head(a), or_head(b));
            let (ca, cb) = (self.commit_of(&a)?, self.commit_of(&b)?);
            let base = self.repo.merge_base(ca, cb).map_err(|e| {
                let why = e.message();
                let (hz, he) = if self.shallow {
                    ("（浅克隆）", " (shallow clone)")
                } else {
                    ("", "")
                };
                env_error!(
                    "`{a}` 与 `{b}` 没有共同祖先{hz}：{why}",
                    "`{a}` and `{b}` have no merge-base{he}: {why}"
                )
            })?;
            return Ok(Range {
                from: End {
                    side: Side::Commit(base),
                    name: text!("{a} 与 {b} 的共同祖先", "merge-base of {a} and {b}"),
                },
                to: named(&b)?,
                notes: Vec::new(),
            });
        }
        if let Some((a, b)) = spec.split_once("..") {
            let from = named(&or_head(a))?;
            let to = if b.is_empty() { work } else { named(b)? };
            return Ok(Range {
                from,
                to,
                notes: Vec::new(),
            });
        }
        Ok(Range {
            from: named(spec)?,
            to: work,
            notes: Vec::new(),
        })
    }

    fn default_range(&self, work: End) -> anyhow::Result<Range> {
        let mut notes = Vec::new();
        let Some(head) = self.head() else {
            notes.push(Text::new(
                "仓库还没有提交：所有文档都按新增列出",
                "the repository has no commit yet: every document is listed as added",
            ));
            return Ok(Range {
                from: End {
                    side: Side::Empty,
                    name: Text::new("（空）", "(empty)"),
                },
                to: work,
                notes,
            });
        };
        let head_end = |notes: &mut Vec<Text>, why: Text| {
            notes.push(why);
            End {
                side: Side::Commit(head),
                name: Text::new("HEAD", "HEAD"),
            }
        };
        let main = MAIN_BRANCHES
            .iter()
            .find_map(|b| self.commit_of(b).ok().map(|c| (*b, c)));
        let from = match main {
            None => {
                let list = MAIN_BRANCHES.join(", ");
                head_end(
                    &mut notes,
                    text!(
                        "找不到主分支（{list}）：比较 HEAD 与工作区；要比较分支请写 yuan diff REV1..REV2",
                        "no main branch found ({list}): comparing HEAD with the working tree; name a range with yuan diff REV1..REV2"
                    ),
                )
            }
            Some((branch, tip)) => match self.repo.merge_base(head, tip) {
                Ok(base) => {
                    let s = short(base);
                    End {
                        side: Side::Commit(base),
                        name: text!(
                            "{s}（HEAD 与 {branch} 的共同祖先）",
                            "{s} (merge-base of HEAD and {branch})"
                        ),
                    }
                }
                Err(_) if self.shallow => head_end(
                    &mut notes,
                    text!(
                        "浅克隆：找不到 HEAD 与 {branch} 的共同祖先，只比较 HEAD 与工作区；请取得更多历史（git fetch --deepen=50，或 CI 中 fetch-depth: 0）",
                        "shallow clone: the merge-base of HEAD and {branch} is not in the history fetched, so only HEAD is compared with the working tree; fetch more history (git fetch --deepen=50, or fetch-depth: 0 in CI)"
                    ),
                ),
                Err(_) => head_end(
                    &mut notes,
                    text!(
                        "HEAD 与 {branch} 没有共同祖先：比较 HEAD 与工作区",
                        "HEAD and {branch} have no common ancestor: comparing HEAD with the working tree"
                    ),
                ),
            },
        };
        Ok(Range {
            from,
            to: work,
            notes,
        })
    }

    /// The plan files of a side, by path relative to the root.
    pub(crate) fn files(
        &self,
        side: &Side,
        config: &Config,
    ) -> anyhow::Result<BTreeMap<String, FileInfo>> {
        match side {
            Side::Empty => Ok(BTreeMap::new()),
            Side::WorkTree => {
                let (files, _) = source::discover(&self.root, config);
                // an unreadable file is left out (yuan check reports it as F005)
                let reader = &self.reader;
                let hashed: Vec<Option<(String, FileInfo)>> = files
                    .par_iter()
                    .map(|f| {
                        let bytes = reader
                            .read(Path::new(&f.rel), config.check.max_file_bytes)
                            .ok()?;
                        let oid = Oid::hash_object(ObjectType::Blob, &bytes).ok()?;
                        Some((
                            f.rel.clone(),
                            FileInfo {
                                class: f.class,
                                oid,
                            },
                        ))
                    })
                    .collect();
                Ok(hashed.into_iter().flatten().collect())
            }
            Side::Commit(c) => {
                let commit = self.repo.find_commit(*c)?;
                let mut tree = commit.tree()?;
                if !self.prefix.is_empty() {
                    match tree.get_path(Path::new(&self.prefix)) {
                        Ok(e) => tree = self.repo.find_tree(e.id())?,
                        Err(_) => return Ok(BTreeMap::new()), // the plan folder did not exist yet
                    }
                }
                let (overrides, _) = source::skip_matcher(&self.root, config);
                let registry_dir = config.files.registry.clone();
                let mut out = BTreeMap::new();
                tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
                    // blobs only: no symlinks (mode 120000), no submodules (commits)
                    if entry.kind() != Some(ObjectType::Blob) || entry.filemode() == 0o120000 {
                        return git2::TreeWalkResult::Ok;
                    }
                    let Ok(name) = entry.name() else {
                        return git2::TreeWalkResult::Ok;
                    };
                    let rel = format!("{dir}{name}");
                    if source::is_skipped(&rel, &overrides) {
                        return git2::TreeWalkResult::Ok;
                    }
                    if let Some(class) = source::classify(&rel, &registry_dir) {
                        out.insert(
                            rel,
                            FileInfo {
                                class,
                                oid: entry.id(),
                            },
                        );
                    }
                    git2::TreeWalkResult::Ok
                })?;
                Ok(out)
            }
        }
    }

    /// The text of a file of a side (lossy UTF-8: a review shows what it can).
    pub(crate) fn read(&self, side: &Side, rel: &str, info: &FileInfo) -> anyhow::Result<String> {
        let bytes = match side {
            // through the repository boundary: a regular file inside it, capped
            Side::WorkTree => self
                .reader
                .read(Path::new(rel), REREAD_CAP)
                .map_err(|why| {
                    let Text { zh, en } = why.message();
                    env_error!("无法读取 {rel}：{zh}", "cannot read {rel}: {en}")
                })?,
            // symlink blobs never get here (see `files`); a blob's size is known before it is
            // read, so a huge one is refused without loading it
            Side::Commit(_) => {
                let (size, _) = self.repo.odb()?.read_header(info.oid)?;
                if size as u64 > REREAD_CAP {
                    return Err(env_error!(
                        "{rel} 在该版本中过大（{size} 字节，上限 {REREAD_CAP}）",
                        "{rel} is too large at that revision ({size} bytes; limit {REREAD_CAP})"
                    ));
                }
                self.repo.find_blob(info.oid)?.content().to_vec()
            }
            Side::Empty => {
                return Err(env_error!(
                    "空版本中没有文件 {rel}",
                    "no file {rel} in an empty tree"
                ))
            }
        };
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}
