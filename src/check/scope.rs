//! Which documents a check reports on: everything, or (with `--changed-since REV`) the files
//! changed since REV and the documents that depend on them.
//!
//! The whole repository is still loaded and checked, because a changed plan can break a
//! reference in a file that did not change; only the report is narrowed. A document depends on
//! a changed one when it names it as `parent`, in `links.upper`/`links.related`, in `aligned`
//! (A304), or in a body link (`plan:`, `doc:` or `card:` with its id, %-escaped or not, or a
//! relative link to its file: the link classification of [`crate::model::links`]). A changed registry or
//! `yuan.toml` can affect any document, so then everything is reported. A changed
//! `_defaults.yaml` changes every document in its folder and below; a reported document that
//! inherits values reports the findings about them at the defaults file's lines, so that file
//! is reported too.

use crate::model::links::{classify, LinkTarget};
use crate::model::refs::Target;
use crate::model::{Corpus, Document};
use crate::source::DEFAULTS_FILE;
use rayon::prelude::*;
use std::collections::BTreeSet;

/// Paths (relative to the root) whose diagnostics to report. `None`: all of them.
pub(crate) fn affected(
    corpus: &Corpus,
    changed: &BTreeSet<String>,
    registry_dir: &str,
) -> Option<BTreeSet<String>> {
    let registry_dir = registry_dir.trim_matches('/');
    let is_defaults = |p: &str| p.rsplit('/').next() == Some(DEFAULTS_FILE);
    let global = changed.iter().any(|p| {
        p == "yuan.toml"
            || ((p.ends_with(".yaml") || p.ends_with(".yml"))
                && !is_defaults(p)
                && (registry_dir.is_empty() || p.starts_with(&format!("{registry_dir}/"))))
    });
    if global {
        return None;
    }
    // the folders of changed defaults files (`""`: the root)
    let folders: Vec<&str> = changed
        .iter()
        .filter(|p| is_defaults(p))
        .map(|p| p.rsplit_once('/').map_or("", |(d, _)| d))
        .collect();
    let below = |path: &str| {
        folders.iter().any(|f| {
            f.is_empty()
                || path
                    .strip_prefix(f)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    };
    let mut changed = changed.clone();
    if !folders.is_empty() {
        changed.extend(
            corpus
                .docs
                .iter()
                .filter(|d| below(&d.path))
                .map(|d| d.path.clone()),
        );
    }
    let changed = &changed;
    let mut paths: BTreeSet<String> = changed.clone();
    // ids of changed documents, and the file stems of deleted ones (ids follow file names, I103)
    let mut ids: BTreeSet<String> = corpus
        .docs
        .iter()
        .filter(|d| changed.contains(&d.path))
        .filter_map(|d| d.id.clone())
        .collect();
    let stems: BTreeSet<String> = changed
        .iter()
        .filter(|p| p.ends_with(".md"))
        .filter_map(|p| {
            std::path::Path::new(p)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
        })
        .collect();
    ids.extend(stems.iter().cloned());
    // on all cores: a check of 100,000 documents looks at every one of them here
    let depends = |d: &Document| {
        let plan = d.plan();
        let mut named = d
            .parent()
            .into_iter()
            .chain(plan.into_iter().flat_map(|p| {
                p.links
                    .upper
                    .iter()
                    .chain(&p.links.related)
                    .map(String::as_str)
            }))
            .chain(crate::align::records(d).iter().map(|a| a.with.as_str()));
        let by_meta = named.any(|n| ids.contains(n));
        by_meta || d.links.iter().any(|l| names_changed(&l.dest, &ids, &stems))
    };
    let dependents: Vec<&String> = corpus
        .docs
        .par_iter()
        .filter(|d| !paths.contains(&d.path) && depends(d))
        .map(|d| &d.path)
        .collect();
    paths.extend(dependents.into_iter().cloned());
    // where the findings about inherited values of the reported documents are
    let inherited_from: Vec<String> = corpus
        .docs
        .iter()
        .filter(|d| !d.inherited.is_empty() && paths.contains(&d.path))
        .flat_map(|d| d.inherited.iter().map(|i| i.from.clone()))
        .collect();
    paths.extend(inherited_from);
    Some(paths)
}

/// Whether a body link names a changed document: by its id (`ids`), or as a Markdown file
/// whose stem is that of a changed or deleted file (`stems`).
fn names_changed(dest: &str, ids: &BTreeSet<String>, stems: &BTreeSet<String>) -> bool {
    match classify(dest) {
        LinkTarget::Typed {
            target: Target::Document,
            id,
            ..
        } => ids.contains(id.as_ref()),
        LinkTarget::File { path, .. } => {
            path.ends_with(".md")
                && std::path::Path::new(path.as_ref())
                    .file_stem()
                    .is_some_and(|s| stems.contains(&*s.to_string_lossy()))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, body: &str) -> String {
        format!("---\nid: {id}\nkind: overall\ntitle: {id}\n---\n\n# 总则\n\n{body}\n")
    }

    /// Every kind of link to a document counts, as the reference rules read it: `doc:` and
    /// `card:` as well as `plan:`, and an id written with %-escapes (`%78` is `x`).
    #[test]
    fn a_document_linking_a_changed_one_in_any_form_is_reported() {
        let dir = tempfile::tempdir().expect("tempdir");
        let files = [
            ("x.md", doc("x", "")),
            ("y.md", doc("y", "")),
            ("by-doc.md", doc("by-doc", "[x](doc:x)")),
            ("by-card.md", doc("by-card", "[y](card:y#总则)")),
            ("escaped.md", doc("escaped", "[x](plan:%78)")),
            ("by-file.md", doc("by-file", "[x](./x.md#总则)")),
            (
                "unrelated.md",
                doc("unrelated", "[z](doc:z) [w](https://x.org/x.md)"),
            ),
        ];
        for (name, text) in &files {
            std::fs::write(dir.path().join(name), text).expect("write");
        }
        let corpus = crate::load::load(dir.path()).expect("load").corpus;
        let changed: BTreeSet<String> = ["x.md", "y.md"].map(String::from).into();
        let got = affected(&corpus, &changed, "registry").expect("not global");
        let want: BTreeSet<String> = [
            "x.md",
            "y.md",
            "by-doc.md",
            "by-card.md",
            "escaped.md",
            "by-file.md",
        ]
        .map(String::from)
        .into();
        assert_eq!(got, want);
    }
}
