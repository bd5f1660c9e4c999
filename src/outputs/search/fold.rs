//! Traditional characters folded to simplified ones, one character for one
//! character, the same in the index and in the browser: 黨章 and 党章 are
//! the same word to search, and so are 獻血 and 献血.
//!
//! The table is fast2s's (MIT; 2 734 traditional characters and variants,
//! among them the Hong Kong and Taiwan forms 衞, 裏, 綫). It is read one
//! character at a time, without fast2s's few context rules, because the
//! browser folds a query one character at a time too and both sides must
//! agree. [`KEEP`] lists the characters that fast2s would change although
//! they are standard simplified characters in their own right (呵护, 捍卫,
//! 磐石): folding them would only change simplified text.
//!
//! The browser does not ship this table. The index writes the pairs whose
//! simplified character the index holds, split into [`BUCKETS`] small files
//! by code point (`search/t/<n>.json`); a query fetches the file of a
//! character only when that character starts no word of the index, which
//! is never the case for a query typed in simplified characters that the
//! site uses.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The fold-table files (a power of two: a character's file is its code
/// point modulo this, search.js `foldBucket`).
pub(crate) const BUCKETS: u32 = 32;

/// Standard simplified characters that fast2s's table would change; kept.
const KEEP: &str = "呵祐黏捍磐呱薰槃祗畬醯矽煅濬疋珮";

/// The ranges the table covers: CJK Extension A, the Unified Ideographs and
/// the compatibility ideographs (everything fast2s maps lies there).
const RANGES: [(u32, u32); 2] = [(0x3400, 0x9FFF), (0xF900, 0xFAFF)];

struct Table {
    /// Folded character per code point of `RANGES[0]`, then of `RANGES[1]`.
    to: Vec<char>,
    /// (traditional, simplified) pairs, ascending by traditional.
    pairs: Vec<(char, char)>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let chars: Vec<char> = RANGES
            .iter()
            .flat_map(|&(a, b)| (a..=b).filter_map(char::from_u32))
            .collect();
        // One conversion of every character, each between spaces so that
        // none of fast2s's two-character context rules applies.
        let mut text = String::with_capacity(chars.len() * 4);
        for &c in &chars {
            text.push(c);
            text.push(' ');
        }
        let converted = fast2s::convert(&text);
        let mut to = chars.clone();
        let mut pairs = Vec::new();
        for (i, s) in converted.split(' ').take(chars.len()).enumerate() {
            let mut it = s.chars();
            if let (Some(f), None) = (it.next(), it.next())
                && f != chars[i]
                && f.len_utf16() == 1
                && !KEEP.contains(chars[i])
            {
                to[i] = f;
                pairs.push((chars[i], f));
            }
        }
        Table { to, pairs }
    })
}

/// A fold function for a whole text: fetches the table once.
pub(crate) fn folder() -> impl Fn(char) -> char {
    let t = table();
    move |c| {
        let u = c as u32;
        let mut base = 0usize;
        for &(a, b) in &RANGES {
            if (a..=b).contains(&u) {
                return t.to[base + (u - a) as usize];
            }
            base += (b - a + 1) as usize;
        }
        c
    }
}

/// The simplified form of one character (itself when it has none).
#[cfg(test)]
pub(crate) fn fold(c: char) -> char {
    folder()(c)
}

/// The fold-table files: for every traditional character whose simplified
/// form is among `held` (the characters of the index's words), the pair,
/// grouped by bucket. Returns (bucket, `"黨党獻献…"`) for the non-empty ones.
pub(crate) fn bucket_files(held: impl Fn(char) -> bool) -> BTreeMap<u32, String> {
    let mut out: BTreeMap<u32, String> = BTreeMap::new();
    for &(t, s) in &table().pairs {
        if held(s) {
            let b = out.entry(t as u32 % BUCKETS).or_default();
            b.push(t);
            b.push(s);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_folds_to_simplified() {
        let f = |s: &str| s.chars().map(fold).collect::<String>();
        assert_eq!(f("黨章"), "党章");
        assert_eq!(f("獻血"), "献血");
        assert_eq!(f("民主評議"), "民主评议");
        assert_eq!(f("為人民服務"), "为人民服务");
        assert_eq!(f("衞生 裏面 綫上 臺灣"), "卫生 里面 线上 台湾");
        assert_eq!(f("關於 瞭解"), "关于 了解");
    }

    #[test]
    fn simplified_text_is_left_alone() {
        let text = "中国共产党章程 呵护 捍卫 磐石 黏土 著作 显著 覆盖 志愿服务 三会一课 民主评议";
        assert_eq!(text.chars().map(fold).collect::<String>(), text);
        for c in KEEP.chars() {
            assert_eq!(fold(c), c);
        }
    }

    #[test]
    fn only_pairs_of_held_characters_are_written() {
        let files = bucket_files(|c| "党献".contains(c));
        let all: String = files.values().cloned().collect();
        assert_eq!(all.chars().count(), 4, "{all}");
        assert!(all.contains("黨党") && all.contains("獻献"), "{all}");
        for (b, text) in &files {
            let t = text.chars().next().unwrap();
            assert_eq!(t as u32 % BUCKETS, *b);
        }
    }

    #[test]
    fn the_table_is_one_to_one_per_character() {
        // Each pair is one character for one, so folding keeps positions
        // (search.js highlights folded text at the same offsets).
        let t = table();
        assert!(t.pairs.len() > 2500, "{}", t.pairs.len());
        assert!(t.pairs.iter().all(|&(a, b)| a != b && b.len_utf16() == 1));
    }
}
