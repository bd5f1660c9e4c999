//! What each output is rendered from: the Tera context of a [`Route`],
//! made through [`Views`] so that everything it reads is recorded. Routes
//! are independent, so the whole site renders in parallel.

mod feeds;
mod lists;
mod records;
mod stats;

use serde::Serialize;

use crate::deps::{List, Reads};
use crate::parse::Kind;
use crate::render::views::{ShareImage, Views};
use crate::routes::{self, Route};

#[derive(Serialize)]
pub(super) struct Meta {
    title: String,
    description: String,
    /// Absolute URL of the page.
    permalink: String,
    /// Absolute URL of the share image (og:image), and its size.
    image: Option<String>,
    image_width: Option<u32>,
    image_height: Option<u32>,
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

/// A template's context, keeping the names put into it so that the whole
/// can be hashed ([`Ctx::hash_into`]): a build skips a page whose context,
/// template and site value are those of the file already in the output.
#[derive(Default)]
pub(crate) struct Ctx {
    inner: tera::Context,
    names: Vec<&'static str>,
}

impl Ctx {
    pub(crate) fn insert<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.inner.insert(name, value);
        self.names.push(name);
    }

    /// Feeds every value, by name, to `h`.
    pub(crate) fn hash_into(&self, h: &mut xxhash_rust::xxh3::Xxh3) {
        let mut names = self.names.clone();
        names.sort_unstable();
        names.dedup();
        for name in names {
            h.update(name.as_bytes());
            h.update(b"=");
            if let Some(v) = self.inner.get(name) {
                crate::hashing::json_into(h, v);
            }
        }
    }

    pub(crate) fn into_inner(self) -> tera::Context {
        self.inner
    }
}

/// Everything shared by the routes of one rendering.
pub(crate) struct Cx<'a> {
    views: Views<'a>,
    default_cover: Option<String>,
    /// Where search.js finds the index (root-relative URL of its folder).
    search_index: String,
}

impl<'a> Cx<'a> {
    pub(crate) fn new(views: Views<'a>, search_index: String) -> Self {
        let cover = &views.config().default_cover;
        Cx {
            default_cover: (!cover.is_empty()).then(|| cover.clone()),
            views,
            search_index,
        }
    }

    pub(crate) fn views(&self) -> &Views<'a> {
        &self.views
    }

    /// The context of a template route (`None` for files that are not
    /// rendered from a template).
    pub(crate) fn context(&self, route: Route, r: &mut Reads) -> Option<Ctx> {
        let mut ctx = Ctx::default();
        match route {
            Route::Page(id) => self.page(id, &mut ctx, r),
            Route::Home => self.home(&mut ctx, r),
            Route::Section(i, n) => self.section(i, n, &mut ctx, r),
            Route::Courses => self.courses(&mut ctx, r),
            Route::Course(i) => self.course(i, &mut ctx, r),
            Route::Tags => self.tags(&mut ctx, r),
            Route::Tag(i, n) => self.tag(i, n, &mut ctx, r),
            Route::Stats => self.stats(&mut ctx, r),
            Route::Search => self.search(&mut ctx, r),
            Route::Me => self.me(&mut ctx, r),
            Route::NotFound => self.not_found(&mut ctx, r),
            Route::Atom => self.atom(&mut ctx, r),
            Route::Sitemap => self.sitemap(&mut ctx, r),
            Route::Robots => ctx.insert("sitemap_url", &self.views.permalink(routes::SITEMAP)),
            // 台账 and annual summaries (issue 14)
            Route::Ledger => self.ledger_index(&mut ctx, r),
            Route::LedgerYear(y) => {
                if !self.ledger_year(y, &mut ctx, r) {
                    return None;
                }
            }
            Route::StatsYear(y) => {
                if !self.stats_year(y, &mut ctx, r) {
                    return None;
                }
            }
            Route::Calendar
            | Route::Event(_)
            | Route::Qr(_)
            | Route::Theme(_)
            | Route::Loose(_)
            | Route::Bundle(..)
            | Route::Image(..)
            | Route::LedgerCsv(_) => return None,
        }
        Some(ctx)
    }

    fn meta(
        &self,
        title: &str,
        description: &str,
        path: &str,
        image: Option<ShareImage>,
        og_type: &str,
        current: &str,
    ) -> Meta {
        let (image_width, image_height) = image
            .as_ref()
            .map(|i| (i.width, i.height))
            .unwrap_or_default();
        Meta {
            image_width,
            image_height,
            title: title.to_string(),
            description: description.to_string(),
            permalink: self.views.permalink(path),
            image: image.map(|i| self.absolute(&i.url)),
            og_type: og_type.to_string(),
            current: current.to_string(),
            url: self.views.url(path),
            noindex: false,
            root: routes::relative_root(path),
        }
    }

    fn website(&self, title: &str, description: &str, path: &str, current: &str) -> Meta {
        self.meta(title, description, path, None, "website", current)
    }

    /// The share image of a cover (or of the site's default cover).
    fn share(&self, cover: Option<&str>, r: &mut Reads) -> Option<ShareImage> {
        let c = cover.or(self.default_cover.as_deref())?;
        Some(self.views.share_image(c, r))
    }

    /// An absolute URL for share cards (`u`: a root-relative or full URL).
    fn absolute(&self, u: &str) -> String {
        let u = u.to_string();
        if u.starts_with("http://") || u.starts_with("https://") {
            u
        } else if u.starts_with("//") {
            format!("https:{u}")
        } else {
            format!("{}{}", self.views.config().origin(), u)
        }
    }

    fn page(&self, id: usize, ctx: &mut Ctx, r: &mut Reads) {
        let view = self.views.page_view(id, r);
        let p = self.views.page(id, r);
        let cover = self.share(p.cover.as_deref(), r);
        let meta = self.meta(&p.title, &p.summary, &p.path, cover, "article", &p.section);
        ctx.insert("meta", &meta);
        ctx.insert("page", &view);
        if p.kind == Kind::Plan
            && let Some(plan) = self.views.page_plan(id, r)
        {
            ctx.insert("plan", &plan);
        }
    }

    fn home(&self, ctx: &mut Ctx, r: &mut Reads) {
        let v = &self.views;
        let home = v.home(r);
        let config = v.config();
        let title = home
            .map(|h| h.title.clone())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| config.title.clone());
        let meta = self.meta(
            &title,
            &config.description,
            routes::HOME,
            self.share(None, r),
            "website",
            "",
        );
        ctx.insert("meta", &meta);
        let content = home.map(|h| v.body_html(&h.html, r).0);
        ctx.insert("home_content", &content.unwrap_or_default());
        let h = &config.home;
        let cards = |list, n, r: &mut Reads| v.cards(v.head(list, n, r), r);
        ctx.insert("notices", &cards(List::CurrentNotices, h.notices, r));
        ctx.insert("upcoming", &cards(List::Upcoming, h.upcoming, r));
        ctx.insert("latest", &cards(List::Past, h.latest_activities, r));
        ctx.insert("latest_lessons", &cards(List::Lessons, h.latest_lessons, r));
        ctx.insert("members", &cards(List::Members, h.featured_members, r));
        ctx.insert("courses", &self.course_list(r));
        ctx.insert("stats", v.stats(r));
        ctx.insert("plans", &v.home_plans(r));
    }

    fn search(&self, ctx: &mut Ctx, r: &mut Reads) {
        let meta = self.website(
            "搜索",
            "搜索本站的课程、活动和先锋模范",
            routes::SEARCH,
            "search",
        );
        ctx.insert("meta", &meta);
        r.add(crate::deps::Dep::SearchIndex);
        ctx.insert("search_index", &self.search_index);
    }

    fn me(&self, ctx: &mut Ctx, r: &mut Reads) {
        let desc = "学习进度、测验成绩和学习积分，只保存在你自己的浏览器里";
        ctx.insert("meta", &self.website("我的学习", desc, routes::ME, "me"));
        ctx.insert("courses", &self.course_list(r));
        ctx.insert("points", &self.views.config().points);
        ctx.insert("plans", &self.views.all_plans(r));
        ctx.insert("quiz_titles", &self.views.quiz_titles(r));
    }

    fn not_found(&self, ctx: &mut Ctx, r: &mut Reads) {
        let v = &self.views;
        let mut m = self.website(
            "页面不存在",
            "这个网址没有对应的页面",
            routes::NOT_FOUND,
            "",
        );
        m.noindex = true;
        m.root = v.config().base_path();
        ctx.insert("meta", &m);
        ctx.insert("upcoming", &v.cards(v.head(List::Upcoming, 3, r), r));
    }
}
