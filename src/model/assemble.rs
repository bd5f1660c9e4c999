//! Builds the [`Site`] from parsed pages.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Duration, FixedOffset};
use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, closest};
use crate::load::Asset;
use crate::model::courses::{self, CourseDescription};
use crate::model::links::{Resolver, Target, to_diagnostic};
use crate::model::urls::{self, PathRegistry};
use crate::model::{
    ActivityData, Attachment, Course, LessonData, MemberData, Page, PageId, Section, SectionText,
    Site, Stats, Tag, stats,
};
use crate::parse::front::Located;
use crate::parse::markdown::excerpt;
use crate::parse::{Kind, ParsedPage};
use crate::slug::slugify;

#[derive(Clone, Debug)]
pub struct BuildOptions {
    /// Include pages marked `draft: true`.
    pub drafts: bool,
    /// "Now", for upcoming vs past.
    pub now: DateTime<FixedOffset>,
}

const SUMMARY_CHARS: usize = 120;

const IMAGE_EXTS: [&str; 7] = ["jpg", "jpeg", "png", "gif", "webp", "svg", "avif"];

fn is_image(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, e)| IMAGE_EXTS.contains(&e.to_ascii_lowercase().as_str()))
}

fn display(rel: &str) -> String {
    format!("content/{rel}")
}

/// Assembles the site. Errors are returned with whatever could be built.
pub fn assemble(
    config: Config,
    parsed: Vec<Arc<ParsedPage>>,
    loose_assets: Vec<Asset>,
    opts: &BuildOptions,
) -> (Site, Diagnostics) {
    assemble_after(config, parsed, loose_assets, opts, None)
}

/// [`assemble`], taking what it can from `previous`, a site assembled
/// from mostly the same files (`serve` after an edit): a page whose parsed
/// file is the very same and whose link targets are all unchanged keeps its
/// resolved HTML. The result is the same as without `previous`.
pub fn assemble_after(
    config: Config,
    parsed: Vec<Arc<ParsedPage>>,
    loose_assets: Vec<Asset>,
    opts: &BuildOptions,
    previous: Option<&Site>,
) -> (Site, Diagnostics) {
    let mut diags = Diagnostics::new();
    let base_path = config.base_path();

    // Sort the inputs so that ids and every list are stable across runs.
    let mut parsed = parsed;
    parsed.sort_by(|a, b| a.file.rel.cmp(&b.file.rel));

    let mut resolver = Resolver {
        base_path: base_path.clone(),
        ..Default::default()
    };
    for a in &loose_assets {
        resolver.assets.insert(a.rel.clone(), a.rel.clone());
    }

    let mut registry = PathRegistry::generated();
    let mut page_sources: Vec<Arc<ParsedPage>> = Vec::new();
    let mut section_texts: BTreeMap<String, Arc<ParsedPage>> = BTreeMap::new();
    let mut course_files: Vec<Arc<ParsedPage>> = Vec::new();

    // Slugs (pinyin of Chinese file names: not free) in parallel.
    let slugs: Vec<String> = parsed.par_iter().map(|p| urls::slug_of(p)).collect();
    let mut placed: Vec<(String, String, String)> = Vec::new();
    for (p, slug) in parsed.into_iter().zip(slugs) {
        if p.front.draft && !opts.drafts {
            resolver.drafts.insert(p.file.rel.clone());
            continue;
        }
        match p.kind {
            Kind::Section => {
                if p.file.rel == "_index.md" || p.file.rel.matches('/').count() == 1 {
                    section_texts.insert(p.file.section().to_string(), p);
                } else {
                    diags.push(
                        Diagnostic::warning("子文件夹里的 _index.md 不会被使用")
                            .in_file(display(&p.file.rel))
                            .hint("栏目说明放在 content/<栏目>/_index.md；系列课程的介绍放在 content/courses/ 里"),
                    );
                }
            }
            Kind::Course => course_files.push(p),
            _ => {
                let section = p.file.section().to_string();
                let path = urls::page_path(&section, &slug);
                if let Err(first) = registry.claim(&path, &display(&p.file.rel)) {
                    diags.push(urls::collision(
                        &display(&p.file.rel),
                        p.front.slug.is_some(),
                        &path,
                        &first,
                    ));
                    continue;
                }
                // Bundle files are published beside the page.
                if p.file.is_bundle() {
                    let dir = p.file.dir().to_string();
                    for a in &p.file.assets {
                        let inner = a.rel.strip_prefix(&format!("{dir}/")).unwrap_or(&a.rel);
                        resolver
                            .assets
                            .insert(a.rel.clone(), format!("{path}{inner}"));
                    }
                }
                placed.push((slug, section, path));
                page_sources.push(p);
            }
        }
    }
    let mut pages: Vec<Page> = page_sources
        .par_iter()
        .zip(placed)
        .enumerate()
        .map(|(id, (p, (slug, section, path)))| new_page(id, p, slug, section, path))
        .collect();

    // Courses described in content/courses/.
    let mut descriptions = Vec::new();
    for p in course_files {
        let slug = urls::slug_of(&p);
        let path = format!("courses/{slug}/");
        if let Err(first) = registry.claim(&path, &display(&p.file.rel)) {
            diags.push(urls::collision(
                &display(&p.file.rel),
                p.front.slug.is_some(),
                &path,
                &first,
            ));
            continue;
        }
        descriptions.push((slug, p));
    }

    // Link targets: pages, section texts, course descriptions.
    for (p, src) in pages.iter().zip(&page_sources) {
        resolver.by_source.insert(
            src.file.rel.clone(),
            Target {
                path: p.path.clone(),
                anchors: src.md.anchors.clone(),
            },
        );
    }
    for (section, p) in &section_texts {
        let path = if section.is_empty() {
            String::new()
        } else {
            format!("{section}/")
        };
        resolver.by_source.insert(
            p.file.rel.clone(),
            Target {
                path,
                anchors: p.md.anchors.clone(),
            },
        );
    }
    for (slug, p) in &descriptions {
        resolver.by_source.insert(
            p.file.rel.clone(),
            Target {
                path: format!("courses/{slug}/"),
                anchors: p.md.anchors.clone(),
            },
        );
    }

    // Resolve links in page bodies (in parallel: each page is independent).
    // With the same link targets as `previous`, an unchanged file resolves
    // as before (and without problems: every link problem is an error, and
    // `previous` was built).
    let earlier: HashMap<&str, &Page> = previous
        .filter(|prev| prev.resolver == resolver)
        .map(|prev| prev.pages.iter().map(|p| (p.source.as_str(), p)).collect())
        .unwrap_or_default();
    let resolved: Vec<(Option<Arc<str>>, Vec<Diagnostic>)> = page_sources
        .par_iter()
        .map(|src| {
            if let Some(old) = earlier.get(src.file.rel.as_str())
                && Arc::ptr_eq(&old.src, src)
            {
                return (old.resolved.clone(), Vec::new());
            }
            let (html, problems) = resolver.resolve_html(&src.md.html, &src.md.links);
            let d = problems
                .into_iter()
                .map(|pr| to_diagnostic(pr, &display(&src.file.rel), &src.file.text))
                .collect();
            (html.map(Arc::from), d)
        })
        .collect();
    for (page, (html, d)) in pages.iter_mut().zip(resolved) {
        page.resolved = html;
        diags.extend(d);
    }

    // Front matter references: covers, photos, media, attachments, galleries.
    for (page, src) in pages.iter_mut().zip(&page_sources) {
        resolve_references(page, src, &resolver, &mut diags);
    }

    let mut site = Site {
        config,
        now: opts.now,
        pages,
        lessons: Vec::new(),
        members: Vec::new(),
        activities: Vec::new(),
        upcoming: Vec::new(),
        past: Vec::new(),
        courses: Vec::new(),
        tags: Vec::new(),
        sections: Vec::new(),
        home: None,
        stats: Stats::default(),
        loose_assets,
        resolver,
        frame: Frame {
            registry,
            section_texts,
            descriptions,
            diagnostics: diags.clone(),
        },
    };
    diags.extend(arrange(&mut site, opts));
    (site, diags)
}

/// What the second half of assembly ([`arrange`]) starts from besides the
/// pages, kept in the site so that `serve` can redo only that half.
#[derive(Clone, Debug, Default)]
pub struct Frame {
    /// Output paths claimed by pages and course descriptions.
    registry: PathRegistry,
    /// content/_index.md ("") and content/<section>/_index.md, by section.
    section_texts: BTreeMap<String, Arc<ParsedPage>>,
    /// Files in content/courses/, with their slugs.
    descriptions: Vec<(String, Arc<ParsedPage>)>,
    /// Problems found while placing pages (warnings only in a good build).
    diagnostics: Diagnostics,
}

/// The second half of assembly: everything that depends on more than one
/// page (lists, courses, tags, sections, participants, statistics) from
/// the placed pages. Running it again gives the same site.
fn arrange(site: &mut Site, opts: &BuildOptions) -> Diagnostics {
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
        let (html, problems) = resolver.resolve_html(&p.md.html, &p.md.links);
        for pr in problems {
            diags.push(to_diagnostic(pr, &display(&p.file.rel), &p.file.text));
        }
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

/// Puts a new version of a page whose front matter and headings are
/// unchanged into the site: its body, resolved links and derived summary.
/// Returns whether anything shown on other pages (the summary) changed.
pub fn patch_body(site: &mut Site, id: PageId, src: Arc<ParsedPage>) -> (bool, Vec<Diagnostic>) {
    let (html, problems) = site.resolver.resolve_html(&src.md.html, &src.md.links);
    let diags = problems
        .into_iter()
        .map(|pr| to_diagnostic(pr, &display(&src.file.rel), &src.file.text))
        .collect();
    let page = &mut site.pages[id];
    page.resolved = html.map(Arc::from);
    let mut card_changed = false;
    if !page.summary_written {
        let summary = excerpt(&src.md.plain, SUMMARY_CHARS);
        card_changed = summary != page.summary;
        page.summary = summary;
    }
    page.src = src;
    (card_changed, diags)
}

/// Whether `src`, a new version of page `id`, keeps the page where it is:
/// same file, kind and URL, same headings, still published. Then nothing
/// placed depends on it, and [`patch_pages`] can put it into the site.
pub fn keeps_place(site: &Site, id: PageId, src: &ParsedPage, opts: &BuildOptions) -> bool {
    let old = &site.pages[id];
    src.kind == old.kind
        && src.file.rel == old.source
        && (!src.front.draft || opts.drafts)
        && src.md.anchors == old.src.md.anchors
        && urls::page_path(&old.section, &urls::slug_of(src)) == old.path
}

/// What [`patch_pages`] replaced: the pages as they were and the lists
/// they were on, to compare with the new ones.
pub struct Earlier {
    pub pages: Vec<Page>,
    pub courses: Vec<Course>,
    pub tags: Vec<Tag>,
    pub sections: Vec<Section>,
}

/// Puts new versions of pages that keep their place ([`keeps_place`]) into
/// the site and arranges the lists again, as a full assembly would. Returns
/// what was replaced and the model's diagnostics; on error the site is
/// left as it was.
pub fn patch_pages(
    site: &mut Site,
    edits: Vec<(PageId, Arc<ParsedPage>)>,
    opts: &BuildOptions,
) -> Result<(Earlier, Diagnostics), Diagnostics> {
    // The pages first: their own problems change nothing.
    let mut errors = Diagnostics::new();
    let mut fresh = Vec::new();
    for (id, src) in edits {
        let old = &site.pages[id];
        let mut page = new_page(
            id,
            &src,
            old.slug.clone(),
            old.section.clone(),
            old.path.clone(),
        );
        let (html, problems) = site.resolver.resolve_html(&src.md.html, &src.md.links);
        errors.extend(
            problems
                .into_iter()
                .map(|pr| to_diagnostic(pr, &display(&src.file.rel), &src.file.text)),
        );
        page.resolved = html.map(Arc::from);
        resolve_references(&mut page, &src, &site.resolver, &mut errors);
        fresh.push(page);
    }
    if errors.has_errors() {
        return Err(errors.sorted());
    }
    let pages = fresh
        .into_iter()
        .map(|p| {
            let id = p.id;
            std::mem::replace(&mut site.pages[id], p)
        })
        .collect();
    let earlier = Earlier {
        pages,
        courses: std::mem::take(&mut site.courses),
        tags: std::mem::take(&mut site.tags),
        sections: std::mem::take(&mut site.sections),
    };
    let mut diags = site.frame.diagnostics.clone();
    diags.extend(arrange(site, opts));
    if diags.has_errors() {
        unpatch(site, &earlier, opts);
        return Err(diags.sorted());
    }
    Ok((earlier, diags))
}

/// Undoes [`patch_pages`] (for `serve`, when the patched site fails to render).
pub fn unpatch(site: &mut Site, earlier: &Earlier, opts: &BuildOptions) {
    for p in &earlier.pages {
        site.pages[p.id] = p.clone();
    }
    arrange(site, opts);
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

fn new_page(id: PageId, p: &Arc<ParsedPage>, slug: String, section: String, path: String) -> Page {
    let f = &p.front;
    let summary_written = f.summary.is_some();
    Page {
        id,
        kind: p.kind,
        source: p.file.rel.clone(),
        src: Arc::clone(p),
        section,
        slug,
        path,
        title: f.title.clone(),
        date: f.date,
        updated: f.updated,
        summary: f
            .summary
            .clone()
            .unwrap_or_else(|| excerpt(&p.md.plain, SUMMARY_CHARS)),
        summary_written,
        tags: f.tags.clone(),
        draft: f.draft,
        cover: None,
        weight: f.weight,
        resolved: None,
        lesson: (p.kind == Kind::Lesson).then(|| LessonData {
            course_name: f.lesson.course.as_ref().map(|c| c.value.clone()),
            order: f.lesson.order,
            duration: f.lesson.duration,
            ..Default::default()
        }),
        member: (p.kind == Kind::Member).then(|| MemberData {
            role: f.member.role.clone(),
            class: f.member.class.clone(),
            honors: f.member.honors.clone(),
            motto: f.member.motto.clone(),
            featured: f.member.featured,
            ..Default::default()
        }),
        activity: (p.kind == Kind::Activity).then(|| ActivityData {
            end: f.activity.end,
            location: f.activity.location.clone(),
            kind: f.activity.kind.clone(),
            volunteer_hours: f.activity.volunteer_hours,
            ..Default::default()
        }),
    }
}

/// Resolves one front matter path; a problem becomes an error at its line.
fn reference(
    resolver: &Resolver,
    l: &Located,
    p: &ParsedPage,
    key: &str,
    diags: &mut Diagnostics,
) -> Option<String> {
    match resolver.resolve_ref(&l.value, p.file.dir()) {
        Ok(u) => Some(u),
        Err((msg, hint)) => {
            diags.push(
                Diagnostic::error(format!("{key}：{msg}"))
                    .in_file(display(&p.file.rel))
                    .at(Some(&p.file.text), l.line, l.col)
                    .width(l.value.chars().count())
                    .hint(hint),
            );
            None
        }
    }
}

fn resolve_references(
    page: &mut Page,
    src: &ParsedPage,
    resolver: &Resolver,
    diags: &mut Diagnostics,
) {
    let f = &src.front;
    page.cover = f
        .cover
        .as_ref()
        .and_then(|c| reference(resolver, c, src, "cover", diags));
    if let Some(m) = page.member.as_mut() {
        m.photo = f
            .member
            .photo
            .as_ref()
            .and_then(|c| reference(resolver, c, src, "photo", diags));
    }
    if let Some(l) = page.lesson.as_mut() {
        l.video = f
            .lesson
            .video
            .as_ref()
            .and_then(|c| reference(resolver, c, src, "video", diags));
        l.audio = f
            .lesson
            .audio
            .as_ref()
            .and_then(|c| reference(resolver, c, src, "audio", diags));
        l.attachments = f
            .lesson
            .attachments
            .iter()
            .filter_map(|a| {
                let url = reference(resolver, a, src, "attachments", diags)?;
                let name = a.value.rsplit('/').next().unwrap_or(&a.value).to_string();
                let format = name
                    .rsplit_once('.')
                    .map(|(_, e)| e.to_uppercase())
                    .unwrap_or_default();
                let bytes = if url.contains("://") {
                    None
                } else {
                    let on_disk = src.file.path.parent().map(|d| d.join(&a.value));
                    on_disk
                        .and_then(|p| std::fs::metadata(p).ok())
                        .map(|m| m.len())
                };
                Some(Attachment {
                    url,
                    name,
                    format,
                    bytes,
                })
            })
            .collect();
    }
    if let Some(act) = page.activity.as_mut() {
        act.gallery = if f.activity.gallery.is_empty() {
            // Every image in the bundle, in name order (load sorted them).
            src.file
                .assets
                .iter()
                .filter(|a| is_image(&a.rel))
                .filter_map(|a| resolver.assets.get(&a.rel).cloned())
                .collect()
        } else {
            f.activity
                .gallery
                .iter()
                .filter_map(|g| reference(resolver, g, src, "gallery", diags))
                .collect()
        };
    }
    // A cover for cards: the written one, else the first gallery photo or the member's photo.
    if page.cover.is_none() {
        page.cover = page
            .activity
            .as_ref()
            .and_then(|a| a.gallery.first().cloned())
            .or_else(|| page.member.as_ref().and_then(|m| m.photo.clone()));
    }
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
