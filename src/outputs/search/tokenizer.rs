//! The search tokenizer, plugged into elasticlunr-rs as a [`Language`]:
//! jieba-rs in search mode for Chinese (so 志愿服务 also yields 志愿 and
//! 服务), Latin letters lower-cased, digits kept, member names, tags and
//! activity kinds added to jieba's dictionary so that they are never split.
//! The browser splits queries with forward maximum matching over the index's
//! own vocabulary (themes/default/static/js/search.js), which gives the same
//! words without shipping a dictionary.

use elasticlunr::Language;
use elasticlunr::pipeline::{FnWrapper, Pipeline};
use std::sync::Mutex;
use std::thread::JoinHandle;

use jieba_rs::Jieba;

use super::fold;

/// Frequent function words that only add weight to the index. The browser
/// drops the same list from queries (search.js `STOP`).
pub const STOP_WORDS: &[&str] = &[
    "的", "了", "和", "是", "在", "也", "就", "都", "而", "及", "与", "着", "或", "之", "于", "把",
    "被", "对", "让", "并", "其", "这", "那", "个", "等", "a", "an", "the", "of", "and", "or",
    "to", "in", "is",
];

/// Words of party-branch work that jieba's general dictionary splits; kept
/// whole (search mode still yields their parts, so 志愿 finds 志愿服务).
pub const DOMAIN_WORDS: &[&str] = &[
    "志愿服务",
    "三会一课",
    "主题党日",
    "组织生活会",
    "民主评议",
    "民主评议党员",
    "入党积极分子",
    "预备党员",
    "正式党员",
    "发展对象",
    "党支部",
    "党小组",
    "党小组会",
    "党员大会",
    "支部委员会",
    "支委会",
    "党课",
    "专题党课",
    "党章",
    "党史",
    "党性",
    "党纪",
    "党费",
    "入党申请书",
    "入党誓词",
    "思想汇报",
    "谈心谈话",
    "批评和自我批评",
    "红船精神",
    "井冈山精神",
    "长征精神",
    "延安精神",
    "西柏坡精神",
    "社会实践",
    "理论学习",
    "乡村振兴",
    "学雷锋",
    "民主集中制",
    "先锋模范",
    "优秀共产党员",
    "优秀党务工作者",
    "共产主义",
    "中国特色社会主义",
    "为人民服务",
    "全心全意为人民服务",
    "初心使命",
];

pub struct Tokenizer {
    jieba: Jieba,
}

/// jieba's dictionary with [`DOMAIN_WORDS`] being loaded on another
/// thread by [`warm_up`], for the next tokenizer to take.
static WARMING: Mutex<Option<JoinHandle<Jieba>>> = Mutex::new(None);

/// jieba's dictionary with [`DOMAIN_WORDS`] (about 100 ms to load).
fn base() -> Jieba {
    let mut jieba = Jieba::new();
    for w in DOMAIN_WORDS {
        add_whole(&mut jieba, w);
    }
    jieba
}

/// Starts loading jieba's dictionary on another thread, so that it is
/// ready when the index is built (a build calls this first thing). The
/// next [`Tokenizer::new`] takes it; nothing keeps a second copy.
pub fn warm_up() {
    let handle = std::thread::spawn(base);
    *WARMING.lock().unwrap_or_else(|e| e.into_inner()) = Some(handle);
}

/// Adds a word jieba must keep whole.
fn add_whole(jieba: &mut Jieba, w: &str) {
    let w = normalize(w);
    if w.chars().count() >= 2 && !w.contains(char::is_whitespace) {
        // A high frequency makes jieba prefer the whole word to its parts.
        jieba.add_word(&w, Some(100_000), None);
    }
}

impl Tokenizer {
    /// A tokenizer that keeps `words` (names, tags, kinds) whole.
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Self {
        let warming = WARMING.lock().unwrap_or_else(|e| e.into_inner()).take();
        let mut jieba = warming.and_then(|h| h.join().ok()).unwrap_or_else(base);
        for w in words {
            add_whole(&mut jieba, w);
        }
        Tokenizer { jieba }
    }

    /// Words of a text, before the pipeline: search-mode jieba tokens of the
    /// normalised text, Latin and digit runs whole.
    pub fn words(&self, text: &str) -> Vec<String> {
        let text = normalize(text);
        let mut out = Vec::new();
        self.each_word(&text, |w| out.push(w.to_string()));
        out
    }

    /// What `pipeline.run(tokenize(text))` gives, without allocating a
    /// string per token: the index writer's hot path. `text` must already
    /// be [`normalize`]d. A test keeps the two paths identical.
    pub fn each_indexed<'t>(&self, text: &'t str, mut f: impl FnMut(&'t str)) {
        self.each_word(text, |w| {
            if !is_stop_word(w) {
                f(w)
            }
        });
    }

    fn each_word<'t>(&self, text: &'t str, mut f: impl FnMut(&'t str)) {
        for t in self.jieba.cut_for_search(text, false) {
            // Most words are ideographs: no trimming or Unicode tables needed.
            if t.word.chars().next().is_some_and(is_ideograph) {
                f(t.word);
                continue;
            }
            let w = t.word.trim();
            if w.is_empty() || !w.chars().any(char::is_alphanumeric) {
                continue;
            }
            if w.is_ascii() {
                // `2024年度` arrives as `2024` and `年度`; `WES-5` as its parts.
                w.split(|c: char| !c.is_ascii_alphanumeric())
                    .filter(|s| !s.is_empty())
                    .for_each(&mut f);
            } else {
                f(w);
            }
        }
    }
}

fn is_stop_word(w: &str) -> bool {
    // Every stop word is one ideograph or a short Latin word (a test checks).
    w.len() <= 3 && STOP_WORDS.contains(&w)
}

/// CJK Unified Ideographs (alphanumeric, never whitespace).
fn is_ideograph(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}')
}

/// Full-width to half-width, lower case, traditional characters to
/// simplified ones ([`fold`]): the same in the index and in queries.
pub fn normalize(s: &str) -> String {
    let fold = fold::folder();
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c as u32 {
            0..=0x7F => out.push(c.to_ascii_lowercase()),
            0x3000 => out.push(' '),
            // CJK punctuation, kana and ideographs have no case: the bulk
            // of the text skips the Unicode case tables.
            0x3001..=0x33FF => out.push(c),
            0x3400..=0x9FFF | 0xF900..=0xFAFF => out.push(fold(c)),
            u @ 0xFF01..=0xFF5E => {
                let half = char::from_u32(u - 0xFEE0).unwrap_or(c);
                out.push(half.to_ascii_lowercase());
            }
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

fn stop_word_filter(token: String) -> Option<String> {
    (!is_stop_word(&token)).then_some(token)
}

impl Language for Tokenizer {
    fn name(&self) -> String {
        "Chinese".into()
    }

    fn code(&self) -> String {
        "zh".into()
    }

    fn tokenize(&self, text: &str) -> Vec<String> {
        self.words(text)
    }

    fn make_pipeline(&self) -> Pipeline {
        Pipeline {
            queue: vec![Box::new(FnWrapper(
                "stopWordFilter-zh".into(),
                stop_word_filter,
            ))],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(t: &Tokenizer, s: &str) -> Vec<String> {
        t.make_pipeline().run(t.tokenize(s))
    }

    #[test]
    fn normalize_fast_path_matches_the_unicode_rules() {
        // The plain definition: full-width to half-width, then Unicode
        // lower case, then traditional to simplified.
        let reference = |c: char| -> String {
            let c = match c as u32 {
                0x3000 => ' ',
                u @ 0xFF01..=0xFF5E => char::from_u32(u - 0xFEE0).unwrap_or(c),
                _ => c,
            };
            c.to_lowercase().map(fold::fold).collect()
        };
        for c in (0..0x3_0000).filter_map(char::from_u32) {
            assert_eq!(
                normalize(&c.to_string()),
                reference(c),
                "U+{:04X}",
                c as u32
            );
        }
        assert_eq!(normalize("ＷＥＳ－５　三会一课 ÄB"), "wes-5 三会一课 äb");
        assert_eq!(normalize("黨章 獻血"), "党章 献血");
    }

    #[test]
    fn search_mode_gives_parts_and_wholes() {
        let t = Tokenizer::new([]);
        let w = run(&t, "开展志愿服务和三会一课");
        for needed in ["志愿", "服务", "志愿服务", "三会一课"] {
            assert!(w.iter().any(|x| x == needed), "{needed} missing from {w:?}");
        }
        assert!(!w.iter().any(|x| x == "和"), "stop word kept: {w:?}");
    }

    #[test]
    fn names_are_never_split() {
        let t = Tokenizer::new(["林晓雨", "周子航"]);
        let w = run(&t, "林晓雨和周子航参加了活动");
        assert!(w.contains(&"林晓雨".to_string()), "{w:?}");
        assert!(w.contains(&"周子航".to_string()), "{w:?}");
    }

    #[test]
    fn latin_lowercased_digits_kept() {
        let t = Tokenizer::new([]);
        let w = run(&t, "2024年度 WeChat 民主评议");
        assert!(w.contains(&"2024".to_string()), "{w:?}");
        assert!(w.contains(&"wechat".to_string()), "{w:?}");
        assert!(w.iter().any(|x| x.contains("评议")), "{w:?}");
    }

    #[test]
    fn fast_path_equals_language_and_pipeline() {
        let t = Tokenizer::new(["林晓雨"]);
        let text = "林晓雨和同学们在2024年的WeChat直播里开展志愿服务、三会一课，ＡＢＣ！";
        let mut fast = Vec::new();
        t.each_indexed(&normalize(text), |w| fast.push(w.to_string()));
        assert_eq!(fast, run(&t, text));
    }

    #[test]
    fn stop_words_are_short_and_ideographs_alphanumeric() {
        assert!(STOP_WORDS.iter().all(|w| w.len() <= 3));
        for c in ('\u{4E00}'..='\u{9FFF}').filter(|&c| is_ideograph(c)) {
            assert!(
                c.is_alphanumeric() && !c.is_whitespace(),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn a_warmed_up_base_is_taken_once_and_words_stay_apart() {
        warm_up();
        let a = Tokenizer::new(["林晓雨"]);
        let b = Tokenizer::new([]);
        assert!(a.words("林晓雨").contains(&"林晓雨".to_string()));
        assert!(
            !b.words("林晓雨").contains(&"林晓雨".to_string()),
            "{:?}",
            b.words("林晓雨")
        );
        assert!(b.words("三会一课").contains(&"三会一课".to_string()));
    }

    #[test]
    fn full_width_is_half_width() {
        let t = Tokenizer::new([]);
        assert_eq!(run(&t, "ＡＢＣ１２３"), vec!["abc123".to_string()]);
    }
}
