//! The typed, resolved plan repository: documents, registries and their indexes.
//!
//! Built by [`crate::load`] from parsed files (each typed by [`build`], which raises the
//! findings of [`rules`]); read by every rule and (later) every renderer.
//! Items keep where they came from, so a rule can point at the exact line of a value.

pub mod build;
pub(crate) mod cadence;
pub(crate) mod card_draft;
pub(crate) mod cited;
pub(crate) mod date;
pub(crate) mod defaults;
pub mod direct;
pub mod drill;
pub(crate) mod external;
pub(crate) mod hazards;
pub(crate) mod heading;
pub(crate) mod heading_lines;
pub(crate) mod hierarchy;
pub(crate) mod lazy;
pub(crate) mod links;
pub mod meta;
pub(crate) mod outline;
pub(crate) mod phones;
pub(crate) mod record;
pub(crate) mod refs;
pub(crate) mod registry;
pub(crate) mod rules;
pub mod sections;
pub(crate) mod skim;
pub(crate) mod steps;

use crate::diag::{Span, Text};
use crate::parse::yaml::{self, Placement, Pos, SpanMap};
use crate::source::reader::{AsLoaded, Memory, REREAD_CAP};
use drill::DrillMeta;
use meta::{CardMeta, Kind, PlanMeta};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
/// id -> position. foldhash: several times faster than the standard SipHash on short ids and
/// still seeded per process, so crafted ids cannot make lookups collide.
pub(crate) type IdMap = FastMap<String, usize>;
/// A hash map with foldhash, for the maps rules build over the whole repository.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
/// A hash set with foldhash.
pub(crate) type FastSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;
use std::path::PathBuf;
use std::sync::OnceLock;

/// Front matter up to this size is searched by streaming instead of parsed whole (see
/// [`YamlSource::span_of`]).
const LOCATE_MAX: usize = 8 * 1024;

/// Front-matter fields whose positions are kept with the document (in the cache too; the parse
/// stage is asked for them through `ParseOptions::marked`): the places findings over a whole
/// repository point at (upkeep dates, drill intervals, hierarchy). A finding at one of them
/// needs no second read of the file; 20,000 plans overdue for a drill made that second read the
/// largest cost of a warm check.
pub const MARKED: &[&str] = &[
    "/id",
    "/kind",
    "/parent",
    "/status",
    "/evaluation",
    "/dates/issued",
    "/dates/effective",
    "/dates/assessed",
    "/filing/filed_on",
    "/drills/interval_months",
    "/drills/high_risk",
];

/// Where a YAML text lies in its file. Positions of its nodes are found again on demand (the
/// file is re-read and re-parsed the first time a diagnostic needs one, then cached), instead
/// of keeping the text and a position for every node of every document in memory.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct YamlSource {
    /// The file, as yuan opened it (not cached: set from where the file is now).
    #[serde(skip)]
    pub(crate) file: PathBuf,
    /// Byte range of the YAML text in its file.
    pub(crate) offset: usize,
    pub(crate) len: usize,
    /// 1-based line of the first YAML line in its file.
    pub(crate) line: usize,
    /// Spans of the values at the [`MARKED`] pointers present (index in `MARKED`, span).
    pub(crate) marks: Vec<(u8, Span)>,
    /// The stamp of the file's bytes this was made from (not cached: set by the load), so that
    /// offsets are never applied to a file changed since (see [`crate::source::reader`]).
    #[serde(skip)]
    pub(crate) loaded: AsLoaded,
    /// The files in memory the file is one of (`None`: it is on disk, at `file`).
    #[serde(skip)]
    pub(crate) memory: Option<Arc<Memory>>,
    /// Boxed: few documents ever need it, and every document carries the lock.
    #[serde(skip)]
    cache: OnceLock<Option<Box<(String, SpanMap)>>>,
}

impl YamlSource {
    pub(crate) fn new(file: PathBuf, range: std::ops::Range<usize>, line: usize) -> Self {
        YamlSource {
            file,
            offset: range.start,
            len: range.len(),
            line,
            marks: Vec::new(),
            loaded: AsLoaded::default(),
            memory: None,
            cache: OnceLock::new(),
        }
    }

    /// The source of a file of the repository `memory` holds (`None`: on disk, at `file`).
    pub(crate) fn in_memory(mut self, memory: Option<&Arc<Memory>>) -> Self {
        self.memory = memory.cloned();
        self
    }

    /// Keeps the positions found by [`yaml::parse_marked`] with [`MARKED`] (`text` is the YAML
    /// text).
    pub(crate) fn set_marks(&mut self, text: &str, found: &[(usize, yaml::NodeSpan)]) {
        let place = Placement {
            offset: self.offset,
            line: self.line,
        };
        // the marks come in the order of the text: one pass over it converts them all
        let mut chars = crate::parse::lines::CharCursor::new(text);
        self.marks = found
            .iter()
            .filter_map(|(i, ns)| {
                let (a, b) = ns.value;
                Some((u8::try_from(*i).ok()?, place.span_by(&mut chars, a, b)))
            })
            .collect();
    }

    /// The YAML text and the positions of its nodes (read and parsed once, on first use).
    fn loaded(&self) -> Option<&(String, SpanMap)> {
        self.cache
            .get_or_init(|| {
                let bytes = self.read_again()?;
                let text =
                    std::str::from_utf8(bytes.get(self.offset..self.offset + self.len)?).ok()?;
                let spans = yaml::parse(text, true, yaml::Limits::default())
                    .map(|(_, s)| s)
                    .ok()?;
                Some(Box::new((text.to_string(), spans)))
            })
            .as_deref()
    }

    /// The file's bytes up to the end of its YAML (a regular file, never more), if the file is
    /// still the one loaded (a changed file gives no positions: findings fall back to the
    /// document, and the run names the file, see [`Corpus::changed_note`]).
    fn read_again(&self) -> Option<Vec<u8>> {
        let end = self.offset.checked_add(self.len)?;
        match &self.memory {
            None => crate::source::reader::read_again(&self.file, end as u64, &self.loaded),
            // the whole file: what lies after the YAML is never looked at
            Some(memory) => memory.read_again(&self.file, REREAD_CAP, &self.loaded),
        }
        .ok()
    }

    /// The front matter read again as plain YAML, untyped: what a document that failed its
    /// schema (F003) still says, for the rules that must not take it for absent. `None` when
    /// the file changed since or does not parse.
    pub(crate) fn untyped(&self) -> Option<serde_json::Value> {
        let bytes = self.read_again()?;
        let text = std::str::from_utf8(bytes.get(self.offset..self.offset + self.len)?).ok()?;
        yaml::parse(text, false, yaml::Limits::default())
            .ok()
            .map(|(v, _)| v)
    }

    /// The file span from `a` to `b` of the YAML text `text`.
    fn file_span(&self, text: &str, a: Pos, b: Pos) -> Span {
        let place = Placement {
            offset: self.offset,
            line: self.line,
        };
        place.span(text, a, b)
    }

    /// The span of the node at exactly `pointer`, read from the file by streaming its YAML up
    /// to that node (see [`yaml::locate`]); nothing is kept.
    fn locate(&self, pointer: &str, key: bool) -> Option<Span> {
        let bytes = self.read_again()?;
        let text = std::str::from_utf8(bytes.get(self.offset..self.offset + self.len)?).ok()?;
        let ns = yaml::locate(text, pointer, yaml::Limits::default())?;
        let (a, b) = match (key, ns.key) {
            (true, Some(k)) => k,
            _ => ns.value,
        };
        Some(self.file_span(text, a, b))
    }

    /// The span of the value at `pointer` (or of its key with `key`), walking up to the nearest
    /// node that exists (a missing field points at its parent). `None` for the root.
    pub(crate) fn span_of(&self, pointer: &str, key: bool) -> Option<Span> {
        if !key {
            let kept = MARKED.iter().position(|m| *m == pointer).and_then(|i| {
                self.marks
                    .iter()
                    .find(|(j, _)| usize::from(*j) == i)
                    .map(|(_, s)| *s)
            });
            if kept.is_some() {
                return kept;
            }
        }
        // a typical front matter (a few KB) is streamed up to the node each time, which is
        // cheaper than one full parse for the few findings a document has; a large one is
        // parsed once with every position kept, so many findings on it stay linear
        if self.len <= LOCATE_MAX && self.cache.get().is_none() {
            if let Some(s) = self.locate(pointer, key) {
                return Some(s);
            }
        }
        let (text, spans) = self.loaded()?;
        let mut p = pointer.to_string();
        loop {
            if let Some(ns) = spans.get(&p) {
                let (a, b) = match (key, ns.key) {
                    (true, Some(k)) => k,
                    _ => ns.value,
                };
                return Some(self.file_span(text, a, b));
            }
            let cut = p.rfind('/')?;
            p.truncate(cut);
        }
    }
}

/// A heading of a document body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Heading {
    pub(crate) level: u8,
    pub(crate) title: String,
    /// Title without numbering (see [`heading::normalize`]): read it with [`Heading::norm`].
    pub(crate) norm: heading::Norm,
    pub(crate) span: Span,
    pub(crate) has_content: bool,
}

impl Heading {
    /// The title without numbering (see [`heading::normalize`]).
    pub(crate) fn norm(&self) -> &str {
        self.norm.get(&self.title)
    }
}

/// How a [`TitleLine`] is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum LineForm {
    /// A short paragraph of one line: `现场应急处置程序`.
    Plain,
    /// A short bold paragraph: `**1　总则**`.
    Bold,
    /// A title and a colon at the start of a paragraph: `应急处置：立即……`.
    Label,
}

/// A short line or leading label of the body that may be a heading a Word export flattened
/// (`parse::markdown::RawLine`). Only [`sections`] decides, per profile, whether it names a
/// section; everything else reads [`Document::headings`] alone.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct TitleLine {
    pub(crate) form: LineForm,
    /// The line, or the label without its colon, as written.
    pub(crate) title: String,
    /// Title without numbering (see [`heading::normalize`]): read it with [`TitleLine::norm`].
    pub(crate) norm: heading::Norm,
    pub(crate) span: Span,
    /// A label with text after its colon.
    pub(crate) rest: bool,
    /// Text between the previous heading or line and this one.
    pub(crate) content_before: bool,
    /// Text after it, before the next heading or line.
    pub(crate) content_after: bool,
    /// How many headings come before it.
    pub(crate) headings_before: usize,
}

impl TitleLine {
    /// The title without numbering (see [`heading::normalize`]).
    pub(crate) fn norm(&self) -> &str {
        self.norm.get(&self.title)
    }
}

/// A link of a document body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Link {
    pub(crate) dest: String,
    pub(crate) span: Span,
}

/// Typed front matter.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) enum Meta {
    Plan(Box<PlanMeta>),
    Card(Box<CardMeta>),
    Drill(Box<DrillMeta>),
    /// The front matter did not pass its schema; only `id` and `kind` are known, if at all.
    Invalid,
}

/// One document (plan, card or drill record). Serialized into the parse cache (`crate::cache`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    pub(crate) path: String,
    pub id: Option<String>,
    pub(crate) kind: Option<Kind>,
    pub(crate) meta: Meta,
    pub(crate) yaml: YamlSource,
    /// Span of the opening `---` line, for findings about the document as a whole.
    pub(crate) head: Span,
    /// Decoded on first use in a cached run (see [`lazy`]).
    pub(crate) headings: lazy::Lazy<Vec<Heading>>,
    /// Short lines and leading labels that may be flattened headings (few: a plain `Vec`).
    pub(crate) lines: Vec<TitleLine>,
    pub(crate) links: Vec<Link>,
    /// Plan titles cited in the body (《…应急预案》), for R407.
    pub(crate) cited: Vec<cited::Cited>,
    /// The front-matter values taken from a folder's `_defaults.yaml` (empty for most
    /// documents), so that findings about them point at the line where they are written.
    pub(crate) inherited: Vec<defaults::Inherited>,
}

impl Document {
    pub(crate) fn plan(&self) -> Option<&PlanMeta> {
        match &self.meta {
            Meta::Plan(p) => Some(p),
            _ => None,
        }
    }
    pub fn card(&self) -> Option<&CardMeta> {
        match &self.meta {
            Meta::Card(c) => Some(c),
            _ => None,
        }
    }
    pub fn drill(&self) -> Option<&DrillMeta> {
        match &self.meta {
            Meta::Drill(d) => Some(d),
            _ => None,
        }
    }
    /// An enterprise document names its enterprise.
    pub(crate) fn is_enterprise(&self) -> bool {
        match &self.meta {
            Meta::Plan(p) => p.enterprise.is_some(),
            Meta::Card(_) => true,
            Meta::Drill(_) => false,
            Meta::Invalid => self.kind.is_some_and(Kind::enterprise_only),
        }
    }
    pub(crate) fn title(&self) -> &str {
        match &self.meta {
            Meta::Plan(p) => &p.title,
            Meta::Card(c) => &c.title,
            Meta::Drill(d) => &d.title,
            Meta::Invalid => "",
        }
    }
    /// The front matter failed its schema (F003): only `id` and `kind` are typed.
    pub(crate) fn is_broken(&self) -> bool {
        matches!(self.meta, Meta::Invalid)
    }
    pub(crate) fn parent(&self) -> Option<&str> {
        match &self.meta {
            Meta::Plan(p) => p.parent.as_deref(),
            Meta::Card(c) => Some(&c.parent),
            Meta::Drill(_) | Meta::Invalid => None,
        }
    }
    /// The span of a front-matter value in the document's own file (falls back to the document
    /// head). For a value that may be inherited, use [`Document::place_of`].
    pub(crate) fn span_of(&self, pointer: &str) -> Span {
        self.yaml.span_of(pointer, false).unwrap_or(self.head)
    }
    /// The files the document is made from: its own, then each `_defaults.yaml` it inherited a
    /// value from (a generator leaves it out of print when one of them has an error).
    pub(crate) fn sources(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.path.as_str()).chain(self.inherited.iter().map(|i| i.from.as_str()))
    }
    /// Where a front-matter value is written: the file (the document's own, or the
    /// `_defaults.yaml` it inherited the value from) and the span there, and whether it was
    /// inherited. A document that inherits nothing costs one emptiness test more than
    /// [`Document::span_of`].
    pub(crate) fn place_of(&self, pointer: &str) -> (&str, Option<Span>, bool) {
        if !self.inherited.is_empty() {
            if let Some((from, span)) = defaults::place(&self.inherited, pointer, false) {
                return (from, span, true);
            }
        }
        (&self.path, Some(self.span_of(pointer)), false)
    }
    /// The response section: the first heading that names the response
    /// ([`heading::names_response`]), as an index into `headings`.
    pub(crate) fn response_heading(&self) -> Option<usize> {
        self.headings
            .iter()
            .position(|h| heading::names_response(h.norm()))
    }
    /// The headings inside the section that heading `i` opens (its sub-sections, at any depth).
    pub(crate) fn headings_within(&self, i: usize) -> &[Heading] {
        self.headings
            .get(i + 1..sections::section_end(&self.headings, i))
            .unwrap_or(&[])
    }
    /// The heading matching `anchor` by slug or by normalized title.
    /// Whether the document has a clause of this name (a drill's or a card's citation): a
    /// heading ([`Self::find_heading`]), or a line the structure reading takes for one — a
    /// plain line, a bold line or a label, as Word exports leave headings (issue 14 §1).
    pub(crate) fn has_clause(&self, name: &str) -> bool {
        if self.find_heading(name).is_some() {
            return true;
        }
        let norm = heading::normalize(name);
        self.lines
            .iter()
            .any(|l| l.norm() == norm || l.title == name)
    }

    pub(crate) fn find_heading(&self, anchor: &str) -> Option<&Heading> {
        let norm = heading::normalize(anchor);
        if let Some(h) = self
            .headings
            .iter()
            .find(|h| h.norm() == norm || h.title == anchor)
        {
            return Some(h);
        }
        let slug = heading::slug(anchor);
        self.headings
            .iter()
            .find(|h| heading::slug(&h.title) == slug)
    }
}

/// Where a registry entry was defined: item `index` of the list `list` of registry file
/// `file`. Kept as parts, not as the pointer text: a repository of 100,000 plans has hundreds of
/// thousands of entries, and few are ever reported.
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    pub(crate) file: usize,
    /// The registry list (`roles`); empty for an entry that is no file's (a built-in hazard).
    pub(crate) list: &'static str,
    pub(crate) index: usize,
}

impl Origin {
    /// The JSON pointer of the entry in its file (`/roles/3`; empty for a built-in entry).
    pub(crate) fn pointer(&self) -> String {
        if self.list.is_empty() {
            String::new()
        } else {
            format!("/{}/{}", self.list, self.index)
        }
    }
}

/// A parsed registry file.
#[derive(Debug)]
pub(crate) struct RegistrySource {
    pub(crate) path: String,
    pub(crate) yaml: YamlSource,
    /// The git blob id of the bytes read, when the load learnt it (the parse cache does): a
    /// past version with this id is the file as it is now, and C603 need not read it.
    pub(crate) blob: Option<crate::source::blob::BlobId>,
}

/// An entry of a registry with its origin.
#[derive(Debug, Clone)]
pub(crate) struct Entry<T> {
    pub(crate) item: T,
    pub(crate) origin: Origin,
}

/// All registries merged. Vectors keep every definition (duplicates included, for I101);
/// the maps index the first definition of each id.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    pub(crate) files: Vec<RegistrySource>,
    pub(crate) jurisdictions: Vec<Entry<registry::Jurisdiction>>,
    pub(crate) organizations: Vec<Entry<registry::Organization>>,
    pub(crate) roles: Vec<Entry<registry::Role>>,
    pub(crate) contacts: Vec<Entry<registry::Contact>>,
    pub(crate) resources: Vec<Entry<registry::Resource>>,
    pub(crate) hazards: Vec<Entry<registry::Hazard>>,
    pub(crate) external_plans: Vec<Entry<registry::ExternalPlan>>,
    /// True when the repository defines no hazards and the built-in vocabulary is used.
    pub(crate) builtin_hazards: bool,
    pub(crate) index: RegistryIndex,
}

/// id -> position in the registry vectors.
#[derive(Debug, Default)]
pub(crate) struct RegistryIndex {
    pub(crate) jurisdictions: IdMap,
    pub(crate) organizations: IdMap,
    pub(crate) roles: IdMap,
    pub(crate) contacts: IdMap,
    pub(crate) resources: IdMap,
    pub(crate) hazards: IdMap,
    pub(crate) external_plans: IdMap,
}

fn index_of<T>(v: &[Entry<T>], id: impl Fn(&T) -> &str) -> IdMap {
    let mut m = IdMap::with_capacity_and_hasher(v.len(), Default::default());
    for (i, e) in v.iter().enumerate() {
        m.entry(id(&e.item).to_string()).or_insert(i);
    }
    m
}

impl Registry {
    pub(crate) fn build_index(&mut self) {
        self.index = RegistryIndex {
            jurisdictions: index_of(&self.jurisdictions, |x| &x.id),
            organizations: index_of(&self.organizations, |x| &x.id),
            roles: index_of(&self.roles, |x| &x.id),
            contacts: index_of(&self.contacts, |x| &x.id),
            resources: index_of(&self.resources, |x| &x.id),
            hazards: index_of(&self.hazards, |x| &x.id),
            external_plans: index_of(&self.external_plans, |x| &x.id),
        };
    }
    /// How a generator names one entry among the sources it prints from:
    /// `registry/hd-chem.yaml#/contacts/0` (see `render::driver::print_findings`).
    pub(crate) fn entry_key(&self, origin: &Origin) -> Option<String> {
        let f = self.files.get(origin.file)?;
        Some(format!("{}#{}", f.path, origin.pointer()))
    }
    /// The span of the entry at `pointer` of the registry file `path` (the whole entry).
    pub(crate) fn entry_span(&self, path: &str, pointer: &str) -> Option<Span> {
        let f = self.files.iter().find(|f| f.path == path)?;
        f.yaml.span_of(pointer, false)
    }
    /// Path and span of an entry's field (`suffix` like `/verified`, or empty for the entry).
    pub(crate) fn locate(&self, origin: &Origin, suffix: &str) -> (String, Option<Span>) {
        match self.files.get(origin.file) {
            Some(f) => (
                f.path.clone(),
                f.yaml
                    .span_of(&format!("{}{}", origin.pointer(), suffix), false),
            ),
            None => (String::new(), None),
        }
    }
    pub(crate) fn jurisdiction(&self, id: &str) -> Option<&registry::Jurisdiction> {
        self.index
            .jurisdictions
            .get(id)
            .map(|&i| &self.jurisdictions[i].item)
    }
    pub(crate) fn role(&self, id: &str) -> Option<&registry::Role> {
        self.index.roles.get(id).map(|&i| &self.roles[i].item)
    }
    pub(crate) fn organization(&self, id: &str) -> Option<&registry::Organization> {
        self.index
            .organizations
            .get(id)
            .map(|&i| &self.organizations[i].item)
    }
    pub(crate) fn hazard(&self, id: &str) -> Option<&registry::Hazard> {
        self.index.hazards.get(id).map(|&i| &self.hazards[i].item)
    }
    pub(crate) fn external_plan(&self, id: &str) -> Option<&registry::ExternalPlan> {
        self.index
            .external_plans
            .get(id)
            .map(|&i| &self.external_plans[i].item)
    }
}

/// The whole repository, loaded.
#[derive(Debug)]
pub struct Corpus {
    pub(crate) root: PathBuf,
    /// The repository boundary every later read of its files goes through.
    pub(crate) reader: crate::source::Reader,
    pub docs: Vec<Document>,
    pub(crate) registry: Registry,
    /// Document id -> index of its first definition.
    pub(crate) by_id: IdMap,
    /// Number of files read.
    pub(crate) files: usize,
    /// The stamp of `yuan.toml` as read (unknown when there was none).
    pub(crate) config_loaded: AsLoaded,
    /// The shared front matter read (`_defaults.yaml` files), for reading them again.
    pub(crate) defaults: defaults::Cascade,
}

/// How many lazily kept fields of a corpus were decoded from the cache, and how many of those
/// records could not be (see [`Corpus::lazy_fields`]).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LazyCount {
    pub(crate) decoded: usize,
    pub(crate) broken: usize,
}

impl Corpus {
    /// The text of the repository's file `rel` read again (a regular file inside the
    /// repository, capped), or `None` when it cannot be read now, or is no longer the file
    /// loaded: offsets found at load (spans, headings) are only ever applied to the bytes they
    /// were found in. A file the load kept nothing of (one without front matter, one it could
    /// not read) is read unchecked, as before.
    pub(crate) fn read_text(&self, rel: &str) -> Option<String> {
        let path = std::path::Path::new(rel);
        match self.loaded(rel) {
            Some(loaded) => self.reader.read_text_again(path, REREAD_CAP, loaded),
            None => self.reader.read_text(path, REREAD_CAP),
        }
        .ok()
    }

    /// The document of the file `rel`: found by bisection, documents being in the order of
    /// their sorted paths (so no map of paths is kept for it).
    pub(crate) fn doc_at(&self, rel: &str) -> Option<&Document> {
        let i = self
            .docs
            .binary_search_by(|d| d.path.as_str().cmp(rel))
            .ok()?;
        self.docs.get(i)
    }

    /// The registry file `rel`, found by bisection as [`Corpus::doc_at`].
    pub(crate) fn registry_file_at(&self, rel: &str) -> Option<&RegistrySource> {
        let files = &self.registry.files;
        let i = files.binary_search_by(|f| f.path.as_str().cmp(rel)).ok()?;
        files.get(i)
    }

    /// The stamp the load kept of the file `rel` (see [`Corpus::doc_at`]).
    fn loaded(&self, rel: &str) -> Option<&AsLoaded> {
        if rel == "yuan.toml" {
            return Some(&self.config_loaded);
        }
        if rel.rsplit('/').next() == Some(crate::source::DEFAULTS_FILE) {
            return self
                .defaults
                .files()
                .find(|(p, _)| *p == rel)
                .map(|(_, l)| l);
        }
        if let Some(d) = self.doc_at(rel) {
            return Some(&d.yaml.loaded);
        }
        self.registry_file_at(rel).map(|f| &f.yaml.loaded)
    }

    /// The note of a run during which files changed on disk after they were loaded (an editor
    /// saving, a `git checkout`): what was read of them again was not used, so the run says
    /// which and asks for another. `None` when none did.
    pub(crate) fn changed_note(&self) -> Option<Text> {
        let docs = self.docs.iter().map(|d| (d.path.as_str(), &d.yaml.loaded));
        let registries = (self.registry.files.iter()).map(|f| (f.path.as_str(), &f.yaml.loaded));
        let config = std::iter::once(("yuan.toml", &self.config_loaded));
        let changed: Vec<String> = docs
            .chain(registries)
            .chain(config)
            .chain(self.defaults.files())
            .filter(|(_, loaded)| loaded.changed())
            .map(|(path, _)| crate::diag::terminal::escape(path).into_owned())
            .collect();
        if changed.is_empty() {
            return None;
        }
        let files = changed.join(", ");
        Some(crate::text!(
            "注意：这些文件在本次运行中被改动，改动后的内容未被使用：{files}；请再运行一次",
            "note: these files changed during the run, and what they hold now was not used: {files}; run again"
        ))
    }

    /// How many lazy fields of the documents were decoded from cache bytes so far (shown by
    /// `YUAN_TIMINGS=1`), and how many records could not be: counted here, on demand, rather
    /// than by a counter or a flag every decoding thread would share.
    pub(crate) fn lazy_fields(&self) -> LazyCount {
        let mut n = LazyCount::default();
        let mut count = |decoded: bool, broken: bool| {
            n.decoded += usize::from(decoded);
            n.broken += usize::from(broken);
        };
        for d in &self.docs {
            count(d.headings.was_decoded(), d.headings.was_broken());
            if let Some(p) = d.plan() {
                count(p.organization.was_decoded(), p.organization.was_broken());
                count(
                    p.response_levels.was_decoded(),
                    p.response_levels.was_broken(),
                );
                count(
                    p.warning_levels.was_decoded(),
                    p.warning_levels.was_broken(),
                );
                count(p.reporting.was_decoded(), p.reporting.was_broken());
            }
            if let Some(c) = d.card() {
                count(c.steps.was_decoded(), c.steps.was_broken());
            }
        }
        n
    }

    pub fn doc(&self, id: &str) -> Option<&Document> {
        self.by_id.get(id).map(|&i| &self.docs[i])
    }
    pub(crate) fn plan(&self, id: &str) -> Option<&PlanMeta> {
        self.doc(id).and_then(Document::plan)
    }
    /// Document id -> index of its first definition in `docs`.
    pub(crate) fn index_of(docs: &[Document]) -> IdMap {
        let mut m = IdMap::with_capacity_and_hasher(docs.len(), Default::default());
        for (i, d) in docs.iter().enumerate() {
            if let Some(id) = &d.id {
                m.entry(id.clone()).or_insert(i);
            }
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A kept position is the one the file gives, for every [`MARKED`] field of every document
    /// of the fixtures and the sample repository (and most of them are kept).
    #[test]
    fn kept_positions_are_those_read_from_the_file() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let opts = crate::parse::ParseOptions {
            max_file_bytes: 1 << 20,
            placeholders: None,
            marked: MARKED,
            direct: Some(direct::direct),
        };
        let (mut kept, mut compared) = (0, 0);
        for dir in [root.join("tests/fixtures/good"), root.join("plans")] {
            let config = crate::load::read_config(&dir).expect("config").0;
            for f in crate::source::discover(&dir, &config).0 {
                let Ok(text) = std::fs::read_to_string(&f.abs) else {
                    continue;
                };
                let parsed = crate::parse::parse_document(&f.rel, &text, &opts);
                let (Some(doc), _) = build::document(&f.rel, &f.abs, &text, parsed) else {
                    continue;
                };
                let mut bare = doc.yaml.clone();
                bare.marks.clear();
                for p in MARKED {
                    let from_file = bare.span_of(p, false);
                    assert_eq!(doc.yaml.span_of(p, false), from_file, "{} {p}", f.rel);
                    compared += 1;
                }
                kept += doc.yaml.marks.len();
            }
        }
        assert!(
            compared > 400 && kept > compared / 3,
            "{kept} of {compared}"
        );
    }

    /// A `_defaults.yaml` is read again like every file the load kept: while unchanged its
    /// text comes back (for the snippet of a finding at its line); changed since the load, it
    /// gives no text and the run's note names it.
    #[test]
    fn a_defaults_file_changed_after_the_load_gives_no_text_and_the_note() {
        let dir = tempfile::tempdir().expect("tempdir");
        let sub = dir.path().join("p");
        std::fs::create_dir(&sub).expect("mkdir");
        std::fs::write(sub.join("_defaults.yaml"), "version: \"1.0\"\n").expect("write");
        std::fs::write(
            sub.join("a.md"),
            "---\nid: a\ntitle: 计划\nkind: overall\n---\n\n## 1 总则\n",
        )
        .expect("write");
        let loaded = crate::load::load(dir.path()).expect("load");
        let corpus = &loaded.corpus;
        let a = &corpus.docs[0];
        assert_eq!(a.place_of("/version").0, "p/_defaults.yaml");
        assert_eq!(a.place_of("/version").1.map(|s| s.line), Some(1));
        assert!(corpus
            .read_text("p/_defaults.yaml")
            .is_some_and(|t| t.contains("1.0")));
        assert!(corpus.changed_note().is_none());
        std::fs::write(sub.join("_defaults.yaml"), "version: \"2.0.1\"\n").expect("write");
        assert_eq!(corpus.read_text("p/_defaults.yaml"), None);
        let note = corpus.changed_note().expect("a note");
        assert!(note.en.contains("p/_defaults.yaml"), "{}", note.en);
    }

    /// A repository of two plans, `a.md` and `b.md`, whose second line is `title: …`.
    fn two_plans() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        for name in ["a", "b"] {
            std::fs::write(
                dir.path().join(format!("{name}.md")),
                format!("---\nid: {name}\ntitle: 计划 {name}\nkind: overall\n---\n\n## 1 总则\n\n正文。\n"),
            )
            .expect("write");
        }
        dir
    }

    /// Offsets taken at load are never applied to bytes that changed since: a plan edited
    /// after the load (another size, or the same size and another modification time) gives
    /// no text, no positions and no snippet, and the run's note names it; an unchanged plan
    /// still reads. With the parse cache trusting stat data instead of reading, the same.
    #[test]
    fn a_file_changed_after_the_load_gives_no_text_and_the_note() {
        for cache in [false, true] {
            let dir = two_plans();
            let past = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
            for name in ["a.md", "b.md"] {
                let f = std::fs::File::options()
                    .write(true)
                    .open(dir.path().join(name))
                    .expect("open");
                f.set_modified(past).expect("mtime");
            }
            let options = crate::load::LoadOptions {
                progress: false,
                cache,
            };
            if cache {
                // the first run records the stat data; the second trusts it, reading nothing
                crate::load::load_opts(dir.path(), options).expect("load");
            }
            let loaded = crate::load::load_opts(dir.path(), options).expect("load");
            let corpus = &loaded.corpus;
            let doc = |p: &str| corpus.docs.iter().find(|d| d.path == p).expect("doc");
            assert!(corpus
                .read_text("a.md")
                .is_some_and(|t| t.contains("计划 a")));
            assert!(corpus.changed_note().is_none());
            let title = doc("a.md").yaml.span_of("/title", true).expect("a's title");
            assert_eq!(title.line, 3);

            // b: another size
            std::fs::write(dir.path().join("b.md"), "---\nid: b\n---\n").expect("write");
            assert_eq!(corpus.read_text("b.md"), None, "cache: {cache}");
            assert_eq!(doc("b.md").yaml.span_of("/title", true), None);
            let note = corpus.changed_note().expect("a note");
            assert!(
                note.en.contains("b.md") && note.en.contains("run again"),
                "{}",
                note.en
            );
            assert!(
                note.zh.contains("b.md") && note.zh.contains("再运行"),
                "{}",
                note.zh
            );
            assert!(!note.en.contains("a.md"), "{}", note.en);

            // a: the same size, another modification time; a snippet of it is not shown
            let a = dir.path().join("a.md");
            let text = std::fs::read_to_string(&a).expect("read");
            std::fs::write(&a, text.replace("计划 a", "计划 x")).expect("write");
            std::fs::File::options()
                .write(true)
                .open(&a)
                .expect("open")
                .set_modified(past + std::time::Duration::from_nanos(1))
                .expect("mtime");
            let d = crate::diag::Diagnostic::new(
                "I103",
                crate::diag::Severity::Error,
                "a.md",
                crate::text!("标题", "title"),
            )
            .span(Some(title));
            let mut out = Vec::new();
            let summary = crate::diag::Summary::default();
            crate::diag::human::emit_with(
                &mut out,
                Some(&|p: &str| corpus.read_text(p)),
                std::slice::from_ref(&d),
                &summary,
                crate::diag::Lang::En,
                false,
            )
            .expect("emit");
            let out = String::from_utf8(out).expect("utf-8");
            assert!(!out.contains("计划"), "{out}");
            assert!(out.contains("at: a.md:3:"), "{out}");
            let note = corpus.changed_note().expect("a note");
            assert!(note.en.contains("a.md, b.md"), "{}", note.en);
        }
    }
}
