//! What templates see: plain serializable structs built from the model.
//! Templates hold no logic beyond loops and conditions; every URL, date
//! label and count is prepared here.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{Datelike, Timelike};
use serde::Serialize;

use crate::model::{Course, Page, PageId, Site, Tag};
use crate::parse::Kind;
use crate::parse::dates::When;
use crate::parse::markdown::{TocEntry, encode_path};
use crate::render::quiz_view::{QuizView, quiz_view};

#[derive(Serialize, Clone, Debug)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    /// Absolute base URL, ending in `/`.
    pub base_url: String,
    /// Path part of base_url (`/` or `/dangjian/zhibu1/`).
    pub base_path: String,
    pub language: String,
    pub organization: String,
    pub logo: Option<String>,
    pub menu: Vec<MenuView>,
    pub urls: SiteUrls,
    pub totals: crate::model::stats::Totals,
    pub extra: toml::Table,
    /// Year of the build, for the footer.
    pub year: i32,
    pub generator: String,
}

#[derive(Serialize, Clone, Debug)]
pub struct SiteUrls {
    pub home: String,
    pub lessons: String,
    pub members: String,
    pub activities: String,
    pub courses: String,
    pub tags: String,
    pub search: String,
    pub me: String,
    pub stats: String,
    pub atom: String,
    pub calendar: String,
    /// The 台账 (/ledger/), when the site has meeting records.
    pub ledger: Option<String>,
    /// The page at /about/, when the site has one.
    pub about: Option<String>,
}

#[derive(Serialize, Clone, Debug)]
pub struct MenuView {
    pub name: String,
    pub url: String,
    /// Section key used to mark the current item (`lessons`, `stats` …).
    pub key: String,
}

#[derive(Serialize, Clone, Debug)]
pub struct DateView {
    /// RFC 3339, for `<time datetime>` and machines.
    pub iso: String,
    /// `2024-05-04`
    pub ymd: String,
    /// `2024年5月4日`
    pub display: String,
    /// `5月4日`
    pub short: String,
    /// `周六`
    pub weekday: String,
    /// `14:30`, when a time was written.
    pub time: Option<String>,
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

pub fn date_view(w: &When) -> DateView {
    let d = w.at;
    const DAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
    DateView {
        iso: if w.all_day {
            d.format("%Y-%m-%d").to_string()
        } else {
            d.to_rfc3339()
        },
        ymd: d.format("%Y-%m-%d").to_string(),
        display: format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        short: format!("{}月{}日", d.month(), d.day()),
        weekday: DAYS[d.weekday().num_days_from_monday() as usize].to_string(),
        time: (!w.all_day).then(|| format!("{:02}:{:02}", d.hour(), d.minute())),
        year: d.year(),
        month: d.month(),
        day: d.day(),
    }
}

#[derive(Serialize, Clone, Debug)]
pub struct Link {
    pub title: String,
    pub url: String,
}

#[derive(Serialize, Clone, Debug)]
pub struct TagLink {
    pub name: String,
    pub url: String,
    pub count: usize,
}

/// A page as shown in lists.
#[derive(Serialize, Clone, Debug)]
pub struct Card {
    pub kind: Kind,
    pub kind_label: String,
    pub title: String,
    pub url: String,
    pub summary: String,
    pub date: Option<DateView>,
    pub cover: Option<String>,
    pub tags: Vec<TagLink>,
    // lessons
    pub duration: Option<u32>,
    pub has_quiz: bool,
    pub course: Option<Link>,
    pub position: Option<usize>,
    // activities
    pub activity_kind: Option<String>,
    pub location: Option<String>,
    pub upcoming: bool,
    pub volunteer_hours: Option<f64>,
    pub participant_count: usize,
    // members
    pub role: Option<String>,
    pub class: Option<String>,
    pub honors: Vec<String>,
    pub motto: Option<String>,
    pub member_hours: Option<f64>,
    pub activity_count: usize,
}

#[derive(Serialize, Clone, Debug)]
pub struct PageView {
    #[serde(flatten)]
    pub card: Card,
    pub slug: String,
    pub permalink: String,
    /// Site path (`lessons/a/`), a stable key for the reader's progress.
    pub key: String,
    pub content: String,
    pub toc: Vec<TocEntry>,
    pub updated: Option<DateView>,
    pub qr_url: String,
    /// Estimated minutes to read (Chinese at about 400 characters a minute).
    pub reading_minutes: u32,
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// `attachments`, on every kind of page.
    pub attachments: Vec<AttachmentView>,
    /// The 三会一课 record of an activity with `meeting:` (render/records.rs).
    pub meeting: Option<crate::render::records::MeetingView>,
    pub lesson: Option<LessonView>,
    pub member: Option<MemberView>,
    pub activity: Option<ActivityView>,
    pub quiz: Option<QuizView>,
}

#[derive(Serialize, Clone, Debug)]
pub struct LessonView {
    pub course: Option<CourseNav>,
    pub video: Option<String>,
    pub audio: Option<String>,
    pub video_external: bool,
    /// The same as the page's `attachments` (kept for themes that use it).
    pub attachments: Vec<AttachmentView>,
}

#[derive(Serialize, Clone, Debug)]
pub struct CourseNav {
    pub name: String,
    pub url: String,
    pub position: usize,
    pub total: usize,
    pub prev: Option<Link>,
    pub next: Option<Link>,
    pub lessons: Vec<NavItem>,
}

#[derive(Serialize, Clone, Debug)]
pub struct NavItem {
    pub title: String,
    pub url: String,
    pub key: String,
    pub current: bool,
    pub position: usize,
    pub has_quiz: bool,
}

#[derive(Serialize, Clone, Debug)]
pub struct AttachmentView {
    pub url: String,
    pub name: String,
    pub format: String,
    /// `1.2 MB`
    pub size: Option<String>,
}

#[derive(Serialize, Clone, Debug)]
pub struct MemberView {
    pub photo: Option<String>,
    pub activities: Vec<Card>,
    pub volunteer_hours: f64,
}

#[derive(Serialize, Clone, Debug)]
pub struct ActivityView {
    pub end: Option<DateView>,
    /// `2024年5月4日 周六 14:00–16:30`
    pub when: String,
    pub participants: Vec<Card>,
    pub gallery: Vec<ImageView>,
    pub calendar_url: String,
}

#[derive(Serialize, Clone, Debug)]
pub struct ImageView {
    pub url: String,
    pub alt: String,
}

#[derive(Serialize, Clone, Debug)]
pub struct CourseView {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub summary: String,
    pub content: Option<String>,
    pub cover: Option<String>,
    pub lesson_count: usize,
    pub total_minutes: u32,
    pub quizzes: usize,
    /// The lesson cards: on the course's own page only (lists of courses
    /// show hundreds of courses and need only the counts and keys).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lessons: Option<Vec<Card>>,
    /// Site paths of its lessons, for progress in the browser.
    pub keys: Vec<String>,
}

/// Turns model data into views; holds the base path and a few lookups.
pub struct Views<'a> {
    pub site: &'a Site,
    base: String,
    /// Tag name -> link, computed once when first needed (slugs are
    /// pinyin: not free).
    tags: OnceLock<HashMap<String, TagLink>>,
    /// Every page's card, computed once when first needed: cards appear on
    /// many lists, and live preview renders a few pages of a big site.
    cards: Vec<OnceLock<Card>>,
}

impl<'a> Views<'a> {
    pub fn new(site: &'a Site) -> Self {
        Views {
            site,
            base: site.config.base_path(),
            tags: OnceLock::new(),
            cards: (0..site.pages.len()).map(|_| OnceLock::new()).collect(),
        }
    }

    fn tag_links(&self) -> &HashMap<String, TagLink> {
        self.tags.get_or_init(|| {
            let site = self.site;
            site.tags
                .iter()
                .flat_map(|t| {
                    let link = TagLink {
                        name: t.name.clone(),
                        url: crate::model::join_url(&self.base, &encode_path(&t.path)),
                        count: t.pages.len(),
                    };
                    // Every spelling that slugs to this tag (党史, 党 史) points at it.
                    let names: Vec<String> = t
                        .pages
                        .iter()
                        .flat_map(|&id| site.pages[id].tags.iter())
                        .filter(|n| crate::slug::slugify(n) == t.slug)
                        .cloned()
                        .collect();
                    names.into_iter().map(move |n| (n, link.clone()))
                })
                .collect()
        })
    }

    /// Root-relative URL of a site path or a full URL as is; encoded for attributes.
    pub fn url(&self, path: &str) -> String {
        crate::model::join_url(&self.base, &encode_path(path))
    }

    pub fn site_view(&self) -> SiteView {
        let c = &self.site.config;
        let u = |p: &str| self.url(p);
        SiteView {
            title: c.title.clone(),
            description: c.description.clone(),
            base_url: self.site.permalink(""),
            base_path: self.base.clone(),
            language: c.language.clone(),
            organization: c.organization.clone(),
            logo: (!c.logo.is_empty()).then(|| u(&c.logo)),
            menu: c
                .menu
                .iter()
                .map(|m| MenuView {
                    name: m.name.clone(),
                    url: u(&m.url),
                    key: m
                        .url
                        .trim_matches('/')
                        .split('/')
                        .next()
                        .unwrap_or("")
                        .to_string(),
                })
                .collect(),
            urls: SiteUrls {
                home: u(""),
                lessons: u("lessons/"),
                members: u("members/"),
                activities: u("activities/"),
                courses: u("courses/"),
                tags: u("tags/"),
                search: u("search/"),
                me: u("me/"),
                stats: u("stats/"),
                atom: u("atom.xml"),
                calendar: u("calendar.ics"),
                ledger: (!self.site.ledger.years.is_empty()).then(|| u("ledger/")),
                about: self
                    .site
                    .pages
                    .iter()
                    .any(|p| p.path == "about/")
                    .then(|| u("about/")),
            },
            totals: self.site.stats.totals.clone(),
            extra: c.extra.clone(),
            year: self.site.now.year(),
            generator: format!("zhibu {}", env!("CARGO_PKG_VERSION")),
        }
    }

    pub fn tag_link(&self, name: &str) -> TagLink {
        self.tag_links().get(name).cloned().unwrap_or_else(|| {
            let slug = crate::slug::slugify(name);
            TagLink {
                name: name.to_string(),
                url: self.url(&format!("tags/{slug}/")),
                count: 0,
            }
        })
    }

    pub fn tag(&self, t: &Tag) -> TagLink {
        TagLink {
            name: t.name.clone(),
            url: self.url(&t.path),
            count: t.pages.len(),
        }
    }

    pub fn card(&self, id: PageId) -> Card {
        self.cards[id].get_or_init(|| self.make_card(id)).clone()
    }

    fn make_card(&self, id: PageId) -> Card {
        let p = self.site.page(id);
        let course = p
            .lesson
            .as_ref()
            .and_then(|l| l.course)
            .map(|c| &self.site.courses[c])
            .map(|c| Link {
                title: c.name.clone(),
                url: self.url(&c.path),
            });
        let a = p.activity.as_ref();
        let m = p.member.as_ref();
        Card {
            kind: p.kind,
            kind_label: match (p.kind, a.and_then(|a| a.kind.clone())) {
                (Kind::Activity, Some(k)) => k,
                (k, _) => k.label().to_string(),
            },
            title: p.title.clone(),
            url: self.url(&p.path),
            summary: p.summary.clone(),
            date: p.date.as_ref().map(date_view),
            cover: p.cover.as_deref().map(|c| self.url(c)),
            tags: p.tags.iter().map(|t| self.tag_link(t)).collect(),
            duration: p.lesson.as_ref().and_then(|l| l.duration),
            has_quiz: p.quiz().is_some(),
            course,
            position: p.lesson.as_ref().map(|l| l.position).filter(|&n| n > 0),
            activity_kind: a.and_then(|a| a.kind.clone()),
            location: a.and_then(|a| a.location.clone()),
            upcoming: a.is_some_and(|a| a.upcoming),
            volunteer_hours: a.and_then(|a| a.volunteer_hours),
            participant_count: a.map(|a| a.participants.len()).unwrap_or(0),
            role: m.and_then(|m| m.role.clone()),
            class: m.and_then(|m| m.class.clone()),
            honors: m.map(|m| m.honors.clone()).unwrap_or_default(),
            motto: m.and_then(|m| m.motto.clone()),
            member_hours: m.map(|m| m.volunteer_hours).filter(|h| *h > 0.0),
            activity_count: m.map(|m| m.activities.len()).unwrap_or(0),
        }
    }

    pub fn cards(&self, ids: &[PageId]) -> Vec<Card> {
        ids.iter().map(|&id| self.card(id)).collect()
    }

    pub fn page_view(&self, p: &Page) -> PageView {
        let card = self.card(p.id);
        let chars = p.plain().chars().filter(|c| !c.is_whitespace()).count() as u32;
        PageView {
            slug: p.slug.clone(),
            permalink: self.site.permalink(&p.path),
            key: p.path.clone(),
            content: p.html().to_string(),
            toc: p.toc().to_vec(),
            updated: p.updated.as_ref().map(date_view),
            qr_url: self.url(&format!("{}qr.svg", p.path)),
            reading_minutes: chars.div_ceil(400).max(1),
            extra: p.extra().clone(),
            attachments: crate::render::records::attachment_views(self, &p.attachments),
            meeting: crate::render::records::meeting_view(self, p),
            lesson: p.lesson.as_ref().map(|l| self.lesson_view(p, l)),
            member: p.member.as_ref().map(|m| MemberView {
                photo: m.photo.as_deref().map(|u| self.url(u)),
                activities: self.cards(&m.activities),
                volunteer_hours: m.volunteer_hours,
            }),
            activity: p.activity.as_ref().map(|a| ActivityView {
                end: a.end.as_ref().map(date_view),
                when: when_text(p.date.as_ref(), a.end.as_ref()),
                participants: self.cards(&a.participants),
                gallery: a
                    .gallery
                    .iter()
                    .enumerate()
                    .map(|(i, g)| ImageView {
                        url: self.url(g),
                        alt: format!("{}：现场照片 {}", p.title, i + 1),
                    })
                    .collect(),
                calendar_url: self.url("calendar.ics"),
            }),
            quiz: p
                .quiz()
                .map(|q| quiz_view(q, &p.path, &self.site.config.base_url)),
            card,
        }
    }

    fn lesson_view(&self, p: &Page, l: &crate::model::LessonData) -> LessonView {
        let course = l.course.map(|ci| {
            let c = &self.site.courses[ci];
            let link = |id: PageId| Link {
                title: self.site.page(id).title.clone(),
                url: self.url(&self.site.page(id).path),
            };
            CourseNav {
                name: c.name.clone(),
                url: self.url(&c.path),
                position: l.position,
                total: c.lessons.len(),
                prev: l.prev.map(link),
                next: l.next.map(link),
                lessons: c
                    .lessons
                    .iter()
                    .enumerate()
                    .map(|(i, &id)| {
                        let q = self.site.page(id);
                        NavItem {
                            title: q.title.clone(),
                            url: self.url(&q.path),
                            key: q.path.clone(),
                            current: id == p.id,
                            position: i + 1,
                            has_quiz: q.quiz().is_some(),
                        }
                    })
                    .collect(),
            }
        });
        LessonView {
            course,
            video: l.video.as_deref().map(|u| self.url(u)),
            audio: l.audio.as_deref().map(|u| self.url(u)),
            video_external: l
                .video
                .as_deref()
                .is_some_and(|v| v.contains("://") && !is_media_file(v)),
            attachments: crate::render::records::attachment_views(self, &p.attachments),
        }
    }

    /// A course for lists (`lessons: None`) or for its own page.
    pub fn course_view(&self, c: &Course, with_lessons: bool) -> CourseView {
        CourseView {
            name: c.name.clone(),
            slug: c.slug.clone(),
            url: self.url(&c.path),
            summary: c.summary.clone(),
            content: c
                .description
                .as_ref()
                .map(|d| d.html.clone())
                .filter(|h| !h.trim().is_empty()),
            cover: c.cover.as_deref().map(|u| self.url(u)),
            lesson_count: c.lessons.len(),
            total_minutes: c.total_minutes,
            quizzes: c.quizzes,
            lessons: with_lessons.then(|| self.cards(&c.lessons)),
            keys: c
                .lessons
                .iter()
                .map(|&id| self.site.page(id).path.clone())
                .collect(),
        }
    }
}

fn is_media_file(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    [".mp4", ".webm", ".ogv", ".m4v", ".mov"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// `2024年5月4日 周六 14:00–16:30`, `2024年5月4日–5月6日`.
pub fn when_text(start: Option<&When>, end: Option<&When>) -> String {
    let Some(s) = start.map(date_view) else {
        return String::new();
    };
    let mut out = format!("{} {}", s.display, s.weekday);
    if let Some(t) = &s.time {
        out.push(' ');
        out.push_str(t);
    }
    if let Some(e) = end.map(date_view) {
        if e.ymd == s.ymd {
            if let Some(t) = e.time {
                out.push('–');
                out.push_str(&t);
            }
        } else {
            out.push_str(" 至 ");
            out.push_str(if e.year == s.year {
                &e.short
            } else {
                &e.display
            });
            if let Some(t) = e.time {
                out.push(' ');
                out.push_str(&t);
            }
        }
    }
    out
}

pub fn human_size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.0} KB", b / KB)
    } else {
        format!("{:.1} MB", b / KB / KB)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::dates::parse_when;
    use chrono::FixedOffset;

    fn w(s: &str) -> When {
        parse_when(s, FixedOffset::east_opt(8 * 3600).unwrap()).unwrap()
    }

    #[test]
    fn chinese_dates() {
        let d = date_view(&w("2024-05-04"));
        assert_eq!(d.display, "2024年5月4日");
        assert_eq!(d.weekday, "周六");
        assert_eq!(d.iso, "2024-05-04");
        assert!(d.time.is_none());
        assert_eq!(
            date_view(&w("2024-05-04 14:30")).time.as_deref(),
            Some("14:30")
        );
    }

    #[test]
    fn activity_time_ranges() {
        assert_eq!(
            when_text(Some(&w("2024-05-04 14:00")), Some(&w("2024-05-04 16:30"))),
            "2024年5月4日 周六 14:00–16:30"
        );
        assert_eq!(
            when_text(Some(&w("2024-05-04")), Some(&w("2024-05-06"))),
            "2024年5月4日 周六 至 5月6日"
        );
    }

    #[test]
    fn sizes() {
        assert_eq!(human_size(500), "500 B");
        assert_eq!(human_size(2048), "2 KB");
        assert_eq!(human_size(1_258_291), "1.2 MB");
    }
}
