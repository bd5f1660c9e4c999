//! Which recorded reads an edit changed: `serve` holds each output's
//! [`Dep`]s from when it was made, and makes again exactly the outputs with
//! a dep that reads differently in the new site model. Nothing here knows
//! what any template or output shows; it compares what was read.
//!
//! Both models must have the same pages in the same order (`serve` makes
//! everything again when files are added, removed or renamed), so a page id
//! means the same page in both.

use std::cell::RefCell;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::deps::{Dep, Key, List, SITE_ALL, Stamp, key, list_of, slice};
use crate::model::{Course, Section, Site, Tag, annual};
use crate::render::views::{Memo, Views};

/// The `site` value of one model, field by field, for comparing.
pub(crate) type SiteFields = serde_json::Map<String, serde_json::Value>;

/// The site view as fields (`title`, `totals` …).
pub(crate) fn site_fields(views: &Views) -> SiteFields {
    match serde_json::to_value(views.site_view()) {
        Ok(serde_json::Value::Object(m)) => m,
        // The site view is a struct of plain data: always an object.
        _ => SiteFields::new(),
    }
}

/// The differences between an earlier and a newer site model.
pub(crate) struct Changes<'a> {
    old: &'a Site,
    new: &'a Site,
    old_memo: &'a Memo,
    /// Over the new site; makes new cards and links to compare.
    views: &'a Views<'a>,
    pages: Vec<bool>,
    old_tags: FxHashMap<Key, &'a Tag>,
    new_tags: FxHashMap<Key, &'a Tag>,
    old_courses: FxHashMap<Key, &'a Course>,
    new_courses: FxHashMap<Key, &'a Course>,
    old_sections: FxHashMap<Key, &'a Section>,
    new_sections: FxHashMap<Key, &'a Section>,
    /// Site fields that differ, by key (`SITE_ALL` when any does).
    site: Vec<Key>,
    /// Answers already worked out for cards and links.
    derived: RefCell<FxHashMap<Dep, bool>>,
}

impl<'a> Changes<'a> {
    /// `old_site`/`new_site` are the site views of the two models.
    pub(crate) fn new(
        old: &'a Site,
        new: &'a Site,
        old_memo: &'a Memo,
        views: &'a Views<'a>,
        old_site: &SiteFields,
        new_site: &SiteFields,
    ) -> Self {
        let pages = old
            .pages
            .iter()
            .zip(&new.pages)
            .map(|(a, b)| !Arc::ptr_eq(a, b) && a != b)
            .collect();
        let mut site: Vec<Key> = old_site
            .keys()
            .chain(new_site.keys())
            .filter(|k| old_site.get(*k) != new_site.get(*k))
            .map(|k| key(k))
            .collect();
        if !site.is_empty() {
            site.push(SITE_ALL);
        }
        let by = |v: &'a [Tag]| v.iter().map(|t| (key(&t.slug), t)).collect();
        let by_course = |v: &'a [Course]| v.iter().map(|c| (key(&c.slug), c)).collect();
        let by_section = |v: &'a [Section]| v.iter().map(|s| (key(&s.name), s)).collect();
        Changes {
            old,
            new,
            old_memo,
            views,
            pages,
            old_tags: by(&old.tags),
            new_tags: by(&new.tags),
            old_courses: by_course(&old.courses),
            new_courses: by_course(&new.courses),
            old_sections: by_section(&old.sections),
            new_sections: by_section(&new.sections),
            site,
            derived: RefCell::new(FxHashMap::default()),
        }
    }

    /// Whether what `d` read is different in the new model.
    pub(crate) fn changed(&self, d: Dep) -> bool {
        match d {
            Dep::Page(id) => self.pages.get(id).copied().unwrap_or(true),
            Dep::Stamp(id) => {
                let stamp = |s: &'a Site| s.pages.get(id).map(|p| Stamp::of(p));
                self.pages.get(id).copied().unwrap_or(true) && stamp(self.old) != stamp(self.new)
            }
            Dep::Card(_) | Dep::Link(_) => self.derived_changed(d),
            Dep::TagLink(k) => {
                tag_link(self.old_tags.get(&k).copied()) != tag_link(self.new_tags.get(&k).copied())
            }
            Dep::TagSlice(k, n) => {
                let per = self.new.config.paginate_by;
                let part = |t: Option<&&'a Tag>| t.map(|t| slice(&t.pages, per, n as usize));
                part(self.old_tags.get(&k)) != part(self.new_tags.get(&k))
            }
            Dep::Tags => differ(&self.old.tags, &self.new.tags, |t| &t.path),
            Dep::Course(k) => self.old_courses.get(&k) != self.new_courses.get(&k),
            Dep::Courses => differ(&self.old.courses, &self.new.courses, |c| &c.path),
            Dep::SectionMeta(k) => {
                section_meta(self.old_sections.get(&k).copied())
                    != section_meta(self.new_sections.get(&k).copied())
            }
            Dep::SectionSlice(k, n) => {
                let part =
                    |s: Option<&&'a Section>| s.map(|s| slice(&s.pages, s.paginate_by, n as usize));
                part(self.old_sections.get(&k)) != part(self.new_sections.get(&k))
            }
            Dep::Sections => differ(&self.old.sections, &self.new.sections, |s| &s.path),
            Dep::Head(list, n) => head(self.old, list, n) != head(self.new, list, n),
            Dep::Home => self.old.home != self.new.home,
            Dep::Stats => self.old.stats != self.new.stats,
            Dep::Now => self.old.now != self.new.now,
            Dep::Site(k) => self.site.contains(&k),
            // Study plans (issue 16):
            Dep::Plans => self.old.plans != self.new.plans,
            Dep::Plan(id) => self.old.plan_of(id) != self.new.plan_of(id),
            // 台账 and annual summaries (issue 14):
            Dep::LedgerOutline => self.old.ledger.outline() != self.new.ledger.outline(),
            Dep::LedgerYear(y) => self.old.ledger.year(y) != self.new.ledger.year(y),
            Dep::AnnualYears => annual::years(&self.old.annual) != annual::years(&self.new.annual),
            Dep::AnnualOutline => {
                annual::outline(&self.old.annual) != annual::outline(&self.new.annual)
            }
            Dep::AnnualYear(y) => {
                annual::of(&self.old.annual, y) != annual::of(&self.new.annual, y)
            }
            Dep::Image(k) => {
                !Arc::ptr_eq(&self.old.images, &self.new.images)
                    && self.old.images.by_key(k) != self.new.images.by_key(k)
            }
            // `serve` keeps the index in one folder.
            Dep::SearchIndex => false,
        }
    }

    /// A card or link is unchanged when nothing it read changed, or when
    /// it comes out the same anyway (a body edit rarely changes a card).
    fn derived_changed(&self, d: Dep) -> bool {
        if let Some(&known) = self.derived.borrow().get(&d) {
            return known;
        }
        let mut none = crate::deps::Reads::new();
        let changed = match d {
            Dep::Card(id) => match self.old_memo.cards.get(id).and_then(|c| c.get()) {
                Some(old) if old.deps.iter().any(|&x| self.changed(x)) => {
                    self.views.card(id, &mut none) != old.value
                }
                Some(_) => false,
                // No output read it, so none can depend on it.
                None => false,
            },
            Dep::Link(id) => match self.old_memo.links.get(id).and_then(|c| c.get()) {
                Some(old) if old.deps.iter().any(|&x| self.changed(x)) => {
                    self.views.link(id, &mut none) != old.value
                }
                _ => false,
            },
            _ => self.changed(d),
        };
        self.derived.borrow_mut().insert(d, changed);
        changed
    }

    /// Whether an output that read `deps` must be made again.
    pub(crate) fn stale(&self, deps: &[Dep]) -> bool {
        deps.iter().any(|&d| self.changed(d))
    }

    /// Ids of the cards and links of the old memo that still hold for the
    /// new model (to carry over instead of making them again).
    pub(crate) fn still_valid(&self) -> (Vec<bool>, Vec<bool>) {
        let n = self.old_memo.cards.len();
        let cards = (0..n)
            .map(|id| self.old_memo.cards[id].get().is_some() && !self.changed(Dep::Card(id)))
            .collect();
        let links = (0..n)
            .map(|id| self.old_memo.links[id].get().is_some() && !self.changed(Dep::Link(id)))
            .collect();
        (cards, links)
    }
}

/// What a tag's link shows: its name, folder and number of pages.
pub(super) fn tag_link(t: Option<&Tag>) -> Option<(&String, &String, usize)> {
    t.map(|t| (&t.name, &t.path, t.pages.len()))
}

/// What a section's list pages show besides their slice.
#[allow(clippy::type_complexity)]
pub(super) fn section_meta(
    s: Option<&Section>,
) -> Option<(
    &String,
    &String,
    &Option<crate::model::SectionText>,
    usize,
    usize,
)> {
    s.map(|s| (&s.title, &s.path, &s.text, s.paginate_by, s.pages.len()))
}

/// Whether two lists name different things (`what` of each), in order.
fn differ<T>(a: &[T], b: &[T], what: impl Fn(&T) -> &String) -> bool {
    a.len() != b.len() || a.iter().zip(b).any(|(x, y)| what(x) != what(y))
}

pub(super) fn head(site: &Site, list: List, n: u32) -> &[crate::model::PageId] {
    let ids = list_of(site, list);
    &ids[..(n as usize).min(ids.len())]
}

/// Moves the entries of `old` that `valid` marks into `new` (where `new`
/// has not made its own yet).
pub(crate) fn carry(old: Memo, new: &Memo, valid: (Vec<bool>, Vec<bool>)) {
    let (cards, links) = valid;
    for (id, cell) in old.cards.into_iter().enumerate() {
        if cards.get(id).copied().unwrap_or(false)
            && let (Some(entry), Some(slot)) = (cell.into_inner(), new.cards.get(id))
        {
            let _ = slot.set(entry);
        }
    }
    for (id, cell) in old.links.into_iter().enumerate() {
        if links.get(id).copied().unwrap_or(false)
            && let (Some(entry), Some(slot)) = (cell.into_inner(), new.links.get(id))
        {
            let _ = slot.set(entry);
        }
    }
}
