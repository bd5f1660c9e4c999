//! What an output read while it was made. Every read of the site model on
//! the way to an output goes through an accessor that records a [`Dep`]
//! here; `serve` keeps each output's record and, after an edit, makes again
//! exactly the outputs that read something the edit changed
//! (`render::changes` decides which reads changed).
//!
//! A dep names what was read, not its value: the value is looked up in the
//! site before and after the edit. Derived views that many outputs show
//! (a page's card, its navigation link) are deps of their own, compared by
//! value, so that a body edit that leaves a card as it was touches no list.

use chrono::{DateTime, FixedOffset};

use crate::images::ImageSet;
use crate::model::annual::{self, YearSummary};
use crate::model::ledger::{LedgerYear, Outline};
use crate::model::plans::Plan;
use crate::model::stats::Stats;
use crate::model::{Course, Page, PageId, Section, SectionText, Site, Tag};
use crate::parse::dates::When;

/// A stable name for a tag, course or section across rebuilds: a hash of
/// its slug or folder name (two names sharing a hash are simply both
/// treated as changed when either is: never a missed change).
pub(crate) type Key = u64;

pub(crate) fn key(name: &str) -> Key {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(name)
}

/// The site-wide lists a page can show the start of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum List {
    Lessons,
    Members,
    Activities,
    Upcoming,
    Past,
    /// Notices, current and coming ones first.
    Notices,
    /// Notices not over yet.
    CurrentNotices,
}

/// One thing an output read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Dep {
    /// Everything the model holds about one page (its own output reads it).
    Page(PageId),
    /// A page's place and dates only: its path, date, `updated` and draft
    /// flag (feeds and the sitemap sort and list every page by them).
    Stamp(PageId),
    /// The page's card, as lists show it (compared by value).
    Card(PageId),
    /// The page's title, URL and quiz flag, as navigation shows them
    /// (compared by value).
    Link(PageId),
    /// One tag's name, URL and number of pages.
    TagLink(Key),
    /// Page `n` (1-based) of a tag's list: which pages, in order.
    TagSlice(Key, u32),
    /// Which tags there are, in order.
    Tags,
    /// Everything the model holds about one course.
    Course(Key),
    /// Which courses there are, in order.
    Courses,
    /// A section's title, text, folder, page size and number of pages.
    SectionMeta(Key),
    /// Page `n` (1-based) of a section's list.
    SectionSlice(Key, u32),
    /// Which sections there are, in order.
    Sections,
    /// The first `n` entries of a site-wide list.
    Head(List, u32),
    /// The home page's own text.
    Home,
    /// The statistics of 成果展示.
    Stats,
    /// The moment the build takes as now.
    Now,
    /// One field of the `site` value every template can read (`site.totals`),
    /// by the hash of its name; [`SITE_ALL`] for the whole value.
    Site(Key),
    // Study plans (issue 16):
    /// Every study plan as the model holds it (windows, items, what each
    /// item points at and what "done" means for it), in order.
    Plans,
    /// The study plan written in one page.
    Plan(PageId),
    // 台账 and annual summaries (issue 14):
    /// The 台账's types, start and which years it has
    /// ([`crate::model::ledger::Outline`]).
    LedgerOutline,
    /// One year of the 台账, by the year.
    LedgerYear(i32),
    /// Which years have an annual summary.
    AnnualYears,
    /// Those years with the number of activities of each (the index of
    /// the summaries shows no more).
    AnnualOutline,
    /// One year's annual summary, by the year.
    AnnualYear(i32),
    /// The published copies of one image, by the hash of its site path
    /// (issue 13).
    Image(Key),
    /// Where search.js finds the index: a build names its folder after the
    /// index's contents; `serve` keeps one folder.
    SearchIndex,
}

/// `Dep::Site(SITE_ALL)`: a template that reads `site` as a whole.
pub(crate) const SITE_ALL: Key = 0;

/// The deps of one output, as they are recorded.
#[derive(Clone, Debug, Default)]
pub(crate) struct Reads(Vec<Dep>);

impl Reads {
    pub(crate) fn new() -> Self {
        Reads(Vec::new())
    }

    pub(crate) fn add(&mut self, d: Dep) {
        self.0.push(d);
    }

    pub(crate) fn extend(&mut self, deps: impl IntoIterator<Item = Dep>) {
        self.0.extend(deps);
    }

    /// The record to keep: each dep once.
    pub(crate) fn finish(mut self) -> Box<[Dep]> {
        self.0.sort_unstable_by_key(order);
        self.0.dedup();
        self.0.into_boxed_slice()
    }
}

/// The site model as outputs read it: each accessor records what it read.
/// Everything that makes an output from the model goes through one of
/// these (templates through `render::views`, which wraps it), so a new
/// field, template or kind of output needs nothing of its own in `serve`.
#[derive(Clone, Copy)]
pub(crate) struct Tracked<'a> {
    site: &'a Site,
}

impl<'a> Tracked<'a> {
    pub(crate) fn new(site: &'a Site) -> Self {
        Tracked { site }
    }

    /// The site's layout — its configuration, which pages, tags and files
    /// exist and where they go — for what changes only when files are
    /// added, removed or renamed or site.toml changes. `serve` then makes
    /// everything again, so reading it records nothing.
    pub(crate) fn layout(&self) -> &'a Site {
        self.site
    }

    pub(crate) fn page(&self, id: PageId, r: &mut Reads) -> &'a Page {
        r.add(Dep::Page(id));
        self.site.page(id)
    }

    /// A page's path, dates and draft flag, and nothing else of it.
    pub(crate) fn stamp(&self, id: PageId, r: &mut Reads) -> Stamp<'a> {
        r.add(Dep::Stamp(id));
        Stamp::of(self.site.page(id))
    }

    /// Every page's [`Stamp`] (the sitemap lists them all).
    pub(crate) fn stamps(&self, r: &mut Reads) -> Vec<Stamp<'a>> {
        r.extend((0..self.site.pages.len()).map(Dep::Stamp));
        self.site.pages.iter().map(|p| Stamp::of(p)).collect()
    }

    /// Tag `i`: its name, URL and number of pages (not which pages).
    pub(crate) fn tag(&self, i: usize, r: &mut Reads) -> &'a Tag {
        let t = &self.site.tags[i];
        r.add(Dep::TagLink(key(&t.slug)));
        t
    }

    /// Page `n` of tag `i`'s list: its page ids.
    pub(crate) fn tag_slice(&self, i: usize, n: usize, r: &mut Reads) -> &'a [PageId] {
        let t = &self.site.tags[i];
        r.add(Dep::TagSlice(key(&t.slug), n as u32));
        slice(&t.pages, self.site.config.paginate_by, n)
    }

    /// Every tag, in order (names, URLs and counts; not their pages).
    pub(crate) fn tags(&self, r: &mut Reads) -> &'a [Tag] {
        r.add(Dep::Tags);
        r.extend(self.site.tags.iter().map(|t| Dep::TagLink(key(&t.slug))));
        &self.site.tags
    }

    pub(crate) fn course(&self, i: usize, r: &mut Reads) -> &'a Course {
        let c = &self.site.courses[i];
        r.add(Dep::Course(key(&c.slug)));
        c
    }

    /// Every course, in order.
    pub(crate) fn courses(&self, r: &mut Reads) -> &'a [Course] {
        r.add(Dep::Courses);
        r.extend(self.site.courses.iter().map(|c| Dep::Course(key(&c.slug))));
        &self.site.courses
    }

    /// Section `i` without its list (title, text, folder, size).
    pub(crate) fn section(&self, i: usize, r: &mut Reads) -> &'a Section {
        let s = &self.site.sections[i];
        r.add(Dep::SectionMeta(key(&s.name)));
        s
    }

    /// Page `n` of section `i`'s list: its page ids.
    pub(crate) fn section_slice(&self, i: usize, n: usize, r: &mut Reads) -> &'a [PageId] {
        let s = &self.site.sections[i];
        r.add(Dep::SectionSlice(key(&s.name), n as u32));
        slice(&s.pages, s.paginate_by, n)
    }

    /// Every section's folder, in order.
    pub(crate) fn section_paths(&self, r: &mut Reads) -> Vec<&'a str> {
        r.add(Dep::Sections);
        self.site.sections.iter().map(|s| s.path.as_str()).collect()
    }

    /// The first `n` entries of a site-wide list (`usize::MAX`: all).
    pub(crate) fn head(&self, list: List, n: usize, r: &mut Reads) -> &'a [PageId] {
        r.add(Dep::Head(list, u32::try_from(n).unwrap_or(u32::MAX)));
        let ids = list_of(self.site, list);
        &ids[..n.min(ids.len())]
    }

    pub(crate) fn home(&self, r: &mut Reads) -> Option<&'a SectionText> {
        r.add(Dep::Home);
        self.site.home.as_ref()
    }

    pub(crate) fn stats(&self, r: &mut Reads) -> &'a Stats {
        r.add(Dep::Stats);
        &self.site.stats
    }

    pub(crate) fn now(&self, r: &mut Reads) -> DateTime<FixedOffset> {
        r.add(Dep::Now);
        self.site.now
    }

    // Study plans (issue 16):

    /// Every study plan, in page order.
    pub(crate) fn plans(&self, r: &mut Reads) -> &'a [Plan] {
        r.add(Dep::Plans);
        &self.site.plans
    }

    /// The study plan written in page `id`, if it is one.
    pub(crate) fn plan(&self, id: PageId, r: &mut Reads) -> Option<&'a Plan> {
        r.add(Dep::Plan(id));
        self.site.plan_of(id)
    }

    // 台账 and annual summaries (issue 14):

    /// The 台账 without its years' contents.
    pub(crate) fn ledger_outline(&self, r: &mut Reads) -> Outline<'a> {
        r.add(Dep::LedgerOutline);
        self.site.ledger.outline()
    }

    /// One year of the 台账 (`None`: it has no such year).
    pub(crate) fn ledger_year(&self, year: i32, r: &mut Reads) -> Option<&'a LedgerYear> {
        r.add(Dep::LedgerYear(year));
        self.site.ledger.year(year)
    }

    /// The years with an annual summary, oldest first.
    pub(crate) fn annual_years(&self, r: &mut Reads) -> Vec<i32> {
        r.add(Dep::AnnualYears);
        annual::years(&self.site.annual)
    }

    /// Each year with a summary and its number of activities, oldest first.
    pub(crate) fn annual_outline(&self, r: &mut Reads) -> Vec<(i32, usize)> {
        r.add(Dep::AnnualOutline);
        annual::outline(&self.site.annual)
    }

    /// The copies made of the image at `site_path` (`None`: it has none,
    /// or not yet).
    pub(crate) fn image(&self, site_path: &str, r: &mut Reads) -> Option<&'a ImageSet> {
        r.add(Dep::Image(key(site_path)));
        self.site.images.get(site_path).map(|s| &**s)
    }

    /// One year's annual summary (`None`: the year has none).
    pub(crate) fn annual_year(&self, year: i32, r: &mut Reads) -> Option<&'a YearSummary> {
        r.add(Dep::AnnualYear(year));
        annual::of(&self.site.annual, year)
    }
}

/// What [`Tracked::stamp`] reads of a page.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Stamp<'a> {
    pub(crate) path: &'a str,
    pub(crate) date: Option<When>,
    pub(crate) updated: Option<When>,
    pub(crate) draft: bool,
}

impl<'a> Stamp<'a> {
    pub(crate) fn of(p: &'a Page) -> Stamp<'a> {
        Stamp {
            path: &p.path,
            date: p.date,
            updated: p.updated,
            draft: p.draft,
        }
    }
}

/// A site-wide list by name.
pub(crate) fn list_of(site: &Site, list: List) -> &[PageId] {
    match list {
        List::Lessons => &site.lessons,
        List::Members => &site.members,
        List::Activities => &site.activities,
        List::Upcoming => &site.upcoming,
        List::Past => &site.past,
        List::Notices => &site.notices,
        List::CurrentNotices => &site.current_notices,
    }
}

/// Page `n` (1-based) of `ids` at `per` a page.
pub(crate) fn slice(ids: &[PageId], per: usize, n: usize) -> &[PageId] {
    let per = per.max(1);
    let start = (n.max(1) - 1).saturating_mul(per).min(ids.len());
    &ids[start..(start + per).min(ids.len())]
}

/// A total order for deduplication (the enum's own derive would need `Ord`
/// on every payload; this is enough).
fn order(d: &Dep) -> (u8, u64, u32) {
    match *d {
        Dep::Page(id) => (0, id as u64, 0),
        Dep::Card(id) => (1, id as u64, 0),
        Dep::Stamp(id) => (16, id as u64, 0),
        Dep::Link(id) => (2, id as u64, 0),
        Dep::TagLink(k) => (3, k, 0),
        Dep::TagSlice(k, n) => (4, k, n),
        Dep::Tags => (5, 0, 0),
        Dep::Course(k) => (6, k, 0),
        Dep::Courses => (7, 0, 0),
        Dep::SectionMeta(k) => (8, k, 0),
        Dep::SectionSlice(k, n) => (9, k, n),
        Dep::Sections => (10, 0, 0),
        Dep::Head(l, n) => (11, l as u64, n),
        Dep::Home => (12, 0, 0),
        Dep::Stats => (13, 0, 0),
        Dep::Now => (14, 0, 0),
        Dep::Site(k) => (15, k, 0),
        // Study plans (issue 16): 30 and up.
        Dep::Plans => (30, 0, 0),
        Dep::Plan(id) => (31, id as u64, 0),
        // 台账 and annual summaries (issue 14): 40 and up.
        Dep::LedgerOutline => (40, 0, 0),
        Dep::LedgerYear(y) => (41, y as u64, 0),
        Dep::AnnualYears => (42, 0, 0),
        Dep::AnnualYear(y) => (43, y as u64, 0),
        Dep::AnnualOutline => (44, 0, 0),
        Dep::Image(k) => (50, k, 0),
        Dep::SearchIndex => (60, 0, 0),
    }
}

impl Dep {
    /// The dep as three numbers, for the build cache ([`Dep::from_code`]
    /// reads them back).
    pub(crate) fn code(&self) -> (u8, u64, u32) {
        order(self)
    }

    /// The dep of [`Dep::code`]; `None` for numbers no dep has.
    pub(crate) fn from_code(tag: u8, a: u64, n: u32) -> Option<Dep> {
        let id = usize::try_from(a).ok();
        Some(match tag {
            0 => Dep::Page(id?),
            1 => Dep::Card(id?),
            16 => Dep::Stamp(id?),
            2 => Dep::Link(id?),
            3 => Dep::TagLink(a),
            4 => Dep::TagSlice(a, n),
            5 => Dep::Tags,
            6 => Dep::Course(a),
            7 => Dep::Courses,
            8 => Dep::SectionMeta(a),
            9 => Dep::SectionSlice(a, n),
            10 => Dep::Sections,
            11 => Dep::Head(LISTS.get(id?).copied()?, n),
            12 => Dep::Home,
            13 => Dep::Stats,
            14 => Dep::Now,
            15 => Dep::Site(a),
            30 => Dep::Plans,
            31 => Dep::Plan(id?),
            40 => Dep::LedgerOutline,
            // years were widened from i32: the cast back is exact
            41 => Dep::LedgerYear(a as i32),
            42 => Dep::AnnualYears,
            43 => Dep::AnnualYear(a as i32),
            44 => Dep::AnnualOutline,
            50 => Dep::Image(a),
            60 => Dep::SearchIndex,
            _ => return None,
        })
    }
}

/// Every list, in the order of its discriminant (`List as u64`).
const LISTS: [List; 7] = [
    List::Lessons,
    List::Members,
    List::Activities,
    List::Upcoming,
    List::Past,
    List::Notices,
    List::CurrentNotices,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_each_dep_once() {
        let mut r = Reads::new();
        r.add(Dep::Card(3));
        r.add(Dep::Page(1));
        r.add(Dep::Card(3));
        r.extend([Dep::Head(List::Past, 5), Dep::Page(1)]);
        assert_eq!(
            &*r.finish(),
            &[Dep::Page(1), Dep::Card(3), Dep::Head(List::Past, 5)]
        );
    }

    #[test]
    fn every_dep_reads_back_from_its_code() {
        let all = [
            Dep::Page(7),
            Dep::Stamp(7),
            Dep::Card(7),
            Dep::Link(7),
            Dep::TagLink(key("dang-shi")),
            Dep::TagSlice(key("dang-shi"), 2),
            Dep::Tags,
            Dep::Course(3),
            Dep::Courses,
            Dep::SectionMeta(4),
            Dep::SectionSlice(4, 9),
            Dep::Sections,
            Dep::Home,
            Dep::Stats,
            Dep::Now,
            Dep::Site(SITE_ALL),
            Dep::Plans,
            Dep::Plan(2),
            Dep::LedgerOutline,
            Dep::LedgerYear(2025),
            Dep::LedgerYear(-1),
            Dep::AnnualYears,
            Dep::AnnualOutline,
            Dep::AnnualYear(2024),
            Dep::Image(key("a.jpg")),
            Dep::SearchIndex,
        ];
        let lists = LISTS.map(|l| Dep::Head(l, 5));
        for d in all.iter().chain(&lists) {
            let (t, a, n) = d.code();
            assert_eq!(Dep::from_code(t, a, n), Some(*d));
        }
        assert_eq!(Dep::from_code(11, 7, 1), None, "no eighth list");
        assert_eq!(Dep::from_code(99, 0, 0), None);
    }

    #[test]
    fn keys_are_stable_and_distinct() {
        assert_eq!(key("dang-shi"), key("dang-shi"));
        assert_ne!(key("dang-shi"), key("dang-zhang"));
    }
}
