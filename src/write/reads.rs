//! What each file of an output folder read when the last build made it
//! from a template (issue 19), kept in the build cache beside the folder's
//! [manifest](super::manifest): its reads, their digest and its key
//! ([`Prior`]). The next build digests the same reads in its own model
//! (`render::digest`) and keeps a file whose digest did not change without
//! making its context — which is most of a warm build's work otherwise.
//! Every build records afresh what it made or kept; a record that does
//! not decode is no record (everything is worked out as without it).

use std::path::Path;
use std::sync::Mutex;

use rustc_hash::FxHashMap;

use crate::cache::reader::Reader;
use crate::cache::{Cache, Key};
use crate::deps::Dep;
use crate::produce::{Prior, Recall};

/// Bump when the record's layout or meaning changes.
const VERSION: u32 = 1;

/// The last build's reads, and this build's as they are recorded.
#[derive(Default)]
pub(crate) struct Recorded {
    prior: FxHashMap<String, Prior>,
    next: Mutex<Vec<(String, Prior)>>,
}

fn key(output: &Path) -> Key {
    let abs = super::absolute(output);
    Key::new("reads", VERSION, &[abs.as_os_str().as_encoded_bytes()])
}

impl Recorded {
    /// The reads recorded for `output` (none when the cache has no record
    /// that decodes).
    pub(crate) fn load(cache: &Cache, output: &Path) -> Recorded {
        let prior = cache
            .get(&key(output))
            .and_then(|b| decode(&b))
            .unwrap_or_default();
        Recorded {
            prior,
            next: Mutex::new(Vec::new()),
        }
    }

    /// Records a file made without reads of its own (the search index's),
    /// by its id; its digest names the code that made it.
    pub(crate) fn remember_file(&self, path: &str, id: u128) {
        let prior = Prior {
            digest: crate::hashing::code_id(),
            key: id,
            deps: Box::new([]),
        };
        self.record(path, prior);
    }

    /// Stores this build's reads for the next one (a failed write only
    /// costs time).
    pub(crate) fn save(self, cache: &Cache, output: &Path) {
        let next = self.next.into_inner().unwrap_or_else(|e| e.into_inner());
        cache.put(&key(output), &encode(next));
    }
}

impl Recall for Recorded {
    fn prior(&self, path: &str) -> Option<&Prior> {
        self.prior.get(path)
    }

    fn under(&self, dir: &str) -> Vec<(&str, &Prior)> {
        self.prior
            .iter()
            .filter(|(p, _)| p.starts_with(dir))
            .map(|(p, r)| (p.as_str(), r))
            .collect()
    }

    fn record(&self, path: &str, prior: Prior) {
        self.next
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path.to_string(), prior));
    }
}

fn encode(mut all: Vec<(String, Prior)>) -> Vec<u8> {
    all.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let size: usize = all
        .iter()
        .map(|(p, r)| p.len() + 40 + r.deps.len() * 13)
        .sum();
    let mut out = Vec::with_capacity(size + 4);
    out.extend_from_slice(&(all.len() as u32).to_le_bytes());
    for (path, r) in &all {
        out.extend_from_slice(&(path.len() as u32).to_le_bytes());
        out.extend_from_slice(path.as_bytes());
        out.extend_from_slice(&r.digest.to_le_bytes());
        out.extend_from_slice(&r.key.to_le_bytes());
        out.extend_from_slice(&(r.deps.len() as u32).to_le_bytes());
        for d in &r.deps {
            let (t, a, n) = d.code();
            out.push(t);
            out.extend_from_slice(&a.to_le_bytes());
            out.extend_from_slice(&n.to_le_bytes());
        }
    }
    out
}

fn decode(bytes: &[u8]) -> Option<FxHashMap<String, Prior>> {
    let mut r = Reader::new(bytes);
    let n = r.u32()? as usize;
    // Never trust a count from disk for an allocation.
    let mut all = FxHashMap::with_capacity_and_hasher(n.min(1 << 20), Default::default());
    for _ in 0..n {
        let path = r.str()?;
        let digest = u128::from_le_bytes(r.array()?);
        let key = u128::from_le_bytes(r.array()?);
        let count = r.u32()? as usize;
        let mut deps = Vec::with_capacity(count.min(1 << 16));
        for _ in 0..count {
            let [t] = r.array()?;
            let a = u64::from_le_bytes(r.array()?);
            let n = r.u32()?;
            deps.push(Dep::from_code(t, a, n)?);
        }
        let deps = deps.into_boxed_slice();
        all.insert(path, Prior { digest, key, deps });
    }
    r.done().then_some(all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deps::List;

    fn prior(d: u128, deps: &[Dep]) -> Prior {
        Prior {
            digest: d,
            key: d + 1,
            deps: deps.into(),
        }
    }

    #[test]
    fn reads_back_what_it_wrote_and_nothing_from_a_damaged_record() {
        let all = vec![
            (
                "lessons/a/index.html".to_string(),
                prior(
                    7,
                    &[
                        Dep::Page(3),
                        Dep::Head(List::Past, 5),
                        Dep::LedgerYear(2025),
                    ],
                ),
            ),
            ("index.html".to_string(), prior(9, &[])),
        ];
        let bytes = encode(all.clone());
        let back = decode(&bytes).expect("decodes");
        assert_eq!(back.len(), 2);
        for (path, p) in &all {
            assert_eq!(back.get(path), Some(p));
        }
        for cut in [1, 10, bytes.len() - 1] {
            assert!(decode(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        let mut bad = bytes.clone();
        // the first dep's tag of the second entry (sorted: index.html has
        // none, so this is lessons/a's first dep)
        let at = bytes.len() - 3 * 13;
        bad[at] = 99;
        assert!(decode(&bad).is_none());
        let mut longer = bytes;
        longer.push(0);
        assert!(decode(&longer).is_none());
    }
}
