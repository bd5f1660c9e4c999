//! Which pages an edit shows up on: `serve` re-renders those and keeps
//! every other file. What is skipped must be exactly what a full build
//! would leave unchanged (tests/serve_incremental.rs compares the two).

use std::collections::HashMap;

use crate::model::{self, Course, Page, PageId, Section, Site, Tag};
use crate::render::contexts::Job;

/// The jobs an edit of `changed` sources needs, or `None` for all of them.
pub(super) fn affected(old: &Site, new: &Site, changed: &[String]) -> Option<Vec<Job>> {
    if old.pages.len() != new.pages.len()
        || old
            .pages
            .iter()
            .zip(&new.pages)
            .any(|(a, b)| a.source != b.source || a.path != b.path)
    {
        return None;
    }
    let by_source: HashMap<&str, PageId> = new
        .pages
        .iter()
        .map(|p| (p.source.as_str(), p.id))
        .collect();
    let mut jobs = vec![Job::Atom];
    for src in changed {
        // _index.md and course descriptions are on list pages only.
        let &id = by_source.get(src.as_str())?;
        jobs.extend(page_jobs(Shown::of(old, id), Shown::of(new, id), id)?);
    }
    Some(jobs)
}

/// The jobs after [`model::patch_pages`] replaced the pages `ids`, or
/// `None` for all of them.
pub(super) fn patched_jobs(
    earlier: &model::Earlier,
    site: &Site,
    ids: &[PageId],
) -> Option<Vec<Job>> {
    let mut jobs = vec![Job::Atom];
    for (&id, page) in ids.iter().zip(&earlier.pages) {
        let before = Shown {
            page,
            courses: &earlier.courses,
            tags: &earlier.tags,
            sections: &earlier.sections,
            paginate_by: site.config.paginate_by,
        };
        jobs.extend(page_jobs(before, Shown::of(site, id), id)?);
    }
    Some(jobs)
}

/// What a site shows of one page: the page and the lists it may be on.
#[derive(Clone, Copy)]
pub(super) struct Shown<'a> {
    page: &'a Page,
    courses: &'a [Course],
    tags: &'a [Tag],
    sections: &'a [Section],
    /// Cards per page of a tag list.
    paginate_by: usize,
}

impl<'a> Shown<'a> {
    pub(super) fn of(site: &'a Site, id: PageId) -> Shown<'a> {
        Shown {
            page: &site.pages[id],
            courses: &site.courses,
            tags: &site.tags,
            sections: &site.sections,
            paginate_by: site.config.paginate_by,
        }
    }
}

/// The jobs an edit of page `id` needs (same pages, same paths), or `None`
/// for all of them.
fn page_jobs(old: Shown, new: Shown, id: PageId) -> Option<Vec<Job>> {
    let mut jobs = vec![Job::Page(id)];
    let (a, b) = (old.page, new.page);
    if same_card(a, b) {
        return Some(jobs);
    }
    // A page moving between tags or courses changes which lists exist.
    let course = |p: &Page| p.lesson.as_ref().map(|l| l.course_name.clone());
    if a.tags != b.tags || course(a) != course(b) {
        return None;
    }
    jobs.extend(related(old).into_iter().chain(related(new)).map(Job::Page));
    jobs.extend(lists_showing(old, new, id)?);
    Some(jobs)
}

/// The list pages an edit of page `id`'s card changes: every page of a
/// paginated list whose slice of cards moved, and every page that shows the
/// card itself. `None` when the lists themselves changed shape.
pub(super) fn lists_showing(old: Shown, new: Shown, id: PageId) -> Option<Vec<Job>> {
    let mut jobs = vec![
        Job::Home,
        Job::Stats,
        Job::NotFound,
        Job::Sitemap,
        Job::Courses,
        Job::Me,
    ];
    if old.sections.len() != new.sections.len()
        || old.tags.len() != new.tags.len()
        || old.courses.len() != new.courses.len()
    {
        return None;
    }
    for (i, (a, b)) in old.sections.iter().zip(new.sections).enumerate() {
        jobs.extend(
            changed_pages(&a.pages, &b.pages, b.paginate_by, id)?
                .into_iter()
                .map(|n| Job::Section(i, n)),
        );
    }
    for (i, (a, b)) in old.tags.iter().zip(new.tags).enumerate() {
        if a.slug != b.slug {
            return None;
        }
        jobs.extend(
            changed_pages(&a.pages, &b.pages, new.paginate_by, id)?
                .into_iter()
                .map(|n| Job::Tag(i, n)),
        );
    }
    // Courses are ordered by their first lesson: when that order moved,
    // every course page's neighbours may have changed.
    let names = |s: &[Course]| s.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
    if names(old.courses) != names(new.courses) {
        jobs.extend((0..new.courses.len()).map(Job::Course));
    } else if let Some(c) = new.page.lesson.as_ref().and_then(|l| l.course) {
        jobs.push(Job::Course(c));
    }
    Some(jobs)
}

/// Page numbers (1-based) of a paginated list whose cards differ between
/// the old and the new order, or that show page `id`. `None` when the list
/// changed length (its number of pages may have changed).
fn changed_pages(old: &[PageId], new: &[PageId], per: usize, id: PageId) -> Option<Vec<usize>> {
    if old.len() != new.len() {
        return None;
    }
    let per = per.max(1);
    Some(
        old.chunks(per)
            .zip(new.chunks(per))
            .enumerate()
            .filter(|(_, (a, b))| a != b || b.contains(&id))
            .map(|(n, _)| n + 1)
            .collect(),
    )
}

/// Pages that show this one: its course mates, its participants or activities.
fn related(s: Shown) -> Vec<PageId> {
    let p = s.page;
    let mut out = Vec::new();
    if let Some(c) = p.lesson.as_ref().and_then(|l| l.course) {
        out.extend(s.courses[c].lessons.iter().copied());
    }
    if let Some(a) = &p.activity {
        out.extend(a.participants.iter().copied());
    }
    if let Some(m) = &p.member {
        out.extend(m.activities.iter().copied());
    }
    out
}

/// Whether everything a page shows on other pages (cards, lists, navigation) is unchanged.
fn same_card(a: &Page, b: &Page) -> bool {
    let lesson = |p: &Page| {
        p.lesson
            .as_ref()
            .map(|l| (l.course_name.clone(), l.order, l.duration))
    };
    let member = |p: &Page| {
        p.member.as_ref().map(|m| {
            (
                m.photo.clone(),
                m.role.clone(),
                m.class.clone(),
                m.honors.clone(),
                m.motto.clone(),
                m.featured,
            )
        })
    };
    let activity = |p: &Page| {
        p.activity.as_ref().map(|x| {
            (
                x.end,
                x.location.clone(),
                x.kind.clone(),
                x.participants.clone(),
                x.volunteer_hours.map(f64::to_bits),
                x.gallery.clone(),
            )
        })
    };
    a.title == b.title
        && a.date == b.date
        && a.updated == b.updated
        && a.summary == b.summary
        && a.tags == b.tags
        && a.cover == b.cover
        && a.weight == b.weight
        && a.draft == b.draft
        && a.quiz().is_some() == b.quiz().is_some()
        && lesson(a) == lesson(b)
        && member(a) == member(b)
        && activity(a) == activity(b)
}
