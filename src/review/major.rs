//! Which changes are *major* (重大修订), as data: `major.toml` (embedded), replaced per
//! repository by `[[review.major]]` in yuan.toml.
//!
//! A changed section is classified by its own heading and every heading above it, through the
//! document's section profile (`model/sections.toml`: titles and synonyms) and the entry's extra
//! `headings`. Exact matches (after numbering is stripped) win; only a heading that matches no
//! entry exactly is matched by prefix, so `应急响应分级` is response grading, not the whole
//! response procedure `应急响应`.

use crate::config::Config;
use crate::model::heading;
use crate::model::meta::Kind;
use crate::model::sections::{Compiled, Profiles};
use serde::Deserialize;
use std::sync::LazyLock;

pub(crate) use crate::config::MajorSpec;

#[derive(Deserialize)]
struct MajorFile {
    major: Vec<MajorSpec>,
}

static BUILTIN: LazyLock<Vec<MajorSpec>> = LazyLock::new(|| {
    toml::from_str::<MajorFile>(include_str!("major.toml"))
        .expect("built-in major.toml is valid")
        .major
});

/// The built-in list.
pub(crate) fn builtin() -> &'static [MajorSpec] {
    &BUILTIN
}

/// The list in force, compiled once per run.
pub(crate) struct Classifier {
    pub(crate) specs: Vec<MajorSpec>,
    headings: Vec<Vec<String>>,
    profiles: Profiles,
}

impl Classifier {
    pub(crate) fn new(config: &Config) -> Classifier {
        let specs = config
            .review
            .major
            .clone()
            .unwrap_or_else(|| builtin().to_vec());
        let headings = specs
            .iter()
            .map(|s| s.headings.iter().map(|h| heading::normalize(h)).collect())
            .collect();
        Classifier {
            specs,
            headings,
            profiles: Profiles::new(&config.sections),
        }
    }

    /// Keys of the entries one normalised heading belongs to, in a document with `profile`.
    fn heading_keys(&self, profile: &[Compiled], norm: &str) -> Vec<String> {
        let pick = |exact: bool| -> Vec<String> {
            self.specs
                .iter()
                .zip(&self.headings)
                .filter(|(s, hs)| {
                    let by_profile = profile.iter().any(|c| {
                        s.sections.contains(&c.spec.key)
                            && if exact {
                                c.matches_exactly(norm)
                            } else {
                                c.matches(norm)
                            }
                    });
                    let by_heading = hs.iter().any(|h| {
                        if exact {
                            h == norm
                        } else {
                            heading::satisfies(norm, h)
                        }
                    });
                    by_profile || by_heading
                })
                .map(|(s, _)| s.key.clone())
                .collect()
        };
        let exact = pick(true);
        if exact.is_empty() {
            pick(false)
        } else {
            exact
        }
    }

    /// Keys of the major content a section is part of (`path`: normalised headings from the top
    /// down to the section). Cards have no major content: they follow their on-site plan.
    pub(crate) fn section(
        &self,
        kind: Option<Kind>,
        enterprise: bool,
        path: &[String],
    ) -> Vec<String> {
        if kind == Some(Kind::Card) {
            return Vec::new();
        }
        let profile = kind.map_or(&[][..], |k| self.profiles.for_kind(k, enterprise));
        let mut keys: Vec<String> = Vec::new();
        for norm in path {
            for k in self.heading_keys(profile, norm) {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
        self.in_order(keys)
    }

    /// Keys of the major content a front-matter field is.
    pub(crate) fn field(&self, kind: Option<Kind>, field: &str) -> Vec<String> {
        if kind == Some(Kind::Card) {
            return Vec::new();
        }
        self.specs
            .iter()
            .filter(|s| s.fields.iter().any(|f| f == field))
            .map(|s| s.key.clone())
            .collect()
    }

    /// `keys` in the order of the list, without duplicates.
    pub(crate) fn in_order(&self, keys: Vec<String>) -> Vec<String> {
        self.specs
            .iter()
            .filter(|s| keys.contains(&s.key))
            .map(|s| s.key.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &[&str]) -> Vec<String> {
        p.iter().map(|h| heading::normalize(h)).collect()
    }

    #[test]
    fn builtin_list_has_the_four_kinds_of_the_regulations() {
        let keys: Vec<&str> = builtin().iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["organization", "procedure", "measures", "grading"]);
    }

    #[test]
    fn sections_are_classified_through_profiles_and_parents() {
        let c = Classifier::new(&Config::default());
        let comp = Some(Kind::Comprehensive);
        assert_eq!(
            c.section(comp, true, &path(&["1 总则", "1.3 响应分级"])),
            ["grading"]
        );
        assert_eq!(
            c.section(comp, true, &path(&["二、应急指挥体系"])),
            ["organization"]
        );
        assert_eq!(
            c.section(comp, true, &path(&["3 应急响应", "3.4 应急处置"])),
            ["procedure", "measures"]
        );
        assert!(c
            .section(comp, true, &path(&["1 总则", "1.1 适用范围"]))
            .is_empty());
        assert!(c.section(comp, true, &path(&["6 应急保障"])).is_empty());
        // exact before prefix: 应急响应分级 is grading, not the response chapter
        assert_eq!(
            c.section(Some(Kind::Overall), false, &path(&["1.4 应急响应分级"])),
            ["grading"]
        );
        let onsite = Some(Kind::Onsite);
        assert_eq!(
            c.section(onsite, true, &path(&["2 应急工作职责"])),
            ["organization"]
        );
        assert!(c.section(onsite, true, &path(&["4 注意事项"])).is_empty());
        assert!(c
            .section(Some(Kind::Card), true, &path(&["应急响应"]))
            .is_empty());
        assert_eq!(c.field(comp, "response_levels"), ["grading"]);
        assert!(c.field(comp, "title").is_empty());
    }

    #[test]
    fn a_repository_replaces_the_list() {
        let cfg = crate::config::parse(
            "[[review.major]]\nkey = \"risk\"\ntitle = \"风险\"\ntitle_en = \"risk\"\nheadings = [\"风险评估\"]\n",
        )
        .expect("config");
        let c = Classifier::new(&cfg);
        assert_eq!(
            c.section(Some(Kind::Comprehensive), true, &path(&["风险评估"])),
            ["risk"]
        );
        assert!(c
            .section(Some(Kind::Comprehensive), true, &path(&["响应分级"]))
            .is_empty());
    }
}
