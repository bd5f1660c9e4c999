//! Digests of recorded reads, for a build with the build cache (issue 19):
//! the persistent counterpart of [`super::changes`], which compares two
//! site models in memory for `serve`. Both rest on the same record of what
//! each output read ([`Dep`]s).
//!
//! A build keeps, for every file it made from a template, the reads it
//! recorded and their digest ([`Digests::of_reads`]): a hash of the
//! [`layout`] and of each read's value in that model. The next build
//! digests the same reads in its own model; when the digest is the same,
//! nothing the file was made from changed, so neither its context nor the
//! file is made again. When any unrecorded input changed — zhibu itself,
//! the templates, site.toml, which pages there are — the layout differs
//! and every digest with it, as `serve` makes everything again then.
//!
//! A value is digested as its `Debug` text (every model type derives
//! `Debug`, so every field is in it; see [`crate::hashing::debug_into`]):
//! equal text, equal value. A page, whose texts are long, is digested by
//! [`crate::model::Page::digest_into`]. Cards, links and the `site` value
//! are digested as the views they make, as JSON, so that an edit a card
//! does not show leaves every list alone.

use std::sync::{Mutex, OnceLock};

use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::Xxh3;

use crate::deps::{Dep, Key, Reads, SITE_ALL, Stamp, key, slice};
use crate::model::{Course, Section, Site, Tag, annual};
use crate::render::changes::{SiteFields, head, section_meta, tag_link};
use crate::render::views::Views;

/// What every digest of one model starts from: zhibu's code and the
/// templates with what is compiled into them (`fingerprint`), the whole
/// configuration, the static files and which pages there are, in order —
/// what outputs read without recording it.
pub(crate) fn layout(fingerprint: u128, site: &Site, statics: usize) -> u128 {
    let mut h = Xxh3::new();
    crate::hashing::code(&mut h);
    h.update(&fingerprint.to_le_bytes());
    crate::hashing::debug_into(&mut h, &site.config);
    h.update(&(statics as u64).to_le_bytes());
    for p in &site.pages {
        h.update(p.source.as_bytes());
        h.update(b"\0");
    }
    h.digest128()
}

/// The digests of one model's reads, each worked out once (from any
/// rendering thread) when first asked for.
pub(crate) struct Digests<'a> {
    site: &'a Site,
    views: &'a Views<'a>,
    layout: u128,
    search_index: &'a str,
    /// `site` fields by key, and [`SITE_ALL`] for the whole value.
    site_fields: FxHashMap<Key, u64>,
    tags: FxHashMap<Key, &'a Tag>,
    courses: FxHashMap<Key, &'a Course>,
    sections: FxHashMap<Key, &'a Section>,
    pages: Vec<OnceLock<u64>>,
    stamps: Vec<OnceLock<u64>>,
    cards: Vec<OnceLock<u64>>,
    links: Vec<OnceLock<u64>>,
    other: Mutex<FxHashMap<Dep, u64>>,
}

impl<'a> Digests<'a> {
    /// `fields`: the `site` value of this model, field by field.
    pub(crate) fn new(
        views: &'a Views<'a>,
        layout: u128,
        search_index: &'a str,
        fields: &SiteFields,
    ) -> Self {
        let site = views.layout();
        let mut site_fields: FxHashMap<Key, u64> =
            fields.iter().map(|(k, v)| (key(k), json(v))).collect();
        site_fields.insert(SITE_ALL, json(fields));
        let cells = || (0..site.pages.len()).map(|_| OnceLock::new()).collect();
        Digests {
            site,
            views,
            layout,
            search_index,
            site_fields,
            tags: site.tags.iter().map(|t| (key(&t.slug), t)).collect(),
            courses: site.courses.iter().map(|c| (key(&c.slug), c)).collect(),
            sections: site.sections.iter().map(|s| (key(&s.name), s)).collect(),
            pages: cells(),
            stamps: cells(),
            cards: cells(),
            links: cells(),
            other: Mutex::new(FxHashMap::default()),
        }
    }

    /// The digest of an output's reads (each once, as [`Reads::finish`]
    /// gives them): equal digests, equal file.
    pub(crate) fn of_reads(&self, deps: &[Dep]) -> u128 {
        let mut h = Xxh3::new();
        h.update(&self.layout.to_le_bytes());
        for d in deps {
            let (t, a, n) = d.code();
            h.update(&[t]);
            h.update(&a.to_le_bytes());
            h.update(&n.to_le_bytes());
            h.update(&self.of(*d).to_le_bytes());
        }
        h.digest128()
    }

    /// The digest of what `d` reads in this model.
    fn of(&self, d: Dep) -> u64 {
        let s = self.site;
        let cell = |cells: &Vec<OnceLock<u64>>, id: usize, f: &dyn Fn() -> u64| {
            cells.get(id).map_or(0, |c| *c.get_or_init(f))
        };
        match d {
            // (`cell` calls these only for ids of the site's pages)
            Dep::Page(id) => cell(&self.pages, id, &|| {
                let mut h = Xxh3::new();
                s.pages[id].digest_into(&mut h);
                h.digest()
            }),
            Dep::Stamp(id) => cell(&self.stamps, id, &|| digest(&Stamp::of(&s.pages[id]))),
            Dep::Card(id) => cell(&self.cards, id, &|| {
                json(&self.views.card(id, &mut Reads::new()))
            }),
            Dep::Link(id) => cell(&self.links, id, &|| {
                json(&self.views.link(id, &mut Reads::new()))
            }),
            Dep::Site(k) => self.site_fields.get(&k).copied().unwrap_or(0),
            _ => {
                let known = lock(&self.other).get(&d).copied();
                known.unwrap_or_else(|| {
                    let v = self.compute(d);
                    lock(&self.other).insert(d, v);
                    v
                })
            }
        }
    }

    /// The reads not kept per page (each mirrors its arm of
    /// `Changes::changed`).
    fn compute(&self, d: Dep) -> u64 {
        let s = self.site;
        match d {
            Dep::TagLink(k) => digest(&tag_link(self.tags.get(&k).copied())),
            Dep::TagSlice(k, n) => {
                let per = s.config.paginate_by;
                digest(&self.tags.get(&k).map(|t| slice(&t.pages, per, n as usize)))
            }
            Dep::Tags => digest(&s.tags.iter().map(|t| &t.path).collect::<Vec<_>>()),
            Dep::Course(k) => digest(&self.courses.get(&k)),
            Dep::Courses => digest(&s.courses.iter().map(|c| &c.path).collect::<Vec<_>>()),
            Dep::SectionMeta(k) => digest(&section_meta(self.sections.get(&k).copied())),
            Dep::SectionSlice(k, n) => digest(
                &self
                    .sections
                    .get(&k)
                    .map(|x| slice(&x.pages, x.paginate_by, n as usize)),
            ),
            Dep::Sections => digest(&s.sections.iter().map(|x| &x.path).collect::<Vec<_>>()),
            Dep::Head(list, n) => digest(head(s, list, n)),
            Dep::Home => digest(&s.home),
            Dep::Stats => digest(&s.stats),
            Dep::Now => digest(&s.now),
            Dep::Plans => digest(&s.plans),
            Dep::Plan(id) => digest(&s.plan_of(id)),
            Dep::LedgerOutline => digest(&s.ledger.outline()),
            Dep::LedgerYear(y) => digest(&s.ledger.year(y)),
            Dep::AnnualYears => digest(&annual::years(&s.annual)),
            Dep::AnnualOutline => digest(&annual::outline(&s.annual)),
            Dep::AnnualYear(y) => digest(&annual::of(&s.annual, y)),
            Dep::Image(k) => digest(&s.images.by_key(k)),
            Dep::SearchIndex => digest(self.search_index),
            Dep::Page(_) | Dep::Stamp(_) | Dep::Card(_) | Dep::Link(_) | Dep::Site(_) => self.of(d),
        }
    }
}

/// A view (made for templates, so serializable) as JSON: quicker than its
/// `Debug` text.
fn json<T: serde::Serialize + ?Sized>(value: &T) -> u64 {
    let mut h = Xxh3::new();
    crate::hashing::json_into(&mut h, value);
    h.digest()
}

fn digest<T: std::fmt::Debug + ?Sized>(value: &T) -> u64 {
    let mut h = Xxh3::new();
    crate::hashing::debug_into(&mut h, value);
    h.digest()
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
