//! List pages: sections and tags (paginated), courses, the tag index.

use super::Ctx;
use serde::Serialize;

use crate::deps::Reads;
use crate::model::PageId;
use crate::render::contexts::Cx;
use crate::render::views::{Card, CourseView};
use crate::routes::{self, page_count};

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

impl Cx<'_> {
    /// Every course for the lists that show them all (no lesson cards).
    pub(super) fn course_list(&self, r: &mut Reads) -> Vec<CourseView> {
        let v = &self.views;
        (0..v.courses(r).len())
            .map(|i| v.course_view(i, false, r))
            .collect()
    }

    pub(super) fn section(&self, i: usize, n: usize, ctx: &mut Ctx, r: &mut Reads) {
        let v = &self.views;
        let s = v.section(i, r);
        let items = v.section_slice(i, n, r);
        let pager = self.paginator(&s.path, items, s.pages.len(), s.paginate_by, n, r);
        let path = routes::list_page(&s.path, n);
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
                content: s
                    .text
                    .as_ref()
                    .map(|t| v.body_html(&t.html, r).0)
                    .unwrap_or_default(),
            },
        );
        ctx.insert("paginator", &pager);
    }

    pub(super) fn courses(&self, ctx: &mut Ctx, r: &mut Reads) {
        let meta = self.website("系列课程", "全部系列课程", routes::COURSES, "lessons");
        ctx.insert("meta", &meta);
        ctx.insert("courses", &self.course_list(r));
    }

    pub(super) fn course(&self, i: usize, ctx: &mut Ctx, r: &mut Reads) {
        let view = self.views.course_view(i, true, r);
        let c = self.views.course(i, r);
        let meta = self.meta(
            &c.name,
            &c.summary,
            &c.path,
            self.share(c.cover.as_deref(), r),
            "website",
            "lessons",
        );
        ctx.insert("meta", &meta);
        ctx.insert("course", &view);
    }

    pub(super) fn tags(&self, ctx: &mut Ctx, r: &mut Reads) {
        let meta = self.website("标签", "按标签浏览全部内容", routes::TAGS, "tags");
        ctx.insert("meta", &meta);
        ctx.insert("tags", &self.views.all_tags(r));
    }

    pub(super) fn tag(&self, i: usize, n: usize, ctx: &mut Ctx, r: &mut Reads) {
        let v = &self.views;
        let (t, link) = v.tag(i, r);
        let items = v.tag_slice(i, n, r);
        let per = v.config().paginate_by;
        let pager = self.paginator(&t.path, items, t.pages.len(), per, n, r);
        let path = routes::list_page(&t.path, n);
        let title = format!("标签：{}", t.name);
        let desc = format!("标记为「{}」的内容", t.name);
        ctx.insert("meta", &self.website(&title, &desc, &path, "tags"));
        ctx.insert("tag", &link);
        ctx.insert("paginator", &pager);
    }

    /// Page `n` of a list at `base` of `count` items, showing `items`.
    fn paginator(
        &self,
        base: &str,
        items: &[PageId],
        count: usize,
        per: usize,
        n: usize,
        r: &mut Reads,
    ) -> Paginator {
        let v = &self.views;
        let total = page_count(count, per);
        let url = |k: usize| v.url(&routes::list_page(base, k));
        Paginator {
            current: n,
            total,
            prev: (n > 1).then(|| url(n - 1)),
            next: (n < total).then(|| url(n + 1)),
            pages: (1..=total)
                .map(|k| PageLink {
                    n: k,
                    url: url(k),
                    current: k == n,
                })
                .collect(),
            items: v.cards(items, r),
            count,
        }
    }
}
