//! The search index: `search/` in the output, read by search.js.
//!
//! Tokens come from our elasticlunr-rs [`Language`](elasticlunr::Language)
//! ([`tokenizer::Tokenizer`]) and its pipeline; each (term, page) pair gets
//! elasticlunr's field score — √tf ÷ √(field length) × field boost, summed
//! over title, tags, kind and body — and the browser multiplies by
//! elasticlunr's idf, 1 + ln(N ÷ (df + 1)). elasticlunr-rs's own `Index` is
//! not used to store it: it took 30 s for 10 000 pages here, and its single
//! JSON file would be far too big for phones. Instead the index is sharded:
//!
//! - `search/index.json`: page count, chunk size, stop words, popular tags;
//! - `search/s/<shard>.json`: the vocabulary of one first character, each
//!   term with its document frequency and postings (inline, or the number
//!   of a file in `search/p/` when long);
//! - `search/d/<n>.json`: title, URL, kind, date and summary of 8 pages.
//!
//! A query loads only the shards of its own characters, the postings of its
//! words and the display data of the results it shows.

pub mod encode;
pub mod tokenizer;

use std::collections::BTreeMap;
#[cfg(test)]
use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::files::OutputFile;
use crate::model::Site;
use crate::parse::Kind;
use crate::slug;
use tokenizer::{STOP_WORDS, Tokenizer};

/// `(page id, quantized weight)` pairs, ascending by page.
type Postings = Vec<(u32, u8)>;

/// Pages per display-data file.
pub const CHUNK: usize = 8;
/// Postings longer than this (in characters) get a file of their own.
const INLINE_MAX: usize = 400;

const BOOST_TITLE: f64 = 3.0;
const BOOST_TAGS: f64 = 2.0;
const BOOST_KIND: f64 = 2.0;
const BOOST_BODY: f64 = 1.0;

/// One searchable page.
#[derive(Clone, Debug, Hash)]
pub struct Doc {
    /// Site path, `lessons/a/`.
    pub path: String,
    pub title: String,
    pub kind: String,
    pub date: String,
    pub summary: String,
    pub tags: Vec<String>,
    /// The page's text, shared with the site model.
    pub body: Arc<str>,
    /// Text beyond the body (a member's role and honors, a place), each
    /// part after a newline.
    pub extra: String,
}

/// Every published page except drafts (never indexed, even with --drafts),
/// plus the courses.
pub fn docs(site: &Site) -> Vec<Doc> {
    let mut out: Vec<Doc> = site
        .pages
        .iter()
        .filter(|p| !p.draft)
        .map(|p| {
            let kind = match (p.kind, p.activity.as_ref().and_then(|a| a.kind.clone())) {
                (Kind::Activity, Some(k)) => k,
                (k, _) => k.label().to_string(),
            };
            let mut extra = String::new();
            if let Some(m) = &p.member {
                for e in [&m.role, &m.class, &m.motto].into_iter().flatten() {
                    extra.push('\n');
                    extra.push_str(e);
                }
                for h in &m.honors {
                    extra.push('\n');
                    extra.push_str(h);
                }
            }
            if let Some(a) = &p.activity
                && let Some(l) = &a.location
            {
                extra.push('\n');
                extra.push_str(l);
            }
            if p.kind == Kind::Notice {
                // 公示 / 通知 / 公开 find the notices of that category.
                extra.push('\n');
                extra.push_str(p.src.front.notice.category.label());
            }
            Doc {
                path: p.path.clone(),
                title: p.title.clone(),
                kind,
                date: p
                    .date
                    .map(|d| d.at.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
                summary: p.summary.clone(),
                tags: p.tags.clone(),
                body: p.src.md.plain.clone(),
                extra,
            }
        })
        .collect();
    for c in &site.courses {
        out.push(Doc {
            path: c.path.clone(),
            title: c.name.clone(),
            kind: Kind::Course.label().to_string(),
            date: String::new(),
            summary: c.summary.clone(),
            tags: Vec::new(),
            body: c
                .description
                .as_ref()
                .map(|d| d.summary.as_str())
                .unwrap_or_default()
                .into(),
            extra: String::new(),
        });
    }
    out
}

/// Words that must stay whole: member names, tags, activity kinds, course names.
pub fn dictionary(site: &Site) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for p in &site.pages {
        if p.kind == Kind::Member {
            words.push(p.title.clone());
        }
        words.extend(p.tags.iter().cloned());
        if let Some(k) = p.activity.as_ref().and_then(|a| a.kind.clone()) {
            words.push(k);
        }
    }
    words.extend(site.courses.iter().map(|c| c.name.clone()));
    words.sort();
    words.dedup();
    words
}

/// Title tokens beyond its words: single characters (for one-character
/// queries) and toneless pinyin (`dangzhang` finds 党章学习), whole and per word.
fn title_extras(tok: &Tokenizer, title: &str, out: &mut Vec<String>) {
    let norm = tokenizer::normalize(title);
    tok.each_indexed(&norm, |w| {
        if !w.is_ascii() {
            let py = slug::pinyin_compact(w);
            if !py.is_empty() {
                out.push(py);
            }
        }
    });
    let whole = slug::pinyin_compact(title);
    if !whole.is_empty() {
        out.push(whole);
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

/// (term, weight) for one page: elasticlunr's field score
/// (√tf ÷ √field length × boost), summed over the fields.
#[cfg(test)]
fn doc_terms(tok: &Tokenizer, d: &Doc) -> Vec<(String, u8)> {
    let mut out = Vec::new();
    each_doc_term(tok, d, |t, q| out.push((t.to_string(), q)));
    out.sort();
    out
}

/// Calls `emit(term, weight)` once for every term of a page, in no
/// particular order; the weight is elasticlunr's field score (√tf ÷
/// √field length × boost) summed over the fields, quantized.
fn each_doc_term(tok: &Tokenizer, d: &Doc, mut emit: impl FnMut(&str, u8)) {
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

    const BOOST: [f64; 4] = [BOOST_TITLE, BOOST_TAGS, BOOST_KIND, BOOST_BODY];
    let norm: [f64; 4] = std::array::from_fn(|f| {
        if len[f] == 0 {
            0.0
        } else {
            BOOST[f] / f64::from(len[f]).sqrt()
        }
    });
    for (term, n) in counts {
        if term.is_empty() {
            continue;
        }
        let score: f64 = (0..4).map(|f| f64::from(n[f]).sqrt() * norm[f]).sum();
        emit(term, encode::quantize(score));
    }
}

#[derive(Serialize)]
struct IndexInfo<'a> {
    v: u32,
    n: usize,
    chunk: usize,
    stop: &'a [&'a str],
    tags: Vec<String>,
    /// First characters that have a shard, so the browser never asks for
    /// one that does not exist.
    chars: String,
    /// Shards of Latin letters and digits (`da`, `20` …).
    latin: Vec<String>,
}

/// What the index is built from, taken out of the site so that it can be
/// built on another thread while the site changes (`serve`).
#[derive(Clone, Debug, Hash)]
pub struct Input {
    pub docs: Vec<Doc>,
    pub dictionary: Vec<String>,
    /// Popular tags, suggested when nothing is found.
    pub tags: Vec<String>,
}

impl Input {
    pub fn of(site: &Site) -> Input {
        Input {
            docs: docs(site),
            dictionary: dictionary(site),
            tags: site.tags.iter().take(10).map(|t| t.name.clone()).collect(),
        }
    }

    /// A name for the index this input makes (10 hex digits): a hash of
    /// the input and of the code that builds the index, so that a
    /// published index folder never changes under its name.
    pub fn version(&self) -> String {
        use std::hash::{Hash, Hasher};
        let docs: Vec<u64> = self
            .docs
            .par_iter()
            .map(|d| {
                let mut h = std::hash::DefaultHasher::new();
                d.hash(&mut h);
                h.finish()
            })
            .collect();
        let mut h = std::hash::DefaultHasher::new();
        docs.hash(&mut h);
        self.dictionary.hash(&mut h);
        self.tags.hash(&mut h);
        env!("ZHIBU_SEARCH_CODE").hash(&mut h);
        env!("CARGO_PKG_VERSION").hash(&mut h);
        format!("{:016x}", h.finish())[..10].to_string()
    }

    /// Tokenizes and writes the index, calling `wait` before each page
    /// (`serve` holds the index there while it rebuilds pages, so that an
    /// index being built in the background never slows down a reload).
    pub fn build(&self, wait: &(dyn Fn() + Sync)) -> Vec<OutputFile> {
        wait();
        let tok = Tokenizer::new(self.dictionary.iter().map(String::as_str));
        wait();
        build_docs(&self.docs, &self.tags, &tok, wait)
    }
}

/// Builds every file of the index.
pub fn build(site: &Site, tok: &Tokenizer) -> Vec<OutputFile> {
    let tags: Vec<String> = site.tags.iter().take(10).map(|t| t.name.clone()).collect();
    build_docs(&docs(site), &tags, tok, &|| {})
}

fn build_docs(
    docs: &[Doc],
    tags: &[String],
    tok: &Tokenizer,
    wait: &(dyn Fn() + Sync),
) -> Vec<OutputFile> {
    // term -> postings, built per thread and merged in document order.
    let postings: FxHashMap<String, Postings> = docs
        .par_iter()
        .enumerate()
        .fold(
            FxHashMap::default,
            |mut m: FxHashMap<String, Postings>, (i, d)| {
                wait();
                each_doc_term(tok, d, |t, q| match m.get_mut(t) {
                    Some(list) => list.push((i as u32, q)),
                    None => {
                        m.insert(t.to_string(), vec![(i as u32, q)]);
                    }
                });
                m
            },
        )
        .reduce(FxHashMap::default, |mut a, b| {
            wait();
            for (t, mut list) in b {
                a.entry(t).or_default().append(&mut list);
            }
            a
        });
    let mut shards: BTreeMap<String, Vec<(String, Postings)>> = BTreeMap::new();
    for (n, (term, mut list)) in postings.into_iter().enumerate() {
        if n % 4096 == 0 {
            wait();
        }
        list.sort_unstable();
        shards
            .entry(encode::shard_of(&term))
            .or_default()
            .push((term, list));
    }
    let mut chars = String::new();
    let mut latin = Vec::new();
    for key in shards.keys() {
        if let Some(l) = key.strip_prefix("a-") {
            latin.push(l.to_string());
        } else if let Some(c) = u32::from_str_radix(key, 16).ok().and_then(char::from_u32) {
            chars.push(c);
        }
    }
    let mut out: Vec<OutputFile> = shards
        .into_par_iter()
        .flat_map_iter(|(key, mut terms)| {
            wait();
            terms.sort_by(|a, b| a.0.cmp(&b.0));
            let mut files = Vec::new();
            let mut vocab = serde_json::Map::new();
            for (term, list) in terms {
                let encoded = encode::postings(&list);
                let value = if encoded.len() > INLINE_MAX {
                    let n = files.len();
                    files.push(OutputFile::bytes(
                        format!("search/p/{key}-{n}.txt"),
                        encoded.into_bytes(),
                    ));
                    serde_json::json!([list.len(), n])
                } else {
                    serde_json::json!([list.len(), encoded])
                };
                vocab.insert(term, value);
            }
            let json = serde_json::to_string(&vocab).unwrap_or_default();
            files.push(OutputFile::bytes(
                format!("search/s/{key}.json"),
                json.into_bytes(),
            ));
            files
        })
        .collect();
    for (n, chunk) in docs.chunks(CHUNK).enumerate() {
        let rows: Vec<serde_json::Value> = chunk
            .iter()
            .map(|d| {
                serde_json::json!([
                    d.path,
                    d.title,
                    d.kind,
                    d.date,
                    crate::parse::markdown::excerpt(&d.summary, 100)
                ])
            })
            .collect();
        out.push(OutputFile::bytes(
            format!("search/d/{n}.json"),
            serde_json::to_string(&rows)
                .unwrap_or_default()
                .into_bytes(),
        ));
    }
    let info = IndexInfo {
        v: 1,
        n: docs.len(),
        chunk: CHUNK,
        stop: STOP_WORDS,
        tags: tags.to_vec(),
        chars,
        latin,
    };
    out.push(OutputFile::bytes(
        "search/index.json",
        serde_json::to_string(&info)
            .unwrap_or_default()
            .into_bytes(),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn title_words_outweigh_body_words() {
        let tok = Tokenizer::new(["志愿服务"]);
        let a: HashMap<String, u8> = doc_terms(&tok, &doc("志愿服务总结", &[], "今天天气很好。"))
            .into_iter()
            .collect();
        let b: HashMap<String, u8> =
            doc_terms(&tok, &doc("天气", &[], "今天我们去做志愿服务，很有意义。"))
                .into_iter()
                .collect();
        assert!(
            a["志愿服务"] > b["志愿服务"],
            "{} vs {}",
            a["志愿服务"],
            b["志愿服务"]
        );
    }

    #[test]
    fn pinyin_and_single_characters_of_titles() {
        let tok = Tokenizer::new([]);
        let t: Vec<String> = doc_terms(&tok, &doc("党章学习", &[], ""))
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        for needed in ["dangzhangxuexi", "dangzhang", "党", "章", "党章"] {
            assert!(
                t.contains(&needed.to_string()),
                "{needed} missing from {t:?}"
            );
        }
    }

    #[test]
    fn tags_stay_whole() {
        let tok = Tokenizer::new(["三会一课"]);
        let t: Vec<String> = doc_terms(&tok, &doc("x", &["三会一课"], ""))
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        assert!(t.contains(&"三会一课".to_string()), "{t:?}");
    }
}
