//! The `site` value every template sees: title, menu, URLs of the
//! site-wide pages, totals. It is made once per site model; `serve`
//! compares it field by field between models, and re-renders an output
//! for a changed field only if the output's templates mention it.

use chrono::Datelike;
use serde::Serialize;

use crate::model::Site;
use crate::routes;

#[derive(Serialize, Clone, Debug)]
pub(crate) struct SiteView {
    pub title: String,
    pub description: String,
    /// Absolute base URL, ending in `/`.
    pub base_url: String,
    /// Path part of base_url (`/` or `/dangjian/zhibu1/`).
    pub base_path: String,
    pub language: String,
    pub organization: String,
    pub logo: Option<String>,
    pub menu: Vec<MenuView>,
    pub urls: SiteUrls,
    pub totals: crate::model::stats::Totals,
    pub extra: toml::Table,
    /// Year of the build, for the footer.
    pub year: i32,
    pub generator: String,
}

#[derive(Serialize, Clone, Debug)]
pub(crate) struct SiteUrls {
    pub home: String,
    pub lessons: String,
    pub members: String,
    pub activities: String,
    pub notices: String,
    pub courses: String,
    pub tags: String,
    pub search: String,
    pub me: String,
    pub stats: String,
    pub atom: String,
    pub calendar: String,
    /// The 台账 (/ledger/), when the site has meeting records.
    pub ledger: Option<String>,
    /// The page at /about/, when the site has one.
    pub about: Option<String>,
}

#[derive(Serialize, Clone, Debug)]
pub(crate) struct MenuView {
    pub name: String,
    pub url: String,
    /// Section key used to mark the current item (`lessons`, `stats` …).
    pub key: String,
}

pub(super) fn site_view(site: &Site, base: &str) -> SiteView {
    let c = &site.config;
    let u = |p: &str| routes::url(base, p);
    SiteView {
        title: c.title.clone(),
        description: c.description.clone(),
        base_url: site.permalink(""),
        base_path: base.to_string(),
        language: c.language.clone(),
        organization: c.organization.clone(),
        logo: (!c.logo.is_empty()).then(|| u(&c.logo)),
        menu: c
            .menu
            .iter()
            .map(|m| MenuView {
                name: m.name.clone(),
                url: u(&m.url),
                key: m
                    .url
                    .trim_matches('/')
                    .split('/')
                    .next()
                    .unwrap_or("")
                    .to_string(),
            })
            .collect(),
        urls: SiteUrls {
            home: u(routes::HOME),
            lessons: u(&routes::section("lessons")),
            members: u(&routes::section("members")),
            activities: u(&routes::section("activities")),
            notices: u(&routes::section("notices")),
            courses: u(routes::COURSES),
            tags: u(routes::TAGS),
            search: u(routes::SEARCH),
            me: u(routes::ME),
            stats: u(routes::STATS),
            atom: u(routes::ATOM),
            calendar: u(routes::CALENDAR),
            ledger: (!site.ledger.years.is_empty()).then(|| u(routes::LEDGER)),
            about: site
                .pages
                .iter()
                .any(|p| p.path == routes::page("", "about"))
                .then(|| u(&routes::page("", "about"))),
        },
        totals: site.stats.totals.clone(),
        extra: c.extra.clone(),
        year: site.now.year(),
        generator: format!("zhibu {}", env!("CARGO_PKG_VERSION")),
    }
}
