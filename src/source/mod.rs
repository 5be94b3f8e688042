//! Where the bytes come from: the files of a plan repository on disk.
//!
//! Stage: source. [`discover`] walks the root (respecting `.gitignore` and `[files] exclude`),
//! classifies each file as a document (`*.md`), a registry (`*.yaml`/`*.yml` under the
//! registry folder), a folder's shared front matter ([`DEFAULTS_FILE`], anywhere) or the
//! config, and skips everything else silently, as Markdown tools do.
//! Symlinks that stay inside the repository are followed; a link that leaves it (file or
//! folder) is not followed and is reported once (F005, with its target); a loop is a
//! diagnostic, not a hang. A plan-like name that is not a regular file (a FIFO, a device) is
//! reported, never opened by the walk. The list is sorted, so every later stage sees the same
//! order.
//!
//! [`reader::Reader`] is the repository boundary every read of repository content goes
//! through (regular files inside the root, each read capped), whatever its backend: a folder on
//! disk, or files in memory ([`memory`]). [`discover_in`] lists the files of either, with one
//! classification ([`classify`], [`is_skipped`], [`skip_matcher`]).

use crate::config::Config;
use crate::diag::Diagnostic;
use ignore::overrides::OverrideBuilder;
use ignore::WalkBuilder;
use std::path::{Path, PathBuf};

pub(crate) mod blob;
pub(crate) mod memory;
pub(crate) mod reader;
pub(crate) mod rules;

pub(crate) use reader::{Reader, Refusal};
use rules::f005_unreadable_file;

/// What a file is to yuan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileClass {
    Document,
    Registry,
    /// [`DEFAULTS_FILE`]: front matter that the documents of its folder and below inherit
    /// (`model::defaults`). Neither a document nor a registry, in any folder.
    Defaults,
}

/// The name of a folder's shared front matter (see `model::defaults`).
pub(crate) const DEFAULTS_FILE: &str = "_defaults.yaml";

/// A file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Relative to the root, `/`-separated.
    pub rel: String,
    pub abs: PathBuf,
    pub(crate) class: FileClass,
}

/// Names that are documentation of the repository, not plans.
const NOT_PLANS: &[&str] = &[
    "README.md",
    "CHANGELOG.md",
    "CONTRIBUTING.md",
    "SECURITY.md",
];
/// Folders of generated output and tooling.
const SKIPPED_DIRS: &[&str] = &["!out/", "!target/", "!node_modules/", "!.yuan-cache/"];

fn rel_path(root: &Path, p: &Path) -> String {
    // the walker builds each path as the root and `/`-joined names: cut the root's text off
    // instead of parsing both into components (a tenth of a warm check's walk)
    if std::path::MAIN_SEPARATOR == '/' {
        if let (Some(r), Some(s)) = (root.to_str(), p.to_str()) {
            if let Some(rest) = s.strip_prefix(r) {
                let rest = rest.trim_start_matches('/');
                let plain = !rest.is_empty()
                    && (r.is_empty()
                        || r.ends_with('/')
                        || s.as_bytes().get(r.len()) == Some(&b'/'))
                    && rest
                        .split('/')
                        .all(|c| !c.is_empty() && c != "." && c != "..");
                if plain {
                    return rest.to_string();
                }
            }
        }
    }
    let r = p.strip_prefix(root).unwrap_or(p);
    r.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The override matcher of `[files] exclude` and the generated folders (`out/`, `target/` …);
/// bad patterns are reported.
pub(crate) fn skip_matcher(
    root: &Path,
    config: &Config,
) -> (ignore::overrides::Override, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut ob = OverrideBuilder::new(root);
    for pat in SKIPPED_DIRS {
        let _ = ob.add(pat);
    }
    for pat in &config.files.exclude {
        if let Err(e) = ob.add(&format!("!{pat}")) {
            diags.push(f005_unreadable_file::bad_exclude(pat, &e.to_string()));
        }
    }
    let overrides = ob
        .build()
        .unwrap_or_else(|_| ignore::overrides::Override::empty());
    (overrides, diags)
}

/// What a file is to yuan, from its path relative to the root: a document, a registry, a
/// folder's defaults, or nothing (`None`: skipped silently, as Markdown tools do).
pub(crate) fn classify(rel: &str, registry_dir: &str) -> Option<FileClass> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let registry_dir = registry_dir.trim_matches('/');
    if name == DEFAULTS_FILE {
        return Some(FileClass::Defaults);
    }
    if ext == "md" || ext == "markdown" {
        if NOT_PLANS.contains(&name) || name.starts_with("LICENSE") {
            return None;
        }
        Some(FileClass::Document)
    } else if (ext == "yaml" || ext == "yml")
        && (registry_dir.is_empty() || rel.starts_with(&format!("{registry_dir}/")))
    {
        Some(FileClass::Registry)
    } else {
        None
    }
}

/// Whether `rel` can be a file yuan reads (a document, a registry in some registry folder, or
/// `yuan.toml`), judged by its name alone: the files of a git tree worth comparing.
pub(crate) fn maybe_source(rel: &str) -> bool {
    rel == "yuan.toml" || classify(rel, "").is_some()
}

/// Whether the walker of [`discover`] would skip `rel` (a path relative to the root, e.g. from a
/// git tree): a hidden component, a generated folder or an `[files] exclude` pattern.
pub(crate) fn is_skipped(rel: &str, overrides: &ignore::overrides::Override) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    if parts.iter().any(|p| p.starts_with('.')) {
        return true;
    }
    (1..parts.len()).any(|n| overrides.matched(parts[..n].join("/"), true).is_ignore())
        || overrides.matched(rel, false).is_ignore()
}

/// What one thread of the walk found; handed over when the thread is done.
struct Batch<'a> {
    files: Vec<SourceFile>,
    errors: Vec<Diagnostic>,
    to: &'a Found,
}

type Found = std::sync::Mutex<(Vec<SourceFile>, Vec<Diagnostic>)>;

impl Batch<'_> {
    /// One entry of the walk (inside the repository): a file to read, a folder (nothing to
    /// do), or a plan-like name that is not a regular file (reported, never opened).
    fn visit(&mut self, root: &Path, e: ignore::DirEntry, registry_dir: &str) {
        let Some(t) = e.file_type() else {
            return;
        };
        if t.is_dir() {
            return;
        }
        let rel = rel_path(root, e.path());
        let Some(class) = classify(&rel, registry_dir) else {
            return;
        };
        if t.is_file() {
            self.files.push(SourceFile {
                rel,
                abs: e.into_path(),
                class,
            });
        } else {
            let kind = std::fs::metadata(e.path())
                .map(|m| reader::Kind::of(m.file_type()))
                .unwrap_or(reader::Kind::Other);
            self.errors.push(f005_unreadable_file::refused(
                &rel,
                &Refusal::NotRegular(kind),
            ));
        }
    }
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        if let Ok(mut to) = self.to.lock() {
            to.0.append(&mut self.files);
            to.1.append(&mut self.errors);
        }
    }
}

/// Lists the files of the repository at `root`.
pub fn discover(root: &Path, config: &Config) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    let (overrides, mut diags) = skip_matcher(root, config);
    let registry_dir = config.files.registry.clone();
    // what a followed link must resolve under (a root that cannot be resolved is not walked:
    // the walker reports it)
    let canonical = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    // On all cores (100,000 files: the walk is a stat and a few `.gitignore` lookups per entry);
    // the order is fixed by the sort below.
    let found: Found = std::sync::Mutex::new((Vec::new(), Vec::new()));
    WalkBuilder::new(root)
        .follow_links(true)
        .hidden(true)
        // git's rules only (`.gitignore`, `.git/info/exclude`), as docs/format.md says: no
        // looking for ripgrep's `.ignore` in each of 20,000 folders
        .ignore(false)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .overrides(overrides)
        .threads(rayon::current_num_threads())
        .build_parallel()
        .run(|| {
            let mut batch = Batch {
                files: Vec::new(),
                errors: Vec::new(),
                to: &found,
            };
            let registry_dir = &registry_dir;
            let canonical = &canonical;
            Box::new(move |entry| {
                match entry {
                    // a link that leaves the repository: reported once, never followed (a
                    // folder is not descended into), whatever it points at
                    Ok(e) if e.depth() > 0 && e.path_is_symlink() => {
                        match std::fs::canonicalize(e.path()) {
                            Ok(real) if !real.starts_with(canonical) => {
                                let rel = rel_path(root, e.path());
                                // the link's own target as written (`/proc/self/environ`),
                                // else where it resolved to
                                let target = std::fs::read_link(e.path()).unwrap_or(real);
                                let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                                if is_dir || classify(&rel, registry_dir).is_some() {
                                    batch.errors.push(f005_unreadable_file::refused(
                                        &rel,
                                        &Refusal::Outside { target },
                                    ));
                                }
                                return ignore::WalkState::Skip;
                            }
                            _ => batch.visit(root, e, registry_dir),
                        }
                    }
                    Ok(e) => batch.visit(root, e, registry_dir),
                    Err(err) => batch
                        .errors
                        .push(f005_unreadable_file::walk_error(root, &err)),
                }
                ignore::WalkState::Continue
            })
        });
    let (mut files, errors) = found.into_inner().unwrap_or_default();
    diags.extend(errors);
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    (files, diags)
}

/// Lists the files of the repository `reader` reads: on disk by the walk of [`discover`]; in
/// memory by the paths it holds, skipped ([`is_skipped`]: hidden names, generated folders,
/// `[files] exclude`) and classified ([`classify`]) as the walk does. (`.gitignore` files are
/// git's business, and git is not behind an in-memory repository.)
pub(crate) fn discover_in(reader: &Reader, config: &Config) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    match reader.backend() {
        reader::Backend::Disk(_) => discover(reader.root(), config),
        reader::Backend::Memory(memory) => discover_memory(memory, config),
    }
}

/// The files of a repository in memory, in the order of their paths (the walk's order).
fn discover_memory(memory: &memory::Memory, config: &Config) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    let (overrides, diags) = skip_matcher(Path::new(""), config);
    let files = memory
        .paths()
        .filter(|rel| !is_skipped(rel, &overrides))
        .filter_map(|rel| {
            Some(SourceFile {
                rel: rel.to_string(),
                abs: PathBuf::from(rel),
                class: classify(rel, &config.files.registry)?,
            })
        })
        .collect();
    (files, diags)
}

/// Whether something (of any type, a link not followed) is at `rel` under `root`: a file
/// `--changed-since` did not read may still be there, or may have been deleted.
pub(crate) fn is_present(root: &Path, rel: &str) -> bool {
    std::fs::symlink_metadata(root.join(rel)).is_ok()
}

/// Where the plan repository is, for a folder a command was given (or run in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Root {
    /// The folder itself: it has a `yuan.toml` (or is not a folder: the command says so).
    Given,
    /// The nearest folder above it with a `yuan.toml` (run from inside a repository).
    Above(PathBuf),
    /// The one folder below it with a `yuan.toml` (run from a git checkout that holds the plan
    /// repository in a subfolder, like `plans/`).
    Below(PathBuf),
    /// Several folders below it have a `yuan.toml`: which one is meant is not clear.
    Several(Vec<PathBuf>),
    /// No `yuan.toml` in it, above it or up to two levels below: no plan repository here.
    Missing,
}

/// Finds the plan repository for `dir` the way cargo finds `Cargo.toml`: `dir` itself when it
/// has a `yuan.toml` (a file or anything else there: the reader judges it), else the nearest
/// folder above with one, else the only folder at most two levels below with one (hidden
/// folders, `target/`, `node_modules/` and `out/` are not searched). Several below:
/// [`Root::Several`]; none anywhere: [`Root::Missing`] (the command gives a one-line hint
/// instead of one finding per file). A `dir` that is not a folder is given back as it is, for
/// the command to say so.
pub(crate) fn find_root(dir: &Path) -> Root {
    let has_config = |d: &Path| std::fs::symlink_metadata(d.join("yuan.toml")).is_ok();
    if has_config(dir) || !dir.is_dir() {
        return Root::Given;
    }
    if let Ok(abs) = std::fs::canonicalize(dir) {
        if let Some(up) = abs.ancestors().skip(1).find(|d| has_config(d)) {
            return Root::Above(up.to_path_buf());
        }
    }
    let mut found = Vec::new();
    let mut level = vec![dir.to_path_buf()];
    for _ in 0..2 {
        let mut next = Vec::new();
        for d in &level {
            let Ok(rd) = std::fs::read_dir(d) else {
                continue;
            };
            let mut subs: Vec<PathBuf> = rd
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .filter(|e| {
                    let name = e.file_name();
                    let name = name.to_string_lossy();
                    !name.starts_with('.') && !matches!(&*name, "target" | "node_modules" | "out")
                })
                .map(|e| e.path())
                .collect();
            subs.sort();
            for sub in subs {
                if has_config(&sub) {
                    found.push(sub);
                } else {
                    next.push(sub);
                }
            }
        }
        level = next;
    }
    match <[PathBuf; 1]>::try_from(found) {
        Ok([only]) => Root::Below(only),
        Err(found) if found.is_empty() => Root::Missing,
        Err(found) => Root::Several(found),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The walk follows links inside the root, reports a link out of it once (a folder not
    /// descended into) and a plan-like name that is not a regular file, and opens neither.
    #[cfg(unix)]
    #[test]
    fn links_out_of_the_root_are_reported_not_followed() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().expect("tempdir");
        let (root, out) = (dir.path().join("repo"), dir.path().join("out"));
        std::fs::create_dir_all(root.join("real")).expect("mkdir");
        std::fs::create_dir_all(&out).expect("mkdir");
        std::fs::write(root.join("real/a.md"), "---\nid: a\n---\n").expect("write");
        std::fs::write(out.join("b.md"), "---\nid: b\n---\n").expect("write");
        symlink("real", root.join("in")).expect("link");
        symlink(&out, root.join("ext")).expect("link");
        symlink(out.join("b.md"), root.join("b.md")).expect("link");
        symlink("/dev/null", root.join("null.txt")).expect("link"); // not a plan: ignored
        rustix::fs::mknodat(
            rustix::fs::CWD,
            root.join("pipe.md"),
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        )
        .expect("mkfifo");
        let (files, diags) = discover(&root, &Config::default());
        let rels: Vec<&str> = files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, ["in/a.md", "real/a.md"]);
        let mut found: Vec<(&str, &str)> = diags
            .iter()
            .map(|d| (d.path.as_str(), d.message.en.as_str()))
            .collect();
        found.sort();
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found[0].0, "b.md");
        assert!(found[0].1.contains("leaves the repository"), "{found:?}");
        assert_eq!(found[1].0, "ext");
        assert!(
            found[1].1.contains(out.to_str().expect("utf-8")),
            "{found:?}"
        );
        assert_eq!(found[2].0, "pipe.md");
        assert!(found[2].1.contains("named pipe"), "{found:?}");
    }

    /// The text shortcut gives what the components give, and falls back where it cannot.
    #[test]
    fn relative_paths_are_the_same_either_way() {
        let by_components = |root: &str, p: &str| {
            let p = Path::new(p);
            p.strip_prefix(root)
                .unwrap_or(p)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        };
        for (root, p) in [
            ("plans", "plans/city/a.md"),
            ("plans/", "plans/city/a.md"),
            (".", "./city/a.md"),
            ("/srv/repo", "/srv/repo/城市/预案.md"),
            ("/srv/repo", "/srv/repo//city/./a.md"),
            ("/srv/re", "/srv/repo/a.md"),
            ("", "a.md"),
        ] {
            assert_eq!(
                rel_path(Path::new(root), Path::new(p)),
                by_components(root, p),
                "{root} {p}"
            );
        }
    }
}
