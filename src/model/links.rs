//! Body links: what a Markdown link destination of a document points at.
//!
//! One classification for everyone who follows links: the reference rules (R402–R404),
//! handbooks, and `--changed-since` (a document depends on the documents it links to, by a
//! typed link such as `plan:`, `doc:` or `card:`, %-escaped or not, or by a relative file).

use super::refs::Target;
use std::borrow::Cow;

/// What a Markdown link destination points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LinkTarget<'a> {
    /// `role:ID`, `plan:ID#anchor`, …
    Typed {
        target: Target,
        id: Cow<'a, str>,
        anchor: Option<Cow<'a, str>>,
    },
    /// `#anchor` in the same document.
    SelfAnchor(Cow<'a, str>),
    /// A file of the repository, relative to the document (or to the root with a leading `/`).
    File {
        path: Cow<'a, str>,
        anchor: Option<Cow<'a, str>>,
    },
    /// http:, mailto:, tel: and other schemes yuan does not check.
    External,
}

fn decode(s: &str) -> Cow<'_, str> {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy()
}

fn split_anchor(s: &str) -> (&str, Option<Cow<'_, str>>) {
    match s.split_once('#') {
        Some((a, b)) => (a, Some(decode(b))),
        None => (s, None),
    }
}

/// The end of the scheme of `dest` (`plan` in `plan:x`), if it has one.
fn scheme_end(dest: &str) -> Option<usize> {
    dest.find(':').filter(|&i| {
        i > 0
            && dest[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
            && dest[..i].starts_with(|c: char| c.is_ascii_alphabetic())
    })
}

/// Whether [`classify`] makes `dest` a [`LinkTarget::File`], decided without decoding it: the
/// rules that follow only file links pass over the rest (most links are typed) at no cost.
pub(crate) fn is_file(dest: &str) -> bool {
    !dest.starts_with('#') && !dest.starts_with("//") && scheme_end(dest).is_none()
}

/// Classifies a link destination.
pub(crate) fn classify(dest: &str) -> LinkTarget<'_> {
    if let Some(a) = dest.strip_prefix('#') {
        return LinkTarget::SelfAnchor(decode(a));
    }
    if let Some(i) = scheme_end(dest) {
        return match Target::from_scheme(&dest[..i]) {
            Some(target) => {
                let (id, anchor) = split_anchor(&dest[i + 1..]);
                LinkTarget::Typed {
                    target,
                    id: decode(id),
                    anchor,
                }
            }
            None => LinkTarget::External,
        };
    }
    if dest.starts_with("//") {
        return LinkTarget::External;
    }
    let (path, anchor) = split_anchor(dest);
    LinkTarget::File {
        path: decode(path),
        anchor,
    }
}

/// Resolves `rel` against the folder of `doc_path`; `None` if it leaves the repository.
pub(crate) fn resolve(doc_path: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = if rel.starts_with('/') {
        Vec::new()
    } else {
        doc_path.split('/').collect()
    };
    if !rel.starts_with('/') {
        parts.pop();
    }
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies() {
        assert!(matches!(
            classify("role:x"),
            LinkTarget::Typed {
                target: Target::Role,
                ..
            }
        ));
        match classify("plan:xj-flood#%E5%BA%94%E6%80%A5") {
            LinkTarget::Typed { id, anchor, .. } => {
                assert_eq!(id, "xj-flood");
                assert_eq!(anchor.as_deref(), Some("应急"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(classify("https://x.org"), LinkTarget::External);
        assert_eq!(classify("mailto:a@b"), LinkTarget::External);
        assert!(matches!(classify("../a.md#总则"), LinkTarget::File { .. }));
        assert!(matches!(classify("#总则"), LinkTarget::SelfAnchor(_)));
        for dest in [
            "role:x",
            "https://x.org",
            "//x.org/a",
            "#总则",
            "../a.md#总则",
            "a%20b.md",
            "c:d",
        ] {
            assert_eq!(
                is_file(dest),
                matches!(classify(dest), LinkTarget::File { .. }),
                "{dest}"
            );
        }
    }

    #[test]
    fn resolves_paths() {
        assert_eq!(
            resolve("county/qx.md", "../city/yz.md").as_deref(),
            Some("city/yz.md")
        );
        assert_eq!(resolve("qx.md", "../x.md"), None);
        assert_eq!(resolve("a/b.md", "/c/d.md").as_deref(), Some("c/d.md"));
    }
}
