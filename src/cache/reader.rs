//! Reading the payload of a record field by field: every read is checked
//! against the end, so a record from an older layout or a damaged disk is
//! `None`, never a panic.

pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, at: 0 }
    }

    /// How far it has read.
    pub(crate) fn at(&self) -> usize {
        self.at
    }

    pub(crate) fn done(&self) -> bool {
        self.at == self.bytes.len()
    }

    pub(crate) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(s)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    pub(crate) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.array()?))
    }

    /// A string written as its length (u32) and its UTF-8 bytes.
    pub(crate) fn str(&mut self) -> Option<String> {
        let n = self.u32()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stop_at_the_end() {
        let mut r = Reader::new(&[3, 0, 0, 0, b'a', b'b']);
        assert_eq!(r.str(), None, "3 bytes announced, 2 there");
        let mut r = Reader::new(&[2, 0, 0, 0, b'a', b'b']);
        assert_eq!(r.str().as_deref(), Some("ab"));
        assert!(r.done());
        assert_eq!(r.u32(), None);
    }
}
