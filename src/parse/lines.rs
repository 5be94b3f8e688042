//! Byte offsets to lines and columns. Columns count characters, so a caret under Chinese text
//! points at the right character whatever its byte width.

use crate::diag::Span;

/// Start offsets of every line of a text.
pub(crate) struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        let mut starts = vec![0u32];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                starts.push(i as u32 + 1);
            }
        }
        LineIndex { starts }
    }

    /// The 1-based line of a byte offset.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&(offset as u32)) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// A [`Span`] for the byte range `start..end` of `text`.
    pub(crate) fn span(&self, text: &str, start: usize, end: usize) -> Span {
        let start = floor_char_boundary(text, start.min(text.len()));
        let end = floor_char_boundary(text, end.clamp(start, text.len()));
        let line = self.line_of(start);
        let line_start = self.starts[line - 1] as usize;
        let col = text[line_start..start].chars().count() + 1;
        Span {
            start: start as u32,
            end: end as u32,
            line: line as u32,
            col: col as u32,
        }
    }
}

/// Spans for offsets visited in increasing order, without indexing the whole text: headings and
/// links come in document order, so each lookup only scans forward from the previous one.
pub(crate) struct LineCursor<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    line_start: usize,
}

impl<'a> LineCursor<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        LineCursor {
            text,
            pos: 0,
            line: 1,
            line_start: 0,
        }
    }

    /// A [`Span`] for `start..end`; restarts from the top if asked to go backwards.
    pub(crate) fn span(&mut self, start: usize, end: usize) -> Span {
        let text = self.text;
        let start = floor_char_boundary(text, start.min(text.len()));
        let end = floor_char_boundary(text, end.clamp(start, text.len()));
        if start < self.pos {
            *self = LineCursor::new(text);
        }
        let gap = &text[self.pos..start];
        self.line += gap.bytes().filter(|&b| b == b'\n').count();
        if let Some(i) = gap.rfind('\n') {
            self.line_start = self.pos + i + 1;
        }
        self.pos = start;
        Span {
            start: start as u32,
            end: end as u32,
            line: self.line as u32,
            col: text[self.line_start..start].chars().count() as u32 + 1,
        }
    }
}

/// The largest char boundary at or below `i`.
pub(crate) fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Byte offset of the `chars`-th character of `text` (or its length).
pub(crate) fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map(|(b, _)| b)
        .unwrap_or(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_agrees_with_index() {
        let t = "一\n二三\r\n\n四五六 x\n";
        let idx = LineIndex::new(t);
        let mut cur = LineCursor::new(t);
        let offsets: Vec<usize> = t.char_indices().map(|(i, _)| i).collect();
        for &o in &offsets {
            assert_eq!(cur.span(o, o), idx.span(t, o, o), "offset {o}");
        }
        assert_eq!(cur.span(0, 1), idx.span(t, 0, 1), "going back restarts");
    }

    #[test]
    fn columns_count_characters() {
        let t = "标题\n  应急响应: x\n";
        let idx = LineIndex::new(t);
        let off = t.find('x').expect("x");
        let s = idx.span(t, off, off + 1);
        assert_eq!((s.line, s.col), (2, 9));
        assert_eq!(char_to_byte(t, 1), 3);
    }
}
