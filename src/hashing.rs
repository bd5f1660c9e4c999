//! Hashing values for the build cache's keys: a value is hashed as the
//! JSON serde makes of it, streamed into the hasher (never held whole), so
//! that anything a template can be given can also be hashed, in the same
//! field order every run.

use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

/// What the keys of the build's outputs start from: zhibu's version and a
/// hash of its own code, so that a new zhibu never reuses an old result.
pub(crate) fn code(h: &mut Xxh3) {
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(env!("ZHIBU_CODE").as_bytes());
}

/// [`code`] as a value of its own.
pub(crate) fn code_id() -> u128 {
    let mut h = Xxh3::new();
    code(&mut h);
    h.digest128()
}

/// Feeds `value` as JSON to `h`, followed by a separator.
pub(crate) fn json_into<T: Serialize + ?Sized>(h: &mut Xxh3, value: &T) {
    // Writing into a hasher cannot fail, and the values given here are
    // template data, which serde_json can always write; a value that could
    // not be written would only hash as far as it got (a cache miss).
    let _ = serde_json::to_writer(Writer(h), value);
    h.update(b"\0");
}

/// Feeds `value`'s `Debug` text to `h`, followed by a separator: for
/// model values, which derive `Debug` (so every field is in the text) but
/// not `Serialize`. Equal text, equal value; an unequal text of an equal
/// value (a map's order) would only cost a cache miss.
pub(crate) fn debug_into<T: std::fmt::Debug + ?Sized>(h: &mut Xxh3, value: &T) {
    use std::fmt::Write as _;
    // Writing into a hasher cannot fail.
    let _ = write!(DebugWriter(h), "{value:?}");
    h.update(b"\0");
}

struct DebugWriter<'a>(&'a mut Xxh3);

impl std::fmt::Write for DebugWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

struct Writer<'a>(&'a mut Xxh3);

impl std::io::Write for Writer<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash<T: Serialize>(v: &T) -> u128 {
        let mut h = Xxh3::new();
        json_into(&mut h, v);
        h.digest128()
    }

    #[test]
    fn equal_values_hash_equal_and_different_ones_differ() {
        assert_eq!(hash(&("a", 1)), hash(&("a", 1)));
        assert_ne!(hash(&("a", 1)), hash(&("a", 2)));
        assert_ne!(hash(&vec!["ab", "c"]), hash(&vec!["a", "bc"]));
    }
}
