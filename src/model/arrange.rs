//! The second half of assembly: what depends on more than one page —
//! lists, courses, tags, sections, members ↔ activities, statistics —
//! from the placed pages. `serve` runs it alone after an edit that keeps
//! every page in place ([`patch_pages`](super::patch_pages)).
//!
//! What it fills in on pages (a lesson's place in its course, an
//! activity's participants, a member's activities) is worked out first and
//! written only where it differs, so a page it leaves as it was stays the
//! very same shared value (`serve` compares pages by identity first).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::assemble::{BuildOptions, SUMMARY_CHARS, reference, resolve_body};
use crate::model::courses::{self, CourseDescription, LessonPlace};
use crate::model::participants::{self, Joined};
use crate::model::urls::PathRegistry;
use crate::model::{
    Page, PageId, Section, SectionText, Site, Tag, annual, attachments, ledger, stats,
};
use crate::parse::markdown::excerpt;
use crate::parse::{Kind, ParsedPage};
use crate::slug::slugify;

/// What the second half of assembly ([`arrange`]) starts from besides the
/// pages, kept in the site so that `serve` can redo only that half.
#[derive(Clone, Debug, Default)]
pub struct Frame {
    /// Output paths claimed by pages and course descriptions.
    pub(super) registry: PathRegistry,
    /// content/_index.md ("") and content/<section>/_index.md, by section.
    pub(super) section_texts: BTreeMap<String, Arc<ParsedPage>>,
    /// Files in content/courses/, with their slugs.
    pub(super) descriptions: Vec<(String, Arc<ParsedPage>)>,
    /// Problems found while placing pages (warnings only in a good build).
    pub(super) diagnostics: Diagnostics,
}

/// Lessons, members, activities and notices in display order.
pub(super) struct KindLists {
    pub(super) lessons: Vec<PageId>,
    pub(super) members: Vec<PageId>,
    pub(super) activities: Vec<PageId>,
    /// Current and coming notices first ([`crate::timeline::order_notices`]).
    pub(super) notices: Vec<PageId>,
    /// Notices not over yet.
    pub(super) current_notices: Vec<PageId>,
}

/// The notices' section (not one of [`crate::routes::SECTIONS`]: a site
/// may have a page at /notices/ of its own).
const NOTICES: &str = "notices";

/// The second half of assembly: everything that depends on more than one
/// page (lists, courses, tags, sections, participants, statistics) from
/// the placed pages. Running it again gives the same site.
pub(super) fn arrange(site: &mut Site, opts: &BuildOptions) -> Diagnostics {
    let mut diags = Diagnostics::new();
    site.now = opts.now;
    let frame = Arc::clone(&site.frame);
    let descriptions: Vec<CourseDescription> = frame
        .descriptions
        .iter()
        .map(|(slug, p)| CourseDescription {
            slug: slug.clone(),
            text: section_text(site, p, &mut diags),
            weight: p.front.weight,
        })
        .collect();
    let lists = kind_lists(&site.pages, opts);
    let joined = participants::link(&site.pages, &lists, opts, &mut diags);
    let (courses, places) = courses::build(&site.pages, &lists.lessons, descriptions);
    fill(&mut site.pages, places, joined);

    let (mut upcoming, past): (Vec<PageId>, Vec<PageId>) = lists
        .activities
        .iter()
        .partition(|&&id| site.pages[id].activity.as_ref().is_some_and(|a| a.upcoming));
    upcoming.reverse();

    // Paths claimed here, on top of those claimed while placing pages.
    let mut claimed = PathRegistry::default();
    for c in courses.iter().filter(|c| c.description.is_none()) {
        if let Err(first) = claim(
            &frame,
            &mut claimed,
            &c.path,
            &format!("课程「{}」", c.name),
        ) {
            diags.push(
                Diagnostic::error(format!(
                    "课程「{}」的网址 /{} 已被 {first} 使用",
                    c.name, c.path
                ))
                .hint("在 content/courses/ 里为这门课建一个文件，并写上不同的 slug"),
            );
        }
    }
    let tags = tags(&site.pages);
    let sections = sections(site, &frame, &lists, &mut claimed, &mut diags);
    let home = frame
        .section_texts
        .get("")
        .map(|p| section_text(site, p, &mut diags));
    site.stats = stats::compute(
        &site.pages,
        &lists.activities,
        &lists.lessons,
        &lists.members,
        &courses,
    );
    records(site, &lists, &mut diags);
    site.lessons = lists.lessons;
    site.members = lists.members;
    site.activities = lists.activities;
    site.notices = lists.notices;
    site.current_notices = lists.current_notices;
    site.upcoming = upcoming;
    site.past = past;
    site.courses = courses;
    site.tags = tags;
    site.sections = sections;
    site.home = home;
    // Study plans: their items point at pages and courses placed above.
    let (plans, plan_diags) = super::plans::arrange(site);
    site.plans = plans;
    diags.extend(plan_diags);
    diags
}

/// The 台账, the annual summaries, and the warnings for bundle files no
/// page lists (all depend on many pages' front matter).
fn records(site: &mut Site, lists: &KindLists, diags: &mut Diagnostics) {
    let (ledger, problems) =
        ledger::compute(&site.pages, &lists.activities, &site.config, site.now);
    diags.extend(problems);
    let annual = annual::compute(
        &site.pages,
        &lists.activities,
        &lists.lessons,
        &lists.members,
        &ledger,
        site.now,
    );
    site.ledger = ledger;
    site.annual = annual;
    let frame = &site.frame;
    let listing = site
        .pages
        .iter()
        .map(|p| &*p.src.0)
        .chain(frame.section_texts.values().map(|p| &**p))
        .chain(frame.descriptions.iter().map(|(_, p)| &**p));
    diags.extend(attachments::unlisted(listing));
}

/// Claims `path` unless the pages claimed it first.
fn claim(frame: &Frame, claimed: &mut PathRegistry, path: &str, owner: &str) -> Result<(), String> {
    match frame.registry.owner(path) {
        Some(first) => Err(first.to_string()),
        None => claimed.claim(path, owner),
    }
}

/// The text of an `_index.md` or a course description, its links resolved.
fn section_text(site: &Site, p: &ParsedPage, diags: &mut Diagnostics) -> SectionText {
    let resolver = &site.resolver;
    let (html, problems) = resolve_body(resolver, p);
    diags.extend(problems);
    let cover = p
        .front
        .cover
        .as_ref()
        .and_then(|c| reference(resolver, c, p, "cover", diags));
    SectionText {
        source: p.file.rel.clone(),
        title: p.front.title.clone(),
        html: html.unwrap_or_else(|| p.md.html.clone()),
        summary: p
            .front
            .summary
            .clone()
            .unwrap_or_else(|| excerpt(&p.md.plain, SUMMARY_CHARS)),
        cover,
        extra: p.front.extra.clone(),
    }
}

fn kind_lists(pages: &[Arc<Page>], opts: &BuildOptions) -> KindLists {
    let ids_of =
        |k: Kind| -> Vec<PageId> { pages.iter().filter(|p| p.kind == k).map(|p| p.id).collect() };
    let mut lessons = ids_of(Kind::Lesson);
    let mut members = ids_of(Kind::Member);
    let mut activities = ids_of(Kind::Activity);
    sort_newest_first(pages, &mut lessons);
    sort_newest_first(pages, &mut activities);
    let mut notices = ids_of(Kind::Notice);
    sort_newest_first(pages, &mut notices);
    let (notices, current_notices) = crate::timeline::order_notices(pages, &notices, opts.now);
    members.sort_by_cached_key(|&id| {
        let p = &pages[id];
        let m = p.member.as_ref();
        (
            p.weight.unwrap_or(i64::MAX),
            !m.is_some_and(|m| m.featured),
            usize::MAX - m.map(|m| m.honors.len()).unwrap_or(0),
            crate::slug::pinyin_compact(&p.title),
        )
    });
    KindLists {
        lessons,
        members,
        activities,
        notices,
        current_notices,
    }
}

/// Writes what arrange fills in on each page (course places, participants,
/// members' activities), touching only pages where it changed.
fn fill(pages: &mut [Arc<Page>], places: Vec<LessonPlace>, joined: Joined) {
    let mut place: HashMap<PageId, LessonPlace> = places.into_iter().map(|p| (p.id, p)).collect();
    for page in pages.iter_mut() {
        let id = page.id;
        let lesson = place.remove(&id);
        let activity = joined.activities.get(&id);
        let member = joined.members.get(&id);
        let same = page.lesson.as_ref().is_none_or(|l| {
            let want = lesson.as_ref();
            (l.course, l.position, l.prev, l.next)
                == want.map_or((None, 0, None, None), |w| {
                    (Some(w.course), w.position, w.prev, w.next)
                })
        }) && page.activity.as_ref().is_none_or(|a| {
            activity.map_or(a.participants.is_empty() && !a.upcoming, |(ids, up)| {
                a.participants == *ids && a.upcoming == *up
            })
        }) && page.member.as_ref().is_none_or(|m| {
            member.map_or(
                m.activities.is_empty() && m.volunteer_hours == 0.0,
                |(acts, h)| m.activities == *acts && m.volunteer_hours == *h,
            )
        });
        if same {
            continue;
        }
        let p = Arc::make_mut(page);
        if let Some(l) = p.lesson.as_mut() {
            (l.course, l.position, l.prev, l.next) = match &lesson {
                Some(w) => (Some(w.course), w.position, w.prev, w.next),
                None => (None, 0, None, None),
            };
        }
        if let Some(a) = p.activity.as_mut() {
            (a.participants, a.upcoming) = activity.cloned().unwrap_or_default();
        }
        if let Some(m) = p.member.as_mut() {
            (m.activities, m.volunteer_hours) = member.cloned().unwrap_or_default();
        }
    }
}

/// One list per tag slug, newest pages first; most used tags first.
fn tags(pages: &[Arc<Page>]) -> Vec<Tag> {
    let mut tag_map: BTreeMap<String, Tag> = BTreeMap::new();
    let mut dated: Vec<PageId> = (0..pages.len()).collect();
    sort_newest_first(pages, &mut dated);
    let mut slug_of_tag: HashMap<&str, String> = HashMap::new();
    for &id in &dated {
        for t in &pages[id].tags {
            let slug = slug_of_tag
                .entry(t.as_str())
                .or_insert_with(|| slugify(t))
                .clone();
            let tag = tag_map.entry(slug.clone()).or_insert_with(|| Tag {
                name: t.clone(),
                path: crate::routes::tag(&slug),
                slug,
                pages: Vec::new(),
                spellings: Vec::new(),
            });
            tag.pages.push(id);
            if let Err(at) = tag.spellings.binary_search(t) {
                tag.spellings.insert(at, t.clone());
            }
        }
    }
    let mut tags: Vec<Tag> = tag_map.into_values().collect();
    tags.sort_by(|a, b| {
        b.pages
            .len()
            .cmp(&a.pages.len())
            .then_with(|| a.slug.cmp(&b.slug))
    });
    tags
}

/// The sections every site has, then one per other top-level folder.
fn sections(
    site: &Site,
    frame: &Frame,
    lists: &KindLists,
    claimed: &mut PathRegistry,
    diags: &mut Diagnostics,
) -> Vec<Section> {
    let pages = &site.pages;
    let mut names: Vec<String> = crate::routes::SECTIONS.map(String::from).to_vec();
    // /notices/ exists on every site (menus link to it), unless a page has that URL.
    if frame
        .registry
        .owner(&crate::routes::section(NOTICES))
        .is_none()
    {
        names.push(NOTICES.into());
    }
    let mut others: Vec<String> = pages
        .iter()
        .map(|p| p.section.clone())
        .filter(|s| !s.is_empty() && !names.contains(s))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    others.sort();
    names.extend(others);
    let mut sections = Vec::new();
    for name in names {
        let text = frame
            .section_texts
            .get(&name)
            .map(|p| section_text(site, p, diags));
        let src = frame.section_texts.get(&name);
        let list = section_list(pages, &name, lists, src);
        let path = crate::routes::section(&name);
        if !crate::routes::SECTIONS.contains(&name.as_str())
            && let Err(first) = claim(frame, claimed, &path, &format!("content/{name}/ 栏目"))
        {
            diags.push(
                Diagnostic::error(format!(
                    "栏目 content/{name}/ 的网址 /{path} 已被 {first} 使用"
                ))
                .in_file(format!("content/{name}"))
                .hint("给栏目文件夹换个名字"),
            );
            continue;
        }
        sections.push(Section {
            title: text
                .as_ref()
                .map(|t| t.title.clone())
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| default_section_title(&name)),
            name,
            path,
            text,
            pages: list,
            paginate_by: src
                .and_then(|p| p.front.section.paginate_by)
                .unwrap_or(site.config.paginate_by),
        });
    }
    sections
}

/// A section's pages in the order its `_index.md` asks for.
fn section_list(
    pages: &[Arc<Page>],
    name: &str,
    lists: &KindLists,
    src: Option<&Arc<ParsedPage>>,
) -> Vec<PageId> {
    let mut list: Vec<PageId> = match name {
        "lessons" => lists.lessons.clone(),
        "members" => lists.members.clone(),
        "activities" => lists.activities.clone(),
        NOTICES => lists.notices.clone(),
        _ => {
            let mut v: Vec<PageId> = pages
                .iter()
                .filter(|p| p.section == name)
                .map(|p| p.id)
                .collect();
            sort_newest_first(pages, &mut v);
            v
        }
    };
    if let Some(sort) = src.and_then(|p| p.front.section.sort_by.clone()) {
        match sort.as_str() {
            "weight" => list.sort_by_key(|&id| {
                (
                    pages[id].weight.unwrap_or(i64::MAX),
                    pages[id].title.clone(),
                )
            }),
            "title" => list.sort_by_key(|&id| crate::slug::pinyin_compact(&pages[id].title)),
            _ => sort_newest_first(pages, &mut list),
        }
    }
    list
}

fn default_section_title(name: &str) -> String {
    match name {
        "lessons" => "学习课程".into(),
        "members" => "先锋模范".into(),
        "activities" => "支部活动".into(),
        NOTICES => "通知公告".into(),
        "plans" => "学习计划".into(),
        other => other.to_string(),
    }
}

/// Newest first; undated pages last, by title.
pub(super) fn sort_newest_first(pages: &[Arc<Page>], ids: &mut [PageId]) {
    ids.sort_by(|&a, &b| {
        let (pa, pb) = (&pages[a], &pages[b]);
        pb.date
            .map(|d| d.at)
            .cmp(&pa.date.map(|d| d.at))
            .then_with(|| {
                pa.weight
                    .unwrap_or(i64::MAX)
                    .cmp(&pb.weight.unwrap_or(i64::MAX))
            })
            .then_with(|| pa.title.cmp(&pb.title))
    });
}
