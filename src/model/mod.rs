//! Stage 3: the whole site as one immutable value. Pages get their URLs
//! (collisions are errors), internal links are resolved, and everything a
//! template may need — courses with prev/next, tags, member ↔ activity links,
//! upcoming events, statistics — is computed here, not in templates.

pub mod annual;
mod arrange;
mod assemble;
mod attachments;
mod courses;
pub mod ledger;
pub mod links;
mod participants;
mod patch;
pub mod plans;
pub mod stats;
mod urls;

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use crate::config::Config;
use crate::load::Asset;
use crate::parse::dates::When;
use crate::parse::markdown::TocEntry;
use crate::parse::quiz::Quiz;
use crate::parse::{Kind, ParsedPage};

pub use arrange::Frame;
pub use assemble::{BuildOptions, assemble, assemble_after};
pub use patch::{keeps_place, patch_bodies, patch_pages, same_moment};
pub use stats::Stats;

pub type PageId = usize;

#[derive(Clone, Debug)]
pub struct Site {
    pub config: Config,
    /// The moment the build treats as "now" (upcoming vs past).
    pub now: DateTime<FixedOffset>,
    /// Shared, so that a copy of the site is cheap and a page an edit
    /// did not touch stays the very same value (`serve` relies on both).
    pub pages: Vec<Arc<Page>>,
    /// Lessons, newest first.
    pub lessons: Vec<PageId>,
    /// Members: weight, then featured and honours, then name.
    pub members: Vec<PageId>,
    /// Activities, newest first.
    pub activities: Vec<PageId>,
    /// Upcoming activities, soonest first.
    pub upcoming: Vec<PageId>,
    /// Past activities, newest first.
    pub past: Vec<PageId>,
    /// Notices: current and upcoming ones first, then the rest, newest
    /// first within each ([`crate::timeline::order_notices`]).
    pub notices: Vec<PageId>,
    /// Notices not over yet, for the home page.
    pub current_notices: Vec<PageId>,
    pub courses: Vec<Course>,
    /// Study plans (content/plans/), in page order.
    pub plans: Vec<plans::Plan>,
    pub tags: Vec<Tag>,
    /// Section list pages: lessons, members, activities, then any others.
    pub sections: Vec<Section>,
    /// Text of content/_index.md, for the home page.
    pub home: Option<SectionText>,
    pub stats: Stats,
    /// 台账: meeting records by year, type and period (model/ledger.rs).
    pub ledger: ledger::Ledger,
    /// Annual summaries for /stats/<year>/, oldest first (model/annual.rs).
    pub annual: Vec<annual::YearSummary>,
    /// Files outside bundles, copied to the same place in the output.
    pub loose_assets: Vec<Asset>,
    /// How internal links were resolved (kept for `serve`'s quick updates).
    pub resolver: Arc<links::Resolver>,
    /// What the lists were arranged from (kept for `serve`'s quick updates).
    pub frame: Arc<Frame>,
    /// The photos' published copies (issue 13): filled in after the model
    /// is built (`pipeline`), or by `serve` when its background job is done.
    pub images: Arc<crate::images::Published>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    pub id: PageId,
    pub kind: Kind,
    /// Source relative to content/.
    pub source: String,
    /// The parsed file: body text, table of contents, quiz, extra keys …
    /// Shared, not copied (serve keeps it between rebuilds).
    pub src: Shared<ParsedPage>,
    /// Top-level folder in content/, "" for top-level pages.
    pub section: String,
    pub slug: String,
    /// Output path relative to the site root, ending in `/`: `lessons/x/`.
    pub path: String,
    pub title: String,
    pub date: Option<When>,
    pub updated: Option<When>,
    /// Written or derived from the body.
    pub summary: String,
    pub summary_written: bool,
    pub tags: Vec<String>,
    pub draft: bool,
    /// Root-relative URL or full URL.
    pub cover: Option<String>,
    pub weight: Option<i64>,
    /// Downloadable files (`attachments`), on every kind of page.
    pub attachments: Vec<Attachment>,
    /// The body's HTML with internal links resolved, when it had any
    /// (see [`Page::html`]). Shared: `serve` carries it over to the next
    /// site model when neither the page nor any link target changed.
    pub resolved: Option<Arc<str>>,
    pub lesson: Option<LessonData>,
    pub member: Option<MemberData>,
    pub activity: Option<ActivityData>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LessonData {
    /// `course` as written in front matter.
    pub course_name: Option<String>,
    /// Index into `Site::courses`.
    pub course: Option<usize>,
    pub order: Option<i64>,
    pub duration: Option<u32>,
    pub video: Option<String>,
    pub audio: Option<String>,
    pub prev: Option<PageId>,
    pub next: Option<PageId>,
    /// 1-based position in its course.
    pub position: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Attachment {
    pub url: String,
    pub name: String,
    /// PDF, PPTX, DOCX …
    pub format: String,
    pub bytes: Option<u64>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct MemberData {
    pub photo: Option<String>,
    pub role: Option<String>,
    pub class: Option<String>,
    pub honors: Vec<String>,
    pub motto: Option<String>,
    pub featured: bool,
    /// Activities joined, newest first.
    pub activities: Vec<PageId>,
    pub volunteer_hours: f64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ActivityData {
    pub end: Option<When>,
    pub location: Option<String>,
    pub kind: Option<String>,
    pub participants: Vec<PageId>,
    pub volunteer_hours: Option<f64>,
    pub gallery: Vec<String>,
    pub upcoming: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Course {
    pub name: String,
    pub slug: String,
    pub path: String,
    /// Lessons in order.
    pub lessons: Vec<PageId>,
    /// Text from content/courses/<slug>.md, if written.
    pub description: Option<SectionText>,
    pub summary: String,
    pub cover: Option<String>,
    pub weight: Option<i64>,
    pub total_minutes: u32,
    pub quizzes: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Tag {
    pub name: String,
    pub slug: String,
    pub path: String,
    /// Newest first.
    pub pages: Vec<PageId>,
    /// Every spelling on a page that slugs to this tag (党史, 党 史), sorted.
    pub spellings: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    /// Folder name: lessons, members, activities, or another.
    pub name: String,
    pub title: String,
    pub path: String,
    pub text: Option<SectionText>,
    pub pages: Vec<PageId>,
    pub paginate_by: usize,
}

/// The front matter and body of an `_index.md` or a course description.
#[derive(Clone, Debug, PartialEq)]
pub struct SectionText {
    pub source: String,
    pub title: String,
    pub html: String,
    pub summary: String,
    pub cover: Option<String>,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A value shared between site models (`serve` keeps parsed files from
/// one rebuild to the next). Two are equal only when they are the very
/// same value: comparing every parsed file's text after each edit would
/// cost more than it saves, and a copy that is equal but not the same only
/// means one page too many is made again.
#[derive(Debug)]
pub struct Shared<T>(pub Arc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl Page {
    /// Feeds everything the page holds to `h`, for `render::digest`: long
    /// texts as their bytes (the `Debug` text of Chinese is slow to make),
    /// the rest as `Debug` text. The parsed file goes in as the text it was
    /// parsed from plus what came out of it that depends on other files
    /// (the body's HTML and links): parsing is otherwise a function of the
    /// text, its folder and the configuration, which the digests' layout
    /// covers. Every field is named, so that a new one cannot be left out.
    pub(crate) fn digest_into(&self, h: &mut xxhash_rust::xxh3::Xxh3) {
        let Page {
            id,
            kind,
            source,
            src,
            section,
            slug,
            path,
            title,
            date,
            updated,
            summary,
            summary_written,
            tags,
            draft,
            cover,
            weight,
            attachments,
            resolved,
            lesson,
            member,
            activity,
        } = self;
        let mut raw = |s: &str| {
            h.update(&(s.len() as u64).to_le_bytes());
            h.update(s.as_bytes());
        };
        for s in [source, section, slug, path, title, summary] {
            raw(s);
        }
        raw(&src.file.rel);
        raw(&src.file.text);
        raw(&src.md.html);
        raw(resolved.as_deref().unwrap_or("\0none"));
        crate::hashing::debug_into(h, &src.md.links);
        crate::hashing::debug_into(h, &src.file.assets);
        crate::hashing::debug_into(
            h,
            &(
                id,
                kind,
                date,
                updated,
                summary_written,
                tags,
                draft,
                cover,
                weight,
                attachments,
            ),
        );
        crate::hashing::debug_into(h, &(lesson, member, activity));
    }

    /// Final HTML of the body.
    pub fn html(&self) -> &str {
        self.resolved.as_deref().unwrap_or(&self.src.md.html)
    }

    /// Text without markup, for summaries and search.
    pub fn plain(&self) -> &str {
        &self.src.md.plain
    }

    pub fn toc(&self) -> &[TocEntry] {
        &self.src.md.toc
    }

    pub fn quiz(&self) -> Option<&Quiz> {
        self.src.front.quiz.as_ref()
    }

    /// Bundle files, copied beside the page's HTML.
    pub fn assets(&self) -> &[Asset] {
        &self.src.file.assets
    }

    /// Front matter keys zhibu does not know, for templates.
    pub fn extra(&self) -> &serde_json::Map<String, serde_json::Value> {
        &self.src.front.extra
    }
}

impl Site {
    /// A site without content (what `serve` shows before its first build).
    pub fn empty(config: Config, now: DateTime<FixedOffset>) -> Site {
        Site {
            config,
            now,
            pages: Vec::new(),
            lessons: Vec::new(),
            members: Vec::new(),
            activities: Vec::new(),
            upcoming: Vec::new(),
            past: Vec::new(),
            notices: Vec::new(),
            current_notices: Vec::new(),
            courses: Vec::new(),
            plans: Vec::new(),
            tags: Vec::new(),
            sections: Vec::new(),
            home: None,
            stats: Stats::default(),
            ledger: ledger::Ledger::default(),
            annual: Vec::new(),
            loose_assets: Vec::new(),
            resolver: Arc::default(),
            frame: Arc::default(),
            images: Arc::default(),
        }
    }

    pub fn page(&self, id: PageId) -> &Page {
        &self.pages[id]
    }

    /// Root-relative URL of a site path: `lessons/x/` -> `/base/lessons/x/`.
    pub fn url(&self, path: &str) -> String {
        crate::routes::join(&self.config.base_path(), path)
    }

    /// Absolute URL for feeds, sitemaps and share cards.
    pub fn permalink(&self, path: &str) -> String {
        crate::routes::permalink(&self.config.origin(), &self.config.base_path(), path)
    }
}
