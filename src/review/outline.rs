//! The heading tree of a document body and the section-level diff of two of them.
//!
//! A section is identified as the model's outline identifies it ([`crate::model::outline`]:
//! the normalised titles of its heading and every heading above it), so renumbering is not a
//! change. Its text is the
//! body text between its heading and the next heading, with whitespace runs collapsed. Two
//! outlines are compared in three passes: same identity (changed or not), then the same title
//! under other headings (moved), then the same text under another title (renamed); what is left
//! is added or removed.

use crate::model::outline;
use serde::Serialize;
use std::collections::HashMap;

/// One section of a body. The text before the first heading is a section with an empty path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Section {
    /// Normalised titles from the top heading down to this one.
    pub(crate) path: Vec<String>,
    /// The titles as written, same length as `path`.
    pub(crate) titles: Vec<String>,
    /// Identity inside the document: the path, plus `#n` for the n-th repeat of a path.
    pub(crate) key: String,
    /// The section's own text (up to the next heading of any level), whitespace collapsed.
    pub(crate) text: String,
}

impl Section {}

/// The sections of a Markdown body, in document order (the model's outline, with each
/// section's text whitespace-collapsed for comparison).
pub(crate) fn outline(body: &str) -> Vec<Section> {
    let o = outline::of_body(body);
    let collapse = |r: std::ops::Range<usize>| {
        body.get(r)
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut out = Vec::with_capacity(o.sections.len() + 1);
    let pre = collapse(o.preamble);
    if !pre.is_empty() {
        out.push(Section {
            path: Vec::new(),
            titles: Vec::new(),
            key: String::new(),
            text: pre,
        });
    }
    out.extend(o.sections.into_iter().map(|s| Section {
        key: s.key("\u{1f}", "#"),
        text: collapse(s.text),
        path: s.path,
        titles: s.titles,
    }));
    out
}

/// What happened to a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum SectionStatus {
    Added,
    Removed,
    /// Same place, other text.
    Changed,
    /// Same title under other headings (its text may also have changed).
    Moved,
    /// Other title, same text, not found elsewhere.
    Renamed,
}

/// One changed section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SectionDiff {
    pub(crate) status: SectionStatus,
    /// The section in the new version (`None` when removed).
    pub(crate) new: Option<Section>,
    /// The section in the old version (`None` when added).
    pub(crate) old: Option<Section>,
    /// The text differs (always true for changed; for moved it may be false).
    pub(crate) text_changed: bool,
}

impl SectionDiff {
    /// The section as the report shows it: the new one, or the old one if removed.
    pub(crate) fn section(&self) -> &Section {
        self.new
            .as_ref()
            .or(self.old.as_ref())
            .expect("a section diff has a side")
    }
}

/// The section changes from `old` to `new`: new-order first, then removals in old order.
pub(crate) fn diff(old: &[Section], new: &[Section]) -> Vec<SectionDiff> {
    let old_by_key: HashMap<&str, usize> = old
        .iter()
        .enumerate()
        .map(|(i, s)| (s.key.as_str(), i))
        .collect();
    let mut old_used = vec![false; old.len()];
    let mut pairs: Vec<Option<usize>> = vec![None; new.len()];
    for (j, s) in new.iter().enumerate() {
        if let Some(&i) = old_by_key.get(s.key.as_str()) {
            pairs[j] = Some(i);
            old_used[i] = true;
        }
    }
    let mut status: Vec<Option<SectionStatus>> = vec![None; new.len()];
    // moved: the same title elsewhere
    for (j, s) in new.iter().enumerate() {
        if pairs[j].is_some() || s.path.is_empty() {
            continue;
        }
        let leaf = s.path.last();
        if let Some(i) = (0..old.len()).find(|&i| !old_used[i] && old[i].path.last() == leaf) {
            pairs[j] = Some(i);
            old_used[i] = true;
            status[j] = Some(SectionStatus::Moved);
        }
    }
    // renamed: the same (non-empty) text under another title
    for (j, s) in new.iter().enumerate() {
        if pairs[j].is_some() || s.text.is_empty() {
            continue;
        }
        if let Some(i) = (0..old.len()).find(|&i| !old_used[i] && old[i].text == s.text) {
            pairs[j] = Some(i);
            old_used[i] = true;
            status[j] = Some(SectionStatus::Renamed);
        }
    }
    let mut out = Vec::new();
    for (j, s) in new.iter().enumerate() {
        match pairs[j] {
            None => out.push(SectionDiff {
                status: SectionStatus::Added,
                new: Some(s.clone()),
                old: None,
                text_changed: true,
            }),
            Some(i) => {
                let text_changed = old[i].text != s.text;
                let st = status[j].unwrap_or(SectionStatus::Changed);
                if st == SectionStatus::Changed && !text_changed {
                    continue;
                }
                out.push(SectionDiff {
                    status: st,
                    new: Some(s.clone()),
                    old: Some(old[i].clone()),
                    text_changed,
                });
            }
        }
    }
    for (i, s) in old.iter().enumerate() {
        if !old_used[i] {
            out.push(SectionDiff {
                status: SectionStatus::Removed,
                new: None,
                old: Some(s.clone()),
                text_changed: true,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Section {
        /// `应急响应 › 响应分级` (the text before the first heading is `(前言 preamble)`).
        fn display(&self) -> String {
            if self.titles.is_empty() {
                "(前言 preamble)".into()
            } else {
                self.titles.join(" › ")
            }
        }
    }

    fn statuses(old: &str, new: &str) -> Vec<(SectionStatus, String)> {
        diff(&outline(old), &outline(new))
            .iter()
            .map(|d| (d.status, d.section().display()))
            .collect()
    }

    #[test]
    fn outline_paths_and_own_text() {
        let o =
            outline("前言。\n\n# 1 总则\n\n## 1.1 适用范围\n\n本预案适用于\n全县。\n\n# 2 组织\n");
        let keys: Vec<_> = o.iter().map(|s| s.path.join("/")).collect();
        assert_eq!(keys, ["", "总则", "总则/适用范围", "组织"]);
        assert_eq!(o[2].text, "本预案适用于 全县。");
        assert_eq!(o[1].text, "");
        assert_eq!(o[2].display(), "1 总则 › 1.1 适用范围");
    }

    #[test]
    fn renumbering_is_not_a_change() {
        assert!(statuses("# 1 总则\n\n文字\n", "# 第一章 总则\n\n文字\n").is_empty());
    }

    #[test]
    fn changed_added_removed_moved_renamed() {
        let old = "# 总则\n\n## 预警\n\n蓝色预警\n\n# 应急响应\n\n一级\n\n# 后期处置\n\n善后\n\n# 附则\n\n本预案自印发之日起施行\n";
        let new = "# 总则\n\n# 应急响应\n\n一级、二级\n\n## 预警\n\n蓝色预警\n\n# 应急保障\n\n物资\n\n# 善后工作\n\n善后\n";
        assert_eq!(
            statuses(old, new),
            [
                (SectionStatus::Changed, "应急响应".to_string()),
                (SectionStatus::Moved, "应急响应 › 预警".to_string()),
                (SectionStatus::Added, "应急保障".to_string()),
                (SectionStatus::Renamed, "善后工作".to_string()),
                (SectionStatus::Removed, "附则".to_string()),
            ]
        );
    }

    #[test]
    fn repeated_titles_are_told_apart() {
        let old = "# 注意事项\n\nA\n\n# 注意事项\n\nB\n";
        let new = "# 注意事项\n\nA\n\n# 注意事项\n\nC\n";
        let d = diff(&outline(old), &outline(new));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].new.as_ref().map(|s| s.text.as_str()), Some("C"));
    }
}
