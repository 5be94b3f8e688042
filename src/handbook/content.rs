//! What a handbook says: each plan's front matter and the registries resolved to the words an
//! on-duty officer reads (role names with holder and duty phone, organisation names, contact
//! numbers with duty phones first, resources with custodians, linked plans with versions).
//!
//! The content items follow domain.md §2.2 (2024 办法, 应急工作手册: 应急响应措施、处置工作程序、
//! 应急救援队伍、物资装备、联络人员和电话). Both the HTML template and the PDF layout read this view.
//!
//! [`part`] builds a plan's view from one function per section (levels, warnings, reporting,
//! roles, resources, directory, linked plans, milestones, commits, text). They share a
//! `Resolver` that collects every role and contact as it is named, so that the roles table
//! and the directory list them: the order of the calls in [`part`] is part of the content.

use super::Index;
use crate::model::date::Date;
use crate::model::links::{classify, resolve, LinkTarget};
use crate::model::meta::{Kind, PlanMeta, WarningColor};
use crate::model::refs::Target;
use crate::model::registry::{Contact, PhoneType, Resource, ResourceType};
use crate::model::{Corpus, Document};
use crate::render::flow::Block;
use crate::render::markdown;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// A whole handbook: one or more plans.
#[derive(Debug, Clone, Serialize)]
pub struct BookView {
    /// File stem of the outputs (`xj-flood`, `hazard-flood`).
    pub(crate) file: String,
    pub(crate) title: String,
    /// Line above the title (issuer or jurisdiction).
    pub(crate) kicker: String,
    /// Short commit id of the source, `+dirty` when the tree differs.
    pub(crate) source: String,
    pub(crate) parts: Vec<PartView>,
    /// True for a book of several plans (a hazard's vertical chain).
    pub multi: bool,
}

/// A number with what kind it is.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PhoneView {
    pub(crate) kind: &'static str,
    pub(crate) number: String,
    pub(crate) duty: bool,
}

/// A role as printed: name, holder and the phone to reach them.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RoleRef {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) phone: String,
    /// Anchor of the role in this part (HTML).
    pub(crate) anchor: String,
}

impl RoleRef {
    /// `name（phone）` for one-line uses.
    pub(crate) fn label(&self) -> String {
        if self.phone.is_empty() {
            self.name.clone()
        } else {
            format!("{}（{}）", self.name, self.phone)
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TaskView {
    pub(crate) role: RoleRef,
    pub(crate) actions: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct LevelView {
    pub(crate) level: u8,
    /// Ⅰ级 … Ⅳ级.
    pub(crate) numeral: String,
    pub(crate) name: String,
    pub(crate) trigger: String,
    pub(crate) decided_by: Option<RoleRef>,
    pub(crate) lead: RoleRef,
    /// 响应措施, led by `lead`.
    pub(crate) actions: Vec<String>,
    pub(crate) tasks: Vec<TaskView>,
    pub(crate) anchor: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct RoleView {
    pub(crate) role: RoleRef,
    pub(crate) org: String,
    pub(crate) holder: String,
    pub(crate) duties: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct WarningView {
    /// red/orange/yellow/blue (CSS class).
    pub(crate) color: &'static str,
    /// 红色预警（一级）.
    pub(crate) name: String,
    pub(crate) criteria: String,
    pub(crate) issued_by: Option<RoleRef>,
    pub(crate) measures: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ReportView {
    pub(crate) from: RoleRef,
    pub(crate) to: RoleRef,
    /// 30 分钟内, or empty.
    pub(crate) within: String,
    pub(crate) content: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ContactView {
    pub(crate) id: String,
    pub(crate) anchor: String,
    pub(crate) name: String,
    pub(crate) title: String,
    pub(crate) phones: Vec<PhoneView>,
    pub(crate) verified: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct OrgGroup {
    pub(crate) org: String,
    pub(crate) contacts: Vec<ContactView>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ResourceView {
    pub(crate) anchor: String,
    pub(crate) kind: &'static str,
    pub(crate) name: String,
    pub(crate) org: String,
    pub(crate) location: String,
    pub(crate) custodian: String,
    pub(crate) phone: String,
    /// Capacity and stocked items.
    pub(crate) holds: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct LinkedView {
    /// 上级 / 下级 / 关联.
    pub(crate) relation: &'static str,
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) kind: &'static str,
    pub(crate) version: String,
    pub(crate) effective: String,
    /// `#plan-ID` when the plan is in this book.
    pub(crate) href: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct MilestoneView {
    pub(crate) date: String,
    pub(crate) event: String,
    pub(crate) detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct CommitView {
    pub(crate) date: String,
    pub(crate) commit: String,
    pub(crate) author: String,
    pub(crate) summary: String,
}

/// One plan of a handbook.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PartView {
    pub(crate) id: String,
    /// 一, 二 … : the part's number in a book of several plans.
    pub(crate) ordinal: String,
    pub(crate) anchor: String,
    pub(crate) path: String,
    pub(crate) title: String,
    pub(crate) kind: &'static str,
    pub(crate) version: String,
    pub(crate) plan_no: String,
    pub(crate) issuer: String,
    pub(crate) jurisdiction: String,
    /// Who the plan is for, in a few characters: the enterprise, else the jurisdiction.
    pub(crate) short: String,
    pub(crate) issued: String,
    pub(crate) effective: String,
    pub(crate) command_body: String,
    pub(crate) levels: Vec<LevelView>,
    pub(crate) roles: Vec<RoleView>,
    pub(crate) warnings: Vec<WarningView>,
    pub(crate) reporting: Vec<ReportView>,
    pub(crate) contacts: Vec<OrgGroup>,
    pub(crate) resources: Vec<ResourceView>,
    pub(crate) linked: Vec<LinkedView>,
    pub(crate) milestones: Vec<MilestoneView>,
    pub(crate) commits: Vec<CommitView>,
    /// The history was cut by a shallow clone, or is unknown outside git.
    pub(crate) history_note: String,
    /// The plan text, escaped HTML.
    pub(crate) body_html: String,
    #[serde(skip)]
    pub(crate) body: Vec<Block>,
    /// What the plan text lost to the caps of `render::markdown` (blocks per document, rows
    /// per table, items per list), for the run's summary; the text itself has a note there too.
    #[serde(skip)]
    pub(crate) refused: Option<crate::diag::Text>,
}

/// 一级 … for 1 … 4.
pub(crate) fn numeral(level: u8) -> &'static str {
    match level {
        1 => "Ⅰ级",
        2 => "Ⅱ级",
        3 => "Ⅲ级",
        4 => "Ⅳ级",
        _ => "",
    }
}

fn phone_kind(t: PhoneType) -> (&'static str, u8) {
    match t {
        PhoneType::Duty => ("值班", 0),
        PhoneType::Emergency => ("应急", 1),
        PhoneType::Office => ("办公", 2),
        PhoneType::Mobile => ("手机", 3),
        PhoneType::Fax => ("传真", 4),
    }
}

fn resource_kind(t: ResourceType) -> (&'static str, u8) {
    match t {
        ResourceType::Team => ("救援队伍", 0),
        ResourceType::Stockpile => ("物资储备", 1),
        ResourceType::Equipment => ("装备", 2),
        ResourceType::Shelter => ("避难场所", 3),
        ResourceType::Expert => ("专家", 4),
    }
}

fn warning(c: WarningColor) -> (&'static str, &'static str) {
    match c {
        WarningColor::Red => ("red", "红色预警（一级）"),
        WarningColor::Orange => ("orange", "橙色预警（二级）"),
        WarningColor::Yellow => ("yellow", "黄色预警（三级）"),
        WarningColor::Blue => ("blue", "蓝色预警（四级）"),
    }
}

/// Anchor-safe form of an id (ids are usually ASCII already).
pub(crate) fn anchor_id(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Resolves ids of one part to words and anchors.
struct Resolver<'a> {
    corpus: &'a Corpus,
    prefix: String,
    /// Contacts the part prints (roles' holders, custodians, the plan's own list).
    contacts: BTreeSet<String>,
    roles: BTreeSet<String>,
    /// Resources the part lists.
    resources: BTreeSet<String>,
}

impl Resolver<'_> {
    fn contact(&self, id: &str) -> Option<&Contact> {
        let reg = &self.corpus.registry;
        reg.index
            .contacts
            .get(id)
            .and_then(|&i| reg.contacts.get(i))
            .map(|e| &e.item)
    }

    fn best_phone(c: &Contact) -> String {
        c.phones
            .iter()
            .filter(|p| p.phone_type != PhoneType::Fax)
            .min_by_key(|p| phone_kind(p.phone_type).1)
            .map(|p| p.number.clone())
            .unwrap_or_default()
    }

    fn role(&mut self, id: &str) -> RoleRef {
        self.roles.insert(id.to_string());
        let reg = &self.corpus.registry;
        let (name, phone) = match reg.role(id) {
            Some(r) => {
                let phone = r
                    .contact
                    .as_deref()
                    .and_then(|c| {
                        self.contacts.insert(c.to_string());
                        self.contact(c)
                    })
                    .map(Self::best_phone)
                    .unwrap_or_default();
                (r.name.clone(), phone)
            }
            None => (id.to_string(), String::new()),
        };
        RoleRef {
            id: id.to_string(),
            name,
            phone,
            anchor: format!("{}-role-{}", self.prefix, anchor_id(id)),
        }
    }

    fn org_name(&self, id: Option<&str>) -> String {
        match id {
            Some(id) => self
                .corpus
                .registry
                .organization(id)
                .map(|o| o.name.clone())
                .unwrap_or_else(|| id.to_string()),
            None => String::new(),
        }
    }
}

/// Builds the view of one plan. `in_book` holds the ids of the plans of the same book (their
/// references become links inside the book).
pub(crate) fn part(
    corpus: &Corpus,
    index: &Index,
    doc: &Document,
    plan: &PlanMeta,
    in_book: &HashSet<String>,
    multi: bool,
    root: &std::path::Path,
) -> PartView {
    let prefix = format!("plan-{}", anchor_id(&plan.id));
    let mut r = Resolver {
        corpus,
        prefix: prefix.clone(),
        contacts: plan.contacts.iter().cloned().collect(),
        roles: BTreeSet::new(),
        resources: plan.resources.iter().cloned().collect(),
    };
    // in this order: every role the levels, warnings and reports name joins the roles, and
    // every holder and custodian the directory
    let levels = levels(&mut r, plan);
    let warnings = warnings(&mut r, plan);
    let reporting = reporting(&mut r, plan);
    let roles = roles(&mut r, plan);
    let resources = resources(&mut r, plan);
    let contacts = directory(&r, plan);
    let (commits, history_note) = commits(root, &doc.path);
    let specs = doc.kind.map_or(&[][..], |k| {
        index.profiles().for_kind(k, doc.is_enterprise())
    });
    let text = plan_text(corpus, doc, plan, in_book, &r, multi, specs);
    let jurisdiction = corpus
        .registry
        .jurisdiction(&plan.jurisdiction)
        .map(|j| j.name.clone())
        .unwrap_or_else(|| plan.jurisdiction.clone());
    PartView {
        id: plan.id.clone(),
        ordinal: String::new(),
        anchor: prefix,
        path: doc.path.clone(),
        title: plan.title.clone(),
        kind: plan.kind.zh(),
        version: plan.version.clone(),
        plan_no: plan.plan_no.clone().unwrap_or_default(),
        issuer: plan.issuer.names(|id| r.org_name(Some(id))),
        short: match &plan.enterprise {
            Some(e) => r.org_name(Some(e)),
            None => jurisdiction.clone(),
        },
        jurisdiction,
        issued: plan.dates.issued.shown(),
        effective: plan.dates.effective.shown(),
        command_body: plan
            .organization
            .as_ref()
            .and_then(|o| o.command_body.clone())
            .unwrap_or_default(),
        levels,
        roles,
        warnings,
        reporting,
        contacts,
        resources,
        linked: linked(corpus, index, plan, in_book),
        milestones: milestones(plan),
        commits,
        history_note,
        body_html: text.html,
        body: text.blocks,
        refused: text.refused,
    }
}

/// The response levels, lowest number (most severe) first.
fn levels(r: &mut Resolver, plan: &PlanMeta) -> Vec<LevelView> {
    let mut v: Vec<_> = plan.response_levels.iter().collect();
    v.sort_by_key(|l| l.level);
    v.into_iter()
        .map(|l| LevelView {
            level: l.level,
            numeral: numeral(l.level).to_string(),
            name: l.name.clone(),
            trigger: l.trigger.trim().to_string(),
            decided_by: l.decided_by.as_deref().map(|d| r.role(d)),
            lead: r.role(&l.lead),
            actions: l.actions.iter().map(|a| a.trim().to_string()).collect(),
            tasks: l
                .tasks
                .iter()
                .map(|t| TaskView {
                    role: r.role(&t.role),
                    actions: t.actions.iter().map(|a| a.trim().to_string()).collect(),
                })
                .collect(),
            anchor: format!("{}-level-{}", r.prefix, l.level),
        })
        .collect()
}

fn warnings(r: &mut Resolver, plan: &PlanMeta) -> Vec<WarningView> {
    plan.warning_levels
        .iter()
        .map(|w| {
            let (color, name) = warning(w.color);
            WarningView {
                color,
                name: name.to_string(),
                criteria: w.criteria.trim().to_string(),
                issued_by: w.issued_by.as_deref().map(|i| r.role(i)),
                measures: w.measures.clone(),
            }
        })
        .collect()
}

fn reporting(r: &mut Resolver, plan: &PlanMeta) -> Vec<ReportView> {
    plan.reporting
        .iter()
        .map(|s| ReportView {
            from: r.role(&s.from),
            to: r.role(&s.to),
            within: s.within_minutes.map(within).unwrap_or_default(),
            content: s.content.clone().unwrap_or_default(),
        })
        .collect()
}

/// A time limit to report in: whole hours in hours, else minutes.
fn within(minutes: u32) -> String {
    if minutes >= 60 && minutes % 60 == 0 {
        format!("{} 小时内", minutes / 60)
    } else {
        format!("{minutes} 分钟内")
    }
}

/// Roles and duties: the organisation's list, then every other role the part names so far.
fn roles(r: &mut Resolver, plan: &PlanMeta) -> Vec<RoleView> {
    let mut duties: BTreeMap<String, String> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    if let Some(o) = &*plan.organization {
        for rd in &o.roles {
            if !duties.contains_key(&rd.role) {
                order.push(rd.role.clone());
            }
            duties.insert(rd.role.clone(), rd.duties.trim().to_string());
        }
    }
    for id in r.roles.clone() {
        if !duties.contains_key(&id) {
            order.push(id);
        }
    }
    order
        .iter()
        .map(|id| {
            let role = r.role(id);
            let reg = r.corpus.registry.role(id);
            let holder = reg
                .and_then(|x| x.contact.as_deref())
                .and_then(|c| r.contact(c))
                .map(|c| c.name.clone())
                .unwrap_or_default();
            RoleView {
                org: r.org_name(reg.and_then(|x| x.org.as_deref())),
                holder,
                duties: duties.get(id).cloned().unwrap_or_default(),
                role,
            }
        })
        .collect()
}

/// The plan's resources by kind (teams first), then in the plan's order; their custodians
/// join the directory.
fn resources(r: &mut Resolver, plan: &PlanMeta) -> Vec<ResourceView> {
    let reg = &r.corpus.registry;
    let mut resources: Vec<(u8, usize, ResourceView)> = Vec::new();
    for (i, id) in plan.resources.iter().enumerate() {
        let Some(res) = reg
            .index
            .resources
            .get(id)
            .and_then(|&k| reg.resources.get(k))
            .map(|e| &e.item)
        else {
            continue;
        };
        let (kind, rank) = resource_kind(res.resource_type);
        if let Some(c) = &res.custodian {
            r.contacts.insert(c.clone());
        }
        let custodian = res.custodian.as_deref().and_then(|c| r.contact(c));
        let view = ResourceView {
            anchor: format!("{}-res-{}", r.prefix, anchor_id(id)),
            kind,
            name: res.name.clone(),
            org: r.org_name(res.org.as_deref()),
            location: res.location.clone().unwrap_or_default(),
            custodian: custodian.map(|c| c.name.clone()).unwrap_or_default(),
            phone: custodian.map(Resolver::best_phone).unwrap_or_default(),
            holds: holds(res),
        };
        resources.push((rank, i, view));
    }
    resources.sort_by_key(|(rank, i, _)| (*rank, *i));
    resources.into_iter().map(|(_, _, v)| v).collect()
}

/// What a resource holds: its capacity, then its stocked items.
fn holds(res: &Resource) -> String {
    let mut holds = res.capacity.clone().unwrap_or_default();
    let items: Vec<String> = res
        .items
        .iter()
        .map(|it| format!("{}{}{}", it.name, fmt_qty(it.quantity), it.unit))
        .collect();
    if !items.is_empty() {
        if !holds.is_empty() {
            holds.push('；');
        }
        holds.push_str(&items.join("、"));
    }
    holds
}

/// The plan text of a part: blocks for the PDF, HTML, and what the caps refused.
struct PlanText {
    blocks: Vec<Block>,
    html: String,
    refused: Option<crate::diag::Text>,
}

/// The plan text without its title heading, typed references turned into links of this book,
/// its headings below the part's sections.
fn plan_text(
    corpus: &Corpus,
    doc: &Document,
    plan: &PlanMeta,
    in_book: &HashSet<String>,
    r: &Resolver,
    multi: bool,
    specs: &[crate::model::sections::Compiled],
) -> PlanText {
    let body_md = read_body(corpus, doc);
    let mut body_md = body_md.as_str();
    let first_h1 = format!("# {}", plan.title);
    if let Some(rest) = body_md.trim_start().strip_prefix(&first_h1) {
        body_md = rest;
    }
    let resolver = |dest: &str| link_href(corpus, doc, &r.prefix, in_book, r, dest);
    let shift = if multi { 1 } else { 0 };
    let (body, refused) = markdown::to_blocks_capped(body_md, shift, &resolver);
    let body = line_headings(body, doc, specs, shift);
    let blocks = body
        .into_iter()
        .map(|b| match b {
            Block::Heading { level, text } => Block::Heading {
                level: level.max(if multi { 3 } else { 2 }),
                text,
            },
            other => other,
        })
        .collect::<Vec<_>>();
    let html = markdown::to_html(&blocks, &format!("{}-text", r.prefix));
    PlanText {
        blocks,
        html,
        refused: refused.any().then(|| refused.describe()),
    }
}

/// The plain, bold and label lines the structure reading takes for sections (a Word-style plan's
/// `一、总则`, `**3　应急响应**`, `应急处置：…`) made headings of the book, so that they are in its
/// contents and bookmarks as a Markdown heading would be. Matched in order, by the text of the
/// paragraph: a plain or bold line becomes the heading; a label gets its heading before the
/// paragraph, which keeps its text.
fn line_headings(
    blocks: Vec<Block>,
    doc: &Document,
    specs: &[crate::model::sections::Compiled],
    shift: u8,
) -> Vec<Block> {
    let taken = crate::model::heading_lines::heading_lines(doc, specs);
    if taken.is_empty() {
        return blocks;
    }
    // the taken lines in the order of the text: (title as a reader sees it, level, label)
    let mut lines: Vec<(&str, u8, bool)> = doc
        .lines
        .iter()
        .filter_map(|l| {
            taken
                .get(&(l.span.start as usize))
                .map(|t| (l.title.trim_matches('*').trim(), t.level, t.label))
        })
        .collect();
    lines.reverse();
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '*')
            .collect()
    };
    let mut out = Vec::with_capacity(blocks.len() + lines.len());
    for b in blocks {
        let Block::Para(runs) = &b else {
            out.push(b);
            continue;
        };
        let text = squash(&runs.iter().map(|r| r.text.as_str()).collect::<String>());
        // the next lines still to place (a line inside a list or a table is never a
        // paragraph here: a few are looked past, so one such line cannot hold up the rest)
        let hit = lines.iter().rev().take(4).position(|&(title, _, label)| {
            let want = squash(title);
            if label {
                text.starts_with(&want)
            } else {
                text == want
            }
        });
        let Some(k) = hit else {
            out.push(b);
            continue;
        };
        let keep = lines.len() - k - 1;
        let (title, level, label) = lines[keep];
        lines.truncate(keep);
        out.push(Block::Heading {
            level: level.saturating_add(shift).clamp(1, 4),
            text: title.to_string(),
        });
        if label {
            out.push(b);
        }
    }
    out
}

pub(crate) fn fmt_qty(q: f64) -> String {
    if q.fract() == 0.0 && q.abs() < 1e15 {
        format!("{}", q as i64)
    } else {
        format!("{q}")
    }
}

/// The Markdown body of `doc` (empty when the file cannot be read again).
fn read_body(corpus: &Corpus, doc: &Document) -> String {
    let Some(text) = corpus.read_text(&doc.path) else {
        return String::new();
    };
    match crate::parse::front_matter::split(&text) {
        Ok(s) => text.get(s.body..).unwrap_or("").to_string(),
        Err(_) => String::new(),
    }
}

/// Where a body link goes in the book (`None`: printed as text only).
fn link_href(
    corpus: &Corpus,
    doc: &Document,
    prefix: &str,
    in_book: &HashSet<String>,
    r: &Resolver,
    dest: &str,
) -> Option<String> {
    let plan_href = |id: &str| {
        in_book
            .contains(id)
            .then(|| format!("#plan-{}", anchor_id(id)))
    };
    match classify(dest) {
        LinkTarget::Typed { target, id, anchor } => match target {
            // to the heading the anchor names, when the target plan has it (R404)
            Target::Document => plan_href(&id).map(|whole| {
                let heading = anchor.as_deref().and_then(|a| {
                    let d = corpus.doc(&id)?;
                    let h = d.find_heading(a)?;
                    let title = d.plan().map(|p| p.title.as_str());
                    // the plan's title heading is not in the book's copy of its text
                    (!(h.level == 1 && Some(h.title.as_str()) == title)).then_some(h)
                });
                match heading {
                    Some(h) => format!("{whole}-text-{}", markdown::heading_key(&h.title)),
                    None => whole,
                }
            }),
            Target::Role if r.roles.contains(id.as_ref()) => {
                Some(format!("#{prefix}-role-{}", anchor_id(&id)))
            }
            Target::Contact if r.contacts.contains(id.as_ref()) => {
                Some(format!("#{prefix}-contact-{}", anchor_id(&id)))
            }
            Target::Resource if r.resources.contains(id.as_ref()) => {
                Some(format!("#{prefix}-res-{}", anchor_id(&id)))
            }
            _ => None,
        },
        LinkTarget::SelfAnchor(_) => None,
        LinkTarget::File { path, .. } => {
            let p = resolve(&doc.path, &path)?;
            let target = corpus.docs.iter().find(|d| d.path == p)?;
            plan_href(target.id.as_deref()?)
        }
        LinkTarget::External => markdown::safe_external(dest).then(|| dest.to_string()),
    }
}

/// The contacts directory, grouped by organisation; desks with a duty phone first.
fn directory(r: &Resolver, plan: &PlanMeta) -> Vec<OrgGroup> {
    let mut groups: BTreeMap<(u8, String), Vec<(u8, ContactView)>> = BTreeMap::new();
    for id in &r.contacts {
        let Some(c) = r.contact(id) else { continue };
        let mut phones: Vec<PhoneView> = c
            .phones
            .iter()
            .map(|p| PhoneView {
                kind: phone_kind(p.phone_type).0,
                number: p.number.clone(),
                duty: p.phone_type == PhoneType::Duty,
            })
            .collect();
        phones.sort_by_key(|p| {
            c.phones
                .iter()
                .find(|x| x.number == p.number)
                .map_or(9, |x| phone_kind(x.phone_type).1)
        });
        let has_duty = phones.iter().any(|p| p.duty);
        let org = r.org_name(c.org.as_deref());
        let own = c.org.as_deref().is_some_and(|o| plan.issuer.contains(o))
            || c.org.as_deref() == plan.lead_department.as_deref();
        groups.entry((u8::from(!own), org)).or_default().push((
            u8::from(!has_duty),
            ContactView {
                id: id.clone(),
                anchor: format!("{}-contact-{}", r.prefix, anchor_id(id)),
                name: c.name.clone(),
                title: c.title.clone().unwrap_or_default(),
                phones,
                verified: c.verified.shown(),
            },
        ));
    }
    groups
        .into_iter()
        .map(|((_, org), mut v)| {
            v.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
            OrgGroup {
                org: if org.is_empty() {
                    "其他".to_string()
                } else {
                    org
                },
                contacts: v.into_iter().map(|(_, c)| c).collect(),
            }
        })
        .collect()
}

fn kind_zh(d: &Document) -> &'static str {
    d.kind.map(Kind::zh).unwrap_or("")
}

/// Plans above (parent, upper), below (children, plans that dovetail with this one) and
/// beside (related, both ways), with their versions.
fn linked(
    corpus: &Corpus,
    index: &Index,
    plan: &PlanMeta,
    in_book: &HashSet<String>,
) -> Vec<LinkedView> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut add = |relation: &'static str, id: &str| {
        if id == plan.id || !seen.insert(id.to_string()) {
            return;
        }
        let doc = corpus.doc(id);
        let external = || corpus.registry.external_plan(id);
        let (title, version, effective) = match doc {
            Some(d) => match (&d.meta, d.plan(), d.card()) {
                (_, Some(p), _) => (
                    p.title.clone(),
                    p.version.clone(),
                    p.dates.effective.shown(),
                ),
                (_, _, Some(c)) => (
                    c.title.clone(),
                    c.version.clone(),
                    c.dates.effective.shown(),
                ),
                _ => (String::new(), String::new(), String::new()),
            },
            // a plan kept outside the repository: its registry entry (`external_plans`)
            None => match external() {
                Some(e) => (
                    e.title.clone(),
                    e.version.clone().unwrap_or_default(),
                    e.date.map(|d| d.shown()).unwrap_or_default(),
                ),
                None => (String::new(), String::new(), String::new()),
            },
        };
        let kind = match doc {
            Some(d) => kind_zh(d),
            None => external().map_or("", |e| e.kind.zh()),
        };
        out.push(LinkedView {
            relation,
            id: id.to_string(),
            title,
            kind,
            version,
            effective,
            href: in_book
                .contains(id)
                .then(|| format!("#plan-{}", anchor_id(id))),
        });
    };
    if let Some(p) = &plan.parent {
        add("上级", p);
    }
    for u in &plan.links.upper {
        add("上级", u);
    }
    for c in index.below(&plan.id) {
        add("下级", c);
    }
    for rel in &plan.links.related {
        add("关联", rel);
    }
    for rel in index.related_to(&plan.id) {
        add("关联", rel);
    }
    out
}

/// Front-matter dates: authoritative for issue, effect, publication, filing, review, assessment.
/// In the order of their earliest days; a month-only date prints as `2024年6月`.
fn milestones(plan: &PlanMeta) -> Vec<MilestoneView> {
    let mut v: Vec<(Date, &'static str, String)> = vec![
        (plan.dates.issued, "印发", format!("版本 {}", plan.version)),
        (plan.dates.effective, "施行", String::new()),
    ];
    if let Some(d) = plan.dates.published {
        v.push((d, "公布", String::new()));
    }
    if let Some(r) = &plan.review {
        if let Some(d) = r.date {
            let event = match r.mode {
                crate::model::meta::ReviewMode::ExpertReview => "评审",
                crate::model::meta::ReviewMode::Justification => "论证",
            };
            v.push((d, event, String::new()));
        }
    }
    if let Some(f) = &plan.filing {
        let detail = match &f.receipt_no {
            Some(n) => format!("{}，回执 {n}", f.authority),
            None => f.authority.clone(),
        };
        v.push((f.filed_on, "备案", detail));
    }
    if let Some(d) = plan.dates.assessed {
        v.push((d, "评估", String::new()));
    }
    v.sort_by_key(|m| m.0);
    v.into_iter()
        .map(|(d, event, detail)| MilestoneView {
            date: d.shown(),
            event: event.into(),
            detail,
        })
        .collect()
}

/// The git revisions of the plan file (newest first) and a note when they are incomplete.
fn commits(root: &std::path::Path, path: &str) -> (Vec<CommitView>, String) {
    match crate::git::history(root, path) {
        Ok(Some(h)) => {
            let note = if h.truncated {
                "浅克隆：更早的修订未知".to_string()
            } else {
                String::new()
            };
            (
                h.revisions
                    .into_iter()
                    .map(|r| CommitView {
                        date: r.date(),
                        commit: r.commit.chars().take(7).collect(),
                        author: r.author,
                        summary: r.summary,
                    })
                    .collect(),
                note,
            )
        }
        _ => (Vec::new(), "不在 git 仓库中，无修订记录".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A handbook prints the body as checked, or none: a plan rewritten after the load gives
    /// an empty body (and the run's note), never text that was not checked.
    #[test]
    fn the_body_of_a_plan_changed_since_the_load_is_not_printed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("h.md");
        let plan = "---\nid: h\ntitle: 预案\nkind: overall\n---\n\n## 1 总则\n\n已检查的正文。\n";
        std::fs::write(&file, plan).expect("write");
        let loaded = crate::load::load(dir.path()).expect("load");
        let (corpus, doc) = (&loaded.corpus, &loaded.corpus.docs[0]);
        assert!(read_body(corpus, doc).contains("已检查的正文"));
        std::fs::write(&file, plan.replace("已检查的正文", "未经检查的正文")).expect("write");
        assert_eq!(read_body(corpus, doc), "");
        assert!(corpus.changed_note().is_some_and(|n| n.zh.contains("h.md")));
    }
}
