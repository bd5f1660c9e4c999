//! Line and column (1-based, columns in characters) of byte offsets in one
//! text. Asked in document order, as the Markdown renderer and the privacy
//! guard do, the whole text is walked once: `config::line_col` scans from
//! the start for every offset, which on a 5 MB body with 100 000 links is
//! quadratic.

pub(crate) struct Cursor<'a> {
    text: &'a str,
    /// Byte offset the position below belongs to.
    at: usize,
    line: u32,
    col: u32,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Cursor {
            text,
            at: 0,
            line: 1,
            col: 1,
        }
    }

    /// The position of `offset` (clamped to the text, moved back to a
    /// character boundary). Walks forward from the last answer; an offset
    /// before it starts again from the top.
    pub(crate) fn locate(&mut self, offset: usize) -> (u32, u32) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.at {
            *self = Cursor::new(self.text);
        }
        let between = &self.text[self.at..offset];
        match between.rfind('\n') {
            Some(last) => {
                self.line += between.bytes().filter(|&b| b == b'\n').count() as u32;
                self.col = between[last + 1..].chars().count() as u32 + 1;
            }
            None => self.col += between.chars().count() as u32,
        }
        self.at = offset;
        (self.line, self.col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_a_scan_from_the_start() {
        let text = "第一行\nab党c\n\nxyz";
        let mut c = Cursor::new(text);
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            assert_eq!(
                c.locate(offset),
                crate::config::line_col(text, offset),
                "{offset}"
            );
        }
        // Backwards, and past the end.
        assert_eq!(c.locate(0), (1, 1));
        assert_eq!(c.locate(10_000), crate::config::line_col(text, text.len()));
        // Inside a character: its start.
        assert_eq!(c.locate(1), (1, 1));
    }
}
