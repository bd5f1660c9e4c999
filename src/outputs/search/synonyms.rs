//! `[search] synonyms` of site.toml: every group of words searches as one.
//!
//! Each group gets a term of its own, `~0`, `~1` …, indexed for every page
//! on which any of its words occurs (found in the normalised text, so a
//! phrase that jieba splits, such as 第二十次全国代表大会, still counts), with
//! the weight of that word's occurrences in each field. index.json lists
//! the groups; search.js finds their words in a query (longest first, as
//! here) and looks up the group's term instead.

use aho_corasick::{AhoCorasick, MatchKind};

use super::tokenizer::normalize;

pub(crate) struct Synonyms {
    /// The groups' words, normalised (as index.json lists them).
    groups: Vec<Vec<String>>,
    /// The term of each group.
    tokens: Vec<String>,
    /// Every word of every group; pattern `i` belongs to group `group_of[i]`.
    matcher: Option<AhoCorasick>,
    group_of: Vec<usize>,
}

impl Synonyms {
    /// Groups as site.toml gives them (validated there: every group has two
    /// or more words). Words that normalise to nothing are dropped.
    pub(crate) fn new(groups: &[Vec<String>]) -> Synonyms {
        let mut norm: Vec<Vec<String>> = Vec::new();
        let mut patterns = Vec::new();
        let mut group_of = Vec::new();
        for g in groups {
            let mut words: Vec<String> = g
                .iter()
                .map(|w| normalize(w.trim()))
                .filter(|w| !w.trim().is_empty())
                .collect();
            words.dedup();
            if words.is_empty() {
                continue;
            }
            for w in &words {
                patterns.push(w.clone());
                group_of.push(norm.len());
            }
            norm.push(words);
        }
        let matcher = if patterns.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&patterns)
                .ok()
        };
        Synonyms {
            tokens: (0..norm.len()).map(token).collect(),
            groups: norm,
            matcher,
            group_of,
        }
    }

    pub(crate) fn groups(&self) -> &[Vec<String>] {
        &self.groups
    }

    /// Calls `f(group term)` for each occurrence of a group's word in a
    /// normalised text, leftmost-longest and not overlapping.
    pub(crate) fn each_in<'s>(&'s self, text: &str, mut f: impl FnMut(&'s str)) {
        let Some(m) = &self.matcher else { return };
        for hit in m.find_iter(text) {
            f(&self.tokens[self.group_of[hit.pattern().as_usize()]]);
        }
    }
}

/// The index term of group `g` (search.js `"~" + g`).
fn token(g: usize) -> String {
    format!("~{g}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(g: &[&[&str]]) -> Vec<Vec<String>> {
        g.iter()
            .map(|w| w.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    fn found(s: &Synonyms, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        s.each_in(&normalize(text), |t| out.push(t.to_string()));
        out
    }

    #[test]
    fn every_word_of_a_group_gives_the_group_term() {
        let s = Synonyms::new(&groups(&[
            &["二十大", "党的二十大", "第二十次全国代表大会"],
            &["支委会", "支部委员会"],
        ]));
        assert_eq!(found(&s, "学习党的二十大精神"), ["~0"]);
        assert_eq!(found(&s, "中国共产党第二十次全国代表大会"), ["~0"]);
        assert_eq!(found(&s, "二十大报告；支部委员会会议"), ["~0", "~1"]);
        assert!(found(&s, "党的十九大").is_empty());
    }

    #[test]
    fn words_are_normalised_like_the_text() {
        let s = Synonyms::new(&groups(&[&["黨章", "中国共产党章程"], &["WeChat", "微信"]]));
        assert_eq!(s.groups()[0], ["党章", "中国共产党章程"]);
        assert_eq!(found(&s, "学习党章"), ["~0"]);
        assert_eq!(found(&s, "关注ＷＥＣＨＡＴ公众号"), ["~1"]);
    }

    #[test]
    fn no_groups_find_nothing() {
        let s = Synonyms::new(&[]);
        assert!(found(&s, "二十大").is_empty());
        assert!(s.groups().is_empty());
    }
}
