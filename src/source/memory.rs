//! The in-memory backend of the [`Reader`](super::Reader): a repository that is a sorted map
//! of `/`-separated relative paths to bytes.
//!
//! Why: tests (and any caller that holds plans without a folder) load and check a repository
//! through exactly the path a folder on disk takes (load → model → check), with no temporary
//! folder. The rules of the boundary hold where they mean something: a path is looked up
//! plainly, so one that climbs (`..`) or is absolute is refused as outside the repository; a
//! name that is a folder (the prefix of other files) is not a regular file; every read is
//! capped as on disk. Nothing here changes after it is made, so no read is ever refused as
//! changed since the load, and no stamp is kept.

use super::reader::{AsLoaded, Kind, Refusal};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// The files of a repository held in memory.
#[derive(Debug, Clone, Default)]
pub(crate) struct Memory {
    files: BTreeMap<String, Vec<u8>>,
}

impl Memory {
    /// The repository of `files`: paths relative to its root, `/`-separated, and their bytes.
    /// A path is kept plain (`./a.md` is `a.md`), as every read looks it up; one that climbs
    /// or is absolute is kept as given, so that the load reports it (F005) when it reads it.
    pub(crate) fn new(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> Memory {
        let plain = |(path, bytes): (String, Vec<u8>)| match key(Path::new(&path)) {
            Ok(plain) if !plain.is_empty() => (plain, bytes),
            _ => (path, bytes),
        };
        Memory {
            files: files.into_iter().map(plain).collect(),
        }
    }

    /// The paths of the files held, sorted.
    pub(crate) fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// The bytes of the file at `path`, at most `cap`; over it, refused as on disk.
    pub(crate) fn read(&self, path: &Path, cap: u64) -> Result<Vec<u8>, Refusal> {
        let bytes = self.get(path)?;
        let size = bytes.len() as u64;
        if size > cap {
            return Err(Refusal::TooLarge {
                size,
                cap,
                exact: true,
            });
        }
        Ok(bytes.to_vec())
    }

    /// [`Memory::read`] after the load: refused once the run marked the file changed (which,
    /// in memory, only a caller that shares `loaded` with a disk file can have done).
    pub(crate) fn read_again(
        &self,
        path: &Path,
        cap: u64,
        loaded: &AsLoaded,
    ) -> Result<Vec<u8>, Refusal> {
        unchanged(loaded)?;
        self.read(path, cap)
    }

    /// The path itself, plain, if a file or a folder is there.
    pub(crate) fn resolve(&self, path: &Path) -> Result<PathBuf, Refusal> {
        let key = key(path)?;
        if key.is_empty() || self.files.contains_key(&key) || self.is_folder(&key) {
            Ok(PathBuf::from(key))
        } else {
            Err(Refusal::Missing)
        }
    }

    /// The bytes of the regular file at `path`.
    fn get(&self, path: &Path) -> Result<&[u8], Refusal> {
        let key = key(path)?;
        match self.files.get(&key) {
            Some(bytes) => Ok(bytes),
            None if key.is_empty() || self.is_folder(&key) => {
                Err(Refusal::NotRegular(Kind::Folder))
            }
            None => Err(Refusal::Missing),
        }
    }

    /// Whether `key` is a folder: the prefix of some file's path.
    fn is_folder(&self, key: &str) -> bool {
        let prefix = format!("{key}/");
        (self.files.range(prefix.clone()..).next()).is_some_and(|(k, _)| k.starts_with(&prefix))
    }
}

/// Nothing in memory changes, so a file is refused as changed only once the run marked it so.
fn unchanged(loaded: &AsLoaded) -> Result<(), Refusal> {
    match loaded.changed() {
        true => Err(Refusal::Changed),
        false => Ok(()),
    }
}

/// The plain `/`-separated key of `path` (`.` steps dropped): a path that is absolute or climbs
/// (`..`) is refused as outside the repository; one that is not UTF-8 cannot be held.
fn key(path: &Path) -> Result<String, Refusal> {
    let outside = || Refusal::Outside {
        target: path.to_path_buf(),
    };
    let mut parts = Vec::new();
    for c in path.components() {
        match c {
            Component::Normal(name) => parts.push(name.to_str().ok_or(Refusal::Missing)?),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return Err(outside())
            }
        }
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> Memory {
        Memory::new([
            ("a.md".to_string(), b"inside".to_vec()),
            ("sub/b.md".to_string(), b"below".to_vec()),
        ])
    }

    #[test]
    fn files_are_read_by_their_plain_relative_path() {
        let m = repo();
        assert_eq!(m.read(Path::new("a.md"), 100).expect("read"), b"inside");
        assert_eq!(
            m.read(Path::new("./sub/b.md"), 100).expect("read"),
            b"below"
        );
        assert_eq!(m.paths().collect::<Vec<_>>(), ["a.md", "sub/b.md"]);
        let odd = Memory::new([
            ("./c.md".to_string(), Vec::new()),
            ("../d.md".to_string(), Vec::new()),
        ]);
        assert_eq!(odd.paths().collect::<Vec<_>>(), ["../d.md", "c.md"]);
        assert!(odd.read(Path::new("c.md"), 1).is_ok());
        assert!(matches!(
            m.read(Path::new("none.md"), 100),
            Err(Refusal::Missing)
        ));
        assert!(matches!(
            m.read(Path::new("sub"), 100),
            Err(Refusal::NotRegular(Kind::Folder))
        ));
        assert_eq!(
            m.resolve(Path::new("sub")).expect("folder"),
            Path::new("sub")
        );
        assert!(matches!(m.resolve(Path::new("su")), Err(Refusal::Missing)));
    }

    #[test]
    fn paths_that_climb_or_are_absolute_are_outside() {
        let m = repo();
        for p in ["../a.md", "sub/../a.md", "/a.md"] {
            let err = m.read(Path::new(p), 100).expect_err(p);
            assert!(matches!(&err, Refusal::Outside { target } if target == Path::new(p)));
            assert!(m.resolve(Path::new(p)).is_err());
        }
    }

    #[test]
    fn reads_are_capped() {
        let m = repo();
        assert_eq!(m.read(Path::new("a.md"), 6).expect("at the cap"), b"inside");
        assert!(matches!(
            m.read(Path::new("a.md"), 5),
            Err(Refusal::TooLarge {
                size: 6,
                cap: 5,
                exact: true
            })
        ));
        let loaded = AsLoaded::default();
        assert_eq!(
            m.read_again(Path::new("a.md"), 6, &loaded).expect("again"),
            b"inside"
        );
    }

    /// Through the [`Reader`](super::super::Reader), the backend answers as the disk one does:
    /// no stamp (nothing changes), the same refusals, text as UTF-8 or an I/O refusal.
    #[test]
    fn a_reader_in_memory_reads_and_refuses_as_on_disk() {
        use crate::source::Reader;
        let r = Reader::in_memory([
            ("a.md".to_string(), b"inside".to_vec()),
            ("gbk.md".to_string(), b"\xd3\xa6\xbc".to_vec()),
        ]);
        assert_eq!(r.root(), Path::new(""));
        let (bytes, stamp) = r.read_stamped(Path::new("a.md"), 100).expect("read");
        assert_eq!((bytes.as_slice(), stamp), (&b"inside"[..], None));
        let loaded = AsLoaded::new(stamp);
        assert_eq!(
            r.read_text_again(Path::new("a.md"), 100, &loaded)
                .expect("again"),
            "inside"
        );
        assert!(matches!(
            r.read_text(Path::new("gbk.md"), 100),
            Err(Refusal::Io(e)) if e.kind() == std::io::ErrorKind::InvalidData
        ));
        assert!(matches!(
            r.read(Path::new("../secret"), 100),
            Err(Refusal::Outside { .. })
        ));
        assert!(matches!(
            r.read(Path::new("b.md"), 100),
            Err(Refusal::Missing)
        ));
        assert!(r.resolve(Path::new("a.md")).is_ok());
    }
}
