//! The unit every stage hands to the writer: one file of the output, by
//! its path in the output folder, with its bytes (or where to copy them
//! from). Also the content hash that versioned file names use.

use std::borrow::Cow;
use std::path::PathBuf;

/// What goes into one output file.
#[derive(Clone, Debug)]
pub enum Data {
    Bytes(Vec<u8>),
    Static(Cow<'static, [u8]>),
    /// Copied from this file on disk.
    Copy(PathBuf),
}

#[derive(Clone, Debug)]
pub struct OutputFile {
    /// Relative to the output folder, `/`-separated: `lessons/a/index.html`.
    pub path: String,
    pub data: Data,
}

impl OutputFile {
    pub fn bytes(path: impl Into<String>, bytes: Vec<u8>) -> Self {
        OutputFile {
            path: path.into(),
            data: Data::Bytes(bytes),
        }
    }

    pub fn copy(path: impl Into<String>, from: PathBuf) -> Self {
        OutputFile {
            path: path.into(),
            data: Data::Copy(from),
        }
    }

    /// The contents, reading copied files from disk.
    pub fn read(&self) -> std::io::Result<Cow<'_, [u8]>> {
        Ok(match &self.data {
            Data::Bytes(b) => Cow::Borrowed(b.as_slice()),
            Data::Static(b) => Cow::Borrowed(b.as_ref()),
            Data::Copy(p) => Cow::Owned(std::fs::read(p)?),
        })
    }
}

/// 64-bit FNV-1a of some bytes as 10 hex digits: short, stable, and plenty
/// for telling versions of one file apart.
pub fn content_hash(parts: &[&[u8]]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // a separator, so that ("ab", "c") and ("a", "bc") differ
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")[..10].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes() {
        assert_eq!(content_hash(&[b"body{}"]).len(), 10);
        assert_eq!(content_hash(&[b"a"]), content_hash(&[b"a"]));
        assert_ne!(content_hash(&[b"a"]), content_hash(&[b"b"]));
        assert_ne!(content_hash(&[b"ab", b"c"]), content_hash(&[b"a", b"bc"]));
    }
}
