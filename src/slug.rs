//! URL names. A name that is already URL-safe is kept; anything else becomes
//! toneless pinyin joined by hyphens: `党章学习` -> `dang-zhang-xue-xi`.

use std::collections::{HashMap, HashSet};

use pinyin::ToPinyin;

/// True when `s` can be used in a URL path segment as is.
pub fn is_url_safe(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && !s.starts_with('.')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
}

/// A URL name from any text: URL-safe names are kept, others are spelled in
/// lowercase toneless pinyin (Latin letters and digits kept, the rest are
/// separators). Never empty, never contains `/` or `..`.
pub fn slugify(s: &str) -> String {
    if is_url_safe(s) {
        return s.to_string();
    }
    let out = pinyin_words(s).join("-");
    if out.is_empty() {
        "page".to_string()
    } else {
        out
    }
}

/// Lowercase pinyin / Latin words of a text, for slugs and anchors.
pub fn pinyin_words(s: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            cur.push(c.to_ascii_lowercase());
            continue;
        }
        if let Some(w) = fullwidth_alnum(c) {
            cur.push(w);
            continue;
        }
        if !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        if let Some(p) = c.to_pinyin() {
            words.push(p.plain().to_string());
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// Ａ-Ｚ, ａ-ｚ, ０-９ as their ASCII lowercase twins.
fn fullwidth_alnum(c: char) -> Option<char> {
    let u = c as u32;
    if (0xFF10..=0xFF19).contains(&u)
        || (0xFF21..=0xFF3A).contains(&u)
        || (0xFF41..=0xFF5A).contains(&u)
    {
        char::from_u32(u - 0xFEE0).map(|c| c.to_ascii_lowercase())
    } else {
        None
    }
}

/// The ids already used on one page, so that each new one is unique. Both
/// checks are hash look-ups and each base name remembers its next number, so
/// a page of 10 000 equal headings takes linear time (a list searched again
/// for every heading took minutes).
#[derive(Debug, Default)]
pub struct TakenIds {
    ids: HashSet<String>,
    /// For a base name: the number to try next (`-2` first).
    next: HashMap<String, u32>,
}

impl TakenIds {
    /// Takes `id` as it is; false when it was taken already.
    pub fn take(&mut self, id: &str) -> bool {
        if self.ids.contains(id) {
            return false;
        }
        self.ids.insert(id.to_string())
    }

    /// `base`, or `base-2`, `base-3` … the first one still free; taken.
    pub fn unique(&mut self, base: &str) -> String {
        if self.take(base) {
            return base.to_string();
        }
        let n = self.next.entry(base.to_string()).or_insert(2);
        loop {
            let id = format!("{base}-{n}");
            *n += 1;
            if !self.ids.contains(&id) {
                self.ids.insert(id.clone());
                return id;
            }
        }
    }
}

/// An `id` for a heading: pinyin of its text, stable across edits elsewhere
/// in the page. `taken` receives it, with `-2`, `-3` … on repeats.
pub fn anchor(text: &str, taken: &mut TakenIds) -> String {
    let w = pinyin_words(text).join("-");
    if w.is_empty() {
        taken.unique("section")
    } else {
        taken.unique(&w)
    }
}

/// Toneless pinyin without separators, for search: `党章学习` -> `dangzhangxuexi`.
pub fn pinyin_compact(s: &str) -> String {
    pinyin_words(s).concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_becomes_pinyin() {
        assert_eq!(slugify("党章学习"), "dang-zhang-xue-xi");
        assert_eq!(slugify("2024年五四青年节"), "2024-nian-wu-si-qing-nian-jie");
        assert_eq!(slugify("张 三"), "zhang-san");
        assert_eq!(
            slugify("“不忘初心”主题党日！"),
            "bu-wang-chu-xin-zhu-ti-dang-ri"
        );
    }

    #[test]
    fn safe_names_are_kept() {
        assert_eq!(slugify("dangzhang-01"), "dangzhang-01");
        assert_eq!(slugify("2024-05-04-wusi"), "2024-05-04-wusi");
    }

    #[test]
    fn never_escapes_the_folder() {
        for bad in [
            "../../etc",
            "/abs",
            "a/b",
            "..",
            ".",
            "",
            "\\x",
            "..\\..\\x",
        ] {
            let s = slugify(bad);
            assert!(
                !s.contains('/') && !s.contains('\\') && s != ".." && s != "." && !s.is_empty(),
                "{bad:?} -> {s:?}"
            );
        }
    }

    #[test]
    fn fullwidth_letters() {
        assert_eq!(slugify("ＡＢＣ党"), "abc-dang");
    }

    #[test]
    fn anchors_are_unique() {
        let mut taken = TakenIds::default();
        assert_eq!(anchor("一、党的性质", &mut taken), "yi-dang-de-xing-zhi");
        assert_eq!(anchor("一、党的性质", &mut taken), "yi-dang-de-xing-zhi-2");
        assert_eq!(anchor("🎉", &mut taken), "section");
        // An explicit id that looks like a numbered one is skipped over.
        assert!(taken.take("jie-xi-2"));
        assert_eq!(anchor("解析", &mut taken), "jie-xi");
        assert_eq!(anchor("解析", &mut taken), "jie-xi-3");
    }

    #[test]
    fn ten_thousand_equal_headings() {
        let mut taken = TakenIds::default();
        let ids: Vec<String> = (0..10_000).map(|_| anchor("解析", &mut taken)).collect();
        assert_eq!(ids[0], "jie-xi");
        assert_eq!(ids[1], "jie-xi-2");
        assert_eq!(ids[9_999], "jie-xi-10000");
        assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 10_000);
    }

    #[test]
    fn compact() {
        assert_eq!(pinyin_compact("党章学习"), "dangzhangxuexi");
    }
}
