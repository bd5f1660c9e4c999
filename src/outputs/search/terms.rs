//! The terms of one page and their weights.
//!
//! A page's terms are the words of its title, tags, kind and body (with
//! the extra text of [`super::docs`]), plus for the title its single
//! characters, its toneless pinyin (`dangzhang`) and its pinyin initials
//! (`dzxx`), plus the term of every `[search] synonyms` group whose words
//! occur on the page. Each term's weight is elasticlunr's field score —
//! √tf ÷ √(field length) × field boost, summed over the fields — quantized
//! to 0‥31, plus [`CARRIED`] when the title, a tag or the kind holds it, so
//! that the browser can rank such pages above pages that only mention it.

use pinyin::ToPinyin;
use rustc_hash::FxHashMap;

use super::docs::Doc;
use super::encode;
use super::synonyms::Synonyms;
use super::tokenizer::{self, STOP_WORDS, Tokenizer};
use crate::slug;

const BOOST_TITLE: f64 = 3.0;
const BOOST_TAGS: f64 = 2.0;
const BOOST_KIND: f64 = 2.0;
const BOOST_BODY: f64 = 1.0;

/// Added to a weight when the title, a tag or the kind holds the term.
pub(crate) const CARRIED: u8 = 32;

/// Title tokens beyond its words: single characters (for one-character
/// queries), toneless pinyin (`dangzhang` finds 党章学习), whole and per
/// word, and pinyin initials (`dzxx`), whole and of words of three or more
/// characters (`jgs` for 井冈山; shorter ones would match everything).
fn title_extras(tok: &Tokenizer, title: &str, out: &mut Vec<String>) {
    let norm = tokenizer::normalize(title);
    tok.each_indexed(&norm, |w| {
        if !w.is_ascii() {
            let py = slug::pinyin_compact(w);
            if !py.is_empty() {
                out.push(py);
            }
            if w.chars().count() >= 3 {
                let i = initials(w);
                if i.len() >= 3 {
                    out.push(i);
                }
            }
        }
    });
    let whole = slug::pinyin_compact(title);
    if !whole.is_empty() {
        out.push(whole);
    }
    let i = initials(title);
    if i.len() >= 2 {
        out.push(i);
    }
    for c in norm
        .chars()
        .filter(|c| !c.is_ascii() && c.is_alphanumeric())
    {
        let s = c.to_string();
        if !STOP_WORDS.contains(&s.as_str()) {
            out.push(s);
        }
    }
}

/// The first letters of the pinyin of a text's Chinese characters:
/// 党章学习 → `dzxx` (other characters are skipped).
pub(crate) fn initials(text: &str) -> String {
    text.to_pinyin()
        .flatten()
        .map(|p| p.first_letter())
        .collect()
}

/// (term, weight) for one page: elasticlunr's field score
/// (√tf ÷ √field length × boost), summed over the fields.
#[cfg(test)]
pub(crate) fn doc_terms(tok: &Tokenizer, syn: &Synonyms, d: &Doc) -> Vec<(String, u8)> {
    let mut out = Vec::new();
    each_doc_term(tok, syn, d, |t, q| out.push((t.to_string(), q)));
    out.sort();
    out
}

/// Calls `emit(term, weight)` once for every term of a page, in no
/// particular order; the weight is elasticlunr's field score (√tf ÷
/// √field length × boost) summed over the fields, quantized, plus
/// [`CARRIED`] for a term of the title, the tags or the kind.
pub(crate) fn each_doc_term(
    tok: &Tokenizer,
    syn: &Synonyms,
    d: &Doc,
    mut emit: impl FnMut(&str, u8),
) {
    let title = tokenizer::normalize(&d.title);
    let tags: Vec<String> = d.tags.iter().map(|t| tokenizer::normalize(t)).collect();
    let kind = tokenizer::normalize(&d.kind);
    let body = if d.extra.is_empty() {
        tokenizer::normalize(&d.body)
    } else {
        tokenizer::normalize(&format!("{}{}", d.body, d.extra))
    };
    let mut extras = Vec::new();
    title_extras(tok, &d.title, &mut extras);

    // Occurrences of each term per field (title, tags, kind, body),
    // borrowed from the strings above.
    let mut counts: FxHashMap<&str, [u32; 4]> =
        FxHashMap::with_capacity_and_hasher(body.len() / 6, Default::default());
    let mut len = [0u32; 4];
    macro_rules! count {
        ($w:expr, $f:expr) => {{
            let w: &str = $w;
            len[$f] += 1;
            counts.entry(w).or_insert([0; 4])[$f] += 1;
        }};
    }
    tok.each_indexed(&title, |w| count!(w, 0));
    for w in &extras {
        count!(w.as_str(), 0);
    }
    for t in &tags {
        count!(t.as_str(), 1);
        tok.each_indexed(t, |w| count!(w, 1));
    }
    count!(kind.as_str(), 2);
    tok.each_indexed(&kind, |w| count!(w, 2));
    tok.each_indexed(&body, |w| count!(w, 3));
    // Synonym groups count like a word of the field, without lengthening it.
    for (f, text) in [(0, &title), (2, &kind), (3, &body)]
        .into_iter()
        .chain(tags.iter().map(|t| (1, t)))
    {
        syn.each_in(text, |g| counts.entry(g).or_insert([0; 4])[f] += 1);
    }

    const BOOST: [f64; 4] = [BOOST_TITLE, BOOST_TAGS, BOOST_KIND, BOOST_BODY];
    let norm: [f64; 4] = std::array::from_fn(|f| {
        if len[f] == 0 {
            0.0
        } else {
            BOOST[f] / f64::from(len[f]).max(1.0).sqrt()
        }
    });
    for (term, n) in counts {
        if term.is_empty() {
            continue;
        }
        let score: f64 = (0..4).map(|f| f64::from(n[f]).sqrt() * norm[f]).sum();
        let carried = if n[0] + n[1] + n[2] > 0 { CARRIED } else { 0 };
        emit(term, encode::quantize(score) | carried);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn doc(title: &str, tags: &[&str], body: &str) -> Doc {
        Doc {
            path: format!("x/{title}/"),
            title: title.into(),
            kind: "支部活动".into(),
            date: String::new(),
            summary: String::new(),
            tags: tags.iter().map(|s| s.to_string()).collect(),
            body: body.into(),
            extra: String::new(),
        }
    }

    fn terms(tok: &Tokenizer, d: &Doc) -> HashMap<String, u8> {
        doc_terms(tok, &Synonyms::new(&[]), d).into_iter().collect()
    }

    #[test]
    fn title_words_outweigh_body_words() {
        let tok = Tokenizer::new(["志愿服务"]);
        let a = terms(&tok, &doc("志愿服务总结", &[], "今天天气很好。"));
        let b = terms(&tok, &doc("天气", &[], "今天我们去做志愿服务，很有意义。"));
        assert!(
            a["志愿服务"] % CARRIED > b["志愿服务"],
            "{} vs {}",
            a["志愿服务"],
            b["志愿服务"]
        );
    }

    #[test]
    fn title_tags_and_kind_carry_a_term_the_body_does_not() {
        let tok = Tokenizer::new(["志愿服务"]);
        let body = "志愿服务 志愿服务 志愿服务 志愿服务";
        let passing = terms(&tok, &doc("天气", &[], body));
        assert!(passing["志愿服务"] < CARRIED, "{}", passing["志愿服务"]);
        let tagged = terms(&tok, &doc("天气", &["志愿服务"], ""));
        assert!(tagged["志愿服务"] >= CARRIED);
        let mut kind = doc("天气", &[], "");
        kind.kind = "志愿服务".into();
        assert!(terms(&tok, &kind)["志愿服务"] >= CARRIED);
        assert!(terms(&tok, &doc("志愿服务总结", &[], ""))["志愿服务"] >= CARRIED);
    }

    #[test]
    fn pinyin_initials_and_single_characters_of_titles() {
        let tok = Tokenizer::new([]);
        let t = terms(&tok, &doc("党章学习", &[], ""));
        for needed in ["dangzhangxuexi", "dangzhang", "dzxx", "党", "章", "党章"] {
            assert!(t.contains_key(needed), "{needed} missing from {t:?}");
        }
        let t = terms(&tok, &doc("井冈山的星星之火", &[], ""));
        assert!(t.contains_key("jgsdxxzh"), "{t:?}");
        assert!(t.contains_key("jgs"), "{t:?}");
        assert!(
            !t.contains_key("xx"),
            "two-letter initials match too much: {t:?}"
        );
        assert_eq!(initials("2024年五四青年节"), "nwsqnj");
    }

    #[test]
    fn traditional_titles_and_bodies_are_indexed_simplified() {
        let tok = Tokenizer::new([]);
        let t = terms(&tok, &doc("黨章學習", &[], "無償獻血"));
        for needed in ["党章", "学习", "献血", "党", "dzxx"] {
            assert!(t.contains_key(needed), "{needed} missing from {t:?}");
        }
        assert!(!t.contains_key("黨章"), "{t:?}");
    }

    #[test]
    fn synonym_groups_are_terms_of_the_pages_that_hold_a_word() {
        let tok = Tokenizer::new([]);
        let syn = Synonyms::new(&[vec![
            "二十大".to_string(),
            "第二十次全国代表大会".to_string(),
        ]]);
        let of =
            |d: &Doc| -> HashMap<String, u8> { doc_terms(&tok, &syn, d).into_iter().collect() };
        let a = of(&doc("学习", &[], "中国共产党第二十次全国代表大会胜利召开"));
        let b = of(&doc("二十大精神", &[], ""));
        let c = of(&doc("十九大", &[], "党的十九大"));
        assert!(a.get("~0").is_some_and(|&q| q < CARRIED), "{a:?}");
        assert!(b.get("~0").is_some_and(|&q| q >= CARRIED), "{b:?}");
        assert!(!c.contains_key("~0"), "{c:?}");
    }

    #[test]
    fn tags_stay_whole() {
        let tok = Tokenizer::new(["三会一课"]);
        let t = terms(&tok, &doc("x", &["三会一课"], ""));
        assert!(t.contains_key("三会一课"), "{t:?}");
    }
}
