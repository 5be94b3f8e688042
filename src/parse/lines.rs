//! Byte offsets to lines and columns. Columns count characters, so a caret under Chinese text
//! points at the right character whatever its byte width. Stage 3 (parse), used by the model's
//! build too: the cursors ([`LineCursor`], [`CharCursor`]) take positions in the order a file
//! gives them and scan only forward, so a document's positions cost one pass over its text.

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
        self.line += count_newlines(gap.as_bytes());
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

/// The number of `\n` bytes in `bytes`, 64 bytes at a time (a loop the compiler vectorises:
/// three of these passes over every body, for headings, lines and links, were 2% of a check).
pub(crate) fn count_newlines(bytes: &[u8]) -> usize {
    let mut chunks = bytes.chunks_exact(64);
    let mut n = 0;
    for c in &mut chunks {
        // at most 64 per chunk: fits a u8
        n += usize::from(c.iter().map(|&b| u8::from(b == b'\n')).sum::<u8>());
    }
    n + chunks.remainder().iter().filter(|&&b| b == b'\n').count()
}

/// Byte offsets of character indices visited in increasing order (the positions of one YAML
/// text, in the order its events give them): each lookup scans forward from the previous one,
/// so converting a document's positions costs one pass over its text instead of one pass per
/// position ([`char_to_byte`] each time was 3% of a check). Going backwards restarts from the
/// top; an index past the end gives the text's length, as [`char_to_byte`] does.
pub(crate) struct CharCursor<'a> {
    text: &'a str,
    chars: usize,
    byte: usize,
}

impl<'a> CharCursor<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        CharCursor {
            text,
            chars: 0,
            byte: 0,
        }
    }

    /// Byte offset of the `chars`-th character of the text (or its length).
    pub(crate) fn byte_of(&mut self, chars: usize) -> usize {
        if chars < self.chars {
            (self.chars, self.byte) = (0, 0);
        }
        let rest = &self.text[self.byte..];
        match rest.char_indices().nth(chars - self.chars) {
            Some((b, _)) => {
                self.byte += b;
                self.chars = chars;
                self.byte
            }
            None => self.text.len(),
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
    fn fast_counts_agree_with_plain_ones() {
        let t = "一\n二三\r\n\n四五六 x\n".repeat(20) + "尾";
        for a in 0..t.len() {
            for b in [a, a + 1, a + 63, a + 64, a + 65, a + 200] {
                let s = &t.as_bytes()[a..b.min(t.len())];
                let plain = s.iter().filter(|&&c| c == b'\n').count();
                assert_eq!(count_newlines(s), plain, "{a}..{b}");
            }
        }
        let n = t.chars().count();
        let mut cur = CharCursor::new(&t);
        // forwards, repeated, backwards and past the end, as char_to_byte answers
        for i in (0..n + 3).chain([5, 5, 2, n + 10, 0, n]) {
            assert_eq!(cur.byte_of(i), char_to_byte(&t, i), "char {i}");
        }
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
