//! The parse cache: what the parse stage made of a file, kept between runs and keyed by the
//! file's git blob id, so a repeated check of a large repository parses only what changed.
//!
//! - **Where**: `<root>/.yuan-cache/parse/<key>/NN.bin`. The folder is safe to delete; it holds
//!   its own `.gitignore` (`*`), so it never shows up in `git status` or `--changed-since`.
//!   The repository may come from someone else, so the folder is handled as untrusted
//!   (`cache::folder`): no link in it is followed, nothing is deleted that the cache did not make,
//!   and a folder that is not safe to use turns the cache off for the run, with a note.
//! - **Key of the folder**: a hash of yuan's version, the cache format, the running executable
//!   (size and modification time, so a rebuilt yuan never reads an older build's results), the
//!   embedded schemas and the settings the parse stage reads (`max_file_bytes`, `placeholders`,
//!   the registry folder). Any change gives a new folder; older folders are removed on write.
//! - **Key of an entry**: the file's path and its git blob id (SHA-1 of `blob <len>\0` + bytes),
//!   and for a document below a `_defaults.yaml` the digest of the defaults it inherited from
//!   (written before its record: a document's parse depends on them too).
//!   Like `git status`, a file whose stat data (size, times, inode) matches what was recorded
//!   with its entry is taken to have that entry's blob id without being read; entries that git
//!   would call racy (the file changed in the same instant the shard was written) are read and
//!   hashed again. A run with no cache yet takes blob ids from the git index the same way (the
//!   index is not read otherwise: it costs more than it saves once the cache has stat data).
//!   Files matching neither are read and hashed.
//! - **Files**: 64 shards by path hash, each one read with one `read`; a run rewrites only the
//!   shards whose entries changed. Shards are read, used and written back one at a time per
//!   thread ([`ParseCache::each`]), so no more shards than threads are in memory. Each shard has
//!   a magic, the key and a CRC-32 of its body; a truncated or corrupted shard is treated as
//!   empty and rebuilt. Writes go to a temporary file renamed into place, so concurrent runs
//!   never see half a shard. An entry is its path, blob id, stat data and record.
//! - **Values**: `postcard` records of [`Record`], front matter included (optional fields are
//!   written, not skipped: [`crate::model::record`]). The large parts of a document that rules over the
//!   whole repository do not read are records of their own inside it, decoded on first use
//!   ([`crate::model::lazy`]).

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::model::build::RegistryEntries;
use crate::model::{Document, YamlSource};
use crate::source::reader::Stamp;
use crate::source::{FileClass, SourceFile};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::Path;

mod folder;

pub(crate) use folder::Unsafe;

/// The folder of the cache, under the repository root.
pub const DIR: &str = folder::TOP;
/// Bumped whenever the layout of [`Record`] or of a shard changes.
const FORMAT: u32 = 7;
const SHARDS: usize = 64;
const MAGIC: &[u8; 8] = b"YUANPC1\n";
/// Magic, key (16 bytes), body length (8), CRC-32 of the body (4).
const HEADER: usize = 8 + 16 + 8 + 4;

pub(crate) use crate::source::blob::BlobId;

/// What the parse stage made of one readable file: the cached value.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Record {
    Doc(Option<Document>, Vec<Diagnostic>),
    Reg(Option<RegistryEntries>, YamlSource, Vec<Diagnostic>),
}

/// One shard as read from disk: its bytes and, sorted by path, where each entry's path and
/// record lie in them (looked up by binary search: no key is copied or hashed).
#[derive(Default)]
struct Shard {
    bytes: Vec<u8>,
    entries: Vec<ShardEntry>,
    /// When the shard file was written (its modification time): entries of files modified at
    /// or after that instant are "racy", as git calls it, and their stat data is not trusted.
    written: Option<Time>,
    /// Where the next lookup is expected.
    next: std::cell::Cell<usize>,
}

struct ShardEntry {
    path: std::ops::Range<usize>,
    id: BlobId,
    /// The file's stat data when it was read, if known.
    stat: Option<Stat>,
    record: std::ops::Range<usize>,
}

impl Shard {
    /// Reads a shard; anything unexpected (missing, truncated, corrupted, another key) gives
    /// an empty shard.
    fn read(folder: &folder::Folder, name: &str, key: &[u8; 16]) -> Shard {
        let Some(file) = folder.read(name) else {
            return Shard::default();
        };
        let mut shard = Shard::parse(file.bytes, key).unwrap_or_default();
        shard.written = file.mtime;
        shard
    }

    fn parse(bytes: Vec<u8>, key: &[u8; 16]) -> Option<Shard> {
        let head = bytes.get(..HEADER)?;
        if &head[..8] != MAGIC || &head[8..24] != key {
            return None;
        }
        let len = u64::from_le_bytes(head[24..32].try_into().ok()?) as usize;
        let crc = u32::from_le_bytes(head[32..36].try_into().ok()?);
        let body = bytes.get(HEADER..)?;
        if body.len() != len || crc32fast::hash(body) != crc {
            return None;
        }
        let mut entries = Vec::new();
        let mut at = HEADER;
        while at < bytes.len() {
            let take = |at: &mut usize, n: usize| -> Option<std::ops::Range<usize>> {
                let r = *at..at.checked_add(n)?;
                bytes.get(r.clone())?;
                *at = r.end;
                Some(r)
            };
            let n = u32::from_le_bytes(bytes[take(&mut at, 4)?].try_into().ok()?) as usize;
            let path = take(&mut at, n)?;
            std::str::from_utf8(&bytes[path.clone()]).ok()?;
            let id: BlobId = bytes[take(&mut at, 20)?].try_into().ok()?;
            let stat = Stat::decode(&bytes[take(&mut at, Stat::LEN)?]);
            let n = u32::from_le_bytes(bytes[take(&mut at, 4)?].try_into().ok()?) as usize;
            let record = take(&mut at, n)?;
            entries.push(ShardEntry {
                path,
                id,
                stat,
                record,
            });
        }
        // written in path order; sorted again only if another writer did not
        let key_of = |e: &ShardEntry| &bytes[e.path.clone()];
        if !entries.is_sorted_by(|a, b| key_of(a) < key_of(b)) {
            entries.sort_by(|a, b| key_of(a).cmp(key_of(b)));
            entries.dedup_by(|a, b| key_of(a) == key_of(b));
        }
        Some(Shard {
            bytes,
            entries,
            written: None,
            next: Default::default(),
        })
    }

    /// The blob id recorded for `rel` if the file's stat data `st` is the one recorded with it
    /// and the entry is not racy: the file is then taken to be unchanged without being read,
    /// as `git status` does with its index.
    fn trusted(&self, rel: &str, st: &Stat) -> Option<BlobId> {
        let e = self.entry(rel)?;
        let recorded = e.stat.as_ref()?;
        (recorded == st && self.written.is_some_and(|w| recorded.mtime < w)).then_some(e.id)
    }

    fn path(&self, e: &ShardEntry) -> &[u8] {
        &self.bytes[e.path.clone()]
    }

    /// The entry of `rel`. Files are looked up in path order, like the entries: the one after
    /// the last found is tried first, then a binary search.
    fn entry(&self, rel: &str) -> Option<&ShardEntry> {
        let next = self.next.get();
        let is = |i: usize| {
            self.entries
                .get(i)
                .is_some_and(|e| self.path(e) == rel.as_bytes())
        };
        // the same file is looked up more than once in a row (its stat data, then its record)
        let i = if is(next) {
            next
        } else if next > 0 && is(next - 1) {
            next - 1
        } else {
            self.entries
                .binary_search_by(|e| self.path(e).cmp(rel.as_bytes()))
                .ok()?
        };
        self.next.set(i + 1);
        Some(&self.entries[i])
    }

    fn record(&self, rel: &str, id: &BlobId) -> Option<&[u8]> {
        let e = self.entry(rel)?;
        (e.id == *id).then(|| &self.bytes[e.record.clone()])
    }
}

/// Stat data of a file as the git index recorded it, with the blob id it had then.
struct Staged {
    id: BlobId,
    mtime: Time,
    ctime: Time,
    size: u32,
    ino: u32,
}

/// What the git index says about the files under the root.
struct GitIndex {
    /// Sorted by path relative to the root.
    files: Vec<(String, Staged)>,
    /// When the index was written: entries changed at or after that instant are "racy".
    written: Time,
}

impl GitIndex {
    fn read(root: &Path) -> Option<GitIndex> {
        let repo = git2::Repository::discover(root).ok()?;
        let workdir = repo.workdir()?;
        let prefix = crate::git::root_prefix(workdir, root);
        let written = mtime(&std::fs::metadata(repo.path().join("index")).ok()?)?;
        let index = repo.index().ok()?;
        let mut files = Vec::with_capacity(index.len());
        for e in index.iter() {
            // conflicts, symlinks, gitlinks, assume-unchanged and skip-worktree entries: the
            // stat data does not describe the file's content
            let stage = (e.flags >> 12) & 0x3;
            let assume_valid = e.flags & 0x8000 != 0;
            let skip_worktree = e.flags_extended & 0x4000 != 0;
            if stage != 0 || assume_valid || skip_worktree || e.mode & 0o170000 != 0o100000 {
                continue;
            }
            let Ok(id) = e.id.as_bytes().try_into() else {
                continue;
            };
            let Ok(mut path) = String::from_utf8(e.path) else {
                continue;
            };
            if !prefix.is_empty() {
                let Some(rel) = crate::git::under_root(&path, &prefix) else {
                    continue;
                };
                path = rel.to_string();
            }
            files.push((
                path,
                Staged {
                    id,
                    mtime: (i64::from(e.mtime.seconds()), e.mtime.nanoseconds()),
                    ctime: (i64::from(e.ctime.seconds()), e.ctime.nanoseconds()),
                    size: e.file_size,
                    ino: e.ino,
                },
            ));
        }
        // the index is sorted by path (bytewise), and so is what is under one folder of it
        if !files.is_sorted_by(|a, b| a.0 < b.0) {
            files.sort_by(|a, b| a.0.cmp(&b.0));
        }
        Some(GitIndex { files, written })
    }

    /// The blob id of the file at `rel` if its stat data `st` matches the index (and the
    /// entry is not racy).
    fn blob_id(&self, rel: &str, st: &Stat) -> Option<BlobId> {
        let i = self
            .files
            .binary_search_by(|(p, _)| p.as_str().cmp(rel))
            .ok()?;
        let s = &self.files[i].1;
        // the index keeps 32 bits of each
        let same = s.mtime == (st.mtime.0 as i32 as i64, st.mtime.1)
            && s.ctime == (st.ctime.0 as i32 as i64, st.ctime.1)
            && s.size == st.size as u32
            && s.ino == st.ino as u32;
        (same && s.mtime < self.written).then_some(s.id)
    }
}

/// Seconds and nanoseconds.
type Time = (i64, u32);

/// What git compares to tell a file changed without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stat {
    mtime: Time,
    ctime: Time,
    size: u64,
    ino: u64,
}

impl Stat {
    /// The file's stamp as the load keeps it (see [`Stamp`]): the same
    /// size and modification time a read's `fstat` would give.
    fn stamp(&self) -> Stamp {
        Stamp::new(self.size, self.mtime.0, self.mtime.1)
    }

    /// Bytes of a stat field in a shard: a flag (0 unknown, 1 known), then the four values.
    const LEN: usize = 1 + 12 + 12 + 8 + 8;

    fn encode(st: Option<&Stat>, out: &mut Vec<u8>) {
        match st {
            Some(st) => {
                out.push(1);
                for (s, ns) in [st.mtime, st.ctime] {
                    out.extend_from_slice(&s.to_le_bytes());
                    out.extend_from_slice(&ns.to_le_bytes());
                }
                out.extend_from_slice(&st.size.to_le_bytes());
                out.extend_from_slice(&st.ino.to_le_bytes());
            }
            None => out.extend_from_slice(&[0; Stat::LEN]),
        }
    }

    fn decode(b: &[u8]) -> Option<Stat> {
        if b.len() != Stat::LEN || b[0] != 1 {
            return None;
        }
        let u64_at = |i: usize| b.get(i..i + 8)?.try_into().ok().map(u64::from_le_bytes);
        let u32_at = |i: usize| b.get(i..i + 4)?.try_into().ok().map(u32::from_le_bytes);
        Some(Stat {
            mtime: (u64_at(1)? as i64, u32_at(9)?),
            ctime: (u64_at(13)? as i64, u32_at(21)?),
            size: u64_at(25)?,
            ino: u64_at(33)?,
        })
    }
}

/// How long before a run a file must have been modified last for its stat data to be recorded.
/// File system clocks tick coarsely (a jiffy locally, up to seconds on network file systems).
const SETTLE_SECS: i64 = 2;

/// The modification time before which a file counts as settled in a run started at `now`.
fn settled_before(now: std::time::SystemTime) -> Time {
    let since = now
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    (since.as_secs() as i64 - SETTLE_SECS, since.subsec_nanos())
}

/// Modification time of a file.
#[cfg(unix)]
fn mtime(m: &std::fs::Metadata) -> Option<Time> {
    use std::os::unix::fs::MetadataExt as _;
    Some((m.mtime(), m.mtime_nsec() as u32))
}

/// Elsewhere the index's stat data is not compared: every file is read and hashed.
#[cfg(not(unix))]
fn mtime(_: &std::fs::Metadata) -> Option<Time> {
    None
}

/// The stat data of every file (`None` where it cannot be had), on all cores and folder by
/// folder: each folder is opened once and its files are looked up by name in it, so the
/// kernel does not walk the whole path of each of 100,000 files (a third of the cost).
#[cfg(unix)]
fn stat_all(files: &[SourceFile]) -> Vec<Option<Stat>> {
    use rustix::fs::{AtFlags, Mode, OFlags};
    let runs: Vec<&[SourceFile]> = files
        // compared as text: `Path`'s `==` parses both into components
        .chunk_by(|a, b| a.abs.parent().map(Path::as_os_str) == b.abs.parent().map(Path::as_os_str))
        .collect();
    #[allow(clippy::unnecessary_cast)] // the field types differ between platforms
    let stat = |st: rustix::fs::Stat| Stat {
        mtime: (st.st_mtime as i64, st.st_mtime_nsec as u32),
        ctime: (st.st_ctime as i64, st.st_ctime_nsec as u32),
        size: st.st_size as u64,
        ino: st.st_ino as u64,
    };
    runs.par_iter()
        .flat_map_iter(|run| {
            let dir = run[0].abs.parent().and_then(|d| {
                rustix::fs::open(
                    d,
                    OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
                    Mode::empty(),
                )
                .ok()
            });
            run.iter().map(move |f| {
                let name = f.abs.file_name()?;
                match &dir {
                    Some(d) => rustix::fs::statat(d, name, AtFlags::empty()).ok().map(stat),
                    None => rustix::fs::stat(&f.abs).ok().map(stat),
                }
            })
        })
        .collect()
}

#[cfg(not(unix))]
fn stat_all(files: &[SourceFile]) -> Vec<Option<Stat>> {
    files.iter().map(|_| None).collect()
}

/// An entry to write: path, blob id, stat data, record.
type Kept<'a> = (&'a str, &'a BlobId, Option<&'a Stat>, &'a [u8]);

/// What a run did with one file, for writing the cache back.
pub(crate) enum Outcome {
    /// Found in the cache.
    Hit,
    /// Parsed now: its blob id and record.
    Fresh(BlobId, Vec<u8>),
    /// Nothing to keep (unreadable file).
    None,
}

/// The cache of one repository, opened for one run.
pub(crate) struct ParseCache {
    folder: folder::Folder,
    key: [u8; 16],
    index: Option<GitIndex>,
    /// Files modified at or after this instant (shortly before the run began) get no stat
    /// data recorded ([`SETTLE_SECS`]).
    settled: Time,
}

/// One shard of the cache while its files are processed.
pub(crate) struct ShardView {
    shard: Shard,
}

impl ShardView {
    /// The cached parse of `f` if its content has blob id `id` and it was made with the shared
    /// front matter of digest `defaults` (`None`: none applied; see [`ParseCache::encode`]).
    pub(crate) fn get(
        &self,
        f: &SourceFile,
        id: &BlobId,
        defaults: Option<&BlobId>,
    ) -> Option<Record> {
        let record = self.shard.record(&f.rel, id)?;
        let record = match (record.split_first()?, defaults) {
            ((0, rest), None) => rest,
            ((1, rest), Some(want)) if rest.get(..20)? == want.as_slice() => &rest[20..],
            _ => return None,
        };
        let entry: Record = postcard::from_bytes(record).ok()?;
        // the file's own path (`yaml.file`) is not cached: the load moves it in
        match (&entry, f.class) {
            (Record::Doc(Some(d), _), FileClass::Document) if d.path != f.rel => None,
            (Record::Doc(..), FileClass::Document) | (Record::Reg(..), FileClass::Registry) => {
                Some(entry)
            }
            _ => None,
        }
    }
}

/// The key of everything that changes what the parse stage makes of the same bytes.
fn key(config: &Config) -> [u8; 16] {
    use sha2::Digest as _;
    let mut h = sha2::Sha256::new();
    h.update(FORMAT.to_le_bytes());
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    if let Some(m) = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
    {
        h.update(m.len().to_le_bytes());
        if let Some(t) = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        {
            h.update(t.as_nanos().to_le_bytes());
        }
    }
    for (name, text) in crate::schema::EMBEDDED {
        h.update(name.as_bytes());
        h.update(text.as_bytes());
    }
    let parse_settings = serde_json::json!([
        config.check.max_file_bytes,
        config.check.placeholders,
        config.files.registry,
    ]);
    h.update(parse_settings.to_string().as_bytes());
    let d = h.finalize();
    let mut k = [0u8; 16];
    k.copy_from_slice(&d[..16]);
    k
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The file name of shard `s`.
fn shard_name(s: usize) -> String {
    format!("{s:02}.bin")
}

/// FNV-1a: a stable shard number for a path (the same in every run and build).
fn shard_of(rel: &str) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in rel.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h % SHARDS as u64) as usize
}

impl ParseCache {
    /// Opens the cache of the repository at `root` for `config` (reads the git index; shards
    /// are read one by one in [`Self::each`]). An error says why the cache folder is not safe
    /// to use (a link, a file where a folder belongs): the run goes on without the cache.
    pub(crate) fn open(root: &Path, config: &Config) -> Result<ParseCache, Unsafe> {
        let key = key(config);
        let folder = folder::Folder::open(root, &hex(&key))?;
        // a cache that exists has the stat data of its files; the git index (a tenth of a
        // second of CPU at 100,000 files) only saves reading files on a run without one
        let index = if folder.exists() {
            None
        } else {
            let t = std::time::Instant::now();
            let index = GitIndex::read(root);
            crate::timing::report("cache: git index read", t.elapsed());
            index
        };
        Ok(ParseCache {
            folder,
            key,
            index,
            settled: settled_before(std::time::SystemTime::now()),
        })
    }

    /// The record of an entry, to store: made with the shared front matter of digest
    /// `defaults` (`model::defaults::Cascade::digest`; `None`: a document that inherits
    /// nothing, or a registry). The digest is written before the record (a byte 0, or a byte 1
    /// and the 20 bytes), and [`ShardView::get`] gives the record only for the same digest: an
    /// edit of a `_defaults.yaml` parses again exactly the documents below it.
    pub(crate) fn encode(entry: &Record, defaults: Option<&BlobId>) -> Option<Vec<u8>> {
        let mut out = match defaults {
            None => vec![0],
            Some(d) => std::iter::once(1).chain(d.iter().copied()).collect(),
        };
        out.extend(crate::model::record::to_record(entry).ok()?);
        Some(out)
    }

    /// Runs `work` on every file (in parallel), shard by shard, with its blob id when it is
    /// known without reading the file: the stat data recorded with the file's entry, or the
    /// git index's, matches the file's (racily clean entries excepted, as in git); and with the
    /// stamp of the stat data that vouched for it (for the load to keep when it reads nothing). A shard is
    /// read, its files are taken from it or parsed, and it is written back if one of its
    /// entries changed (entries of `files` only: deleted and renamed files drop out) before it
    /// is dropped, so only the shards in progress are in memory. Returns the results in the
    /// order of `files` and the number of hits. Write failures (a read-only repository, a full
    /// disk) leave the cache as it was; the next run parses again.
    pub(crate) fn each<P: Send>(
        &self,
        files: &[SourceFile],
        work: impl Fn(&SourceFile, Option<(BlobId, Stamp)>, &ShardView) -> (P, Outcome) + Sync,
    ) -> (Vec<P>, usize) {
        let t = std::time::Instant::now();
        let stats = stat_all(files);
        crate::timing::report("cache: stat", t.elapsed());
        let mut groups: Vec<Vec<usize>> = vec![Vec::new(); SHARDS];
        for (i, f) in files.iter().enumerate() {
            groups[shard_of(&f.rel)].push(i);
        }
        let hits = std::sync::atomic::AtomicUsize::new(0);
        let mut done: Vec<(usize, P)> = groups
            .into_par_iter()
            .enumerate()
            .flat_map_iter(|(s, group)| {
                let view = ShardView {
                    shard: Shard::read(&self.folder, &shard_name(s), &self.key),
                };
                // sequential within a shard, so that no more shards than threads are in memory
                let (results, outcomes): (Vec<(usize, P)>, Vec<Outcome>) = group
                    .iter()
                    .map(|&i| {
                        let (f, st) = (&files[i], stats[i].as_ref());
                        let known = st.and_then(|st| {
                            view.shard
                                .trusted(&f.rel, st)
                                .or_else(|| self.index.as_ref().and_then(|x| x.blob_id(&f.rel, st)))
                                .map(|id| (id, st.stamp()))
                        });
                        let (p, o) = work(f, known, &view);
                        ((i, p), o)
                    })
                    .unzip();
                let n = outcomes
                    .iter()
                    .filter(|o| matches!(o, Outcome::Hit))
                    .count();
                hits.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
                self.write_back(s, &view.shard, files, &stats, &group, &outcomes);
                results
            })
            .collect();
        done.sort_unstable_by_key(|(i, _)| *i);
        (
            done.into_iter().map(|(_, p)| p).collect(),
            hits.into_inner(),
        )
    }

    /// Writes shard `s` again if one of its entries changed.
    fn write_back(
        &self,
        s: usize,
        old: &Shard,
        files: &[SourceFile],
        stats: &[Option<Stat>],
        group: &[usize],
        outcomes: &[Outcome],
    ) {
        old.next.set(0);
        let mut kept: Vec<Kept> = Vec::with_capacity(group.len());
        let mut dirty = false;
        for (&i, o) in group.iter().zip(outcomes) {
            // the stat data of a file modified just before or during this run is not recorded:
            // an edit after the file was read, within the same tick of the file system's clock,
            // would leave it unchanged, and the next run would trust a stale record
            let st = stats[i].as_ref().filter(|st| st.mtime < self.settled);
            let rel = files[i].rel.as_str();
            match o {
                Outcome::Hit => {
                    if let Some(e) = old.entry(rel) {
                        // a file touched but not changed, or racy when it was recorded: its
                        // stat data is recorded now, so that the next run trusts it
                        dirty |= st.is_some_and(|st| old.trusted(rel, st).is_none());
                        kept.push((rel, &e.id, st, &old.bytes[e.record.clone()]));
                    }
                }
                Outcome::Fresh(id, record) => {
                    kept.push((rel, id, st, record));
                    dirty = true;
                }
                Outcome::None => {}
            }
        }
        if !dirty && kept.len() == old.entries.len() {
            return;
        }
        let _ = self.write_shard(s, &kept);
    }

    fn write_shard(&self, s: usize, kept: &[Kept]) -> std::io::Result<()> {
        let size: usize = kept
            .iter()
            .map(|(p, _, _, r)| 28 + Stat::LEN + p.len() + r.len())
            .sum();
        let mut out = Vec::with_capacity(HEADER + size);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.key);
        out.extend_from_slice(&[0; 12]);
        for (path, id, stat, record) in kept {
            out.extend_from_slice(&(path.len() as u32).to_le_bytes());
            out.extend_from_slice(path.as_bytes());
            out.extend_from_slice(*id);
            Stat::encode(*stat, &mut out);
            out.extend_from_slice(&(record.len() as u32).to_le_bytes());
            out.extend_from_slice(record);
        }
        let body_len = (out.len() - HEADER) as u64;
        let crc = crc32fast::hash(&out[HEADER..]);
        out[24..32].copy_from_slice(&body_len.to_le_bytes());
        out[32..36].copy_from_slice(&crc.to_le_bytes());
        // No fsync: a shard torn by a crash fails its checksum and is rebuilt. The folder is
        // made (safely) on the first write of the run.
        self.folder.write(&shard_name(s), &out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{self, ParseOptions};
    use crate::source::blob::blob_id;
    use std::path::PathBuf;

    fn opts() -> ParseOptions {
        ParseOptions {
            max_file_bytes: 1 << 20,
            placeholders: crate::parse::rules::t801_placeholder_text::pattern(&["XXX".to_string()]),
            marked: crate::model::MARKED,
            direct: Some(crate::model::direct::direct),
        }
    }

    /// A document file as a run loads it: parsed, then given its meaning.
    fn document(f: &SourceFile, text: &str) -> (Option<Document>, Vec<Diagnostic>) {
        let parsed = parse::parse_document(&f.rel, text, &opts());
        crate::model::build::document(&f.rel, &f.abs, text, parsed)
    }

    fn doc_file(root: &Path, rel: &str, text: &str) -> SourceFile {
        let abs = root.join(rel);
        std::fs::write(&abs, text).expect("write");
        SourceFile {
            rel: rel.into(),
            abs,
            class: FileClass::Document,
        }
    }

    fn plan() -> String {
        include_str!("../../tests/fixtures/good/city/yz-flood.md").replacen(
            "---\n",
            "---\nsummery: XXX\n",
            1,
        )
    }

    /// Looks `f` up as a run does (a miss drops the path's entry, as a run that parses the
    /// file replaces it).
    fn get(root: &Path, config: &Config, f: &SourceFile, id: &BlobId) -> Option<Record> {
        get_with(root, config, f, id, None)
    }

    /// [`get`] of a document made with the defaults of digest `defaults`.
    fn get_with(
        root: &Path,
        config: &Config,
        f: &SourceFile,
        id: &BlobId,
        defaults: Option<&BlobId>,
    ) -> Option<Record> {
        let c = ParseCache::open(root, config).expect("a safe cache folder");
        let (mut found, _) = c.each(std::slice::from_ref(f), |f, _, shard| {
            match shard.get(f, id, defaults) {
                Some(e) => (Some(e), Outcome::Hit),
                None => (None, Outcome::None),
            }
        });
        found.pop().flatten()
    }

    /// Stores `record` as the parse of `f` with blob id `id`.
    fn store(root: &Path, config: &Config, f: &SourceFile, id: BlobId, record: Vec<u8>) {
        let c = ParseCache::open(root, config).expect("a safe cache folder");
        let _ = c.each(std::slice::from_ref(f), |_, _, _| {
            ((), Outcome::Fresh(id, record.clone()))
        });
    }

    fn parse_entry(f: &SourceFile) -> Record {
        let text = std::fs::read_to_string(&f.abs).expect("read");
        let (doc, diags) = document(f, &text);
        Record::Doc(doc, diags)
    }

    #[test]
    fn recorded_stat_data_is_trusted_only_when_it_matches_and_is_not_racy() {
        let st = Stat {
            mtime: (100, 5),
            ctime: (100, 5),
            size: 10,
            ino: 7,
        };
        let shard = |written: Option<Time>, stat: Option<Stat>| Shard {
            bytes: b"a.md".to_vec(),
            entries: vec![ShardEntry {
                path: 0..4,
                id: [1; 20],
                stat,
                record: 0..0,
            }],
            written,
            next: Default::default(),
        };
        assert_eq!(
            shard(Some((101, 0)), Some(st)).trusted("a.md", &st),
            Some([1; 20])
        );
        assert_eq!(shard(Some((101, 0)), Some(st)).trusted("b.md", &st), None);
        // racy: the shard was written in the instant of the file's last change, or when is
        // not known
        assert_eq!(shard(Some((100, 5)), Some(st)).trusted("a.md", &st), None);
        assert_eq!(shard(None, Some(st)).trusted("a.md", &st), None);
        // nothing recorded, or anything different
        assert_eq!(shard(Some((101, 0)), None).trusted("a.md", &st), None);
        for other in [
            Stat { size: 11, ..st },
            Stat { ino: 8, ..st },
            Stat {
                mtime: (100, 6),
                ..st
            },
            Stat {
                ctime: (102, 0),
                ..st
            },
        ] {
            assert_eq!(
                shard(Some((101, 0)), Some(st)).trusted("a.md", &other),
                None
            );
        }
        let mut b = Vec::new();
        Stat::encode(Some(&st), &mut b);
        assert_eq!((b.len(), Stat::decode(&b)), (Stat::LEN, Some(st)));
        b.clear();
        Stat::encode(None, &mut b);
        assert_eq!((b.len(), Stat::decode(&b)), (Stat::LEN, None));
    }

    /// A document's record is given back only for the defaults digest it was made with: none
    /// for none, the same digest for the same chain of `_defaults.yaml` (an edit of one of
    /// them, or one added or removed, is a miss).
    #[test]
    fn a_record_is_a_hit_only_with_the_defaults_it_was_made_with() {
        let dir = tempfile::tempdir().expect("tempdir");
        let f = doc_file(dir.path(), "a.md", &plan());
        let id = blob_id(plan().as_bytes()).expect("id");
        let config = Config::default();
        let (one, two) = ([7u8; 20], [8u8; 20]);
        let record = ParseCache::encode(&parse_entry(&f), Some(&one)).expect("encode");
        store(dir.path(), &config, &f, id, record);
        assert!(get_with(dir.path(), &config, &f, &id, Some(&one)).is_some());
        assert!(get_with(dir.path(), &config, &f, &id, Some(&two)).is_none());
        let record = ParseCache::encode(&parse_entry(&f), Some(&one)).expect("encode");
        store(dir.path(), &config, &f, id, record);
        assert!(get(dir.path(), &config, &f, &id).is_none());
        let record = ParseCache::encode(&parse_entry(&f), None).expect("encode");
        store(dir.path(), &config, &f, id, record);
        assert!(get_with(dir.path(), &config, &f, &id, Some(&one)).is_none());
        store(
            dir.path(),
            &config,
            &f,
            id,
            ParseCache::encode(&parse_entry(&f), None).expect("encode"),
        );
        assert!(get(dir.path(), &config, &f, &id).is_some());
    }

    #[test]
    fn a_stored_entry_reads_back_the_same() {
        let dir = tempfile::tempdir().expect("tempdir");
        let f = doc_file(dir.path(), "a.md", &plan());
        let entry = parse_entry(&f);
        let id = blob_id(plan().as_bytes()).expect("id");
        let config = Config::default();
        assert!(get(dir.path(), &config, &f, &id).is_none());
        let record = ParseCache::encode(&entry, None).expect("encode");
        store(dir.path(), &config, &f, id, record);
        let mut back = get(dir.path(), &config, &f, &id).expect("hit");
        let (Record::Doc(Some(a), da), Record::Doc(Some(b), db)) = (&entry, &mut back) else {
            panic!("documents expected: {back:?}");
        };
        let fields = |d: &Document| {
            format!(
                "{} {:?} {:?} {:?} {} {} {} {:?} {:?} {:?}",
                d.path,
                d.id,
                d.kind,
                d.meta,
                d.yaml.offset,
                d.yaml.len,
                d.yaml.line,
                d.head,
                d.headings,
                d.links
            )
        };
        assert!(a.plan().is_some());
        assert_eq!(fields(a), fields(b));
        assert_eq!(da, db);
        assert!(da.iter().any(|d| d.code == "F004") && da.iter().any(|d| d.code == "T801"));
        // the file's path is not cached: the load moves the walked path in
        assert!(b.yaml.file.as_os_str().is_empty());
        b.yaml.file = f.abs.clone();
        // positions are found again from the file, as for any document
        assert_eq!(a.span_of("/parent"), b.span_of("/parent"));
        // the same path with other content is a miss
        let other = blob_id(b"other").expect("id");
        assert!(get(dir.path(), &config, &f, &other).is_none());
        // the folder ignores itself in git
        let ignore = std::fs::read_to_string(dir.path().join(DIR).join(".gitignore"));
        assert!(ignore.expect("gitignore").contains('*'));
    }

    fn shard_files(root: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for k in std::fs::read_dir(root.join(DIR).join("parse"))
            .expect("ls")
            .flatten()
        {
            for s in std::fs::read_dir(k.path()).expect("ls").flatten() {
                out.push(s.path());
            }
        }
        out
    }

    /// A folder with one plan stored in the cache: the file, its blob id, its record, the
    /// shard files and the bytes of the one shard.
    fn one_stored_plan() -> (
        tempfile::TempDir,
        SourceFile,
        BlobId,
        Vec<u8>,
        Vec<PathBuf>,
        Vec<u8>,
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let f = doc_file(dir.path(), "a.md", &plan());
        let id = blob_id(plan().as_bytes()).expect("id");
        let record = ParseCache::encode(&parse_entry(&f), None).expect("encode");
        store(dir.path(), &Config::default(), &f, id, record.clone());
        let shards = shard_files(dir.path());
        assert_eq!(shards.len(), 1);
        let good = std::fs::read(&shards[0]).expect("read");
        (dir, f, id, record, shards, good)
    }

    /// The stat data a shard recorded for `rel`, if any.
    fn recorded_stat(root: &Path, rel: &str) -> Option<Stat> {
        let c = ParseCache::open(root, &Config::default()).expect("a safe cache folder");
        let shard = Shard::read(&c.folder, &shard_name(shard_of(rel)), &c.key);
        shard.entry(rel).and_then(|e| e.stat)
    }

    /// Dates the file at `path` an hour back: settled, so its stat data is recorded.
    fn settle(path: &Path) {
        let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(path)
            .and_then(|file| file.set_modified(an_hour_ago))
            .expect("set the modification time");
    }

    #[test]
    fn stat_data_of_a_file_modified_just_before_the_run_is_not_recorded() {
        let (dir, f, id, record, _, _) = one_stored_plan();
        // just written: an edit in the same clock tick after it was read would go unseen
        assert!(recorded_stat(dir.path(), "a.md").is_none());
        settle(&f.abs);
        store(dir.path(), &Config::default(), &f, id, record);
        let st = recorded_stat(dir.path(), "a.md").expect("settled: recorded");
        assert!(st.mtime < settled_before(std::time::SystemTime::now()));
    }

    /// A file the cache vouches for unread gets the stamp a read's `fstat` would give: the
    /// load keeps it, and a read again compares the two.
    #[test]
    fn the_stamp_of_stat_data_is_the_stamp_of_a_read() {
        let (dir, f, id, record, _, _) = one_stored_plan();
        settle(&f.abs);
        store(dir.path(), &Config::default(), &f, id, record);
        let recorded = recorded_stat(dir.path(), "a.md").expect("recorded");
        let c = ParseCache::open(dir.path(), &Config::default()).expect("a safe cache folder");
        let (known, _) = c.each(std::slice::from_ref(&f), |_, known, _| {
            (known, Outcome::None)
        });
        let (trusted, stamp) = known[0].expect("vouched for by its stat data");
        assert_eq!(trusted, id);
        let reader = crate::source::Reader::new(dir.path()).expect("reader");
        let (_, read) = reader
            .read_stamped(Path::new("a.md"), 1 << 20)
            .expect("read");
        assert_eq!(Some(stamp), read);
        assert_eq!(Some(recorded.stamp()), read);
    }

    #[test]
    fn corrupted_or_truncated_shards_read_as_empty() {
        let (dir, f, id, record, shards, good) = one_stored_plan();
        let config = Config::default();
        // one flipped byte in the record, then a cut in the middle, then garbage
        let mut flipped = good.clone();
        let at = good.len() - record.len() / 2;
        flipped[at] ^= 0x40;
        for bad in [
            flipped,
            good[..good.len() / 2].to_vec(),
            b"YUANPC1\n\0".to_vec(),
        ] {
            std::fs::write(&shards[0], &bad).expect("write");
            assert!(get(dir.path(), &config, &f, &id).is_none());
        }
        std::fs::write(&shards[0], &good).expect("write");
        assert!(get(dir.path(), &config, &f, &id).is_some());
    }

    #[test]
    fn a_cache_of_another_version_is_ignored_and_removed() {
        let (dir, f, id, record, shards, good) = one_stored_plan();
        let config = Config::default();
        // another version's folder beside this one
        let parse = dir.path().join(DIR).join("parse");
        let other = parse.join("0123456789abcdef0123456789abcdef");
        std::fs::create_dir_all(&other).expect("mkdir");
        std::fs::write(other.join("00.bin"), &good).expect("write");
        // a shard written under another key (version, build, settings) in this folder
        let mut foreign = good.clone();
        foreign[8] ^= 0xff;
        std::fs::write(&shards[0], &foreign).expect("write");
        assert!(get(dir.path(), &config, &f, &id).is_none());
        // a record of another layout under this key (a shard whose checksum is right)
        let mut bad = good[..HEADER].to_vec();
        let body = [
            &1u32.to_le_bytes()[..],
            b"a.md",
            &id,
            &3u32.to_le_bytes(),
            &[9, 9, 9],
        ]
        .concat();
        bad.extend_from_slice(&body);
        bad[24..32].copy_from_slice(&(body.len() as u64).to_le_bytes());
        bad[32..36].copy_from_slice(&crc32fast::hash(&body).to_le_bytes());
        std::fs::write(&shards[0], &bad).expect("write");
        assert!(get(dir.path(), &config, &f, &id).is_none());
        // the next write rebuilds this folder and removes the other one
        store(dir.path(), &config, &f, id, record);
        assert!(get(dir.path(), &config, &f, &id).is_some());
        assert!(!other.exists());
    }

    #[test]
    fn a_change_of_parse_settings_uses_another_cache() {
        let dir = tempfile::tempdir().expect("tempdir");
        let f = doc_file(dir.path(), "a.md", &plan());
        let id = blob_id(plan().as_bytes()).expect("id");
        let config = Config::default();
        let record = ParseCache::encode(&parse_entry(&f), None).expect("encode");
        store(dir.path(), &config, &f, id, record);
        let mut other = Config::default();
        other.check.placeholders.push("待补充".into());
        assert!(get(dir.path(), &other, &f, &id).is_none());
        let mut other = Config::default();
        other.check.max_file_bytes = 10;
        assert!(get(dir.path(), &other, &f, &id).is_none());
        assert!(get(dir.path(), &config, &f, &id).is_some());
        // a class that does not match the record is a miss, never a wrong entry
        let reg = SourceFile {
            class: FileClass::Registry,
            ..f.clone()
        };
        assert!(get(dir.path(), &config, &reg, &id).is_none());
    }

    /// Every file of the fixtures and the sample repository, parsed, reads back from its record
    /// exactly as parsed (a field written in one order and read in another would not).
    #[test]
    fn every_fixture_reads_back_from_its_record() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut roots = vec![root.join("tests/fixtures/good"), root.join("plans")];
        for e in std::fs::read_dir(root.join("tests/fixtures/bad"))
            .expect("ls")
            .flatten()
        {
            roots.push(e.path());
        }
        let mut seen = 0;
        for d in roots {
            let config = crate::load::read_config(&d).expect("config").0;
            for f in crate::source::discover(&d, &config).0 {
                let Ok(text) = std::fs::read_to_string(&f.abs) else {
                    continue;
                };
                let entry = match f.class {
                    // read by the load itself, never cached (see `model::defaults`)
                    FileClass::Defaults => continue,
                    FileClass::Document => {
                        let (doc, diags) = document(&f, &text);
                        Record::Doc(doc, diags)
                    }
                    FileClass::Registry => {
                        let parsed = parse::parse_registry(&f.rel, &text);
                        let (e, y, diags) = crate::model::build::registry(&f.rel, &f.abs, parsed);
                        Record::Reg(e, y, diags)
                    }
                };
                let record = ParseCache::encode(&entry, None).expect("encode");
                let back: Record = postcard::from_bytes(&record[1..]).expect("decode");
                let what = |e: &Record| match e {
                    Record::Doc(None, diags) => format!("{diags:?}"),
                    Record::Doc(Some(d), diags) => format!(
                        "{:?}",
                        (
                            (
                                &d.path,
                                &d.id,
                                d.kind,
                                &d.meta,
                                d.head,
                                &d.headings,
                                &d.links
                            ),
                            (d.yaml.offset, d.yaml.len, d.yaml.line),
                            diags
                        )
                    ),
                    Record::Reg(e, y, diags) => format!("{e:?} {} {} {diags:?}", y.offset, y.len),
                };
                assert_eq!(what(&entry), what(&back), "{}", f.abs.display());
                assert_eq!(ParseCache::encode(&back, None), Some(record));
                seen += 1;
            }
        }
        assert!(seen > 100, "{seen} files");
    }

    #[test]
    fn blob_ids_are_gits() {
        // `printf 'hello\n' | git hash-object --stdin`
        assert_eq!(
            hex(&blob_id(b"hello\n").expect("id")),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
    }

    #[test]
    fn the_git_index_vouches_only_for_unchanged_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = git2::Repository::init(dir.path()).expect("init");
        let f = doc_file(dir.path(), "a.md", &plan());
        let mut index = repo.index().expect("index");
        index.add_path(Path::new("a.md")).expect("add");
        index.write().expect("write");
        // racy: the index was written in the same instant as the file, maybe; wait past it
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(dir.path().join("b.md"), "x").expect("touch");
        let mut index = repo.index().expect("index");
        index.add_path(Path::new("b.md")).expect("add");
        index.write().expect("write");
        let gi = GitIndex::read(dir.path()).expect("index");
        let vouched = |f: &SourceFile| {
            let st = stat_all(std::slice::from_ref(f)).pop().flatten()?;
            gi.blob_id(&f.rel, &st)
        };
        assert_eq!(vouched(&f), blob_id(plan().as_bytes()));
        // same size, other content: the stat data no longer matches
        let edited = plan().replace("XXX", "YYY");
        assert_eq!(edited.len(), plan().len());
        std::fs::write(&f.abs, &edited).expect("edit");
        assert_eq!(vouched(&f), None);
    }
}
