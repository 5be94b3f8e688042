//! Section profiles: which sections each document kind must contain, as data.
//!
//! The built-in profiles (`sections.toml`, embedded) follow GB/T 29639-2020 §6–§8 for enterprise
//! plans and the typical government structure of domain.md §2.7. A repository replaces a whole
//! profile with `[[sections.<profile>]]` entries in `yuan.toml` (e.g. a province's own template).
//!
//! Domain knowledge in the model, not in `check`: the rules S501–S503, `yuan new`, drills (the
//! response section), the change review and the configuration's validation all read it.

use super::heading;
use super::meta::Kind;

use std::collections::BTreeMap;
use std::sync::LazyLock;

pub(crate) use crate::config::{SectionSeverity, SectionSpec};

/// How a title matched a section, best first: the order the passes are tried in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Pass {
    /// The title or a synonym of the profile.
    Exact,
    /// A variant of the table `section_variants.toml`.
    Variant,
    /// Starts with an accepted title (2+ characters) or ends with one (4+ characters).
    Affix,
    /// Contains an accepted title of 4+ characters, and is at most 8 characters longer.
    Contain,
}

/// An accepted title, normalized, with its length in characters.
#[derive(Debug, Clone)]
struct Title {
    text: String,
    chars: usize,
}

impl Title {
    fn new(t: &str) -> Title {
        let text = heading::normalize(t);
        Title {
            chars: text.chars().count(),
            text,
        }
    }
}

/// Shortest accepted title a heading may end with (`风险描述` in `火灾事故风险描述`).
const SUFFIX_MIN: usize = 4;
/// Shortest accepted title a heading may contain (`应急处置` in `事故应急处置程序及措施`).
const CONTAIN_MIN: usize = 4;
/// How much longer than the title it contains a heading may be.
const CONTAIN_SLACK: usize = 8;

/// A spec with its accepted titles normalized once per run (not once per heading).
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub(crate) spec: SectionSpec,
    /// Its place in the order of its siblings ([`ranks`]): S502 wants a section after every
    /// sibling of a lower rank.
    pub(crate) rank: usize,
    accepted: Vec<Title>,
    variants: Vec<Title>,
}

impl Compiled {
    /// The spec with the variants of the table for it.
    fn with_variants(spec: &SectionSpec, variants: &[&str]) -> Self {
        let accepted = std::iter::once(&spec.title)
            .chain(&spec.synonyms)
            .map(|t| Title::new(t))
            .collect();
        Compiled {
            spec: spec.clone(),
            rank: 0,
            accepted,
            variants: variants.iter().map(|t| Title::new(t)).collect(),
        }
    }
    /// The heading is exactly one of the accepted titles.
    pub(crate) fn matches_exactly(&self, normalized_heading: &str) -> bool {
        self.accepted.iter().any(|t| t.text == normalized_heading)
    }
    /// The heading is or starts with one of the accepted titles.
    pub(crate) fn matches(&self, normalized_heading: &str) -> bool {
        self.accepted
            .iter()
            .any(|t| heading::satisfies(normalized_heading, &t.text))
    }
    /// The best pass by which a normalized heading names this section, if any.
    pub(crate) fn pass(&self, norm: &str) -> Option<Pass> {
        if self.accepted.iter().any(|t| t.text == norm) {
            return Some(Pass::Exact);
        }
        if self.variants.iter().any(|t| t.text == norm) {
            return Some(Pass::Variant);
        }
        let all = || self.accepted.iter().chain(&self.variants);
        let n = norm.chars().count();
        if all().any(|t| {
            (t.chars >= 2 && norm.starts_with(&t.text))
                || (t.chars >= SUFFIX_MIN && norm.ends_with(&t.text))
        }) {
            return Some(Pass::Affix);
        }
        // lengths first: a substring search costs more than the rest of the pass
        if all().any(|t| {
            t.chars >= CONTAIN_MIN
                && n <= t.chars + CONTAIN_SLACK
                && norm.len() >= t.text.len()
                && norm.contains(&t.text)
        }) {
            return Some(Pass::Contain);
        }
        None
    }
}

/// Every profile in force, compiled once per run.
#[derive(Debug, Default)]
pub(crate) struct Profiles {
    by_name: BTreeMap<String, Vec<Compiled>>,
}

/// The place of each section in its group's order (its siblings under the same `within`): one
/// more than the section above it in the same group, or the same when it may come either way
/// round with it (`either_order`).
pub(crate) fn ranks<'a>(specs: impl Iterator<Item = &'a SectionSpec>) -> Vec<usize> {
    let mut last: Vec<(Option<&str>, usize)> = Vec::new();
    specs
        .map(|s| {
            let group = s.within.as_deref();
            match last.iter_mut().find(|(g, _)| *g == group) {
                Some((_, r)) => {
                    if !s.either_order {
                        *r += 1;
                    }
                    *r
                }
                None => {
                    last.push((group, 0));
                    0
                }
            }
        })
        .collect()
}

/// The profiles a repository sets in `yuan.toml` (`[sections]`), each replacing the built-in
/// profile of its name.
pub(crate) type Overrides = BTreeMap<String, Vec<SectionSpec>>;

impl Profiles {
    pub(crate) fn new(overrides: &Overrides) -> Profiles {
        let mut by_name = BTreeMap::new();
        for name in BUILTIN.keys().chain(overrides.keys()) {
            let specs = profile(overrides, name);
            let compiled = specs
                .iter()
                .zip(ranks(specs.iter()))
                .map(|(s, rank)| Compiled {
                    rank,
                    ..Compiled::with_variants(s, &variants_of(name, &s.key))
                })
                .collect();
            by_name.insert(name.clone(), compiled);
        }
        Profiles { by_name }
    }
    /// The compiled profile of a document kind (empty for cards and unknown profiles).
    pub(crate) fn for_kind(&self, kind: Kind, enterprise: bool) -> &[Compiled] {
        profile_name(kind, enterprise)
            .and_then(|n| self.by_name.get(n))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

static BUILTIN: LazyLock<BTreeMap<String, Vec<SectionSpec>>> = LazyLock::new(|| {
    toml::from_str(include_str!("sections.toml")).expect("built-in sections.toml is valid")
});

/// One entry of the variant table (`section_variants.toml`).
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Variant {
    profile: String,
    key: String,
    titles: Vec<String>,
    source: String,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct VariantTable {
    variant: Vec<Variant>,
}

static VARIANTS: LazyLock<VariantTable> = LazyLock::new(|| {
    toml::from_str(include_str!("section_variants.toml"))
        .expect("built-in section_variants.toml is valid")
});

/// The variants of the table for a section of a profile.
fn variants_of<'a>(profile: &str, key: &str) -> Vec<&'a str> {
    VARIANTS
        .variant
        .iter()
        .filter(|v| v.profile == profile && v.key == key)
        .flat_map(|v| v.titles.iter().map(String::as_str))
        .collect()
}

/// The built-in profiles.
pub fn builtin() -> &'static BTreeMap<String, Vec<SectionSpec>> {
    &BUILTIN
}

/// The profile name of a document: its kind, with enterprise special plans apart.
pub fn profile_name(kind: Kind, enterprise: bool) -> Option<&'static str> {
    Some(match kind {
        Kind::Special if enterprise => "enterprise_special",
        Kind::Card | Kind::Drill => return None,
        k => k.as_str(),
    })
}

/// The profile in force: the repository's, else the built-in one.
pub(crate) fn profile<'a>(overrides: &'a Overrides, name: &str) -> &'a [SectionSpec] {
    overrides
        .get(name)
        .or_else(|| BUILTIN.get(name))
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// Where a piece of section evidence comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Src {
    /// `Document::headings[i]`
    Heading(usize),
    /// `Document::lines[i]`: a short line or label taken as a heading.
    Line(usize),
}

/// Where a required section was found.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Found {
    pub(crate) src: Src,
    /// Position among the evidence, in document order (for S502).
    pub(crate) pos: usize,
    /// The level it has (a line's is inferred).
    pub(crate) level: u8,
    /// The section (with its sub-sections) has text (for S503).
    pub(crate) has_text: bool,
}

/// Where each required section of a profile was found in a document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Analysis {
    /// Per spec (same order as the specs analysed).
    pub(crate) found: Vec<Option<Found>>,
    /// Per top-level spec not found: where its title was found inside another required section
    /// (the evidence, and the index of the spec whose section holds it).
    pub(crate) nested: Vec<Option<(Src, usize)>>,
}

/// End (exclusive heading index) of the section that heading `i` opens.
pub(crate) fn section_end(headings: &[super::Heading], i: usize) -> usize {
    let level = headings[i].level;
    headings[i + 1..]
        .iter()
        .position(|h| h.level <= level)
        .map_or(headings.len(), |p| i + 1 + p)
}

/// The span of a piece of evidence.
pub(crate) fn span(doc: &super::Document, src: Src) -> crate::diag::Span {
    match src {
        Src::Heading(i) => doc.headings.get(i).map_or(doc.head, |h| h.span),
        Src::Line(i) => doc.lines.get(i).map_or(doc.head, |l| l.span),
    }
}

/// The title of a piece of evidence, as written.
pub(crate) fn title(doc: &super::Document, src: Src) -> &str {
    match src {
        Src::Heading(i) => doc.headings.get(i).map_or("", |h| h.title.as_str()),
        Src::Line(i) => doc.lines.get(i).map_or("", |l| l.title.as_str()),
    }
}

/// The normalized title of a piece of evidence (numbering stripped).
pub(crate) fn norm(doc: &super::Document, src: Src) -> &str {
    match src {
        Src::Heading(i) => doc.headings.get(i).map_or("", |h| h.norm()),
        Src::Line(i) => doc.lines.get(i).map_or("", |l| l.norm()),
    }
}

/// One piece of evidence: a heading, or a line taken as one.
#[derive(Debug, Clone, Copy)]
struct Entry<'a> {
    src: Src,
    level: u8,
    norm: &'a str,
    /// Text of its own (before the next piece of evidence).
    own: bool,
    /// A line that is neither numbered nor bold: names a section only exactly or by a variant.
    bare: bool,
}

/// End (exclusive) of the section entry `i` opens.
fn end_of(es: &[Entry], i: usize) -> usize {
    let level = es[i].level;
    es[i + 1..]
        .iter()
        .position(|e| e.level <= level)
        .map_or(es.len(), |p| i + 1 + p)
}

/// End (exclusive) of the clause that entry `h`, found for spec `pi` by a variant, stands for.
///
/// Real plans that title the clause by its first part (`## 3 现场应急处置程序`) write the other
/// parts as its siblings (`## 4 现场应急处置措施`, `## 5 报警负责人及报警电话`): the clause runs
/// on to the next entry that names another top-level section exactly or by a variant
/// (`## 6 注意事项`), or to an entry above its level.
fn clause_end(es: &[Entry], specs: &[Compiled], m: &[Option<Pass>], pi: usize, h: usize) -> usize {
    let n = specs.len();
    let level = es[h].level;
    (h + 1..es.len())
        .find(|&j| {
            es[j].level < level
                || specs.iter().enumerate().any(|(si, c)| {
                    si != pi
                        && c.spec.within.is_none()
                        && m[j * n + si].is_some_and(|p| p <= Pass::Variant)
                })
        })
        .unwrap_or(es.len())
}

/// The best (pass, spec) for each entry: the lowest pass, the first spec on a tie.
fn best_of(m: &[Option<Pass>], n: usize) -> Option<(Pass, usize)> {
    m.iter()
        .enumerate()
        .filter_map(|(si, p)| p.map(|p| (p, si)))
        .min()
        .filter(|_| n > 0)
}

/// Finds each spec among the evidence `es`, in profile order.
///
/// A sub-section is looked for inside its parent's section; a parent found by a variant (a
/// title that stands for the clause and its first part, `现场应急处置程序`) may be its own
/// sub-section too. Passes are tried in order over the whole range (exact first, so `1.2
/// 应急响应分级` under 总则 never stands in for `应急响应`); by prefix, suffix or containment a
/// heading only counts for the section it names best, so `响应分级` (exact for one section)
/// never counts for another by containing `响应`. A top-level section is not looked for inside
/// another required top-level section: found only there, it is missing, and `nested` says where.
fn search(es: &[Entry], specs: &[Compiled], memo: &mut Memo) -> Analysis {
    let n = specs.len();
    let mut matrix: Vec<Option<Pass>> = Vec::with_capacity(es.len() * n);
    for e in es {
        matrix.extend_from_slice(memo.row(specs, e.norm));
    }
    let row = |i: usize| &matrix[i * n..(i + 1) * n];
    let mut found: Vec<Option<(usize, Pass)>> = Vec::with_capacity(n);
    let mut nested = vec![None; n];
    for (si, c) in specs.iter().enumerate() {
        let (range, stand_in) = match &c.spec.within {
            None => (0..es.len(), None),
            Some(parent) => {
                let pi = specs.iter().position(|p| &p.spec.key == parent);
                match pi.and_then(|pi| found.get(pi).copied().flatten().map(|f| (pi, f))) {
                    Some((_, (h, Pass::Exact))) => (h + 1..end_of(es, h), None),
                    Some((pi, (h, _))) => (h + 1..clause_end(es, specs, &matrix, pi, h), Some(h)),
                    None => (0..0, None),
                }
            }
        };
        // The sections of the top-level specs found so far.
        let taken: Vec<(std::ops::Range<usize>, usize)> = if c.spec.within.is_none() {
            specs[..si]
                .iter()
                .zip(&found)
                .enumerate()
                .filter(|(_, (s, _))| s.spec.within.is_none())
                .filter_map(|(pi, (_, f))| f.map(|(h, _)| (h + 1..end_of(es, h), pi)))
                .collect()
        } else {
            Vec::new()
        };
        let mut hit = None;
        // A parent found by a variant names its first part too (`现场应急处置程序`): the last
        // resort for a sub-section that has no title of its own after it.
        let fallback = stand_in
            .filter(|&h| row(h)[si].is_some())
            .map(|h| (h, Pass::Variant));
        'passes: for pass in [Pass::Exact, Pass::Variant, Pass::Affix, Pass::Contain] {
            for i in range.clone() {
                if row(i)[si] != Some(pass) {
                    continue;
                }
                if pass >= Pass::Affix && (es[i].bare || best_of(row(i), n) != Some((pass, si))) {
                    continue;
                }
                if let Some((_, owner)) = taken.iter().find(|(r, _)| r.contains(&i)) {
                    if nested[si].is_none() {
                        nested[si] = Some((es[i].src, *owner));
                    }
                    continue;
                }
                hit = Some((i, pass));
                break 'passes;
            }
        }
        let hit = hit.or(fallback);
        if hit.is_some() {
            nested[si] = None;
        }
        found.push(hit);
    }
    Analysis {
        found: found
            .into_iter()
            .map(|f| {
                f.map(|(i, _)| Found {
                    src: es[i].src,
                    pos: i,
                    level: es[i].level,
                    has_text: es[i..end_of(es, i)].iter().any(|e| e.own),
                })
            })
            .collect(),
        nested,
    }
}

/// Finds each spec's section in a document.
///
/// First among its headings alone; then, if a section is still missing and the body has short
/// lines or leading labels (a Word export's flattened headings), again with those lines that
/// name a missing section taken as headings: [`line_levels`] gives them a level. A document
/// whose headings are complete is read exactly as its headings say.
pub(crate) fn analyse(doc: &super::Document, specs: &[Compiled]) -> Analysis {
    analyse_with(doc, specs, &mut Memo::default())
}

/// The passes of titles against the sections of a profile, remembered over the documents one
/// thread analyses: the same few hundred titles (`总则`, `应急响应`, `1.2 适用范围` normalized)
/// recur across thousands of plans, and a row costs a comparison with every title and variant
/// of every section. Keyed by the profile's slice, which lives as long as the run's profiles.
/// The row of passes of each normalized title.
type Rows = super::FastMap<Box<str>, Box<[Option<Pass>]>>;

#[derive(Debug, Default)]
pub(crate) struct Memo {
    /// By profile (its slice: address and length), the row of each title seen.
    rows: super::FastMap<(usize, usize), Rows>,
    kept: usize,
}

impl Memo {
    /// Past this many rows the memo starts again (a repository of mostly unique titles).
    const MAX_ROWS: usize = 100_000;

    /// [`Compiled::pass`] of `norm` for each of `specs`.
    fn row(&mut self, specs: &[Compiled], norm: &str) -> &[Option<Pass>] {
        if self.kept >= Self::MAX_ROWS {
            self.rows.clear();
            self.kept = 0;
        }
        let by_title = self
            .rows
            .entry((specs.as_ptr() as usize, specs.len()))
            .or_default();
        if !by_title.contains_key(norm) {
            let row = specs.iter().map(|c| c.pass(norm)).collect();
            by_title.insert(norm.into(), row);
            self.kept += 1;
        }
        by_title.get(norm).map_or(&[], |r| r)
    }
}

/// [`analyse`], with the rows of titles already seen by this thread taken from `memo`.
pub(crate) fn analyse_with(doc: &super::Document, specs: &[Compiled], memo: &mut Memo) -> Analysis {
    let hs = &doc.headings;
    let heads: Vec<Entry> = hs
        .iter()
        .enumerate()
        .map(|(i, h)| Entry {
            src: Src::Heading(i),
            level: h.level,
            norm: h.norm(),
            own: h.has_content,
            bare: false,
        })
        .collect();
    let first = search(&heads, specs, memo);
    let lines = &doc.lines;
    if lines.is_empty() || first.found.iter().all(Option::is_some) {
        return first;
    }
    // The lines that name a section still missing, with the spec they name.
    // A section named by an earlier line is not missing for the lines after it (so that
    // `事故应急处置程序：` after the line `现场应急处置程序` is the procedure, not the clause again).
    let mut missing: Vec<bool> = first.found.iter().map(Option::is_none).collect();
    // The line that took each section, while it has no text of its own: a later line with the
    // same title takes the section from it (a table of contents lists the titles before them).
    let mut empty_taker: Vec<Option<usize>> = vec![None; specs.len()];
    let mut dropped: Vec<usize> = Vec::new();
    let named: Vec<Option<usize>> = lines
        .iter()
        .enumerate()
        .map(|(j, l)| {
            if let Some(si) = (0..specs.len())
                .find(|&si| empty_taker[si].is_some_and(|k| lines[k].norm() == l.norm()))
            {
                dropped.extend(empty_taker[si]);
                empty_taker[si] = (!l.rest && !l.content_after).then_some(j);
                return Some(si);
            }
            let bare = l.form != super::LineForm::Bold && heading::numbering(&l.title).is_none();
            // The missing section it names best.
            let m: Vec<Option<Pass>> = memo
                .row(specs, l.norm())
                .iter()
                .zip(&missing)
                .map(|(&p, &miss)| if miss { p } else { None })
                .collect();
            let si = best_of(&m, m.len())
                .filter(|(p, _)| !bare || *p <= Pass::Variant)
                .map(|(_, si)| si);
            if let Some(si) = si {
                missing[si] = false;
                empty_taker[si] = (!l.rest && !l.content_after).then_some(j);
            }
            si
        })
        .collect();
    let mut named = named;
    for k in dropped {
        named[k] = None;
    }
    if named.iter().all(Option::is_none) {
        return first;
    }
    let levels = line_levels(doc, specs, &first, &named);
    // Merge headings and the lines taken, in order; an untaken line is text of the entry
    // before it.
    let mut es: Vec<Entry> = Vec::with_capacity(hs.len() + levels.len());
    let mut li = 0;
    for hi in 0..=hs.len() {
        let seg_start = li;
        while li < lines.len() && lines[li].headings_before <= hi {
            li += 1;
        }
        let seg = seg_start..li;
        // Text the previous entry (this heading, or the last line taken) has of its own.
        let mut own = match (hi.checked_sub(1), seg.is_empty()) {
            (Some(h), true) => hs[h].has_content,
            (_, false) => lines[seg.start].content_before,
            (None, true) => false,
        };
        let mut open = hi
            .checked_sub(1)
            .map(|h| (Src::Heading(h), hs[h].level, hs[h].norm()));
        for j in seg {
            let l = &lines[j];
            match (named[j], levels.get(&j)) {
                (Some(_), Some(&level)) => {
                    if let Some((src, lv, norm)) = open {
                        es.push(Entry {
                            src,
                            level: lv,
                            norm,
                            own,
                            bare: false,
                        });
                    }
                    open = Some((Src::Line(j), level, l.norm()));
                    own = l.rest || l.content_after;
                }
                _ => own = true,
            }
        }
        if let Some((src, level, norm)) = open {
            es.push(Entry {
                src,
                level,
                norm,
                own,
                bare: false,
            });
        }
    }
    search(&es, specs, memo)
}

/// The level of each line taken as a heading (by line index).
///
/// A numbered line takes the level of the real headings numbered in the same style (`3.2`
/// beside `### 3.1`), or, for Arabic numbers, the level their depth gives relative to a real
/// Arabic heading (`3.2.1` is one below `### 3.2`). Otherwise a line that names a top-level
/// section takes the level of the top-level sections the headings have, and a line that names a
/// sub-section goes one below the heading or top-level line before it. With no headings at all,
/// the styles nest in the order they open (`一、` at 1, then `1.` under it at 2, until the next
/// `一、`-style line), the first style at its usual depth (`一、` and `1` at 1, `（一）` and `1.1`
/// at 2).
fn line_levels(
    doc: &super::Document,
    specs: &[Compiled],
    first: &Analysis,
    named: &[Option<usize>],
) -> std::collections::HashMap<usize, u8> {
    let hs = &doc.headings;
    let mut style: std::collections::HashMap<heading::Numbering, u8> = Default::default();
    for h in hs.iter() {
        if let Some(n) = heading::numbering(&h.title) {
            style.entry(n).or_insert(h.level);
        }
    }
    let arabic = style.iter().find_map(|(n, l)| match n {
        heading::Numbering::Arabic(d) => Some((*d, *l)),
        _ => None,
    });
    let min = hs.iter().map(|h| h.level).min();
    let top = specs
        .iter()
        .zip(&first.found)
        .filter(|(c, _)| c.spec.within.is_none())
        .filter_map(|(_, f)| f.map(|f| f.level))
        .min()
        .or_else(|| {
            // A lone first heading of the lowest level is the document's title.
            let m = min?;
            let title = hs.first().is_some_and(|h| h.level == m)
                && hs.iter().filter(|h| h.level == m).count() == 1;
            Some(if title { m.saturating_add(1) } else { m })
        })
        .unwrap_or(1);
    let mut out = std::collections::HashMap::new();
    // The level of the last heading or top-level line, for sub-section lines after it.
    let mut last: Option<u8> = None;
    // With no headings at all, the numbering styles in the order they open, as a reader
    // nests them: `一、` then `1.` under it is one deeper, and `四、` closes it again.
    let mut styles: Vec<heading::Numbering> = Vec::new();
    let mut hi = 0;
    for (j, l) in doc.lines.iter().enumerate() {
        while hi < l.headings_before.min(hs.len()) {
            last = Some(hs[hi].level);
            hi += 1;
        }
        let Some(si) = named[j] else { continue };
        let sub = specs[si].spec.within.is_some();
        let numbered = heading::numbering(&l.title);
        let by_style = numbered.and_then(|n| {
            style.get(&n).copied().or_else(|| match (n, arabic) {
                (heading::Numbering::Arabic(d), Some((d0, l0))) => {
                    Some((i16::from(l0) + i16::from(d) - i16::from(d0)).clamp(1, 9) as u8)
                }
                _ => None,
            })
        });
        let level = match (by_style, numbered) {
            (Some(level), _) => level,
            (None, Some(n)) if hs.is_empty() => match styles.iter().position(|x| *x == n) {
                Some(p) => {
                    styles.truncate(p + 1);
                    (p + 1).min(9) as u8
                }
                None => {
                    styles.push(n);
                    // a first style that usually sits deeper keeps its usual depth
                    (styles.len() as u8).max(if styles.len() == 1 {
                        n.usual_depth()
                    } else {
                        1
                    })
                }
            },
            _ if sub => last.unwrap_or(top).saturating_add(1),
            _ => top,
        };
        if !sub {
            last = Some(level);
        }
        out.insert(j, level);
    }
    out
}

/// The built-in profiles as Markdown: docs/sections.md is exactly this text.
pub fn reference_markdown() -> String {
    let mut s = String::from(
        "# 必备章节 · Section profiles\n\nGenerated from `src/model/sections.toml` by `yuan explain --sections`; do not edit by hand.\n\n\
Rules S501 (missing), S502 (order), S503 (empty) and S504 (written as plain text) check these.\n\
\n\
## How headings match\n\
\n\
A title is compared after numbering (`第一章`, `一、`, `（一）`, `1.1`, `1总则`, `①`), spaces (ASCII and\n\
full-width), bold markers and a trailing colon are removed: `**三、应急响应**` is `应急响应`. Four\n\
passes are tried in this order, each over the whole range the section may be in, and the first\n\
pass that finds a heading decides:\n\
\n\
1. **Exact**: the profile's title or one of its synonyms (`应急处置`; `应急组织与职责` for\n\
   `应急工作职责`). Exact comes first, so `1.2 应急响应分级` inside 总则 never stands in for the\n\
   chapter `应急响应`.\n\
2. **Variant**: a longer or shorter title published plans use, from the table at the end of this\n\
   page (`src/model/section_variants.toml`, each entry with its source): `现场应急处置程序`,\n\
   `应急处置措施`, `处置程序` for 应急处置 in an on-site plan.\n\
3. **Prefix or suffix**: the heading starts with an accepted title of 2+ characters\n\
   (`适用范围及与综合预案的关系` is 适用范围) or ends with one of 4+ characters (`火灾事故风险描述`\n\
   is 事故风险描述 by `风险描述`).\n\
4. **Containment**: the heading contains an accepted title of 4+ characters and is at most 8\n\
   characters longer (`事故应急处置程序及措施` is 应急处置).\n\
\n\
By prefix, suffix or containment a heading counts only for the section it names best (the\n\
lowest pass, then the first section of the profile): `应急响应分级`, exactly 响应分级, never counts\n\
for 应急响应 by its prefix. A sub-section is looked for inside its parent's section; when the\n\
parent was found by a variant (`## 3 现场应急处置程序` for 应急处置), its parts may follow it as\n\
siblings (`## 4 现场应急处置措施`, `## 5 报警负责人及报警电话`) up to the next heading that names\n\
another top-level section exactly or by a variant, and the variant heading itself counts for a\n\
part that has no title of its own (应急处置程序).\n\
\n\
**Depth.** A top-level section is not looked for inside another required top-level section: an\n\
on-site plan whose only `应急处置措施` is a sub-section of `应急工作职责` lacks 应急处置, and S501\n\
says where the title was found.\n\
\n\
## Headings a Word export flattened\n\
\n\
When a section is still missing after the headings, yuan reads the body's short lines, only the\n\
top-level paragraphs (not in lists or quotes):\n\
\n\
- a **plain line**: a paragraph of one line, at most 30 characters (spaces not counted), not\n\
  ending in sentence punctuation (`。；！？，、…`) and without dot leaders (`……`):\n\
  `现场应急处置程序`, `3 应急处置`;\n\
- a **bold line**: the same, all of it bold: `**1　总则**`, `**三、应急响应**`;\n\
- a **label**: at most 20 characters without sentence punctuation, then `：` or `:`, at the very\n\
  start of a paragraph: `事故应急处置程序：立即……`, `应急处置：`. Its content is the rest of the\n\
  paragraph and what follows up to the next heading or taken line.\n\
\n\
A line is taken only when it names a section that is missing, and that no earlier line has taken\n\
(so `事故应急处置程序：` after the line `现场应急处置程序` is the procedure): exactly or by a\n\
variant, or, when it is numbered or bold, also by prefix, suffix or containment. A line with no\n\
text of its own gives its section up to a later line of the same title, so a table of contents\n\
(`目录` followed by the titles) does not stand for the sections it lists. A short sentence such as\n\
`立即停止作业并进行应急处置` is text, never a section, and a plan that really lacks the section\n\
still fails S501. A taken line counts for S501, S502 (its place) and S503 (its content), and S504\n\
notes it with the heading line to write.\n\
\n\
A taken line gets a level so that sub-sections and the end of a section work: the level of the\n\
real headings numbered in the same style (`3.2 应急处置` beside `### 3.1 …` is level 3); for\n\
Arabic numbers, the level their depth gives beside a real Arabic heading (`3.2.1` one below\n\
`### 3.2`); otherwise the level of the document's top-level sections for a top-level section, one\n\
below the heading before it for a sub-section. In a body with no headings at all, the numbering\n\
styles nest in the order they open, as a reader nests them: under `三、应急处置`, `1.应急处置程序：`\n\
is one level deeper, and the next `四、` line closes it again; the first style takes its usual\n\
depth (`第一章`, `一、`, `1` at 1; `第一节`, `（一）`, `1.1` at 2; `①` at 3).\n\
\n\
## Your own profiles\n\
\n\
A repository replaces a whole profile in `yuan.toml` (the variants of the table apply to its\n\
sections with the same key):\n\n```toml\n[[sections.onsite]]\nkey = \"risk\"\ntitle = \"事故风险描述\"\nsource = \"GB/T 29639-2020 §8.1\"\n\n[[sections.onsite]]\nkey = \"duties\"\ntitle = \"应急工作职责\"\nseverity = \"warning\"\n```\n\n\
`either_order = true` lets a section also come before the one listed just above it (S502), as\n\
published plans write 应急保障 before or after 后期处置. An empty list (`onsite = []` under\n\
`[sections]`) requires nothing.\n",
    );
    let kinds = [
        ("overall", "总体应急预案 (government)"),
        ("special", "专项应急预案 (government)"),
        ("department", "部门应急预案"),
        ("grassroots", "基层组织和单位应急预案"),
        ("joint", "联合应急预案"),
        ("comprehensive", "综合应急预案 (enterprise)"),
        ("enterprise_special", "专项应急预案 (enterprise)"),
        ("onsite", "现场处置方案"),
    ];
    for (name, title) in kinds {
        s.push_str(&format!("\n## `{name}`: {title}\n\n| # | Section | Inside | Also accepted | Severity | Source |\n|---|---|---|---|---|---|\n"));
        let specs = builtin().get(name).map(Vec::as_slice).unwrap_or(&[]);
        for (i, sp) in specs.iter().enumerate() {
            let inside = sp
                .within
                .as_ref()
                .and_then(|w| specs.iter().find(|x| &x.key == w))
                .map(|x| x.title.as_str())
                .unwrap_or("");
            let sev = match sp.severity {
                SectionSeverity::Error => "error",
                SectionSeverity::Warning => "warning",
            };
            // a section that may come before the one above it says so
            let above = specs[..i].iter().rev().find(|x| x.within == sp.within);
            let title = match above {
                Some(prev) if sp.either_order => {
                    format!("{} (before or after {})", sp.title, prev.title)
                }
                _ => sp.title.clone(),
            };
            s.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                i + 1,
                title,
                inside,
                sp.synonyms.join(" / "),
                sev,
                sp.source.as_deref().unwrap_or("")
            ));
        }
    }
    s.push_str(
        "\n## Variants · 变体\n\nFrom `src/model/section_variants.toml`: titles published plans and \
templates give a section, tried after the exact titles.\n\n| Profile | Section | Variants | Source |\n|---|---|---|---|\n",
    );
    for v in &VARIANTS.variant {
        let section = builtin()
            .get(&v.profile)
            .and_then(|p| p.iter().find(|x| x.key == v.key))
            .map_or(v.key.as_str(), |x| x.title.as_str());
        s.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            v.profile,
            section,
            v.titles.join(" / "),
            v.source
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_profiles_are_complete_and_consistent() {
        let b = builtin();
        for name in [
            "overall",
            "special",
            "department",
            "grassroots",
            "joint",
            "comprehensive",
            "enterprise_special",
            "onsite",
        ] {
            let p = b.get(name).unwrap_or_else(|| panic!("profile {name}"));
            for s in p {
                if let Some(w) = &s.within {
                    assert!(p.iter().any(|o| &o.key == w), "{name}.{} within {w}", s.key);
                }
            }
        }
    }

    /// A document of `kind` with `body`, built as a run builds it.
    fn doc(kind: &str, body: &str) -> super::super::Document {
        let text = format!("---\nid: x\nkind: {kind}\ntitle: 测试\nenterprise: e\n---\n\n{body}");
        let opts = crate::parse::ParseOptions {
            max_file_bytes: 1 << 20,
            placeholders: None,
            marked: &[],
            direct: None,
        };
        let parsed = crate::parse::parse_document("x.md", &text, &opts);
        super::super::build::document("x.md", std::path::Path::new("x.md"), &text, parsed)
            .0
            .expect("a document")
    }

    /// One memo over documents of two profiles finds what a fresh analysis finds, both times.
    #[test]
    fn the_memo_of_rows_changes_nothing() {
        let profiles = Profiles::new(&Overrides::new());
        let (onsite, comp) = (
            &profiles.by_name["onsite"],
            &profiles.by_name["comprehensive"],
        );
        let docs = [
            (
                doc(
                    "onsite",
                    "## 1 事故风险描述\n\n火灾。\n\n现场应急处置程序\n\n断电。\n",
                ),
                onsite,
            ),
            (
                doc(
                    "comprehensive",
                    "# 1 总则\n\n## 1.1 适用范围\n\n全厂。\n\n# 2 应急组织机构及职责\n\n指挥部。\n",
                ),
                comp,
            ),
            (
                doc(
                    "onsite",
                    "## 1 事故风险描述\n\n火灾。\n\n## 2 应急工作职责\n\n领班。\n",
                ),
                onsite,
            ),
        ];
        let mut memo = Memo::default();
        for _ in 0..2 {
            for (d, specs) in &docs {
                let fresh = analyse(d, specs);
                let kept = analyse_with(d, specs, &mut memo);
                assert_eq!(format!("{fresh:?}"), format!("{kept:?}"));
            }
        }
        assert!(memo.kept > 0);
    }

    fn profile_of(name: &str) -> Vec<Compiled> {
        Profiles::new(&Overrides::new()).by_name[name].clone()
    }

    /// The key of each spec found, with the title it was found at and its level.
    fn found(kind: &str, body: &str) -> Vec<(String, String, u8)> {
        let profile = if kind == "onsite" { "onsite" } else { kind };
        let specs = profile_of(profile);
        let d = doc(kind, body);
        let a = analyse(&d, &specs);
        specs
            .iter()
            .zip(&a.found)
            .filter_map(|(c, f)| {
                f.map(|f| (c.spec.key.clone(), norm(&d, f.src).to_string(), f.level))
            })
            .collect()
    }

    fn keys(v: &[(String, String, u8)]) -> Vec<&str> {
        v.iter().map(|x| x.0.as_str()).collect()
    }

    #[test]
    fn passes_are_tried_exact_first_and_a_heading_counts_for_what_it_names_best() {
        let onsite = profile_of("onsite");
        let handling = onsite
            .iter()
            .find(|c| c.spec.key == "handling")
            .expect("handling");
        let risk = onsite.iter().find(|c| c.spec.key == "risk").expect("risk");
        assert_eq!(handling.pass("应急处置"), Some(Pass::Exact));
        assert_eq!(handling.pass("现场应急处置程序"), Some(Pass::Variant));
        assert_eq!(handling.pass("应急处置与救援行动"), Some(Pass::Affix));
        assert_eq!(risk.pass("火灾事故风险描述"), Some(Pass::Affix));
        assert_eq!(handling.pass("厨房火灾应急处置要点"), Some(Pass::Contain));
        // containment needs 4+ characters and at most 8 more around them
        assert_eq!(
            handling.pass("发生火灾事故时全体员工应当立即进行应急处置工作"),
            None
        );
        assert_eq!(handling.pass("后期处置"), None);
        // `1.2 应急响应分级` inside 总则 never stands in for the chapter 应急响应
        let got = found(
            "comprehensive",
            "# 1 总则\n\n## 1.1 适用范围\n\n全厂。\n\n## 1.2 应急响应分级\n\n三级。\n\n# 2 应急组织机构及职责\n\n指挥部。\n",
        );
        assert_eq!(
            keys(&got),
            ["general", "scope", "response_grading", "organization"]
        );
    }

    #[test]
    fn a_top_level_section_nested_in_another_is_missing_and_said_where() {
        let specs = profile_of("onsite");
        let d = doc(
            "onsite",
            "## 1 事故风险描述\n\n火灾。\n\n## 2 应急工作职责\n\n领班。\n\n### 2.1 应急处置措施\n\n停机。\n\n## 3 注意事项\n\n断电。\n",
        );
        let a = analyse(&d, &specs);
        let hi = specs
            .iter()
            .position(|c| c.spec.key == "handling")
            .expect("handling");
        let di = specs
            .iter()
            .position(|c| c.spec.key == "duties")
            .expect("duties");
        assert!(a.found[hi].is_none());
        assert_eq!(a.nested[hi], Some((Src::Heading(2), di)));
        // The same title as a section of its own is found.
        let d = doc(
            "onsite",
            "## 1 事故风险描述\n\n火灾。\n\n## 2 应急工作职责\n\n领班。\n\n## 3 应急处置措施\n\n停机。\n\n## 4 注意事项\n\n断电。\n",
        );
        let a = analyse(&d, &specs);
        assert!(a.found[hi].is_some() && a.nested[hi].is_none());
    }

    #[test]
    fn lines_get_levels_from_numbering_and_the_headings_around_them() {
        // No headings: the usual depth of each style.
        let got = found(
            "comprehensive",
            "第一章　总则\n\n1.1 适用范围\n\n全厂。\n\n1.2 响应分级\n\n三级。\n\n第二章 应急组织机构及职责\n\n指挥部。\n",
        );
        assert_eq!(got[0], ("general".into(), "总则".into(), 1));
        assert_eq!(got[1], ("scope".into(), "适用范围".into(), 2));
        assert_eq!(
            got[3],
            ("organization".into(), "应急组织机构及职责".into(), 1)
        );
        // No headings, `一、` then `1.`: the styles nest in the order they open, and `四、`
        // closes `1.` again (a reader's nesting, whatever `1.` usually means on its own).
        let got = found(
            "onsite",
            "一、事故风险描述\n\n火灾。\n\n二、应急工作职责\n\n领班。\n\n三、应急处置\n\n1.应急处置程序：报警。\n\n2.现场应急处置措施：关阀。\n\n3.报警电话及联系方式：119。\n\n四、注意事项\n\n断电。\n",
        );
        let level = |k: &str| got.iter().find(|x| x.0 == k).map(|x| x.2);
        assert_eq!(level("handling"), Some(1));
        assert_eq!(level("procedure"), Some(2));
        assert_eq!(level("measures"), Some(2));
        assert_eq!(level("alarm"), Some(2));
        assert_eq!(level("precautions"), Some(1));
        // The style of the real headings: `三、` beside `## 一、` is level 2, its labels 3.
        let got = found(
            "onsite",
            "## 一、事故风险描述\n\n火灾。\n\n## 二、应急工作职责\n\n领班。\n\n三、应急处置\n\n（一）应急处置程序：报警。\n\n## 四、注意事项\n\n断电。\n",
        );
        let level = |k: &str| got.iter().find(|x| x.0 == k).map(|x| x.2);
        assert_eq!(level("handling"), Some(2));
        assert_eq!(level("procedure"), Some(3));
        assert_eq!(level("precautions"), Some(2));
        // Arabic depth relative to a real Arabic heading: `3.1` one below `## 3`.
        let got = found(
            "onsite",
            "## 1 事故风险描述\n\n火灾。\n\n## 2 应急工作职责\n\n领班。\n\n## 3 应急处置\n\n3.1 应急处置程序\n\n报警。\n\n## 4 注意事项\n\n断电。\n",
        );
        assert_eq!(
            got.iter().find(|x| x.0 == "procedure").map(|x| x.2),
            Some(3)
        );
    }

    #[test]
    fn only_lines_that_name_a_missing_section_are_taken() {
        // A bare short line that merely mentions 应急处置 is text; a numbered one is a title.
        let bare = found(
            "onsite",
            "## 1 事故风险描述\n\n火灾。\n\n## 2 应急工作职责\n\n领班。\n\n立即停止作业并进行应急处置\n\n## 4 注意事项\n\n断电。\n",
        );
        assert!(!keys(&bare).contains(&"handling"), "{bare:?}");
        let numbered = found(
            "onsite",
            "## 1 事故风险描述\n\n火灾。\n\n## 2 应急工作职责\n\n领班。\n\n3 厨房火灾应急处置要点\n\n关阀。\n\n## 4 注意事项\n\n断电。\n",
        );
        assert!(keys(&numbered).contains(&"handling"), "{numbered:?}");
        // A section the headings have: lines are not read at all.
        let d = doc(
            "onsite",
            "## 1 事故风险描述\n\n火灾。\n\n注意事项：示例\n\n## 2 应急工作职责\n\n领班。\n\n## 3 应急处置\n\n关阀。\n\n## 4 注意事项\n\n断电。\n",
        );
        let a = analyse(&d, &profile_of("onsite"));
        assert!(a
            .found
            .iter()
            .flatten()
            .all(|f| matches!(f.src, Src::Heading(_))));
    }

    #[test]
    fn the_national_plan_of_2025_is_complete_and_nothing_is_nested() {
        // 国家突发事件总体应急预案 (2025): monitoring and response are parts of 运行机制.
        let body = "# 1 总则\n\n## 1.1 总体要求\n\n甲。\n\n## 1.2 适用范围\n\n乙。\n\n# 2 组织指挥体系\n\n丙。\n\n# 3 运行机制\n\n## 3.1 风险防控\n\n丁。\n\n## 3.2 监测预警\n\n戊。\n\n## 3.3 应急处置与救援\n\n己。\n\n## 3.4 恢复与重建\n\n庚。\n\n# 4 应急保障\n\n辛。\n\n# 5 预案管理\n\n壬。\n";
        let specs = profile_of("overall");
        let a = analyse(&doc("overall", body), &specs);
        assert!(a.found.iter().all(Option::is_some), "{:?}", a.found);
        assert!(a.nested.iter().all(Option::is_none));
    }

    #[test]
    fn a_table_of_contents_gives_way_to_the_titles_it_lists() {
        let body = "目录\n\n1 事故风险描述\n\n2 应急工作职责\n\n3 应急处置\n\n4 注意事项\n\n1 事故风险描述\n\n火灾。\n\n2 应急工作职责\n\n领班。\n\n3 应急处置\n\n关阀。\n\n4 注意事项\n\n断电。\n";
        let specs = profile_of("onsite");
        let d = doc("onsite", body);
        let a = analyse(&d, &specs);
        let at = |k: &str| {
            let i = specs.iter().position(|c| c.spec.key == k).expect("key");
            a.found[i].map(|f| (f.src, f.has_text))
        };
        // the second 事故风险描述 line (line index 5), with its text
        assert_eq!(at("risk"), Some((Src::Line(5), true)));
        assert_eq!(at("precautions"), Some((Src::Line(8), true)));
    }

    #[test]
    fn a_label_section_holds_the_rest_of_its_paragraph() {
        let specs = profile_of("onsite");
        let pi = specs
            .iter()
            .position(|c| c.spec.key == "precautions")
            .expect("precautions");
        let with = doc(
            "onsite",
            "## 1 事故风险描述\n\n火灾。\n\n## 2 应急工作职责\n\n领班。\n\n## 3 应急处置\n\n关阀。\n\n注意事项：断电后作业。\n",
        );
        let empty = doc(
            "onsite",
            "## 1 事故风险描述\n\n火灾。\n\n## 2 应急工作职责\n\n领班。\n\n## 3 应急处置\n\n关阀。\n\n注意事项：\n",
        );
        let f = |d| analyse(d, &specs).found[pi].expect("found");
        assert!(f(&with).has_text);
        assert!(!f(&empty).has_text);
        // and content after the label, up to the next heading, counts too
        let after = doc(
            "onsite",
            "## 1 事故风险描述\n\n火灾。\n\n## 2 应急工作职责\n\n领班。\n\n## 3 应急处置\n\n关阀。\n\n注意事项：\n\n- 断电后作业\n",
        );
        assert!(f(&after).has_text);
    }

    #[test]
    fn synonyms_match() {
        let p = &builtin()["comprehensive"];
        let org = Compiled::with_variants(
            p.iter().find(|s| s.key == "organization").expect("org"),
            &[],
        );
        assert!(org.matches(&heading::normalize("二、应急指挥体系")));
        assert!(!org.matches(&heading::normalize("二、后期处置")));
    }
}
