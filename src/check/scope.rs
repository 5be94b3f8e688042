//! Which documents a check reports on: everything, or (with `--changed-since REV`) the files
//! changed since REV and the documents that depend on them.
//!
//! The whole repository is still loaded and checked, because a changed plan can break a
//! reference in a file that did not change; only the report is narrowed. A document depends on
//! a changed one when it names it as `parent`, in `links.upper`/`links.related`, in `aligned`
//! (A304), or in a body link (`plan:ID…` or a relative link to its file). A changed registry or
//! `yuan.toml` can affect any document, so then everything is reported.

use crate::model::{Corpus, Document};
use rayon::prelude::*;
use std::collections::BTreeSet;

/// Paths (relative to the root) whose diagnostics to report. `None`: all of them.
pub fn affected(
    corpus: &Corpus,
    changed: &BTreeSet<String>,
    registry_dir: &str,
) -> Option<BTreeSet<String>> {
    let registry_dir = registry_dir.trim_matches('/');
    let global = changed.iter().any(|p| {
        p == "yuan.toml"
            || ((p.ends_with(".yaml") || p.ends_with(".yml"))
                && (registry_dir.is_empty() || p.starts_with(&format!("{registry_dir}/"))))
    });
    if global {
        return None;
    }
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
        by_meta
            || d.links.iter().any(|l| {
                let dest = l.dest.as_str();
                if let Some(rest) = dest.strip_prefix("plan:") {
                    let id = rest.split('#').next().unwrap_or(rest);
                    return ids.contains(id);
                }
                let file = dest.split('#').next().unwrap_or(dest);
                std::path::Path::new(file)
                    .file_stem()
                    .is_some_and(|s| file.ends_with(".md") && stems.contains(&*s.to_string_lossy()))
            })
    };
    let dependents: Vec<&String> = corpus
        .docs
        .par_iter()
        .filter(|d| !paths.contains(&d.path) && depends(d))
        .map(|d| &d.path)
        .collect();
    paths.extend(dependents.into_iter().cloned());
    Some(paths)
}
