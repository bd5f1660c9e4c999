//! The second half of assembly: what depends on more than one page —
//! lists, courses, tags, sections, members ↔ activities, statistics —
//! from the placed pages. `serve` runs it alone after an edit that keeps
//! every page in place ([`patch_pages`](super::patch_pages)).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chrono::Duration;

use crate::diagnostics::{Diagnostic, Diagnostics, closest};
use crate::model::assemble::{BuildOptions, SUMMARY_CHARS, display, reference, resolve_body};
use crate::model::courses::{self, CourseDescription};
use crate::model::urls::PathRegistry;
use crate::model::{Page, PageId, Section, SectionText, Site, Tag, stats};
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

/// The second half of assembly: everything that depends on more than one
/// page (lists, courses, tags, sections, participants, statistics) from
/// the placed pages. Running it again gives the same site.
pub(super) fn arrange(site: &mut Site, opts: &BuildOptions) -> Diagnostics {
    let mut diags = Diagnostics::new();
    site.now = opts.now;
    let config = &site.config;
    let resolver = &site.resolver;
    let frame = &site.frame;
    let pages = &mut site.pages;
    for page in pages.iter_mut() {
        clear_derived(page);
    }
    // Paths claimed here, on top of those claimed while placing pages.
    let mut claimed = PathRegistry::default();
    let mut claim = |path: &str, owner: &str| match frame.registry.owner(path) {
        Some(first) => Err(first.to_string()),
        None => claimed.claim(path, owner),
    };

    let section_text = |p: &ParsedPage, diags: &mut Diagnostics| -> SectionText {
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
    };

    let descriptions: Vec<CourseDescription> = frame
        .descriptions
        .iter()
        .map(|(slug, p)| CourseDescription {
            slug: slug.clone(),
            text: section_text(p, &mut diags),
            weight: p.front.weight,
        })
        .collect();

    // Kind lists, in display order.
    let ids_of =
        |k: Kind| -> Vec<PageId> { pages.iter().filter(|p| p.kind == k).map(|p| p.id).collect() };
    let mut lessons = ids_of(Kind::Lesson);
    let mut members = ids_of(Kind::Member);
    let mut activities = ids_of(Kind::Activity);
    sort_newest_first(pages, &mut lessons);
    sort_newest_first(pages, &mut activities);
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

    // Members <-> activities.
    link_participants(pages, &members, &activities, opts, &mut diags);

    let (mut upcoming, past): (Vec<PageId>, Vec<PageId>) = activities
        .iter()
        .partition(|&&id| pages[id].activity.as_ref().is_some_and(|a| a.upcoming));
    upcoming.reverse();

    let courses = courses::build(pages, &lessons, descriptions);
    for c in &courses {
        if c.description.is_none()
            && let Err(first) = claim(&c.path, &format!("课程「{}」", c.name))
        {
            diags.push(
                Diagnostic::error(format!(
                    "课程「{}」的网址 /{} 已被 {first} 使用",
                    c.name, c.path
                ))
                .hint("在 content/courses/ 里为这门课建一个文件，并写上不同的 slug"),
            );
        }
    }

    // Tags: one page per tag slug, newest pages first.
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
                path: format!("tags/{slug}/"),
                slug,
                pages: Vec::new(),
            });
            tag.pages.push(id);
        }
    }
    let mut tags: Vec<Tag> = tag_map.into_values().collect();
    tags.sort_by(|a, b| {
        b.pages
            .len()
            .cmp(&a.pages.len())
            .then_with(|| a.slug.cmp(&b.slug))
    });

    // Sections.
    let mut sections = Vec::new();
    let mut names: Vec<String> = vec!["lessons".into(), "members".into(), "activities".into()];
    let mut others: Vec<String> = pages
        .iter()
        .map(|p| p.section.clone())
        .filter(|s| !s.is_empty() && !names.contains(s))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    others.sort();
    names.extend(others);
    for name in names {
        let text = frame
            .section_texts
            .get(&name)
            .map(|p| section_text(p, &mut diags));
        let src = frame.section_texts.get(&name);
        let mut list: Vec<PageId> = match name.as_str() {
            "lessons" => lessons.clone(),
            "members" => members.clone(),
            "activities" => activities.clone(),
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
        let path = format!("{name}/");
        if !["lessons", "members", "activities"].contains(&name.as_str())
            && let Err(first) = claim(&path, &format!("content/{name}/ 栏目"))
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
                .unwrap_or(config.paginate_by),
        });
    }

    let home = frame
        .section_texts
        .get("")
        .map(|p| section_text(p, &mut diags));
    let stats = stats::compute(pages, &activities, &lessons, &members, &courses);

    site.lessons = lessons;
    site.members = members;
    site.activities = activities;
    site.upcoming = upcoming;
    site.past = past;
    site.courses = courses;
    site.tags = tags;
    site.sections = sections;
    site.home = home;
    site.stats = stats;
    // Output paths some file system would refuse, or that clash by case.
    diags.extend(crate::paths_check::check_site(site));
    diags
}

/// Forgets what [`arrange`] fills in.
fn clear_derived(page: &mut Page) {
    if let Some(l) = page.lesson.as_mut() {
        l.course = None;
        l.position = 0;
        l.prev = None;
        l.next = None;
    }
    if let Some(m) = page.member.as_mut() {
        m.activities.clear();
        m.volunteer_hours = 0.0;
    }
    if let Some(a) = page.activity.as_mut() {
        a.participants.clear();
        a.upcoming = false;
    }
}

fn default_section_title(name: &str) -> String {
    match name {
        "lessons" => "学习课程".into(),
        "members" => "先锋模范".into(),
        "activities" => "支部活动".into(),
        other => other.to_string(),
    }
}

/// Newest first; undated pages last, by title.
fn sort_newest_first(pages: &[Page], ids: &mut [PageId]) {
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

/// Resolves participants, fills both directions and marks upcoming activities.
fn link_participants(
    pages: &mut [Page],
    members: &[PageId],
    activities: &[PageId],
    opts: &BuildOptions,
    diags: &mut Diagnostics,
) {
    let mut by_key: HashMap<String, PageId> = HashMap::new();
    for &m in members {
        by_key.insert(pages[m].slug.clone(), m);
    }
    let mut by_name: HashMap<String, Vec<PageId>> = HashMap::new();
    for &m in members {
        by_name.entry(pages[m].title.clone()).or_default().push(m);
    }
    let slugs: Vec<String> = members.iter().map(|&m| pages[m].slug.clone()).collect();
    let mut joined: HashMap<PageId, Vec<PageId>> = HashMap::new();
    for &a in activities {
        let src = pages[a].src.clone();
        let mut ids = Vec::new();
        for p in &src.front.activity.participants {
            let found = by_key
                .get(&p.value)
                .or_else(|| by_key.get(&slugify(&p.value)))
                .copied()
                .or_else(|| by_name.get(&p.value).filter(|v| v.len() == 1).map(|v| v[0]));
            match found {
                Some(m) if !ids.contains(&m) => ids.push(m),
                Some(_) => {}
                None => {
                    let hint = match closest(&p.value, slugs.iter().map(String::as_str), 3) {
                        Some(s) => format!("是不是 {s}？participants 写成员文件的名字（slug），成员在 content/members/ 里"),
                        None => "participants 写成员文件的名字（slug），例如 zhang-san；先在 content/members/ 里为这位成员建档".into(),
                    };
                    diags.push(
                        Diagnostic::error(format!(
                            "未知的参与者 `{}`：content/members/ 里没有这位成员",
                            p.value
                        ))
                        .in_file(display(&src.file.rel))
                        .at(Some(&src.file.text), p.line, p.col)
                        .width(p.value.chars().count())
                        .hint(hint),
                    );
                }
            }
        }
        let page = &mut pages[a];
        let start = page.date.map(|d| d.at);
        let finish = page
            .activity
            .as_ref()
            .and_then(|x| x.end)
            .or(page.date)
            .map(|w| {
                if w.all_day {
                    w.at + Duration::days(1)
                } else {
                    w.at
                }
            });
        if let Some(act) = page.activity.as_mut() {
            act.upcoming = finish.or(start).is_some_and(|t| t > opts.now);
            act.participants = ids.clone();
        }
        for m in ids {
            joined.entry(m).or_default().push(a);
        }
    }
    for (m, acts) in joined {
        let hours: f64 = acts
            .iter()
            .filter_map(|&a| pages[a].activity.as_ref())
            .filter(|a| !a.upcoming)
            .filter_map(|a| a.volunteer_hours)
            .sum();
        if let Some(md) = pages[m].member.as_mut() {
            md.activities = acts; // activities were iterated newest first
            md.volunteer_hours = hours;
        }
    }
}
