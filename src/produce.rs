//! Making outputs: the one step that `build` runs for every route of a
//! site and `serve` for the routes an edit touched. Each route becomes one
//! file, handed to a sink together with what it read ([`Made`]); routes
//! are independent, so they are made in parallel.

use rayon::prelude::*;

use crate::deps::{Dep, List, Reads};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::files::{Data, OutputFile};
use crate::model::Site;
use crate::outputs::{calendar, ledger_csv};
use crate::qr;
use crate::render::Cx;
use crate::render::digest::{self, Digests};
use crate::render::views::{Memo, Views};
use crate::routes::{self, Route};
use crate::session::Session;

/// One output and what it read while it was made.
pub(crate) struct Made {
    /// The route it was made for (the search index's files have none).
    pub(crate) route: Option<Route>,
    pub(crate) file: OutputFile,
    pub(crate) deps: Box<[Dep]>,
    /// A hash of what it was made from, when it has one ([`Reuse`]).
    pub(crate) key: Option<u128>,
}

/// What the output folder already holds, for `build`: a route whose key
/// (a hash of everything it is made from: template, context, site value,
/// zhibu's code) is that of the file already there is not made again.
pub(crate) trait Reuse: Sync {
    /// True when the file at `path` was made from `key` and is intact;
    /// the writer then keeps it as it is.
    fn keep(&self, path: &str, key: u128) -> bool;

    /// False when no file can be kept (a fresh output folder): then the
    /// last build's reads are not even digested.
    fn holds_any(&self) -> bool {
        true
    }

    /// Whether [`Reuse::keep`] would keep the file (and nothing is kept).
    fn holds(&self, path: &str, key: u128) -> bool;
}

/// What a file read when the last build made it from a template: its
/// reads, their digest in that build's model (`render::digest`) and the
/// key it was made from.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Prior {
    pub(crate) digest: u128,
    pub(crate) key: u128,
    pub(crate) deps: Box<[Dep]>,
}

/// The reads of the last build, for `build` with the cache: a template
/// route whose reads digest as they did is kept without even making its
/// context. Every template route made or kept is recorded for the next
/// build.
pub(crate) trait Recall: Sync {
    fn prior(&self, path: &str) -> Option<&Prior>;
    /// Every file the last build recorded under the folder `dir` (ending
    /// in `/`).
    fn under(&self, dir: &str) -> Vec<(&str, &Prior)>;
    fn record(&self, path: &str, prior: Prior);
}

impl Made {
    /// A file of the search index (made apart from the routes, from the
    /// index's own input).
    pub(crate) fn search(file: OutputFile) -> Made {
        Made {
            route: None,
            file,
            deps: Box::new([]),
            key: None,
        }
    }
}

/// Where the sink puts a made output (`build` writes it to the staging
/// folder at once; `serve` keeps it in memory).
pub(crate) type Sink<'a> = &'a (dyn Fn(Made) -> Result<(), Diagnostic> + Sync);

/// The output folder as the last build left it, for `build` with the
/// cache: which files are in place and what each read.
#[derive(Clone, Copy)]
pub(crate) struct Warm<'a> {
    pub(crate) outputs: &'a dyn Reuse,
    pub(crate) reads: &'a dyn Recall,
}

impl Warm<'_> {
    /// Keeps every file the last build recorded under `dir` when all of
    /// them are in place as recorded and were made by this zhibu, and
    /// records them again; false, and nothing kept, otherwise. For the
    /// search index, whose folder is named after everything it is made
    /// from: the same folder, the same files.
    pub(crate) fn keep_all_under(&self, dir: &str) -> bool {
        let files = self.reads.under(dir);
        let code = crate::hashing::code_id();
        let intact =
            |(p, prior): &(&str, &Prior)| prior.digest == code && self.outputs.holds(p, prior.key);
        if files.is_empty() || !files.iter().all(intact) {
            return false;
        }
        for (path, prior) in files {
            self.outputs.keep(path, prior.key);
            self.reads.record(path, prior.clone());
        }
        true
    }
}

/// Makes the outputs of `todo` for `site` and hands each to `sink`.
/// `memo` holds the cards and links already made for this model;
/// `search_dir` is the folder of the search index. With `warm`, keys are
/// worked out and routes whose output is already in place are skipped.
/// Problems are collected, not fatal one by one.
pub(crate) fn produce(
    session: &Session,
    site: &Site,
    memo: &Memo,
    search_dir: &str,
    todo: &[Route],
    warm: Option<Warm>,
    sink: Sink,
) -> Diagnostics {
    let views = Views::new(site, memo);
    let site_view = views.site_view();
    let site_hash = warm.map_or(0, |_| {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        crate::hashing::json_into(&mut h, &site_view);
        h.digest128()
    });
    let site_value = tera::Value::from_serializable(&site_view);
    let search_url = routes::url(&site.config.base_path(), search_dir);
    // What a warm build digests reads with (a Views of its own: the
    // context's is moved into `cx`).
    let fields = warm.map(|_| crate::render::changes::site_fields(&views));
    let digest_views = Views::new(site, memo);
    let digests = fields.as_ref().map(|f| {
        let layout = digest::layout(session.renderer.fingerprint(), site, session.statics.len());
        Digests::new(&digest_views, layout, &search_url, f)
    });
    let cx = Cx::new(views, search_url.clone());
    let maker = Maker {
        session,
        cx: &cx,
        site_value: &site_value,
        site_hash,
        warm: warm.zip(digests.as_ref()),
    };
    let problems: Vec<Diagnostic> = todo
        .par_iter()
        .filter_map(|&route| {
            let mut r = Reads::new();
            let path = route.file(site, &session.statics);
            match maker.make(route, &path, &mut r) {
                Ok(Some((data, key))) => sink(Made {
                    route: Some(route),
                    file: OutputFile { path, data },
                    deps: r.finish(),
                    key,
                }),
                Ok(None) => Ok(()),
                Err(d) => Err(d),
            }
            .err()
        })
        .collect();
    Diagnostics(problems)
}

/// What making any route of one rendering needs.
struct Maker<'a> {
    session: &'a Session,
    cx: &'a Cx<'a>,
    site_value: &'a tera::Value,
    /// Hash of the `site` value (when `warm`).
    site_hash: u128,
    warm: Option<(Warm<'a>, &'a Digests<'a>)>,
}

impl Maker<'_> {
    /// `key` unless the output at `path` already holds it (`None`: kept).
    fn keyed(&self, path: &str, key: impl FnOnce() -> u128) -> Option<Option<u128>> {
        let Some((warm, _)) = self.warm else {
            return Some(None);
        };
        let key = key();
        (!warm.outputs.keep(path, key)).then_some(Some(key))
    }

    /// Whether the file at `path`, made from a template, read nothing
    /// that changed since and is in place: then it is kept (and its reads
    /// recorded again) without making its context.
    fn unchanged(&self, path: &str) -> bool {
        let Some((warm, digests)) = self.warm else {
            return false;
        };
        if !warm.outputs.holds_any() {
            return false;
        }
        let Some(prior) = warm.reads.prior(path) else {
            return false;
        };
        if digests.of_reads(&prior.deps) != prior.digest || !warm.outputs.keep(path, prior.key) {
            return false;
        }
        warm.reads.record(path, prior.clone());
        true
    }

    /// Records what a template route read, for the next build.
    fn remember(&self, path: &str, r: &Reads, key: u128) {
        if let Some((warm, digests)) = self.warm {
            let deps = r.clone().finish();
            let digest = digests.of_reads(&deps);
            warm.reads.record(path, Prior { digest, key, deps });
        }
    }

    /// The contents of one route and their key, recording in `r` what they
    /// read; `Ok(None)` when the output already holds them.
    fn make(
        &self,
        route: Route,
        path: &str,
        r: &mut Reads,
    ) -> Result<Option<(Data, Option<u128>)>, Diagnostic> {
        let renderer = &self.session.renderer;
        if self.warm.is_some()
            && renderer.template(route, self.cx).is_some()
            && self.unchanged(path)
        {
            return Ok(None);
        }
        if let Some(job) = renderer.job(route, self.cx, r) {
            let key = self.warm.map(|_| renderer.key(&job, self.site_hash));
            if let Some(key) = key {
                self.remember(path, r, key);
                if self.warm.is_some_and(|(w, _)| w.outputs.keep(path, key)) {
                    return Ok(None);
                }
            }
            let html = renderer.render(job, route, self.cx, self.site_value)?;
            return Ok(Some((Data::Bytes(html), key)));
        }
        if let Route::Qr(id) = route {
            let layout = self.cx.views().layout();
            let url = layout.permalink(&layout.page(id).path);
            let Some(key) = self.keyed(path, || qr_key(&url)) else {
                return Ok(None);
            };
            return Ok(Some((Data::Bytes(qr::svg(&url).into_bytes()), key)));
        }
        Ok(Some((make(self.session, self.cx, route, r), None)))
    }
}

/// What a QR code is made from: its URL (and the code that draws it).
fn qr_key(url: &str) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    crate::hashing::code(&mut h);
    h.update(b"qr\0");
    h.update(url.as_bytes());
    h.digest128()
}

/// The contents of a route without a template, recording in `r` what they
/// read.
fn make(session: &Session, cx: &Cx, route: Route, r: &mut Reads) -> Data {
    let views = cx.views();
    let layout = views.layout();
    match route {
        Route::Calendar => {
            let ids = views.head(List::Activities, usize::MAX, r);
            let pages = ids.iter().rev().map(|&id| views.page(id, r));
            Data::Bytes(calendar::calendar(&layout.config, pages).into_bytes())
        }
        Route::Event(id) => {
            let page = views.page(id, r);
            Data::Bytes(
                calendar::event(&layout.config, page)
                    .unwrap_or_default()
                    .into_bytes(),
            )
        }
        Route::Theme(i) => match session.theme.statics().nth(i) {
            Some((_, f)) => match &f.disk {
                Some(p) => Data::Copy(p.clone()),
                None => Data::Static(f.bytes.clone()),
            },
            None => Data::Bytes(Vec::new()),
        },
        Route::LedgerCsv(year) => Data::Bytes(ledger_table(views, year, r)),
        Route::Loose(i) => Data::Copy(layout.loose_assets[i].path.clone()),
        Route::Bundle(id, i) => Data::Copy(layout.page(id).assets()[i].path.clone()),
        Route::Image(k, i) => {
            r.add(Dep::Image(k));
            match layout.images.file(k, i) {
                Some(f) => f.data.clone(),
                None => Data::Bytes(Vec::new()),
            }
        }
        // QR codes are made in `Maker::make`; every other route has a
        // template.
        _ => Data::Bytes(Vec::new()),
    }
}

/// One year of the 台账 as CSV: its meetings' pages and the names of
/// their participants (as their navigation links show them).
fn ledger_table(views: &Views, year: i32, r: &mut Reads) -> Vec<u8> {
    let ids = views
        .ledger_year(year, r)
        .map(|y| y.meetings.as_slice())
        .unwrap_or_default();
    let meetings: Vec<ledger_csv::Meeting> = ids
        .iter()
        .map(|&id| {
            let page = views.page(id, r);
            let ids = page.activity.as_ref().map(|a| a.participants.as_slice());
            ledger_csv::Meeting {
                page,
                participants: ids
                    .unwrap_or_default()
                    .iter()
                    .map(|&q| views.link(q, r).title)
                    .collect(),
            }
        })
        .collect();
    ledger_csv::csv(&views.layout().config, views.now(r), year, &meetings)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Mutex;

    use super::*;

    /// An output folder holding `held` (path → key), and what it kept.
    struct Folder {
        held: HashMap<&'static str, u128>,
        kept: Mutex<Vec<String>>,
    }

    impl Reuse for Folder {
        fn keep(&self, path: &str, key: u128) -> bool {
            let ok = self.holds(path, key);
            if ok {
                self.kept.lock().unwrap().push(path.to_string());
            }
            ok
        }

        fn holds(&self, path: &str, key: u128) -> bool {
            self.held.get(path) == Some(&key)
        }
    }

    struct Last {
        prior: HashMap<String, Prior>,
        next: Mutex<Vec<String>>,
    }

    impl Recall for Last {
        fn prior(&self, path: &str) -> Option<&Prior> {
            self.prior.get(path)
        }

        fn under(&self, dir: &str) -> Vec<(&str, &Prior)> {
            let mut v: Vec<_> = self
                .prior
                .iter()
                .filter(|(p, _)| p.starts_with(dir))
                .map(|(p, r)| (p.as_str(), r))
                .collect();
            v.sort_by_key(|e| e.0);
            v
        }

        fn record(&self, path: &str, _: Prior) {
            self.next.lock().unwrap().push(path.to_string());
        }
    }

    fn last(code: u128) -> Last {
        let file = |key| Prior {
            digest: code,
            key,
            deps: Box::new([]),
        };
        Last {
            prior: [
                ("search/abc/index.json".to_string(), file(1)),
                ("search/abc/s/4e00.json".to_string(), file(2)),
            ]
            .into(),
            next: Mutex::new(Vec::new()),
        }
    }

    fn folder(held: &[(&'static str, u128)]) -> Folder {
        Folder {
            held: held.iter().copied().collect(),
            kept: Mutex::new(Vec::new()),
        }
    }

    #[test]
    fn a_folder_of_files_is_kept_whole_or_not_at_all() {
        let code = crate::hashing::code_id();
        let all = [("search/abc/index.json", 1), ("search/abc/s/4e00.json", 2)];
        let (out, reads) = (folder(&all), last(code));
        let warm = Warm {
            outputs: &out,
            reads: &reads,
        };
        assert!(warm.keep_all_under("search/abc/"));
        assert_eq!(out.kept.lock().unwrap().len(), 2);
        assert_eq!(reads.next.lock().unwrap().len(), 2, "recorded again");

        // One file changed by hand: nothing kept.
        let (out, reads) = (folder(&[all[0], ("search/abc/s/4e00.json", 9)]), last(code));
        let warm = Warm {
            outputs: &out,
            reads: &reads,
        };
        assert!(!warm.keep_all_under("search/abc/"));
        assert!(out.kept.lock().unwrap().is_empty());

        // Made by another zhibu, or another folder: nothing kept.
        let (out, reads) = (folder(&all), last(code ^ 1));
        let warm = Warm {
            outputs: &out,
            reads: &reads,
        };
        assert!(!warm.keep_all_under("search/abc/"));
        assert!(!warm.keep_all_under("search/abd/"));
        assert!(out.kept.lock().unwrap().is_empty());
    }
}
