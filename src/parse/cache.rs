//! Parsed pages kept between builds (issue 19): after one edit, a warm
//! build parsed 13 900 unchanged files again (YAML, privacy guard and
//! Markdown: about a third of its CPU time). Now a file whose text is the
//! same as last time gets its front matter and rendered body back from the
//! build cache ([`crate::cache`]) instead.
//!
//! - **Key.** A page's entry is keyed by a hash of its path and text,
//!   salted with everything else that parsing reads: the code of this
//!   zhibu ([`crate::hashing::code_id`]), the site's time zone and the
//!   privacy allow list.
//! - **Neighbours.** A body's relative links ask whether files exist; the
//!   entry keeps each question with its answer
//!   ([`super::markdown::FileSet`]) and is used
//!   only while every answer is the same, so adding a photo or a page
//!   re-parses just the files whose links it touches.
//! - **Only clean files.** A file that gave any diagnostic is parsed every
//!   time (its messages are made afresh); one with control characters
//!   taken out when read, too.
//! - **Packs.** The entries are stored as [`PACKS`] records by the top bits
//!   of their keys: an edit rewrites one pack, not every page's entry, and
//!   a first build writes 32 files, not 14 000. A pack holds exactly the
//!   entries used by the last build, so it needs no pruning of its own. A
//!   pack that is missing, damaged or from another format is a miss for
//!   its pages, never an error.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use super::front::Front;
use super::markdown::Markdown;
use crate::cache::reader::Reader;
use crate::cache::{Cache, Key};
use crate::load::SourceFile;

/// Bump when what an entry holds changes meaning (the code id changes
/// with every build of zhibu anyway).
const VERSION: u32 = 1;

/// How many records the entries are spread over.
pub(crate) const PACKS: usize = 32;

/// The parts of a parse that a hit gives back, as stored.
#[derive(Serialize)]
struct StoredRef<'a> {
    asked: &'a [(String, bool)],
    front: &'a Front,
    md: &'a Markdown,
}

/// [`StoredRef`], read back (same fields, same order).
#[derive(Deserialize)]
struct Stored {
    asked: Vec<(String, bool)>,
    front: Front,
    md: Markdown,
}

/// What a hit gives back.
pub(crate) struct Kept {
    pub(crate) front: Front,
    pub(crate) md: Markdown,
}

/// The salt of every key: what parsing reads besides the file.
pub(crate) fn salt(offset_seconds: i32, allow: &[String]) -> u128 {
    let mut h = Xxh3::new();
    h.update(&crate::hashing::code_id().to_le_bytes());
    h.update(&offset_seconds.to_le_bytes());
    for a in allow {
        h.update(a.as_bytes());
        h.update(b"\0");
    }
    h.digest128()
}

/// The key of `file`'s entry; `None` when the file is never kept.
pub(crate) fn key(salt: u128, file: &SourceFile) -> Option<u128> {
    if file.removed.is_some() {
        return None;
    }
    let mut h = Xxh3::new();
    h.update(&salt.to_le_bytes());
    h.update(&(file.rel.len() as u64).to_le_bytes());
    h.update(file.rel.as_bytes());
    h.update(file.text.as_bytes());
    Some(h.digest128())
}

/// The pack an entry lives in.
pub(crate) fn pack_of(key: u128) -> usize {
    // The top five bits: 32 packs.
    (key >> 123) as usize % PACKS
}

fn pack_key(pack: usize) -> Key {
    Key::new("parsed", VERSION, &[&(pack as u32).to_le_bytes()])
}

/// One pack as read from the cache, and this build's version of it.
pub(crate) struct Pack {
    old: Vec<u8>,
    /// Entries of `old`: key → byte range of the encoded entry.
    index: rustc_hash::FxHashMap<u128, (usize, usize)>,
    /// This build's entries: key and encoded entry.
    new: Vec<(u128, Vec<u8>)>,
    /// Whether this build's pack differs from `old`.
    changed: bool,
}

impl Pack {
    /// Pack `pack` of the cache, or an empty one.
    pub(crate) fn load(cache: &Cache, pack: usize) -> Pack {
        let old = cache.get(&pack_key(pack)).unwrap_or_default();
        let index = index(&old).unwrap_or_default();
        Pack {
            changed: index.is_empty() && !old.is_empty(),
            old,
            index,
            new: Vec::new(),
        }
    }

    /// The kept parse of the file with `key`, if every question its body
    /// asked of `files` has the same answer today.
    pub(crate) fn take(&mut self, key: u128, files: &HashSet<String>) -> Option<Kept> {
        let &(start, end) = self.index.get(&key)?;
        let bytes = &self.old[start..end];
        let stored: Option<Stored> = postcard::from_bytes(bytes).ok();
        let Some(s) = stored.filter(|s| s.asked.iter().all(|(p, y)| files.contains(p) == *y))
        else {
            self.changed = true;
            return None;
        };
        self.new.push((key, bytes.to_vec()));
        Some(Kept {
            front: s.front,
            md: s.md,
        })
    }

    /// Keeps a fresh parse for the next build.
    pub(crate) fn store(
        &mut self,
        key: u128,
        asked: &[(String, bool)],
        front: &Front,
        md: &Markdown,
    ) {
        let stored = StoredRef { asked, front, md };
        if let Ok(bytes) = postcard::to_stdvec(&stored) {
            self.new.push((key, bytes));
        }
        self.changed = true;
    }

    /// Writes the pack back when it changed (an entry dropped counts).
    pub(crate) fn save(mut self, cache: &Cache, pack: usize) {
        if !self.changed && self.new.len() == self.index.len() {
            return;
        }
        // The same entries in the same order make the same bytes.
        self.new.sort_unstable_by_key(|(k, _)| *k);
        let size = self.new.iter().map(|(_, b)| 20 + b.len()).sum();
        let mut out = Vec::with_capacity(size);
        for (k, b) in &self.new {
            out.extend_from_slice(&k.to_le_bytes());
            out.extend_from_slice(&(b.len() as u32).to_le_bytes());
            out.extend_from_slice(b);
        }
        cache.put(&pack_key(pack), &out);
    }
}

/// Where each entry of a pack is; `None` when the pack is malformed.
fn index(bytes: &[u8]) -> Option<rustc_hash::FxHashMap<u128, (usize, usize)>> {
    let mut r = Reader::new(bytes);
    let mut index = rustc_hash::FxHashMap::default();
    while !r.done() {
        let key = u128::from_le_bytes(r.array()?);
        let len = r.u32()? as usize;
        let start = r.at();
        r.take(len)?;
        index.insert(key, (start, start + len));
    }
    Some(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> std::path::PathBuf {
        let d =
            std::env::temp_dir().join(format!("zhibu-parse-cache-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).expect("temp dir");
        d
    }

    fn md(html: &str) -> Markdown {
        Markdown {
            html: html.into(),
            plain: "正文".into(),
            ..Markdown::default()
        }
    }

    #[test]
    fn an_entry_comes_back_while_its_answers_hold() {
        let root = tmp("answers");
        let (cache, _) = Cache::open(&root);
        let front = Front {
            title: "党章学习".into(),
            ..Front::default()
        };
        let asked = vec![("lessons/a/p.jpg".to_string(), true)];
        let mut p = Pack::load(&cache, 3);
        p.store(7, &asked, &front, &md("<p>一</p>"));
        p.save(&cache, 3);

        let with: HashSet<String> = ["lessons/a/p.jpg".to_string()].into();
        let mut p = Pack::load(&cache, 3);
        let kept = p.take(7, &with).expect("a hit");
        assert_eq!(kept.front, front);
        assert_eq!(kept.md.html, "<p>一</p>");
        assert_eq!(&*kept.md.plain, "正文");
        assert!(p.take(8, &with).is_none(), "another key misses");

        let without = HashSet::new();
        let mut p = Pack::load(&cache, 3);
        assert!(
            p.take(7, &without).is_none(),
            "the photo is gone: parse again"
        );
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn a_damaged_pack_is_a_miss_and_is_rewritten() {
        let root = tmp("damaged");
        let (cache, _) = Cache::open(&root);
        // A record whose payload is not a pack (its checksum is right).
        cache.put(&pack_key(1), &[1, 2, 3]);
        let mut p = Pack::load(&cache, 1);
        assert!(p.take(7, &HashSet::new()).is_none());
        p.save(&cache, 1);
        assert_eq!(cache.get(&pack_key(1)), Some(Vec::new()), "rewritten empty");
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn the_key_follows_path_text_and_salt() {
        let file = |rel: &str, text: &str| SourceFile {
            path: rel.into(),
            rel: rel.into(),
            text: text.into(),
            front: 0..0,
            body: 0..0,
            front_line: 1,
            body_line: 1,
            assets: Vec::new(),
            removed: None,
        };
        let s = salt(8 * 3600, &[]);
        let a = key(s, &file("lessons/a.md", "x"));
        assert_eq!(a, key(s, &file("lessons/a.md", "x")));
        assert_ne!(a, key(s, &file("lessons/b.md", "x")));
        assert_ne!(a, key(s, &file("lessons/a.md", "y")));
        assert_ne!(a, key(salt(0, &[]), &file("lessons/a.md", "x")));
        assert_ne!(
            a,
            key(salt(8 * 3600, &["张三".into()]), &file("lessons/a.md", "x"))
        );
    }
}

#[cfg(test)]
mod round_trip {
    use super::*;
    use crate::parse::quiz::{Answer, Question, QuestionKind, Quiz};

    #[test]
    fn a_quiz_and_extra_keys_survive() {
        let mut front = Front {
            quiz: Some(Quiz {
                pass: 60,
                shuffle: true,
                questions: vec![Question {
                    kind: QuestionKind::Single,
                    question: "问".into(),
                    options: vec!["甲".into(), "乙".into()],
                    answer: Answer::Single(1),
                    explain: None,
                    line: 3,
                }],
            }),
            ..Front::default()
        };
        front
            .extra
            .insert("颜色".into(), serde_json::json!({"a": [1, 2.5, null]}));
        // A float that serde_json's default parser would round twice.
        front
            .extra
            .insert("分数".into(), serde_json::json!(21.489705265908874_f64));
        let md = Markdown::default();
        let bytes = postcard::to_stdvec(&StoredRef {
            asked: &[],
            front: &front,
            md: &md,
        })
        .expect("encodes");
        let back: Result<Stored, _> = postcard::from_bytes(&bytes);
        let back = back.expect("decodes");
        assert_eq!(back.front, front);
    }

    /// Every page of the example site (every kind, meetings, notices, plans,
    /// sign-ups and quizzes among them) comes back from an entry as parsed.
    #[test]
    fn every_page_of_the_example_site_survives() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let loaded = crate::load::load(&dir);
        let files: HashSet<String> = loaded.files.iter().map(|f| f.rel.clone()).collect();
        let allow = crate::parse::privacy::Allow::new(&[]);
        let ctx = crate::parse::ParseContext {
            offset: chrono::FixedOffset::east_opt(8 * 3600).expect("a valid offset"),
            allow: &allow,
            files: &files,
        };
        let mut n = 0;
        for f in loaded.files {
            let Some(p) = crate::parse::parse_file(f, &ctx).0 else {
                continue;
            };
            let asked = vec![("x".to_string(), false)];
            let stored = StoredRef {
                asked: &asked,
                front: &p.front,
                md: &p.md,
            };
            let bytes = postcard::to_stdvec(&stored).expect("encodes");
            let back: Stored =
                postcard::from_bytes(&bytes).unwrap_or_else(|e| panic!("{}: {e}", p.file.rel));
            assert_eq!(back.front, p.front, "{}", p.file.rel);
            assert_eq!(back.md, p.md, "{}", p.file.rel);
            assert_eq!(back.asked, asked);
            n += 1;
        }
        assert!(n > 20, "the example site has pages ({n})");
    }
}
