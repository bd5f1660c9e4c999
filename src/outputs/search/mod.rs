//! The search index: `search/` in the output, read by search.js.
//!
//! Tokens come from our elasticlunr-rs [`Language`](elasticlunr::Language)
//! ([`tokenizer::Tokenizer`]) and its pipeline; each (term, page) pair gets
//! elasticlunr's field score ([`terms`]) and the browser multiplies by
//! elasticlunr's idf, 1 + ln(N ÷ (df + 1)). elasticlunr-rs's own `Index` is
//! not used to store it: it took 30 s for 10 000 pages here, and its single
//! JSON file would be far too big for phones. Instead the index is sharded:
//!
//! - `search/index.json`: page count, chunk size, stop words, popular tags,
//!   synonym groups, which shards and fold tables exist;
//! - `search/s/<shard>.json`: the vocabulary of one first character, each
//!   term with its document frequency and postings (inline, or the number
//!   of a file in `search/p/` when long);
//! - `search/t/<n>.json`: traditional → simplified pairs ([`fold`]);
//! - `search/d/<n>.json`: title, URL, kind, date and summary of 8 pages.
//!
//! A query loads only the shards of its own characters, the postings of its
//! words and the display data of the results it shows.

pub mod docs;
pub mod encode;
pub(crate) mod fold;
pub(crate) mod synonyms;
pub(crate) mod term_cache;
pub(crate) mod terms;
pub mod tokenizer;

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

pub use docs::{Doc, dictionary, docs};

use crate::files::OutputFile;
use crate::model::Site;
use synonyms::Synonyms;
pub(crate) use term_cache::TermCache;
use tokenizer::{STOP_WORDS, Tokenizer};

/// `(page id, quantized weight)` pairs, ascending by page.
type Postings = Vec<(u32, u8)>;

/// Pages per display-data file.
pub const CHUNK: usize = 8;
/// Postings longer than this (in characters) get a file of their own.
const INLINE_MAX: usize = 400;

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
    /// Synonym groups, normalised; group `g` is the term `~g`.
    syn: &'a [Vec<String>],
    /// Which fold-table files exist: bit `n` for `search/t/<n>.json`.
    fold: u32,
}

/// What the index is built from, taken out of the site so that it can be
/// built on another thread while the site changes (`serve`).
#[derive(Clone, Debug, Hash)]
pub struct Input {
    pub docs: Vec<Doc>,
    pub dictionary: Vec<String>,
    /// Popular tags, suggested when nothing is found.
    pub tags: Vec<String>,
    /// `[search] synonyms` of site.toml.
    pub synonyms: Vec<Vec<String>>,
}

impl Input {
    pub fn of(site: &Site) -> Input {
        Input {
            docs: docs(site),
            dictionary: dictionary(site),
            tags: popular_tags(site),
            synonyms: site.config.search.synonyms.clone(),
        }
    }

    /// A name for the index this input makes (10 hex digits): a hash of
    /// everything the written index depends on — the documents, the
    /// dictionary, the popular tags, the synonym groups — and of the code
    /// that builds it, so that a published index folder never changes
    /// under its name.
    pub fn version(&self) -> String {
        use std::hash::{Hash, Hasher};
        // Destructured so that a new field cannot be left out of the hash.
        let Input {
            docs,
            dictionary,
            tags,
            synonyms,
        } = self;
        let docs: Vec<u64> = docs
            .par_iter()
            .map(|d| {
                let mut h = std::hash::DefaultHasher::new();
                d.hash(&mut h);
                h.finish()
            })
            .collect();
        let mut h = std::hash::DefaultHasher::new();
        docs.hash(&mut h);
        dictionary.hash(&mut h);
        tags.hash(&mut h);
        synonyms.hash(&mut h);
        env!("ZHIBU_SEARCH_CODE").hash(&mut h);
        env!("CARGO_PKG_VERSION").hash(&mut h);
        format!("{:016x}", h.finish())[..10].to_string()
    }

    /// Tokenizes and writes the index, calling `wait` before each page
    /// (`serve` holds the index there while it rebuilds pages, so that an
    /// index being built in the background never slows down a reload).
    pub fn build(&self, wait: &(dyn Fn() + Sync)) -> Vec<OutputFile> {
        self.build_cached(wait, &TermCache::empty())
    }

    /// [`Input::build`], taking each page's terms from `terms` when it has
    /// them (jieba's dictionary is not even loaded when every page is there).
    pub(crate) fn build_cached(
        &self,
        wait: &(dyn Fn() + Sync),
        terms: &TermCache,
    ) -> Vec<OutputFile> {
        wait();
        let tok = std::sync::OnceLock::new();
        let tok = || tok.get_or_init(|| Tokenizer::new(self.dictionary.iter().map(String::as_str)));
        wait();
        let syn = Synonyms::new(&self.synonyms);
        build_docs(&self.docs, &self.tags, &tok, &syn, wait, terms)
    }

    /// What, besides a page's own text, changes its terms (the salt of
    /// [`TermCache`]).
    pub(crate) fn terms_salt(&self) -> u128 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for w in &self.dictionary {
            h.update(&(w.len() as u64).to_le_bytes());
            h.update(w.as_bytes());
        }
        h.update(b"\0synonyms");
        for g in &self.synonyms {
            h.update(&(g.len() as u64).to_le_bytes());
            for w in g {
                h.update(&(w.len() as u64).to_le_bytes());
                h.update(w.as_bytes());
            }
        }
        h.update(env!("ZHIBU_SEARCH_CODE").as_bytes());
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.digest128()
    }
}

fn popular_tags(site: &Site) -> Vec<String> {
    site.tags.iter().take(10).map(|t| t.name.clone()).collect()
}

/// Builds every file of the index.
pub fn build(site: &Site, tok: &Tokenizer) -> Vec<OutputFile> {
    let syn = Synonyms::new(&site.config.search.synonyms);
    build_docs(
        &docs(site),
        &popular_tags(site),
        &|| tok,
        &syn,
        &|| {},
        &TermCache::empty(),
    )
}

/// Every file of the index of `docs` (pages' terms replayed from `cached`
/// where it has them; `wait` lets `serve` pause the work between steps).
fn build_docs<'t>(
    docs: &[Doc],
    tags: &[String],
    tok: &(dyn Fn() -> &'t Tokenizer + Sync),
    syn: &Synonyms,
    wait: &(dyn Fn() + Sync),
    cached: &TermCache,
) -> Vec<OutputFile> {
    let shards = shards(postings(docs, tok, syn, wait, cached), wait);
    let mut out = fold_files(&shards);
    let mut chars = String::new();
    let mut latin = Vec::new();
    for key in shards.keys() {
        if let Some(l) = key.strip_prefix("a-") {
            latin.push(l.to_string());
        } else if let Some(c) = u32::from_str_radix(key, 16).ok().and_then(char::from_u32) {
            chars.push(c);
        }
    }
    let fold = out.iter().fold(0u32, |bits, f| {
        let n = f
            .path
            .trim_start_matches("search/t/")
            .trim_end_matches(".json");
        bits | n.parse::<u32>().map_or(0, |n| 1 << n)
    });
    out.par_extend(shards.into_par_iter().flat_map_iter(|(key, terms)| {
        wait();
        shard_files(&key, terms)
    }));
    out.extend(doc_files(docs));
    let info = IndexInfo {
        v: 1,
        n: docs.len(),
        chunk: CHUNK,
        stop: STOP_WORDS,
        tags: tags.to_vec(),
        chars,
        latin,
        syn: syn.groups(),
        fold,
    };
    out.push(OutputFile::bytes(
        "search/index.json",
        serde_json::to_string(&info)
            .unwrap_or_default()
            .into_bytes(),
    ));
    out
}

/// Term → postings, built per thread and merged in document order.
fn postings<'t>(
    docs: &[Doc],
    tok: &(dyn Fn() -> &'t Tokenizer + Sync),
    syn: &Synonyms,
    wait: &(dyn Fn() + Sync),
    cached: &TermCache,
) -> FxHashMap<String, Postings> {
    docs.par_iter()
        .enumerate()
        .fold(
            FxHashMap::default,
            |mut m: FxHashMap<String, Postings>, (i, d)| {
                wait();
                let mut add = |t: &str, q: u8| match m.get_mut(t) {
                    Some(list) => list.push((i as u32, q)),
                    None => {
                        m.insert(t.to_string(), vec![(i as u32, q)]);
                    }
                };
                let key = cached.key(d);
                if !cached.replay(i, key, &mut add) {
                    let mut entry = cached.entry();
                    terms::each_doc_term(tok(), syn, d, |t, q| {
                        add(t, q);
                        if let Some(e) = &mut entry {
                            e.push(t, q);
                        }
                    });
                    if let Some(e) = entry {
                        cached.store(i, key, e);
                    }
                }
                m
            },
        )
        .reduce(FxHashMap::default, |mut a, b| {
            wait();
            for (t, mut list) in b {
                a.entry(t).or_default().append(&mut list);
            }
            a
        })
}

/// Terms grouped by shard (their first character), postings sorted.
fn shards(
    postings: FxHashMap<String, Postings>,
    wait: &(dyn Fn() + Sync),
) -> BTreeMap<String, Vec<(String, Postings)>> {
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
    shards
}

/// `search/s/<key>.json`, the vocabulary of one shard, and the files in
/// `search/p/` of its long postings.
fn shard_files(key: &str, mut terms: Vec<(String, Postings)>) -> Vec<OutputFile> {
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
}

/// `search/d/<n>.json`: what a result shows of [`CHUNK`] pages.
fn doc_files(docs: &[Doc]) -> impl Iterator<Item = OutputFile> + '_ {
    docs.chunks(CHUNK).enumerate().map(|(n, chunk)| {
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
        OutputFile::bytes(
            format!("search/d/{n}.json"),
            serde_json::to_string(&rows)
                .unwrap_or_default()
                .into_bytes(),
        )
    })
}

/// The fold tables for the characters of the index's words.
fn fold_files(shards: &BTreeMap<String, Vec<(String, Postings)>>) -> Vec<OutputFile> {
    let mut held: rustc_hash::FxHashSet<char> = Default::default();
    for terms in shards.values() {
        for (t, _) in terms {
            held.extend(t.chars().filter(|&c| u32::from(c) >= 0x3400));
        }
    }
    fold::bucket_files(|c| held.contains(&c))
        .into_iter()
        .map(|(n, pairs)| {
            let json = serde_json::to_string(&pairs).unwrap_or_default();
            OutputFile::bytes(format!("search/t/{n}.json"), json.into_bytes())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(path: &str, title: &str, tags: &[&str], body: &str) -> Doc {
        Doc {
            path: path.into(),
            title: title.into(),
            kind: "支部活动".into(),
            date: String::new(),
            summary: String::new(),
            tags: tags.iter().map(|s| s.to_string()).collect(),
            body: body.into(),
            extra: String::new(),
        }
    }

    fn file<'a>(files: &'a [OutputFile], path: &str) -> &'a str {
        let f = files.iter().find(|f| f.path == path);
        match f.map(|f| &f.data) {
            Some(crate::files::Data::Bytes(b)) => std::str::from_utf8(b).unwrap(),
            _ => panic!("{path} missing"),
        }
    }

    #[test]
    fn the_version_changes_with_the_synonyms_alone() {
        let input = |synonyms: Vec<Vec<String>>| Input {
            docs: vec![doc("a/", "党章学习", &["党章"], "学习党的二十大精神")],
            dictionary: vec!["党章".into()],
            tags: vec!["党章".into()],
            synonyms,
        };
        let none = input(Vec::new());
        let one = input(vec![vec!["二十大".into(), "党的二十大".into()]]);
        let other = input(vec![vec!["二十大".into(), "第二十次全国代表大会".into()]]);
        assert_eq!(none.version(), input(Vec::new()).version());
        assert_eq!(none.version().len(), 10);
        assert_ne!(none.version(), one.version());
        assert_ne!(one.version(), other.version());
        // and the written index does differ, so the folder name must
        let index = |i: &Input| {
            let files = i.build(&|| {});
            file(&files, "search/index.json").to_string()
        };
        assert_ne!(index(&none), index(&one));
    }

    #[test]
    fn the_index_holds_fold_tables_synonyms_and_carried_weights() {
        let docs = [
            doc("a/", "黨章學習", &[], "無償獻血"),
            doc("b/", "天气", &[], "学习党章，学习第二十次全国代表大会精神"),
        ];
        let tok = Tokenizer::new([]);
        let syn = Synonyms::new(&[vec!["二十大".into(), "第二十次全国代表大会".into()]]);
        let files = build_docs(&docs, &[], &|| &tok, &syn, &|| {}, &TermCache::empty());
        let info: serde_json::Value =
            serde_json::from_str(file(&files, "search/index.json")).unwrap();
        assert_eq!(info["syn"][0][0], "二十大");
        // 党 is held (folded from 黨), so 黨 → 党 is in its fold table
        let n = '黨' as u32 % fold::BUCKETS;
        assert!(info["fold"].as_u64().unwrap() & (1 << n) != 0, "{info}");
        assert!(file(&files, &format!("search/t/{n}.json")).contains("黨党"));
        assert!(!info["chars"].as_str().unwrap().contains('黨'), "{info}");
        // the group term, on page b only
        let shard: serde_json::Value =
            serde_json::from_str(file(&files, "search/s/7e.json")).unwrap();
        let group = encode::decode_postings(shard["~0"][1].as_str().unwrap()).unwrap();
        assert_eq!(group.iter().map(|p| p.0).collect::<Vec<_>>(), [1]);
        // 党章: carried on page a (its title), passing on page b
        let shard: serde_json::Value =
            serde_json::from_str(file(&files, "search/s/515a.json")).unwrap();
        let p = encode::decode_postings(shard["党章"][1].as_str().unwrap()).unwrap();
        assert!(p[0].1 >= terms::CARRIED && p[1].1 < terms::CARRIED, "{p:?}");
    }
}
