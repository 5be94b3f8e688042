//! The cache's folder on disk, handled as untrusted: `.yuan-cache/` sits inside a repository
//! that may come from someone else, so any part of it may be a committed symlink, a FIFO or a
//! file where a folder belongs.
//!
//! Every step is taken from an open folder handle (`openat`, `mkdirat`, `renameat`,
//! `unlinkat`) with `O_NOFOLLOW`, so no symlink is ever followed and nothing can be swapped
//! between a check and its use. The rules:
//! - `.yuan-cache`, `parse` and the key folder must be real folders; a link or anything else
//!   there turns the cache off for the run ([`Unsafe`]), with a note, and touches nothing.
//! - A shard is read only if it is a regular file (opened non-blocking: a FIFO cannot hang the
//!   run) of at most [`MAX_SHARD_BYTES`]; anything else reads as an empty shard.
//! - Writes go to a new temporary file (`O_CREAT | O_EXCL | O_NOFOLLOW`) renamed over the shard;
//!   a rename replaces a link at the target's name and never writes through it.
//! - Clean-up removes only what the cache itself makes, checked by name and type: in `parse/`,
//!   folders named by a 32-digit hex key that hold nothing but shard files (`NN.bin`) and the
//!   cache's own temporary files; never a recursive delete, never through a link.
//!
//! Elsewhere than Unix there is no `openat`: the cache is off there.

/// The cache's own folder under the repository root.
pub(crate) const TOP: &str = ".yuan-cache";
/// Shards larger than this are not read (a 100,000-document cache has shards of a few MB).
pub(crate) const MAX_SHARD_BYTES: u64 = 256 << 20;
/// Prefix of the temporary files a write goes through.
pub(crate) const TEMP_PREFIX: &str = ".shard-";
/// Temporary files older than this are left over from a killed run and are removed; younger
/// ones may belong to a run going on now.
const STALE_TEMP_SECS: i64 = 3600;

/// Why the cache cannot be used safely in this repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unsafe {
    /// The path, relative to the repository root.
    pub(crate) path: String,
    /// What is there instead of a folder ("a symbolic link", "a file", ...).
    pub(crate) what: &'static str,
}

/// A shard as read: its bytes and its modification time (seconds, nanoseconds).
pub(crate) struct ShardFile {
    pub(crate) bytes: Vec<u8>,
    pub(crate) mtime: Option<(i64, u32)>,
}

#[cfg(unix)]
pub(crate) use unix::Folder;

#[cfg(not(unix))]
pub(crate) use other::Folder;

/// Whether `name` is a shard file's name: two digits and `.bin`.
fn is_shard_name(name: &[u8]) -> bool {
    name.len() == 6 && name[..2].iter().all(u8::is_ascii_digit) && &name[2..] == b".bin"
}

/// Whether `name` is a key folder's name: 32 lower-case hex digits.
fn is_key_name(name: &[u8]) -> bool {
    name.len() == 32
        && name
            .iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
}

#[cfg(unix)]
mod unix {
    use super::{is_key_name, is_shard_name, ShardFile, Unsafe, MAX_SHARD_BYTES, TEMP_PREFIX};
    use rustix::fs::{AtFlags, FileType, Mode, OFlags, CWD};
    use rustix::io::Errno;
    use std::io::{Read as _, Write as _};
    use std::os::fd::OwnedFd;
    use std::path::Path;
    use std::sync::OnceLock;

    const DIR_FLAGS: OFlags = OFlags::DIRECTORY
        .union(OFlags::NOFOLLOW)
        .union(OFlags::RDONLY)
        .union(OFlags::CLOEXEC);

    /// The key folder `<root>/.yuan-cache/parse/<key>`, opened as far as it exists.
    pub(crate) struct Folder {
        root: OwnedFd,
        key: String,
        /// The key folder, when it existed at open.
        existing: Option<OwnedFd>,
        /// The key folder made for writing (once per run; `None`: it cannot be made safely).
        made: OnceLock<Option<OwnedFd>>,
    }

    /// Opens `name` in `dir` as a folder without following a link. `Ok(None)`: not there.
    fn open_dir(dir: &OwnedFd, name: &str, rel: &str) -> Result<Option<OwnedFd>, Unsafe> {
        match rustix::fs::openat(dir, name, DIR_FLAGS, Mode::empty()) {
            Ok(fd) => Ok(Some(fd)),
            Err(Errno::NOENT) => Ok(None),
            Err(_) => {
                let what = match rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW) {
                    Ok(st) => match FileType::from_raw_mode(st.st_mode) {
                        FileType::Symlink => "a symbolic link",
                        FileType::RegularFile => "a file",
                        FileType::Directory => "an unreadable folder",
                        _ => "a special file",
                    },
                    Err(_) => "unreadable",
                };
                Err(Unsafe {
                    path: rel.to_string(),
                    what,
                })
            }
        }
    }

    /// Opens `name` in `dir` as a folder, making it first if it is not there.
    fn make_dir(dir: &OwnedFd, name: &str, rel: &str) -> Result<OwnedFd, Unsafe> {
        match rustix::fs::mkdirat(dir, name, Mode::from_raw_mode(0o755)) {
            Ok(()) | Err(Errno::EXIST) => {}
            Err(_) => {
                return Err(Unsafe {
                    path: rel.to_string(),
                    what: "not writable",
                })
            }
        }
        open_dir(dir, name, rel)?.ok_or_else(|| Unsafe {
            path: rel.to_string(),
            what: "gone",
        })
    }

    /// Writes a small regular file unless something else is there (a link, a FIFO).
    fn write_small(dir: &OwnedFd, name: &str, text: &str) {
        let flags =
            OFlags::WRONLY | OFlags::CREATE | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        let Ok(fd) = rustix::fs::openat(dir, name, flags, Mode::from_raw_mode(0o644)) else {
            return;
        };
        let regular = rustix::fs::fstat(&fd)
            .is_ok_and(|st| FileType::from_raw_mode(st.st_mode) == FileType::RegularFile);
        if regular && rustix::fs::ftruncate(&fd, 0).is_ok() {
            let _ = std::fs::File::from(fd).write_all(text.as_bytes());
        }
    }

    /// Whether the entry `name` of `dir` is a regular file (not following a link).
    fn is_regular(dir: &OwnedFd, name: &std::ffi::CStr) -> Option<rustix::fs::Stat> {
        rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW)
            .ok()
            .filter(|st| FileType::from_raw_mode(st.st_mode) == FileType::RegularFile)
    }

    /// The names in folder `dir` (without `.` and `..`).
    fn names(dir: &OwnedFd) -> Vec<std::ffi::CString> {
        let Ok(mut d) = rustix::fs::Dir::read_from(dir) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        while let Some(Ok(e)) = d.read() {
            let n = e.file_name();
            if n.to_bytes() != b"." && n.to_bytes() != b".." {
                out.push(n.to_owned());
            }
        }
        out
    }

    /// Removes the temporary files a killed run left in `dir`: regular files with the cache's
    /// temporary prefix, older than [`super::STALE_TEMP_SECS`] (or all of them, `all`).
    fn remove_temps(dir: &OwnedFd, all: bool) {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        for n in names(dir) {
            if !n.to_bytes().starts_with(TEMP_PREFIX.as_bytes()) {
                continue;
            }
            #[allow(clippy::unnecessary_cast)] // the field's type differs between platforms
            if let Some(st) = is_regular(dir, &n) {
                if all || now - (st.st_mtime as i64) > super::STALE_TEMP_SECS {
                    let _ = rustix::fs::unlinkat(dir, n.as_c_str(), AtFlags::empty());
                }
            }
        }
    }

    impl Folder {
        /// Opens the key folder `key` of the repository at `root` as far as it exists; makes
        /// nothing. An error says which part of the path is not a real folder.
        pub(crate) fn open(root: &Path, key: &str) -> Result<Folder, Unsafe> {
            let unreadable = || Unsafe {
                path: ".".into(),
                what: "unreadable",
            };
            let root = rustix::fs::openat(
                CWD,
                root,
                OFlags::DIRECTORY | OFlags::RDONLY | OFlags::CLOEXEC,
                Mode::empty(),
            )
            .map_err(|_| unreadable())?;
            let mut existing = None;
            if let Some(top) = open_dir(&root, super::TOP, super::TOP)? {
                let parse = format!("{}/parse", super::TOP);
                if let Some(p) = open_dir(&top, "parse", &parse)? {
                    existing = open_dir(&p, key, &format!("{parse}/{key}"))?;
                }
            }
            Ok(Folder {
                root,
                key: key.to_string(),
                existing,
                made: OnceLock::new(),
            })
        }

        /// Whether the key folder existed when the cache was opened.
        pub(crate) fn exists(&self) -> bool {
            self.existing.is_some()
        }

        /// Reads shard `name`: `None` if it is not there, not a regular file or too large.
        pub(crate) fn read(&self, name: &str) -> Option<ShardFile> {
            let dir = self.existing.as_ref()?;
            let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
            let fd = rustix::fs::openat(dir, name, flags, Mode::empty()).ok()?;
            let st = rustix::fs::fstat(&fd).ok()?;
            if FileType::from_raw_mode(st.st_mode) != FileType::RegularFile {
                return None;
            }
            let len = u64::try_from(st.st_size).ok()?;
            if len > MAX_SHARD_BYTES {
                return None;
            }
            let mut bytes = Vec::with_capacity(len as usize);
            std::fs::File::from(fd)
                .take(MAX_SHARD_BYTES + 1)
                .read_to_end(&mut bytes)
                .ok()?;
            if bytes.len() as u64 > MAX_SHARD_BYTES {
                return None;
            }
            #[allow(clippy::unnecessary_cast)] // the field types differ between platforms
            let mtime = Some((st.st_mtime as i64, st.st_mtime_nsec as u32));
            Some(ShardFile { bytes, mtime })
        }

        /// Writes shard `name` through a temporary file and a rename. Makes the folders on the
        /// first write of the run (see [`Self::prepare`]).
        pub(crate) fn write(&self, name: &str, bytes: &[u8]) -> std::io::Result<()> {
            let Some(dir) = self.made.get_or_init(|| self.prepare()).as_ref() else {
                return Err(std::io::Error::other("the cache folder cannot be made"));
            };
            let flags =
                OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
            let mut n = 0u32;
            let (tmp, fd) = loop {
                let tmp = format!("{TEMP_PREFIX}{}-{n}", std::process::id());
                match rustix::fs::openat(dir, &tmp, flags, Mode::from_raw_mode(0o644)) {
                    Ok(fd) => break (tmp, fd),
                    Err(Errno::EXIST) if n < 64 => n += 1,
                    Err(e) => return Err(e.into()),
                }
            };
            let written = std::fs::File::from(fd).write_all(bytes);
            let renamed = written.and_then(|()| {
                rustix::fs::renameat(dir, &tmp, dir, name).map_err(std::io::Error::from)
            });
            if renamed.is_err() {
                let _ = rustix::fs::unlinkat(dir, &tmp, AtFlags::empty());
            }
            renamed
        }

        /// Makes `.yuan-cache/parse/<key>` (each part a real folder, never through a link),
        /// writes the cache's `.gitignore` and `CACHEDIR.TAG`, removes the key folders of other
        /// builds or settings and stale temporary files. `None` if any part is not a folder.
        fn prepare(&self) -> Option<OwnedFd> {
            let top = make_dir(&self.root, super::TOP, super::TOP).ok()?;
            write_small(
                &top,
                ".gitignore",
                "# yuan's parse cache: safe to delete\n*\n",
            );
            write_small(
                &top,
                "CACHEDIR.TAG",
                "Signature: 8a477f597d28d172789f06886806bc55\n# yuan's parse cache (safe to delete)\n",
            );
            let parse = make_dir(&top, "parse", ".yuan-cache/parse").ok()?;
            for n in names(&parse) {
                if n.to_bytes() != self.key.as_bytes() && is_key_name(n.to_bytes()) {
                    remove_key_folder(&parse, &n);
                }
            }
            let mine = make_dir(&parse, &self.key, &self.key).ok()?;
            remove_temps(&mine, false);
            Some(mine)
        }
    }

    /// Removes the key folder `name` of `parse` if it holds only what the cache writes there:
    /// shard files and temporary files, all regular files. Anything else (a link, a folder,
    /// another file) is left, and so is the folder.
    fn remove_key_folder(parse: &OwnedFd, name: &std::ffi::CStr) {
        let Ok(dir) = rustix::fs::openat(parse, name, DIR_FLAGS, Mode::empty()) else {
            return; // a link or not a folder: not ours
        };
        for n in names(&dir) {
            let b = n.to_bytes();
            if (is_shard_name(b) || b.starts_with(TEMP_PREFIX.as_bytes()))
                && is_regular(&dir, &n).is_some()
            {
                let _ = rustix::fs::unlinkat(&dir, n.as_c_str(), AtFlags::empty());
            }
        }
        remove_temps(&dir, true);
        // fails, and leaves it, if anything else is still inside
        let _ = rustix::fs::unlinkat(parse, name, AtFlags::REMOVEDIR);
    }
}

#[cfg(not(unix))]
mod other {
    use super::{ShardFile, Unsafe};
    use std::path::Path;

    /// Without `openat` the folder cannot be handled without races: the cache is off.
    pub(crate) struct Folder;

    impl Folder {
        pub(crate) fn open(_: &Path, _: &str) -> Result<Folder, Unsafe> {
            Err(Unsafe {
                path: super::TOP.into(),
                what: "not supported on this system",
            })
        }
        pub(crate) fn exists(&self) -> bool {
            false
        }
        pub(crate) fn read(&self, _: &str) -> Option<ShardFile> {
            None
        }
        pub(crate) fn write(&self, _: &str, _: &[u8]) -> std::io::Result<()> {
            Err(std::io::Error::other("no cache on this system"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_shards_and_keys() {
        assert!(is_shard_name(b"00.bin") && is_shard_name(b"63.bin"));
        assert!(
            !is_shard_name(b"0.bin") && !is_shard_name(b"00.bin.x") && !is_shard_name(b"ab.bin")
        );
        assert!(is_key_name(b"0123456789abcdef0123456789abcdef"));
        assert!(!is_key_name(b"0123456789ABCDEF0123456789ABCDEF"));
        assert!(!is_key_name(b".."));
    }
}
