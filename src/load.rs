//! The load stage: a repository -> a [`Corpus`] plus the diagnostics of reading it.
//!
//! A directory ([`load_opts`]) or whatever a [`Reader`] reads ([`load_from`]: files in memory
//! too) goes through the same steps. Reads `yuan.toml`, discovers the files, parses them in parallel (rayon), and assembles the
//! registries and the document index. Only environment problems (the root is not a directory)
//! are errors; everything about the plans is a diagnostic.

use crate::cache::{Outcome, ParseCache, Record as FileEntry, ShardView};
use crate::config::{self, Config};
use crate::diag::error::Context as _;
use crate::diag::Diagnostic;
use crate::model::defaults::Cascade;
use crate::model::{self, Corpus, Document, Entry, Origin, Registry, RegistrySource};
use crate::parse::lines::LineIndex;
use crate::parse::{self, ParseOptions};
use crate::source::blob::BlobId;
use crate::source::reader::{AsLoaded, Memory, Stamp, CONFIG_CAP};
use crate::source::rules::f006_config_invalid;
use crate::source::{self, FileClass, Reader, Refusal, SourceFile};
use rayon::prelude::*;
use std::path::Path;
use std::sync::Arc;

/// A loaded repository.
pub struct Loaded {
    pub corpus: Corpus,
    pub config: Config,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Every file read (relative path, sorted) with its git blob id when the run learnt it
    /// (with the parse cache: from the git index or by hashing; without: never). What
    /// `--changed-since` compares with a revision's tree.
    pub(crate) sources: Vec<(String, Option<BlobId>)>,
    /// The blob id of `yuan.toml` as read (`None`: none, or unreadable).
    pub(crate) config_id: Option<BlobId>,
    /// Notes about the run itself, not about the plans (e.g. why the parse cache was off);
    /// printed on standard error, never part of the findings.
    pub(crate) notes: Vec<crate::diag::Text>,
}

/// Reads `yuan.toml` (if any). A broken one is reported and replaced by the defaults.
pub(crate) fn read_config(root: &Path) -> anyhow::Result<(Config, Vec<Diagnostic>)> {
    match Reader::new(root) {
        Ok(reader) => Ok(read_config_with(&reader)),
        // no root, no config: the caller reports the missing folder
        Err(_) => Ok((Config::default(), Vec::new())),
    }
}

/// Reads `yuan.toml` through the repository `reader` (a regular file inside the repository,
/// at most [`CONFIG_CAP`]). Whatever is wrong with it (not a regular file, too large, not
/// UTF-8, not valid TOML, a path that leaves the repository) is F006, and the defaults stand in
/// for what could not be used: a repository problem, never an error of yuan.
pub(crate) fn read_config_with(reader: &Reader) -> (Config, Vec<Diagnostic>) {
    let (config, diags, ..) = read_config_and_id(reader);
    (config, diags)
}

/// [`read_config_with`], and what is kept of the bytes read: their git blob id (`None`: no
/// `yuan.toml`, or one that could not be read), for `--changed-since` to compare without
/// reading it again, and their stamp, for the snippets of its findings.
fn read_config_and_id(reader: &Reader) -> (Config, Vec<Diagnostic>, Option<BlobId>, AsLoaded) {
    let (bytes, stamp) = match reader.read_stamped(Path::new("yuan.toml"), CONFIG_CAP) {
        Ok(read) => read,
        Err(Refusal::Missing) => return (Config::default(), Vec::new(), None, AsLoaded::default()),
        Err(why) => {
            return (
                Config::default(),
                vec![f006_config_invalid::refused(&why)],
                None,
                AsLoaded::default(),
            )
        }
    };
    let id = crate::source::blob::blob_id(&bytes);
    let (config, diags) = config_from_bytes(bytes);
    (config, diags, id, AsLoaded::new(stamp))
}

/// The configuration of `yuan.toml`'s bytes; see [`read_config_with`].
fn config_from_bytes(bytes: Vec<u8>) -> (Config, Vec<Diagnostic>) {
    let text = match parse::decode_text(bytes, "yuan.toml") {
        Ok(t) => t,
        Err(d) => {
            return (
                Config::default(),
                vec![f006_config_invalid::not_utf8(d.span)],
            )
        }
    };
    match config::parse(&text) {
        Ok(mut c) => {
            let profiles: Vec<&str> = crate::model::sections::builtin()
                .keys()
                .map(String::as_str)
                .collect();
            let mut diags: Vec<Diagnostic> = config::unknown_settings(&c, &profiles)
                .iter()
                .map(|m| f006_config_invalid::unknown_setting(m))
                .collect();
            if let Err(e) = regex::Regex::new(&c.check.id_pattern) {
                diags.push(f006_config_invalid::from_error(
                    &format!("id_pattern: {e}"),
                    None,
                ));
                c.check.id_pattern = config::CheckConfig::default().id_pattern;
            }
            keep_paths_inside(&mut c, &mut diags);
            let span_of = |at: &Option<std::ops::Range<usize>>| {
                at.clone()
                    .map(|at| LineIndex::new(&text).span(&text, at.start, at.end))
            };
            diags.extend(
                config::check_ranges(&mut c, &text)
                    .iter()
                    .map(|r| f006_config_invalid::out_of_range(r, span_of(&r.at))),
            );
            diags.extend(
                config::check_choices(&mut c, &text)
                    .iter()
                    .map(|r| f006_config_invalid::not_a_choice(r, span_of(&r.at))),
            );
            (c, diags)
        }
        Err(e) => {
            let span = e
                .range
                .map(|r| LineIndex::new(&text).span(&text, r.start, r.end));
            (
                Config::default(),
                vec![f006_config_invalid::from_error(&e.message, span)],
            )
        }
    }
}

/// Whether `path` (relative to the root, `/`-separated or not) names something inside the
/// repository by its words alone: not absolute, and no `..` climbing above the root. (Links
/// are the reader's business, at the time of reading.)
pub(crate) fn stays_inside(path: &str) -> bool {
    let p = Path::new(path);
    if p.is_absolute() || path.starts_with('/') || path.starts_with('\\') {
        return false;
    }
    let mut depth = 0usize;
    for c in p.components() {
        match c {
            std::path::Component::Normal(_) => depth += 1,
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            std::path::Component::RootDir | std::path::Component::Prefix(_) => return false,
        }
    }
    true
}

/// Paths of `yuan.toml` that leave the repository (`[render] font`, `font_bold`,
/// `[files] registry`) are refused (F006) and the defaults used: only the user, on the command
/// line, may point yuan at a file outside the repository (git's `safe.directory` model).
fn keep_paths_inside(c: &mut Config, diags: &mut Vec<Diagnostic>) {
    let font_file = |spec: &str| -> String {
        match spec.rsplit_once('#') {
            Some((p, i)) if !i.is_empty() && i.chars().all(|c| c.is_ascii_digit()) => p.into(),
            _ => spec.into(),
        }
    };
    for (key, slot) in [
        ("[render] font", &mut c.render.font),
        ("[render] font_bold", &mut c.render.font_bold),
    ] {
        if let Some(spec) = slot.as_deref() {
            if !stays_inside(&font_file(spec)) {
                diags.push(f006_config_invalid::path_outside(key, spec));
                *slot = None;
            }
        }
    }
    if !stays_inside(&c.files.registry) {
        diags.push(f006_config_invalid::path_outside(
            "[files] registry",
            &c.files.registry,
        ));
        c.files.registry = config::FilesConfig::default().registry;
    }
}

// Nearly every file is `Ok`: boxing it would add an allocation per file to save nothing.
#[allow(clippy::large_enum_variant)]
enum Parsed {
    Ok(FileEntry),
    Failed(Diagnostic),
}

/// What the load keeps of one file: what was made of it, its blob id when known, and the
/// stamp of the bytes it was made from (read, or vouched for by the cache's stat data).
type Kept = (Parsed, Option<BlobId>, Option<Stamp>);

/// Loads the repository at `root` (no progress bar, no parse cache).
pub fn load(root: &Path) -> anyhow::Result<Loaded> {
    load_opts(root, LoadOptions::default())
}

/// Below this many files a progress bar would only flicker.
const PROGRESS_MIN_FILES: usize = 2000;
/// The most files one thread reads in a row before it may hand on the rest (see the parse in
/// [`load_from`]): small enough that no thread is left with a long tail, large enough that the
/// hand-overs cost nothing.
pub const LEAF: usize = 64;

/// How to load.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LoadOptions {
    /// Show a progress bar on standard error for large repositories (the caller decides
    /// whether standard error is a terminal).
    pub(crate) progress: bool,
    /// Use the parse cache under `.yuan-cache/` (unless `[check] cache = false`).
    pub(crate) cache: bool,
}

/// Parses one file's bytes and gives them their meaning (parse, then model); `memory` holds
/// the file when the repository is in memory; a document inherits from the defaults `chain`
/// of `cascade` (nearest folder first).
fn parse_file(
    memory: Option<&Arc<Memory>>,
    f: &SourceFile,
    bytes: Vec<u8>,
    opts: &ParseOptions,
    (cascade, chain): (&Cascade, &[usize]),
) -> Parsed {
    let text = match parse::decode_text(bytes, &f.rel) {
        Ok(t) => t,
        Err(d) => return Parsed::Failed(*d),
    };
    Parsed::Ok(match f.class {
        FileClass::Document => {
            // a document that inherits folder defaults is merged as a value tree
            let parsed = parse::parse_document_in(&f.rel, &text, opts, chain.is_empty());
            let defaults = Some((cascade, chain));
            let (doc, d) =
                model::build::document_with(memory, &f.rel, &f.abs, &text, parsed, defaults);
            FileEntry::Doc(doc, d)
        }
        // read before every document (`model::defaults::read`) and never passed here: nothing
        FileClass::Defaults => FileEntry::Doc(None, Vec::new()),
        FileClass::Registry => {
            let parsed = parse::parse_registry(&f.rel, &text);
            let (entries, yaml, d) = model::build::registry_in(memory, &f.rel, &f.abs, parsed);
            FileEntry::Reg(entries, yaml, d)
        }
    })
}

/// Parses one file, or takes it from the cache when its blob id is there. Also gives the blob
/// id, when known (a file too large to read that git does not vouch for has none), and the
/// stamp of the bytes parsed (of the stat data that vouched for them when none were read).
fn parse_cached(
    reader: &Reader,
    f: &SourceFile,
    opts: &ParseOptions,
    known: Option<(BlobId, Stamp)>,
    cache: &ShardView,
    cascade: &Cascade,
) -> (Kept, Outcome) {
    let chain = cascade.chain(&f.rel);
    let digest = cascade.digest(&chain);
    let digest = digest.as_ref();
    if let Some((id, stamp)) = known {
        if let Some(e) = cache.get(f, &id, digest) {
            return ((Parsed::Ok(e), Some(id), Some(stamp)), Outcome::Hit);
        }
    }
    let known = known.map(|(id, _)| id);
    let (bytes, stamp) = match parse::read_bytes(reader, &f.rel, opts) {
        Ok(read) => read,
        Err(d) => return ((Parsed::Failed(*d), known, None), Outcome::None),
    };
    let id = match known {
        Some(id) => Some(id),
        None => {
            let id = crate::source::blob::blob_id(&bytes);
            if let Some(e) = id.and_then(|id| cache.get(f, &id, digest)) {
                return ((Parsed::Ok(e), id, stamp), Outcome::Hit);
            }
            id
        }
    };
    let parsed = parse_file(None, f, bytes, opts, (cascade, &chain));
    let outcome = match (&parsed, id) {
        (Parsed::Ok(e), Some(id)) => ParseCache::encode(e, digest)
            .map(|r| Outcome::Fresh(id, r))
            .unwrap_or(Outcome::None),
        _ => Outcome::None,
    };
    ((parsed, id, stamp), outcome)
}

/// Loads the repository at `root` as `options` say.
pub(crate) fn load_opts(root: &Path, options: LoadOptions) -> anyhow::Result<Loaded> {
    let shown = root.display();
    if !root.is_dir() {
        return Err(crate::env_error!(
            "{shown} 不是目录",
            "{shown} is not a directory"
        ));
    }
    let reader = Reader::new(root)
        .context_text(|| crate::text!("无法打开 {shown}", "cannot open {shown}"))?;
    Ok(load_from(reader, options))
}

/// Loads the repository `reader` reads, as `options` say: the one load of every backend (a
/// folder on disk, files in memory). The parse cache lives in a folder of the repository on
/// disk, so a repository in memory is parsed without it (and learns no blob ids: git is not
/// behind it, and `--changed-since` has nothing to compare).
pub(crate) fn load_from(reader: Reader, options: LoadOptions) -> Loaded {
    let memory = reader.memory();
    let on_disk = memory.is_none();
    let root = reader.root().to_path_buf();
    let root = root.as_path();
    let mut timer = crate::timing::Timer::new();
    let (config, mut diagnostics, config_id, config_stamp) = read_config_and_id(&reader);
    // the cache reads the git index while the folders are walked
    let (files, walk_diags, cache) = std::thread::scope(|s| {
        let cache = s.spawn(|| {
            (on_disk && options.cache && config.check.cache)
                .then(|| ParseCache::open(root, &config))
        });
        let t = std::time::Instant::now();
        let (files, walk_diags) = source::discover_in(&reader, &config);
        crate::timing::report("walk", t.elapsed());
        (files, walk_diags, cache.join().ok().flatten())
    });
    let mut notes = Vec::new();
    let cache = match cache {
        Some(Ok(c)) => Some(c),
        Some(Err(why)) => {
            notes.push(cache_off(&why));
            None
        }
        None => None,
    };
    timer.lap("discover (and cache: open)");
    diagnostics.extend(walk_diags);
    let opts = ParseOptions {
        max_file_bytes: config.check.max_file_bytes,
        placeholders: parse::rules::t801_placeholder_text::pattern(&config.check.placeholders),
        marked: model::MARKED,
        direct: Some(model::direct::direct),
    };
    // shared front matter first: every document below a `_defaults.yaml` is made with it
    let (defaults_files, files): (Vec<SourceFile>, Vec<SourceFile>) = files
        .into_iter()
        .partition(|f| f.class == FileClass::Defaults);
    let (cascade, defaults_diags, defaults_sources) =
        model::defaults::read(&reader, &defaults_files, &opts);
    diagnostics.extend(defaults_diags);
    let bar = if options.progress && files.len() >= PROGRESS_MIN_FILES {
        // no words: the load does not know the run's language (files counted, one bar)
        let style = indicatif::ProgressStyle::with_template("{wide_bar} {pos}/{len} {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        indicatif::ProgressBar::new(files.len() as u64).with_style(style)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let parsed: Vec<Kept> = match &cache {
        Some(c) => {
            let (parsed, hits) = c.each(&files, |f, known, shard| {
                bar.inc(1);
                parse_cached(&reader, f, &opts, known, shard, &cascade)
            });
            bar.finish_and_clear();
            crate::timing::note(&format!("cache: {hits} of {} files hit", files.len()));
            timer.lap("parse (parallel, cache read and written)");
            parsed
        }
        None => {
            // Leaves of at most LEAF files: rayon otherwise splits a list into a few long runs,
            // and the last of them (the registry, whose paths sort last and whose files parse
            // slowest) is read by one thread while the others wait. The bar is moved in the
            // map, not by indicatif's adapter, which hides the length from rayon: the results
            // would be gathered in pieces and copied into a second list (90 MB at 100,000 files).
            let parsed = files
                .par_iter()
                .with_max_len(LEAF)
                .map(|f| {
                    let kept = match parse::read_bytes(&reader, &f.rel, &opts) {
                        Ok((bytes, stamp)) => {
                            let chain = cascade.chain(&f.rel);
                            let defaults = (&cascade, chain.as_slice());
                            (parse_file(memory, f, bytes, &opts, defaults), None, stamp)
                        }
                        Err(d) => (Parsed::Failed(*d), None, None),
                    };
                    bar.inc(1);
                    kept
                })
                .collect();
            bar.finish_and_clear();
            timer.lap("parse (parallel)");
            parsed
        }
    };
    let n_files = files.len() + defaults_files.len();
    let mut registry = Registry::default();
    // each list at its final size at once: hundreds of thousands of entries in a large
    // repository, which growing by doubling would copy and leave up to half unused
    let mut n = [0usize; 7];
    for (p, _, _) in &parsed {
        if let Parsed::Ok(FileEntry::Reg(Some(e), _, _)) = p {
            let lens = [
                e.jurisdictions.len(),
                e.organizations.len(),
                e.roles.len(),
                e.contacts.len(),
                e.resources.len(),
                e.hazards.len(),
                e.external_plans.len(),
            ];
            for (n, l) in n.iter_mut().zip(lens) {
                *n += l;
            }
        }
    }
    registry.jurisdictions.reserve_exact(n[0]);
    registry.organizations.reserve_exact(n[1]);
    registry.roles.reserve_exact(n[2]);
    registry.contacts.reserve_exact(n[3]);
    registry.resources.reserve_exact(n[4]);
    // and room for the built-in vocabulary
    registry
        .hazards
        .reserve_exact(n[5] + crate::model::hazards::BUILTIN.len());
    registry.external_plans.reserve_exact(n[6]);
    let mut sources = Vec::with_capacity(n_files);
    // The documents are gathered in the memory of the parse results (Rust collects a
    // `Vec::into_iter` chain in place when the items are no larger): a new list would be 40 MB
    // at 100,000 documents, every page of it touched for the first time.
    let docs: Vec<Document> = parsed
        .into_iter()
        .zip(files)
        .filter_map(|((p, id, stamp), f)| {
            let mut kept = None;
            match p {
                Parsed::Failed(d) => diagnostics.push(d),
                Parsed::Ok(FileEntry::Doc(doc, d)) => {
                    diagnostics.extend(d);
                    if let Some(mut doc) = doc {
                        doc.yaml.file = f.abs;
                        doc.yaml.loaded = AsLoaded::new(stamp);
                        if !doc.inherited.is_empty() {
                            cascade.attach(&mut doc.inherited);
                        }
                        kept = Some(doc);
                    }
                }
                Parsed::Ok(FileEntry::Reg(entries, mut yaml, d)) => {
                    yaml.file = f.abs;
                    yaml.loaded = AsLoaded::new(stamp);
                    diagnostics.extend(d);
                    let src = RegistrySource {
                        path: f.rel.clone(),
                        yaml,
                        blob: id,
                    };
                    let file = registry.files.len();
                    registry.files.push(src);
                    if let Some(e) = entries {
                        fn add<T>(
                            to: &mut Vec<Entry<T>>,
                            from: Vec<(usize, T)>,
                            file: usize,
                            list: &'static str,
                        ) {
                            to.extend(from.into_iter().map(|(index, item)| Entry {
                                item,
                                origin: Origin { file, list, index },
                            }));
                        }
                        add(
                            &mut registry.jurisdictions,
                            e.jurisdictions,
                            file,
                            "jurisdictions",
                        );
                        add(
                            &mut registry.organizations,
                            e.organizations,
                            file,
                            "organizations",
                        );
                        add(&mut registry.roles, e.roles, file, "roles");
                        add(&mut registry.contacts, e.contacts, file, "contacts");
                        add(&mut registry.resources, e.resources, file, "resources");
                        add(&mut registry.hazards, e.hazards, file, "hazards");
                        add(
                            &mut registry.external_plans,
                            e.external_plans,
                            file,
                            "external_plans",
                        );
                    }
                }
            }
            sources.push((f.rel, id));
            kept
        })
        .collect();
    if !defaults_sources.is_empty() {
        // kept sorted by path, as the walk gave them
        sources.extend(defaults_sources);
        sources.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    }
    // The repository's hazards add to the built-in vocabulary (an entry with a built-in id
    // replaces it); `[hazards] builtin = false` keeps only the repository's.
    if config.hazards.builtin {
        let own: crate::model::FastSet<String> =
            registry.hazards.iter().map(|e| e.item.id.clone()).collect();
        registry.builtin_hazards = own.is_empty();
        registry.hazards.extend(
            crate::model::hazards::builtin()
                .into_iter()
                .filter(|h| !own.contains(&h.id))
                .map(|item| Entry {
                    item,
                    origin: Origin {
                        file: usize::MAX,
                        list: "",
                        index: 0,
                    },
                }),
        );
    }
    timer.lap("assemble");
    let (by_id, ()) = rayon::join(|| Corpus::index_of(&docs), || registry.build_index());
    let corpus = Corpus {
        root: root.to_path_buf(),
        reader,
        docs,
        registry,
        by_id,
        files: n_files,
        config_loaded: config_stamp,
        defaults: cascade,
    };
    timer.lap("index (parallel)");
    Loaded {
        corpus,
        config,
        diagnostics,
        sources,
        config_id,
        notes,
    }
}

/// The note of a run whose parse cache was off because its folder was not safe to use.
fn cache_off(why: &crate::cache::Unsafe) -> crate::diag::Text {
    let (path, what) = (&why.path, why.what);
    let zh = match what {
        "a symbolic link" => "是符号链接",
        "a file" => "是文件而不是文件夹",
        "a special file" => "是特殊文件",
        "not writable" => "无法创建",
        _ => "无法安全使用",
    };
    crate::text!(
        "注意：{path} {zh}，本次不使用解析缓存（不跟随、不删除其中任何内容）；确认无误后可删除它，下次运行会重建",
        "note: {path} is {what}, so the parse cache is off for this run (nothing in it is followed or deleted); remove it once you have looked at it, and the next run rebuilds the cache"
    )
}
