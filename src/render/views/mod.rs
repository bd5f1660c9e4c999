//! What templates see: plain serializable structs made from the model.
//! Templates hold no logic beyond loops and conditions; every URL, date
//! label and count is prepared here.
//!
//! [`Views`] is the only way from the site model to a template: each of
//! its accessors records what it read in the output's [`Reads`], so that
//! `serve` knows later which outputs an edit touches. Cards and navigation
//! links, which many outputs show, are made once per site model and kept in
//! a [`Memo`] together with what they read.

mod card;
pub(crate) mod dates;
mod images;
mod now;
mod page;
mod plan;
mod site;
// 台账 and annual summaries (issue 14)
mod annual;
mod ledger;
mod meeting;

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::config::Config;
use crate::deps::{Dep, Key, Reads, Tracked, key};
use crate::model::{PageId, Site, Tag};
use crate::routes;

pub(crate) use card::{Card, Link, kind_label};

pub(crate) use images::ShareImage;
pub(crate) use page::{CourseView, NavLink};
// 台账 and annual summaries (issue 14)
pub(crate) use meeting::percent;
pub(crate) use site::SiteView;

#[derive(Serialize, Clone, Debug, PartialEq)]
pub(crate) struct TagLink {
    pub name: String,
    pub url: String,
    pub count: usize,
}

/// A value made from the model, with what it read.
pub(crate) struct Derived<V> {
    pub(crate) value: V,
    pub(crate) deps: Box<[Dep]>,
}

/// The views many outputs share, made once per site model (on first use,
/// from any rendering thread) and kept with what each one read. `serve`
/// carries the entries an edit did not touch over to the next model.
pub(crate) struct Memo {
    pub(crate) cards: Vec<OnceLock<Derived<Card>>>,
    pub(crate) links: Vec<OnceLock<Derived<NavLink>>>,
}

impl Memo {
    /// An empty memo for a site of `pages` pages.
    pub(crate) fn new(pages: usize) -> Memo {
        Memo {
            cards: (0..pages).map(|_| OnceLock::new()).collect(),
            links: (0..pages).map(|_| OnceLock::new()).collect(),
        }
    }
}

/// The site as templates may read it: the [`Tracked`] accessors, plus
/// cards, links and tag links. Holds the base path and a few lookups.
pub(crate) struct Views<'a> {
    site: Tracked<'a>,
    memo: &'a Memo,
    base: String,
    /// Tag name -> its link and key, made once when first needed (slugs
    /// are pinyin: not free).
    tags: OnceLock<HashMap<String, (TagLink, Key)>>,
}

impl<'a> Views<'a> {
    pub(crate) fn new(site: &'a Site, memo: &'a Memo) -> Self {
        Views {
            site: Tracked::new(site),
            memo,
            base: site.config.base_path(),
            tags: OnceLock::new(),
        }
    }

    /// The configuration (the same for every model of one session: no
    /// dep is recorded; a change of site.toml makes everything again).
    pub(crate) fn config(&self) -> &'a Config {
        &self.site.layout().config
    }

    /// Root-relative URL of a site path or a full URL as is; encoded for attributes.
    pub(crate) fn url(&self, path: &str) -> String {
        routes::url(&self.base, path)
    }

    /// Absolute URL for feeds, sitemaps and share cards.
    pub(crate) fn permalink(&self, path: &str) -> String {
        self.site.layout().permalink(path)
    }

    pub(crate) fn card(&self, id: PageId, r: &mut Reads) -> Card {
        r.add(Dep::Card(id));
        self.derived(&self.memo.cards[id], |own| card::make(self, id, own))
            .clone()
    }

    pub(crate) fn cards(&self, ids: &[PageId], r: &mut Reads) -> Vec<Card> {
        ids.iter().map(|&id| self.card(id, r)).collect()
    }

    /// A page's title, URL and quiz flag, for navigation.
    pub(crate) fn link(&self, id: PageId, r: &mut Reads) -> NavLink {
        r.add(Dep::Link(id));
        self.derived(&self.memo.links[id], |own| page::nav_link(self, id, own))
            .clone()
    }

    fn derived<'m, V>(
        &self,
        cell: &'m OnceLock<Derived<V>>,
        make: impl FnOnce(&mut Reads) -> V,
    ) -> &'m V {
        &cell
            .get_or_init(|| {
                let mut own = Reads::new();
                let value = make(&mut own);
                Derived {
                    value,
                    deps: own.finish(),
                }
            })
            .value
    }

    fn tag_links(&self) -> &HashMap<String, (TagLink, Key)> {
        self.tags.get_or_init(|| {
            let site = self.site.layout();
            site.tags
                .iter()
                .flat_map(|t| {
                    let link = self.tag_view(t);
                    let k = key(&t.slug);
                    // Every spelling that slugs to this tag (党史, 党 史) points at it.
                    t.spellings
                        .iter()
                        .map(move |n| (n.clone(), (link.clone(), k)))
                })
                .collect()
        })
    }

    fn tag_view(&self, t: &Tag) -> TagLink {
        TagLink {
            name: t.name.clone(),
            url: self.url(&t.path),
            count: t.pages.len(),
        }
    }

    /// The link of the tag called `name`.
    pub(crate) fn tag_link(&self, name: &str, r: &mut Reads) -> TagLink {
        if let Some((link, k)) = self.tag_links().get(name) {
            r.add(Dep::TagLink(*k));
            return link.clone();
        }
        // Only on drafts' cards: the tag has no page of its own.
        let slug = crate::slug::slugify(name);
        r.add(Dep::TagLink(key(&slug)));
        TagLink {
            name: name.to_string(),
            url: self.url(&routes::tag(&slug)),
            count: 0,
        }
    }

    /// Tag `i`'s link (its list's heading).
    pub(crate) fn tag(&self, i: usize, r: &mut Reads) -> (&'a Tag, TagLink) {
        let t = self.site.tag(i, r);
        (t, self.tag_view(t))
    }

    /// Every tag's link, in order.
    pub(crate) fn all_tags(&self, r: &mut Reads) -> Vec<TagLink> {
        self.site.tags(r).iter().map(|t| self.tag_view(t)).collect()
    }

    /// Every tag's folder, in order.
    pub(crate) fn tag_paths(&self, r: &mut Reads) -> Vec<&'a str> {
        self.site.tags(r).iter().map(|t| t.path.as_str()).collect()
    }

    /// The `site` value every template sees (compared field by field
    /// between models, see `render::changes`).
    pub(crate) fn site_view(&self) -> SiteView {
        site::site_view(self.site.layout(), &self.base)
    }
}

impl<'a> std::ops::Deref for Views<'a> {
    type Target = Tracked<'a>;
    fn deref(&self) -> &Tracked<'a> {
        &self.site
    }
}
