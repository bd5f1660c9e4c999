//! Compact text encodings of the search index, mirrored in search.js.
//!
//! Postings are `varint(doc id delta) weight` pairs. A varint is written
//! most significant group first, five bits per character: continuation
//! groups from [`HIGH`], the last group from [`LOW`]. A weight is one
//! character of [`WEIGHT`] (it always follows a last group, so it may be
//! any of the 64): a log-scaled score 0‥31 (see [`quantize`]), plus 32 when
//! the page's title, tags or kind hold the term
//! ([`super::terms::CARRIED`]). Everything is plain ASCII that needs no
//! escaping in JSON and compresses well.

pub const LOW: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef";
pub const HIGH: &[u8; 32] = b"ghijklmnopqrstuvwxyz0123456789-_";
/// Weight characters: [`LOW`] then [`HIGH`].
pub const WEIGHT: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

pub fn varint(mut n: u32, out: &mut String) {
    let mut groups = [0u8; 7];
    let mut len = 0;
    loop {
        groups[len] = (n & 31) as u8;
        len += 1;
        n >>= 5;
        if n == 0 {
            break;
        }
    }
    for i in (1..len).rev() {
        out.push(HIGH[groups[i] as usize] as char);
    }
    out.push(LOW[groups[0] as usize] as char);
}

/// Weights: w = 2^((q - 21) / 3), q in 0..=31, so 0.008 … 10.
pub fn quantize(w: f64) -> u8 {
    if w <= 0.0 {
        return 0;
    }
    (w.log2() * 3.0 + 21.0).round().clamp(0.0, 31.0) as u8
}

pub fn dequantize(q: u8) -> f64 {
    2f64.powf((f64::from(q) - 21.0) / 3.0)
}

/// `(doc, weight)` pairs with ascending doc ids; weights 0‥63.
pub fn postings(list: &[(u32, u8)]) -> String {
    let mut out = String::with_capacity(list.len() * 2);
    let mut prev = 0;
    for &(doc, q) in list {
        varint(doc - prev, &mut out);
        out.push(WEIGHT[q.min(63) as usize] as char);
        prev = doc;
    }
    out
}

/// Decodes [`postings`] (used by tests; the browser has its own copy).
pub fn decode_postings(s: &str) -> Option<Vec<(u32, u8)>> {
    let mut out = Vec::new();
    let mut doc = 0u32;
    let mut acc = 0u32;
    let mut want_weight = false;
    for b in s.bytes() {
        if want_weight {
            out.push((doc, WEIGHT.iter().position(|&c| c == b)? as u8));
            want_weight = false;
        } else if let Some(h) = HIGH.iter().position(|&c| c == b) {
            acc = acc * 32 + h as u32;
        } else {
            let l = LOW.iter().position(|&c| c == b)? as u32;
            doc += acc * 32 + l;
            acc = 0;
            want_weight = true;
        }
    }
    (!want_weight).then_some(out)
}

/// The shard a term lives in: its first character (as hex code point), or
/// for Latin letters and digits its first two (`a-da`). Queries load the
/// shards of their own characters, so this must match search.js `shardOf`.
pub fn shard_of(term: &str) -> String {
    let mut chars = term.chars();
    let Some(first) = chars.next() else {
        return "empty".into();
    };
    if first.is_ascii_alphanumeric() {
        let mut key = String::from("a-");
        key.push(first);
        if let Some(second) = chars.next().filter(char::is_ascii_alphanumeric) {
            key.push(second);
        }
        key
    } else {
        format!("{:x}", first as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints() {
        let mut s = String::new();
        for n in [0, 1, 31, 32, 1000, 1 << 20] {
            varint(n, &mut s);
        }
        assert_eq!(s, "ABfhA_IhgggA");
        let decoded = decode_postings(&postings(&[
            (0, 5),
            (1, 31),
            (33, 0),
            (1033, 7),
            (1 << 20, 21),
            (1 << 20 | 1, 63),
            (1 << 21, 32),
        ]))
        .unwrap();
        assert_eq!(
            decoded,
            vec![
                (0, 5),
                (1, 31),
                (33, 0),
                (1033, 7),
                (1 << 20, 21),
                (1 << 20 | 1, 63),
                (1 << 21, 32)
            ]
        );
        assert!(WEIGHT.starts_with(LOW) && WEIGHT.ends_with(HIGH));
    }

    #[test]
    fn small_gaps_are_two_characters() {
        assert_eq!(postings(&[(3, 1), (4, 2), (10, 3)]), "DBBCGD");
    }

    #[test]
    fn weights_round_trip_within_a_step() {
        for w in [0.01, 0.04, 0.5, 1.0, 3.0, 9.0] {
            let back = dequantize(quantize(w));
            assert!((back / w - 1.0).abs() < 0.13, "{w} -> {back}");
        }
        assert_eq!(quantize(0.0), 0);
        assert_eq!(quantize(1e9), 31);
    }

    #[test]
    fn shards() {
        assert_eq!(shard_of("党员"), "515a");
        assert_eq!(shard_of("dangzhang"), "a-da");
        assert_eq!(shard_of("2024"), "a-20");
        assert_eq!(shard_of("x"), "a-x");
    }
}
