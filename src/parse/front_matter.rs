//! Splits a document into its YAML front matter and its Markdown body.
//!
//! The front matter is the text between a first line `---` and the next line `---` (or `...`).
//! A UTF-8 byte-order mark and CRLF line endings are accepted: editors on Windows produce both.

/// Where the parts of a document are, as byte offsets into the file text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Byte range of the YAML text (without the `---` lines).
    pub yaml: std::ops::Range<usize>,
    /// 1-based line of the first YAML line.
    pub(crate) yaml_line: usize,
    /// Byte offset where the Markdown body starts.
    pub body: usize,
}

/// Why there is no usable front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with `---`.
    Missing,
    /// `---` opens the front matter but no line closes it. Carries the opening line's end.
    Unterminated { open_end: usize },
}

fn is_fence(line: &str, closing: bool) -> bool {
    let l = line.trim_end_matches(['\r', ' ', '\t']);
    l == "---" || (closing && l == "...")
}

/// Finds the front matter of `text`.
pub fn split(text: &str) -> Result<Split, SplitError> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let first_end = rest.find('\n').map(|i| i + 1).unwrap_or(rest.len());
    if !is_fence(rest[..first_end].trim_end_matches('\n'), false) {
        return Err(SplitError::Missing);
    }
    let yaml_start = start + first_end;
    let mut offset = yaml_start;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map(|i| offset + i + 1)
            .unwrap_or(text.len());
        if is_fence(text[offset..end].trim_end_matches('\n'), true) {
            return Ok(Split {
                yaml: yaml_start..offset,
                yaml_line: 2,
                body: end,
            });
        }
        offset = end;
    }
    Err(SplitError::Unterminated {
        open_end: start + first_end,
    })
}

/// Whether `line` (without its line break) is a git merge-conflict marker: `<<<<<<<`,
/// `|||||||` or `>>>>>>>` followed by a space or nothing, or `=======` alone (git's default
/// marker size, 7).
fn marker(line: &str, with_separator: bool) -> bool {
    let l = line.trim_end_matches('\r');
    let opening = |m: &str| {
        l.strip_prefix(m)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
    };
    opening("<<<<<<<")
        || opening(">>>>>>>")
        || opening("|||||||")
        || (with_separator && l.trim_end() == "=======")
}

/// Whether `bytes` has a `<` or a `>`, 64 bytes at a time: a text without either has no
/// conflict marker (two substring searches of every file were 1.3% of a check).
fn has_angle(bytes: &[u8]) -> bool {
    let angle = |b: &u8| *b == b'<' || *b == b'>';
    let mut chunks = bytes.chunks_exact(64);
    chunks.any(|c| c.iter().fold(false, |any, b| any | angle(b)))
        || chunks.remainder().iter().any(angle)
}

/// The byte ranges of the merge-conflict marker lines of `text`, in order; none unless the
/// text has an opening or closing marker (`<<<<<<< ` / `>>>>>>> `), so that a Markdown heading
/// underlined with exactly seven `=` alone is never taken for one.
pub(crate) fn conflict_markers(text: &str) -> Vec<std::ops::Range<usize>> {
    let lines = || {
        let mut offset = 0;
        text.split_inclusive('\n').map(move |l| {
            let start = offset;
            offset += l.len();
            let line = l.trim_end_matches('\n').trim_end_matches('\r');
            (start..start + line.len(), line)
        })
    };
    // the common case (no `<` or `>` at all) costs one pass the compiler vectorises
    if !has_angle(text.as_bytes()) {
        return Vec::new();
    }
    if !text.contains("<<<<<<<") && !text.contains(">>>>>>>") {
        return Vec::new();
    }
    if !lines().any(|(_, l)| marker(l, false)) {
        return Vec::new();
    }
    lines()
        .filter(|(_, l)| marker(l, true))
        .map(|(r, _)| r)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflict_markers_are_found_only_with_an_opening_or_closing_one() {
        let t = "---\n<<<<<<< HEAD\nid: a\n=======\nid: b\n>>>>>>> topic\n---\n";
        let m = conflict_markers(t);
        let lines: Vec<&str> = m.iter().map(|r| &t[r.clone()]).collect();
        assert_eq!(lines, ["<<<<<<< HEAD", "=======", ">>>>>>> topic"]);
        // a setext heading underlined with seven `=` alone is no conflict
        assert!(conflict_markers("标题\n=======\n正文\n").is_empty());
        // eight characters, or text after the marker without a space, are not markers
        assert!(conflict_markers("<<<<<<<<\n>>>>>>>x\n").is_empty());
        let crlf = "a\r\n<<<<<<<\r\nb\r\n";
        assert_eq!(conflict_markers(crlf), vec![(3..10)]);
        // a marker after the first 64 bytes, or in the last bytes, is found all the same
        let long = "正文".repeat(30);
        for t in [
            format!("{long}\n<<<<<<< HEAD\n"),
            format!("{long}{long}\n>>>>>>> x"),
        ] {
            assert_eq!(conflict_markers(&t).len(), 1, "{t}");
        }
        assert!(!has_angle(long.as_bytes()));
        assert!(has_angle(format!("{long}>").as_bytes()));
    }

    #[test]
    fn splits_with_bom_and_crlf() {
        let t = "\u{feff}---\r\nid: a\r\n---\r\n# 总则\r\n";
        let s = split(t).expect("split");
        assert_eq!(&t[s.yaml.clone()], "id: a\r\n");
        assert_eq!(&t[s.body..], "# 总则\r\n");
    }

    #[test]
    fn missing_and_unterminated() {
        assert_eq!(split("# 标题\n"), Err(SplitError::Missing));
        assert_eq!(split(""), Err(SplitError::Missing));
        assert!(matches!(
            split("---\nid: a\n# body\n"),
            Err(SplitError::Unterminated { .. })
        ));
    }

    #[test]
    fn empty_front_matter() {
        let s = split("---\n---\nbody").expect("split");
        assert!(s.yaml.is_empty());
    }
}
