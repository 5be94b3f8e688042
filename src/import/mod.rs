//! `yuan import` (stage 8, beside the generators): a Word document (.docx) or a text file the
//! user names -> YAML-fronted Markdown documents, the registry entries they need, and a report
//! of how every heading and value was found.
//!
//! The pipeline of one source: [`package`] opens the .docx (caps, .doc and encryption told
//! apart, macros and external relationships ignored), [`styles`] and [`numbering`] read the
//! definitions that give headings their levels and numbers, [`body`] reads the paragraphs and
//! tables with their evidence, [`structure`] recovers headings, lists, tables and footnotes,
//! [`front`] reads the front matter from the cover and first pages, [`split`] cuts a whole
//! enterprise plan into its plans (`--split auto`), and this module writes the documents'
//! text ([`import`]). Nothing here touches the disk: the bytes come in from `source` (the CLI
//! reads them) and the files go out through `render::output::OutDir` (the CLI writes them), so
//! a bad input stops the run before anything is written.
//!
//! Why here: an import is an output of yuan (files written into a repository) built from
//! knowledge of the model (headings, dates, hazards, kinds), like the generators.

pub(crate) mod body;
pub(crate) mod front;
pub(crate) mod numbering;
pub(crate) mod package;
pub(crate) mod report;
pub(crate) mod split;
pub(crate) mod structure;
pub(crate) mod styles;
pub(crate) mod xml;

use crate::diag::Text;
use crate::model::date::Date;
use crate::model::meta::{Kind, Level};
use crate::parse::splice::scalar;
use crate::text;
use front::Found;
pub(crate) use package::Refused;
use regex::Regex;
use structure::{Item, Recovered};

/// What the command line asks of an import.
#[derive(Debug, Clone)]
pub struct Options {
    /// `--kind`: the kind of the document (not split), instead of the one read from the title.
    pub kind: Option<Kind>,
    /// `--id`: the document id (with `--split auto`, the prefix of the parts' ids).
    pub id: Option<String>,
    /// `--enterprise`: the enterprise's organisation id (registry).
    pub enterprise: Option<String>,
    /// `--jurisdiction`: the jurisdiction id (registry).
    pub jurisdiction: Option<String>,
    /// `--split auto`.
    pub split: bool,
    /// The day of the run: the `verified` date of imported contacts when the text gives none.
    pub today: chrono::NaiveDate,
    /// The output folder is not in a plan repository yet: every registry entry the documents
    /// name is written (the ones given by `--enterprise`/`--jurisdiction` too).
    pub new_repository: bool,
    /// What the repository written into already holds (empty for a new one).
    pub known: Known,
}

/// What an existing repository holds that an import names instead of registering again: its
/// plans (documents and external plans) by title, its organisations and jurisdictions by name.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// (title in the normal form of [`crate::model::cited::normalize`], id, kind)
    pub(crate) plans: Vec<(String, String, Kind)>,
    /// (name, id, jurisdiction id)
    pub(crate) organizations: Vec<(String, String, Option<String>)>,
    /// (name, id)
    pub(crate) jurisdictions: Vec<(String, String)>,
    /// (name, id, phone numbers)
    pub(crate) contacts: Vec<(String, String, Vec<String>)>,
}

impl Known {
    /// What the loaded repository `corpus` holds.
    pub(crate) fn of(corpus: &crate::model::Corpus) -> Known {
        let norm = crate::model::cited::normalize;
        let mut k = Known::default();
        for d in &corpus.docs {
            if let (Some(kind), Some(id)) = (d.kind, &d.id) {
                k.plans.push((norm(d.title()), id.clone(), kind));
            }
        }
        let r = &corpus.registry;
        for e in &r.external_plans {
            k.plans
                .push((norm(&e.item.title), e.item.id.clone(), e.item.kind));
        }
        for o in &r.organizations {
            k.organizations.push((
                o.item.name.clone(),
                o.item.id.clone(),
                o.item.jurisdiction.clone(),
            ));
        }
        for j in &r.jurisdictions {
            k.jurisdictions
                .push((j.item.name.clone(), j.item.id.clone()));
        }
        for c in &r.contacts {
            let numbers = c.item.phones.iter().map(|p| p.number.clone()).collect();
            k.contacts
                .push((c.item.name.clone(), c.item.id.clone(), numbers));
        }
        k
    }
}

/// One file to write, relative to the output folder (`folder/name`, `registry/name`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct File {
    /// Where: the documents' folder, or the registry folder.
    pub(crate) place: Place,
    /// A subfolder of the documents' folder (a split plan's own folder).
    pub(crate) folder: Option<String>,
    pub(crate) stem: String,
    pub(crate) ext: &'static str,
    pub(crate) text: String,
}

/// Which folder a file goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    Documents,
    Registry,
}

/// One front-matter value, with where it came from.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub(crate) name: &'static str,
    pub(crate) value: String,
    /// The source paragraph (1-based), when the text said it.
    pub(crate) para: Option<usize>,
    pub(crate) quote: Option<String>,
    /// How it was found (a guess says so), or that it is a placeholder.
    pub(crate) how: Text,
    /// Written as a placeholder `待定` (T801 reports it).
    pub(crate) placeholder: bool,
}

/// One document written.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    pub(crate) id: String,
    /// Relative to the documents' folder.
    pub(crate) path: String,
    pub(crate) kind: Kind,
    pub(crate) title: String,
    pub(crate) headings: Vec<(u8, String, usize, structure::Evidence)>,
    pub(crate) fields: Vec<Field>,
    pub(crate) notes: Vec<Text>,
}

/// Everything an import of one source gives.
#[derive(Debug, Clone)]
pub(crate) struct Imported {
    pub(crate) source: String,
    pub(crate) docs: Vec<Doc>,
    pub(crate) files: Vec<File>,
    /// Things ignored or left out for the whole source (macros, external links, contents).
    pub(crate) left_out: Vec<Text>,
    /// Registry entries written: (list, id, name).
    pub(crate) registry: Vec<(&'static str, String, String)>,
}

/// The kind of source, from its name and first bytes.
fn source_kind(name: &str, bytes: &[u8]) -> Result<SourceKind, Refused> {
    let lower = name.to_lowercase();
    if package::is_zip(bytes) || package::is_ole(bytes) || lower.ends_with(".docx") {
        return Ok(SourceKind::Docx);
    }
    if lower.ends_with(".doc") {
        return Err(Refused::Doc);
    }
    if lower.ends_with(".md") || lower.ends_with(".markdown") {
        return Ok(SourceKind::Markdown);
    }
    if lower.ends_with(".txt") {
        return Ok(SourceKind::Text);
    }
    Err(Refused::Corrupt(
        "not a .docx, .txt or .md file (by its name and first bytes)".into(),
    ))
}

enum SourceKind {
    Docx,
    Text,
    Markdown,
}

/// Imports one source: `name` is its file name (for the report and the documents' header),
/// `bytes` its content.
pub(crate) fn import(name: &str, bytes: &[u8], opts: &Options) -> Result<Imported, Refused> {
    let mut left_out = Vec::new();
    let recovered = match source_kind(name, bytes)? {
        SourceKind::Docx => {
            let pkg = package::open(bytes)?;
            let styles = pkg.styles.as_deref().map(styles::parse).unwrap_or_default();
            let defs = pkg
                .numbering
                .as_deref()
                .map(numbering::parse)
                .unwrap_or_default();
            let body = body::parse(&pkg.document, pkg.footnotes.as_deref());
            if let Some(e) = &body.error {
                return Err(Refused::Corrupt(format!("word/document.xml: {e}")));
            }
            left_out.extend(pkg.ignored);
            structure::recover(&body, &styles, &defs)
        }
        kind @ (SourceKind::Text | SourceKind::Markdown) => {
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            let text = std::str::from_utf8(bytes)
                .map_err(|_| Refused::Corrupt("the text is not UTF-8".into()))?;
            if text.starts_with("---\n") || text.starts_with("---\r\n") {
                return Err(Refused::Corrupt(
                    "it already has front matter: it is a yuan document, copy it into the repository"
                        .into(),
                ));
            }
            structure::recover_text(
                &text.replace("\r\n", "\n"),
                matches!(kind, SourceKind::Markdown),
            )
        }
    };
    let l = &recovered.left_out;
    if l.contents > 0 {
        let n = l.contents;
        left_out.push(text!(
            "目录（{n} 行，含引导点和页码）：不导入，目录由标题生成",
            "the table of contents ({n} lines with dot leaders and page numbers): not imported, headings make it"
        ));
    }
    if l.text_boxes > 0 {
        let n = l.text_boxes;
        left_out.push(text!(
            "文本框和图形（{n} 个）：不导入，请核对其中是否有正文",
            "text boxes and drawings ({n}): not imported; check whether they hold text of the plan"
        ));
    }
    left_out.push(text!(
        "分页符、页眉和页脚：不导入",
        "page breaks, headers and footers: not imported"
    ));
    Ok(build(name, recovered, left_out, opts))
}

/// For `benches/import.rs`: imports `bytes` as the file `name` and says how many documents,
/// headings and registry entries came out (the error in English).
#[doc(hidden)]
pub fn import_for_bench(
    name: &str,
    bytes: &[u8],
    opts: &Options,
) -> Result<(usize, usize, usize), String> {
    let i = import(name, bytes, opts).map_err(|e| e.text().en)?;
    let headings = i.docs.iter().map(|d| d.headings.len()).sum();
    Ok((i.docs.len(), headings, i.registry.len()))
}

/// An id made of a file name: lower-case ASCII letters and digits joined by single hyphens; a
/// name without any (a Chinese file name) gets `plan-` and a short hash of it.
pub(crate) fn id_from_name(name: &str) -> String {
    let stem = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    let mut id = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-').to_string();
    if id.is_empty() {
        use sha2::Digest as _;
        let h = sha2::Sha256::digest(stem.as_bytes());
        format!("plan-{:02x}{:02x}", h[0], h[1])
    } else {
        id
    }
}

/// Shared front matter of one source (the parts of a split plan share it).
struct Shared {
    plan_no: Option<Found<String>>,
    version: Option<Found<String>>,
    issued: Option<Found<Date>>,
    effective: Option<Found<Date>>,
    issuer_id: String,
    issuer_name: Option<Found<String>>,
    enterprise: Option<String>,
    jurisdiction_id: String,
    level: Option<(Level, Text)>,
    /// The place the issuer's name starts with (`青溪县`).
    place: Option<String>,
    /// The issuer is the government of the place in the title, not named by the text.
    issuer_guessed: bool,
    /// An event the hazard vocabulary lacks, registered as a hazard: (id, name).
    hazard: Option<(String, String)>,
    /// The issuer and the jurisdiction are entries the repository has (not written again).
    issuer_known: bool,
    jurisdiction_known: bool,
    /// Plans the text cites in 《》 that it does not hold: registered as external plans.
    cited: Vec<Cite>,
}

/// A plan the text cites that is not one of the documents imported.
#[derive(Debug, Clone)]
struct Cite {
    /// A plan of the repository (`known`), or the id of the external plan to register.
    known: bool,
    id: String,
    title: String,
    kind: Kind,
    place: Option<String>,
    /// The level of `place` (a national plan is issued by 国务院, not by a place's government).
    level: Option<Level>,
    hazards: Vec<String>,
    /// The paragraph of its first citation.
    para: usize,
}

/// The issuing body to write for a cited plan kept elsewhere, to be checked by the writer: a
/// national plan's is 国务院 (国家…应急预案 are issued by 国务院 or its 办公厅, never by a
/// "people's government" of the country), a local government plan's the place's 人民政府, an
/// enterprise plan's unknown (待定).
fn issuer_of(c: &Cite) -> String {
    match (&c.place, c.kind.enterprise_only()) {
        (_, true) => "待定".to_string(),
        (Some(_), false) if c.level == Some(Level::National) => "国务院".to_string(),
        (Some(place), false) => format!("{place}人民政府"),
        (None, false) => "待定".to_string(),
    }
}

/// The plans cited in 《》 in `items` (laws, standards and notices are not plans:
/// [`crate::model::cited::plan_title`]), except the documents' own titles `own`.
fn cited_plans(items: &[Item], own: &[String], base: &str, known: &Known) -> Vec<Cite> {
    let mut out: Vec<Cite> = Vec::new();
    for item in items {
        let (text, para) = match item {
            Item::Text { text, para } => (text.as_str(), *para),
            Item::Note(_, text) => (text.as_str(), 0),
            _ => continue,
        };
        // a plan the text repeals (`《…》同时废止`) is not one to declare as external
        for c in crate::model::cited::scan(text, 0)
            .into_iter()
            .filter(|c| !c.repealed)
        {
            let title = c.norm;
            if own
                .iter()
                .any(|o| crate::model::cited::normalize(o) == title)
                || out.iter().any(|x| x.title == title)
            {
                continue;
            }
            let hazards: Vec<String> = front::hazards_of(&title).into_iter().map(|h| h.0).collect();
            let (kind, _) =
                front::kind_of(&title, front::is_enterprise(&title), !hazards.is_empty());
            let here = known.plans.iter().find(|(t, _, _)| *t == title);
            let n = out.iter().filter(|c| !c.known).count() + 1;
            let (place, level) = front::place_of(&title).unzip();
            out.push(Cite {
                known: here.is_some(),
                kind: here.map_or(kind, |h| h.2),
                id: here.map_or_else(|| format!("{base}-ext-{n}"), |h| h.1.clone()),
                place,
                level,
                title,
                hazards,
                para,
            });
        }
    }
    out
}

fn build(name: &str, mut rec: Recovered, left_out: Vec<Text>, opts: &Options) -> Imported {
    let base = opts.id.clone().unwrap_or_else(|| id_from_name(name));
    let front = front::read(&rec);
    // the title, and cover lines, leave the body
    let mut title = front.title.clone();
    rec.items.retain(|i| match i {
        Item::Text { para, .. } => !front.used.contains(para),
        _ => true,
    });
    if title.is_none() {
        if let Some(at) = rec.items.iter().position(|i| {
            matches!(i, Item::Heading { text, .. } if front::names_plan(&crate::model::heading::normalize(text)))
        }) {
            if let Item::Heading { text, para, .. } = rec.items.remove(at) {
                title = Some(Found {
                    value: crate::model::heading::normalize(&text),
                    para,
                    quote: front::quote(&text),
                });
            }
        }
    } else if let Some(t) = &title {
        // a heading that repeats the title is the title
        rec.items.retain(|i| {
            !matches!(i, Item::Heading { text, .. } if crate::model::heading::normalize(text) == t.value)
        });
    }
    // the title printed again above the text (after the notice that issues it)
    if let Some(t) = &title {
        let compact = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let wanted = compact(&t.value);
        rec.items
            .retain(|i| !matches!(i, Item::Text { text, .. } if compact(text) == wanted));
    }
    let title_text = title.as_ref().map(|t| t.value.clone());
    let issuer_name = front.issuer.clone();
    let enterprise_flagged = opts.enterprise.is_some();
    let is_enterprise = enterprise_flagged
        || issuer_name
            .as_ref()
            .is_some_and(|n| front::is_enterprise(&n.value))
        || opts.kind.is_some_and(Kind::enterprise_only);
    // an organisation the repository already has, by its name
    let issuer_known = issuer_name.as_ref().and_then(|n| {
        opts.known
            .organizations
            .iter()
            .find(|(name, _, _)| *name == n.value)
            .map(|(_, id, _)| id.clone())
    });
    let issuer_id = match (&opts.enterprise, &issuer_known) {
        (Some(e), _) if is_enterprise => e.clone(),
        (_, Some(id)) => id.clone(),
        _ => format!("{base}-org"),
    };
    let place = issuer_name.as_ref().and_then(|n| front::place_of(&n.value));
    let level = place.as_ref().map(|(p, l)| {
        let p = p.clone();
        (
            *l,
            text!(
                "由发布单位名称中的“{p}”推断",
                "guessed from \"{p}\" in the issuer's name"
            ),
        )
    });
    let own: Vec<String> = title_text.iter().cloned().collect();
    // a jurisdiction the repository already has: the issuer's, else by the place's name
    let jurisdiction_known = opts
        .known
        .organizations
        .iter()
        .find(|(_, id, _)| *id == issuer_id)
        .and_then(|(_, _, j)| j.clone())
        .or_else(|| {
            place.as_ref().and_then(|(p, _)| {
                opts.known
                    .jurisdictions
                    .iter()
                    .find(|(name, _)| name == p)
                    .map(|(_, id)| id.clone())
            })
        });
    let cited = cited_plans(&rec.items, &own, &base, &opts.known);
    let mut shared = Shared {
        place: place.as_ref().map(|p| p.0.clone()),
        issuer_guessed: front.issuer_guessed,
        hazard: None,
        cited,
        plan_no: front.plan_no.clone(),
        version: front.version.clone(),
        issued: front.issued.clone(),
        effective: front.effective.clone(),
        issuer_id,
        issuer_name,
        enterprise: is_enterprise.then(|| {
            opts.enterprise
                .clone()
                .unwrap_or_else(|| format!("{base}-org"))
        }),
        jurisdiction_known: opts.jurisdiction.is_none() && jurisdiction_known.is_some(),
        issuer_known: issuer_known.is_some(),
        jurisdiction_id: opts
            .jurisdiction
            .clone()
            .or(jurisdiction_known)
            .unwrap_or_else(|| format!("{base}-area")),
        level,
    };
    let mut out = Imported {
        source: name.to_string(),
        docs: Vec::new(),
        files: Vec::new(),
        left_out,
        registry: Vec::new(),
    };
    let contacts = contacts_of(&rec.items);
    // a contact the repository has (same name, a number in common) is named, not added
    let mut fresh = 0;
    let contact_ids: Vec<String> = contacts
        .iter()
        .map(|c| {
            let here = opts.known.contacts.iter().find(|(name, _, numbers)| {
                *name == c.name && c.phones.iter().any(|(n, _)| numbers.contains(n))
            });
            match here {
                Some((_, id, _)) => id.clone(),
                None => {
                    fresh += 1;
                    format!("{base}-contact-{fresh}")
                }
            }
        })
        .collect();
    let parts = if opts.split {
        split::split(&rec.items)
    } else {
        split::Split::default()
    };
    if parts.parts.is_empty() {
        if opts.split {
            out.left_out.push(text!(
                "--split auto：没有找到两个以上的预案部分（综合、专项、现场处置方案），导入为一个文档",
                "--split auto: fewer than two plans found (comprehensive, special, on-site), imported as one document"
            ));
        }
        let mut hazards = title_text
            .as_deref()
            .map(front::hazards_of)
            .unwrap_or_default();
        let (kind, why) = match opts.kind {
            Some(k) => (k, "--kind"),
            None => front::kind_of(
                title_text.as_deref().unwrap_or(""),
                is_enterprise,
                !hazards.is_empty(),
            ),
        };
        let mut hazards_from = None;
        if hazards.is_empty() && matches!(kind, Kind::Special | Kind::Onsite) {
            // an event the vocabulary does not know (食品安全事故): registered as a hazard
            if let Some(name) = title_text.as_deref().and_then(front::event_of) {
                let id = format!("{base}-hazard");
                hazards.push((id.clone(), name.clone()));
                shared.hazard = Some((id, name));
                hazards_from = Some((
                    "标题所称的事件（登记为导入的灾种）",
                    "the event the title names (registered as an imported hazard): ",
                ));
            }
        }
        let doc = Part {
            id: base.clone(),
            folder: None,
            kind,
            kind_why: why,
            title: title.clone(),
            hazards,
            hazards_from,
            parent: None,
            items: rec.items.clone(),
        };
        emit(&mut out, &doc, &shared, &contact_ids, false, name, opts);
    } else {
        let folder = base.clone();
        let org = shared
            .issuer_name
            .as_ref()
            .map(|n| n.value.clone())
            .unwrap_or_default();
        let mut built: Vec<Part> = Vec::new();
        let (mut n_special, mut n_onsite) = (0, 0);
        for p in &parts.parts {
            let mut hazards = front::hazards_of(&p.title);
            let mut hazards_from = None;
            if hazards.is_empty() && p.title.contains("处置方案") {
                // an on-site plan names its risks in its first section (事故风险描述)
                hazards = risk_hazards(&p.items);
                if !hazards.is_empty() {
                    hazards_from = Some((
                        "第一节（事故风险描述）中的",
                        "in its first section (risk description): ",
                    ));
                }
            }
            let (kind, why) = front::kind_of(&p.title, true, !hazards.is_empty());
            let id = match kind {
                Kind::Comprehensive => format!("{base}-comprehensive"),
                Kind::Onsite => {
                    n_onsite += 1;
                    format!("{base}-onsite-{n_onsite}")
                }
                _ => {
                    n_special += 1;
                    format!("{base}-special-{n_special}")
                }
            };
            let full = if p.title.contains(&org) || org.is_empty() {
                p.title.clone()
            } else if kind == Kind::Comprehensive {
                match title_text
                    .as_deref()
                    .and_then(|t| t.strip_suffix("应急预案"))
                {
                    Some(stem) if stem.starts_with(&org) => format!("{stem}综合应急预案"),
                    _ => format!("{org}{}", p.title),
                }
            } else {
                format!("{org}{}", p.title)
            };
            built.push(Part {
                id,
                folder: Some(folder.clone()),
                kind,
                kind_why: why,
                title: Some(Found {
                    value: full,
                    para: p.para,
                    quote: front::quote(&p.title),
                }),
                hazards,
                hazards_from,
                parent: None,
                items: p.items.clone(),
            });
        }
        // parents: a special under the comprehensive plan, an on-site plan under the special
        // plan that shares a hazard, else under the comprehensive plan
        let lead = built
            .iter()
            .find(|p| p.kind == Kind::Comprehensive)
            .map(|p| p.id.clone());
        let specials: Vec<(String, Vec<String>)> = built
            .iter()
            .filter(|p| p.kind == Kind::Special)
            .map(|p| {
                (
                    p.id.clone(),
                    p.hazards.iter().map(|h| h.0.clone()).collect(),
                )
            })
            .collect();
        for p in &mut built {
            p.parent = match p.kind {
                Kind::Comprehensive => None,
                Kind::Onsite => specials
                    .iter()
                    .find(|(_, hz)| p.hazards.iter().any(|h| hz.contains(&h.0)))
                    .map(|(id, _)| id.clone())
                    .or_else(|| lead.clone()),
                _ => lead.clone(),
            };
        }
        // the comprehensive plan states the hazards of its parts
        let all: Vec<(String, String)> = {
            let mut v: Vec<(String, String)> = Vec::new();
            for p in &built {
                for h in &p.hazards {
                    if !v.iter().any(|x| x.0 == h.0) {
                        v.push(h.clone());
                    }
                }
            }
            v
        };
        for p in &mut built {
            if p.kind == Kind::Comprehensive && p.hazards.is_empty() {
                p.hazards = all.clone();
                p.hazards_from = Some(("各部分标题中的", "in the titles of its parts: "));
            }
        }
        for (para, text) in &parts.groups {
            let t = text.clone();
            out.left_out.push(text!(
                "分组标题“{t}”（第 {para} 段）：各部分已分别成文，不再作为标题",
                "group heading \"{t}\" (paragraph {para}): its plans became documents of their own"
            ));
        }
        out.files.push(defaults_file(&folder, &shared, name));
        for p in &built {
            let contacts: &[String] = if p.kind == Kind::Comprehensive {
                &contact_ids
            } else {
                &[]
            };
            emit(&mut out, p, &shared, contacts, true, name, opts);
        }
    }
    registry(
        &mut out,
        &shared,
        &contacts,
        &contact_ids,
        &base,
        name,
        opts,
    );
    out
}

/// A document to write.
struct Part {
    id: String,
    folder: Option<String>,
    kind: Kind,
    kind_why: &'static str,
    title: Option<Found<String>>,
    hazards: Vec<(String, String)>,
    /// Where the hazards came from, when not from the title: (Chinese, English).
    hazards_from: Option<(&'static str, &'static str)>,
    parent: Option<String>,
    items: Vec<Item>,
}

/// The parent a document's citations give: a government plan's overall plan (of its own place
/// for a special, department or grassroots plan; of another place for an overall plan).
fn cited_parent(kind: Kind, enterprise: bool, s: &Shared) -> Option<&Cite> {
    if enterprise {
        return None;
    }
    let own = s.place.as_deref()?;
    s.cited.iter().find(|c| {
        c.kind == Kind::Overall
            && match kind {
                Kind::Special | Kind::Department | Kind::Grassroots => {
                    c.place.as_deref() == Some(own)
                }
                Kind::Overall => c.place.as_deref().is_some_and(|p| p != own),
                _ => false,
            }
    })
}

/// The plans of the level above for the same hazard a document cites (上下衔接): government
/// plans of another place sharing a hazard with it.
fn cited_upper<'a>(p: &Part, enterprise: bool, s: &'a Shared) -> Vec<&'a Cite> {
    let wanted = if enterprise {
        p.kind == Kind::Comprehensive
    } else {
        p.kind == Kind::Special
    };
    if !wanted {
        return Vec::new();
    }
    s.cited
        .iter()
        .filter(|c| {
            let government = !c.kind.enterprise_only();
            let shares = c
                .hazards
                .iter()
                .any(|h| p.hazards.iter().any(|x| &x.0 == h));
            if enterprise {
                // the local government plan an enterprise's plan dovetails with
                government && (shares || c.kind == Kind::Overall)
            } else {
                government
                    && c.kind != Kind::Overall
                    && c.place.is_some()
                    && c.place != s.place
                    && shares
            }
        })
        .collect()
}

/// The header comment of every file written.
fn header(source: &str) -> String {
    let source = source.replace(['\n', '\r'], " ");
    format!("# 由 yuan import 从 {source} 导入：核实各项内容；原文没有写明的值写作占位。\n")
}

/// `_defaults.yaml` of a split plan: the values its parts share that the text gave.
fn defaults_file(folder: &str, s: &Shared, source: &str) -> File {
    let mut y = header(source);
    if let Some(v) = &s.plan_no {
        y.push_str(&format!("plan_no: {}\n", scalar(&v.value)));
    }
    if let Some(v) = &s.version {
        y.push_str(&format!(
            "version: {}\n",
            crate::parse::splice::quoted(&v.value)
        ));
    }
    y.push_str(&format!("issuer: {}\n", scalar(&s.issuer_id)));
    y.push_str(&format!("jurisdiction: {}\n", scalar(&s.jurisdiction_id)));
    if let Some(e) = &s.enterprise {
        y.push_str(&format!("enterprise: {}\n", scalar(e)));
    }
    if s.issued.is_some() || s.effective.is_some() {
        y.push_str("dates:\n");
        if let Some(d) = &s.issued {
            y.push_str(&format!("  issued: {}\n", d.value));
        }
        if let Some(d) = &s.effective {
            y.push_str(&format!("  effective: {}\n", d.value));
        }
    }
    File {
        place: Place::Documents,
        folder: Some(folder.to_string()),
        stem: "_defaults".into(),
        ext: "yaml",
        text: y,
    }
}

/// Writes one document: its front matter, then its body.
fn emit(
    out: &mut Imported,
    p: &Part,
    s: &Shared,
    contacts: &[String],
    split: bool,
    source: &str,
    opts: &Options,
) {
    let mut fields: Vec<Field> = Vec::new();
    let mut notes: Vec<Text> = Vec::new();
    let from = |name: &'static str, value: String, f: Option<(usize, String)>, how: Text| Field {
        name,
        value,
        para: f.as_ref().map(|x| x.0),
        quote: f.map(|x| x.1),
        how,
        placeholder: false,
    };
    let said = || text!("原文写明", "stated in the text");
    let placeholder = |name: &'static str, zh: &str, en: &str| Field {
        name,
        value: "待定".into(),
        para: None,
        quote: None,
        how: Text::new(
            format!("原文没有写明{zh}：写作占位“待定”（T801）"),
            format!("the text does not give {en}: written as the placeholder 待定 (T801)"),
        ),
        placeholder: true,
    };
    let title = match &p.title {
        Some(t) => from(
            "title",
            t.value.clone(),
            Some((t.para, t.quote.clone())),
            said(),
        ),
        None => placeholder("title", "标题", "the title"),
    };
    let mut y = String::from("---\n");
    y.push_str(&header(source));
    y.push_str(&format!("id: {}\n", scalar(&p.id)));
    y.push_str(&format!("kind: {}\n", p.kind.as_str()));
    fields.push(from(
        "kind",
        p.kind.as_str().into(),
        None,
        match p.kind_why.split_once(" / ") {
            Some((zh, en)) => Text::new(zh.to_string(), en.to_string()),
            None => Text::new(p.kind_why.to_string(), p.kind_why.to_string()),
        },
    ));
    y.push_str(&format!(
        "title: {}\n",
        if title.placeholder {
            "待定".to_string()
        } else {
            scalar(&title.value)
        }
    ));
    fields.push(title);
    // shared values: in _defaults.yaml when the text gave them (split), else here
    let version = match &s.version {
        Some(v) => from(
            "version",
            v.value.clone(),
            Some((v.para, v.quote.clone())),
            said(),
        ),
        None => placeholder("version", "版本号", "the version"),
    };
    if !split || version.placeholder {
        y.push_str(&format!(
            "version: {}\n",
            crate::parse::splice::quoted(&version.value)
        ));
    }
    fields.push(version);
    if let Some(v) = &s.plan_no {
        if !split {
            y.push_str(&format!("plan_no: {}\n", scalar(&v.value)));
        }
        fields.push(from(
            "plan_no",
            v.value.clone(),
            Some((v.para, v.quote.clone())),
            said(),
        ));
    }
    let dates_missing = s.issued.is_none() || s.effective.is_none();
    let issuer_how = match &s.issuer_name {
        Some(n) if s.issuer_guessed => {
            let name = n.value.clone();
            text!(
                "原文没有写明发布单位：按标题中的地名推断为“{name}”，登记为导入的单位",
                "the text does not name the issuer: guessed from the place in the title, \"{name}\", registered as an imported organisation"
            )
        }
        Some(n) if s.issuer_known || (s.enterprise.is_some() && opts.enterprise.is_some()) => {
            let name = n.value.clone();
            text!(
                "发布单位“{name}”，预案库中已有的单位",
                "issuer \"{name}\", an organisation of the repository"
            )
        }
        Some(n) => {
            let name = n.value.clone();
            text!(
                "发布单位“{name}”，登记为导入的单位",
                "issuer \"{name}\", registered as an imported organisation"
            )
        }
        None => text!(
            "原文没有写明发布单位：登记为名称“待定”的单位",
            "the text does not name the issuer: registered as an organisation named 待定"
        ),
    };
    if !split {
        y.push_str(&format!("issuer: {}\n", scalar(&s.issuer_id)));
    }
    fields.push(Field {
        name: "issuer",
        value: s.issuer_id.clone(),
        para: s.issuer_name.as_ref().map(|n| n.para),
        quote: s.issuer_name.as_ref().map(|n| n.quote.clone()),
        how: issuer_how,
        placeholder: s.issuer_name.is_none(),
    });
    let enterprise_kind = p.kind.enterprise_only() || s.enterprise.is_some();
    if !enterprise_kind {
        match &s.level {
            Some((l, why)) => {
                y.push_str(&format!("level: {}\n", l.as_str()));
                fields.push(from("level", l.as_str().into(), None, why.clone()));
            }
            None => {
                y.push_str("level: county  # 待定：原文没有写明行政级别\n");
                fields.push(Field {
                    value: "county".into(),
                    ..placeholder("level", "行政级别", "the administrative level")
                });
            }
        }
    }
    if !split {
        y.push_str(&format!("jurisdiction: {}\n", scalar(&s.jurisdiction_id)));
        if let Some(e) = &s.enterprise {
            y.push_str(&format!("enterprise: {}\n", scalar(e)));
        }
    }
    fields.push(from(
        "jurisdiction",
        s.jurisdiction_id.clone(),
        None,
        if opts.jurisdiction.is_some() {
            text!("--jurisdiction", "--jurisdiction")
        } else if s.jurisdiction_known {
            text!(
                "预案库中已有的行政区（发布单位所属，或同名）",
                "a jurisdiction of the repository (the issuer's, or of the same name)"
            )
        } else {
            text!(
                "登记为导入的行政区，请核实",
                "registered as an imported jurisdiction: check it"
            )
        },
    ));
    let status_draft = dates_missing
        || s.version.is_none()
        || p.title.is_none()
        || s.issuer_name.is_none()
        || (!enterprise_kind && s.level.is_none());
    if let Some(parent) = &p.parent {
        y.push_str(&format!("parent: {}\n", scalar(parent)));
        fields.push(from(
            "parent",
            parent.clone(),
            None,
            text!(
                "由全本预案的结构得出",
                "from the structure of the whole plan"
            ),
        ));
    } else if let Some(c) = cited_parent(p.kind, enterprise_kind, s) {
        y.push_str(&format!("parent: {}\n", scalar(&c.id)));
        let t = c.title.clone();
        fields.push(from(
            "parent",
            c.id.clone(),
            Some((c.para, format!("《{t}》"))),
            if c.known {
                text!(
                    "正文引用的《{t}》（预案库中已有）",
                    "《{t}》 cited in the text (in the repository)"
                )
            } else {
                text!(
                    "正文引用的《{t}》（登记为外部预案）",
                    "《{t}》 cited in the text (registered as an external plan)"
                )
            },
        ));
    }
    let upper = cited_upper(p, enterprise_kind, s);
    if !upper.is_empty() {
        let ids: Vec<String> = upper.iter().map(|c| scalar(&c.id)).collect();
        y.push_str(&format!("links:\n  upper: [{}]\n", ids.join(", ")));
        let titles: Vec<String> = upper.iter().map(|c| format!("《{}》", c.title)).collect();
        let titles = titles.join("");
        fields.push(from(
            "links.upper",
            ids.join(", "),
            upper.first().map(|c| (c.para, titles.clone())),
            text!(
                "正文引用的上级同灾种预案{titles}",
                "plans of the level above for the same hazard cited in the text, {titles}"
            ),
        ));
    }
    let needs_hazards = matches!(p.kind, Kind::Special | Kind::Onsite);
    if !p.hazards.is_empty() {
        let ids: Vec<String> = p.hazards.iter().map(|h| scalar(&h.0)).collect();
        y.push_str(&format!("hazards: [{}]\n", ids.join(", ")));
        let names: Vec<String> = p.hazards.iter().map(|h| h.1.clone()).collect();
        let names = names.join("、");
        fields.push(from(
            "hazards",
            ids.join(", "),
            p.title.as_ref().map(|t| (t.para, t.quote.clone())),
            match p.hazards_from {
                Some((zh, en)) => text!("{zh}“{names}”", "{en}\"{names}\""),
                None => text!("标题中的“{names}”", "\"{names}\" in the title"),
            },
        ));
    } else if needs_hazards {
        notes.push(text!(
            "标题中没有找到灾种：请填写 hazards（F003 会报告缺少）",
            "no hazard found in the title: fill in hazards (F003 reports it missing)"
        ));
    }
    let mut draft = status_draft;
    if p.kind == Kind::Onsite {
        let posts = key_posts(&p.items);
        if posts.is_empty() {
            y.push_str("key_posts: [待定]\n");
            fields.push(placeholder("key_posts", "关键岗位", "the key posts"));
            draft = true;
        } else {
            let list: Vec<String> = posts.iter().map(|p| scalar(p)).collect();
            y.push_str(&format!("key_posts: [{}]\n", list.join(", ")));
            fields.push(from(
                "key_posts",
                posts.join("、"),
                None,
                text!(
                    "正文中的岗位职责（“岗位：”）",
                    "the posts' duties in the text (\"post:\")"
                ),
            ));
        }
    }
    if draft {
        // before the dates, so that the placeholder comments read in order
        y.push_str("status: draft\n");
    }
    if !split || dates_missing {
        let today = opts.today;
        let issued = s.issued.as_ref().map(|d| d.value);
        y.push_str("dates:\n");
        match &s.issued {
            Some(d) if !split => {
                y.push_str(&format!("  issued: {}\n", d.value));
            }
            Some(_) => {}
            None => y.push_str(&format!(
                "  issued: {today}  # 待定：原文没有写明印发日期，暂填导入当天\n"
            )),
        }
        match (&s.effective, issued) {
            (Some(d), _) if !split => y.push_str(&format!("  effective: {}\n", d.value)),
            (Some(_), _) => {}
            (None, Some(i)) => y.push_str(&format!(
                "  effective: {i}  # 待定：原文没有写明施行日期，暂同印发日期\n"
            )),
            (None, None) => y.push_str(&format!(
                "  effective: {today}  # 待定：原文没有写明施行日期，暂填导入当天\n"
            )),
        }
    }
    for (name, d) in [
        ("dates.issued", &s.issued),
        ("dates.effective", &s.effective),
    ] {
        match d {
            Some(d) => fields.push(from(
                name,
                d.value.to_string(),
                Some((d.para, d.quote.clone())),
                if d.value.is_month() {
                    text!("原文只写到月份", "the text gives the month only")
                } else {
                    said()
                },
            )),
            None => fields.push(Field {
                value: opts.today.to_string(),
                ..placeholder(name, "该日期", "this date")
            }),
        }
    }
    if !contacts.is_empty() {
        let list: Vec<String> = contacts.iter().map(|c| scalar(c)).collect();
        y.push_str(&format!("contacts: [{}]\n", list.join(", ")));
    }
    y.push_str("---\n\n");
    let mut headings = Vec::new();
    y.push_str(&markdown(&p.items, &mut headings));
    let path = match &p.folder {
        Some(f) => format!("{f}/{}.md", p.id),
        None => format!("{}.md", p.id),
    };
    out.files.push(File {
        place: Place::Documents,
        folder: p.folder.clone(),
        stem: p.id.clone(),
        ext: "md",
        text: y,
    });
    out.docs.push(Doc {
        id: p.id.clone(),
        path,
        kind: p.kind,
        title: p
            .title
            .as_ref()
            .map(|t| t.value.clone())
            .unwrap_or_else(|| "待定".into()),
        headings,
        fields,
        notes,
    });
}

/// The body as Markdown; the headings written go to `headings`.
fn markdown(
    items: &[Item],
    headings: &mut Vec<(u8, String, usize, structure::Evidence)>,
) -> String {
    let mut md = String::new();
    let mut notes = Vec::new();
    let mut last_bullet = false;
    for item in items {
        let after_bullet = std::mem::take(&mut last_bullet);
        match item {
            Item::Heading {
                level,
                text,
                para,
                evidence,
            } => {
                let t = text.replace(['\n', '\r'], " ");
                md.push_str(&format!(
                    "{} {}\n\n",
                    "#".repeat(usize::from(*level)),
                    t.trim()
                ));
                headings.push((*level, t.trim().to_string(), *para, evidence.clone()));
            }
            Item::Text { text, .. } => {
                let bullet = text.starts_with("- ");
                if bullet && after_bullet {
                    // one list: no blank line between its items
                    md.pop();
                }
                for (i, line) in text.split('\n').enumerate() {
                    if i == 0 && bullet {
                        md.push_str(line.trim_end());
                    } else {
                        md.push_str(&escape_line(line.trim_end()));
                    }
                    md.push('\n');
                }
                md.push('\n');
                last_bullet = bullet;
            }
            Item::Table {
                caption,
                lines,
                merged,
            } => {
                if let Some(c) = caption {
                    md.push_str(&format!("**{}**\n\n", c.trim()));
                }
                for l in lines {
                    md.push_str(l);
                    md.push('\n');
                }
                if merged.0 + merged.1 > 0 {
                    md.push_str(&format!(
                        "\n<!-- yuan import：原表有合并单元格（横向 {} 格、纵向 {} 格），已在所覆盖的每一格重复填写 -->\n",
                        merged.0, merged.1
                    ));
                }
                md.push('\n');
            }
            Item::Note(id, text) => notes.push((id, text)),
        }
    }
    for (id, text) in notes {
        md.push_str(&format!("〔注{id}〕{}\n\n", text.replace('\n', " ")));
    }
    while md.ends_with("\n\n") {
        md.pop();
    }
    md
}

/// A line of text that Markdown would read as structure keeps its characters.
fn escape_line(line: &str) -> String {
    let t = line.trim_start();
    let structural = t.starts_with('#')
        || t.starts_with('>')
        || t.starts_with("---")
        || t.starts_with("***")
        || t.starts_with("===")
        || t.starts_with("```")
        || t.starts_with('|');
    if structural {
        format!("\\{t}")
    } else {
        line.to_string()
    }
}

/// The key posts an on-site plan names: `岗位：反应釜操作工`, or a post at the start of a duty
/// line (`值班长：…`, `（1）反应釜操作工：…`).
fn key_posts(items: &[Item]) -> Vec<String> {
    static POST: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
        Regex::new(concat!(
            r"(?:^|[）)、.．\s])((?:[\p{Han}A-Za-z0-9]{0,8})(?:操作工|操作员|工|值班长|班长|组长|主任|安全员|巡检员|员))",
            r"\s*[:：]"
        ))
        .expect("static regex")
    });
    static LABEL: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
        Regex::new(r"(?:关键岗位|岗位名称|适用岗位|岗位)\s*[:：]\s*([^，。；;\s]{2,40})")
            .expect("static regex")
    });
    let mut posts: Vec<String> = Vec::new();
    let mut add = |p: &str| {
        let p = p.trim().to_string();
        if p.chars().count() >= 2 && !posts.contains(&p) && posts.len() < 8 {
            posts.push(p);
        }
    };
    for item in items {
        let Item::Text { text, .. } = item else {
            continue;
        };
        if let Some(c) = LABEL.captures(text) {
            for p in c[1].split(['、', ',', '，', '/']) {
                add(p);
            }
            continue;
        }
        if let Some(c) = POST.captures(text) {
            add(&c[1]);
        }
    }
    posts
}

/// The hazards the first section of a part names (an on-site plan's 事故风险描述), in the order
/// they first appear.
fn risk_hazards(items: &[Item]) -> Vec<(String, String)> {
    let mut text = String::new();
    let mut headings = 0;
    for i in items {
        match i {
            Item::Heading { .. } => {
                headings += 1;
                if headings > 1 {
                    break;
                }
            }
            Item::Text { text: t, .. } => text.push_str(t),
            _ => {}
        }
    }
    front::hazards_of(&text)
}

/// A contact found in a table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FoundContact {
    pub(crate) name: String,
    pub(crate) title: Option<String>,
    pub(crate) phones: Vec<(String, &'static str)>,
}

static PHONE: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(
        r"(?:^|[^0-9])((?:0[0-9]{2,3}-?)?[0-9]{7,8}|1[3-9][0-9]{9}|1[12][0-9]{1,3})(?:$|[^0-9])",
    )
    .expect("static regex")
});

/// The contacts of tables whose header names a person or unit and a phone.
fn contacts_of(items: &[Item]) -> Vec<FoundContact> {
    let mut out: Vec<FoundContact> = Vec::new();
    for item in items {
        let Item::Table { lines, .. } = item else {
            continue;
        };
        let rows: Vec<Vec<String>> = lines
            .iter()
            .filter(|l| !l.starts_with("|---"))
            .map(|l| {
                l.trim()
                    .trim_start_matches('|')
                    .trim_end_matches('|')
                    .split(" | ")
                    .map(|c| c.trim().replace("\\|", "|"))
                    .collect()
            })
            .collect();
        let Some((head, data)) = rows.split_first() else {
            continue;
        };
        let col = |keys: &[&str]| head.iter().position(|h| keys.iter().any(|k| h.contains(k)));
        let name = col(&["姓名", "联系人", "负责人"]);
        let unit = col(&["单位", "部门", "名称", "机构"]);
        let title = col(&["职务", "职位", "岗位"]);
        let phones: Vec<usize> = head
            .iter()
            .enumerate()
            .filter(|(_, h)| {
                ["电话", "手机", "联系方式", "号码"]
                    .iter()
                    .any(|k| h.contains(k))
            })
            .map(|(i, _)| i)
            .collect();
        if phones.is_empty() || (name.is_none() && unit.is_none()) {
            continue;
        }
        for row in data {
            let get = |i: Option<usize>| {
                i.and_then(|i| row.get(i))
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
            };
            // a row merged across the table (its one cell repeated in every column) is a note
            // or a group title (`注：节假日拨打……`), not a contact
            let cells: Vec<&str> = row
                .iter()
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
                .collect();
            if row.len() > 1 && cells.len() == row.len() && cells.windows(2).all(|w| w[0] == w[1]) {
                continue;
            }
            let Some(who) = get(name).or_else(|| get(unit)) else {
                continue;
            };
            // a name is short and is not a sentence
            if who.chars().count() > 30 || who.ends_with(['。', '；', ';']) {
                continue;
            }
            let mut numbers: Vec<(String, &'static str)> = Vec::new();
            for &i in &phones {
                let cell = row.get(i).map(String::as_str).unwrap_or("");
                let h = &head[i];
                for c in PHONE.captures_iter(cell) {
                    let n = c[1].to_string();
                    let kind = if n.len() == 11 && n.starts_with('1') {
                        "mobile"
                    } else if n.len() <= 5 {
                        "emergency"
                    } else if h.contains("传真") {
                        "fax"
                    } else if h.contains("值班") || who.contains("值班") {
                        "duty"
                    } else {
                        "office"
                    };
                    if !numbers.iter().any(|x| x.0 == n) {
                        numbers.push((n, kind));
                    }
                }
            }
            if numbers.is_empty() {
                continue;
            }
            let c = FoundContact {
                name: who,
                title: get(title).filter(|t| Some(t) != get(name).as_ref()),
                phones: numbers,
            };
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out
}

/// The registry file of an import: the issuer, the jurisdiction, the contacts and their roles,
/// each marked `imported` with the source's name.
fn registry(
    out: &mut Imported,
    s: &Shared,
    contacts: &[FoundContact],
    ids: &[String],
    base: &str,
    source: &str,
    opts: &Options,
) {
    let src = scalar(source);
    let mut y = header(source);
    let write_jurisdiction =
        !s.jurisdiction_known && (opts.new_repository || opts.jurisdiction.is_none());
    if write_jurisdiction {
        let (name, level) = match (&s.issuer_name, &s.level) {
            (Some(n), Some((l, _))) => (
                front::place_of(&n.value).map_or_else(|| "待定".to_string(), |p| p.0),
                *l,
            ),
            _ => ("待定".to_string(), Level::County),
        };
        y.push_str("jurisdictions:\n");
        y.push_str(&format!(
            "  - {{ id: {}, name: {}, level: {}, imported: {src} }}\n",
            scalar(&s.jurisdiction_id),
            scalar(&name),
            level.as_str()
        ));
        out.registry
            .push(("jurisdictions", s.jurisdiction_id.clone(), name));
    }
    let write_org = !s.issuer_known
        && (opts.new_repository || s.enterprise.is_none() || opts.enterprise.is_none());
    if write_org {
        y.push_str("organizations:\n");
        let name = s
            .issuer_name
            .as_ref()
            .map_or_else(|| "待定".to_string(), |n| n.value.clone());
        let kind = if s.enterprise.is_some() {
            "enterprise"
        } else if name.ends_with("人民政府") {
            "government"
        } else if name.ends_with('局') || name.ends_with("委员会") || name.ends_with('厅') {
            "department"
        } else {
            "other"
        };
        y.push_str(&format!(
            "  - {{ id: {}, name: {}, type: {kind}, jurisdiction: {}, imported: {src} }}\n",
            scalar(&s.issuer_id),
            scalar(&name),
            scalar(&s.jurisdiction_id)
        ));
        out.registry
            .push(("organizations", s.issuer_id.clone(), name));
    }
    // the contacts the repository does not have yet
    let new: Vec<usize> = (0..contacts.len())
        .filter(|&i| !opts.known.contacts.iter().any(|k| k.1 == ids[i]))
        .collect();
    if !new.is_empty() {
        let verified = s
            .issued
            .as_ref()
            .map_or_else(|| opts.today.to_string(), |d| d.value.to_string());
        y.push_str("contacts:\n");
        for &i in &new {
            let (c, id) = (&contacts[i], &ids[i]);
            y.push_str(&format!(
                "  - id: {}\n    name: {}\n",
                scalar(id),
                scalar(&c.name)
            ));
            y.push_str(&format!("    org: {}\n", scalar(&s.issuer_id)));
            if let Some(t) = &c.title {
                y.push_str(&format!("    title: {}\n", scalar(t)));
            }
            y.push_str("    phones:\n");
            for (n, kind) in &c.phones {
                y.push_str(&format!(
                    "      - {{ number: {}, type: {kind} }}\n",
                    scalar(n)
                ));
            }
            y.push_str(&format!("    verified: {verified}\n    imported: {src}\n"));
            out.registry.push(("contacts", id.clone(), c.name.clone()));
        }
        let roles: Vec<(usize, &String)> = new
            .iter()
            .filter_map(|&i| contacts[i].title.as_ref().map(|t| (i, t)))
            .collect();
        if !roles.is_empty() {
            y.push_str("roles:\n");
            for (n, (i, t)) in roles.iter().enumerate() {
                let id = format!("{base}-role-{}", n + 1);
                y.push_str(&format!(
                    "  - {{ id: {}, name: {}, org: {}, contact: {}, imported: {src} }}\n",
                    scalar(&id),
                    scalar(t),
                    scalar(&s.issuer_id),
                    scalar(&ids[*i])
                ));
                out.registry.push(("roles", id, (*t).clone()));
            }
        }
    }
    if let Some((id, name)) = &s.hazard {
        let category = if ["食品", "卫生", "疫情", "传染", "疫苗", "药品"]
            .iter()
            .any(|k| name.contains(k))
        {
            "public_health"
        } else if name.contains("灾害") {
            "natural"
        } else if name.contains("事故") || name.contains("灾难") {
            "accident"
        } else {
            "social"
        };
        y.push_str(&format!(
            "hazards:\n  - {{ id: {}, name: {}, category: {category}, imported: {src} }}\n",
            scalar(id),
            scalar(name)
        ));
        out.registry.push(("hazards", id.clone(), name.clone()));
    }
    if s.cited.iter().any(|c| !c.known) {
        y.push_str("external_plans:\n");
        for c in s.cited.iter().filter(|c| !c.known) {
            let issuer = issuer_of(c);
            y.push_str(&format!(
                "  - {{ id: {}, title: {}, issuers: [{}], kind: {}",
                scalar(&c.id),
                scalar(&c.title),
                scalar(&issuer),
                c.kind.as_str()
            ));
            if c.place.is_some() && c.place == s.place {
                y.push_str(&format!(", jurisdiction: {}", scalar(&s.jurisdiction_id)));
            }
            if !c.hazards.is_empty() {
                let h: Vec<String> = c.hazards.iter().map(|h| scalar(h)).collect();
                y.push_str(&format!(", hazards: [{}]", h.join(", ")));
            }
            y.push_str(&format!(", imported: {src} }}\n"));
            out.registry
                .push(("external_plans", c.id.clone(), c.title.clone()));
        }
    }
    if out.registry.is_empty() {
        return;
    }
    out.files.push(File {
        place: Place::Registry,
        folder: None,
        stem: base.to_string(),
        ext: "yaml",
        text: y,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> Options {
        Options {
            kind: None,
            id: Some("x".into()),
            enterprise: None,
            jurisdiction: None,
            split: true,
            today: chrono::NaiveDate::from_ymd_opt(2026, 12, 6).expect("date"),
            new_repository: true,
            known: Known::default(),
        }
    }

    #[test]
    fn cut_or_damaged_input_is_refused_or_imported_never_a_panic() {
        let docx = include_bytes!("../../tests/fixtures/docx/enterprise-whole.docx");
        // every cut of the file: refused (a zip without its directory) or imported
        for len in (0..docx.len()).step_by(97) {
            let _ = import("x.docx", &docx[..len], &opts());
        }
        // the XML parts cut anywhere, and their bytes changed: whatever comes out, no panic
        let pkg = package::open(docx).expect("the fixture opens");
        let xml = pkg.document.as_bytes();
        assert!(pkg.styles.is_some());
        let mut seed: u32 = 20261206;
        for round in 0..200 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let cut = (seed as usize) % xml.len();
            let mut bytes = xml[..cut].to_vec();
            if round % 2 == 0 {
                let at = (seed as usize / 7) % bytes.len().max(1);
                if let Some(b) = bytes.get_mut(at) {
                    *b = b"<>/\"&x"[round % 6];
                }
            }
            let text = String::from_utf8_lossy(&bytes);
            let body = body::parse(&text, Some(&text));
            let st = styles::parse(&text);
            let defs = numbering::parse(&text);
            let rec = structure::recover(&body, &st, &defs);
            let _ = build("x.docx", rec, Vec::new(), &opts());
        }
        // text sources of any bytes
        for s in [
            "",
            "\u{feff}",
            "---",
            "#",
            "第",
            "一、",
            "附件",
            "《",
            "1.\n1.1\n1.1.1\n",
        ] {
            let _ = import("x.txt", s.as_bytes(), &opts());
            let _ = import("x.md", s.as_bytes(), &opts());
        }
    }

    #[test]
    fn ids_from_file_names() {
        assert_eq!(id_from_name("HD_Chem Plan 2026.docx"), "hd-chem-plan-2026");
        assert_eq!(id_from_name("/tmp/x/qx-flood.txt"), "qx-flood");
        let zh = id_from_name("恒达化工应急预案.docx");
        assert!(zh.starts_with("plan-") && zh.len() == 9, "{zh}");
        assert_eq!(zh, id_from_name("恒达化工应急预案.docx"));
    }

    #[test]
    fn contacts_come_from_tables_with_a_phone_column() {
        let items = vec![Item::Table {
            caption: None,
            lines: vec![
                "| 应急职务 | 姓名 | 办公电话 | 手机 |".into(),
                "|---|---|---|---|".into(),
                "| 总指挥 | 刘志强 | 0745-6628001 | 13907452618 |".into(),
                "| 成员 | 王五 |   |   |".into(),
                "| 值班室 | 应急值班室 | 0745-6628119 |   |".into(),
                "| 注：夜间拨打0745-6628119。 | 注：夜间拨打0745-6628119。 | 注：夜间拨打0745-6628119。 | 注：夜间拨打0745-6628119。 |".into(),
            ],
            merged: (3, 0),
        }];
        let c = contacts_of(&items);
        // the note row merged across the table is no contact
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].name, "刘志强");
        assert_eq!(c[0].title.as_deref(), Some("总指挥"));
        assert_eq!(
            c[0].phones,
            vec![
                ("0745-6628001".to_string(), "office"),
                ("13907452618".to_string(), "mobile")
            ]
        );
        assert_eq!(c[1].phones[0].1, "duty");
    }

    #[test]
    fn key_posts_from_duties() {
        let items = vec![
            Item::Text {
                text: "（1）值班长：组织岗位人员处置。".into(),
                para: 1,
            },
            Item::Text {
                text: "（2）反应釜操作工：立即按下紧急停车按钮。".into(),
                para: 2,
            },
        ];
        assert_eq!(key_posts(&items), vec!["值班长", "反应釜操作工"]);
    }

    #[test]
    fn cited_plans_kept_elsewhere_and_their_issuers() {
        let items = vec![Item::Text {
            text: "依据《国家森林草原火灾应急预案》《江川省森林火灾应急预案》《金湾大酒店综合应急预案》制定。\
                   《海西市处置森林火灾应急预案》（海政办〔2016〕12号）同时废止。"
                .into(),
            para: 3,
        }];
        let cites = cited_plans(&items, &[], "x", &Known::default());
        let got: Vec<(&str, String)> = cites
            .iter()
            .map(|c| (c.title.as_str(), issuer_of(c)))
            .collect();
        // the repealed plan is not one to register
        assert_eq!(
            got,
            [
                ("国家森林草原火灾应急预案", "国务院".to_string()),
                ("江川省森林火灾应急预案", "江川省人民政府".to_string()),
                ("金湾大酒店综合应急预案", "待定".to_string()),
            ]
        );
    }
}
