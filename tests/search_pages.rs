//! What of each kind of page the search index holds: a 三会一课 record's
//! meeting type, host, recorder, agenda and decisions, a notice's category
//! and contact — the text those pages show — and not the agenda of an
//! activity that is no meeting (its page does not show it). Read from the
//! written index as search.js reads it: the query's tokens, their shards,
//! their postings.

mod common;

use std::collections::BTreeMap;

use common::Site;
use zhibu::outputs::search::{encode, tokenizer};

/// The index of a compiled site: term → the paths of its pages.
struct Index {
    terms: BTreeMap<String, Vec<String>>,
}

impl Index {
    fn of(s: &Site) -> Index {
        let r = s.compile().expect("the site builds");
        let mut shards = Vec::new();
        let mut rows: BTreeMap<usize, Vec<serde_json::Value>> = BTreeMap::new();
        for f in &r.files {
            let Some(rest) = f.path.strip_prefix("search/") else {
                continue;
            };
            let text = String::from_utf8(f.read().unwrap().into_owned()).unwrap();
            let mut parts = rest.split('/').skip(1); // the version folder
            match (parts.next(), parts.next()) {
                (Some("s"), Some(_)) => shards.push(text),
                (Some("d"), Some(n)) => {
                    let n: usize = n.trim_end_matches(".json").parse().unwrap();
                    rows.insert(n, serde_json::from_str(&text).unwrap());
                }
                _ => {}
            }
        }
        let paths: Vec<String> = rows
            .into_values()
            .flatten()
            .map(|row| row[0].as_str().unwrap().to_string())
            .collect();
        let mut terms = BTreeMap::new();
        for shard in shards {
            let vocab: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&shard).unwrap();
            for (term, v) in vocab {
                // long postings live in p/ files; the fixtures' terms are short
                let Some(p) = v[1].as_str() else { continue };
                let docs = encode::decode_postings(p).unwrap();
                let pages = docs.iter().map(|d| paths[d.0 as usize].clone()).collect();
                terms.insert(term, pages);
            }
        }
        Index { terms }
    }

    /// Whether every token of `query` (as the index tokenizes it) is on `path`.
    fn finds(&self, query: &str, path: &str) -> bool {
        let tok = tokenizer::Tokenizer::new([]);
        let mut words = Vec::new();
        tok.each_indexed(&tokenizer::normalize(query), |w| words.push(w.to_string()));
        assert!(!words.is_empty(), "{query} has no tokens");
        words.iter().all(|w| {
            self.terms
                .get(w)
                .is_some_and(|pages| pages.iter().any(|p| p == path))
        })
    }
}

fn site() -> Site {
    let s = Site::new("search-pages");
    s.file(
        "content/activities/2026-03-05-zhi-wei-hui.md",
        "---\ntitle: 支部委员会（三月）\ndate: 2026-03-05 18:30\nmeeting: 支委会\nkind: 三会一课\nhost: 欧阳春晓\nrecorder: 司马秋实\nattendance: {expected: 3, present: 3, leave: 0, absent: 0}\nagenda:\n  - 研究图书馆志愿服务排班\ndecisions:\n  - 每周三下午安排两名同志值班\n---\n\n会议按议程进行。\n",
    );
    s.file(
        "content/activities/2026-03-12-guan-ying.md",
        "---\ntitle: 观看纪录片\ndate: 2026-03-12 14:00\nagenda:\n  - 讨论航天精神\n---\n\n观看后交流。\n",
    );
    s.file(
        "content/notices/gongshi.md",
        "---\ntitle: 关于拟推荐人选的公示\ncategory: 公示\nstart: 2026-11-19\nend: 2026-11-25\ncontact: 学院组织员办公室\n---\n\n公示内容。\n",
    );
    s
}

#[test]
fn a_meeting_record_is_found_by_what_its_record_shows() {
    let s = site();
    let index = Index::of(&s);
    let record = "activities/2026-03-05-zhi-wei-hui/";
    for q in [
        "支部委员会",   // the meeting type, its kind being 三会一课
        "欧阳春晓",     // the host
        "司马秋实",     // the recorder
        "志愿服务排班", // the agenda
        "值班",         // a decision
        "三会一课",     // the kind
    ] {
        assert!(index.finds(q, record), "{q} does not find the record");
    }
    assert!(
        !index.finds("航天精神", "activities/2026-03-12-guan-ying/"),
        "an agenda the page does not show is not indexed"
    );
}

#[test]
fn a_notice_is_found_by_its_category_and_contact() {
    let s = site();
    let index = Index::of(&s);
    assert!(index.finds("公示", "notices/gongshi/"));
    assert!(index.finds("组织员办公室", "notices/gongshi/"));
}
