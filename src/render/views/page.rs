//! A page's own view (its card, body, table of contents, quiz and the part
//! of its kind), courses, and the navigation links between lessons.

use serde::Serialize;

use crate::deps::Reads;
use crate::images::{self, GALLERY_SIZES, Role, THUMBNAIL_SIZES};
use crate::model::{ActivityData, Course, LessonData, MemberData, Page, PageId};
use crate::parse::markdown::TocEntry;
use crate::render::quiz_view::{QuizView, quiz_view};
use crate::render::views::card::Card;
use crate::render::views::dates::{DateView, date_view, when_text};
use crate::render::views::images::PORTRAIT_SIZES;
use crate::render::views::meeting::MeetingView;
use crate::render::views::now::{SignupView, signup_view};
use crate::render::views::{Link, Views};
use crate::routes;

#[derive(Serialize, Clone, Debug)]
pub(crate) struct PageView {
    #[serde(flatten)]
    pub card: Card,
    pub slug: String,
    pub permalink: String,
    /// Site path (`lessons/a/`), a stable key for the reader's progress.
    pub key: String,
    /// The body's HTML, its Markdown images sized (views/images.rs).
    pub content: String,
    /// How many Markdown images the body shows.
    pub content_images: usize,
    pub toc: Vec<TocEntry>,
    pub updated: Option<DateView>,
    pub qr_url: String,
    /// Estimated minutes to read (Chinese at about 400 characters a minute).
    pub reading_minutes: u32,
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// `attachments`, on every kind of page.
    pub attachments: Vec<AttachmentView>,
    /// The 三会一课 record of an activity with `meeting:` (views/meeting.rs).
    pub meeting: Option<MeetingView>,
    pub lesson: Option<LessonView>,
    pub member: Option<MemberView>,
    pub activity: Option<ActivityView>,
    pub quiz: Option<QuizView>,
}

#[derive(Serialize, Clone, Debug)]
pub(crate) struct LessonView {
    pub course: Option<CourseNav>,
    pub video: Option<String>,
    pub audio: Option<String>,
    pub video_external: bool,
    /// The same as the page's `attachments` (kept for themes that use it).
    pub attachments: Vec<AttachmentView>,
}

#[derive(Serialize, Clone, Debug)]
pub(crate) struct CourseNav {
    pub name: String,
    pub url: String,
    pub position: usize,
    pub total: usize,
    pub prev: Option<Link>,
    pub next: Option<Link>,
    pub lessons: Vec<NavItem>,
}

/// What navigation shows of a page (made once per model, see [`super::Memo`]).
#[derive(Serialize, Clone, Debug, PartialEq)]
pub(crate) struct NavLink {
    pub title: String,
    pub url: String,
    /// Site path, for progress in the browser.
    pub key: String,
    pub has_quiz: bool,
}

#[derive(Serialize, Clone, Debug)]
pub(crate) struct NavItem {
    #[serde(flatten)]
    pub link: NavLink,
    pub current: bool,
    pub position: usize,
}

#[derive(Serialize, Clone, Debug)]
pub(crate) struct AttachmentView {
    pub url: String,
    pub name: String,
    pub format: String,
    /// `1.2 MB`
    pub size: Option<String>,
}

#[derive(Serialize, Clone, Debug)]
pub(crate) struct MemberView {
    /// The portrait's URL (a thumbnail copy when there is one).
    pub photo: Option<String>,
    pub photo_image: Option<images::ImageView>,
    pub activities: Vec<Card>,
    pub volunteer_hours: f64,
}

#[derive(Serialize, Clone, Debug)]
pub(crate) struct ActivityView {
    pub end: Option<DateView>,
    /// `2024年5月4日 周六 14:00–16:30`
    pub when: String,
    pub participants: Vec<Card>,
    pub gallery: Vec<GalleryItem>,
    /// This activity as a calendar event with reminders (event.ics).
    pub calendar_url: String,
    pub signup: Option<SignupView>,
}

/// A photo of an activity's gallery: its thumbnail, opening the viewing copy.
#[derive(Serialize, Clone, Debug)]
pub(crate) struct GalleryItem {
    /// The viewing copy (long side 1600 px), which the thumbnail links to.
    pub url: String,
    pub alt: String,
    pub image: images::ImageView,
}

#[derive(Serialize, Clone, Debug)]
pub(crate) struct CourseView {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub summary: String,
    pub content: Option<String>,
    pub cover: Option<String>,
    pub cover_image: Option<images::ImageView>,
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

pub(super) fn nav_link(v: &Views, id: PageId, r: &mut Reads) -> NavLink {
    let p = v.page(id, r);
    NavLink {
        title: p.title.clone(),
        url: v.url(&p.path),
        key: p.path.clone(),
        has_quiz: p.quiz().is_some(),
    }
}

impl Views<'_> {
    /// Everything a page's own output shows of it.
    pub(crate) fn page_view(&self, id: PageId, r: &mut Reads) -> PageView {
        let card = self.card(id, r);
        let p = self.page(id, r);
        let chars = p.plain().chars().filter(|c| !c.is_whitespace()).count() as u32;
        let (content, content_images) = self.body_html(p.html(), r);
        PageView {
            slug: p.slug.clone(),
            permalink: self.permalink(&p.path),
            key: p.path.clone(),
            content,
            content_images,
            toc: p.toc().to_vec(),
            updated: p.updated.as_ref().map(date_view),
            qr_url: self.url(&routes::qr(&p.path)),
            reading_minutes: chars.div_ceil(400).max(1),
            extra: p.extra().clone(),
            attachments: self.attachment_views(&p.attachments),
            meeting: self.meeting_view(id, r),
            lesson: p.lesson.as_ref().map(|l| self.lesson_view(p, l, r)),
            member: p.member.as_ref().map(|m| self.member_view(p, m, r)),
            activity: p.activity.as_ref().map(|a| self.activity_view(p, a, r)),
            quiz: p
                .quiz()
                .map(|q| quiz_view(q, &p.path, &self.config().base_url)),
            card,
        }
    }

    fn member_view(&self, p: &Page, m: &MemberData, r: &mut Reads) -> MemberView {
        let alt = format!("{}的照片", p.title);
        let photo_image = m
            .photo
            .as_deref()
            .map(|u| self.image(u, Role::Thumbnail, &alt, PORTRAIT_SIZES, r));
        MemberView {
            photo: photo_image.as_ref().map(|i| i.src.clone()),
            photo_image,
            activities: self.cards(&m.activities, r),
            volunteer_hours: m.volunteer_hours,
        }
    }

    fn activity_view(&self, p: &Page, a: &ActivityData, r: &mut Reads) -> ActivityView {
        ActivityView {
            end: a.end.as_ref().map(date_view),
            when: when_text(p.date.as_ref(), a.end.as_ref()),
            participants: self.cards(&a.participants, r),
            gallery: a
                .gallery
                .iter()
                .enumerate()
                .map(|(i, g)| {
                    let alt = format!("{}：现场照片 {}", p.title, i + 1);
                    GalleryItem {
                        url: self.image_full(g, r),
                        image: self.image(g, Role::Thumbnail, &alt, GALLERY_SIZES, r),
                        alt,
                    }
                })
                .collect(),
            calendar_url: self.url(&routes::event(&p.path)),
            signup: p
                .src
                .front
                .activity
                .signup
                .is_some()
                .then(|| signup_view(p, self.now(r)))
                .flatten(),
        }
    }

    fn lesson_view(&self, p: &Page, l: &LessonData, r: &mut Reads) -> LessonView {
        LessonView {
            course: l.course.map(|ci| self.course_nav(p.id, l, ci, r)),
            video: l.video.as_deref().map(|u| self.url(u)),
            audio: l.audio.as_deref().map(|u| self.url(u)),
            video_external: l
                .video
                .as_deref()
                .is_some_and(|v| v.contains("://") && !is_media_file(v)),
            attachments: self.attachment_views(&p.attachments),
        }
    }

    fn course_nav(&self, id: PageId, l: &LessonData, ci: usize, r: &mut Reads) -> CourseNav {
        let c = self.course(ci, r);
        let mut link = |id: PageId| {
            let n = self.link(id, r);
            Link {
                title: n.title,
                url: n.url,
            }
        };
        let prev = l.prev.map(&mut link);
        let next = l.next.map(&mut link);
        CourseNav {
            name: c.name.clone(),
            url: self.url(&c.path),
            position: l.position,
            total: c.lessons.len(),
            prev,
            next,
            lessons: c
                .lessons
                .iter()
                .enumerate()
                .map(|(i, &q)| NavItem {
                    link: self.link(q, r),
                    current: q == id,
                    position: i + 1,
                })
                .collect(),
        }
    }

    /// A course for lists (`with_lessons: false`) or for its own page.
    pub(crate) fn course_view(&self, i: usize, with_lessons: bool, r: &mut Reads) -> CourseView {
        let c: &Course = self.course(i, r);
        let cover_image = c
            .cover
            .as_deref()
            .map(|u| self.image(u, Role::Thumbnail, "", THUMBNAIL_SIZES, r));
        CourseView {
            name: c.name.clone(),
            slug: c.slug.clone(),
            url: self.url(&c.path),
            summary: c.summary.clone(),
            content: c
                .description
                .as_ref()
                .map(|d| self.body_html(&d.html, r).0)
                .filter(|h| !h.trim().is_empty()),
            cover: cover_image.as_ref().map(|i| i.src.clone()),
            cover_image,
            lesson_count: c.lessons.len(),
            total_minutes: c.total_minutes,
            quizzes: c.quizzes,
            lessons: with_lessons.then(|| self.cards(&c.lessons, r)),
            keys: c.lessons.iter().map(|&id| self.link(id, r).key).collect(),
        }
    }
}

fn is_media_file(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    [".mp4", ".webm", ".ogv", ".m4v", ".mov"]
        .iter()
        .any(|e| lower.ends_with(e))
}
