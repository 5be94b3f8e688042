//! Alignment (上下衔接) that notices change: what an upstream looks like now and what it looked
//! like when a lower document was last reviewed against it.
//!
//! A lower plan records in `aligned:` the state of each upstream it was reviewed against: a
//! document (its parent, a `links.upper` plan, a card's on-site plan) or a registry entry
//! (`contact:ID` …). The state is the upstream's `version`, a *digest* of its content (works
//! without git, in shallow clones and in exported folders) and the commit of the upstream
//! file's last change (lets yuan name the sections that changed since). The regulations ask a
//! plan to be revised when its upper plan changes (domain.md §2.6 trigger 1, §3 Art. 36–37).
//!
//! An upstream is cut into [`Part`]s: front-matter fields (except the upstream's own
//! administration: [`NOT_CONTENT`]), the text before the first heading, and one part per
//! heading with the text up to the next heading. The digest hashes the parts; [`compare`]
//! names the parts added, removed or changed. [`Facts::gather`] reads every upstream once and,
//! for changed ones with a recorded commit, their text at that commit (through [`crate::git`]),
//! before the rules run, so A304 stays a pure function of the corpus.

use crate::git::{self, Unavailable};
use crate::model::meta::Aligned;
use crate::model::refs::Target;
use crate::model::{outline, Corpus, Document, Meta};
use crate::parse::{front_matter, yaml};
use rayon::prelude::*;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

/// Front-matter keys that record the upstream's own administration (its alignment, version,
/// dates, filing and review), not content a lower document aligns with. The version is
/// compared on its own.
pub(crate) const NOT_CONTENT: &[&str] = &["aligned", "version", "dates", "filing", "review"];
/// Registry fields that are bookkeeping (a contact's re-verification date).
const ENTRY_NOT_CONTENT: &[&str] = &["id", "verified"];

/// What a part of an upstream is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PartKind {
    /// A front-matter field or a registry entry's field; the title is the key.
    Field,
    /// The body text before the first heading.
    Preamble,
    /// A heading and the text under it up to the next heading; the title is the heading.
    Section,
}

/// One comparable part of an upstream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    pub(crate) kind: PartKind,
    /// Identity across versions: a field's key, or the normalised titles of the heading and
    /// its ancestors (so renumbering a chapter is not a change of its identity).
    pub(crate) key: String,
    /// As shown to the user.
    pub(crate) title: String,
    /// Normalised content (trailing spaces, CRLF and blank edges removed; fields as JSON).
    pub(crate) content: String,
}

/// An upstream cut into parts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Snapshot {
    pub(crate) parts: Vec<Part>,
}

fn normalise(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let first = lines.iter().position(|l| !l.is_empty());
    let last = lines.iter().rposition(|l| !l.is_empty());
    match (first, last) {
        (Some(a), Some(b)) => lines[a..=b].join("\n"),
        _ => String::new(),
    }
}

fn field_parts(map: &serde_json::Map<String, Value>, skip: &[&str]) -> Vec<Part> {
    map.iter()
        .filter(|(k, _)| !skip.contains(&k.as_str()))
        .map(|(k, v)| Part {
            kind: PartKind::Field,
            key: format!("field:{k}"),
            title: k.clone(),
            content: v.to_string(),
        })
        .collect()
}

impl Snapshot {
    /// A document's parts, from its whole file text. `None` when it has no readable front
    /// matter (other rules report that).
    pub(crate) fn of_document(text: &str) -> Option<Snapshot> {
        let split = front_matter::split(text).ok()?;
        let (fm, _) =
            yaml::parse(&text[split.yaml.clone()], false, yaml::Limits::default()).ok()?;
        let mut parts = match &fm {
            Value::Object(m) => field_parts(m, NOT_CONTENT),
            _ => Vec::new(),
        };
        let body = &text[split.body..];
        let o = outline::of_body(body);
        let preamble = normalise(&body[o.preamble]);
        if !preamble.is_empty() {
            parts.push(Part {
                kind: PartKind::Preamble,
                key: "preamble".into(),
                title: String::new(),
                content: preamble,
            });
        }
        parts.extend(o.sections.iter().map(|s| Part {
            kind: PartKind::Section,
            key: format!("section:{}", s.key(" / ", " #")),
            title: s.title().to_string(),
            content: normalise(body.get(s.text.clone()).unwrap_or("")),
        }));
        Some(Snapshot { parts })
    }

    /// A registry entry's parts: its fields, except the bookkeeping ones.
    pub(crate) fn of_entry(entry: &Value) -> Snapshot {
        Snapshot {
            parts: match entry {
                Value::Object(m) => field_parts(m, ENTRY_NOT_CONTENT),
                other => vec![Part {
                    kind: PartKind::Field,
                    key: "value".into(),
                    title: String::new(),
                    content: other.to_string(),
                }],
            },
        }
    }

    /// The entry `id` of the registry list `list` in the YAML text of a registry file.
    pub(crate) fn of_registry_text(text: &str, list: &str, id: &str) -> Option<Snapshot> {
        let (v, _) = yaml::parse(text, false, yaml::Limits::default()).ok()?;
        let entry = v
            .get(list)?
            .as_array()?
            .iter()
            .find(|e| e.get("id").and_then(Value::as_str) == Some(id))?;
        Some(Snapshot::of_entry(entry))
    }

    /// A short fingerprint of the content (16 hex digits of SHA-256 over the parts, in order).
    pub(crate) fn digest(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for p in &self.parts {
            h.update(p.key.as_bytes());
            h.update([0]);
            h.update(p.content.as_bytes());
            h.update([0]);
        }
        h.finalize()
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// How a part changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// One changed part, in the order of the new upstream (removed parts where they stood).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Change {
    pub(crate) kind: ChangeKind,
    pub(crate) part: PartKind,
    pub(crate) title: String,
}

/// The parts of `new` that were added or changed since `old`, and those of `old` removed.
pub(crate) fn compare(old: &Snapshot, new: &Snapshot) -> Vec<Change> {
    let before: HashMap<&str, &Part> = old.parts.iter().map(|p| (p.key.as_str(), p)).collect();
    let after: BTreeSet<&str> = new.parts.iter().map(|p| p.key.as_str()).collect();
    let change = |kind, p: &Part| Change {
        kind,
        part: p.kind,
        title: p.title.clone(),
    };
    let mut out = Vec::new();
    let mut old_iter = old.parts.iter().peekable();
    let mut removed_until = |stop: Option<&str>, out: &mut Vec<Change>| {
        while let Some(o) = old_iter.next_if(|o| Some(o.key.as_str()) != stop) {
            if !after.contains(o.key.as_str()) {
                out.push(change(ChangeKind::Removed, o));
            }
        }
        old_iter.next_if(|o| Some(o.key.as_str()) == stop);
    };
    for p in &new.parts {
        match before.get(p.key.as_str()) {
            None => out.push(change(ChangeKind::Added, p)),
            Some(o) => {
                // parts removed before this one (in the old order) are named where they stood
                removed_until(Some(&p.key), &mut out);
                if o.content != p.content {
                    out.push(change(ChangeKind::Changed, p));
                }
            }
        }
    }
    removed_until(None, &mut out);
    out
}

/// What an `aligned.with` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Upstream {
    /// A document (index into `corpus.docs`).
    Document(usize),
    /// A registry entry: its list key (`contacts` …), id and the registry file's path.
    Entry {
        list: &'static str,
        id: String,
        path: String,
        name: String,
    },
}

/// Resolves `with`: a document id (optionally `plan:ID`), or `KIND:ID` of a registry entry.
pub(crate) fn resolve(corpus: &Corpus, with: &str) -> Option<Upstream> {
    if let Some(&i) = corpus.by_id.get(with) {
        return Some(Upstream::Document(i));
    }
    let (scheme, id) = with.split_once(':')?;
    let target = Target::from_scheme(scheme)?;
    let Some(list) = target.registry_list() else {
        return corpus.by_id.get(id).map(|&i| Upstream::Document(i));
    };
    let reg = &corpus.registry;
    macro_rules! lookup {
        ($list:ident) => {
            reg.index
                .$list
                .get(id)
                .map(|&i| (&reg.$list[i].origin, reg.$list[i].item.name.clone()))
        };
    }
    let (origin, name) = match target {
        Target::Organization => lookup!(organizations),
        Target::Jurisdiction => lookup!(jurisdictions),
        Target::Role => lookup!(roles),
        Target::Contact => lookup!(contacts),
        Target::Resource => lookup!(resources),
        Target::Hazard => lookup!(hazards),
        Target::Document => None,
    }?;
    // built-in hazards have no file
    let path = reg.files.get(origin.file)?.path.clone();
    Some(Upstream::Entry {
        list,
        id: id.to_string(),
        path,
        name,
    })
}

impl Upstream {
    /// The upstream's file, relative to the repository root.
    pub(crate) fn path<'a>(&'a self, corpus: &'a Corpus) -> &'a str {
        match self {
            Upstream::Document(i) => &corpus.docs[*i].path,
            Upstream::Entry { path, .. } => path,
        }
    }
    /// The upstream document's `version`; registry entries have none.
    pub(crate) fn version<'a>(&self, corpus: &'a Corpus) -> Option<&'a str> {
        match self {
            Upstream::Document(i) => match &corpus.docs[*i].meta {
                Meta::Plan(p) => Some(&p.version),
                Meta::Card(c) => Some(&c.version),
                Meta::Drill(_) | Meta::Invalid => None,
            },
            Upstream::Entry { .. } => None,
        }
    }
    /// Its title (document) or name (registry entry).
    pub(crate) fn title<'a>(&'a self, corpus: &'a Corpus) -> &'a str {
        match self {
            Upstream::Document(i) => corpus.docs[*i].title(),
            Upstream::Entry { name, .. } => name,
        }
    }
    /// Cuts the upstream's file text (as on disk or at a commit) into parts.
    pub(crate) fn snapshot(&self, text: &str) -> Option<Snapshot> {
        match self {
            Upstream::Document(_) => Snapshot::of_document(text),
            Upstream::Entry { list, id, .. } => Snapshot::of_registry_text(text, list, id),
        }
    }
    /// The current snapshot, from the file on disk.
    pub(crate) fn current(&self, corpus: &Corpus) -> Option<Snapshot> {
        let text = corpus.read_text(self.path(corpus))?;
        self.snapshot(&text)
    }
}

/// An upstream as it is now.
#[derive(Debug, Clone)]
pub(crate) struct Current {
    pub(crate) upstream: Upstream,
    /// `None` when its file cannot be read or parsed (other rules report that).
    pub(crate) snapshot: Option<Snapshot>,
    pub(crate) digest: String,
}

/// Whether an alignment record still holds, before any git lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Verdict {
    /// Recorded and current version, when they differ.
    pub(crate) version: Option<(String, String)>,
    /// The recorded digest differs from the current one.
    pub(crate) digest_changed: bool,
}

impl Verdict {
    pub(crate) fn of(a: &Aligned, current_version: Option<&str>, current_digest: &str) -> Verdict {
        let version = match (&a.version, current_version) {
            (Some(old), Some(new)) if old != new => Some((old.clone(), new.to_string())),
            _ => None,
        };
        let digest_changed = a.digest.as_deref().is_some_and(|d| d != current_digest);
        Verdict {
            version,
            digest_changed,
        }
    }
    pub(crate) fn changed(&self) -> bool {
        self.version.is_some() || self.digest_changed
    }
}

/// The alignment records of a document.
pub(crate) fn records(d: &Document) -> &[Aligned] {
    match &d.meta {
        Meta::Plan(p) => &p.aligned,
        Meta::Card(c) => &c.aligned,
        Meta::Drill(_) | Meta::Invalid => &[],
    }
}

/// Everything A304 needs, read once before the rules run.
#[derive(Debug, Default)]
pub(crate) struct Facts {
    /// `with` -> the upstream now (absent when `with` names nothing).
    pub(crate) current: HashMap<String, Current>,
    /// (`with`, commit) -> the upstream at that commit, or why it cannot be read.
    pub(crate) past: HashMap<(String, String), Result<Snapshot, Unavailable>>,
}

impl Facts {
    /// Reads every upstream named by an `aligned` record, and the past text of those that
    /// changed (or that record only a commit). No git access when nothing needs history.
    /// For the records of `docs` (all of `corpus`, or those a `--changed-since` run reports).
    pub(crate) fn gather<'a>(
        corpus: &Corpus,
        docs: impl Iterator<Item = &'a Document> + Clone,
    ) -> Facts {
        let withs: BTreeSet<&str> = docs
            .clone()
            .flat_map(|d| records(d).iter().map(|a| a.with.as_str()))
            .collect();
        if withs.is_empty() {
            return Facts::default();
        }
        let current: HashMap<String, Current> = withs
            .par_iter()
            .filter_map(|w| {
                let upstream = resolve(corpus, w)?;
                let snapshot = upstream.current(corpus);
                let digest = snapshot.as_ref().map(Snapshot::digest).unwrap_or_default();
                Some((
                    w.to_string(),
                    Current {
                        upstream,
                        snapshot,
                        digest,
                    },
                ))
            })
            .collect();
        let mut wanted: BTreeSet<(String, String)> = BTreeSet::new();
        for d in docs {
            for a in records(d) {
                let (Some(commit), Some(cur)) = (&a.commit, current.get(&a.with)) else {
                    continue;
                };
                let v = Verdict::of(a, cur.upstream.version(corpus), &cur.digest);
                if v.changed() || a.digest.is_none() {
                    wanted.insert((a.with.clone(), commit.clone()));
                }
            }
        }
        let past = wanted
            .into_iter()
            .filter_map(|(w, commit)| {
                let cur = current.get(&w)?;
                let old = git::text_at(&corpus.root, cur.upstream.path(corpus), &commit)
                    .and_then(|text| cur.upstream.snapshot(&text).ok_or(Unavailable::NotInCommit));
                Some(((w, commit), old))
            })
            .collect();
        Facts { current, past }
    }
}

/// What `yuan align` records after a review: the document's new `aligned` records, the
/// upstreams reviewed (in the order given), and notes on what could not be recorded.
#[derive(Debug)]
pub(crate) struct Review {
    pub(crate) records: Vec<Aligned>,
    pub(crate) upstreams: Vec<String>,
    pub(crate) notes: Vec<crate::diag::Text>,
}

/// The records of `doc` after a review on `today` against `with` (default: the records already
/// there, the parent and the `links.upper` plans): each upstream's version, digest and, when
/// its content at its last commit is what was reviewed, that commit (`dir`: the repository).
pub(crate) fn review(
    corpus: &Corpus,
    dir: &std::path::Path,
    doc: &Document,
    with: &[String],
    today: chrono::NaiveDate,
) -> anyhow::Result<Review> {
    use crate::{env_error, text};
    let id = doc.id.as_deref().unwrap_or_default();
    let existing = records(doc);
    let mut upstreams: Vec<String> = Vec::new();
    let mut add = |w: &str| {
        if !upstreams.iter().any(|x| x == w) {
            upstreams.push(w.to_string());
        }
    };
    if with.is_empty() {
        existing.iter().for_each(|a| add(&a.with));
        // an external plan (`external_plans`) has no text here to review against
        let here = |u: &&str| corpus.registry.external_plan(u).is_none();
        doc.parent().into_iter().filter(here).for_each(&mut add);
        if let Some(p) = doc.plan() {
            (p.links.upper.iter().map(String::as_str))
                .filter(here)
                .for_each(add);
        }
    } else {
        with.iter().for_each(|w| add(w));
    }
    if upstreams.is_empty() {
        return Err(env_error!(
            "{id} 没有上级预案（parent 或 links.upper）：用 --with 指定要衔接的上位文件",
            "{id} has no parent or upper plan: name the upstream with --with"
        ));
    }
    let mut records: Vec<Aligned> = existing.to_vec();
    let mut notes = Vec::new();
    for w in &upstreams {
        let Some(up) = resolve(corpus, w) else {
            return Err(env_error!(
                "找不到上位文件 `{w}`：应为文档 id 或登记册条目（如 `contact:ID`）",
                "cannot find the upstream `{w}`: give a document id or a registry entry (like `contact:ID`)"
            ));
        };
        if matches!(up, Upstream::Document(i) if corpus.by_id.get(id) == Some(&i)) {
            return Err(env_error!(
                "文档不能与自身衔接",
                "a document cannot be aligned with itself"
            ));
        }
        let up_path = up.path(corpus).to_string();
        let Some(snapshot) = up.current(corpus) else {
            return Err(env_error!(
                "无法读取上位文件 {up_path}（yuan check 会指出问题）",
                "cannot read the upstream {up_path} (yuan check shows why)"
            ));
        };
        // the commit of the upstream's last change, if its content there is what was reviewed
        // (changes of its own administration, like its `aligned` field, do not count)
        let digest = snapshot.digest();
        let commit = match git::last_change(dir, &up_path) {
            Ok(Some(c)) => {
                let same = git::text_at(dir, &up_path, &c)
                    .ok()
                    .and_then(|t| up.snapshot(&t))
                    .is_some_and(|s| s.digest() == digest);
                if !same {
                    notes.push(text!(
                        "注意：{up_path} 有未提交的改动，本次不记录提交；提交后再运行 yuan align，日后才能列出变更的章节",
                        "note: {up_path} has uncommitted changes, so no commit is recorded; commit it and run yuan align again so that later changes can be named by section",
                    ));
                }
                same.then_some(c)
            }
            Ok(None) => {
                notes.push(text!(
                    "注意：{up_path} 尚未提交，本次不记录提交",
                    "note: {up_path} is not committed yet, so no commit is recorded",
                ));
                None
            }
            Err(_) => {
                notes.push(text!(
                    "注意：不是 git 仓库（或还没有提交），基于历史的功能已关闭；只记录版本和内容指纹",
                    "note: not a git repository (or no commit yet), so history-based features are off; recording the version and digest only",
                ));
                None
            }
        };
        let record = Aligned {
            with: w.clone(),
            version: up.version(corpus).map(str::to_string),
            digest: Some(digest),
            commit,
            date: Some(today.into()),
        };
        match records.iter_mut().find(|a| &a.with == w) {
            Some(slot) => *slot = record,
            None => records.push(record),
        }
    }
    notes.dedup();
    Ok(Review {
        records,
        upstreams,
        notes,
    })
}

/// The `aligned:` field for `records`, one line per element, without line endings: texts
/// double-quoted, the upstream plain when it reads back the same, the date as it is.
pub(crate) fn field(records: &[Aligned]) -> Vec<String> {
    use crate::parse::splice;
    let entries: Vec<splice::Fields> = records
        .iter()
        .map(|a| {
            let mut entry = vec![("with", splice::scalar(&a.with))];
            let texts = [
                ("version", &a.version),
                ("digest", &a.digest),
                ("commit", &a.commit),
            ];
            for (key, value) in texts {
                if let Some(v) = value {
                    entry.push((key, splice::quoted(v)));
                }
            }
            if let Some(d) = a.date {
                entry.push(("date", d.to_string()));
            }
            entry
        })
        .collect();
    splice::block_sequence("aligned", &entries)
}

/// The text of the file at `path` with its `aligned` field holding `records`, and nothing else
/// changed: the rest of the front matter must read back exactly as before, and the new field
/// as `records`, or nothing is rewritten.
pub(crate) fn rewrite(
    path: &str,
    text: &str,
    records: &[Aligned],
) -> anyhow::Result<crate::parse::splice::Splice> {
    use crate::diag::error::Context as _;
    use crate::parse::splice;
    let edit = splice::splice(text, "aligned", &field(records))
        .context_text(|| crate::text!("无法更新 {path}", "cannot update {path}"))?;
    let before = splice::front_matter_without(text, "aligned").map(|(v, _)| v);
    let after = splice::front_matter_without(&edit.text, "aligned");
    let ok = match (&before, &after) {
        (Some(b), Some((a, Some(field)))) => {
            b == a
                && serde_json::from_value::<Vec<Aligned>>(field.clone())
                    .ok()
                    .as_deref()
                    == Some(records)
        }
        _ => false,
    };
    if !ok {
        return Err(crate::env_error!(
            "无法安全地改写 {path} 的 aligned 字段，请手工编辑",
            "cannot rewrite the `aligned` field of {path} safely; edit it by hand"
        ));
    }
    Ok(edit)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "---\nid: p\nversion: \"1\"\ntitle: 旧\naligned: []\ndates: {issued: 2024-01-01}\n---\n\n前言\n\n# 1 总则\n\n总则正文  \n\n## 1.1 目的\n\n目的\n\n# 2 组织指挥体系\n\n指挥部\n\n# 3 监测预警\n\n预警\n";

    fn titles(changes: &[Change]) -> Vec<(ChangeKind, &str)> {
        changes.iter().map(|c| (c.kind, c.title.as_str())).collect()
    }

    #[test]
    fn parts_cover_fields_preamble_and_sections() {
        let s = Snapshot::of_document(OLD).expect("snapshot");
        let keys: Vec<&str> = s.parts.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "field:id",
                "field:title",
                "preamble",
                "section:总则",
                "section:总则 / 目的",
                "section:组织指挥体系",
                "section:监测预警"
            ]
        );
        assert_eq!(s.parts[3].content, "总则正文");
    }

    #[test]
    fn administration_renumbering_and_line_endings_are_not_changes() {
        let a = Snapshot::of_document(OLD).expect("old");
        let new = OLD
            .replace("version: \"1\"", "version: \"2\"")
            .replace("aligned: []", "aligned: [{with: x}]")
            .replace("2024-01-01", "2025-01-01")
            .replace("# 3 监测预警", "# 三、监测预警")
            .replace('\n', "\r\n");
        let b = Snapshot::of_document(&new).expect("new");
        assert_eq!(compare(&a, &b), []);
        assert_eq!(a.digest(), b.digest());
        assert_eq!(a.digest().len(), 16);
    }

    #[test]
    fn added_removed_and_changed_parts_are_named_in_order() {
        let a = Snapshot::of_document(OLD).expect("old");
        let new = OLD
            .replace("title: 旧", "title: 新")
            .replace("指挥部\n", "指挥部及其办公室\n")
            .replace("## 1.1 目的\n\n目的\n\n", "")
            .replace("# 3 监测预警", "# 3 应急响应");
        let b = Snapshot::of_document(&new).expect("new");
        assert_eq!(
            titles(&compare(&a, &b)),
            [
                (ChangeKind::Changed, "title"),
                (ChangeKind::Removed, "1.1 目的"),
                (ChangeKind::Changed, "2 组织指挥体系"),
                (ChangeKind::Added, "3 应急响应"),
                (ChangeKind::Removed, "3 监测预警"),
            ]
        );
        assert_ne!(a.digest(), b.digest());
    }

    #[test]
    fn registry_entries_compare_by_field_and_ignore_verification() {
        let old = "contacts:\n  - id: zs\n    name: 张三\n    verified: 2025-01-01\n    phones: [{number: '13800000000', type: mobile}]\n";
        let a = Snapshot::of_registry_text(old, "contacts", "zs").expect("entry");
        let re = old.replace("2025-01-01", "2026-01-01");
        let b = Snapshot::of_registry_text(&re, "contacts", "zs").expect("entry");
        assert_eq!(a.digest(), b.digest());
        let ph = old.replace("13800000000", "13900000000");
        let c = Snapshot::of_registry_text(&ph, "contacts", "zs").expect("entry");
        assert_eq!(titles(&compare(&a, &c)), [(ChangeKind::Changed, "phones")]);
        assert!(Snapshot::of_registry_text(old, "contacts", "nobody").is_none());
    }

    #[test]
    fn verdict_compares_version_and_digest() {
        let a = Aligned {
            with: "p".into(),
            version: Some("1".into()),
            digest: Some("abc".into()),
            commit: None,
            date: None,
        };
        assert!(!Verdict::of(&a, Some("1"), "abc").changed());
        assert_eq!(
            Verdict::of(&a, Some("2"), "abc").version,
            Some(("1".into(), "2".into()))
        );
        assert!(Verdict::of(&a, Some("1"), "def").digest_changed);
        // a registry entry has no version: only the digest counts
        assert!(!Verdict::of(&a, None, "abc").changed());
    }

    #[test]
    fn the_field_quotes_texts_and_keeps_the_order_of_the_record() {
        let record = Aligned {
            with: "contact:zs".into(),
            version: Some("2025.1".into()),
            digest: Some("abc".into()),
            commit: None,
            date: chrono::NaiveDate::from_ymd_opt(2026, 1, 2).map(Into::into),
        };
        assert_eq!(
            field(&[record]),
            [
                "aligned:",
                "  - with: contact:zs",
                "    version: \"2025.1\"",
                "    digest: \"abc\"",
                "    date: 2026-01-02"
            ]
        );
    }
}
