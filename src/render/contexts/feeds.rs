//! Machine-read outputs rendered from templates: the Atom feed and the
//! sitemap (robots.txt needs only the sitemap's address).

use super::Ctx;
use serde::Serialize;

use crate::deps::{List, Reads, Stamp};
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
    pub(super) fn atom(&self, ctx: &mut Ctx, r: &mut Reads) {
        let entries = self.feed_entries(r);
        let updated = match entries.first() {
            Some(e) => e.updated.clone(),
            None => self.views.now(r).to_rfc3339(),
        };
        ctx.insert("entries", &entries);
        ctx.insert("updated", &updated);
        ctx.insert("feed_url", &self.views.permalink(routes::ATOM));
    }

    /// The newest lessons, activities and notices, most recently changed
    /// first (sorted by what every page's [`Stamp`] says; only the entries
    /// shown are read whole).
    fn feed_entries(&self, r: &mut Reads) -> Vec<FeedEntry> {
        let v = &self.views;
        let all = |list, r: &mut Reads| v.head(list, usize::MAX, r);
        let mut stamps: Vec<(PageId, Stamp)> = all(List::Lessons, r)
            .iter()
            .chain(all(List::Activities, r))
            .chain(all(List::Notices, r))
            .map(|&id| (id, v.stamp(id, r)))
            .filter(|(_, s)| !s.draft)
            .collect();
        let key = |s: &Stamp| s.updated.or(s.date).map(|d| d.at);
        stamps.sort_by(|(_, a), (_, b)| key(b).cmp(&key(a)).then_with(|| a.path.cmp(b.path)));
        stamps.truncate(v.config().feed.limit);
        let now = if stamps.iter().any(|(_, s)| s.date.is_none()) {
            Some(v.now(r).to_rfc3339())
        } else {
            None
        };
        stamps
            .iter()
            .map(|&(id, _)| {
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
                    content: v.body_html(p.html(), r).0,
                    kind_label: kind_label(p),
                    tags: p.tags.clone(),
                }
            })
            .collect()
    }

    pub(super) fn sitemap(&self, ctx: &mut Ctx, r: &mut Reads) {
        let v = &self.views;
        let mut entries = vec![SitemapEntry {
            loc: v.permalink(routes::HOME),
            lastmod: None,
        }];
        for p in v.stamps(r).iter().filter(|p| !p.draft) {
            entries.push(SitemapEntry {
                loc: v.permalink(p.path),
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
        // 台账 and annual summaries (issue 14)
        lists.push(routes::LEDGER.to_string());
        lists.extend(
            v.ledger_outline(r)
                .years
                .iter()
                .map(|&y| routes::ledger_year(y)),
        );
        lists.extend(v.annual_years(r).iter().map(|&y| routes::stats_year(y)));
        entries.extend(lists.iter().map(|path| SitemapEntry {
            loc: v.permalink(path),
            lastmod: None,
        }));
        ctx.insert("entries", &entries);
    }
}
