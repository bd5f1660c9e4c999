//! Machine-read outputs rendered from templates: the Atom feed and the
//! sitemap (robots.txt needs only the sitemap's address).

use serde::Serialize;
use tera::Context;

use crate::deps::{List, Reads};
use crate::model::PageId;
use crate::render::contexts::Cx;
use crate::render::views::kind_label;
use crate::routes;

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

impl Cx<'_> {
    pub(super) fn atom(&self, ctx: &mut Context, r: &mut Reads) {
        let entries = self.feed_entries(r);
        let updated = match entries.first() {
            Some(e) => e.updated.clone(),
            None => self.views.now(r).to_rfc3339(),
        };
        ctx.insert("entries", &entries);
        ctx.insert("updated", &updated);
        ctx.insert("feed_url", &self.views.permalink(routes::ATOM));
    }

    /// The newest lessons and activities, most recently changed first.
    fn feed_entries(&self, r: &mut Reads) -> Vec<FeedEntry> {
        let v = &self.views;
        let all = |list, r: &mut Reads| v.head(list, usize::MAX, r);
        let mut ids: Vec<PageId> = all(List::Lessons, r)
            .iter()
            .chain(all(List::Activities, r))
            .copied()
            .filter(|&id| !v.page(id, r).draft)
            .collect();
        let key = |id: PageId, r: &mut Reads| {
            let p = v.page(id, r);
            p.updated.or(p.date).map(|d| d.at)
        };
        // Every page above was read already; sorting reads nothing new.
        let mut none = Reads::new();
        ids.sort_by(|&a, &b| {
            key(b, &mut none)
                .cmp(&key(a, &mut none))
                .then_with(|| v.page(a, &mut none).path.cmp(&v.page(b, &mut none).path))
        });
        ids.truncate(v.config().feed.limit);
        let now = if ids.iter().any(|&id| v.page(id, r).date.is_none()) {
            Some(v.now(r).to_rfc3339())
        } else {
            None
        };
        ids.iter()
            .map(|&id| {
                let p = v.page(id, r);
                let published = p
                    .date
                    .map(|d| d.at.to_rfc3339())
                    .or(now.clone())
                    .unwrap_or_default();
                FeedEntry {
                    title: p.title.clone(),
                    permalink: v.permalink(&p.path),
                    updated: p
                        .updated
                        .map(|d| d.at.to_rfc3339())
                        .unwrap_or_else(|| published.clone()),
                    published,
                    summary: p.summary.clone(),
                    content: p.html().to_string(),
                    kind_label: kind_label(p),
                    tags: p.tags.clone(),
                }
            })
            .collect()
    }

    pub(super) fn sitemap(&self, ctx: &mut Context, r: &mut Reads) {
        let v = &self.views;
        let mut entries = vec![SitemapEntry {
            loc: v.permalink(routes::HOME),
            lastmod: None,
        }];
        for p in v.pages(r).iter().filter(|p| !p.draft) {
            entries.push(SitemapEntry {
                loc: v.permalink(&p.path),
                lastmod: p
                    .updated
                    .or(p.date)
                    .map(|d| d.at.format("%Y-%m-%d").to_string()),
            });
        }
        let mut lists: Vec<String> = v.section_paths(r).into_iter().map(str::to_string).collect();
        lists.extend(v.courses(r).iter().map(|c| c.path.clone()));
        lists.extend(v.tag_paths(r).into_iter().map(str::to_string));
        lists.extend(
            [routes::COURSES, routes::TAGS, routes::STATS, routes::SEARCH].map(str::to_string),
        );
        entries.extend(lists.iter().map(|path| SitemapEntry {
            loc: v.permalink(path),
            lastmod: None,
        }));
        ctx.insert("entries", &entries);
    }
}
