//! What each output is rendered from: one [`Job`] per file, and the Tera
//! context for it. Jobs are independent, so the whole site renders in
//! parallel.

use serde::Serialize;
use tera::Context;

use crate::model::{PageId, Site};
use crate::render::Renderer;
use crate::render::charts::{self, Chart};
use crate::render::plan_view;
use crate::render::views::{Card, CourseView, TagLink, Views};

/// One file to render.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Job {
    Page(PageId),
    Home,
    /// Section index, page number (1-based).
    Section(usize, usize),
    Courses,
    Course(usize),
    Tags,
    /// Tag index, page number.
    Tag(usize, usize),
    Stats,
    Search,
    Me,
    NotFound,
    Atom,
    Sitemap,
    Robots,
}

impl Job {
    /// The template: a section uses `section-<name>.html` when the theme or
    /// the site has one, else `section.html`.
    pub fn template(&self, site: &Site, r: &Renderer) -> String {
        match self {
            Job::Page(_) => "page.html",
            Job::Home => "index.html",
            Job::Section(i, _) => {
                let own = format!("section-{}.html", site.sections[*i].name);
                return if r.has(&own) {
                    own
                } else {
                    "section.html".into()
                };
            }
            Job::Courses => "courses.html",
            Job::Course(_) => "course.html",
            Job::Tags => "tags.html",
            Job::Tag(..) => "tag.html",
            Job::Stats => "stats.html",
            Job::Search => "search.html",
            Job::Me => "me.html",
            Job::NotFound => "404.html",
            Job::Atom => "atom.xml",
            Job::Sitemap => "sitemap.xml",
            Job::Robots => "robots.txt",
        }
        .to_string()
    }
}

/// Every file the templates make, in a stable order.
pub fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..site.pages.len()).map(Job::Page).collect();
    jobs.extend([
        Job::Home,
        Job::Courses,
        Job::Tags,
        Job::Stats,
        Job::Search,
        Job::Me,
        Job::NotFound,
    ]);
    jobs.extend([Job::Atom, Job::Sitemap, Job::Robots]);
    for (i, s) in site.sections.iter().enumerate() {
        for n in 1..=page_count(s.pages.len(), s.paginate_by) {
            jobs.push(Job::Section(i, n));
        }
    }
    jobs.extend((0..site.courses.len()).map(Job::Course));
    for (i, t) in site.tags.iter().enumerate() {
        for n in 1..=page_count(t.pages.len(), site.config.paginate_by) {
            jobs.push(Job::Tag(i, n));
        }
    }
    jobs
}

fn page_count(items: usize, per: usize) -> usize {
    items.div_ceil(per.max(1)).max(1)
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
struct SectionView {
    name: String,
    title: String,
    url: String,
    content: String,
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

/// Everything shared by the jobs of one build.
pub struct Cx<'a> {
    site: &'a Site,
    views: Views<'a>,
    default_cover: Option<String>,
    /// Every course, for the lists that show them all (built when first needed).
    courses: std::sync::OnceLock<Vec<CourseView>>,
}

impl<'a> Cx<'a> {
    pub fn new(site: &'a Site, views: Views<'a>) -> Self {
        Cx {
            site,
            views,
            default_cover: (!site.config.default_cover.is_empty())
                .then(|| site.config.default_cover.clone()),
            courses: std::sync::OnceLock::new(),
        }
    }

    fn courses(&self) -> &[CourseView] {
        self.courses.get_or_init(|| {
            let site = self.site;
            site.courses
                .iter()
                .map(|c| self.views.course_view(c, false))
                .collect()
        })
    }

    fn meta(
        &self,
        title: &str,
        description: &str,
        path: &str,
        image: Option<String>,
        og_type: &str,
        current: &str,
    ) -> Meta {
        Meta {
            title: title.to_string(),
            description: description.to_string(),
            permalink: self.site.permalink(path),
            image: image.map(|i| absolute(self.site, &i)),
            og_type: og_type.to_string(),
            current: current.to_string(),
            url: self.views.url(path),
            noindex: false,
            root: relative_root(path),
        }
    }

    fn website(&self, title: &str, description: &str, path: &str, current: &str) -> Meta {
        self.meta(title, description, path, None, "website", current)
    }

    /// The output path and the context of a job.
    pub fn context(&self, job: &Job) -> (String, Context) {
        let site = self.site;
        let v = &self.views;
        let mut ctx = Context::new();
        let path = match *job {
            Job::Page(id) => {
                let p = site.page(id);
                let cover = p.cover.clone().or(self.default_cover.clone());
                ctx.insert(
                    "meta",
                    &self.meta(&p.title, &p.summary, &p.path, cover, "article", &p.section),
                );
                ctx.insert("page", &v.page_view(p));
                if let Some(plan) = plan_view::of_page(site, v, id) {
                    ctx.insert("plan", &plan);
                }
                format!("{}index.html", p.path)
            }
            Job::Home => {
                let home = site.home.as_ref();
                let title = home
                    .map(|h| h.title.clone())
                    .filter(|t| !t.is_empty())
                    .unwrap_or_else(|| site.config.title.clone());
                ctx.insert(
                    "meta",
                    &self.meta(
                        &title,
                        &site.config.description,
                        "",
                        self.default_cover.clone(),
                        "website",
                        "",
                    ),
                );
                ctx.insert(
                    "home_content",
                    &home.map(|h| h.html.clone()).unwrap_or_default(),
                );
                let h = &site.config.home;
                ctx.insert("upcoming", &v.cards(take(&site.upcoming, h.upcoming)));
                ctx.insert("latest", &v.cards(take(&site.past, h.latest_activities)));
                ctx.insert(
                    "latest_lessons",
                    &v.cards(take(&site.lessons, h.latest_lessons)),
                );
                ctx.insert("members", &v.cards(take(&site.members, h.featured_members)));
                ctx.insert("courses", self.courses());
                ctx.insert("stats", &site.stats);
                ctx.insert("plans", &plan_view::home_plans(site, v));
                "index.html".into()
            }
            Job::Section(i, n) => {
                let s = &site.sections[i];
                let (path, pager) = self.paginator(&s.path, &s.pages, s.paginate_by, n);
                let title = if n > 1 {
                    format!("{}（第 {n} 页）", s.title)
                } else {
                    s.title.clone()
                };
                let desc = s
                    .text
                    .as_ref()
                    .map(|t| t.summary.clone())
                    .unwrap_or_default();
                ctx.insert("meta", &self.website(&title, &desc, &path, &s.name));
                ctx.insert(
                    "section",
                    &SectionView {
                        name: s.name.clone(),
                        title: s.title.clone(),
                        url: v.url(&s.path),
                        content: s.text.as_ref().map(|t| t.html.clone()).unwrap_or_default(),
                    },
                );
                ctx.insert("paginator", &pager);
                format!("{path}index.html")
            }
            Job::Courses => {
                ctx.insert(
                    "meta",
                    &self.website("系列课程", "全部系列课程", "courses/", "lessons"),
                );
                ctx.insert("courses", self.courses());
                "courses/index.html".into()
            }
            Job::Course(i) => {
                let c = &site.courses[i];
                let view = v.course_view(c, true);
                ctx.insert(
                    "meta",
                    &self.meta(
                        &c.name,
                        &c.summary,
                        &c.path,
                        c.cover.clone(),
                        "website",
                        "lessons",
                    ),
                );
                ctx.insert("course", &view);
                format!("{}index.html", c.path)
            }
            Job::Tags => {
                let tags: Vec<TagLink> = site.tags.iter().map(|t| v.tag(t)).collect();
                ctx.insert(
                    "meta",
                    &self.website("标签", "按标签浏览全部内容", "tags/", "tags"),
                );
                ctx.insert("tags", &tags);
                "tags/index.html".into()
            }
            Job::Tag(i, n) => {
                let t = &site.tags[i];
                let (path, pager) = self.paginator(&t.path, &t.pages, site.config.paginate_by, n);
                let title = format!("标签：{}", t.name);
                ctx.insert(
                    "meta",
                    &self.website(
                        &title,
                        &format!("标记为「{}」的内容", t.name),
                        &path,
                        "tags",
                    ),
                );
                ctx.insert("tag", &v.tag(t));
                ctx.insert("paginator", &pager);
                format!("{path}index.html")
            }
            Job::Stats => {
                let m = self.meta(
                    "成果展示",
                    "支部活动、志愿服务与学习课程的统计",
                    "stats/",
                    self.default_cover.clone(),
                    "website",
                    "stats",
                );
                ctx.insert("meta", &m);
                ctx.insert("stats", &site.stats);
                ctx.insert("charts", &stats_charts(site));
                let top: Vec<Card> = site
                    .stats
                    .hours_by_member
                    .iter()
                    .map(|m| v.card(m.id))
                    .collect();
                ctx.insert("volunteers", &top);
                "stats/index.html".into()
            }
            Job::Search => {
                ctx.insert(
                    "meta",
                    &self.website(
                        "搜索",
                        "搜索本站的课程、活动和先锋模范",
                        "search/",
                        "search",
                    ),
                );
                "search/index.html".into()
            }
            Job::Me => {
                let desc = "学习进度、测验成绩和学习积分，只保存在你自己的浏览器里";
                ctx.insert("meta", &self.website("我的学习", desc, "me/", "me"));
                ctx.insert("courses", self.courses());
                ctx.insert("points", &site.config.points);
                ctx.insert("plans", &plan_view::all_plans(site, v));
                ctx.insert("quiz_titles", &plan_view::quiz_titles(site));
                "me/index.html".into()
            }
            Job::NotFound => {
                let mut m = self.website("页面不存在", "这个网址没有对应的页面", "404.html", "");
                m.noindex = true;
                m.root = site.config.base_path();
                ctx.insert("meta", &m);
                ctx.insert("upcoming", &v.cards(take(&site.upcoming, 3)));
                "404.html".into()
            }
            Job::Atom => {
                let entries = self.feed_entries();
                let updated = entries
                    .first()
                    .map(|e| e.updated.clone())
                    .unwrap_or_else(|| site.now.to_rfc3339());
                ctx.insert("entries", &entries);
                ctx.insert("updated", &updated);
                ctx.insert("feed_url", &site.permalink("atom.xml"));
                "atom.xml".into()
            }
            Job::Sitemap => {
                ctx.insert("entries", &self.sitemap_entries());
                "sitemap.xml".into()
            }
            Job::Robots => {
                ctx.insert("sitemap_url", &site.permalink("sitemap.xml"));
                "robots.txt".into()
            }
        };
        (path, ctx)
    }

    /// Page `n` of a list: `lessons/`, `lessons/page/2/` …
    fn paginator(&self, base: &str, ids: &[PageId], per: usize, n: usize) -> (String, Paginator) {
        let per = per.max(1);
        let total = page_count(ids.len(), per);
        let path_of = |k: usize| {
            if k == 1 {
                base.to_string()
            } else {
                format!("{base}page/{k}/")
            }
        };
        let items: Vec<PageId> = ids.iter().skip((n - 1) * per).take(per).copied().collect();
        let pager = Paginator {
            current: n,
            total,
            prev: (n > 1).then(|| self.views.url(&path_of(n - 1))),
            next: (n < total).then(|| self.views.url(&path_of(n + 1))),
            pages: (1..=total)
                .map(|k| PageLink {
                    n: k,
                    url: self.views.url(&path_of(k)),
                    current: k == n,
                })
                .collect(),
            items: self.views.cards(&items),
            count: ids.len(),
        };
        (path_of(n), pager)
    }

    fn feed_entries(&self) -> Vec<FeedEntry> {
        let site = self.site;
        let mut ids: Vec<PageId> = site
            .lessons
            .iter()
            .chain(site.activities.iter())
            .copied()
            .filter(|&id| !site.page(id).draft)
            .collect();
        let key = |id: PageId| {
            let p = site.page(id);
            p.updated.or(p.date).map(|d| d.at)
        };
        ids.sort_by(|&a, &b| {
            key(b)
                .cmp(&key(a))
                .then_with(|| site.page(a).path.cmp(&site.page(b).path))
        });
        ids.truncate(site.config.feed.limit);
        ids.iter()
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
                    content: p.html().to_string(),
                    kind_label: self.views.card(id).kind_label,
                    tags: p.tags.clone(),
                }
            })
            .collect()
    }

    fn sitemap_entries(&self) -> Vec<SitemapEntry> {
        let site = self.site;
        let mut entries = vec![SitemapEntry {
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
        let lists = site
            .sections
            .iter()
            .map(|s| s.path.as_str())
            .chain(site.courses.iter().map(|c| c.path.as_str()))
            .chain(site.tags.iter().map(|t| t.path.as_str()))
            .chain(["courses/", "tags/", "stats/", "search/"]);
        entries.extend(lists.map(|path| SitemapEntry {
            loc: site.permalink(path),
            lastmod: None,
        }));
        entries
    }
}

fn take(ids: &[PageId], n: usize) -> &[PageId] {
    &ids[..n.min(ids.len())]
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

/// The charts of 成果展示 (the courses chart shows the twelve largest courses).
fn stats_charts(site: &Site) -> Vec<Chart> {
    use crate::model::stats::Bucket;
    let s = &site.stats;
    let bucket = |label: &str, value: f64| Bucket {
        key: label.to_string(),
        label: label.to_string(),
        value,
    };
    let members: Vec<Bucket> = s
        .hours_by_member
        .iter()
        .take(10)
        .map(|m| bucket(&m.name, m.hours))
        .collect();
    let mut courses: Vec<&crate::model::stats::CourseCount> = s.courses.iter().collect();
    courses.sort_by_key(|c| std::cmp::Reverse(c.lessons));
    let courses: Vec<Bucket> = courses
        .iter()
        .take(12)
        .map(|c| bucket(&c.name, c.lessons as f64))
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
