//! Builds the [`Site`] from parsed pages, in two halves: placing each page
//! here (URL, links, front-matter references), then [`arrange`](super::arrange)
//! for what depends on many pages.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::Asset;
use crate::model::arrange::{Frame, arrange};
use crate::model::links::{Resolver, Target, to_diagnostic};
use crate::model::urls::{self, PathRegistry};
use crate::model::{ActivityData, LessonData, MemberData, Page, PageId, Site};
use crate::parse::front::Located;
use crate::parse::markdown::excerpt;
use crate::parse::{Kind, ParsedPage};

#[derive(Clone, Debug)]
pub struct BuildOptions {
    /// Include pages marked `draft: true`.
    pub drafts: bool,
    /// "Now", for upcoming vs past.
    pub now: DateTime<FixedOffset>,
}

pub(super) const SUMMARY_CHARS: usize = 120;

const IMAGE_EXTS: [&str; 7] = ["jpg", "jpeg", "png", "gif", "webp", "svg", "avif"];

pub(super) fn is_image(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, e)| IMAGE_EXTS.contains(&e.to_ascii_lowercase().as_str()))
}

pub(super) fn display(rel: &str) -> String {
    format!("content/{rel}")
}

/// The body of `p` with its internal links resolved, and its link problems
/// as diagnostics (`None` HTML when a link is broken).
pub(super) fn resolve_body(
    resolver: &Resolver,
    p: &ParsedPage,
) -> (Option<String>, Vec<Diagnostic>) {
    let (html, problems) = resolver.resolve_html(&p.md.html, &p.md.links);
    let diags = problems
        .into_iter()
        .map(|pr| to_diagnostic(pr, &display(&p.file.rel), &p.file.text))
        .collect();
    (html, diags)
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
    let mut resolver = Resolver {
        base_path: config.base_path(),
        ..Default::default()
    };
    for a in &loose_assets {
        resolver.assets.insert(a.rel.clone(), a.rel.clone());
    }
    let placed = place(parsed, opts, &mut resolver, &mut diags);
    let Placed {
        mut registry,
        sources,
        mut pages,
        section_texts,
        course_files,
    } = placed;
    let descriptions = place_courses(course_files, &mut registry, &mut diags);
    add_targets(
        &mut resolver,
        &pages,
        &sources,
        &section_texts,
        &descriptions,
    );
    resolve_bodies(&mut pages, &sources, &resolver, previous, &mut diags);
    // Front matter references: covers, photos, media, attachments, galleries.
    for (page, src) in pages.iter_mut().zip(&sources) {
        resolve_references(page, src, &resolver, &mut diags);
    }
    let frame = Frame {
        registry,
        section_texts,
        descriptions,
        diagnostics: diags.clone(),
    };
    let mut site = Site::empty(config, opts.now);
    site.pages = pages.into_iter().map(Arc::new).collect();
    site.loose_assets = loose_assets;
    site.resolver = Arc::new(resolver);
    site.frame = Arc::new(frame);
    diags.extend(arrange(&mut site, opts));
    if let Some(prev) = previous {
        share_unchanged(&mut site, prev);
    }
    (site, diags)
}

/// Pages with their URLs, and the files that are not pages.
struct Placed {
    registry: PathRegistry,
    /// The parsed file of each page, by page id.
    sources: Vec<Arc<ParsedPage>>,
    pages: Vec<Page>,
    /// content/_index.md ("") and content/<section>/_index.md, by section.
    section_texts: BTreeMap<String, Arc<ParsedPage>>,
    course_files: Vec<Arc<ParsedPage>>,
}

/// Gives every page its id (in file order, so that ids and every list are
/// stable across runs) and URL; two pages claiming one URL is an error.
/// Drafts are left out unless asked for.
fn place(
    mut parsed: Vec<Arc<ParsedPage>>,
    opts: &BuildOptions,
    resolver: &mut Resolver,
    diags: &mut Diagnostics,
) -> Placed {
    parsed.sort_by(|a, b| a.file.rel.cmp(&b.file.rel));
    let mut registry = PathRegistry::generated();
    let mut sources = Vec::new();
    let mut section_texts = BTreeMap::new();
    let mut course_files = Vec::new();
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
                let path = crate::routes::page(&section, &slug);
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
                        let out = crate::routes::bundle_file(&path, inner);
                        resolver.assets.insert(a.rel.clone(), out);
                    }
                }
                placed.push((slug, section, path));
                sources.push(p);
            }
        }
    }
    let pages = sources
        .par_iter()
        .zip(placed)
        .enumerate()
        .map(|(id, (p, (slug, section, path)))| new_page(id, p, slug, section, path))
        .collect();
    Placed {
        registry,
        sources,
        pages,
        section_texts,
        course_files,
    }
}

/// Courses described in content/courses/, with their slugs.
fn place_courses(
    files: Vec<Arc<ParsedPage>>,
    registry: &mut PathRegistry,
    diags: &mut Diagnostics,
) -> Vec<(String, Arc<ParsedPage>)> {
    let mut descriptions = Vec::new();
    for p in files {
        let slug = urls::slug_of(&p);
        let path = crate::routes::course(&slug);
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
    descriptions
}

/// What links can point at: pages, section texts, course descriptions.
fn add_targets(
    resolver: &mut Resolver,
    pages: &[Page],
    sources: &[Arc<ParsedPage>],
    section_texts: &BTreeMap<String, Arc<ParsedPage>>,
    descriptions: &[(String, Arc<ParsedPage>)],
) {
    let mut add = |src: &ParsedPage, path: String| {
        let anchors = src.md.anchors.clone();
        resolver
            .by_source
            .insert(src.file.rel.clone(), Target { path, anchors });
    };
    for (p, src) in pages.iter().zip(sources) {
        add(src, p.path.clone());
    }
    for (section, p) in section_texts {
        add(p, crate::routes::section(section));
    }
    for (slug, p) in descriptions {
        add(p, crate::routes::course(slug));
    }
}

/// Resolves links in page bodies (in parallel: each page is independent).
/// With the same link targets as `previous`, an unchanged file resolves
/// as before (and without problems: every link problem is an error, and
/// `previous` was built).
fn resolve_bodies(
    pages: &mut [Page],
    sources: &[Arc<ParsedPage>],
    resolver: &Resolver,
    previous: Option<&Site>,
    diags: &mut Diagnostics,
) {
    let earlier: HashMap<&str, &Page> = previous
        .filter(|prev| *prev.resolver == *resolver)
        .map(|prev| {
            prev.pages
                .iter()
                .map(|p| (p.source.as_str(), &**p))
                .collect()
        })
        .unwrap_or_default();
    let resolved: Vec<(Option<Arc<str>>, Vec<Diagnostic>)> = sources
        .par_iter()
        .map(|src| {
            if let Some(old) = earlier.get(src.file.rel.as_str())
                && Arc::ptr_eq(&old.src.0, src)
            {
                return (old.resolved.clone(), Vec::new());
            }
            let (html, d) = resolve_body(resolver, src);
            (html.map(Arc::from), d)
        })
        .collect();
    for (page, (html, d)) in pages.iter_mut().zip(resolved) {
        page.resolved = html;
        diags.extend(d);
    }
}

/// Takes `prev`'s page where the new one is equal to it, so that pages an
/// edit did not change stay the very same shared values.
fn share_unchanged(site: &mut Site, prev: &Site) {
    if site.pages.len() != prev.pages.len() {
        return;
    }
    for (new, old) in site.pages.iter_mut().zip(&prev.pages) {
        if !Arc::ptr_eq(new, old) && **new == **old {
            *new = Arc::clone(old);
        }
    }
}

pub(super) fn new_page(
    id: PageId,
    p: &Arc<ParsedPage>,
    slug: String,
    section: String,
    path: String,
) -> Page {
    let f = &p.front;
    let summary_written = f.summary.is_some();
    Page {
        id,
        kind: p.kind,
        source: p.file.rel.clone(),
        src: crate::model::Shared(Arc::clone(p)),
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
        attachments: Vec::new(),
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
pub(super) fn reference(
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

pub(super) fn resolve_references(
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
    }
    page.attachments = super::attachments::resolve(resolver, src, diags);
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
