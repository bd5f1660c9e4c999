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
use crate::render::views::{Memo, Views};
use crate::routes::{self, Route};
use crate::session::Session;

/// One output and what it read while it was made.
pub(crate) struct Made {
    /// The route it was made for (the search index's files have none).
    pub(crate) route: Option<Route>,
    pub(crate) file: OutputFile,
    pub(crate) deps: Box<[Dep]>,
}

impl Made {
    /// A file of the search index (made apart from the routes, from the
    /// index's own input).
    pub(crate) fn search(file: OutputFile) -> Made {
        Made {
            route: None,
            file,
            deps: Box::new([]),
        }
    }
}

/// Where the sink puts a made output (`build` writes it to the staging
/// folder at once; `serve` keeps it in memory).
pub(crate) type Sink<'a> = &'a (dyn Fn(Made) -> Result<(), Diagnostic> + Sync);

/// Makes the outputs of `todo` for `site` and hands each to `sink`.
/// `memo` holds the cards and links already made for this model;
/// `search_dir` is the folder of the search index. Problems are collected,
/// not fatal one by one.
pub(crate) fn produce(
    session: &Session,
    site: &Site,
    memo: &Memo,
    search_dir: &str,
    todo: &[Route],
    sink: Sink,
) -> Diagnostics {
    let views = Views::new(site, memo);
    let site_value = tera::Value::from_serializable(&views.site_view());
    let cx = Cx::new(views, routes::url(&site.config.base_path(), search_dir));
    let problems: Vec<Diagnostic> = todo
        .par_iter()
        .filter_map(|&route| {
            let mut r = Reads::new();
            let file = make(session, &cx, &site_value, route, &mut r).map(|data| OutputFile {
                path: route.file(site, &session.statics),
                data,
            });
            file.and_then(|file| {
                sink(Made {
                    route: Some(route),
                    file,
                    deps: r.finish(),
                })
            })
            .err()
        })
        .collect();
    Diagnostics(problems)
}

/// The contents of one route, recording in `r` what they read.
fn make(
    session: &Session,
    cx: &Cx,
    site_value: &tera::Value,
    route: Route,
    r: &mut Reads,
) -> Result<Data, Diagnostic> {
    if let Some(html) = session.renderer.render(route, cx, site_value, r) {
        return html.map(Data::Bytes);
    }
    let views = cx.views();
    let layout = views.layout();
    Ok(match route {
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
        Route::Qr(id) => {
            let url = layout.permalink(&layout.page(id).path);
            Data::Bytes(qr::svg(&url).into_bytes())
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
        // Every other route has a template.
        _ => Data::Bytes(Vec::new()),
    })
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
