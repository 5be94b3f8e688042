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

/// A spec with its accepted titles normalized once per run (not once per heading).
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub(crate) spec: SectionSpec,
    accepted: Vec<String>,
}

impl Compiled {
    pub(crate) fn new(spec: &SectionSpec) -> Self {
        let accepted = std::iter::once(&spec.title)
            .chain(&spec.synonyms)
            .map(|t| heading::normalize(t))
            .collect();
        Compiled {
            spec: spec.clone(),
            accepted,
        }
    }
    /// The heading is exactly one of the accepted titles.
    pub(crate) fn matches_exactly(&self, normalized_heading: &str) -> bool {
        self.accepted.iter().any(|t| t == normalized_heading)
    }
    /// The heading is or starts with one of the accepted titles.
    pub(crate) fn matches(&self, normalized_heading: &str) -> bool {
        self.accepted
            .iter()
            .any(|t| heading::satisfies(normalized_heading, t))
    }
}

/// Every profile in force, compiled once per run.
#[derive(Debug, Default)]
pub(crate) struct Profiles {
    by_name: BTreeMap<String, Vec<Compiled>>,
}

/// The profiles a repository sets in `yuan.toml` (`[sections]`), each replacing the built-in
/// profile of its name.
pub(crate) type Overrides = BTreeMap<String, Vec<SectionSpec>>;

impl Profiles {
    pub(crate) fn new(overrides: &Overrides) -> Profiles {
        let mut by_name = BTreeMap::new();
        for name in BUILTIN.keys().chain(overrides.keys()) {
            let specs = profile(overrides, name).iter().map(Compiled::new).collect();
            by_name.insert(name.clone(), specs);
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

/// Where each required section of a profile was found in a document.
pub(crate) struct Analysis {
    /// Heading index matched by each spec (same order as the specs analysed).
    pub(crate) found: Vec<Option<usize>>,
}

/// End (exclusive heading index) of the section that heading `i` opens.
pub(crate) fn section_end(headings: &[super::Heading], i: usize) -> usize {
    let level = headings[i].level;
    headings[i + 1..]
        .iter()
        .position(|h| h.level <= level)
        .map_or(headings.len(), |p| i + 1 + p)
}

/// Whether the section that heading `i` opens has any text (in itself or its sub-sections).
pub(crate) fn has_text(headings: &[super::Heading], i: usize) -> bool {
    headings[i..section_end(headings, i)]
        .iter()
        .any(|h| h.has_content)
}

/// Finds each spec's heading inside its `within` section (if any): the first exact match, else
/// the first heading that starts with an accepted title. Exact first, so that `1.2 应急响应分级`
/// under 总则 does not stand in for the chapter `应急响应`.
pub(crate) fn analyse(doc: &super::Document, specs: &[Compiled]) -> Analysis {
    let hs = &doc.headings;
    let mut found: Vec<Option<usize>> = Vec::with_capacity(specs.len());
    for c in specs {
        let range = match &c.spec.within {
            None => Some(0..hs.len()),
            Some(parent) => specs
                .iter()
                .position(|p| &p.spec.key == parent)
                .and_then(|pi| found.get(pi).copied().flatten())
                .map(|h| h + 1..section_end(hs, h)),
        };
        found.push(range.and_then(|r| {
            r.clone()
                .find(|&i| c.matches_exactly(&hs[i].norm))
                .or_else(|| r.into_iter().find(|&i| c.matches(&hs[i].norm)))
        }));
    }
    Analysis { found }
}

/// The built-in profiles as Markdown: docs/sections.md is exactly this text.
pub fn reference_markdown() -> String {
    let mut s = String::from(
        "# 必备章节 · Section profiles\n\nGenerated from `src/model/sections.toml` by `yuan explain --sections`; do not edit by hand.\n\n\
Rules S501 (missing), S502 (order) and S503 (empty) check these. Headings match after numbering\n\
(`第一章`, `一、`, `（一）`, `1.1`, `1总则`), full-width spaces and bold are removed; a heading also\n\
matches when it starts with an accepted title (`适用范围及与综合预案的关系`). A repository replaces a\n\
whole profile in `yuan.toml`:\n\n```toml\n[[sections.onsite]]\nkey = \"risk\"\ntitle = \"事故风险描述\"\nsource = \"GB/T 29639-2020 §8.1\"\n\n[[sections.onsite]]\nkey = \"duties\"\ntitle = \"应急工作职责\"\nseverity = \"warning\"\n```\n\n\
An empty list (`onsite = []` under `[sections]`) requires nothing.\n",
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
            s.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                i + 1,
                sp.title,
                inside,
                sp.synonyms.join(" / "),
                sev,
                sp.source.as_deref().unwrap_or("")
            ));
        }
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

    #[test]
    fn synonyms_match() {
        let p = &builtin()["comprehensive"];
        let org = Compiled::new(p.iter().find(|s| s.key == "organization").expect("org"));
        assert!(org.matches(&heading::normalize("二、应急指挥体系")));
        assert!(!org.matches(&heading::normalize("二、后期处置")));
    }
}
