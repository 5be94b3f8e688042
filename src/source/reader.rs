//! The repository boundary: every read of repository content goes through a [`Reader`].
//!
//! Stage: source (and every later stage that reads a file of the repository again: snippets,
//! positions, templates, fonts, `yuan align`). It takes a path, relative to the repository root
//! or absolute, and a size cap; it gives the file's bytes, or a [`Refusal`] saying why not.
//!
//! Why: a plan repository is untrusted input (SECURITY.md). It may hold a symlink to
//! `/proc/self/environ`, a FIFO named `yuan.toml`, or a link to `/dev/zero` as its font. So:
//! - only **regular files** are read: the file is opened with `O_NONBLOCK` (a FIFO cannot hang
//!   the open) and the opened descriptor is `fstat`ed; a FIFO, device, socket or folder is
//!   refused in bounded time;
//! - only files **inside the root**: on Linux a relative path is opened with
//!   `openat2(RESOLVE_BENEATH)` from the open root folder, so the kernel refuses any step (`..`,
//!   a link) that leaves it, race-free and at the cost of one system call. Otherwise (and to
//!   name the reason of a refusal) the file is opened and the file actually opened (on Linux
//!   `/proc/self/fd/N`, which no rename or symlink swap can fool; elsewhere the canonical path)
//!   must lie under the canonical root. A symlink to a file inside the repository keeps
//!   working; one that leaves it is refused with its target, and its content is never read;
//! - every read is **capped**: at most `cap + 1` bytes are read whatever the size says (files
//!   under `/proc` say 0), and a file over the cap is refused.
//!
//! The callers turn a refusal into a diagnostic (F005 for documents and registries, F006 for
//! `yuan.toml`) or a clear error (templates, fonts).
//!
//! Like typst's `World`, the type hides where the bytes come from: a [`Backend`] inside it.
//! - [`Backend::Disk`] ([`Disk`]): the working tree, under the rules above.
//! - [`Backend::Memory`] ([`Memory`], `source/memory.rs`): a sorted map of `/`-separated
//!   relative paths to bytes, so that a test loads and checks a repository through exactly the
//!   path a folder takes ([`crate::load::load_from`], `Check::in_memory`). The rules hold
//!   where they mean something: a missing file is [`Refusal::Missing`], a folder is not a
//!   regular file, a read over its cap is [`Refusal::TooLarge`], a path that climbs (`..`) or
//!   is absolute is [`Refusal::Outside`].
//!
//! An enum, not a trait object: the set of backends is closed and known here, each call is one
//! `match` and the disk path pays nothing else (no box, no virtual call per read of 100,000
//! files), and the walk ([`crate::source::discover_in`]) lists each backend's files its own
//! way while sharing the classification. A git revision (an upstream repository: the plans of
//! another organisation, pinned at a commit) plugs in the same way: a third variant holding
//! the open repository and the commit's tree, whose read looks the path up in the tree
//! (refusing `..` and absolute paths as memory does) and reads the blob, capped by the blob's
//! size before any byte is read; its walk lists the tree's paths through the same
//! classification as the memory walk; a blob never changes, so it keeps no stamp; and
//! `resolve` names the path in the tree. Nothing above the load would change.
//!
//! Files are read again after the load (snippets, positions, generator text), and what was
//! found at load (spans, heading offsets) only fits the bytes then read. So the load keeps a
//! [`Stamp`] of each file (its size and modification time, from the `fstat` the read makes
//! anyway) in an [`AsLoaded`], and a read again ([`Reader::read_text_again`], [`read_again`])
//! compares it with the `fstat` of the descriptor it is about to read: a file changed since
//! is refused ([`Refusal::Changed`]), never cut at stale offsets.

pub(crate) use super::memory::Memory;
use crate::diag::Text;
use crate::text;
use std::fs::{File, Metadata};
use std::io::Read as _;
use std::num::NonZeroU64;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Cap of `yuan.toml` (a real one is a few KB).
pub(crate) const CONFIG_CAP: u64 = 1 << 20;
/// Cap of a template of the repository (`templates/`).
pub(crate) const TEMPLATE_CAP: u64 = 1 << 20;
/// Cap of a font file (a full CJK collection is 20–40 MB).
pub(crate) const FONT_CAP: u64 = 64 << 20;
/// Cap of a document or registry read again after the load (which capped it at
/// `[check] max_file_bytes`): for snippets, positions and generator text. Spans are 32-bit.
pub(crate) const REREAD_CAP: u64 = 256 << 20;

/// What a path that is not a regular file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Folder,
    Fifo,
    Socket,
    CharDevice,
    BlockDevice,
    Other,
}

impl Kind {
    pub(crate) fn of(t: std::fs::FileType) -> Kind {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt as _;
            if t.is_fifo() {
                return Kind::Fifo;
            }
            if t.is_socket() {
                return Kind::Socket;
            }
            if t.is_char_device() {
                return Kind::CharDevice;
            }
            if t.is_block_device() {
                return Kind::BlockDevice;
            }
        }
        if t.is_dir() {
            Kind::Folder
        } else {
            Kind::Other
        }
    }

    /// The kind in words: (Chinese, English).
    pub(crate) fn words(self) -> (&'static str, &'static str) {
        match self {
            Kind::Folder => ("文件夹", "a folder"),
            Kind::Fifo => ("命名管道", "a named pipe (FIFO)"),
            Kind::Socket => ("套接字", "a socket"),
            Kind::CharDevice => ("字符设备", "a character device"),
            Kind::BlockDevice => ("块设备", "a block device"),
            Kind::Other => ("特殊文件", "a special file"),
        }
    }
}

/// Why a file was not read.
#[derive(Debug)]
pub(crate) enum Refusal {
    /// Nothing at that path (a broken link included).
    Missing,
    /// The file opened lies outside the repository (a symlink leaves it); `target` is where.
    Outside { target: PathBuf },
    /// Not a regular file.
    NotRegular(Kind),
    /// Over the cap: `size` is the size the file reports (`exact`), or the bytes read before
    /// giving up (at least `cap + 1`) when the size lied.
    TooLarge { size: u64, cap: u64, exact: bool },
    /// Any other failure (permissions …).
    Io(std::io::Error),
    /// Read again after the load, the file is no longer the one loaded (see [`AsLoaded`]).
    Changed,
}

impl Refusal {
    /// What happened, in both languages (never the file's content).
    pub(crate) fn message(&self) -> Text {
        match self {
            Refusal::Missing => text!("文件不存在", "no such file"),
            Refusal::Outside { target } => {
                let target = target.display();
                text!(
                    "符号链接指向仓库之外（{target}），未读取",
                    "symbolic link leaves the repository (to {target}); not read"
                )
            }
            Refusal::NotRegular(kind) => {
                let (zh, en) = kind.words();
                text!(
                    "不是普通文件（{zh}），未读取",
                    "not a regular file but {en}; not read"
                )
            }
            Refusal::TooLarge { size, cap, exact } => {
                let (mb, capmb) = (*size as f64 / 1048576.0, *cap as f64 / 1048576.0);
                if *exact {
                    text!(
                        "文件过大（{mb:.1} MiB，上限 {capmb:.1} MiB），未读取",
                        "file too large ({mb:.1} MiB, limit {capmb:.1} MiB); not read"
                    )
                } else {
                    text!(
                        "文件超过上限 {capmb:.1} MiB，未读取",
                        "file larger than the limit of {capmb:.1} MiB; not read"
                    )
                }
            }
            Refusal::Io(e) => text!("无法读取文件：{e}", "cannot read file: {e}"),
            Refusal::Changed => text!(
                "文件在本次运行中被改动，未再读取",
                "the file changed during this run; not read again"
            ),
        }
    }

    /// How to fix it, in both languages.
    pub(crate) fn help(&self) -> Text {
        match self {
            Refusal::Outside { .. } => text!(
                "yuan 只读取仓库内的文件：把文件复制进仓库，或删除这个链接",
                "yuan reads only files inside the repository: copy the file in, or remove the link"
            ),
            Refusal::NotRegular(_) => text!(
                "yuan 只读取普通文件：换成普通文件，或删除它",
                "yuan reads only regular files: replace it with a regular file, or remove it"
            ),
            Refusal::TooLarge { .. } => text!(
                "附件不要放进仓库的文本文件；确需更大的预案请调整 [check] max_file_bytes",
                "keep attachments out of the text files; for larger plans raise [check] max_file_bytes"
            ),
            Refusal::Changed => text!("再运行一次 yuan", "run yuan again"),
            Refusal::Missing | Refusal::Io(_) => text!(
                "检查文件是否存在、权限是否可读",
                "check that the file exists and can be read"
            ),
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message().en)
    }
}

impl std::error::Error for Refusal {}

/// What the load knew of a file: its size and modification time (to the nanosecond), folded
/// into 8 bytes. Taken from the `fstat` of the descriptor read (or the stat data the parse
/// cache trusted instead of reading), so it costs the load nothing but the folding.
///
/// A file rewritten with the same size within the same nanosecond keeps its stamp: out of
/// scope, as it is for git, which makes the same trade-off to tell changed files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp(NonZeroU64);

impl Stamp {
    /// The stamp of a file of `size` bytes last modified at `secs` and `nanos` after the epoch.
    pub(crate) fn new(size: u64, secs: i64, nanos: u32) -> Stamp {
        let at = (secs as u64)
            .wrapping_mul(1_000_000_000)
            .wrapping_add(u64::from(nanos));
        // mixed (splitmix64's finaliser, a bijection) before and after the time is added in,
        // so that no change of size can cancel out a change of time
        let folded = mix(mix(size) ^ at);
        // 0 and 1 are the marks of [`AsLoaded`]
        Stamp(NonZeroU64::new(folded.max(2)).unwrap_or(NonZeroU64::MAX))
    }

    /// The stamp of the file `meta` describes (`None` where the time cannot be had).
    pub(crate) fn of(meta: &Metadata) -> Option<Stamp> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            Some(Stamp::new(
                meta.len(),
                meta.mtime(),
                meta.mtime_nsec() as u32,
            ))
        }
        #[cfg(not(unix))]
        {
            let at = meta
                .modified()
                .ok()?
                .duration_since(std::time::UNIX_EPOCH)
                .ok()?;
            Some(Stamp::new(
                meta.len(),
                at.as_secs() as i64,
                at.subsec_nanos(),
            ))
        }
    }
}

fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The [`Stamp`] a file had when it was loaded, kept with what the load made of it, and marked
/// when a read again found the file changed (so the run can say which files did, and later
/// reads of it are refused without opening it). 8 bytes: 0 unknown, 1 changed, else the stamp.
#[derive(Debug, Default)]
pub(crate) struct AsLoaded(AtomicU64);

const UNKNOWN: u64 = 0;
const CHANGED: u64 = 1;

impl AsLoaded {
    pub(crate) fn new(stamp: Option<Stamp>) -> AsLoaded {
        AsLoaded(AtomicU64::new(stamp.map_or(UNKNOWN, |s| s.0.get())))
    }

    /// Whether a read again found the file changed since the load.
    pub(crate) fn changed(&self) -> bool {
        self.0.load(Ordering::Relaxed) == CHANGED
    }

    /// Whether the file opened, described by `meta`, may be read as the one loaded: yes when
    /// its stamp is the one recorded (or none was: read as before, unchecked); otherwise the
    /// file is marked changed and refused.
    fn admit(&self, meta: &Metadata) -> Result<(), Refusal> {
        match self.0.load(Ordering::Relaxed) {
            UNKNOWN => Ok(()),
            CHANGED => Err(Refusal::Changed),
            kept if Stamp::of(meta).is_some_and(|now| now.0.get() == kept) => Ok(()),
            _ => {
                self.0.store(CHANGED, Ordering::Relaxed);
                Err(Refusal::Changed)
            }
        }
    }
}

impl Clone for AsLoaded {
    fn clone(&self) -> AsLoaded {
        AsLoaded(AtomicU64::new(self.0.load(Ordering::Relaxed)))
    }
}

/// The files of one repository, wherever they are: the one way in for repository content
/// (see the module docs). A backend inside, matched on each call: no dynamic dispatch, and no
/// cost to the disk path but the match.
#[derive(Debug, Clone)]
pub(crate) struct Reader(Backend);

/// Where a [`Reader`]'s bytes come from.
#[derive(Debug, Clone)]
pub(crate) enum Backend {
    /// The working tree of a repository on disk.
    Disk(Disk),
    /// Files held in memory (tests, and what gives a repository without a folder).
    Memory(std::sync::Arc<Memory>),
}

impl Reader {
    /// A reader of the repository at `root` on disk (which must exist: it is resolved once).
    pub(crate) fn new(root: &Path) -> std::io::Result<Reader> {
        Disk::new(root).map(|disk| Reader(Backend::Disk(disk)))
    }

    /// A reader of the repository whose files are `files`: `/`-separated paths relative to
    /// the root, and their bytes.
    pub(crate) fn in_memory(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> Reader {
        Reader(Backend::Memory(std::sync::Arc::new(Memory::new(files))))
    }

    /// Where the bytes come from (the walk of [`crate::source::discover_in`] lists each
    /// backend's files its own way).
    pub(crate) fn backend(&self) -> &Backend {
        &self.0
    }

    /// The root the paths of the repository are relative to: the folder as given on disk; the
    /// empty path in memory (so a file's path there is its relative path).
    pub(crate) fn root(&self) -> &Path {
        match &self.0 {
            Backend::Disk(disk) => &disk.root,
            Backend::Memory(_) => Path::new(""),
        }
    }

    /// The files in memory, if that is where they are (for the positions of a document's
    /// YAML, read again where no reader is at hand: [`Memory::read_again`]).
    pub(crate) fn memory(&self) -> Option<&std::sync::Arc<Memory>> {
        match &self.0 {
            Backend::Disk(_) => None,
            Backend::Memory(memory) => Some(memory),
        }
    }

    /// Whether `real` (a path with every link resolved) lies inside the repository.
    #[cfg(test)]
    fn holds(&self, real: &Path) -> bool {
        match &self.0 {
            Backend::Disk(disk) => disk.holds(real),
            Backend::Memory(memory) => memory.resolve(real).is_ok(),
        }
    }

    /// The bytes of the regular file at `path` (relative to the root, or absolute) inside the
    /// repository, at most `cap` bytes.
    pub(crate) fn read(&self, path: &Path, cap: u64) -> Result<Vec<u8>, Refusal> {
        self.read_stamped(path, cap).map(|(bytes, _)| bytes)
    }

    /// [`Reader::read`], and the [`Stamp`] of the file read (on disk from the `fstat` the read
    /// makes anyway; none in memory, where nothing changes), for the load to keep.
    pub(crate) fn read_stamped(
        &self,
        path: &Path,
        cap: u64,
    ) -> Result<(Vec<u8>, Option<Stamp>), Refusal> {
        match &self.0 {
            Backend::Disk(disk) => disk.read_stamped(path, cap),
            Backend::Memory(memory) => memory.read(path, cap).map(|bytes| (bytes, None)),
        }
    }

    /// The text of the file at `path` read again after the load, if it is still the file
    /// `loaded` describes; [`Refusal::Changed`] (and `loaded` marked) when it is not.
    pub(crate) fn read_text_again(
        &self,
        path: &Path,
        cap: u64,
        loaded: &AsLoaded,
    ) -> Result<String, Refusal> {
        match &self.0 {
            Backend::Disk(disk) => disk.read_text_again(path, cap, loaded),
            Backend::Memory(memory) => utf8(memory.read_again(path, cap, loaded)?),
        }
    }

    /// [`Reader::read`], then UTF-8 (invalid UTF-8 is an [`std::io::ErrorKind::InvalidData`]
    /// I/O refusal; callers that point at the bad byte decode themselves).
    pub(crate) fn read_text(&self, path: &Path, cap: u64) -> Result<String, Refusal> {
        utf8(self.read(path, cap)?)
    }

    /// Where `path` really is, every link resolved, if that is inside the repository: the file
    /// to write when a plan is edited in place through a link (`yuan align`). In memory: the
    /// path itself, plain, if a file or folder is there.
    pub(crate) fn resolve(&self, path: &Path) -> Result<PathBuf, Refusal> {
        match &self.0 {
            Backend::Disk(disk) => disk.resolve(path),
            Backend::Memory(memory) => memory.resolve(path),
        }
    }

    /// The fast path of the disk backend, then read (what the tests of the fast path look at).
    #[cfg(all(test, target_os = "linux"))]
    fn read_beneath(&self, path: &Path, cap: u64) -> Option<Result<Vec<u8>, Refusal>> {
        match &self.0 {
            Backend::Disk(disk) => disk.read_beneath(path, cap),
            Backend::Memory(_) => None,
        }
    }
}

/// The files of one repository on disk, read under the rules of the module docs.
#[derive(Debug, Clone)]
pub(crate) struct Disk {
    /// The root as given (relative paths are joined to it).
    root: PathBuf,
    /// The root with every link resolved: what an opened file must lie under.
    canonical: PathBuf,
    /// The root folder, open: files are opened beneath it with `openat2(RESOLVE_BENEATH)`, so
    /// the kernel itself refuses a path that leaves it (Linux 5.6 and later).
    #[cfg(target_os = "linux")]
    dir: Option<std::sync::Arc<std::os::fd::OwnedFd>>,
}

impl Disk {
    /// A reader of the repository at `root` (which must exist: it is resolved once).
    fn new(root: &Path) -> std::io::Result<Disk> {
        Ok(Disk {
            root: root.to_path_buf(),
            canonical: std::fs::canonicalize(root)?,
            #[cfg(target_os = "linux")]
            dir: {
                use rustix::fs::{Mode, OFlags, CWD};
                let flags = OFlags::DIRECTORY | OFlags::RDONLY | OFlags::CLOEXEC;
                rustix::fs::openat(CWD, root, flags, Mode::empty())
                    .ok()
                    .map(std::sync::Arc::new)
            },
        })
    }

    fn full(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.root.join(path)
        }
    }

    /// Whether `real` (a path with every link resolved) lies inside the repository.
    fn holds(&self, real: &Path) -> bool {
        real.starts_with(&self.canonical)
    }

    /// [`Reader::read`], and the [`Stamp`] of the file read (from the `fstat` the read makes
    /// anyway), for the load to keep.
    fn read_stamped(&self, path: &Path, cap: u64) -> Result<(Vec<u8>, Option<Stamp>), Refusal> {
        let (file, meta) = self.open(path)?;
        Ok((read_capped(file, meta.len(), cap)?, Stamp::of(&meta)))
    }

    /// The text of the file at `path` read again after the load, if it is still the file
    /// `loaded` describes; [`Refusal::Changed`] (and `loaded` marked) when it is not. The stamp
    /// is taken from the descriptor then read, so no swap can slip between check and read.
    fn read_text_again(&self, path: &Path, cap: u64, loaded: &AsLoaded) -> Result<String, Refusal> {
        if loaded.changed() {
            return Err(Refusal::Changed);
        }
        let (file, meta) = self.open(path)?;
        loaded.admit(&meta)?;
        utf8(read_capped(file, meta.len(), cap)?)
    }

    /// The regular file at `path` inside the repository, open, and what its `fstat` said.
    fn open(&self, path: &Path) -> Result<(File, Metadata), Refusal> {
        #[cfg(target_os = "linux")]
        if let Some(found) = self.open_beneath(path) {
            return found;
        }
        let full = self.full(path);
        let (file, meta) = open_regular(&full)?;
        let real = opened_path(&file, &full)?;
        if !self.holds(&real) {
            return Err(Refusal::Outside { target: real });
        }
        Ok((file, meta))
    }

    /// The fast path of [`Disk::open`] on Linux: one `openat2` beneath the open root, which
    /// the kernel refuses if any step (a `..`, a link) leaves it, so the file opened is inside
    /// by construction, without asking `/proc` where it is. `None` where it cannot decide (an
    /// absolute path, no `openat2`, or any error): the portable path then opens, or names the
    /// reason exactly as it always does.
    #[cfg(target_os = "linux")]
    fn open_beneath(&self, path: &Path) -> Option<Result<(File, Metadata), Refusal>> {
        use rustix::fs::{Mode, OFlags, ResolveFlags};
        let dir = self.dir.as_ref()?;
        if path.is_absolute() {
            return None;
        }
        let flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
        let resolve = ResolveFlags::BENEATH | ResolveFlags::NO_MAGICLINKS;
        let fd = rustix::fs::openat2(&**dir, path, flags, Mode::empty(), resolve).ok()?;
        let file = File::from(fd);
        let meta = match file.metadata() {
            Ok(m) => m,
            Err(e) => return Some(Err(Refusal::Io(e))),
        };
        if !meta.is_file() {
            return Some(Err(Refusal::NotRegular(Kind::of(meta.file_type()))));
        }
        Some(Ok((file, meta)))
    }

    /// [`Disk::open_beneath`], then read (what the tests of the fast path look at).
    #[cfg(all(test, target_os = "linux"))]
    fn read_beneath(&self, path: &Path, cap: u64) -> Option<Result<Vec<u8>, Refusal>> {
        Some(
            self.open_beneath(path)?
                .and_then(|(file, meta)| read_capped(file, meta.len(), cap)),
        )
    }

    /// Where `path` really is, every link resolved, if that is inside the repository.
    fn resolve(&self, path: &Path) -> Result<PathBuf, Refusal> {
        let real = std::fs::canonicalize(self.full(path)).map_err(refusal_of)?;
        if self.holds(&real) {
            Ok(real)
        } else {
            Err(Refusal::Outside { target: real })
        }
    }
}

/// The bytes of a regular file the **user** named (e.g. `--font` on the command line: their
/// own choice, which may lie anywhere), at most `cap` bytes. Never for paths from a repository.
pub(crate) fn read_user_file(path: &Path, cap: u64) -> Result<Vec<u8>, Refusal> {
    let (file, meta) = open_regular(path)?;
    read_capped(file, meta.len(), cap)
}

/// The cap of a file given to `yuan import` (a 300-page plan with pictures is a few MiB).
pub(crate) const IMPORT_CAP: u64 = 64 << 20;

/// The bytes of a file the user named for `yuan import` (a Word document or a text file outside
/// any repository: their own choice): a regular file of at most [`IMPORT_CAP`] bytes. The
/// error is one line naming the file, in both languages.
pub(crate) fn read_import_source(path: &Path) -> anyhow::Result<Vec<u8>> {
    read_user_file(path, IMPORT_CAP).map_err(|why| {
        let file = crate::diag::terminal::escape(&path.display().to_string()).into_owned();
        let Text { zh, en } = why.message();
        crate::env_error!("{file}：{zh}", "{file}: {en}")
    })
}

/// Bytes as text; invalid UTF-8 is an [`std::io::ErrorKind::InvalidData`] I/O refusal.
pub(super) fn utf8(bytes: Vec<u8>) -> Result<String, Refusal> {
    String::from_utf8(bytes).map_err(|_| {
        Refusal::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "not valid UTF-8",
        ))
    })
}

/// The first `cap` bytes at most of a file the load already read through a [`Reader`], read
/// again where no reader is at hand (the positions of a document's YAML, [`crate::model`]): a
/// regular file, capped, but not checked against a root. What it gives is used for positions
/// only, never shown; the snippets that are shown come through a [`Reader`]. A file that is no
/// longer the one `loaded` describes is refused ([`Refusal::Changed`]), as in
/// [`Reader::read_text_again`].
pub(crate) fn read_again(path: &Path, cap: u64, loaded: &AsLoaded) -> Result<Vec<u8>, Refusal> {
    if loaded.changed() {
        return Err(Refusal::Changed);
    }
    let (file, meta) = open_regular(path)?;
    loaded.admit(&meta)?;
    let mut bytes = Vec::with_capacity(meta.len().min(cap) as usize);
    file.take(cap)
        .read_to_end(&mut bytes)
        .map_err(Refusal::Io)?;
    Ok(bytes)
}

fn refusal_of(e: std::io::Error) -> Refusal {
    if e.kind() == std::io::ErrorKind::NotFound {
        Refusal::Missing
    } else {
        Refusal::Io(e)
    }
}

/// Opens `path` for reading without blocking on a FIFO and without taking a terminal as the
/// controlling one, and refuses anything but a regular file; gives the file and its `fstat`.
fn open_regular(path: &Path) -> Result<(File, Metadata), Refusal> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags((OFlags::NONBLOCK | OFlags::NOCTTY).bits() as i32);
    }
    let file = match options.open(path) {
        Ok(f) => f,
        Err(e) => {
            // a socket cannot be opened at all (ENXIO): name what it is
            if let Ok(m) = std::fs::metadata(path) {
                if !m.is_file() {
                    return Err(Refusal::NotRegular(Kind::of(m.file_type())));
                }
            }
            return Err(refusal_of(e));
        }
    };
    let meta = file.metadata().map_err(Refusal::Io)?;
    if !meta.is_file() {
        return Err(Refusal::NotRegular(Kind::of(meta.file_type())));
    }
    Ok((file, meta))
}

/// The path of the file `file` (opened from `path`), every link resolved: on Linux what
/// `/proc/self/fd/N` names (the file actually opened, race-free), elsewhere the canonical path.
fn opened_path(file: &File, path: &Path) -> Result<PathBuf, Refusal> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd as _;
        if let Ok(p) = std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd())) {
            if p.is_absolute() {
                return Ok(p);
            }
        }
    }
    let _ = file;
    std::fs::canonicalize(path).map_err(refusal_of)
}

/// Reads at most `cap` bytes of `file` (whose size says `len`).
fn read_capped(file: File, len: u64, cap: u64) -> Result<Vec<u8>, Refusal> {
    if len > cap {
        return Err(Refusal::TooLarge {
            size: len,
            cap,
            exact: true,
        });
    }
    // the size may lie (files under /proc say 0): never trust it beyond the cap
    let mut bytes = Vec::with_capacity(len as usize + 1);
    file.take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(Refusal::Io)?;
    if bytes.len() as u64 > cap {
        return Err(Refusal::TooLarge {
            size: bytes.len() as u64,
            cap,
            exact: false,
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> (tempfile::TempDir, Reader) {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("repo/sub")).expect("mkdir");
        std::fs::write(dir.path().join("repo/a.md"), "inside").expect("write");
        std::fs::write(dir.path().join("secret"), "SECRET").expect("write");
        let reader = Reader::new(&dir.path().join("repo")).expect("reader");
        (dir, reader)
    }

    /// On Linux the kernel does the boundary check: a plain read takes the `openat2` path, a
    /// link out of the root is refused there (and named by the portable path).
    #[cfg(target_os = "linux")]
    #[test]
    fn the_kernel_keeps_reads_beneath_the_root() {
        let (dir, r) = repo();
        std::os::unix::fs::symlink(dir.path().join("secret"), dir.path().join("repo/out"))
            .expect("symlink");
        std::os::unix::fs::symlink("../a.md", dir.path().join("repo/sub/up")).expect("symlink");
        match r.read_beneath(Path::new("a.md"), 100) {
            Some(found) => {
                assert_eq!(found.expect("read"), b"inside");
                assert_eq!(
                    r.read_beneath(Path::new("sub/up"), 100)
                        .expect("beneath")
                        .expect("read"),
                    b"inside"
                );
                assert!(r.read_beneath(Path::new("out"), 100).is_none());
                assert!(r.read_beneath(Path::new("../secret"), 100).is_none());
            }
            // a kernel before 5.6, or a sandbox that forbids the call: the portable path reads
            None => {
                let e = rustix::fs::openat2(
                    rustix::fs::CWD,
                    ".",
                    rustix::fs::OFlags::RDONLY,
                    rustix::fs::Mode::empty(),
                    rustix::fs::ResolveFlags::BENEATH,
                )
                .expect_err("openat2 is unavailable");
                assert!(matches!(
                    e,
                    rustix::io::Errno::NOSYS | rustix::io::Errno::PERM
                ));
            }
        }
        assert!(matches!(
            r.read(Path::new("out"), 100),
            Err(Refusal::Outside { .. })
        ));
    }

    #[test]
    fn reads_regular_files_inside_by_relative_or_absolute_path() {
        let (dir, r) = repo();
        assert_eq!(r.read(Path::new("a.md"), 100).expect("read"), b"inside");
        let abs = dir.path().join("repo/a.md");
        assert_eq!(r.read(&abs, 100).expect("read"), b"inside");
        assert_eq!(r.read_text(Path::new("a.md"), 100).expect("text"), "inside");
        assert!(matches!(
            r.read(Path::new("none.md"), 100),
            Err(Refusal::Missing)
        ));
        // a path that climbs out without any link is outside too
        let err = r.read(Path::new("../secret"), 100).expect_err("outside");
        assert!(matches!(&err, Refusal::Outside { target } if target.ends_with("secret")));
    }

    #[test]
    fn caps_are_exact_and_the_size_is_not_trusted() {
        let (_dir, r) = repo();
        assert_eq!(r.read(Path::new("a.md"), 6).expect("at the cap"), b"inside");
        assert!(matches!(
            r.read(Path::new("a.md"), 5),
            Err(Refusal::TooLarge {
                size: 6,
                cap: 5,
                exact: true
            })
        ));
        // a file whose size says 0 but that has content: read at most cap + 1 bytes
        #[cfg(target_os = "linux")]
        {
            let err = read_user_file(Path::new("/proc/self/status"), 10).expect_err("capped");
            assert!(
                matches!(
                    err,
                    Refusal::TooLarge {
                        size: 11,
                        cap: 10,
                        exact: false
                    }
                ),
                "{err:?}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_inside_work_links_outside_are_refused_with_their_target() {
        let (dir, r) = repo();
        let repo = dir.path().join("repo");
        std::os::unix::fs::symlink("a.md", repo.join("in.md")).expect("link");
        std::os::unix::fs::symlink(dir.path().join("secret"), repo.join("out.md")).expect("link");
        std::os::unix::fs::symlink(dir.path(), repo.join("sub/up")).expect("link");
        assert_eq!(r.read(Path::new("in.md"), 100).expect("inside"), b"inside");
        for p in ["out.md", "sub/up/secret"] {
            let err = r.read(Path::new(p), 100).expect_err("outside");
            let Refusal::Outside { target } = &err else {
                panic!("{p}: {err:?}");
            };
            assert!(target.ends_with("secret"), "{target:?}");
            // the message shows where, never what
            assert!(!err.message().en.contains("SECRET"));
            assert!(err.message().en.contains("secret"), "{}", err.message().en);
        }
        assert!(r
            .resolve(Path::new("in.md"))
            .expect("inside")
            .ends_with("a.md"));
        assert!(matches!(
            r.resolve(Path::new("out.md")),
            Err(Refusal::Outside { .. })
        ));
        // a broken link is missing, not an error of yuan
        std::os::unix::fs::symlink("nowhere", repo.join("broken.md")).expect("link");
        assert!(matches!(
            r.read(Path::new("broken.md"), 100),
            Err(Refusal::Missing)
        ));
    }

    /// The check is made on the file actually opened: the descriptor's own path, not the name
    /// looked up again (which a swap between the check and the open could change).
    #[cfg(target_os = "linux")]
    #[test]
    fn the_opened_file_is_checked_not_the_name() {
        use std::os::fd::AsRawFd as _;
        let (dir, r) = repo();
        let repo = dir.path().join("repo");
        let file = File::open(dir.path().join("secret")).expect("open");
        let real = opened_path(&file, &repo.join("a.md")).expect("path");
        // the name given says inside; the descriptor says where the file really is
        assert_eq!(
            real,
            std::fs::canonicalize(dir.path().join("secret")).expect("canonical")
        );
        assert!(!r.holds(&real));
        // and the descriptor is still this one
        assert!(file.as_raw_fd() >= 0);
        // a name swapped for a link after the walk is refused at the read
        std::fs::remove_file(repo.join("a.md")).expect("rm");
        std::os::unix::fs::symlink(dir.path().join("secret"), repo.join("a.md")).expect("link");
        assert!(matches!(
            r.read(Path::new("a.md"), 100),
            Err(Refusal::Outside { .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_refused_in_bounded_time() {
        let (dir, r) = repo();
        let repo = dir.path().join("repo");
        let fifo = repo.join("fifo.md");
        rustix::fs::mknodat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        )
        .expect("mkfifo");
        let t = std::time::Instant::now();
        assert!(matches!(
            r.read(Path::new("fifo.md"), 100),
            Err(Refusal::NotRegular(Kind::Fifo))
        ));
        assert!(matches!(
            read_user_file(&fifo, 100),
            Err(Refusal::NotRegular(Kind::Fifo))
        ));
        assert!(t.elapsed() < std::time::Duration::from_secs(5));
        assert!(matches!(
            r.read(Path::new("sub"), 100),
            Err(Refusal::NotRegular(Kind::Folder))
        ));
        assert!(matches!(
            read_user_file(Path::new("/dev/zero"), 100),
            Err(Refusal::NotRegular(Kind::CharDevice))
        ));
        // a link inside the root to a device outside it: refused (as a device or as outside)
        std::os::unix::fs::symlink("/dev/zero", repo.join("zero.md")).expect("link");
        assert!(r.read(Path::new("zero.md"), 100).is_err());
    }

    /// A file read again is the file loaded, or nothing: a change of size, or of modification
    /// time at the same size, between the load and the read again refuses it (and marks it),
    /// before a byte is read; an unchanged file reads as before.
    #[test]
    fn a_file_changed_since_the_load_is_not_read_again() {
        let (dir, r) = repo();
        let file = dir.path().join("repo/a.md");
        let stamp_of = |p: &str| r.read_stamped(Path::new(p), 100).expect("read").1;
        let unchanged = AsLoaded::new(stamp_of("a.md"));
        assert_eq!(
            r.read_text_again(Path::new("a.md"), 100, &unchanged)
                .expect("unchanged"),
            "inside"
        );
        assert_eq!(
            read_again(&file, 100, &unchanged).expect("unchanged"),
            b"inside"
        );
        assert!(!unchanged.changed());

        // another size
        let loaded = AsLoaded::new(stamp_of("a.md"));
        std::fs::write(&file, "inside, and more").expect("write");
        assert!(matches!(
            r.read_text_again(Path::new("a.md"), 100, &loaded),
            Err(Refusal::Changed)
        ));
        assert!(loaded.changed());
        // once seen changed, refused without looking again (even if it were changed back)
        assert!(matches!(
            read_again(&file, 100, &loaded),
            Err(Refusal::Changed)
        ));

        // the same size, another modification time
        let loaded = AsLoaded::new(stamp_of("a.md"));
        let before = std::fs::metadata(&file)
            .expect("stat")
            .modified()
            .expect("mtime");
        std::fs::write(&file, "INSIDE, AND MORE").expect("write");
        File::options()
            .write(true)
            .open(&file)
            .expect("open")
            .set_modified(before + std::time::Duration::from_nanos(1))
            .expect("set mtime");
        assert!(matches!(
            read_again(&file, 100, &loaded),
            Err(Refusal::Changed)
        ));
        assert!(loaded.changed());
        assert!(Refusal::Changed
            .message()
            .en
            .contains("changed during this run"));

        // nothing kept at load (a file it made nothing of): read as before, unchecked
        let unknown = AsLoaded::default();
        assert_eq!(
            r.read_text_again(Path::new("a.md"), 100, &unknown)
                .expect("unchecked"),
            "INSIDE, AND MORE"
        );
        assert!(!unknown.changed());
    }

    /// The stamp tells size and time apart (no change of one cancels a change of the other),
    /// never takes the marks' values, and the stat data of a path gives the stamp of the
    /// descriptor's `fstat` (the cache's stamps and the reader's agree).
    #[test]
    fn stamps_fold_size_and_time() {
        let a = Stamp::new(10, 100, 5);
        assert_ne!(a, Stamp::new(11, 100, 5));
        assert_ne!(a, Stamp::new(10, 100, 6));
        assert_ne!(a, Stamp::new(10, 101, 5));
        assert_ne!(Stamp::new(11, 100, 5), Stamp::new(10, 100, 6));
        assert_eq!(a, Stamp::new(10, 100, 5));
        assert!(Stamp::new(0, 0, 0).0.get() > CHANGED);
        assert_eq!(std::mem::size_of::<Option<Stamp>>(), 8);
        assert_eq!(std::mem::size_of::<AsLoaded>(), 8);
        let (dir, r) = repo();
        let (_, stamp) = r.read_stamped(Path::new("a.md"), 100).expect("read");
        let meta = std::fs::metadata(dir.path().join("repo/a.md")).expect("stat");
        assert_eq!(stamp, Stamp::of(&meta));
        assert!(stamp.is_some());
    }
}
