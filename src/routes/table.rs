//! The outputs of one site: every file a build makes, as a [`Route`], with
//! its path in the output folder. The set of routes depends on the site
//! (its pages, tags, courses, sections and how many pages each list takes)
//! and on the theme's static files; each route makes exactly one file
//! (the search index, a folder of many files, is made apart: see
//! `outputs::search`).

use crate::deps::Key;
use crate::model::{PageId, Site};
use crate::routes::{self as r, page_count};

/// One file of the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Route {
    /// A lesson, member, activity or other page.
    Page(PageId),
    Home,
    /// Page `n` (1-based) of section `i`'s list.
    Section(usize, usize),
    Courses,
    Course(usize),
    Tags,
    /// Page `n` (1-based) of tag `i`'s list.
    Tag(usize, usize),
    Stats,
    Search,
    Me,
    NotFound,
    Atom,
    Sitemap,
    Robots,
    Calendar,
    /// The QR code beside a page.
    Qr(PageId),
    /// A dated activity as a calendar event, beside its page.
    Event(PageId),
    /// The theme's `i`-th static file (site static/ files included).
    Theme(usize),
    /// The `i`-th file of content/ outside any bundle.
    Loose(usize),
    /// A page bundle's `i`-th file, beside the page (raster images only
    /// through [`Route::Image`]).
    Bundle(PageId, usize),
    /// File `i` of the image whose site path hashes to the key: a resized
    /// copy, the share image or the stripped original (issue 13).
    Image(Key, usize),
    // 台账 and annual summaries (issue 14), by the year:
    /// The list of the 台账's years.
    Ledger,
    LedgerYear(i32),
    /// One year of the 台账 as CSV.
    LedgerCsv(i32),
    /// One year's annual summary.
    StatsYear(i32),
}

/// Every route of `site`, pages first; `statics` is the number of the
/// theme's static files.
pub(crate) fn all(site: &Site, statics: usize) -> Vec<Route> {
    let mut out: Vec<Route> = (0..site.pages.len()).map(Route::Page).collect();
    out.extend([
        Route::Home,
        Route::Courses,
        Route::Tags,
        Route::Stats,
        Route::Search,
        Route::Me,
        Route::NotFound,
        Route::Atom,
        Route::Sitemap,
        Route::Robots,
    ]);
    for (i, s) in site.sections.iter().enumerate() {
        out.extend((1..=page_count(s.pages.len(), s.paginate_by)).map(|n| Route::Section(i, n)));
    }
    out.extend((0..site.courses.len()).map(Route::Course));
    for (i, t) in site.tags.iter().enumerate() {
        let pages = page_count(t.pages.len(), site.config.paginate_by);
        out.extend((1..=pages).map(|n| Route::Tag(i, n)));
    }
    // 台账 and annual summaries (issue 14)
    out.push(Route::Ledger);
    for y in &site.ledger.years {
        out.extend([Route::LedgerYear(y.year), Route::LedgerCsv(y.year)]);
    }
    out.extend(site.annual.iter().map(|s| Route::StatsYear(s.year)));
    out.push(Route::Calendar);
    out.extend(
        site.activities
            .iter()
            .filter(|&&id| site.page(id).date.is_some())
            .map(|&id| Route::Event(id)),
    );
    out.extend((0..site.pages.len()).map(Route::Qr));
    // A photo of static/ goes out stripped, as one of `site.images`' files.
    out.extend(
        (0..statics)
            .filter(|&i| !site.images.replaces_static(i))
            .map(Route::Theme),
    );
    out.extend(
        (0..site.loose_assets.len())
            .map(Route::Loose)
            .filter(|r| copied(site, r)),
    );
    for p in &site.pages {
        out.extend(
            (0..p.assets().len())
                .map(|i| Route::Bundle(p.id, i))
                .filter(|r| copied(site, r)),
        );
    }
    out.extend(site.images.routes().map(|(k, i)| Route::Image(k, i)));
    out
}

/// Whether a file of content/ is published as it is: not a raster image
/// (those only as the copies the photo pipeline made, and the stripped
/// original with `[images] originals = true`), nor an SVG the pipeline
/// checked and publishes itself. Until `serve` has processed its photos,
/// originals stand in for the copies.
fn copied(site: &Site, route: &Route) -> bool {
    let path = route.path(site, &[]);
    if site.images.made(&path) {
        return false;
    }
    !(site.images.complete && crate::images::is_raster_name(&path))
}

impl Route {
    /// The site path this route is published at: a folder (`lessons/a/`)
    /// for HTML pages, else the file (`atom.xml`). `statics` are the
    /// output names of the theme's static files, in order.
    pub(crate) fn path(&self, site: &Site, statics: &[String]) -> String {
        match *self {
            Route::Page(id) => site.page(id).path.clone(),
            Route::Home => r::HOME.to_string(),
            Route::Section(i, n) => r::list_page(&site.sections[i].path, n),
            Route::Courses => r::COURSES.to_string(),
            Route::Course(i) => site.courses[i].path.clone(),
            Route::Tags => r::TAGS.to_string(),
            Route::Tag(i, n) => r::list_page(&site.tags[i].path, n),
            Route::Stats => r::STATS.to_string(),
            Route::Search => r::SEARCH.to_string(),
            Route::Me => r::ME.to_string(),
            Route::NotFound => r::NOT_FOUND.to_string(),
            Route::Atom => r::ATOM.to_string(),
            Route::Sitemap => r::SITEMAP.to_string(),
            Route::Robots => r::ROBOTS.to_string(),
            Route::Calendar => r::CALENDAR.to_string(),
            Route::Qr(id) => r::qr(&site.page(id).path),
            Route::Event(id) => r::event(&site.page(id).path),
            Route::Theme(i) => statics.get(i).cloned().unwrap_or_default(),
            Route::Loose(i) => site.loose_assets[i].rel.clone(),
            Route::Ledger => r::LEDGER.to_string(),
            Route::LedgerYear(y) => r::ledger_year(y),
            Route::LedgerCsv(y) => r::ledger_csv(y),
            Route::StatsYear(y) => r::stats_year(y),
            Route::Image(k, i) => site
                .images
                .file(k, i)
                .map(|f| f.path.clone())
                .unwrap_or_default(),
            Route::Bundle(id, i) => {
                let p = site.page(id);
                let dir = match p.source.rfind('/') {
                    Some(k) => &p.source[..=k],
                    None => "",
                };
                let a = &p.assets()[i];
                r::bundle_file(&p.path, a.rel.strip_prefix(dir).unwrap_or(&a.rel))
            }
        }
    }

    /// The file in the output folder (`lessons/a/index.html`).
    pub(crate) fn file(&self, site: &Site, statics: &[String]) -> String {
        r::file(&self.path(site, statics))
    }
}
