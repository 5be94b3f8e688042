//! Change review (`yuan diff`): what changed in the plans between two revisions, which of it is
//! major in the sense of the regulations, and which lower documents must now be reviewed.
//!
//! The pipeline:
//! 1. [`snapshot`]: resolve the range (default: merge-base of HEAD and the main branch .. the
//!    working tree) and list the plan files of both sides with their git blob ids;
//! 2. read the files whose blob differs on both sides ([`Doc`]: front matter as YAML values,
//!    body as a heading tree from [`outline`]) and match documents by id, so a renamed file is
//!    one changed document, not a removal and an addition;
//! 3. per document: [`outline::diff`] of the sections, top-level front-matter fields that
//!    differ, and [`major`] classification of both (organisation and duties, response
//!    procedure, main measures, response grading: domain.md §2.6, §3 Art. 36/37);
//! 4. registry entries that differ, by list and id (the plans of other organisations,
//!    `external_plans`, among them);
//! 5. alignment: documents not changed in the range whose `parent` or `links.upper` names a
//!    changed or removed document or plan of another organisation (cards under a changed
//!    on-site plan, lower plans under a changed upper plan, a provincial plan under a revised
//!    national one), that use a changed registry entry, or that inherit from a changed
//!    `_defaults.yaml`, need review;
//! 6. retired numbers: contacts' numbers of the old side's registries that no registry file of
//!    the new side has, and the documents of the new side that still write them (C603's
//!    question, asked of the range);
//! 7. [`render`]: human, Markdown and JSON output of the [`Report`].

pub(crate) mod major;
pub(crate) mod outline;
pub(crate) mod render;
pub(crate) mod snapshot;

pub(crate) use major::MajorSpec;

use crate::check::util::WorkCalendar;
use crate::config::Config;
use crate::diag::Text;
use crate::git;
use crate::model::date::Date;
use crate::model::meta::Kind;
use crate::model::phones;
use crate::model::refs::Target;
use crate::parse::{front_matter, yaml};
use crate::source::FileClass;
use chrono::NaiveDate;
use outline::{Section, SectionDiff, SectionStatus};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value};
use snapshot::{FileInfo, Repo, Side};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One document as a review sees it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Doc {
    pub(crate) path: String,
    /// `id`, else the file stem (ids follow file names, I103).
    pub(crate) id: String,
    pub(crate) kind: Option<Kind>,
    pub(crate) enterprise: bool,
    pub(crate) title: String,
    pub(crate) version: Option<String>,
    pub(crate) issued: Option<Date>,
    pub(crate) parent: Option<String>,
    pub(crate) upper: Vec<String>,
    /// Cards: the plan headings their steps cite (`steps[].clause`).
    pub(crate) clauses: Vec<String>,
    /// Top-level front-matter fields (empty when the front matter is missing or broken).
    pub(crate) front: Map<String, Value>,
    pub(crate) sections: Vec<Section>,
}

fn scalar(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Doc {
    /// Reads a document; `body` false skips the Markdown (enough for alignment).
    pub(crate) fn read(rel: &str, text: &str, body: bool) -> Doc {
        let stem = Path::new(rel)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (front, body_at) = match front_matter::split(text) {
            Ok(s) => {
                let fm = text
                    .get(s.yaml.clone())
                    .filter(|y| y.len() <= crate::parse::MAX_FRONT_MATTER)
                    .and_then(|y| yaml::parse(y, false, yaml::Limits::default()).ok())
                    .and_then(|(v, _)| match v {
                        Value::Object(m) => Some(m),
                        _ => None,
                    })
                    .unwrap_or_default();
                (fm, s.body)
            }
            Err(_) => (Map::new(), 0),
        };
        let id = scalar(front.get("id")).unwrap_or(stem);
        let kind = front
            .get("kind")
            .and_then(Value::as_str)
            .and_then(Kind::parse);
        let upper = front
            .get("links")
            .and_then(|l| l.get("upper"))
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|v| scalar(Some(v))).collect())
            .unwrap_or_default();
        Doc {
            path: rel.to_string(),
            kind,
            enterprise: kind.is_some_and(Kind::enterprise_only) || front.contains_key("enterprise"),
            title: scalar(front.get("title")).unwrap_or_default(),
            version: scalar(front.get("version")),
            issued: front
                .get("dates")
                .and_then(|d| scalar(d.get("issued")))
                .and_then(|s| Date::parse(&s)),
            parent: scalar(front.get("parent")),
            upper,
            clauses: front
                .get("steps")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(|s| scalar(s.get("clause"))).collect())
                .unwrap_or_default(),
            sections: if body {
                outline::outline(text.get(body_at..).unwrap_or(""))
            } else {
                Vec::new()
            },
            front,
            id,
        }
    }
}

/// What happened to a document or an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Status {
    Added,
    Removed,
    Changed,
    /// Moved to another path (its content may also have changed).
    Renamed,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Added => "added",
            Status::Removed => "removed",
            Status::Changed => "changed",
            Status::Renamed => "renamed",
        }
    }
}

/// A changed section, with the major content it is part of.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SectionChange {
    pub(crate) status: SectionStatus,
    /// Headings as written, top-down (new version; old one when removed).
    pub(crate) path: Vec<String>,
    /// Headings before a move or rename.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) old_path: Option<Vec<String>>,
    /// For moved and renamed sections: whether the text changed too.
    pub(crate) text_changed: bool,
    /// Keys of the major content (`organization`, `procedure`, `measures`, `grading`).
    pub(crate) major: Vec<String>,
}

/// A changed top-level front-matter field.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FieldChange {
    pub(crate) field: String,
    pub(crate) status: Status,
    pub(crate) major: Vec<String>,
}

/// The `version` field before and after.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct VersionChange {
    pub(crate) old: Option<String>,
    pub(crate) new: Option<String>,
    pub(crate) bumped: bool,
}

/// What a major change requires (domain.md §2.6, §2.3 Art. 26, §3 Art. 26/37). Not for drafts
/// (`status: draft`): they are not issued yet.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Refiling {
    /// Filing deadline after re-issue, in working days (`[check] filing_deadline_working_days`).
    pub(crate) working_days: u32,
    /// The plan's `version` differs from the old one.
    pub(crate) version_bumped: bool,
    /// The new `dates.issued`, when it moved forward (the plan was re-issued).
    pub(crate) reissued: Option<Date>,
    /// Last day to file: `reissued` + the working days (holidays from `[check]`).
    pub(crate) file_by: Option<NaiveDate>,
}

/// One added, removed or changed document.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DocChange {
    pub(crate) id: String,
    pub(crate) kind: Option<Kind>,
    pub(crate) title: String,
    pub(crate) status: Status,
    pub(crate) path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) old_path: Option<String>,
    pub(crate) version: VersionChange,
    pub(crate) sections: Vec<SectionChange>,
    pub(crate) fields: Vec<FieldChange>,
    /// Keys of the major content changed, in the order of the major list.
    pub(crate) major: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) refiling: Option<Refiling>,
}

/// One added, removed or changed registry entry.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EntryChange {
    /// The registry list: jurisdictions, organizations, roles, contacts, resources, hazards,
    /// external_plans.
    pub(crate) list: String,
    pub(crate) id: String,
    pub(crate) status: Status,
    /// The file it is defined in (new side; old side when removed).
    pub(crate) path: String,
}

/// Why an unchanged document needs review.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Because {
    /// The changed or removed document it names, or the registry entry it uses (`list/id`).
    pub(crate) id: String,
    /// `parent` (a card's on-site plan, a lower plan's parent; also a plan of another
    /// organisation, `external_plans`), `upper` (`links.upper`), `uses` (a registry entry named
    /// in its front matter or a body link) or `defaults` (the `_defaults.yaml` it inherits
    /// from, whose path is `id`).
    pub(crate) relation: String,
    pub(crate) status: Status,
    /// The change of that document is major.
    pub(crate) major: bool,
    /// Cards: the clauses their steps cite (`steps[].clause`) whose section changed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) cites: Vec<String>,
}

/// A `_defaults.yaml` added, removed or changed in the range: the documents of its folder and
/// below inherit other front matter (see `model::defaults`).
#[derive(Debug, Clone)]
struct SharedChange {
    path: String,
    /// Its folder (empty: the repository's root).
    folder: String,
    status: Status,
}

/// A document not changed in the range whose upper document changed.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NeedsReview {
    pub(crate) id: String,
    pub(crate) kind: Option<Kind>,
    pub(crate) title: String,
    pub(crate) path: String,
    pub(crate) because: Vec<Because>,
}

/// A document that still writes a retired number, and the line where it does.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Carrier {
    pub(crate) id: String,
    pub(crate) kind: Option<Kind>,
    pub(crate) title: String,
    pub(crate) path: String,
    pub(crate) line: usize,
}

/// A contact's number that the range took out of the registry (no contact has it on the new
/// side) and that documents of the new side still write literally (C603 at check time).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RetiredNumber {
    pub(crate) number: String,
    /// The contact that had it on the old side, and its name then.
    pub(crate) contact: String,
    pub(crate) name: String,
    /// Cards first, then plans, each by path.
    pub(crate) carried_by: Vec<Carrier>,
}

/// Counts.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Summary {
    pub(crate) added: usize,
    pub(crate) removed: usize,
    pub(crate) changed: usize,
    pub(crate) major: usize,
    pub(crate) registry: usize,
    pub(crate) needs_review: usize,
    /// Retired numbers still written in documents.
    pub(crate) retired_numbers: usize,
}

/// The whole review.
#[derive(Debug, Clone)]
pub(crate) struct Report {
    pub(crate) from: snapshot::End,
    pub(crate) to: snapshot::End,
    pub(crate) shallow: bool,
    pub(crate) notes: Vec<Text>,
    pub(crate) documents: Vec<DocChange>,
    pub(crate) registry: Vec<EntryChange>,
    pub(crate) needs_review: Vec<NeedsReview>,
    /// Numbers the range retired that documents still write.
    pub(crate) retired_numbers: Vec<RetiredNumber>,
    pub(crate) summary: Summary,
    /// The major list in force (for titles and sources in the output).
    pub(crate) majors: Vec<MajorSpec>,
}

/// Reviews the plan repository at `root` over `range` (see [`snapshot::Repo::range`]).
pub(crate) fn review(root: &Path, range: Option<&str>, config: &Config) -> anyhow::Result<Report> {
    let repo = Repo::open(root)?;
    let r = repo.range(range)?;
    let old_files = repo.files(&r.from.side, config)?;
    let new_files = repo.files(&r.to.side, config)?;
    let differs = |a: &BTreeMap<String, FileInfo>, b: &BTreeMap<String, FileInfo>, class| {
        a.iter()
            .filter(|(p, f)| f.class == class && b.get(*p).is_none_or(|g| g.oid != f.oid))
            .map(|(p, f)| (p.clone(), f.clone()))
            .collect::<Vec<_>>()
    };
    let read_all =
        |side: &Side, list: &[(String, FileInfo)]| -> anyhow::Result<Vec<(String, String)>> {
            list.iter()
                .map(|(p, f)| Ok((p.clone(), repo.read(side, p, f)?)))
                .collect()
        };
    // 2. the documents that differ, both sides
    let old_texts = read_all(
        &r.from.side,
        &differs(&old_files, &new_files, FileClass::Document),
    )?;
    let new_texts = read_all(
        &r.to.side,
        &differs(&new_files, &old_files, FileClass::Document),
    )?;
    let parse = |v: &[(String, String)]| -> Vec<Doc> {
        v.par_iter().map(|(p, t)| Doc::read(p, t, true)).collect()
    };
    let (old_docs, new_docs) = (parse(&old_texts), parse(&new_texts));
    let classifier = major::Classifier::new(config);
    let cal = WorkCalendar::new(&config.check.holidays, &config.check.workdays);
    let days = config.check.filing_deadline_working_days;
    let documents = match_documents(&old_docs, &new_docs, &classifier, &cal, days);
    // 4. registries
    let old_reg = read_all(
        &r.from.side,
        &differs(&old_files, &new_files, FileClass::Registry),
    )?;
    let new_reg = read_all(
        &r.to.side,
        &differs(&new_files, &old_files, FileClass::Registry),
    )?;
    let registry = registry_changes(&old_reg, &new_reg);
    // 5. alignment over the unchanged documents of the new side
    // documents that changed in the range are reviewed anyway; a file whose bytes differ
    // without a change that matters (line endings) still counts as unchanged here
    let touched: BTreeSet<&str> = documents
        .iter()
        .filter(|d| d.status != Status::Removed)
        .map(|d| d.path.as_str())
        .collect();
    let upstream: BTreeMap<&str, &DocChange> = documents
        .iter()
        .filter(|d| d.status != Status::Added)
        .map(|d| (d.id.as_str(), d))
        .collect();
    let rest: Vec<(String, FileInfo)> = new_files
        .iter()
        .filter(|(p, f)| f.class == FileClass::Document && !touched.contains(p.as_str()))
        .map(|(p, f)| (p.clone(), f.clone()))
        .collect();
    // changed or removed registry entries, by id (an added entry cannot affect an unchanged document)
    let entries_changed: BTreeMap<&str, &EntryChange> = registry
        .iter()
        .filter(|e| e.status != Status::Added)
        .map(|e| (e.id.as_str(), e))
        .collect();
    // shared front matter (`_defaults.yaml`) added, removed or changed: every document of its
    // folder and below now has other values, though its own file did not change
    let defaults: Vec<SharedChange> = old_files
        .iter()
        .chain(&new_files)
        .filter(|(_, f)| f.class == FileClass::Defaults)
        .map(|(p, _)| p)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter_map(|p| {
            let status = match (old_files.get(p), new_files.get(p)) {
                (Some(a), Some(b)) if a.oid != b.oid => Status::Changed,
                (None, Some(_)) => Status::Added,
                (Some(_), None) => Status::Removed,
                _ => return None,
            };
            let folder = p.rsplit_once('/').map_or("", |(d, _)| d).to_string();
            Some(SharedChange {
                path: p.clone(),
                folder,
                status,
            })
        })
        .collect();
    let mut needs_review = Vec::new();
    if !upstream.is_empty() || !entries_changed.is_empty() || !defaults.is_empty() {
        let texts = read_all(&r.to.side, &rest)?;
        needs_review = relying(&texts, &upstream, &entries_changed, &defaults);
    }
    needs_review.sort_by(|a, b| a.path.cmp(&b.path));
    // 6. numbers the registry no longer has, still written in documents
    let retired_numbers = if old_reg.is_empty() {
        Vec::new()
    } else {
        let new_regs: Vec<(String, FileInfo)> = new_files
            .iter()
            .filter(|(_, f)| f.class == FileClass::Registry)
            .map(|(p, f)| (p.clone(), f.clone()))
            .collect();
        let mut current = std::collections::HashSet::new();
        for (_, text) in read_all(&r.to.side, &new_regs)? {
            phones::keys_in_text(&text, &mut current);
        }
        let past: Vec<git::PastFile> = old_reg
            .iter()
            .map(|(path, text)| git::PastFile {
                path: path.clone(),
                commit: String::new(),
                time: 0,
                text: text.clone(),
            })
            .collect();
        let retired = phones::retired(&past, &current);
        let finder = phones::Finder::new(retired.iter().map(|x| x.was.number.as_str()));
        if finder.is_empty() {
            Vec::new()
        } else {
            let docs: Vec<(String, FileInfo)> = new_files
                .iter()
                .filter(|(_, f)| f.class == FileClass::Document)
                .map(|(p, f)| (p.clone(), f.clone()))
                .collect();
            carriers(&retired, &finder, &read_all(&r.to.side, &docs)?)
        }
    };
    let count = |s: Status| documents.iter().filter(|d| d.status == s).count();
    let summary = Summary {
        added: count(Status::Added),
        removed: count(Status::Removed),
        changed: count(Status::Changed) + count(Status::Renamed),
        major: documents.iter().filter(|d| !d.major.is_empty()).count(),
        registry: registry.len(),
        needs_review: needs_review.len(),
        retired_numbers: retired_numbers.len(),
    };
    Ok(Report {
        from: r.from,
        to: r.to,
        shallow: repo.shallow,
        notes: r.notes,
        documents,
        registry,
        needs_review,
        retired_numbers,
        summary,
        majors: classifier.specs.clone(),
    })
}

/// The documents among `texts` that write one of the `retired` numbers (drill records, which
/// keep what happened, aside), per number: cards first, then the rest, by path.
fn carriers(
    retired: &[phones::Retired],
    finder: &phones::Finder,
    texts: &[(String, String)],
) -> Vec<RetiredNumber> {
    let found: Vec<(Doc, Vec<(usize, usize)>)> = texts
        .par_iter()
        .filter_map(|(p, t)| {
            let hits = finder.find(t);
            if hits.is_empty() {
                return None;
            }
            let d = Doc::read(p, t, false);
            if d.kind == Some(Kind::Drill) {
                return None;
            }
            let lines = crate::parse::lines::LineIndex::new(t);
            let at: Vec<(usize, usize)> = hits
                .iter()
                .map(|h| (h.which, lines.line_of(h.range.start)))
                .collect();
            Some((d, at))
        })
        .collect();
    let mut out: Vec<RetiredNumber> = retired
        .iter()
        .map(|r| RetiredNumber {
            number: r.was.number.clone(),
            contact: r.was.contact.clone(),
            name: r.was.name.clone(),
            carried_by: Vec::new(),
        })
        .collect();
    for (d, at) in &found {
        let mut seen = BTreeSet::new();
        for &(which, line) in at {
            if !seen.insert(which) {
                continue;
            }
            out[which].carried_by.push(Carrier {
                id: d.id.clone(),
                kind: d.kind,
                title: d.title.clone(),
                path: d.path.clone(),
                line,
            });
        }
    }
    for r in &mut out {
        r.carried_by
            .sort_by_key(|c| (c.kind != Some(Kind::Card), c.path.clone()));
    }
    out.retain(|r| !r.carried_by.is_empty());
    out
}

/// The documents among `texts` (unchanged in the range) that name a changed document as
/// `parent` or in `links.upper`, or use a changed registry entry (in their front matter or a
/// body link such as `contact:ID`).
fn relying(
    texts: &[(String, String)],
    upstream: &BTreeMap<&str, &DocChange>,
    entries: &BTreeMap<&str, &EntryChange>,
    defaults: &[SharedChange],
) -> Vec<NeedsReview> {
    let shared = |path: &str| -> Vec<&SharedChange> {
        defaults
            .iter()
            .filter(|c| {
                c.folder.is_empty()
                    || path
                        .strip_prefix(c.folder.as_str())
                        .is_some_and(|r| r.starts_with('/'))
            })
            .collect()
    };
    // a cheap first pass: only texts that mention one of the ids are parsed
    let pattern = upstream
        .keys()
        .chain(entries.keys())
        .map(|id| regex::escape(id))
        .collect::<Vec<_>>()
        .join("|");
    let filter = regex::RegexBuilder::new(&pattern)
        .size_limit(64 << 20)
        .build()
        .ok();
    let mut out: Vec<NeedsReview> = texts
        .par_iter()
        .filter(|(p, t)| {
            // no id to look for (only shared front matter changed): the ids pass nothing
            let mentions = !pattern.is_empty() && filter.as_ref().is_none_or(|re| re.is_match(t));
            mentions || !shared(p).is_empty()
        })
        .filter_map(|(p, t)| {
            let d = Doc::read(p, t, false);
            let named = d
                .parent
                .iter()
                .map(|p| (p, "parent"))
                .chain(d.upper.iter().map(|u| (u, "upper")));
            let mut because: Vec<Because> = named
                .filter_map(|(id, relation)| {
                    upstream.get(id.as_str()).map(|c| Because {
                        id: id.clone(),
                        relation: relation.into(),
                        status: c.status,
                        major: !c.major.is_empty(),
                        cites: cited_changes(&d.clauses, c),
                    })
                })
                .collect();
            if !entries.is_empty() {
                for id in used_ids(&d, t) {
                    if let Some(e) = entries.get(id.as_str()) {
                        // a plan of another organisation named as parent or upper plan is one
                        let relation = match e.list.as_str() {
                            "external_plans" if d.parent.as_deref() == Some(id.as_str()) => {
                                "parent"
                            }
                            "external_plans" if d.upper.contains(&id) => "upper",
                            _ => "uses",
                        };
                        because.push(Because {
                            id: format!("{}/{}", e.list, e.id),
                            relation: relation.into(),
                            status: e.status,
                            major: false,
                            cites: Vec::new(),
                        });
                    }
                }
            }
            for c in shared(p) {
                because.push(Because {
                    id: c.path.clone(),
                    relation: "defaults".into(),
                    status: c.status,
                    major: false,
                    cites: Vec::new(),
                });
            }
            (!because.is_empty()).then_some(NeedsReview {
                id: d.id,
                kind: d.kind,
                title: d.title,
                path: d.path,
                because,
            })
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// Every id a document may use: string values of its front matter (except its own id) and the
/// targets of `scheme:ID` body links, sorted, without duplicates.
fn used_ids(d: &Doc, text: &str) -> BTreeSet<String> {
    fn walk(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::String(s) => {
                out.insert(s.clone());
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            Value::Object(m) => m.values().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    for (k, v) in &d.front {
        if k != "id" {
            walk(v, &mut out);
        }
    }
    let body = front_matter::split(text).map_or(0, |s| s.body);
    for l in crate::parse::markdown::scan(text.get(body..).unwrap_or(""), 0).links {
        if let Some((_, rest)) = l.dest.split_once(':') {
            out.insert(rest.split('#').next().unwrap_or(rest).to_string());
        }
    }
    out
}

/// The clauses (card step citations) that name a changed section of `upstream`.
fn cited_changes(clauses: &[String], upstream: &DocChange) -> Vec<String> {
    let changed: BTreeSet<String> = upstream
        .sections
        .iter()
        .flat_map(|s| {
            s.path
                .last()
                .into_iter()
                .chain(s.old_path.iter().flatten().last())
        })
        .map(|t| crate::model::heading::normalize(t))
        .collect();
    let mut out: Vec<String> = Vec::new();
    for c in clauses {
        if changed.contains(&crate::model::heading::normalize(c)) && !out.contains(c) {
            out.push(c.clone());
        }
    }
    out
}

/// Matches documents by id and compares each pair.
fn match_documents(
    old: &[Doc],
    new: &[Doc],
    classifier: &major::Classifier,
    cal: &WorkCalendar,
    days: u32,
) -> Vec<DocChange> {
    let mut old_by_id: BTreeMap<&str, &Doc> = BTreeMap::new();
    for d in old {
        old_by_id.entry(d.id.as_str()).or_insert(d);
    }
    let mut used: BTreeSet<&str> = BTreeSet::new();
    let mut out = Vec::new();
    for n in new {
        let o = old_by_id
            .get(n.id.as_str())
            .copied()
            .filter(|_| !used.contains(n.id.as_str()));
        if o.is_some() {
            used.insert(n.id.as_str());
        }
        if let Some(c) = compare(o, Some(n), classifier, cal, days) {
            out.push(c);
        }
    }
    for o in old {
        if used.insert(o.id.as_str()) {
            if let Some(c) = compare(Some(o), None, classifier, cal, days) {
                out.push(c);
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path).then(a.id.cmp(&b.id)));
    out
}

/// The change of one document (`None` when nothing that matters differs).
fn compare(
    old: Option<&Doc>,
    new: Option<&Doc>,
    classifier: &major::Classifier,
    cal: &WorkCalendar,
    days: u32,
) -> Option<DocChange> {
    let empty = Doc::default();
    let (o, n) = (old.unwrap_or(&empty), new.unwrap_or(&empty));
    let shown = if new.is_some() { n } else { o };
    let status = match (old, new) {
        (None, _) => Status::Added,
        (_, None) => Status::Removed,
        _ if o.path != n.path => Status::Renamed,
        _ => Status::Changed,
    };
    let (kind, enterprise) = (shown.kind, shown.enterprise);
    let mut sections = Vec::new();
    let mut fields = Vec::new();
    if status == Status::Changed || status == Status::Renamed {
        sections = outline::diff(&o.sections, &n.sections)
            .into_iter()
            .map(|d: SectionDiff| {
                let mut keys = classifier.section(kind, enterprise, &d.section().path);
                if let (Some(old_s), true) = (&d.old, d.new.is_some()) {
                    // a section moved out of major content changes that content too
                    keys.extend(classifier.section(kind, enterprise, &old_s.path));
                }
                SectionChange {
                    status: d.status,
                    path: d.section().titles.clone(),
                    old_path: match d.status {
                        SectionStatus::Moved | SectionStatus::Renamed => {
                            d.old.as_ref().map(|s| s.titles.clone())
                        }
                        _ => None,
                    },
                    text_changed: d.text_changed,
                    major: classifier.in_order(keys),
                }
            })
            .collect();
        let keys: BTreeSet<&String> = o.front.keys().chain(n.front.keys()).collect();
        for k in keys {
            let st = match (o.front.get(k), n.front.get(k)) {
                (Some(a), Some(b)) if a == b => continue,
                (Some(_), Some(_)) => Status::Changed,
                (None, _) => Status::Added,
                (_, None) => Status::Removed,
            };
            fields.push(FieldChange {
                field: k.clone(),
                status: st,
                major: classifier.field(kind, k),
            });
        }
        if status == Status::Changed && sections.is_empty() && fields.is_empty() {
            return None; // only whitespace or line endings changed
        }
    }
    let mut keys: Vec<String> = Vec::new();
    for k in sections
        .iter()
        .flat_map(|s| &s.major)
        .chain(fields.iter().flat_map(|f| &f.major))
    {
        if !keys.contains(k) {
            keys.push(k.clone());
        }
    }
    let major = classifier.in_order(keys);
    let version = VersionChange {
        old: old.and(o.version.clone()),
        new: new.and(n.version.clone()),
        bumped: old.is_some() && new.is_some() && o.version != n.version,
    };
    // a draft has not been issued, so there is nothing to re-file yet (as for D703)
    let draft = n.front.get("status").and_then(Value::as_str) == Some("draft");
    let refiling = (!major.is_empty() && !draft).then(|| {
        let reissued = match (o.issued, n.issued) {
            (Some(a), Some(b)) if b > a => Some(b),
            (None, Some(b)) => Some(b),
            _ => None,
        };
        Refiling {
            working_days: days,
            version_bumped: version.bumped,
            reissued,
            file_by: reissued.map(|d| cal.add_working_days(d.first(), days)),
        }
    });
    Some(DocChange {
        id: shown.id.clone(),
        kind,
        title: shown.title.clone(),
        status,
        path: shown.path.clone(),
        old_path: (status == Status::Renamed).then(|| o.path.clone()),
        version,
        sections,
        fields,
        major,
        refiling,
    })
}

/// Entries of the changed registry files, by (list, id): (value, file).
fn entries(files: &[(String, String)]) -> BTreeMap<(String, String), (Value, String)> {
    let mut out = BTreeMap::new();
    for (path, text) in files {
        let text = text.trim_start_matches('\u{feff}');
        let Ok((v, _)) = yaml::parse(text, false, yaml::Limits::default()) else {
            continue; // a broken registry is yuan check's business (F002)
        };
        // the plans of other organisations are registry entries too (not a reference target:
        // documents name them as `parent` or in `links.upper`)
        let lists = Target::REGISTERED
            .iter()
            .filter_map(|t| t.registry_list())
            .chain(["external_plans"]);
        for list in lists {
            let Some(items) = v.get(list).and_then(Value::as_array) else {
                continue;
            };
            for item in items {
                if let Some(id) = scalar(item.get("id")) {
                    out.entry((list.to_string(), id))
                        .or_insert_with(|| (item.clone(), path.clone()));
                }
            }
        }
    }
    out
}

fn registry_changes(old: &[(String, String)], new: &[(String, String)]) -> Vec<EntryChange> {
    let (a, b) = (entries(old), entries(new));
    let keys: BTreeSet<&(String, String)> = a.keys().chain(b.keys()).collect();
    let mut out = Vec::new();
    for k in keys {
        let (status, path) = match (a.get(k), b.get(k)) {
            (Some((x, _)), Some((y, p))) if x != y => (Status::Changed, p),
            (Some(_), Some(_)) => continue,
            (None, Some((_, p))) => (Status::Added, p),
            (Some((_, p)), None) => (Status::Removed, p),
            (None, None) => continue,
        };
        out.push(EntryChange {
            list: k.0.clone(),
            id: k.1.clone(),
            status,
            path: path.clone(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The review reads other revisions without their schema, by field name; on every valid
    /// document of the sample repository and the good fixture it must read what the model
    /// types, so the two ways of reading cannot drift apart unnoticed.
    #[test]
    fn the_review_reads_what_the_model_types() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut compared = 0;
        for dir in [root.join("plans"), root.join("tests/fixtures/good")] {
            let loaded = crate::load::load(&dir).expect("load");
            for d in &loaded.corpus.docs {
                let text = loaded.corpus.read_text(&d.path).expect("read");
                let r = Doc::read(&d.path, &text, false);
                if let Some(p) = d.plan() {
                    assert_eq!(r.id, p.id, "{}", d.path);
                    assert_eq!(r.kind, Some(p.kind), "{}", d.path);
                    assert_eq!(r.title, p.title, "{}", d.path);
                    assert_eq!(r.version.as_deref(), Some(p.version.as_str()), "{}", d.path);
                    assert_eq!(r.issued, Some(p.dates.issued), "{}", d.path);
                    assert_eq!(r.parent, p.parent, "{}", d.path);
                    assert_eq!(r.upper, p.links.upper, "{}", d.path);
                    let enterprise = p.enterprise.is_some() || p.kind.enterprise_only();
                    assert_eq!(r.enterprise, enterprise, "{}", d.path);
                    compared += 1;
                }
                if let Some(c) = d.card() {
                    let clauses: Vec<String> =
                        c.steps.iter().filter_map(|s| s.clause.clone()).collect();
                    assert_eq!(r.clauses, clauses, "{}", d.path);
                    compared += 1;
                }
            }
        }
        assert!(compared > 30, "{compared} documents compared");
    }

    #[test]
    fn documents_read_without_a_schema() {
        let d = Doc::read(
            "a/x-plan.md",
            "---\nid: x\nkind: onsite\nversion: 2.0\nparent: y\nlinks: { upper: [z] }\ndates: { issued: 2026-01-05, effective: 2026-01-05 }\n---\n# 1 应急工作职责\n\n班长\n",
            true,
        );
        assert_eq!(d.id, "x");
        assert_eq!(d.kind, Some(Kind::Onsite));
        assert!(d.enterprise);
        assert_eq!(d.version.as_deref(), Some("2.0"));
        assert_eq!(d.parent.as_deref(), Some("y"));
        assert_eq!(d.upper, ["z"]);
        assert_eq!(d.issued, NaiveDate::from_ymd_opt(2026, 1, 5).map(Date::day));
        assert_eq!(d.sections.len(), 1);
        let broken = Doc::read("b/y-card.md", "no front matter\n", true);
        assert_eq!(broken.id, "y-card");
        assert!(broken.front.is_empty());
    }

    #[test]
    fn major_changes_need_refiling_unless_draft() {
        let doc = |status: &str, issued: &str, grading: &str| {
            Doc::read(
                "e/x.md",
                &format!("---\nid: x\nkind: comprehensive\nenterprise: e\nstatus: {status}\nversion: \"1\"\ndates: {{ issued: {issued}, effective: {issued} }}\n---\n# 1 总则\n\n## 1.2 响应分级\n\n{grading}\n\n# 5 应急保障\n\n物资\n"),
                true,
            )
        };
        let cfg = Config::default();
        let c = major::Classifier::new(&cfg);
        let cal = WorkCalendar::new(&[], &[]);
        let old = doc("active", "2026-01-05", "一级、二级");
        let new = doc("active", "2026-03-02", "一级、二级、三级");
        let ch = compare(Some(&old), Some(&new), &c, &cal, 20).expect("changed");
        assert_eq!(ch.major, ["grading"]);
        let rf = ch.refiling.expect("refiling");
        assert!(!rf.version_bumped);
        assert_eq!(rf.file_by, NaiveDate::from_ymd_opt(2026, 3, 30));
        let draft = doc("draft", "2026-01-05", "一级、二级、三级");
        let ch = compare(Some(&old), Some(&draft), &c, &cal, 20).expect("changed");
        assert_eq!(ch.major, ["grading"]);
        assert!(ch.refiling.is_none());
        // a minor change: support section only
        let minor = Doc::read(
            "e/x.md",
            "---\nid: x\n---\n# 5 应急保障\n\n物资储备\n",
            true,
        );
        let base = Doc::read("e/x.md", "---\nid: x\n---\n# 5 应急保障\n\n物资\n", true);
        let ch = compare(Some(&base), Some(&minor), &c, &cal, 20).expect("changed");
        assert!(ch.major.is_empty() && ch.refiling.is_none());
        assert!(compare(Some(&base), Some(&base), &c, &cal, 20).is_none());
    }

    #[test]
    fn registry_entries_by_list_and_id() {
        let old = vec![(
            "registry/r.yaml".to_string(),
            "roles:\n  - { id: a, name: A }\n  - { id: b, name: B }\n".to_string(),
        )];
        let new = vec![(
            "registry/r.yaml".to_string(),
            "roles:\n  - { id: a, name: A2 }\n  - { id: c, name: C }\n".to_string(),
        )];
        let c = registry_changes(&old, &new);
        let got: Vec<_> = c.iter().map(|e| (e.id.as_str(), e.status)).collect();
        assert_eq!(
            got,
            [
                ("a", Status::Changed),
                ("b", Status::Removed),
                ("c", Status::Added)
            ]
        );
    }
}
