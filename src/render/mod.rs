//! Stage 4: pages through Tera templates. Templates are compiled once; pages
//! render in parallel, each from plain view structs (see [`views`]).

pub mod charts;
pub mod quiz_view;
pub mod theme;
pub mod views;

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Page, PageId, Site};
use crate::outputs::OutputFile;
use crate::parse::Kind;
use theme::Theme;
use views::{Card, CourseView, PageView, TagLink, Views};

/// Compiled templates and where each came from (for messages).
pub struct Renderer {
    tera: Tera,
    origins: HashMap<String, (PathBuf, String)>,
}

#[derive(Serialize)]
struct Meta {
    title: String,
    description: String,
    /// Absolute URL of the page.
    permalink: String,
    image: Option<String>,
    /// Open Graph type: website or article.
    og_type: String,
    /// Section key for the menu (`lessons`, `stats` …).
    current: String,
    /// Root-relative URL of the page.
    url: String,
    /// Set on pages that search engines should skip (404).
    noindex: bool,
    /// The site root relative to this page (`../../`), for CSS and JS, so
    /// that a page opened from a local folder still works; absolute on the
    /// 404 page, which is served at any depth.
    root: String,
}

#[derive(Serialize)]
struct Paginator {
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PageLink>,
    items: Vec<Card>,
    /// Total items across pages.
    count: usize,
}

#[derive(Serialize)]
struct PageLink {
    n: usize,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct FeedEntry {
    title: String,
    permalink: String,
    published: String,
    updated: String,
    summary: String,
    content: String,
    kind_label: String,
    tags: Vec<String>,
}

#[derive(Serialize)]
struct SitemapEntry {
    loc: String,
    lastmod: Option<String>,
}

impl Renderer {
    /// Compiles every template of the theme (with the site's overrides).
    pub fn new(theme: &Theme, site: &Site) -> Result<Renderer, Diagnostics> {
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml", ".svg"]);
        // `{{ 2.5 | num }}` -> 2.5, `{{ 3.0 | num }}` -> 3: hours and counts for people.
        tera.register_filter("num", |v: f64, _: tera::Kwargs, _: &tera::State| {
            charts::number(v)
        });
        let mut origins = HashMap::new();
        let mut diags = Diagnostics::new();
        let mut sources = Vec::new();
        for (name, file) in theme.templates() {
            let text = match String::from_utf8(file.bytes.to_vec()) {
                Ok(t) => t,
                Err(_) => {
                    diags.push(Diagnostic::error("模板文件不是 UTF-8 编码").in_file(&file.origin));
                    continue;
                }
            };
            origins.insert(name.to_string(), (file.origin.clone(), text.clone()));
            sources.push((name.to_string(), text));
        }
        if let Err(e) = tera.add_raw_templates(sources) {
            diags.extend(template_errors(&e, &origins));
        }
        if diags.has_errors() {
            return Err(diags);
        }
        let views = Views::new(site);
        let strings = theme.strings(&site.config.language)?;
        tera.global_context().insert("site", &views.site_view());
        tera.global_context().insert("t", &strings);
        tera.global_context()
            .insert("config_extra", &site.config.extra);
        Ok(Renderer { tera, origins })
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }

    pub fn render(&self, template: &str, ctx: &Context) -> Result<String, Diagnostic> {
        self.tera.render(template, ctx).map_err(|e| {
            let mut d = template_errors(&e, &self.origins);
            // Rendering stops at the first problem, so there is exactly one.
            d.swap_remove(0)
        })
    }
}

/// A Tera error as diagnostics pointing into the template file. Tera reports
/// some problems (unknown filters, includes …) as ready-made text with
/// `--> name:line:col` lines; those are read back into positions.
fn template_errors(
    e: &tera::Error,
    origins: &HashMap<String, (PathBuf, String)>,
) -> Vec<Diagnostic> {
    let at = |name: &str, line: u32, col: u32, width: usize, message: &str| {
        let (file, text) = origins
            .get(name)
            .map(|(p, t)| (p.clone(), Some(t.as_str())))
            .unwrap_or_else(|| (PathBuf::from(name), None));
        Diagnostic::error(format!("模板出错：{message}"))
            .in_file(file)
            .at(text, line, col)
            .width(width)
            .hint("检查这个模板；站点 templates/ 里的同名文件会覆盖主题里的模板")
    };
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let span = r.span();
            let width = if span.start_line == span.end_line {
                span.end_col.saturating_sub(span.start_col)
            } else {
                1
            };
            vec![at(
                r.filename(),
                span.start_line as u32,
                span.start_col as u32 + 1,
                width,
                r.message(),
            )]
        }
        tera::ErrorKind::TemplateNotFound(name) => vec![
            Diagnostic::error(format!("找不到模板 {name}")).hint(format!(
                "在站点的 templates/ 或主题的 templates/ 里放一个 {name}"
            )),
        ],
        other => {
            let text = other.to_string();
            let found: Vec<Diagnostic> = REPORT
                .captures_iter(&text)
                .map(|c| {
                    let line = c[3].parse().unwrap_or(0);
                    let col = c[4].parse().unwrap_or(0);
                    at(&c[2], line, col, 1, c[1].trim())
                })
                .collect();
            if found.is_empty() {
                vec![
                    Diagnostic::error(format!("模板出错：{text}"))
                        .hint("检查站点 templates/ 和主题里的模板"),
                ]
            } else {
                found
            }
        }
    }
}

static REPORT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?m)^\s*error: (.+)\n\s*--> ([^:\n]+):(\d+):(\d+)").expect("valid regex")
});

fn template_for(r: &Renderer, p: &Page) -> String {
    if let Some(t) = p.extra.get("template").and_then(|v| v.as_str())
        && r.has(t)
    {
        return t.to_string();
    }
    match p.kind {
        Kind::Lesson => "lesson.html",
        Kind::Member => "member.html",
        Kind::Activity => "activity.html",
        _ => "page.html",
    }
    .to_string()
}

fn html_file(path: &str, html: String) -> OutputFile {
    OutputFile::bytes(format!("{path}index.html"), html.into_bytes())
}

/// Renders every page, list and feed. Problems are collected, not fatal one by one.
pub fn render_site(site: &Site, r: &Renderer) -> (Vec<OutputFile>, Diagnostics) {
    let views = Views::new(site);
    let mut diags = Diagnostics::new();
    let mut out = Vec::new();
    let meta = |title: &str,
                description: &str,
                path: &str,
                image: Option<String>,
                og_type: &str,
                current: &str| Meta {
        title: title.to_string(),
        description: description.to_string(),
        permalink: site.permalink(path),
        image: image.map(|i| absolute(site, &i)),
        og_type: og_type.to_string(),
        current: current.to_string(),
        url: views.url(path),
        noindex: false,
        root: relative_root(path),
    };
    let default_cover =
        (!site.config.default_cover.is_empty()).then(|| site.config.default_cover.clone());

    // Single pages, in parallel.
    let rendered: Vec<Result<OutputFile, Diagnostic>> = site
        .pages
        .par_iter()
        .map(|p| {
            let view: PageView = views.page_view(p);
            let mut ctx = Context::new();
            ctx.insert(
                "meta",
                &meta(
                    &p.title,
                    &p.summary,
                    &p.path,
                    p.cover.clone().or(default_cover.clone()),
                    "article",
                    &p.section,
                ),
            );
            ctx.insert("page", &view);
            let tpl = template_for(r, p);
            r.render(&tpl, &ctx)
                .map(|html| html_file(&p.path, html))
                .map_err(|d| d.hint(format!("渲染 content/{} 时出错", p.source)))
        })
        .collect();
    for x in rendered {
        match x {
            Ok(f) => out.push(f),
            Err(d) => diags.push(d),
        }
    }

    let mut emit = |path: String, tpl: &str, ctx: Context, diags: &mut Diagnostics| match r
        .render(tpl, &ctx)
    {
        Ok(s) => out.push(OutputFile::bytes(path, s.into_bytes())),
        Err(d) => diags.push(d),
    };

    // Home.
    {
        let mut ctx = Context::new();
        let home = site.home.as_ref();
        let title = home
            .map(|h| h.title.clone())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| site.config.title.clone());
        ctx.insert(
            "meta",
            &meta(
                &title,
                &site.config.description,
                "",
                default_cover.clone(),
                "website",
                "",
            ),
        );
        ctx.insert(
            "home_content",
            &home.map(|h| h.html.clone()).unwrap_or_default(),
        );
        ctx.insert(
            "upcoming",
            &views.cards(&take(&site.upcoming, site.config.home.upcoming)),
        );
        ctx.insert(
            "latest",
            &views.cards(&take(&site.past, site.config.home.latest_activities)),
        );
        ctx.insert(
            "latest_lessons",
            &views.cards(&take(&site.lessons, site.config.home.latest_lessons)),
        );
        let featured: Vec<PageId> = take(&site.members, site.config.home.featured_members);
        ctx.insert("members", &views.cards(&featured));
        let courses: Vec<CourseView> = site.courses.iter().map(|c| views.course_view(c)).collect();
        ctx.insert("courses", &courses);
        ctx.insert("stats", &site.stats);
        emit("index.html".into(), "index.html", ctx, &mut diags);
    }

    // Section lists, paginated.
    for s in &site.sections {
        let pages = paginate(&views, &s.path, &s.pages, s.paginate_by);
        for (path, pager) in pages {
            let mut ctx = Context::new();
            let title = if pager.current > 1 {
                format!("{}（第 {} 页）", s.title, pager.current)
            } else {
                s.title.clone()
            };
            let desc = s
                .text
                .as_ref()
                .map(|t| t.summary.clone())
                .unwrap_or_default();
            ctx.insert(
                "meta",
                &meta(&title, &desc, &path, None, "website", &s.name),
            );
            ctx.insert(
                "section",
                &SectionView {
                    name: s.name.clone(),
                    title: s.title.clone(),
                    url: views.url(&s.path),
                    content: s.text.as_ref().map(|t| t.html.clone()).unwrap_or_default(),
                },
            );
            ctx.insert("paginator", &pager);
            let tpl = format!("{}.html", s.name);
            let tpl = if r.has(&tpl)
                && !["lesson", "member", "activity", "page"].contains(&s.name.as_str())
            {
                tpl
            } else {
                "section.html".to_string()
            };
            emit(format!("{path}index.html"), &tpl, ctx, &mut diags);
        }
    }

    // Courses.
    {
        let courses: Vec<CourseView> = site.courses.iter().map(|c| views.course_view(c)).collect();
        let mut ctx = Context::new();
        ctx.insert(
            "meta",
            &meta(
                "系列课程",
                "全部系列课程",
                "courses/",
                None,
                "website",
                "lessons",
            ),
        );
        ctx.insert("courses", &courses);
        emit("courses/index.html".into(), "courses.html", ctx, &mut diags);
        for c in courses {
            let mut ctx = Context::new();
            let course = &site.courses[site
                .courses
                .iter()
                .position(|x| x.slug == c.slug)
                .unwrap_or(0)];
            ctx.insert(
                "meta",
                &meta(
                    &c.name,
                    &c.summary,
                    &course.path,
                    course.cover.clone(),
                    "website",
                    "lessons",
                ),
            );
            ctx.insert("course", &c);
            emit(
                format!("{}index.html", course.path),
                "course.html",
                ctx,
                &mut diags,
            );
        }
    }

    // Tags.
    {
        let tags: Vec<TagLink> = site.tags.iter().map(|t| views.tag(t)).collect();
        let mut ctx = Context::new();
        ctx.insert(
            "meta",
            &meta(
                "标签",
                "按标签浏览全部内容",
                "tags/",
                None,
                "website",
                "tags",
            ),
        );
        ctx.insert("tags", &tags);
        emit("tags/index.html".into(), "tags.html", ctx, &mut diags);
        for t in &site.tags {
            for (path, pager) in paginate(&views, &t.path, &t.pages, site.config.paginate_by) {
                let mut ctx = Context::new();
                ctx.insert(
                    "meta",
                    &meta(
                        &format!("标签：{}", t.name),
                        &format!("标记为「{}」的内容", t.name),
                        &path,
                        None,
                        "website",
                        "tags",
                    ),
                );
                ctx.insert("tag", &views.tag(t));
                ctx.insert("paginator", &pager);
                emit(format!("{path}index.html"), "tag.html", ctx, &mut diags);
            }
        }
    }

    // 成果展示.
    {
        let mut ctx = Context::new();
        ctx.insert(
            "meta",
            &meta(
                "成果展示",
                "支部活动、志愿服务与学习课程的统计",
                "stats/",
                default_cover.clone(),
                "website",
                "stats",
            ),
        );
        ctx.insert("stats", &site.stats);
        ctx.insert("charts", &stats_charts(site));
        let top: Vec<Card> = site
            .stats
            .hours_by_member
            .iter()
            .map(|m| views.card(m.id))
            .collect();
        ctx.insert("volunteers", &top);
        emit("stats/index.html".into(), "stats.html", ctx, &mut diags);
    }

    // Search, 我的学习, 404.
    for (path, tpl, title, desc, current) in [
        (
            "search/",
            "search.html",
            "搜索",
            "搜索本站的课程、活动和先锋模范",
            "search",
        ),
        (
            "me/",
            "me.html",
            "我的学习",
            "学习进度、测验成绩和学习积分，只保存在你自己的浏览器里",
            "me",
        ),
    ] {
        let mut ctx = Context::new();
        ctx.insert("meta", &meta(title, desc, path, None, "website", current));
        if tpl == "me.html" {
            let courses: Vec<CourseView> =
                site.courses.iter().map(|c| views.course_view(c)).collect();
            ctx.insert("courses", &courses);
            ctx.insert("points", &site.config.points);
        }
        emit(format!("{path}index.html"), tpl, ctx, &mut diags);
    }
    {
        let mut ctx = Context::new();
        let mut m = meta(
            "页面不存在",
            "这个网址没有对应的页面",
            "404.html",
            None,
            "website",
            "",
        );
        m.noindex = true;
        m.root = site.config.base_path();
        ctx.insert("meta", &m);
        ctx.insert("upcoming", &views.cards(&take(&site.upcoming, 3)));
        emit("404.html".into(), "404.html", ctx, &mut diags);
    }

    // Feeds.
    {
        let mut feed_ids: Vec<PageId> = site
            .lessons
            .iter()
            .chain(site.activities.iter())
            .copied()
            .filter(|&id| !site.page(id).draft)
            .collect();
        feed_ids.sort_by(|&a, &b| {
            let (pa, pb) = (site.page(a), site.page(b));
            let key = |p: &Page| p.updated.or(p.date).map(|d| d.at);
            key(pb).cmp(&key(pa)).then_with(|| pa.path.cmp(&pb.path))
        });
        feed_ids.truncate(site.config.feed.limit);
        let entries: Vec<FeedEntry> = feed_ids
            .iter()
            .map(|&id| {
                let p = site.page(id);
                let published = p
                    .date
                    .map(|d| d.at.to_rfc3339())
                    .unwrap_or_else(|| site.now.to_rfc3339());
                FeedEntry {
                    title: p.title.clone(),
                    permalink: site.permalink(&p.path),
                    updated: p
                        .updated
                        .map(|d| d.at.to_rfc3339())
                        .unwrap_or_else(|| published.clone()),
                    published,
                    summary: p.summary.clone(),
                    content: p.html.clone(),
                    kind_label: views.card(id).kind_label,
                    tags: p.tags.clone(),
                }
            })
            .collect();
        let updated = entries
            .first()
            .map(|e| e.updated.clone())
            .unwrap_or_else(|| site.now.to_rfc3339());
        let mut ctx = Context::new();
        ctx.insert("entries", &entries);
        ctx.insert("updated", &updated);
        ctx.insert("feed_url", &site.permalink("atom.xml"));
        emit("atom.xml".into(), "atom.xml", ctx, &mut diags);
    }
    {
        let mut entries: Vec<SitemapEntry> = vec![SitemapEntry {
            loc: site.permalink(""),
            lastmod: None,
        }];
        for p in site.pages.iter().filter(|p| !p.draft) {
            entries.push(SitemapEntry {
                loc: site.permalink(&p.path),
                lastmod: p
                    .updated
                    .or(p.date)
                    .map(|d| d.at.format("%Y-%m-%d").to_string()),
            });
        }
        for path in site
            .sections
            .iter()
            .map(|s| s.path.as_str())
            .chain(site.courses.iter().map(|c| c.path.as_str()))
            .chain(site.tags.iter().map(|t| t.path.as_str()))
            .chain(["courses/", "tags/", "stats/", "search/"])
        {
            entries.push(SitemapEntry {
                loc: site.permalink(path),
                lastmod: None,
            });
        }
        let mut ctx = Context::new();
        ctx.insert("entries", &entries);
        emit("sitemap.xml".into(), "sitemap.xml", ctx, &mut diags);
        let mut ctx = Context::new();
        ctx.insert("sitemap_url", &site.permalink("sitemap.xml"));
        emit("robots.txt".into(), "robots.txt", ctx, &mut diags);
    }
    (out, diags)
}

#[derive(Serialize)]
struct SectionView {
    name: String,
    title: String,
    url: String,
    content: String,
}

/// `lessons/a/` -> `../../`; the home page -> `./`.
fn relative_root(path: &str) -> String {
    let depth = path.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

fn take(ids: &[PageId], n: usize) -> Vec<PageId> {
    ids.iter().take(n).copied().collect()
}

fn absolute(site: &Site, url: &str) -> String {
    let u = crate::model::join_url(
        &site.config.base_path(),
        &crate::parse::markdown::encode_path(url),
    );
    if u.starts_with("http://") || u.starts_with("https://") {
        u
    } else if u.starts_with("//") {
        format!("https:{u}")
    } else {
        format!("{}{}", site.config.origin(), u)
    }
}

/// Splits a list into pages: `lessons/`, `lessons/page/2/` …
fn paginate(views: &Views, base: &str, ids: &[PageId], per: usize) -> Vec<(String, Paginator)> {
    let per = per.max(1);
    let total = ids.len().div_ceil(per).max(1);
    let path_of = |n: usize| {
        if n == 1 {
            base.to_string()
        } else {
            format!("{base}page/{n}/")
        }
    };
    (1..=total)
        .map(|n| {
            let items = ids
                .iter()
                .skip((n - 1) * per)
                .take(per)
                .copied()
                .collect::<Vec<_>>();
            let pager = Paginator {
                current: n,
                total,
                prev: (n > 1).then(|| views.url(&path_of(n - 1))),
                next: (n < total).then(|| views.url(&path_of(n + 1))),
                pages: (1..=total)
                    .map(|k| PageLink {
                        n: k,
                        url: views.url(&path_of(k)),
                        current: k == n,
                    })
                    .collect(),
                items: views.cards(&items),
                count: ids.len(),
            };
            (path_of(n), pager)
        })
        .collect()
}

fn stats_charts(site: &Site) -> Vec<charts::Chart> {
    use crate::model::stats::Bucket;
    let s = &site.stats;
    let members: Vec<Bucket> = s
        .hours_by_member
        .iter()
        .take(10)
        .map(|m| Bucket {
            key: m.name.clone(),
            label: m.name.clone(),
            value: m.hours,
        })
        .collect();
    let courses: Vec<Bucket> = s
        .courses
        .iter()
        .map(|c| Bucket {
            key: c.slug.clone(),
            label: c.name.clone(),
            value: c.lessons as f64,
        })
        .collect();
    vec![
        charts::columns("chart-months", "每月活动次数", "次", &s.activities_by_month),
        charts::rows("chart-kinds", "各类活动次数", "次", &s.activities_by_kind),
        charts::columns("chart-hours", "每月志愿服务时长", "小时", &s.hours_by_month),
        charts::rows(
            "chart-members",
            "党员志愿服务时长（前 10 名）",
            "小时",
            &members,
        ),
        charts::rows("chart-courses", "各系列课程的课时数", "课", &courses),
    ]
}
