//! URL names. A name that is already URL-safe is kept; anything else becomes
//! toneless pinyin joined by hyphens: `党章学习` -> `dang-zhang-xue-xi`.

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

/// An `id` for a heading: pinyin of its text, stable across edits elsewhere
/// in the page. `taken` receives it, with `-2`, `-3` … on repeats.
pub fn anchor(text: &str, taken: &mut Vec<String>) -> String {
    let base = {
        let w = pinyin_words(text).join("-");
        if w.is_empty() {
            "section".to_string()
        } else {
            w
        }
    };
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.push(id.clone());
    id
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
        let mut taken = Vec::new();
        assert_eq!(anchor("一、党的性质", &mut taken), "yi-dang-de-xing-zhi");
        assert_eq!(anchor("一、党的性质", &mut taken), "yi-dang-de-xing-zhi-2");
        assert_eq!(anchor("🎉", &mut taken), "section");
    }

    #[test]
    fn compact() {
        assert_eq!(pinyin_compact("党章学习"), "dangzhangxuexi");
    }
}
