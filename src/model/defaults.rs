//! Shared front matter: a folder's `_defaults.yaml` gives every document in that folder and
//! below the front-matter values it does not write itself (Hugo's `cascade`, Jekyll's
//! `defaults`).
//!
//! Stage: model. It takes the files the source stage classified as
//! [`crate::source::DEFAULTS_FILE`], reads them through the repository boundary
//! ([`crate::source::Reader`], via `parse::read_bytes`: the same size cap, regular files inside
//! the root only) and their YAML through the parse stage (`parse::parse_registry`: a mapping, or
//! an empty file); what a value *means* to a document (which keys a kind has, which must not be
//! shared) is the model's knowledge, so the merge lives here, before `model::build` validates
//! and types the merged front matter. It gives a [`Cascade`]: per document, the chain of
//! defaults that applies (nearest folder first), the merge, a digest of the chain (part of the
//! parse cache's entry, so a changed defaults file re-parses exactly the documents below it),
//! and for each inherited value where it is written ([`Inherited`]), so that a diagnostic about
//! it points at the line of `_defaults.yaml` and names the document that inherited it.
//!
//! **Precedence.** The document's own front matter, then the nearest folder's `_defaults.yaml`,
//! then those of the folders above, up to the repository root. Mappings merge key by key (a
//! document may write `dates.effective` and inherit `dates.issued`); lists and scalars are
//! taken whole from the first place that has them. A document inherits only the keys its kind
//! has (a drill record in the folder of a plan does not receive `plan_no`): that is the scope,
//! as Jekyll's `scope: type` gives it, without another setting. What identifies a document or
//! places it (`id`, `kind`, `title`, `parent`, and `aligned`, the record of one document's
//! review) is never inherited (F007); a key no kind has is F004.
//!
//! Cost: a repository without `_defaults.yaml` pays one emptiness test per document.

use super::meta::Kind;
use super::rules::{f004_unknown_key as f004, f007_defaults_key_not_inherited as f007};
use super::{FastMap, YamlSource};
use crate::diag::{Diagnostic, Span, Text};
use crate::parse::{self, yaml, ParseOptions};
use crate::source::blob::BlobId;
use crate::source::reader::AsLoaded;
use crate::source::{Reader, SourceFile};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::sync::{Arc, OnceLock};

/// Keys that a defaults file must not give: they identify a document (`id`, `title`), say
/// what it is (`kind`, which chooses its schema) or where it stands (`parent`), or record a
/// review of that one document (`aligned`, which `yuan align` writes into the document).
pub(crate) const NOT_INHERITED: &[&str] = &["id", "kind", "title", "parent", "aligned"];

/// One readable `_defaults.yaml`: the values it gives (its keys checked), and its YAML source
/// for positions.
#[derive(Debug)]
struct Defaults {
    /// Relative to the root.
    path: String,
    values: Map<String, Value>,
    yaml: Arc<YamlSource>,
    /// The git blob id of its bytes (the cache key of the documents below).
    id: BlobId,
}

/// A value a document took from a defaults file: the JSON pointer of the value (the same in
/// both files) and the defaults file's path. Kept with the document (in the parse cache too);
/// the YAML source is attached by the load ([`Cascade::attach`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Inherited {
    pub(crate) pointer: String,
    pub(crate) from: String,
    #[serde(skip)]
    pub(crate) yaml: Option<Arc<YamlSource>>,
}

/// Every readable defaults file of a repository, by folder.
#[derive(Debug, Default)]
pub(crate) struct Cascade {
    files: Vec<Defaults>,
    /// Folder (`""`: the root) -> index in `files`.
    by_folder: FastMap<String, usize>,
}

/// The keys the schema of `kind` has, other than [`NOT_INHERITED`] (computed once).
fn kind_keys(kind: Kind) -> &'static [String] {
    static KEYS: OnceLock<Vec<(Kind, Vec<String>)>> = OnceLock::new();
    let all = KEYS.get_or_init(|| {
        Kind::ALL
            .into_iter()
            .map(|k| {
                let (_, schema) = crate::schema::for_kind(k);
                let mut keys: Vec<String> = schema
                    .get("properties")
                    .and_then(Value::as_object)
                    .map(|m| {
                        m.keys()
                            .filter(|k| !NOT_INHERITED.contains(&k.as_str()))
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default();
                keys.sort();
                (k, keys)
            })
            .collect()
    });
    all.iter()
        .find(|(k, _)| *k == kind)
        .map_or(&[], |(_, keys)| keys.as_slice())
}

/// The keys some kind has (what a defaults file may give), sorted.
fn inheritable_keys() -> &'static [String] {
    static KEYS: OnceLock<Vec<String>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut keys: Vec<String> = Kind::ALL
            .into_iter()
            .flat_map(|k| kind_keys(k).iter().cloned())
            .collect();
        keys.sort();
        keys.dedup();
        keys
    })
}

/// The folder of the file `rel` (`""`: the root).
fn folder_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// The defaults files read: relative path, and blob id when the bytes were read.
pub(crate) type Read = Vec<(String, Option<BlobId>)>;

/// Reads the defaults files `files` (relative paths, through `reader`): the cascade of those
/// that could be read, the findings about them (F005 unreadable, F002 not YAML or not a
/// mapping, F007 and F004 about keys, each at its line), and each file's blob id when its bytes
/// were read (for `--changed-since`). A broken file gives what could be read of it: nothing
/// when its YAML cannot be read, its other keys when one key is refused.
pub(crate) fn read(
    reader: &Reader,
    files: &[SourceFile],
    opts: &ParseOptions,
) -> (Cascade, Vec<Diagnostic>, Read) {
    let mut cascade = Cascade::default();
    let mut out = Vec::new();
    let mut sources = Vec::with_capacity(files.len());
    for f in files {
        let (bytes, stamp) = match parse::read_bytes(reader, &f.rel, opts) {
            Ok(read) => read,
            Err(d) => {
                out.push(*d);
                sources.push((f.rel.clone(), None));
                continue;
            }
        };
        let id = crate::source::blob::blob_id(&bytes);
        sources.push((f.rel.clone(), id));
        let text = match parse::decode_text(bytes, &f.rel) {
            Ok(t) => t,
            Err(d) => {
                out.push(*d);
                continue;
            }
        };
        let (parsed, diags) = parse::parse_registry(&f.rel, &text);
        out.extend(diags);
        let mut yaml = YamlSource::new(f.abs.clone(), parsed.yaml, 1).in_memory(reader.memory());
        yaml.loaded = AsLoaded::new(stamp);
        let mapping = match parsed.value {
            Some(Value::Object(m)) => m,
            // empty: gives nothing; not YAML or not a mapping: reported above
            _ => Map::new(),
        };
        let values = checked_keys(&f.rel, mapping, &yaml, &mut out);
        cascade
            .by_folder
            .insert(folder_of(&f.rel).to_string(), cascade.files.len());
        cascade.files.push(Defaults {
            path: f.rel.clone(),
            values,
            yaml: Arc::new(yaml),
            id: id.unwrap_or_default(),
        });
    }
    (cascade, out, sources)
}

/// The keys of a defaults file that documents may inherit; the others are reported at their
/// line and dropped (F007: must not be shared; F004: no kind has it).
fn checked_keys(
    rel: &str,
    mapping: Map<String, Value>,
    yaml: &YamlSource,
    out: &mut Vec<Diagnostic>,
) -> Map<String, Value> {
    let known = inheritable_keys();
    let mut kept = Map::new();
    for (key, value) in mapping {
        let span = || yaml.span_of(&format!("/{}", yaml::escape_segment(&key)), true);
        if NOT_INHERITED.contains(&key.as_str()) {
            out.push(f007::not_inherited(rel, span(), &key));
        } else if known.binary_search(&key).is_err() {
            let names: Vec<&str> = known.iter().map(String::as_str).collect();
            out.push(f004::unknown(rel, span(), &key, &names));
        } else {
            kept.insert(key, value);
        }
    }
    kept
}

impl Cascade {
    /// The defaults that apply to the document `rel`, nearest folder first.
    pub(crate) fn chain(&self, rel: &str) -> Vec<usize> {
        let mut chain = Vec::new();
        if self.files.is_empty() {
            return chain;
        }
        let mut folder = folder_of(rel);
        loop {
            if let Some(&i) = self.by_folder.get(folder) {
                chain.push(i);
            }
            if folder.is_empty() {
                return chain;
            }
            folder = folder_of(folder);
        }
    }

    /// A digest of the defaults of `chain` (their paths and contents), for the parse cache:
    /// `None` when nothing applies, so that documents without defaults are keyed as before.
    pub(crate) fn digest(&self, chain: &[usize]) -> Option<BlobId> {
        use sha2::Digest as _;
        if chain.is_empty() {
            return None;
        }
        let mut h = sha2::Sha256::new();
        for &i in chain {
            let d = &self.files[i];
            h.update(d.path.as_bytes());
            h.update([0]);
            h.update(d.id);
        }
        let full = h.finalize();
        let mut id = BlobId::default();
        id.copy_from_slice(&full[..20]);
        Some(id)
    }

    /// Fills the front matter `mapping` of a document with the values of `chain` it lacks, as
    /// its `kind` allows (see the module's precedence), and says which values it took from
    /// where. A mapping without a readable `kind` inherits nothing: it is reported as it is.
    pub(crate) fn merge(
        &self,
        chain: &[usize],
        mapping: &mut Map<String, Value>,
    ) -> Vec<Inherited> {
        let mut taken = Vec::new();
        let Some(kind) = mapping
            .get("kind")
            .and_then(Value::as_str)
            .and_then(Kind::parse)
        else {
            return taken;
        };
        let keys = kind_keys(kind);
        for &i in chain {
            let d = &self.files[i];
            for (key, value) in &d.values {
                if keys.binary_search(key).is_err() {
                    continue;
                }
                let pointer = format!("/{}", yaml::escape_segment(key));
                fill(mapping, key, value, pointer, d, &mut taken);
            }
        }
        taken
    }

    /// Each defaults file read (path, and the stamp of the bytes read), in path order.
    pub(crate) fn files(&self) -> impl Iterator<Item = (&str, &AsLoaded)> {
        self.files.iter().map(|d| (d.path.as_str(), &d.yaml.loaded))
    }

    /// Gives each inherited value of `taken` the YAML source of its defaults file (after a
    /// parse or a cache read, which keeps only the path).
    pub(crate) fn attach(&self, taken: &mut [Inherited]) {
        for t in taken {
            let i = self.by_folder.get(folder_of(&t.from));
            t.yaml = i
                .and_then(|&i| self.files.get(i))
                .filter(|d| d.path == t.from)
                .map(|d| Arc::clone(&d.yaml));
        }
    }
}

/// Puts `value` (of the defaults file `from`) at `key` of `into` when `into` has nothing
/// there, or merges it key by key when both are mappings.
fn fill(
    into: &mut Map<String, Value>,
    key: &str,
    value: &Value,
    pointer: String,
    from: &Defaults,
    taken: &mut Vec<Inherited>,
) {
    match into.get_mut(key) {
        None => {
            into.insert(key.to_string(), value.clone());
            taken.push(Inherited {
                pointer,
                from: from.path.clone(),
                yaml: Some(Arc::clone(&from.yaml)),
            });
        }
        Some(Value::Object(mine)) => {
            if let Value::Object(theirs) = value {
                for (k, v) in theirs {
                    let p = format!("{pointer}/{}", yaml::escape_segment(k));
                    fill(mine, k, v, p, from, taken);
                }
            }
        }
        // the document's value (or a nearer folder's) stands whole
        Some(_) => {}
    }
}

/// The inherited value at or above `pointer`, if the value there came from a defaults file:
/// the entry with the longest pointer that is `pointer` or one of its parents.
pub(crate) fn origin<'a>(taken: &'a [Inherited], pointer: &str) -> Option<&'a Inherited> {
    taken
        .iter()
        .filter(|t| {
            pointer == t.pointer
                || pointer
                    .strip_prefix(t.pointer.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
        .max_by_key(|t| t.pointer.len())
}

/// Where the value at `pointer` of a document is written when it was inherited: the defaults
/// file and the span of the value (or of its key, with `key`) there, or of its nearest written
/// parent.
pub(crate) fn place<'a>(
    taken: &'a [Inherited],
    pointer: &str,
    key: bool,
) -> Option<(&'a str, Option<Span>)> {
    let t = origin(taken, pointer)?;
    let span = t.yaml.as_ref().and_then(|y| y.span_of(pointer, key));
    Some((t.from.as_str(), span))
}

/// A finding's message about a value the document `doc` inherited (the finding points at the
/// defaults file).
pub(crate) fn inherited_note(message: Text, doc: &str) -> Text {
    let doc = crate::diag::terminal::escape(doc);
    Text {
        zh: format!("{}（此值由 {doc} 继承）", message.zh),
        en: format!("{} (value inherited by {doc})", message.en),
    }
}

/// A finding of the document `doc` moved to the defaults file that wrote the value (or key,
/// with `key`) at `pointer`, when it was inherited; unchanged otherwise.
pub(crate) fn relocate(
    mut d: Diagnostic,
    taken: &[Inherited],
    pointer: &str,
    key: bool,
    doc: &str,
) -> Diagnostic {
    if let Some((from, span)) = place(taken, pointer, key) {
        d.path = from.to_string();
        d.span = span;
        d.message = inherited_note(d.message, doc);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cascade(files: &[(&str, &str)]) -> (Cascade, Vec<Diagnostic>) {
        cascade_capped(files, 1 << 20)
    }

    /// [`cascade`] with the read cap `max_file_bytes`.
    fn cascade_capped(files: &[(&str, &str)], max_file_bytes: u64) -> (Cascade, Vec<Diagnostic>) {
        let reader = Reader::in_memory(
            files
                .iter()
                .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec())),
        );
        let list: Vec<SourceFile> = files
            .iter()
            .map(|(p, _)| SourceFile {
                rel: p.to_string(),
                abs: std::path::PathBuf::from(p),
                class: crate::source::FileClass::Defaults,
            })
            .collect();
        let opts = ParseOptions {
            max_file_bytes,
            placeholders: None,
            marked: &[],
            direct: None,
        };
        let (c, d, _) = read(&reader, &list, &opts);
        (c, d)
    }

    fn mapping(yaml: &str) -> Map<String, Value> {
        match yaml::parse(yaml, false, yaml::Limits::default()) {
            Ok((Value::Object(m), _)) => m,
            other => panic!("not a mapping: {other:?}"),
        }
    }

    #[test]
    fn the_document_wins_then_the_nearest_folder_and_mappings_merge_key_by_key() {
        let (c, d) = cascade(&[
            (
                "a/_defaults.yaml",
                "version: \"2.0\"\nissuer: 上级\ndates:\n  issued: 2024-01-01\n  effective: 2024-02-01\nhazards: [fire]\n",
            ),
            (
                "a/b/_defaults.yaml",
                "version: \"3.0\"\ndates:\n  effective: 2024-03-01\n",
            ),
        ]);
        assert!(d.is_empty(), "{d:?}");
        let chain = c.chain("a/b/x.md");
        assert_eq!(chain.len(), 2);
        let mut m =
            mapping("kind: onsite\nhazards: [flood, fire]\ndates:\n  assessed: 2023-12-01\n");
        let taken = c.merge(&chain, &mut m);
        assert_eq!(m["version"], "3.0");
        assert_eq!(m["issuer"], "上级");
        assert_eq!(m["dates"]["issued"], "2024-01-01");
        assert_eq!(m["dates"]["effective"], "2024-03-01");
        assert_eq!(m["dates"]["assessed"], "2023-12-01");
        // lists are replaced whole, never concatenated
        assert_eq!(m["hazards"], serde_json::json!(["flood", "fire"]));
        let from = |p: &str| origin(&taken, p).map(|t| t.from.as_str());
        assert_eq!(from("/version"), Some("a/b/_defaults.yaml"));
        assert_eq!(from("/dates/effective"), Some("a/b/_defaults.yaml"));
        assert_eq!(from("/dates/issued"), Some("a/_defaults.yaml"));
        assert_eq!(from("/dates/assessed"), None);
        assert_eq!(from("/dates"), None);
        assert_eq!(from("/hazards/0"), None);
        // a document of the folder above does not see the sub-folder's values
        let mut m = mapping("kind: onsite\n");
        c.merge(&c.chain("a/y.md"), &mut m);
        assert_eq!(m["version"], "2.0");
        assert!(c.chain("z.md").is_empty());
        assert_eq!(c.digest(&[]), None);
        assert_ne!(c.digest(&c.chain("a/b/x.md")), c.digest(&c.chain("a/x.md")));
    }

    #[test]
    fn keys_that_identify_a_document_or_that_no_kind_has_are_refused_at_their_line() {
        let (c, d) = cascade(&[(
            "_defaults.yaml",
            "version: \"1.0\"\nid: hotel\nplan_nr: X-1\ntitle: 应急预案\n",
        )]);
        let codes: Vec<(&str, u32)> = d
            .iter()
            .map(|d| (d.code, d.span.map_or(0, |s| s.line)))
            .collect();
        assert_eq!(codes, [("F007", 2), ("F004", 3), ("F007", 4)]);
        assert!(d[1].message.en.contains("plan_no"), "{}", d[1].message.en);
        let mut m = mapping("kind: overall\n");
        c.merge(&c.chain("x.md"), &mut m);
        assert_eq!(m.get("id"), None);
        assert_eq!(m["version"], "1.0");
    }

    #[test]
    fn a_kind_inherits_only_its_own_keys_and_no_kind_nothing() {
        let (c, _) = cascade(&[("_defaults.yaml", "plan_no: HT-01\nversion: \"1.0\"\n")]);
        let chain = c.chain("d.md");
        let mut drill = mapping("kind: drill\n");
        c.merge(&chain, &mut drill);
        assert_eq!(drill.get("plan_no"), None);
        let mut plan = mapping("kind: special\n");
        c.merge(&chain, &mut plan);
        assert_eq!(plan["plan_no"], "HT-01");
        let mut unknown = mapping("kind: poster\n");
        assert!(c.merge(&chain, &mut unknown).is_empty());
        assert_eq!(unknown.len(), 1);
    }

    #[test]
    fn a_broken_defaults_file_is_reported_and_gives_nothing() {
        let (c, d) = cascade(&[
            ("_defaults.yaml", "version: [\n"),
            ("b/_defaults.yaml", "- 1\n"),
        ]);
        let codes: Vec<&str> = d.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["F002", "F002"]);
        let mut m = mapping("kind: overall\n");
        assert!(c.merge(&c.chain("b/x.md"), &mut m).is_empty());
    }

    #[test]
    fn a_defaults_file_over_the_read_cap_is_refused_and_gives_nothing() {
        let big = format!("version: \"1.0\"\nsigned_by: {}\n", "长".repeat(100));
        let (c, d) = cascade_capped(&[("_defaults.yaml", &big)], 64);
        let codes: Vec<(&str, &str)> = d.iter().map(|d| (d.code, d.path.as_str())).collect();
        assert_eq!(codes, [("F005", "_defaults.yaml")]);
        let mut m = mapping("kind: overall\n");
        assert!(c.merge(&c.chain("x.md"), &mut m).is_empty());
    }

    #[test]
    fn an_inherited_value_is_placed_at_its_line_in_the_defaults_file() {
        let (c, _) = cascade(&[(
            "p/_defaults.yaml",
            "# 共用\nversion: \"1.0\"\ndates:\n  issued: 2024-06-01\n",
        )]);
        let mut m = mapping("kind: overall\n");
        let taken = c.merge(&c.chain("p/x.md"), &mut m);
        let (from, span) = place(&taken, "/dates/issued", false).expect("inherited");
        assert_eq!(from, "p/_defaults.yaml");
        assert_eq!(span.map(|s| s.line), Some(4));
        assert_eq!(
            place(&taken, "/version", false)
                .and_then(|p| p.1)
                .map(|s| s.line),
            Some(2)
        );
        assert!(place(&taken, "/title", false).is_none());
    }
}
